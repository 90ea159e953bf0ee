"""Runs executed in process (`execute_in_process`, what `newsetl bench --concurrent-runs` starts in each
child) claim the pool slots of their instance, so two processes on one DAGSTER_HOME whose dagster.yaml
sets `concurrency: pools: default_limit: 1` run a pool's steps one at a time.

The first run's step holds its slot until the instance records the second run's step as waiting for
it; the order of the steps' marks in a shared file then shows the second started only after the first
ended. Without the pool's limit the first would wait for a pending step that never comes and fail.
"""

import subprocess
import sys
import time
from pathlib import Path

from newsetl import config

DAGSTER_YAML = """
telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
"""

RUN = """
import sys, time
import dagster as dg

name, marks = sys.argv[1], sys.argv[2]

def mark(text):
    with open(marks, "a", encoding="utf-8") as out:
        out.write(text + "\\n")

@dg.op(pool="shared")
def held(context):
    mark(f"{name} in")
    if name == "first":
        deadline = time.monotonic() + 120
        while not context.instance.event_log_storage.get_concurrency_info("shared").pending_steps:
            if time.monotonic() > deadline:
                raise RuntimeError("the second run's step never waited for the slot")
            time.sleep(0.2)
    mark(f"{name} out")

@dg.job
def one_step():
    held()

with dg.DagsterInstance.get() as instance:
    sys.exit(0 if one_step.execute_in_process(instance=instance, raise_on_error=False).success else 1)
"""


def test_in_process_runs_of_two_processes_take_a_pool_step_one_at_a_time(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    marks = tmp_path / "marks.txt"
    env = {"DAGSTER_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(config.PROJECT_ROOT)}

    def start(name: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", RUN, name, str(marks)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )

    first = start("first")
    deadline = time.monotonic() + 120
    while not (marks.exists() and "first in" in marks.read_text(encoding="utf-8")):
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()[1][-2000:]
        time.sleep(0.2)
    second = start("second")
    for child in (first, second):
        _, stderr = child.communicate(timeout=300)
        assert child.returncode == 0, stderr.decode()[-2000:]
    assert marks.read_text(encoding="utf-8").splitlines() == ["first in", "first out", "second in", "second out"]
