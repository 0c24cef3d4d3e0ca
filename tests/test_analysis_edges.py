"""The edges of rubdown.analysis that a change by one second or one run must move.

Worked out by hand; every expected value is the exact one a report shows.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from helpers import group_runs
from rubdown.analysis import (
    HardEffortRules,
    build_report,
    follow_ups,
    hard_efforts,
    regularity,
)
from rubdown.models import Massage, Run


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def run(run_id: int, start: str, minutes: int, **fields) -> Run:
    fields.setdefault("type", "easy")
    return Run(id=run_id, start=at(start), duration_s=minutes * 60, **fields)


def massage(massage_id: int, start: str) -> Massage:
    return Massage(id=massage_id, start=at(start), type="sports", minutes=60)


RACE = run(1, "2026-11-21T09:00-05:00", 60, type="race")  # ends Sat 10:00


def report(runs, massages, *, end: str = "2026-11-29T10:00-05:00", **options) -> dict:
    options.setdefault("since", date(2026, 11, 16))
    options.setdefault("until", date(2026, 11, 29))
    return build_report(runs, massages, [], report_end=at(end), **options).to_json()


@pytest.mark.parametrize(
    ("start", "status", "lag"),
    [
        ("2026-11-24T10:00:00-05:00", "on_time", 72.0),  # exactly the window's end
        ("2026-11-24T10:00:01-05:00", "late", 72.0),  # one second later (lag rounds to 72.0)
        ("2026-11-21T10:00:00-05:00", "on_time", 0.0),  # at the effort's end
    ],
)
def test_a_massage_at_the_window_end_is_on_time_one_second_later_late(start, status, lag):
    (effort,) = hard_efforts([RACE])
    (result,) = follow_ups([effort], [massage(5, start)], window_hours=72,
                           report_end=at("2026-11-29T10:00-05:00"))  # fmt: skip
    assert (result.status, round(result.lag_hours, 2)) == (status, lag)
    rec = report([RACE], [massage(5, start)])["recovery"]
    assert (rec[status], rec["rate"]) == (1, 1.0 if status == "on_time" else 0.0)


def test_rate_with_a_missed_effort_rounds_to_four_decimals():
    runs = [
        run(1, "2026-11-16T08:00-05:00", 60, type="race"),  # on time (massage 17 Nov)
        run(2, "2026-11-18T08:00-05:00", 60, type="race"),  # late: next is 23 Nov
        run(3, "2026-11-19T08:00-05:00", 60, type="race"),  # on time: 23 Nov is 71 h later
        run(4, "2026-11-24T08:00-05:00", 60, type="race"),  # missed
        run(5, "2026-11-28T08:00-05:00", 60, type="race"),  # pending
        run(6, "2026-11-25T08:00-05:00", 60, type="race"),  # missed
        run(7, "2026-11-25T12:00-05:00", 60, type="race"),  # missed
    ]
    massages = [massage(10, "2026-11-17T08:00-05:00"), massage(11, "2026-11-22T08:00-05:00")]
    rec = report(runs, massages)["recovery"]
    assert [e["status"] for e in rec["efforts"]] == [
        "on_time", "late", "on_time", "missed", "missed", "missed", "pending",
    ]  # fmt: skip
    # 2 / (2 + 1 + 3) = 0.33333...: four decimals.
    assert (rec["on_time"], rec["late"], rec["missed"], rec["pending"]) == (2, 1, 3, 1)
    assert rec["rate"] == 0.3333
    rec = report(runs[:3], massages)["recovery"]
    assert rec["rate"] == 0.6667  # 2 / 3


@pytest.mark.parametrize(
    ("end", "overdue"),
    [
        ("2026-11-24T23:59:59-05:00", False),  # the due day itself: due, not overdue
        ("2026-11-25T00:00:00-05:00", True),  # the day after: overdue
        ("2026-11-20T10:00:00-05:00", False),
    ],
)
def test_a_massage_is_not_overdue_on_its_due_day(end, overdue):
    data = report([], [massage(5, "2026-11-17T18:00-05:00")], end=end,
                  until=date.fromisoformat(end[:10]), every_days=7)  # fmt: skip
    attention = data["attention"]
    assert attention["next_massage_due"] == "2026-11-24"
    assert attention["massage_overdue"] is overdue


def test_every_one_day_counts_each_day():
    massages = [
        massage(1, "2026-11-23T08:00-05:00"),
        massage(2, "2026-11-25T08:00-05:00"),
        massage(3, "2026-11-26T20:00-05:00"),
        massage(4, "2026-11-29T07:00-05:00"),
    ]
    reg = regularity(
        massages, since=date(2026, 11, 23), until=date(2026, 11, 29), every_days=1
    ).to_json()
    assert reg == {
        "every_days": 1,
        "periods": 7,
        "met": 4,
        "streak": 1,  # 29 Nov met, 28 Nov not
        "massages": 4,
        "median_gap_days": 2.0,  # gaps 2.0, 1.5, 2.46
        "longest_gap_days": 2.46,
    }
    with pytest.raises(ValueError):
        regularity(massages, since=date(2026, 11, 23), until=date(2026, 11, 29), every_days=0)


def test_efforts_and_massages_on_the_first_and_last_day_count():
    runs = [
        run(1, "2026-11-16T00:00-05:00", 30, type="long"),  # first day, first minute
        run(2, "2026-11-29T08:00-05:00", 60, type="long"),  # today: ends 09:00
        run(3, "2026-11-15T23:00-05:00", 30, type="long"),  # ends 23:30 the day before
    ]
    massages = [massage(4, "2026-11-16T01:00-05:00"), massage(5, "2026-11-29T10:00-05:00")]
    data = report(runs, massages)
    assert [e["run_ids"] for e in data["recovery"]["efforts"]] == [[1], [2]]
    first, last = data["weeks"]
    for week in (first, last):
        counts = (week["runs"], week["hard_efforts"], week["massages"], week["on_time"])
        assert counts == (1, 1, 1, 1)
    # One second before the last massage, it is not seen yet.
    early = report(runs, massages, end="2026-11-29T09:59:59-05:00")
    assert early["weeks"][1]["massages"] == 0
    assert early["recovery"]["pending"] == 1


RPE5 = {"rpe": 5}


@pytest.mark.parametrize(
    ("first", "hard"),
    [("2026-11-01T09:00:00-05:00", True), ("2026-11-01T08:59:59-05:00", False)],
)
def test_the_load_baseline_begins_exactly_28_days_before(first, hard):
    runs = [
        run(1, first, 20, **RPE5),
        run(2, "2026-11-10T09:00-05:00", 20, **RPE5),
        run(3, "2026-11-11T09:00-05:00", 20, **RPE5),
        run(4, "2026-11-12T09:00-05:00", 20, **RPE5),
        run(5, "2026-11-29T09:00-05:00", 40, **RPE5),  # 200 >= 2 x 100
    ]
    assert [e.run_ids for e in hard_efforts(runs)] == ([(5,)] if hard else [])


def test_the_load_baseline_ends_before_the_run_and_needs_its_minimum():
    priors = [run(i, f"2026-11-2{i}T09:00-05:00", 20, **RPE5) for i in (1, 2, 3)]
    target = run(9, "2026-11-28T09:00-05:00", 40, **RPE5)
    same_instant = run(8, "2026-11-28T09:00-05:00", 20, **RPE5)
    assert hard_efforts([*priors, same_instant, target]) == []  # only 3 before it
    one_second_before = run(8, "2026-11-28T08:59:59-05:00", 20, **RPE5)
    assert [e.run_ids for e in hard_efforts([*priors, one_second_before, target])] == [(9,)]
    three = HardEffortRules(load_min_runs=3)
    assert [e.run_ids for e in hard_efforts([*priors, target], three)] == [(9,)]
    factor = HardEffortRules(load_min_runs=3, load_factor=2.01)
    assert hard_efforts([*priors, target], factor) == []


@pytest.mark.parametrize(
    ("second", "ids"),
    [("2026-11-27T08:00:00-05:00", [(1, 2)]), ("2026-11-27T08:00:01-05:00", [(1,), (2,)])],
)
def test_relay_legs_group_up_to_exactly_48_hours(second, ids):
    legs = [run(1, "2026-11-25T08:00-05:00", 30, event="Hood"),
            run(2, second, 30, event="HOOD")]  # fmt: skip
    assert [group.run_ids for group in group_runs(legs)] == ids


def test_configured_rules_decide():
    runs = [
        run(1, "2026-11-20T08:00-05:00", 60, type="long"),
        run(2, "2026-11-21T08:00-05:00", 60, rpe=7),
        run(3, "2026-11-22T08:00-05:00", 60, type="race"),
    ]
    default = [(e.run_ids, e.reasons) for e in hard_efforts(runs)]
    assert default == [((1,), ("long",)), ((3,), ("race",))]
    rules = HardEffortRules(types=("race",), rpe=7)
    assert [(e.run_ids, e.reasons) for e in hard_efforts(runs, rules)] == [
        ((2,), ("rpe",)),
        ((3,), ("race",)),
    ]
