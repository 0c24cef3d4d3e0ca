"""The typer application: the root group, its options, and the commands it
builds on demand. ``rubdown.cli.main`` runs it for every command line the
fast path (``rubdown.cli.fast``) does not take."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rubdown import __version__
from rubdown.cli import COMMANDS, HELP, ROOT_OPTIONS
from rubdown.cli.common import path_value


class LazyGroup(typer.core.TyperGroup):
    """The root group: lists every command, builds only the one that runs."""

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        import importlib

        module, attribute, _ = spec
        target = getattr(importlib.import_module(f"rubdown.cli.{module}"), attribute)
        if not isinstance(target, typer.Typer):
            single = typer.Typer(rich_markup_mode=None, add_completion=False)
            single.command(name, cls=getattr(target, "command_class", None))(target)
            target = single
        command = typer.main.get_command(target)
        command.name = name
        return command

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name in COMMANDS or name.startswith("-"):
            return super().resolve_command(ctx, args)
        import difflib

        near = difflib.get_close_matches(name, COMMANDS, n=1)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        raise typer.BadParameter(
            f"No such command '{name}'.{hint} Commands: {', '.join(COMMANDS)}",
            ctx=ctx,
            param_hint="COMMAND",
        )

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(name, spec[2]) for name, spec in COMMANDS.items()])


app = typer.Typer(
    name="rubdown",
    help=HELP,
    cls=LazyGroup,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"rubdown {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            metavar="PATH",
            parser=path_value,
            help=ROOT_OPTIONS[0][1],
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=ROOT_OPTIONS[1][1]
        ),
    ] = False,
) -> None:
    ctx.obj = {"db": db}


def run(args: list[str]) -> int:
    """Run ``args`` through typer; return the exit code. Errors of rubdown's
    own pass through to ``rubdown.cli.main``."""
    command = typer.main.get_command(app)
    try:
        # Without standalone mode, an Exit raised inside (Ctrl-C becomes
        # Exit(130)) comes back as the return value instead.
        result = command.main(args=args, prog_name="rubdown", standalone_mode=False)
        if isinstance(result, int):
            return result
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        return 1
    except typer.TyperException as exc:
        from rubdown.cli import one_line

        if type(exc).__name__ == "NoArgsIsHelpError":
            print(exc.format_message(), file=sys.stderr)
            return 0
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        print(f"Error: {one_line(exc.format_message())}{hint}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    return 0
