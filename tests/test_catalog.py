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
from newsetl import config, freezes
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
        return [
            name for (name,) in connection.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        ]


def _count_every_view(warehouse: Warehouse) -> dict[str, int]:
    views = _views(Path(warehouse.catalog_path()))
    return {view: run_query(warehouse, f"SELECT count(*) FROM {view}").rows[0][0] for view in views}


def test_the_catalog_holds_no_absolute_path(built: Path) -> None:
    with duckdb.connect(str(built / "warehouse.duckdb"), read_only=True) as connection:
        definitions = " ".join(
            sql for (sql,) in connection.execute("SELECT sql FROM duckdb_views() WHERE NOT internal").fetchall()
        )
    assert "_frozen/" in definitions
    assert str(built) not in definitions and str(built.parent) not in definitions


def _newsetl_query(warehouse: Path, sql: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command as a user types it (this checkout's code), from an unrelated working directory."""
    return subprocess.run(
        [*NEWSETL, "query", "--warehouse", str(warehouse), sql, "--format", "json"],
        cwd=cwd, env=dict(os.environ, PYTHONPATH=str(config.PROJECT_ROOT)), capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_copied_warehouse_answers_every_view_after_the_original_is_renamed_away(built: Path, tmp_path: Path) -> None:
    original = tmp_path / "original"
    shutil.copytree(built, original)
    expected = _count_every_view(Warehouse(str(original)))
    assert expected["articles"] == 2 and {"mention_details", "fact_country_mention"} <= set(expected)

    moved = tmp_path / "elsewhere" / "moved warehouse"
    shutil.copytree(original, moved)
    original.rename(tmp_path / "renamed away")  # nothing may still be read from where it was built
    assert _count_every_view(Warehouse(str(moved))) == expected

    completed = _newsetl_query(moved, "SELECT count(*) AS n FROM mention_details", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout) == [{"n": expected["mention_details"]}]


def test_a_read_outside_the_moved_warehouse_is_refused_naming_the_path(built: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(built, moved)
    outside = tmp_path / "beside.csv"
    outside.write_text("a\n1\n")
    completed = _newsetl_query(moved, f"SELECT * FROM read_csv('{outside}')", cwd=tmp_path)
    assert completed.returncode == 2
    assert "outside the warehouse" in completed.stderr and str(outside) in completed.stderr
    assert completed.stderr.strip().count("\n") == 0


def _plain_count(catalog: Path, cwd: Path, setup: str = "", options: dict | None = None) -> subprocess.CompletedProcess:
    """`SELECT count(*) FROM articles` from a DuckDB client that knows nothing of newsetl, in a fresh
    process (the working directory is process-wide)."""
    script = (
        "import duckdb\n"
        f"connection = duckdb.connect({str(catalog)!r}, read_only=True, config={options or {}!r})\n"
        f"{setup}\n"
        "print(connection.execute('SELECT count(*) FROM articles').fetchone()[0])\n"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_a_plain_duckdb_client_reads_the_catalog_the_ways_the_readme_gives(built: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(built, moved)
    catalog = moved / "warehouse.duckdb"
    ways = {
        "the warehouse folder as working directory": _plain_count(Path("warehouse.duckdb"), cwd=moved),
        "file_search_path as a connection option": _plain_count(
            catalog, cwd=tmp_path, options={"file_search_path": str(moved)}
        ),
        "SET file_search_path": _plain_count(
            catalog, cwd=tmp_path, setup=f"connection.execute(\"SET file_search_path = '{moved}'\")"
        ),
        "SET VARIABLE newsetl_warehouse": _plain_count(
            catalog, cwd=tmp_path, setup=f"connection.execute(\"SET VARIABLE {FOLDER_VARIABLE} = '{moved}'\")"
        ),
    }
    for way, completed in ways.items():
        assert completed.returncode == 0 and completed.stdout.strip() == "2", (way, completed.stderr)
    # None of them: the error names the relative pattern it looked for.
    lost = _plain_count(catalog, cwd=tmp_path)
    assert lost.returncode != 0 and "No files found that match the pattern" in lost.stderr and "_frozen/" in lost.stderr


def test_prune_keeps_replaced_freezes_for_max_age(tmp_path: Path) -> None:
    folder = tmp_path / freezes.FROZEN_DIR
    replaced_at = {"a": 1000.0, "b": 5000.0, "c": 8000.0, "d": 9000.0}  # when each one's catalog went in
    for name, stamp in replaced_at.items():
        (folder / name).mkdir(parents=True)
        os.utime(folder / name, (stamp, stamp))
    (folder / ".e.partial").mkdir()  # a freeze killed halfway
    # At 9500 with an hour's grace: "a" was replaced at 5000 (by "b"), 4500 s ago: gone, with the
    # partial one. "b" was replaced at 8000, 1500 s ago, and may still have a reader: kept, as are
    # "c" and "d" (current).
    assert freezes.prune(tmp_path, 3600, current="d", now=9500) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["b", "c", "d"]
    assert freezes.prune(tmp_path, 0, current="d", now=9500) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["d"]


def test_prune_empties_the_legacy_folder_once_its_catalogs_were_replaced_for_max_age(tmp_path: Path) -> None:
    # A warehouse written before freezes had their own name kept them in `_snapshots/`; the first
    # freeze in `_frozen/` replaced all of them when its catalog went in.
    legacy = tmp_path / freezes.LEGACY_FROZEN_DIR / "old"
    legacy.mkdir(parents=True)
    (tmp_path / freezes.FROZEN_DIR / "new").mkdir(parents=True)
    os.utime(tmp_path / freezes.FROZEN_DIR / "new", (9000.0, 9000.0))
    assert freezes.prune(tmp_path, 3600, current="new", now=9500) == 0
    assert legacy.is_dir()  # a reader of the old catalog may still hold it
    assert freezes.prune(tmp_path, 3600, current="new", now=13000) == 1
    assert not (tmp_path / freezes.LEGACY_FROZEN_DIR).exists()
    assert [p.name for p in (tmp_path / freezes.FROZEN_DIR).iterdir()] == ["new"]


def _copy(built: Path, tmp_path: Path) -> tuple[Warehouse, Path, bytes]:
    warehouse = tmp_path / "warehouse"
    shutil.copytree(built, warehouse)
    catalog = warehouse / "warehouse.duckdb"
    return Warehouse(str(warehouse)), catalog, catalog.read_bytes()


def _assert_old_catalog_kept(store: Warehouse, catalog: Path, before: bytes, freezes_before: list[str]) -> None:
    assert catalog.read_bytes() == before
    assert run_query(store, "SELECT count(*) FROM articles").rows == [(2,)]
    assert not [p.name for p in catalog.parent.iterdir() if p.name.endswith((".tmp", ".tmp.wal"))]
    assert sorted(p.name for p in (catalog.parent / freezes.FROZEN_DIR).iterdir()) == freezes_before


def test_a_disk_full_mid_build_leaves_the_old_catalog(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, catalog, before = _copy(built, tmp_path)
    freezes_before = sorted(p.name for p in (catalog.parent / freezes.FROZEN_DIR).iterdir())
    real_view_sql, calls = catalog_module.view_sql, []

    def failing_view_sql(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_view_sql(*args, **kwargs)

    monkeypatch.setattr(catalog_module, "view_sql", failing_view_sql)
    with pytest.raises(OSError, match="No space"):
        build_catalog(store)
    _assert_old_catalog_kept(store, catalog, before, freezes_before)


def test_a_view_that_fails_to_query_leaves_the_old_catalog(built: Path, tmp_path: Path) -> None:
    store, catalog, before = _copy(built, tmp_path)
    freezes_before = sorted(p.name for p in (catalog.parent / freezes.FROZEN_DIR).iterdir())
    sql_dir = tmp_path / "sql"
    shutil.copytree(config.SQL_DIR / "views", sql_dir / "views")
    # Binds when created; fails only when a row is read (titles are not numbers).
    (sql_dir / "views" / "zz_broken.sql").write_text(
        "CREATE VIEW zz_broken AS SELECT CAST(title AS INTEGER) AS n FROM articles"
    )
    with pytest.raises(CatalogInvalid, match="zz_broken"):
        build_catalog(store, sql_dir=sql_dir)
    _assert_old_catalog_kept(store, catalog, before, freezes_before)
    # The same build without the broken view goes through.
    (sql_dir / "views" / "zz_broken.sql").unlink()
    assert "mention_details" in build_catalog(store, sql_dir=sql_dir)[1]


def test_a_stale_wal_beside_the_catalog_is_moved_aside_with_a_warning(
    built: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
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
