"""``rubdown report`` and ``rubdown demo``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rubdown.cli.common import (
    DbOption,
    FormatOption,
    JsonOption,
    db_path,
    open_store,
    output_format,
    parsed,
    say,
    settings,
)

if TYPE_CHECKING:
    from datetime import datetime

    from rubdown.analysis.period import Period
    from rubdown.config import Config
    from rubdown.store import Store


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off for a while.

    A report over a long history makes hundreds of thousands of objects, none
    of them in a reference cycle, and every few thousand the collector walks
    them all again: a tenth of a full-history report's time, for nothing.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def produce_report(
    store: Store,
    period: Period,
    cfg: Config,
    *,
    window_hours: float,
    every_days: int | None,
    include_self_care: bool,
) -> tuple[dict, dict]:
    """Read what the period needs and build the report; also the runs by id."""
    from datetime import timedelta

    from rubdown.analysis import HardEffortRules, build_report

    rules = HardEffortRules(
        types=cfg.hard_types,
        rpe=cfg.hard_rpe,
        load_factor=cfg.load_factor,
        load_days=cfg.load_days,
        load_min_runs=cfg.load_min_runs,
    )
    # Runs from load_days (+2 for relay legs) before the period feed rule 3.
    fetch_since = period.since - timedelta(days=cfg.load_days + 2)
    runs, massages, self_care = store.records_by_kind(
        since=fetch_since, until=period.until, end=period.end
    )
    if not massages:
        earlier = store.latest("massage", before=fetch_since)
        if earlier is not None:
            massages.append(earlier)
    report = build_report(
        runs,
        massages,
        self_care,
        since=period.since,
        until=period.until,
        report_end=period.end,
        rules=rules,
        window_hours=window_hours,
        every_days=every_days,
        include_self_care=include_self_care,
        week_start=cfg.week_start_index,
    )
    return report, {r.id: r for r in runs}


def show_report(report: dict, runs: dict, fmt: str, units: str, now: datetime) -> None:
    from rubdown import render_report

    if fmt == "json":
        from rubdown.render import print_json

        print_json(report)
    elif fmt == "csv":
        render_report.print_csv(report)
    elif fmt == "markdown":
        render_report.print_markdown(report, runs, units, now)
    else:
        render_report.print_table(report, runs, units, now)


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
                     help="Last day; the report reads as it would have at its end."),
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
                     help="Target massage cadence: 7d, 1w, 2w, 4w, 30d, monthly."),
    ] = None,  # fmt: skip
    self_care: Annotated[
        bool | None,
        typer.Option("--self-care/--no-self-care",
                     help="Count self-care as recovery (default from config: off)."),
    ] = None,  # fmt: skip
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Weekly summary, recovery after each hard effort, and massage regularity."""
    from rubdown import clock, parsing
    from rubdown.analysis.period import report_period

    fmt = output_format(fmt, as_json)
    cfg = settings()
    now = clock.now()
    chosen = [name for name, given in (
        ("--weeks", weeks is not None), ("--since", since is not None),
        ("--week", week is not None), ("--last-week", last_week),
    ) if given]  # fmt: skip
    if until is not None and (week is not None or last_week):
        chosen.append("--until")
    if len(chosen) > 1:
        raise typer.BadParameter(
            f"choose one way to set the period, not {' and '.join(chosen)}",
            param_hint="'rubdown report'",
        )
    day = lambda v: parsing.parse_date(v, now=now)  # noqa: E731
    since_d = parsed("--since", day, since)
    until_d = parsed("--until", day, until)
    week = parsed("--week", parsing.parse_iso_week, week)
    if since_d and until_d and since_d > until_d:
        raise typer.BadParameter(
            f"--since {since_d} is after --until {until_d}", param_hint="'--since'"
        )
    if since_d and since_d > now.date():
        raise typer.BadParameter(f"--since {since_d} is in the future", param_hint="'--since'")
    period = report_period(
        now, weeks=weeks, since=since_d, until=until_d, week=week, last_week=last_week,
        week_start=cfg.week_start_index,
    )  # fmt: skip
    window = parsed("--within", parsing.parse_hours, within, cfg.window_hours)
    every_days = parsed("--every", parsing.parse_period_days, every, cfg.every_days)
    include = cfg.self_care if self_care is None else self_care
    with gc_paused():
        with open_store(ctx, db, write=False) as store:
            data, runs = produce_report(
                store, period, cfg, window_hours=window, every_days=every_days,
                include_self_care=include,
            )  # fmt: skip
        show_report(data, runs, fmt, cfg.units, now)


def demo(
    ctx: typer.Context,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Write a realistic 16-week season into a new database and show its report.

    Without --db it uses a new file in a temporary folder, never your own log.
    """
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
    else:
        path = Path(tempfile.mkdtemp(prefix="rubdown-demo-")) / "demo.db"
    with Store.open(path, write=True) as store:
        store.add_many(season(now), source="demo")
        period = report_period(now, weeks=WEEKS, week_start=cfg.week_start_index)
        data, runs = produce_report(
            store, period, cfg, window_hours=cfg.window_hours, every_days=EVERY_DAYS,
            include_self_care=False,
        )  # fmt: skip
    show_report(data, runs, fmt, cfg.units, now)
    say(f"\nDemo database: {path}\nExplore it: rubdown --db {path} list   (or: report --json)")

