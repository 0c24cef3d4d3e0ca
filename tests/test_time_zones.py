"""Records keep their instant: DST changes and TZ changes do not move them."""

from __future__ import annotations

import time

import pytest


def with_zone(monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)
    time.tzset()


def test_a_record_keeps_its_offset_when_tz_changes(rubdown, monkeypatch):
    rubdown("log", "run", "--date", "2026-10-31 23:30", "--distance", "21.1", "--type", "race",
            "--time", "1:45:00")  # fmt: skip
    rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-11-02 12:00")
    in_new_york = rubdown("list", "--json").json()
    report_ny = rubdown("report", "--json", "--until", "2026-11-10").json()["recovery"]
    with_zone(monkeypatch, "Asia/Tokyo")
    assert rubdown("list", "--json").json() == in_new_york
    report_tokyo = rubdown("report", "--json", "--until", "2026-11-10").json()["recovery"]
    assert report_tokyo["efforts"][0]["lag_hours"] == report_ny["efforts"][0]["lag_hours"]


def test_lag_across_the_dst_change_counts_real_hours(rubdown):
    # Race ends Sun 1 Nov 01:15 EDT (-04:00); clocks fall back at 02:00 EDT.
    rubdown("log", "run", "--date", "2026-10-31T23:30:00-04:00", "--time", "1:45:00",
            "--type", "race", "--distance", "21.1")  # fmt: skip
    # Massage Sun 1 Nov 12:15 EST (-05:00): 11 h of wall clock, 12 h elapsed.
    rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--date",
            "2026-11-01 12:15")  # fmt: skip
    [effort] = rubdown("report", "--json").json()["recovery"]["efforts"]
    assert effort["end"] == "2026-11-01T01:15:00-04:00"
    assert effort["lag_hours"] == 12.0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-10-31 12:00", "2026-10-31T12:00:00-04:00"),  # still daylight time
        ("2026-11-01 12:00", "2026-11-01T12:00:00-05:00"),  # standard time
        ("2026-03-08 03:30", "2026-03-08T03:30:00-04:00"),  # just after spring forward
        ("2026-03-08 02:30", "2026-03-08T03:30:00-04:00"),  # in the gap: after it (RFC 5545)
        ("2026-03-08 01:59", "2026-03-08T01:59:00-05:00"),  # just before the gap
        ("2026-11-01 01:30", "2026-11-01T01:30:00-04:00"),  # a repeated hour: the first one
        ("2026-11-01 02:00", "2026-11-01T02:00:00-05:00"),  # just after the repeat
    ],
)
def test_local_times_take_the_offset_of_their_date(rubdown, typed, stored):
    rubdown("log", "run", "--date", typed, "--distance", "5k")
    assert rubdown("list", "--json").json()[0]["start"] == stored


def test_records_logged_in_other_zones_keep_their_instant_everywhere(rubdown, monkeypatch):
    # A race logged on a trip to Tokyo, the massage back home in New York.
    with_zone(monkeypatch, "Asia/Tokyo")
    rubdown("log", "run", "--date", "2026-11-14 07:00", "--distance", "42.2", "--time",
            "3:30:00", "--type", "race")  # fmt: skip
    with_zone(monkeypatch, "America/Los_Angeles")
    rubdown("log", "self-care", "--date", "2026-11-14 18:00", "--type", "stretch", "--minutes",
            "20")  # fmt: skip
    with_zone(monkeypatch, "America/New_York")
    rubdown("log", "massage", "--date", "2026-11-16 09:00", "--type", "sports", "--minutes", "60")
    seen = {}
    for zone in ("America/New_York", "UTC", "Australia/Lord_Howe", "Asia/Kolkata"):
        with_zone(monkeypatch, zone)
        listed = rubdown("list", "--json").json()
        report = rubdown("report", "--json", "--since", "2026-11-09", "--until", "2026-11-22")
        seen[zone] = (listed, report.json()["weeks"], report.json()["recovery"])
    first = seen["America/New_York"]
    assert [r["start"] for r in first[0]] == [
        "2026-11-14T07:00:00+09:00",  # 2026-11-13 22:00 UTC
        "2026-11-14T18:00:00-08:00",
        "2026-11-16T09:00:00-05:00",
    ]
    (effort,) = first[2]["efforts"]
    assert effort["lag_hours"] == 60.5  # ends 14 Nov 01:30Z; massage 16 Nov 14:00Z
    for zone, view in seen.items():
        assert view == first, zone


def test_imported_runs_in_the_repeated_hour_keep_two_instants(rubdown, tmp_path, monkeypatch):
    from datetime import UTC, datetime

    from torture import write_gpx

    # 05:30 and 06:30 UTC on 1 Nov 2026 are both 01:30 in New York.
    write_gpx(tmp_path / "first.gpx", datetime(2026, 11, 1, 5, 30, tzinfo=UTC))
    write_gpx(tmp_path / "second.gpx", datetime(2026, 11, 1, 6, 30, tzinfo=UTC))
    result = rubdown("import", str(tmp_path), "--json")
    assert result.json()["imported"] == 2, result.stdout
    starts = [r["start"] for r in rubdown("list", "--json").json()]
    assert starts == ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00"]
    with_zone(monkeypatch, "Europe/Berlin")
    assert [r["start"] for r in rubdown("list", "--json").json()] == starts
