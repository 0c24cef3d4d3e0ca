"""``rubdown log run|massage|self-care``: record a session."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from rubdown.cli import core
from rubdown.cli.options import DbOption, db_path, settings

app = typer.Typer(
    help="Record a run, a massage or a self-care session.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="WHEN",
        help="When it happened: 2026-11-21, '2026-11-21 07:30', today, yesterday, sat, "
        "3d ago (a date alone means 12:00). Default: now.",
    ),
]
NoteOption = Annotated[
    str | None, typer.Option("--note", "-n", metavar="TEXT", help="A free-text note.")
]


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _prompt_run(units: str) -> dict[str, str | None]:
    """Ask for the main fields of a run, re-asking until each one parses."""
    from rubdown import parsing

    questions = [
        ("distance", f"Distance (e.g. 10.5mi, 17 km; a bare number is {units})",
         lambda v: parsing.parse_distance(v, unit=units)),
        ("time", "Time (e.g. 58:30, 1:32:10, 95m)", parsing.parse_duration),
        ("type", "Type (easy, long, tempo, intervals, race, relay)", parsing.parse_run_type),
        ("rpe", "RPE 0-10", parsing.parse_rpe),
    ]
    answers: dict[str, str | None] = {}
    for key, text, parse in questions:
        while True:
            value = typer.prompt(f"{text}, or Enter to skip", default="", show_default=False)
            value = value.strip()
            if not value:
                answers[key] = None
                break
            try:
                parse(value)
            except parsing.ParseError as exc:
                typer.echo(f"  {exc}", err=True)
                continue
            if key == "time" and answers["distance"] is not None:  # checked now, not at the end
                metres = parsing.parse_distance(answers["distance"], unit=units)
                seconds = parsing.parse_duration(value)  # parsed above: it passes
                problem = parsing.pace_problem(metres, seconds, unit=units)
                if problem:
                    typer.echo(f"  {problem}; check the time", err=True)
                    continue
            answers[key] = value
            break
    return answers


@app.command("run")
def log_run(
    ctx: typer.Context,
    date: DateOption = None,
    distance: Annotated[
        str | None,
        typer.Option(
            "--distance",
            "-D",
            metavar="DIST",
            help="10.5mi, 17 km, 5000m, or a bare number in your units (km unless set).",
        ),
    ] = None,
    time: Annotated[
        str | None,
        typer.Option(
            "--time", "-t", metavar="TIME", help="Moving time: 1:32:10, 58:30, 95m, 1h35m, 90."
        ),
    ] = None,
    type_: Annotated[
        str | None,
        typer.Option(
            "--type", metavar="TYPE", help="easy (default), long, tempo, intervals, race, relay."
        ),
    ] = None,
    rpe: Annotated[
        str | None,
        typer.Option("--rpe", metavar="N", help="Perceived effort, 0 (rest) to 10 (maximal)."),
    ] = None,
    event: Annotated[
        str | None,
        typer.Option(
            "--event", metavar="NAME", help="Event name; relay legs share it (e.g. Ragnar)."
        ),
    ] = None,
    leg: Annotated[
        str | None, typer.Option("--leg", metavar="N", help="Relay leg number.")
    ] = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record a run. With no options on a terminal, asks for the main fields."""
    cfg = settings()
    given = (date, distance, time, type_, rpe, event, leg, note)
    if all(v is None for v in given):
        if not stdin_is_terminal():
            raise typer.BadParameter(
                "nothing to log: give at least one of --distance, --time, --type, --rpe "
                "(or run it on a terminal to be asked)"
            )
        answers = _prompt_run(cfg.units)
        if all(v is None for v in answers.values()):  # never an empty run
            raise typer.BadParameter(
                "nothing to log: every question was skipped, so no run was stored; "
                "answer at least one, or give --distance, --time, --type or --rpe"
            )
        distance, time, type_, rpe = (answers[k] for k in ("distance", "time", "type", "rpe"))
    core.log_run(
        db_path(ctx, db), date=date, distance=distance, time=time, type_=type_, rpe=rpe,
        event=event, leg=leg, note=note, cfg=cfg,
    )  # fmt: skip


@app.command("massage")
def log_massage(
    ctx: typer.Context,
    type_: Annotated[
        str,
        typer.Option(
            "--type", metavar="TYPE", help="swedish, deep-tissue, hot-stone, thai or sports."
        ),
    ],
    minutes: Annotated[
        str, typer.Option("--minutes", "-m", metavar="N", help="Length in minutes (or 1h30m).")
    ],
    date: DateOption = None,
    therapist: Annotated[
        str | None, typer.Option("--therapist", metavar="NAME", help="Who gave it.")
    ] = None,
    cost: Annotated[
        str | None,
        typer.Option("--cost", metavar="AMOUNT", help="What it cost, e.g. 85 or 85.50."),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option("--focus", metavar="AREA,...", help="Areas worked, e.g. calves,hamstrings."),
    ] = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record a massage session."""
    core.log_massage(
        db_path(ctx, db), type_=type_, minutes=minutes, date=date, therapist=therapist,
        cost=cost, focus=focus, note=note,
    )  # fmt: skip


@app.command("self-care")
def log_self_care(
    ctx: typer.Context,
    type_: Annotated[
        str,
        typer.Option("--type", metavar="TYPE", help="foam-roll, stretch, yoga or other."),
    ],
    minutes: Annotated[
        str, typer.Option("--minutes", "-m", metavar="N", help="Length in minutes.")
    ],
    date: DateOption = None,
    note: NoteOption = None,
    db: DbOption = None,
) -> None:
    """Record self-care: foam rolling, stretching, yoga."""
    core.log_self_care(db_path(ctx, db), type_=type_, minutes=minutes, date=date, note=note)
