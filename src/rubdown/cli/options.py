"""Pieces every command shares: the --db option, the store, settings, output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rubdown.cli import core
from rubdown.cli.core import parsed, say, settings
from rubdown.errors import UsageError

if TYPE_CHECKING:
    from rubdown.store import Store

__all__ = ["parsed", "say", "settings"]  # shared with the typer-free core


def path_value(value: str) -> Path:
    """The parser of every path option and argument: an empty path is a usage
    error (typer would read it as the current folder), ``~`` is expanded."""
    from rubdown.errors import ParseError
    from rubdown.paths import given_path

    try:
        return given_path(value)
    except ParseError as exc:
        raise typer.BadParameter(str(exc)) from None


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="PATH",
        parser=path_value,
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
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format: table (the default), json, csv or markdown.",
        show_default=False,
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


def day_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """The days ``--since`` and ``--until`` give (None when not given); a
    since after the until is a usage error, as in ``report``."""
    from rubdown import clock, parsing

    now = clock.now()
    day = lambda v: parsing.parse_date(v, now=now)  # noqa: E731
    since_d = parsed("--since", day, since)
    until_d = parsed("--until", day, until)
    if since_d and until_d and since_d > until_d:
        raise typer.BadParameter(
            f"--since {since_d} is after --until {until_d}", param_hint="'--since'"
        )
    return since_d, until_d


def output_format(fmt: str | None, as_json: bool) -> str:
    with usage_errors():
        return core.output_format(fmt, as_json)


def db_path(ctx: typer.Context, db: Path | None) -> Path:
    from rubdown.paths import db_path as resolve

    root = ctx.find_root().obj or {}
    return resolve(db or root.get("db"))


def open_store(
    ctx: typer.Context, db: Path | None, *, write: bool, create: bool | None = None
) -> Store:
    """The database, opened as ``Store.open`` does (``create=False``: a write
    that changes only what is there creates no database)."""
    from rubdown.store import Store

    return Store.open(db_path(ctx, db), write=write, create=create)
