"""Numbered schema steps, applied on open.

Each step runs in its own ``BEGIN IMMEDIATE`` transaction together with its
row in ``_migrations`` and the new ``PRAGMA user_version``, so a step is
either wholly applied and recorded or not at all, and several processes
opening a new database at once serialise on the write lock instead of racing.
A shipped step is never edited: a schema change is a new step.

A step is a function of the connection that runs SQL, or, marked
``@with_sqlite_utils``, a function of a sqlite-utils ``Database`` on that
connection (``table.create()``, ``add_column()``, ``transform()`` instead of
hand-written ALTER sequences). sqlite-utils is imported only when such a
step runs: a database already at the latest schema never imports it, and
neither does a new one while every step up to the latest is plain SQL
(creating a database is on the ``log`` path, and reading a missing one on
the ``report`` path).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from sqlite_utils import Database

Step = Callable[[sqlite3.Connection], None]


def with_sqlite_utils(step: Callable[[Database], None]) -> Step:
    """A step written with sqlite-utils, as the runner calls it: with a
    ``Database`` on the migration's connection, inside its transaction
    (sqlite-utils 4 nests its own writes there as savepoints). The
    connection is left as it was: no plugins, no ``recursive_triggers``."""

    def run(conn: sqlite3.Connection) -> None:
        from sqlite_utils import Database

        step(Database(conn, recursive_triggers=False, execute_plugins=False))

    run.__name__ = step.__name__
    run.__doc__ = step.__doc__
    return run


def m001_initial(conn: sqlite3.Connection) -> None:
    """Records with one id sequence, one table per kind, the undo journal."""
    statements = [
        """
        CREATE TABLE records (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('run', 'massage', 'self-care')),
            type TEXT NOT NULL,
            start TEXT NOT NULL,
            start_utc TEXT GENERATED ALWAYS AS
                (strftime('%Y-%m-%dT%H:%M:%SZ', start)) STORED,
            local_date TEXT GENERATED ALWAYS AS (substr(start, 1, 10)) STORED,
            note TEXT,
            source TEXT,
            created_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX records_start_utc ON records (start_utc)",
        "CREATE INDEX records_local_date ON records (local_date)",
        "CREATE INDEX records_kind_start_utc ON records (kind, start_utc)",
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
            distance_m REAL CHECK (distance_m IS NULL OR distance_m > 0),
            duration_s INTEGER CHECK (duration_s IS NULL OR duration_s > 0),
            rpe INTEGER CHECK (rpe IS NULL OR rpe BETWEEN 0 AND 10),
            event TEXT,
            leg INTEGER CHECK (leg IS NULL OR leg > 0)
        )
        """,
        """
        CREATE TABLE massages (
            id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
            minutes INTEGER NOT NULL CHECK (minutes > 0),
            therapist TEXT,
            cost_cents INTEGER CHECK (cost_cents IS NULL OR cost_cents >= 0),
            focus TEXT
        )
        """,
        """
        CREATE TABLE self_care (
            id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
            minutes INTEGER NOT NULL CHECK (minutes > 0)
        )
        """,
        """
        CREATE TABLE journal (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('log', 'edit', 'delete', 'import')),
            record_ids TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            undone_at TEXT
        )
        """,
        "CREATE INDEX journal_open ON journal (undone_at, id)",
        """
        CREATE VIEW timeline AS
        SELECT r.id, r.kind, r.type, r.start, r.start_utc, r.local_date,
               ru.distance_m,
               coalesce(ru.duration_s, m.minutes * 60, s.minutes * 60) AS duration_s,
               ru.rpe, ru.event, ru.leg,
               coalesce(m.minutes, s.minutes) AS minutes,
               m.therapist, m.cost_cents, m.focus,
               r.note, r.source, r.created_at
        FROM records r
        LEFT JOIN runs ru ON ru.id = r.id
        LEFT JOIN massages m ON m.id = r.id
        LEFT JOIN self_care s ON s.id = r.id
        """,
    ]
    for sql in statements:
        conn.execute(sql)


def m002_import_sources(conn: sqlite3.Connection) -> None:
    """What ``rubdown import`` needs: a fingerprint per imported record, and
    journal batches so one ``undo`` reverts a whole import.

    ``records.source_id`` is the stable id of the activity a record came
    from (unique when present), so importing the same activity again finds
    it. ``journal.batch`` is shared by the journal rows of one import run:
    each file is committed on its own, and ``undo`` reverts every row of the
    batch together. The ``timeline`` view gains ``source_id`` so that undo
    snapshots keep it.
    """
    statements = [
        "ALTER TABLE records ADD COLUMN source_id TEXT",
        "CREATE UNIQUE INDEX records_source_id ON records (source_id)"
        " WHERE source_id IS NOT NULL",
        "ALTER TABLE journal ADD COLUMN batch TEXT",
        "CREATE INDEX journal_batch ON journal (batch) WHERE batch IS NOT NULL",
        "DROP VIEW timeline",
        """
        CREATE VIEW timeline AS
        SELECT r.id, r.kind, r.type, r.start, r.start_utc, r.local_date,
               ru.distance_m,
               coalesce(ru.duration_s, m.minutes * 60, s.minutes * 60) AS duration_s,
               ru.rpe, ru.event, ru.leg,
               coalesce(m.minutes, s.minutes) AS minutes,
               m.therapist, m.cost_cents, m.focus,
               r.note, r.source, r.created_at, r.source_id
        FROM records r
        LEFT JOIN runs ru ON ru.id = r.id
        LEFT JOIN massages m ON m.id = r.id
        LEFT JOIN self_care s ON s.id = r.id
        """,
    ]
    for sql in statements:
        conn.execute(sql)


def m003_record_search(conn: sqlite3.Connection) -> None:
    """Full-text search over the words of a record: its note, a massage's
    therapist, a run's event (``rubdown list --search``).

    ``record_search`` (SQLite FTS5) holds one row per record, its rowid the
    record's id. Triggers keep it in step with every write to the tables it
    reads (log, edit, delete, undo and import all write through them), and
    the records already stored are indexed here. Case and accents are
    ignored (``remove_diacritics 2``). Written in SQL, not with sqlite-utils
    (``enable_fts`` indexes one table, this spans three), and run when a
    database is created, so on the ``log`` path.
    """
    statements = [
        """
        CREATE VIRTUAL TABLE record_search USING fts5 (
            note, therapist, event,
            tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TRIGGER record_search_insert AFTER INSERT ON records BEGIN
            DELETE FROM record_search WHERE rowid = new.id;
            INSERT INTO record_search (rowid, note) VALUES (new.id, new.note);
        END
        """,
        """
        CREATE TRIGGER record_search_note AFTER UPDATE OF note ON records BEGIN
            UPDATE record_search SET note = new.note WHERE rowid = new.id;
        END
        """,
        """
        CREATE TRIGGER record_search_delete AFTER DELETE ON records BEGIN
            DELETE FROM record_search WHERE rowid = old.id;
        END
        """,
        """
        CREATE TRIGGER record_search_event AFTER INSERT ON runs
        WHEN new.event IS NOT NULL BEGIN
            UPDATE record_search SET event = new.event WHERE rowid = new.id;
        END
        """,
        """
        CREATE TRIGGER record_search_event_edit AFTER UPDATE OF event ON runs BEGIN
            UPDATE record_search SET event = new.event WHERE rowid = new.id;
        END
        """,
        """
        CREATE TRIGGER record_search_therapist AFTER INSERT ON massages
        WHEN new.therapist IS NOT NULL BEGIN
            UPDATE record_search SET therapist = new.therapist WHERE rowid = new.id;
        END
        """,
        """
        CREATE TRIGGER record_search_therapist_edit AFTER UPDATE OF therapist ON massages
        BEGIN
            UPDATE record_search SET therapist = new.therapist WHERE rowid = new.id;
        END
        """,
        """
        INSERT INTO record_search (rowid, note, therapist, event)
        SELECT r.id, r.note, m.therapist, ru.event
        FROM records r
        LEFT JOIN massages m ON m.id = r.id
        LEFT JOIN runs ru ON ru.id = r.id
        """,
    ]
    for sql in statements:
        conn.execute(sql)


def _widen_kinds(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Replace the ``records.kind`` CHECK ``old`` with ``new`` (a wider list)
    in the stored schema, in place: every row already satisfies the wider
    CHECK, so no table is copied. The schema version is bumped so other
    connections reread it; a records table not as rubdown created it is
    refused."""
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    try:
        changed = conn.execute(
            "UPDATE sqlite_schema SET sql = replace(sql, ?, ?)"
            " WHERE type = 'table' AND name = 'records' AND instr(sql, ?) > 0",
            (old, new, old),
        ).rowcount
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
    if changed != 1:
        raise sqlite3.DatabaseError("the records table is not as rubdown created it")


_KINDS_CHECK = "CHECK (kind IN ('run', 'massage', 'self-care'))"
_KINDS_CHECK_WITH_PLANS = "CHECK (kind IN ('run', 'massage', 'self-care', 'plan'))"


def m004_plans(conn: sqlite3.Connection) -> None:
    """Plans (SPEC 10): a record of kind ``plan`` in the one id sequence,
    its own values in ``plans``.

    ``records.kind``'s CHECK gains ``'plan'``. Loosening a constraint needs
    no rebuild of ``records``: SQLite's documented procedure
    (https://sqlite.org/lang_altertable.html, "making other kinds of table
    schema changes") rewrites the table's SQL in ``sqlite_schema`` with
    ``writable_schema`` on and bumps ``schema_version`` so every connection
    reads it again; no stored row can break the wider check. A plan's type
    is ``''`` when it names none (``type`` is NOT NULL). ``plans`` holds the
    kind planned, the planned values of that kind and the skip state. The
    ``timeline`` view reads the plan's values into the same columns as the
    sessions', plus ``plan_kind``, ``skipped`` and ``skip_reason``.
    ``records.plan_id`` is the plan a session fulfilled (no foreign key: ids
    are never reused, so a link to a deleted plan points at nothing and
    comes back with it on ``undo``); undoing or deleting the session
    reopens the plan with no other bookkeeping. Written
    in SQL: a new database runs it on the ``log`` path.
    """
    _widen_kinds(conn, _KINDS_CHECK, _KINDS_CHECK_WITH_PLANS)
    statements = [
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
            plan_kind TEXT NOT NULL CHECK (plan_kind IN ('run', 'massage', 'self-care')),
            distance_m REAL CHECK (distance_m IS NULL OR distance_m > 0),
            duration_s INTEGER CHECK (duration_s IS NULL OR duration_s > 0),
            event TEXT,
            leg INTEGER CHECK (leg IS NULL OR leg > 0),
            minutes INTEGER CHECK (minutes IS NULL OR minutes > 0),
            therapist TEXT,
            cost_cents INTEGER CHECK (cost_cents IS NULL OR cost_cents >= 0),
            focus TEXT,
            skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped IN (0, 1)),
            skip_reason TEXT
        )
        """,
        "ALTER TABLE records ADD COLUMN plan_id INTEGER",
        "CREATE INDEX records_plan_id ON records (plan_id) WHERE plan_id IS NOT NULL",
        "DROP VIEW timeline",
        """
        CREATE VIEW timeline AS
        SELECT r.id, r.kind, r.type, r.start, r.start_utc, r.local_date,
               coalesce(ru.distance_m, p.distance_m) AS distance_m,
               coalesce(ru.duration_s, m.minutes * 60, s.minutes * 60, p.duration_s)
                   AS duration_s,
               ru.rpe, coalesce(ru.event, p.event) AS event, coalesce(ru.leg, p.leg) AS leg,
               coalesce(m.minutes, s.minutes, p.minutes) AS minutes,
               coalesce(m.therapist, p.therapist) AS therapist,
               coalesce(m.cost_cents, p.cost_cents) AS cost_cents,
               coalesce(m.focus, p.focus) AS focus,
               r.note, r.source, r.created_at, r.source_id,
               p.plan_kind, p.skipped, p.skip_reason, r.plan_id
        FROM records r
        LEFT JOIN runs ru ON ru.id = r.id
        LEFT JOIN massages m ON m.id = r.id
        LEFT JOIN self_care s ON s.id = r.id
        LEFT JOIN plans p ON p.id = r.id
        """,
    ]
    for sql in statements:
        conn.execute(sql)


def m005_plan_search(conn: sqlite3.Connection) -> None:
    """Full-text search covers a plan's event and therapist, as a session's
    (``record_search``, step 3, held a plan's note only).

    Triggers on ``plans`` fill and follow the two columns as those on
    ``runs`` and ``massages`` do (a plan's ``records`` row is written first,
    so its index row exists), and the plans already stored are indexed here.
    Written in SQL: a new database runs it on the ``log`` path.
    """
    statements = [
        """
        CREATE TRIGGER record_search_plan AFTER INSERT ON plans
        WHEN new.event IS NOT NULL OR new.therapist IS NOT NULL BEGIN
            UPDATE record_search SET event = new.event, therapist = new.therapist
            WHERE rowid = new.id;
        END
        """,
        """
        CREATE TRIGGER record_search_plan_edit AFTER UPDATE OF event, therapist ON plans
        BEGIN
            UPDATE record_search SET event = new.event, therapist = new.therapist
            WHERE rowid = new.id;
        END
        """,
        """
        UPDATE record_search
        SET event = (SELECT p.event FROM plans p WHERE p.id = record_search.rowid),
            therapist = (SELECT p.therapist FROM plans p WHERE p.id = record_search.rowid)
        WHERE rowid IN (SELECT id FROM plans)
        """,
    ]
    for sql in statements:
        conn.execute(sql)


_KINDS_CHECK_WITH_CHECK_INS = (
    "CHECK (kind IN ('run', 'massage', 'self-care', 'plan', 'check-in'))"
)


def m006_check_ins(conn: sqlite3.Connection) -> None:
    """Check-ins and body areas (SPEC 11): a record of kind ``check-in`` (one
    per local day, kept so by ``log check-in``), its ratings in
    ``check_ins``, and the areas a self-care session worked
    (``self_care.areas``, a JSON list as a massage's focus).

    ``records.kind``'s CHECK gains ``'check-in'`` as step 4 gained
    ``'plan'`` (no rebuild: the wider check breaks no stored row); a unique
    index on the local date of check-ins holds one per day even against two
    writers at once. A
    check-in's ``type`` is ``''``. ``sore`` holds ``{area: rating}`` as
    JSON. Focus areas stored before the vocabulary are not touched: they
    are kept and shown as they were. The ``timeline`` view gains the new
    columns. Written in SQL: a new database runs it on the ``log`` path.
    """
    _widen_kinds(conn, _KINDS_CHECK_WITH_PLANS, _KINDS_CHECK_WITH_CHECK_INS)
    statements = [
        """
        CREATE TABLE check_ins (
            id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
            soreness INTEGER CHECK (soreness IS NULL OR soreness BETWEEN 0 AND 10),
            sore TEXT,
            fatigue INTEGER CHECK (fatigue IS NULL OR fatigue BETWEEN 1 AND 5),
            sleep INTEGER CHECK (sleep IS NULL OR sleep BETWEEN 1 AND 5),
            stress INTEGER CHECK (stress IS NULL OR stress BETWEEN 1 AND 5),
            mood INTEGER CHECK (mood IS NULL OR mood BETWEEN 1 AND 5)
        )
        """,
        "CREATE UNIQUE INDEX records_check_in_day ON records (local_date)"
        " WHERE kind = 'check-in'",
        "ALTER TABLE self_care ADD COLUMN areas TEXT",
        "DROP VIEW timeline",
        """
        CREATE VIEW timeline AS
        SELECT r.id, r.kind, r.type, r.start, r.start_utc, r.local_date,
               coalesce(ru.distance_m, p.distance_m) AS distance_m,
               coalesce(ru.duration_s, m.minutes * 60, s.minutes * 60, p.duration_s)
                   AS duration_s,
               ru.rpe, coalesce(ru.event, p.event) AS event, coalesce(ru.leg, p.leg) AS leg,
               coalesce(m.minutes, s.minutes, p.minutes) AS minutes,
               coalesce(m.therapist, p.therapist) AS therapist,
               coalesce(m.cost_cents, p.cost_cents) AS cost_cents,
               coalesce(m.focus, p.focus) AS focus,
               r.note, r.source, r.created_at, r.source_id,
               p.plan_kind, p.skipped, p.skip_reason, r.plan_id,
               s.areas, c.soreness, c.sore, c.fatigue, c.sleep, c.stress, c.mood
        FROM records r
        LEFT JOIN runs ru ON ru.id = r.id
        LEFT JOIN massages m ON m.id = r.id
        LEFT JOIN self_care s ON s.id = r.id
        LEFT JOIN plans p ON p.id = r.id
        LEFT JOIN check_ins c ON c.id = r.id
        """,
    ]
    for sql in statements:
        conn.execute(sql)


MIGRATIONS: list[tuple[int, str, Step]] = [
    (1, "initial", m001_initial),
    (2, "import_sources", m002_import_sources),
    (3, "record_search", m003_record_search),
    (4, "plans", m004_plans),
    (5, "plan_search", m005_plan_search),
    (6, "check_ins", m006_check_ins),
]
LATEST = MIGRATIONS[-1][0]


def apply(
    conn: sqlite3.Connection,
    *,
    before_changes: Callable[[sqlite3.Connection], None] | None = None,
) -> list[int]:
    """Apply the pending steps; return the versions this call applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``).
    ``before_changes(conn)``, if given, runs once, inside the transaction of
    the first step this call applies and before that step: it holds the write
    lock, so it sees the database exactly as the steps will find it (the
    store saves a copy there), and raising from it cancels the upgrade.

    Steps run with foreign keys off, as SQLite asks of a schema change that
    rebuilds a table (``transform()``: dropping the old table must not
    cascade), and each is checked before it commits: a step that leaves a
    new row pointing at nothing is rolled back (one a damaged database held
    before is left to ``db check``). The setting is restored after.
    """
    keys_on = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    if keys_on:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        return _apply(conn, before_changes)
    finally:
        if keys_on:
            conn.execute("PRAGMA foreign_keys = ON")


def _apply(
    conn: sqlite3.Connection, before_changes: Callable[[sqlite3.Connection], None] | None
) -> list[int]:
    applied_now: list[int] = []
    # The first step pending when this call began: only its transaction saves
    # the copy. Another process upgrading at the same time may apply it and
    # then let go of the lock between two steps; this call must not then save
    # a second copy before the next step (that process saved the first).
    first_pending = next((v for v, _, _ in MIGRATIONS if v not in _applied(conn)), None)
    for version, name, step in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = conn.execute(
                "SELECT 1 FROM _migrations WHERE version = ?", (version,)
            ).fetchone()
            if not done:
                if before_changes is not None and version == first_pending:
                    before_changes(conn)
                dangling = set(conn.execute("PRAGMA foreign_key_check"))
                step(conn)
                if not set(conn.execute("PRAGMA foreign_key_check")) <= dangling:
                    raise sqlite3.IntegrityError(
                        f"schema step {version} ({name}) left a row pointing at nothing"
                    )
                conn.execute(
                    "INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, datetime.now(UTC).isoformat(timespec="seconds")),
                )
                conn.execute(f"PRAGMA user_version = {int(version)}")
                applied_now.append(version)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return applied_now


def _applied(conn: sqlite3.Connection) -> set[int]:
    """The versions applied so far, as committed (none before the
    ``_migrations`` table exists)."""
    try:
        return {row[0] for row in conn.execute("SELECT version FROM _migrations")}
    except sqlite3.OperationalError:  # no such table: a new or schema-0 file
        return set()
