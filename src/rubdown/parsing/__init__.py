"""What the user types → values (``rubdown.formatting`` is the way back).

Pure and stdlib-only: no typer, no rich, no database. It sits on the startup
path of every command, so the heavier stdlib modules (``re``, ``datetime``,
``difflib``, ``decimal``) are imported inside the functions that need them.

Every ``parse_*`` function takes a ``str`` and either returns a value or raises
``ParseError`` (never anything else), whose message is one line naming the bad
value and what is accepted. Patterns use ``re.ASCII`` so only ASCII digits
count as digits.

The readers live in four modules, all re-exported here (``from rubdown
import parsing; parsing.parse_distance(...)``): ``dates`` (when, ISO weeks,
windows, cadences), ``quantities`` (distance, duration, minutes, the pace
rule, RPE, leg, cost), ``words`` (types, kinds, units, focus areas, notes,
names) and ``_text`` (what they share: quoting a value in a message).
"""

from __future__ import annotations

from rubdown.errors import ParseError

from ._text import check_text, quoted, read_option
from .dates import (
    FUTURE_LIMIT_S,
    MAX_YEAR,
    MIN_YEAR,
    When,
    parse_date,
    parse_hours,
    parse_iso_week,
    parse_period_days,
    parse_when,
    read_plan_when,
    read_when,
)
from .quantities import (
    ACCOUNT_HELP,
    BUDGET_HELP,
    BUDGET_PERIODS,
    MAX_COST_CENTS,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    MAX_MINUTES,
    MIN_DISTANCE_M,
    PACE_MARGIN,
    SLOWEST_S_PER_KM,
    currency_marks,
    fastest_seconds,
    pace_problem,
    parse_account,
    parse_budget,
    parse_cost,
    parse_distance,
    parse_duration,
    parse_leg,
    parse_minutes,
    parse_rpe,
)
from .words import (
    MAX_FOCUS_AREAS,
    MAX_FOCUS_CHARS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_SOURCE_CHARS,
    SORENESS_RANGE,
    parse_area,
    parse_focus,
    parse_kind,
    parse_massage_type,
    parse_name,
    parse_note,
    parse_record_kind,
    parse_run_type,
    parse_self_care_type,
    parse_sore,
    parse_type,
    parse_units,
)

__all__ = [
    "ACCOUNT_HELP",
    "BUDGET_HELP",
    "BUDGET_PERIODS",
    "FUTURE_LIMIT_S",
    "MAX_COST_CENTS",
    "MAX_DISTANCE_M",
    "MAX_DURATION_S",
    "MAX_FOCUS_AREAS",
    "MAX_FOCUS_CHARS",
    "MAX_MINUTES",
    "MAX_NAME_CHARS",
    "MAX_NOTE_CHARS",
    "MAX_SOURCE_CHARS",
    "MAX_YEAR",
    "MIN_DISTANCE_M",
    "MIN_YEAR",
    "PACE_MARGIN",
    "SLOWEST_S_PER_KM",
    "SORENESS_RANGE",
    "ParseError",
    "When",
    "check_text",
    "read_option",
    "currency_marks",
    "fastest_seconds",
    "parse_account",
    "parse_area",
    "parse_budget",
    "parse_cost",
    "parse_date",
    "parse_distance",
    "parse_duration",
    "parse_focus",
    "parse_hours",
    "parse_iso_week",
    "parse_kind",
    "parse_leg",
    "parse_massage_type",
    "parse_minutes",
    "parse_name",
    "parse_note",
    "parse_period_days",
    "parse_rpe",
    "parse_record_kind",
    "parse_run_type",
    "parse_self_care_type",
    "parse_sore",
    "parse_type",
    "parse_units",
    "parse_when",
    "pace_problem",
    "quoted",
    "read_plan_when",
    "read_when",
]


