"""The seed's story end to end (issue 12, "Must hold"), and plans across time
zones and a DST change, through ``rubdown.cli.main`` with the clock pinned
per step."""

from __future__ import annotations

import time

import pytest


def at(monkeypatch, when: str, zone: str | None = None) -> None:
    """Move the pinned clock (and, with ``zone``, the local time zone)."""
    monkeypatch.setenv("RUBDOWN_NOW", when)
    if zone is not None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()


def test_the_relay_planned_the_massage_planned_for_monday_done_on_friday(rubdown, monkeypatch):
    at(monkeypatch, "2026-11-10T10:00:00-05:00")  # Tuesday
    relay = rubdown("plan", "run", "--type", "relay", "--event", "Ragnar", "--date", "fri 18:00")
    assert relay.exit_code == 0, relay.stderr
    massage = rubdown("plan", "massage", "--type", "sports", "--minutes", "60",
                      "--date", "mon 17:00")  # fmt: skip
    assert massage.stderr == "Planned plan #2 · Mon 16 Nov 17:00 · massage sports 60 min\n"
    at(monkeypatch, "2026-11-14T08:00:00-05:00")  # Saturday morning, after the night
    for leg, when in (("1", "2026-11-13 19:00"), ("2", "2026-11-14 02:00"),
                      ("3", "2026-11-14 06:30")):  # fmt: skip
        logged = rubdown("log", "run", "--type", "relay", "--event", "Ragnar", "--leg", leg,
                         "--distance", "8k", "--time", "45:00", "--date", when)  # fmt: skip
        assert logged.exit_code == 0, logged.stderr
    relay_plan = rubdown("plan", "list", "--all", "--json").json()[0]
    assert (relay_plan["id"], relay_plan["status"], relay_plan["done_id"]) == (1, "done", 3)

    at(monkeypatch, "2026-11-18T10:00:00-05:00")  # Wednesday
    due = rubdown("due")
    assert due.exit_code == 0
    assert due.stdout.splitlines()[0] == (
        "overdue  plan #2 massage sports 60 min was planned Mon 16 Nov 17:00 (41 h ago), "
        "not done yet"
    )
    items = rubdown("due", "--json").json()["items"]
    assert (items[0]["what"], items[0]["id"], items[0]["overdue"]) == ("overdue-plan", 2, True)
    assert rubdown("due", "--check").exit_code == 1

    at(monkeypatch, "2026-11-20T18:30:00-05:00")  # Friday
    logged = rubdown("log", "massage", "--type", "sports", "--minutes", "60",
                     "--date", "2026-11-20 17:00")  # fmt: skip
    assert logged.exit_code == 0, logged.stderr
    assert logged.stderr == (
        "Logged massage #6 · Fri 20 Nov 17:00 · sports 60 min · "
        "fulfils plan #2 (planned Mon 16 Nov 17:00, 4.0 d late)\n"
    )
    assert rubdown("due", "--check").exit_code == 0

    report = rubdown("report", "--json", "--since", "2026-11-09", "--until", "2026-11-20").json()
    plans = report["plans"]
    assert plans["items"][1] == {
        "id": 2, "plan_kind": "massage", "type": "sports",
        "planned": "2026-11-16T17:00:00-05:00", "status": "done", "timing": "late",
        "done_id": 6, "slip_days": 4.0,
    }  # fmt: skip
    assert (plans["planned"], plans["done"], plans["late"], plans["open"]) == (2, 2, 1, 0)
    effort = report["recovery"]["efforts"][0]
    assert (effort["status"], effort["follow_up"]["id"]) == ("late", 6), effort
    assert (effort["run_ids"], effort["event"], effort["reasons"]) == (
        [3, 4, 5],
        "Ragnar",
        ["relay"],
    )
    assert (effort["end"], effort["lag_hours"]) == ("2026-11-14T07:15:00-05:00", 153.75)


# -- time zones and DST -----------------------------------------------------------


def test_a_plan_made_in_one_zone_and_done_in_another_keeps_its_instant(rubdown, monkeypatch):
    at(monkeypatch, "2026-11-10T10:00:00-05:00", "America/New_York")
    rubdown("plan", "massage", "--type", "sports", "--minutes", "60", "--date", "mon 17:00")
    assert rubdown("show", "1", "--json").json()["start"] == "2026-11-16T17:00:00-05:00"
    at(monkeypatch, "2026-11-20T23:30:00+01:00", "Europe/Berlin")  # flown to Berlin
    logged = rubdown(
        "log", "massage", "--type", "sports", "--minutes", "60", "--date", "2026-11-20 23:00"
    )  # 22:00 UTC, four days after 22:00 UTC
    assert logged.exit_code == 0, logged.stderr
    # each time is shown at the wall time it was recorded in; the slip is elapsed time
    assert logged.stderr == (
        "Logged massage #2 · Fri 20 Nov 23:00 · sports 60 min · "
        "fulfils plan #1 (planned Mon 16 Nov 17:00, 4.0 d late)\n"
    )
    item = rubdown("plan", "list", "--all", "--json").json()[0]
    assert (item["start"], item["slip_days"]) == ("2026-11-16T17:00:00-05:00", 4.0)
    assert (item["status"], item["timing"]) == ("done", "late")


@pytest.mark.parametrize(
    ("planned", "done", "fulfils"),
    [  # the clocks went back at 02:00 on Sunday 1 November 2026 in New York
        ("2026-11-01 00:30", "2026-11-07 23:29", True),  # 7 d - 1 min later (EDT to EST)
        ("2026-11-01 00:30", "2026-11-07 23:31", False),  # 7 d + 1 min later
        ("2026-11-01 00:30", "2026-11-08 00:30", False),  # the same wall time: 7 d + 1 h
        ("2026-11-01 12:00", "2026-10-25 13:01", True),  # 7 d - 1 min before (EST to EDT)
        ("2026-11-01 12:00", "2026-10-25 12:59", False),  # 7 d + 1 min before
    ],
)  # fmt: skip
def test_a_plan_on_a_dst_change_day_is_matched_by_elapsed_time(rubdown, planned, done, fulfils):
    assert rubdown("plan", "run", "--date", planned).exit_code == 0
    logged = rubdown("log", "run", "--distance", "5k", "--date", done)
    assert logged.exit_code == 0, logged.stderr
    assert ("fulfils plan #1" in logged.stderr) is fulfils, logged.stderr


# -- --json on plan KIND, skip and move ---------------------------------------------


def test_plan_skip_and_move_print_the_plan_as_plan_list_does(rubdown, db_file):
    planned = rubdown("plan", "massage", "--type", "sports", "--minutes", "60",
                      "--date", "2026-12-07 17:00", "--json")  # fmt: skip
    assert planned.exit_code == 0 and planned.stderr == ""
    listed = rubdown("plan", "list", "--json").json()
    assert planned.json() == listed[0]
    assert (listed[0]["id"], listed[0]["status"], listed[0]["start"]) == (
        1, "open", "2026-12-07T17:00:00-05:00")  # fmt: skip
    run = rubdown("plan", "run", "--type", "relay", "--event", "Ragnar", "--date", "fri 18:00",
                  "--json").json()  # fmt: skip
    assert (run["id"], run["plan_kind"], run["type"], run["event"]) == (2, "run", "relay", "Ragnar")
    care = rubdown("plan", "self-care", "--type", "yoga", "--minutes", "30",
                   "--date", "2026-11-01", "--json").json()  # fmt: skip
    assert (care["id"], care["status"]) == (3, "missed")  # planned long past: as list --all
    skipped = rubdown("plan", "skip", "1", "--reason", "travelling", "--json")
    assert skipped.exit_code == 0 and skipped.stderr == ""
    every = {item["id"]: item for item in rubdown("plan", "list", "--all", "--json").json()}
    assert skipped.json() == every[1]
    assert (skipped.json()["status"], skipped.json()["skip_reason"]) == ("skipped", "travelling")
    moved = rubdown("plan", "move", "1", "--date", "2026-12-08 18:00", "--json").json()
    assert moved == {item["id"]: item for item in rubdown("plan", "list", "--json").json()}[1]
    assert (moved["status"], moved["skipped"], moved["start"]) == (
        "open", False, "2026-12-08T18:00:00-05:00")  # fmt: skip
    bad = rubdown("plan", "move", "9", "--date", "2026-12-08", "--json")
    assert bad.exit_code == 2 and bad.stdout == "" and bad.stderr.count("\n") == 1


def test_the_report_shows_planned_against_done_by_week(rubdown, monkeypatch):
    """Plans in two weeks: the Plans section adds a line of each week's
    planned and done, by the week of each plan's own date."""
    at(monkeypatch, "2026-11-10T10:00:00-05:00")  # Tuesday of 2026-W46
    for date in ("wed 07:00", "sat 07:00", "mon 17:00"):  # W46, W46, W47
        assert rubdown("plan", "run", "--type", "easy", "--date", date).exit_code == 0
    at(monkeypatch, "2026-11-20T18:30:00-05:00")
    assert rubdown("log", "run", "--type", "easy", "--distance", "8k", "--time", "45:00",
                   "--date", "2026-11-11 07:30").exit_code == 0  # fmt: skip
    table = rubdown("report", "--since", "2026-11-09", "--until", "2026-11-20").stdout
    assert "by week: 2026-W46 2 planned, 1 done · 2026-W47 1 planned, 0 done" in table
    one_week = rubdown("report", "--week", "2026-W47").stdout
    assert "by week" not in one_week and "1 planned" in one_week
