"""Paths, the database file, ids, filters and options: what a new user types
by mistake is refused with the right reason, and nothing is created or
changed that the command did not mean to write."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from datetime import UTC, datetime

import pytest

from conftest import digest, invoke
from torture import unsafe_bytes


def one_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1 and "Traceback" not in text


def log_a_run(rubdown, *extra: str) -> None:
    assert rubdown("log", "run", "--distance", "5k", "--time", "25:00", *extra).exit_code == 0


# -- 3: an empty path is a usage error -----------------------------------------

EMPTY_PATHS = [
    ["import", ""],
    ["import", "", "run.gpx"],
    ["import", "--dry-run", " "],
    ["--db", "", "list"],
    ["--db=", "list"],
    ["list", "--db", ""],
    ["--db", "", "log", "run", "--distance", "5k"],
    ["log", "run", "--distance", "5k", "--db", ""],
    ["log", "run", "--distance", "5k", "--db=  "],
    ["report", "--db", ""],
    ["export", "--output", ""],
    ["export", "-o", ""],
    ["db", "backup", ""],
    ["db", "path", "--db", ""],
    ["demo", "--db", ""],
]


@pytest.mark.parametrize("fast", [True, False], ids=["as typed", "through typer"])
@pytest.mark.parametrize("args", EMPTY_PATHS, ids=" ".join)
def test_an_empty_path_is_a_usage_error(args, fast, tmp_path, monkeypatch, db_file):
    from torture import write_gpx

    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)  # typer reads "" as ".": this folder
    write_gpx(here / "run.gpx", datetime(2026, 11, 1, 12, tzinfo=UTC))
    log_a_run(invoke)
    before = digest(db_file)
    r = invoke(*args, fast=fast)
    assert r.exit_code == 2, r.stderr
    assert one_line(r.stderr) and "empty path" in r.stderr, r.stderr
    assert digest(db_file) == before
    assert sorted(p.name for p in here.iterdir()) == ["run.gpx"]


@pytest.mark.parametrize("variable", ["RUBDOWN_DB", "RUBDOWN_CONFIG"])
@pytest.mark.parametrize("value", ["", "  "])
def test_an_empty_path_in_the_environment_is_a_usage_error(
    rubdown, variable, value, monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(variable, value)
    uses = {"RUBDOWN_DB": ["db", "path"], "RUBDOWN_CONFIG": ["config", "path"]}
    for args in (["report"], ["log", "run", "--distance", "5k"], uses[variable]):
        r = rubdown(*args)
        assert r.exit_code == 2, (args, r.stderr)
        assert one_line(r.stderr) and variable in r.stderr and "empty" in r.stderr
    assert not any(tmp_path.rglob("*.db"))


# -- 7: ids that are not ids ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["show", "99999999999999999999999"],
        ["delete", "99999999999999999999999"],
        ["edit", "99999999999999999999999", "--note", "x"],
        ["show", "9223372036854775808"],
        ["delete", "-1"],
        ["show", "-5"],
        ["edit", "-1", "--note", "x"],
        ["delete", "-1.5"],
        ["delete", "--", "-1"],
        ["show", "0"],
        ["show", "abc"],
    ],
    ids=" ".join,
)
def test_an_id_that_cannot_be_one_is_a_usage_error(rubdown, db_file, args):
    log_a_run(rubdown)
    before = digest(db_file)
    r = rubdown(*args)
    assert r.exit_code == 2, r.stderr
    assert one_line(r.stderr) and "is not a record id" in r.stderr, r.stderr
    assert f"'{args[-1] if args[0] != 'edit' else args[1]}'" in r.stderr
    assert "No such option" not in r.stderr
    assert digest(db_file) == before


def test_an_id_that_is_not_utf8_or_holds_escapes_is_shown_inert(db_file):
    import subprocess
    import sys

    env = {**os.environ, "RUBDOWN_DB": str(db_file)}
    for raw, shown in [(b"caf\xe9", b"'caf\\xe9'"), (b"\x1b[31m7", b"'\\x1b[31m7'")]:
        r = subprocess.run(
            [sys.executable.encode(), b"-m", b"rubdown", b"show", raw],
            capture_output=True, env=env, timeout=60,
        )  # fmt: skip
        assert r.returncode == 2, r.stderr
        assert r.stderr.count(b"\n") == 1 and shown + b" is not a record id" in r.stderr
        assert not unsafe_bytes(r.stderr), r.stderr
        assert b"Traceback" not in r.stderr
    assert not db_file.exists()


def test_the_store_finds_no_record_for_an_id_sqlite_cannot_hold(db_file):
    from rubdown.errors import NotFound
    from rubdown.store import Store

    with Store.open(db_file, write=True) as store:
        for record_id in (10**30, -(10**30), 2**63):
            with pytest.raises(NotFound):
                store.get(record_id)
            with pytest.raises(NotFound):
                store.delete(record_id)


def test_an_option_value_that_looks_negative_is_still_the_options(rubdown):
    log_a_run(rubdown)
    r = rubdown("edit", "1", "--rpe", "-1")
    assert r.exit_code == 2 and "RPE" in r.stderr and "record id" not in r.stderr


# -- 8: list and export filters --------------------------------------------------


def test_list_says_when_only_the_filter_matched_nothing(rubdown):
    empty = rubdown("list", "--kind", "massage")
    assert "No records yet" in empty.stderr
    log_a_run(rubdown)
    for args in (["--kind", "massage"], ["--until", "2026-11-28"],
                 ["--since", "2026-11-01", "--until", "2026-11-02"]):  # fmt: skip
        r = rubdown("list", *args)
        assert r.exit_code == 0
        assert "No records yet" not in r.stderr, args
        assert "No records match" in r.stderr and " ".join(args) in r.stderr
        assert "1 record" in r.stderr


@pytest.mark.parametrize("command", [["list"], ["list", "--json"], ["export"]])
def test_list_and_export_refuse_since_after_until(rubdown, command):
    r = rubdown(*command, "--since", "2026-11-20", "--until", "2026-11-10")
    assert r.exit_code == 2 and one_line(r.stderr)
    assert "Error: --since: 2026-11-20 is after --until 2026-11-10" in r.stderr
    report = rubdown("report", "--since", "2026-11-20", "--until", "2026-11-10")
    assert report.exit_code == 2 and "is after" in report.stderr


# -- 10, 11, 17: the right reason, never advice to delete -------------------------


def test_db_check_on_a_folder_says_it_is_a_folder(rubdown, tmp_path):
    for args in (["db", "check"], ["list"], ["log", "run", "--distance", "5k"], ["db", "backup",
                 str(tmp_path / "b.db")]):  # fmt: skip
        r = rubdown("--db", str(tmp_path), *args)
        assert r.exit_code == 1 and one_line(r.stderr), r.stderr
        assert "is a folder" in r.stderr and "disk" not in r.stderr


@pytest.mark.parametrize("args", [["list"], ["log", "run", "--distance", "5k"], ["db", "check"],
                                  ["report"], ["undo"]])  # fmt: skip
def test_a_device_or_an_empty_file_is_refused_without_advice_to_delete(rubdown, tmp_path, args):
    empty = tmp_path / "empty.db"
    empty.touch()
    os.utime(empty, (0, 0))  # not one being created right now
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    for target in (os.devnull, str(empty), str(fifo)):
        r = rubdown("--db", target, *args)
        assert r.exit_code == 1 and one_line(r.stderr), r.stderr
        assert "delete" not in r.stderr.lower(), r.stderr
    assert empty.stat().st_size == 0


def test_a_config_that_is_the_database_is_not_to_be_deleted(rubdown, db_file, monkeypatch):
    log_a_run(rubdown)
    monkeypatch.setenv("RUBDOWN_CONFIG", str(db_file))
    r = rubdown("list")
    assert r.exit_code == 1 and one_line(r.stderr)
    assert "SQLite database" in r.stderr and "delete" not in r.stderr.lower()
    monkeypatch.setenv("RUBDOWN_CONFIG", str(db_file.parent))
    for args in (["config", "init"], ["config", "show"], ["list"]):
        r = rubdown(*args)
        assert r.exit_code == 1 and "is a folder" in r.stderr, r.stderr
        assert "delete" not in r.stderr.lower()


def test_config_init_never_advises_deleting_a_file(rubdown, config_file):
    config_file.write_text('units = "mi"\n')
    r = rubdown("config", "init")
    assert r.exit_code == 1 and "already exists" in r.stderr
    assert "delete" not in r.stderr.lower()
    assert config_file.read_text() == 'units = "mi"\n'
    config_file.write_text("units = \n")
    bad = rubdown("report")
    assert bad.exit_code == 1 and "not valid TOML" in bad.stderr
    assert "delete" not in bad.stderr.lower()


def test_a_file_where_a_folder_should_be_is_named(rubdown, tmp_path):
    log_a_run(rubdown)
    a_file = tmp_path / "file.json"
    a_file.write_text("{}")
    commands = [
        ["export", "--output", str(a_file / "x.json")],
        ["db", "backup", str(a_file / "x.db")],
        ["--db", str(a_file / "x.db"), "list"],
        ["--db", str(a_file / "deeper" / "x.db"), "log", "run", "--distance", "5k"],
    ]
    for args in commands:
        r = rubdown(*args)
        assert r.exit_code == 1 and one_line(r.stderr), r.stderr
        assert f"{a_file} is a file, not a folder" in r.stderr, r.stderr
        assert "does not exist" not in r.stderr
    missing = rubdown("export", "--output", str(tmp_path / "nope" / "x.json"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


def test_a_dangling_link_as_the_database_is_named(rubdown, tmp_path):
    link = tmp_path / "log.db"
    link.symlink_to(tmp_path / "gone" / "rubdown.db")
    for args in (["log", "run", "--distance", "5k"], ["list"], ["db", "check"], ["undo"]):
        r = rubdown("--db", str(link), *args)
        assert r.exit_code == 1 and one_line(r.stderr), r.stderr
        assert "symbolic link" in r.stderr and "does not exist" in r.stderr
        assert "permission" not in r.stderr
    assert not (tmp_path / "gone").exists()


# -- 12: file names are inert in every output ------------------------------------

HOSTILE_NAME = "log\x1b[31mred\x1b]52;c;ZXZpbA==\x07\u202e\x9b2J"


def test_printed_paths_are_inert(rubdown, tmp_path, monkeypatch):
    folder = tmp_path / HOSTILE_NAME
    folder.mkdir()
    db = folder / "rubdown.db"
    monkeypatch.setenv("RUBDOWN_DB", str(db))
    monkeypatch.setenv("RUBDOWN_CONFIG", str(folder / "config.toml"))
    outputs = [rubdown("db", "path"), rubdown("config", "path"), rubdown("config", "show")]
    log_a_run(rubdown)
    outputs += [rubdown("db", "check"), rubdown("config", "init"), rubdown("config", "show"),
                rubdown("db", "backup", str(folder / "copy.db"))]  # fmt: skip
    for r in outputs:
        assert r.exit_code == 0, r.stderr
        assert unsafe_bytes(r.stdout) == [] and unsafe_bytes(r.stderr) == [], r
    assert "\\x1b[31mred" in rubdown("db", "path").stdout
    assert rubdown("db", "check").stdout.startswith(f"ok: {tmp_path}/log\\x1b[31mred")


def test_a_path_that_is_not_utf8_is_printed_escaped(tmp_path):
    from conftest import run_cli

    name = os.fsdecode(b"caf\xe9\nx.db")
    db = tmp_path / name
    env = {"RUBDOWN_DB": str(db), "PYTHONIOENCODING": "utf-8"}
    r = run_cli("log", "run", "--distance", "5k", env=env)
    assert r.returncode == 0, r.stderr
    for args in (["db", "path"], ["db", "check"]):
        r = run_cli(*args, env=env)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert "caf\\xe9\\nx.db" in r.stdout and len(r.stdout.splitlines()) == 1


# -- 13, 14: folders made private; nothing made by what writes nothing ------------


def test_every_missing_folder_of_the_database_is_private(rubdown, tmp_path, monkeypatch):
    top = tmp_path / "a"
    db = top / "b" / "c" / "rubdown.db"
    config = tmp_path / "cfg" / "d" / "config.toml"
    monkeypatch.setenv("RUBDOWN_CONFIG", str(config))
    old = os.umask(0)
    try:
        log_a_run(rubdown, "--db", str(db))
        assert rubdown("config", "init").exit_code == 0
    finally:
        os.umask(old)
    for folder in (top, top / "b", top / "b" / "c", tmp_path / "cfg", config.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["undo"], 1),
        (["delete", "1"], 1),
        (["edit", "1", "--note", "x"], 1),
        (["edit", "1", "--rpe", "11"], 1),
        (["show", "1"], 1),
        (["list"], 0),
        (["report"], 0),
        (["export"], 0),
        (["db", "check"], 0),
        (["import", "--dry-run", "{folder}"], 0),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else str(v),
)
def test_commands_that_write_nothing_create_nothing(rubdown, tmp_path, args, code):
    db = tmp_path / "new" / "folders" / "rubdown.db"
    (tmp_path / "empty").mkdir()
    r = rubdown("--db", str(db), *(a.format(folder=tmp_path / "empty") for a in args))
    assert r.exit_code == code, r.stderr
    assert not (tmp_path / "new").exists()


# -- 18: a backup never replaces the database it copies ---------------------------


def test_a_backup_onto_the_database_itself_is_refused(rubdown, db_file, tmp_path):
    log_a_run(rubdown)
    before = digest(db_file)
    link = tmp_path / "link.db"
    link.symlink_to(db_file)
    hard = tmp_path / "hard.db"
    os.link(db_file, hard)
    spellings = [str(db_file), str(db_file.parent / ".." / "data" / "rubdown.db"), str(link),
                 str(hard), f"{db_file}-wal", f"{db_file}-shm"]  # fmt: skip
    for dest in spellings:
        for args in (["db", "backup", dest, "--force"], ["export", "--output", dest, "--force"]):
            r = rubdown(*args)
            assert r.exit_code == 1 and one_line(r.stderr), (args, r.stderr)
            assert "would destroy the log" in r.stderr
            assert digest(db_file) == before
    assert len(rubdown("list", "--json").json()) == 1
    assert rubdown("db", "check").exit_code == 0


def test_a_backup_or_export_never_replaces_a_device_or_pipe(rubdown, tmp_path):
    log_a_run(rubdown)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (["db", "backup", str(fifo), "--force"], ["export", "-o", str(fifo), "--force"]):
        r = rubdown(*args)
        assert r.exit_code == 1 and "not a regular file" in r.stderr, r.stderr
        assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_path_too_long_says_so(rubdown, tmp_path):
    log_a_run(rubdown)
    long = str(tmp_path / ("b" * 300 + ".db"))
    for args in (["--db", long, "log", "run", "--distance", "5k"], ["db", "backup", long],
                 ["export", "--output", long]):  # fmt: skip
        r = rubdown(*args)
        assert r.exit_code == 1 and one_line(r.stderr) and "shorter path" in r.stderr, r.stderr


# -- 19: conflicts and bad environment values are refused -------------------------


@pytest.mark.parametrize("fast", [True, False], ids=["as typed", "through typer"])
@pytest.mark.parametrize(
    "args",
    [
        ["report", "--json", "--format", "csv"],
        ["report", "--format", "markdown", "--json"],
        ["report", "-f", "table", "--json"],
        ["list", "--json", "--format", "csv"],
        ["show", "1", "--json", "-f", "markdown"],
        ["demo", "--json", "--format", "csv"],
    ],
    ids=" ".join,
)
def test_json_with_another_format_is_refused(args, fast, db_file, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    log_a_run(invoke)
    r = invoke(*args, fast=fast)
    assert r.exit_code == 2 and one_line(r.stderr), r.stderr
    assert "--json" in r.stderr and "--format" in r.stderr
    assert r.stdout == ""
    agreeing = [a for a in args if a not in ("--json", "--format", "-f", "csv", "markdown")]
    agreeing = [a for a in agreeing if a != "table"]
    assert invoke(*agreeing, "--format", "json", "--json", fast=fast).exit_code == 0


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("RUBDOWN_BUSY_TIMEOUT", "abc"),
        ("RUBDOWN_BUSY_TIMEOUT", ""),
        ("RUBDOWN_BUSY_TIMEOUT", "nan"),
        ("RUBDOWN_BUSY_TIMEOUT", "-1"),
        ("RUBDOWN_IMPORT_WORKERS", "abc"),
        ("RUBDOWN_IMPORT_WORKERS", "-2"),
        ("RUBDOWN_UNITS", "parsecs"),
        ("RUBDOWN_UNITS", ""),
    ],
)
def test_a_bad_environment_value_is_refused_alike(rubdown, db_file, tmp_path, variable, value,
                                                  monkeypatch):  # fmt: skip
    from torture import write_gpx

    gpx = tmp_path / "run.gpx"
    write_gpx(gpx, datetime(2026, 11, 1, 12, tzinfo=UTC))
    monkeypatch.setenv(variable, value)
    commands = {  # each where it is read
        "RUBDOWN_BUSY_TIMEOUT": [["log", "run", "-D", "5k"], ["list"], ["import", str(gpx)]],
        "RUBDOWN_IMPORT_WORKERS": [["import", str(gpx)]],
        "RUBDOWN_UNITS": [["log", "run", "--distance", "5k"], ["report"]],
    }[variable]
    for args in commands:
        r = rubdown(*args)
        assert r.exit_code == 2, (args, r.stderr)
        assert one_line(r.stderr) and r.stderr.startswith(f"Error: {variable}"), r.stderr
        assert "or unset it" in r.stderr
    assert not db_file.exists()


def test_a_good_busy_timeout_is_used(rubdown, monkeypatch):
    from rubdown.store import busy_timeout

    monkeypatch.setenv("RUBDOWN_BUSY_TIMEOUT", " 0.5 ")
    assert busy_timeout() == 0.5
    monkeypatch.delenv("RUBDOWN_BUSY_TIMEOUT")
    assert busy_timeout() == 5.0


# -- 26: the demo leaves nothing behind --------------------------------------------


def test_the_demo_leaves_no_temporary_folder(rubdown, tmp_path, monkeypatch, db_file):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    r = rubdown("demo")
    assert r.exit_code == 0, r.stderr
    assert "Ragnar Relay" in r.stdout
    assert list(scratch.iterdir()) == []
    assert "removed" in r.stderr and "rubdown demo --db" in r.stderr
    assert not db_file.exists()
    kept = tmp_path / "demo.db"
    r = rubdown("demo", "--db", str(kept))
    assert r.exit_code == 0 and kept.exists() and str(kept) in r.stderr


# -- docs: export's JSON is list --json's array -----------------------------------


def test_export_json_is_the_list_json_array(rubdown, tmp_path):
    log_a_run(rubdown, "--note", "first")
    assert rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--focus",
                   "calves").exit_code == 0  # fmt: skip
    listed = rubdown("list", "--json").stdout
    exported = rubdown("export").stdout
    assert json.loads(exported) == json.loads(listed)
    assert exported.startswith("[\n  {")  # indented; list --json in a pipe is one line


def test_the_readme_makes_a_virtual_environment_before_its_two_commands():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    setup = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    venv = setup.index("python3 -m venv .venv && . .venv/bin/activate\n")
    assert venv < setup.index("\npip install . && rubdown demo\n")
    assert venv < setup.index("\npip install -e '.[test]' && pytest\n")
