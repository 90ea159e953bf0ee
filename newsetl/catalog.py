"""The DuckDB catalog: one view per warehouse table, plus the views in sql/views/.

The catalog is built in a temporary file and renamed into place, and nothing holds it open:
DuckDB locks a database file against every other process while one writes it. Its views read a
freeze of the table files (newsetl/freezes.py), so catalog readers see the warehouse as
the last successful run left it, whatever a later run is writing or a killed run left behind.

For a warehouse on an object store the catalog is still a local file (Warehouse.catalog_path) whose
views read `s3://…` directly: objects cannot be hard-linked, so those views read the live tables,
each Parquet object whole (one PUT) but possibly some tables from a run still in progress.
"""

import fcntl
import logging
import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

import duckdb

from newsetl import config, freezes, schemas
from newsetl.fs import connect_duckdb
from newsetl.settings import DEFAULTS
from newsetl.storage import Warehouse

_log = logging.getLogger(__name__)

# The folder the catalog's relative view paths start from; `bind_to_folder` sets it to wherever the
# catalog file is now. Unset, the paths stay relative and DuckDB resolves them against its
# `file_search_path` setting, else the working directory (see warehouse/README.md).
FOLDER_VARIABLE = "newsetl_warehouse"


def view_sql(warehouse: Warehouse, table: str, folder: str | None = None, partition: str | None = None) -> str:
    """A view over the table's live files (or one partition's), or over a frozen folder of them (see
    newsetl/freezes.py) given relative to the catalog's folder, so that the warehouse folder can be
    moved or copied whole."""
    if folder is None:
        glob = f"'{warehouse.table_glob(table, partition)}'"
    else:
        glob = f"coalesce(getvariable('{FOLDER_VARIABLE}') || '/', '') || '{folder}/**/*.parquet'"
    source = f"read_parquet({glob}, hive_partitioning = true, union_by_name = true)"
    hidden = schemas.DECLARATIONS[table].hidden_columns
    columns = f"* EXCLUDE ({', '.join(hidden)})" if hidden else "*"
    return f"CREATE OR REPLACE VIEW {table} AS SELECT {columns} FROM {source}"


def empty_view_sql(table: str) -> str:
    """A view with the table's columns and no rows, for a table that has no data yet."""
    columns = schemas.DECLARATIONS[table].view_types
    select = ", ".join(f'CAST(NULL AS {dtype}) AS "{name}"' for name, dtype in columns.items())
    return f"CREATE OR REPLACE VIEW {table} AS SELECT {select} WHERE false"


def bind_to_folder(connection: duckdb.DuckDBPyConnection, catalog: Path) -> None:
    """Resolve the catalog's relative view paths against the folder the catalog file is in now."""
    folder = str(Path(catalog).resolve().parent).replace("'", "''")
    connection.execute(f"SET VARIABLE {FOLDER_VARIABLE} = '{folder}'")


def connect_catalog(
    warehouse: Warehouse, catalog: Path | None = None, read_only: bool = True
) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse's catalog (or another catalog file) whose views resolve wherever
    the warehouse folder now is."""
    catalog = Path(catalog or warehouse.catalog_path())
    connection = connect_duckdb(warehouse.root, str(catalog), read_only=read_only, s3=warehouse.s3)
    bind_to_folder(connection, catalog)
    return connection


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


class CatalogInvalid(Exception):
    """A freshly built catalog failed its check; the previous catalog stays in place."""


def verify_catalog(
    warehouse: Warehouse, catalog: Path, views: list[str], derived: Sequence[str] = ()
) -> dict[str, int]:
    """{view: rows} of a closed catalog file's table views, reopened read-only as a reader will open it:
    every view's first row is read, so a view that binds but cannot run is caught before anyone sees
    it, and each table view is counted too (every file's footer: a missing or broken file). The
    `derived` views (sql/views, joins over the table views) are not counted: a count joins the whole
    history, and the files under them were just counted."""
    counts: dict[str, int] = {}
    with connect_catalog(warehouse, catalog) as connection:
        for view in views:
            try:
                if view not in derived:
                    counts[view] = connection.execute(f'SELECT count(*) FROM "{view}"').fetchall()[0][0]
                connection.execute(f'SELECT * FROM "{view}" LIMIT 1').fetchall()  # count(*) reads no column
            except duckdb.Error as exc:
                raise CatalogInvalid(
                    f"view {view} of the new catalog fails, the previous catalog is kept: {exc}"
                ) from exc
    return counts


def move_aside_stale_wal(final: Path) -> Path | None:
    """A write-ahead log beside the catalog is left by a client that opened it read-write and died;
    DuckDB would replay it into whatever file bears the name, so it goes aside before a new catalog does."""
    wal = final.with_name(final.name + ".wal")
    if not wal.exists():
        return None
    aside = wal.with_name(f"{wal.name}.stale-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}")
    os.replace(wal, aside)
    _log.warning(
        "moved a stale %s aside to %s: a client opened the catalog read-write; open it read-only", wal, aside.name
    )
    return aside


def build_catalog(
    warehouse: Warehouse, sql_dir: Path = config.SQL_DIR, frozen_max_age: float = DEFAULTS.frozen_max_age
) -> tuple[str, list[str]]:
    """(catalog path, view names): every table gets a view, empty where it has no data yet.

    The new catalog replaces the old one only once written, checkpointed, closed and verified; a build
    that fails at any point (a full disk, a view that cannot run) leaves the old catalog as it was.
    Freezes stay `frozen_max_age` seconds after a newer catalog replaced theirs, so that a
    reader holding a connection open keeps its data for at least that long.
    """
    final = Path(warehouse.catalog_path())
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned_builds(final)
    temporary = final.with_name(f".{final.name}.{uuid.uuid4().hex}.tmp")
    views: list[str] = []
    frozen: dict[str, str | None]
    freeze_id = None
    if warehouse.is_local:
        freeze_id, folders = freezes.freeze(final.parent, list(schemas.TABLES))
        frozen = {table: folder.relative_to(final.parent).as_posix() for table, folder in folders.items()}
    else:
        frozen = {table: None for table in schemas.TABLES if warehouse.exists(table)}  # None: the live files
    replaced = False
    try:
        connection = connect_catalog(warehouse, temporary, read_only=False)
        try:
            for table in schemas.TABLES:
                connection.execute(
                    view_sql(warehouse, table, frozen[table]) if table in frozen else empty_view_sql(table)
                )
                views.append(table)
            derived = [file.stem for file in _view_files(sql_dir)]
            for file in _view_files(sql_dir):
                connection.execute(file.read_text(encoding="utf-8"))
                views.append(file.stem)
            connection.execute("CHECKPOINT")  # everything in the file itself: no WAL travels with the rename
        finally:
            connection.close()
        verify_catalog(warehouse, temporary, views, derived)
        move_aside_stale_wal(final)
        os.replace(temporary, final)
        replaced = True
        if freeze_id is not None:
            freezes.mark_current(final.parent, freeze_id)
            freezes.prune(final.parent, frozen_max_age, current=freeze_id)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
        if freeze_id is not None and not replaced:
            freezes.discard(final.parent, freeze_id)  # no catalog reads it
    return str(final), views
