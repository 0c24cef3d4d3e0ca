"""Where rubdown keeps its files.

The database: ``--db PATH``, else ``RUBDOWN_DB``, else
``platformdirs.user_data_dir("rubdown")/rubdown.db``. The config file:
``RUBDOWN_CONFIG``, else ``platformdirs.user_config_dir("rubdown")/config.toml``.

platformdirs is the source of truth for those folders, but importing it costs
about a third of a bare Python start, and ``rubdown due --short`` runs with
every shell prompt. On Linux and macOS, with an absolute ``HOME``, the folder
is worked out here by platformdirs' own rule (``user_dir``); anywhere else
(Windows, Android, an unusual ``HOME``) platformdirs is asked.
tests/test_paths.py holds the two equal.

An empty path (``--db ""``, ``RUBDOWN_DB=""``) names no file: it is a usage
error, never the current folder (which is what ``Path("")`` means).

The hot paths (``log``, ``report``, ``due``) carry paths as text: importing
pathlib brings urllib.parse, ipaddress, fnmatch, re and enum, a sixth of a
``due --short``. ``path_text`` spells a path as ``str(Path(...))`` does, so
every message prints it as before; ``db_path`` and ``config_path`` still
give a ``Path`` to the commands that want one, made there.
"""

from __future__ import annotations

import os

from rubdown.errors import ParseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    #: A path as rubdown's functions take it: text, or a ``Path``.
    PathLike = str | os.PathLike[str]


def path_text(text: str) -> str:
    """``text`` spelled as ``str(Path(text))`` spells it, without importing
    pathlib: repeated slashes and ``.`` parts dropped, no slash at the end,
    ``""`` as ``"."`` (``..`` is kept: it is not the same place behind a
    link). Elsewhere than POSIX, pathlib itself answers."""
    if os.name != "posix":
        from pathlib import Path

        return str(Path(text))
    root = ""
    if text.startswith("/"):  # POSIX keeps exactly two leading slashes
        root = "//" if text.startswith("//") and not text.startswith("///") else "/"
    body = "/".join(part for part in text.split("/") if part and part != ".")
    return root + body if root or body else "."


def parent_text(path: str) -> str:
    """The folder of ``path`` (spelled by ``path_text``), as ``Path.parent``."""
    return os.path.dirname(path) or "."


def given_path(value: str | os.PathLike[str]) -> str:
    """A path as the user typed it, with ``~`` expanded (spelled by
    ``path_text``); an empty (or all-blank) one is a ``ParseError``."""
    text = os.fspath(value)
    if not str(text).strip():
        raise ParseError("an empty path names no file or folder; give a path")
    return path_text(os.path.expanduser(text))


def db_file(option: PathLike | None = None) -> str:
    """The database's path: ``option`` (``--db``), else ``RUBDOWN_DB``, else
    ``rubdown.db`` in the user data folder."""
    if option is not None:
        return given_path(option)
    from rubdown import environment

    env = environment.text("RUBDOWN_DB")
    if env is not None:
        return path_text(os.path.expanduser(env))
    return path_text(os.path.join(user_dir("data"), "rubdown.db"))


def db_path(option: PathLike | None = None) -> Path:
    """``db_file`` as a ``Path``, for the commands that want one."""
    from pathlib import Path

    return Path(db_file(option))


def config_file() -> str:
    """The config file's path: ``RUBDOWN_CONFIG``, else ``config.toml`` in
    the user config folder."""
    from rubdown import environment

    env = environment.text("RUBDOWN_CONFIG")
    if env is not None:
        return path_text(os.path.expanduser(env))
    return path_text(os.path.join(user_dir("config"), "config.toml"))


def config_path() -> Path:
    """``config_file`` as a ``Path``, for the commands that want one."""
    from pathlib import Path

    return Path(config_file())


def user_dir(which: str, platform: str | None = None) -> str:
    """rubdown's own ``which`` (``data`` or ``config``) folder, as
    ``platformdirs.user_data_dir("rubdown", appauthor=False)`` (or
    ``user_config_dir``) gives it; ``platform``: ``sys.platform`` (a test
    may name another). Where platformdirs' rule is more than an XDG variable
    and ``HOME``, platformdirs itself answers."""
    import posixpath
    import sys

    platform = sys.platform if platform is None else platform
    home = os.environ.get("HOME", "")
    android = os.environ.get("ANDROID_DATA") == "/data" or hasattr(sys, "getandroidapilevel")
    if which == "data":
        raw, default = os.environ.get("XDG_DATA_HOME", ""), ".local/share"
    else:
        raw, default = os.environ.get("XDG_CONFIG_HOME", ""), ".config"
    # A relative XDG value, any on macOS, and a relative HOME are read
    # differently by platformdirs releases (rubdown takes 4.0 on): ask it.
    if platform in ("linux", "darwin") and posixpath.isabs(home) and not android:
        if not raw.strip():
            tail = default if platform == "linux" else "Library/Application Support"
            return posixpath.join(home.rstrip("/") + "/" + tail, "rubdown")
        if platform == "linux" and posixpath.isabs(raw):
            return posixpath.join(raw, "rubdown")
    import platformdirs

    find = platformdirs.user_data_dir if which == "data" else platformdirs.user_config_dir
    return find("rubdown", appauthor=False)


def blocking_file(path: PathLike) -> str | None:
    """The first thing above ``path`` that is there but is no folder (a file
    where a folder should be), or None."""
    current = parent_text(path_text(os.fspath(path)))
    while not os.path.isdir(current):
        if os.path.lexists(current):
            # Another process may have made it a folder since isdir looked
            # (first runs at once): then nothing blocks.
            return None if os.path.isdir(current) else current
        above = parent_text(current)
        if above == current:
            return None
        current = above
    return None


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file: the same inode (a link, another
    spelling) or, for a file not there yet, the same resolved path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        try:
            return a.resolve() == b.resolve()
        except (OSError, RuntimeError):
            return False


def refuse_output_place(dest: Path, what: str, *, database: PathLike) -> None:
    """Refuse, with the reason, an output file (``what``: "export",
    "backup") that must not or cannot be written at ``dest``: the database in
    use or one of its companions (``-wal``, ``-shm``, ``-journal``), however
    ``dest`` names it, since replacing it would destroy the log; a folder; a
    device, pipe or socket (replaced, not written to); a file where a folder
    above it should be; a missing folder."""
    from pathlib import Path

    from rubdown.errors import RubdownError

    database = Path(database)
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = database.with_name(database.name + suffix)
        if _same_file(dest, part):
            which = "the database in use" if not suffix else f"the {suffix} file of the database"
            raise RubdownError(
                f"{dest} is {which} ({part}); writing the {what} over it would destroy "
                "the log. Choose another file."
            )
    if dest.is_dir():
        raise RubdownError(f"{dest} is a folder; give a file name for the {what}.")
    if dest.exists() and not dest.is_file():  # replacing /dev/null would replace the device
        raise RubdownError(
            f"{dest} is not a regular file (a device, pipe or socket); give a file name for "
            f"the {what}."
        )
    if not dest.parent.is_dir():
        blocker = blocking_file(dest)
        if blocker is not None:
            raise RubdownError(
                f"Cannot write {dest}: {blocker} is a file, not a folder; choose another place."
            )
        raise RubdownError(
            f"Cannot write {dest}: the folder {dest.parent} does not exist; create it first."
        )
