"""Generate the country gazetteer from maintained data: ``python -m newsetl.countries.build [outdir]``.

Sources, all read from installed packages (nothing is downloaded):
- Babel's CLDR territory names, every locale;
- pycountry's ISO 3166-1 names and codes;
- the UN M49 regions and the six UN-language short names of the OCHA HDX country list shipped by
  ``django-countries-hdx`` (read as a data file; the package itself is never imported, it needs Django);
- pymorphy3 and its Russian and Ukrainian dictionaries, for the case forms of those languages' names and of
  the demonym lemmas of ``curated/inflected_lemmas.tsv`` (``newsetl.countries.inflection``; the optional
  ``gazetteer`` dependencies, which matching does not need);
- simplemma's form → lemma dictionaries (every language whose names inflect), inverted, and in the
  declining languages extended by the endings of lemmas that end alike, for the case forms of names and of
  the curated demonym lemmas (also a ``gazetteer`` dependency);
- the curated affixes of ``curated/affixes.tsv`` (Hungarian endings, Gujarati and Bengali postpositions,
  isiZulu and isiXhosa prefixes);
- the national adjectives of the languages no curated lemma list covers, found in simplemma's dictionaries by
  the suffixes of ``curated/adjective_suffixes.tsv`` and the CLDR names they fit, with their plurals and the
  demonym nouns the dictionary has for them (``newsetl.countries.adjectives``);
- the curated endings of ``curated/language_manner.tsv`` applied to Babel's CLDR language names, for the
  words that say "in language X" (po polsku, magyarul), which are blocks.

The output is deterministic (sorted rows, gzip without timestamp, no dates in the provenance), so a rerun
with the same package versions gives identical bytes; the provenance records those versions.
"""

from __future__ import annotations

import csv
import gzip
import importlib.metadata
import io
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

import babel
import babel.localedata
import pycountry
from babel.core import get_global

from newsetl.countries import adjectives, inflection
from newsetl.countries.gazetteer import expand, read_curated
from newsetl.countries.paths import (
    ADJECTIVES_FILE,
    BLOCKS_FILE,
    COUNTRIES_FILE,
    DISPLAY_NAMES_FILE,
    GAZETTEER_DIR,
    NAMES_FILE,
    PROVENANCE_FILE,
)

HDX_DIST = "django-countries-hdx"
HDX_CSV = "django_countries_hdx/hdx_plus_m49.csv"
HDX_UN_LANGUAGES = {
    "en": "English Short",
    "fr": "French Short",
    "es": "Spanish Short",
    "ru": "Russian Short",
    "zh": "Chinese Short",
    "ar": "Arabic Short",
}

# Deseret and Shavian: English spelling-reform alphabets no news is written in.
HISTORIC_SCRIPTS = {"Dsrt", "Shaw"}

INFLECTED_LEMMAS = "inflected_lemmas.tsv"
AFFIXES = "affixes.tsv"
VARIANTS = "variants.tsv"
LANGUAGE_MANNER = "language_manner.tsv"

_PARENTHESISED = re.compile(r"^(.*?)\s*[(（]([^()（）]+)[)）]\s*$")


def _hdx_rows() -> dict[str, dict[str, str]]:
    path = importlib.metadata.distribution(HDX_DIST).locate_file(HDX_CSV)
    # typed as the abstract SimplePath; an installed distribution's is a pathlib.Path
    with open(str(path), encoding="utf-8", newline="") as handle:
        return {
            row["ISO 3166-1 Alpha 2-Codes"]: row for row in csv.DictReader(handle) if row["ISO 3166-1 Alpha 2-Codes"]
        }


def _m49(code: str) -> str:
    return code.zfill(3) if code else ""


def name_variants(name: str, territory_names: frozenset[str] = frozenset()) -> Iterator[str]:
    """The forms a text may use for one CLDR/ISO display name.

    CLDR display names carry disambiguation that articles never print ("Myanmar (Burma)",
    "Bosnia & Herzegovina", "Côte d’Ivoire"): split the parenthesis, spell out the ampersand, and give
    the typographic apostrophe an ASCII twin. A parenthesis that names another territory qualifies
    rather than renames ("RAE de Hong Kong (China)"), and so does one in capitals, the abbreviation of
    the sovereign ("Արտաքին կղզիներ (ԱՄՆ)" is not the United States): it is not a form of this country.
    Inverted ISO names ("Korea, Republic of") are not forms anyone writes and are dropped.
    """
    name = unicodedata.normalize("NFC", name.strip())
    if name.startswith("the "):
        name = name[4:]
    # Comma names are inverted ISO forms ("Korea, Republic of") or qualified UN/CLDR forms
    # ("China, Hong Kong SAR"): no article writes them, and their first part can be another country.
    if not name or ", " in name or "，" in name:
        return
    match = _PARENTHESISED.match(name)
    parts = [match.group(1), match.group(2)] if match else [name]
    if match and (match.group(2).strip() in territory_names or match.group(2).strip().isupper()):
        parts = parts[:1]  # an abbreviation in capitals qualifies too: "Внешние малые о-ва (США)"
    for part in parts:
        part = part.strip()
        if not part:
            continue
        forms = {part, part.replace("&", "and"), part.replace("’", "'")}
        if part.startswith("St. "):
            forms.add("Saint " + part[4:])
        yield from sorted(f for f in forms if len(f) > 1)


def _babel_names() -> Iterator[tuple[str, str, str, str]]:
    """(language, iso2, name, source) for every locale's territory names."""
    iso2 = {c.alpha_2 for c in pycountry.countries}
    for locale_id in sorted(babel.localedata.locale_identifiers()):
        if set(locale_id.split("_")) & HISTORIC_SCRIPTS:
            continue
        territories = babel.localedata.load(locale_id).get("territories", {})
        language = locale_id.split("_")[0]
        territory_names = frozenset(unicodedata.normalize("NFC", n) for n in territories.values())
        for code, name in territories.items():
            if code in iso2:
                for form in name_variants(name, territory_names):
                    yield language, code, form, "cldr"


def display_name_rows() -> list[tuple[str, str, str]]:
    """(language, iso2, name): each language's own CLDR name for each country, as CLDR writes it."""
    iso2 = {c.alpha_2 for c in pycountry.countries}
    rows: list[tuple[str, str, str]] = []
    for locale_id in sorted(babel.localedata.locale_identifiers()):
        if "_" in locale_id:
            continue  # the base locale of a language holds its standard names
        territories = babel.localedata.load(locale_id).get("territories", {})
        rows.extend(
            (locale_id, code, unicodedata.normalize("NFC", name))
            for code, name in sorted(territories.items())
            if code in iso2
        )
    return rows


def _iso_names() -> Iterator[tuple[str, str, str, str]]:
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                for form in name_variants(value):
                    yield "en", country.alpha_2, form, "iso3166"


def _hdx_names(hdx: dict[str, dict[str, str]]) -> Iterator[tuple[str, str, str, str]]:
    for code, row in hdx.items():
        for language, column in HDX_UN_LANGUAGES.items():
            for form in name_variants(row.get(column, "")):
                yield language, code, form, "un-m49"


def _inflected_names(base: Iterable[tuple[str, str, str, str]]) -> Iterator[tuple[str, str, str, str]]:
    """The case forms of the inflected languages' names, then those of the curated lemmas."""
    names: dict[tuple[str, str], set[str]] = {}
    for language, code, form, _ in base:
        if language in inflection.PYMORPHY_DICTS:
            names.setdefault((language, code), set()).add(form)
    for row in read_curated(INFLECTED_LEMMAS):
        if row["kind"] == "name" and row["language"] in inflection.PYMORPHY_DICTS:
            names.setdefault((row["language"], row["iso2"]), set()).add(row["lemma"])
    for (language, code), forms in sorted(names.items()):
        for name in sorted(forms):
            for form in sorted(inflection.name_forms(language, name)):
                yield language, code, form, "pymorphy3"
    dictionary_languages = _dictionary_languages()
    for row in read_curated(INFLECTED_LEMMAS):
        if row["kind"] == "demonym" and row["language"] in inflection.PYMORPHY_DICTS:
            for form in sorted(inflection.lemma_forms(row["language"], row["lemma"])):
                yield row["language"], row["iso2"], form, "pymorphy3"
        elif row["kind"] == "demonym" and row["language"] in adjectives.languages():
            continue  # inflected with the found adjectives (adjectives.curated_adjectives)
        elif row["kind"] in ("demonym", "name") and row["language"] in dictionary_languages:
            dictionary = dictionary_languages[row["language"]]
            for form in sorted(inflection.dictionary_name_forms(dictionary, {row["lemma"]})[row["lemma"]]):
                yield row["language"], row["iso2"], form, "simplemma"
    for dictionary_language, languages in sorted(inflection.SIMPLEMMA_LANGUAGES.items()):
        for language in languages:
            codes: dict[str, set[str]] = {}
            for row_language, code, form, _ in base:
                if row_language == language:
                    codes.setdefault(form, set()).add(code)
            for name, forms in sorted(inflection.dictionary_name_forms(dictionary_language, set(codes)).items()):
                for code in sorted(codes[name]):
                    for form in sorted(forms):
                        yield language, code, form, "simplemma"
    affixes = read_curated(AFFIXES)
    variants = {(row["language"], row["iso2"], form) for row in read_curated(VARIANTS) for form in expand(row["form"])}
    for language in sorted({row["language"] for row in affixes}):
        for _, code, name in sorted(
            {row[:3] for row in base if row[0] == language}
            | {row for row in variants if row[0] == language and "+" not in row[1]}
        ):
            for form in sorted(inflection.affix_forms(language, name, affixes)):
                yield language, code, form, "affix"


def block_rows(names: Iterable[tuple[str, str, str, str]] = ()) -> list[tuple[str, str]]:
    """(language, form): the case forms of the curated phrases that hold a country word without naming the
    country («Российской газеты»), of each national adjective's language name (русского языка), and the
    words for "in language X" that are also generated forms among ``names`` (name_rows)."""
    rows: set[tuple[str, str]] = set()
    for row in read_curated(INFLECTED_LEMMAS):
        language = row["language"]
        if row["kind"] == "block":
            phrases = [row["lemma"]]
        elif (
            row["kind"] == "demonym"
            and language in inflection.LANGUAGE_NOUNS
            and inflection.is_adjective(language, row["lemma"])
        ):
            phrases = [f"{row['lemma']} {noun}" for noun in inflection.LANGUAGE_NOUNS[language]]
        else:
            continue
        dictionary = _dictionary_languages().get(language)
        for phrase in phrases:
            if language in inflection.PYMORPHY_DICTS:
                rows.update((language, form) for form in inflection.name_forms(language, phrase))
            elif dictionary is not None:
                rows.update((language, form) for form in inflection.dictionary_name_forms(dictionary, {phrase})[phrase])
    rows.update(language_manner_rows({(language, form.lower()) for language, _, form, _ in names}))
    return sorted(rows)


def language_manner_rows(generated: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """(language, phrase): the word for "in language X" of each CLDR language name, by the endings of
    curated/language_manner.tsv (po polsku, magyarul), where that word is among the ``generated`` forms
    (language, lower case): elsewhere nothing matches it to hide."""
    rows: set[tuple[str, str]] = set()
    for row in read_curated(LANGUAGE_MANNER):
        language, ending = row["language"], row["name_ending"]
        prefixes = [f"{prefix} " if prefix else "" for prefix in expand(row["prefix"])]
        suffixes = [f" {suffix}" if suffix else "" for suffix in expand(row["suffix"])]
        for name in babel.Locale.parse(language).languages.values():
            name = unicodedata.normalize("NFC", name.lower())
            if " " in name or not name.endswith(ending):
                continue
            stem = name[: len(name) - len(ending)]
            rows.update(
                (language, prefix + stem + manner + suffix)
                for manner in expand(row["manner"])
                if (language, stem + manner) in generated
                for prefix in prefixes
                for suffix in suffixes
            )
    return rows


def _dictionary_languages() -> dict[str, str]:
    """{CLDR language: the simplemma dictionary that serves it}."""
    return {
        language: dictionary
        for dictionary, languages in inflection.SIMPLEMMA_LANGUAGES.items()
        for language in languages
    }


def name_rows(
    hdx: dict[str, dict[str, str]], found_adjectives: Iterable[adjectives.Adjective] = ()
) -> list[tuple[str, str, str, str]]:
    seen: dict[tuple[str, str, str], str] = {}
    base = list(_chain(_babel_names(), _iso_names(), _hdx_names(hdx)))
    for language, code, form, source in _chain(
        base, _inflected_names(base), adjectives.adjective_rows(found_adjectives)
    ):
        seen.setdefault((language, code, form), source)  # the first source wins: CLDR, ISO, UN, then pymorphy3
    return sorted((language, code, form, source) for (language, code, form), source in seen.items())


def _chain(*iterables: Iterable) -> Iterator:
    for iterable in iterables:
        yield from iterable


def country_table(hdx: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    english = babel.Locale("en").territories
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        m49 = hdx.get(country.alpha_2, {})
        rows.append(
            {
                "iso2": country.alpha_2,
                "iso3": country.alpha_3,
                "numeric": country.numeric,
                "name_en": english.get(country.alpha_2, country.name),
                "region": m49.get("Region Name", ""),
                "subregion": m49.get("Sub-region Name", ""),
                "region_m49": _m49(m49.get("Region Code", "")),
                "subregion_m49": _m49(m49.get("Sub-region Code", "")),
            }
        )
    return rows


def _tsv(rows: Iterable[Iterable[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    # mtime=0 and no file name: the same input must give the same bytes.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="", compresslevel=9) as handle:
        handle.write(data)
    return buffer.getvalue()


def provenance() -> dict[str, str]:
    return {
        "babel": babel.__version__,
        "cldr": str(get_global("cldr").get("version", "")),
        "pycountry": importlib.metadata.version("pycountry"),
        HDX_DIST: importlib.metadata.version(HDX_DIST),
        **inflection.versions(),
        **inflection.simplemma_version(),
        "generator": "python -m newsetl.countries.build",
    }


def build(outdir: Path = GAZETTEER_DIR) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    hdx = _hdx_rows()
    countries = country_table(hdx)
    header = list(countries[0])
    found_adjectives = adjectives.all_adjectives({row["iso2"] for row in countries})
    names = name_rows(hdx, found_adjectives)
    outputs = {
        NAMES_FILE: _gzip(_tsv([("language", "iso2", "name", "source"), *names])),
        BLOCKS_FILE: _gzip(_tsv([("language", "form"), *block_rows(names)])),
        DISPLAY_NAMES_FILE: _gzip(_tsv([("language", "iso2", "name"), *display_name_rows()])),
        COUNTRIES_FILE: _tsv([header, *([row[k] for k in header] for row in countries)]),
        ADJECTIVES_FILE: _tsv(
            [
                ("language", "iso2", "lemma", "name", "shared", "added", "noun_of"),
                *adjectives.provenance_rows(found_adjectives),
            ]
        ),
        PROVENANCE_FILE: (json.dumps(provenance(), indent=2, sort_keys=True) + "\n").encode(),
    }
    written = []
    for name, data in outputs.items():
        path = outdir / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else GAZETTEER_DIR):
        print(written_path)
