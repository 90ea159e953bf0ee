"""The DuckDB catalog over the Parquet tables, for the SQL users and BI tools."""

import dagster as dg

from newsetl.catalog import build_catalog
from orchestration.resources import WarehouseStore


@dg.asset(
    group_name="serving",
    kinds={"duckdb"},
    deps=[
        "raw_snapshots",
        "articles",
        "rejected_snapshots",
        "dim_country",
        "dim_source",
        "dim_date",
        "fact_article",
        "fact_country_mention",
    ],
    description=(
        "warehouse.duckdb: one view per table over its Parquet files, plus the views in sql/views. "
        "Built in a temporary file and renamed into place, so readers never see it half-built or locked."
    ),
)
def warehouse_catalog(warehouse: WarehouseStore) -> dg.MaterializeResult:
    path, views = build_catalog(warehouse.store())
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(path),
            "views": dg.MetadataValue.md("\n".join(f"- `{v}`" for v in views)),
            "view_count": dg.MetadataValue.int(len(views)),
        }
    )
