"""The record types and their vocabularies.

Pure values: no database, no typer, no rich. Treat records as immutable. Every
instant is an aware ``datetime`` carrying the UTC offset it was recorded with,
so elapsed time is real time (``b - a``) and the local date is ``start.date()``.

The classes are written out rather than made with ``dataclasses``: importing
that module (it imports ``inspect``) and generating three classes cost about
half a bare Python start, on ``rubdown log run``, the command typed after
every run. ``Value`` gives them what a dataclass would: equality and hashing
by their fields, a readable repr. (A frozen dataclass would also cost six
times as much to build, which a report over 100k records feels.)
"""

from __future__ import annotations

from datetime import datetime

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

KINDS = ("run", "massage", "self-care")
#: A planned session (SPEC 10): stored beside the sessions, one id sequence,
#: never counted as a run or as recovery.
PLAN = "plan"
#: How the runner feels on a day (SPEC 11): one per local day, never a session.
CHECK_IN = "check-in"
#: Every kind of stored record: the sessions, the plans and the check-ins.
RECORD_KINDS = (*KINDS, PLAN, CHECK_IN)
RUN_TYPES = ("easy", "long", "tempo", "intervals", "race", "relay")
MASSAGE_TYPES = ("swedish", "deep-tissue", "hot-stone", "thai", "sports")
SELF_CARE_TYPES = ("foam-roll", "stretch", "yoga", "other")

#: The body areas (SPEC 11) of a massage's focus, self-care's areas and a
#: check-in's soreness; each may take a side: ``left-calves``.
BODY_AREAS = ("neck", "shoulders", "upper-back", "lower-back", "glutes", "hips", "hip-flexors",
              "it-band", "quads", "hamstrings", "adductors", "knees", "shins", "calves",
              "achilles", "ankles", "feet", "other")  # fmt: skip
SIDES = ("left", "right")

TYPES_BY_KIND = {
    "run": RUN_TYPES,
    "massage": MASSAGE_TYPES,
    "self-care": SELF_CARE_TYPES,
}


class Value:
    """Equality and hashing by ``FIELDS`` (never equal to another class), and
    a repr: what a dataclass would give the small classes written out here and
    in ``rubdown.analysis``."""

    __slots__ = ()
    FIELDS: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"{self.__class__.__name__}({shown})"


class Record(Value):
    """What the three record types share: ``kind``, the fields ``id``,
    ``start``, ``type``, ``note`` and ``source``, equality by their fields
    (see ``Value``), and ``stamp``: the start as epoch seconds, computed once
    per record.

    ``id`` is the record's id in the database, or None for a new record not
    stored yet: what ``log``, the demo and an import build and hand to the
    store (``Store.add`` returns the stored record, with its id). Every
    record read from the store has an id. The classes check no values: the
    store refuses a record whose values break the limits
    (``fields.record_problems``) before storing it.

    Sorting, bisecting and comparing floats is many times cheaper than aware
    datetimes, which reports over long histories do hundreds of thousands of
    times.
    """

    __slots__ = ("_stamp",)
    kind: str
    id: int | None
    start: datetime
    type: str
    note: str | None
    source: str | None
    _stamp: float | None

    @property
    def stamp(self) -> float:
        value = self._stamp
        if value is None:
            value = self._stamp = self.start.timestamp()
        return value


class Run(Record):
    FIELDS = ("id", "start", "type", "distance_m", "duration_s", "rpe", "event", "leg",
              "note", "source")  # fmt: skip
    __slots__ = FIELDS
    kind = "run"

    def __init__(
        self,
        id: int | None,  # noqa: A002
        start: datetime,
        type: str = "easy",  # noqa: A002
        distance_m: float | None = None,
        duration_s: int | None = None,
        rpe: int | None = None,
        event: str | None = None,
        leg: int | None = None,
        note: str | None = None,
        source: str | None = None,
    ) -> None:
        self.id = id
        self.start = start
        self.type = type
        self.distance_m = distance_m
        self.duration_s = duration_s
        self.rpe = rpe
        self.event = event
        self.leg = leg
        self.note = note
        self.source = source
        self._stamp = None

    @property
    def minutes(self) -> float | None:
        return None if self.duration_s is None else self.duration_s / 60

    @property
    def load(self) -> float | None:
        """Foster's session load: RPE x minutes, when both are known."""
        if self.rpe is None or self.duration_s is None:
            return None
        return self.rpe * self.duration_s / 60


class Massage(Record):
    FIELDS = ("id", "start", "type", "minutes", "therapist", "cost_cents", "focus", "note",
              "source")  # fmt: skip
    __slots__ = FIELDS
    kind = "massage"

    def __init__(
        self,
        id: int | None,  # noqa: A002
        start: datetime,
        type: str,  # noqa: A002
        minutes: int,
        therapist: str | None = None,
        cost_cents: int | None = None,
        focus: tuple[str, ...] = (),
        note: str | None = None,
        source: str | None = None,
    ) -> None:
        self.id = id
        self.start = start
        self.type = type
        self.minutes = minutes
        self.therapist = therapist
        self.cost_cents = cost_cents
        self.focus = focus
        self.note = note
        self.source = source
        self._stamp = None


class SelfCare(Record):
    FIELDS = ("id", "start", "type", "minutes", "note", "source", "areas")
    __slots__ = FIELDS
    kind = "self-care"

    def __init__(
        self,
        id: int | None,  # noqa: A002
        start: datetime,
        type: str,  # noqa: A002
        minutes: int,
        note: str | None = None,
        source: str | None = None,
        areas: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.start = start
        self.type = type
        self.minutes = minutes
        self.note = note
        self.source = source
        self.areas = areas
        self._stamp = None


class Plan(Record):
    """A planned session: the kind of session it plans (``plan_kind``), its
    type (None for a run plan that names none: any run type fulfils it),
    the planned fields of that kind (the others None), and whether it was
    skipped (``plan skip``) and why."""

    FIELDS = ("id", "start", "type", "distance_m", "duration_s", "event", "leg", "minutes",
              "therapist", "cost_cents", "focus", "note", "source", "plan_kind", "skipped",
              "skip_reason")  # fmt: skip
    __slots__ = FIELDS
    kind = PLAN
    type: str | None  # type: ignore[assignment]  # a run plan may name none

    def __init__(
        self,
        id: int | None,  # noqa: A002
        start: datetime,
        type: str | None = None,  # noqa: A002
        distance_m: float | None = None,
        duration_s: int | None = None,
        event: str | None = None,
        leg: int | None = None,
        minutes: int | None = None,
        therapist: str | None = None,
        cost_cents: int | None = None,
        focus: tuple[str, ...] = (),
        note: str | None = None,
        source: str | None = None,
        plan_kind: str = "run",
        skipped: bool = False,
        skip_reason: str | None = None,
    ) -> None:
        self.id = id
        self.start = start
        self.type = type
        self.distance_m = distance_m
        self.duration_s = duration_s
        self.event = event
        self.leg = leg
        self.minutes = minutes
        self.therapist = therapist
        self.cost_cents = cost_cents
        self.focus = focus
        self.note = note
        self.source = source
        self.plan_kind = plan_kind
        self.skipped = skipped
        self.skip_reason = skip_reason
        self._stamp = None


class CheckIn(Record):
    """How the runner rated a day (SPEC 11): overall ``soreness`` 0-10,
    ``sore`` areas as ``(area, rating)`` pairs, ``fatigue``, ``sleep``,
    ``stress`` and ``mood`` 1-5; each None (``sore`` empty) when not rated.
    Its ``start`` is its local day at 12:00; it has no type (None)."""

    FIELDS = ("id", "start", "type", "note", "source", "soreness", "sore", "fatigue", "sleep",
              "stress", "mood")  # fmt: skip
    __slots__ = FIELDS
    kind = CHECK_IN
    type: str | None  # type: ignore[assignment]  # a check-in has none

    def __init__(
        self,
        id: int | None,  # noqa: A002
        start: datetime,
        type: str | None = None,  # noqa: A002
        note: str | None = None,
        source: str | None = None,
        soreness: int | None = None,
        sore: tuple[tuple[str, int], ...] = (),
        fatigue: int | None = None,
        sleep: int | None = None,
        stress: int | None = None,
        mood: int | None = None,
    ) -> None:
        self.id = id
        self.start = start
        self.type = None
        self.note = note
        self.source = source
        self.soreness = soreness
        self.sore = sore
        self.fatigue = fatigue
        self.sleep = sleep
        self.stress = stress
        self.mood = mood
        self._stamp = None


#: The record class of each kind.
CLASS_BY_KIND: dict[str, Callable[..., Record]] = {
    "run": Run,
    "massage": Massage,
    "self-care": SelfCare,
    PLAN: Plan,
    CHECK_IN: CheckIn,
}


def new_record(kind: str, values: Mapping[str, object]) -> Record:
    """A new record (its ``id`` None: not stored yet) of ``kind`` holding
    ``values`` (field name -> model value; a field not given takes its
    class's default). The values are not checked here: the store checks
    them before storing."""
    return CLASS_BY_KIND[kind](None, **values)
