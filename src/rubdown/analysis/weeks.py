"""The weekly summary rows of SPEC section 5."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from rubdown.models import Massage, Run, SelfCare, Value

from . import load as load_context
from .followup import ON_TIME, FollowUp

MONDAY = 0
SUNDAY = 6


class WeekRow(Value):
    """One week of the report (SPEC 5): counts, sums, and minutes of massage
    by type (``(type, minutes)`` pairs, sorted by type); its load context
    (SPEC 13: ``analysis.load``), with ``rated``, the runs with an RPE.

    The load context is null (None) when ``rpe_coverage`` is under
    ``load.COVERAGE_MIN`` or null; ``load_change`` also when the 4 weeks
    before are not all in the log's history or carried no load."""

    FIELDS = ("week", "start", "runs", "distance_m", "duration_s", "load", "hard_efforts",
              "massages", "massage_minutes", "massage_minutes_by_type", "self_care_minutes",
              "on_time", "rated", "rpe_coverage", "load_change", "monotony",
              "strain")  # fmt: skip
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
        rated: int = 0,
        rpe_coverage: float | None = None,
        load_change: float | None = None,
        monotony: float | None = None,
        strain: int | None = None,
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
        self.rated = rated
        self.rpe_coverage = rpe_coverage
        self.load_change = load_change
        self.monotony = monotony
        self.strain = strain

    def to_json(self) -> dict:
        """The row in ``report --json`` (SPEC 6)."""
        return {
            "week": self.week,
            "start": self.start.isoformat(),
            "runs": self.runs,
            "distance_m": self.distance_m,
            "duration_s": self.duration_s,
            "load": self.load,
            "rpe_coverage": self.rpe_coverage,
            "load_change": self.load_change,
            "monotony": self.monotony,
            "strain": self.strain,
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
    first_run: date | None = None,
) -> list[WeekRow]:
    """One row per week overlapping [since, until], empty weeks included.

    A record counts when its local start date is in the period and it starts
    at or before ``report_end``; an effort (from ``follow_ups``) counts by its
    end the same way. ``self_care_minutes`` always counts self-care, whether
    or not it is a recovery session. ``load`` is rounded with ``round``.

    The load context (SPEC 13) reads the same runs as the row, and, for
    ``load_change``, the whole weeks before it (each week's load rounded as
    the row's is), which ``runs`` must hold from 4 weeks before the first
    week's first day; ``first_run`` is the local date of the first run ever
    logged (None: the earliest of ``runs``).
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

    before = load_context.WEEKS_BEFORE
    rated = [0] * count
    daily = [0] * (count * 7)  # RPE x seconds per day: whole numbers, exact
    whole = [0.0] * (count + before)  # whole weeks' loads, from 4 weeks before the first
    history_ordinal = first_ordinal - 7 * before
    earliest: date | None = None
    for run in runs:
        stamp = run.stamp
        if stamp > end_stamp:
            continue
        ordinal = run.start.toordinal()
        if first_run is None and (earliest is None or ordinal < earliest.toordinal()):
            earliest = run.start.date()
        session_load = run.load
        if session_load is not None and history_ordinal <= ordinal <= until_ordinal:
            whole[(ordinal - history_ordinal) // 7] += session_load
        index = row_index(run.start, stamp)
        if index >= 0:
            runs_n[index] += 1
            distance[index] += run.distance_m or 0.0
            duration[index] += run.duration_s or 0
            if run.rpe is not None:
                rated[index] += 1
            if session_load is not None:
                loads[index] += session_load
                daily[ordinal - first_ordinal] += run.rpe * run.duration_s  # type: ignore[operator]
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
    first_run = first_run or earliest
    # The index (in ``whole``) of the week of the first run: weeks before it
    # are not history, and a load_change reaching them is null.
    first_week = None if first_run is None else (
        (week_first_day(first_run, week_start).toordinal() - history_ordinal) // 7
    )  # fmt: skip
    week_loads = [round(x) for x in whole]
    contexts = [
        _load_context(round(loads[i]), runs_n[i], rated[i], daily[i * 7:i * 7 + 7],
                      None if first_week is None or i < first_week else week_loads[i:i + before])
        for i in range(count)
    ]  # fmt: skip
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
            rated[i],
            *contexts[i],
        )
        for i, first in enumerate(firsts)
    ]


def _load_context(
    load: int, runs: int, rated: int, daily: list[int], before: list[int] | None
) -> tuple[float | None, float | None, float | None, int | None]:
    """``rpe_coverage``, ``load_change``, ``monotony`` (2 decimals) and
    ``strain`` of a week (SPEC 13); ``before``: the loads of the 4 weeks
    before it, None when they are not all in the log's history."""
    coverage = load_context.rpe_coverage(rated, runs)
    if not load_context.covered(coverage):
        return coverage, None, None, None
    spread = load_context.monotony(daily)
    return (
        coverage,
        load_context.load_change(load, before),
        None if spread is None else round(spread, 2),
        load_context.strain(load, spread),
    )
