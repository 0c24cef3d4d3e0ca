"""How the runner rated the days (SPEC 11): the report's ``wellness``
section and the one line it may add under *Needs attention*.

Descriptive only: means of what was rated, next to the massages. Nothing
is scored and nothing is inferred beyond the one line SPEC 11 names. A
check-in's day is its local date (``start.date()``); a check-in is seen by
a report whose end falls on or after its day.
"""

from __future__ import annotations

from datetime import date, timedelta

from rubdown.models import CheckIn, Massage, Value

from .weeks import MONDAY, week_label, weeks_overlapping

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from collections.abc import Sequence

#: Days on each side of a massage that ``around_massage`` reads.
AROUND_DAYS = 7
#: How many check-ins on each side of a massage its mean takes (at most).
AROUND_COUNT = 2
#: An area rated this or more in its ``PERSISTENT_COUNT`` latest check-ins,
#: all within ``PERSISTENT_DAYS`` days, gives the *Needs attention* line.
PERSISTENT_RATING = 7
PERSISTENT_COUNT = 3
PERSISTENT_DAYS = 7
#: The line (SPEC 11), word for word.
PERSISTENT_LINE = (
    "Persistent or sharp pain isn't ordinary soreness; consider seeing a health professional."
)


def history_since(since: date) -> date:
    """The first day of check-ins a report of a period from ``since`` reads:
    the days before its first massage (the *Needs attention* rule reads the
    last ``PERSISTENT_DAYS`` days before the end, which the caller adds)."""
    return since - timedelta(days=AROUND_DAYS)


def mean(values: Sequence[int | None]) -> float | None:
    """The mean of the values given (None ignored), to 2 decimals; None over
    no value."""
    given = [v for v in values if v is not None]
    return round(sum(given) / len(given), 2) if given else None


class WellnessWeek(Value):
    """One week: how many check-ins, and the means of what they rated."""

    FIELDS = ("week", "check_ins", "soreness_mean", "fatigue_mean", "sleep_mean")
    __slots__ = FIELDS

    def __init__(self, week: str, check_ins: int, soreness_mean: float | None,
                 fatigue_mean: float | None, sleep_mean: float | None) -> None:  # fmt: skip
        self.week = week
        self.check_ins = check_ins
        self.soreness_mean = soreness_mean
        self.fatigue_mean = fatigue_mean
        self.sleep_mean = sleep_mean

    def to_json(self) -> dict:
        return {
            "week": self.week,
            "check_ins": self.check_ins,
            "soreness_mean": self.soreness_mean,
            "fatigue_mean": self.fatigue_mean,
            "sleep_mean": self.sleep_mean,
        }


class AroundMassage(Value):
    """Mean overall soreness rated before and after one massage, and how
    many check-ins each mean holds."""

    FIELDS = ("massage_id", "day", "before", "after", "n_before", "n_after")
    __slots__ = FIELDS

    def __init__(self, massage_id: int | None, day: date, before: float | None,
                 after: float | None, n_before: int, n_after: int) -> None:  # fmt: skip
        self.massage_id = massage_id
        self.day = day
        self.before = before
        self.after = after
        self.n_before = n_before
        self.n_after = n_after

    def to_json(self) -> dict:
        return {
            "massage_id": self.massage_id,
            "before": self.before,
            "after": self.after,
            "n_before": self.n_before,
            "n_after": self.n_after,
        }


class Wellness(Value):
    """The report's ``wellness`` section (SPEC 11); ``persistent``: the areas
    that give the *Needs attention* line (not part of its JSON)."""

    FIELDS = ("weeks", "around_massage", "persistent")
    __slots__ = FIELDS

    def __init__(self, weeks: tuple[WellnessWeek, ...] = (),
                 around_massage: tuple[AroundMassage, ...] = (),
                 persistent: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.weeks = weeks
        self.around_massage = around_massage
        self.persistent = persistent

    @property
    def check_ins(self) -> int:
        """How many check-ins the period holds."""
        return sum(week.check_ins for week in self.weeks)

    def to_json(self) -> dict:
        return {
            "weeks": [week.to_json() for week in self.weeks],
            "around_massage": [item.to_json() for item in self.around_massage],
        }


def around(
    day: date, check_ins: Sequence[CheckIn], *, seen_until: date, massage_id: int | None = None
) -> AroundMassage:
    """The soreness around a massage on local ``day``: ``before`` is the mean
    overall soreness of the (up to) ``AROUND_COUNT`` latest check-ins dated
    in the ``AROUND_DAYS`` days before ``day``, ``after`` of the (up to)
    ``AROUND_COUNT`` earliest in the ``AROUND_DAYS`` days after it (those
    dated up to ``seen_until``). The massage's own day is in neither. Only
    check-ins that rate overall soreness count."""
    rated = sorted(
        (c.start.date(), c.id or 0, c.soreness) for c in check_ins if c.soreness is not None
    )
    span = timedelta(days=AROUND_DAYS)
    before = [s for d, _, s in rated if day - span <= d < day][-AROUND_COUNT:]
    after = [s for d, _, s in rated if day < d <= min(day + span, seen_until)][:AROUND_COUNT]
    return AroundMassage(massage_id, day, mean(before), mean(after), len(before), len(after))


def persistent_areas(check_ins: Sequence[CheckIn], today: date) -> tuple[str, ...]:
    """The areas whose ``PERSISTENT_COUNT`` latest ratings (the latest
    check-ins that rate the area, dated up to ``today``) are all within the
    last ``PERSISTENT_DAYS`` days (``today`` and the days before it) and all
    ``PERSISTENT_RATING`` or more; sorted."""
    ratings: dict[str, list[tuple[date, int]]] = {}
    for check_in in check_ins:
        day = check_in.start.date()
        if day <= today:
            for area, rating in check_in.sore:
                ratings.setdefault(area, []).append((day, rating))
    first = today - timedelta(days=PERSISTENT_DAYS - 1)
    found = []
    for area, rated in ratings.items():
        latest = sorted(rated)[-PERSISTENT_COUNT:]
        if len(latest) == PERSISTENT_COUNT and all(
            day >= first and rating >= PERSISTENT_RATING for day, rating in latest
        ):
            found.append(area)
    return tuple(sorted(found))


def wellness(
    check_ins: Sequence[CheckIn],
    massages: Sequence[Massage],
    *,
    since: date,
    until: date,
    end_day: date,
    week_start: int = MONDAY,
) -> Wellness:
    """The ``wellness`` section of a report of [since, until] that ends on
    ``end_day``: one row per week of the period (its check-ins dated in the
    period), the soreness around each massage dated in the period (oldest
    first), and the areas for *Needs attention* as of ``end_day``. Pass the
    check-ins from ``history_since(since)`` (and the last ``PERSISTENT_DAYS``
    before ``end_day``) to ``until`` plus ``AROUND_DAYS``."""
    seen = [c for c in check_ins if c.start.date() <= end_day]
    inside = [c for c in seen if since <= c.start.date() <= until]
    rows = []
    for first in weeks_overlapping(since, until, week_start):
        week = [c for c in inside if first <= c.start.date() < first + timedelta(days=7)]
        rows.append(WellnessWeek(
            week_label(first, week_start), len(week), mean([c.soreness for c in week]),
            mean([c.fatigue for c in week]), mean([c.sleep for c in week]),
        ))  # fmt: skip
    shown = sorted(
        (m for m in massages if since <= m.start.date() <= until and m.start.date() <= end_day),
        key=lambda m: (m.stamp, m.id or 0),
    )
    arounds = tuple(
        around(m.start.date(), seen, seen_until=end_day, massage_id=m.id) for m in shown
    )
    return Wellness(tuple(rows), arounds, persistent_areas(seen, end_day))
