"""Values as text (``rubdown.formatting``): the parts not already pinned
through the commands that show them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from rubdown.formatting import counted, format_hours, repeated_offset, when_label

EST = timezone(timedelta(hours=-5))


def test_when_label_shows_the_year_unless_it_is_now():
    start = datetime(2025, 3, 7, 7, 5, tzinfo=EST)
    assert when_label(start) == "Fri 7 Mar 2025 07:05"  # no now: the year is shown
    assert when_label(start, datetime(2026, 1, 2, tzinfo=EST)) == "Fri 7 Mar 2025 07:05"
    assert when_label(start, datetime(2025, 12, 31, tzinfo=EST)) == "Fri 7 Mar 07:05"
    noon = start.replace(hour=12, minute=0)
    assert when_label(noon, start) == "Fri 7 Mar"  # a date given alone
    assert when_label(noon, start, with_time=True) == "Fri 7 Mar 12:00"
    assert when_label(start, start, with_time=False) == "Fri 7 Mar"


def test_hours_and_counts():
    assert format_hours(None) == "—"
    assert format_hours(151.26) == "151.3 h"
    assert format_hours(0) == "0.0 h"
    assert counted(1, "massage") == "1 massage"
    assert counted(0, "massage") == "0 massages"
    assert counted(2, "self-care session") == "2 self-care sessions"
    assert counted(3, "entry", "entries") == "3 entries"


def test_no_offset_for_a_time_the_clock_cannot_place():
    # The first instant a datetime can hold: the local zone cannot place it.
    assert repeated_offset(datetime(1, 1, 1, tzinfo=UTC)) == ""
    assert repeated_offset(datetime(2026, 7, 1, 12, 0, tzinfo=EST)) == ""
