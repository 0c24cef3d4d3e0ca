"""``rubdown report`` and ``rubdown demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rubdown.cli import core
from rubdown.cli.options import (
    DbOption,
    FormatOption,
    JsonOption,
    db_path,
    output_format,
    say,
    settings,
    usage_errors,
)


def report(
    ctx: typer.Context,
    weeks: Annotated[
        int | None,
        typer.Option("--weeks", "-w", metavar="N", min=1, max=520,
                     help="The N weeks ending with this week (default 12)."),
    ] = None,  # fmt: skip
    since: Annotated[
        str | None, typer.Option("--since", metavar="WHEN", help="First day of the report.")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="WHEN",
                     help="Last day (a later one is read as today); the report reads as "
                          "it would have at its end."),
    ] = None,  # fmt: skip
    week: Annotated[
        str | None, typer.Option("--week", metavar="YYYY-Www", help="One week, e.g. 2026-W47.")
    ] = None,
    last_week: Annotated[
        bool, typer.Option("--last-week", help="The last completed week.")
    ] = False,
    within: Annotated[
        str | None,
        typer.Option("--within", metavar="HOURS",
                     help="Follow-up window: recovery within this is on time (default 72)."),
    ] = None,  # fmt: skip
    every: Annotated[
        str | None,
        typer.Option("--every", metavar="PERIOD",
                     help="Target massage cadence: 7d, 2w, 30d, weekly, biweekly, monthly."),
    ] = None,  # fmt: skip
    self_care: Annotated[
        bool | None,
        typer.Option("--self-care/--no-self-care",
                     help="Count self-care as recovery (default from config: off)."),
    ] = None,  # fmt: skip
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Weekly summary, recovery after each hard effort, and massage regularity."""
    with usage_errors():
        core.report(
            db_path(ctx, db), weeks=weeks, since=since, until=until, week=week,
            last_week=last_week, within=within, every=every, self_care=self_care, fmt=fmt,
            as_json=as_json,
        )  # fmt: skip


def demo(
    ctx: typer.Context,
    fmt: FormatOption = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Write a realistic 16-week season into a new database and show its report.

    Without --db it uses a temporary database, never your own log, and removes
    it afterwards; with --db PATH (a new file) the season stays there to explore.
    """
    import shutil
    import tempfile

    from rubdown import clock
    from rubdown.analysis.period import report_period
    from rubdown.demo import EVERY_DAYS, WEEKS, season
    from rubdown.errors import RubdownError
    from rubdown.store import Store

    fmt = output_format(fmt, as_json)
    cfg = settings()
    now = clock.now()
    explicit = db or (ctx.find_root().obj or {}).get("db")
    if explicit:
        path = db_path(ctx, db)
        if path.exists():
            with Store.open(path, write=False) as existing:
                if existing.count():
                    raise RubdownError(
                        f"{path} already holds {existing.count()} records; the demo writes "
                        "only to a new or empty database. Pick another --db path."
                    )
    temporary = None if explicit else tempfile.mkdtemp(prefix="rubdown-demo-")
    if temporary is not None:
        path = Path(temporary) / "demo.db"
    try:
        with Store.open(path, write=True) as store:
            store.add_many(season(now), source="demo")
            period = report_period(now, weeks=WEEKS, week_start=cfg.week_start_index)
            data, runs = core.produce_report(
                store, period, cfg, window_hours=cfg.window_hours, every_days=EVERY_DAYS,
                include_self_care=False,
            )  # fmt: skip
    finally:
        if temporary is not None:  # nothing of the demo is left behind
            shutil.rmtree(temporary, ignore_errors=True)
    core.show_report(data, runs, fmt, cfg.units, now)
    if temporary is None:
        say(f"\nDemo database: {path}\nExplore it: rubdown --db {path} list   (or: report --json)")
    else:
        say(
            "\nThis demo's database was temporary and has been removed. To keep one to "
            "explore: rubdown demo --db demo.db, then rubdown --db demo.db list"
        )

