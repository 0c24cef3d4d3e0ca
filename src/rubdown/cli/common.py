"""Pieces every command shares: the --db option, the store, settings, output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rubdown.cli import core
from rubdown.cli.core import parsed, say, settings
from rubdown.errors import UsageError

if TYPE_CHECKING:
    from rubdown.store import Store

__all__ = ["parsed", "say", "settings"]  # shared with the typer-free core

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="Database file to use (default: RUBDOWN_DB, else the user data folder).",
    ),
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", metavar="WHEN", help="From this day on (2026-11-01, 3w ago)."),
]
UntilOption = Annotated[
    str | None, typer.Option("--until", metavar="WHEN", help="Up to and including this day.")
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format: table, json, csv or markdown.",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]

@contextmanager
def usage_errors() -> Iterator[None]:
    """A ``UsageError`` from ``core`` raised as typer's ``BadParameter``, so it
    is reported like every other usage error."""
    try:
        yield
    except UsageError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.hint) from None


def output_format(fmt: str, as_json: bool) -> str:
    with usage_errors():
        return core.output_format(fmt, as_json)


def db_path(ctx: typer.Context, db: Path | None) -> Path:
    from rubdown.paths import db_path as resolve

    root = ctx.find_root().obj or {}
    return resolve(db or root.get("db"))


def open_store(ctx: typer.Context, db: Path | None, *, write: bool) -> Store:
    from rubdown.store import Store

    return Store.open(db_path(ctx, db), write=write)
