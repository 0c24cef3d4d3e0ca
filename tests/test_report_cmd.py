"""``rubdown report`` and ``rubdown demo`` through the CLI and a real database.

The clock is pinned at Sunday 2026-11-29 10:00 in New York (conftest).
"""

from __future__ import annotations

import csv
import io

import pytest

from rubdown.analysis.period import report_period


def relay(rubdown, massage_date="2026-11-20 17:00"):
    """The story: three legs ending Sat 14 Nov, a sports massage on Friday."""
    for date, km, time, leg in [
        ("2026-11-13 14:10", "9.3", "49:00", "1"),
        ("2026-11-13 23:40", "8.0", "45:00", "2"),
        ("2026-11-14 08:50", "10.1", "50:00", "3"),
    ]:
        r = rubdown("log", "run", "--date", date, "--distance", km, "--time", time,
                    "--type", "relay", "--event", "Ragnar Relay", "--leg", leg)  # fmt: skip
        assert r.exit_code == 0, r.stderr
    r = rubdown("log", "massage", "--type", "sports", "--minutes", "90", "--date", massage_date)
    assert r.exit_code == 0, r.stderr


def test_relay_is_one_late_effort_with_its_lag(rubdown):
    relay(rubdown)
    report = rubdown("report", "--json").json()
    rec = report["recovery"]
    assert (rec["hard_efforts"], rec["late"], rec["on_time"]) == (1, 1, 0)
    [effort] = rec["efforts"]
    assert effort["run_ids"] == [1, 2, 3]
    assert effort["event"] == "Ragnar Relay"
    assert effort["reasons"] == ["relay"]
    # last leg ends 08:50 + 50:00 = 09:40 on Sat 14 Nov; massage Fri 20 Nov 17:00:
    # 6 days 7 h 20 min = 151.33 h
    assert effort["end"] == "2026-11-14T09:40:00-05:00"
    assert effort["lag_hours"] == 151.33
    assert effort["follow_up"]["id"] == 4 and effort["follow_up"]["type"] == "sports"
    assert rec["rate"] == 0.0
    assert report["period"]["since"] == "2026-09-07"  # 12 ISO weeks ending this week
    assert report["period"]["until"] == "2026-11-29"
    week47 = next(w for w in report["weeks"] if w["week"] == "2026-W46")
    assert week47["hard_efforts"] == 1 and week47["runs"] == 3


def test_within_and_until_change_the_verdict(rubdown):
    relay(rubdown)
    on_time = rubdown("report", "--json", "--within", "160").json()["recovery"]
    assert on_time["on_time"] == 1
    # On Wed 18 Nov the massage had not happened; 72 h had passed: missed.
    past = rubdown("report", "--json", "--until", "2026-11-18").json()
    assert past["recovery"]["missed"] == 1
    assert past["recovery"]["efforts"][0]["follow_up"] is None
    assert past["period"]["end"] == "2026-11-18T23:59:59-05:00"
    # On Sun 15 Nov the window was still open: pending.
    early = rubdown("report", "--json", "--until", "2026-11-15").json()
    assert early["recovery"]["pending"] == 1
    assert early["attention"]["pending"][0]["run_ids"] == [1, 2, 3]


def test_self_care_counts_only_when_asked(rubdown):
    relay(rubdown)
    rubdown("log", "self-care", "--type", "foam-roll", "--minutes", "15", "--date",
            "2026-11-14 16:00")  # fmt: skip
    assert rubdown("report", "--json").json()["recovery"]["late"] == 1
    with_care = rubdown("report", "--json", "--self-care").json()["recovery"]
    assert with_care["on_time"] == 1
    assert with_care["efforts"][0]["follow_up"]["kind"] == "self-care"


def test_every_sets_regularity_and_the_next_massage(rubdown):
    for day in ("2026-10-06", "2026-10-20", "2026-11-17"):
        rubdown("log", "massage", "--type", "swedish", "--minutes", "60", "--date", day)
    reg = rubdown("report", "--json", "--every", "2w", "--weeks", "8").json()
    r = reg["regularity"]
    assert r["every_days"] == 14 and r["massages"] == 3
    # 8 weeks ending Sun 29 Nov = 56 days from Mon 5 Oct: four 14-day periods
    # (5-18 Oct, 19 Oct-1 Nov, 2-15 Nov, 16-29 Nov); 2-15 Nov has none.
    assert (r["periods"], r["met"], r["streak"]) == (4, 3, 1)
    assert reg["attention"]["next_massage_due"] == "2026-12-01"
    assert rubdown("report", "--json").json()["regularity"]["every_days"] is None


def test_config_sets_defaults_for_the_report(rubdown, config_file):
    config_file.write_text(
        '[follow_up]\nwindow_hours = 200\n[massage]\nevery = "monthly"\n'
        'week_start = "sunday"\n'.replace('week_start = "sunday"\n', "")
    )
    relay(rubdown)
    report = rubdown("report", "--json").json()
    assert report["window_hours"] == 200
    assert report["recovery"]["on_time"] == 1
    assert report["regularity"]["every_days"] == 30


def test_sunday_weeks_from_config(rubdown, config_file):
    config_file.write_text('week_start = "sunday"\n')
    rubdown("log", "run", "--date", "2026-11-22 08:00", "--distance", "10k")  # a Sunday
    weeks = rubdown("report", "--json", "--weeks", "2").json()["weeks"]
    assert [w["start"] for w in weeks] == ["2026-11-22", "2026-11-29"]
    assert weeks[0]["runs"] == 1


@pytest.mark.parametrize(
    ("args", "since", "until"),
    [
        (("--week", "2026-W47"), "2026-11-16", "2026-11-22"),
        (("--last-week",), "2026-11-16", "2026-11-22"),
        (("--weeks", "1"), "2026-11-23", "2026-11-29"),
        (("--since", "2026-11-01", "--until", "2026-11-10"), "2026-11-01", "2026-11-10"),
        (("--weeks", "2", "--until", "2026-11-10"), "2026-11-02", "2026-11-10"),
    ],
)
def test_period_options(rubdown, args, since, until):
    period = rubdown("report", "--json", *args).json()["period"]
    assert (period["since"], period["until"]) == (since, until)


@pytest.mark.parametrize(
    "args",
    [
        ("--week", "2026-W47", "--weeks", "3"),
        ("--last-week", "--since", "2026-11-01"),
        ("--since", "2026-11-20", "--until", "2026-11-10"),
        ("--week", "2026-W60"),
        ("--within", "0"),
        ("--every", "fortnight-ish"),
        ("--weeks", "0"),
    ],
)
def test_bad_report_options_are_usage_errors(rubdown, args):
    r = rubdown("report", *args)
    assert r.exit_code == 2, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("Error: ")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--since", "2026-12-05", "--until", "2026-12-20"),
         "Error: --since: 2026-12-05 is in the future"),
        (("--since", "2026-11-20", "--until", "2026-11-10"),
         "Error: --since: 2026-11-20 is after --until 2026-11-10"),
    ],
)  # fmt: skip
def test_a_since_refused_is_named_once(rubdown, args, said):
    r = rubdown("report", *args)
    assert r.exit_code == 2 and r.stderr.startswith(said), r.stderr


def test_table_csv_and_markdown_views(rubdown):
    relay(rubdown)
    table = rubdown("report", "--every", "2w")
    assert table.exit_code == 0
    out = table.stdout
    assert "\x1b" not in out  # piped: plain text
    assert "Ragnar Relay (3 legs)" in out and "late" in out and "151.3 h" in out
    assert "Needs attention" in out and "every 14 days" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    rows = list(csv.reader(io.StringIO(rubdown("report", "-f", "csv").stdout)))
    assert rows[0][:3] == ["week", "start", "runs"]
    assert len(rows) == 1 + 12
    md = rubdown("report", "--format", "markdown").stdout
    assert "## Recovery after hard efforts" in md and "| ended | effort |" in md


def test_demo_writes_a_new_database_and_reports(rubdown, tmp_path, db_file):
    target = tmp_path / "demo.db"
    r = rubdown("demo", "--db", str(target), "--json")
    assert r.exit_code == 0, r.stderr
    report = r.json()
    relays = [e for e in report["recovery"]["efforts"] if e["event"] == "Ragnar Relay"]
    assert len(relays) == 1 and len(relays[0]["run_ids"]) == 3
    assert relays[0]["follow_up"]["type"] == "sports"
    assert 6 * 24 <= relays[0]["lag_hours"] <= 7 * 24
    assert report["recovery"]["pending"] >= 1
    reg = report["regularity"]
    assert reg["every_days"] == 14 and reg["met"] < reg["periods"]
    assert not db_file.exists()  # the user's own database is never touched
    again = rubdown("demo", "--db", str(target))
    assert again.exit_code == 1 and "already holds" in again.stderr
    plain = rubdown("demo")
    assert plain.exit_code == 0 and "has been removed" in plain.stderr
    assert not db_file.exists()


def test_report_on_missing_database_is_empty_not_an_error(rubdown, db_file):
    r = rubdown("report", "--json")
    assert r.exit_code == 0
    assert r.json()["recovery"]["hard_efforts"] == 0
    assert not db_file.exists()


def test_period_resolution_is_pure():
    from datetime import datetime

    now = datetime.fromisoformat("2026-11-29T10:00:00-05:00")
    p = report_period(now, weeks=12)
    assert (p.since.isoformat(), p.until.isoformat(), p.end) == ("2026-09-07", "2026-11-29", now)
