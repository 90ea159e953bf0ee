"""Dimensions kept up to date batch by batch, from counts instead of every article ever written.

A dimension is a function of counts over the articles (`star.count_sources` and friends): the outlets'
spellings and domains, the publication dates, the languages. Each ingest batch's counts are stored in
its own partition (`<dimension>_counts/ingest_batch=<key>/`), and their sum over every batch in one
small table (`<dimension>_totals`). A batch run replaces its own contribution in the totals
(totals − its earlier counts + its new counts) and derives the dimension from them, so what it reads
is bounded by the dimension's size and the batch, not by the history.

A fold is three writes; a run killed between them must neither lose nor double a batch's counts.
The new counts are first written aside (`<dimension>_pending`) with a random update id, then the
totals, then the batch's partition of the counts, both carrying the same id. The next fold finishes
what a killed one left: the totals carry the pending update's id only if their write happened, and
the batch's counts then still lack it. Nothing is deleted (on an object store, deleting a folder's
last object leaves a folder marker behind): a pending table whose update is complete is inert.

Folds of one dimension must not run at the same time: the assets run them in one pool.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from newsetl import star
from newsetl.batches import PARTITION_KEY
from newsetl.frames import frame_of
from newsetl.storage import Warehouse

_UPDATE = b"newsetl.update"
_BATCH = b"newsetl.batch"


@dataclass(frozen=True)
class Counted:
    """A dimension's counts: how to count a batch of articles, and the Arrow schema of the counts."""

    name: str
    schema: pa.Schema
    count: Callable[[pl.DataFrame], pl.DataFrame]

    @property
    def keys(self) -> list[str]:
        return [name for name in self.schema.names if name != "article_count"]

    @property
    def counts_table(self) -> str:
        return f"{self.name}_counts"

    @property
    def totals_table(self) -> str:
        return f"{self.name}_totals"

    @property
    def pending_table(self) -> str:
        return f"{self.name}_pending"


_COUNT = pa.field("article_count", pa.int64())
SOURCES = Counted(
    "dim_source",
    pa.schema(
        [
            pa.field("source_key", pa.int64()),
            pa.field("source_name", pa.string()),
            pa.field("domain", pa.string()),
            _COUNT,
        ]
    ),
    star.count_sources,
)
DATES = Counted("dim_date", pa.schema([pa.field("published_date", pa.date32()), _COUNT]), star.count_dates)
LANGUAGES = Counted("dim_country", pa.schema([pa.field("language", pa.string()), _COUNT]), star.count_languages)
COUNTED = (SOURCES, DATES, LANGUAGES)
# Bookkeeping tables, not part of the contract: the catalog has no views of them.
BOOKKEEPING_TABLES = tuple(t for c in COUNTED for t in (c.counts_table, c.totals_table, c.pending_table))


def _arrow(counted: Counted, frame: pl.DataFrame, metadata: dict[bytes, bytes] | None = None) -> pa.Table:
    table = frame.to_arrow().select(counted.schema.names).cast(counted.schema)
    return table.replace_schema_metadata(metadata) if metadata else table


def _read(store: Warehouse, counted: Counted, table: str, partition: str | None = None) -> pl.DataFrame:
    if not store.exists(table, partition):
        return frame_of(counted.schema.empty_table())
    return frame_of(store.read_table(table, partition=partition).cast(counted.schema))


def _sum(counted: Counted, frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """Counts added up per key (null keys are a key too); keys whose count falls to zero leave."""
    stacked = pl.concat([frame.select(counted.schema.names) for frame in frames], how="vertical_relaxed")
    summed = stacked.group_by(counted.keys).agg(pl.col("article_count").sum())
    return summed.filter(pl.col("article_count") != 0).sort(counted.keys, nulls_last=True)


def _update_id(store: Warehouse, table: str, partition: str | None = None) -> bytes | None:
    return store.schema_metadata(table, partition).get(_UPDATE)


def finish_interrupted_fold(store: Warehouse, counted: Counted) -> None:
    """Complete the fold a killed run left halfway: its totals were written, its batch's counts not."""
    pending = store.schema_metadata(counted.pending_table)
    update, batch = pending.get(_UPDATE), pending.get(_BATCH, b"").decode()
    if not update or update != _update_id(store, counted.totals_table):
        return  # nothing pending, or a fold killed before its totals: they never saw it
    partition = f"{PARTITION_KEY}={batch}"
    if _update_id(store, counted.counts_table, partition) != update:
        counts = _read(store, counted, counted.pending_table)
        store.write_table(counted.counts_table, _arrow(counted, counts, {_UPDATE: update}), partition=partition)


def fold_batch(store: Warehouse, counted: Counted, batch: str, articles: pl.DataFrame) -> pl.DataFrame:
    """The totals over every batch once `batch`'s articles replace its earlier contribution."""
    finish_interrupted_fold(store, counted)
    partition = f"{PARTITION_KEY}={batch}"
    new = _sum(counted, [counted.count(articles)])
    earlier = _read(store, counted, counted.counts_table, partition)
    totals = _read(store, counted, counted.totals_table)
    folded = _sum(counted, [totals, earlier.with_columns(-pl.col("article_count")), new])
    update = uuid.uuid4().hex.encode()
    store.write_table(counted.pending_table, _arrow(counted, new, {_UPDATE: update, _BATCH: batch.encode()}))
    store.write_table(counted.totals_table, _arrow(counted, folded, {_UPDATE: update}))
    store.write_table(counted.counts_table, _arrow(counted, new, {_UPDATE: update}), partition=partition)
    return folded


def rebuild(store: Warehouse, counted: Counted, articles_of: Callable[[str], pl.DataFrame]) -> pl.DataFrame:
    """Counts of every batch the articles table holds, recounted one batch at a time, and their totals;
    the counts of batches no longer there (a dropped batch) go."""
    finish_interrupted_fold(store, counted)
    batches = sorted(store.partitions("articles", PARTITION_KEY))
    counts = []
    for batch in batches:
        new = _sum(counted, [counted.count(articles_of(batch))])
        store.write_table(counted.counts_table, _arrow(counted, new), partition=f"{PARTITION_KEY}={batch}")
        counts.append(new)
    for gone in set(store.partitions(counted.counts_table, PARTITION_KEY)) - set(batches):
        store.delete_partition(counted.counts_table, f"{PARTITION_KEY}={gone}")
    totals = _sum(counted, [frame_of(counted.schema.empty_table()), *counts])
    store.write_table(counted.totals_table, _arrow(counted, totals, {_UPDATE: uuid.uuid4().hex.encode()}))
    return totals


def update(
    store: Warehouse, counted: Counted, batch: str | None, articles_of: Callable[[str], pl.DataFrame]
) -> pl.DataFrame:
    """The totals after a run of `batch` (None: a full rebuild). A warehouse whose totals were never
    written (one filled before dimensions were counted) is counted whole once."""
    written = set(store.partitions("articles", PARTITION_KEY))
    if batch is None or (not store.exists(counted.totals_table) and written - {batch}):
        return rebuild(store, counted, articles_of)
    return fold_batch(store, counted, batch, articles_of(batch))
