"""The field table (``rubdown.fields``): where each field is stored, how it
is written to and read from JSON (SPEC 6b), and what a JSON value of the
wrong shape is told. Everything else that reads the table (log, edit, list
--json, export, import) is tested through the command line elsewhere; these
pin the table's own answers, value by value."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from rubdown import fields
from rubdown.fields import BY_NAME, CSV_COLUMNS, JSONShapeError, json_order, of_kind, own
from rubdown.models import Massage, Run, SelfCare

EST = timezone(timedelta(hours=-5))
START = datetime(2026, 11, 21, 7, 30, tzinfo=EST)


def test_where_each_field_is_stored():
    assert fields.SHARED == ("type", "start", "note", "source")
    assert own("run") == ("distance_m", "duration_s", "rpe", "event", "leg")
    assert own("massage") == ("minutes", "therapist", "cost_cents", "focus")
    assert own("self-care") == ("minutes", "areas")
    assert own("check-in") == ("soreness", "sore", "fatigue", "sleep", "stress", "mood")
    assert own("plan") == (
        "distance_m", "duration_s", "event", "leg", "minutes", "therapist", "cost_cents",
        "focus", "plan_kind", "skipped", "skip_reason",
    )  # fmt: skip
    assert BY_NAME["note"].table("massage") == "records"
    assert BY_NAME["minutes"].table("massage") == "massages"
    assert BY_NAME["minutes"].table("self-care") == "self_care"
    assert BY_NAME["leg"].table("run") == "runs"
    assert [f.shared for f in of_kind("self-care")] == [True, True, False, True, True, False]
    assert BY_NAME["sore"].table("check-in") == "check_ins"
    assert "type" not in [f.name for f in of_kind("check-in")]  # a check-in has no type


def test_options_and_help_of_each_kind():
    assert fields.BY_OPTION["-D"] is BY_NAME["distance_m"]
    assert fields.BY_OPTION["--time"] is BY_NAME["duration_s"]
    assert BY_NAME["start"].option == "--date"
    assert BY_NAME["cost_cents"].option == "--cost"
    assert BY_NAME["type"].help_for("run") == "easy (default), long, tempo, intervals, race, relay."
    assert BY_NAME["type"].help_for("massage") == "swedish, deep-tissue, hot-stone, thai or sports."
    assert BY_NAME["type"].help_for("self-care") == "foam-roll, stretch, yoga or other."
    assert BY_NAME["minutes"].help_for("massage") == "Length in minutes (or 1h30m)."
    assert BY_NAME["minutes"].help_for("self-care") == "Length in minutes."
    assert BY_NAME["note"].help_for("run") == "A free-text note."
    assert [f.name for f in fields.FIELDS if not f.clearable] == [
        "type", "start", "minutes", "plan_kind", "skipped"
    ]
    assert BY_NAME["focus"].empty == () and BY_NAME["note"].empty is None
    assert BY_NAME["source"].options == ()


def test_json_order_and_csv_columns():
    assert [f.json_key for f in json_order("run")] == [
        "type", "start", "note", "distance_m", "duration_s", "rpe", "event", "leg", "source"
    ]
    assert [f.json_key for f in json_order("massage")] == [
        "type", "start", "note", "minutes", "therapist", "cost", "focus", "source"
    ]
    assert [f.json_key for f in json_order("self-care")] == [
        "type", "start", "note", "minutes", "areas", "source"
    ]
    assert [f.json_key for f in json_order("check-in")] == [  # SPEC 11: no type
        "start", "note", "soreness", "sore", "fatigue", "sleep", "stress", "mood", "source"
    ]
    assert [f.json_key for f in json_order("plan")] == [
        "type", "start", "note", "distance_m", "duration_s", "event", "leg", "minutes",
        "therapist", "cost", "focus", "plan_kind", "skipped", "skip_reason", "source",
    ]
    assert CSV_COLUMNS == ("id", "kind", "type", "start", "distance_m", "duration_s", "rpe",
                           "event", "leg", "minutes", "therapist", "cost", "focus", "note",
                           "source", "plan_kind", "skipped", "skip_reason", "areas", "soreness",
                           "sore", "fatigue", "sleep", "stress", "mood")  # fmt: skip


def test_records_to_json():
    massage = Massage(7, START, "sports", 60, "Ana", 8550, ("calves", "quads"), "ok", None)
    assert fields.record_to_json(massage) == {
        "id": 7, "kind": "massage", "type": "sports", "start": "2026-11-21T07:30:00-05:00",
        "note": "ok", "minutes": 60, "therapist": "Ana", "cost": "85.50",
        "focus": ["calves", "quads"], "source": None,
    }  # fmt: skip
    assert list(fields.record_to_json(massage)) == ["id", "kind", *(
        f.json_key for f in json_order("massage"))]  # fmt: skip
    free = Massage(8, START, "thai", 90)
    assert (fields.record_to_json(free)["cost"], fields.record_to_json(free)["focus"]) == (None, [])
    run = Run(9, START, "relay", 8046.72, 2400, 7, "Ragnar", 2, None, "gpx:leg2.gpx")
    assert fields.record_to_json(run)["leg"] == 2
    assert fields.record_to_json(run)["source"] == "gpx:leg2.gpx"
    assert fields.record_to_json(SelfCare(3, START, "yoga", 30))["minutes"] == 30
    assert BY_NAME["cost_cents"].to_json(5) == "0.05"
    assert BY_NAME["cost_cents"].to_json(None) is None
    assert BY_NAME["focus"].to_json(("a",)) == ["a"]
    assert BY_NAME["rpe"].to_json(4) == 4


@pytest.mark.parametrize(
    ("text", "cents"),
    [("85.50", 8550), ("85.5", 8550), ("0", 0), ("-3.10", -310), ("85.505", 8550.5),
     ("1e15", 10**17), ("1e16", 10**18), ("1e400", 10**18)],
)  # fmt: skip
def test_costs_from_json_are_whole_cents_or_refused_later(text, cents):
    value = BY_NAME["cost_cents"].from_json(text, "massage")
    assert value == cents and type(value) is type(cents)


@pytest.mark.parametrize("bad", [85, 85.5, "abc", "NaN", "Infinity", "", True, ["85"]])
def test_a_cost_that_is_not_decimal_text_is_refused_by_name(bad):
    with pytest.raises(JSONShapeError, match=r'^cost must be a decimal amount as text \(e\.g\. '):
        BY_NAME["cost_cents"].from_json(bad, "massage")


def test_each_shape_refused_names_its_key():
    cases = [
        ("note", 5, "run", "note must be text or null, not 5"),
        ("therapist", ["x"], "massage", "therapist must be text or null, not ['x']"),
        ("rpe", 7.5, "run", "rpe must be a whole number, not 7.5"),
        ("rpe", True, "run", "rpe must be a whole number, not True"),
        ("minutes", None, "massage", "minutes must be a whole number, not None"),
        ("distance_m", "10", "run", "distance_m must be a number of metres, not '10'"),
        ("distance_m", True, "run", "distance_m must be a number of metres, not True"),
        ("distance_m", float("inf"), "run", "distance_m must be a number of metres, not inf"),
        ("focus", "calves", "massage", "focus must be a list of text, not 'calves'"),
        ("focus", [1], "massage", "focus must be a list of text, not [1]"),
        ("type", 5, "self-care", "self-care type must be one of foam-roll, stretch, yoga, "
                                 "other, not 5"),
        ("start", "2026-11-21", "run", "start must be an ISO 8601 date-time with its UTC "
                                       "offset, not '2026-11-21'"),
        ("start", "soon", "run", "start must be an ISO 8601 date-time with its UTC offset, "
                                 "not 'soon'"),
        ("start", 5, "run", "start must be an ISO 8601 date-time with its UTC offset, not 5"),
    ]  # fmt: skip
    for name, value, kind, message in cases:
        with pytest.raises(JSONShapeError) as caught:
            BY_NAME[name].from_json(value, kind)
        assert str(caught.value) == message, name


def test_values_of_the_right_shape_come_back_as_model_values():
    assert BY_NAME["distance_m"].from_json(10000, "run") == 10000.0
    assert type(BY_NAME["distance_m"].from_json(10000, "run")) is float
    assert BY_NAME["distance_m"].from_json(None, "run") is None
    assert BY_NAME["rpe"].from_json(None, "run") is None
    assert BY_NAME["minutes"].from_json(45, "self-care") == 45
    assert BY_NAME["focus"].from_json(None, "massage") == ()
    assert BY_NAME["focus"].from_json(["calves"], "massage") == ("calves",)
    assert BY_NAME["note"].from_json(None, "run") is None
    assert BY_NAME["type"].from_json("not-a-type", "run") == "not-a-type"  # the limits refuse it
    assert BY_NAME["start"].from_json("2026-11-21T07:30:00-05:00", "run") == START


def test_a_record_of_json_reads_every_field_of_its_kind_and_no_other():
    raw = {"type": "sports", "start": "2026-11-21T07:30:00-05:00", "minutes": 60,
           "cost": "65.00", "distance_m": 5000, "note": None}  # fmt: skip
    assert fields.record_of_json("massage", raw) == {
        "type": "sports", "start": START, "note": None, "source": None, "minutes": 60,
        "therapist": None, "cost_cents": 6500, "focus": (),
    }  # fmt: skip
    with pytest.raises(JSONShapeError, match="^start must"):  # the shared fields first
        fields.record_of_json("massage", {**raw, "start": None, "minutes": "x"})
