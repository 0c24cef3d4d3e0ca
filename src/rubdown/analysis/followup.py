"""Recovery follow-up of hard efforts: lag and status (SPEC section 3)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import datetime

from rubdown.models import Massage, SelfCare, Value

from .efforts import Effort

ON_TIME = "on_time"
LATE = "late"
MISSED = "missed"
PENDING = "pending"
STATUSES = (ON_TIME, LATE, MISSED, PENDING)

Session = Massage | SelfCare


class FollowUp(Value):
    """What followed one effort, as seen at the report's end.

    ``lag_hours`` is set when a session followed; ``waiting_hours`` (time from
    the effort's end to the report's end, never negative) when none did.
    Both are unrounded.
    """

    FIELDS = ("effort", "status", "session", "lag_hours", "waiting_hours")
    __slots__ = FIELDS

    def __init__(
        self,
        effort: Effort,
        status: str,
        session: Session | None = None,
        lag_hours: float | None = None,
        waiting_hours: float | None = None,
    ) -> None:
        self.effort = effort
        self.status = status
        self.session = session
        self.lag_hours = lag_hours
        self.waiting_hours = waiting_hours


def follow_ups(
    efforts: Iterable[Effort],
    sessions: Iterable[Session],
    *,
    window_hours: float,
    report_end: datetime,
) -> list[FollowUp]:
    """One ``FollowUp`` per effort, in the order given.

    The follow-up is the first session starting at or after the effort's end
    (same start: lower id); sessions starting after ``report_end`` are unseen.
    """
    # Epoch seconds: bisecting floats is many times cheaper than aware datetimes.
    end_stamp = report_end.timestamp()
    keyed = sorted(
        (stamp, session.id, session)
        for session in sessions
        if (stamp := session.stamp) <= end_stamp
    )
    seen: Sequence[Session] = [session for _, _, session in keyed]
    starts = [stamp for stamp, _, _ in keyed]
    # Lags from epoch seconds too: stored instants are whole seconds, so the
    # differences are exact, as with datetimes, at a fraction of the cost.
    count = len(seen)
    results: list[FollowUp] = []
    for effort in efforts:
        effort_end = effort.group.end_stamp
        index = bisect_left(starts, effort_end)
        if index < count:
            lag = (starts[index] - effort_end) / 3600
            status = ON_TIME if lag <= window_hours else LATE
            results.append(FollowUp(effort, status, seen[index], lag, None))
        else:
            waiting = max(0.0, (end_stamp - effort_end) / 3600)
            status = MISSED if waiting > window_hours else PENDING
            results.append(FollowUp(effort, status, None, None, waiting))
    return results
