"""The DuckDB catalog: relocatable with its warehouse folder, verified before it replaces the old one."""

import errno
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsetl import catalog as catalog_module
from newsetl import config
from newsetl.catalog import FOLDER_VARIABLE, CatalogInvalid, build_catalog
from newsetl.query import run_query
from newsetl.storage import Warehouse
from orchestration.cli import main

# `newsetl` as a user types it, but this checkout's code: the venv's entry point may be another checkout's.
NEWSETL = [sys.executable, "-m", "orchestration.cli"]


def run_pipeline(warehouse: Path, home: Path) -> None:
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(home))
    try:
        assert main(["run", "--quiet", "--landing", str(config.SAMPLES_LANDING), "--warehouse", str(warehouse)]) == 0
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("catalog")
    run_pipeline(root / "warehouse", root / "home")
    return root / "warehouse"


def _views(catalog: Path) -> list[str]:
    with duckdb.connect(str(catalog), read_only=True) as connection:
        return [name for (name,) in connection.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]


def _count_every_view(warehouse: Warehouse) -> dict[str, int]:
    views = _views(Path(warehouse.catalog_path()))
    return {view: run_query(warehouse, f"SELECT count(*) FROM {view}").rows[0][0] for view in views}


def test_the_catalog_holds_no_absolute_path(built: Path) -> None:
    with duckdb.connect(str(built / "warehouse.duckdb"), read_only=True) as connection:
        definitions = " ".join(sql for (sql,) in connection.execute("SELECT sql FROM duckdb_views() WHERE NOT internal").fetchall())
    assert "_snapshots/" in definitions
    assert str(built) not in definitions and str(built.parent) not in definitions


def test_a_copied_warehouse_answers_every_view_after_the_original_is_deleted(built: Path, tmp_path: Path) -> None:
    original = tmp_path / "original"
    shutil.copytree(built, original)
    expected = _count_every_view(Warehouse(str(original)))
    assert expected["articles"] == 2 and {"mention_details", "fact_country_mention"} <= set(expected)

    moved = tmp_path / "elsewhere" / "moved warehouse"
    shutil.copytree(original, moved)
    shutil.rmtree(original)
    assert _count_every_view(Warehouse(str(moved))) == expected

    # The command as a user types it, from an unrelated working directory.
    completed = subprocess.run(
        [*NEWSETL, "query", "--warehouse", str(moved), "SELECT count(*) AS n FROM mention_details", "--format", "json"],
        cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(config.PROJECT_ROOT)), capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == [{"n": expected["mention_details"]}]


def test_a_plain_duckdb_client_reads_the_catalog_as_the_readme_says(built: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(built, moved)
    catalog = str(moved / "warehouse.duckdb")
    # With the warehouse folder as working directory (a fresh process: the working directory is process-wide).
    script = "import duckdb; print(duckdb.connect('warehouse.duckdb', read_only=True).execute('SELECT count(*) FROM articles').fetchone()[0])"
    completed = subprocess.run([sys.executable, "-c", script], cwd=moved, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "2"
    # From anywhere, with the variable set.
    with duckdb.connect(catalog, read_only=True) as connection:
        with pytest.raises(duckdb.IOException):
            connection.execute("SELECT count(*) FROM articles").fetchone()
        connection.execute(f"SET VARIABLE {FOLDER_VARIABLE} = '{moved}'")
        assert connection.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def _copy(built: Path, tmp_path: Path) -> tuple[Warehouse, Path, bytes]:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(built, warehouse)
    catalog = warehouse / "warehouse.duckdb"
    return Warehouse(str(warehouse)), catalog, catalog.read_bytes()


def _assert_old_catalog_kept(store: Warehouse, catalog: Path, before: bytes, snapshots_before: list[str]) -> None:
    assert catalog.read_bytes() == before
    assert run_query(store, "SELECT count(*) FROM articles").rows == [(2,)]
    assert not [p.name for p in catalog.parent.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]
    assert sorted(p.name for p in (catalog.parent / "_snapshots").iterdir()) == snapshots_before


def test_a_disk_full_mid_build_leaves_the_old_catalog(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, catalog, before = _copy(built, tmp_path)
    snapshots_before = sorted(p.name for p in (catalog.parent / "_snapshots").iterdir())
    real_view_sql, calls = catalog_module.view_sql, []

    def failing_view_sql(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_view_sql(*args, **kwargs)

    monkeypatch.setattr(catalog_module, "view_sql", failing_view_sql)
    with pytest.raises(OSError, match="No space"):
        build_catalog(store)
    _assert_old_catalog_kept(store, catalog, before, snapshots_before)


def test_a_view_that_fails_to_query_leaves_the_old_catalog(built: Path, tmp_path: Path) -> None:
    store, catalog, before = _copy(built, tmp_path)
    snapshots_before = sorted(p.name for p in (catalog.parent / "_snapshots").iterdir())
    sql_dir = tmp_path / "sql"
    shutil.copytree(config.SQL_DIR / "views", sql_dir / "views")
    # Binds when created; fails only when a row is read (titles are not numbers).
    (sql_dir / "views" / "zz_broken.sql").write_text("CREATE VIEW zz_broken AS SELECT CAST(title AS INTEGER) AS n FROM articles")
    with pytest.raises(CatalogInvalid, match="zz_broken"):
        build_catalog(store, sql_dir=sql_dir)
    _assert_old_catalog_kept(store, catalog, before, snapshots_before)
    # The same build without the broken view goes through.
    (sql_dir / "views" / "zz_broken.sql").unlink()
    assert "mention_details" in build_catalog(store, sql_dir=sql_dir)[1]


def test_a_stale_wal_beside_the_catalog_is_moved_aside_with_a_warning(built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store, catalog, _ = _copy(built, tmp_path)
    stale = catalog.with_name("warehouse.duckdb.wal")
    stale.write_bytes(b"a WAL a crashed read-write client left")
    with caplog.at_level(logging.WARNING, logger="newsetl.catalog"):
        build_catalog(store)
    assert not stale.exists()
    [aside] = catalog.parent.glob("warehouse.duckdb.wal.stale-*")
    assert aside.read_bytes() == b"a WAL a crashed read-write client left"
    assert "stale" in caplog.text and "read-only" in caplog.text
    assert run_query(store, "SELECT count(*) FROM articles").rows == [(2,)]
