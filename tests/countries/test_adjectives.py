"""National adjectives found in simplemma's dictionaries for the languages no curated lemma list covers."""

import csv

import pycountry
import pytest

from newsetl.countries import match_countries
from newsetl.countries.gazetteer import read_curated
from newsetl.countries.paths import ADJECTIVES_FILE, GAZETTEER_DIR


def codes(text: str, language: str) -> set[str]:
    return {m.iso2 for m in match_countries("", text, language)}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("sv", "Franska soldater lämnar Mali", {"FR", "ML"}),
        ("sv", "ett kinesiskt företag och en kanadensisk minister", {"CN", "CA"}),
        ("sv", "den ryska och tyska regeringen", {"RU", "DE"}),
        ("sv", "amerikanska och brittiska trupper", {"US", "GB"}),
        (
            "no",
            "Svenske myndigheter anslår at det er om lag 800",
            {"SE"},
        ),  # capitalised at a sentence start  # curated: CLDR's names give no adjective
        ("da", "danske og norske forskere", {"DK", "NO"}),
        ("nb", "kinesiske og russiske fartøy", {"CN", "RU"}),
        ("no", "svenske myndigheter", {"SE"}),
        ("nl", "De Franse president en de Duitse kanselier", {"FR", "DE"}),
        ("nl", "Russische en Chinese schepen", {"RU", "CN"}),
        ("is", "rússneskir hermenn", {"RU"}),
        ("lb", "déi däitsch an déi franséisch Regierung", {"DE", "FR"}),
        ("hy", "ֆրանսիական և ռուսական զորքերը", {"FR", "RU"}),
        ("hy", "ամերիկյան ընկերություն", {"US"}),  # curated: CLDR's Armenian name is several words
        ("ca", "el govern alemany i la premsa xinesa", {"DE", "CN"}),  # alemany curated, xinès found
        ("ca", "un diplomàtic pakistanès", {"PK"}),
        ("gl", "o goberno alemán e a prensa chinesa", {"DE", "CN"}),  # alemán curated, chinés found
        ("hi", "रूसी सैनिक और पाकिस्तानी सेना", {"RU", "PK"}),
        ("hi", "भारतीय सेना", {"IN"}),  # curated: the dictionary lacks भारतीय
        ("hi", "इराक़ी सरकार", {"IQ"}),  # the nukta is part of the word
    ],
)
def test_found_adjectives_and_their_forms_name_the_country(language: str, text: str, expected: set[str]) -> None:
    assert codes(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "boken finns på franska"),  # in French (curated/language_manner.tsv)
        ("sv", "hon talar svenska"),  # speaks Swedish
        ("sv", "det svenska språket"),  # the Swedish language (curated/language_nouns.tsv)
        ("da", "oversat til dansk"),
        ("nb", "boken kom ut på norsk"),
        ("nl", "het boek verscheen in het Frans"),
        ("nl", "Frans Timmermans sprak"),  # a given name (curated/rules.tsv)
        ("sv", "en indiansk hövding och samisk kultur"),  # Native American, Sami: curated exclusions
        ("sv", "en polemisk artikel"),  # polemic, not Polish
        ("sv", "Det skriver Svenska Dagbladet."),  # a capitalised lower-case adjective is part of a name
        ("no", "Norsk Presseforbund behandler klager"),  # even at the start of a sentence, before a capital
        ("hy", "իրական կյանք և գրենական պիտույքներ"),  # real life, stationery: curated exclusions
        ("hy", "ռուսերեն լեզու"),  # the Russian language is another word
        ("ca", "escrit en català i traduït al francès"),  # in Catalan, translated into French
        ("ca", "la llengua francesa"),  # the French language (curated/language_nouns.tsv)
        ("ca", "el dret persà i la geologia permiana"),  # curated exclusions: Persian, Permian are not Peru
        ("gl", "escrito en galego e traducido ao francés"),  # in Galician, translated into French
        ("gl", "o dereito romano e a lingua francesa"),  # Roman is not Romanian; the French language
        ("hi", "रूसी भाषा में अनुवाद"),  # the Russian language: Devanagari has no case to tell it
        ("hi", "यह भारी बारिश है"),  # heavy rain: भारी is no adjective of India
        ("hi", "चीनी मिल बंद है"),  # a sugar mill (curated block)
        ("hi", "भारती एयरटेल"),  # a vowel sign continues the word: भारत is not a word in भारती
    ],
)
def test_language_names_given_names_and_look_alikes_are_no_country(language: str, text: str) -> None:
    assert codes(text, language) == set()


def _provenance() -> list[dict[str, str]]:
    with open(GAZETTEER_DIR / ADJECTIVES_FILE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_each_found_adjective_records_the_name_it_fits() -> None:
    rows = _provenance()
    found = [row for row in rows if row["name"] != "curated"]
    assert {row["language"] for row in found} >= {"sv", "da", "nb", "no", "nl", "is", "lb", "hy", "hi", "ca", "gl"}
    for row in found:
        shared = int(row["shared"])
        assert row["lemma"].lower()[:shared] == row["name"][:shared], row
    assert ("sv", "FR", "fransk", "frankrike") in {(r["language"], r["iso2"], r["lemma"], r["name"]) for r in found}


def test_an_adjective_goes_to_one_country_and_exclusions_hold() -> None:
    rows = _provenance()
    countries_of: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        countries_of.setdefault((row["language"], row["lemma"]), set()).add(row["iso2"])
    assert all(len(codes_) == 1 for codes_ in countries_of.values())
    excluded = {(row["language"], row["lemma"]) for row in read_curated("adjective_exclusions.tsv")}
    assert not excluded & set(countries_of)
    iso = {c.alpha_2 for c in pycountry.countries}
    assert all(row["iso2"] in iso for row in rows)


def test_most_countries_get_an_adjective_in_the_nordic_languages() -> None:
    rows = _provenance()
    for language in ("sv", "nb"):
        assert len({row["iso2"] for row in rows if row["language"] == language}) >= 120, language
