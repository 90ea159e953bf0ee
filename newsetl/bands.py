"""The persisted LSH band table: near-duplicate candidates by a join, not an index of every original.

`dedupe_bands` holds, for every original article (duplicate_of null, with a signature), one row per
LSH band: (band, bucket) where bucket is a 64-bit hash of the band's slots, with the article and
where it stands in first-seen order (ingested_at, source_file, ingest batch, row in its batch's
articles). It is partitioned by ingest batch like articles and written right after a batch's articles,
so rewriting a batch replaces its band rows.

A batch being cleaned joins the buckets of its own articles against the table (DuckDB over the
Parquet): the originals of other batches that share a band with one of its articles are the only
ones it loads, with their signatures read from their batches' articles. A DuplicateFinder that
remembers just those, in first-seen order, marks the batch exactly as one remembering every
original would: an article only ever matches an original sharing a band with it.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from newsetl.batches import PARTITION_KEY
from newsetl.dedupe import DuplicateFinder, Signature, from_bytes, signature
from newsetl.fs import connect_duckdb
from newsetl.storage import Warehouse

BANDS_TABLE = "dedupe_bands"
BANDS_SCHEMA = pa.schema(
    [
        ("band", pa.int8()),
        ("bucket", pa.int64()),
        ("article_id", pa.string()),
        # First-seen order: what the articles' (ingested_at, source_file) sort, then the batch, then the row.
        ("ingested_at", pa.timestamp("us")),
        ("source_file", pa.string()),
        ("position", pa.int64()),
    ]
)


def buckets(sig: Signature) -> list[int]:
    """The bucket of each band of a signature: a 64-bit hash of the band's slots."""
    raw = sig.hashvalues.astype("<u8").tobytes()
    width = 8 * DuplicateFinder.ROWS_PER_BAND
    return [
        int.from_bytes(
            hashlib.blake2b(raw[band * width : (band + 1) * width], digest_size=8).digest(), "little", signed=True
        )
        for band in range(DuplicateFinder.BANDS)
    ]


def _signatures(store: Warehouse, partition: str, article_ids: set[str] | None = None) -> dict[str, Signature | None]:
    """article_id → signature of a batch's articles (of `article_ids` only, if given); a signature stored
    by an older version of the scheme is computed again from the body."""
    table = store.read_table("articles", columns=["article_id", "minhash"], partition=partition)
    if article_ids is not None:
        table = table.filter(pc.is_in(table["article_id"], value_set=pa.array(sorted(article_ids), pa.string())))
    found = {
        article_id: from_bytes(minhash)
        for article_id, minhash in zip(
            table.column("article_id").to_pylist(), table.column("minhash").to_pylist(), strict=True
        )
    }
    outdated = [
        article_id
        for article_id, minhash in zip(
            table.column("article_id").to_pylist(), table.column("minhash").to_pylist(), strict=True
        )
        if minhash is not None and found[article_id] is None
    ]
    if outdated:
        bodies = store.read_table("articles", columns=["article_id", "body"], partition=partition)
        bodies = bodies.filter(pc.is_in(bodies["article_id"], value_set=pa.array(outdated, pa.string())))
        for article_id, body in zip(
            bodies.column("article_id").to_pylist(), bodies.column("body").to_pylist(), strict=True
        ):
            found[article_id] = signature(body or "")
    return found


def band_rows(articles: pa.Table, signatures: dict[str, Signature | None]) -> pa.Table:
    """The band rows of a batch's originals; `articles` is the batch's articles partition in row order."""
    rows: dict[str, list] = {name: [] for name in BANDS_SCHEMA.names}
    for position, (article_id, duplicate_of, ingested_at, source_file) in enumerate(
        zip(
            *(articles.column(c).to_pylist() for c in ("article_id", "duplicate_of", "ingested_at", "source_file")),
            strict=True,
        )
    ):
        sig = signatures.get(article_id)
        if duplicate_of is not None or sig is None:
            continue
        for band, bucket in enumerate(buckets(sig)):
            for name, value in zip(
                BANDS_SCHEMA.names, (band, bucket, article_id, ingested_at, source_file, position), strict=True
            ):
                rows[name].append(value)
    return pa.table(rows, schema=BANDS_SCHEMA)


def write_bands(store: Warehouse, partition: str, rows: pa.Table) -> None:
    with store.table_writer(BANDS_TABLE, partition, schema=BANDS_SCHEMA) as out:
        out.write(rows)


def refresh(store: Warehouse) -> int:
    """Bring the band table in line with articles: a batch whose band rows are missing or older than
    its articles (written before this table existed, or a run stopped between the two) gets them
    again from its articles; band rows of a batch without articles go. Returns the batches rebuilt."""
    articles = store.partitions("articles", PARTITION_KEY)
    written = store.partitions(BANDS_TABLE, PARTITION_KEY)
    for orphan in set(written) - set(articles):
        store.delete_partition(BANDS_TABLE, f"{PARTITION_KEY}={orphan}")
    stale = sorted(key for key, time in articles.items() if written.get(key, -1.0) < time)
    for key in stale:
        partition = f"{PARTITION_KEY}={key}"
        table = store.read_table(
            "articles",
            columns=["article_id", "duplicate_of", "ingested_at", "source_file", "minhash"],
            partition=partition,
        )
        originals = table.filter(pc.and_(pc.is_null(table["duplicate_of"]), pc.is_valid(table["minhash"])))
        signatures = (
            _signatures(store, partition, set(originals.column("article_id").to_pylist())) if originals.num_rows else {}
        )
        write_bands(store, partition, band_rows(table, signatures))
    return len(stale)


def earlier_originals(store: Warehouse, partition: str, batch_signatures: Iterable[Signature]) -> DuplicateFinder:
    """A duplicate finder that knows the originals of the other batches sharing a band with one of
    `batch_signatures` (the signatures of the batch's articles), in first-seen order."""
    finder = DuplicateFinder()
    wanted = {(band, bucket) for sig in batch_signatures for band, bucket in enumerate(buckets(sig))}
    if not wanted or not store.exists(BANDS_TABLE):
        return finder
    keys = pa.table(
        {"band": pa.array([b for b, _ in wanted], pa.int8()), "bucket": pa.array([k for _, k in wanted], pa.int64())}
    )
    connection = connect_duckdb(store.root, s3=store.s3)
    try:
        connection.register("wanted", keys)
        candidates = connection.execute(
            """
            SELECT DISTINCT b.article_id, b.ingested_at, b.source_file, b.ingest_batch, b.position
            FROM read_parquet(?, hive_partitioning = true, hive_types = {'ingest_batch': VARCHAR}) b
            SEMI JOIN wanted w ON b.band = w.band AND b.bucket = w.bucket
            WHERE b.ingest_batch <> ?
            ORDER BY b.ingested_at, b.source_file, b.ingest_batch, b.position
            """,
            [store.table_glob(BANDS_TABLE), partition.split("=", 1)[1]],
        ).fetchall()
    finally:
        connection.close()
    if not candidates:
        return finder
    # The batch's own earlier articles (it is being cleaned again) are not originals of other batches.
    own = set(
        store.read_table("articles", columns=["article_id"], partition=partition).column("article_id").to_pylist()
    )
    by_batch: dict[str, set[str]] = defaultdict(set)
    for article_id, _, _, batch, _ in candidates:
        by_batch[batch].add(article_id)
    signatures: dict[str, Signature | None] = {}
    for batch, article_ids in by_batch.items():
        signatures.update(_signatures(store, f"{PARTITION_KEY}={batch}", article_ids))
    for article_id, *_ in candidates:
        if article_id not in own:
            finder.remember(article_id, signatures.get(article_id))
    return finder
