"""Incremental runs: new files only, batches replaced not duplicated, identical bytes once, near-duplicates."""

import shutil
from pathlib import Path

import dagster as dg
import pytest

from newsetl import code_versions, config
from newsetl.catalog import connect_catalog
from newsetl.landing_cursor import plan_batch
from newsetl.storage import Warehouse
from orchestration.partitions import PipelineRuns
from tests.test_pipeline import definitions_for, materialize

SEED_ZH = config.SAMPLES_LANDING / "000_b243f9a26ff972f0.txt"
SEED_VI = config.SAMPLES_LANDING / "004_a8e61c68e45d245b.txt"


def run(landing: Path, warehouse: Path, run_config: dict | None = None, **options) -> PipelineRuns:
    result = materialize(landing, warehouse, run_config, **options)
    assert result.success
    return result


def rows(warehouse: Path, sql: str) -> list[tuple]:
    with connect_catalog(Warehouse(str(warehouse))) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    shutil.copy(SEED_ZH, folder / "day1.txt")
    return folder


def test_a_second_run_ingests_only_the_new_file_as_a_new_batch(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    first = rows(warehouse, "SELECT source_file, ingest_batch, ingested_at FROM raw_snapshots")
    shutil.copy(SEED_VI, landing / "day2.txt")
    run(landing, warehouse)
    after = rows(warehouse, "SELECT source_file, ingest_batch, ingested_at FROM raw_snapshots ORDER BY source_file")
    assert after[0] == first[0]  # the first batch is untouched
    assert [r[0] for r in after] == ["day1.txt", "day2.txt"] and after[0][1] != after[1][1]
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(2,)]


def test_nothing_new_changes_no_row(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    before = rows(warehouse, "SELECT * FROM fact_country_mention ORDER BY ALL")
    result = run(landing, warehouse)
    assert result.planned.files == []
    assert {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()} == {"warehouse_catalog"}
    assert rows(warehouse, "SELECT * FROM fact_country_mention ORDER BY ALL") == before
    assert rows(warehouse, "SELECT count(*) FROM raw_snapshots") == [(1,)]


def test_ingesting_the_same_files_again_replaces_their_batch(landing: Path, tmp_path: Path) -> None:
    from orchestration.jobs import PIPELINE_JOB

    warehouse = tmp_path / "warehouse"
    instance = dg.DagsterInstance.ephemeral()
    (first,) = run(landing, warehouse, instance=instance).results
    again = definitions_for(landing, warehouse).resolve_job_def(PIPELINE_JOB)  # the partition's run re-executed
    assert again.execute_in_process(
        instance=instance, partition_key=first.dagster_run.tags["dagster/partition"]
    ).success
    assert rows(warehouse, "SELECT count(*), count(DISTINCT ingest_batch) FROM raw_snapshots") == [(1, 1)]
    assert rows(warehouse, "SELECT count(*) FROM articles") == [(1,)]
    assert plan_batch(landing, Warehouse(str(warehouse))).files == []  # the landing cursor holds its file


def test_identical_bytes_under_two_names_give_one_raw_row(landing: Path, tmp_path: Path) -> None:
    shutil.copy(landing / "day1.txt", landing / "mirror.txt")
    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    assert rows(warehouse, "SELECT source_file FROM raw_snapshots") == [("day1.txt",)]
    shutil.copy(landing / "day1.txt", landing / "later-mirror.txt")
    run(landing, warehouse)
    assert rows(warehouse, "SELECT count(*) FROM raw_snapshots") == [(1,)]


def _recrawl_points_at_the_first_copy(landing: Path, warehouse: Path) -> None:
    """The same story crawled again, with a different snapshot footer, in a second batch."""
    recrawl = SEED_ZH.read_text(encoding="utf-8").replace(
        "快照生成时间:2024-06-19 15:45:21", "快照生成时间:2024-06-20 09:12:03"
    )
    (landing / "day2.txt").write_text(recrawl, encoding="utf-8")
    run(landing, warehouse)
    articles = dict(rows(warehouse, "SELECT source_file, article_id FROM articles"))
    duplicate_of = dict(rows(warehouse, "SELECT source_file, duplicate_of FROM articles"))
    assert duplicate_of == {"day1.txt": None, "day2.txt": articles["day1.txt"]}


def test_near_duplicate_in_a_later_batch_points_at_the_first_copy(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    _recrawl_points_at_the_first_copy(landing, warehouse)
    # Facts count the story once.
    assert rows(warehouse, "SELECT count(*) FROM fact_article") == [(1,)]
    assert rows(warehouse, "SELECT count(DISTINCT article_id) FROM fact_country_mention") == [(1,)]


def test_a_signature_stored_by_an_older_scheme_is_computed_again(landing: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    # A warehouse written before the signature scheme changed: 512-byte datasketch MinHashes.
    (part,) = (warehouse / "articles").rglob("*.parquet")
    table = pq.read_table(part)
    position = table.schema.get_field_index("minhash")
    old = pa.array([b"\x01" * 512] * table.num_rows, pa.binary())
    pq.write_table(table.set_column(position, table.schema.field(position), old), part)
    _recrawl_points_at_the_first_copy(landing, warehouse)


def test_reprocess_cleans_every_batch_again_without_duplicating(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    shutil.copy(SEED_VI, landing / "day2.txt")
    run(landing, warehouse)
    before = rows(warehouse, "SELECT article_id, title, duplicate_of FROM articles ORDER BY 1")
    result = run(landing, warehouse, reprocess=True)
    cleaned = [
        e.partition for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "articles"
    ]
    assert sorted(cleaned) == sorted(b for (b,) in rows(warehouse, "SELECT DISTINCT ingest_batch FROM raw_snapshots"))
    assert not [e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "raw_snapshots"]
    assert rows(warehouse, "SELECT article_id, title, duplicate_of FROM articles ORDER BY 1") == before


def _materialized(result: PipelineRuns, asset: str) -> list[str]:
    return [e.partition for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == asset]


def test_an_extractor_upgrade_cleans_every_batch_again_without_reprocess(
    landing: Path, tmp_path: Path, monkeypatch
) -> None:
    warehouse = tmp_path / "warehouse"
    instance = dg.DagsterInstance.ephemeral()
    run(landing, warehouse, instance=instance)
    shutil.copy(SEED_VI, landing / "day2.txt")
    run(landing, warehouse, instance=instance)
    before = rows(warehouse, "SELECT article_id, title, duplicate_of FROM articles ORDER BY 1")
    assert _materialized(run(landing, warehouse, instance=instance), "articles") == []  # same code: nothing is redone

    monkeypatch.setattr(code_versions, "EXTRACT", code_versions.EXTRACT + "-upgraded")
    upgraded = run(landing, warehouse, instance=instance)
    batches = [
        b for (b,) in rows(warehouse, "SELECT ingest_batch FROM raw_snapshots GROUP BY 1 ORDER BY min(ingested_at)")
    ]
    assert _materialized(upgraded, "articles") == batches  # oldest first: first-seen order holds
    assert _materialized(upgraded, "raw_snapshots") == []  # cleaned again from the raw snapshots
    assert rows(warehouse, "SELECT article_id, title, duplicate_of FROM articles ORDER BY 1") == before
    assert _materialized(run(landing, warehouse, instance=instance), "articles") == []  # the upgrade is done once


def test_a_new_batch_writes_its_own_fact_partitions_and_leaves_the_earlier_ones(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    (earlier,) = (warehouse / "fact_article").rglob("*.parquet")
    written = earlier.stat().st_mtime_ns
    shutil.copy(SEED_VI, landing / "day2.txt")
    result = run(landing, warehouse)
    (batch,) = {
        e.partition for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "fact_article"
    }
    assert earlier.stat().st_mtime_ns == written and f"ingest_batch={batch}" not in str(earlier)
    assert len(list((warehouse / "fact_article").rglob("*.parquet"))) == 2
    assert rows(warehouse, "SELECT count(*) FROM fact_article") == [(2,)]


def _failure_messages(result: dg.ExecuteInProcessResult) -> str:
    messages = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            while error is not None:
                messages.append(error.message)
                error = error.cause
    return "\n".join(messages)


def test_a_warehouse_refuses_another_landing_zone_until_it_is_added(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    run(landing, warehouse)
    assert rows(warehouse, "SELECT path FROM landing_zones") == [(str(landing.resolve()),)]
    # The Dagster path, bypassing `newsetl run`: the bundled samples are another landing zone.
    refused = materialize(config.SAMPLES_LANDING, warehouse)
    assert not refused.success
    message = _failure_messages(refused)
    assert str(landing.resolve()) in message and str(config.SAMPLES_LANDING) in message and "--add-landing" in message
    assert rows(warehouse, "SELECT source_file FROM raw_snapshots") == [("day1.txt",)]
    run(config.SAMPLES_LANDING, warehouse, {"ops": {"raw_snapshots": {"config": {"add_landing": True}}}})
    assert rows(warehouse, "SELECT path FROM landing_zones ORDER BY first_run_at, path") == [
        (str(landing.resolve()),),
        (str(config.SAMPLES_LANDING),),
    ]
    run(config.SAMPLES_LANDING, warehouse)  # now it belongs to both
    first, last = rows(
        warehouse, f"SELECT first_run_at, last_run_at FROM landing_zones WHERE path = '{config.SAMPLES_LANDING}'"
    )[0]
    assert last >= first


def test_skipped_landing_entries_are_recorded_with_their_reason(landing: Path, tmp_path: Path) -> None:
    (landing / ".hidden.txt").write_text("not read", encoding="utf-8")
    (landing / ".cache").mkdir()
    (landing / "outside.txt").symlink_to(SEED_VI)
    warehouse = tmp_path / "warehouse"
    result = run(landing, warehouse)
    raw_event = next(
        e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "raw_snapshots"
    )
    assert raw_event.materialization.metadata["skipped_by_reason"].value == {
        "hidden folder": 1,
        "hidden file": 1,
        "symlink outside the landing zone": 1,
    }
    sql = "SELECT path, reason, first_seen_at, ingest_batch FROM skipped_landing_entries ORDER BY path"
    first = rows(warehouse, sql)
    (batch,) = {b for (b,) in rows(warehouse, "SELECT DISTINCT ingest_batch FROM raw_snapshots")}
    assert [(p, b) for p, _, _, b in first] == [(".cache/", batch), (".hidden.txt", batch), ("outside.txt", batch)]
    assert first[2][1] == f"symlink to {SEED_VI.resolve()}, outside the landing zone"
    (landing / ".hidden.txt").unlink()
    run(landing, warehouse)  # nothing new: the skips stay as first seen, the one no longer there goes
    assert rows(warehouse, sql) == [first[0], first[2]]


def _rebuild(landing: Path, warehouse: Path, dropped) -> PipelineRuns:
    from orchestration.partitions import rebuild_after_drop

    result = rebuild_after_drop(definitions_for(landing, warehouse), dg.DagsterInstance.ephemeral(), dropped)
    assert result.success
    return result


def test_dropping_a_batch_removes_its_rows_mends_later_batches_and_lets_its_files_in_again(
    landing: Path, tmp_path: Path
) -> None:
    from newsetl.drop_batch import BATCH_TABLES, UnknownBatch, drop_batch

    warehouse = tmp_path / "warehouse"
    store = Warehouse(str(warehouse))
    run(landing, warehouse)
    (first,) = {b for (b,) in rows(warehouse, "SELECT DISTINCT ingest_batch FROM raw_snapshots")}
    _recrawl_points_at_the_first_copy(landing, warehouse)  # day2.txt: a near-duplicate of day1.txt, in a second batch
    shutil.copy(landing / "day1.txt", landing / "day1-mirror.txt")  # bytes the first batch holds: no row of its own
    shutil.copy(SEED_VI, landing / "day3.txt")
    run(landing, warehouse)
    batches = {b for (b,) in rows(warehouse, "SELECT DISTINCT ingest_batch FROM raw_snapshots")}
    assert len(batches) == 3

    with pytest.raises(UnknownBatch, match=first):
        drop_batch(store, "20000101T000000-0000000000")
    dropped = drop_batch(store, first)
    assert dropped.rows == {
        "ingest_manifest": 1,
        "raw_snapshots": 1,
        "articles": 1,
        "rejected_snapshots": 0,
    }
    assert len(dropped.recleaned) == 1 and dropped.forgotten == ["day1-mirror.txt"]
    for table in BATCH_TABLES:
        assert first not in store.partitions(table, "ingest_batch"), table
    result = _rebuild(landing, warehouse, dropped)
    assert not {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()} & {
        "raw_snapshots",
        "landing_zones",
    }
    assert {e.asset_key.to_user_string() for e in result.get_asset_check_evaluations()} >= {
        "raw_snapshots",
        "articles",
        "fact_article",
    }
    # The recrawl is the first copy now, and the facts count it.
    assert rows(warehouse, "SELECT source_file, duplicate_of FROM articles ORDER BY 1") == [
        ("day2.txt", None),
        ("day3.txt", None),
    ]
    assert rows(warehouse, "SELECT count(*) FROM fact_article") == [(2,)]
    assert not rows(warehouse, f"SELECT * FROM raw_snapshots WHERE ingest_batch = '{first}'")

    run(landing, warehouse)  # the dropped batch's file and the forgotten mirror are read again: the mirror comes first
    assert rows(warehouse, "SELECT source_file FROM raw_snapshots ORDER BY 1") == [
        ("day1-mirror.txt",),
        ("day2.txt",),
        ("day3.txt",),
    ]
    duplicate_of = dict(rows(warehouse, "SELECT source_file, duplicate_of FROM articles"))
    assert duplicate_of["day2.txt"] is None and duplicate_of["day1-mirror.txt"] is not None
