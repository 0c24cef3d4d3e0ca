"""How fast ``rubdown import`` is, next to parsing alone.

Builds a folder of activity files in a temporary directory: generated GPX and
TCX runs (smart recording, a point every 2-5 s, 25-70 minutes) and copies of
the real FIT fixture with every timestamp moved back by a whole number of
days (so each copy is a distinct run, CRC recomputed). Then measures:

* parse only: ``importers.read()`` of each unit of the folder, in this process;
* ``rubdown import`` of the folder into a fresh database, as a user runs it
  (``python -m rubdown``), parsing in this process (RUBDOWN_IMPORT_WORKERS=0)
  and with the default pool of parsing processes.

Each is run ``--repeat`` times, interleaved, and the best time is shown (other
work on the machine only ever slows a run down).

Run: ``python benchmarks/bench_import.py [--files N] [--repeat R]``. Not part
of the tests.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIT_FIXTURE = ROOT / "tests" / "data" / "fit" / "fitparse_2013-02-06_run_5laps.fit"

# -- generated GPX and TCX -------------------------------------------------------


def _track(rng: random.Random, start: datetime) -> list[tuple[datetime, float, float, float]]:
    """(time, lat, lon, metres so far) along a wandering path at running pace."""
    minutes = rng.uniform(25, 70)
    step_s = rng.choice((2, 3, 4, 5))
    speed = rng.uniform(2.6, 3.8)  # m/s
    lat, lon, heading = 40.0 + rng.uniform(-1, 1), -74.0 + rng.uniform(-1, 1), rng.uniform(0, 6)
    points, metres, t = [], 0.0, 0
    while t <= minutes * 60:
        points.append((start + timedelta(seconds=t), lat, lon, metres))
        heading += rng.uniform(-0.3, 0.3)
        step = speed * step_s * rng.uniform(0.8, 1.2)
        lat += step * math.cos(heading) / 111_195
        lon += step * math.sin(heading) / (111_195 * math.cos(math.radians(lat)))
        metres += step
        t += step_s
    return points


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_text(rng: random.Random, start: datetime) -> str:
    points = "\n".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{10 + (i % 40) / 4:.1f}</ele>'
        f"<time>{_iso(t)}</time></trkpt>"
        for i, (t, lat, lon, _) in enumerate(_track(rng, start))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f"<trk><name>Run {_iso(start)}</name><type>running</type><trkseg>\n{points}\n"
        "</trkseg></trk></gpx>\n"
    )


def tcx_text(rng: random.Random, start: datetime) -> str:
    track = _track(rng, start)
    total_s = (track[-1][0] - start).total_seconds()
    points = "\n".join(
        f"<Trackpoint><Time>{_iso(t)}</Time><Position><LatitudeDegrees>{lat:.7f}"
        f"</LatitudeDegrees><LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
        f"<DistanceMeters>{m:.1f}</DistanceMeters></Trackpoint>"
        for t, lat, lon, m in track
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase '
        'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="Running"><Id>{_iso(start)}</Id>'
        f'<Lap StartTime="{_iso(start)}"><TotalTimeSeconds>{total_s:.1f}</TotalTimeSeconds>'
        f"<DistanceMeters>{track[-1][3]:.1f}</DistanceMeters><Track>\n{points}\n"
        "</Track></Lap></Activity></Activities></TrainingCenterDatabase>\n"
    )


# -- FIT copies with their timestamps moved ---------------------------------------

_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
# (global message, field) that hold a date_time besides field 253 (timestamp):
# file_id.time_created, session.start_time, lap.start_time, activity.local_timestamp.
_TIME_FIELDS = {(0, 4), (18, 2), (19, 2), (34, 5)}


def fit_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        for nibble in (byte & 0xF, byte >> 4):
            tmp = _CRC_TABLE[crc & 0xF]
            crc = (crc >> 4) & 0x0FFF
            crc ^= tmp ^ _CRC_TABLE[nibble]
    return crc


def shift_fit(data: bytes, seconds: int) -> bytes:
    """The FIT file ``data`` with every date_time moved by ``seconds`` (a
    multiple of 32, so compressed timestamps stay right) and a new CRC."""
    assert seconds % 32 == 0
    out = bytearray(data)
    header_size = out[0]
    (data_size,) = struct.unpack_from("<I", out, 4)
    pos, end = header_size, header_size + data_size
    definitions: dict[int, tuple[int, str, list[tuple[int, int]], int]] = {}
    while pos < end:
        header = out[pos]
        pos += 1
        if header & 0x80:  # compressed timestamp header: a data message
            local = (header >> 5) & 0x3
        elif header & 0x40:  # definition message
            local = header & 0x0F
            order = ">" if out[pos + 1] else "<"
            (global_num,) = struct.unpack_from(order + "H", out, pos + 2)
            count = out[pos + 4]
            pos += 5
            fields = [(out[pos + 3 * i], out[pos + 3 * i + 1]) for i in range(count)]
            pos += 3 * count
            dev_size = 0
            if header & 0x20:
                dev_count = out[pos]
                dev_size = sum(out[pos + 1 + 3 * i + 1] for i in range(dev_count))
                pos += 1 + 3 * dev_count
            definitions[local] = (global_num, order, fields, dev_size)
            continue
        else:
            local = header & 0x0F
        global_num, order, fields, dev_size = definitions[local]
        for number, size in fields:
            if size == 4 and (number == 253 or (global_num, number) in _TIME_FIELDS):
                (value,) = struct.unpack_from(order + "I", out, pos)
                if value != 0xFFFFFFFF and value >= 0x10000000:
                    struct.pack_into(order + "I", out, pos, value + seconds)
            pos += size
        pos += dev_size
    del out[end:]
    out += struct.pack("<H", fit_crc(out))
    return bytes(out)


# -- the folder -------------------------------------------------------------------


def build(folder: Path, files: int, seed: int = 7) -> dict[str, int]:
    """``files`` activity files in ``folder``: 40% GPX, 40% TCX, 20% FIT."""
    rng = random.Random(seed)
    fit = FIT_FIXTURE.read_bytes()
    counts = {"gpx": 0, "tcx": 0, "fit": 0}
    first = datetime(2024, 1, 1, 6, 30, tzinfo=UTC)
    for i in range(files):
        start = first + timedelta(days=i // 2, hours=10 * (i % 2), seconds=rng.randrange(600))
        kind = ("gpx", "tcx", "gpx", "tcx", "fit")[i % 5]
        name = folder / f"{i // 100:02d}" / f"run-{i:05d}.{kind}"
        name.parent.mkdir(exist_ok=True)
        if kind == "gpx":
            name.write_text(gpx_text(rng, start))
        elif kind == "tcx":
            name.write_text(tcx_text(rng, start))
        else:
            name.write_bytes(shift_fit(fit, -86400 * (i + 1)))
        counts[kind] += 1
    return counts


def parse_only(folder: Path) -> tuple[float, int]:
    from rubdown.importers import read, units

    started = time.perf_counter()
    results = [result for unit in units([folder]) for result in read(unit)]
    elapsed = time.perf_counter() - started
    bad = [r for r in results if r.status != "imported"]
    if bad:
        raise SystemExit(f"unexpected results: {bad[:3]}")
    return elapsed, len(results)


def import_run(folder: Path, db: Path, workers: str | None) -> tuple[float, dict]:
    env = dict(os.environ, RUBDOWN_DB=str(db))
    env.pop("RUBDOWN_IMPORT_WORKERS", None)
    if workers is not None:
        env["RUBDOWN_IMPORT_WORKERS"] = workers
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "rubdown", "import", str(folder), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"import failed: {proc.stderr}")
    return elapsed, json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="how many files (1000)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds; the best of each is shown (3)"
    )
    args = parser.parse_args()
    run(args.files, args.repeat)


def run(files: int, repeat: int) -> None:
    """Build ``files`` activity files, then print each mode's best rate."""
    sys.path.insert(0, str(ROOT / "src"))
    from rubdown.importers.batch import worker_count

    with tempfile.TemporaryDirectory(prefix="rubdown-bench-") as tmp:
        folder = Path(tmp) / "activities"
        folder.mkdir()
        counts = build(folder, files)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        pool = worker_count(files)
        print(
            f"{files} files ({counts['gpx']} GPX, {counts['tcx']} TCX, {counts['fit']} FIT;"
            f" {size / 2**20:.1f} MiB) on {os.cpu_count()} cores, best of {repeat}"
        )
        modes = {"parse only (scan, 1 process)": None, "import, parsing in 1 process": "0"}
        if pool:
            modes[f"import, {pool} parsing processes (default)"] = ""
        best = dict.fromkeys(modes, float("inf"))
        for round_ in range(repeat):  # interleaved, so drift hits every mode alike
            for label, workers in modes.items():
                if workers is None:
                    seconds, n = parse_only(folder)
                    assert n == files
                else:
                    db = Path(tmp) / f"round{round_}-{workers or 'pool'}.db"
                    seconds, summary = import_run(folder, db, workers or None)
                    if summary["imported"] != files:
                        raise SystemExit(f"imported {summary['imported']} of {files}")
                best[label] = min(best[label], seconds)
        parse_rate = files / best["parse only (scan, 1 process)"]
        for label, seconds in best.items():
            rate = files / seconds
            ratio = "" if modes[label] is None else f"  = {rate / parse_rate:.2f} x parse only"
            print(f"  {label:<42} {rate:7.1f} files/s  {seconds:6.2f} s{ratio}")


if __name__ == "__main__":
    main()
