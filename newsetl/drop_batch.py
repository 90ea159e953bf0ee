"""Dropping one ingest batch: its rows leave every table partitioned by ingest batch, and its landing
files become a read-again request of the landing cursor (newsetl.landing_cursor), so the next run
ingests them afresh (or, if they are gone, never again).

What other batches derived from the dropped one is mended here: a later article marked as a near-duplicate
of a dropped article is cleaned again (its batch, in ingestion order), and a later file whose bytes were
all held by an earlier snapshot is forgotten too, so the next run reads it again instead of leaving its
bytes nowhere. The gold tables and the catalog are then rebuilt by the pipeline (the rebuild job).
"""

from dataclasses import dataclass, field

from newsetl import landing_cursor
from newsetl.batches import INGEST_MANIFEST, PARTITION_KEY, UnknownManifest, delete_manifest, read_manifest_body
from newsetl.settings import DEFAULTS, Settings
from newsetl.silver import STAGED_ARTICLES, clean_batch
from newsetl.storage import Warehouse

# Every table partitioned by ingest batch. The bookkeeping goes first: a drop killed halfway leaves
# rows whose files the next run ingests again under the same batch key, which replaces them.
BATCH_TABLES = (INGEST_MANIFEST, "raw_snapshots", "articles", "rejected_snapshots")
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


def _rejected_files(warehouse: Warehouse, partition: str) -> set[str]:
    return {name.split("#", 1)[0] for name in _column(warehouse, "rejected_snapshots", "source_file", partition)}


def _held_files(warehouse: Warehouse, partition: str) -> set[str]:
    """The landing files that gave a batch raw_snapshots rows."""
    held = {
        source_file.split("#", 1)[0] for source_file in _column(warehouse, "raw_snapshots", "source_file", partition)
    }
    # A container's records are "<file>#<n>"; a file name may itself hold "#", so both spellings count.
    return held | set(_column(warehouse, "raw_snapshots", "source_file", partition))


def _batch_files(warehouse: Warehouse, key: str) -> tuple[str | None, list[str]]:
    """(landing zone, files) of a batch as its manifest lists them; (None, []) without a manifest."""
    try:
        body = read_manifest_body(warehouse, key)
    except UnknownManifest:
        return None, []
    return body.get("landing"), [entry["source_file"] for entry in body["files"]]


def _zone_of(warehouse: Warehouse, recorded_zone: str | None) -> str | None:
    from newsetl.landing_zones import recorded

    if recorded_zone is not None:
        return recorded_zone
    zones = recorded(warehouse)
    return zones[0] if len(zones) == 1 else None


def _forget_repeated_files(warehouse: Warehouse, key: str) -> list[str]:
    """Ask for the files of batch `key` that gave it no raw_snapshots row (their bytes were already held
    elsewhere, maybe by the dropped batch) to be read again; returns them."""
    zone, files = _batch_files(warehouse, key)
    zone = _zone_of(warehouse, zone)
    if not files or zone is None:
        return []
    held = _held_files(warehouse, f"{PARTITION_KEY}={key}")
    forgotten = [name for name in files if name not in held]
    if forgotten:
        landing_cursor.request_read_again(warehouse, zone, key, forgotten)
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
    # Its files are read again by the next run: asked for before anything goes, so a drop killed halfway
    # still has them read (under the same batch key, which replaces what is left).
    zone, files = _batch_files(warehouse, key)
    if not files:  # a batch registered before manifests: the files its rows came from
        files = sorted(_held_files(warehouse, partition) | _rejected_files(warehouse, partition))
    zone = _zone_of(warehouse, zone)
    if zone is not None:
        landing_cursor.load(warehouse, zone)  # a warehouse still on landing_files is migrated first
        landing_cursor.request_read_again(warehouse, zone, key, files)
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
        dropped.forgotten += _forget_repeated_files(warehouse, other)
        if dropped_articles:
            pointers = set(_column(warehouse, "articles", "duplicate_of", other_partition))
            if pointers & dropped_articles:
                clean_batch(warehouse, other_partition, settings=settings)
                dropped.recleaned.append(other)
    return dropped
