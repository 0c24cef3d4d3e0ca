"""What rubdown never says (SPEC 16): no output of any command, in any
format, holds "risk", "readiness", "overtraining", "safe" or "optimal".

Data-driven over ``cli/spec.py``'s catalogue, so a new command is covered as
soon as it is declared: each command runs with ``--help``, bare, with each
format, each flag and a few example values, with each kind of record id, on
the demo season and on a history with plans, unrated runs, check-ins (an area
rated 7 or more three times: Needs attention's line) and check-in-free weeks,
at a terminal and not. The test data hold none of the words, so user
text cannot hide one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import invoke
from rubdown.cli import log_cmd, spec

FORBIDDEN = re.compile(r"\b(risks?|readiness|overtraining|safe|optimal)\b", re.IGNORECASE)

#: A value for each option a command requires (a new required option fails
#: the test until it has one here).
TYPE_BY_KIND = {"run": "long", "massage": "sports", "self-care": "stretch"}
REQUIRED = {"minutes": "60", "start": "2026-12-03 17:00", "date": "2026-12-03 17:00"}
#: Example values of optional options, each tried alone where a command has it.
EXAMPLES = {
    "weeks": "4", "since": "2026-10-01", "until": "2026-11-20", "week": "2026-W47",
    "every": "2w", "within": "48", "kind": "massage", "missing": "rpe", "search": "legs",
    "note": "legs felt heavy", "rpe": "6", "reason": "travel",
}  # fmt: skip
FORMATS = ("table", "json", "csv", "markdown", "ics")

_CACHE: dict[str, tuple[Path, dict[str, list[str]]]] = {}


def _history(folder: Path) -> tuple[Path, dict[str, list[str]]]:
    """A history with unrated runs, a relay, massages, self-care and plans."""
    db = folder / "history.db"
    lines = [
        ["log", "run", "--date", "2026-10-20 07:00", "--distance", "10k", "--time", "55:00"],
        ["log", "run", "--date", "2026-11-03 07:00", "--distance", "12k", "--time", "65:00",
         "--rpe", "5"],
        ["log", "run", "--date", "2026-11-21 07:00", "--distance", "21.1k", "--time", "1:55:00",
         "--type", "race", "--rpe", "9", "--note", "legs heavy late on"],
        ["log", "run", "--date", "2026-11-27 22:00", "--distance", "9k", "--time", "50:00",
         "--type", "relay", "--event", "Ragnar", "--leg", "1", "--rpe", "7"],
        ["log", "run", "--date", "2026-11-28 06:00", "--distance", "8k", "--time", "45:00",
         "--type", "relay", "--event", "Ragnar", "--leg", "2"],
        ["log", "massage", "--date", "2026-11-24 17:00", "--type", "sports", "--minutes", "60",
         "--therapist", "Ana", "--cost", "90", "--focus", "calves"],
        ["log", "self-care", "--date", "2026-11-28 20:00", "--type", "foam-roll", "--minutes",
         "15"],
        ["plan", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-11-30 17:00"],
        ["plan", "run", "--date", "2026-11-25 07:00"],
        ["plan", "self-care", "--type", "yoga", "--minutes", "30", "--date", "2026-11-26"],
        ["plan", "skip", "10", "--reason", "travel"],
        # check-ins: an area rated 7+ three times in a week (Needs attention's line)
        ["log", "check-in", "--date", "2026-11-25", "--sore", "calves=7", "--sleep", "2"],
        ["log", "check-in", "--date", "2026-11-27", "--sore", "calves=8,left-quads=3",
         "--fatigue", "4", "--mood", "2", "--stress", "4"],
        ["log", "check-in", "--date", "2026-11-29", "--sore", "calves=9", "--soreness", "6"],
    ]  # fmt: skip
    for args in lines:
        r = invoke("--db", str(db), *args)
        assert r.exit_code == 0, (args, r.stderr)
    assert invoke("--db", str(db), "show", "12", "--json").json()["kind"] == "check-in"
    assert "health professional" in invoke("--db", str(db), "report").stdout
    return db, {"run": ["1"], "massage": ["6"], "plan": ["8"], "check-in": ["12"],
                "unknown": ["999"]}


def _demo(folder: Path) -> tuple[Path, dict[str, list[str]]]:
    db = folder / "demo.db"
    r = invoke("demo", "--db", str(db))
    assert r.exit_code == 0, r.stderr
    records = invoke("--db", str(db), "list", "--json").json()
    first = {}
    for record in records:
        first.setdefault(record["kind"], [str(record["id"])])
    return db, {**first, "unknown": ["99999"]}


def database(name: str, tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    if name not in _CACHE:
        folder = tmp_path_factory.mktemp(name)
        _CACHE[name] = (_history if name == "history" else _demo)(folder)
    return _CACHE[name]


def variants(command: spec.Command, ids: dict[str, list[str]], paths: dict[str, str]):
    """The argument lists to run ``command`` with (after its words)."""
    required: list[str] = []
    for option in command.options:
        if not option.required:
            continue
        if option.name == "type":
            value = TYPE_BY_KIND[command.words[-1]]
        elif option.name in REQUIRED:
            value = REQUIRED[option.name]
        else:
            pytest.fail(f"no example value for {option.long} of {command}: add one to REQUIRED")
        required += [option.long, value]
    heads: list[list[str]] = [[]]
    for argument in command.arguments:
        if argument.takes == spec.RECORD_ID:
            heads = [h + [i] for h in heads for group in ids.values() for i in group]
        elif argument.many:
            heads = [h + [paths["export"]] for h in heads]
        else:
            heads = [h + [paths["fresh"]] for h in heads]
    tails: list[list[str]] = [[]]
    for option in command.options:
        if option.required:
            continue
        if option.name == "fmt":
            tails += [[option.long, fmt] for fmt in FORMATS]
        elif option.takes == spec.FLAG:
            tails.append([option.long])
            if option.off:
                tails.append([option.off])
        elif option.name in EXAMPLES:
            tails.append([option.long, EXAMPLES[option.name]])
    return [[*head, *required, *tail] for head in heads for tail in tails]


RUNNABLE = [c for c in spec.COMMANDS if c.target is not None]


@pytest.mark.parametrize("command", spec.COMMANDS, ids=lambda c: " ".join(c.words))
def test_help_never_says_the_words(command):
    r = invoke(*command.words, "--help")
    assert r.exit_code == 0, r.stderr
    assert not FORBIDDEN.findall(r.stdout + r.stderr), r.stdout


def test_the_root_help_never_says_the_words():
    r = invoke("--help")
    assert not FORBIDDEN.findall(r.stdout + r.stderr)


@pytest.mark.parametrize("data", ["demo", "history"])
@pytest.mark.parametrize("command", RUNNABLE, ids=lambda c: " ".join(c.words))
def test_no_output_says_the_words(command, data, tmp_path, tmp_path_factory, monkeypatch):
    source, ids = database(data, tmp_path_factory)
    export = tmp_path / "export.json"
    r = invoke("--db", str(source), "export", "--output", str(export))
    assert r.exit_code == 0, r.stderr
    db = tmp_path / "work.db"
    monkeypatch.setenv("RUBDOWN_DB", str(db))
    lines = variants(command, ids, {"export": str(export), "fresh": str(tmp_path / "out.db")})
    for number, args in enumerate(lines):
        for at_terminal in (False, True) if number == 0 else (False,):
            for suffix in ("", "-wal", "-shm"):  # every run starts from the same log
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copy(source, db)
            (tmp_path / "out.db").unlink(missing_ok=True)
            monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda t=at_terminal: t)
            r = invoke(*command.words, *args, input="7\n" * 12)
            said = FORBIDDEN.findall(r.stdout + r.stderr)
            assert not said, (command.words, args, at_terminal, r.stdout + r.stderr)
