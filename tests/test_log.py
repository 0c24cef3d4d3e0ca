"""Logging runs, massages and self-care through the real CLI and database."""

from __future__ import annotations

import pytest

from conftest import digest
from rubdown.cli import log_cmd


def test_log_run_confirms_with_id_pace_and_event(rubdown):
    r = rubdown(
        "log", "run", "--date", "2026-11-21 07:30", "--distance", "10.2 km", "--time", "58:30",
        "--type", "relay", "--leg", "2", "--event", "Ragnar", "--rpe", "7",
    )
    assert r.exit_code == 0, r.stderr
    # 10200 m in 3510 s -> 344.1 s/km -> 5:44/km
    assert r.stderr.strip() == (
        "Logged run #1 · Sat 21 Nov 07:30 · 10.2 km in 58:30 (5:44/km)"
        " · relay leg 2, Ragnar · RPE 7"
    )
    [rec] = rubdown("list", "--json").json()
    assert rec == {
        "id": 1, "kind": "run", "type": "relay", "start": "2026-11-21T07:30:00-05:00",
        "note": None, "distance_m": 10200.0, "duration_s": 3510, "rpe": 7,
        "event": "Ragnar", "leg": 2, "source": None,
    }  # fmt: skip


def test_log_massage_forgiving_type_cost_and_focus(rubdown):
    r = rubdown(
        "log", "massage", "--type", "Deep Tissue", "--minutes", "90", "--date", "yesterday",
        "--therapist", "Ana", "--cost", "85.50", "--focus", "calves, hamstrings",
    )
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Logged massage #1 · Sat 28 Nov · deep-tissue 90 min · with Ana")
    [rec] = rubdown("list", "--json").json()
    assert rec["type"] == "deep-tissue"
    assert rec["start"] == "2026-11-28T12:00:00-05:00"
    assert rec["cost"] == "85.50"
    assert rec["focus"] == ["calves", "hamstrings"]
    assert rec["minutes"] == 90


def test_log_self_care_and_one_id_sequence(rubdown):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    assert rubdown("log", "massage", "--type", "sports", "--minutes", "60").exit_code == 0
    r = rubdown("log", "self-care", "--type", "foam roller", "--minutes", "15")
    assert r.exit_code == 0, r.stderr
    assert r.stderr.startswith("Logged self-care #3 · ")
    records = rubdown("list", "--json").json()
    assert [(x["id"], x["kind"]) for x in records] == [
        (1, "run"),
        (2, "massage"),
        (3, "self-care"),
    ]
    assert records[2]["type"] == "foam-roll"


def test_miles_from_config_for_bare_distance(rubdown, config_file):
    config_file.write_text('units = "mi"\n')
    r = rubdown("log", "run", "--distance", "10", "--time", "1:30:00")
    assert r.exit_code == 0, r.stderr
    assert "10.0 mi in 1:30:00 (9:00/mi)" in r.stderr
    assert rubdown("list", "--json").json()[0]["distance_m"] == pytest.approx(16093.44)


BAD_INPUTS = [
    (("log", "massage", "--type", "deep", "--minutes", "60"), "Did you mean 'deep-tissue'"),
    (("log", "massage", "--type", "reiki", "--minutes", "60"), "swedish, deep-tissue"),
    (("log", "massage", "--type", "sports", "--minutes", "0"), "'0'"),
    (("log", "massage", "--type", "sports", "--minutes", "-5"), "'-5'"),
    (("log", "self-care", "--type", "sauna", "--minutes", "10"), "foam-roll"),
    (("log", "run", "--rpe", "11"), "'11'"),
    (("log", "run", "--distance", "nan"), "'nan'"),
    (("log", "run", "--distance", "inf"), "'inf'"),
    (("log", "run", "--distance", "99999 km"), "99999"),
    (("log", "run", "--time", "1:75:00"), "1:75:00"),
    (("log", "run", "--type", "jog"), "easy, long"),
    (("log", "run", "--date", "2026-12-05"), "2026-12-05"),
    (("log", "run", "--date", "the day after"), "the day after"),
    (("log", "run", "--leg", "zero"), "'zero'"),
    (("log", "massage", "--type", "thai", "--minutes", "60", "--cost", "-3"), "'-3'"),
    (("log", "run", "--bogus", "1"), "--bogus"),
    (("log", "massage", "--minutes", "60"), "--type"),
    (("log", "run", "--distance", ""), "--distance"),
    (("log", "run", "--time", " "), "--time"),
    (("log", "massage", "--type", "thai", "--minutes", "60", "--therapist", ""), "--therapist"),
    (("list", "--kind", "swim"), "'swim'"),
    (("list", "--format", "xml"), "'xml'"),
]


@pytest.mark.parametrize(("args", "named"), BAD_INPUTS)
def test_bad_input_is_a_one_line_usage_error_and_writes_nothing(rubdown, db_file, args, named):
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    before = digest(db_file)
    r = rubdown(*args)
    assert r.exit_code == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("Error: ")
    assert named in lines[0]
    assert "Traceback" not in r.stderr
    assert digest(db_file) == before


def test_bare_log_run_without_terminal_is_a_usage_error(rubdown, db_file):
    r = rubdown("log", "run")
    assert r.exit_code == 2
    assert "Nothing to log" in r.stderr
    assert not db_file.exists()


def test_bare_log_run_on_terminal_prompts_and_reasks(rubdown, monkeypatch):
    monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda: True)
    # distance: first an invalid answer, then a valid one; time; type skipped; RPE.
    r = rubdown("log", "run", input="ten\n8 km\n40:00\n\n6\n")
    assert r.exit_code == 0, r.stderr
    assert "Invalid distance 'ten'" in r.stderr
    [rec] = rubdown("list", "--json").json()
    assert (rec["distance_m"], rec["duration_s"], rec["type"], rec["rpe"]) == (
        8000.0, 2400, "easy", 6,
    )  # fmt: skip


def test_a_prompted_time_impossible_for_the_distance_is_asked_again(rubdown, monkeypatch):
    # The pace is checked as soon as both are answered, and the time asked
    # again, instead of refusing the run after the last question.
    from rubdown.cli import log_cmd

    monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda: True)
    r = rubdown("log", "run", input="5k\n45s\n25:00\n\n\n")
    assert r.exit_code == 0, r.stderr
    assert "beats the world record" in r.stderr and "--time" not in r.stderr
    [rec] = rubdown("list", "--json").json()
    assert (rec["distance_m"], rec["duration_s"]) == (5000.0, 1500)


def test_notes_are_stored_verbatim_and_printed_inert(rubdown):
    note = "\x1b[31mred\x1b[0m \x1b]8;;http://x.example\x07link\x1b]8;;\x07 [bold]b[/] \u202eevil"
    r = rubdown("log", "run", "--distance", "5k", "--note", note, "--event", "[red]Ev\x1b[2J")
    assert r.exit_code == 0
    assert "\x1b" not in r.stderr
    listed = rubdown("list")
    assert listed.exit_code == 0
    assert "\x1b" not in listed.stdout and "\u202e" not in listed.stdout
    assert "[bold]b[/]" in listed.stdout
    assert "\\x1b" in listed.stdout
    shown = rubdown("show", "1")
    assert "\x1b" not in shown.stdout and "[bold]b[/]" in shown.stdout
    rec = rubdown("list", "--json").json()[0]
    assert rec["note"] == note
    assert rec["event"] == "[red]Ev\x1b[2J"


# -- what a runner types: hardening ------------------------------------------------


def one_usage_line(r) -> str:
    """The single ``Error: …`` line of a usage error (exit 2), no traceback."""
    assert r.exit_code == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    return lines[0]


NOT_UTF8 = b"caf\xe9 \xff"


@pytest.mark.parametrize(
    "args",
    [
        [b"log", b"run", b"--distance", b"5k", b"--note", NOT_UTF8],  # the fast path
        [b"log", b"run", b"-D5k", b"--note", NOT_UTF8],  # typer (-D5k is typer's)
        [b"log", b"run", b"--distance", b"5k", b"--event", NOT_UTF8],
        [b"log", b"run", b"-D5k", b"--event", NOT_UTF8],
        [b"log", b"massage", b"--type", b"thai", b"--minutes", b"60", b"--therapist", NOT_UTF8],
        [b"log", b"massage", b"--type", b"thai", b"-m60", b"--therapist", NOT_UTF8],
        [b"log", b"self-care", b"--type", b"yoga", b"--minutes", b"20", b"--note", NOT_UTF8],
        [b"log", b"run", b"--distance", b"5k", b"--type", NOT_UTF8],
        [b"edit", b"1", b"--note", NOT_UTF8],
        [b"edit", b"1", b"--event", NOT_UTF8],
        [b"edit", b"2", b"--therapist", NOT_UTF8],
    ],
    ids=lambda a: b" ".join(a).decode("ascii", "replace"),
)
def test_text_that_is_not_utf8_is_one_usage_line_and_writes_nothing(db_file, args):
    """Bytes that are not UTF-8 in argv (a terminal in Latin-1) reach Python
    as lone surrogates: a traceback once, when they were stored."""
    from conftest import run_cli

    assert run_cli("log", "run", "--distance", "5k").returncode == 0
    assert run_cli("log", "massage", "--type", "thai", "--minutes", "60").returncode == 0
    before = digest(db_file)
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "rubdown", *args], capture_output=True, timeout=60)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --"), r.stderr
    assert "not valid UTF-8" in lines[0] and "\\xe9" in lines[0]
    assert digest(db_file) == before


@pytest.mark.parametrize(
    "args", [[b"log", b"r\xe9n"], [b"log", b"run", b"--n\xe9te", b"x"], [b"\xe9"]]
)
def test_a_command_or_option_that_is_not_utf8_is_shown_escaped(args):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "rubdown", *args], capture_output=True, timeout=60)
    assert r.returncode == 2
    line = r.stderr.decode("utf-8")  # it prints as UTF-8: the byte is an escape
    assert "\\xe9" in line and "\\udc" not in line and len(line.splitlines()) == 1


def test_enter_at_every_prompt_stores_no_run(rubdown, db_file, monkeypatch):
    """The docs promise "never an empty run": skipping every question is not a run."""
    monkeypatch.setattr(log_cmd, "stdin_is_terminal", lambda: True)
    r = rubdown("log", "run", input="\n\n\n\n")
    assert "Nothing to log: every question was skipped" in one_usage_line(r)
    assert not db_file.exists()


def test_ctrl_c_at_a_prompt_exits_130_and_writes_nothing(db_file):
    """On a real terminal (a pty), Ctrl-C at the first question."""
    import os
    import pty
    import select
    import signal
    import subprocess
    import sys

    main_fd, child_fd = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rubdown", "log", "run"],
        stdin=child_fd, stdout=child_fd, stderr=child_fd,
        # As on a terminal: a shell that started the tests in the background
        # leaves SIGINT ignored, and Python would then never see Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    os.close(child_fd)
    seen = b""
    try:
        while b"Distance" not in seen:
            ready, _, _ = select.select([main_fd], [], [], 60)
            assert ready, seen
            seen += os.read(main_fd, 1024)
        # What the terminal sends for Ctrl-C. A signal that lands between the
        # prompt being written and the read starting is only noticed at the
        # next key (CPython's readline loop), a gap no hand can hit but a
        # loaded test machine can: press it again, as a user would.
        code = None
        for _ in range(12):
            proc.send_signal(signal.SIGINT)
            try:
                code = proc.wait(timeout=5)
                break
            except subprocess.TimeoutExpired:
                continue
        while select.select([main_fd], [], [], 0.5)[0]:
            try:
                chunk = os.read(main_fd, 1024)
            except OSError:  # the child's side is closed
                break
            if not chunk:
                break
            seen += chunk
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main_fd)
    assert code == 130, seen
    assert b"Interrupted" in seen and b"Traceback" not in seen
    assert not db_file.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--distance", "5k", "--time", "45s"], ["0:09/km", "world record", "'45s' is seconds"]),
        (["--distance", "100m", "--time", "48:00"], ["slower", "'100m' is metres"]),
        (["--distance", "6m", "--time", "48:00"], ["'6m' is metres", "6mi for miles"]),
        (["--distance", "6m"], ["'6m' is metres", "6mi for miles"]),
        (["--distance", "marathon", "--time", "1:30:00"], ["world record"]),
        (["--distance", "10", "--time", "20:00"], ["world record", "'10' is km, your units"]),
        (["--distance", "400m", "--time", "45"], ["slower", "'45' is minutes (s is seconds)"]),
        (["--distance", "400 metres", "--time", "30s"], ["world record", "is metres"]),
        (["--distance", "1k", "--time", "1:30:00"], ["slower"]),
    ],
)
@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
def test_a_pace_no_one_runs_is_refused(rubdown, db_file, args, words, fast):
    r = rubdown("log", "run", *args, fast=fast)
    line = one_usage_line(r)
    for word in words:
        assert word in line, line
    assert not db_file.exists()


def test_edit_checks_the_pace_with_the_stored_values(rubdown, db_file):
    assert rubdown("log", "run", "--distance", "5k", "--time", "25:00").exit_code == 0
    before = digest(db_file)
    assert "world record" in one_usage_line(rubdown("edit", "1", "--time", "45s"))
    assert "slower" in one_usage_line(rubdown("edit", "1", "--distance", "100m"))
    assert digest(db_file) == before
    assert rubdown("edit", "1", "--distance", "10k", "--time", "50:00").exit_code == 0


def test_real_paces_pass(rubdown):
    for distance, time in (("5k", "12:40"), ("42.195k", "2:01:00"), ("100m", "10s"),
                           ("50mi", "9:30:00"), ("3k", "45:00"), ("1mi", "4:00")):  # fmt: skip
        r = rubdown("log", "run", "--distance", distance, "--time", time)
        assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("2026-11-21 12:00", "Sat 21 Nov 12:00 ·"),
        ("2026-11-21T12:00:00-05:00", "Sat 21 Nov 12:00 ·"),
        ("sat 12:00", "Sat 28 Nov 12:00 ·"),
        ("2026-11-21", "Sat 21 Nov ·"),
        ("yesterday", "Sat 28 Nov ·"),
        ("2026-11-21 07:30", "Sat 21 Nov 07:30 ·"),
    ],
)
@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
def test_a_typed_time_is_confirmed_even_at_noon(rubdown, typed, shown, fast):
    r = rubdown("log", "massage", "--type", "thai", "--minutes", "60", "--date", typed, fast=fast)
    assert r.exit_code == 0, r.stderr
    assert f"Logged massage #1 · {shown}" in r.stderr
    edited = rubdown("edit", "1", "--date", typed)
    assert f"Edited massage #1 · {shown}" in edited.stderr


def test_without_date_a_record_is_logged_at_the_current_minute(rubdown, monkeypatch):
    monkeypatch.setenv("RUBDOWN_NOW", "2026-11-29T10:17:42.5-05:00")
    assert rubdown("log", "run", "--distance", "5k").exit_code == 0
    assert rubdown("log", "self-care", "--type", "yoga", "--minutes", "20", "--date",
                   "now", fast=False).exit_code == 0  # fmt: skip
    starts = [r["start"] for r in rubdown("list", "--json").json()]
    assert starts == ["2026-11-29T10:17:00-05:00", "2026-11-29T10:17:00-05:00"]


def test_config_vocabulary_is_read_as_the_options_read_it(rubdown, config_file):
    config_file.write_text('[hard_effort]\ntypes = ["RACE", "Long Run", "relay"]\n')
    assert rubdown("log", "run", "--distance", "10k", "--time", "50:00", "--type", "TEMPO",
                   "--date", "2026-11-20").exit_code == 0  # fmt: skip
    assert rubdown("log", "run", "--distance", "30k", "--time", "2:40:00", "--type", "Long Run",
                   "--date", "2026-11-21").exit_code == 0  # fmt: skip
    r = rubdown("report", "--json")
    assert r.exit_code == 0, r.stderr
    [effort] = r.json()["recovery"]["efforts"]
    assert effort["reasons"] == ["long"]
    config_file.write_text('[hard_effort]\ntypes = ["sprint"]\n')
    r = rubdown("report")
    assert r.exit_code == 1 and "hard_effort.types" in r.stderr


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
def test_a_cost_in_another_currency_is_refused(rubdown, config_file, db_file, fast):
    r = rubdown("log", "massage", "--type", "thai", "--minutes", "60", "--cost", "€85", fast=fast)
    assert "costs are in USD" in one_usage_line(r)
    assert not db_file.exists()
    r = rubdown("log", "massage", "--type", "thai", "--minutes", "60", "--cost", "$85", fast=fast)
    assert r.exit_code == 0 and "85.00 USD" in r.stderr
    config_file.write_text('currency = "EUR"\n')
    r = rubdown("log", "massage", "--type", "thai", "--minutes", "60", "--cost", "85€", fast=fast)
    assert r.exit_code == 0 and "85.00 EUR" in r.stderr
    assert "costs are in EUR" in one_usage_line(rubdown("edit", "1", "--cost", "$90"))


@pytest.mark.parametrize("written", ["eur", " Eur ", "EUR"])
def test_a_currency_code_in_the_config_is_read_in_capitals(rubdown, config_file, written):
    config_file.write_text(f'currency = "{written}"\n')
    r = rubdown("log", "massage", "--type", "thai", "--minutes", "60", "--cost", "85 eur")
    assert r.exit_code == 0 and "85.00 EUR" in r.stderr, r.stderr
    assert "costs are in EUR" in one_usage_line(rubdown("edit", "1", "--cost", "$90"))


def test_minutes_are_whole_as_cents_are(rubdown, db_file):
    r = rubdown("log", "self-care", "--type", "yoga", "--minutes", "1.5")
    assert "whole minutes" in one_usage_line(r)
    r = rubdown("log", "massage", "--type", "thai", "--minutes", "60", "--cost", "85.555")
    assert "2 decimals" in one_usage_line(r)
    assert not db_file.exists()
    assert rubdown("log", "self-care", "--type", "yoga", "--minutes", "1.5h").exit_code == 0


@pytest.mark.parametrize(("every", "days"), [("weekly", 7), ("biweekly", 14),
                                             ("fortnightly", 14), ("monthly", 30), ("2w", 14)])
def test_documented_cadences_are_accepted(rubdown, every, days):
    r = rubdown("report", "--json", "--every", every)
    assert r.exit_code == 0, r.stderr
    assert r.json()["regularity"]["every_days"] == days


def test_a_bare_number_cadence_asks_for_its_unit(rubdown, config_file):
    assert "14d or 14w" in one_usage_line(rubdown("report", "--every", "14"))
    config_file.write_text('[massage]\nevery = "fortnightly"\n')
    assert rubdown("report", "--json").json()["regularity"]["every_days"] == 14
    config_file.write_text("[massage]\nevery = 14\n")
    r = rubdown("report")
    assert r.exit_code == 1 and "massage.every" in r.stderr


# One wording for usage errors, whichever path reads the line.
SAME_WORDS = [
    (["log", "run", "--date", "xx"], "Error: --date: Invalid date 'xx'"),
    (["log", "run", "--type", "swimming"], "Error: --type: Unknown run type 'swimming'"),
    (["report", "--format", "xml"], "Error: --format: 'xml' is not a format"),
    (["report", "--weeks", "abc"], "Error: --weeks: 'abc' is not a whole number; use 1 to 520"),
    (["report", "--weeks", "0"], "Error: --weeks: '0' is out of range; use 1 to 520"),
    (["report", "--since", "2027-01-01"], "Error: --since: "),
    (["report", "--weeks", "4", "--since", "sat"], "Error: Choose one way to set the period"),
    (["edit", "1"], "Error: Nothing to change: give the fields to change"),
    (["log", "swim"], "Error: No such command 'rubdown log swim'. Commands: run, massage"),
    (["swim"], "Error: No such command 'rubdown swim'. Commands: log, list"),
    (["log", "self-care", "--type", "yoga", "--minutes", "5", "--cost", "5"],
     "Error: No such option '--cost'. Options of 'rubdown log self-care': --type, --minutes"),
    (["log", "massage", "--type", "thai", "--minutes", "5", "--cst", "5"],
     "Error: No such option '--cst'. Did you mean '--cost'?"),
    (["log", "massage", "--type", "thai"], "Error: --minutes is required: Length in minutes"),
    (["log", "run", "--distance"], "Error: --distance needs a value"),
    (["edit", "1", "--rpe", "5"], "Error: --rpe: a massage has no rpe; fields of a massage:"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "start"), SAME_WORDS, ids=[" ".join(a) for a, _ in SAME_WORDS])
@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
def test_usage_errors_have_one_wording(rubdown, args, start, fast):
    assert rubdown("log", "massage", "--type", "thai", "--minutes", "60").exit_code == 0
    line = one_usage_line(rubdown(*args, fast=fast))
    assert line.startswith(start), line
    assert "Invalid value" not in line and "Possible options" not in line
    if "--cost" in args and "self-care" in args:
        assert "--note" not in line.split("Options")[0]


def test_the_two_runs_of_a_repeated_hour_are_told_apart(rubdown):
    first = rubdown("log", "run", "--distance", "5k", "--date", "2026-11-01T01:30:00-04:00")
    second = rubdown("log", "run", "--distance", "6k", "--date", "2026-11-01T01:30:00-05:00")
    assert "Sun 1 Nov 01:30 -04:00 ·" in first.stderr
    assert "Sun 1 Nov 01:30 -05:00 ·" in second.stderr
    listed = rubdown("list").stdout
    assert "Sun 2026-11-01 01:30 -04:00" in listed and "Sun 2026-11-01 01:30 -05:00" in listed
    rubdown("log", "run", "--distance", "5k", "--date", "2026-11-01 03:30")
    assert "03:30 -0" not in rubdown("list").stdout  # not a repeated time: no offset


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "typer"])
def test_a_time_the_clocks_skipped_is_said(rubdown, fast):
    r = rubdown("log", "run", "--distance", "5k", "--date", "2026-03-08 02:30", fast=fast)
    assert r.exit_code == 0
    assert r.stderr.startswith("Logged run #1 · Sun 8 Mar 03:30 · 5.00 km · easy · ")
    assert "02:30 did not exist" in r.stderr and "so it is 03:30" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_a_run_logged_today_in_the_morning_is_in_todays_report(rubdown, monkeypatch):
    monkeypatch.setenv("RUBDOWN_NOW", "2026-12-01T07:45:30-05:00")
    r = rubdown("log", "run", "--distance", "10k", "--date", "today")
    assert r.exit_code == 0 and "Tue 1 Dec ·" in r.stderr, r.stderr
    week = rubdown("report", "--weeks", "1", "--json").json()["weeks"][-1]
    assert (week["runs"], week["distance_m"]) == (1, 10000.0)
