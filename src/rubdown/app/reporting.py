"""The use cases that read the log as a whole: ``report``, ``demo`` and
``due``. No typer, no printing (see ``rubdown.app``)."""

from __future__ import annotations

from contextlib import contextmanager

from rubdown.app import _open, _open_path, read_option, settings
from rubdown.errors import RubdownError, UsageError

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import date, datetime
    from pathlib import Path
    from typing import IO, Any

    from rubdown.analysis import HardEffortRules
    from rubdown.analysis.period import Period
    from rubdown.analysis.report import Report
    from rubdown.analysis.spend import BudgetView
    from rubdown.config import Config
    from rubdown.store import Store
    from rubdown.streaming import Fields


# -- report and demo ------------------------------------------------------------


class ReportPage:
    """A report with what showing it takes: the report (``analysis.Report``),
    the units, now, and the notices to show with it."""

    __slots__ = ("report", "units", "now", "notices")

    def __init__(self, report: Report, units: str, now: datetime,
                 notices: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.report = report
        self.units = units
        self.now = now
        self.notices = notices


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off for a while.

    A report over a long history makes hundreds of thousands of objects, none
    of them in a reference cycle, and every few thousand the collector walks
    them all again: a tenth of a full-history report's time, for nothing.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def produce_report(
    store: Store,
    period: Period,
    cfg: Config,
    *,
    window_hours: float,
    every_days: int | None,
    include_self_care: bool,
) -> Report:
    """Read what the period needs and build the report."""

    from datetime import timedelta

    from rubdown.analysis import build_report
    from rubdown.analysis.report import history_since
    from rubdown.analysis.wellness import AROUND_DAYS, PERSISTENT_DAYS
    from rubdown.analysis.wellness import history_since as wellness_since
    from rubdown.models import Massage

    rules = effort_rules(cfg)
    # Runs from load_days (+2 for relay legs) before the period feed rule 3,
    # and the 4 weeks before its first week each week's load_change.
    fetch_since = history_since(period.since, rules, cfg.week_start_index)
    runs, massages, self_care = store.records_by_kind(
        since=fetch_since, until=period.until, end=period.end
    )
    first_run = store.first_day("run", end=period.end)
    if not massages:
        earlier = store.latest("massage", before=fetch_since)
        if isinstance(earlier, Massage):  # or None: latest("massage") gives no other
            massages.append(earlier)
    plans = store.plans(since=period.since, until=period.until)
    done = store.fulfilments() if plans else {}
    this_month = None
    if cfg.budget is not None:  # the whole of the last month, for the budget
        this_month = month_spent(store, period.until, period.end)
    recent = period.end.date() - timedelta(days=PERSISTENT_DAYS)  # for Needs attention
    check_ins = store.check_ins(
        since=min(wellness_since(period.since), recent),
        until=period.until + timedelta(days=AROUND_DAYS),
    )
    report = build_report(
        runs,
        massages,
        self_care,
        since=period.since,
        until=period.until,
        report_end=period.end,
        rules=rules,
        window_hours=window_hours,
        every_days=every_days,
        include_self_care=include_self_care,
        week_start=cfg.week_start_index,
        plans=plans,
        plans_done=done,
        match_days=cfg.plan_match_days,
        first_run=first_run,
        currency=cfg.currency,
        budget=cfg.budget,
        this_month_cents=this_month,
        check_ins=check_ins,
    )
    return report


def effort_rules(cfg: Config) -> HardEffortRules:
    """The hard-effort rules the config sets."""
    from rubdown.analysis.efforts import HardEffortRules

    return HardEffortRules(
        types=cfg.hard_types,
        rpe=cfg.hard_rpe,
        load_factor=cfg.load_factor,
        load_days=cfg.load_days,
        load_min_runs=cfg.load_min_runs,
    )


#: A report --json of more weeks than this is streamed (``report_document``),
#: in chunks of at most this many weeks: its memory stays flat in the
#: history's length. A shorter one is built whole, which is a little faster.
STREAM_WEEKS = 52
#: A chunk holds about this many records on the log's average (at least 8
#: weeks: each chunk reads the weeks before it again).
CHUNK_RECORDS = 5000
#: The chunks of weeks before the log begins are this long.
EMPTY_WEEKS = 520


def report_document(
    store: Store,
    period: Period,
    cfg: Config,
    *,
    window_hours: float,
    every_days: int | None,
    include_self_care: bool,
) -> Fields:
    """The ``report --json`` document of ``period``, equal to
    ``produce_report(...).to_json()`` but built as it is written
    (``rubdown.streaming``): the weeks and the hard efforts are computed a
    chunk of weeks at a time (about ``CHUNK_RECORDS``, at most
    ``STREAM_WEEKS`` weeks; ``analysis.report.report_chunk`` on that chunk's
    records, read with their history); each week is written as
    its chunk is done, each effort spooled to a temporary file until the
    recovery counts before them are known; regularity and spend are counted
    as the chunks go (their tallies), and the sections after ``weeks`` are
    made when the writer reaches them. ``store`` must stay open until the
    document is written."""
    import marshal
    import tempfile
    from datetime import timedelta

    from rubdown.analysis.followup import PENDING
    from rubdown.analysis.load import WEEKS_BEFORE
    from rubdown.analysis.regularity import RegularityTally
    from rubdown.analysis.report import (
        RecoveryTally,
        attention,
        effort_json,
        history_since,
        period_json,
        report_chunk,
        report_plans,
        seen_by,
    )
    from rubdown.analysis.spend import Budget, SpendTally
    from rubdown.analysis.weeks import week_first_day
    from rubdown.analysis.wellness import AROUND_DAYS, wellness
    from rubdown.analysis.wellness import history_since as wellness_since
    from rubdown.models import Massage
    from rubdown.streaming import Fields, Items, Later

    rules = effort_rules(cfg)
    week_start = cfg.week_start_index
    since, until, end = period.since, period.until, period.end
    end_stamp = end.timestamp()
    first_run = store.first_day("run", end=end)
    # A long period often begins long before the log: its chunks read nothing.
    firsts = (first_run, *(store.first_day(kind, end=end) for kind in ("massage", "self-care")))
    known = [day for day in firsts if day is not None]
    first_record = min(known, default=until + timedelta(days=1))
    span = max(1, (until - max(since, first_record)).days + 1)
    per_week = store.count() * 7 / span
    chunk_weeks = max(8, min(STREAM_WEEKS, int(CHUNK_RECORDS / per_week) if per_week else 99))
    kinds = ("massage", "self-care") if include_self_care else ("massage",)
    recovery = RecoveryTally()
    regular = RegularityTally(since=since, until=until, every_days=every_days)
    spent = SpendTally(since=since, until=until, currency=cfg.currency)
    pending: list[Any] = []
    last: list[Massage] = []  # the latest massage read, once one is
    # Each chunk's efforts, marshalled (exact, and far cheaper than JSON); closed
    # once read back, and a temporary file is gone on close.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    # Each chunk's wellness weeks and soreness around its massages, likewise.
    rated_weeks = tempfile.TemporaryFile()  # noqa: SIM115
    rated_around = tempfile.TemporaryFile()  # noqa: SIM115
    order = lambda record: (record.stamp, record.id)  # noqa: E731

    def chunks() -> Iterator[tuple[date, date]]:
        first = since
        # Weeks long before the first record are empty: longer chunks of them.
        empty_until = week_first_day(first_record, week_start) - timedelta(weeks=WEEKS_BEFORE + 1)
        while first <= until:
            start = week_first_day(first, week_start)
            following = start + timedelta(weeks=chunk_weeks)
            if following <= empty_until:
                following = min(start + timedelta(weeks=EMPTY_WEEKS), empty_until)
            yield first, min(following - timedelta(days=1), until)
            first = following

    def weeks() -> Iterator[list[dict]]:
        for first, final in chunks():
            # Two days more: the later legs of an event that began in the chunk.
            read_until = min(final + timedelta(days=3), until)
            runs, massages, care = seen_by(end_stamp, *(
                ([], [], []) if read_until < first_record else store.records_by_kind(
                    since=history_since(first, rules, week_start), until=read_until, end=end)
            ))  # fmt: skip
            if read_until < until and runs:  # the first session after what was read
                following = store.first_after(kinds, after=read_until, until=until, end=end)
                if following is not None and following.stamp <= end_stamp:
                    if isinstance(following, Massage):
                        massages.append(following)
                    else:
                        care.append(following)  # type: ignore[arg-type]
            rows, followed = report_chunk(
                runs, massages, care, since=first, until=final, report_end=end, rules=rules,
                window_hours=window_hours, include_self_care=include_self_care,
                week_start=week_start, first_run=first_run,
            )  # fmt: skip
            marshal.dump([effort_json(recovery.add(f)) for f in followed], spool)
            rated = wellness(
                store.check_ins(since=wellness_since(first), until=final + timedelta(
                    days=AROUND_DAYS)), massages, since=first, until=final,
                end_day=end.date(), week_start=week_start,
            )  # fmt: skip
            marshal.dump([week.to_json() for week in rated.weeks], rated_weeks)
            marshal.dump([item.to_json() for item in rated.around_massage], rated_around)
            pending.extend(f for f in followed if f.status == PENDING)
            inside = sorted((m for m in massages if first <= m.start.date() <= final), key=order)
            for massage in inside:
                regular.add(massage)
                spent.add(massage)
            latest = max(massages, key=order, default=None)
            if latest is not None and (not last or order(latest) > order(last[0])):
                last[:] = [latest]
            yield [row.to_json() for row in rows]

    def spooled_batches(spooled_file: IO[bytes]) -> Iterator[object]:
        """What was spooled to ``spooled_file``, a batch at a time, once the
        chunks are done (the generator starts when the writer reaches it)."""
        size = spooled_file.tell()
        spooled_file.seek(0)
        while spooled_file.tell() < size:
            yield marshal.load(spooled_file)
        spooled_file.close()

    def wellness_json() -> dict:
        return Fields({"weeks": Items(spooled_batches(rated_weeks), batches=True),
                       "around_massage": Items(spooled_batches(rated_around), batches=True)})

    def recovery_json() -> dict:
        shown = Fields(recovery.result().to_json())
        shown["efforts"] = Items(spooled_batches(spool), batches=True)
        return shown

    def attention_json() -> dict:
        if not last:
            earlier = store.latest("massage", before=history_since(since, rules, week_start))
            if isinstance(earlier, Massage):
                last.append(earlier)
        return attention(pending, last, window_hours=window_hours, every_days=every_days,
                         report_end=end).to_json()  # fmt: skip

    def plans_json() -> dict:
        plans = store.plans(since=since, until=until)
        done = store.fulfilments() if plans else {}
        return report_plans(plans, done, since, until, end, cfg.plan_match_days)

    def spend_json() -> dict:
        this_month = month_spent(store, until, end) if cfg.budget is not None else None
        return spent.result(Budget.of(cfg.budget), this_month).to_json()

    return Fields({
        "period": period_json(period),
        "window_hours": window_hours,
        "weeks": Items(weeks(), batches=True),
        "recovery": Later(recovery_json),
        "regularity": Later(lambda: regular.result().to_json()),
        "attention": Later(attention_json),
        "plans": Later(plans_json),
        "wellness": Later(wellness_json),
        "spend": Later(spend_json),
    })


def month_spent(store: Store, day: date, end: datetime) -> int:
    """What the massages of ``day``'s month cost (cents), up to ``end``."""
    first = day.replace(day=1)
    return sum(store.spend_by_month(since=first, until=day, end=end).values())


def report(*, db: Path | None = None, **given: Any) -> ReportPage:
    """Check the options (``_report_request`` names them; ``weeks`` is a
    whole number the CLI layer read, within 1 to 520) and compute the report."""
    cfg, now, period, options, notices = _report_request(**given)
    with gc_paused(), _open(db, write=False) as store:
        data = produce_report(store, period, cfg, **options)
    return ReportPage(data, cfg.units, now, notices)


def report_json(
    write: Callable[[tuple[str, ...], object], None], *, db: Path | None = None, **given: Any
) -> None:
    """``report`` for ``report --json``: ``write(notices, document)`` is
    called with the store open. A period of more than ``STREAM_WEEKS``
    weeks gives a streamed document (``report_document``), any other the
    whole report's JSON."""
    cfg, now, period, options, notices = _report_request(**given)
    with gc_paused(), _open(db, write=False) as store:
        if (period.until - period.since).days >= 7 * STREAM_WEEKS:
            write(notices, report_document(store, period, cfg, **options))
        else:
            write(notices, produce_report(store, period, cfg, **options).to_json())


def _report_request(
    *,
    weeks: int | None = None,
    since: str | None = None,
    until: str | None = None,
    week: str | None = None,
    last_week: bool = False,
    within: str | None = None,
    every: str | None = None,
    self_care: bool | None = None,
) -> tuple[Config, datetime, Period, dict[str, Any], tuple[str, ...]]:
    """The report's options checked: the config, now, the period, the
    options of ``produce_report`` and the notices to show."""
    from rubdown import clock, parsing
    from rubdown.analysis.period import report_period

    cfg = settings()
    now = clock.now()
    chosen = [name for name, given in (
        ("--weeks", weeks is not None), ("--since", since is not None),
        ("--week", week is not None), ("--last-week", last_week),
    ) if given]  # fmt: skip
    if until is not None and (week is not None or last_week):
        chosen.append("--until")
    if len(chosen) > 1:
        raise UsageError(f"choose one way to set the period, not {' and '.join(chosen)}")
    day = lambda v: parsing.parse_date(v, now=now)  # noqa: E731
    since_d = read_option("--since", day, since)
    until_d = read_option("--until", day, until)
    iso_week = read_option("--week", parsing.parse_iso_week, week)
    if since_d and until_d and since_d > until_d:
        raise UsageError(f"{since_d} is after --until {until_d}", option="--since")
    if since_d and since_d > now.date():
        raise UsageError(f"{since_d} is in the future; a report reads up to today at the "
                         "latest", option="--since")  # fmt: skip
    try:
        period = report_period(
            now, weeks=weeks, since=since_d, until=until_d, week=iso_week, last_week=last_week,
            week_start=cfg.week_start_index,
        )  # fmt: skip
    except ValueError:  # only a --week that has not begun starts after today
        raise UsageError(f"{iso_week} has not begun yet; a report reads up to today at the "
                         "latest", option="--week") from None  # fmt: skip
    window = read_option("--within", parsing.parse_hours, within, cfg.window_hours)
    every_days = read_option("--every", parsing.parse_period_days, every, cfg.every_days)
    include = cfg.self_care if self_care is None else self_care
    notices: tuple[str, ...] = ()
    if until_d and until_d > period.until:
        notices = (f"--until {until_d} is after today: the report ends now, {period.until}.",)
    options = {"window_hours": window, "every_days": every_days, "include_self_care": include}
    return cfg, now, period, options, notices


def demo(*, db: Path | None = None) -> tuple[ReportPage, Path | None]:
    """Write the demo season into a new database (``db``; None: a temporary
    one, removed afterwards) and report on it; the database kept, if any."""
    import shutil
    import tempfile
    from pathlib import Path

    from rubdown import clock
    from rubdown.analysis.period import report_period
    from rubdown.demo import EVERY_DAYS, WEEKS, season
    from rubdown.paths import db_path

    cfg = settings()
    now = clock.now()
    if db is not None:
        path = db_path(db)
        if path.exists():
            with _open_path(path, write=False) as existing:
                if existing.count():
                    raise RubdownError(
                        f"{path} already holds {existing.count()} records; the demo writes "
                        "only to a new or empty database. Pick another --db path."
                    )
    temporary = None if db is not None else tempfile.mkdtemp(prefix="rubdown-demo-")
    if temporary is not None:
        path = Path(temporary) / "demo.db"
    try:
        with _open_path(path, write=True) as store:
            store.add_many(season(now), source="demo")
            period = report_period(now, weeks=WEEKS, week_start=cfg.week_start_index)
            data = produce_report(
                store, period, cfg, window_hours=cfg.window_hours, every_days=EVERY_DAYS,
                include_self_care=False,
            )  # fmt: skip
    finally:
        if temporary is not None:  # nothing of the demo is left behind
            shutil.rmtree(temporary, ignore_errors=True)
    return ReportPage(data, cfg.units, now), None if temporary is not None else path


def due(*, db: Path | None = None, cfg: Config | None = None) -> tuple[list[Any], datetime]:
    """What needs doing now, most urgent first (``analysis.due.due_items``):
    recovery windows still open, open plans past their start or in the next
    days, recovery to book before a planned hard effort, the next massage by
    the cadence counted from the last massage done; and now. Reads only what
    that needs: the runs of the last windows (with ``load_days`` before them
    for the load rule), the recovery sessions since, the open plans and the
    last massage."""
    from rubdown import clock

    cfg = cfg or settings()
    now = clock.now()
    with _open(db, write=False) as store:
        return due_items_of(store, cfg, now), now


def due_items_of(store: Store, cfg: Config, now: datetime) -> list[Any]:
    """``due``'s items from an open store (``export --format ics`` reads its
    recovery to book through the store it exports from)."""
    from datetime import timedelta

    from rubdown.analysis.due import due_items
    from rubdown.analysis.efforts import hard_efforts, history_since
    from rubdown.analysis.followup import follow_ups
    from rubdown.analysis.plans import OPEN, outcome
    from rubdown.models import Massage

    rules = effort_rules(cfg)
    today = now.date()
    # An effort whose window may still be open ended at most window_hours ago
    # (a relay's legs start up to two days before its end).
    since = today - timedelta(days=int(cfg.window_hours // 24) + 3)
    runs, massages, self_care = store.records_by_kind(
        since=history_since(since, rules), until=today + timedelta(days=1), end=now,
    )  # fmt: skip
    plans = store.plans(open_only=True)
    last = store.latest("massage", before=today + timedelta(days=1))
    spent = month_spent(store, today, now) if cfg.budget is not None else None
    efforts = [e for e in hard_efforts(runs, rules) if e.end.date() >= since]
    sessions: list[Any] = [*massages, *(self_care if cfg.self_care else ())]
    followed = follow_ups(efforts, sessions, window_hours=cfg.window_hours, report_end=now)
    match_days = cfg.plan_match_days
    still_open = [
        p for p in plans if outcome(p, done=None, now=now, match_days=match_days).status == OPEN
    ]
    items = due_items(
        now=now, follow_ups=followed, window_hours=cfg.window_hours, open_plans=still_open,
        hard_types=cfg.hard_types,
        recovery_kinds=("massage", "self-care") if cfg.self_care else ("massage",),
        book_lead_days=cfg.book_lead_days,
        last_massage=last.start if isinstance(last, Massage) else None,
        every_days=cfg.every_days,
    )  # fmt: skip
    if spent is not None:  # a month over budget: last, as SPEC 10 lists it
        from rubdown.analysis.due import budget_items

        items += budget_items(now=now, spent_cents=spent, budget=cfg.budget)
    return items


def budget(*, db: Path | None = None) -> BudgetView:
    """``rubdown budget`` (SPEC 12): the last months' spend against the
    budget, the average price of the latest massages with a cost, and the
    cadence it affords (``analysis.spend.budget_view``). Reads two sums: the
    months' costs and the latest costs."""
    from rubdown import clock
    from rubdown.analysis.spend import (
        BUDGET_MONTHS,
        PRICE_MASSAGES,
        Budget,
        budget_view,
        months_back,
    )

    cfg = settings()
    now = clock.now()
    today = now.date()
    first = months_back(today, BUDGET_MONTHS)[0]
    with _open(db, write=False) as store:
        months = store.spend_by_month(since=date_of(first), until=today, end=now)
        costs = store.recent_costs(end=now, limit=PRICE_MASSAGES)
    return budget_view(months, costs, today=today, currency=cfg.currency,
                       budget=Budget.of(cfg.budget))  # fmt: skip


def date_of(month: str) -> date:
    """The first day of the month ``2026-11``."""
    from datetime import date

    return date(int(month[:4]), int(month[5:7]), 1)
