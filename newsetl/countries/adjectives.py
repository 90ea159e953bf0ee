"""National adjectives made from a language's dictionary and its countries' names, for the gazetteer build.

For the languages no curated lemma list covers (Swedish, Danish, Norwegian, Dutch, Icelandic,
Luxembourgish, Armenian, Hindi), the national adjective is found, not typed: among simplemma's lemmas that
end in one of the language's adjective suffixes (curated/adjective_suffixes.tsv), the one that shares the most of a country's
CLDR name (Frankrike → fransk, Kina → kinesisk, Ryssland → rysk). An adjective goes to the single country it
fits best (nigeriansk to Nigeria, not Niger); curated/adjective_exclusions.tsv drops the lemmas that fit a
name by accident.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import babel

from newsetl.countries import inflection
from newsetl.countries.gazetteer import expand, read_curated

SUFFIXES = "adjective_suffixes.tsv"
EXCLUSIONS = "adjective_exclusions.tsv"
# Shorter shared starts are chance (Samoa and samisk share three letters only with a short core).
MIN_SHARED = 3
# Letters of the name's core the adjective may drop (Ryss|land → rysk, Frank|rike → fransk), and letters its
# stem may add to the shared start (Kana|da → kanad|ensisk is none; nord|isk for Nor|ge is one, and loses to
# nor|sk, which adds none; nordafrikansk adds too many).
MAX_DROPPED = 1
MAX_ADDED = 1
# A dictionary form of the adjective at most this much longer than it: its cases and genders, not the
# comparative (franskare) or a derived noun (fransken, the French language).
MAX_FORM_GROWTH = 1


@dataclass(frozen=True, slots=True)
class Adjective:
    language: str
    iso2: str
    lemma: str
    name: str  # the CLDR name it was matched with: its provenance
    shared: int
    added: int


def _core(name: str, endings: list[str]) -> str:
    for ending in sorted(endings, key=len, reverse=True):
        if name.endswith(ending) and len(name) - len(ending) >= MIN_SHARED:
            return name[: len(name) - len(ending)]
    return name


def _is_word(text: str) -> bool:
    """Letters and the marks written on them: a Devanagari name (भारत) holds vowel signs, which are no letters."""
    return (
        bool(text) and text[0].isalpha() and all(c.isalpha() or unicodedata.category(c).startswith("M") for c in text)
    )


def _in_case(lemma: str, case: str) -> bool:
    """In the case the language writes its national adjectives; a script without case (Devanagari) has none to check."""
    if case == "none":
        return True
    return lemma.istitle() if case == "title" else lemma.islower()


def _candidate_lemmas(dictionary: str, suffixes: list[str], case: str, excluded: set[str]) -> list[str]:
    suffix_bytes = tuple(suffix.encode() for suffix in suffixes)
    lemmas = {lemma for lemma in inflection._dictionary(dictionary).values() if lemma.endswith(suffix_bytes)}
    out = []
    for lemma_bytes in sorted(lemmas):
        lemma = lemma_bytes.decode()
        # In the case the language writes its national adjectives (fransk; Dutch Frans): the dictionary's
        # other spelling of them is rare, and its other words in that case are common words (rusthuis).
        if _is_word(lemma) and _in_case(lemma, case) and lemma.lower() not in excluded:
            out.append(lemma)
    return out


def _stem_length(lemma: str, suffixes: list[str]) -> int:
    """The length of the lemma without the longest of the suffixes it ends in."""
    return min(len(lemma) - len(suffix) for suffix in suffixes if lemma.endswith(suffix))


def country_names(language: str) -> dict[str, str]:
    """{iso2: the language's one-word CLDR name, lower case} (Babel)."""
    territories = babel.Locale.parse(language).territories
    return {
        code: unicodedata.normalize("NFC", name).lower()
        for code, name in sorted(territories.items())
        if len(code) == 2 and code.isalpha() and _is_word(name)
    }


def adjectives(language: str, iso2_codes: set[str]) -> list[Adjective]:
    """The national adjectives of ``language`` found in its dictionary, at most one set per country."""
    row = next(r for r in read_curated(SUFFIXES) if r["language"] == language)
    # An exclusion for a dictionary holds for every language it serves (nb for no).
    excluded = {r["lemma"].lower() for r in read_curated(EXCLUSIONS) if r["language"] in (language, row["dictionary"])}
    endings, suffixes = expand(row["name_endings"]), expand(row["suffixes"])
    names = {code: name for code, name in country_names(language).items() if code in iso2_codes}
    best: dict[str, tuple[tuple[int, int], str]] = {}  # lemma → ((shared, -name length), iso2)
    for lemma in _candidate_lemmas(row["dictionary"], suffixes, row["case"], excluded):
        lower = lemma.lower()
        for code, name in names.items():
            if lower == name:
                continue
            shared = len(inflection._common_prefix(lower, name))
            if (
                shared < MIN_SHARED
                or shared < len(_core(name, endings)) - MAX_DROPPED
                or _added(lower, shared, suffixes) > MAX_ADDED
            ):
                continue
            score = (shared, -len(name))  # of two names it fits as well, the one it covers more of (Niger)
            if lemma not in best or score > best[lemma][0]:
                best[lemma] = (score, code)
            elif score == best[lemma][0]:
                best[lemma] = (score, "")  # fits two countries alike: neither
    by_country: dict[str, list[tuple[tuple[int, int], str]]] = {}
    for lemma, ((shared, _), code) in best.items():
        if code:
            by_country.setdefault(code, []).append(((shared, -_added(lemma.lower(), shared, suffixes)), lemma))
    out: list[Adjective] = []
    for code, found in sorted(by_country.items()):
        # The best fit (Italien: italiensk, not the looser italisk; Norge: norsk, not nordisk), and every
        # lemma that keeps the name's whole core and adds nothing (Polen: polsk, next to the longer
        # polemisk; not Tonga: tonisk, Latvia: latinsk).
        top = max(fit for fit, _ in found)
        core = len(_core(names[code], endings))
        out.extend(
            Adjective(language, code, lemma, names[code], fit[0], -fit[1])
            for fit, lemma in sorted(found)
            if fit == top or (fit[1] == 0 and fit[0] >= core)
        )
    return out


def _added(lemma: str, shared: int, suffixes: list[str]) -> int:
    """Letters the lemma's stem has past the start it shares with the name; a doubled last letter is none
    (Dutch Rus|land → Russ|isch)."""
    stem = lemma[: _stem_length(lemma, suffixes)]
    extra = stem[shared:]
    if shared and extra and set(extra) == {lemma[shared - 1]}:
        return 0
    return max(0, len(stem) - shared)


def adjective_forms(language: str, lemma: str) -> set[str]:
    """The lemma, its curated endings (franskt, Duitse) and the dictionary's forms of it that are its cases
    and genders (Icelandic franskir, frönskum are filed under franskur)."""
    row = next(r for r in read_curated(SUFFIXES) if r["language"] == language)
    forms = {lemma} | {lemma + ending for ending in expand(row["endings"]) if ending}
    filed = inflection.dictionary_name_forms(row["dictionary"], {lemma})[lemma]
    forms.update(form for form in filed if len(form) <= len(lemma) + MAX_FORM_GROWTH)
    return forms


@functools.cache
def languages() -> tuple[str, ...]:
    return tuple(sorted(row["language"] for row in read_curated(SUFFIXES)))


def curated_adjectives() -> list[Adjective]:
    """The demonyms of curated/inflected_lemmas.tsv in these languages: the adjectives no one-word name
    gives (amerikansk from "USA", brittisk from "Storbritannien"), inflected like the found ones."""
    return [
        Adjective(row["language"], row["iso2"], row["lemma"], "curated", 0, 0)
        for row in read_curated("inflected_lemmas.tsv")
        if row["kind"] == "demonym" and row["language"] in languages()
    ]


def all_adjectives(iso2_codes: set[str]) -> list[Adjective]:
    found = [adjective for language in languages() for adjective in adjectives(language, iso2_codes)]
    return found + curated_adjectives()


def adjective_rows(found: Iterable[Adjective]) -> Iterator[tuple[str, str, str, str]]:
    """(language, iso2, form, source) of the forms of every national adjective ``found``."""
    for adjective in found:
        for form in sorted(adjective_forms(adjective.language, adjective.lemma)):
            yield adjective.language, adjective.iso2, form, "simplemma-adjective"


def provenance_rows(found: list[Adjective]) -> list[tuple[str, ...]]:
    """(language, iso2, lemma, the CLDR name it fits, letters shared, letters added): why each lemma is there."""
    return sorted((a.language, a.iso2, a.lemma, a.name, str(a.shared), str(a.added)) for a in found)
