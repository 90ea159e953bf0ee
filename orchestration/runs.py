"""Running newsetl's Dagster jobs in this process: what `newsetl run`, `newsetl eval` and the bench drive."""

import os
from pathlib import Path

from newsetl import config
from newsetl.settings import Settings
from newsetl.storage import Warehouse
from orchestration.settings import from_environment

DAGSTER_HOME = config.PROJECT_ROOT / ".dagster_home"


def dagster_home() -> Path:
    """A persistent instance inside the project, telemetry off, so run history survives restarts."""
    home = Path(os.environ.get("DAGSTER_HOME") or DAGSTER_HOME)
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        settings.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _execute_job(
    settings: Settings,
    job_name: str,
    run_config: dict,
    tags: dict[str, str],
    progress: bool,
    ephemeral: bool,
    partition_key: str | None = None,
):
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.resources import default_resources

    instance = dg.DagsterInstance.ephemeral() if ephemeral else dg.DagsterInstance.get()
    definitions = build_definitions(
        default_resources(settings, progress=progress), executor=dg.in_process_executor, settings=settings
    )
    job = definitions.resolve_job_def(job_name)
    return job.execute_in_process(
        instance=instance, raise_on_error=False, run_config=run_config, tags=tags, partition_key=partition_key
    )


def run_pipeline(
    settings: Settings | None = None,
    progress: bool = False,
    ephemeral: bool = False,
    log_level: str = "WARNING",
    reprocess: bool = False,
    reports_follow: bool = False,
    add_landing: bool = False,
    full_listing: bool = False,
):
    """Register the landing zone's new files as a batch and run every pending batch in this process,
    one partition run each (orchestration.partitions.materialize_landing); returns their PipelineRuns.
    `settings` name the landing zone, the warehouse and the rest (default: this process's environment).

    `reprocess` cleans every batch again from its raw snapshots (a backfill of the reclean job).
    `reports_follow` tags the runs so that the reports_after_pipeline sensor leaves them to the caller,
    who draws the reports itself right after. `add_landing` lets a warehouse take in a landing zone
    it does not belong to yet.
    """
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.partitions import materialize_landing
    from orchestration.resources import default_resources
    from orchestration.sensors import REPORTS_FOLLOW_TAG

    run_config: dict = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    if add_landing:
        run_config["ops"] = {"raw_snapshots": {"config": {"add_landing": True}}}
    tags = {REPORTS_FOLLOW_TAG: "true"} if reports_follow else {}
    settings = settings or from_environment()
    instance = dg.DagsterInstance.ephemeral() if ephemeral else dg.DagsterInstance.get()
    definitions = build_definitions(
        default_resources(settings, progress=progress), executor=dg.in_process_executor, settings=settings
    )
    store = settings.warehouse_store()
    runs = materialize_landing(
        definitions, instance, settings.landing, store, run_config, tags, reprocess=reprocess, full_listing=full_listing
    )
    if runs.success:
        from newsetl.landing_zones import normalize

        settle(instance, store, normalize(settings.landing))
    return runs


def settle(instance, store: Warehouse, landing: str) -> bool:
    """Mark the warehouse settled (newsetl.settled) when no batch of it is pending; True if it was.

    The marker is written before the last look at the pending batches: a batch registered meanwhile
    removed any marker before its manifest was written, so it is either seen here or removes this one.
    """
    from newsetl import settled
    from orchestration.partitions import pending

    settled.mark(store, landing)
    if pending(instance, store):
        store.unsettle()
        return False
    return True


def run_reports(settings: Settings, ephemeral: bool = False, log_level: str = "WARNING"):
    """The reports job in this process, on the same instance as the pipeline, so the UI shows the
    report assets materialized; returns the Dagster result."""
    from orchestration.jobs import REPORTS_JOB

    return _execute_job(
        settings, REPORTS_JOB, {"loggers": {"console": {"config": {"log_level": log_level}}}}, {}, False, ephemeral
    )
