"""Ingest batches: which landing files are new since the last run, and under which key they land.

A file is new when its path, size, modification time, change time or inode differ from every file
already ingested (a file rewritten in place with its size and mtime put back still has a new ctime),
and a file that could not be read for want of permission is planned again on the next run.
A batch key is derived from the files it holds, so planning the same new files twice gives the
same key, and writing a batch again replaces its rows instead of adding them.
"""

import hashlib
import json
import posixpath
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from newsetl.landing import LandingFile, SkippedPath, discover
from newsetl.schemas import PARTITION_KEY
from newsetl.storage import Warehouse

LANDING_FILES = "landing_files"
# One row per ingest batch: how many raw_snapshots rows it wrote, so that a partition emptied or
# rewritten behind the pipeline's back is caught by a check instead of passing as "0 snapshots".
INGEST_MANIFEST = "ingest_manifest"
# One small JSON file per registered batch (the files it holds, with their identities): what a
# partition run of that batch reads, so that the run config never carries a file list.
MANIFESTS = "_manifests"

INGEST_MANIFEST_SCHEMA = pa.schema(
    [("ingest_batch", pa.string()), ("snapshot_rows", pa.int64()), ("ingested_at", pa.timestamp("us"))]
)

LANDING_FILES_SCHEMA = pa.schema(
    [
        ("source_file", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ingested_at", pa.timestamp("us")),
        # Absent from files written before they were recorded: such an entry matches any ctime and inode.
        ("ctime_ns", pa.int64()),
        ("inode", pa.int64()),
    ]
)


@dataclass(frozen=True, slots=True)
class LandingEntry:
    source_file: str
    size: int
    mtime_ns: int
    ctime_ns: int = -1
    inode: int = -1


@dataclass(frozen=True)
class Batch:
    key: str
    files: list[LandingFile]
    entries: list[LandingEntry]
    skipped: list[SkippedPath]
    already_ingested: int = 0  # landing files left out because an earlier batch took them in, unchanged

    @property
    def partition(self) -> str:
        return f"{PARTITION_KEY}={self.key}"


def landing_entry(file: LandingFile) -> LandingEntry:
    """What identifies a file's version, from the listing (local stat or object-store FileInfo).

    An unreadable or dangling entry is (-1, -1): it still gets ingested, so that it is rejected visibly.
    """
    return LandingEntry(file.source_file, file.size, file.mtime_ns, file.ctime_ns, file.inode)


def batch_key(entries: list[LandingEntry]) -> str:
    """`<newest mtime, UTC>-<hash of the entries>`: readable in the UI, and deterministic."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.source_file):
        # A file rewritten in place is a new batch, never a replacement of the batch that held its old bytes.
        digest.update(
            f"{entry.source_file}\0{entry.size}\0{entry.mtime_ns}\0{entry.ctime_ns}\0{entry.inode}\n".encode(
                "utf-8", "surrogateescape"
            )
        )
    newest = max((e.mtime_ns for e in entries), default=0)
    stamp = datetime.fromtimestamp(max(newest, 0) / 1e9, tz=UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{digest.hexdigest()[:10]}"


def ingested_entries(warehouse: Warehouse) -> dict[tuple[str, int, int], set[tuple[int | None, int | None]]]:
    """(source_file, size, mtime_ns) → the (ctime_ns, inode) pairs ingested with them; None where not recorded."""
    if not warehouse.exists(LANDING_FILES):
        return {}
    table = warehouse.read_table(LANDING_FILES)  # all columns: older files lack ctime_ns and inode
    missing = [None] * table.num_rows
    columns = [
        table.column(c).to_pylist() if c in table.column_names else missing
        for c in ("source_file", "size", "mtime_ns", "ctime_ns", "inode")
    ]
    done: dict[tuple[str, int, int], set[tuple[int | None, int | None]]] = {}
    for source_file, size, mtime_ns, ctime_ns, inode in zip(*columns, strict=True):
        done.setdefault((source_file, size, mtime_ns), set()).add((ctime_ns, inode))
    return done


def _is_ingested(entry: LandingEntry, done: dict[tuple[str, int, int], set[tuple[int | None, int | None]]]) -> bool:
    versions = done.get((entry.source_file, entry.size, entry.mtime_ns), set())
    return (entry.ctime_ns, entry.inode) in versions or (None, None) in versions


def all_ingested(warehouse: Warehouse, files: Sequence[LandingFile]) -> bool:
    """Whether every one of `files` is ingested as it is now (size, mtime, ctime, inode)."""
    if not files:
        return True
    done = ingested_entries(warehouse)
    return all(_is_ingested(landing_entry(file), done) for file in files)


def plan_batch(
    landing: str | Path, warehouse: Warehouse, only: list[str] | None = None, exclude: Sequence[str] = ()
) -> Batch:
    """The landing files not ingested yet (or, with `only`, those files) as one batch; `exclude` names
    batches registered but not ingested yet, whose files (as their manifests list them) are not new.
    An object-store landing zone is reached with the warehouse's S3 options (one set per process)."""
    files, skipped = discover(landing, s3=warehouse.s3)
    claimed = {entry for key in exclude for entry in read_manifest(warehouse, key)}
    if only is not None:
        wanted = set(only)
        files = [f for f in files if f.source_file in wanted]
    done = ingested_entries(warehouse)
    chosen: list[LandingFile] = []
    entries: list[LandingEntry] = []
    for file in files:
        entry = landing_entry(file)
        if (not _is_ingested(entry, done) and entry not in claimed) or only is not None:
            chosen.append(file)
            entries.append(entry)
    return Batch(batch_key(entries), chosen, entries, skipped, already_ingested=len(files) - len(chosen))


def record_batch(
    warehouse: Warehouse, batch: Batch, ingested_at: datetime, snapshot_rows: int, retry: frozenset[str] = frozenset()
) -> None:
    """Remember the batch's files as ingested; written after its rows, so a crash re-plans it. The files in
    `retry` (refused for want of permission) are not remembered, so that the next run reads them again."""
    rows = [
        {
            "source_file": e.source_file,
            "size": e.size,
            "mtime_ns": e.mtime_ns,
            "ingested_at": ingested_at,
            "ctime_ns": e.ctime_ns,
            "inode": e.inode,
        }
        for e in batch.entries
        if e.source_file not in retry
    ]
    manifest = [{"ingest_batch": batch.key, "snapshot_rows": snapshot_rows, "ingested_at": ingested_at}]
    with warehouse.table_writer(INGEST_MANIFEST, batch.partition, schema=INGEST_MANIFEST_SCHEMA) as writer:
        writer.write(pa.Table.from_pylist(manifest, schema=INGEST_MANIFEST_SCHEMA))
    with warehouse.table_writer(LANDING_FILES, batch.partition, schema=LANDING_FILES_SCHEMA) as writer:
        writer.write(pa.Table.from_pylist(rows, schema=LANDING_FILES_SCHEMA))


class UnknownManifest(LookupError):
    pass


def _manifest_path(warehouse: Warehouse, key: str) -> str:
    return posixpath.join(warehouse.table_path(MANIFESTS), f"{PARTITION_KEY}={key}.json")


def write_manifest(warehouse: Warehouse, batch: Batch) -> str:
    """Record which files batch `batch.key` holds; the same files give the same key, so writing it again is harmless."""
    warehouse.unsettle()  # a registered batch is pending: the next run must not take the nothing-new path
    fs, _ = warehouse._fs_and_base
    path = _manifest_path(warehouse, batch.key)
    body = json.dumps({"ingest_batch": batch.key, "files": [asdict(e) for e in batch.entries]}, sort_keys=True).encode(
        "utf-8", "surrogateescape"
    )
    if not warehouse.is_local:  # one PUT is whole or absent; folders there are only key prefixes
        with fs.open_output_stream(path) as out:
            out.write(body)
        return path
    fs.create_dir(posixpath.dirname(path), recursive=True)
    temporary = path + ".tmp"
    with fs.open_output_stream(temporary) as out:
        out.write(body)
    fs.move(temporary, path)  # a reader never sees half a manifest
    return path


def delete_manifest(warehouse: Warehouse, key: str) -> None:
    if has_manifest(warehouse, key):
        fs, _ = warehouse._fs_and_base
        fs.delete_file(_manifest_path(warehouse, key))


def has_manifest(warehouse: Warehouse, key: str) -> bool:
    import pyarrow.fs as pafs

    fs, _ = warehouse._fs_and_base
    return fs.get_file_info(_manifest_path(warehouse, key)).type == pafs.FileType.File


def read_manifest(warehouse: Warehouse, key: str) -> list[LandingEntry]:
    fs, _ = warehouse._fs_and_base
    try:
        with fs.open_input_stream(_manifest_path(warehouse, key)) as stream:
            body = json.loads(stream.read().decode("utf-8", "surrogateescape"))
    except FileNotFoundError:
        raise UnknownManifest(f"ingest batch {key} has no manifest in {warehouse.table_path(MANIFESTS)}") from None
    return [LandingEntry(**entry) for entry in body["files"]]


def batch_from_manifest(landing: str | Path, warehouse: Warehouse, key: str) -> Batch:
    """Batch `key` as its manifest lists it, with the landing zone's current listing of those files
    (a file gone since is left out; its bytes, if they were ingested, stay in raw_snapshots)."""
    wanted = {entry.source_file for entry in read_manifest(warehouse, key)}
    files, skipped = discover(landing, s3=warehouse.s3)
    chosen = [f for f in files if f.source_file in wanted]
    return Batch(key, chosen, [landing_entry(f) for f in chosen], skipped, already_ingested=len(files) - len(chosen))
