"""Reports: the analyst's charts of who mentions which country, drawn from the DuckDB catalog.

One multi-asset, so that the charts and the page that gathers them always come from the same
catalog state and the same options; each chart is still its own asset with its picture in the UI.
"""

import base64
from collections.abc import Iterator

import dagster as dg
from pydantic import Field

from newsetl.reports.build import build_reports, png_bytes
from newsetl.reports.registry import REPORTS, Chart, ReportOptions
from orchestration.resources import WarehouseStore

PAGE_ASSET = "report_page"
_UPSTREAM = ["fact_article", "fact_country_mention", "dim_country", "dim_source", "dim_date", "warehouse_catalog"]
_KINDS = {"duckdb", "vega"}


def chart_asset_name(report: str) -> str:
    return f"report_{report}"


class ReportConfig(dg.Config):
    lang: str = Field(
        default=ReportOptions.lang,
        description="Language of country names, from dim_country.names; English where a name is missing.",
    )
    top_n: int = Field(
        default=ReportOptions.top_n, description="Countries drawn by name; the others are folded into one 'other'."
    )
    matrix_top_n: int = Field(default=ReportOptions.matrix_top_n, description="Countries in the co-mention matrix.")
    top_outlets: int = Field(default=ReportOptions.top_outlets, description="Largest outlets shown.")
    grain: str = Field(
        default=ReportOptions.grain, description="auto, day or week: the time step of the over-time chart."
    )

    def options(self) -> ReportOptions:
        return ReportOptions(
            lang=self.lang,
            top_n=self.top_n,
            matrix_top_n=self.matrix_top_n,
            top_outlets=self.top_outlets,
            grain=self.grain,
        )


_SPECS = [
    dg.AssetSpec(
        chart_asset_name(name),
        group_name="reports",
        kinds=_KINDS,
        deps=_UPSTREAM,
        description=(
            f"{title}: a PNG and a Vega-Lite spec under `<warehouse>/reports/`, drawn from `sql/reports/{name}.sql`."
        ),
    )
    for name, (title, _) in REPORTS.items()
] + [
    dg.AssetSpec(
        PAGE_ASSET,
        group_name="reports",
        kinds={"html"},
        deps=[chart_asset_name(name) for name in REPORTS],
        description=(
            "`<warehouse>/reports/index.html`: every chart on one self-contained page (JavaScript inlined, "
            "nothing fetched when viewed)."
        ),
    )
]


def png_markdown(chart: Chart) -> str:
    """A markdown image with a 1x PNG inlined: how the UI shows a picture in metadata.

    1x rather than the file's 2x, because the image is stored in the run's event log.
    """
    encoded = base64.b64encode(png_bytes(chart.spec, scale=1)).decode("ascii")
    return f"![{chart.title}](data:image/png;base64,{encoded})"


@dg.multi_asset(specs=_SPECS, can_subset=False)
def reports(config: ReportConfig, warehouse: WarehouseStore) -> Iterator[dg.MaterializeResult]:
    options = config.options()
    built = build_reports(warehouse.store(), options, cache=warehouse.run_settings().cache)
    for written in built.charts:
        yield dg.MaterializeResult(
            asset_key=chart_asset_name(written.chart.name),
            # The project's metadata convention (assets/metadata.py): the preview is the picture,
            # the path its PNG, the row count that of the query the chart is drawn from.
            metadata={
                "preview": dg.MetadataValue.md(png_markdown(written.chart)),
                "path": dg.MetadataValue.path(str(written.png)),
                "spec": dg.MetadataValue.path(str(written.spec_file)),
                "row_count": dg.MetadataValue.int(written.chart.rows),
                "lang": dg.MetadataValue.text(options.lang),
            },
        )
    facts = "\n".join(f"- **{value}** {fact}" for fact, value in built.facts.items())
    charts = "\n".join(f"- {written.chart.title}: `{written.png.name}`" for written in built.charts)
    yield dg.MaterializeResult(
        asset_key=PAGE_ASSET,
        metadata={
            "path": dg.MetadataValue.path(str(built.page)),
            "preview": dg.MetadataValue.md(f"Open `{built.page}` in a browser.\n\n{facts}\n\nCharts:\n{charts}"),
            "row_count": dg.MetadataValue.int(built.articles),  # the articles the report covers
            "render_seconds": dg.MetadataValue.float(round(built.seconds, 2)),
        },
    )
