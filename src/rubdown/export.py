"""What ``rubdown export`` writes: records as JSON, CSV or iCalendar text.

Pure: records in, text out; no database, no typer. JSON is the ``list
--json`` array, so an export imports back unchanged. CSV has one row per
record with every field. iCalendar has one event per session, one tentative
event per open plan and one to-do per recovery to book, built with the
icalendar library (escaping, line folding), which is imported only here.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rubdown import fields
from rubdown.formatting import format_distance, format_duration
from rubdown.models import Massage, Plan, Record, Run, SelfCare
from rubdown.render import clean, dumps, facts, plan_facts, record_json, run_role

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

FORMATS = ("json", "csv", "ics", "ledger")

#: Every field of every kind (``fields.CSV_COLUMNS``); absent ones are empty.
CSV_COLUMNS = fields.CSV_COLUMNS

PRODID = "-//rubdown//rubdown export//EN"


def to_json(records: Iterable[Record], fulfils: Mapping[int, int] | None = None) -> str:
    """The ``list --json`` array (SPEC 6b), as ``rubdown import`` reads it.

    ``fulfils``: session id -> the id of the plan it fulfilled; such a
    session carries the key ``fulfils`` (the plan's id), added after its
    fields, so an import links it again. Text is exact; characters that
    could act on a terminal are JSON escapes."""
    links = fulfils or {}
    out = []
    for record in records:
        data = record_json(record)
        plan_id = links.get(record.id) if record.id is not None else None
        if plan_id is not None:
            data["fulfils"] = plan_id
        out.append(data)
    return dumps(out, indent=2) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(clean(v, one_line=False) for v in value)
    if isinstance(value, dict):  # a check-in's sore areas, as --sore takes them
        return ",".join(f"{clean(str(k), one_line=False)}={v}" for k, v in value.items())
    if isinstance(value, str):
        return clean(value, one_line=False)
    return str(value)


def to_csv(records: Iterable[Record]) -> str:
    """One row per record, every field, values as in JSON (metres, seconds,
    the cost as a decimal, a list's items joined by commas); text as typed
    (commas, quotes, newlines kept), except control characters, shown as
    visible escapes (``\\x1b``) as everywhere: a CSV file is printed as
    often as it is opened. The JSON export keeps them exactly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        data = record_json(record)
        writer.writerow([_cell(data.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def session_end(record: Record) -> datetime | None:
    """When a session ended: start + duration (None for a run without one)."""
    if isinstance(record, Run):
        if record.duration_s is None:
            return None
        return record.start + timedelta(seconds=record.duration_s)
    assert isinstance(record, Massage | SelfCare)  # a session: a run, massage or self-care
    return record.start + timedelta(minutes=record.minutes)


def event_summary(record: Record, units: str) -> str:
    """``Run 10.2 km``, ``Run 12.0 km · relay leg 2, Ragnar``,
    ``Massage: sports 90 min``, ``Self-care: foam-roll 15 min``."""
    if isinstance(record, Run):
        text = "Run"
        if record.distance_m:
            text += f" {format_distance(record.distance_m, units)}"
        elif record.duration_s:
            text += f" {format_duration(record.duration_s)}"
        label = run_role(record, with_type=record.type != "easy")
        return f"{text} · {label}" if label else text
    assert isinstance(record, Massage | SelfCare)  # a record is a run, massage or self-care
    kind = "Massage" if isinstance(record, Massage) else "Self-care"
    return f"{kind}: {record.type} {record.minutes} min"


def event_description(record: Record, units: str, currency: str) -> str:
    """The key facts on one line, then the note (control characters shown
    as visible escapes: iCalendar text cannot carry them)."""
    lines = [" · ".join(facts(record, units, currency))]
    if record.note:
        lines += ["", clean(record.note, one_line=False)]
    return "\n".join(lines)


def plan_uid(plan_id: int, database: str, created: str, what: str = "plan") -> str:
    """A plan's calendar id: ``rubdown-plan-<id>-<digest>@rubdown``, the
    digest of the database's mark, the plan's id and when it was created
    (``Store.plan_versions``), so the same plan has the same id in every
    export and another database's plan #3 has another. ``what``: ``book``
    for the to-do of booking recovery before it."""
    import hashlib

    digest = hashlib.sha256(f"{database}\x00{plan_id}\x00{created}".encode()).hexdigest()
    return f"rubdown-{what}-{plan_id}-{digest[:16]}@rubdown"


def plan_end(plan: Plan) -> datetime:
    """When a plan ends: start + its minutes, or a run's planned end
    (``analysis.due.planned_end``)."""
    if plan.minutes:
        return plan.start + timedelta(minutes=plan.minutes)
    from rubdown.analysis.due import planned_end

    return planned_end(plan)


def plan_summary(plan: Plan, units: str, currency: str) -> str:
    """``Planned: massage sports 60 min``, ``Planned: run relay · Ragnar``."""
    return "Planned: " + " · ".join(plan_facts(plan, units, currency)[:2])


def book_summary(plan: Plan) -> str:
    """``Book recovery for Ragnar`` (or for the relay on its day)."""
    event = clean(plan.event) if plan.event else f"the {plan.type} on {plan.start.date()}"
    return f"Book recovery for {event}"


def _plan_event(
    plan: Plan, *, uid: str, sequence: int, stamp: datetime, units: str, currency: str
) -> Any:
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", plan.start.astimezone(UTC))
    end = plan_end(plan)
    if end > plan.start:
        event.add("dtend", end.astimezone(UTC))
    summary = plan_summary(plan, units, currency)
    event.add("summary", summary)
    lines = [" · ".join(plan_facts(plan, units, currency)), f"rubdown plan #{plan.id}"]
    if plan.note:
        lines += ["", clean(plan.note, one_line=False)]
    event.add("description", "\n".join(lines))
    event.add("status", "TENTATIVE")
    event.add("categories", ["plan", plan.plan_kind])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", timedelta(hours=-1))
    event.add_component(alarm)
    return event


def _book_todo(plan: Plan, due: datetime, *, uid: str, sequence: int, stamp: datetime) -> Any:
    from icalendar import Todo

    todo = Todo()
    todo.add("uid", uid)
    todo.add("dtstamp", stamp)
    todo.add("sequence", sequence)
    todo.add("due", due.astimezone(UTC))
    todo.add("summary", book_summary(plan))
    planned = f"{plan.start.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    todo.add("description", f"Plan recovery after it (rubdown plan #{plan.id}, {planned}).")
    todo.add("status", "NEEDS-ACTION")
    todo.add("categories", ["plan", "book-recovery"])
    return todo


def to_ics(
    records: Iterable[Record],
    *,
    units: str,
    currency: str,
    stamp: datetime,
    plans: Iterable[Plan] = (),
    to_book: Iterable[tuple[Plan, datetime]] = (),
    database: str = "",
    versions: Mapping[int, tuple[str, int]] | None = None,
) -> str:
    """An iCalendar (RFC 5545) calendar with one event per session, one
    tentative event per open plan (``plans``, with an alarm an hour before)
    and one to-do per recovery to book (``to_book``: the planned effort and
    the day to book by, ``due``'s ``book-recovery`` items).

    Times are written in UTC (no time-zone definitions needed); a calendar
    shows them in its own zone. ``UID`` is ``rubdown-<id>@rubdown``, stable
    for a record, so importing a later export updates events instead of
    doubling them; a plan's is ``plan_uid`` (``database``: the database's
    mark, ``versions``: each plan's creation and change count, from
    ``Store.plan_versions``), its ``SEQUENCE`` the times it changed, so a
    moved plan updates its event. ``stamp`` is the ``DTSTAMP`` (when the
    export was made).
    """
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "rubdown")
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    for record in records:
        event = Event()
        event.add("uid", f"rubdown-{record.id}@rubdown")
        event.add("dtstamp", stamp)
        event.add("dtstart", record.start.astimezone(UTC))
        end = session_end(record)
        if end is not None:
            event.add("dtend", end.astimezone(UTC))
        event.add("summary", event_summary(record, units))
        event.add("description", event_description(record, units, currency))
        event.add("categories", [record.kind])
        calendar.add_component(event)
    known = versions or {}
    for plan in plans:
        assert plan.id is not None  # a stored plan
        created, sequence = known.get(plan.id, ("", 0))
        calendar.add_component(_plan_event(
            plan, uid=plan_uid(plan.id, database, created), sequence=sequence, stamp=stamp,
            units=units, currency=currency,
        ))  # fmt: skip
    for plan, due in to_book:
        assert plan.id is not None  # a stored plan
        created, sequence = known.get(plan.id, ("", 0))
        uid = plan_uid(plan.id, database, created, "book")
        calendar.add_component(_book_todo(plan, due, uid=uid, sequence=sequence, stamp=stamp))
    return calendar.to_ical().decode("utf-8")
