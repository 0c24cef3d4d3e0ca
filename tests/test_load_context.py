"""The load context of each week (SPEC 13): properties of the numbers, a
week computed by hand, and the history a report reads for them."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from math import sqrt

from hypothesis import given, settings
from hypothesis import strategies as st

from rubdown.analysis import weekly_rows
from rubdown.analysis.load import COVERAGE_MIN, load_change, monotony, rpe_coverage, strain
from rubdown.models import Run

EST = timezone(timedelta(hours=-5))
SETTINGS = settings(max_examples=100, deadline=None)
MONDAY = date(2026, 11, 2)  # a Monday; the weeks below start here
LOAD_KEYS = ("rpe_coverage", "load_change", "monotony", "strain")


def run_on(day: date, minutes: float | None, rpe: int | None, hour: int = 7, ident: int = 0) -> Run:
    start = datetime(day.year, day.month, day.day, hour, tzinfo=EST)
    seconds = None if minutes is None else round(minutes * 60)
    return Run(ident or None, start, "easy", 5000.0, seconds, rpe=rpe)


def weeks_of(runs: list[Run], *, since: date, until: date, first_run: date | None = None):
    end = datetime(until.year, until.month, until.day, 23, 59, 59, tzinfo=EST)
    return weekly_rows(runs, [], [], [], since=since, until=until, report_end=end,
                       first_run=first_run)  # fmt: skip


def context(row) -> list:
    return [row.to_json()[key] for key in LOAD_KEYS]


# -- the functions ---------------------------------------------------------------------


@SETTINGS
@given(st.one_of(st.integers(0, 10 * 24 * 3600), st.floats(0, 1e6, allow_nan=False)))
def test_monotony_is_undefined_for_a_constant_week_all_zero_included(daily_load):
    assert monotony([daily_load] * 7) is None
    assert monotony([0] * 7) is None


@SETTINGS
@given(st.lists(st.integers(0, 36000), min_size=7, max_size=7))
def test_monotony_is_mean_over_population_sd(daily):
    value = monotony(daily)
    if len(set(daily)) == 1:
        assert value is None
        return
    mean = sum(daily) / 7
    sd = sqrt(sum((x - mean) ** 2 for x in daily) / 7)  # divide by 7: population
    assert value is not None and abs(value - mean / sd) <= 1e-9 * max(1.0, mean / sd)
    # Scale-free: RPE x seconds and RPE x minutes give the same monotony.
    assert abs(monotony([x / 60 for x in daily]) - value) <= 1e-9 * max(1.0, value)


@SETTINGS
@given(st.one_of(st.none(), st.floats(0, 10, allow_nan=False)))
def test_strain_is_zero_for_a_week_without_load(monotony_value):
    assert strain(0, monotony_value) == 0


def test_strain_is_load_times_unrounded_monotony():
    assert strain(1000, 0.6666) == 667
    assert strain(1000, None) is None


@SETTINGS
@given(st.integers(0, 40), st.integers(0, 40))
def test_coverage_is_the_share_of_runs_rated(rated, runs):
    if runs == 0:
        assert rpe_coverage(0, 0) is None
        return
    rated = min(rated, runs)
    assert rpe_coverage(rated, runs) == round(rated / runs, 4)


@SETTINGS
@given(st.integers(0, 5000), st.lists(st.integers(0, 5000), min_size=4, max_size=4))
def test_load_change_is_null_without_history_or_without_earlier_load(load, before):
    assert load_change(load, None) is None
    change = load_change(load, before)
    if sum(before) == 0:
        assert change is None
    else:
        assert change == round(load / (sum(before) / 4) - 1, 4)


# -- weeks -----------------------------------------------------------------------------

rpes = st.sampled_from([None, *range(11)])
minutes = st.sampled_from([None, 20, 30.5, 45, 60, 95])


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 6), minutes, rpes), max_size=12))
def test_coverage_gates_the_load_context_of_a_week(specs):
    runs = [run_on(MONDAY + timedelta(days=d), m, r, ident=i + 1)
            for i, (d, m, r) in enumerate(specs)]  # fmt: skip
    [row] = weeks_of(runs, since=MONDAY, until=MONDAY + timedelta(days=6))
    coverage, change, mono, strain_value = context(row)
    if not runs:
        assert coverage is None
    else:
        rated = sum(r.rpe is not None for r in runs)
        assert coverage == round(rated / len(runs), 4) and row.rated == rated
    if coverage is None or coverage < COVERAGE_MIN:
        assert (change, mono, strain_value) == (None, None, None)
        return
    assert change is None  # the first run is in this very week
    if row.load == 0:
        assert mono is None and strain_value == 0  # nothing loaded: every day 0
    daily = [0.0] * 7
    for r in runs:
        if r.load is not None:
            daily[r.start.weekday()] += r.load
    if len(set(daily)) == 1:
        assert mono is None
    else:
        exact = monotony(daily)
        assert exact is not None
        assert mono == round(exact, 2) and strain_value == round(row.load * exact)


def test_a_week_without_runs_has_no_load_context():
    runs = [run_on(MONDAY, 60, 5)]
    rows = weeks_of(runs, since=MONDAY, until=MONDAY + timedelta(days=13))
    assert context(rows[1]) == [None, None, None, None]


def five_weeks() -> list[Run]:
    """Four weeks of 300, 300, 300 and 500 (RPE x minutes), then a week
    loaded 300 on Monday, 120 on Wednesday and 630 on Saturday."""
    runs = [run_on(MONDAY + timedelta(weeks=w, days=2), 60, 5, ident=w + 1) for w in range(3)]
    runs.append(run_on(MONDAY + timedelta(weeks=3, days=1), 100, 5, ident=4))  # 500
    fifth = MONDAY + timedelta(weeks=4)
    runs += [
        run_on(fifth, 50, 6, ident=5),  # 300
        run_on(fifth + timedelta(days=2), 30, 4, ident=6),  # 120
        run_on(fifth + timedelta(days=5), 90, 7, ident=7),  # 630
    ]
    return runs


def test_a_week_computed_by_hand():
    rows = weeks_of(five_weeks(), since=MONDAY, until=MONDAY + timedelta(weeks=4, days=6))
    assert [row.load for row in rows] == [300, 300, 300, 500, 1050]
    # Weeks 1-4: their 4 weeks before begin before the first run's week.
    assert [row.load_change for row in rows[:4]] == [None] * 4
    # Days 300, 0, 120, 0, 0, 630, 0: sum 1050, sum of squares 501300;
    # mean / SD = 1050 / sqrt(7 * 501300 - 1050²) = 1050 / sqrt(2406600) = 0.67684...
    assert context(rows[4]) == [
        1.0,
        2.0,  # 1050 / mean(300, 300, 300, 500) - 1 = 1050 / 350 - 1
        0.68,
        711,  # 1050 * 0.676845 = 710.69
    ]
    # One run a week, the rest 0: mean / SD = 1 / sqrt(6) whatever its load.
    assert [row.monotony for row in rows[:4]] == [0.41] * 4
    assert [row.strain for row in rows[:4]] == [122, 122, 122, 204]


def test_load_change_reads_weeks_before_the_period():
    fifth = MONDAY + timedelta(weeks=4)
    [row] = weeks_of(five_weeks(), since=fifth, until=fifth + timedelta(days=6))
    assert (row.load, row.load_change) == (1050, 2.0)


def test_load_change_is_null_when_a_week_before_lies_before_the_first_run_ever():
    runs = five_weeks()[1:]  # the first week now has no run: the log begins in week 2
    fifth = MONDAY + timedelta(weeks=4)
    [row] = weeks_of(runs, since=fifth, until=fifth + timedelta(days=6))
    assert row.load_change is None
    # An earlier first run (told, not among the runs given) makes it known:
    # week 1 counts with load 0, so the mean is (0 + 300 + 300 + 500) / 4.
    [row] = weeks_of(runs, since=fifth, until=fifth + timedelta(days=6),
                     first_run=MONDAY - timedelta(days=30))  # fmt: skip
    assert row.load_change == round(1050 / 275 - 1, 4)


def test_load_change_is_null_when_the_weeks_before_carried_no_load():
    fifth = MONDAY + timedelta(weeks=4)
    runs = [run_on(MONDAY, 60, None, ident=1), run_on(fifth, 60, 5, ident=2)]  # unrated first
    [row] = weeks_of(runs, since=fifth, until=fifth + timedelta(days=6))
    assert (row.rpe_coverage, row.load, row.load_change) == (1.0, 300, None)


def test_the_report_reads_the_weeks_before_its_first(rubdown):
    for day, time, rpe in [("2026-10-28", "60", "5"), ("2026-11-04", "60", "5"),
                           ("2026-11-11", "60", "5"), ("2026-11-17", "100", "5"),
                           ("2026-11-23", "50", "6"), ("2026-11-25", "30", "4"),
                           ("2026-11-28", "90", "7")]:  # fmt: skip
        r = rubdown("log", "run", "--date", day, "--distance", "8k", "--time", time, "--rpe", rpe)
        assert r.exit_code == 0, r.stderr
    [week] = rubdown("report", "--weeks", "1", "--json").json()["weeks"]
    assert [week[key] for key in ("load", *LOAD_KEYS)] == [1050, 1.0, 2.0, 0.68, 711]
    keys = list(week)
    assert keys[keys.index("load"):keys.index("hard_efforts")] == ["load", *LOAD_KEYS]
    # A period starting mid-week reads the whole weeks before it as well.
    data = rubdown("report", "--since", "2026-11-25", "--until", "2026-11-29", "--json").json()
    assert data["weeks"][0]["load"] == 750 and data["weeks"][0]["load_change"] == round(
        750 / 350 - 1, 4
    )


def test_the_table_says_why_a_week_has_no_load_context(rubdown):
    for day, rpe in [("2026-11-23", "6"), ("2026-11-24", None), ("2026-11-26", None)]:
        args = ["log", "run", "--date", day, "--distance", "8k", "--time", "45:00"]
        assert rubdown(*args, *(["--rpe", rpe] if rpe else [])).exit_code == 0
    out = rubdown("report", "--weeks", "1").stdout
    assert "change vs your recent weeks" in out
    [line] = [x for x in out.splitlines() if x.startswith("2026-W48") and "RPE on" in x]
    assert line.split()[1:] == ["1", "of", "3", "RPE", "on", "1", "of", "3", "runs", "(under",
                                "70%)"]  # fmt: skip
