"""The Store: records and the undo journal.

Every write is a ``BEGIN IMMEDIATE`` transaction that also appends to
``journal``, so ``undo`` always reverts exactly the last committed write,
even after a crash. ``add``, ``add_many`` and ``import_file`` store new
records through one path (``_insert_new``). A new record is a model value
(``Run``, ``Massage``, ``SelfCare``) whose ``id`` is None; the store reads
its fields by the record's ``FIELDS`` and checks them against the limits
before storing it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from rubdown import fields as _fields
from rubdown.errors import NotFound, RubdownError
from rubdown.models import CheckIn, Massage, Plan, Record, Run, SelfCare
from rubdown.store import opening
from rubdown.store.decode import (
    _KIND_READS,
    _TIMELINE_COLUMNS,
    _UNKNOWN_KIND_SQL,
    _BadValues,
    _check_in_from,
    _damaged,
    _fields_to_row,
    _from_columns,
    _massage_from,
    _record_fields,
    _run_from,
    _self_care_from,
    _snapshot,
    row_to_record,
)
from rubdown.store.opening import explain

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    from rubdown.paths import PathLike

    R = TypeVar("R", bound=Record)

MAX_ID = 2**63 - 1  #: the largest id SQLite stores

# Fields a record may hold (``rubdown.fields``): the shared ones in
# ``records``, each kind's own in its table.
RECORD_FIELDS = _fields.SHARED
CHILD_FIELDS = {kind: _fields.own(kind) for kind in _fields.TABLES}
CHILD_TABLE = _fields.TABLES


class Imported:
    """A new record read from an imported file, with what the import knows
    of it beside its fields: ``source_id``, the fingerprint of the activity
    it came from (a duplicate of a stored record's is a duplicate), and
    ``exported_id``, its id in the database a rubdown JSON export came from
    (``rubdown.store.dedupe.same_record_ids``), and ``fulfils``, the exported
    id of the plan the session fulfilled there (the export's ``fulfils``)."""

    __slots__ = ("record", "source_id", "exported_id", "fulfils")

    def __init__(
        self,
        record: Record,
        *,
        source_id: str | None = None,
        exported_id: object = None,
        fulfils: object = None,
    ) -> None:
        self.record = record
        self.source_id = source_id
        self.exported_id = exported_id
        self.fulfils = fulfils


class FileStored:
    """What ``Store.import_file`` did with one file's records: how many it
    stored (by kind), found already in the log (``duplicates``) or already
    stored by this import from another file (``repeated``), and which it
    refused, as ``(index in the items, reason)``."""

    __slots__ = ("stored", "duplicates", "repeated", "refused")

    def __init__(self) -> None:
        self.stored: dict[str, int] = {}
        self.duplicates = 0
        self.repeated = 0
        self.refused: list[tuple[int, str]] = []


class Undone:
    """What ``undo`` reverted: the action and the records it touched."""

    __slots__ = ("action", "records")

    def __init__(self, action: str, records: list[Record]) -> None:
        self.action = action
        self.records = records


class Store:
    """An open rubdown database. ``notices``: lines for the user about what
    opening it did unasked (a copy saved before an upgrade); the store
    prints nothing, its caller tells them."""

    def __init__(
        self, conn: sqlite3.Connection, path: PathLike, notices: list[str] | None = None
    ) -> None:
        self.conn = conn
        self.path = path
        self.notices: list[str] = notices if notices is not None else []

    # -- opening ---------------------------------------------------------

    @classmethod
    def open(cls, path: PathLike, *, write: bool, create: bool | None = None) -> Store:
        """Open the database at ``path`` (``opening.open_database``): for
        writes, create it when missing (unless ``create`` is False). What
        opening did unasked (a copy saved before an upgrade) is in
        ``notices``, for the caller to tell the user."""
        notices: list[str] = []
        conn = opening.open_database(path, write=write, create=create, notices=notices)
        return cls(conn, path, notices)

    @classmethod
    def open_copy(cls, path: PathLike) -> Store:
        """An in-memory copy of the database at ``path``, for a dry run
        (``opening.open_copy``): the file is never written."""
        return cls(opening.open_copy(path), path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise explain(exc, self.path) from None

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise explain(exc, self.path) from None

    def _journal(
        self, action: str, snapshots: list[dict], *, at: str, batch: str | None = None
    ) -> None:
        import json  # here: reading the store (``due``) needs no json

        self.conn.execute(
            "INSERT INTO journal (at, action, record_ids, snapshot, batch) VALUES (?, ?, ?, ?, ?)",
            (at, action, json.dumps([r["id"] for r in snapshots]), json.dumps(snapshots), batch),
        )

    # -- rows <-> records ------------------------------------------------

    def _row(self, record_id: int) -> dict | None:
        if not 0 < record_id <= MAX_ID:  # SQLite cannot bind it: no such record
            return None
        cur = self.conn.execute(
            f"SELECT {_TIMELINE_COLUMNS}, source_id, plan_id FROM timeline WHERE id = ?",
            (record_id,),
        )
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _stored_row(self, record_id: int) -> dict:
        """What ``_row`` gives for a record known to be there (just written, or
        named by a query in the same transaction), whatever its id: a damaged
        record's may be 0 or negative, which ``_row`` takes for no record."""
        cur = self.conn.execute(
            f"SELECT {_TIMELINE_COLUMNS}, source_id, plan_id FROM timeline WHERE id = ?",
            (record_id,),
        )
        row = cur.fetchone()
        assert row is not None, record_id
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _insert_row(self, row: dict, *, keep_id: bool) -> int:
        kind = row["kind"]
        cols = ["kind", *RECORD_FIELDS, "source_id", "plan_id", "created_at"]
        values = [row.get(c) for c in cols]
        if keep_id:
            cols.insert(0, "id")
            values.insert(0, row["id"])
        cur = self.conn.execute(
            f"INSERT INTO records ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            values,
        )
        record_id = row["id"] if keep_id else cur.lastrowid
        assert record_id is not None  # an INSERT sets lastrowid
        child_cols = CHILD_FIELDS[kind]
        self.conn.execute(
            f"INSERT INTO {CHILD_TABLE[kind]} (id, {', '.join(child_cols)})"
            f" VALUES (?{', ?' * len(child_cols)})",
            [record_id, *(row.get(c) for c in child_cols)],
        )
        return record_id

    def _insert_new(self, row: dict) -> dict:
        """Store a new record (a row from ``_new_row``); return its stored row,
        as the journal keeps it. The one way ``add``, ``add_many`` and
        ``import_file`` store a record."""
        return self._stored_row(self._insert_row(row, keep_id=False))

    # -- writes ----------------------------------------------------------

    def add(self, record: Record, *, plan_id: int | None = None) -> Record:
        """Store a new ``record`` (refused, as a ParseError, when its values
        break the limits: ``refuse_invalid``); return it as stored, with its id.
        ``plan_id``: the plan the session fulfils (the caller chose it)."""
        refuse_invalid(record)
        created = _created_at()
        row = _new_row(record, created)
        row["plan_id"] = plan_id
        with self._write():
            snapshot = self._insert_new(row)
            self._journal("log", [snapshot], at=created)
        return row_to_record(snapshot)

    def add_many(self, records: list[Record], *, source: str | None = None) -> int:
        """Store new records in one transaction, journaled as one import;
        ``source`` is the source of those that name none."""
        created = _created_at()
        now = _now()
        for record in records:
            refuse_invalid(record, now=now)
        rows = [_new_row(record, created, source=source) for record in records]
        with self._write():
            snapshots = [self._insert_new(row) for row in rows]
            if snapshots:
                self._journal("import", snapshots, at=created)
        return len(snapshots)

    def update(self, record_id: int, fields: dict) -> tuple[Record, Record]:
        """Change some fields of a record; return (before, after)."""
        with self._write():
            before = self._row(record_id)
            if before is None:
                raise NotFound(f"No record #{record_id}. See 'rubdown list' for ids.")
            before_record = row_to_record(before)  # a damaged record is refused unchanged
            kind = before["kind"]
            _refuse(kind, {**_record_fields(before_record), **fields}, only=set(fields))
            row = _fields_to_row(kind, fields, partial=True)
            top = {k: v for k, v in row.items() if k in RECORD_FIELDS}
            child = {k: v for k, v in row.items() if k in CHILD_FIELDS[kind]}
            unknown = set(row) - set(top) - set(child)
            if unknown:
                raise RubdownError(
                    f"A {kind} has no field {', '.join(sorted(unknown))}."
                )  # the CLI only offers valid fields; this guards the store itself
            if top:
                sets = ", ".join(f"{k} = ?" for k in top)
                self.conn.execute(
                    f"UPDATE records SET {sets} WHERE id = ?", [*top.values(), record_id]
                )
            if child:
                sets = ", ".join(f"{k} = ?" for k in child)
                self.conn.execute(
                    f"UPDATE {CHILD_TABLE[kind]} SET {sets} WHERE id = ?",
                    [*child.values(), record_id],
                )
            after = row_to_record(self._stored_row(record_id))
            self._journal("edit", [before], at=_created_at())
        return before_record, after

    def delete(self, record_id: int) -> Record:
        with self._write():
            before = self._row(record_id)
            if before is None:
                raise NotFound(f"No record #{record_id}. See 'rubdown list' for ids.")
            record = row_to_record(before)  # a damaged record is refused unchanged
            self.conn.execute("DELETE FROM records WHERE id = ?", (record_id,))
            self._journal("delete", [before], at=_created_at())
        return record

    def undo(self) -> Undone | None:
        """Revert the last write that is not undone yet; None if there is none."""
        with self._write():
            entry = self.conn.execute(
                "SELECT id, action, snapshot, batch FROM journal WHERE undone_at IS NULL"
                " ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if entry is None:
                return None
            entry_id, action, snapshot, batch = entry
            rows = _snapshot(entry_id, snapshot)
            entry_ids = [entry_id]
            if batch is not None:  # one import run: every file it committed
                entry_ids, rows = self._batch_entries(batch)
            records = [row_to_record(r) for r in rows]  # damage is refused before any change
            if action in ("log", "import"):
                self.conn.executemany(
                    "DELETE FROM records WHERE id = ?", [(r["id"],) for r in rows]
                )
            elif action == "edit":
                for row in rows:
                    self.conn.execute("DELETE FROM records WHERE id = ?", (row["id"],))
                    self._insert_row(row, keep_id=True)
            elif action == "delete":
                for row in rows:
                    self._insert_row(row, keep_id=True)
            else:  # pragma: no cover - the CHECK constraint allows nothing else
                raise RubdownError(f"Cannot undo a '{action}'.")
            at = _created_at()
            self.conn.executemany(
                "UPDATE journal SET undone_at = ? WHERE id = ?", [(at, i) for i in entry_ids]
            )
        return Undone(action, records)

    # -- reads -----------------------------------------------------------

    def get(self, record_id: int) -> Record:
        with self._read():
            row = self._row(record_id)
        if row is None:
            raise NotFound(f"No record #{record_id}. See 'rubdown list' for ids.")
        return row_to_record(row)

    def records(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        kinds: tuple[str, ...] | None = None,
        end: datetime | None = None,
        search: tuple[str, ...] | None = None,
    ) -> list[Record]:
        """Records oldest first, by local date ``since``..``until`` and start <=
        ``end``; with ``search``, only those whose note, therapist or event hold
        every one of its words (``rubdown.store.search``)."""
        where, params = [], []
        if since is not None:
            where.append("local_date >= ?")
            params.append(since.isoformat())
        if until is not None:
            where.append("local_date <= ?")
            params.append(until.isoformat())
        if end is not None:
            where.append("start_utc <= ?")
            params.append(end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if kinds:
            where.append(f"kind IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        if search:
            from rubdown.store.search import MATCHING_IDS_SQL, match_query

            where.append(f"id IN ({MATCHING_IDS_SQL})")
            params.append(match_query(search))
        sql = f"SELECT {_TIMELINE_COLUMNS} FROM timeline"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY start_utc, id"
        with self._read():
            return [_from_columns(*row) for row in self.conn.execute(sql, params)]

    def records_by_kind(
        self, *, since: date, until: date, end: datetime
    ) -> tuple[list[Run], list[Massage], list[SelfCare]]:
        """What ``records`` gives for the same period, as one list per kind, each
        in storage order (callers sort what they need).

        Each kind is read from its own table rather than the timeline view:
        over a long history that is about a third cheaper, which a report over
        all of it feels. A record of no known kind is damage, as in ``records``.
        """
        # The start_utc floor and ceiling (a day before since, two after until;
        # a UTC offset is under a day) add nothing but let SQLite read the
        # kind's index from the period's start to its end, rather than from
        # the oldest record on, or on to the newest.
        where = "r.local_date >= ? AND r.local_date <= ? AND r.start_utc >= ? AND r.start_utc <= ?"
        params = (
            since.isoformat(),
            until.isoformat(),
            f"{since - timedelta(days=1)}T00:00:00Z",
            min(end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                f"{until + timedelta(days=1)}T23:59:59Z"),  # fmt: skip
        )

        def read(kind: str, make: Callable[..., R]) -> list[R]:
            columns, table = _KIND_READS[kind]
            cur = self.conn.execute(
                f"SELECT {columns} FROM records r LEFT JOIN {table} c ON c.id = r.id"
                f" WHERE r.kind = ? AND {where}",
                (kind, *params),
            )
            try:
                return [make(*row) for row in cur]
            except _BadValues as bad:
                raise _damaged(self._stored_row(bad.args[0])) from None

        with self._read():
            unknown = self.conn.execute(_UNKNOWN_KIND_SQL, params * 6).fetchone()
            if unknown is not None:
                raise _damaged(self._stored_row(unknown[0]))
            runs = read("run", _run_from)
            massages = read("massage", _massage_from)
            self_care = read("self-care", _self_care_from)
        return runs, massages, self_care

    def check_ins(self, *, since: date | None = None, until: date | None = None) -> list[CheckIn]:
        """The check-ins dated ``since``..``until`` (local days), oldest first,
        read from their own table as ``records_by_kind`` reads the sessions."""
        columns, table = _KIND_READS["check-in"]
        sql = (f"SELECT {columns} FROM records r LEFT JOIN {table} c ON c.id = r.id"
               " WHERE r.kind = 'check-in'")  # fmt: skip
        params = []
        if since is not None:
            sql += " AND r.local_date >= ?"
            params.append(since.isoformat())
        if until is not None:
            sql += " AND r.local_date <= ?"
            params.append(until.isoformat())
        sql += " ORDER BY r.local_date, r.id"
        with self._read():
            try:
                return [_check_in_from(*row) for row in self.conn.execute(sql, params)]
            except _BadValues as bad:
                raise _damaged(self._stored_row(bad.args[0])) from None

    def latest(self, kind: str, *, before: date) -> Record | None:
        """The latest record of ``kind`` on a local date before ``before``."""
        with self._read():
            cur = self.conn.execute(
                f"SELECT {_TIMELINE_COLUMNS} FROM timeline WHERE kind = ? AND local_date < ?"
                " ORDER BY start_utc DESC, id DESC LIMIT 1",
                (kind, before.isoformat()),
            )
            row = cur.fetchone()
            if row is None:
                return None
            return row_to_record(dict(zip([d[0] for d in cur.description], row, strict=True)))

    def first_after(
        self, kinds: tuple[str, ...], *, after: date, until: date, end: datetime
    ) -> Record | None:
        """The first record (by start, then id) of one of ``kinds`` on a local
        date in (after, until] starting at or before ``end``."""
        marks = ", ".join("?" * len(kinds))
        with self._read():
            cur = self.conn.execute(
                f"SELECT {_TIMELINE_COLUMNS} FROM timeline WHERE kind IN ({marks})"
                " AND local_date > ? AND local_date <= ? AND start_utc <= ?"
                " AND start_utc >= ?"  # adds nothing, but reads the index from there
                " ORDER BY start_utc, id LIMIT 1",
                (*kinds, after.isoformat(), until.isoformat(),
                 end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), f"{after}T00:00:00Z"),
            )  # fmt: skip
            row = cur.fetchone()
            if row is None:
                return None
            return row_to_record(dict(zip([d[0] for d in cur.description], row, strict=True)))

    def first_day(self, kind: str, *, end: datetime) -> date | None:
        """The local date of the first record of ``kind`` starting at or
        before ``end`` (None when there is none)."""
        with self._read():
            row = self.conn.execute(
                "SELECT local_date FROM records WHERE kind = ? AND start_utc <= ?"
                " ORDER BY start_utc, id LIMIT 1",
                (kind, end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
            ).fetchone()
        return None if row is None else date.fromisoformat(row[0])

    def spend_by_month(self, *, since: date, until: date, end: datetime) -> dict[str, int]:
        """What the massages on a local date in [since, until] that started by
        ``end`` cost, in cents, by local month (``"2026-11"``); a month with
        none is absent. One SUM over the kind's start index from a day before
        ``since`` (a UTC offset is under a day): cheap enough for ``due``."""
        with self._read():
            cur = self.conn.execute(
                "SELECT substr(r.local_date, 1, 7), sum(m.cost_cents) FROM records r"
                " JOIN massages m ON m.id = r.id WHERE r.kind = 'massage'"
                " AND r.local_date >= ? AND r.local_date <= ? AND r.start_utc >= ?"
                " AND r.start_utc <= ? AND m.cost_cents IS NOT NULL GROUP BY 1",
                (since.isoformat(), until.isoformat(), f"{since - timedelta(days=1)}T00:00:00Z",
                 end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
            )  # fmt: skip
            return {month: int(cents) for month, cents in cur}

    def recent_costs(self, *, end: datetime, limit: int) -> list[int]:
        """The costs (cents) of the latest ``limit`` massages that have one and
        started by ``end``, latest first."""
        with self._read():
            cur = self.conn.execute(
                "SELECT m.cost_cents FROM records r JOIN massages m ON m.id = r.id"
                " WHERE r.kind = 'massage' AND m.cost_cents IS NOT NULL AND r.start_utc <= ?"
                " ORDER BY r.start_utc DESC, r.id DESC LIMIT ?",
                (end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), limit),
            )
            return [int(cents) for (cents,) in cur]

    def plans(
        self,
        *,
        open_only: bool = False,
        around: tuple[datetime, int] | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[Plan]:
        """The plans, oldest planned start first; ``open_only``: those neither
        skipped nor fulfilled by a session; ``around`` (an instant, days):
        those planned within that many days of it (and a second more, so a
        plan at the limit is read); ``since``/``until``: planned on those
        local dates."""
        sql = f"SELECT {_TIMELINE_COLUMNS} FROM timeline WHERE kind = 'plan'"
        params: list[str] = []
        if since is not None and until is not None:
            sql += " AND local_date BETWEEN ? AND ?"
            params += [since.isoformat(), until.isoformat()]
        if around is not None:
            at, days = around
            span = timedelta(days=days, seconds=1)
            sql += " AND start_utc BETWEEN ? AND ?"
            params += [(at - span).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       (at + span).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]  # fmt: skip
        if open_only:
            sql += (" AND skipped = 0 AND id NOT IN"
                    " (SELECT plan_id FROM records WHERE plan_id IS NOT NULL)")  # fmt: skip
        sql += " ORDER BY start_utc, id"
        with self._read():
            found = [_from_columns(*row) for row in self.conn.execute(sql, params)]
        return [plan for plan in found if isinstance(plan, Plan)]

    def fulfilments(self) -> dict[int, tuple[int, datetime]]:
        """Each fulfilled plan's id -> (id, start) of the session that
        fulfilled it (the earliest, should two name it)."""
        done: dict[int, tuple[int, datetime]] = {}
        with self._read():
            rows = self.conn.execute(
                "SELECT plan_id, id, start FROM records WHERE plan_id IS NOT NULL"
                " ORDER BY start_utc DESC, id DESC"
            ).fetchall()
        for plan_id, record_id, start in rows:
            done[plan_id] = (record_id, datetime.fromisoformat(start))
        return done

    def plan_versions(self) -> tuple[str, dict[int, tuple[str, int]]]:
        """What a calendar needs to know a plan again: the database's own
        mark (when its schema's first step ran, as stored) and each plan's
        id -> (when it was created, how many times it changed since). A
        change is an edit (``edit``, ``plan move``, ``plan skip``) or the
        undoing of one: either moves the count up, never down."""
        with self._read():
            row = self.conn.execute(
                "SELECT applied_at FROM _migrations ORDER BY version LIMIT 1"
            ).fetchone()
            created = dict(
                self.conn.execute("SELECT id, created_at FROM records WHERE kind = 'plan'")
            )
            changes = dict(self.conn.execute(
                "SELECT CAST(item.value AS INTEGER), count(*) + count(journal.undone_at)"
                " FROM journal, json_each(journal.record_ids) AS item"
                " WHERE journal.action = 'edit' GROUP BY item.value"
            ))  # fmt: skip
        versions = {plan: (made, changes.get(plan, 0)) for plan, made in created.items()}
        return ("" if row is None else row[0]), versions

    def fulfilled_by(self, record_id: int) -> int | None:
        """The plan the session ``record_id`` fulfilled, if any."""
        with self._read():
            row = self.conn.execute(
                "SELECT plan_id FROM records WHERE id = ?", (record_id,)
            ).fetchone()
        return None if row is None else row[0]

    def count(self) -> int:
        with self._read():
            return self.conn.execute("SELECT count(*) FROM records").fetchone()[0]

    # -- import ----------------------------------------------------------

    def import_file(
        self,
        items: list[Imported],
        *,
        batch: str,
        this_import: set[int],
        exact: bool = False,
        now: datetime | None = None,
    ) -> FileStored:
        """Store the records of one imported file; say what became of each.

        One ``BEGIN IMMEDIATE`` transaction per file, journaled as an
        ``import`` in ``batch``: an interrupted import keeps the files it
        finished, and ``undo`` reverts every file of the batch at once.
        ``items``: the new records, each with its ``source_id`` and
        ``exported_id`` (``Imported``). Each record first passes the limits
        every stored record keeps (``fields.record_problem``, ``now``
        bounding the start): one that breaks them is refused. Then a record
        that duplicates one stored before this import began is a duplicate;
        one that repeats a record this import stored from another file (ids in
        ``this_import``, which grows with what is stored) is a repeat; either
        is counted, not stored. ``exact``: the records of a rubdown JSON
        export, compared exactly rather than by the window (the rule:
        ``rubdown.store.dedupe``) and never with one another. A session
        stored from such an export that names the plan it fulfilled there
        (``fulfils``, an exported id) is linked to that plan as this file
        stored it (or found it already stored), when that plan is still open.
        """
        from rubdown.fields import record_problem
        from rubdown.store.dedupe import duplicate_ids, same_record_ids

        now = now or _now()
        created = _created_at()
        outcome = FileStored()
        snapshots = []
        this_file: set[int] = set()
        plan_ids: dict[object, int] = {}  # exported id -> id here, for plans
        links: list[tuple[dict, object]] = []  # (stored session, exported plan id)
        with self._write():
            for index, item in enumerate(items):
                record = item.record
                problem = record_problem(record.kind, _record_fields(record), now=now)
                if problem is not None:
                    outcome.refused.append((index, problem))
                    continue
                row = _new_row(record, created, source_id=item.source_id)
                if exact:
                    compared = ("type", "note", *CHILD_FIELDS[record.kind])
                    hits = same_record_ids(
                        self.conn, row, item.exported_id, self._row, compared
                    )
                    hits = [hit for hit in hits if hit not in this_file]
                else:
                    hits = duplicate_ids(self.conn, row)
                if record.kind == "check-in":  # one per local day: the stored one stays
                    hits = [hit for (hit,) in self.conn.execute(
                        "SELECT id FROM records WHERE kind = 'check-in' AND local_date = ?",
                        (row["start"][:10],),
                    )]  # fmt: skip
                if exact and record.kind == "plan" and hits:
                    plan_ids[item.exported_id] = hits[0]
                if any(hit not in this_import for hit in hits):
                    outcome.duplicates += 1
                    continue
                if hits:
                    outcome.repeated += 1
                    continue
                snapshot = self._insert_new(row)
                this_file.add(snapshot["id"])
                snapshots.append(snapshot)
                if exact and record.kind == "plan":
                    plan_ids[item.exported_id] = snapshot["id"]
                elif exact and item.fulfils is not None:
                    links.append((snapshot, item.fulfils))
            self._link_plans(links, plan_ids)
            if snapshots:
                self._journal("import", snapshots, at=created, batch=batch)
        this_import.update(this_file)
        for snapshot in snapshots:
            outcome.stored[snapshot["kind"]] = outcome.stored.get(snapshot["kind"], 0) + 1
        return outcome

    def _link_plans(self, links: list[tuple[dict, object]], plan_ids: dict[object, int]) -> None:
        """Link each stored session to the plan it fulfilled in the export
        (its snapshot too, so the journal keeps the link), when that plan
        was read from the same file and no session here fulfils it yet."""
        for snapshot, exported in links:
            plan_id = plan_ids.get(exported)
            if plan_id is None:
                continue
            taken = self.conn.execute(
                "SELECT 1 FROM records WHERE plan_id = ?", (plan_id,)
            ).fetchone()
            if taken is None:
                self.conn.execute(
                    "UPDATE records SET plan_id = ? WHERE id = ?", (plan_id, snapshot["id"])
                )
                snapshot["plan_id"] = plan_id

    def _batch_entries(self, batch: str) -> tuple[list[int], list[dict]]:
        """The open journal rows of one import batch and their snapshots."""
        entry_ids, rows = [], []
        for entry_id, snapshot in self.conn.execute(
            "SELECT id, snapshot FROM journal WHERE batch = ? AND undone_at IS NULL ORDER BY id",
            (batch,),
        ):
            entry_ids.append(entry_id)
            rows.extend(_snapshot(entry_id, snapshot))
        return entry_ids, rows


def _now() -> datetime:
    from rubdown import clock

    return clock.now()


def refuse_invalid(record: Record, *, now: datetime | None = None) -> None:
    """Raise a ParseError (a usage error) naming the first value of the new
    ``record`` that breaks the limits every stored record keeps
    (``fields.record_problem``)."""
    _refuse(record.kind, _record_fields(record), now=now)


def _refuse(
    kind: str, fields: dict, *, now: datetime | None = None, only: set[str] | None = None
) -> None:
    """``refuse_invalid`` for the field values of a record of ``kind`` (by
    name; ``only``: consider only these fields' problems, as an edit does)."""
    from rubdown.errors import ParseError
    from rubdown.fields import record_problem

    problem = record_problem(kind, fields, now=now, only=only)
    if problem is not None:
        raise ParseError(f"Not stored: {problem}")


def _created_at() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_row(
    record: Record,
    created_at: str,
    *,
    source: str | None = None,
    source_id: str | None = None,
) -> dict:
    """The row of a new record: its columns, when it was stored, its
    ``source_id`` (if any), and ``source`` unless the record names its own."""
    row = _fields_to_row(record.kind, _record_fields(record))
    row["created_at"] = created_at
    if source_id is not None:
        row["source_id"] = source_id
    if source is not None and row["source"] is None:
        row["source"] = source
    return row
