"""Every documented form and limit of the parsers, pinned at its edge.

tests/test_parsing.py shows that each grammar works; this file pins the
values a runner would see at the places a small slip in the code would move
them: each weekday from each weekday, each unit word the parsers accept,
every limit just inside (accepted) and just outside (refused), junk after a
valid value, the windows and cadences ``report`` reads, the pace rule
against each world record, and every reason of the one check of a record's
values (``record_problems``). It was written from the survivors of
``python tools/mutate.py src/rubdown/parsing.py`` (docs/testing.md,
docs/testing-survivors.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

# Every function under test is imported here and only here: if one moves to
# another module, this import is the one line to change.
from rubdown.fields import record_problem, record_problems
from rubdown.formatting import format_cost, format_distance, format_duration, format_pace
from rubdown.parsing import (
    ParseError,
    check_text,
    fastest_seconds,
    pace_problem,
    parse_cost,
    parse_date,
    parse_distance,
    parse_duration,
    parse_hours,
    parse_iso_week,
    parse_name,
    parse_period_days,
    parse_run_type,
    parse_units,
    parse_when,
    read_when,
)

EST = timezone(timedelta(hours=-5))
MILE = 1609.344
# Sunday 29 November 2026, 10:00 in New York, as in conftest's RUBDOWN_NOW.
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=EST)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Monday 23 November 2026 to Sunday 29 November 2026, each at 10:00.
EACH_DAY = [datetime(2026, 11, 23 + i, 10, 0, tzinfo=EST) for i in range(7)]


def refused(parse, text: str) -> str:
    """``parse(text)`` raises ParseError with one line quoting ``text``; the message."""
    with pytest.raises(ParseError) as caught:
        parse(text)
    message = str(caught.value)
    assert "\n" not in message
    assert f"'{text.strip()}'" in message
    return message


def most_recent(name: str, now: datetime) -> date:
    """The latest day before ``now``'s date whose English name is ``name``."""
    for back in range(1, 8):
        day = now.date() - timedelta(days=back)
        if day.strftime("%A").lower() == name:
            return day
    raise AssertionError(name)


# --- weekdays: the most recent such day, today excluded ------------------------------


@pytest.mark.parametrize("now", EACH_DAY, ids=lambda d: d.strftime("%a"))
@pytest.mark.parametrize("name", WEEKDAYS)
def test_each_weekday_from_each_weekday(name, now):
    expected = most_recent(name, now)
    for spelling in (name, name[:3], name[:4], name.upper(), name[:3].title()):
        when = parse_when(spelling, now=now)
        assert when == datetime.combine(expected, datetime.min.time()).replace(
            hour=12, tzinfo=EST
        ), spelling
        assert parse_date(spelling, now=now) == expected
    assert parse_when(f"{name[:3]} 07:30", now=now).time().isoformat() == "07:30:00"
    assert parse_when(f"{name} at 18:05", now=now).date() == expected


@pytest.mark.parametrize("text", ["mo", "fr", "mondays", "satur day", "sat.", "sat!"])
def test_weekday_spellings_that_are_not_a_prefix_of_three_letters_are_refused(text):
    refused(lambda t: parse_when(t, now=NOW), text)


@pytest.mark.parametrize("now", EACH_DAY, ids=lambda d: d.strftime("%a"))
def test_log_date_weekday_through_the_cli(rubdown, monkeypatch, now):
    monkeypatch.setenv("RUBDOWN_NOW", now.isoformat())
    for name in WEEKDAYS:
        result = rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--date", name)
        assert result.exit_code == 0, result.stderr
        assert most_recent(name, now).strftime("%a %-d %b") in result.stderr
    starts = [record["start"] for record in rubdown("list", "--json").json()]
    assert sorted(starts) == sorted(
        f"{most_recent(name, now).isoformat()}T12:00:00-05:00" for name in WEEKDAYS
    )


# --- relative days and hours ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [("2d ago", 2), ("2 day ago", 2), ("2 days ago", 2), ("2days ago", 2),
     ("1w ago", 7), ("1 wk ago", 7), ("2 wks ago", 14), ("1 week ago", 7), ("3 weeks ago", 21)],
)  # fmt: skip
def test_each_word_for_days_and_weeks_ago(text, days):
    assert parse_date(text, now=NOW) == date(2026, 11, 29) - timedelta(days=days)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("2h ago", 120), ("2 hr ago", 120), ("2 hrs ago", 120), ("1 hour ago", 60),
     ("2 hours ago", 120), ("5m ago", 5), ("5 min ago", 5), ("5 mins ago", 5),
     ("1 minute ago", 1), ("45 minutes ago", 45), ("0h ago", 0)],
)  # fmt: skip
def test_each_word_for_hours_and_minutes_ago(text, minutes):
    assert parse_when(text, now=NOW) == NOW - timedelta(minutes=minutes)


# --- dates: the limits of each field ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1900-01-01", date(1900, 1, 1)), ("2100-12-31", date(2100, 12, 31)),
     ("2028-02-29", date(2028, 2, 29))],
)  # fmt: skip
def test_parse_date_accepts_the_years_1900_to_2100(text, expected):
    assert parse_date(text, now=NOW) == expected


@pytest.mark.parametrize("text", ["1899-12-31", "2101-01-01", "2027-02-29", "2026-11-31"])
def test_parse_date_refuses_outside_1900_to_2100_and_days_that_do_not_exist(text):
    refused(lambda t: parse_date(t, now=NOW), text)


@pytest.mark.parametrize(
    "text", ["1900-01-01T00:00Z", "2100-12-31T23:59+14:00", "1900-01-01 00:00:00-05:00"]
)
def test_dates_with_an_offset_accept_the_years_1900_to_2100(text):
    assert parse_date(text, now=NOW).year in (1900, 2100)


@pytest.mark.parametrize(
    "text", ["1899-12-31T23:59Z", "2101-01-01T00:00+00:00", "1899-12-31 12:00-05:00"]
)
def test_dates_with_an_offset_outside_1900_to_2100_are_refused(text):
    assert "1900 to 2100" in refused(lambda t: parse_date(t, now=NOW), text)


def test_days_and_hours_ago_stay_within_1900_to_2100():
    assert parse_date("45000d ago", now=NOW) == date(2026, 11, 29) - timedelta(days=45000)
    assert parse_date("6000w ago", now=NOW) == date(2026, 11, 29) - timedelta(weeks=6000)
    for text in ("50000d ago", "9000w ago"):
        assert "1900 to 2100" in refused(lambda t: parse_date(t, now=NOW), text)
    in_1950 = datetime(1950, 6, 1, 12, 0, tzinfo=EST)
    assert parse_when("400000h ago", now=in_1950).year == 1904
    assert "1900 to 2100" in refused(lambda t: parse_when(t, now=in_1950), "999999h ago")


@pytest.mark.parametrize(
    ("text", "clock"),
    [("00:00", (0, 0, 0)), ("23:59", (23, 59, 0)), ("07:59:59", (7, 59, 59)),
     ("2026-11-21 23:59:59", (23, 59, 59)), ("yesterday 00:00", (0, 0, 0))],
)  # fmt: skip
def test_times_of_day_up_to_23_59_59(text, clock):
    when = parse_when(text, now=NOW)
    assert (when.hour, when.minute, when.second) == clock


@pytest.mark.parametrize(
    "text", ["24:00", "23:60", "07:30:60", "2026-11-21 24:00", "2026-11-21 07:60", "sat 23:60"]
)
def test_times_of_day_past_the_limits_are_refused(text):
    message = refused(lambda t: parse_when(t, now=NOW), text)
    assert message.endswith("use HH:MM from 00:00 to 23:59")


@pytest.mark.parametrize(
    ("offset", "delta"),
    [("+23:59", timedelta(hours=23, minutes=59)), ("-23:59", -timedelta(hours=23, minutes=59)),
     ("+00:00", timedelta(0)), ("-0530", -timedelta(hours=5, minutes=30)),
     ("+02", timedelta(hours=2))],
)  # fmt: skip
def test_utc_offsets_up_to_23_59_either_way(offset, delta):
    when = parse_when(f"2026-11-21T07:30{offset}", now=NOW)
    assert when.utcoffset() == delta
    assert (when.hour, when.minute) == (7, 30)


@pytest.mark.parametrize("offset", ["+24:00", "-24:00", "+23:60", "-05:61"])
def test_utc_offsets_past_the_limits_are_refused(offset):
    message = refused(lambda t: parse_when(t, now=NOW), f"2026-11-21T07:30{offset}")
    assert "UTC offset" in message


def test_up_to_24_hours_ahead_is_accepted_and_no_more():
    assert parse_when("2026-11-30 10:00", now=NOW) == NOW + timedelta(hours=24)
    assert parse_when("2026-11-30T10:00:00-05:00", now=NOW) == NOW + timedelta(hours=24)
    for text in ("2026-11-30 10:00:01", "2026-11-30T15:00:01Z"):
        assert "in the future" in refused(lambda t: parse_when(t, now=NOW), text)


def test_fractions_of_a_second_are_kept():
    assert parse_when("2026-11-21T07:30:15.5", now=NOW).microsecond == 500_000
    assert parse_when("2026-11-21T07:30:15.000001Z", now=NOW).microsecond == 1


@pytest.mark.parametrize(
    "text", ["2026-11-21x", "2026-11-21 07:30!", "today!", "yesterday 07:30 pm", "3d ago!",
             "3h ago.", "07:30 x", "sat 07:30 please"]
)  # fmt: skip
def test_junk_after_a_date_is_refused(text):
    refused(lambda t: parse_when(t, now=NOW), text)


# --- distances --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "metres"),
    [("k", 1000), ("km", 1000), ("kms", 1000), ("kilometre", 1000), ("kilometres", 1000),
     ("kilometer", 1000), ("kilometers", 1000), ("mi", MILE), ("mile", MILE), ("miles", MILE),
     ("m", 1), ("metre", 1), ("metres", 1), ("meter", 1), ("meters", 1)],
)  # fmt: skip
def test_each_distance_unit_word(word, metres):
    for text in (f"200{word}", f"200 {word}", f"200 {word.upper()}"):
        for bare in ("km", "mi"):
            assert parse_distance(text, unit=bare) == pytest.approx(200 * metres), text


def test_a_bare_distance_is_in_the_configured_unit():
    assert parse_distance("2", unit="km") == 2000
    assert parse_distance("2", unit="mi") == pytest.approx(2 * MILE)


@pytest.mark.parametrize(
    ("text", "metres"),
    [("1000km", 1_000_000), ("1000000m", 1_000_000), ("621.371mi", 621.371 * MILE),
     ("0.1", 100), ("100m", 100), ("10,55", 10550), ("10,5000", 10500)],
)  # fmt: skip
def test_distances_just_inside_the_limits(text, metres):
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize(
    ("text", "why"),
    [("1000.001km", "at most 1000 km"), ("1000001m", "at most 1000 km"),
     ("621.372mi", "at most 1000 km"), ("0m", "more than 0"), ("-0.001", "more than 0"),
     ("10,500", "Ambiguous"), ("99.9m", "less than the 100 m"),
     ("0.0999", "less than the 100 m")],
)  # fmt: skip
def test_distances_just_outside_the_limits(text, why):
    assert why in refused(parse_distance, text)


@pytest.mark.parametrize(
    "text", ["10km!", "10 km x", "10kmh", "10 km.", "5k run", "marathon!", "~10km", "10km 5"]
)
def test_junk_around_a_distance_is_refused(text):
    refused(parse_distance, text)


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "seconds"),
    [("h", 3600), ("hr", 3600), ("hrs", 3600), ("hour", 3600), ("hours", 3600),
     ("m", 60), ("min", 60), ("mins", 60), ("minute", 60), ("minutes", 60),
     ("s", 1), ("sec", 1), ("secs", 1), ("second", 1), ("seconds", 1)],
)  # fmt: skip
def test_each_duration_unit_word(word, seconds):
    for text in (f"2{word}", f"2 {word}", f"2{word.upper()}"):
        assert parse_duration(text) == 2 * seconds, text


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1 hr 5 mins 3 secs", 3903), ("2 hours 1 second", 7201), ("1h 5", 3900),
     ("1m 5", 65), ("2h 30m 15", 9015)],
)  # fmt: skip
def test_unit_words_combine_largest_first(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["5s 1", "1m 1h", "30s 1m", "1 5", "1h 1hr"])
def test_units_out_of_order_are_refused(text):
    refused(parse_duration, text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("1s", 1), ("0:01", 1), ("100h", 360_000), ("100:00:00", 360_000),
     ("99:59:59", 359_999), ("360000s", 360_000), ("6000", 360_000), ("6000m", 360_000),
     ("59:59", 3599), ("0:59:59", 3599), ("1:00", 60)],
)  # fmt: skip
def test_durations_just_inside_1_second_to_100_hours(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "why"),
    [("0.4s", "whole seconds"), ("0.6s", "whole seconds"), ("0s", "more than 0"),
     ("100:00:01", "at most 100 hours"),
     ("360001s", "at most 100 hours"), ("6000.1", "at most 100 hours"),
     ("100h 1s", "at most 100 hours"), ("1:60", "00 to 59"), ("1:00:60", "00 to 59"),
     ("1:60:00", "00 to 59"), ("-1h", "more than 0"), ("- 45m", "more than 0")],
)  # fmt: skip
def test_durations_just_outside_the_limits(text, why):
    assert why in refused(parse_duration, text)


@pytest.mark.parametrize(
    "text", ["45m!", "45m.", "45 m x", "45mx", "1:30:00!", "1:30 pm", "90!", "1h35m?", "~45m",
             "1h35m 10 5"]
)  # fmt: skip
def test_junk_around_a_duration_is_refused(text):
    refused(parse_duration, text)


def test_a_comma_before_three_digits_is_ambiguous_in_a_duration():
    assert "Ambiguous" in refused(parse_duration, "1,500h")
    assert parse_duration("1,50h") == 5400


# --- the follow-up window (--within) --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hours"),
    [("72", 72), ("1", 1), ("1440", 1440), ("48h", 48), ("48 hr", 48), ("48hrs", 48),
     ("1 hour", 1), ("36.5 hours", 36.5), ("1.001", 1.001), ("3d", 72), ("1 day", 24),
     ("2 days", 48), ("60d", 1440), ("0.5d", 12), (" 72H ", 72)],
)  # fmt: skip
def test_parse_hours_accepts_1_to_1440_hours(text, hours):
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    "text", ["0", "0.999", "1440.001", "61d", "60.1d", "-1", "72m", "72 minutes", "72h!", "1.0001",
             "3 weeks", ""]
)  # fmt: skip
def test_parse_hours_refuses_outside_1_to_1440(text):
    assert "hours from 1 to 1440" in refused(parse_hours, text)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize(
    ("text", "hours"), [("48h", 48.0), ("3d", 72.0), ("1", 1.0), ("1440", 1440.0), ("36.5", 36.5)]
)
def test_within_sets_the_window_the_report_shows(rubdown, fast, text, hours):
    result = rubdown("report", "--json", "--within", text, fast=fast)
    assert result.exit_code == 0, result.stderr
    assert result.json()["window_hours"] == hours


def test_the_window_defaults_to_72_hours(rubdown):
    assert rubdown("report", "--json").json()["window_hours"] == 72


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
@pytest.mark.parametrize("text", ["0", "1441", "61d", "72m"])
def test_within_outside_1_to_1440_is_a_usage_error(rubdown, db_file, fast, text):
    result = rubdown("report", "--within", text, fast=fast)
    assert result.exit_code == 2
    assert f"'{text}'" in result.stderr and "1 to 1440" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db_file.exists()


# --- the massage cadence (--every) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [("1d", 1), ("1 day", 1), ("3 days", 3), ("1w", 7), ("1 wk", 7), ("2 wks", 14),
     ("1 week", 7), ("52 weeks", 364), ("1mo", 30), ("1 month", 30), ("12 months", 360),
     ("366d", 366), ("daily", 1), ("weekly", 7), ("biweekly", 14), ("Bi-Weekly", 14),
     ("fortnightly", 14), ("monthly", 30), (" MONTHLY ", 30)],
)  # fmt: skip
def test_parse_period_days_each_word_and_the_limits(text, days):
    assert parse_period_days(text) == days


@pytest.mark.parametrize(
    "text", ["0d", "367d", "53 weeks", "13mo", "7d!", "7 x", "1 fortnight", "yearly"]
)
def test_parse_period_days_refuses_outside_1_to_366_days(text):
    assert "1 to 366 days" in refused(parse_period_days, text)


@pytest.mark.parametrize(
    ("text", "hint"),
    [("14", "14d or 14w"), ("1", "1d or 1w"), ("366", "e.g. 366d:"), ("0", "1 to 366 days"),
     ("367", "1 to 366 days")],
)  # fmt: skip
def test_a_bare_number_is_no_cadence_and_the_hint_is_one_that_works(text, hint):
    assert hint in refused(parse_period_days, text) + ":"


@pytest.mark.parametrize(
    ("text", "days"), [("1d", 1), ("daily", 1), ("1w", 7), ("monthly", 30), ("366d", 366)]
)
def test_every_sets_the_cadence_the_report_shows(rubdown, text, days):
    result = rubdown("report", "--json", "--every", text)
    assert result.exit_code == 0, result.stderr
    assert result.json()["regularity"]["every_days"] == days


# --- ISO weeks, units, names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [("2026-W47", "2026-W47"), ("2026-w47", "2026-W47"), ("2026W47", "2026-W47"),
     ("2026-W1", "2026-W01"), ("2026-W53", "2026-W53"), ("1900-W01", "1900-W01"),
     ("2100-W52", "2100-W52")],
)  # fmt: skip
def test_parse_iso_week_accepts(text, label):
    assert parse_iso_week(text) == label


@pytest.mark.parametrize(
    "text", ["2026-W00", "2026-W54", "2027-W53", "1899-W52", "2101-W01", "2026-W47!", "W47"]
)
def test_parse_iso_week_refuses(text):
    refused(parse_iso_week, text)


def test_report_week_shows_that_weeks_monday_to_sunday(rubdown):
    period = rubdown("report", "--json", "--week", "2026-w47").json()["period"]
    assert (period["since"], period["until"]) == ("2026-11-16", "2026-11-22")


@pytest.mark.parametrize(
    ("text", "unit"),
    [("km", "km"), ("k", "km"), ("kms", "km"), ("kilometre", "km"), ("kilometres", "km"),
     ("kilometer", "km"), ("kilometers", "km"), ("metric", "km"), (" KM ", "km"),
     ("mi", "mi"), ("mile", "mi"), ("miles", "mi"), ("imperial", "mi"), ("Miles", "mi")],
)  # fmt: skip
def test_parse_units_each_word(text, unit):
    assert parse_units(text) == unit


def test_parse_name_keeps_up_to_200_characters():
    assert parse_name("  Ragnar  Relay ") == "Ragnar  Relay"
    assert parse_name("n" * 200) == "n" * 200
    with pytest.raises(ParseError, match=r"\(201 characters\); the limit is 200"):
        parse_name("n" * 201)
    with pytest.raises(ParseError, match="cannot be empty"):
        parse_name("   ")


# --- what an error message shows of the value ------------------------------------------------


def test_a_bad_value_is_echoed_whole_up_to_40_characters():
    value = "x" * 40
    assert f"'{value}'" in refused(parse_run_type, value)
    with pytest.raises(ParseError) as caught:
        parse_run_type("y" * 41)
    assert f"'{'y' * 40}…'" in str(caught.value)


def test_a_bad_value_is_echoed_without_its_surrounding_spaces():
    message = refused(parse_run_type, "  sprint  ")
    assert "'sprint'" in message


def test_a_close_type_is_suggested_from_two_letters():
    assert "Did you mean 'tempo'?" in refused(parse_run_type, "te")
    assert "Did you mean" not in refused(parse_run_type, "t")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x7fb", "'a\\x7fb'"),
        ("a\uffffb", "'a\\uffffb'"),
        ("a\u200bb", "'a\\u200bb'"),
        ("a\U000e0001b", "'a\\U000e0001b'"),
    ],
)
def test_invisible_characters_are_shown_as_escapes(text, shown):
    with pytest.raises(ParseError) as caught:
        parse_run_type(text)
    assert shown in str(caught.value)


# --- values shown back -------------------------------------------------------------------------


def test_a_free_session_costs_0_00():
    assert parse_cost("0") == 0
    assert format_cost(0) == "0.00"


@pytest.mark.parametrize("text", ["-1", "-0.01", "-1000000"])
def test_a_cost_below_0_is_refused(text):
    assert "cannot be negative" in refused(parse_cost, text)


def test_durations_under_a_minute_show_0_minutes():
    assert format_duration(0) == "0:00"
    assert format_duration(59) == "0:59"


@pytest.mark.parametrize(
    ("metres", "shown"),
    [(9960, "9.96 km"), (9994, "9.99 km"), (9996, "10.0 km"), (10_000, "10.0 km")],
)
def test_distances_show_two_decimals_below_ten_units_after_rounding(metres, shown):
    assert format_distance(metres) == shown


# --- the pace rule: 10% beyond the world record for the distance ---------------------------

# The men's world records the rule is measured against (distance in metres,
# time in seconds), as World Athletics lists them: 100 m 9.58, 200 m 19.19,
# 400 m 43.03, 800 m 1:40.91, 1000 m 2:11.96, 1500 m 3:26.00, the mile
# 3:43.13, 3000 m 7:17.55, 5000 m 12:35.36, 10,000 m 26:11.00, the half
# marathon 56:42, the marathon 2:00:35, 100 km 6:05:41, 24 hours 319.614 km,
# 6 days 1,036.8 km.
RECORDS = [
    (100, 9.58), (200, 19.19), (400, 43.03), (800, 100.91), (1000, 131.96),
    (1500, 206.0), (1609.344, 223.13), (3000, 437.55), (5000, 755.36),
    (10000, 1571.0), (21097.5, 3402.0), (42195, 7235.0), (100_000, 21941.0),
    (319_614, 86400.0), (1_036_800, 518_400.0),
]  # fmt: skip


@pytest.mark.parametrize(("metres", "seconds"), RECORDS)
def test_the_fastest_time_accepted_is_the_record_less_ten_percent(metres, seconds):
    assert fastest_seconds(metres) == pytest.approx(seconds / 1.1, abs=1e-9)
    limit = seconds / 1.1
    assert pace_problem(metres, limit + 0.01) is None
    problem = pace_problem(metres, limit - 0.01)
    assert problem is not None and "beats the world record" in problem


def test_between_records_the_limit_follows_the_records_on_log_log_axes():
    import math

    for (d0, t0), (d1, t1) in zip(RECORDS, RECORDS[1:], strict=False):
        middle = math.sqrt(d0 * d1)  # halfway on a log axis
        assert fastest_seconds(middle) == pytest.approx(math.sqrt(t0 * t1) / 1.1, rel=1e-12)
    # Beyond the first and the last record, the record's pace is held.
    assert fastest_seconds(50) == pytest.approx(9.58 / 2 / 1.1)
    assert fastest_seconds(2_073_600) == pytest.approx(518_400.0 * 2 / 1.1)


def test_slower_than_one_km_an_hour_is_refused():
    assert pace_problem(1000, 3600) is None
    assert "slower than 1 km an hour" in (pace_problem(1000, 3601) or "")
    assert pace_problem(5000, 5 * 3600) is None
    assert pace_problem(5000, 5 * 3600 + 1) is not None


# --- text that cannot be printed as it is -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        # Bytes that were not UTF-8 (kept by Python as U+DC80 to U+DCFF) are shown as the byte.
        ("caf\udce9", "'caf\\xe9'"),
        ("a\udc80b", "'a\\x80b'"),
        ("a\udcffb", "'a\\xffb'"),
        # Lone surrogates just outside that range are not bytes: shown as code points.
        ("a\udc7fb", "'a\\udc7fb'"),
        ("a\udd00b", "'a\\udd00b'"),
    ],
)
def test_text_that_is_not_utf8_is_refused_and_shown_escaped(text, shown):
    with pytest.raises(ParseError) as caught:
        check_text(text)
    assert str(caught.value) == (
        f"Invalid text {shown}: it is not valid UTF-8; "
        "check the encoding of your terminal or script"
    )


@pytest.mark.parametrize(("text", "shown"), [("a\x9fb", "'a\\x9fb'"), ("a\xadb", "'a\\xadb'")])
def test_invisible_latin1_characters_are_shown_as_bytes(text, shown):
    with pytest.raises(ParseError) as caught:
        parse_run_type(text)
    assert shown in str(caught.value)


# --- instants relative to now are to the minute -------------------------------------------------

# 10:00:42.5 on the same Sunday: seconds and a fraction past the minute.
NOW_SECONDS = NOW.replace(second=42, microsecond=500_000)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("now", "10:00:00"), ("3h ago", "07:00:00"), ("90m ago", "08:30:00"), ("today", "10:00:00")],
)
def test_relative_instants_drop_the_seconds_of_now(text, expected):
    when = parse_when(text, now=NOW_SECONDS)
    assert (when.date(), when.time().isoformat()) == (NOW.date(), expected)
    assert when.utcoffset() == timedelta(hours=-5)


def test_a_date_alone_is_noon_or_now_when_noon_has_not_come():
    assert read_when("today", now=NOW).timed is False
    assert parse_when("today", now=NOW.replace(hour=13)).hour == 12
    at_noon = NOW.replace(hour=12)
    assert parse_when("today", now=at_noon) == at_noon
    assert parse_when("yesterday", now=NOW).isoformat() == "2026-11-28T12:00:00-05:00"
    assert read_when("today 07:00", now=NOW).timed is True
    assert read_when("2026-11-20", now=NOW).timed is False
    assert read_when("2026-11-20 07:00", now=NOW).timed is True


# --- paces shown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("metres", "seconds", "unit", "shown"),
    [
        (10_000, 3000, "km", "5:00/km"),
        (MILE, 420, "mi", "7:00/mi"),
        (10_000, 3000, "mi", "8:03/mi"),
        (1, 1, "km", "16:40/km"),
        (1, 600, "km", "166:40:00/km"),
        (1000, 1, "km", "0:01/km"),
    ],
)
def test_a_pace_is_the_time_per_unit(metres, seconds, unit, shown):
    assert format_pace(metres, seconds, unit) == shown


@pytest.mark.parametrize(("metres", "seconds"), [(None, 600), (5000, None), (0, 600), (5000, 0)])
def test_a_pace_without_a_distance_or_a_time_is_a_dash(metres, seconds):
    assert format_pace(metres, seconds) == "-/km"
    assert format_pace(metres, seconds, "mi") == "-/mi"


# --- the one check of a record's values, whatever path it came by ---------------------------------


def problems(kind: str, **fields) -> list[tuple[str, str]]:
    return record_problems(kind, fields, now=NOW)


@pytest.mark.parametrize(
    ("kind", "field", "low", "high", "what"),
    [
        ("run", "duration_s", 1, 360_000, " seconds (100 hours)"),
        ("run", "rpe", 0, 10, ""),
        ("run", "leg", 1, 99, ""),
        ("massage", "minutes", 1, 1440, ""),
        ("self-care", "minutes", 1, 1440, ""),
    ],
)
def test_whole_number_fields_at_and_past_their_limits(kind, field, low, high, what):
    assert problems(kind, **{field: low}) == []
    assert problems(kind, **{field: high}) == []
    for value in (low - 1, high + 1):
        assert problems(kind, **{field: value}) == [
            (field, f"{field} {value} is outside {low} to {high}{what}")
        ]
    for value in (5.0, True, "5"):
        assert problems(kind, **{field: value}) == [
            (field, f"{field} {value!r} is not a whole number")
        ]
    assert problems(kind, **{field: None}) == []


def test_a_value_is_shown_whole_up_to_40_characters():
    assert problems("run", rpe="x" * 38) == [("rpe", f"rpe '{'x' * 38}' is not a whole number")]
    assert problems("run", rpe="x" * 39) == [("rpe", f"rpe '{'x' * 38}… is not a whole number")]


@pytest.mark.parametrize("field", ["note", "source"])
def test_note_and_source_may_be_blank_and_must_be_text(field):
    assert problems("run", **{field: "   "}) == []
    assert problems("massage", **{field: ""}) == []
    assert problems("run", **{field: 5}) == [(field, f"{field} must be text, not int")]
    assert problems("run", **{field: "a\ud800"}) == [
        (field, f"{field} is not valid Unicode text (it holds a lone surrogate)")
    ]


@pytest.mark.parametrize(("kind", "field"), [("run", "event"), ("massage", "therapist")])
def test_names_are_text_up_to_200_characters_and_not_blank(kind, field):
    assert problems(kind, **{field: "n" * 200}) == []
    assert problems(kind, **{field: "n" * 201}) == [
        (field, f"{field} is too long (201 characters); the limit is 200")
    ]
    assert problems(kind, **{field: " \t"}) == [(field, f"{field} cannot be empty")]
    assert problems(kind, **{field: ["Ana"]}) == [(field, f"{field} must be text, not list")]


def test_names_of_another_kind_are_not_checked():
    # A self-care session has neither an event nor a therapist nor a cost.
    assert problems("self-care", event="", therapist="", cost_cents=-1, focus="x") == []
    assert problems("run", therapist="", cost_cents=-1, focus="x", minutes=0) == []
    assert problems("massage", event="", rpe=11, leg=0, distance_m=-1, duration_s=0) == []


@pytest.mark.parametrize(
    ("distance", "accepted"),
    [(100.0, True), (1_000_000.0, True), (5000, True), (0.001, True), (0.0, False),
     (-1.0, False), (1_000_000.001, False), (float("inf"), False), (float("nan"), False),
     (True, False), ("5000", False), (None, True)],
)  # fmt: skip
def test_a_run_distance_is_a_number_of_metres_up_to_1000_km(distance, accepted):
    expected = (
        [] if accepted else [("distance_m", f"distance_m {distance!r} is outside 0 to 1000 km")]
    )
    assert problems("run", distance_m=distance) == expected


def test_the_pace_is_checked_only_when_both_values_pass():
    too_fast = problems("run", distance_m=5000.0, duration_s=45)
    assert too_fast == [("distance_m,duration_s", too_fast[0][1])]
    assert "beats the world record" in too_fast[0][1]
    assert problems("run", distance_m=5000.0, duration_s=45, rpe=11) == [
        ("distance_m,duration_s", too_fast[0][1]),
        ("rpe", "rpe 11 is outside 0 to 10"),
    ]
    # A value already refused is reported alone, not the pace it makes.
    assert problems("run", distance_m=5000.0, duration_s=0) == [
        ("duration_s", "duration_s 0 is outside 1 to 360000 seconds (100 hours)")
    ]
    assert problems("run", note=5, distance_m=5000.0, duration_s=45) == [
        ("note", "note must be text, not int")
    ]


@pytest.mark.parametrize(
    ("kind", "value", "reason"),
    [("run", "sprint", "run type 'sprint' is not one of easy, long, tempo, intervals, race, relay"),
     ("massage", "Thai", "massage type 'Thai' is not one of swedish, deep-tissue, hot-stone, "
      "thai, sports"),
     ("self-care", "easy", "self-care type 'easy' is not one of foam-roll, stretch, yoga, other")],
)  # fmt: skip
def test_a_type_must_be_one_of_its_kind(kind, value, reason):
    assert problems(kind, type=value) == [("type", reason)]


def test_each_kind_accepts_its_own_types():
    for kind, value in (("run", "relay"), ("massage", "sports"), ("self-care", "other")):
        assert problems(kind, type=value) == []


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        (datetime(2026, 11, 20, 7, 0), "start datetime.datetime(2026, 11, 20, 7, 0) is not a"),
        ("2026-11-20T07:00:00-05:00", "start '2026-11-20T07:00:00-05:00' is not a"),
        (datetime(1899, 12, 31, 23, 59, tzinfo=UTC), "start 1899-12-31T23:59:00+00:00 is before"),
        (NOW + timedelta(days=1, seconds=1), "start 2026-11-30T10:00:01-05:00 is in the future"),
    ],
)
def test_a_start_is_an_aware_time_from_1900_to_a_day_ahead(start, reason):
    ((field, message),) = problems("run", start=start)
    assert field == "start" and message.startswith(reason)
    for good in (datetime(1900, 1, 1, tzinfo=UTC), NOW, NOW + timedelta(days=1)):
        assert problems("run", start=good) == []


def test_a_start_is_bounded_by_the_now_given_or_the_clock():
    later = NOW + timedelta(days=30)
    assert record_problems("run", {"start": later - timedelta(days=1)}, now=later) == []
    # No now given: the clock (RUBDOWN_NOW, 29 November 2026 10:00 in New York).
    (problem,) = record_problems("run", {"start": NOW + timedelta(days=1, minutes=1)})
    assert problem[1].startswith("start 2026-11-30T10:01:00-05:00 is in the future")
    assert record_problems("run", {"start": NOW + timedelta(days=1)}) == []


@pytest.mark.parametrize(
    ("cents", "reason"),
    [(0, None), (100_000_000, None), (8550, None), (None, None),
     (-1, "cost is outside 0 to 1,000,000"), (100_000_001, "cost is outside 0 to 1,000,000"),
     (8555.5, "cost 85.555 has a fraction of a cent; at most 2 decimals are accepted"),
     (8550.0, "cost 85.5 has a fraction of a cent; at most 2 decimals are accepted"),
     ("85", "cost '85' has a fraction of a cent; at most 2 decimals are accepted")],
)  # fmt: skip
def test_a_cost_is_whole_cents_from_0_to_1000000(cents, reason):
    expected = [] if reason is None else [("cost_cents", reason)]
    assert problems("massage", cost_cents=cents) == expected


@pytest.mark.parametrize(
    ("focus", "reason"),
    [([], None), (None, None), ((), None), (["calves"] * 20, None), (["f" * 40], None),
     ("calves", "focus must be a list of text"), ([1], "focus must be a list of text"),
     (["calves"] * 21, "too many focus areas (21); the limit is 20"),
     (["f" * 41], f"focus area '{'f' * 40}…' is empty or over 40 characters"),
     ([" "], "focus area '' is empty or over 40 characters"),
     (["ok", "a\ud800"], "a focus area is not valid Unicode text")],
)  # fmt: skip
def test_focus_areas_are_up_to_20_texts_of_up_to_40_characters(focus, reason):
    expected = [] if reason is None else [("focus", reason)]
    assert problems("massage", focus=focus) == expected


def test_every_problem_is_listed_and_the_first_is_the_one_told():
    fields = {"start": datetime(1800, 1, 1, tzinfo=UTC), "type": "x", "note": 1, "rpe": 11}
    listed = record_problems("run", fields, now=NOW)
    assert [field for field, _ in listed] == ["start", "type", "note", "rpe"]
    assert record_problem("run", fields, now=NOW) == listed[0][1]
    assert record_problem("run", fields, now=NOW, only={"rpe", "leg"}) == listed[3][1]
    assert record_problem("run", fields, now=NOW, only={"leg"}) is None
    assert record_problem("run", {"rpe": 5}, now=NOW) is None


def test_a_pace_problem_counts_for_each_of_its_two_fields():
    fields = {"distance_m": 5000.0, "duration_s": 45}
    for only in ({"distance_m"}, {"duration_s"}, None):
        assert "beats the world record" in (record_problem("run", fields, now=NOW, only=only) or "")
    assert record_problem("run", fields, now=NOW, only={"rpe"}) is None


# --- clocks without a zone, values near 0, the metres of a short run, signs shown ---------


def test_a_clock_without_a_zone_is_local_time():
    # 03:00 on the night clocks went back (01:00 came twice): three hours
    # earlier is 01:00 in summer time, not the wall clock's 00:00.
    naive = datetime(2026, 11, 1, 3, 0)
    assert parse_when("3h ago", now=naive).isoformat() == "2026-11-01T01:00:00-04:00"
    assert parse_when("now", now=naive).isoformat() == "2026-11-01T03:00:00-05:00"
    assert parse_when("today", now=naive).isoformat() == "2026-11-01T03:00:00-05:00"
    assert parse_date("yesterday", now=naive) == date(2026, 10, 31)


def test_a_clock_before_the_calendar_can_count_back_is_a_one_line_error():
    early = datetime(100, 1, 1, tzinfo=UTC)
    message = refused(lambda t: parse_when(t, now=early), "999999h ago")
    assert message.startswith("Invalid date '999999h ago': use 2026-11-21")


def test_a_distance_up_to_1_m_is_too_short_not_zero():
    for text in ("1m", "0.5m"):
        assert "m is less than the 100 m a run needs" in refused(parse_distance, text)
    assert "it must be more than 0" in refused(parse_distance, "0m")


@pytest.mark.parametrize("text", ["0.000001s", "45.0000015s", "1.0000015s"])
def test_a_millionth_of_a_second_is_a_fraction_of_a_second(text):
    assert "use whole seconds" in refused(parse_duration, text)


def test_a_bare_period_is_read_as_weeks_only_up_to_366_days():
    assert "e.g. 52d or 52w:" in refused(parse_period_days, "52") + ":"
    assert "e.g. 53d:" in refused(parse_period_days, "53") + ":"


def test_a_cost_with_a_comma_before_three_digits_is_ambiguous():
    message = refused(parse_cost, "1,234")
    assert message == (
        "Ambiguous cost '1,234': write 1234 or 1,234.00 (a comma alone is read as a decimal point)"
    )
    assert parse_cost("1,234.00") == 123_400
    assert parse_cost("12,34") == 1234


def test_minus_zero_is_a_free_session():
    assert parse_cost("-0") == 0
    assert parse_cost("-0.00") == 0


def test_a_source_of_up_to_2000_characters_is_kept():
    assert problems("run", source="s" * 2000) == []
    assert problems("run", source="s" * 2001) == [
        ("source", "source is too long (2001 characters); the limit is 2000")
    ]


@pytest.mark.parametrize(("metres", "seconds"), RECORDS)
def test_exactly_the_fastest_time_is_accepted(metres, seconds):
    assert pace_problem(metres, fastest_seconds(metres)) is None


@pytest.mark.parametrize(
    ("metres", "seconds", "problem"),
    [
        (1, 10, "1 m in 0:10 (2:46:40/km) is slower than 1 km an hour, slower than any walk"),
        (100, 1, "100 m in 0:01 (0:10/km) beats the world record for 100 m by more than 10%: "
         "at least 0:09 is accepted"),
        (999, 3600, "999 m in 1:00:00 (1:00:04/km) is slower than 1 km an hour"),
        (1000, 3601, "1.00 km in 1:00:01 (1:00:01/km) is slower than 1 km an hour"),
    ],
)  # fmt: skip
def test_a_short_run_is_shown_in_metres_below_1_km(metres, seconds, problem):
    assert (pace_problem(metres, seconds) or "").startswith(problem)
    fields = {"distance_m": float(metres), "duration_s": seconds}
    assert record_problem("run", fields, now=NOW) == pace_problem(metres, seconds)


def test_a_pace_of_a_negative_value_is_not_checked():
    assert pace_problem(5000, -0.5) is None
    assert pace_problem(-0.5, 1500) is None


def test_an_imported_run_at_an_impossible_pace_is_refused_with_its_reason(rubdown, tmp_path):
    import json

    path = tmp_path / "export.json"
    run = {"id": 1, "kind": "run", "type": "easy", "start": "2026-11-20T07:00:00-05:00",
           "distance_m": 999.0, "duration_s": 3600}  # fmt: skip
    path.write_text(json.dumps([run]))
    result = rubdown("import", str(path), "--json")
    assert result.exit_code == 1
    (refused_record,) = result.json()["refused"]
    assert refused_record["reason"].startswith(
        "999 m in 1:00:00 (1:00:04/km) is slower than 1 km an hour"
    )


def test_a_pace_of_a_negative_distance_or_time_is_a_dash():
    assert format_pace(-0.5, 600) == "-/km"
    assert format_pace(5000, -0.5) == "-/km"


def test_a_negative_duration_or_cost_shows_its_sign():
    assert format_duration(-1) == "-0:01"
    assert format_duration(-3600) == "-1:00:00"
    assert format_cost(-1) == "-0.01"
    assert format_cost(-123_456) == "-1234.56"
