"""Case forms of Russian and Ukrainian country names and demonyms: generated at build time, matched at run time."""

import pytest

from newsetl.countries import match_countries


def codes(text: str, language: str) -> set[str]:
    return {m.iso2 for m in match_countries("", text, language)}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Санкции против России продлены", {"RU"}),
        ("ru", "Выставка прошла в Китае и в Германии", {"CN", "DE"}),
        ("ru", "Премьер Великобритании заявил", {"GB"}),
        ("ru", "Военная помощь Украине", {"UA"}),
        ("ru", "переговоры с Соединенными Штатами", {"US"}),
        ("ru", "переговоры с Соединёнными Штатами", {"US"}),
        ("ru", "позиция Соединенных Штатов", {"US"}),
        ("ru", "американские военные и французского президента", {"US", "FR"}),
        ("ru", "Американцы и россияне встретились", {"US", "RU"}),
        ("uk", "Президент України заявив", {"UA"}),
        ("uk", "американські військові", {"US"}),
    ],
)
def test_inflected_forms_are_mentions(language: str, text: str, expected: set[str]) -> None:
    assert codes(text, language) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Депутат Китаев выступил с докладом",  # a surname, and the plural of Китай: plurals are not generated
        "Папа Франциск прибыл в Рим",  # a given name, no form of Франция
        "Об этом пишет «Российская газета»",  # an outlet
        "по данным Российской газеты",
        "учебник русского языка",  # a language name
        "преподавал русский язык",
        "войска 1-го Украинского фронта",  # a Second World War front
    ],
)
def test_longer_forms_do_not_make_names_or_words_countries(text: str) -> None:
    assert codes(text, "ru") == set()


def test_build_inflects_every_word_of_a_name_in_agreement() -> None:
    inflection = pytest.importorskip("newsetl.countries.inflection")
    pytest.importorskip("pymorphy3")
    forms = inflection.name_forms("ru", "Соединенные Штаты")
    assert {"Соединенными Штатами", "Соединённых Штатов", "Соединенным Штатам"} <= forms
    assert "Соединенными Штатов" not in forms
    assert "Китаев" not in inflection.name_forms("ru", "Китай")
    assert {"американцы", "американцев"} <= inflection.lemma_forms("ru", "американец")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("pl", "Wybory w Polsce i rozmowy z Ukrainą", {"PL", "UA"}),
        ("cs", "Summit v Německu", {"DE"}),
        ("fi", "Vaalit Suomessa", {"FI"}),
        ("pl", "Serwis należy do Polska Press", set()),  # a media company
    ],
)
def test_dictionary_case_forms_of_other_languages(language: str, text: str, expected: set[str]) -> None:
    assert codes(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("pl", "Ambasador w Stanach Zjednoczonych i rząd Stanów Zjednoczonych", {"US"}),  # word by word
        ("pl", "Rosjanie odcinają Polskę od gazu, a Polaków to nie dziwi", {"RU", "PL"}),
        ("pl", "francuski minister i niemieckie firmy", {"FR", "DE"}),
        ("pl", "polski rząd", {"PL"}),  # a lower-case adjective that is also a capitalised name form (Polski)
        ("cs", "americké okupační zóny a české hokejisty; Čeští vědci", {"US", "CZ"}),
        ("fi", "belgialainen yhtiö ja ruotsalaiset", {"BE", "SE"}),
        ("hu", "Magyarországot és Németországban, a magyar állam", {"HU", "DE"}),  # endings by vowel harmony
        ("pl", "po fińskiej stronie granicy", {"FI"}),  # an adjective after po, not the adverb of the language
        ("hu", "az USA-ban", {"US"}),
        ("lv", "Lietuvas un Norvēģijā", {"LT", "NO"}),
        ("is", "forseti Frakklands", {"FR"}),
        ("de", "die Vereinigten Staaten", {"US"}),
        ("tr", "Türkiye'de seçim, Almanya'nın tepkisi", {"TR", "DE"}),
        ("gu", "ભારતમાં ચૂંટણી", {"IN"}),  # a postposition written onto the name
        ("zu", "kwaseNingizimu Afrika naseMelika", {"ZA", "US"}),  # locative prefixes
    ],
)
def test_case_forms_demonyms_and_affixes_of_the_inflecting_languages(
    language: str, text: str, expected: set[str]
) -> None:
    assert codes(text, language) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("pl", "podręcznik do nauki języka polskiego; język polski"),  # the language, not the country
        ("hu", "a magyar nyelv"),
        ("cs", "český jazyk"),
        ("pl", "wywiad po fińsku, napisy po polsku"),  # in Finnish, in Polish (curated/language_manner.tsv)
        ("hu", "beszél magyarul és németül"),  # in Hungarian, in German
        ("pl", "rejs po Oceanie Indyjskim"),  # a sea
        ("pl", "orzechy włoskie i ciasto francuskie"),  # fixed expressions: walnuts, puff pastry
        ("de", "zwei kulturelle Pol und die Pols"),  # forms of the verb polen are not forms of Polen
        ("es", "el secuestro de Cecilia Cubas"),  # no plural of a name in a language whose names do not inflect
    ],
)
def test_generated_forms_keep_the_precision_guards(language: str, text: str) -> None:
    assert codes(text, language) == set()


def test_words_for_in_language_x_come_from_cldr_language_names() -> None:
    build = pytest.importorskip("newsetl.countries.build")
    generated = {("pl", "fińsku"), ("pl", "polsku"), ("hu", "magyarul")}
    rows = build.language_manner_rows(generated)
    assert {("pl", "po fińsku"), ("pl", "po polsku"), ("hu", "magyarul")} <= rows
    assert all((language, phrase.removeprefix("po ")) in generated for language, phrase in rows)


def test_a_capitalised_abbreviation_in_parentheses_qualifies_and_does_not_rename() -> None:
    build = pytest.importorskip("newsetl.countries.build")
    assert list(build.name_variants("Արտաքին կղզիներ (ԱՄՆ)")) == ["Արտաքին կղզիներ"]
    assert codes("ԱՄՆ-ն հայտարարել է", "hy") == {"US"}
    assert "Burma" in set(build.name_variants("Myanmar (Burma)"))


def test_ending_classes_give_the_forms_a_thin_dictionary_lacks() -> None:
    inflection = pytest.importorskip("newsetl.countries.inflection")
    pytest.importorskip("simplemma")
    from newsetl.countries.gazetteer import read_curated

    polish = inflection.dictionary_name_forms("pl", {"Polska", "Stany Zjednoczone"})
    assert {"Polsce", "Polski", "Polską"} <= polish["Polska"]  # Polski: the dictionary files it as the adjective
    assert {"Stanach Zjednoczonych", "Stanów Zjednoczonych"} <= polish["Stany Zjednoczone"]
    assert inflection.dictionary_name_forms("es", {"Mali"})["Mali"] == {"Mali"}
    hungarian = inflection.affix_forms("hu", "Kína", read_curated("affixes.tsv"))
    assert {"Kínában", "Kínát", "Kínával"} <= hungarian and "Kínaban" not in hungarian
