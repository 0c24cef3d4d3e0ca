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
    ],
)
def test_local_times_take_the_offset_of_their_date(rubdown, typed, stored):
    rubdown("log", "run", "--date", typed, "--distance", "5k")
    assert rubdown("list", "--json").json()[0]["start"] == stored
