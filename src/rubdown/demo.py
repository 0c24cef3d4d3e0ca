"""A realistic 16-week season for ``rubdown demo``, relative to now.

Pure: returns new records (``id`` None) for ``Store.add_many``. Seeded, so the
same ``now`` always gives the same season. It holds what the report is about:
a three-leg overnight relay whose sports massage, planned for the Monday, came
on the Friday; races and long runs; foam rolling; a bi-weekly massage plan
with one missed period; and a long run so recent its recovery is pending.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from rubdown.models import Massage, Record, Run, SelfCare

WEEKS = 16
EVERY_DAYS = 14


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm)).astimezone()


def _run(start, km, pace_s, type_="easy", rpe=None, event=None, leg=None, note=None) -> Run:
    return Run(None, start, type_, round(km * 1000, 1), round(km * pace_s), rpe, event, leg,
               note)  # fmt: skip


def _massage(start, type_, minutes, cost, therapist="Ana Reyes", focus=(), note=None) -> Massage:
    return Massage(None, start, type_, minutes, therapist, cost * 100, focus, note)


def _care(start, type_, minutes, note=None) -> SelfCare:
    return SelfCare(None, start, type_, minutes, note)


def season(now: datetime, seed: int = 17) -> list[Record]:
    """The demo records, oldest first, none later than an hour before ``now``."""
    rng = random.Random(seed)
    today = now.date()
    first_monday = today - timedelta(days=today.weekday()) - timedelta(weeks=WEEKS - 1)
    items: list[Record] = []
    relay_week, race_week, half_week, skipped_massage_week = 11, 4, 8, 7
    for w in range(WEEKS):
        mon = first_monday + timedelta(weeks=w)
        day = lambda n, m=mon: m + timedelta(days=n)  # noqa: E731
        items.append(_run(_at(day(1), 6, 45), rng.uniform(7, 10), rng.uniform(325, 345),
                          rpe=rng.choice([3, 4, 4])))  # fmt: skip
        quality = "intervals" if w % 2 else "tempo"
        items.append(_run(_at(day(2), 18, 10), rng.uniform(9, 12), rng.uniform(280, 300),
                          quality, rpe=8 if w == 5 else rng.choice([6, 7])))  # fmt: skip
        if rng.random() < 0.7:
            items.append(_care(_at(day(2), 20, 30), "foam-roll", rng.choice([10, 15, 20])))
        items.append(_run(_at(day(3), 6, 50), rng.uniform(6, 8), rng.uniform(330, 350), rpe=3))
        if rng.random() < 0.4:
            items.append(_care(_at(day(3), 19, 0), "yoga", 30, "Thursday class"))
        if w == relay_week:
            # The story: three legs, 17 miles, a night in the van.
            event = "Ragnar Relay"
            items.append(_run(_at(day(4), 14, 10), 9.3, 318, "relay", 7, event, 1))
            items.append(_run(_at(day(4), 23, 40), 8.0, 335, "relay", 8, event, 2,
                              "Night leg, headlamp"))  # fmt: skip
            items.append(_run(_at(day(5), 7, 50), 10.1, 345, "relay", 9, event, 3,
                              "Slept two hours in the van"))  # fmt: skip
            items.append(_care(_at(day(6), 10, 0), "stretch", 15))
            # Planned for Monday; it happened on Friday.
            items.append(_massage(_at(day(11), 17, 0), "sports", 90, 110,
                                  focus=("calves", "quads", "hip flexors"),
                                  note="Booked for Monday, moved to Friday"))  # fmt: skip
            continue
        if w == race_week:
            items.append(_run(_at(day(5), 8, 30), 10.0, 262, "race", 9, "Turkey Trot 10K"))
        else:
            items.append(_run(_at(day(5), 8, 0), rng.uniform(5, 7), rng.uniform(335, 355),
                              rpe=2))  # fmt: skip
        if w == half_week:
            items.append(_run(_at(day(6), 7, 30), 21.1, 275, "race", 8, "City Half Marathon"))
        else:
            items.append(_run(_at(day(6), 8, 0), rng.uniform(16, 26), rng.uniform(335, 355),
                              "long", rpe=rng.choice([5, 6, 6])))  # fmt: skip
            if rng.random() < 0.6:
                items.append(_care(_at(day(6), 16, 0), "foam-roll", 15))
        # The bi-weekly plan: every other Tuesday evening (one period missed).
        if w % 2 == 1 and w != skipped_massage_week and w < WEEKS - 2:
            kind = rng.choice(["deep-tissue", "sports", "swedish"])
            items.append(_massage(_at(day(1) + timedelta(days=0), 17, 30), kind, 60, 95,
                                  focus=("calves", "hamstrings")))  # fmt: skip
    # A long run so recent that its recovery window is still open.
    recent = now - timedelta(hours=20)
    recent = recent.replace(second=0, microsecond=0)
    items.append(_run(recent, 24.0, 340, "long", 7,
                      note="Last long run before the taper"))  # fmt: skip
    # The regular schedule stops three days ago; then only that long run.
    cutoff = now - timedelta(days=3)
    items = [item for item in items if item.start <= cutoff or item.start == recent]
    items.sort(key=lambda item: item.start)
    return items
