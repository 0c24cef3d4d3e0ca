"""The database file: migrations, modes, concurrency, damage, locks."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from conftest import run_cli
from rubdown.store import Store, migrations


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_is_created_complete(db_file):
    # Built beside its path and linked into place: never an empty file there.
    # (An empty file found there is refused: see test_damaged_storage.py.)
    with Store.open(db_file, write=True) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        rows = store.conn.execute("SELECT version, name FROM _migrations").fetchall()
        assert rows == [(v, name) for v, name, _ in migrations.MIGRATIONS]
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        views = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")
        assert [v[0] for v in views] == ["timeline"]
    # Opening again applies nothing more, and no temporary file is left.
    with Store.open(db_file, write=True) as store:
        assert migrations.apply(store.conn) == []
    assert sorted(p.name for p in db_file.parent.iterdir()) == ["rubdown.db"]


def test_a_failed_step_leaves_no_record(db_file, monkeypatch):
    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk I/O error")

    db_file.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_file, isolation_level=None)
    monkeypatch.setattr(migrations, "MIGRATIONS", [(1, "initial", broken)])
    with pytest.raises(sqlite3.OperationalError):
        migrations.apply(conn)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in tables
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    monkeypatch.undo()
    assert migrations.apply(conn) == [v for v, _, _ in migrations.MIGRATIONS]


def test_files_are_private_under_a_permissive_umask(tmp_path):
    db = tmp_path / "new" / "sub" / "rubdown.db"
    code = (
        "import os, sys; os.umask(0o022); from rubdown.cli import main;"
        f" sys.exit(main(['--db', {str(db)!r}, 'log', 'run', '--distance', '5k']))"
    )
    # Keep the connection's WAL and SHM around by holding a reader open.
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    holder = sqlite3.connect(db)
    holder.execute("SELECT count(*) FROM records").fetchone()
    try:
        assert mode(db) == 0o600
        assert mode(db.parent) == 0o700
        for suffix in ("-wal", "-shm"):
            side = db.with_name(db.name + suffix)
            if side.exists():
                assert mode(side) == 0o600, suffix
        backup = tmp_path / "copy.db"
        r = run_cli("--db", str(db), "db", "backup", str(backup))
        assert r.returncode == 0, r.stderr
        assert mode(backup) == 0o600
    finally:
        holder.close()


def test_not_a_database_is_refused_and_left_untouched(db_file):
    db_file.parent.mkdir(parents=True)
    junk = b"these are my running notes, not SQLite\n" * 200
    db_file.write_bytes(junk)
    from conftest import invoke

    for args in (("log", "run", "--distance", "5k"), ("list",), ("undo",)):
        r = invoke(*args)
        assert r.exit_code == 1, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
        assert "db check" in r.stderr and "Traceback" not in r.stderr
    check = invoke("db", "check")
    assert check.exit_code == 1 and "damaged" in check.stderr
    assert db_file.read_bytes() == junk


def test_a_locked_database_fails_with_one_line(db_file, rubdown, monkeypatch):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        monkeypatch.setenv("RUBDOWN_BUSY_TIMEOUT", "0.2")
        r = rubdown("log", "run", "--distance", "6k")
        assert r.exit_code == 1
        assert r.stderr.strip().startswith("Error: The database")
        assert "busy" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(rubdown("list", "--json").json()) == 1


def test_concurrent_writers_lose_nothing(db_file):
    """Four processes, each logging through the real CLI entry point in a loop."""
    writers, each = 4, 10
    code = (
        "import sys; from rubdown.cli import main; n = sys.argv[1];"
        f" codes = [main(['log', 'run', '--distance', '5k', '--note', f'w{{n}}-{{i}}'])"
        f" for i in range({each})];"
        " sys.exit(max(codes))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(n)], stderr=subprocess.PIPE, text=True)
        for n in range(writers)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(rc == 0 for rc, _ in outcomes), outcomes
    conn = sqlite3.connect(db_file)
    notes = sorted(r[0] for r in conn.execute("SELECT note FROM records"))
    assert notes == sorted(f"w{n}-{i}" for n in range(writers) for i in range(each))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    journal = conn.execute("SELECT count(*) FROM journal").fetchone()[0]
    assert journal == writers * each


def test_first_runs_at_once_on_a_new_database(db_file):
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rubdown", "log", "self-care", "--type", "yoga",
             "--minutes", str(10 + i)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for i in range(8)
    ]  # fmt: skip
    outcomes = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    conn = sqlite3.connect(db_file)
    assert conn.execute("SELECT count(*) FROM self_care").fetchone()[0] == 8
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sorted(p.name for p in db_file.parent.iterdir() if p.name.startswith(".")) == []
    assert conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == migrations.LATEST


def test_timeline_view_reads_across_kinds(rubdown, db_file):
    rubdown("log", "run", "--distance", "5k", "--time", "25:00", "--date", "2026-11-27")
    rubdown("log", "massage", "--type", "swedish", "--minutes", "45", "--cost", "60")
    conn = sqlite3.connect(db_file)
    rows = conn.execute(
        "SELECT id, kind, duration_s, minutes, cost_cents, start_utc, local_date FROM timeline"
        " ORDER BY id"
    ).fetchall()
    assert rows == [
        (1, "run", 1500, None, None, "2026-11-27T17:00:00Z", "2026-11-27"),
        (2, "massage", 2700, 45, 6000, "2026-11-29T15:00:00Z", "2026-11-29"),
    ]


def test_reports_read_each_kind_as_the_timeline_has_it(rubdown, db_file):
    """``records_by_kind`` (the report's read) gives exactly what ``records``
    gives for the same period, split by kind: same records, same values."""
    from datetime import date, datetime

    for args in (
        ("run", "--distance", "5k", "--time", "25:00", "--date", "2026-10-30"),  # before
        ("run", "--distance", "21.1k", "--time", "1:45:00", "--rpe", "8", "--date", "2026-11-02"),
        ("run", "--type", "relay", "--event", "Hood", "--leg", "2", "--date", "2026-11-07 23:30"),
        ("massage", "--type", "sports", "--minutes", "90", "--cost", "95",
         "--focus", "calves,hamstrings", "--date", "2026-11-09"),
        ("self-care", "--type", "foam-roll", "--minutes", "15", "--date", "2026-11-10"),
        ("massage", "--type", "thai", "--minutes", "60", "--date", "2026-11-29 09:00"),  # after end
    ):  # fmt: skip
        assert rubdown("log", *args).exit_code == 0
    since, until = date(2026, 11, 1), date(2026, 11, 29)
    end = datetime.fromisoformat("2026-11-29T08:00:00-05:00")
    with Store.open(db_file, write=False) as store:
        expected = store.records(since=since, until=until, end=end)
        runs, massages, care = store.records_by_kind(since=since, until=until, end=end)
    assert sorted(runs + massages + care, key=lambda r: r.id) == expected
    assert [r.kind for r in runs + massages + care] == ["run", "run", "massage", "self-care"]
    assert massages[0].focus == ("calves", "hamstrings") and massages[0].cost_cents == 9500


@pytest.mark.parametrize(
    ("table", "column", "value", "problem"),
    [
        ("records", "kind", "walk", "its kind 'walk'"),
        ("massages", "minutes", 0, "its minutes 0"),
        ("self_care", None, None, "its minutes"),  # its row lost: the join finds none
    ],
)
def test_a_damaged_record_of_any_kind_stops_a_report(
    rubdown, db_file, table, column, value, problem
):
    rubdown("log", "run", "--distance", "5k", "--date", "2026-10-01")
    rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-10-02")
    rubdown("log", "self-care", "--type", "yoga", "--minutes", "20", "--date", "2026-10-03")
    rubdown("log", "massage", "--type", "thai", "--minutes", "60", "--date", "2026-11-20")
    target = {"records": 1, "massages": 2, "self_care": 3}[table]
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    if column is None:
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (target,))
    else:
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", (value, target))
    conn.commit()
    conn.close()
    r = rubdown("report", "--json")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"Error: Record #{target} is damaged: {problem}"), r.stderr
    # Outside what a report reads (its period and the 30 days before) it
    # stops nothing.
    assert rubdown("report", "--since", "2026-11-10", "--json").exit_code == 0


def test_a_report_reads_only_its_period_from_the_indexes(rubdown, db_file):
    """Every query of the report's read seeks an index range bounded on both
    sides, so a 12-week report costs the same on a long history as on a new
    one (the benchmark's "100k vs 1k"); a scan or a one-sided range would not."""
    from datetime import date, datetime

    for day in ("2020-01-06", "2026-11-02"):
        rubdown("log", "run", "--distance", "5k", "--date", day)
    statements = []
    with Store.open(db_file, write=False) as store:
        store.conn.set_trace_callback(statements.append)
        store.records_by_kind(
            since=date(2026, 9, 7), until=date(2026, 11, 29),
            end=datetime.fromisoformat("2026-11-29T10:00:00-05:00"),
        )  # fmt: skip
        store.conn.set_trace_callback(None)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert len(selects) == 4  # the unknown-kind check, then each kind
        for sql in selects:
            plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
            assert not any(step.startswith("SCAN") for step in plan), (sql, plan)
            if "JOIN" in sql:  # a kind's read: a range with both ends
                assert plan[0].startswith("SEARCH r USING INDEX"), (sql, plan)
                assert ">?" in plan[0] and "<?" in plan[0], (sql, plan)
