"""``db path|check|backup`` and ``config path|show|init``."""

from __future__ import annotations

import sqlite3


def test_db_path_follows_option_then_env(rubdown, db_file, tmp_path, monkeypatch):
    assert rubdown("db", "path").stdout.strip() == str(db_file)
    other = tmp_path / "other.db"
    assert rubdown("--db", str(other), "db", "path").stdout.strip() == str(other)
    assert rubdown("db", "path", "--db", str(other)).stdout.strip() == str(other)
    monkeypatch.delenv("RUBDOWN_DB")
    default = rubdown("db", "path").stdout.strip()
    assert default.endswith("rubdown/rubdown.db")


def test_db_option_on_a_command_writes_there(rubdown, tmp_path, db_file):
    other = tmp_path / "elsewhere.db"
    assert rubdown("log", "run", "--distance", "5k", "--db", str(other)).exit_code == 0
    assert other.exists() and not db_file.exists()
    assert len(rubdown("--db", str(other), "list", "--json").json()) == 1


def test_db_check_verdicts(rubdown, db_file):
    assert "No database" in rubdown("db", "check").stderr
    rubdown("log", "run", "--distance", "5k")
    rubdown("log", "massage", "--type", "thai", "--minutes", "60")
    ok = rubdown("db", "check")
    assert ok.exit_code == 0
    from rubdown.store.migrations import LATEST

    assert ok.stdout.startswith(
        f"ok: {db_file} · integrity ok · schema {LATEST} · 1 runs, 1 massages"
    )


def test_db_check_finds_a_damaged_page(rubdown, db_file):
    from datetime import datetime

    from rubdown.models import Run
    from rubdown.store import Store

    start = datetime.fromisoformat("2026-11-01T07:00:00-05:00")
    with Store.open(db_file, write=True) as store:
        note = "x" * 300
        store.add_many([Run(None, start, "easy", note=note)] * 200)
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db_file.read_bytes())
    page = 4096
    data[page * 5 : page * 6] = b"\xff" * page  # scribble over one b-tree page
    db_file.write_bytes(bytes(data))
    r = rubdown("db", "check")
    assert r.exit_code == 1
    assert "damaged" in r.stderr and "db backup" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_backup_is_a_consistent_copy_and_refuses_to_overwrite(rubdown, tmp_path):
    for i in range(5):
        rubdown("log", "run", "--distance", f"{5 + i}k")
    dest = tmp_path / "backup.db"
    r = rubdown("db", "backup", str(dest))
    assert r.exit_code == 0 and "5 records" in r.stderr
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT count(*) FROM runs").fetchone()[0] == 5
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    again = rubdown("db", "backup", str(dest))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert rubdown("db", "backup", str(dest), "--force").exit_code == 0
    assert rubdown("--db", str(dest), "list", "--json").json()[0]["distance_m"] == 5000.0


def test_config_show_defaults_and_file(rubdown, config_file):
    r = rubdown("config", "show")
    assert r.exit_code == 0
    assert "defaults; no file at" in r.stdout and 'units = "km"' in r.stdout
    assert rubdown("config", "path").stdout.strip() == str(config_file)
    assert rubdown("config", "init").exit_code == 0
    assert config_file.stat().st_mode & 0o077 == 0
    assert rubdown("config", "init").exit_code == 1
    config_file.write_text(
        'units = "mi"\nweek_start = "sunday"\n[massage]\nevery = "2w"\n'
        "[follow_up]\nwindow_hours = 48\n"
    )
    shown = rubdown("config", "show").stdout
    assert 'units = "mi"' in shown and 'every = "14d"' in shown and "window_hours = 48" in shown


def test_bad_config_is_one_line_naming_the_key(rubdown, config_file):
    for text, named in [
        ('units = "furlongs"\n', "units"),
        ("[hard_effort]\nrpe = 15\n", "hard_effort.rpe"),
        ("[follow_up]\nwindow = 3\n", "follow_up.window"),
        ("units = \n", "not valid TOML"),
    ]:
        config_file.write_text(text)
        r = rubdown("log", "run", "--distance", "5k")
        assert r.exit_code == 1, text
        assert named in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_rubdown_units_env_overrides_config(rubdown, config_file, monkeypatch):
    config_file.write_text('units = "km"\n')
    monkeypatch.setenv("RUBDOWN_UNITS", "mi")
    rubdown("log", "run", "--distance", "1")
    assert rubdown("list", "--json").json()[0]["distance_m"] == 1609.344
