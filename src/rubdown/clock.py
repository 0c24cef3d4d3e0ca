"""The current instant, which tests and demos may pin with ``RUBDOWN_NOW``."""

from __future__ import annotations

import os
from datetime import datetime


def now() -> datetime:
    """Now, aware, in the local zone; ``RUBDOWN_NOW`` (ISO 8601) overrides it."""
    pinned = os.environ.get("RUBDOWN_NOW")
    if pinned is not None:
        from rubdown import environment

        environment.text("RUBDOWN_NOW")  # refuses an empty one
        try:
            value = datetime.fromisoformat(pinned)
        except ValueError:
            raise environment.refused("RUBDOWN_NOW", pinned) from None
        return value.astimezone() if value.tzinfo is None else value
    return datetime.now().astimezone()
