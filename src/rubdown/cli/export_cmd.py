"""``rubdown export``: the log as JSON, CSV, iCalendar or a ledger journal, to
stdout or a file."""

from __future__ import annotations

import sys

from rubdown import app
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def export(
    db: Path | None = None, *, fmt: str = "json", since: str | None = None,
    until: str | None = None, output: Path | None = None, force: bool = False,
) -> None:  # fmt: skip
    """Export records, oldest first, as JSON, CSV, an iCalendar (.ics) file or a
    ledger journal."""
    text, count, value = app.export(fmt, db=db, since=since, until=until)
    if output is None:
        if sys.stdout.isatty():
            # On a screen, as everywhere: control characters in notes are
            # shown as visible escapes, never sent to the terminal.
            from rubdown.render import clean

            text = clean(text.replace("\r\n", "\n"), one_line=False)
        sys.stdout.write(text)
        return
    app.write_export(output, text.encode("utf-8"), overwrite=force, db=db)
    noun = "record" if count == 1 else "records"
    say(f"Exported {count} {noun} to {output} ({value})")
