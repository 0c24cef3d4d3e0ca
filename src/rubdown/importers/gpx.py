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
import re
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
from .safety import local_name, xml_check, xml_elements, xml_stream

if TYPE_CHECKING:
    from collections.abc import Iterable
    from xml.etree.ElementTree import Element

    #: A track point: latitude, longitude (degrees), elevation, time.
    Point = tuple[float, float, float | None, datetime | None]


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


def _coordinate(text: str | bytes | None, bound: float) -> float | None:
    try:
        value = float(text) if text is not None else math.nan
    except ValueError:
        return None
    return value if math.isfinite(value) and -bound <= value <= bound else None


class _Track:
    """Running totals over the points of a GPX file: the rules above, in
    :meth:`add_points` only, whichever reader found the points."""

    def __init__(self) -> None:
        self.points = 0
        self.timed = 0
        self.distance_m = 0.0
        self.moving_s = 0.0
        self.first: datetime | None = None
        self.last: datetime | None = None
        # The previous point of the segment: latitude in radians, its
        # cosine, longitude, elevation, time.
        self._prev: tuple[float, float, float, float | None, datetime | None] | None = None

    def end_segment(self) -> None:
        self._prev = None

    def add(self, lat: float, lon: float, elevation: float | None, when: datetime | None) -> None:
        self.add_points(((lat, lon, elevation, when),))

    def add_points(self, points: Iterable[Point]) -> None:
        """Add ``(lat, lon, elevation, time)`` points of one segment, in
        order. Distance: haversine (each latitude's cosine computed once);
        moving time: as gpxpy's ``get_moving_data``. The loop keeps what it
        needs in local variables: a point a second makes long files."""
        radians, sin, cos, asin, sqrt, hypot = (
            math.radians,
            math.sin,
            math.cos,
            math.asin,
            math.sqrt,
            math.hypot,
        )
        diameter = 2 * EARTH_RADIUS_M
        count = timed = 0
        distance_m, moving_s = self.distance_m, self.moving_s
        first, last, prev = self.first, self.last, self._prev
        for lat, lon, elevation, when in points:
            count += 1
            if when is not None:
                timed += 1
                if first is None or last is None:
                    first = last = when
                elif when < first:
                    first = when
                elif when > last:
                    last = when
            phi = radians(lat)
            cos_phi = cos(phi)
            if prev is not None:
                prev_phi, prev_cos, prev_lon, prev_elevation, prev_when = prev
                half_dphi = (phi - prev_phi) / 2
                half_dlambda = radians(lon - prev_lon) / 2
                a = sin(half_dphi) ** 2 + prev_cos * cos_phi * sin(half_dlambda) ** 2
                step_m = diameter * asin(min(1.0, sqrt(a)))
                distance_m += step_m
                if when is not None and prev_when is not None:
                    step_s = (when - prev_when).total_seconds()
                    if elevation is not None and prev_elevation is not None:
                        step_m = hypot(step_m, elevation - prev_elevation)
                    if step_s > 0 and step_m / step_s > STOPPED_SPEED_MPS:
                        moving_s += step_s
            prev = (phi, cos_phi, lon, elevation, when)
        self.points += count
        self.timed += timed
        self.distance_m, self.moving_s = distance_m, moving_s
        self.first, self.last, self._prev = first, last, prev


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
    """The activity of a GPX file: checked whole by expat with no Python
    call per element (:func:`safety.xml_check`), then, when its points are
    plainly written (:func:`scan_points`), their values are picked out of
    the bytes and only the rest is read as events; anything unusual is read
    as events whole (:func:`read_gpx_events`). The same rules either way.

    Raises UnreadableFile (malformed or refused XML) or NothingToImport
    (no track points, no timestamps).
    """
    document = xml_check(data)
    track = _Track()
    rest = scan_points(document, track)
    if rest is None:
        return read_gpx_events(document)
    return _summary(track, *_read_events(rest, track))


def read_gpx_events(data: bytes) -> Parsed:
    """The activity of a GPX file, read as a stream of expat events: no
    element objects, and per element no more than a lookup of its kind (a
    point a second makes long files; most elements are extensions). What
    :func:`parse_gpx` falls back to for anything unusual.

    Raises UnreadableFile (malformed or refused XML) or NothingToImport
    (no track points, no timestamps).
    """
    track = _Track()
    return _summary(track, *_read_events(data, track))


def _read_events(data: bytes, track: _Track) -> tuple[dict[str, str], str | None, int]:
    """Read ``data`` as expat events into ``track``: the names found, the
    track's type text and the number of route points."""
    kinds: dict[str, int] = {}  # "namespace}name" -> kind, as met
    open_kinds: list[int] = [0]  # the kinds of the open elements, under a root sentinel
    names: dict[str, str] = {}
    sport_text: str | None = None
    route_points = 0
    points: list[list] = []  # [lat, lon, elevation, time] of each open trkpt
    # Every piece of text expat reports (its own list's append is the
    # handler: no Python call per piece); the text of the element being
    # read is chunks[begin:stop], ``stop`` set at its first child (what
    # ElementTree calls its ``text``). ``begin`` -1: none being read. An
    # element read inside another being read (a point inside a name) puts
    # the outer one's state aside until it ends.
    chunks: list[str] = []
    begin, stop, depth = -1, -1, 0
    outer: list[tuple[int, int, int]] = []

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
                if begin >= 0:
                    outer.append((begin, stop, depth))
                begin, stop, depth = len(chunks), -1, len(open_kinds)
        open_kinds.append(kind)

    def end(name: str) -> None:
        nonlocal begin, stop, depth, sport_text, route_points
        kind = open_kinds.pop()
        if not kind:
            return
        value = None
        if begin >= 0 and depth == len(open_kinds):
            value = "".join(chunks[begin:stop] if stop >= 0 else chunks[begin:]) or None
            begin, stop, depth = outer.pop() if outer else (-1, -1, 0)
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
    return names, sport_text, route_points


#: One plainly written track point: ``lat`` and ``lon`` attributes only,
#: numbers; then an ``ele``, a ``time`` and an ``extensions`` child, each
#: optional, in that order, their text free of markup, references and
#: spaces; nothing else. What the extensions hold is skipped unread, never
#: past a ``<trkpt`` or ``</trkpt``, so a point that is not plain costs a
#: look at itself only.
_PLAIN = re.compile(
    rb'<trkpt\s+lat="([-+.0-9eE]+)"\s+lon="([-+.0-9eE]+)"\s*>\s*'
    rb"(?:<ele>([-+.0-9eE]*)</ele>\s*)?"
    rb"(?:<time>([^<&\s\x80-\xff]*)</time>\s*)?"
    rb"(?:<extensions>[^<]*(?:<(?!/?trkpt[\s/>])[^<]*)*</extensions>\s*)?"
    rb"</trkpt>"
)
_GROUPS = _PLAIN.groups + 1  # what re.split gives per point: the text before it, its values
#: Every way a ``trkseg`` tag may be written for the bytes to be read, and
#: the ones that end a segment (an end tag, or an empty element).
_SEGMENT_TAG = re.compile(rb"</?trkseg\s*/?>")
_SEGMENT_END = re.compile(rb"</trkseg\s*>|<trkseg\s*/>")
_DECLARATION = re.compile(rb"<\?xml\s[^>]*>")
_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")


def scan_points(document: bytes, track: _Track) -> bytes | None:
    """Add the points of a checked, well-formed GPX ``document`` to
    ``track`` straight from its bytes, in document order, a segment's end
    between two points parting them as in the event reader; return the
    document without them (what is left to read as events: names, type,
    routes, the segments' tags).

    None, and ``track`` to be thrown away, unless the document is plain
    enough that its bytes say what the events would: no comment, CDATA
    section or processing instruction anywhere (they could hide or fake a
    point), UTF-8 (or undeclared), every ``trkpt`` in it one of a plain
    point (none written otherwise, with a prefix, or nested), every
    ``trkseg`` a plain tag between points, at least one point.
    """
    declaration = _DECLARATION.match(document)
    if b"<!" in document or document.find(b"<?", declaration.end() if declaration else 0) >= 0:
        return None  # a comment, CDATA section or processing instruction
    encoding = _ENCODING.search(declaration.group()) if declaration else None
    if encoding and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
        return None
    # One pass of the pattern gives the values (a column per group) and the
    # text between the points, all without a Python call per point.
    pieces = _PLAIN.split(document)
    between = pieces[::_GROUPS]
    lats, lons, elevations, times = (pieces[i::_GROUPS] for i in range(1, _GROUPS))
    if not lats or document.count(b"trkpt") != 2 * len(lats):
        return None
    # What is left: the text around the points, each run of them (only
    # spaces between) left as one empty point, which the event reader passes
    # over: an element still parts the text before it from the text after,
    # as where the points were (a name's text is what comes before its first
    # child). A segment's end between two points parts them.
    inner = [i for i in range(1, len(lats)) if between[i].strip()]
    rest = b"<trkpt/>".join([between[0], *(between[i] for i in inner), between[-1]])
    if len(_SEGMENT_TAG.findall(rest)) != document.count(b"trkseg"):
        return None
    parts = [i for i in inner if _SEGMENT_END.search(between[i])]
    begin = 0
    for end in [*parts, len(lats)]:
        track.add_points(
            _values(lats[begin:end], lons[begin:end], elevations[begin:end], times[begin:end])
        )
        track.end_segment()
        begin = end
    return rest


def _values(
    lats: list[bytes], lons: list[bytes], elevations: list[bytes | None], times: list[bytes | None]
) -> list[Point]:
    """The points of a run of plain ones, by the rules of the event reader
    (:func:`_coordinate`, :func:`parse_time`): converted a column at a time
    when every value is there and sound (the usual file), else one by one."""
    if None not in elevations and b"" not in elevations and None not in times and b"" not in times:
        try:
            lat = list(map(float, lats))
            lon = list(map(float, lons))
            ele = list(map(float, elevations))  # type: ignore[arg-type]  # no None: checked
            when = list(map(datetime.fromisoformat, b"\n".join(times).decode().split("\n")))  # type: ignore[arg-type]
        except ValueError:
            pass
        else:
            if (
                min(lat) >= -90
                and max(lat) <= 90
                and min(lon) >= -180
                and max(lon) <= 180
                and min(ele) >= -20_000
                and max(ele) <= 20_000
                and all(moment.tzinfo is UTC for moment in when)
                and min(when) >= EARLIEST
            ):
                return list(zip(lat, lon, ele, when, strict=True))
    points: list[Point] = []
    for lat_text, lon_text, ele_text, time_text in zip(lats, lons, elevations, times, strict=True):
        lat_value = _coordinate(lat_text, 90)
        lon_value = _coordinate(lon_text, 180)
        if lat_value is not None and lon_value is not None:
            points.append(
                (
                    lat_value,
                    lon_value,
                    _coordinate(ele_text or None, 20_000),
                    parse_time(time_text.decode()) if time_text else None,
                )
            )
    return points


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
