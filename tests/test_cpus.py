"""Worker counts from the CPUs the process may use: affinity, the cgroup v2 quota, the setting."""

from pathlib import Path

import pytest

from newsetl import cpus
from newsetl.settings import Settings


def _cgroup(tmp_path: Path, limits: dict[str, str], own: str = "/kubepods/pod1/container") -> tuple[Path, Path]:
    """A fake /sys/fs/cgroup with cpu.max files at the given paths, and a /proc/self/cgroup naming `own`."""
    root = tmp_path / "cgroup"
    for path, content in limits.items():
        folder = root / path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cpu.max").write_text(content + "\n")
    proc = tmp_path / "proc-self-cgroup"
    proc.write_text(f"0::{own}\n")
    return root, proc


@pytest.fixture
def eight_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpus.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)


def test_a_pod_cpu_limit_caps_the_workers(tmp_path: Path, eight_cpus: None) -> None:
    root, proc = _cgroup(tmp_path, {"/kubepods/pod1/container": "200000 100000"})
    assert cpus.cgroup_cpu_limit(root, proc) == 2.0
    assert cpus.available_cpus(root, proc) == 2


def test_a_fractional_quota_rounds_down_but_never_to_zero(tmp_path: Path, eight_cpus: None) -> None:
    root, proc = _cgroup(tmp_path, {"/kubepods/pod1/container": "150000 100000"})
    assert cpus.available_cpus(root, proc) == 1
    root, proc = _cgroup(tmp_path / "small", {"/kubepods/pod1/container": "25000 100000"})
    assert cpus.available_cpus(root, proc) == 1


def test_the_tightest_quota_of_the_cgroup_and_its_ancestors_counts(tmp_path: Path, eight_cpus: None) -> None:
    root, proc = _cgroup(
        tmp_path, {"/": "max 100000", "/kubepods/pod1": "300000 100000", "/kubepods/pod1/container": "max 100000"}
    )
    assert cpus.available_cpus(root, proc) == 3


def test_no_quota_leaves_the_affinity(tmp_path: Path, eight_cpus: None) -> None:
    root, proc = _cgroup(tmp_path, {"/kubepods/pod1/container": "max 100000"})
    assert cpus.cgroup_cpu_limit(root, proc) is None
    assert cpus.available_cpus(root, proc) == 8
    assert cpus.available_cpus(tmp_path / "no-cgroup-fs", tmp_path / "no-proc") == 8


def test_the_affinity_caps_a_larger_quota(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpus.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(cpus.os, "cpu_count", lambda: 64)
    root, proc = _cgroup(tmp_path, {"/": "400000 100000"}, own="/")
    assert cpus.available_cpus(root, proc) == 2


def test_the_setting_wins_and_a_bad_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpus, "available_cpus", lambda: 2)
    assert Settings.from_environ({}).worker_count() == 2
    assert Settings.from_environ({"NEWSETL_WORKERS": "6"}).worker_count() == 6
    for bad in ("0", "-1", "two"):
        with pytest.raises(ValueError, match="NEWSETL_WORKERS"):
            Settings.from_environ({"NEWSETL_WORKERS": bad})
