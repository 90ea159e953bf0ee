"""Where things live: the project's folders and file names. Settings (newsetl.settings) say which ones a run uses."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_LANDING = PROJECT_ROOT / "samples" / "landing"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse"
SQL_DIR = PROJECT_ROOT / "sql"
CATALOG_FILE = "warehouse.duckdb"
