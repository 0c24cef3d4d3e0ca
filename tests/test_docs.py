"""The docs cannot drift from the code.

docs/cli.md is generated from every command's ``--help``; the config
template and the environment table in docs/configuration.md and the schema
in docs/schema.md are generated blocks between ``<!-- generated: NAME -->``
and ``<!-- end generated: NAME -->`` markers. These tests fail when any of
them is stale. Regenerate with ``RUBDOWN_UPDATE_DOCS=1 pytest tests/test_docs.py``.
"""

from __future__ import annotations

import os
import re
import sqlite3
import textwrap
from pathlib import Path

import typer

from rubdown.cli.root import app

DOCS = Path(__file__).resolve().parent.parent / "docs"
SRC = DOCS.parent / "src" / "rubdown"
UPDATE = os.environ.get("RUBDOWN_UPDATE_DOCS") == "1"


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
    from rubdown.cli import spec

    for path, cmd, _ in commands():
        words = tuple(path.split()[1:])
        if words:
            first_line = (cmd.help or "").strip().splitlines()[0]
            assert first_line == spec.BY_WORDS[words].short_help, words


# -- generated blocks ------------------------------------------------------------


def generated_blocks_are_current(page: str, blocks: dict[str, str]) -> None:
    """Each block of ``page`` between its markers must be ``blocks[name]``;
    with RUBDOWN_UPDATE_DOCS=1 the page is rewritten first."""
    target = DOCS / page
    text = target.read_text(encoding="utf-8")
    current = text
    for name, body in blocks.items():
        begin, end = f"<!-- generated: {name} -->\n", f"<!-- end generated: {name} -->"
        assert text.count(begin) == 1 and text.count(end) == 1, f"{page}: markers of {name}"
        head, rest = current.split(begin)
        _, tail = rest.split(end)
        current = head + begin + body + end + tail
    if UPDATE and current != text:
        target.write_text(current, encoding="utf-8")
        text = current
    assert text == current, f"{page} is stale; run RUBDOWN_UPDATE_DOCS=1 pytest tests/test_docs.py"


def config_template() -> str:
    from rubdown.render_config import template

    return f"```toml\n{template()}```\n"


def environment_table() -> str:
    from rubdown.environment import VARIABLES

    rows = [f"| `{name}` | {v.accepted} | {v.effect} |" for name, v in VARIABLES.items()]
    return "\n".join(["| variable | accepts | effect |", "| --- | --- | --- |", *rows]) + "\n"


def schema() -> str:
    """The schema a new database gets: the migrations applied to an empty
    database, printed as SQLite stores it (without the tables SQLite makes
    for a full-text index itself)."""
    from rubdown.store import migrations

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrations.apply(conn)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        rows = conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
            " AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow')"
            " ORDER BY rowid"
        ).fetchall()
    finally:
        conn.close()
    statements = []
    for (sql,) in rows:
        first, _, rest = sql.partition("\n")
        statements.append(first + ("\n" + textwrap.dedent(rest) if rest else "") + ";")
    body = "\n\n".join(statements)
    return f"```sql\n-- PRAGMA user_version = {version}\n\n{body}\n```\n"


def test_configuration_page_is_current():
    generated_blocks_are_current(
        "configuration.md",
        {"config-template": config_template(), "environment": environment_table()},
    )


def test_schema_page_is_current():
    generated_blocks_are_current("schema.md", {"schema": schema()})


def test_every_environment_variable_the_code_reads_is_in_the_table():
    """A ``RUBDOWN_*`` name anywhere in the code, or any variable read from
    ``os.environ``, must be a row of ``environment.VARIABLES`` (and so of the
    docs); a row the code no longer reads must go."""
    from rubdown.environment import VARIABLES

    named: set[str] = set()
    read: set[str] = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "environment.py":
            named |= set(re.findall(r"\bRUBDOWN_[A-Z0-9_]+", text))
        read |= set(re.findall(r"""(?:environ(?:\.get)?|getenv)[(\[]\s*["']([A-Z0-9_]+)""", text))
    assert (named | read) - set(VARIABLES) == set(), "add them to environment.VARIABLES"
    assert set(VARIABLES) - named - read == set(), "the code no longer reads these"
