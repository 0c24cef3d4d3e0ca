"""Strava bulk exports: the real activities.csv (tests/data/strava, see
tests/data/SOURCES.md), as a folder and as zips built here."""

from __future__ import annotations

import csv
import gzip
import shutil
import zipfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpers import scan
from rubdown.importers.strava import parse_activity_date

DATA = Path(__file__).parent / "data"
CSV = DATA / "strava" / "activities.csv"

# The six runs: expected.json "strava/activities.csv" detail.activities
# (date_utc, distance_m = 2nd "Distance" to the centimetre (the CSV holds
# float32 noise: 6639.39990234375), elapsed_s = 2nd "Elapsed Time", moving_time_s)
RUNS = {
    "740821460": ("2016-10-10T20:55:48", 6639.4, 1770, 1765, "Afternoon Run"),
    "855414128": ("2017-02-04T23:00:43", 5468.1, 1539, 1516, "Evening Run"),
    "3019598408": ("2020-01-17T17:29:57", 7307.0, 2101, 2046, "Lunch Run"),
    "7763616047": ("2022-09-06T12:31:35", 4474.08, 1615, 1269, "Course à pied matinale"),
    "15576377835": ("2025-08-25T02:29:50", 4712.2, 1481, 1467, "Evening Run"),
    "15581622167": ("2025-08-25T14:15:30", 9385.2, 3032, 2991, "Morning Run"),
}
# expected.json "strava/activities.csv" activity_types, each in Strava's words.
SKIPPED = {
    "not a run (ride)": 7,
    "not a run (velomobile)": 1,
    "not a run (hike)": 2,
    "not a run (nordic ski)": 1,
    "not a run (snowshoe)": 1,
    "not a run (walk)": 1,
    "not a run (sail)": 1,
    "not a run (canoe)": 1,
    "not a run (alpine ski)": 1,
}


def by_source(results):
    return {a.source: a for r in results for a in r.activities}


def check_csv_runs(results, except_ids=()):
    assert len(results) == 22
    statuses = Counter(r.status for r in results)
    assert statuses == {"imported": 6, "skipped": 16}
    assert Counter(r.reason for r in results if r.status == "skipped") == SKIPPED
    runs = by_source(results)
    for activity_id, (start, distance_m, elapsed_s, moving_s, name) in RUNS.items():
        if activity_id in except_ids:
            continue
        run = runs[f"strava:{activity_id}"]
        assert run.start == datetime.fromisoformat(start).replace(tzinfo=UTC)
        assert run.distance_m == distance_m  # exactly: float32 noise rounded away
        assert (run.elapsed_s, run.duration_s, run.name) == (elapsed_s, moving_s, name)
        assert run.source_id == f"strava:{activity_id}"
        assert run.sport == "run"
    return runs


def test_export_folder_without_activity_files_uses_the_csv_columns():
    results = list(scan([DATA / "strava"]))
    runs = check_csv_runs(results)
    assert all(run.rpe is None for run in runs.values())  # no Perceived Exertion given
    assert all(r.path == DATA / "strava" for r in results)
    assert results[2].entry == "activities.csv row 3 (id 740821460)"


def test_activities_csv_named_alone_reads_its_export():
    assert len(list(scan([CSV]))) == 22


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_export_zip_prefers_the_activity_file_over_the_csv_columns(tmp_path):
    # Row 740821460 names activities/740821460.gpx; the zip holds a real GPX
    # run there (runpandas, expected.json "gpx/runpandas_run_2020-07-05_hr.gpx").
    gpx = (DATA / "gpx/runpandas_run_2020-07-05_hr.gpx").read_bytes()
    export = make_zip(
        tmp_path / "export_12345.zip",
        {"activities.csv": CSV.read_bytes(), "activities/740821460.gpx": gpx},
    )
    results = list(scan([export]))
    runs = check_csv_runs(results, except_ids={"740821460"})
    from_file = runs["strava:740821460"]
    assert from_file.start == datetime(2020, 7, 5, 9, 33, 20, 999000, tzinfo=UTC)
    assert from_file.distance_m == pytest.approx(980.2, rel=0.01)
    assert (from_file.duration_s, from_file.elapsed_s) == (357, 440)
    assert from_file.name == "Afternoon Run"  # name and sport stay the CSV's
    assert not any(tmp_path.glob("activities*"))  # nothing extracted to disk


def test_export_zip_with_a_top_folder_and_gzipped_fit(tmp_path):
    fit = gzip.compress((DATA / "fit/fitparse_2013-02-06_run_5laps.fit").read_bytes())
    text = CSV.read_text().replace("activities/855414128.gpx", "activities/855414128.fit.gz")
    export = make_zip(
        tmp_path / "export.zip",
        {"export_1/activities.csv": text.encode(), "export_1/activities/855414128.fit.gz": fit},
    )
    runs = by_source(scan([export]))
    # expected.json "fit/DERIVED_fitparse_2013-02-06_run_5laps.fit.gz"
    assert runs["strava:855414128"].distance_m == pytest.approx(4835.38)
    assert runs["strava:855414128"].duration_s == 2625


def test_damaged_activity_file_falls_back_to_the_csv_and_says_so(tmp_path):
    folder = tmp_path / "export"
    (folder / "activities").mkdir(parents=True)
    shutil.copy(CSV, folder / "activities.csv")
    shutil.copy(DATA / "gpx/gpxcli_invalid_mismatched-tag.gpx", folder / "activities/740821460.gpx")
    results = list(scan([folder]))
    (damaged,) = [r for r in results if r.status == "recovered"]
    assert damaged.entry.endswith("(id 740821460)")
    assert "mismatched tag" in damaged.reason and "activities.csv" in damaged.reason
    check_csv_runs(
        [
            r if r is not damaged else r.__class__(r.path, "imported", None, r.activities, r.entry)
            for r in results
        ]
    )


def test_html_header_cells_of_the_2023_export_and_perceived_exertion(tmp_path):
    with CSV.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    exertion = header.index("Perceived Exertion")
    span = '<span class="translation_missing" title="translation missing: en-US.{}">{}</span>'
    header = [
        span.format(name.lower().replace(" ", "_"), name)
        if name in ("Activity Type", "Moving Time", "Perceived Exertion", "Type")
        else name
        for name in header
    ]
    rows[2][exertion] = "7.0"  # row 3 is run 740821460; its Perceived Exertion is empty
    folder = tmp_path / "export2023"
    folder.mkdir()
    with (folder / "activities.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    runs = check_csv_runs(list(scan([folder])))
    assert runs["strava:740821460"].rpe == 7


def test_unsafe_filename_in_the_csv_is_refused(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (tmp_path / "secret.gpx").write_bytes(
        (DATA / "gpx/runpandas_run_2020-07-05_hr.gpx").read_bytes()
    )
    text = CSV.read_text().replace("activities/740821460.gpx", "../secret.gpx")
    (folder / "activities.csv").write_text(text)
    (refused,) = [r for r in scan([folder]) if r.status == "failed"]
    assert "'..'" in refused.reason


def test_csv_without_the_needed_columns_fails_once(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "activities.csv").write_text("Name,Distance\nMorning,5.0\n")
    (result,) = scan([folder])
    assert result.status == "failed"
    assert "Activity ID" in result.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Oct 5, 2014, 4:15:21 PM", "2014-10-05T16:15:21"),
        ("Feb 4, 2017, 11:00:43 PM", "2017-02-04T23:00:43"),
        ("Jan 1, 2020, 12:05:00 AM", "2020-01-01T00:05:00"),
        ("Jan 1, 2020, 12:05:00 PM", "2020-01-01T12:05:00"),
        ("Sep 9, 2020, 4:45:12\u202fPM", "2020-09-09T16:45:12"),  # narrow no-break space
        ("2020-09-09 16:45:12", "2020-09-09T16:45:12"),
    ],
)
def test_activity_date_is_utc_whatever_the_locale(text, expected):
    assert parse_activity_date(text) == datetime.fromisoformat(expected).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["", "Foo 5, 2014, 4:15:21 PM", "Oct 32, 2014, 4:15:21 PM", "Oct 5, 2014, 13:15:21 PM"]
)
def test_unreadable_activity_dates(text):
    assert parse_activity_date(text) is None


def test_export_folder_with_an_unpacked_activity_file(tmp_path):
    # The CSV names activities/855414128.fit.gz; the athlete unzipped it to .fit.
    folder = tmp_path / "export"
    (folder / "activities").mkdir(parents=True)
    text = CSV.read_text().replace("activities/855414128.gpx", "activities/855414128.fit.gz")
    (folder / "activities.csv").write_text(text)
    shutil.copy(DATA / "fit/fitparse_2013-02-06_run_5laps.fit", folder / "activities/855414128.fit")
    runs = by_source(scan([folder]))
    # expected.json "fit/fitparse_2013-02-06_run_5laps.fit"
    assert runs["strava:855414128"].start == datetime(2013, 2, 6, 12, 11, 14, tzinfo=UTC)
    assert runs["strava:855414128"].name == "Evening Run"


def test_float32_noise_never_reaches_the_log_or_an_export(rubdown, tmp_path):
    assert rubdown("import", str(DATA / "strava")).exit_code == 0
    listed = rubdown("list", "--json").json()
    assert sorted(r["distance_m"] for r in listed) == sorted(r[1] for r in RUNS.values())
    exported = rubdown("export", "--format", "csv").stdout
    assert "6639.4," in exported and "6639.399" not in exported


def test_a_row_dated_before_1970_has_no_timestamps(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    text = CSV.read_text().replace("Oct 10, 2016, 8:55:48 PM", "Dec 13, 1901, 8:45:52 PM")
    assert text != CSV.read_text()
    (folder / "activities.csv").write_text(text)
    (old,) = [r for r in scan([folder]) if r.entry.endswith("(id 740821460)")]
    assert (old.status, old.reason) == ("skipped", "no timestamps")


def test_a_mended_activity_file_is_used_and_the_row_listed_as_recovered(tmp_path):
    from fitfile import run_file

    folder = tmp_path / "export"
    (folder / "activities").mkdir(parents=True)
    text = CSV.read_text().replace("activities/855414128.gpx", "activities/855414128.fit")
    (folder / "activities.csv").write_text(text)
    start = datetime(2017, 2, 4, 23, 0, 43, tzinfo=UTC)
    session = {"total_timer_time": 1000, "total_elapsed_time": 1000, "total_distance": None}
    data = run_file(start, 1500, session=session, activity={"total_timer_time": 1490})
    (folder / "activities/855414128.fit").write_bytes(data)
    (row,) = [r for r in scan([folder]) if r.entry.endswith("(id 855414128)")]
    assert row.status == "recovered"
    assert row.reason == (
        "activities/855414128.fit: the session ends 500 s before the last record; "
        "used the records and the activity's timer time"
    )
    (run,) = row.activities
    assert (run.start, run.distance_m, run.duration_s, run.elapsed_s) == (start, 4500.0, 1490, 1500)
    assert run.name == "Evening Run"


def export_with_files(folder: Path) -> Path:
    """The real CSV with, for its rows, a real GPX run, a gzipped FIT, a
    damaged file and a blank row: every kind of row result."""
    (folder / "activities").mkdir(parents=True)
    text = CSV.read_text().replace("activities/855414128.gpx", "activities/855414128.fit.gz")
    lines = text.splitlines(keepends=True)
    (folder / "activities.csv").write_text("".join([*lines[:5], ",,,\n", *lines[5:]]))
    shutil.copy(DATA / "gpx/runpandas_run_2020-07-05_hr.gpx", folder / "activities/740821460.gpx")
    fit = (DATA / "fit/fitparse_2013-02-06_run_5laps.fit").read_bytes()
    (folder / "activities/855414128.fit.gz").write_bytes(gzip.compress(fit))
    shutil.copy(
        DATA / "gpx/gpxcli_invalid_mismatched-tag.gpx", folder / "activities/3019598408.gpx"
    )
    return folder


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_an_export_read_in_parts_gives_the_results_of_the_whole(tmp_path, workers):
    from rubdown.importers import read, units
    from rubdown.importers.scan import in_parts

    folder = export_with_files(tmp_path / "export")
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", folder)
    for path in (folder, Path(archive)):
        (unit,) = units([path])
        parts = list(in_parts([unit], workers))
        assert len(parts) > 1 and all(part.rows for part in parts)
        whole = read(unit)
        assert [r for part in parts for r in read(part)] == whole
        assert Counter(r.status for r in whole) == {"imported": 5, "skipped": 16, "recovered": 1}


def test_an_export_that_does_not_read_cleanly_is_read_whole(tmp_path):
    from rubdown.importers import units
    from rubdown.importers.scan import in_parts

    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "activities.csv").write_text("Activity ID,Activity Date\n1,Oct 5 2014\n")
    no_csv = make_zip(tmp_path / "other.zip", {"notes.txt": b"x"})
    found = list(units([folder, no_csv]))
    assert list(in_parts(found, 2)) == found


def test_an_export_imported_by_a_pool_stores_the_same_as_one_process(
    rubdown, tmp_path, monkeypatch
):
    folder = export_with_files(tmp_path / "export")
    monkeypatch.setenv("RUBDOWN_IMPORT_WORKERS", "0")
    one = rubdown("import", str(folder), "--json")
    alone = rubdown("list", "--json").json()
    rubdown("undo")
    monkeypatch.setenv("RUBDOWN_IMPORT_WORKERS", "2")
    pool = rubdown("import", str(folder), "--json")
    assert pool.exit_code == one.exit_code == 0
    assert pool.json() == one.json()
    assert pool.json()["imported"] == 6
    together = rubdown("list", "--json").json()
    assert [dict(r, id=None) for r in together] == [dict(r, id=None) for r in alone]
