"""rubdown's default folders are platformdirs' folders.

``rubdown.paths.user_dir`` works them out without importing platformdirs
(``due --short`` runs with every shell prompt); these tests hold it equal to
platformdirs itself for the environments it answers, and to platformdirs'
own answer everywhere else.
"""

from __future__ import annotations

import platformdirs
import pytest
from hypothesis import given
from hypothesis import strategies as st
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


# -- paths as text (the hot paths do not import pathlib) ------------------------

SPELLINGS = ["", ".", "./", "/", "//", "///", "////x", "//x//y/", "a", "a/", "./a/./b/.",
             "a//b", "../a/../b", "/..", "~", "a/.b/..c", " a / b ", "é/ü.db",
             "a/\n/b"]  # fmt: skip


@pytest.mark.parametrize("text", SPELLINGS)
def test_path_text_spells_a_path_as_pathlib_does(text):
    from pathlib import Path, PurePosixPath

    assert paths.path_text(text) == str(PurePosixPath(text)) == str(Path(text))
    assert paths.parent_text(paths.path_text(text)) == str(PurePosixPath(text).parent)


@given(st.text(alphabet="/.ab~ \n", max_size=12))
def test_path_text_matches_pathlib_for_any_text(text):
    from pathlib import PurePosixPath

    assert paths.path_text(text) == str(PurePosixPath(text))
    assert paths.parent_text(paths.path_text(text)) == str(PurePosixPath(text).parent)


@pytest.mark.parametrize(
    "variable, value",
    [("RUBDOWN_DB", "~/logs//run.db"), ("RUBDOWN_DB", "./x/../y.db/"),
     ("RUBDOWN_CONFIG", "~//c/./config.toml")],
)  # fmt: skip
def test_paths_from_the_environment_are_spelled_as_before(monkeypatch, tmp_path, variable,
                                                          value):  # fmt: skip
    import os
    from pathlib import Path

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv(variable, value)
    before = Path(os.path.expanduser(value))  # what rubdown read it as with pathlib
    if variable == "RUBDOWN_DB":
        assert paths.db_file() == str(before) and paths.db_path() == before
        assert paths.db_file("~//a.db") == str(tmp_path / "a.db")
    else:
        assert paths.config_file() == str(before) and paths.config_path() == before


def test_blocking_file_names_the_file_in_the_way(tmp_path):
    (tmp_path / "file").write_text("")
    assert paths.blocking_file(tmp_path / "file" / "sub" / "x.db") == str(tmp_path / "file")
    assert paths.blocking_file(f"{tmp_path}//file/x.db") == str(tmp_path / "file")
    assert paths.blocking_file(tmp_path / "free" / "x.db") is None
