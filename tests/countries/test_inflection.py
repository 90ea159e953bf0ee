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
