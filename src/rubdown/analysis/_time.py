"""Instant arithmetic that is always real elapsed time.

Records carry aware datetimes. Subtracting two datetimes that share one
``ZoneInfo`` gives wall-clock time in Python, not elapsed time, so every
difference and shift here goes through UTC first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone


def utc(moment: datetime) -> datetime:
    """The same instant, in a form on which arithmetic is real elapsed time.

    A fixed UTC offset (what the store gives) already is, so it is returned
    as it is: converting hundreds of thousands of instants costs seconds.
    """
    if type(moment.tzinfo) is timezone:
        return moment
    return moment.astimezone(UTC)


def hours_between(earlier: datetime, later: datetime) -> float:
    """Real elapsed hours from ``earlier`` to ``later`` (negative if reversed)."""
    return (utc(later) - utc(earlier)).total_seconds() / 3600


def shift(moment: datetime, seconds: float) -> datetime:
    """``moment`` plus real elapsed ``seconds``, shown in the same zone."""
    return (utc(moment) + timedelta(seconds=seconds)).astimezone(moment.tzinfo)
