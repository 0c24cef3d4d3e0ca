"""rubdown's own JSON export (``export --format json``): the ``list --json``
records (SPEC 6b), checked field by field before anything is stored.

This reader checks the shape (kinds, types, text where text belongs, whole
numbers where they belong): a file that breaks it is not an export and fails
whole. The limits of the values (an RPE of 11, a billion kilometres, a start
in 2999) are the one check every stored record passes
(``fields.record_problems``), which refuses such a record alone."""

from __future__ import annotations

import json
from typing import Any

from .. import fields
from ..models import RECORD_KINDS
from .activity import NothingToImport, UnreadableFile


class _Bad(ValueError):
    pass


def _record(raw: object) -> dict[str, Any]:
    """``id``, ``kind`` and the kind's fields, each read by its JSON key and
    turned into its model value by the field table (``fields.record_of_json``);
    a session's ``fulfils`` (the exported id of its plan) when it has one."""
    if not isinstance(raw, dict):
        raise _Bad(f"a record must be an object, not {type(raw).__name__}")
    kind = raw.get("kind")
    if not isinstance(kind, str) or kind not in RECORD_KINDS:
        raise _Bad(f"kind must be one of {', '.join(RECORD_KINDS)}, not {kind!r}")
    values = {"id": raw.get("id"), "kind": kind, **fields.record_of_json(kind, raw)}
    fulfils = raw.get("fulfils")
    if fulfils is not None:
        if kind == "plan" or not isinstance(fulfils, int) or isinstance(fulfils, bool):
            raise _Bad(f"fulfils must be the id of a plan, not {fulfils!r}")
        values["fulfils"] = fulfils
    return values


def _reject_constant(name: str) -> None:
    raise _Bad(f"{name} is not a JSON number")


def read_rubdown_json(data: bytes | str) -> list[dict[str, Any]]:
    """The records of a rubdown JSON export, validated.

    ``data`` is a JSON array of records in the ``list --json`` shape, or an
    object ``{"records": [...]}``. Each returned dict has ``id`` and
    ``kind`` as written, then the kind's fields by name as model values
    (``start`` a datetime, ``cost_cents``, ``focus`` a tuple), absent values
    None; unknown keys are dropped.

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
        except (_Bad, fields.JSONShapeError) as exc:
            raise UnreadableFile(f"record {index}: {exc}") from exc
    return records
