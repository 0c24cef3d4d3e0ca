"""Property tests for rubdown.analysis: invariants and slow reference versions."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from statistics import median

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import group_runs
from rubdown.analysis import (
    STATUSES,
    HardEffortRules,
    build_report,
    follow_ups,
    hard_efforts,
)
from rubdown.models import MASSAGE_TYPES, RUN_TYPES, SELF_CARE_TYPES, Massage, Run, SelfCare

EDT = timezone(timedelta(hours=-4))
EST = timezone(timedelta(hours=-5))
ZONES = (EDT, EST, UTC, timezone(timedelta(hours=9, minutes=30)))
BASE = datetime(2026, 9, 1, tzinfo=EDT)
SPAN_DAYS = 50
RULES = HardEffortRules()
SETTINGS = settings(max_examples=100, deadline=None)

# Half-hour steps make equal starts (ties) common.
instants = st.builds(
    lambda steps, zone: (BASE + timedelta(minutes=30 * steps)).astimezone(zone),
    st.integers(0, SPAN_DAYS * 48),
    st.sampled_from(ZONES),
)
run_fields = st.fixed_dictionaries(
    {
        "start": instants,
        "type": st.sampled_from(RUN_TYPES + ("easy",) * 6),
        "distance_m": st.one_of(st.none(), st.integers(1000, 42000).map(float)),
        # Mostly known, so the load rule has history to look at.
        "duration_s": st.sampled_from([None, *range(600, 4 * 3600 + 1, 300)]),
        "rpe": st.sampled_from([None, *range(11)]),
        "event": st.none() | st.sampled_from(["Ragnar", "ragnar ", "Hood to Coast"]),
    }
)
massage_fields = st.fixed_dictionaries(
    {"start": instants, "type": st.sampled_from(MASSAGE_TYPES), "minutes": st.integers(10, 120)}
)
care_fields = st.fixed_dictionaries(
    {"start": instants, "type": st.sampled_from(SELF_CARE_TYPES), "minutes": st.integers(5, 60)}
)


@st.composite
def seasons(draw) -> tuple[list[Run], list[Massage], list[SelfCare]]:
    run_specs = draw(st.lists(run_fields, min_size=4, max_size=20))
    massage_specs = draw(st.lists(massage_fields, max_size=8))
    care_specs = draw(st.lists(care_fields, max_size=5))
    total = len(run_specs) + len(massage_specs) + len(care_specs)
    ids = iter(draw(st.permutations(range(1, total + 1))))
    runs = [Run(id=next(ids), **spec) for spec in run_specs]
    massages = [Massage(id=next(ids), **spec) for spec in massage_specs]
    care = [SelfCare(id=next(ids), **spec) for spec in care_specs]
    return runs, massages, care


@st.composite
def periods(draw) -> tuple[date, date, datetime]:
    since = BASE.date() + timedelta(days=draw(st.integers(0, SPAN_DAYS - 20)))
    until = since + timedelta(days=draw(st.integers(0, 40)))
    zone = draw(st.sampled_from(ZONES))
    end_of_day = datetime.combine(until, time(23, 59, 59), tzinfo=zone)
    # "now" may fall before the end of the `until` day, even before `since`.
    report_end = end_of_day - timedelta(minutes=30 * draw(st.integers(0, 48 * 10)))
    return since, until, report_end


def report_of(season, period, **options) -> dict:
    runs, massages, care = season
    since, until, report_end = period
    return build_report(
        runs,
        massages,
        care,
        since=since,
        until=until,
        report_end=report_end,
        rules=RULES,
        **options,
    ).to_json()


options = st.fixed_dictionaries(
    {
        "window_hours": st.sampled_from([24, 72, 96.5]),
        "every_days": st.none() | st.sampled_from([7, 14, 30]),
        "include_self_care": st.booleans(),
        "week_start": st.sampled_from([0, 6]),
    }
)


@SETTINGS
@given(seasons(), periods(), options)
def test_every_effort_has_exactly_one_consistent_status(season, period, opts):
    report = report_of(season, period, **opts)
    json.dumps(report)
    recovery = report["recovery"]
    window = opts["window_hours"]
    for effort in recovery["efforts"]:
        assert effort["status"] in STATUSES
        if effort["follow_up"] is None:
            assert effort["lag_hours"] is None
            assert effort["waiting_hours"] >= 0
            assert effort["status"] in ("missed", "pending")
        else:
            assert effort["lag_hours"] >= 0
            followed_at = datetime.fromisoformat(effort["follow_up"]["start"])
            assert followed_at >= datetime.fromisoformat(effort["end"])
            assert effort["status"] == ("on_time" if effort["lag_hours"] <= window else "late")
    counts = [recovery[status] for status in STATUSES]
    assert sum(counts) == recovery["hard_efforts"] == len(recovery["efforts"])
    for status, count in zip(STATUSES, counts, strict=True):
        assert count == sum(e["status"] == status for e in recovery["efforts"])
    assert sum(week["hard_efforts"] for week in report["weeks"]) == recovery["hard_efforts"]
    assert sum(week["on_time"] for week in report["weeks"]) == recovery["on_time"]


@SETTINGS
@given(seasons(), periods(), st.sampled_from([0, 6]))
def test_weekly_rows_add_up_to_the_period_totals(season, period, week_start):
    runs, massages, care = season
    since, until, report_end = period
    weeks = report_of(season, period, week_start=week_start)["weeks"]

    def inside(record) -> bool:
        return since <= record.start.date() <= until and record.start <= report_end

    runs_in = [r for r in runs if inside(r)]
    massages_in = [m for m in massages if inside(m)]
    assert sum(w["runs"] for w in weeks) == len(runs_in)
    assert sum(w["distance_m"] for w in weeks) == sum(r.distance_m or 0 for r in runs_in)
    assert sum(w["duration_s"] for w in weeks) == sum(r.duration_s or 0 for r in runs_in)
    # Each week's load is rounded to a whole number: at most 0.5 off per week.
    total_load = sum(r.load or 0 for r in runs_in)
    assert abs(sum(w["load"] for w in weeks) - total_load) <= 0.5 * len(weeks)
    assert sum(w["massages"] for w in weeks) == len(massages_in)
    assert sum(w["massage_minutes"] for w in weeks) == sum(m.minutes for m in massages_in)
    assert sum(sum(w["massage_minutes_by_type"].values()) for w in weeks) == sum(
        m.minutes for m in massages_in
    )
    assert sum(w["self_care_minutes"] for w in weeks) == sum(c.minutes for c in care if inside(c))
    # Every week overlaps the period, consecutive, oldest first.
    starts = [date.fromisoformat(w["start"]) for w in weeks]
    assert starts[0] <= since < starts[0] + timedelta(days=7)
    assert starts[-1] <= until < starts[-1] + timedelta(days=7)
    assert all(b - a == timedelta(days=7) for a, b in zip(starts, starts[1:], strict=False))
    assert all(s.weekday() == week_start for s in starts)


@SETTINGS
@given(seasons(), periods(), options)
def test_an_earlier_end_never_reveals_later_records(season, period, opts):
    runs, massages, care = season
    report_end = period[2]
    report = report_of(season, period, **opts)
    seen = (
        [r for r in runs if r.start <= report_end],
        [m for m in massages if m.start <= report_end],
        [c for c in care if c.start <= report_end],
    )
    assert report_of(seen, period, **opts) == report
    later_ids = {r.id for group in season for r in group if r.start > report_end}
    for effort in report["recovery"]["efforts"]:
        assert not later_ids & set(effort["run_ids"])
        assert datetime.fromisoformat(effort["end"]) <= report_end
        if effort["follow_up"] is not None:
            assert effort["follow_up"]["id"] not in later_ids


# --- the fast code against slow, obvious versions ------------------------------


def slow_load_hits(runs: list[Run], rules: HardEffortRules) -> set[int]:
    groups = group_runs(runs)
    group_of = {run.id: index for index, group in enumerate(groups) for run in group.runs}
    hits = set()
    for run in runs:
        if run.load is None or run.load <= 0:
            continue
        prior = [
            other.load
            for other in runs
            if other.load is not None
            and group_of[other.id] != group_of[run.id]
            and run.start - timedelta(days=rules.load_days) <= other.start < run.start
        ]
        if len(prior) >= rules.load_min_runs and run.load >= rules.load_factor * median(prior):
            hits.add(run.id)
    return hits


@SETTINGS
@given(seasons())
def test_load_rule_matches_a_slow_version(season):
    runs = season[0]
    hits = slow_load_hits(runs, RULES)
    flagged = {
        run.id
        for effort in hard_efforts(runs, RULES)
        if "load" in effort.reasons
        for run in effort.group.runs
    }
    # A group is flagged when any of its runs hits.
    by_group = {group.run_ids: bool(hits & set(group.run_ids)) for group in group_runs(runs)}
    assert {i for ids, hit in by_group.items() if hit for i in ids} == flagged


@SETTINGS
@given(seasons(), st.sampled_from(ZONES), st.integers(0, SPAN_DAYS * 24))
def test_follow_up_matches_a_slow_version(season, zone, end_hours):
    runs, massages, care = season
    report_end = (BASE + timedelta(hours=end_hours)).astimezone(zone)
    efforts = hard_efforts([r for r in runs if r.start <= report_end], RULES)
    sessions = [*massages, *care]
    results = follow_ups(efforts, sessions, window_hours=72, report_end=report_end)
    assert [r.effort for r in results] == efforts
    for result in results:
        candidates = [s for s in sessions if result.effort.end <= s.start and s.start <= report_end]
        expected = min(candidates, key=lambda s: (s.start, s.id), default=None)
        assert result.session == expected
        if expected is not None:
            elapsed = (expected.start - result.effort.end).total_seconds() / 3600
            assert result.lag_hours == elapsed
