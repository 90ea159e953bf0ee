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
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa

from newsetl.landing import LandingFile, SkippedPath, look_up
from newsetl.schemas import PARTITION_KEY
from newsetl.storage import Warehouse

# One row per ingest batch: how many raw_snapshots rows it wrote, so that a partition emptied or
# rewritten behind the pipeline's back is caught by a check instead of passing as "0 snapshots".
INGEST_MANIFEST = "ingest_manifest"
# One small JSON file per registered batch (the files it holds, with their identities): what a
# partition run of that batch reads, so that the run config never carries a file list.
MANIFESTS = "_manifests"

INGEST_MANIFEST_SCHEMA = pa.schema(
    [("ingest_batch", pa.string()), ("snapshot_rows", pa.int64()), ("ingested_at", pa.timestamp("us"))]
)


@dataclass(frozen=True, slots=True)
class LandingEntry:
    source_file: str
    size: int
    mtime_ns: int
    ctime_ns: int = -1
    inode: int = -1


@dataclass(frozen=True)
class Listing:
    """What a planning listing saw, kept in the batch's manifest so that the landing cursor moves on
    (newsetl.landing_cursor.advance) only once the batch's rows are written."""

    started_ns: int  # when the listing began
    newest_ns: int  # the latest change time (max of mtime and ctime) among the files it listed; -1: none
    full: bool  # every folder's files looked at (no folder skipped as unchanged)
    read_again: list[str] = field(default_factory=list)  # the read-again requests (batch keys) it took in


@dataclass(frozen=True)
class Batch:
    key: str
    files: list[LandingFile]
    entries: list[LandingEntry]
    skipped: list[SkippedPath]
    already_ingested: int = 0  # listed landing files left out because an earlier batch took them in, unchanged
    landing: str | None = None  # the landing zone (normalized) whose cursor the batch moves on; None: none
    listing: Listing | None = None  # how the planning listing went: what the cursor may move on to

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


class UnknownManifest(LookupError):
    pass


def _manifest_path(warehouse: Warehouse, key: str) -> str:
    return posixpath.join(warehouse.table_path(MANIFESTS), f"{PARTITION_KEY}={key}.json")


def write_manifest(warehouse: Warehouse, batch: Batch, extra: dict | None = None) -> str:
    """Record which files batch `batch.key` holds; the same files give the same key, so writing it again is
    harmless. `extra`: more fields of the manifest (newsetl.partition_migration marks its batches)."""
    warehouse.unsettle()  # a registered batch is pending: the next run must not take the nothing-new path
    fs, _ = warehouse._fs_and_base
    path = _manifest_path(warehouse, batch.key)
    content: dict = {"ingest_batch": batch.key, "files": [asdict(e) for e in batch.entries]}
    if batch.landing is not None:
        content["landing"] = batch.landing
        content["skipped"] = [asdict(s) for s in batch.skipped]
    if batch.listing is not None:
        content["listing"] = asdict(batch.listing)
    content.update(extra or {})
    body = json.dumps(content, sort_keys=True).encode("utf-8", "surrogateescape")
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


def read_manifest_body(warehouse: Warehouse, key: str) -> dict:
    fs, _ = warehouse._fs_and_base
    try:
        with fs.open_input_stream(_manifest_path(warehouse, key)) as stream:
            return json.loads(stream.read().decode("utf-8", "surrogateescape"))
    except FileNotFoundError:
        raise UnknownManifest(f"ingest batch {key} has no manifest in {warehouse.table_path(MANIFESTS)}") from None


def read_manifest(warehouse: Warehouse, key: str) -> list[LandingEntry]:
    return [LandingEntry(**entry) for entry in read_manifest_body(warehouse, key)["files"]]


def batch_from_manifest(landing: str | Path, warehouse: Warehouse, key: str) -> Batch:
    """Batch `key` as its manifest lists it, each file looked up in the landing zone as it is now (a file
    gone since is left out; its bytes, if they were ingested, stay in raw_snapshots); no listing. The
    skipped entries are those the planning listing found."""
    from newsetl.landing_zones import normalize

    body = read_manifest_body(warehouse, key)
    files, skipped = look_up(landing, [entry["source_file"] for entry in body["files"]], s3=warehouse.s3)
    listing = body.get("listing")
    return Batch(
        key,
        files,
        [landing_entry(f) for f in files],
        [SkippedPath(**s) for s in body.get("skipped", [])] + skipped,
        landing=body.get("landing", normalize(landing)),
        listing=Listing(**listing) if listing else None,
    )
