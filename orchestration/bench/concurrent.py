"""`newsetl bench --concurrent-runs R --batch-size N`: partition runs at once against one such run alone.

A synthetic landing zone of R + 1 batches of N snapshots, registered in order in one Dagster
instance (a persistent DAGSTER_HOME whose dagster.yaml sets the pools as deployed: each named pool
one step at a time). The first batch's pipeline run goes alone; then the runs of the next R batches
start together. Each run is a child process of its own (as each is a pod under K8sRunLauncher) with
one cleaning worker (NEWSETL_WORKERS=1), executing the pipeline job in process: the in-process
executor claims the instance's pool slots (tests/test_inprocess_pools.py), so what the runs share
is serialized as in a deployment. The figure is the ratio of the runs' joint throughput to the lone
run's (target for two: at least 1.6 on two cores).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration.bench.batches import _link_range
from orchestration.bench.corpus import write_landing

# The pools of deploy/kubernetes/values.yaml (concurrency.pools.defaultLimit), for a local instance.
DAGSTER_YAML = """telemetry:
  enabled: false
concurrency:
  pools:
    default_limit: 1
"""


def _register_batches(landing: Path, source: Path, warehouse: Path, home: Path, batches: int, size: int) -> list[str]:
    """Link the batches into the landing zone one at a time, each registered as a partition in order."""
    import dagster as dg

    from newsetl.landing_cursor import plan_batch
    from newsetl.storage import Warehouse
    from orchestration.partitions import register

    store = Warehouse(str(warehouse))
    keys: list[str] = []
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for batch in range(batches):
            _link_range(source, landing, batch * size, (batch + 1) * size)
            keys.append(register(instance, store, plan_batch(landing, store, exclude=keys)))
    return keys


def _start(key: str, landing: Path, warehouse: Path, home: Path) -> subprocess.Popen:
    env = dict(
        os.environ,
        DAGSTER_HOME=str(home),
        NEWSETL_LANDING=str(landing),
        NEWSETL_WAREHOUSE=str(warehouse),
        NEWSETL_WORKERS="1",
        PYTHONWARNINGS="ignore",
    )
    command = [sys.executable, "-m", "orchestration.bench.concurrent", key]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _finish(child: subprocess.Popen, started: float) -> dict:
    stdout, stderr = child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"partition run failed ({child.returncode}): {stderr[-2000:]}")
    return {**json.loads(stdout.strip().splitlines()[-1]), "seconds": round(time.perf_counter() - started, 3)}


def _runs_at_once(keys: list[str], landing: Path, warehouse: Path, home: Path) -> tuple[list[dict], float]:
    started = time.perf_counter()
    children = [_start(key, landing, warehouse, home) for key in keys]
    runs = [_finish(child, started) for child in children]
    return runs, round(time.perf_counter() - started, 3)


def concurrent_runs(root: str | Path, runs: int, batch_size: int, seed: int, html_share: float, say=print) -> dict:
    root = Path(root)
    source, landing, warehouse, home = (root / name for name in ("all", "landing", "warehouse", "home"))
    for folder in (landing, home):
        folder.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text(DAGSTER_YAML, encoding="utf-8")
    say(f"writing {runs + 1} x {batch_size} snapshots")
    write_landing(source, (runs + 1) * batch_size, seed, html_share, workers=os.cpu_count() or 1)
    keys = _register_batches(landing, source, warehouse, home, runs + 1, batch_size)
    alone, alone_seconds = _runs_at_once(keys[:1], landing, warehouse, home)
    say(f"one run alone: {alone_seconds} s")
    together, together_seconds = _runs_at_once(keys[1:], landing, warehouse, home)
    say(f"{runs} runs at once: {together_seconds} s ({[run['seconds'] for run in together]})")
    alone_rate = batch_size / alone_seconds
    together_rate = runs * batch_size / together_seconds
    load = os.getloadavg()
    return {
        "concurrent_runs": runs,
        "batch_size": batch_size,
        "workers_per_run": 1,
        "cpus": os.cpu_count(),
        "load_average": [round(value, 2) for value in load],
        "alone": {"seconds": alone_seconds, "snapshots_per_s": round(alone_rate, 1), "runs": alone},
        "together": {"seconds": together_seconds, "snapshots_per_s": round(together_rate, 1), "runs": together},
        "ratio": round(together_rate / alone_rate, 3),
    }


def format_concurrent(report: dict) -> str:
    runs, size = report["concurrent_runs"], report["batch_size"]
    return "\n".join(
        [
            f"partition runs of {size} snapshots, one cleaning worker each, pools as deployed "
            f"({report['cpus']} CPUs, load average {report['load_average']} at the end):",
            f"  one run alone: {report['alone']['seconds']} s, {report['alone']['snapshots_per_s']} snapshots/s",
            f"  {runs} runs at once: {report['together']['seconds']} s, "
            f"{report['together']['snapshots_per_s']} snapshots/s",
            f"  ratio: {report['ratio']}x (target for 2 runs on 2 cores: >= 1.6)",
        ]
    )


def _run_partition(key: str) -> int:
    """The child: one pipeline run of partition `key`, in this process, on the instance of DAGSTER_HOME."""
    import dagster as dg

    from orchestration.definitions import build_definitions
    from orchestration.jobs import PIPELINE_JOB

    started = time.perf_counter()
    job = build_definitions().resolve_job_def(PIPELINE_JOB)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, partition_key=key, raise_on_error=False)
    print(json.dumps({"key": key, "success": result.success, "in_process_seconds": time.perf_counter() - started}))
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(_run_partition(sys.argv[1]))
