"""The duplicate rule of ``rubdown import`` (SPEC 8): when an imported record
is a session already in the log."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

#: An imported record is the same session as a stored one of its kind when
#: their starts are at most this far apart ...
DUPLICATE_WINDOW_S = 120
#: ... and, for runs whose distances are both known, the distances differ by
#: at most this fraction of the longer one.
DUPLICATE_DISTANCE_RATIO = 0.03

_UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # the format of the generated start_utc column

# Both read the (kind, start_utc) index: a range scan, never the whole table.
_SAME_RUN_SQL = (
    "SELECT r.id, ru.distance_m FROM records r JOIN runs ru ON ru.id = r.id"
    " WHERE r.kind = 'run' AND r.start_utc BETWEEN ? AND ? ORDER BY r.start_utc, r.id"
)
_SAME_SESSION_SQL = (
    "SELECT id FROM records WHERE kind = ? AND start_utc BETWEEN ? AND ? ORDER BY start_utc, id"
)
_SAME_START_SQL = "SELECT id FROM records WHERE kind = ? AND start_utc = ? ORDER BY id"


def _start_window(start: str) -> tuple[str, str]:
    """The ``start_utc`` bounds of the sessions that may duplicate ``start``."""
    instant = datetime.fromisoformat(start).astimezone(UTC)
    window = timedelta(seconds=DUPLICATE_WINDOW_S)
    return (instant - window).strftime(_UTC_FORMAT), (instant + window).strftime(_UTC_FORMAT)


def same_distance(a: float | None, b: float | None) -> bool:
    """Whether two run distances agree within ``DUPLICATE_DISTANCE_RATIO``;
    an unknown distance agrees with any (the start decides alone)."""
    if a is None or b is None:
        return True
    return abs(a - b) <= DUPLICATE_DISTANCE_RATIO * max(a, b)


def duplicate_ids(conn: sqlite3.Connection, row: dict) -> list[int]:
    """The ids of stored records that ``row`` would duplicate: the same
    fingerprint (``source_id``), or the window rule."""
    hits = []
    source_id = row.get("source_id")
    if source_id is not None:
        hit = conn.execute("SELECT id FROM records WHERE source_id = ?", (source_id,)).fetchone()
        if hit is not None:
            hits.append(hit[0])
    low, high = _start_window(row["start"])
    if row["kind"] != "run":
        same = conn.execute(_SAME_SESSION_SQL, (row["kind"], low, high))
        hits += [hit for (hit,) in same]
        return hits
    for record_id, distance_m in conn.execute(_SAME_RUN_SQL, (low, high)):
        if same_distance(row.get("distance_m"), distance_m):
            hits.append(record_id)
    return hits


def same_record_ids(
    conn: sqlite3.Connection,
    row: dict,
    exported_id: object,
    stored_row: Callable[[int], dict | None],
    compared: tuple[str, ...],
) -> list[int]:
    """The ids of stored records that are the record of a JSON export:
    the same kind and start (to the second), and either its exported id
    (the database it came from) or every value but the source alike.
    ``stored_row(id)`` reads a stored record's row (None if there is none);
    ``compared``: the columns that must be alike."""
    instant = datetime.fromisoformat(row["start"]).astimezone(UTC).strftime(_UTC_FORMAT)
    hits = []
    for (record_id,) in conn.execute(_SAME_START_SQL, (row["kind"], instant)):
        if record_id == exported_id:
            hits.append(record_id)
            continue
        stored = stored_row(record_id)
        if stored is not None and all(stored.get(name) == row.get(name) for name in compared):
            hits.append(record_id)
    return hits
