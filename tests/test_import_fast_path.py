"""The fast readers give the same records as the full decoders.

FIT: ``fit.parse_fit`` reads a sound file's summary (``fit_summary``) and
leaves anything else to ``fit.decode_fit`` (fitdecode, every message). GPX:
``gpx.parse_gpx`` picks plainly written points out of the bytes
(``gpx.scan_points``) once expat has checked the document, and reads
anything else as expat events (``gpx.read_gpx_events``); ``gpx.decode_gpx``
is the element tree reader both replaced. Each pair is compared on the same bytes, field by
field (every activity's sport, start, distance, duration, elapsed time and
name, the error that stopped decoding and what was mended), or on the
problem raised: generated files of several shapes, the fixture files,
damaged ones, and files mutated at random with their CRC made right again
(so the summary reader, not the CRC check, meets the oddities).
"""

from __future__ import annotations

import gzip
import random
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fitfile import crc, fit_file, fit_time, message, rows, run_file
from rubdown.importers.activity import ImportProblem
from rubdown.importers.fit import decode_fit, parse_fit
from rubdown.importers.fit_summary import read_summary
from rubdown.importers.gpx import _Track, decode_gpx, parse_gpx, read_gpx_events, scan_points
from rubdown.importers.safety import xml_check

DATA = Path(__file__).parent / "data"
START = datetime(2024, 3, 2, 7, 15, tzinfo=UTC)


def outcome(parser, data: bytes) -> tuple:
    """Everything a parser's answer gives the import, comparable with ==."""
    try:
        parsed = parser(data)
    except ImportProblem as exc:
        return (type(exc).__name__, str(exc))
    except LookupError as exc:  # an unknown encoding: both let it out alike
        return (type(exc).__name__, str(exc))
    return ("parsed", parsed.activities, parsed.error, parsed.repaired)


def summary_read(data: bytes) -> bool:
    """Whether the summary reader reads ``data`` itself (no fitdecode)."""
    return read_summary(data, lambda *_: None) is not None


# -- FIT files of several shapes -------------------------------------------------


def watch_records(start: datetime, seconds: int, *, pause: tuple[int, int] | None = None):
    """Record rows a second apart as a watch writes them, with ``pause``
    (from, to) seconds not recorded."""
    out, metres = [], 0.0
    for t in range(seconds + 1):
        if pause and pause[0] < t < pause[1]:
            continue
        metres = t * 3.1
        out.append(
            {
                "timestamp": fit_time(start) + t,
                "position_lat": 48.1 + t * 1e-5,
                "position_long": 11.5 + t * 1e-5,
                "altitude": 520 + (t % 30) / 3,
                "heart_rate": 140 + t % 9,
                "cadence": 86,
                "distance": metres,
                "speed": 3.1,
            }
        )
    return out


def laps(start: datetime, seconds: int, every: int, sport="running") -> list[bytes]:
    return [
        message(
            "lap",
            timestamp=fit_time(start) + min(at + every, seconds),
            start_time=start + timedelta(seconds=at),
            total_elapsed_time=min(every, seconds - at),
            total_timer_time=min(every, seconds - at),
            total_distance=min(every, seconds - at) * 3.1,
            sport=sport,
        )
        for at in range(0, seconds, every)
    ]


def session(start: datetime, seconds: int, sport="running", **fields) -> bytes:
    values = {
        "timestamp": fit_time(start) + seconds,
        "start_time": start,
        "sport": sport,
        "total_elapsed_time": seconds,
        "total_timer_time": seconds,
        "total_distance": seconds * 3.1,
    }
    values.update(fields)
    return message("session", **values)


def watch_file(*parts: bytes) -> bytes:
    return fit_file(message("file_id", type=4, time_created=START), *parts)


HOUR = 3600
SHAPES = {
    "an hour, laps, session, activity": watch_file(
        rows("record", watch_records(START, HOUR)),
        *laps(START, HOUR, 600),
        session(START, HOUR),
        message("activity", timestamp=fit_time(START) + HOUR, total_timer_time=HOUR),
    ),
    "no session": watch_file(rows("record", watch_records(START, HOUR)), *laps(START, HOUR, 900)),
    "a pause": watch_file(
        rows("record", watch_records(START, HOUR, pause=(1200, 1500))),
        session(START, HOUR, total_timer_time=HOUR - 300),
    ),
    "generic session, sport from the lap": watch_file(
        rows("record", watch_records(START, 1800)),
        *laps(START, 1800, 900),
        session(START, 1800, sport="generic"),
    ),
    "sport message": watch_file(
        message("sport", sport="running", sub_sport="obstacle"),
        rows("record", watch_records(START, 1800)),
        session(START, 1800, sport=None),
    ),
    "session without distance or times": watch_file(
        rows("record", watch_records(START, 1800)),
        session(START, 1800, total_distance=None, total_timer_time=None, total_elapsed_time=None),
        message("activity", timestamp=fit_time(START) + 1800, total_timer_time=1700),
    ),
    "session ends before the records": watch_file(
        rows("record", watch_records(START, HOUR)),
        session(START, 1800),
        message("activity", timestamp=fit_time(START) + HOUR, total_timer_time=HOUR),
    ),
    "absurd session": watch_file(
        rows("record", watch_records(START, 1800)),
        session(START + timedelta(days=3), 1800, total_elapsed_time=100),
    ),
    "multisport": watch_file(
        rows("record", watch_records(START, 2 * HOUR)),
        *laps(START, HOUR, 1200, "running"),
        session(START, HOUR, sport="running"),
        session(START + timedelta(seconds=HOUR), HOUR, sport="cycling", total_distance=30_000),
        message("activity", timestamp=fit_time(START) + 2 * HOUR, total_timer_time=2 * HOUR),
    ),
    "unknown sport number": watch_file(
        rows("record", watch_records(START, 600)), session(START, 600, sport=250)
    ),
    "records in the future": run_file(datetime.now(UTC) + timedelta(days=9), 600, session={}),
    "session only": watch_file(session(START, 1800)),
    "nothing but a file id": watch_file(),
    "written one definition per message": run_file(START, 900, session={}, activity={}),
}
SOUND_WITH_SESSION = [
    name for name in SHAPES if name not in ("no session", "nothing but a file id")
]


@pytest.mark.parametrize("name", SHAPES)
def test_fit_shapes_give_the_same_records(name):
    data = SHAPES[name]
    assert outcome(parse_fit, data) == outcome(decode_fit, data)


@pytest.mark.parametrize("name", SOUND_WITH_SESSION)
def test_sound_files_with_a_session_are_read_without_fitdecode(name):
    assert summary_read(SHAPES[name])


def test_an_hour_recorded_every_second_is_read_from_its_summary():
    data = SHAPES["an hour, laps, session, activity"]
    (activity,) = parse_fit(data).activities
    assert (activity.start, activity.distance_m, activity.duration_s) == (START, 11160.0, 3600)
    assert activity.sport == "running"


def fixed_crc(data: bytes) -> bytes:
    """``data`` with its header and file CRCs made right."""
    out = bytearray(data)
    if len(out) >= 14 and out[0] == 14:
        struct.pack_into("<H", out, 12, crc(bytes(out[:12])))
    if len(out) >= 2:
        struct.pack_into("<H", out, len(out) - 2, crc(bytes(out[:-2])))
    return bytes(out)


def damaged(data: bytes) -> dict[str, bytes]:
    return {
        "truncated": data[: len(data) * 2 // 3],
        "bad CRC": data[:-2] + bytes([data[-2] ^ 0xFF, data[-1]]),
        "bad header CRC": data[:12] + bytes([data[12] ^ 1]) + data[13:],
        "trailing bytes": data + b"\x00\x01",
        "two files chained": data + data,
        "compressed timestamp header": fixed_crc(
            data[:-2].replace(bytes([0x01]) + struct.pack("<I", fit_time(START) + 5), b"\x81", 1)
            + b"\x00\x00"
        ),
    }


@pytest.mark.parametrize("kind", list(damaged(SHAPES["a pause"])))
def test_damaged_fit_files_give_the_same_records(kind):
    data = damaged(SHAPES["a pause"])[kind]
    assert outcome(parse_fit, data) == outcome(decode_fit, data)


FIT_FIXTURES = sorted((DATA / "fit").iterdir())


@pytest.mark.parametrize("path", FIT_FIXTURES, ids=lambda p: p.name)
def test_fit_fixtures_give_the_same_records(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    assert outcome(parse_fit, data) == outcome(decode_fit, data)


def test_mutated_fit_files_with_right_crcs_give_the_same_records():
    rng = random.Random(20261201)
    sources = [SHAPES["an hour, laps, session, activity"], SHAPES["multisport"]]
    sources += [p.read_bytes() for p in FIT_FIXTURES if p.suffix == ".fit"]
    read_by_summary = 0
    for _ in range(120):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            flip = data[at] ^ (1 << rng.randrange(8))
            data[at] = rng.randrange(256) if rng.random() < 0.5 else flip
        if rng.random() < 0.2:
            data = data[: rng.randrange(14, len(data))]
        mutated = fixed_crc(bytes(data))
        assert outcome(parse_fit, mutated) == outcome(decode_fit, mutated)
        read_by_summary += summary_read(mutated)
    assert read_by_summary > 20  # the oddities reached the summary reader


# -- GPX -------------------------------------------------------------------------


def gpx(points: str, *, head: str = "", name: str = "<name>Morning Run</name>") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"{head}<trk>{name}<type>running</type>{points}</trk></gpx>"
    ).encode()


def trkpt(t: int, *, lat: float | None = None, ele: str | None = "512.4", extra: str = "") -> str:
    when = (START + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
    lat = 48.1 + t * 2e-5 if lat is None else lat
    elevation = "" if ele is None else f"<ele>{ele}</ele>"
    return (
        f'<trkpt lat="{lat:.7f}" lon="{11.5 + t * 1e-5:.7f}">{elevation}<time>{when}</time>'
        "<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>141</gpxtpx:hr>"
        f"<gpxtpx:cad>86</gpxtpx:cad></gpxtpx:TrackPointExtension></extensions>{extra}</trkpt>\n"
    )


def segment(first: int, last: int, **kw) -> str:
    return "<trkseg>" + "".join(trkpt(t, **kw) for t in range(first, last)) + "</trkseg>"


GPX_SHAPES = {
    "an hour with extensions": gpx(segment(0, HOUR)),
    "two segments and a pause": gpx(segment(0, 600) + segment(900, 1500)),
    "no elevation": gpx(segment(0, 300, ele=None)),
    "metadata name only": gpx(
        segment(0, 300), head="<metadata><name> Park loop </name></metadata>", name=""
    ),
    "name with a child": gpx(segment(0, 300), name="<name>Before<b>in</b>after</name>"),
    "CDATA name": gpx(segment(0, 300), name="<name><![CDATA[Run & <fun>]]></name>"),
    "bad coordinates and times": gpx(
        "<trkseg>"
        + trkpt(0)
        + trkpt(1, lat=95.0)
        + '<trkpt lat="x" lon="1"><time>2024-03-02T07:15:09Z</time></trkpt>'
        + '<trkpt lat="48.1" lon="11.5"><time>not a time</time><ele>high</ele></trkpt>'
        + trkpt(30)
        + "</trkseg>"
    ),
    "two time children": gpx(
        "<trkseg>" + trkpt(0) + trkpt(60, extra="<time>2024-03-02T09:00:00Z</time>") + "</trkseg>"
    ),
    "route only": gpx('<rte><rtept lat="1" lon="1"/></rte>', name=""),
    "untimed": gpx('<trkseg><trkpt lat="1" lon="1"/><trkpt lat="2" lon="2"/></trkseg>'),
    "no namespace": b'<gpx><trk><trkseg><trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z'
    b'</time></trkpt><trkpt lat="1.01" lon="1"><time>2024-01-01T00:10:00Z</time></trkpt>'
    b"</trkseg></trk></gpx>",
    "leading whitespace and BOM": b"\n \xef\xbb\xbf" + gpx(segment(0, 60)),
    "Latin-1": '<?xml version="1.0" encoding="ISO-8859-1"?><gpx><trk><name>Lauf \xfcber'
    '</name><trkseg><trkpt lat="1" lon="1"><time>2024-01-01T00:00:00Z</time></trkpt>'
    '<trkpt lat="1.01" lon="1"><time>2024-01-01T00:10:00Z</time></trkpt></trkseg></trk>'
    "</gpx>".encode("latin-1"),
    "malformed": gpx(segment(0, 10)).replace(b"</trkseg>", b"</trk>", 1),
    "empty": b"  \n",
    "DTD": b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "b">]><gpx>&a;</gpx>',
    "unbound prefix": b"<gpx><x:trk/></gpx>",
    "junk after": gpx(segment(0, 10)) + b"<gpx/>",
}


def same_gpx_records(data: bytes) -> None:
    """The fast reader, the event reader and the element tree agree."""
    expected = outcome(decode_gpx, data)
    assert outcome(parse_gpx, data) == expected
    assert outcome(read_gpx_events, data) == expected


def read_plainly(data: bytes) -> bool:
    """Whether ``parse_gpx`` takes the points of ``data`` from its bytes."""
    try:
        document = xml_check(data)
    except ImportProblem:
        return False
    return scan_points(document, _Track()) is not None


def plain(t: int, *, ele: str = "512.4", when: str | None = None, lat: str = "48.1") -> str:
    """A track point as Strava writes it (line breaks, indents), values as given."""
    when = when or (START + timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f'\n   <trkpt lat="{lat}{t:04d}" lon="11.5{t:04d}">\n    <ele>{ele}</ele>\n'
        f"    <time>{when}</time>\n    <extensions>\n     <gpxtpx:TrackPointExtension>\n"
        "      <gpxtpx:hr>141</gpxtpx:hr>\n     </gpxtpx:TrackPointExtension>\n"
        "    </extensions>\n   </trkpt>"
    )


def plain_segment(first: int, last: int, **kw) -> str:
    return "<trkseg>" + "".join(plain(t, **kw) for t in range(first, last)) + "\n  </trkseg>"


#: Files whose points are all plainly written: read from the bytes.
GPX_PLAIN = {
    "Strava's layout": gpx(plain_segment(0, 400)),
    "three segments, one empty": gpx(
        plain_segment(0, 100) + "<trkseg/>" + plain_segment(300, 400) + plain_segment(500, 600)
    ),
    "two tracks, the second named": gpx(
        plain_segment(0, 100) + "</trk><trk><name>Second</name>" + plain_segment(200, 300),
        name="",
    ),
    "segment inside a segment": gpx(
        "<trkseg>"
        + plain(0)
        + plain_segment(10, 20)
        + plain(30)
        + "</trkseg>"
        + plain(40)
        + plain_segment(50, 60)
    ),
    "a point inside the name": gpx(
        plain_segment(0, 30), name="<name> Park" + plain(50) + plain(51) + " loop</name>"
    ),
    "a point first in the name": gpx(plain_segment(0, 30), name="<name>" + plain(50) + "x</name>"),
    "a point inside the type": gpx(
        plain_segment(0, 30) + "</trk><trk><type>trail" + plain(50) + "run</type>", name=""
    ),
    "a point outside any segment": gpx(plain(0) + plain_segment(10, 40) + plain(50)),
    "escaped name and route": gpx(
        plain_segment(0, 50) + '</trk><rte><rtept lat="1" lon="1"/></rte><trk>',
        name="<name>Run &amp; walk &#233;</name>",
    ),
    "times with an offset": gpx(plain_segment(0, 50, when="2024-03-02T09:15:00+02:00")),
    "times without a zone": gpx(plain_segment(0, 50, when="2024-03-02T07:15:00")),
    "fractions of seconds": gpx(
        "<trkseg>"
        + "".join(plain(t, when=f"2024-03-02T07:15:{t % 60:02d}.{t:03d}Z") for t in range(90))
        + "</trkseg>"
    ),
    "placeholder times": gpx(
        plain_segment(0, 5, when="1901-12-13T20:45:52Z") + plain_segment(5, 50)
    ),
    "bad values written plainly": gpx(
        "<trkseg>"
        + plain(0)
        + plain(1, lat="95.")
        + plain(2, ele="")
        + plain(3, ele="1e999")
        + plain(4, when="2024-13-01T00:00:00Z")
        + plain(5, when="")
        + plain(6, lat="1.2.3")
        + plain(30)
        + "</trkseg>"
    ),
    "a time inside the extensions (not read)": gpx(
        plain_segment(0, 9).replace("<gpxtpx:hr>", "<time>2024-03-02T10:00:00Z</time><gpxtpx:hr>")
    ),
    "no elevation": gpx(segment(0, 300, ele=None)),
    "an empty time": gpx(plain_segment(0, 30, when="") + plain_segment(30, 40)),
    "no namespace": GPX_SHAPES["no namespace"],
    "leading whitespace and BOM": GPX_SHAPES["leading whitespace and BOM"],
}

#: Files that are not plain: read as events whole (the same records).
GPX_UNUSUAL = {
    "a comment inside a point": gpx(
        "<trkseg>"
        + plain(0)
        + plain(1).replace("<ele>", "<!-- x --><ele>")
        + plain(9)
        + "</trkseg>"
    ),
    "a comment and a point inside the name": gpx(
        plain_segment(0, 30), name="<name><!-- x --> Park" + plain(50) + " loop</name>"
    ),
    "a comment hiding a point": gpx(
        "<trkseg>" + plain(0) + "<!--" + plain(5) + "-->" + plain(9) + "</trkseg>"
    ),
    "a CDATA time": gpx(
        "<trkseg>"
        + plain(0)
        + plain(1, when="<![CDATA[2024-03-02T08:00:00Z]]>")
        + plain(9)
        + "</trkseg>"
    ),
    "a CDATA section hiding a point": gpx(
        "<trkseg>" + plain(0) + "<x><![CDATA[" + plain(5) + "]]></x>" + plain(9) + "</trkseg>"
    ),
    "a processing instruction hiding a point": gpx(
        "<trkseg>" + plain(0) + "<?x " + plain(5) + "?>" + plain(9) + "</trkseg>"
    ),
    "a processing instruction first": b"<?x "
    + plain(5).encode()
    + b"?>"
    + gpx(plain_segment(0, 9)),
    "prefixed GPX namespace": gpx(plain_segment(0, 30))
    .replace(b"<trkpt", b"<g:trkpt")
    .replace(b"</trkpt", b"</g:trkpt")
    .replace(b"<gpx ", b'<gpx xmlns:g="http://www.topografix.com/GPX/1/1" '),
    "some points prefixed": gpx(
        "<trkseg>"
        + plain(0)
        + plain(5).replace("<trkpt", "<g:trkpt").replace("</trkpt", "</g:trkpt")
        + plain(9)
        + "</trkseg>"
    ).replace(b"<gpx ", b'<gpx xmlns:g="http://www.topografix.com/GPX/1/1" '),
    "prefixed segments": gpx(plain_segment(0, 20) + plain_segment(30, 50))
    .replace(b"trkseg>", b"g:trkseg>")
    .replace(b"<gpx ", b'<gpx xmlns:g="http://www.topografix.com/GPX/1/1" '),
    "character references in a time": gpx(
        "<trkseg>" + plain(0) + plain(1, when="&#50;024-03-02T08:00:00Z") + plain(9) + "</trkseg>"
    ),
    "character references in a coordinate": gpx(
        "<trkseg>" + plain(0) + plain(1, lat="&#52;8.1") + plain(9) + "</trkseg>"
    ),
    "an undeclared entity": gpx(
        "<trkseg>" + plain(0) + plain(1, when="&a;") + plain(9) + "</trkseg>"
    ),
    "a DOCTYPE": b'<?xml version="1.0"?><!DOCTYPE gpx>'
    + gpx(plain_segment(0, 9)).split(b"?>", 1)[1],
    "a DOCTYPE declaring an entity": b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY t '
    b'"2024-03-02T08:00:00Z">]><gpx><trk><trkseg><trkpt lat="1" lon="1"><time>&t;</time>'
    b"</trkpt></trkseg></trk></gpx>",
    "time before elevation": gpx(
        "<trkseg>"
        + "".join(
            plain(t).replace("<ele>512.4</ele>", "").replace("</time>", "</time><ele>1</ele>")
            for t in range(9)
        )
        + "</trkseg>"
    ),
    "a time after the extensions": GPX_SHAPES["two time children"],
    "a point inside the extensions": gpx(
        plain_segment(0, 9).replace("<gpxtpx:hr>", plain(50) + "<gpxtpx:hr>", 1)
    ),
    "a segment inside the extensions": gpx(
        plain_segment(0, 9).replace("<gpxtpx:hr>", "<trkseg/><gpxtpx:hr>", 3)
    ),
    "a segment tag with attributes": gpx(
        plain_segment(0, 9) + '<trkseg a="1">' + plain(20) + plain(30) + "</trkseg>"
    ),
    "spaces in a time": gpx(plain_segment(0, 9, when=" 2024-03-02T07:15:00Z ")),
    "single quotes": gpx(plain_segment(0, 9).replace('"', "'")),
    "lon before lat": gpx(
        plain_segment(0, 9).replace('lat="', 'x="').replace('lon="', 'lat="')
    ).replace(b'x="', b'lon="'),
    "another attribute": gpx(plain_segment(0, 9).replace("<trkpt ", '<trkpt a="1" ')),
    "empty points": GPX_SHAPES["untimed"],
    "Latin-1": GPX_SHAPES["Latin-1"],
    "UTF-16": gpx(plain_segment(0, 9)).replace(b"UTF-8", b"UTF-16").decode().encode("utf-16"),
}


@pytest.mark.parametrize("name", GPX_SHAPES)
def test_gpx_shapes_give_the_same_records(name):
    same_gpx_records(GPX_SHAPES[name])


@pytest.mark.parametrize("name", GPX_PLAIN)
def test_plain_gpx_files_are_read_from_their_bytes_with_the_same_records(name):
    data = GPX_PLAIN[name]
    assert read_plainly(data)
    same_gpx_records(data)


@pytest.mark.parametrize("name", GPX_UNUSUAL)
def test_unusual_gpx_files_are_read_as_events_with_the_same_records(name):
    data = GPX_UNUSUAL[name]
    assert not read_plainly(data)
    same_gpx_records(data)


def test_an_hour_of_gpx_from_the_benchmark_is_read_from_its_bytes():
    data = GPX_SHAPES["an hour with extensions"]
    assert read_plainly(data)
    parsed = parse_gpx(data)
    assert parsed.activities[0].elapsed_s == HOUR - 1


@pytest.mark.parametrize("path", sorted((DATA / "gpx").iterdir()), ids=lambda p: p.name)
def test_gpx_fixtures_give_the_same_records(path):
    same_gpx_records(path.read_bytes())


def test_mutated_gpx_files_give_the_same_records():
    rng = random.Random(16)
    sources = [
        GPX_SHAPES["two segments and a pause"],
        GPX_SHAPES["bad coordinates and times"],
        GPX_PLAIN["three segments, one empty"],
        GPX_PLAIN["bad values written plainly"],
        GPX_PLAIN["segment inside a segment"],
    ]
    plainly = 0
    for _ in range(150):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.choice(b'<>/"=&; abc019.-:T\n!?')
        plainly += read_plainly(bytes(data))
        same_gpx_records(bytes(data))
    assert plainly > 10  # the mutations reached the plain reader
