#!/usr/bin/env python3
"""Set up and run newsetl with nothing but python3.

    python3 dev.py run     # set up .venv, then run the pipeline on the bundled samples
    python3 dev.py test    # set up .venv, then run the test suite (in parallel, pytest-xdist)
    python3 dev.py setup   # only set up .venv

Setting up creates .venv, installs the exact versions in requirements.lock and the project itself
(editable). It is skipped when .venv already matches the lock file.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
DATA_PACKAGES = ROOT / "requirements-data.txt"
STAMP = VENV / ".newsetl-installed"


def _bin(name: str) -> str:
    return str(VENV / ("Scripts" if os.name == "nt" else "bin") / name)


def setup() -> None:
    if VENV.exists():
        site_packages = subprocess.check_output(
            [_bin("python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True
        ).strip()
        remove_old_dagster_cli_hook(Path(site_packages))
    wanted = hashlib.sha256(
        LOCK.read_bytes() + DATA_PACKAGES.read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not VENV.exists():
        print("creating .venv", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [_bin("python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    print("installing requirements.lock into .venv (a few minutes the first time)", file=sys.stderr)
    subprocess.check_call(pip + ["install", "-r", str(LOCK)], cwd=ROOT)
    subprocess.check_call(pip + ["install", "--no-deps", "-r", str(DATA_PACKAGES)], cwd=ROOT)
    subprocess.check_call(pip + ["install", "--no-deps", "-e", str(ROOT)], cwd=ROOT)
    STAMP.write_text(wanted)


# Written into site-packages by earlier versions of this script, to give `dagster asset materialize` a
# default -m; Dagster takes the target from `-m` (or `dagster dev` from [tool.dagster]), so it goes.
_OLD_DAGSTER_CLI_HOOK = "newsetl-dagster-cli.pth"


def remove_old_dagster_cli_hook(site_packages: Path) -> bool:
    """Delete the .pth hook an earlier setup installed; True when there was one."""
    hook = site_packages / _OLD_DAGSTER_CLI_HOOK
    if hook.exists():
        hook.unlink()
        return True
    return False


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("run", [])
    if command not in {"run", "test", "setup"}:
        print(__doc__, file=sys.stderr)
        return 2
    setup()
    if command == "setup":
        return 0
    if command == "run":
        return subprocess.call([_bin("newsetl"), "run", *rest], cwd=ROOT)
    return subprocess.call([_bin("python"), "-m", "pytest", *parallel_test_options(rest), *rest], cwd=ROOT)


def parallel_test_options(pytest_args: list[str]) -> list[str]:
    """pytest-xdist workers, one more than the usable CPUs: most of the slow tests wait on the
    pipeline processes they start, so a spare worker keeps the cores busy. `-n` given by the caller
    (`-n 0` for one process) wins; each test file runs whole on one worker, as its module fixtures
    (a warehouse built once per file) expect."""
    if "no:xdist" in pytest_args or any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in pytest_args):
        return []
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return ["-n", str(usable + 1), "--dist", "loadfile"]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
