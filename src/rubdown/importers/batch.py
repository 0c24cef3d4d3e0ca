"""One ``rubdown import``: what the readers of this package read, stored as records.

``Import(paths, database)`` takes the units of ``importers.units(paths)``
(the one walk), has each read by ``importers.read``, and hands each file's
records to the store in its own transaction, all in one journal batch (so
one ``undo`` reverts the import). ``summary`` says what happened to every
file. No typer and no rich here: the CLI draws the progress and renders the
summary. This is the one module of the package that writes to the database
(through the store); the readers only read files.

Parsing is most of the work (a FIT file takes tens of milliseconds, a write
about one), so with many files it runs in a pool of processes while this one
writes; the results are taken in the order of the units either way.
``RUBDOWN_IMPORT_WORKERS`` sets the pool size (0: parse in this process).
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rubdown import clock
from rubdown.errors import RubdownError
from rubdown.importers import read, units
from rubdown.importers.scan import in_parts, printable
from rubdown.models import Run, new_record
from rubdown.store import Imported

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from rubdown.importers import Activity, FileResult, Unit
    from rubdown.store import FileStored, Store

#: Below this many files the pool costs more (starting processes) than it saves.
POOL_MIN_FILES = 8
#: More parsers than this rarely help: the writer becomes the limit.
MAX_WORKERS = 4


# -- one import ----------------------------------------------------------------


class Import:
    """One import of ``paths`` into the database at ``database``.

    ``run()`` does the work, yielding each unit once its files are stored,
    so a caller can show progress, and an interruption keeps every unit
    finished (``done`` of ``units``). The database is opened at the first
    record to store, so an import that stores nothing creates none; a dry
    run stores into an in-memory copy of it. Use it in a ``with`` block:
    leaving it stops the parsing processes and closes the database.
    """

    def __init__(
        self,
        paths: Iterable[Path],
        database: Path,
        *,
        dry_run: bool = False,
        workers: int | None = None,
    ) -> None:
        found = list(units(paths))
        # A Strava export is read in parts when there are processes to share them.
        possible = worker_count(max(len(found), POOL_MIN_FILES)) if workers is None else workers
        self.units: list[Unit] = list(in_parts(found, possible))
        self.database = database
        self.dry_run = dry_run
        self.workers = worker_count(len(self.units)) if workers is None else workers
        self.summary = Summary()
        self.done = 0
        self.batch = uuid.uuid4().hex
        self.now = clock.now()  # the start of every record is checked against it
        self._this_import: set[int] = set()  # ids stored by this import
        self._parsed: _Parsed | None = None
        self._store: Store | None = None
        #: What opening the database did unasked (a copy saved before an
        #: upgrade), for the caller to tell; it takes them as they come.
        self.notices: list[str] = []

    @property
    def stored(self) -> int:
        """How many new records are in the database so far (none in a dry run)."""
        return 0 if self.dry_run else sum(self.summary.imported.values())

    def run(self) -> Iterator[Unit]:
        """Read and store every unit in order, yielding each when it is done."""
        if self._parsed is not None:
            raise RuntimeError("an Import runs once")
        self._parsed = _Parsed(self.units, self.workers)
        for unit, results in zip(self.units, self._parsed, strict=True):
            for result in results:
                self._store_result(result)
            self.done += 1
            yield unit

    def _store_result(self, result: FileResult) -> None:
        items = records_of(result)
        outcome = None
        if items:
            if self._store is None:
                self._store = self._open()
            outcome = self._store.import_file(
                items,
                batch=self.batch,
                this_import=self._this_import,
                exact=bool(result.records),
                now=self.now,
            )
        self.summary.add(result, outcome)

    def _open(self) -> Store:
        from rubdown.store import Store

        if self.dry_run:
            return Store.open_copy(self.database)
        store = Store.open(self.database, write=True)
        self.notices.extend(store.notices)
        return store

    def close(self) -> None:
        if self._parsed is not None:
            self._parsed.close()
        if self._store is not None:
            self._store.close()
            self._store = None

    def __enter__(self) -> Import:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- parsing in a pool ---------------------------------------------------------


def worker_count(units: int) -> int:
    """How many parsing processes to start for ``units`` files (0: none)."""
    from rubdown import environment

    value = environment.number("RUBDOWN_IMPORT_WORKERS")
    if value is not None:
        return int(value)  # already whole: this only tells the type
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
    """The results of every unit, in order, read here or in a pool."""

    def __init__(self, units: list[Unit], workers: int) -> None:
        self.pool: ProcessPoolExecutor | None = None
        results: Iterator[list[FileResult]] | None = None
        if workers and units:
            from concurrent.futures import ProcessPoolExecutor

            chunk = max(1, min(8, len(units) // (workers * 16)))
            try:
                self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
                results = self.pool.map(read, units, chunksize=chunk)
            except (OSError, ImportError, NotImplementedError):
                # No processes here (no /dev/shm, a process limit): parse in this one.
                self.close()
                self.pool = None
        self.results: Iterator[list[FileResult]] = (
            map(read, units) if results is None else results
        )

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
    """An activity's name as its note: cut to the note limit, any text that
    is not valid Unicode replaced (the name is the file's, not the user's)."""
    from rubdown.parsing import MAX_NOTE_CHARS

    text = (text or "").strip()
    text = text.encode("utf-8", "replace").decode("utf-8") if text else text
    return text[:MAX_NOTE_CHARS] or None


def activity_record(activity: Activity) -> Imported:
    """A run from an activity, with the activity's fingerprint: its UTC start
    put in the local zone (with the offset of that date), moving time as
    duration, the name as note; the run's other fields empty."""
    rpe = activity.rpe if activity.rpe is not None and 0 <= activity.rpe <= 10 else None
    duration = _positive(activity.duration_s)
    run = Run(
        None,
        activity.start.astimezone(),
        "easy",
        distance_m=_positive(activity.distance_m),
        duration_s=None if duration is None else int(duration),
        rpe=rpe,
        note=_note(activity.name),
        source=printable(activity.source),
    )
    return Imported(run, source_id=printable(activity.source_id))


def exported_record(record: dict, path: Path) -> Imported:
    """A record of a rubdown JSON export (read into model values by the
    reader) with its exported id: its own fields as they are, for the store
    to check against the limits (a value of the wrong shape travels in the
    record and is refused there); its ``source``, else the export file's name;
    the exported id of the plan it fulfilled (``fulfils``), if any."""
    values = {
        name: value for name, value in record.items() if name not in ("id", "kind", "fulfils")
    }
    values["source"] = record["source"] or f"json:{printable(path.name)}"
    return Imported(
        new_record(record["kind"], values),
        exported_id=record["id"],
        fulfils=record.get("fulfils"),
    )


def records_of(result: FileResult) -> list[Imported]:
    """The records to store for one result (none unless imported or recovered)."""
    if result.status not in ("imported", "recovered"):
        return []
    if result.records:
        return [exported_record(r, result.path) for r in result.records]
    return [activity_record(a) for a in result.activities]


# -- what happened -------------------------------------------------------------


@dataclass
class Summary:
    """What happened to every file, in the shape of ``import --json``.

    ``duplicates`` were in the log before this import began; ``repeated``
    were stored by this import from another file (the same activity in two
    files); ``refused`` records break the limits every stored record keeps.
    Every path and reason is ``printable`` (a file name that is not UTF-8
    is shown with escapes)."""

    imported: Counter = field(default_factory=Counter)  # by kind
    duplicates: int = 0
    recovered: list[dict] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # by reason
    failed: list[dict] = field(default_factory=list)
    repeated: int = 0
    refused: list[dict] = field(default_factory=list)
    # Sessions of multisport files left out as not runs, by sport, and in how
    # many files (whose runs were imported).
    not_runs: Counter = field(default_factory=Counter)
    not_runs_files: int = 0
    # Files whose runs were stored as runs although they recorded no sport.
    no_sport: list[dict] = field(default_factory=list)

    def add(self, result: FileResult, outcome: FileStored | None = None) -> None:
        label, reason = printable(result.label), printable(result.reason or "")
        if result.not_runs:
            self.not_runs.update(result.not_runs)
            self.not_runs_files += 1
        if outcome is not None:
            self.imported.update(outcome.stored)
            self.duplicates += outcome.duplicates
            self.repeated += outcome.repeated
            part = "record" if result.records else "activity"
            several = bool(result.records) or len(result.activities) > 1
            for index, problem in outcome.refused:
                where = f"{label} ({part} {index + 1})" if several else label
                self.refused.append({"path": where, "reason": printable(problem)})
            guessed = [a for a in result.activities if a.recorded_sport is None]
            if guessed and sum(outcome.stored.values()):
                self.no_sport.append({"path": label, "source": printable(guessed[0].source)})
        if result.status == "recovered":
            # Only when something of it was stored: a file whose records were
            # all in the log already was imported before, and said so then.
            if outcome is not None and outcome.stored:
                self.recovered.append({"path": label, "reason": reason})
        elif result.status == "skipped":
            self.skipped[reason or "skipped"] += 1
        elif result.status == "failed":
            self.failed.append({"path": label, "error": reason or "failed"})

    def as_json(self) -> dict:
        return {
            "imported": sum(self.imported.values()),
            "duplicates": self.duplicates,
            "recovered": self.recovered,
            "skipped": dict(self.skipped),
            "failed": self.failed,
            "repeated": self.repeated,
            "refused": self.refused,
            "not_runs": {
                "sessions": sum(self.not_runs.values()),
                "files": self.not_runs_files,
                "sports": dict(self.not_runs),
            },
            "no_sport": self.no_sport,
        }
