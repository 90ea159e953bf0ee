import json
import os
from pathlib import Path

import dagster as dg
import pytest

from newsetl.batches import read_manifest
from newsetl.landing_cursor import plan_batch
from newsetl.settings import Settings
from newsetl.storage import Warehouse
from orchestration.definitions import defs
from orchestration.jobs import PIPELINE_JOB
from orchestration.resources import default_resources


def _warehouse(landing: Path) -> Warehouse:
    """Beside the landing zone, not in it: the manifests must not be read as landing files."""
    return Warehouse(str(landing.with_name(landing.name + "-warehouse")))


def _evaluate(landing: Path, cursor: str | None = None, instance: dg.DagsterInstance | None = None):
    if instance is None:
        # No run of the requested batches in it: all pending. (An instance with a ref: the sensor's
        # partitioned run requests are checked against its dynamic partitions.)
        with dg.instance_for_test() as fresh:
            return _evaluate(landing, cursor, fresh)
    sensor = defs.resolve_sensor_def("landing_zone_sensor")
    resources = default_resources(Settings(landing=str(landing), warehouse=_warehouse(landing).root))
    # The resources share one nested settings resource: they are opened, and closed, with the context.
    with dg.build_sensor_context(
        cursor=cursor, resources=resources, instance=instance, instance_ref=instance.get_ref(), definitions=defs
    ) as context:
        result = sensor.evaluate_tick(context)
    for request in result.dynamic_partitions_requests or []:  # what the daemon does with them
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result, context


def _files(landing: Path, request: dg.RunRequest) -> list[str]:
    """The files of the requested partition, as its manifest lists them."""
    return sorted(entry.source_file for entry in read_manifest(_warehouse(landing), request.partition_key))


def test_sensor_requests_a_run_for_new_files_then_skips(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "b.txt").write_text("second")
    result, context = _evaluate(tmp_path)
    [request] = result.run_requests
    assert _files(tmp_path, request) == ["a.txt", "b.txt"]
    assert request.job_name in (None, PIPELINE_JOB)
    # The partition (and run key) is the batch key of these files, added to the ingest_batch partitions.
    key = plan_batch(tmp_path, _warehouse(tmp_path), only=["a.txt", "b.txt"]).key
    assert request.partition_key == request.run_key == key
    [added] = result.dynamic_partitions_requests
    assert added.partitions_def_name == "ingest_batch" and list(added.partition_keys) == [key]

    again, _ = _evaluate(tmp_path, result.cursor)
    assert not again.run_requests and again.skip_message


def test_sensor_sees_added_and_modified_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first")
    first, _ = _evaluate(tmp_path)
    (tmp_path / "c.txt").write_text("third")
    os.utime(tmp_path / "a.txt", ns=(1, 10**18))
    second, _ = _evaluate(tmp_path, first.cursor)
    [request] = second.run_requests
    assert _files(tmp_path, request) == ["a.txt", "c.txt"]
    # Neither batch has run: the sensor's cursor holds both, nothing of the files themselves.
    assert json.loads(second.cursor) == {
        "requested": {first.run_requests[0].partition_key: 1, request.partition_key: 1}
    }


def test_same_files_give_the_same_run_key(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first")
    one, _ = _evaluate(tmp_path)
    two, _ = _evaluate(tmp_path)
    assert one.run_requests[0].run_key == two.run_requests[0].run_key


def test_nightly_schedule_targets_the_pipeline() -> None:
    schedule = defs.resolve_schedule_def("nightly_catch_up")
    assert schedule.job_name == PIPELINE_JOB and schedule.cron_schedule == "0 3 * * *"


def test_reports_are_redrawn_after_a_successful_pipeline_run_only() -> None:
    from orchestration.jobs import REPORTS_JOB

    sensor = defs.resolve_sensor_def("reports_after_pipeline")
    assert sensor.job_name == REPORTS_JOB
    pipeline = {key.to_user_string() for key in defs.resolve_job_def(PIPELINE_JOB).asset_layer.selected_asset_keys}
    reports = {key.to_user_string() for key in defs.resolve_job_def(REPORTS_JOB).asset_layer.selected_asset_keys}
    assert "report_page" in reports and "report_page" not in pipeline
    assert "fact_country_mention" in pipeline and not reports & pipeline


def _ingest(landing: Path, request: dg.RunRequest) -> None:
    """What the requested run's bronze step does: read the batch's files, then record it (the cursor moves on)."""
    from datetime import datetime

    from newsetl.batches import batch_from_manifest
    from newsetl.bronze import ingest_batch

    store = _warehouse(landing)
    ingest_batch(store, batch_from_manifest(landing, store, request.partition_key), datetime(2026, 12, 1))


def test_files_a_run_ingested_are_not_requested_again_and_the_sensor_keeps_no_file(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(name)
    with dg.instance_for_test() as instance:
        first, _ = _evaluate(tmp_path, instance=instance)
        [request] = first.run_requests
        _ingest(tmp_path, request)
        _add_run(instance, request, dg.DagsterRunStatus.SUCCESS)
        later, _ = _evaluate(tmp_path, first.cursor, instance)
        assert not later.run_requests
        assert json.loads(later.cursor) == {"requested": {}}
        # Without its own cursor too (switched off and on again): the landing cursor says what is ingested.
        fresh, _ = _evaluate(tmp_path, None, instance)
        assert not fresh.run_requests
        (tmp_path / "d.txt").write_text("fourth")
        newer, _ = _evaluate(tmp_path, later.cursor, instance)
        [new] = newer.run_requests
        assert _files(tmp_path, new) == ["d.txt"]


def test_a_file_rewritten_with_its_size_and_mtime_put_back_is_new(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("first")
    first, _ = _evaluate(tmp_path)
    stat = path.stat()
    path.write_text("FIRST")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    if path.stat().st_ctime_ns == stat.st_ctime_ns:
        pytest.skip("this filesystem did not move the ctime")
    second, _ = _evaluate(tmp_path, first.cursor)
    [request] = second.run_requests
    assert _files(tmp_path, request) == ["a.txt"]


def test_a_cursor_of_an_earlier_form_keeps_its_requested_batches(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first")
    first, _ = _evaluate(tmp_path)
    [request] = first.run_requests
    earlier = json.dumps({"watermark_ns": 1, "recent": {"a.txt": [5, 1, 1, 1]}, "requested": {request.run_key: 1}})
    result, _ = _evaluate(tmp_path, earlier)
    assert not result.run_requests  # a.txt is the requested batch's, not new
    assert json.loads(result.cursor) == {"requested": {request.run_key: 1}}
    oldest, _ = _evaluate(tmp_path, json.dumps({"a.txt": (tmp_path / "a.txt").stat().st_mtime_ns}))
    [again] = oldest.run_requests  # that form kept no batch: what is ingested is the warehouse's to say
    assert again.partition_key == request.partition_key


def _add_run(instance: dg.DagsterInstance, request: dg.RunRequest, status: dg.DagsterRunStatus) -> None:
    run = dg.DagsterRun(
        job_name=PIPELINE_JOB,
        run_config=request.run_config,
        tags={**request.tags, "dagster/run_key": request.run_key},
        status=status,
    )
    instance.add_run(run)


def test_a_failed_run_s_batch_is_requested_again_until_it_succeeds(tmp_path: Path) -> None:
    from orchestration import sensors

    (tmp_path / "a.txt").write_text("first")
    with dg.instance_for_test() as instance:
        first, _ = _evaluate(tmp_path, instance=instance)
        [request] = first.run_requests
        pending, _ = _evaluate(tmp_path, first.cursor, instance)  # not launched yet: nothing to do
        assert not pending.run_requests
        _add_run(instance, request, dg.DagsterRunStatus.FAILURE)
        retry, _ = _evaluate(tmp_path, pending.cursor, instance)
        [again] = retry.run_requests
        assert again.partition_key == request.partition_key and again.run_key != request.run_key
        assert again.tags[sensors.BATCH_TAG] == request.tags[sensors.BATCH_TAG] == request.run_key
        _ingest(tmp_path, again)  # a run that succeeds has ingested its batch
        _add_run(instance, again, dg.DagsterRunStatus.SUCCESS)
        done, _ = _evaluate(tmp_path, retry.cursor, instance)
        assert not done.run_requests and json.loads(done.cursor)["requested"] == {}


def test_a_batch_that_keeps_failing_is_left_to_the_catch_up_and_named(tmp_path: Path) -> None:
    from orchestration import sensors

    (tmp_path / "a.txt").write_text("first")
    with dg.instance_for_test() as instance:
        result, _ = _evaluate(tmp_path, instance=instance)
        attempts = 0
        while result.run_requests:
            attempts += 1
            _add_run(instance, result.run_requests[0], dg.DagsterRunStatus.FAILURE)
            result, _ = _evaluate(tmp_path, result.cursor, instance)
        assert attempts == sensors.MAX_ATTEMPTS
        key = plan_batch(tmp_path, _warehouse(tmp_path), only=["a.txt"]).key
        assert key in result.skip_message and key in json.loads(result.cursor)["requested"]


def test_sensor_lists_only_folders_changed_since_its_watermark_and_the_catch_up_lists_all(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "old").mkdir(parents=True)
    (landing / "old/a.txt").write_text("first")
    changed = max(os.stat(landing / "old").st_mtime_ns, os.stat(landing / "old").st_ctime_ns)
    probe = tmp_path / "probe"
    while True:  # the file clock is coarse: what is written next must be after the watermark
        probe.write_bytes(b"")
        if max(probe.stat().st_mtime_ns, probe.stat().st_ctime_ns) > changed:
            break
    from newsetl import landing_cursor

    zone = str(landing.resolve())
    landing_cursor.write(_warehouse(landing), landing_cursor.Cursor(zone, changed + 1, changed + 1))
    with open(landing / "old/a.txt", "r+") as rewrite:  # in place: old/ keeps its entries and times
        rewrite.write("again")
    (landing / "new").mkdir()
    (landing / "new/b.txt").write_text("second")

    result, _ = _evaluate(landing)
    [request] = result.run_requests
    assert _files(landing, request) == ["new/b.txt"]
    # The rewrite is the bounded listing's caveat: the nightly catch-up's full listing takes it.
    caught_up = plan_batch(landing, _warehouse(landing), full_listing=True)
    assert [f.source_file for f in caught_up.files] == ["new/b.txt", "old/a.txt"]
