"""The reports asset group through Dagster: one run gives every chart asset its picture and paths."""

import dagster as dg

from assets import pipeline_assets, pipeline_checks
from assets.reports import PAGE_ASSET, chart_asset_name, reports
from newsetl.reports import REPORTS
from orchestration.resources import PipelineSettings, WarehouseStore, default_resources

CHART_KEYS = {dg.AssetKey(chart_asset_name(name)) for name in REPORTS}


def _materializations(result: dg.ExecuteInProcessResult) -> dict[dg.AssetKey, dict]:
    return {e.materialization.asset_key: e.materialization.metadata for e in result.get_asset_materialization_events()}


def test_one_run_materializes_every_chart_and_the_page(tiny_warehouse):
    result = dg.materialize(
        [reports], resources={"warehouse": WarehouseStore(settings=PipelineSettings(warehouse=tiny_warehouse.root))}
    )
    assert result.success
    metadata = _materializations(result)
    assert set(metadata) == CHART_KEYS | {dg.AssetKey(PAGE_ASSET)}
    for key in CHART_KEYS:
        assert (
            metadata[key]["preview"].value.startswith("![")
            and "data:image/png;base64,iVBOR" in metadata[key]["preview"].value
        )
        assert metadata[key]["path"].value.endswith(".png")
        assert metadata[key]["row_count"].value > 0
    page = metadata[dg.AssetKey(PAGE_ASSET)]
    assert page["path"].value == f"{tiny_warehouse.root}/reports/index.html"
    assert "**4** articles" in page["preview"].value
    assert page["row_count"].value == 4


def test_run_config_chooses_the_language(tiny_warehouse):
    result = dg.materialize(
        [reports],
        resources={"warehouse": WarehouseStore(settings=PipelineSettings(warehouse=tiny_warehouse.root))},
        run_config={"ops": {"reports": {"config": {"lang": "zh", "top_n": 1}}}},
    )
    metadata = _materializations(result)
    assert metadata[dg.AssetKey(chart_asset_name("language_mix"))]["lang"].value == "zh"
    assert metadata[dg.AssetKey(PAGE_ASSET)]["path"].value.endswith("/reports/zh/index.html")


def test_reports_sit_downstream_of_the_facts_and_the_catalog():
    definitions = dg.Definitions(
        assets=[*pipeline_assets, reports], asset_checks=pipeline_checks, resources=default_resources()
    )
    graph = definitions.resolve_asset_graph()
    for key in CHART_KEYS:
        parents = {p.to_user_string() for p in graph.get(key).parent_keys}
        assert {"fact_article", "fact_country_mention", "dim_country", "warehouse_catalog"} <= parents
        assert graph.get(key).group_name == "reports"
    assert graph.get(dg.AssetKey(PAGE_ASSET)).parent_keys == CHART_KEYS
    # Every upstream key is a real asset of the pipeline, not a dangling external one.
    pipeline_keys = {key for assets_def in pipeline_assets for key in assets_def.keys}
    upstream = {p for key in CHART_KEYS for p in graph.get(key).parent_keys}
    assert upstream <= pipeline_keys
