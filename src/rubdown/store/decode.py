"""Rows <-> records, with the checks that name damage SQLite cannot see.

Values are checked as records leave the store, so a value damaged on disk
(SQLite checks constraints when writing, not when reading) is named as a
``DamagedRecord``, never a crash further on.
"""

from __future__ import annotations

from datetime import datetime

from rubdown.errors import RubdownError
from rubdown.fields import FIELDS, TABLES, own, shown
from rubdown.models import KINDS, CheckIn, Massage, Plan, Record, Run, SelfCare

#: The columns of the ``timeline`` view read into a record: every field of
#: ``rubdown.fields``, in its order (the arguments of ``_from_columns``).
_TIMELINE_COLUMNS = ", ".join(("id", "kind", *(f.name for f in FIELDS), "created_at"))


def _iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat()


def focus_areas(text: str) -> tuple:
    """A stored focus (a JSON list) as a tuple, without importing json for the
    form rubdown writes (``["calves", "quads"]``: plain printable text, no
    escapes), which is read alike by both ways; anything else is json's to
    read (a ``ValueError`` when it is no JSON)."""
    plain = text.startswith('["') and text.endswith('"]') and len(text) >= 4
    if plain and "\\" not in text and text.isprintable():
        areas = text[2:-2].split('", "')
        if not any('"' in area for area in areas):
            return tuple(areas)
    import json

    return tuple(json.loads(text))


def _record_fields(record: Record) -> dict:
    """A record's fields by name, all but its id: what the limits check
    (``fields.record_problems``) and ``_fields_to_row`` stores."""
    return {name: getattr(record, name) for name in record.FIELDS if name != "id"}


def _fields_to_row(kind: str, fields: dict, *, partial: bool = False) -> dict:
    """Model-level fields (datetimes, tuples) -> column values."""
    row: dict = {} if partial else {"kind": kind}
    for key, value in fields.items():
        if key == "start":
            value = _iso(value)
        elif key == "type" and value is None:  # a run plan naming no type
            value = ""
        elif key in ("focus", "areas"):
            import json

            value = json.dumps(list(value)) if value else None
        elif key == "sore":
            import json

            value = json.dumps(dict(value)) if value else None
        row[key] = value
    return row


def row_to_record(row: dict) -> Record:
    # .get: an undo snapshot saved before plans existed has no plan columns
    return _from_columns(*(row.get(c) for c in _COLUMN_NAMES))


_COLUMN_NAMES = tuple(c.strip() for c in _TIMELINE_COLUMNS.split(","))
_TEXT = (str, type(None))


class DamagedRecord(RubdownError):
    """A stored record whose values are not valid: damaged on disk (SQLite
    checks constraints when writing, not when reading)."""


class _BadValues(Exception):
    """A row whose values break the schema's constraints (see ``_from_columns``)."""


def _start_of(start, type, note, source) -> datetime:  # noqa: A002
    """The start of a record whose shared values hold; ValueError otherwise."""
    when = datetime.fromisoformat(start)
    if when.tzinfo is None or not (
        isinstance(type, str) and isinstance(note, _TEXT) and isinstance(source, _TEXT)
    ):
        raise ValueError(start)
    return when


def _run_from(id, type, start, distance_m, duration_s, rpe, event, leg, note, source) -> Run:  # noqa: A002
    try:
        when = _start_of(start, type, note, source)
        if (
            (distance_m is None or distance_m > 0)
            and (duration_s is None or duration_s > 0)
            and (rpe is None or 0 <= rpe <= 10)
            and (leg is None or leg > 0)
            and isinstance(event, _TEXT)
        ):
            return Run(id, when, type, distance_m, duration_s, rpe, event, leg, note, source)
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


def _massage_from(
    id,
    type,
    start,
    minutes,
    therapist,
    cost_cents,
    focus,
    note,
    source,  # noqa: A002
) -> Massage:
    try:
        when = _start_of(start, type, note, source)
        areas = focus_areas(focus) if focus else ()  # JSONDecodeError is a ValueError
        if (
            minutes > 0
            and isinstance(therapist, _TEXT)
            and (cost_cents is None or cost_cents >= 0)
            and all(isinstance(area, str) for area in areas)
        ):
            return Massage(id, when, type, minutes, therapist, cost_cents, areas, note, source)
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


def _self_care_from(id, type, start, minutes, areas, note, source) -> SelfCare:  # noqa: A002
    try:
        when = _start_of(start, type, note, source)
        worked = focus_areas(areas) if areas else ()
        if minutes > 0 and all(isinstance(area, str) for area in worked):
            return SelfCare(id, when, type, minutes, note, source, worked)
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


def _rating(value: object, low: int, high: int) -> bool:
    return value is None or (isinstance(value, int) and low <= value <= high)


def _sore_of(sore: object) -> tuple[tuple[str, int], ...]:
    """A check-in's stored sore areas (JSON ``{area: rating}``) as pairs;
    ValueError when they are not that."""
    import json

    rated = json.loads(sore) if sore else {}  # type: ignore[arg-type]
    if not isinstance(rated, dict) or not all(
        isinstance(area, str) and _rating(n, 0, 10) and n is not None
        for area, n in rated.items()
    ):
        raise ValueError(sore)
    return tuple(rated.items())


def _check_in_from(
    id, type, start, soreness, sore, fatigue, sleep, stress, mood, note, source,  # noqa: A002
) -> CheckIn:  # fmt: skip
    try:
        when = _start_of(start, type, note, source)
        if _rating(soreness, 0, 10) and all(_rating(v, 1, 5) for v in (fatigue, sleep, stress,
                                                                       mood)):  # fmt: skip
            return CheckIn(id, when, None, note, source, soreness, _sore_of(sore), fatigue,
                           sleep, stress, mood)  # fmt: skip
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


def _plan_from(
    id, type, start, distance_m, duration_s, event, leg, minutes, therapist,  # noqa: A002
    cost_cents, focus, plan_kind, skipped, skip_reason, note, source,
) -> Plan:  # fmt: skip
    try:
        when = _start_of(start, type, note, source)
        areas = focus_areas(focus) if focus else ()
        if (
            plan_kind in KINDS
            and skipped in (0, 1)
            and (distance_m is None or distance_m > 0)
            and (duration_s is None or duration_s > 0)
            and (leg is None or leg > 0)
            and (minutes is None or minutes > 0)
            and (cost_cents is None or cost_cents >= 0)
            and isinstance(event, _TEXT)
            and isinstance(therapist, _TEXT)
            and isinstance(skip_reason, _TEXT)
            and all(isinstance(area, str) for area in areas)
        ):
            return Plan(id, when, type or None, distance_m, duration_s, event, leg, minutes,
                        therapist, cost_cents, areas, note, source, plan_kind, bool(skipped),
                        skip_reason)  # fmt: skip
    except (ValueError, TypeError):
        pass
    raise _BadValues(id)


#: Per kind: its columns (in the argument order of its ``_..._from``, the
#: function that makes the record) and its table.
_KIND_READS = {
    kind: (
        ", ".join(("r.id", "r.type", "r.start", *(f"c.{name}" for name in own(kind)),
                   "r.note", "r.source")),
        table,
    )
    for kind, table in TABLES.items()
}  # fmt: skip


# A record of no known kind, in a period: four seeks on the kind index (the
# "+" keeps the planner off the date indexes) instead of a scan of the period.
_UNKNOWN_KIND_SQL = (
    " UNION ALL ".join(
        f"SELECT r.id FROM records r WHERE {kinds}"
        " AND +r.local_date >= ? AND +r.local_date <= ? AND +r.start_utc >= ?"
        " AND +r.start_utc <= ?"
        for kinds in (
            "r.kind < 'check-in'",
            "r.kind > 'check-in' AND r.kind < 'massage'",
            "r.kind > 'massage' AND r.kind < 'plan'",
            "r.kind > 'plan' AND r.kind < 'run'",
            "r.kind > 'run' AND r.kind < 'self-care'",
            "r.kind > 'self-care'",
        )
    )
    + " LIMIT 1"
)


def _from_columns(
    id, kind, type, start, distance_m, duration_s, rpe, event, leg, minutes,  # noqa: A002
    therapist, cost_cents, focus, note, source, plan_kind, skipped, skip_reason, areas,
    soreness, sore, fatigue, sleep, stress, mood, created_at,
) -> Record:  # fmt: skip
    """A record from one timeline row, in ``_TIMELINE_COLUMNS`` order.

    The values are held to the schema's own constraints on the way: a value
    damaged on disk (which SQLite's integrity check cannot see) makes a
    DamagedRecord naming the record, never a crash further on. A comparison
    with a value of the wrong type raises TypeError, which counts too.
    """
    try:
        if kind == "run":
            return _run_from(id, type, start, distance_m, duration_s, rpe, event, leg, note, source)
        if kind == "massage":
            return _massage_from(
                id, type, start, minutes, therapist, cost_cents, focus, note, source
            )
        if kind == "self-care":
            return _self_care_from(id, type, start, minutes, areas, note, source)
        if kind == "plan":
            return _plan_from(id, type, start, distance_m, duration_s, event, leg, minutes,
                              therapist, cost_cents, focus, plan_kind, skipped, skip_reason,
                              note, source)  # fmt: skip
        if kind == "check-in":
            return _check_in_from(id, type, start, soreness, sore, fatigue, sleep, stress, mood,
                                  note, source)  # fmt: skip
    except _BadValues:
        pass
    values = (id, kind, type, start, distance_m, duration_s, rpe, event, leg, minutes,
              therapist, cost_cents, focus, note, source, plan_kind, skipped, skip_reason,
              areas, soreness, sore, fatigue, sleep, stress, mood, created_at)  # fmt: skip
    raise _damaged(dict(zip(_COLUMN_NAMES, values, strict=True)))


def _damaged(row: dict) -> DamagedRecord:
    return DamagedRecord(
        f"Record #{row['id']} is damaged: {record_problem(row) or 'a value'}. "
        "Restore a copy made with 'rubdown db backup', or mend the row with an SQLite "
        "tool; 'rubdown db check' lists every damaged record."
    )


def record_problem(row: dict) -> str | None:
    """What is wrong with a stored record's values, in words; None if nothing."""

    def number(name: str, low: float, *, strict: bool, optional: bool = True) -> str | None:
        value = row[name]
        if value is None and optional:
            return None
        try:
            if isinstance(value, (int, float)) and (value > low if strict else value >= low):
                return None
        except TypeError:
            pass
        return f"its {name} {shown(value)} is not a valid number"

    def text(name: str, *, optional: bool = True) -> str | None:
        value = row[name]
        if value is None and optional:
            return None
        if not isinstance(value, str):
            return f"its {name} {shown(value)} is not text"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # decoded leniently: it held invalid UTF-8
            return f"its {name} is not valid UTF-8 text"
        return None

    try:
        when = datetime.fromisoformat(row["start"])
    except (TypeError, ValueError):
        when = None
    if when is None or when.tzinfo is None:
        return f"its start {shown(row['start'])} is not a date-time with a UTC offset"
    kind = row["kind"]
    checks = [text("type", optional=False), text("note"), text("source")]
    if kind == "run":
        checks += [
            number("distance_m", 0, strict=True), number("duration_s", 0, strict=True),
            number("rpe", 0, strict=False), text("event"), number("leg", 0, strict=True),
        ]  # fmt: skip
        if isinstance(row["rpe"], (int, float)) and row["rpe"] > 10:
            checks.append(f"its rpe {shown(row['rpe'])} is over 10")
    elif kind in ("massage", "self-care"):
        checks.append(number("minutes", 0, strict=True, optional=False))
        if kind == "massage":
            checks += [text("therapist"), number("cost_cents", 0, strict=False),
                       _areas_problem(row["focus"], "focus")]  # fmt: skip
        elif (problem := _areas_problem(row.get("areas"), "areas")) is not None:
            checks.append(problem)
    elif kind == "check-in":
        checks += [number("soreness", 0, strict=False), number("fatigue", 1, strict=False),
                   number("sleep", 1, strict=False), number("stress", 1, strict=False),
                   number("mood", 1, strict=False)]  # fmt: skip
        for name, high in (("soreness", 10), ("fatigue", 5), ("sleep", 5), ("stress", 5),
                           ("mood", 5)):  # fmt: skip
            if isinstance(row.get(name), (int, float)) and row[name] > high:
                checks.append(f"its {name} {shown(row[name])} is over {high}")
        try:
            _sore_of(row.get("sore"))
        except (TypeError, ValueError):
            checks.append(f"its sore {shown(row.get('sore'))} is not areas with ratings")
    elif kind == "plan":
        checks += [
            number("distance_m", 0, strict=True), number("duration_s", 0, strict=True),
            text("event"), number("leg", 0, strict=True), number("minutes", 0, strict=True),
            text("therapist"), number("cost_cents", 0, strict=False), text("skip_reason"),
        ]  # fmt: skip
        if row.get("plan_kind") not in KINDS:
            checks.append(f"its plan_kind {shown(row.get('plan_kind'))} is not a kind")
        if row.get("skipped") not in (0, 1):
            checks.append(f"its skipped {shown(row.get('skipped'))} is not 0 or 1")
    else:
        checks.append(f"its kind {shown(kind)} is not run, massage, self-care, plan or check-in")
    return next((problem for problem in checks if problem), None)


def _areas_problem(text: object, name: str) -> str | None:
    import json

    try:
        areas = json.loads(text) if text else []  # type: ignore[arg-type]
        valid = isinstance(areas, list) and all(isinstance(a, str) for a in areas)
    except (TypeError, ValueError):
        valid = False
    return None if valid else f"its {name} {shown(text)} is not a list of areas"


def _snapshot(entry_id: int, text: str) -> list[dict]:
    """The rows an undo journal entry saved; a damaged entry is refused."""
    import json

    try:
        rows = json.loads(text)
        if isinstance(rows, list) and all(isinstance(r, dict) and "id" in r for r in rows):
            return rows
    except (TypeError, ValueError):
        pass
    raise RubdownError(
        f"Undo journal entry #{entry_id} is damaged, so undo cannot revert it; nothing was "
        "changed. Restore a copy made with 'rubdown db backup' to go back further."
    )
