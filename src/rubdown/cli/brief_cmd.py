"""``rubdown brief``: a brief for a massage therapist or a coach."""

from __future__ import annotations

import sys

from rubdown import app
from rubdown.cli import say

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def brief(
    db: Path | None = None, *, audience: str | None = None, since: str | None = None,
    fmt: str | None = None, include: str | None = None, output: Path | None = None,
    force: bool = False,
) -> None:  # fmt: skip
    """A brief for a massage therapist or a coach, in markdown or HTML."""
    from rubdown import render_brief
    from rubdown.app.brief import brief as gather
    from rubdown.errors import UsageError

    if force and output is None:
        raise UsageError("--force replaces the --output FILE; give --output", option="--force")
    found = gather(db=db, audience=audience, since=since, fmt=fmt, include=include)
    text = render_brief.html(found) if found.fmt == "html" else render_brief.markdown(found)
    if output is None:
        sys.stdout.write(text)
        return
    app.write_export(output, text.encode("utf-8"), overwrite=force, db=db)
    say(f"Wrote the brief to {output}")
