"""The database: opening it safely, reading and writing records.

This is the only module (with ``migrations``) that knows SQL. Every write is a
``BEGIN IMMEDIATE`` transaction that also appends to ``journal``, so ``undo``
always reverts exactly the last committed write, even after a crash.

Opening refuses, untouched, what is not there to be used (an empty file, a
file lost beside its WAL, another program's database), reads what it may not
write without creating anything beside it, and saves a copy before a schema
upgrade changes a database that holds data. Values are checked as records
leave the store, so damage SQLite cannot see is named, not a crash. The
promises and their proof: docs/reliability.md.

The hot paths (``log``, ``list``, ``report``) use the standard library's
``sqlite3`` directly: importing sqlite-utils costs more than the whole budget
of a ``rubdown log run`` (docs/performance.md). sqlite-utils serves the
administrative commands (``db check``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from rubdown.errors import NotFound, RubdownError
from rubdown.models import Massage, Record, Run, SelfCare

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    R = TypeVar("R", bound=Record)

BUSY_TIMEOUT_S = 5.0
MAX_ID = 2**63 - 1  #: the largest id SQLite stores
#: rubdown builds a new database beside its path and links it into place
#: complete, so it never leaves an empty file there; only on a file system
#: without hard links is it made in place, empty for a moment. An empty file
#: younger than this is waited for (another rubdown is creating it); an
#: older one is refused (see ``_refuse_lost_or_empty``).
NEW_FILE_GRACE_S = 2.0

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
    """Seconds to wait for another writer: ``RUBDOWN_BUSY_TIMEOUT``, else 5.
    A bad value is refused (a usage error), never ignored."""
    from rubdown import environment

    value = environment.number("RUBDOWN_BUSY_TIMEOUT")
    return BUSY_TIMEOUT_S if value is None else float(value)


def explain(exc: sqlite3.Error | UnicodeDecodeError, path: Path | str) -> RubdownError:
    """Turn an SQLite error into one line that says what to do.

    Text that is not UTF-8 is damage: Python's sqlite3 reports a stored value
    as "Could not decode to UTF-8", and an SQLite message quoting such text
    (a damaged schema) as a UnicodeDecodeError, which is no sqlite3.Error.
    """
    if isinstance(exc, UnicodeDecodeError):
        return _not_utf8(Path(path))
    text = str(exc).lower()
    if "could not decode to utf-8" in text:  # a stored value
        return _not_utf8(Path(path))
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
        return cannot_write(Path(path))
    if "full" in text:
        return RubdownError(
            f"The disk holding {path} is full; nothing was written. Free some space and "
            "try again."
        )
    if "disk i/o" in text or (getattr(exc, "sqlite_errorname", None) or "").startswith(
        "SQLITE_IOERR"
    ):
        return RubdownError(
            f"The disk holding {path} failed to read or write (full, over a file size "
            "limit, or failing); nothing was written. Free some space or check the disk, "
            "then run 'rubdown db check'."
        )
    return RubdownError(f"Database error on {path}: {exc}. Run 'rubdown db check'.")


def _side(path: Path, suffix: str) -> Path:
    """A companion file of the database: ``-wal``, ``-shm``, ``-journal``."""
    return path.with_name(path.name + suffix)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def read_only_part(path: Path) -> str | None:
    """What keeps rubdown from writing the database at ``path``, or None.

    SQLite writes the file and its ``-wal`` and ``-shm`` companions, creating
    those in the file's folder when they are missing. Other rubdown processes
    delete and create the companions at any moment (the last connection to
    close removes them), so a companion is read-only only if it is there and
    not writable when looked at again.
    """
    if path.exists() and not os.access(path, os.W_OK):
        return "the file is read-only"
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    for suffix in ("-wal", "-shm"):
        side = _side(path, suffix)
        if os.access(side, os.W_OK):
            continue
        if side.exists():
            if not os.access(side, os.W_OK):
                return f"{side.name} beside it is read-only"
        elif not folder_writable:
            return f"its folder {path.parent} is read-only"
    return None


def cannot_write(path: Path, why: str | None = None) -> RubdownError:
    why = why or read_only_part(path) or "no permission"
    return RubdownError(
        f"Cannot write to {path}: {why}. Fix the permissions, or point --db at a writable "
        "place; reading commands still work."
    )


def _refuse_lost_or_empty(path: Path) -> None:
    """Refuse a database file that is not there to be used, without touching it.

    - Missing or empty while its ``-wal`` holds data: the file was lost or
      truncated. SQLite would start a new database there and discard the
      WAL, the only copy of the latest writes.
    - Empty (0 bytes) and not being created right now: rubdown never leaves
      an empty database (``_create_database``), so this is a log that lost
      its content (a failed copy, a sync tool) or a file rubdown did not make.
      Starting a new log in it would hide the loss.
    """
    size = _size(path)
    wal = _side(path, "-wal")
    wal_size = _size(wal) or 0
    if size == 0 and not wal_size:
        size = _settled_size(path)
    if wal_size and not size:
        state = "missing" if size is None else "empty (0 bytes)"
        raise RubdownError(
            f"{path} is {state} but {wal.name} beside it holds {wal_size} bytes of its "
            "data: the database file was lost or truncated. rubdown changed nothing; keep "
            f"both files and restore {path.name} from a backup."
        )
    if size == 0:
        raise RubdownError(
            f"{path} is an empty file (0 bytes), not a rubdown database; rubdown leaves it "
            "alone. If your log was there, restore it from a backup; to start a new log, "
            "point --db at a new file name."
        )


def _under_a_file(path: Path, blocker: Path | None) -> RubdownError:
    return RubdownError(
        f"Cannot use {path} as the database: {blocker} is a file, not a folder. Point --db "
        "at another path."
    )


def refuse_unusable(path: Path) -> None:
    """Refuse, untouched, a database path that cannot hold a database, with
    the reason: a folder, a device or pipe, a link to nothing, a file where
    one of its folders should be."""
    import stat

    from rubdown.paths import blocking_file

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise RubdownError(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist. "
                "Fix the link, or point --db at the database file."
            ) from None
        blocker = blocking_file(path)
        if blocker is not None:
            raise _under_a_file(path, blocker) from None
        return
    except NotADirectoryError:
        raise _under_a_file(path, blocking_file(path)) from None
    except OSError:
        return  # no permission to look: opening says so
    if stat.S_ISDIR(mode):
        raise RubdownError(
            f"{path} is a folder, not a database file; point --db at a file in it, such "
            f"as {path / 'rubdown.db'}."
        )
    if not stat.S_ISREG(mode):
        raise RubdownError(
            f"{path} is not a regular file (a device, pipe or socket), so it cannot hold "
            "a database; point --db at a database file."
        )


def _settled_size(path: Path) -> int | None:
    """The size of an empty ``path``, after waiting while it is empty and new."""
    try:
        info = path.stat()
        left = NEW_FILE_GRACE_S - (time.time() - info.st_mtime)
        deadline = time.monotonic() + min(max(left, 0.0), NEW_FILE_GRACE_S)
        while info.st_size == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
            info = path.stat()
    except FileNotFoundError:
        return None
    return info.st_size


def _create_database(path: Path) -> None:
    """Create a complete new database at ``path``: mode 0600 whatever the
    umask, each missing folder above it made 0700.

    It is built under a temporary name beside ``path`` (schema applied, WAL
    mode set) and linked into place, so neither another process nor a crash
    ever finds an empty or half-made database there. When another rubdown
    has created ``path`` meanwhile, its database is kept and this one dropped.
    """
    import tempfile

    from rubdown import migrations
    from rubdown.files import make_private_folders

    parent = path.parent
    try:
        make_private_folders(parent)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=parent)
    except OSError as exc:
        raise cannot_write(path, f"cannot create it ({exc.strerror or exc})") from None
    os.close(fd)  # mkstemp made it 0600
    tmp = Path(name)
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            migrations.apply(conn)
        finally:
            conn.close()
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another rubdown created it first: use that one
        except OSError:
            _create_empty(path)  # no hard links here: made in place on open
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise explain(exc, path) from None
    except OSError as exc:
        raise cannot_write(path, f"cannot create it ({exc.strerror or exc})") from None
    finally:
        _remove(tmp)


def _create_empty(path: Path) -> None:
    """Create ``path`` empty with mode 0600, unless it exists."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Remove a temporary database and any companion SQLite left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        _side(path, suffix).unlink(missing_ok=True)


def _read_connection(path: Path) -> sqlite3.Connection:
    """A read-only connection to the database at ``path``.

    Where rubdown may not write (a read-only file, folder or companion) and
    no WAL is pending, the file is opened immutable: SQLite then needs no
    ``-shm`` beside it, which a read-only folder forbids and which would
    otherwise be left behind read-only, blocking later writers.
    """
    pending = bool(_size(_side(path, "-wal")))
    immutable = not pending and read_only_part(path) is not None
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout(), isolation_level=None)


@contextmanager
def _closed_on_failure(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """Close ``conn`` when what runs inside fails; an SQLite error as one line."""
    try:
        yield
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        conn.close()
        raise explain(exc, path) from None
    except BaseException:
        conn.close()
        raise


def _schema_version(conn: sqlite3.Connection, path: Path) -> int:
    """The database's schema version; refuses a newer rubdown's database and
    an SQLite database of another program (tables but no version)."""
    from rubdown import migrations

    # One statement, so one snapshot: read apart, another rubdown creating the
    # file in place could commit its first step between the two reads, and
    # its tables would seem to have no version.
    version, tables = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    if version > migrations.LATEST:
        raise RubdownError(
            f"{path} was written by a newer rubdown (schema {version}); "
            "upgrade rubdown to read it."
        )
    if version == 0 and tables:
        raise RubdownError(
            f"{path} is an SQLite database of another program (tables, but no rubdown "
            "schema); rubdown leaves it alone. Point --db at a rubdown database or a new file."
        )
    return version


def _upgraded_copy(source: sqlite3.Connection, path: Path) -> sqlite3.Connection:
    """An in-memory copy of ``source`` at the latest schema; ``source`` is
    only read."""
    from rubdown import migrations

    _schema_version(source, path)
    copy = sqlite3.connect(":memory:", isolation_level=None)
    try:
        source.backup(copy)
        copy.execute("PRAGMA foreign_keys = ON")
        migrations.apply(copy)
    except BaseException:
        copy.close()
        raise
    return copy


def notify(line: str) -> None:
    """Tell the user, on stderr, about something the store did unasked (a
    copy saved before an upgrade). Said here because every command that
    opens a database must say it, whichever way it opened it."""
    from rubdown.render import clean

    print(clean(line), file=sys.stderr)


def _iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat()


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
    """An open rubdown database."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    # -- opening ---------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, write: bool, create: bool | None = None) -> Store:
        """Open the database at ``path``; for writes, create it when missing
        (unless ``create`` is False).

        A missing database that is not to be created (reading; ``edit``,
        ``delete`` and ``undo``, which find nothing there to change) is an
        empty in-memory one, so only a write that stores something creates
        files. A database rubdown may not write is still read (an older
        schema upgraded in memory only); writing to it is refused before
        SQLite touches anything. A database that holds data is copied beside
        itself before a schema upgrade.
        """
        busy_timeout()  # a bad RUBDOWN_BUSY_TIMEOUT is refused before anything is made
        refuse_unusable(path)
        _refuse_lost_or_empty(path)
        if not path.exists():
            if not write or create is False:
                return cls._connect(":memory:", path, write=True)
            _create_database(path)
        problem = read_only_part(path)
        if problem is not None:
            if write:
                raise cannot_write(path, problem)
            return cls._open_read_only(path)
        return cls._connect(str(path), path, write=write)

    @classmethod
    def _connect(cls, target: str, path: Path, *, write: bool) -> Store:
        try:
            conn = sqlite3.connect(target, timeout=busy_timeout(), isolation_level=None)
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise explain(exc, path) from None
        store = cls(conn, path)
        with _closed_on_failure(conn, path):
            conn.execute("PRAGMA foreign_keys = ON")
            version = _schema_version(conn, path)
            from rubdown import migrations

            if write and target != ":memory:":
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if mode != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
            if version < migrations.LATEST:
                if not write and target != ":memory:":
                    # Reading an old database: upgrade it like a write would.
                    conn.execute("PRAGMA journal_mode = WAL")
                save = None if target == ":memory:" else store._save_before_upgrade
                migrations.apply(conn, before_changes=save)
        return store

    @classmethod
    def _open_read_only(cls, path: Path) -> Store:
        """Read a database rubdown may not write, creating nothing beside it."""
        from rubdown import migrations

        try:
            conn = _read_connection(path)
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise explain(exc, path) from None
        with _closed_on_failure(conn, path):
            conn.execute("PRAGMA foreign_keys = ON")
            if _schema_version(conn, path) == migrations.LATEST:
                return cls(conn, path)
            copy = _upgraded_copy(conn, path)  # foreign keys on, as here
        conn.close()
        return cls(copy, path)

    def _save_before_upgrade(self, conn: sqlite3.Connection) -> None:
        """Copy a database that holds data before a schema step changes it:
        ``rubdown.db.before-v2.bak`` beside it (0600; an existing copy is
        never replaced: ``.before-v2.2.bak`` and so on), made with SQLite's
        backup API while the upgrade holds the write lock, so the copy is
        exactly what the steps start from. Called by ``migrations.apply``;
        failing to save the copy cancels the upgrade."""
        from rubdown import migrations

        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < 1 or not conn.execute(
            "SELECT EXISTS (SELECT 1 FROM records) OR EXISTS (SELECT 1 FROM journal)"
        ).fetchone()[0]:
            return  # nothing stored yet: nothing to keep
        stem = f"{self.path.name}.before-v{migrations.LATEST}"
        from glob import escape

        for stale in self.path.parent.glob(f".{escape(stem)}.*.tmp"):
            _remove(stale)  # a copy a killed upgrade did not finish (the lock is ours)
        from rubdown import files

        names = (
            self.path.with_name(f"{stem}.bak" if n == 1 else f"{stem}.{n}.bak")
            for n in range(1, 1000)
        )
        try:
            source = _read_connection(self.path)  # the committed state; the lock is ours
            try:
                dest = files.write_private_first_free(
                    names, lambda tmp: _copy_database(source, tmp)
                )
            finally:
                source.close()
        except (sqlite3.Error, OSError) as exc:
            raise RubdownError(
                f"Could not save a copy of {self.path} before upgrading it to schema "
                f"{migrations.LATEST} ({exc}); nothing was changed. Free some space or make "
                "its folder writable, then try again."
            ) from None
        notify(
            f"Upgrading {self.path} from schema {version} to {migrations.LATEST}; "
            f"a copy of it as it was is in {dest}"
        )

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
        if not 0 < record_id <= MAX_ID:  # SQLite cannot bind it: no such record
            return None
        cur = self.conn.execute(
            f"SELECT {_TIMELINE_COLUMNS}, source_id FROM timeline WHERE id = ?", (record_id,)
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
            f"SELECT {_TIMELINE_COLUMNS}, source_id FROM timeline WHERE id = ?", (record_id,)
        )
        row = cur.fetchone()
        assert row is not None, record_id
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
        assert record_id is not None  # an INSERT sets lastrowid
        child_cols = CHILD_FIELDS[kind]
        self.conn.execute(
            f"INSERT INTO {CHILD_TABLE[kind]} (id, {', '.join(child_cols)})"
            f" VALUES (?{', ?' * len(child_cols)})",
            [record_id, *(row.get(c) for c in child_cols)],
        )
        return record_id

    # -- writes ----------------------------------------------------------

    def add(self, kind: str, fields: dict) -> Record:
        """Insert one record of ``kind`` with model-level ``fields`` (refused,
        as a ParseError, when they break the limits: ``refuse_invalid``)."""
        refuse_invalid(kind, fields)
        row = _fields_to_row(kind, fields)
        row["created_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        with self._write():
            record_id = self._insert_row(row, keep_id=False)
            snapshot = self._stored_row(record_id)
            self._journal("log", [snapshot])
        return row_to_record(snapshot)

    def add_many(self, items: list[tuple[str, dict]], *, source: str | None = None) -> int:
        """Insert many records in one transaction, journaled as one import."""
        created = datetime.now(UTC).isoformat(timespec="seconds")
        snapshots = []
        now = _now()
        for kind, fields in items:
            refuse_invalid(kind, fields, now=now)
        with self._write():
            for kind, fields in items:
                row = _fields_to_row(kind, fields)
                row["created_at"] = created
                if source is not None:
                    row.setdefault("source", source)
                snapshots.append(self._stored_row(self._insert_row(row, keep_id=False)))
            if snapshots:
                self._journal("import", snapshots)
        return len(snapshots)

    def update(self, record_id: int, fields: dict) -> tuple[Record, Record]:
        """Change some fields of a record; return (before, after)."""
        with self._write():
            before = self._row(record_id)
            if before is None:
                raise NotFound(f"No record #{record_id}. See 'rubdown list' for ids.")
            before_record = row_to_record(before)  # a damaged record is refused unchanged
            kind = before["kind"]
            refuse_invalid(kind, {**_record_fields(before_record), **fields}, only=set(fields))
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
            self._journal("edit", [before])
        return before_record, after

    def delete(self, record_id: int) -> Record:
        with self._write():
            before = self._row(record_id)
            if before is None:
                raise NotFound(f"No record #{record_id}. See 'rubdown list' for ids.")
            record = row_to_record(before)  # a damaged record is refused unchanged
            self.conn.execute("DELETE FROM records WHERE id = ?", (record_id,))
            self._journal("delete", [before])
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
            at = datetime.now(UTC).isoformat(timespec="seconds")
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

    def records_by_kind(
        self, *, since: date, until: date, end: datetime
    ) -> tuple[list[Run], list[Massage], list[SelfCare]]:
        """What ``records`` gives for the same period, as one list per kind, each
        in storage order (callers sort what they need).

        Each kind is read from its own table rather than the timeline view:
        over a long history that is about a third cheaper, which a report over
        all of it feels. A record of no known kind is damage, as in ``records``.
        """
        # The start_utc floor (a day before since; a UTC offset is under a day)
        # adds nothing but lets SQLite read the kind's index from the
        # period's start, rather than from the oldest record on.
        where = (
            "r.local_date >= ? AND r.local_date <= ? AND r.start_utc >= ? AND r.start_utc <= ?"
        )
        params = (
            since.isoformat(),
            until.isoformat(),
            f"{since - timedelta(days=1)}T00:00:00Z",
            end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
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
            unknown = self.conn.execute(_UNKNOWN_KIND_SQL, params * 4).fetchone()
            if unknown is not None:
                raise _damaged(self._stored_row(unknown[0]))
            runs = read("run", _run_from)
            massages = read("massage", _massage_from)
            self_care = read("self-care", _self_care_from)
        return runs, massages, self_care

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
        refuse_unusable(path)
        _refuse_lost_or_empty(path)
        if not path.exists():
            return cls.open(path, write=False)
        try:
            source = _read_connection(path)
            try:
                copy = _upgraded_copy(source, path)
            finally:
                source.close()
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise explain(exc, path) from None
        return cls(copy, path)

    def import_file(
        self,
        items: list[tuple[str, dict]],
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
        ``fields`` may carry ``source_id`` (and, from a JSON export,
        ``exported_id``). Each record first passes the limits every stored
        record keeps (``fields.record_problem``, ``now`` bounding the
        start): one that breaks them is refused. Then a record that
        duplicates one stored before this import began is a duplicate; one
        that repeats a record this import stored from another file (ids in
        ``this_import``, which grows with what is stored) is a repeat; either
        is counted, not stored. ``exact``: the records of a rubdown JSON
        export, compared exactly rather than by the window (the rule is at
        the end of this module) and never with one another.
        """
        from rubdown.fields import record_problem

        now = now or _now()
        created = datetime.now(UTC).isoformat(timespec="seconds")
        outcome = FileStored()
        snapshots = []
        this_file: set[int] = set()
        with self._write():
            for index, (kind, fields) in enumerate(items):
                problem = record_problem(kind, fields, now=now)
                if problem is not None:
                    outcome.refused.append((index, problem))
                    continue
                row = _fields_to_row(kind, fields)
                row["created_at"] = created
                if exact:
                    hits = self._same_record_ids(row, fields.get("exported_id"))
                    hits = [hit for hit in hits if hit not in this_file]
                else:
                    hits = self._duplicate_ids(row)
                if any(hit not in this_import for hit in hits):
                    outcome.duplicates += 1
                    continue
                if hits:
                    outcome.repeated += 1
                    continue
                record_id = self._insert_row(row, keep_id=False)
                this_file.add(record_id)
                snapshots.append(self._stored_row(record_id))
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
        this_import.update(this_file)
        for snapshot in snapshots:
            outcome.stored[snapshot["kind"]] = outcome.stored.get(snapshot["kind"], 0) + 1
        return outcome

    def _duplicate_ids(self, row: dict) -> list[int]:
        """The ids of stored records that ``row`` would duplicate: the same
        fingerprint (``source_id``), or the window rule."""
        hits = []
        source_id = row.get("source_id")
        if source_id is not None:
            hit = self.conn.execute(
                "SELECT id FROM records WHERE source_id = ?", (source_id,)
            ).fetchone()
            if hit is not None:
                hits.append(hit[0])
        low, high = _start_window(row["start"])
        if row["kind"] != "run":
            same = self.conn.execute(_SAME_SESSION_SQL, (row["kind"], low, high))
            hits += [hit for (hit,) in same]
            return hits
        for record_id, distance_m in self.conn.execute(_SAME_RUN_SQL, (low, high)):
            if same_distance(row.get("distance_m"), distance_m):
                hits.append(record_id)
        return hits

    def _same_record_ids(self, row: dict, exported_id: object) -> list[int]:
        """The ids of stored records that are the record of a JSON export:
        the same kind and start (to the second), and either its exported id
        (the database it came from) or every value but the source alike."""
        instant = datetime.fromisoformat(row["start"]).astimezone(UTC).strftime(_UTC_FORMAT)
        hits = []
        for (record_id,) in self.conn.execute(_SAME_START_SQL, (row["kind"], instant)):
            if record_id == exported_id:
                hits.append(record_id)
                continue
            stored = self._row(record_id)
            if stored is not None and all(
                stored.get(name) == row.get(name)
                for name in ("type", "note", *CHILD_FIELDS[row["kind"]])
            ):
                hits.append(record_id)
        return hits

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


def refuse_invalid(
    kind: str, fields: dict, *, now: datetime | None = None, only: set[str] | None = None
) -> None:
    """Raise a ParseError (a usage error) naming the first value of
    ``fields`` that breaks the limits every stored record keeps
    (``fields.record_problem``)."""
    from rubdown.errors import ParseError
    from rubdown.fields import record_problem

    problem = record_problem(kind, fields, now=now, only=only)
    if problem is not None:
        raise ParseError(f"Not stored: {problem}")


def _record_fields(record: Record) -> dict:
    """A record's model-level fields, as ``add`` takes them."""
    return {name: getattr(record, name) for name in record.FIELDS if name != "id"}


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
_TEXT = (str, type(None))


class DamagedRecord(RubdownError):
    """A stored record whose values are not valid: damaged on disk (SQLite
    checks constraints when writing, not when reading)."""


class _BadValues(Exception):
    """A row whose values break the schema's constraints (see ``_from_columns``)."""


def _start_of(start, type, note, source) -> datetime:  # noqa: A002
    """The start of a record whose shared values hold; ValueError otherwise."""
    when = datetime.fromisoformat(start)
    if when.tzinfo is None or not (
        isinstance(type, str) and isinstance(note, _TEXT) and isinstance(source, _TEXT)
    ):
        raise ValueError(start)
    return when


def _run_from(id, type, start, distance_m, duration_s, rpe, event, leg, note, source) -> Run:  # noqa: A002
    try:
        when = _start_of(start, type, note, source)
        if (
            (distance_m is None or distance_m > 0)
            and (duration_s is None or duration_s > 0)
            and (rpe is None or 0 <= rpe <= 10)
            and (leg is None or leg > 0)
            and isinstance(event, _TEXT)
        ):
            return Run(id, when, type, distance_m, duration_s, rpe, event, leg, note, source)
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


def _massage_from(
    id, type, start, minutes, therapist, cost_cents, focus, note, source  # noqa: A002
) -> Massage:
    try:
        when = _start_of(start, type, note, source)
        areas = tuple(json.loads(focus)) if focus else ()  # JSONDecodeError is a ValueError
        if (
            minutes > 0
            and isinstance(therapist, _TEXT)
            and (cost_cents is None or cost_cents >= 0)
            and all(isinstance(area, str) for area in areas)
        ):
            return Massage(id, when, type, minutes, therapist, cost_cents, areas, note, source)
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


def _self_care_from(id, type, start, minutes, note, source) -> SelfCare:  # noqa: A002
    try:
        when = _start_of(start, type, note, source)
        if minutes > 0:
            return SelfCare(id, when, type, minutes, note, source)
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


#: Per kind: its columns (in the argument order of its ``_..._from``, the
#: function that makes the record) and its table.
_KIND_READS = {
    "run": (
        "r.id, r.type, r.start, c.distance_m, c.duration_s, c.rpe, c.event, c.leg,"
        " r.note, r.source",
        "runs",
    ),
    "massage": (
        "r.id, r.type, r.start, c.minutes, c.therapist, c.cost_cents, c.focus, r.note, r.source",
        "massages",
    ),
    "self-care": (
        "r.id, r.type, r.start, c.minutes, r.note, r.source",
        "self_care",
    ),
}


# A record of no known kind, in a period: four seeks on the kind index (the
# "+" keeps the planner off the date indexes) instead of a scan of the period.
_UNKNOWN_KIND_SQL = " UNION ALL ".join(
    f"SELECT r.id FROM records r WHERE {kinds}"
    " AND +r.local_date >= ? AND +r.local_date <= ? AND +r.start_utc >= ?"
    " AND +r.start_utc <= ?"
    for kinds in (
        "r.kind < 'massage'",
        "r.kind > 'massage' AND r.kind < 'run'",
        "r.kind > 'run' AND r.kind < 'self-care'",
        "r.kind > 'self-care'",
    )
) + " LIMIT 1"


def _from_columns(
    id, kind, type, start, distance_m, duration_s, rpe, event, leg, minutes,  # noqa: A002
    therapist, cost_cents, focus, note, source, created_at,
) -> Record:  # fmt: skip
    """A record from one timeline row, in ``_TIMELINE_COLUMNS`` order.

    The values are held to the schema's own constraints on the way: a value
    damaged on disk (which SQLite's integrity check cannot see) makes a
    DamagedRecord naming the record, never a crash further on. A comparison
    with a value of the wrong type raises TypeError, which counts too.
    """
    try:
        if kind == "run":
            return _run_from(id, type, start, distance_m, duration_s, rpe, event, leg, note, source)
        if kind == "massage":
            return _massage_from(
                id, type, start, minutes, therapist, cost_cents, focus, note, source
            )
        if kind == "self-care":
            return _self_care_from(id, type, start, minutes, note, source)
    except _BadValues:
        pass
    values = (id, kind, type, start, distance_m, duration_s, rpe, event, leg, minutes,
              therapist, cost_cents, focus, note, source, created_at)  # fmt: skip
    raise _damaged(dict(zip(_COLUMN_NAMES, values, strict=True)))


def _damaged(row: dict) -> DamagedRecord:
    return DamagedRecord(
        f"Record #{row['id']} is damaged: {record_problem(row) or 'a value'}. "
        "Restore a copy made with 'rubdown db backup', or mend the row with an SQLite "
        "tool; 'rubdown db check' lists every damaged record."
    )


def _not_utf8(path: Path) -> RubdownError:
    """A stored text that is not UTF-8 (Python's sqlite3 cannot even fetch it)."""
    return RubdownError(
        f"{path} holds text that is not valid UTF-8: it is damaged. Run 'rubdown db check' "
        "to find the record, and restore a copy made with 'rubdown db backup'."
    )


def _lenient_text(data: bytes) -> str:
    """Text as stored, invalid UTF-8 kept as lone surrogates (for db check)."""
    return data.decode("utf-8", "surrogateescape")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def record_problem(row: dict) -> str | None:
    """What is wrong with a stored record's values, in words; None if nothing."""

    def number(name: str, low: float, *, strict: bool, optional: bool = True) -> str | None:
        value = row[name]
        if value is None and optional:
            return None
        try:
            if isinstance(value, (int, float)) and (value > low if strict else value >= low):
                return None
        except TypeError:
            pass
        return f"its {name} {_shown(value)} is not a valid number"

    def text(name: str, *, optional: bool = True) -> str | None:
        value = row[name]
        if value is None and optional:
            return None
        if not isinstance(value, str):
            return f"its {name} {_shown(value)} is not text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # decoded leniently: it held invalid UTF-8
            return f"its {name} is not valid UTF-8 text"
        return None

    try:
        when = datetime.fromisoformat(row["start"])
    except (TypeError, ValueError):
        when = None
    if when is None or when.tzinfo is None:
        return f"its start {_shown(row['start'])} is not a date-time with a UTC offset"
    kind = row["kind"]
    checks = [text("type", optional=False), text("note"), text("source")]
    if kind == "run":
        checks += [
            number("distance_m", 0, strict=True), number("duration_s", 0, strict=True),
            number("rpe", 0, strict=False), text("event"), number("leg", 0, strict=True),
        ]  # fmt: skip
        if isinstance(row["rpe"], (int, float)) and row["rpe"] > 10:
            checks.append(f"its rpe {_shown(row['rpe'])} is over 10")
    elif kind in ("massage", "self-care"):
        checks.append(number("minutes", 0, strict=True, optional=False))
        if kind == "massage":
            checks += [text("therapist"), number("cost_cents", 0, strict=False)]
            try:
                areas = json.loads(row["focus"]) if row["focus"] else []
                valid = isinstance(areas, list) and all(isinstance(a, str) for a in areas)
            except (TypeError, ValueError):
                valid = False
            if not valid:
                checks.append(f"its focus {_shown(row['focus'])} is not a list of areas")
    else:
        checks.append(f"its kind {_shown(kind)} is not run, massage or self-care")
    return next((problem for problem in checks if problem), None)


def _snapshot(entry_id: int, text: str) -> list[dict]:
    """The rows an undo journal entry saved; a damaged entry is refused."""
    try:
        rows = json.loads(text)
        if isinstance(rows, list) and all(isinstance(r, dict) and "id" in r for r in rows):
            return rows
    except (TypeError, ValueError):
        pass
    raise RubdownError(
        f"Undo journal entry #{entry_id} is damaged, so undo cannot revert it; nothing was "
        "changed. Restore a copy made with 'rubdown db backup' to go back further."
    )


# -- administration: check and backup -------------------------------------


class CheckResult:
    """What ``db check`` found: problems (none when sound), schema version, counts."""

    __slots__ = ("problems", "version", "counts")

    def __init__(self, problems: list[str], version: int | None, counts: dict[str, int]):
        self.problems = problems
        self.version = version
        self.counts = counts

    @property
    def ok(self) -> bool:
        return not self.problems


def _value_problems(conn: sqlite3.Connection, limit: int = 20) -> list[str]:
    """Records and undo journal entries whose stored values are not valid:
    damage SQLite's integrity check cannot see (a changed byte in a value)."""
    problems = []
    conn.text_factory = _lenient_text
    cur = conn.execute(f"SELECT {_TIMELINE_COLUMNS} FROM timeline ORDER BY id")
    for values in cur:
        problem = record_problem(dict(zip(_COLUMN_NAMES, values, strict=True)))
        if problem:
            problems.append(f"record #{values[0]}: {problem}")
            if len(problems) >= limit:
                return problems
    for entry_id, snapshot in conn.execute("SELECT id, snapshot FROM journal ORDER BY id"):
        try:
            _snapshot(entry_id, snapshot)
        except RubdownError:
            problems.append(f"undo journal entry #{entry_id} is damaged")
            if len(problems) >= limit:
                break
    return problems


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def check_database(path: Path) -> CheckResult:
    """Integrity and foreign-key check, read-only, without migrating.

    Damage is reported in the result; what keeps the check from running at
    all (an empty or lost file, a folder, no permission, a busy database) is
    raised as a RubdownError.
    """
    refuse_unusable(path)
    _refuse_lost_or_empty(path)
    try:
        conn = _read_connection(path)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise explain(exc, path) from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        problems = [p for p in problems if p != "ok"]
        problems += [
            f"row {row[1]} of {row[0]} points at a missing {row[2]}"
            for row in conn.execute("PRAGMA foreign_key_check")
        ]
        counts: dict[str, int] = {}
        if not problems and version == 0:
            _schema_version(conn, path)  # refuses another program's database
        if not problems and version >= 1:
            problems = _value_problems(conn)
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
        if _is_damage(exc):
            return CheckResult([str(exc)], None, {})
        raise explain(exc, path) from None
    except UnicodeDecodeError:  # in SQLite's own messages: names it cannot decode
        return CheckResult(["text that is not valid UTF-8 in the schema or a message"], None, {})
    finally:
        conn.close()


def _copy_database(source: sqlite3.Connection, tmp: Path) -> int:
    """Copy ``source`` consistently (SQLite's backup API: one snapshot, even
    while others write) into the new empty file ``tmp``, as one
    self-contained file (rollback-journal mode); return how many records it
    holds. ``rubdown.files`` makes ``tmp`` (0600) and moves it into place."""
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            return target.execute("SELECT count(*) FROM records").fetchone()[0]
        finally:
            target.close()
    except BaseException:
        _remove(tmp)  # and any journal SQLite left beside it
        raise


def backup(source: Store, dest: Path, *, overwrite: bool = False) -> int:
    """Copy the database consistently (while others write) to ``dest``, mode 0600.

    The copy is written beside ``dest`` and moved into place, so a crash
    never leaves a half-written backup under the final name. The database
    itself (and its companions) is never a backup's ``dest``, even with
    ``overwrite``.
    """
    from rubdown import files
    from rubdown.paths import refuse_output_place

    refuse_output_place(dest, "backup", database=source.path)
    taken = RubdownError(f"{dest} already exists; choose another name or pass --force.")
    if dest.exists() and not overwrite:
        raise taken
    copied: list[int] = []
    try:
        files.write_private(
            dest, lambda tmp: copied.append(_copy_database(source.conn, tmp)), overwrite=overwrite
        )
    except FileExistsError:
        raise taken from None
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise explain(exc, dest) from None
    except OSError as exc:
        raise RubdownError(
            f"Cannot write the backup {dest}: {exc.strerror or exc}. Free some space or "
            "choose a writable place."
        ) from None
    return copied[0]


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
    " ORDER BY start_utc, id"
)
_SAME_START_SQL = "SELECT id FROM records WHERE kind = ? AND start_utc = ? ORDER BY id"


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
