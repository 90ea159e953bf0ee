"""Watching the landing zone: a run for each set of new or changed files, and a nightly catch-up.

What is new is what the warehouse's landing cursor says is not ingested (newsetl.landing_cursor: a
watermark on the files' change time, the identities of the files just below and after it, and the
read-again requests of refused files and dropped batches), less the files of the batches the sensor
requested whose runs have not succeeded yet. The sensor lists from the watermark (folders unchanged
since are not looked into) and writes nothing but manifests: the cursor moves on when a batch's rows
are written. Its own cursor holds only the batches it requested and has not yet seen succeed.

The new files are one ingest batch: the sensor writes its manifest, adds its key to the `ingest_batch`
dynamic partitions and requests a run of that partition. The run key is the batch key, so the same
files never launch two runs. A run that failed or was canceled is requested again (the same
partition and run config, a new run key), up to
MAX_ATTEMPTS times; after that the batch stays in the cursor and in every tick's message, and the
nightly catch-up (which lists every folder and runs every pending batch) takes it.
"""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg

from assets.partitions import ingest_batches
from newsetl import partition_migration
from newsetl.batches import write_manifest
from newsetl.landing_cursor import plan_batch
from orchestration.resources import LandingZone, WarehouseStore

# A pipeline run with this tag has its reports drawn by whoever launched it (`newsetl run`).
REPORTS_FOLLOW_TAG = "newsetl/reports_follow"
# Every run the landing sensor requests carries its batch key, so that its outcome can be looked up.
BATCH_TAG = "newsetl/ingest_batch"
ATTEMPT_TAG = "newsetl/attempt"
MAX_ATTEMPTS = 3
_FAILED = (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


# A warehouse written before partitions is migrated by `newsetl run` (orchestration.partitions.migrate_partitions):
# its old batches are cleaned again there, one after the other, before any new batch.
MIGRATE_FIRST = (
    "{} was written by a newsetl from before ingest batches were partitions: run `newsetl run` once to bring "
    "it up to date"
)


def _default_status(running: bool) -> dg.DefaultSensorStatus:
    # Settings.sensor (NEWSETL_SENSOR=on) starts the sensor running; by default it waits to be switched on.
    return dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED


def partition_run_request(
    key: str, attempt: int, run_config: Mapping[str, Any] | None = None, tags: dict | None = None
) -> dg.RunRequest:
    return dg.RunRequest(
        partition_key=key,
        run_key=key if attempt == 1 else f"{key}.{attempt}",
        run_config=run_config or {},
        tags={**(tags or {}), BATCH_TAG: key, ATTEMPT_TAG: str(attempt)},
    )


def _read_cursor(raw: str | None) -> dict:
    """The sensor's cursor as {requested: {batch key: attempts}}; a cursor of an earlier form (which also
    kept a watermark and file identities, now the warehouse's landing cursor) keeps its requested batches."""
    cursor = json.loads(raw) if raw else {}
    requested = cursor.get("requested")
    return {"requested": dict(requested) if isinstance(requested, dict) else {}}


def _follow_up(context: dg.SensorEvaluationContext, requested: dict[str, int]) -> tuple[list[dg.RunRequest], list[str]]:
    """Run requests for the batches whose latest run failed (and may be tried again); drops from
    `requested` the batches whose latest run succeeded. Returns (requests, batches given up on)."""
    retries: list[dg.RunRequest] = []
    given_up: list[str] = []
    for key, attempts in sorted(requested.items()):
        runs = context.instance.get_runs(filters=dg.RunsFilter(tags={BATCH_TAG: key}), limit=1)
        if not runs:
            continue  # requested, not launched yet
        latest = runs[0]
        if latest.status == dg.DagsterRunStatus.SUCCESS:
            del requested[key]
        elif latest.status in _FAILED:
            if attempts >= MAX_ATTEMPTS:
                given_up.append(key)
                continue
            requested[key] = attempts + 1
            context.log.warning(
                f"the run {latest.run_id} of batch {key} {latest.status.value.lower()}: requesting it again"
            )
            kept_tags = {k: v for k, v in latest.tags.items() if k.startswith("newsetl/")}
            retries.append(partition_run_request(key, attempts + 1, latest.run_config, kept_tags))
    return retries, given_up


def build_landing_sensor(job_name: str, running: bool = False) -> dg.SensorDefinition:
    @dg.sensor(
        name="landing_zone_sensor",
        job_name=job_name,
        minimum_interval_seconds=30,
        default_status=_default_status(running),
        description=(
            "Registers the landing files the landing cursor finds new or changed as an ingest batch "
            "(a partition) and launches its run; requests a failed run's batch again."
        ),
    )
    def landing_zone_sensor(context: dg.SensorEvaluationContext, landing: LandingZone, warehouse: WarehouseStore):
        store = warehouse.store()
        if partition_migration.needed(store):
            return dg.SkipReason(MIGRATE_FIRST.format(store.root))
        cursor = _read_cursor(context.cursor)
        requests, given_up = _follow_up(context, cursor["requested"]) if cursor["requested"] else ([], [])
        batch = plan_batch(landing.path(), store, exclude=sorted(cursor["requested"]))
        added: list[str] = []
        if batch.files:
            # The manifest before the partition: a run of the partition always finds its files.
            write_manifest(store, batch)
            added.append(batch.key)
            cursor["requested"][batch.key] = 1
            requests.append(partition_run_request(batch.key, 1, tags={"newsetl/new_files": str(len(batch.files))}))
        context.update_cursor(json.dumps(cursor, sort_keys=True))
        if given_up:
            context.log.warning(
                f"batches whose runs failed {MAX_ATTEMPTS} times, left to the nightly catch-up: {', '.join(given_up)}"
            )
        if not requests:
            note = f"; failed {MAX_ATTEMPTS} times: {', '.join(given_up)}" if given_up else ""
            return dg.SkipReason(f"no new files among {batch.already_ingested} listed in {landing.path()}{note}")
        return dg.SensorResult(
            run_requests=requests,
            dynamic_partitions_requests=[ingest_batches.build_add_request(added)] if added else [],
        )

    return landing_zone_sensor


def build_catch_up_schedule(job_name: str) -> dg.ScheduleDefinition:
    """Once a night, whatever the sensor did not see (it was off, or files came back) becomes a batch,
    and every registered batch without a finished run is requested again."""
    from orchestration.partitions import pending, register

    @dg.schedule(
        name="nightly_catch_up",
        job_name=job_name,
        cron_schedule="0 3 * * *",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Ingest whatever is new in the landing zone as a batch, and run every batch not yet done.",
    )
    def nightly_catch_up(context: dg.ScheduleEvaluationContext, landing: LandingZone, warehouse: WarehouseStore):
        store = warehouse.store()
        if partition_migration.needed(store):
            return dg.SkipReason(MIGRATE_FIRST.format(store.root))
        # Every folder looked into: files rewritten in place inside old folders (see newsetl.landing_cursor).
        batch = plan_batch(landing.path(), store, exclude=pending(context.instance, store), full_listing=True)
        if batch.files:
            register(context.instance, store, batch)
        stamp = context.scheduled_execution_time.strftime("%Y%m%dT%H%M")
        return [
            dg.RunRequest(partition_key=key, run_key=f"{key}.catch-up-{stamp}", tags={BATCH_TAG: key})
            for key in pending(context.instance, store)
            if not partition_migration.is_migrated(store, key)  # cleaned from raw_snapshots by newsetl run
        ]

    return nightly_catch_up


def build_reports_after_pipeline(pipeline_job: str, reports_job, running: bool = False) -> dg.SensorDefinition:
    """Redraw the charts after every successful pipeline run, so the UI's reports follow the data.

    A separate job, so that the pipeline's own runs stay fast when nothing is new. `newsetl run`
    draws its reports itself, right after its run (tagged REPORTS_FOLLOW_TAG), so they are not drawn twice.
    """

    @dg.run_status_sensor(
        name="reports_after_pipeline",
        run_status=dg.DagsterRunStatus.SUCCESS,
        request_job=reports_job,
        default_status=_default_status(running),
        description="Launches the reports job after each successful pipeline run.",
    )
    def reports_after_pipeline(context: dg.RunStatusSensorContext):
        if context.dagster_run.job_name != pipeline_job:
            return dg.SkipReason(f"{context.dagster_run.job_name} is not the pipeline")
        if context.dagster_run.tags.get(REPORTS_FOLLOW_TAG) == "true":
            return dg.SkipReason("newsetl run draws this run's reports itself")
        return dg.RunRequest(run_key=context.dagster_run.run_id)

    return reports_after_pipeline
