"""Case forms of country names and demonyms in inflected languages, for the gazetteer build only.

Russian and Ukrainian texts write "в Китае", "помощь Украине", "Соединёнными Штатами": CLDR gives only the
nominative. pymorphy3 (OpenCorpora / VESUM dictionaries) gives the other cases; the build writes them into
the generated name table, so matching never imports pymorphy3 (an optional ``gazetteer`` dependency).
"""

from __future__ import annotations

import functools
import importlib.metadata
import itertools
import re
from collections.abc import Iterator

# The dictionary of each language, as the distribution that ships it.
PYMORPHY_DICTS = {"ru": "pymorphy3-dicts-ru", "uk": "pymorphy3-dicts-uk"}
# Dictionaries that tag place names (OpenCorpora's Geox); the Ukrainian one does not.
PLACE_TAGGING_DICTS = frozenset({"ru"})
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")
# Tags of a personal or organisation name: a case form of a country name that is also one of those
# (a surname, a given name) is left out, since the text then more likely names the person.
PERSON_TAGS = frozenset({"Surn", "Name", "Patr", "Orgn", "Trad"})
# The nouns a national adjective makes a language name with (русский язык), which is no country mention.
LANGUAGE_NOUNS = {"ru": ("язык",), "uk": ("мова",)}
# Past this many combinations per case a multi-word name is not inflected: no country name is that long.
MAX_PHRASE_FORMS = 64

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@functools.cache
def _analyzer(language: str):
    import pymorphy3  # build-only: see the module docstring

    return pymorphy3.MorphAnalyzer(lang=language)


def versions() -> dict[str, str]:
    return {"pymorphy3": importlib.metadata.version("pymorphy3"),
            **{dist: importlib.metadata.version(dist) for dist in PYMORPHY_DICTS.values()}}


def _nominative_parse(language: str, word: str):
    """The dictionary parse of ``word`` as a nominative noun, adjective or participle, or None."""
    morph = _analyzer(language)
    lowered = word.lower()
    if not morph.word_is_known(lowered):
        return None  # a guessed paradigm of an unknown (often indeclinable) name would be invented forms
    for parse in morph.parse(lowered):
        if "nomn" in parse.tag and parse.tag.POS in ("NOUN", "ADJF", "PRTF"):
            return parse
    return None


def _same_form_class(parse, other) -> bool:
    tag, other_tag = parse.tag, other.tag
    return (tag.POS == other_tag.POS and tag.number == other_tag.number and tag.gender == other_tag.gender
            and tag.voice == other_tag.voice and tag.tense == other_tag.tense)


def _case_forms(language: str, word: str) -> dict[str, set[str]] | None:
    """{case: spellings} of one word in the number (and gender) it has, or None if it does not inflect."""
    parse = _nominative_parse(language, word)
    if parse is None:
        return None
    forms: dict[str, set[str]] = {}
    for case in CASES:
        inflected = parse.inflect({case})
        if inflected is None:
            continue
        # Variants of one case (Францией / Францею, штату / штатові) all count.
        spellings = {inflected.word} | {other.word for other in parse.lexeme
                                        if other.tag.case == case and _same_form_class(inflected, other)}
        forms[case] = {_like(word, spelling) for spelling in spellings}
    return forms


def _like(original: str, spelling: str) -> str:
    """``spelling`` in the capitalisation of ``original``."""
    if original.isupper() and len(original) > 1:
        return spelling.upper()
    if original[:1].isupper():
        return spelling[:1].upper() + spelling[1:]
    return spelling


def name_forms(language: str, name: str) -> set[str]:
    """Every case form of a country name, each word agreeing with the others (Соединёнными Штатами).

    The name keeps its number: Китай gives Китае, not the plural Китаев (a surname).
    """
    pieces = re.split(r"(\W+)", name)  # words and the separators between them, kept
    if len(pieces) == 1 and not _is_place_name(language, name):
        return set()  # a one-word name that is a common noun (Королевство, from "Нидерланды (Королевство)")
    per_word: list[dict[str, set[str]] | None] = [
        _case_forms(language, piece) if _WORD.fullmatch(piece) else None for piece in pieces]
    if not any(per_word):
        return set()
    out: set[str] = set()
    for case in CASES:
        choices = [({piece} if forms is None else forms.get(case, {piece})) for piece, forms in zip(pieces, per_word)]
        if _product_size(choices) > MAX_PHRASE_FORMS:
            continue
        out.update("".join(combination) for combination in itertools.product(*choices))
    return {form for spelling in out for form in _spellings(language, spelling)
            if not _names_a_person(language, form, name)}


def lemma_forms(language: str, lemma: str) -> set[str]:
    """Every full form of a demonym or national adjective lemma (американец → американцы, американцев;
    французский → французского, французские); not the short or comparative forms of an adjective."""
    parse = _nominative_parse(language, lemma)
    if parse is None:
        return {lemma}
    forms = {other.word for other in parse.lexeme if other.tag.POS == parse.tag.POS
             and not {"Supr", "Cmp2"} & other.tag.grammemes}
    return {form for word in forms for form in _spellings(language, _like(lemma, word))}


def is_adjective(language: str, lemma: str) -> bool:
    parse = _nominative_parse(language, lemma)
    return parse is not None and parse.tag.POS == "ADJF"


def _is_place_name(language: str, word: str) -> bool:
    if language not in PLACE_TAGGING_DICTS:
        return True
    parse = _nominative_parse(language, word)
    return parse is None or "Geox" in parse.tag.grammemes


def _product_size(choices: list[set[str]]) -> int:
    size = 1
    for choice in choices:
        size *= len(choice)
    return size


def _spellings(language: str, form: str) -> Iterator[str]:
    yield form
    if language == "ru" and ("ё" in form or "Ё" in form):
        yield form.replace("ё", "е").replace("Ё", "Е")  # most Russian text writes е for ё


def _names_a_person(language: str, form: str, name: str) -> bool:
    if form == name:
        return False  # the name itself is never dropped
    country_lemmas = {parse.normal_form for word in name.lower().split() for parse in _analyzer(language).parse(word)}
    for parse in _analyzer(language).parse(form.lower()):
        if parse.normal_form not in country_lemmas and PERSON_TAGS & parse.tag.grammemes:
            return True
    return False


def inflected_rows(language: str, iso2: str, names: Iterator[str]) -> Iterator[tuple[str, str, str]]:
    """(language, iso2, form) for the case forms of each of a country's names."""
    for name in names:
        for form in sorted(name_forms(language, name)):
            yield language, iso2, form


# Languages whose country names take their case forms from simplemma's form → lemma dictionaries, inverted.
SIMPLEMMA_LANGUAGES = ("cs", "fi", "hu", "pl", "sk", "tr")


def simplemma_version() -> dict[str, str]:
    return {"simplemma": importlib.metadata.version("simplemma")}


def dictionary_name_forms(language: str, names: set[str]) -> dict[str, set[str]]:
    """{name: its case forms} from simplemma's dictionary of ``language`` (Polska → Polsce, Polską; Stany
    Zjednoczone → Stanach Zjednoczonych). The dictionary has no grammar, so each word of a multi-word name
    takes every form of its lemma, combined (a name the dictionary does not know keeps its nominative)."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory  # build-only

    # The underlying bytes mapping: decoding its millions of entries would cost the build minutes.
    dictionary: dict[bytes, bytes] = DefaultDictionaryFactory().get_dictionary(language)._dict
    words = {word for name in names for word in re.split(r"\W+", name) if word}
    # An adjective of a name is filed in lower case (Zjednoczone → zjednoczony).
    lemma_of = {word: dictionary.get(word.encode()) or dictionary.get(word.lower().encode()) or word.encode()
                for word in words}
    wanted = set(lemma_of.values())
    forms_of: dict[bytes, set[str]] = {lemma: {lemma.decode()} for lemma in wanted}
    for form, lemma in dictionary.items():
        if lemma in wanted:
            forms_of[lemma].add(form.decode())
    out: dict[str, set[str]] = {}
    for name in names:
        pieces = re.split(r"(\W+)", name)
        choices = [forms_of[lemma_of[piece]] if piece in lemma_of else {piece} for piece in pieces]
        choices = [{_like(piece, form) for form in choice} if piece in lemma_of else choice
                   for piece, choice in zip(pieces, choices)]
        if len(pieces) > 1 and _product_size(choices) > MAX_PHRASE_FORMS:
            out[name] = {name}
            continue
        out[name] = {"".join(combination) for combination in itertools.product(*choices)}
    return out
