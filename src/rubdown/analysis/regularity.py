"""Massage regularity against a target cadence (SPEC section 4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from rubdown.models import Massage, Value

from ._numbers import Floats
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
    inside = sorted(
        (
            massage
            for massage in massages
            if since <= massage.start.date() <= until
            and (report_end is None or massage.start <= report_end)
        ),
        key=lambda massage: (massage.stamp, massage.id),
    )
    tally = RegularityTally(since=since, until=until, every_days=every_days)
    for massage in inside:
        tally.add(massage)
    return tally.result()


class RegularityTally:
    """Regularity counted one massage at a time, oldest first (``regularity``
    adds them all at once; a streamed report chunk by chunk): the gaps as a
    compact floats (``Floats``), one byte per cadence period."""

    __slots__ = ("since", "until", "every_days", "count", "gaps", "previous", "met")

    def __init__(self, *, since: date, until: date, every_days: int | None) -> None:
        if every_days is not None and every_days < 1:
            raise ValueError(f"every_days must be at least 1, not {every_days!r}")
        self.since, self.until, self.every_days = since, until, every_days
        self.count = 0
        self.gaps = Floats()
        self.previous: datetime | None = None
        periods = 0 if every_days is None else max(0, ((until - since).days + 1) // every_days)
        self.met = bytearray(periods)

    def add(self, massage: Massage) -> None:
        """Count ``massage``: in the period, seen, and not before the last added."""
        start = massage.start
        if self.previous is not None:
            self.gaps.append(hours_between(self.previous, start) / 24)
        self.previous = start
        self.count += 1
        if self.every_days is not None:
            back = (self.until - start.date()).days // self.every_days
            if back < len(self.met):
                self.met[back] = 1

    def result(self) -> Regularity:
        gaps, every_days = self.gaps, self.every_days
        median_gap = round(gaps.median(), 2) if gaps else None
        longest_gap = round(gaps.max(), 2) if gaps else None
        if every_days is None:
            return Regularity(None, None, None, None, self.count, median_gap, longest_gap)
        streak = 0
        for back, is_met in enumerate(self.met):
            if is_met:
                streak += 1
            elif back > 0:
                break
        return Regularity(every_days, len(self.met), sum(self.met), streak, self.count,
                          median_gap, longest_gap)  # fmt: skip
