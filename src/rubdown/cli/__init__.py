"""The ``rubdown`` command: every command and option is in ``spec``; a
command line is read by the fast reader (``fast``) or by typer (``root``),
and both call the same functions (``log_cmd``, ``report_cmd``, ...), which
call the use cases in ``rubdown.app`` and render what they return.

``main`` is the one edge where errors become exit codes: usage errors
(``rubdown.errors.UsageError``, whoever found them) exit 2 and runtime errors
exit 1, each as a single ``Error: ...`` line on stderr (``RUBDOWN_DEBUG=1``
re-raises for a traceback).
"""

from __future__ import annotations

import os
import sys


def say(line: str) -> None:
    """A confirmation or notice: one line on stderr, so stdout stays data.

    User text in it (notes, names, paths) is made safe to print here, the
    one way every confirmation goes out."""
    from rubdown.render import clean

    print(clean(line, one_line=False), file=sys.stderr)


def tell(notices: list[str]) -> None:
    """What opening a database did unasked (a copy saved before an upgrade),
    one line each on stderr, as it happens: every command that opens one
    says it (``spec.Command.function`` sets ``app.tell`` to this)."""
    for line in notices:
        say(line)


def error_line(message: str) -> str:
    """``Error: MESSAGE`` as one line that is safe to print: the message may
    quote what the user typed (a value, a path), whose control characters are
    shown as visible escapes."""
    from rubdown.render import clean

    return "Error: " + " ".join(clean(message, one_line=False).split())


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

    A well-formed ``log`` or ``report`` line (and the root help and
    ``--version``) runs on the fast path, without importing typer; everything
    else goes through the typer application. ``fast=False`` forces the latter
    (the tests compare the two).
    """
    from rubdown.errors import RubdownError, UsageError, Verdict

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
    except Verdict as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrupted; nothing more was written.", file=sys.stderr)
        return 130
    except UsageError as exc:
        if debug:
            raise
        message = str(exc)
        print(error_line(message[:1].upper() + message[1:]), file=sys.stderr)
        return exc.exit_code
    except RubdownError as exc:
        if debug:
            raise
        print(error_line(str(exc)), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        # `rubdown list | head`: stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:
        if debug:
            raise
        print(error_line(_os_error(exc)), file=sys.stderr)
        return 1
    except Exception as exc:  # an SQLite error outside the store's own translation
        import sqlite3

        if debug or not isinstance(exc, sqlite3.Error):
            raise
        print(error_line(f"database error ({exc}); run 'rubdown db check'."), file=sys.stderr)
        return 1
