"""`newsetl run` ends with the reports drawn, and recorded as materialized for the UI."""

from pathlib import Path

import dagster as dg
import pytest

from assets.reports import PAGE_ASSET, chart_asset_name
from newsetl import config
from newsetl.reports import REPORTS
from orchestration.cli import main
from orchestration.jobs import PIPELINE_JOB
from orchestration.sensors import REPORTS_FOLLOW_TAG

REPORT_KEYS = [dg.AssetKey(PAGE_ASSET)] + [dg.AssetKey(chart_asset_name(name)) for name in REPORTS]


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> tuple[int, Path, Path]:
    home, warehouse = tmp_path / "home", tmp_path / "wh"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    code = main(["run", "--quiet", "--landing", str(config.SAMPLES_LANDING), "--warehouse", str(warehouse), *extra])
    return code, home, warehouse


def _materialized(home: Path) -> set[dg.AssetKey]:
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return {key for key in REPORT_KEYS if instance.get_latest_materialization_event(key) is not None}


def test_run_draws_the_reports_and_the_ui_sees_them(tmp_path, monkeypatch, capsys):
    code, home, warehouse = _run(tmp_path, monkeypatch)
    assert code == 0
    page = warehouse / "reports" / "index.html"
    assert page.exists()
    assert all((warehouse / "reports" / f"{name}.png").exists() for name in REPORTS)
    assert f"reports:      {page}" in capsys.readouterr().out
    assert _materialized(home) == set(REPORT_KEYS)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        pipeline_runs = instance.get_runs(dg.RunsFilter(job_name=PIPELINE_JOB))
        # So the reports_after_pipeline sensor does not draw them a second time.
        assert [run.tags.get(REPORTS_FOLLOW_TAG) for run in pipeline_runs] == ["true"]


def test_no_reports_leaves_them_undrawn(tmp_path, monkeypatch):
    code, home, warehouse = _run(tmp_path, monkeypatch, "--no-reports")
    assert code == 0
    assert any(warehouse.iterdir()), "the run wrote the warehouse"
    assert not (warehouse / "reports").exists()
    assert _materialized(home) == set()
