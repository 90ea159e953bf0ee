"""Where things live: the one place that turns the environment into paths."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_LANDING = PROJECT_ROOT / "samples" / "landing"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse"
SQL_DIR = PROJECT_ROOT / "sql"

LANDING_ENV = "NEWSETL_LANDING"
WAREHOUSE_ENV = "NEWSETL_WAREHOUSE"
CATALOG_FILE = "warehouse.duckdb"
# "off" keeps every page the extractor finds main text in, even one the page-kind model takes for no
# article (listing, shop, about page, forum); by default those go to rejected_snapshots as not_an_article.
REJECT_NON_ARTICLES_ENV = "NEWSETL_REJECT_NON_ARTICLES"


def landing_root() -> str:
    return os.environ.get(LANDING_ENV) or str(SAMPLES_LANDING)


def warehouse_root() -> str:
    return os.environ.get(WAREHOUSE_ENV) or str(DEFAULT_WAREHOUSE)


def reject_non_articles() -> bool:
    return (os.environ.get(REJECT_NON_ARTICLES_ENV) or "on").strip().lower() not in {"off", "0", "false", "no"}
