"""Cleaning one ingest batch: worker processes change how fast, never what is written."""

import shutil
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsetl import silver
from newsetl.batches import PARTITION_KEY
from newsetl.bronze import ingest_batch
from newsetl.landing_cursor import plan_batch
from newsetl.settings import Settings, Tuning
from newsetl.storage import Warehouse
from orchestration.bench.corpus import write_landing

_COMPARED = [
    "article_id",
    "title",
    "body",
    "language",
    "published_at",
    "source_name",
    "countries",
    "duplicate_of",
    "minhash",
]


def _ingested(landing: Path, root: Path) -> tuple[Warehouse, str]:
    store = Warehouse(str(root))
    batch = plan_batch(landing, store)
    ingest_batch(store, batch, datetime(2026, 11, 1, 12))
    return store, f"{PARTITION_KEY}={batch.key}"


def _table(root: Path, table: str, columns: list[str], key: str) -> list[dict]:
    data = ds.dataset(root / table, format="parquet", partitioning="hive").to_table(columns=columns)
    return data.sort_by(key).to_pylist()


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("landing")
    write_landing(root, 90, html_share=0.2)
    # Copies under other names: the near-duplicate marks depend on the order chunks are collected in.
    for path in sorted(root.rglob("*.txt"))[:10]:
        shutil.copy(path, path.with_name("copy-" + path.name))
        with path.with_name("copy-" + path.name).open("ab") as handle:
            handle.write(b"\nOne more line the copy has.\n")
    (root / "empty.txt").write_bytes(b"")
    return root


def test_workers_write_the_same_tables_as_one_process(landing: Path, tmp_path: Path) -> None:
    serial_store, partition = _ingested(landing, tmp_path / "serial")
    serial = silver.clean_batch(serial_store, partition, settings=Settings(workers=1))

    # Many small chunks, so that they finish out of order.
    tuning = Tuning(silver_parallel_threshold=0, silver_task_rows=7)
    parallel_store, partition = _ingested(landing, tmp_path / "parallel")
    parallel = silver.clean_batch(parallel_store, partition, settings=Settings(workers=2, tuning=tuning))

    assert serial.articles > 80 and serial.duplicates >= 10 and serial.rejected >= 1
    assert (parallel.articles, parallel.rejected, parallel.duplicates) == (
        serial.articles,
        serial.rejected,
        serial.duplicates,
    )
    assert parallel.languages == serial.languages and parallel.reasons == serial.reasons
    for table, columns, key in (
        ("articles", _COMPARED, "article_id"),
        ("rejected_snapshots", ["snapshot_id", "source_file", "reason", "stage"], "snapshot_id"),
    ):
        assert _table(tmp_path / "parallel", table, columns, key) == _table(tmp_path / "serial", table, columns, key)


def test_every_snapshot_of_the_batch_is_an_article_or_a_rejection(landing: Path, tmp_path: Path) -> None:
    store, partition = _ingested(landing, tmp_path / "warehouse")
    stats = silver.clean_batch(store, partition, settings=Settings(workers=1))
    raw = _table(tmp_path / "warehouse", "raw_snapshots", ["snapshot_id"], "snapshot_id")
    articles = _table(tmp_path / "warehouse", "articles", ["snapshot_id"], "snapshot_id")
    rejected = _table(tmp_path / "warehouse", "rejected_snapshots", ["snapshot_id"], "snapshot_id")
    assert stats.snapshots == len(raw) == len(articles) + len(rejected)
    assert {r["snapshot_id"] for r in raw} == {r["snapshot_id"] for r in articles} | {
        r["snapshot_id"] for r in rejected
    }


def test_each_site_learns_its_repeated_lines_from_its_first_pages(tmp_path: Path) -> None:
    import json

    landing = tmp_path / "landing"
    landing.mkdir()
    for number in range(12):
        for site in ("a.example", "b.example"):
            footer = "Early footer of this site" if number < 4 else "Later footer of this site"
            headline = "Headline " + "about " * number + site  # digits would normalize alike
            text = f"{headline}\n\nStory of {site} " + "words " * number + f"\n\n{footer} {site}\n"
            record = {"url": f"https://{site}/story/{number}", "text": text}
            (landing / f"{number:02d}-{site}.jsonl").write_text(json.dumps(record) + "\n")
    store, partition = _ingested(landing, tmp_path / "warehouse")
    learned = silver._boilerplate(store, partition, sample_per_domain=4)
    assert learned == {
        "a.example": frozenset({"early footer of this site a.example"}),
        "b.example": frozenset({"early footer of this site b.example"}),
    }
