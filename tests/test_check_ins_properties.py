"""Properties of SPEC 11: the body-area vocabulary, the windows around a
massage (the massage's own day in neither, days the clocks change), and one
check-in per day with undo."""

from __future__ import annotations

import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from rubdown import app
from rubdown.analysis.wellness import around, wellness
from rubdown.errors import ParseError
from rubdown.models import BODY_AREAS, CheckIn, Massage
from rubdown.parsing import parse_area, parse_focus

SETTINGS = settings(max_examples=100, deadline=None)
NEW_YORK = ZoneInfo("America/New_York")
#: The days the clocks change in New York in 2026, and days around them.
DST_DAYS = (date(2026, 3, 8), date(2026, 11, 1))

sides = st.sampled_from(["", "left-", "right-", "l-", "r-", "Left ", "R_", "L "])


@st.composite
def spelled_areas(draw) -> tuple[str, str]:
    """(a way to type an area, the area it names)."""
    area = draw(st.sampled_from(BODY_AREAS))
    side = draw(sides)
    word = area
    if area.endswith("s") and area not in ("achilles",) and draw(st.booleans()):
        word = area[:-1]  # the singular: hamstring, quad, knee
    word = draw(st.sampled_from([word, word.upper(), word.title(), word.replace("-", " "),
                                 word.replace("-", "_")]))  # fmt: skip
    named = side.strip(" _-").lower()[:1]
    canonical = {"l": "left-", "r": "right-", "": ""}[named] + area
    return side + word, canonical


@SETTINGS
@given(spelled_areas())
def test_every_spelling_of_an_area_reads_as_the_area(spelled):
    typed, canonical = spelled
    assert parse_area(typed) == canonical
    assert parse_area(canonical) == canonical  # every canonical area maps to itself


@SETTINGS
@given(st.text(max_size=30))
def test_the_normaliser_is_idempotent(text):
    try:
        area = parse_area(text)
    except ParseError as exc:
        assert "Unknown body area" in str(exc)
        return
    assert parse_area(area) == area
    assert area.split("-", 1)[-1] in BODY_AREAS or area in BODY_AREAS


@SETTINGS
@given(st.lists(spelled_areas(), max_size=20))
def test_focus_is_the_areas_once_each_in_order(spelled):
    areas = parse_focus(",".join(typed for typed, _ in spelled))
    assert areas == tuple(dict.fromkeys(canonical for _, canonical in spelled))


# -- around a massage ---------------------------------------------------------------


def check_in_on(day: date, soreness: int | None, ident: int) -> CheckIn:
    return CheckIn(ident, datetime.combine(day, time(12), NEW_YORK), soreness=soreness)


@st.composite
def massage_and_check_ins(draw):
    base = draw(st.sampled_from(DST_DAYS))
    day = base + timedelta(days=draw(st.integers(-2, 2)))
    at = datetime.combine(day, draw(st.times()), NEW_YORK)
    offsets = draw(st.lists(st.integers(-10, 10), max_size=12, unique=True))
    ratings = draw(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=len(offsets),
                            max_size=len(offsets)))  # fmt: skip
    check_ins = [check_in_on(day + timedelta(days=o), r, i + 1)
                 for i, (o, r) in enumerate(zip(offsets, ratings, strict=True))]  # fmt: skip
    return at, check_ins


def mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@SETTINGS
@given(massage_and_check_ins(), st.integers(0, 10))
def test_the_massage_day_is_in_neither_window(case, own_day_rating):
    at, check_ins = case
    day = at.date()
    far = day + timedelta(days=30)
    found = around(day, check_ins, seen_until=far)
    # As counted by hand: the ratings dated 1..7 days before, the latest 2; 1..7 after, the first 2.
    rated = sorted((c.start.date(), c.soreness) for c in check_ins if c.soreness is not None)
    before = [s for d, s in rated if 1 <= (day - d).days <= 7][-2:]
    after = [s for d, s in rated if 1 <= (d - day).days <= 7][:2]
    assert (found.before, found.n_before, found.after, found.n_after) == (
        mean(before), len(before), mean(after), len(after))
    # A check-in on the massage's own day changes neither side.
    others = [c for c in check_ins if c.start.date() != day]
    with_own = [*others, check_in_on(day, own_day_rating, 99)]
    assert around(day, with_own, seen_until=far) == around(day, others, seen_until=far)
    # The report reads the massage's local date, whatever the offset of that day.
    massage = Massage(1, at, "sports", 60)
    section = wellness(check_ins, [massage], since=day - timedelta(days=1),
                       until=day + timedelta(days=1), end_day=far)  # fmt: skip
    (item,) = section.around_massage
    assert (item.before, item.after) == (found.before, found.after)


@SETTINGS
@given(massage_and_check_ins())
def test_a_check_in_after_the_reports_end_is_not_seen(case):
    at, check_ins = case
    day = at.date()
    found = around(day, check_ins, seen_until=day)
    assert (found.after, found.n_after) == (None, 0)


# -- one check-in per day, and undo ----------------------------------------------

RATING_OPTIONS = {
    "soreness": st.integers(0, 10).map(str),
    "sore": st.dictionaries(st.sampled_from(["calves", "quads", "left-shins"]),
                            st.integers(0, 10), min_size=1, max_size=2).map(
        lambda d: ",".join(f"{a}={n}" for a, n in d.items())),
    "fatigue": st.integers(1, 5).map(str),
    "sleep": st.integers(1, 5).map(str),
    "mood": st.integers(1, 5).map(str),
}  # fmt: skip
typed_check_ins = st.fixed_dictionaries(
    {}, optional={name: value for name, value in RATING_OPTIONS.items()}
).filter(bool)


def expected_after(state: dict, typed: dict) -> dict:
    """The day's values after a check-in typing ``typed``, as SPEC 11 says."""
    new = dict(state)
    for name in ("fatigue", "sleep", "mood"):
        if name in typed:
            new[name] = int(typed[name])
    if "sore" in typed:
        sore = dict(new.get("sore", {}))
        sore.update({a: int(n) for a, n in (p.split("=") for p in typed["sore"].split(","))})
        new["sore"] = sore
    if "soreness" in typed:
        new["soreness"] = int(typed["soreness"])
    elif "sore" in typed:
        new["soreness"] = max(new["sore"].values())
    return new


def stored(record: CheckIn) -> dict:
    values = {"soreness": record.soreness, "sore": dict(record.sore), "fatigue": record.fatigue,
              "sleep": record.sleep, "mood": record.mood}  # fmt: skip
    return {k: v for k, v in values.items() if v not in (None, {})}


@settings(max_examples=25, deadline=None)
@given(st.lists(typed_check_ins, min_size=1, max_size=4))
def test_one_check_in_per_day_merges_and_undo_restores_each_step(steps):
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "log.db"
        states = [{}]
        for typed in steps:
            checked = app.check_in(dict(typed), db=db)
            states.append(expected_after(states[-1], typed))
            assert stored(checked.record) == states[-1]
            assert checked.record.id == 1  # one per day
        for state in reversed(states[:-1]):
            app.undo(db=db)
            records, _ = app.list_records(db=db)
            assert [stored(r) for r in records] == ([state] if state else [])  # type: ignore[arg-type]
