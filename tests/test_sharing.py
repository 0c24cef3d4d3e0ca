"""Sharing (SPEC 14): ``report --format html`` and ``rubdown brief``.

The page is checked as text here (the same numbers as ``report --json``,
nothing external, every chart described, hostile text inert); the browser
tests are in test_sharing_browser.py.
"""

from __future__ import annotations

import copy
import json
import os
import re
import stat
from html import unescape
from html.parser import HTMLParser

import pytest

from rubdown import render_html
from torture import HOSTILE, unsafe_bytes

FORBIDDEN = ("risk", "readiness", "overtraining", "safe", "optimal")
SCRIPT = '<script>alert("x")</script> "quoted" \'single\' &amp; </td>'
NAME = '<script>"x"</script>' + HOSTILE  #: within a name's 200 characters


class Visible(HTMLParser):
    """The text a reader sees outside the charts (the tables and sentences)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0  # inside <svg>, <style> or <head>

    def handle_starttag(self, tag, attrs):
        if tag in ("svg", "style", "head"):
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("svg", "style", "head"):
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = Visible()
    parser.feed(page)
    return " ".join(parser.parts)


def numbers(value, key=""):
    """Every (key, number) leaf of a JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from numbers(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from numbers(v, key)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield key, value


def expected(key: str, value: float) -> str:
    """How the page writes a JSON number (the rule the page promises): metres
    in km with 2 decimals, seconds as h:mm:ss, rates as percentages with 2
    decimals, other numbers as JSON writes them (whole floats without .0)."""
    if key.endswith("_m"):
        return f"{value / 1000:.2f} km"
    if key.endswith("_s"):
        s = round(value)
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    if key in ("rate", "rpe_coverage", "load_change"):
        return f"{value * 100:.2f}%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.fixture
def demo(rubdown, tmp_path):
    path = tmp_path / "demo.db"
    assert rubdown("demo", "--db", str(path)).exit_code == 0
    return path


def report_pair(rubdown, db, *args):
    data = rubdown("--db", str(db), "report", *args, "--json").json()
    result = rubdown("--db", str(db), "report", *args, "--format", "html")
    assert result.exit_code == 0, result.stderr
    return data, result.stdout


def test_the_page_shows_every_number_of_the_json(rubdown, demo):
    data, page = report_pair(rubdown, demo, "--weeks", "16", "--every", "2w")
    text = visible(page)
    missing = [(k, v) for k, v in numbers(data) if expected(k, v) not in text]
    assert not missing
    assert len(list(numbers(data))) > 250  # the demo season is not a toy
    for section in ("attention", "weeks", "recovery", "regularity", "plans"):
        assert f'<section id="{section}">' in page
    for status in ("on time", "late", "missed", "pending"):  # written, not only coloured
        assert re.search(rf'class="status \w+">{status}<', page)


def test_the_page_is_self_contained_and_every_chart_is_described(rubdown, demo):
    _, page = report_pair(rubdown, demo, "--weeks", "16")
    assert len(page.encode()) < 2_000_000
    lower = page.lower()
    for external in ("<script", "<link", "<img", "<iframe", "<object", "url(", "@import",
                     "src=", "href="):  # fmt: skip
        assert external not in lower
    assert re.findall(r"(?:https?:)?//[\w.-]+", page) == ["http://www.w3.org"] * page.count("<svg")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    charts = re.findall(r"<svg\b[^>]*>.*?</svg>", page, flags=re.S)
    assert {"chart-weeks", "chart-recovery", "chart-regularity"} <= {
        re.search(r'id="([\w-]+)"', c)[1] for c in charts}
    for chart in charts:
        head = chart[: chart.index(">") + 1]
        assert 'role="img"' in head and "aria-labelledby=" in head
        assert re.search(r'<title id="[\w-]+">[^<]+</title><desc id="[\w-]+">[^<]+</desc>', chart)
    assert "@page" in page and "break-inside:avoid" in page
    assert page.rstrip().endswith("</html>")
    assert "Self-reported training log, not medical advice." in visible(page)


def test_an_empty_log_gives_a_page_that_says_so(rubdown):
    result = rubdown("report", "--format", "html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "Nothing is logged in this period yet" in visible(result.stdout)
    assert "<svg" not in result.stdout


def test_output_writes_a_private_file_and_refuses_to_overwrite(rubdown, demo, tmp_path):
    out = tmp_path / "report.html"
    result = rubdown("--db", str(demo), "report", "--format", "html", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    again = rubdown("--db", str(demo), "report", "--format", "html", "--output", str(out))
    assert again.exit_code == 1 and "--force" in again.stderr
    forced = rubdown("--db", str(demo), "report", "-f", "html", "-o", str(out), "--force")
    assert forced.exit_code == 0


@pytest.mark.parametrize("args", [("--output", "x.html"), ("--json", "--output", "x.html"),
                                  ("--format", "html", "--force")])  # fmt: skip
def test_output_needs_the_html_format(rubdown, args):
    result = rubdown("report", *args)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def spec_shaped(data: dict) -> dict:
    """The report dict extended as SPEC 11, 12 and 13 shape the sections that
    other parts of rubdown add (wellness, spend, load context): the data is
    made up here, only its shape is the SPEC's."""
    data = copy.deepcopy(data)
    for i, week in enumerate(data["weeks"]):
        change = None if i < 4 else round(-0.1234 + (i - 4) / 100, 4)
        week.update(rpe_coverage=0.8125, load_change=change, monotony=1.37, strain=2111 + i)
    data["wellness"] = {
        "weeks": [{"week": w["week"], "check_ins": 3, "soreness_mean": 4.33,
                   "fatigue_mean": 2.67, "sleep_mean": 3.5} for w in data["weeks"]],
        "around_massage": [{"massage_id": 9, "before": 5.5, "after": 3.25, "n_before": 2,
                            "n_after": 2}],
    }  # fmt: skip
    data["spend"] = {
        "currency": "EUR", "total": "415.00", "massages_with_cost": 4,
        "massages_without_cost": 1, "per_massage": "103.75", "per_hour": "92.22",
        "by_month": [{"month": "2026-09", "total": "95.00", "massages": 1},
                     {"month": "2026-10", "total": "210.00", "massages": 3},
                     {"month": "2026-11", "total": "110.00", "massages": 1}],
        "by_type": {"sports": "305.00", "swedish": "110.00"},
    }  # fmt: skip
    return data


def test_wellness_spend_and_load_context_are_drawn_when_present(rubdown, demo):
    data, _ = report_pair(rubdown, demo, "--weeks", "16")
    extended = spec_shaped(data)
    page = render_html.report_html(extended)
    text = visible(page)
    assert not [(k, v) for k, v in numbers(extended) if expected(k, v) not in text]
    for money in ("415.00", "103.75", "92.22", "210.00", "305.00", "2026-10"):
        assert money in text
    assert 'id="chart-wellness"' in page and 'id="chart-spend"' in page
    assert "change vs recent weeks" in text and "-12.34%" in text
    assert ">-12%</text>" in page and "change vs the 4 weeks before it" in page  # the chart
    # The demo season has costs and an RPE on every run, and no check-ins.
    real = render_html.report_html(data)
    assert 'id="chart-spend"' in real and "change vs recent weeks" in visible(real)
    assert "chart-wellness" not in real
    # Absent or empty, they are not shown.
    plain = copy.deepcopy(data)
    del plain["wellness"], plain["spend"]
    for week in plain["weeks"]:
        for key in ("rpe_coverage", "load_change", "monotony", "strain"):
            del week[key]
    plain = render_html.report_html(plain)
    assert "chart-wellness" not in plain and "chart-spend" not in plain
    assert "change vs recent weeks" not in plain
    empty = copy.deepcopy(extended)
    empty["wellness"] = {"weeks": [], "around_massage": []}
    empty["spend"]["massages_with_cost"] = empty["spend"]["massages_without_cost"] = 0
    shown = render_html.report_html(empty)
    assert "chart-wellness" not in shown and "chart-spend" not in shown


# -- hostile text --------------------------------------------------------------


@pytest.fixture
def hostile(rubdown):
    steps = [
        ("log", "run", "--date", "2026-11-21 07:00", "--distance", "21.1k", "--time", "1:50:00",
         "--type", "race", "--event", NAME, "--note", SCRIPT + HOSTILE),
        ("log", "massage", "--date", "2026-11-22 10:00", "--type", "sports", "--minutes", "60",
         "--therapist", NAME, "--note", HOSTILE + SCRIPT, "--cost", "85"),
        ("log", "self-care", "--date", "2026-11-23 08:00", "--type", "yoga", "--minutes", "20",
         "--note", SCRIPT + HOSTILE),
        ("log", "run", "--date", "2026-11-28 07:00", "--distance", "30k", "--time", "3:00:00",
         "--type", "long", "--note", SCRIPT),
    ]  # fmt: skip
    for step in steps:
        assert rubdown(*step).exit_code == 0


def markdown_text(markdown: str) -> list[str]:
    """The text of each line of a brief, without the markdown rubdown wrote
    (headings, list marks, table rules)."""
    out = []
    for line in markdown.splitlines():
        if set(line) <= set("|-"):
            continue
        line = re.sub(r"^(#+ |- )", "", line)
        if line.startswith("| "):
            line = line[2:-2].replace(" | ", " ")
        out.append(line)
    return out


def inert_html(page: str) -> None:
    assert not unsafe_bytes(page), unsafe_bytes(page)
    assert "<script" not in page.lower()


def test_hostile_text_is_escaped_in_html_and_markdown(rubdown, hostile):
    pages = [rubdown("report", "--weeks", "2", "--format", "html").stdout]
    for who in ("therapist", "coach"):
        args = ("brief", "--for", who, "--since", "2026-11-01", "--include",
                "notes,costs,therapist")  # fmt: skip
        pages.append(rubdown(*args, "--format", "html").stdout)
        markdown = rubdown(*args).stdout
        assert not unsafe_bytes(markdown)
        assert r"\<script\>" in markdown
        assert not [line for line in markdown_text(markdown)
                    if re.search(r"(?<!\\)[<>\[\]`*_|&]", line)]
        assert r"\[bold\]b\[/bold\]" in markdown  # markdown's own syntax is inert too
        assert "\\u202e" in markdown  # a bidi override is shown, not obeyed
    for page in pages:
        inert_html(page)
        assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in page
    for page in pages[1:]:  # the notes, included
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
        assert "&amp;amp;" in page and "&#x27;single&#x27;" in page  # typed text stays text
        assert "\\u202e" in page and "\\u001b[31mRED" in page
    assert "DROP TABLE records" in visible(pages[0])


# -- the brief ---------------------------------------------------------------------


@pytest.fixture
def season(rubdown):
    """Two massages (the last on Monday 23 Nov), efforts before and after it,
    self-care, and a planned long run."""
    steps = [
        ("log", "run", "--date", "2026-11-15 08:00", "--distance", "30k", "--time", "2:50:00",
         "--type", "long", "--note", "before the massage"),
        ("log", "massage", "--date", "2026-11-16 17:00", "--type", "sports", "--minutes", "60",
         "--therapist", "Ana Reyes", "--cost", "95", "--note", "hamstring felt tight"),
        ("log", "run", "--date", "2026-11-22 08:00", "--distance", "28k", "--time", "2:40:00",
         "--type", "long", "--note", "windy"),
        ("log", "massage", "--date", "2026-11-23 17:00", "--type", "deep-tissue", "--minutes",
         "90", "--focus", "calves,quads", "--therapist", "Ana Reyes", "--cost", "110",
         "--note", "left calf knot"),
        ("log", "run", "--date", "2026-11-26 18:00", "--distance", "10k", "--time", "45:00",
         "--type", "race", "--event", "Turkey Trot", "--note", "PB attempt"),
        ("log", "self-care", "--date", "2026-11-27 08:00", "--type", "foam-roll", "--minutes",
         "15", "--note", "rolled calves"),
        ("plan", "run", "--type", "long", "--distance", "32k", "--date", "2026-12-06 08:00"),
        ("plan", "run", "--type", "easy", "--date", "2026-12-01 08:00"),
    ]  # fmt: skip
    for step in steps:
        result = rubdown(*step)
        assert result.exit_code == 0, result.stderr


PRIVATE = {"notes": ("windy", "left calf knot", "PB attempt", "rolled calves"),
           "costs": ("110.00", "95.00"), "therapist": ("Ana Reyes",)}  # fmt: skip


@pytest.mark.parametrize("who", ["therapist", "coach"])
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_notes_costs_and_therapists_only_when_included(rubdown, season, who, fmt):
    base = ("brief", "--for", who, "--format", fmt, "--since", "2026-11-10")
    leaked = rubdown(*base).stdout
    for words in PRIVATE.values():
        for word in words:
            assert word not in leaked
    for name, words in PRIVATE.items():
        page = rubdown(*base, "--include", name).stdout
        others = [w for other, ws in PRIVATE.items() if other != name for w in ws]
        assert any(word in page for word in words), name
        assert not [w for w in others if w in page], name


def test_the_therapist_brief_covers_the_days_since_the_last_massage(rubdown, season):
    result = rubdown("brief")
    assert result.exit_code == 0
    out = result.stdout
    assert "(the last massage)" in out and "Mon 23 Nov 2026" in out
    assert "focus: calves, quads" in out
    assert "Turkey Trot" in out  # the race after the last massage
    assert "28.00 km" not in out  # the long run before it (the day before) is not
    assert "foam-roll, 15 min" in out
    assert "Next planned hard effort" in out and "Sun 6 Dec 2026 08:00: long run, 32.00 km" in out
    assert "Sore areas" not in out  # no check-ins are recorded
    assert out.rstrip().endswith("Self-reported training log, not medical advice.")
    lower = out.lower()
    assert not [word for word in FORBIDDEN if word in lower]


def test_the_therapist_brief_lists_sore_areas_and_their_trend(rubdown, season):
    """Check-ins since the last massage (Mon 23 Nov) give each area's ratings
    in order; one before the massage's day is not in the brief."""
    for day, values in (("2026-11-20", ("--sore", "hamstrings=8")),
                        ("2026-11-24", ("--soreness", "6", "--sore", "calves=6,left-quads=3")),
                        ("2026-11-26", ("--sore", "calves=4")),
                        ("2026-11-28", ("--sore", "calves=2,left-quads=4"))):  # fmt: skip
        assert rubdown("log", "check-in", "--date", day, *values).exit_code == 0
    out = rubdown("brief").stdout
    assert "Sore areas and their trend" in out
    assert "calves: 6 → 4 → 2" in out and "left-quads: 3 → 4" in out
    assert "overall soreness: 6 → 4 → 4" in out  # without --soreness: the highest area
    assert "hamstrings" not in out


def test_the_coach_brief_shows_the_block(rubdown, season):
    out = rubdown("brief", "--for", "coach").stdout
    assert "(the last 4 weeks)" in out and "From Mon 2 Nov 2026" in out
    assert "| 2026-W47 |" in out and "| 2026-W48 |" in out
    assert "Plans against what was done" in out
    assert "3 hard efforts: 1 on time, 0 late, 0 missed, 1 pending" not in out  # not invented
    recovery = rubdown("report", "--since", "2026-11-02", "--json").json()["recovery"]
    assert f"{recovery['hard_efforts']} hard efforts: {recovery['on_time']} on time" in out
    assert out.rstrip().endswith("Self-reported training log, not medical advice.")
    lower = visible(rubdown("brief", "--for", "coach", "--format", "html").stdout).lower()
    assert not [word for word in FORBIDDEN if word in lower]
    assert "self-reported training log, not medical advice." in lower


@pytest.mark.parametrize("args,named", [
    (("--for", "plumber"), "'plumber'"), (("--include", "notes,bank"), "'bank'"),
    (("--format", "pdf"), "'pdf'"), (("--since", "soon"), "soon"),
    (("--since", "2027-01-01"), "2027-01-01"),
])  # fmt: skip
def test_bad_brief_options_are_one_line_usage_errors(rubdown, args, named):
    result = rubdown("brief", *args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0]


def test_brief_output_is_a_private_file(rubdown, season, tmp_path):
    out = tmp_path / "brief.md"
    assert rubdown("brief", "--output", str(out)).exit_code == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert out.read_text().startswith("# Training brief for a massage therapist")


def test_the_json_numbers_rule_is_the_pages_own():
    """The test's reading of the page's number rule agrees with the page's."""
    for key, value in (("distance_m", 12345.6), ("duration_s", 3725), ("rate", 0.2632),
                       ("lag_hours", 55.33), ("load", 1507), ("window_hours", 72.0)):  # fmt: skip
        assert unescape(render_html.shown(key, value)) == expected(key, value)
    assert json.dumps(render_html.shown("x", None)) == '"\\u2013"'


def test_check_ins_are_drawn_and_their_numbers_shown(rubdown, demo):
    """Real check-ins around the demo's last massage: the wellness chart is
    drawn and every number of the JSON (wellness included) is on the page."""
    for day, values in (("2026-11-12", ("--soreness", "6", "--sleep", "3")),
                        ("2026-11-14", ("--sore", "calves=5", "--fatigue", "4")),
                        ("2026-11-16", ("--soreness", "3", "--sleep", "4"))):  # fmt: skip
        result = rubdown("--db", str(demo), "log", "check-in", "--date", day, *values)
        assert result.exit_code == 0, result.stderr
    data, page = report_pair(rubdown, demo, "--weeks", "16")
    assert any(week["check_ins"] for week in data["wellness"]["weeks"])
    assert 'id="chart-wellness"' in page
    chart = page[page.index('id="chart-wellness"'):]
    chart = chart[:chart.index("</svg>")]
    # Ratings on their own fixed scales, not stretched to the week's highest.
    assert re.findall(r">([0-9.]+)</text>", chart)[:6] == ["0", "5", "10", "0", "2.5", "5"]
    text = visible(page)
    assert not [(k, v) for k, v in numbers(data) if expected(k, v) not in text]
