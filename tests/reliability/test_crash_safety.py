"""A run killed at any point leaves the previous warehouse readable and consistent; the next run completes the work."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsetl.catalog import connect_catalog
from newsetl.storage import Warehouse
from tests.reliability.landing_factory import write_snapshots

# `newsetl` as a user types it, running this checkout's code (the venv's entry point may be another checkout's).
NEWSETL = [sys.executable, "-m", "orchestration.cli"]
CHECKOUT = str(Path(__file__).resolve().parents[2])


def start_run(landing: Path, warehouse: Path, home: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        PYTHONPATH=CHECKOUT,
        DAGSTER_HOME=str(home),
        NEWSETL_LANDING=str(landing),
        NEWSETL_WAREHOUSE=str(warehouse),
    )
    home.mkdir(exist_ok=True)
    # A session of its own, so the kill reaches the worker processes too.
    return subprocess.Popen(
        [*NEWSETL, "run", "--quiet"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )


def finish_run(landing: Path, warehouse: Path, home: Path) -> float:
    started = time.monotonic()
    process = start_run(landing, warehouse, home)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()[-2000:]
    return time.monotonic() - started


def catalog_state(warehouse: Path) -> dict:
    """What a catalog reader sees, and whether it is consistent."""
    with connect_catalog(Warehouse(str(warehouse))) as connection:

        def one(sql: str):
            return connection.execute(sql).fetchone()[0]

        return {
            "raw": one("SELECT count(*) FROM raw_snapshots"),
            "articles": one("SELECT count(*) FROM articles"),
            "facts": one("SELECT count(*) FROM fact_country_mention"),
            "lost": one(
                "SELECT count(*) FROM raw_snapshots r WHERE r.snapshot_id NOT IN (SELECT snapshot_id FROM articles) "
                "AND r.snapshot_id NOT IN (SELECT snapshot_id FROM rejected_snapshots)"
            ),
            "orphan_facts": one(
                "SELECT count(*) FROM fact_country_mention WHERE article_id NOT IN (SELECT article_id FROM "
                "fact_article)"
            ),
            "orphan_articles": one(
                "SELECT count(*) FROM articles WHERE snapshot_id NOT IN (SELECT snapshot_id FROM raw_snapshots)"
            ),
        }


def every_parquet_file_is_whole(warehouse: Path) -> None:
    for path in warehouse.rglob("*.parquet"):
        pq.read_metadata(path)  # raises on a half-written file


@pytest.fixture(scope="module")
def timing(tmp_path_factory) -> float:
    """How long an uninterrupted run of the second batch takes, to aim the kills across it."""
    root = tmp_path_factory.mktemp("timing")
    write_snapshots(root / "landing", 0, 150)
    finish_run(root / "landing", root / "warehouse", root / "home")
    write_snapshots(root / "landing", 150, 450)
    return finish_run(root / "landing", root / "warehouse", root / "home")


@pytest.mark.parametrize("fraction", [0.35, 0.6, 0.9])
def test_killed_run_leaves_the_previous_warehouse_and_the_next_run_completes(
    tmp_path: Path, timing: float, fraction: float
) -> None:
    landing, warehouse, home = tmp_path / "landing", tmp_path / "warehouse", tmp_path / "home"
    write_snapshots(landing, 0, 150)
    finish_run(landing, warehouse, home)
    before = catalog_state(warehouse)
    assert before["raw"] == 150 and before["lost"] == 0

    write_snapshots(landing, 150, 450)
    process = start_run(landing, warehouse, home)
    time.sleep(timing * fraction)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)

    during = catalog_state(warehouse)
    assert during in (before, {**before, "raw": 600, "articles": 600, "facts": during["facts"]}), during
    assert during["lost"] == during["orphan_facts"] == during["orphan_articles"] == 0
    every_parquet_file_is_whole(warehouse)

    finish_run(landing, warehouse, home)
    after = catalog_state(warehouse)
    assert (after["raw"], after["articles"], after["lost"], after["orphan_facts"]) == (600, 600, 0, 0)
    assert not list(warehouse.rglob("*.tmp"))
