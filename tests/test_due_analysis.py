"""What is due (SPEC section 10): every kind of item, each boundary on both
sides, and the order (most urgent first). Values worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from rubdown.analysis import follow_ups, hard_efforts
from rubdown.analysis.due import (
    BOOK_RECOVERY,
    CADENCE,
    OVERDUE_PLAN,
    PENDING_EFFORT,
    UPCOMING_PLAN,
    due_items,
    planned_end,
)
from rubdown.models import Massage, Run

EST = timezone(timedelta(hours=-5))
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=EST)  # Sunday 10:00
H = timedelta(hours=1)
D = timedelta(days=1)


class P:
    """An open plan as the analysis reads it."""

    def __init__(self, id, start, plan_kind="massage", type=None, duration_s=None):  # noqa: A002
        self.id = id
        self.start = start
        self.plan_kind = plan_kind
        self.type = type
        self.duration_s = duration_s
        self.skipped = False


def whats(items):
    return [(i.what, i.id, i.overdue) for i in items]


def test_nothing_due():
    assert due_items(now=NOW, window_hours=72) == []


def test_a_pending_effort_is_due_at_its_windows_end():
    race = Run(1, NOW - 30 * H, "race", 10000.0, 3600)
    ups = follow_ups(hard_efforts([race]), [], window_hours=72, report_end=NOW)
    [item] = due_items(now=NOW, follow_ups=ups, window_hours=72)
    assert (item.what, item.id, item.overdue) == (PENDING_EFFORT, 1, False)
    assert item.due == NOW - 30 * H + H + 72 * H  # end of the race + the window
    assert item.subject is ups[0]


def test_an_effort_followed_or_missed_is_not_due():
    race = Run(1, NOW - 30 * H, "race", 10000.0, 3600)
    massage = Massage(2, NOW - 5 * H, "sports", 60)
    followed = follow_ups(hard_efforts([race]), [massage], window_hours=72, report_end=NOW)
    assert due_items(now=NOW, follow_ups=followed, window_hours=72) == []
    old = Run(3, NOW - 100 * H, "race", 10000.0, 3600)
    missed = follow_ups(hard_efforts([old]), [], window_hours=72, report_end=NOW)
    assert missed[0].status == "missed"
    assert due_items(now=NOW, follow_ups=missed, window_hours=72) == []


def test_plans_past_their_start_are_overdue_and_the_next_seven_days_upcoming():
    plans = [P(1, NOW - H), P(2, NOW + 7 * D), P(3, NOW + 7 * D + H), P(4, NOW)]
    items = due_items(now=NOW, window_hours=72, open_plans=plans)
    assert whats(items) == [(OVERDUE_PLAN, 1, True), (UPCOMING_PLAN, 4, False),
                            (UPCOMING_PLAN, 2, False)]  # fmt: skip
    assert items[0].due == NOW - H
    wider = due_items(now=NOW, window_hours=72, open_plans=plans, horizon_days=8)
    assert (UPCOMING_PLAN, 3, False) in whats(wider)


def test_recovery_to_book_before_a_planned_race():
    race = P(5, NOW + 10 * D, "run", "race", duration_s=3 * 3600)
    items = due_items(now=NOW, window_hours=72, open_plans=[race])
    assert whats(items) == [(BOOK_RECOVERY, 5, False)]
    assert items[0].due == NOW + 3 * D  # seven days before the race
    late = due_items(now=NOW, window_hours=72, open_plans=[race], book_lead_days=11)
    assert whats(late) == [(BOOK_RECOVERY, 5, True)]


@pytest.mark.parametrize(
    ("offset", "booked"),
    [(3 * H, True), (3 * H + 72 * H, True), (3 * H + 72 * H + timedelta(seconds=1), False),
     (3 * H - timedelta(seconds=1), False)],
)  # fmt: skip
def test_a_massage_planned_inside_the_window_after_the_planned_end_books_it(offset, booked):
    start = NOW + 10 * D
    race = P(5, start, "run", "race", duration_s=3 * 3600)
    massage = P(6, start + offset)  # beyond the horizon: only its booking counts
    items = due_items(now=NOW, window_hours=72, open_plans=[race, massage])
    assert ((BOOK_RECOVERY, 5, False) in whats(items)) is not booked


def test_self_care_books_recovery_only_when_counted():
    start = NOW + 10 * D
    race = P(5, start, "run", "long", duration_s=2 * 3600)
    stretch = P(6, start + 3 * H, "self-care")
    assert BOOK_RECOVERY in [i.what for i in due_items(
        now=NOW, window_hours=72, open_plans=[race, stretch])]  # fmt: skip
    assert BOOK_RECOVERY not in [i.what for i in due_items(
        now=NOW, window_hours=72, open_plans=[race, stretch],
        recovery_kinds=("massage", "self-care"))]  # fmt: skip


def test_only_hard_types_need_recovery_booked_and_only_before_they_start():
    easy = P(7, NOW + 10 * D, "run", "easy")
    untyped = P(8, NOW + 10 * D, "run")
    tempo = P(9, NOW + 10 * D, "run", "tempo")
    plans = [easy, untyped, tempo]
    assert due_items(now=NOW, window_hours=72, open_plans=plans) == []
    assert whats(due_items(now=NOW, window_hours=72, open_plans=plans,
                           hard_types=("tempo",))) == [(BOOK_RECOVERY, 9, False)]  # fmt: skip
    started = P(10, NOW - H, "run", "race")
    assert whats(due_items(now=NOW, window_hours=72, open_plans=[started])) == [
        (OVERDUE_PLAN, 10, True)
    ]


def test_a_relay_without_a_time_ends_a_day_after_its_start():
    start = NOW + 10 * D
    assert planned_end(P(1, start, "run", "relay")) == start + 24 * H
    assert planned_end(P(1, start, "run", "race")) == start
    assert planned_end(P(1, start, "run", "relay", duration_s=600)) == start + 600 * timedelta(
        seconds=1
    )
    relay = P(5, start, "run", "relay")
    too_soon = P(6, start + 23 * H)
    after = P(7, start + 24 * H)
    assert BOOK_RECOVERY in [i.what for i in due_items(
        now=NOW, window_hours=72, open_plans=[relay, too_soon])]  # fmt: skip
    assert BOOK_RECOVERY not in [i.what for i in due_items(
        now=NOW, window_hours=72, open_plans=[relay, after])]  # fmt: skip


@pytest.mark.parametrize(
    ("last_day", "listed", "overdue"),
    [
        (date(2026, 11, 1), True, True),  # due 22 Nov: a week overdue
        (date(2026, 11, 8), True, False),  # due today, 29 Nov: due, not overdue
        (date(2026, 11, 7), True, True),  # due yesterday
        (date(2026, 11, 15), True, False),  # due 6 Dec: seven days ahead
        (date(2026, 11, 16), False, False),  # due 7 Dec: eight days ahead
    ],
)
def test_the_next_massage_by_the_cadence_from_the_last_one_done(last_day, listed, overdue):
    last = datetime(last_day.year, last_day.month, last_day.day, 18, 0, tzinfo=EST)
    items = due_items(now=NOW, window_hours=72, last_massage=last, every_days=21)
    assert whats(items) == ([(CADENCE, None, overdue)] if listed else [])
    if listed:
        assert items[0].due == last_day + timedelta(days=21)


def test_no_cadence_without_a_target_or_a_massage():
    last = NOW - 30 * D
    assert due_items(now=NOW, window_hours=72, last_massage=last) == []
    assert due_items(now=NOW, window_hours=72, every_days=7) == []


def test_most_urgent_first():
    race = Run(1, NOW - 30 * H, "race", 10000.0, 3600)  # window ends in 43 h
    ups = follow_ups(hard_efforts([race]), [], window_hours=72, report_end=NOW)
    plans = [P(20, NOW + 3 * D), P(21, NOW - 2 * D), P(22, NOW - 3 * H), P(23, NOW + H),
             P(24, NOW + 30 * D, "run", "race")]  # fmt: skip
    last = datetime(2026, 11, 1, 9, 0, tzinfo=EST)  # cadence due 22 Nov: overdue
    items = due_items(now=NOW, follow_ups=ups, window_hours=72, open_plans=plans,
                      last_massage=last, every_days=21)  # fmt: skip
    assert whats(items) == [
        (CADENCE, None, True),  # overdue since 22 Nov
        (OVERDUE_PLAN, 21, True),  # since 27 Nov
        (OVERDUE_PLAN, 22, True),  # since 07:00 today
        (UPCOMING_PLAN, 23, False),  # in an hour
        (PENDING_EFFORT, 1, False),  # in 43 hours
        (UPCOMING_PLAN, 20, False),  # in 3 days
        (BOOK_RECOVERY, 24, False),  # in 23 days
    ]


def test_a_relay_is_named_by_its_first_leg():
    legs = [Run(31, NOW - 40 * H, "relay", 8000.0, 2400, event="Ragnar", leg=1),
            Run(32, NOW - 30 * H, "relay", 9000.0, 2700, event="Ragnar", leg=2)]  # fmt: skip
    ups = follow_ups(hard_efforts(legs), [], window_hours=72, report_end=NOW)
    [item] = due_items(now=NOW, follow_ups=ups, window_hours=72)
    assert item.id == 31
    assert item.due == NOW - 30 * H + timedelta(seconds=2700) + 72 * H


def test_a_plan_starting_now_is_upcoming_and_still_needs_recovery_booked():
    race = P(40, NOW, "run", "race")
    items = due_items(now=NOW, window_hours=72, open_plans=[race], book_lead_days=0)
    assert whats(items) == [(UPCOMING_PLAN, 40, False), (BOOK_RECOVERY, 40, False)]


def test_booking_is_overdue_only_after_its_day_begins_to_pass():
    race = P(41, NOW + 7 * D, "run", "race")
    [item] = due_items(now=NOW, window_hours=72, open_plans=[race], horizon_days=6)
    assert (item.what, item.due, item.overdue) == (BOOK_RECOVERY, NOW, False)
    [later] = due_items(now=NOW + timedelta(seconds=1), window_hours=72, open_plans=[race],
                        horizon_days=5)  # fmt: skip
    assert (later.what, later.overdue) == (BOOK_RECOVERY, True)


def test_ties_go_to_the_lower_id():
    plans = [P(52, NOW + D), P(51, NOW + D), P(50, NOW - D), P(49, NOW - D)]
    assert [i.id for i in due_items(now=NOW, window_hours=72, open_plans=plans)] == [
        49, 50, 51, 52
    ]
