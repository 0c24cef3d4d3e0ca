"""``rubdown log run|massage|self-care|check-in``: record a session or how you feel.

Typer-free: the fast reader and typer both call these with the fields typed
(field name -> text; see ``cli/spec.py``). Only asking on a terminal, which
the fast reader never does, loads typer.
"""

from __future__ import annotations

import sys

from rubdown import app
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from rubdown.models import Record


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def confirmation(verb: str, written: app.Written, units: str, currency: str) -> str:
    """``Logged run #12 · Sat 21 Nov 07:30 · …``: the time is left out only for
    a date typed without one, and a time the clocks skipped is said."""
    from rubdown.render import summary

    when = written.when
    with_time = None if when is None else when.timed
    line = f"{verb} {summary(written.record, units, currency, written.now, with_time=with_time)}"
    if when is not None and when.notice:
        line += f" · {when.notice}"
    if written.plan is not None:
        from rubdown.analysis.plans import slip_days
        from rubdown.formatting import when_label
        from rubdown.render import slip_words

        plan = written.plan
        slip = slip_words(slip_days(plan.start, written.record.start))
        planned = when_label(plan.start, written.now, with_time=True)
        line += f" · fulfils plan #{plan.id} (planned {planned}, {slip})"
    return line


def _log(kind: str, db: Path | None, typed: dict[str, str | None], cfg=None, *,
         plan: int | None = None, no_plan: bool = False) -> Record:  # fmt: skip
    cfg = cfg or app.settings()
    written = app.log(kind, typed, db=db, cfg=cfg, plan=plan, no_plan=no_plan)
    say(confirmation("Logged", written, cfg.units, cfg.currency))
    return written.record


def _prompt_run(units: str) -> dict[str, str | None]:
    """Ask for the main fields of a run, re-asking until each one parses."""
    import typer

    from rubdown import parsing

    questions = [
        ("distance_m", f"Distance (e.g. 10.5mi, 17 km; a bare number is {units})",
         lambda v: parsing.parse_distance(v, unit=units)),
        ("duration_s", "Time (e.g. 58:30, 1:32:10, 95m)", parsing.parse_duration),
        ("type", "Type (easy, long, tempo, intervals, race, relay)", parsing.parse_run_type),
        ("rpe", "RPE 0-10", parsing.parse_rpe),
    ]  # fmt: skip
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
            if key == "duration_s" and answers["distance_m"] is not None:  # checked now
                metres = parsing.parse_distance(answers["distance_m"], unit=units)
                seconds = parsing.parse_duration(value)  # parsed above: it passes
                problem = parsing.pace_problem(metres, seconds, unit=units)
                if problem:
                    typer.echo(f"  {problem}; check the time", err=True)
                    continue
            answers[key] = value
            break
    return answers


def log_run(db: Path | None = None, *, plan: int | None = None, no_plan: bool = False,
            **typed: str | None) -> None:  # fmt: skip
    """Record a run; with no field typed, on a terminal, ask for the main ones."""
    from rubdown.errors import UsageError

    cfg = app.settings()
    if all(value is None for value in typed.values()):
        if not stdin_is_terminal():
            raise UsageError(
                "nothing to log: give at least one of --distance, --time, --type, --rpe "
                "(or run it on a terminal to be asked)"
            )
        typed = _prompt_run(cfg.units)
        if all(value is None for value in typed.values()):  # never an empty run
            raise UsageError(
                "nothing to log: every question was skipped, so no run was stored; "
                "answer at least one, or give --distance, --time, --type or --rpe"
            )
    _log("run", db, typed, cfg, plan=plan, no_plan=no_plan)


def log_massage(db: Path | None = None, *, plan: int | None = None, no_plan: bool = False,
                **typed: str | None) -> None:  # fmt: skip
    """Record a massage session."""
    _log("massage", db, typed, plan=plan, no_plan=no_plan)


def log_self_care(db: Path | None = None, *, plan: int | None = None, no_plan: bool = False,
                  **typed: str | None) -> None:  # fmt: skip
    """Record self-care: foam rolling, stretching, yoga."""
    _log("self-care", db, typed, plan=plan, no_plan=no_plan)


def _prompt_check_in() -> dict[str, str | None]:
    """Ask each value of a check-in (the fields' own help), re-asking until
    one parses; Enter skips a question."""
    import typer

    from rubdown import fields, parsing
    from rubdown.clock import now
    from rubdown.models import CHECK_IN

    context = fields.Context(kind=CHECK_IN, now=now())
    answers: dict[str, str | None] = {}
    asked = [f for f in fields.of_kind(CHECK_IN) if f.options and f.name != "start"]
    for field in sorted(asked, key=lambda f: f.name == "note"):  # the note last
        while True:
            value = typer.prompt(f"{field.help_for(CHECK_IN)} Enter to skip", default="",
                                 show_default=False).strip()  # fmt: skip
            if not value:
                answers[field.name] = None
                break
            try:
                field.parse(value, context)
            except parsing.ParseError as exc:
                typer.echo(f"  {exc}", err=True)
                continue
            answers[field.name] = value
            break
    return answers


def log_check_in(db: Path | None = None, **typed: str | None) -> None:
    """Record how you feel today (or on --date); with no value typed, on a
    terminal, ask for each."""
    from rubdown.errors import UsageError
    from rubdown.render import check_in_line

    nothing = all(value is None for name, value in typed.items() if name != "start")
    if nothing and stdin_is_terminal():
        typed = {**typed, **_prompt_check_in()}
        if all(value is None for name, value in typed.items() if name != "start"):
            raise UsageError("nothing to record: every question was skipped, so no "
                             "check-in was stored")  # fmt: skip
    checked = app.check_in(typed, db=db)
    say(check_in_line(checked.record, checked.now, checked.kept))
