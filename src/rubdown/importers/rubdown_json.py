"""rubdown's own JSON export (``export --format json``): the ``list --json``
records (SPEC 6b), checked field by field before anything is stored.

This reader checks the shape (kinds, types, text where text belongs, whole
numbers where they belong): a file that breaks it is not an export and fails
whole. The limits of the values (an RPE of 11, a billion kilometres, a start
in 2999) are the one check every stored record passes
(``fields.record_problems``), which refuses such a record alone."""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..models import TYPES_BY_KIND
from .activity import NothingToImport, UnreadableFile


class _Bad(ValueError):
    pass


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is not None and not isinstance(value, str):
        raise _Bad(f"{key} must be text or null, not {value!r}")
    return value


def _integer(record: dict, key: str, *, required: bool = False) -> int | None:
    value = record.get(key)
    if value is None and not required:
        return None
    if not _is_int(value):
        raise _Bad(f"{key} must be a whole number, not {_shown(value)}")
    return value


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _record(raw: object) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _Bad(f"a record must be an object, not {type(raw).__name__}")
    kind = raw.get("kind")
    if kind not in TYPES_BY_KIND:
        raise _Bad(f"kind must be one of {', '.join(TYPES_BY_KIND)}, not {kind!r}")
    kind_type = raw.get("type")
    if not isinstance(kind_type, str):  # a text that is not a type is refused by the limits
        raise _Bad(
            f"{kind} type must be one of {', '.join(TYPES_BY_KIND[kind])}, not {kind_type!r}"
        )
    start = raw.get("start")
    try:
        when = datetime.fromisoformat(start) if isinstance(start, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise _Bad(f"start must be an ISO 8601 date-time with its UTC offset, not {start!r}")
    record: dict[str, Any] = {"id": raw.get("id"), "kind": kind, "type": kind_type, "start": start}
    record["note"] = _text(raw, "note")
    record["source"] = _text(raw, "source")
    if kind == "run":
        distance = raw.get("distance_m")
        if distance is not None and (
            isinstance(distance, bool)
            or not isinstance(distance, int | float)
            or not math.isfinite(distance)
        ):
            raise _Bad(f"distance_m must be a number of metres, not {_shown(distance)}")
        record["distance_m"] = None if distance is None else float(distance)
        record["duration_s"] = _integer(raw, "duration_s")
        record["rpe"] = _integer(raw, "rpe")
        record["event"] = _text(raw, "event")
        record["leg"] = _integer(raw, "leg")
    else:
        record["minutes"] = _integer(raw, "minutes", required=True)
    if kind == "massage":
        record["therapist"] = _text(raw, "therapist")
        cost = raw.get("cost")
        if cost is not None:
            try:
                amount = Decimal(cost) if isinstance(cost, str) else None
            except InvalidOperation:
                amount = None
            if amount is None or not amount.is_finite():
                raise _Bad(f'cost must be a decimal amount as text (e.g. "65.00"), not {cost!r}')
        record["cost"] = cost
        focus = raw.get("focus") or []
        if not isinstance(focus, list) or not all(isinstance(area, str) for area in focus):
            raise _Bad(f"focus must be a list of text, not {focus!r}")
        record["focus"] = list(focus)
    return record


def _reject_constant(name: str) -> None:
    raise _Bad(f"{name} is not a JSON number")


def read_rubdown_json(data: bytes | str) -> list[dict[str, Any]]:
    """The records of a rubdown JSON export, validated.

    ``data`` is a JSON array of records in the ``list --json`` shape, or an
    object ``{"records": [...]}``. Each returned dict has the keys of its
    kind (``id``, ``kind``, ``type``, ``start``, ``note``, ``source``, then
    the kind's own), absent values None; unknown keys are dropped.

    Raises NothingToImport when the JSON is not a rubdown export at all, and
    UnreadableFile (naming the record and field) when it is one but invalid.
    """
    try:
        document = json.loads(data, parse_constant=_reject_constant)
    except _Bad as exc:
        raise UnreadableFile(f"invalid JSON: {exc}") from exc
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, deep nesting
        raise UnreadableFile(f"invalid JSON: {str(exc)[:120]}") from exc
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        document = document["records"]
    if not isinstance(document, list) or not all(
        isinstance(item, dict) and "kind" in item for item in document
    ):
        raise NothingToImport("not a rubdown export")
    records = []
    for index, raw in enumerate(document, start=1):
        try:
            records.append(_record(raw))
        except _Bad as exc:
            raise UnreadableFile(f"record {index}: {exc}") from exc
    return records
