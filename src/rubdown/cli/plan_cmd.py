"""``rubdown plan run|massage|self-care|list|skip|move``: one call to
``rubdown.app`` each, and what it returns rendered."""

from __future__ import annotations

from rubdown import app
from rubdown.app import plans
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from rubdown.config import Config
    from rubdown.models import Record


def _print_plan(record: Record, now: datetime, cfg: Config) -> None:
    """``--json``: the plan as one item of ``plan list --json``, on stdout."""
    from rubdown import render

    render.print_json(render.plan_json(plans.outcome_of(record, now=now, cfg=cfg)))


def _plan(kind: str, db: Path | None, as_json: bool, typed: dict[str, str | None]) -> None:
    from rubdown.cli.log_cmd import confirmation

    cfg = app.settings()
    written = plans.plan(kind, typed, db=db, cfg=cfg)
    if as_json:
        _print_plan(written.record, written.now, cfg)
        return
    say(confirmation("Planned", written, cfg.units, cfg.currency))


def plan_run(db: Path | None = None, as_json: bool = False, **typed: str | None) -> None:
    """Plan a run."""
    _plan("run", db, as_json, typed)


def plan_massage(db: Path | None = None, as_json: bool = False, **typed: str | None) -> None:
    """Plan a massage session."""
    _plan("massage", db, as_json, typed)


def plan_self_care(db: Path | None = None, as_json: bool = False, **typed: str | None) -> None:
    """Plan self-care."""
    _plan("self-care", db, as_json, typed)


def plan_list(db: Path | None = None, *, everything: bool = False, as_json: bool = False) -> None:
    """List the open plans (``everything``: every plan, with its status and slip)."""
    from rubdown import render

    cfg = app.settings()
    found, now = plans.plan_list(everything=everything, db=db, cfg=cfg)
    if as_json:
        render.print_json([render.plan_json(item) for item in found])
        return
    if not found:
        say("No plans." if everything else "No open plans ('rubdown plan list --all' shows "
            "every plan).")  # fmt: skip
        return
    columns, rows = render.plan_table(found, cfg.units, cfg.currency, now)
    render.emit_table(columns, rows, "table", right=("id",), shrink=("details",))


def plan_skip(record_id: int, db: Path | None = None, *, reason: str | None = None,
              as_json: bool = False) -> None:  # fmt: skip
    """Mark a plan skipped."""
    from rubdown import clock, render

    cfg = app.settings()
    plan = plans.plan_skip(record_id, reason, db=db)
    if as_json:
        _print_plan(plan, clock.now(), cfg)
        return
    say(f"Skipped {render.summary(plan, cfg.units, cfg.currency, clock.now())}"
        " ('rubdown undo' reopens it)")  # fmt: skip


def plan_move(record_id: int, db: Path | None = None, *, date: str,
              as_json: bool = False) -> None:  # fmt: skip
    """Move a plan to another day or time."""
    from rubdown.cli.log_cmd import confirmation

    cfg = app.settings()
    written = plans.plan_move(record_id, date, db=db)
    if as_json:
        _print_plan(written.record, written.now, cfg)
        return
    say(confirmation("Moved", written, cfg.units, cfg.currency))
