"""The parsing layer of ``rubdown import``: paths in, activities out.

``scan(paths)`` yields one FileResult per file (per row for a Strava
export) with the runs it holds; nothing here touches the database. It is
``units(paths)`` (the walk: what to read, in order) and ``read(unit)`` (one
of them read) together; a caller that reads in several processes uses the
two. Parsers (XML, FIT, zip) are imported only when a file of their format
is met, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import Any

from .activity import Activity, FileResult, Status
from .scan import Unit, read, scan, units

__all__ = [
    "Activity",
    "FileResult",
    "Status",
    "Unit",
    "read",
    "read_rubdown_json",
    "scan",
    "units",
]


def read_rubdown_json(data: bytes | str) -> list[dict[str, Any]]:
    """The validated records of a rubdown JSON export (see
    :func:`rubdown.importers.rubdown_json.read_rubdown_json`)."""
    from .rubdown_json import read_rubdown_json as validated

    return validated(data)
