"""The pure analysis behind ``rubdown report``.

Values in, values out: no typer, rich or database here. See SPEC sections 3-6
and docs/metrics.md for the definitions.

The names below load with their module on first use: ``rubdown due`` (drawn
with every shell prompt) needs ``efforts``, ``followup``, ``plans`` and
``due``, not the report's weeks, regularity and statistics.
"""

# ``regularity`` is a module and a function: the function is bound here, as
# the import of the module would otherwise leave the module under that name.
from .regularity import Regularity, regularity

TYPE_CHECKING = False
if TYPE_CHECKING:
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

_LAZY = {
    "RELAY_SPAN": "efforts",
    "Effort": "efforts",
    "HardEffortRules": "efforts",
    "RunGroup": "efforts",
    "event_groups": "efforts",
    "hard_efforts": "efforts",
    "run_end": "efforts",
    "LATE": "followup",
    "MISSED": "followup",
    "ON_TIME": "followup",
    "PENDING": "followup",
    "STATUSES": "followup",
    "FollowUp": "followup",
    "Session": "followup",
    "follow_ups": "followup",
    "Attention": "report",
    "EffortLine": "report",
    "Recovery": "report",
    "Report": "report",
    "Waiting": "report",
    "build_report": "report",
    "MONDAY": "weeks",
    "SUNDAY": "weeks",
    "WeekRow": "weeks",
    "week_first_day": "weeks",
    "week_label": "weeks",
    "weekly_rows": "weeks",
    "weeks_overlapping": "weeks",
}

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


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rubdown.analysis' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"rubdown.analysis.{module}"), name)
