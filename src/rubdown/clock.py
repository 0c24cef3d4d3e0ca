"""The current instant, which tests and demos may pin with ``RUBDOWN_NOW``."""

from __future__ import annotations

import os
from datetime import datetime


def now() -> datetime:
    """Now, aware, in the local zone; ``RUBDOWN_NOW`` (ISO 8601) overrides it."""
    pinned = os.environ.get("RUBDOWN_NOW")
    if pinned:
        from rubdown.errors import RubdownError

        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            raise RubdownError(
                f"RUBDOWN_NOW={pinned!r} is not an ISO 8601 date-time; unset it or fix it."
            ) from None
        return value.astimezone() if value.tzinfo is None else value
    return datetime.now().astimezone()
