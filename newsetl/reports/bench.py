"""How long the reports take: `python -m newsetl.reports.bench`.

Builds synthetic warehouses (a samples-sized one and one of 10k articles over 200 countries, or
the sizes asked for), optionally measures an existing warehouse too, and prints for each the wall
time of a fresh process rendering everything (imports, chart engine start-up and all files, as
`newsetl report` pays it): first with an empty cache (the Vega bundle built, as on a new
machine), then as usual; and the in-process time of that render and of a second, warm one.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsetl.reports.synthetic import SyntheticSpec, write_synthetic_warehouse

SAMPLES_SIZED = 20


def _render(root: str, lang: str, cache: str) -> None:
    from newsetl.reports import ReportOptions, build_reports
    from newsetl.storage import Warehouse

    for attempt in ("cold", "warm"):
        built = build_reports(Warehouse(root), ReportOptions(lang=lang), cache=cache)
        print(f"{attempt}\t{built.seconds:.2f}")


def _render_process(root: str, lang: str, cache: str) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-m", "newsetl.reports.bench", "--render", root, "--lang", lang, "--cache", cache],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    wall = time.perf_counter() - started
    return wall, {
        key: float(value) for key, value in (line.split("\t") for line in output.splitlines() if "\t" in line)
    }


def _measure(root: str, lang: str) -> tuple[float, float, float, float]:
    """(empty-cache process seconds, process seconds, in-process cold seconds, in-process warm seconds):
    the second process finds the bundle the first one cached, as every report after the first does."""
    with tempfile.TemporaryDirectory(prefix="newsetl-bench-cache-") as cache:
        first, _ = _render_process(root, lang, cache)
        wall, seconds = _render_process(root, lang, cache)
    return first, wall, seconds["cold"], seconds["warm"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m newsetl.reports.bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--articles", type=int, nargs="*", default=[SAMPLES_SIZED, 10_000], help="synthetic warehouse sizes"
    )
    parser.add_argument("--warehouse", action="append", default=[], help="also measure this existing warehouse")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--render", help=argparse.SUPPRESS)  # the child process: render ROOT twice
    parser.add_argument("--cache", help=argparse.SUPPRESS)  # the child's cache folder for the script bundle
    args = parser.parse_args(argv)
    if args.render:
        _render(args.render, args.lang, args.cache)
        return 0
    print(
        f"{'warehouse':<32} {'articles':>8} {'mentions':>8} {'first process s':>15} {'process s':>9} {'cold s':>7} "
        f"{'warm s':>7}"
    )
    with tempfile.TemporaryDirectory(prefix="newsetl-bench-") as scratch:
        targets = []
        for count in args.articles:
            root = Path(scratch) / f"synthetic-{count}"
            write_synthetic_warehouse(root, SyntheticSpec(articles=count))
            targets.append((f"synthetic {count}", str(root)))
        targets += [(path, str(Path(path).resolve())) for path in args.warehouse]
        for label, warehouse_root in targets:
            articles, mentions = _counts(warehouse_root)
            first, wall, cold, warm = _measure(warehouse_root, args.lang)
            print(f"{label:<32} {articles:>8} {mentions:>8} {first:>15.2f} {wall:>9.2f} {cold:>7.2f} {warm:>7.2f}")
    return 0


def _counts(root: str) -> tuple[int, int]:
    from newsetl.query import run_query
    from newsetl.storage import Warehouse

    row = run_query(
        Warehouse(root), "SELECT (SELECT count(*) FROM fact_article), (SELECT count(*) FROM fact_country_mention)"
    ).rows[0]
    return row[0], row[1]


if __name__ == "__main__":
    sys.exit(main())
