"""How fast ``rubdown import`` reads real-sized activity files.

A watch records every second, so an hour's run is a FIT file of ~3,600
record messages (~100 KB) or a GPX file of ~700 KB; an export gzips them.
This builds such files in a temporary directory, seeded, so every run sees
the same bytes:

* FIT (written by tests/fitfile.py, the repository's one FIT encoder):
  file_id, a record every second for 50-70 minutes (timestamp, position,
  altitude, heart rate, cadence, distance, speed: one definition, then the
  data messages, as a watch writes them), a lap every kilometre, a session
  and an activity message;
* GPX with Garmin's TrackPointExtension (heart rate, cadence) every second;
* TCX with heart rate and cadence every second (``--tcx``: a third kind);

each gzipped, in ``activities/`` of a folder beside an ``activities.csv``
naming them, as a Strava export lays them out. Then, side by side in one run
(interleaved rounds, the best of each shown):

* full decode: each file gunzipped and decoded whole by the full decoders
  (``fit.decode_fit``: fitdecode, every message; ``gpx.decode_gpx``: the
  element tree; TCX: its parser), in this process, one file after another;
* the same with GPX read as expat events (``gpx.read_gpx_events``, every
  element a Python call: the reader before this one), a stricter baseline;
* parse only: ``importers.read()`` of each file, in this process (the
  summary reader for FIT, points picked out of the bytes for GPX);
* gunzip only: the decompression that both include;
* ``rubdown import`` of the ``activities/`` folder into a fresh database,
  as a user runs it (``python -m rubdown``), with the default pool of
  parsing processes (every core);
* the same of the whole export (the folder with ``activities.csv``), whose
  rows are read in parts by the same pool.

Run: ``python benchmarks/bench_real_import.py [--files 160] [--repeat 3]``.
Not part of the tests.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import fitfile  # noqa: E402  (the one FIT encoder, in tests/)

Point = tuple[datetime, float, float, float, float, int, int]  # t, lat, lon, ele, m, hr, cad


def track(rng: random.Random, start: datetime) -> list[Point]:
    """A point every second for 50-70 minutes along a wandering path."""
    seconds = rng.randrange(50 * 60, 70 * 60)
    speed = rng.uniform(2.6, 3.8)
    lat, lon = 40.0 + rng.uniform(-1, 1), -74.0 + rng.uniform(-1, 1)
    heading, metres, ele = rng.uniform(0, 6), 0.0, 20.0
    points: list[Point] = []
    for t in range(seconds + 1):
        hr = 130 + int(20 * math.sin(t / 300)) + rng.randrange(5)
        points.append((start + timedelta(seconds=t), lat, lon, ele, metres, hr, 84 + t % 5))
        heading += rng.uniform(-0.2, 0.2)
        step = speed * rng.uniform(0.9, 1.1)
        lat += step * math.cos(heading) / 111_195
        lon += step * math.sin(heading) / (111_195 * math.cos(math.radians(lat)))
        ele += rng.uniform(-0.3, 0.3)
        metres += step
    return points


def fit_bytes(points: list[Point]) -> bytes:
    start = points[0][0]
    parts = [fitfile.message("file_id", type=4, time_created=start)]
    rows = [
        {
            "timestamp": t,
            "position_lat": lat,
            "position_long": lon,
            "altitude": ele,
            "heart_rate": hr,
            "cadence": cad,
            "distance": m,
            "speed": 3.2,
        }
        for t, lat, lon, ele, m, hr, cad in points
    ]
    parts.append(fitfile.rows("record", rows))
    lap_start = 0
    for i in range(1, len(points)):
        if points[i][4] // 1000 > points[i - 1][4] // 1000 or i == len(points) - 1:
            first, last = points[lap_start], points[i]
            span = (last[0] - first[0]).total_seconds()
            parts.append(
                fitfile.message(
                    "lap",
                    timestamp=last[0],
                    start_time=first[0],
                    total_elapsed_time=span,
                    total_timer_time=span,
                    total_distance=last[4] - first[4],
                    sport="running",
                )
            )
            lap_start = i
    span = (points[-1][0] - start).total_seconds()
    parts.append(
        fitfile.message(
            "session",
            timestamp=points[-1][0],
            start_time=start,
            sport="running",
            total_elapsed_time=span,
            total_timer_time=span,
            total_distance=points[-1][4],
        )
    )
    parts.append(
        fitfile.message("activity", timestamp=points[-1][0], total_timer_time=span, num_sessions=1)
    )
    return fitfile.fit_file(*parts)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_bytes(points: list[Point]) -> bytes:
    body = "\n".join(
        f'   <trkpt lat="{lat:.7f}" lon="{lon:.7f}">\n    <ele>{ele:.1f}</ele>\n'
        f"    <time>{_iso(t)}</time>\n    <extensions>\n     <gpxtpx:TrackPointExtension>\n"
        f"      <gpxtpx:hr>{hr}</gpxtpx:hr>\n      <gpxtpx:cad>{cad}</gpxtpx:cad>\n"
        "     </gpxtpx:TrackPointExtension>\n    </extensions>\n   </trkpt>"
        for t, lat, lon, ele, _, hr, cad in points
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx creator="StravaGPX" version="1.1" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f" <metadata>\n  <time>{_iso(points[0][0])}</time>\n </metadata>\n"
        f" <trk>\n  <name>Morning Run</name>\n  <type>running</type>\n  <trkseg>\n{body}\n"
        "  </trkseg>\n </trk>\n</gpx>\n"
    ).encode()


def tcx_bytes(points: list[Point]) -> bytes:
    body = "\n".join(
        f"<Trackpoint><Time>{_iso(t)}</Time><Position><LatitudeDegrees>{lat:.7f}"
        f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
        f"<AltitudeMeters>{ele:.1f}</AltitudeMeters><DistanceMeters>{m:.1f}</DistanceMeters>"
        f"<HeartRateBpm><Value>{hr}</Value></HeartRateBpm><Cadence>{cad}</Cadence></Trackpoint>"
        for t, lat, lon, ele, m, hr, cad in points
    )
    span = (points[-1][0] - points[0][0]).total_seconds()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{_iso(points[0][0])}</Id>'
        f'<Lap StartTime="{_iso(points[0][0])}"><TotalTimeSeconds>{span:.1f}</TotalTimeSeconds>'
        f"<DistanceMeters>{points[-1][4]:.1f}</DistanceMeters><Track>\n{body}\n"
        "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    ).encode()


def build(folder: Path, files: int, kinds: tuple[str, ...], seed: int = 16) -> dict[str, int]:
    """``files`` gzipped activity files in ``folder/activities`` and an
    ``activities.csv`` naming them; the number of each kind, and their sizes."""
    rng = random.Random(seed)
    writers = {"fit": fit_bytes, "gpx": gpx_bytes, "tcx": tcx_bytes}
    activities = folder / "activities"
    activities.mkdir(parents=True)
    sizes = {"files": 0, "raw": 0, "gzipped": 0}
    counts = dict.fromkeys(kinds, 0)
    lines = ["Activity ID,Activity Date,Activity Name,Activity Type,Filename"]
    first = datetime(2024, 1, 1, 6, 30, tzinfo=UTC)
    for i in range(files):
        kind = kinds[i % len(kinds)]
        start = first + timedelta(days=i, seconds=rng.randrange(3600))
        raw = writers[kind](track(rng, start))
        packed = gzip.compress(raw, compresslevel=6, mtime=0)
        name = f"{10_000_000 + i}.{kind}.gz"
        (activities / name).write_bytes(packed)
        lines.append(
            f'{10_000_000 + i},"{start:%b} {start.day}, {start:%Y, %I:%M:%S %p}",Morning Run,'
            f"Run,activities/{name}"
        )
        counts[kind] += 1
        sizes["raw"] += len(raw)
        sizes["gzipped"] += len(packed)
    (folder / "activities.csv").write_text("\n".join(lines) + "\n")
    return counts | sizes


def _files(folder: Path) -> list[Path]:
    return sorted((folder / "activities").iterdir())


def full_decode(folder: Path, *, gpx_events: bool = False) -> float:
    """Each file gunzipped and decoded whole, in this process (GPX by the
    element tree, or by expat events: ``gpx_events``)."""
    from rubdown.importers.fit import decode_fit
    from rubdown.importers.gpx import decode_gpx, read_gpx_events
    from rubdown.importers.safety import gunzip
    from rubdown.importers.tcx import parse_tcx

    gpx = read_gpx_events if gpx_events else decode_gpx
    decoders = {"fit": decode_fit, "gpx": gpx, "tcx": parse_tcx}
    started = time.perf_counter()
    for path in _files(folder):
        data, _ = gunzip(path.read_bytes())
        parsed = decoders[path.name.split(".")[-2]](data)
        assert parsed.activities and parsed.error is None
    return time.perf_counter() - started


def gunzip_only(folder: Path) -> float:
    from rubdown.importers.safety import gunzip

    started = time.perf_counter()
    for path in _files(folder):
        gunzip(path.read_bytes())
    return time.perf_counter() - started


def parse_only(folder: Path) -> float:
    from rubdown.importers import read, units

    started = time.perf_counter()
    results = [result for unit in units([folder / "activities"]) for result in read(unit)]
    elapsed = time.perf_counter() - started
    bad = [r for r in results if r.status != "imported"]
    if bad:
        raise SystemExit(f"unexpected results: {bad[:3]}")
    return elapsed


def import_run(folder: Path, db: Path, what: str = "activities") -> float:
    """``rubdown import`` of the ``activities/`` folder, or of the export
    (``what`` ``.``: activities.csv and its files, as Strava sends it)."""
    env = dict(os.environ, RUBDOWN_DB=str(db))
    env.pop("RUBDOWN_IMPORT_WORKERS", None)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "rubdown", "import", str(folder / what), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"import failed: {proc.stderr}")
    imported = json.loads(proc.stdout)["imported"]
    if imported != len(_files(folder)):
        raise SystemExit(f"imported {imported} of {len(_files(folder))}")
    return elapsed


def run(files: int, repeat: int, kinds: tuple[str, ...]) -> None:
    from rubdown.importers.batch import worker_count

    with tempfile.TemporaryDirectory(prefix="rubdown-bench-real-") as tmp:
        folder = Path(tmp) / "export"
        info = build(folder, files, kinds)
        print(
            f"{files} files ("
            + ", ".join(f"{info[k]} {k.upper()}" for k in kinds)
            + f"; {info['raw'] / 2**20:.1f} MiB, {info['gzipped'] / 2**20:.1f} MiB gzipped)"
            f" on {os.cpu_count()} cores, {worker_count(files)} parsing processes,"
            f" best of {repeat}"
        )
        modes = {
            "full decode (1 process)": full_decode,
            "full, GPX as expat events": partial(full_decode, gpx_events=True),
            "gunzip only (1 process)": gunzip_only,
            "parse only (1 process)": parse_only,
            "rubdown import (every core)": None,
            "import of the export (every core)": None,
        }
        best = dict.fromkeys(modes, math.inf)
        for round_ in range(repeat):  # interleaved, so drift hits every mode alike
            for label, mode in modes.items():
                if mode is None:
                    what = "." if "export" in label else "activities"
                    db = Path(tmp) / f"round{round_}-{what.strip('.') or 'export'}.db"
                    seconds = import_run(folder, db, what)
                else:
                    seconds = mode(folder)
                best[label] = min(best[label], seconds)
        full = files / best["full decode (1 process)"]
        for label, seconds in best.items():
            rate = files / seconds
            ratio = rate / full
            print(f"  {label:<34} {rate:8.1f} files/s  {seconds:6.2f} s  = {ratio:5.2f}x full")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=160, help="how many files (160)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds, the best shown (3)")
    parser.add_argument("--tcx", action="store_true", help="a third of the files TCX")
    args = parser.parse_args()
    run(args.files, args.repeat, ("fit", "gpx", "tcx") if args.tcx else ("fit", "gpx"))


if __name__ == "__main__":
    main()
