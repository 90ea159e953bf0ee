import pytest

from newsetl.evaluation import tokens
from newsetl.spacing import PER_CHARACTER_CHAR, SPACELESS_CHAR


@pytest.mark.parametrize("char", ["ก", "ひ", "カ", "中", "㐀", "豈"])
def test_thai_kana_and_han_are_spaceless(char):
    assert SPACELESS_CHAR.match(char) and PER_CHARACTER_CHAR.match(char)


@pytest.mark.parametrize("char", ["한", "ᄀ"])
def test_hangul_is_written_with_spaces_but_compared_per_character(char):
    assert not SPACELESS_CHAR.match(char)
    assert PER_CHARACTER_CHAR.match(char)


@pytest.mark.parametrize("char", ["a", "é", "я", "٣", " "])
def test_other_scripts_are_neither(char):
    assert not PER_CHARACTER_CHAR.match(char)


def test_gold_tokens_split_per_character_only_in_those_scripts():
    assert tokens("Tokyo 東京 뉴스") == ["tokyo", "東", "京", "뉴", "스"]
