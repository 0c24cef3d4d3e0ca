"""The use cases (``rubdown.app``) called as Python: values in, values out,
nothing printed; every bad value a ``UsageError`` naming its option."""

from __future__ import annotations

import pytest

from rubdown import app
from rubdown.app import reporting
from rubdown.errors import ParseError, UsageError


def test_log_reads_each_typed_field_and_returns_the_stored_record(capsys):
    written = app.log("massage", {"type": "Deep Tissue", "minutes": "1h30m",
                                  "cost_cents": "95.50", "focus": "calves,hamstrings",
                                  "start": "2026-11-28 18:00"})  # fmt: skip
    record = written.record
    assert record.id == 1 and record.kind == "massage"
    assert (record.type, record.minutes, record.cost_cents) == ("deep-tissue", 90, 9550)
    assert tuple(record.focus) == ("calves", "hamstrings")
    assert written.when is not None and written.when.timed
    assert capsys.readouterr() == ("", "")  # the CLI says it, not the use case


def test_a_run_not_given_a_type_or_date_is_easy_and_now():
    written = app.log("run", {"distance_m": "5k"})
    assert written.record.type == "easy"
    assert written.record.start == written.now.replace(second=0, microsecond=0)


def test_the_first_bad_value_is_the_same_whatever_order_it_was_typed_in():
    typed = {"rpe": "11", "distance_m": "ten", "type": "swimming"}
    errors = set()
    for order in (typed, dict(reversed(typed.items()))):
        with pytest.raises(ParseError) as caught:
            app.log("run", order)
        errors.add((caught.value.option, str(caught.value)))
    assert len(errors) == 1
    assert errors.pop()[0] == "--type"


def test_a_pace_that_cannot_be_says_how_the_values_were_read():
    with pytest.raises(ParseError, match="'100m' is metres") as caught:
        app.log("run", {"distance_m": "100m", "duration_s": "30"})
    assert caught.value.option == "--distance and --time"


def test_edit_clears_what_may_be_cleared_and_names_what_may_not():
    app.log("run", {"distance_m": "5k", "note": "windy", "rpe": "6"})
    after = app.edit(1, {"note": "", "rpe": "7"}).record
    assert (after.note, after.rpe) == (None, 7)
    with pytest.raises(UsageError) as caught:
        app.edit(1, {"type": " "})
    assert caught.value.option == "--type" and "cannot be empty" in str(caught.value)
    with pytest.raises(UsageError, match="a run has no minutes; fields of a run: --type"):
        app.edit(1, {"minutes": "30"})
    with pytest.raises(UsageError, match="nothing to change"):
        app.edit(1, {"note": None})


def test_a_report_is_a_value_with_its_notices(capsys):
    app.log("run", {"distance_m": "10k", "duration_s": "50:00", "start": "2026-11-20"})
    page = reporting.report(until="2026-12-25")
    assert page.notices == ("--until 2026-12-25 is after today: the report ends now, "
                            "2026-11-29.",)  # fmt: skip
    assert page.report.to_json()["period"]["until"] == "2026-11-29"
    assert [w.runs for w in page.report.weeks][-2:] == [1, 0]
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"weeks": 4, "since": "2026-10-01"}, None),
        ({"since": "2026-11-20", "until": "2026-11-01"}, "--since"),
        ({"within": "soon"}, "--within"),
        ({"week": "2099-W01"}, "--week"),
    ],
)
def test_report_options_that_cannot_be_taken_are_usage_errors(options, option):
    with pytest.raises(UsageError) as caught:
        reporting.report(**options)
    assert caught.value.option == option


def test_formats_and_their_conflicts():
    assert app.output_format(None, False) == "table"
    assert app.output_format(None, True) == "json"
    assert app.output_format(" MD ", False) == "markdown"
    with pytest.raises(UsageError) as caught:
        app.output_format("xml", False)
    accepted = "use one of table, json, csv, markdown."
    assert str(caught.value) == f"--format: 'xml' is not a format; {accepted}"
    with pytest.raises(UsageError) as caught:
        app.output_format("csv", True)
    assert caught.value.option == "--json"
