"""Bronze: every raw snapshot of the landing zone, as it arrived, one ingest batch per run; with the
landing zones the warehouse belongs to and the landing entries that were not read, and why."""

from datetime import UTC, datetime
from typing import Any

import dagster as dg

from assets.metadata import table_metadata
from assets.partitions import ingest_batches, wait_for_earlier_batches
from newsetl import landing_zones, partition_migration
from newsetl.batches import UnknownManifest, batch_from_manifest
from newsetl.bronze import ingest_batch
from orchestration.resources import LandingZone, ProgressReporter, WarehouseStore


class IngestConfig(dg.Config):
    """The files of a run are those of its partition's manifest; this only widens where they may come from."""

    # A warehouse takes in files only from the landing zones it already belongs to, unless this is set.
    add_landing: bool = False


_DESCRIPTIONS = {
    "raw_snapshots": (
        "One row per raw snapshot in the landing zone (text, HTML, WARC and JSON Lines records), keyed by the "
        "sha256 of its bytes; identical bytes give one row. One partition per ingest batch (folder "
        "ingest_batch=<key>), holding the files of the batch's manifest; materializing it again replaces "
        "the batch. Keeps the bytes, so articles can be rebuilt without the landing zone."
    ),
    "landing_zones": (
        "The landing zones this warehouse was filled from, with their first and last run. A run on another "
        "landing zone is refused unless its raw_snapshots config sets add_landing (newsetl run --add-landing)."
    ),
    "skipped_landing_entries": (
        "Landing entries the last run did not read, with the reason: hidden files and folders, symlinks "
        "leading outside the landing zone, symlinked or unreadable folders, FIFOs, sockets, devices."
    ),
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(name, group_name="bronze", kinds={"python", "parquet"}, description=text)
        for name, text in _DESCRIPTIONS.items()
    ],
    partitions_def=ingest_batches,
    pool="newsetl_bronze",
)
def raw_snapshots(
    context: dg.AssetExecutionContext,
    config: IngestConfig,
    landing: LandingZone,
    warehouse: WarehouseStore,
    progress: ProgressReporter,
):
    # "The first file keeps identical bytes": one batch after the other, in the order they were registered.
    wait_for_earlier_batches(context, "raw_snapshots", warehouse.store())
    store = warehouse.store()
    try:
        landing_zones.check(store, landing.path(), add_landing=config.add_landing)
    except landing_zones.LandingZoneMismatch as mismatch:
        raise dg.Failure(description=str(mismatch)) from None
    if partition_migration.is_migrated(store, context.partition_key):
        # Its landing files may be gone since: reading them again could only lose rows.
        raise dg.Failure(
            description=f"ingest batch {context.partition_key} was written before partitions; it is cleaned again "
            "from its raw snapshots (newsetl run, or the newsetl_reclean job for this partition), never read again"
        )
    try:
        batch = batch_from_manifest(landing.path(), store, context.partition_key)
    except UnknownManifest as unknown:
        raise dg.Failure(description=str(unknown)) from None
    for path in batch.skipped:
        context.log.warning(f"skipped {path.source_file}: {path.reason}")
    skipped = dg.MetadataValue.md("\n".join(f"- `{s.source_file}`: {s.reason}" for s in batch.skipped) or "none")
    run_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    this_run: dict[str, Any] = {  # metadata values of every kind dagster takes
        "new_files": len(batch.files),
        "unchanged_files": batch.already_ingested,
        "landing": dg.MetadataValue.path(landing.path()),
        "skipped_paths": skipped,
        "skipped_by_reason": dg.MetadataValue.json(landing_zones.by_kind(s.reason for s in batch.skipped)),
    }
    if not batch.files:
        context.log.info("nothing new in the landing zone")
        yield dg.MaterializeResult(
            asset_key="raw_snapshots", metadata={**this_run, "batch_rows": 0, "repeated_bytes": 0}
        )
    else:
        with progress.tracker("reading landing files", len(batch.files)) as advance:
            stats = ingest_batch(store, batch, run_at, advance, warehouse.run_settings())
        for source_file, original in stats.repeated:
            context.log.info(f"{source_file} repeats the bytes of {original}: one row kept")
        table = store.read_table(
            "raw_snapshots", columns=["source_file", "format", "byte_size", "snapshot_id"], partition=batch.partition
        )
        yield dg.MaterializeResult(
            asset_key="raw_snapshots",
            metadata=table_metadata(
                table,
                store.table_path("raw_snapshots"),
                row_count=table.num_rows,
                batch_rows=table.num_rows,
                ingest_batch=batch.key,
                formats=dg.MetadataValue.json(dict(stats.formats)),
                bytes=stats.bytes,
                repeated_bytes=len(stats.repeated),
                **this_run,
            ),
        )
    # After the batch's rows: a run killed before this point has not claimed the landing zone.
    zones = landing_zones.record_run(store, landing.path(), run_at)
    yield dg.MaterializeResult(
        asset_key="landing_zones", metadata=table_metadata(zones, store.table_path("landing_zones"))
    )
    entries = landing_zones.record_skipped(
        store, landing.path(), batch.skipped, run_at, batch.key if batch.files else None
    )
    yield dg.MaterializeResult(
        asset_key="skipped_landing_entries",
        metadata=table_metadata(
            entries,
            store.table_path("skipped_landing_entries"),
            ["path", "reason", "first_seen_at"],
        ),
    )
