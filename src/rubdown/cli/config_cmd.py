"""``rubdown config path|show|init``."""

from __future__ import annotations

import typer

from rubdown.cli.common import say

app = typer.Typer(
    help="Where the configuration file is and what it says.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("path")
def config_path() -> None:
    """Print the configuration file's path (RUBDOWN_CONFIG overrides it)."""
    from rubdown.paths import config_path as resolve

    print(resolve())


@app.command("show")
def config_show() -> None:
    """Print the settings in force, as TOML (defaults where the file is silent)."""
    from rubdown.config import load_config

    cfg = load_config()
    origin = f"from {cfg.path}" if cfg.loaded else f"defaults; no file at {cfg.path}"
    print(f"# rubdown settings ({origin})")
    print(cfg.as_toml(), end="")


@app.command("init")
def config_init() -> None:
    """Write a commented configuration file with the defaults, if none exists."""
    import os

    from rubdown.config import TEMPLATE
    from rubdown.errors import RubdownError
    from rubdown.paths import config_path as resolve

    path = resolve()
    if path.exists():
        raise RubdownError(f"{path} already exists; edit it, or delete it to start over.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(TEMPLATE)
    say(f"Wrote {path}")
