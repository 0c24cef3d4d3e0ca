"""``rubdown rate`` and ``rubdown list --missing rpe``: filling in the RPE
of runs logged (or imported) without one."""

from __future__ import annotations

import pytest

from conftest import digest
from rubdown.cli import log_cmd


def log_runs(rubdown) -> None:
    """Runs #1-#4 (NOW is Sun 29 Nov 2026 10:00): #1 without RPE 20 days ago
    (outside the 14 days), #2 rated, #3 and #4 without RPE."""
    for day, rpe in [("2026-11-09", None), ("2026-11-20", "5"), ("2026-11-24", None),
                     ("2026-11-28", None)]:  # fmt: skip
        args = ["log", "run", "--date", day, "--distance", "8k", "--time", "45:00"]
        assert rubdown(*args, *(["--rpe", rpe] if rpe else [])).exit_code == 0


@pytest.fixture
def terminal(monkeypatch):
    monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda: True)


def rpes(rubdown) -> dict[int, int | None]:
    return {r["id"]: r["rpe"] for r in rubdown("list", "--json").json()}


def test_rate_asks_newest_first_reasks_a_bad_answer_and_skips_on_enter(rubdown, terminal):
    log_runs(rubdown)
    r = rubdown("rate", input="eleven\n11\n7\n\n")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.index("run #4 · Sat 28 Nov") < r.stderr.index("run #3 · Tue 24 Nov")
    assert "run #1" not in r.stderr and "run #2" not in r.stderr
    bad = [line for line in r.stderr.splitlines() if "Invalid RPE" in line]
    assert bad == [
        "  Invalid RPE 'eleven': use a whole number from 0 (rest) to 10 (maximal effort)",
        "  Invalid RPE '11': use a whole number from 0 (rest) to 10 (maximal effort)",
    ]
    assert "Rated run #4 · Sat 28 Nov" in r.stderr and "· RPE 7" in r.stderr
    assert r.stderr.splitlines()[-1] == "Rated 1 of 2 runs ('rubdown undo' reverts the last one)."
    assert rpes(rubdown) == {1: None, 2: 5, 3: None, 4: 7}


def test_each_answer_is_an_edit_that_undo_reverts_one_at_a_time(rubdown, terminal):
    log_runs(rubdown)
    assert rubdown("rate", input="6\n3\n").exit_code == 0
    assert rpes(rubdown) == {1: None, 2: 5, 3: 3, 4: 6}
    r = rubdown("undo")
    assert r.stderr.startswith("Undid edit: restored run #3")
    assert rpes(rubdown) == {1: None, 2: 5, 3: None, 4: 6}
    assert rubdown("undo").exit_code == 0
    assert rpes(rubdown) == {1: None, 2: 5, 3: None, 4: None}


def test_the_end_of_input_stops_asking_and_keeps_what_was_answered(rubdown, terminal):
    log_runs(rubdown)
    r = rubdown("rate", input="4\n")
    assert r.exit_code == 0, r.stderr
    assert "Rated 1 of 2 runs" in r.stderr and "Aborted" not in r.stderr
    assert rpes(rubdown)[4] == 4


def test_rate_with_nothing_to_ask(rubdown, terminal, db_file):
    r = rubdown("rate")
    assert (r.exit_code, r.stderr) == (0, "Every run of the last 14 days has an RPE.\n")
    assert not db_file.exists()


def test_rate_without_a_terminal_is_a_usage_error_and_writes_nothing(rubdown, db_file):
    log_runs(rubdown)
    before = digest(db_file)
    r = rubdown("rate", input="5\n")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1
    assert "list --missing rpe" in r.stderr and "edit ID --rpe N" in r.stderr
    assert digest(db_file) == before


def test_rate_on_a_real_terminal(db_file):
    """Through a pseudo-terminal: the questions are asked and the answer stored."""
    import os
    import pty
    import select
    import subprocess
    import sys
    from datetime import datetime, timedelta

    from conftest import NOW
    from rubdown.models import Run
    from rubdown.store import Store

    two_days_ago = datetime.fromisoformat(NOW) - timedelta(days=2)
    with Store.open(db_file, write=True) as store:
        stored = store.add(Run(None, two_days_ago, "easy", 8000.0, 2700))

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "rubdown", "rate"], stdin=follower,
                            stdout=follower, stderr=follower)  # fmt: skip
    os.close(follower)
    seen = b""
    try:
        while b"Enter to skip" not in seen:
            ready, _, _ = select.select([leader], [], [], 60)
            assert ready, seen
            seen += os.read(leader, 1024)
        os.write(leader, b"8\n")
        assert proc.wait(60) == 0
        while select.select([leader], [], [], 0.5)[0]:
            try:
                chunk = os.read(leader, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert b"Rated 1 of 1 run" in seen, seen
    with Store.open(db_file, write=False) as store:
        [after] = store.records()
    assert (stored.id, getattr(after, "rpe", None)) == (after.id, 8)


def test_list_missing_rpe_lists_runs_without_one(rubdown):
    log_runs(rubdown)
    assert rubdown("log", "massage", "--type", "sports", "--minutes", "60").exit_code == 0
    listed = rubdown("list", "--missing", "rpe", "--json").json()
    assert [(r["id"], r["kind"], r["rpe"]) for r in listed] == [
        (1, "run", None), (3, "run", None), (4, "run", None),
    ]  # fmt: skip
    out = rubdown("list", "--missing", "RPE").stdout
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["1", "3", "4"]
    # With the other filters, as they are.
    since = rubdown("list", "--missing", "rpe", "--since", "2026-11-20", "--kind", "run", "--json")
    assert [r["id"] for r in since.json()] == [3, 4]
    none = rubdown("list", "--missing", "rpe", "--until", "2026-11-01")
    assert "No records match --until 2026-11-01 --missing rpe" in none.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--missing", "hr"), "--missing: 'hr' cannot be listed as missing; use rpe"),
        (("--missing", "rpe", "--kind", "massage"), "only runs have an rpe"),
    ],
)
def test_list_missing_refuses_what_it_cannot_list(rubdown, args, words):
    r = rubdown("list", *args)
    assert r.exit_code == 2 and words in r.stderr and r.stderr.count("\n") == 1
