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

app = typer.Typer(
    name="rubdown",
    help=HELP,
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


from rubdown.cli import config_cmd, db_cmd, log_cmd, records_cmd, report_cmd  # noqa: E402

app.add_typer(log_cmd.app, name="log")
records_cmd.register(app)
report_cmd.register(app)
app.add_typer(db_cmd.app, name="db")
app.add_typer(config_cmd.app, name="config")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return the exit code (the console script exits with it)."""
    from rubdown.errors import RubdownError
    from rubdown.parsing import ParseError

    debug = os.environ.get("RUBDOWN_DEBUG") == "1"
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="rubdown", standalone_mode=False)
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
        name = exc.filename or ""
        print(f"Error: {exc.strerror or exc} {name}".rstrip() + ".", file=sys.stderr)
        return 1
    except Exception as exc:  # an SQLite error outside the store's own translation
        import sqlite3

        if debug or not isinstance(exc, sqlite3.Error):
            raise
        print(f"Error: database error ({exc}); run 'rubdown db check'.", file=sys.stderr)
        return 1
    return 0
