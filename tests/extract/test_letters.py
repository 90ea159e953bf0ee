import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from newsetl.extract.letters import WordPattern

_WORDS = WordPattern(r"LETTER+(?:['’]LETTER+)?")
_TRICKY = "aZ_0٣²½'’ ßǅ国あ한ไ\u0301\u200d🙂𠀀ⅷ\ufeff-"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(_TRICKY), st.characters(max_codepoint=sys.maxunicode)), max_size=60))
def test_written_out_ranges_find_the_words_the_category_pattern_finds(text):
    assert _WORDS.by_ranges.findall(text) == _WORDS.by_category.findall(text) or any(ord(c) > 0xFFFF for c in text)
    assert _WORDS.findall(text) == _WORDS.by_category.findall(text)


def test_every_bmp_character_is_classed_alike():
    letters = WordPattern("LETTER")
    text = "".join(chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF)
    assert letters.by_ranges.findall(text) == letters.by_category.findall(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from("的了是あア한ไ，。a 1"), st.characters()), max_size=80))
def test_counting_by_runs_equals_counting_matches(text):
    import re

    from newsetl import spacing
    from newsetl.extract import language, lines
    from newsetl.extract.letters import count_in, runs_of

    for one in (
        lines._WIDE,
        lines._NO_SPACE_CHARS,
        lines._HIRAGANA,
        lines._ZH_FUNCTION,
        lines._CJK_PUNCT,
        language._KANA,
        language._HANGUL,
        language._HAN,
        language._THAI,
        spacing.SPACELESS_CHAR,
        spacing.PER_CHARACTER_CHAR,
        re.compile(r"[^\W\d_]"),
    ):
        assert count_in(runs_of(one), text) == len(one.findall(text))
