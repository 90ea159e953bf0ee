"""How long the reports take: `python -m newsetl.reports.bench`.

Builds synthetic warehouses (a samples-sized one and one of 10k articles over 200 countries, or
the sizes asked for), optionally measures an existing warehouse too, and prints for each the wall
time of a fresh `render` process (imports, chart engine start-up and all files, as `newsetl report`
pays it) and of a second render in a warm process.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsetl.reports.synthetic import SyntheticSpec, write_synthetic_warehouse

SAMPLES_SIZED = 20


def _render(root: str, lang: str) -> None:
    from newsetl.reports import ReportOptions, build_reports
    from newsetl.storage import Warehouse

    for attempt in ("cold", "warm"):
        built = build_reports(Warehouse(root), ReportOptions(lang=lang))
        print(f"{attempt}\t{built.seconds:.2f}")


def _measure(root: str, lang: str) -> tuple[float, float, float]:
    """(fresh process wall seconds, in-process cold seconds, in-process warm seconds)"""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-m", "newsetl.reports.bench", "--render", root, "--lang", lang], check=True, capture_output=True, text=True
    ).stdout
    wall = time.perf_counter() - started
    seconds = dict(line.split("\t") for line in output.splitlines() if "\t" in line)
    return wall, float(seconds["cold"]), float(seconds["warm"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsetl.reports.bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="*", default=[SAMPLES_SIZED, 10_000], help="synthetic warehouse sizes")
    parser.add_argument("--warehouse", action="append", default=[], help="also measure this existing warehouse")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--render", help=argparse.SUPPRESS)  # the child process: render ROOT twice
    args = parser.parse_args(argv)
    if args.render:
        _render(args.render, args.lang)
        return 0
    print(f"{'warehouse':<40} {'articles':>8} {'mentions':>8} {'process s':>9} {'cold s':>7} {'warm s':>7}")
    with tempfile.TemporaryDirectory(prefix="newsetl-bench-") as scratch:
        targets = []
        for count in args.articles:
            root = Path(scratch) / f"synthetic-{count}"
            write_synthetic_warehouse(root, SyntheticSpec(articles=count))
            targets.append((f"synthetic {count}", str(root)))
        targets += [(path, str(Path(path).resolve())) for path in args.warehouse]
        for label, root in targets:
            articles, mentions = _counts(root)
            wall, cold, warm = _measure(root, args.lang)
            print(f"{label:<40} {articles:>8} {mentions:>8} {wall:>9.2f} {cold:>7.2f} {warm:>7.2f}")
    return 0


def _counts(root: str) -> tuple[int, int]:
    from newsetl.query import run_query
    from newsetl.storage import Warehouse

    row = run_query(Warehouse(root), "SELECT (SELECT count(*) FROM fact_article), (SELECT count(*) FROM fact_country_mention)").rows[0]
    return row[0], row[1]


if __name__ == "__main__":
    sys.exit(main())
