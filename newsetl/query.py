"""Read-only SQL over the warehouse catalog.

Two locks keep it read-only. First, every statement is classified by DuckDB's own parser and only
reads pass: SELECT (which DuckDB also reports for VALUES, WITH, FROM-first, SHOW, DESCRIBE and
SUMMARIZE) and EXPLAIN [ANALYZE] of such a read. EXPLAIN ANALYZE runs the statement it explains,
so the explained statement is classified too. Second, DuckDB is opened on the catalog with
read_only=True, external access off except for the warehouse folder, and its configuration
locked, so a read of another file fails even when smuggled inside a query.

DuckDB's allowed_directories admit writes as well as reads, so to a statement that got past the
parser the warehouse folder would be writable. `newsetl query` therefore runs the SQL in a child
process that Linux Landlock has made unable to write anywhere but a private spill folder
(newsetl/sandbox.py, `spill_dir` below); tests/reliability/test_sealed_query.py tries the ways in,
with and without the parser.

For a warehouse on an object store the allowed places are the catalog's local folder and the
warehouse's own `s3://bucket/prefix/`.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from newsetl import sandbox
from newsetl.catalog import connect_catalog
from newsetl.fs import duckdb_prefix
from newsetl.storage import Warehouse

DEFAULT_TIMEOUT_SECONDS = 60.0
_FETCH_ROWS = 10_000
_READS = "SELECT, VALUES, WITH, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN of a SELECT"


class QueryRefused(Exception):
    """The statement would change something or reach outside the warehouse."""


class QueryTimeout(Exception):
    """The query ran longer than its time limit and was interrupted."""


class CatalogMissing(Exception):
    """The warehouse has no catalog yet: run the pipeline first."""


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple]


@dataclass(frozen=True)
class StatementResult:
    """One statement's answer; its rows are fetched in chunks while the caller iterates."""

    sql: str
    columns: list[str]
    chunks: Iterator[list[tuple]]


def _explained_statement(explain_sql: str) -> str:
    """The statement after `EXPLAIN [ANALYZE] [(options)]`, found with DuckDB's tokenizer.

    The tokenizer skips comments, so `EXPLAIN /* x */ ANALYZE COPY …` is taken apart like the
    parser takes it apart.
    """
    every_token = duckdb.tokenize(explain_sql)
    ends = {offset: end for (offset, _), (end, _) in zip(every_token, every_token[1:], strict=False)}
    tokens = [(offset, kind) for offset, kind in every_token if kind != duckdb.token_type.comment]

    def word(index: int) -> str:
        offset = tokens[index][0]
        return explain_sql[offset : ends.get(offset, len(explain_sql))].strip().upper()

    index = 1  # tokens[0] is EXPLAIN
    if index < len(tokens) and word(index) == "ANALYZE":
        index += 1
    if index < len(tokens) and word(index) == "(":
        depth = 0
        while index < len(tokens):
            text = word(index)
            depth += text.count("(") - text.count(")")
            index += 1
            if depth <= 0:
                break
    if index >= len(tokens):
        raise QueryRefused("refused: EXPLAIN without a statement")
    return explain_sql[tokens[index][0] :]


def _read_kind(statement: duckdb.Statement) -> str | None:
    """None when the statement only reads, else the name of what it is, for the refusal."""
    if statement.type == duckdb.StatementType.SELECT:
        return None
    if statement.type == duckdb.StatementType.EXPLAIN:
        inner = duckdb.extract_statements(_explained_statement(statement.query))
        if len(inner) != 1:
            return "EXPLAIN of several statements"
        inner_kind = _read_kind(inner[0])
        return None if inner_kind is None else f"EXPLAIN of {inner_kind}"
    return statement.type.name


def check_statements(sql: str) -> list[str]:
    """The statements of sql, each a read; QueryRefused names the first that is not."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"the SQL does not parse: {_one_line(exc)}") from None
    if not statements:
        raise QueryRefused("no SQL statement given")
    for statement in statements:
        try:
            kind = _read_kind(statement)
        except duckdb.Error as exc:
            raise QueryRefused(f"the SQL does not parse: {_one_line(exc)}") from None
        if kind is not None:
            raise QueryRefused(f"refused: {kind} statement; `newsetl query` is read-only ({_READS})")
    return [statement.query for statement in statements]


def open_read_only(warehouse: Warehouse, spill_dir: str | None = None) -> duckdb.DuckDBPyConnection:
    """The one place the catalog is opened for reading: every setting of a query connection lives here.

    `spill_dir` is where DuckDB may write the intermediate results that do not fit in memory (by
    default a folder beside the catalog, which a sandboxed query process cannot write)."""
    catalog = Path(warehouse.catalog_path())
    if not catalog.exists():
        raise CatalogMissing(f"no catalog at {catalog}: run `newsetl run` first")
    connection = connect_catalog(warehouse, catalog)
    allowed = [str(catalog.parent) + "/"]
    if not warehouse.is_local:
        allowed.append(
            duckdb_prefix(warehouse.root)
        )  # a prefix ending in "/": s3://bucket/wh/ does not admit s3://bucket/wh-other/
    if spill_dir is not None:
        connection.execute(f"SET temp_directory = {_sql_string(spill_dir)}")
    connection.execute(f"SET allowed_directories = [{', '.join(_sql_string(place) for place in allowed)}]")
    connection.execute("SET enable_progress_bar = false")  # it draws on stdout, in the middle of CSV or JSON
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return connection


def seal_this_process(warehouse: Warehouse, spill_dir: str) -> int:
    """Take from this process, for good, the right to change any file outside `spill_dir` (and, for
    a local warehouse, to open TCP connections); returns the Landlock ABI. Call it first thing in a
    process that exists to run one query, before DuckDB starts a thread (see newsetl/sandbox.py)."""
    return sandbox.deny_writes([spill_dir], deny_network=warehouse.is_local)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stream_query(
    warehouse: Warehouse,
    sql: str,
    timeout: float | None = DEFAULT_TIMEOUT_SECONDS,
    fetch_rows: int = _FETCH_ROWS,
    spill_dir: str | None = None,
) -> Iterator[StatementResult]:
    """Run each statement in turn; a statement runs when the previous one's chunks are used up.

    The time limit covers the whole run, fetching included: a timer thread interrupts the
    connection, which DuckDB honours between and inside operators.
    """
    statements = check_statements(sql)
    connection = open_read_only(warehouse, spill_dir)
    timer = threading.Timer(timeout, connection.interrupt) if timeout else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        for statement in statements:
            with _translated_errors(timeout):
                cursor = connection.execute(statement)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            chunks = _chunks(cursor, fetch_rows, timeout) if columns else iter(())
            yield StatementResult(statement, columns, chunks)
            for _ in chunks:  # the caller may skip rows; the next statement still waits for this one
                pass
    finally:
        if timer:
            timer.cancel()
        connection.close()


def _chunks(cursor: duckdb.DuckDBPyConnection, fetch_rows: int, timeout: float | None) -> Iterator[list[tuple]]:
    while True:
        with _translated_errors(timeout):
            rows = cursor.fetchmany(fetch_rows)
        if not rows:
            return
        yield rows


@contextmanager
def _translated_errors(timeout: float | None) -> Iterator[None]:
    """DuckDB's permission and interrupt errors as the refusals `newsetl query` reports."""
    try:
        yield
    except duckdb.PermissionException as exc:
        raise QueryRefused(f"refused: the query reaches outside the warehouse ({_one_line(exc)})") from None
    except duckdb.InterruptException:
        raise QueryTimeout(
            f"the query ran longer than {timeout:g} s and was stopped (raise it with --timeout)"
        ) from None


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def run_query(warehouse: Warehouse, sql: str, timeout: float | None = DEFAULT_TIMEOUT_SECONDS) -> QueryResult:
    """Run every statement; the result is that of the last one, all rows in memory."""
    result = QueryResult([], [])
    for statement in stream_query(warehouse, sql, timeout):
        result = QueryResult(statement.columns, [row for chunk in statement.chunks for row in chunk])
    return result
