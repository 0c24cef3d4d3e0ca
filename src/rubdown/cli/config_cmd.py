"""``rubdown config path|show|init``."""

from __future__ import annotations

from rubdown import app
from rubdown.cli import say


def config_path() -> None:
    """Print the configuration file's path (RUBDOWN_CONFIG overrides it)."""
    from rubdown.paths import config_path as resolve
    from rubdown.render import shown_path

    print(shown_path(resolve()))


def config_show() -> None:
    """Print the settings in force, as TOML (defaults where the file is silent)."""
    from rubdown.render import shown_path
    from rubdown.render_config import settings_toml

    cfg = app.settings()
    where = shown_path(cfg.path)
    origin = f"from {where}" if cfg.loaded else f"defaults; no file at {where}"
    print(f"# rubdown settings ({origin})")
    print(settings_toml(cfg), end="")


def config_init() -> None:
    """Write a commented configuration file with the defaults, if none exists."""
    say(f"Wrote {app.config_init()}")
