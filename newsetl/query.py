"""Read-only SQL over the warehouse catalog.

Two locks keep it read-only: only SELECT-like statements are accepted, and DuckDB itself is
confined to the warehouse folder with its configuration locked, so COPY, ATTACH, INSTALL or a
read of another file fails even when smuggled inside a query. For a warehouse on an object store
the allowed places are the catalog's local folder and the warehouse's own `s3://bucket/prefix/`.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsetl.fs import connect_duckdb, duckdb_prefix
from newsetl.storage import Warehouse

_ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


class QueryRefused(Exception):
    """The statement would change something or reach outside the warehouse."""


class CatalogMissing(Exception):
    """The warehouse has no catalog yet: run the pipeline first."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


def _check_statements(sql: str) -> list[str]:
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"the SQL does not parse: {exc}") from None
    if not statements:
        raise QueryRefused("no SQL statement given")
    for statement in statements:
        if statement.type not in _ALLOWED:
            kind = statement.type.name
            raise QueryRefused(
                f"refused: {kind} statements are not allowed; `newsetl query` is read-only (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN)"
            )
    return [statement.query for statement in statements]


def open_read_only(warehouse: Warehouse) -> duckdb.DuckDBPyConnection:
    catalog = Path(warehouse.catalog_path())
    if not catalog.exists():
        raise CatalogMissing(f"no catalog at {catalog}: run `newsetl run` first")
    connection = connect_duckdb(warehouse.root, str(catalog), read_only=True)
    allowed = [str(catalog.parent) + "/"]
    if not warehouse.is_local:
        allowed.append(duckdb_prefix(warehouse.root))  # a prefix ending in "/": s3://bucket/wh/ does not admit s3://bucket/wh-other/
    connection.execute(f"SET allowed_directories = [{', '.join(_sql_string(place) for place in allowed)}]")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return connection


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def run_query(warehouse: Warehouse, sql: str) -> QueryResult:
    """Run every statement; the result is that of the last one."""
    statements = _check_statements(sql)
    connection = open_read_only(warehouse)
    try:
        result = None
        for statement in statements:
            try:
                result = connection.execute(statement)
            except duckdb.PermissionException as exc:
                raise QueryRefused(f"refused: the query reaches outside the warehouse ({exc})") from None
        columns = [d[0] for d in result.description] if result.description else []
        return QueryResult(columns, result.fetchall() if columns else [])
    finally:
        connection.close()
