"""How many CPUs this process may use: its CPU affinity, capped by its cgroup's CPU quota.

os.cpu_count() is the node's core count: in a Kubernetes pod limited to 2 CPUs on a 64-core node it
says 64, and 64 cleaning workers would share 2 CPUs' worth of time slices. The affinity mask
(os.sched_getaffinity: `taskset`, cpusets, a static CPU manager policy) and the cgroup v2 quota
(`cpu.max`, what a pod's CPU limit becomes) are what the process really gets.
"""

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_CGROUP = Path("/proc/self/cgroup")


def affinity_cpus() -> int:
    """The CPUs the scheduler may run this process on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _own_cgroup(proc_cgroup: Path) -> str:
    """The process's cgroup v2 path (the `0::<path>` line), or "/" when unknown."""
    try:
        for line in proc_cgroup.read_text().splitlines():
            hierarchy, _, path = line.partition("::")
            if hierarchy == "0" and path:
                return path
    except OSError:
        pass
    return "/"


def cgroup_cpu_limit(cgroup_root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> float | None:
    """The tightest `cpu.max` quota (quota / period, in CPUs) of the process's cgroup and its
    ancestors; None when none sets one (`max`) or there is no cgroup v2."""
    limit: float | None = None
    parts = [p for p in _own_cgroup(proc_cgroup).split("/") if p]
    for depth in range(len(parts), -1, -1):
        try:
            quota_text, period_text = (cgroup_root.joinpath(*parts[:depth]) / "cpu.max").read_text().split()[:2]
        except (OSError, ValueError):
            continue
        if quota_text == "max":
            continue
        try:
            cpus = int(quota_text) / int(period_text)
        except (ValueError, ZeroDivisionError):
            continue
        if cpus > 0:
            limit = cpus if limit is None else min(limit, cpus)
    return limit


def available_cpus(cgroup_root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> int:
    """Whole CPUs the process may use: its affinity, capped by its cgroup quota rounded down (a
    quota of 1.5 CPUs is one worker, and the parent's own work takes the half), at least 1."""
    cpus = affinity_cpus()
    limit = cgroup_cpu_limit(cgroup_root, proc_cgroup)
    if limit is not None:
        cpus = min(cpus, max(1, math.floor(limit)))
    return cpus
