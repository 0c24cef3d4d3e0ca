"""The database: opening it safely, reading and writing records.

This is the only module (with ``migrations``) that knows SQL. Every write is a
``BEGIN IMMEDIATE`` transaction that also appends to ``journal``, so ``undo``
always reverts exactly the last committed write, even after a crash.

The hot paths (``log``, ``list``, ``report``) use the standard library's
``sqlite3`` directly: importing sqlite-utils costs more than the whole budget
of a ``rubdown log run`` (docs/performance.md). sqlite-utils serves the
administrative commands (``db check``).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from rubdown.errors import NotFound, RubdownError
from rubdown.models import Massage, Record, Run, SelfCare

BUSY_TIMEOUT_S = 5.0

# Fields a user may set, per kind, and the table each lives in.
RECORD_FIELDS = ("type", "start", "note", "source")
CHILD_FIELDS = {
    "run": ("distance_m", "duration_s", "rpe", "event", "leg"),
    "massage": ("minutes", "therapist", "cost_cents", "focus"),
    "self-care": ("minutes",),
}
CHILD_TABLE = {"run": "runs", "massage": "massages", "self-care": "self_care"}

_TIMELINE_COLUMNS = (
    "id, kind, type, start, distance_m, duration_s, rpe, event, leg, minutes,"
    " therapist, cost_cents, focus, note, source, created_at"
)


def busy_timeout() -> float:
    value = os.environ.get("RUBDOWN_BUSY_TIMEOUT")
    try:
        return max(0.0, float(value)) if value else BUSY_TIMEOUT_S
    except ValueError:
        return BUSY_TIMEOUT_S


def explain(exc: sqlite3.Error, path: Path | str) -> RubdownError:
    """Turn an SQLite error into one line that says what to do."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return RubdownError(
            f"The database {path} is busy: another rubdown is writing to it. "
            "Try again in a moment."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return RubdownError(
            f"{path} is not a readable rubdown database (damaged or another kind of file). "
            "Run 'rubdown db check', or restore a copy made with 'rubdown db backup'."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return RubdownError(
            f"Cannot write to {path}: no permission. Check the file and folder "
            "permissions, or point --db at a writable place."
        )
    if "full" in text:
        return RubdownError(
            f"The disk holding {path} is full; nothing was written. Free some space and "
            "try again."
        )
    if "disk i/o" in text:
        return RubdownError(
            f"The disk holding {path} failed to read or write; nothing was written. "
            "Check the disk, then run 'rubdown db check'."
        )
    return RubdownError(f"Database error on {path}: {exc}. Run 'rubdown db check'.")


def _create_private_file(path: Path) -> None:
    """Create the database file 0600 (and its folder 0700) whatever the umask."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(parents=True, exist_ok=True)
        os.chmod(parent, 0o700)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)
class Undone:
    """What ``undo`` reverted: the action and the records it touched."""

    action: str
    records: list[Record]


class Store:
    """An open rubdown database."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    # -- opening ---------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, write: bool) -> Store:
        """Open (and for writes create) the database at ``path``.

        A missing database opened for reading is an empty in-memory one, so
        reading never creates files.
        """
        if not path.exists():
            if not write:
                return cls._connect(":memory:", path, write=True)
            _create_private_file(path)
        elif path.is_dir():
            raise RubdownError(f"{path} is a folder; --db needs a database file path.")
        return cls._connect(str(path), path, write=write)

    @classmethod
    def _connect(cls, target: str, path: Path, *, write: bool) -> Store:
        try:
            conn = sqlite3.connect(target, timeout=busy_timeout(), isolation_level=None)
        except sqlite3.Error as exc:
            raise explain(exc, path) from None
        store = cls(conn, path)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            from rubdown import migrations

            if version > migrations.LATEST:
                raise RubdownError(
                    f"{path} was written by a newer rubdown (schema {version}); "
                    "upgrade rubdown to read it."
                )
            if write and target != ":memory:":
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if mode != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
            if version < migrations.LATEST:
                if not write and target != ":memory:":
                    # Reading an old database: upgrade it like a write would.
                    conn.execute("PRAGMA journal_mode = WAL")
                migrations.apply(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise explain(exc, path) from None
        except BaseException:
            conn.close()
            raise
        return store

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
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from None

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.conn
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from None

    def _journal(self, action: str, records: list[dict]) -> None:
        self.conn.execute(
            "INSERT INTO journal (at, action, record_ids, snapshot) VALUES (?, ?, ?, ?)",
            (
                datetime.now(UTC).isoformat(timespec="seconds"),
                action,
                json.dumps([r["id"] for r in records]),
                json.dumps(records),
            ),
        )

    # -- rows <-> records ------------------------------------------------

    def _row(self, record_id: int) -> dict | None:
        cur = self.conn.execute(
            f"SELECT {_TIMELINE_COLUMNS}, source_id FROM timeline WHERE id = ?", (record_id,)
        )
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def _insert_row(self, row: dict, *, keep_id: bool) -> int:
        kind = row["kind"]
        cols = ["kind", *RECORD_FIELDS, "source_id", "created_at"]
        values = [row.get(c) for c in cols]
        if keep_id:
            cols.insert(0, "id")
            values.insert(0, row["id"])
        cur = self.conn.execute(
            f"INSERT INTO records ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            values,
        )
        record_id = row["id"] if keep_id else cur.lastrowid
        child_cols = CHILD_FIELDS[kind]
        self.conn.execute(
            f"INSERT INTO {CHILD_TABLE[kind]} (id, {', '.join(child_cols)})"
            f" VALUES (?{', ?' * len(child_cols)})",
            [record_id, *(row.get(c) for c in child_cols)],
        )
        return record_id

    # -- writes ----------------------------------------------------------

    def add(self, kind: str, fields: dict) -> Record:
        """Insert one record of ``kind`` with model-level ``fields``."""
        row = _fields_to_row(kind, fields)
        row["created_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        with self._write():
            record_id = self._insert_row(row, keep_id=False)
            snapshot = self._row(record_id)
            self._journal("log", [snapshot])
        return row_to_record(snapshot)

    def add_many(self, items: list[tuple[str, dict]], *, source: str | None = None) -> int:
        """Insert many records in one transaction, journaled as one import."""
        created = datetime.now(UTC).isoformat(timespec="seconds")
        snapshots = []
        with self._write():
            for kind, fields in items:
                row = _fields_to_row(kind, fields)
                row["created_at"] = created
                if source is not None:
                    row.setdefault("source", source)
                snapshots.append(self._row(self._insert_row(row, keep_id=False)))
            if snapshots:
                self._journal("import", snapshots)
        return len(snapshots)

    def update(self, record_id: int, fields: dict) -> tuple[Record, Record]:
        """Change some fields of a record; return (before, after)."""
        with self._write():
            before = self._row(record_id)
            if before is None:
                raise NotFound(f"No record #{record_id}. See 'rubdown list' for ids.")
            kind = before["kind"]
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
            after = self._row(record_id)
            self._journal("edit", [before])
        return row_to_record(before), row_to_record(after)

    def delete(self, record_id: int) -> Record:
        with self._write():
            before = self._row(record_id)
            if before is None:
                raise NotFound(f"No record #{record_id}. See 'rubdown list' for ids.")
            self.conn.execute("DELETE FROM records WHERE id = ?", (record_id,))
            self._journal("delete", [before])
        return row_to_record(before)

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
            rows = json.loads(snapshot)
            entry_ids = [entry_id]
            if batch is not None:  # one import run: every file it committed
                entry_ids, rows = self._batch_entries(batch)
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
            at = datetime.now(UTC).isoformat(timespec="seconds")
            self.conn.executemany(
                "UPDATE journal SET undone_at = ? WHERE id = ?", [(at, i) for i in entry_ids]
            )
        return Undone(action, [row_to_record(r) for r in rows])

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
    ) -> list[Record]:
        """Records oldest first, by local date ``since``..``until`` and start <= ``end``."""
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
        sql = f"SELECT {_TIMELINE_COLUMNS} FROM timeline"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY start_utc, id"
        with self._read():
            return [_from_columns(*row) for row in self.conn.execute(sql, params)]

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

    def count(self) -> int:
        with self._read():
            return self.conn.execute("SELECT count(*) FROM records").fetchone()[0]

    # == import (rubdown import) ==========================================
    # Appended for `rubdown import`; see the module section "import" below
    # for the duplicate rule and its SQL.

    @classmethod
    def open_copy(cls, path: Path) -> Store:
        """An in-memory copy of the database at ``path``, for a dry run.

        The file is read through a read-only connection and never written,
        not even upgraded: an older schema is migrated in the copy. A missing
        file gives an empty database.
        """
        if not path.exists():
            return cls.open(path, write=False)
        if path.is_dir():
            raise RubdownError(f"{path} is a folder; --db needs a database file path.")
        from rubdown import migrations

        copy = sqlite3.connect(":memory:", isolation_level=None)
        try:
            source = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=busy_timeout(),
                isolation_level=None,
            )
            try:
                source.backup(copy)
            finally:
                source.close()
            version = copy.execute("PRAGMA user_version").fetchone()[0]
            if version > migrations.LATEST:
                raise RubdownError(
                    f"{path} was written by a newer rubdown (schema {version}); "
                    "upgrade rubdown to read it."
                )
            copy.execute("PRAGMA foreign_keys = ON")
            migrations.apply(copy)
        except sqlite3.Error as exc:
            copy.close()
            raise explain(exc, path) from None
        except BaseException:
            copy.close()
            raise
        return cls(copy, path)

    def import_file(
        self, items: list[tuple[str, dict]], *, batch: str
    ) -> tuple[dict[str, int], int]:
        """Store the records of one imported file; return how many were
        stored by kind, and how many were duplicates (not stored).

        One ``BEGIN IMMEDIATE`` transaction per file, journaled as an
        ``import`` in ``batch``: an interrupted import keeps the files it
        finished, and ``undo`` reverts every file of the batch at once.
        ``fields`` may carry ``source_id``. A record that duplicates one
        already stored (the rule is at the end of this module) is counted,
        not stored.
        """
        created = datetime.now(UTC).isoformat(timespec="seconds")
        snapshots = []
        duplicates = 0
        with self._write():
            for kind, fields in items:
                row = _fields_to_row(kind, fields)
                row["created_at"] = created
                if self._duplicate_id(row) is not None:
                    duplicates += 1
                    continue
                snapshots.append(self._row(self._insert_row(row, keep_id=False)))
            if snapshots:
                self.conn.execute(
                    "INSERT INTO journal (at, action, record_ids, snapshot, batch)"
                    " VALUES (?, 'import', ?, ?, ?)",
                    (
                        created,
                        json.dumps([r["id"] for r in snapshots]),
                        json.dumps(snapshots),
                        batch,
                    ),
                )
        stored: dict[str, int] = {}
        for snapshot in snapshots:
            stored[snapshot["kind"]] = stored.get(snapshot["kind"], 0) + 1
        return stored, duplicates

    def _duplicate_id(self, row: dict) -> int | None:
        """The id of a stored record that ``row`` would duplicate, or None."""
        source_id = row.get("source_id")
        if source_id is not None:
            hit = self.conn.execute(
                "SELECT id FROM records WHERE source_id = ?", (source_id,)
            ).fetchone()
            if hit is not None:
                return hit[0]
        low, high = _start_window(row["start"])
        if row["kind"] != "run":
            hit = self.conn.execute(_SAME_SESSION_SQL, (row["kind"], low, high)).fetchone()
            return None if hit is None else hit[0]
        for record_id, distance_m in self.conn.execute(_SAME_RUN_SQL, (low, high)):
            if same_distance(row.get("distance_m"), distance_m):
                return record_id
        return None

    def _batch_entries(self, batch: str) -> tuple[list[int], list[dict]]:
        """The open journal rows of one import batch and their snapshots."""
        entry_ids, rows = [], []
        for entry_id, snapshot in self.conn.execute(
            "SELECT id, snapshot FROM journal WHERE batch = ? AND undone_at IS NULL ORDER BY id",
            (batch,),
        ):
            entry_ids.append(entry_id)
            rows.extend(json.loads(snapshot))
        return entry_ids, rows


def _fields_to_row(kind: str, fields: dict, *, partial: bool = False) -> dict:
    """Model-level fields (datetimes, tuples) -> column values."""
    row: dict = {} if partial else {"kind": kind}
    for key, value in fields.items():
        if key == "start":
            value = _iso(value)
        elif key == "focus":
            value = json.dumps(list(value)) if value else None
        row[key] = value
    return row


def row_to_record(row: dict) -> Record:
    return _from_columns(*(row[c] for c in _COLUMN_NAMES))


_COLUMN_NAMES = tuple(c.strip() for c in _TIMELINE_COLUMNS.split(","))


def _from_columns(
    id, kind, type, start, distance_m, duration_s, rpe, event, leg, minutes,  # noqa: A002
    therapist, cost_cents, focus, note, source, created_at,
) -> Record:  # fmt: skip
    """A record from one timeline row, in ``_TIMELINE_COLUMNS`` order."""
    start = datetime.fromisoformat(start)
    if kind == "run":
        return Run(id, start, type, distance_m, duration_s, rpe, event, leg, note, source)
    if kind == "massage":
        return Massage(
            id, start, type, minutes, therapist, cost_cents,
            tuple(json.loads(focus)) if focus else (), note, source,
        )  # fmt: skip
    return SelfCare(id, start, type, minutes, note, source)


# -- administration: check and backup -------------------------------------


@dataclass(frozen=True, slots=True)
class CheckResult:
    problems: list[str]
    version: int | None
    counts: dict[str, int]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(path: Path) -> CheckResult:
    """Integrity and foreign-key check, read-only, without migrating."""
    uri = f"file:{path}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout(), isolation_level=None)
    except sqlite3.Error as exc:
        return CheckResult([str(exc)], None, {})
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        problems = [p for p in problems if p != "ok"]
        problems += [
            f"row {row[1]} of {row[0]} points at a missing {row[2]}"
            for row in conn.execute("PRAGMA foreign_key_check")
        ]
        counts: dict[str, int] = {}
        if not problems and version >= 1:
            from sqlite_utils import Database

            db = Database(conn)
            counts = {
                "runs": db["runs"].count,
                "massages": db["massages"].count,
                "self-care": db["self_care"].count,
            }
        return CheckResult(problems, version, counts)
    except sqlite3.Error as exc:
        return CheckResult([str(exc)], None, {})
    finally:
        conn.close()


def backup(source: Store, dest: Path, *, overwrite: bool = False) -> int:
    """Copy the database consistently (while others write) to ``dest``, mode 0600.

    The copy is written beside ``dest`` and renamed into place, so a crash
    never leaves a half-written backup under the final name.
    """
    import tempfile

    if dest.exists() and not overwrite:
        raise RubdownError(f"{dest} already exists; choose another name or pass --force.")
    if dest.is_dir():
        raise RubdownError(f"{dest} is a folder; give a file name for the backup.")
    if not dest.parent.is_dir():
        raise RubdownError(f"The folder {dest.parent} does not exist; create it first.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)  # 0600
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            count = target.execute("SELECT count(*) FROM records").fetchone()[0]
        finally:
            target.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise explain(exc, dest) from None
    finally:
        tmp.unlink(missing_ok=True)
    return count


# == import: the duplicate rule (SPEC 8) ====================================

#: An imported record is the same session as a stored one of its kind when
#: their starts are at most this far apart ...
DUPLICATE_WINDOW_S = 120
#: ... and, for runs whose distances are both known, the distances differ by
#: at most this fraction of the longer one.
DUPLICATE_DISTANCE_RATIO = 0.03

_UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # the format of the generated start_utc column

# Both read the (kind, start_utc) index: a range scan, never the whole table.
_SAME_RUN_SQL = (
    "SELECT r.id, ru.distance_m FROM records r JOIN runs ru ON ru.id = r.id"
    " WHERE r.kind = 'run' AND r.start_utc BETWEEN ? AND ? ORDER BY r.start_utc, r.id"
)
_SAME_SESSION_SQL = (
    "SELECT id FROM records WHERE kind = ? AND start_utc BETWEEN ? AND ?"
    " ORDER BY start_utc, id LIMIT 1"
)


def _start_window(start: str) -> tuple[str, str]:
    """The ``start_utc`` bounds of the sessions that may duplicate ``start``."""
    from datetime import timedelta

    instant = datetime.fromisoformat(start).astimezone(UTC)
    window = timedelta(seconds=DUPLICATE_WINDOW_S)
    return (instant - window).strftime(_UTC_FORMAT), (instant + window).strftime(_UTC_FORMAT)


def same_distance(a: float | None, b: float | None) -> bool:
    """Whether two run distances agree within ``DUPLICATE_DISTANCE_RATIO``;
    an unknown distance agrees with any (the start decides alone)."""
    if a is None or b is None:
        return True
    return abs(a - b) <= DUPLICATE_DISTANCE_RATIO * max(a, b)
