"""Recovery follow-up of hard efforts: lag and status (SPEC section 3)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rubdown.models import Massage, SelfCare

from ._time import hours_between
from .efforts import Effort

ON_TIME = "on_time"
LATE = "late"
MISSED = "missed"
PENDING = "pending"
STATUSES = (ON_TIME, LATE, MISSED, PENDING)

Session = Massage | SelfCare


@dataclass(slots=True)  # not frozen: frozen init is slow at 100k records
class FollowUp:
    """What followed one effort, as seen at the report's end.

    ``lag_hours`` is set when a session followed; ``waiting_hours`` (time from
    the effort's end to the report's end, never negative) when none did.
    Both are unrounded.
    """

    effort: Effort
    status: str
    session: Session | None = None
    lag_hours: float | None = None
    waiting_hours: float | None = None


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
    results: list[FollowUp] = []
    for effort in efforts:
        index = bisect_left(starts, effort.group.end_stamp)
        if index < len(seen):
            session = seen[index]
            lag = hours_between(effort.end, session.start)
            status = ON_TIME if lag <= window_hours else LATE
            results.append(FollowUp(effort, status, session=session, lag_hours=lag))
        else:
            waiting = max(0.0, hours_between(effort.end, report_end))
            status = MISSED if waiting > window_hours else PENDING
            results.append(FollowUp(effort, status, waiting_hours=waiting))
    return results
