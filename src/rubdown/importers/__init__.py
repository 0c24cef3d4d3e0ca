"""The parsing layer of ``rubdown import``: paths in, activities out.

``units(paths)`` is the walk (what to read, in order) and ``read(unit)``
reads one of them into FileResults (one per file, per row for a Strava
export) with the runs it holds; a caller that reads in several processes
uses the two. Nothing here touches the database but ``batch``, which stores
what the readers read (one import). Parsers (XML, FIT, zip) are imported
only when a file of their format is met, so importing this package stays
cheap.
"""

from __future__ import annotations

from .activity import Activity, FileResult, Status
from .scan import Unit, read, units

__all__ = [
    "Activity",
    "FileResult",
    "Status",
    "Unit",
    "read",
    "units",
]
