"""Compositions of rubdown's functions that only the tests need.

The product never wants these whole: an import reads unit by unit (to spread
the reading over processes and show progress), and a report builds a
``RunGroup`` only for the groups that are hard. The tests read a tree of
files, or group runs, in one call.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from rubdown.analysis import RunGroup, event_groups
from rubdown.importers import FileResult, read, units
from rubdown.models import Run


def scan(paths: Iterable[str | os.PathLike[str]]) -> Iterator[FileResult]:
    """One FileResult per file found under ``paths`` (one per row for a
    Strava export), lazily, in the import's order: every unit of
    ``units(paths)`` read in turn."""
    for unit in units(paths):
        yield from read(unit)


def group_runs(runs: Iterable[Run]) -> list[RunGroup]:
    """Runs grouped into events (``event_groups``), each as a RunGroup."""
    return [RunGroup.of(members) for members in event_groups(runs)]


def program(name: str) -> str:
    """The path of a real program a test checks rubdown's output with
    (``hledger``, ``chromium``, ``calcurse``: Debian packages of the same
    names). Missing, the test is skipped with a line saying how to install it,
    except under ``.ci/run`` (``RUBDOWN_TEST_PROGRAMS=required``), where it
    fails: CI installs them, so a missing one is a broken CI, not a pass."""
    import shutil

    import pytest

    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (apt-get install {name}); this test runs it for real"
    if os.environ.get("RUBDOWN_TEST_PROGRAMS") == "required":
        pytest.fail(message)
    pytest.skip(message)
