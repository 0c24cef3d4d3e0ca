"""`rubdown import` of records: the JSON round trip, the one set of limits
every stored record keeps, what the summary calls each record, and names
that are not UTF-8."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import run_cli
from torture import write_gpx

DATA = Path(__file__).parent / "data"
GPX = DATA / "gpx/runpandas_run_2020-07-05_hr.gpx"
TRUNCATED_FIT = DATA / "fit/fitparse_activity-unexpected-eof_truncated.fit"
AGAIN = "the same file again (read once)"


def records(rubdown, db: Path | None = None) -> list[dict]:
    extra = ("--db", str(db)) if db else ()
    result = rubdown("list", "--json", *extra)
    assert result.exit_code == 0, result.stderr
    return result.json()


def without_ids(listed: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("id", "source")} for r in listed]


def log_every_kind(rubdown, tmp_path: Path) -> None:
    """A log with every kind and every field, records that start within
    minutes (or at the same second) of each other, notes in many scripts,
    and records imported from a file and from another export."""
    logs = [
        ("run", "--date", "2026-11-21 07:58", "--distance", "2k", "--time", "10:00",
         "--note", "warm-up ☕ before the race"),
        ("run", "--date", "2026-11-21 08:00", "--distance", "5k", "--time", "19:59",
         "--type", "race", "--rpe", "9", "--event", "Parkrun ünïcödé", "--leg", "1",
         "--note", "PB! 🏃‍♀️ 日本語 العربية e\u0301"),
        ("run", "--date", "2026-11-21 08:01", "--distance", "5k", "--time", "20:30",
         "--type", "relay", "--event", "Parkrun ünïcödé", "--leg", "2"),
        ("self-care", "--type", "stretch", "--minutes", "10", "--date", "2026-11-21 09:00"),
        ("self-care", "--type", "yoga", "--minutes", "20", "--date", "2026-11-21 09:00"),
        # The same session logged twice by mistake: two records, kept as two.
        ("self-care", "--type", "foam-roll", "--minutes", "5", "--date", "2026-11-21 09:30"),
        ("self-care", "--type", "foam-roll", "--minutes", "5", "--date", "2026-11-21 09:30"),
        ("massage", "--type", "sports", "--minutes", "60", "--date", "2026-11-22 17:00",
         "--therapist", "Zoë Ø'Brien", "--cost", "85.50", "--focus", "calves,left hamstring",
         "--note", "line one\nline two\ttabbed «quoted» \u202eRTL \x1b[31mred\x1b[0m"),
        ("massage", "--type", "thai", "--minutes", "90", "--date", "2026-11-22 17:01",
         "--cost", "0"),
        ("run", "--date", "2026-11-23", "--time", "45:00"),
        ("run", "--date", "2026-11-24 06:30:15", "--distance", "10.123km"),
    ]  # fmt: skip
    for args in logs:
        result = rubdown("log", *args)
        assert result.exit_code == 0, result.stderr
    assert rubdown("import", str(GPX)).exit_code == 0
    other = tmp_path / "other.json"
    other.write_text(json.dumps([
        {"id": 1, "kind": "self-care", "type": "other", "start": "2026-11-25T21:00:00+01:00",
         "note": None, "minutes": 1, "source": "phone"},
    ]))  # fmt: skip
    assert rubdown("import", str(other)).exit_code == 0


# -- item: the lossless JSON round trip -----------------------------------------------


def test_json_export_imports_into_an_empty_database_unchanged(rubdown, tmp_path):
    log_every_kind(rubdown, tmp_path)
    exported = tmp_path / "export.json"
    assert rubdown("export", "--format", "json", "--output", str(exported)).exit_code == 0
    original = records(rubdown)
    fresh = tmp_path / "fresh.db"
    result = rubdown("import", str(exported), "--db", str(fresh), "--json")
    assert result.exit_code == 0, result.stderr
    summary = result.json()
    assert (summary["imported"], summary["duplicates"], summary["repeated"]) == (
        len(original), 0, 0,
    )  # fmt: skip
    assert without_ids(records(rubdown, fresh)) == without_ids(original)
    # An imported record keeps the source it had; one logged by hand gets the file's.
    sources = [r["source"] for r in records(rubdown, fresh)]
    assert sources == [r["source"] or "json:export.json" for r in original]
    # Imported again, into either database: every record is in the log already.
    for db in (fresh, Path(os.environ["RUBDOWN_DB"])):
        again = rubdown("import", str(exported), "--db", str(db), "--json").json()
        assert (again["imported"], again["duplicates"]) == (0, len(original))
    assert without_ids(records(rubdown, fresh)) == without_ids(original)


def test_a_first_import_never_says_already_in_the_log(rubdown, tmp_path):
    log_every_kind(rubdown, tmp_path)
    exported = tmp_path / "export.json"
    rubdown("export", "--format", "json", "--output", str(exported))
    result = rubdown("import", str(exported), "--db", str(tmp_path / "fresh.db"))
    assert result.exit_code == 0, result.stderr
    assert "already in the log" not in result.stderr
    assert "repeated" not in result.stderr


def test_an_export_is_in_the_log_it_came_from_even_after_an_edit(rubdown, tmp_path):
    rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-11-20 17:00")
    exported = tmp_path / "export.json"
    rubdown("export", "--format", "json", "--output", str(exported))
    (massage,) = records(rubdown)
    assert rubdown("edit", str(massage["id"]), "--note", "left calf tight").exit_code == 0
    again = rubdown("import", str(exported), "--json").json()
    assert (again["imported"], again["duplicates"]) == (0, 1)  # its id and start say so


def test_two_exports_with_the_same_records_store_them_once(rubdown, tmp_path):
    log_every_kind(rubdown, tmp_path)
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    rubdown("export", "--format", "json", "--output", str(first))
    shutil.copy(first, second)
    count = len(records(rubdown))
    result = rubdown("import", str(first), str(second), "--db", str(tmp_path / "new.db"), "--json")
    summary = result.json()
    assert [summary[k] for k in ("imported", "duplicates", "repeated")] == [count, 0, count]
    text = rubdown("import", str(first), str(second), "--db", str(tmp_path / "new2.db")).stderr
    assert f"; {count} repeated within this import (stored once)." in text.splitlines()[0]


# -- item: one set of limits for every record ----------------------------------------------


def _record(**change) -> dict:
    base = {
        "id": 1, "kind": "run", "type": "easy", "start": "2026-11-20T07:00:00-05:00",
        "note": None, "distance_m": 5000.0, "duration_s": 1500, "rpe": None, "event": None,
        "leg": None, "source": None,
    }  # fmt: skip
    return {**base, **change}


def _massage(**change) -> dict:
    base = {
        "id": 2, "kind": "massage", "type": "thai", "start": "2026-11-20T17:00:00-05:00",
        "note": None, "minutes": 60, "therapist": None, "cost": None, "focus": [],
        "source": None,
    }  # fmt: skip
    return {**base, **change}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (_record(note="x" * 1_000_000), "note is too long (1000000 characters); the limit is 2000"),
        (_record(distance_m=1e12), "distance_m 1000000000000.0 is outside 0 to 1000 km"),
        (_record(duration_s=100 * 3600 + 1), "duration_s 360001 is outside 1 to 360000"),
        (_record(leg=100), "leg 100 is outside 1 to 99"),
        (_record(leg=0), "leg 0 is outside 1 to 99"),
        (_record(rpe=11), "rpe 11 is outside 0 to 10"),
        (_record(distance_m=-1), "distance_m -1.0 is outside 0 to 1000 km"),
        (_record(distance_m=0), "distance_m 0.0 is outside 0 to 1000 km"),
        (_record(duration_s=0), "duration_s 0 is outside 1 to 360000"),
        (_massage(minutes=0), "minutes 0 is outside 1 to 1440"),
        (_massage(type="Thai"), "massage type 'Thai' is not one of swedish"),
        (_record(type="sprint"), "run type 'sprint' is not one of easy"),
        (_massage(cost="-5"), "cost is outside 0 to 1,000,000"),
        (_record(event="E" * 201), "event is too long (201 characters)"),
        (_record(event="  "), "event cannot be empty"),
        (_record(start="2999-01-01T07:00:00-05:00"), "start 2999-01-01T07:00:00-05:00 is in the"),
        (_record(start="2026-11-30T10:00:01-05:00"), "is in the future"),  # a day and a second
        (_record(start="1800-06-01T07:00:00+00:00"), "start 1800-06-01T07:00:00+00:00 is before"),
        (_record(source="s" * 2001), "source is too long"),
        (_record(note="lone \ud800 surrogate"), "note is not valid Unicode text"),
        (_massage(minutes=100000), "minutes 100000 is outside 1 to 1440"),
        (_massage(therapist="T" * 201), "therapist is too long"),
        (_massage(cost="85.555"), "cost 85.555 has a fraction of a cent"),
        (_massage(cost="1e400"), "cost is outside 0 to 1,000,000"),
        (_massage(cost="1000000.01"), "cost is outside 0 to 1,000,000"),
        (_massage(focus=["f" * 500]), "focus area 'ffff"),
        (_massage(focus=[f"area {i}" for i in range(21)]), "too many focus areas (21)"),
        (_massage(focus=["  "]), "is empty or over 40 characters"),
    ],
)
def test_a_json_record_outside_the_limits_is_refused_with_its_reason(
    rubdown, tmp_path, bad, reason
):
    path = tmp_path / "export.json"
    good = _massage(id=9, start="2026-11-21T17:00:00-05:00")
    path.write_text(json.dumps([good, bad]))
    result = rubdown("import", str(path), "--json")
    assert result.exit_code == 1
    summary = result.json()
    assert summary["imported"] == 1
    (refused,) = summary["refused"]
    assert refused["path"] == f"{path} (record 2)"
    assert reason in refused["reason"]
    (stored,) = records(rubdown)
    assert stored["start"] == good["start"]  # nothing absurd stored
    assert "Traceback" not in result.stderr
    text = rubdown("import", str(path), "--dry-run")
    assert text.exit_code == 1
    lines = text.stderr.splitlines()
    assert lines[1].startswith("Refused 1 ")
    assert lines[2].startswith(f"  {path} (record 2): ")
    assert lines[-1] == (
        "Error: 1 record could not be imported (listed above); everything else was."
    )


def test_the_limits_are_the_ones_log_applies(rubdown, tmp_path):
    from rubdown import fields, parsing

    now = datetime(2026, 11, 29, 10, 0, tzinfo=UTC)
    # Exactly at each limit passes, as with log; one past it is refused.
    at_limit = {
        "start": now + timedelta(hours=24), "type": "easy", "note": "n" * 2000,
        "distance_m": 1_000_000.0, "duration_s": None, "rpe": 10, "event": "e" * 200,
        "leg": 99, "source": None,
    }  # fmt: skip
    assert fields.record_problem("run", at_limit, now=now) is None
    # The longest duration, at a pace someone can hold that long.
    longest = {**at_limit, "distance_m": 400_000.0, "duration_s": 360000}
    assert fields.record_problem("run", longest, now=now) is None
    # Each value within its limits, but the pace they make together is not a
    # run's: refused on every path, as log refuses it.
    for distance_m, duration_s in [(1_000_000.0, 360000), (5000.0, 45), (6.0, 2880)]:
        pair = {**at_limit, "distance_m": distance_m, "duration_s": duration_s}
        problem = fields.record_problem("run", pair, now=now)
        assert problem == parsing.pace_problem(distance_m, duration_s)
        assert problem is not None
        assert fields.record_problem("run", pair, now=now, only={"duration_s"}) == problem
    assert parsing.parse_distance("1000km") == at_limit["distance_m"]
    assert parsing.parse_duration("100h") == longest["duration_s"]
    assert parsing.parse_note("n" * 2000) == at_limit["note"]
    assert parsing.parse_name("e" * 200) == at_limit["event"]
    massage = {"start": now, "type": "thai", "minutes": 1440, "therapist": "t" * 200,
               "cost_cents": 100_000_000, "focus": tuple("f" * 40 for _ in range(20))}  # fmt: skip
    assert fields.record_problem("massage", massage, now=now) is None
    assert parsing.parse_minutes("1440") == massage["minutes"]
    assert parsing.parse_cost("1000000") == massage["cost_cents"]
    assert fields.record_problem("massage", {**massage, "minutes": 1441}, now=now)
    assert fields.record_problem("run", {**at_limit, "rpe": 11}, now=now)
    assert fields.record_problem("run", {**at_limit, "leg": True}, now=now)


def test_the_store_refuses_what_the_limits_refuse_on_every_path(db_file):
    from rubdown.errors import ParseError
    from rubdown.models import Run
    from rubdown.store import Store

    start = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    with Store.open(db_file, write=True) as store:
        with pytest.raises(ParseError, match="distance_m .* is outside 0 to 1000 km"):
            store.add(Run(None, start, "easy", 1e12))
        with pytest.raises(ParseError, match="note is too long"):
            store.add_many([Run(None, start, "easy", 5000.0, note="x" * 2001)])
        record = store.add(Run(None, start, "easy", 5000.0))
        with pytest.raises(ParseError, match="start .* is in the future"):
            store.update(record.id, {"start": start.replace(year=2999)})
        assert store.count() == 1 and store.get(record.id) == record


def test_an_edit_checks_what_it_changes(rubdown, db_file):
    rubdown("log", "run", "--distance", "5k", "--date", "2026-11-20 07:00")
    (run,) = records(rubdown)
    # A note stored before the limits existed (an older import took any length).
    import sqlite3

    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE records SET note = ? WHERE id = ?", ("x" * 5000, run["id"]))
    conn.close()
    assert rubdown("edit", str(run["id"]), "--distance", "6k").exit_code == 0
    refused = rubdown("edit", str(run["id"]), "--date", "2999-01-01")
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr


def test_an_activity_outside_the_limits_is_refused(rubdown, tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    write_gpx(folder / "future.gpx", datetime(2999, 6, 1, 11, 0, tzinfo=UTC))
    write_gpx(folder / "today.gpx", datetime(2026, 11, 28, 11, 0, tzinfo=UTC))
    result = rubdown("import", str(folder), "--json")
    assert result.exit_code == 1
    summary = result.json()
    assert summary["imported"] == 1
    (refused,) = summary["refused"]
    assert refused["path"] == str(folder / "future.gpx")
    assert "is in the future" in refused["reason"]
    assert [r["source"] for r in records(rubdown)] == ["gpx:today.gpx"]


def test_a_fit_recorded_in_the_future_is_refused_as_a_gpx_is(rubdown, tmp_path):
    from fitfile import run_file

    path = tmp_path / "future.fit"
    path.write_bytes(run_file(datetime(2027, 6, 1, 8, 0, tzinfo=UTC), 1800, session={}))
    result = rubdown("import", str(path), "--json")
    assert result.exit_code == 1
    (refused,) = result.json()["refused"]
    assert refused["path"] == str(path) and "is in the future" in refused["reason"]
    assert records(rubdown) == []


# -- item: names that are not UTF-8, text that is not Unicode -------------------------------


def test_a_file_name_that_is_not_utf8_is_imported_and_shown_escaped(tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    raw = os.fsencode(folder)
    shutil.copy(GPX, os.fsdecode(raw + b"/caf\xe9.gpx"))
    Path(os.fsdecode(raw + b"/z\xff broken.gpx")).write_text("<gpx><trk>")
    write_gpx(folder / "zz.gpx", datetime(2026, 6, 1, 11, 0, tzinfo=UTC))
    env = {"RUBDOWN_IMPORT_WORKERS": "0"}
    result = run_cli("import", str(folder), "--json", env=env)
    assert result.returncode == 1, result.stderr  # the broken one failed, nothing else
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["imported"] == 2
    (failed,) = summary["failed"]
    assert failed["path"] == f"{folder}/z\\xff broken.gpx"
    listed = json.loads(run_cli("list", "--json").stdout)
    assert sorted(r["source"] for r in listed) == ["gpx:caf\\xe9.gpx", "gpx:zz.gpx"]
    text = run_cli("import", str(folder), "--dry-run", env=env)
    assert "Traceback" not in text.stderr
    assert f"  {folder}/z\\xff broken.gpx: " in text.stderr
    assert "Would import nothing; 2 duplicates (already in the log) not stored." in text.stderr


def test_a_json_note_with_a_lone_surrogate_is_refused_and_the_rest_imported(rubdown, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(
        "["
        + json.dumps(_massage(note="fine"))
        + ","
        + json.dumps(_record(note="x")).replace('"note": "x"', '"note": "bad \\udc80 text"')
        + "]"
    )
    result = run_cli("import", str(path), "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["imported"] == 1
    assert summary["refused"] == [
        {"path": f"{path} (record 2)",
         "reason": "note is not valid Unicode text (it holds a lone surrogate)"},
    ]  # fmt: skip
    assert [r["note"] for r in records(rubdown)] == ["fine"]


# -- item: a re-import says nothing was recovered -----------------------------------------


def test_a_damaged_file_is_recovered_once_not_on_every_reimport(rubdown):
    first = rubdown("import", str(TRUNCATED_FIT))
    assert first.stderr.splitlines()[1].startswith("Recovered 1 damaged")
    again = rubdown("import", str(TRUNCATED_FIT))
    assert again.exit_code == 0
    assert again.stderr.splitlines() == [
        "Imported nothing; 1 duplicate (already in the log) not stored."
    ]
    assert rubdown("import", str(TRUNCATED_FIT), "--json").json()["recovered"] == []


# -- item: a path given twice is counted ----------------------------------------------------


def test_the_same_path_given_twice_is_read_once_and_counted(rubdown, tmp_path):
    shutil.copy(GPX, tmp_path / "run.gpx")
    result = rubdown("import", str(tmp_path / "run.gpx"), str(tmp_path / "run.gpx"), "--json")
    assert result.exit_code == 0
    summary = result.json()
    assert (summary["imported"], summary["skipped"]) == (1, {AGAIN: 1})
    folder = rubdown("import", str(tmp_path), str(tmp_path / "run.gpx"), str(tmp_path), "--dry-run")
    assert "Skipped 2:" in folder.stderr.splitlines()
    assert f"  {AGAIN}: 2" in folder.stderr.splitlines()


def test_a_missing_path_that_is_not_utf8_is_named_with_escapes(tmp_path):
    missing = os.fsdecode(os.fsencode(tmp_path) + b"/gone\xe9.gpx")
    result = run_cli("import", missing)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path}/gone\\xe9.gpx does not exist" in result.stderr
