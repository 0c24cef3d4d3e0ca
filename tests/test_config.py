"""The settings table (``rubdown.config.SETTINGS``) is the one declaration of
every setting: the template, the defaults, the checks and ``config show``
all follow it."""

from __future__ import annotations

import tomllib

import pytest

from rubdown.config import SETTINGS, Config, load_config
from rubdown.errors import RubdownError
from rubdown.render_config import settings_toml, template

FULL_KEYS = [key if table is None else f"{table}.{key}" for table, key, *_ in SETTINGS]

# A value each setting accepts that is not its default.
OTHER = {
    "units": "mi",
    "week_start": "sunday",
    "currency": "EUR",
    "hard_types": ["race", "tempo"],
    "hard_rpe": 7,
    "load_factor": 1.5,
    "load_days": 21,
    "load_min_runs": 3,
    "window_hours": 48,
    "self_care": True,
    "every_days": "2w",
    "plan_match_days": 3,
    "book_lead_days": 10,
    "budget": "120.50/month",
    "ledger_account": "expenses:body:massage",
    "ledger_from_account": "assets:bank:checking",
}


def file_text(values: dict[str, object]) -> str:
    """A config file holding ``values`` (by Config attribute), via tomllib's
    own notion of TOML: each table written out by hand."""
    tables: dict[str | None, list[str]] = {}
    for table, key, name, *_ in SETTINGS:
        if name in values:
            value = values[name]
            if isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, str):
                shown = f'"{value}"'
            elif isinstance(value, list):
                shown = "[" + ", ".join(f'"{v}"' for v in value) + "]"
            else:
                shown = str(value)
            tables.setdefault(table, []).append(f"{key} = {shown}")
    text = "\n".join(tables.pop(None, []))
    for table, lines in tables.items():
        text += f"\n[{table}]\n" + "\n".join(lines)
    return text + "\n"


def test_the_config_class_declares_exactly_the_settings():
    names = [name for _, _, name, *_ in SETTINGS]
    assert len(set(names)) == len(names) and len(set(FULL_KEYS)) == len(FULL_KEYS)
    assert [n for n in Config.__annotations__ if n != "DEFAULTS"] == [*names, "path", "loaded"]
    assert list(Config.DEFAULTS) == [*names, "path", "loaded"]


def test_the_template_names_every_setting_and_reads_back_as_the_defaults(tmp_path):
    text = template()
    data = tomllib.loads(text)
    for table, key, *_ in SETTINGS:
        assert key in (data if table is None else data[table])
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    cfg = load_config(path)
    assert cfg.loaded and cfg == Config(path=path, loaded=True)


def test_config_show_reads_back_as_the_settings_it_shows(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(file_text(OTHER), encoding="utf-8")
    cfg = load_config(path)
    for name, default in Config.DEFAULTS.items():
        if name not in ("path", "loaded"):
            assert getattr(cfg, name) != default, name  # every setting was read
    shown = tmp_path / "shown.toml"
    shown.write_text(settings_toml(cfg), encoding="utf-8")
    assert load_config(shown) == Config(**{**_values(cfg), "path": shown})


def _values(cfg: Config) -> dict[str, object]:
    return {name: getattr(cfg, name) for name in Config.DEFAULTS}


@pytest.mark.parametrize("full_key", FULL_KEYS)
def test_every_setting_refuses_a_bad_value_naming_its_key(tmp_path, full_key):
    table, _, key = full_key.rpartition(".")
    text = f"{key} = {{ bad = 1 }}\n"  # an inline table: no setting takes one
    path = tmp_path / "config.toml"
    path.write_text(text if not table else f"[{table}]\n{text}", encoding="utf-8")
    with pytest.raises(RubdownError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{full_key} = {{'bad': 1}} is not valid; use " in message
    assert "\n" not in message


def test_an_unknown_key_lists_the_known_ones(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[follow_up]\nwindow = 3\n", encoding="utf-8")
    with pytest.raises(RubdownError, match="unknown key 'follow_up.window'") as caught:
        load_config(path)
    assert str(caught.value).endswith(f"Known keys: {', '.join(FULL_KEYS)}.")
