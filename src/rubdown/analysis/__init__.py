"""The pure analysis behind ``rubdown report``.

Values in, values out: no typer, rich or database here. See SPEC sections 3-6
and docs/metrics.md for the definitions.
"""

from .efforts import (
    RELAY_SPAN,
    Effort,
    HardEffortRules,
    RunGroup,
    event_groups,
    hard_efforts,
    run_end,
)
from .followup import LATE, MISSED, ON_TIME, PENDING, STATUSES, FollowUp, Session, follow_ups
from .regularity import Regularity, regularity
from .report import Attention, EffortLine, Recovery, Report, Waiting, build_report
from .weeks import (
    MONDAY,
    SUNDAY,
    WeekRow,
    week_first_day,
    week_label,
    weekly_rows,
    weeks_overlapping,
)

__all__ = [
    "LATE",
    "MISSED",
    "MONDAY",
    "ON_TIME",
    "PENDING",
    "RELAY_SPAN",
    "STATUSES",
    "SUNDAY",
    "Attention",
    "Effort",
    "EffortLine",
    "FollowUp",
    "HardEffortRules",
    "Recovery",
    "Regularity",
    "Report",
    "RunGroup",
    "Session",
    "Waiting",
    "WeekRow",
    "build_report",
    "follow_ups",
    "event_groups",
    "hard_efforts",
    "regularity",
    "run_end",
    "week_first_day",
    "week_label",
    "weekly_rows",
    "weeks_overlapping",
]
