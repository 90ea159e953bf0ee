"""Text normalisation that keeps character offsets, and the word-boundary tests of each script."""

from __future__ import annotations

import re
import unicodedata

# One character in, one character out: offsets in the folded text are offsets in the original.
_FOLD = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "＇": "'",
    "–": "-",
    "—": "-",
    "‑": "-",
    "‐": "-",
    "−": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u3000": " ",
    "İ": "i",  # lower() would make it two characters
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",  # Arabic hamza and alif maqsura spellings vary
}

# Lone surrogates (from surrogateescape decoding) cannot be handed to the automaton, which wants UTF-8.
_SURROGATES = re.compile("[\ud800-\udfff]")

ARABIC_PROCLITICS = frozenset(
    {"و", "ف", "ب", "ل", "ك", "ال", "وال", "بال", "فال", "كال", "لل", "ول", "وب", "فب", "فل", "ولل", "فلل", "وبال"}
)
# A Korean noun is followed by a particle or a bound noun, never by an arbitrary syllable: 인도는 is India,
# 인도적 (humanitarian) is not.
KOREAN_FOLLOWERS = frozenset("은는이가을를의에와과도만로으까부보처측산인계군정엔께과")
ARABIC_SUFFIXES = frozenset({"ي", "ية", "يه", "يين", "يون", "ين", "ون", "ان", "ه", "ها", "هم", "يا"})


# Vietnamese has two tone-mark placements (hoà/hòa, Thuỵ/Thụy); both fold to the modern one. Each pair
# swaps the mark between two letters, so the length is kept.
_VIETNAMESE_TONES = {
    vowel + unicodedata.normalize("NFC", glide + mark): unicodedata.normalize("NFC", vowel + mark) + glide
    for vowel, glide in (("o", "a"), ("o", "e"), ("u", "y"))
    for mark in ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
}


# Each pair with its marked letter: a pair can only be where its letter is, and a letter is cheaper to
# look for. Vietnamese text has most of the letters; one pass of a regular expression is then cheaper
# than a search per pair, and gives the same text: pairs never overlap, and a replacement (a marked o/u
# then a plain a/e/y) neither makes nor breaks another pair.
_VIETNAMESE_TONE_PAIRS = tuple((old[1], old, new) for old, new in _VIETNAMESE_TONES.items())
_VIETNAMESE_TONE_PAIR = re.compile(
    "|".join(  # o[àáảãạèéẻẽẹ]|u[ỳýỷỹỵ]
        vowel + "[" + "".join(old[1] for old in _VIETNAMESE_TONES if old[0] == vowel) + "]"
        for vowel in sorted({old[0] for old in _VIETNAMESE_TONES})
    )
)
_VIETNAMESE_TONE_PAIRS_BY_PASS = 5


def fold(text: str) -> str:
    """Case- and spelling-folded text of the same length as ``text`` (which must be NFC)."""
    return fold_keeping_surrogates(without_surrogates(text))


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD: one character for one, offsets kept."""
    return _SURROGATES.sub("\ufffd", text) if _SURROGATES.search(text) else text


def fold_keeping_surrogates(text: str) -> str:
    """``fold(text)`` without the search for lone surrogates: for a text that has none, or a caller that
    finds out (the automaton refuses them) and then calls ``fold``. Surrogates in ``text`` stay in the
    result, and only they."""
    folded, length_kept = _fold_case(text)
    if not length_kept or folded.isascii():
        return folded
    present = [(old, new) for letter, old, new in _VIETNAMESE_TONE_PAIRS if letter in folded]
    if len(present) >= _VIETNAMESE_TONE_PAIRS_BY_PASS:
        return _VIETNAMESE_TONE_PAIR.sub(_modern_tone, folded)
    for old, new in present:
        if old in folded:
            folded = folded.replace(old, new)
    return folded


def search_fold(text: str) -> str:
    """``fold_keeping_surrogates(text)`` but for the Vietnamese tone placements: the text the automaton
    searches, which holds both placements of every form (``tone_placements``). Folding the placement of
    every article (a pass of a regular expression, and French or Spanish text has most of the marked
    letters too) cost more than the search itself."""
    return _fold_case(text)[0]


def _fold_case(text: str) -> tuple[str, bool]:
    """The text with _FOLD applied and lower-cased, and whether each character stayed one character."""
    if text.isascii():
        return text.lower(), True  # nothing else applies: _FOLD and the tone pairs are all non-ASCII
    # str.replace per character present is several times faster than str.translate on non-ASCII text.
    for source, target in _FOLD.items():
        if source in text:
            text = text.replace(source, target)
    folded = text.lower()
    if len(folded) == len(text):
        return folded, True
    # A few characters lower-case to two code points; keep those as they are.
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text), False


_MODERN_TONE_PAIR = re.compile("|".join(sorted(_VIETNAMESE_TONES.values())))
_OLD_PLACEMENT = {new: old for old, new in _VIETNAMESE_TONES.items()}


def tone_placements(key: str) -> list[str]:
    """Every spelling of a folded form whose fold is ``key``: each of its tone pairs in the modern and in
    the old placement (Hòa and Hoà; a form with k pairs has 2**k spellings, ``key`` first)."""
    spellings = [""]
    position = 0
    for pair in _MODERN_TONE_PAIR.finditer(key):
        between = key[position : pair.start()]
        spellings = [s + between + choice for s in spellings for choice in (pair.group(), _OLD_PLACEMENT[pair.group()])]
        position = pair.end()
    return [s + key[position:] for s in spellings]


def _modern_tone(pair: re.Match[str]) -> str:
    return _VIETNAMESE_TONES[pair.group()]


def nfc_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """NFC text plus, when normalisation changed the length, the original offset of each character.

    Vietnamese pages are sometimes in decomposed form; names are matched in composed form.
    """
    if unicodedata.is_normalized("NFC", text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    cluster_start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            composed = unicodedata.normalize("NFC", text[cluster_start:index])
            out.append(composed)
            origin.extend([cluster_start] * len(composed))
            cluster_start = index
    origin.append(len(text))
    return "".join(out), origin


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF or 0xFF66 <= code <= 0xFF9F
    )


def is_katakana(ch: str) -> bool:
    return 0x30A0 <= ord(ch) <= 0x30FF or ch == "ー"


def is_kana(ch: str) -> bool:
    return 0x3040 <= ord(ch) <= 0x30FF


def is_hangul(ch: str) -> bool:
    code = ord(ch)
    return 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def is_arabic(ch: str) -> bool:
    return 0x0600 <= ord(ch) <= 0x06FF


def is_thai(ch: str) -> bool:
    return 0x0E00 <= ord(ch) <= 0x0E7F


# The vowel signs, viramas and nuktas of the Indic scripts (Devanagari to Sinhala), which are marks, not
# letters, yet sit inside a word: without them "भारत" would end a word inside "भारतीय" and "भाषा" read "भ".
INDIC_MARKS = "".join(chr(code) for code in range(0x0900, 0x0E00) if unicodedata.category(chr(code)).startswith("M"))
_INDIC_MARKS = frozenset(INDIC_MARKS)


def is_word_char(ch: str) -> bool:
    """A letter, a digit or an Indic mark: a character a word goes on through."""
    return ch.isalnum() or ch in _INDIC_MARKS


def is_spaced_word_char(ch: str) -> bool:
    """A letter, digit or Indic mark of a script that separates words with spaces."""
    return is_word_char(ch) and not (is_cjk(ch) or is_thai(ch))


def _word_around(folded: str, start: int, end: int, step: int) -> str:
    """The run of word characters of ``folded`` going left (step -1) from start or right from end."""
    if step < 0:
        index = start
        while index > 0 and is_word_char(folded[index - 1]):
            index -= 1
        return folded[index:start]
    index = end
    while index < len(folded) and is_word_char(folded[index]):
        index += 1
    return folded[end:index]


# How a pattern's first or last character meets the text around it, decided once per pattern.
NO_BOUNDARY, WORD, KATAKANA, HANGUL, ARABIC = range(5)


def boundary_kind(ch: str) -> int:
    if is_katakana(ch):
        return KATAKANA
    if not is_spaced_word_char(ch):
        return NO_BOUNDARY  # Han, Thai, punctuation: no word boundary to respect
    if is_hangul(ch):
        return HANGUL
    return ARABIC if is_arabic(ch) else WORD


def left_boundary_ok(folded: str, start: int, kind: int) -> bool:
    if start == 0 or kind == NO_BOUNDARY:
        return True
    before = folded[start - 1]
    if kind == KATAKANA:
        return not is_katakana(before)
    if not is_spaced_word_char(before):
        return True
    if kind == ARABIC and is_arabic(before):
        return _word_around(folded, start, start, -1) in ARABIC_PROCLITICS
    return False


def right_boundary_ok(folded: str, end: int, kind: int) -> bool:
    if end == len(folded) or kind == NO_BOUNDARY:
        return True
    after = folded[end]
    if kind == KATAKANA:
        return not is_katakana(after)
    if not is_spaced_word_char(after):
        return True
    if kind == HANGUL:
        return after in KOREAN_FOLLOWERS  # particles attach to the noun (한국은, 한국의)
    if kind == ARABIC and is_arabic(after):
        return _word_around(folded, end, end, 1) in ARABIC_SUFFIXES
    return False
