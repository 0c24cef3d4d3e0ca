"""Strava bulk exports: ``activities.csv`` plus the ``activities/`` files,
as a folder or as the ``.zip`` Strava sends.

* Columns are found by name and occurrence, never by position: header cells
  are stripped of HTML (the 2023 export has cells such as
  ``<span class="translation_missing" ...>Type</span>``), and for the
  duplicated names the second occurrence holds the precise value: Distance
  in metres (the first is a display value in the athlete's units, km, mi or
  even nautical miles, so it is never used), Elapsed Time in seconds.
* duration = ``Moving Time`` (else elapsed); ``Activity Date`` is UTC,
  written ``Oct 5, 2014, 4:15:21 PM`` in English whatever the process
  locale; ``Perceived Exertion`` (1-10) becomes the RPE.
* ``Activity Type`` decides the sport (Run, Trail Run, Virtual Run are runs;
  the rest is skipped and counted by sport, in Strava's words: ``not a run
  (nordic ski)``); a row without one is taken as a run.
* When the row's ``Filename`` is in the export (or, for ``x.fit.gz``, an
  unpacked ``x.fit``), its start, distance and times are used (more
  precise); name, RPE and sport stay the CSV's. A
  missing file means the CSV's own columns; a damaged one too, and the row is
  then listed as recovered.
* Each row is one FileResult; the source of its activity is
  ``strava:<Activity ID>``, also its id for re-imports.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .activity import (
    EARLIEST,
    Activity,
    FileResult,
    ImportProblem,
    LimitExceeded,
    NothingToImport,
    UnreadableFile,
    normalise_sport,
    one_line,
    seconds,
    sport_words,
)
from .formats import activity_format, parse_activity_bytes
from .safety import open_zip, read_file, read_member, unsafe_member_reason

if TYPE_CHECKING:
    import zipfile

CSV_NAME = "activities.csv"
REQUIRED_COLUMNS = ("Activity ID", "Activity Date", "Activity Type")

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_DATE = re.compile(
    r"(?P<month>[A-Za-z]{3})[A-Za-z]*\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}),?\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
)


def parse_activity_date(text: str) -> datetime | None:
    """``Oct 5, 2014, 4:15:21 PM`` (UTC) as an aware datetime, without the
    process locale; ISO 8601 is accepted too. None when unreadable."""
    text = " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())
    match = _DATE.fullmatch(text)
    if match is None:
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    month = _MONTHS.get(match["month"].lower())
    hour = int(match["hour"])
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"][0] in "Pp" else 0)
    if month is None:
        return None
    try:
        return datetime(
            int(match["year"]),
            month,
            int(match["day"]),
            hour,
            int(match["minute"]),
            int(match["second"]),
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _clean_header(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", cell)).split())


class _Columns:
    """Header positions by name and occurrence."""

    def __init__(self, header: list[str]) -> None:
        self.positions: dict[str, list[int]] = {}
        for index, cell in enumerate(header):
            self.positions.setdefault(_clean_header(cell), []).append(index)

    def get(self, row: list[str], name: str, occurrence: int = 1) -> str | None:
        """The cell of the ``occurrence``-th column called ``name``
        (1-based), stripped, or None when absent or empty."""
        found = self.positions.get(name, [])
        if len(found) < occurrence or found[occurrence - 1] >= len(row):
            return None
        value = row[found[occurrence - 1]].strip()
        return value or None

    def number(self, row: list[str], name: str, occurrence: int = 1) -> float | None:
        text = self.get(row, name, occurrence)
        try:
            value = float(text) if text is not None else None
        except ValueError:
            return None
        return value if value is not None and 0 <= value < float("inf") else None


def _rpe(value: float | None) -> int | None:
    if value is None or not 1 <= value <= 10:
        return None
    return int(round(value))


# Reads an export file by its name inside the export; None when it is absent.
ReadEntry = Callable[[str], bytes | None]


def _reader(csv_bytes: bytes) -> Iterator[list[str]]:
    return csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig", errors="replace"), newline=""))


def _rows(
    export: Path, csv_bytes: bytes, read_entry: ReadEntry, rows: range | None = None
) -> Iterator[FileResult]:
    """One result per row of the CSV (only the rows numbered in ``rows``,
    when given: a part of the export, see :func:`row_count`)."""
    reader = _reader(csv_bytes)
    try:
        header = next(reader, None)
        if header is None:
            yield FileResult(export, "failed", f"{CSV_NAME} is empty", entry=CSV_NAME)
            return
        columns = _Columns(header)
        missing = [name for name in REQUIRED_COLUMNS if name not in columns.positions]
        if missing:
            yield FileResult(
                export,
                "failed",
                f"{CSV_NAME} lacks column(s): {', '.join(missing)}",
                entry=CSV_NAME,
            )
            return
        for number, row in enumerate(reader, start=1):
            if rows is not None and number not in rows:
                if number >= rows.stop:
                    return
                continue
            if not any(cell.strip() for cell in row):
                continue
            yield _row_result(export, columns, row, number, read_entry)
    except csv.Error as exc:
        yield FileResult(export, "failed", f"{CSV_NAME}: {one_line(exc)}", entry=CSV_NAME)


def _row_result(
    export: Path, columns: _Columns, row: list[str], number: int, read_entry: ReadEntry
) -> FileResult:
    activity_id = columns.get(row, "Activity ID") or f"row-{number}"
    entry = f"{CSV_NAME} row {number} (id {activity_id})"
    recorded_sport = sport_words(columns.get(row, "Activity Type"))
    if (normalise_sport(recorded_sport) or "run") != "run":
        return FileResult(export, "skipped", f"not a run ({recorded_sport})", entry=entry)
    date_text = columns.get(row, "Activity Date") or ""
    start = parse_activity_date(date_text)
    if start is None:
        return FileResult(export, "failed", f"unreadable Activity Date {date_text!r}", entry=entry)
    if start < EARLIEST:  # a placeholder, as in activity files
        return FileResult(export, "skipped", "no timestamps", entry=entry)
    elapsed = columns.number(row, "Elapsed Time", 2)
    if elapsed is None:
        elapsed = columns.number(row, "Elapsed Time", 1)
    moving = columns.number(row, "Moving Time")
    from_csv = Activity(
        start=start,
        distance_m=columns.number(row, "Distance", 2),
        duration_s=seconds(moving if moving is not None else elapsed),
        elapsed_s=seconds(elapsed),
        sport="run",
        source=f"strava:{activity_id}",
        source_id=f"strava:{activity_id}",
        rpe=_rpe(columns.number(row, "Perceived Exertion")),
        name=columns.get(row, "Activity Name"),
        recorded_sport=recorded_sport,
    )
    filename = columns.get(row, "Filename")
    if filename is None:
        return FileResult(export, "imported", activities=(from_csv,), entry=entry)
    unsafe = unsafe_member_reason(filename)
    if unsafe:
        return FileResult(export, "failed", f"Filename refused: {unsafe}", entry=entry)
    fmt = activity_format(filename)
    if fmt is None:
        return FileResult(export, "imported", activities=(from_csv,), entry=entry)
    try:
        data = read_entry(filename)
        if data is None and filename.lower().endswith(".gz"):
            data = read_entry(filename[:-3])  # unpacked by the athlete
        if data is None:
            return FileResult(export, "imported", activities=(from_csv,), entry=entry)
        parsed, _ = parse_activity_bytes(data, fmt)
    except NothingToImport:
        return FileResult(export, "imported", activities=(from_csv,), entry=entry)
    except LimitExceeded as exc:
        return FileResult(export, "failed", f"{filename}: {exc}", entry=entry)
    except ImportProblem as exc:
        return _damaged(export, entry, from_csv, filename, str(exc))
    if parsed.error or not parsed.activities:
        return _damaged(export, entry, from_csv, filename, parsed.error or "no activity")
    # A multisport file: the part that starts closest to the CSV's date.
    best = min(parsed.activities, key=lambda a: abs((a.start - start).total_seconds()))
    activity = Activity(
        start=best.start,
        distance_m=best.distance_m if best.distance_m is not None else from_csv.distance_m,
        duration_s=best.duration_s if best.duration_s is not None else from_csv.duration_s,
        elapsed_s=best.elapsed_s if best.elapsed_s is not None else from_csv.elapsed_s,
        sport="run",
        source=from_csv.source,
        source_id=from_csv.source_id,
        rpe=from_csv.rpe,
        name=from_csv.name,
        recorded_sport=from_csv.recorded_sport,
    )
    if parsed.repaired:
        reason = one_line(f"{filename}: {parsed.repaired}")
        return FileResult(export, "recovered", reason, activities=(activity,), entry=entry)
    return FileResult(export, "imported", activities=(activity,), entry=entry)


def _damaged(export: Path, entry: str, from_csv: Activity, filename: str, error: str) -> FileResult:
    return FileResult(
        export,
        "recovered",
        one_line(f"{filename}: {error}; used the values in {CSV_NAME}"),
        activities=(from_csv,),
        entry=entry,
    )


def row_count(export: Path, kind: str) -> int | None:
    """How many rows the CSV of the export at ``export`` (``kind``
    ``strava-folder`` or ``strava-zip``) has, numbered as the results are,
    when it reads cleanly: a header with the required columns, no CSV error.
    Then the rows can be read in parts (``rows`` of :func:`folder_results`
    and :func:`zip_results`), in several processes, giving together the
    results of the whole; None (read it whole) for anything else, so the
    problem is told as ever."""
    try:
        if kind == "strava-folder":
            csv_bytes = read_file(export / CSV_NAME)
        else:
            with open_zip(export) as archive:
                members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
                name = _csv_member(members)
                if name is None:
                    return None
                csv_bytes = read_member(archive, members[name])
        reader = _reader(csv_bytes)
        header = next(reader, None)
        if header is None:
            return None
        columns = _Columns(header)
        if any(name not in columns.positions for name in REQUIRED_COLUMNS):
            return None
        return sum(1 for _ in reader)
    except (ImportProblem, csv.Error):
        return None


def _csv_member(members: dict[str, zipfile.ZipInfo]) -> str | None:
    """The archive's activities.csv: the least deep, then the first by name."""
    candidates = sorted(
        (name for name in members if name.rsplit("/", 1)[-1].lower() == CSV_NAME),
        key=lambda name: (name.count("/"), name),
    )
    return candidates[0] if candidates else None


def folder_results(folder: Path, rows: range | None = None) -> Iterator[FileResult]:
    """One result per row of the export in ``folder`` (of the rows numbered
    in ``rows``, when given)."""
    try:
        csv_bytes = read_file(folder / CSV_NAME)
    except UnreadableFile as exc:
        yield FileResult(folder, "failed", f"{CSV_NAME}: {exc}", entry=CSV_NAME)
        return
    root = folder.resolve()

    def read_entry(name: str) -> bytes | None:
        candidate = (folder / name).resolve()
        if not candidate.is_relative_to(root):
            raise LimitExceeded(f"{name} points outside the export")
        if not candidate.is_file():
            return None
        return read_file(candidate)

    yield from _rows(folder, csv_bytes, read_entry, rows)


def zip_results(path: Path, rows: range | None = None) -> Iterator[FileResult]:
    """One result per row of the export in the zip archive at ``path`` (of
    the rows numbered in ``rows``, when given).

    Members are read from the archive in memory, looked up by name; nothing
    is written to disk. An archive with an unsafe member name fails whole.
    """
    try:
        archive = open_zip(path)
    except UnreadableFile as exc:
        yield FileResult(path, "failed", str(exc))
        return
    with archive:
        members = {info.filename: info for info in archive.infolist() if not info.is_dir()}
        csv_name = _csv_member(members)
        if csv_name is None:
            yield FileResult(path, "skipped", "not a Strava export (no activities.csv)")
            return
        prefix = csv_name[: len(csv_name) - len(CSV_NAME)]
        try:
            csv_bytes = read_member(archive, members[csv_name])
        except UnreadableFile as exc:
            yield FileResult(path, "failed", str(exc), entry=csv_name)
            return

        def read_entry(name: str) -> bytes | None:
            info = members.get(prefix + name)
            return None if info is None else read_member(archive, info)

        yield from _rows(path, csv_bytes, read_entry, rows)
