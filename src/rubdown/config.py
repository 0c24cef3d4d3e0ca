"""The TOML configuration file and its defaults.

The file is optional; a missing file means the defaults. ``RUBDOWN_UNITS``
overrides ``units``. Unknown keys and bad values are errors that name the key,
so a typo never silently falls back to a default.
"""

from __future__ import annotations

import os
from pathlib import Path

from rubdown.errors import RubdownError
from rubdown.models import RUN_TYPES

TEMPLATE = """\
# rubdown configuration. Every key is optional; these are the defaults.
units = "km"            # "km" or "mi": the unit of a bare distance and of reports
week_start = "monday"   # "monday" (ISO weeks) or "sunday"
currency = "USD"        # the currency of costs: its code or symbol may be typed ($85), no other

[hard_effort]
types = ["race", "relay", "long"]   # run types that are always hard efforts
rpe = 8                 # a run with RPE at or above this is a hard effort
load_factor = 2.0       # ... or with session load >= factor x the median load
load_days = 28          #     of the runs in this many days before it,
load_min_runs = 4       #     when there are at least this many such runs

[follow_up]
window_hours = 72       # recovery within this many hours is on time
self_care = false       # count self-care (foam rolling, yoga...) as recovery

[massage]
every = ""              # target massage cadence: "2w", "weekly", "biweekly", "monthly"; "" for none
"""


class Config:
    """The settings in effect: the file's values over the defaults. Immutable.

    Written out rather than a dataclass, which would import ``dataclasses``
    (and ``inspect``) on every ``rubdown log`` (see ``rubdown.models``).
    """

    DEFAULTS: dict[str, object] = {
        "units": "km",
        "week_start": "monday",
        "currency": "USD",
        "hard_types": ("race", "relay", "long"),
        "hard_rpe": 8,
        "load_factor": 2.0,
        "load_days": 28,
        "load_min_runs": 4,
        "window_hours": 72.0,
        "self_care": False,
        "every_days": None,
        "path": None,
        "loaded": False,
    }
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
    path: Path | None
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

    def as_toml(self) -> str:
        every = "" if self.every_days is None else f"{self.every_days}d"
        types = ", ".join(f'"{t}"' for t in self.hard_types)
        return (
            f'units = "{self.units}"\n'
            f'week_start = "{self.week_start}"\n'
            f'currency = "{self.currency}"\n\n'
            "[hard_effort]\n"
            f"types = [{types}]\n"
            f"rpe = {self.hard_rpe}\n"
            f"load_factor = {self.load_factor}\n"
            f"load_days = {self.load_days}\n"
            f"load_min_runs = {self.load_min_runs}\n\n"
            "[follow_up]\n"
            f"window_hours = {self.window_hours:g}\n"
            f"self_care = {'true' if self.self_care else 'false'}\n\n"
            "[massage]\n"
            f'every = "{every}"\n'
        )


# key in the file -> (field name, check)
_SECTIONS: dict[str | None, dict[str, str]] = {
    None: {"units": "units", "week_start": "week_start", "currency": "currency"},
    "hard_effort": {
        "types": "hard_types",
        "rpe": "hard_rpe",
        "load_factor": "load_factor",
        "load_days": "load_days",
        "load_min_runs": "load_min_runs",
    },
    "follow_up": {"window_hours": "window_hours", "self_care": "self_care"},
    "massage": {"every": "every_days"},
}


def _bad(path: Path, key: str, value: object, accepted: str) -> RubdownError:
    return RubdownError(
        f"Config file {path}: {key} = {value!r} is not valid; use {accepted}. "
        "See 'rubdown config show'."
    )


def _number(path, key, value, lo, hi, integer):
    ok_type = isinstance(value, int) if integer else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type or not (lo <= value <= hi):
        kind = "a whole number" if integer else "a number"
        raise _bad(path, key, value, f"{kind} from {lo} to {hi}")
    return value


def _convert(path: Path, key: str, name: str, value: object) -> object:
    from rubdown import parsing

    if name == "units":
        try:
            return parsing.parse_units(str(value))
        except parsing.ParseError:
            raise _bad(path, key, value, '"km" or "mi"') from None
    if name == "week_start":
        if isinstance(value, str) and value.strip().lower() in ("monday", "sunday"):
            return value.strip().lower()
        raise _bad(path, key, value, '"monday" or "sunday"')
    if name == "currency":
        if isinstance(value, str) and 0 < len(value.strip()) <= 8 and value.isprintable():
            label = value.strip()  # a code is shown as codes are written: "eur" is EUR
            return label.upper() if label.isascii() and label.isalpha() else label
        raise _bad(path, key, value, 'a short currency label such as "USD" or "EUR"')
    if name == "hard_types":  # read as --type reads them: "RACE", "Long Run"
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            try:
                return tuple(dict.fromkeys(parsing.parse_type("run", v) for v in value))
            except parsing.ParseError:
                pass
        raise _bad(path, key, value, "a list of run types from " + ", ".join(RUN_TYPES))
    if name == "hard_rpe":
        return _number(path, key, value, 0, 10, True)
    if name == "load_factor":
        return float(_number(path, key, value, 1, 100, False))
    if name == "load_days":
        return _number(path, key, value, 1, 365, True)
    if name == "load_min_runs":
        return _number(path, key, value, 1, 1000, True)
    if name == "window_hours":
        return float(_number(path, key, value, 1, 24 * 60, False))
    if name == "self_care":
        if isinstance(value, bool):
            return value
        raise _bad(path, key, value, "true or false")
    if name == "every_days":
        if value in ("", None):
            return None
        try:
            return parsing.parse_period_days(str(value))
        except parsing.ParseError:
            raise _bad(
                path, key, value, '"1w", "2w", "4w", "30d", "weekly", "biweekly", "monthly" or ""'
            ) from None
    raise AssertionError(name)  # pragma: no cover - _SECTIONS and _convert agree


def load_config(path: Path | None = None) -> Config:
    """Read the config file (if any) and apply ``RUBDOWN_UNITS``."""
    from rubdown.paths import config_path

    path = path or config_path()
    values: dict[str, object] = {"path": path}
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        raise RubdownError(f"Cannot read config file {path}: {exc.strerror}.") from None
    if raw is not None:
        import tomllib

        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise RubdownError(
                f"Config file {path} is not valid TOML ({exc}); fix it or delete it "
                "to use the defaults."
            ) from None
        values["loaded"] = True
        for section, keys in _SECTIONS.items():
            table = data if section is None else data.get(section, {})
            if not isinstance(table, dict):
                raise _bad(path, section or "", table, "a table")
            for key, value in table.items():
                if section is None and key in _SECTIONS:
                    continue
                full = key if section is None else f"{section}.{key}"
                if key not in keys:
                    known = ", ".join(
                        k if s is None else f"{s}.{k}" for s, ks in _SECTIONS.items() for k in ks
                    )
                    raise RubdownError(
                        f"Config file {path}: unknown key '{full}'. Known keys: {known}."
                    )
                values[keys[key]] = _convert(path, full, keys[key], value)
    env_units = os.environ.get("RUBDOWN_UNITS")
    if env_units:
        from rubdown import parsing

        try:
            values["units"] = parsing.parse_units(env_units)
        except parsing.ParseError:
            raise RubdownError(
                f"RUBDOWN_UNITS={env_units!r} is not valid; use km or mi."
            ) from None
    return Config(**{k: v for k, v in values.items() if k in Config.DEFAULTS})
