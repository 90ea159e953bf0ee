"""`newsetl bench`: throughput and memory of the pipeline on a synthetic landing zone.

cli.py registers it with `add_bench_parser`; its many options and its report stay here, out of the way of the
everyday commands.
"""

import argparse
import json
import shlex
import sys
from pathlib import Path

from orchestration.bench.corpus import DEFAULT_SEED


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "").replace("k", "000")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are numbers separated by commas, not {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give at least one size of 1 or more")
    return sizes


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("--html-share is a fraction between 0 and 1")
    return value


def add_bench_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    bench = subparsers.add_parser(
        "bench",
        help="throughput and memory on a synthetic landing zone, against anchors, at one or more sizes",
        description=(
            "Generate a synthetic landing zone (fixed seed), run the pipeline end to end at each size in a child "
            "process (snapshots/s, MB/s, peak RSS, a second run with nothing new), time each stage alone and the "
            "anchors (floor, trafilatura, naive regex, dateparser) on a sample, fit the growth exponent."
        ),
    )
    bench.add_argument(
        "--sizes", type=_sizes, default=[1000, 10000, 100000], help="corpus sizes, e.g. 1000,10000,100000 (default)"
    )
    bench.add_argument("--n", type=int, help="a single size instead of --sizes")
    bench.add_argument("--out", help="write the report as JSON here")
    bench.add_argument("--keep", help="keep the landing zones and warehouses in this folder")
    bench.add_argument(
        "--html-share",
        type=_share,
        default=0.2,
        help="share of snapshots written as HTML, half of them gzipped (default 0.2)",
    )
    bench.add_argument("--seed", type=int, default=DEFAULT_SEED, help=argparse.SUPPRESS)
    bench.add_argument(
        "--stage-sample", type=int, default=2000, help="snapshots the stage and anchor timings use (default 2000)"
    )
    bench.add_argument(
        "--no-anchors", action="store_true", help="skip the anchors (dateparser and the naive matcher take minutes)"
    )
    bench.add_argument(
        "--batches",
        type=int,
        help="instead: this many ingest batches, one newsetl run each, then one with nothing new (ratios)",
    )
    bench.add_argument(
        "--concurrent-runs",
        type=int,
        help=(
            "instead: time one partition run alone, then this many at once (one cleaning worker each, pools "
            "as deployed), and print the throughput ratio"
        ),
    )
    bench.add_argument(
        "--batch-size",
        type=int,
        default=10000,
        help="snapshots per batch with --batches or --concurrent-runs (default 10000)",
    )
    bench.add_argument(
        "--landing-files",
        type=int,
        help="instead: time a full and a bounded listing of a landing zone of this many files (e.g. 200000)",
    )
    bench.set_defaults(func=cmd_bench)
    return bench


def _in_scratch(args: argparse.Namespace, prefix: str, bench, formatted) -> int:
    """Run `bench(root, say)` in --keep or a temporary folder, print its report, write it to --out."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix=prefix) as scratch:
        report = bench(args.keep or scratch, lambda line: print(line, file=sys.stderr, flush=True))
    print(formatted(report))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


def _cmd_incremental(args: argparse.Namespace) -> int:
    from orchestration.bench.batches import format_incremental, incremental

    def bench(root: str, say) -> dict:
        return incremental(root, args.batches, args.batch_size, args.seed, args.html_share, say=say)

    return _in_scratch(args, "newsetl-bench-batches-", bench, format_incremental)


def _cmd_concurrent(args: argparse.Namespace) -> int:
    from orchestration.bench.concurrent import concurrent_runs, format_concurrent

    def bench(root: str, say) -> dict:
        return concurrent_runs(root, args.concurrent_runs, args.batch_size, args.seed, args.html_share, say=say)

    return _in_scratch(args, "newsetl-bench-concurrent-", bench, format_concurrent)


def _cmd_listing(args: argparse.Namespace) -> int:
    from orchestration.bench.listing import NEW_FILES, format_listing, listing_bench

    report = listing_bench(args.landing_files, keep=args.keep)
    print(format_listing(report))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1), encoding="utf-8")
    # The bounded listing must find the new files and only them, or its speed means nothing.
    return 0 if report["new_files"] == NEW_FILES else 1


def cmd_bench(args: argparse.Namespace) -> int:
    from orchestration.bench.runner import BenchOptions, format_report, run_bench

    if args.landing_files:
        return _cmd_listing(args)
    if args.batches:
        return _cmd_incremental(args)
    if args.concurrent_runs:
        return _cmd_concurrent(args)
    options = BenchOptions(
        sizes=[args.n] if args.n else args.sizes,
        seed=args.seed,
        html_share=args.html_share,
        stage_sample=args.stage_sample,
        keep=args.keep,
        anchors=not args.no_anchors,
        command="newsetl " + shlex.join(sys.argv[1:]) if sys.argv[1:2] == ["bench"] else "newsetl bench",
    )
    report = run_bench(options, say=lambda line: print(line, file=sys.stderr, flush=True))
    print(format_report(report))
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"report: {args.out}")
    failed = [e["n"] for e in report["end_to_end"] if not e["success"]]
    if failed:
        print(f"newsetl bench: the pipeline failed at n={failed}", file=sys.stderr)
        return 1
    return 0
