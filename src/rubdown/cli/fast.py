"""The fast path: a well-formed ``rubdown log ...`` without importing typer.

Importing typer (and the click inside it) costs more than three times a bare
Python process that writes a row to SQLite, and ``log`` is the command typed
after every run. So ``main`` first offers the command line here. ``run``
takes it only when it is sure typer would read it the same way: the ``log``
kinds, each option spelled out with its value (``--time 55:00`` or
``--time=55:00``), none twice, no value that looks like an option, every
required option present. Anything else (help, prompts, a typo, an unknown or
repeated option) returns None, and typer reads the line, so every message a
user can see still comes from one place. Both paths end in ``log_core``.
``tests/test_fast_path.py`` holds this table equal to the typer commands and
the two paths' results equal to each other.
"""

from __future__ import annotations

from pathlib import Path

_DATE = {"--date": "date", "-d": "date"}
_NOTE = {"--note": "note", "-n": "note"}
_DB = {"--db": "db"}

#: kind -> {option spelling: parameter}; kind -> the options it cannot do without.
OPTIONS: dict[str, dict[str, str]] = {
    "run": {
        **_DATE, "--distance": "distance", "-D": "distance", "--time": "time", "-t": "time",
        "--type": "type_", "--rpe": "rpe", "--event": "event", "--leg": "leg", **_NOTE, **_DB,
    },
    "massage": {
        "--type": "type_", "--minutes": "minutes", "-m": "minutes", **_DATE,
        "--therapist": "therapist", "--cost": "cost", "--focus": "focus", **_NOTE, **_DB,
    },
    "self-care": {
        "--type": "type_", "--minutes": "minutes", "-m": "minutes", **_DATE, **_NOTE, **_DB,
    },
}  # fmt: skip
REQUIRED = {"run": (), "massage": ("type_", "minutes"), "self-care": ("type_", "minutes")}


def read(args: list[str]) -> tuple[str, dict[str, str], str | None] | None:
    """``(kind, values, root --db)`` for a command line this path takes, else None."""
    root_db = None
    if args[:1] == ["--db"] and len(args) > 1:
        root_db, args = args[1], args[2:]
    elif args and args[0].startswith("--db="):
        root_db, args = args[0].removeprefix("--db="), args[1:]
    if len(args) < 2 or args[0] != "log" or args[1] not in OPTIONS:
        return None
    kind, spellings = args[1], OPTIONS[args[1]]
    values: dict[str, str] = {}
    rest, i = args[2:], 0
    while i < len(rest):
        token = rest[i]
        if token.startswith("--") and "=" in token:
            name, value = token.split("=", 1)
            i += 1
        elif i + 1 < len(rest):
            name, value = token, rest[i + 1]
            i += 2
        else:
            return None
        param = spellings.get(name)
        if param is None or param in values or value.startswith("-"):
            return None
        values[param] = value
    if any(param not in values for param in REQUIRED[kind]):
        return None
    if not set(values) - {"db"}:  # a bare `log run`: typer asks, or explains
        return None
    if "" in (root_db, values.get("db")):
        return None
    return kind, values, root_db


def run(args: list[str]) -> int | None:
    """Run a command line this path takes and return 0; None if it does not take it."""
    if args == ["--version"]:
        from rubdown import __version__

        print(f"rubdown {__version__}")
        return 0
    found = read(args)
    if found is None:
        return None
    from rubdown.cli import log_core

    kind, values, root_db = found
    given_db = values.pop("db", None) or root_db
    db = Path(given_db) if given_db is not None else None
    log = {"run": log_core.log_run, "massage": log_core.log_massage}.get(
        kind, log_core.log_self_care
    )
    log(db, **values)
    return 0
