"""The contract's invariants are blocking checks: a failing one stops the assets downstream of it."""

from pathlib import Path

import pytest

from newsetl import schemas, star
from newsetl.catalog import connect_catalog
from newsetl.storage import Warehouse
from tests.test_pipeline import materialize


def test_a_failed_check_stops_downstream_assets_and_keeps_the_previous_catalog(
    sample_landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse"
    later = next(sample_landing.glob("004_*.txt"))
    held_back = later.rename(tmp_path / later.name)
    assert materialize(sample_landing, warehouse).success
    catalog_before = (warehouse / "warehouse.duckdb").stat().st_mtime_ns

    # A calendar that misses the articles' dates breaks "every fact key resolves in its dimension"
    # for the facts of the next batch (an article of its own, not a near-duplicate).
    monkeypatch.setattr(star, "build_dim_date", lambda dates: schemas.DIM_DATE.empty_table())
    held_back.rename(sample_landing / "new.txt")
    result = materialize(sample_landing, warehouse)

    assert not result.success
    failed = {
        (e.asset_key.to_user_string(), e.check_name) for e in result.get_asset_check_evaluations() if not e.passed
    }
    assert ("fact_article", "keys_resolve") in failed
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "warehouse_catalog" not in materialized
    assert (warehouse / "warehouse.duckdb").stat().st_mtime_ns == catalog_before
    with connect_catalog(Warehouse(str(warehouse))) as connection:
        assert connection.execute("SELECT count(*) FROM dim_date").fetchone()[0] > 0


@pytest.mark.parametrize(
    "check, asset",
    [
        ("every_snapshot_accounted", "articles"),
        ("published_not_after_snapshot", "articles"),
        ("published_in_plausible_range", "articles"),
        ("unique_key", "fact_country_mention"),
        ("keys_resolve", "fact_country_mention"),
        ("required_not_null", "articles"),
        ("contract_columns", "dim_date"),
    ],
)
def test_contract_invariants_are_blocking_checks(check: str, asset: str) -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    specs = {(key.asset_key.to_user_string(), key.name): graph.get_check_spec(key) for key in graph.asset_check_keys}
    assert specs[(asset, check)].blocking
