"""``rubdown db path|check|backup``."""

from __future__ import annotations

from rubdown import app
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def path_(db: Path | None = None) -> None:
    """Print the path of the database in use."""
    from rubdown.paths import db_path
    from rubdown.render import shown_path

    print(shown_path(db_path(db)))


def check(db: Path | None = None) -> None:
    """Check the database's integrity (read-only) and give a clear verdict."""
    from rubdown.render import shown_path

    path, result = app.check(db=db)
    if result is None:
        say(f"No database at {path} yet; the first 'rubdown log' creates it.")
        return
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
    print(f"ok: {shown_path(path)} · integrity ok · schema {result.version} · {counts or 'empty'}")


def backup(file: Path, db: Path | None = None, *, force: bool = False) -> None:
    """Write a consistent copy of the database to FILE (mode 0600), even while others write."""
    count = app.backup(file, force=force, db=db)
    say(f"Backed up {count} {'record' if count == 1 else 'records'} to {file}")
