"""`newsetl run` with nothing new answers without Dagster, and only when the warehouse is settled."""

import shutil
import time
from pathlib import Path

import dagster as dg
import pytest

from newsetl import code_versions, config, landing_cursor, settled
from newsetl.batches import Batch, LandingEntry, write_manifest
from newsetl.landing_zones import normalize
from newsetl.storage import Warehouse
from newsetl.writer_lock import LOCK_FILE
from orchestration.cli import main

FAST = "this run:     nothing new; the warehouse is current"


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    shutil.copytree(config.SAMPLES_LANDING, folder)
    return folder


def _run(landing: Path, warehouse: Path, capsys: pytest.CaptureFixture, *extra: str) -> str:
    assert (
        main(["run", "--quiet", "--no-reports", "--landing", str(landing), "--warehouse", str(warehouse), *extra]) == 0
    )
    return capsys.readouterr().out


def _dagster_runs(home: Path) -> int:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return len(instance.get_run_records())


def _files(warehouse: Path) -> dict[str, int]:
    """Every file's mtime, but the writer lock's, which names the process that last held it."""
    return {
        str(p.relative_to(warehouse)): p.stat().st_mtime_ns
        for p in warehouse.rglob("*")
        if p.is_file() and p.name != LOCK_FILE
    }


@pytest.fixture
def settled_warehouse(
    landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> Path:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    warehouse = tmp_path / "wh"
    assert FAST not in _run(landing, warehouse, capsys)
    assert settled.read(Warehouse(str(warehouse))) is not None
    return warehouse


def test_a_second_run_with_nothing_new_starts_no_dagster_run_and_writes_nothing(
    settled_warehouse: Path, landing: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    runs, files = _dagster_runs(tmp_path / "home"), _files(settled_warehouse)
    out = _run(landing, settled_warehouse, capsys)
    assert FAST in out
    assert "in total:     2 snapshots, 2 articles (0 near-duplicates), 0 rejected" in out
    assert _dagster_runs(tmp_path / "home") == runs
    assert _files(settled_warehouse) == files


def test_a_new_file_takes_the_full_path_and_settles_again(
    settled_warehouse: Path, landing: Path, capsys: pytest.CaptureFixture
) -> None:
    (landing / "late.txt").write_text("Late story\n\nA paragraph about Kenya and Peru.\n", encoding="utf-8")
    out = _run(landing, settled_warehouse, capsys)
    assert FAST not in out
    assert "this run:     1 new file" in out
    assert FAST in _run(landing, settled_warehouse, capsys)


def test_a_registered_batch_unsettles_the_warehouse(
    settled_warehouse: Path, landing: Path, capsys: pytest.CaptureFixture
) -> None:
    store = Warehouse(str(settled_warehouse))
    write_manifest(store, Batch("20260101T000000-0000000000", [], [LandingEntry("x.txt", 1, 1)], []))
    assert settled.read(store) is None


def test_any_table_write_or_partition_delete_unsettles_the_warehouse(settled_warehouse: Path) -> None:
    store = Warehouse(str(settled_warehouse))
    landing = settled.read(store).landing
    with store.table_writer("dim_country"):
        pass
    assert settled.read(store) is None
    settled.mark(store, landing)
    store.delete_partition("articles", "ingest_batch=none")
    assert settled.read(store) is None


def test_an_upgrade_a_missing_catalog_or_reprocess_takes_the_full_path(
    settled_warehouse: Path, landing: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    store = Warehouse(str(settled_warehouse))
    with monkeypatch.context() as upgraded:
        upgraded.setattr(code_versions, "EXTRACT", code_versions.EXTRACT + "-next")
        assert not settled.is_settled(store, settled.read(store).landing, reports_wanted=False)
    Path(store.catalog_path()).unlink()
    assert FAST not in _run(landing, settled_warehouse, capsys)
    assert Path(store.catalog_path()).exists()
    assert FAST not in _run(landing, settled_warehouse, capsys, "--reprocess")
    assert FAST in _run(landing, settled_warehouse, capsys)


def test_reports_wanted_but_never_drawn_are_drawn_by_the_full_path(settled_warehouse: Path) -> None:
    store = Warehouse(str(settled_warehouse))
    marker = settled.read(store)
    assert not marker.reports_drawn  # the fixture's run had --no-reports
    assert settled.is_settled(store, marker.landing, reports_wanted=False)
    assert not settled.is_settled(store, marker.landing, reports_wanted=True)
    settled.note_reports_drawn(store)
    assert settled.is_settled(store, marker.landing, reports_wanted=True)


def test_a_marker_of_another_landing_zone_or_form_does_not_count(settled_warehouse: Path, tmp_path: Path) -> None:
    store = Warehouse(str(settled_warehouse))
    assert not settled.is_settled(store, str(tmp_path / "elsewhere"), reports_wanted=False)
    store.write_state("settled.json", b'{"old": "form"}')
    assert settled.read(store) is None


def _rewrite_in_place(path: Path, text: str) -> None:
    """New bytes in the same file: the file's mtime and ctime change, its folder's do not."""
    with path.open("r+", encoding="utf-8") as stream:
        stream.truncate(0)
        stream.write(text)


def _move_watermark(store: Warehouse, landing: Path, watermark_ns: int) -> None:
    """Set the landing cursor's watermark (a state file: the warehouse stays settled)."""
    cursor = landing_cursor.read(store, normalize(landing))
    assert cursor is not None
    cursor.watermark_ns, cursor.recent = watermark_ns, {}
    landing_cursor.write(store, cursor)


def test_only_folders_changed_since_the_landing_cursor_s_watermark_are_looked_at(
    settled_warehouse: Path, landing: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A full listing takes a file changed more than the margin after its folder: a short one keeps it short.
    monkeypatch.setattr(landing_cursor, "LOCAL_MARGIN_NS", 50 * 10**6)
    store = Warehouse(str(settled_warehouse))
    # As if the landing cursor's watermark were past every folder's last change (in the test they are all
    # younger than its margin): the check then looks at no file.
    _move_watermark(store, landing, time.time_ns() + 1_000_000_000)
    rewritten = sorted(p for p in landing.rglob("*.txt"))[0]
    _rewrite_in_place(rewritten, "Rewritten story\n\nA paragraph about Chile and Nepal, written again in place.\n")
    assert FAST in _run(landing, settled_warehouse, capsys)
    out = _run(landing, settled_warehouse, capsys, "--full-listing")
    assert FAST not in out
    assert "this run:     1 new file" in out


def test_a_file_added_to_an_old_folder_is_seen_by_the_bounded_check(
    settled_warehouse: Path, landing: Path, capsys: pytest.CaptureFixture
) -> None:
    store = Warehouse(str(settled_warehouse))
    folder = sorted(p.parent for p in landing.rglob("*.txt"))[-1]
    bound = time.time_ns() + 1_000_000_000
    _move_watermark(store, landing, bound)
    time.sleep(max(0, bound - time.time_ns()) / 1e9 + 0.05)
    (folder / "later.txt").write_text("Later story\n\nA paragraph about Kenya and Peru.\n", encoding="utf-8")
    out = _run(landing, settled_warehouse, capsys)
    assert FAST not in out
    assert "this run:     1 new file" in out
