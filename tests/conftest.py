"""Shared fixtures: every test gets its own database, config and clock.

No test touches a real home: ``RUBDOWN_DB`` and ``RUBDOWN_CONFIG`` point into
``tmp_path``, the clock is pinned with ``RUBDOWN_NOW`` and the zone with
``TZ`` (New York, so DST changes are exercised).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

NOW = "2026-11-29T10:00:00-05:00"
ZONE = "America/New_York"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("RUBDOWN_DB", str(tmp_path / "data" / "rubdown.db"))
    monkeypatch.setenv("RUBDOWN_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("RUBDOWN_NOW", NOW)
    monkeypatch.setenv("TZ", ZONE)
    monkeypatch.setenv("COLUMNS", "100")
    for name in ("RUBDOWN_UNITS", "RUBDOWN_DEBUG", "NO_COLOR", "RUBDOWN_BUSY_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def db_file(tmp_path) -> Path:
    return tmp_path / "data" / "rubdown.db"


@pytest.fixture
def config_file(tmp_path) -> Path:
    return tmp_path / "config.toml"


def invoke(*args: str, input: str | None = None, fast: bool = True) -> Result:
    """Run ``rubdown ARGS`` in-process through the real entry point
    (``fast=False``: through typer even where the fast path would take it)."""
    from rubdown.cli import main

    runner = CliRunner()
    with runner.isolation(input=input) as (out, err, _):
        code = main(list(args), fast=fast)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout, stderr = out.getvalue(), err.getvalue()
    return Result(code, stdout.decode(), stderr.decode())


@pytest.fixture
def rubdown():
    return invoke


def digest(path: Path) -> str:
    """A hash of the database and its WAL, to prove a command wrote nothing."""
    h = hashlib.sha256()
    for p in (path, Path(f"{path}-wal")):
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()


def run_cli(*args: str, env: dict | None = None, **kwargs):
    """Run ``python -m rubdown`` as a separate process."""
    import subprocess

    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "rubdown", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        **kwargs,
    )
