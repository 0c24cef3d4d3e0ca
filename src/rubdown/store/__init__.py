"""The database: the only package that knows SQL.

- ``opening``: opening safely (file safety, creation, the copy saved
  before an upgrade, read-only and in-memory databases);
- ``records``: the ``Store``, its records and the undo journal;
- ``decode``: rows -> records, naming damage SQLite cannot see;
- ``admin``: ``db check`` and ``db backup``;
- ``dedupe``: the duplicate rule of ``rubdown import``;
- ``search``: what ``list --search`` finds, as a full-text query;
- ``migrations``: the numbered schema steps.

The hot paths (``log``, ``list``, ``report``) use the standard library's
``sqlite3`` directly: importing sqlite-utils costs more than the whole budget
of a ``rubdown log run`` (docs/performance.md). sqlite-utils serves what
start-up does not limit (``db check``, migration steps written with it). The
store prints nothing and renders nothing. The promises and their proof:
docs/reliability.md.

``admin``, ``dedupe`` and ``search`` are imported when first used, so ``import
rubdown.store`` stays as cheap as the hot paths need.
"""

from __future__ import annotations

from rubdown.store.decode import DamagedRecord, record_problem, row_to_record
from rubdown.store.opening import (
    BUSY_TIMEOUT_S,
    NEW_FILE_GRACE_S,
    busy_timeout,
    cannot_write,
    explain,
    read_only_part,
    refuse_unusable,
)
from rubdown.store.records import (
    CHILD_FIELDS,
    CHILD_TABLE,
    MAX_ID,
    RECORD_FIELDS,
    FileStored,
    Imported,
    Store,
    Undone,
    refuse_invalid,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rubdown.store.admin import CheckResult, backup, check_database
    from rubdown.store.dedupe import DUPLICATE_DISTANCE_RATIO, DUPLICATE_WINDOW_S, same_distance

_LAZY = {
    "CheckResult": "admin",
    "backup": "admin",
    "check_database": "admin",
    "DUPLICATE_DISTANCE_RATIO": "dedupe",
    "DUPLICATE_WINDOW_S": "dedupe",
    "same_distance": "dedupe",
}

__all__ = [
    "BUSY_TIMEOUT_S",
    "CHILD_FIELDS",
    "CHILD_TABLE",
    "DUPLICATE_DISTANCE_RATIO",
    "DUPLICATE_WINDOW_S",
    "MAX_ID",
    "NEW_FILE_GRACE_S",
    "RECORD_FIELDS",
    "CheckResult",
    "DamagedRecord",
    "FileStored",
    "Imported",
    "Store",
    "Undone",
    "backup",
    "busy_timeout",
    "cannot_write",
    "check_database",
    "explain",
    "read_only_part",
    "record_problem",
    "refuse_invalid",
    "refuse_unusable",
    "row_to_record",
    "same_distance",
]


def __getattr__(name: str) -> object:
    """``admin`` and ``dedupe`` names, imported at their first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rubdown.store' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"rubdown.store.{module}"), name)
