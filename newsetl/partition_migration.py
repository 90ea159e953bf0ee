"""Bringing up to date a warehouse written before ingest batches were Dagster partitions.

newsetl wrote such a warehouse's batch tables (raw_snapshots, articles, rejected_snapshots, dedupe_bands,
ingest_manifest) in `ingest_batch=<key>` folders already, but the facts as whole tables, and it kept no
manifest per batch (each batch's files were rows of `landing_files`). The catalog cannot glob a table
holding both layouts, and a batch without a manifest is no partition. Migrating writes each such batch a
manifest (its files from `landing_files`, when the warehouse still has it) marked as migrated, and removes
the whole-table files of partitioned tables; the orchestration then cleans the migrated batches again from
their raw snapshots (never from the landing zone: their files may be gone), which writes their facts as
partitions, and rebuilds the dimensions.
"""

import posixpath

import pyarrow.fs as pafs

from newsetl import schemas
from newsetl.batches import (
    PARTITION_KEY,
    Batch,
    LandingEntry,
    UnknownManifest,
    has_manifest,
    read_manifest_body,
    write_manifest,
)
from newsetl.landing_cursor import LANDING_FILES, read_landing_files
from newsetl.storage import Warehouse

# The manifest field that marks a batch migrated: its run must clean it from raw_snapshots, not ingest it.
MIGRATED = "migrated_before_partitions"
# In <warehouse>/_state/: present once the warehouse is known to hold nothing from before partitions.
UP_TO_DATE_STATE = "partition_layout.json"


def _whole_table_files(warehouse: Warehouse) -> list[str]:
    """Parquet files of partitioned tables that lie outside every `ingest_batch=<key>` folder."""
    filesystem, _ = warehouse._fs_and_base
    stray = []
    for table in schemas.PARTITIONED_TABLES:
        folder = warehouse.table_path(table)
        for info in filesystem.get_file_info(pafs.FileSelector(folder, recursive=True, allow_not_found=True)):
            if info.type != pafs.FileType.File or not info.path.endswith(".parquet"):
                continue
            inside = posixpath.relpath(info.path, folder).split("/")[0]
            if not inside.startswith(f"{PARTITION_KEY}="):
                stray.append(info.path)
    return stray


def batches_without_manifest(warehouse: Warehouse) -> list[str]:
    """Batches raw_snapshots holds that have no manifest, in the order they were written."""
    written = warehouse.partitions("raw_snapshots", PARTITION_KEY)
    return sorted((key for key in written if not has_manifest(warehouse, key)), key=lambda key: (written[key], key))


def needed(warehouse: Warehouse) -> bool:
    """Whether the warehouse still has the layout from before partitions. Once it has been found up to date,
    a state file says so: the sensor asks on every tick, and the answer cannot change back."""
    if warehouse.read_state(UP_TO_DATE_STATE) is not None:
        return False
    if _whole_table_files(warehouse) or batches_without_manifest(warehouse):
        return True
    if warehouse.exists("raw_snapshots"):  # an empty warehouse stays without state files
        warehouse.write_state(UP_TO_DATE_STATE, b"{}")
    return False


def _recorded_files(warehouse: Warehouse, key: str) -> list[LandingEntry]:
    partition = f"{PARTITION_KEY}={key}"
    if not warehouse.exists(LANDING_FILES, partition):
        return []
    return [
        LandingEntry(source_file, size, mtime_ns, -1 if ctime_ns is None else ctime_ns, -1 if inode is None else inode)
        for source_file, size, mtime_ns, ctime_ns, inode in read_landing_files(warehouse, partition)
    ]


def migrate(warehouse: Warehouse, keys: list[str]) -> None:
    """Write a manifest for each of `keys` (`batches_without_manifest`, registered as partitions by the
    caller first) and remove the whole-table files of partitioned tables. The migrated batches must then be
    cleaned again from their raw snapshots (`is_migrated` tells them apart).

    The manifests first: were the run killed in between, the next finds the stray files and finishes."""
    from newsetl.landing_zones import recorded

    zones = recorded(warehouse)
    for key in keys:
        batch = Batch(key, [], _recorded_files(warehouse, key), [], landing=zones[0] if len(zones) == 1 else None)
        write_manifest(warehouse, batch, extra={MIGRATED: True})
    stray = _whole_table_files(warehouse)
    if stray:
        warehouse.unsettle()
        filesystem, _ = warehouse._fs_and_base
        for path in stray:
            filesystem.delete_file(path)


def is_migrated(warehouse: Warehouse, key: str) -> bool:
    """Whether batch `key` was written before partitions (its manifest made by `migrate`)."""
    try:
        return bool(read_manifest_body(warehouse, key).get(MIGRATED))
    except UnknownManifest:
        return False
