"""``rubdown rate``: ask, on a terminal, the RPE of each recent run without
one; each answer is one ``edit`` (see ``rubdown.app.rating``)."""

from __future__ import annotations

from rubdown import app
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

NOT_A_TERMINAL = (
    "'rubdown rate' asks on a terminal, and this is not one; 'rubdown list --missing rpe' lists "
    "the runs without an RPE and 'rubdown edit ID --rpe N' rates one"
)


def rate(db: Path | None = None) -> None:
    """Ask the RPE of each run of the last 14 days that has none, newest
    first; Enter skips, a bad answer is asked again."""
    from rubdown.cli.log_cmd import stdin_is_terminal
    from rubdown.errors import UsageError

    if not stdin_is_terminal():
        raise UsageError(NOT_A_TERMINAL)
    from rubdown.app import rating

    cfg = app.settings()
    runs, now = rating.unrated_runs(db=db)
    days = rating.RATE_DAYS
    if not runs:
        say(f"Every run of the last {days} days has an RPE.")
        return
    import typer

    from rubdown import parsing, render
    from rubdown.cli.log_cmd import confirmation
    from rubdown.formatting import counted

    say(f"{counted(len(runs), 'run')} of the last {days} days without an RPE, newest first. "
        "How did each feel, from 0 (rest) to 10 (maximal effort)? Enter skips a run.")  # fmt: skip
    rated = 0
    for run in runs:
        say(render.summary(run, cfg.units, cfg.currency, now))
        answer = _answer(typer, parsing)
        if answer is None:  # end of input: stop asking
            break
        if answer:
            assert run.id is not None  # a stored run
            written = rating.rate(run.id, answer, db=db, cfg=cfg)
            say(confirmation("  Rated", written, cfg.units, cfg.currency))
            rated += 1
    undo = " ('rubdown undo' reverts the last one)" if rated else ""
    say(f"Rated {rated} of {counted(len(runs), 'run')}{undo}.")


def _answer(typer, parsing) -> str | None:  # noqa: ANN001
    """The RPE typed (as text; "" when skipped), asked again until it reads;
    None at the end of input."""
    while True:
        try:
            text = typer.prompt("  RPE 0-10, or Enter to skip", default="", show_default=False)
        except typer.Abort as exc:
            if isinstance(exc.__context__, KeyboardInterrupt):
                raise
            return None
        text = text.strip()
        if not text:
            return ""
        try:
            parsing.parse_rpe(text)
        except parsing.ParseError as exc:
            say(f"  {exc}")
            continue
        return text
