"""Massage regularity against a target cadence (SPEC section 4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from statistics import median

from rubdown.models import Massage

from ._time import hours_between


def regularity(
    massages: Iterable[Massage],
    *,
    since: date,
    until: date,
    every_days: int | None,
    report_end: datetime | None = None,
) -> dict:
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
    result: dict = {
        "every_days": every_days,
        "periods": None,
        "met": None,
        "streak": None,
        "massages": len(inside),
        "median_gap_days": round(median(gaps), 2) if gaps else None,
        "longest_gap_days": round(max(gaps), 2) if gaps else None,
    }
    if every_days is None:
        return result
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
    result.update(periods=periods, met=sum(met), streak=streak)
    return result
