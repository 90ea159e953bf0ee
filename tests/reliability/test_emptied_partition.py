"""A raw_snapshots partition emptied behind the pipeline's back fails a check instead of passing as "0 snapshots"."""

from pathlib import Path

import pyarrow.parquet as pq

from newsetl import quality
from newsetl.storage import Warehouse
from tests.test_pipeline import materialize


def test_an_emptied_ingest_batch_fails_the_manifest_check(sample_landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    assert materialize(sample_landing, warehouse).success
    assert quality.ingested_snapshots_present(Warehouse(str(warehouse))).passed

    # What `COPY (SELECT … LIMIT 0) TO '<warehouse>/raw_snapshots/ingest_batch=K/part-0.parquet'` did.
    for part in (warehouse / "raw_snapshots").rglob("*.parquet"):
        table = pq.read_table(part, partitioning=None)
        pq.write_table(table.slice(0, 0), part)

    outcome = quality.ingested_snapshots_present(Warehouse(str(warehouse)))
    assert not outcome.passed and "behind the pipeline's back" in outcome.summary

    result = materialize(sample_landing, warehouse)
    assert not result.success
    failed = {
        (e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations() if not e.passed
    }
    # Nothing new, so no partition run: the catalog's check across every batch catches it.
    assert ("warehouse_catalog", "warehouse_reconciliation") in failed


def test_batches_written_before_the_manifest_are_not_judged(tmp_path: Path) -> None:
    assert quality.ingested_snapshots_present(Warehouse(str(tmp_path / "empty"))).passed
