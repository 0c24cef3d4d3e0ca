"""Where rubdown keeps its files.

The database: ``--db PATH``, else ``RUBDOWN_DB``, else
``platformdirs.user_data_dir("rubdown")/rubdown.db``. The config file:
``RUBDOWN_CONFIG``, else ``platformdirs.user_config_dir("rubdown")/config.toml``.
platformdirs is imported only when no override is given.
"""

from __future__ import annotations

import os
from pathlib import Path


def db_path(option: Path | str | None = None) -> Path:
    if option:
        return Path(option).expanduser()
    env = os.environ.get("RUBDOWN_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("rubdown", appauthor=False)) / "rubdown.db"


def config_path() -> Path:
    env = os.environ.get("RUBDOWN_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("rubdown", appauthor=False)) / "config.toml"
