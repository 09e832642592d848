"""``folding.nfkc`` is NFKC: on random text full of the characters its fast path replaces, next to the ones
that combine with them or need NFKC for other reasons."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from masthead.core.folding import WIDE, nfkc

_TRICKY = (
    [chr(c) for c in WIDE]
    + list("aZ ,:?!~，：？\u3000")  # ASCII and CJK punctuation
    + ["\u0301", "\u0308", "\u0323", "\u3099", "\u309a"]  # combining marks (accents, kana voicing)
    + list("芯片カｶﾞﾟﬁ①Å\u212b\u2126é\u00e9ǅ㍿ｸ")  # halfwidth kana, ligatures, compatibility forms
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TRICKY) | st.characters(), max_size=40).map("".join))
def test_nfkc_is_unicodedata_nfkc(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_each_replaced_character_decomposes_to_one_ascii_starter() -> None:
    """What makes the fast path sound: every character it replaces is, to NFKC, one ASCII character that no
    mark before it can combine with."""
    for code in WIDE:
        narrow = unicodedata.normalize("NFKD", chr(code))
        assert len(narrow) == 1 and narrow.isascii() and unicodedata.combining(narrow) == 0


def test_chinese_punctuation_and_a_mark_after_a_full_width_letter() -> None:
    assert nfkc("芯片，好：ＡＢ") == "芯片,好:AB"
    assert nfkc("Ｅ\u0301") == "É"  # the mark combines with the letter once it is narrow: the slow path
