"""Analyst reports: charts of who mentions which country, drawn from the warehouse catalog.

Queries in sql/reports/ -> Vega-Lite charts (Altair) -> PNG files and one self-contained HTML page
under `<warehouse>/reports/`. No Dagster here: the assets and the CLI both call build_reports.
"""

from newsetl.reports.build import ReportSet, build_reports, report_folder
from newsetl.reports.registry import REPORTS, ReportOptions

__all__ = ["REPORTS", "ReportOptions", "ReportSet", "build_reports", "report_folder"]
