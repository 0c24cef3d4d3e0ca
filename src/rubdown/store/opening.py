"""Opening a database safely: file safety, creation, the upgrade on open.

Opening refuses, untouched, what is not there to be used (an empty file, a
file lost beside its WAL, another program's database), reads what it may not
write without creating anything beside it, and saves a copy before a schema
upgrade changes a database that holds data. The promises and their proof:
docs/reliability.md.

Paths are text here (``os.path``), spelled as ``rubdown.paths.path_text``
spells them: opening is on every command's path, pathlib is not (see
``rubdown.paths``). A ``Path`` given is read as its text.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from rubdown.errors import RubdownError
from rubdown.paths import parent_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rubdown.paths import PathLike

BUSY_TIMEOUT_S = 5.0
#: rubdown builds a new database beside its path and links it into place
#: complete, so it never leaves an empty file there; only on a file system
#: without hard links is it made in place, empty for a moment. An empty file
#: younger than this is waited for (another rubdown is creating it); an
#: older one is refused (see ``_refuse_lost_or_empty``).
NEW_FILE_GRACE_S = 2.0


def busy_timeout() -> float:
    """Seconds to wait for another writer: ``RUBDOWN_BUSY_TIMEOUT``, else 5.
    A bad value is refused (a usage error), never ignored."""
    from rubdown import environment

    value = environment.number("RUBDOWN_BUSY_TIMEOUT")
    return BUSY_TIMEOUT_S if value is None else float(value)


def explain(exc: sqlite3.Error | UnicodeDecodeError, path: PathLike) -> RubdownError:
    """Turn an SQLite error into one line that says what to do.

    Text that is not UTF-8 is damage: Python's sqlite3 reports a stored value
    as "Could not decode to UTF-8", and an SQLite message quoting such text
    (a damaged schema) as a UnicodeDecodeError, which is no sqlite3.Error.
    """
    path = os.fspath(path)
    if isinstance(exc, UnicodeDecodeError):
        return _not_utf8(path)
    text = str(exc).lower()
    if "could not decode to utf-8" in text:  # a stored value
        return _not_utf8(path)
    if "locked" in text or "busy" in text:
        return RubdownError(
            f"The database {path} is busy: another rubdown is writing to it. Try again in a moment."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return RubdownError(
            f"{path} is not a readable rubdown database (damaged or another kind of file). "
            "Run 'rubdown db check', or restore a copy made with 'rubdown db backup'."
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return cannot_write(path)
    if "full" in text:
        return RubdownError(
            f"The disk holding {path} is full; nothing was written. Free some space and try again."
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


def _side(path: PathLike, suffix: str) -> str:
    """A companion file of the database: ``-wal``, ``-shm``, ``-journal``."""
    return os.fspath(path) + suffix


def _size(path: str) -> int | None:
    try:
        return os.stat(path).st_size
    except FileNotFoundError:
        return None


def read_only_part(path: PathLike) -> str | None:
    """What keeps rubdown from writing the database at ``path``, or None.

    SQLite writes the file and its ``-wal`` and ``-shm`` companions, creating
    those in the file's folder when they are missing. Other rubdown processes
    delete and create the companions at any moment (the last connection to
    close removes them), so a companion is read-only only if it is there and
    not writable when looked at again.
    """
    path = os.fspath(path)
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return "the file is read-only"
    folder = parent_text(path)
    folder_writable = os.access(folder, os.W_OK | os.X_OK)
    for suffix in ("-wal", "-shm"):
        side = _side(path, suffix)
        if os.access(side, os.W_OK):
            continue
        if os.path.exists(side):
            if not os.access(side, os.W_OK):
                return f"{os.path.basename(side)} beside it is read-only"
        elif not folder_writable:
            return f"its folder {folder} is read-only"
    return None


def cannot_write(path: PathLike, why: str | None = None) -> RubdownError:
    why = why or read_only_part(path) or "no permission"
    return RubdownError(
        f"Cannot write to {path}: {why}. Fix the permissions, or point --db at a writable "
        "place; reading commands still work."
    )


def _refuse_lost_or_empty(path: PathLike) -> None:
    """Refuse a database file that is not there to be used, without touching it.

    - Missing or empty while its ``-wal`` holds data: the file was lost or
      truncated. SQLite would start a new database there and discard the
      WAL, the only copy of the latest writes.
    - Empty (0 bytes) and not being created right now: rubdown never leaves
      an empty database (``_create_database``), so this is a log that lost
      its content (a failed copy, a sync tool) or a file rubdown did not make.
      Starting a new log in it would hide the loss.
    """
    path = os.fspath(path)
    size = _size(path)
    wal = _side(path, "-wal")
    wal_size = _size(wal) or 0
    if size == 0 and not wal_size:
        size = _settled_size(path)
    if wal_size and not size:
        state = "missing" if size is None else "empty (0 bytes)"
        raise RubdownError(
            f"{path} is {state} but {os.path.basename(wal)} beside it holds {wal_size} bytes "
            "of its data: the database file was lost or truncated. rubdown changed nothing; "
            f"keep both files and restore {os.path.basename(path)} from a backup."
        )
    if size == 0:
        raise RubdownError(
            f"{path} is an empty file (0 bytes), not a rubdown database; rubdown leaves it "
            "alone. If your log was there, restore it from a backup; to start a new log, "
            "point --db at a new file name."
        )


def _under_a_file(path: str, blocker: str | None) -> RubdownError:
    return RubdownError(
        f"Cannot use {path} as the database: {blocker} is a file, not a folder. Point --db "
        "at another path."
    )


def refuse_unusable(path: PathLike) -> None:
    """Refuse, untouched, a database path that cannot hold a database, with
    the reason: a folder, a device or pipe, a link to nothing, a file where
    one of its folders should be."""
    import stat

    from rubdown.paths import blocking_file

    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode
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
            f"as {os.path.join(path, 'rubdown.db')}."
        )
    if not stat.S_ISREG(mode):
        raise RubdownError(
            f"{path} is not a regular file (a device, pipe or socket), so it cannot hold "
            "a database; point --db at a database file."
        )


def _settled_size(path: str) -> int | None:
    """The size of an empty ``path``, after waiting while it is empty and new."""
    try:
        info = os.stat(path)
        left = NEW_FILE_GRACE_S - (time.time() - info.st_mtime)
        deadline = time.monotonic() + min(max(left, 0.0), NEW_FILE_GRACE_S)
        while info.st_size == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
            info = os.stat(path)
    except FileNotFoundError:
        return None
    return info.st_size


def _create_database(path: str) -> None:
    """Create a complete new database at ``path``: mode 0600 whatever the
    umask, each missing folder above it made 0700.

    It is built under a temporary name beside ``path`` (schema applied, WAL
    mode set) and linked into place, so neither another process nor a crash
    ever finds an empty or half-made database there. When another rubdown
    has created ``path`` meanwhile, its database is kept and this one dropped.
    """
    import tempfile  # with pathlib (rubdown.files): only the first write needs them
    from pathlib import Path

    from rubdown.files import make_private_folders
    from rubdown.store import migrations

    parent = parent_text(path)
    try:
        make_private_folders(Path(parent))
        fd, tmp = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".new", dir=parent
        )
    except OSError as exc:
        raise cannot_write(path, f"cannot create it ({exc.strerror or exc})") from None
    os.close(fd)  # mkstemp made it 0600
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


def _create_empty(path: str) -> None:
    """Create ``path`` empty with mode 0600, unless it exists."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _remove(path: PathLike) -> None:
    """Remove a temporary database and any companion SQLite left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with suppress(FileNotFoundError):
            os.unlink(_side(path, suffix))


def _read_connection(path: PathLike) -> sqlite3.Connection:
    """A read-only connection to the database at ``path``.

    Where rubdown may not write (a read-only file, folder or companion) and
    no WAL is pending, the file is opened immutable: SQLite then needs no
    ``-shm`` beside it, which a read-only folder forbids and which would
    otherwise be left behind read-only, blocking later writers.
    """
    from pathlib import Path  # for its file: URI; reading without writing is rare

    pending = bool(_size(_side(path, "-wal")))
    immutable = not pending and read_only_part(path) is not None
    uri = f"{Path(path).resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, timeout=busy_timeout(), isolation_level=None)


@contextmanager
def _closed_on_failure(conn: sqlite3.Connection, path: str) -> Iterator[None]:
    """Close ``conn`` when what runs inside fails; an SQLite error as one line."""
    try:
        yield
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        conn.close()
        raise explain(exc, path) from None
    except BaseException:
        conn.close()
        raise


def _schema_version(conn: sqlite3.Connection, path: PathLike) -> int:
    """The database's schema version; refuses a newer rubdown's database and
    an SQLite database of another program (tables but no version)."""
    from rubdown.store import migrations

    # One statement, so one snapshot: read apart, another rubdown creating the
    # file in place could commit its first step between the two reads, and
    # its tables would seem to have no version.
    version, tables = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    if version > migrations.LATEST:
        raise RubdownError(
            f"{path} was written by a newer rubdown (schema {version}); upgrade rubdown to read it."
        )
    if version == 0 and tables:
        raise RubdownError(
            f"{path} is an SQLite database of another program (tables, but no rubdown "
            "schema); rubdown leaves it alone. Point --db at a rubdown database or a new file."
        )
    return version


def _upgraded_copy(source: sqlite3.Connection, path: str) -> sqlite3.Connection:
    """An in-memory copy of ``source`` at the latest schema; ``source`` is
    only read."""
    from rubdown.store import migrations

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


def _not_utf8(path: str) -> RubdownError:
    """A stored text that is not UTF-8 (Python's sqlite3 cannot even fetch it)."""
    return RubdownError(
        f"{path} holds text that is not valid UTF-8: it is damaged. Run 'rubdown db check' "
        "to find the record, and restore a copy made with 'rubdown db backup'."
    )


def _copy_database(source: sqlite3.Connection, tmp: PathLike) -> int:
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


# -- opening ------------------------------------------------------------------


def open_database(
    path: PathLike, *, write: bool, create: bool | None = None, notices: list[str] | None = None
) -> sqlite3.Connection:
    """A connection to the database at ``path``; for writes, the database is
    created when missing (unless ``create`` is False).

    A missing database that is not to be created (reading; ``edit``,
    ``delete`` and ``undo``, which find nothing there to change) is an
    empty in-memory one, so only a write that stores something creates
    files. A database rubdown may not write is still read (an older
    schema upgraded in memory only); writing to it is refused before
    SQLite touches anything. A database that holds data is copied beside
    itself before a schema upgrade, and a line saying so is appended to
    ``notices`` (the store prints nothing: its caller tells the user).
    """
    path = os.fspath(path)
    busy_timeout()  # a bad RUBDOWN_BUSY_TIMEOUT is refused before anything is made
    refuse_unusable(path)
    _refuse_lost_or_empty(path)
    if not os.path.exists(path):
        if not write or create is False:
            return _connect(":memory:", path, write=True, notices=notices)
        _create_database(path)
    problem = read_only_part(path)
    if problem is not None:
        if write:
            raise cannot_write(path, problem)
        return _open_read_only(path)
    return _connect(path, path, write=write, notices=notices)


def _connect(
    target: str, path: str, *, write: bool, notices: list[str] | None
) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(target, timeout=busy_timeout(), isolation_level=None)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise explain(exc, path) from None
    with _closed_on_failure(conn, path):
        conn.execute("PRAGMA foreign_keys = ON")
        version = _schema_version(conn, path)
        from rubdown.store import migrations

        if write and target != ":memory:":
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if mode != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
        if version < migrations.LATEST:
            if not write and target != ":memory:":
                # Reading an old database: upgrade it like a write would.
                conn.execute("PRAGMA journal_mode = WAL")

            def save(conn: sqlite3.Connection) -> None:
                notice = _save_before_upgrade(conn, path)
                if notice is not None and notices is not None:
                    notices.append(notice)

            migrations.apply(conn, before_changes=None if target == ":memory:" else save)
    return conn


def _open_read_only(path: str) -> sqlite3.Connection:
    """Read a database rubdown may not write, creating nothing beside it."""
    from rubdown.store import migrations

    try:
        conn = _read_connection(path)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise explain(exc, path) from None
    with _closed_on_failure(conn, path):
        conn.execute("PRAGMA foreign_keys = ON")
        if _schema_version(conn, path) == migrations.LATEST:
            return conn
        copy = _upgraded_copy(conn, path)  # foreign keys on, as here
    conn.close()
    return copy


def open_copy(path: PathLike) -> sqlite3.Connection:
    """An in-memory copy of the database at ``path``, for a dry run.

    The file is read through a read-only connection and never written,
    not even upgraded: an older schema is migrated in the copy. A missing
    file gives an empty database.
    """
    path = os.fspath(path)
    refuse_unusable(path)
    _refuse_lost_or_empty(path)
    if not os.path.exists(path):
        return open_database(path, write=False)
    try:
        source = _read_connection(path)
        try:
            return _upgraded_copy(source, path)
        finally:
            source.close()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise explain(exc, path) from None


def _save_before_upgrade(conn: sqlite3.Connection, database: str) -> str | None:
    """Copy a database that holds data before a schema step changes it:
    ``rubdown.db.before-vN.bak`` beside it, N the latest schema (0600; an
    existing copy is never replaced: ``.before-vN.2.bak`` and so on), made with SQLite's
    backup API while the upgrade holds the write lock, so the copy is
    exactly what the steps start from. Called by ``migrations.apply``;
    failing to save the copy cancels the upgrade. Returns the line that
    tells the user where the copy is (None when nothing was copied)."""
    from rubdown.store import migrations

    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if (
        version < 1
        or not conn.execute(
            "SELECT EXISTS (SELECT 1 FROM records) OR EXISTS (SELECT 1 FROM journal)"
        ).fetchone()[0]
    ):
        return None  # nothing stored yet: nothing to keep
    from pathlib import Path  # an upgrade is rare: pathlib for the copy's name

    path = Path(database)
    stem = f"{path.name}.before-v{migrations.LATEST}"
    from glob import escape

    for stale in path.parent.glob(f".{escape(stem)}.*.tmp"):
        _remove(stale)  # a copy a killed upgrade did not finish (the lock is ours)
    from rubdown import files

    names = (path.with_name(f"{stem}.bak" if n == 1 else f"{stem}.{n}.bak") for n in range(1, 1000))
    try:
        source = _read_connection(database)  # the committed state; the lock is ours
        try:
            dest = files.write_private_first_free(names, lambda tmp: _copy_database(source, tmp))
        finally:
            source.close()
    except (sqlite3.Error, OSError) as exc:
        raise RubdownError(
            f"Could not save a copy of {path} before upgrading it to schema "
            f"{migrations.LATEST} ({exc}); nothing was changed. Free some space or make "
            "its folder writable, then try again."
        ) from None
    return (
        f"Upgrading {path} from schema {version} to {migrations.LATEST}; "
        f"a copy of it as it was is in {dest}"
    )
