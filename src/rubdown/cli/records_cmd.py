"""``rubdown list``, ``show``, ``edit``, ``delete`` and ``undo``: one call to
``rubdown.app`` each, and what it returns rendered."""

from __future__ import annotations

from rubdown import app
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def list_records(
    db: Path | None = None, *, since: str | None = None, until: str | None = None,
    kind: str | None = None, search: str | None = None, missing: str | None = None,
    fmt: str | None = None, as_json: bool = False,
) -> None:  # fmt: skip
    """List records, oldest first."""
    fmt = app.output_format(fmt, as_json)
    records, total = app.list_records(db=db, since=since, until=until, kind=kind, search=search,
                                      missing=missing)  # fmt: skip
    from rubdown import render

    if fmt == "json":
        render.print_json([render.record_json(r) for r in records])
        return
    if not records and fmt == "table":
        if total:
            import shlex

            filters = [f"{name} {value}" for name, value in (
                ("--since", since), ("--until", until), ("--kind", kind),
                ("--missing", missing)) if value is not None
            ]  # fmt: skip
            if search is not None:
                filters.append(f"--search {shlex.quote(search)}")
            noun = "record" if total == 1 else "records"
            say(
                f"No records match {' '.join(filters)}; the log holds {total} {noun} "
                "('rubdown list' shows them all)."
            )
        else:
            say("No records yet. Log one with 'rubdown log run --distance 10k --time 55:00'.")
        return
    cfg = app.settings()
    columns, rows = render.list_table(records, cfg.units, cfg.currency)
    render.emit_table(
        columns,
        rows,
        fmt,
        right=("id",),
        shrink=("note", "details"),
        drop=("source", "kind", "note", "type"),  # a source is shown whole or not at all
    )


def show(
    record_id: int, db: Path | None = None, *, fmt: str | None = None, as_json: bool = False
) -> None:
    """Show one record in full."""
    fmt = app.output_format(fmt, as_json)
    record = app.show(record_id, db=db)
    from rubdown import render

    data = render.record_json(record)
    if fmt == "json":
        render.print_json(data)
        return
    rows: list[tuple[str, ...]] = [(key, render.show_value(value)) for key, value in data.items()]
    render.emit_table(("field", "value"), rows, fmt)


def edit(record_id: int, db: Path | None = None, **typed: str | None) -> None:
    """Change the fields typed of a record (see ``app.edit``)."""
    from rubdown.cli.log_cmd import confirmation

    cfg = app.settings()
    written = app.edit(record_id, typed, db=db, cfg=cfg)
    say(confirmation("Edited", written, cfg.units, cfg.currency))


def delete(record_id: int, db: Path | None = None) -> None:
    """Delete a record ('rubdown undo' brings it back)."""
    from rubdown import clock, render

    cfg = app.settings()
    record = app.delete(record_id, db=db)
    say(
        f"Deleted {render.summary(record, cfg.units, cfg.currency, clock.now())}"
        " ('rubdown undo' restores it)"
    )


def undo(db: Path | None = None) -> None:
    """Revert the last write (log, edit, delete, import); repeat to go further back."""
    from rubdown import clock, render

    cfg = app.settings()
    undone = app.undo(db=db)
    now = clock.now()
    described = "; ".join(render.summary(r, cfg.units, cfg.currency, now) for r in undone.records)
    verb = {
        "log": "Undid log of",
        "edit": "Undid edit: restored",
        "delete": "Undid delete: restored",
        "import": "Undid import of",
    }[undone.action]
    if undone.action == "import" and len(undone.records) > 3:
        described = f"{len(undone.records)} records"
    say(f"{verb} {described}")
