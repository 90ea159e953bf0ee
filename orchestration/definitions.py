"""The Dagster definitions: what `dagster dev` loads and `newsetl run` executes."""

import os

import dagster as dg

from assets import pipeline_assets, pipeline_checks
from orchestration.resources import default_resources
from orchestration.sensors import build_catch_up_schedule, build_landing_sensor, build_reports_after_pipeline

EXECUTOR_ENV = "NEWSETL_EXECUTOR"
PIPELINE_JOB = "newsetl_pipeline"
REPORTS_JOB = "newsetl_reports"
REBUILD_JOB = "newsetl_rebuild"
REPORTS_GROUP = "reports"


def executor_from_env() -> dg.ExecutorDefinition:
    """in_process by default: multiprocess spends ~10 s starting processes for a few-second job.

    k8s runs each step in its own Kubernetes pod (deploy/README.md); the warehouse must then be on an
    object store, which orchestration.deployment checks before any pod starts.
    """
    choice = os.environ.get(EXECUTOR_ENV, "in_process")
    if choice == "in_process":
        return dg.in_process_executor
    if choice == "multiprocess":
        return dg.multiprocess_executor
    if choice == "k8s":
        from orchestration.deployment import kubernetes_executor

        return kubernetes_executor()
    raise ValueError(f"{EXECUTOR_ENV} must be in_process, multiprocess or k8s, not {choice!r}")


def build_definitions(resources: dict | None = None, executor: dg.ExecutorDefinition | None = None) -> dg.Definitions:
    reports = dg.AssetSelection.groups(REPORTS_GROUP)
    pipeline_job = dg.define_asset_job(
        PIPELINE_JOB,
        selection=dg.AssetSelection.all() - reports,
        description="Raw snapshots to the star-schema warehouse and its DuckDB catalog.",
    )
    bronze_assets = ("raw_snapshots", "landing_zones", "skipped_landing_entries")
    # What `newsetl drop-batch` runs after removing a batch: the landing zone is not read, and the
    # bronze checks still verify what is left.
    rebuild_job = dg.define_asset_job(
        REBUILD_JOB,
        selection=dg.AssetSelection.all() - reports - dg.AssetSelection.assets(*bronze_assets)
        | dg.AssetSelection.checks_for_assets(*bronze_assets),
        description="Silver's leftovers, the gold tables and the catalog rebuilt from the warehouse, without reading the landing zone.",
    )
    reports_job = dg.define_asset_job(
        REPORTS_JOB, selection=reports, description="The analyst's charts, redrawn from the current warehouse."
    )
    return dg.Definitions(
        assets=pipeline_assets,
        asset_checks=pipeline_checks,
        jobs=[pipeline_job, reports_job, rebuild_job],
        sensors=[build_landing_sensor(PIPELINE_JOB), build_reports_after_pipeline(PIPELINE_JOB, reports_job)],
        schedules=[build_catch_up_schedule(PIPELINE_JOB)],
        resources=resources or default_resources(),
        executor=executor or executor_from_env(),
    )


defs = build_definitions()
