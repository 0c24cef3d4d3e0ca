"""Inline SVG charts for the HTML report, written by hand.

No dependency and no script: each chart is a string of SVG that any browser
draws and prints. Every chart has a ``<title>`` and a ``<desc>`` (and
``role="img"`` with ``aria-labelledby``), every status is written in words
beside its colour, and the colours are the Okabe-Ito palette, which readers
with the common colour-vision deficiencies can tell apart.

Pure: numbers and text in, markup out; every text is escaped here.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

#: Okabe-Ito: colour-blind-safe, and each status also has its word.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#6b6b6b"
STATUS_COLOUR = {"on_time": GREEN, "late": ORANGE, "missed": VERMILLION, "pending": SKY}
#: Status words as the reader sees them.
STATUS_WORD = {"on_time": "on time", "late": "late", "missed": "missed", "pending": "pending"}

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})
WIDTH = 720  #: every chart's width in user units (it scales to the page)
FONT = 11


def text(value: object) -> str:
    """Text for HTML or SVG: markup characters escaped, control characters
    shown as ``\\uXXXX`` (``clean``)."""
    return clean(value).translate(_ESCAPES)


def clean(value: object) -> str:
    """Control characters (escape sequences, bidi overrides, line separators)
    shown as ``\\uXXXX``, so nothing that shows the text acts on them."""
    out = []
    for char in str(value):
        code = ord(char)
        if code < 32 or 0x7F <= code <= 0x9F or 0x2028 <= code <= 0x202E or \
                0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F, 0x061C):  # fmt: skip
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def num(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


class Chart:
    """One SVG chart being drawn: ``add`` elements, then ``svg()``."""

    def __init__(self, ident: str, title: str, desc: str, height: float) -> None:
        self.ident = ident
        self.title = title
        self.desc = desc
        self.height = height
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def rect(self, x: float, y: float, w: float, h: float, fill: str, label: str = "") -> None:
        tip = f"<title>{text(label)}</title>" if label else ""
        self.add(f'<rect x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" '
                 f'height="{num(max(h, 0))}" fill="{fill}">{tip}</rect>')  # fmt: skip

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = GREY,
             width: float = 1, dash: str = "") -> None:  # fmt: skip
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
                 f'stroke="{stroke}" stroke-width="{num(width)}"{dashed}/>')  # fmt: skip

    def label(self, x: float, y: float, words: object, *, anchor: str = "start",
              fill: str = "#222", size: float = FONT, bold: bool = False) -> None:  # fmt: skip
        weight = ' font-weight="bold"' if bold else ""
        self.add(f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}" '
                 f'text-anchor="{anchor}" fill="{fill}"{weight}>{text(words)}</text>')  # fmt: skip

    def marker(self, x: float, y: float, shape: str, fill: str, label: str = "") -> None:
        """A small marker: ``triangle`` (a hard effort), ``circle`` (a session),
        ``square``, ``diamond``."""
        tip = f"<title>{text(label)}</title>" if label else ""
        r = 4.5
        if shape == "circle":
            self.add(f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{fill}">{tip}'
                     "</circle>")  # fmt: skip
            return
        if shape == "triangle":
            points = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
        elif shape == "diamond":
            points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
        else:
            points = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
        coords = " ".join(f"{num(a)},{num(b)}" for a, b in points)
        self.add(f'<polygon points="{coords}" fill="{fill}">{tip}</polygon>')

    def svg(self) -> str:
        title_id, desc_id = f"{self.ident}-title", f"{self.ident}-desc"
        return (
            f'<svg class="chart" id="{self.ident}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {WIDTH} {num(self.height)}" '
            f'width="100%" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">'
            f'<title id="{title_id}">{text(self.title)}</title>'
            f'<desc id="{desc_id}">{text(self.desc)}</desc>' + "".join(self.parts) + "</svg>"
        )


def legend(chart: Chart, y: float, items: Sequence[tuple[str, str, str]], x: float = 60) -> None:
    """A row of (shape, colour, words) keys."""
    for shape, colour, words in items:
        if shape == "bar":
            chart.rect(x - 5, y - 5, 10, 10, colour)
        else:
            chart.marker(x, y, shape, colour)
        chart.label(x + 9, y + 4, words)
        x += 24 + 6.0 * len(words)  # about the width of sans-serif at 11 units


def nice_top(value: float) -> float:
    """A round axis top at or above ``value`` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    scale = 1.0
    while scale * 10 <= value:
        scale *= 10
    while scale > value:
        scale /= 10
    for step in (1, 2, 2.5, 5, 10):
        if step * scale >= value:
            return step * scale
    return 10 * scale


def bar_panel(chart: Chart, *, top: float, height: float, left: float, right: float,
              values: Sequence[float | None], colour: str, axis_label: str,
              tips: Sequence[str], fmt: str = "{:g}",
              scale_top: float | None = None) -> list[float]:  # fmt: skip
    """Bars of ``values`` (None: no bar) in a panel from ``top``, with a
    light scale up to ``scale_top`` (a rating's fixed top) or a round number
    above the largest value; the x centre of each slot, for markers."""
    peak = scale_top or nice_top(max((v for v in values if v is not None), default=0.0))
    slot = (right - left) / max(len(values), 1)
    bottom = top + height
    for fraction in (0.0, 0.5, 1.0):
        y = bottom - height * fraction
        chart.line(left, y, right, y, stroke="#ddd")
        chart.label(left - 4, y + 4, fmt.format(peak * fraction), anchor="end", fill=GREY,
                    size=9)  # fmt: skip
    chart.label(left - 44, top - 6, axis_label, fill=GREY, size=10)
    centres = []
    for i, value in enumerate(values):
        centre = left + slot * (i + 0.5)
        centres.append(centre)
        if value is None or value <= 0:
            continue
        h = height * value / peak
        chart.rect(centre - slot * 0.35, bottom - h, slot * 0.7, h, colour, tips[i])
    return centres
