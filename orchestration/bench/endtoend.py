"""The end-to-end run, in a child process of its own: `python -m orchestration.bench.endtoend LANDING WAREHOUSE`.

A child per corpus size, so that its peak RSS is its own (ru_maxrss never goes down within a
process) and interpreter start-up and imports are timed apart from the run. Prints one JSON object.
"""

import json
import resource
import sys
import time
from dataclasses import replace


def _step_seconds(instance, run_ids: list[str]) -> dict[str, float]:
    """Wall seconds of each Dagster step, from the runs' event logs (added over the runs of one `newsetl run`)."""
    started: dict[str, float] = {}
    seconds: dict[str, float] = {}
    for entry in (entry for run_id in run_ids for entry in instance.all_logs(run_id)):
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type_value == "STEP_START":
            started[event.step_key] = entry.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in started:
            seconds[event.step_key] = round(
                seconds.get(event.step_key, 0.0) + entry.timestamp - started[event.step_key], 3
            )
    return seconds


def _failures(result) -> list[str]:
    found = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            while error is not None and error.cause is not None:
                error = error.cause
            found.append(f"{event.step_key}: {error.message.strip() if error else event.message}")
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and not event.event_specific_data.passed:
            check = event.event_specific_data
            found.append(f"check {check.asset_key.to_user_string()}:{check.check_name}: {check.description}")
    return found


def _max_rss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def run(landing: str, warehouse: str) -> dict:
    started = time.perf_counter()
    import dagster as dg

    from orchestration.runs import run_pipeline
    from orchestration.settings import from_environment

    settings = replace(from_environment(), landing=landing, warehouse=warehouse)

    imported = time.perf_counter()
    instance = dg.DagsterInstance.ephemeral()
    runs = []
    for label in ("first", "nothing_new"):
        began = time.perf_counter()
        result = _run_with(run_pipeline, settings, instance)
        runs.append(
            {
                "run": label,
                "seconds": round(time.perf_counter() - began, 3),
                "success": result.success,
                "failures": _failures(result),
                "steps": _step_seconds(instance, result.run_ids),
                "rss_after_mb": _max_rss_mb(resource.RUSAGE_SELF),
            }
        )
    return {
        "import_seconds": round(imported - started, 3),
        "runs": runs,
        "peak_rss_mb": {
            "main_process": _max_rss_mb(resource.RUSAGE_SELF),
            "largest_worker": _max_rss_mb(resource.RUSAGE_CHILDREN),
        },
        "rows": _rows(warehouse),
    }


def _run_with(run_pipeline, settings, instance):
    """run_pipeline on the given ephemeral instance, so that the step timings can be read back from it."""
    from unittest import mock

    import dagster as dg

    with mock.patch.object(dg.DagsterInstance, "ephemeral", staticmethod(lambda *a, **k: instance)):
        return run_pipeline(settings, ephemeral=True, log_level="CRITICAL")


def _rows(warehouse: str) -> dict[str, int]:
    import pyarrow.parquet as pq

    from newsetl import schemas
    from newsetl.storage import Warehouse
    from orchestration.settings import from_environment

    store = Warehouse(warehouse, s3=from_environment().s3)
    counts = {}
    for table in schemas.TABLES:
        files = store._parquet_files(store._fs_and_base[0], store.table_path(table))
        counts[table] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    return counts


def main(argv: list[str] | None = None) -> int:
    landing, warehouse = (argv if argv is not None else sys.argv[1:])[:2]
    print(json.dumps(run(landing, warehouse)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
