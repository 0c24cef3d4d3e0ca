"""What every reader of typed text shares: quoting the value in a message,
normalising it, matching a pattern, reading a number."""

from __future__ import annotations

from rubdown.errors import ParseError

_ECHO_MAX = 40


def _q(text: str) -> str:
    """The user's value in single quotes, safe to print on one line.

    Surrounding whitespace is dropped, values over 40 characters are cut with
    an ellipsis, and control/invisible characters are shown as escapes.
    """
    text = text.strip()
    if len(text) > _ECHO_MAX:
        text = text[:_ECHO_MAX] + "…"
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{ord(ch) - 0xDC00:02x}")
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "'" + "".join(out) + "'"


quoted = _q  #: the user's value quoted for a message (for other modules)


def _norm(text: str) -> str:
    """Lower case, surrounding whitespace dropped, inner runs of it made one space."""
    return " ".join(text.split()).lower()


def _match(pattern: str, text: str):
    import re

    return re.fullmatch(pattern, text, re.ASCII)


# A decimal number with a dot or a comma as the decimal separator.
_NUM = r"(?:[0-9]{1,9}(?:[.,][0-9]{0,9})?|[.,][0-9]{1,9})"


def _number(num: str, what: str, text: str) -> float:
    """A ``_NUM`` match as a float; a comma before exactly three digits is ambiguous."""
    whole, sep, frac = num.partition(",")
    if sep and len(frac) == 3:
        raise ParseError(
            f"Ambiguous {what} {_q(text)}: write {whole}{frac} or {whole}.{frac} "
            "(a comma is read as a decimal point, and thousands separators are not accepted)"
        )
    return float(num.replace(",", "."))


def check_text(text: str) -> str:
    """``text`` unchanged when it can be stored: refuses what is not Unicode
    text, such as bytes that were not UTF-8 on the command line (Python keeps
    them as lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParseError(
            f"Invalid text {_q(text)}: it is not valid UTF-8; "
            "check the encoding of your terminal or script"
        ) from None
    return text


def read_option(option: str, parse, text: str):
    """``parse(text)`` for the value typed after ``option``, the option named
    in any error (``ParseError.option``); text that is not valid UTF-8 is
    refused for every option (``check_text``). The one way typed values are
    read, by ``fields.typed_values`` and ``rubdown.app`` alike."""
    try:
        return parse(check_text(text))
    except ParseError as exc:
        raise ParseError(str(exc), option=option) from None


def _compact(text: str) -> str:
    """Lower case with spaces, underscores and hyphens removed: 'Deep_Tissue' → 'deeptissue'."""
    return "".join(text.lower().replace("_", " ").replace("-", " ").split())
