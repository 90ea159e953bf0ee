from datetime import date

import polars as pl
import pytest

from newsetl import schemas, star


def _articles(rows: list[dict]) -> pl.DataFrame:
    defaults = {
        "url": None,
        "language": "en",
        "published_date": None,
        "source_name": None,
        "duplicate_of": None,
        "body_chars": 100,
        "countries": [],
        "country_mentions": [],
    }
    return pl.DataFrame([{**defaults, **row} for row in rows], schema_overrides={"published_date": pl.Date})


def _mention(iso2: str, count: int = 1, in_title: bool = False) -> dict:
    return {"iso2": iso2, "mention_count": count, "in_title": in_title, "first_offset": 0, "surface_forms": [iso2]}


@pytest.mark.parametrize("day, key", [(date(2024, 6, 19), 20240619), (date(1999, 1, 2), 19990102), (None, None)])
def test_date_key(day, key) -> None:
    assert star.date_key(day) == key


def test_source_key_is_stable_case_insensitive_and_never_the_unknown_key() -> None:
    assert star.source_key("Sputnik") == star.source_key(" sputnik ") > 0
    assert star.source_key("Sputnik") != star.source_key("Reuters")
    assert star.source_key(None) == star.source_key("") == star.UNKNOWN_SOURCE_KEY


def test_dim_date_is_a_continuous_calendar() -> None:
    table = star.build_dim_date([date(2024, 6, 19), None, date(2024, 6, 22), date(2024, 6, 19)])
    rows = table.to_pylist()
    assert [r["date_key"] for r in rows] == [20240619, 20240620, 20240621, 20240622]
    saturday = rows[3]
    assert (saturday["day_of_week"], saturday["is_weekend"], saturday["quarter"], saturday["iso_week"]) == (
        6,
        True,
        2,
        25,
    )
    assert table.schema == schemas.DIM_DATE


def test_dim_source_has_the_unknown_member_and_counts_only_originals() -> None:
    articles = _articles(
        [
            {"article_id": "a", "source_name": "Sputnik", "url": "https://www.sputniknews.vn/x"},
            {"article_id": "b", "source_name": "Sputnik", "duplicate_of": "a"},
            {"article_id": "c", "source_name": None},
        ]
    )
    rows = {r["source_name"]: r for r in star.dim_source_from_counts(star.count_sources(articles)).to_pylist()}
    assert rows["Sputnik"]["article_count"] == 1 and rows["Sputnik"]["domain"] == "sputniknews.vn"
    assert rows[star.UNKNOWN_SOURCE_NAME]["source_key"] == star.UNKNOWN_SOURCE_KEY


def test_facts_leave_out_duplicates_and_resolve_country_keys() -> None:
    articles = _articles(
        [
            {
                "article_id": "a",
                "published_date": date(2024, 6, 19),
                "source_name": "Sputnik",
                "countries": ["KR", "RU"],
                "country_mentions": [_mention("KR", 3, True), _mention("RU")],
            },
            {"article_id": "b", "duplicate_of": "a", "countries": ["KR"], "country_mentions": [_mention("KR")]},
            {"article_id": "c", "countries": [], "country_mentions": []},
        ]
    )
    dim_country = star.build_dim_country(
        [
            {
                "iso2": "KR",
                "iso3": "KOR",
                "numeric": "410",
                "name_en": "South Korea",
                "names": {"ko": "대한민국", "de": "Südkorea"},
            },
            {"iso2": "RU", "iso3": "RUS", "numeric": "643", "name_en": "Russia", "names": {}},
        ],
        languages={"ko"},
    )
    assert dict(dim_country.to_pylist()[0]["names"]) == {"ko": "대한민국"}

    fact_article = star.build_fact_article(articles).to_pylist()
    assert [(r["article_id"], r["country_count"], r["date_key"]) for r in fact_article] == [
        ("a", 2, 20240619),
        ("c", 0, None),
    ]

    mentions = star.build_fact_country_mention(articles, dim_country).to_pylist()
    assert [(m["article_id"], m["country_key"], m["mention_count"], m["in_title"]) for m in mentions] == [
        ("a", 410, 3, True),
        ("a", 643, 1, False),
    ]
    assert mentions[0]["source_key"] == star.source_key("Sputnik")
