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
