"""Startup cannot silently regress: the common commands import nothing heavy.

Each case runs in a fresh interpreter and lists the modules it loaded. Timing
is measured by benchmarks/bench.py, never asserted here.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

import pytest

# Modules that cost tens of milliseconds (or pull in parsers) and that the
# fast paths must not need.
HEAVY = (
    "sqlite_utils",
    "rich",
    "rich.console",
    "rich.table",
    "dateparser",
    "pydantic",
    "fitdecode",
    "defusedxml",
    "icalendar",
    "rubdown.importers.gpx",
    "rubdown.importers.tcx",
    "rubdown.importers.fit",
    "rubdown.importers.strava",
    "zipfile",
    "tomllib",
    "platformdirs",
)

PROBE = """
import sys
from rubdown.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
print("\\n" + repr(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_modules(args: list[str]) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    return set(ast.literal_eval(proc.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["log", "run", "--distance", "10k", "--time", "50:00"],
        ["log", "massage", "--type", "sports", "--minutes", "60"],
        ["log", "run", "--rpe", "11"],  # the usage-error path too
    ],
    ids=["help", "log-run", "log-massage", "usage-error"],
)
def test_fast_paths_import_nothing_heavy(args):
    modules = loaded_modules(args)
    assert "rubdown.cli" in modules  # the probe really ran the CLI
    heavy = sorted(m for m in HEAVY if m in modules)
    assert heavy == [], f"rubdown {' '.join(args)} imported {heavy}"


@pytest.mark.parametrize(
    "args",
    [
        ["log", "run", "--distance", "10k", "--time", "50:00"],
        ["log", "massage", "--type", "sports", "--minutes", "60"],
        ["log", "self-care", "--type", "yoga", "--minutes", "20"],
        ["log", "check-in", "--sore", "calves=6", "--sleep", "4"],
        ["log", "run", "--rpe", "11"],
        ["report", "--weeks", "52"],
        ["report", "--json"],
        ["report", "--format", "html"],
        ["--version"],
    ],
    ids=["log-run", "log-massage", "log-self-care", "log-check-in", "usage-error", "report",
         "report-json", "report-html", "version"],
)  # fmt: skip
def test_log_and_report_do_not_import_typer(args):
    """Importing typer alone costs more than three times the floor, so a
    well-formed ``log`` or ``report`` runs without it (see rubdown.cli.fast)."""
    modules = loaded_modules(args)
    # typer, and what they do not need though typer or dataclasses would
    # bring it: inspect alone is about half a bare Python start.
    for name in ("typer", "typer._click", "dataclasses", "inspect", "typing"):
        assert name not in modules, name
    loaded = sorted(m for m in modules if m.startswith("rubdown.cli."))
    command = {"log": ["rubdown.cli.log_cmd"], "report": ["rubdown.cli.report_cmd"]}
    expected = ["rubdown.cli.fast", *command.get(args[0], []), "rubdown.cli.spec"]
    if args[0] == "--version":
        expected = ["rubdown.cli.fast", "rubdown.cli.spec"]
    assert loaded == expected, loaded
    assert ("rubdown.app" in modules) == (args[0] != "--version")
    assert ("rubdown.analysis" in modules) == (args[0] == "report")
    # The page's modules load only for the page.
    assert ("rubdown.render_html" in modules) == ("html" in args), args


def test_help_builds_no_command_module_and_needs_no_typer():
    """``--help`` lists commands from the catalogue (rubdown.cli.root_help)."""
    modules = loaded_modules(["--help"])
    loaded = sorted(m for m in modules if m.startswith("rubdown.cli."))
    assert loaded == ["rubdown.cli.fast", "rubdown.cli.root_help", "rubdown.cli.spec"], loaded
    for name in ("typer", "typer._click", "dataclasses", "inspect", "typing", "rubdown.store",
                 "rubdown.fields", "rubdown.app"):
        assert name not in modules, name


def test_anything_else_goes_through_typer():
    modules = loaded_modules(["log", "run", "--distance", "5k", "--help"])
    assert "typer" in modules and "rubdown.cli.log_cmd" in modules


def test_the_core_and_the_catalogue_import_no_typer_or_rich():
    """``rubdown.app`` (the use cases) and the modules under it import no typer
    or rich; the catalogue (``rubdown.cli.spec``) is plain tuples and slotted
    classes, read on every start-up."""
    code = (
        "import json, sys; import rubdown.app, rubdown.fields, rubdown.analysis, "
        "rubdown.cli.spec; print(json.dumps(sorted(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    modules = set(json.loads(proc.stdout))
    for name in ("typer", "typer._click", "rich", "rubdown.cli.options", "rubdown.render"):
        assert name not in modules, name
    spec_only = subprocess.run(
        [sys.executable, "-c", "import json, sys; import rubdown.cli.spec; "
         "print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    loaded = set(json.loads(spec_only.stdout))
    for name in ("dataclasses", "inspect", "typing", "rubdown.fields", "rubdown.parsing"):
        assert name not in loaded, name


#: What ``due --short`` does not load: the report's analysis and its
#: statistics, json, platformdirs, typer. (The probe itself prints with
#: ``repr``, so that json is not loaded by the probe.)
NOT_ON_DUE = (
    "rubdown.analysis.report",
    "rubdown.analysis.weeks",
    "rubdown.analysis.period",
    "statistics",
    "fractions",
    "decimal",
    "random",
    "json",
    "platformdirs",
    "typer",
    "typing",
    "inspect",
    "dataclasses",
    "rubdown.render_report",
    "rubdown.fields_help",
)


#: What pathlib brings (urllib.parse, ipaddress, fnmatch, re, enum): about a
#: sixth of a ``due --short``. The hot paths carry paths as text
#: (``rubdown.paths.path_text``).
NO_PATHLIB = ("pathlib", "urllib.parse", "ipaddress", "fnmatch", "ntpath")
#: What ``due`` and ``due --short`` need no more than pathlib: ``log`` still
#: reads its values with patterns (rubdown.parsing), ``report`` takes a
#: median with statistics and ``--json`` loads json, which load re and enum.
NO_PATTERNS = ("re", "enum")


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--short"],
        ["due"],
        ["due", "--json"],
        ["log", "run", "--distance", "10k", "--time", "50:00"],
        ["log", "massage", "--type", "sports", "--minutes", "60"],
        ["log", "self-care", "--type", "yoga", "--minutes", "20"],
        ["log", "check-in", "--sore", "calves=6", "--sleep", "4"],
        ["report"],
        ["report", "--json"],
        ["report", "--format", "html"],
    ],
    ids=["due-short", "due", "due-json", "log-run", "log-massage", "log-self-care",
         "log-check-in", "report", "report-json", "report-html"],
)  # fmt: skip
def test_hot_paths_do_not_import_pathlib(args, tmp_path, monkeypatch):
    """On a database that exists (creating one, the first ``log``, uses
    tempfile and rubdown.files, which bring pathlib) and without --db, the
    default database and config in a home folder, as a prompt runs it."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("RUBDOWN_DB", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "RUBDOWN_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    from rubdown.cli import main

    assert main(["log", "massage", "--type", "sports", "--minutes", "60", "--focus",
                 "calves", "--date", "yesterday"]) == 0  # fmt: skip
    modules = loaded_modules(args)
    assert f"rubdown.cli.{args[0]}_cmd" in modules  # the probe really ran the command
    unwanted = NO_PATHLIB + (NO_PATTERNS if args in (["due"], ["due", "--short"]) else ())
    assert sorted(m for m in unwanted if m in modules) == [], args


def test_due_short_loads_only_what_it_needs(tmp_path, monkeypatch):
    """With a massage that has a focus on record, and without --db (the
    default database, as a prompt runs it)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("RUBDOWN_DB", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "RUBDOWN_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    from rubdown.cli import main

    assert main(["log", "massage", "--type", "sports", "--minutes", "60", "--focus",
                 "calves,quads", "--date", "yesterday"]) == 0  # fmt: skip
    assert main(["plan", "massage", "--type", "sports", "--minutes", "60", "--date",
                 "2026-12-03 17:00"]) == 0  # fmt: skip
    modules = loaded_modules(["due", "--short"])
    assert "rubdown.analysis.due" in modules  # the probe really ran due
    loaded = sorted(m for m in (*HEAVY, *NOT_ON_DUE) if m in modules)
    assert loaded == [], loaded
