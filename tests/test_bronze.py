"""Reading one ingest batch into raw_snapshots: worker processes change how fast, never what is written."""

import json
import shutil
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as ds

from newsetl import bronze
from newsetl.landing_cursor import plan_batch
from newsetl.settings import Settings, Tuning
from newsetl.storage import Warehouse
from orchestration.bench.corpus import write_landing

_COLUMNS = [
    "snapshot_id",
    "source_file",
    "format",
    "content_type",
    "byte_size",
    "ingested_at",
    "url",
    "fetched_at",
    "read_error",
    "content",
]


def _ingest(landing: Path, root: Path, settings: Settings) -> tuple[bronze.BronzeStats, list[dict]]:
    store = Warehouse(str(root))
    stats = bronze.ingest_batch(store, plan_batch(landing, store), datetime(2026, 11, 1, 12), settings=settings)
    rows = ds.dataset(root / "raw_snapshots", format="parquet", partitioning="hive").to_table(columns=_COLUMNS)
    return stats, rows.sort_by("source_file").to_pylist()


def test_workers_write_the_same_raw_snapshots_as_one_process(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    write_landing(landing, 60, html_share=0.3)
    names = sorted(landing.rglob("*.txt"))
    for path in names[:5]:  # identical bytes under another name: only the first file in listing order keeps them
        shutil.copy(path, path.with_name("zz-" + path.name))
    (landing / "broken.html.gz").write_bytes(b"\x1f\x8b\x08\x00 not gzip")
    (landing / "empty.warc").write_bytes(b"")
    (landing / "m" / "export.jsonl").parent.mkdir()
    (landing / "m" / "export.jsonl").write_text(
        "".join(
            json.dumps({"url": f"https://x.example/{n}", "text": f"Story {n}\n\nBody {n}"}) + "\n" for n in range(10)
        )
    )

    serial, serial_rows = _ingest(landing, tmp_path / "serial", Settings(workers=1))
    # Many chunks, so that they could finish out of order.
    tuning = Tuning(bronze_parallel_threshold=0, bronze_chunk_rows=4)
    parallel, parallel_rows = _ingest(landing, tmp_path / "parallel", Settings(workers=2, tuning=tuning))

    assert len(serial.repeated) == 5 and serial.formats["warc"] == 1 and serial.formats["jsonl"] == 10
    assert (parallel.snapshots, parallel.bytes, parallel.formats) == (serial.snapshots, serial.bytes, serial.formats)
    assert sorted(parallel.repeated) == sorted(serial.repeated)
    assert parallel_rows == serial_rows
    assert [row["read_error"] is not None for row in serial_rows].count(True) == 2


def test_a_container_streams_in_bounded_batches(tmp_path: Path) -> None:
    from newsetl.landing import discover

    (tmp_path / "export.jsonl").write_text(
        "".join(json.dumps({"text": f"Story {n} " + "x" * 100}) + "\n" for n in range(10))
    )
    (tmp_path / "page.txt").write_text("A page")
    four_rows = Settings(tuning=Tuning(bronze_chunk_rows=4))
    batches = list(bronze.stream_files(discover(tmp_path)[0], four_rows))
    assert [rows.num_rows for rows, _ in batches] == [4, 4, 3]
    assert sum(finished for _, finished in batches) == 2  # files, each counted once it is read whole
    and_250_bytes = Settings(tuning=Tuning(bronze_chunk_rows=4, bronze_chunk_bytes=250))
    assert [rows.num_rows for rows, _ in bronze.stream_files(discover(tmp_path)[0], and_250_bytes)] == [3, 3, 3, 2]
