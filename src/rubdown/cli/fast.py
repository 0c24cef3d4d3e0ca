"""The fast reader: well-formed lines of the hot commands (``log``,
``report``: ``hot`` in ``cli/spec.py``), the root help and ``--version``,
without typer.

Importing typer (and the click inside it) costs more than three times a bare
Python process that writes a row to SQLite, and ``log`` is typed after every
run, ``report`` after every week. So ``main`` first offers the command line
here. This is a generic reader of the catalogue, with no table of its own,
and it checks syntax only: each option spelled as the catalogue spells it
(``--time 55:00`` or ``--time=55:00``; flags alone), none twice, a value
after each option that takes one (not one that looks like an option), every
required option present. A line it cannot read that way (a command's help,
a prompt, a typo, an unknown or repeated option) returns None before
anything is printed or stored, and typer reads it. Every value is checked by
rubdown's own code, the same on both paths, so a bad value is the same
``UsageError`` whichever path read the line.

``tests/test_fast_path.py`` holds the two paths' output and stored records
equal.
"""

from __future__ import annotations

from rubdown.cli import spec


def read(args: list[str]) -> tuple[spec.Command, dict[str, object], str | None] | None:
    """``(command, values, root --db)`` for a line this reader takes, else
    None. ``values``: parameter -> the text typed (a flag: its value)."""
    root_db = None  # the root's own option, before the command's words
    name, has_value, typed = args[0].partition("=") if args else ("", "", "")
    if name in spec.DB.spellings and (has_value or len(args) > 1):
        root_db, args = (typed, args[1:]) if has_value else (args[1], args[2:])
    command = spec.HOT.get(tuple(args[:2])) or spec.HOT.get(tuple(args[:1]))
    if command is None:
        return None
    table = spec.spellings(command)
    values: dict[str, object] = {}
    rest, i = args[len(command.words) :], 0
    value: object  # the text typed, or a flag's own value
    while i < len(rest):
        token = rest[i]
        name, has_value, value = token.partition("=") if token.startswith("--") else (token, "", "")
        found = table.get(name)
        if found is None:
            return None
        option, flag = found
        if flag is not None:  # a flag: no value of its own
            if has_value:
                return None
            value, i = flag, i + 1
        elif has_value:
            i += 1
        elif i + 1 < len(rest):
            value, i = rest[i + 1], i + 2
        else:
            return None
        if option.name in values or (isinstance(value, str) and value.startswith("-")):
            return None
        values[option.name] = value
    if any(option.required and option.name not in values for option in command.options):
        return None
    if command.asks and not any(option.field for option, _ in table.values()
                                if option.name in values):  # no field: typer asks, or explains
        return None
    return command, values, root_db


def converted(command: spec.Command, values: dict[str, object]) -> dict[str, object]:
    """The values as typer hands them over: paths and whole numbers read as
    click reads them, in the order they were typed (a ``UsageError`` naming
    the option for the first that is not one)."""
    options = {option.name: option for option in command.options}
    for name, value in values.items():
        option = options[name]
        if not isinstance(value, str):
            continue
        if option.takes == spec.INTEGER:
            values[name] = option.integer(value)
        elif option.takes == spec.PATH:
            values[name] = _path(option, value)
    return values


def _path(option: spec.Option, text: str) -> object:
    """``--db`` as text, any other path (``report --output``) as a ``Path``,
    as typer reads them (``cli.options.db_value``, ``path_value``)."""
    from rubdown.errors import ParseError
    from rubdown.paths import given_path

    try:
        value = given_path(text)
    except ParseError as exc:
        raise ParseError(str(exc), option=option.long) from None
    if option is spec.DB:
        return value
    from pathlib import Path  # a file to write: not the prompt's path

    return Path(value)


def run(args: list[str]) -> int | None:
    """Run a line this reader takes and return 0; None if it does not take it."""
    if args in (["--help"], ["-h"], []):  # with nothing, the help goes to stderr
        import sys

        from rubdown.cli import root_help

        print(root_help.text(), file=sys.stdout if args else sys.stderr)
        return 0
    if args == ["--version"]:
        from rubdown import __version__

        print(f"rubdown {__version__}")
        return 0
    found = read(args)
    if found is None:
        return None
    command, values, root_db = found
    root_path = None if root_db is None else _path(spec.DB, root_db)  # read first, as by typer
    values = converted(command, values)
    if root_path is not None and values.get("db") is None:  # the command's own comes first
        values["db"] = root_path
    command.function()(**values)
    return 0
