"""Warehouse to report files: run each report query, draw its chart, write PNG, spec and HTML page.

Files go to `<warehouse>/reports/` (English) or `<warehouse>/reports/<lang>/`, each written to a
temporary name and renamed into place, so a viewer never opens a half-written chart.
"""

import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import vl_convert

from newsetl.reports import labels
from newsetl.reports.page import PageChart, render_page
from newsetl.reports.queries import open_report_session, run_report_query
from newsetl.reports.registry import REPORTS, Chart, ReportOptions, draw_chart
from newsetl.storage import Warehouse

REPORTS_FOLDER = "reports"
PAGE_FILE = "index.html"
PNG_SCALE = 2


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
    facts: dict[str, object] = field(default_factory=dict)  # the page's opening figures, as shown
    articles: int = 0  # the articles the report is drawn from
    seconds: float = 0.0


class ReportFolderNeeded(ValueError):
    """An object-store warehouse has no local folder to put the report files in."""


def report_folder(warehouse: Warehouse, lang: str = labels.DEFAULT_LANG) -> Path:
    if not warehouse.is_local:
        raise ReportFolderNeeded(
            f"{warehouse.root} is not a local folder: give the reports a local folder to go to (--out)"
        )
    base = Path(warehouse.catalog_path()).parent / REPORTS_FOLDER
    return base if lang == labels.DEFAULT_LANG else base / lang


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
    _write_atomically(
        spec_file, json.dumps({"title": chart.title, "spec": chart.spec}, ensure_ascii=False, default=str).encode()
    )
    return WrittenChart(chart, png, spec_file)


def summary_facts(row: dict, connection: duckdb.DuckDBPyConnection, lang: str) -> dict[str, object]:
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


def write_page(folder: Path, facts: dict[str, object], lang: str, cache: str | None = None) -> Path:
    """index.html from the `<name>.vl.json` files present, in report order; `cache` as render_page's."""
    page_charts = []
    for name in REPORTS:
        spec_file = folder / f"{name}.vl.json"
        if spec_file.exists():
            stored = json.loads(spec_file.read_text(encoding="utf-8"))
            page_charts.append(PageChart(name, stored["title"], stored["spec"]))
    page = folder / PAGE_FILE
    _write_atomically(page, render_page(page_charts, "Who mentions which country", facts, lang, cache).encode())
    return page


def build_reports(
    warehouse: Warehouse,
    options: ReportOptions = ReportOptions(),
    folder: Path | None = None,
    cache: str | None = None,
) -> ReportSet:
    """Every chart and the HTML page, from the warehouse catalog as it is now; `cache` is the folder
    that keeps the page's script bundle (Settings.cache)."""
    started = time.perf_counter()
    folder = folder or report_folder(warehouse, options.lang)
    connection = open_report_session(warehouse)
    try:
        written = [write_chart(draw_chart(connection, name, options), folder) for name in REPORTS]
        summary = run_report_query(connection, "summary", {}).row(0, named=True)
        facts = summary_facts(summary, connection, options.lang)
    finally:
        connection.close()
    page = write_page(folder, facts, options.lang, cache)
    return ReportSet(folder, page, written, facts, summary["articles"], time.perf_counter() - started)
