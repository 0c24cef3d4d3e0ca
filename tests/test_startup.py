"""Startup cannot silently regress: the common commands import nothing heavy.

Each case runs in a fresh interpreter and lists the modules it loaded. Timing
is measured by benchmarks/bench.py, never asserted here.
"""

from __future__ import annotations

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
import json, sys
from rubdown.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stdout.flush()
print("\\n" + json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def loaded_modules(args: list[str]) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


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
    assert "typer" in modules  # the probe really ran the CLI
    heavy = sorted(m for m in HEAVY if m in modules)
    assert heavy == [], f"rubdown {' '.join(args)} imported {heavy}"


def test_help_builds_no_command_module():
    """``--help`` lists commands from a static table, loading none of them."""
    modules = loaded_modules(["--help"])
    loaded = sorted(m for m in modules if m.startswith("rubdown.cli."))
    assert loaded == [], loaded


def test_log_run_loads_only_its_own_command_module():
    modules = loaded_modules(["log", "run", "--distance", "5k"])
    loaded = sorted(m for m in modules if m.startswith("rubdown.cli."))
    assert loaded == ["rubdown.cli.common", "rubdown.cli.log_cmd"], loaded
    assert "rubdown.analysis" not in modules
