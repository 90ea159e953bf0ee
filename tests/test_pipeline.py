"""The whole asset graph materialized into tmp_path, as `newsetl run` does it."""

from dataclasses import replace
from pathlib import Path

import dagster as dg
import pytest

from newsetl import schemas
from newsetl.catalog import connect_catalog
from newsetl.settings import DEFAULTS, Settings
from newsetl.storage import Warehouse
from orchestration.definitions import build_definitions
from orchestration.partitions import PipelineRuns, materialize_landing
from orchestration.resources import default_resources


def definitions_for(landing: Path, warehouse: Path, settings: Settings = DEFAULTS) -> dg.Definitions:
    """The definitions with `settings`, whose landing zone and warehouse are those given."""
    located = replace(settings, landing=str(landing), warehouse=str(warehouse))
    return build_definitions(default_resources(located), executor=dg.in_process_executor, settings=located)


def materialize(
    landing: Path,
    warehouse: Path,
    run_config: dict | None = None,
    instance: dg.DagsterInstance | None = None,
    reprocess: bool = False,
    settings: Settings = DEFAULTS,
) -> PipelineRuns:
    """What `newsetl run` does: the new files registered as a batch, then a run per pending batch."""
    return materialize_landing(
        definitions_for(landing, warehouse, settings),
        instance or dg.DagsterInstance.ephemeral(),
        str(landing),
        replace(settings, warehouse=str(warehouse)).warehouse_store(),
        run_config,
        reprocess=reprocess,
    )


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with connect_catalog(Warehouse(str(warehouse))) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def samples_run(tmp_path_factory) -> tuple[dg.ExecuteInProcessResult, Path]:
    from newsetl import config

    warehouse = tmp_path_factory.mktemp("warehouse")
    return materialize(config.SAMPLES_LANDING, warehouse), warehouse


def test_every_asset_materializes_and_every_check_passes(samples_run) -> None:
    result, _ = samples_run
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert evaluations and all(e.passed for e in evaluations), [e.description for e in evaluations if not e.passed]
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert set(schemas.TABLES) | {"warehouse_catalog"} <= materialized


def test_materializations_report_row_count_and_preview(samples_run) -> None:
    result, _ = samples_run
    for event in result.get_asset_materialization_events():
        metadata = event.materialization.metadata
        assert "row_count" in metadata and "preview" in metadata, event.asset_key


def test_catalog_has_a_view_per_table(samples_run) -> None:
    _, warehouse = samples_run
    views = {name for (name,) in _rows(warehouse, "SELECT view_name FROM duckdb_views() WHERE NOT internal")}
    assert set(schemas.TABLES) <= views
    assert not list(warehouse.glob("**/*.tmp"))


def test_rerun_is_idempotent(tmp_path: Path) -> None:
    from newsetl import config

    warehouse = tmp_path / "warehouse"
    assert materialize(config.SAMPLES_LANDING, warehouse).success
    first = _rows(warehouse, "SELECT article_id, title, countries FROM articles ORDER BY 1")
    mentions = _rows(warehouse, "SELECT * FROM fact_country_mention ORDER BY 1, 2")
    assert materialize(config.SAMPLES_LANDING, warehouse).success
    assert _rows(warehouse, "SELECT article_id, title, countries FROM articles ORDER BY 1") == first
    assert _rows(warehouse, "SELECT * FROM fact_country_mention ORDER BY 1, 2") == mentions


def test_bad_input_is_rejected_with_reasons_and_the_run_completes(hostile_landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    result = materialize(hostile_landing, warehouse)
    assert result.success
    reasons = dict(_rows(warehouse, "SELECT source_file, reason FROM rejected_snapshots"))
    assert reasons["empty.txt"] == "empty file"
    assert "PNG" in reasons["binary.txt"]
    assert "no known encoding" in reasons["noise.txt"] or "binary" in reasons["noise.txt"]
    assert "truncated" in reasons["truncated.html.gz"]
    assert reasons["unreadable.txt"].startswith("unreadable")
    articles = {f for (f,) in _rows(warehouse, "SELECT source_file FROM articles")}
    assert articles == {p.name for p in sorted(hostile_landing.glob("0*.txt"))}
    raw = {f for (f,) in _rows(warehouse, "SELECT source_file FROM raw_snapshots")}
    assert raw == articles | set(reasons)


def test_empty_landing_zone_gives_empty_tables(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    warehouse = tmp_path / "warehouse"
    assert materialize(landing, warehouse).success
    assert _rows(warehouse, "SELECT count(*) FROM articles") == [(0,)]
    assert _rows(warehouse, "SELECT count(*) FROM dim_country")[0][0] >= 249
