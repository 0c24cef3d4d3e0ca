"""Each record field once: everything rubdown knows about it, in one row.

A field's row gives its name (with its unit: ``distance_m``), the kinds that
have it, how it is typed on the command line (option spellings, metavar,
help), how typed text becomes a value (the ``parsing`` function), whether
``edit`` may clear it, its limits, its key in ``list --json`` and the table
that stores it. ``log``, ``edit``, the store's column lists, ``list --json``
(:func:`record_to_json`), CSV export (:data:`CSV_COLUMNS`), the JSON import
(:func:`record_of_json`) and every import path read this table; the check
every record passes before it is stored (:func:`record_problems`) is derived
from it. A field's rule (``check``) also says how its value is written in
JSON and read back (:meth:`Field.to_json`, :meth:`Field.from_json`).

Adding a field to a record: a row here, a slot in ``rubdown.models``, a
migration, and the words that show it (``render.facts``). See the
"Architecture" section of docs/decisions.md.

No typer, no SQL, no rich: this module is read on the hot ``log`` and
``report`` paths, so it is plain tuples and one small slotted class.
"""

from __future__ import annotations

from rubdown import parsing
from rubdown.models import CHECK_IN, KINDS, PLAN, RECORD_KINDS, TYPES_BY_KIND, Record

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from datetime import datetime

ALL = RECORD_KINDS  #: a field every kind has (plans too)

#: Where each kind's own fields are stored (the shared ones are in ``records``).
TABLES = {"run": "runs", "massage": "massages", "self-care": "self_care", PLAN: "plans",
          CHECK_IN: "check_ins"}
#: Kinds that have no type (a check-in): the shared ``type`` is not theirs.
UNTYPED = (CHECK_IN,)


class Context:
    """What reading a typed value may depend on: the configured units and
    currency, the record's kind, and now (for dates)."""

    __slots__ = ("units", "currency", "kind", "now")

    def __init__(
        self, *, units: str = "km", currency: str = "USD", kind: str = "run", now: datetime
    ) -> None:
        self.units = units
        self.currency = currency
        self.kind = kind
        self.now = now


class Field:
    """One record field. ``check`` names the rule :func:`record_problems`
    applies to its value with its arguments: ``("text", limit, blank_ok)``,
    ``("whole", low, high, unit words)``, or a rule of its own (``"start"``,
    ``"type"``, ``"distance"``, ``"cents"``, ``"areas"``)."""

    __slots__ = ("name", "kinds", "options", "metavar", "help", "edit_help", "read",
                 "clearable", "empty", "json_key", "check", "required")  # fmt: skip

    def __init__(
        self,
        name: str,
        kinds: tuple[str, ...],
        *,
        options: tuple[str, ...] = (),
        metavar: str = "",
        help: str | dict[str, str] = "",  # noqa: A002
        edit_help: str = "",
        read: Callable[[str, Context], object] | None = None,
        clearable: bool = True,
        empty: object = None,
        json_key: str | None = None,
        check: tuple = (),
        required: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.kinds = kinds
        self.options = options
        self.metavar = metavar
        self.help = help
        self.edit_help = edit_help
        self.read = read
        self.clearable = clearable
        self.empty = empty
        self.json_key = json_key or name
        self.check = check
        self.required = required

    @property
    def option(self) -> str:
        """The long spelling (``--distance``), as messages name the field."""
        return self.options[0]

    @property
    def shared(self) -> bool:
        return self.kinds == ALL

    def table(self, kind: str) -> str:
        """The table that stores this field for ``kind``."""
        return "records" if self.shared else TABLES[kind]

    def help_for(self, kind: str) -> str:
        """The option's help on ``log KIND``."""
        return self.help if isinstance(self.help, str) else self.help[kind]

    def parse(self, text: str, ctx: Context) -> object:
        """The value of ``text`` typed for this field (ParseError if it is not one)."""
        assert self.read is not None, f"{self.name} is not typed"
        return self.read(text, ctx)

    def to_json(self, value: object) -> object:
        """The field's value as ``list --json`` and the JSON export write it
        (SPEC 6b): the start as ISO 8601 text, the cost as decimal text
        (``"85.00"``), focus areas as a list; the rest as they are."""
        encode = _TO_JSON.get(self.check[0])
        return value if encode is None or value is None else encode(value)

    def from_json(self, value: object, kind: str) -> object:
        """The model value of the field's value in a JSON export (None: absent),
        the inverse of :meth:`to_json`. Raises :class:`JSONShapeError`, naming
        the JSON key, when the value is not of the field's shape (text where
        text belongs, a whole number where one belongs); the limits of the
        value are :func:`record_problems`' to apply."""
        return _FROM_JSON[self.check[0]](self, value, kind)

    def __repr__(self) -> str:
        return f"Field({self.name!r})"


def _type_help(kind: str) -> str:
    types = TYPES_BY_KIND[kind]
    if kind == "run":
        return f"{types[0]} (default), {', '.join(types[1:])}."
    return f"{', '.join(types[:-1])} or {types[-1]}."


_WHEN_HELP = ("When it happened: 2026-11-21, '2026-11-21 07:30', today, yesterday, sat, "
              "3d ago (a date alone means 12:00). Default: now.")


def _rating(low: int, high: int) -> Callable[[str, Context], int]:
    """The reader of a whole-number rating from ``low`` to ``high``."""

    def read(text: str, ctx: Context) -> int:
        value = text.strip()
        if value.isascii() and value.isdigit() and low <= int(value) <= high:
            return int(value)
        raise parsing.ParseError(f"{parsing.quoted(text)} is not a rating; use a whole number "
                                 f"from {low} to {high}")  # fmt: skip
    return read


def _rated(name: str, low: int, high: int, help: str) -> Field:  # noqa: A002
    """A check-in's rating field ``--NAME LOW-HIGH``, a whole number."""
    return Field(
        name, (CHECK_IN,), options=(f"--{name}",), metavar=f"{low}-{high}", help=help,
        edit_help=f"Check-in {name} {low}-{high}.", read=_rating(low, high),
        check=("whole", low, high, ""),
    )  # fmt: skip


def _note(text: str, ctx: Context) -> str | None:
    return parsing.parse_note(text) or None  # an empty note is no note


#: Every field, in the order of a CSV export's columns (after ``id`` and ``kind``).
FIELDS: tuple[Field, ...] = (
    Field(
        "type", ALL, options=("--type",), metavar="TYPE",
        help={kind: _type_help(kind) for kind in KINDS}, edit_help="Type, for the record's kind.",
        read=lambda text, ctx: parsing.parse_type(ctx.kind, text), clearable=False,
        check=("type",), required=("massage", "self-care"),
    ),
    Field(
        "start", ALL, options=("--date", "-d"), metavar="WHEN",
        help={**{kind: _WHEN_HELP for kind in KINDS},
              CHECK_IN: "The day: 2026-11-21, today, yesterday, sat, 3d ago (not ahead). "
              "Default: today."},
        edit_help="When.",
        read=lambda text, ctx: parsing.read_when(text, now=ctx.now), clearable=False,
        check=("start",),
    ),
    Field(
        "distance_m", ("run", PLAN), options=("--distance", "-D"), metavar="DIST",
        help="10.5mi, 17 km, 5000m, or a bare number in your units (km unless set).",
        edit_help="Run distance.",
        read=lambda text, ctx: parsing.parse_distance(text, unit=ctx.units),
        check=("distance",),
    ),
    Field(
        "duration_s", ("run", PLAN), options=("--time", "-t"), metavar="TIME",
        help="Moving time: 1:32:10, 58:30, 95m, 1h35m, 90.", edit_help="Run moving time.",
        read=lambda text, ctx: parsing.parse_duration(text),
        check=("whole", 1, parsing.MAX_DURATION_S, " seconds (100 hours)"),
    ),
    Field(
        "rpe", ("run",), options=("--rpe",), metavar="N",
        help="Perceived effort, 0 (rest) to 10 (maximal).", edit_help="Run RPE 0-10.",
        read=lambda text, ctx: parsing.parse_rpe(text), check=("whole", 0, 10, ""),
    ),
    Field(
        "event", ("run", PLAN), options=("--event",), metavar="NAME",
        help="Event name; relay legs share it (e.g. Ragnar).", edit_help="Run event name.",
        read=lambda text, ctx: parsing.parse_name(text),
        check=("text", parsing.MAX_NAME_CHARS, False),
    ),
    Field(
        "leg", ("run", PLAN), options=("--leg",), metavar="N",
        help="Relay leg number.", edit_help="Relay leg.",
        read=lambda text, ctx: parsing.parse_leg(text), check=("whole", 1, 99, ""),
    ),
    Field(
        "minutes", ("massage", "self-care", PLAN), options=("--minutes", "-m"), metavar="N",
        help={"massage": "Length in minutes (or 1h30m).", "self-care": "Length in minutes."},
        edit_help="Massage or self-care minutes.",
        read=lambda text, ctx: parsing.parse_minutes(text), clearable=False,
        check=("whole", 1, parsing.MAX_MINUTES, ""), required=("massage", "self-care"),
    ),
    Field(
        "therapist", ("massage", PLAN), options=("--therapist",), metavar="NAME",
        help="Who gave it.", edit_help="Massage therapist.",
        read=lambda text, ctx: parsing.parse_name(text),
        check=("text", parsing.MAX_NAME_CHARS, False),
    ),
    Field(
        "cost_cents", ("massage", PLAN), options=("--cost",), metavar="AMOUNT",
        help="What it cost, e.g. 85 or 85.50.", edit_help="Massage cost.",
        read=lambda text, ctx: parsing.parse_cost(text, currency=ctx.currency),
        json_key="cost", check=("cents",),
    ),
    Field(
        "focus", ("massage", PLAN), options=("--focus",), metavar="AREA,...",
        help="Areas worked, e.g. calves,hamstrings.", edit_help="Massage focus areas.",
        read=lambda text, ctx: parsing.parse_focus(text), empty=(), check=("areas",),
    ),
    Field(
        "note", ALL, options=("--note", "-n"), metavar="TEXT",
        help="A free-text note.", edit_help="Note, any kind.", read=_note,
        check=("text", parsing.MAX_NOTE_CHARS, True),
    ),
    # Written by rubdown (what an import came from), never typed.
    Field("source", ALL, check=("text", parsing.MAX_SOURCE_CHARS, True)),
    # A plan's own, set by ``plan KIND`` and ``plan skip``, never typed in ``edit``.
    Field("plan_kind", (PLAN,), clearable=False, check=("kind",)),
    Field("skipped", (PLAN,), clearable=False, empty=False, check=("flag",)),
    Field("skip_reason", (PLAN,), check=("text", parsing.MAX_NOTE_CHARS, True)),
    # SPEC 11: the areas self-care worked, and how a check-in rated the day.
    Field(
        "areas", ("self-care",), options=("--areas",), metavar="AREA,...",
        help="Body areas worked, e.g. calves,left-hamstrings.", edit_help="Self-care areas.",
        read=lambda text, ctx: parsing.parse_focus(text), empty=(), check=("areas",),
    ),
    _rated("soreness", 0, 10, "Overall soreness as you rate it, 0 (none) to 10 (default: the "
           "highest --sore)."),
    Field(
        "sore", (CHECK_IN,), options=("--sore",), metavar="AREA=N,...",
        help="Sore areas with a rating 0-10 each, e.g. calves=6,left-hamstrings=4.",
        edit_help="Check-in sore areas (AREA=N,...).",
        read=lambda text, ctx: parsing.parse_sore(text), empty=(), check=("sore",),
    ),
    _rated("fatigue", 1, 5, "Fatigue as you rate it, 1 (fresh) to 5 (exhausted)."),
    _rated("sleep", 1, 5, "Last night's sleep as you rate it, 1 (poor) to 5 (great)."),
    _rated("stress", 1, 5, "Stress as you rate it, 1 (calm) to 5 (very stressed)."),
    _rated("mood", 1, 5, "Mood as you rate it, 1 (low) to 5 (great)."),
)

BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
BY_OPTION: dict[str, Field] = {spelling: f for f in FIELDS for spelling in f.options}


def of_kind(kind: str) -> tuple[Field, ...]:
    """The fields a record of ``kind`` has, in CSV order."""
    return _OF_KIND[kind]


def own(kind: str) -> tuple[str, ...]:
    """The names of the fields stored in ``kind``'s own table."""
    return _OWN[kind]


_OF_KIND = {
    kind: tuple(f for f in FIELDS if kind in f.kinds and not (f.name == "type" and kind in UNTYPED))
    for kind in RECORD_KINDS
}
_OWN = {kind: tuple(f.name for f in _OF_KIND[kind] if not f.shared) for kind in RECORD_KINDS}
#: The shared fields, stored in ``records``.
SHARED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.shared)


def json_order(kind: str) -> tuple[Field, ...]:
    """The fields of ``list --json`` for ``kind``, in order (SPEC 6b): the
    shared ones, the kind's own, then ``source`` (what rubdown wrote)."""
    return _JSON_ORDER[kind]


_JSON_ORDER = {
    kind: tuple(f for f in _OF_KIND[kind] if f.shared and f.name != "source")
    + tuple(f for f in FIELDS if kind in f.kinds and not f.shared)
    + (BY_NAME["source"],)
    for kind in RECORD_KINDS
}

#: ``list --json`` / CSV keys in CSV column order, ``id`` and ``kind`` first.
CSV_COLUMNS: tuple[str, ...] = ("id", "kind") + tuple(
    dict.fromkeys(f.json_key for f in FIELDS)
)


# --- JSON: each field's value in ``list --json`` and the export, and back -----


class JSONShapeError(ValueError):
    """A value in a JSON export that is not of its field's shape."""


def _start_text(start: object) -> str:
    return start.isoformat()  # type: ignore[attr-defined]  # a datetime


def _cost_text(cents: object) -> str:
    from rubdown.formatting import format_cost

    assert isinstance(cents, int)
    return format_cost(cents)


def _area_list(areas: object) -> list[str]:
    assert isinstance(areas, tuple | list)
    return list(areas)


def _sore_map(sore: object) -> dict[str, int]:
    assert isinstance(sore, tuple | list)
    return dict(sore)


#: Model value -> JSON value, by the field's rule (the rest are as they are).
_TO_JSON: dict[str, Callable[[object], object]] = {
    "start": _start_text,
    "cents": _cost_text,
    "areas": _area_list,
    "sore": _sore_map,
}


def _type_of_json(field: Field, value: object, kind: str) -> object:
    if value is None and kind == PLAN:  # a run plan may name no type
        return None
    if not isinstance(value, str):  # a text that is not a type is refused by the limits
        types = ", ".join(TYPES_BY_KIND[kind])
        raise JSONShapeError(f"{kind} type must be one of {types}, not {value!r}")
    return value


def _start_of_json(field: Field, value: object, kind: str) -> object:
    from datetime import datetime

    try:
        when = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise JSONShapeError(
            f"start must be an ISO 8601 date-time with its UTC offset, not {value!r}"
        )
    return when


def _text_of_json(field: Field, value: object, kind: str) -> object:
    if value is not None and not isinstance(value, str):
        raise JSONShapeError(f"{field.json_key} must be text or null, not {value!r}")
    return value


def _whole_of_json(field: Field, value: object, kind: str) -> object:
    if value is None and kind not in field.required:
        return None
    if not _whole_number(value):
        raise JSONShapeError(f"{field.json_key} must be a whole number, not {shown(value)}")
    return value


def _number_of_json(field: Field, value: object, kind: str) -> object:
    import math

    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise JSONShapeError(f"{field.json_key} must be a number of metres, not {shown(value)}")
    return float(value)


def _cents_of_json(field: Field, value: object, kind: str) -> object:
    """Whole cents of a decimal amount; a fraction of a cent is kept as a
    float so that the limits refuse it (nothing is rounded silently)."""
    if value is None:
        return None
    from decimal import Decimal, InvalidOperation

    try:
        amount = Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise JSONShapeError(
            f'{field.json_key} must be a decimal amount as text (e.g. "65.00"), not {value!r}'
        )
    if amount.adjusted() > 15:  # "1e400": over any limit
        return 10**18
    cents = amount * 100
    whole = cents.to_integral_value()
    return int(whole) if cents == whole else float(cents)


def _areas_of_json(field: Field, value: object, kind: str) -> object:
    areas = value or []
    if not isinstance(areas, list) or not all(isinstance(area, str) for area in areas):
        raise JSONShapeError(f"{field.json_key} must be a list of text, not {areas!r}")
    return tuple(areas)


def _sore_of_json(field: Field, value: object, kind: str) -> object:
    sore = value or {}
    if not isinstance(sore, dict) or not all(isinstance(area, str) for area in sore):
        raise JSONShapeError(f"{field.json_key} must be an object of area: rating, not {sore!r}")
    return tuple(sore.items())


def _kind_of_json(field: Field, value: object, kind: str) -> object:
    if value not in KINDS:
        raise JSONShapeError(f"{field.json_key} must be one of {', '.join(KINDS)}, not {value!r}")
    return value


def _flag_of_json(field: Field, value: object, kind: str) -> object:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise JSONShapeError(f"{field.json_key} must be true or false, not {shown(value)}")
    return value


#: JSON value -> model value, by the field's rule.
_FROM_JSON: dict[str, Callable[[Field, object, str], object]] = {
    "type": _type_of_json,
    "start": _start_of_json,
    "text": _text_of_json,
    "whole": _whole_of_json,
    "distance": _number_of_json,
    "cents": _cents_of_json,
    "areas": _areas_of_json,
    "sore": _sore_of_json,
    "kind": _kind_of_json,
    "flag": _flag_of_json,
}


def record_of_json(kind: str, raw: dict) -> dict[str, object]:
    """The fields of a record of ``kind`` in a JSON export (``raw``, keyed as
    ``list --json`` writes it), as model values keyed by field name; a field
    it lacks is None. Raises :class:`JSONShapeError` at the first value of
    the wrong shape: the shared fields first, then the kind's own."""
    return {field.name: field.from_json(raw.get(field.json_key), kind) for field in _READ[kind]}


def record_to_json(record: Record) -> dict[str, object]:
    """A record in the ``list --json`` shape (SPEC 6b): ``id``, ``kind``,
    then its fields in :func:`json_order`."""
    out: dict[str, object] = {"id": record.id, "kind": record.kind}
    for key, name, encode in _ENCODE[record.kind]:  # list --json of a long history: kept lean
        value = getattr(record, name)
        out[key] = value if encode is None or value is None else encode(value)
    return out


_ENCODE = {
    kind: tuple((f.json_key, f.name, _TO_JSON.get(f.check[0])) for f in _JSON_ORDER[kind])
    for kind in RECORD_KINDS
}


_READ = {
    kind: tuple(f for f in _OF_KIND[kind] if f.shared)
    + tuple(f for f in _OF_KIND[kind] if not f.shared)
    for kind in RECORD_KINDS
}


# --- the one check of a record's values --------------------------------------


def _plain_text(value: str) -> bool:
    """Whether ``value`` can be stored as UTF-8 (no lone surrogate in it)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def shown(value: object) -> str:
    """``value`` as a message quotes it: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(name: str, value: object, limit: int, blank_ok: bool) -> str | None:
    if not isinstance(value, str):
        return f"{name} must be text, not {type(value).__name__}"
    if not _plain_text(value):
        return f"{name} is not valid Unicode text (it holds a lone surrogate)"
    if len(value) > limit:
        return f"{name} is too long ({len(value)} characters); the limit is {limit}"
    if not blank_ok and not value.strip():
        return f"{name} cannot be empty"
    return None


def _whole(name: str, value: object, low: int, high: int, unit: str) -> str | None:
    if not _whole_number(value):
        return f"{name} {shown(value)} is not a whole number"
    assert isinstance(value, int)
    if not low <= value <= high:
        return f"{name} {shown(value)} is outside {low} to {high}{unit}"
    return None


def _start(value: object, now: datetime | None, *, plan: bool = False) -> str | None:
    utcoffset = getattr(value, "utcoffset", None)
    if utcoffset is None or utcoffset() is None:
        return f"start {shown(value)} is not a date-time with a UTC offset"
    from datetime import timedelta

    assert not isinstance(value, str)
    now = now or _clock_now()
    if value.year < parsing.MIN_YEAR:  # type: ignore[attr-defined]
        return f"start {value.isoformat()} is before {parsing.MIN_YEAR}"  # type: ignore[attr-defined]
    if plan:
        if value - now > timedelta(days=PLAN_AHEAD_DAYS):  # type: ignore[operator]
            return (f"start {value.isoformat()} is more than two years ahead; "  # type: ignore[attr-defined]
                    "plans may lie up to two years ahead")  # fmt: skip
        return None
    if value - now > timedelta(seconds=parsing.FUTURE_LIMIT_S):  # type: ignore[operator]
        return (f"start {value.isoformat()} is in the future; "  # type: ignore[attr-defined]
                "rubdown logs what happened, up to a day ahead")  # fmt: skip
    return None


def _distance(value: object) -> str | None:
    import math

    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0 < value <= parsing.MAX_DISTANCE_M
    ):
        return f"distance_m {shown(value)} is outside 0 to 1000 km"
    return None


def _cents(value: object) -> str | None:
    if not _whole_number(value):
        amount = shown(value / 100) if isinstance(value, int | float) else shown(value)
        return f"cost {amount} has a fraction of a cent; at most 2 decimals are accepted"
    assert isinstance(value, int)
    if not 0 <= value <= parsing.MAX_COST_CENTS:
        return "cost is outside 0 to 1,000,000"
    return None


def _areas(value: object, name: str = "focus") -> list[str]:
    """The problems of a list of areas. Areas stored before the vocabulary
    (SPEC 11) are any text: only their shape and length are held here."""
    areas = value or ()
    if not isinstance(areas, list | tuple) or not all(isinstance(a, str) for a in areas):
        return [f"{name} must be a list of text"]
    what = "focus areas" if name == "focus" else name
    if len(areas) > parsing.MAX_FOCUS_AREAS:
        return [f"too many {what} ({len(areas)}); the limit is {parsing.MAX_FOCUS_AREAS}"]
    problems = []
    for area in areas:
        if not _plain_text(area):
            problems.append(f"a {what[:-1]} is not valid Unicode text")
        elif not area.strip() or len(area) > parsing.MAX_FOCUS_CHARS:
            problems.append(f"{what[:-1]} {parsing.quoted(area)} is empty or over "
                            f"{parsing.MAX_FOCUS_CHARS} characters")  # fmt: skip
    return problems


def _sore(value: object) -> list[str]:
    """The problems of a check-in's sore areas: known areas, each rated 0 to 10."""
    low, high = parsing.SORENESS_RANGE
    pairs = value or ()
    if not isinstance(pairs, list | tuple) or not all(
        isinstance(p, list | tuple) and len(p) == 2 for p in pairs
    ):
        return ["sore must be areas each with a rating"]
    if len(pairs) > parsing.MAX_FOCUS_AREAS:
        return [f"too many sore areas ({len(pairs)}); the limit is {parsing.MAX_FOCUS_AREAS}"]
    for area, rating in pairs:
        if not isinstance(area, str) or not _plain_text(area):
            return [f"sore area {shown(area)} is not text"]
        try:
            known = parsing.parse_area(area) == area
        except parsing.ParseError:
            known = False
        if not known:
            return [f"sore area {parsing.quoted(area)} is not a body area"]
        if not _whole_number(rating) or not low <= rating <= high:
            return [f"sore rating {shown(rating)} of {area} is outside {low} to {high}"]
    return []


#: The fields only a plan has (the rest of a plan's are those of the kind it plans).
PLAN_OWN = ("plan_kind", "skipped", "skip_reason")
#: How far ahead a plan may lie (two years, counted generously for a leap day).
PLAN_AHEAD_DAYS = 731


def _problems_of(
    field: Field, kind: str, value: object, now: datetime | None, *, plan: bool = False
) -> list[str]:
    rule, *args = field.check
    if rule == "areas":
        return _areas(value, field.name)
    if rule == "sore":
        return _sore(value)
    if rule == "flag":
        return [] if isinstance(value, bool) else [f"{field.name} {shown(value)} is not a flag"]
    if rule == "kind":
        return [] if value in KINDS else [f"{field.name} {shown(value)} is not a kind"]
    if value is None:
        return []
    if rule == "type":
        types = TYPES_BY_KIND.get(kind, ())
        if value in types:
            return []
        return [f"{kind} type {shown(value)} is not one of {', '.join(types)}"]
    found: str | None
    if rule == "text":
        found = _text(field.name, value, *args)
    elif rule == "whole":
        found = _whole(field.name, value, *args)
    elif rule == "start":
        found = _start(value, now, plan=plan)
    elif rule == "distance":
        found = _distance(value)
    else:  # "cents"
        found = _cents(value)
    return [found] if found else []


def record_problems(
    kind: str, fields: dict, *, now: datetime | None = None
) -> list[tuple[str, str]]:
    """Every way the values of a record to be stored break the limits, as
    ``(field, reason)`` pairs (``field`` names the fields at fault, joined by
    commas when a rule joins several); empty when they pass.

    This is the one check every record passes before it is stored, whatever
    path it came by (``log``, ``edit``, ``import`` of a JSON export or of an
    activity file): the limits are those the ``parse_*`` functions apply to
    typed text, here applied to values. ``fields`` holds model-level values
    (``start`` an aware datetime, ``cost_cents``, ``focus`` a sequence of
    text); a field it lacks is not checked, a None is an absent value.
    ``now`` (default: the clock) bounds the start.
    """
    if kind == PLAN:  # a plan's type is of the kind it plans; its fields are that kind's
        return _plan_problems(fields, now)
    problems: list[tuple[str, str]] = []
    for field in _CHECK_ORDER.get(kind, _SHARED_CHECKS):
        if field.name in fields:
            found = _problems_of(field, kind, fields[field.name], now)
            problems += ((field.name, reason) for reason in found)
        if field.name == "duration_s" and not problems:  # the pace of two values that pass
            pace = parsing.pace_problem(fields.get("distance_m"), fields.get("duration_s"))
            if pace:
                problems.append(("distance_m,duration_s", pace))
    return problems


def _plan_problems(fields: dict, now: datetime | None) -> list[tuple[str, str]]:
    """``record_problems`` of a plan: the fields of the kind it plans, held to
    that kind's limits (its type may be absent only when it plans a run; its
    start may lie up to two years ahead), and no field of another kind."""
    planned = fields.get("plan_kind")
    if planned not in KINDS:
        return [("plan_kind", f"plan_kind {shown(planned)} is not one of {', '.join(KINDS)}")]
    problems: list[tuple[str, str]] = []
    for field in _CHECK_ORDER[PLAN]:
        if field.name not in fields:
            continue
        value = fields[field.name]
        if field.name in PLAN_OWN:
            found = _problems_of(field, PLAN, value, now)
        elif not field.shared and planned not in field.kinds:
            found = [] if value in (None, (), field.empty) else [
                f"a {planned} plan has no {field.name}"
            ]
        elif field.name == "type" and value is None and planned != "run":
            found = [f"a {planned} plan needs a type: {', '.join(TYPES_BY_KIND[planned])}"]
        else:
            found = _problems_of(field, planned, value, now, plan=True)
        problems += ((field.name, reason) for reason in found)
        if field.name == "duration_s" and not problems:
            pace = parsing.pace_problem(fields.get("distance_m"), fields.get("duration_s"))
            if pace:
                problems.append(("distance_m,duration_s", pace))
    return problems


# The order problems are found in: the shared fields, then the kind's own
# (so the first problem of a record is the first a reader would look at).
_SHARED_CHECKS = tuple(BY_NAME[name] for name in ("start", "type", "note", "source"))
_CHECK_ORDER = {
    kind: _SHARED_CHECKS + tuple(f for f in FIELDS if kind in f.kinds and not f.shared)
    for kind in RECORD_KINDS
}


def record_problem(
    kind: str, fields: dict, *, now: datetime | None = None, only: set[str] | None = None
) -> str | None:
    """The first of :func:`record_problems`, in words; None when the values
    pass. ``only``: consider only problems of these fields (an edit checks
    what it changes, so a record stored before a limit existed can still be
    mended). A problem of several fields names them joined by commas
    (``"distance_m,duration_s"``) and counts for each."""
    for field, reason in record_problems(kind, fields, now=now):
        if only is None or not only.isdisjoint(field.split(",")):
            return reason
    return None


def _clock_now() -> datetime:
    from rubdown import clock

    return clock.now()


def typed_values(
    kind: str, typed: Mapping[str, str | None], ctx: Context
) -> dict[str, object]:
    """The values of the fields typed for a record of ``kind`` (field name ->
    text as typed; None or absent: not given), each read by its field's
    parser, in the fields' order (so the first bad value reported is the same
    whatever order they were typed in); a ParseError names the option. The
    start is returned as the ``When`` read (``parsing.When``), so callers can
    say how it was read."""
    values: dict[str, object] = {}
    for field in FIELDS:
        text = typed.get(field.name)
        if text is not None:
            values[field.name] = parsing.read_option(
                field.option, lambda t, f=field: f.parse(t, ctx), text
            )
    return values
