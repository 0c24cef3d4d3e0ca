"""``rubdown brief``: what a massage therapist or a coach is shown, gathered.

No typer, no printing: ``brief`` checks the options, reads what the brief
needs and returns a ``Brief``; ``render_brief`` words it. It states what was
logged and never interprets it.
"""

from __future__ import annotations

from rubdown.app import _open, read_option, settings
from rubdown.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date, datetime
    from pathlib import Path

    from rubdown.models import CheckIn, Massage, Plan, Run, SelfCare

AUDIENCES = ("therapist", "coach")
BRIEF_FORMATS = ("markdown", "html")
INCLUDABLE = ("notes", "costs", "therapist")  #: left out unless --include names them
COACH_DAYS = 28  #: a coach's block without --since: the last 4 weeks, today included
THERAPIST_DAYS = 28  #: a therapist's brief with no massage logged and no --since


class Brief:
    """What a brief says: who it is for, the days it covers (``since_reason``:
    why it starts there), the report of those days as ``report --json`` has
    it, the runs, self-care and massages of the days, the last massage, the
    next planned hard effort, the sore areas (from check-ins) and what
    ``--include`` let in."""

    __slots__ = ("audience", "since", "until", "now", "since_reason", "report", "runs",
                 "self_care", "massages", "last_massage", "next_hard", "sore", "include",
                 "units", "currency", "fmt")  # fmt: skip

    def __init__(
        self,
        *,
        audience: str,
        since: date,
        until: date,
        now: datetime,
        since_reason: str,
        report: dict,
        runs: dict[int | None, Run],
        self_care: list[SelfCare],
        massages: list[Massage],
        last_massage: Massage | None,
        next_hard: Plan | None,
        sore: list[tuple[str, list[int]]],
        include: frozenset[str],
        units: str,
        currency: str,
        fmt: str,
    ) -> None:
        self.audience = audience
        self.since = since
        self.until = until
        self.now = now
        self.since_reason = since_reason
        self.report = report
        self.runs = runs
        self.self_care = self_care
        self.massages = massages
        self.last_massage = last_massage
        self.next_hard = next_hard
        self.sore = sore
        self.include = include
        self.units = units
        self.currency = currency
        self.fmt = fmt


def choice(option: str, text: str, accepted: Sequence[str], what: str) -> str:
    value = text.strip().lower()
    if value == "md" and "markdown" in accepted:
        value = "markdown"
    if value not in accepted:
        raise UsageError(f"'{text}' is not {what}; use {' or '.join(accepted)}", option=option)
    return value


def included(text: str | None) -> frozenset[str]:
    """The names ``--include`` gives (comma-separated), each checked."""
    if text is None:
        return frozenset()
    names = [name.strip().lower() for name in text.split(",")]
    for name, typed in zip(names, text.split(","), strict=True):
        if name not in INCLUDABLE:
            raise UsageError(f"'{typed.strip()}' is not something a brief can include; use "
                             f"{', '.join(INCLUDABLE)} (comma-separated)",
                             option="--include")  # fmt: skip
    return frozenset(names)


def sore_areas(check_ins: Sequence[CheckIn]) -> list[tuple[str, list[int]]]:
    """Sore areas and their trend: overall soreness (when rated) and each
    area rated in ``check_ins`` (oldest first), with its ratings in order;
    empty without check-ins, and the brief then shows no such section."""
    overall = [c.soreness for c in check_ins if c.soreness is not None]
    trend: dict[str, list[int]] = {}
    for check_in in check_ins:
        for area, rating in check_in.sore:
            trend.setdefault(area, []).append(rating)
    return ([("overall soreness", overall)] if overall else []) + sorted(trend.items())


def next_hard_plan(plans: Sequence[Plan], hard_types: Sequence[str], now: datetime) -> Plan | None:
    """The soonest open run plan from now on whose type makes it a hard effort."""
    ahead = [p for p in plans if p.plan_kind == "run" and p.type in hard_types and p.start >= now]
    return min(ahead, key=lambda p: (p.start.timestamp(), p.id), default=None)


def brief(
    *,
    db: Path | None = None,
    audience: str | None = None,
    since: str | None = None,
    fmt: str | None = None,
    include: str | None = None,
) -> Brief:
    """Check the options, read the log and gather the brief."""
    from datetime import timedelta

    from rubdown import clock, parsing
    from rubdown.analysis.period import report_period
    from rubdown.app.reporting import produce_report
    from rubdown.models import Massage

    who = choice("--for", audience, AUDIENCES, "an audience") if audience else "therapist"
    shape = choice("--format", fmt, BRIEF_FORMATS, "a brief format") if fmt else "markdown"
    let_in = included(include)
    cfg = settings()
    now = clock.now()
    today = now.date()
    since_d: date | None = read_option("--since", lambda v: parsing.parse_date(v, now=now), since)
    if since_d is not None and since_d > today:
        raise UsageError(f"{since_d} is in the future; a brief reads up to today at the latest",
                         option="--since")  # fmt: skip
    with _open(db, write=False) as store:
        last = store.latest("massage", before=today + timedelta(days=1))
        last_massage = last if isinstance(last, Massage) else None
        if since_d is not None:
            start, reason = since_d, "--since"
        elif who == "coach":
            start, reason = today - timedelta(days=COACH_DAYS - 1), "the last 4 weeks"
        elif last_massage is not None:
            start, reason = last_massage.start.date(), "the last massage"
        else:
            start = today - timedelta(days=THERAPIST_DAYS - 1)
            reason = "no massage logged; the last 4 weeks"
        period = report_period(now, since=start, week_start=cfg.week_start_index)
        report = produce_report(store, period, cfg, window_hours=cfg.window_hours,
                                every_days=cfg.every_days,
                                include_self_care=cfg.self_care)  # fmt: skip
        runs, massages, self_care = store.records_by_kind(since=period.since, until=period.until,
                                                          end=now)  # fmt: skip
        plans = store.plans(open_only=True)
        check_ins = store.check_ins(since=period.since, until=period.until)
    after = None
    if last_massage is not None and reason == "the last massage":
        after = last_massage.start
    data = report.to_json()
    if after is not None:  # since the last massage: what came after it, not before it that day
        recovery = data["recovery"]
        recovery["efforts"] = [e for e in recovery["efforts"] if _after(e["end"], after)]
        self_care = [s for s in self_care if s.start > after]
    return Brief(
        audience=who, since=period.since, until=period.until, now=now, since_reason=reason,
        report=data, runs={r.id: r for r in _sorted(runs)}, self_care=_sorted(self_care),
        massages=_sorted(massages), last_massage=last_massage,
        next_hard=next_hard_plan(plans, cfg.hard_types, now), sore=sore_areas(check_ins),
        include=let_in, units=cfg.units, currency=cfg.currency, fmt=shape,
    )  # fmt: skip


def _after(iso: str, moment: datetime) -> bool:
    from datetime import datetime

    return datetime.fromisoformat(iso) > moment


def _sorted(records: Sequence[Run | SelfCare | Massage]) -> list:
    return sorted(records, key=lambda r: (r.start.timestamp(), r.id or 0))
