"""rubdown's benchmark suite: startup, report and import cost, as ratios.

    python benchmarks/bench.py [--rounds N] [--huge] [--import-files N] [--real-files N]

Builds its own data in a temporary folder, then times whole commands as
separate processes, alternating them round by round so that load on a shared
machine hits all of them alike, and prints medians and their ratio to the
floor: a bare ``python3`` that opens SQLite and inserts one row. Absolute
times on a shared machine are noise; the ratios are the result.

Peak memory is each command's own high-water mark, measured in one more run
started from a small launcher process (see ``peak_rss``).

``--huge`` adds the 1M-record history (a few minutes to build). Import
throughput comes last, from ``bench_import.py`` beside this file, on
``--import-files`` generated activity files (0 skips it), then from
``bench_real_import.py`` on ``--real-files`` real-sized ones (0 skips it).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

NOW = "2026-11-29T19:00:00-05:00"
FLOOR_CODE = (
    "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
    " c.execute('create table if not exists t (x)'); c.execute('insert into t values (1)');"
    " c.commit()"
)

TARGETS = {
    "rubdown --help": 3.0,
    "rubdown log run": 3.0,
    "rubdown report (a year)": 3.5,
    "rubdown due --short (a year)": 2.0,  # drawn with every shell prompt
}


def child_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    # A user's Python caches bytecode; measure that, not a cold compile.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        RUBDOWN_CONFIG=str(tmp / "no-config.toml"),
        RUBDOWN_NOW=NOW,
        TZ="America/New_York",
        COLUMNS="100",
    )
    return env


def rubdown_argv() -> list[str]:
    script = Path(sys.executable).with_name("rubdown")
    return [str(script)] if script.exists() else [sys.executable, "-m", "rubdown"]


#: rubdown's dates begin in 1900, so no history reaches back further than
#: this (about 109 years before the benchmark's day).
MAX_DAYS = 40_000


def build_history(path: Path, records: int, end: datetime) -> None:
    """About ``records`` records ending at ``end``: 2 runs a day, a massage every
    14 days, self-care on 3 days in 7, spread back as far as they need.

    A history too large for MAX_DAYS at that pace (1M records) packs extra
    runs into its days before the last year instead, so the recent weeks a
    default report reads look alike at every size.
    """
    from rubdown.store import Store

    with Store.open(path, write=True):
        pass
    rng = random.Random(7)
    per_day = 2 + 3 / 7 + 1 / 14
    days = max(1, round(records / per_day))
    extra_per_day = 0.0
    if days > MAX_DAYS:
        days = MAX_DAYS
        extra_per_day = (records - days * per_day) / (days - 365)
    extra = 0.0
    rows, runs, massages, care = [], [], [], []
    rid = 0
    created = "2026-11-29T00:00:00+00:00"
    for d in range(days, 0, -1):
        day = end - timedelta(days=d)
        todays = [("run", 7), ("run", 18)]
        if d > 365 and extra_per_day:
            extra += extra_per_day
            todays += [("run", i % 24) for i in range(int(extra))]
            extra -= int(extra)
        if d % 7 in (1, 3, 5):
            todays.append(("self-care", 20))
        if d % 14 == 0:
            todays.append(("massage", 17))
        for kind, hour in todays:
            rid += 1
            start = day.replace(hour=hour, minute=rng.randrange(60), second=0).astimezone()
            if kind == "run":
                km = rng.uniform(5, 25)
                rtype = "long" if km > 20 else rng.choice(["easy", "easy", "tempo", "intervals"])
                rows.append((rid, "run", rtype, start.isoformat(), None, None, created))
                runs.append((rid, km * 1000, int(km * 330), rng.randint(2, 9), None, None))
            elif kind == "massage":
                rows.append((rid, "massage", "sports", start.isoformat(), None, None, created))
                massages.append((rid, 60, "Ana", 9500, '["calves"]'))
            else:
                rows.append((rid, "self-care", "foam-roll", start.isoformat(), None, None, created))
                care.append((rid, 15))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO records (id, kind, type, start, note, source, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)", runs)
    conn.executemany("INSERT INTO massages VALUES (?, ?, ?, ?, ?)", massages)
    conn.executemany("INSERT INTO self_care (id, minutes) VALUES (?, ?)", care)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def timed(argv: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one process."""
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()}")
    return elapsed


# Linux keeps, as a process's peak RSS, the largest memory it had before exec
# as well: a child forked from this benchmark (which holds its built data)
# would report this process's size. So the command is started from a fresh,
# small launcher, and the launcher's own peak is printed beside the results.
LAUNCHER = (
    "import os, sys; pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ,"
    " file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]);"
    " _, status, usage = os.wait4(pid, 0);"
    " print(usage.ru_maxrss if os.waitstatus_to_exitcode(status) == 0 else -1)"
)


def peak_rss(argv: list[str], env: dict[str, str]) -> int:
    """The peak resident memory of ``argv`` (KiB), started from ``LAUNCHER``."""
    out = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *argv], env=env, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    kib = int(out.split()[-1])
    if kib < 0:
        raise SystemExit(f"{' '.join(argv)} failed")
    return kib


def measure(cases: dict[str, list[str]], env: dict[str, str], rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in cases}
    for argv in cases.values():  # warm caches (bytecode, page cache) once
        timed(argv, env)
    for _ in range(rounds):
        for name, argv in cases.items():
            times[name].append(timed(argv, env))
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--huge", action="store_true", help="also 1M records")
    parser.add_argument("--import-files", type=int, default=300, metavar="N",
                        help="activity files for the import benchmark (300; 0 skips it)")
    parser.add_argument("--real-files", type=int, default=160, metavar="N",
                        help="real-sized files for the import benchmark (160; 0 skips it)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="rubdown-bench-"))
    env = child_env(tmp)
    os.environ.update(TZ=env["TZ"])
    time.tzset()
    end = datetime.fromisoformat(NOW)
    rd = rubdown_argv()
    try:
        sizes = {"year": 600, "1k": 1_000, "100k": 100_000}
        if args.huge:
            sizes["1M"] = 1_000_000
        dbs = {}
        for label, n in sizes.items():
            t0 = time.perf_counter()
            dbs[label] = tmp / f"{label}.db"
            build_history(dbs[label], n, end)
            count = sqlite3.connect(dbs[label]).execute("SELECT count(*) FROM records").fetchone()
            print(f"built {label}: {count[0]} records in {time.perf_counter() - t0:.1f} s")
        floor_db = tmp / "floor.db"
        log_db = tmp / "log.db"
        shutil.copy(dbs["1k"], log_db)

        startup = {
            "floor (python3 + sqlite3 insert)": [sys.executable, "-c", FLOOR_CODE, str(floor_db)],
            "rubdown --help": [*rd, "--help"],
            "rubdown log run": [*rd, "--db", str(log_db), "log", "run", "--distance", "10k",
                                "--time", "55:00", "--date", "2026-11-29 07:00"],  # fmt: skip
            "rubdown report (a year)": [*rd, "--db", str(dbs["year"]), "report", "--weeks", "52"],
            "rubdown due --short (a year)": [*rd, "--db", str(dbs["year"]), "due", "--short"],
        }
        scaling = {
            "floor (python3 + sqlite3 insert)": startup["floor (python3 + sqlite3 insert)"],
            **{
                f"report 12 weeks, {label} history": [*rd, "--db", str(db), "report"]
                for label, db in dbs.items()
                if label != "year"
            },
            **{
                f"report full history, {label}": [*rd, "--db", str(db), "report", "--since",
                                                  "1900-01-01", "--json"]  # fmt: skip
                for label, db in dbs.items()
                if label in ("100k", "1M")
            },
        }
        print(f"\nmedians of {args.rounds} alternating rounds (warm)\n")
        med = measure(startup, env, args.rounds)
        floor = med["floor (python3 + sqlite3 insert)"]
        print(f"{'command':40} {'median':>9} {'× floor':>8} {'target':>7}")
        for name, m in med.items():
            target = TARGETS.get(name)
            ok = target is not None and m / floor <= target
            verdict = "" if target is None else f"≤{target:.1f} {'ok' if ok else 'MISS'}"
            print(f"{name:40} {m * 1000:7.1f} ms {m / floor:7.2f}× {verdict:>7}")
        rounds = max(3, args.rounds // 3)
        med = measure(scaling, env, rounds)
        peaks = {name: peak_rss(argv, env) for name, argv in scaling.items()}
        floor = med["floor (python3 + sqlite3 insert)"]
        print(f"\nreport scaling, medians of {rounds} alternating rounds\n")
        print(f"{'command':40} {'median':>9} {'× floor':>8} {'peak RSS':>9}")
        for name, m in med.items():
            print(f"{name:40} {m * 1000:7.1f} ms {m / floor:7.2f}× {peaks[name] / 1024:6.0f} MiB")
        small = med.get("report 12 weeks, 1k history")
        large = med.get("report 12 weeks, 100k history")
        if small and large:
            print(f"\n12-week report, 100k vs 1k history: {large / small:.2f}× (target ≤ 1.3×)")
        full = med.get("report full history, 100k")
        if full:
            print(f"full report on 100k records: {full / floor:.1f}× floor"
                  " (no time target: linear, in flat memory)")
        huge = med.get("report full history, 1M")
        if full and huge:
            print(f"full report, 1M vs 100k: {huge / full:.1f}× (linear would be 10×)")
        launcher = peak_rss([sys.executable, "-c", "pass"], env)
        print(f"(peak RSS of a bare python3 started the same way: {launcher / 1024:.0f} MiB)")
        if args.import_files:
            import bench_import

            print("\nimport throughput\n")
            bench_import.run(args.import_files, repeat=3)
        if args.real_files:
            import bench_real_import

            print("\nimport of real-sized files\n")
            bench_real_import.run(args.real_files, 3, ("fit", "gpx"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
