"""TCX (Garmin Training Center) activities, read as a stream.

Rules, per ``<Activity>`` (a file may hold several):

* sport: ``Activity/@Sport`` in any case (Polar writes ``running``);
  ``Other`` is a sport of its own, not a run.
* start: the earliest ``Trackpoint/Time`` (trackpoints may be out of order
  in a merged or damaged file), else the earliest ``Lap/@StartTime``, else
  ``Activity/Id``.
* distance: the sum of ``Lap/DistanceMeters``, else the last
  ``Trackpoint/DistanceMeters``.
* duration: the sum of ``Lap/TotalTimeSeconds`` (timer time).
* elapsed: latest minus earliest trackpoint time, else the laps' span.
* Times before 1970 are placeholders, no times (as in GPX); an activity
  whose times span nothing and whose laps give no time is skipped as
  ``no timestamps``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .activity import NothingToImport, Parsed, ParsedActivity, seconds, sport_words
from .gpx import parse_time
from .safety import local_name, xml_elements

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value < float("inf") else None


@dataclass
class _Activity:
    sport: str | None
    id_time: datetime | None = None
    laps: list[tuple[datetime | None, float | None, float | None]] = field(default_factory=list)
    first_point: datetime | None = None
    last_point: datetime | None = None
    last_point_distance_m: float | None = None

    def summary(self) -> ParsedActivity | None:
        lap_starts = [start for start, _, _ in self.laps if start is not None]
        start = self.first_point or (min(lap_starts) if lap_starts else None) or self.id_time
        if start is None:
            return None
        lap_times = [time_s for _, time_s, _ in self.laps if time_s is not None]
        lap_distances = [dist for _, _, dist in self.laps if dist is not None]
        distance_m = sum(lap_distances) if lap_distances else self.last_point_distance_m
        duration_s = sum(lap_times) if lap_times else None
        elapsed_s: float | None = None
        if self.first_point and self.last_point:
            elapsed_s = (self.last_point - self.first_point).total_seconds()
        else:
            ends = [s + timedelta(seconds=t) for s, t, _ in self.laps if s and t is not None]
            if ends:
                elapsed_s = max(0.0, (max(ends) - start).total_seconds())
        if duration_s is None:
            duration_s = elapsed_s
        if not duration_s and elapsed_s == 0:
            return None  # times that span nothing: cannot be timed, as in GPX
        return ParsedActivity(
            start=start,
            distance_m=distance_m,
            duration_s=seconds(duration_s),
            elapsed_s=seconds(elapsed_s),
            sport=sport_words(self.sport),
        )


def parse_tcx(data: bytes) -> Parsed:
    """The activities of a TCX file.

    Raises UnreadableFile (malformed or refused XML) or NothingToImport
    (no activity, or no time at all).
    """
    path: list[str] = []
    open_elements: list[Element] = []
    done: list[_Activity] = []
    current: _Activity | None = None
    lap: list = []  # [start, total time, distance] of the lap being read
    for event, element in xml_elements(data):
        tag = local_name(element.tag)
        if event == "start":
            path.append(tag)
            open_elements.append(element)
            if tag == "Activity":
                current = _Activity(sport=element.get("Sport"))
            elif tag == "Lap":
                lap = [parse_time(element.get("StartTime")), None, None]
            continue
        path.pop()
        open_elements.pop()
        parent = path[-1] if path else ""
        if current is None:
            continue
        if tag == "Time" and parent == "Trackpoint":
            when = parse_time(element.text)
            if when is not None:  # the earliest and latest, whatever their order
                first, last = current.first_point, current.last_point
                current.first_point = when if first is None else min(first, when)
                current.last_point = when if last is None else max(last, when)
        elif tag == "DistanceMeters" and parent == "Trackpoint":
            distance_m = _number(element.text)
            if distance_m is not None:
                current.last_point_distance_m = distance_m
        elif tag == "Trackpoint" and open_elements:
            open_elements[-1].remove(element)  # keeps memory flat on long tracks
        elif tag == "TotalTimeSeconds" and parent == "Lap":
            lap[1] = _number(element.text)
        elif tag == "DistanceMeters" and parent == "Lap":
            lap[2] = _number(element.text)
        elif tag == "Lap":
            current.laps.append((lap[0], lap[1], lap[2]))
            element.clear()
        elif tag == "Id" and parent == "Activity":
            current.id_time = parse_time(element.text)
        elif tag == "Activity":
            done.append(current)
            current = None
            element.clear()
    if not done:
        raise NothingToImport("no activities in TCX file")
    activities = [summary for item in done if (summary := item.summary()) is not None]
    if not activities:
        raise NothingToImport("no timestamps")
    return Parsed(activities)
