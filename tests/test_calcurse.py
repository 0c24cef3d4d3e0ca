"""``export --format ics`` read by a real calendar program: calcurse (SPEC 10:
the file "must import cleanly into common calendar programs").

calcurse imports headless (``calcurse -D DIR -i FILE``) into plain-text data
files: ``apts`` (one appointment a line, at local time), ``todo`` and a
``notes`` folder holding each description. It keeps no UID: importing a
newer export adds every item again (docs/plans.md says so).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from helpers import program

ZONE = "America/New_York"


def calcurse_import(folder: Path, ics: Path, tmp_path: Path) -> str:
    """Import ``ics`` into calcurse's data folder ``folder``; its report."""
    folder.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(tmp_path), "TZ": ZONE}
    proc = subprocess.run(
        [program("calcurse"), "-D", str(folder), "-i", str(ics)],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout


def appointments(folder: Path) -> list[str]:
    return (folder / "apts").read_text().splitlines()


def notes(folder: Path) -> list[str]:
    """Each note as calcurse stores it (a description, and a line end)."""
    return sorted(path.read_text().removesuffix("\n") for path in (folder / "notes").iterdir())


def without_note_ids(lines: list[str]) -> list[str]:
    """``11/28/2026 @ 07:00 -> 11/28/2026 @ 07:50>HASH |Run 10.0 km`` without
    the hash of the note (``>HASH``), which is calcurse's own."""
    return [re.sub(r">[0-9a-f]{40} ", " ", line) for line in lines]


def export(rubdown, path: Path) -> Path:
    result = rubdown("export", "--format", "ics", "--output", str(path))
    assert result.exit_code == 0, result.stderr
    return path


def test_calcurse_imports_sessions_plans_and_to_dos(rubdown, tmp_path):
    for args in (
        ("log", "run", "--distance", "10k", "--time", "50:00", "--date", "2026-11-28 07:00",
         "--note", "easy; legs fine"),
        ("log", "run", "--type", "relay", "--distance", "8k", "--leg", "2", "--event", "Ragnar",
         "--date", "2026-11-27 23:30", "--note", "night leg;\nheadlamp, cold"),
        ("log", "massage", "--type", "sports", "--minutes", "90", "--focus", "calves",
         "--therapist", "Ana Reyes", "--cost", "85.50", "--date", "2026-11-29 09:00"),
        ("plan", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-12-02 17:00"),
        ("plan", "run", "--type", "relay", "--event", "Ragnar, Cape Cod", "--date",
         "2026-12-20 06:00"),
    ):  # fmt: skip
        assert rubdown(*args).exit_code == 0
    folder = tmp_path / "calcurse"
    report = calcurse_import(folder, export(rubdown, tmp_path / "first.ics"), tmp_path)
    # Nothing skipped: every event an appointment, the to-do a to-do.
    assert "5 apps / 0 events / 1 todo / 0 skipped" in report
    assert without_note_ids(appointments(folder)) == [
        # the leg has no time: an instant
        "11/27/2026 @ 23:30 -> 11/27/2026 @ 23:30 |Run 8.00 km · relay leg 2, Ragnar",
        "11/28/2026 @ 07:00 -> 11/28/2026 @ 07:50 |Run 10.0 km",
        "11/29/2026 @ 09:00 -> 11/29/2026 @ 10:30 |Massage: sports 90 min",
        # plans: an alarm (calcurse's "!"), the relay a day long
        "12/02/2026 @ 17:00 -> 12/02/2026 @ 18:00 !Planned: massage sports 60 min",
        "12/20/2026 @ 06:00 -> 12/21/2026 @ 06:00 !Planned: run relay · Ragnar, Cape Cod",
    ]
    # calcurse's to-dos have a priority and no due date: the day is in the note.
    assert without_note_ids((folder / "todo").read_text().splitlines()) == [
        "[0] Book recovery for Ragnar, Cape Cod"
    ]
    assert notes(folder) == sorted([
        "10.0 km in 50:00 (5:00/km) · easy\n\neasy; legs fine",
        "8.00 km · relay leg 2, Ragnar\n\nnight leg;\nheadlamp, cold",
        "sports 90 min · with Ana Reyes · 85.50 USD · focus calves",
        "massage sports 60 min\nrubdown plan #4",
        "run relay · Ragnar, Cape Cod\nrubdown plan #5",
        "Plan recovery after it (rubdown plan #5, 2026-12-20 11:00 UTC).",
    ])  # fmt: skip


def test_a_newer_export_imported_again_adds_to_what_calcurse_holds(rubdown, tmp_path):
    """calcurse keeps no UID, so it cannot update an event: a second import
    adds every item again, the moved plan at its new time beside its old one.
    (Calendars that keep UIDs update instead: tests/test_export.py.)"""
    rubdown("log", "run", "--distance", "10k", "--time", "50:00", "--date", "2026-11-28 07:00")
    rubdown("plan", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-12-02 17:00")
    folder = tmp_path / "calcurse"
    calcurse_import(folder, export(rubdown, tmp_path / "first.ics"), tmp_path)
    assert rubdown("plan", "move", "2", "--date", "2026-12-03 18:00").exit_code == 0
    report = calcurse_import(folder, export(rubdown, tmp_path / "second.ics"), tmp_path)
    assert "2 apps / 0 events / 0 todos / 0 skipped" in report
    assert without_note_ids(appointments(folder)) == [
        "11/28/2026 @ 07:00 -> 11/28/2026 @ 07:50 |Run 10.0 km",
        "11/28/2026 @ 07:00 -> 11/28/2026 @ 07:50 |Run 10.0 km",
        "12/02/2026 @ 17:00 -> 12/02/2026 @ 18:00 !Planned: massage sports 60 min",
        "12/03/2026 @ 18:00 -> 12/03/2026 @ 19:00 !Planned: massage sports 60 min",
    ]
