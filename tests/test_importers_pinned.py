"""Every rule of the GPX, TCX and FIT readers pinned by a small synthetic file.

Each file is written here (FIT by tests/fitfile.py), so every expected value
is known to the second and the centimetre; the values are the ones
``rubdown import`` stores. Complements tests/test_importers_disagree.py,
whose helpers it reuses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fitfile import fit_file, fit_time, message, run_file
from test_importers_disagree import START, STEP_M, T0, iso, result_of, the_run


def gpx_file(*segments: str, head: str = "", track_head: str = "", tail: str = "") -> str:
    """A GPX document with one track holding ``segments`` (their points' XML)."""
    body = "".join(f"<trkseg>{points}</trkseg>" for points in segments)
    return (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        f"{head}<trk>{track_head}{body}</trk>{tail}</gpx>"
    )


def point(lat: float | str, lon: float | str = 0, when: str | None = None, ele=None) -> str:
    time = f"<time>{when}</time>" if when else ""
    elevation = f"<ele>{ele}</ele>" if ele is not None else ""
    return f'<trkpt lat="{lat}" lon="{lon}">{elevation}{time}</trkpt>'


def line(count: int, *, lat0: float = 0.0, t0: float = 0, step_s: float = 4) -> str:
    """``count`` points northwards 0.0001 degree apart, ``step_s`` apart in time."""
    return "".join(point(f"{lat0 + i * 0.0001:.6f}", 0, iso(t0 + step_s * i)) for i in range(count))


# -- GPX ------------------------------------------------------------------------------


def test_gpx_segments_are_summed_without_the_gap_between_them(tmp_path):
    # Two segments of 5 steps each, 1.1 km and 60 s apart: neither the gap's
    # distance nor its time counts; the elapsed time spans both.
    text = gpx_file(line(6), line(6, lat0=0.01, t0=80))
    assert the_run(result_of(tmp_path, "two.gpx", text)) == (START, round(10 * STEP_M, 2), 40, 100)


def test_gpx_start_is_the_earliest_time_whatever_the_order(tmp_path):
    # Times 8, 0, 4, 12, 16: the step back in time is never moving time.
    times = [8, 0, 4, 12, 16]
    points = "".join(point(f"{i * 0.0001:.6f}", 0, iso(t)) for i, t in enumerate(times))
    assert the_run(result_of(tmp_path, "order.gpx", gpx_file(points))) == (
        START,
        round(4 * STEP_M, 2),
        16,
        16,
    )


def test_gpx_coordinates_at_the_poles_and_the_date_line_count(tmp_path):
    # A point at latitude 90 or longitude -180 is a real place: kept.
    pole = "".join(point(f"{89.9995 + i * 0.0001:.4f}", 0, iso(4 * i)) for i in range(5))
    assert the_run(result_of(tmp_path, "pole.gpx", gpx_file(pole)))[1:] == (
        round(4 * STEP_M, 2), 16, 16,
    )  # fmt: skip
    south = "".join(point(f"{-89.9995 - i * 0.0001:.4f}", 0, iso(4 * i)) for i in range(5))
    assert the_run(result_of(tmp_path, "south.gpx", gpx_file(south)))[1:] == (
        round(4 * STEP_M, 2), 16, 16,
    )  # fmt: skip
    east = "".join(point(0, f"{179.9996 + i * 0.0001:.4f}", iso(4 * i)) for i in range(5))
    west = "".join(point(0, f"{-180 + i * 0.0001:.4f}", iso(4 * i)) for i in range(5))
    for name, text in (("east.gpx", east), ("west.gpx", west)):
        assert the_run(result_of(tmp_path, name, gpx_file(text)))[1:] == (
            round(4 * STEP_M, 2), 16, 16,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("90.5", "0"), ("-90.5", "0"), ("0", "180.5"), ("0", "-180.5"), ("nan", "0"), ("x", "0")],
)
def test_a_gpx_point_off_the_globe_is_left_out(tmp_path, lat, lon):
    # Five good points 4 s apart and, between the 3rd and 4th, one that is
    # not a place: it adds no distance, no time, and no untimed point.
    good = [point(f"{i * 0.0001:.6f}", 0, iso(4 * i)) for i in range(5)]
    bad = point(lat, lon, iso(10))
    text = gpx_file("".join([*good[:3], bad, *good[3:]]))
    assert the_run(result_of(tmp_path, "bad.gpx", text)) == (START, round(4 * STEP_M, 2), 16, 16)


def test_gpx_moving_speed_is_measured_over_the_climb_when_both_points_have_one(tmp_path):
    # Steps of 10 s. Flat: 2.22 m (0.8 km/h) is stopped. With a 2 m rise the
    # 3-D step is 2.99 m (1.08 km/h): moving. One point without an elevation
    # gives a flat step again.
    lat = 0.00002  # 2.22 m
    flat = [point(f"{i * lat:.5f}", 0, iso(10 * i), ele=100) for i in range(4)]
    climb = [point(f"{i * lat:.5f}", 0, iso(10 * i), ele=100 + 2 * i) for i in range(4)]
    partly = [*climb[:2], point(f"{2 * lat:.5f}", 0, iso(20)), climb[3]]
    cases = [("flat.gpx", flat, 0), ("climb.gpx", climb, 30), ("partly.gpx", partly, 10)]
    for name, points, moving in cases:
        _, _, duration, elapsed = the_run(result_of(tmp_path, name, gpx_file("".join(points))))
        assert (duration, elapsed) == (moving, 30), name


def test_gpx_elevation_beyond_20_km_is_no_elevation(tmp_path):
    # A 2.22 m step in 10 s with an absurd 25 km elevation change: the
    # elevation is ignored and the step is stopped.
    points = [point("0", 0, iso(0), ele=0), point("0.00002", 0, iso(10), ele=25000)]
    points += [point("0.00004", 0, iso(20), ele=25000)]
    assert the_run(result_of(tmp_path, "alt.gpx", gpx_file("".join(points))))[2] == 0


def test_gpx_name_comes_from_the_track_then_the_metadata_then_the_file(tmp_path):
    pts = line(5)
    metadata = "<metadata><name>Morning Run</name></metadata>"
    cases = [
        (gpx_file(pts, head=metadata, track_head="<name> Hood to Coast </name>"), "Hood to Coast"),
        (gpx_file(pts, head=metadata), "Morning Run"),
        (gpx_file(pts, head="<name>The file</name>"), "The file"),
        (gpx_file(pts, track_head="<name>first</name><name>second</name>"), "first"),
        (gpx_file(pts), None),
    ]
    for index, (text, name) in enumerate(cases):
        result = result_of(tmp_path, f"named{index}.gpx", text)
        assert result.activities[0].name == name, text


def test_gpx_sport_is_the_first_track_type_only(tmp_path):
    pts = line(5)
    text = gpx_file(pts, track_head="<type>running</type><type>cycling</type>")
    assert result_of(tmp_path, "first.gpx", text).activities[0].recorded_sport == "running"
    # A <type> elsewhere (in the metadata, a waypoint) is not the track's sport.
    elsewhere = gpx_file(pts, head='<wpt lat="0" lon="0"><type>cycling</type></wpt>')
    result = result_of(tmp_path, "wpt.gpx", elsewhere)
    assert (result.status, result.activities[0].recorded_sport) == ("imported", None)


def test_gpx_routes_and_waypoints_are_not_tracks(tmp_path):
    route = (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><rte>'
        '<rtept lat="0" lon="0"/><rtept lat="0.001" lon="0"/></rte></gpx>'
    )
    result = result_of(tmp_path, "route.gpx", route)
    assert (result.status, result.reason) == ("skipped", "no timestamps")
    nothing = '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"></gpx>'
    result = result_of(tmp_path, "empty.gpx", nothing)
    assert (result.status, result.reason) == ("skipped", "no track points")
    # Timed waypoints and a route beside a track change nothing in it.
    extra = '<wpt lat="1" lon="1"><time>2026-11-20T13:00:00Z</time></wpt>'
    extra += '<rte><rtept lat="2" lon="2"><time>2026-11-20T11:00:00Z</time></rtept></rte>'
    text = gpx_file(line(5), tail=extra)
    assert the_run(result_of(tmp_path, "mixed.gpx", text)) == (START, round(4 * STEP_M, 2), 16, 16)


def test_gpx_needs_two_timed_points(tmp_path):
    one = gpx_file(point("0", 0, iso(0)))
    result = result_of(tmp_path, "one.gpx", one)
    assert (result.status, result.reason) == ("skipped", "no timestamps")
    two = gpx_file(point("0", 0, iso(0)) + point("0.0001", 0, iso(4)))
    assert the_run(result_of(tmp_path, "two.gpx", two)) == (START, round(STEP_M, 2), 4, 4)


def test_gpx_time_exactly_at_1970_is_a_time(tmp_path):
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    points = "".join(point(f"{i * 0.0001:.6f}", 0, iso(4 * i, epoch)) for i in range(5))
    assert the_run(result_of(tmp_path, "1970.gpx", gpx_file(points))) == (
        epoch,
        round(4 * STEP_M, 2),
        16,
        16,
    )


def test_gpx_times_without_a_zone_are_utc(tmp_path):
    points = "".join(point(f"{i * 0.0001:.6f}", 0, iso(4 * i, offset="")) for i in range(5))
    assert the_run(result_of(tmp_path, "naive.gpx", gpx_file(points)))[0] == START


# -- TCX ------------------------------------------------------------------------------


def tcx_file(*activities: str) -> str:
    return (
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        f'TrainingCenterDatabase/v2"><Activities>{"".join(activities)}</Activities>'
        "</TrainingCenterDatabase>"
    )


def activity(laps: str, *, sport: str = "Running", id_time: str | None = None) -> str:
    ident = f"<Id>{id_time}</Id>" if id_time else ""
    return f'<Activity Sport="{sport}">{ident}{laps}</Activity>'


def lap(start: str | None, total_s=None, metres=None, points: str = "") -> str:
    attribute = f' StartTime="{start}"' if start else ""
    time = f"<TotalTimeSeconds>{total_s}</TotalTimeSeconds>" if total_s is not None else ""
    distance = f"<DistanceMeters>{metres}</DistanceMeters>" if metres is not None else ""
    track = f"<Track>{points}</Track>" if points else ""
    return f"<Lap{attribute}>{time}{distance}{track}</Lap>"


def trackpoint(when: str | None, metres=None) -> str:
    time = f"<Time>{when}</Time>" if when else ""
    distance = f"<DistanceMeters>{metres}</DistanceMeters>" if metres is not None else ""
    return f"<Trackpoint>{time}{distance}</Trackpoint>"


def test_tcx_laps_out_of_order_start_at_the_earliest_and_end_at_the_latest(tmp_path):
    # No trackpoints: start = the earliest lap start; elapsed = the latest
    # lap end (800 + 650 s) minus it, whatever the order of the laps.
    laps = lap(iso(800), 650, 1900) + lap(iso(0), 700, 2000) + lap(iso(100), 50, 100)
    text = tcx_file(activity(laps, id_time=iso(-50)))
    assert the_run(result_of(tmp_path, "laps.tcx", text)) == (START, 4000.0, 1400, 1450)


def test_tcx_without_times_in_laps_or_trackpoints_starts_at_its_id(tmp_path):
    # Other children of the activity (notes) never replace its Id.
    laps = lap(None, 600, 1500) + "<Notes>easy</Notes>"
    text = tcx_file(activity(laps, id_time=iso(30)))
    expected = (START + timedelta(seconds=30), 1500.0, 600, None)
    assert the_run(result_of(tmp_path, "id.tcx", text)) == expected
    # Nothing at all to place it: skipped.
    result = result_of(tmp_path, "none.tcx", tcx_file(activity(lap(None, 600, 1500))))
    assert (result.status, result.reason) == ("skipped", "no timestamps")


def test_tcx_distance_falls_back_to_the_last_trackpoint_distance(tmp_path):
    # Laps without a (valid) distance: the last trackpoint that has one.
    points = trackpoint(iso(0), 0) + trackpoint(iso(300), 1000.5) + trackpoint(iso(600), 2000.25)
    points += trackpoint(iso(610))
    for metres in (None, "-5", "inf", "far"):
        text = tcx_file(activity(lap(iso(0), 610, metres, points)))
        assert the_run(result_of(tmp_path, "points.tcx", text)) == (START, 2000.25, 610, 610)


def test_tcx_timer_time_falls_back_to_the_trackpoints_span(tmp_path):
    points = trackpoint("not a time", 0) + trackpoint(iso(5), 0) + trackpoint(iso(905), 2500)
    text = tcx_file(activity(lap(iso(0), None, 2500, points)))
    expected = (START + timedelta(seconds=5), 2500.0, 900, 900)
    assert the_run(result_of(tmp_path, "notimer.tcx", text)) == expected


def test_tcx_times_spanning_nothing_are_kept_when_the_laps_give_a_time(tmp_path):
    points = trackpoint(iso(0), 0) + trackpoint(iso(0), 1000)
    text = tcx_file(activity(lap(iso(0), 300, 1000, points)))
    assert the_run(result_of(tmp_path, "flat.tcx", text)) == (START, 1000.0, 300, 0)


def test_tcx_with_several_activities_keeps_its_runs(tmp_path):
    ride = activity(lap(iso(0), 3600, 30000), sport="Biking")
    run_a = activity(lap(iso(4000), 1200, 3000))
    run_b = activity(lap(iso(9000), 600, 1500), sport="running")
    result = result_of(tmp_path, "three.tcx", tcx_file(ride, run_a, run_b))
    assert (result.status, result.not_runs) == ("imported", ("biking",))
    assert [(a.start, a.distance_m, a.duration_s, a.elapsed_s) for a in result.activities] == [
        (START + timedelta(seconds=4000), 3000.0, 1200, 1200),
        (START + timedelta(seconds=9000), 1500.0, 600, 600),
    ]
    assert [a.source_id[-2:] for a in result.activities] == ["#2", "#3"]
    result = result_of(tmp_path, "none.tcx", tcx_file())
    assert (result.status, result.reason) == ("skipped", "no activities in TCX file")


# -- FIT ------------------------------------------------------------------------------


def plain_records(seconds: int, *, step_s: int = 10, speed: float | None = 3.0) -> list[bytes]:
    return [
        message("record", timestamp=T0 + t, distance=None if speed is None else t * speed)
        for t in range(0, seconds + 1, step_s)
    ]


def session(**fields) -> bytes:
    values = {
        "start_time": START,
        "sport": "running",
        "total_elapsed_time": 600,
        "total_timer_time": 580,
        "total_distance": 1750,
    }
    values.update(fields)
    return message("session", **values)


def fit(*parts: bytes) -> bytes:
    return fit_file(message("file_id", type=4, time_created=START), *parts)


def test_fit_records_may_jump_a_day_but_no_more(tmp_path):
    # Records 0-600 s without a session, then one more record: a day later
    # it is part of the outing; a day and a second later it is garbage.
    for jump, elapsed in ((86400, 87000), (86401, 600)):
        late = message("record", timestamp=T0 + 600 + jump, distance=1800)
        data = fit(*plain_records(600), late)
        assert the_run(result_of(tmp_path, "jump.fit", data)) == (START, 1800.0, 600, elapsed)


def test_fit_records_going_back_in_time_are_ignored(tmp_path):
    # A record a second back in time is ignored; one at the same second is
    # kept (its distance counts, its step of 0 s is no moving time).
    back = message("record", timestamp=T0 + 599, distance=5000)
    same = message("record", timestamp=T0 + 600, distance=1850)
    data = fit(*plain_records(600), back, same)
    assert the_run(result_of(tmp_path, "back.fit", data)) == (START, 1850.0, 600, 600)


@pytest.mark.parametrize(
    ("timer", "duration"),
    [(601, 601), (602, 600), (1, 1), (0, 600), (None, 600)],
)
def test_fit_activity_timer_is_used_up_to_a_second_past_the_records_span(tmp_path, timer, duration):
    # No session; records over 600 s, all moving: the activity's timer time
    # when it fits in the span (one second of rounding allowed), else moving time.
    activity = message("activity", timestamp=T0 + 600, total_timer_time=timer)
    data = fit(*plain_records(600), activity)
    assert the_run(result_of(tmp_path, "timer.fit", data)) == (START, 1800.0, duration, 600)


@pytest.mark.parametrize(
    ("timer", "expected"),
    [(601, (START, 1750.0, 601, 600)), (602, (START, 1800.0, 600, 600))],
)
def test_fit_timer_may_pass_elapsed_by_one_second_of_rounding(tmp_path, timer, expected):
    # Elapsed 600 s: a timer of 601 s is rounding, kept as it is; 602 s is
    # absurd, and the records decide.
    data = fit(*plain_records(600), session(total_timer_time=timer))
    assert the_run(result_of(tmp_path, "round.fit", data)) == expected


def test_fit_session_start_at_the_last_record_is_sane_one_second_later_not(tmp_path):
    last = START + timedelta(seconds=600)
    data = fit(*plain_records(600), session(start_time=last, total_elapsed_time=10,
                                            total_timer_time=10))  # fmt: skip
    assert the_run(result_of(tmp_path, "last.fit", data)) == (last, 1750.0, 10, 10)
    later = last + timedelta(seconds=1)
    data = fit(*plain_records(600), session(start_time=later, total_elapsed_time=10,
                                            total_timer_time=10))  # fmt: skip
    assert the_run(result_of(tmp_path, "later.fit", data)) == (START, 1800.0, 600, 600)


def test_fit_session_with_a_relative_start_time_is_taken_from_the_records(tmp_path):
    # A date_time below 0x10000000 counts from power-on: no place in time.
    data = fit(*plain_records(600), session(start_time=1000))
    assert the_run(result_of(tmp_path, "relative.fit", data)) == (START, 1800.0, 600, 600)


def test_fit_session_missing_one_time_takes_the_other(tmp_path):
    only_elapsed = fit(*plain_records(600), session(total_timer_time=None))
    assert the_run(result_of(tmp_path, "elapsed.fit", only_elapsed)) == (START, 1750.0, 600, 600)
    only_timer = fit(*plain_records(600), session(total_elapsed_time=None))
    assert the_run(result_of(tmp_path, "timer.fit", only_timer)) == (START, 1750.0, 580, 580)


def test_fit_session_ending_early_keeps_its_values_when_records_have_no_distance(tmp_path):
    # Records run 600 s past the session's end, but carry no distance: they
    # cannot tell how far the rest went, so the session is kept as it is.
    data = fit(*plain_records(1200, speed=None), session())
    result = result_of(tmp_path, "nodist.fit", data)
    assert (result.status, result.reason) == ("imported", None)
    assert the_run(result) == (START, 1750.0, 580, 600)


def test_fit_absurd_summary_without_record_distances_keeps_the_session_distance(tmp_path):
    # Start missing: the records place and time it (no distances, so the
    # whole span is the duration); the distance is the session's own.
    data = fit(*plain_records(600, speed=None), session(start_time=None))
    assert the_run(result_of(tmp_path, "absurd.fit", data)) == (START, 1750.0, 600, 600)


def test_fit_moving_time_ignores_steps_without_progress(tmp_path):
    # 600 s without a session: standing still 200-300 s (same distance) and
    # a record at 445 s whose distance goes back (900 m after 1,020 m): neither
    # step is moving time; 445-450 s (150 m) is. 600 - 100 - 5 = 495 s.
    parts = []
    for t in range(0, 601, 10):
        distance = t * 3.0 if t <= 200 else (600.0 if t <= 300 else (t - 100) * 3.0)
        parts.append(message("record", timestamp=T0 + t, distance=distance))
    parts.insert(45, message("record", timestamp=T0 + 445, distance=900.0))
    data = fit(*parts)
    assert the_run(result_of(tmp_path, "still.fit", data)) == (START, 1500.0, 495, 600)


def test_fit_session_sport_comes_from_the_first_lap_or_sport_message(tmp_path):
    laps = [
        message("lap", start_time=START, sport="generic", total_timer_time=300),
        message("lap", start_time=START, sport="cycling", total_timer_time=300),
        message("lap", start_time=START, sport="running", total_timer_time=300),
    ]
    data = fit(*plain_records(600), *laps, session(sport=None))
    assert result_of(tmp_path, "laps.fit", data).reason == "not a run (cycling)"
    data = fit(message("sport", sport="swimming"), *plain_records(600), session(sport=None))
    assert result_of(tmp_path, "sport.fit", data).reason == "not a run (swimming)"


def test_fit_first_activity_message_gives_the_timer(tmp_path):
    first = message("activity", timestamp=T0 + 600, total_timer_time=590)
    second = message("activity", timestamp=T0 + 600, total_timer_time=500)
    data = fit(*plain_records(600), first, second)
    assert the_run(result_of(tmp_path, "two.fit", data)) == (START, 1800.0, 590, 600)


def test_fit_with_records_but_no_time_is_skipped(tmp_path):
    # Records whose timestamps are all relative (since power-on).
    data = fit(*[message("record", timestamp=100 + t, distance=t * 3.0) for t in range(10)])
    result = result_of(tmp_path, "relative.fit", data)
    assert (result.status, result.reason) == ("skipped", "no timestamps")


def test_fit_with_a_bad_crc_keeps_what_decoded_and_says_so(tmp_path):
    data = bytearray(fit(*plain_records(600), session()))
    data[-1] ^= 0xFF  # the file's CRC
    result = result_of(tmp_path, "crc.fit", bytes(data))
    assert result.status == "recovered"
    assert result.reason.startswith("bad CRC in FIT file (")
    assert the_run(result) == (START, 1750.0, 580, 600)
    # Nothing decoded before the error: failed, with the same reason.
    hollow = bytearray(fit_file())
    hollow[-1] ^= 0xFF
    failed = result_of(tmp_path, "hollow.fit", bytes(hollow))
    assert failed.status == "failed" and failed.reason.startswith("bad CRC in FIT file (")


def test_fit_with_only_a_session_that_cannot_be_placed_is_skipped(tmp_path):
    result = result_of(tmp_path, "nostart.fit", fit(session(start_time=None)))
    assert (result.status, result.reason) == ("skipped", "no timestamps")
    # A session start but no time and no records: placed, with its distance.
    placed = fit(session(total_timer_time=None, total_elapsed_time=None))
    assert the_run(result_of(tmp_path, "placed.fit", placed)) == (START, 1750.0, None, None)


def test_fit_multisport_leg_from_records_never_takes_the_files_timer(tmp_path):
    # Swim 0-600 s, then a run leg whose summary is absurd (elapsed 300 s <
    # timer 900 s): it is taken from the records of its own span (from a
    # minute before its start, 540-901 s, at 2 m/s), moving time, not the
    # activity's 350 s timer, which belongs to the whole file.
    parts = [*plain_records(1200, speed=2.0)]
    parts.append(session(sport="swimming", total_elapsed_time=600, total_timer_time=600,
                         total_distance=1200))  # fmt: skip
    parts.append(session(start_time=START + timedelta(seconds=600), total_elapsed_time=300,
                         total_timer_time=900, total_distance=None))  # fmt: skip
    parts.append(message("activity", timestamp=T0 + 1200, total_timer_time=350))
    result = result_of(tmp_path, "multi.fit", fit(*parts))
    assert result.not_runs == ("swimming",)
    assert the_run(result) == (START + timedelta(seconds=540), 720.0, 360, 360)


def test_tcx_lap_values_below_zero_are_no_values(tmp_path):
    laps = lap(iso(0), 300, "0.5") + lap(iso(300), 300, "1000") + lap(iso(600), 0, "-0.5")
    assert the_run(result_of(tmp_path, "small.tcx", tcx_file(activity(laps)))) == (
        START, 1000.5, 600, 600,
    )  # fmt: skip


def test_tcx_one_lap_of_no_time_is_skipped(tmp_path):
    result = result_of(tmp_path, "zero.tcx", tcx_file(activity(lap(iso(0), 0, 1000))))
    assert (result.status, result.reason) == ("skipped", "no timestamps")


def test_tcx_courses_outside_activities_are_ignored(tmp_path):
    course = (
        "<Courses><Course><Lap><TotalTimeSeconds>100</TotalTimeSeconds></Lap><Track>"
        + trackpoint(iso(5000), 9999)
        + "</Track></Course></Courses>"
    )
    text = tcx_file(activity(lap(iso(0), 600, 1500))).replace(
        "</Activities>", "</Activities>" + course
    )
    assert the_run(result_of(tmp_path, "course.tcx", text)) == (START, 1500.0, 600, 600)


@pytest.mark.parametrize(("top", "moving"), [(20000, 10), (20001, 0)])
def test_gpx_elevations_up_to_20_km_count(tmp_path, top, moving):
    # A 2.22 m step in 10 s rising 2 m: moving when both elevations count.
    points = [point("0", 0, iso(0), ele=top - 2), point("0.00002", 0, iso(10), ele=top)]
    assert the_run(result_of(tmp_path, "high.gpx", gpx_file("".join(points))))[2] == moving


def test_fit_times_from_0x10000000_are_absolute(tmp_path):
    # 0x0FFFFFFF counts from power-on (ignored); 0x10000000 is 1998-07-04.
    first = 0x10000000
    parts = [message("record", timestamp=first - 1 + t, distance=3.0 * t) for t in range(602)]
    start = datetime(1989, 12, 31, tzinfo=UTC) + timedelta(seconds=first)
    assert the_run(result_of(tmp_path, "old.fit", fit(*parts))) == (start, 1803.0, 600, 600)


def test_fit_records_up_to_a_day_after_now_are_kept(tmp_path):
    latest = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # conftest: now + 1 day
    begin = latest - timedelta(seconds=600)
    t0 = fit_time(begin)
    parts = [message("record", timestamp=t0 + t, distance=3.0 * t) for t in range(0, 601, 10)]
    assert the_run(result_of(tmp_path, "late.fit", fit(*parts))) == (begin, 1800.0, 600, 600)


def test_fit_one_metre_steps_each_second_are_moving(tmp_path):
    parts = [message("record", timestamp=T0 + t, distance=float(t)) for t in range(101)]
    assert the_run(result_of(tmp_path, "walk.fit", fit(*parts))) == (START, 100.0, 100, 100)


def test_fit_session_ending_61_seconds_before_the_records_is_mended(tmp_path):
    session_fields = {"total_timer_time": 4900, "total_elapsed_time": 4900, "total_distance": 14700}
    result = result_of(tmp_path, "late.fit", run_file(START, 4961, session=session_fields))
    assert result.status == "recovered"
    assert result.reason == "the session ends 61 s before the last record; used the records"


def test_fit_session_ending_early_with_an_activity_timer_too_long_says_records_only(tmp_path):
    session_fields = {"total_timer_time": 4035, "total_elapsed_time": 4035}
    data = run_file(START, 4961, session=session_fields, activity={"total_timer_time": 6000})
    result = result_of(tmp_path, "long.fit", data)
    assert result.reason == "the session ends 926 s before the last record; used the records"
    assert the_run(result) == (START, 14883.0, 4961, 4961)


def test_fit_session_without_records_takes_a_timer_longer_than_elapsed_as_elapsed(tmp_path):
    data = fit(session(total_timer_time=602, total_elapsed_time=600))
    assert the_run(result_of(tmp_path, "norec.fit", data)) == (START, 1750.0, 602, 602)


def test_fit_first_leg_rebuilt_from_records_counts_from_zero(tmp_path):
    parts = [*plain_records(1200, speed=2.0)]
    parts.append(session(total_elapsed_time=300, total_timer_time=900, total_distance=None))
    parts.append(session(start_time=START + timedelta(seconds=600), sport="swimming",
                         total_elapsed_time=600, total_timer_time=600))  # fmt: skip
    result = result_of(tmp_path, "first.fit", fit(*parts))
    assert result.not_runs == ("swimming",)
    assert the_run(result) == (START, 600.0, 300, 300)


def test_tcx_trackpoints_out_of_order_start_at_the_earliest_time(tmp_path):
    # A merged or damaged file may list trackpoints out of time order: the
    # run began at the earliest one, and its elapsed time is never negative.
    points = trackpoint(iso(600), 1500) + trackpoint(iso(0), 0) + trackpoint(iso(300), 800)
    text = tcx_file(activity(lap(iso(0), 600, 1500, points)))
    assert the_run(result_of(tmp_path, "order.tcx", text)) == (START, 1500.0, 600, 600)
