"""The Dagster definitions: what `dagster dev` loads and `newsetl run` executes."""

import os

import dagster as dg

from assets import pipeline_assets, pipeline_checks
from orchestration.resources import default_resources

EXECUTOR_ENV = "NEWSETL_EXECUTOR"


def executor_from_env() -> dg.ExecutorDefinition:
    """in_process by default: multiprocess spends ~10 s starting processes for a few-second job."""
    choice = os.environ.get(EXECUTOR_ENV, "in_process")
    if choice == "in_process":
        return dg.in_process_executor
    if choice == "multiprocess":
        return dg.multiprocess_executor
    raise ValueError(f"{EXECUTOR_ENV} must be in_process or multiprocess, not {choice!r}")


pipeline_job = dg.define_asset_job(
    "newsetl_pipeline",
    selection=dg.AssetSelection.all(),
    description="Raw snapshots to the star-schema warehouse and its DuckDB catalog.",
)

defs = dg.Definitions(
    assets=pipeline_assets,
    asset_checks=pipeline_checks,
    jobs=[pipeline_job],
    resources=default_resources(),
    executor=executor_from_env(),
)
