"""Gold: the star schema that analysts and BI tools read."""

import dagster as dg
import polars as pl

from assets.metadata import table_metadata
from newsetl import star
from newsetl.star import gold_inputs
from orchestration.resources import WarehouseStore

_GOLD = {"group_name": "gold", "kinds": {"polars", "parquet"}}


def _unchanged(store, table: str, inputs: str) -> dg.MaterializeResult | None:
    """When silver and the code that builds gold are as they were, the table is kept, not rebuilt:
    a run with nothing new stays quick however large the warehouse."""
    fingerprint, rows = store.built_from(table)
    if fingerprint != inputs:
        return None
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(rows),
            "row_count": dg.MetadataValue.int(rows),
            "path": dg.MetadataValue.path(store.table_path(table)),
            "unchanged": True,
        }
    )


def _articles(store) -> pl.DataFrame:
    return pl.from_arrow(
        store.read_table(
            "articles",
            columns=["article_id", "url", "language", "published_date", "source_name", "duplicate_of", "body_chars", "countries", "country_mentions"],
        )
    )


@dg.asset(
    deps=["articles"],
    description=(
        "Every ISO 3166-1 country: iso2, iso3, English name, UN M49 region and subregion, and its names "
        "in the languages of the corpus. country_key is the ISO numeric code."
    ),
    **_GOLD,
)
def dim_country(warehouse: WarehouseStore) -> dg.MaterializeResult:
    from newsetl.countries import country_rows

    store = warehouse.store()
    inputs = gold_inputs(store)
    if (kept := _unchanged(store, "dim_country", inputs)) is not None:
        return kept
    languages = {lang for lang in store.read_table("articles", columns=["language"]).column("language").to_pylist() if lang}
    table = star.build_dim_country(country_rows(), languages)
    path = store.write_table("dim_country", table, inputs=inputs)
    return dg.MaterializeResult(metadata=table_metadata(table, path, ["country_key", "iso2", "iso3", "name_en", "region", "subregion"]))


@dg.asset(
    deps=["articles"],
    description="The outlets that published the articles (normalized across languages), with their web domain; key 0 is the unknown outlet.",
    **_GOLD,
)
def dim_source(warehouse: WarehouseStore) -> dg.MaterializeResult:
    store = warehouse.store()
    inputs = gold_inputs(store)
    if (kept := _unchanged(store, "dim_source", inputs)) is not None:
        return kept
    table = star.build_dim_source(_articles(store))
    path = store.write_table("dim_source", table, inputs=inputs)
    return dg.MaterializeResult(metadata=table_metadata(table, path))


@dg.asset(
    deps=["articles"],
    description="A continuous calendar over the articles' publication dates (date_key = yyyymmdd).",
    **_GOLD,
)
def dim_date(warehouse: WarehouseStore) -> dg.MaterializeResult:
    store = warehouse.store()
    inputs = gold_inputs(store)
    if (kept := _unchanged(store, "dim_date", inputs)) is not None:
        return kept
    dates = store.read_table("articles", columns=["published_date"]).column("published_date").to_pylist()
    table = star.build_dim_date(dates)
    path = store.write_table("dim_date", table, inputs=inputs)
    return dg.MaterializeResult(metadata=table_metadata(table, path))


@dg.asset(
    deps=["articles", "dim_source", "dim_date"],
    description="One row per article that is not a near-duplicate of an earlier one.",
    **_GOLD,
)
def fact_article(warehouse: WarehouseStore) -> dg.MaterializeResult:
    store = warehouse.store()
    inputs = gold_inputs(store)
    if (kept := _unchanged(store, "fact_article", inputs)) is not None:
        return kept
    table = star.build_fact_article(_articles(store))
    path = store.write_table("fact_article", table, inputs=inputs)
    return dg.MaterializeResult(metadata=table_metadata(table, path))


@dg.asset(
    deps=["articles", "dim_country", "dim_source", "dim_date"],
    description=(
        "One row per (non-duplicate article, country it mentions in title or body): mention count, "
        "whether the title names it, the first offset and the surface forms matched, for auditing."
    ),
    **_GOLD,
)
def fact_country_mention(warehouse: WarehouseStore) -> dg.MaterializeResult:
    store = warehouse.store()
    inputs = gold_inputs(store)
    if (kept := _unchanged(store, "fact_country_mention", inputs)) is not None:
        return kept
    table = star.build_fact_country_mention(_articles(store), store.read_table("dim_country"))
    path = store.write_table("fact_country_mention", table, inputs=inputs)
    top = (
        pl.from_arrow(table.select(["country_key"]))
        .join(pl.from_arrow(store.read_table("dim_country", columns=["country_key", "iso2"])), on="country_key")
        .group_by("iso2")
        .len()
        .sort("len", descending=True)
        .head(10)
    )
    return dg.MaterializeResult(
        metadata=table_metadata(
            table,
            path,
            ["article_id", "country_key", "date_key", "mention_count", "in_title", "surface_forms"],
            top_countries=dg.MetadataValue.json({r["iso2"]: r["len"] for r in top.iter_rows(named=True)}),
        )
    )
