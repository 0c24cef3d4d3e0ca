"""``log`` and ``report`` below the command-line layer.

The typer commands (``log_cmd``, ``report_cmd``) and the fast path in
``rubdown.cli.fast`` (a well-formed command line, run without importing
typer) both end here, so they check, store, compute and print alike. Nothing
here imports typer: a usage error found here is a ``UsageError``, which the
typer commands turn into typer's own ``BadParameter`` and on which the fast
path hands the command line to typer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from rubdown.errors import UsageError

# Not ``from typing import TYPE_CHECKING``: importing typing costs a ``log`` a
# few milliseconds, and type checkers take this spelling as well.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime
    from typing import TypeVar

    from rubdown.analysis.period import Period
    from rubdown.analysis.report import Report
    from rubdown.config import Config
    from rubdown.models import Record
    from rubdown.parsing import When
    from rubdown.store import Store

    T = TypeVar("T")
    D = TypeVar("D")
if not TYPE_CHECKING:

    def overload(function):  # all typing.overload does at run time
        return function

else:
    from typing import overload

FORMATS = ("table", "json", "csv", "markdown")


@overload
def parsed(option: str, parse: Callable[[str], T], value: str) -> T: ...
@overload
def parsed(option: str, parse: Callable[[str], T], value: str | None) -> T | None: ...
@overload
def parsed(option: str, parse: Callable[[str], T], value: str | None, default: D) -> T | D: ...
def parsed(
    option: str, parse: Callable[[str], T], value: str | None, default: D | None = None
) -> T | D | None:
    """``parse(value)``, with the option's name in front of any error.

    An option that was not given (None) gives ``default``; an empty value is
    passed to the parser like any other, so ``--distance ""`` is refused
    rather than silently ignored. Text that is not valid UTF-8 (bytes a
    terminal in another encoding sent) is refused for every option.
    """
    from rubdown.errors import ParseError
    from rubdown.parsing import check_text

    if value is None:
        return default
    try:
        return parse(check_text(value))
    except ParseError as exc:
        raise ParseError(f"{option}: {exc}") from None


def say(line: str) -> None:
    """A confirmation or notice: one line on stderr, so stdout stays data.

    User text in it (notes, names, paths) is made safe to print here, the
    one way every confirmation goes out."""
    from rubdown.render import clean

    print(clean(line, one_line=False), file=sys.stderr)


def tell(notices: list[str]) -> None:
    """What the store did unasked (a copy saved before an upgrade), one line
    each on stderr: every command that opens a database says it."""
    from rubdown.render import clean

    for line in notices:
        print(clean(line), file=sys.stderr)


def open_store(path: Path, *, write: bool, create: bool | None = None) -> Store:
    """The database at ``path``, opened as ``Store.open`` does; what opening
    it did unasked is told at once (``tell``)."""
    from rubdown.store import Store

    store = Store.open(path, write=write, create=create)
    tell(store.notices)
    return store


def settings() -> Config:
    from rubdown.config import load_config

    return load_config()


def output_format(fmt: str | None, as_json: bool) -> str:
    """The format ``--format`` (None: not given, a table) and ``--json`` ask for;
    ``--json`` with another ``--format`` is a conflict, refused."""
    if fmt is None:
        return "json" if as_json else "table"
    value = fmt.strip().lower()
    if value == "md":
        value = "markdown"
    if value not in FORMATS:
        raise UsageError(
            f"'{fmt}' is not a format; use one of {', '.join(FORMATS)}.", hint="'--format'"
        )
    if as_json and value != "json":
        raise UsageError(
            f"--json and --format {fmt} ask for two formats; give one of them",
            hint="'--json'",
        )
    return value


def when(value: str | None) -> tuple[When, datetime]:
    """What ``--date`` says (now, to the minute, when not given), and now."""
    from rubdown import clock, parsing

    now = clock.now()
    if value is None:
        return parsing.When(now.replace(second=0, microsecond=0), timed=True), now
    return parsed("--date", lambda v: parsing.read_when(v, now=now), value), now


def confirmation(verb: str, record: Record, cfg: Config, now: datetime, date: When | None) -> str:
    """``Logged run #12 · Sat 21 Nov 07:30 · …``: the time is left out only for
    a date typed without one, and a time the clocks skipped is said."""
    from rubdown.render import summary

    with_time = None if date is None else date.timed
    line = f"{verb} {summary(record, cfg.units, cfg.currency, now, with_time=with_time)}"
    if date is not None and date.notice:
        line += f" · {date.notice}"
    return line


def _store(
    kind: str, fields: dict, db: Path | None, now: datetime, cfg: Config, date: When
) -> Record:
    from rubdown.paths import db_path
    from rubdown.store import refuse_invalid

    refuse_invalid(kind, fields, now=now)  # before the database is opened (or created)
    with open_store(db_path(db), write=True) as store:
        record = store.add(kind, fields)
    say(confirmation("Logged", record, cfg, now, date))
    return record


def _typed_unit(text: str, units: tuple[str, ...]) -> bool:
    """Whether ``text`` ends in one of ``units`` after a number (``6m``, ``45 s``)."""
    word = text.strip().lower().lstrip("0123456789.,+- ")
    return word in units


def check_pace(
    distance_m: float | None,
    duration_s: int | None,
    distance: str | None,
    time: str | None,
    units: str,
) -> None:
    """Refuse a run whose pace cannot be true (``parsing.pace_problem``), saying
    how the values typed (``distance``, ``time``; None if not typed) were read."""
    from rubdown import parsing
    from rubdown.errors import ParseError

    problem = parsing.pace_problem(distance_m, duration_s, unit=units)
    if problem is None:
        return
    hints = []
    if distance is not None and _typed_unit(distance, ("m", "metre", "metres", "meter", "meters")):
        hints.append(f"'{distance.strip()}' is metres (mi is miles)")
    elif distance is not None and _typed_unit(distance, ("",)):
        hints.append(f"'{distance.strip()}' is {units}, your units")
    if time is not None and _typed_unit(time, ("s", "sec", "secs", "second", "seconds")):
        hints.append(f"'{time.strip()}' is seconds (m or a bare number is minutes)")
    elif time is not None and _typed_unit(time, ("",)):
        hints.append(f"'{time.strip()}' is minutes (s is seconds)")
    hint = f"; {', '.join(hints)}" if hints else "; check both values"
    raise ParseError(f"--distance and --time: {problem}{hint}")


def log_run(
    db: Path | None,
    *,
    date: str | None = None,
    distance: str | None = None,
    time: str | None = None,
    type_: str | None = None,
    rpe: str | None = None,
    event: str | None = None,
    leg: str | None = None,
    note: str | None = None,
    cfg: Config | None = None,
) -> Record:
    """Check every value as typed, store the run, and confirm it."""
    from rubdown import parsing

    cfg = cfg or settings()
    start, now = when(date)
    run_type = parsed("--type", parsing.parse_run_type, type_, "easy")
    distance_m = parsed("--distance", lambda v: parsing.parse_distance(v, unit=cfg.units), distance)
    duration_s = parsed("--time", parsing.parse_duration, time)
    fields = {
        "start": start.start,
        "type": run_type,
        "distance_m": distance_m,
        "duration_s": duration_s,
        "rpe": parsed("--rpe", parsing.parse_rpe, rpe),
        "event": parsed("--event", parsing.parse_name, event),
        "leg": parsed("--leg", parsing.parse_leg, leg),
        "note": parsed("--note", parsing.parse_note, note) or None,
    }
    check_pace(distance_m, duration_s, distance, time, cfg.units)
    return _store("run", fields, db, now, cfg, start)


def log_massage(
    db: Path | None,
    *,
    type_: str,
    minutes: str,
    date: str | None = None,
    therapist: str | None = None,
    cost: str | None = None,
    focus: str | None = None,
    note: str | None = None,
) -> Record:
    """Check every value as typed, store the massage, and confirm it."""
    from rubdown import parsing

    cfg = settings()
    fields = {
        "type": parsed("--type", parsing.parse_massage_type, type_),
        "minutes": parsed("--minutes", parsing.parse_minutes, minutes),
        "therapist": parsed("--therapist", parsing.parse_name, therapist),
        "cost_cents": parsed(
            "--cost", lambda v: parsing.parse_cost(v, currency=cfg.currency), cost
        ),
        "focus": parsed("--focus", parsing.parse_focus, focus, ()),
        "note": parsed("--note", parsing.parse_note, note) or None,
    }
    start, now = when(date)
    fields["start"] = start.start
    return _store("massage", fields, db, now, cfg, start)


def log_self_care(
    db: Path | None,
    *,
    type_: str,
    minutes: str,
    date: str | None = None,
    note: str | None = None,
) -> Record:
    """Check every value as typed, store the session, and confirm it."""
    from rubdown import parsing

    cfg = settings()
    fields = {
        "type": parsed("--type", parsing.parse_self_care_type, type_),
        "minutes": parsed("--minutes", parsing.parse_minutes, minutes),
        "note": parsed("--note", parsing.parse_note, note) or None,
    }
    start, now = when(date)
    fields["start"] = start.start
    return _store("self-care", fields, db, now, cfg, start)


# -- report ---------------------------------------------------------------


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
) -> tuple[Report, dict]:
    """Read what the period needs and build the report; also the runs by id."""
    from datetime import timedelta

    from rubdown.analysis import HardEffortRules, build_report
    from rubdown.models import Massage

    rules = HardEffortRules(
        types=cfg.hard_types,
        rpe=cfg.hard_rpe,
        load_factor=cfg.load_factor,
        load_days=cfg.load_days,
        load_min_runs=cfg.load_min_runs,
    )
    # Runs from load_days (+2 for relay legs) before the period feed rule 3.
    fetch_since = period.since - timedelta(days=cfg.load_days + 2)
    runs, massages, self_care = store.records_by_kind(
        since=fetch_since, until=period.until, end=period.end
    )
    if not massages:
        earlier = store.latest("massage", before=fetch_since)
        if isinstance(earlier, Massage):  # or None: latest("massage") gives no other
            massages.append(earlier)
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
    )
    return report, {r.id: r for r in runs}


def show_report(report: Report, runs: dict, fmt: str, units: str, now: datetime) -> None:
    from rubdown import render_report

    if fmt == "json":
        from rubdown.render import print_json

        print_json(report.to_json())
    elif fmt == "csv":
        render_report.print_csv(report)
    elif fmt == "markdown":
        render_report.print_markdown(report, units, now)
    else:
        render_report.print_table(report, units, now)


def report(
    db: Path | None,
    *,
    weeks: int | None = None,
    since: str | None = None,
    until: str | None = None,
    week: str | None = None,
    last_week: bool = False,
    within: str | None = None,
    every: str | None = None,
    self_care: bool | None = None,
    fmt: str | None = None,
    as_json: bool = False,
) -> None:
    """Check the options, compute the report and print it."""
    from rubdown import clock, parsing
    from rubdown.analysis.period import report_period

    fmt = output_format(fmt, as_json)
    cfg = settings()
    now = clock.now()
    chosen = [name for name, given in (
        ("--weeks", weeks is not None), ("--since", since is not None),
        ("--week", week is not None), ("--last-week", last_week),
    ) if given]  # fmt: skip
    if until is not None and (week is not None or last_week):
        chosen.append("--until")
    if len(chosen) > 1:
        raise UsageError(
            f"choose one way to set the period, not {' and '.join(chosen)}",
            hint="'rubdown report'",
        )
    day = lambda v: parsing.parse_date(v, now=now)  # noqa: E731
    since_d = parsed("--since", day, since)
    until_d = parsed("--until", day, until)
    week = parsed("--week", parsing.parse_iso_week, week)
    if since_d and until_d and since_d > until_d:
        raise UsageError(f"{since_d} is after --until {until_d}", hint="'--since'")
    if since_d and since_d > now.date():
        raise UsageError(
            f"{since_d} is in the future; a report reads up to today at the latest",
            hint="'--since'",
        )
    try:
        period = report_period(
            now, weeks=weeks, since=since_d, until=until_d, week=week, last_week=last_week,
            week_start=cfg.week_start_index,
        )  # fmt: skip
    except ValueError:  # only a --week that has not begun starts after today
        raise UsageError(
            f"{week} has not begun yet; a report reads up to today at the latest",
            hint="'--week'",
        ) from None
    window = parsed("--within", parsing.parse_hours, within, cfg.window_hours)
    every_days = parsed("--every", parsing.parse_period_days, every, cfg.every_days)
    include = cfg.self_care if self_care is None else self_care
    if until_d and until_d > period.until:  # said last: a usage error prints nothing else
        say(f"--until {until_d} is after today: the report ends now, {period.until}.")
    with gc_paused():
        from rubdown.paths import db_path

        with open_store(db_path(db), write=False) as store:
            data, runs = produce_report(
                store, period, cfg, window_hours=window, every_days=every_days,
                include_self_care=include,
            )  # fmt: skip
        show_report(data, runs, fmt, cfg.units, now)
