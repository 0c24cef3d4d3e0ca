"""`rubdown export`: JSON that imports back unchanged, CSV, iCalendar, private files."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from rubdown.export import CSV_COLUMNS

DATA = Path(__file__).parent / "data"
NOTE = 'calves, then hamstrings; left side "tight"\nbook again: \\ Friday'


def log_season(rubdown) -> None:
    """A few records of every kind, with awkward text, and an imported run."""
    steps = [
        ("log", "run", "--date", "2026-11-14 06:10", "--distance", "9.6km", "--time", "52:00",
         "--type", "relay", "--event", "Ragnar, Cape Cod", "--leg", "1", "--rpe", "8"),
        ("log", "run", "--date", "2026-11-14 23:40", "--distance", "8km", "--type", "relay",
         "--event", "Ragnar, Cape Cod", "--leg", "2", "--note", "night leg; headlamp"),
        ("log", "massage", "--date", "2026-11-20 17:00", "--type", "sports", "--minutes", "90",
         "--therapist", "Ana Reyes", "--cost", "85.50", "--focus", "calves,hamstrings",
         "--note", NOTE),
        ("log", "self-care", "--date", "2026-11-21 08:00", "--type", "foam-roll",
         "--minutes", "15"),
        ("log", "massage", "--date", "2026-03-08 10:00", "--type", "thai", "--minutes", "60"),
        ("import", str(DATA / "fit/fitparse_2013-02-06_run_5laps.fit")),
    ]  # fmt: skip
    for step in steps:
        result = rubdown(*step)
        assert result.exit_code == 0, result.stderr


def listed(rubdown, *args: str) -> list[dict]:
    result = rubdown(*args, "list", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def without_ids(records: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in ("id", "source")} for r in records]


# -- JSON ------------------------------------------------------------------------------


def test_json_export_is_the_list_json_array(rubdown):
    log_season(rubdown)
    result = rubdown("export")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == listed(rubdown)
    assert result.stderr == ""


def test_json_export_round_trips_through_import(rubdown, tmp_path):
    log_season(rubdown)
    export = tmp_path / "log.json"
    assert rubdown("export", "--format", "json", "--output", str(export)).exit_code == 0
    fresh = tmp_path / "fresh.db"
    result = rubdown("--db", str(fresh), "import", str(export), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["imported"] == 6
    assert without_ids(listed(rubdown, "--db", str(fresh))) == without_ids(listed(rubdown))


def test_the_demo_season_round_trips(rubdown, tmp_path):
    demo = tmp_path / "demo.db"
    assert rubdown("demo", "--db", str(demo)).exit_code == 0
    export = tmp_path / "demo.json"
    rubdown("--db", str(demo), "export", "-o", str(export))
    fresh = tmp_path / "fresh.db"
    result = rubdown("--db", str(fresh), "import", str(export), "--json")
    original = listed(rubdown, "--db", str(demo))
    assert result.json()["imported"] == len(original) > 50
    assert without_ids(listed(rubdown, "--db", str(fresh))) == without_ids(original)


def test_since_and_until_choose_local_days(rubdown):
    log_season(rubdown)
    result = rubdown("export", "--since", "2026-11-14", "--until", "2026-11-20")
    assert [r["start"][:10] for r in result.json()] == ["2026-11-14", "2026-11-14", "2026-11-20"]


# -- CSV ----------------------------------------------------------------------------------


def test_csv_has_one_row_per_record_with_every_field(rubdown):
    log_season(rubdown)
    result = rubdown("export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    records = listed(rubdown)
    assert [row["id"] for row in rows] == [str(r["id"]) for r in records]
    massage = next(row for row in rows if row["type"] == "sports")
    assert massage["note"] == NOTE  # commas, quotes, newline and backslash kept
    assert (massage["cost"], massage["focus"], massage["minutes"]) == (
        "85.50",
        "calves,hamstrings",
        "90",
    )
    assert massage["distance_m"] == "" and massage["therapist"] == "Ana Reyes"
    leg = next(row for row in rows if row["leg"] == "1")
    assert (leg["distance_m"], leg["duration_s"], leg["rpe"]) == ("9600.0", "3120", "8")
    assert leg["event"] == "Ragnar, Cape Cod" and leg["start"] == "2026-11-14T06:10:00-05:00"
    imported = next(row for row in rows if row["source"])
    assert imported["source"] == "fit:fitparse_2013-02-06_run_5laps.fit"


def test_csv_columns_are_pinned():
    """The CSV header is derived from the field table; this is what it must stay."""
    assert CSV_COLUMNS == (
        "id", "kind", "type", "start", "distance_m", "duration_s", "rpe", "event", "leg",
        "minutes", "therapist", "cost", "focus", "note", "source", "plan_kind", "skipped",
        "skip_reason", "areas", "soreness", "sore", "fatigue", "sleep", "stress", "mood",
    )  # fmt: skip


def test_each_field_reads_back_the_json_it_writes():
    """A record's fields survive ``list --json`` one by one: each field's
    JSON value, read back by the same field, is the value it came from."""
    from rubdown import fields
    from rubdown.models import Massage, Run, SelfCare

    start = datetime(2026, 11, 14, 6, 10, tzinfo=timezone(timedelta(hours=-5)))
    records = [
        Run(1, start, "relay", 9600.0, 3120, 8, "Ragnar", 2, "night leg", "fit:a.fit"),
        Run(2, start),
        Massage(3, start, "sports", 90, "Ana", 8550, ("calves", "left hamstring"), "n", None),
        Massage(4, start, "thai", 60),
        SelfCare(5, start, "yoga", 20, None, "json:x.json"),
    ]
    for record in records:
        written = fields.record_to_json(record)
        assert json.loads(json.dumps(written)) == written  # plain JSON values
        for field in fields.of_kind(record.kind):
            value = getattr(record, field.name)
            assert field.from_json(written[field.json_key], record.kind) == value, field
        read = fields.record_of_json(record.kind, written)
        assert type(record)(record.id, **read) == record


# -- iCalendar -----------------------------------------------------------------------------


def test_ics_has_one_event_per_session_that_parses_back(rubdown):
    from icalendar import Calendar

    log_season(rubdown)
    result = rubdown("export", "--format", "ics")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded
    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    records = listed(rubdown)
    assert len(events) == len(records) == 6
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {f"rubdown-{r['id']}@rubdown" for r in records}
    for record in records:
        event = by_uid[f"rubdown-{record['id']}@rubdown"]
        start = datetime.fromisoformat(record["start"])
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTSTART").tzinfo is not None

    def event(**match):
        (record,) = [r for r in records if match.items() <= r.items()]
        return by_uid[f"rubdown-{record['id']}@rubdown"]

    massage = event(type="sports")
    assert str(massage["SUMMARY"]) == "Massage: sports 90 min"
    assert massage.decoded("DTEND") - massage.decoded("DTSTART") == timedelta(minutes=90)
    description = str(massage["DESCRIPTION"])
    assert description.endswith("\n\n" + NOTE)  # escaped in the file, exact when read back
    assert description.startswith("sports 90 min · with Ana Reyes · 85.50 USD · focus calves")
    assert "\\," in text and "\\;" in text and "\\n" in text

    leg1 = event(leg=1)
    assert str(leg1["SUMMARY"]) == "Run 9.60 km · relay leg 1, Ragnar, Cape Cod"
    assert leg1.decoded("DTEND") - leg1.decoded("DTSTART") == timedelta(minutes=52)
    leg2 = event(leg=2)
    assert "DTEND" not in leg2  # no time recorded: an instant
    assert str(leg2["DESCRIPTION"]).endswith("night leg; headlamp")
    care = event(kind="self-care")
    assert str(care["SUMMARY"]) == "Self-care: foam-roll 15 min"
    imported = event(source="fit:fitparse_2013-02-06_run_5laps.fit")
    assert str(imported["SUMMARY"]) == "Run 4.84 km"
    assert imported.decoded("DTSTAMP") == datetime(2026, 11, 29, 15, 0, tzinfo=UTC)


def test_ics_shows_control_characters_in_notes_as_escapes(rubdown):
    from icalendar import Calendar

    rubdown("log", "self-care", "--type", "yoga", "--minutes", "30", "--note", "a\x1b[31mred")
    text = rubdown("export", "-f", "ics").stdout
    assert "\x1b" not in text
    (event,) = Calendar.from_ical(text).walk("VEVENT")
    assert str(event["DESCRIPTION"]).endswith("a\\x1b[31mred")


def test_an_empty_log_exports_empty_documents(rubdown, db_file):
    from icalendar import Calendar

    assert rubdown("export").stdout == "[]\n"
    assert rubdown("export", "-f", "csv").stdout == ",".join(CSV_COLUMNS) + "\n"
    assert Calendar.from_ical(rubdown("export", "-f", "ics").stdout).walk("VEVENT") == []
    assert not db_file.exists()


def test_an_unknown_format_is_a_usage_error(rubdown):
    result = rubdown("export", "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "json, csv, ics" in result.stderr


# -- files ---------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_exported_files_are_private_under_a_permissive_umask(rubdown, tmp_path):
    log_season(rubdown)
    formats = ("json", "csv", "ics")
    code = "import os; os.umask(0o022); from rubdown.cli import main\n" + "".join(
        f"assert main(['export', '-f', {fmt!r}, '-o', {str(tmp_path / f'log.{fmt}')!r}]) == 0\n"
        for fmt in formats
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines() == [
        f"Exported 6 records to {tmp_path / f'log.{fmt}'} ({fmt})" for fmt in formats
    ]
    for fmt in formats:
        out = tmp_path / f"log.{fmt}"
        assert mode(out) == 0o600
        assert out.read_bytes().decode() == rubdown("export", "--format", fmt).stdout
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".log")]  # no temp files


def test_an_existing_file_is_kept_unless_forced(rubdown, tmp_path):
    log_season(rubdown)
    out = tmp_path / "log.json"
    out.write_text("precious")
    out.chmod(0o644)
    refused = rubdown("export", "--output", str(out))
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {out} already exists; choose another name or pass --force.\n"
    assert out.read_text() == "precious"
    forced = rubdown("export", "--output", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert json.loads(out.read_text()) == listed(rubdown)
    assert mode(out) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "log.json"]  # no temporary


def test_output_into_a_missing_folder_is_a_clear_error(rubdown, tmp_path):
    result = rubdown("export", "--output", str(tmp_path / "nope" / "log.json"))
    assert result.exit_code == 1
    assert "does not exist; create it first" in result.stderr
    folder = rubdown("export", "--output", str(tmp_path))
    assert folder.exit_code == 1 and "is a folder" in folder.stderr
