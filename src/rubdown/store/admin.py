"""Administration: ``db check`` (integrity, links, values) and ``db backup``."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from rubdown.errors import RubdownError
from rubdown.store.decode import _COLUMN_NAMES, _snapshot, record_problem
from rubdown.store.opening import (
    _copy_database,
    _read_connection,
    _refuse_lost_or_empty,
    _schema_version,
    explain,
    refuse_unusable,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

    from rubdown.store.records import Store


def _lenient_text(data: bytes) -> str:
    """Text as stored, invalid UTF-8 kept as lone surrogates (for db check)."""
    return data.decode("utf-8", "surrogateescape")


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
    # A database checked as it is, not upgraded, may predate a column (schema 4's plans).
    present = {row[1] for row in conn.execute("PRAGMA table_info(timeline)")}
    columns = ", ".join(c if c in present else f"NULL AS {c}" for c in _COLUMN_NAMES)
    cur = conn.execute(f"SELECT {columns} FROM timeline ORDER BY id")
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


#: Each record's words as the search index must hold them (migration 3) ...
_RECORD_WORDS_SQL = (
    "SELECT r.id, r.note, m.therapist, ru.event FROM records r"
    " LEFT JOIN massages m ON m.id = r.id LEFT JOIN runs ru ON ru.id = r.id"
)
#: ... and from schema 5 on, with a plan's therapist and event too.
_PLAN_WORDS_SQL = (
    "SELECT r.id, r.note, coalesce(m.therapist, p.therapist), coalesce(ru.event, p.event)"
    " FROM records r LEFT JOIN massages m ON m.id = r.id LEFT JOIN runs ru ON ru.id = r.id"
    " LEFT JOIN plans p ON p.id = r.id"
)
#: ... and as it holds them.
_INDEXED_WORDS_SQL = "SELECT rowid AS id, note, therapist, event FROM record_search"


def _search_problems(db: Database, limit: int = 20) -> list[str]:
    """Records the search index holds otherwise than they are (or not at
    all), and index rows of no record: what ``list --search`` would miss or
    find wrongly. Triggers keep them in step, so a difference is damage."""
    if not db["record_search"].exists():
        return []  # an older schema: indexed when it is upgraded
    version = db.execute("PRAGMA user_version").fetchone()[0]
    words = _PLAN_WORDS_SQL if version >= 5 else _RECORD_WORDS_SQL
    differ = sorted(
        {row["id"] for row in db.query(f"{words} EXCEPT {_INDEXED_WORDS_SQL}")}
        | {row["id"] for row in db.query(f"{_INDEXED_WORDS_SQL} EXCEPT {words}")}
    )
    return [f"the search index does not match record #{i}" for i in differ[:limit]]


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

            db = Database(conn, recursive_triggers=False, execute_plugins=False)
            problems = _search_problems(db)
        if not problems and version >= 1:
            counts = {
                "runs": db["runs"].count,
                "massages": db["massages"].count,
                "self-care": db["self_care"].count,
            }
            if version >= 4 and db["plans"].count:  # said only when there are plans
                counts["plans"] = db["plans"].count
            if version >= 6 and db["check_ins"].count:  # said only when there are check-ins
                counts["check-ins"] = db["check_ins"].count
        return CheckResult(problems, version, counts)
    except sqlite3.Error as exc:
        if _is_damage(exc):
            return CheckResult([str(exc)], None, {})
        raise explain(exc, path) from None
    except UnicodeDecodeError:  # in SQLite's own messages: names it cannot decode
        return CheckResult(["text that is not valid UTF-8 in the schema or a message"], None, {})
    finally:
        conn.close()


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
