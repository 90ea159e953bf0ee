"""dev.py's test command: the suite runs on pytest-xdist workers unless the caller chooses otherwise."""

import importlib.util
import os

import pytest

from newsetl import config


@pytest.fixture(scope="module")
def dev():
    spec = importlib.util.spec_from_file_location("newsetl_dev_script", config.PROJECT_ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_suite_gets_one_worker_per_usable_cpu_plus_one_and_whole_files(dev, monkeypatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert dev.parallel_test_options(["-q"]) == ["-n", "4", "--dist", "loadfile"]


@pytest.mark.parametrize("args", [["-n", "0"], ["-n0"], ["--numprocesses=2"], ["-p", "no:xdist"]])
def test_the_callers_choice_of_workers_wins(dev, args: list[str]) -> None:
    assert dev.parallel_test_options(args) == []


def test_the_lock_installs_the_plugin_the_test_command_uses() -> None:
    lock = (config.PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "\npytest-xdist==" in lock and "\nexecnet==" in lock
