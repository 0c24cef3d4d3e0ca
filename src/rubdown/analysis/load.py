"""The load context of a week (SPEC section 13): how much of it was rated,
its change vs the recent weeks, monotony and strain (Foster 1998).

Pure functions of numbers; ``weeks.weekly_rows`` gives each week's. These
describe what was logged: none of them predicts anything (docs/metrics.md).
"""

from __future__ import annotations

from fractions import Fraction
from math import sqrt

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Sequence

#: Below this share of runs with an RPE, a week's load says too little for
#: ``load_change``, ``monotony`` and ``strain`` (they are null).
COVERAGE_MIN = 0.7
#: ``load_change`` compares a week with the mean of this many weeks before it.
WEEKS_BEFORE = 4


def rpe_coverage(rated: int, runs: int) -> float | None:
    """Runs with an RPE / runs (4 decimals); None in a week without runs."""
    if runs <= 0:
        return None
    return round(rated / runs, 4)


def covered(coverage: float | None) -> bool:
    """Whether a week's ``rpe_coverage`` is enough for its load context."""
    return coverage is not None and coverage >= COVERAGE_MIN


def load_change(load: float, before: Sequence[float] | None) -> float | None:
    """``load`` / the mean of ``before`` (the loads of the weeks before) - 1,
    4 decimals; None when ``before`` is None (those weeks are not all in the
    log's history) or their mean is 0."""
    if not before:
        return None
    total = sum(before)
    if total <= 0:
        return None
    return round(load * len(before) / total - 1, 4)


def monotony(daily_loads: Sequence[float]) -> float | None:
    """Mean / population standard deviation of ``daily_loads`` (one per day
    of the week, 0 for a day without load), unrounded; None when the
    deviation is 0 (every day the same, all zero included).

    Computed exactly: mean / SD = sum / sqrt(n * sum of squares - sum²), in
    whole numbers (or fractions) until the square root, so a constant week
    is never a tiny deviation and a huge monotony.
    """
    exact = [x if isinstance(x, int) else Fraction(x) for x in daily_loads]
    total = sum(exact)
    spread = len(exact) * sum(x * x for x in exact) - total * total
    if spread <= 0:
        return None
    return float(total) / sqrt(spread)


def strain(load: float, monotony_value: float | None) -> int | None:
    """Weekly load x unrounded monotony, to a whole number: 0 for a week
    without load (whatever its monotony), None when monotony is undefined."""
    if load == 0:
        return 0
    if monotony_value is None:
        return None
    return round(load * monotony_value)
