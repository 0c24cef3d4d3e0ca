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
from rubdown.cli import fast, spec
from rubdown.cli.options import db_value, path_value, record_id
from rubdown.cli.root import app
from rubdown.errors import UsageError


def typer_command(words: tuple[str, ...]):
    command = typer.main.get_command(app)
    for word in words:
        command = command.get_command(None, word)
    return command


@pytest.mark.parametrize("entry", spec.COMMANDS, ids=lambda c: " ".join(c.words))
def test_each_typer_command_is_its_catalogue_entry(entry):
    """typer's command has the catalogue's help, arguments and options (its
    spellings, metavar, help, type, range, default), and nothing else."""
    command = typer_command(entry.words)
    assert command.help == entry.help
    if entry.target is None:  # a group: its commands
        assert command.list_commands(None) == [c.name for c in spec.children(entry)]
        return
    params = [p for p in command.params if "--help" not in p.opts]
    arguments = [p for p in params if p.param_type_name == "argument"]
    options = [p for p in params if p.param_type_name == "option"]
    assert [p.name for p in arguments] == [a.name for a in entry.arguments]
    for param, argument in zip(arguments, entry.arguments, strict=True):
        assert (param.metavar, param.help) == (argument.metavar, argument.help)
        assert param.required
        assert param.nargs == (-1 if argument.many else 1)
        parser = record_id if argument.takes == spec.RECORD_ID else path_value
        assert param.type.func is parser
    assert [p.name for p in options] == [o.name for o in entry.options]
    for param, option in zip(options, entry.options, strict=True):
        assert param.opts == list(option.spellings), option
        assert param.secondary_opts == ([option.off] if option.off else [])
        assert (param.help, param.required) == (option.help, option.required), option
        assert param.metavar == (option.metavar or None), option
        assert not param.multiple and param.nargs == 1, option
        assert param.default == option.default, option
        kind = type(param.type).__name__
        if option.takes == spec.FLAG:
            assert param.is_flag and param.is_bool_flag, option
        elif option.takes == spec.INTEGER:
            assert kind == "IntRange", option
            assert (param.type.min, param.type.max) == (option.low, option.high)
            assert not (param.type.min_open or param.type.max_open or param.type.clamp)
        elif option is spec.DB:  # text, read by the fast path as db_value reads it
            assert kind == "FuncParamType" and param.type.func is db_value, option
        elif option.takes == spec.PATH:  # read by the fast path as path_value reads it
            assert kind == "FuncParamType" and param.type.func is path_value, option
        else:  # text, given to rubdown's own code as typed
            assert kind == "StringParamType", option


def test_the_fields_are_the_options_of_log_and_edit():
    from rubdown import fields

    for kind in ("run", "massage", "self-care"):
        options = spec.BY_WORDS[("log", kind)].options
        typed = {f.name for f in fields.of_kind(kind) if f.options}
        assert {o.name for o in options if o.field is not None} == typed
        for option in options:
            if option.field is not None:
                assert option.help == option.field.help_for(kind)
                assert option.required == (kind in option.field.required)
    edit = spec.BY_WORDS[("edit",)].options
    assert [o.help for o in edit if o.field] == [f.edit_help for f in fields.FIELDS if f.options]


# Command lines the fast path takes: good ones, and bad values (usage errors
# rubdown's own code reports, the same on both paths).
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
    ["log", "self-care", "--type", "yoga", "-m", "20", "--areas", "IT band,L calf"],
    ["log", "check-in", "--sore", "Calf=6,left hamstring=4", "--fatigue", "3", "-n", "stiff"],
    ["log", "check-in", "--date", "yesterday", "--soreness", "11"],
    ["log", "check-in", "--sore", "calves=x"],
    ["report"],
    ["report", "--weeks", "4", "--json"],
    ["report", "-w", "8", "--format", "csv"],
    ["report", "--since", "2026-10-01", "--until", "2026-11-15", "-f", "markdown"],
    ["report", "--week", "2026-W47", "--self-care", "--within", "48h"],
    ["report", "--last-week", "--no-self-care", "--every", "2w", "--format=json"],
    ["report", "--weeks", "520"],
    ["report", "--since", "soon"],  # a value the parser refuses (exit 2)
    ["report", "--every", "fortnightly"],
    ["report", "--weeks", "4", "--format", "html"],
    ["report", "-f", "HTML", "--every", "2w"],
]  # fmt: skip

# Command lines it takes whose values or combination rubdown refuses: one
# error, in one format, whichever path read the line.
USAGE_ERRORS = [
    ["report", "--weeks", "4", "--since", "2026-10-01"],
    ["report", "--since", "2027-01-01"],
    ["report", "--since", "2026-11-20", "--until", "2026-11-01"],
    ["report", "--week", "2026-W40", "--until", "2026-11-01"],
    ["report", "--format", "xml"],
    ["report", "--json", "--format", "csv"],
    ["report", "--weeks", "0"],
    ["report", "--weeks", "521"],
    ["report", "--weeks", "four"],
    ["report", "--weeks", "x", "--format", "xml"],
    ["report", "--output", "report.html"],
    ["report", "--json", "--format", "html"],
    ["report", "--format", "html", "--force"],
    ["report", "--format", "xml", "--weeks", "x"],
    ["log", "run", "--distance", "100m", "--time", "30"],
    ["log", "run", "--distance", "ten", "--rpe", "11"],
    ["log", "run", "--rpe", "11", "--distance", "ten"],
    ["log", "run", "--db", "", "--distance", "5k"],
    ["--db", "", "log", "run", "--distance", "5k"],
    ["--db", "", "log", "run", "--distance", "ten"],
    ["log", "massage", "--type", "deep", "--minutes", "0"],
    ["log", "check-in", "--date", "2026-12-30", "--mood", "3"],
]

# Command lines it leaves to typer.
LEFT = [
    ["log", "run"],
    ["log", "check-in"],  # no value: asks on a terminal
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
    ["log"],
    ["list"],
    ["--help"],
    [],
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


@pytest.mark.parametrize("args", USAGE_ERRORS, ids=" ".join)
def test_usage_errors_are_one_line_alike_on_both_paths(args, tmp_path, monkeypatch):
    assert fast.read(args) is not None
    by_fast, by_typer = both_ways(args, tmp_path, monkeypatch)
    assert by_fast == by_typer
    code, stdout, stderr, _ = by_fast
    assert code == 2 and stdout == "" and stderr.startswith("Error: "), by_fast
    assert stderr.count("\n") == 1, stderr
    assert "Invalid value" not in stderr  # rubdown's words, as for every usage error


# Usage errors typer finds (the fast reader leaves these lines to it), each
# with what it must name.
TYPER_USAGE_ERRORS = [
    (["log", "run", "--dist", "5k"], "'--dist'"),
    (["log", "run", "--distance"], "--distance"),
    (["log", "massage", "--type", "sports"], "--minutes"),
    (["report", "--json=yes"], "--json"),
    (["report", "--weeks"], "--weeks"),
    (["report", "extra"], "extra"),
    (["show", "x"], "'x'"),
    (["delete", "-1"], "'-1'"),
    (["swim"], "'rubdown swim'"),
    (["log", "walk", "--minutes", "5"], "'rubdown log walk'"),
]


@pytest.mark.parametrize(
    ("args", "named"), TYPER_USAGE_ERRORS, ids=[" ".join(a) for a, _ in TYPER_USAGE_ERRORS]
)
def test_typer_s_usage_errors_are_in_rubdown_s_one_format(args, named, tmp_path, monkeypatch):
    by_fast, by_typer = both_ways(args, tmp_path, monkeypatch)
    assert by_fast == by_typer
    code, stdout, stderr, _ = by_fast
    assert code == 2 and stdout == "" and stderr.startswith("Error: "), by_fast
    assert stderr.count("\n") == 1 and named in stderr, stderr
    assert "Invalid value" not in stderr and "Usage:" not in stderr


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
    command = draw(st.sampled_from(sorted(spec.HOT.values(), key=lambda c: c.words)))
    table = spec.spellings(command)
    spellings = draw(st.lists(st.sampled_from(sorted(table)), unique_by=lambda s: table[s][0].name,
                              max_size=5))  # fmt: skip
    given_params = {table[s][0].name for s in spellings}
    spellings += [option.long for option in command.options
                  if option.required and option.name not in given_params]  # fmt: skip
    tokens: list[str] = []
    for spelling in draw(st.permutations(spellings)):
        option, flag = table[spelling]
        numeric = option.takes == spec.INTEGER
        value = draw(st.sampled_from(["4", "0", "520", "521", "1_0", " 7 ", "x", "-1"] if numeric
                                     else _VALUES))  # fmt: skip
        if flag is not None:
            tokens.append(spelling)
        elif draw(st.booleans()):
            tokens += [spelling, value]
        else:
            tokens.append(f"{spelling}={value}")
    if draw(st.integers(0, 4)) == 0:  # now and then, something to refuse
        odd = draw(st.sampled_from(["--dist", "-x", "--", "--json=1", "-D10k", "--weeks",
                                    *(tokens[:1] * 2)]))  # fmt: skip
        tokens.insert(draw(st.integers(0, len(tokens))), odd)
    return command.words, tokens


@settings(max_examples=400, deadline=None)
@given(command_lines())
def test_what_the_fast_path_takes_typer_reads_the_same_way(line):
    """For any command line the fast path takes, click (inside typer) parses
    the same values, and every option the fast path did not see is at its
    default; or both refuse a value they convert (a number, a path) alike."""
    words, tokens = line
    found = fast.read([*words, *tokens])
    if found is None:
        return
    command, values, root_db = found
    assert root_db is None
    try:
        values = fast.converted(command, dict(values))
    except UsageError as exc:
        refused = str(exc)
    else:
        refused = None
    try:
        ctx = typer_command(words).make_context(words[-1], list(tokens))
    except typer.BadParameter as exc:
        from rubdown.cli.root import usage_message

        assert refused == usage_message(exc)
        return
    assert refused is None
    defaults = {option.name: option.default for option in command.options}
    assert set(ctx.params) == set(defaults)
    for name, parsed_value in ctx.params.items():
        assert parsed_value == values.get(name, defaults[name]), name
