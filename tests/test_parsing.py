"""Tests for rubdown.parsing: every accepted form, every refusal, and properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rubdown.formatting import format_cost, format_distance, format_duration, format_pace
from rubdown.models import BODY_AREAS
from rubdown.parsing import (
    ParseError,
    check_text,
    fastest_seconds,
    pace_problem,
    parse_cost,
    parse_date,
    parse_distance,
    parse_duration,
    parse_focus,
    parse_kind,
    parse_leg,
    parse_massage_type,
    parse_minutes,
    parse_note,
    parse_period_days,
    parse_rpe,
    parse_run_type,
    parse_self_care_type,
    parse_type,
    parse_units,
    parse_when,
    read_when,
)

EST = timezone(timedelta(hours=-5))
EDT = timezone(timedelta(hours=-4))
# Sunday 29 November 2026, 10:00 in New York (standard time, -05:00).
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=EST)
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=EST)
MILE = 1609.344


def at(day: int, hour: int = 12, minute: int = 0, second: int = 0, *, month=11, tz=EST):
    return datetime(2026, month, day, hour, minute, second, tzinfo=tz)


def assert_refused(parse, text: str) -> str:
    """``parse(text)`` raises ParseError with a one-line message quoting ``text``."""
    with pytest.raises(ParseError) as caught:
        parse(text)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert f"'{text.strip()}'" in message
    return message


# --- parse_when / parse_date -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", NOW),
        # A date alone is 12:00, but never later than now: a run logged as
        # "today" at 10:00 is in the log (and today's report) at once.
        ("today", NOW),
        ("  TODAY  ", NOW),
        ("2026-11-29", NOW),
        ("today 06:15", at(29, 6, 15)),
        ("yesterday", at(28)),
        ("yesterday 07:30", at(28, 7, 30)),
        ("Yesterday at 07:30", at(28, 7, 30)),
        ("sat", at(28)),
        ("saturday", at(28)),
        ("SAT 18:00", at(28, 18)),
        ("sun", at(22)),  # today is a Sunday: today is excluded
        ("sunday", at(22)),
        ("mon", at(23)),
        ("tue", at(24)),
        ("wed", at(25)),
        ("thursday", at(26)),
        ("thurs", at(26)),
        ("fri 05:45:30", at(27, 5, 45, 30)),
        ("3d ago", at(26)),
        ("3 days ago", at(26)),
        ("1 day ago", at(28)),
        ("2w ago", at(15)),
        ("2 weeks ago 19:05", at(15, 19, 5)),
        ("0d ago", NOW),  # today, before its 12:00
        ("3h ago", at(29, 7)),
        ("3 hours ago", at(29, 7)),
        ("90m ago", at(29, 8, 30)),
        ("90 min ago", at(29, 8, 30)),
        ("07:30", at(29, 7, 30)),
        ("2026-11-21", at(21)),
        ("2026-11-21 07:30", at(21, 7, 30)),
        ("2026-11-21T07:30", at(21, 7, 30)),
        ("2026-11-21t07:30:15", at(21, 7, 30, 15)),
        ("2026-11-21T07:30:00-05:00", at(21, 7, 30)),
        ("2026-11-21T07:30:00+09:00", at(21, 7, 30, tz=timezone(timedelta(hours=9)))),
        ("2026-11-21T07:30:00+0530", at(21, 7, 30, tz=timezone(timedelta(hours=5, minutes=30)))),
        ("2026-11-21T07:30Z", at(21, 7, 30, tz=UTC)),
        ("2026-11-30 09:59", at(30, 9, 59)),  # within a day ahead
        # Across the end of daylight saving time (2026-11-01 02:00):
        ("2026-11-01", at(1)),
        ("2026-10-31", at(31, month=10, tz=EDT)),
        ("2026-10-31 07:30", at(31, 7, 30, month=10, tz=EDT)),
        ("4w ago", at(1)),
        ("30d ago", at(30, month=10, tz=EDT)),
    ],
)
def test_parse_when_accepts(text, expected):
    result = parse_when(text, now=NOW)
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()


def test_weekday_on_that_weekday_is_a_week_ago():
    assert parse_when("sat", now=SATURDAY) == at(21)
    assert parse_when("fri", now=SATURDAY) == at(27)


def test_hours_ago_across_dst_gets_that_instants_offset():
    now = datetime(2026, 11, 1, 3, 0, tzinfo=EST)  # 08:00 UTC, after the change
    result = parse_when("3h ago", now=now)
    assert result == datetime(2026, 11, 1, 1, 0, tzinfo=EDT)
    assert result.utcoffset() == timedelta(hours=-4)


def test_now_in_another_zone_is_shown_in_local_time():
    result = parse_when("now", now=datetime(2026, 11, 29, 15, 0, tzinfo=UTC))
    assert result == NOW
    assert result.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "tomorrow",
        "nan",
        "sa",
        "sat sun",
        "2026-02-30",
        "2026-13-01",
        "1899-12-31",
        "2101-01-01",
        "25:00",
        "yesterday 24:00",
        "today 07:60",
        "2026-11-21T07:30+24:00",
        "2026-11-21 07:30:61",
        "999999d ago",
        "3 fortnights ago",
        "2026-12-01",  # more than a day ahead
        "2026-11-30 10:01",
        "2026-11-30T15:01Z",
    ],
)
def test_parse_when_refuses(text):
    assert_refused(partial(parse_when, now=NOW), text)


def test_future_message_says_why():
    message = assert_refused(partial(parse_when, now=NOW), "2026-12-05")
    assert "in the future" in message and "2026-12-05 12:00" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 11, 29)),
        ("sat", date(2026, 11, 28)),
        ("3h ago", date(2026, 11, 29)),
        ("2w ago", date(2026, 11, 15)),
        ("2026-11-21", date(2026, 11, 21)),
        ("2026-12-25", date(2026, 12, 25)),  # the future is the caller's business
        ("2026-11-21T23:30:00+09:00", date(2026, 11, 21)),  # the date as written
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, now=NOW) == expected


def test_parse_date_refuses():
    for text in ("someday", "2026-02-29", "1899-01-01"):
        assert_refused(partial(parse_date, now=NOW), text)


# --- distance, duration, minutes ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "metres"),
    [
        ("10.5mi", "km", 10.5 * MILE),
        ("10.5 mi", "km", 10.5 * MILE),
        ("17 km", "km", 17000),
        ("17k", "mi", 17000),
        ("17 KM", "km", 17000),
        ("5000m", "mi", 5000),
        ("5000 m", "km", 5000),
        ("26.2", "km", 26200),
        ("26.2", "mi", 26.2 * MILE),
        ("1 mile", "km", MILE),
        ("3 miles", "km", 3 * MILE),
        ("2 kilometres", "mi", 2000),
        ("2 kilometers", "mi", 2000),
        ("400 metres", "km", 400),
        ("400 meters", "km", 400),
        ("10,5km", "km", 10500),
        (".5", "km", 500),
        ("marathon", "mi", 42195),
        ("Half", "km", 21097.5),
        ("half-marathon", "km", 21097.5),
        ("half marathon", "km", 21097.5),
        ("1000km", "km", 1_000_000),
    ],
)
def test_parse_distance_accepts(text, unit, metres):
    assert parse_distance(text, unit=unit) == pytest.approx(metres)


@pytest.mark.parametrize(
    "text",
    ["", "abc", "nan", "inf", "-inf", "0", "0km", "-5km", "-5", "1001km", "700mi", "10 furlongs",
     "5,000m", "1e3", "10 km 5"],
)  # fmt: skip
def test_parse_distance_refuses(text):
    assert_refused(parse_distance, text)


@pytest.mark.parametrize(("text", "miles"), [("6m", "6mi"), ("26.2m", "26.2mi"), ("13 m", "13mi")])
def test_a_few_metres_are_refused_saying_m_is_metres(text, miles):
    """``6m`` is 6 metres, not 6 miles: less than 100 m is not a run."""
    message = assert_refused(parse_distance, text)
    assert "is metres" in message and f"write {miles} for miles" in message
    assert parse_distance("100m") == 100


@pytest.mark.parametrize(
    ("metres", "seconds", "words"),
    [(5000, 45, "world record"), (6, 48 * 60, "slower"), (9656, 48, "world record"),
     (42195, 6000, "world record"), (400, 30, "world record"), (1000, 3601, "slower"),
     (1_000_000, 30 * 3600, "world record")],
)  # fmt: skip
def test_pace_problem_refuses_a_pace_no_one_runs(metres, seconds, words):
    assert words in pace_problem(metres, seconds)


@pytest.mark.parametrize(
    ("metres", "seconds"),
    [(5000, 755), (42195, 7235), (100, 10), (1609.344, 223), (10000, 1571), (5000, 45 * 60),
     (1000, 3600), (21097.5, 6 * 3600), (160934, 30 * 3600), (None, 45), (5000, None)],
)  # fmt: skip
def test_pace_problem_accepts_world_records_and_walks(metres, seconds):
    assert pace_problem(metres, seconds) is None


def test_fastest_seconds_are_the_world_records_less_a_margin():
    assert fastest_seconds(5000) == pytest.approx(755.36 / 1.1)
    assert fastest_seconds(42195) == pytest.approx(7235 / 1.1)
    half_way = fastest_seconds(7000)
    assert fastest_seconds(5000) < half_way < fastest_seconds(10000)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1:32:10", 5530),
        ("58:30", 3510),
        ("0:45", 45),
        ("75:00", 4500),
        ("95m", 5700),
        ("95 min", 5700),
        ("95 minutes", 5700),
        ("1h35m", 5700),
        ("1h 35m", 5700),
        ("1H35M", 5700),
        ("1h35", 5700),
        ("1 hour 35 minutes", 5700),
        ("1h", 3600),
        ("1.5h", 5400),
        ("1,5h", 5400),
        ("45s", 45),
        ("1h2m3s", 3723),
        ("58m30", 3510),
        ("90", 5400),
        ("90.5", 5430),
        ("100h", 360_000),
    ],
)
def test_parse_duration_accepts(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "text",
    ["", "abc", "0", "0:00", "-5", "-1:00", "nan", "inf", "1:75:00", "58:60", "1:5", "101h",
     "6001", "1m1h", "1h1h", "1s5", "1 2", "0.001s", "1,000"],
)  # fmt: skip
def test_parse_duration_refuses(text):
    assert_refused(parse_duration, text)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("60", 60), ("1", 1), ("1440", 1440), ("1h30m", 90), ("1:30:00", 90), ("58:00", 58),
     ("120s", 2), ("1.5h", 90), ("1.1h", 66), ("0.5h", 30)],
)  # fmt: skip
def test_parse_minutes_accepts(text, minutes):
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("text", ["0", "-30", "nan", "1441", "25h", "29s", "", "an hour"])
def test_parse_minutes_refuses(text):
    assert "1 to 1440" in assert_refused(parse_minutes, text)


@pytest.mark.parametrize("text", ["1.5", "90.25", "58:30", "90s", "30s", "1.01h"])
def test_parse_minutes_refuses_a_fraction_of_a_minute_as_cost_refuses_a_fraction_of_a_cent(text):
    """Minutes are stored whole: 1.5 was silently stored as 2, while a cost
    with a third decimal was refused. Both are refused now."""
    message = assert_refused(parse_minutes, text)
    assert "whole minutes" in message
    assert "use at most 2 decimals" in assert_refused(parse_cost, "85.555")


@pytest.mark.parametrize("text", ["45.5s", "0.5s", "10.001m", "1:00:00.5"])
def test_parse_duration_refuses_a_fraction_of_a_second(text):
    assert_refused(parse_duration, text)


# --- small whole numbers -------------------------------------------------------------


@pytest.mark.parametrize("value", range(11))
def test_parse_rpe_accepts(value):
    assert parse_rpe(f" {value} ") == value


@pytest.mark.parametrize("text", ["11", "-1", "7.5", "nan", "", "seven", "1e1"])
def test_parse_rpe_refuses(text):
    message = assert_refused(parse_rpe, text)
    assert message.endswith("use a whole number from 0 (rest) to 10 (maximal effort)")


def test_parse_leg():
    assert parse_leg("1") == 1
    assert parse_leg("02") == 2
    assert parse_leg("99") == 99
    for text in ("0", "100", "-1", "2.5", "two", ""):
        assert_refused(parse_leg, text)


# --- vocabularies ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parse", "text", "expected"),
    [
        (parse_massage_type, "Deep Tissue", "deep-tissue"),
        (parse_massage_type, "deep_tissue", "deep-tissue"),
        (parse_massage_type, "DEEP-TISSUE", "deep-tissue"),
        (parse_massage_type, "deeptissue", "deep-tissue"),
        (parse_massage_type, "hotstone", "hot-stone"),
        (parse_massage_type, "hot stone", "hot-stone"),
        (parse_massage_type, "Swedish", "swedish"),
        (parse_massage_type, "thai", "thai"),
        (parse_massage_type, "sports massage", "sports"),
        (parse_massage_type, "sport", "sports"),
        (parse_self_care_type, "foamroll", "foam-roll"),
        (parse_self_care_type, "foam roller", "foam-roll"),
        (parse_self_care_type, "foam-roller", "foam-roll"),
        (parse_self_care_type, "rolling", "foam-roll"),
        (parse_self_care_type, "roll", "foam-roll"),
        (parse_self_care_type, "stretching", "stretch"),
        (parse_self_care_type, "Yoga", "yoga"),
        (parse_self_care_type, "other", "other"),
        (parse_run_type, "easy", "easy"),
        (parse_run_type, "interval", "intervals"),
        (parse_run_type, "long-run", "long"),
        (parse_run_type, "Long Run", "long"),
        (parse_run_type, "racing", "race"),
        (parse_run_type, "race", "race"),
        (parse_run_type, "RELAY", "relay"),
        (parse_run_type, "tempo", "tempo"),
        (parse_kind, "run", "run"),
        (parse_kind, "runs", "run"),
        (parse_kind, "Massages", "massage"),
        (parse_kind, "self-care", "self-care"),
        (parse_kind, "selfcare", "self-care"),
        (parse_kind, "self_care", "self-care"),
    ],
)
def test_vocabularies_accept(parse, text, expected):
    assert parse(text) == expected


def test_unknown_massage_type_suggests_and_lists():
    message = assert_refused(parse_massage_type, "deep")
    assert message == (
        "Unknown massage type 'deep'. Did you mean 'deep-tissue'? "
        "Types: swedish, deep-tissue, hot-stone, thai, sports"
    )


@pytest.mark.parametrize(
    ("parse", "text", "suggestion", "listing"),
    [
        (parse_massage_type, "swedsh", "swedish", "Types: swedish, deep-tissue"),
        (parse_massage_type, "hot", "hot-stone", "Types: swedish"),
        (parse_self_care_type, "foam", "foam-roll", "Types: foam-roll, stretch, yoga, other"),
        (parse_self_care_type, "yog", "yoga", "Types: foam-roll"),
        (parse_run_type, "tmepo", "tempo", "Types: easy, long, tempo, intervals, race, relay"),
        (parse_kind, "massge", "massage", "Kinds: run, massage, self-care"),
    ],
)
def test_unknown_type_suggests_nearest(parse, text, suggestion, listing):
    message = assert_refused(parse, text)
    assert f"Did you mean '{suggestion}'?" in message
    assert listing in message


@pytest.mark.parametrize(
    ("parse", "text"),
    [(parse_massage_type, "reiki"), (parse_run_type, "xyz"), (parse_self_care_type, ""),
     (parse_kind, "q")],
)  # fmt: skip
def test_unknown_type_without_a_close_match(parse, text):
    assert "Did you mean" not in assert_refused(parse, text)


def test_parse_units():
    for text in ("km", "KM", "k", "kilometres", "kilometers", "metric"):
        assert parse_units(text) == "km"
    for text in ("mi", "Miles", "mile", "imperial"):
        assert parse_units(text) == "mi"
    for text in ("", "m", "furlongs"):
        assert_refused(parse_units, text)


# --- money, focus, notes, cadence ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("85", 8500),
        ("85.5", 8550),
        ("85.50", 8550),
        ("85.500", 8550),
        ("$85", 8500),
        ("$ 85.25", 8525),
        ("85 USD", 8500),
        ("usd 85", 8500),
        ("85$", 8500),
        ("85,50", 8550),
        ("85,5", 8550),
        ("1,234.50", 123450),
        ("1,234,567.0", None),  # over the limit, see the refusals
        ("0", 0),
        ("0.01", 1),
        (".5", 50),
        ("1000000", 100_000_000),
    ],
)
def test_parse_cost_accepts(text, cents):
    if cents is None:
        assert_refused(parse_cost, text)
    else:
        assert parse_cost(text) == cents


@pytest.mark.parametrize(
    "text",
    ["", "abc", "nan", "inf", "-85", "$-85", "-$85", "85.555", "85,555", "1,234", "1.234,50",
     "1000000.01", "1e3", "$85 EUR", "85 $ $", "12 34"],
)  # fmt: skip
def test_parse_cost_refuses(text):
    assert_refused(parse_cost, text)


@pytest.mark.parametrize(
    ("text", "currency", "cents"),
    [("€85", "EUR", 8500), ("85 eur", "EUR", 8500), ("£ 85.25", "GBP", 8525),
     ("85 chf", "CHF", 8500), ("85", "CHF", 8500), ("€85", "€", 8500), ("85 EUR", "€", 8500),
     ("C$85", "CAD", None), ("$85", "CAD", 8500)],
)  # fmt: skip
def test_parse_cost_takes_the_configured_currency_only(text, currency, cents):
    if cents is None:
        assert_refused(partial(parse_cost, currency=currency), text)
    else:
        assert parse_cost(text, currency=currency) == cents


@pytest.mark.parametrize(
    ("text", "currency"),
    [("€85", "USD"), ("85 EUR", "USD"), ("85€", "USD"), ("£85", "EUR"), ("$85", "EUR"),
     ("85 usd", "GBP"), ("¥85", "CHF")],
)  # fmt: skip
def test_parse_cost_refuses_another_currency_and_says_which_is_used(text, currency):
    """A symbol was "accepted and ignored": --cost €85 was stored as 85 USD."""
    message = assert_refused(partial(parse_cost, currency=currency), text)
    assert f"costs are in {currency}" in message


def test_parse_focus():
    """Focus areas are of the body-area vocabulary (SPEC 11), forgiving."""
    assert parse_focus("calves, left  hamstring ,, Calves,quads,") == (
        "calves",
        "left-hamstrings",
        "quads",
    )
    assert parse_focus("") == ()
    assert parse_focus(" , ") == ()
    assert parse_focus("Calf, IT band, L-Calf, Lower back, r_quad") == (
        "calves", "it-band", "left-calves", "lower-back", "right-quads",
    )  # fmt: skip


def test_parse_focus_refuses():
    with pytest.raises(ParseError) as caught:
        parse_focus("calves, calfs ")
    assert str(caught.value).startswith("Unknown body area 'calfs'. Did you mean 'calves'?")
    with pytest.raises(ParseError) as caught:
        parse_focus("calves, " + "x" * 41)
    assert str(caught.value).startswith("Unknown body area 'xxxxxxxx")
    many = [f"{side}{area}" for side in ("", "left-") for area in BODY_AREAS][:21]
    with pytest.raises(ParseError, match="Too many focus areas"):
        parse_focus(",".join(many))


def test_parse_note():
    assert parse_note("  felt *great*  [bold]x[/bold]\n line two\t ") == (
        "felt *great*  [bold]x[/bold]\n line two"
    )
    assert parse_note("n" * 2000) == "n" * 2000
    assert parse_note(" " + "n" * 2000 + "\n") == "n" * 2000
    with pytest.raises(ParseError, match="2001 characters") as caught:
        parse_note("line one\n" + "n" * 1992)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "days"),
    [("7d", 7), ("14d", 14), ("14 days", 14), ("1w", 7), ("2w", 14), ("4w", 28), ("30d", 30),
     ("monthly", 30), ("Weekly", 7), ("biweekly", 14), ("bi-weekly", 14), ("fortnightly", 14),
     ("daily", 1), ("2 weeks", 14), ("1 month", 30), ("10d", 10), ("366d", 366),
     ("Fortnightly", 14), ("BiWeekly", 14), ("bi weekly", 14),
     ("every 2 weeks", 14), ("Every week", 7), ("every 10 days", 10), ("every month", 30)],
)  # fmt: skip
def test_parse_period_days_accepts(text, days):
    assert parse_period_days(text) == days


@pytest.mark.parametrize(
    "text", ["", "0d", "367d", "53w", "-7d", "often", "1.5w", "13 months", "10", "2", " 14 ",
             "every", "every 14", "every weekly", "every every 2w"]
)
def test_parse_period_days_refuses(text):
    assert_refused(parse_period_days, text)


def test_a_bare_number_as_a_period_asks_for_days_or_weeks():
    assert "14d or 14w" in assert_refused(parse_period_days, "14")


# --- formatting --------------------------------------------------------------------


def test_format_duration():
    assert format_duration(3510) == "58:30"
    assert format_duration(5530) == "1:32:10"
    assert format_duration(45) == "0:45"
    assert format_duration(3600) == "1:00:00"
    assert format_duration(360_000) == "100:00:00"


def test_format_distance():
    assert format_distance(10200) == "10.2 km"
    assert format_distance(5000) == "5.00 km"
    assert format_distance(10000, "mi") == "6.21 mi"
    assert format_distance(42195, "mi") == "26.2 mi"
    assert format_distance(17 * MILE, "mi") == "17.0 mi"


def test_format_pace():
    assert format_pace(10200, 3510) == "5:44/km"
    assert format_pace(10 * MILE, 5540, "mi") == "9:14/mi"
    assert format_pace(1000, 4000) == "1:06:40/km"
    assert format_pace(0, 3510) == "-/km"
    assert format_pace(10200, 0, "mi") == "-/mi"


def test_format_cost():
    assert format_cost(8500) == "85.00"
    assert format_cost(8550) == "85.50"
    assert format_cost(5) == "0.05"
    assert format_cost(123450) == "1234.50"


# --- properties ----------------------------------------------------------------------

PARSERS = [
    partial(parse_when, now=NOW),
    partial(parse_date, now=NOW),
    parse_distance,
    partial(parse_distance, unit="mi"),
    parse_duration,
    parse_minutes,
    parse_rpe,
    parse_leg,
    parse_run_type,
    parse_massage_type,
    parse_self_care_type,
    partial(parse_type, "massage"),
    parse_kind,
    parse_cost,
    partial(parse_cost, currency="EUR"),
    check_text,
    parse_focus,
    parse_note,
    parse_period_days,
    parse_units,
]

# Pieces of the grammars, so generated text often gets past the first check.
FRAGMENTS = st.sampled_from(
    ["0", "1", "7", "9", "12", "59", "60", "99", "2026", "-", "+", ".", ",", ":", " ", "\n",
     "\x1b", "h", "m", "s", "d", "w", "k", "km", "mi", "min", "ago", "t", "z", "$", "eur",
     "today", "sat", "yesterday", "now", "deep", "foam", "nan", "inf", "e", "weekly"]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=30), st.lists(FRAGMENTS, max_size=8).map("".join))


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_parsers_raise_only_one_line_parse_errors(text):
    for parse in PARSERS:
        try:
            parse(text)
        except ParseError as error:
            message = str(error)
            assert message and len(message.splitlines()) == 1
            assert "\x1b" not in message and len(message) < 600


@settings(max_examples=200, deadline=None)
@given(seconds=st.integers(1, 360_000))
def test_duration_round_trip(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@settings(max_examples=200, deadline=None)
@given(cents=st.integers(0, 100_000_000))
def test_cost_round_trip(cents):
    assert parse_cost(format_cost(cents)) == cents


@settings(max_examples=200, deadline=None)
@given(metres=st.floats(110, 999_000), unit=st.sampled_from(["km", "mi"]))
def test_distance_round_trip_within_display_precision(metres, unit):
    per_unit = 1000 if unit == "km" else MILE
    parsed = parse_distance(format_distance(metres, unit), unit=unit)
    assert abs(parsed - metres) <= 0.05 * per_unit + 1e-6


@settings(max_examples=200, deadline=None)
@given(minutes=st.integers(1, 1440))
def test_minutes_round_trip(minutes):
    assert parse_minutes(str(minutes)) == minutes
    assert parse_minutes(format_duration(minutes * 60)) == minutes


WHEN_TEXT = st.one_of(
    TEXT,
    st.datetimes(datetime(1890, 1, 1), datetime(2110, 1, 1)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M")
    ),
    st.tuples(st.integers(0, 2000), st.sampled_from(["d", "w", "h", "m"])).map(
        lambda p: f"{p[0]}{p[1]} ago"
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    text=WHEN_TEXT,
    now=st.datetimes(datetime(1950, 1, 1), datetime(2090, 1, 1), timezones=st.just(UTC)),
)
def test_parse_when_is_never_more_than_a_day_ahead(text, now):
    try:
        result = parse_when(text, now=now)
    except ParseError:
        return
    assert result.tzinfo is not None
    assert result - now <= timedelta(hours=24)


def test_echoed_values_are_escaped_and_truncated():
    with pytest.raises(ParseError) as caught:
        parse_run_type("sp\nrint\x1b[2J" + "y" * 100)
    message = str(caught.value)
    assert "'sp\\x0arint\\x1b[2J" in message
    assert "…'" in message
    assert "\n" not in message and "\x1b" not in message
    assert "y" * 41 not in message


def test_a_date_alone_is_noon_or_now_when_noon_has_not_come():
    afternoon = at(29, 15, 30, 20)
    assert read_when("today", now=afternoon).start == at(29)
    early = at(29, 4, 50, 31)
    found = read_when("today", now=early)
    assert (found.start, found.timed) == (at(29, 4, 50), False)  # to the minute, as 'now'
    assert read_when("2026-11-29 12:00", now=early).start == at(29)  # a typed time is kept


@pytest.mark.parametrize(
    ("text", "timed"),
    [("2026-11-21 12:00", True), ("2026-11-21T12:00", True), ("2026-11-21", False),
     ("yesterday", False), ("yesterday 12:00", True), ("sat", False), ("sat at 12:00", True),
     ("3d ago", False), ("12:00", True), ("now", True), ("3h ago", True),
     ("2026-11-21T12:00:00-05:00", True)],
)  # fmt: skip
def test_read_when_says_whether_a_time_was_given(text, timed):
    assert read_when(text, now=NOW).timed is timed


def test_read_when_says_when_the_clocks_skipped_the_time():
    found = read_when("2026-03-08 02:30", now=NOW)
    assert found.start == datetime(2026, 3, 8, 3, 30, tzinfo=EDT)
    assert "02:30" in found.notice and "03:30" in found.notice
    assert read_when("2026-03-08 03:30", now=NOW).notice is None
    assert read_when("2026-11-01 01:30", now=NOW).notice is None


def test_instants_relative_to_now_are_to_the_minute():
    now = datetime(2026, 11, 29, 10, 0, 42, 123456, tzinfo=EST)
    assert parse_when("now", now=now) == datetime(2026, 11, 29, 10, 0, tzinfo=EST)
    assert parse_when("3h ago", now=now) == datetime(2026, 11, 29, 7, 0, tzinfo=EST)
    assert parse_when("90m ago", now=now) == datetime(2026, 11, 29, 8, 30, tzinfo=EST)
    assert parse_when("2026-11-29 09:15:30", now=now).second == 30  # typed: kept


def test_check_text_refuses_bytes_that_were_not_utf8():
    assert check_text("café") == "café"
    with pytest.raises(ParseError) as caught:
        check_text("caf\udce9")
    message = str(caught.value)
    assert "UTF-8" in message and "'caf\\xe9'" in message


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [("run", "RACE", "race"), ("run", "Long Run", "long"),
     ("massage", "Deep_Tissue", "deep-tissue"), ("self-care", "Foam Rolling", "foam-roll")],
)  # fmt: skip
def test_parse_type_reads_each_kind_s_vocabulary_as_type_does(kind, text, expected):
    assert parse_type(kind, text) == expected
