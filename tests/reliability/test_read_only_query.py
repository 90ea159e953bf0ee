from pathlib import Path

import pytest

from newsetl.query import CatalogMissing, QueryRefused, run_query
from newsetl.storage import Warehouse
from tests.reliability.query_warehouse import build_source_warehouse


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return build_source_warehouse(tmp_path)


def test_select_works(warehouse: Warehouse) -> None:
    result = run_query(warehouse, "SELECT source_name FROM dim_source WHERE source_key > 0")
    assert result.columns == ["source_name"] and result.rows == [("Sputnik",)]


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE x AS SELECT 1",
        "DELETE FROM dim_source",
        "COPY dim_source TO 'out.csv'",
        "ATTACH 'other.duckdb'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "SELECT 1; DROP VIEW dim_source",
    ],
)
def test_statements_that_write_or_reach_out_are_refused(warehouse: Warehouse, sql: str) -> None:
    with pytest.raises(QueryRefused, match="refused"):
        run_query(warehouse, sql)


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.csv"])
def test_reading_files_outside_the_warehouse_is_refused(warehouse: Warehouse, tmp_path: Path, path: str) -> None:
    (tmp_path / "outside.csv").write_text("a\n1\n")
    target = path if path.startswith("/") else str(tmp_path / "outside.csv")
    with pytest.raises(QueryRefused, match="outside the warehouse"):
        run_query(warehouse, f"SELECT * FROM read_csv('{target}')")


def test_missing_catalog_says_to_run_first(tmp_path: Path) -> None:
    with pytest.raises(CatalogMissing, match="newsetl run"):
        run_query(Warehouse(str(tmp_path / "none")), "SELECT 1")
