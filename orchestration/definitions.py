"""The Dagster definitions: what `dagster dev` loads and `newsetl run` executes."""

import os

import dagster as dg

from assets import pipeline_assets, pipeline_checks
from orchestration.resources import default_resources
from orchestration.sensors import build_catch_up_schedule, build_landing_sensor

EXECUTOR_ENV = "NEWSETL_EXECUTOR"
PIPELINE_JOB = "newsetl_pipeline"


def executor_from_env() -> dg.ExecutorDefinition:
    """in_process by default: multiprocess spends ~10 s starting processes for a few-second job."""
    choice = os.environ.get(EXECUTOR_ENV, "in_process")
    if choice == "in_process":
        return dg.in_process_executor
    if choice == "multiprocess":
        return dg.multiprocess_executor
    raise ValueError(f"{EXECUTOR_ENV} must be in_process or multiprocess, not {choice!r}")


def build_definitions(resources: dict | None = None, executor: dg.ExecutorDefinition | None = None) -> dg.Definitions:
    pipeline_job = dg.define_asset_job(
        PIPELINE_JOB,
        selection=dg.AssetSelection.all(),
        description="Raw snapshots to the star-schema warehouse and its DuckDB catalog.",
    )
    return dg.Definitions(
        assets=pipeline_assets,
        asset_checks=pipeline_checks,
        jobs=[pipeline_job],
        sensors=[build_landing_sensor(PIPELINE_JOB)],
        schedules=[build_catch_up_schedule(PIPELINE_JOB)],
        resources=resources or default_resources(),
        executor=executor or executor_from_env(),
    )


defs = build_definitions()
