"""``rubdown export``: the log as JSON, CSV or iCalendar, to stdout or a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rubdown.cli.options import (
    DbOption,
    SinceOption,
    UntilOption,
    day_range,
    db_path,
    open_store,
    path_value,
    say,
    settings,
)


def write_private(dest: Path, data: bytes, *, overwrite: bool, database: Path) -> None:
    """Write ``data`` to ``dest`` with mode 0600 (it is health data), atomically
    (``rubdown.files``). Without ``overwrite`` an existing ``dest`` is refused,
    even one created while this runs; the ``database`` in use is refused even
    with it."""
    from rubdown import files
    from rubdown.errors import RubdownError
    from rubdown.paths import refuse_output_place

    refuse_output_place(dest, "export", database=database)
    taken = RubdownError(f"{dest} already exists; choose another name or pass --force.")
    if dest.exists() and not overwrite:
        raise taken
    try:
        files.write_private(dest, data, overwrite=overwrite)
    except FileExistsError:
        raise taken from None
    except OSError as exc:  # a full disk, a file size limit, a read-only folder
        raise _cannot_write(dest, exc) from None


def _cannot_write(dest: Path, exc: OSError):
    from rubdown.errors import RubdownError

    return RubdownError(
        f"Cannot write {dest}: {exc.strerror or exc}; nothing was written. Free some space "
        "or choose another place."
    )


def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="json (the 'list --json' array; 'rubdown import' reads it back), csv "
            "(one row per record, every field) or ics (one calendar event per session).",
        ),
    ] = "json",
    since: SinceOption = None,
    until: UntilOption = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            parser=path_value,
            help="Write to FILE (mode 0600) instead of standard output.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace FILE if it exists.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export records, oldest first, as JSON, CSV or an iCalendar (.ics) file."""
    from rubdown import clock, export

    value = fmt.strip().lower()
    if value not in export.FORMATS:
        raise typer.BadParameter(
            f"'{fmt}' is not an export format; use one of {', '.join(export.FORMATS)}.",
            param_hint="'--format'",
        )
    now = clock.now()
    since_d, until_d = day_range(since, until)
    with open_store(ctx, db, write=False) as store:
        records = store.records(since=since_d, until=until_d)
    if value == "json":
        text = export.to_json(records)
    elif value == "csv":
        text = export.to_csv(records)
    else:
        cfg = settings()
        text = export.to_ics(records, units=cfg.units, currency=cfg.currency, stamp=now)
    if output is None:
        if sys.stdout.isatty():
            # On a screen, as everywhere: control characters in notes are
            # shown as visible escapes, never sent to the terminal.
            from rubdown.render import clean

            text = clean(text.replace("\r\n", "\n"), one_line=False)
        sys.stdout.write(text)
        return
    dest = output
    write_private(dest, text.encode("utf-8"), overwrite=force, database=db_path(ctx, db))
    noun = "record" if len(records) == 1 else "records"
    say(f"Exported {len(records)} {noun} to {dest} ({value})")
