"""Concurrency: writers wait for each other instead of failing, and a backup
taken meanwhile is one consistent moment.

(Several writers at once and several first runs at once: test_store.py. The
long version, 8 processes x 200 writes and more: tests/stress/run.py.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from conftest import invoke
from torture import LOGGER, expected_live_ids, integrity, rows, rubdown_export


def test_logs_wait_for_an_import_holding_the_lock_and_backups_stay_consistent(
    db_file, tmp_path, rubdown
):
    assert rubdown("log", "run", "--distance", "5k", "--note", "first").exit_code == 0
    big = rubdown_export(tmp_path / "season.json", 3000)  # one file: one transaction
    stop = tmp_path / "stop"
    env = {**os.environ, "RUBDOWN_DB": str(db_file)}
    loggers = [
        subprocess.Popen(
            [sys.executable, "-c", LOGGER, f"L{n}", str(stop)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        for n in range(2)
    ]  # fmt: skip
    try:
        while rows(db_file, "SELECT count(*) FROM records")[0][0] < 5:
            time.sleep(0.01)  # both loggers are writing
        importer = subprocess.Popen(
            [sys.executable, "-m", "rubdown", "import", str(big), "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        backups = []
        while importer.poll() is None and len(backups) < 20:
            copy = tmp_path / f"copy{len(backups)}.db"
            result = invoke("db", "backup", str(copy))
            assert result.exit_code == 0, result.stderr
            backups.append(copy)
        imported = json.loads(importer.communicate(timeout=120)[0])
    finally:
        stop.touch()
        outcomes = [json.loads(p.communicate(timeout=120)[0]) for p in loggers]
    assert imported["imported"] == 3000
    codes = [code for outcome in outcomes for code in outcome["codes"]]
    assert set(codes) == {0}, outcomes  # every log succeeded ...
    assert max(o["longest_s"] for o in outcomes) > 0.1  # ... some after waiting for the import
    logged = rows(db_file, "SELECT count(*) FROM records WHERE note LIKE 'L_-%'")[0][0]
    assert logged == len(codes)
    assert rows(db_file, "SELECT count(*) FROM records")[0][0] == 1 + 3000 + logged
    assert integrity(db_file) == "ok"
    # Each backup is one moment: sound, its journal and records agree, and the
    # import's one transaction is in it wholly or not at all.
    assert backups
    for copy in backups:
        assert integrity(copy) == "ok"
        ids = {r[0] for r in rows(copy, "SELECT id FROM records")}
        assert ids == expected_live_ids(copy)
        in_copy = rows(copy, "SELECT count(*) FROM records WHERE note LIKE 'imported %'")[0][0]
        assert in_copy in (0, 3000)
