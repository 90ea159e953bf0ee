"""Dagster assets for newsetl: thin wrappers that call the library and write Parquet."""

from assets.bronze import raw_snapshots
from assets.catalog import warehouse_catalog
from assets.checks import all_checks
from assets.gold import dim_country, dim_date, dim_source, fact_article, fact_country_mention
from assets.reports import reports
from assets.silver import articles, cleaned_snapshots

pipeline_assets = [
    raw_snapshots,
    cleaned_snapshots,
    articles,
    dim_country,
    dim_source,
    dim_date,
    fact_article,
    fact_country_mention,
    warehouse_catalog,
    reports,
]
pipeline_checks = all_checks

__all__ = ["pipeline_assets", "pipeline_checks"]
