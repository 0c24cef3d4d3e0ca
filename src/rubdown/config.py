"""The TOML configuration file and its defaults.

The file is optional; a missing file means the defaults. ``RUBDOWN_UNITS``
overrides ``units``. Unknown keys and bad values are errors that name the key,
so a typo never silently falls back to a default.
"""

from __future__ import annotations

from rubdown.errors import RubdownError
from rubdown.models import RUN_TYPES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rubdown.paths import PathLike

#: The tables of the file, in order, with what each is about.
SECTIONS = {
    None: "",
    "hard_effort": "Which runs are hard efforts (docs/metrics.md)",
    "follow_up": "When recovery after a hard effort counts",
    "massage": "Massage cadence",
    "plans": "Plans and what is due",
    "budget": "What recovery costs: a budget, and the accounts of the ledger export",
}

#: Every setting once, one row each, in the file's order: (table, None at the
#: top; key; Config attribute; default; kind; help; the environment variable
#: that overrides it, or None). The kind says how a value is read, what is
#: accepted and how it is written back (``read``, ``accepted``, ``written``).
#: ``load_config`` (defaults, checks, error messages) and
#: ``rubdown.render_config`` (``config init``'s template, ``config show``,
#: docs/configuration.md) derive from it. Constants only, so Python builds it
#: when compiling: it costs ``rubdown log`` nothing.
SETTINGS = (
    (None, "units", "units", "km", "units",
     "The unit of a bare distance and of reports", "RUBDOWN_UNITS"),
    (None, "week_start", "week_start", "monday", "week_start",
     "The first day of a week in reports (monday: ISO weeks)", None),
    (None, "currency", "currency", "USD", "currency",
     "The currency of costs: its code or its symbol may be typed ($85), no other", None),
    ("hard_effort", "types", "hard_types", ("race", "relay", "long"), "run_types",
     "Run types that are always hard efforts", None),
    ("hard_effort", "rpe", "hard_rpe", 8, ("whole", 0, 10),
     "A run with an RPE at or above this is a hard effort", None),
    ("hard_effort", "load_factor", "load_factor", 2.0, ("number", 1, 100),
     "So is a run whose session load is at least this many times the median load", None),
    ("hard_effort", "load_days", "load_days", 28, ("whole", 1, 365),
     "... of the runs in this many days before it", None),
    ("hard_effort", "load_min_runs", "load_min_runs", 4, ("whole", 1, 1000),
     "... when there are at least this many such runs", None),
    ("follow_up", "window_hours", "window_hours", 72.0, ("number", 1, 24 * 60),
     "Recovery within this many hours of a hard effort is on time", None),
    ("follow_up", "self_care", "self_care", False, "bool",
     "Count self-care (foam rolling, yoga...) as recovery", None),
    ("massage", "every", "every_days", None, "cadence",
     "The massage cadence you aim for, read as --every reads it; \"\" for none", None),
    ("plans", "match_days", "plan_match_days", 7, ("whole", 0, 365),
     "A session fulfils a plan of its kind at most this many days from it, either way", None),
    ("plans", "book_lead_days", "book_lead_days", 7, ("whole", 0, 365),
     "Recovery after a planned hard effort is to be booked this many days before it", None),
    ("budget", "recovery", "budget", None, "budget",
     "What you mean to spend on massage, in the currency: \"120/month\" or \"30/week\"; "
     "\"\" for none", None),
    ("budget", "account", "ledger_account", "expenses:health:massage", "account",
     "The account 'export --format ledger' books each massage's cost to", None),
    ("budget", "from_account", "ledger_from_account", "assets:cash", "account",
     "The account 'export --format ledger' pays it from (the balancing posting)", None),
)  # fmt: skip


def read(kind: str | tuple[str, int, int], value: object) -> object:
    """A setting's value from ``value`` as the file (or the environment)
    gives it; ``ValueError`` if ``kind`` does not accept it."""
    from rubdown import parsing

    if isinstance(kind, tuple):  # ("whole" | "number", low, high)
        number, low, high = kind
        if isinstance(value, bool):
            pass
        elif number == "whole" and isinstance(value, int) and low <= value <= high:
            return value
        elif number == "number" and isinstance(value, int | float) and low <= value <= high:
            return float(value)
        raise ValueError(value)
    if kind == "units":
        return parsing.parse_units(str(value))  # a ParseError is a ValueError
    if kind == "week_start":
        if isinstance(value, str) and value.strip().lower() in ("monday", "sunday"):
            return value.strip().lower()
    elif kind == "currency":
        if isinstance(value, str) and 0 < len(value.strip()) <= 8 and value.isprintable():
            label = value.strip()  # a code is shown as codes are written: "eur" is EUR
            return label.upper() if label.isascii() and label.isalpha() else label
    elif kind == "run_types":  # read as --type reads them: "RACE", "Long Run"
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(dict.fromkeys(parsing.parse_type("run", v) for v in value))
    elif kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "cadence":
        return None if value in ("", None) else parsing.parse_period_days(str(value))
    elif kind == "budget":  # (cents, "month" | "week")
        if value in ("", None):
            return None
        if isinstance(value, str):
            return parsing.parse_budget(value)
    elif kind == "account" and isinstance(value, str):
        return parsing.parse_account(value)
    raise ValueError(value)


def accepted(kind: str | tuple[str, int, int]) -> str:
    """What a setting of ``kind`` accepts, as errors and the template say it."""
    from rubdown import parsing

    if isinstance(kind, tuple):
        number, low, high = kind
        return f"{'a whole number' if number == 'whole' else 'a number'} from {low} to {high}"
    if kind == "run_types":
        return "a list of run types from " + ", ".join(RUN_TYPES)
    return {
        "units": '"km" or "mi"',
        "week_start": '"monday" or "sunday"',
        "currency": 'a short currency label such as "USD" or "EUR"',
        "bool": "true or false",
        "cadence": '"1w", "2w", "4w", "30d", "weekly", "biweekly", "monthly" or ""',
        "budget": parsing.BUDGET_HELP + ', or "" for none',
        "account": parsing.ACCOUNT_HELP,
    }[kind]


def written(kind: str | tuple[str, int, int], value: object) -> object:
    """``value`` as the file holds it (a cadence of 14 days is "14d")."""
    if kind == "cadence":
        return "" if value is None else f"{value}d"
    if kind == "budget":
        if value is None:
            return ""
        from rubdown.formatting import format_cost

        assert isinstance(value, tuple)
        return f"{format_cost(value[0])}/{value[1]}"
    return value


class Config:
    """The settings in effect: the file's values over the defaults. Immutable.

    Written out rather than a dataclass, which would import ``dataclasses``
    (and ``inspect``) on every ``rubdown log`` (see ``rubdown.models``). The
    annotations below are for type checkers; ``SETTINGS`` makes the values
    (tests/test_config.py checks that they name the same settings).
    """

    DEFAULTS: dict[str, object] = {name: default for _, _, name, default, _, _, _ in SETTINGS}
    DEFAULTS["path"] = None
    DEFAULTS["loaded"] = False
    __slots__ = tuple(DEFAULTS)
    units: str
    week_start: str
    currency: str
    hard_types: tuple[str, ...]
    hard_rpe: int
    load_factor: float
    load_days: int
    load_min_runs: int
    window_hours: float
    self_care: bool
    every_days: int | None
    plan_match_days: int
    book_lead_days: int
    budget: tuple[int, str] | None
    ledger_account: str
    ledger_from_account: str
    path: PathLike | None
    loaded: bool

    def __init__(self, **values: object) -> None:
        unknown = set(values) - set(self.DEFAULTS)
        if unknown:
            raise TypeError(f"Config got unknown settings: {', '.join(sorted(unknown))}")
        for name, default in self.DEFAULTS.items():
            object.__setattr__(self, name, values.get(name, default))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Config is immutable; cannot set {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.DEFAULTS)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in self.DEFAULTS))

    def __repr__(self) -> str:
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.DEFAULTS)
        return f"Config({shown})"

    @property
    def week_start_index(self) -> int:
        """0 for Monday, 6 for Sunday (``date.weekday()`` numbering)."""
        return 6 if self.week_start == "sunday" else 0


def _bad(path: PathLike, key: str, value: object, accepted: str) -> RubdownError:
    return RubdownError(
        f"Config file {path}: {key} = {value!r} is not valid; use {accepted}. "
        "See 'rubdown config show'."
    )


def load_config(path: PathLike | None = None) -> Config:
    """Read the config file (if any) and apply ``RUBDOWN_UNITS``. Without
    ``path``, the one ``RUBDOWN_CONFIG`` names or the default, as text
    (``rubdown.paths.config_file``)."""
    from rubdown.paths import config_file

    path = path or config_file()
    values: dict[str, object] = {"path": path}
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raw = None
    except IsADirectoryError:
        raise RubdownError(
            f"Config file {path} is a folder, not a file; set RUBDOWN_CONFIG to a file path."
        ) from None
    except OSError as exc:
        raise RubdownError(f"Cannot read config file {path}: {exc.strerror}.") from None
    if raw is not None:
        import tomllib

        if raw.startswith(b"SQLite format 3\x00"):
            raise RubdownError(
                f"Config file {path} is an SQLite database, not a TOML config file (is "
                "RUBDOWN_CONFIG set to the database?); rubdown leaves it alone. Set "
                "RUBDOWN_CONFIG to a config file, or unset it."
            )
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RubdownError(
                f"Config file {path} is not valid TOML ({exc}). Fix it, or set "
                "RUBDOWN_CONFIG to another file."
            ) from None
        values["loaded"] = True
        by_key = {(row[0], row[1]): row for row in SETTINGS}
        for section in SECTIONS:
            table = data if section is None else data.get(section, {})
            if not isinstance(table, dict):
                raise _bad(path, section or "", table, "a table")
            for key, value in table.items():
                if section is None and key in SECTIONS:
                    continue
                full = key if section is None else f"{section}.{key}"
                row = by_key.get((section, key))
                if row is None:
                    known = ", ".join(k if s is None else f"{s}.{k}" for s, k, *_ in SETTINGS)
                    raise RubdownError(
                        f"Config file {path}: unknown key '{full}'. Known keys: {known}."
                    )
                try:
                    values[row[2]] = read(row[4], value)
                except ValueError:
                    raise _bad(path, full, value, accepted(row[4])) from None
    from rubdown import environment

    for row in SETTINGS:
        env = row[6]
        if env is not None and (env_value := environment.text(env)) is not None:
            try:
                values[row[2]] = read(row[4], env_value)
            except ValueError:
                raise environment.refused(env, env_value) from None
    return Config(**values)
