"""`newsetl query` is sealed: every way to write or to read past the warehouse is refused, and the
warehouse's files are byte-identical afterwards."""

import hashlib
from pathlib import Path

import duckdb
import pytest

from newsetl.query import QueryRefused, QueryTimeout, run_query, stream_query
from newsetl.storage import Warehouse
from orchestration.cli import main
from tests.reliability.query_warehouse import build_source_warehouse


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return build_source_warehouse(tmp_path)


def _fingerprint(root: Path) -> dict[str, str]:
    """Every file under root with the hash of its bytes: a new, changed or deleted file shows."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _a_part_file(store: Warehouse) -> str:
    return str(next(Path(store.root).glob("dim_source/**/*.parquet")))


WRITES = {
    "explain analyze copy over a part file": "EXPLAIN ANALYZE COPY (SELECT 1 AS x) TO '{part}' (FORMAT parquet)",
    "explain analyze copy, comments and case": (
        "/* read */ eXpLaIn /* only */ AnAlYzE\n-- really\n CoPy (SELECT 1 AS x) TO '{part}' (FORMAT parquet)"
    ),
    "explain with options of a copy": "EXPLAIN (FORMAT JSON) COPY (SELECT 1 AS x) TO '{part}' (FORMAT parquet)",
    "explain of an insert": "EXPLAIN ANALYZE INSERT INTO dim_source VALUES (9, 'x', 'x.org', 1)",
    "copy to a part file": "COPY dim_source TO '{part}' (FORMAT parquet)",
    "copy to a new file": "COPY (SELECT 1) TO '{root}/new.csv'",
    "copy from": "COPY dim_source FROM '{part}'",
    "create table": "CREATE TABLE t AS SELECT 1",
    "create temp table": "CREATE TEMP TABLE t (x INTEGER)",
    "create view": "CREATE OR REPLACE VIEW dim_source AS SELECT 1",
    "create macro": "CREATE MACRO twice(x) AS 2 * x",
    "insert": "INSERT INTO dim_source VALUES (9, 'x', 'x.org', 1)",
    "insert after with": "WITH extra AS (SELECT 9, 'x', 'x.org', 1) INSERT INTO dim_source SELECT * FROM extra",
    "update": "UPDATE dim_source SET article_count = 0",
    "delete": "DELETE FROM dim_source",
    "drop": "DROP VIEW dim_source",
    "alter": "ALTER VIEW dim_source RENAME TO gone",
    "attach": "ATTACH '{root}/other.duckdb' AS other",
    "detach": "DETACH warehouse",
    "use": "USE memory",
    "install": "INSTALL httpfs",
    "force install": "FORCE INSTALL httpfs",
    "load": "LOAD httpfs",
    "set external access": "SET enable_external_access = true",
    "set allowed directories": "SET allowed_directories = ['/']",
    "reset config": "RESET lock_configuration",
    "set global": "SET GLOBAL lock_configuration = false",
    "pragma": "PRAGMA enable_profiling",
    "pragma that reads": "PRAGMA database_list",
    "export database": "EXPORT DATABASE '{root}/export'",
    "import database": "IMPORT DATABASE '{root}'",
    "call checkpoint": "CALL checkpoint()",
    "checkpoint": "CHECKPOINT",
    "vacuum": "VACUUM",
    "smuggled after a select": "SELECT 1; COPY dim_source TO '{part}' (FORMAT parquet)",
    "smuggled after a comment holding ;": "sElEcT 1 /* ; */;\n-- ;\nDeLeTe FROM dim_source",
    "smuggled explain after a select": "SELECT 1;EXPLAIN ANALYZE COPY (SELECT 1) TO '{part}'",
}


@pytest.mark.parametrize("sql", WRITES.values(), ids=WRITES.keys())
def test_every_write_is_refused_and_the_warehouse_is_untouched(warehouse: Warehouse, sql: str) -> None:
    root = Path(warehouse.root)
    before = _fingerprint(root.parent)
    with pytest.raises(QueryRefused, match="refused") as refusal:
        run_query(warehouse, sql.format(part=_a_part_file(warehouse), root=root))
    assert "\n" not in str(refusal.value)
    assert _fingerprint(root.parent) == before


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("EXPLAIN ANALYZE COPY (SELECT 1) TO 'x.parquet'", "EXPLAIN of COPY"),
        ("COPY dim_source TO 'x.csv'", "COPY"),
        ("CREATE MACRO m(x) AS x", "CREATE"),
        ("PRAGMA version", "PRAGMA"),
        ("SELECT 1; ATTACH 'x.duckdb'", "ATTACH"),
    ],
)
def test_the_refusal_names_the_statement_type(warehouse: Warehouse, sql: str, kind: str) -> None:
    with pytest.raises(QueryRefused, match=f"refused: {kind} statement"):
        run_query(warehouse, sql)


ESCAPES = {
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text": "SELECT content FROM read_text('/etc/passwd')",
    "glob": "SELECT * FROM glob('/etc/passwd')",
    "read_parquet beside the warehouse": "SELECT * FROM read_csv('{outside}')",
    "inside a subquery, in capitals": "SELECT (SELECT count(*) FROM READ_CSV('/etc/passwd')) AS n",
    "explain analyze of a read": "EXPLAIN ANALYZE SELECT * FROM read_text('/etc/passwd')",
}


@pytest.mark.parametrize("sql", ESCAPES.values(), ids=ESCAPES.keys())
def test_reads_outside_the_warehouse_are_refused_naming_the_path(
    warehouse: Warehouse, tmp_path: Path, sql: str
) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    before = _fingerprint(Path(warehouse.root))
    with pytest.raises(QueryRefused, match="outside the warehouse") as refusal:
        run_query(warehouse, sql.format(outside=outside))
    assert ("/etc/passwd" in str(refusal.value)) or (str(outside) in str(refusal.value))
    assert _fingerprint(Path(warehouse.root)) == before


def test_a_file_path_used_as_a_table_is_not_read(warehouse: Warehouse) -> None:
    # With external access off DuckDB does not scan a quoted path as a table: it finds no such table.
    with pytest.raises(duckdb.CatalogException, match="/etc/passwd"):
        run_query(warehouse, "SELECT * FROM '/etc/passwd'")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT source_name FROM dim_source WHERE source_key = 7",
        "WITH named AS (SELECT source_name FROM dim_source WHERE source_key = 7) SELECT * FROM named",
        "FROM dim_source SELECT source_name WHERE source_key = 7",
        "SELECT source_name FROM read_parquet('{part}') WHERE source_key = 7",
    ],
)
def test_reads_inside_the_warehouse_still_answer(warehouse: Warehouse, sql: str) -> None:
    assert run_query(warehouse, sql.format(part=_a_part_file(warehouse))).rows == [("Sputnik",)]


@pytest.mark.parametrize(
    "sql",
    [
        "VALUES (1)",
        "SHOW TABLES",
        "DESCRIBE dim_source",
        "SUMMARIZE dim_source",
        "EXPLAIN SELECT 1",
        "EXPLAIN ANALYZE SELECT count(*) FROM dim_source",
    ],
)
def test_every_select_like_statement_is_allowed(warehouse: Warehouse, sql: str) -> None:
    assert run_query(warehouse, sql).rows


def test_rows_are_fetched_in_chunks(warehouse: Warehouse) -> None:
    results = stream_query(warehouse, "SELECT * FROM range(5)", fetch_rows=2)
    statement = next(results)
    assert [len(chunk) for chunk in statement.chunks] == [2, 2, 1]
    results.close()


def test_a_query_past_its_time_limit_is_interrupted(warehouse: Warehouse) -> None:
    with pytest.raises(QueryTimeout, match="--timeout"):
        run_query(warehouse, "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3", timeout=0.2)


def test_cli_timeout_is_one_line_exit_3(warehouse: Warehouse, capsys: pytest.CaptureFixture) -> None:
    sql = "SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 3"
    assert main(["query", "--warehouse", warehouse.root, "--timeout", "0.2", sql]) == 3
    assert capsys.readouterr().err.strip().count("\n") == 0


def test_cli_missing_file_is_one_line_no_traceback(
    warehouse: Warehouse, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["query", "--warehouse", warehouse.root, "--file", str(tmp_path / "nope.sql")]) == 2
    err = capsys.readouterr().err
    assert "nope.sql" in err and "Traceback" not in err and err.strip().count("\n") == 0


def test_cli_prints_each_statement_with_a_header(warehouse: Warehouse, capsys: pytest.CaptureFixture) -> None:
    assert main(["query", "--warehouse", warehouse.root, "--format", "csv", "SELECT 1 AS a; SELECT 2 AS b"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["-- statement 1: SELECT 1 AS a", "a", "1", "-- statement 2: SELECT 2 AS b", "b", "2"]


def test_cli_table_caps_rows_with_a_note(warehouse: Warehouse, capsys: pytest.CaptureFixture) -> None:
    assert main(["query", "--warehouse", warehouse.root, "--max-rows", "2", "SELECT * FROM range(5)"]) == 0
    assert "(2 of 5 rows shown" in capsys.readouterr().out


def test_every_query_option_has_help(capsys: pytest.CaptureFixture) -> None:
    from orchestration.cli import build_parser

    parser = build_parser()
    query = parser._subparsers._group_actions[0].choices["query"]
    assert all(action.help for action in query._actions)
