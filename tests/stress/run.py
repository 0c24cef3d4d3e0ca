"""The long reliability trials, run on demand (not by pytest):

    python tests/stress/run.py            # every trial, about 10 minutes on 2 cores
    python tests/stress/run.py --quick    # a few of each, to try the script
    python tests/stress/run.py kill-import damage   # some of them

Each trial prints one line of figures; docs/reliability.md quotes a run.
Exit status 1 if any trial found a problem. Everything happens in a new
temporary folder; nothing outside it is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rubdown.store.migrations import LATEST  # noqa: E402
from torture import (  # noqa: E402
    LOGGER,
    RANDOM_WRITER,
    cli_many,
    database_with_runs,
    expected_live_ids,
    gpx_folder,
    integrity,
    processes_in_group,
    rows,
    rubdown_export,
    schema_1_database,
    unsafe_bytes,
)

PY = sys.executable
ROOT = Path(tempfile.mkdtemp(prefix="rubdown-stress-"))
BASE_ENV = {
    **os.environ,
    "TZ": "America/New_York",
    "RUBDOWN_CONFIG": str(ROOT / "no-config.toml"),
    "RUBDOWN_NOW": "2026-11-29T10:00:00-05:00",
    "COLUMNS": "100",
}
for name in ("RUBDOWN_DB", "RUBDOWN_DEBUG", "RUBDOWN_BUSY_TIMEOUT", "RUBDOWN_UNITS", "NO_COLOR"):
    BASE_ENV.pop(name, None)
os.environ.update(BASE_ENV)  # for cli_many and the in-process helpers
time.tzset()


def env(db: Path, **extra: str) -> dict:
    return {**BASE_ENV, "RUBDOWN_DB": str(db), **extra}


def fresh(name: str) -> Path:
    folder = ROOT / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def count(db: Path, sql: str = "SELECT count(*) FROM records") -> int:
    return rows(db, sql)[0][0]


def seconds(values: list[float]) -> str:
    if not values:
        return "-"
    return f"median {statistics.median(values):.2f} s, longest {max(values):.2f} s"


# -- concurrency ------------------------------------------------------------------------

_WRITER = """
import json, sys, time
from rubdown.cli import main
name, n = sys.argv[1], int(sys.argv[2])
codes, waits = [], []
for i in range(n):
    began = time.monotonic()
    codes.append(main(["log", "run", "--distance", "5k", "--note", f"{name}-{i}"]))
    waits.append(time.monotonic() - began)
print(json.dumps({"codes": codes, "longest": max(waits)}))
"""


def concurrent_writes(quick: bool) -> str:
    """8 processes x 200 writes through the CLI entry point, all at once."""
    processes, each = (8, 20) if quick else (8, 200)
    db = fresh("writes") / "rubdown.db"
    began = time.monotonic()
    procs = [
        subprocess.Popen([PY, "-c", _WRITER, f"w{n}", str(each)], env=env(db),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(processes)
    ]  # fmt: skip
    results = [p.communicate(timeout=1800) for p in procs]
    took = time.monotonic() - began
    outcomes = [json.loads(out) for out, _ in results]
    codes = [c for o in outcomes for c in o["codes"]]
    errors = sum(c != 0 for c in codes)
    stored = count(db)
    expected = {f"w{n}-{i}" for n in range(processes) for i in range(each)}
    notes = {r[0] for r in rows(db, "SELECT note FROM records")}
    check(errors == 0, f"{errors} writes failed")
    check(notes == expected and stored == len(expected), f"stored {stored} of {len(expected)}")
    check(integrity(db) == "ok", integrity(db))
    check(count(db, "SELECT count(*) FROM journal") == stored, "journal out of step")
    longest = max(o["longest"] for o in outcomes)
    return (
        f"{processes} processes x {each} writes: {stored}/{len(expected)} rows stored, "
        f"{errors} errors, integrity ok, {took:.1f} s ({stored / took:.0f} writes/s), "
        f"longest single write {longest:.2f} s"
    )




def import_vs_logs(quick: bool) -> str:
    """Imports (one 10,000-record file: one long transaction; then 300 files)
    while 4 processes log in a loop and backups are taken: every log waits
    and succeeds, every backup is one consistent moment."""
    folder = fresh("import-vs-logs")
    db = folder / "rubdown.db"
    big = rubdown_export(folder / "season.json", 2000 if quick else 10_000)
    files = gpx_folder(folder / "files", 50 if quick else 300)
    cli_many([["log", "run", "--distance", "5k", "--note", "first"]], env=env(db))
    stop = folder / "stop"
    loggers = [
        subprocess.Popen([PY, "-c", LOGGER, f"L{n}", str(stop)], env=env(db),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]  # fmt: skip
    backups: list[Path] = []
    transaction = []
    try:
        while count(db) < 9:
            time.sleep(0.01)
        for source in (big, files):
            importer = subprocess.Popen(
                [PY, "-m", "rubdown", "import", str(source), "--json"], env=env(db),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            began = time.monotonic()
            while importer.poll() is None:
                copy = folder / f"copy{len(backups)}.db"
                (outcome,), _ = cli_many([["db", "backup", str(copy)]], env=env(db))
                check(outcome.exit_code == 0, f"backup failed: {outcome.stderr}")
                backups.append(copy)
            out, err = importer.communicate()
            transaction.append(time.monotonic() - began)
            check(importer.returncode == 0, f"import failed: {err}")
    finally:
        stop.touch()
        finished = [p.communicate(timeout=600) for p in loggers]
    outcomes = [json.loads(out) for out, _ in finished]
    errors = [line for _, err in finished for line in err.splitlines() if line.startswith("Error")]
    codes = [c for o in outcomes for c in o["codes"]]
    waits = [w for o in outcomes for w in o["waits"]]
    check(set(codes) == {0}, f"{sum(c != 0 for c in codes)} of {len(codes)} logs failed: "
          f"{errors[:3]}; waits {seconds(waits)}")  # fmt: skip
    logged = count(db, "SELECT count(*) FROM records WHERE note LIKE 'L_-%'")
    imported = count(db, "SELECT count(*) FROM records WHERE note LIKE 'imported %'")
    check(logged == len(codes), "a confirmed log is missing")
    check(count(db) == 1 + logged + imported + len(list(files.iterdir())), "rows missing")
    check(integrity(db) == "ok", integrity(db))
    partial = 0
    for copy in backups:
        check(integrity(copy) == "ok", f"backup {copy.name}: {integrity(copy)}")
        ids = {r[0] for r in rows(copy, "SELECT id FROM records")}
        check(ids == expected_live_ids(copy), f"backup {copy.name}: journal out of step")
        n = count(copy, "SELECT count(*) FROM records WHERE note LIKE 'imported %'")
        partial += n not in (0, imported)
    check(partial == 0, f"{partial} backups hold part of the one-transaction file")
    return (
        f"{imported}-record file + {len(list(files.iterdir()))} files imported while 4 "
        f"processes logged: {len(codes)} logs, 0 errors, waits {seconds(waits)}; "
        f"{len(backups)} backups taken meanwhile, all consistent, 0 with a partial file"
    )


def first_runs(quick: bool) -> str:
    """8 processes whose first run creates the database, at once, many times."""
    trials = 3 if quick else 30
    took = []
    for trial in range(trials):
        db = fresh("first-runs") / "data" / "rubdown.db"
        began = time.monotonic()
        procs = [
            subprocess.Popen(
                [PY, "-m", "rubdown", "log", "self-care", "--type", "yoga", "--minutes",
                 str(10 + i)],
                env=env(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            for i in range(8)
        ]  # fmt: skip
        results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        took.append(time.monotonic() - began)
        failed = [err for code, err in results if code != 0]
        check(not failed, f"trial {trial}: {failed}")
        check(count(db, "SELECT count(*) FROM self_care") == 8, f"trial {trial}: rows lost")
        check(integrity(db) == "ok", integrity(db))
        check(not [p for p in db.parent.iterdir() if p.name.startswith(".")], "temp file left")
    return f"{trials} trials x 8 first runs at once: {trials * 8}/{trials * 8} succeeded, " \
        f"integrity ok every time, {seconds(took)} per trial"


# -- crashes ----------------------------------------------------------------------------




def _kill_an_import(folder: Path, db: Path, after_s: float) -> tuple[int, int]:
    """Start importing ``folder``, kill -9 it after ``after_s``; return how many
    records it kept and how many parsing processes outlived it."""
    proc = subprocess.Popen([PY, "-m", "rubdown", "import", str(folder)], env=env(db),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip
    time.sleep(after_s)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    deadline = time.monotonic() + 5  # the parsers notice and exit by themselves
    while processes_in_group(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = processes_in_group(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    kept = count(db) if db.exists() else 0
    if db.exists():
        check(integrity(db) == "ok", f"after the kill: {integrity(db)}")
        check({r[0] for r in rows(db, "SELECT id FROM records")} == expected_live_ids(db),
              "after the kill: journal and records disagree")  # fmt: skip
    return kept, len(left)


def kill_import(quick: bool) -> str:
    """kill -9 at a random moment of a 1,000-file import. Then the database is
    sound; a rerun imports exactly the rest; or `undo` reverts exactly the
    files the killed import finished, and nothing else."""
    trials = 3 if quick else 25
    files = 1000
    folder = gpx_folder(fresh("kill-import") / "files", files)
    rng = random.Random(20261129)
    began = time.monotonic()
    (clean,), _ = cli_many([["import", str(folder), "--json"]],
                           env=env(ROOT / "kill-import" / "clean.db"))  # fmt: skip
    clean_took = time.monotonic() - began
    check(clean.json()["imported"] == files, "the clean import")
    kept_counts, orphans, reruns, undos = [], 0, 0, 0
    for trial in range(2 * trials):
        db = ROOT / "kill-import" / f"trial{trial}.db"
        # a little log of its own first, which undo must never touch
        cli_many([["log", "run", "--distance", "5k", "--note", "mine"]], env=env(db))
        kept, left = _kill_an_import(folder, db, rng.uniform(0.2, clean_took * 1.1))
        kept -= 1
        kept_counts.append(kept)
        orphans += left
        if trial % 2 == 0:  # rerun: exactly the rest
            (rerun,), _ = cli_many([["import", str(folder), "--json"]], env=env(db))
            summary = rerun.json()
            check((summary["imported"], summary["duplicates"]) == (files - kept, kept),
                  f"trial {trial}: kept {kept}, rerun {summary}")  # fmt: skip
            check(count(db) == files + 1, f"trial {trial}: {count(db)} records")
            reruns += 1
        else:  # undo: exactly what the killed import stored
            (undone, listed), _ = cli_many([["undo"], ["list", "--json"]], env=env(db))
            check(undone.exit_code == 0, f"trial {trial}: {undone.stderr}")
            what = "Undid log of run #1" if kept == 0 else "Undid import of"
            check(undone.stderr.startswith(what), f"trial {trial}: {undone.stderr!r}")
            remaining = [r["note"] for r in listed.json()]
            check(remaining == ([] if kept == 0 else ["mine"]), f"trial {trial}: {remaining[:3]}")
            undos += 1
        check(integrity(db) == "ok", f"trial {trial}: {integrity(db)}")
        db.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    quartiles = statistics.quantiles(kept_counts, n=4)
    return (
        f"{2 * trials} kill -9 of a {files}-file import ({clean_took:.1f} s clean) at random "
        f"moments, keeping {min(kept_counts)}..{max(kept_counts)} files (quartiles "
        f"{', '.join(f'{q:.0f}' for q in quartiles)}): integrity ok {2 * trials}/{2 * trials}; "
        f"rerun imported exactly the rest {reruns}/{reruns}; undo reverted exactly the killed "
        f"import's files {undos}/{undos}; parser processes outliving the kill {orphans}"
    )


_UPGRADE = """
from rubdown.cli import main
main(["list", "--json"])
"""


def kill_migration(quick: bool) -> str:
    """kill -9 at a random moment while a schema-1 database of 20,000
    records is copied and upgraded; the next start completes it."""
    trials = 4 if quick else 40
    template = schema_1_database(fresh("kill-migration") / "template.db", records=20_000)
    conn = sqlite3.connect(template)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    old = rows(template, "SELECT id, kind, type, start, note FROM records ORDER BY id")
    rng = random.Random(7)
    states = {"schema 1": 0, "upgraded": 0}
    copies = []
    began = time.monotonic()
    (done,), _ = cli_many([["list", "--json"]],
                          env=env(_copy_db(template, "timing")))  # fmt: skip
    took = time.monotonic() - began
    leftovers = 0
    for trial in range(trials):
        db = _copy_db(template, f"t{trial}")
        proc = subprocess.Popen([PY, "-c", _UPGRADE], env=env(db),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, took + 0.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        check(integrity(db) == "ok", f"trial {trial}: {integrity(db)}")
        version = rows(db, "PRAGMA user_version")[0][0]
        states["schema 1" if version == 1 else "upgraded"] += 1
        (listed,), _ = cli_many([["list", "--json"]], env=env(db))
        check(listed.exit_code == 0, f"trial {trial}: {listed.stderr}")
        check(len(listed.json()) == len(old), f"trial {trial}: {len(listed.json())} records")
        check(rows(db, "SELECT id, kind, type, start, note FROM records ORDER BY id") == old,
              f"trial {trial}: records changed")  # fmt: skip
        check(rows(db, "PRAGMA user_version")[0][0] == LATEST, f"trial {trial}: not upgraded")
        check(integrity(db) == "ok", f"trial {trial}: after {integrity(db)}")
        saved = sorted(db.parent.glob(f"{db.name}.before-v{LATEST}*.bak"))
        for copy in saved:
            check(rows(copy, "SELECT id, kind, type, start, note FROM records ORDER BY id")
                  == old, f"trial {trial}: copy {copy.name} differs")  # fmt: skip
        copies.append(len(saved))
        leftovers += len([p for p in db.parent.iterdir() if p.name.startswith(".")])
        shutil.rmtree(db.parent)
    return (
        f"{trials} kills while upgrading a 20,000-record schema-1 database ({took:.1f} s "
        f"clean): found {states['schema 1']} still schema 1, {states['upgraded']} upgraded; "
        f"integrity ok {trials}/{trials}; the next start completed every upgrade with "
        f"every record unchanged; copies saved per trial {min(copies)}..{max(copies)}, "
        f"each the old database; temporary files left by a kill mid-copy {leftovers}"
    )


def _copy_db(template: Path, name: str) -> Path:
    folder = ROOT / "kill-migration" / name
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / "rubdown.db")
    return folder / "rubdown.db"




def kill_undo(quick: bool) -> str:
    """kill -9 a process writing at random (log, edit, delete, undo), then undo
    five times: each undo reverts the newest committed write, never another."""
    trials = 5 if quick else 60
    rng = random.Random(11)
    undos = writes = 0
    for trial in range(trials):
        db = fresh("kill-undo") / "rubdown.db"
        cli_many([["log", "run", "--distance", "5k", "--note", "seed"]], env=env(db))
        proc = subprocess.Popen([PY, "-c", RANDOM_WRITER, str(db), str(trial)], env=env(db),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        check(integrity(db) == "ok", f"trial {trial}: {integrity(db)}")
        live = {r[0] for r in rows(db, "SELECT id FROM records")}
        check(live == expected_live_ids(db), f"trial {trial}: journal out of step")
        writes += count(db, "SELECT count(*) FROM journal")
        newest = rows(db, "SELECT id FROM journal WHERE undone_at IS NULL ORDER BY id DESC")
        outcomes, _ = cli_many([["undo"]] * 5, env=env(db))
        for n, outcome in enumerate(outcomes):
            if n >= len(newest):
                check(outcome.exit_code == 1 and "Nothing to undo" in outcome.stderr, "end")
                continue
            check(outcome.exit_code == 0, f"trial {trial}: {outcome.stderr}")
            undos += 1
        still_open = {r[0] for r in rows(db, "SELECT id FROM journal WHERE undone_at IS NULL")}
        check(still_open == {r[0] for r in newest[5:]}, f"trial {trial}: wrong entries undone")
        check({r[0] for r in rows(db, "SELECT id FROM records")} == expected_live_ids(db),
              f"trial {trial}: records and journal disagree after undo")  # fmt: skip
    return (
        f"{trials} kills among {writes} random writes (log/edit/delete/undo): journal and "
        f"records agreed {trials}/{trials}; {undos} undos each reverted exactly the newest "
        "committed write"
    )


# -- damaged storage ---------------------------------------------------------------------

PAGE = 4096


def _damage(data: bytearray, rng: random.Random) -> tuple[str, bytearray]:
    kind = rng.choice(["bytes", "truncate", "zero page", "random page", "empty", "tail"])
    if kind == "bytes":
        for _ in range(rng.randint(1, 64)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == "truncate":
        data = data[: rng.randrange(1, len(data))]
    elif kind in ("zero page", "random page"):
        page = rng.randrange(len(data) // PAGE)
        fill = bytes(PAGE) if kind == "zero page" else rng.randbytes(PAGE)
        data[page * PAGE : (page + 1) * PAGE] = fill
    elif kind == "empty":
        data = bytearray()
    else:
        data += rng.randbytes(rng.randint(1, 3 * PAGE))
    return kind, data


def _readable(db: Path) -> set[int]:
    found = set()
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return found
    try:
        for record_id in range(1, 420):
            try:
                if conn.execute("SELECT id FROM records WHERE id = ?", (record_id,)).fetchone():
                    found.add(record_id)
            except (sqlite3.DatabaseError, UnicodeDecodeError):
                pass
    except (sqlite3.Error, UnicodeDecodeError):
        pass
    finally:
        conn.close()
    return found


def damage(quick: bool) -> str:
    """Random damage to a 400-record database, then every kind of command:
    each exits 0 or 1 with one line and no traceback, and no write makes a
    record that could be read before unreadable. (No undo here: undoing the
    import that made the database removes its records on purpose.)"""
    trials = 15 if quick else 200
    folder = fresh("damage")
    sound = database_with_runs(folder / "sound.db", 400)
    conn = sqlite3.connect(sound)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    original = sound.read_bytes()
    rng = random.Random(3)
    by_kind: dict[str, list[int]] = {}
    detected = failures = writes_ok = 0
    export = rubdown_export(folder / "one.json", 1)
    for trial in range(trials):
        db = folder / "t" / "rubdown.db"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir()
        kind, data = _damage(bytearray(original), rng)
        db.write_bytes(bytes(data))
        if kind == "empty":
            os.utime(db, (time.time() - 3600,) * 2)
        before = _readable(db)
        outcomes, _ = cli_many(
            [["list", "--json"], ["report", "--json"], ["export", "--format", "csv"],
             ["log", "run", "--distance", "5k"], ["import", str(export)],
             ["edit", "1", "--note", "edited"], ["db", "check"]],
            env=env(db),
        )  # fmt: skip
        for outcome in outcomes:
            check(outcome.exit_code in (0, 1), f"trial {trial} ({kind}) {outcome.argv}: "
                  f"exit {outcome.exit_code}: {outcome.stderr[-500:]}")  # fmt: skip
            if outcome.exit_code:
                failures += 1
                check(outcome.one_error_line, f"trial {trial} {outcome.argv}: {outcome.stderr}")
        writes_ok += sum(o.exit_code == 0 for o in outcomes[3:6])
        after = _readable(db)
        check(before <= after, f"trial {trial} ({kind}): lost {sorted(before - after)[:10]}")
        detected += outcomes[-1].exit_code == 1
        by_kind.setdefault(kind, [0, 0])
        by_kind[kind][0] += 1
        by_kind[kind][1] += outcomes[-1].exit_code == 1
    kinds = ", ".join(f"{k} {n} ({d} flagged)" for k, (n, d) in sorted(by_kind.items()))
    return (
        f"{trials} damaged copies ({kinds}): {trials * 7} commands, every one exit 0 or 1 "
        f"with one line, 0 tracebacks; {failures} refused, {writes_ok} writes went through "
        f"and no readable record was lost; db check flagged {detected}/{trials}"
    )


_FULL_DISK = r"""
import json, os, shutil, subprocess, sys
folder, source, out = sys.argv[1], sys.argv[2], sys.argv[3]
db = os.path.join(folder, "rubdown.db")
shutil.copy(source, db)
env = {**os.environ, "RUBDOWN_DB": db}
def rubdown(*args):
    p = subprocess.run([sys.executable, "-m", "rubdown", *args], capture_output=True,
                       text=True, env=env)
    return [list(args)[:2], p.returncode, p.stderr]
results = []
while True:
    r = rubdown("log", "run", "--distance", "5k", "--note", "n" * 2000)
    results.append(r)
    if r[1] != 0 or len(results) > 400:
        break
results.append(rubdown("log", "run", "--distance", "6k"))
results.append(rubdown("list", "--json"))
results.append(rubdown("export", "--output", os.path.join(folder, "log.json")))
results.append(rubdown("db", "backup", os.path.join(folder, "copy.db")))
for name in os.listdir(folder):
    if name.startswith("rubdown.db"):
        shutil.copy(os.path.join(folder, name), os.path.join(out, name))
left = sorted(n for n in os.listdir(folder) if not n.startswith("rubdown.db"))
json.dump({"results": results, "left": left}, open(os.path.join(out, "results.json"), "w"))
"""


def full_disk(quick: bool) -> str:
    """A real full disk: a small tmpfs in a private mount namespace (needs
    root or user namespaces), filled by logging until a write fails."""
    trials = 2 if quick else 12
    folder = fresh("full-disk")
    sound = database_with_runs(folder / "sound.db", 300)
    conn = sqlite3.connect(sound)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    script = folder / "inner.py"
    script.write_text(_FULL_DISK)
    prefix = _namespace_prefix()
    if prefix is None:
        return "SKIPPED: cannot mount a tmpfs here (no root, no user namespaces)"
    rng = random.Random(5)
    stored_total = refused = 0
    for trial in range(trials):
        size_kib = rng.randrange(420, 900)
        out = folder / f"out{trial}"
        out.mkdir()
        mount = folder / f"mnt{trial}"
        mount.mkdir()
        shell = (f"mount -t tmpfs -o size={size_kib}k tmpfs {mount} && "
                 f"{PY} {script} {mount} {sound} {out}")  # fmt: skip
        proc = subprocess.run([*prefix, "sh", "-c", shell], capture_output=True, text=True,
                              env=BASE_ENV, timeout=600)  # fmt: skip
        check(proc.returncode == 0, f"trial {trial}: {proc.stderr[-800:]}")
        data = json.loads((out / "results.json").read_text())
        results = data["results"]
        logs = [r for r in results if r[0] == ["log", "run"]][:-1]
        stored = sum(code == 0 for _, code, _ in logs)
        failed = [r for r in results if r[1] != 0]
        check(failed, f"trial {trial}: the disk never filled ({size_kib} KiB)")
        for argv, code, err in failed:
            lines = err.strip().splitlines()
            check(code == 1 and len(lines) == 1 and lines[0].startswith("Error: ")
                  and "Traceback" not in err, f"trial {trial} {argv}: {err}")  # fmt: skip
            check("full" in err or "space" in err or "failed to read or write" in err,
                  f"trial {trial} {argv}: {err}")  # fmt: skip
        refused += len(failed)
        listed = results[-3]
        check(listed[1] == 0, f"trial {trial}: reading failed on a full disk: {listed[2]}")
        partial = [name for name in data["left"] if name.startswith(".")]
        check(not partial, f"trial {trial}: left {partial}")  # no temporary files
        db = out / "rubdown.db"
        check(integrity(db) == "ok", f"trial {trial}: {integrity(db)}")
        notes = count(db, "SELECT count(*) FROM records WHERE note = '" + "n" * 2000 + "'")
        check(count(db) >= 300 + stored and notes == stored,
              f"trial {trial}: {count(db)} records, {stored} logs confirmed")  # fmt: skip
        stored_total += stored
    return (
        f"{trials} tmpfs disks of 420-900 KiB filled by logging: {stored_total} confirmed "
        f"writes all kept, {refused} refused writes/exports/backups each one line "
        f"('disk ... is full'), reading still worked, no partial file, integrity ok "
        f"{trials}/{trials}"
    )


def _namespace_prefix() -> list[str] | None:
    if shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "--mount", "--propagation", "private"],
                   ["unshare", "--user", "--map-root-user", "--mount"]):  # fmt: skip
        probe = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"],
                               capture_output=True)  # fmt: skip
        if probe.returncode == 0:
            return prefix
    return None


def file_size_limit(quick: bool) -> str:
    """Writes past RLIMIT_FSIZE (EFBIG) at random limits."""
    trials = 5 if quick else 40
    folder = fresh("fsize")
    sound = database_with_runs(folder / "sound.db", 200, note="x" * 300)
    conn = sqlite3.connect(sound)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    rng = random.Random(9)
    confirmed = refused = 0
    for trial in range(trials):
        db = folder / "t" / "rubdown.db"
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir()
        shutil.copy(sound, db)
        limit = rng.randrange(40, 200) * 1024
        note = f"{trial}-" + "n" * 1500
        outcomes, _ = cli_many(
            [["log", "run", "--distance", "5k", "--note", note]] * 30
            + [["import", str(rubdown_export(folder / "many.json", 500))],
               ["export", "--output", str(folder / "t" / "log.json")],
               ["db", "backup", str(folder / "t" / "copy.db")]],
            env=env(db), limit_file_bytes=limit,
        )  # fmt: skip
        for outcome in outcomes:
            check(outcome.exit_code in (0, 1), f"trial {trial}: {outcome.stderr[-400:]}")
            if outcome.exit_code:
                refused += 1
                check(outcome.one_error_line, f"trial {trial} {outcome.argv}: {outcome.stderr}")
        stored = sum(o.exit_code == 0 for o in outcomes[:30])
        confirmed += stored
        check(integrity(db) == "ok", f"trial {trial}: {integrity(db)}")
        check(count(db, f"SELECT count(*) FROM records WHERE note = '{note}'") == stored,
              f"trial {trial}: confirmed writes missing")  # fmt: skip
        imported = count(db, "SELECT count(*) FROM records WHERE note LIKE 'imported %'")
        check(imported in (0, 500), f"trial {trial}: a partial file import ({imported})")
        leftovers = [p.name for p in db.parent.iterdir() if p.name.startswith(".")]
        check(not leftovers, f"trial {trial}: left {leftovers}")
    return (
        f"{trials} random file size limits of 40-200 KiB: {confirmed} confirmed writes all "
        f"kept, {refused} refusals each one line, no partial import or file, integrity ok "
        f"{trials}/{trials}"
    )


# -- hostile files, hostile text --------------------------------------------------------


def hostile_files(quick: bool) -> str:
    """Bombs far past the limits, through `rubdown import`: peak memory."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from test_hostile_text import hostile_files as make

    folder = fresh("hostile")
    gzip_mib, zip_mib = (1024, 64) if quick else (8192, 256)
    expected = make(folder / "files", gzip_bomb_mib=gzip_mib, zip_bomb_mib=zip_mib)
    db = folder / "rubdown.db"
    began = time.monotonic()
    (result,), peak = cli_many(
        [["import", str(folder / "files"), str(folder / "files" / "pipe.gpx"), "--json"]],
        env=env(db, RUBDOWN_IMPORT_WORKERS="0"),
    )
    took = time.monotonic() - began
    failed = {Path(f["path"].split(" (")[0]).name: f["error"] for f in result.json()["failed"]}
    for name, reason in expected.items():
        check(name in failed and reason in failed[name], f"{name}: {failed.get(name)}")
    (baseline,), base_peak = cli_many([["list", "--json"]], env=env(db))
    return (
        f"gzip bomb of {gzip_mib} MiB, zip bomb of {zip_mib} MiB, zip slip, billion laughs, "
        f"external entity, 65 MiB file, FIFO: all {len(expected)} refused in {took:.1f} s; "
        f"peak RSS {peak / 1024:.0f} MiB (a plain 'list': {base_peak / 1024:.0f} MiB)"
    )


def hostile_text(quick: bool) -> str:
    """Random mixes of control characters, bidi, markup in every text field
    and output."""
    trials = 5 if quick else 40
    rng = random.Random(13)
    pieces = ["\x1b[31m", "\x1b]8;;https://e.example\x07", "\x1b]52;c;QQ==\x07", "\u202e",
              "\u2066", "\x9b", "\x07", "\r", "\x08", "[bold]", "[/]", "[/bold]", "'; --",
              "\x00", "\x7f", "\u2028", "é", "日本", " "]  # fmt: skip
    outputs = 0
    for trial in range(trials):
        db = fresh("text") / "rubdown.db"
        text = "n" + "".join(rng.choice(pieces) for _ in range(rng.randint(5, 40)))
        text = text.replace("\x00", "") + "n"  # a NUL cannot be an argument
        name = text[:150]
        commands = [
            ["log", "run", "--type", "race", "--distance", "10k", "--time", "50:00",
             "--event", name, "--note", text],
            ["log", "massage", "--type", "thai", "--minutes", "60", "--therapist", name,
             "--note", text],
            ["list"], ["list", "--format", "csv"], ["list", "--format", "markdown"],
            ["list", "--json"], ["show", "1"], ["show", "2", "--format", "markdown"],
            ["report"], ["report", "--format", "markdown"], ["report", "--json"],
            ["export"], ["export", "--format", "csv"], ["export", "--format", "ics"],
            ["edit", "1", "--note", text + "!"], ["delete", "2"], ["undo"],
        ]  # fmt: skip
        results, _ = cli_many(commands, env=env(db))
        for outcome in results:
            check(outcome.exit_code == 0, f"trial {trial} {outcome.argv[:2]}: {outcome.stderr}")
            ics = outcome.argv[-1:] == ["ics"]
            found = unsafe_bytes(outcome.stdout, crlf=ics) + unsafe_bytes(outcome.stderr)
            check(not found, f"trial {trial} {outcome.argv[:3]}: {found}")
            outputs += 1
        listed = json.loads(results[5].stdout)
        check(listed[0]["note"] == text and listed[0]["event"] == name,
              f"trial {trial}: text changed {listed[0]['note']!r}")  # fmt: skip
    return (
        f"{trials} random hostile texts x {len(commands)} commands: {outputs} outputs, "
        "0 raw control bytes, every text back verbatim from --json"
    )


TRIALS = {
    "writes": concurrent_writes,
    "import-vs-logs": import_vs_logs,
    "first-runs": first_runs,
    "kill-import": kill_import,
    "kill-migration": kill_migration,
    "kill-undo": kill_undo,
    "damage": damage,
    "full-disk": full_disk,
    "file-size-limit": file_size_limit,
    "hostile-files": hostile_files,
    "hostile-text": hostile_text,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trials", nargs="*", metavar="TRIAL",
                        help=f"default: all of {', '.join(TRIALS)}")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="a few of each")
    try:
        args = parser.parse_args()
        unknown = [name for name in args.trials if name not in TRIALS]
        if unknown:
            parser.error(f"unknown trial {', '.join(unknown)}; trials: {', '.join(TRIALS)}")
    except SystemExit:
        shutil.rmtree(ROOT, ignore_errors=True)
        raise
    chosen = args.trials or list(TRIALS)
    from rubdown import __version__

    print(f"rubdown {__version__} stress trials · Python {sys.version.split()[0]} · "
          f"SQLite {sqlite3.sqlite_version} · {len(os.sched_getaffinity(0))} cores"
          f"{' · quick' if args.quick else ''}", flush=True)  # fmt: skip
    problems = 0
    began = time.monotonic()
    try:
        for name in chosen:
            start = time.monotonic()
            try:
                line = TRIALS[name](args.quick)
                verdict = "ok  "
            except Exception as exc:
                problems += 1
                verdict = "FAIL"
                line = f"{type(exc).__name__}: {exc}"
                if not isinstance(exc, AssertionError):
                    traceback.print_exc()
            print(f"{verdict} {name:16} {line} [{time.monotonic() - start:.0f} s]", flush=True)
    finally:
        if problems == 0:
            shutil.rmtree(ROOT, ignore_errors=True)
        else:
            print(f"kept {ROOT} for inspection")
    print(f"{'all ok' if problems == 0 else f'{problems} FAILED'} in "
          f"{time.monotonic() - began:.0f} s")  # fmt: skip
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
