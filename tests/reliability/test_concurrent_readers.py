"""Readers work while a run writes: `newsetl query`, a read-only DuckDB client, Parquet readers, the Dagster UI."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from newsetl.catalog import connect_catalog
from newsetl.storage import Warehouse
from tests.reliability.landing_factory import write_snapshots
from tests.reliability.test_crash_safety import CHECKOUT, NEWSETL, finish_run, start_run

CONSISTENCY = (
    "SELECT (SELECT count(*) FROM raw_snapshots), (SELECT count(*) FROM articles) + (SELECT count(*) FROM "
    "rejected_snapshots), "
    "(SELECT count(*) FROM fact_country_mention WHERE article_id NOT IN (SELECT article_id FROM fact_article))"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture
def busy_warehouse(tmp_path: Path):
    """A warehouse with one finished run, and a second, larger run writing into it."""
    landing, warehouse, home = tmp_path / "landing", tmp_path / "warehouse", tmp_path / "home"
    write_snapshots(landing, 0, 100)
    finish_run(landing, warehouse, home)
    write_snapshots(landing, 100, 500)
    process = start_run(landing, warehouse, home)
    yield warehouse, home, process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=60)


def test_queries_succeed_and_stay_consistent_while_a_run_writes(busy_warehouse) -> None:
    warehouse, _, process = busy_warehouse
    env = dict(os.environ, PYTHONPATH=CHECKOUT, NEWSETL_WAREHOUSE=str(warehouse))
    answers = 0
    while process.poll() is None:
        # The newsetl command, as a user types it.
        completed = subprocess.run(
            [*NEWSETL, "query", CONSISTENCY, "--format", "json"], env=env, capture_output=True, text=True, timeout=120
        )
        assert completed.returncode == 0, completed.stderr
        row = json.loads(completed.stdout)[0]
        raw, accounted, orphans = row.values()
        assert raw == accounted and orphans == 0
        # A read-only DuckDB client (what `duckdb -readonly` does) in this process.
        with connect_catalog(Warehouse(str(warehouse))) as connection:
            raw, accounted, orphans = connection.execute(CONSISTENCY).fetchone()
            assert raw == accounted and orphans == 0
        # A Parquet reader going straight at the files.
        ds.dataset(warehouse / "articles", format="parquet", partitioning="hive").count_rows()
        answers += 1
    assert process.returncode == 0
    assert answers >= 2, "the run ended before the readers could overlap with it"


def test_the_dagster_ui_answers_while_a_run_writes(busy_warehouse, tmp_path: Path) -> None:
    warehouse, home, process = busy_warehouse
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=CHECKOUT, DAGSTER_HOME=str(home), NEWSETL_WAREHOUSE=str(warehouse))
    ui = subprocess.Popen(
        [*NEWSETL, "ui", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                _graphql(port, "{ version }")
                break
            except OSError:
                assert time.monotonic() < deadline, "the UI did not start"
                time.sleep(1)
        answers = 0
        while process.poll() is None or answers == 0:
            result = _graphql(
                port, "{ assetNodes { assetKey { path } } runsOrError { ... on Runs { results { status } } } }"
            )
            assert "errors" not in result, result
            assert {"articles"} <= {node["assetKey"]["path"][-1] for node in result["data"]["assetNodes"]}
            answers += 1
            time.sleep(0.5)
        assert process.wait(timeout=600) == 0
    finally:
        os.killpg(ui.pid, 15)
        ui.wait(timeout=60)


def test_a_reader_holding_a_connection_open_survives_many_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    landing, warehouse, home = tmp_path / "landing", tmp_path / "warehouse", tmp_path / "home"
    write_snapshots(landing, 0, 10)
    finish_run(landing, warehouse, home)
    with connect_catalog(Warehouse(str(warehouse))) as held:
        before = held.execute(CONSISTENCY).fetchone()
        assert before == (10, 10, 0)
        for start in (10, 20, 30, 40):  # every run changes the tables, so each catalog gets new files
            write_snapshots(landing, start, 10)
            finish_run(landing, warehouse, home)
        assert held.execute(CONSISTENCY).fetchone() == before
        # A new reader (another process: DuckDB shares one open database per file within a process) sees the last run.
        env = dict(os.environ, PYTHONPATH=CHECKOUT, NEWSETL_WAREHOUSE=str(warehouse))
        completed = subprocess.run(
            [*NEWSETL, "query", CONSISTENCY, "--format", "csv"], env=env, capture_output=True, text=True, timeout=120
        )
        assert completed.stdout.splitlines()[-1] == "50,50,0", completed.stderr

        # With no grace period (NEWSETL_FROZEN_MAX_AGE=0) the next run deletes what the held connection reads.
        monkeypatch.setenv("NEWSETL_FROZEN_MAX_AGE", "0")
        write_snapshots(landing, 50, 10)
        finish_run(landing, warehouse, home)
        with pytest.raises(duckdb.IOException):
            held.execute(CONSISTENCY).fetchone()
