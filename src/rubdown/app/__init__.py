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

from rubdown.errors import ParseError, RubdownError, UsageError

# Not ``from typing import TYPE_CHECKING``: importing typing costs a ``log`` a
# few milliseconds, and type checkers take this spelling as well.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date, datetime
    from pathlib import Path
    from typing import Any

    from rubdown.config import Config
    from rubdown.models import CheckIn, Record
    from rubdown.parsing import When
    from rubdown.paths import PathLike
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


def output_format(fmt: str | None, as_json: bool, also: tuple[str, ...] = ()) -> str:
    """The format ``--format`` (None: not given, a table) and ``--json`` ask for
    (``also``: the formats this command adds to ``FORMATS``); ``--json`` with
    another ``--format`` is a conflict, refused."""
    if fmt is None:
        return "json" if as_json else "table"
    value = fmt.strip().lower()
    if value == "md":
        value = "markdown"
    accepted = FORMATS + also
    if value not in accepted:
        raise UsageError(f"'{fmt}' is not a format; use one of {', '.join(accepted)}.",
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
    from rubdown.parsing import read_option as read

    return default if text is None else read(option, parse, text)


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


def _open(db: PathLike | None, *, write: bool, create: bool | None = None) -> Store:
    """The database (``db``, else RUBDOWN_DB or the default), opened as
    ``Store.open`` does (``create=False``: a write that changes only what is
    there creates no database)."""
    from rubdown.paths import db_file

    return _open_path(db_file(db), write=write, create=create)


def _open_path(path: PathLike, *, write: bool, create: bool | None = None) -> Store:
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


class CheckedIn:
    """A check-in as ``log check-in`` left it: ``kept`` is None for a new
    one, else the names of the values the day's check-in already held and
    kept (it was updated); ``now`` when it was logged."""

    __slots__ = ("record", "now", "kept")

    def __init__(self, record: CheckIn, now: datetime, kept: tuple[str, ...] | None) -> None:
        self.record = record
        self.now = now
        self.kept = kept


#: What a check-in rates (``--date`` and ``--note`` aside), in the fields' order.
RATINGS = ("soreness", "sore", "fatigue", "sleep", "stress", "mood")


def check_in(typed: dict[str, str | None], *, db: Path | None = None) -> CheckedIn:
    """Record how the runner feels on a day (SPEC 11): the values typed
    (field name -> text; ``start`` is the day, default today, never ahead).
    One check-in per local day: when the day has one, the values given
    replace its values and the others are kept (an ``edit``, so ``undo``
    restores them; sore areas are merged area by area). Without
    ``--soreness``, overall soreness is the highest sore area's rating."""
    from rubdown import clock, fields, parsing
    from rubdown.models import CHECK_IN, CheckIn, new_record

    now = clock.now()
    given = {name: text for name, text in typed.items() if text is not None}
    day_text = given.pop("start", None)
    if not given:
        raise UsageError("nothing to record: give at least one of --soreness, --sore, --fatigue, "
                         "--sleep, --stress, --mood, --note (or run it on a terminal to be "
                         "asked)")  # fmt: skip
    today = now.date()
    day = today if day_text is None else read_option(
        "--date", lambda t: parsing.parse_date(t, now=now), day_text)
    if day > today:
        raise UsageError(f"{day.isoformat()} is ahead of today ({today.isoformat()}); a "
                         "check-in is for today or a day before", option="--date")  # fmt: skip
    context = fields.Context(kind=CHECK_IN, now=now)
    values = fields.typed_values(CHECK_IN, given, context)
    noon = parsing.read_when(f"{day.isoformat()} 12:00", now=now).start
    with _open(db, write=True) as store:
        found = store.check_ins(since=day, until=day)
        if not found:
            if values.get("sore") and values.get("soreness") is None:
                values["soreness"] = max(n for _, n in values["sore"])  # type: ignore[attr-defined]
            stored = store.add(new_record(CHECK_IN, {"start": noon, **values}))
            assert isinstance(stored, CheckIn)
            return CheckedIn(stored, now, None)
        prior = found[0]
        kept_areas: tuple[str, ...] = ()
        if values.get("sore"):
            given_areas = dict(values["sore"])  # type: ignore[call-overload]
            kept_areas = tuple(area for area, _ in prior.sore if area not in given_areas)
            merged = dict(prior.sore)
            merged.update(values["sore"])  # type: ignore[call-overload]
            values["sore"] = tuple(merged.items())
            if "soreness" not in values:
                values["soreness"] = max(merged.values())
        kept = tuple(name for name in (*RATINGS, "note")
                     if name not in values and getattr(prior, name) not in (None, ()))  # fmt: skip
        kept += kept_areas  # areas rated earlier that day and not rated again
        _, after = store.update(prior.id or 0, values)
    assert isinstance(after, CheckIn)
    return CheckedIn(after, now, kept)


def _check_in_day(store: Store, record_id: int, day: date, now: datetime) -> datetime:
    """The start of check-in ``record_id`` moved to ``day`` (its 12:00): a
    usage error when the day is ahead of today or has a check-in already."""
    from rubdown import parsing

    if day > now.date():
        raise UsageError(f"{day.isoformat()} is ahead of today ({now.date().isoformat()}); a "
                         "check-in is for today or a day before", option="--date")  # fmt: skip
    taken = [c.id for c in store.check_ins(since=day, until=day) if c.id != record_id]
    if taken:
        raise UsageError(f"{day.isoformat()} has check-in #{taken[0]} already; one check-in a "
                         "day (edit that one, or delete it first)", option="--date")  # fmt: skip
    return parsing.read_when(f"{day.isoformat()} 12:00", now=now).start


def edit(record_id: int, typed: dict[str, str | None], *, db: Path | None = None,
         cfg: Config | None = None) -> Written:  # fmt: skip
    """Change the fields typed (field name -> text; ``""`` clears an optional
    field) of a record; each value is read as ``log`` reads it."""
    from rubdown import clock, fields, parsing
    from rubdown.models import CHECK_IN

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
            if field not in fields.of_kind(kind):
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
            if kind == CHECK_IN:  # a check-in is a day: its noon, one per day
                changes["start"] = _check_in_day(store, record_id, when.start.date(), now)
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
    """A kind of session (``parsing.parse_kind``), ``plan`` or ``check-in``."""
    from rubdown import parsing

    return parsing.parse_record_kind(text)


#: What ``list --missing`` finds missing: the run fields a runner fills in later.
MISSING_FIELDS = ("rpe",)


def _missing_field(text: str) -> str:
    value = text.strip().lower()
    if value not in MISSING_FIELDS:
        raise ParseError(f"'{text}' cannot be listed as missing; use "
                         f"{', '.join(MISSING_FIELDS)}")  # fmt: skip
    return value


def list_records(
    *, db: Path | None = None, since: str | None = None, until: str | None = None,
    kind: str | None = None, search: str | None = None, missing: str | None = None,
) -> tuple[list[Record], int]:  # fmt: skip
    """The records the filters select (``search``: words each record's note,
    therapist or event must hold; ``missing``: ``rpe``, the runs without
    one), oldest first; and, when none does, how many the log holds (0 when
    it holds none or nothing was filtered)."""
    from rubdown.store.search import search_words

    since_d, until_d = day_range(since, until)
    kinds = None if kind is None else (read_option("--kind", _list_kind, kind),)
    words = read_option("--search", search_words, search)
    lacking = read_option("--missing", _missing_field, missing)
    if lacking is not None:
        if kinds is not None and kinds != ("run",):
            raise UsageError(f"only runs have an {lacking}; leave out --kind {kinds[0]} "
                             "(or --kind run)", option="--missing")  # fmt: skip
        kinds = ("run",)
    filtered = any(value is not None for value in (since, until, kind, search, missing))
    with _open(db, write=False) as store:
        records = store.records(since=since_d, until=until_d, kinds=kinds, search=words)
        if lacking is not None:
            records = [r for r in records if getattr(r, lacking, None) is None]
        total = store.count() if not records and filtered else 0
    return records, total


def show(record_id: int, *, db: Path | None = None) -> Record:
    with _open(db, write=False) as store:
        return store.get(record_id)


# -- files: export, backup, config ----------------------------------------------


def export(fmt: str, *, db: Path | None = None, since: str | None = None,
           until: str | None = None) -> tuple[str, int, str]:  # fmt: skip
    """The records (oldest first) as an export: its text, how many records
    it holds, and the format (json, csv, ics or ledger: the massages with a
    cost, as transactions)."""
    from rubdown import clock
    from rubdown import export as exports

    value = fmt.strip().lower()
    if value not in exports.FORMATS:
        raise UsageError(f"'{fmt}' is not an export format; use one of "
                         f"{', '.join(exports.FORMATS)}.", option="--format")  # fmt: skip
    now = clock.now()
    since_d, until_d = day_range(since, until)
    due_items: list = []
    with _open(db, write=False) as store:
        records = store.records(since=since_d, until=until_d)
        done = store.fulfilments() if value in ("json", "ics") else {}
        database, versions = store.plan_versions() if value == "ics" else ("", {})
        if value == "ics":  # the recovery to book, read while the store is open
            from rubdown.app.reporting import due_items_of

            due_items = due_items_of(store, settings(), now)
    if value == "json":
        text = exports.to_json(records, {session: plan for plan, (session, _) in done.items()})
    elif value == "csv":
        text = exports.to_csv(records)
    elif value == "ledger":
        from rubdown.render_ledger import to_ledger

        cfg = settings()
        text, count = to_ledger(records, currency=cfg.currency, account=cfg.ledger_account,
                                from_account=cfg.ledger_from_account)  # fmt: skip
        return text, count, value
    else:
        text, records = _ics(records, done, database, versions, due_items, now=now)
    return text, len(records), value


def _ics(records: list[Record], done: dict, database: str, versions: dict, items: list, *,
         now: datetime) -> tuple[str, list[Record]]:  # fmt: skip
    """``export --format ics``: the sessions, the plans still open (of the
    days exported), and the recovery to book before them (of ``items``,
    ``due``'s); the text and the records it holds."""
    from rubdown import export as exports
    from rubdown.analysis.due import BOOK_RECOVERY
    from rubdown.analysis.plans import OPEN, outcome
    from rubdown.models import KINDS, Plan

    cfg = settings()
    sessions = [r for r in records if r.kind in KINDS]  # not plans, not check-ins
    match_days = cfg.plan_match_days
    plans = [
        r for r in records if isinstance(r, Plan)
        and outcome(r, done=done.get(r.id or 0), now=now, match_days=match_days).status == OPEN
    ]  # fmt: skip
    shown = {plan.id for plan in plans}
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
