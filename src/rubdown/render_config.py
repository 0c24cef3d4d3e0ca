"""The config file as text: the commented template that ``config init``
writes and the settings in force that ``config show`` prints, both derived
from ``rubdown.config.SETTINGS`` (kept out of the module ``log`` imports)."""

from __future__ import annotations

from rubdown import config


def settings_toml(cfg: config.Config) -> str:
    """The settings in force as a config file (``config show``)."""
    return _toml({name: getattr(cfg, name) for _, _, name, *_ in config.SETTINGS}, comments=False)


def template() -> str:
    """The commented config file that ``config init`` writes: every
    setting at its default, with what it means and what it accepts."""
    head = (
        "# rubdown configuration. Every key is optional; the values below are the defaults.\n"
        "# 'rubdown config show' prints the settings in force.\n"
    )
    return head + _toml(config.Config.DEFAULTS, comments=True)


def _toml(values: dict[str, object], *, comments: bool) -> str:
    """``values`` (by setting name) as a config file, table by table."""
    lines: list[str] = []
    for section, about in config.SECTIONS.items():
        if section is not None:
            lines += ["", f"[{section}]" + (f"  # {about}" if comments else "")]
        for table, key, name, _, kind, about_key, env in config.SETTINGS:
            if table != section:
                continue
            if comments:
                import textwrap

                overridden = f" ({env} overrides it)" if env else ""
                said = f"{about_key}{overridden}. Accepts {config.accepted(kind)}."
                lines += ["", *textwrap.wrap(said, 78, initial_indent="# ", subsequent_indent="# ")]
            lines.append(f"{key} = {_toml_value(config.written(kind, values[name]))}")
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):  # the shortest form that reads back: 72, 2, 1.5
        return repr(value).removesuffix(".0")
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    return str(value)
