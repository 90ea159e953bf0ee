"""Change detection: a file rewritten in place with its size and mtime put back is read again, a file
refused for want of permission is retried on the next run, and an unchanged landing zone plans nothing."""

import os
from datetime import datetime
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsetl import config
from newsetl import landing as landing_module
from newsetl.bronze import ingest_batch
from newsetl.landing_cursor import plan_batch
from newsetl.storage import Warehouse

SEED = (config.SAMPLES_LANDING / "004_a8e61c68e45d245b.txt").read_bytes()


def _contents(root: Path) -> list[tuple[str, bytes, str | None]]:
    rows = ds.dataset(root / "raw_snapshots", format="parquet", partitioning="hive").to_table(
        columns=["source_file", "content", "read_error"]
    )
    return sorted((r["source_file"], r["content"], r["read_error"]) for r in rows.to_pylist())


def _ingest(landing: Path, store: Warehouse, hour: int) -> list[str]:
    batch = plan_batch(landing, store)
    ingest_batch(store, batch, datetime(2026, 11, 1, hour))
    return [f.source_file for f in batch.files]


def test_a_file_rewritten_with_the_same_size_and_mtime_is_read_again(tmp_path: Path) -> None:
    landing, store = tmp_path / "landing", Warehouse(str(tmp_path / "warehouse"))
    landing.mkdir()
    page = landing / "page.txt"
    page.write_bytes(SEED)
    (landing / "other.txt").write_bytes(SEED + b"\nanother page")
    assert _ingest(landing, store, 1) == ["other.txt", "page.txt"]
    assert plan_batch(landing, store).files == []  # nothing changed: nothing planned
    before = os.stat(page)
    rewritten = SEED.replace(b"Putin", b"PUTIN")
    assert len(rewritten) == len(SEED) and rewritten != SEED
    page.write_bytes(rewritten)
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (os.stat(page).st_size, os.stat(page).st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _ingest(landing, store, 2) == ["page.txt"]
    assert [content for name, content, _ in _contents(tmp_path / "warehouse") if name == "page.txt"] == sorted(
        [SEED, rewritten]
    )
    assert plan_batch(landing, store).files == []


def test_a_file_refused_for_permission_is_retried_on_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, store = tmp_path / "landing", Warehouse(str(tmp_path / "warehouse"))
    landing.mkdir()
    (landing / "locked.txt").write_bytes(SEED)
    (landing / "open.txt").write_bytes(SEED + b"\nanother page")
    open_raw = landing_module._open_raw

    def refuse_locked(file):
        # Tests run as root, whom chmod 000 does not stop: the refusal is simulated where the file is opened.
        if file.source_file == "locked.txt":
            raise PermissionError(13, "Permission denied", str(file.path))
        return open_raw(file)

    monkeypatch.setattr(landing_module, "_open_raw", refuse_locked)
    assert _ingest(landing, store, 1) == ["locked.txt", "open.txt"]
    assert ("locked.txt", b"", "unreadable: permission denied") in _contents(tmp_path / "warehouse")
    monkeypatch.setattr(landing_module, "_open_raw", open_raw)
    assert _ingest(landing, store, 2) == ["locked.txt"]
    assert ("locked.txt", SEED, None) in _contents(tmp_path / "warehouse")
    assert plan_batch(landing, store).files == []
