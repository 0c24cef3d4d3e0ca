"""Small FIT files written byte by byte, for tests where the sources disagree.

fitdecode only reads, so this writes the FIT protocol itself: a 14-byte
header with its CRC, one definition message before each data message (local
message 0 redefined each time: simple, and legal), little-endian fields,
and the CRC of the whole file at its end. Only the messages and fields the
importer reads are known here, and the record fields a watch writes every
second; values are given in physical units (seconds, metres, datetimes,
degrees) and scaled as the FIT profile says.

:func:`rows` writes a watch's layout instead: one definition, then a data
message per row under its local number (what real files do: a 1 s recording
of an hour is 3,600 such rows). The benchmarks build real-sized files with it.
"""

from __future__ import annotations

import struct
from datetime import UTC, datetime

#: Unix time of the FIT epoch, 1989-12-31T00:00:00Z.
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)

# base type: (number, struct format)
_ENUM = (0x00, "B")
_UINT8 = (0x02, "B")
_UINT16 = (0x84, "H")
_SINT32 = (0x85, "i")
_UINT32 = (0x86, "I")
#: Degrees to FIT semicircles.
SEMICIRCLES = 2**31 / 180

# message: (global number, {field: (number, base type, scale)})
MESSAGES = {
    "file_id": (0, {"type": (0, _ENUM, 1), "time_created": (4, _UINT32, 1)}),
    "sport": (12, {"sport": (0, _ENUM, 1), "sub_sport": (1, _ENUM, 1)}),
    "session": (
        18,
        {
            "timestamp": (253, _UINT32, 1),
            "start_time": (2, _UINT32, 1),
            "sport": (5, _ENUM, 1),
            "sub_sport": (6, _ENUM, 1),
            "total_elapsed_time": (7, _UINT32, 1000),
            "total_timer_time": (8, _UINT32, 1000),
            "total_distance": (9, _UINT32, 100),
        },
    ),
    "lap": (
        19,
        {
            "timestamp": (253, _UINT32, 1),
            "start_time": (2, _UINT32, 1),
            "total_elapsed_time": (7, _UINT32, 1000),
            "total_timer_time": (8, _UINT32, 1000),
            "total_distance": (9, _UINT32, 100),
            "sport": (25, _ENUM, 1),
        },
    ),
    "record": (
        20,
        {
            "timestamp": (253, _UINT32, 1),
            "position_lat": (0, _SINT32, SEMICIRCLES),
            "position_long": (1, _SINT32, SEMICIRCLES),
            "altitude": (2, _UINT16, 5, 500),
            "heart_rate": (3, _UINT8, 1),
            "cadence": (4, _UINT8, 1),
            "distance": (5, _UINT32, 100),
            "speed": (6, _UINT16, 1000),
        },
    ),
    "activity": (
        34,
        {
            "timestamp": (253, _UINT32, 1),
            "total_timer_time": (0, _UINT32, 1000),
            "num_sessions": (1, _UINT16, 1),
        },
    ),
}

#: FIT sport and sub_sport enum values used by the tests.
SPORTS = {"generic": 0, "running": 1, "cycling": 2, "transition": 3, "swimming": 5}
SUB_SPORTS = {"generic": 0, "virtual_activity": 58, "obstacle": 59}

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip


def crc(data: bytes, value: int = 0) -> int:
    """The FIT CRC-16 of ``data`` (the FIT SDK's nibble-wise algorithm)."""
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[value & 0xF]
            value = (value >> 4) & 0x0FFF
            value = value ^ tmp ^ _CRC_TABLE[nibble]
    return value


def fit_time(when: datetime | float) -> int:
    """A FIT date_time: seconds since the FIT epoch (``when`` a datetime or
    a Unix time)."""
    if isinstance(when, datetime):
        return int((when - FIT_EPOCH).total_seconds())
    return int(when - FIT_EPOCH.timestamp())


def _value(name: str, value: object, scale: float, offset: float = 0) -> int:
    if isinstance(value, datetime):
        return fit_time(value)
    if name == "sport":
        return SPORTS[value] if isinstance(value, str) else int(value)
    if name == "sub_sport":
        return SUB_SPORTS[value] if isinstance(value, str) else int(value)
    return round((float(value) + offset) * scale)


def _field(name: str, key: str) -> tuple[int, int, str, float, float]:
    """(field number, base type, struct format, scale, offset) of a field."""
    field_number, (base_type, fmt), scale, *offset = MESSAGES[name][1][key]
    return field_number, base_type, fmt, scale, (offset[0] if offset else 0)


def definition(name: str, keys: list[str], local: int = 0) -> bytes:
    """The definition message of ``name`` with the fields ``keys``, as ``local``."""
    number = MESSAGES[name][0]
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(keys))
    for key in keys:
        field_number, base_type, fmt, _, _ = _field(name, key)
        out += struct.pack("<BBB", field_number, struct.calcsize(fmt), base_type)
    return out


def data(name: str, keys: list[str], values: dict, local: int = 0) -> bytes:
    """A data message of ``name`` (defined with ``keys``) under ``local``."""
    out = bytes([local])
    for key in keys:
        _, _, fmt, scale, offset = _field(name, key)
        out += struct.pack("<" + fmt, _value(key, values[key], scale, offset))
    return out


def message(name: str, **fields: object) -> bytes:
    """A definition message and one data message of ``name``, local 0.
    Fields given as None are left out."""
    keys = [key for key, value in fields.items() if value is not None]
    return definition(name, keys) + data(name, keys, fields)


def rows(name: str, values: list[dict], local: int = 1) -> bytes:
    """One definition of ``name`` (the fields of the first row) and a data
    message for every row, all under ``local``."""
    if not values:
        return b""
    keys = list(values[0])
    return definition(name, keys, local) + b"".join(data(name, keys, row, local) for row in values)


def fit_file(*messages: bytes) -> bytes:
    """A whole FIT file holding ``messages`` (from :func:`message`)."""
    body = b"".join(messages)
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", crc(header))
    content = header + body
    return content + struct.pack("<H", crc(content))


def records(start: datetime, seconds: int, *, step_s: int = 1, speed: float = 3.0) -> list[bytes]:
    """Record messages every ``step_s`` from ``start`` for ``seconds``, at
    ``speed`` m/s (distance cumulative from 0)."""
    return [
        message("record", timestamp=fit_time(start) + t, distance=t * speed)
        for t in range(0, seconds + 1, step_s)
    ]


def run_file(
    start: datetime,
    seconds: int,
    *,
    sport: str | int | None = "running",
    session: dict | None = None,
    activity: dict | None = None,
    step_s: int = 1,
    speed: float = 3.0,
) -> bytes:
    """A one-session activity: file_id, records, then a session (``session``
    overrides or removes its fields; None leaves the session out) and an
    activity message when ``activity`` is given."""
    parts = [message("file_id", type=4, time_created=start)]
    parts += records(start, seconds, step_s=step_s, speed=speed)
    if session is not None:
        fields = {
            "timestamp": fit_time(start) + seconds,
            "start_time": start,
            "sport": sport,
            "total_elapsed_time": seconds,
            "total_timer_time": seconds,
            "total_distance": seconds * speed,
        }
        fields.update(session)
        parts.append(message("session", **fields))
    if activity is not None:
        parts.append(message("activity", timestamp=fit_time(start) + seconds, **activity))
    return fit_file(*parts)
