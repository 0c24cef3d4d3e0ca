"""``rubdown list --search``: full-text search over notes, therapists and
events, kept in step with every write, on new and upgraded databases."""

from __future__ import annotations

import json
import sqlite3

import pytest

from rubdown.store import migrations
from torture import cli_many, permissions_bind


def found(rubdown, *words: str, extra: tuple[str, ...] = ()) -> list[int]:
    """The ids ``list --search`` finds (asserting it ran cleanly)."""
    result = rubdown("list", "--json", *(a for w in words for a in ("--search", w)), *extra)
    assert result.exit_code == 0, result.stderr
    return [record["id"] for record in result.json()]


@pytest.fixture
def log(rubdown):
    """Three records: a run with a note, a massage with a therapist, a relay leg."""
    rubdown("log", "run", "--date", "2026-11-20 07:00", "--distance", "8k",
            "--note", "Calves tight after the hills, café stop")  # fmt: skip
    rubdown("log", "massage", "--date", "2026-11-21 09:00", "--type", "sports",
            "--minutes", "60", "--therapist", "Anna Müller", "--note", "calf work")  # fmt: skip
    rubdown("log", "run", "--date", "2026-11-22 10:00", "--distance", "10k",
            "--event", "Ragnar Relay", "--leg", "2")  # fmt: skip
    return rubdown


def check_is_ok(rubdown) -> None:
    """The index matches the records (``db check`` compares them)."""
    result = rubdown("db", "check")
    assert result.exit_code == 0 and result.stdout.startswith("ok:"), result.stderr


# -- what a search finds ----------------------------------------------------------------


def test_each_field_is_searched(log):
    assert found(log, "hills") == [1]  # a note
    assert found(log, "anna") == [2]  # a therapist
    assert found(log, "ragnar") == [3]  # an event


def test_words_match_the_start_of_words_whatever_their_case_and_accents(log):
    assert found(log, "CAL") == [1, 2]  # Calves, calf
    assert found(log, "calf") == [2]  # a word's start, not its stem: "Calves" is not found
    assert found(log, "muller") == [2]
    assert found(log, "cafe") == [1]
    assert found(log, "Rag") == [3]


def test_every_word_must_match_in_any_field(log):
    assert found(log, "anna calf") == [2]  # the therapist and the note
    assert found(log, "calf hills") == []
    assert found(log, "relay ragnar") == [3]  # in any order


def test_only_notes_therapists_and_events_are_searched(log):
    assert found(log, "sports") == []  # a type
    assert found(log, "10") == []  # a distance


def test_no_match_says_so_and_names_the_search(log):
    result = log("list", "--search", "tempo intervals")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == (
        "No records match --search 'tempo intervals'; the log holds 3 records "
        "('rubdown list' shows them all).\n"
    )


def test_search_combines_with_the_other_filters(log):
    assert found(log, "cal", extra=("--kind", "run")) == [1]
    assert found(log, "cal", extra=("--kind", "massage")) == [2]
    assert found(log, "cal", extra=("--since", "2026-11-21")) == [2]
    assert found(log, "cal", extra=("--until", "2026-11-20")) == [1]
    assert found(log, "ragnar", extra=("--kind", "massage")) == []


def test_json_output_is_the_list_json_of_the_matches(log):
    everything = log("list", "--json").json()
    result = log("list", "--search", "anna", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout) == [r for r in everything if r["id"] == 2]


def test_a_table_lists_the_matches(log):
    result = log("list", "--search", "ragnar")
    assert result.exit_code == 0
    assert "Ragnar Relay" in result.stdout and "Calves" not in result.stdout


# -- text that is FTS syntax is only text ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ['a"b', '"anna', "AND", "OR", "NOT", "anna OR ragnar", "NEAR(anna ragnar)", "note:calf",
     "^anna", "anna*", "(anna", "-anna", "+anna", "calf'", "a\\b", "\x1b[31mred", "🏃 anna"],
)  # fmt: skip
def test_fts_syntax_in_the_text_is_harmless(log, text):
    result = log("list", "--search", text, "--json")
    assert "Traceback" not in result.stderr
    assert result.exit_code == 0, result.stderr
    assert isinstance(result.json(), list)


def test_syntax_words_are_searched_as_words(log):
    log("log", "run", "--distance", "5k", "--note", "near the river and back")
    assert found(log, "AND") == [4]
    assert found(log, "NEAR") == [4]
    assert found(log, "anna OR ragnar") == []  # three words, all required
    assert found(log, "anna*") == [2]


@pytest.mark.parametrize("text", ["", "   ", "*", '"', "-+", "\x1b"])
def test_a_search_without_words_is_a_usage_error(log, text):
    result = log("list", "--search", text)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: --search: ")
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr


# -- the index stays in step with every write ----------------------------------------


def test_an_edit_is_found_by_its_new_words_only(log):
    assert log("edit", "1", "--note", "fresh legs").exit_code == 0
    assert found(log, "hills") == [] and found(log, "fresh") == [1]
    assert log("edit", "2", "--therapist", "Bea").exit_code == 0
    assert found(log, "anna") == [] and found(log, "bea") == [2]
    assert found(log, "calf") == [2]  # the note it kept
    assert log("edit", "3", "--event", "Hood to Coast").exit_code == 0
    assert found(log, "ragnar") == [] and found(log, "hood") == [3]
    assert log("edit", "2", "--note", "").exit_code == 0  # cleared
    assert found(log, "calf") == []
    check_is_ok(log)


def test_delete_and_undo_keep_the_index_in_step(log):
    assert log("delete", "2").exit_code == 0
    assert found(log, "anna") == []
    assert log("undo").exit_code == 0  # the delete
    assert found(log, "anna") == [2]
    assert log("edit", "2", "--therapist", "Bea").exit_code == 0
    assert log("undo").exit_code == 0  # the edit
    assert found(log, "anna") == [2] and found(log, "bea") == []
    assert log("undo").exit_code == 0  # the third log
    assert found(log, "ragnar") == []
    check_is_ok(log)


def test_imported_records_are_found_and_undo_removes_them(log, tmp_path):
    exported = tmp_path / "export.json"
    records = [
        {"id": 1, "kind": "run", "type": "easy", "start": "2025-05-01T07:00:00+02:00",
         "note": "Fjällräven trail", "distance_m": 12000.0, "duration_s": 4000, "rpe": None,
         "event": "Fjällmaraton", "leg": None, "source": None},
        {"id": 2, "kind": "massage", "type": "thai", "start": "2025-05-02T18:00:00+02:00",
         "note": None, "minutes": 90, "therapist": "Somchai", "cost": None, "focus": [],
         "source": None},
    ]  # fmt: skip
    exported.write_text(json.dumps(records))
    result = log("import", str(exported))
    assert result.exit_code == 0, result.stderr
    assert found(log, "fjallmaraton") == [4]
    assert found(log, "trail") == [4]
    assert found(log, "somchai") == [5]
    check_is_ok(log)
    assert log("undo").exit_code == 0
    assert found(log, "somchai") == [] and found(log, "trail") == []
    assert found(log, "anna") == [2]
    check_is_ok(log)


# -- a database made by the previous schema --------------------------------------------


def schema_2_database(path) -> None:
    """A database as rubdown wrote it before search: schema 2, a run with an
    event and a note, a massage with a therapist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    saved = migrations.MIGRATIONS
    migrations.MIGRATIONS = [step for step in saved if step[0] <= 2]
    try:
        assert migrations.apply(conn) == [1, 2]
    finally:
        migrations.MIGRATIONS = saved
    conn.execute("PRAGMA journal_mode = WAL")
    created = "2026-11-01T00:00:00+00:00"
    conn.execute(
        "INSERT INTO records (id, kind, type, start, note, created_at)"
        " VALUES (1, 'run', 'easy', '2026-10-04T08:00:00-04:00', 'Hilly leg, sore quads', ?),"
        " (2, 'massage', 'sports', '2026-10-05T18:00:00-04:00', NULL, ?)",
        (created, created),
    )
    conn.execute("INSERT INTO runs (id, distance_m, event, leg) VALUES (1, 9000, 'Ragnar', 4)")
    conn.execute("INSERT INTO massages (id, minutes, therapist) VALUES (2, 45, 'Jo Ortiz')")
    conn.close()


def test_an_upgraded_database_finds_what_it_held(db_file, rubdown):
    schema_2_database(db_file)
    result = rubdown("list", "--search", "quads", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"Upgrading {db_file} from schema 2 to {migrations.LATEST}")
    assert [r["id"] for r in result.json()] == [1]
    assert found(rubdown, "ragnar") == [1]
    assert found(rubdown, "ortiz") == [2]
    # and what is written after the upgrade is found too
    logged = rubdown("log", "massage", "--type", "thai", "--minutes", "30", "--therapist", "Jo")
    assert logged.exit_code == 0, logged.stderr
    assert found(rubdown, "jo") == [2, 3]
    check_is_ok(rubdown)


@pytest.mark.skipif(not permissions_bind(), reason="file permissions do not bind this user")
def test_a_read_only_old_database_is_searched_in_its_upgraded_copy(db_file):
    schema_2_database(db_file)
    db_file.chmod(0o400)
    try:
        (listed,), _ = cli_many(
            [["list", "--search", "ortiz", "--json"]],
            env={"RUBDOWN_DB": str(db_file)},
            no_permission_override=True,
        )
    finally:
        db_file.chmod(0o600)
    assert listed.exit_code == 0 and listed.stderr == "", listed.stderr
    assert [r["id"] for r in listed.json()] == [2]
    with sqlite3.connect(db_file) as conn:  # the file itself was not upgraded
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2


def test_a_search_of_no_database_creates_none(db_file, rubdown):
    result = rubdown("list", "--search", "anything")
    assert result.exit_code == 0 and result.stdout == ""
    assert not db_file.exists()


def test_db_check_reads_an_old_database_without_an_index(db_file, rubdown):
    schema_2_database(db_file)
    result = rubdown("db", "check")
    assert result.exit_code == 0, result.stderr
    assert "schema 2" in result.stdout


def test_db_check_names_a_record_the_index_holds_otherwise(log, db_file):
    conn = sqlite3.connect(db_file)
    conn.execute("UPDATE record_search SET therapist = 'someone else' WHERE rowid = 2")
    conn.commit()
    conn.close()
    result = log("db", "check")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "the search index does not match record #2" in result.stderr
