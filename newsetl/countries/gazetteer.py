"""The country lexicon of one language: generated CLDR/ISO names plus the curated data files.

The generated file (names.tsv.gz) is read once; the curated files are small TSVs read at first use.
"""

from __future__ import annotations

import csv
import functools
import gzip
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

from newsetl.countries.compounds import compound_entries
from newsetl.countries.entry import PRIORITY_BLOCK, PRIORITY_NAME, Entry
from newsetl.countries.paths import BLOCKS_FILE, CURATED_DIR, GAZETTEER_DIR, NAMES_FILE
from newsetl.countries.rules import Rule, parse_rule
from newsetl.countries.text import fold

# English names in another language's text: only long ones, which are not words of that language.
MIN_FOREIGN_ENGLISH_NAME = 5

# Han-script names read the same in Chinese and Japanese text, and kana never occur in Chinese: each
# language also takes the other's names (a Japanese page misdetected as Chinese still finds 韓国).
SHARED_SCRIPT_LANGUAGES = {"zh": ("ja",), "ja": ("zh",), "yue": ("zh", "ja")}

# Languages whose genitive adds -s to a proper name (Deutschlands, Sveriges): the name plus s is a name.
GENITIVE_S_LANGUAGES = frozenset({"de", "nl", "sv", "da", "nb", "nn", "no"})

# English words that turn a preceding country word into the name of an event or company
# (Australian Open, British Grand Prix, Qatar Airways), which the mention rule does not count.
ENGLISH_NAME_HEADS = frozenset({"open", "grand", "airlines", "airways", "masters"})

_ALTERNATIVES = re.compile(r"\{([^{}]*)\}")


def expand(form: str) -> list[str]:
    """``Russian{,s}`` → Russian, Russians."""
    parts = _ALTERNATIVES.split(form)
    literals, choices = parts[0::2], [p.split(",") for p in parts[1::2]]
    out = []
    for combination in itertools.product(*choices):
        out.append("".join(itertools.chain.from_iterable(itertools.zip_longest(literals, combination, fillvalue=""))))
    return out


def read_curated(name: str) -> list[dict[str, str]]:
    with open(CURATED_DIR / name, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _has_case(form: str) -> bool:
    return form != form.lower() or form != form.upper()


def _default_rule(form: str) -> Rule:
    return parse_rule("", default_cap=_has_case(form) and form[:1].isupper())


@functools.cache
def generated_names() -> dict[str, list[tuple[str, str]]]:
    """{language: [(iso2, name)]} from the generated CLDR/ISO/UN name table."""
    by_language: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with gzip.open(GAZETTEER_DIR / NAMES_FILE, mode="rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            by_language[row["language"]].append((row["iso2"], row["name"]))
    return dict(by_language)


@functools.cache
def generated_blocks() -> dict[str, list[str]]:
    """{language: [phrase]}: the generated case forms of phrases that hold a country word without
    mentioning the country (build.block_rows)."""
    by_language: dict[str, list[str]] = defaultdict(list)
    with gzip.open(GAZETTEER_DIR / BLOCKS_FILE, mode="rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            by_language[row["language"]].append(row["form"])
    return dict(by_language)


@functools.cache
def _curated_rows() -> dict[str, list[dict[str, str]]]:
    return {
        name: read_curated(name)
        for name in (
            "variants.tsv",
            "abbreviations.tsv",
            "demonyms.tsv",
            "capitals.tsv",
            "short_forms.tsv",
            "not_countries.tsv",
            "rules.tsv",
            "language_nouns.tsv",
            "adjective_suffixes.tsv",
            "list_joiners.tsv",
            "language_manner.tsv",
        )
    }


def _curated_words(file_name: str, column: str, language: str) -> frozenset[str]:
    """The words of one column of a curated file in ``language``, expanded, lower case."""
    return frozenset(
        form.lower()
        for row in _curated_rows()[file_name]
        if row["language"] == language
        for form in expand(_nfc(row[column]))
        if form
    )


@functools.cache
def language_nouns(language: str) -> frozenset[str]:
    """The forms of the word "language" in ``language`` (curated/language_nouns.tsv), lower case."""
    return _curated_words("language_nouns.tsv", "forms", language)


@functools.cache
def list_joiners(language: str) -> frozenset[str]:
    """The conjunctions that join a list in ``language`` (curated/list_joiners.tsv), lower case."""
    return _curated_words("list_joiners.tsv", "forms", language)


@functools.cache
def language_prefixes(language: str) -> frozenset[str]:
    """The words before a language's name that say "in language X" (curated/language_manner.tsv: på,
    talar, översatt till), lower case."""
    return _curated_words("language_manner.tsv", "prefix", language)


def _curated_entries(language: str) -> Iterator[Entry]:
    rows = _curated_rows()
    for block in rows["not_countries.tsv"]:
        if block["language"] in (language, "*"):
            yield Entry(_nfc(block["form"]), (), Rule(), PRIORITY_BLOCK, "block")
    for form in generated_blocks().get(language, ()):
        yield Entry(form, (), Rule(), PRIORITY_BLOCK, "block")
    for file_name, kind in (
        ("variants.tsv", "name"),
        ("abbreviations.tsv", "abbreviation"),
        ("demonyms.tsv", "demonym"),
        ("capitals.tsv", "capital"),
    ):
        for row in rows[file_name]:
            if row["language"] not in (language, "*"):
                continue
            for form in expand(_nfc(row["form"])):
                rule = parse_rule(row["rule"], default_cap=_has_case(form) and form[:1].isupper())
                # "KR+US": a compound naming several countries (한미).
                yield Entry(form, tuple(row["iso2"].split("+")), rule, PRIORITY_NAME, kind)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _generated_entries(language: str) -> Iterator[Entry]:
    rules = {(_nfc(r["form"])): r["rule"] for r in _curated_rows()["rules.tsv"] if r["language"] == language}
    names = generated_names()
    by_form: dict[str, set[str]] = defaultdict(set)
    for iso2, name in names.get(language, []):
        by_form[name].add(iso2)
    for related in SHARED_SCRIPT_LANGUAGES.get(language, ()):
        for iso2, name in names.get(related, []):
            if name not in by_form and len(name) > 1:
                by_form.setdefault(name, set()).add(iso2)
    own_and_related = set(by_form)
    nouns = language_nouns(language)
    joiners = list_joiners(language)
    # The words before a language's name that say "in language X" (på, talar): a list they start names languages.
    list_starts = language_prefixes(language) if joiners else frozenset()
    # Languages that write national adjectives in lower case: a capital makes one part of a name.
    lower_case_adjectives = any(
        row["language"] == language and row["case"] == "lower" for row in _curated_rows()["adjective_suffixes.tsv"]
    )
    if language != "en":
        english_rules = {_nfc(r["form"]) for r in _curated_rows()["rules.tsv"] if r["language"] == "en"}
        for iso2, name in names.get("en", []):
            # Only unambiguous English names are safe in foreign text: long, and not a curated homograph.
            if len(name) >= MIN_FOREIGN_ENGLISH_NAME and name not in english_rules and name not in own_and_related:
                by_form.setdefault(name, set()).add(iso2)
    for form, countries in by_form.items():
        if len(countries) != 1:
            continue  # one form for two countries (刚果 for both Congos): it decides nothing
        rule = parse_rule(rules[form], default_cap=True) if form in rules else _default_rule(form)
        # A national adjective (lower case, or in a script without case: रूसी), which next to "language" names it.
        if nouns and not form[:1].isupper():
            rule = replace(rule, prev_not=rule.prev_not | nouns, next_not=rule.next_not | nouns)
        if lower_case_adjectives and form[:1].islower():
            rule = replace(rule, lowername=True)
        if list_starts and form[:1].islower():
            rule = replace(rule, list_after=list_starts, list_joiners=joiners)
        yield Entry(form, tuple(countries), rule, PRIORITY_NAME, "name")
        if language in GENITIVE_S_LANGUAGES and form[-1:].isalpha() and form[-1] not in "sxzß":
            yield Entry(form + "s", tuple(countries), rule, PRIORITY_NAME, "name")


def _with_name_heads(entry: Entry) -> Entry:
    if entry.kind not in ("name", "demonym") or not entry.countries:
        return entry
    return replace(entry, rule=replace(entry.rule, next_not=entry.rule.next_not | ENGLISH_NAME_HEADS))


@functools.cache
def entries(language: str) -> dict[str, Entry]:
    """{folded form: entry} for one article language; earlier sources win over later ones."""
    short_forms = [row for row in _curated_rows()["short_forms.tsv"] if row["language"] == language]
    chosen: dict[str, Entry] = {}
    for entry in itertools.chain(
        _curated_entries(language), _generated_entries(language), compound_entries(language, short_forms)
    ):
        key = fold(entry.form)
        if not key:
            continue
        if language == "en":
            entry = _with_name_heads(entry)
        if key not in chosen:
            chosen[key] = entry
        elif chosen[key].countries == entry.countries and entry.form not in chosen[key].spellings:
            merged = replace(chosen[key], also=(*chosen[key].also, entry.form))
            if _lower_case_twin(chosen[key], entry):
                merged = replace(merged, rule=entry.rule)
            chosen[key] = merged
    return chosen


def _lower_case_twin(first: Entry, other: Entry) -> bool:
    """Whether ``other`` is the lower-case spelling of a generated name (Polish polski, the adjective, of
    Polski, the genitive of Polska): then the form is matched in any case. Only an all lower-case spelling:
    French "la Réunion" does not make "la réunion" (the meeting) the island."""
    return (
        first.kind == other.kind == "name"
        and first.rule.cap
        and not other.rule.cap
        and other.form.islower()
        and replace(first.rule, cap=False)
        == replace(other.rule, prev_not=first.rule.prev_not, next_not=first.rule.next_not)
    )
