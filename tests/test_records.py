"""list, show, edit, delete and undo."""

from __future__ import annotations

import csv
import io

from conftest import digest


def _season(rubdown):
    rubdown("log", "run", "--date", "2026-11-20", "--distance", "10k", "--time", "50:00")
    rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-11-22")
    rubdown("log", "self-care", "--type", "yoga", "--minutes", "30", "--date", "2026-11-25")
    rubdown("log", "run", "--date", "2026-11-27 18:00", "--distance", "21.1", "--type", "long")


def test_list_filters_by_date_and_kind(rubdown):
    _season(rubdown)
    ids = lambda *a: [x["id"] for x in rubdown("list", "--json", *a).json()]  # noqa: E731
    assert ids() == [1, 2, 3, 4]
    assert ids("--since", "2026-11-22") == [2, 3, 4]
    assert ids("--until", "2026-11-22") == [1, 2]
    assert ids("--since", "2026-11-21", "--until", "2026-11-26") == [2, 3]
    assert ids("--kind", "run") == [1, 4]
    assert ids("--kind", "massages") == [2]
    assert ids("--kind", "self_care") == [3]


def test_list_is_oldest_first_whatever_the_logging_order(rubdown):
    rubdown("log", "run", "--date", "2026-11-27", "--distance", "5k")
    rubdown("log", "run", "--date", "2026-11-02", "--distance", "6k")
    assert [x["id"] for x in rubdown("list", "--json").json()] == [2, 1]


def test_list_formats(rubdown):
    _season(rubdown)
    table = rubdown("list")
    assert table.exit_code == 0
    assert "21.1 km" in table.stdout and "sports" in table.stdout
    rows = list(csv.reader(io.StringIO(rubdown("list", "--format", "csv").stdout)))
    assert rows[0] == ["id", "date", "kind", "type", "details", "note"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    md = rubdown("list", "-f", "markdown").stdout.splitlines()
    assert md[0] == "| id | date | kind | type | details | note |"
    assert len(md) == 2 + 4


def test_list_on_missing_database_creates_nothing(rubdown, db_file):
    r = rubdown("list")
    assert r.exit_code == 0
    assert "No records yet" in r.stderr
    assert rubdown("list", "--json").json() == []
    assert not db_file.exists()


def test_show_and_missing_id(rubdown):
    _season(rubdown)
    shown = rubdown("show", "2", "--json").json()
    assert shown["kind"] == "massage" and shown["minutes"] == 60
    assert "sports" in rubdown("show", "2").stdout
    missing = rubdown("show", "99")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "Error: No record #99. See 'rubdown list' for ids."


def test_edit_changes_fields_validated_like_log(rubdown, db_file):
    _season(rubdown)
    r = rubdown("edit", "1", "--distance", "12k", "--rpe", "8", "--note", "windy")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Edited run #1 · ")
    rec = rubdown("show", "1", "--json").json()
    assert (rec["distance_m"], rec["rpe"], rec["note"]) == (12000.0, 8, "windy")
    before = digest(db_file)
    for args, code in [
        (("edit", "1", "--rpe", "12"), 2),
        (("edit", "1", "--minutes", "30"), 2),  # a run has no minutes
        (("edit", "2", "--type", "deep"), 2),
        (("edit", "2", "--distance", "5k"), 2),
        (("edit", "1"), 2),
        (("edit", "1", "--type", ""), 2),
        (("edit", "42", "--note", "x"), 1),
    ]:
        r = rubdown(*args)
        assert r.exit_code == code, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
    assert digest(db_file) == before
    assert rubdown("edit", "1", "--note", "").exit_code == 0
    assert rubdown("show", "1", "--json").json()["note"] is None
    assert rubdown("edit", "2", "--type", "hotstone", "--cost", "70").exit_code == 0
    rec = rubdown("show", "2", "--json").json()
    assert (rec["type"], rec["cost"]) == ("hot-stone", "70.00")


def test_delete_then_undo_restores_the_same_record(rubdown):
    _season(rubdown)
    original = rubdown("show", "2", "--json").json()
    r = rubdown("delete", "2")
    assert r.exit_code == 0 and r.stderr.startswith("Deleted massage #2")
    assert rubdown("show", "2").exit_code == 1
    u = rubdown("undo")
    assert u.exit_code == 0
    assert u.stderr.startswith("Undid delete: restored massage #2")
    assert rubdown("show", "2", "--json").json() == original


def test_undo_walks_back_through_every_kind_of_write(rubdown):
    rubdown("log", "run", "--distance", "5k", "--date", "2026-11-27")  # 1
    rubdown("log", "massage", "--type", "thai", "--minutes", "60")  # 2
    rubdown("edit", "1", "--distance", "7k")
    rubdown("delete", "2")
    steps = [rubdown("undo").stderr for _ in range(4)]
    assert steps[0].startswith("Undid delete: restored massage #2")
    assert steps[1].startswith("Undid edit: restored run #1")
    assert "5.00 km" in steps[1] or "5.0 km" in steps[1]
    assert steps[2].startswith("Undid log of massage #2")
    assert steps[3].startswith("Undid log of run #1")
    assert rubdown("list", "--json").json() == []
    last = rubdown("undo")
    assert last.exit_code == 1
    assert last.stderr.startswith("Error: Nothing to undo")


def test_ids_are_never_reused_after_undo(rubdown):
    rubdown("log", "run", "--distance", "5k")
    rubdown("undo")
    r = rubdown("log", "run", "--distance", "6k")
    assert r.stderr.startswith("Logged run #2")
