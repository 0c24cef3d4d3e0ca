"""The typer application: the root group, its options, and the commands it
builds on demand from the catalogue (``rubdown.cli.spec``). ``rubdown.cli.main``
runs it for every command line the fast reader (``rubdown.cli.fast``) does not
take; a usage error typer finds is raised as rubdown's own ``UsageError``, so
``main`` prints it as every other one."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rubdown import __version__
from rubdown.cli import spec
from rubdown.cli.options import db_value, typer_app
from rubdown.errors import UsageError


class Group(typer.core.TyperGroup):
    """A group whose unknown command is one line, worded alike at every level:
    what was typed, the nearest command, and every command there is."""

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        names = self.list_commands(ctx)  # cheap: building a command is not
        if name.startswith("-") or name in names:
            return super().resolve_command(ctx, args)
        import difflib

        near = difflib.get_close_matches(name, names, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        raise typer.BadParameter(
            f"No such command '{ctx.command_path} {name}'.{hint} Commands: {', '.join(names)}",
            ctx=ctx,
        )


class LazyGroup(Group):
    """The root group: lists every command, builds only the one that runs."""

    def list_commands(self, ctx):
        return [command.name for command in spec.TOP]

    def get_command(self, ctx, name):
        entry = spec.BY_WORDS.get((name,))
        if entry is None:
            return None
        command = typer.main.get_command(typer_app(entry))
        if type(command) is typer.core.TyperGroup:  # log, db, config: say unknown words alike
            command.__class__ = Group
        command.name = name
        return command

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(command.name, command.short_help) for command in spec.TOP])


app = typer.Typer(
    name="rubdown",
    help=spec.HELP,
    cls=LazyGroup,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": list(spec.HELP_OPTION)},
)


def _version(value: bool) -> None:
    if value:
        print(f"rubdown {__version__}")
        raise typer.Exit()


_DB = typer.Option(*spec.DB.spellings, metavar=spec.DB.metavar, parser=db_value,
                   help=spec.DB.help)  # fmt: skip
_VERSION = typer.Option(*spec.VERSION.spellings, callback=_version, is_eager=True,
                        help=spec.VERSION.help)  # fmt: skip


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[str | None, _DB] = None,
    version: Annotated[bool, _VERSION] = False,
) -> None:
    ctx.obj = {"db": db}


def run(args: list[str]) -> int:
    """Run ``args`` through typer; return the exit code. Errors of rubdown's
    own pass through to ``rubdown.cli.main``, and so do typer's usage errors,
    as a ``UsageError`` in rubdown's words."""
    command = typer.main.get_command(app)
    try:
        # Without standalone mode, an Exit raised inside (Ctrl-C becomes
        # Exit(130)) comes back as the return value instead.
        result = command.main(args=args, prog_name="rubdown", standalone_mode=False)
        if isinstance(result, int):
            return result
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl-C at a prompt
            raise KeyboardInterrupt from None
        print("Aborted; nothing was written.", file=sys.stderr)
        return 1
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            print(exc.format_message(), file=sys.stderr)
            return 0
        raise UsageError(usage_message(exc)) from None
    return 0


def usage_message(exc: typer.TyperException) -> str:
    """A usage error in rubdown's own words, as the parsers word theirs:
    ``--weeks: 'abc' is not a whole number; use 1 to 520``."""
    import re

    from typer._click import exceptions as click  # typer's own copy of click

    message = getattr(exc, "message", "") or ""
    if type(exc) is click.NoSuchOption:
        ctx = exc.ctx
        typed = exc.option_name
        options = [] if ctx is None else [
            opt for param in ctx.command.get_params(ctx) for opt in param.opts
            if opt.startswith("--") and param.param_type_name == "option" and opt != "--help"
        ]  # fmt: skip
        import difflib

        near = [o for o in options if o.startswith(typed) and len(typed) > 3]
        near = near or difflib.get_close_matches(typed, options, n=1, cutoff=0.75)
        if near:
            return f"No such option '{typed}'. Did you mean '{near[0]}'?"
        where = f" of '{ctx.command_path}'" if ctx is not None else ""
        return f"No such option '{typed}'. Options{where}: {', '.join(options)}"
    if type(exc) is click.MissingParameter and exc.param is not None:
        param = exc.param
        name = next((o for o in param.opts if o.startswith("--")), None)
        # ctx may be None, which click's get_error_hint never reads (click
        # itself passes it so).
        spelled = param.get_error_hint(exc.ctx)  # type: ignore[arg-type]
        name = name or (spelled or "").split(" / ")[0].strip("'\"")
        about = (getattr(param, "help", None) or "").strip().rstrip(".")
        if param.param_type_name != "option":
            about = ""
        return f"{name} is required" + (f": {about}" if about else "")
    if type(exc) is click.BadOptionUsage and "requires an argument" in message:
        return f"{exc.option_name} needs a value"
    if type(exc) is click.BadOptionUsage and "does not take a value" in message:
        return f"{exc.option_name}: a flag takes no value; give {exc.option_name} alone"
    # A misused option, an extra argument: click's words are clear.
    if type(exc) is not click.BadParameter:
        return exc.format_message()
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)  # type: ignore[arg-type]  # as above
    if hint is not None and not isinstance(hint, str):  # several names: the first
        hint = hint[0] if hint else None
    if hint:
        hint = hint.split(" / ")[0].strip("'\"")
        if not hint.startswith("-") and hint.upper() != hint:  # a command, not an option
            hint = None
    kind_of_value = getattr(exc.param, "type", None)
    low, high = getattr(kind_of_value, "min", None), getattr(kind_of_value, "max", None)
    number = re.fullmatch(
        r"'?(.*?)'? is not (?:a valid int(?:eger)?(?: range)?|in the range .*)\.", message
    )
    if number is not None:
        accepted = f"; use {low} to {high}" if low is not None and high is not None else ""
        message = f"'{number[1]}' is not a whole number{accepted}"
        if high is not None and number[1].lstrip("-").isdigit():
            message = f"'{number[1]}' is out of range{accepted}"
    if not hint:
        return message[:1].upper() + message[1:]
    return f"{hint}: {message}"
