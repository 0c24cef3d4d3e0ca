"""``rubdown rate``: the runs of the last days without an RPE, and the
rating of one, stored through ``edit`` (SPEC 13). No typer, no printing."""

from __future__ import annotations

from rubdown.app import Written, _open, edit, settings

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from rubdown.config import Config
    from rubdown.models import Run

#: ``rate`` asks about the runs of today and the days before it, this many in all.
RATE_DAYS = 14


def unrated_runs(*, db: Path | None = None) -> tuple[list[Run], datetime]:
    """The runs of the last ``RATE_DAYS`` local days (today included, up to
    now) that have no RPE, newest first; and now."""
    from datetime import timedelta

    from rubdown import clock
    from rubdown.models import Run

    now = clock.now()
    today = now.date()
    since = today - timedelta(days=RATE_DAYS - 1)
    with _open(db, write=False) as store:
        records = store.records(since=since, until=today, kinds=("run",), end=now)
    runs = [r for r in records if isinstance(r, Run) and r.rpe is None]
    runs.reverse()
    return runs, now


def rate(record_id: int, rpe: str, *, db: Path | None = None,
         cfg: Config | None = None) -> Written:  # fmt: skip
    """Store ``rpe`` (as typed) on the run ``record_id``: exactly what
    ``edit ID --rpe N`` does (one journaled edit; ``undo`` reverts it)."""
    return edit(record_id, {"rpe": rpe}, db=db, cfg=cfg or settings())
