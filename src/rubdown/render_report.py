"""How ``rubdown report`` looks: the table view, CSV and markdown.

The report itself is the typed value from ``analysis.build_report``
(``report --json`` is its ``to_json()``); this module only draws it. The
table view reads well at 80 columns, fits narrower terminals by leaving out
its least needed columns, and is plain text (no colour, no box lines) when
piped or with ``NO_COLOR``.

One rule for lags: always hours (``151.3 h``), as the window is. One rule for
dates: with the year when the date is not in the current year, or when the
report spans two years.
"""

from __future__ import annotations

from datetime import datetime

from rubdown.formatting import (
    counted,
    format_distance,
    format_duration,
    format_hours,
    long_date,
    short_date,
    weekday_date,
    when_label,
)
from rubdown.render import clean, emit_table

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    from rubdown.analysis.efforts import RunGroup
    from rubdown.analysis.report import EffortLine, Report
    from rubdown.analysis.weeks import WeekRow

BAR_WIDTH = 6
_EIGHTHS = " ▏▎▍▌▋▊▉"

WEEK_COLUMNS = (
    "week", "runs", "distance", "", "time", "load", "hard", "on time", "massage", "self-care", "",
)  # fmt: skip
WEEK_RIGHT = ("runs", "distance", "time", "load", "hard", "on time", "massage", "self-care")
#: Left out in this order when the terminal is too narrow ("" are the bars).
WEEK_DROP = ("", "", "load", "time", "self-care", "on time")
EFFORT_COLUMNS = ("ended", "effort", "why hard", "recovery", "lag", "status")
EFFORT_DROP = ("why hard", "recovery", "lag")
#: "Needs attention" names the next massage by the cadence this many days ahead.
DUE_SOON_DAYS = 7
WEEK_CSV_COLUMNS = (
    "week", "start", "runs", "distance_m", "duration_s", "load", "rpe_coverage", "load_change",
    "monotony", "strain", "hard_efforts", "massages", "massage_minutes", "self_care_minutes",
    "on_time",
)  # fmt: skip
LOAD_TITLE = "Load context (RPE × minutes): change vs your recent weeks, monotony, strain"
LOAD_COLUMNS = ("week", "rated", "change", "monotony", "strain", "")
LOAD_RIGHT = ("rated", "change", "monotony", "strain")


def bar(value: float, top: float, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``value / top`` of ``width`` cells, in eighths."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def year_shown(report: Report, now: datetime) -> int | None:
    """The year a date may be shown without (now's), or None when every date
    needs its year (the report spans two years)."""
    period = report.period
    if period.since.year != period.until.year:
        return None
    return now.year


def _day(moment: datetime, now: datetime, year: int | None) -> str:
    """``Sat 28 Nov 08:48`` (the year when not ``year``)."""
    return when_label(moment, now if year is not None else None)


def is_past(report: Report, now: datetime) -> bool:
    """Whether the report ends before now (``--until`` a past day, ``--week``)."""
    return report.period.end < now


def effort_label(group: RunGroup, units: str, *, with_distance: bool = True) -> str:
    """``Ragnar Relay (3 legs) 27.4 km`` or ``long run 21.1 km``."""
    members = group.runs
    if group.event:
        name = clean(group.event)
        if len(members) > 1:
            return f"{name} ({len(members)} legs)"
    else:
        kind = members[0].type if members else "run"
        name = f"{kind} run" if kind in ("long", "easy", "tempo") else kind
    distance_m = group.distance_m if with_distance else None
    if distance_m:
        name += f" {format_distance(distance_m, units)}"
    return name


def follow_up_label(effort: EffortLine, year: int | None = None) -> str:
    """``sports 6 Nov`` (the session's type and day), or why there is none."""
    session = effort.follow_up
    if session is None:
        return "none yet" if effort.status == "pending" else "none"
    return f"{session.type} {short_date(session.start.date(), year)}"


def attention_lines(report: Report, units: str, now: datetime) -> list[str]:
    """What needs doing now. A past report says nothing here: what was
    waiting at its end is history (its efforts table shows it as pending).
    The next massage by the cadence is named when it is due within
    ``DUE_SOON_DAYS`` days of the report's end, or overdue."""
    if is_past(report, now):
        return []
    year = year_shown(report, now)
    lines = []
    attention = report.attention
    for item in attention.pending:
        label = effort_label(item.group, units, with_distance=False)
        lines.append(
            f"{label}, ended {_day(item.group.end, now, year)}: no recovery yet "
            f"({format_hours(item.waiting_hours)}; {format_hours(item.hours_left)} left)"
        )
    due_day = attention.next_massage_due
    every = report.regularity.every_days
    if due_day and attention.last_massage is not None:
        when = weekday_date(due_day, year)
        last = _day(attention.last_massage, now, year)
        end_day = report.period.end.date()
        if attention.massage_overdue:
            lines.append(f"Massage overdue since {when} (every {every} days; last {last})")
        elif (due_day - end_day).days <= DUE_SOON_DAYS:
            lines.append(f"Next massage due {when} (every {every} days; last {last})")
    elif every and attention.last_massage is None:
        lines.append(f"No massage on record; the target is one every {every} days")
    month = report.spend.this_month
    if month is not None and month.over:
        from rubdown.render_spend import over_budget_line

        line = over_budget_line(month, report.spend.currency)
        lines.append(line[0].upper() + line[1:])
    if report.wellness.persistent:
        from rubdown.analysis.wellness import PERSISTENT_LINE

        lines.append(PERSISTENT_LINE)
    return lines


def week_rows(report: Report, units: str) -> list[tuple[str, ...]]:
    """Counts (runs, hard, on time) always as numbers, 0 included; amounts
    (distance, time, load, minutes) blank when nothing was recorded."""
    weeks: tuple[WeekRow, ...] = report.weeks
    top_distance = max((w.distance_m for w in weeks), default=0.0)
    top_recovery = max((w.massage_minutes + w.self_care_minutes for w in weeks), default=0)
    rows: list[tuple[str, ...]] = []
    for w in weeks:
        recovery = w.massage_minutes + w.self_care_minutes
        rows.append(
            (
                w.week,
                str(w.runs),
                format_distance(w.distance_m, units) if w.distance_m else "",
                bar(w.distance_m, top_distance),
                format_duration(w.duration_s) if w.duration_s else "",
                str(w.load) if w.load else "",
                str(w.hard_efforts),
                str(w.on_time),
                f"{w.massage_minutes} min" if w.massage_minutes else "",
                f"{w.self_care_minutes} min" if w.self_care_minutes else "",
                bar(recovery, top_recovery),
            )
        )
    return rows


def load_rows(report: Report) -> list[tuple[str, ...]]:
    """The load context (SPEC 13) of each week with runs: runs rated, the
    change vs the 4 weeks before, monotony, strain; when coverage leaves
    them out, why."""
    from rubdown.analysis.load import COVERAGE_MIN, covered

    rows: list[tuple[str, ...]] = []
    for w in report.weeks:
        if not w.runs:  # the weeks table shows it: 0 runs
            continue
        rated = f"{w.rated} of {w.runs}"
        if not covered(w.rpe_coverage):
            why = f"RPE on {w.rated} of {counted(w.runs, 'run')} (under {COVERAGE_MIN:.0%})"
            rows.append((w.week, rated, "", "", "", why))
            continue
        rows.append((
            w.week,
            rated,
            "" if w.load_change is None else f"{w.load_change:+.0%}",
            "" if w.monotony is None else f"{w.monotony:.2f}",
            "" if w.strain is None else str(w.strain),
            "",
        ))  # fmt: skip
    return rows


def effort_rows(report: Report, units: str, now: datetime) -> list[tuple[str, ...]]:
    year = year_shown(report, now)
    rows: list[tuple[str, ...]] = []
    for e in report.recovery.efforts:
        lag = format_hours(e.lag_hours) if e.lag_hours is not None else ""
        rows.append(
            (
                short_date(e.group.end.date(), year),
                effort_label(e.group, units),
                " ".join(e.reasons),
                follow_up_label(e, year),
                lag,
                e.status.replace("_", " "),
            )
        )
    return rows


def recovery_lines(report: Report) -> list[str]:
    rec = report.recovery
    counts = [
        counted(rec.hard_efforts, "hard effort"),
        f"{rec.on_time} on time",
        f"{rec.late} late",
        f"{rec.missed} missed",
        f"{rec.pending} pending",
    ]
    lines = [" · ".join(counts)]
    timing = []
    if rec.rate is not None:
        timing.append(f"on-time rate {rec.rate:.0%}")
    if rec.median_lag_hours is not None:
        median, longest = rec.median_lag_hours, rec.max_lag_hours
        timing.append(f"median lag {format_hours(median)}, longest {format_hours(longest)}")
    if timing:
        lines.append(" · ".join(timing))
    return lines


def regularity_lines(report: Report) -> list[str]:
    reg = report.regularity
    first = counted(reg.massages, "massage")
    if reg.every_days is not None:
        first += (
            f" · target one every {reg.every_days} days: {reg.met} of "
            f"{reg.periods} periods met, streak {reg.streak}"
        )
    lines = [first]
    if reg.median_gap_days is not None:
        lines.append(
            f"gap between massages: median {reg.median_gap_days:.1f} d, "
            f"longest {reg.longest_gap_days:.1f} d"
        )
    return lines


def plans_lines(report: Report) -> list[str]:
    """``3 planned · 2 done (1 on its day, 1 late) · 1 skipped · median slip
    4.0 d``; nothing when no plan lies in the period."""
    plans = report.plans
    if not plans["planned"]:
        return []
    done = f"{plans['done']} done"
    kinds = (("on_day", "on its day"), ("early", "early"), ("late", "late"))
    timing = [f"{plans[key]} {words}" for key, words in kinds if plans[key]]
    if timing:
        done += f" ({', '.join(timing)})"
    parts = [f"{plans['planned']} planned", done]
    parts += [f"{plans[key]} {key}" for key in ("skipped", "missed", "open") if plans[key]]
    lines = [" · ".join(parts)]
    if plans["median_slip_days"] is not None:
        lines.append(f"median slip {plans['median_slip_days']:+.1f} d (late is +)")
    weekly = _plans_by_week(report)
    if len(weekly) > 1:  # one week's line would repeat the total
        lines.append("by week: " + " · ".join(weekly))
    return lines


def _plans_by_week(report: Report) -> list[str]:
    """``2026-W47 2 planned, 1 done`` for each week of the period that has a
    plan: planned against done, by the week of each plan's own date."""
    from datetime import datetime, timedelta

    days = [(datetime.fromisoformat(item["planned"]).date(), item["status"] == "done")
            for item in report.plans["items"]]  # fmt: skip
    out = []
    for week in report.weeks:
        inside = [done for day, done in days if week.start <= day < week.start + timedelta(7)]
        if inside:
            out.append(f"{week.week} {len(inside)} planned, {sum(inside)} done")
    return out


def _spend_lines(report: Report) -> list[str]:
    """The *Spend* lines (``render_spend``), only when the period has a massage."""
    if not report.spend.massages:
        return []
    from rubdown.render_spend import spend_lines

    return spend_lines(report.spend)


def _rated(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def wellness_lines(report: Report, now: datetime) -> list[str]:
    """How the days were rated, compactly: a line per week with check-ins
    (``2026-W48: 4 check-ins · soreness 4.25 · fatigue 3.00 · sleep 3.50``)
    and one per massage with check-ins around it; nothing without check-ins."""
    wellness = report.wellness
    if not wellness.check_ins:
        return []
    lines = []
    for week in wellness.weeks:
        if week.check_ins:
            lines.append(f"{week.week}: {counted(week.check_ins, 'check-in')} · soreness "
                         f"{_rated(week.soreness_mean)} · fatigue {_rated(week.fatigue_mean)} · "
                         f"sleep {_rated(week.sleep_mean)}")  # fmt: skip
    year = year_shown(report, now)
    for item in wellness.around_massage:
        if item.n_before or item.n_after:
            lines.append(f"massage #{item.massage_id} {short_date(item.day, year)}: soreness "
                         f"{_rated(item.before)} before ({item.n_before}), "
                         f"{_rated(item.after)} after ({item.n_after})")  # fmt: skip
    return lines


def title_line(report: Report) -> str:
    period = report.period
    span = f"{long_date(period.since)} – {long_date(period.until)}"
    return f"rubdown report · {span} · on time = within {report.window_hours:g} h"


def print_table(report: Report, units: str, now: datetime) -> None:
    from rubdown.render import Out

    out = Out()
    out.line(title_line(report), style="bold")
    attention = attention_lines(report, units, now)
    if attention:
        out.line()
        out.line("Needs attention", style="bold yellow")
        for line in attention:
            out.line(f"  • {line}")
    out.line()
    dropped = out.table(
        WEEK_COLUMNS, week_rows(report, units), right=WEEK_RIGHT, drop=WEEK_DROP, gap=1
    )
    if any(w.runs for w in report.weeks):
        out.line()
        out.line(LOAD_TITLE, style="bold")
        out.table(LOAD_COLUMNS, load_rows(report), right=LOAD_RIGHT, shrink=("",), gap=1)
    out.line()
    out.line("Recovery after hard efforts", style="bold")
    for line in recovery_lines(report):
        out.line(f"  {line}")
    efforts = effort_rows(report, units, now)
    if efforts:
        dropped += out.table(
            EFFORT_COLUMNS, efforts, right=("lag",), shrink=("effort",), drop=EFFORT_DROP, gap=1
        )
    out.line()
    out.line("Massage regularity", style="bold")
    for line in regularity_lines(report):
        out.line(f"  {line}")
    planned = plans_lines(report)
    if planned:
        out.line()
        out.line("Plans", style="bold")
        for line in planned:
            out.line(f"  {line}")
    rated = wellness_lines(report, now)
    if rated:
        out.line()
        out.line("How you rated it", style="bold")
        for line in rated:
            out.line(f"  {line}")
    spent = _spend_lines(report)
    if spent:
        out.line()
        out.line("Spend", style="bold")
        for line in spent:
            out.line(f"  {line}")
    named = [name for name in dropped if name]
    if named:
        out.line()
        out.line(f"Too narrow to show: {', '.join(named)} (widen the terminal, or --format csv)")


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def print_csv(report: Report) -> None:
    rows = [tuple(_cell(getattr(w, c)) for c in WEEK_CSV_COLUMNS) for w in report.weeks]
    emit_table(WEEK_CSV_COLUMNS, rows, "csv")


def print_markdown(report: Report, units: str, now: datetime) -> None:
    print(f"# {title_line(report)}\n")
    attention = attention_lines(report, units, now)
    if attention:
        print("## Needs attention\n")
        for line in attention:
            print(f"- {line}")
        print()
    print("## Weeks\n")
    text = [i for i, name in enumerate(WEEK_COLUMNS) if name]  # no bars
    emit_table(
        tuple(WEEK_COLUMNS[i] for i in text),
        [tuple(row[i] for i in text) for row in week_rows(report, units)],
        "markdown",
        right=WEEK_RIGHT,
    )
    if any(w.runs for w in report.weeks):
        print(f"\n## {LOAD_TITLE}\n")
        emit_table(LOAD_COLUMNS[:-1] + ("note",), load_rows(report), "markdown",
                   right=LOAD_RIGHT)  # fmt: skip
    print("\n## Recovery after hard efforts\n")
    print("  \n".join(recovery_lines(report)) + "\n")
    efforts = effort_rows(report, units, now)
    if efforts:
        emit_table(EFFORT_COLUMNS, efforts, "markdown", right=("lag",))
        print()
    print("## Massage regularity\n")
    print("  \n".join(regularity_lines(report)))
    planned = plans_lines(report)
    if planned:
        print("\n## Plans\n")
        print("  \n".join(planned))
    rated = wellness_lines(report, now)
    if rated:
        print("\n## How you rated it\n")
        print("  \n".join(rated))
    spent = _spend_lines(report)
    if spent:
        print("\n## Spend\n")
        print("  \n".join(spent))
