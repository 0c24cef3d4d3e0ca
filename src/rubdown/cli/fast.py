"""The fast path: well-formed ``log`` and ``report`` lines, the root help and
``--version``, without typer.

Importing typer (and the click inside it) costs more than three times a bare
Python process that writes a row to SQLite, and ``log`` is typed after every
run, ``report`` after every week. So ``main`` first offers the command line
here (the root help is laid out by ``root_help``). ``run`` takes a line only
when it is sure typer would read it the same way: one of the commands below,
each option spelled out (``--time 55:00`` or ``--time=55:00``; flags alone),
none twice, no value that looks like an option, every required option
present, numbers in range. Anything else (a command's help, prompts, a
typo, an unknown or repeated option, a usage error found later) returns None
before anything is printed or stored, and typer reads the line, so every
usage message still comes from typer. Both paths end in ``core``.

``tests/test_fast_path.py`` holds this table equal to the typer commands, and
the two paths' output and stored records equal to each other.
"""

from __future__ import annotations

from rubdown.errors import UsageError

VALUE = object()  #: an option that takes a value (otherwise: the flag's value)


def _options(*groups: dict[str, tuple[str, object]]) -> dict[str, tuple[str, object]]:
    return {spelling: spec for group in groups for spelling, spec in group.items()}


_DATE = {"--date": ("date", VALUE), "-d": ("date", VALUE)}
_NOTE = {"--note": ("note", VALUE), "-n": ("note", VALUE)}
_DB = {"--db": ("db", VALUE)}
_SESSION = {"--type": ("type_", VALUE), "--minutes": ("minutes", VALUE),
            "-m": ("minutes", VALUE)}  # fmt: skip

#: command words -> (option spelling -> (parameter, VALUE or the flag's value),
#: the parameters it cannot do without, the function in ``core`` that runs it)
COMMANDS: dict[tuple[str, ...], tuple[dict[str, tuple[str, object]], tuple[str, ...], str]] = {
    ("log", "run"): (
        _options(_DATE, {
            "--distance": ("distance", VALUE), "-D": ("distance", VALUE),
            "--time": ("time", VALUE), "-t": ("time", VALUE), "--type": ("type_", VALUE),
            "--rpe": ("rpe", VALUE), "--event": ("event", VALUE), "--leg": ("leg", VALUE),
        }, _NOTE, _DB),
        (),
        "log_run",
    ),
    ("log", "massage"): (
        _options(_SESSION, _DATE, {
            "--therapist": ("therapist", VALUE), "--cost": ("cost", VALUE),
            "--focus": ("focus", VALUE),
        }, _NOTE, _DB),
        ("type_", "minutes"),
        "log_massage",
    ),
    ("log", "self-care"): (_options(_SESSION, _DATE, _NOTE, _DB), ("type_", "minutes"),
                           "log_self_care"),
    ("report",): (
        _options({
            "--weeks": ("weeks", VALUE), "-w": ("weeks", VALUE), "--since": ("since", VALUE),
            "--until": ("until", VALUE), "--week": ("week", VALUE),
            "--last-week": ("last_week", True), "--within": ("within", VALUE),
            "--every": ("every", VALUE), "--self-care": ("self_care", True),
            "--no-self-care": ("self_care", False), "--format": ("fmt", VALUE),
            "-f": ("fmt", VALUE), "--json": ("as_json", True),
        }, _DB),
        (),
        "report",
    ),
}  # fmt: skip

#: Parameters typer converts, and the range it accepts: (low, high) integers.
INTEGERS = {"weeks": (1, 520)}


def read(args: list[str]) -> tuple[str, dict[str, object], str | None] | None:
    """``(function, values, root --db)`` for a command line this path takes, else None."""
    root_db = None
    if args[:1] == ["--db"] and len(args) > 1:
        root_db, args = args[1], args[2:]
    elif args and args[0].startswith("--db="):
        root_db, args = args[0].removeprefix("--db="), args[1:]
    words = tuple(args[:2]) if args[:1] == ["log"] else tuple(args[:1])
    spec = COMMANDS.get(words)
    if spec is None:
        return None
    spellings, required, function = spec
    values: dict[str, object] = {}
    rest, i = args[len(words) :], 0
    value: object  # the text typed, or a flag's own value
    while i < len(rest):
        token = rest[i]
        name, has_value, value = token.partition("=") if token.startswith("--") else (token, "", "")
        option = spellings.get(name)
        if option is None:
            return None
        param, flag = option
        if flag is not VALUE:  # a flag: no value of its own
            if has_value:
                return None
            value, i = flag, i + 1
        elif has_value:
            i += 1
        elif i + 1 < len(rest):
            value, i = rest[i + 1], i + 2
        else:
            return None
        if param in values or (isinstance(value, str) and value.startswith("-")):
            return None
        if param in INTEGERS:
            assert isinstance(value, str)  # only options that take a value are numbers
            value = _integer(value, *INTEGERS[param])
            if value is None:
                return None
        values[param] = value
    if any(param not in values for param in required):
        return None
    if words == ("log", "run") and not set(values) - {"db"}:  # typer asks, or explains
        return None
    for given in (root_db, values.get("db")):
        if isinstance(given, str) and not _path_ok(given):  # typer says why
            return None
    return function, values, root_db


def _path_ok(text: str) -> bool:
    """Whether ``text`` is a path rubdown accepts (``paths.given_path``)."""
    from rubdown.errors import ParseError
    from rubdown.paths import given_path

    try:
        given_path(text)
    except ParseError:
        return False
    return True


def _integer(text: str, low: int, high: int) -> int | None:
    try:
        number = int(text)
    except ValueError:
        return None
    return number if low <= number <= high else None


def run(args: list[str]) -> int | None:
    """Run a command line this path takes and return 0; None if it does not take it."""
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
    from pathlib import Path  # not at the top: the help and --version need none of it

    from rubdown.cli import core

    function, values, root_db = found
    given_db = values.pop("db", None) or root_db
    db = Path(given_db) if isinstance(given_db, str) else None  # checked by read
    try:
        getattr(core, function)(db, **values)
    except UsageError:  # found before anything was printed or stored: typer says it
        return None
    return 0
