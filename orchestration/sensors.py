"""Watching the landing zone: a run for each set of new or changed files, and a nightly catch-up.

The sensor's cursor is bounded: a watermark on the files' change time (the later of mtime and ctime;
a file copied with its old mtime, moved in or rewritten in place still gets a new ctime), the
identities (size, mtime, ctime, inode) of the files of the last LAG before it, and the batches whose
runs it requested and has not yet seen succeed. A file is new when its change time is after the
watermark, or within the window and its identity is not the one recorded; files older than the
window are never looked at again, however many the landing zone holds. The window covers objects
that become visible after their timestamp (an upload's LastModified is when it began).

The new files are one ingest batch: the sensor writes its manifest, adds its key to the `ingest_batch`
dynamic partitions and requests a run of that partition. The run key is the batch key, so the same
files never launch two runs. A run that failed or was canceled is requested again (the same
partition and run config, a new run key), up to
MAX_ATTEMPTS times; after that the batch stays in the cursor and in every tick's message, and the
nightly catch-up (which plans every file not recorded as ingested) takes its files.
"""

import json
from collections.abc import Mapping
from typing import Any

import dagster as dg

from assets.partitions import ingest_batches
from newsetl.batches import Batch, LandingEntry, batch_key, landing_entry, write_manifest
from newsetl.landing import discover
from orchestration.resources import LandingZone, WarehouseStore

# A pipeline run with this tag has its reports drawn by whoever launched it (`newsetl run`).
REPORTS_FOLLOW_TAG = "newsetl/reports_follow"
# Every run the landing sensor requests carries its batch key, so that its outcome can be looked up.
BATCH_TAG = "newsetl/ingest_batch"
ATTEMPT_TAG = "newsetl/attempt"
LAG_NS = 15 * 60 * 10**9
MAX_ATTEMPTS = 3
_FAILED = (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


def _default_status(running: bool) -> dg.DefaultSensorStatus:
    # Settings.sensor (NEWSETL_SENSOR=on) starts the sensor running; by default it waits to be switched on.
    return dg.DefaultSensorStatus.RUNNING if running else dg.DefaultSensorStatus.STOPPED


def _landing_entries(root: str, changed_since_ns: int | None = None) -> dict[str, LandingEntry]:
    """The landing files as batch planning sees them (local folder or object store); with a bound, only
    those of folders changed since it (a bounded listing, see newsetl.landing.discover)."""
    files, _ = discover(root, changed_since_ns)
    return {file.source_file: landing_entry(file) for file in files}


def _listing_bound(raw: str | None) -> int | None:
    """The watermark of a cursor of the current form, which bounds the listing; None (list everything)
    for no cursor or one of the earlier form, which needs every file to be migrated."""
    cursor = json.loads(raw) if raw else {}
    watermark = cursor.get("watermark_ns", -1)
    return watermark if watermark >= 0 else None


def partition_run_request(
    key: str, attempt: int, run_config: Mapping[str, Any] | None = None, tags: dict | None = None
) -> dg.RunRequest:
    return dg.RunRequest(
        partition_key=key,
        run_key=key if attempt == 1 else f"{key}.{attempt}",
        run_config=run_config or {},
        tags={**(tags or {}), BATCH_TAG: key, ATTEMPT_TAG: str(attempt)},
    )


def _changed_at(entry: LandingEntry) -> int:
    return max(entry.mtime_ns, entry.ctime_ns)


def _identity(entry: LandingEntry) -> list[int]:
    return [entry.size, entry.mtime_ns, entry.ctime_ns, entry.inode]


def _read_cursor(raw: str | None, current: dict[str, LandingEntry]) -> dict:
    """The cursor as {watermark_ns, recent: {path: identity}, requested: {batch key: attempts}}.

    A cursor of the earlier form ({path: mtime_ns} of every file seen) becomes one whose window is
    everything: the listed files it holds with the same mtime count as seen, every other one is new.
    """
    cursor = json.loads(raw) if raw else {}
    if "watermark_ns" in cursor:
        return cursor
    seen = {path: entry for path, entry in current.items() if cursor.get(path) == entry.mtime_ns}
    return {"watermark_ns": -1, "recent": {path: _identity(e) for path, e in seen.items()}, "requested": {}}


def _is_new(path: str, entry: LandingEntry, cursor: dict) -> bool:
    changed = _changed_at(entry)
    if changed < cursor["watermark_ns"]:
        return False
    return cursor["recent"].get(path) != _identity(entry)


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
            "Registers the landing files that are new or changed since its watermark as an ingest batch "
            "(a partition) and launches its run; requests a failed run's batch again."
        ),
    )
    def landing_zone_sensor(context: dg.SensorEvaluationContext, landing: LandingZone, warehouse: WarehouseStore):
        current = _landing_entries(landing.path(), _listing_bound(context.cursor))
        cursor = _read_cursor(context.cursor, current)
        requests, given_up = _follow_up(context, cursor["requested"]) if cursor["requested"] else ([], [])
        new = sorted(path for path, entry in current.items() if _is_new(path, entry, cursor))
        added: list[str] = []
        if new:
            entries = [current[path] for path in new]
            key = batch_key(entries)
            # The manifest before the partition: a run of the partition always finds its files.
            write_manifest(warehouse.store(), Batch(key, [], entries, []))
            added.append(key)
            cursor["requested"][key] = 1
            requests.append(partition_run_request(key, 1, tags={"newsetl/new_files": str(len(new))}))
        newest = max((_changed_at(e) for e in current.values()), default=-1)
        watermark = max(cursor["watermark_ns"], newest - LAG_NS)
        cursor["watermark_ns"] = watermark
        cursor["recent"] = {path: _identity(e) for path, e in current.items() if _changed_at(e) >= watermark}
        context.update_cursor(json.dumps(cursor, sort_keys=True))
        if given_up:
            context.log.warning(
                f"batches whose runs failed {MAX_ATTEMPTS} times, left to the nightly catch-up: {', '.join(given_up)}"
            )
        if not requests:
            note = f"; failed {MAX_ATTEMPTS} times: {', '.join(given_up)}" if given_up else ""
            return dg.SkipReason(f"no new files among {len(current)} listed in {landing.path()}{note}")
        return dg.SensorResult(
            run_requests=requests,
            dynamic_partitions_requests=[ingest_batches.build_add_request(added)] if added else [],
        )

    return landing_zone_sensor


def build_catch_up_schedule(job_name: str) -> dg.ScheduleDefinition:
    """Once a night, whatever the sensor did not see (it was off, or files came back) becomes a batch,
    and every registered batch without a finished run is requested again."""
    from newsetl.batches import plan_batch
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
        batch = plan_batch(landing.path(), store)
        if batch.files:
            register(context.instance, store, batch)
        stamp = context.scheduled_execution_time.strftime("%Y%m%dT%H%M")
        return [
            dg.RunRequest(partition_key=key, run_key=f"{key}.catch-up-{stamp}", tags={BATCH_TAG: key})
            for key in pending(context.instance, store)
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
