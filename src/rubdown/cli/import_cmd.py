"""``rubdown import``: activity files and exports into the log.

The parsing layer (``rubdown.importers``) reads files; this module turns what
it found into records, hands each file to the store in its own transaction
(one journal batch per run, so one ``undo`` reverts it), and says what
happened to every file.

Parsing is most of the work (a FIT file takes tens of milliseconds, a write
about one), so with many files it runs in a pool of processes while this one
writes; the results are taken in the order ``scan`` gives them either way.
``RUBDOWN_IMPORT_WORKERS`` sets the pool size (0: parse in this process).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rubdown.cli.common import DbOption, open_store, say
from rubdown.errors import RubdownError

if TYPE_CHECKING:
    from rubdown.importers import Activity, FileResult
    from rubdown.store import Store

#: Below this many files the pool costs more (starting processes) than it saves.
POOL_MIN_FILES = 8
#: More parsers than this rarely help: the writer becomes the limit.
MAX_WORKERS = 4
_NOTE_MAX = 2000  # as for a typed note (parsing.MAX_NOTE_CHARS)
_STRAVA_CSV = "activities.csv"


# -- which files: the order and rules of importers.scan ---------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of work: a file, or a Strava export read as a whole.

    ``named`` says it was given on the command line (scan reports an
    unsupported or foreign file named there; in a folder it ignores it).
    """

    path: Path
    named: bool


def discover(paths: Iterable[Path]) -> list[Unit]:
    """The units ``importers.scan(paths)`` would read, in its order.

    ``scan`` walks and parses in one pass; the walk is repeated here so the
    parsing can be spread over processes. ``results_of`` on each unit, in
    order, gives exactly what ``scan(paths)`` gives (tests hold them equal).
    """
    seen: set[Path] = set()
    units: list[Unit] = []

    def first_visit(path: Path) -> bool:
        try:
            key = path.resolve()
        except OSError:
            key = path.absolute()
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in map(Path, paths):
        try:
            is_dir = path.is_dir()
        except OSError:
            is_dir = False
        if not is_dir:
            name = path.name.lower()
            if name == _STRAVA_CSV:
                if first_visit(path.parent):
                    units.append(Unit(path.parent, named=True))
            elif not _supported(name) or first_visit(path):
                units.append(Unit(path, named=True))
        elif _is_strava_export(path):
            if first_visit(path):
                units.append(Unit(path, named=True))
        else:
            units.extend(_walk(path, first_visit))
    return units


def _supported(name: str) -> bool:
    from rubdown.importers.formats import activity_format

    return activity_format(name) is not None or name.endswith((".zip", ".json"))


def _is_strava_export(folder: Path) -> bool:
    try:
        return (folder / _STRAVA_CSV).is_file()
    except OSError:
        return False


def _listing(folder: Path) -> Iterator[os.DirEntry[str]] | None:
    try:
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda entry: entry.name))
    except OSError:
        return None


def _walk(folder: Path, first_visit) -> Iterator[Unit]:
    """Depth first, sorted by name; hidden entries and ``__MACOSX`` passed
    over, links to folders not followed, a Strava export taken whole."""
    listing = _listing(folder)
    if listing is None:  # scan reports why
        yield Unit(folder, named=True)
        return
    stack = [listing]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith(".") or entry.name == "__MACOSX":
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        if is_dir:
            if _is_strava_export(path):
                if first_visit(path):
                    yield Unit(path, named=True)
                continue
            listing = _listing(path)
            if listing is None:
                yield Unit(path, named=True)
            else:
                stack.append(listing)
        elif is_file:
            name = entry.name.lower()
            if name != _STRAVA_CSV and _supported(name) and first_visit(path):
                yield Unit(path, named=False)


def results_of(unit: Unit) -> list[FileResult]:
    """What ``scan`` says about one unit (run in a worker process)."""
    from rubdown.importers import scan

    results = list(scan([unit.path]))
    if not unit.named and unit.path.name.lower().endswith(".json"):
        # In a folder, JSON that is not a rubdown export is not ours: ignored.
        results = [r for r in results if r.status != "skipped"]
    return results


# -- parsing in a pool ---------------------------------------------------------


def worker_count(units: int) -> int:
    """How many parsing processes to start for ``units`` files (0: none)."""
    value = os.environ.get("RUBDOWN_IMPORT_WORKERS", "").strip()
    if value:
        try:
            return max(0, int(value))
        except ValueError:
            raise RubdownError(
                f"RUBDOWN_IMPORT_WORKERS={value!r} is not a whole number; unset it or fix it."
            ) from None
    if units < POOL_MIN_FILES:
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 0 if cores < 2 else min(cores, MAX_WORKERS)


def _worker_init() -> None:
    """In each parsing process: leave Ctrl-C to the importer, and exit when
    it is gone (killed), instead of waiting for work forever."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class _Parsed:
    """The results of every unit, in order, parsed here or in a pool."""

    def __init__(self, units: list[Unit], workers: int) -> None:
        self.units = units
        self.pool = None
        self.results = None
        if workers and units:
            from concurrent.futures import ProcessPoolExecutor

            chunk = max(1, min(8, len(units) // (workers * 16)))
            try:
                self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
                self.results = self.pool.map(results_of, units, chunksize=chunk)
            except (OSError, ImportError, NotImplementedError):
                # No processes here (no /dev/shm, a process limit): parse in this one.
                self.close()
                self.pool = None
        if self.results is None:
            self.results = map(results_of, units)

    def __iter__(self) -> Iterator[list[FileResult]]:
        if self.pool is None:
            yield from self.results
            return
        from concurrent.futures.process import BrokenProcessPool

        try:
            yield from self.results
        except BrokenProcessPool:
            raise RubdownError(
                "A parsing process died (out of memory?). The files imported so far are "
                "kept; run the same import again to import the rest."
            ) from None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


# -- from what was read to records ---------------------------------------------


def _positive(value: float | None) -> float | None:
    return value if value is not None and value > 0 else None


def _note(text: str | None) -> str | None:
    text = (text or "").strip()
    return text[:_NOTE_MAX] or None


def activity_record(activity: Activity) -> tuple[str, dict]:
    """A run from an activity: its UTC start put in the local zone (with the
    offset of that date), moving time as duration, the name as note."""
    rpe = activity.rpe if activity.rpe is not None and 0 <= activity.rpe <= 10 else None
    duration = _positive(activity.duration_s)
    return "run", {
        "start": activity.start.astimezone(),
        "type": "easy",
        "distance_m": _positive(activity.distance_m),
        "duration_s": None if duration is None else int(duration),
        "rpe": rpe,
        "event": None,
        "leg": None,
        "note": _note(activity.name),
        "source": activity.source,
        "source_id": activity.source_id,
    }


def _cents(cost: str | None) -> int | None:
    if cost is None:
        return None
    return int((Decimal(cost) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def exported_record(record: dict, path: Path) -> tuple[str, dict]:
    """A record of a rubdown JSON export (validated by the importers), with
    its own fields; its ``source``, else the export file's name."""
    kind = record["kind"]
    fields: dict = {
        "start": datetime.fromisoformat(record["start"]),
        "type": record["type"],
        "note": record["note"],
        "source": record["source"] or f"json:{path.name}",
    }
    if kind == "run":
        duration = _positive(record["duration_s"])
        fields.update(
            distance_m=_positive(record["distance_m"]),
            duration_s=None if duration is None else int(duration),
            rpe=record["rpe"],
            event=record["event"],
            leg=record["leg"],
        )
    else:
        fields["minutes"] = record["minutes"]
    if kind == "massage":
        fields.update(
            therapist=record["therapist"],
            cost_cents=_cents(record["cost"]),
            focus=tuple(record["focus"]),
        )
    return kind, fields


def records_of(result: FileResult) -> list[tuple[str, dict]]:
    """The records to store for one result (none unless imported or recovered)."""
    if result.status not in ("imported", "recovered"):
        return []
    if result.records:
        return [exported_record(r, result.path) for r in result.records]
    return [activity_record(a) for a in result.activities]


# -- what happened -------------------------------------------------------------


@dataclass
class Summary:
    """What happened to every file, in the shape of ``import --json``."""

    imported: Counter = field(default_factory=Counter)  # by kind
    duplicates: int = 0
    recovered: list[dict] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # by reason
    failed: list[dict] = field(default_factory=list)

    def add(self, result: FileResult, stored: dict[str, int], duplicates: int) -> None:
        self.imported.update(stored)
        self.duplicates += duplicates
        if result.status == "recovered":
            self.recovered.append({"path": result.label, "reason": result.reason})
        elif result.status == "skipped":
            self.skipped[result.reason or "skipped"] += 1
        elif result.status == "failed":
            self.failed.append({"path": result.label, "error": result.reason or "failed"})

    def as_json(self) -> dict:
        return {
            "imported": sum(self.imported.values()),
            "duplicates": self.duplicates,
            "recovered": self.recovered,
            "skipped": dict(self.skipped),
            "failed": self.failed,
        }

    def lines(self, *, dry_run: bool) -> list[str]:
        from rubdown.render import clean

        names = {"run": ("run", "runs"), "massage": ("massage", "massages"),
                 "self-care": ("self-care session", "self-care sessions")}  # fmt: skip
        stored = ", ".join(
            f"{n} {names[kind][n != 1]}" for kind, n in self.imported.items() if n
        ) or "nothing"
        verb = "Would import" if dry_run else "Imported"
        line = f"{verb} {stored}"
        if self.duplicates:
            noun = "duplicate" if self.duplicates == 1 else "duplicates"
            line += f"; {self.duplicates} {noun} (already in the log) not stored"
        out = [line + "."]
        if self.recovered:
            out.append(f"Recovered {len(self.recovered)} damaged (imported what could be read):")
            out += [f"  {clean(r['path'])}: {clean(r['reason'])}" for r in self.recovered]
        if self.skipped:
            out.append(f"Skipped {sum(self.skipped.values())}:")
            out += [f"  {clean(reason)}: {n}" for reason, n in self.skipped.most_common()]
        if self.failed:
            out.append(f"Failed {len(self.failed)}:")
            out += [f"  {clean(f['path'])}: {clean(f['error'])}" for f in self.failed]
        if dry_run:
            out.append("Dry run: nothing was written.")
        elif self.imported:
            out.append("'rubdown undo' removes everything this import stored.")
        return out


# -- the command ---------------------------------------------------------------


class Interrupted(RubdownError):
    """Ctrl-C during an import: the files finished so far are kept."""

    exit_code = 130


def _progress(total: int):
    """A progress bar on stderr when it is a terminal; None otherwise."""
    if total < 2 or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "Importing",
        BarColumn(),
        MofNCompleteColumn(),
        "files",
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


def import_files(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="GPX, TCX or FIT files (also .gz), folders (searched recursively), "
            "Strava exports (folder or .zip), or rubdown JSON exports.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Read everything and report, but write nothing."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Import runs from activity files and exports; duplicates are never stored twice.

    Each file is committed on its own, so an interrupted import keeps what it
    finished and running it again imports exactly the rest. 'rubdown undo'
    removes everything one import stored. Exits 1 when a file failed (after
    importing the others).
    """
    import uuid

    for path in paths:
        if not os.path.lexists(path):
            raise typer.BadParameter(
                f"{path} does not exist; give files or folders to import.",
                param_hint="'PATH...'",
            )
    units = discover(paths)
    summary = Summary()
    store: Store | None = None
    batch = uuid.uuid4().hex
    parsed = _Parsed(units, worker_count(len(units)))
    progress = _progress(len(units))
    done = 0
    try:
        if progress is not None:
            progress.start()
            task = progress.add_task("import", total=len(units))
        for results in parsed:
            for result in results:
                items = records_of(result)
                stored, duplicates = {}, 0
                if items:
                    if store is None:
                        store = _open(ctx, db, dry_run=dry_run)
                    stored, duplicates = store.import_file(items, batch=batch)
                summary.add(result, stored, duplicates)
            done += 1
            if progress is not None:
                progress.advance(task)
    except (RubdownError, KeyboardInterrupt) as exc:
        if progress is not None:
            progress.stop()
            progress = None
        kept = 0 if dry_run else sum(summary.imported.values())
        stopped = (
            f"after {done} of {len(units)} files ({kept} new records stored); "
            "run the same import again to import the rest."
        )
        if isinstance(exc, KeyboardInterrupt):
            # typer turns Ctrl-C into a silent exit; say what was kept.
            raise Interrupted(
                f"Interrupted {stopped}" if kept else "Interrupted; nothing was stored."
            ) from None
        if kept:
            say(f"Stopped {stopped}")
        raise
    finally:
        if progress is not None:
            progress.stop()
        parsed.close()
        if store is not None:
            store.close()
    if as_json:
        from rubdown.render import print_json

        print_json(summary.as_json())
    else:
        for line in summary.lines(dry_run=dry_run):
            say(line)
    if summary.failed:
        n = len(summary.failed)
        where = "'failed' in the JSON" if as_json else "listed above"
        raise RubdownError(
            f"{n} {'file' if n == 1 else 'files'} could not be imported ({where}); "
            "everything else was."
        )


def _open(ctx: typer.Context, db: Path | None, *, dry_run: bool) -> Store:
    """The database to import into: for a dry run, an in-memory copy of it."""
    if not dry_run:
        return open_store(ctx, db, write=True)
    from rubdown.cli.common import db_path
    from rubdown.store import Store

    return Store.open_copy(db_path(ctx, db))
