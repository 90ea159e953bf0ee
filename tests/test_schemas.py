"""The table declarations (newsetl/schemas.py) against what reads and documents them: DuckDB's own
types, the catalog's views, warehouse/README.md and the shared contract document."""

import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsetl import catalog, schemas
from newsetl.schemas import DECLARATIONS, Column, Table, duckdb_type
from newsetl.storage import Warehouse

PROJECT = Path(__file__).resolve().parents[1]
README = PROJECT / "warehouse" / "README.md"
CONTRACT = PROJECT.parent / "shared" / "warehouse-contract.md"


@pytest.mark.parametrize("name", DECLARATIONS)
def test_duckdb_type_is_the_type_duckdb_reads_from_parquet_and_arrow(name: str, tmp_path: Path) -> None:
    schema = schemas.TABLES[name]
    pq.write_table(schema.empty_table(), tmp_path / "t.parquet")
    declared = {field.name: duckdb_type(field.type) for field in schema}
    with duckdb.connect() as connection:
        from_parquet = connection.execute(f"DESCRIBE SELECT * FROM read_parquet('{tmp_path / 't.parquet'}')").fetchall()
        connection.register("from_arrow", schema.empty_table())
        from_arrow = connection.execute("DESCRIBE from_arrow").fetchall()
    assert {n: t for n, t, *_ in from_parquet} == declared
    assert {n: t for n, t, *_ in from_arrow} == declared


def test_an_arrow_type_without_a_declared_duckdb_type_is_refused() -> None:
    with pytest.raises(TypeError, match="timestamp"):
        duckdb_type(pa.timestamp("ns"))


@pytest.mark.parametrize("name", DECLARATIONS)
def test_the_empty_view_has_the_columns_of_a_written_table_view(name: str, tmp_path: Path) -> None:
    warehouse = Warehouse(str(tmp_path))
    warehouse.write_table(name, schemas.TABLES[name].empty_table())
    with duckdb.connect() as connection:
        connection.execute(catalog.view_sql(warehouse, name))
        written = connection.execute(f"DESCRIBE {name}").fetchall()
        connection.execute(catalog.empty_view_sql(name))
        empty = connection.execute(f"DESCRIBE {name}").fetchall()
    assert [(n, t) for n, t, *_ in empty] == [(n, t) for n, t, *_ in written]
    assert [n for n, *_ in written] == list(DECLARATIONS[name].view_types)
    assert not set(DECLARATIONS[name].hidden_columns) & {n for n, *_ in written}


@pytest.mark.parametrize("name", [n for n, t in DECLARATIONS.items() if t.foreign_keys])
def test_a_foreign_key_names_the_key_of_a_declared_table_with_the_same_type(name: str) -> None:
    table = DECLARATIONS[name]
    for reference in table.references:
        target = DECLARATIONS[reference.table]
        assert reference.table_column in target.key, reference
        source_type = schemas.TABLES[name].field(reference.column).type
        assert source_type == schemas.TABLES[reference.table].field(reference.table_column).type, reference


def test_a_table_refuses_a_key_or_foreign_key_it_does_not_declare() -> None:
    columns = (Column("id", pa.string(), "an id"),)
    with pytest.raises(ValueError, match="nope"):
        Table("t", "gold", "a table", columns, key=("nope",))
    with pytest.raises(ValueError, match="other"):
        Table("t", "gold", "a table", columns, key=("id",), foreign_keys={"other": "dim_date.date_key"})
    with pytest.raises(ValueError, match="repeated"):
        Table("t", "gold", "a table", columns * 2, key=("id",))


def test_key_columns_are_required_and_hidden_ones_are_not_in_the_contract() -> None:
    for table in DECLARATIONS.values():
        assert set(table.key) <= set(table.required_columns), table.name
        assert not set(table.hidden_columns) & set(table.contract_types), table.name


def test_the_readme_tables_are_the_declarations() -> None:
    text = README.read_text(encoding="utf-8")
    assert text == schemas.with_generated_tables(text), (
        "warehouse/README.md's tables differ from newsetl/schemas.py: "
        "regenerate them with `python -m newsetl.schemas --readme warehouse/README.md`"
    )


def test_the_readme_command_rewrites_only_the_generated_tables(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    stale = f"# Before\n{schemas.README_BEGIN}\n| an old | table |\n{schemas.README_END}\n# After\n"
    readme.write_text(stale, encoding="utf-8")
    assert schemas.main(["--readme", str(readme)]) == 0
    rewritten = readme.read_text(encoding="utf-8")
    assert rewritten.startswith(f"# Before\n{schemas.README_BEGIN}\n### `raw_snapshots` (bronze)")
    assert rewritten.endswith(f"{schemas.README_END}\n# After\n")
    assert "an old" not in rewritten
    assert "| country_mentions | STRUCT(iso2 VARCHAR" in rewritten
    with pytest.raises(ValueError, match="markers"):
        schemas.with_generated_tables("# no markers\n")


# A table's entry in the contract: "`name` — …" at the start of a line, with its columns in "- " bullets
# below it, or after the dash, or after a colon ending its description.
_ENTRY = re.compile(r"^`(\w+)` — ", re.MULTILINE)
_COLUMN = re.compile(r"(\w+)(?: ([A-Z]+(?: [A-Z]+)*?))?(?: NULL)?")


def _columns(text: str) -> dict[str, str | None]:
    """{column: DuckDB type or None} of a comma-separated list such as "url VARCHAR NULL, title VARCHAR (…)"."""
    while re.search(r"\([^()]*\)", text):
        text = re.sub(r"\s*\([^()]*\)", "", text)
    columns: dict[str, str | None] = {}
    for item in text.split(","):
        match = _COLUMN.fullmatch(item.strip())
        assert match, f"the contract's column list has an item this parser does not read: {item.strip()!r}"
        columns[match.group(1)] = match.group(2)
    return columns


def contract_tables(document: str) -> dict[str, dict[str, str | None]]:
    """{table: {column: DuckDB type, or None where the contract gives none}} of the contract's table section."""
    section = document.split("## Tables and required columns", 1)[1].split("\n## ", 1)[0]
    entries = list(_ENTRY.finditer(section))
    tables: dict[str, dict[str, str | None]] = {}
    for entry, following in zip(entries, entries[1:] + [None], strict=True):
        body = section[entry.end() : following.start() if following else len(section)]
        # A continuation line (indented) belongs to the line above it.
        lines = re.sub(r"\n  +", " ", body).strip().splitlines()
        bullets = [line[2:] for line in lines if line.startswith("- ")]
        if bullets:
            tables[entry.group(1)] = {
                name: dtype for bullet in bullets for name, dtype in _columns(bullet.split(" — ")[0]).items()
            }
        else:
            tables[entry.group(1)] = _columns(lines[0].rsplit(":", 1)[-1])
    return tables


def test_the_contract_parser_reads_every_form_of_entry() -> None:
    document = (
        "## Tables and required columns\n"
        "`a` — one row per thing\n"
        "- id VARCHAR — an id, with a comma\n"
        "  and a continuation (WARC, JSON)\n"
        "- size BIGINT, at TIMESTAMP\n"
        "- url VARCHAR NULL, body VARCHAR (main text only: no navigation,\n"
        "  captions)\n\n"
        "`b` — key, name\n"
        "`c` — day_key INTEGER (yyyymmdd), day DATE, year,\n"
        "  month\n\n"
        "`d` — one row per (thing, other):\n"
        "  id, count INTEGER, flag BOOLEAN\n\n"
        "## Invariants\n- not a table\n"
    )
    assert contract_tables(document) == {
        "a": {"id": "VARCHAR", "size": "BIGINT", "at": "TIMESTAMP", "url": "VARCHAR", "body": "VARCHAR"},
        "b": {"key": None, "name": None},
        "c": {"day_key": "INTEGER", "day": "DATE", "year": None, "month": None},
        "d": {"id": None, "count": "INTEGER", "flag": "BOOLEAN"},
    }


def test_every_table_and_column_of_the_shared_contract_is_declared_with_its_type() -> None:
    if not CONTRACT.is_file():
        pytest.skip(f"{CONTRACT} is absent: this checkout has no ../shared beside it (CI has)")
    contract = contract_tables(CONTRACT.read_text(encoding="utf-8"))
    assert {"raw_snapshots", "articles", "fact_country_mention"} <= set(contract)
    for table, columns in contract.items():
        assert table in DECLARATIONS, f"the contract's table {table} is not declared"
        declared = DECLARATIONS[table].contract_types
        for column, dtype in columns.items():
            assert column in declared, f"{table}.{column} is in the contract, not declared a contract column"
            assert dtype in (None, declared[column]), f"{table}.{column}: contract {dtype}, declared {declared[column]}"
