"""Silver for one ingest batch: its raw snapshots become articles and rejections, streamed.

The batch is read twice in bounded chunks: once to learn each site's repeated lines from a
sample, once to clean. Memory is bounded by the chunk size and the chunks in flight, plus one
signature per article of the batch (about 600 bytes each); never by the history.

Worker processes take Arrow record batches of raw snapshots and give back Arrow record batches of
articles and rejections: the parent only reads, stages the articles in the warehouse and writes, and
it does so while the workers clean the next chunks (clean_snapshots). Near-duplicates are marked
afterwards, one batch at a time (mark_duplicates), by one join of the staged signatures' LSH bands
against the band table (newsetl.bands).
"""

import multiprocessing
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import pyarrow as pa

from newsetl import bands, schemas
from newsetl.decode import UndecodableSnapshot
from newsetl.dedupe import Signature, from_bytes
from newsetl.landing import RAW_SNAPSHOT_FIELDS, RawSnapshot
from newsetl.process import decode_input, domain_of, learn_boilerplate, process_snapshots, warm_up
from newsetl.settings import DEFAULTS, Settings
from newsetl.storage import Warehouse

_SNAPSHOT_COLUMNS = list(RAW_SNAPSHOT_FIELDS)


@dataclass
class SilverStats:
    snapshots: int = 0
    articles: int = 0
    rejected: int = 0
    duplicates: int = 0
    languages: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)


def _snapshots(chunk: pa.RecordBatch | pa.Table) -> list[RawSnapshot]:
    return [RawSnapshot.from_row(row) for row in chunk.to_pylist()]


def _boilerplate(store: Warehouse, partition: str, sample_per_domain: int) -> dict[str | None, frozenset[str]]:
    samples: dict[str | None, list[str]] = defaultdict(list)
    # Row group by row group, the small columns first: a page's bytes are read only while its site
    # still needs samples, so a large batch costs a read of its url and type columns.
    for head, read in store.iter_row_groups("raw_snapshots", partition, ["url", "content_type", "read_error"]):
        wanted = []
        taken: Counter = Counter()
        for index, (url, content_type, error) in enumerate(
            zip(
                head.column("url").to_pylist(),
                head.column("content_type").to_pylist(),
                head.column("read_error").to_pylist(),
                strict=True,
            )
        ):
            domain = domain_of(url)
            if (
                (content_type or "text") == "text"
                and error is None
                and len(samples[domain]) + taken[domain] < sample_per_domain
            ):
                taken[domain] += 1
                wanted.append(index)
        if not wanted:
            continue
        rows = read(_SNAPSHOT_COLUMNS).take(pa.array(wanted, pa.int32()))
        for snapshot in _snapshots(rows):
            try:
                samples[domain_of(snapshot.url)].append(decode_input(snapshot)[0])
            except UndecodableSnapshot:
                continue
    return learn_boilerplate(samples)


# Set in each worker process by _start_worker: the learned boilerplate goes to a worker once, not with every task.
_worker_boilerplate: dict[str | None, frozenset[str]] = {}


def _start_worker(boilerplate: dict[str | None, frozenset[str]]) -> None:
    global _worker_boilerplate
    _worker_boilerplate = boilerplate


def clean_chunk(
    chunk: pa.RecordBatch, settings: Settings, boilerplate: dict[str | None, frozenset[str]] | None = None
) -> tuple[pa.RecordBatch, pa.RecordBatch]:
    """Raw snapshot rows to (articles, rejected_snapshots) record batches, in input order."""
    articles, rejected = process_snapshots(
        _snapshots(chunk),
        _worker_boilerplate if boilerplate is None else boilerplate,
        reject_non_articles=settings.reject_non_articles,
        budget_seconds=settings.tuning.snapshot_budget_seconds,
    )
    return (
        pa.RecordBatch.from_pylist(articles, schema=schemas.ARTICLES),
        pa.RecordBatch.from_pylist(rejected, schema=schemas.REJECTED_SNAPSHOTS),
    )


def _pool(
    total: int, settings: Settings, boilerplate: dict[str | None, frozenset[str]] | None = None
) -> AbstractContextManager[ProcessPoolExecutor | None]:
    workers = settings.worker_count()
    if workers < 2 or total < settings.tuning.silver_parallel_threshold:
        return nullcontext(None)
    warm_up()
    # fork shares the loaded gazetteer and models with the workers instead of loading them again.
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_worker,
        initargs=(boilerplate or {},),
    )


def snapshot_count(store: Warehouse, partition: str) -> int:
    """Raw snapshots in one ingest batch."""
    return store.read_table("raw_snapshots", columns=["snapshot_id"], partition=partition).num_rows


# The articles of a batch between cleaning and marking, before their duplicate_of is known: a table of
# the warehouse storage (a partition's two steps may run in different pods), outside every table folder
# the catalog globs, and emptied by the marking.
STAGED_ARTICLES = "_staging/articles"


def clean_snapshots(
    store: Warehouse,
    partition: str,
    progress: Callable[[int], None] = lambda n: None,
    settings: Settings = DEFAULTS,
    size: int | None = None,
) -> SilverStats:
    """The CPU-heavy half of silver, which shares nothing with other batches: write the
    rejected_snapshots partition of one ingest batch and its articles, not yet marked, to the staged
    partition (STAGED_ARTICLES), both delete-then-insert. `mark_duplicates` finishes the batch.

    `size` is snapshot_count(), when the caller already knows it; `settings` gives the worker count,
    whether non-articles are rejected, the time budget of a snapshot and the chunk sizes.
    """
    stats = SilverStats()
    tuning = settings.tuning
    workers = settings.worker_count()
    total = snapshot_count(store, partition) if size is None else size
    boilerplate = _boilerplate(store, partition, tuning.silver_sample_per_domain)
    with (
        store.table_writer("rejected_snapshots", partition) as rejected_out,
        store.table_writer(STAGED_ARTICLES, partition, schema=schemas.ARTICLES) as staged_out,
        _pool(total, settings, boilerplate) as pool,
    ):

        def collect(result: tuple[pa.RecordBatch, pa.RecordBatch]) -> None:
            articles, rejected = result
            staged_out.write(articles)
            rejected_out.write(rejected)
            stats.languages.update(articles.column("language").to_pylist())
            stats.reasons.update(rejected.column("reason").to_pylist())
            stats.articles += articles.num_rows
            stats.rejected += rejected.num_rows
            stats.snapshots += articles.num_rows + rejected.num_rows
            progress(articles.num_rows + rejected.num_rows)

        # Chunks are collected in the order they were read, so "first seen" means the same with
        # workers or without; a few chunks in flight keep the workers busy while the parent collects.
        in_flight: deque[Future] = deque()
        for chunk in store.iter_chunks(
            "raw_snapshots", partition, columns=_SNAPSHOT_COLUMNS, chunk_rows=tuning.silver_task_rows
        ):
            if pool is None:
                collect(clean_chunk(chunk, settings, boilerplate))
                continue
            in_flight.append(pool.submit(clean_chunk, chunk, settings))
            while len(in_flight) > 4 * workers:
                collect(in_flight.popleft().result())
        while in_flight:
            collect(in_flight.popleft().result())
    return stats


class NotStaged(LookupError):
    """The batch has no staged articles: its cleaning step has not run (or its marking already finished)."""


def mark_duplicates(store: Warehouse, partition: str, settings: Settings = DEFAULTS) -> int:
    """The half of silver that depends on the batches before: fill duplicate_of of the batch's staged
    articles, write them to its articles partition and its originals to the band table, then remove
    the staged partition. Returns the near-duplicates marked.

    The staged signatures are joined against the band table once (bands.earlier_originals) and
    duplicate_of is filled in first-seen order. Run one batch at a time, in the order batches were
    registered. A run stopped anywhere in here is finished by running it again: the staged rows stay
    until the articles and their band rows are written.
    """
    if not store.exists(STAGED_ARTICLES, partition):
        raise NotStaged(f"no staged articles for {partition}: clean the batch first (newsetl.silver.clean_snapshots)")
    bands.refresh(store)
    staged = store.read_table(STAGED_ARTICLES, columns=["article_id", "minhash"], partition=partition)
    # This batch's articles in order: bounded by the batch.
    signatures: list[tuple[str, Signature | None]] = [
        (article_id, from_bytes(minhash) if minhash else None)
        for article_id, minhash in zip(
            staged.column("article_id").to_pylist(), staged.column("minhash").to_pylist(), strict=True
        )
    ]
    # Other batches' originals first, then this batch's in order: first-seen order.
    finder = bands.earlier_originals(store, partition, (sig for _, sig in signatures if sig is not None))
    originals = [finder.original_of(article_id, sig) for article_id, sig in signatures]
    with store.table_writer("articles", partition) as articles_out:
        done = 0
        for rows in store.iter_chunks(STAGED_ARTICLES, partition, chunk_rows=settings.tuning.silver_task_rows):
            position = rows.schema.get_field_index("duplicate_of")
            marked = pa.array(originals[done : done + rows.num_rows], pa.string())
            articles_out.write(rows.set_column(position, rows.schema.field(position), marked))
            done += rows.num_rows
    written = store.read_table(
        "articles", columns=["article_id", "duplicate_of", "ingested_at", "source_file"], partition=partition
    )
    bands.write_bands(store, partition, bands.band_rows(written, dict(signatures)))
    store.delete_partition(STAGED_ARTICLES, partition)
    return sum(original is not None for original in originals)


def clean_batch(
    store: Warehouse,
    partition: str,
    progress: Callable[[int], None] = lambda n: None,
    settings: Settings = DEFAULTS,
    size: int | None = None,
) -> SilverStats:
    """Write the articles and rejected_snapshots partitions of one ingest batch (delete-then-insert):
    clean_snapshots then mark_duplicates, for callers that run both in one go (drop_batch, tests)."""
    stats = clean_snapshots(store, partition, progress, settings, size)
    stats.duplicates = mark_duplicates(store, partition, settings)
    return stats
