"""The "not an article" gate: the shipped trees load and score without training libraries, a shop page
is rejected as not_an_article, a short news article is kept, and the setting turns the gate off."""

import math
from datetime import datetime

import pytest

from newsetl.article import Article, ExtractionContext, RejectedSnapshot
from newsetl.extract import extract_text
from newsetl.extract.page_kind import FEATURES, MODEL_PATH, features, load_model, score
from newsetl.landing import RawSnapshot
from newsetl.process import process_one
from newsetl.settings import Settings
from newsetl.train.page_kind import dumps

# A shop's category page: products with prices and cart buttons around one paragraph of prose.
SHOP = "\n".join(
    ["Shop", "Startseite > Wein > Rotwein", ""]
    + [
        line
        for i in range(1, 15)
        for line in (f"Rotwein Nr. {i} trocken 0,75 l", f"{9 + i},99 €", "In den Warenkorb", "")
    ]
    + [
        "Dieser kräftige Rotwein aus Spanien überzeugt mit Aromen von Kirsche und Vanille. Ideal zu Fleischgerichten"
        " und Käse, sagen unsere Kunden.",
        "",
        "Versandkostenfrei ab 50 €",
        "AGB | Impressum",
    ]
)

SHORT_NEWS = """Home | World | Business | Sport

Harbour bridge reopens after storm repairs

Published 14 March 2024, 09:12

The city's harbour bridge reopened to traffic on Thursday morning, three weeks after a storm tore
away part of its railing and damaged two of the supporting cables.

Engineers worked through the night to finish the inspection, the transport department said in a
statement, and buses will return to their usual routes from Friday.

"We are grateful for the patience of everyone who had to take the long way round," the mayor told
reporters at the reopening, adding that a review of the storm response would be published next month.

Share this article
"""


def _snapshot(text: str) -> RawSnapshot:
    return RawSnapshot(
        source_file="page.txt",
        format="text",
        content_type="text",
        content=text.encode(),
        url=None,
        fetched_at=datetime(2024, 3, 20),
        ingested_at=datetime(2024, 3, 20),
    )


def test_the_shipped_model_loads_and_is_written_in_its_stable_form() -> None:
    model = load_model()
    assert model is not None and tuple(model["features"]) == FEATURES
    assert all(0 < model["thresholds"][kind] < 1 for kind in ("text", "html")) and model["max_articles_lost"] <= 0.01
    assert dumps(model) == MODEL_PATH.read_text(encoding="utf-8")  # the trainer's exact bytes


def test_scoring_is_deterministic_and_a_probability() -> None:
    article = extract_text(SHORT_NEWS, ExtractionContext())
    row = features(SHORT_NEWS, "text", article)
    assert len(row) == len(FEATURES) and row == features(SHORT_NEWS, "text", article)
    first = score(load_model(), row)
    assert 0.0 < first < 1.0 and score(load_model(), list(row)) == first


def test_a_shop_page_is_rejected_as_not_an_article() -> None:
    rejection = process_one(_snapshot(SHOP), frozenset(), reject_non_articles=True)
    assert isinstance(rejection, RejectedSnapshot)
    assert (rejection.reason, rejection.stage) == ("not_an_article", "page_kind")


def test_a_short_news_article_is_kept() -> None:
    article = process_one(_snapshot(SHORT_NEWS), frozenset(), reject_non_articles=True)
    assert isinstance(article, Article) and article.title == "Harbour bridge reopens after storm repairs"


def test_the_setting_turns_the_rejection_off() -> None:
    assert isinstance(process_one(_snapshot(SHOP), frozenset(), reject_non_articles=False), Article)
    assert Settings.from_environ({"NEWSETL_REJECT_NON_ARTICLES": "off"}).reject_non_articles is False
    assert Settings.from_environ({"NEWSETL_REJECT_NON_ARTICLES": "on"}).reject_non_articles is True
    assert Settings.from_environ({}).reject_non_articles is False  # opt-in until it catches enough and costs less


def test_an_html_product_page_is_rejected_and_an_html_news_page_kept() -> None:
    nav = (
        "<nav><ul>" + "".join(f'<li><a href="/{s}">{s}</a></li>' for s in ("Wein", "Sekt", "Angebote")) + "</ul></nav>"
    )
    products = "".join(
        f'<div class="product"><h3><a href="/p/{i}">Rotwein Nr. {i} trocken 0,75 l</a></h3>'
        f'<span itemprop="price">{9 + i},99 €</span><form><input type="number" name="q"><button>In den '
        "Warenkorb</button>"
        "</form></div>"
        for i in range(1, 20)
    )
    shop = (
        '<html><head><title>Rotwein kaufen</title><meta property="og:type" content="product"></head><body>'
        f"{nav}<h1>Rotwein</h1><p>{SHOP.splitlines()[-4]}</p>{products}</body></html>"
    )
    paragraphs = "".join(f"<p>{p}</p>" for p in SHORT_NEWS.split("\n\n")[3:6])
    news = (
        '<html><head><title>Harbour bridge reopens after storm repairs</title><meta property="og:type" '
        'content="article">'
        f'</head><body>{nav}<article><h1>Harbour bridge reopens after storm repairs</h1><time datetime="2024-03-14">'
        f"14 March 2024</time>{paragraphs}</article></body></html>"
    )

    def run(html: str) -> Article | RejectedSnapshot:
        return process_one(
            RawSnapshot("p.html", "html", "html", html.encode(), ingested_at=datetime(2024, 3, 20)),
            frozenset(),
            reject_non_articles=True,
        )

    rejection = run(shop)
    assert isinstance(rejection, RejectedSnapshot) and rejection.reason == "not_an_article"
    assert isinstance(run(news), Article)


def _stump(feature: int, threshold: float, nan_left: bool) -> dict:
    return {
        "feature": [feature, -1, -1],
        "threshold": [threshold, 0.0, 0.0],
        "left": [1, -1, -1],
        "right": [2, -1, -1],
        "nan_left": [nan_left, False, False],
        "value": [0.0, -2.0, 2.0],
    }


def test_trees_route_values_and_unknown_features_as_exported() -> None:
    model = {"trees": [_stump(0, 0.5, nan_left=False)]}
    assert score(model, [0.5]) == pytest.approx(1 / (1 + math.exp(2)))
    assert score(model, [0.6]) == pytest.approx(1 / (1 + math.exp(-2)))
    assert score(model, [float("nan")]) == score(model, [0.6])
    assert score({"trees": [_stump(0, 0.5, nan_left=True)]}, [float("nan")]) == score(model, [0.5])


def test_exported_trees_score_as_lightgbm_does() -> None:
    lightgbm = pytest.importorskip("lightgbm")
    np = pytest.importorskip("numpy")
    from newsetl.train import page_kind as train

    rng = np.random.default_rng(7)
    x = rng.normal(size=(300, len(FEATURES)))
    x[rng.random(x.shape) < 0.2] = np.nan
    y = (np.nan_to_num(x[:, 0]) + np.nan_to_num(x[:, 3]) > 0.3).astype(float)
    booster = lightgbm.train({**train.PARAMS, "min_data_in_leaf": 5}, lightgbm.Dataset(x, y), num_boost_round=20)
    model = train.export(booster, {"text": 0.5, "html": 0.5})
    ours = [score(model, [float(v) for v in row]) for row in x]
    assert np.allclose(ours, booster.predict(x), rtol=0, atol=1e-12)


def test_the_threshold_lets_no_renderer_lose_more_than_its_share_of_articles() -> None:
    from newsetl.train.page_kind import pick_threshold

    rows = [{"renderer": r, "label": 0, "features": [0.0]} for r in ("w3m", "chromium") for _ in range(400)]
    rows += [{"renderer": "w3m", "label": 1, "features": [0.0]} for _ in range(50)]
    scores = {id(row): (i % 400) / 400 + (0.2 if row["renderer"] == "chromium" else 0.0) for i, row in enumerate(rows)}
    scores.update({id(row): 1.5 for row in rows if row["label"] == 1})
    threshold = pick_threshold(rows, scores, max_lost=0.005)
    for renderer in ("w3m", "chromium"):
        lost = sum(scores[id(r)] >= threshold for r in rows if r["renderer"] == renderer and r["label"] == 0)
        assert lost <= 2  # 0.5% of 400
    assert all(scores[id(r)] >= threshold for r in rows if r["label"] == 1)
