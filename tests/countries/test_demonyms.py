"""Demonym nouns, plurals, the national adjectives of the Celtic, Sami, Macedonian, Asturian, Swahili and
Tagalog texts, and the guards that keep a language name from counting as its country."""

import pytest

from newsetl.countries import match_countries
from newsetl.countries.adjectives import Adjective, adjective_forms, demonym_nouns, noun_forms


def codes(text: str, language: str) -> set[str]:
    return {m.iso2 for m in match_countries("", text, language)}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Plurals: the dictionary's (francesos, russos, franceses) and the plural rules' (franceses, russes, रूसियों).
        ("ca", "Els francesos i les russes van signar", {"FR", "RU"}),
        ("ca", "Les franceses i els russos", {"FR", "RU"}),
        ("ca", "els italians i les italianes", {"IT"}),
        ("gl", "Os franceses e os rusos chegaron", {"FR", "RU"}),
        ("hi", "रूसियों ने कहा", {"RU"}),
        ("hi", "भारतीयों और चीनियों के बीच", {"IN", "CN"}),
        ("ast", "los franceses y los rusos", {"FR", "RU"}),
    ],
)
def test_plural_forms_of_national_adjectives_name_the_country(language: str, text: str, expected: set[str]) -> None:
    assert codes(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("sv", "En fransman och två fransmän", {"FR"}),
        ("sv", "ryssarna och kineserna", {"RU", "CN"}),
        ("sv", "amerikanerna mötte en italienare", {"US", "IT"}),
        ("da", "en franskmand og to franskmænd", {"FR"}),
        ("da", "russerne og amerikanerne", {"RU", "US"}),
        ("nb", "en franskmann og mange franskmenn", {"FR"}),
        ("nb", "kineserne og tyrkerne", {"CN", "TR"}),
        ("nl", "De Fransen en een Fransman", {"FR"}),
        ("nl", "De Russen, de Duitsers en een Amerikaan", {"RU", "DE", "US"}),
        ("de", "Die Franzosen und eine Französin trafen einen Russen", {"FR", "RU"}),
        ("de", "Zwei Französinnen", {"FR"}),
        ("sw", "Wafaransa na Mrusi walikutana", {"FR", "RU"}),
        ("sw", "Mmarekani mmoja na Wachina wawili", {"US", "CN"}),
    ],
)
def test_demonym_nouns_and_their_forms_name_the_country(language: str, text: str, expected: set[str]) -> None:
    assert codes(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("mk", "Француските и руските војници, германската влада", {"FR", "RU", "DE"}),
        ("mk", "шведски и хрватски компании", {"SE", "HR"}),
        ("ga", "Dúirt na Gearmánaigh agus an rialtas Rúiseach", {"DE", "RU"}),
        ("ga", "Francach agus Iodálach", {"FR", "IT"}),
        ("gd", "an riaghaltas gearmailteach agus na frangaich", {"DE", "FR"}),
        ("gd", "saighdearan eadailteach", {"IT"}),
        ("cy", "y llywodraeth Ffrengig a'r fyddin Brydeinig", {"FR", "GB"}),
        ("se", "duiskalaš ja ruoššalaš soalddáhat", {"DE", "RU"}),
        ("gv", "Frangagh as Rooshagh", {"FR", "RU"}),
        ("fil", "Ang mga Amerikano at Hapones", {"US", "JP"}),
        ("tl", "Ang Pranses na pangulo", {"FR"}),  # tl is read as CLDR's fil
        ("ast", "el gobiernu francés y la prensa alemana", {"FR", "DE"}),
    ],
)
def test_national_adjectives_of_the_newly_covered_languages(language: str, text: str, expected: set[str]) -> None:
    assert codes(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "Boken finns på franska och svenska."),  # in French and Swedish: a list after på
        ("sv", "Han talar engelska, franska och svenska."),
        ("da", "Bogen findes på dansk og fransk."),
        ("nb", "Boka kom ut på norsk og fransk."),
        ("ca", "Parla l'idioma rus."),  # the Russian language, after an elided article
        ("ca", "l'idioma francès i la llengua russa"),
        ("ca", "escrit en català i rus"),
        ("hi", "वह रूसी बोलता है"),  # he speaks Russian: the verb follows the language
        ("hi", "वे रूसी बोलते हैं"),
        ("mk", "македонски јазик"),  # the Macedonian language
        ("sw", "Anaongea Kifaransa"),  # the language is Ki-, which is not made
        ("sv", "Han är polare med en spanare"),  # pal, lookout: no demonym nouns (curated exclusions)
        ("nb", "En maler og en spaner"),  # painter, plain-clothes officer
    ],
)
def test_language_names_and_look_alikes_are_no_country(language: str, text: str) -> None:
    assert codes(text, language) == set()


def test_a_list_without_a_language_phrase_still_counts() -> None:
    assert codes("franska och svenska soldater", "sv") == {"FR", "SE"}
    assert codes("Han reste till Frankrike och svenska myndigheter svarade", "sv") == {"FR", "SE"}


def test_demonym_nouns_come_from_the_dictionary_and_one_country() -> None:
    found = [
        Adjective("sv", "FR", "fransk", "frankrike", 4, 0),
        Adjective("sv", "RU", "rysk", "ryssland", 3, 0),
        Adjective("nl", "RU", "Russisch", "rusland", 3, 0),
    ]
    nouns = {(noun.language, noun.iso2, noun.lemma, noun.noun_of) for noun in demonym_nouns(found)}
    assert ("sv", "FR", "fransman", "fransk") in nouns
    assert ("sv", "RU", "ryss", "rysk") in nouns
    assert ("nl", "RU", "Rus", "Russisch") in nouns
    assert not any(lemma in ("fran", "ry", "franser") for _, _, lemma, _ in nouns)  # no dictionary lemma
    assert {"fransmän", "fransmännen"} <= noun_forms("sv", "fransman")
    assert "Russen" in noun_forms("nl", "Rus")


def test_plural_rules_and_dictionary_plurals() -> None:
    assert {"francesa", "franceses", "francesos"} <= adjective_forms("ca", "francès")
    assert {"russa", "russes", "russos"} <= adjective_forms("ca", "rus")
    assert "franceses" in adjective_forms("gl", "francés")
    assert "रूसियों" in adjective_forms("hi", "रूसी")
    assert "француската" in adjective_forms("mk", "француски")
