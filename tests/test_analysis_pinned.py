"""The numbers of rubdown.analysis pinned where a change by one (a second, a
run, a day, a comparison) must show in what a runner sees.

Worked out by hand from SPEC sections 3-6 and docs/metrics.md; complements
tests/test_analysis.py and tests/test_analysis_edges.py, whose helpers it uses.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rubdown.analysis import (
    SUNDAY,
    HardEffortRules,
    RunGroup,
    build_report,
    follow_ups,
    hard_efforts,
    regularity,
    run_end,
    week_first_day,
    week_label,
    weekly_rows,
    weeks_overlapping,
)
from rubdown.analysis.period import day_end, iso_week_start, report_period
from rubdown.models import Run
from test_analysis import at, care, massage, run, statuses

NEW_YORK = ZoneInfo("America/New_York")


def ids(efforts) -> list[tuple[int, ...]]:
    return [effort.run_ids for effort in efforts]


def two_weeks(runs, massages=(), self_care=(), **options) -> dict:
    """A report of Mon 16 - Sun 29 Nov 2026, read at its last second."""
    options.setdefault("since", date(2026, 11, 16))
    options.setdefault("until", date(2026, 11, 29))
    options.setdefault("report_end", at("2026-11-29T23:59:59-05:00"))
    return build_report(list(runs), list(massages), list(self_care), **options).to_json()


# -- hard efforts: events and ends ---------------------------------------------------


def test_a_blank_event_is_no_event_and_a_named_one_is_trimmed():
    efforts = hard_efforts(
        [
            run(1, "2026-11-20T08:00-05:00", 60, type="race", event="   "),
            run(2, "2026-11-21T08:00-05:00", 60, type="race", event="  Turkey Trot "),
        ]
    )
    assert [(e.run_ids, e.event) for e in efforts] == [((1,), None), ((2,), "Turkey Trot")]
    data = two_weeks([run(3, "2026-11-20T08:00-05:00", 60, type="race", event=" ")])
    assert data["recovery"]["efforts"][0]["event"] is None


def test_a_run_group_needs_a_run():
    with pytest.raises(ValueError):
        RunGroup.of([])


def test_an_event_group_sums_the_distances_and_times_its_legs_know():
    legs = [
        run(1, "2026-11-20T08:00-05:00", 50, type="relay", km=8, event="Ragnar"),
        run(2, "2026-11-20T20:00-05:00", None, type="relay", km=None, event="Ragnar"),
        run(3, "2026-11-21T06:00-05:00", 40, type="relay", km=10.5, event="Ragnar"),
    ]
    (effort,) = two_weeks(legs)["recovery"]["efforts"]
    assert (effort["run_ids"], effort["distance_m"], effort["duration_s"]) == (
        [1, 2, 3],
        18500.0,
        5400,
    )
    assert effort["start"] == "2026-11-20T08:00:00-05:00"
    assert effort["end"] == "2026-11-21T06:40:00-05:00"
    unknown = [run(4, "2026-11-20T08:00-05:00", None, type="relay", event="Hood"),
               run(5, "2026-11-20T09:00-05:00", None, type="relay", event="Hood")]  # fmt: skip
    (effort,) = two_weeks(unknown)["recovery"]["efforts"]
    assert (effort["distance_m"], effort["duration_s"]) == (None, None)
    assert effort["end"] == "2026-11-20T09:00:00-05:00"  # the latest start, no duration


def test_a_run_end_is_real_elapsed_time_in_a_named_zone():
    # 01:30 EDT on the night the clocks go back, 60 min: it ends at 01:30 EST
    # (06:30 UTC), not at the wall clock's 02:30.
    start = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    night = Run(id=1, start=start, type="long", duration_s=3600)
    assert run_end(night).astimezone(ZoneInfo("UTC")) == at("2026-11-01T06:30:00+00:00")
    (effort,) = hard_efforts([night])
    assert effort.end.astimezone(ZoneInfo("UTC")) == at("2026-11-01T06:30:00+00:00")
    zero = Run(id=2, start=start, type="long", duration_s=0)
    assert run_end(zero) == start
    fixed = run(3, "2026-11-01T01:30-04:00", 90)
    assert run_end(fixed) == at("2026-11-01T03:00-04:00")


def test_efforts_are_ordered_by_end_then_by_first_run_id():
    efforts = hard_efforts(
        [
            run(5, "2026-11-20T08:00-05:00", 60, type="race"),  # ends 09:00
            run(3, "2026-11-20T08:30-05:00", 30, type="race"),  # ends 09:00 too
            run(4, "2026-11-20T07:00-05:00", 30, type="long"),  # ends 07:30
        ]
    )
    assert ids(efforts) == [(4,), (3,), (5,)]


def test_a_group_is_hard_by_the_union_of_its_legs_reasons_under_the_configured_rules():
    legs = [
        run(1, "2026-11-20T08:00-05:00", 40, type="tempo", rpe=6, event="Club"),
        run(2, "2026-11-20T12:00-05:00", 40, type="easy", rpe=7, event="club"),
    ]
    assert hard_efforts(legs) == []  # RPE 7 < 8, no hard type
    rules = HardEffortRules(types=("tempo",), rpe=7)
    (effort,) = hard_efforts(legs, rules)
    assert (effort.run_ids, effort.reasons) == ((1, 2), ("rpe", "tempo"))
    at_eight = [legs[0], run(2, "2026-11-20T12:00-05:00", 40, rpe=8, event="club")]
    assert [(e.run_ids, e.reasons) for e in hard_efforts(at_eight)] == [((1, 2), ("rpe",))]


# -- hard efforts: rule 3, the load spike ----------------------------------------------


def test_a_load_of_zero_is_never_hard_a_load_of_one_can_be():
    # Four earlier runs at RPE 0 (load 0): the median is 0, so any load is
    # at least 2 x 0, but a load of 0 is never hard.
    priors = [run(i, f"2026-11-1{i}T08:00-05:00", 30, rpe=0) for i in range(1, 5)]
    rest = run(9, "2026-11-20T08:00-05:00", 30, rpe=0)
    assert hard_efforts([*priors, rest]) == []
    minute = run(9, "2026-11-20T08:00-05:00", 1, rpe=1)  # load 1
    assert [(e.run_ids, e.reasons) for e in hard_efforts([*priors, minute])] == [((9,), ("load",))]


@pytest.mark.parametrize(("minutes", "hard"), [(120, True), (119, False)])
def test_the_median_of_an_odd_number_of_loads_is_the_middle_one(minutes, hard):
    # Loads 500, 400, 300, 200, 100 (RPE 5 x 100..20 min; falling, so none
    # is a spike itself): median 300, so the threshold is 600 = RPE 5 x 120 min.
    priors = [run(i, f"2026-11-1{i}T08:00-05:00", 120 - 20 * i, rpe=5) for i in range(1, 6)]
    target = run(9, "2026-11-20T08:00-05:00", minutes, rpe=5)
    assert ids(hard_efforts([*priors, target])) == ([(9,)] if hard else [])


@pytest.mark.parametrize(("minutes", "hard"), [(90, True), (89, False)])
def test_the_median_of_an_even_number_of_loads_is_the_mean_of_the_middle_two(minutes, hard):
    # Loads 100, 150, 300, 900: median (150 + 300) / 2 = 225, threshold 450.
    priors = [run(i, f"2026-11-1{i}T08:00-05:00", m, rpe=5) for i, m in
              ((1, 20), (2, 30), (3, 60), (4, 180))]  # fmt: skip
    target = run(9, "2026-11-20T08:00-05:00", minutes, rpe=5)
    assert ids(hard_efforts([*priors, target])) == ([(9,)] if hard else [])


def test_legs_of_the_event_leave_the_baseline_even_at_its_first_instant():
    # load_days = 1: the baseline is the 24 h before each run. Leg 1 starts
    # exactly 24 h before leg 2: it is in leg 2's window, and out of its
    # baseline as a leg of the same event. Three other runs remain: too few.
    rules = HardEffortRules(load_days=1, load_min_runs=3)
    others = [run(i, f"2026-11-20T0{i}:00-05:00", 20, rpe=5) for i in (2, 3, 4)]  # 100 each
    leg1 = run(10, "2026-11-20T01:00-05:00", 10, rpe=5, event="Hood")  # 50
    leg2 = run(11, "2026-11-21T01:00-05:00", 40, rpe=5, event="Hood")  # 200
    assert ids(hard_efforts([*others, leg1, leg2], rules)) == [(10, 11)]  # median 100
    # As a run of its own, leg 1 stays in the baseline: median 100 of 50,
    # 100, 100, 100... and with the minimum at 5, 4 runs are too few.
    solo = run(10, "2026-11-20T01:00-05:00", 10, rpe=5)
    five = HardEffortRules(load_days=1, load_min_runs=5)
    assert hard_efforts([*others, solo, leg2], five) == []
    assert ids(hard_efforts([*others, leg1, leg2], HardEffortRules(load_days=1))) == []


# -- follow-up -------------------------------------------------------------------------


def test_an_effort_ending_after_the_report_end_waits_zero_hours():
    (effort,) = hard_efforts([run(1, "2026-11-29T09:00-05:00", 120, type="race")])
    (result,) = follow_ups([effort], [], window_hours=72, report_end=at("2026-11-29T10:00-05:00"))
    assert (result.status, result.waiting_hours, result.session) == ("pending", 0.0, None)


def test_a_session_at_the_report_end_is_seen_one_second_later_is_not():
    (effort,) = hard_efforts([run(1, "2026-11-27T08:00-05:00", 60, type="race")])
    visit = massage(5, "2026-11-29T10:00-05:00")
    end = at("2026-11-29T10:00-05:00")
    (seen,) = follow_ups([effort], [visit], window_hours=72, report_end=end)
    assert (seen.status, seen.lag_hours) == ("on_time", 49.0)
    earlier = end - timedelta(seconds=1)
    (unseen,) = follow_ups([effort], [visit], window_hours=72, report_end=earlier)
    assert (unseen.status, unseen.session, round(unseen.waiting_hours, 4)) == (
        "pending", None, 48.9997,
    )  # fmt: skip


def test_self_care_is_recovery_only_when_asked():
    race = run(1, "2026-11-20T08:00-05:00", 60, type="race")  # ends 09:00
    roll = care(7, "2026-11-20T18:00-05:00", 15)
    visit = massage(8, "2026-11-25T09:00-05:00", 45)  # 120 h later
    without = two_weeks([race], [visit], [roll])["recovery"]["efforts"][0]
    assert (without["status"], without["lag_hours"], without["follow_up"]["id"]) == (
        "late", 120.0, 8,
    )  # fmt: skip
    with_care = two_weeks([race], [visit], [roll], include_self_care=True)
    effort = with_care["recovery"]["efforts"][0]
    assert (effort["status"], effort["lag_hours"]) == ("on_time", 9.0)
    assert effort["follow_up"] == {
        "kind": "self-care",
        "id": 7,
        "type": "foam-roll",
        "start": "2026-11-20T18:00:00-05:00",
        "minutes": 15,
    }
    # Self-care minutes are in the weeks either way; regularity counts massages.
    assert [w["self_care_minutes"] for w in with_care["weeks"]] == [15, 0]
    assert with_care["regularity"]["massages"] == 1


# -- the recovery numbers ----------------------------------------------------------------


def test_median_and_max_lag_are_over_followed_efforts_rounded_to_two_decimals():
    runs = [
        run(1, "2026-11-16T08:00-05:00", 60, type="race"),  # ends 09:00
        run(2, "2026-11-17T08:00-05:00", 60, type="race"),
        run(3, "2026-11-18T08:00-05:00", 60, type="race"),
        run(4, "2026-11-28T08:00-05:00", 60, type="race"),  # no follow-up: pending
    ]
    visits = [massage(9, "2026-11-18T10:10:20-05:00")]  # 49.17 h, 25.17 h, 1.17 h later
    rec = two_weeks(runs, visits)["recovery"]
    assert [e["lag_hours"] for e in rec["efforts"]] == [49.17, 25.17, 1.17, None]
    assert (rec["median_lag_hours"], rec["max_lag_hours"]) == (25.17, 49.17)
    assert [e["waiting_hours"] for e in rec["efforts"]] == [None, None, None, 39.0]  # 38.9997 h
    assert (rec["hard_efforts"], rec["on_time"], rec["pending"], rec["rate"]) == (4, 3, 1, 1.0)


def test_hours_left_in_the_window_for_a_waiting_effort():
    race = run(1, "2026-11-28T08:00-05:00", 60, type="race")  # ends Sat 09:00
    attention = two_weeks([race], window_hours=48)["attention"]
    (waiting,) = attention["pending"]
    # Read at Sun 23:59:59: 38.9997 h waited, 9.0003 h left.
    assert (waiting["waiting_hours"], waiting["hours_left"]) == (39.0, 9.0)
    assert waiting["run_ids"] == [1] and waiting["reasons"] == ["race"]


def test_the_last_massage_is_the_latest_start_then_the_higher_id():
    visits = [
        massage(4, "2026-11-20T18:00-05:00"),
        massage(3, "2026-11-20T18:00-05:00"),
        massage(2, "2026-11-10T18:00-05:00"),
    ]
    data = two_weeks([], visits, every_days=14)
    assert data["attention"]["last_massage"] == "2026-11-20T18:00:00-05:00"
    assert data["attention"]["next_massage_due"] == "2026-12-04"
    assert data["attention"]["massage_overdue"] is False
    overdue = two_weeks([], visits, every_days=9)["attention"]
    assert (overdue["next_massage_due"], overdue["massage_overdue"]) == ("2026-11-29", False)
    overdue = two_weeks([], visits, every_days=8)["attention"]
    assert (overdue["next_massage_due"], overdue["massage_overdue"]) == ("2026-11-28", True)


def test_a_report_needs_an_aware_end_and_days_in_order():
    with pytest.raises(ValueError, match="aware"):
        two_weeks([], report_end=datetime(2026, 11, 29, 23, 59))
    with pytest.raises(ValueError, match="before since"):
        two_weeks([], since=date(2026, 11, 29), until=date(2026, 11, 28))
    one_day = two_weeks([], since=date(2026, 11, 29), until=date(2026, 11, 29))
    assert [w["start"] for w in one_day["weeks"]] == ["2026-11-23"]


def test_an_effort_belongs_to_the_report_by_its_end():
    runs = [
        run(1, "2026-11-15T23:00-05:00", 120, type="long"),  # ends Mon 16 Nov 01:00: in
        run(2, "2026-11-29T23:00-05:00", 60, type="long"),  # ends after the report's end
        run(3, "2026-11-15T20:00-05:00", 60, type="long"),  # ends Sun 15 Nov: out
    ]
    data = two_weeks(runs)
    assert [e["run_ids"] for e in data["recovery"]["efforts"]] == [[1]]
    assert [(w["runs"], w["hard_efforts"]) for w in data["weeks"]] == [(0, 1), (1, 0)]


# -- weeks -------------------------------------------------------------------------------


def test_weekly_sums_per_week_exactly():
    runs = [
        run(1, "2026-11-16T07:00-05:00", 30.5, rpe=3, km=5.25),  # load 91.5
        run(2, "2026-11-17T07:00-05:00", 40, km=8),  # no RPE: no load
        run(3, "2026-11-22T23:59-05:00", 20, rpe=4, km=4),  # Sunday: load 80
        run(4, "2026-11-23T00:00-05:00", None, rpe=9),  # Monday, no time
    ]
    visits = [
        massage(5, "2026-11-18T18:00-05:00", 60, "thai"),
        massage(6, "2026-11-19T18:00-05:00", 30, "sports"),
        massage(7, "2026-11-21T18:00-05:00", 45, "sports"),
    ]
    rolls = [care(8, "2026-11-24T07:00-05:00", 10), care(9, "2026-11-29T23:59-05:00", 25)]
    first, second = two_weeks(runs, visits, rolls)["weeks"]
    assert first == {
        "week": "2026-W47",
        "start": "2026-11-16",
        "runs": 3,
        "distance_m": 17250.0,
        "duration_s": 5430,
        "load": 172,  # 91.5 + 80 = 171.5, rounded half to even
        "rpe_coverage": 0.6667,  # 2 of 3 runs rated: under 0.7, so no load context
        "load_change": None,
        "monotony": None,
        "strain": None,
        "hard_efforts": 0,
        "massages": 3,
        "massage_minutes": 135,
        "massage_minutes_by_type": {"sports": 75, "thai": 60},
        "self_care_minutes": 0,
        "on_time": 0,
    }
    assert (second["runs"], second["distance_m"], second["duration_s"], second["load"]) == (
        1, 0.0, 0, 0,
    )  # fmt: skip
    assert (second["hard_efforts"], second["self_care_minutes"]) == (1, 35)
    # One run, rated but without a time: covered, no load, so no monotony
    # (every day 0) and no strain; no 4 weeks of history before it.
    assert [second[k] for k in ("rpe_coverage", "load_change", "monotony", "strain")] == [
        1.0, None, None, 0,
    ]  # fmt: skip
    assert list(first["massage_minutes_by_type"]) == ["sports", "thai"]


def test_week_helpers_with_both_week_starts():
    wednesday = date(2026, 11, 25)
    assert week_first_day(wednesday) == date(2026, 11, 23)
    assert week_first_day(wednesday, SUNDAY) == date(2026, 11, 22)
    assert week_first_day(date(2026, 11, 22), SUNDAY) == date(2026, 11, 22)
    assert week_first_day(date(2026, 11, 22)) == date(2026, 11, 16)
    assert weeks_overlapping(date(2026, 11, 22), date(2026, 11, 23)) == [
        date(2026, 11, 16),
        date(2026, 11, 23),
    ]
    assert weeks_overlapping(date(2026, 11, 22), date(2026, 11, 28), SUNDAY) == [date(2026, 11, 22)]
    assert week_label(date(2026, 11, 22), SUNDAY) == "2026-W48"
    assert week_label(date(2027, 1, 4)) == "2027-W01"
    with pytest.raises(ValueError, match="week_start"):
        week_first_day(wednesday, 1)


def test_weekly_rows_skip_records_after_the_report_end_on_its_last_day():
    end = at("2026-11-29T12:00-05:00")
    rows = [row.to_json() for row in weekly_rows(
        [run(1, "2026-11-29T12:00-05:00", 30), run(2, "2026-11-29T12:00:01-05:00", 30)],
        [massage(3, "2026-11-29T12:00:01-05:00")],
        [care(4, "2026-11-29T12:00:01-05:00")],
        [],
        since=date(2026, 11, 23),
        until=date(2026, 11, 29),
        report_end=end,
    )]
    (row,) = rows
    assert (row["runs"], row["massages"], row["self_care_minutes"]) == (1, 0, 0)


# -- the period --------------------------------------------------------------------------


NOW = at("2026-11-29T10:00:00-05:00")  # a Sunday


def test_report_periods_by_weeks_by_days_and_by_week():
    p = report_period(NOW)
    assert (p.since, p.until, p.end) == (date(2026, 9, 7), date(2026, 11, 29), NOW)
    p = report_period(NOW, weeks=1)
    assert (p.since, p.until) == (date(2026, 11, 23), date(2026, 11, 29))
    p = report_period(NOW, weeks=2, week_start=SUNDAY)
    assert (p.since, p.until) == (date(2026, 11, 22), date(2026, 11, 29))
    p = report_period(NOW, until=date(2026, 11, 20), weeks=1)
    assert (p.since, p.until) == (date(2026, 11, 16), date(2026, 11, 20))
    assert p.end == day_end(date(2026, 11, 20)) == at("2026-11-20T23:59:59-05:00")
    p = report_period(NOW, since=date(2026, 11, 29))
    assert (p.since, p.until, p.end) == (date(2026, 11, 29), date(2026, 11, 29), NOW)
    with pytest.raises(ValueError, match="after today"):
        report_period(NOW, since=date(2026, 11, 30))


def test_report_periods_of_one_week():
    p = report_period(NOW, week="2026-w47")
    assert (p.since, p.until) == (date(2026, 11, 16), date(2026, 11, 22))
    assert p.end == at("2026-11-22T23:59:59-05:00")
    p = report_period(NOW, week="2026-W48", week_start=SUNDAY)
    assert (p.since, p.until, p.end) == (date(2026, 11, 22), date(2026, 11, 28),
                                         at("2026-11-28T23:59:59-05:00"))  # fmt: skip
    p = report_period(NOW, last_week=True)
    assert (p.since, p.until) == (date(2026, 11, 16), date(2026, 11, 22))
    p = report_period(NOW, last_week=True, week_start=SUNDAY)  # this week began today
    assert (p.since, p.until) == (date(2026, 11, 22), date(2026, 11, 28))
    assert iso_week_start("2026-W01") == date(2025, 12, 29)
    assert iso_week_start("2026-W01", SUNDAY) == date(2025, 12, 28)


def test_day_end_is_the_last_local_second_across_a_clock_change():
    assert day_end(date(2026, 11, 1)) == at("2026-11-01T23:59:59-05:00")
    assert day_end(date(2026, 3, 8)) == at("2026-03-08T23:59:59-04:00")


# -- regularity --------------------------------------------------------------------------


def test_regularity_periods_are_whole_blocks_back_from_the_last_day():
    # 8 to 29 Nov = 22 days: three 7-day blocks (23-29, 16-22, 9-15 Nov); 8 Nov
    # belongs to none. Block edges: a massage on 22 Nov is in the 16-22 block.
    visits = [
        massage(1, "2026-11-08T18:00-05:00"),
        massage(2, "2026-11-09T08:00-05:00"),
        massage(3, "2026-11-22T20:00-05:00"),
    ]
    result = regularity(
        visits, since=date(2026, 11, 8), until=date(2026, 11, 29), every_days=7
    ).to_json()
    assert result == {
        "every_days": 7,
        "periods": 3,
        "met": 2,
        "streak": 2,  # 23-29 open and empty: skipped; 16-22 and 9-15 met
        "massages": 3,
        "median_gap_days": 7.04,  # gaps 0.5833 and 13.5 days
        "longest_gap_days": 13.5,
    }
    later = regularity(
        visits, since=date(2026, 11, 9), until=date(2026, 11, 29), every_days=7
    ).to_json()
    assert (later["periods"], later["met"], later["massages"]) == (3, 2, 2)


def test_regularity_a_missed_block_after_the_latest_breaks_the_streak():
    visits = [massage(1, "2026-11-27T08:00-05:00"), massage(2, "2026-11-10T08:00-05:00")]
    result = regularity(
        visits, since=date(2026, 11, 9), until=date(2026, 11, 29), every_days=7
    ).to_json()
    assert (result["periods"], result["met"], result["streak"]) == (3, 2, 1)


def test_regularity_reads_only_up_to_the_report_end():
    visits = [massage(1, "2026-11-20T08:00-05:00"), massage(2, "2026-11-29T12:00-05:00")]
    end = at("2026-11-29T11:59:59-05:00")
    result = regularity(visits, since=date(2026, 11, 23), until=date(2026, 11, 29),
                        every_days=7, report_end=end).to_json()  # fmt: skip
    assert (result["massages"], result["met"], result["streak"]) == (0, 0, 0)
    at_end = regularity(visits, since=date(2026, 11, 16), until=date(2026, 11, 29),
                        every_days=7, report_end=at("2026-11-29T12:00-05:00"))  # fmt: skip
    at_end = at_end.to_json()
    assert (at_end["massages"], at_end["met"], at_end["longest_gap_days"]) == (2, 2, 9.17)
    with pytest.raises(ValueError, match="every_days"):
        regularity(visits, since=date(2026, 11, 23), until=date(2026, 11, 29), every_days=-1)


# -- more edges: ends, ties and what lies past the report's end ---------------------------


def test_a_run_group_orders_its_legs_by_start_then_id():
    late_leg = run(2, "2026-11-20T20:00-05:00", 30, type="relay", event="Hood")
    early_leg = run(3, "2026-11-20T08:00-05:00", 30, type="relay", event="Hood")
    same_start = run(1, "2026-11-20T20:00-05:00", 30, type="relay", event="Hood")
    group = RunGroup.of([late_leg, early_leg, same_start])
    assert (group.run_ids, group.start, group.end) == (
        (3, 1, 2),
        at("2026-11-20T08:00-05:00"),
        at("2026-11-20T20:30-05:00"),
    )


def test_an_effort_without_a_duration_ends_at_its_start():
    race = run(1, "2026-11-20T08:00-05:00", None, type="race")
    before = massage(4, "2026-11-20T07:59:59-05:00")
    at_start = massage(5, "2026-11-20T08:00-05:00")
    (effort,) = two_weeks([race], [before, at_start])["recovery"]["efforts"]
    assert (effort["end"], effort["follow_up"]["id"], effort["lag_hours"]) == (
        "2026-11-20T08:00:00-05:00", 5, 0.0,
    )  # fmt: skip
    (effort,) = two_weeks([race], [before])["recovery"]["efforts"]
    assert (effort["status"], effort["follow_up"]) == ("missed", None)


def test_efforts_ending_together_are_ordered_by_their_first_run_id():
    legs = [
        run(1, "2026-11-20T06:00-05:00", 60, type="relay", event="Hood"),
        run(5, "2026-11-20T08:00-05:00", 60, type="relay", event="Hood"),  # ends 09:00
    ]
    solo = run(3, "2026-11-20T08:30-05:00", 30, type="race")  # ends 09:00 too
    assert ids(hard_efforts([solo, *legs])) == [(1, 5), (3,)]


def test_a_legs_load_leaves_only_its_own_groups_baseline():
    # With a minimum of 5 runs: leg 2 sees 3 runs besides its own leg (not
    # enough); the run two days later sees all five, leg 1 included, median
    # 100: its load 1,000 is a spike.
    rules = HardEffortRules(load_min_runs=5)
    others = [run(i, f"2026-11-1{i}T08:00-05:00", 20, rpe=5) for i in (1, 2, 3)]
    leg1 = run(10, "2026-11-18T08:00-05:00", 20, rpe=5, event="Hood")
    leg2 = run(11, "2026-11-18T12:00-05:00", 60, rpe=5, event="Hood")
    later = run(12, "2026-11-20T08:00-05:00", 200, rpe=5)
    assert [(e.run_ids, e.reasons) for e in hard_efforts([*others, leg1, leg2, later], rules)] == [
        ((12,), ("load",))
    ]


def test_an_effort_ending_at_the_report_end_is_in_it_with_the_whole_window_left():
    race = run(1, "2026-11-29T22:59:59-05:00", 60, type="race")  # ends 23:59:59
    data = two_weeks([race])
    (waiting,) = data["attention"]["pending"]
    assert (waiting["waiting_hours"], waiting["hours_left"]) == (0.0, 72.0)
    assert data["weeks"][1]["hard_efforts"] == 1


def test_what_starts_after_the_report_end_is_not_seen():
    end = at("2026-11-29T10:00-05:00")
    legs = [
        run(1, "2026-11-28T08:00-05:00", 60, type="relay", event="Hood"),
        run(2, "2026-11-29T10:00:01-05:00", 60, type="relay", event="Hood"),  # after the end
    ]
    visits = [massage(3, "2026-11-29T10:00-05:00"), massage(4, "2026-11-29T10:00:01-05:00")]
    rolls = [care(5, "2026-11-29T10:00:01-05:00")]
    data = two_weeks(legs, visits, rolls, report_end=end, every_days=7)
    (effort,) = data["recovery"]["efforts"]
    assert (effort["run_ids"], effort["end"], effort["lag_hours"]) == (
        [1], "2026-11-28T09:00:00-05:00", 25.0,
    )  # fmt: skip
    assert data["attention"]["last_massage"] == "2026-11-29T10:00:00-05:00"
    last = data["weeks"][1]
    assert (last["runs"], last["massages"], last["self_care_minutes"]) == (1, 1, 0)
    assert data["regularity"]["massages"] == 1


def test_a_report_end_without_an_offset_is_refused():
    from datetime import tzinfo

    class NoOffset(tzinfo):
        def utcoffset(self, moment):
            return None

    with pytest.raises(ValueError, match="aware"):
        two_weeks([], report_end=datetime(2026, 11, 29, 23, 59, tzinfo=NoOffset()))


def test_configured_rules_reach_the_report():
    runs = [run(1, "2026-11-20T08:00-05:00", 60, type="long", rpe=6)]
    assert two_weeks(runs)["recovery"]["hard_efforts"] == 1
    rules = HardEffortRules(types=("race",), rpe=7)
    assert two_weeks(runs, rules=rules)["recovery"]["hard_efforts"] == 0


def test_regularity_of_no_days_has_no_periods():
    result = regularity(
        [], since=date(2026, 11, 29), until=date(2026, 11, 20), every_days=7
    ).to_json()
    assert (result["periods"], result["met"], result["streak"]) == (0, 0, 0)


def test_an_effort_starts_with_its_first_leg():
    legs = [
        run(2, "2026-11-20T20:00-05:00", 30, type="relay", event="Hood"),
        run(1, "2026-11-20T08:00-05:00", 30, type="relay", event="Hood"),
    ]
    (effort,) = hard_efforts(legs)
    assert (effort.group.start, effort.end, effort.event) == (
        at("2026-11-20T08:00-05:00"), at("2026-11-20T20:30-05:00"), "Hood",
    )  # fmt: skip


def test_a_week_that_has_begun_ends_today():
    wednesday = at("2026-11-25T10:00-05:00")
    p = report_period(wednesday, week="2026-W48")
    assert (p.since, p.until, p.end) == (date(2026, 11, 23), date(2026, 11, 25), wednesday)


def test_records_starting_at_the_report_end_are_seen():
    end = at("2026-11-29T10:00-05:00")
    data = two_weeks(
        [run(1, "2026-11-29T10:00-05:00", 30, rpe=4, km=5)],
        [],
        [care(2, "2026-11-29T10:00-05:00", 20)],
        report_end=end,
    )
    last = data["weeks"][1]
    assert (last["runs"], last["distance_m"], last["self_care_minutes"]) == (1, 5000.0, 20)


def test_weekly_rows_leave_out_efforts_ending_outside_the_period():
    before = hard_efforts([run(1, "2026-11-15T08:00-05:00", 60, type="race")])
    inside = hard_efforts([run(2, "2026-11-24T08:00-05:00", 60, type="race")])
    end = at("2026-11-29T23:59:59-05:00")
    followed = follow_ups([*before, *inside], [], window_hours=72, report_end=end)
    rows = [row.to_json() for row in weekly_rows([], [], [], followed, since=date(2026, 11, 16),
                       until=date(2026, 11, 29), report_end=end)]  # fmt: skip
    assert [row["hard_efforts"] for row in rows] == [0, 1]


def test_self_care_after_the_report_end_is_not_seen_even_in_its_week():
    # Self-care logged for later today (up to a day ahead is allowed) is not
    # counted in a report read now, nor taken as recovery with --self-care.
    effort = run(1, "2026-11-28T08:00-05:00", 60, type="race")
    later = care(2, "2026-11-29T18:00-05:00", minutes=30)
    now = at("2026-11-29T10:00-05:00")
    for include in (False, True):
        report = two_weeks([effort], self_care=[later], report_end=now,
                           include_self_care=include)  # fmt: skip
        assert report["weeks"][-1]["self_care_minutes"] == 0
        assert statuses(report) == ["pending"]
    seen = two_weeks([effort], self_care=[later], include_self_care=True)
    assert seen["weeks"][-1]["self_care_minutes"] == 30
    assert statuses(seen) == ["on_time"]
