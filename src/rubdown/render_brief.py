"""``rubdown brief`` in words: markdown or one HTML page.

A brief is a list of sections (a heading, lines, perhaps a table) in plain
text; ``markdown`` and ``html`` escape every piece of it for their format.
It says what was logged, never what it means; notes, costs and therapist
names appear only when ``--include`` names them.
"""

from __future__ import annotations

from datetime import datetime

from rubdown.formatting import counted
from rubdown.render_html import DISCLAIMER, clock_time, distance, plain, shown, text
from rubdown.render_spend import amount
from rubdown.render_svg import STATUS_WORD, clean

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rubdown.app.brief import Brief

Table = tuple[list[str], list[list[str]]]
Section = tuple[str, list[str], "Table | None"]


def when(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}"


def day(value: object) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"  # type: ignore[attr-defined]


def iso_when(iso: str) -> str:
    return when(datetime.fromisoformat(iso))


def value(key: str, number: object, units: str = "km") -> str:
    """A number as the page shows it, unescaped (the renderers escape)."""
    if number is None:
        return "–"
    if isinstance(number, int | float) and key.endswith("_m"):
        return distance(number, units)
    if isinstance(number, int | float) and key.endswith("_s"):
        return clock_time(number)
    return shown(key, number).replace("&amp;", "&")


def effort_line(effort: dict, brief: Brief) -> str:
    what = effort.get("event") or "Hard effort"
    runs = ", ".join(f"#{i}" for i in effort["run_ids"])
    line = (f"{iso_when(effort['end'])}: {what} (runs {runs}), "
            f"{value('distance_m', effort.get('distance_m'), brief.units)} in "
            f"{value('duration_s', effort.get('duration_s'))}; hard by: "
            f"{', '.join(effort['reasons'])}. ")  # fmt: skip
    status = STATUS_WORD.get(effort["status"], effort["status"])
    follow = effort.get("follow_up")
    if follow is not None:
        line += (f"Followed by {follow['kind']} ({follow.get('type') or 'no type'}) "
                 f"{plain(effort['lag_hours'])} h later: {status}.")  # fmt: skip
    elif effort["status"] == "pending":
        line += f"No recovery logged yet ({plain(effort['waiting_hours'] or 0)} h): {status}."
    else:
        line += f"No recovery logged: {status}."
    if "notes" in brief.include:
        notes = [note for i in effort["run_ids"] if i in brief.runs
                 for note in (brief.runs[i].note,) if note]  # fmt: skip
        if notes:
            line += " Note: " + " / ".join(notes)
    return line


def massage_line(massage: object, brief: Brief) -> str:
    m = massage
    line = f"{when(m.start)}: {m.type}, {m.minutes} min"  # type: ignore[attr-defined]
    if m.focus:  # type: ignore[attr-defined]
        line += f"; focus: {', '.join(m.focus)}"  # type: ignore[attr-defined]
    if "therapist" in brief.include and m.therapist:  # type: ignore[attr-defined]
        line += f"; therapist: {m.therapist}"  # type: ignore[attr-defined]
    if "costs" in brief.include and m.cost_cents is not None:  # type: ignore[attr-defined]
        line += f"; cost: {amount(m.cost_cents, brief.currency)}"  # type: ignore[attr-defined]
    if "notes" in brief.include and m.note:  # type: ignore[attr-defined]
        line += f". Note: {m.note}"  # type: ignore[attr-defined]
    return line


def sections(brief: Brief) -> tuple[str, str, list[Section]]:
    """The brief's title, its period line and its sections, in plain text."""
    period = (f"From {day(brief.since)} ({brief.since_reason}) to {day(brief.until)}, "
              f"as logged up to {when(brief.now)}.")  # fmt: skip
    if brief.audience == "coach":
        return "Training brief for a coach", period, coach_sections(brief)
    return "Training brief for a massage therapist", period, therapist_sections(brief)


def efforts_section(title: str, brief: Brief) -> Section:
    efforts = brief.report["recovery"]["efforts"]
    lines = [effort_line(e, brief) for e in efforts] or ["No hard effort logged."]
    return title, lines, None


def therapist_sections(brief: Brief) -> list[Section]:
    out: list[Section] = []
    last = brief.last_massage
    out.append(("Last massage", [massage_line(last, brief)] if last else ["No massage logged."],
                None))  # fmt: skip
    out.append(efforts_section("Hard efforts since then" if last else "Hard efforts", brief))
    if brief.sore:  # from the period's check-ins (app.brief.sore_areas)
        out.append(("Sore areas and their trend",
                    [f"{area}: {' → '.join(str(n) for n in ratings)}"
                     for area, ratings in brief.sore], None))  # fmt: skip
    care = brief.self_care
    lines = []
    for session in care:
        line = f"{when(session.start)}: {session.type}, {session.minutes} min"
        if "notes" in brief.include and session.note:
            line += f". Note: {session.note}"
        lines.append(line)
    if care:
        lines.append(f"In all: {counted(len(care), 'session')}, "
                     f"{counted(sum(s.minutes for s in care), 'minute')}.")
    out.append(("Self-care done", lines or ["No self-care logged."], None))
    plan = brief.next_hard
    if plan is None:
        nxt = ["No hard effort is planned (no open run plan of a hard type)."]
    else:
        what = plan.event or f"{plan.type} run"
        size = f", {distance(plan.distance_m, brief.units)}" if plan.distance_m else ""
        nxt = [f"{when(plan.start)}: {what}{size} (plan #{plan.id})."]
    out.append(("Next planned hard effort", nxt, None))
    return out


WEEK_KEYS = (("runs", "runs"), ("distance_m", "distance"), ("duration_s", "time"),
             ("load", "load"), ("hard_efforts", "hard efforts"), ("massages", "massages"),
             ("self_care_minutes", "self-care min"), ("on_time", "on time"))  # fmt: skip
CONTEXT_KEYS = (("rpe_coverage", "RPE logged"), ("load_change", "change vs recent weeks"))


def coach_sections(brief: Brief) -> list[Section]:
    data = brief.report
    weeks = data["weeks"]
    keys = [*WEEK_KEYS, *((k, h) for k, h in CONTEXT_KEYS if any(k in w for w in weeks))]
    rows = [[w["week"], *(value(k, w.get(k), brief.units) for k, _ in keys)] for w in weeks]
    out: list[Section] = [("Weeks", [], (["week", *(h for _, h in keys)], rows))]
    plans = data.get("plans") or {}
    if plans.get("planned"):
        lines = [f"{plans['planned']} planned: {plans['done']} done ({plans['on_day']} on their "
                 f"day, {plans['early']} early, {plans['late']} late), {plans['skipped']} "
                 f"skipped, {plans['missed']} missed, {plans['open']} open."]  # fmt: skip
        for item in plans["items"]:
            line = f"{iso_when(item['planned'])}: {item['plan_kind']} {item.get('type') or ''}"
            line = line.rstrip() + f": {item['status']}"
            if item.get("slip_days") is not None:
                line += f", slip {plain(item['slip_days'])} days (#{item['done_id']})"
            lines.append(line + ".")
    else:
        lines = ["No plan lies in this block."]
    out.append(("Plans against what was done", lines, None))
    rec = data["recovery"]
    title, effort_lines, _ = efforts_section("Follow-up of each hard effort", brief)
    if rec["efforts"]:
        effort_lines.insert(0, f"{counted(rec['hard_efforts'], 'hard effort')}: " + ", ".join(
            f"{rec[s]} {STATUS_WORD[s]}" for s in STATUS_WORD) + ".")  # fmt: skip
    out.append((title, effort_lines, None))
    wellness = data.get("wellness") or {}
    felt = [w for w in wellness.get("weeks", []) if w.get("check_ins")]
    if felt:
        out.append(("How it felt (check-ins)", [], (
            ["week", "check-ins", "soreness", "fatigue", "sleep"],
            [[w["week"], *(value(k, w.get(k)) for k in ("check_ins", "soreness_mean",
                                                       "fatigue_mean", "sleep_mean"))]
             for w in felt])))  # fmt: skip
    if brief.include & {"costs", "therapist", "notes"}:
        lines = [massage_line(m, brief) for m in brief.massages] or ["No massage logged."]
        if "costs" in brief.include:
            paid = [m.cost_cents for m in brief.massages if m.cost_cents is not None]
            lines.append(f"Cost in all: {amount(sum(paid), brief.currency)} over "
                         f"{counted(len(paid), 'massage')} with a cost.")  # fmt: skip
        out.append(("Massages", lines, None))
    return out


# -- markdown ------------------------------------------------------------------

_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~&"})


def md(words: str) -> str:
    """Plain text for markdown: control characters shown as ``\\uXXXX``, and
    the characters markdown (or HTML inside it) acts on backslash-escaped."""
    return clean(words).translate(_MARKDOWN)


def markdown(brief: Brief) -> str:
    title, period, parts = sections(brief)
    out = [f"# {md(title)}", "", md(period), ""]
    for heading, lines, table in parts:
        out += [f"## {md(heading)}", ""]
        out += [f"- {md(line)}" for line in lines]
        if table is not None:
            head, rows = table
            out.append("| " + " | ".join(md(h) for h in head) + " |")
            out.append("|" + "---|" * len(head))
            out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
        out.append("")
    out.append(md(DISCLAIMER))
    return "\n".join(out) + "\n"


def html(brief: Brief) -> str:
    from rubdown.render_html import page
    from rubdown.render_html import table as html_table

    title, period, parts = sections(brief)
    body = [f"<header><h1>{text(title)}</h1><p class=\"sub\">{text(period)}</p></header>"]
    for heading, lines, table in parts:
        body.append(f"<section><h2>{text(heading)}</h2>")
        if lines:
            body.append("<ul>" + "".join(f"<li>{text(line)}</li>" for line in lines) + "</ul>")
        if table is not None:
            head, rows = table
            body.append(html_table(head, [[text(c) for c in row] for row in rows],
                                   numeric=range(1, len(head))))  # fmt: skip
        body.append("</section>")
    return page(title, "".join(body))
