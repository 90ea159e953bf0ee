"""Scripts written without spaces between words, defined once for tokenising, shingling and layout.

Thai, kana and Han ideographs run words together, so text in them is measured and compared per character
and lines in them join without a space. Hangul is written with spaces between words, but its words are
short syllable blocks: scoring and near-duplicate shingles still treat it per character, layout does not."""

import re

THAI = (0x0E00, 0x0E7F)
KANA = (0x3040, 0x30FF)  # hiragana and katakana
HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # extension A, unified, compatibility
HANGUL = ((0xAC00, 0xD7AF), (0x1100, 0x11FF))  # syllables, jamo

# Words run together: lines join without a space, lengths are counted in characters.
SPACELESS_RANGES: tuple[tuple[int, int], ...] = (THAI, KANA, *HAN)
# Compared character by character (gold tokens, dedupe shingles): the spaceless scripts and Hangul.
PER_CHARACTER_RANGES: tuple[tuple[int, int], ...] = (*SPACELESS_RANGES, *HANGUL)


def character_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regex [...] class for the ranges, to combine with other classes."""
    return "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


SPACELESS_CHAR = re.compile(f"[{character_class(SPACELESS_RANGES)}]")
PER_CHARACTER_CHAR = re.compile(f"[{character_class(PER_CHARACTER_RANGES)}]")
