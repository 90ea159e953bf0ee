"""The synthetic corpus found outlets spelled "dpa" and "Dpa": one source_key, so one dim_source row."""

import polars as pl

from newsetl import schemas, star


def _articles(names: list[str | None]) -> pl.DataFrame:
    rows = [
        {"article_id": str(n), "url": f"https://www.dpa.com/{n}", "source_name": name, "duplicate_of": None}
        for n, name in enumerate(names)
    ]
    return pl.DataFrame(rows, schema_overrides={"source_name": pl.Utf8, "duplicate_of": pl.Utf8})


def test_spellings_differing_in_case_share_one_dim_source_row() -> None:
    table = star.dim_source_from_counts(star.count_sources(_articles(["dpa", "Dpa", "dpa", None])))
    rows = {r["source_key"]: r for r in table.to_pylist()}
    assert len(rows) == 2 and len(set(table.column("source_key").to_pylist())) == table.num_rows
    outlet = rows[star.source_key("Dpa")]
    assert (outlet["source_name"], outlet["article_count"], outlet["domain"]) == ("dpa", 3, "dpa.com")
    assert rows[star.UNKNOWN_SOURCE_KEY]["article_count"] == 1
    assert table.schema == schemas.DIM_SOURCE
