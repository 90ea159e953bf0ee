from pathlib import Path

import pyarrow as pa

from newsetl.storage import Warehouse


def _table(values: list[int]) -> pa.Table:
    return pa.table({"n": pa.array(values, pa.int64())})


def test_write_replaces_the_table_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    store = Warehouse(str(tmp_path))
    store.write_table("numbers", _table([1, 2]))
    store.write_table("numbers", _table([3]))
    assert store.read_table("numbers").column("n").to_pylist() == [3]
    assert sorted(p.name for p in (tmp_path / "numbers").iterdir()) == ["part-0.parquet"]


def test_partition_write_is_delete_then_insert(tmp_path: Path) -> None:
    store = Warehouse(str(tmp_path))
    store.write_table("numbers", _table([1]), partition="batch=a")
    store.write_table("numbers", _table([2]), partition="batch=b")
    store.write_table("numbers", _table([3, 4]), partition="batch=a")
    assert sorted(store.read_table("numbers").column("n").to_pylist()) == [2, 3, 4]


def test_a_stale_temporary_is_never_read(tmp_path: Path) -> None:
    store = Warehouse(str(tmp_path))
    store.write_table("numbers", _table([1]))
    (tmp_path / "numbers" / ".abandoned.tmp").write_bytes(b"half a parquet file")
    assert store.read_table("numbers").column("n").to_pylist() == [1]


def test_missing_contract_table_reads_as_empty_with_its_schema(tmp_path: Path) -> None:
    table = Warehouse(str(tmp_path)).read_table("articles")
    assert table.num_rows == 0 and "article_id" in table.column_names


def test_a_killed_writers_temporary_is_removed_by_the_next_write_of_that_file(tmp_path: Path) -> None:
    store = Warehouse(str(tmp_path))
    store.write_table("numbers", _table([1]), partition="batch=a")
    leftover = tmp_path / "numbers" / "batch=a" / ".dead-writer.tmp"
    leftover.write_bytes(b"half")
    store.write_table("numbers", _table([2]), partition="batch=a")
    assert not leftover.exists()
    assert store.read_table("numbers").column("n").to_pylist() == [2]


def test_null_counts_come_from_the_footers(tmp_path: Path) -> None:
    store = Warehouse(str(tmp_path))
    store.write_table("pairs", pa.table({"a": [1, None, 3], "b": ["x", None, None]}), partition="batch=1")
    store.write_table("pairs", pa.table({"a": pa.array([None], pa.int64()), "b": ["y"]}), partition="batch=2")
    assert store.null_counts("pairs", ["a", "b"]) == {"a": 1 + 1, "b": 2}
    assert store.null_counts("pairs", ["missing"]) is None
