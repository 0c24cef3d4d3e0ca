"""The migration runner: steps written with sqlite-utils, foreign keys, and
what a database already at the latest schema imports (nothing more)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from rubdown.models import Run
from rubdown.store import Store, migrations
from rubdown.store.migrations import with_sqlite_utils

NEXT = migrations.LATEST + 1


@with_sqlite_utils
def _add_cadence_and_shoes(db) -> None:
    """A wave-2 style step: a column, a table, a rebuilt table."""
    db["runs"].add_column("cadence_spm", int)
    db["shoes"].create({"id": int, "name": str, "retired": int}, pk="id", not_null={"name"})
    db["shoes"].transform(defaults={"retired": 0})


@with_sqlite_utils
def _broken(db) -> None:
    db["shoes"].create({"id": int, "name": str}, pk="id")
    raise sqlite3.OperationalError("disk I/O error")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def test_a_step_written_with_sqlite_utils_runs_in_its_transaction(db_file, monkeypatch):
    with Store.open(db_file, write=True) as store:
        store.add(Run(None, _start(), "easy", 5000.0))
    steps = [*migrations.MIGRATIONS, (NEXT, "cadence_and_shoes", _add_cadence_and_shoes)]
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    monkeypatch.setattr(migrations, "LATEST", NEXT)
    with Store.open(db_file, write=True) as store:
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == NEXT
        assert conn.execute("SELECT max(version) FROM _migrations").fetchone()[0] == NEXT
        assert "cadence_spm" in _columns(conn, "runs")
        assert _columns(conn, "shoes") == ["id", "name", "retired"]
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # restored
        assert conn.execute("PRAGMA recursive_triggers").fetchone()[0] == 0  # untouched
        assert [r.distance_m for r in store.records()] == [5000.0]
        assert store.notices and "a copy of it as it was" in store.notices[0]
        assert migrations.apply(conn) == []


def test_a_failed_sqlite_utils_step_changes_nothing(db_file, monkeypatch):
    Store.open(db_file, write=True).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (NEXT, "x", _broken)])
    conn = sqlite3.connect(db_file, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError):
        migrations.apply(conn)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'shoes'").fetchone() is None
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    conn.close()


def test_a_step_that_leaves_a_row_pointing_at_nothing_is_rolled_back(db_file, monkeypatch):
    def orphan(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO runs (id, distance_m) VALUES (999, 5000)")

    Store.open(db_file, write=True).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (NEXT, "x", orphan)])
    conn = sqlite3.connect(db_file, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="pointing at nothing"):
        migrations.apply(conn)
    assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    conn.close()


_OPEN_WITH_A_SQLITE_UTILS_STEP = """
import json, sys
from pathlib import Path
from rubdown.store import migrations
from rubdown.store.migrations import with_sqlite_utils

@with_sqlite_utils
def step(db):
    db["shoes"].create({"id": int, "name": str}, pk="id")

migrations.MIGRATIONS = [*migrations.MIGRATIONS, (migrations.LATEST + 1, "shoes", step)]
migrations.LATEST += 1
from rubdown.store import Store
Store.open(Path(sys.argv[1]), write=True).close()
print(json.dumps("sqlite_utils" in sys.modules))
"""


def _imports_sqlite_utils(db_file) -> bool:
    proc = subprocess.run(
        [sys.executable, "-c", _OPEN_WITH_A_SQLITE_UTILS_STEP, str(db_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(proc.stdout)


def test_sqlite_utils_is_imported_only_when_its_step_must_run(db_file):
    Store.open(db_file, write=True).close()
    assert _imports_sqlite_utils(db_file) is True  # the step ran
    assert _imports_sqlite_utils(db_file) is False  # already at the latest schema


def _start():
    from datetime import datetime

    return datetime.fromisoformat("2026-11-20T07:00:00-05:00")
