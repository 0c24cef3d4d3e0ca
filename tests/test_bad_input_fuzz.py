"""Generated bad values for every option: always exit 2, one line, nothing written.

For each option, hypothesis draws values (hostile strings, numbers out of
range, unicode, control characters) and keeps those the option's own parser
refuses; the CLI must then refuse them the same way, without a traceback and
without touching the database.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import NOW, digest, invoke
from rubdown import parsing

NASTY = st.sampled_from(
    [
        "", " ", "nan", "NaN", "inf", "-inf", "1e309", "-1", "0", "-0", "11", "99999999999",
        "9" * 60, "1.5.5", "½", "٣", "\x00", "\x1b[31m", "\u202e1", "[bold]x[/]", "'; DROP TABLE",
        "2026-02-30", "2999-01-01", "1899-12-31", "25:99", "deep", "12 parsecs", "x" * 3000,
    ]
)
VALUES = st.one_of(
    NASTY,
    st.text(max_size=40),
    st.floats().map(str),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)

now = __import__("datetime").datetime.fromisoformat(NOW)


def one_of(*names: str):
    """A parser for a choice option (``--format``): refuses what is not a name."""

    def parse(value: str) -> str:
        if value.strip().lower() not in names:
            raise parsing.ParseError(f"not one of {names}")
        return value

    return parse


# (command prefix, option, the parser that decides what is bad)
OPTIONS = [
    (("log", "run"), "--date", lambda v: parsing.parse_when(v, now=now)),
    (("log", "run"), "--distance", parsing.parse_distance),
    (("log", "run"), "--time", parsing.parse_duration),
    (("log", "run"), "--type", parsing.parse_run_type),
    (("log", "run"), "--rpe", parsing.parse_rpe),
    (("log", "run"), "--leg", parsing.parse_leg),
    (("log", "run"), "--event", parsing.parse_name),
    (("log", "run"), "--note", parsing.parse_note),
    (("log", "massage", "--type", "sports"), "--minutes", parsing.parse_minutes),
    (("log", "massage", "--minutes", "60"), "--type", parsing.parse_massage_type),
    (("log", "massage", "--type", "thai", "--minutes", "60"), "--cost", parsing.parse_cost),
    (("log", "massage", "--type", "thai", "--minutes", "60"), "--focus", parsing.parse_focus),
    (("log", "massage", "--type", "thai", "--minutes", "60"), "--therapist", parsing.parse_name),
    (("log", "self-care", "--minutes", "10"), "--type", parsing.parse_self_care_type),
    (("log", "self-care", "--type", "yoga"), "--minutes", parsing.parse_minutes),
    (("list",), "--since", lambda v: parsing.parse_date(v, now=now)),
    (("list",), "--kind", parsing.parse_kind),
    (("edit", "1"), "--rpe", parsing.parse_rpe),
    (("edit", "1"), "--distance", parsing.parse_distance),
    (("edit", "1"), "--date", lambda v: parsing.parse_when(v, now=now)),
    (("report",), "--within", parsing.parse_hours),
    (("report",), "--every", parsing.parse_period_days),
    (("report",), "--week", parsing.parse_iso_week),
    (("report",), "--until", lambda v: parsing.parse_date(v, now=now)),
    (("list",), "--format", one_of("table", "json", "csv", "markdown", "md")),
    (("export",), "--format", one_of("json", "csv", "ics")),
    (("export",), "--since", lambda v: parsing.parse_date(v, now=now)),
]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """One database with a run in it, shared by the examples of a module."""
    return tmp_path_factory.mktemp("fuzz") / "rubdown.db"


@pytest.mark.parametrize(
    ("prefix", "option", "parse"), OPTIONS, ids=[f"{o[0][-1]}{o[1]}" for o in OPTIONS]
)
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much],
)
@given(value=VALUES)
def test_refused_values_exit_2_one_line_nothing_written(seeded, prefix, option, parse, value):
    try:
        parse(value)
    except parsing.ParseError:
        pass
    else:
        assume(False)  # the parser accepts it: not a bad value for this option
    assume(not (prefix[0] == "edit" and not value.strip()))  # edit: empty clears a field
    if not seeded.exists():
        assert invoke("--db", str(seeded), "log", "run", "--distance", "5k").exit_code == 0
    before = digest(seeded)
    r = invoke("--db", str(seeded), *prefix, f"{option}={value}")
    assert r.exit_code == 2, (value, r.stderr)
    lines = r.stderr.strip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    assert "Traceback" not in r.stderr
    assert "\x1b" not in r.stderr and "\u202e" not in r.stderr
    assert digest(seeded) == before
