"""Two versions of rubdown side by side: the hot commands' CPU time.

    python benchmarks/compare.py OLD_SRC NEW_SRC [--rounds N] [--instructions]

OLD_SRC and NEW_SRC are ``src`` folders of two checkouts (e.g. a
``git worktree add --detach /tmp/old REV`` and this one). Each round runs
every command once with each version, alternating, in a fresh process with
its own database; the figure is the child's CPU time (user + system), which
load from other processes on a shared machine disturbs far less than wall
time. Prints medians and NEW / OLD. ``--instructions`` counts each
command's instructions instead, once per version, under valgrind's
callgrind: the same count for the same code and inputs whatever else the
machine is doing, so a difference of a few percent is real.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

NOW = "2026-11-29T19:00:00-05:00"
COMMANDS = {
    "floor (python3 + sqlite3)": ["-c", "import sqlite3"],
    "rubdown --version": ["-m", "rubdown", "--version"],
    "rubdown --help": ["-m", "rubdown", "--help"],
    "rubdown log run": ["-m", "rubdown", "log", "run", "--distance", "10k", "--time", "50:00"],
    "rubdown log massage": ["-m", "rubdown", "log", "massage", "--type", "sports",
                            "--minutes", "60"],
    "rubdown report": ["-m", "rubdown", "report"],
    "rubdown due --short": ["-m", "rubdown", "due", "--short"],
    "rubdown report --json": ["-m", "rubdown", "report", "--json"],
}


def cpu_ms(src: str, args: list[str], db: Path) -> float:
    env = {**os.environ, "PYTHONPATH": src, "RUBDOWN_DB": str(db), "RUBDOWN_NOW": NOW,
           "RUBDOWN_CONFIG": str(db.with_suffix(".toml"))}  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return 1000 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def instructions(src: str, args: list[str], db: Path) -> int:
    """The instructions the command runs (valgrind --tool=callgrind)."""
    env = {**os.environ, "PYTHONPATH": src, "RUBDOWN_DB": str(db), "RUBDOWN_NOW": NOW,
           "RUBDOWN_CONFIG": str(db.with_suffix(".toml"))}  # fmt: skip
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *args],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(line for line in proc.stderr.splitlines() if "Collected" in line)
    return int(line.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--instructions", action="store_true")
    args = parser.parse_args()
    if args.instructions:
        with tempfile.TemporaryDirectory() as tmp:
            print("instructions per command (valgrind --tool=callgrind)\n")
            print(f"{'command':<28}{'old':>14}{'new':>14}{'new/old':>9}")
            for name, command in COMMANDS.items():
                counts = []
                for side in ("old", "new"):
                    db = Path(tmp) / f"{side}.db"
                    cpu_ms(getattr(args, side), command, db)  # warm: bytecode, database
                    counts.append(instructions(getattr(args, side), command, db))
                old, new = counts
                print(f"{name:<28}{old:>14,}{new:>14,}{new / old:>8.3f}×")
        return
    times: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for side in ("old", "new"):  # warm: bytecode written, databases created
            for command in COMMANDS.values():
                cpu_ms(getattr(args, side), command, Path(tmp) / f"{side}.db")
        for _ in range(args.rounds):
            for name, command in COMMANDS.items():
                for side in ("old", "new"):
                    db = Path(tmp) / f"{side}.db"
                    times.setdefault((name, side), []).append(
                        cpu_ms(getattr(args, side), command, db)
                    )
    print(f"CPU time per process, median of {args.rounds} alternating rounds\n")
    print(f"{'command':<28}{'old':>10}{'new':>10}{'new/old':>9}")
    for name in COMMANDS:
        old = statistics.median(times[(name, "old")])
        new = statistics.median(times[(name, "new")])
        print(f"{name:<28}{old:>8.1f}ms{new:>8.1f}ms{new / old:>8.2f}×")


if __name__ == "__main__":
    main()
