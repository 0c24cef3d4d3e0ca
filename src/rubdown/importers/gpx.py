"""GPX tracks: start, distance and moving time, read as a stream.

Rules (the numbers in the fixtures' expected.json were measured the same way):

* One GPX file is one activity: all its tracks and segments together (a
  Garmin log split in several ``<trk>`` is still one outing).
* distance: haversine sum between consecutive points *within* each segment
  (never across a gap between segments), Earth radius 6,371,008.8 m (IUGG
  mean radius). Elevation is ignored (2-D distance, as watches report).
* start: the earliest timed point; elapsed: latest minus earliest.
* duration (moving time): the sum of the intervals between consecutive timed
  points of a segment whose speed is above 1 km/h, as gpxpy's
  ``get_moving_data`` measures it (speed over the 3-D distance when both
  points have an elevation), so the numbers agree with common tools.
* A track where fewer than half of the points (or fewer than two) carry a
  time cannot be placed or timed honestly: skipped as ``no timestamps``. A
  few stray times on an untimed route (gpxpy's cerknicko-without-times, 5 of
  296 points) would otherwise give a 57-second "run" of 4.6 km.
* So is a track whose times span nothing (every point at the same instant:
  GPSBabel writes 1901-12-13T20:45:52Z, the 32-bit minimum, for unknown
  times). A time before 1970 is a placeholder, never a real recording: it
  counts as no time.
* Routes (``<rte>``) and waypoints carry no times and are ignored.
* Times without a zone are taken as UTC (GPX requires UTC).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .activity import (
    EARLIEST,
    EARTH_RADIUS_M,
    STOPPED_SPEED_MPS,
    NothingToImport,
    Parsed,
    ParsedActivity,
    seconds,
    sport_words,
)
from .safety import local_name, xml_elements, xml_stream

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def parse_time(text: str | None) -> datetime | None:
    """An ISO 8601 instant in UTC, or None when absent, unreadable or
    before 1970 (a placeholder: see ``EARLIEST``)."""
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.strip())
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 with an offset
        return None
    return value if value >= EARLIEST else None


def _coordinate(text: str | None, bound: float) -> float | None:
    try:
        value = float(text) if text is not None else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) and -bound <= value <= bound else None


class _Track:
    """Running totals over the points of a GPX file."""

    def __init__(self) -> None:
        self.points = 0
        self.timed = 0
        self.distance_m = 0.0
        self.moving_s = 0.0
        self.first: datetime | None = None
        self.last: datetime | None = None
        self._prev: tuple[float, float, float | None, datetime | None] | None = None

    def end_segment(self) -> None:
        self._prev = None

    def add(self, lat: float, lon: float, elevation: float | None, when: datetime | None) -> None:
        self.points += 1
        if when is not None:
            self.timed += 1
            self.first = when if self.first is None else min(self.first, when)
            self.last = when if self.last is None else max(self.last, when)
        if self._prev is not None:
            prev_lat, prev_lon, prev_elevation, prev_when = self._prev
            step_m = haversine_m(prev_lat, prev_lon, lat, lon)
            self.distance_m += step_m
            if when is not None and prev_when is not None:
                step_s = (when - prev_when).total_seconds()
                if elevation is not None and prev_elevation is not None:
                    step_m = math.hypot(step_m, elevation - prev_elevation)
                if step_s > 0 and step_m / step_s > STOPPED_SPEED_MPS:
                    self.moving_s += step_s
        self._prev = (lat, lon, elevation, when)


# Kinds of element the GPX reader acts on, by local name; every other is 0.
_TRKPT, _TIME, _ELE, _TRKSEG, _RTEPT, _NAME, _TYPE, _TRK, _METADATA, _GPX = range(1, 11)
_KINDS = {
    "trkpt": _TRKPT,
    "time": _TIME,
    "ele": _ELE,
    "trkseg": _TRKSEG,
    "rtept": _RTEPT,
    "name": _NAME,
    "type": _TYPE,
    "trk": _TRK,
    "metadata": _METADATA,
    "gpx": _GPX,
}
#: (parent, element) kinds whose text the GPX reader reads.
_READ = {
    (_TRKPT, _TIME),
    (_TRKPT, _ELE),
    (_TRK, _NAME),
    (_METADATA, _NAME),
    (_GPX, _NAME),
    (_TRK, _TYPE),
}
_NAMED = {_TRK: "trk", _METADATA: "metadata", _GPX: "gpx"}


def parse_gpx(data: bytes) -> Parsed:
    """The activity of a GPX file, read as a stream of expat events: no
    element objects, and per element no more than a lookup of its kind (a
    point a second makes long files; most elements are extensions).

    Raises UnreadableFile (malformed or refused XML) or NothingToImport
    (no track points, no timestamps).
    """
    track = _Track()
    kinds: dict[str, int] = {}  # "namespace}name" -> kind, as met
    open_kinds: list[int] = [0]  # the kinds of the open elements, under a root sentinel
    names: dict[str, str] = {}
    sport_text: str | None = None
    route_points = 0
    points: list[list] = []  # [lat, lon, elevation, time] of each open trkpt
    # Every piece of text expat reports (its own list's append is the
    # handler: no Python call per piece); the text of the element being
    # read is chunks[begin:stop], ``stop`` set at its first child (what
    # ElementTree calls its ``text``). ``begin`` -1: none being read.
    chunks: list[str] = []
    begin, stop, depth = -1, -1, 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal begin, stop, depth
        kind = kinds.get(name)
        if kind is None:
            kind = kinds[name] = _KINDS.get(local_name(name), 0)
        if begin >= 0 and stop < 0:
            stop = len(chunks)  # a child: the text read is what came before it
        if kind:
            if kind == _TRKPT:
                if begin < 0:
                    chunks.clear()  # nothing is being read: keeps memory flat
                lat = _coordinate(attributes.get("lat"), 90)
                lon = _coordinate(attributes.get("lon"), 180)
                points.append([lat, lon, None, None])
            elif (open_kinds[-1], kind) in _READ:
                begin, stop, depth = len(chunks), -1, len(open_kinds)
        open_kinds.append(kind)

    def end(name: str) -> None:
        nonlocal begin, sport_text, route_points
        kind = open_kinds.pop()
        if not kind:
            return
        value = None
        if begin >= 0 and depth == len(open_kinds):
            value = "".join(chunks[begin:stop] if stop >= 0 else chunks[begin:]) or None
            begin = -1
        if kind == _TRKPT:
            lat, lon, elevation, when = points.pop()
            if lat is not None and lon is not None:
                track.add(lat, lon, elevation, when)
            return
        parent = open_kinds[-1]
        if kind == _TIME and parent == _TRKPT:
            points[-1][3] = parse_time(value)
        elif kind == _ELE and parent == _TRKPT:
            points[-1][2] = _coordinate(value, 20_000)
        elif kind == _TRKSEG:
            track.end_segment()
        elif kind == _RTEPT:
            route_points += 1
        elif kind == _NAME and parent in _NAMED and value:
            names.setdefault(_NAMED[parent], value.strip())
        elif kind == _TYPE and parent == _TRK and sport_text is None:
            sport_text = value

    xml_stream(data, start, end, chunks.append)
    return _summary(track, names, sport_text, route_points)


def decode_gpx(data: bytes) -> Parsed:
    """The activity of a GPX file read as a tree of elements (ElementTree
    through defusedxml, each point dropped once read): the reader
    :func:`parse_gpx` replaced, kept as the reference it is tested against
    and measured by (benchmarks/bench_real_import.py)."""
    track = _Track()
    path: list[str] = []
    open_elements: list[Element] = []
    names: dict[str, str] = {}
    sport_text: str | None = None
    route_points = 0
    for event, element in xml_elements(data):
        tag = local_name(element.tag)
        if event == "start":
            path.append(tag)
            open_elements.append(element)
            continue
        path.pop()
        open_elements.pop()
        parent = path[-1] if path else ""
        if tag == "trkpt":
            lat = _coordinate(element.get("lat"), 90)
            lon = _coordinate(element.get("lon"), 180)
            if lat is not None and lon is not None:
                when = elevation = None
                for child in element:
                    child_tag = local_name(child.tag)
                    if child_tag == "time":
                        when = parse_time(child.text)
                    elif child_tag == "ele":
                        elevation = _coordinate(child.text, 20_000)
                track.add(lat, lon, elevation, when)
            if open_elements:
                open_elements[-1].remove(element)  # keeps memory flat on long tracks
        elif tag == "trkseg":
            track.end_segment()
            element.clear()
        elif tag == "rtept":
            route_points += 1
            element.clear()
        elif tag in ("wpt", "rte"):
            element.clear()
        elif tag == "name" and parent in ("trk", "metadata", "gpx") and element.text:
            names.setdefault(parent, element.text.strip())
        elif tag == "type" and parent == "trk" and sport_text is None:
            sport_text = element.text
    return _summary(track, names, sport_text, route_points)


def _summary(
    track: _Track, names: dict[str, str], sport_text: str | None, route_points: int
) -> Parsed:
    """The activity of what was read of a GPX file, by the rules above."""
    if track.points == 0:
        raise NothingToImport("no timestamps" if route_points else "no track points")
    if track.timed < 2 or track.timed * 2 < track.points:
        raise NothingToImport("no timestamps")
    assert track.first is not None and track.last is not None
    if track.last == track.first:
        raise NothingToImport("no timestamps")  # no time span: cannot be timed
    name = names.get("trk") or names.get("metadata") or names.get("gpx") or None
    activity = ParsedActivity(
        start=track.first,
        distance_m=track.distance_m,
        duration_s=seconds(track.moving_s),
        elapsed_s=seconds((track.last - track.first).total_seconds()),
        sport=sport_words(sport_text),
        name=name,
    )
    return Parsed([activity])
