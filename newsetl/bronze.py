"""Bronze for one ingest batch: the batch's landing files read into raw_snapshots, streamed."""

import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import pyarrow as pa
import pyarrow.compute as pc

from newsetl import formats, schemas
from newsetl.batches import Batch
from newsetl.fs import connect_duckdb
from newsetl.landing import PERMISSION_DENIED, LandingFile, read_file
from newsetl.landing_cursor import record_batch
from newsetl.settings import DEFAULTS, Settings
from newsetl.storage import Warehouse


@dataclass
class BronzeStats:
    snapshots: int = 0
    bytes: int = 0
    repeated: list[tuple[str, str]] = field(default_factory=list)  # (source_file, the file it repeats)
    formats: Counter = field(default_factory=Counter)
    refused: set[str] = field(default_factory=set)  # files that could not be opened for want of permission


class KnownSnapshots:
    """Which snapshot ids other batches already hold, asked chunk by chunk.

    Each question is a DuckDB join of the chunk's ids against the snapshot_id column of the other
    batches' raw_snapshots files: nothing that grows with the history is loaded into the run.
    """

    def __init__(self, store: Warehouse, partition: str) -> None:
        self._store, self._partition = store, partition
        self._connection = connect_duckdb(store.root, s3=store.s3) if store.exists("raw_snapshots") else None
        # The batch's own earlier rows (it is being ingested again): what they hold is not "elsewhere".
        own = (
            store.read_table("raw_snapshots", columns=["snapshot_id"], partition=partition)
            if self._connection
            else None
        )
        self._own = set(own.column("snapshot_id").to_pylist()) if own is not None else set()

    def lookup(self, snapshot_ids: list[str]) -> dict[str, str]:
        """snapshot_id → source_file, for those of `snapshot_ids` that another batch holds."""
        if self._connection is None or not snapshot_ids:
            return {}
        self._connection.register("wanted", pa.table({"snapshot_id": pa.array(snapshot_ids, pa.string())}))
        rows = self._connection.execute(
            """
            SELECT r.snapshot_id, r.source_file
            FROM read_parquet(?, filename = true, file_row_number = true, hive_partitioning = false) r
            SEMI JOIN wanted w ON r.snapshot_id = w.snapshot_id
            WHERE NOT contains(r.filename, ?)
            ORDER BY r.filename, r.file_row_number
            """,
            [self._store.table_glob("raw_snapshots"), f"/{self._partition}/"],
        ).fetchall()
        self._connection.unregister("wanted")
        # A snapshot two other batches hold gives the later file, as a dict over the whole table did.
        return {snapshot_id: source_file for snapshot_id, source_file in rows if snapshot_id not in self._own}

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()


def stream_files(files: list[LandingFile], settings: Settings = DEFAULTS) -> Iterator[tuple[pa.RecordBatch, int]]:
    """The snapshots of landing files as raw_snapshots rows (without ingested_at), in chunks (Arrow
    record batches) of at most bronze_chunk_rows rows or bronze_chunk_bytes of content (settings.tuning),
    so that a WARC or JSON Lines file of any size streams; each chunk comes with the number of files
    finished by it."""
    tuning = settings.tuning
    rows: list[dict] = []
    size = finished = 0
    for file in files:
        for snapshot in read_file(file, settings.max_snapshot_bytes):
            rows.append(snapshot.to_row())
            size += len(snapshot.content)
            if len(rows) >= tuning.bronze_chunk_rows or size >= tuning.bronze_chunk_bytes:
                yield pa.RecordBatch.from_pylist(rows, schema=schemas.RAW_SNAPSHOTS), finished
                rows, size, finished = [], 0, 0
        finished += 1
    if rows or finished:
        yield pa.RecordBatch.from_pylist(rows, schema=schemas.RAW_SNAPSHOTS), finished


def read_files(files: list[LandingFile], settings: Settings) -> list[tuple[pa.RecordBatch, int]]:
    """stream_files in a worker process: the files of one chunk, one snapshot each."""
    return list(stream_files(files, settings))


def _chunks(files: list[LandingFile], chunk_rows: int) -> Iterator[tuple[bool, list[LandingFile]]]:
    """Runs of the batch's files in listing order, each (for a worker?, files): a worker takes up to
    chunk_rows local files of one snapshot each; containers (WARC, JSON Lines) and object-store files
    stay in this process, where they stream (a filesystem client does not survive fork either)."""
    run: list[LandingFile] = []
    run_for_worker = True
    for file in files:
        for_worker = file.is_local and not formats.is_container(file.format)
        if run and (for_worker != run_for_worker or (for_worker and len(run) >= chunk_rows)):
            yield run_for_worker, run
            run = []
        run_for_worker = for_worker
        run.append(file)
    if run:
        yield run_for_worker, run


def _read_in_order(files: list[LandingFile], settings: Settings) -> Iterator[tuple[pa.RecordBatch, int]]:
    """stream_files over the whole batch, in order; single-snapshot local files in worker processes
    when the batch is large. Reading is hashing and decompressing, CPU the parent would otherwise
    spend while it compresses what it writes."""
    workers = settings.worker_count()
    if workers < 2 or len(files) < settings.tuning.bronze_parallel_threshold:
        yield from stream_files(files, settings)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        in_flight: deque[Future] = deque()
        for for_worker, run in _chunks(files, settings.tuning.bronze_chunk_rows):
            if for_worker:
                in_flight.append(pool.submit(read_files, run, settings))
                while len(in_flight) > 4 * workers:
                    yield from in_flight.popleft().result()
            else:
                while in_flight:  # what was listed before this run comes first
                    yield from in_flight.popleft().result()
                yield from stream_files(run, settings)
        while in_flight:
            yield from in_flight.popleft().result()


def ingest_batch(
    store: Warehouse,
    batch: Batch,
    ingested_at: datetime,
    progress: Callable[[int], None] = lambda n: None,
    settings: Settings = DEFAULTS,
) -> BronzeStats:
    """Write the batch's raw_snapshots partition (delete-then-insert), then record its files as ingested.
    `settings` gives the worker count, the snapshot size limit and the chunk sizes."""
    stats = BronzeStats()
    known = KnownSnapshots(store, batch.partition)
    seen: dict[str, str] = {}  # snapshot_id → source_file, of this batch's snapshots so far
    with store.table_writer("raw_snapshots", batch.partition) as out:
        for rows, files_read in _read_in_order(batch.files, settings):
            for source_file, error in zip(
                rows.column("source_file").to_pylist(), rows.column("read_error").to_pylist(), strict=True
            ):
                if error == PERMISSION_DENIED:
                    stats.refused.add(source_file)
            snapshot_ids = rows.column("snapshot_id").to_pylist()
            elsewhere = known.lookup([i for i in set(snapshot_ids) if i not in seen])
            keep = []
            for index, (snapshot_id, source_file) in enumerate(
                zip(snapshot_ids, rows.column("source_file").to_pylist(), strict=True)
            ):
                original = seen.get(snapshot_id, elsewhere.get(snapshot_id))
                if original is not None:
                    # Identical bytes are one snapshot: the first file keeps it.
                    stats.repeated.append((source_file, original))
                    continue
                seen[snapshot_id] = source_file
                keep.append(index)
            if len(keep) < rows.num_rows:
                rows = rows.take(pa.array(keep, pa.int32()))
            position = rows.schema.get_field_index("ingested_at")
            rows = rows.set_column(
                position, rows.schema.field(position), pa.array([ingested_at] * rows.num_rows, pa.timestamp("us"))
            )
            out.write(rows)
            stats.snapshots += rows.num_rows
            stats.bytes += pc.sum(rows.column("byte_size")).as_py() or 0
            stats.formats.update(rows.column("format").to_pylist())
            progress(files_read)
    known.close()
    record_batch(store, batch, ingested_at, snapshot_rows=stats.snapshots, retry=frozenset(stats.refused))
    return stats
