"""The fast path for ``log`` (rubdown.cli.fast) behaves exactly as typer does.

Every command line below runs twice on fresh databases, once as users run it
and once forced through typer, and everything a user can observe must match:
exit code, stdout, stderr, what was stored.
"""

from __future__ import annotations

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import invoke
from rubdown.cli import core, fast
from rubdown.cli.options import path_value
from rubdown.cli.root import app


def typer_command(words: tuple[str, ...]):
    command = typer.main.get_command(app)
    for word in words:
        command = command.get_command(None, word)
    return command


@pytest.mark.parametrize("words", list(fast.COMMANDS), ids=" ".join)
def test_the_fast_table_is_the_typer_commands_options(words):
    command = typer_command(words)
    spellings, required, function = fast.COMMANDS[words]
    expected = {}
    for param in command.params:
        if param.param_type_name != "option" or "--help" in param.opts:
            continue
        assert not param.multiple and param.nargs == 1, param.name
        if param.is_flag:  # --x sets True, its --no-x False
            assert param.is_bool_flag, param.name
            expected.update({opt: (param.name, True) for opt in param.opts})
            expected.update({opt: (param.name, False) for opt in param.secondary_opts})
            continue
        expected.update({opt: (param.name, fast.VALUE) for opt in param.opts})
        kind = type(param.type).__name__
        if param.name in fast.INTEGERS:
            assert kind == "IntRange", param.name
            assert (param.type.min, param.type.max) == fast.INTEGERS[param.name]
            assert not (param.type.min_open or param.type.max_open or param.type.clamp)
        elif param.name == "db":  # a path, checked as fast._path_ok checks it
            assert kind == "FuncParamType" and param.type.func is path_value, param.name
        else:  # text, given to core as typed
            assert kind == "StringParamType", param.name
    assert spellings == expected
    assert set(required) == {param.name for param in command.params if param.required}
    assert callable(getattr(core, function))


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
    ["report"],
    ["report", "--weeks", "4", "--json"],
    ["report", "-w", "8", "--format", "csv"],
    ["report", "--since", "2026-10-01", "--until", "2026-11-15", "-f", "markdown"],
    ["report", "--week", "2026-W47", "--self-care", "--within", "48h"],
    ["report", "--last-week", "--no-self-care", "--every", "2w", "--format=json"],
    ["report", "--weeks", "520"],
    ["report", "--since", "soon"],  # a value the parser refuses (exit 2, from core)
    ["report", "--every", "fortnightly"],
]  # fmt: skip

# Command lines it takes but hands to typer once core finds a usage error.
HANDED_OVER = [
    ["report", "--weeks", "4", "--since", "2026-10-01"],
    ["report", "--since", "2027-01-01"],
    ["report", "--since", "2026-11-20", "--until", "2026-11-01"],
    ["report", "--week", "2026-W40", "--until", "2026-11-01"],
    ["report", "--format", "xml"],
]

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
    ["report", "--weeks", "0"],
    ["report", "--weeks", "521"],
    ["report", "--weeks", "four"],
    ["report", "--json=yes"],
    ["report", "--self-care", "--no-self-care"],
    ["report", "--json", "--json"],
    ["report", "--help"],
    ["report", "extra"],
]


def both_ways(args, tmp_path, monkeypatch):
    """What a user sees and what is stored, by the fast path and by typer, each
    on its own copy of a small log."""
    seen = []
    for fast_path in (True, False):
        db = tmp_path / ("fast" if fast_path else "typer") / "rubdown.db"
        monkeypatch.setenv("RUBDOWN_DB", str(db))
        for setup in (
            ["run", "--distance", "21.1k", "--time", "1:45:00", "--type", "race",
             "--date", "2026-11-14 08:00"],
            ["massage", "--type", "sports", "--minutes", "60", "--date", "2026-11-18"],
            ["run", "--distance", "32k", "--time", "2:50:00", "--date", "2026-11-22 07:00"],
            ["self-care", "--type", "foam-roll", "--minutes", "15", "--date", "2026-11-23"],
        ):  # fmt: skip
            assert invoke("log", *setup, fast=False).exit_code == 0
        result = invoke(*args, fast=fast_path)
        stored = invoke("list", "--json").stdout
        seen.append((result.exit_code, result.stdout, result.stderr, stored))
    return seen


@pytest.mark.parametrize("args", TAKEN, ids=" ".join)
def test_the_fast_path_takes_and_matches_typer(args, tmp_path, monkeypatch):
    assert fast.read(args) is not None
    by_fast, by_typer = both_ways(args, tmp_path, monkeypatch)
    assert by_fast == by_typer
    assert by_fast[0] in (0, 2), by_fast


@pytest.mark.parametrize("args", HANDED_OVER, ids=" ".join)
def test_usage_errors_found_later_are_typer_s(args, tmp_path, monkeypatch):
    assert fast.read(args) is not None
    by_fast, by_typer = both_ways(args, tmp_path, monkeypatch)
    assert by_fast == by_typer
    assert by_fast[0] == 2 and by_fast[2].startswith("Error: "), by_fast
    assert "Invalid value" not in by_fast[2]  # rubdown's words, as for every usage error


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


@pytest.mark.parametrize("args", [["--help"], ["-h"], []], ids=["--help", "-h", "nothing"])
def test_the_root_help_is_typer_s_at_every_width(args, monkeypatch, capsys):
    """click picks its width from the terminal (50 to 78 columns); the root
    help laid out without typer must be the same page at each of them. (Not
    through CliRunner, which pins click's width.)"""
    from rubdown.cli import main

    for columns in range(30, 121):
        monkeypatch.setenv("COLUMNS", str(columns))
        pages = []
        for fast_path in (True, False):
            code = main(list(args), fast=fast_path)
            pages.append((code, *capsys.readouterr()))
        assert pages[0] == pages[1], columns
        code, out, err = pages[0]
        page = out if args else err
        assert code == 0 and page.startswith("Usage: rubdown [OPTIONS] COMMAND"), columns
        assert max(len(line) for line in page.splitlines()) <= max(min(columns, 80) - 2, 50)


# -- any command line: what the fast path reads is what typer reads --------------

_VALUES = ["5k", "", "-5", "=", "a=b", "2026-11-01", "4", "0", "521", " 7 ", "1_0", "Zoë",
           "--json", "12", "sports", "55:00", "7", "2w", "yoga"]  # fmt: skip


@st.composite
def command_lines(draw):
    """Mostly well-formed lines (so the fast path takes many), now and then
    with what it must refuse: a junk option, a flag given a value, a value
    option without one, a value that looks like an option, a repeat."""
    words = draw(st.sampled_from(sorted(fast.COMMANDS)))
    table, required, _ = fast.COMMANDS[words]
    spellings = draw(st.lists(st.sampled_from(sorted(table)), unique_by=lambda s: table[s][0],
                              max_size=5))  # fmt: skip
    given_params = {table[s][0] for s in spellings}
    spellings += [next(s for s in sorted(table) if table[s][0] == param)
                  for param in required if param not in given_params]  # fmt: skip
    tokens: list[str] = []
    for spelling in draw(st.permutations(spellings)):
        numeric = table[spelling][0] in fast.INTEGERS
        value = draw(st.sampled_from(["4", "0", "520", "521", "1_0", " 7 ", "x", "-1"] if numeric
                                     else _VALUES))  # fmt: skip
        if table[spelling][1] is not fast.VALUE:
            tokens.append(spelling)
        elif draw(st.booleans()):
            tokens += [spelling, value]
        else:
            tokens.append(f"{spelling}={value}")
    if draw(st.integers(0, 4)) == 0:  # now and then, something to refuse
        odd = draw(st.sampled_from(["--dist", "-x", "--", "--json=1", "-D10k", "--weeks",
                                    *(tokens[:1] * 2)]))  # fmt: skip
        tokens.insert(draw(st.integers(0, len(tokens))), odd)
    return words, tokens


@settings(max_examples=400, deadline=None)
@given(command_lines())
def test_what_the_fast_path_takes_typer_reads_the_same_way(line):
    """For any command line the fast path takes, click (inside typer) parses
    the same values without a usage error, and every option the fast path
    did not see is at its default."""
    from typer._click.core import ParameterSource

    words, tokens = line
    found = fast.read([*words, *tokens])
    if found is None:
        return
    _, values, root_db = found
    assert root_db is None
    ctx = typer_command(words).make_context(words[-1], list(tokens))  # raises on a usage error
    for name, parsed_value in ctx.params.items():
        if name in values:
            assert parsed_value == values[name] or str(parsed_value) == values[name], name
        else:
            assert ctx.get_parameter_source(name) is ParameterSource.DEFAULT, name
