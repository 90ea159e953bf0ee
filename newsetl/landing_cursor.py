"""The landing cursor: what of a landing zone is ingested, in state that does not grow with the history.

One small JSON per landing zone, `<warehouse>/_state/landing_cursor/<zone>.json` (zone: a digest of the
normalized root). It holds

- `watermark_ns`: every file version whose change time (the later of mtime and ctime: a file copied with
  an old mtime, moved in or rewritten in place still gets a new ctime; an object's LastModified) is
  before it is ingested, or claimed by a registered batch, or named by a read-again request;
- `recent`: the identities (size, mtime, ctime, inode) of the files ingested whose change time is at or
  after the watermark, so that a file stamped with the watermark's own time, or within the margin below,
  is neither lost nor read twice;
- `full_watermark_ns`: the watermark as of the last full listing (see the catch-up below).

What must be read again whatever the watermark (files refused for want of permission, the files of a
dropped batch, files that gave no row of their own after a drop) is one small request file per batch,
`<zone>.read_again/<batch key>.json`, removed by the batch that reads them.

Planning lists the landing zone from the watermark (`newsetl.landing.discover(changed_since_ns=...)`:
folders unchanged since are not looked into), takes the listed files changed at or after it whose identity
is not in `recent`, plus the read-again requests' files (looked up one by one), less the files the
registered but not yet ingested batches hold. The cursor moves on (`advance`) only after the batch's rows
are written: to the earlier of the listing's start less MARGIN_NS (a file may become visible a little after
its timestamp: a coarse file clock, a share's or an object store's own clock, an upload's LastModified is
when it began) and the newest change time listed. A crash before that re-plans the same files, hence the
same batch key.

A file rewritten in place inside an old folder changes only the file, so a listing from the watermark
does not see it and the watermark may pass it. A full listing (the nightly catch-up, `newsetl run
--full-listing`) looks into every folder and takes, besides the files at or after the watermark, those
since `full_watermark_ns` changed more than MARGIN_NS after their folder last changed: a file changed that
long after its folder was looked at again by no listing from the watermark. Such a file that a listing
did see (its folder changed again later) is read a second time; identical bytes add no row.
"""

import hashlib
import json
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from newsetl import fs
from newsetl.batches import (
    INGEST_MANIFEST,
    INGEST_MANIFEST_SCHEMA,
    Batch,
    LandingEntry,
    Listing,
    UnknownManifest,
    batch_key,
    landing_entry,
    read_manifest,
)
from newsetl.landing import LandingFile, SkippedPath, discover, look_up
from newsetl.storage import Warehouse

CURSOR_FOLDER = "landing_cursor"
# The table the cursor replaced (one row per file ever ingested); a warehouse that has it is migrated once.
LANDING_FILES = "landing_files"
MIGRATION_REQUEST = "migrated-from-landing-files"
LOCAL_MARGIN_NS = 60 * 10**9
OBJECT_STORE_MARGIN_NS = 15 * 60 * 10**9


def margin_ns(landing: str) -> int:
    return OBJECT_STORE_MARGIN_NS if fs.is_url(landing) else LOCAL_MARGIN_NS


@dataclass
class Cursor:
    landing: str
    watermark_ns: int = -1
    full_watermark_ns: int = -1
    recent: dict[str, list[int]] = field(default_factory=dict)  # source_file -> [size, mtime, ctime, inode]


def _zone(landing: str) -> str:
    from newsetl.landing_zones import normalize

    return hashlib.sha256(normalize(landing).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def _cursor_name(landing: str) -> str:
    return f"{CURSOR_FOLDER}/{_zone(landing)}.json"


def _requests_folder(landing: str) -> str:
    return f"{CURSOR_FOLDER}/{_zone(landing)}.read_again"


def identity(entry: LandingEntry) -> list[int]:
    return [entry.size, entry.mtime_ns, entry.ctime_ns, entry.inode]


def changed_at(entry: LandingEntry) -> int:
    return max(entry.mtime_ns, entry.ctime_ns)


def read(warehouse: Warehouse, landing: str) -> Cursor | None:
    """The landing zone's cursor; None when there is none yet."""
    from newsetl.landing_zones import normalize

    body = warehouse.read_state(_cursor_name(landing))
    if body is None:
        return None
    stored = json.loads(body)
    return Cursor(
        normalize(landing),
        stored["watermark_ns"],
        stored["full_watermark_ns"],
        {path: list(values) for path, values in stored["recent"].items()},
    )


def write(warehouse: Warehouse, cursor: Cursor) -> None:
    warehouse.write_state(_cursor_name(cursor.landing), json.dumps(asdict(cursor), sort_keys=True).encode())


def load(warehouse: Warehouse, landing: str) -> Cursor:
    """The cursor, made from `landing_files` first in a warehouse written before cursors existed."""
    from newsetl.landing_zones import normalize

    cursor = read(warehouse, landing)
    if cursor is not None:
        return cursor
    if warehouse.exists(LANDING_FILES):
        return migrate(warehouse, landing)
    return Cursor(normalize(landing))


# ---- read-again requests ------------------------------------------------------------------------------


def request_read_again(warehouse: Warehouse, landing: str, key: str, source_files: Iterable[str]) -> None:
    """Ask the next planning to read these files again, whatever the watermark (added to batch `key`'s request)."""
    names = set(source_files) | set(read_again(warehouse, landing).get(key, []))
    if names:
        body = json.dumps({"ingest_batch": key, "files": sorted(names)}).encode("utf-8", "surrogateescape")
        warehouse.write_state(f"{_requests_folder(landing)}/{key}.json", body)


def read_again(warehouse: Warehouse, landing: str) -> dict[str, list[str]]:
    """{batch key: files} of the landing zone's read-again requests."""
    import pyarrow.fs as pafs

    filesystem, _ = warehouse._fs_and_base
    folder = warehouse.state_path(_requests_folder(landing))
    requests: dict[str, list[str]] = {}
    for info in filesystem.get_file_info(pafs.FileSelector(folder, allow_not_found=True)):
        if info.type != pafs.FileType.File or not info.base_name.endswith(".json"):
            continue
        with filesystem.open_input_stream(info.path) as stream:
            body = json.loads(stream.read().decode("utf-8", "surrogateescape"))
        requests[body["ingest_batch"]] = body["files"]
    return requests


def _drop_request(warehouse: Warehouse, landing: str, key: str) -> None:
    warehouse.delete_state(f"{_requests_folder(landing)}/{key}.json")


# ---- planning -----------------------------------------------------------------------------------------


def _folder_changed_at(landing: str, files: Sequence[LandingFile]) -> dict[str, int]:
    """{folder prefix: its change time} of the folders holding `files` (local landing zones)."""
    times: dict[str, int] = {}
    for file in files:
        prefix = file.source_file.rpartition("/")[0]
        if prefix not in times:
            try:
                stat = os.stat(os.path.dirname(str(file.path)))
                times[prefix] = max(stat.st_mtime_ns, stat.st_ctime_ns)
            except OSError:
                times[prefix] = -1
    return times


def _is_new(entry: LandingEntry, cursor: Cursor, floor: int, folder_ns: int | None, margin: int) -> bool:
    """Whether this version of a listed file is not ingested, by the cursor alone."""
    if cursor.recent.get(entry.source_file) == identity(entry):
        return False
    changed = changed_at(entry)
    if entry.mtime_ns < 0 or changed >= cursor.watermark_ns:
        return True  # an entry that could not be looked at is kept in `recent` whatever its time
    # Below the watermark: only a full listing looks, at files changed long after their folder (see above).
    return folder_ns is not None and changed >= floor and changed - folder_ns > margin


def _claimed(warehouse: Warehouse, exclude: Sequence[str]) -> set[LandingEntry]:
    claimed: set[LandingEntry] = set()
    for key in exclude:
        try:
            claimed.update(read_manifest(warehouse, key))
        except UnknownManifest:
            continue
    return claimed


def _previous_skips(warehouse: Warehouse, landing: str, looked_at: set[str]) -> list[SkippedPath]:
    """The skipped files the last run recorded in folders this listing did not look into (they are as they
    were: a change there would have changed the folder); folders skipped are listed again anyway."""
    from newsetl.landing_zones import SKIPPED_LANDING_ENTRIES, normalize

    if not warehouse.exists(SKIPPED_LANDING_ENTRIES):
        return []
    rows = warehouse.read_table(SKIPPED_LANDING_ENTRIES, columns=["landing", "path", "reason"]).to_pylist()
    zone = normalize(landing)
    kept = []
    for row in rows:
        path = row["path"]
        if row["landing"] != zone or path.endswith("/"):
            continue
        folder = path.rpartition("/")[0]
        if (folder + "/" if folder else "") not in looked_at:
            kept.append(SkippedPath(path, row["reason"]))
    return kept


def _list(
    landing: str, warehouse: Warehouse, cursor: Cursor, full_listing: bool
) -> tuple[list[LandingFile], list[SkippedPath], bool]:
    """The listing planning works from: (files, skipped, whether every folder was looked into)."""
    full = full_listing or fs.is_url(landing) or cursor.watermark_ns < 0  # an object store has no folders to skip
    looked_at: list[str] = []
    files, skipped = discover(
        landing, changed_since_ns=None if full else cursor.watermark_ns, s3=warehouse.s3, looked_at=looked_at
    )
    if fs.is_url(landing) and not full_listing:
        files = [f for f in files if f.mtime_ns < 0 or f.mtime_ns >= cursor.watermark_ns]
    if not full:
        skipped = sorted(skipped + _previous_skips(warehouse, landing, set(looked_at)), key=lambda s: s.source_file)
    return files, skipped, full


def plan_batch(
    landing: str | Path,
    warehouse: Warehouse,
    only: list[str] | None = None,
    exclude: Sequence[str] = (),
    full_listing: bool = False,
) -> Batch:
    """The files of the landing zone not ingested yet (by its cursor), the read-again requests' files, less
    those of the batches in `exclude` (registered, not ingested yet), as one batch; with `only`, those
    files, listed in full, whatever the cursor says."""
    from newsetl.landing_zones import normalize

    zone = normalize(landing)
    cursor = load(warehouse, zone)
    started = time.time_ns()
    if only is not None:
        files, skipped = discover(zone, s3=warehouse.s3)
        wanted = set(only)
        chosen = [f for f in files if f.source_file in wanted]
        entries = [landing_entry(f) for f in chosen]
        return Batch(batch_key(entries), chosen, entries, skipped, len(files) - len(chosen), zone)
    files, skipped, full = _list(zone, warehouse, cursor, full_listing)
    claimed = _claimed(warehouse, exclude)
    requests = read_again(warehouse, zone)
    again = {name for names in requests.values() for name in names}
    listed = {f.source_file for f in files}
    looked_up, look_up_skipped = look_up(zone, sorted(again - listed), s3=warehouse.s3)
    margin = margin_ns(zone)
    folders = _folder_changed_at(zone, files) if full and not fs.is_url(zone) else {}
    chosen, entries, already = [], [], 0
    for file in sorted(files + looked_up, key=lambda f: _walk_key(f.source_file)):
        entry = landing_entry(file)
        if entry in claimed:
            continue
        folder_ns = folders.get(file.source_file.rpartition("/")[0]) if full else None
        if file.source_file in again or _is_new(entry, cursor, cursor.full_watermark_ns, folder_ns, margin):
            chosen.append(file)
            entries.append(entry)
        else:
            already += 1
    newest = max((changed_at(landing_entry(f)) for f in files), default=-1)
    listing = Listing(started, newest, full, sorted(requests))
    return Batch(batch_key(entries), chosen, entries, skipped + look_up_skipped, already, zone, listing)


def _walk_key(source_file: str) -> list[tuple[int, str]]:
    from newsetl.landing import walk_order

    return walk_order(source_file)


def has_new(landing: str, warehouse: Warehouse, full_listing: bool = False) -> bool | None:
    """Whether planning would find anything to read, answered from the cursor without writing; None when
    the landing zone has no cursor yet (the full path makes it)."""
    cursor = read(warehouse, landing)
    if cursor is None or warehouse.exists(LANDING_FILES):
        return None
    if read_again(warehouse, landing):
        return True
    files, _, full = _list(landing, warehouse, cursor, full_listing)
    margin = margin_ns(landing)
    folders = _folder_changed_at(landing, files) if full and not fs.is_url(landing) else {}
    return any(
        _is_new(
            landing_entry(f),
            cursor,
            cursor.full_watermark_ns,
            folders.get(f.source_file.rpartition("/")[0]) if full else None,
            margin,
        )
        for f in files
    )


def nothing_new_advance(landing: str, warehouse: Warehouse, listing: Listing) -> None:
    """Move the cursor on after a listing that found nothing to read (nothing to write first)."""
    from newsetl.landing_zones import normalize

    advance(warehouse, Batch("", [], [], [], landing=normalize(landing), listing=listing))


# ---- moving on ----------------------------------------------------------------------------------------


def record_batch(
    warehouse: Warehouse, batch: Batch, ingested_at: datetime, snapshot_rows: int, retry: frozenset[str] = frozenset()
) -> None:
    """Remember the batch as ingested; written after its rows, so a crash re-plans it. The files in `retry`
    (refused for want of permission) become a read-again request, so that the next run reads them again."""
    manifest = [{"ingest_batch": batch.key, "snapshot_rows": snapshot_rows, "ingested_at": ingested_at}]
    with warehouse.table_writer(INGEST_MANIFEST, batch.partition, schema=INGEST_MANIFEST_SCHEMA) as writer:
        writer.write(pa.Table.from_pylist(manifest, schema=INGEST_MANIFEST_SCHEMA))
    if batch.landing is not None:
        advance(warehouse, batch, retry)


def advance(warehouse: Warehouse, batch: Batch, retry: Iterable[str] = ()) -> None:
    """After the batch's rows are written: its files are ingested (those in `retry` are to be read again),
    the read-again requests its planning took in are done, and the watermark moves on as far as its
    planning listing allows."""
    assert batch.landing is not None
    refused = set(retry)
    cursor = load(warehouse, batch.landing)
    for entry in batch.entries:
        if entry.source_file not in refused:
            cursor.recent[entry.source_file] = identity(entry)
    listing = batch.listing
    if listing is not None:
        reach = min(listing.started_ns - margin_ns(batch.landing), listing.newest_ns + 1)
        cursor.watermark_ns = max(cursor.watermark_ns, reach)
        if listing.full:
            cursor.full_watermark_ns = max(cursor.full_watermark_ns, reach)
    cursor.recent = {
        path: values
        for path, values in cursor.recent.items()
        if values[1] < 0 or max(values[1], values[2]) >= cursor.watermark_ns
    }
    write(warehouse, cursor)
    for key in listing.read_again if listing is not None else []:
        _drop_request(warehouse, batch.landing, key)
    if refused and batch.key:
        request_read_again(warehouse, batch.landing, batch.key, refused)


# ---- migration from landing_files -------------------------------------------------------------------


def migrate(warehouse: Warehouse, landing: str) -> Cursor:
    """Make the cursors of a warehouse that recorded every ingested file in `landing_files` (one per landing
    zone it records, or this one if it records none), then remove that table; returns this landing zone's.

    A cursor's watermark is the newest file recorded (held back by the margin from now), its `recent` the
    recorded files at or after it, and every listed file older than the watermark that is not recorded as it
    is now (refused, dropped, or its bytes given up by a drop) becomes a read-again request: nothing is read
    twice, nothing is lost. A recorded landing zone that cannot be listed now gets no cursor: its files, when
    it is back, are all read again (identical bytes add no row)."""
    from newsetl.landing_zones import normalize, recorded

    zone = normalize(landing)
    done: dict[tuple[str, int, int], set[tuple[int | None, int | None]]] = {}
    newest = -1
    for source_file, size, mtime_ns, ctime_ns, inode in read_landing_files(warehouse):
        done.setdefault((source_file, size, mtime_ns), set()).add((ctime_ns, inode))
        newest = max(newest, mtime_ns, ctime_ns if ctime_ns is not None else -1)
    claimed = {(e.source_file, e.size, e.mtime_ns) for e in _claimed(warehouse, _unrecorded_batches(warehouse))}
    cursors = {}
    for owner in recorded(warehouse) or [zone]:
        try:
            cursors[owner] = _migrated(warehouse, owner, done, newest, claimed)
        except (FileNotFoundError, OSError):
            continue
    warehouse.unsettle()
    filesystem, _ = warehouse._fs_and_base
    filesystem.delete_dir(warehouse.table_path(LANDING_FILES))
    return cursors.get(zone) or load(warehouse, zone)


def read_landing_files(
    warehouse: Warehouse, partition: str | None = None
) -> list[tuple[str, int, int, int | None, int | None]]:
    """(source_file, size, mtime_ns, ctime_ns, inode) of each row of the old `landing_files` table, or of one
    `ingest_batch=<key>` partition of it; older files lack ctime_ns and inode (None)."""
    table = warehouse.read_table(LANDING_FILES, partition=partition)  # all columns: they differ by age
    missing = [None] * table.num_rows
    columns = [
        table.column(c).to_pylist() if c in table.column_names else missing
        for c in ("source_file", "size", "mtime_ns", "ctime_ns", "inode")
    ]
    return list(zip(*columns, strict=True))


def _unrecorded_batches(warehouse: Warehouse) -> list[str]:
    """Registered batches (a manifest) whose run has not recorded them yet: their files are not unrecorded."""
    import pyarrow.fs as pafs

    from newsetl.batches import INGEST_MANIFEST, MANIFESTS, PARTITION_KEY

    filesystem, _ = warehouse._fs_and_base
    selector = pafs.FileSelector(warehouse.table_path(MANIFESTS), allow_not_found=True)
    registered = [
        info.base_name.removeprefix(f"{PARTITION_KEY}=").removesuffix(".json")
        for info in filesystem.get_file_info(selector)
        if info.base_name.endswith(".json")
    ]
    recorded_keys = warehouse.partitions(INGEST_MANIFEST, PARTITION_KEY)
    return [key for key in registered if key not in recorded_keys]


def _migrated(
    warehouse: Warehouse,
    zone: str,
    done: dict[tuple[str, int, int], set[tuple[int | None, int | None]]],
    newest: int,
    claimed: set[tuple[str, int, int]],
) -> Cursor:
    watermark = min(newest + 1, time.time_ns() - margin_ns(zone))
    cursor = Cursor(zone, watermark, watermark)
    files, _ = discover(zone, s3=warehouse.s3)
    unrecorded = []
    for file in files:
        entry = landing_entry(file)
        versions = done.get((entry.source_file, entry.size, entry.mtime_ns), set())
        ingested = (entry.ctime_ns, entry.inode) in versions or (None, None) in versions
        if ingested and (changed_at(entry) >= watermark or entry.mtime_ns < 0):
            cursor.recent[entry.source_file] = identity(entry)
        elif (
            not ingested
            and changed_at(entry) < watermark
            and entry.mtime_ns >= 0
            and ((entry.source_file, entry.size, entry.mtime_ns) not in claimed)
        ):
            unrecorded.append(entry.source_file)
    write(warehouse, cursor)
    if unrecorded:
        request_read_again(warehouse, zone, MIGRATION_REQUEST, unrecorded)
    return cursor
