"""The project's exceptions.

``RubdownError`` is a runtime failure the user can act on (exit 1); the CLI
edge prints its message as one line. Usage errors (exit 2) are
``ParseError`` or typer's ``BadParameter``.
"""


class ParseError(ValueError):
    """A value the user typed that rubdown cannot accept (a usage error, exit 2).

    The message is always a single line.
    """

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.splitlines()))


class UsageError(Exception):
    """A usage error found past parsing (options that conflict, a value out
    of place). The typer commands raise it as typer's ``BadParameter``, so it
    reads like every other usage error (exit 2); ``hint`` names the option."""

    def __init__(self, message: str, *, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


class RubdownError(Exception):
    """A runtime error with a one-line message that says what to do."""

    exit_code = 1


class NotFound(RubdownError):
    """No record with the given id."""
