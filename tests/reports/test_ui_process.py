"""`newsetl ui` leaves nothing behind: a SIGTERM or SIGINT to it stops dagster dev, its webserver,
its daemon and its code servers, and it says where its DAGSTER_HOME is."""

import os
import signal
import time

import psutil
import pytest

from tests.reports.ui_process import free_port, live_members, start_ui, wait_for_server

STOP_SECONDS = 60  # newsetl ui's own grace times, twice, and some


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.add(pid)
        except psutil.NoSuchProcess:
            pass
    return alive


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_newsetl_ui_stops_every_process_it_started(tmp_path, stop_signal):
    home, log, port = tmp_path / "home", tmp_path / "ui.log", free_port()
    process = start_ui(port, tmp_path / "wh", home, log)
    started: set[int] = set()
    try:
        wait_for_server(f"http://127.0.0.1:{port}", process, log)
        started = {child.pid for child in psutil.Process(process.pid).children(recursive=True)}
        groups = {os.getpgid(pid) for pid in started} - {process.pid}
        assert len(started) >= 2 and groups, "dagster dev and its webserver run in a process group of their own"
        # Only `newsetl ui` itself is signalled, as by `kill` or systemd: the rest is its job.
        os.kill(process.pid, stop_signal)
        assert process.wait(timeout=STOP_SECONDS) == 128 + stop_signal
        deadline = time.monotonic() + 5
        while _alive(started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(started), f"left running: {[psutil.Process(pid).cmdline() for pid in _alive(started)]}"
        assert not any(live_members(group) for group in groups)
    finally:  # a failed test must not leave a UI running on the shared machine
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for pid in _alive(started):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    assert f"DAGSTER_HOME={home}" in log.read_text(errors="replace")
