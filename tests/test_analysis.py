"""Golden tests for rubdown.analysis: every expected value worked out by hand."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from helpers import group_runs
from rubdown.analysis import (
    SUNDAY,
    HardEffortRules,
    build_report,
    follow_ups,
    hard_efforts,
    regularity,
    week_label,
)
from rubdown.models import Massage, Run, SelfCare

RULES = HardEffortRules()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def run(
    run_id: int,
    start: str,
    minutes: float | None = None,
    *,
    type: str = "easy",
    rpe: int | None = None,
    km: float | None = None,
    event: str | None = None,
) -> Run:
    return Run(
        id=run_id,
        start=at(start),
        type=type,
        distance_m=None if km is None else km * 1000,
        duration_s=None if minutes is None else round(minutes * 60),
        rpe=rpe,
        event=event,
    )


def massage(massage_id: int, start: str, minutes: int = 60, type: str = "sports") -> Massage:
    return Massage(id=massage_id, start=at(start), type=type, minutes=minutes)


def care(care_id: int, start: str, minutes: int = 20, type: str = "foam-roll") -> SelfCare:
    return SelfCare(id=care_id, start=at(start), type=type, minutes=minutes)


def statuses(report: dict) -> list[str]:
    return [effort["status"] for effort in report["recovery"]["efforts"]]


# --- the relay story --------------------------------------------------------

RAGNAR = [
    # Fri 03:00, 50 min -> 03:50. Spelling varies: grouping ignores case/spaces.
    run(31, "2026-11-13T03:00-05:00", 50, type="relay", rpe=7, km=8, event="Ragnar"),
    # Fri 15:10, 45 min, RPE 8 -> adds reason "rpe" to the group.
    run(32, "2026-11-13T15:10-05:00", 45, type="relay", rpe=8, km=9, event=" ragnar "),
    # Sat 09:00 (30 h after the first leg), 40 min -> ends Sat 09:40.
    run(33, "2026-11-14T09:00-05:00", 40, type="relay", rpe=7, km=10, event="RAGNAR"),
]
EASY_TUESDAY = run(40, "2026-11-10T07:00-05:00", 30, rpe=4, km=5)
FRIDAY_MASSAGE = massage(9, "2026-11-20T17:00-05:00", 90)
SUNDAY_ROLL = care(50, "2026-11-15T10:00-05:00", 20)


def relay_report(**options) -> dict:
    options.setdefault("report_end", at("2026-11-22T23:59:59-05:00"))
    options.setdefault("until", date(2026, 11, 22))
    return build_report(
        [EASY_TUESDAY, *RAGNAR],
        [FRIDAY_MASSAGE],
        [SUNDAY_ROLL],
        since=date(2026, 11, 9),
        rules=RULES,
        **options,
    ).to_json()


def test_the_report_is_a_typed_value_whose_efforts_carry_their_runs():
    """What the renderers read: each effort with its runs and the session
    that followed it, hours rounded as report --json shows them."""
    report = build_report(
        [EASY_TUESDAY, *RAGNAR], [FRIDAY_MASSAGE], [SUNDAY_ROLL], since=date(2026, 11, 9),
        until=date(2026, 11, 22), report_end=at("2026-11-22T23:59:59-05:00"), rules=RULES,
    )  # fmt: skip
    (effort,) = report.recovery.efforts
    assert effort.group.runs == tuple(RAGNAR) and effort.follow_up == FRIDAY_MASSAGE
    assert (effort.status, effort.lag_hours) == ("late", 151.33)
    assert report.to_json() == relay_report()
    assert [week.start for week in report.weeks] == [date(2026, 11, 9), date(2026, 11, 16)]


def test_relay_story_full_report():
    report = relay_report()
    json.dumps(report)  # plain values only
    assert report == {
        "period": {
            "since": "2026-11-09",
            "until": "2026-11-22",
            "end": "2026-11-22T23:59:59-05:00",
        },
        "window_hours": 72,
        "weeks": [
            {
                "week": "2026-W46",
                "start": "2026-11-09",
                # runs 40, 31, 32, 33 (Tue, Fri, Fri, Sat)
                "runs": 4,
                "distance_m": 32000.0,  # 5 + 8 + 9 + 10 km
                "duration_s": 9900,  # (30 + 50 + 45 + 40) min * 60
                "load": 1110,  # 4*30 + 7*50 + 8*45 + 7*40 = 120 + 350 + 360 + 280
                "rpe_coverage": 1.0,
                "load_change": None,  # the first run is in this week: no 4 weeks before
                # days 0, 120, 0, 0, 710, 280, 0: 1110 / sqrt(7 * 596900 - 1110²)
                "monotony": 0.65,
                "strain": 718,  # 1110 * 0.64668
                "hard_efforts": 1,  # the relay, by its end on Sat 14
                "massages": 0,
                "massage_minutes": 0,
                "massage_minutes_by_type": {},
                "self_care_minutes": 20,  # foam roll on Sun 15 (still week 46)
                "on_time": 0,
            },
            {
                "week": "2026-W47",
                "start": "2026-11-16",
                "runs": 0,
                "distance_m": 0.0,
                "duration_s": 0,
                "load": 0,
                "rpe_coverage": None,  # no runs
                "load_change": None,
                "monotony": None,
                "strain": None,
                "hard_efforts": 0,
                "massages": 1,
                "massage_minutes": 90,
                "massage_minutes_by_type": {"sports": 90},
                "self_care_minutes": 0,
                "on_time": 0,
            },
        ],
        "recovery": {
            "hard_efforts": 1,
            "on_time": 0,
            "late": 1,
            "missed": 0,
            "pending": 0,
            "rate": 0.0,  # 0 / (0 + 1 + 0)
            "median_lag_hours": 151.33,
            "max_lag_hours": 151.33,
            "efforts": [
                {
                    "run_ids": [31, 32, 33],
                    "event": "Ragnar",
                    "start": "2026-11-13T03:00:00-05:00",
                    "end": "2026-11-14T09:40:00-05:00",
                    "reasons": ["relay", "rpe"],
                    "status": "late",
                    "follow_up": {
                        "kind": "massage",
                        "id": 9,
                        "type": "sports",
                        "start": "2026-11-20T17:00:00-05:00",
                        "minutes": 90,
                    },
                    # Sat 09:40 -> Fri 09:40 = 6 * 24 = 144 h, + 7 h 20 min = 151.333
                    "lag_hours": 151.33,
                    "waiting_hours": None,
                    "distance_m": 27000.0,
                    "duration_s": 8100,  # (50 + 45 + 40) * 60
                }
            ],
        },
        "regularity": {
            "every_days": None,
            "periods": None,
            "met": None,
            "streak": None,
            "massages": 1,
            "median_gap_days": None,
            "longest_gap_days": None,
        },
        "attention": {
            "pending": [],
            "last_massage": "2026-11-20T17:00:00-05:00",
            "next_massage_due": None,
            "massage_overdue": False,
        },
        "plans": {
            "planned": 0, "done": 0, "on_day": 0, "early": 0, "late": 0, "skipped": 0,
            "missed": 0, "open": 0, "median_slip_days": None, "items": [],
        },  # fmt: skip
        "wellness": {  # no check-ins: a row per week, null means, the massage with none
            "weeks": [
                {"week": week, "check_ins": 0, "soreness_mean": None, "fatigue_mean": None,
                 "sleep_mean": None} for week in ("2026-W46", "2026-W47")
            ],
            "around_massage": [
                {"massage_id": 9, "before": None, "after": None, "n_before": 0, "n_after": 0},
            ],
        },
        "spend": {
            "currency": "USD", "total": "0.00", "massages_with_cost": 0,
            "massages_without_cost": 1, "per_massage": None, "per_hour": None,
            "by_month": [{"month": "2026-11", "total": "0.00", "massages": 1}],
            "by_type": {"sports": "0.00"},
        },  # fmt: skip
    }


def test_relay_with_self_care_counts_the_foam_roll():
    report = relay_report(include_self_care=True)
    (effort,) = report["recovery"]["efforts"]
    assert effort["follow_up"]["kind"] == "self-care"
    assert effort["follow_up"]["id"] == 50
    # Sat 09:40 -> Sun 10:00 = 24 h 20 min = 24.333
    assert effort["lag_hours"] == 24.33
    assert effort["status"] == "on_time"
    assert report["recovery"]["rate"] == 1.0
    assert report["weeks"][0]["on_time"] == 1


def test_relay_with_a_fortnightly_cadence():
    report = relay_report(every_days=14)
    # 9..22 Nov = 14 days = one period, holding the massage of 20 Nov.
    assert report["regularity"]["periods"] == 1
    assert report["regularity"]["met"] == 1
    assert report["regularity"]["streak"] == 1
    # 20 Nov + 14 days = 4 Dec; the report ends 22 Nov.
    assert report["attention"]["next_massage_due"] == "2026-12-04"
    assert report["attention"]["massage_overdue"] is False


def test_past_until_ignores_later_records():
    late_long = run(60, "2026-11-17T18:00-05:00", 120, type="long", km=25)
    morning = run(61, "2026-11-17T07:00-05:00", 30, rpe=3, km=5)
    runs = [EASY_TUESDAY, *RAGNAR, late_long, morning]
    end = at("2026-11-17T12:00-05:00")
    report = build_report(
        runs,
        [FRIDAY_MASSAGE],
        [SUNDAY_ROLL],
        since=date(2026, 11, 9),
        until=date(2026, 11, 17),
        report_end=end,
        rules=RULES,
    ).to_json()
    (effort,) = report["recovery"]["efforts"]  # the 18:00 long run is not seen
    assert effort["run_ids"] == [31, 32, 33]
    # The Friday massage is after the end: Sat 14 09:40 -> Tue 17 12:00
    # = 3 * 24 + 2 h 20 min = 74.333 h > 72 -> missed.
    assert effort["status"] == "missed"
    assert effort["follow_up"] is None
    assert effort["waiting_hours"] == 74.33
    assert [week["runs"] for week in report["weeks"]] == [4, 1]  # only run 61 in W47
    assert report["weeks"][1]["massages"] == 0
    assert report["attention"]["last_massage"] is None
    # Same report as if the later records had never been logged.
    seen = build_report(
        [r for r in runs if r.start <= end],
        [],
        [SUNDAY_ROLL],
        since=date(2026, 11, 9),
        until=date(2026, 11, 17),
        report_end=end,
        rules=RULES,
    ).to_json()
    assert seen == report


# --- grouping -----------------------------------------------------------------


def test_group_runs_joins_legs_within_48_hours_of_the_first():
    runs = [
        run(1, "2026-11-13T03:00-05:00", 50, event="Ragnar"),
        run(2, "2026-11-14T09:00-05:00", 40, event="ragnar"),  # +30 h
        run(3, "2026-11-15T03:00-05:00", 30, event="RAGNAR "),  # +48 h exactly: joins
        run(4, "2026-11-15T03:01-05:00", 30, event="Ragnar"),  # +48 h 1 min: new group
        run(5, "2026-11-13T03:00-05:00", 30),  # no event: alone
        run(6, "2026-11-13T04:00-05:00", 30, event="Hood to Coast"),
        run(7, "2026-11-13T05:00-05:00", 30, event="   "),  # blank event: alone
    ]
    groups = group_runs(reversed(runs))
    # Oldest group first; runs 1 and 5 share a start, so the lower id leads.
    assert [group.run_ids for group in groups] == [(1, 2, 3), (5,), (6,), (7,), (4,)]
    assert groups[0].event == "Ragnar"
    assert groups[3].event is None


def test_group_end_is_the_latest_end_not_the_last_start():
    long_leg = run(1, "2026-11-13T00:00-05:00", 600, event="Night Relay")  # ends 10:00
    short_leg = run(2, "2026-11-13T01:00-05:00", 60, event="Night Relay")  # ends 02:00
    no_time = run(3, "2026-11-13T02:00-05:00", None, event="Night Relay")  # ends 02:00
    (group,) = group_runs([no_time, short_leg, long_leg])
    assert group.run_ids == (1, 2, 3)
    assert group.end == at("2026-11-13T10:00-05:00")
    (alone,) = group_runs([run(4, "2026-11-13T06:00-05:00", None)])
    assert alone.end == alone.start


# --- rules 1-3 ----------------------------------------------------------------


def test_type_and_rpe_reasons():
    efforts = hard_efforts(
        [
            run(1, "2026-10-03T08:00-04:00", 60, type="race", rpe=9),  # race + rpe
            run(2, "2026-10-04T08:00-04:00", 120, type="long", rpe=6),  # long
            run(3, "2026-10-06T08:00-04:00", 40, type="intervals", rpe=8),  # rpe
            run(4, "2026-10-07T08:00-04:00", 40, type="tempo", rpe=7),  # not hard
            run(5, "2026-10-08T08:00-04:00", 40, type="easy"),  # not hard
        ],
        RULES,
    )
    assert [(e.run_ids, e.reasons) for e in efforts] == [
        ((1,), ("race", "rpe")),
        ((2,), ("long",)),
        ((3,), ("rpe",)),
    ]


# Target run on Thu 1 Oct 07:00. Four earlier easy runs at RPE 5:
#   T-28 d exactly (window start is inclusive): 20 min -> load 100
#   11 Sep: 40 min -> 200;  21 Sep: 50 min -> 250;  29 Sep: 60 min -> 300
# median(100, 200, 250, 300) = (200 + 250) / 2 = 225 -> threshold 2 * 225 = 450.
PRIOR = [
    run(1, "2026-09-03T07:00-04:00", 20, rpe=5),
    run(2, "2026-09-11T07:00-04:00", 40, rpe=5),
    run(3, "2026-09-21T07:00-04:00", 50, rpe=5),
    run(4, "2026-09-29T07:00-04:00", 60, rpe=5),
]


def test_load_rule_with_exactly_four_prior_runs():
    target = run(5, "2026-10-01T07:00-04:00", 100, rpe=6)  # 6 * 100 = 600 >= 450
    (effort,) = hard_efforts([*PRIOR, target], RULES)
    assert effort.run_ids == (5,)
    assert effort.reasons == ("load",)


def test_load_rule_threshold_is_inclusive():
    at_threshold = run(5, "2026-10-01T07:00-04:00", 90, rpe=5)  # 5 * 90 = 450
    below = run(5, "2026-10-01T07:00-04:00", 89, rpe=5)  # 5 * 89 = 445
    assert [e.run_ids for e in hard_efforts([*PRIOR, at_threshold], RULES)] == [(5,)]
    assert hard_efforts([*PRIOR, below], RULES) == []


def test_load_rule_needs_four_runs_with_a_load():
    target = run(5, "2026-10-01T07:00-04:00", 100, rpe=6)  # 600
    # The first run one minute earlier falls out of the 28 days: 3 runs left
    # (median 250, threshold 500 <= 600, but too few runs to judge).
    too_old = run(1, "2026-09-03T06:59-04:00", 20, rpe=5)
    no_rpe = run(6, "2026-09-20T07:00-04:00", 60)  # no RPE -> no load, not counted
    assert hard_efforts([too_old, *PRIOR[1:], no_rpe, target], RULES) == []


def test_load_rule_ignores_legs_of_the_same_event():
    priors = [
        run(1, "2026-09-21T07:00-04:00", 20, rpe=5),  # 100
        run(2, "2026-09-22T07:00-04:00", 20, rpe=5),  # 100
        run(3, "2026-09-23T07:00-04:00", 20, rpe=5),  # 100
    ]
    leg1 = run(10, "2026-10-01T05:00-04:00", 20, rpe=5, event="Club Series")  # 100
    leg2 = run(11, "2026-10-01T07:00-04:00", 60, rpe=5, event="Club Series")  # 300
    # Leg 2 sees only 3 runs outside its own event: not hard.
    assert hard_efforts([*priors, leg1, leg2], RULES) == []
    # As separate runs, leg 2 sees 4 runs of median 100: 300 >= 200 -> hard.
    solo = run(10, "2026-10-01T05:00-04:00", 20, rpe=5)
    (effort,) = hard_efforts([*priors, solo, leg2], RULES)
    assert effort.run_ids == (11,)
    assert effort.reasons == ("load",)


# --- follow-up ----------------------------------------------------------------


def test_lag_counts_real_hours_across_the_dst_end():
    # Long run Sat 31 Oct 08:00 EDT, 2 h -> ends 10:00-04:00 = 14:00 UTC.
    # Massage Tue 3 Nov 09:30 EST = 14:30 UTC. Wall clock says 71.5 h; the
    # clocks went back an hour on 1 Nov, so 72.5 h really passed -> late.
    long_run = run(1, "2026-10-31T08:00-04:00", 120, type="long")
    visit = massage(2, "2026-11-03T09:30-05:00")
    end = at("2026-11-07T23:59:59-05:00")
    (effort,) = hard_efforts([long_run], RULES)
    (result,) = follow_ups([effort], [visit], window_hours=72, report_end=end)
    assert result.lag_hours == 72.5
    assert result.status == "late"
    (wider,) = follow_ups([effort], [visit], window_hours=73, report_end=end)
    assert wider.status == "on_time"


def test_lag_counts_real_hours_with_a_named_zone():
    # The same instants in America/New_York: subtracting two datetimes that
    # share a ZoneInfo would give wall-clock time (71.5 h) in plain Python.
    zone = ZoneInfo("America/New_York")
    start = datetime(2026, 10, 31, 8, 0, tzinfo=zone)
    long_run = Run(id=1, start=start, type="long", duration_s=7200)
    visit = Massage(id=2, start=datetime(2026, 11, 3, 9, 30, tzinfo=zone), type="thai", minutes=60)
    (effort,) = hard_efforts([long_run], RULES)
    (result,) = follow_ups(
        [effort], [visit], window_hours=72, report_end=datetime(2026, 11, 7, 23, 0, tzinfo=zone)
    )
    assert result.lag_hours == 72.5
    assert result.status == "late"


def test_two_efforts_share_one_massage():
    race = run(1, "2026-09-12T08:00-04:00", 60, type="race")  # ends Sat 09:00
    long_run = run(2, "2026-09-13T07:00-04:00", 120, type="long")  # ends Sun 09:00
    visit = massage(50, "2026-09-15T18:00-04:00")  # Tue 18:00
    report = build_report(
        [race, long_run],
        [visit],
        [],
        since=date(2026, 9, 7),
        until=date(2026, 9, 20),
        report_end=at("2026-09-20T23:59:59-04:00"),
        rules=RULES,
    ).to_json()
    efforts = report["recovery"]["efforts"]
    assert [e["follow_up"]["id"] for e in efforts] == [50, 50]
    # Sat 09:00 -> Tue 09:00 = 72 h, + 9 h = 81 h -> late
    # Sun 09:00 -> Tue 09:00 = 48 h, + 9 h = 57 h -> on time
    assert [(e["lag_hours"], e["status"]) for e in efforts] == [(81.0, "late"), (57.0, "on_time")]
    recovery = report["recovery"]
    assert recovery["rate"] == 0.5  # 1 / (1 + 1 + 0)
    assert recovery["median_lag_hours"] == 69.0  # (57 + 81) / 2
    assert recovery["max_lag_hours"] == 81.0
    assert report["weeks"][0]["hard_efforts"] == 2
    assert report["weeks"][0]["on_time"] == 1


def test_ties_at_the_same_start_go_to_the_lower_id():
    (effort,) = hard_efforts([run(1, "2026-09-12T08:00-04:00", 60, type="race")], RULES)
    end = at("2026-09-20T23:59:59-04:00")
    later_id = massage(9, "2026-09-13T10:00-04:00")
    lower_id = massage(4, "2026-09-13T10:00-04:00")
    roll = care(3, "2026-09-13T10:00-04:00")
    (result,) = follow_ups([effort], [later_id, lower_id], window_hours=72, report_end=end)
    assert result.session == lower_id
    assert result.lag_hours == 25.0  # Sat 09:00 -> Sun 10:00
    (with_care,) = follow_ups([effort], [later_id, lower_id, roll], window_hours=72, report_end=end)
    assert with_care.session == roll


def test_a_session_at_the_end_counts_one_before_does_not():
    (effort,) = hard_efforts([run(1, "2026-09-12T08:00-04:00", 60, type="race")], RULES)
    end = at("2026-09-20T23:59:59-04:00")
    before = massage(7, "2026-09-12T08:59:59-04:00")
    exactly = massage(8, "2026-09-12T09:00-04:00")
    (result,) = follow_ups([effort], [before, exactly], window_hours=72, report_end=end)
    assert result.session == exactly
    assert (result.lag_hours, result.status) == (0.0, "on_time")


def pending_report(report_end: str, every_days: int | None = 7) -> dict:
    return build_report(
        # Long run Fri 20 Nov 08:00, 2 h -> ends 10:00.
        [run(1, "2026-11-20T08:00-05:00", 120, type="long", km=30)],
        [massage(3, "2026-11-10T18:00-05:00")],
        [],
        since=date(2026, 11, 16),
        until=date(2026, 11, 23),
        report_end=at(report_end),
        rules=RULES,
        every_days=every_days,
    ).to_json()


def test_pending_effort_while_the_window_is_open():
    report = pending_report("2026-11-21T16:00-05:00")
    (effort,) = report["recovery"]["efforts"]
    assert effort["status"] == "pending"
    assert effort["waiting_hours"] == 30.0  # Fri 10:00 -> Sat 16:00
    recovery = report["recovery"]
    assert (recovery["pending"], recovery["rate"], recovery["median_lag_hours"]) == (1, None, None)
    assert report["attention"] == {
        "pending": [
            {
                "run_ids": [1],
                "event": None,
                "end": "2026-11-20T10:00:00-05:00",
                "reasons": ["long"],
                "waiting_hours": 30.0,
                "hours_left": 42.0,  # 72 - 30
            }
        ],
        "last_massage": "2026-11-10T18:00:00-05:00",
        "next_massage_due": "2026-11-17",  # 10 Nov + 7 days
        "massage_overdue": True,  # the report's date, 21 Nov, is after 17 Nov
    }


def test_pending_until_exactly_the_window_then_missed():
    # Fri 10:00 + 72 h = Mon 23 Nov 10:00: still pending, one second later missed.
    assert statuses(pending_report("2026-11-23T10:00-05:00")) == ["pending"]
    missed = pending_report("2026-11-23T10:00:01-05:00")
    assert statuses(missed) == ["missed"]
    assert missed["recovery"]["rate"] == 0.0
    assert missed["attention"]["pending"] == []


def test_no_cadence_means_nothing_is_due():
    attention = pending_report("2026-11-21T16:00-05:00", every_days=None)["attention"]
    assert attention["next_massage_due"] is None
    assert attention["massage_overdue"] is False


# --- weeks --------------------------------------------------------------------


def test_sunday_week_start():
    sunday_run = run(1, "2026-11-15T07:00-05:00", 60, rpe=5, km=12)  # Sun 15 Nov
    args = ([sunday_run], [], [])
    period = {
        "since": date(2026, 11, 8),  # a Sunday
        "until": date(2026, 11, 21),  # a Saturday
        "report_end": at("2026-11-21T23:59:59-05:00"),
        "rules": RULES,
    }
    by_sunday = build_report(*args, week_start=SUNDAY, **period).to_json()["weeks"]
    # Sunday weeks 8-14 and 15-21 Nov, labelled by their Mondays 9 and 16 Nov.
    assert [(w["week"], w["start"], w["runs"]) for w in by_sunday] == [
        ("2026-W46", "2026-11-08", 0),
        ("2026-W47", "2026-11-15", 1),
    ]
    by_monday = build_report(*args, **period).to_json()["weeks"]
    # Monday weeks overlapping 8-21 Nov: 2, 9 and 16 Nov; Sun 15 is in the 9th's.
    assert [(w["week"], w["start"], w["runs"]) for w in by_monday] == [
        ("2026-W45", "2026-11-02", 0),
        ("2026-W46", "2026-11-09", 1),
        ("2026-W47", "2026-11-16", 0),
    ]
    assert by_monday[1]["load"] == 300  # 5 * 60


def test_week_labels_across_the_new_year():
    assert week_label(date(2026, 12, 28)) == "2026-W53"  # 2026 starts on a Thursday
    assert week_label(date(2026, 12, 27), SUNDAY) == "2026-W53"  # Monday 28 Dec
    assert week_label(date(2027, 1, 3), SUNDAY) == "2027-W01"  # Monday 4 Jan


def test_week_start_must_be_monday_or_sunday():
    with pytest.raises(ValueError, match="week_start"):
        build_report(
            [],
            [],
            [],
            since=date(2026, 11, 8),
            until=date(2026, 11, 21),
            report_end=at("2026-11-21T23:59:59-05:00"),
            week_start=2,
        ).to_json()


def test_records_outside_the_period_are_not_counted():
    before = run(1, "2026-11-08T23:30-05:00", 30, rpe=5)  # Sunday before `since`
    inside = run(2, "2026-11-09T00:30-05:00", 30, rpe=5)
    weeks = build_report(
        [before, inside],
        [massage(3, "2026-11-23T08:00-05:00")],  # after `until`, before the end
        [],
        since=date(2026, 11, 9),
        until=date(2026, 11, 22),
        report_end=at("2026-11-23T09:00-05:00"),
        rules=RULES,
    ).to_json()["weeks"]
    assert [w["runs"] for w in weeks] == [1, 0]
    assert [w["massages"] for w in weeks] == [0, 0]


# --- regularity ---------------------------------------------------------------

# 7 Sep .. 29 Nov = 84 days = six 14-day periods counted back from 29 Nov:
#   P0 16-29 Nov, P1 2-15 Nov, P2 19 Oct-1 Nov, P3 5-18 Oct, P4 21 Sep-4 Oct, P5 7-20 Sep
SEASON = [
    massage(1, "2026-09-10T18:00-04:00"),  # P5
    massage(2, "2026-09-25T18:00-04:00"),  # P4; gap 15 d
    massage(3, "2026-10-20T18:00-04:00"),  # P2; gap 25 d (P3 missed)
    massage(4, "2026-11-05T18:00-05:00"),  # P1; gap 16 d + 1 h (clocks went back)
]


def test_regularity_with_a_missed_period_and_an_open_latest_period():
    result = regularity(
        SEASON, since=date(2026, 9, 7), until=date(2026, 11, 29), every_days=14
    ).to_json()
    assert result == {
        "every_days": 14,
        "periods": 6,
        "met": 4,  # P1, P2, P4, P5
        "streak": 2,  # P0 is empty (still open): skipped; P1, P2 met; P3 breaks it
        "massages": 4,
        "median_gap_days": 16.04,  # median(15, 25, 16 + 1/24 = 16.0417)
        "longest_gap_days": 25.0,
    }


def test_regularity_streak_includes_a_met_latest_period():
    latest = massage(5, "2026-11-20T18:00-05:00")  # P0
    result = regularity(
        [*SEASON, latest], since=date(2026, 9, 7), until=date(2026, 11, 29), every_days=14
    ).to_json()
    assert (result["met"], result["streak"]) == (5, 3)  # P0, P1, P2


def test_regularity_drops_a_partial_first_period():
    early = massage(0, "2026-09-03T18:00-04:00")
    # 1 Sep .. 29 Nov = 90 days: 6 whole periods, the first 6 days belong to none.
    result = regularity(
        [early, *SEASON], since=date(2026, 9, 1), until=date(2026, 11, 29), every_days=14
    ).to_json()
    assert (result["periods"], result["met"], result["streak"]) == (6, 4, 2)
    assert result["massages"] == 5
    # gaps 7, 15, 25, 16.0417 -> median (15 + 16.0417) / 2 = 15.52
    assert result["median_gap_days"] == 15.52
    assert result["longest_gap_days"] == 25.0


def test_regularity_without_a_target():
    result = regularity(
        SEASON, since=date(2026, 9, 7), until=date(2026, 11, 29), every_days=None
    ).to_json()
    assert (result["every_days"], result["periods"], result["met"], result["streak"]) == (
        None,
        None,
        None,
        None,
    )
    assert result["longest_gap_days"] == 25.0


def test_regularity_shorter_than_one_period():
    result = regularity(
        SEASON, since=date(2026, 11, 1), until=date(2026, 11, 10), every_days=14
    ).to_json()
    assert (result["periods"], result["met"], result["streak"], result["massages"]) == (0, 0, 0, 1)
    assert result["median_gap_days"] is None
