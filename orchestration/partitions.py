"""Registering ingest batches as partitions, and finding the partitions that still need a run.

Shared by the nightly catch-up, `newsetl run` and its tests; the landing sensor registers through
its SensorResult instead.
"""

from datetime import UTC

import dagster as dg

from assets.partitions import unmaterialized
from newsetl.batches import PARTITION_KEY, Batch, has_manifest, write_manifest
from newsetl.storage import Warehouse
from orchestration.jobs import CATALOG_JOB, PIPELINE_JOB, REBUILD_JOB, RECLEAN_JOB

# The last partitioned asset of a batch's run: a batch whose partition of it is materialized is done.
LAST_BATCH_ASSET = dg.AssetKey("fact_country_mention")


def register(instance: dg.DagsterInstance, store: Warehouse, batch: Batch) -> str:
    """Write the batch's manifest, then add its partition (the manifest first: a partition always has one)."""
    write_manifest(store, batch)
    if not instance.has_dynamic_partition(PARTITION_KEY, batch.key):
        instance.add_dynamic_partitions(PARTITION_KEY, [batch.key])
    return batch.key


def registered(instance: dg.DagsterInstance) -> list[str]:
    """Every registered batch, in the order it was added (the order batches are cleaned in)."""
    return list(instance.get_dynamic_partitions(PARTITION_KEY))


def pending(instance: dg.DagsterInstance, store: Warehouse) -> list[str]:
    """Registered batches of this warehouse (those with a manifest in it: one instance may serve several)
    whose run has not finished yet (never run, or failed), in the order they were added."""
    return unmaterialized(instance, store, LAST_BATCH_ASSET, registered(instance))


# What a reclean run rewrites: a batch whose latest materialization of one of them carries another
# code version than the definitions' was cleaned by older code.
RECLEANED_ASSETS = ("articles", "rejected_snapshots", "fact_article", "fact_country_mention")
# The tag Dagster writes on every materialization of an asset with a code_version (dagster's own constant is
# in its private dagster._core). tests/test_incremental.py's upgrade test fails if it is read wrongly: then
# every batch looks outdated, or none does.
_CODE_VERSION_TAG = "dagster/code_version"


def outdated(instance: dg.DagsterInstance, store: Warehouse, definitions: dg.Definitions) -> list[str]:
    """Registered batches of this warehouse whose run finished under an older code version of the assets
    a reclean run rewrites (an extractor, gazetteer or star-schema upgrade), in the order they were added.

    Per asset, one query for the latest materialization of each partition and one reading those events,
    rather than a walk through every materialization ever recorded.
    """
    graph = definitions.resolve_asset_graph()
    stale: set[str] = set()
    for name in RECLEANED_ASSETS:
        key = dg.AssetKey(name)
        current = graph.get(key).code_version
        latest = instance.get_latest_storage_id_by_partition(key, dg.DagsterEventType.ASSET_MATERIALIZATION)
        if not latest:
            continue
        records = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=key, storage_ids=list(latest.values())), limit=len(latest)
        ).records
        for record in records:
            materialization = record.asset_materialization
            if record.partition_key is not None and materialization is not None:
                if (materialization.tags or {}).get(_CODE_VERSION_TAG) != current:
                    stale.add(record.partition_key)
    return [key for key in registered(instance) if key in stale and has_manifest(store, key)]


class PipelineRuns:
    """The Dagster runs one `newsetl run` launched (one per pending batch, or the rebuild of the shared
    tables), read like one run's result."""

    def __init__(self, planned: Batch | None, results: list) -> None:
        # the batch this invocation registered (no files: nothing new); None after a drop, which registers none
        self.planned = planned
        self.results = results

    @property
    def success(self) -> bool:
        return all(result.success for result in self.results)

    @property
    def run_ids(self) -> list[str]:
        return [result.run_id for result in self.results]

    @property
    def all_events(self) -> list:
        return [event for result in self.results for event in result.all_events]

    def get_asset_materialization_events(self) -> list:
        return [event for result in self.results for event in result.get_asset_materialization_events()]

    def get_asset_check_evaluations(self) -> list:
        return [evaluation for result in self.results for evaluation in result.get_asset_check_evaluations()]


def _reprocess_order(instance: dg.DagsterInstance, store: Warehouse) -> list[str]:
    """Every batch the warehouse holds, in the order it was first written; batches written by another
    Dagster instance (an ephemeral one, say) are registered here first."""
    written = store.partitions("raw_snapshots", PARTITION_KEY)
    order = registered(instance)
    unknown = sorted((key for key in written if key not in order), key=written.__getitem__)
    if unknown:
        instance.add_dynamic_partitions(PARTITION_KEY, unknown)
    return [key for key in order + unknown if key in written]


def materialize_landing(
    definitions: dg.Definitions,
    instance: dg.DagsterInstance,
    landing: str,
    store: Warehouse,
    run_config: dict | None = None,
    tags: dict[str, str] | None = None,
    reprocess: bool = False,
    full_listing: bool = False,
) -> PipelineRuns:
    """Everything a landing zone needs, one run at a time: the new files registered as a batch, a
    pipeline run for each batch not yet done (oldest first), and with `reprocess` every other batch cleaned
    again from its raw snapshots (without it, only the batches an upgrade left on an older code version,
    see `outdated`). With no batch to run, only the catalog is rebuilt (the shared tables
    too if missing). `full_listing` looks into every folder of the landing zone (files rewritten in
    place inside old folders), not only those changed since the landing cursor's watermark."""
    from datetime import datetime

    from newsetl import landing_cursor, landing_zones, partition_migration
    from newsetl.landing_cursor import plan_batch

    migrate_partitions(instance, store)
    waiting = pending(instance, store)
    # Batches written before partitions are cleaned again from their raw snapshots: their files may be gone.
    from_raw = [key for key in waiting if partition_migration.is_migrated(store, key)]
    waiting = [key for key in waiting if key not in from_raw]
    batch = plan_batch(landing, store, exclude=waiting, full_listing=full_listing)
    if not batch.files and batch.listing is not None:
        landing_cursor.nothing_new_advance(landing, store, batch.listing)  # nothing to write first
    if batch.files:
        register(instance, store, batch)
        if batch.key not in waiting:  # also when an earlier warehouse of this instance ingested the same files
            waiting.append(batch.key)
    runs: list[tuple[str, str]] = [(RECLEAN_JOB, key) for key in from_raw] + [(PIPELINE_JOB, key) for key in waiting]
    if reprocess:
        runs += [(RECLEAN_JOB, key) for key in _reprocess_order(instance, store) if key not in waiting + from_raw]
    else:
        # After an upgrade the batches cleaned by older code are cleaned again, in the order they were
        # added and before any newer batch, so near-duplicates keep first-seen order.
        order = registered(instance)
        redo = [(RECLEAN_JOB, key) for key in outdated(instance, store, definitions) if key not in waiting + from_raw]
        runs = sorted(redo + runs, key=lambda run: order.index(run[1]))
    to_run: list[tuple[str, str | None]] = [*runs]
    if not to_run:
        # Nothing to ingest: the landing zone's visit and its skipped entries are still recorded.
        run_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
        landing_zones.record_run(store, landing, run_at)
        landing_zones.record_skipped(store, landing, batch.skipped, run_at, None)
        shared_missing = (
            not store.exists("dim_country") or not store.exists("fact_article") or not _catalog_exists(store)
        )
        to_run = [(REBUILD_JOB if shared_missing else CATALOG_JOB, None)]
    results = []
    for job_name, key in to_run:
        job = definitions.resolve_job_def(job_name)
        config = run_config or {}
        if job_name != PIPELINE_JOB:
            config = {k: v for k, v in config.items() if k != "ops"}  # the ingest config is raw_snapshots'
        result = job.execute_in_process(
            instance=instance, partition_key=key, run_config=config, tags=tags or {}, raise_on_error=False
        )
        results.append(result)
        if not result.success:
            break  # a later batch must not be cleaned before an earlier one
    return PipelineRuns(batch, results)


def migrate_partitions(instance: dg.DagsterInstance, store: Warehouse) -> list[str]:
    """Bring a warehouse written before partitions up to date (newsetl.partition_migration): its batches
    registered as partitions, oldest first, then given manifests; returns them."""
    from newsetl import partition_migration

    if not partition_migration.needed(store):
        return []
    keys = partition_migration.batches_without_manifest(store)
    new = [key for key in keys if not instance.has_dynamic_partition(PARTITION_KEY, key)]
    if new:
        instance.add_dynamic_partitions(PARTITION_KEY, new)
    partition_migration.migrate(store, keys)
    # Their raw snapshots are in the warehouse already: recorded as materialized, so that the UI shows them and
    # a later batch's raw_snapshots, which waits for every earlier batch's (first-seen order), does not wait forever.
    from newsetl import code_versions

    for key in keys:
        instance.report_runless_asset_event(
            dg.AssetMaterialization(
                "raw_snapshots",
                partition=key,
                description="written before ingest batches were partitions (newsetl.partition_migration)",
                metadata={"row_count": store.row_count("raw_snapshots", f"{PARTITION_KEY}={key}")},
                tags={_CODE_VERSION_TAG: code_versions.BRONZE},
            )
        )
    return keys


def _catalog_exists(store: Warehouse) -> bool:
    from pathlib import Path

    return Path(store.catalog_path()).exists()


def rebuild_after_drop(
    definitions: dg.Definitions, instance: dg.DagsterInstance, dropped, run_config: dict | None = None
) -> PipelineRuns:
    """After `newsetl.drop_batch`: the batch's partition leaves the instance, the batches it cleaned
    again get their facts rebuilt (a reclean run of their partition), then the shared tables."""
    if instance.has_dynamic_partition(PARTITION_KEY, dropped.key):
        instance.delete_dynamic_partition(PARTITION_KEY, dropped.key)
    results = []
    for key in dropped.recleaned:
        if not instance.has_dynamic_partition(PARTITION_KEY, key):
            instance.add_dynamic_partitions(PARTITION_KEY, [key])
        results.append(
            definitions.resolve_job_def(RECLEAN_JOB).execute_in_process(
                instance=instance, partition_key=key, run_config=run_config or {}, raise_on_error=False
            )
        )
    if all(result.success for result in results):
        results.append(
            definitions.resolve_job_def(REBUILD_JOB).execute_in_process(
                instance=instance, run_config=run_config or {}, raise_on_error=False
            )
        )
    return PipelineRuns(None, results)
