"""The fast path for ``log`` (rubdown.cli.fast) behaves exactly as typer does.

Every command line below runs twice on fresh databases, once as users run it
and once forced through typer, and everything a user can observe must match:
exit code, stdout, stderr, what was stored.
"""

from __future__ import annotations

import pytest
import typer

from conftest import invoke
from rubdown.cli import fast
from rubdown.cli.root import app


def log_commands():
    log = typer.main.get_command(app).get_command(None, "log")
    return {name: log.get_command(None, name) for name in log.list_commands(None)}


def test_the_fast_table_is_the_typer_commands_options():
    commands = log_commands()
    assert sorted(commands) == sorted(fast.OPTIONS)
    for kind, command in commands.items():
        spellings = {
            opt: param.name
            for param in command.params
            if param.param_type_name == "option" and "--help" not in param.opts
            for opt in (*param.opts, *param.secondary_opts)
        }
        assert spellings == fast.OPTIONS[kind], kind
        flags = [param.name for param in command.params if getattr(param, "is_flag", False)]
        assert flags == ["help"] or flags == [], (kind, flags)  # every option takes a value
        required = {param.name for param in command.params if param.required}
        assert required == set(fast.REQUIRED[kind]), kind


# Command lines the fast path takes: good ones, and bad values (usage errors
# the shared parsers report).
TAKEN = [
    ["log", "run", "--distance", "10k", "--time", "55:00", "--date", "2026-11-28 07:00"],
    ["log", "run", "-D", "6.2mi", "-t", "50:10", "-d", "sat", "--rpe", "8", "-n", "hilly"],
    ["log", "run", "--distance=21.1k", "--time=1:45:00", "--type=race", "--event= Turkey Trot "],
    ["log", "run", "--type", "relay", "--event", "Hood To Coast", "--leg", "2",
     "--date", "yesterday 23:40"],
    ["log", "run", "--distance", "ten"],
    ["log", "run", "--rpe", "11"],
    ["log", "run", "--time", ""],
    ["log", "run", "--date", "2027-01-01", "--distance", "5k"],
    ["log", "run", "--note", "cold\x1b[31m red", "--distance", "5k"],
    ["log", "massage", "--type", "Deep Tissue", "--minutes", "1h30m", "--cost", "95.50",
     "--therapist", "Ana", "--focus", "calves,hamstrings"],
    ["log", "massage", "--minutes", "60", "--type", "deep"],
    ["log", "massage", "--type", "sports", "--minutes", "90", "--cost", "5x"],
    ["log", "self-care", "--type", "foam-roll", "--minutes", "15"],
    ["log", "self-care", "--type", "nap", "--minutes", "15"],
    ["log", "self-care", "-m", "0", "--type", "yoga"],
]  # fmt: skip

# Command lines it leaves to typer.
LEFT = [
    ["log", "run"],
    ["log", "run", "--help"],
    ["log", "run", "-h"],
    ["log", "massage", "--type", "sports"],  # --minutes missing
    ["log", "run", "--distance", "5k", "--distance", "6k"],
    ["log", "run", "--dist", "5k"],
    ["log", "run", "-D10k"],
    ["log", "run", "--distance"],
    ["log", "run", "--note", "-5"],
    ["log", "massage", "--type", "sports", "--minutes", "90", "--cost", "-5"],
    ["log", "run", "--", "--distance", "5k"],
    ["log", "run", "5k"],
    ["log", "walk", "--minutes", "5"],
    ["log", "run", "--db", "", "--distance", "5k"],
    ["--db", "", "log", "run", "--distance", "5k"],
    ["log"],
    ["list"],
    ["--help"],
    [],
]


@pytest.mark.parametrize("args", TAKEN, ids=lambda a: " ".join(a[1:4]))
def test_the_fast_path_takes_and_matches_typer(args, tmp_path, monkeypatch):
    assert fast.read(args) is not None
    seen = []
    for fast_path in (True, False):
        db = tmp_path / ("fast" if fast_path else "typer") / "rubdown.db"
        monkeypatch.setenv("RUBDOWN_DB", str(db))
        result = invoke(*args, fast=fast_path)
        stored = invoke("list", "--json").stdout if db.exists() else None
        seen.append((result.exit_code, result.stdout, result.stderr, stored))
    assert seen[0] == seen[1]
    assert seen[0][0] in (0, 2), seen[0]


@pytest.mark.parametrize("args", LEFT, ids=lambda a: " ".join(a) or "(nothing)")
def test_the_fast_path_leaves_the_rest_to_typer(args):
    assert fast.read(args) is None


def test_db_given_before_or_after_log_reaches_the_same_file(tmp_path):
    root, own = tmp_path / "root.db", tmp_path / "own.db"
    for args in (
        ["--db", str(root), "log", "run", "--distance", "5k"],
        [f"--db={root}", "log", "run", "--distance", "6k"],
        ["--db", str(root), "log", "run", "--distance", "7k", "--db", str(own)],
    ):
        assert fast.read(args) is not None
        assert invoke(*args).exit_code == 0
    assert len(invoke("--db", str(root), "list", "--json").json()) == 2
    assert [r["distance_m"] for r in invoke("--db", str(own), "list", "--json").json()] == [7000]


def test_version_matches_typer():
    assert invoke("--version").stdout == invoke("--version", fast=False).stdout
    assert invoke("--version").stdout.startswith("rubdown ")
