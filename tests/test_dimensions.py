"""Dimensions folded batch by batch equal the dimensions built from every article at once."""

from datetime import date

import polars as pl
import pyarrow as pa
import pytest

from newsetl import dimensions, schemas, star
from newsetl.storage import Warehouse


def _batch(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schemas.ARTICLES)


def _article(n: int, source: str | None, url: str | None, day: date | None, language: str | None, dup=None) -> dict:
    return {
        "article_id": f"a{n}",
        "source_name": source,
        "url": url,
        "published_date": day,
        "language": language,
        "duplicate_of": dup,
    }


BATCHES = {
    "k1": [
        _article(1, "dpa", "https://www.dpa.de/x", date(2024, 1, 3), "de"),
        _article(2, "Dpa", "https://dpa.com/y", date(2024, 1, 5), "de"),
        _article(3, None, None, None, "en"),
    ],
    "k2": [
        _article(4, "Dpa", "https://dpa.com/z", date(2024, 1, 1), "de"),
        _article(5, "Dpa", "https://dpa.com/w", date(2024, 1, 9), "ru", dup="a4"),
        _article(6, "TASS", "https://tass.ru/a", date(2023, 12, 30), "ru"),
    ],
    "k3": [_article(7, "dpa", "https://www.dpa.de/v", date(2024, 2, 1), "vi")],
}


def _store(tmp_path, batches=BATCHES) -> Warehouse:
    store = Warehouse(str(tmp_path / "warehouse"))
    for key, rows in batches.items():
        store.write_table("articles", _batch(rows), partition=f"ingest_batch={key}")
    return store


def _articles_of(store: Warehouse):
    return lambda key: pl.from_arrow(store.read_table("articles", partition=f"ingest_batch={key}"))


def _all_articles(store: Warehouse) -> pl.DataFrame:
    return pl.from_arrow(store.read_table("articles"))


def _dimensions(store: Warehouse, totals: dict) -> tuple:
    return (
        star.dim_source_from_counts(totals[dimensions.SOURCES]).to_pylist(),
        star.dim_date_from_counts(totals[dimensions.DATES]).to_pylist(),
        star.languages_from_counts(totals[dimensions.LANGUAGES]),
    )


def _at_once(store: Warehouse) -> tuple:
    articles = _all_articles(store)
    return (
        star.dim_source_from_counts(star.count_sources(articles)).to_pylist(),
        star.build_dim_date(articles["published_date"].to_list()).to_pylist(),
        set(articles["language"].drop_nulls().to_list()),
    )


def _fold_all(store: Warehouse, keys) -> dict:
    totals = {}
    for key in keys:
        for counted in dimensions.COUNTED:
            totals[counted] = dimensions.update(store, counted, key, _articles_of(store))
    return totals


def test_folding_batch_after_batch_gives_the_dimensions_of_all_articles(tmp_path) -> None:
    store = _store(tmp_path, {})
    totals = {}
    for key, rows in BATCHES.items():
        store.write_table("articles", _batch(rows), partition=f"ingest_batch={key}")
        totals = _fold_all(store, [key])
    assert _dimensions(store, totals) == _at_once(store)
    # Named by the commonest spelling: "dpa" and "Dpa" tie at 2 originals each (a near-duplicate does
    # not count), and the tie goes to the first in byte order; so do dpa.com and dpa.de.
    sources = {row["source_name"]: row for row in _dimensions(store, totals)[0]}
    assert set(sources) == {"(unknown)", "Dpa", "TASS"}
    assert (sources["Dpa"]["article_count"], sources["Dpa"]["domain"]) == (4, "dpa.com")


def test_a_batch_folded_again_replaces_its_earlier_counts(tmp_path) -> None:
    store = _store(tmp_path)
    _fold_all(store, BATCHES)
    # A reclean of k2 after an extractor upgrade: other dates, one article rejected now.
    recleaned = [_article(4, "Dpa", "https://dpa.com/z", date(2024, 3, 1), "de")]
    store.write_table("articles", _batch(recleaned), partition="ingest_batch=k2")
    totals = _fold_all(store, ["k2"])
    assert _dimensions(store, totals) == _at_once(store)
    assert star.dim_date_from_counts(totals[dimensions.DATES])["date"].to_pylist()[0] == date(2024, 1, 3)


def test_a_warehouse_without_totals_is_counted_whole_once(tmp_path) -> None:
    store = _store(tmp_path)  # three batches written before dimensions were counted
    totals = _fold_all(store, ["k3"])
    assert _dimensions(store, totals) == _at_once(store)
    assert sorted(store.partitions(dimensions.SOURCES.counts_table, "ingest_batch")) == ["k1", "k2", "k3"]


def test_a_rebuild_forgets_the_counts_of_a_dropped_batch(tmp_path) -> None:
    store = _store(tmp_path)
    _fold_all(store, BATCHES)
    store.delete_partition("articles", "ingest_batch=k2")
    totals = {c: dimensions.update(store, c, None, _articles_of(store)) for c in dimensions.COUNTED}
    assert _dimensions(store, totals) == _at_once(store)
    assert "k2" not in store.partitions(dimensions.DATES.counts_table, "ingest_batch")


@pytest.mark.parametrize("killed_at_write", [1, 2, 3])
def test_a_fold_killed_between_its_writes_is_finished_or_undone_by_the_next(tmp_path, monkeypatch, killed_at_write):
    store = _store(tmp_path, {key: BATCHES[key] for key in ("k1", "k2")})
    _fold_all(store, ["k1", "k2"])
    store.write_table("articles", _batch(BATCHES["k3"]), partition="ingest_batch=k3")
    counted = dimensions.DATES
    writes = []
    real_write = Warehouse.write_table

    def dying(self, table, data, partition=None):
        writes.append(table)
        if len(writes) == killed_at_write:
            raise OSError("killed")
        return real_write(self, table, data, partition)

    monkeypatch.setattr(Warehouse, "write_table", dying)
    with pytest.raises(OSError):
        dimensions.update(store, counted, "k3", _articles_of(store))
    monkeypatch.setattr(Warehouse, "write_table", real_write)
    # The next fold (of another batch, or the retry) sees every batch exactly once.
    after_other = dimensions.update(store, counted, "k1", _articles_of(store))
    dates = _all_articles(store)["published_date"].drop_nulls()
    in_k3 = star.dim_date_from_counts(after_other)["date"].to_pylist()
    assert (date(2024, 2, 1) in in_k3) == (killed_at_write == 3)  # writes: pending, totals, counts
    retried = dimensions.update(store, counted, "k3", _articles_of(store))
    assert int(retried["article_count"].sum()) == len(dates)
    assert star.dim_date_from_counts(retried).to_pylist() == star.build_dim_date(dates.to_list()).to_pylist()
