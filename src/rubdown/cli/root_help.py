"""``rubdown --help`` without typer: the root's help, laid out as click does.

The root help is the first thing a new user types and needs nothing but the
catalogue in ``rubdown.cli.spec``; importing typer to print it would cost four
times a bare Python start. This reproduces click's layout for exactly this
page (usage line, wrapped description, two definition lists) at the width
click would choose. ``tests/test_fast_path.py`` compares it with typer's own
output at every width click can pick, so the two cannot drift apart.
"""

from __future__ import annotations

import shutil
import textwrap

USAGE = "Usage: rubdown [OPTIONS] COMMAND [ARGS]..."


def width() -> int:
    """click's choice: the terminal's columns, at most 80, less 2; at least 50."""
    return max(min(shutil.get_terminal_size().columns, 80) - 2, 50)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    """click's ``wrap_text`` with paragraphs kept (none of ours is indented)."""
    wrapper = textwrap.TextWrapper(
        width, initial_indent=indent, subsequent_indent=indent, replace_whitespace=False
    )
    paragraphs = [" ".join(p.splitlines()) for p in text.strip("\n").split("\n\n") if p]
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append("")
        lines.extend(wrapper.wrap(paragraph))
    return lines


def _definitions(rows: tuple[tuple[str, str], ...], width: int) -> list[str]:
    """click's ``write_dl`` at an indent of 2."""
    first_col = min(max(len(term) for term, _ in rows), 30) + 2
    lines = []
    for term, text in rows:
        wrapped = _wrap(text, max(width - first_col - 2, 10))
        if len(term) <= first_col - 2:
            lines.append(f"  {term}{' ' * (first_col - len(term))}{wrapped[0]}")
        else:
            lines.append(f"  {term}")
            lines.append(f"{' ' * (first_col + 2)}{wrapped[0]}")
        lines.extend(f"{' ' * (first_col + 2)}{line}" for line in wrapped[1:])
    return lines


def _term(option) -> str:
    """click's name for an option in a help page: spellings, shortest first,
    then the metavar."""
    spellings = sorted(option.spellings, key=lambda s: len(s) - len(s.lstrip("-")))
    return ", ".join(spellings) + (f" {option.metavar}" if option.metavar else "")


def text() -> str:
    """The root help page, without the final newline (as click's ``get_help``)."""
    from rubdown.cli import spec

    page_width = width()
    commands = tuple((command.name, command.short_help) for command in spec.TOP)
    options = tuple((_term(option), option.help) for option in spec.ROOT_OPTIONS)
    options += ((", ".join(spec.HELP_OPTION), "Show this message and exit."),)
    lines = [
        USAGE,
        "",
        *_wrap(spec.HELP, page_width, indent="  "),
        "",
        "Options:",
        *_definitions(options, page_width),
        "",
        "Commands:",
        *_definitions(commands, page_width),
    ]
    return "\n".join(lines)
