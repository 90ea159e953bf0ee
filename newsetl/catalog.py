"""The DuckDB catalog: one view per warehouse table, plus the views in sql/views/.

The catalog is built in a temporary file and renamed into place, and nothing holds it open:
DuckDB locks a database file against every other process while one writes it. Its views read a
frozen snapshot of the table files (newsetl/snapshots.py), so catalog readers see the warehouse as
the last successful run left it, whatever a later run is writing or a killed run left behind.

For a warehouse on an object store the catalog is still a local file (Warehouse.catalog_path) whose
views read `s3://…` directly: objects cannot be hard-linked, so those views read the live tables,
each Parquet object whole (one PUT) but possibly some tables from a run still in progress.
"""

import fcntl
import os
import uuid
from pathlib import Path

import duckdb

from newsetl import config, schemas, snapshots
from newsetl.fs import connect_duckdb
from newsetl.storage import Warehouse

# Bytes belong in the Parquet for rebuilds; in the SQL view they would only slow SELECT *.
_HIDDEN_COLUMNS = {"raw_snapshots": ["content"], "articles": ["minhash"]}


def view_sql(warehouse: Warehouse, table: str, folder: Path | None = None) -> str:
    """A view over the table's live files, or over a frozen folder of them (see newsetl/snapshots.py)."""
    glob = f"{folder}/**/*.parquet" if folder is not None else warehouse.table_glob(table)
    source = f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"
    hidden = _HIDDEN_COLUMNS.get(table)
    columns = f"* EXCLUDE ({', '.join(hidden)})" if hidden else "*"
    return f"CREATE OR REPLACE VIEW {table} AS SELECT {columns} FROM {source}"


def empty_view_sql(table: str) -> str:
    """A view with the table's columns and no rows, for a table that has no data yet."""
    with duckdb.connect() as scratch:
        scratch.register("empty", schemas.TABLES[table].empty_table())
        columns = scratch.execute("DESCRIBE empty").fetchall()
    hidden = set(_HIDDEN_COLUMNS.get(table, []))
    select = ", ".join(f'CAST(NULL AS {dtype}) AS "{name}"' for name, dtype, *_ in columns if name not in hidden)
    return f"CREATE OR REPLACE VIEW {table} AS SELECT {select} WHERE false"


def _view_files(sql_dir: Path) -> list[Path]:
    folder = sql_dir / "views"
    return sorted(folder.glob("*.sql")) if folder.is_dir() else []


def _in_use(path: Path) -> bool:
    """Whether a DuckDB connection (of another process) holds the file: DuckDB locks what it writes."""
    try:
        with open(path, "r+b") as handle:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return False


def remove_abandoned_builds(final: Path) -> int:
    """Temporaries of catalog builds killed mid-way (a finished or failed build removes its own);
    one that a running build still writes is locked, and kept."""
    removed = 0
    for temporary in final.parent.glob(f".{final.name}.*.tmp"):
        if not _in_use(temporary):
            temporary.unlink(missing_ok=True)
            removed += 1
    for wal in final.parent.glob(f".{final.name}.*.tmp.wal"):
        if not wal.with_suffix("").exists():
            wal.unlink(missing_ok=True)
    return removed


def build_catalog(warehouse: Warehouse, sql_dir: Path = config.SQL_DIR) -> tuple[str, list[str]]:
    """(catalog path, view names): every table gets a view, empty where it has no data yet."""
    final = Path(warehouse.catalog_path())
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_builds(final)
    temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
    views: list[str] = []
    frozen: dict[str, Path | None]
    if warehouse.is_local:
        _, frozen = snapshots.freeze(final.parent, list(schemas.TABLES))
    else:
        frozen = {table: None for table in schemas.TABLES if warehouse.exists(table)}  # None: the live files
    try:
        connection = connect_duckdb(warehouse.root, str(temporary))
        try:
            for table in schemas.TABLES:
                connection.execute(view_sql(warehouse, table, frozen[table]) if table in frozen else empty_view_sql(table))
                views.append(table)
            for file in _view_files(sql_dir):
                connection.execute(file.read_text(encoding="utf-8"))
                views.append(file.stem)
        finally:
            connection.close()
        os.replace(temporary, final)
        if warehouse.is_local:
            snapshots.prune(final.parent)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
    return str(final), views
