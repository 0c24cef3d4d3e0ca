"""Which parser reads a file, by name, and the shared steps around it
(gunzip, fingerprint). Parsers are imported only when a file needs them."""

from __future__ import annotations

from .activity import Parsed, UnreadableFile
from .safety import GZIP_MAGIC, gunzip

ACTIVITY_FORMATS = ("gpx", "tcx", "fit")


def activity_format(name: str) -> str | None:
    """``gpx``, ``tcx`` or ``fit`` for a file name ending in one of them,
    in any case and optionally followed by ``.gz``; else None."""
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for fmt in ACTIVITY_FORMATS:
        if lower.endswith("." + fmt):
            return fmt
    return None


def fingerprint(data: bytes) -> str:
    """A stable id for file content: the same bytes give the same id."""
    import hashlib

    return "sha256:" + hashlib.sha256(data).hexdigest()[:32]


def parse_activity_bytes(data: bytes, fmt: str) -> tuple[Parsed, str]:
    """The activities in ``data`` (a file of format ``fmt``, gzipped or
    not: the content decides) and the fingerprint of the uncompressed bytes.

    Raises UnreadableFile (an empty file too, whatever its format) or
    NothingToImport.
    """
    gzip_error = None
    if not data:
        raise UnreadableFile("empty file")
    if data.startswith(GZIP_MAGIC):
        data, gzip_error = gunzip(data)
        if not data:
            raise UnreadableFile(gzip_error or "empty gzip file")
    if fmt == "gpx":
        from .gpx import parse_gpx as parser
    elif fmt == "tcx":
        from .tcx import parse_tcx as parser
    elif fmt == "fit":
        from .fit import parse_fit as parser
    else:
        raise ValueError(f"unknown activity format {fmt!r}")
    try:
        parsed = parser(data)
    except UnreadableFile as exc:
        if gzip_error:
            raise UnreadableFile(f"{gzip_error}; {exc}") from exc
        raise
    if gzip_error:
        parsed.error = f"{gzip_error}; {parsed.error}" if parsed.error else gzip_error
    return parsed, fingerprint(data)
