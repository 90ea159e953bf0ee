"""Dropping one ingest batch: its rows leave every table partitioned by ingest batch, and its landing
files become new again, so the next run ingests them afresh (or, if they are gone, never again).

What other batches derived from the dropped one is mended here: a later article marked as a near-duplicate
of a dropped article is cleaned again (its batch, in ingestion order), and a later file whose bytes were
all held by an earlier snapshot is forgotten too, so the next run reads it again instead of leaving its
bytes nowhere. The gold tables and the catalog are then rebuilt by the pipeline (the rebuild job).
"""

from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.batches import INGEST_MANIFEST, LANDING_FILES, LANDING_FILES_SCHEMA, PARTITION_KEY, delete_manifest
from newsetl.settings import DEFAULTS, Settings
from newsetl.silver import STAGED_ARTICLES, clean_batch
from newsetl.storage import Warehouse

# Every table partitioned by ingest batch. The bookkeeping goes first: a drop killed halfway leaves
# rows whose files the next run ingests again under the same batch key, which replaces them.
BATCH_TABLES = (LANDING_FILES, INGEST_MANIFEST, "raw_snapshots", "articles", "rejected_snapshots")
# Derived from the articles partition alone; rebuilt by the pipeline for the batches cleaned again.
BATCH_FACTS = ("fact_article", "fact_country_mention")
# What a run stopped between cleaning and marking leaves; no row of it is in the catalog.
BATCH_STAGING = (STAGED_ARTICLES,)


class UnknownBatch(LookupError):
    """No table of the warehouse holds this ingest batch."""


@dataclass
class Dropped:
    key: str
    rows: dict[str, int] = field(default_factory=dict)  # rows removed, per table
    recleaned: list[str] = field(
        default_factory=list
    )  # later batches cleaned again (near-duplicates of dropped articles)
    forgotten: list[str] = field(default_factory=list)  # later files whose bytes only the dropped batch may have held


def batches(warehouse: Warehouse) -> dict[str, float]:
    """{batch key: time last written} over every table partitioned by ingest batch."""
    known: dict[str, float] = {}
    for table in BATCH_TABLES:
        for key, written in warehouse.partitions(table, PARTITION_KEY).items():
            known[key] = max(known.get(key, 0.0), written)
    return known


def _column(warehouse: Warehouse, table: str, column: str, partition: str) -> list:
    return warehouse.read_table(table, columns=[column], partition=partition).column(column).to_pylist()


def _forget_repeated_files(warehouse: Warehouse, partition: str) -> list[str]:
    """Remove from one batch's landing_files the files that gave it no raw_snapshots row (their bytes were
    already held elsewhere, maybe by the dropped batch); returns them."""
    files = warehouse.read_table(LANDING_FILES, partition=partition)
    if not files.num_rows:
        return []
    held = {
        source_file.split("#", 1)[0] for source_file in _column(warehouse, "raw_snapshots", "source_file", partition)
    }
    # A container's records are "<file>#<n>"; a file name may itself hold "#", so both spellings count.
    held |= set(_column(warehouse, "raw_snapshots", "source_file", partition))
    names = files.column("source_file")
    repeated = pc.invert(pc.is_in(names, value_set=pa.array(sorted(held), pa.string())))
    forgotten = files.filter(repeated).column("source_file").to_pylist()
    if forgotten:
        kept = files.filter(pc.invert(repeated))
        for name in LANDING_FILES_SCHEMA.names:  # files written before ctime and inode were recorded lack them
            if name not in kept.column_names:
                kept = kept.append_column(name, pa.nulls(kept.num_rows, LANDING_FILES_SCHEMA.field(name).type))
        with warehouse.table_writer(LANDING_FILES, partition, schema=LANDING_FILES_SCHEMA) as writer:
            writer.write(kept)
    return forgotten


def drop_batch(warehouse: Warehouse, key: str, settings: Settings = DEFAULTS) -> Dropped:
    """Remove batch `key` from every table partitioned by ingest batch and mend the later batches,
    cleaning them again with `settings`.

    The caller holds the writer lock and then rebuilds gold and the catalog.
    """
    known = batches(warehouse)
    if key not in known:
        listed = ", ".join(sorted(known)) or "none"
        raise UnknownBatch(f"no ingest batch {key} in {warehouse.root} (its batches: {listed})")
    partition = f"{PARTITION_KEY}={key}"
    dropped = Dropped(key)
    dropped_articles = set(_column(warehouse, "articles", "article_id", partition))
    for table in BATCH_TABLES:
        dropped.rows[table] = warehouse.row_count(table, partition)
        warehouse.delete_partition(table, partition)
    for table in BATCH_FACTS + BATCH_STAGING:
        warehouse.delete_partition(table, partition)
    delete_manifest(warehouse, key)
    # The other batches in the order they were ingested, the order they were cleaned in.
    raw_written = warehouse.partitions("raw_snapshots", PARTITION_KEY)
    for other in sorted(raw_written, key=raw_written.__getitem__):
        other_partition = f"{PARTITION_KEY}={other}"
        dropped.forgotten += _forget_repeated_files(warehouse, other_partition)
        if dropped_articles:
            pointers = set(_column(warehouse, "articles", "duplicate_of", other_partition))
            if pointers & dropped_articles:
                clean_batch(warehouse, other_partition, settings=settings)
                dropped.recleaned.append(other)
    return dropped
