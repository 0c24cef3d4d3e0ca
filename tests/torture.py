"""Tools shared by the reliability tests and ``tests/stress/run.py``.

Not a test module: building databases (an older schema with data, many
records), hostile text and files, and running the CLI in separate processes
the way a user's shell would (as many commands as wanted in one process,
without the right to override file permissions, under a file size limit).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rubdown.models import Run

# -- hostile text ----------------------------------------------------------------

#: A note that tries everything: SGR colour, an OSC 8 hyperlink, an OSC 52
#: clipboard write, a bidi override (Trojan Source), rich markup and a bare
#: closing tag, a C1 CSI, BEL, CR, backspace, and SQL.
HOSTILE = (
    "\x1b[31mRED\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 "
    "\x1b]52;c;ZXZpbA==\x07 \u202egnp.exe\u202c \u2066iso\u2069 [bold]b[/bold] [/] "
    "[link=https://x.example]y[/link] \x9b2J \x07bell \rcr \x08bs "
    "'); DROP TABLE records; --"
)
#: Markup that must come out literally.
LITERALS = ("[bold]b[/bold]", "[/]", "[link=https://x.example]y[/link]", "DROP TABLE records")

# Raw bytes a terminal may act on, in UTF-8: C0 controls but TAB and LF, DEL,
# C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates.
_UNSAFE = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]"
)
_SGR = re.compile(rb"\x1b\[[0-9;]*m")


def unsafe_bytes(data: bytes | str, *, crlf: bool = False, sgr: bool = False) -> list[bytes]:
    """The raw control bytes in ``data``; ``crlf`` allows CRLF line ends (iCalendar),
    ``sgr`` allows SGR colour sequences (rich's own styling on a terminal)."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if crlf:
        data = data.replace(b"\r\n", b"\n")
    if sgr:
        data = _SGR.sub(b"", data)
    return _UNSAFE.findall(data)


# -- databases -------------------------------------------------------------------------


def on_pty(argvs: list[list[str]], env: dict[str, str]) -> bytes:
    """What ``rubdown ARGV...`` (each in turn, one process) writes to a real
    pseudo-terminal, with ``env``; the run must exit 0."""
    import pty

    code = (
        "import sys; from rubdown.cli import main\n"
        f"for argv in {argvs!r}:\n    sys.stdout.flush(); main(argv)\n"
    )
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(30) == 0
    return b"".join(chunks)


def runs(count: int, *, note: str = "", first: datetime | None = None) -> list[Run]:
    """``count`` new runs, one an hour, as ``Store.add_many`` takes them."""
    from rubdown.models import Run
    first = first or datetime.fromisoformat("2026-01-05T07:00:00-05:00")
    return [
        Run(None, first + timedelta(hours=i), "easy", 5000.0 + i, 1500 + i, rpe=i % 11,
            note=f"{note}{i}")
        for i in range(count)
    ]  # fmt: skip


def database_with_runs(path: Path, count: int, *, note: str = "run ") -> Path:
    from rubdown.store import Store

    with Store.open(path, write=True) as store:
        store.add_many(runs(count, note=note))
    return path


def schema_1_database(path: Path, records: int = 3) -> Path:
    """A database as the first release wrote it: schema 1, WAL, ``records``
    runs and massages logged one by one (each with its journal row)."""
    from rubdown.store import migrations

    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    saved = migrations.MIGRATIONS
    migrations.MIGRATIONS = saved[:1]
    try:
        assert migrations.apply(conn) == [1]
    finally:
        migrations.MIGRATIONS = saved
    conn.execute("PRAGMA journal_mode = WAL")
    created = "2026-11-21T00:00:00+00:00"
    conn.execute("BEGIN")
    for i in range(records):
        kind = "run" if i % 2 == 0 else "massage"
        cur = conn.execute(
            "INSERT INTO records (kind, type, start, note, created_at) VALUES (?, ?, ?, ?, ?)",
            (kind, "easy" if kind == "run" else "thai",
             f"2026-10-{1 + i % 28:02d}T07:00:00-04:00", f"old {i}", created),
        )  # fmt: skip
        if kind == "run":
            conn.execute("INSERT INTO runs (id, distance_m) VALUES (?, ?)", (cur.lastrowid, 5000.0))
        else:
            conn.execute("INSERT INTO massages (id, minutes) VALUES (?, 60)", (cur.lastrowid,))
        row = conn.execute("SELECT * FROM timeline WHERE id = ?", (cur.lastrowid,))
        snapshot = dict(zip([d[0] for d in row.description], row.fetchone(), strict=True))
        conn.execute(
            "INSERT INTO journal (at, action, record_ids, snapshot) VALUES (?, 'log', ?, ?)",
            (created, json.dumps([cur.lastrowid]), json.dumps([snapshot])),
        )
    conn.execute("COMMIT")
    conn.close()
    return path


def integrity(path: Path) -> str:
    """SQLite's verdict on the file (read-only), 'ok' when sound."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        problems += [str(r) for r in conn.execute("PRAGMA foreign_key_check")]
        return "ok" if problems == ["ok"] else "; ".join(problems)
    finally:
        conn.close()


def rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def expected_live_ids(path: Path) -> set[int]:
    """The records the undo journal says exist: logged or imported and not
    undone, minus those deleted and not undone."""
    live: set[int] = set()
    for action, record_ids in rows(
        path, "SELECT action, record_ids FROM journal WHERE undone_at IS NULL ORDER BY id"
    ):
        ids = set(json.loads(record_ids))
        if action in ("log", "import"):
            live |= ids
        elif action == "delete":
            live -= ids
    return live


def rubdown_export(path: Path, count: int, *, first: datetime | None = None) -> Path:
    """A rubdown JSON export of ``count`` runs (one file: one transaction on import)."""
    first = first or datetime(2020, 1, 1, 12, 0, tzinfo=UTC)
    path.write_text(
        json.dumps(
            [
                {"id": i + 1, "kind": "run", "type": "easy",
                 "start": (first + timedelta(hours=6 * i)).isoformat(), "note": f"imported {i}",
                 "distance_m": 8000.0 + i, "duration_s": 2400, "rpe": None, "event": None,
                 "leg": None, "source": None}
                for i in range(count)
            ]
        )
    )  # fmt: skip
    return path


def write_gpx(path: Path, start: datetime, *, points: int = 60, step_s: int = 3) -> None:
    """A timed GPX run of ``points`` points at about 3 m/s, starting at ``start``."""
    out = []
    for i in range(points):
        when = (start + timedelta(seconds=i * step_s)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat = 40.0 + i * step_s * 3.0 / 111_195
        out.append(f'<trkpt lat="{lat:.7f}" lon="-74.0"><time>{when}</time></trkpt>')
    path.write_text(
        '<?xml version="1.0"?>\n<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        f"<trk><trkseg>{''.join(out)}</trkseg></trk></gpx>\n"
    )


def gpx_folder(folder: Path, count: int, *, points: int = 60) -> Path:
    """``count`` distinct GPX runs, one a day, in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    first = datetime(2025, 6, 1, 11, 0, tzinfo=UTC)
    for i in range(count):
        write_gpx(folder / f"run-{i:04d}.gpx", first + timedelta(days=i), points=points)
    return folder


# -- running the CLI in other processes ------------------------------------------------


@dataclass
class Outcome:
    argv: list[str]
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)

    @property
    def one_error_line(self) -> bool:
        """Exactly one line on stderr, an ``Error: ...``, no traceback."""
        lines = self.stderr.splitlines()
        return len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in self.stderr


_DRIVER = r"""
import contextlib, io, json, os, resource, sys
from rubdown.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except BaseException as exc:  # a crash is a finding, reported as such
            import traceback
            traceback.print_exc(file=err)
            code = -1
    results.append([argv, code, out.getvalue(), err.getvalue()])
try:  # this process's own peak (ru_maxrss would include the parent's, from before exec)
    with open("/proc/self/status") as status:
        peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
os.write(1, json.dumps({"results": results, "peak_kib": peak_kib}).encode())
"""


def cli_many(
    commands: list[list[str]],
    *,
    env: dict | None = None,
    limit_file_bytes: int | None = None,
    no_permission_override: bool = False,
    timeout: float = 120,
) -> tuple[list[Outcome], int]:
    """Run each ``rubdown`` command in turn in ONE new Python process (one
    start-up for all); return their outcomes and the process's peak RSS in KiB.

    ``limit_file_bytes`` caps the size of any file it writes (RLIMIT_FSIZE:
    writes past it fail with EFBIG, as on a full disk). ``no_permission_override``
    makes file permissions bind even when the tests run as root.
    """
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", _DRIVER, json.dumps(commands)],
        capture_output=True,
        env=full_env,
        timeout=timeout,
        preexec_fn=_limits(limit_file_bytes, no_permission_override),
    )
    if proc.returncode != 0:
        raise AssertionError(f"driver failed: {proc.stderr.decode(errors='replace')}")
    data = json.loads(proc.stdout)
    return [Outcome(*r) for r in data["results"]], data["peak_kib"]


def cli(*args: str, **kwargs) -> Outcome:
    """One ``rubdown`` command in a new process (see ``cli_many``)."""
    return cli_many([list(args)], **kwargs)[0][0]


def _limits(limit_file_bytes: int | None, no_permission_override: bool):
    if limit_file_bytes is None and not (no_permission_override and os.geteuid() == 0):
        return None

    def apply() -> None:
        if limit_file_bytes is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_bytes, limit_file_bytes))
        if no_permission_override and os.geteuid() == 0:
            drop_permission_override()

    return apply


def drop_permission_override() -> None:
    """As root, give up the capabilities that ignore file permissions
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) for this process and
    what it executes, so a read-only file or folder is read-only to it."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def permissions_bind() -> bool:
    """Whether a process of ours can be made to respect file permissions."""
    if os.geteuid() != 0:
        return True
    import tempfile

    folder = tempfile.mkdtemp()
    try:
        os.chmod(folder, 0o500)
        proc = subprocess.run(
            [sys.executable, "-c", f"import os; print(os.access({folder!r}, os.W_OK))"],
            preexec_fn=drop_permission_override,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        os.chmod(folder, 0o700)
        os.rmdir(folder)
    return proc.stdout.strip() == "False"


# -- programs run as separate processes by the concurrency and crash trials ----

#: Logs runs until the file ``argv[2]`` exists; prints each exit code and wait.
LOGGER = """
import json, os, sys, time
from rubdown.cli import main
name, stop = sys.argv[1], sys.argv[2]
codes, waits, i = [], [], 0
while not os.path.exists(stop):
    i += 1
    began = time.monotonic()
    codes.append(main(["log", "run", "--distance", "5k", "--note", f"{name}-{i}"]))
    waits.append(time.monotonic() - began)
print(json.dumps({"codes": codes, "waits": waits, "longest_s": max(waits, default=0)}))
"""

#: Random log/edit/delete/undo writes on ``argv[1]`` (seed ``argv[2]``) until killed.
RANDOM_WRITER = """
import random, sys
from pathlib import Path
from rubdown.cli import main
from rubdown.store import Store
path, rng, i = Path(sys.argv[1]), random.Random(int(sys.argv[2])), 0
while True:
    i += 1
    roll = rng.random()
    if roll < 0.55:
        main(["log", "run", "--distance", "5k", "--note", f"w{i}"])
        continue
    with Store.open(path, write=False) as store:
        ids = [r.id for r in store.records()]
    if roll < 0.7 and ids:
        main(["edit", str(rng.choice(ids)), "--note", f"edited {i}"])
    elif roll < 0.85 and ids:
        main(["delete", str(rng.choice(ids))])
    else:
        main(["undo"])
"""


def processes_in_group(group: int) -> list[int]:
    """Live (not zombie) processes in process group ``group`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                found.append(int(entry.name))
    return found
