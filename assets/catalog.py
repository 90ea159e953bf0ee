"""The DuckDB catalog over the Parquet tables, for the SQL users and BI tools."""

import dagster as dg

from newsetl.catalog import build_catalog
from newsetl.query import run_query
from orchestration.resources import WarehouseStore


@dg.asset(
    group_name="serving",
    kinds={"duckdb"},
    pool="newsetl_catalog",
    deps=[
        "raw_snapshots",
        "articles",
        "rejected_snapshots",
        "dim_country",
        "dim_source",
        "dim_date",
        "fact_article",
        "fact_country_mention",
        "landing_zones",
        "skipped_landing_entries",
    ],
    description=(
        "warehouse.duckdb: one view per table over its Parquet files, plus the views in sql/views. "
        "Built in a temporary file and renamed into place, so readers never see it half-built or locked."
    ),
)
def warehouse_catalog(warehouse: WarehouseStore) -> dg.MaterializeResult:
    store = warehouse.store()
    path, views = build_catalog(store, frozen_max_age=warehouse.run_settings().frozen_max_age)
    # What a reader of the new catalog sees: every view with its row count.
    counts = run_query(
        store, " UNION ALL ".join(f"SELECT '{view}' AS view, count(*) AS rows FROM {view}" for view in views)
    ).rows
    preview = "| view | rows |\n|---|---|\n" + "\n".join(f"| `{view}` | {rows} |" for view, rows in counts)
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(len(views)),
            "row_count": dg.MetadataValue.int(len(views)),
            "path": dg.MetadataValue.path(path),
            "preview": dg.MetadataValue.md(preview),
            "view_count": dg.MetadataValue.int(len(views)),
        }
    )
