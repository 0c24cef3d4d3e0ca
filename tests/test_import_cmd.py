"""`rubdown import` end to end: real fixtures (tests/data, see SOURCES.md) into
a real temporary database.

Expected values are those of the parser tests (test_importers.py and
test_importers_strava.py, from the fixture set's expected.json), with the
UTC start put in the test zone (America/New_York).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import digest
from helpers import scan
from test_importers_strava import SKIPPED
from torture import processes_in_group, write_gpx

DATA = Path(__file__).parent / "data"
FIT = DATA / "fit/fitparse_2013-02-06_run_5laps.fit"
FIT_GZ = DATA / "fit/DERIVED_fitparse_2013-02-06_run_5laps.fit.gz"
GPX = DATA / "gpx/runpandas_run_2020-07-05_hr.gpx"
TCX = DATA / "tcx/tcxparser_forerunner410_run_3laps.tcx"

# file, local start (New York), distance m, moving s, source
FIXTURE_RUNS = [
    (GPX, "2020-07-05T05:33:20-04:00", 980.2, 357, "gpx:runpandas_run_2020-07-05_hr.gpx"),
    (
        DATA / "gpx/gpxpy_cerknicko-jezero_multitrack.gpx",
        "2010-08-05T10:23:59-04:00",
        4575.0,
        2425,
        "gpx:gpxpy_cerknicko-jezero_multitrack.gpx",
    ),
    (TCX, "2012-12-26T16:29:53-05:00", 4689.2, 1993, "tcx:tcxparser_forerunner410_run_3laps.tcx"),
    (
        DATA / "tcx/DERIVED_strava-style_leading-ws_forerunner410.tcx.gz",
        "2012-12-26T16:29:53-05:00",
        4689.2,
        1993,
        "tcx:DERIVED_strava-style_leading-ws_forerunner410.tcx.gz",
    ),
    (FIT, "2013-02-06T07:11:14-05:00", 4835.38, 2625, "fit:fitparse_2013-02-06_run_5laps.fit"),
    (
        FIT_GZ,
        "2013-02-06T07:11:14-05:00",
        4835.38,
        2625,
        "fit:DERIVED_fitparse_2013-02-06_run_5laps.fit.gz",
    ),
]

# The six Strava runs: Activity ID -> (local start, distance m, moving s, name)
STRAVA_RUNS = {
    "740821460": ("2016-10-10T16:55:48-04:00", 6639.39990234375, 1765, "Afternoon Run"),
    "855414128": ("2017-02-04T18:00:43-05:00", 5468.10009765625, 1516, "Evening Run"),
    "3019598408": ("2020-01-17T12:29:57-05:00", 7307.0, 2046, "Lunch Run"),
    "7763616047": ("2022-09-06T08:31:35-04:00", 4474.080078125, 1269, "Course à pied matinale"),
    "15576377835": ("2025-08-24T22:29:50-04:00", 4712.2001953125, 1467, "Evening Run"),
    "15581622167": ("2025-08-25T10:15:30-04:00", 9385.2001953125, 2991, "Morning Run"),
}


def records(rubdown) -> list[dict]:
    result = rubdown("list", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def gpx_folder(folder: Path, count: int, *, points: int = 60) -> Path:
    """``count`` distinct GPX runs, one a day, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    first = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
    for i in range(count):
        write_gpx(folder / f"run-{i:03d}.gpx", first + timedelta(days=i), points=points)
    return folder


# -- what is stored ------------------------------------------------------------


@pytest.mark.parametrize(("path", "start", "distance_m", "moving_s", "source"), FIXTURE_RUNS)
def test_each_fixture_is_stored_as_a_run(rubdown, path, start, distance_m, moving_s, source):
    result = rubdown("import", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["imported"] == 1
    (run,) = records(rubdown)
    assert run["kind"] == "run" and run["type"] == "easy"
    assert run["start"] == start
    assert run["distance_m"] == pytest.approx(distance_m, rel=0.01)
    assert run["duration_s"] == pytest.approx(moving_s, abs=1)
    assert run["source"] == source
    assert (run["rpe"], run["event"], run["leg"]) == (None, None, None)


def test_strava_export_rows_are_runs_named_by_their_activity(rubdown):
    result = rubdown("import", str(DATA / "strava"), "--json")
    assert result.exit_code == 0, result.stderr
    summary = result.json()
    assert summary["imported"] == 6
    assert summary["skipped"] == SKIPPED
    stored = {r["source"]: r for r in records(rubdown)}
    assert set(stored) == {f"strava:{i}" for i in STRAVA_RUNS}
    for activity_id, (start, distance_m, moving_s, name) in STRAVA_RUNS.items():
        run = stored[f"strava:{activity_id}"]
        assert (run["start"], run["duration_s"], run["note"]) == (start, moving_s, name)
        assert run["distance_m"] == pytest.approx(distance_m)


def test_damaged_files_are_recovered_and_the_summary_covers_every_file(rubdown):
    result = rubdown("import", str(DATA / "fit"), str(DATA / "gpx"))
    assert result.exit_code == 1  # the malformed GPX failed; the rest is imported
    lines = result.stderr.splitlines()
    # fit: 5laps + .gz (one run, repeated within the import), 2 recovered runs, a ride
    # skipped; gpx: 2 runs, one without times skipped, one failed.
    assert lines[0] == "Imported 5 runs; 1 repeated within this import (stored once)."
    assert "Recovered 2 damaged (imported what could be read):" in lines
    assert any("unexpected-eof_truncated.fit: truncated FIT file" in line for line in lines)
    assert "  not a run (cycling): 1" in lines and "  no timestamps: 1" in lines
    assert "Failed 1:" in lines
    assert any("gpxcli_invalid_mismatched-tag.gpx: malformed XML" in line for line in lines)
    assert lines[-1].startswith("Error: 1 file could not be imported (listed above)")
    assert result.stdout == ""
    assert len(records(rubdown)) == 5


def test_json_summary_has_the_documented_shape(rubdown):
    result = rubdown("import", str(DATA / "fit"), str(DATA / "gpx"), "--json")
    assert result.exit_code == 1
    summary = result.json()
    assert list(summary)[:5] == ["imported", "duplicates", "recovered", "skipped", "failed"]
    assert {"repeated", "refused", "not_runs", "no_sport"} <= set(summary)
    assert (summary["imported"], summary["duplicates"], summary["repeated"]) == (5, 0, 1)
    assert summary["refused"] == []
    assert [sorted(r) for r in summary["recovered"]] == [["path", "reason"]] * 2
    assert summary["recovered"][0]["path"].endswith("unexpected-eof_truncated.fit")
    assert summary["skipped"] == {"not a run (cycling)": 1, "no timestamps": 1}
    (failed,) = summary["failed"]
    assert sorted(failed) == ["error", "path"]
    assert failed["path"].endswith("gpxcli_invalid_mismatched-tag.gpx")
    assert "mismatched tag: line 8, column 3" in failed["error"]
    # stdout is only the JSON; the one error line is on stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")


# -- duplicates ------------------------------------------------------------------


def test_a_second_import_adds_nothing(rubdown):
    first = rubdown("import", str(DATA / "tcx"), str(DATA / "fit"), str(DATA / "strava"), "--json")
    before = records(rubdown)
    second = rubdown("import", str(DATA / "tcx"), str(DATA / "fit"), str(DATA / "strava"), "--json")
    assert second.exit_code == 0, second.stderr
    assert second.json()["imported"] == 0
    # What the first import repeated (the same run as .fit and .fit.gz) is in the log now.
    assert second.json()["duplicates"] == sum(first.json()[k] for k in ("imported", "repeated"))
    assert first.json()["duplicates"] == second.json()["repeated"] == 0
    assert records(rubdown) == before


def test_the_same_activity_as_fit_and_fit_gz_is_stored_once(rubdown):
    result = rubdown("import", str(FIT), str(FIT_GZ), "--json")
    assert (result.json()["imported"], result.json()["repeated"]) == (1, 1)
    assert result.json()["duplicates"] == 0  # the log held neither before
    assert len(records(rubdown)) == 1


def write_tcx(path: Path, start: datetime, distance_m: float, seconds: float) -> None:
    """A one-lap TCX run without track points."""
    when = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(
        '<?xml version="1.0"?>\n<TrainingCenterDatabase'
        ' xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>'
        f'<Activity Sport="Running"><Id>{when}</Id><Lap StartTime="{when}">'
        f"<TotalTimeSeconds>{seconds}</TotalTimeSeconds>"
        f"<DistanceMeters>{distance_m}</DistanceMeters></Lap></Activity>"
        "</Activities></TrainingCenterDatabase>\n"
    )


def test_the_same_run_from_two_formats_is_a_duplicate(rubdown, tmp_path):
    start = datetime(2026, 6, 1, 11, 0, tzinfo=UTC)
    write_gpx(tmp_path / "watch.gpx", start, points=200)
    assert rubdown("import", str(tmp_path / "watch.gpx")).exit_code == 0
    (run,) = records(rubdown)
    # The same run recorded by a phone: 70 s later, 2% longer.
    write_tcx(tmp_path / "phone.tcx", start + timedelta(seconds=70), run["distance_m"] * 1.02, 600)
    # Another run that day: same start, 10% longer.
    write_tcx(tmp_path / "other.tcx", start + timedelta(seconds=70), run["distance_m"] * 1.1, 600)
    phone = rubdown("import", str(tmp_path / "phone.tcx"), "--json").json()
    assert (phone["imported"], phone["duplicates"]) == (0, 1)
    other = rubdown("import", str(tmp_path / "other.tcx"), "--json").json()
    assert (other["imported"], other["duplicates"]) == (1, 0)


@pytest.mark.parametrize(
    ("minutes_later", "distance_factor", "duplicate"),
    [
        (1.5, 1.02, True),  # within 2 minutes and 3%
        (-2.0, 0.975, True),  # the bounds are inclusive (to the second)
        (3.0, 1.0, False),  # too far apart in time
        (0.5, 1.05, False),  # too different in distance
    ],
)
def test_a_run_logged_by_hand_is_not_imported_again(
    rubdown, minutes_later, distance_factor, duplicate
):
    # The FIT run started 2013-02-06T12:11:14Z (07:11:14 in New York), 4835.38 m.
    start = datetime(2013, 2, 6, 7, 11, 14) + timedelta(minutes=minutes_later)
    logged = rubdown(
        "log", "run", "--date", start.isoformat() + "-05:00",
        "--distance", f"{4835.38 * distance_factor:.2f}m", "--time", "43:45",
    )  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    result = rubdown("import", str(FIT), "--json").json()
    assert (result["imported"], result["duplicates"]) == ((0, 1) if duplicate else (1, 0))


def test_a_run_logged_by_hand_without_distance_matches_on_its_start(rubdown):
    rubdown("log", "run", "--date", "2013-02-06T07:12:00-05:00", "--time", "44:00")
    result = rubdown("import", str(FIT), "--json").json()
    assert (result["imported"], result["duplicates"]) == (0, 1)


def test_the_duplicate_lookup_is_an_indexed_range_query(db_file):
    from rubdown.store import Store
    from rubdown.store.dedupe import _SAME_RUN_SQL, _SAME_SESSION_SQL

    with Store.open(db_file, write=True) as store:
        for sql, params in ((_SAME_RUN_SQL, ("a", "b")), (_SAME_SESSION_SQL, ("run", "a", "b"))):
            rows = store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(row[-1] for row in rows)
            assert "USING INDEX records_kind_start_utc" in plan, plan


# -- dry run, undo, errors ----------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(rubdown, db_file):
    rubdown("log", "run", "--date", "2013-02-06T07:11:30-05:00", "--distance", "4.8km")
    before = digest(db_file)
    result = rubdown("import", str(DATA / "fit"), str(DATA / "tcx"), "--dry-run")
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    # The FIT run (as .fit and .fit.gz) was logged by hand; the TCX run is there twice.
    assert lines[0] == (
        "Would import 3 runs; 2 duplicates (already in the log) not stored;"
        " 1 repeated within this import (stored once)."
    )
    assert lines[-1] == "Dry run: nothing was written."
    assert digest(db_file) == before
    assert len(records(rubdown)) == 1
    as_json = rubdown("import", str(DATA / "fit"), str(DATA / "tcx"), "--dry-run", "--json")
    assert [as_json.json()[k] for k in ("imported", "duplicates", "repeated")] == [3, 2, 1]
    assert digest(db_file) == before


def test_dry_run_creates_no_database(rubdown, db_file):
    result = rubdown("import", str(FIT), "--dry-run", "--json")
    assert result.json()["imported"] == 1
    assert not db_file.exists() and not db_file.parent.exists()


def test_one_undo_reverts_the_whole_import(rubdown, tmp_path):
    rubdown("log", "run", "--distance", "5k", "--time", "25:00")
    rubdown("import", str(GPX))  # an earlier import stays
    result = rubdown("import", str(gpx_folder(tmp_path / "runs", 12)), str(DATA / "strava"))
    assert result.exit_code == 0, result.stderr
    assert len(records(rubdown)) == 2 + 12 + 6
    undone = rubdown("undo")
    assert undone.exit_code == 0
    assert undone.stderr.strip() == "Undid import of 18 records"
    assert [r["source"] for r in records(rubdown)] == ["gpx:runpandas_run_2020-07-05_hr.gpx", None]
    assert rubdown("undo").stderr.startswith("Undid import of run #")
    assert rubdown("undo").stderr.startswith("Undid log of run #")
    # Importing again after the undo stores the runs again.
    assert rubdown("import", str(DATA / "strava"), "--json").json()["imported"] == 6


def test_a_deleted_and_restored_record_keeps_its_fingerprint(rubdown, db_file):
    rubdown("import", str(FIT))
    (run,) = records(rubdown)
    rubdown("edit", str(run["id"]), "--distance", "6km")  # now 24% longer
    rubdown("delete", str(run["id"]))
    rubdown("undo")  # restored, edited distance and all
    result = rubdown("import", str(FIT), "--json").json()
    assert (result["imported"], result["duplicates"]) == (0, 1)  # found by its source_id


def test_a_missing_path_is_a_usage_error(rubdown, db_file):
    result = rubdown("import", str(FIT), "/no/such/run.gpx")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "/no/such/run.gpx does not exist" in result.stderr
    assert not db_file.exists()


def test_no_path_is_a_usage_error(rubdown):
    result = rubdown("import")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1


def test_nothing_importable_creates_no_database(rubdown, db_file):
    result = rubdown("import", str(DATA / "tcx/saf_edge500_biking_dead_end.tcx"))
    assert result.exit_code == 0
    assert result.stderr.splitlines()[0] == "Imported nothing."
    assert not db_file.exists()


def test_no_progress_bar_when_not_a_terminal(rubdown, tmp_path, monkeypatch):
    from rubdown.cli import import_cmd

    assert import_cmd._progress(40) is None
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert import_cmd._progress(40) is not None
    assert import_cmd._progress(1) is None


# -- rubdown JSON exports --------------------------------------------------------------


def test_json_export_records_keep_their_fields_and_are_not_imported_twice(rubdown, tmp_path):
    exported = [
        {"id": 7, "kind": "massage", "type": "sports", "start": "2026-11-20T17:00:00-05:00",
         "note": "calves, hamstrings; left side\nsore", "minutes": 90, "therapist": "Ana",
         "cost": "85.50", "focus": ["calves", "hamstrings"], "source": None},
        {"id": 8, "kind": "self-care", "type": "foam-roll", "start": "2026-11-21T08:00:00-05:00",
         "note": None, "minutes": 15, "areas": [], "source": "demo"},
        {"id": 9, "kind": "run", "type": "relay", "start": "2026-11-14T06:10:00-05:00",
         "note": None, "distance_m": 9600.0, "duration_s": 3120, "rpe": 8, "event": "Ragnar",
         "leg": 2, "source": None},
    ]  # fmt: skip
    path = tmp_path / "log.json"
    path.write_text(json.dumps(exported))
    result = rubdown("import", str(path), "--json")
    assert result.json()["imported"] == 3
    stored = records(rubdown)
    by_kind = {r["kind"]: r for r in stored}
    for record in exported:
        got = by_kind[record["kind"]]
        assert got == dict(record, id=got["id"], source=record["source"] or "json:log.json")
    again = rubdown("import", str(path), "--json").json()
    assert (again["imported"], again["duplicates"]) == (0, 3)


# -- many files: the pool, interruption -----------------------------------------------------


def test_the_import_reads_the_units_of_the_one_walk(tmp_path):
    from rubdown.importers import read, units

    root = tmp_path / "tree"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "__MACOSX").mkdir()
    shutil.copytree(DATA / "strava", root / "b" / "strava-export")
    shutil.copy(GPX, root / "b/deeper/z.gpx")
    shutil.copy(GPX, root / ".hidden/x.gpx")
    shutil.copy(GPX, root / "__MACOSX/y.gpx")
    shutil.copy(FIT_GZ, root / "A.FIT.GZ")
    shutil.copy(TCX, root / "b/a.tcx")
    (root / "notes.txt").write_text("not an activity")
    (root / "package.json").write_text('{"name": "not ours"}')
    (root / "export.json").write_text("[]")
    (root / "b" / "link").symlink_to(root / "b" / "deeper")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    paths = [
        root,
        root / "b/a.tcx",  # named again: read once
        tmp_path / "photo.jpg",
        DATA / "strava" / "activities.csv",
        DATA / "strava",  # the same export again: read once
    ]
    walked = list(units(paths))
    assert [(u.path, u.kind, u.named) for u in walked] == [
        (root / "A.FIT.GZ", "activity", False),
        (root / "b/a.tcx", "activity", False),
        (root / "b/deeper/z.gpx", "activity", False),
        (root / "b/strava-export", "strava-folder", False),
        (root / "export.json", "json", False),
        (root / "package.json", "json", False),
        (root / "b/a.tcx", "again", True),
        (tmp_path / "photo.jpg", "unsupported", True),
        (DATA / "strava", "strava-folder", True),
        (DATA / "strava", "again", True),
    ]
    mine = [r for unit in walked for r in read(unit)]
    assert mine == list(scan(paths))
    assert len(mine) > 25
    assert not [r for r in mine if r.path.name == "package.json"]  # not ours: ignored


def test_the_walk_reports_what_it_cannot_read(tmp_path):
    from rubdown.importers import read, units

    missing = tmp_path / "gone.gpx"
    (unit,) = units([missing])
    assert (unit.kind, unit.named) == ("unreadable", True)
    (result,) = read(unit)
    assert (result.status, result.reason) == ("failed", "no such file or directory")


def test_import_in_the_core_without_the_cli(tmp_path, db_file, monkeypatch):
    from rubdown.importers.batch import Import

    monkeypatch.setenv("RUBDOWN_IMPORT_WORKERS", "0")
    folder = gpx_folder(tmp_path / "runs", 3)
    with Import([folder, FIT], db_file, dry_run=True) as job:
        assert [u.path.name for u in job.run()] == [
            "run-000.gpx", "run-001.gpx", "run-002.gpx", FIT.name,
        ]  # fmt: skip
    assert (job.done, job.stored, job.summary.as_json()["imported"]) == (4, 0, 4)
    assert not db_file.exists()
    with Import([folder, FIT], db_file) as job:
        list(job.run())
    assert job.stored == 4


def test_a_pool_of_parsers_stores_the_same_as_one_process(rubdown, tmp_path, monkeypatch):
    folder = gpx_folder(tmp_path / "runs", 20)
    shutil.copy(FIT, folder)
    shutil.copy(DATA / "gpx/gpxcli_invalid_mismatched-tag.gpx", folder)
    monkeypatch.setenv("RUBDOWN_IMPORT_WORKERS", "0")
    one = rubdown("import", str(folder), "--json")
    alone = records(rubdown)
    rubdown("undo")
    monkeypatch.setenv("RUBDOWN_IMPORT_WORKERS", "2")
    pool = rubdown("import", str(folder), "--json")
    assert pool.exit_code == one.exit_code == 1
    assert pool.json() == one.json()
    together = records(rubdown)
    assert [dict(r, id=None) for r in together] == [dict(r, id=None) for r in alone]


def test_ctrl_c_keeps_the_files_finished_and_says_so(rubdown, tmp_path, monkeypatch):
    from rubdown.importers import batch

    folder = gpx_folder(tmp_path / "runs", 5)
    monkeypatch.setenv("RUBDOWN_IMPORT_WORKERS", "0")
    read = batch.read

    def interrupted_at_the_fourth(unit):
        if unit.path.name == "run-003.gpx":
            raise KeyboardInterrupt
        return read(unit)

    monkeypatch.setattr(batch, "read", interrupted_at_the_fourth)
    result = rubdown("import", str(folder))
    assert result.exit_code == 130
    assert result.stderr == (
        "Error: Interrupted after 3 of 5 files (3 new records stored); "
        "run the same import again to import the rest.\n"
    )
    assert len(records(rubdown)) == 3
    monkeypatch.setattr(batch, "read", read)
    rest = rubdown("import", str(folder), "--json").json()
    assert (rest["imported"], rest["duplicates"]) == (2, 3)




@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_an_interrupted_import_keeps_what_it_finished_and_a_rerun_imports_the_rest(
    rubdown, tmp_path, db_file, monkeypatch
):
    folder = gpx_folder(tmp_path / "runs", 40, points=1000)
    monkeypatch.setenv("RUBDOWN_IMPORT_WORKERS", "2")
    proc = subprocess.Popen(
        [sys.executable, "-m", "rubdown", "import", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, to find its workers
    )
    try:
        stored = 0
        deadline = time.monotonic() + 30
        while stored < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
            if db_file.exists():
                try:
                    with sqlite3.connect(db_file, timeout=1) as reader:
                        stored = reader.execute("SELECT count(*) FROM records").fetchone()[0]
                except sqlite3.OperationalError:  # not created yet
                    pass
        assert proc.poll() is None, "the import finished before it could be interrupted"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        # The parsing processes notice and exit by themselves.
        deadline = time.monotonic() + 5
        while processes_in_group(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_in_group(proc.pid) == []
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in processes_in_group(proc.pid):
            os.kill(pid, signal.SIGKILL)

    check = rubdown("db", "check")
    assert check.exit_code == 0 and "integrity ok" in check.stdout, check.stderr
    kept = len(records(rubdown))
    assert 3 <= kept < 40
    rerun = rubdown("import", str(folder), "--json")
    assert rerun.exit_code == 0, rerun.stderr
    assert (rerun.json()["imported"], rerun.json()["duplicates"]) == (40 - kept, kept)
    check = rubdown("db", "check")
    assert "integrity ok · schema" in check.stdout and "40 runs" in check.stdout
    # A clean import of the same folder stores the same runs.
    clean = tmp_path / "clean.db"
    assert rubdown("--db", str(clean), "import", str(folder), "--json").json()["imported"] == 40
    listed = rubdown("--db", str(clean), "list", "--json").json()
    assert [dict(r, id=None) for r in records(rubdown)] == [dict(r, id=None) for r in listed]


# -- the schema step ----------------------------------------------------------------------


def test_a_version_1_database_is_upgraded_with_nothing_lost(db_file, monkeypatch, rubdown):
    from rubdown.store import migrations

    # A database as the first release wrote it: schema 1, a run and a logged massage.
    db_file.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_file, isolation_level=None)
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:1])
        assert migrations.apply(conn) == [1]
    conn.execute("PRAGMA journal_mode = WAL")
    insert = "INSERT INTO records (kind, type, start, created_at) VALUES (?, ?, ?, ?)"
    created = "2026-11-21T00:00:00+00:00"
    conn.execute(insert, ("run", "easy", "2013-02-06T07:11:00-05:00", created))
    conn.execute("INSERT INTO runs (id, distance_m) VALUES (1, 4840.0)")
    conn.execute(insert, ("massage", "thai", "2026-11-20T17:00:00-05:00", created))
    conn.execute("INSERT INTO massages (id, minutes) VALUES (2, 60)")
    cur = conn.execute("SELECT * FROM timeline WHERE id = 2")  # the old snapshot shape
    snapshot = [dict(zip([d[0] for d in cur.description], cur.fetchone(), strict=True))]
    conn.execute(
        "INSERT INTO journal (at, action, record_ids, snapshot) VALUES (?, 'log', '[2]', ?)",
        (created, json.dumps(snapshot)),
    )
    conn.close()
    before = records(rubdown)  # reading upgrades it
    assert [(r["kind"], r["start"]) for r in before] == [
        ("run", "2013-02-06T07:11:00-05:00"),
        ("massage", "2026-11-20T17:00:00-05:00"),
    ]
    with sqlite3.connect(db_file) as reader:
        assert reader.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
        columns = [row[1] for row in reader.execute("PRAGMA table_info(records)")]
        assert "source_id" in columns
    # Imports are checked against the old runs, and undo still reaches old writes.
    assert rubdown("import", str(FIT), "--json").json()["duplicates"] == 1
    assert rubdown("undo").stderr.startswith("Undid log of massage #2")
    assert [r["kind"] for r in records(rubdown)] == ["run"]


# -- the progress bar ----------------------------------------------------------


def _many_runs(folder: Path, count: int) -> None:
    from fitfile import run_file

    folder.mkdir()
    first = datetime(2024, 1, 1, 6, tzinfo=UTC)
    for i in range(count):
        (folder / f"run{i:02}.fit").write_bytes(
            run_file(first + timedelta(days=i), 1200, session={})
        )


def _import_with_stderr_on_a_terminal(folder: Path, db: Path) -> tuple[int, str]:
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, RUBDOWN_DB=str(db), TERM="xterm", COLUMNS="120")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "rubdown", "import", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave,
            env=env,
            timeout=120,
        )
    finally:
        os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end is closed: all read
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    return proc.returncode, seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_big_import_on_a_terminal_shows_progress_rate_and_time_left(tmp_path):
    _many_runs(tmp_path / "runs", 24)
    code, terminal = _import_with_stderr_on_a_terminal(tmp_path / "runs", tmp_path / "log.db")
    assert code == 0
    assert "Importing" in terminal and "24/24" in terminal
    assert "files/s" in terminal and "left" in terminal
    assert "Imported 24 runs." in terminal


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_small_import_on_a_terminal_shows_no_progress(tmp_path):
    _many_runs(tmp_path / "runs", 5)
    code, terminal = _import_with_stderr_on_a_terminal(tmp_path / "runs", tmp_path / "log.db")
    assert code == 0
    assert "Importing" not in terminal and "Imported 5 runs." in terminal


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path):
    _many_runs(tmp_path / "runs", 24)
    env = dict(os.environ, RUBDOWN_DB=str(tmp_path / "log.db"))
    proc = subprocess.run(
        [sys.executable, "-m", "rubdown", "import", str(tmp_path / "runs")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0
    assert proc.stderr.splitlines()[0] == "Imported 24 runs."
    assert "files/s" not in proc.stderr + proc.stdout
