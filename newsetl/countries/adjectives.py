"""National adjectives made from a language's dictionary and its countries' names, for the gazetteer build.

For the languages no curated lemma list covers (Swedish, Danish, Norwegian, Dutch, Icelandic,
Luxembourgish, Armenian, Hindi, Catalan, Galician, Macedonian, Northern Sami, Asturian, Irish, Scottish Gaelic),
the national adjective is found, not typed: among simplemma's lemmas that end in one of the language's
adjective suffixes (curated/adjective_suffixes.tsv), the one that shares the most of a country's
CLDR name (Frankrike → fransk, Kina → kinesisk, Ryssland → rysk). An adjective goes to the single country it
fits best (nigeriansk to Nigeria, not Niger); curated/adjective_exclusions.tsv drops the lemmas that fit a
name by accident. The same file gives, per language, the plural endings and rules of the adjectives (Catalan
francesos, franceses), the rules that make demonym nouns of them (Swedish fransk → fransman, kept where the
dictionary has the noun), the rewrites of a name's start before it is matched (the Irish article and
lenition) and the prefixes that make demonym nouns of names (Swahili Ufaransa → Mfaransa).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
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
# A plural the dictionary files under the adjective, in one of the language's plural endings, may grow more
# (Catalan rus → russos, francès → francesos; Hindi रूसी → रूसियों).
MAX_PLURAL_GROWTH = 3
# A demonym noun's forms are its cases, numbers and definite forms (fransman → fransmännens, ekvatorialguinean
# → ekvatorialguineanernas).
MAX_NOUN_FORM_GROWTH = 5
# A demonym noun shorter than this is too often another word (Dutch Rus and Fin are not).
MIN_NOUN_LENGTH = 3


@dataclass(frozen=True, slots=True)
class Adjective:
    language: str
    iso2: str
    lemma: str
    name: str  # the CLDR name it was matched with: its provenance
    shared: int
    added: int
    noun_of: str = ""  # a demonym noun (fransman): the national adjective it was made from (fransk)


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


def country_names(language: str, rewrites: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """{iso2: the language's one-word CLDR name, lower case} (Babel), its start rewritten first by
    ``rewrites`` (old>new, the longest that fits, until none does: Irish "an Fhrainc" → fhrainc → frainc,
    without the article and the lenition)."""
    territories = babel.Locale.parse(language).territories
    out = {}
    for code, name in sorted(territories.items()):
        name = _rewrite_start(unicodedata.normalize("NFC", name).lower(), rewrites)
        if len(code) == 2 and code.isalpha() and _is_word(name):
            out[code] = name
    return out


def _rewrite_start(name: str, rewrites: Sequence[tuple[str, str]]) -> str:
    for _ in range(len(rewrites)):
        fitting = [(old, new) for old, new in rewrites if old and name.startswith(old)]
        if not fitting:
            break
        old, new = max(fitting, key=lambda rewrite: len(rewrite[0]))
        name = new + name[len(old) :]
    return name


def adjectives(language: str, iso2_codes: set[str]) -> list[Adjective]:
    """The national adjectives of ``language`` found in its dictionary, at most one set per country."""
    row = _suffix_row(language)
    excluded = _excluded(language, row["dictionary"])
    endings, suffixes = expand(row["name_endings"]), expand(row["suffixes"])
    names = {
        code: name
        for code, name in country_names(language, _rewrites(row["name_starts"])).items()
        if code in iso2_codes
    }
    if not any(suffixes):
        return []  # a language whose demonyms are made by prefix (name_nouns) has no suffix class
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


def _suffix_row(language: str) -> dict[str, str]:
    return next(r for r in read_curated(SUFFIXES) if r["language"] == language)


def _rewrites(column: str) -> list[tuple[str, str]]:
    """``{sk>sman,a>es}`` → [(sk, sman), (a, es)]: the end a form replaces, and by what."""
    return [tuple(rule.split(">", 1)) for rule in expand(column) if ">" in rule]  # type: ignore[misc]


def adjective_forms(language: str, lemma: str) -> set[str]:
    """The lemma, its curated endings (franskt, Duitse), the dictionary's forms of it that are its cases
    and genders (Icelandic franskir, frönskum are filed under franskur) or its plurals (Catalan francesos,
    russos), and the plurals the language's plural rules make of them (francesa → franceses)."""
    row = _suffix_row(language)
    forms = {lemma} | {lemma + ending for ending in expand(row["endings"]) if ending and ">" not in ending}
    # An ending written old>new replaces the lemma's end (Macedonian француски → француската).
    forms |= {
        lemma[: len(lemma) - len(old)] + new for old, new in _rewrites(row["endings"]) if old and lemma.endswith(old)
    }
    filed = _filed_forms(row, lemma)
    plural_endings = tuple(ending for ending in expand(row["plurals"]) if ending)
    forms.update(
        form
        for form in filed
        if len(form) <= len(lemma) + MAX_FORM_GROWTH
        or (plural_endings and form.endswith(plural_endings) and len(form) <= len(lemma) + MAX_PLURAL_GROWTH)
    )
    for old, new in _rewrites(row["plural_rules"]):
        forms.update(form[: len(form) - len(old)] + new for form in list(forms) if form.endswith(old) and old)
    return forms


def noun_forms(language: str, lemma: str) -> set[str]:
    """A demonym noun and its dictionary forms (fransman: fransmannen, fransmän, fransmännen)."""
    filed = _filed_forms(_suffix_row(language), lemma)
    return {lemma} | {form for form in filed if len(form) <= len(lemma) + MAX_NOUN_FORM_GROWTH}


def _filed_forms(row: dict[str, str], lemma: str) -> set[str]:
    """The forms the dictionary files under ``lemma``: those that keep its start (inflection's rule) and, in a
    language that changes a word's start (the lenition of Irish and Gaelic, the class prefixes of Swahili:
    ``name_starts`` or ``name_nouns`` are set), every form filed under it (ghearmailteach, Wafaransa)."""
    forms = set(inflection.dictionary_name_forms(row["dictionary"], {lemma})[lemma])
    if row["name_starts"] or row["name_nouns"]:
        forms.update(form.decode() for form in inflection._inverted(row["dictionary"]).get(lemma.encode(), ()))
    return forms


def demonym_nouns(found: list[Adjective]) -> list[Adjective]:
    """The demonym nouns the dictionary has for the adjectives ``found``: the adjective's end rewritten by
    one of the language's noun rules (curated/adjective_suffixes.tsv: Swedish fransk → fransman, rysk → ryss,
    kinesisk → kines; Dutch Frans → Fransman, Russisch → Rus), kept only where the dictionary has that
    lemma (or files the word under the adjective: Dutch Fransen), in the language's case, and it comes from one
    country's adjective."""
    candidates: dict[tuple[str, str], set[Adjective]] = {}
    # A noun spelt like an adjective (Dutch Rus, found as an adjective of Russia) is still made, for its
    # forms (Russen); spelt like another country's adjective, it is not.
    adjective_countries: dict[tuple[str, str], set[str]] = {}
    for adjective in found:
        adjective_countries.setdefault((adjective.language, adjective.lemma), set()).add(adjective.iso2)
    for adjective in found:
        if adjective.noun_of:
            continue
        row = _suffix_row(adjective.language)
        dictionary = inflection._dictionary(row["dictionary"])
        lemmas = inflection._inverted(row["dictionary"])
        excluded = _excluded(adjective.language, row["dictionary"])
        for old, new in _rewrites(row["nouns"]):
            if not old or not adjective.lemma.endswith(old):
                continue
            noun = adjective.lemma[: len(adjective.lemma) - len(old)] + new
            key = noun.encode()
            if (
                len(noun) >= MIN_NOUN_LENGTH
                and noun != adjective.lemma
                and _in_case(noun, row["case"])
                and noun.lower() not in excluded
                and adjective_countries.get((adjective.language, noun), {adjective.iso2}) == {adjective.iso2}
                and (key in lemmas or dictionary.get(key) == key or _filed_under(dictionary.get(key), adjective.lemma))
            ):
                candidates.setdefault((adjective.language, noun), set()).add(adjective)
    out = []
    for (language, noun), sources in sorted(candidates.items()):
        if len({source.iso2 for source in sources}) != 1:
            continue  # two countries' adjectives make it: it decides nothing
        source = min(sources, key=lambda a: a.lemma)
        shared = min(source.shared, len(inflection._common_prefix(noun.lower(), source.name)))  # tjekk|er, tjekk|iet
        out.append(Adjective(language, source.iso2, noun, source.name, shared, source.added, source.lemma))
    return out


def name_nouns(language: str, iso2_codes: set[str]) -> list[Adjective]:
    """The demonym nouns a prefix makes of a country's one-word CLDR name (curated/adjective_suffixes.tsv
    ``name_nouns``, old>new at the name's start: Swahili Ufaransa → Mfaransa, Marekani → Mmarekani), kept only
    where the dictionary has the word, as the lemma it files it under (Muingereza → Mwingereza)."""
    row = _suffix_row(language)
    rewrites = _rewrites(row["name_nouns"])
    if not rewrites:
        return []
    dictionary = inflection._dictionary(row["dictionary"])
    excluded = _excluded(language, row["dictionary"])
    candidates: dict[str, set[tuple[str, str]]] = {}
    for code, name in country_names(language).items():
        if code not in iso2_codes:
            continue
        for old, new in rewrites:
            if not name.startswith(old):
                continue
            word = new + name[len(old) :]
            word = word[:1].upper() + word[1:] if row["case"] == "title" else word
            lemma = dictionary.get(word.encode())
            if lemma is not None and _in_case(lemma.decode(), row["case"]) and lemma.decode().lower() not in excluded:
                candidates.setdefault(lemma.decode(), set()).add((code, name))
    return [
        Adjective(language, code, lemma, name, 0, 0, name)
        for lemma, fits in sorted(candidates.items())
        if len({code for code, _ in fits}) == 1
        for code, name in [min(fits)]
    ]


def _filed_under(lemma: bytes | None, adjective: str) -> bool:
    """Whether the dictionary files a word under a longer form of the adjective (Dutch Fransen under Franse;
    not Franser, the comparative, under Frans itself)."""
    return lemma is not None and lemma.decode() != adjective and lemma.decode().startswith(adjective)


def _excluded(language: str, dictionary: str) -> set[str]:
    # An exclusion for a dictionary holds for every language it serves (nb for no).
    return {r["lemma"].lower() for r in read_curated(EXCLUSIONS) if r["language"] in (language, dictionary)}


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
    found += curated_adjectives()
    found += [noun for language in languages() for noun in name_nouns(language, iso2_codes)]
    return found + demonym_nouns(found)


def adjective_rows(found: Iterable[Adjective]) -> Iterator[tuple[str, str, str, str]]:
    """(language, iso2, form, source) of the forms of every national adjective ``found``."""
    for adjective in found:
        if adjective.noun_of:
            for form in sorted(noun_forms(adjective.language, adjective.lemma)):
                yield adjective.language, adjective.iso2, form, "simplemma-noun"
        else:
            for form in sorted(adjective_forms(adjective.language, adjective.lemma)):
                yield adjective.language, adjective.iso2, form, "simplemma-adjective"


def provenance_rows(found: list[Adjective]) -> list[tuple[str, ...]]:
    """(language, iso2, lemma, the CLDR name it fits, letters shared, letters added, the adjective a demonym
    noun was made from): why each lemma is there."""
    return sorted((a.language, a.iso2, a.lemma, a.name, str(a.shared), str(a.added), a.noun_of) for a in found)
