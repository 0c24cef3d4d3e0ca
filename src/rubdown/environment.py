"""rubdown's environment variables, read one way.

Unset means the default. A variable that is set must hold a value rubdown
accepts: an empty or bad value is a usage error (exit 2), one line naming
the variable and what it accepts, never a silent fall back to the default.
Kept free of heavy imports: ``rubdown log`` reads these.
"""

from __future__ import annotations

import os

from rubdown.errors import ParseError


def refused(name: str, value: str, accepted: str) -> ParseError:
    if not value.strip():
        return ParseError(f"{name} is set but empty; set it to {accepted}, or unset it.")
    return ParseError(f"{name}={value!r} is not valid; use {accepted}, or unset it.")


def text(name: str, accepted: str) -> str | None:
    """The variable's value (None when unset); an empty one is refused."""
    value = os.environ.get(name)
    if value is not None and not value.strip():
        raise refused(name, value, accepted)
    return value


def number(name: str, low: float, high: float, *, whole: bool) -> float | int | None:
    """The variable as a number from ``low`` to ``high`` (None when unset)."""
    kind = "a whole number" if whole else "a number"
    accepted = f"{kind} from {low:g} to {high:g}"
    value = text(name, accepted)
    if value is None:
        return None
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        raise refused(name, value, accepted) from None
    if not low <= number <= high:  # NaN fails this too
        raise refused(name, value, accepted)
    return number
