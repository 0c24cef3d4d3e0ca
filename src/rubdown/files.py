"""Private files: the one way rubdown writes a file of its own.

What rubdown writes holds health data: every file it writes (an export, a
backup, the copy saved before an upgrade, the config file) is mode 0600 and
every folder it makes 0700, whatever the umask.

A file is written whole or not at all: the content goes to a temporary file
beside the destination (so on the same file system), is flushed to the disk,
and is then moved into place under its final name, so a crash or a full disk
never leaves a half-written file there, and a file being replaced keeps its
old content until the new one is complete. Without ``overwrite`` an existing
file is never replaced, even one that appears while rubdown writes. Errors
are ``OSError`` (``FileExistsError`` for a destination that is taken); the
callers say what they mean to the user. Nothing is left behind on failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

#: What to write: the bytes, or a function that writes the file at the
#: (temporary) path it is given, such as SQLite's backup into a new database.
Content = bytes | Callable[[Path], object]


def write_private(dest: Path, content: Content, *, overwrite: bool = False) -> None:
    """Write ``content`` to ``dest``, mode 0600, atomically; replace an
    existing ``dest`` only with ``overwrite`` (else ``FileExistsError``)."""
    _write([dest], content, overwrite=overwrite)


def write_private_first_free(dests: Iterable[Path], content: Content) -> Path:
    """Write ``content`` to the first of ``dests`` (all in one folder) that
    does not exist, never replacing one; return it. ``FileExistsError`` when
    all are taken."""
    return _write(dests, content, overwrite=False)


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and every missing folder above it, each mode 0700
    whatever the umask (they hold health data). Folders that exist are left
    as they are; one created meanwhile by another process is fine."""
    missing = []
    current = folder
    while not current.is_dir():
        if os.path.lexists(current):  # a file (or a dangling link) in the way
            raise NotADirectoryError(20, "Not a directory", str(current))
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for new in reversed(missing):
        try:
            new.mkdir(mode=0o700)
        except FileExistsError:
            if not new.is_dir():
                raise
            continue
        os.chmod(new, 0o700)


def _write(dests: Iterable[Path], content: Content, *, overwrite: bool) -> Path:
    import tempfile

    names = iter(dests)
    first = next(names)
    folder = first.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{first.name}.", suffix=".tmp", dir=folder)  # 0600
    tmp = Path(tmp_name)
    try:
        if isinstance(content, bytes):
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        else:
            os.close(fd)
            content(tmp)
            _fsync(tmp)
        os.chmod(tmp, 0o600)  # whatever the writer did to it
        for dest in (first, *names):
            try:
                _place(tmp, dest, overwrite=overwrite)
            except FileExistsError:
                continue
            _fsync(folder)
            return dest
        raise FileExistsError(f"{first} already exists")
    finally:
        tmp.unlink(missing_ok=True)


def _place(tmp: Path, dest: Path, *, overwrite: bool) -> None:
    """Move the finished ``tmp`` to ``dest``: replacing it with
    ``overwrite``, else never (``FileExistsError``, even when ``dest``
    appears meanwhile: a hard link is made only if the name is free)."""
    if overwrite:
        os.replace(tmp, dest)
        return
    try:
        os.link(tmp, dest)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        if os.path.lexists(dest):
            raise FileExistsError(dest) from None
        os.replace(tmp, dest)


def _fsync(path: Path) -> None:
    """Flush ``path`` (a file, or a folder whose entries changed) to the
    disk; a folder that cannot be opened for it is left as it is."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if path.is_dir():
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(fd)
