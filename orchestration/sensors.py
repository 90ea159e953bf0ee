"""Watching the landing zone: a run for each set of new or changed files, and a nightly catch-up.

The sensor's cursor maps every landing file to the modification time it was last seen with; a
file is new when it is missing from the cursor or its time changed. The run key is the batch key
of those files, so the same files never launch two runs.
"""

import json
import os

import dagster as dg

from newsetl.batches import LandingEntry, batch_key, landing_entry
from newsetl.landing import discover
from orchestration.resources import LandingZone

SENSOR_ENV = "NEWSETL_SENSOR"  # "on" starts the sensor running; by default it waits to be switched on
# A pipeline run with this tag has its reports drawn by whoever launched it (`newsetl run`).
REPORTS_FOLLOW_TAG = "newsetl/reports_follow"


def _default_status() -> dg.DefaultSensorStatus:
    return dg.DefaultSensorStatus.RUNNING if os.environ.get(SENSOR_ENV) == "on" else dg.DefaultSensorStatus.STOPPED


def _landing_entries(root: str) -> dict[str, LandingEntry]:
    """Every landing file as batch planning sees it (local folder or object store)."""
    files, _ = discover(root)
    return {file.source_file: landing_entry(file) for file in files}


def build_landing_sensor(job_name: str) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_zone_sensor",
        job_name=job_name,
        minimum_interval_seconds=30,
        default_status=_default_status(),
        description="Launches a pipeline run for the landing files that are new or changed since the last run it launched.",
    )
    def landing_zone_sensor(context: dg.SensorEvaluationContext, landing: LandingZone):
        seen: dict[str, int] = json.loads(context.cursor) if context.cursor else {}
        current = _landing_entries(landing.path())
        new = sorted(path for path, entry in current.items() if seen.get(path) != entry.mtime_ns)
        if not new:
            return dg.SkipReason(f"no new files among {len(current)} in {landing.path()}")
        # The run key is the key the ingest batch of these files gets, so a run is easy to find.
        key = batch_key([current[path] for path in new])
        context.update_cursor(json.dumps({path: entry.mtime_ns for path, entry in current.items()}, sort_keys=True))
        return dg.RunRequest(
            run_key=key,
            run_config={"ops": {"raw_snapshots": {"config": {"files": new}}}},
            tags={"newsetl/new_files": str(len(new))},
        )

    return landing_zone_sensor


def build_catch_up_schedule(job_name: str) -> dg.ScheduleDefinition:
    """Once a night, a plain run picks up anything the sensor did not see (it was off, or files came back)."""
    return dg.ScheduleDefinition(
        name="nightly_catch_up",
        job_name=job_name,
        cron_schedule="0 3 * * *",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Ingest whatever is new in the landing zone, and rebuild the gold tables and the catalog.",
    )


def build_reports_after_pipeline(pipeline_job: str, reports_job) -> dg.SensorDefinition:
    """Redraw the charts after every successful pipeline run, so the UI's reports follow the data.

    A separate job, so that the pipeline's own runs stay fast when nothing is new. `newsetl run`
    draws its reports itself, right after its run (tagged REPORTS_FOLLOW_TAG), so they are not drawn twice.
    """

    @dg.run_status_sensor(
        name="reports_after_pipeline",
        run_status=dg.DagsterRunStatus.SUCCESS,
        request_job=reports_job,
        default_status=_default_status(),
        description="Launches the reports job after each successful pipeline run.",
    )
    def reports_after_pipeline(context: dg.RunStatusSensorContext):
        if context.dagster_run.job_name != pipeline_job:
            return dg.SkipReason(f"{context.dagster_run.job_name} is not the pipeline")
        if context.dagster_run.tags.get(REPORTS_FOLLOW_TAG) == "true":
            return dg.SkipReason("newsetl run draws this run's reports itself")
        return dg.RunRequest(run_key=context.dagster_run.run_id)

    return reports_after_pipeline
