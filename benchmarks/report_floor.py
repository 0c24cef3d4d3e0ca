"""How fast could a full-history report be in Python at all? A lower bound.

    python benchmarks/report_floor.py [--rounds N]

Builds bench.py's 100k-record history and times, as separate processes
alternating round by round, the floor (python3 + one SQLite insert),
``rubdown report --since 1900-01-01 --json``, and ``lean``: the least Python
work that report can do. ``lean`` reads tuples (no validation, no record
objects), computes each run's epoch seconds and the load rule, and writes one
JSON object per hard effort with its follow-up; it skips relay grouping,
weekly rows, regularity and attention. It does strictly less than the report,
so its ratio bounds from below what any pure-Python report could reach here.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import sys
import tempfile
import time
from bisect import bisect_left, insort
from datetime import datetime, timedelta
from pathlib import Path

HARD_TYPES = ("race", "relay", "long")


def lean(db: str) -> None:
    gc.disable()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    runs = conn.execute(
        "SELECT r.id, r.type, r.start, c.distance_m, c.duration_s, c.rpe"
        " FROM records r JOIN runs c ON c.id = r.id"
    ).fetchall()
    massages = conn.execute(
        "SELECT r.id, r.type, r.start, c.minutes FROM records r JOIN massages c ON c.id = r.id"
    ).fetchall()
    rows = []
    for run_id, run_type, start, distance, duration, rpe in runs:
        moment = datetime.fromisoformat(start)
        load = rpe * duration / 60 if rpe is not None and duration else None
        rows.append((moment.timestamp(), run_id, run_type, moment, distance, duration, rpe, load))
    rows.sort()
    stamps, loads = [row[0] for row in rows], [row[7] for row in rows]
    window: list[float] = []
    low = high = 0
    hits = set()
    for stamp, run_id, *_, load in rows:
        while high < len(rows) and stamps[high] < stamp:
            if loads[high] is not None:
                insort(window, loads[high])
            high += 1
        while low < high and stamps[low] < stamp - 28 * 86400:
            if loads[low] is not None:
                del window[bisect_left(window, loads[low])]
            low += 1
        if load and len(window) >= 4:
            mid = len(window) // 2
            median = window[mid] if len(window) % 2 else (window[mid - 1] + window[mid]) / 2
            if load >= 2 * median:
                hits.add(run_id)
    sessions = sorted((datetime.fromisoformat(m[2]).timestamp(), m[0], m) for m in massages)
    starts = [s[0] for s in sessions]
    shared: dict[int, dict] = {}
    efforts = []
    for stamp, run_id, run_type, moment, distance, duration, rpe, _ in rows:
        if not (run_type in HARD_TYPES or (rpe is not None and rpe >= 8) or run_id in hits):
            continue
        end = stamp + (duration or 0)
        index = bisect_left(starts, end)
        follow = None
        if index < len(sessions):
            m = sessions[index][2]
            follow = shared.get(m[0]) or shared.setdefault(
                m[0], {"kind": "massage", "id": m[0], "type": m[1], "start": m[2], "minutes": m[3]}
            )
        efforts.append({
            "run_ids": [run_id], "event": None, "start": moment.isoformat(),
            "end": (moment + timedelta(seconds=duration or 0)).isoformat(), "reasons": [],
            "status": "", "follow_up": follow,
            "lag_hours": round((starts[index] - end) / 3600, 2) if follow else None,
            "waiting_hours": None, "distance_m": distance, "duration_s": duration,
        })  # fmt: skip
    sys.stdout.write(json.dumps({"efforts": efforts}, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lean", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lean:
        lean(args.lean)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench import FLOOR_CODE, NOW, build_history, child_env, measure, rubdown_argv

    with tempfile.TemporaryDirectory(prefix="rubdown-bench-") as tmp:
        env = child_env(Path(tmp))
        db = Path(tmp) / "100k.db"
        build_history(db, 100_000, datetime.fromisoformat(NOW))
        cases = {
            "floor (python3 + sqlite3 insert)": [sys.executable, "-c", FLOOR_CODE,
                                                 str(Path(tmp) / "floor.db")],
            "rubdown report, full history": [*rubdown_argv(), "--db", str(db), "report",
                                             "--since", "1900-01-01", "--json"],
            "lean (a lower bound)": [sys.executable, __file__, "--lean", str(db)],
        }  # fmt: skip
        started = time.perf_counter()
        med = measure(cases, env, args.rounds)
        floor = med["floor (python3 + sqlite3 insert)"]
        took = time.perf_counter() - started
        print(f"medians of {args.rounds} alternating rounds ({took:.0f} s)")
        for name, seconds in med.items():
            print(f"  {name:34} {seconds * 1000:8.1f} ms {seconds / floor:7.1f}× floor")


if __name__ == "__main__":
    main()
