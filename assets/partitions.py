"""The one partitions definition of the batch-shaped assets: one dynamic partition per ingest batch.

A key is the batch key (`newsetl.batches.batch_key`), so a partition is the folder
`ingest_batch=<key>` of each table. Keys are added by whoever registers a batch (the landing sensor,
`newsetl run`), after writing the batch's manifest.
"""

import dagster as dg

from newsetl.batches import PARTITION_KEY

ingest_batches = dg.DynamicPartitionsDefinition(name=PARTITION_KEY)


def partition_folder(context: dg.AssetExecutionContext) -> str:
    return f"{PARTITION_KEY}={context.partition_key}"


# How long a batch waits for the batches registered before it (at most WAIT_SECONDS a try, WAIT_TRIES
# tries: about an hour): runs of different batches may start together, but first-seen order
# (identical bytes, near-duplicates) is the order batches were registered in.
WAIT_SECONDS = 5
WAIT_TRIES = 720


def _seconds_to_wait(retry_number: int) -> int:
    """1 s, 2 s, … up to WAIT_SECONDS: an earlier batch's bronze or marking step often ends within
    seconds, and a whole WAIT_SECONDS then is idle time of a run that could be cleaning."""
    return min(WAIT_SECONDS, 1 + retry_number)


def unmaterialized(instance: dg.DagsterInstance, store, asset: dg.AssetKey, keys: list[str]) -> list[str]:
    """The batches of `keys` that belong to this warehouse (their manifest is in it: one instance may
    serve several) and have no materialization of `asset` yet, in the order given."""
    from newsetl.batches import has_manifest

    if not keys:
        return []
    done = instance.get_materialized_partitions(asset)
    return [key for key in keys if key not in done and has_manifest(store, key)]


def wait_for_earlier_batches(context: dg.AssetExecutionContext, asset: str, store) -> None:
    """Raise RetryRequested while a batch registered before this one (in this warehouse) has no
    materialization of `asset` yet."""
    keys = context.instance.get_dynamic_partitions(ingest_batches.name)
    earlier = keys[: keys.index(context.partition_key)] if context.partition_key in keys else []
    waiting = unmaterialized(context.instance, store, dg.AssetKey(asset), earlier)
    if waiting:
        context.log.info(f"{asset} of {context.partition_key} waits for the earlier batch {waiting[0]}")
        raise dg.RetryRequested(max_retries=WAIT_TRIES, seconds_to_wait=_seconds_to_wait(context.retry_number))


def current_code_versions() -> dict[str, str]:
    """The code version of each batch-shaped asset, read from `newsetl.code_versions` when the
    definitions are built rather than when this package is imported, so a Definitions object always
    carries the versions of the code it will run."""
    from newsetl import code_versions

    silver, facts = code_versions.silver(), code_versions.facts()
    return {
        "raw_snapshots": code_versions.BRONZE,
        "landing_zones": code_versions.BRONZE,
        "skipped_landing_entries": code_versions.BRONZE,
        "rejected_snapshots": silver,
        "staged_articles": silver,
        "articles": silver,
        "fact_article": facts,
        "fact_country_mention": facts,
    }


def with_current_code_versions(assets_defs: list) -> list:
    versions = current_code_versions()

    def versioned(spec: dg.AssetSpec) -> dg.AssetSpec:
        version = versions.get(spec.key.to_user_string())
        return spec.replace_attributes(code_version=version) if version else spec

    return [
        assets_def.map_asset_specs(versioned) if isinstance(assets_def, dg.AssetsDefinition) else assets_def
        for assets_def in assets_defs
    ]
