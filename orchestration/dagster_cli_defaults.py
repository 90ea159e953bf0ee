"""Lets `dagster asset materialize` (and `dagster asset list`, `dagster job ...`) find newsetl's
definitions from the project root with no -m flag, as `dagster dev` already does.

Dagster 1.13 reads `[tool.dagster] module_name` from pyproject.toml for `dagster dev` but not for
these commands, which take their target from flags or from DAGSTER_CLI_<COMMAND>_MODULE_NAME.
dev.py installs a one-line .pth hook that imports this module in the project's virtualenv; it
only acts for the `dagster` program run in a folder whose pyproject.toml names a module, and
never when the command line names a target itself.
"""

import os
import sys
import tomllib
from pathlib import Path

_TARGET_FLAGS = ("-m", "--module-name", "-f", "--python-file", "--package-name", "-w", "--workspace", "--autoload-defs-module-name", "--grpc-port", "--grpc-socket")
_COMMANDS = ("ASSET_MATERIALIZE", "ASSET_LIST", "ASSET_WIPE_PARTITIONS_STATUS_CACHE", "JOB_EXECUTE", "JOB_LIST", "JOB_LAUNCH", "DEFINITIONS_VALIDATE")


def _names_a_target(argv: list[str]) -> bool:
    return any(arg in _TARGET_FLAGS or arg.startswith(tuple(f"{flag}=" for flag in _TARGET_FLAGS)) for arg in argv)


def apply(argv: list[str] | None = None, cwd: Path | None = None) -> str | None:
    """Set the default target for this process; returns the module name it set, if any."""
    argv = sys.argv if argv is None else argv
    if not argv or Path(argv[0]).name != "dagster" or _names_a_target(argv[1:]):
        return None
    pyproject = (cwd or Path.cwd()) / "pyproject.toml"
    try:
        module = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["dagster"]["module_name"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return None
    for command in _COMMANDS:
        os.environ.setdefault(f"DAGSTER_CLI_{command}_MODULE_NAME", module)
    return module


apply()
