"""What ``rubdown list --search TEXT`` finds, as an SQLite FTS5 query.

The index (``record_search``, migration 3) holds each record's note, a
massage's therapist and a run's event (and, from migration 5, a plan's
therapist and event). The text a runner types is read as
plain words: each word must appear somewhere in those three (in any order,
any of them), as a word or the start of one (``calf`` finds ``calf`` and
``calfs``, not ``calves``), ignoring case and accents. Nothing the user types
is FTS syntax: the words are taken out of the text (letters and digits) and
each is quoted, so ``AND``, ``"`` or ``*`` are searched for as text or left
out, never an error.
"""

from __future__ import annotations

import re

from rubdown.errors import ParseError

_WORD = re.compile(r"[^\W_]+")  # letters and digits, as FTS5's unicode61 reads words

#: Records whose words match the query bound to ``?``.
MATCHING_IDS_SQL = "SELECT rowid FROM record_search WHERE record_search MATCH ?"


def search_words(text: str) -> tuple[str, ...]:
    """The words of a ``--search`` text; a text without any is a usage error."""
    words = tuple(_WORD.findall(text))
    if not text.strip():
        raise ParseError("give one or more words to look for in notes, therapists and events")
    if not words:
        raise ParseError(
            f"'{text}' holds no letters or digits; give words to look for in notes, "
            "therapists and events"
        )
    return words


def match_query(words: tuple[str, ...]) -> str:
    """The FTS5 query for ``words``: each a quoted prefix, all required."""
    return " AND ".join(f'"{word}"*' for word in words)
