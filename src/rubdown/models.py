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


@dataclass(slots=True, unsafe_hash=True)
class Run:
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
class Massage:
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


@dataclass(slots=True, unsafe_hash=True)
class SelfCare:
    id: int
    start: datetime
    type: str
    minutes: int
    note: str | None = None
    source: str | None = None
    kind: str = field(default="self-care", init=False)


Record = Run | Massage | SelfCare
