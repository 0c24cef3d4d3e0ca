"""The fast readers give the same records as the full decoders.

FIT: ``fit.parse_fit`` reads a sound file's summary (``fit_summary``) and
leaves anything else to ``fit.decode_fit`` (fitdecode, every message). GPX:
``gpx.parse_gpx`` reads expat events; ``gpx.decode_gpx`` is the element
tree reader it replaced. Each pair is compared on the same bytes, field by
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
from rubdown.importers.gpx import decode_gpx, parse_gpx

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


@pytest.mark.parametrize("name", GPX_SHAPES)
def test_gpx_shapes_give_the_same_records(name):
    data = GPX_SHAPES[name]
    assert outcome(parse_gpx, data) == outcome(decode_gpx, data)


@pytest.mark.parametrize("path", sorted((DATA / "gpx").iterdir()), ids=lambda p: p.name)
def test_gpx_fixtures_give_the_same_records(path):
    data = path.read_bytes()
    assert outcome(parse_gpx, data) == outcome(decode_gpx, data)


def test_mutated_gpx_files_give_the_same_records():
    rng = random.Random(16)
    sources = [GPX_SHAPES["two segments and a pause"], GPX_SHAPES["bad coordinates and times"]]
    for _ in range(60):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.choice(b'<>/"=&; abc019.-:T\n')
        assert outcome(parse_gpx, bytes(data)) == outcome(decode_gpx, bytes(data))
