"""The use cases: log, edit, delete, undo, list, show, report, demo, export,
backup, db check, config init.

Each takes the values the command line gave (text as typed, or what the CLI
layer converted: a path, a whole number, a flag) and returns values: the
stored record, the report, the text of an export, with the notices to show.
Nothing here imports typer or rich, and nothing prints: ``rubdown.cli`` renders
what these return. Every value typed is checked here, and a value or a
combination rubdown cannot take is a ``UsageError`` (or its kind
``ParseError``) naming the option, whichever reader (the fast one or typer's)
read the line.

``log`` and ``edit`` read the typed fields through ``rubdown.fields``: one
loop over a kind's fields, none named here.
"""

from __future__ import annotations

from contextlib import contextmanager

from rubdown.errors import ParseError, RubdownError, UsageError

# Not ``from typing import TYPE_CHECKING``: importing typing costs a ``log`` a
# few milliseconds, and type checkers take this spelling as well.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import date, datetime
    from pathlib import Path
    from typing import Any

    from rubdown.analysis.period import Period
    from rubdown.analysis.report import Report
    from rubdown.config import Config
    from rubdown.models import Record
    from rubdown.parsing import When
    from rubdown.store import CheckResult, Store, Undone

FORMATS = ("table", "json", "csv", "markdown")  #: what a read command prints

#: What opening a database did unasked (a copy saved before an upgrade), one
#: line each. ``rubdown.cli`` sets ``tell`` to a function that shows the
#: lines as they happen (before the output they precede); without one they
#: wait in ``NOTICES``.
NOTICES: list[str] = []
tell: Callable[[list[str]], None] | None = None


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
        raise UsageError(f"'{fmt}' is not a format; use one of {', '.join(FORMATS)}.",
                         option="--format")  # fmt: skip
    if as_json and value != "json":
        raise UsageError(f"--json and --format {fmt} ask for two formats; give one of them",
                         option="--json")  # fmt: skip
    return value


def read_option(option: str, parse: Callable, text: str | None, default: object = None):
    """``parse(text)`` with the option named in any error; ``default`` when
    the option was not given (None). An empty value is parsed like any other,
    so ``--since ""`` is refused rather than ignored; text that is not valid
    UTF-8 (bytes a terminal in another encoding sent) is refused for every
    option."""
    from rubdown.parsing import check_text

    if text is None:
        return default
    try:
        return parse(check_text(text))
    except ParseError as exc:
        raise ParseError(str(exc), option=option) from None


def day_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """The days ``--since`` and ``--until`` give (None when not given); a
    since after the until is a usage error."""
    from rubdown import clock, parsing

    now = clock.now()
    day = lambda v: parsing.parse_date(v, now=now)  # noqa: E731
    since_d = read_option("--since", day, since)
    until_d = read_option("--until", day, until)
    if since_d and until_d and since_d > until_d:
        raise UsageError(f"{since_d} is after --until {until_d}", option="--since")
    return since_d, until_d


def record_id_problem(text: str) -> str:
    return f"'{text}' is not a record id; ids are whole numbers from 1 ('rubdown list' shows them)"


def record_id(text: str) -> int:
    """The record id ``text`` gives: a whole number SQLite can hold."""
    from rubdown.store import MAX_ID

    value = text.strip()
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID:
        return int(value)
    raise ParseError(record_id_problem(text))  # the CLI names the argument


def _open(db: Path | None, *, write: bool, create: bool | None = None) -> Store:
    """The database (``db``, else RUBDOWN_DB or the default), opened as
    ``Store.open`` does (``create=False``: a write that changes only what is
    there creates no database)."""
    from rubdown.paths import db_path

    return _open_path(db_path(db), write=write, create=create)


def _open_path(path: Path, *, write: bool, create: bool | None = None) -> Store:
    """The database at ``path``, opened as ``Store.open`` does; what opening
    it did unasked goes to ``tell`` (or ``NOTICES``)."""
    from rubdown.store import Store

    store = Store.open(path, write=write, create=create)
    if store.notices:
        (tell or NOTICES.extend)(list(store.notices))
    return store


# -- log and edit ---------------------------------------------------------------


class Written:
    """A record as ``log`` stored it or ``edit`` left it; ``when``: the
    ``--date`` as read (None when none was typed: the time is shown), and now;
    ``plan``: the plan a logged session fulfilled, if any."""

    __slots__ = ("record", "when", "now", "plan")

    def __init__(
        self, record: Record, when: When | None, now: datetime, plan: Record | None = None
    ) -> None:
        self.record = record
        self.when = when
        self.now = now
        self.plan = plan


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
    raise ParseError(f"{problem}{hint}", option="--distance and --time")


def log(kind: str, typed: dict[str, str | None], *, db: Path | None = None,
        cfg: Config | None = None, plan: int | None = None,
        no_plan: bool = False) -> Written:  # fmt: skip
    """Read the fields typed for a record of ``kind`` (field name -> text as
    typed; None or absent: not given), check them, and store the record.
    The session fulfils the plan ``plan`` (a usage error unless it is an open
    plan of its kind), none with ``no_plan``, else the nearest open plan of
    its kind within ``[plans] match_days`` (``analysis.plans.plan_for``)."""
    from rubdown import clock, fields, parsing
    from rubdown.models import TYPES_BY_KIND, new_record
    from rubdown.store import refuse_invalid

    cfg = cfg or settings()
    now = clock.now()
    context = fields.Context(units=cfg.units, currency=cfg.currency, kind=kind, now=now)
    values = fields.typed_values(kind, typed, context)
    when = values.pop("start", None)
    given: dict[str, Any] = {
        f.name: values.get(f.name, f.empty) for f in fields.of_kind(kind) if f.options
    }
    given["type"] = given["type"] or TYPES_BY_KIND[kind][0]
    if not isinstance(when, parsing.When):  # not typed: now, to the minute
        when = parsing.When(now.replace(second=0, microsecond=0), timed=True)
    given["start"] = when.start
    if kind == "run":
        check_pace(given["distance_m"], given["duration_s"], typed.get("distance_m"),
                   typed.get("duration_s"), cfg.units)  # fmt: skip
    record = new_record(kind, given)
    refuse_invalid(record, now=now)  # before the database is opened (or created)
    if plan is not None and no_plan:
        raise UsageError("Choose one: --plan ID or --no-plan, not both")

    with _open(db, write=True) as store:
        fulfilled = None if no_plan else _plan_fulfilled(store, record, plan, cfg)
        stored = store.add(record, plan_id=None if fulfilled is None else fulfilled.id)
    return Written(stored, when, now, fulfilled)


def _plan_fulfilled(store: Store, record: Record, plan_id: int | None, cfg: Config) -> Any:
    """The open plan the new session ``record`` fulfils: ``plan_id`` (a usage
    error unless it is an open plan of the session's kind; named, its type
    need not match), or the nearest within ``match_days`` (None when none
    fits)."""
    if plan_id is None:
        days = cfg.plan_match_days
        nearby = store.plans(open_only=True, around=(record.start, days))
        if not nearby:  # the usual log: rubdown.analysis stays unloaded
            return None
        from rubdown.analysis.plans import plan_for

        return plan_for(record.kind, record.type, record.start, nearby, match_days=days)
    found = next((p for p in store.plans(open_only=True) if p.id == plan_id), None)
    if found is None:
        raise UsageError(f"#{plan_id} is not an open plan; 'rubdown plan list' shows them",
                         option="--plan")  # fmt: skip
    if found.plan_kind != record.kind:
        raise UsageError(f"plan #{plan_id} plans a {found.plan_kind}, not a {record.kind}",
                         option="--plan")  # fmt: skip
    return found


def edit(record_id: int, typed: dict[str, str | None], *, db: Path | None = None,
         cfg: Config | None = None) -> Written:  # fmt: skip
    """Change the fields typed (field name -> text; ``""`` clears an optional
    field) of a record; each value is read as ``log`` reads it."""
    from rubdown import clock, fields, parsing

    given = {name: text for name, text in typed.items() if text is not None}
    if not given:
        raise UsageError(
            "nothing to change: give the fields to change, e.g. --distance 12k or --note ''"
        )
    cfg = cfg or settings()
    now = clock.now()
    with _open(db, write=True, create=False) as store:
        record = store.get(record_id)
        kind = record.kind
        changes: dict[str, object] = {}
        for field in fields.FIELDS:
            if field.name not in given:
                continue
            if kind not in field.kinds:
                allowed = ", ".join(f.option for f in fields.of_kind(kind) if f.options)
                raise UsageError(f"a {kind} has no {field.option[2:]}; fields of a {kind}: "
                                 f"{allowed}", option=field.option)  # fmt: skip
            if not given[field.name].strip():
                if not field.clearable:
                    raise UsageError("cannot be empty", option=field.option)
                changes[field.name] = field.empty
        typed_kind = getattr(record, "plan_kind", kind)  # a plan's values are its kind's
        context = fields.Context(units=cfg.units, currency=cfg.currency, kind=typed_kind, now=now)
        typed_values = {name: text for name, text in given.items() if name not in changes}
        values = fields.typed_values(kind, typed_values, context)
        when = values.pop("start", None)
        assert when is None or isinstance(when, parsing.When)  # typed_values reads a When
        if when is not None:
            changes["start"] = when.start
        changes.update(values)
        if kind == "run" and {"distance_m", "duration_s"} & set(changes):
            check_pace(
                changes.get("distance_m", getattr(record, "distance_m", None)),  # type: ignore[arg-type]
                changes.get("duration_s", getattr(record, "duration_s", None)),  # type: ignore[arg-type]
                given.get("distance_m"), given.get("duration_s"), cfg.units,
            )  # fmt: skip
        _, after = store.update(record_id, changes)
    return Written(after, when, now)


def delete(record_id: int, *, db: Path | None = None) -> Record:
    """Delete a record; return it as it was."""
    with _open(db, write=True, create=False) as store:
        return store.delete(record_id)


def undo(*, db: Path | None = None) -> Undone:
    """Revert the last write; what was undone."""
    with _open(db, write=True, create=False) as store:
        undone = store.undo()
    if undone is None:
        raise RubdownError("Nothing to undo: there is no write left to revert.")
    return undone


def _list_kind(text: str) -> str:
    """A kind of session (``parsing.parse_kind``), or ``plan``/``plans``."""
    from rubdown import parsing

    return "plan" if text.strip().lower() in ("plan", "plans") else parsing.parse_kind(text)


def list_records(
    *, db: Path | None = None, since: str | None = None, until: str | None = None,
    kind: str | None = None, search: str | None = None,
) -> tuple[list[Record], int]:  # fmt: skip
    """The records the filters select (``search``: words each record's note,
    therapist or event must hold), oldest first; and, when none does, how
    many the log holds (0 when it holds none or nothing was filtered)."""
    from rubdown.store.search import search_words

    since_d, until_d = day_range(since, until)
    kinds = None if kind is None else (read_option("--kind", _list_kind, kind),)
    words = read_option("--search", search_words, search)
    filtered = any(value is not None for value in (since, until, kind, search))
    with _open(db, write=False) as store:
        records = store.records(since=since_d, until=until_d, kinds=kinds, search=words)
        total = store.count() if not records and filtered else 0
    return records, total


def show(record_id: int, *, db: Path | None = None) -> Record:
    with _open(db, write=False) as store:
        return store.get(record_id)


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
    plans = store.plans(since=period.since, until=period.until)
    done = store.fulfilments() if plans else {}
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
    )
    return report


def report(
    *,
    db: Path | None = None,
    weeks: int | None = None,
    since: str | None = None,
    until: str | None = None,
    week: str | None = None,
    last_week: bool = False,
    within: str | None = None,
    every: str | None = None,
    self_care: bool | None = None,
) -> ReportPage:
    """Check the options and compute the report (``weeks`` is a whole number
    the CLI layer read, within 1 to 520)."""
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
    with gc_paused(), _open(db, write=False) as store:
        data = produce_report(
            store, period, cfg, window_hours=window, every_days=every_days,
            include_self_care=include,
        )  # fmt: skip
    return ReportPage(data, cfg.units, now, notices)


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


# -- files: export, backup, config ----------------------------------------------


def export(fmt: str, *, db: Path | None = None, since: str | None = None,
           until: str | None = None) -> tuple[str, int, str]:  # fmt: skip
    """The records (oldest first) as an export: its text, how many records
    it holds, and the format (json, csv or ics)."""
    from rubdown import clock
    from rubdown import export as exports

    value = fmt.strip().lower()
    if value not in exports.FORMATS:
        raise UsageError(f"'{fmt}' is not an export format; use one of "
                         f"{', '.join(exports.FORMATS)}.", option="--format")  # fmt: skip
    now = clock.now()
    since_d, until_d = day_range(since, until)
    with _open(db, write=False) as store:
        records = store.records(since=since_d, until=until_d)
        done = store.fulfilments() if value != "csv" else {}
        database, versions = store.plan_versions() if value == "ics" else ("", {})
    if value == "json":
        text = exports.to_json(records, {session: plan for plan, (session, _) in done.items()})
    elif value == "csv":
        text = exports.to_csv(records)
    else:
        text, records = _ics(records, done, database, versions, now=now, db=db)
    return text, len(records), value


def _ics(records: list[Record], done: dict, database: str, versions: dict, *, now: datetime,
         db: Path | None) -> tuple[str, list[Record]]:  # fmt: skip
    """``export --format ics``: the sessions, the plans still open (of the
    days exported), and the recovery to book before them (``due``'s items);
    the text and the records it holds."""
    from rubdown import export as exports
    from rubdown.analysis.due import BOOK_RECOVERY
    from rubdown.analysis.plans import OPEN, outcome
    from rubdown.models import Plan

    cfg = settings()
    sessions = [r for r in records if not isinstance(r, Plan)]
    match_days = cfg.plan_match_days
    plans = [
        r for r in records if isinstance(r, Plan)
        and outcome(r, done=done.get(r.id or 0), now=now, match_days=match_days).status == OPEN
    ]  # fmt: skip
    shown = {plan.id for plan in plans}
    items, _ = due(db=db, cfg=cfg)
    to_book = [(item.subject, item.due) for item in items
               if item.what == BOOK_RECOVERY and item.id in shown]  # fmt: skip
    text = exports.to_ics(
        sessions, units=cfg.units, currency=cfg.currency, stamp=now,
        plans=plans, to_book=to_book, database=database, versions=versions,
    )  # fmt: skip
    return text, [*sessions, *plans]


def write_export(dest: Path, data: bytes, *, overwrite: bool, db: Path | None = None) -> None:
    """Write ``data`` to ``dest`` with mode 0600 (it is health data), atomically
    (``rubdown.files``). Without ``overwrite`` an existing ``dest`` is refused,
    even one created while this runs; the database in use is refused even
    with it."""
    from rubdown import files
    from rubdown.paths import db_path, refuse_output_place

    refuse_output_place(dest, "export", database=db_path(db))
    taken = RubdownError(f"{dest} already exists; choose another name or pass --force.")
    if dest.exists() and not overwrite:
        raise taken
    try:
        files.write_private(dest, data, overwrite=overwrite)
    except FileExistsError:
        raise taken from None
    except OSError as exc:  # a full disk, a file size limit, a read-only folder
        raise RubdownError(
            f"Cannot write {dest}: {exc.strerror or exc}; nothing was written. Free some "
            "space or choose another place."
        ) from None


def database_exists(path: Path) -> bool:
    """Whether there is a database at ``path`` (or its WAL); what cannot be
    one (a folder, a device, a link to nothing) is refused with its reason."""
    from rubdown.store import refuse_unusable

    refuse_unusable(path)
    return path.exists() or path.with_name(path.name + "-wal").exists()


def check(*, db: Path | None = None) -> tuple[Path, CheckResult | None]:
    """Check the database's integrity (read-only): its path and the result
    (None: there is no database there yet). A damaged one is a RubdownError
    that says what to do."""
    from rubdown.paths import db_path
    from rubdown.store import check_database

    path = db_path(db)
    if not database_exists(path):
        return path, None
    result = check_database(path)  # a lost or unreadable file is a RubdownError
    if not result.ok:
        first = " ".join(result.problems[0].split())
        more = f" (+{len(result.problems) - 1} more problems)" if len(result.problems) > 1 else ""
        raise RubdownError(
            f"{path} is damaged: {first}{more}. Restore a copy made with 'rubdown db backup'; "
            "keep this file for recovery with the sqlite3 '.recover' command."
        )
    return path, result


def backup(file: Path, *, force: bool = False, db: Path | None = None) -> int:
    """Copy the database to ``file`` (mode 0600); the number of records copied."""
    from rubdown.paths import db_path
    from rubdown.store import backup as copy

    if not database_exists(db_path(db)):
        raise RubdownError(f"No database at {db_path(db)} to back up.")
    with _open(db, write=False) as store:
        return copy(store, file, overwrite=force)


def config_init() -> Path:
    """Write a commented configuration file with the defaults, if none
    exists; its path."""
    import os

    from rubdown import files
    from rubdown.paths import blocking_file, config_path
    from rubdown.render_config import template

    path = config_path()
    if path.is_dir():
        raise RubdownError(
            f"{path} is a folder, not a config file; set RUBDOWN_CONFIG to a file path."
        )
    taken = RubdownError(
        f"{path} already exists; rubdown leaves it as it is. Edit it ('rubdown config "
        "show' prints the settings in force), or set RUBDOWN_CONFIG to a new file path."
    )
    if os.path.lexists(path):
        raise taken
    blocker = blocking_file(path)
    if blocker is not None:
        raise RubdownError(
            f"Cannot write {path}: {blocker} is a file, not a folder; set RUBDOWN_CONFIG "
            "to another path."
        )
    try:
        files.make_private_folders(path.parent)
        files.write_private(path, template().encode("utf-8"))
    except FileExistsError:
        raise taken from None
    except OSError as exc:  # a read-only folder, a full disk
        raise RubdownError(
            f"Cannot write {path}: {exc.strerror or exc}; nothing was written. Set "
            "RUBDOWN_CONFIG to a writable place."
        ) from None
    return path


# -- plans (SPEC 10) -------------------------------------------------------------


def plan(kind: str, typed: dict[str, str | None], *, db: Path | None = None,
         cfg: Config | None = None) -> Written:  # fmt: skip
    """Read the fields typed for a plan of a ``kind`` session (as ``log``
    reads them; ``start``, the planned start, is required and may lie up to
    two years ahead) and store the plan."""
    from rubdown import clock, fields
    from rubdown.models import PLAN, new_record
    from rubdown.store import refuse_invalid

    cfg = cfg or settings()
    now = clock.now()
    context = fields.Context(units=cfg.units, currency=cfg.currency, kind=kind, now=now)
    values = fields.typed_values(kind, {k: v for k, v in typed.items() if k != "start"}, context)
    when = _plan_when(typed.get("start"), now)
    given: dict[str, Any] = {
        f.name: values.get(f.name, f.empty)
        for f in fields.of_kind(PLAN)
        if f.options and f.name != "start" and kind in f.kinds
    }
    if kind == "run":
        check_pace(given["distance_m"], given["duration_s"], typed.get("distance_m"),
                   typed.get("duration_s"), cfg.units)  # fmt: skip
    record = new_record(PLAN, {**given, "start": when.start, "plan_kind": kind})
    refuse_invalid(record, now=now)
    with _open(db, write=True) as store:
        stored = store.add(record)
    return Written(stored, when, now)


def _plan_when(text: str | None, now: datetime) -> When:
    """A plan's ``--date`` (required), read as ``parsing.read_plan_when`` reads it."""
    from rubdown import parsing

    if text is None:
        raise UsageError("a plan needs --date WHEN (e.g. 'mon 17:00' or 2026-12-07)")
    try:
        return parsing.read_plan_when(parsing.check_text(text), now=now)
    except ParseError as exc:
        raise ParseError(str(exc), option="--date") from None


def plan_list(*, everything: bool = False, db: Path | None = None,
              cfg: Config | None = None) -> tuple[list[Any], datetime]:  # fmt: skip
    """The plans as they stand now (``analysis.plans.PlanOutcome``s, oldest
    planned start first): the open ones, or with ``everything`` every plan
    with its status and slip; and now."""
    from rubdown import clock
    from rubdown.analysis import plans as planning

    cfg = cfg or settings()
    now = clock.now()
    with _open(db, write=False) as store:
        stored = store.plans()
        done = store.fulfilments()
    found = planning.outcomes(stored, done, now=now, match_days=cfg.plan_match_days)
    if not everything:
        found = [item for item in found if item.status == planning.OPEN]
    return found, now


def _plan_to_change(store: Store, plan_id: int, action: str) -> Any:
    """The plan ``plan_id`` for ``plan skip`` or ``plan move``: a usage error
    (exit 2) when there is no such plan or it was done."""
    from rubdown.errors import NotFound

    try:
        record = store.get(plan_id)
    except NotFound:
        record = None
    if record is None or record.kind != "plan":
        raise UsageError(f"no plan #{plan_id}; 'rubdown plan list --all' shows the plans")
    done = store.fulfilments().get(plan_id)
    if done is not None:
        raise UsageError(f"plan #{plan_id} was done (by #{done[0]}); there is nothing to {action}")
    return record


def plan_skip(plan_id: int, reason: str | None, *, db: Path | None = None) -> Record:
    """Mark an open plan skipped (``reason``: why); the plan as changed."""
    from rubdown import parsing

    note = None
    if reason is not None:
        try:
            note = parsing.parse_note(parsing.check_text(reason)) or None
        except ParseError as exc:
            raise ParseError(str(exc), option="--reason") from None
    with _open(db, write=True, create=False) as store:
        _plan_to_change(store, plan_id, "skip")
        _, after = store.update(plan_id, {"skipped": True, "skip_reason": note})
    return after


def plan_move(plan_id: int, date_text: str, *, db: Path | None = None) -> Written:
    """Move an open plan to ``--date``; the plan as moved (a skipped plan
    moved is open again)."""
    from rubdown import clock

    now = clock.now()
    when = _plan_when(date_text, now)
    with _open(db, write=True, create=False) as store:
        _plan_to_change(store, plan_id, "move")
        _, after = store.update(plan_id, {"start": when.start, "skipped": False,
                                          "skip_reason": None})  # fmt: skip
    return Written(after, when, now)


def due(*, db: Path | None = None, cfg: Config | None = None) -> tuple[list[Any], datetime]:
    """What needs doing now, most urgent first (``analysis.due.due_items``):
    recovery windows still open, open plans past their start or in the next
    days, recovery to book before a planned hard effort, the next massage by
    the cadence counted from the last massage done; and now. Reads only what
    that needs: the runs of the last windows (with ``load_days`` before them
    for the load rule), the recovery sessions since, the open plans and the
    last massage."""
    from datetime import timedelta

    from rubdown import clock
    from rubdown.analysis import HardEffortRules, follow_ups, hard_efforts
    from rubdown.analysis.due import due_items
    from rubdown.analysis.plans import OPEN, outcome
    from rubdown.models import Massage

    cfg = cfg or settings()
    now = clock.now()
    rules = HardEffortRules(types=cfg.hard_types, rpe=cfg.hard_rpe, load_factor=cfg.load_factor,
                            load_days=cfg.load_days, load_min_runs=cfg.load_min_runs)  # fmt: skip
    today = now.date()
    # An effort whose window may still be open ended at most window_hours ago
    # (a relay's legs start up to two days before its end).
    since = today - timedelta(days=int(cfg.window_hours // 24) + 3)
    with _open(db, write=False) as store:
        runs, massages, self_care = store.records_by_kind(
            since=since - timedelta(days=cfg.load_days + 2), until=today + timedelta(days=1),
            end=now,
        )  # fmt: skip
        plans = store.plans(open_only=True)
        last = store.latest("massage", before=today + timedelta(days=1))
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
    return items, now
