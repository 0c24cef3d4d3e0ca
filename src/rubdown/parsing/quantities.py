"""Distances, durations, minutes, the pace rule, RPE and legs, and costs."""

from __future__ import annotations

from rubdown.errors import ParseError
from rubdown.formatting import (
    METRES_PER_MILE,
    UNIT_METRES,
    format_distance,
    format_duration,
    format_pace,
)

from ._text import _NUM, _match, _norm, _number, _q

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


# --- money ---------------------------------------------------------------------

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


# --- a budget and a ledger account ----------------------------------------------

BUDGET_PERIODS = ("month", "week")
BUDGET_HELP = ('an amount in the configured currency per month or per week, such as '
               '"120/month" or "30.50/week" (up to 2 decimals, more than 0)')  # fmt: skip


def parse_budget(text: str) -> tuple[int, str]:
    """A recovery budget, ``"120/month"`` or ``"30/week"``: (integer cents,
    ``"month"`` or ``"week"``). The amount is a plain positive number with at
    most two decimals (no currency: the configured one is meant); the period
    is said in full (a fortnight or a year is not a period rubdown budgets)."""
    m = _match(r"(?P<num>[0-9]{1,7}(?:\.[0-9]{1,2})?) ?/ ?(?P<per>month|week)", _norm(text))
    if m is None:
        raise ParseError(f"Invalid budget {_q(text)}: use {BUDGET_HELP}")
    whole, _, frac = m["num"].partition(".")
    cents = int(whole) * 100 + int(frac.ljust(2, "0") or 0)
    if not 0 < cents <= MAX_COST_CENTS:
        raise ParseError(f"Invalid budget {_q(text)}: use {BUDGET_HELP}")
    return cents, m["per"]


def parse_account(text: str) -> str:
    """A ledger account name (``expenses:health:massage``) as hledger and
    ledger read one: parts joined by ``:``, none empty; no tab, no two
    spaces in a row (they end an account name), no ``;`` (a comment), no
    control character, no surrounding space."""
    name = text.strip()
    parts = name.split(":")
    if (
        not name
        or len(name) > 200
        or not name.isprintable()
        or "  " in name
        or ";" in name
        or any(not part.strip() or part != part.strip() for part in parts)
    ):
        raise ParseError(f"Invalid account {_q(text)}: use {ACCOUNT_HELP}")
    return name


ACCOUNT_HELP = ('an account name such as "expenses:health:massage": parts joined by ":", '
                'none empty, without ";", tabs or two spaces in a row')  # fmt: skip
