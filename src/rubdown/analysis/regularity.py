"""Massage regularity against a target cadence (SPEC section 4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from rubdown.models import Massage, Value

from ._time import hours_between


class Regularity(Value):
    """Massages in the period against the cadence (SPEC 4): ``periods``,
    ``met`` and ``streak`` are None without a cadence (``every_days``);
    gaps are in days, rounded to 2 decimals, None with fewer than two
    massages."""

    FIELDS = ("every_days", "periods", "met", "streak", "massages", "median_gap_days",
              "longest_gap_days")  # fmt: skip
    __slots__ = FIELDS

    def __init__(
        self,
        every_days: int | None,
        periods: int | None,
        met: int | None,
        streak: int | None,
        massages: int,
        median_gap_days: float | None,
        longest_gap_days: float | None,
    ) -> None:
        self.every_days = every_days
        self.periods = periods
        self.met = met
        self.streak = streak
        self.massages = massages
        self.median_gap_days = median_gap_days
        self.longest_gap_days = longest_gap_days

    def to_json(self) -> dict:
        """The ``regularity`` object of ``report --json`` (SPEC 6)."""
        return {name: getattr(self, name) for name in self.FIELDS}


def regularity(
    massages: Iterable[Massage],
    *,
    since: date,
    until: date,
    every_days: int | None,
    report_end: datetime | None = None,
) -> Regularity:
    """Periods met, streak and gaps for the massages in [since, until].

    Periods are whole blocks of ``every_days`` counted back from ``until``; the
    days before the first whole block belong to no period, but their massages
    still count in ``massages`` and the gaps. Massages after ``report_end``
    (when given) are unseen.
    """
    if every_days is not None and every_days < 1:
        raise ValueError(f"every_days must be at least 1, not {every_days!r}")
    inside = sorted(
        (
            massage
            for massage in massages
            if since <= massage.start.date() <= until
            and (report_end is None or massage.start <= report_end)
        ),
        key=lambda massage: (massage.stamp, massage.id),
    )
    gaps = [
        hours_between(earlier.start, later.start) / 24
        for earlier, later in zip(inside, inside[1:], strict=False)
    ]
    massage_count = len(inside)
    from statistics import median  # here: ``due`` loads this module, not statistics

    median_gap = round(median(gaps), 2) if gaps else None
    longest_gap = round(max(gaps), 2) if gaps else None
    if every_days is None:
        return Regularity(None, None, None, None, massage_count, median_gap, longest_gap)
    periods = max(0, ((until - since).days + 1) // every_days)
    met = [False] * periods
    for massage in inside:
        back = (until - massage.start.date()).days // every_days
        if back < periods:
            met[back] = True
    streak = 0
    for back, is_met in enumerate(met):
        if is_met:
            streak += 1
        elif back > 0:
            break
    return Regularity(every_days, periods, sum(met), streak, massage_count, median_gap, longest_gap)
