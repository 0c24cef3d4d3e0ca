"""``report --format html``: one self-contained page with inline SVG charts.

The page is rendered from the report's JSON value (``Report.to_json()``, the
dict ``report --json`` prints), section by section, so it shows the same
sections and numbers by construction. Sections that other parts of rubdown
add to that dict (``wellness``, ``spend``, the load context keys of each
week) are shown when they are present and hold something.

Nothing external: no script, no style, font or image URL; a Content
Security Policy forbids any load. Every text from the log is escaped
(``render_svg.text``). Imported only by ``report --format html`` and
``brief --format html``.
"""

from __future__ import annotations

from datetime import date, datetime

from rubdown import render_svg as svg
from rubdown.formatting import counted
from rubdown.render_svg import STATUS_COLOUR, STATUS_WORD, Chart, text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

DISCLAIMER = "Self-reported training log, not medical advice."
PERCENT_KEYS = ("rate", "rpe_coverage", "load_change")
UNIT_METRES = {"km": 1000.0, "mi": 1609.344}

CSS = """
:root{color-scheme:light}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;
margin:0;background:#fff}
main{max-width:960px;margin:0 auto;padding:16px 20px 32px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em;
border-bottom:1px solid #ccc;padding-bottom:2px}h3{font-size:1em;margin:1em 0 .3em}
.sub{color:#555;margin:0 0 .6em}
.chart{display:block;max-width:100%;height:auto;margin:.4em 0 .6em}
figure{margin:0;break-inside:avoid;page-break-inside:avoid}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:12.5px;
font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid #e2e2e2;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n,th.n{text-align:right}
td.n,td:first-child,#weeks td:nth-child(2){white-space:nowrap}
.status{font-weight:600}.on_time{color:#00704f}.late{color:#8a5a00}
.missed{color:#a33a00}.pending{color:#1f6f9c}
.note{border-left:4px solid #E69F00;padding:4px 10px;background:#fff8e8}
.empty{font-size:1.1em;padding:12px;border:1px dashed #999}
footer{margin-top:2em;color:#555;font-size:12px;border-top:1px solid #ccc;padding-top:6px}
.wrap{overflow-x:auto}
@page{margin:12mm}
@media print{body{font-size:11px}main{max-width:none;padding:0}
h2{break-after:avoid;page-break-after:avoid}tr,li{break-inside:avoid}
thead{display:table-header-group}.wrap{overflow:visible}
table{font-size:9.5px}th,td{padding:1px 3px}
section{break-inside:auto}}
"""


# -- the numbers, as the page shows them -------------------------------------------


def plain(value: float | int) -> str:
    """A JSON number as it reads: whole numbers without a point, others as JSON has them."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def percent(value: float) -> str:
    return f"{value * 100:.2f}%"


def distance(metres: float, units: str = "km") -> str:
    return f"{metres / UNIT_METRES.get(units, 1000.0):.2f} {units}"


def clock_time(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def shown(key: str, value: object, units: str = "km") -> str:
    """A JSON value of ``key`` as the page writes it (escaped): metres as a
    distance, seconds as h:mm:ss, rates and changes as percentages, other
    numbers as JSON has them, null as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if key.endswith("_m"):
            return distance(value, units)
        if key.endswith("_s"):
            return clock_time(value)
        if key in PERCENT_KEYS:
            return percent(value)
        return plain(value)
    return text(value)


def day_label(iso: str) -> str:
    """``Sun 23 Aug 2026`` from an ISO date or date-time."""
    try:
        day = datetime.fromisoformat(iso).date() if "T" in iso else date.fromisoformat(iso)
    except ValueError:
        return text(iso)
    return f"{day:%a} {day.day} {day:%b %Y}"


def time_label(iso: str, *, year: bool = True) -> str:
    """``Sun 23 Aug 2026 10:10`` from an ISO date-time (``year``: False,
    ``Sun 23 Aug 10:10``)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return text(iso)
    day = day_label(iso)
    return f"{day if year else day[:-5]} {moment:%H:%M}"


def table(head: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A table of cells already escaped; ``numeric``: right-aligned columns."""
    def cell(tag: str, i: int, value: str) -> str:
        return f'<{tag} class="n">{value}</{tag}>' if i in numeric else f"<{tag}>{value}</{tag}>"

    heads = "".join(cell("th", i, text(h)) for i, h in enumerate(head))
    body = "".join("<tr>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>"
                   for row in rows)  # fmt: skip
    return (f'<div class="wrap"><table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody>'
            "</table></div>")


def status_words(status: str) -> str:
    return f'<span class="status {text(status)}">{text(STATUS_WORD.get(status, status))}</span>'


# -- the page --------------------------------------------------------------------------


def page(title: str, body: str) -> str:
    """A whole HTML document: the CSP allows the one inline style sheet (by
    its hash) and nothing else, so the page can load nothing."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(CSS.encode()).digest()).decode()
    policy = (f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
              "font-src 'none'; script-src 'none'; connect-src 'none'; base-uri 'none'; "
              "form-action 'none'")  # fmt: skip
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{text(title)}</title><style>{CSS}</style></head>"
        f"<body><main>{body}<footer>Made by rubdown from what was logged. {DISCLAIMER}"
        "</footer></main></body></html>\n"
    )


def is_empty(data: dict) -> bool:
    """Nothing logged in the period: no run, massage, self-care or plan."""
    quiet = all(not (w.get("runs") or w.get("massages") or w.get("self_care_minutes"))
                for w in data.get("weeks", []))  # fmt: skip
    return quiet and not data.get("plans", {}).get("planned")


def report_html(data: dict, units: str = "km") -> str:
    """The HTML page of a report's JSON value ``data``."""
    period = data["period"]
    title = f"Training log {period['since']} to {period['until']}"
    parts = [
        f"<header><h1>Training log: {day_label(period['since'])} to "
        f"{day_label(period['until'])}</h1>"
        f'<p class="sub">As logged up to {time_label(period.get("end", period["until"]))}. '
        f"Recovery within {shown('window_hours', data['window_hours'])} h of a hard effort "
        "counts as on time.</p></header>"
    ]
    if is_empty(data):
        parts.append('<p class="empty">Nothing is logged in this period yet: no run, massage, '
                     "self-care or plan. Log a session ('rubdown log run') and report again."
                     "</p>")  # fmt: skip
        return page(title, "".join(parts))
    parts.append(attention_section(data, units))
    parts.append(weeks_section(data, units))
    parts.append(recovery_section(data, units))
    parts.append(regularity_section(data))
    parts.append(plans_section(data))
    wellness = data.get("wellness")
    if wellness and (any(w.get("check_ins") for w in wellness.get("weeks", []))
                     or any(a.get("n_before") or a.get("n_after")
                            for a in wellness.get("around_massage", []))):  # fmt: skip
        parts.append(wellness_section(wellness))
    spend = data.get("spend")
    if spend and (spend.get("massages_with_cost") or spend.get("massages_without_cost")):
        parts.append(spend_section(spend))
    return page(title, "".join(parts))


# -- sections ------------------------------------------------------------------------


def attention_section(data: dict, units: str) -> str:
    attention = data["attention"]
    items = []
    for waiting in attention["pending"]:
        what = text(waiting["event"]) if waiting.get("event") else "Hard effort"
        runs = ", ".join(f"#{i}" for i in waiting["run_ids"])
        items.append(
            f"<li>{what} (runs {runs}; {text(', '.join(waiting['reasons']))}) ended "
            f"{time_label(waiting['end'])}: no recovery logged yet, "
            f"{shown('waiting_hours', waiting['waiting_hours'])} h since, "
            f"{shown('hours_left', waiting['hours_left'])} h left of the window.</li>"
        )
    if attention["last_massage"]:
        items.append(f"<li>Last massage: {time_label(attention['last_massage'])}.</li>")
    else:
        items.append("<li>No massage logged.</li>")
    if attention["next_massage_due"]:
        late = " (overdue)" if attention["massage_overdue"] else ""
        items.append(f"<li>Next massage by the cadence: {day_label(attention['next_massage_due'])}"
                     f"{late}.</li>")  # fmt: skip
    return f'<section id="attention"><h2>Needs attention</h2><ul>{"".join(items)}</ul></section>'


WEEK_KEYS = ("runs", "distance_m", "duration_s", "load", "hard_efforts", "massages",
             "massage_minutes", "self_care_minutes", "on_time")  # fmt: skip
LOAD_CONTEXT = ("rpe_coverage", "load_change", "monotony", "strain")  #: SPEC 13, when present
WEEK_HEAD = {"runs": "runs", "distance_m": "distance", "duration_s": "time", "load": "load",
             "hard_efforts": "hard efforts", "massages": "massages",
             "massage_minutes": "massage min", "self_care_minutes": "self-care min",
             "on_time": "on time", "rpe_coverage": "RPE logged", "load_change":
             "change vs recent weeks", "monotony": "monotony", "strain": "strain"}  # fmt: skip


def weeks_section(data: dict, units: str) -> str:
    weeks = data["weeks"]
    extra = [k for k in LOAD_CONTEXT if any(k in w for w in weeks)]
    keys = [*WEEK_KEYS, *extra]
    rows = []
    for w in weeks:
        by_type = ", ".join(f"{text(t)} {shown('', m)}" for t, m in
                            w.get("massage_minutes_by_type", {}).items())  # fmt: skip
        rows.append([text(w["week"]), day_label(w["start"])[4:-5],
                     *(shown(k, w.get(k), units) for k in keys), by_type or "–"])  # fmt: skip
    head = ["week", "from", *(WEEK_HEAD[k] for k in keys), "massage min by type"]
    return (
        '<section id="weeks"><h2>Weeks</h2>'
        f"<figure>{weeks_chart(weeks, units)}</figure>"
        + table(head, rows, numeric=range(2, 2 + len(keys)))
        + "</section>"
    )


def weeks_chart(weeks: Sequence[dict], units: str) -> str:
    left, right = 64.0, svg.WIDTH - 12.0
    changes = any(w.get("load_change") is not None for w in weeks)  # SPEC 13, when present
    height = 350.0 if changes else 330.0
    total_m = sum(w["distance_m"] for w in weeks)
    desc = (f"{len(weeks)} weeks from {weeks[0]['week']} to {weeks[-1]['week']}: "
            f"{distance(total_m, units)} run in all, load {sum(w['load'] for w in weeks)}, "
            f"{counted(sum(w['hard_efforts'] for w in weeks), 'hard effort')}, "
            f"{counted(sum(w['massages'] for w in weeks), 'massage')}, "
            f"{sum(w['self_care_minutes'] for w in weeks)} minutes of self-care. "
            + ("Under the load, each week's change vs the 4 weeks before it. " if changes else "")
            + "The table below gives each week's numbers.") if weeks else "No weeks."  # fmt: skip
    chart = Chart("chart-weeks", "Weekly distance and load, with hard efforts and recovery",
                  desc, height)  # fmt: skip
    per = UNIT_METRES.get(units, 1000.0)
    tips = [f"{w['week']}: {distance(w['distance_m'], units)}" for w in weeks]
    centres = svg.bar_panel(chart, top=24, height=100, left=left, right=right,
                            values=[w["distance_m"] / per for w in weeks], colour=svg.BLUE,
                            axis_label=f"distance ({units})", tips=tips)  # fmt: skip
    svg.bar_panel(chart, top=150, height=80, left=left, right=right,
                  values=[w["load"] for w in weeks], colour=svg.ORANGE,
                  axis_label="load (RPE × min)",
                  tips=[f"{w['week']}: load {w['load']}" for w in weeks])  # fmt: skip
    if not any(w["load"] for w in weeks):
        chart.label((left + right) / 2, 194, "No load: no run in these weeks has an RPE.",
                    anchor="middle", fill=svg.GREY)  # fmt: skip
    rows = (("triangle", svg.VERMILLION, "hard_efforts", "hard efforts"),
            ("circle", svg.GREEN, "massages", "massages"),
            ("square", svg.SKY, "self_care_minutes", "self-care min"))  # fmt: skip
    for r, (shape, colour, key, words) in enumerate(rows):
        y = 250 + r * 16
        chart.label(left - 4, y + 4, words, anchor="end", fill=svg.GREY, size=9)
        for centre, w in zip(centres, weeks, strict=True):
            if w[key]:
                chart.marker(centre - 6, y, shape, colour, f"{w['week']}: {w[key]} {words}")
                chart.label(centre + 1, y + 4, w[key], size=9)
    if changes:
        chart.label(left - 4, 302, "load change", anchor="end", fill=svg.GREY, size=9)
        for centre, w in zip(centres, weeks, strict=True):
            if w.get("load_change") is not None:
                chart.label(centre, 302, f"{w['load_change'] * 100:+.0f}%", anchor="middle",
                            size=9)  # fmt: skip
    step = max(1, round(len(weeks) / 18))
    for i, (centre, w) in enumerate(zip(centres, weeks, strict=True)):
        if i % step == 0:
            chart.label(centre, height - 18, w["week"].split("-")[-1], anchor="middle",
                        fill=svg.GREY, size=9)  # fmt: skip
    svg.legend(chart, 8, [("bar", svg.BLUE, "distance"), ("bar", svg.ORANGE, "load"),
                          ("triangle", svg.VERMILLION, "hard efforts"),
                          ("circle", svg.GREEN, "massages"),
                          ("square", svg.SKY, "self-care minutes")], x=120)  # fmt: skip
    return chart.svg()


def effort_name(effort: dict) -> str:
    what = effort.get("event") or ", ".join(effort["reasons"]) or "hard effort"
    return str(what)


def recovery_section(data: dict, units: str) -> str:
    rec = data["recovery"]
    summary = (
        f"{counted(rec['hard_efforts'], 'hard effort')}: "
        + ", ".join(f"{shown(s, rec[s])} {status_words(s)}"
                    for s in ("on_time", "late", "missed", "pending"))
        + f". On time: {shown('rate', rec['rate'])} of those decided. Lag to the follow-up: "
        f"median {shown('median_lag_hours', rec['median_lag_hours'])} h, longest "
        f"{shown('max_lag_hours', rec['max_lag_hours'])} h."
    )  # fmt: skip
    parts = [f'<section id="recovery"><h2>Recovery after hard efforts</h2><p>{summary}</p>']
    efforts = rec["efforts"]
    period = data["period"]
    many_years = period["since"][:4] != period["until"][:4]
    if efforts:
        parts.append(f"<figure>{recovery_chart(efforts, data['window_hours'])}</figure>")
        rows = []
        for e in efforts:
            follow = e.get("follow_up")
            after = "–"
            if follow:
                after = (f"{text(follow['kind'])} #{follow['id']} ({text(follow.get('type') or '')}"
                         f", {shown('minutes', follow.get('minutes'))} min), "
                         f"{time_label(follow['start'], year=many_years)}")  # fmt: skip
            what = text(", ".join(e["reasons"]))
            if e.get("event"):
                what = f"{text(e['event'])}: {what}"
            rows.append([
                time_label(e["end"], year=many_years), what,
                ", ".join(f"#{i}" for i in e["run_ids"]),
                f"{shown('distance_m', e.get('distance_m'), units)} in "
                f"{shown('duration_s', e.get('duration_s'))}",
                status_words(e["status"]), after, shown("lag_hours", e["lag_hours"]),
                shown("waiting_hours", e["waiting_hours"]),
            ])  # fmt: skip
        parts.append(table(["ended", "effort: why hard", "runs", "distance in time", "status",
                            "follow-up", "lag h", "waiting h"], rows,
                           numeric=(3, 6, 7)))  # fmt: skip
    else:
        parts.append("<p>No hard effort in this period.</p>")
    return "".join(parts) + "</section>"


def recovery_chart(efforts: Sequence[dict], window_hours: float) -> str:
    row_h, top = 20.0, 44.0
    x0, x1 = 226.0, 556.0
    reach = [window_hours * 1.25]
    for e in efforts:
        reach += [e["lag_hours"] or 0, e["waiting_hours"] or 0]
    scale_top = svg.nice_top(max(reach))
    height = top + row_h * len(efforts) + 14
    counts = {s: sum(e["status"] == s for e in efforts) for s in STATUS_WORD}
    desc = (f"{len(efforts)} hard efforts, each joined to the recovery session that followed "
            "it, with the lag in hours: " + ", ".join(
                f"{n} {STATUS_WORD[s]}" for s, n in counts.items() if n)
            + f". The dashed line is the {plain(window_hours)} h window.")  # fmt: skip
    chart = Chart("chart-recovery", "Each hard effort and its follow-up", desc, height)

    def x(hours: float) -> float:
        return x0 + (x1 - x0) * min(hours, scale_top) / scale_top

    for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):
        hx = x(scale_top * fraction)
        chart.line(hx, top - 6, hx, height - 12, stroke="#e4e4e4")
        chart.label(hx, top - 10, f"{plain(scale_top * fraction)} h", anchor="middle",
                    fill=svg.GREY, size=9)  # fmt: skip
    wx = x(window_hours)
    chart.line(wx, top - 6, wx, height - 12, stroke="#444", dash="4 3")
    chart.label(wx + 3, top - 22, f"{plain(window_hours)} h window", fill="#444", size=9)
    svg.legend(chart, 12, [("triangle", svg.VERMILLION, "hard effort"),
                           ("circle", "#444", "recovery session")], x=20)  # fmt: skip
    for i, e in enumerate(efforts):
        y = top + row_h * i + row_h / 2
        name = effort_name(e)
        name = name if len(name) <= 22 else name[:21] + "…"
        chart.label(8, y + 4, f"{day_label(e['end'])[:-5]} · {name}", size=10)
        status = e["status"]
        colour = STATUS_COLOUR.get(status, svg.GREY)
        word = STATUS_WORD.get(status, status)
        if e["lag_hours"] is not None:
            chart.line(x0, y, x(e["lag_hours"]), y, stroke=colour, width=4)
            chart.marker(x(e["lag_hours"]), y, "circle", colour,
                         f"{word}: follow-up after {plain(e['lag_hours'])} h")  # fmt: skip
            words = f"{word} · {plain(e['lag_hours'])} h"
        elif status == "pending":
            chart.line(x0, y, x(e["waiting_hours"] or 0), y, stroke=colour, width=4, dash="3 2")
            words = f"{word} · {plain(e['waiting_hours'] or 0)} h so far"
        else:
            chart.line(x0, y, x1, y, stroke=colour, width=2, dash="2 3")
            words = f"{word} · no follow-up"
        chart.marker(x0, y, "triangle", svg.VERMILLION, f"hard effort ended {e['end']}")
        chart.label(x1 + 8, y + 4, words, fill="#222", size=10, bold=status != "on_time")
    return chart.svg()


def regularity_section(data: dict) -> str:
    reg = data["regularity"]
    lines = [f"{counted(reg['massages'], 'massage')} in the period."]
    if reg["every_days"] is not None:
        lines.append(
            f"Target: one every {shown('every_days', reg['every_days'])} days. "
            f"{shown('met', reg['met'])} of {shown('periods', reg['periods'])} periods held a "
            f"massage; streak {shown('streak', reg['streak'])}."
        )
    else:
        lines.append("No target cadence set (--every, or [massage] every in the configuration).")
    if reg["median_gap_days"] is None:
        lines.append("No gap between massages yet (fewer than two).")
    else:
        lines.append(f"Gap between massages: median "
                     f"{shown('median_gap_days', reg['median_gap_days'])} days, longest "
                     f"{shown('longest_gap_days', reg['longest_gap_days'])} days.")  # fmt: skip
    return (f'<section id="regularity"><h2>Massage regularity</h2>'
            f"<figure>{regularity_chart(data)}</figure><p>{' '.join(lines)}</p></section>")


def regularity_chart(data: dict) -> str:
    reg, weeks, period = data["regularity"], data["weeks"], data["period"]
    since, until = date.fromisoformat(period["since"]), date.fromisoformat(period["until"])
    first = min([since, *(date.fromisoformat(w["start"]) for w in weeks)])
    last = max([until, *(date.fromisoformat(w["start"]) for w in weeks)])
    span = max((last - first).days + 7, 1)
    left, right, height = 20.0, svg.WIDTH - 20.0, 104.0
    every = reg["every_days"]
    desc = (f"Massages per week from {period['since']} to {period['until']}"
            + (f", over {reg['periods']} periods of {every} days counted back from the last "
               f"day; {reg['met']} of them held a massage." if every else "."))  # fmt: skip
    chart = Chart("chart-regularity", "Massages against the target cadence", desc, height)

    def x(day: date) -> float:
        return left + (right - left) * (day - first).days / span

    if every and reg["periods"]:
        from datetime import timedelta

        for back in range(reg["periods"]):
            end = until - timedelta(days=back * every)
            start = end - timedelta(days=every - 1)
            shade = "#eef3f8" if back % 2 == 0 else "#f9f9f9"
            chart.rect(x(start), 30, x(end + timedelta(days=1)) - x(start), 44, shade,
                       f"period {start} to {end}")  # fmt: skip
            chart.line(x(start), 28, x(start), 76, stroke="#9ab")
        chart.label(left, 20, f"shaded: periods of {every} days, counted back from "
                    f"{period['until']}", fill=svg.GREY, size=10)  # fmt: skip
    else:
        chart.label(left, 20, "no target cadence set", fill=svg.GREY, size=10)
    for w in weeks:
        start = date.fromisoformat(w["start"])
        centre = (x(start) + x(start.fromordinal(start.toordinal() + 7))) / 2
        for n in range(w["massages"]):
            chart.marker(centre, 64 - n * 11, "circle", svg.GREEN,
                         f"{w['week']}: {w['massages']} massages")  # fmt: skip
        chart.label(centre, 92, w["week"].split("-")[-1], anchor="middle", fill=svg.GREY,
                    size=8)  # fmt: skip
    svg.legend(chart, 20, [("circle", svg.GREEN, "massage (in its week)")], x=right - 150)
    return chart.svg()


PLAN_STATUS = (("done", svg.GREEN, "done"), ("skipped", svg.GREY, "skipped"),
               ("missed", svg.VERMILLION, "missed"), ("open", svg.SKY, "open"))  # fmt: skip


def plans_section(data: dict) -> str:
    plans = data.get("plans") or {}
    if not plans.get("planned"):
        return '<section id="plans"><h2>Plans</h2><p>No plan lies in this period.</p></section>'
    summary = (f"{shown('planned', plans['planned'])} planned: "
               + ", ".join(f"{shown(k, plans[k])} {w}" for k, _, w in PLAN_STATUS)
               + f". Of those done: {shown('on_day', plans['on_day'])} on their day, "
               f"{shown('early', plans['early'])} early, {shown('late', plans['late'])} late; "
               f"median slip {shown('median_slip_days', plans['median_slip_days'])} "
               "days.")  # fmt: skip
    total = plans["planned"]
    chart = Chart("chart-plans", "Plans against what was done",
                  summary.replace("<", "").replace(">", ""), 64)  # fmt: skip
    x = 20.0
    for key, colour, word in PLAN_STATUS:
        n = plans[key]
        if n:
            w = (svg.WIDTH - 40) * n / total
            chart.rect(x, 10, w, 24, colour, f"{n} {word}")
            if w > 40:
                chart.label(x + 4, 26, f"{n} {word}", fill="#fff" if key != "open" else "#000",
                            size=11, bold=True)  # fmt: skip
            x += w
    svg.legend(chart, 50, [("bar", c, w) for _, c, w in PLAN_STATUS], x=26)
    rows = [[day_label(p["planned"]), text(p["plan_kind"]), text(p.get("type") or "any"),
             f'<span class="status">{text(p["status"])}</span>', shown("timing", p["timing"]),
             shown("slip_days", p["slip_days"]),
             f"#{p['done_id']}" if p.get("done_id") is not None else "–",
             f"#{p['id']}"] for p in plans["items"]]  # fmt: skip
    return (f'<section id="plans"><h2>Plans</h2><p>{summary}</p><figure>{chart.svg()}</figure>'
            + table(["planned", "kind", "type", "status", "timing", "slip days", "done by",
                     "plan"], rows, numeric=(5,)) + "</section>")  # fmt: skip


def wellness_section(wellness: dict) -> str:
    """SPEC 11's ``wellness``: check-ins per week and soreness around massages."""
    weeks = wellness.get("weeks", [])
    keys = ("check_ins", "soreness_mean", "fatigue_mean", "sleep_mean")
    parts = ['<section id="wellness"><h2>How it felt (check-ins)</h2>']
    if weeks:
        left, right = 64.0, svg.WIDTH - 12.0
        logged = sum(w.get("check_ins") or 0 for w in weeks)
        chart = Chart("chart-wellness", "Check-ins per week: soreness, fatigue and sleep",
                      f"{logged} check-ins over {len(weeks)} weeks; weekly means of overall "
                      "soreness (0-10), fatigue and sleep (1-5). The table gives the numbers.",
                      250)  # fmt: skip
        svg.bar_panel(chart, top=30, height=80, left=left, right=right,
                      values=[w.get("soreness_mean") for w in weeks], colour=svg.PURPLE,
                      axis_label="soreness (0-10)", scale_top=10,
                      tips=[f"{w['week']}: soreness {w.get('soreness_mean')}"
                            for w in weeks])  # fmt: skip
        centres = svg.bar_panel(chart, top=140, height=70, left=left, right=right,
                                values=[w.get("fatigue_mean") for w in weeks],
                                colour=svg.ORANGE, axis_label="fatigue, sleep (1-5)",
                                scale_top=5,
                                tips=[f"{w['week']}: fatigue {w.get('fatigue_mean')}"
                                      for w in weeks])  # fmt: skip
        for centre, w in zip(centres, weeks, strict=True):
            if w.get("sleep_mean") is not None:
                y = 210 - 70 * w["sleep_mean"] / 5
                chart.marker(centre, y, "diamond", svg.BLUE,
                             f"{w['week']}: sleep {w['sleep_mean']}")
            chart.label(centre, 226, str(w["week"]).split("-")[-1], anchor="middle",
                        fill=svg.GREY, size=9)  # fmt: skip
        svg.legend(chart, 10, [("bar", svg.PURPLE, "soreness"), ("bar", svg.ORANGE, "fatigue"),
                               ("diamond", svg.BLUE, "sleep")], x=120)  # fmt: skip
        parts.append(f"<figure>{chart.svg()}</figure>")
        parts.append(table(["week", "check-ins", "soreness", "fatigue", "sleep"],
                           [[text(w["week"]), *(shown(k, w.get(k)) for k in keys)]
                            for w in weeks], numeric=(1, 2, 3, 4)))  # fmt: skip
    around = wellness.get("around_massage", [])
    if around:
        parts.append("<h3>Soreness before and after each massage</h3>")
        parts.append(table(["massage", "before", "after", "check-ins before", "check-ins after"],
                           [[f"#{a['massage_id']}", shown("before", a.get("before")),
                             shown("after", a.get("after")), shown("n_before", a.get("n_before")),
                             shown("n_after", a.get("n_after"))] for a in around],
                           numeric=(1, 2, 3, 4)))  # fmt: skip
    return "".join(parts) + "</section>"


def spend_section(spend: dict) -> str:
    """SPEC 12's ``spend``: money as decimal strings, shown as they are."""
    currency = text(spend.get("currency") or "")
    parts = [
        '<section id="spend"><h2>Spend on massage</h2>'
        f"<p>{shown('total', spend.get('total'))} {currency} over "
        f"{counted(spend.get('massages_with_cost') or 0, 'massage')} with a cost "
        f"({shown('massages_without_cost', spend.get('massages_without_cost'))} without one): "
        f"{shown('per_massage', spend.get('per_massage'))} per massage, "
        f"{shown('per_hour', spend.get('per_hour'))} per hour.</p>"
    ]
    months = spend.get("by_month", [])
    if months:
        def amount(value: object) -> float:
            try:
                return float(str(value))
            except ValueError:
                return 0.0

        chart = Chart("chart-spend", "Spend on massage per month",
                      f"{len(months)} months; " + ", ".join(
                          f"{m['month']}: {m['total']}" for m in months)
                      + f" {spend.get('currency') or ''}.",
                      150)  # fmt: skip
        centres = svg.bar_panel(chart, top=24, height=90, left=64, right=svg.WIDTH - 12,
                                values=[amount(m["total"]) for m in months],
                                colour=svg.PURPLE, axis_label=spend.get("currency") or "spend",
                                tips=[f"{m['month']}: {m['total']}" for m in months])  # fmt: skip
        for centre, m in zip(centres, months, strict=True):
            chart.label(centre, 134, m["month"], anchor="middle", fill=svg.GREY, size=9)
        parts.append(f"<figure>{chart.svg()}</figure>")
        parts.append(table(["month", f"total {spend.get('currency') or ''}", "massages"],
                           [[text(m["month"]), shown("total", m["total"]),
                             shown("massages", m["massages"])] for m in months],
                           numeric=(1, 2)))  # fmt: skip
    by_type = spend.get("by_type") or {}
    if by_type:
        rows = [[text(kind), shown("total", total)] for kind, total in by_type.items()]
        parts.append(table(["type", "total"], rows, numeric=(1,)))
    return "".join(parts) + "</section>"
