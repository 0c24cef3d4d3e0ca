"""The docs cannot drift from the CLI.

docs/cli.md is generated from every command's ``--help``; this test fails
when it is stale. Regenerate with ``RUBDOWN_UPDATE_DOCS=1 pytest tests/test_docs.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from rubdown.cli.root import app

DOCS = Path(__file__).resolve().parent.parent / "docs"


def commands():
    """(path, command, context) for every command, depth first."""
    root = typer.main.get_command(app)

    def walk(cmd, path, parent):
        ctx = cmd.make_context(
            path[-1], [], parent=parent, resilient_parsing=True, terminal_width=80,
            max_content_width=80,
        )  # fmt: skip
        yield " ".join(path), cmd, ctx
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(ctx):
                yield from walk(cmd.get_command(ctx, name), [*path, name], ctx)

    yield from walk(root, ["rubdown"], None)


def reference() -> str:
    parts = [
        "# CLI reference\n",
        "Generated from `--help`; `tests/test_docs.py` keeps it current "
        "(`RUBDOWN_UPDATE_DOCS=1 pytest tests/test_docs.py` rewrites it).\n",
    ]
    for path, cmd, ctx in commands():
        parts.append(f"## `{path}`\n\n```text\n{cmd.get_help(ctx).rstrip()}\n```\n")
    return "\n".join(parts)


def test_cli_reference_is_current():
    target = DOCS / "cli.md"
    text = reference()
    if os.environ.get("RUBDOWN_UPDATE_DOCS") == "1":
        target.write_text(text, encoding="utf-8")
    assert target.read_text(encoding="utf-8") == text, "docs/cli.md is stale; see this file"


def test_every_command_has_help_and_is_in_the_guide():
    pages = [p for p in DOCS.glob("*.md") if p.name != "cli.md"]
    guide = "\n".join(p.read_text(encoding="utf-8") for p in pages)
    for path, cmd, _ in commands():
        assert (cmd.help or "").strip(), f"{path} has no help text"
        for param in cmd.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                assert (getattr(param, "help", None) or "").strip(), f"{path} {param.opts}"
        leaf = path.removeprefix("rubdown").strip()
        if leaf and not hasattr(cmd, "list_commands"):
            assert f"rubdown {leaf}" in guide or f"`{leaf}`" in guide, f"{path} not in docs/"


def test_the_command_list_matches_each_command():
    """The root's listing is static (commands load lazily); it must not drift."""
    from rubdown.cli import COMMANDS

    for path, cmd, _ in commands():
        name = path.removeprefix("rubdown ").strip()
        if name in COMMANDS:
            first_line = (cmd.help or "").strip().splitlines()[0]
            assert first_line == COMMANDS[name][2], name
