"""Upgrades and crashes: a copy is saved before a schema upgrade, a killed
upgrade is completed by the next start, and undo after a kill reverts the
last committed write, never another.

The many-trial versions (random kill points) are in tests/stress/run.py.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from conftest import invoke
from rubdown.store import Store, migrations
from torture import RANDOM_WRITER, expected_live_ids, integrity, rows, schema_1_database

OLD_ROWS = "SELECT id, kind, type, start, note FROM records ORDER BY id"
COPY = f"rubdown.db.before-v{migrations.LATEST}"  # the copy saved before an upgrade


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the copy saved before an upgrade -------------------------------------------------


def test_an_upgrade_first_saves_a_private_copy_and_says_so_once(db_file, rubdown):
    schema_1_database(db_file, records=5)
    before = rows(db_file, OLD_ROWS)
    old_umask = os.umask(0o022)
    try:
        first = rubdown("list", "--json")
    finally:
        os.umask(old_umask)
    assert first.exit_code == 0, first.stderr
    copy = db_file.with_name(f"{COPY}.bak")
    assert first.stderr == (
        f"Upgrading {db_file} from schema 1 to {migrations.LATEST}; "
        f"a copy of it as it was is in {copy}\n"
    )
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert rows(copy, "PRAGMA user_version") == [(1,)]
    assert rows(copy, "PRAGMA journal_mode") == [("delete",)]  # one self-contained file
    assert rows(copy, OLD_ROWS) == before and integrity(copy) == "ok"
    assert rows(db_file, "PRAGMA user_version") == [(migrations.LATEST,)]
    assert [r["note"] for r in first.json()] == [f"old {i}" for i in range(5)]
    again = rubdown("log", "run", "--distance", "5k")
    assert again.stderr.startswith("Logged run #6")  # no second notice
    assert not [n for n in names(db_file.parent) if n.startswith(".")]  # no temporary file


def test_an_earlier_copy_is_never_replaced(db_file, rubdown):
    schema_1_database(db_file)
    earlier = db_file.with_name(f"{COPY}.bak")
    earlier.write_text("a copy from an earlier upgrade")
    assert rubdown("list").exit_code == 0
    assert earlier.read_text() == "a copy from an earlier upgrade"
    assert rows(db_file.with_name(f"{COPY}.2.bak"), "PRAGMA user_version") == [(1,)]


def test_an_old_database_without_data_is_upgraded_without_a_copy(db_file, rubdown):
    schema_1_database(db_file, records=0)
    result = rubdown("log", "run", "--distance", "5k")
    assert result.exit_code == 0 and result.stderr.startswith("Logged run #1")
    assert not [n for n in names(db_file.parent) if ".bak" in n]


def test_no_copy_no_upgrade(db_file, rubdown, monkeypatch):
    from rubdown.store import opening

    schema_1_database(db_file)
    before = rows(db_file, OLD_ROWS)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(opening, "_copy_database", disk_full)
    result = rubdown("log", "run", "--distance", "5k")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "Could not save a copy of" in result.stderr and "nothing was changed" in result.stderr
    assert rows(db_file, "PRAGMA user_version") == [(1,)]
    assert rows(db_file, OLD_ROWS) == before
    assert not [n for n in names(db_file.parent) if ".bak" in n or n.startswith(".")]


def test_processes_upgrading_at_once_save_one_copy(db_file):
    schema_1_database(db_file)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            Store.open(db_file, write=True).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert [n for n in names(db_file.parent) if ".bak" in n] == [f"{COPY}.bak"]


# -- kill -9 in the middle of an upgrade ------------------------------------------------

_SLOW_UPGRADE = """
import sys, time
from pathlib import Path
from rubdown.store import migrations
(v1, (v2, name, step), *later), marker = migrations.MIGRATIONS, Path(sys.argv[1])
def slow(conn):
    step(conn)              # the real step, inside its transaction ...
    marker.touch()
    time.sleep(60)          # ... killed before it commits
migrations.MIGRATIONS = [v1, (v2, name, slow), *later]
from rubdown.cli import main
main(["list"])
"""


def test_a_killed_upgrade_is_completed_by_the_next_start(db_file, tmp_path, rubdown):
    schema_1_database(db_file, records=4)
    before = rows(db_file, OLD_ROWS)
    marker = tmp_path / "in-the-step"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_UPGRADE, str(marker)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "RUBDOWN_DB": str(db_file)},
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), "the upgrade never reached its step"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    # The step's writes were never committed: the file is a sound schema 1.
    assert integrity(db_file) == "ok"
    assert rows(db_file, "PRAGMA user_version") == [(1,)]
    result = rubdown("list", "--json")
    assert result.exit_code == 0, result.stderr
    assert "Upgrading" in result.stderr
    assert [(r["id"], r["note"]) for r in result.json()] == [(r[0], r[4]) for r in before]
    assert rows(db_file, "SELECT version FROM _migrations ORDER BY version") == [
        (v,) for v, _, _ in migrations.MIGRATIONS
    ]
    assert rows(db_file, "PRAGMA user_version") == [(migrations.LATEST,)]
    assert integrity(db_file) == "ok"
    # Both starts saved a copy before changing anything; each is the old database.
    for name in (f"{COPY}.bak", f"{COPY}.2.bak"):
        assert rows(db_file.with_name(name), OLD_ROWS) == before


# -- kill -9 among writes, then undo -----------------------------------------------------



def kill_a_writer(db_file, seed: int, writes: int) -> None:
    """Start a process writing in a loop (log, edit, delete, undo) and kill -9
    it at a random moment once it has made ``writes`` writes."""
    import random

    proc = subprocess.Popen(
        [sys.executable, "-c", RANDOM_WRITER, str(db_file), str(seed)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "RUBDOWN_DB": str(db_file)},
    )
    try:
        deadline = time.monotonic() + 30
        while rows(db_file, "SELECT count(*) FROM journal")[0][0] < writes:
            assert time.monotonic() < deadline and proc.poll() is None, "the writer stalled"
            time.sleep(0.005)
        time.sleep(random.Random(seed).uniform(0, 0.2))
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)


def live_ids(db_file) -> set[int]:
    return {r[0] for r in rows(db_file, "SELECT id FROM records")}


@pytest.mark.parametrize("seed", [1])
def test_undo_after_a_kill_reverts_the_last_committed_write(db_file, rubdown, seed):
    for i in range(3):
        rubdown("log", "run", "--distance", "5k", "--note", f"seed {i}")
    kill_a_writer(db_file, seed, writes=3 + 8)
    assert integrity(db_file) == "ok"
    assert live_ids(db_file) == expected_live_ids(db_file)
    # undo reverts exactly the newest write not yet undone: after it, the journal
    # and the records still agree, with that write, and only it, undone.
    for _ in range(5):
        (last, action), *_ = rows(
            db_file, "SELECT id, action FROM journal WHERE undone_at IS NULL ORDER BY id DESC"
        )
        result = invoke("undo")
        assert result.exit_code == 0, result.stderr
        verb = {"log": "Undid log", "edit": "Undid edit", "delete": "Undid delete"}[action]
        assert result.stderr.startswith(verb), (action, result.stderr)
        assert rows(db_file, "SELECT id FROM journal WHERE undone_at IS NULL AND id >= ?",
                    (last,)) == []  # fmt: skip
        assert live_ids(db_file) == expected_live_ids(db_file)


def test_the_store_prints_nothing_and_returns_the_notice(db_file, capsys):
    schema_1_database(db_file)
    with Store.open(db_file, write=False) as store:
        copy = db_file.with_name(f"{COPY}.bak")
        assert store.notices == [
            f"Upgrading {db_file} from schema 1 to {migrations.LATEST}; "
            f"a copy of it as it was is in {copy}"
        ]
    assert capsys.readouterr() == ("", "")
    with Store.open(db_file, write=True) as store:
        assert store.notices == []


@pytest.mark.parametrize("how", ["import", "log", "report", "export", "demo-check"])
def test_every_way_in_tells_of_the_upgrade_once(db_file, rubdown, tmp_path, how):
    schema_1_database(db_file)
    copy = db_file.with_name(f"{COPY}.bak")
    notice = (
        f"Upgrading {db_file} from schema 1 to {migrations.LATEST}; "
        f"a copy of it as it was is in {copy}\n"
    )
    gpx = tmp_path / "run.gpx"
    gpx.write_text(
        '<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk>'
        "<type>running</type><trkseg>"
        '<trkpt lat="52.0" lon="4.0"><time>2026-11-20T07:00:00Z</time></trkpt>'
        '<trkpt lat="52.01" lon="4.0"><time>2026-11-20T07:06:00Z</time></trkpt>'
        "</trkseg></trk></gpx>"
    )
    args = {
        "import": ("import", str(gpx)),
        "log": ("log", "run", "--distance", "5k"),
        "report": ("report", "--json"),
        "export": ("export", "--format", "json"),
        "demo-check": ("demo", "--db", str(db_file)),
    }[how]
    result = rubdown(*args)
    assert result.stderr.startswith(notice), result.stderr
    assert result.stderr.count("Upgrading") == 1
