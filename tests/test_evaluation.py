import pytest

from newsetl.evaluation import normalize_title, score, token_f1, tokens


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Hello, World! It's 2024.", ["hello", "world", "it", "s", "2024"]),
        ("中韩 对话", ["中", "韩", "对", "话"]),
        ("Tổng thống Nga", ["tổng", "thống", "nga"]),
        ("한국 정부", ["한", "국", "정", "부"]),
        ("ＡＢＣ", ["abc"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_token_f1() -> None:
    assert token_f1("a b c d", "a b c d") == 1.0
    assert token_f1("", "a b") == 0.0
    assert token_f1("a b", "a b c d") == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_title_normalization_removes_spaces_between_cjk() -> None:
    assert normalize_title(" 中韩 外交\n安全 ") == "中韩外交安全"
    assert normalize_title("Nga  -Triều") == "Nga -Triều"


def test_score_counts_lost_files_and_scores_duplicates_with_the_original() -> None:
    gold = [
        {
            "file": "a.txt",
            "language": "en",
            "title": "A",
            "published": "2024-06-19",
            "countries": ["US", "CN"],
            "countries_optional": ["GB"],
        },
        {"file": "b.txt", "language": "en", "title": "B", "countries": ["FR"]},
        {"file": "c.txt", "language": "en", "title": "C", "countries": []},
    ]
    articles = {
        "a.txt": {"title": "A", "published_date": "2024-06-19", "language": "en"},
        "b.txt": {"title": "B!", "language": "en"},
    }
    report = score(gold, articles, rejected=set(), countries_by_file={"a.txt": {"US", "GB", "RU"}, "b.txt": {"FR"}})
    overall = report["groups"]["overall"]
    assert overall["title_exact"]["mean"] == pytest.approx(1 / 3)
    assert overall["title_relaxed"]["mean"] == pytest.approx(2 / 3)
    assert overall["date"]["mean"] == 1.0
    countries = overall["countries"]
    assert (countries["tp"], countries["fp"], countries["fn"]) == (2, 1, 1)
    assert any(e.get("error", "").startswith("lost") for e in report["errors"])


def test_non_articles_are_scored_apart_on_their_rejection_and_articles_on_being_kept() -> None:
    gold = [
        {"file": "news.txt", "language": "en", "title": "N"},
        {"file": "rejected-news.txt", "language": "en", "title": "R"},
        {"file": "shop.txt", "page_kind": "not_an_article"},
        {"file": "about.txt", "page_kind": "not_an_article"},
    ]
    articles = {"news.txt": {"title": "N", "language": "en"}, "about.txt": {"title": "About us", "language": "en"}}
    report = score(gold, articles, rejected={"rejected-news.txt", "shop.txt"}, countries_by_file={})
    overall, non_articles = report["groups"]["overall"], report["groups"]["[not_an_article]"]
    assert report["documents"] == overall["documents"] == 2  # the non-articles weigh on no article figure
    assert overall["article_kept"]["mean"] == 0.5 and overall["title_exact"]["mean"] == 0.5
    assert non_articles["documents"] == 2 and non_articles["non_article_rejected"]["mean"] == 0.5
    assert {(e["file"], e.get("got")) for e in report["errors"] if e.get("field") == "page_kind"} == {
        ("rejected-news.txt", "rejected"),
        ("about.txt", "article"),
    }
