"""Find the countries an article mentions: one Aho-Corasick automaton per language, built once."""

from __future__ import annotations

import functools
from collections import defaultdict

import ahocorasick_rs

from newsetl.article import CountryMention
from newsetl.countries.entry import PRIORITY_BLOCK, Entry
from newsetl.countries.gazetteer import entries
from newsetl.countries.rules import allows
from newsetl.countries.text import (boundary_kind, fold, is_arabic, is_cjk, is_hangul, is_kana, left_boundary_ok,
                                    nfc_with_offsets, right_boundary_ok)

TITLE_SEPARATOR = "\n\n"
FALLBACK_LANGUAGE = "en"
# Codes language detectors emit for languages CLDR files under another code.
LANGUAGE_ALIASES = {"tl": "fil", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}


class LanguageMatcher:
    """The automaton over one language's folded forms, with each form's entry."""

    def __init__(self, language: str) -> None:
        lexicon = entries(language)
        self.patterns = list(lexicon)
        self.entries: list[Entry] = [lexicon[p] for p in self.patterns]
        self.left_kinds = [boundary_kind(p[0]) for p in self.patterns]
        self.right_kinds = [boundary_kind(p[-1]) for p in self.patterns]
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=ahocorasick_rs.MatchKind.Standard)

    def candidates(self, text: str, folded: str) -> list[tuple[int, int, Entry]]:
        found = []
        for index, start, end in self.automaton.find_matches_as_indexes(folded, overlapping=True):
            if not (left_boundary_ok(folded, start, self.left_kinds[index])
                    and right_boundary_ok(folded, end, self.right_kinds[index])):
                continue
            entry = self.entries[index]
            if entry.priority == PRIORITY_BLOCK or allows(entry.rule, text, start, end, entry.spellings):
                found.append((start, end, entry))
        return found


@functools.cache
def matcher_for(language: str) -> LanguageMatcher:
    return LanguageMatcher(language)


def _resolve_overlaps(found: list[tuple[int, int, Entry]], length: int) -> list[tuple[int, int, Entry]]:
    """Longest first, then the stronger kind (a name beats a compound): the chosen spans never overlap."""
    found.sort(key=lambda m: (m[0] - m[1], m[2].priority, m[0]))
    taken = bytearray(length)
    chosen = []
    for start, end, entry in found:
        if taken.find(1, start, end) >= 0:
            continue
        taken[start:end] = b"\x01" * (end - start)
        if entry.countries:
            chosen.append((start, end, entry))
    chosen.sort(key=lambda m: m[0])
    return chosen


# Without a detected language, the script decides (kana: Japanese, Hangul: Korean, Han: Chinese, the
# Vietnamese letters, Arabic, Cyrillic: Russian); Latin text falls back to English.
_VIETNAMESE_LETTERS = frozenset("ơưăđƠƯĂĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def _guess_language(text: str) -> str:
    sample = text[:2000]
    tests = (("ja", is_kana), ("ko", is_hangul), ("zh", is_cjk), ("vi", _VIETNAMESE_LETTERS.__contains__),
             ("ar", is_arabic), ("ru", lambda ch: "\u0400" <= ch <= "\u04ff"))
    for language, test in tests:
        if sum(1 for ch in sample if test(ch)) >= 2:
            return language
    return FALLBACK_LANGUAGE


def _language_key(language: str | None, text: str) -> str:
    if not language or not language.strip():
        return _guess_language(text)
    code = language.strip().lower().replace("-", "_").split("_")[0] or FALLBACK_LANGUAGE
    return LANGUAGE_ALIASES.get(code, code)


def match_countries(title: str, body: str, language: str | None) -> list[CountryMention]:
    """The countries mentioned in an article's title and body, sorted by ISO code.

    Offsets are character offsets in ``title + "\\n\\n" + body``; ``language`` is the article's ISO 639-1
    code (None: guessed from the script, English for Latin text).
    """
    original = (title or "") + TITLE_SEPARATOR + (body or "")
    text, origin = nfc_with_offsets(original)
    title_end = len(title or "") if origin is None else _normalised_title_end(origin, len(title or ""))
    matcher = matcher_for(_language_key(language, text))
    chosen = _resolve_overlaps(matcher.candidates(text, fold(text)), len(text))

    confirmed = {iso2 for _, _, entry in chosen if not entry.rule.weak for iso2 in entry.countries}
    chosen = [match for match in chosen if not match[2].rule.cue]
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    in_title: dict[str, bool] = defaultdict(bool)
    forms: dict[str, dict[str, None]] = defaultdict(dict)
    for start, end, entry in chosen:
        original_start = start if origin is None else origin[start]
        original_end = end if origin is None else origin[end]
        for iso2 in dict.fromkeys(entry.countries):
            if entry.rule.weak and iso2 not in confirmed:
                continue
            counts[iso2] += 1
            first.setdefault(iso2, original_start)
            in_title[iso2] |= start < title_end
            forms[iso2][original[original_start:original_end]] = None
    return [CountryMention(iso2=iso2, mention_count=counts[iso2], in_title=in_title[iso2],
                           first_offset=first[iso2], surface_forms=tuple(forms[iso2]))
            for iso2 in sorted(counts)]


def _normalised_title_end(origin: list[int], title_length: int) -> int:
    """Index in the NFC text of the first character that came from the body separator."""
    for index, source in enumerate(origin):
        if source >= title_length:
            return index
    return len(origin)
