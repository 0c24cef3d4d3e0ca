"""The use cases of plans (SPEC 10): ``plan``, ``plan list``, ``plan skip``,
``plan move``. No typer, no printing (see ``rubdown.app``)."""

from __future__ import annotations

from rubdown.app import Written, _open, check_pace, settings
from rubdown.errors import ParseError, UsageError

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path
    from typing import Any

    from rubdown.config import Config
    from rubdown.models import Record
    from rubdown.parsing import When
    from rubdown.store import Store


# -- plans (SPEC 10) -------------------------------------------------------------


def plan(kind: str, typed: dict[str, str | None], *, db: Path | None = None,
         cfg: Config | None = None) -> Written:  # fmt: skip
    """Read the fields typed for a plan of a ``kind`` session (as ``log``
    reads them; ``start``, the planned start, is required and may lie up to
    two years ahead) and store the plan."""
    from rubdown import clock, fields
    from rubdown.models import PLAN, new_record
    from rubdown.store import refuse_invalid

    cfg = cfg or settings()
    now = clock.now()
    context = fields.Context(units=cfg.units, currency=cfg.currency, kind=kind, now=now)
    values = fields.typed_values(kind, {k: v for k, v in typed.items() if k != "start"}, context)
    when = _plan_when(typed.get("start"), now)
    given: dict[str, Any] = {
        f.name: values.get(f.name, f.empty)
        for f in fields.of_kind(PLAN)
        if f.options and f.name != "start" and kind in f.kinds
    }
    if kind == "run":
        check_pace(given["distance_m"], given["duration_s"], typed.get("distance_m"),
                   typed.get("duration_s"), cfg.units)  # fmt: skip
    record = new_record(PLAN, {**given, "start": when.start, "plan_kind": kind})
    refuse_invalid(record, now=now)
    with _open(db, write=True) as store:
        stored = store.add(record)
    return Written(stored, when, now)


def _plan_when(text: str | None, now: datetime) -> When:
    """A plan's ``--date`` (required), read as ``parsing.read_plan_when`` reads it."""
    from rubdown import parsing

    if text is None:
        raise UsageError("a plan needs --date WHEN (e.g. 'mon 17:00' or 2026-12-07)")
    try:
        return parsing.read_plan_when(parsing.check_text(text), now=now)
    except ParseError as exc:
        raise ParseError(str(exc), option="--date") from None


def plan_list(*, everything: bool = False, db: Path | None = None,
              cfg: Config | None = None) -> tuple[list[Any], datetime]:  # fmt: skip
    """The plans as they stand now (``analysis.plans.PlanOutcome``s, oldest
    planned start first): the open ones, or with ``everything`` every plan
    with its status and slip; and now."""
    from rubdown import clock
    from rubdown.analysis import plans as planning

    cfg = cfg or settings()
    now = clock.now()
    with _open(db, write=False) as store:
        stored = store.plans()
        done = store.fulfilments()
    found = planning.outcomes(stored, done, now=now, match_days=cfg.plan_match_days)
    if not everything:
        found = [item for item in found if item.status == planning.OPEN]
    return found, now


def outcome_of(record: Record, *, now: datetime, cfg: Config | None = None) -> Any:
    """The ``analysis.plans.PlanOutcome`` at ``now`` of a plan just planned,
    skipped or moved (never done: those commands refuse a plan that was)."""
    from rubdown.analysis import plans as planning

    cfg = cfg or settings()
    return planning.outcome(record, done=None, now=now, match_days=cfg.plan_match_days)


def _plan_to_change(store: Store, plan_id: int, action: str) -> Any:
    """The plan ``plan_id`` for ``plan skip`` or ``plan move``: a usage error
    (exit 2) when there is no such plan or it was done."""
    from rubdown.errors import NotFound

    try:
        record = store.get(plan_id)
    except NotFound:
        record = None
    if record is None or record.kind != "plan":
        raise UsageError(f"no plan #{plan_id}; 'rubdown plan list --all' shows the plans")
    done = store.fulfilments().get(plan_id)
    if done is not None:
        raise UsageError(f"plan #{plan_id} was done (by #{done[0]}); there is nothing to {action}")
    return record


def plan_skip(plan_id: int, reason: str | None, *, db: Path | None = None) -> Record:
    """Mark an open plan skipped (``reason``: why); the plan as changed."""
    from rubdown import parsing

    note = None
    if reason is not None:
        try:
            note = parsing.parse_note(parsing.check_text(reason)) or None
        except ParseError as exc:
            raise ParseError(str(exc), option="--reason") from None
    with _open(db, write=True, create=False) as store:
        _plan_to_change(store, plan_id, "skip")
        _, after = store.update(plan_id, {"skipped": True, "skip_reason": note})
    return after


def plan_move(plan_id: int, date_text: str, *, db: Path | None = None) -> Written:
    """Move an open plan to ``--date``; the plan as moved (a skipped plan
    moved is open again)."""
    from rubdown import clock

    now = clock.now()
    when = _plan_when(date_text, now)
    with _open(db, write=True, create=False) as store:
        _plan_to_change(store, plan_id, "move")
        _, after = store.update(plan_id, {"start": when.start, "skipped": False,
                                          "skip_reason": None})  # fmt: skip
    return Written(after, when, now)
