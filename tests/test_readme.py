"""The README's commands, run as written: every `newsetl …` line of its shell code blocks, in order,
against a temporary landing zone (a copy of the samples) and warehouse.

Paths of the examples are substituted (`/data/crawl`, `/data/warehouse`, a batch key); a command that
cannot run in a test (a server, a browser, data outside the repository, minutes of benchmarking) says
so on its line with `[not run by tests: <reason>]`, and is skipped with that reason.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsetl import config

README = config.PROJECT_ROOT / "README.md"
NOT_RUN = re.compile(r"\[not run by tests: ([^\]]+)\]")
BATCH_KEY = re.compile(r"\b\d{8}T\d{6}-[0-9a-f]{10}\b")
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Command:
    line: int
    text: str
    skip_reason: str | None


def readme_commands(text: str) -> list[Command]:
    """The `newsetl` commands of the shell code blocks, with the reason a command is not run, if it says one."""
    commands: list[Command] = []
    in_shell = False
    for number, line in enumerate(text.splitlines(), start=1):
        fence = line.strip()
        if fence.startswith("```"):
            in_shell = not in_shell and fence[3:].strip() in ("bash", "sh", "shell", "console")
            continue
        if in_shell and fence.startswith("newsetl "):
            marker = NOT_RUN.search(line)
            commands.append(Command(number, fence, marker.group(1) if marker else None))
    return commands


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def place(tmp_path_factory) -> dict[str, Path]:
    """A working folder with `sql/` beside it (the README's paths are relative to the project root),
    a landing zone and a warehouse filled once, so that any one command can run alone."""
    root = tmp_path_factory.mktemp("readme")
    work = root / "work"
    work.mkdir()
    (work / "sql").symlink_to(config.SQL_DIR)
    landing = root / "crawl"
    shutil.copytree(config.SAMPLES_LANDING, landing)
    place = {"work": work, "landing": landing, "warehouse": root / "warehouse", "dagster_home": root / "dagster_home"}
    completed = _run("newsetl run --quiet --no-reports", place)
    assert completed.returncode == 0, completed.stderr
    return place


def _run(command: str, place: dict[str, Path]) -> subprocess.CompletedProcess:
    """The command in bash, `newsetl` being this checkout's CLI (not whatever is installed)."""
    env = dict(
        os.environ,
        NEWSETL_LANDING=str(place["landing"]),
        NEWSETL_WAREHOUSE=str(place["warehouse"]),
        DAGSTER_HOME=str(place["dagster_home"]),
        PYTHONPATH=str(config.PROJECT_ROOT),
        NEWSETL_PYTHON=sys.executable,
    )
    script = 'newsetl() { "$NEWSETL_PYTHON" -m orchestration.cli "$@"; }\n' + command
    return subprocess.run(
        ["bash", "-c", script], cwd=place["work"], env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
    )


def _substitute(command: str, place: dict[str, Path]) -> str:
    command = NOT_RUN.sub("", command)
    command = command.replace("/data/crawl", str(place["landing"])).replace("/data/warehouse", str(place["warehouse"]))
    if BATCH_KEY.search(command):
        batches = sorted(p.name.split("=", 1)[1] for p in (place["warehouse"] / "raw_snapshots").glob("ingest_batch=*"))
        command = BATCH_KEY.sub(batches[-1], command)
    return command


def test_the_readme_has_commands_to_run() -> None:
    assert len([c for c in COMMANDS if c.skip_reason is None]) >= 8
    assert {c.text.split()[1] for c in COMMANDS} >= {"run", "query", "report", "drop-batch", "ui", "eval", "bench"}


def test_the_parser_reads_commands_and_their_reasons() -> None:
    text = "```bash\nnewsetl run   # note\nls\nnewsetl ui  # [not run by tests: a server]\n```\n```\nnewsetl x\n```\n"
    assert readme_commands(text) == [
        Command(2, "newsetl run   # note", None),
        Command(4, "newsetl ui  # [not run by tests: a server]", "a server"),
    ]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: f"line{c.line}-{'-'.join(c.text.split()[1:3])}")
def test_readme_command_runs(command: Command, place: dict[str, Path]) -> None:
    if command.skip_reason:
        pytest.skip(f"README line {command.line}: {command.skip_reason}")
    completed = _run(_substitute(command.text, place), place)
    assert completed.returncode == 0, (
        f"README line {command.line}: {command.text}\nexit {completed.returncode}\n{completed.stderr[-3000:]}"
    )


def test_a_failing_command_fails_the_test(place: dict[str, Path]) -> None:
    # The harness sees a command's exit status through the `newsetl` shell function.
    assert _run("newsetl query --file nope.sql", place).returncode == 2
