"""``rubdown due``: what needs doing, most urgent first; one ``app`` call and
what it returns rendered."""

from __future__ import annotations

from rubdown import app
from rubdown.app import reporting

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def due(db: Path | None = None, *, as_json: bool = False, short: bool = False,
        check: bool = False) -> None:  # fmt: skip
    """What needs doing; ``short``: one line or nothing (a shell prompt);
    ``check``: exit 1 when anything is overdue (cron)."""
    from rubdown import render
    from rubdown.errors import UsageError, Verdict

    if as_json and short:
        raise UsageError("Choose one: --json or --short, not both")
    cfg = app.settings()
    items, now = reporting.due(db=db, cfg=cfg)
    if as_json:
        render.print_json(render.due_json(items, now, cfg.units, cfg.currency))
    elif short:
        if items:
            line = render.due_text(items[0], now, cfg.units, cfg.currency)
            more = f" (+{len(items) - 1} more)" if len(items) > 1 else ""
            print(render.clean(("overdue: " if items[0].overdue else "") + line + more))
    elif not items:
        print("Nothing due.")
    else:
        for item in items:
            mark = "overdue" if item.overdue else "due"
            print(render.clean(f"{mark:8} {render.due_text(item, now, cfg.units, cfg.currency)}"))
    if check and any(item.overdue for item in items):
        raise Verdict(1)
