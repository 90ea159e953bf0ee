"""The landing cursor decides which landing files are new from a watermark, a few identities near it and
read-again requests, not from a table of every file ever ingested."""

import os
import time
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from newsetl import landing_cursor
from newsetl.landing_cursor import plan_batch, record_batch
from newsetl.landing_zones import normalize
from newsetl.storage import Warehouse

NOW = datetime(2026, 12, 5)


@pytest.fixture
def landing(sample_landing: Path) -> Path:
    return sample_landing


@pytest.fixture
def store(tmp_path: Path) -> Warehouse:
    return Warehouse(str(tmp_path / "warehouse"))


def _ingest(landing: Path, store: Warehouse, **plan) -> list[str]:
    """Plan a batch and record it as written (no rows needed for the cursor); its file names."""
    batch = plan_batch(landing, store, **plan)
    record_batch(store, batch, NOW, snapshot_rows=len(batch.files))
    return [f.source_file for f in batch.files]


def _names(landing: Path, store: Warehouse, **plan) -> list[str]:
    return [f.source_file for f in plan_batch(landing, store, **plan).files]


def test_a_new_file_is_found_once(landing: Path, store: Warehouse) -> None:
    first = _ingest(landing, store)
    assert first and _names(landing, store) == []
    (landing / "later.txt").write_text("A later snapshot.\n" * 20)
    assert _ingest(landing, store) == ["later.txt"]
    assert _names(landing, store) == []


def test_the_cursor_holds_a_watermark_and_only_the_files_near_it(landing: Path, store: Warehouse) -> None:
    _ingest(landing, store)
    cursor = landing_cursor.read(store, normalize(landing))
    assert cursor is not None and cursor.watermark_ns > 0
    assert all(max(values[1], values[2]) >= cursor.watermark_ns for values in cursor.recent.values())
    # A later run whose listing starts long after: the watermark passes the files, which leave `recent`.
    batch = plan_batch(landing, store)
    assert batch.listing is not None
    later = type(batch.listing)(batch.listing.started_ns + 10 * landing_cursor.LOCAL_MARGIN_NS, -1, False)
    landing_cursor.nothing_new_advance(landing, store, later)
    moved = landing_cursor.read(store, normalize(landing))
    assert moved is not None and moved.watermark_ns >= cursor.watermark_ns
    newest = max(max(v[1], v[2]) for v in cursor.recent.values()) if cursor.recent else -1
    assert moved.watermark_ns <= max(newest + 1, cursor.watermark_ns)  # never past a file it did not list
    assert _names(landing, store) == []


def test_a_file_changed_at_the_watermark_itself_is_new_unless_its_identity_is_recent(
    landing: Path, store: Warehouse
) -> None:
    _ingest(landing, store)
    zone = normalize(landing)
    path = landing / "later.txt"
    path.write_text("Stamped with the watermark's own time.\n" * 10)
    stat = path.stat()
    cursor = landing_cursor.read(store, zone)
    assert cursor is not None
    cursor.watermark_ns = max(stat.st_mtime_ns, stat.st_ctime_ns)
    landing_cursor.write(store, cursor)
    os.utime(landing)  # its folder changed after the watermark too (creating the file came before writing it)
    assert _names(landing, store) == ["later.txt"]
    cursor.recent["later.txt"] = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
    landing_cursor.write(store, cursor)
    assert _names(landing, store) == []


def test_a_file_rewritten_in_place_in_an_old_folder_is_found_by_a_full_listing(
    landing: Path, store: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file changed more than the margin after its folder: a short margin keeps the test short.
    monkeypatch.setattr(landing_cursor, "LOCAL_MARGIN_NS", 50 * 10**6)
    (landing / "archive").mkdir()
    kept = landing / "archive" / "kept.txt"
    kept.write_text("An old snapshot.\n" * 20)
    _ingest(landing, store)
    time.sleep(0.2)
    with open(kept, "r+") as rewritten:  # same inode, same folder: only the file changes
        rewritten.write("A rewritten snapshot")
    stat = kept.stat()
    time.sleep(0.2)  # the listings below start more than the margin after the rewrite
    # Later runs moved the watermark past it (newer files elsewhere): a bounded listing skips its folder.
    cursor = landing_cursor.read(store, normalize(landing))
    assert cursor is not None and cursor.full_watermark_ns <= stat.st_mtime_ns
    cursor.watermark_ns = max(stat.st_mtime_ns, stat.st_ctime_ns) + 1
    landing_cursor.write(store, cursor)
    assert _names(landing, store) == []
    assert _names(landing, store, full_listing=True) == ["archive/kept.txt"]
    assert _ingest(landing, store, full_listing=True) == ["archive/kept.txt"]
    assert _names(landing, store, full_listing=True) == []


def test_a_refused_file_is_read_again_by_the_next_run(landing: Path, store: Warehouse) -> None:
    batch = plan_batch(landing, store)
    refused = batch.files[0].source_file
    record_batch(store, batch, NOW, snapshot_rows=1, retry=frozenset({refused}))
    assert _names(landing, store) == [refused]
    assert _ingest(landing, store) == [refused]
    assert _names(landing, store) == []  # the request is done with


def test_a_crash_before_the_cursor_moves_replans_the_same_batch(landing: Path, store: Warehouse) -> None:
    _ingest(landing, store)
    (landing / "a.txt").write_text("First new snapshot.\n" * 20)
    (landing / "b.txt").write_text("Second new snapshot.\n" * 20)
    planned = plan_batch(landing, store)  # its rows would be written here; the process dies before record_batch
    again = plan_batch(landing, store)
    assert again.key == planned.key and [f.source_file for f in again.files] == ["a.txt", "b.txt"]


def test_files_of_a_registered_batch_are_not_planned_twice(landing: Path, store: Warehouse) -> None:
    from newsetl.batches import write_manifest

    _ingest(landing, store)
    (landing / "a.txt").write_text("First new snapshot.\n" * 20)
    registered = plan_batch(landing, store)
    write_manifest(store, registered)
    assert _names(landing, store, exclude=[registered.key]) == []
    (landing / "b.txt").write_text("Second new snapshot.\n" * 20)
    assert _names(landing, store, exclude=[registered.key]) == ["b.txt"]


OLD_LANDING_FILES = pa.schema(
    [
        ("source_file", pa.string()),
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("ingested_at", pa.timestamp("us")),
        ("ctime_ns", pa.int64()),
        ("inode", pa.int64()),
    ]
)


def test_a_warehouse_on_landing_files_is_migrated_and_reads_nothing_twice(landing: Path, store: Warehouse) -> None:
    (landing / "not-ingested.txt").write_text("Never recorded.\n" * 20)
    files = {f.source_file: f for f in plan_batch(landing, store).files}
    recorded = [
        {
            "source_file": name,
            "size": f.size,
            "mtime_ns": f.mtime_ns,
            "ingested_at": NOW,
            "ctime_ns": f.ctime_ns,
            "inode": f.inode,
        }
        for name, f in files.items()
        if name != "not-ingested.txt"
    ]
    store.write_table("landing_files", pa.Table.from_pylist(recorded, schema=OLD_LANDING_FILES), "ingest_batch=old")
    # The warehouse had no cursor: the migration makes one from landing_files, then removes the table.
    assert _ingest(landing, store) == ["not-ingested.txt"]
    assert not store.exists("landing_files")
    assert _names(landing, store) == []
