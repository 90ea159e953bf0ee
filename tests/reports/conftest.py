"""Warehouses for the report tests, written directly with Warehouse.write_table + build_catalog,
so the reports are tested without the extraction pipeline."""

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from newsetl import schemas
from newsetl.catalog import build_catalog
from newsetl.reports.synthetic import SyntheticSpec, write_synthetic_warehouse
from newsetl.storage import Warehouse

DAY_1, DAY_2 = date(2024, 6, 18), date(2024, 6, 19)
KEY_1, KEY_2 = 20240618, 20240619
OUTLET_A, OUTLET_B = "Alpha Times", "Beta News"

# article -> (outlet key, language, date key, countries mentioned)
TINY_ARTICLES = {
    "a1": (1, "zh", KEY_1, ["CN", "VN"]),
    "a2": (1, "zh", KEY_1, ["CN"]),
    "a3": (2, "vi", KEY_2, ["VN", "FR"]),
    "a4": (2, "en", None, ["CN"]),
}
TINY_COUNTRIES = [
    # France has no Chinese name: the zh report must fall back to English for it.
    {
        "country_key": 156,
        "iso2": "CN",
        "iso3": "CHN",
        "name_en": "China",
        "region": "Asia",
        "names": [("en", "China"), ("zh", "中国")],
    },
    {
        "country_key": 704,
        "iso2": "VN",
        "iso3": "VNM",
        "name_en": "Viet Nam",
        "region": "Asia",
        "names": [("en", "Viet Nam"), ("zh", "越南")],
    },
    {
        "country_key": 250,
        "iso2": "FR",
        "iso3": "FRA",
        "name_en": "France",
        "region": "Europe",
        "names": [("en", "France")],
    },
]


def _tiny_tables() -> dict[str, list[dict]]:
    keys = {c["iso2"]: c["country_key"] for c in TINY_COUNTRIES}
    ingested = datetime(2024, 7, 1)
    day_of = {KEY_1: DAY_1, KEY_2: DAY_2, None: None}
    return {
        "raw_snapshots": [
            {"snapshot_id": a, "source_file": f"{a}.txt", "format": "text", "byte_size": 10, "ingested_at": ingested}
            for a in TINY_ARTICLES
        ],
        "articles": [
            {
                "article_id": a,
                "snapshot_id": a,
                "source_file": f"{a}.txt",
                "title": a,
                "body": a,
                "language": lang,
                "published_date": day_of[key],
                "source_name": [None, OUTLET_A, OUTLET_B][outlet],
            }
            for a, (outlet, lang, key, _) in TINY_ARTICLES.items()
        ],
        "dim_country": TINY_COUNTRIES,
        "dim_source": [
            {"source_key": 0, "source_name": "(unknown)"},
            {"source_key": 1, "source_name": OUTLET_A, "domain": "alpha.example"},
            {"source_key": 2, "source_name": OUTLET_B, "domain": "beta.example"},
        ],
        "dim_date": [
            {
                "date_key": k,
                "date": d,
                "year": 2024,
                "quarter": 2,
                "month": 6,
                "day": d.day,
                "iso_week": 25,
                "day_of_week": d.isoweekday(),
                "is_weekend": False,
            }
            for k, d in ((KEY_1, DAY_1), (KEY_2, DAY_2))
        ],
        "fact_article": [
            {
                "article_id": a,
                "date_key": key,
                "source_key": outlet,
                "language": lang,
                "body_chars": 2,
                "country_count": len(cs),
            }
            for a, (outlet, lang, key, cs) in TINY_ARTICLES.items()
        ],
        "fact_country_mention": [
            {
                "article_id": a,
                "country_key": keys[c],
                "date_key": key,
                "source_key": outlet,
                "mention_count": 1,
                "in_title": False,
            }
            for a, (outlet, _, key, cs) in TINY_ARTICLES.items()
            for c in cs
        ],
    }


def write_tables(root: Path, tables: dict[str, list[dict]]) -> Warehouse:
    warehouse = Warehouse(str(root))
    for table, rows in tables.items():
        warehouse.write_table(table, pa.Table.from_pylist(rows, schema=schemas.TABLES[table]))
    build_catalog(warehouse)
    return warehouse


@pytest.fixture
def tiny_warehouse(tmp_path: Path) -> Warehouse:
    """Four articles whose every chart figure can be worked out by hand (see TINY_ARTICLES)."""
    return write_tables(tmp_path / "tiny", _tiny_tables())


@pytest.fixture
def empty_warehouse(tmp_path: Path) -> Warehouse:
    """Articles but not a single country mention, and no dates: a fresh or unlucky corpus."""
    tables = _tiny_tables()
    tables["fact_country_mention"] = []
    tables["dim_date"] = []
    tables["fact_article"] = [dict(row, date_key=None, country_count=0) for row in tables["fact_article"]]
    return write_tables(tmp_path / "empty", tables)


@pytest.fixture(scope="session")
def wide_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """2,000 synthetic articles over 200 countries, 12 outlets, 5 languages and 90 days."""
    return write_synthetic_warehouse(tmp_path_factory.mktemp("wide"), SyntheticSpec(articles=2_000))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's Chromium against `newsetl ui` (deselect with -m 'not browser')"
    )
