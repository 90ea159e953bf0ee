"""`newsetl run` on the bundled samples gives the seed gold exactly (samples/gold.jsonl)."""

import json
from pathlib import Path

import dagster as dg
import pytest

from newsetl import config
from newsetl.catalog import connect_catalog
from newsetl.evaluation import normalize_text
from newsetl.storage import Warehouse
from tests.test_pipeline import materialize

GOLD = [
    json.loads(line)
    for line in (config.PROJECT_ROOT / "samples" / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> dict[str, dict]:
    warehouse: Path = tmp_path_factory.mktemp("seeds") / "warehouse"
    result: dg.ExecuteInProcessResult = materialize(config.SAMPLES_LANDING, warehouse)
    assert result.success
    with connect_catalog(Warehouse(str(warehouse))) as connection:
        cursor = connection.execute("SELECT * FROM articles")
        columns = [d[0] for d in cursor.description]
        return {row[columns.index("source_file")]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}


@pytest.fixture(params=GOLD, ids=lambda g: g["file"])
def case(request, articles) -> tuple[dict, dict]:
    gold = request.param
    assert gold["file"] in articles, f"{gold['file']} produced no article"
    return gold, articles[gold["file"]]


def test_title(case) -> None:
    gold, article = case
    assert normalize_text(article["title"]) == normalize_text(gold["title"])


def test_published(case) -> None:
    gold, article = case
    assert str(article["published_date"]) == gold["published"]
    if gold.get("published_at"):
        assert article["published_at"].isoformat() == gold["published_at"]


def test_language_outlet_category(case) -> None:
    gold, article = case
    assert article["language"] == gold["language"]
    assert article["source_name"] == gold["source_name"]
    assert article["category"] == gold.get("category")


def test_body_is_the_main_text_only(case) -> None:
    gold, article = case
    assert normalize_text(article["body"]) == normalize_text(gold["body"])
    for snippet in gold.get("body_without") or []:
        assert snippet not in article["body"]


def test_countries(case) -> None:
    gold, article = case
    assert sorted(article["countries"]) == sorted(gold["countries"])
    assert not set(article["countries"]) & set(gold.get("not_countries") or [])
