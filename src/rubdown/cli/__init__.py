"""The ``rubdown`` command: typer apps that parse, call the core, and render.

``main`` is the one edge where errors become exit codes: usage errors exit 2
and runtime errors exit 1, each as a single ``Error: ...`` line on stderr
(``RUBDOWN_DEBUG=1`` re-raises for a traceback).
"""

from __future__ import annotations

import os
import sys

HELP = """\
A training log for runners who use massage.

Record runs, massages and self-care, then see whether recovery work follows
your hard efforts, and how soon. Data lives in one SQLite file (see
'rubdown db path'); --db PATH or RUBDOWN_DB chooses another.
"""

#: The root's options as its help lists them: (what to type, what it does).
ROOT_OPTIONS = (
    ("--db PATH", "Database file to use (default: RUBDOWN_DB, else the user data folder)."),
    ("--version", "Print the version and exit."),
    ("-h, --help", "Show this message and exit."),
)

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


def one_line(text: str) -> str:
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
    if exc.errno == errno.ENAMETOOLONG:
        return f"{what}. Choose a shorter path."
    return f"{what}."


def main(argv: list[str] | None = None, *, fast: bool = True) -> int:
    """Run the CLI; return the exit code (the console script exits with it).

    A well-formed ``log`` command (and ``--version``) runs on the fast path,
    without importing typer; everything else, and anything the fast path is
    unsure of, goes through the typer application. ``fast=False`` forces the
    latter (the tests compare the two).
    """
    from rubdown.errors import ParseError, RubdownError

    args = sys.argv[1:] if argv is None else list(argv)
    debug = os.environ.get("RUBDOWN_DEBUG") == "1"
    try:
        code = None
        if fast:
            from rubdown.cli.fast import run as run_fast

            code = run_fast(args)
        if code is None:
            from rubdown.cli.root import run

            code = run(args)
        return code
    except KeyboardInterrupt:
        print("Interrupted; nothing more was written.", file=sys.stderr)
        return 130
    except ParseError as exc:
        if debug:
            raise
        print(f"Error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except RubdownError as exc:
        if debug:
            raise
        print(f"Error: {one_line(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # `rubdown list | head`: stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        if debug:
            raise
        print(f"Error: {one_line(_os_error(exc))}", file=sys.stderr)
        return 1
    except Exception as exc:  # an SQLite error outside the store's own translation
        import sqlite3

        if debug or not isinstance(exc, sqlite3.Error):
            raise
        print(f"Error: {one_line(f'database error ({exc})')}; run 'rubdown db check'.",
              file=sys.stderr)  # fmt: skip
        return 1
