"""Bronze for one ingest batch: the batch's landing files read into raw_snapshots, streamed."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow.compute as pc

from newsetl.batches import Batch, record_batch
from newsetl.landing import read_file
from newsetl.storage import Warehouse

CHUNK_ROWS = 1000


@dataclass
class BronzeStats:
    snapshots: int = 0
    bytes: int = 0
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (source_file, the file it repeats)
    formats: Counter = field(default_factory=Counter)


def known_snapshots(store: Warehouse, partition: str) -> dict[str, str]:
    """snapshot_id → source_file of the snapshots other batches already hold."""
    table = store.read_table("raw_snapshots", columns=["snapshot_id", "source_file"])
    if not table.num_rows:
        return {}
    own = store.read_table("raw_snapshots", columns=["snapshot_id"], partition=partition).column("snapshot_id")
    others = table.filter(pc.invert(pc.is_in(table["snapshot_id"], value_set=own))) if len(own) else table
    return dict(zip(others.column("snapshot_id").to_pylist(), others.column("source_file").to_pylist()))


def ingest_batch(store: Warehouse, batch: Batch, ingested_at: datetime, progress: Callable[[int], None] = lambda n: None) -> BronzeStats:
    """Write the batch's raw_snapshots partition (delete-then-insert), then record its files as ingested."""
    stats = BronzeStats()
    seen = known_snapshots(store, batch.partition)
    with store.table_writer("raw_snapshots", batch.partition) as out:
        rows: list[dict] = []
        for file in batch.files:
            for snapshot in read_file(file):
                snapshot_id = snapshot.snapshot_id
                if snapshot_id in seen:
                    # Identical bytes are one snapshot: the first file keeps it.
                    stats.repeated.append((snapshot.source_file, seen[snapshot_id]))
                    continue
                seen[snapshot_id] = snapshot.source_file
                rows.append(
                    {
                        "snapshot_id": snapshot_id,
                        "source_file": snapshot.source_file,
                        "format": snapshot.format,
                        "content_type": snapshot.content_type,
                        "byte_size": len(snapshot.content),
                        "ingested_at": ingested_at,
                        "url": snapshot.url,
                        "fetched_at": snapshot.fetched_at,
                        "read_error": snapshot.error,
                        "content": snapshot.content,
                    }
                )
                stats.snapshots += 1
                stats.bytes += len(snapshot.content)
                stats.formats[snapshot.format] += 1
                if len(rows) >= CHUNK_ROWS:
                    out.write(rows)
                    rows = []
            progress(1)
        out.write(rows)
    record_batch(store, batch, ingested_at)
    return stats
