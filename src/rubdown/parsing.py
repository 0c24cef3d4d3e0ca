"""What the user types → values (``rubdown.formatting`` is the way back).

Pure and stdlib-only: no typer, no rich, no database. It sits on the startup
path of every command, so the heavier stdlib modules (``re``, ``datetime``,
``difflib``, ``decimal``) are imported inside the functions that need them.

Every ``parse_*`` function takes a ``str`` and either returns a value or raises
``ParseError`` (never anything else), whose message is one line naming the bad
value and what is accepted. Patterns use ``re.ASCII`` so only ASCII digits
count as digits.
"""

from __future__ import annotations

from rubdown.errors import ParseError
from rubdown.formatting import (
    METRES_PER_MILE,
    UNIT_METRES,
    format_distance,
    format_duration,
    format_pace,
)
from rubdown.models import KINDS, MASSAGE_TYPES, RUN_TYPES, SELF_CARE_TYPES

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from datetime import date, datetime

__all__ = [
    "ParseError",
    "check_text",
    "currency_marks",
    "fastest_seconds",
    "parse_cost",
    "parse_date",
    "parse_distance",
    "parse_duration",
    "parse_focus",
    "parse_hours",
    "parse_iso_week",
    "parse_kind",
    "parse_leg",
    "parse_massage_type",
    "parse_minutes",
    "parse_name",
    "parse_note",
    "parse_period_days",
    "parse_rpe",
    "parse_run_type",
    "parse_self_care_type",
    "parse_type",
    "parse_units",
    "parse_when",
    "pace_problem",
    "read_when",
]


# --- helpers ---------------------------------------------------------------

_ECHO_MAX = 40


def _q(text: str) -> str:
    """The user's value in single quotes, safe to print on one line.

    Surrounding whitespace is dropped, values over 40 characters are cut with
    an ellipsis, and control/invisible characters are shown as escapes.
    """
    text = text.strip()
    if len(text) > _ECHO_MAX:
        text = text[:_ECHO_MAX] + "…"
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "'" + "".join(out) + "'"


quoted = _q  #: the user's value quoted for a message (for other modules)


def _norm(text: str) -> str:
    """Lower case, surrounding whitespace dropped, inner runs of it made one space."""
    return " ".join(text.split()).lower()


def _match(pattern: str, text: str):
    import re

    return re.fullmatch(pattern, text, re.ASCII)


# A decimal number with a dot or a comma as the decimal separator.
_NUM = r"(?:[0-9]{1,9}(?:[.,][0-9]{0,9})?|[.,][0-9]{1,9})"


def _number(num: str, what: str, text: str) -> float:
    """A ``_NUM`` match as a float; a comma before exactly three digits is ambiguous."""
    whole, sep, frac = num.partition(",")
    if sep and len(frac) == 3:
        raise ParseError(
            f"Ambiguous {what} {_q(text)}: write {whole}{frac} or {whole}.{frac} "
            "(a comma is read as a decimal point, and thousands separators are not accepted)"
        )
    return float(num.replace(",", "."))


def check_text(text: str) -> str:
    """``text`` unchanged when it can be stored: refuses what is not Unicode
    text, such as bytes that were not UTF-8 on the command line (Python keeps
    them as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(
            f"Invalid text {_q(text)}: it is not valid UTF-8; "
            "check the encoding of your terminal or script"
        ) from None
    return text


# --- dates and times ---------------------------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MIN_YEAR = 1900
MAX_YEAR = 2100

_TIME = r"(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2}))?"
_ISO = (
    r"(?P<y>[0-9]{4})-(?P<mo>[0-9]{1,2})-(?P<d>[0-9]{1,2})"
    r"(?:[t ](?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2})(?:\.(?P<frac>[0-9]{1,6}))?)?"
    r" ?(?P<off>z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?"
)
_DAYISH = (
    r"(?:(?P<word>[a-z]+)|(?P<n>[0-9]{1,6}) ?(?P<unit>d|days?|w|wks?|weeks?) ago)"
    r"(?: (?:at )?" + _TIME + r")?"
)
_AGO = r"(?P<n>[0-9]{1,6}) ?(?P<unit>h|hrs?|hours?|m|mins?|minutes?) ago"

_WHEN_HELP = (
    "use 2026-11-21, 2026-11-21 07:30, today, yesterday, a weekday (sat), 3d ago or 3h ago, "
    "optionally followed by a time (yesterday 07:30)"
)


def _weekday(word: str) -> int | None:
    """Monday=0 for a weekday name or any prefix of one at least 3 letters long."""
    if len(word) >= 3:
        for index, name in enumerate(_WEEKDAYS):
            if name.startswith(word):
                return index
    return None


def _clock(m, text: str) -> tuple[int, int, int]:
    if m["hh"] is None:
        return 12, 0, 0
    hh, mm, ss = int(m["hh"]), int(m["mm"]), int(m["ss"] or 0)
    if hh > 23 or mm > 59 or ss > 59:
        raise ParseError(f"Invalid time in {_q(text)}: use HH:MM from 00:00 to 23:59")
    return hh, mm, ss


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ParseError(
            f"Invalid date {_q(text)}: years from {MIN_YEAR} to {MAX_YEAR} are accepted"
        )


def _local(day: date, clock: tuple[int, int, int], text: str) -> tuple[datetime, str | None]:
    """A local wall time as an aware datetime, with the UTC offset in force then,
    and a notice when the clocks skipped that time.

    A time the clocks repeat (the hour after a fall-back change) is its first
    occurrence. A time they skip (inside a spring-forward gap, such as 02:30
    on a night clocks go from 02:00 to 03:00) is read with the offset in
    force before the gap, as RFC 5545 does: it lands as far after the gap
    (03:30), never before it, and the notice says so.
    """
    from datetime import datetime, timedelta, timezone

    _check_year(day.year, text)
    try:
        wall = datetime(day.year, day.month, day.day, *clock)
        local = wall.astimezone()
        notice = None
        if local.replace(tzinfo=None) != wall:  # in a gap
            before = (wall - timedelta(hours=3)).astimezone().utcoffset()
            assert before is not None  # astimezone() gives an aware time
            local = wall.replace(tzinfo=timezone(before)).astimezone()
            notice = (
                f"{wall:%H:%M} did not exist that night (the clocks went forward), "
                f"so it is {local:%H:%M}"
            )
        return local, notice
    except (OverflowError, OSError, ValueError):
        raise ParseError(f"Invalid date {_q(text)}: {_WHEN_HELP}") from None


class When:
    """What a ``--date`` said: the instant, whether a time of day was given,
    and a notice when the time typed did not exist (a spring-forward gap)."""

    __slots__ = ("notice", "start", "timed")

    def __init__(self, start: datetime, *, timed: bool, notice: str | None = None) -> None:
        self.start = start
        self.timed = timed
        self.notice = notice


def _moment(text: str, now: datetime) -> When:
    """The instant ``text`` names, without the future check.

    Instants relative to now (``now``, ``3h ago``) are to the minute, like
    the default time of a record: seconds are dropped.
    """
    from datetime import UTC, date, datetime, timedelta, timezone

    s = _norm(text)
    if now.tzinfo is None:
        now = now.astimezone()

    if s == "now":
        return When(now.astimezone().replace(second=0, microsecond=0), timed=True)

    if m := _match(_AGO, s):
        n = int(m["n"])
        delta = timedelta(hours=n) if m["unit"].startswith("h") else timedelta(minutes=n)
        try:
            result = (now - delta).astimezone()
        except (OverflowError, OSError, ValueError):
            raise ParseError(f"Invalid date {_q(text)}: {_WHEN_HELP}") from None
        _check_year(result.year, text)
        return When(result.replace(second=0, microsecond=0), timed=True)

    if m := _match(_ISO, s):
        year, month, day = int(m["y"]), int(m["mo"]), int(m["d"])
        _check_year(year, text)
        try:
            calendar_day = date(year, month, day)
        except ValueError:
            raise ParseError(f"Invalid date {_q(text)}: there is no such day") from None
        clock = _clock(m, text)
        notice = None
        if m["off"] is None:
            result, notice = _local(calendar_day, clock, text)
        else:
            off = m["off"]
            if off == "z":
                tz = UTC
            else:
                digits = off[1:].replace(":", "")
                oh, om = int(digits[:2]), int(digits[2:] or 0)
                if oh > 23 or om > 59:
                    raise ParseError(
                        f"Invalid UTC offset in {_q(text)}: use Z or +HH:MM/-HH:MM up to 23:59"
                    )
                sign = -1 if off[0] == "-" else 1
                tz = timezone(sign * timedelta(hours=oh, minutes=om))
            result = datetime(year, month, day, *clock, tzinfo=tz)
        if m["frac"]:
            result = result.replace(microsecond=int(m["frac"].ljust(6, "0")))
        return When(result, timed=m["hh"] is not None, notice=notice)

    today = now.astimezone().date()
    if m := _match(_TIME, s):
        result, notice = _local(today, _clock(m, text), text)
        return When(result, timed=True, notice=notice)

    if m := _match(_DAYISH, s):
        word = m["word"]
        if word is None:
            n = int(m["n"])
            days = n * 7 if m["unit"].startswith("w") else n
        elif word == "today":
            days = 0
        elif word == "yesterday":
            days = 1
        elif (weekday := _weekday(word)) is not None:
            days = (today.weekday() - weekday) % 7 or 7
        else:
            days = None
        if days is not None:
            try:
                past = today - timedelta(days=days)
            except OverflowError:
                raise ParseError(
                    f"Invalid date {_q(text)}: years from {MIN_YEAR} to {MAX_YEAR} are accepted"
                ) from None
            result, notice = _local(past, _clock(m, text), text)
            return When(result, timed=m["hh"] is not None, notice=notice)

    raise ParseError(f"Invalid date {_q(text)}: {_WHEN_HELP}")


def read_when(text: str, *, now: datetime) -> When:
    """What ``text`` says about when something happened (see :func:`parse_when`),
    with whether it gave a time of day and any notice about that time."""
    from datetime import timedelta

    found = _moment(text, now)
    if now.tzinfo is None:
        now = now.astimezone()
    if not found.timed and found.start > now and found.start.date() == now.astimezone().date():
        # A date alone is 12:00, but today's 12:00 is not yet: now instead, or
        # a run logged as "today" in the morning would wait for noon to be in
        # the log's totals and in today's report (which never reads past now).
        found.start = now.astimezone().replace(second=0, microsecond=0)
    if found.start - now > timedelta(hours=24):
        shown = found.start.isoformat(sep=" ", timespec="minutes")
        raise ParseError(
            f"Date {_q(text)} is in the future ({shown}); "
            "rubdown logs what happened, up to a day ahead"
        )
    return found


def parse_when(text: str, *, now: datetime) -> datetime:
    """When something happened, as an aware datetime.

    Accepts ``now``; ``today``, ``yesterday``; weekday names or prefixes of at
    least three letters (``sat``, ``thurs``: the most recent such day, today
    excluded); ``3d ago``/``2w ago`` (local calendar days); ``3h ago``/``90m
    ago`` (instants, to the minute); a bare ``HH:MM`` (today); ISO dates and
    date-times, with or without a UTC offset or ``Z``. A date-ish form may be
    followed by ``HH:MM`` (or ``at HH:MM``). A date without a time means 12:00
    local, or now (to the minute) when that is today's 12:00 and it has not
    come yet.

    Local wall times get the system time zone's offset for that date (DST
    aware); an explicit offset is kept as given. More than 24 hours after
    ``now`` is refused.
    """
    return read_when(text, now=now).start


def parse_date(text: str, *, now: datetime) -> date:
    """The calendar date ``text`` names (for ``--since``/``--until``).

    Same forms as :func:`parse_when`. The date is the one as written: local
    for relative forms and plain ISO, the given offset's for ISO with an
    offset. Future dates are not refused here.
    """
    return _moment(text, now).start.date()


# --- distance, duration, minutes ---------------------------------------------

MIN_DISTANCE_M = 100.0
MAX_DISTANCE_M = 1_000_000.0

_DISTANCE_UNITS = {
    "": None,
    "k": 1000.0,
    "km": 1000.0,
    "kms": 1000.0,
    "kilometre": 1000.0,
    "kilometres": 1000.0,
    "kilometer": 1000.0,
    "kilometers": 1000.0,
    "mi": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
    "m": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "meter": 1.0,
    "meters": 1.0,
}
_RACE_DISTANCES = {"marathon": 42195.0, "half": 21097.5, "halfmarathon": 21097.5}

_DISTANCE_HELP = "use a number with an optional unit, e.g. 10.5mi, 17 km, 5000m, 26.2"


def parse_distance(text: str, *, unit: str = "km") -> float:
    """A distance in metres.

    ``10.5mi``, ``17 km``, ``17k``, ``5000m``, unit words (``miles``,
    ``kilometres``, ``meters``...), ``marathon``, ``half``/``half-marathon``;
    a bare number is in ``unit`` (``km`` or ``mi``). A comma works as a
    decimal point (``10,5km``). From 100 m to 1000 km: less is not a run,
    and is most often miles typed as ``6m`` (``m`` is metres).
    """
    per_bare_unit = UNIT_METRES[unit]
    s = _norm(text)
    race = s.replace("-", "").replace(" ", "")
    if race in _RACE_DISTANCES:
        return _RACE_DISTANCES[race]
    m = _match(r"(?P<sign>[+-]?) ?(?P<num>" + _NUM + r") ?(?P<unit>[a-z]*)", s)
    if m is None or m["unit"] not in _DISTANCE_UNITS:
        raise ParseError(f"Invalid distance {_q(text)}: {_DISTANCE_HELP}")
    factor = _DISTANCE_UNITS[m["unit"]] or per_bare_unit
    metres = _number(m["num"], "distance", text) * factor
    if m["sign"] == "-" or metres <= 0:
        raise ParseError(f"Invalid distance {_q(text)}: it must be more than 0")
    if metres > MAX_DISTANCE_M:
        raise ParseError(f"Invalid distance {_q(text)}: at most 1000 km is accepted")
    if metres < MIN_DISTANCE_M:
        hint = ""
        if m["unit"] == "m":
            hint = f" ({_q(text)} is metres; write {m['num']}mi for miles)"
        raise ParseError(
            f"Invalid distance {_q(text)}: {metres:g} m is less than the "
            f"{MIN_DISTANCE_M:g} m a run needs{hint}"
        )
    return metres


MAX_DURATION_S = 100 * 3600
_DURATION_UNITS = {
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip

_DURATION_HELP = "use h:mm:ss, mm:ss, 95m, 1h35m, 1.5h, 45s or a bare number of minutes"


def _duration_seconds(text: str) -> float:
    """Seconds as a float; raises ParseError naming a duration."""
    import re

    s = _norm(text)
    bad = ParseError(f"Invalid duration {_q(text)}: {_DURATION_HELP}")
    if _match(r"- ?[0-9.,].*", s):
        raise ParseError(f"Invalid duration {_q(text)}: it must be more than 0")

    if m := _match(r"([0-9]{1,6}):([0-9]{2})(?::([0-9]{2}))?", s):
        fields = [int(g) for g in m.groups() if g is not None]
        if any(f > 59 for f in fields[1:]):
            raise ParseError(
                f"Invalid duration {_q(text)}: minutes and seconds after a colon must be 00 to 59"
            )
        if len(fields) == 2:
            return fields[0] * 60 + fields[1]
        return fields[0] * 3600 + fields[1] * 60 + fields[2]

    # Number-and-unit parts in descending order: 1h35m, 1h 35m 10s, 1.5h, 95 min.
    # A trailing bare number takes the next smaller unit (1h35 = 1h35m);
    # a lone bare number is minutes.
    parts = []
    end = 0
    for m in re.finditer(r" ?(" + _NUM + r") ?([a-z]*)", s, re.ASCII):
        if m.start() != end:
            raise bad
        parts.append(m.groups())
        end = m.end()
    if not parts or end != len(s):
        raise bad
    total = 0.0
    previous = 3600 * 60  # larger than any unit
    for index, (num, word) in enumerate(parts):
        if word:
            factor = _DURATION_UNITS.get(word)
        elif index == len(parts) - 1:
            factor = 60 if previous > 3600 else previous // 60 or None
        else:
            factor = None
        if factor is None or factor >= previous:
            raise bad
        total += _number(num, "duration", text) * factor
        previous = factor
    return total


def _whole_units(value: float, unit: float) -> int | None:
    """``value / unit`` when it is a whole number (within float noise), else None."""
    count = round(value / unit)
    return count if abs(value - count * unit) < 1e-6 * max(unit, 1) else None


def parse_duration(text: str) -> int:
    """A duration in whole seconds, from 1 s to 100 hours.

    ``1:32:10`` (h:mm:ss), ``58:30`` (mm:ss), ``95m``, ``95 min``, ``1h35m``,
    ``1h 35m``, ``1h35``, ``1.5h``, ``45s``, ``1h2m3s``; a bare number is
    minutes (``90``, ``90.5``). Seconds are what is stored, so a value with a
    fraction of a second (``45.5s``) is refused rather than rounded, as a
    cost with a fraction of a cent is.
    """
    raw = _duration_seconds(text)
    if raw <= 0:
        raise ParseError(f"Invalid duration {_q(text)}: it must be more than 0")
    seconds = _whole_units(raw, 1)
    if seconds is None:
        raise ParseError(
            f"Invalid duration {_q(text)}: use whole seconds "
            "(a time is stored to the second)"
        )
    if seconds > MAX_DURATION_S:
        raise ParseError(f"Invalid duration {_q(text)}: at most 100 hours is accepted")
    return seconds


MAX_MINUTES = 1440


def parse_minutes(text: str) -> int:
    """Whole minutes from 1 to 1440, for massage and self-care sessions.

    A bare number is minutes; any :func:`parse_duration` form is accepted too
    (``1h30m``, ``1.5h``) when it is a whole number of minutes. A fraction of a
    minute (``1.5``, ``90s``) is refused, never rounded: minutes are what is
    stored, as cents are for a cost.
    """
    message = (
        f"Invalid minutes {_q(text)}: use a whole number of minutes from 1 to {MAX_MINUTES} "
        "or a duration like 1h30m"
    )
    try:
        seconds = parse_duration(text)
    except ParseError:
        raise ParseError(message) from None
    minutes = _whole_units(seconds, 60)
    if minutes is None:
        raise ParseError(
            f"Invalid minutes {_q(text)}: use whole minutes from 1 to {MAX_MINUTES} "
            "(minutes are stored whole)"
        )
    if not 1 <= minutes <= MAX_MINUTES:
        raise ParseError(message)
    return minutes


# Men's world records (outdoor track and road, 2025), distance in metres ->
# time in seconds: the fastest anyone has covered each distance.
_WORLD_RECORDS = (
    (100, 9.58), (200, 19.19), (400, 43.03), (800, 100.91), (1000, 131.96),
    (1500, 206.0), (1609.344, 223.13), (3000, 437.55), (5000, 755.36),
    (10000, 1571.0), (21097.5, 3402.0), (42195, 7235.0), (100_000, 21941.0),
    (319_614, 86400.0), (1_036_800, 518_400.0),
)  # fmt: skip
#: A run is refused when it is this much faster than the world record for its
#: distance (its speed more than 10% above the record's).
PACE_MARGIN = 1.10
#: ... or slower than 1 km an hour (60:00/km): slower than any walk.
SLOWEST_S_PER_KM = 3600.0


def fastest_seconds(distance_m: float) -> float:
    """The shortest time accepted for ``distance_m``: the world record for that
    distance, interpolated between records on log-log axes (pace held beyond
    the first and last), less the margin."""
    import math

    first_d, first_t = _WORLD_RECORDS[0]
    if distance_m <= first_d:
        return first_t * distance_m / first_d / PACE_MARGIN
    for (d0, t0), (d1, t1) in zip(_WORLD_RECORDS, _WORLD_RECORDS[1:], strict=False):
        if distance_m <= d1:
            share = math.log(distance_m / d0) / math.log(d1 / d0)
            return math.exp(math.log(t0) + share * math.log(t1 / t0)) / PACE_MARGIN
    last_d, last_t = _WORLD_RECORDS[-1]
    return last_t * distance_m / last_d / PACE_MARGIN


def pace_problem(
    distance_m: float | None, duration_s: float | None, *, unit: str = "km"
) -> str | None:
    """Why a run of ``distance_m`` in ``duration_s`` cannot be true, or None.

    A run faster than the world record for its distance by more than 10%, or
    slower than 1 km an hour, is a typing mistake (``6m`` is 6 metres, ``45s``
    45 seconds) or a mix-up of the two values. Nothing to check unless both
    are known. The same check for every path that stores a run: log, edit and
    import.
    """
    import math

    if not distance_m or not duration_s or distance_m <= 0 or duration_s <= 0:
        return None
    shown = (
        f"{distance_m:.0f} m" if distance_m < 1000 else format_distance(distance_m, unit)
    )
    run = f"{shown} in {format_duration(duration_s)} ({format_pace(distance_m, duration_s, unit)})"
    fastest = fastest_seconds(distance_m)
    if duration_s < fastest:
        return (
            f"{run} beats the world record for {shown} by more than 10%: "
            f"at least {format_duration(math.ceil(fastest))} is accepted"
        )
    if duration_s * 1000 / distance_m > SLOWEST_S_PER_KM:
        return f"{run} is slower than 1 km an hour, slower than any walk"
    return None


# --- small whole numbers -------------------------------------------------------


def _whole(text: str, low: int, high: int) -> int | None:
    s = text.strip()
    if _match(r"[0-9]{1,4}", s) and low <= int(s) <= high:
        return int(s)
    return None


def parse_rpe(text: str) -> int:
    """Rate of perceived exertion: a whole number from 0 to 10."""
    value = _whole(text, 0, 10)
    if value is None:
        raise ParseError(
            f"Invalid RPE {_q(text)}: use a whole number from 0 (rest) to 10 (maximal effort)"
        )
    return value


def parse_leg(text: str) -> int:
    """A relay leg number: a whole number from 1 to 99."""
    value = _whole(text, 1, 99)
    if value is None:
        raise ParseError(f"Invalid leg {_q(text)}: use a whole number from 1 to 99")
    return value


# --- vocabularies ------------------------------------------------------------

_RUN_ALIASES = {"interval": "intervals", "racing": "race", "races": "race"}
_MASSAGE_ALIASES = {"sport": "sports"}
_SELF_CARE_ALIASES = {
    "foam-roller": "foam-roll",
    "foam-rolling": "foam-roll",
    "rolling": "foam-roll",
    "roll": "foam-roll",
    "roller": "foam-roll",
    "stretching": "stretch",
    "stretches": "stretch",
}
_KIND_ALIASES = {"runs": "run", "massages": "massage", "self-cares": "self-care"}


def _compact(text: str) -> str:
    """Lower case with spaces, underscores and hyphens removed: 'Deep_Tissue' → 'deeptissue'."""
    return "".join(text.lower().replace("_", " ").replace("-", " ").split())


def _choose(
    text: str,
    vocab: tuple[str, ...],
    aliases: dict[str, str],
    what: str,
    plural: str,
    suffix: str = "",
) -> str:
    """The vocabulary word ``text`` names, or a ParseError listing them all.

    Matching ignores case, spaces, underscores and hyphens; an optional
    trailing ``suffix`` word is dropped ("long run", "sports massage").
    """
    table = {_compact(word): word for word in vocab}
    table.update({_compact(alias): word for alias, word in aliases.items()})
    key = _compact(text)
    if key in table:
        return table[key]
    if suffix and key.endswith(suffix) and key[: -len(suffix)] in table:
        return table[key[: -len(suffix)]]

    suggestion = None
    probe = key[:60]
    if len(probe) >= 2:
        suggestion = next(
            (table[k] for k in table if k.startswith(probe) or probe.startswith(k)), None
        )
        if suggestion is None:
            import difflib

            close = difflib.get_close_matches(probe, list(table), n=1, cutoff=0.6)
            suggestion = table[close[0]] if close else None
    hint = f" Did you mean '{suggestion}'?" if suggestion else ""
    raise ParseError(f"Unknown {what} {_q(text)}.{hint} {plural}: {', '.join(vocab)}")


def parse_run_type(text: str) -> str:
    """One of ``easy``, ``long``, ``tempo``, ``intervals``, ``race``, ``relay``."""
    return _choose(text, RUN_TYPES, _RUN_ALIASES, "run type", "Types", suffix="run")


def parse_massage_type(text: str) -> str:
    """One of ``swedish``, ``deep-tissue``, ``hot-stone``, ``thai``, ``sports``."""
    return _choose(text, MASSAGE_TYPES, _MASSAGE_ALIASES, "massage type", "Types", "massage")


def parse_self_care_type(text: str) -> str:
    """One of ``foam-roll``, ``stretch``, ``yoga``, ``other``."""
    return _choose(text, SELF_CARE_TYPES, _SELF_CARE_ALIASES, "self-care type", "Types")


def parse_type(kind: str, text: str) -> str:
    """The type of a record of ``kind`` (``run``, ``massage``, ``self-care``),
    read as ``--type`` reads it: the one reading of each vocabulary, for
    options, the config file and imported records alike."""
    parse = {
        "run": parse_run_type,
        "massage": parse_massage_type,
        "self-care": parse_self_care_type,
    }[kind]
    return parse(text)


def parse_kind(text: str) -> str:
    """One of ``run``, ``massage``, ``self-care`` (plurals and ``selfcare`` too)."""
    return _choose(text, KINDS, _KIND_ALIASES, "kind", "Kinds")


def parse_units(text: str) -> str:
    """``km`` or ``mi`` from ``km``, ``k``, ``kilometres``, ``mi``, ``miles``..."""
    words = {
        "km": "km", "k": "km", "kms": "km", "kilometre": "km", "kilometres": "km",
        "kilometer": "km", "kilometers": "km", "metric": "km",
        "mi": "mi", "mile": "mi", "miles": "mi", "imperial": "mi",
    }  # fmt: skip
    unit = words.get(_norm(text))
    if unit is None:
        raise ParseError(f"Unknown units {_q(text)}: use km or mi")
    return unit


# --- money, focus, notes, cadence --------------------------------------------

MAX_COST_CENTS = 1_000_000 * 100
_SYMBOLS = "$€£¥₹₩₽₺₪₫₱₦₴₸₡"
_CURRENCY = r"(?:[" + _SYMBOLS + r"]|[a-z]{3})"
_COST = (
    r"(?P<s1>[+-])? ?(?:(?P<c1>" + _CURRENCY + r") ?)?(?P<s2>[+-])? ?"
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]{0,9}|[0-9]{1,12}(?:[.,][0-9]{0,9})?|[.,][0-9]{1,9})"
    r"(?: ?(?P<c2>" + _CURRENCY + r"))?"
)
_COST_HELP = "use an amount like 85, 85.50, 85,50 or 1,234.50"
# The symbol of each currency code that has one of its own (the dollars, pesos
# and yen/yuan share theirs).
_CURRENCY_SYMBOLS = {
    "USD": "$", "CAD": "$", "AUD": "$", "NZD": "$", "HKD": "$", "SGD": "$", "MXN": "$",
    "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹", "KRW": "₩", "RUB": "₽",
    "TRY": "₺", "ILS": "₪", "VND": "₫", "PHP": "₱", "NGN": "₦", "UAH": "₴", "KZT": "₸",
    "CRC": "₡",
}  # fmt: skip


def currency_marks(currency: str) -> tuple[str, ...]:
    """What may stand beside an amount in ``currency`` (a configured code such
    as ``USD``, or a symbol): the code itself and its symbol, in lower case."""
    code = currency.strip().upper()
    marks = {code.lower()}
    if code in _CURRENCY_SYMBOLS:
        marks.add(_CURRENCY_SYMBOLS[code])
    marks.update(c.lower() for c, symbol in _CURRENCY_SYMBOLS.items() if symbol == currency)
    return tuple(sorted(marks))


def parse_cost(text: str, *, currency: str = "USD") -> int:
    """An amount in integer cents: ``85``, ``85.5``, ``$85``, ``85 USD``, ``85,50``.

    The amount is in the configured ``currency``; its code or symbol may stand
    before or after the amount (``$85``, ``85 usd`` for USD). Another currency
    (``€85`` with USD) is refused: rubdown converts nothing and would otherwise
    store 85 of the wrong money. Thousands separators are accepted only with a
    decimal point (``1,234.50``); ``85,50`` is 85.50 and ``1,234`` is refused as
    ambiguous. At most two decimals, 0 to 1,000,000.
    """
    from decimal import Decimal

    m = _match(_COST, _norm(text))
    if m is None or (m["c1"] and m["c2"]) or (m["s1"] and m["s2"]):
        raise ParseError(f"Invalid cost {_q(text)}: {_COST_HELP}")
    mark = m["c1"] or m["c2"]
    if mark and mark not in currency_marks(currency):
        symbol = _CURRENCY_SYMBOLS.get(currency.strip().upper())
        example = f" or {symbol}{m['num']}" if symbol else ""
        raise ParseError(
            f"Invalid cost {_q(text)}: costs are in {currency} (the configured currency); "
            f"write {m['num']}{example}; rubdown converts no currency"
        )
    num = m["num"]
    if "." in num:
        num = num.replace(",", "")
    else:
        whole, sep, frac = num.partition(",")
        if sep and len(frac) == 3:
            raise ParseError(
                f"Ambiguous cost {_q(text)}: write {whole}{frac} or {whole},{frac}.00 "
                "(a comma alone is read as a decimal point)"
            )
        num = num.replace(",", ".")
    amount = Decimal(num)
    if "-" in (m["s1"], m["s2"]) and amount != 0:
        raise ParseError(f"Invalid cost {_q(text)}: it cannot be negative")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ParseError(f"Invalid cost {_q(text)}: use at most 2 decimals")
    if cents > MAX_COST_CENTS:
        raise ParseError(f"Invalid cost {_q(text)}: at most 1,000,000 is accepted")
    return int(cents)


MAX_FOCUS_AREAS = 20
MAX_FOCUS_CHARS = 40


def parse_focus(text: str) -> tuple[str, ...]:
    """Comma-separated focus areas, e.g. ``calves, left hamstring``.

    Each area has surrounding whitespace removed and inner whitespace runs
    made one space; empty areas are dropped; a repeat (ignoring case) is
    dropped, keeping the first spelling. At most 20 areas of 40 characters.
    """
    areas: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        area = " ".join(part.split())
        if not area or area.casefold() in seen:
            continue
        if len(area) > MAX_FOCUS_CHARS:
            raise ParseError(
                f"Focus area {_q(area)} is too long ({len(area)} characters); "
                f"the limit is {MAX_FOCUS_CHARS}"
            )
        seen.add(area.casefold())
        areas.append(area)
    if len(areas) > MAX_FOCUS_AREAS:
        raise ParseError(
            f"Too many focus areas ({len(areas)}) in {_q(text)}; the limit is {MAX_FOCUS_AREAS}"
        )
    return tuple(areas)


MAX_NOTE_CHARS = 2000


def parse_note(text: str) -> str:
    """A note: surrounding whitespace removed, everything else kept as typed."""
    note = text.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ParseError(
            f"Note {_q(note)} is too long ({len(note)} characters); the limit is {MAX_NOTE_CHARS}"
        )
    return note


MAX_NAME_CHARS = 200


def parse_name(text: str) -> str:
    """A name (an event's, a person's): surrounding whitespace removed, kept as typed."""
    name = text.strip()
    if not name:
        raise ParseError("A name cannot be empty; leave the option out instead")
    if len(name) > MAX_NAME_CHARS:
        raise ParseError(
            f"Name {_q(name)} is too long ({len(name)} characters); the limit is {MAX_NAME_CHARS}"
        )
    return name


# --- one record's values, whatever path they came by -----------------------

#: Where a stored record came from (``gpx:run.gpx``, ``strava:123``): rubdown
#: writes it, but a JSON export carries it back in, so it has a limit too.
MAX_SOURCE_CHARS = 2000
#: A record may start at most this long after now (as ``parse_when`` allows).
FUTURE_LIMIT_S = 24 * 3600


def parse_hours(text: str) -> float:
    """A window in hours, 1 to 1440: ``72``, ``48h``, ``36.5 hours``, ``3d``."""
    s = _norm(text)
    m = _match(r"([0-9]{1,5}(?:\.[0-9]{1,3})?) ?(h|hr|hrs|hour|hours|d|day|days)?", s)
    hours = None
    if m:
        hours = float(m[1]) * (24 if (m[2] or "h").startswith("d") else 1)
    if hours is None or not 1 <= hours <= 1440:
        raise ParseError(
            f"Invalid window {_q(text)}: use hours from 1 to 1440, e.g. 72, 48h or 3d"
        )
    return hours


def parse_iso_week(text: str) -> str:
    """An ISO week label such as ``2026-W47`` (normalised to upper case)."""
    s = _norm(text).upper()
    m = _match(r"([0-9]{4})-?W([0-9]{1,2})", s)
    if m:
        from datetime import date

        year, week = int(m[1]), int(m[2])
        try:
            if MIN_YEAR <= year <= MAX_YEAR:
                date.fromisocalendar(year, week, 1)
                return f"{year}-W{week:02d}"
        except ValueError:
            pass
    raise ParseError(f"Invalid week {_q(text)}: use an ISO week such as 2026-W47")


_PERIOD_WORDS = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "fortnightly": 14,
    "monthly": 30,
}
_PERIOD_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7,
                 "week": 7, "weeks": 7, "mo": 30, "month": 30, "months": 30}  # fmt: skip


def parse_period_days(text: str) -> int:
    """A massage cadence in days, 1 to 366.

    ``7d``, ``14 days``, ``2w``, ``1 month`` (30 days), or ``daily``,
    ``weekly``, ``biweekly``/``bi-weekly``/``fortnightly`` (every 14 days),
    ``monthly`` (30). ``every`` may come first: ``every 2 weeks``, ``every
    week``. A bare number is refused: ``14`` could be days or weeks, so it
    must say which.
    """
    s = _norm(text)
    every = _match(r"every (.+)", s)
    if every:  # "every 2 weeks", "every week" (not "every weekly")
        s = every[1]
        days = _PERIOD_UNITS.get(s)
    else:
        days = _PERIOD_WORDS.get(_compact(s))
    if days is None and (m := _match(r"([0-9]{1,4}) ?([a-z]*)", s)):
        if not m[2]:
            n = int(m[1])
            ways = [f"{n}{unit}" for unit, per in (("d", 1), ("w", 7)) if 1 <= n * per <= 366]
            raise ParseError(
                f"Invalid period {_q(text)}: say days or weeks, e.g. {' or '.join(ways)}"
                if ways
                else f"Invalid period {_q(text)}: use 1 to 366 days, e.g. 14d or 2w"
            )
        per = _PERIOD_UNITS.get(m[2])
        days = None if per is None else int(m[1]) * per
    if days is None or not 1 <= days <= 366:
        raise ParseError(
            f"Invalid period {_q(text)}: use 7d, 2w, 4w, 30d, weekly, biweekly (every 2 weeks), "
            "fortnightly or monthly (1 to 366 days)"
        )
    return days
