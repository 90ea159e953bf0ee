import json
import os
from pathlib import Path

import dagster as dg

from newsetl.batches import plan_batch
from newsetl.storage import Warehouse
from orchestration.definitions import PIPELINE_JOB, defs
from orchestration.resources import LandingZone


def _evaluate(landing: Path, cursor: str | None = None):
    sensor = defs.resolve_sensor_def("landing_zone_sensor")
    context = dg.build_sensor_context(cursor=cursor, resources={"landing": LandingZone(root=str(landing))})
    return sensor.evaluate_tick(context), context


def test_sensor_requests_a_run_for_new_files_then_skips(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "b.txt").write_text("second")
    result, context = _evaluate(tmp_path)
    [request] = result.run_requests
    assert request.run_config["ops"]["raw_snapshots"]["config"]["files"] == ["a.txt", "b.txt"]
    assert request.job_name in (None, PIPELINE_JOB)
    # The run key is the batch key the raw asset will give these files.
    assert request.run_key == plan_batch(tmp_path, Warehouse(str(tmp_path / "wh")), only=["a.txt", "b.txt"]).key

    again, _ = _evaluate(tmp_path, result.cursor)
    assert not again.run_requests and again.skip_message


def test_sensor_sees_added_and_modified_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first")
    first, _ = _evaluate(tmp_path)
    (tmp_path / "c.txt").write_text("third")
    os.utime(tmp_path / "a.txt", ns=(1, 10**18))
    second, _ = _evaluate(tmp_path, first.cursor)
    [request] = second.run_requests
    assert request.run_config["ops"]["raw_snapshots"]["config"]["files"] == ["a.txt", "c.txt"]
    assert set(json.loads(second.cursor)) == {"a.txt", "c.txt"}


def test_same_files_give_the_same_run_key(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first")
    one, _ = _evaluate(tmp_path)
    two, _ = _evaluate(tmp_path)
    assert one.run_requests[0].run_key == two.run_requests[0].run_key


def test_nightly_schedule_targets_the_pipeline() -> None:
    schedule = defs.resolve_schedule_def("nightly_catch_up")
    assert schedule.job_name == PIPELINE_JOB and schedule.cron_schedule == "0 3 * * *"


def test_reports_are_redrawn_after_a_successful_pipeline_run_only() -> None:
    from orchestration.definitions import REPORTS_JOB

    sensor = defs.resolve_sensor_def("reports_after_pipeline")
    assert sensor.job_name == REPORTS_JOB
    pipeline = {key.to_user_string() for key in defs.resolve_job_def(PIPELINE_JOB).asset_layer.selected_asset_keys}
    reports = {key.to_user_string() for key in defs.resolve_job_def(REPORTS_JOB).asset_layer.selected_asset_keys}
    assert "report_page" in reports and "report_page" not in pipeline
    assert "fact_country_mention" in pipeline and not reports & pipeline
