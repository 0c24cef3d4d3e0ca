"""Small synthetic activity files whose sources disagree, checked to the
second and the centimetre: FIT session against records, laps and the
activity message; TCX laps against trackpoints; GPX times that repeat, are
offset, placeholders, or only partly there. FIT files are written by
tests/fitfile.py, so every value below is known exactly.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fitfile import fit_file, fit_time, message, records, run_file
from helpers import scan
from rubdown.importers import FileResult

START = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
T0 = fit_time(START)


def result_of(tmp_path: Path, name: str, data: bytes | str) -> FileResult:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    (result,) = scan([path])
    return result


def the_run(result: FileResult) -> tuple:
    """(start, distance m, duration s, elapsed s) of the only run."""
    assert result.status in ("imported", "recovered"), result.reason
    (run,) = result.activities
    return run.start, run.distance_m, run.duration_s, run.elapsed_s


# -- FIT: a session that stops before the records --------------------------------


def stopped_early(*, activity_timer: float | None, distance: float | None = None) -> bytes:
    """A Suunto-like file: records every second for 4,961 s at 3 m/s, but the
    only session ends at the last lap, 4,035 s in, with no distance."""
    session = {"total_timer_time": 4035, "total_elapsed_time": 4035, "total_distance": distance}
    activity = None if activity_timer is None else {"total_timer_time": activity_timer}
    return run_file(START, 4961, session=session, activity=activity)


def test_a_session_ending_before_the_records_takes_the_records_and_the_activity_time(tmp_path):
    result = result_of(tmp_path, "ambit.fit", stopped_early(activity_timer=4900))
    assert result.status == "recovered"
    assert result.reason == (
        "the session ends 926 s before the last record; "
        "used the records and the activity's timer time"
    )
    # Not 14,883 m in 4,035 s: distance and time both cover the whole outing.
    assert the_run(result) == (START, 14883.0, 4900, 4961)


def test_a_session_ending_early_without_an_activity_time_takes_the_moving_time(tmp_path):
    result = result_of(tmp_path, "ambit.fit", stopped_early(activity_timer=None, distance=12105))
    assert result.status == "recovered"
    assert result.reason == "the session ends 926 s before the last record; used the records"
    assert the_run(result) == (START, 14883.0, 4961, 4961)


def test_records_within_a_minute_of_the_session_end_keep_the_session(tmp_path):
    session = {"total_timer_time": 4900, "total_elapsed_time": 4901, "total_distance": 14700}
    data = run_file(START, 4961, session=session)
    result = result_of(tmp_path, "ok.fit", data)
    assert (result.status, result.reason) == ("imported", None)
    assert the_run(result) == (START, 14700.0, 4900, 4901)


def test_a_session_without_times_is_timed_by_the_records(tmp_path):
    session = {"total_timer_time": None, "total_elapsed_time": None, "total_distance": None}
    data = run_file(START, 600, session=session, activity={"total_timer_time": 598})
    result = result_of(tmp_path, "notime.fit", data)
    assert (result.status, result.reason) == ("imported", None)
    assert the_run(result) == (START, 1800.0, 598, 600)


def test_a_session_without_distance_takes_the_records_within_its_span(tmp_path):
    session = {"total_timer_time": 590, "total_elapsed_time": 600, "total_distance": None}
    result = result_of(tmp_path, "nodist.fit", run_file(START, 600, session=session))
    assert the_run(result) == (START, 1800.0, 590, 600)


def test_laps_that_disagree_with_the_session_do_not_change_it(tmp_path):
    data = fit_file(
        message("file_id", type=4, time_created=START),
        *records(START, 600),
        message("lap", start_time=START, total_timer_time=300, total_distance=700),
        message(
            "session",
            start_time=START,
            sport="running",
            total_timer_time=590,
            total_elapsed_time=600,
            total_distance=1750,
        ),
    )
    assert the_run(result_of(tmp_path, "laps.fit", data)) == (START, 1750.0, 590, 600)


# -- FIT: no session ------------------------------------------------------------------


def paused_records() -> list[bytes]:
    """Records for 2,004 s at 3 m/s with a 26 s stop from 1,000 s: 1,978 s moving."""
    out = []
    distance = 0.0
    for t in range(0, 2005):
        if t and not 1000 < t <= 1026:
            distance += 3.0
        out.append(message("record", timestamp=T0 + t, distance=distance))
    return out


def test_a_fit_without_session_uses_the_activity_timer_time(tmp_path):
    data = fit_file(
        message("file_id", type=4, time_created=START),
        *paused_records(),
        message("activity", timestamp=T0 + 2004, total_timer_time=1990),
    )
    result = result_of(tmp_path, "nosession.fit", data)
    assert the_run(result) == (START, 5934.0, 1990, 2004)


def test_a_fit_without_session_or_activity_takes_the_moving_time(tmp_path):
    data = fit_file(message("file_id", type=4, time_created=START), *paused_records())
    assert the_run(result_of(tmp_path, "cut.fit", data)) == (START, 5934.0, 1978, 2004)


def test_an_activity_timer_longer_than_the_records_is_not_used(tmp_path):
    data = fit_file(
        message("file_id", type=4, time_created=START),
        *paused_records(),
        message("activity", timestamp=T0 + 2004, total_timer_time=5000),
    )
    assert the_run(result_of(tmp_path, "odd.fit", data)) == (START, 5934.0, 1978, 2004)


def test_moving_time_counts_only_steps_faster_than_1_km_h(tmp_path):
    # 10 s steps: 2.8 m (1.008 km/h) is moving, 2.7 m (0.972 km/h) is stopped.
    steps = [30.0] * 10 + [2.8] * 3 + [2.7] * 4 + [30.0] * 2
    parts, distance = [message("record", timestamp=T0, distance=0)], 0.0
    for i, step in enumerate(steps, start=1):
        distance += step
        parts.append(message("record", timestamp=T0 + 10 * i, distance=distance))
    data = fit_file(message("file_id", type=4, time_created=START), *parts)
    assert the_run(result_of(tmp_path, "slow.fit", data)) == (START, 379.2, 150, 190)


# -- FIT: each rule that rejects an absurd summary ------------------------------------


def stop_at_the_end(start_fields: dict, activity: dict | None = None) -> bytes:
    """Records for 600 s at 3 m/s, standing for the last 60 s (1,620 m, 540 s
    moving), and a session summary made of ``start_fields``."""
    parts = [message("file_id", type=4, time_created=START)]
    parts += [
        message("record", timestamp=T0 + t, distance=min(t, 540) * 3.0) for t in range(0, 601, 10)
    ]
    session = {
        "start_time": START,
        "sport": "running",
        "total_elapsed_time": 600,
        "total_timer_time": 580,
        "total_distance": 5000,
    }
    session.update(start_fields)
    parts.append(message("session", **session))
    if activity:
        parts.append(message("activity", timestamp=T0 + 600, **activity))
    return fit_file(*parts)


FROM_RECORDS = (START, 1620.0, 540, 600)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"start_time": None}, id="no start"),
        pytest.param({"start_time": START + timedelta(hours=2)}, id="start after the records"),
        pytest.param({"start_time": START - timedelta(seconds=61)}, id="start 61 s early"),
        pytest.param({"start_time": START + timedelta(days=5)}, id="start days later"),
        pytest.param({"total_elapsed_time": 300, "total_timer_time": 900}, id="elapsed < timer"),
    ],
)
def test_each_absurd_summary_falls_back_to_the_records(tmp_path, fields):
    assert the_run(result_of(tmp_path, "absurd.fit", stop_at_the_end(fields))) == FROM_RECORDS


def test_an_absurd_summary_takes_the_activity_timer_when_it_fits(tmp_path):
    data = stop_at_the_end({"start_time": None}, activity={"total_timer_time": 555})
    assert the_run(result_of(tmp_path, "absurd.fit", data)) == (START, 1620.0, 555, 600)


def test_a_start_up_to_a_minute_before_the_first_record_is_sane(tmp_path):
    early = START - timedelta(seconds=60)
    data = stop_at_the_end({"start_time": early, "total_elapsed_time": 660})
    assert the_run(result_of(tmp_path, "fix.fit", data)) == (early, 5000.0, 580, 660)


def test_a_fit_recorded_in_the_last_24_hours_is_imported(tmp_path, monkeypatch):
    now = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)  # conftest: RUBDOWN_NOW
    start = now - timedelta(hours=3)
    result = result_of(tmp_path, "today.fit", run_file(start, 1200, session={}))
    assert the_run(result) == (start, 3600.0, 1200, 1200)
    # A file whose every record is more than a day after now is not garbage
    # but a run in the future (a device's clock set wrong): it is read as it
    # says, and the import refuses it as it refuses a GPX run there.
    later = result_of(tmp_path, "later.fit", run_file(now + timedelta(days=2), 60, session={}))
    assert the_run(later) == (now + timedelta(days=2), 180.0, 60, 60)


# -- FIT: sports and multisport files -------------------------------------------------


def multisport() -> bytes:
    """Swim 0-600 s, bike 600-1800 s, run 1800-3000 s, and a generic session
    3000-3600 s (no distance), records at 2 m/s throughout."""
    parts = [message("file_id", type=4, time_created=START)]
    parts += records(START, 3600, step_s=10, speed=2.0)
    legs = [("swimming", 0, 600), ("cycling", 600, 1800), ("running", 1800, 3000)]
    for sport, begin, end in legs:
        parts.append(
            message(
                "session",
                start_time=T0 + begin,
                sport=sport,
                total_elapsed_time=end - begin,
                total_timer_time=end - begin - 10,
                total_distance=(end - begin) * 2.0,
            )
        )
    parts.append(
        message(
            "session",
            start_time=T0 + 3000,
            sport="generic",
            total_elapsed_time=600,
            total_timer_time=600,
        )
    )
    return fit_file(*parts)


def test_a_multisport_file_keeps_its_runs_and_names_the_other_legs(tmp_path):
    result = result_of(tmp_path, "tri.fit", multisport())
    assert result.status == "imported"
    assert result.not_runs == ("swimming", "cycling")
    run, generic = result.activities
    assert (run.start, run.distance_m, run.duration_s, run.elapsed_s) == (
        START + timedelta(seconds=1800),
        2400.0,
        1190,
        1200,
    )
    assert run.recorded_sport == "running"
    # The generic leg recorded no sport: a run, its distance from its own span.
    assert (generic.start, generic.distance_m, generic.duration_s) == (
        START + timedelta(seconds=3000),
        1200.0,
        600,
    )
    assert (generic.sport, generic.recorded_sport) == ("run", None)
    assert [a.source_id[-2:] for a in result.activities] == ["#3", "#4"]


def test_a_generic_leg_never_takes_the_sport_of_another_legs_lap(tmp_path):
    data = fit_file(
        message("file_id", type=4, time_created=START),
        *records(START, 1200, step_s=10),
        message("lap", start_time=START, sport="swimming", total_timer_time=600),
        message("session", start_time=START, sport="swimming", total_elapsed_time=600),
        message("session", start_time=T0 + 600, sport="generic", total_elapsed_time=600),
    )
    result = result_of(tmp_path, "two.fit", data)
    assert result.not_runs == ("swimming",)
    assert the_run(result) == (START + timedelta(seconds=600), 1800.0, 600, 600)


def test_sport_generic_is_a_run_that_recorded_no_sport(tmp_path):
    result = result_of(tmp_path, "generic.fit", run_file(START, 600, sport="generic", session={}))
    assert result.status == "imported"
    (run,) = result.activities
    assert (run.sport, run.recorded_sport) == ("run", None)


def test_a_generic_session_takes_the_sport_of_its_laps(tmp_path):
    data = fit_file(
        message("file_id", type=4, time_created=START),
        *records(START, 600),
        message("lap", start_time=START, sport="cycling", total_timer_time=600),
        message("session", start_time=START, sport="generic", total_timer_time=600),
    )
    assert result_of(tmp_path, "lap.fit", data).reason == "not a run (cycling)"


@pytest.mark.parametrize(
    ("sport", "sub_sport", "outcome"),
    [
        ("swimming", None, "not a run (swimming)"),
        ("transition", None, "not a run (transition)"),
        ("running", "virtual_activity", "imported"),
        ("running", "obstacle", "imported"),
        (200, None, "not a run (unknown sport)"),  # newer than the profile
    ],
)
def test_fit_sports_are_named_in_the_files_words(tmp_path, sport, sub_sport, outcome):
    data = run_file(START, 600, sport=sport, session={"sub_sport": sub_sport})
    result = result_of(tmp_path, "sport.fit", data)
    assert (result.reason or result.status) == outcome


# -- empty files ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["run.fit", "run.gpx", "run.tcx", "run.fit.gz", "RUN.FIT"])
def test_an_empty_file_fails_whatever_its_format(tmp_path, name):
    result = result_of(tmp_path, name, b"")
    assert (result.status, result.reason) == ("failed", "empty file")


def test_importing_an_empty_fit_fails_like_an_empty_gpx(rubdown, tmp_path):
    for name in ("empty.fit", "empty.gpx"):
        (tmp_path / name).write_bytes(b"")
        result = rubdown("import", str(tmp_path / name))
        assert result.exit_code == 1, (name, result.stderr)
        assert f"  {tmp_path / name}: empty file" in result.stderr.splitlines()


def test_a_fit_with_a_header_and_no_message_fails(tmp_path):
    result = result_of(tmp_path, "hollow.fit", fit_file())
    assert (result.status, result.reason) == ("failed", "empty FIT file (no messages)")
    gz = result_of(tmp_path, "hollow.fit.gz", gzip.compress(fit_file()))
    assert gz.status == "failed"


def test_a_sound_fit_without_activity_data_is_skipped(tmp_path):
    result = result_of(tmp_path, "settings.fit", fit_file(message("file_id", type=2)))
    assert (result.status, result.reason) == ("skipped", "no activity data in FIT file")


# -- GPX ------------------------------------------------------------------------------


def gpx(points: list[tuple[float, str | None]], *, kind: str | None = None) -> str:
    """A GPX track: (latitude, time text or None) per point at longitude 0."""
    out = []
    for lat, when in points:
        time = f"<time>{when}</time>" if when else ""
        out.append(f'<trkpt lat="{lat:.6f}" lon="0">{time}</trkpt>')
    sport = f"<type>{kind}</type>" if kind else ""
    return (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk>{sport}<trkseg>{''.join(out)}</trkseg></trk></gpx>"
    )


def iso(seconds: float, base: datetime = START, offset: str = "Z") -> str:
    return (base + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S") + offset


#: 0.0001 degree of latitude on the IUGG mean-radius sphere, in metres.
STEP_M = 6371008.8 * 3.141592653589793 / 180 * 0.0001


def test_gpx_distance_is_kept_to_the_centimetre(tmp_path):
    points = [(i * 0.0001, iso(4 * i)) for i in range(11)]
    start, distance, moving, elapsed = the_run(result_of(tmp_path, "r.gpx", gpx(points)))
    assert distance == round(10 * STEP_M, 2) == 111.2
    assert (start, moving, elapsed) == (START, 40, 40)


@pytest.mark.parametrize(
    "when",
    ["1901-12-13T20:45:52Z", "2020-05-01T10:00:00Z", "1970-01-01T00:00:00Z"],
)
def test_gpx_whose_points_share_one_time_is_skipped(tmp_path, when):
    points = [(i * 0.0001, when) for i in range(20)]
    result = result_of(tmp_path, "same.gpx", gpx(points))
    assert (result.status, result.reason) == ("skipped", "no timestamps")


def test_gpx_times_before_1970_are_no_times(tmp_path):
    base = datetime(1901, 12, 13, 20, 45, 52, tzinfo=UTC)
    points = [(i * 0.0001, iso(5 * i, base)) for i in range(20)]
    result = result_of(tmp_path, "old.gpx", gpx(points))
    assert (result.status, result.reason) == ("skipped", "no timestamps")


def test_gpx_times_with_an_offset_are_read_in_utc(tmp_path):
    points = [(i * 0.0001, iso(4 * i + 7200, offset="+02:00")) for i in range(11)]
    assert the_run(result_of(tmp_path, "tz.gpx", gpx(points))) == (START, 111.2, 40, 40)


def test_repeated_gpx_timestamps_add_distance_but_no_time(tmp_path):
    # Points 0-5 four seconds apart; points 6-8 repeat the time of point 5.
    times = [4 * i for i in range(6)] + [20, 20, 20] + [24, 28]
    points = [(i * 0.0001, iso(t)) for i, t in enumerate(times)]
    result = result_of(tmp_path, "dup.gpx", gpx(points))
    assert the_run(result) == (START, round(10 * STEP_M, 2), 28, 28)


def test_gpx_half_timed_is_enough_and_less_is_no_timestamps(tmp_path):
    # 10 points, 5 timed (the first five, 4 s apart): exactly half.
    points = [(i * 0.0001, iso(4 * i) if i < 5 else None) for i in range(10)]
    assert the_run(result_of(tmp_path, "half.gpx", gpx(points))) == (
        START,
        round(9 * STEP_M, 2),
        16,
        16,
    )
    points[4] = (points[4][0], None)  # 4 of 10
    result = result_of(tmp_path, "less.gpx", gpx(points))
    assert (result.status, result.reason) == ("skipped", "no timestamps")


@pytest.mark.parametrize(
    ("kind", "outcome"),
    [
        ("9", "imported"),
        ("53", "imported"),  # Strava: Virtual Run
        ("obstacle_run", "imported"),  # Garmin activity type key
        ("virtual_run", "imported"),
        ("16", "not a run (swim)"),
        ("1", "not a run (ride)"),
        ("52", "not a run (wheelchair)"),
        ("99", "not a run (unknown sport)"),
        ("mountain_biking", "not a run (mountain biking)"),
        ("Nordic Ski", "not a run (nordic ski)"),
    ],
)
def test_gpx_type_codes_and_names(tmp_path, kind, outcome):
    points = [(i * 0.0001, iso(4 * i)) for i in range(11)]
    result = result_of(tmp_path, "typed.gpx", gpx(points, kind=kind))
    assert (result.reason or result.status) == outcome
    if outcome == "imported":
        assert result.activities[0].recorded_sport is not None


# -- TCX ------------------------------------------------------------------------------


def tcx(laps: list[tuple[str, float, float]], points: list[tuple[str, float]]) -> str:
    """A TCX run: laps as (start, total seconds, metres), then trackpoints
    (time, cumulative metres), all in the last lap."""
    body = ""
    for i, (start, total_s, metres) in enumerate(laps):
        track = ""
        if i == len(laps) - 1 and points:
            track = (
                "<Track>"
                + "".join(
                    f"<Trackpoint><Time>{t}</Time><DistanceMeters>{d}</DistanceMeters></Trackpoint>"
                    for t, d in points
                )
                + "</Track>"
            )
        body += (
            f'<Lap StartTime="{start}"><TotalTimeSeconds>{total_s}</TotalTimeSeconds>'
            f"<DistanceMeters>{metres}</DistanceMeters>{track}</Lap>"
        )
    return (
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities><Activity Sport="Running">'
        f"<Id>{laps[0][0]}</Id>{body}</Activity></Activities></TrainingCenterDatabase>"
    )


def test_tcx_duration_is_the_laps_timer_and_elapsed_the_trackpoints_span(tmp_path):
    laps = [(iso(0), 700.0, 2000.123), (iso(800), 650.4, 1900.0)]
    points = [(iso(5), 0.0), (iso(1500), 3900.0)]
    result = result_of(tmp_path, "laps.tcx", tcx(laps, points))
    assert the_run(result) == (START + timedelta(seconds=5), 3900.12, 1350, 1495)


def test_tcx_without_trackpoints_is_timed_by_its_laps(tmp_path):
    laps = [(iso(0), 700.0, 2000.0), (iso(800), 650.0, 1900.0)]
    result = result_of(tmp_path, "laps.tcx", tcx(laps, []))
    assert the_run(result) == (START, 3900.0, 1350, 1450)


@pytest.mark.parametrize("when", ["2020-05-01T10:00:00Z", "1901-12-13T20:45:52Z"])
def test_tcx_whose_times_span_nothing_is_skipped(tmp_path, when):
    text = tcx([(when, 0.0, 1000.0)], [(when, 0.0), (when, 1000.0)])
    result = result_of(tmp_path, "flat.tcx", text)  # its lap says 0 s too
    assert (result.status, result.reason) == ("skipped", "no timestamps")
