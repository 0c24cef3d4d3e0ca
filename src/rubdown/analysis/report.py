"""Assemble the ``rubdown report`` JSON shape (SPEC section 6)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from statistics import median

from rubdown.models import Massage, Run, SelfCare

from .efforts import HardEffortRules, hard_efforts
from .followup import LATE, MISSED, ON_TIME, PENDING, FollowUp, Session, follow_ups
from .regularity import regularity
from .weeks import MONDAY, weekly_rows


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _session_json(session: Session) -> dict:
    return {
        "kind": session.kind,
        "id": session.id,
        "type": session.type,
        "start": session.start.isoformat(),
        "minutes": session.minutes,
    }


def _recovery_json(followed: Sequence[FollowUp]) -> dict:
    counts = {status: 0 for status in (ON_TIME, LATE, MISSED, PENDING)}
    lags: list[float] = []
    efforts: list[dict] = []
    # One dict per session, shared by the efforts it followed: a massage
    # often follows several efforts, and JSON writes a shared dict each time.
    sessions: dict[int, dict] = {}
    for follow_up in followed:
        counts[follow_up.status] += 1
        effort = follow_up.effort
        group = effort.group
        session = follow_up.session
        lag = follow_up.lag_hours
        if session is None:
            session_json = None
        else:
            assert lag is not None  # a follow-up with a session has its lag
            lags.append(lag)
            session_json = sessions.get(session.id)
            if session_json is None:
                session_json = sessions[session.id] = _session_json(session)
        waiting = follow_up.waiting_hours
        efforts.append(
            {
                "run_ids": list(group.run_ids),
                "event": group.event,
                "start": group.start.isoformat(),
                "end": group.end.isoformat(),
                "reasons": list(effort.reasons),
                "status": follow_up.status,
                "follow_up": session_json,
                "lag_hours": _hours(lag),
                "waiting_hours": _hours(waiting),
                "distance_m": group.distance_m,
                "duration_s": group.duration_s,
            }
        )
    decided = counts[ON_TIME] + counts[LATE] + counts[MISSED]
    return {
        "hard_efforts": len(followed),
        **counts,
        "rate": round(counts[ON_TIME] / decided, 4) if decided else None,
        "median_lag_hours": _hours(median(lags)) if lags else None,
        "max_lag_hours": _hours(max(lags)) if lags else None,
        "efforts": efforts,
    }


def _attention_json(
    followed: Sequence[FollowUp],
    massages: Sequence[Massage],
    *,
    window_hours: float,
    every_days: int | None,
    report_end: datetime,
) -> dict:
    pending = [
        {
            "run_ids": list(f.effort.run_ids),
            "event": f.effort.event,
            "end": f.effort.end.isoformat(),
            "reasons": list(f.effort.reasons),
            "waiting_hours": _hours(f.waiting_hours),
            "hours_left": _hours(window_hours - (f.waiting_hours or 0.0)),
        }
        for f in followed
        if f.status == PENDING
    ]
    last = max(massages, key=lambda massage: (massage.stamp, massage.id), default=None)
    due: date | None = None
    if last is not None and every_days is not None:
        due = last.start.date() + timedelta(days=every_days)
    return {
        "pending": pending,
        "last_massage": None if last is None else last.start.isoformat(),
        "next_massage_due": None if due is None else due.isoformat(),
        "massage_overdue": due is not None and report_end.date() > due,
    }


def build_report(
    runs: Sequence[Run],
    massages: Sequence[Massage],
    self_care: Sequence[SelfCare],
    *,
    since: date,
    until: date,
    report_end: datetime,
    rules: HardEffortRules | None = None,
    window_hours: float = 72,
    every_days: int | None = None,
    include_self_care: bool = False,
    week_start: int = MONDAY,
) -> dict:
    """The full report as plain JSON-ready values.

    Pass runs from about ``rules.load_days`` (plus two days for relay legs)
    before ``since`` so rule 3 and event groups see their history. Records
    starting after ``report_end`` are dropped first, so an earlier end never
    reveals anything later.
    """
    if report_end.tzinfo is None or report_end.utcoffset() is None:
        raise ValueError("report_end must be an aware datetime")
    if until < since:
        raise ValueError(f"until ({until}) is before since ({since})")
    rules = rules or HardEffortRules()
    end_stamp = report_end.timestamp()  # floats compare far faster than datetimes
    runs = [run for run in runs if run.stamp <= end_stamp]
    massages = [massage for massage in massages if massage.stamp <= end_stamp]
    self_care = [session for session in self_care if session.stamp <= end_stamp]

    efforts = [
        effort
        for effort in hard_efforts(runs, rules)
        if effort.group.end_stamp <= end_stamp and since <= effort.end.date() <= until
    ]
    sessions: list[Session] = [*massages, *(self_care if include_self_care else ())]
    followed = follow_ups(efforts, sessions, window_hours=window_hours, report_end=report_end)
    return {
        "period": {
            "since": since.isoformat(),
            "until": until.isoformat(),
            "end": report_end.isoformat(),
        },
        "window_hours": window_hours,
        "weeks": weekly_rows(
            runs,
            massages,
            self_care,
            followed,
            since=since,
            until=until,
            report_end=report_end,
            week_start=week_start,
        ),
        "recovery": _recovery_json(followed),
        "regularity": regularity(
            massages, since=since, until=until, every_days=every_days, report_end=report_end
        ),
        "attention": _attention_json(
            followed,
            massages,
            window_hours=window_hours,
            every_days=every_days,
            report_end=report_end,
        ),
    }
