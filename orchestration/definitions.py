"""The Dagster definitions: what `dagster dev` loads and `newsetl run` executes."""

import dagster as dg

from assets import pipeline_assets, pipeline_checks
from assets.partitions import with_current_code_versions
from newsetl.settings import Settings
from orchestration.jobs import CATALOG_JOB, PIPELINE_JOB, REBUILD_JOB, RECLEAN_JOB, REPORTS_JOB
from orchestration.resources import default_resources
from orchestration.sensors import build_catch_up_schedule, build_landing_sensor, build_reports_after_pipeline
from orchestration.settings import from_environment

REPORTS_GROUP = "reports"


def executor_from_env(settings: Settings | None = None) -> dg.ExecutorDefinition:
    """in_process by default: multiprocess spends ~10 s starting processes for a few-second job.

    k8s runs each step in its own Kubernetes pod (deploy/README.md); the warehouse must then be on an
    object store, which orchestration.deployment checks before any pod starts.
    """
    # One of newsetl.settings.EXECUTORS, checked when read; by default this process's setting.
    choice = (settings or from_environment()).executor
    if choice == "in_process":
        return dg.in_process_executor
    if choice == "multiprocess":
        return dg.multiprocess_executor
    from orchestration.deployment import kubernetes_executor

    return kubernetes_executor()


def build_definitions(
    resources: dict | None = None, executor: dg.ExecutorDefinition | None = None, settings: Settings | None = None
) -> dg.Definitions:
    """The definitions; what `resources` and `executor` leave open comes from `settings` (default: this
    process's environment, read once here)."""
    given, settings = settings, settings or from_environment()
    reports = dg.AssetSelection.groups(REPORTS_GROUP)
    pipeline_job = dg.define_asset_job(
        PIPELINE_JOB,
        selection=dg.AssetSelection.all() - reports,
        description=(
            "One ingest batch (a partition) from the landing zone to the star schema, then the dimensions "
            "and the DuckDB catalog."
        ),
    )
    bronze_assets = ("raw_snapshots", "landing_zones", "skipped_landing_entries")
    batch_assets = dg.AssetSelection.assets(
        *bronze_assets,
        "rejected_snapshots",
        "staged_articles",
        "articles",
        "fact_article",
        "fact_country_mention",
    )
    # One ingest batch from its raw snapshots on, without reading the landing zone: what a backfill
    # runs after an extractor or gazetteer upgrade, and `newsetl drop-batch` for the batches it mends.
    reclean_job = dg.define_asset_job(
        RECLEAN_JOB,
        selection=dg.AssetSelection.all() - reports - dg.AssetSelection.assets(*bronze_assets),
        description="One ingest batch cleaned again from its raw snapshots, then the dimensions and the catalog.",
    )
    # What is shared by every batch, rebuilt from the warehouse (after `newsetl drop-batch`, say); the
    # bronze checks still verify what is left.
    rebuild_job = dg.define_asset_job(
        REBUILD_JOB,
        selection=dg.AssetSelection.all() - reports - batch_assets
        | dg.AssetSelection.checks_for_assets(*bronze_assets),
        description="The dimensions and the catalog rebuilt from the warehouse, without reading the landing zone.",
    )
    # A run with nothing new: the landing zone's visit is recorded, so the catalog points at its new files.
    catalog_job = dg.define_asset_job(
        CATALOG_JOB,
        selection=dg.AssetSelection.assets("warehouse_catalog"),
        description="The DuckDB catalog rebuilt over the current files.",
    )
    reports_job = dg.define_asset_job(
        REPORTS_JOB, selection=reports, description="The analyst's charts, redrawn from the current warehouse."
    )
    return dg.Definitions(
        assets=with_current_code_versions(pipeline_assets),
        asset_checks=pipeline_checks,
        jobs=[pipeline_job, reports_job, rebuild_job, reclean_job, catalog_job],
        sensors=[
            build_landing_sensor(PIPELINE_JOB, settings.sensor),
            build_reports_after_pipeline(PIPELINE_JOB, reports_job, settings.sensor),
        ],
        schedules=[build_catch_up_schedule(PIPELINE_JOB)],
        resources=resources or default_resources(given),
        executor=executor or executor_from_env(settings),
    )


defs = build_definitions()
