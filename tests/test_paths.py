"""rubdown's default folders are platformdirs' folders.

``rubdown.paths.user_dir`` works them out without importing platformdirs
(``due --short`` runs with every shell prompt); these tests hold it equal to
platformdirs itself for the environments it answers, and to platformdirs'
own answer everywhere else.
"""

from __future__ import annotations

import platformdirs
import pytest
from platformdirs.macos import MacOS
from platformdirs.unix import Unix

from rubdown import paths

HOMES = ["/home/runner", "/home/runner/", "/", "/Users/a b/é"]
XDG = [None, "", "   ", "/srv/xdg", "/srv/xdg/", "relative/xdg", " /srv/lead-space"]
WHICH = {"data": "user_data_dir", "config": "user_config_dir"}


def _environment(monkeypatch, home, xdg, variable):
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    monkeypatch.setenv("HOME", home)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    if xdg is not None:
        monkeypatch.setenv(variable, xdg)


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("xdg", XDG)
@pytest.mark.parametrize("home", HOMES)
def test_the_folder_is_platformdirs_folder_here(monkeypatch, home, xdg, which):
    variable = "XDG_DATA_HOME" if which == "data" else "XDG_CONFIG_HOME"
    _environment(monkeypatch, home, xdg, variable)
    expected = getattr(platformdirs, WHICH[which])("rubdown", appauthor=False)
    assert paths.user_dir(which) == expected


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("xdg", XDG)
@pytest.mark.parametrize("home", HOMES)
@pytest.mark.parametrize(("platform", "cls"), [("linux", Unix), ("darwin", MacOS)])
def test_linux_and_macos_rules_are_platformdirs_rules(monkeypatch, home, xdg, which, platform,
                                                      cls):  # fmt: skip
    """Each platform's own rule, whatever this machine is: where rubdown
    works the folder out itself, it is the one platformdirs' class for that
    platform gives."""
    variable = "XDG_DATA_HOME" if which == "data" else "XDG_CONFIG_HOME"
    _environment(monkeypatch, home, xdg, variable)
    ours = paths.user_dir(which, platform=platform)
    theirs = getattr(cls("rubdown", appauthor=False), WHICH[which])
    answered_here = not (xdg or "").strip() or (platform == "linux" and xdg.startswith("/"))
    if answered_here:
        assert ours == theirs
    else:  # platformdirs is asked (for this machine's platform)
        assert ours == getattr(platformdirs, WHICH[which])("rubdown", appauthor=False)


def test_windows_asks_platformdirs(monkeypatch):
    monkeypatch.setenv("HOME", "/home/runner")
    assert paths.user_dir("data", platform="win32") == platformdirs.user_data_dir(
        "rubdown", appauthor=False
    )


def test_the_default_database_and_config_are_in_those_folders(monkeypatch, tmp_path):
    monkeypatch.delenv("RUBDOWN_DB", raising=False)
    monkeypatch.delenv("RUBDOWN_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    data = platformdirs.user_data_dir("rubdown", appauthor=False)
    config = platformdirs.user_config_dir("rubdown", appauthor=False)
    assert str(paths.db_path()) == f"{data}/rubdown.db"
    assert str(paths.config_path()) == f"{config}/config.toml"
