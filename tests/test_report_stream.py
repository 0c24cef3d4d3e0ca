"""A long ``report --json`` is streamed (SPEC 15): the same bytes as the whole
report encoded at once, compact and indented, in memory that does not grow
with the history's length."""

from __future__ import annotations

import io
import random
import tracemalloc
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from rubdown.app import reporting
from rubdown.models import CheckIn, Massage, Plan, Run, SelfCare
from rubdown.render import dumps, write_json
from rubdown.store import Store

NEW_YORK = ZoneInfo("America/New_York")  # the tests' zone: DST weeks each year
FAR_EAST = timezone(timedelta(hours=9, minutes=30))
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=NEW_YORK)


def history(path, seed: int, days: int) -> None:
    """A seeded history of ``days`` days up to now with every feature a
    report shows: relays (event names that come back), runs with and without
    RPE or load, efforts still waiting at the end, massages with and without
    a cost, self-care, check-ins, plans done, skipped, missed and open, and a few records
    logged far east of the runner's zone."""
    rng = random.Random(seed)
    records: list = []
    first = NOW - timedelta(days=days)
    relay = 0
    for day in range(days):
        base = (first + timedelta(days=day)).replace(hour=6, minute=0, second=0)
        zone = FAR_EAST if rng.random() < 0.03 else NEW_YORK
        base = base.astimezone(zone) if zone is FAR_EAST else base
        for _ in range(rng.choice((0, 1, 1, 2))):
            start = base + timedelta(minutes=rng.randrange(0, 16 * 60))
            km = rng.uniform(3, 30)
            rpe = rng.choice((None, 3, 5, 6, 7, 8, 9)) if rng.random() < 0.8 else None
            records.append(Run(None, start, rng.choice(("easy", "easy", "tempo", "long", "race")),
                               km * 1000 if rng.random() < 0.95 else None,
                               int(km * rng.uniform(270, 400)) if rng.random() < 0.95 else None,
                               rpe))
        if rng.random() < 0.02:  # a relay: legs within 48 h, a name that comes back
            relay += 1
            name = f"Ragnar {relay % 3}"
            for leg in range(rng.randint(2, 4)):
                start = base + timedelta(hours=10 * leg + rng.randrange(0, 5))
                records.append(Run(None, start, "relay", 8000.0, 2800, rng.choice((None, 7, 9)),
                                   name if leg or rng.random() < 0.9 else f"  ragnar {relay % 3} ",
                                   leg + 1))
        if rng.random() < 0.09:
            records.append(Massage(None, base + timedelta(hours=rng.randrange(4, 15)),
                                   rng.choice(("sports", "deep-tissue", "thai")),
                                   rng.choice((30, 60, 90)), "Ana",
                                   rng.choice((None, 8500, 9550, 12000))))
        if rng.random() < 0.35:  # a check-in: its day at noon, some ratings
            noon = (first + timedelta(days=day)).replace(hour=12, minute=0, second=0)
            records.append(CheckIn(None, noon, soreness=rng.choice((None, 0, 3, 6, 9)),
                                   sore=rng.choice(((), (("calves", 7),), (("quads", 4),))),
                                   fatigue=rng.choice((None, 2, 4)), sleep=3))
        if rng.random() < 0.3:
            records.append(SelfCare(None, base + timedelta(hours=rng.randrange(12, 16)),
                                    rng.choice(("foam-roll", "yoga")), rng.randint(5, 40)))
    # The last days: hard efforts still waiting, nothing after them.
    records.append(Run(None, NOW - timedelta(hours=30), "race", 21097.0, 6000, 9))
    records.append(Run(None, NOW - timedelta(hours=5), "long", 25000.0, 8000, 7))
    with Store.open(path, write=True) as store:
        store.add_many([r for r in records if r.start < NOW - timedelta(days=2)], source="test")
        for record in records:
            if record.start >= NOW - timedelta(days=2):
                store.add(record)
        for index in range(days // 20):  # plans: done, skipped, missed, open
            planned = first + timedelta(days=20 * index + 3, hours=12)
            kind = rng.choice(("run", "massage", "self-care"))
            typ = {"run": rng.choice((None, "tempo")), "massage": "sports",
                   "self-care": "yoga"}[kind]
            fate = rng.choice(("done", "skipped", "missed"))
            plan = store.add(Plan(None, planned, typ, plan_kind=kind, skipped=fate == "skipped",
                                  minutes=None if kind == "run" else 45))
            if fate == "done":
                at = planned + timedelta(hours=rng.randrange(-30, 60))
                session = (Run(None, at, typ or "easy", 10000.0, 3300, 6) if kind == "run" else
                           Massage(None, at, "sports", 60, None, 9000) if kind == "massage" else
                           SelfCare(None, at, "yoga", 30))
                store.add(session, plan_id=plan.id)
        store.add(Plan(None, NOW - timedelta(days=2), "tempo", plan_kind="run"))  # open


def whole(db, **options) -> dict:
    """The report as the whole value (``build_report``), as JSON."""
    return reporting.report(db=db, **options).report.to_json()


def streamed(db, indent: int | None, **options) -> str:
    out = io.StringIO()

    def write(notices, document) -> None:
        write_json(document, out, indent=indent)

    reporting.report_json(write, db=db, **options)
    return out.getvalue()


CONFIGS = [
    "",
    'week_start = "sunday"\n[follow_up]\nself_care = true\nwindow_hours = 36\n'
    '[massage]\nevery = "2w"\n[budget]\nrecovery = "120/month"\n',
    'week_start = "monday"\n[massage]\nevery = "30d"\n[budget]\nrecovery = "30/week"\n'
    "[hard_effort]\nload_min_runs = 2\nload_factor = 1.5\n",
]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_streamed_report_is_byte_identical(tmp_path, config_file, monkeypatch, seed):
    config_file.write_text(CONFIGS[seed % len(CONFIGS)])
    if seed % 2:  # the shortest chunks (8 weeks): many more edges between them
        monkeypatch.setattr(reporting, "CHUNK_RECORDS", 10)
    db = tmp_path / "h.db"
    history(db, seed, days=700 + 150 * seed)
    for options in ({"since": "1900-01-01"}, {"since": "2025-06-03", "until": "2026-10-10"}):
        expected = whole(db, **options)
        for indent in (None, 2):
            assert streamed(db, indent, **options) == dumps(expected, indent=indent)


def test_cli_streams_a_long_report(tmp_path, config_file, rubdown):
    config_file.write_text(CONFIGS[1])
    db = tmp_path / "h.db"
    history(db, 9, days=500)
    result = rubdown("--db", str(db), "report", "--since", "2020-01-01", "--json")
    assert result.exit_code == 0
    assert result.stdout == dumps(whole(db, since="2020-01-01")) + "\n"


def test_an_empty_log_streams_too(tmp_path):
    db = tmp_path / "h.db"
    with Store.open(db, write=True):
        pass
    for indent in (None, 2):
        assert streamed(db, indent, since="1990-01-01") == dumps(
            whole(db, since="1990-01-01"), indent=indent
        )


class Discard:
    """An output that keeps nothing of what is written to it."""

    def write(self, text: str) -> int:
        return len(text)


def peak_bytes(db) -> int:
    """The peak of Python's allocations while a full-history report streams."""
    tracemalloc.start()
    try:
        reporting.report_json(lambda _, doc: write_json(doc, Discard()), db=db,
                              since="1990-01-01")  # fmt: skip
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streamed_memory_does_not_grow_with_the_history(tmp_path):
    """Ten times the history, about the same peak: no list of every record
    (the whole report of the larger history peaks about 14 MB higher)."""
    small, large = tmp_path / "small.db", tmp_path / "large.db"
    history(small, 5, days=1_400)  # about 2k records
    history(large, 5, days=14_000)  # about 20k records, back to the 1980s
    peak_bytes(small)  # once first: what is imported and cached on first use
    small_peak, large_peak = peak_bytes(small), peak_bytes(large)
    assert large_peak < small_peak + 1_000_000, (small_peak, large_peak)
