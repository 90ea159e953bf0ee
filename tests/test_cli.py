"""The `newsetl` command on the bundled samples, as a user runs it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsetl import config
from orchestration.cli import main

QUERIES = sorted((config.SQL_DIR / "queries").glob("*.sql"))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "warehouse"
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(root.parent / "dagster_home"))
    try:
        assert main(["run", "--quiet", "--landing", str(config.SAMPLES_LANDING), "--warehouse", str(root)]) == 0
    finally:
        mp.undo()
    return root


def test_run_prints_a_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    code = main(
        [
            "run",
            "--quiet",
            "--no-reports",
            "--landing",
            str(config.SAMPLES_LANDING),
            "--warehouse",
            str(tmp_path / "wh"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "this run:     2 new files -> 2 new snapshots, 0 files unchanged (already ingested)" in out
    assert "in total:     2 snapshots, 2 articles (0 near-duplicates), 0 rejected" in out
    assert (tmp_path / "home" / "dagster.yaml").read_text().count("enabled: false") == 1


def test_the_summary_says_what_this_run_did_then_the_totals(
    hostile_landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    (hostile_landing / ".hidden.txt").write_text("not read", encoding="utf-8")
    (hostile_landing / ".git").mkdir()
    args = ["run", "--quiet", "--no-reports", "--landing", str(hostile_landing), "--warehouse", str(tmp_path / "wh")]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "this run:     7 new files -> 7 new snapshots, 0 files unchanged (already ingested)"
    assert lines[1] == "  cleaned:    2 articles (0 near-duplicates)"
    assert (
        lines[2]
        == "  rejected:   5: binary file (PNG image) 1, empty file 1, not text 1, truncated compressed file 1, "
        "unreadable 1"
    )
    assert lines[3] == "  skipped:    2: hidden file 1, hidden folder 1 (table skipped_landing_entries)"
    assert lines[4] == "in total:     7 snapshots, 2 articles (0 near-duplicates), 5 rejected"
    (hostile_landing / "also-empty.txt").write_bytes(b"")  # the bytes of empty.txt: no new snapshot
    (hostile_landing / ".hidden.txt").unlink()
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:5] == [
        "this run:     1 new file -> 0 new snapshots (1 file repeats bytes already held), 7 files unchanged (already "
        "ingested)",
        "  cleaned:    0 articles (0 near-duplicates)",
        "  rejected:   0",
        "  skipped:    1: hidden folder 1 (table skipped_landing_entries)",
        "in total:     7 snapshots, 2 articles (0 near-duplicates), 5 rejected",
    ]


def test_run_on_another_landing_zone_asks_for_add_landing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    (crawl / "a.txt").write_bytes((config.SAMPLES_LANDING / "004_a8e61c68e45d245b.txt").read_bytes())
    warehouse = tmp_path / "wh"
    assert main(["run", "--quiet", "--no-reports", "--landing", str(crawl), "--warehouse", str(warehouse)]) == 0
    capsys.readouterr()
    # NEWSETL_LANDING unset: the bundled samples, which this warehouse does not belong to.
    monkeypatch.delenv("NEWSETL_LANDING", raising=False)
    monkeypatch.setenv("NEWSETL_WAREHOUSE", str(warehouse))
    assert main(["run", "--quiet", "--no-reports"]) == 2
    (message,) = [line for line in capsys.readouterr().err.splitlines() if "belongs to" in line]
    assert str(crawl) in message and str(config.SAMPLES_LANDING) in message and "--add-landing" in message
    assert main(["run", "--quiet", "--no-reports", "--add-landing"]) == 0
    assert "in total:     2 snapshots, 2 articles" in capsys.readouterr().out  # a.txt holds the bytes of one sample


def test_run_on_a_missing_landing_zone_fails_with_non_zero_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    assert main(["run", "--quiet", "--landing", str(tmp_path / "nowhere"), "--warehouse", str(tmp_path / "wh")]) != 0


def test_there_are_at_least_five_analytics_queries() -> None:
    names = {q.stem for q in QUERIES}
    assert {
        "countries_per_day",
        "top_countries_per_outlet",
        "country_co_mentions",
        "language_mix_per_outlet",
        "articles_per_day",
    } <= names


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.stem)
def test_each_analytics_query_answers_on_the_samples(
    warehouse: Path, query: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["query", "--warehouse", str(warehouse), "--file", str(query), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows, f"{query.stem} returned no rows on the samples"


def test_countries_per_day_counts_the_seed_countries(warehouse: Path, capsys: pytest.CaptureFixture) -> None:
    main(
        [
            "query",
            "--warehouse",
            str(warehouse),
            "--file",
            str(config.SQL_DIR / "queries" / "countries_per_day.sql"),
            "--format",
            "json",
        ]
    )
    rows = json.loads(capsys.readouterr().out)
    per_country = {r["iso2"]: r["articles"] for r in rows if r["published_date"] == "2024-06-19"}
    # Both seeds are from 2024-06-19 and both mention Russia, the two Koreas, China, Japan and the US.
    assert {iso2: per_country.get(iso2) for iso2 in ["CN", "JP", "KP", "KR", "RU", "US"]} == dict.fromkeys(
        ["CN", "JP", "KP", "KR", "RU", "US"], 2
    )


def test_query_formats(warehouse: Path, capsys: pytest.CaptureFixture) -> None:
    sql = "SELECT source_file, language FROM articles ORDER BY 1"
    assert main(["query", "--warehouse", str(warehouse), sql, "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "source_file,language",
        "000_b243f9a26ff972f0.txt,zh",
        "004_a8e61c68e45d245b.txt,vi",
    ]
    assert main(["query", "--warehouse", str(warehouse), sql]) == 0
    table = capsys.readouterr().out
    assert "000_b243f9a26ff972f0.txt" in table and "(2 rows)" in table


def test_query_refuses_writes_with_exit_code_2(warehouse: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["query", "--warehouse", str(warehouse), "DROP VIEW articles"]) == 2
    assert "read-only" in capsys.readouterr().err


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("newsetl")
    completed = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0
    for command in ("run", "ui", "query", "eval"):
        assert command in completed.stdout


def test_reprocess_cleans_every_batch_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    args = ["run", "--quiet", "--landing", str(config.SAMPLES_LANDING), "--warehouse", str(tmp_path / "wh")]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args + ["--reprocess"]) == 0
    again = capsys.readouterr().out
    assert "  cleaned:    2 articles (0 near-duplicates)" in again.splitlines()  # both batches' articles, cleaned again
    totals = first[first.index("in total:") :]
    assert again[again.index("in total:") :] == totals  # the same warehouse, rebuilt from its raw snapshots


def test_drop_batch_removes_one_batch_under_the_writer_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from newsetl.storage import Warehouse
    from newsetl.writer_lock import exclusive_writer

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    warehouse = tmp_path / "wh"
    run = ["run", "--quiet", "--no-reports", "--landing", str(config.SAMPLES_LANDING), "--warehouse", str(warehouse)]
    assert main(run) == 0
    (batch,) = Warehouse(str(warehouse)).partitions("raw_snapshots", "ingest_batch")
    capsys.readouterr()
    assert main(["drop-batch", "20000101T000000-0000000000", "--warehouse", str(warehouse)]) == 2
    assert f"its batches: {batch}" in capsys.readouterr().err
    with exclusive_writer(warehouse):
        assert main(["drop-batch", batch, "--warehouse", str(warehouse)]) == 3
    assert "another run is writing this warehouse" in capsys.readouterr().err
    assert main(["drop-batch", batch, "--no-reports", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert (
        f"dropped:      batch {batch} (ingest_manifest 1, raw_snapshots 2, articles 2, "
        "rejected_snapshots 0 rows)" in out
    )
    assert "in total:     0 snapshots, 0 articles (0 near-duplicates), 0 rejected" in out
    assert main(run) == 0  # its files come in again, as a batch of the same key
    assert (
        "this run:     2 new files -> 2 new snapshots, 0 files unchanged (already ingested)" in capsys.readouterr().out
    )
    assert list(Warehouse(str(warehouse)).partitions("raw_snapshots", "ingest_batch")) == [batch]
