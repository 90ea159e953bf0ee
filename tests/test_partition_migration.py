"""A warehouse written before ingest batches were partitions is brought up to date by `newsetl run`: its old
batches are cleaned again from their raw snapshots (never read again from the landing zone) and its facts
become partitions, so the catalog can read every table again."""

import shutil
from pathlib import Path

import dagster as dg
import pyarrow as pa
import pyarrow.compute as pc

from newsetl import config, partition_migration
from newsetl.batches import MANIFESTS, PARTITION_KEY, has_manifest, read_manifest
from newsetl.catalog import connect_catalog
from newsetl.storage import Warehouse
from tests.test_landing_cursor import OLD_LANDING_FILES
from tests.test_pipeline import materialize

SEED_ZH = config.SAMPLES_LANDING / "000_b243f9a26ff972f0.txt"
SEED_VI = config.SAMPLES_LANDING / "004_a8e61c68e45d245b.txt"
FACTS = ("fact_article", "fact_country_mention")
# Rows of these tables are the same whichever layout wrote them (ingested_at and the like left out).
COMPARED = {
    "raw_snapshots": "snapshot_id, source_file, ingest_batch",
    "articles": "article_id, title, body, countries",
    "fact_article": "*",
    "fact_country_mention": "*",
    "dim_country": "*",
}


def _rows(store: Warehouse) -> dict[str, list[tuple]]:
    with connect_catalog(store) as connection:
        return {
            table: connection.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
            for table, columns in COMPARED.items()
        }


def _to_layout_before_partitions(store: Warehouse) -> None:
    """What a newsetl from before partitions left: facts as whole tables, no manifests and no landing cursor,
    every ingested file a row of landing_files, no state file saying the layout is current."""
    for table in FACTS:
        data = store.read_table(table)  # the files carry no ingest_batch column: it is in folder names
        shutil.rmtree(store.table_path(table))
        store.write_table(table, data)  # no partition: one file at the table's top
    recorded = []
    for key in store.partitions("raw_snapshots", PARTITION_KEY):
        recorded += [(key, entry) for entry in read_manifest(store, key)]
    shutil.rmtree(store.table_path(MANIFESTS))
    shutil.rmtree(Path(store.state_path("landing_cursor")), ignore_errors=True)
    store.delete_state(partition_migration.UP_TO_DATE_STATE)
    for key, entry in recorded:
        row = {
            "source_file": entry.source_file,
            "size": entry.size,
            "mtime_ns": entry.mtime_ns,
            "ingested_at": None,
            "ctime_ns": entry.ctime_ns,
            "inode": entry.inode,
        }
        store.write_table("landing_files", pa.Table.from_pylist([row], schema=OLD_LANDING_FILES), f"ingest_batch={key}")


def test_a_warehouse_from_before_partitions_is_migrated_and_its_batches_cleaned_from_raw(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    landing.mkdir()
    shutil.copy(SEED_ZH, landing / "day1.txt")
    assert materialize(landing, warehouse).success
    store = Warehouse(str(warehouse))
    before = _rows(store)
    (old_batch,) = store.partitions("raw_snapshots", PARTITION_KEY)
    _to_layout_before_partitions(store)
    assert partition_migration.needed(store)

    # The old batch's file is gone from the landing zone; a new one came. A new Dagster instance, as after
    # an upgrade: it knows no partition yet.
    (landing / "day1.txt").unlink()
    shutil.copy(SEED_VI, landing / "day2.txt")
    result = materialize(landing, warehouse, instance=dg.DagsterInstance.ephemeral())
    assert result.success
    assert [f.source_file for f in result.planned.files] == ["day2.txt"]

    assert not partition_migration.needed(store) and store.read_state(partition_migration.UP_TO_DATE_STATE)
    assert has_manifest(store, old_batch) and partition_migration.is_migrated(store, old_batch)
    assert [e.source_file for e in read_manifest(store, old_batch)] == ["day1.txt"]
    for table in FACTS:  # every file of a fact now lies in a batch's folder
        assert all(PARTITION_KEY + "=" in str(p) for p in Path(store.table_path(table)).rglob("*.parquet"))
    after = _rows(store)
    old_raw = [row for row in after["raw_snapshots"] if row[2] == old_batch]
    assert old_raw == before["raw_snapshots"]  # kept, not read again from the landing zone
    assert [row[1] for row in after["raw_snapshots"]] == ["day1.txt", "day2.txt"]
    for table in ("articles", "fact_article", "fact_country_mention"):
        old, new = [repr(row) for row in before[table]], [repr(row) for row in after[table]]
        assert set(old) < set(new), table  # the old rows back, the new batch's added (lists: compared as text)
    with connect_catalog(store) as connection:
        (mentions,) = connection.execute("SELECT count(DISTINCT ingest_batch) FROM fact_country_mention").fetchall()
    assert mentions == (2,)


def test_until_migrated_the_sensor_waits_and_a_migrated_batch_is_never_read_again(tmp_path: Path) -> None:
    from orchestration.jobs import PIPELINE_JOB
    from tests.test_pipeline import definitions_for
    from tests.test_sensors import _evaluate

    landing = tmp_path / "landing"
    landing.mkdir()
    shutil.copy(SEED_ZH, landing / "day1.txt")
    warehouse = landing.with_name("landing-warehouse")  # where tests.test_sensors looks
    assert materialize(landing, warehouse).success
    store = Warehouse(str(warehouse))
    (old_batch,) = store.partitions("raw_snapshots", PARTITION_KEY)
    _to_layout_before_partitions(store)

    shutil.copy(SEED_VI, landing / "day2.txt")
    result, _ = _evaluate(landing)
    assert isinstance(result.skip_message, str) and "newsetl run" in result.skip_message
    assert not result.run_requests

    instance = dg.DagsterInstance.ephemeral()
    from orchestration.partitions import migrate_partitions

    assert migrate_partitions(instance, store) == [old_batch]
    assert not partition_migration.needed(store)
    # Its partition's ingest job fails clearly instead of reading day1.txt again (it may be gone).
    job = definitions_for(landing, warehouse).resolve_job_def(PIPELINE_JOB)
    run = job.execute_in_process(instance=instance, partition_key=old_batch, raise_on_error=False)
    assert not run.success
    failures = [e for e in run.all_events if e.is_step_failure]
    assert failures and "cleaned again from its raw" in str(failures[0].event_specific_data)
    raw = store.read_table("raw_snapshots", partition=f"{PARTITION_KEY}={old_batch}")
    assert pc.sum(pc.equal(raw.column("source_file"), "day1.txt")).as_py() == 1
