"""Hard efforts: relay grouping and the three rules of SPEC section 3."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from rubdown.models import Run

from ._time import shift, utc

#: Legs of one event start within this span of the event's first leg.
RELAY_SPAN = timedelta(hours=48)

#: The reasons vocabulary, in sorted order.
REASONS = ("load", "long", "race", "relay", "rpe")


@dataclass(frozen=True, slots=True)
class HardEffortRules:
    """Thresholds that make a run (or an event's group of runs) hard."""

    types: tuple[str, ...] = ("race", "relay", "long")
    rpe: int = 8
    load_factor: float = 2.0
    load_days: int = 28
    load_min_runs: int = 4


@dataclass(slots=True)  # not frozen: frozen init is slow at 100k records
class RunGroup:
    """One run, or the legs of one event started within 48 h of the first."""

    runs: tuple[Run, ...]
    run_ids: tuple[int, ...]
    event: str | None
    start: datetime
    end: datetime
    end_stamp: float = 0.0  # ``end`` as epoch seconds, for cheap sorting

    def __post_init__(self) -> None:
        self.end_stamp = self.end.timestamp()

    @classmethod
    def of(cls, runs: Iterable[Run]) -> RunGroup:
        ordered = tuple(runs)
        if len(ordered) == 1:  # most groups: one run, nothing to sort
            run = ordered[0]
            event = run.event.strip() if run.event and _event_key(run.event) else None
            return cls(ordered, (run.id,), event, run.start, run_end(run))
        ordered = tuple(sorted(ordered, key=lambda run: (run.stamp, run.id)))
        if not ordered:
            raise ValueError("a run group needs at least one run")
        first = ordered[0]
        return cls(
            runs=ordered,
            run_ids=tuple(run.id for run in ordered),
            event=first.event.strip() if _event_key(first.event) else None,
            start=first.start,
            end=max((run_end(run) for run in ordered), key=utc),
        )

    @property
    def distance_m(self) -> float | None:
        known = [run.distance_m for run in self.runs if run.distance_m is not None]
        return float(sum(known)) if known else None

    @property
    def duration_s(self) -> int | None:
        known = [run.duration_s for run in self.runs if run.duration_s is not None]
        return int(sum(known)) if known else None


@dataclass(slots=True)  # not frozen: frozen init is slow at 100k records
class Effort:
    """A hard run group, why it is hard, and when it ended."""

    group: RunGroup
    reasons: tuple[str, ...]

    @property
    def end(self) -> datetime:
        return self.group.end

    @property
    def start(self) -> datetime:
        return self.group.start

    @property
    def run_ids(self) -> tuple[int, ...]:
        return self.group.run_ids

    @property
    def event(self) -> str | None:
        return self.group.event


def run_end(run: Run) -> datetime:
    """Start plus duration; the start alone when the duration is unknown."""
    if not run.duration_s:
        return run.start
    if type(run.start.tzinfo) is timezone:  # a fixed offset: plain addition is exact
        return run.start + timedelta(seconds=run.duration_s)
    return shift(run.start, run.duration_s)


def _event_key(event: str | None) -> str | None:
    if event is None:
        return None
    key = event.strip().casefold()
    return key or None


def _first_two(item: tuple) -> tuple:
    return item[0], item[1]


def group_runs(runs: Iterable[Run]) -> list[RunGroup]:
    """Group runs into events, oldest group first.

    A run joins the latest group of its event (case-insensitive, surrounding
    spaces ignored) when it starts at most 48 h after that group's first run;
    otherwise it opens a new group. A run without an event is its own group.
    """
    return [RunGroup.of(members) for members in _members(runs)]


def _members(runs: Iterable[Run]) -> list[list[Run]]:
    """The runs of each group (see ``group_runs``), without building groups."""
    # Epoch seconds: comparing floats is many times cheaper than aware datetimes.
    ordered = sorted(((run.stamp, run.id, run) for run in runs), key=_first_two)
    span = RELAY_SPAN.total_seconds()
    members: list[list[Run]] = []
    latest_by_event: dict[str, tuple[float, list[Run]]] = {}
    for stamp, _, run in ordered:
        key = _event_key(run.event) if run.event else None
        current = latest_by_event.get(key) if key is not None else None
        if current is not None and stamp - current[0] <= span:
            current[1].append(run)
            continue
        group = [run]
        members.append(group)
        if key is not None:
            latest_by_event[key] = (stamp, group)
    return members


def _type_and_rpe_reasons(run: Run, rules: HardEffortRules) -> set[str]:
    reasons: set[str] = set()
    if run.type in rules.types:
        reasons.add(run.type)
    if run.rpe is not None and run.rpe >= rules.rpe:
        reasons.add("rpe")
    return reasons


def _median(ordered: Sequence[float]) -> float:
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _load_hits(groups: Sequence[Sequence[Run]], rules: HardEffortRules) -> set[int]:
    """Ids of runs whose load meets rule 3.

    A sliding window over runs with a load, sorted by start, keeps the loads
    of the ``load_days`` before each run in a sorted list, so the median is a
    lookup; runs of the run's own group are taken out of a copy when present.
    """
    loaded = sorted(
        (run.stamp, run.id, load, index)
        for index, group in enumerate(groups)
        for run in group
        if (load := run.load) is not None
    )
    span = rules.load_days * 86400.0
    window: list[float] = []
    low = high = 0
    hits: set[int] = set()
    for start, run_id, load, group_index in loaded:
        while high < len(loaded) and loaded[high][0] < start:
            insort(window, loaded[high][2])
            high += 1
        while low < high and loaded[low][0] < start - span:
            del window[bisect_left(window, loaded[low][2])]
            low += 1
        prior = window
        members = groups[group_index]
        same_group = [
            run.load
            for run in members
            if run.load is not None and start - span <= run.stamp < start
        ] if len(members) > 1 else ()
        if same_group:
            prior = list(window)
            for value in same_group:
                del prior[bisect_left(prior, value)]
        if len(prior) < rules.load_min_runs or load <= 0:
            continue
        if load >= rules.load_factor * _median(prior):
            hits.add(run_id)
    return hits


def hard_efforts(runs: Iterable[Run], rules: HardEffortRules | None = None) -> list[Effort]:
    """The hard run groups among ``runs``, ordered by end (then first run id).

    Rule 3 looks back only at the runs given, so pass the ``load_days`` before
    the report period as well.
    """
    rules = rules or HardEffortRules()
    groups = _members(runs)
    load_hits = _load_hits(groups, rules)
    efforts: list[Effort] = []
    for members in groups:  # a RunGroup is built only for the hard ones
        reasons: set[str] = set()
        for run in members:
            reasons |= _type_and_rpe_reasons(run, rules)
            if run.id in load_hits:
                reasons.add("load")
        if reasons:
            efforts.append(Effort(group=RunGroup.of(members), reasons=tuple(sorted(reasons))))
    efforts.sort(key=lambda effort: (effort.group.end_stamp, effort.run_ids[0]))
    return efforts
