"""The report (SPEC section 6) as a typed value, and its ``report --json`` shape.

``build_report`` gives a ``Report``: the period, the weeks, the recovery of
each hard effort (with its runs, so a renderer needs nothing beside it), the
massage regularity and what needs attention. Hours are rounded to 2
decimals as the JSON shows them, so every rendering says the same numbers.
``Report.to_json()`` is the stable JSON (keys never renamed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

from rubdown.models import CheckIn, Massage, Run, SelfCare, Value

from ._numbers import Floats
from .efforts import HardEffortRules, RunGroup, hard_efforts  # noqa: F401
from .efforts import history_since as efforts_history_since
from .followup import LATE, MISSED, ON_TIME, PENDING, FollowUp, Session, follow_ups
from .load import WEEKS_BEFORE
from .period import Period
from .plans import MATCH_DAYS, outcomes, plans_section
from .regularity import Regularity, regularity
from .spend import Budget, Spend, spend
from .weeks import MONDAY, WeekRow, week_first_day, weekly_rows
from .wellness import Wellness, wellness

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from typing import Any


def _rounded(hours: float | None) -> float | None:
    return None if hours is None else round(hours, 2)


class EffortLine(Value):
    """One hard effort of the period: its run group, why it is hard, its
    status, the session that followed (if any) and the lag or the wait."""

    FIELDS = ("group", "reasons", "status", "follow_up", "lag_hours", "waiting_hours")
    __slots__ = FIELDS

    def __init__(
        self,
        group: RunGroup,
        reasons: tuple[str, ...],
        status: str,
        follow_up: Session | None,
        lag_hours: float | None,
        waiting_hours: float | None,
    ) -> None:
        self.group = group
        self.reasons = reasons
        self.status = status
        self.follow_up = follow_up
        self.lag_hours = lag_hours
        self.waiting_hours = waiting_hours

    def to_json(self, follow_up: dict | None) -> dict:
        group = self.group
        return {
            "run_ids": list(group.run_ids),
            "event": group.event,
            "start": group.start.isoformat(),
            "end": group.end.isoformat(),
            "reasons": list(self.reasons),
            "status": self.status,
            "follow_up": follow_up,
            "lag_hours": self.lag_hours,
            "waiting_hours": self.waiting_hours,
            "distance_m": group.distance_m,
            "duration_s": group.duration_s,
        }


def _session_json(session: Session) -> dict:
    return {
        "kind": session.kind,
        "id": session.id,
        "type": session.type,
        "start": session.start.isoformat(),
        "minutes": session.minutes,
    }


class Recovery(Value):
    """How the period's hard efforts were followed: counts by status, the
    on-time rate (of the decided ones), lags, and each effort."""

    FIELDS = ("hard_efforts", "on_time", "late", "missed", "pending", "rate",
              "median_lag_hours", "max_lag_hours", "efforts")  # fmt: skip
    __slots__ = FIELDS

    def __init__(
        self,
        hard_efforts: int,
        on_time: int,
        late: int,
        missed: int,
        pending: int,
        rate: float | None,
        median_lag_hours: float | None,
        max_lag_hours: float | None,
        efforts: tuple[EffortLine, ...],
    ) -> None:
        self.hard_efforts = hard_efforts
        self.on_time = on_time
        self.late = late
        self.missed = missed
        self.pending = pending
        self.rate = rate
        self.median_lag_hours = median_lag_hours
        self.max_lag_hours = max_lag_hours
        self.efforts = efforts

    def to_json(self) -> dict:
        out = {name: getattr(self, name) for name in self.FIELDS[:-1]}
        # One dict per session, shared by the efforts it followed: a massage
        # often follows several efforts, and JSON writes a shared dict each time.
        sessions: dict[int | None, dict] = {}
        efforts = []
        for line in self.efforts:
            session = line.follow_up
            shown = None
            if session is not None:
                shown = sessions.get(session.id)
                if shown is None:
                    shown = sessions[session.id] = _session_json(session)
            efforts.append(line.to_json(shown))
        out["efforts"] = efforts
        return out


class RecoveryTally:
    """The recovery section counted one effort at a time (oldest first): the
    whole report adds every follow-up at once (``recovery``), a streamed one
    chunk by chunk. Lags are kept as compact floats (``Floats``)."""

    __slots__ = ("counts", "lags")

    def __init__(self) -> None:
        self.counts = {status: 0 for status in (ON_TIME, LATE, MISSED, PENDING)}
        self.lags = Floats()

    def add(self, follow_up: FollowUp) -> EffortLine:
        """Count ``follow_up`` and give its line."""
        self.counts[follow_up.status] += 1
        effort = follow_up.effort
        lag = follow_up.lag_hours
        if follow_up.session is not None:
            assert lag is not None  # a follow-up with a session has its lag
            self.lags.append(lag)
        return EffortLine(
            effort.group, effort.reasons, follow_up.status, follow_up.session,
            _rounded(lag), _rounded(follow_up.waiting_hours),
        )  # fmt: skip

    def result(self, lines: tuple[EffortLine, ...] = ()) -> Recovery:
        """The section of what was added (``lines``: their lines, if kept)."""
        counts, lags = self.counts, self.lags
        decided = counts[ON_TIME] + counts[LATE] + counts[MISSED]
        return Recovery(
            sum(counts.values()),
            counts[ON_TIME],
            counts[LATE],
            counts[MISSED],
            counts[PENDING],
            round(counts[ON_TIME] / decided, 4) if decided else None,
            _rounded(lags.median()) if lags else None,
            _rounded(lags.max()) if lags else None,
            lines,
        )


def recovery(followed: Sequence[FollowUp]) -> Recovery:
    """The recovery of the efforts ``followed`` (SPEC 3)."""
    tally = RecoveryTally()
    return tally.result(tuple(tally.add(follow_up) for follow_up in followed))


class Waiting(Value):
    """A hard effort still waiting for recovery at the report's end: how long
    it has waited and how long is left of the window (hours, rounded)."""

    FIELDS = ("group", "reasons", "waiting_hours", "hours_left")
    __slots__ = FIELDS

    def __init__(
        self,
        group: RunGroup,
        reasons: tuple[str, ...],
        waiting_hours: float | None,
        hours_left: float | None,
    ) -> None:
        self.group = group
        self.reasons = reasons
        self.waiting_hours = waiting_hours
        self.hours_left = hours_left

    def to_json(self) -> dict:
        return {
            "run_ids": list(self.group.run_ids),
            "event": self.group.event,
            "end": self.group.end.isoformat(),
            "reasons": list(self.reasons),
            "waiting_hours": self.waiting_hours,
            "hours_left": self.hours_left,
        }


class Attention(Value):
    """What needs doing at the report's end: the efforts waiting, the last
    massage's start, when the next is due by the cadence, whether it is late."""

    FIELDS = ("pending", "last_massage", "next_massage_due", "massage_overdue")
    __slots__ = FIELDS

    def __init__(
        self,
        pending: tuple[Waiting, ...],
        last_massage: datetime | None,
        next_massage_due: date | None,
        massage_overdue: bool,
    ) -> None:
        self.pending = pending
        self.last_massage = last_massage
        self.next_massage_due = next_massage_due
        self.massage_overdue = massage_overdue

    def to_json(self) -> dict:
        last, due = self.last_massage, self.next_massage_due
        return {
            "pending": [waiting.to_json() for waiting in self.pending],
            "last_massage": None if last is None else last.isoformat(),
            "next_massage_due": None if due is None else due.isoformat(),
            "massage_overdue": self.massage_overdue,
        }


def attention(
    followed: Sequence[FollowUp],
    massages: Sequence[Massage],
    *,
    window_hours: float,
    every_days: int | None,
    report_end: datetime,
) -> Attention:
    pending = tuple(
        Waiting(
            f.effort.group,
            f.effort.reasons,
            _rounded(f.waiting_hours),
            _rounded(window_hours - (f.waiting_hours or 0.0)),
        )
        for f in followed
        if f.status == PENDING
    )
    last = max(massages, key=lambda massage: (massage.stamp, massage.id), default=None)
    due: date | None = None
    if last is not None and every_days is not None:
        due = last.start.date() + timedelta(days=every_days)
    return Attention(
        pending,
        None if last is None else last.start,
        due,
        due is not None and report_end.date() > due,
    )


class Report(Value):
    """The whole report of a period (SPEC 6)."""

    FIELDS = ("period", "window_hours", "weeks", "recovery", "regularity", "attention",
              "plans", "spend", "wellness")  # fmt: skip
    __slots__ = FIELDS

    def __init__(
        self,
        period: Period,
        window_hours: float,
        weeks: tuple[WeekRow, ...],
        recovery: Recovery,
        regularity: Regularity,
        attention: Attention,
        plans: dict | None = None,
        spend: Spend | None = None,
        wellness: Wellness | None = None,
    ) -> None:
        self.period = period
        self.window_hours = window_hours
        self.weeks = weeks
        self.recovery = recovery
        self.regularity = regularity
        self.attention = attention
        #: ``analysis.plans.plans_section`` of the plans in the period (SPEC 10)
        self.plans = plans if plans is not None else plans_section([])
        #: what the period's massages cost (SPEC 12)
        self.spend = spend if spend is not None else _spend_of(period)
        #: how the days were rated (SPEC 11)
        self.wellness = wellness if wellness is not None else Wellness()

    def to_json(self) -> dict:
        """The stable ``report --json`` shape (SPEC 6)."""
        return {
            "period": period_json(self.period),
            "window_hours": self.window_hours,
            "weeks": [week.to_json() for week in self.weeks],
            "recovery": self.recovery.to_json(),
            "regularity": self.regularity.to_json(),
            "attention": self.attention.to_json(),
            "plans": self.plans,
            "wellness": self.wellness.to_json(),
            "spend": self.spend.to_json(),
        }


def period_json(period: Period) -> dict:
    """The report's ``period`` object."""
    return {
        "since": period.since.isoformat(),
        "until": period.until.isoformat(),
        "end": period.end.isoformat(),
    }


def effort_json(line: EffortLine) -> dict:
    """One item of the report's ``recovery.efforts``."""
    session = line.follow_up
    return line.to_json(None if session is None else _session_json(session))


def _spend_of(period: Period) -> Spend:
    """The spend of a period without massages (a report built without it)."""
    return spend((), since=period.since, until=period.until, currency="USD")


def history_since(since: date, rules: HardEffortRules, week_start: int | None = None) -> date:
    """The first day a report of a period that begins on ``since`` must read:
    the load rule (rule 3) looks back ``rules.load_days`` before each run, and
    the legs of an event may begin up to two days before the period does.
    With ``week_start`` (a report's weeks), also the 4 weeks before the first
    week, whose loads its ``load_change`` compares with (SPEC 13)."""
    first = efforts_history_since(since, rules)
    if week_start is None:
        return first
    weeks_before = week_first_day(since, week_start) - timedelta(weeks=WEEKS_BEFORE)
    return min(first, weeks_before)


def build_report(
    runs: Sequence[Run],
    massages: Sequence[Massage],
    self_care: Sequence[SelfCare],
    *,
    since: date,
    until: date,
    report_end: datetime,
    rules: HardEffortRules | None = None,
    window_hours: float = 72,
    every_days: int | None = None,
    include_self_care: bool = False,
    week_start: int = MONDAY,
    plans: Sequence[Any] = (),
    plans_done: Mapping[int, tuple[int, datetime]] | None = None,
    match_days: int = MATCH_DAYS,
    first_run: date | None = None,
    currency: str = "USD",
    budget: tuple[int, str] | None = None,
    this_month_cents: int | None = None,
    check_ins: Sequence[CheckIn] = (),
) -> Report:
    """The full report of [since, until] as seen at ``report_end``.

    Pass runs from ``history_since(since, rules, week_start)`` on, so rule
    3, event groups and each week's load context see their history;
    ``first_run``: the local date of the first run ever logged (None: the
    earliest of ``runs``), before whose week no load_change reaches. Records
    starting after ``report_end`` are dropped first, so an earlier end never
    reveals anything later.

    ``plans``: plans (any order); those whose planned start lies in the
    period make the ``plans`` section, each as it stood at ``report_end``
    (``plans_done``: a plan's id -> the (id, start) of the session that
    fulfilled it; one after ``report_end`` is not seen).

    ``currency``, ``budget`` (the config's ``(cents, "month" | "week")``) and
    ``this_month_cents`` (what the whole of ``until``'s month cost up to
    ``report_end``) make the ``spend`` section (``analysis.spend``).

    ``check_ins``: the check-ins ``analysis.wellness.wellness`` reads (from
    ``wellness.history_since(since)`` on), for the ``wellness`` section.
    """
    if report_end.tzinfo is None or report_end.utcoffset() is None:
        raise ValueError("report_end must be an aware datetime")
    if until < since:
        raise ValueError(f"until ({until}) is before since ({since})")
    rules = rules or HardEffortRules()
    end_stamp = report_end.timestamp()  # floats compare far faster than datetimes
    runs, massages, self_care = seen_by(end_stamp, runs, massages, self_care)
    weeks, followed = report_chunk(
        runs,
        massages,
        self_care,
        since=since,
        until=until,
        report_end=report_end,
        rules=rules,
        window_hours=window_hours,
        include_self_care=include_self_care,
        week_start=week_start,
        first_run=first_run,
    )
    return Report(
        Period(since, until, report_end),
        window_hours,
        tuple(weeks),
        recovery(followed),
        regularity(
            massages, since=since, until=until, every_days=every_days, report_end=report_end
        ),
        attention(
            followed,
            massages,
            window_hours=window_hours,
            every_days=every_days,
            report_end=report_end,
        ),
        report_plans(plans, plans_done or {}, since, until, report_end, match_days),
        spend(massages, since=since, until=until, currency=currency, budget=Budget.of(budget),
              this_month_cents=this_month_cents),
        wellness(check_ins, massages, since=since, until=until, end_day=report_end.date(),
                 week_start=week_start),  # fmt: skip
    )


def seen_by(
    end_stamp: float,
    runs: Iterable[Run],
    massages: Iterable[Massage],
    self_care: Iterable[SelfCare],
) -> tuple[list[Run], list[Massage], list[SelfCare]]:
    """The records that start at or before ``end_stamp`` (a report's end as
    epoch seconds): a report never sees anything later."""
    return (
        [run for run in runs if run.stamp <= end_stamp],
        [massage for massage in massages if massage.stamp <= end_stamp],
        [session for session in self_care if session.stamp <= end_stamp],
    )


def report_chunk(
    runs: Sequence[Run],
    massages: Sequence[Massage],
    self_care: Sequence[SelfCare],
    *,
    since: date,
    until: date,
    report_end: datetime,
    rules: HardEffortRules,
    window_hours: float,
    include_self_care: bool,
    week_start: int,
    first_run: date | None,
) -> tuple[list[WeekRow], list[FollowUp]]:
    """The weeks overlapping [since, until] and the follow-up of each hard
    effort that ended in it (oldest first): what ``build_report`` computes
    for its whole period, and a streamed report for each of its chunks.

    The records are those ``seen_by`` the report's end, from
    ``history_since(since, rules, week_start)`` on, and up to two days after
    ``until`` when the report goes on past it (an event's later legs); the
    sessions must reach past ``until`` far enough to hold the first one after
    each effort (``build_report``: up to the report's end).
    """
    end_stamp = report_end.timestamp()
    efforts = [
        effort
        for effort in hard_efforts(runs, rules)
        if effort.group.end_stamp <= end_stamp and since <= effort.end.date() <= until
    ]
    sessions: list[Session] = [*massages, *(self_care if include_self_care else ())]
    followed = follow_ups(efforts, sessions, window_hours=window_hours, report_end=report_end)
    weeks = weekly_rows(
        runs,
        massages,
        self_care,
        followed,
        since=since,
        until=until,
        report_end=report_end,
        week_start=week_start,
        first_run=first_run,
    )
    return weeks, followed


def report_plans(
    plans: Sequence[Any],
    done: Mapping[int, tuple[int, datetime]],
    since: date,
    until: date,
    report_end: datetime,
    match_days: int,
) -> dict:
    """The report's ``plans`` section: the plans planned in [since, until],
    oldest first, as they stood at ``report_end``."""
    end_stamp = report_end.timestamp()
    seen = {plan_id: d for plan_id, d in done.items() if d[1].timestamp() <= end_stamp}
    inside = sorted((p for p in plans if since <= p.start.date() <= until),
                    key=lambda p: (p.start.timestamp(), p.id))  # fmt: skip
    return plans_section(outcomes(inside, seen, now=report_end, match_days=match_days))
