"""What needs doing now (SPEC section 10, ``rubdown due``): recovery windows
still open, plans past their start or coming up, recovery to book before a
planned hard effort, and the next massage by the cadence.

Pure: values in, ``DueItem``s out, most urgent first. The words of each item
are the renderer's; an item carries what they are made from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from rubdown.models import Value

from .followup import PENDING, FollowUp

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from typing import Any as PlanLike  # id, start, plan_kind, type, skipped, ...

PENDING_EFFORT = "pending-effort"
OVERDUE_PLAN = "overdue-plan"
UPCOMING_PLAN = "upcoming-plan"
BOOK_RECOVERY = "book-recovery"
CADENCE = "cadence"
BUDGET = "budget"
WHATS = (PENDING_EFFORT, OVERDUE_PLAN, UPCOMING_PLAN, BOOK_RECOVERY, CADENCE, BUDGET)

#: Plans and the cadence's next massage are listed this many days ahead.
HORIZON_DAYS = 7
#: Recovery for a planned hard effort is to be booked this many days before it.
BOOK_LEAD_DAYS = 7
#: A planned relay without a duration is taken to end this long after its start.
RELAY_HOURS = 24


class DueItem(Value):
    """One thing to do. ``due``: by when (an aware datetime; a date for the
    cadence, which is kept by the day); ``overdue``: ``due`` has passed;
    ``subject``: the plan or the follow-up it is about (None for the
    cadence; a ``spend.BudgetMonth`` for the budget, which has no ``due``);
    ``id``: the record or plan it is about."""

    FIELDS = ("what", "id", "due", "overdue", "subject")
    __slots__ = FIELDS

    def __init__(
        self,
        what: str,
        id: int | None,  # noqa: A002
        due: datetime | date | None,
        overdue: bool,
        subject: object = None,
    ) -> None:
        self.what = what
        self.id = id
        self.due = due
        self.overdue = overdue
        self.subject = subject


def planned_end(plan: PlanLike) -> datetime:
    """A planned run's end: start + its planned time; a relay without one
    ends ``RELAY_HOURS`` after its start; any other run without one, at its
    start."""
    if plan.duration_s:
        return plan.start + timedelta(seconds=plan.duration_s)
    if plan.type == "relay":
        return plan.start + timedelta(hours=RELAY_HOURS)
    return plan.start


def _sort_key(item: DueItem, now: datetime) -> tuple:
    due = item.due
    if isinstance(due, datetime):
        stamp = due.timestamp()
    elif due is None:  # the budget: after everything that has a time
        stamp = float("inf")
    else:  # a day is due from its start, in now's zone
        stamp = datetime.combine(due, time(), tzinfo=now.tzinfo).timestamp()
    return (not item.overdue, stamp, WHATS.index(item.what), item.id or 0)


def due_items(
    *,
    now: datetime,
    follow_ups: Iterable[FollowUp] = (),
    window_hours: float,
    open_plans: Iterable[PlanLike] = (),
    hard_types: tuple[str, ...] = ("race", "relay", "long"),
    recovery_kinds: tuple[str, ...] = ("massage",),
    book_lead_days: int = BOOK_LEAD_DAYS,
    last_massage: datetime | None = None,
    every_days: int | None = None,
    horizon_days: int = HORIZON_DAYS,
) -> list[DueItem]:
    """Everything due, most urgent first: the overdue items (longest overdue
    first), then the rest by when they are due.

    - a hard effort whose follow-up is pending: due at the window's end;
    - an open plan past its start (``open_plans`` are neither done, skipped
      nor missed): overdue; one starting within ``horizon_days``: upcoming;
    - a planned run of a ``hard_types`` type with no plan of a
      ``recovery_kinds`` kind starting within the window after its planned
      end: book recovery by ``book_lead_days`` before it (overdue once that
      day has passed);
    - the next massage by the cadence, ``every_days`` after the last one
      done, when it falls within ``horizon_days`` or has passed (overdue only
      after its day, as the report says).
    """
    items: list[DueItem] = []
    window = timedelta(hours=window_hours)
    for follow_up in follow_ups:
        if follow_up.status == PENDING:
            effort = follow_up.effort
            items.append(DueItem(PENDING_EFFORT, effort.run_ids[0], effort.end + window, False,
                                 follow_up))  # fmt: skip
    plans = list(open_plans)
    horizon = now + timedelta(days=horizon_days)
    recovery = [p for p in plans if p.plan_kind in recovery_kinds]
    for plan in plans:
        if plan.start < now:
            items.append(DueItem(OVERDUE_PLAN, plan.id, plan.start, True, plan))
        elif plan.start <= horizon:
            items.append(DueItem(UPCOMING_PLAN, plan.id, plan.start, False, plan))
        if plan.plan_kind != "run" or plan.type not in hard_types or plan.start < now:
            continue
        end = planned_end(plan)
        if any(end <= other.start <= end + window for other in recovery):
            continue
        book_by = plan.start - timedelta(days=book_lead_days)
        items.append(DueItem(BOOK_RECOVERY, plan.id, book_by, book_by < now, plan))
    if every_days is not None and last_massage is not None:
        next_day = last_massage.date() + timedelta(days=every_days)
        today = now.date()
        if (next_day - today).days <= horizon_days:
            items.append(DueItem(CADENCE, None, next_day, today > next_day))
    return sorted(items, key=lambda item: _sort_key(item, now))


def budget_items(
    *, now: datetime, spent_cents: int, budget: tuple[int, str] | None
) -> list[DueItem]:
    """This month (now's) over ``budget`` (the config's ``(cents, per)``),
    given what its massages cost so far: one item, not overdue and due at
    no time (a month spent is not a deadline), or none."""
    from .spend import Budget, budget_month, month_key

    measured = budget_month(Budget.of(budget), month_key(now.date()), spent_cents)
    if measured is None or not measured.over:
        return []
    return [DueItem(BUDGET, None, None, False, measured)]
