"""Hard efforts: relay grouping and the three rules of SPEC section 3."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone

from rubdown.models import Run, Value

from ._time import shift

#: Legs of one event start within this span of the event's first leg.
RELAY_SPAN = timedelta(hours=48)


class HardEffortRules(Value):
    """Thresholds that make a run (or an event's group of runs) hard."""

    FIELDS = ("types", "rpe", "load_factor", "load_days", "load_min_runs")
    __slots__ = FIELDS

    def __init__(
        self,
        types: tuple[str, ...] = ("race", "relay", "long"),
        rpe: int = 8,
        load_factor: float = 2.0,
        load_days: int = 28,
        load_min_runs: int = 4,
    ) -> None:
        self.types = types
        self.rpe = rpe
        self.load_factor = load_factor
        self.load_days = load_days
        self.load_min_runs = load_min_runs


class RunGroup(Value):
    """One run, or the legs of one event started within 48 h of the first."""

    FIELDS = ("runs", "run_ids", "event", "start", "end", "end_stamp")
    __slots__ = FIELDS

    def __init__(
        self,
        runs: tuple[Run, ...],
        run_ids: tuple[int | None, ...],
        event: str | None,
        start: datetime,
        end: datetime,
        end_stamp: float,  # ``end`` as epoch seconds, for cheap sorting and lags
    ) -> None:
        self.runs = runs
        self.run_ids = run_ids
        self.event = event
        self.start = start
        self.end = end
        self.end_stamp = end_stamp

    @classmethod
    def single(cls, run: Run) -> RunGroup:
        """The group of one run (most groups): nothing to sort or compare."""
        event = run.event.strip() if run.event and _event_key(run.event) else None
        return cls((run,), (run.id,), event, run.start, run_end(run), _end_stamp(run))

    @classmethod
    def of(cls, runs: Iterable[Run]) -> RunGroup:
        ordered = tuple(runs)
        if len(ordered) == 1:
            return cls.single(ordered[0])
        ordered = tuple(sorted(ordered, key=lambda run: (run.stamp, run.id)))
        if not ordered:
            raise ValueError("a run group needs at least one run")
        first = ordered[0]
        last = max(ordered, key=_end_stamp)
        return cls(
            runs=ordered,
            run_ids=tuple(run.id for run in ordered),
            event=first.event.strip() if first.event and _event_key(first.event) else None,
            start=first.start,
            end=run_end(last),
            end_stamp=_end_stamp(last),
        )

    @property
    def distance_m(self) -> float | None:
        known = [run.distance_m for run in self.runs if run.distance_m is not None]
        return float(sum(known)) if known else None

    @property
    def duration_s(self) -> int | None:
        known = [run.duration_s for run in self.runs if run.duration_s is not None]
        return int(sum(known)) if known else None


class Effort(Value):
    """A hard run group, why it is hard, and when it ended."""

    FIELDS = ("group", "reasons")
    __slots__ = FIELDS

    def __init__(self, group: RunGroup, reasons: tuple[str, ...]) -> None:
        self.group = group
        self.reasons = reasons

    @property
    def end(self) -> datetime:
        return self.group.end

    @property
    def run_ids(self) -> tuple[int | None, ...]:
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


def _end_stamp(run: Run) -> float:
    """``run_end(run)`` as epoch seconds: the start's plus real elapsed seconds."""
    return run.stamp + (run.duration_s or 0)


def _event_key(event: str | None) -> str | None:
    if event is None:
        return None
    key = event.strip().casefold()
    return key or None


def event_groups(runs: Iterable[Run]) -> list[list[Run]]:
    """Runs grouped into events, oldest group first, each by start (then id).

    A run joins the latest group of its event (case-insensitive, surrounding
    spaces ignored) when it starts at most 48 h after that group's first run;
    otherwise it opens a new group. A run without an event is its own group.
    Plain lists: a ``RunGroup`` is built only for the groups that are hard.
    """
    # Epoch seconds: comparing floats is many times cheaper than aware datetimes.
    ordered = sorted(runs, key=_start_order)
    span = RELAY_SPAN.total_seconds()
    members: list[list[Run]] = []
    latest_by_event: dict[str, tuple[float, list[Run]]] = {}
    for run in ordered:
        event = run.event
        key = _event_key(event) if event else None
        if key is None:  # most runs: a group of their own
            members.append([run])
            continue
        stamp = run.stamp
        current = latest_by_event.get(key)
        if current is not None and stamp - current[0] <= span:
            current[1].append(run)
            continue
        group = [run]
        members.append(group)
        latest_by_event[key] = (stamp, group)
    return members


def _start_order(run: Run) -> tuple[float, int | None]:
    return run.stamp, run.id


def _load_hits(groups: Sequence[Sequence[Run]], rules: HardEffortRules) -> set[int | None]:
    """Ids of runs whose load meets rule 3.

    A sliding window over runs with a load, sorted by start, keeps the loads
    of the ``load_days`` before each run in a sorted list, so the median is a
    lookup; runs of the run's own group are taken out of a copy when present.
    """
    loaded = []
    for index, group in enumerate(groups):
        for run in group:
            load = run.load
            if load is not None:
                loaded.append((run.stamp, run.id, load, index))
    loaded.sort()  # (start, id) is unique: the sort never compares further
    stamps = [item[0] for item in loaded]
    loads = [item[2] for item in loaded]
    count = len(loaded)
    span = rules.load_days * 86400.0
    min_runs, factor = rules.load_min_runs, rules.load_factor
    window: list[float] = []  # loads of the span before ``start``, sorted
    low = high = 0
    hits: set[int | None] = set()
    for start, run_id, load, group_index in loaded:
        while high < count and stamps[high] < start:
            insort(window, loads[high])
            high += 1
        cutoff = start - span
        while low < high and stamps[low] < cutoff:
            del window[bisect_left(window, loads[low])]
            low += 1
        if load <= 0:
            continue
        prior = window
        members = groups[group_index]
        if len(members) > 1:
            same_group = [
                run.load
                for run in members
                if run.load is not None and cutoff <= run.stamp < start
            ]
            if same_group:
                prior = list(window)
                for value in same_group:
                    del prior[bisect_left(prior, value)]
        size = len(prior)
        if size < min_runs:
            continue
        middle = size // 2
        median = prior[middle] if size % 2 else (prior[middle - 1] + prior[middle]) / 2
        if load >= factor * median:
            hits.add(run_id)
    return hits


def hard_efforts(runs: Iterable[Run], rules: HardEffortRules | None = None) -> list[Effort]:
    """The hard run groups among ``runs``, ordered by end (then first run id).

    Rule 3 looks back only at the runs given, so pass the ``load_days`` before
    the report period as well.
    """
    rules = rules or HardEffortRules()
    groups = event_groups(runs)
    load_hits = _load_hits(groups, rules)
    hard_types, hard_rpe = rules.types, rules.rpe
    # The reasons of a run: its hard type (or None), its RPE rule, its load
    # rule; the few distinct answers are sorted once each.
    reasons_of: dict[tuple[str | None, bool, bool], tuple[str, ...]] = {}
    efforts: list[Effort] = []
    for members in groups:  # a RunGroup is built only for the hard ones
        if len(members) == 1:  # most groups: one run, no sorting
            run = members[0]
            rpe = run.rpe
            key = (
                run.type if run.type in hard_types else None,
                rpe is not None and rpe >= hard_rpe,
                run.id in load_hits,
            )
            if key == _NOT_HARD:
                continue
            reasons = reasons_of.get(key)
            if reasons is None:
                reasons = reasons_of[key] = _reasons(key)
            efforts.append(Effort(RunGroup.single(run), reasons))
            continue
        found: set[str] = set()
        for run in members:
            found.update(
                _reasons(
                    (
                        run.type if run.type in hard_types else None,
                        run.rpe is not None and run.rpe >= hard_rpe,
                        run.id in load_hits,
                    )
                )
            )
        if found:
            efforts.append(Effort(RunGroup.of(members), tuple(sorted(found))))
    efforts.sort(key=_effort_order)
    return efforts


_NOT_HARD = (None, False, False)


def _reasons(key: tuple[str | None, bool, bool]) -> tuple[str, ...]:
    hard_type, rpe, load = key
    found = {hard_type} if hard_type else set()
    if rpe:
        found.add("rpe")
    if load:
        found.add("load")
    return tuple(sorted(found))


def _effort_order(effort: Effort) -> tuple[float, int | None]:
    return effort.group.end_stamp, effort.group.run_ids[0]


def history_since(since: date, rules: HardEffortRules) -> date:
    """The first day a report of a period that begins on ``since`` must read:
    the load rule (rule 3) looks back ``rules.load_days`` before each run, and
    the legs of an event may begin up to two days before the period does."""
    return since - timedelta(days=rules.load_days + 2)
