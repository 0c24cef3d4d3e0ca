"""Logging runs, massages and self-care through the real CLI and database."""

from __future__ import annotations

import pytest

from conftest import digest
from rubdown.cli import log_cmd


def test_log_run_confirms_with_id_pace_and_event(rubdown):
    r = rubdown(
        "log", "run", "--date", "2026-11-21 07:30", "--distance", "10.2 km", "--time", "58:30",
        "--type", "relay", "--leg", "2", "--event", "Ragnar", "--rpe", "7",
    )
    assert r.exit_code == 0, r.stderr
    # 10200 m in 3510 s -> 344.1 s/km -> 5:44/km
    assert r.stderr.strip() == (
        "Logged run #1 · Sat 21 Nov 07:30 · 10.2 km in 58:30 (5:44/km)"
        " · relay leg 2, Ragnar · RPE 7"
    )
    [rec] = rubdown("list", "--json").json()
    assert rec == {
        "id": 1, "kind": "run", "type": "relay", "start": "2026-11-21T07:30:00-05:00",
        "note": None, "distance_m": 10200.0, "duration_s": 3510, "rpe": 7,
        "event": "Ragnar", "leg": 2, "source": None,
    }  # fmt: skip


def test_log_massage_forgiving_type_cost_and_focus(rubdown):
    r = rubdown(
        "log", "massage", "--type", "Deep Tissue", "--minutes", "90", "--date", "yesterday",
        "--therapist", "Ana", "--cost", "85.50", "--focus", "calves, hamstrings",
    )
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Logged massage #1 · Sat 28 Nov · deep-tissue 90 min · with Ana")
    [rec] = rubdown("list", "--json").json()
    assert rec["type"] == "deep-tissue"
    assert rec["start"] == "2026-11-28T12:00:00-05:00"
    assert rec["cost"] == "85.50"
    assert rec["focus"] == ["calves", "hamstrings"]
    assert rec["minutes"] == 90


def test_log_self_care_and_one_id_sequence(rubdown):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    assert rubdown("log", "massage", "--type", "sports", "--minutes", "60").exit_code == 0
    r = rubdown("log", "self-care", "--type", "foam roller", "--minutes", "15")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Logged self-care #3 · ")
    records = rubdown("list", "--json").json()
    assert [(x["id"], x["kind"]) for x in records] == [
        (1, "run"),
        (2, "massage"),
        (3, "self-care"),
    ]
    assert records[2]["type"] == "foam-roll"


def test_miles_from_config_for_bare_distance(rubdown, config_file):
    config_file.write_text('units = "mi"\n')
    r = rubdown("log", "run", "--distance", "10", "--time", "1:30:00")
    assert r.exit_code == 0, r.stderr
    assert "10.0 mi in 1:30:00 (9:00/mi)" in r.stderr
    assert rubdown("list", "--json").json()[0]["distance_m"] == pytest.approx(16093.44)


BAD_INPUTS = [
    (("log", "massage", "--type", "deep", "--minutes", "60"), "Did you mean 'deep-tissue'"),
    (("log", "massage", "--type", "reiki", "--minutes", "60"), "swedish, deep-tissue"),
    (("log", "massage", "--type", "sports", "--minutes", "0"), "'0'"),
    (("log", "massage", "--type", "sports", "--minutes", "-5"), "'-5'"),
    (("log", "self-care", "--type", "sauna", "--minutes", "10"), "foam-roll"),
    (("log", "run", "--rpe", "11"), "'11'"),
    (("log", "run", "--distance", "nan"), "'nan'"),
    (("log", "run", "--distance", "inf"), "'inf'"),
    (("log", "run", "--distance", "99999 km"), "99999"),
    (("log", "run", "--time", "1:75:00"), "1:75:00"),
    (("log", "run", "--type", "jog"), "easy, long"),
    (("log", "run", "--date", "2026-12-05"), "2026-12-05"),
    (("log", "run", "--date", "the day after"), "the day after"),
    (("log", "run", "--leg", "zero"), "'zero'"),
    (("log", "massage", "--type", "thai", "--minutes", "60", "--cost", "-3"), "'-3'"),
    (("log", "run", "--bogus", "1"), "--bogus"),
    (("log", "massage", "--minutes", "60"), "--type"),
    (("log", "run", "--distance", ""), "--distance"),
    (("log", "run", "--time", " "), "--time"),
    (("log", "massage", "--type", "thai", "--minutes", "60", "--therapist", ""), "--therapist"),
    (("list", "--kind", "swim"), "'swim'"),
    (("list", "--format", "xml"), "'xml'"),
]


@pytest.mark.parametrize(("args", "named"), BAD_INPUTS)
def test_bad_input_is_a_one_line_usage_error_and_writes_nothing(rubdown, db_file, args, named):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    before = digest(db_file)
    r = rubdown(*args)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("Error: ")
    assert named in lines[0]
    assert "Traceback" not in r.stderr
    assert digest(db_file) == before


def test_bare_log_run_without_terminal_is_a_usage_error(rubdown, db_file):
    r = rubdown("log", "run")
    assert r.exit_code == 2
    assert "nothing to log" in r.stderr
    assert not db_file.exists()


def test_bare_log_run_on_terminal_prompts_and_reasks(rubdown, monkeypatch):
    monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda: True)
    # distance: first an invalid answer, then a valid one; time; type skipped; RPE.
    r = rubdown("log", "run", input="ten\n8 km\n40:00\n\n6\n")
    assert r.exit_code == 0, r.stderr
    assert "Invalid distance 'ten'" in r.stderr
    [rec] = rubdown("list", "--json").json()
    assert (rec["distance_m"], rec["duration_s"], rec["type"], rec["rpe"]) == (
        8000.0, 2400, "easy", 6,
    )  # fmt: skip


def test_notes_are_stored_verbatim_and_printed_inert(rubdown):
    note = "\x1b[31mred\x1b[0m \x1b]8;;http://x.example\x07link\x1b]8;;\x07 [bold]b[/] \u202eevil"
    r = rubdown("log", "run", "--distance", "5k", "--note", note, "--event", "[red]Ev\x1b[2J")
    assert r.exit_code == 0
    assert "\x1b" not in r.stderr
    listed = rubdown("list")
    assert listed.exit_code == 0
    assert "\x1b" not in listed.stdout and "\u202e" not in listed.stdout
    assert "[bold]b[/]" in listed.stdout
    assert "\\x1b" in listed.stdout
    shown = rubdown("show", "1")
    assert "\x1b" not in shown.stdout and "[bold]b[/]" in shown.stdout
    rec = rubdown("list", "--json").json()[0]
    assert rec["note"] == note
    assert rec["event"] == "[red]Ev\x1b[2J"
