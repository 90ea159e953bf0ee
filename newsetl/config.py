"""Where things live: the one place that turns the environment into paths."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLES_LANDING = PROJECT_ROOT / "samples" / "landing"
DEFAULT_WAREHOUSE = PROJECT_ROOT / "warehouse"
SQL_DIR = PROJECT_ROOT / "sql"

LANDING_ENV = "NEWSETL_LANDING"
WAREHOUSE_ENV = "NEWSETL_WAREHOUSE"
# Seconds the frozen files of a replaced catalog are kept for readers still holding it (orchestration/resources.py).
FROZEN_MAX_AGE_ENV = "NEWSETL_FROZEN_MAX_AGE"
# Its name before "snapshot" came to mean only a crawl capture; still read when the new one is unset.
LEGACY_FROZEN_MAX_AGE_ENV = "NEWSETL_SNAPSHOT_MAX_AGE"
CATALOG_FILE = "warehouse.duckdb"
# "on" sends a page the page-kind model takes for no article (listing, shop, about page, forum) to
# rejected_snapshots as not_an_article. Off by default: on the corpus validation sites the model catches
# 13-18% of such pages (far from the 0.6 it would take to turn it on) and costs about 2.5 ms a text
# page, more than the rest of the cleaning (see README).
REJECT_NON_ARTICLES_ENV = "NEWSETL_REJECT_NON_ARTICLES"


def landing_root() -> str:
    return os.environ.get(LANDING_ENV) or str(SAMPLES_LANDING)


def warehouse_root() -> str:
    return os.environ.get(WAREHOUSE_ENV) or str(DEFAULT_WAREHOUSE)


WORKERS_ENV = "NEWSETL_WORKERS"


def worker_count() -> int:
    """Worker processes for reading and cleaning a batch: NEWSETL_WORKERS when set, else the CPUs
    this process may use (affinity and cgroup quota, newsetl.cpus), not the node's core count."""
    setting = os.environ.get(WORKERS_ENV, "").strip()
    if setting:
        try:
            workers = int(setting)
        except ValueError:
            workers = 0
        if workers < 1:
            raise ValueError(f"{WORKERS_ENV}={setting!r}: a whole number of worker processes, at least 1")
        return workers
    from newsetl.cpus import available_cpus

    return available_cpus()


def reject_non_articles() -> bool:
    return (os.environ.get(REJECT_NON_ARTICLES_ENV) or "off").strip().lower() not in {"off", "0", "false", "no"}
