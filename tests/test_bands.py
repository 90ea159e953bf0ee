"""Bounded state: exact duplicates by a join against stored snapshot ids, near-duplicates through the
persisted band table, each giving what an index of the whole history gave."""

import shutil
from datetime import datetime
from pathlib import Path

import pyarrow.compute as pc
import pytest

from newsetl import bands, silver
from newsetl.batches import PARTITION_KEY
from newsetl.bronze import KnownSnapshots, ingest_batch
from newsetl.dedupe import DuplicateFinder, from_bytes
from newsetl.landing_cursor import plan_batch
from newsetl.settings import Settings
from newsetl.storage import Warehouse
from orchestration.bench.corpus import write_landing


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """day1/: 60 snapshots; day2/: near-copies of ten of them, exact copies of two, and 20 new ones."""
    root = tmp_path_factory.mktemp("landing")
    write_landing(root / "day1", 60, html_share=0.2)
    originals = sorted((root / "day1").rglob("*.txt"))
    (root / "day2").mkdir()
    for path in originals[:10]:
        (root / "day2" / f"near-{path.name}").write_bytes(path.read_bytes() + b"\nOne more line the copy has.\n")
    for path in originals[10:12]:
        shutil.copy(path, root / "day2" / f"exact-{path.name}")
    write_landing(root / "day2" / "new", 20, seed=7, html_share=0.2)
    return root


def _batch(store: Warehouse, landing: Path, folder: str, hour: int, repeated: list | None = None) -> str:
    everything = plan_batch(landing, store)
    files = [f.source_file for f in everything.files if f.source_file.startswith(folder + "/")]
    batch = plan_batch(landing, store, only=files)
    stats = ingest_batch(store, batch, datetime(2026, 11, 1, hour))
    silver.clean_batch(store, batch.partition, settings=Settings(workers=1))
    if repeated is not None:
        repeated.extend(stats.repeated)
    return batch.partition


def _two_batches(landing: Path, root: Path, repeated: list | None = None) -> tuple[Warehouse, str, str]:
    store = Warehouse(str(root))
    first = _batch(store, landing, "day1", 10, repeated)
    second = _batch(store, landing, "day2", 11, repeated)
    return store, first, second


def _marks(store: Warehouse, partition: str) -> list[tuple[str, str | None]]:
    table = store.read_table("articles", columns=["article_id", "duplicate_of"], partition=partition)
    return list(zip(table.column("article_id").to_pylist(), table.column("duplicate_of").to_pylist(), strict=True))


def _signatures(store: Warehouse, partition: str) -> list[tuple[str, object]]:
    table = store.read_table("articles", columns=["article_id", "minhash"], partition=partition)
    return [
        (a, from_bytes(m))
        for a, m in zip(table.column("article_id").to_pylist(), table.column("minhash").to_pylist(), strict=True)
    ]


def test_near_duplicates_of_earlier_batches_are_marked_as_by_an_index_of_every_original(
    landing: Path, tmp_path: Path
) -> None:
    store, first, second = _two_batches(landing, tmp_path / "warehouse")
    # What remembering every original of the first batch, then the second's in order, gives.
    everything = DuplicateFinder()
    for article_id, duplicate_of in _marks(store, first):
        if duplicate_of is None:
            everything.remember(article_id, dict(_signatures(store, first))[article_id])
    expected = [(article_id, everything.original_of(article_id, sig)) for article_id, sig in _signatures(store, second)]
    assert _marks(store, second) == expected
    first_ids = {article_id for article_id, _ in _marks(store, first)}
    assert sum(original in first_ids for _, original in expected) >= 10


def test_a_batch_loads_only_the_originals_that_share_a_band_with_its_articles(landing: Path, tmp_path: Path) -> None:
    store, first, second = _two_batches(landing, tmp_path / "warehouse")
    own = [sig for _, sig in _signatures(store, second) if sig is not None]
    finder = bands.earlier_originals(store, second, own)
    own_buckets = {(band, bucket) for sig in own for band, bucket in enumerate(bands.buckets(sig))}
    sharing = [
        article_id
        for (article_id, duplicate_of), (_, sig) in zip(_marks(store, first), _signatures(store, first), strict=True)
        if duplicate_of is None and sig is not None and own_buckets & set(enumerate(bands.buckets(sig)))
    ]
    originals_of_first = sum(duplicate_of is None for _, duplicate_of in _marks(store, first))
    assert 10 <= len(finder) == len(sharing) < originals_of_first


def test_a_warehouse_without_the_band_table_gets_it_from_its_articles(landing: Path, tmp_path: Path) -> None:
    store, first, second = _two_batches(landing, tmp_path / "with")
    legacy = Warehouse(str(tmp_path / "legacy"))
    _batch(legacy, landing, "day1", 10)
    shutil.rmtree(tmp_path / "legacy" / bands.BANDS_TABLE)  # written before the table existed
    legacy_second = _batch(legacy, landing, "day2", 11)
    assert _marks(legacy, legacy_second) == _marks(store, second)
    rebuilt = legacy.read_table(bands.BANDS_TABLE, partition=first)
    assert rebuilt.equals(store.read_table(bands.BANDS_TABLE, partition=first))
    assert rebuilt.num_rows > 0 and rebuilt.num_rows % DuplicateFinder.BANDS == 0


def test_band_rows_go_with_their_batch(landing: Path, tmp_path: Path) -> None:
    store, first, second = _two_batches(landing, tmp_path / "warehouse")
    store.delete_partition("articles", second)
    bands.refresh(store)
    assert set(store.partitions(bands.BANDS_TABLE, PARTITION_KEY)) == {first.split("=", 1)[1]}


def test_exact_copies_in_a_later_batch_are_dropped_by_a_join_against_stored_ids(landing: Path, tmp_path: Path) -> None:
    repeated: list[tuple[str, str]] = []
    store, first, second = _two_batches(landing, tmp_path / "warehouse", repeated)
    # write_landing's own repeats aside, each exact copy of day2 names the day1 file it repeats.
    copies = sorted((copy, original) for copy, original in repeated if copy.startswith("day2/exact-"))
    assert len(copies) == 2 and all(
        original.startswith("day1/") and copy.endswith("/exact-" + Path(original).name) for copy, original in copies
    )
    ids = store.read_table("raw_snapshots", columns=["snapshot_id", "source_file"], partition=first)
    some = ids.column("snapshot_id").to_pylist()[:3]
    # Asked from the first batch itself (being ingested again), its own rows are not "elsewhere".
    assert KnownSnapshots(store, first).lookup(some) == {}
    elsewhere = KnownSnapshots(store, second).lookup(some + ["not-a-snapshot"])
    assert elsewhere == {i: f for i, f in zip(some, ids.column("source_file").to_pylist()[:3], strict=True)}
    raw = store.read_table("raw_snapshots", columns=["snapshot_id"])
    assert pc.count_distinct(raw["snapshot_id"]).as_py() == raw.num_rows > 60
