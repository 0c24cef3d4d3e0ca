"""rubdown.files: the one writer of private files (exports, backups, the copy
saved before an upgrade, the config file)."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from rubdown import files


@pytest.fixture
def open_umask():
    """The most permissive umask: whatever rubdown writes must still be private."""
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def fill_with(data: bytes):
    def fill(tmp):
        tmp.write_bytes(data)

    return fill


@pytest.mark.parametrize("content", [b"new", fill_with(b"new")], ids=["bytes", "filled"])
def test_a_written_file_is_0600_whatever_the_umask(tmp_path, open_umask, content):
    dest = tmp_path / "out.json"
    files.write_private(dest, content)
    assert dest.read_bytes() == b"new" and mode(dest) == 0o600
    dest.unlink()
    dest.write_bytes(b"old")
    os.chmod(dest, 0o666)
    files.write_private(dest, content, overwrite=True)  # a replaced file is private too
    assert dest.read_bytes() == b"new" and mode(dest) == 0o600
    assert os.listdir(tmp_path) == ["out.json"]  # no temporary file left behind


def test_folders_are_made_0700_whatever_the_umask(tmp_path, open_umask):
    deep = tmp_path / "a" / "b" / "c"
    files.make_private_folders(deep)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", deep):
        assert mode(folder) == 0o700
    files.make_private_folders(deep)  # there already: fine
    (tmp_path / "file").write_text("x")
    with pytest.raises(NotADirectoryError):
        files.make_private_folders(tmp_path / "file" / "sub")


def test_an_existing_file_is_replaced_only_when_asked(tmp_path):
    dest = tmp_path / "out.csv"
    dest.write_bytes(b"old")
    with pytest.raises(FileExistsError):
        files.write_private(dest, b"new")
    with pytest.raises(FileExistsError):
        files.write_private(dest, fill_with(b"new"))
    assert dest.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing(tmp_path):
    dest = tmp_path / "backup.db"
    dest.write_bytes(b"old")

    def disk_full(tmp):
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    for overwrite in (True, False):
        with pytest.raises(OSError, match="No space"):
            files.write_private(dest, disk_full, overwrite=overwrite)
        assert dest.read_bytes() == b"old"
        assert os.listdir(tmp_path) == ["backup.db"]
    new = tmp_path / "new.db"
    with pytest.raises(OSError, match="No space"):
        files.write_private(new, disk_full)
    assert not new.exists() and os.listdir(tmp_path) == ["backup.db"]


def test_a_missing_folder_is_an_error_not_created(tmp_path):
    with pytest.raises(FileNotFoundError):
        files.write_private(tmp_path / "no" / "out.json", b"x")
    assert os.listdir(tmp_path) == []


def test_the_first_free_name_is_taken_and_none_is_replaced(tmp_path, open_umask):
    names = [tmp_path / "db.bak", tmp_path / "db.2.bak", tmp_path / "db.3.bak"]
    names[0].write_bytes(b"first")
    assert files.write_private_first_free(names, b"second") == names[1]
    assert files.write_private_first_free(names, fill_with(b"third")) == names[2]
    with pytest.raises(FileExistsError):
        files.write_private_first_free(names, b"fourth")
    assert [n.read_bytes() for n in names] == [b"first", b"second", b"third"]
    assert mode(names[1]) == mode(names[2]) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["db.2.bak", "db.3.bak", "db.bak"]
