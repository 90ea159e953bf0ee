"""Silver for one ingest batch: its raw snapshots become articles and rejections, streamed.

The batch is read twice in bounded chunks: once to learn each site's repeated lines from a
sample, once to clean. Memory is bounded by the chunk size, not by the batch.
"""

import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.dedupe import DuplicateFinder, from_bytes
from newsetl.process import SnapshotInput, decode_input, domain_of, learn_boilerplate, process_snapshots, warm_up
from newsetl.batches import PARTITION_KEY
from newsetl.decode import UndecodableSnapshot
from newsetl.storage import Warehouse

CHUNK_ROWS = 2000
SAMPLE_PER_DOMAIN = 2000
# Below this many snapshots, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 1000


@dataclass
class SilverStats:
    snapshots: int = 0
    articles: int = 0
    rejected: int = 0
    duplicates: int = 0
    languages: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)


def _inputs(batch: pa.RecordBatch) -> list[SnapshotInput]:
    return [
        SnapshotInput(
            snapshot_id=row["snapshot_id"],
            source_file=row["source_file"],
            content_type=row["content_type"] or "text",
            content=row["content"] or b"",
            url=row["url"],
            fetched_at=row["fetched_at"],
            ingested_at=row["ingested_at"],
            error=row["read_error"],
        )
        for row in batch.to_pylist()
    ]


def _boilerplate(store: Warehouse, partition: str) -> dict[str | None, frozenset[str]]:
    samples: dict[str | None, list[str]] = defaultdict(list)
    columns = ["snapshot_id", "source_file", "content_type", "content", "url", "fetched_at", "ingested_at", "read_error"]
    for batch in store.iter_batches("raw_snapshots", partition, columns=columns, batch_rows=CHUNK_ROWS):
        for snapshot in _inputs(batch):
            sample = samples[domain_of(snapshot.url)]
            if snapshot.content_type != "text" or len(sample) >= SAMPLE_PER_DOMAIN:
                continue
            try:
                sample.append(decode_input(snapshot)[0])
            except UndecodableSnapshot:
                continue
    return learn_boilerplate(samples)


def earlier_originals(store: Warehouse, partition: str) -> DuplicateFinder:
    """A duplicate finder that knows every original article of the other batches."""
    finder = DuplicateFinder()
    articles = store.read_table("articles", columns=["article_id", "duplicate_of", "minhash", "ingested_at", "source_file"])
    if not articles.num_rows:
        return finder
    own = set(store.read_table("articles", columns=["article_id"], partition=partition).column("article_id").to_pylist())
    originals = articles.filter(pc.and_(pc.is_null(articles["duplicate_of"]), pc.is_valid(articles["minhash"])))
    originals = originals.sort_by([("ingested_at", "ascending"), ("source_file", "ascending")])
    for article_id, minhash in zip(originals.column("article_id").to_pylist(), originals.column("minhash").to_pylist()):
        if article_id not in own:
            finder.remember(article_id, from_bytes(minhash))
    return finder


def pending_batches(store: Warehouse, reprocess_all: bool = False) -> list[str]:
    """Ingest batches whose silver is missing or older than their raw snapshots, oldest first."""
    raw = store.partitions("raw_snapshots", PARTITION_KEY)
    articles = store.partitions("articles", PARTITION_KEY)
    rejected = store.partitions("rejected_snapshots", PARTITION_KEY)
    for table, written in (("articles", articles), ("rejected_snapshots", rejected)):
        for orphan in set(written) - set(raw):
            store.delete_partition(table, f"{PARTITION_KEY}={orphan}")
    pending = [
        key
        for key, raw_time in raw.items()
        if reprocess_all or min(articles.get(key, 0.0), rejected.get(key, 0.0)) < raw_time
    ]
    return sorted(pending, key=raw.__getitem__)


def _pool(total: int, workers: int | None):
    workers = workers or os.cpu_count() or 1
    if workers < 2 or total < PARALLEL_THRESHOLD:
        return nullcontext(None)
    warm_up()
    # fork shares the loaded gazetteer and models with the workers instead of loading them again.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def batch_size(store: Warehouse, partition: str) -> int:
    """Raw snapshots in one ingest batch."""
    return store.read_table("raw_snapshots", columns=["snapshot_id"], partition=partition).num_rows


def clean_batch(
    store: Warehouse,
    partition: str,
    progress: Callable[[int], None] = lambda n: None,
    workers: int | None = None,
    size: int | None = None,
) -> SilverStats:
    """Write the articles and rejected_snapshots partitions of one ingest batch (delete-then-insert).

    `size` is batch_size(), when the caller already knows it.
    """
    stats = SilverStats()
    total = batch_size(store, partition) if size is None else size
    boilerplate = _boilerplate(store, partition)
    finder = earlier_originals(store, partition)
    with (
        store.table_writer("articles", partition) as articles_out,
        store.table_writer("rejected_snapshots", partition) as rejected_out,
        _pool(total, workers) as pool,
    ):
        for batch in store.iter_batches("raw_snapshots", partition, batch_rows=CHUNK_ROWS):
            snapshots = _inputs(batch)
            articles, rejected = process_snapshots(snapshots, boilerplate, pool)
            for row in articles:
                signature = from_bytes(row["minhash"]) if row["minhash"] else None
                row["duplicate_of"] = finder.original_of(row["article_id"], signature)
                stats.duplicates += row["duplicate_of"] is not None
                stats.languages[row["language"]] += 1
            for row in rejected:
                stats.reasons[row["reason"]] += 1
            articles_out.write(articles)
            rejected_out.write(rejected)
            stats.snapshots += len(snapshots)
            stats.articles += len(articles)
            stats.rejected += len(rejected)
            progress(len(snapshots))
    return stats
