"""Peak memory and time of a full-history ``report --json``, streamed and whole.

    python benchmarks/report_memory.py [--sizes 10k,100k,1M] [--keep DIR] [--rounds N]

On the histories ``bench.py`` generates (``build_history``), runs
``rubdown report --since 1900-01-01 --json`` (in a pipe: compact JSON), which
streams a period that long, and the whole-value path it replaced: the whole
``Report`` built and encoded at once (``reporting.report`` then
``render.dumps``, as ``report --json`` did before). Each is a separate
process started from ``bench.py``'s small launcher, so its peak RSS is its
own; times are medians of ``--rounds`` alternating runs. ``--keep DIR``
keeps the built histories there and reuses them (1M takes minutes to build).
Before timing, the two outputs are compared byte for byte.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench import NOW, build_history, child_env, measure, peak_rss, rubdown_argv  # noqa: E402

WHOLE = (
    "import sys; from rubdown.app import reporting; from rubdown.render import dumps;"
    " page = reporting.report(db=sys.argv[1], since='1900-01-01');"
    " sys.stdout.write(dumps(page.report.to_json())); sys.stdout.write('\\n')"
)
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}


def digest(argv: list[str], env: dict[str, str]) -> str:
    """The SHA-256 of what ``argv`` prints, read as it comes."""
    sha = hashlib.sha256()
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        for block in iter(lambda: proc.stdout.read(1 << 20), b""):  # type: ignore[union-attr]
            sha.update(block)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode})")
    return sha.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--keep", type=Path, help="build the histories here, or reuse them")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="rubdown-memory-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = child_env(folder)
    rd = rubdown_argv()
    print(f"{'history':8} {'path':9} {'median':>9} {'peak RSS':>9}")
    for label in args.sizes.split(","):
        db = folder / f"{label}.db"
        if not db.exists():
            t0 = time.perf_counter()
            build_history(db, SIZES[label], datetime.fromisoformat(NOW))
            print(f"built {label} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        cases = {
            "streamed": [*rd, "--db", str(db), "report", "--since", "1900-01-01", "--json"],
            "whole": [sys.executable, "-c", WHOLE, str(db)],
        }
        same = digest(cases["streamed"], env) == digest(cases["whole"], env)
        times = measure(cases, env, args.rounds)
        for name, argv in cases.items():
            peak = peak_rss(argv, env)
            print(f"{label:8} {name:9} {times[name]:7.2f} s {peak / 1024:6.0f} MiB")
        print(f"{label:8} output byte-identical: {'yes' if same else 'NO'}")
    launcher = peak_rss([sys.executable, "-c", "pass"], env)
    print(f"(peak RSS of a bare python3 started the same way: {launcher / 1024:.0f} MiB)")


if __name__ == "__main__":
    main()
