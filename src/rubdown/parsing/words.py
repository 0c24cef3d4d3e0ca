"""The vocabularies (types, kinds, units), focus areas, notes and names."""

from __future__ import annotations

from rubdown.errors import ParseError
from rubdown.models import KINDS, MASSAGE_TYPES, RUN_TYPES, SELF_CARE_TYPES

from ._text import _compact, _norm, _q

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



# --- focus areas, notes, names -------------------------------------------------

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



#: Where a stored record came from (``gpx:run.gpx``, ``strava:123``): rubdown
#: writes it, but a JSON export carries it back in, so it has a limit too.
MAX_SOURCE_CHARS = 2000
