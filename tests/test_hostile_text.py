"""Hostile text and files: what users type or import is data, everywhere.

Terminal escapes (SGR, OSC 8 links, OSC 52 clipboard writes), C1 controls,
bidi overrides, rich markup and SQL in notes, names and file names come out
of every output as visible, inert text, and back verbatim from JSON. Hostile
files are refused through the whole `rubdown import`, with bounded memory.
"""

from __future__ import annotations

import gzip
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from torture import HOSTILE, LITERALS, cli_many, on_pty, rows, unsafe_bytes, write_gpx

DATA = Path(__file__).parent / "data"
FOCUS = "\x1b[31mcalves\u202e, [b]quads[/]"
#: A file name that is hostile but legal (no slash).
FILE_NAME = "\x1b]52;c;ZXZpbA==\x07\x1b[31m\u202e[bold]x[\\]\x9b2J"


def inert(text: str, *, crlf: bool = False) -> None:
    found = unsafe_bytes(text, crlf=crlf)
    assert not found, f"raw control bytes {found} in {text[:300]!r}"


@pytest.fixture
def hostile_log(rubdown, db_file):
    """A run (a race, so the report lists it), a massage and a self-care
    session, every text field hostile; each confirmation checked. Typed
    focus areas are of the vocabulary (SPEC 11), so the massage's hostile
    focus is stored as areas from before the vocabulary are: as text."""
    steps = [
        ("log", "run", "--date", "2026-11-21 07:00", "--distance", "21.1k", "--time", "1:50:00",
         "--type", "race", "--event", HOSTILE, "--note", HOSTILE),
        ("log", "massage", "--date", "2026-11-22 10:00", "--type", "sports", "--minutes", "60",
         "--therapist", HOSTILE, "--focus", "calves", "--note", HOSTILE),
        ("log", "self-care", "--date", "2026-11-23 08:00", "--type", "yoga", "--minutes", "20",
         "--note", HOSTILE),
    ]  # fmt: skip
    for step in steps:
        result = rubdown(*step)
        assert result.exit_code == 0, result.stderr
        inert(result.stderr)
    import json
    import sqlite3

    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE massages SET focus = ?", (json.dumps(FOCUS.split(", ")),))
    conn.close()
    return steps


def test_every_output_prints_hostile_text_literally(hostile_log, rubdown, tmp_path):
    outputs = {}
    for fmt in ("table", "csv", "markdown"):
        outputs[f"list {fmt}"] = rubdown("list", "--format", fmt)
        for record_id in ("1", "2", "3"):
            outputs[f"show {record_id} {fmt}"] = rubdown("show", record_id, "--format", fmt)
        outputs[f"report {fmt}"] = rubdown("report", "--weeks", "2", "--format", fmt)
    for fmt in ("json", "csv", "ics"):
        outputs[f"export {fmt}"] = rubdown("export", "--format", fmt)
        out = tmp_path / f"log.{fmt}"
        written = rubdown("export", "--format", fmt, "--output", str(out))
        assert written.exit_code == 0, written.stderr
        outputs[f"export {fmt} file"] = written
        inert(out.read_text(encoding="utf-8"), crlf=fmt == "ics")
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.stderr)
        inert(result.stdout, crlf="ics" in name)
        inert(result.stderr)
    for name in ("list table", "list csv", "list markdown", "show 1 table", "show 2 markdown"):
        for literal in LITERALS:
            assert literal in outputs[name].stdout, (name, literal)
        assert "\\x1b]52;c;ZXZpbA==\\x07" in outputs[name].stdout  # visible, not acted on
    for name in ("report table", "report markdown"):  # the race, by its event name
        assert "[bold]b[/bold] [/]" in outputs[name].stdout, outputs[name].stdout
    assert "[b]quads[/]" in outputs["show 2 table"].stdout
    # Markdown cells stay in their row: one line per record.
    assert len(outputs["list markdown"].stdout.splitlines()) == 2 + 3
    # Confirmations of the other writes.
    for args in (("edit", "1", "--note", HOSTILE + "!"), ("delete", "2"), ("undo",), ("undo",)):
        result = rubdown(*args)
        assert result.exit_code == 0, result.stderr
        inert(result.stderr)
        assert "[bold]b[/bold]" in result.stderr or args[0] == "edit" or "#2" in result.stderr


def test_json_gives_hostile_text_back_verbatim(hostile_log, rubdown):
    import json

    listed = rubdown("list", "--json")
    inert(listed.stdout)  # JSON escapes even what it may leave raw (C1, bidi)
    run, massage, care = listed.json()
    assert run["note"] == run["event"] == HOSTILE
    assert massage["therapist"] == massage["note"] == HOSTILE
    assert massage["focus"] == ["\x1b[31mcalves\u202e", "[b]quads[/]"]
    assert care["note"] == HOSTILE
    assert rubdown("show", "2", "--json").json() == massage
    assert json.loads(rubdown("export").stdout) == [run, massage, care]
    (effort,) = rubdown("report", "--json").json()["recovery"]["efforts"]
    assert effort["event"] == HOSTILE


def test_import_summaries_show_hostile_file_names_inertly(rubdown, tmp_path):
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / f"{FILE_NAME}broken.gpx").write_text("<gpx><trk>")
    shutil.copy(
        DATA / "fit/fitparse_activity-unexpected-eof_truncated.fit", folder / f"{FILE_NAME}.fit"
    )
    name = "\u202e[bold]Morning[/] \x85run\u2066"  # XML allows these; not ESC
    write_gpx(folder / f"{FILE_NAME}run.gpx", _start())
    gpx = (folder / f"{FILE_NAME}run.gpx").read_text()
    (folder / f"{FILE_NAME}run.gpx").write_text(gpx.replace("<trk>", f"<trk><name>{name}</name>"))
    results = []
    for extra in (("--json",), (), ("--dry-run",)):
        result = rubdown("import", str(folder), *extra)
        assert result.exit_code == 1, result.stderr  # the broken file failed
        inert(result.stdout)
        inert(result.stderr)
        results.append(result)
    summary = results[0].json()  # the first run, which stored the runs
    (failed,) = summary["failed"]
    assert failed["path"] == str(folder / f"{FILE_NAME}broken.gpx")
    assert summary["recovered"][0]["path"] == str(folder / f"{FILE_NAME}.fit")
    text = rubdown("import", str(folder), "--dry-run").stderr
    assert "\\x1b]52;c;ZXZpbA==\\x07\\x1b[31m\\u202e[bold]x[\\]\\x9b2Jbroken.gpx" in text
    notes = [r["note"] for r in rubdown("list", "--json").json()]
    assert name.strip() in notes


def _start():
    from datetime import UTC, datetime

    return datetime(2026, 6, 1, 11, 0, tzinfo=UTC)


def test_error_messages_quote_what_was_typed_inertly(rubdown, tmp_path):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cases = [
        (2, ("list", "--format", HOSTILE)),
        (2, ("export", "--format", HOSTILE)),
        (2, ("report", "--weeks", HOSTILE)),
        (2, (HOSTILE,)),
        (2, ("log", "massage", "--type", HOSTILE, "--minutes", "60")),
        (2, ("import", str(tmp_path / "missing" / HOSTILE))),
        (1, ("--db", str(blocker / HOSTILE / "x.db"), "log", "run", "--distance", "5k")),
        (1, ("db", "backup", str(tmp_path / "missing" / HOSTILE))),
        (1, ("export", "--output", str(tmp_path / "missing" / HOSTILE))),
    ]
    for code, args in cases:
        result = rubdown(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), args
        inert(result.stderr)
        assert "\\x1b" in result.stderr, (args, result.stderr)


def test_styled_terminal_output_is_inert(hostile_log, db_file):
    """On a real terminal rich styles headers and titles; user text still
    comes out literally, and the only escapes are rich's own colours."""
    commands = [
        ["list"], ["show", "2"], ["report", "--weeks", "2"],
        ["log", "run", "--note", HOSTILE, "--distance", "5k"],
    ]  # fmt: skip
    env = {**os.environ, "TERM": "xterm-256color", "RUBDOWN_DB": str(db_file)}
    env.pop("NO_COLOR", None)
    screen = on_pty(commands, env)
    assert b"\x1b[1m" in screen  # it really was styled
    assert not unsafe_bytes(screen, crlf=True, sgr=True), screen[:2000]
    text = screen.decode()
    for literal in LITERALS:
        assert literal in text, literal


# -- SQL-looking text, columns ---------------------------------------------------------


def test_sql_looking_text_is_stored_verbatim_and_columns_come_from_an_allowlist(rubdown, db_file):
    from rubdown.errors import RubdownError
    from rubdown.store import Store

    notes = ["'); DROP TABLE records; --", '" OR 1=1 --', "x'; DELETE FROM runs WHERE '1'='1"]
    for note in notes:
        assert rubdown("log", "run", "--distance", "5k", "--note", note).exit_code == 0
    assert [r["note"] for r in rubdown("list", "--json").json()] == notes
    for args in (
        ("list", "--kind", "run' OR '1'='1"),
        ("list", "--sort", "note"),
        ("list", "--format", "json; DROP TABLE records"),
        ("edit", "1", "--start_utc", "x"),
    ):
        result = rubdown(*args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (args, result.stderr)
    with Store.open(db_file, write=True) as store:
        with pytest.raises(RubdownError):
            store.update(1, {"note = 'x'; DROP TABLE records; --": "x"})
        assert store.records(kinds=("run' OR 1=1 --",)) == []
    assert rows(db_file, "SELECT count(*) FROM runs") == [(3,)]
    assert rows(db_file, "SELECT note FROM records WHERE id = 1") == [(notes[0],)]


# -- hostile files, through the CLI ----------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<gpx version="1.1"><trk><name>&h;</name><trkseg>
<trkpt lat="1" lon="1"><time>2020-01-01T00:00:00Z</time></trkpt>
<trkpt lat="1.01" lon="1"><time>2020-01-01T00:10:00Z</time></trkpt></trkseg></trk></gpx>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx version="1.1"><trk><name>&secret;</name><trkseg>
<trkpt lat="1" lon="1"><time>2020-01-01T00:00:00Z</time></trkpt>
<trkpt lat="1.01" lon="1"><time>2020-01-01T00:10:00Z</time></trkpt></trkseg></trk></gpx>
"""


def hostile_files(folder: Path, *, gzip_bomb_mib: int, zip_bomb_mib: int) -> dict[str, str]:
    """Hostile files in ``folder``: name -> what the import must say about it.

    The gzip bomb is ``gzip_bomb_mib`` members of 1 MiB of zeros each (made
    in no time, inflated member by member); the zip bomb is a Strava export
    whose activity file deflates ``zip_bomb_mib`` MiB more than 1000:1."""
    folder.mkdir()
    csv = (DATA / "strava" / "activities.csv").read_bytes()
    gpx = (DATA / "gpx/runpandas_run_2020-07-05_hr.gpx").read_bytes()
    with zipfile.ZipFile(folder / "slip.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("activities.csv", csv)
        archive.writestr("../../evil.gpx", gpx)
    with zipfile.ZipFile(folder / "bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("activities.csv", csv)
        zf.writestr("activities/740821460.gpx", b"<" * (zip_bomb_mib * 1024 * 1024))
    member = gzip.compress(bytes(1024 * 1024), compresslevel=9)
    (folder / "bomb.gpx.gz").write_bytes(member * gzip_bomb_mib)
    (folder / "laughs.gpx").write_bytes(LAUGHS)
    (folder / "external.tcx").write_bytes(EXTERNAL)
    with (folder / "huge.gpx").open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    os.mkfifo(folder / "pipe.gpx")
    return {
        "slip.zip": "unsafe zip archive",
        "bomb.zip": "740821460.gpx: ",  # too large or compressed over 100:1
        "bomb.gpx.gz": "over",  # over 64 MiB or over 100:1
        "laughs.gpx": "DTD",
        "external.tcx": "DTD",
        "huge.gpx": "file too large",
        "pipe.gpx": "not a regular file",
    }


def test_hostile_files_are_refused_through_the_cli_with_bounded_memory(tmp_path):
    expected = hostile_files(tmp_path / "hostile", gzip_bomb_mib=1024, zip_bomb_mib=8)
    db = tmp_path / "db" / "rubdown.db"
    (before, listed), peak_kib = cli_many(
        # A FIFO in a folder is passed over; named, it is refused unread (never blocks).
        [["import", str(tmp_path / "hostile"), str(tmp_path / "hostile" / "pipe.gpx"), "--json"],
         ["list", "--json"]],  # fmt: skip
        env={"RUBDOWN_DB": str(db), "RUBDOWN_IMPORT_WORKERS": "0"},
    )
    assert before.exit_code == 1 and before.stderr.count("\n") == 1, before.stderr
    failed = {Path(f["path"].split(" (")[0]).name: f["error"] for f in before.json()["failed"]}
    for name, reason in expected.items():
        assert name in failed and reason in failed[name], (name, failed.get(name))
    # The bomb archive's other rows are imported from the CSV (5 runs); nothing else.
    assert before.json()["imported"] == 5 and len(listed.json()) == 5
    assert not any("root:" in (r["note"] or "") for r in listed.json())
    assert not list(tmp_path.rglob("evil.gpx")) and not Path("evil.gpx").exists()
    # A 1 GiB bomb, read with at most the 64 MiB per-file limit in memory.
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"
