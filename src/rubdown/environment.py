"""rubdown's environment variables, declared once and read one way.

``VARIABLES`` lists every variable rubdown reads, with what it accepts and
what it does; the table in docs/configuration.md is printed from it, and
tests/test_docs.py fails when the code reads a ``RUBDOWN_*`` variable it
does not list. Unset means the default. A variable that is set must hold a
value rubdown accepts: an empty or bad value is a usage error (exit 2), one
line naming the variable and what it accepts, never a silent fall back to
the default. Kept free of heavy imports: ``rubdown log`` reads these.
"""

from __future__ import annotations

import os

from rubdown.errors import ParseError


class Variable:
    """An environment variable: what it accepts, what it does, and for a
    number its limits (``number`` reads them from here)."""

    __slots__ = ("accepted", "effect", "limits", "whole")

    def __init__(
        self, accepted: str, effect: str, limits: tuple[int, int] | None = None, whole=False
    ) -> None:
        self.accepted = accepted
        self.effect = effect
        self.limits = limits
        self.whole = whole


def _number(low: int, high: int, whole: bool, effect: str) -> Variable:
    kind = "a whole number" if whole else "a number"
    return Variable(f"{kind} from {low} to {high}", effect, (low, high), whole)


VARIABLES = {
    "RUBDOWN_DB": Variable(
        "a database file path", "the database file (the `--db` option wins over it)"
    ),
    "RUBDOWN_CONFIG": Variable("a config file path", "the configuration file"),
    "RUBDOWN_UNITS": Variable(
        "km or mi", "the unit of a bare distance and of reports, over the file's `units`"
    ),
    "RUBDOWN_NOW": Variable(
        "an ISO 8601 date-time", 'pins "now", for reproducible reports and scripts'
    ),
    "RUBDOWN_BUSY_TIMEOUT": _number(
        0, 3600, False, "seconds to wait for another writer (default 5)"  # longer: a mistake
    ),
    "RUBDOWN_IMPORT_WORKERS": _number(
        0, 64, True,
        "processes that parse an import (0: in rubdown's own process; default: by the "
        "number of files and cores)",
    ),
    "RUBDOWN_DEBUG": Variable(
        "1", "`1` shows tracebacks instead of one-line errors (any other value: off)"
    ),
    "NO_COLOR": Variable("any value but empty", "plain output without colour"),
    "TERM": Variable("dumb", "`dumb`: plain output without colour"),
    # The default folders, read by platformdirs' rule (rubdown.paths.user_dir),
    # not checked by rubdown: a value that rule cannot use is platformdirs' to read.
    "HOME": Variable(
        "your home folder", "holds the default database and config file's folders"
    ),
    "XDG_DATA_HOME": Variable(
        "an absolute folder",
        "where the default database is (`rubdown/rubdown.db` in it; default `~/.local/share` "
        "on Linux)",
    ),
    "XDG_CONFIG_HOME": Variable(
        "an absolute folder",
        "where the config file is (`rubdown/config.toml` in it; default `~/.config` on Linux)",
    ),
    "ANDROID_DATA": Variable(
        "/data", "`/data` on Android: platformdirs chooses the default folders there"
    ),
}  # fmt: skip


def refused(name: str, value: str) -> ParseError:
    accepted = VARIABLES[name].accepted
    if not value.strip():
        return ParseError(f"{name} is set but empty; set it to {accepted}, or unset it.")
    return ParseError(f"{name}={value!r} is not valid; use {accepted}, or unset it.")


def text(name: str) -> str | None:
    """The variable's value (None when unset); an empty one is refused."""
    value = os.environ.get(name)
    if value is not None and not value.strip():
        raise refused(name, value)
    return value


def number(name: str) -> float | int | None:
    """The variable as a number within its limits in ``VARIABLES`` (None when
    unset)."""
    limits = VARIABLES[name].limits
    assert limits is not None, f"{name} is no number"
    low, high = limits
    whole = VARIABLES[name].whole
    value = text(name)
    if value is None:
        return None
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        raise refused(name, value) from None
    if not low <= number <= high:  # NaN fails this too
        raise refused(name, value)
    return number
