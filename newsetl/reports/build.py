"""Warehouse to report files: run each report query, draw its chart, write PNG, spec and HTML page.

Files go to `<warehouse>/reports/` (English) or `<warehouse>/reports/<lang>/`, each written to a
temporary name and renamed into place, so a viewer never opens a half-written chart.
"""

import base64
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import duckdb
import polars as pl
import vl_convert

from newsetl.reports import charts, labels
from newsetl.reports.page import PageChart, render_page
from newsetl.reports.queries import open_report_session, run_report_query
from newsetl.storage import Warehouse

REPORTS_FOLDER = "reports"
PAGE_FILE = "index.html"
GRAINS = ("auto", "day", "week")
# A span longer than this is drawn per week: daily points would be noise.
DAILY_SPAN_LIMIT = timedelta(days=45)
PNG_SCALE = 2


@dataclass(frozen=True)
class ReportOptions:
    lang: str = labels.DEFAULT_LANG
    top_n: int = 10  # countries drawn by name; the rest fold into "other"
    matrix_top_n: int = 15  # countries in the co-mention matrix
    top_outlets: int = 10
    grain: str = "auto"

    def __post_init__(self) -> None:
        if self.grain not in GRAINS:
            raise ValueError(f"grain must be one of {', '.join(GRAINS)}, not {self.grain!r}")
        if min(self.top_n, self.matrix_top_n, self.top_outlets) < 1:
            raise ValueError("top_n, matrix_top_n and top_outlets must be at least 1")


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    spec: dict
    rows: int  # rows of the query result it was drawn from


@dataclass(frozen=True)
class WrittenChart:
    chart: Chart
    png: Path
    spec_file: Path


@dataclass
class ReportSet:
    folder: Path
    page: Path
    charts: list[WrittenChart] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0


def _draw_mentions_over_time(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    grain = resolve_grain(connection, options.grain)
    frame = run_report_query(connection, "country_mentions_over_time", _parameters(options, top_n=options.top_n, grain=grain))
    spec = charts.country_mentions_over_time(frame, grain, labels.word("other", options.lang), title)
    return Chart("country_mentions_over_time", title, spec, frame.height)


def _draw_movers(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    grain = resolve_grain(connection, options.grain)
    frame = run_report_query(connection, "country_movers", _parameters(options, top_n=options.top_n, grain=grain))
    return Chart("country_movers", title, charts.country_movers(frame, grain, title), frame.height)


def _draw_co_mentions(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    frame = run_report_query(connection, "country_co_mentions", _parameters(options, top_n=options.matrix_top_n))
    return Chart("country_co_mentions", title, charts.country_co_mentions(frame, title), frame.height)


def _draw_outlet_country_shares(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    frame = run_report_query(connection, "outlet_country_shares", _parameters(options, top_n=options.top_n))
    spec = charts.outlet_country_shares(frame, labels.word("other", options.lang), title)
    return Chart("outlet_country_shares", title, spec, frame.height)


def _draw_language_mix(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    frame = run_report_query(connection, "language_mix", _parameters(options))
    frame = frame.with_columns(
        pl.col("language").map_elements(lambda code: labels.language_name(code, options.lang), return_dtype=pl.String).alias("language_name")
    )
    return Chart("language_mix", title, charts.language_mix(frame, title), frame.height)


_Drawer = Callable[[duckdb.DuckDBPyConnection, ReportOptions, str], Chart]

# name -> (title, drawer), in page order. The names are the asset names' suffixes and file stems.
REPORTS: dict[str, tuple[str, _Drawer]] = {
    "country_mentions_over_time": ("Countries in the news over time", _draw_mentions_over_time),
    "country_movers": ("How the news moved", _draw_movers),
    "country_co_mentions": ("Countries mentioned together", _draw_co_mentions),
    "outlet_country_shares": ("Which outlets write about which countries", _draw_outlet_country_shares),
    "language_mix": ("Language mix", _draw_language_mix),
}


def _parameters(options: ReportOptions, **overrides: object) -> dict[str, object]:
    return {
        "lang": options.lang,
        "top_outlets": options.top_outlets,
        "other_label": labels.word("other", options.lang),
        "all_label": labels.word("all_outlets", options.lang),
        **overrides,
    }


def resolve_grain(connection: duckdb.DuckDBPyConnection, grain: str) -> str:
    if grain != "auto":
        return grain
    summary = run_report_query(connection, "summary", {})
    first, last = summary["first_date"][0], summary["last_date"][0]
    return "week" if first is not None and last - first > DAILY_SPAN_LIMIT else "day"


class ReportFolderNeeded(ValueError):
    """An object-store warehouse has no local folder to put the report files in."""


def report_folder(warehouse: Warehouse, lang: str = labels.DEFAULT_LANG) -> Path:
    if not warehouse.is_local:
        raise ReportFolderNeeded(f"{warehouse.root} is not a local folder: give the reports a local folder to go to (--out)")
    base = Path(warehouse.catalog_path()).parent / REPORTS_FOLDER
    return base if lang == labels.DEFAULT_LANG else base / lang


def draw_chart(connection: duckdb.DuckDBPyConnection, name: str, options: ReportOptions) -> Chart:
    title, drawer = REPORTS[name]
    return drawer(connection, options, title)


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def png_bytes(spec: dict, scale: float = PNG_SCALE) -> bytes:
    return vl_convert.vegalite_to_png(spec, scale=scale)


def write_chart(chart: Chart, folder: Path) -> WrittenChart:
    """`<name>.png` (static) and `<name>.vl.json` (the Vega-Lite spec, which the page is built from)."""
    png, spec_file = folder / f"{chart.name}.png", folder / f"{chart.name}.vl.json"
    _write_atomically(png, png_bytes(chart.spec))
    _write_atomically(spec_file, json.dumps({"title": chart.title, "spec": chart.spec}, ensure_ascii=False, default=str).encode())
    return WrittenChart(chart, png, spec_file)


def summary_facts(connection: duckdb.DuckDBPyConnection, lang: str) -> dict[str, object]:
    row = run_report_query(connection, "summary", {}).row(0, named=True)
    span = f"{row['first_date']} to {row['last_date']}" if row["first_date"] else "no dated articles"
    facts: dict[str, object] = {
        "articles": f"{row['articles']:,}",
        "undated (left off the time axis)": f"{row['undated_articles']:,}",
        "countries mentioned": row["countries"],
        "outlets": row["outlets"],
        "languages": row["languages"],
        "published": span,
    }
    if lang != labels.DEFAULT_LANG:
        coverage = run_report_query(connection, "name_coverage", {"lang": lang}).row(0, named=True)
        facts[f"countries named in '{lang}' (others in English)"] = f"{coverage['named']} of {coverage['countries']}"
    return facts


def write_page(folder: Path, facts: dict[str, object], lang: str) -> Path:
    """index.html from the `<name>.vl.json` files present, in report order."""
    page_charts = []
    for name in REPORTS:
        spec_file = folder / f"{name}.vl.json"
        if spec_file.exists():
            stored = json.loads(spec_file.read_text(encoding="utf-8"))
            page_charts.append(PageChart(name, stored["title"], stored["spec"]))
    page = folder / PAGE_FILE
    _write_atomically(page, render_page(page_charts, "Who mentions which country", facts, lang).encode())
    return page


def png_markdown(chart: Chart) -> str:
    """A markdown image with a 1x PNG inlined, the way the Dagster UI shows a picture in metadata.

    1x rather than the file's 2x: the image is stored in the run's event log.
    """
    encoded = base64.b64encode(png_bytes(chart.spec, scale=1)).decode("ascii")
    return f"![{chart.title}](data:image/png;base64,{encoded})"


def build_reports(warehouse: Warehouse, options: ReportOptions = ReportOptions(), folder: Path | None = None) -> ReportSet:
    """Every chart and the HTML page, from the warehouse catalog as it is now."""
    started = time.perf_counter()
    folder = folder or report_folder(warehouse, options.lang)
    connection = open_report_session(warehouse)
    try:
        written = [write_chart(draw_chart(connection, name, options), folder) for name in REPORTS]
        facts = summary_facts(connection, options.lang)
    finally:
        connection.close()
    page = write_page(folder, facts, options.lang)
    return ReportSet(folder, page, written, facts, time.perf_counter() - started)
