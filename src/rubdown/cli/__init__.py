"""The ``rubdown`` command: typer apps that parse, call the core, and render.

``main`` is the one edge where errors become exit codes: usage errors exit 2
and runtime errors exit 1, each as a single ``Error: ...`` line on stderr
(``RUBDOWN_DEBUG=1`` re-raises for a traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from rubdown import __version__

HELP = """\
A training log for runners who use massage.

Record runs, massages and self-care, then see whether recovery work follows
your hard efforts, and how soon. Data lives in one SQLite file (see
'rubdown db path'); --db PATH or RUBDOWN_DB chooses another.
"""

# Every command, loaded only when it runs: building all of them would cost
# every invocation (``rubdown log run`` included) tens of milliseconds.
# name -> (module in rubdown.cli, attribute: a typer app or a function, short help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "log": ("log_cmd", "app", "Record a run, a massage or a self-care session."),
    "list": ("records_cmd", "list_records", "List records, oldest first."),
    "show": ("records_cmd", "show", "Show one record in full."),
    "edit": (
        "records_cmd", "edit", "Change fields of a record; each value is checked as in 'log'."
    ),
    "delete": ("records_cmd", "delete", "Delete a record ('rubdown undo' brings it back)."),
    "undo": (
        "records_cmd", "undo",
        "Revert the last write (log, edit, delete, import); repeat to go further back.",
    ),
    "report": (
        "report_cmd", "report",
        "Weekly summary, recovery after each hard effort, and massage regularity.",
    ),
    "demo": (
        "report_cmd", "demo",
        "Write a realistic 16-week season into a new database and show its report.",
    ),
    "import": (
        "import_cmd", "import_files",
        "Import runs from activity files and exports; duplicates are never stored twice.",
    ),
    "export": (
        "export_cmd", "export",
        "Export records, oldest first, as JSON, CSV or an iCalendar (.ics) file.",
    ),
    "db": ("db_cmd", "app", "The database file: where it is, whether it is sound, a safe copy."),
    "config": ("config_cmd", "app", "Where the configuration file is and what it says."),
}  # fmt: skip


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
            single.command(name)(target)
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
            help="Database file to use (default: RUBDOWN_DB, else the user data folder).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = {"db": db}


def _one_line(text: str) -> str:
    """An error message as one line that is safe to print: it may quote what
    the user typed (a value, a path), whose control characters are shown as
    visible escapes."""
    from rubdown.render import clean

    return " ".join(clean(text, one_line=False).split())


def _os_error(exc: OSError) -> str:
    """One line for a file-system error outside the database, with the fix."""
    import errno

    name = f" {exc.filename}" if exc.filename else ""
    what = f"{exc.strerror or exc}:{name}" if name else str(exc.strerror or exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"{what}. Nothing was changed; free some space and try again."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{what}. Check the permissions, or choose another place."
    return f"{what}."


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script exits with it)."""
    from rubdown.errors import RubdownError
    from rubdown.parsing import ParseError

    debug = os.environ.get("RUBDOWN_DEBUG") == "1"
    command = typer.main.get_command(app)
    try:
        # Without standalone mode, an Exit raised inside (Ctrl-C becomes
        # Exit(130)) comes back as the return value instead.
        result = command.main(args=argv, prog_name="rubdown", standalone_mode=False)
        if isinstance(result, int):
            return result
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        print("Aborted.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; nothing more was written.", file=sys.stderr)
        return 130
    except ParseError as exc:
        if debug:
            raise
        print(f"Error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except RubdownError as exc:
        if debug:
            raise
        print(f"Error: {_one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            print(exc.format_message(), file=sys.stderr)
            return 0
        ctx = getattr(exc, "ctx", None)
        hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        print(f"Error: {_one_line(exc.format_message())}{hint}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)
    except BrokenPipeError:
        # `rubdown list | head`: stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        if debug:
            raise
        print(f"Error: {_one_line(_os_error(exc))}", file=sys.stderr)
        return 1
    except Exception as exc:  # an SQLite error outside the store's own translation
        import sqlite3

        if debug or not isinstance(exc, sqlite3.Error):
            raise
        print(f"Error: {_one_line(f'database error ({exc})')}; run 'rubdown db check'.",
              file=sys.stderr)  # fmt: skip
        return 1
    return 0
