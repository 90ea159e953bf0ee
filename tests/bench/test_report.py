"""The bench report on a tiny corpus: every section present and consistent (no timing assertions)."""

import json

import pytest

from orchestration.bench.runner import TARGETS, BenchOptions, _fit_exponent, format_report, run_bench
from orchestration.bench_cli import add_bench_parser, cmd_bench

STAGES = {
    "read",
    "decode",
    "decode_and_parse",
    "clean",
    "language",
    "dates",
    "countries",
    "minhash",
    "parquet_write",
    "catalog_build",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    keep = tmp_path_factory.mktemp("bench")
    return run_bench(
        BenchOptions(sizes=[50, 20], stage_sample=20, keep=str(keep), command="test"), say=lambda line: None
    )


def test_end_to_end_at_each_size_in_order_with_every_table(report) -> None:
    entries = report["end_to_end"]
    assert [e["n"] for e in entries] == [20, 50]
    for entry in entries:
        assert entry["success"] and not entry["failures"]
        assert entry["rows"]["raw_snapshots"] == entry["n"]
        assert entry["rows"]["articles"] + entry["rows"]["rejected_snapshots"] == entry["n"]
        assert entry["rows"]["fact_country_mention"] > 0
        assert entry["snapshots_per_s"] == pytest.approx(entry["n"] / entry["seconds"], abs=0.06)
        rss = entry["peak_rss_mb"]
        assert rss["main_process"] > 50 and rss["process_tree_sampled"] >= rss["process_tree_pss_sampled"] > 0
        assert {"raw_snapshots", "cleaned_snapshots", "warehouse_catalog"} <= set(entry["steps"])


def test_stages_anchors_and_ratios(report) -> None:
    assert STAGES <= set(report["stages"])
    assert report["stages"]["read"]["items"] == 20
    anchors = report["anchors"]
    assert anchors["floor"]["items"] == 20 and anchors["floor"]["patterns"] > 1000
    assert set(anchors["extraction"]) == {"trafilatura_html", "ours_text_form", "ours_html_form"}
    assert anchors["countries"]["naive_regex"]["items"] == anchors["countries"]["ours"]["items"] > 0
    assert anchors["dates"]["dateparser_search_dates"]["items"] == anchors["dates"]["ours_find_dates"]["items"] > 0
    assert set(report["ratios"]) == {
        "end_to_end_vs_floor",
        "one_core_stages_vs_floor",
        "clean_text_form_vs_trafilatura_html",
        "clean_html_form_vs_trafilatura_html",
        "countries_vs_naive_regex",
        "dates_vs_dateparser",
    }
    assert all(value > 0 for value in report["ratios"].values())


def test_country_matching_cost_and_automata_memory(report) -> None:
    countries = report["stages"]["countries"]
    # per 8 KB of text: the whole stage's time over its text, in 8 KB units
    assert countries["bytes"] > 0 and countries["ms_per_8kb"] == pytest.approx(
        countries["seconds"] * 1000 / (countries["bytes"] / 8192), rel=0.05, abs=0.002
    )
    assert countries["cpu_ms_per_8kb"] > 0
    automata = report["countries_automata"]
    assert automata["languages"] == len(automata["per_language"]) > 10
    assert {"en", "ru", "pl", "fi"} <= set(automata["per_language"])
    assert all(entry["patterns"] > 0 for entry in automata["per_language"].values())
    assert automata["worker_total_mb"] >= automata["automata_mb"] > 0
    assert report["verdict"]["countries_ms_per_8kb"]["value"] == countries["ms_per_8kb"]
    assert "ms per 8 KB article" in format_report(report)


def test_scaling_and_verdict(report) -> None:
    scaling = report["scaling"]
    assert scaling["n"] == [20, 50] and len(scaling["seconds"]) == len(scaling["peak_pss_mb"]) == 2
    assert scaling["time_exponent"] is not None and len(scaling["time_exponent_between_sizes"]) == 1
    assert set(report["verdict"]) == set(TARGETS)
    # No 100k run here: those targets are not judged rather than judged on a small corpus.
    assert report["verdict"]["seconds_at_100k"] == {"value": None, "target": 60.0, "met": None}
    text = format_report(report)
    assert "end to end n=" in text and "ratios ours/anchor" in text and "time exponent" in text
    json.dumps(report)  # the report is plain JSON


def test_growth_exponent_fit() -> None:
    assert _fit_exponent([(1000, 2.0), (10000, 20.0), (100000, 200.0)]) == pytest.approx(1.0)
    assert _fit_exponent([(1000, 1.0), (10000, 100.0)]) == pytest.approx(2.0)
    assert _fit_exponent([(1000, 1.0)]) is None


def test_command_line_options() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_bench_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["bench", "--sizes", "1k,10000", "--out", "r.json", "--keep", "d", "--html-share", "0.5"])
    assert (args.sizes, args.out, args.keep, args.html_share, args.func) == (
        [1000, 10000],
        "r.json",
        "d",
        0.5,
        cmd_bench,
    )
    assert parser.parse_args(["bench", "--n", "50"]).n == 50
    with pytest.raises(SystemExit):
        parser.parse_args(["bench", "--html-share", "2"])
