"""``rubdown report`` at its edges, through ``main`` and a real database.

The clock is pinned at Sunday 2026-11-29 10:00 in New York (conftest). Each
test asserts the exact values a runner sees: the JSON numbers and the words
of the table.
"""

from __future__ import annotations

import os
import re

import pytest

from rubdown.analysis.period import report_period
from torture import on_pty


def log(rubdown, *args: str) -> None:
    r = rubdown("log", *args)
    assert r.exit_code == 0, r.stderr


def long_run(rubdown, date: str, time: str = "1:00:00", *more: str) -> None:
    log(rubdown, "run", "--date", date, "--distance", "20k", "--time", time, "--type", "long",
        *more)  # fmt: skip


def massage(rubdown, date: str, minutes: str = "60") -> None:
    log(rubdown, "massage", "--type", "sports", "--minutes", minutes, "--date", date)


def report_json(rubdown, *args: str) -> dict:
    r = rubdown("report", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return r.json()


# -- item 5: a report never reads past now ------------------------------------


@pytest.mark.parametrize("fast", [True, False])
def test_until_after_today_is_read_as_today_and_said(rubdown, fast):
    from conftest import invoke

    long_run(rubdown, "2026-11-14 08:00")
    for day in ("2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24"):
        massage(rubdown, day)
    today = report_json(rubdown, "--every", "1w")
    r = invoke("report", "--json", "--every", "1w", "--until", "2027-01-20", fast=fast)
    assert r.exit_code == 0, r.stderr
    later = r.json()
    assert r.stderr == "--until 2027-01-20 is after today: the report ends now, 2026-11-29.\n"
    assert later["period"] == today["period"] == {
        "since": "2026-09-07",
        "until": "2026-11-29",
        "end": "2026-11-29T10:00:00-05:00",
    }
    assert len(later["weeks"]) == 12 and later["weeks"][-1]["week"] == "2026-W48"
    assert later["regularity"] == today["regularity"]
    assert (later["regularity"]["periods"], later["regularity"]["streak"]) == (12, 4)


@pytest.mark.parametrize(
    ("args", "since"),
    [
        (("--until", "2026-12-31"), "2026-09-07"),
        (("--weeks", "2", "--until", "2027-03-01"), "2026-11-16"),
        (("--since", "2026-11-01", "--until", "2026-12-05"), "2026-11-01"),
        (("--week", "2026-W48"), "2026-11-23"),  # this week: up to today
    ],
)
def test_every_way_to_set_the_period_stops_at_today(rubdown, args, since):
    period = report_json(rubdown, *args)["period"]
    assert (period["since"], period["until"]) == (since, "2026-11-29")
    assert period["end"] == "2026-11-29T10:00:00-05:00"


def test_a_week_that_has_not_begun_is_refused(rubdown):
    r = rubdown("report", "--week", "2026-W49")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "2026-W49 has not begun yet" in r.stderr
    assert r.stdout == ""


def test_period_resolution_caps_until_at_today():
    from datetime import date, datetime

    now = datetime.fromisoformat("2026-11-29T10:00:00-05:00")
    p = report_period(now, until=date(2027, 1, 20))
    assert (p.since, p.until, p.end) == (date(2026, 9, 7), date(2026, 11, 29), now)
    with pytest.raises(ValueError):
        report_period(now, week="2027-W02")


# -- item 16: the year, whenever it is needed ------------------------------------


def test_a_report_spanning_two_years_dates_every_row(rubdown):
    long_run(rubdown, "2025-11-28 08:00")
    massage(rubdown, "2025-11-29 17:00")
    long_run(rubdown, "2026-11-28 08:00")
    massage(rubdown, "2026-11-28 17:00")
    out = rubdown("report", "--since", "2025-11-01").stdout
    assert "28 Nov 2025 long run 20.0 km long     sports 29 Nov 2025" in out
    assert "28 Nov 2026 long run 20.0 km long     sports 28 Nov 2026" in out
    # Within this year, no year.
    this_year = rubdown("report", "--weeks", "2").stdout
    assert "\n28 Nov long run 20.0 km long     sports 28 Nov 8.0 h on time\n" in this_year


def test_a_past_year_report_shows_its_year(rubdown):
    long_run(rubdown, "2025-11-28 08:00")
    out = rubdown("report", "--since", "2025-11-01", "--until", "2025-12-31").stdout
    assert "\n28 Nov 2025 long run 20.0 km long     none         missed\n" in out


def test_a_due_date_next_year_says_its_year(rubdown, monkeypatch):
    monkeypatch.setenv("RUBDOWN_NOW", "2026-12-28T10:00:00-05:00")
    massage(rubdown, "2026-12-26 17:00")
    out = rubdown("report", "--every", "1w").stdout
    assert "Next massage due Sat 2 Jan 2027 (every 7 days; last Sat 26 Dec 17:00)" in out


# -- the "Needs attention" header -----------------------------------------------


def test_a_past_report_has_no_needs_attention(rubdown):
    long_run(rubdown, "2026-11-14 08:00")
    now_out = rubdown("report", "--until", "2026-11-29").stdout  # today: current
    assert "Needs attention" not in now_out  # missed by now: nothing waits
    for args in (("--until", "2026-11-15"), ("--week", "2026-W46"), ("--last-week",)):
        out = rubdown("report", *args, "--every", "1w").stdout
        assert "Needs attention" not in out, args
        assert "no recovery yet" not in out and "Next massage" not in out, args
    past = rubdown("report", "--until", "2026-11-15").stdout
    assert "14 Nov long run 20.0 km long     none yet     pending" in past


def test_a_current_report_says_what_waits(rubdown):
    long_run(rubdown, "2026-11-28 08:00")
    out = rubdown("report", "--weeks", "1").stdout
    assert "  • long run, ended Sat 28 Nov 09:00: no recovery yet (25.0 h; 47.0 h left)\n" in out


@pytest.mark.parametrize(
    ("last", "shown"),
    [
        ("2026-11-22", "Next massage due Sun 6 Dec (every 14 days; last Sun 22 Nov)"),  # in 7 d
        ("2026-11-23", None),  # due Mon 7 Dec, in 8 days: not yet worth a line
        ("2026-11-15", "Next massage due Sun 29 Nov (every 14 days; last Sun 15 Nov)"),  # today
        ("2026-11-14", "Massage overdue since Sat 28 Nov (every 14 days; last Sat 14 Nov)"),
    ],
)
def test_next_massage_is_named_only_when_due_within_seven_days(rubdown, last, shown):
    massage(rubdown, last)
    out = rubdown("report", "--every", "2w").stdout
    lines = [line for line in out.splitlines() if "assage due" in line or "overdue" in line]
    assert lines == ([f"  • {shown}"] if shown else [])
    attention = report_json(rubdown, "--every", "2w")["attention"]
    assert attention["massage_overdue"] is (last == "2026-11-14")  # never on its due day


# -- lags: hours, always ---------------------------------------------------------


def test_lags_are_hours_everywhere(rubdown):
    long_run(rubdown, "2026-11-02 08:00")  # ends 09:00
    massage(rubdown, "2026-11-04 16:18")  # 55.3 h later
    long_run(rubdown, "2026-11-09 08:00")  # ends 09:00
    massage(rubdown, "2026-11-15 16:18")  # 151.3 h later
    out = rubdown("report", "--weeks", "4").stdout
    assert " 55.3 h on time\n" in out and " 151.3 h late\n" in out
    assert "median lag 103.3 h, longest 151.3 h" in out
    assert " d " not in out.split("Massage regularity")[0]


# -- the weekly table ------------------------------------------------------------


def test_weekly_counts_are_numbers_in_every_week_and_recovery_is_split(rubdown):
    long_run(rubdown, "2026-11-20 08:00")  # W47: hard, missed
    log(rubdown, "self-care", "--type", "foam-roll", "--minutes", "15", "--date", "2026-11-28")
    out = rubdown("report", "--weeks", "3").stdout
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("week"))
    assert header.split() == [
        "week", "runs", "distance", "time", "load", "hard", "on", "time", "massage", "self-care",
    ]  # fmt: skip
    table = lines[lines.index(header):]
    table = table[: table.index("")]  # the weeks table, not the load context below it
    rows = {line[:8]: line for line in table if line.startswith("2026-W")}
    assert rows["2026-W46"].split() == ["2026-W46", "0", "0", "0"]
    assert rows["2026-W47"].split() == [
        "2026-W47", "1", "20.0", "km", "██████", "1:00:00", "1", "0",
    ]  # fmt: skip
    # 15 self-care minutes sit under "self-care", not under "massage".
    w48 = rows["2026-W48"]
    assert w48.split()[:5] == ["2026-W48", "0", "0", "0", "15"]
    assert w48.index("15 min") == header.index("self-care") + len("self-care") - len("15 min")


# -- item 20: tables fit the terminal ------------------------------------------------

_SGR = re.compile(r"\x1b\[[0-9;]*m")


def on_terminal(argvs: list[list[str]], columns: int, db) -> list[str]:
    """The screen lines of ``rubdown ARGV...`` on a pseudo-terminal ``columns`` wide."""
    env = {**os.environ, "TERM": "xterm-256color", "RUBDOWN_DB": str(db),
           "COLUMNS": str(columns)}  # fmt: skip
    screen = on_pty(argvs, env)
    return _SGR.sub("", screen.decode()).replace("\r\n", "\n").splitlines()


def table_lines(lines: list[str], first: str) -> list[str]:
    """The table whose header starts with ``first``, up to a blank line or a title."""
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = start + 1
    while end < len(lines) and lines[end].strip() and not lines[end].startswith("rubdown"):
        end += 1
    return [line for line in lines[start:end] if not line.startswith("─")]


def test_list_and_report_fit_40_60_80_and_120_columns(rubdown, db_file):
    log(rubdown, "run", "--date", "2026-11-13 14:10", "--distance", "9.3km", "--time", "49:17",
        "--type", "relay", "--event", "Ragnar Relay", "--leg", "1", "--rpe", "8",
        "--note", "felt strong on the first leg, windy at the exchange")  # fmt: skip
    log(rubdown, "massage", "--type", "deep-tissue", "--minutes", "90", "--date",
        "2026-11-20 17:00", "--therapist", "Ana", "--focus", "calves,quads")  # fmt: skip
    log(rubdown, "self-care", "--type", "foam-roll", "--minutes", "15", "--date", "2026-11-21")
    seen = {}
    for columns in (40, 60, 80, 120):
        lines = on_terminal([["list"], ["report", "--weeks", "3"]], columns, db_file)
        tables = [table_lines(lines, "id"), table_lines(lines, "week"), table_lines(lines, "ended")]
        for table in tables:
            assert max(len(line) for line in table) <= columns, (columns, table)
        seen[columns] = tables
    heads = {
        columns: [re.findall(r"\S+(?: \S+)*", table[0]) for table in tables]
        for columns, tables in seen.items()
    }
    # The list: 120 everything; 80 leaves out the kind (the type names it), and
    # the note is cut before the details; 60 leaves out the note; 40 the type.
    assert [heads[c][0] for c in (120, 80, 60, 40)] == [
        ["id", "date", "kind", "type", "details", "note"],
        ["id", "date", "type", "details", "note"],
        ["id", "date", "type", "details"],
        ["id", "date", "details"],
    ]
    # The note gives way before the run's facts.
    assert seen[80][0][1] == (
        " 1  Fri 2026-11-13 14:10  relay        9.30 km in 49:17 (5:18…  felt strong on …"
    )
    assert seen[40][0][1] == " 1  Fri 2026-11-13 14:10  9.30 km in 49…"
    # The report: bars go first, then load, time, self-care, on time.
    weeks = {c: seen[c][1][0].split() for c in seen}
    assert weeks[120] == weeks[80] == [
        "week", "runs", "distance", "time", "load", "hard", "on", "time", "massage", "self-care",
    ]  # fmt: skip
    assert weeks[60] == ["week", "runs", "distance", "time", "hard", "on", "time", "massage",
                         "self-care"]  # fmt: skip
    assert weeks[40] == ["week", "runs", "distance", "hard", "massage"]
    assert seen[40][2] == ["ended  effort                 lag status",
                           "13 Nov Ragnar Relay 9.30… 170.0 h late"]  # fmt: skip
    narrow = [line for line in on_terminal([["report", "--weeks", "3"]], 40, db_file) if line]
    assert narrow[-1] == (
        "Too narrow to show: load, time, self-care, on time, why hard, recovery "
        "(widen the terminal, or --format csv)"
    )
    wide = [line for line in on_terminal([["report", "--weeks", "3"]], 120, db_file) if line]
    assert not any(line.startswith("Too narrow") for line in wide)


# -- issue 17: what the report must get exactly right -----------------------------------


def test_configured_hard_effort_thresholds_are_used(rubdown, config_file):
    config_file.write_text(
        '[hard_effort]\ntypes = ["race"]\nrpe = 6\nload_factor = 1.5\n'
        "load_days = 7\nload_min_runs = 2\n"
    )
    log(rubdown, "run", "--date", "2026-11-23 07:00", "--time", "20:00", "--rpe", "5")  # 100
    log(rubdown, "run", "--date", "2026-11-24 07:00", "--time", "20:00", "--rpe", "5")  # 100
    long_run(rubdown, "2026-11-25 07:00", "1:20:00")  # long, no RPE: not hard by config
    log(rubdown, "run", "--date", "2026-11-26 07:00", "--time", "20:00", "--rpe", "6")  # rpe
    log(rubdown, "run", "--date", "2026-11-27 07:00", "--time", "30:00", "--rpe", "5")  # 150: load
    log(rubdown, "run", "--date", "2026-11-28 07:00", "--time", "20:00", "--type", "race")
    efforts = report_json(rubdown, "--weeks", "1")["recovery"]["efforts"]
    assert [(e["run_ids"], e["reasons"]) for e in efforts] == [
        ([4], ["rpe"]),
        ([5], ["load"]),
        ([6], ["race"]),
    ]
    config_file.write_text("[hard_effort]\nload_days = 2\n")  # runs 1-2 out of the window
    efforts = report_json(rubdown, "--weeks", "1")["recovery"]["efforts"]
    assert [(e["run_ids"], e["reasons"]) for e in efforts] == [([3], ["long"]), ([6], ["race"])]


def test_the_load_baseline_reads_before_the_period(rubdown):
    # Four RPE-5 runs of 20 min (load 100) weeks before the hard one, out of a
    # one-week report: the baseline still sees them.
    for day in ("2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"):
        log(rubdown, "run", "--date", f"{day} 10:00", "--time", "20:00", "--rpe", "5")
    log(rubdown, "run", "--date", "2026-11-29 09:00", "--time", "40:00", "--rpe", "5")  # 200
    efforts = report_json(rubdown, "--weeks", "1")["recovery"]["efforts"]
    assert [(e["run_ids"], e["reasons"]) for e in efforts] == [([5], ["load"])]


@pytest.mark.parametrize(("first", "hard"), [("2026-11-01 09:00", 1), ("2026-11-01 08:59", 0)])
def test_the_28_day_baseline_starts_exactly_28_days_before(rubdown, first, hard):
    # The hard run starts Sun 29 Nov 09:00; 28 days earlier is Sun 1 Nov 09:00.
    log(rubdown, "run", "--date", first, "--time", "20:00", "--rpe", "5")
    for day in ("2026-11-02", "2026-11-03", "2026-11-04"):
        log(rubdown, "run", "--date", f"{day} 10:00", "--time", "20:00", "--rpe", "5")
    log(rubdown, "run", "--date", "2026-11-29 09:00", "--time", "40:00", "--rpe", "5")
    assert report_json(rubdown, "--weeks", "1")["recovery"]["hard_efforts"] == hard


def test_the_baseline_ends_before_the_run(rubdown):
    # Three earlier runs, and a fourth at the very same start as the hard one
    # (a different event name keeps them apart): it is not "before" it.
    for day in ("2026-11-20", "2026-11-21", "2026-11-22"):
        log(rubdown, "run", "--date", f"{day} 10:00", "--time", "20:00", "--rpe", "5")
    log(rubdown, "run", "--date", "2026-11-28 10:00", "--time", "20:00", "--rpe", "5",
        "--event", "A")  # fmt: skip
    log(rubdown, "run", "--date", "2026-11-28 10:00", "--time", "40:00", "--rpe", "5",
        "--event", "B")  # fmt: skip
    assert report_json(rubdown, "--weeks", "1")["recovery"]["hard_efforts"] == 0


@pytest.mark.parametrize(
    ("second", "groups"), [("2026-11-27 08:00:00", 1), ("2026-11-27 08:01", 2)]
)
def test_relay_legs_group_within_48_hours_of_the_first(rubdown, second, groups):
    log(rubdown, "run", "--date", "2026-11-25 08:00", "--time", "30:00", "--type", "relay",
        "--event", "Hood")  # fmt: skip
    log(rubdown, "run", "--date", second, "--time", "30:00", "--type", "relay",
        "--event", "hood ")  # fmt: skip
    efforts = report_json(rubdown, "--weeks", "1")["recovery"]["efforts"]
    assert [e["run_ids"] for e in efforts] == ([[1, 2]] if groups == 1 else [[1], [2]])


@pytest.mark.parametrize(("at", "status"), [("2026-11-24 10:00", "on_time"),
                                            ("2026-11-24 10:01", "late")])  # fmt: skip
def test_a_massage_at_the_window_end_is_on_time_and_later_is_late(rubdown, at, status):
    long_run(rubdown, "2026-11-21 09:00")  # ends 10:00; window closes Tue 10:00
    massage(rubdown, at)
    (effort,) = report_json(rubdown, "--weeks", "2")["recovery"]["efforts"]
    assert effort["status"] == status
    assert effort["lag_hours"] == (72.0 if status == "on_time" else 72.02)


def test_efforts_and_massages_on_the_first_and_last_day_count(rubdown):
    # Monday, the first day of --weeks 1: ends 00:30
    log(rubdown, "run", "--date", "2026-11-23 00:00", "--distance", "6k", "--time", "30:00",
        "--type", "long")  # fmt: skip
    massage(rubdown, "2026-11-23 01:00")
    long_run(rubdown, "2026-11-29 08:00")  # today, the last day: ends 09:00
    massage(rubdown, "2026-11-29 09:30", "45")
    data = report_json(rubdown, "--weeks", "1")
    (week,) = data["weeks"]
    assert (week["runs"], week["hard_efforts"], week["on_time"]) == (2, 2, 2)
    assert (week["massages"], week["massage_minutes"]) == (2, 105)
    rec = data["recovery"]
    assert (rec["hard_efforts"], rec["on_time"], rec["rate"]) == (2, 2, 1.0)
    assert [e["lag_hours"] for e in rec["efforts"]] == [0.5, 0.5]
    reg = report_json(rubdown, "--weeks", "1", "--every", "1d")["regularity"]
    assert (reg["every_days"], reg["periods"], reg["met"], reg["streak"]) == (1, 7, 2, 1)
    assert (reg["massages"], reg["median_gap_days"], reg["longest_gap_days"]) == (2, 6.35, 6.35)
    since = report_json(rubdown, "--since", "2026-11-29")
    assert (since["recovery"]["hard_efforts"], since["weeks"][0]["massages"]) == (1, 1)


def test_on_time_rate_counts_missed_efforts_and_rounds_to_four_decimals(rubdown):
    long_run(rubdown, "2026-11-02 08:00")
    massage(rubdown, "2026-11-03 08:00")  # on time
    long_run(rubdown, "2026-11-09 08:00")  # missed
    long_run(rubdown, "2026-11-16 08:00")  # missed
    rec = report_json(rubdown, "--weeks", "4")["recovery"]
    assert (rec["on_time"], rec["late"], rec["missed"], rec["rate"]) == (1, 0, 2, 0.3333)
    long_run(rubdown, "2026-11-28 08:00")  # pending: counts neither way
    massage(rubdown, "2026-11-10 08:00")  # the 9 Nov effort: on time now
    rec = report_json(rubdown, "--weeks", "4")["recovery"]
    assert (rec["on_time"], rec["missed"], rec["pending"], rec["rate"]) == (2, 1, 1, 0.6667)
    assert "on-time rate 67%" in rubdown("report", "--weeks", "4").stdout


@pytest.mark.parametrize(
    ("args", "hours", "title"),
    [((), 72, "within 72 h"), (("--within", "48"), 48, "within 48 h"),
     (("--within", "36.5h"), 36.5, "within 36.5 h"), (("--within", "2d"), 48, "within 48 h")],
)  # fmt: skip
def test_within_sets_the_window(rubdown, args, hours, title):
    long_run(rubdown, "2026-11-23 08:00")  # ends 09:00
    massage(rubdown, "2026-11-25 09:00")  # 48 h later
    data = report_json(rubdown, "--weeks", "1", *args)
    assert data["window_hours"] == hours
    assert data["recovery"]["efforts"][0]["status"] == ("on_time" if hours >= 48 else "late")
    assert f"on time = {title}" in rubdown("report", "--weeks", "1", *args).stdout


# -- the README's tour is real output ---------------------------------------------------


def test_the_readme_tour_shows_what_rubdown_prints(rubdown, monkeypatch):
    import shlex
    from pathlib import Path

    monkeypatch.setenv("RUBDOWN_NOW", "2026-11-29T20:58:00-05:00")
    readme = Path(__file__).parents[1].joinpath("README.md").read_text()
    tour = readme.split("## A 30-second tour", 1)[1]
    blocks = tour.split("```console\n")[1:3]  # the two blocks with their output
    for block in blocks:
        body = block.split("```", 1)[0]
        steps = body.split("$ ")[1:]
        for step in steps:
            command, _, expected = step.partition("\n")
            args = shlex.split(command)
            assert args[0] == "rubdown"
            r = rubdown(*args[1:])
            assert r.exit_code == 0, r.stderr
            assert r.stderr + r.stdout == expected, command
