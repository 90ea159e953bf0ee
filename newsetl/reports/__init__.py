"""Analyst reports: charts of who mentions which country, drawn from the warehouse catalog.

Queries in sql/reports/ -> Vega-Lite charts (Altair) -> PNG files and one self-contained HTML page
under `<warehouse>/reports/`. No Dagster here: the assets and the CLI both call build_reports.
"""

import importlib
from typing import Any

# Imported on first use: the chart libraries take most of a second, and `newsetl run` with nothing new
# (or newsetl.reports.options alone) must not pay for them.
_EXPORTS = {
    "REPORTS": "newsetl.reports.registry",
    "ReportOptions": "newsetl.reports.options",
    "ReportSet": "newsetl.reports.build",
    "build_reports": "newsetl.reports.build",
    "report_folder": "newsetl.reports.build",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:  # one of the lazily imported exports, each its own type
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
