"""`rubdown import` says what it did with sports: legs of a multisport file
that are not runs, and files taken as runs because they recorded no sport."""

from __future__ import annotations

from datetime import UTC, datetime

from fitfile import run_file
from test_importers_disagree import gpx, iso, multisport, tcx
from torture import write_gpx

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_legs_that_are_not_runs_are_counted(rubdown, tmp_path):
    (tmp_path / "tri.fit").write_bytes(multisport())
    result = rubdown("import", str(tmp_path / "tri.fit"))
    assert result.exit_code == 0, result.stderr
    assert "Imported 2 runs." in result.stderr
    assert "2 sessions in 1 file were not runs (cycling, swimming)." in result.stderr
    again = rubdown("import", str(tmp_path / "tri.fit"), "--json")
    assert again.json()["not_runs"] == {
        "sessions": 2,
        "files": 1,
        "sports": {"swimming": 1, "cycling": 1},
    }
    assert again.json()["no_sport"] == []  # its generic leg was stored the first time


def test_files_without_a_sport_are_counted_and_named(rubdown, tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    write_gpx(folder / "a-untyped.gpx", datetime(2026, 11, 1, 7, 0, tzinfo=UTC))
    points = [
        (40 + i * 0.0001, iso(4 * i, datetime(2026, 11, 2, 7, tzinfo=UTC))) for i in range(30)
    ]
    (folder / "b-typed.gpx").write_text(gpx(points, kind="running"))
    (folder / "c-generic.fit").write_bytes(run_file(START, 600, sport="generic", session={}))
    laps = [(iso(0, datetime(2026, 11, 3, 7, tzinfo=UTC)), 600.0, 1800.0)]
    (folder / "d-nosport.tcx").write_text(tcx(laps, []).replace(' Sport="Running"', ""))
    result = rubdown("import", str(folder))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Imported 4 runs."
    start = lines.index(
        "3 files recorded no sport and were taken as runs (source shown by 'rubdown show ID'):"
    )
    assert lines[start + 1 : start + 4] == [
        f"  {folder / name}" for name in ("a-untyped.gpx", "c-generic.fit", "d-nosport.tcx")
    ]
    listed = rubdown("list", "--json").json()
    assert sorted(r["source"] for r in listed) == [
        "fit:c-generic.fit",
        "gpx:a-untyped.gpx",
        "gpx:b-typed.gpx",
        "tcx:d-nosport.tcx",
    ]
    # The list names where each imported record came from, beside a run
    # logged by hand (no source), so the runs taken without a sport can be found.
    assert rubdown("log", "run", "--distance", "5k", "--time", "25:00").exit_code == 0
    table = rubdown("list").stdout.splitlines()
    assert table[0].split() == ["id", "date", "kind", "type", "details", "note", "source"]
    rows = [line for line in table if line.split()[0].isdigit()]
    assert sorted(line.split()[-1] for line in rows) == [
        "(5:00/km)", "fit:c-generic.fit", "gpx:a-untyped.gpx", "gpx:b-typed.gpx",
        "tcx:d-nosport.tcx",
    ]  # fmt: skip  (the run logged by hand has no source: its details end the line)
    csv_head = rubdown("list", "--format", "csv").stdout.splitlines()[0]
    assert csv_head == "id,date,kind,type,details,note,source"
    # Again: every run is a duplicate, nothing was taken as a run this time.
    again = rubdown("import", str(folder), "--json").json()
    assert (again["duplicates"], again["no_sport"]) == (4, [])


def test_the_json_names_each_file_taken_as_a_run(rubdown, tmp_path):
    path = tmp_path / "swim.gpx"
    write_gpx(path, datetime(2026, 11, 1, 7, 0, tzinfo=UTC))
    summary = rubdown("import", str(path), "--json").json()
    assert summary["no_sport"] == [{"path": str(path), "source": "gpx:swim.gpx"}]
    assert summary["not_runs"] == {"sessions": 0, "files": 0, "sports": {}}


def test_an_unreadable_clock_stops_the_import_with_one_line(rubdown, tmp_path, monkeypatch):
    # FIT records are checked against rubdown's now; a bad RUBDOWN_NOW is no
    # fault of the file.
    (tmp_path / "run.fit").write_bytes(run_file(START, 600, session={}))
    monkeypatch.setenv("RUBDOWN_NOW", "abc")
    result = rubdown("import", str(tmp_path / "run.fit"))
    assert result.exit_code == 2  # a bad setting, like every RUBDOWN_* variable
    assert result.stderr.strip().splitlines() == [
        "Error: RUBDOWN_NOW='abc' is not valid; use an ISO 8601 date-time, or unset it."
    ]
