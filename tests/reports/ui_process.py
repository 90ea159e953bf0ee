"""Starting `newsetl ui` for a test and watching its processes: shared by the UI tests."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from newsetl import config

UI_START_SECONDS = 180  # a cold `dagster dev` on two busy cores


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def live_members(group: int) -> list[int]:
    """Processes of the group that still run (zombies, already dead, are left to their reaper)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            members.append(int(stat.parent.name))
    return members


def start_ui(port: int, warehouse: Path, dagster_home: Path, log: Path) -> subprocess.Popen:
    """`newsetl ui` in a session of its own, its output in `log`."""
    env = dict(os.environ, DAGSTER_HOME=str(dagster_home), DAGSTER_DISABLE_TELEMETRY="1")
    command = [sys.executable, "-m", "orchestration.cli", "ui", "--port", str(port), "--warehouse", str(warehouse)]
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=config.PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_for_server(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + UI_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`newsetl ui` exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    pytest.fail(f"`newsetl ui` did not answer within {UI_START_SECONDS} s:\n{log.read_text(errors='replace')[-3000:]}")
