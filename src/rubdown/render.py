"""Everything rubdown shows: one-line confirmations, record tables, JSON, CSV, markdown.

User text (notes, names, events) is data. ``clean`` makes it safe for a
terminal: control characters (ESC, OSC, C1), bidi overrides and isolates are
shown as visible escapes, never emitted raw; styled output goes through
``rich.text.Text`` with markup off, so ``[bold]`` or ``[/]`` in a note are
printed literally.
rich is imported only to style text on a colour terminal.
"""

from __future__ import annotations

from datetime import datetime

from rubdown.formatting import (
    dated_time,
    format_cost,
    format_distance,
    format_duration,
    format_pace,
    when_label,
)
from rubdown.models import CheckIn, Massage, Plan, Record, Run, SelfCare

TYPE_CHECKING = False  # typing itself costs milliseconds at startup
if TYPE_CHECKING:
    import re
    from typing import TextIO

    from rich.console import Console

# C0 controls but TAB/LF, DEL, C1 controls, bidi embeddings/overrides/isolates,
# the line/paragraph separators that can move a terminal's cursor, and lone
# surrogates (bytes that were not UTF-8 in a command line, which no terminal
# can be sent). Compiled on first use (``_pattern``): a pattern costs a
# command start-up more than the text it usually meets, plain printable ASCII,
# which needs none.
_UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
_COMPILED: dict[str, re.Pattern] = {}


def _pattern(source: str) -> re.Pattern:
    compiled = _COMPILED.get(source)
    if compiled is None:
        import re  # with enum: a sixth of a ``due --short``, for text that is rarely there

        compiled = _COMPILED[source] = re.compile(source)
    return compiled


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # the byte Python kept of what was not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# What json.dumps leaves raw that a terminal may act on: it escapes C0 controls
# itself, but not DEL, C1 controls, bidi controls or line separators.
_JSON_UNSAFE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def dumps(value: object, *, indent: int | None = None) -> str:
    """JSON text in which every character that could act on a terminal is an
    escape (``\\u202e``): it parses back to exactly ``value``, and printing it
    sends no control character to a terminal."""
    import json

    return _inert(json.dumps(value, indent=indent, ensure_ascii=False))


def _inert(text: str) -> str:
    """JSON text with what ``json`` leaves raw that a terminal may act on escaped."""
    if text.isascii() and "\x7f" not in text:  # both near-free; the pattern is not
        return text
    return _pattern(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def clean(text: str | None, *, one_line: bool = True) -> str:
    """User text made safe to print: escapes visible, newlines folded if ``one_line``."""
    if not text:
        return ""
    if text.isascii() and text.isprintable():  # no control, tab or newline
        return text
    text = _pattern(_UNSAFE).sub(_escape, text)
    if one_line:
        text = text.replace("\t", " ").replace("\n", " ")
    return text


def shown_path(path: object) -> str:
    """A file name as printed: inert like notes (``clean``), on one line (a
    newline in it shown as ``\\n``), bytes that are not UTF-8 as ``\\xe9``."""
    import os

    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    return clean(text, one_line=False).replace("\n", "\\n")


def run_role(run: Run, *, with_type: bool = True) -> str:
    """``relay leg 2, Ragnar``: the run's type (``with_type``), leg and event;
    ``""`` when there is none of them."""
    words = [run.type] if with_type else []
    if run.leg is not None:
        words.append(f"leg {run.leg}")
    role = " ".join(words)
    if run.event:
        role = f"{role}, {clean(run.event)}" if role else clean(run.event)
    return role


def run_facts(run: Run, units: str, *, with_type: bool = True) -> list[str]:
    facts = []
    if run.distance_m and run.duration_s:
        facts.append(
            f"{format_distance(run.distance_m, units)} in {format_duration(run.duration_s)}"
            f" ({format_pace(run.distance_m, run.duration_s, units)})"
        )
    elif run.distance_m:
        facts.append(format_distance(run.distance_m, units))
    elif run.duration_s:
        facts.append(format_duration(run.duration_s))
    role = run_role(run, with_type=with_type)
    if role:
        facts.append(role)
    if run.rpe is not None:
        facts.append(f"RPE {run.rpe}")
    return facts


def facts(record: Record, units: str, currency: str, *, with_type: bool = True) -> list[str]:
    """The key facts of a record, each a short phrase."""
    if isinstance(record, Run):
        return run_facts(record, units, with_type=with_type)
    if isinstance(record, Plan):
        return plan_facts(record, units, currency, with_type=with_type)
    if isinstance(record, CheckIn):
        return check_in_facts(record)
    assert isinstance(record, Massage | SelfCare)  # a record is a run, massage, self-care or plan
    out = [f"{record.type} {record.minutes} min" if with_type else f"{record.minutes} min"]
    out += _massage_facts(record, currency)
    if isinstance(record, SelfCare) and record.areas:
        out.append("areas " + ", ".join(clean(a) for a in record.areas))
    return out


def check_in_facts(check_in: CheckIn) -> list[str]:
    """``soreness 6/10 (calves 6, left-hamstrings 4) · fatigue 3/5 · sleep 4/5``:
    how the runner rated the day, each value given."""
    out = []
    if check_in.soreness is not None:
        sore = ", ".join(f"{clean(area)} {n}" for area, n in check_in.sore)
        out.append(f"soreness {check_in.soreness}/10" + (f" ({sore})" if sore else ""))
    elif check_in.sore:
        out.append("sore " + ", ".join(f"{clean(area)} {n}" for area, n in check_in.sore))
    for name in ("fatigue", "sleep", "stress", "mood"):
        value = getattr(check_in, name)
        if value is not None:
            out.append(f"{name} {value}/5")
    return out


def check_in_line(check_in: CheckIn, now: datetime, kept: tuple[str, ...] | None) -> str:
    """``Logged check-in #7 · Tue 1 Dec · soreness 6/10 (calves 6)``, or
    ``Updated check-in #7 · … · kept sleep, mood`` when the day had one."""
    verb = "Logged" if kept is None else "Updated"
    parts = [f"{verb} check-in #{check_in.id}", when_label(check_in.start, now, with_time=False)]
    parts += facts(check_in, "km", "")
    if kept:
        parts.append(f"kept {', '.join(kept)} from the day's check-in")
    elif kept is not None:
        parts.append("replaced the day's values")
    return " · ".join(parts)


def _massage_facts(record: Record, currency: str) -> list[str]:
    out = []
    if isinstance(record, Massage | Plan):
        if record.therapist:
            out.append(f"with {clean(record.therapist)}")
        if record.cost_cents is not None:
            out.append(f"{format_cost(record.cost_cents)} {currency}")
        if record.focus:
            out.append("focus " + ", ".join(clean(f) for f in record.focus))
    return out


def plan_facts(plan: Plan, units: str, currency: str, *, with_type: bool = True) -> list[str]:
    """``massage sports 60 min · with Ana``: the kind planned (and its type,
    ``with_type``), the planned values, and ``skipped`` (with the reason)."""
    head = plan.plan_kind
    if with_type and plan.type is not None:
        head += f" {plan.type}"
    out = [head]
    if plan.plan_kind == "run":
        run = Run(None, plan.start, plan.type or "", plan.distance_m, plan.duration_s,
                  None, plan.event, plan.leg)  # fmt: skip
        out += run_facts(run, units, with_type=False)
    else:
        if plan.minutes is not None:
            out[0] += f" {plan.minutes} min"
        out += _massage_facts(plan, currency)
    if plan.skipped:
        out.append(f"skipped ({clean(plan.skip_reason)})" if plan.skip_reason else "skipped")
    return out


def summary(
    record: Record,
    units: str,
    currency: str,
    now: datetime | None = None,
    *,
    with_time: bool | None = None,
) -> str:
    """``run #12 · Sat 21 Nov · 10.2 km in 58:30 (5:44/km) · relay leg 2, Ragnar``
    (``with_time``: see :func:`when_label`)."""
    parts = [f"{record.kind} #{record.id}", when_label(record.start, now, with_time=with_time)]
    parts += facts(record, units, currency)
    return " · ".join(parts)


def record_json(record: Record) -> dict:
    """One record in the stable ``list --json`` shape (SPEC 6b), read from
    the field table (``fields.record_to_json``)."""
    from rubdown.fields import record_to_json

    return record_to_json(record)


def show_value(value: object) -> str:
    """A JSON value as ``show`` prints it: user text cleaned, lists joined."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(clean(str(v)) for v in value)
    if isinstance(value, dict):  # a check-in's sore areas
        return ", ".join(f"{clean(str(k))} {v}" for k, v in value.items())
    return clean(str(value), one_line=False)


LIST_COLUMNS = ("id", "date", "kind", "type", "details", "note")


def list_table(
    records: list[Record], units: str, currency: str
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The columns and rows of ``list``: ``LIST_COLUMNS``, and a ``source``
    column when any record shown was imported (what file it came from)."""
    with_source = any(r.source for r in records)
    rows: list[tuple[str, ...]] = []
    for r in records:
        details = facts(r, units, currency, with_type=False)
        row = (
            str(r.id),
            r.start.strftime("%a %Y-%m-%d") if isinstance(r, CheckIn) else dated_time(r.start),
            r.kind,
            r.type or ("any" if isinstance(r, Plan) else ""),
            " · ".join(details),
            clean(r.note),
        )
        rows.append((*row, clean(r.source)) if with_source else row)
    return (*LIST_COLUMNS, "source") if with_source else LIST_COLUMNS, rows


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide East Asian characters count 2."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, with an ellipsis when cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


#: Before a shrinking column is cut below this many cells, a ``drop`` column goes.
COMFORT_CELLS = 16
#: No shrinking column is cut below this many cells.
MIN_CELLS = 8


def layout(
    columns: tuple[str, ...],
    rows: list[tuple[str, ...]],
    *,
    right: tuple[str, ...] = (),
    shrink: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
    width: int | None = None,
    gap: int = 2,
    dropped: list[str] | None = None,
) -> list[str]:
    """Rows as aligned plain-text lines, the header first.

    With a ``width``, the lines are made to fit it: the ``shrink`` columns
    are narrowed (ending in an ellipsis) in the order named, each as far as it
    can go before the next gives way (the list table names ``note`` before
    ``details``: a note is cut before a run's facts); before any of them would
    be cut below ``COMFORT_CELLS``
    (or when they cannot fit at all), the next ``drop`` column is left out
    (a name given twice drops two such columns, the rightmost first). Without
    ``drop`` columns left, the ``shrink`` columns go down to ``MIN_CELLS``.
    The names of the columns left out are appended to ``dropped``.
    """
    widths = [cell_width(c) for c in columns]
    for row in rows:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], cell_width(value))
    keep = list(range(len(columns)))
    if width is not None:
        pending_drops = list(drop)
        while True:
            fitted = _fit_widths(keep, columns, widths, shrink, width, gap, pending_drops)
            if fitted is not None:
                widths = fitted
                break
            name = pending_drops.pop(0)
            for i in reversed(keep):
                if columns[i] == name:
                    keep.remove(i)
                    if dropped is not None:
                        dropped.append(name)
                    break
    lines = []
    for row in (columns, *rows):
        cells = []
        for i in keep:
            value = fit(row[i], widths[i])
            pad = " " * (widths[i] - cell_width(value))
            cells.append(pad + value if columns[i] in right else value + pad)
        lines.append((" " * gap).join(cells).rstrip())
    return lines


def _fit_widths(
    keep: list[int],
    columns: tuple[str, ...],
    widths: list[int],
    shrink: tuple[str, ...],
    width: int,
    gap: int,
    drops_left: list[str],
) -> list[int] | None:
    """Widths that fit ``keep`` in ``width`` by shrinking, or None when a column
    should be dropped first (see ``layout``)."""
    out = list(widths)
    excess = sum(out[i] for i in keep) + gap * (len(keep) - 1) - width
    if excess <= 0:
        return out
    floor = COMFORT_CELLS if drops_left else MIN_CELLS
    for name in shrink:  # in the order named: the first gives way first
        for i in keep:
            if columns[i] == name and excess > 0 and out[i] > floor:
                cut = min(out[i] - floor, excess)
                out[i] -= cut
                excess -= cut
    if excess <= 0:
        return out
    return None if drops_left else out


class Out:
    """Text on stdout: styled through rich on a colour terminal, plain otherwise.

    In a pipe, or with ``NO_COLOR``, nothing but plain lines is written and
    rich is not even imported; lines are cut to fit only on a terminal.
    """

    def __init__(self) -> None:
        import os
        import sys

        self.stream = sys.stdout
        self.terminal = sys.stdout.isatty()
        self.fancy = (
            self.terminal and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        )
        self.width = None
        if self.terminal:
            import shutil  # on a terminal only: it brings fnmatch and re

            self.width = shutil.get_terminal_size().columns
        self._console: Console | None = None

    def line(self, text: str = "", style: str | None = None) -> None:
        text = clean(text, one_line=False)  # cells are cleaned already; this is the last guard
        if not (self.fancy and style):
            self.stream.write(text + "\n")
            return
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, emoji=False, markup=False, soft_wrap=True)
        from rich.text import Text

        self._console.print(Text(text, style=style))

    def table(
        self,
        columns: tuple[str, ...],
        rows: list[tuple[str, ...]],
        *,
        right: tuple[str, ...] = (),
        shrink: tuple[str, ...] = (),
        drop: tuple[str, ...] = (),
        gap: int = 2,
        indent: str = "",
    ) -> list[str]:
        """Print the table fitted to the terminal; return the columns left out."""
        width = None if self.width is None else self.width - len(indent)
        dropped: list[str] = []
        lines = layout(
            columns, rows, right=right, shrink=shrink, drop=drop, width=width, gap=gap,
            dropped=dropped,
        )  # fmt: skip
        self.line(indent + lines[0], style="bold")
        if self.fancy:
            self.line(indent + "─" * max(cell_width(x) for x in lines), style="dim")
        for text in lines[1:]:
            self.line(indent + text)
        return dropped


def emit_table(
    columns: tuple[str, ...],
    rows: list[tuple[str, ...]],
    fmt: str,
    *,
    right: tuple[str, ...] = (),
    shrink: tuple[str, ...] = (),
    drop: tuple[str, ...] = (),
    gap: int = 2,
) -> None:
    """Print rows as an aligned table, CSV or markdown (``shrink``/``drop``: see ``layout``)."""
    import sys

    if fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return
    if fmt == "markdown":
        def cell(value: str) -> str:  # a newline would end the table row
            return value.replace("|", "\\|").replace("\n", "<br>")

        print("| " + " | ".join(columns) + " |")
        print("|" + "|".join(" ---: " if c in right else " --- " for c in columns) + "|")
        for row in rows:
            print("| " + " | ".join(cell(v) for v in row) + " |")
        return
    Out().table(columns, rows, right=right, shrink=shrink, drop=drop, gap=gap)


def print_json(value: object) -> None:
    """JSON on stdout: indented on a terminal, compact (and much faster) in a pipe."""
    import sys

    indent = 2 if sys.stdout.isatty() else None
    sys.stdout.write(dumps(value, indent=indent))
    sys.stdout.write("\n")


def write_json(value: object, out: TextIO, *, indent: int | None = None) -> None:
    """``value`` as ``dumps`` writes it, byte for byte, but piece by piece:
    an ``Items`` list one item at a time, a ``Later`` value when reached, so
    a document whose lists are long is never held whole (``rubdown.streaming``).
    ``Items`` and ``Later`` stand as the values of a ``Fields`` object.
    """
    import json

    from rubdown.streaming import Fields, Items, Later

    encode = json.JSONEncoder(indent=indent, ensure_ascii=False).encode

    def write(value: object, depth: int) -> None:
        while isinstance(value, Later):
            value = value.make()
        pad = "\n" + " " * (indent * (depth + 1)) if indent is not None else ""
        close = "\n" + " " * (indent * depth) if indent is not None else ""
        comma = "," + pad if indent is not None else ", "
        if isinstance(value, Items):
            first = True
            for item in value.items:
                if value.batches:  # its items' text, as a list's, without brackets
                    if not item:
                        continue
                    text = _inert(encode(item))
                    if indent is None:
                        out.write(("[" if first else ", ") + text[1:-1])
                    else:
                        text = text.replace("\n", close) if depth else text
                        out.write(("[" if first else ",") + text[1:-len(close) - 1])
                else:
                    out.write("[" + pad if first else comma)
                    write(item, depth + 1)
                first = False
            out.write("[]" if first else close + "]")
        elif type(value) is Fields:
            first = True
            for key, item in value.items():
                out.write("{" + pad if first else comma)
                first = False
                out.write(_inert(encode(key)) + ": ")
                write(item, depth + 1)
            out.write(close + "}")
        else:
            text = _inert(encode(value))
            out.write(text if indent is None or not depth else text.replace("\n", close))

    write(value, 0)


def print_json_stream(value: object) -> None:
    """``print_json`` of a document with ``Items`` and ``Later`` parts."""
    import sys

    write_json(value, sys.stdout, indent=2 if sys.stdout.isatty() else None)
    sys.stdout.write("\n")


# -- plans -----------------------------------------------------------------------


def slip_words(slip_days: float) -> str:
    """``4.0 d late``, ``1.5 d early``, ``on its day`` (under a day either way)."""
    if abs(slip_days) < 1:
        return "on its day"
    return f"{abs(slip_days):.1f} d {'late' if slip_days > 0 else 'early'}"


def plan_status(item: object) -> str:
    """A plan's status in words: ``open``, ``done 4.0 d late (#14)``,
    ``skipped``, ``missed``."""
    status = item.status  # type: ignore[attr-defined]  # an analysis.plans.PlanOutcome
    if status == "done":
        return f"done {slip_words(item.slip_days)} (#{item.done_id})"  # type: ignore[attr-defined]
    return str(status)


def plan_json(item: object) -> dict:
    """A plan in ``plan list --json``: the plan as ``list --json`` shows it,
    then its ``status``, ``timing``, ``done_id`` and ``slip_days`` (2 decimals)."""
    from rubdown.fields import record_to_json

    slip = item.slip_days  # type: ignore[attr-defined]
    return {
        **record_to_json(item.plan),  # type: ignore[attr-defined]
        "status": item.status,  # type: ignore[attr-defined]
        "timing": item.timing,  # type: ignore[attr-defined]
        "done_id": item.done_id,  # type: ignore[attr-defined]
        "slip_days": None if slip is None else round(slip, 2),
    }


def plan_table(
    items: list, units: str, currency: str, now: datetime
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The columns and rows of ``plan list``."""
    rows: list[tuple[str, ...]] = [
        (
            str(item.plan.id),
            dated_time(item.plan.start),
            plan_status(item),
            " · ".join(plan_facts(item.plan, units, currency)),
            clean(item.plan.note),
        )
        for item in items
    ]
    return ("id", "planned", "status", "details", "note"), rows


# -- due --------------------------------------------------------------------------


def _in_days(seconds: float) -> str:
    """``20 h`` under two days, else ``3.5 d``."""
    hours = abs(seconds) / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} d"


def due_text(item: object, now: datetime, units: str, currency: str) -> str:
    """One thing due (an ``analysis.due.DueItem``) in words."""
    from rubdown.formatting import weekday_date

    what, due, subject = item.what, item.due, item.subject  # type: ignore[attr-defined]
    if what == "budget":
        from rubdown.render_spend import over_budget_line

        return over_budget_line(subject, currency)
    if what == "cadence":
        day = weekday_date(due, now.year)
        if item.overdue:  # type: ignore[attr-defined]
            return f"next massage by your cadence was due {day}"
        return f"next massage by your cadence: {day}"
    if what == "pending-effort":
        group = subject.effort.group
        first = group.runs[0]
        label = clean(group.event) if group.event else f"{first.type} run #{first.id}"
        left = _in_days(due.timestamp() - now.timestamp())
        return (f"recovery after {label}: none yet, {left} left in the window "
                f"(to {when_label(due, now, with_time=True)})")  # fmt: skip
    plan = subject
    words = " ".join(plan_facts(plan, units, currency)[:1])
    planned = when_label(plan.start, now, with_time=True)
    if what == "overdue-plan":
        ago = _in_days(now.timestamp() - due.timestamp())
        return f"plan #{plan.id} {words} was planned {planned} ({ago} ago), not done yet"
    if what == "upcoming-plan":
        ahead = _in_days(due.timestamp() - now.timestamp())
        return f"plan #{plan.id} {words}: {planned} (in {ahead})"
    # book-recovery
    day = weekday_date(plan.start.date(), now.year)
    event = clean(plan.event) if plan.event else f"the {plan.type} on {day}"
    return f"book recovery for {event} by {weekday_date(due.date(), now.year)}"


def due_json(items: list, now: datetime, units: str, currency: str) -> dict:
    """``due --json`` (SPEC 10): ``now`` and the items, most urgent first."""
    return {
        "now": now.isoformat(),
        "items": [
            {
                "what": item.what,
                "id": item.id,
                "due": None if item.due is None else item.due.isoformat(),
                "overdue": item.overdue,
                "text": due_text(item, now, units, currency),
            }
            for item in items
        ],
    }
