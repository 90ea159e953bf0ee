"""`newsetl report`: the analyst's charts from the current warehouse, without running the pipeline.

Kept apart from cli.py so the reports can be wired in with two lines there.
"""

import argparse
import sys
import webbrowser
from dataclasses import replace
from pathlib import Path


def add_report_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from newsetl.reports.options import GRAINS, ReportOptions

    defaults = ReportOptions()
    report = subparsers.add_parser(
        "report",
        help="charts of who mentions which country (PNG and one HTML page) from the current warehouse",
        description=(
            "Render the report charts from the warehouse catalog as it is now (no pipeline run) into "
            "<warehouse>/reports/ (English) or <warehouse>/reports/<lang>/."
        ),
    )
    report.add_argument("--warehouse", help="warehouse root (default: $NEWSETL_WAREHOUSE or ./warehouse)")
    report.add_argument(
        "--lang", default=defaults.lang, help="language of country names, from dim_country.names, e.g. zh (default: en)"
    )
    report.add_argument(
        "--top",
        type=int,
        default=defaults.top_n,
        help=f"countries drawn by name; the rest are 'other' (default: {defaults.top_n})",
    )
    report.add_argument(
        "--matrix-top",
        type=int,
        default=defaults.matrix_top_n,
        help=f"countries in the co-mention matrix (default: {defaults.matrix_top_n})",
    )
    report.add_argument(
        "--outlets",
        type=int,
        default=defaults.top_outlets,
        help=f"largest outlets shown (default: {defaults.top_outlets})",
    )
    report.add_argument(
        "--grain",
        choices=GRAINS,
        default=defaults.grain,
        help="time step of the over-time chart (auto: weeks beyond 45 days)",
    )
    report.add_argument("--out", help="write here instead of <warehouse>/reports/")
    report.add_argument("--open", action="store_true", help="open the HTML report in the default browser")
    report.set_defaults(func=cmd_report)
    return report


def cmd_report(args: argparse.Namespace) -> int:
    from newsetl.query import CatalogMissing
    from newsetl.reports.build import ReportFolderNeeded, build_reports
    from newsetl.reports.labels import is_known_language
    from newsetl.reports.registry import ReportOptions
    from orchestration.settings import from_environment

    settings = from_environment()
    root = args.warehouse or settings.warehouse
    if "://" not in root:
        root = str(Path(root).resolve())
    if not is_known_language(args.lang):
        print(f"newsetl report: {args.lang!r} is not a language code (try en, zh, vi, ru)", file=sys.stderr)
        return 2
    try:
        options = ReportOptions(
            lang=args.lang, top_n=args.top, matrix_top_n=args.matrix_top, top_outlets=args.outlets, grain=args.grain
        )
    except ValueError as exc:
        print(f"newsetl report: {exc}", file=sys.stderr)
        return 2
    try:
        reports = build_reports(
            replace(settings, warehouse=root).warehouse_store(),
            options,
            Path(args.out).resolve() if args.out else None,
            cache=settings.cache,
        )
    except (CatalogMissing, ReportFolderNeeded) as exc:
        print(f"newsetl report: {exc}", file=sys.stderr)
        return 2
    for written in reports.charts:
        print(f"{written.chart.title}: {written.png}")
    for fact, value in reports.facts.items():
        print(f"  {fact}: {value}")
    print(f"report: {reports.page} ({reports.seconds:.1f} s)")
    if args.open and not webbrowser.open(reports.page.as_uri()):
        print("newsetl report: no browser to open here; open the page above by hand", file=sys.stderr)
    return 0
