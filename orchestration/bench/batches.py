"""`newsetl bench --batches B --batch-size N`: B ingest batches of N snapshots, one `newsetl run` after
another into one warehouse, then one run with nothing new. Each run is a child process of its own,
so its wall time and peak memory are its own; the figures that matter are ratios: the last batch's
wall time and peak PSS against the first's (state that grows with the history shows up there), and
the nothing-new run's wall time (interpreter start and imports included).
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from orchestration.bench.corpus import write_landing


def _link_range(source: Path, target: Path, start: int, stop: int) -> int:
    """Hard links of snapshots start..stop-1 of `source` into `target` (one new batch); returns how many."""
    linked = 0
    for path in sorted(source.rglob("*.*")):
        if path.is_file() and start <= int(path.name.split(".", 1)[0]) < stop:
            destination = target / path.relative_to(source)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.hardlink_to(path)
            linked += 1
    return linked


def _one_run(landing: Path, warehouse: Path, home: Path) -> dict:
    from orchestration.bench.runner import _TreePeak

    env = dict(os.environ, DAGSTER_HOME=str(home), PYTHONWARNINGS="ignore")
    command = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "run",
        "--landing",
        str(landing),
        "--warehouse",
        str(warehouse),
        "--no-reports",
        "--quiet",
    ]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = _TreePeak(child.pid)
    _, stderr = child.communicate()
    rss, pss = peak.stop()
    if child.returncode != 0:
        raise RuntimeError(f"newsetl run failed ({child.returncode}): {stderr[-2000:]}")
    return {"seconds": round(time.perf_counter() - started, 3), "peak_rss_mb": rss, "peak_pss_mb": pss}


def incremental(root: str | Path, batches: int, batch_size: int, seed: int, html_share: float, say=print) -> dict:
    root = Path(root)
    source, landing, warehouse, home = (root / name for name in ("all", "landing", "warehouse", "home"))
    for folder in (landing, home):
        folder.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    say(f"writing {batches} x {batch_size} snapshots")
    write_landing(source, batches * batch_size, seed, html_share, workers=os.cpu_count() or 1)
    runs = []
    for batch in range(batches):
        _link_range(source, landing, batch * batch_size, (batch + 1) * batch_size)
        runs.append(_one_run(landing, warehouse, home))
        say(f"batch {batch + 1}/{batches}: {runs[-1]}")
    nothing_new = _one_run(landing, warehouse, home)
    say(f"nothing new at {batches * batch_size} snapshots: {nothing_new}")
    first, last = runs[0], runs[-1]
    return {
        "batches": batches,
        "batch_size": batch_size,
        "runs": runs,
        "nothing_new": nothing_new,
        "ratios": {
            "last_vs_first_wall": round(last["seconds"] / first["seconds"], 3),
            "last_vs_first_peak_pss": round(last["peak_pss_mb"] / first["peak_pss_mb"], 3),
        },
    }


def format_incremental(report: dict) -> str:
    ratios = report["ratios"]
    return "\n".join(
        [
            f"{report['batches']} batches x {report['batch_size']} snapshots, one newsetl run each (a child process):",
            f"  last vs first batch: wall {ratios['last_vs_first_wall']}x (target <= 1.2), peak PSS "
            f"{ratios['last_vs_first_peak_pss']}x (target <= 1.2)",
            f"  nothing new at {report['batches'] * report['batch_size']} snapshots: "
            f"{report['nothing_new']['seconds']} s "
            "(process start and imports included; target < 2 s at 200k)",
        ]
    )
