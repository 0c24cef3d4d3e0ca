"""``rubdown import``: activity files and exports into the log.

The work is ``rubdown.importers.batch.Import`` (the walk, parsing in a pool,
storing each file, the summary); this module takes the options, draws the
progress bar on a terminal, and renders the summary as lines or JSON.
"""

from __future__ import annotations

import os
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from rubdown.cli import say
from rubdown.errors import RubdownError, UsageError

if TYPE_CHECKING:
    from rubdown.importers.batch import Import, Summary


class Interrupted(RubdownError):
    """Ctrl-C during an import: the files finished so far are kept."""

    exit_code = 130


def import_files(
    paths: list[Path], db: Path | None = None, *, dry_run: bool = False, as_json: bool = False
) -> None:
    """Import runs from activity files and exports; duplicates are never stored twice.

    Each file is committed on its own, so an interrupted import keeps what it
    finished and running it again imports exactly the rest. 'rubdown undo'
    removes everything one import stored. Exits 1 when a file failed (after
    importing the others).
    """
    from rubdown.importers.batch import Import
    from rubdown.importers.scan import printable

    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(
                f"{printable(str(path))} does not exist; give files or folders to import.",
                option="PATH...",
            )
    from rubdown.paths import db_path

    with Import(paths, db_path(db), dry_run=dry_run) as job:
        _run(job)
    summary = job.summary
    if as_json:
        from rubdown.render import print_json

        print_json(summary.as_json())
    else:
        for line in summary_lines(summary, dry_run=dry_run):
            say(line)
    if summary.failed or summary.refused:
        parts = []
        if summary.failed:
            n = len(summary.failed)
            parts.append(f"{n} {'file' if n == 1 else 'files'}")
        if summary.refused:
            n = len(summary.refused)
            parts.append(f"{n} {'record' if n == 1 else 'records'}")
        keys = " and ".join(
            f"'{key}'" for key, items in (("failed", summary.failed), ("refused", summary.refused))
            if items
        )  # fmt: skip
        where = f"{keys} in the JSON" if as_json else "listed above"
        raise RubdownError(
            f"{' and '.join(parts)} could not be imported ({where}); everything else was."
        )


def _run(job: Import) -> None:
    """Run the import under a progress bar; stopped early, say what was kept."""
    total = len(job.units)
    progress = _progress(total)
    try:
        with progress if progress is not None else nullcontext():
            task = (
                progress.add_task("import", total=total, rate="") if progress is not None else None
            )
            for _ in job.run():
                _tell(job)
                if progress is not None:
                    progress.advance(task)
                    progress.update(task, rate=_rate(progress, task))
    except (RubdownError, KeyboardInterrupt) as exc:
        _tell(job)
        stopped = (
            f"after {job.done} of {total} files ({job.stored} new records stored); "
            "run the same import again to import the rest."
        )
        if isinstance(exc, KeyboardInterrupt):
            # typer turns Ctrl-C into a silent exit; say what was kept.
            raise Interrupted(
                f"Interrupted {stopped}" if job.stored else "Interrupted; nothing was stored."
            ) from None
        if job.stored:
            say(f"Stopped {stopped}")
        raise


def _tell(job: Import) -> None:
    """What opening the database did unasked, told as soon as it is known."""
    from rubdown.cli import tell

    tell(job.notices)
    job.notices.clear()


#: Fewer files than this are read in about a second: no progress bar.
PROGRESS_MIN_FILES = 20


def _progress(total: int):
    """A progress bar on stderr, with the rate and the time left, when it is
    a terminal and the import is long enough to need one; None otherwise
    (rich.progress is imported only then)."""
    if total < PROGRESS_MIN_FILES or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        "Importing",
        BarColumn(),
        MofNCompleteColumn(),
        "files",
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def _rate(progress, task) -> str:
    """The files read a second so far, as the bar shows it."""
    speed = progress.tasks[task].speed
    return f"{speed:,.0f} files/s" if speed else ""


def summary_lines(summary: Summary, *, dry_run: bool) -> list[str]:
    """The summary for people: what was stored, then each kind of problem."""
    from rubdown.render import clean

    names = {"run": ("run", "runs"), "massage": ("massage", "massages"),
             "self-care": ("self-care session", "self-care sessions"),
             "plan": ("plan", "plans"), "check-in": ("check-in", "check-ins")}  # fmt: skip
    stored = (
        ", ".join(f"{n} {names[kind][n != 1]}" for kind, n in summary.imported.items() if n)
        or "nothing"
    )
    line = f"{'Would import' if dry_run else 'Imported'} {stored}"
    if summary.duplicates:
        noun = "duplicate" if summary.duplicates == 1 else "duplicates"
        line += f"; {summary.duplicates} {noun} (already in the log) not stored"
    if summary.repeated:
        n = summary.repeated
        line += f"; {n} repeated within this import (stored once)"
    out = [line + "."]
    if summary.recovered:
        out.append(f"Recovered {len(summary.recovered)} damaged (imported what could be read):")
        out += [f"  {clean(r['path'])}: {clean(r['reason'])}" for r in summary.recovered]
    if summary.no_sport:
        n = len(summary.no_sport)
        out.append(
            f"{n} {'file' if n == 1 else 'files'} recorded no sport and "
            f"{'was' if n == 1 else 'were'} taken as {'a run' if n == 1 else 'runs'} "
            "(source shown by 'rubdown show ID'):"
        )
        out += [f"  {clean(f['path'])}" for f in summary.no_sport]
    if summary.skipped:
        out.append(f"Skipped {sum(summary.skipped.values())}:")
        out += [f"  {clean(reason)}: {n}" for reason, n in summary.skipped.most_common()]
    if summary.refused:
        out.append(f"Refused {len(summary.refused)} (outside the limits 'rubdown log' keeps):")
        out += [f"  {clean(r['path'])}: {clean(r['reason'])}" for r in summary.refused]
    if summary.not_runs:
        n, files = sum(summary.not_runs.values()), summary.not_runs_files
        sports = ", ".join(clean(sport) for sport in sorted(summary.not_runs))
        sessions = "1 session" if n == 1 else f"{n} sessions"
        where = "1 file" if files == 1 else f"{files} files"
        verb = "was not a run" if n == 1 else "were not runs"
        out.append(f"{sessions} in {where} {verb} ({sports}).")
    if summary.failed:
        out.append(f"Failed {len(summary.failed)}:")
        out += [f"  {clean(f['path'])}: {clean(f['error'])}" for f in summary.failed]
    if dry_run:
        out.append("Dry run: nothing was written.")
    elif summary.imported:
        out.append("'rubdown undo' removes everything this import stored.")
    return out
