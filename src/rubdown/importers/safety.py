"""Limits that keep hostile input harmless: sizes, archives, compression, XML.

Every reader here returns bytes held in memory, read incrementally and
stopped as soon as a limit is passed, so a bomb costs at most about
``MAX_BYTES`` of memory and the time to inflate that much. Nothing is ever
extracted to disk and no archive member name is ever joined onto a path.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .activity import LimitExceeded, UnreadableFile, one_line

if TYPE_CHECKING:
    import zipfile
    from xml.etree.ElementTree import Element

MIB = 1024 * 1024
#: The largest file, archive member or decompressed stream rubdown reads.
MAX_BYTES = 64 * MIB
#: The most members a zip archive may list.
MAX_ZIP_MEMBERS = 20_000
#: The highest compression ratio accepted (uncompressed : compressed) ...
MAX_RATIO = 100
#: ... once the output passes this size (small, very regular files such as a
#: short CSV can legitimately compress better than 100:1).
RATIO_FLOOR_BYTES = 1 * MIB
_CHUNK = 256 * 1024
GZIP_MAGIC = b"\x1f\x8b"


def _mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def read_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, refusing one larger than ``limit``.

    Devices, FIFOs and sockets are refused before they are opened (reading
    one could block forever).
    """
    limit = MAX_BYTES if limit is None else limit
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile("not a regular file")
        if info.st_size > limit:
            raise LimitExceeded(f"file too large ({_mib(info.st_size)}, limit {_mib(limit)})")
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise LimitExceeded(f"file too large (over {_mib(limit)})")
    return data


def _check_inflated(size: int, compressed: int, limit: int) -> None:
    if size > limit:
        raise LimitExceeded(f"decompressed data over {_mib(limit)}")
    if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(compressed, 1):
        raise LimitExceeded(f"compression ratio over {MAX_RATIO}:1 (a decompression bomb?)")


def gunzip(data: bytes, limit: int | None = None) -> tuple[bytes, str | None]:
    """Inflate gzip ``data`` (every member of it) within the limits.

    Returns the bytes and None, or, for a truncated or corrupt stream, the
    bytes inflated before the damage and a one-line description of it.
    Raises LimitExceeded when a size or ratio limit is passed.
    """
    limit = MAX_BYTES if limit is None else limit
    out = bytearray()
    pending = data
    while pending:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            while True:
                chunk = inflater.decompress(pending, _CHUNK)
                out += chunk
                _check_inflated(len(out), len(data), limit)
                pending = inflater.unconsumed_tail
                if inflater.eof or (not pending and not chunk):
                    break
        except zlib.error as exc:
            return bytes(out), f"corrupt gzip data: {exc}"
        if not inflater.eof:
            return bytes(out), "truncated gzip data"
        pending = inflater.unused_data
        if not pending.startswith(GZIP_MAGIC):
            break  # trailing padding after the last member is ignored
    return bytes(out), None


def unsafe_member_reason(name: str) -> str | None:
    """Why an archive member (or export file) name must not be used, if so."""
    text = name.replace("\\", "/")
    if "\x00" in text:
        return f"member name with a NUL byte: {name!r}"
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return f"member with an absolute path: {name!r}"
    if ".." in text.split("/"):
        return f"member path escapes the archive ('..'): {name!r}"
    return None


def open_zip(path: Path) -> zipfile.ZipFile:
    """An open, checked zip archive: not too many members, no unsafe names.

    Raises UnreadableFile naming the first problem.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise UnreadableFile(f"not a readable zip archive: {one_line(exc)}") from exc
    except UnicodeDecodeError as exc:
        # A member flagged as having a UTF-8 name whose name is not UTF-8:
        # zipfile cannot list the archive at all, but the unpacked folder
        # can be read (its file names are only bytes to the file system).
        name = bytes(exc.object).decode("utf-8", "backslashreplace")
        raise UnreadableFile(
            f"the archive says its member names are UTF-8 but '{name}' is not; "
            "unpack it and import the folder"
        ) from exc
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from exc
    try:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise LimitExceeded(
                f"zip archive lists {len(members)} members (limit {MAX_ZIP_MEMBERS})"
            )
        for member in members:
            reason = unsafe_member_reason(member.filename)
            if reason:
                raise UnreadableFile(f"unsafe zip archive: {reason}")
    except BaseException:
        archive.close()
        raise
    return archive


def read_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, limit: int | None = None
) -> bytes:
    """The uncompressed bytes of one zip member, within the limits.

    The sizes the archive declares are checked first, then the real output
    is counted as it is inflated (declared sizes can lie).
    """
    import zipfile

    limit = MAX_BYTES if limit is None else limit
    if member.flag_bits & 0x1:
        raise UnreadableFile("encrypted zip member")
    if member.file_size > limit:
        raise LimitExceeded(f"member too large ({_mib(member.file_size)}, limit {_mib(limit)})")
    _check_inflated(member.file_size, member.compress_size, limit)
    out = bytearray()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                _check_inflated(len(out), member.compress_size, limit)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        OSError,
    ) as exc:
        raise UnreadableFile(f"cannot read zip member: {one_line(exc)}") from exc
    return bytes(out)


def xml_elements(data: bytes) -> Iterator[tuple[str, Element]]:
    """``(event, element)`` pairs ("start"/"end") of an XML document,
    parsed with defusedxml: no DTD, no entity expansion, no external
    entities. Leading whitespace and a byte-order mark before ``<?xml``
    (common in Strava's exports) are tolerated.

    Raises UnreadableFile for malformed or refused XML. The caller should
    ``clear()`` elements it is done with to keep memory flat.
    """
    from xml.etree.ElementTree import ParseError

    import defusedxml
    import defusedxml.ElementTree

    text = _xml_text(data)
    try:
        yield from defusedxml.ElementTree.iterparse(
            io.BytesIO(text), events=("start", "end"), forbid_dtd=True
        )
    except defusedxml.DTDForbidden as exc:
        raise UnreadableFile(
            "XML with a document type declaration (DTD) is refused: "
            "entities and external references are not allowed"
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise UnreadableFile("XML entity declarations are not allowed") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise UnreadableFile("XML external references are not allowed") from exc
    except ParseError as exc:
        raise UnreadableFile(f"malformed XML: {one_line(exc)}") from exc


def _xml_text(data: bytes) -> bytes:
    """The document without leading whitespace and byte-order mark."""
    text = data.lstrip(b" \t\r\n")
    if text.startswith(b"\xef\xbb\xbf"):
        text = text[3:].lstrip(b" \t\r\n")
    if not text:
        raise UnreadableFile("empty file")
    return text


class _Refused(Exception):
    """What the expat handlers below raise for a refused construct."""


def _refuse_doctype(*_: object) -> None:
    raise _Refused(
        "XML with a document type declaration (DTD) is refused: "
        "entities and external references are not allowed"
    )


def _refuse_entity(*_: object) -> None:
    raise _Refused("XML entity declarations are not allowed")


def _refuse_external(*_: object) -> int:
    raise _Refused("XML external references are not allowed")


def xml_stream(
    data: bytes,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str], None],
    text: Callable[[str], None],
) -> None:
    """Feed an XML document to expat's handlers directly: ``start(name,
    attributes)``, ``end(name)``, ``text(characters)``, names as
    ``namespace}local`` (``local`` without a namespace). The fast way to
    read a long track: no element objects at all.

    The same refusals and messages as :func:`xml_elements`: no DTD (so no
    entity can be declared), no entity declaration, no external reference;
    leading whitespace and a byte-order mark tolerated. Raises UnreadableFile.
    """
    _expat(_xml_text(data), start, end, text)


def xml_check(data: bytes) -> bytes:
    """The document (without leading whitespace and byte-order mark) once
    expat has read it whole with no handler but the refusals of
    :func:`xml_stream` (same messages): well-formed, no DTD, no entity, no
    external reference. Costs no Python call per element, so a reader may
    then pick what it needs out of the bytes. Raises UnreadableFile.
    """
    document = _xml_text(data)
    _expat(document, None, None, None)
    return document


def _expat(
    document: bytes,
    start: Callable[[str, dict[str, str]], None] | None,
    end: Callable[[str], None] | None,
    text: Callable[[str], None] | None,
) -> None:
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_external
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        parser.Parse(document, True)
    except _Refused as exc:
        raise UnreadableFile(str(exc)) from exc
    except expat.ExpatError as exc:
        raise UnreadableFile(f"malformed XML: {one_line(exc)}") from exc


def local_name(tag: str) -> str:
    """An element's tag without its namespace: ``{ns}trkpt`` -> ``trkpt``."""
    return tag.rsplit("}", 1)[-1]
