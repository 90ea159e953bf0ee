import dagster as dg
import pytest

from newsetl import schemas
from orchestration.definitions import build_definitions, defs, executor_from_env
from orchestration.jobs import PIPELINE_JOB


def test_definitions_load_with_every_asset_and_check() -> None:
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert set(schemas.TABLES) | {"warehouse_catalog"} <= keys
    check_keys = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    for table in schemas.TABLES:
        assert {(table, "contract_columns"), (table, "unique_key"), (table, "required_not_null")} <= check_keys
    assert ("articles", "every_snapshot_accounted") in check_keys
    assert ("fact_country_mention", "keys_resolve") in check_keys
    assert defs.resolve_job_def(PIPELINE_JOB) is not None


def test_every_asset_has_a_description_group_and_kinds() -> None:
    for spec in defs.resolve_all_asset_specs():
        assert spec.description, spec.key
        assert spec.group_name and spec.group_name != "default", spec.key
        assert spec.kinds, spec.key


def test_resources_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("NEWSETL_WAREHOUSE", str(tmp_path))
    from orchestration.resources import default_resources

    warehouse = default_resources()["warehouse"]
    assert isinstance(warehouse.settings.warehouse, dg.EnvVar)
    assert warehouse.settings.warehouse.get_value() == str(tmp_path)


@pytest.mark.parametrize(
    "choice, expected", [("in_process", dg.in_process_executor), ("multiprocess", dg.multiprocess_executor)]
)
def test_executor_is_chosen_by_one_setting(monkeypatch: pytest.MonkeyPatch, choice: str, expected) -> None:
    monkeypatch.setenv("NEWSETL_EXECUTOR", choice)
    assert executor_from_env() is expected
    assert build_definitions().resolve_job_def(PIPELINE_JOB).executor_def is expected


def test_unknown_executor_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSETL_EXECUTOR", "spaceship")
    with pytest.raises(ValueError, match="NEWSETL_EXECUTOR"):
        executor_from_env()
