"""The records each stage passes on are the rows of the declared tables: same names, types that fit.

A record whose fields drift from schemas.py (a column added to one and not the other, a renamed field,
a value of another type) fails here rather than writing NULLs or failing mid-run.
"""

from datetime import datetime

import pyarrow as pa
import pytest

from newsetl import schemas
from newsetl.landing import RawSnapshot

SNAPSHOTS = [
    RawSnapshot(
        "crawl.warc#2",
        "warc",
        "html",
        "<p>Bonjour à tous</p>".encode(),
        url="https://example.org/a",
        fetched_at=datetime(2026, 3, 1, 12, 30, 5, 250000),
        ingested_at=datetime(2026, 3, 2),
    ),
    RawSnapshot("broken.txt.gz", "text", "text", b"", read_error="truncated compressed file"),
]


def _through_arrow(row: dict, schema: pa.Schema) -> dict:
    """The row written to an Arrow table of the declared schema and read back."""
    (back,) = pa.Table.from_pylist([row], schema=schema).to_pylist()
    return back


def test_a_raw_snapshot_row_has_exactly_the_declared_columns() -> None:
    for snapshot in SNAPSHOTS:
        assert set(snapshot.to_row()) == set(schemas.RAW_SNAPSHOTS.names)


@pytest.mark.parametrize("snapshot", SNAPSHOTS, ids=lambda s: s.source_file)
def test_a_raw_snapshot_survives_the_table_and_back(snapshot: RawSnapshot) -> None:
    back = RawSnapshot.from_row(_through_arrow(snapshot.to_row(), schemas.RAW_SNAPSHOTS))
    assert back == snapshot
    assert back.to_row()["byte_size"] == len(snapshot.content)


def test_the_id_is_the_content_hash_and_a_stored_id_is_kept() -> None:
    same_bytes = RawSnapshot("other/name.html", "html", "html", SNAPSHOTS[0].content)
    assert same_bytes.snapshot_id == SNAPSHOTS[0].snapshot_id
    # An unreadable file has no bytes to hash: its id names the file.
    assert RawSnapshot("a.txt", "text", "text", b"", read_error="x").snapshot_id != SNAPSHOTS[1].snapshot_id
    row = SNAPSHOTS[0].to_row() | {"snapshot_id": "stored"}
    assert RawSnapshot.from_row(row).snapshot_id == "stored"  # read back, not hashed again
