"""The report queries: sql/reports/*.sql run read-only against the warehouse catalog.

Each file names its parameters as `$name`; a query gets exactly the parameters it names, so one
options object can feed every file. `_ranks.sql` creates the session's shared temporary views.
"""

import re
from pathlib import Path

import duckdb
import polars as pl

from newsetl import config
from newsetl.frames import frame_of
from newsetl.query import open_read_only
from newsetl.storage import Warehouse

REPORT_SQL_DIR = config.SQL_DIR / "reports"
SESSION_SETUP = "_ranks"
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


def query_text(name: str, sql_dir: Path = REPORT_SQL_DIR) -> str:
    return (sql_dir / f"{name}.sql").read_text(encoding="utf-8")


def parameter_names(sql: str) -> set[str]:
    # Comments mention parameters too, but DuckDB only accepts those the statement uses.
    code = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return set(_PARAMETER.findall(code))


def run_report_query(connection: duckdb.DuckDBPyConnection, name: str, parameters: dict[str, object]) -> pl.DataFrame:
    sql = query_text(name)
    wanted = parameter_names(sql)
    missing = wanted - parameters.keys()
    if missing:
        raise KeyError(f"sql/reports/{name}.sql needs parameters {sorted(missing)}")
    relation = connection.sql(sql, params={key: parameters[key] for key in wanted})
    return frame_of(relation.to_arrow_table())


def open_report_session(warehouse: Warehouse) -> duckdb.DuckDBPyConnection:
    """A read-only catalog connection with the temporary rank views the report queries join."""
    connection = open_read_only(warehouse)
    try:
        connection.execute(query_text(SESSION_SETUP))
    except BaseException:
        connection.close()
        raise
    return connection
