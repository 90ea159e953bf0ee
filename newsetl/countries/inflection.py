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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pymorphy3.analyzer import MorphAnalyzer, Parse

from newsetl.countries.text import INDIC_MARKS

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

# A word is letters and the Indic vowel signs written on them (रूसी): those are marks, not \w.
_LETTER = f"(?:[^\\W\\d_]|[{INDIC_MARKS}])"
_WORD = re.compile(f"{_LETTER}+(?:['’]{_LETTER}+)?")
_SEPARATORS = re.compile(f"([^\\w{INDIC_MARKS}]+)")


@functools.cache
def _analyzer(language: str) -> MorphAnalyzer:
    import pymorphy3  # build-only: see the module docstring

    return pymorphy3.MorphAnalyzer(lang=language)


def versions() -> dict[str, str]:
    return {
        "pymorphy3": importlib.metadata.version("pymorphy3"),
        **{dist: importlib.metadata.version(dist) for dist in PYMORPHY_DICTS.values()},
    }


def _nominative_parse(language: str, word: str) -> Parse | None:
    """The dictionary parse of ``word`` as a nominative noun, adjective or participle, or None."""
    morph = _analyzer(language)
    lowered = word.lower()
    if not morph.word_is_known(lowered):
        return None  # a guessed paradigm of an unknown (often indeclinable) name would be invented forms
    for parse in morph.parse(lowered):
        if "nomn" in parse.tag and parse.tag.POS in ("NOUN", "ADJF", "PRTF"):
            return parse
    return None


def _same_form_class(parse: Parse, other: Parse) -> bool:
    tag, other_tag = parse.tag, other.tag
    return (
        tag.POS == other_tag.POS
        and tag.number == other_tag.number
        and tag.gender == other_tag.gender
        and tag.voice == other_tag.voice
        and tag.tense == other_tag.tense
    )


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
        spellings = {inflected.word} | {
            other.word for other in parse.lexeme if other.tag.case == case and _same_form_class(inflected, other)
        }
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
    pieces = _SEPARATORS.split(name)  # words and the separators between them, kept
    if len(pieces) == 1 and not _is_place_name(language, name):
        return set()  # a one-word name that is a common noun (Королевство, from "Нидерланды (Королевство)")
    per_word: list[dict[str, set[str]] | None] = [
        _case_forms(language, piece) if _WORD.fullmatch(piece) else None for piece in pieces
    ]
    if not any(per_word):
        return set()
    out: set[str] = set()
    for case in CASES:
        choices = [
            ({piece} if forms is None else forms.get(case, {piece}))
            for piece, forms in zip(pieces, per_word, strict=True)
        ]
        if _product_size(choices) > MAX_PHRASE_FORMS:
            continue
        out.update("".join(combination) for combination in itertools.product(*choices))
    return {
        form for spelling in out for form in _spellings(language, spelling) if not _names_a_person(language, form, name)
    }


def lemma_forms(language: str, lemma: str) -> set[str]:
    """Every full form of a demonym or national adjective lemma (американец → американцы, американцев;
    французский → французского, французские); not the short or comparative forms of an adjective."""
    parse = _nominative_parse(language, lemma)
    if parse is None:
        return {lemma}
    forms = {
        other.word
        for other in parse.lexeme
        if other.tag.POS == parse.tag.POS and not {"Supr", "Cmp2"} & other.tag.grammemes
    }
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


# simplemma's dictionaries (form -> lemma) and the CLDR languages each serves: every language simplemma has
# whose names take case or definite forms. Not English, Latin and Middle English, nor the Romance languages,
# Indonesian, Malay and Tagalog, whose names do not inflect (their dictionaries' plurals of a name are
# surnames: Cubas); not Russian and Ukrainian (pymorphy3's).
SIMPLEMMA_LANGUAGES = {
    "bg": ("bg",),
    "cs": ("cs",),
    "cy": ("cy",),
    "da": ("da",),
    "de": ("de",),
    "el": ("el",),
    "et": ("et",),
    "fa": ("fa",),
    "fi": ("fi",),
    "ga": ("ga",),
    "gd": ("gd",),
    "gv": ("gv",),
    "hbs": ("hr", "bs", "sr"),
    "hi": ("hi",),
    "hu": ("hu",),
    "hy": ("hy",),
    "is": ("is",),
    "ka": ("ka",),
    "lb": ("lb",),
    "lt": ("lt",),
    "lv": ("lv",),
    "mk": ("mk",),
    "nb": ("nb", "no"),
    "nl": ("nl",),
    "nn": ("nn",),
    "pl": ("pl",),
    "ro": ("ro",),
    "se": ("se",),
    "sk": ("sk",),
    "sl": ("sl",),
    "sq": ("sq",),
    "sv": ("sv",),
    "sw": ("sw",),
    "tr": ("tr",),
}
# Languages whose nouns decline by suffix: a name the dictionary knows few forms of also takes the endings
# that the dictionary's other lemmas with the same ending take (a paradigm by analogy: Magyarország +
# -ot like ország, Polska + -ce like deska). Not the languages where names hardly inflect.
ANALOGY_LANGUAGES = frozenset({"cs", "el", "et", "fi", "hbs", "hu", "hy", "is", "lt", "lv", "pl", "sk", "sl", "sq"})
# An ending class needs this many lemmas, and an ending this share of them, to be applied by analogy.
ANALOGY_MIN_LEMMAS = 12
ANALOGY_MIN_SHARE = 0.3
# A form of a word keeps all of it but its last letters (Polska → Polsce, not a suppletive or verb form).
MAX_CHANGED_LETTERS = 2
# A form the dictionary files under the lemma may change one more (český → čeští, polski → polscy).
MAX_CHANGED_LETTERS_FILED = 3
# The dictionary does not tell which forms agree, so each word takes all its forms: more combinations.
MAX_DICTIONARY_PHRASE_FORMS = 250


def simplemma_version() -> dict[str, str]:
    return {"simplemma": importlib.metadata.version("simplemma")}


@functools.cache
def _dictionary(language: str) -> dict[bytes, bytes]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory  # build-only

    # simplemma's private bytes mapping: its public items() decode millions of entries, minutes of the build.
    # tests/countries/test_inflection.py reads dictionary forms through it, so a simplemma that drops it fails there.
    return DefaultDictionaryFactory().get_dictionary(language)._dict  # type: ignore[attr-defined]


@functools.cache
def _inverted(language: str) -> dict[bytes, tuple[bytes, ...]]:
    out: dict[bytes, list[bytes]] = {}
    for form, lemma in _dictionary(language).items():
        if form != lemma:
            out.setdefault(lemma, []).append(form)
    return {lemma: tuple(sorted(forms)) for lemma, forms in out.items()}


@functools.cache
def _endings(language: str, wanted: frozenset[str]) -> dict[str, tuple[int, dict[tuple[str, str], int]]]:
    """{last letters of a lemma: (how many lower-case lemmas end so, {(replaced, replacement): how many of
    them have a form that changes only their end so})}, for 2-4 letter endings, of the lemmas that end in
    one of the two-letter endings ``wanted``."""
    counts: dict[str, list] = {}
    wanted_bytes = tuple(ending.encode() for ending in sorted(wanted))
    for lemma_bytes, forms in _inverted(language).items():
        if not lemma_bytes.endswith(wanted_bytes):
            continue
        lemma = lemma_bytes.decode()
        if not lemma.isalpha() or not lemma.islower() or len(lemma) < 4:
            continue
        changes = set()
        for form_bytes in forms:
            form = form_bytes.decode()
            keep = len(lemma) - MAX_CHANGED_LETTERS_FILED
            if not form.startswith(lemma[:keep]) or not form.isalpha():
                continue
            prefix = len(_common_prefix(lemma, form))
            changes.add((lemma[prefix:], form[prefix:]))
        for size in (2, 3, 4):
            entry = counts.setdefault(lemma[-size:], [0, {}])
            entry[0] += 1
            for change in changes:
                entry[1][change] = entry[1].get(change, 0) + 1
    return {ending: (total, changes) for ending, (total, changes) in counts.items() if total >= ANALOGY_MIN_LEMMAS}


def _common_prefix(a: str, b: str) -> str:
    index = 0
    while index < min(len(a), len(b)) and a[index] == b[index]:
        index += 1
    return a[:index]


def _analogous_forms(language: str, word: str, wanted: frozenset[str]) -> set[str]:
    """The forms of ``word`` (lower case) by the endings of the dictionary's lemmas that end like it."""
    endings = _endings(language, wanted)
    for size in (4, 3, 2):
        found = endings.get(word[-size:])
        if found is None:
            continue
        total, changes = found
        return {
            word[: len(word) - len(old)] + new
            for (old, new), count in changes.items()
            if count >= ANALOGY_MIN_SHARE * total and word.endswith(old) and len(word) - len(old) >= 2
        }
    return set()


def _word_forms(dictionary_language: str, word: str, wanted: frozenset[str], *, lemma_may_differ: bool) -> set[str]:
    """Every spelling of one word of a name: the forms its dictionary files under its lemma and, in the
    declining languages, the forms by analogy; only forms that keep all but the word's last letters.

    A name that the dictionary files as the form of another word (German Polen → Pole, Italian mali →
    male) is read as that word there, not as the name: unless ``lemma_may_differ`` (a word of a longer
    name, Zjednoczone → zjednoczony), only the forms filed under the word itself count.
    """
    dictionary, inverted = _dictionary(dictionary_language), _inverted(dictionary_language)
    lower = word.lower()
    # The capitalised entry is the name's; the lower-case one may be a common word (German polen, to pole,
    # for Polen), whose forms count only if they extend the whole word (Turkish türkiye → Türkiye'de).
    lemmas = {word.encode(): False, lower.encode(): word != lower}
    for key, extend_only in ((word.encode(), False), (lower.encode(), word != lower)):
        lemma = dictionary.get(key)
        if lemma is not None and (lemma_may_differ or lemma.decode().lower() == lower):
            lemmas.setdefault(lemma, extend_only and not lemma_may_differ)
    forms = {word}
    for lemma, extend_only in lemmas.items():
        # Of another word's lemma (zjednoczyć for Zjednoczone) only the forms close to the word count.
        changed = MAX_CHANGED_LETTERS_FILED if lemma.decode().lower() == lower else MAX_CHANGED_LETTERS
        keep = max(len(lower) - changed, min(len(lower), 2))
        for form in (lemma, *inverted.get(lemma, ())):
            text = form.decode()
            if extend_only and not text.lower().startswith(lower):
                continue
            if text.lower().startswith(lower[:keep]) and len(text) <= len(word) + 6:
                forms.add(_like(word, text))
    if dictionary_language in ANALOGY_LANGUAGES and lower.isalpha() and len(lower) >= 4:
        forms.update(_like(word, form) for form in _analogous_forms(dictionary_language, lower, wanted))
    return forms


def dictionary_name_forms(language: str, names: set[str]) -> dict[str, set[str]]:
    """{name: its case forms} from simplemma's dictionary ``language`` (Polska → Polsce, Polską; Stany
    Zjednoczone → Stanach Zjednoczonych; Magyarország → Magyarországot). The dictionary has no grammar, so
    each word of a multi-word name takes every form of its lemma, combined (a name the dictionary does not
    know, and no ending class covers, keeps its nominative)."""
    out: dict[str, set[str]] = {}
    wanted = frozenset(word.lower()[-2:] for name in names for word in re.split(r"\W+", name) if len(word) >= 4)
    for name in names:
        pieces = _SEPARATORS.split(name)
        words = [piece for piece in pieces if _WORD.fullmatch(piece)]
        # Short words of a longer name (De Forenede, Bosna i Hercegovina) are articles and conjunctions.
        choices = [
            _word_forms(language, piece, wanted, lemma_may_differ=len(words) > 1)
            if _WORD.fullmatch(piece) and (len(words) == 1 or len(piece) > 3)
            else {piece}
            for piece in pieces
        ]
        if len(pieces) > 1 and _product_size(choices) > MAX_DICTIONARY_PHRASE_FORMS:
            out[name] = {name}
            continue
        out[name] = {"".join(combination) for combination in itertools.product(*choices)}
    return out


# Hungarian vowel harmony: the last vowel of a word picks the set of endings; a final a/e lengthens before
# an ending (Kína → Kínában), and after a vowel the accusative and superessive lose theirs (Kínát, Kínán).
_HUNGARIAN_CLASSES = {
    **dict.fromkeys("aáoóuú", "back"),
    **dict.fromkeys("eéií", "front"),
    **dict.fromkeys("öőüű", "rounded"),
}
_HUNGARIAN_LENGTHENED = {"a": "á", "e": "é"}


# A Bantu name's noun-class vowel, before its capital (iNingizimu Afrika, i-China, EMelika).
_BANTU_CLASS_VOWEL = re.compile(r"^[ieuaIEUA](-?)(?=[^\W\d_])(?=\w)(?=[^a-z])")


def _harmony(word: str) -> str:
    for letter in reversed(word.lower()):
        if letter in _HUNGARIAN_CLASSES:
            return _HUNGARIAN_CLASSES[letter]
    return "front"


def affix_forms(language: str, name: str, affixes: list[dict[str, str]]) -> set[str]:
    """The forms of ``name`` with the curated affixes of ``language`` (curated/affixes.tsv): suffixes go on
    the last word (Egyesült Államokban), after a hyphen on an abbreviation (USA-ban)."""
    out: set[str] = set()
    last = re.split(r"\W+", name)[-1]
    if not last or not last[-1].isalpha():
        return out
    for row in affixes:
        if row["language"] != language:
            continue
        for affix in row["affixes"].split("|"):
            if row["kind"] == "prefix":
                if row["class"] == "bantu":  # the prefix replaces the noun-class vowel: iNingizimu → eNingizimu
                    vowel = _BANTU_CLASS_VOWEL.match(name)
                    if vowel:
                        out.update({affix + vowel[1] + name[vowel.end() :], affix + name[vowel.end() :]})
                else:
                    out.add(affix + name)
                continue
            if row["class"] != "any" and row["class"] != _harmony(last):
                continue
            if last.isupper() and len(last) > 1:
                out.add(f"{name}-{affix}")
            elif language == "hu" and last[-1] in _HUNGARIAN_LENGTHENED:
                vowel_less = affix[1:] if affix in ("ot", "on", "et", "en", "öt", "ön") else affix
                out.add(name[:-1] + _HUNGARIAN_LENGTHENED[last[-1]] + vowel_less)
            elif language == "hu" and last[-1].lower() not in _HUNGARIAN_CLASSES and affix in ("val", "vel"):
                out.add(name + name[-1] + affix[1:])  # the v of the instrumental takes the last consonant
            elif (
                language == "hu"
                and last[-1].lower() in _HUNGARIAN_CLASSES
                and affix in ("ot", "on", "et", "en", "öt", "ön")
            ):
                out.add(name + affix[1:])
            else:
                out.add(name + affix)
    return out
