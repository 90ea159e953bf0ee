"""Two ingest batches run at once, each in its own process, through a Dagster instance with a queued
run coordinator and pool limits, give the warehouse that running them one after the other gives.

What the two runs share (first-seen order for identical bytes and near-duplicates, the dimensions,
the catalog) is serialized by the pools and by each batch waiting for the batches registered before
it; the comparison is scripts/compare_warehouses.py's (sorted rows, without the run's timestamps
and batch keys).
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from newsetl import config
from newsetl.landing_cursor import plan_batch
from newsetl.storage import Warehouse
from orchestration.jobs import PIPELINE_JOB
from orchestration.partitions import register
from scripts.compare_warehouses import dump_warehouse
from tests.test_pipeline import definitions_for

SEED_ZH = config.SAMPLES_LANDING / "000_b243f9a26ff972f0.txt"
SEED_VI = config.SAMPLES_LANDING / "004_a8e61c68e45d245b.txt"
DAGSTER_YAML = """
telemetry:
  enabled: false
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  runs:
    max_concurrent_runs: 2
  pools:
    default_limit: 1
"""


def _landing(root: Path) -> tuple[Path, list[list[str]]]:
    """Two batches whose second holds a recrawl of the first's story and a copy of its bytes."""
    landing = root / "landing"
    landing.mkdir()
    shutil.copy(SEED_ZH, landing / "a-story.txt")
    shutil.copy(SEED_VI, landing / "a-other.txt")
    recrawl = SEED_ZH.read_text(encoding="utf-8").replace(
        "快照生成时间:2024-06-19 15:45:21", "快照生成时间:2024-06-20 09:12:03"
    )
    (landing / "b-recrawl.txt").write_text(recrawl, encoding="utf-8")
    shutil.copy(SEED_VI, landing / "b-mirror.txt")
    return landing, [["a-other.txt", "a-story.txt"], ["b-mirror.txt", "b-recrawl.txt"]]


def _register(instance: dg.DagsterInstance, landing: Path, warehouse: Path, batches: list[list[str]]) -> list[str]:
    store = Warehouse(str(warehouse))
    return [register(instance, store, plan_batch(landing, store, only=files)) for files in batches]


def _sequential(landing: Path, warehouse: Path, batches: list[list[str]]) -> None:
    instance = dg.DagsterInstance.ephemeral()
    job = definitions_for(landing, warehouse).resolve_job_def(PIPELINE_JOB)
    for key in _register(instance, landing, warehouse, batches):
        assert job.execute_in_process(instance=instance, partition_key=key).success


def comparable_dump(warehouse: Path, out: Path) -> dict[str, str]:
    """{table file: sorted rows} of a warehouse, without what differs between any two runs: the run's
    clock (landing_zones) and the last fold's counts (whichever batch came last)."""
    dump_warehouse(warehouse, out)
    return {
        table.name: table.read_text(encoding="utf-8")
        for table in sorted(out.iterdir())
        if table.name != "landing_zones.jsonl" and not table.name.endswith("_pending.jsonl")
    }


def _launch(key: str, env: dict) -> None:
    """`dagster job launch`: through the instance's run coordinator, so the run is queued."""
    command = [
        Path(sys.executable).with_name("dagster"),
        "job",
        "launch",
        "-m",
        "orchestration.definitions",
        "-j",
        PIPELINE_JOB,
        "--tags",
        json.dumps({"dagster/partition": key}),
    ]
    done = subprocess.run(command, cwd=config.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def _drive_queue(instance: dg.DagsterInstance, run_count: int, timeout: float = 900) -> tuple[list[dg.DagsterRun], int]:
    """The daemon's run-queue iteration, in this process, until every run has finished."""
    # Private: Dagster has no public way to step its run-queue daemon from a test. Driving the real daemon
    # class is what makes this test show the queued coordinator's behaviour rather than a copy of it; an upgrade
    # that moves these names fails here, in the test, never in the pipeline.
    from dagster._core.test_utils import create_test_daemon_workspace_context
    from dagster._core.workspace.load_target import ModuleTarget
    from dagster._daemon.run_coordinator.queued_run_coordinator_daemon import QueuedRunCoordinatorDaemon

    target = ModuleTarget(
        module_name="orchestration.definitions",
        attribute=None,
        working_directory=str(config.PROJECT_ROOT),
        location_name=None,
    )
    deadline = time.monotonic() + timeout
    most_at_once = 0
    with create_test_daemon_workspace_context(target, instance) as workspace:
        daemon = QueuedRunCoordinatorDaemon(interval_seconds=1)
        while time.monotonic() < deadline:
            list(daemon.run_iteration(workspace))
            runs = instance.get_runs()
            most_at_once = max(
                most_at_once, sum(r.status in (dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED) for r in runs)
            )
            if len(runs) == run_count and all(r.is_finished for r in runs):
                return runs, most_at_once
            time.sleep(1)
    pytest.fail(f"runs not finished after {timeout} s: {[(r.run_id, r.status) for r in instance.get_runs()]}")


def test_two_batches_at_once_give_the_warehouse_of_one_after_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, batches = _landing(tmp_path)
    _sequential(landing, tmp_path / "sequential", batches)

    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    warehouse = tmp_path / "parallel"
    for name, value in (("DAGSTER_HOME", home), ("NEWSETL_LANDING", landing), ("NEWSETL_WAREHOUSE", warehouse)):
        monkeypatch.setenv(name, str(value))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAGSTER_CLI_")}
    with dg.DagsterInstance.get() as instance:
        keys = _register(instance, landing, warehouse, batches)
        for key in reversed(keys):  # the later batch first: order must come from registration, not launch
            _launch(key, env)
        assert {r.status for r in instance.get_runs()} == {dg.DagsterRunStatus.QUEUED}
        runs, most_at_once = _drive_queue(instance, len(keys))
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), [(r.run_id, r.status) for r in runs]
    assert most_at_once == 2  # both batches' runs were in flight together

    sequential = comparable_dump(tmp_path / "sequential", tmp_path / "dump-sequential")
    parallel = comparable_dump(warehouse, tmp_path / "dump-parallel")
    for table, rows in sequential.items():
        assert parallel.get(table) == rows, table
