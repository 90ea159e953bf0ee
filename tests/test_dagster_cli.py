"""`dagster dev` and `dagster asset materialize --select '*'` from the project root, with no -m flag."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsetl import config
from orchestration.dagster_cli_defaults import apply


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DAGSTER_CLI_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["/x/.venv/bin/dagster", "asset", "materialize", "--select", "*"], "orchestration.definitions"),
        (["/x/.venv/bin/dagster", "asset", "materialize", "-m", "other", "--select", "*"], None),
        (["/x/.venv/bin/dagster", "asset", "materialize", "--python-file=x.py"], None),
        (["/x/.venv/bin/python", "-c", "pass"], None),
    ],
)
def test_default_target_only_for_dagster_without_a_target(clean_env, argv: list[str], expected: str | None) -> None:
    assert apply(argv, cwd=config.PROJECT_ROOT) == expected
    assert os.environ.get("DAGSTER_CLI_ASSET_MATERIALIZE_MODULE_NAME") == expected


def test_no_default_outside_a_dagster_project(clean_env, tmp_path: Path) -> None:
    assert apply(["dagster", "asset", "materialize"], cwd=tmp_path) is None


def test_dagster_asset_materialize_from_the_project_root(tmp_path: Path) -> None:
    hook = Path(sys.executable).parents[1].glob("lib/python*/site-packages/newsetl-dagster-cli.pth")
    if not list(hook):
        pytest.skip("the .pth hook is installed by `python3 dev.py setup`; this virtualenv was made otherwise")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DAGSTER_CLI_")}
    env.update(DAGSTER_HOME=str(tmp_path / "home"), NEWSETL_WAREHOUSE=str(tmp_path / "warehouse"))
    (tmp_path / "home").mkdir()
    dagster = Path(sys.executable).with_name("dagster")
    completed = subprocess.run(
        [str(dagster), "asset", "materialize", "--select", "*"], cwd=config.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "RUN_SUCCESS" in completed.stderr
    assert (tmp_path / "warehouse" / "warehouse.duckdb").exists()
