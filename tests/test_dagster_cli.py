"""Dagster's own commands from the project root, as Dagster intends: `dagster dev` from [tool.dagster],
`dagster asset materialize` with -m; nothing patches the `dagster` program."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

# Private: how `dagster dev` reads [tool.dagster] has no public API. These are the functions the command itself
# calls, so this test fails when an upgrade changes what Dagster reads, which is what it is here to catch.
from dagster._cli.utils import has_pyproject_dagster_block
from dagster._core.workspace.load_target import get_origins_from_toml

from newsetl import config

MODULE = "orchestration.definitions"


def _dev():
    spec = importlib.util.spec_from_file_location("newsetl_dev", config.PROJECT_ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dagster_dev_finds_the_definitions_in_pyproject() -> None:
    pyproject = str(config.PROJECT_ROOT / "pyproject.toml")
    assert has_pyproject_dagster_block(pyproject)
    (origin,) = get_origins_from_toml(pyproject)
    assert origin.location_name == "newsetl"
    assert origin.loadable_target_origin.module_name == MODULE


def test_setup_installs_no_hook_and_removes_the_old_one(tmp_path: Path) -> None:
    dev = _dev()
    old = tmp_path / "newsetl-dagster-cli.pth"
    old.write_text("import sys\n")
    other = tmp_path / "other.pth"
    other.write_text("import sys\n")
    assert dev.remove_old_dagster_cli_hook(tmp_path) is True
    assert not old.exists() and other.exists()
    assert dev.remove_old_dagster_cli_hook(tmp_path) is False
    assert not (config.PROJECT_ROOT / "orchestration" / "dagster_cli_defaults.py").exists()


def test_dagster_asset_materialize_one_partition_with_the_module(tmp_path: Path) -> None:
    """A batch registered by `newsetl run`, materialized again by Dagster's own command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAGSTER_CLI_")}
    env.update(DAGSTER_HOME=str(tmp_path / "home"), NEWSETL_WAREHOUSE=str(tmp_path / "warehouse"))
    (tmp_path / "home").mkdir()
    registered = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--quiet", "--no-reports"],
        cwd=config.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert registered.returncode == 0, registered.stderr[-3000:]
    (folder,) = (tmp_path / "warehouse" / "raw_snapshots").iterdir()
    key = folder.name.split("=", 1)[1]
    catalog = tmp_path / "warehouse" / "warehouse.duckdb"
    before = catalog.stat().st_mtime_ns
    dagster = Path(sys.executable).with_name("dagster")
    completed = subprocess.run(
        [
            str(dagster),
            "asset",
            "materialize",
            "-m",
            MODULE,
            "--select",
            "raw_snapshots*,landing_zones,skipped_landing_entries",
            "--partition",
            key,
        ],
        cwd=config.PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "RUN_SUCCESS" in completed.stderr
    assert catalog.stat().st_mtime_ns > before
