"""The weekly summary rows of SPEC section 5."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from rubdown.models import Massage, Run, SelfCare, Value

from .followup import ON_TIME, FollowUp

MONDAY = 0
SUNDAY = 6


class WeekRow(Value):
    """One week of the report (SPEC 5): counts, sums, and minutes of massage
    by type (``(type, minutes)`` pairs, sorted by type)."""

    FIELDS = ("week", "start", "runs", "distance_m", "duration_s", "load", "hard_efforts",
              "massages", "massage_minutes", "massage_minutes_by_type", "self_care_minutes",
              "on_time")  # fmt: skip
    __slots__ = FIELDS

    def __init__(
        self,
        week: str,
        start: date,
        runs: int,
        distance_m: float,
        duration_s: int,
        load: int,
        hard_efforts: int,
        massages: int,
        massage_minutes: int,
        massage_minutes_by_type: tuple[tuple[str, int], ...],
        self_care_minutes: int,
        on_time: int,
    ) -> None:
        self.week = week
        self.start = start
        self.runs = runs
        self.distance_m = distance_m
        self.duration_s = duration_s
        self.load = load
        self.hard_efforts = hard_efforts
        self.massages = massages
        self.massage_minutes = massage_minutes
        self.massage_minutes_by_type = massage_minutes_by_type
        self.self_care_minutes = self_care_minutes
        self.on_time = on_time

    def to_json(self) -> dict:
        """The row in ``report --json`` (SPEC 6)."""
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "runs": self.runs,
            "distance_m": self.distance_m,
            "duration_s": self.duration_s,
            "load": self.load,
            "hard_efforts": self.hard_efforts,
            "massages": self.massages,
            "massage_minutes": self.massage_minutes,
            "massage_minutes_by_type": dict(self.massage_minutes_by_type),
            "self_care_minutes": self.self_care_minutes,
            "on_time": self.on_time,
        }


def _check_week_start(week_start: int) -> None:
    if week_start not in (MONDAY, SUNDAY):
        raise ValueError(f"week_start must be 0 (Monday) or 6 (Sunday), not {week_start!r}")


def week_first_day(day: date, week_start: int = MONDAY) -> date:
    """The first day of the week holding ``day``."""
    _check_week_start(week_start)
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def week_label(first_day: date, week_start: int = MONDAY) -> str:
    """``YYYY-Www``: the ISO week of the week's Monday.

    A Sunday-start week is labelled by the Monday after its first day, so the
    week from Sunday 15 Nov 2026 is ``2026-W47``.
    """
    monday = first_day if week_start == MONDAY else first_day + timedelta(days=1)
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_overlapping(since: date, until: date, week_start: int = MONDAY) -> list[date]:
    """First days of every week overlapping [since, until], oldest first."""
    first = week_first_day(since, week_start)
    days: list[date] = []
    while first <= until:
        days.append(first)
        first += timedelta(days=7)
    return days


def weekly_rows(
    runs: Iterable[Run],
    massages: Iterable[Massage],
    self_care: Iterable[SelfCare],
    follow_ups: Iterable[FollowUp],
    *,
    since: date,
    until: date,
    report_end: datetime,
    week_start: int = MONDAY,
) -> list[WeekRow]:
    """One row per week overlapping [since, until], empty weeks included.

    A record counts when its local start date is in the period and it starts
    at or before ``report_end``; an effort (from ``follow_ups``) counts by its
    end the same way. ``self_care_minutes`` always counts self-care, whether
    or not it is a recovery session. ``load`` is rounded with ``round``.
    """
    firsts = weeks_overlapping(since, until, week_start)
    count = len(firsts)
    # Sums per week in plain lists (one index per week), made into rows at the end.
    runs_n, distance, duration, loads = [0] * count, [0.0] * count, [0] * count, [0.0] * count
    hard, on_time, massages_n, massage_minutes = [0] * count, [0] * count, [0] * count, [0] * count
    care_minutes = [0] * count
    by_type: list[dict[str, int]] = [{} for _ in range(count)]

    first_ordinal = firsts[0].toordinal()
    since_ordinal, until_ordinal = since.toordinal(), until.toordinal()
    end_stamp = report_end.timestamp()

    def row_index(moment: datetime, stamp: float) -> int:
        """The week of ``moment`` (its local date), or -1 when it does not count."""
        ordinal = moment.toordinal()  # the local date, as a day number
        if ordinal < since_ordinal or ordinal > until_ordinal or stamp > end_stamp:
            return -1
        return (ordinal - first_ordinal) // 7

    for run in runs:
        index = row_index(run.start, run.stamp)
        if index >= 0:
            runs_n[index] += 1
            distance[index] += run.distance_m or 0.0
            duration[index] += run.duration_s or 0
            loads[index] += run.load or 0.0
    for massage in massages:
        index = row_index(massage.start, massage.stamp)
        if index >= 0:
            massages_n[index] += 1
            massage_minutes[index] += massage.minutes
            minutes = by_type[index]
            minutes[massage.type] = minutes.get(massage.type, 0) + massage.minutes
    for session in self_care:
        index = row_index(session.start, session.stamp)
        if index >= 0:
            care_minutes[index] += session.minutes
    for follow_up in follow_ups:
        index = row_index(follow_up.effort.end, follow_up.effort.group.end_stamp)
        if index >= 0:
            hard[index] += 1
            if follow_up.status == ON_TIME:
                on_time[index] += 1
    return [  # positional: a long history has thousands of weeks
        WeekRow(
            week_label(first, week_start),
            first,
            runs_n[i],
            float(distance[i]),
            duration[i],
            round(loads[i]),
            hard[i],
            massages_n[i],
            massage_minutes[i],
            tuple(sorted(by_type[i].items())),
            care_minutes[i],
            on_time[i],
        )
        for i, first in enumerate(firsts)
    ]
