"""`newsetl bench --concurrent-runs` at a tiny size: it runs, every batch lands, the report has its fields
(no timing assertions)."""

from pathlib import Path

from newsetl.silver import STAGED_ARTICLES
from newsetl.storage import Warehouse
from orchestration.bench.concurrent import concurrent_runs, format_concurrent
from orchestration.bench_cli import add_bench_parser


def test_one_run_alone_then_two_at_once_every_batch_in_the_warehouse(tmp_path: Path) -> None:
    report = concurrent_runs(tmp_path, runs=2, batch_size=6, seed=7, html_share=0.2, say=lambda line: None)

    assert report["concurrent_runs"] == 2 and report["batch_size"] == 6 and report["workers_per_run"] == 1
    assert len(report["alone"]["runs"]) == 1 and len(report["together"]["runs"]) == 2
    runs = report["alone"]["runs"] + report["together"]["runs"]
    assert all(run["success"] for run in runs) and len({run["key"] for run in runs}) == 3
    for part in ("alone", "together"):
        assert report[part]["seconds"] > 0 and report[part]["snapshots_per_s"] > 0
    assert report["ratio"] > 0 and len(report["load_average"]) == 3
    assert "ratio:" in format_concurrent(report)

    store = Warehouse(str(tmp_path / "warehouse"))
    assert store.row_count("raw_snapshots") == 18
    assert store.row_count("articles") + store.row_count("rejected_snapshots") == 18
    assert not store.exists(STAGED_ARTICLES)


def test_the_bench_command_takes_concurrent_runs_and_a_batch_size() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_bench_parser(parser.add_subparsers())
    args = parser.parse_args(["bench", "--concurrent-runs", "2", "--batch-size", "5000"])
    assert (args.concurrent_runs, args.batch_size) == (2, 5000)
