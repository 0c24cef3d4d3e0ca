"""A damaged record whose id is not one rubdown gives (0 or negative: only an
SQLite tool writes those) is named like any damaged record, never a crash.

The report reads each kind from its own table and looks the damaged row up
again by id to name it; that look-up must not take such an id for no record.
"""

from __future__ import annotations

import sqlite3

import pytest


@pytest.mark.parametrize("bad_id", [0, -7])
@pytest.mark.parametrize(
    ("table", "column", "value", "problem"),
    [
        ("records", "kind", "walk", "its kind 'walk'"),
        ("massages", "minutes", 0, "its minutes 0"),
    ],
)
def test_a_damaged_record_with_an_odd_id_stops_a_report_in_one_line(
    rubdown, db_file, bad_id, table, column, value, problem
):
    rubdown("log", "run", "--distance", "5k", "--date", "2026-10-01")
    rubdown("log", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-10-02")
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(f"UPDATE {table} SET {column} = ? WHERE id = 2", (value,))
    conn.execute("UPDATE massages SET id = ? WHERE id = 2", (bad_id,))
    conn.execute("UPDATE records SET id = ? WHERE id = 2", (bad_id,))
    conn.commit()
    conn.close()
    r = rubdown("report", "--since", "2026-09-01", "--json")
    assert r.exit_code == 1 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"Error: Record #{bad_id} is damaged: {problem}"), r.stderr
