"""The record types and their vocabularies.

Pure values: no database, no typer, no rich. Treat records as immutable; the
classes are not ``frozen`` only because a frozen dataclass costs six times as
much to build, which a report over 100k records feels. Every instant is an aware
``datetime`` carrying the UTC offset it was recorded with, so elapsed time is
real time (``b - a``) and the local date is ``start.date()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

KINDS = ("run", "massage", "self-care")
RUN_TYPES = ("easy", "long", "tempo", "intervals", "race", "relay")
MASSAGE_TYPES = ("swedish", "deep-tissue", "hot-stone", "thai", "sports")
SELF_CARE_TYPES = ("foam-roll", "stretch", "yoga", "other")

TYPES_BY_KIND = {
    "run": RUN_TYPES,
    "massage": MASSAGE_TYPES,
    "self-care": SELF_CARE_TYPES,
}


class _Timed:
    """``stamp``: the start as epoch seconds, computed once per record.

    Sorting, bisecting and comparing floats is many times cheaper than aware
    datetimes, which reports over long histories do hundreds of thousands of
    times.
    """

    __slots__ = ()

    @property
    def stamp(self) -> float:
        value = self._stamp
        if value is None:
            value = self._stamp = self.start.timestamp()
        return value


@dataclass(slots=True, unsafe_hash=True)
class Run(_Timed):
    id: int
    start: datetime
    type: str = "easy"
    distance_m: float | None = None
    duration_s: int | None = None
    rpe: int | None = None
    event: str | None = None
    leg: int | None = None
    note: str | None = None
    source: str | None = None
    kind: str = field(default="run", init=False)
    _stamp: float | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def minutes(self) -> float | None:
        return None if self.duration_s is None else self.duration_s / 60

    @property
    def load(self) -> float | None:
        """Foster's session load: RPE x minutes, when both are known."""
        if self.rpe is None or self.duration_s is None:
            return None
        return self.rpe * self.duration_s / 60


@dataclass(slots=True, unsafe_hash=True)
class Massage(_Timed):
    id: int
    start: datetime
    type: str
    minutes: int
    therapist: str | None = None
    cost_cents: int | None = None
    focus: tuple[str, ...] = ()
    note: str | None = None
    source: str | None = None
    kind: str = field(default="massage", init=False)
    _stamp: float | None = field(default=None, init=False, repr=False, compare=False)


@dataclass(slots=True, unsafe_hash=True)
class SelfCare(_Timed):
    id: int
    start: datetime
    type: str
    minutes: int
    note: str | None = None
    source: str | None = None
    kind: str = field(default="self-care", init=False)
    _stamp: float | None = field(default=None, init=False, repr=False, compare=False)


Record = Run | Massage | SelfCare
