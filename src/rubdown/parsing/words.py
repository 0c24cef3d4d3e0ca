"""The vocabularies (types, kinds, units), focus areas, notes and names."""

from __future__ import annotations

from rubdown.errors import ParseError
from rubdown.models import (
    BODY_AREAS,
    CHECK_IN,
    KINDS,
    MASSAGE_TYPES,
    RUN_TYPES,
    SELF_CARE_TYPES,
)

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


# Other spellings of a body area, by their compact form (no case, spaces,
# hyphens or underscores); each canonical area's own form and its singular
# (``calve`` aside) are added below.
_AREA_ALIASES = {
    "calf": "calves", "foot": "feet", "quadriceps": "quads", "quadricep": "quads",
    "itb": "it-band", "iliotibialband": "it-band", "hipflexor": "hip-flexors",
    "lowback": "lower-back", "upperbacks": "upper-back", "achillestendon": "achilles",
    "adductor": "adductors", "groin": "adductors", "butt": "glutes", "glute": "glutes",
}  # fmt: skip
_AREAS = {_compact(area): area for area in BODY_AREAS}
_AREAS.update({key[:-1]: area for key, area in _AREAS.items() if key.endswith("s")})
_AREAS.update(_AREA_ALIASES)
_SIDES = {"left": "left", "l": "left", "right": "right", "r": "right"}


def parse_area(text: str) -> str:
    """One body area of the vocabulary (``models.BODY_AREAS``), with its side
    if one is typed: ``Calf`` → ``calves``, ``IT band`` → ``it-band``,
    ``L-Calf`` → ``left-calves``, ``right hamstring`` → ``right-hamstrings``.
    Case, singular or plural, spaces, hyphens and underscores do not matter;
    every canonical area (and sided area) reads as itself. An unknown area
    is a ParseError suggesting the nearest and listing them all."""
    words = text.lower().replace("_", " ").replace("-", " ").split()
    side = _SIDES.get(words[0]) if len(words) > 1 else None
    key = "".join(words[1:] if side else words)
    area = _AREAS.get(key)
    if area is not None:
        return f"{side}-{area}" if side else area
    import difflib

    close = difflib.get_close_matches(key[:60], list(_AREAS), n=1, cutoff=0.6)
    hint = ""
    if close:
        hint = f" Did you mean '{side + '-' if side else ''}{_AREAS[close[0]]}'?"
    raise ParseError(
        f"Unknown body area {_q(text)}.{hint} Areas: {', '.join(BODY_AREAS)}; "
        "a side as left- or right- (left-calves)"
    )


def parse_focus(text: str) -> tuple[str, ...]:
    """Comma-separated body areas, e.g. ``calves, left hamstring`` →
    ``("calves", "left-hamstrings")``, each read by :func:`parse_area`.
    Empty areas and repeats are dropped (the first kept). At most 20 areas.
    ``--focus`` of a massage and ``--areas`` of self-care read this."""
    areas: list[str] = []
    for part in text.split(","):
        if not part.strip():
            continue
        area = parse_area(part)
        if area not in areas:
            areas.append(area)
    if len(areas) > MAX_FOCUS_AREAS:
        raise ParseError(
            f"Too many focus areas ({len(areas)}) in {_q(text)}; the limit is {MAX_FOCUS_AREAS}"
        )
    return tuple(areas)


#: The range of a rating of soreness, overall or of an area (SPEC 11).
SORENESS_RANGE = (0, 10)


def parse_sore(text: str) -> tuple[tuple[str, int], ...]:
    """Sore areas with how you rated each, ``calves=6, left hamstring=4`` →
    ``(("calves", 6), ("left-hamstrings", 4))``: each area read by
    :func:`parse_area`, each rating a whole number from 0 to 10. An area
    without ``=N`` is refused (a rating is what a check-in records); an
    area given twice keeps its last rating."""
    low, high = SORENESS_RANGE
    rated: dict[str, int] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, has_rating, rating = part.partition("=")
        area = parse_area(name) if name.strip() else ""
        if not area or not has_rating:
            raise ParseError(
                f"{_q(part.strip())} needs a rating: AREA=N with N from {low} to {high} "
                "(e.g. calves=6)"
            )
        value = rating.strip()
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            raise ParseError(
                f"{_q(value)} is not a rating for {area}; use a whole number from {low} to {high}"
            )
        rated[area] = int(value)
    if not rated:
        raise ParseError(f"no sore area in {_q(text)}; give AREA=N, e.g. calves=6")
    return tuple(rated.items())


def parse_record_kind(text: str) -> str:
    """A kind ``list --kind`` takes: a session's kind (:func:`parse_kind`),
    ``plan`` or ``check-in`` (plurals and spacing forgiven)."""
    key = _compact(text)
    if key in ("plan", "plans"):
        return "plan"
    if key in ("checkin", "checkins"):
        return CHECK_IN
    return _choose(text, (*KINDS, "plan", CHECK_IN), _KIND_ALIASES, "kind", "Kinds")


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
