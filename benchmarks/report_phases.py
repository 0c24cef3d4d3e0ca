"""Where a full-history report's time goes, step by step, in one process.

    python benchmarks/report_phases.py [--records N] [--db PATH]

Builds the benchmark's history of N records (100k by default, as bench.py
does) unless --db names an existing rubdown database, then times each step of
``rubdown report --since 1900-01-01 --json`` as ``rubdown.app`` runs it
(the cycle collector off, as there): reading the records, finding hard
efforts, following them up, the weekly rows, the report's JSON values, and
encoding them. Times are single runs: compare them with each other, not with
another machine's.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import NOW, build_history  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing database to report on")
    args = parser.parse_args()
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    end = datetime.fromisoformat(NOW)
    with tempfile.TemporaryDirectory(prefix="rubdown-bench-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "history.db"
            build_history(db, args.records, end)
        phases(db, end)


def phases(db: Path, end: datetime) -> None:
    from rubdown.analysis import HardEffortRules, build_report
    from rubdown.analysis.efforts import hard_efforts
    from rubdown.analysis.followup import follow_ups
    from rubdown.analysis.report import recovery
    from rubdown.analysis.weeks import weekly_rows
    from rubdown.render import dumps
    from rubdown.store import Store

    gc.disable()
    since = date(1900, 1, 1)
    steps: list[tuple[str, float]] = []

    def step(name: str, started: float) -> None:
        steps.append((name, time.perf_counter() - started))

    t = time.perf_counter()
    with Store.open(db, write=False) as store:
        runs, massages, care = store.records_by_kind(since=since, until=end.date(), end=end)
    step(f"read {len(runs) + len(massages) + len(care)} records", t)
    t = time.perf_counter()
    for record in (*runs, *massages, *care):
        record.stamp  # noqa: B018 - computed once, then cached
    step("epoch seconds of every record", t)
    t = time.perf_counter()
    efforts = hard_efforts(runs, HardEffortRules())
    step(f"hard efforts ({len(efforts)})", t)
    t = time.perf_counter()
    followed = follow_ups(efforts, massages, window_hours=72, report_end=end)
    step("follow-ups", t)
    t = time.perf_counter()
    weeks = weekly_rows(runs, massages, care, followed, since=since, until=end.date(),
                        report_end=end)  # fmt: skip
    step(f"weekly rows ({len(weeks)})", t)
    t = time.perf_counter()
    recovery(followed).to_json()
    step("efforts as report values, then JSON values", t)
    t = time.perf_counter()
    report = build_report(runs, massages, care, since=since, until=end.date(), report_end=end)
    step("the whole report again (build_report)", t)
    t = time.perf_counter()
    text = dumps(report.to_json())
    step(f"JSON text ({len(text) / 2**20:.1f} MiB)", t)
    for name, seconds in steps:
        print(f"  {name:<42} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
