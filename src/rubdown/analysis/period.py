"""Which days a report covers, and the instant it reads up to (SPEC 3 and 5)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from rubdown.models import Value

from .weeks import MONDAY, week_first_day


class Period(Value):
    """A report's days, and its end: the end of the until day, never later than now."""

    FIELDS = ("since", "until", "end")
    __slots__ = FIELDS

    def __init__(self, since: date, until: date, end: datetime) -> None:
        self.since = since
        self.until = until
        self.end = end


def day_end(day: date) -> datetime:
    """The last second of ``day`` in the local zone (DST-aware)."""
    return datetime.combine(day, time(23, 59, 59)).astimezone()


def iso_week_start(label: str, week_start: int = MONDAY) -> date:
    """First day of the week labelled ``YYYY-Www`` (a Sunday-start week starts the day before)."""
    year, _, week = label.upper().partition("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return monday if week_start == MONDAY else monday - timedelta(days=1)


def report_period(
    now: datetime,
    *,
    weeks: int | None = None,
    since: date | None = None,
    until: date | None = None,
    week: str | None = None,
    last_week: bool = False,
    week_start: int = MONDAY,
) -> Period:
    """Resolve the report options into a period.

    - ``week``: that week; ``last_week``: the last completed week;
    - ``since``/``until``: those days (``until`` defaults to today, ``since``
      to the start of the ``weeks`` (12) weeks ending with ``until``'s week);
    - otherwise the ``weeks`` weeks ending with the week of the report's end.

    A report never reads past now: an ``until`` after today (given, or the
    last day of the current ``week``) is today. A ``since`` after today is
    the caller's to refuse (``ValueError`` here).
    """
    today = now.date()
    if week is not None:
        since = iso_week_start(week, week_start)
        until = since + timedelta(days=6)
    elif last_week:
        until = week_first_day(today, week_start) - timedelta(days=1)
        since = until - timedelta(days=6)
    else:
        until = min(until or today, today)
        if since is None:
            since = week_first_day(until, week_start) - timedelta(weeks=(weeks or 12) - 1)
    if since > today:
        raise ValueError(f"the report starts after today ({since} > {today})")
    until = min(until, today)
    end = min(day_end(until), now)
    return Period(since, until, end)
