"""Values -> text: distances, durations, paces, amounts, hours, dates, counts.

The other half of ``rubdown.parsing`` (what the user types -> values). Pure
and stdlib-only: no typer, no rich, no database; it is read on the hot
``log`` and ``report`` paths. Every renderer (the terminal, JSON, CSV,
markdown, iCalendar) says a value the same way by calling these.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from datetime import date, datetime

__all__ = [
    "METRES_PER_MILE",
    "UNIT_METRES",
    "counted",
    "dated_time",
    "format_cost",
    "format_distance",
    "format_duration",
    "format_hours",
    "format_pace",
    "long_date",
    "repeated_offset",
    "short_date",
    "weekday_date",
    "when_label",
]


# --- quantities ----------------------------------------------------------------

METRES_PER_MILE = 1609.344
#: The length of each distance unit rubdown shows (``units`` in the config).
UNIT_METRES = {"km": 1000.0, "mi": METRES_PER_MILE}


def format_duration(seconds: float) -> str:
    """``58:30`` under an hour, ``1:32:10`` from an hour (seconds are rounded)."""
    sign = "-" if seconds < 0 else ""
    h, rest = divmod(abs(round(seconds)), 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{sign}{h}:{m:02d}:{s:02d}"
    return f"{sign}{m}:{s:02d}"


def format_distance(metres: float, unit: str = "km") -> str:
    """``10.2 km`` / ``6.21 mi``: one decimal from 10 units up, two below."""
    value = metres / UNIT_METRES[unit]
    if round(abs(value), 2) >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def format_pace(metres: float, seconds: float, unit: str = "km") -> str:
    """Time per ``unit``, e.g. ``5:44/km``; ``-/km`` when distance or time is missing."""
    if not (metres and seconds) or metres <= 0 or seconds <= 0:
        return f"-/{unit}"
    per_unit = seconds * UNIT_METRES[unit] / metres
    return f"{format_duration(round(per_unit))}/{unit}"


def format_cost(cents: int) -> str:
    """``85.00``: the amount with two decimals and no thousands separator."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def format_hours(value: float | None) -> str:
    """A lag (or a wait) in hours, one decimal, however long: ``151.3 h``;
    ``—`` when there is none."""
    if value is None:
        return "—"
    return f"{value:.1f} h"


# --- counts --------------------------------------------------------------------


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``1 massage``, ``3 massages`` (``plural``: when not ``noun`` + s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"


# --- dates and times -----------------------------------------------------------


def repeated_offset(start: datetime) -> str:
    """`` -04:00`` when the local clock shows ``start``'s wall time twice (the
    hour repeated when clocks fall back), so the two can be told apart; else ``""``."""
    wall = start.replace(tzinfo=None)
    try:
        first = wall.replace(fold=0).astimezone().utcoffset()
        second = wall.replace(fold=1).astimezone().utcoffset()
    except (OverflowError, OSError, ValueError):
        return ""
    if first == second:
        return ""
    return " " + start.isoformat(timespec="minutes")[16:]


def when_label(
    start: datetime, now: datetime | None = None, *, with_time: bool | None = None
) -> str:
    """``Sat 21 Nov`` (with the year when not this year), then the time.

    ``with_time`` True or False shows the time or not; None (a record whose
    input is not known) shows it unless it is 12:00, the time of a date given
    alone. A wall time the clocks repeat carries its UTC offset.
    """
    label = start.strftime("%a %d %b").replace(" 0", " ")
    if now is None or start.year != now.year:
        label += f" {start.year}"
    if with_time is None:
        with_time = (start.hour, start.minute) != (12, 0)
    if with_time:
        label += start.strftime(" %H:%M") + repeated_offset(start)
    return label


def dated_time(start: datetime) -> str:
    """``Sat 2026-11-21 07:30`` (a ``list`` row's date), with the UTC offset
    when the clocks repeat that wall time."""
    return start.strftime("%a %Y-%m-%d %H:%M") + repeated_offset(start)


def short_date(day: date, year: int | None) -> str:
    """``31 Oct`` (compact, for table cells), ``31 Oct 2025`` when not ``year``."""
    label = day.strftime("%d %b").lstrip("0")
    return label if day.year == year else f"{label} {day.year}"


def weekday_date(day: date, year: int | None) -> str:
    """``Tue 1 Dec``, ``Tue 30 Nov 2027`` when not ``year``."""
    label = day.strftime("%a %d %b").replace(" 0", " ")
    return label if day.year == year else f"{label} {day.year}"


def long_date(day: date) -> str:
    """``1 Nov 2026``: the day with its year, always."""
    return day.strftime("%d %b %Y").lstrip("0")
