"""The parsing layer of `rubdown import` on real activity files.

Expected values come from the fixture set's expected.json (key noted on each
row); files are in tests/data (see tests/data/SOURCES.md).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpers import scan
from rubdown.importers import FileResult
from rubdown.importers.activity import normalise_sport
from rubdown.importers.rubdown_json import read_rubdown_json

DATA = Path(__file__).parent / "data"
GPX_RUN = DATA / "gpx" / "runpandas_run_2020-07-05_hr.gpx"


def only(results: list[FileResult]) -> FileResult:
    assert len(results) == 1, results
    return results[0]


def result_for(path: Path) -> FileResult:
    return only(list(scan([path])))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def close(actual: float | None, expected: float, rel: float = 0.01) -> bool:
    return actual is not None and actual == pytest.approx(expected, rel=rel)


# file, start (UTC), distance m, moving/timer s, elapsed s -- expected.json key = file
RUNS = [
    ("gpx/runpandas_run_2020-07-05_hr.gpx", "2020-07-05T09:33:20.999+00:00", 980.2, 357.0, 440.001),
    (
        "gpx/gpxpy_cerknicko-jezero_multitrack.gpx",
        "2010-08-05T14:23:59+00:00",
        4575.0,
        2425.0,
        7190.0,
    ),
    (
        "tcx/tcxparser_forerunner410_run_3laps.tcx",
        "2012-12-26T21:29:53+00:00",
        4689.2,
        1992.8,
        1992.0,
    ),
    (
        "tcx/DERIVED_strava-style_leading-ws_forerunner410.tcx.gz",
        "2012-12-26T21:29:53+00:00",
        4689.2,
        1992.8,
        1992.0,
    ),
    (
        "fit/fitparse_2013-02-06_run_5laps.fit",
        "2013-02-06T12:11:14+00:00",
        4835.38,
        2625.14,
        2625.14,
    ),
    (
        "fit/DERIVED_fitparse_2013-02-06_run_5laps.fit.gz",
        "2013-02-06T12:11:14+00:00",
        4835.38,
        2625.14,
        2625.14,
    ),
]


@pytest.mark.parametrize(("name", "start", "distance_m", "moving_s", "elapsed_s"), RUNS)
def test_real_runs_match_expected_values(name, start, distance_m, moving_s, elapsed_s):
    result = result_for(DATA / name)
    assert result.status == "imported", result.reason
    (run,) = result.activities
    assert run.sport == "run"
    assert run.start == utc(start)
    assert run.start.utcoffset().total_seconds() == 0
    assert close(run.distance_m, distance_m)
    assert run.distance_m == round(run.distance_m, 2)  # to the centimetre
    assert close(run.duration_s, moving_s)
    assert close(run.elapsed_s, elapsed_s)
    assert run.source == f"{name.split('/')[0]}:{Path(name).name}"


def test_gzipped_and_plain_copies_share_one_fingerprint():
    plain = result_for(DATA / "fit/fitparse_2013-02-06_run_5laps.fit").activities[0]
    packed = result_for(DATA / "fit/DERIVED_fitparse_2013-02-06_run_5laps.fit.gz").activities[0]
    assert plain.source_id == packed.source_id
    assert plain.source != packed.source


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("fit/fitparse_garmin-fenix-5-bike.fit", "not a run (cycling)"),  # sport: cycling
        ("tcx/saf_edge500_biking_dead_end.tcx", "not a run (biking)"),  # Sport="Biking"
    ],
)
def test_other_sports_are_skipped_with_their_sport(name, reason):
    result = result_for(DATA / name)
    assert (result.status, result.reason, result.activities) == ("skipped", reason, ())


def test_malformed_gpx_fails_with_a_one_line_reason():
    # expected.json "gpx/gpxcli_invalid_mismatched-tag.gpx": mismatched tag: line 8, column 3
    result = result_for(DATA / "gpx/gpxcli_invalid_mismatched-tag.gpx")
    assert result.status == "failed"
    assert "mismatched tag: line 8, column 3" in result.reason
    assert "\n" not in result.reason


def test_truncated_fit_is_recovered_from_what_decoded():
    # expected.json "fit/fitparse_activity-unexpected-eof_truncated.fit" partial_before_error:
    # running, 2012-04-09T21:22:26Z, 5.73 m, timer 13.749 s
    result = result_for(DATA / "fit/fitparse_activity-unexpected-eof_truncated.fit")
    assert result.status == "recovered"
    assert "expected 1 bytes, got 0 @ 768" in result.reason
    (run,) = result.activities
    assert run.start == utc("2012-04-09T21:22:26+00:00")
    assert close(run.distance_m, 5.73)
    assert run.duration_s == 14


def test_fit_with_undefined_local_message_is_recovered_from_its_session():
    # expected.json "fit/fitparse_strava-android-app_undefined-local-msg.fit"
    # partial_before_error: running, 2021-09-27T14:13:10Z, 11274.04 m, 3558 s.
    # Its last decoded record says 2085: ignored, the session is kept.
    result = result_for(DATA / "fit/fitparse_strava-android-app_undefined-local-msg.fit")
    assert result.status == "recovered"
    assert "local message 11 not defined" in result.reason
    (run,) = result.activities
    assert run.start == utc("2021-09-27T14:13:10+00:00")
    assert close(run.distance_m, 11274.04)
    assert run.duration_s == 3558


def test_gpx_with_too_few_timed_points_is_skipped_as_no_timestamps():
    # expected.json "gpx/gpxpy_cerknicko-without-times.gpx": 5 of 296 points timed
    result = result_for(DATA / "gpx/gpxpy_cerknicko-without-times.gpx")
    assert (result.status, result.reason) == ("skipped", "no timestamps")


def test_gpx_without_any_time_is_skipped(tmp_path):
    text = GPX_RUN.read_text()
    untimed = tmp_path / "planned.gpx"
    untimed.write_text(re.sub(r"<time>[^<]*</time>", "", text))
    assert (result_for(untimed).status, result_for(untimed).reason) == ("skipped", "no timestamps")


def test_gpx_track_type_sets_the_sport(tmp_path):
    text = (DATA / "gpx/runpandas_run_2020-07-05_hr.gpx").read_text()
    ride = tmp_path / "ride.gpx"
    ride.write_text(text.replace("<trkseg>", "<type>cycling</type><trkseg>", 1))
    assert result_for(ride).reason == "not a run (cycling)"
    strava_run = tmp_path / "strava.gpx"
    strava_run.write_text(text.replace("<trkseg>", "<type>9</type><trkseg>", 1))
    assert result_for(strava_run).status == "imported"


def test_tcx_sport_in_any_case_and_missing_sport_is_a_run(tmp_path):
    text = (DATA / "tcx/tcxparser_forerunner410_run_3laps.tcx").read_text()
    polar = tmp_path / "polar.tcx"
    polar.write_text(text.replace('Sport="Running"', 'Sport="running"'))
    assert result_for(polar).status == "imported"
    no_sport = tmp_path / "nosport.tcx"
    no_sport.write_text(text.replace(' Sport="Running"', ""))
    assert result_for(no_sport).activities[0].sport == "run"


def test_extensions_in_any_case_and_gzip_found_by_content(tmp_path):
    shutil.copy(DATA / "gpx/runpandas_run_2020-07-05_hr.gpx", tmp_path / "MORNING.GPX")
    # A gzipped FIT whose name lost its .gz (a trap seen in Strava exports).
    raw = (DATA / "fit/fitparse_2013-02-06_run_5laps.fit").read_bytes()
    (tmp_path / "renamed.Fit").write_bytes(gzip.compress(raw))
    (tmp_path / "x.TCX.GZ").write_bytes(
        gzip.compress((DATA / "tcx/tcxparser_forerunner410_run_3laps.tcx").read_bytes())
    )
    results = list(scan([tmp_path]))
    assert [r.path.name for r in results] == ["MORNING.GPX", "renamed.Fit", "x.TCX.GZ"]
    assert [r.status for r in results] == ["imported"] * 3


def test_folders_are_searched_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    shutil.copy(DATA / "gpx/runpandas_run_2020-07-05_hr.gpx", tmp_path / "b/deeper/z.gpx")
    shutil.copy(DATA / "tcx/saf_edge500_biking_dead_end.tcx", tmp_path / "b/a.tcx")
    shutil.copy(DATA / "fit/fitparse_garmin-fenix-5-bike.fit", tmp_path / "a.fit")
    shutil.copy(DATA / "gpx/runpandas_run_2020-07-05_hr.gpx", tmp_path / ".hidden/x.gpx")
    (tmp_path / "notes.txt").write_text("not an activity")
    (tmp_path / "package.json").write_text('{"name": "not ours"}')
    first = [r.label for r in scan([tmp_path])]
    assert first == [str(tmp_path / p) for p in ("a.fit", "b/a.tcx", "b/deeper/z.gpx")]
    assert [r.label for r in scan([tmp_path])] == first


def test_named_paths_are_read_once_and_met_again_counted(tmp_path):
    gpx = tmp_path / "run.gpx"
    shutil.copy(DATA / "gpx/runpandas_run_2020-07-05_hr.gpx", gpx)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    results = list(scan([gpx, tmp_path, tmp_path / "photo.jpg", tmp_path / "missing.fit"]))
    assert [(r.path.name, r.status, r.reason) for r in results] == [
        ("run.gpx", "imported", None),
        ("run.gpx", "skipped", "the same file again (read once)"),  # in the folder named
        ("photo.jpg", "skipped", "unsupported file type"),
        ("missing.fit", "failed", "no such file or directory"),
    ]


def test_file_that_is_not_fit_fails_with_one_line(tmp_path):
    fake = tmp_path / "fake.fit"
    fake.write_bytes(GPX_RUN.read_bytes())
    result = result_for(fake)
    assert result.status == "failed"
    assert result.reason.startswith("not a valid FIT file") and "\n" not in result.reason


def test_fit_summary_that_is_absurd_falls_back_to_records():
    from rubdown.importers.fit import FIT_EPOCH_UNIX, _Records, _session_activity

    records = _Records(latest_unix=2e9)
    t0 = 1_600_000_000 - FIT_EPOCH_UNIX
    for i in range(0, 601, 10):  # 10 minutes, 3 m/s, standing still for the last minute
        records.add(t0 + i, min(i, 540) * 3.0)
    session = {
        "sport": "running",
        "start_time": t0 + 5 * 86400,  # a start days after the records
        "total_distance": 1620.0,
        "total_timer_time": 900.0,
        "total_elapsed_time": 300.0,  # shorter than the timer
    }
    run, _ = _session_activity(session, records, only_session=True, sport_hint=None)
    assert run.start == datetime.fromtimestamp(1_600_000_000, tz=UTC)
    assert (run.elapsed_s, run.duration_s, run.distance_m) == (600, 540, 1620.0)
    sane = dict(session, start_time=t0, total_timer_time=580.0, total_elapsed_time=600.0)
    run, _ = _session_activity(sane, records, only_session=True, sport_hint=None)
    assert (run.duration_s, run.elapsed_s) == (580, 600)


@pytest.mark.parametrize(
    ("raw", "sport"),
    [
        ("Running", "run"),
        ("running", "run"),
        ("Trail Run", "run"),
        ("VirtualRun", "run"),
        ("Biking", "ride"),
        ("cycling", "ride"),
        ("Velomobile", "ride"),
        ("Walk", "walk"),
        ("Hike", "hike"),
        ("Nordic Ski", "nordic-ski"),
        ("generic", None),  # FIT: the device recorded no sport
        ("Other", "other"),
        ("obstacle_run", "run"),
        ("virtual_run", "run"),
        ("53", "run"),  # Strava: Virtual Run
        ("16", "swim"),
        ("", None),
        (None, None),
    ],
)
def test_sport_names_are_normalised(raw, sport):
    assert normalise_sport(raw) == sport


def test_importing_the_package_loads_no_parser():
    code = (
        "import sys, rubdown.importers;"
        "heavy = {'fitdecode', 'defusedxml', 'zipfile', 'xml.etree.ElementTree', 'lxml', 'csv'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    src = str(Path(__file__).parents[1] / "src")
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": src},
    )
    assert out.stdout.strip() == "[]"


def test_gpx_parsing_never_uses_lxml():
    list(scan([DATA / "gpx"]))
    assert "lxml" not in sys.modules


# -- rubdown's own JSON export ---------------------------------------------

RECORDS = [
    {
        "id": 1,
        "kind": "run",
        "type": "relay",
        "start": "2026-11-14T06:10:00-05:00",
        "note": None,
        "distance_m": 9600.0,
        "duration_s": 3120,
        "rpe": 8,
        "event": "Ragnar",
        "leg": 1,
    },
    {
        "id": 2,
        "kind": "massage",
        "type": "sports",
        "start": "2026-11-20T17:00:00-05:00",
        "note": "calves",
        "minutes": 60,
        "therapist": "Ana",
        "cost": "85.00",
        "focus": ["calves"],
        "source": None,
    },
    {
        "id": 3,
        "kind": "self-care",
        "type": "foam-roll",
        "start": "2026-11-21T08:00:00-05:00",
        "note": None,
        "minutes": 15,
    },
]


def test_rubdown_json_export_is_read_and_validated():
    records = read_rubdown_json(json.dumps(RECORDS))
    assert [r["kind"] for r in records] == ["run", "massage", "self-care"]
    assert records[0]["distance_m"] == 9600.0 and records[0]["source"] is None
    assert records[1]["focus"] == ("calves",) and records[1]["cost_cents"] == 8500
    assert records[1]["start"] == datetime.fromisoformat("2026-11-20T17:00:00-05:00")
    assert read_rubdown_json(json.dumps({"records": RECORDS})) == records


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "nap"}, "kind must be one of"),
        ({"type": 5}, "run type must be one of"),  # "jog" is refused by the limits
        ({"start": "2026-11-14T06:10:00"}, "with its UTC offset"),
        ({"rpe": "high"}, "rpe must be a whole number, not 'high'"),
        ({"duration_s": True}, "duration_s"),
        ({"distance_m": "far"}, "distance_m"),
    ],
)
def test_rubdown_json_names_the_bad_record_and_field(change, message):
    from rubdown.importers.activity import UnreadableFile

    bad = [RECORDS[2], dict(RECORDS[0], **change)]
    with pytest.raises(UnreadableFile, match=f"record 2: .*{message}"):
        read_rubdown_json(json.dumps(bad))


def test_json_files_in_a_scan(tmp_path):
    (tmp_path / "export.json").write_text(json.dumps(RECORDS))
    (tmp_path / "broken.json").write_text('[{"kind": "run", "type": "easy", "start": "x"}]')
    (tmp_path / "NaN.json").write_text("[NaN]")
    results = {r.path.name: r for r in scan([tmp_path])}
    assert results["export.json"].status == "imported"
    assert len(results["export.json"].records) == 3
    assert results["broken.json"].status == "failed"
    assert "record 1: start" in results["broken.json"].reason
    assert results["NaN.json"].status == "failed"
    other = tmp_path / "other.json"
    other.write_text("{}")
    assert result_for(other).reason == "not a rubdown export"
