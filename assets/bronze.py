"""Bronze: every raw snapshot of the landing zone, as it arrived, one ingest batch per run."""

from datetime import datetime, timezone

import dagster as dg

from assets.metadata import table_metadata
from newsetl.batches import plan_batch
from newsetl.bronze import ingest_batch
from orchestration.resources import LandingZone, ProgressReporter, WarehouseStore


class IngestConfig(dg.Config):
    """Which landing files to ingest; by default every file that is new since the last run."""

    files: list[str] | None = None


@dg.asset(
    group_name="bronze",
    kinds={"python", "parquet"},
    description=(
        "One row per raw snapshot in the landing zone (text, HTML, WARC and JSON Lines records), keyed by the "
        "sha256 of its bytes; identical bytes give one row. Each run ingests the files that are new since the "
        "last one as a batch (partition folder ingest_batch=<key>); ingesting the same files again replaces "
        "their batch. Keeps the bytes, so articles can be rebuilt without the landing zone."
    ),
)
def raw_snapshots(
    context: dg.AssetExecutionContext, config: IngestConfig, landing: LandingZone, warehouse: WarehouseStore, progress: ProgressReporter
) -> dg.MaterializeResult:
    store = warehouse.store()
    batch = plan_batch(landing.path(), store, only=config.files)
    for path in batch.skipped:
        context.log.warning(f"skipped {path.source_file}: {path.reason}")
    skipped = dg.MetadataValue.md("\n".join(f"- `{s.source_file}`: {s.reason}" for s in batch.skipped) or "none")
    if not batch.files:
        context.log.info("nothing new in the landing zone")
        return dg.MaterializeResult(
            metadata={"new_files": 0, "landing": dg.MetadataValue.path(landing.path()), "skipped_paths": skipped}
        )
    ingested_at = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    with progress.tracker("reading landing files", len(batch.files)) as advance:
        stats = ingest_batch(store, batch, ingested_at, advance)
    for source_file, original in stats.repeated:
        context.log.info(f"{source_file} repeats the bytes of {original}: one row kept")
    table = store.read_table("raw_snapshots", columns=["source_file", "format", "byte_size", "snapshot_id"], partition=batch.partition)
    return dg.MaterializeResult(
        metadata=table_metadata(
            table,
            store.table_path("raw_snapshots"),
            row_count=store.row_count("raw_snapshots"),
            batch_rows=table.num_rows,
            ingest_batch=batch.key,
            new_files=len(batch.files),
            landing=dg.MetadataValue.path(landing.path()),
            formats=dg.MetadataValue.json(dict(stats.formats)),
            bytes=stats.bytes,
            repeated_bytes=len(stats.repeated),
            skipped_paths=skipped,
        )
    )
