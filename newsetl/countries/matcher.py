"""Find the countries an article mentions: one Aho-Corasick automaton per language, built once."""

from __future__ import annotations

import functools

import ahocorasick_rs

from newsetl.article import CountryMention
from newsetl.countries.entry import PRIORITY_BLOCK, Entry
from newsetl.countries.gazetteer import entries
from newsetl.countries.rules import Rule, allows, tests_context
from newsetl.countries.text import (
    KATAKANA,
    WORD,
    boundary_kind,
    is_arabic,
    is_cjk,
    is_hangul,
    is_kana,
    is_word_char,
    left_boundary_ok,
    nfc_with_offsets,
    right_boundary_ok,
    search_fold,
    tone_placements,
    without_surrogates,
)

TITLE_SEPARATOR = "\n\n"
FALLBACK_LANGUAGE = "en"
# Codes language detectors emit for languages CLDR files under another code.
LANGUAGE_ALIASES = {"tl": "fil", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# Up to this many forms the automaton is a DFA: about 1.3 MB per thousand forms (11 MB for Polish's 8,500
# case forms) and about twice as fast a search as the default (a contiguous NFA), which keeps the inflected
# languages near 0.3 ms per 8 KB article. The largest lexicons (vi, zh, sr) would take 15-40 MB each in
# every worker. Both find the same matches; `newsetl bench` reports the memory per language.
DFA_MAX_PATTERNS = 10000


class _Form:
    """What the tests of a match, the overlap resolution and the counting read of one form's entry."""

    __slots__ = ("rule", "spellings", "capital", "tested_late", "priority", "countries", "counted", "weak")

    def __init__(self, entry: Entry) -> None:
        self.rule = entry.rule
        self.spellings = entry.spellings
        # A block is always a match. Otherwise the cheap capital test of the rule is done first, and the
        # rest of it (if any) once the match is not overlapped by a chosen one.
        self.capital = entry.priority != PRIORITY_BLOCK and entry.rule.cap
        self.tested_late = entry.priority != PRIORITY_BLOCK and tests_context(entry.rule)
        self.priority = entry.priority
        self.countries = tuple(dict.fromkeys(entry.countries))
        self.counted = () if entry.rule.cue else self.countries  # a cue confirms, but is no mention
        self.weak = entry.rule.weak


Match = tuple[int, int, _Form]
_END = _Form(Entry("", (), Rule(), PRIORITY_BLOCK, "block"))


class LanguageMatcher:
    """The automaton over one language's folded forms, with each form's entry."""

    def __init__(self, language: str) -> None:
        lexicon = entries(language)
        self.patterns = list(lexicon)
        self.entries: list[Entry] = [lexicon[p] for p in self.patterns]
        self.left_kinds = [boundary_kind(p[0]) for p in self.patterns]
        self.right_kinds = [boundary_kind(p[-1]) for p in self.patterns]
        # The automaton searches text whose tone placements are not folded (search_fold): it holds every
        # placement of each form, each spelling with the form's entry. A pair is two letters, so a spelling
        # and its form have the same first and last characters, and the same boundary tests.
        searched: list[str] = []
        self.forms = []
        for pattern, left, right, entry in zip(
            self.patterns, self.left_kinds, self.right_kinds, self.entries, strict=True
        ):
            form = (left, right, _Form(entry))
            for spelling in tone_placements(pattern):
                searched.append(spelling)
                self.forms.append(form)
        implementation = ahocorasick_rs.Implementation.DFA if len(searched) <= DFA_MAX_PATTERNS else None
        self.automaton = ahocorasick_rs.AhoCorasick(
            searched, matchkind=ahocorasick_rs.MatchKind.Standard, implementation=implementation
        )

    def candidates(self, text: str) -> list[Match]:
        """The matches in ``text`` (NFC) at word boundaries, in no particular order, but for those whose
        rule fails its capital test; a rule that tests more is tested later (``_Form.tested_late``)."""
        folded = search_fold(text)
        try:
            matches = self.automaton.find_matches_as_indexes(folded, overlapping=True)
        except UnicodeEncodeError:  # lone surrogates, which are not UTF-8 and which fold replaces
            folded = search_fold(without_surrogates(text))
            matches = self.automaton.find_matches_as_indexes(folded, overlapping=True)
        found = []
        forms = self.forms
        length = len(folded)
        # The boundary tests are called only where they can fail: they pass when the neighbour is no letter
        # or digit or Indic mark (katakana aside: ・ is katakana), and a word's fails when it is one below Thai
        # and CJK.
        for index, start, end in matches:
            left, right, form = forms[index]
            if left and start and (left == KATAKANA or is_word_char(folded[start - 1])):
                if left == WORD and folded[start - 1] < "\u0e00" or not left_boundary_ok(folded, start, left):
                    continue
            if right and end < length and (right == KATAKANA or is_word_char(folded[end])):
                if right == WORD and folded[end] < "\u0e00" or not right_boundary_ok(folded, end, right):
                    continue
            if form.capital and text[start].islower():  # allows' test of cap
                continue
            found.append((start, end, form))
        return found


@functools.cache
def matcher_for(language: str) -> LanguageMatcher:
    return LanguageMatcher(language)


def _resolve_overlaps(found: list[Match], text: str) -> list[Match]:
    """Longest first, then the stronger kind (a name beats a compound): the chosen spans never overlap.
    A match its rule does not allow is none, and cannot block a shorter one. Sorted by start.

    Only matches that overlap, directly or through others, compete: each such group is resolved on its
    own, and a match that overlaps nothing is chosen as it is.
    """
    # By start, then end: no two matches share both (equal spans are equal forms), so forms are never
    # compared.
    if not found:
        return found
    found.sort()
    found.append((len(text), len(text), _END))  # closes the last group
    chosen: list[Match] = []
    # The group so far is ``first`` alone while ``group`` is None: most matches overlap nothing, and
    # need no list of their own.
    first = found[0]
    group: list[Match] | None = None
    group_end = first[1]
    for index in range(1, len(found)):
        match = found[index]
        if match[0] < group_end:
            if group is None:
                group = [first]
            group.append(match)
            if match[1] > group_end:
                group_end = match[1]
            continue
        if group is not None:
            chosen += _resolve_group(group, text)
            group = None
        else:
            start, end, form = first
            if form.countries and (not form.tested_late or allows(form.rule, text, start, end, form.spellings)):
                chosen.append(first)
        first = match
        group_end = match[1]
    return chosen


def _resolve_group(group: list[Match], text: str) -> list[Match]:
    if len(group) == 2:  # most groups: a name inside a longer one (Korea, South Korea); the two overlap
        first, second = group if _precedence(group[0]) < _precedence(group[1]) else reversed(group)
        for start, end, form in (first, second):
            if not form.tested_late or allows(form.rule, text, start, end, form.spellings):
                return [(start, end, form)] if form.countries else []
        return []
    group.sort(key=_precedence)
    taken: list[Match] = []
    for start, end, form in group:
        for taken_start, taken_end, _ in taken:
            if start < taken_end and taken_start < end:
                break
        else:  # a match that overlaps a chosen one is out whether its rule allows it or not: no test
            if not form.tested_late or allows(form.rule, text, start, end, form.spellings):
                taken.append((start, end, form))
    return sorted(match for match in taken if match[2].countries)


def _precedence(match: Match) -> tuple[int, int, int]:
    return match[0] - match[1], match[2].priority, match[0]


# Without a detected language, the script decides (kana: Japanese, Hangul: Korean, Han: Chinese, the
# Vietnamese letters, Arabic, Cyrillic: Russian); Latin text falls back to English.
_VIETNAMESE_LETTERS = frozenset("ơưăđƠƯĂĐạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def _guess_language(text: str) -> str:
    sample = text[:2000]
    tests = (
        ("ja", is_kana),
        ("ko", is_hangul),
        ("zh", is_cjk),
        ("vi", _VIETNAMESE_LETTERS.__contains__),
        ("ar", is_arabic),
        ("ru", lambda ch: "\u0400" <= ch <= "\u04ff"),
    )
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
    chosen = _resolve_overlaps(matcher.candidates(text), text)

    confirmed: set[str] | None = None  # the countries of the chosen forms that are not weak, when needed
    # Per country, in the order of the text: the surface of each mention, and the first one's offset and
    # whether it is in the title (a later one can only be if the first one is).
    surfaces: dict[str, list[str]] = {}
    firsts: dict[str, tuple[int, bool]] = {}
    for start, end, form in chosen:
        countries = form.counted
        if form.weak:
            if confirmed is None:
                confirmed = {iso2 for _, _, other in chosen if not other.weak for iso2 in other.countries}
            countries = tuple(iso2 for iso2 in countries if iso2 in confirmed)
        if not countries:
            continue
        if origin is not None:
            start, end, in_title = origin[start], origin[end], start < title_end
        else:
            in_title = start < title_end
        surface = original[start:end]
        for iso2 in countries:
            seen = surfaces.get(iso2)
            if seen is None:
                surfaces[iso2] = [surface]
                firsts[iso2] = (start, in_title)
            else:
                seen.append(surface)
    return [
        CountryMention(iso2, len(seen), firsts[iso2][1], firsts[iso2][0], tuple(dict.fromkeys(seen)))
        for iso2, seen in sorted(surfaces.items())
    ]


def _normalised_title_end(origin: list[int], title_length: int) -> int:
    """Index in the NFC text of the first character that came from the body separator."""
    for index, source in enumerate(origin):
        if source >= title_length:
            return index
    return len(origin)
