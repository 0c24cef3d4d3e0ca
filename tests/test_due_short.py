"""What ``rubdown due --short`` (drawn with every shell prompt) reads the
cheap way reads as the full way does. What it loads: tests/test_startup.py."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from rubdown.store.decode import focus_areas

plain_text = st.text(st.characters(codec="utf-8"), max_size=12)


@given(st.lists(plain_text, max_size=5))
def test_a_focus_reads_as_json_reads_it(areas):
    text = json.dumps(areas)
    assert focus_areas(text) == tuple(json.loads(text))
    unescaped = json.dumps(areas, ensure_ascii=False)
    assert focus_areas(unescaped) == tuple(json.loads(unescaped))


@given(st.text(alphabet='[]", a\\\x00é', max_size=14))
def test_any_text_reads_as_json_reads_it_or_is_refused_alike(text):
    try:
        expected: object = tuple(json.loads(text))
    except (ValueError, TypeError) as exc:
        expected = type(exc)
    try:
        got: object = focus_areas(text)
    except (ValueError, TypeError) as exc:
        got = type(exc)
    assert got == expected
