"""``rubdown budget``: spend per month against the budget, and what it
affords; one ``app`` call and what it returns rendered."""

from __future__ import annotations

from rubdown import app
from rubdown.app import reporting

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def budget(db: Path | None = None, *, fmt: str | None = None, as_json: bool = False) -> None:
    """Spend per month against [budget] recovery, the average price, and the
    cadence that budget affords."""
    fmt = app.output_format(fmt, as_json)
    view = reporting.budget(db=db)
    if fmt == "json":
        from rubdown.render import print_json

        print_json(view.to_json())
        return
    from rubdown.render_spend import print_budget

    print_budget(view, fmt)
