"""Gold: the star schema that analysts and BI tools read."""

from collections.abc import Callable
from typing import Any

import dagster as dg
import polars as pl
import pyarrow as pa

from assets.metadata import table_metadata
from assets.partitions import ingest_batches, partition_folder
from newsetl import dimensions, star
from newsetl.batches import PARTITION_KEY
from newsetl.frames import frame_of
from newsetl.storage import Warehouse
from orchestration.resources import WarehouseStore

# Keyword arguments of dg.asset shared by the gold assets.
_GOLD: dict[str, Any] = {"group_name": "gold", "kinds": {"polars", "parquet"}}
# Every partition run folds its batch into the dimensions' running totals: one writer at a time.
_DIMENSION: dict[str, Any] = {"pool": "newsetl_catalog", **_GOLD}


def _materialize(
    warehouse: WarehouseStore,
    table_name: str,
    build: Callable[[Warehouse], pa.Table],
    preview_columns: list[str] | None = None,
    extra: Callable[[Warehouse, pa.Table], dict] = lambda store, table: {},
    partition: str | None = None,
) -> dg.MaterializeResult:
    """Build one gold table (or one batch's partition of a fact), write it, report what was written."""
    store = warehouse.store()
    table = build(store)
    path = store.write_table(table_name, table, partition=partition)
    return dg.MaterializeResult(metadata=table_metadata(table, path, preview_columns, **extra(store, table)))


_FACT_COLUMNS = [
    "article_id",
    "url",
    "language",
    "published_date",
    "source_name",
    "duplicate_of",
    "body_chars",
    "countries",
    "country_mentions",
]


def _articles(store: Warehouse, partition: str | None = None, columns: list[str] = _FACT_COLUMNS) -> pl.DataFrame:
    return frame_of(store.read_table("articles", partition=partition, columns=columns))


def _counted(context: dg.AssetExecutionContext, store: Warehouse, counted: dimensions.Counted, columns: list[str]):
    """The dimension's counts over every batch: in a batch's run, that batch's counts folded into the
    running totals (it reads only its own articles); in an unpartitioned run (the rebuild job), every
    batch counted again."""
    batch = context.partition_key if context.has_partition_key else None
    return dimensions.update(store, counted, batch, lambda key: _articles(store, f"{PARTITION_KEY}={key}", columns))


@dg.asset(
    deps=["articles"],
    description=(
        "Every ISO 3166-1 country: iso2, iso3, English name, UN M49 region and subregion, and its names "
        "in the languages of the corpus. country_key is the ISO numeric code."
    ),
    **_DIMENSION,
)
def dim_country(context: dg.AssetExecutionContext, warehouse: WarehouseStore) -> dg.MaterializeResult:
    from newsetl.countries import country_rows

    def build(store: Warehouse) -> pa.Table:
        counts = _counted(context, store, dimensions.LANGUAGES, ["language"])
        return star.build_dim_country(country_rows(), star.languages_from_counts(counts))

    return _materialize(
        warehouse, "dim_country", build, ["country_key", "iso2", "iso3", "name_en", "region", "subregion"]
    )


@dg.asset(
    deps=["articles"],
    description=(
        "The outlets that published the articles (normalized across languages), with their web domain; key 0 "
        "is the unknown outlet."
    ),
    **_DIMENSION,
)
def dim_source(context: dg.AssetExecutionContext, warehouse: WarehouseStore) -> dg.MaterializeResult:
    def build(store: Warehouse) -> pa.Table:
        counts = _counted(context, store, dimensions.SOURCES, ["url", "source_name", "duplicate_of"])
        return star.dim_source_from_counts(counts)

    return _materialize(warehouse, "dim_source", build)


@dg.asset(
    deps=["articles"],
    description="A continuous calendar over the articles' publication dates (date_key = yyyymmdd).",
    **_DIMENSION,
)
def dim_date(context: dg.AssetExecutionContext, warehouse: WarehouseStore) -> dg.MaterializeResult:
    def build(store: Warehouse) -> pa.Table:
        return star.dim_date_from_counts(_counted(context, store, dimensions.DATES, ["published_date"]))

    return _materialize(warehouse, "dim_date", build)


# A fact partition is built from its batch's articles alone: source_key and date_key are functions of
# the article, country_key comes from the gazetteer, and a later batch never changes the duplicate_of
# of an earlier one. The dimensions come first only so that the checks resolving keys see them.
_FACT: dict[str, Any] = {"partitions_def": ingest_batches, **_GOLD}


@dg.asset(
    deps=["articles", "dim_source", "dim_date"],
    description="One row per article that is not a near-duplicate of an earlier one. Partitioned by ingest batch.",
    **_FACT,
)
def fact_article(context: dg.AssetExecutionContext, warehouse: WarehouseStore) -> dg.MaterializeResult:
    partition = partition_folder(context)
    return _materialize(
        warehouse,
        "fact_article",
        lambda store: star.build_fact_article(_articles(store, partition)),
        partition=partition,
    )


def _top_countries(store: Warehouse, table: pa.Table) -> dict:
    top = (
        frame_of(table.select(["country_key"]))
        .join(frame_of(store.read_table("dim_country", columns=["country_key", "iso2"])), on="country_key")
        .group_by("iso2")
        .len()
        .sort("len", descending=True)
        .head(10)
    )
    return {"top_countries": dg.MetadataValue.json({r["iso2"]: r["len"] for r in top.iter_rows(named=True)})}


@dg.asset(
    deps=["articles", "dim_country", "dim_source", "dim_date"],
    description=(
        "One row per (non-duplicate article, country it mentions in title or body): mention count, "
        "whether the title names it, the first offset and the surface forms matched, for auditing. "
        "Partitioned by ingest batch."
    ),
    **_FACT,
)
def fact_country_mention(context: dg.AssetExecutionContext, warehouse: WarehouseStore) -> dg.MaterializeResult:
    from newsetl.countries import country_rows

    partition = partition_folder(context)
    # Every country of the gazetteer, whatever the languages: only iso2 -> country_key is used.
    countries = star.build_dim_country(country_rows(), set())
    return _materialize(
        warehouse,
        "fact_country_mention",
        lambda store: star.build_fact_country_mention(_articles(store, partition), countries),
        ["article_id", "country_key", "date_key", "mention_count", "in_title", "surface_forms"],
        extra=_top_countries,
        partition=partition,
    )
