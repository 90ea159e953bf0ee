"""Silver's two steps: cleaning (no pool, so batches clean at once) and near-duplicate marking (pool
newsetl_first_seen), with the staged articles between them in the warehouse storage."""

from pathlib import Path

import dagster as dg
import pytest

from assets import silver as silver_assets
from newsetl import catalog, silver
from newsetl.storage import Warehouse
from orchestration.deployment import SERIAL_POOLS
from orchestration.jobs import PIPELINE_JOB
from tests.test_parallel_partitions import _landing, _register, _sequential, comparable_dump
from tests.test_pipeline import definitions_for


def _pool_of(definitions: dg.Definitions, asset: str) -> str | None:
    return definitions.resolve_asset_graph().get(dg.AssetKey(asset)).assets_def.node_def.pool


def test_cleaning_is_in_no_serial_pool_and_marking_is_in_first_seen(tmp_path: Path) -> None:
    definitions = definitions_for(tmp_path / "landing", tmp_path / "warehouse")
    for cleaned in ("rejected_snapshots", "staged_articles"):
        assert _pool_of(definitions, cleaned) not in SERIAL_POOLS
    assert _pool_of(definitions, "articles") == "newsetl_first_seen"


def test_marking_a_batch_never_cleaned_says_so(tmp_path: Path) -> None:
    with pytest.raises(silver.NotStaged):
        silver.mark_duplicates(Warehouse(str(tmp_path / "warehouse")), "ingest_batch=none")


def test_a_run_stopped_between_cleaning_and_marking_gives_the_same_warehouse_when_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, batches = _landing(tmp_path)
    _sequential(landing, tmp_path / "sequential", batches)

    warehouse = tmp_path / "stopped"
    store = Warehouse(str(warehouse))
    instance = dg.DagsterInstance.ephemeral()
    job = definitions_for(landing, warehouse).resolve_job_def(PIPELINE_JOB)
    first, second = _register(instance, landing, warehouse, batches)
    assert job.execute_in_process(instance=instance, partition_key=first).success

    def stopped(*args, **kwargs):
        raise RuntimeError("killed before marking")  # what a killed pod leaves: the cleaning step's writes

    monkeypatch.setattr(silver_assets, "mark_duplicates", stopped)
    assert not job.execute_in_process(instance=instance, partition_key=second, raise_on_error=False).success
    partition = f"ingest_batch={second}"
    assert store.exists(silver.STAGED_ARTICLES, partition) and store.exists("rejected_snapshots", partition)
    assert not store.exists("articles", partition)
    # The staged rows are in no view: the catalog built now holds the first batch's articles only.
    catalog.build_catalog(store)
    with catalog.connect_catalog(store) as connection:
        (articles,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    assert articles == store.row_count("articles", f"ingest_batch={first}")

    monkeypatch.undo()
    assert job.execute_in_process(instance=instance, partition_key=second).success
    assert not store.exists(silver.STAGED_ARTICLES)
    assert comparable_dump(warehouse, tmp_path / "dump-stopped") == comparable_dump(
        tmp_path / "sequential", tmp_path / "dump-sequential"
    )
