"""Plans and how they were kept: which plan a session fulfils, each plan's
status and slip, and the report's ``plans`` section (SPEC section 10).

Pure: plans and sessions in, values out. A plan here is anything with
``id``, ``start`` (the planned start, an aware datetime), ``plan_kind``
(``run``, ``massage``, ``self-care``), ``type`` (None when the plan names
none) and ``skipped`` (true once ``plan skip`` was said); what fulfilled it
is given separately, as the start of the session that did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from rubdown.models import Value

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from typing import Any as PlanLike  # id, start, plan_kind, type, skipped

DONE = "done"
SKIPPED = "skipped"
MISSED = "missed"
OPEN = "open"
STATUSES = (DONE, SKIPPED, MISSED, OPEN)

ON_DAY = "on_day"
EARLY = "early"
LATE = "late"
TIMINGS = (ON_DAY, EARLY, LATE)

DAY_S = 86400.0
#: A session fulfils a plan whose start is at most this many days from its own.
MATCH_DAYS = 7


class PlanOutcome(Value):
    """One plan as seen at ``now``: its status, and for a done plan the
    session that fulfilled it, the slip (done start - planned start, in days,
    unrounded; negative when early) and its timing (on its day when the slip
    is under a day either way)."""

    FIELDS = ("plan", "status", "done_id", "slip_days", "timing")
    __slots__ = FIELDS

    def __init__(
        self,
        plan: PlanLike,
        status: str,
        done_id: int | None = None,
        slip_days: float | None = None,
        timing: str | None = None,
    ) -> None:
        self.plan = plan
        self.status = status
        self.done_id = done_id
        self.slip_days = slip_days
        self.timing = timing


def slip_days(planned: datetime, done: datetime) -> float:
    """Done start - planned start, in days (negative when early)."""
    return (done.timestamp() - planned.timestamp()) / DAY_S


def timing(slip: float) -> str:
    """``on_day`` when the slip is under a day either way, else early or late."""
    if abs(slip) < 1:
        return ON_DAY
    return EARLY if slip < 0 else LATE


def outcome(
    plan: PlanLike,
    *,
    done: tuple[int, datetime] | None,
    now: datetime,
    match_days: int = MATCH_DAYS,
) -> PlanOutcome:
    """The status of ``plan`` at ``now``. ``done``: ``(id, start)`` of the
    session that fulfilled it, or None. Done wins over skipped (a plan that
    was skipped and then done anyway was kept); a plan neither done nor
    skipped is missed once ``now`` is more than ``match_days`` past its start,
    open until then."""
    if done is not None:
        slip = slip_days(plan.start, done[1])
        return PlanOutcome(plan, DONE, done[0], slip, timing(slip))
    if plan.skipped:
        return PlanOutcome(plan, SKIPPED)
    if now.timestamp() - plan.start.timestamp() > match_days * DAY_S:
        return PlanOutcome(plan, MISSED)
    return PlanOutcome(plan, OPEN)


def plan_for(
    kind: str,
    type_: str,
    start: datetime,
    plans: Iterable[PlanLike],
    *,
    match_days: int = MATCH_DAYS,
) -> PlanLike | None:
    """The open plan a session of ``kind`` and ``type_`` starting at ``start``
    fulfils: of the same kind, of the same type when the plan names one, its
    planned start at most ``match_days`` from the session's either way, the
    nearest; a tie goes to the earlier plan (then the lower id). None when no
    plan fits. ``plans``: the open plans (neither done nor skipped)."""
    at = start.timestamp()
    limit = match_days * DAY_S
    best = None
    best_key: tuple[float, float, int] | None = None
    for plan in plans:
        if plan.plan_kind != kind or (plan.type is not None and plan.type != type_):
            continue
        planned = plan.start.timestamp()
        distance = abs(planned - at)
        if distance > limit:
            continue
        key = (distance, planned, plan.id)
        if best_key is None or key < best_key:
            best, best_key = plan, key
    return best


def _median(values: list[float]) -> float:
    """``statistics.median`` of ``values``, imported when a report needs it:
    ``due`` and ``log`` read plans too, and statistics costs milliseconds."""
    from statistics import median

    return median(values)


def plans_section(outcomes: Sequence[PlanOutcome]) -> dict:
    """The report's ``plans`` section over ``outcomes`` (the plans whose
    planned start lies in the period, oldest first): counts by status and
    timing, the median slip of the done plans (days, 2 decimals; null when
    none was done) and one item a plan."""
    counts = dict.fromkeys(STATUSES + TIMINGS, 0)
    slips = []
    items = []
    for item in outcomes:
        counts[item.status] += 1
        if item.timing is not None:
            counts[item.timing] += 1
        if item.slip_days is not None:
            slips.append(item.slip_days)
        plan = item.plan
        items.append({
            "id": plan.id,
            "plan_kind": plan.plan_kind,
            "type": plan.type,
            "planned": plan.start.isoformat(),
            "status": item.status,
            "timing": item.timing,
            "done_id": item.done_id,
            "slip_days": None if item.slip_days is None else round(item.slip_days, 2),
        })  # fmt: skip
    return {
        "planned": len(outcomes),
        **{key: counts[key] for key in (DONE, ON_DAY, EARLY, LATE, SKIPPED, MISSED, OPEN)},
        "median_slip_days": round(_median(slips), 2) if slips else None,
        "items": items,
    }


def outcomes(
    plans: Iterable[PlanLike],
    done: Mapping[int, tuple[int, datetime]],
    *,
    now: datetime,
    match_days: int = MATCH_DAYS,
) -> list[PlanOutcome]:
    """The outcome of each plan, in the order given; ``done`` maps a plan's
    id to the ``(id, start)`` of the session that fulfilled it."""
    return [outcome(p, done=done.get(p.id), now=now, match_days=match_days) for p in plans]
