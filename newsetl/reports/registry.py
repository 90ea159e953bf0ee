"""The reports: for each, its title and how it is drawn (query, then chart), with the options
every report shares. Page order is the order of REPORTS.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import duckdb
import polars as pl

from newsetl.reports import charts, labels
from newsetl.reports.options import ReportOptions
from newsetl.reports.queries import run_report_query

# A span longer than this is drawn per week: daily points would be noise.
DAILY_SPAN_LIMIT = timedelta(days=45)


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    spec: dict
    rows: int  # rows of the query result it was drawn from


def _draw_mentions_over_time(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    grain = resolve_grain(connection, options.grain)
    frame = run_report_query(
        connection, "country_mentions_over_time", query_parameters(options, top_n=options.top_n, grain=grain)
    )
    spec = charts.country_mentions_over_time(frame, grain, labels.word("other", options.lang), title)
    return Chart("country_mentions_over_time", title, spec, frame.height)


def _draw_movers(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    grain = resolve_grain(connection, options.grain)
    frame = run_report_query(connection, "country_movers", query_parameters(options, top_n=options.top_n, grain=grain))
    return Chart("country_movers", title, charts.country_movers(frame, grain, title), frame.height)


def _draw_co_mentions(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    frame = run_report_query(connection, "country_co_mentions", query_parameters(options, top_n=options.matrix_top_n))
    return Chart("country_co_mentions", title, charts.country_co_mentions(frame, title), frame.height)


def _draw_outlet_country_shares(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    frame = run_report_query(connection, "outlet_country_shares", query_parameters(options, top_n=options.top_n))
    spec = charts.outlet_country_shares(frame, labels.word("other", options.lang), title)
    return Chart("outlet_country_shares", title, spec, frame.height)


def _draw_language_mix(connection: duckdb.DuckDBPyConnection, options: ReportOptions, title: str) -> Chart:
    frame = run_report_query(connection, "language_mix", query_parameters(options))
    frame = frame.with_columns(
        pl.col("language")
        .map_elements(lambda code: labels.language_name(code, options.lang), return_dtype=pl.String)
        .alias("language_name")
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


def query_parameters(options: ReportOptions, **overrides: object) -> dict[str, object]:
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


def draw_chart(connection: duckdb.DuckDBPyConnection, name: str, options: ReportOptions) -> Chart:
    title, drawer = REPORTS[name]
    return drawer(connection, options, title)
