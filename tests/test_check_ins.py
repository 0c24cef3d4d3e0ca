"""Check-ins and the body-area vocabulary (SPEC 11), through the command line:
one per day, undo, every record command, bad input, export and import, the
migration that loses nothing, and the report's wellness section.

The clock is Sunday 29 Nov 2026 10:00 in New York (conftest)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import digest
from rubdown.cli import log_cmd
from rubdown.store import migrations

BANNED = ("risk", "readiness", "overtraining", "safe", "optimal", "score")


def only_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_a_check_in_is_logged_listed_and_shown(rubdown):
    r = rubdown("log", "check-in", "--sore", "Calf=6, L hamstring=4", "--fatigue", "3",
                "--sleep", "4", "--note", "stiff after the long run")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert only_line(r.stderr) == (
        "Logged check-in #1 · Sun 29 Nov · soreness 6/10 (calves 6, left-hamstrings 4) · "
        "fatigue 3/5 · sleep 4/5"
    )
    [item] = rubdown("list", "--json").json()
    assert item == {
        "id": 1, "kind": "check-in", "start": "2026-11-29T12:00:00-05:00",
        "note": "stiff after the long run", "soreness": 6,
        "sore": {"calves": 6, "left-hamstrings": 4}, "fatigue": 3, "sleep": 4, "stress": None,
        "mood": None, "source": None,
    }  # fmt: skip
    assert rubdown("show", "1", "--json").json() == item
    shown = rubdown("show", "1").stdout
    assert "calves 6, left-hamstrings 4" in shown
    table = rubdown("list").stdout
    assert "check-in" in table and "soreness 6/10" in table and " any " not in table
    assert [r["id"] for r in rubdown("list", "--kind", "check-ins", "--json").json()] == [1]
    assert [r["id"] for r in rubdown("list", "--search", "stiff", "--json").json()] == [1]


def test_a_second_check_in_the_same_day_updates_and_undo_restores(rubdown):
    assert rubdown("log", "check-in", "--sore", "calves=6", "--sleep", "2").exit_code == 0
    r = rubdown("log", "check-in", "--sore", "quads=8", "--mood", "4")
    assert r.exit_code == 0, r.stderr
    line = only_line(r.stderr)
    assert line.startswith("Updated check-in #1 · Sun 29 Nov")
    assert line.endswith("kept sleep, calves from the day's check-in")
    [item] = rubdown("list", "--json").json()
    # Areas merge; overall soreness is the highest area without --soreness.
    assert (item["sore"], item["soreness"], item["sleep"], item["mood"]) == (
        {"calves": 6, "quads": 8}, 8, 2, 4)
    assert rubdown("log", "check-in", "--soreness", "3").exit_code == 0
    assert rubdown("list", "--json").json()[0]["soreness"] == 3
    assert rubdown("undo").exit_code == 0
    assert rubdown("list", "--json").json()[0]["soreness"] == 8
    assert rubdown("undo").exit_code == 0
    [item] = rubdown("list", "--json").json()
    assert (item["sore"], item["soreness"], item["sleep"], item["mood"]) == (
        {"calves": 6}, 6, 2, None)
    assert rubdown("undo").exit_code == 0
    assert rubdown("list", "--json").json() == []


def test_another_day_is_another_check_in(rubdown):
    assert rubdown("log", "check-in", "--date", "yesterday", "--stress", "2").exit_code == 0
    assert rubdown("log", "check-in", "--stress", "3").exit_code == 0
    found = rubdown("list", "--json").json()
    assert [(c["start"], c["stress"]) for c in found] == [
        ("2026-11-28T12:00:00-05:00", 2), ("2026-11-29T12:00:00-05:00", 3)]


def test_edit_and_delete_a_check_in(rubdown):
    assert rubdown("log", "check-in", "--fatigue", "2").exit_code == 0
    r = rubdown("edit", "1", "--fatigue", "4", "--sore", "shins=5")
    assert r.exit_code == 0, r.stderr
    item = rubdown("show", "1", "--json").json()
    assert (item["fatigue"], item["sore"]) == (4, {"shins": 5})
    r = rubdown("edit", "1", "--type", "easy")
    assert r.exit_code == 2 and "a check-in has no type" in only_line(r.stderr)
    r = rubdown("edit", "1", "--fatigue", "6")
    assert r.exit_code == 2 and "--fatigue" in only_line(r.stderr)
    assert rubdown("log", "check-in", "--date", "fri", "--mood", "2").exit_code == 0
    r = rubdown("edit", "2", "--date", "today 07:00")
    assert r.exit_code == 2 and "2026-11-29 has check-in #1 already" in only_line(r.stderr)
    assert rubdown("edit", "2", "--date", "sat 07:00").exit_code == 0  # a day: its noon
    assert rubdown("show", "2", "--json").json()["start"] == "2026-11-28T12:00:00-05:00"
    assert rubdown("delete", "2").exit_code == 0
    assert rubdown("delete", "1").exit_code == 0
    assert rubdown("list", "--json").json() == []
    assert rubdown("undo").exit_code == 0
    assert rubdown("show", "1", "--json").json()["fatigue"] == 4
    assert "Sun 2026-11-29  check-in" in rubdown("list").stdout  # a day, no time


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("--soreness", "11"), "'11' is not a rating; use a whole number from 0 to 10"),
        (("--sore", "calves=x"), "'x' is not a rating for calves"),
        (("--sore", "calves=11"), "'11' is not a rating for calves"),
        (("--sore", "calves"), "'calves' needs a rating: AREA=N"),
        (("--sore", "calfs=3"), "Unknown body area 'calfs'. Did you mean 'calves'?"),
        (("--fatigue", "0"), "--fatigue: '0' is not a rating; use a whole number from 1 to 5"),
        (("--mood", "x"), "--mood"),
        ((), "Nothing to record: give at least one of --soreness"),
        (("--date", "2026-11-30", "--mood", "3"), "2026-11-30 is ahead of today (2026-11-29)"),
        (("--date", "yesterday"), "Nothing to record"),
    ],
)
def test_bad_check_ins_are_usage_errors_and_write_nothing(rubdown, db_file, args, named):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0  # a database to keep
    before = digest(db_file)
    for fast in (True, False):
        r = rubdown("log", "check-in", *args, fast=fast)
        assert r.exit_code == 2, r.stderr
        line = only_line(r.stderr)
        assert line.startswith("Error: ") and named in line, line
    assert digest(db_file) == before


def test_unknown_focus_and_areas_are_usage_errors(rubdown, db_file):
    r = rubdown("log", "massage", "--type", "sports", "-m", "60", "--focus", "calves,hamstrung")
    assert r.exit_code == 2
    assert "--focus: Unknown body area 'hamstrung'. Did you mean 'hamstrings'?" in only_line(
        r.stderr)
    r = rubdown("log", "self-care", "--type", "yoga", "-m", "20", "--areas", "IT band, R calf")
    assert r.exit_code == 0, r.stderr
    assert rubdown("list", "--json").json()[0]["areas"] == ["it-band", "right-calves"]
    r = rubdown("log", "massage", "--type", "sports", "-m", "60", "--focus", "Lower back")
    assert rubdown("list", "--json").json()[1]["focus"] == ["lower-back"]


def test_prompts_on_a_terminal_and_enter_skips(rubdown, monkeypatch):
    monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda: True)
    # soreness skipped; sore areas: a bad answer, then a good one; fatigue 11 then 2;
    # sleep, stress skipped; mood 4; note skipped.
    r = rubdown("log", "check-in", input="\ncalves\ncalves=5\n11\n2\n\n\n4\n\n")
    assert r.exit_code == 0, r.stderr
    assert "needs a rating" in r.stderr and "'11' is not a rating" in r.stderr
    [item] = rubdown("list", "--json").json()
    assert (item["soreness"], item["sore"], item["fatigue"], item["sleep"], item["mood"]) == (
        5, {"calves": 5}, 2, None, 4)


def test_every_prompt_skipped_stores_nothing(rubdown, monkeypatch, db_file):
    monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda: True)
    r = rubdown("log", "check-in", input="\n" * 7)
    assert r.exit_code == 2
    assert "every question was skipped" in r.stderr
    assert not db_file.exists()


def test_export_and_import_round_trip(rubdown, tmp_path, monkeypatch):
    assert rubdown("log", "check-in", "--date", "fri", "--sore", "calves=7,quads=2",
                   "--fatigue", "4", "--note", "heavy legs").exit_code == 0  # fmt: skip
    assert rubdown("log", "self-care", "--type", "foam-roll", "-m", "15",
                   "--areas", "calves").exit_code == 0  # fmt: skip
    exported = rubdown("export").stdout
    records = json.loads(exported)
    assert records == rubdown("list", "--json").json()
    csv_text = rubdown("export", "--format", "csv").stdout
    header, check_in_row, _ = csv_text.splitlines()
    assert header.endswith(",areas,soreness,sore,fatigue,sleep,stress,mood")
    assert check_in_row.endswith(',7,"calves=7,quads=2",4,,,')
    (tmp_path / "log.json").write_text(exported)
    monkeypatch.setenv("RUBDOWN_DB", str(tmp_path / "other.db"))
    r = rubdown("import", str(tmp_path / "log.json"))
    assert r.exit_code == 0, r.stderr
    assert "1 check-in" in r.stderr
    again = rubdown("list", "--json").json()
    assert [dict(r, source=None) for r in again] == [dict(r, source=None) for r in records]
    r = rubdown("import", str(tmp_path / "log.json"))  # the day's check-in is there already
    assert r.exit_code == 0 and len(rubdown("list", "--json").json()) == 2


def test_upgrade_to_schema_6_keeps_free_text_focus(db_file, rubdown, monkeypatch):
    """A database of schema 5 with focus typed before the vocabulary: the
    upgrade loses nothing, and the old areas are shown as they were."""
    db_file.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_file, isolation_level=None)
    every_step = migrations.MIGRATIONS
    monkeypatch.setattr(migrations, "MIGRATIONS", every_step[:5])
    assert migrations.apply(conn) == [1, 2, 3, 4, 5]
    monkeypatch.setattr(migrations, "MIGRATIONS", every_step)
    cur = conn.execute(
        "INSERT INTO records (kind, type, start, note, created_at) VALUES"
        " ('massage', 'sports', '2026-11-20T17:00:00-05:00', 'tight', '2026-11-20T22:00:00Z')"
    )
    old_focus = json.dumps(["left calf", "IT band stuff", "Waden"])
    conn.execute("INSERT INTO massages (id, minutes, focus) VALUES (?, 60, ?)",
                 (cur.lastrowid, old_focus))  # fmt: skip
    cur = conn.execute(
        "INSERT INTO records (kind, type, start, created_at) VALUES"
        " ('self-care', 'yoga', '2026-11-21T08:00:00-05:00', '2026-11-21T13:00:00Z')"
    )
    conn.execute("INSERT INTO self_care (id, minutes) VALUES (?, 20)", (cur.lastrowid,))
    conn.close()
    massage, care = rubdown("list", "--json").json()
    assert massage["focus"] == ["left calf", "IT band stuff", "Waden"]
    assert care["areas"] == []
    assert "focus left calf, IT band stuff, Waden" in rubdown("list").stdout
    assert rubdown("edit", "1", "--note", "better").exit_code == 0  # an old focus may stay
    assert rubdown("show", "1", "--json").json()["focus"] == massage["focus"]
    check = rubdown("db", "check")
    assert check.exit_code == 0 and "schema 6" in check.stdout
    assert rubdown("log", "check-in", "--mood", "3").exit_code == 0


def test_report_wellness_section_and_needs_attention(rubdown):
    for day, calves in (("2026-11-20", 4), ("2026-11-24", 8), ("2026-11-25", 6),
                        ("2026-11-27", 7), ("2026-11-28", 9), ("2026-11-29", 8)):  # fmt: skip
        r = rubdown("log", "check-in", "--date", day, "--sore", f"calves={calves}",
                    "--fatigue", "3")  # fmt: skip
        assert r.exit_code == 0, r.stderr
    assert rubdown("log", "check-in", "--date", "2026-11-25", "--sleep", "2").exit_code == 0
    assert rubdown("log", "massage", "--type", "sports", "-m", "60",
                   "--date", "2026-11-25 18:00").exit_code == 0  # fmt: skip
    report = rubdown("report", "--weeks", "2", "--json").json()
    assert report["wellness"] == {
        "weeks": [
            {"week": "2026-W47", "check_ins": 1, "soreness_mean": 4.0, "fatigue_mean": 3.0,
             "sleep_mean": None},
            {"week": "2026-W48", "check_ins": 5, "soreness_mean": 7.6, "fatigue_mean": 3.0,
             "sleep_mean": 2.0},
        ],
        # before: the 24th and the 20th (the 25th is the massage's own day);
        # after: the 27th and the 28th.
        "around_massage": [
            {"massage_id": 7, "before": 6.0, "after": 8.0, "n_before": 2, "n_after": 2},
        ],
    }  # fmt: skip
    table = rubdown("report", "--weeks", "2").stdout
    assert ("Needs attention\n  • Persistent or sharp pain isn't ordinary soreness; consider "
            "seeing a health professional.") in table  # fmt: skip
    assert "How you rated it" in table
    assert "massage #7 25 Nov: soreness 6.00 before (2), 8.00 after (2)" in table
    markdown = rubdown("report", "--weeks", "2", "--format", "markdown").stdout
    assert "## How you rated it" in markdown
    for output in (table, markdown, json.dumps(report)):
        assert not any(word in output.lower() for word in BANNED)
    # A week earlier the three latest ratings of the calves were not all 7+.
    past = rubdown("report", "--until", "2026-11-27", "--weeks", "1", "--json").json()
    assert past["wellness"]["around_massage"][0]["n_after"] == 1


def test_no_attention_line_when_a_rating_is_under_7_or_old(rubdown):
    for day, calves in (("2026-11-20", 9), ("2026-11-21", 9), ("2026-11-28", 9)):
        r = rubdown("log", "check-in", "--date", day, "--sore", f"calves={calves}")
        assert r.exit_code == 0, r.stderr
    assert "Persistent" not in rubdown("report").stdout  # one of the three is 8 days old
    assert rubdown("log", "check-in", "--sore", "calves=6,quads=2").exit_code == 0
    assert "Persistent" not in rubdown("report").stdout
    assert rubdown("log", "check-in", "--sore", "calves=7").exit_code == 0  # the same day
    assert "Persistent" not in rubdown("report").stdout  # the 21st is still among the 3
    table = rubdown("report", "--weeks", "1").stdout
    assert "How you rated it" in table


def test_a_report_without_check_ins_shows_no_wellness_lines(rubdown):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    assert "How you rated it" not in rubdown("report").stdout
    wellness = rubdown("report", "--weeks", "1", "--json").json()["wellness"]
    assert wellness == {"weeks": [{"week": "2026-W48", "check_ins": 0, "soreness_mean": None,
                                   "fatigue_mean": None, "sleep_mean": None}],
                        "around_massage": []}  # fmt: skip


def test_check_in_words_describe_and_never_judge(rubdown):
    outputs = [
        rubdown("log", "check-in", "--help").stdout,
        rubdown("log", "check-in", "--sore", "calves=9", "--fatigue", "5").stderr,
        rubdown("log", "check-in", "--sleep", "1").stderr,
        rubdown("list").stdout,
        rubdown("show", "1").stdout,
        rubdown("report").stdout,
        rubdown("report", "--json").stdout,
    ]
    for output in outputs:
        assert output
        assert not [word for word in BANNED if word in output.lower()], output


def test_an_imported_check_in_of_the_wrong_shape_is_refused(rubdown, tmp_path):
    check_in = {"id": 4, "kind": "check-in", "start": "2026-11-27T12:00:00-05:00",
                "soreness": 5, "sore": ["calves"]}  # fmt: skip
    (tmp_path / "bad.json").write_text(json.dumps([check_in]))
    r = rubdown("import", str(tmp_path / "bad.json"))
    assert r.exit_code == 1 and "sore must be an object of area: rating" in r.stderr
    (tmp_path / "unknown.json").write_text(json.dumps([dict(check_in, sore={"calfs": 3})]))
    r = rubdown("import", str(tmp_path / "unknown.json"))
    assert "sore area 'calfs' is not a body area" in r.stderr
    (tmp_path / "high.json").write_text(json.dumps([dict(check_in, sore={"calves": 3}, fatigue=6)]))
    r = rubdown("import", str(tmp_path / "high.json"))
    assert "fatigue 6 is outside 1 to 5" in r.stderr
    assert rubdown("list", "--json").json() == []
