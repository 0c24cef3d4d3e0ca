"""Recording a session, below the command-line layer.

``rubdown log`` (typer, in ``log_cmd``) and the fast path in ``rubdown.cli.fast``
(a well-formed ``log`` command, run without importing typer) both end here, so
they check, store and confirm alike. Nothing here imports typer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

# Not ``from typing import TYPE_CHECKING``: importing typing costs a ``log`` a
# few milliseconds, and type checkers take this spelling as well.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import TypeVar

    from rubdown.config import Config
    from rubdown.models import Record

    T = TypeVar("T")


def parsed(option: str, parse: Callable[[str], T], value: str | None, default=None) -> T:
    """``parse(value)``, with the option's name in front of any error.

    An option that was not given (None) gives ``default``; an empty value is
    passed to the parser like any other, so ``--distance ""`` is refused
    rather than silently ignored.
    """
    from rubdown.errors import ParseError

    if value is None:
        return default
    try:
        return parse(value)
    except ParseError as exc:
        raise ParseError(f"{option}: {exc}") from None


def say(line: str) -> None:
    """A confirmation or notice: one line on stderr, so stdout stays data.

    User text in it (notes, names, paths) is made safe to print here, the
    one way every confirmation goes out."""
    from rubdown.render import clean

    print(clean(line, one_line=False), file=sys.stderr)


def settings() -> Config:
    from rubdown.config import load_config

    return load_config()


def when(value: str | None) -> tuple[datetime, datetime]:
    """The start ``--date`` gives (now when not given), and now."""
    from rubdown import clock, parsing

    now = clock.now()
    if value is None:
        return now.replace(microsecond=0), now
    return parsed("--date", lambda v: parsing.parse_when(v, now=now), value), now


def _store(kind: str, fields: dict, db: Path | None, now: datetime, cfg: Config) -> Record:
    from rubdown.paths import db_path
    from rubdown.render import summary
    from rubdown.store import Store

    with Store.open(db_path(db), write=True) as store:
        record = store.add(kind, fields)
    say(f"Logged {summary(record, cfg.units, cfg.currency, now)}")
    return record


def log_run(
    db: Path | None,
    *,
    date: str | None = None,
    distance: str | None = None,
    time: str | None = None,
    type_: str | None = None,
    rpe: str | None = None,
    event: str | None = None,
    leg: str | None = None,
    note: str | None = None,
    cfg: Config | None = None,
) -> Record:
    """Check every value as typed, store the run, and confirm it."""
    from rubdown import parsing

    cfg = cfg or settings()
    start, now = when(date)
    fields = {
        "start": start,
        "type": parsed("--type", parsing.parse_run_type, type_, "easy"),
        "distance_m": parsed(
            "--distance", lambda v: parsing.parse_distance(v, unit=cfg.units), distance
        ),
        "duration_s": parsed("--time", parsing.parse_duration, time),
        "rpe": parsed("--rpe", parsing.parse_rpe, rpe),
        "event": parsed("--event", parsing.parse_name, event),
        "leg": parsed("--leg", parsing.parse_leg, leg),
        "note": parsed("--note", parsing.parse_note, note) or None,
    }
    return _store("run", fields, db, now, cfg)


def log_massage(
    db: Path | None,
    *,
    type_: str,
    minutes: str,
    date: str | None = None,
    therapist: str | None = None,
    cost: str | None = None,
    focus: str | None = None,
    note: str | None = None,
) -> Record:
    """Check every value as typed, store the massage, and confirm it."""
    from rubdown import parsing

    cfg = settings()
    fields = {
        "type": parsed("--type", parsing.parse_massage_type, type_),
        "minutes": parsed("--minutes", parsing.parse_minutes, minutes),
        "therapist": parsed("--therapist", parsing.parse_name, therapist),
        "cost_cents": parsed("--cost", parsing.parse_cost, cost),
        "focus": parsed("--focus", parsing.parse_focus, focus, ()),
        "note": parsed("--note", parsing.parse_note, note) or None,
    }
    fields["start"], now = when(date)
    return _store("massage", fields, db, now, cfg)


def log_self_care(
    db: Path | None,
    *,
    type_: str,
    minutes: str,
    date: str | None = None,
    note: str | None = None,
) -> Record:
    """Check every value as typed, store the session, and confirm it."""
    from rubdown import parsing

    cfg = settings()
    fields = {
        "type": parsed("--type", parsing.parse_self_care_type, type_),
        "minutes": parsed("--minutes", parsing.parse_minutes, minutes),
        "note": parsed("--note", parsing.parse_note, note) or None,
    }
    fields["start"], now = when(date)
    return _store("self-care", fields, db, now, cfg)
