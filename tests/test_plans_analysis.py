"""Plans and how they were kept (SPEC section 10): which plan a session
fulfils, each plan's status, slip and timing, and the report's ``plans``
section. Every expected value is worked out by hand; each boundary the spec
states (a day of slip, ``match_days`` either side, ties) is tried on both sides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from rubdown.analysis.plans import (
    DONE,
    EARLY,
    LATE,
    MISSED,
    ON_DAY,
    OPEN,
    SKIPPED,
    outcome,
    outcomes,
    plan_for,
    plans_section,
    slip_days,
    timing,
)

EST = timezone(timedelta(hours=-5))
MON = datetime(2026, 11, 16, 17, 0, tzinfo=EST)  # a Monday, 17:00


class P:
    """A plan as the analysis reads it."""

    def __init__(self, id, start, plan_kind="massage", type=None, skipped=False):  # noqa: A002
        self.id = id
        self.start = start
        self.plan_kind = plan_kind
        self.type = type
        self.skipped = skipped


def test_the_relay_story_four_days_late():
    # Planned for Monday 17:00, done on Friday 17:00: 4.0 days late.
    fri = MON + timedelta(days=4)
    result = outcome(P(9, MON), done=(14, fri), now=fri)
    assert (result.status, result.done_id, result.slip_days, result.timing) == (DONE, 14, 4.0, LATE)


def test_slip_is_real_elapsed_time_across_offsets():
    # 09:00 at -05:00 is 14:00 UTC; 15:00 at +00:00 is an hour later.
    done = datetime(2026, 11, 16, 15, 0, tzinfo=UTC)
    assert slip_days(datetime(2026, 11, 16, 9, 0, tzinfo=EST), done) == pytest.approx(1 / 24)


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(0, ON_DAY), (23.99, ON_DAY), (-23.99, ON_DAY), (24, LATE), (-24, EARLY), (50, LATE),
     (-50, EARLY)],
)  # fmt: skip
def test_on_its_day_when_under_a_day_either_way(hours, expected):
    assert timing(hours / 24) == expected
    result = outcome(P(1, MON), done=(2, MON + timedelta(hours=hours)), now=MON)
    assert result.timing == expected
    assert result.slip_days == pytest.approx(hours / 24)


def test_open_until_match_days_past_then_missed():
    plan = P(3, MON)
    assert outcome(plan, done=None, now=MON - timedelta(days=30)).status == OPEN
    assert outcome(plan, done=None, now=MON + timedelta(days=7)).status == OPEN
    assert outcome(plan, done=None, now=MON + timedelta(days=7, seconds=1)).status == MISSED
    # match_days is the configured one, not the default
    assert outcome(plan, done=None, now=MON + timedelta(days=3), match_days=2).status == MISSED
    assert outcome(plan, done=None, now=MON + timedelta(days=2), match_days=2).status == OPEN


def test_skipped_is_skipped_whenever_asked_but_done_wins():
    plan = P(4, MON, skipped=True)
    assert outcome(plan, done=None, now=MON - timedelta(days=1)).status == SKIPPED
    assert outcome(plan, done=None, now=MON + timedelta(days=30)).status == SKIPPED
    assert outcome(plan, done=(5, MON), now=MON).status == DONE
    skipped = outcome(plan, done=None, now=MON)
    assert (skipped.done_id, skipped.slip_days, skipped.timing) == (None, None, None)


def test_a_session_fulfils_the_nearest_plan_of_its_kind():
    plans = [
        P(1, MON - timedelta(days=3)),
        P(2, MON + timedelta(days=1)),
        P(3, MON, plan_kind="run"),
        P(4, MON + timedelta(hours=12), plan_kind="self-care"),
    ]
    assert plan_for("massage", "sports", MON, plans).id == 2
    assert plan_for("run", "easy", MON + timedelta(days=2), plans).id == 3
    assert plan_for("self-care", "yoga", MON, plans).id == 4


def test_within_match_days_either_side_and_not_beyond():
    plans = [P(1, MON)]
    week = timedelta(days=7)
    assert plan_for("massage", "thai", MON + week, plans).id == 1
    assert plan_for("massage", "thai", MON - week, plans).id == 1
    assert plan_for("massage", "thai", MON + week + timedelta(seconds=1), plans) is None
    assert plan_for("massage", "thai", MON - week - timedelta(seconds=1), plans) is None
    assert plan_for("massage", "thai", MON + timedelta(days=3), plans, match_days=2) is None
    assert plan_for("massage", "thai", MON + timedelta(days=2), plans, match_days=2).id == 1


def test_a_tie_goes_to_the_earlier_plan_then_the_lower_id():
    day = timedelta(days=1)
    plans = [P(8, MON + day), P(7, MON - day)]
    assert plan_for("massage", "thai", MON, plans).id == 7
    same = [P(12, MON + day), P(11, MON + day)]
    assert plan_for("massage", "thai", MON, same).id == 11


def test_the_type_must_match_when_the_plan_names_one():
    plans = [P(1, MON, type="sports"), P(2, MON + timedelta(days=2))]
    assert plan_for("massage", "sports", MON, plans).id == 1
    assert plan_for("massage", "thai", MON, plans).id == 2  # the plan without a type
    assert plan_for("massage", "thai", MON, plans[:1]) is None


def test_no_plans_no_match():
    assert plan_for("run", "easy", MON, []) is None


def test_plans_section_counts_median_and_items():
    day = timedelta(days=1)
    plans = [
        P(1, MON), P(2, MON + day, type="sports"), P(3, MON + 2 * day),
        P(4, MON + 3 * day, skipped=True), P(5, MON - 20 * day), P(6, MON + 5 * day),
    ]  # fmt: skip
    done = {1: (10, MON + 4 * day), 2: (11, MON + day - timedelta(hours=3)),
            3: (12, MON + day)}  # fmt: skip
    now = MON + 6 * day
    section = plans_section(outcomes(plans, done, now=now))
    assert list(section) == ["planned", "done", "on_day", "early", "late", "skipped", "missed",
                             "open", "median_slip_days", "items"]  # fmt: skip
    assert {k: v for k, v in section.items() if k != "items"} == {
        "planned": 6, "done": 3, "on_day": 1, "early": 1, "late": 1, "skipped": 1,
        "missed": 1, "open": 1,
        # slips 4.0, -0.125, -1.0: the median is -0.125, shown to 2 decimals
        "median_slip_days": -0.12,
    }  # fmt: skip
    first, second = section["items"][:2]
    assert first == {"id": 1, "plan_kind": "massage", "type": None,
                     "planned": "2026-11-16T17:00:00-05:00", "status": "done", "timing": "late",
                     "done_id": 10, "slip_days": 4.0}  # fmt: skip
    assert (second["type"], second["timing"], second["slip_days"]) == ("sports", "on_day", -0.12)
    assert [i["status"] for i in section["items"]] == [
        "done", "done", "done", "skipped", "missed", "open"
    ]
    assert section["items"][4]["done_id"] is None and section["items"][4]["slip_days"] is None


def test_plans_section_median_of_an_even_count_and_of_none():
    day = timedelta(days=1)
    plans = [P(1, MON), P(2, MON + 3 * day)]
    even = plans_section(outcomes(plans, {1: (5, MON + day), 2: (6, MON + 6 * day)}, now=MON))
    assert even["median_slip_days"] == 2.0  # (1 + 3) / 2
    none = plans_section(outcomes(plans, {}, now=MON))
    assert (none["done"], none["open"], none["median_slip_days"]) == (0, 2, None)
    assert plans_section([])["planned"] == 0
