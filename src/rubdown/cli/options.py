"""The catalogue's options as typer reads them.

Each typer command is built from its ``cli/spec.py`` entry: the parameters
(spellings, metavar, help, type, range, default) come from there, and the
callback hands the values to the function that implements the command, the
same function the fast reader calls. Nothing here is on the hot paths.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rubdown.cli import spec

if TYPE_CHECKING:
    from collections.abc import Callable


def path_value(value: str) -> Path:
    """The parser of every path option and argument but ``--db``: an empty
    path is a usage error (typer would read it as the current folder), ``~``
    is expanded."""
    return Path(db_value(value))


def db_value(value: str) -> str:
    """The parser of ``--db``: read as ``path_value`` reads a path, kept as
    text (``rubdown.paths.given_path``), as the fast reader keeps it: the
    commands it runs need no pathlib."""
    from rubdown.errors import ParseError
    from rubdown.paths import given_path

    try:
        return given_path(value)
    except ParseError as exc:  # click would print the value, not the reason
        raise typer.BadParameter(str(exc)) from None


def record_id(value: str) -> int:
    """The parser of ``ID``: a whole number SQLite can hold, else a usage error."""
    from rubdown.app import record_id as read
    from rubdown.errors import ParseError

    try:
        return read(value)
    except ParseError as exc:
        raise typer.BadParameter(str(exc)) from None


class IdCommand(typer.core.TyperCommand):
    """A command that takes a record id: ``delete -1`` is an id that is not
    one (click would report "No such option: -1")."""

    def parse_args(self, ctx, args):
        typed = list(args)  # click consumes args
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            option = getattr(exc, "option_name", None) or ""
            if type(exc).__name__ == "NoSuchOption" and _negative(option):
                from rubdown.app import record_id_problem

                token = next((a for a in typed if a.startswith(option) and _negative(a)), option)
                raise typer.BadParameter(
                    record_id_problem(token), ctx=ctx, param_hint="'ID'"
                ) from None
            raise


def _negative(token: str) -> bool:
    """Whether ``token`` is a negative number (``-1``, ``-2.5``)."""
    return token[:1] == "-" and token[1:2].isdigit() and token[1:].replace(".", "", 1).isdigit()


def _option(option: spec.Option) -> tuple[Any, typer.models.OptionInfo]:
    """The annotation and typer's ``Option`` for a catalogue option."""
    decls = option.spellings
    if option.off:
        decls = (f"{option.long}/{option.off}",)
    kwargs: dict[str, Any] = {"help": option.help}
    if option.metavar:
        kwargs["metavar"] = option.metavar
    if not option.show_default:
        kwargs["show_default"] = False
    annotation: Any = str
    if option.takes == spec.FLAG:
        annotation = bool
    elif option.takes == spec.INTEGER:
        annotation = int
        kwargs.update(min=option.low, max=option.high)
    elif option is spec.DB:
        kwargs["parser"] = db_value
    elif option.takes == spec.PATH:
        annotation = Path
        kwargs["parser"] = path_value
    if option.default is None and not option.required:
        annotation = annotation | None
    return annotation, typer.Option(*decls, **kwargs)


def _argument(argument: spec.Argument) -> tuple[Any, typer.models.ArgumentInfo]:
    kwargs: dict[str, Any] = {"metavar": argument.metavar, "help": argument.help}
    if argument.takes == spec.RECORD_ID:
        annotation: Any = int
        kwargs["parser"] = record_id
    else:
        annotation = Path
        kwargs["parser"] = path_value
    if argument.many:
        annotation = list[annotation]
        kwargs["show_default"] = False
    return annotation, typer.Argument(**kwargs)


def signature(command: spec.Command) -> inspect.Signature:
    """The signature typer reads: the context, then every argument and option
    of the catalogue entry, in the order the help lists them."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                annotation=typer.Context)]  # fmt: skip
    for argument in command.arguments:
        annotation, argument_info = _argument(argument)
        annotated = Annotated[annotation, argument_info]  # type: ignore[valid-type]
        params.append(inspect.Parameter(argument.name, keyword, annotation=annotated))
    for option in command.options:
        annotation, option_info = _option(option)
        default = inspect.Parameter.empty if option.required else option.default
        params.append(inspect.Parameter(option.name, keyword, default=default,
                                        annotation=Annotated[annotation, option_info]))  # fmt: skip
    return inspect.Signature(params)


def typer_callback(command: spec.Command, function: Callable[..., object]) -> Callable[..., None]:
    """A callback for typer with the catalogue's parameters that calls
    ``function`` with the values (``db``: the command's ``--db``, else the
    root's)."""

    def callback(ctx: typer.Context, **values: Any) -> None:
        if "db" in values:
            values["db"] = values["db"] or (ctx.find_root().obj or {}).get("db")
        function(**values)

    callback.__signature__ = signature(command)  # type: ignore[attr-defined]
    callback.__name__ = function.__name__
    callback.__doc__ = command.help
    return callback


def command_class(command: spec.Command) -> type[typer.core.TyperCommand] | None:
    """The click command class of an entry (a record id has its own)."""
    if any(argument.takes == spec.RECORD_ID for argument in command.arguments):
        return IdCommand
    return None


def typer_app(command: spec.Command) -> typer.Typer:
    """The typer application of a catalogue entry: a group with each of its
    commands, or a single command, each run by the function the entry names."""
    if command.target is None:
        group = typer.Typer(help=command.help, no_args_is_help=True, rich_markup_mode=None)
        for child in spec.children(command):
            register(group, child)
        return group
    single = typer.Typer(rich_markup_mode=None, add_completion=False)
    register(single, command)
    return single


def register(app: typer.Typer, command: spec.Command) -> None:
    app.command(command.name, help=command.help, cls=command_class(command))(
        typer_callback(command, command.function())
    )
