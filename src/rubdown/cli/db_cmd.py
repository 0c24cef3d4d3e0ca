"""``rubdown db path|check|backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rubdown.cli.options import DbOption, db_path, open_store, path_value, say

app = typer.Typer(
    help="The database file: where it is, whether it is sound, a safe copy.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("path")
def path_(ctx: typer.Context, db: DbOption = None) -> None:
    """Print the path of the database in use."""
    from rubdown.render import shown_path

    print(shown_path(db_path(ctx, db)))


def _exists(path: Path) -> bool:
    """Whether there is a database at ``path`` (or its WAL); what cannot be
    one (a folder, a device, a link to nothing) is refused with its reason."""
    from rubdown.store import refuse_unusable

    refuse_unusable(path)
    return path.exists() or path.with_name(path.name + "-wal").exists()


@app.command("check")
def check(ctx: typer.Context, db: DbOption = None) -> None:
    """Check the database's integrity (read-only) and give a clear verdict."""
    from rubdown.errors import RubdownError
    from rubdown.render import shown_path
    from rubdown.store import check_database

    path = db_path(ctx, db)
    if not _exists(path):
        say(f"No database at {path} yet; the first 'rubdown log' creates it.")
        return
    result = check_database(path)  # a lost or unreadable file is a RubdownError
    if not result.ok:
        first = " ".join(result.problems[0].split())
        more = f" (+{len(result.problems) - 1} more problems)" if len(result.problems) > 1 else ""
        raise RubdownError(
            f"{path} is damaged: {first}{more}. Restore a copy made with 'rubdown db backup'; "
            "keep this file for recovery with the sqlite3 '.recover' command."
        )
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
    print(f"ok: {shown_path(path)} · integrity ok · schema {result.version} · {counts or 'empty'}")


@app.command("backup")
def backup_cmd(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", parser=path_value, help="Where to write the copy.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    db: DbOption = None,
) -> None:
    """Write a consistent copy of the database to FILE (mode 0600), even while others write."""
    from rubdown.errors import RubdownError
    from rubdown.store import backup

    path = db_path(ctx, db)
    if not _exists(path):
        raise RubdownError(f"No database at {path} to back up.")
    with open_store(ctx, db, write=False) as store:
        count = backup(store, file, overwrite=force)
    say(f"Backed up {count} {'record' if count == 1 else 'records'} to {file}")
