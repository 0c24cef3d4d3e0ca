"""A FIT file read for its summary only: what ``fit.parse_fit`` needs, fast.

A watch recording every second writes an hour as ~3,600 record messages;
decoding each with fitdecode costs ~140 ms a file. rubdown needs only a few
values: the session, lap, sport and activity messages' sport and times, and
each record's timestamp and distance (to check the summary against). This
reader walks the messages by the sizes their definitions give, unpacks those
few fields with one precompiled struct per definition, and skips everything
else unread. The values are the ones fitdecode gives with ``processor=None``
(the declared base type, its "invalid" value as None, the profile's scale,
an enum as its name), so ``fit.parse_fit`` sums them up with the same code.

Anything this reader does not handle exactly as fitdecode does makes it
answer None, and the caller decodes the whole file with fitdecode (and its
recovery path): a header other than 12 or 14 bytes, a bad header or file
CRC, a size that does not add up, chained files or trailing bytes, a
compressed timestamp header, developer fields, a data message of an
undefined local type, a wanted field of an unusual type or size, repeated
or compressed distance fields, and a file without a session.
"""

from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

#: Base types a wanted field may have: struct code, the value that means
#: "invalid" (None), as fitdecode's ``types.BASE_TYPES`` declares them.
_NUMERIC: dict[int, tuple[str, float | None]] = {
    0x00: ("B", 0xFF),  # enum
    0x01: ("b", 0x7F),  # sint8
    0x02: ("B", 0xFF),  # uint8
    0x83: ("h", 0x7FFF),  # sint16
    0x84: ("H", 0xFFFF),  # uint16
    0x85: ("i", 0x7FFFFFFF),  # sint32
    0x86: ("I", 0xFFFFFFFF),  # uint32
    0x88: ("f", None),  # float32: NaN is invalid
    0x89: ("d", None),  # float64
    0x0A: ("B", 0),  # uint8z
    0x8B: ("H", 0),  # uint16z
    0x8C: ("I", 0),  # uint32z
    0x8E: ("q", 0x7FFFFFFFFFFFFFFF),  # sint64
    0x8F: ("Q", 0xFFFFFFFFFFFFFFFF),  # uint64
    0x90: ("Q", 0),  # uint64z
}
_KNOWN_BASE_TYPES = {*_NUMERIC, 0x07, 0x0D}  # and string, byte

_RECORD = 20
#: Messages whose fields are read, by global number: {field number: (name,
#: scale)}. Every other message is skipped by its size.
_WANTED: dict[int, dict[int, tuple[str, int | None]]] = {
    _RECORD: {253: ("timestamp", None), 5: ("distance", 100)},
    18: {  # session
        2: ("start_time", None),
        5: ("sport", None),
        7: ("total_elapsed_time", 1000),
        8: ("total_timer_time", 1000),
        9: ("total_distance", 100),
    },
    19: {25: ("sport", None)},  # lap
    12: {0: ("sport", None)},  # sport
    34: {0: ("total_timer_time", 1000)},  # activity
}
#: The fields of a record message read (as :func:`_value` would, inline).
_TIME_AND_DISTANCE = ("timestamp", "distance")
#: Message names as fitdecode's profile gives them.
_NAMES = {18: "session", 19: "lap", 12: "sport", 34: "activity"}
#: Fields whose presence in a message means fitdecode would give a wanted
#: value another way (record.compressed_speed_distance expands to distance).
_AWKWARD = {_RECORD: {8}}
#: Developer data messages (developer_data_id, field_description): fitdecode
#: checks them against each other; left to it.
_DEVELOPER = {206, 207}


@dataclass
class Summary:
    """The raw values of a FIT file as ``fit.parse_fit`` reads them:
    ``records`` gets each record's (timestamp, distance); ``messages``
    holds every session, lap, sport and activity message as
    ``(name, {field: value})`` in the file's order; ``count`` is the number
    of data messages."""

    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    count: int = 0


class _Layout:
    """One definition: its global number, data size, and how to read the
    wanted fields (None when the message is skipped)."""

    __slots__ = ("global_num", "size", "unpack", "names", "fixes")

    def __init__(
        self,
        global_num: int,
        size: int,
        unpack: Callable[[bytes, int], tuple[Any, ...]] | None,
        names: tuple[str, ...],
        fixes: tuple[tuple[float | None, int | None, dict | None], ...],
    ) -> None:
        self.global_num = global_num
        self.size = size
        self.unpack = unpack
        self.names = names
        self.fixes = fixes


class _Unusual(Exception):
    """Something this reader leaves to the full decoder."""


_sport_names: dict[int, str] | None = None


def _sports() -> dict[int, str]:
    """FIT sport numbers to names, from fitdecode's profile (loaded once)."""
    global _sport_names
    if _sport_names is None:
        from fitdecode import profile

        _sport_names = dict(profile.MESSAGE_TYPES[18].fields[5].type.enum)
    return _sport_names


def _layout(data: bytes, pos: int, end: int, header: int) -> tuple[_Layout, int]:
    """The definition message at ``pos`` (after its header byte) and where
    the next message begins."""
    if header & 0x20 or pos + 5 > end:
        raise _Unusual("developer fields or a cut definition")
    order = ">" if data[pos + 1] else "<"
    (global_num,) = struct.unpack_from(order + "H", data, pos + 2)
    count = data[pos + 4]
    pos += 5
    if pos + 3 * count > end:
        raise _Unusual("cut definition")
    wanted = _WANTED.get(global_num, {})
    awkward = _AWKWARD.get(global_num, set())
    fmt = order
    names: list[str] = []
    fixes: list[tuple[float | None, int | None, dict | None]] = []
    size = 0
    for i in range(count):
        number, field_size, base_type = data[pos + 3 * i : pos + 3 * i + 3]
        if field_size == 0 or base_type not in _KNOWN_BASE_TYPES or number in awkward:
            raise _Unusual("field of no size, unknown type or compressed")
        size += field_size
        if number not in wanted:
            fmt += f"{field_size}x"
            continue
        name, scale = wanted[number]
        if name in names or base_type not in _NUMERIC:
            raise _Unusual("repeated field or field of a non-numeric type")
        code, invalid = _NUMERIC[base_type]
        if struct.calcsize(code) != field_size:
            raise _Unusual("array field")
        fmt += code
        names.append(name)
        fixes.append((invalid, scale, _sports() if name == "sport" else None))
    unpack = struct.Struct(fmt).unpack_from if names else None
    return _Layout(global_num, size, unpack, tuple(names), tuple(fixes)), pos + 3 * count


def _value(raw: Any, invalid: float | None, scale: int | None, enum: dict | None) -> Any:
    """A raw field as fitdecode gives it: None when invalid, an enum by its
    name, scaled."""
    if raw == invalid or raw != raw:  # raw != raw: NaN
        return None
    if enum is not None:
        return enum.get(raw, raw)
    return float(raw) / scale if scale else raw


def read_summary(data: bytes, add_record: Callable[[object, object], None]) -> Summary | None:
    """The summary of the FIT file ``data``, each record handed to
    ``add_record(timestamp, distance)``; None when the file needs the full
    decoder (then ``add_record`` may have been called: start over)."""
    try:
        return _read(data, add_record)
    except (_Unusual, struct.error, IndexError):
        return None


def _read(data: bytes, add_record: Callable[[object, object], None]) -> Summary | None:
    if len(data) < 14:
        return None
    header_size = data[0]
    if header_size not in (12, 14) or data[8:12] != b".FIT":
        return None
    (body,) = struct.unpack_from("<I", data, 4)
    end = header_size + body
    if end + 2 != len(data):
        return None  # cut, chained or followed by something: the full decoder says
    if header_size == 14:
        (header_crc,) = struct.unpack_from("<H", data, 12)
        if header_crc and crc16(data[:12]) != header_crc:
            return None
    if crc16(data[:end]) != struct.unpack_from("<H", data, end)[0]:
        return None
    summary = Summary()
    layouts: dict[int, _Layout] = {}
    pos = header_size
    count = 0
    while pos < end:
        header = data[pos]
        pos += 1
        if header & 0x80:
            return None  # compressed timestamp: left to fitdecode
        if header & 0x40:
            layouts[header & 0x0F], pos = _layout(data, pos, end, header)
            continue
        if header & 0x20:
            return None
        layout = layouts.get(header & 0x0F)
        if layout is None or pos + layout.size > end:
            return None
        count += 1
        if layout.names == _TIME_AND_DISTANCE:  # a record as watches write it: the hot path
            time, distance = layout.unpack(data, pos)  # type: ignore[misc]
            add_record(
                None if time == layout.fixes[0][0] or time != time else time,
                None
                if distance == layout.fixes[1][0] or distance != distance
                else float(distance) / 100,
            )
        elif layout.unpack is not None:
            raw = layout.unpack(data, pos)
            values = {
                name: _value(value, *fix)
                for name, value, fix in zip(layout.names, raw, layout.fixes, strict=True)
            }
            if layout.global_num == _RECORD:
                add_record(values.get("timestamp"), values.get("distance"))
            else:
                summary.messages.append((_NAMES[layout.global_num], values))
        elif layout.global_num == _RECORD:
            add_record(None, None)
        elif layout.global_num in _DEVELOPER:
            return None
        pos += layout.size
    if pos != end:
        return None
    summary.count = count
    if not any(name == "session" for name, _ in summary.messages):
        return None  # no summary to read: the records are all there is
    return summary


# -- the FIT CRC ------------------------------------------------------------------

_crc_pairs: list[int] | None = None


def _byte_table() -> list[int]:
    """CRC-16/ARC (poly 0xA001 reflected, which the FIT SDK's nibble-wise
    CRC computes) of every byte."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


def crc16(data: bytes, crc: int = 0) -> int:
    """The FIT CRC of ``data``, two bytes a step (a 65,536-entry table
    built once a process: a 16-bit CRC takes two bytes in one lookup)."""
    global _crc_pairs
    if _crc_pairs is None:
        low = _byte_table()
        _crc_pairs = [
            (low[x & 0xFF] >> 8) ^ low[((x >> 8) ^ low[x & 0xFF]) & 0xFF] for x in range(65536)
        ]
    pairs = _crc_pairs
    words = array("H")
    even = len(data) & ~1
    words.frombytes(data[:even])
    if sys.byteorder == "big":
        words.byteswap()
    for word in words:
        crc = pairs[crc ^ word]
    if even != len(data):
        crc = (crc >> 8) ^ _byte_table()[(crc ^ data[-1]) & 0xFF]
    return crc
