"""``rubdown config path|show|init``."""

from __future__ import annotations

import typer

from rubdown.cli.options import say

app = typer.Typer(
    help="Where the configuration file is and what it says.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("path")
def config_path() -> None:
    """Print the configuration file's path (RUBDOWN_CONFIG overrides it)."""
    from rubdown.paths import config_path as resolve
    from rubdown.render import shown_path

    print(shown_path(resolve()))


@app.command("show")
def config_show() -> None:
    """Print the settings in force, as TOML (defaults where the file is silent)."""
    from rubdown.config import load_config
    from rubdown.render import shown_path
    from rubdown.render_config import settings_toml

    cfg = load_config()
    where = shown_path(cfg.path)
    origin = f"from {where}" if cfg.loaded else f"defaults; no file at {where}"
    print(f"# rubdown settings ({origin})")
    print(settings_toml(cfg), end="")


@app.command("init")
def config_init() -> None:
    """Write a commented configuration file with the defaults, if none exists."""
    import os

    from rubdown import files
    from rubdown.errors import RubdownError
    from rubdown.paths import blocking_file
    from rubdown.paths import config_path as resolve
    from rubdown.render_config import template

    path = resolve()
    if path.is_dir():
        raise RubdownError(
            f"{path} is a folder, not a config file; set RUBDOWN_CONFIG to a file path."
        )
    taken = RubdownError(
        f"{path} already exists; rubdown leaves it as it is. Edit it ('rubdown config "
        "show' prints the settings in force), or set RUBDOWN_CONFIG to a new file path."
    )
    if os.path.lexists(path):
        raise taken
    blocker = blocking_file(path)
    if blocker is not None:
        raise RubdownError(
            f"Cannot write {path}: {blocker} is a file, not a folder; set RUBDOWN_CONFIG "
            "to another path."
        )
    try:
        files.make_private_folders(path.parent)
        files.write_private(path, template().encode("utf-8"))
    except FileExistsError:
        raise taken from None
    except OSError as exc:  # a read-only folder, a full disk
        raise RubdownError(
            f"Cannot write {path}: {exc.strerror or exc}; nothing was written. Set "
            "RUBDOWN_CONFIG to a writable place."
        ) from None
    say(f"Wrote {path}")
