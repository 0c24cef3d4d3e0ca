"""The project's exceptions.

``RubdownError`` is a runtime failure the user can act on (exit 1);
``UsageError`` (and its kind ``ParseError``, a typed value that cannot be
read) is a command line rubdown cannot take (exit 2). ``rubdown.cli.main``
prints either as one ``Error: ...`` line, whichever path found it (the fast
reader, typer, or rubdown's own checks).
"""


class UsageError(Exception):
    """A usage error (exit 2): a value rubdown cannot accept, options that
    conflict. The message is one line; ``option`` names the option at fault
    (it is put in front: ``--weeks: '0' is out of range; use 1 to 520``)."""

    exit_code = 2

    def __init__(self, message: str, *, option: str | None = None) -> None:
        message = " ".join(message.splitlines())
        super().__init__(f"{option}: {message}" if option else message)
        self.option = option


class ParseError(UsageError, ValueError):
    """A value the user typed that rubdown cannot read (a usage error, exit 2)."""


class RubdownError(Exception):
    """A runtime error with a one-line message that says what to do."""

    exit_code = 1


class NotFound(RubdownError):
    """No record with the given id."""


class Verdict(Exception):
    """Not an error: a command that answers with its exit code alone
    (``due --check``: 1 when something is overdue). Nothing more is printed."""

    def __init__(self, exit_code: int) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code
