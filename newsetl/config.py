"""Where things live: the one place that turns the environment into paths."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_LANDING = PROJECT_ROOT / "samples" / "landing"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse"
SQL_DIR = PROJECT_ROOT / "sql"

LANDING_ENV = "NEWSETL_LANDING"
WAREHOUSE_ENV = "NEWSETL_WAREHOUSE"
# Seconds the files of a replaced catalog are kept for readers still holding it (orchestration/resources.py).
SNAPSHOT_MAX_AGE_ENV = "NEWSETL_SNAPSHOT_MAX_AGE"
CATALOG_FILE = "warehouse.duckdb"


def landing_root() -> str:
    return os.environ.get(LANDING_ENV) or str(SAMPLES_LANDING)


def warehouse_root() -> str:
    return os.environ.get(WAREHOUSE_ENV) or str(DEFAULT_WAREHOUSE)
