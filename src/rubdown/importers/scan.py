"""From paths to FileResults: which files to read, and in what order.

Two steps, so the reading can be spread over processes while the walk stays
one: ``units(paths)`` walks the paths and says what to read (a file, or a
Strava export read whole), ``read(unit)`` reads one of them.

* Paths are taken in the order given; a folder is searched recursively in
  sorted name order, so the same tree always gives the same results. Hidden
  entries (``.git``, ``._run.gpx`` from macOS) and ``__MACOSX`` are passed
  over, and symbolic links to folders are not followed (no loops).
* Recognised: ``.gpx``, ``.tcx``, ``.fit`` in any case, each also ``.gz``
  (gzip is also recognised by content); a folder holding ``activities.csv``
  or a ``.zip`` is a Strava export; ``.json`` is a rubdown export. Inside a
  folder other files, and JSON files that are not rubdown exports, are
  ignored; a file named on the command line that is none of these is skipped
  as ``unsupported file type`` (``not a rubdown export`` for other JSON).
* The same file met twice (named twice, or inside a folder also named) is
  read once; each further meeting is counted as skipped, ``the same file
  again (read once)``.
* A file name that is not valid UTF-8 (``caf\\xe9.gpx``) is read like any
  other; where rubdown shows or stores it, the bytes that are not UTF-8 are
  written as escapes (``printable``).
* A file never raises out of ``read``: every problem is a
  FileResult. An unexpected error (a bug) is reported as failed with its
  type, and raised instead when ``RUBDOWN_DEBUG=1``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .activity import (
    Activity,
    FileResult,
    NothingToImport,
    Parsed,
    Status,
    UnreadableFile,
    normalise_sport,
    one_line,
)
from .formats import activity_format, parse_activity_bytes
from .safety import read_file

STRAVA_CSV = "activities.csv"

UnitKind = Literal[
    "activity", "strava-folder", "strava-zip", "json", "unsupported", "unreadable", "again"
]
#: The skip reason of a file met a second time in one import.
AGAIN = "the same file again (read once)"


def printable(text: str) -> str:
    """``text`` with what cannot be written as UTF-8 shown as escapes: the
    bytes of a file name that are not UTF-8 (which Python keeps as lone
    surrogates, U+DC80..U+DCFF) as ``\\xe9``, any other lone surrogate as
    ``\\udXXX``. Text that is valid already comes back unchanged."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of work found by :func:`units`: a file, or a Strava export
    (a folder or a zip) read as a whole.

    ``kind`` is what the walk found: an ``activity`` file (GPX, TCX, FIT), a
    ``strava-folder`` or ``strava-zip`` export, a ``json`` file; or an answer
    already, a file named on the command line of an ``unsupported`` type, or
    an ``unreadable`` path (missing, or a folder that cannot be listed;
    ``reason`` says why), or a file or export met ``again`` (read once).
    ``named`` says it was given on the command line rather than met in a
    folder: a JSON file that is not a rubdown export is then skipped, where
    in a folder it is ignored. ``rows`` (first, stop), for a Strava export
    split by :func:`in_parts`: only the rows of its CSV numbered so.
    """

    path: Path
    kind: UnitKind
    named: bool = False
    reason: str | None = None
    rows: tuple[int, int] | None = None


def read(unit: Unit) -> list[FileResult]:
    """The results of one unit: one for a file, one per row (or file) of a
    Strava export, none for a JSON file met in a folder that is not a
    rubdown export. Picklable both ways, so it can run in another process."""
    return list(_results(unit))


# -- the walk ------------------------------------------------------------------


def units(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Unit]:
    """What to read under ``paths``, lazily, in a deterministic order."""
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as exc:
            reason = f"cannot access: {exc.strerror or exc}"
            yield Unit(path, "unreadable", named=True, reason=reason)
            continue
        if not exists:
            yield Unit(path, "unreadable", named=True, reason="no such file or directory")
        elif is_dir:
            yield from _folder(path, seen)
        else:
            yield from _file(path, seen, named=True)


#: Each part of a Strava export split for ``workers`` processes holds at
#: least this many rows (each part reads the CSV again) ...
MIN_PART_ROWS = 4
#: ... and an export is split in about this many parts per process, so the
#: processes finish together.
PARTS_PER_WORKER = 8


def in_parts(found: Iterable[Unit], workers: int) -> Iterator[Unit]:
    """``found`` with each Strava export whose CSV reads cleanly split in
    parts of its rows, so ``workers`` processes can read its activity files
    side by side as they read the files of a folder; read one after
    another, the parts give the results of the whole, in the same order.
    Reads each export's CSV (cheap beside its activity files)."""
    for unit in found:
        if unit.kind not in ("strava-folder", "strava-zip") or workers < 1:
            yield unit
            continue
        from .strava import row_count

        rows = row_count(unit.path, unit.kind)
        if not rows:
            yield unit
            continue
        size = max(MIN_PART_ROWS, -(-rows // (workers * PARTS_PER_WORKER)))
        for first in range(1, rows + 1, size):
            yield Unit(unit.path, unit.kind, unit.named, rows=(first, min(first + size, rows + 1)))


def _first_visit(path: Path, seen: set[Path]) -> bool:
    try:
        key = path.resolve()
    except OSError:
        key = path.absolute()
    if key in seen:
        return False
    seen.add(key)
    return True


def _ignored(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _is_strava_export(folder: Path) -> bool:
    try:
        return (folder / STRAVA_CSV).is_file()
    except OSError:
        return False


def _folder(folder: Path, seen: set[Path]) -> Iterator[Unit]:
    """The units of a folder named on the command line: a Strava export, or
    every file under it."""
    if _is_strava_export(folder):
        if _first_visit(folder, seen):
            yield Unit(folder, "strava-folder", named=True)
        else:
            yield Unit(folder, "again", named=True)
        return
    # Depth-first with an explicit stack of sorted listings: no recursion
    # limit on deep trees.
    stack: list[Iterator[os.DirEntry[str]]] = []
    listing = _listing(folder)
    if isinstance(listing, Unit):
        yield listing
        return
    stack.append(listing)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if _ignored(entry.name):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_file = not is_dir and entry.is_file()
        except OSError:
            continue
        if is_dir:
            if _is_strava_export(path):
                if _first_visit(path, seen):
                    yield Unit(path, "strava-folder")
                else:
                    yield Unit(path, "again")
                continue
            listing = _listing(path)
            if isinstance(listing, Unit):
                yield listing
            else:
                stack.append(listing)
        elif is_file:
            yield from _file(path, seen, named=False)


def _listing(folder: Path) -> Iterator[os.DirEntry[str]] | Unit:
    try:
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda entry: entry.name))
    except OSError as exc:
        reason = f"cannot list folder: {exc.strerror or exc}"
        return Unit(folder, "unreadable", reason=reason)


def _file(path: Path, seen: set[Path], named: bool) -> Iterator[Unit]:
    name = path.name.lower()
    kind: UnitKind
    if name == STRAVA_CSV:
        # activities.csv named on its own: its folder is the export.
        if named:
            yield from _folder(path.parent, seen)
        return
    if activity_format(name) is not None:
        kind = "activity"
    elif name.endswith(".zip"):
        kind = "strava-zip"
    elif name.endswith(".json"):
        kind = "json"
    else:
        if named:
            yield Unit(path, "unsupported", named=True)
        return
    if _first_visit(path, seen):
        yield Unit(path, kind, named=named)
    else:
        yield Unit(path, "again", named=named)


# -- reading one unit ------------------------------------------------------------


def _results(unit: Unit) -> Iterator[FileResult]:
    if unit.kind == "unreadable":
        yield FileResult(unit.path, "failed", unit.reason)
    elif unit.kind == "unsupported":
        yield FileResult(unit.path, "skipped", "unsupported file type")
    elif unit.kind == "again":
        yield FileResult(unit.path, "skipped", AGAIN)
    else:
        yield from _guarded(unit.path, _READERS[unit.kind], unit)


def _guarded(
    path: Path, produce: Callable[[Unit], Iterator[FileResult]], unit: Unit
) -> Iterator[FileResult]:
    """The results of ``produce(unit)``; an unexpected exception (a bug in
    rubdown or in a parser) becomes a failed result for ``path`` instead of
    ending the whole scan."""
    from rubdown.errors import RubdownError

    try:
        yield from produce(unit)
    except RubdownError:
        raise  # not about this file (RUBDOWN_NOW unreadable...): stops the import
    except Exception as exc:
        if os.environ.get("RUBDOWN_DEBUG") == "1":
            raise
        yield FileResult(
            path,
            "failed",
            one_line(f"unexpected error (please report): {type(exc).__name__}: {exc}"),
        )


def _activity_file(unit: Unit) -> Iterator[FileResult]:
    path = unit.path
    fmt = activity_format(path.name)
    assert fmt is not None  # a unit of kind "activity" has an activity format (see _file)
    try:
        parsed, content_id = parse_activity_bytes(read_file(path), fmt)
    except UnreadableFile as exc:
        yield FileResult(path, "failed", str(exc))
        return
    except NothingToImport as exc:
        yield FileResult(path, "skipped", str(exc))
        return
    yield classify(path, parsed, source=f"{fmt}:{path.name}", source_id=content_id)


def classify(
    path: Path, parsed: Parsed, source: str, source_id: str, entry: str | None = None
) -> FileResult:
    """The result for a parsed file: its runs imported (recovered when
    decoding stopped part-way or a summary was mended), or skipped when it
    holds no run, with the sports in the file's own words. A file with no
    sport recorded is a run. The sessions of a multisport file that are not
    runs are named in ``not_runs``."""
    several = len(parsed.activities) > 1
    activities = [
        Activity(
            start=item.start,
            distance_m=item.distance_m,
            duration_s=item.duration_s,
            elapsed_s=item.elapsed_s,
            sport=normalise_sport(item.sport) or "run",
            source=source,
            source_id=f"{source_id}#{index}" if several else source_id,
            name=item.name,
            recorded_sport=item.sport,
        )
        for index, item in enumerate(parsed.activities, start=1)
    ]
    runs = tuple(activity for activity in activities if activity.sport == "run")
    if runs:
        problem = "; ".join(text for text in (parsed.error, parsed.repaired) if text) or None
        not_runs = tuple(a.recorded_sport or a.sport for a in activities if a.sport != "run")
        status: Status = "recovered" if problem else "imported"
        return FileResult(path, status, problem, activities=runs, entry=entry, not_runs=not_runs)
    sports = sorted({activity.recorded_sport or activity.sport for activity in activities})
    if not sports:
        return FileResult(path, "failed", parsed.error or "no activity decoded", entry=entry)
    return FileResult(path, "skipped", f"not a run ({', '.join(sports)})", entry=entry)


def _strava_folder(unit: Unit) -> Iterator[FileResult]:
    from .strava import folder_results

    return folder_results(unit.path, None if unit.rows is None else range(*unit.rows))


def _strava_zip(unit: Unit) -> Iterator[FileResult]:
    from .strava import zip_results

    return zip_results(unit.path, None if unit.rows is None else range(*unit.rows))


def _json_file(unit: Unit) -> Iterator[FileResult]:
    from .rubdown_json import read_rubdown_json

    path = unit.path
    try:
        records = read_rubdown_json(read_file(path))
    except UnreadableFile as exc:
        yield FileResult(path, "failed", str(exc))
        return
    except NothingToImport as exc:
        if unit.named:  # other JSON files met in a folder are not ours: ignored
            yield FileResult(path, "skipped", str(exc))
        return
    yield FileResult(path, "imported", records=tuple(records))


_READERS: dict[str, Callable[[Unit], Iterator[FileResult]]] = {
    "activity": _activity_file,
    "strava-folder": _strava_folder,
    "strava-zip": _strava_zip,
    "json": _json_file,
}
