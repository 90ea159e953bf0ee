"""Data-quality rules over the warehouse, as plain functions returning (passed, details).

The asset checks call these; tests and `newsetl` commands can too.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from newsetl import schemas
from newsetl.fs import connect_duckdb
from newsetl.storage import Warehouse


@dataclass(frozen=True)
class Outcome:
    passed: bool
    summary: str
    details: dict = field(default_factory=dict)


def _connection(warehouse: Warehouse, tables: list[str], partition: str | None = None) -> duckdb.DuckDBPyConnection:
    from newsetl.catalog import empty_view_sql, view_sql

    # The warehouse's own file system (S3 included) without downloading a DuckDB extension.
    connection = connect_duckdb(warehouse.root, s3=warehouse.s3)
    for table in tables:
        # A rule given a partition reads only that batch of the batch tables; the dimensions (small) stay whole.
        part = partition if schemas.DECLARATIONS[table].partitioned else None
        # A table with no data yet still has its columns, so that rules read it as empty rather than fail.
        written = warehouse.exists(table if part is None else f"{table}/{part}")
        connection.execute(view_sql(warehouse, table, partition=part) if written else empty_view_sql(table))
    return connection


def _one_row(connection: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    """The row of a query that always has exactly one (aggregates without GROUP BY)."""
    row = connection.execute(sql).fetchone()
    assert row is not None, sql
    return row


def contract_columns(warehouse: Warehouse, table: str, partition: str | None = None) -> Outcome:
    required = schemas.DECLARATIONS[table].contract_types
    with _connection(warehouse, [table], partition) as connection:
        actual = {name: dtype for name, dtype, *_ in connection.execute(f"DESCRIBE {table}").fetchall()}
    missing = sorted(set(required) - set(actual))
    wrong = {c: f"{actual[c]} (want {t})" for c, t in required.items() if c in actual and actual[c] != t}
    passed = not missing and not wrong
    summary = "all contract columns present with their types" if passed else f"missing {missing}, wrong types {wrong}"
    return Outcome(passed, summary, {"missing": missing, "wrong_types": wrong})


def unique_key(warehouse: Warehouse, table: str, partition: str | None = None) -> Outcome:
    columns = schemas.DECLARATIONS[table].key
    key = ", ".join(columns)
    with _connection(warehouse, [table], partition) as connection:
        nulls = _one_row(
            connection, f"SELECT count(*) FROM {table} WHERE " + " OR ".join(f"{c} IS NULL" for c in columns)
        )[0]
        repeated = connection.execute(
            f"SELECT {key}, count(*) AS n FROM {table} GROUP BY ALL HAVING count(*) > 1 ORDER BY n DESC LIMIT 5"
        ).fetchall()
    passed = not nulls and not repeated
    summary = f"({key}) is unique and never null" if passed else f"{nulls} null keys, repeated keys such as {repeated}"
    return Outcome(passed, summary, {"null_keys": nulls, "repeated_examples": [str(r) for r in repeated]})


def not_null(warehouse: Warehouse, table: str, columns: Sequence[str], partition: str | None = None) -> Outcome:
    partition = partition if schemas.DECLARATIONS[table].partitioned else None
    counts = warehouse.null_counts(table, list(columns), partition)  # footers only: the body column is never read
    if counts is None:
        with _connection(warehouse, [table], partition) as connection:
            row = _one_row(
                connection, f"SELECT {', '.join(f'count(*) FILTER (WHERE {c} IS NULL)' for c in columns)} FROM {table}"
            )
        counts = dict(zip(columns, row, strict=True))
    nulls = {c: n for c, n in counts.items() if n}
    return Outcome(not nulls, "no nulls in " + ", ".join(columns) if not nulls else f"nulls: {nulls}", {"nulls": nulls})


def keys_resolve(warehouse: Warehouse, fact: str, partition: str | None = None) -> Outcome:
    """With a partition: that batch's facts against the dimensions, and against that batch's articles
    (a fact's article is always in its own batch)."""
    relations = schemas.DECLARATIONS[fact].references
    tables = [fact] + [reference.table for reference in relations]
    orphans: dict[str, int] = {}
    with _connection(warehouse, tables, partition) as connection:
        for ref in relations:
            orphans[f"{ref.column}→{ref.table}"] = _one_row(
                connection,
                f"SELECT count(*) FROM {fact} f WHERE f.{ref.column} IS NOT NULL "
                f"AND NOT EXISTS (SELECT 1 FROM {ref.table} d WHERE d.{ref.table_column} = f.{ref.column})",
            )[0]
    bad = {k: v for k, v in orphans.items() if v}
    return Outcome(
        not bad, "every key resolves in its dimension" if not bad else f"unresolved keys: {bad}", {"orphans": orphans}
    )


def every_snapshot_accounted(warehouse: Warehouse, partition: str | None = None) -> Outcome:
    """Reconciliation: each raw snapshot is an article or a rejection, never both, never neither
    (within one batch, with a partition: a batch's articles come from its own snapshots)."""
    with _connection(warehouse, ["raw_snapshots", "articles", "rejected_snapshots"], partition) as connection:
        lost = connection.execute(
            "SELECT source_file FROM raw_snapshots r "
            "WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.snapshot_id = r.snapshot_id) "
            "AND NOT EXISTS (SELECT 1 FROM rejected_snapshots x WHERE x.snapshot_id = r.snapshot_id) ORDER BY 1"
        ).fetchall()
        both = connection.execute(
            "SELECT a.source_file FROM articles a JOIN rejected_snapshots x USING (snapshot_id) ORDER BY 1"
        ).fetchall()
        unknown = _one_row(
            connection,
            "SELECT count(*) FROM (SELECT snapshot_id FROM articles UNION ALL SELECT snapshot_id FROM "
            "rejected_snapshots) s "
            "WHERE NOT EXISTS (SELECT 1 FROM raw_snapshots r WHERE r.snapshot_id = s.snapshot_id)",
        )[0]
        counts = _one_row(
            connection,
            "SELECT (SELECT count(*) FROM raw_snapshots), (SELECT count(*) FROM articles), (SELECT count(*) FROM "
            "rejected_snapshots)",
        )
    passed = not lost and not both and not unknown
    raw, articles, rejected = counts
    summary = (
        f"{raw} snapshots = {articles} articles + {rejected} rejected"
        if passed
        else f"{len(lost)} lost (e.g. {[r[0] for r in lost[:5]]}), {len(both)} both article and rejection, {unknown} "
        "with no raw snapshot"
    )
    return Outcome(
        passed,
        summary,
        {
            "raw": raw,
            "articles": articles,
            "rejected": rejected,
            "lost": len(lost),
            "both": len(both),
            "orphans": unknown,
        },
    )


_LATE = "a.published_at > coalesce(r.fetched_at, r.ingested_at) + INTERVAL 1 DAY"
# Online news starts in the 1990s; an earlier published date is a misread (a founding year, a counter).
OLDEST_PUBLISHED = "1990-01-01"


def _published_where(
    warehouse: Warehouse, condition: str, passed: str, failed: str, partition: str | None = None
) -> Outcome:
    """Articles whose published date meets condition (against their snapshot r), as examples."""
    with _connection(warehouse, ["articles", "raw_snapshots"], partition) as connection:
        rows = connection.execute(
            "SELECT a.source_file, a.published_at, coalesce(r.fetched_at, r.ingested_at) AS seen "
            f"FROM articles a JOIN raw_snapshots r USING (snapshot_id) WHERE {condition} ORDER BY 1 LIMIT 20"
        ).fetchall()
    return Outcome(
        not rows,
        passed if not rows else f"{len(rows)} {failed}",
        {"examples": [f"{f}: {p} (seen {s})" for f, p, s in rows]},
    )


def published_not_after_snapshot(warehouse: Warehouse, partition: str | None = None) -> Outcome:
    """No article is published after the crawler saw it (one day of slack for time zones)."""
    return _published_where(
        warehouse, _LATE, "no published date after its snapshot", "articles published after their snapshot", partition
    )


def published_in_plausible_range(warehouse: Warehouse, partition: str | None = None) -> Outcome:
    """Every published date between 1990 and its snapshot (one day of slack for time zones)."""
    return _published_where(
        warehouse,
        f"a.published_at < TIMESTAMP '{OLDEST_PUBLISHED}' OR {_LATE}",
        "every published date between 1990 and its snapshot",
        "articles published before 1990 or after their snapshot",
        partition,
    )


def ingested_snapshots_present(warehouse: Warehouse, partition: str | None = None) -> Outcome:
    """Each ingest batch (or the one of `partition`) still holds the raw_snapshots rows its run wrote
    (batches from before the manifest are not judged); footers only."""
    from newsetl.batches import INGEST_MANIFEST, PARTITION_KEY

    if not warehouse.exists(INGEST_MANIFEST if partition is None else f"{INGEST_MANIFEST}/{partition}"):
        return Outcome(True, "no ingest batch recorded yet", {"batches": 0})
    manifest = warehouse.read_table(
        INGEST_MANIFEST, columns=["ingest_batch", "snapshot_rows"], partition=partition
    ).to_pylist()
    wrong = []
    for row in manifest:
        held = warehouse.row_count("raw_snapshots", f"{PARTITION_KEY}={row['ingest_batch']}")
        if held != row["snapshot_rows"]:
            wrong.append(f"{row['ingest_batch']}: {held} rows, {row['snapshot_rows']} written")
    summary = (
        f"{len(manifest)} ingest batches hold the rows they wrote"
        if not wrong
        else f"{len(wrong)} ingest batches changed behind the pipeline's back (e.g. {wrong[:3]})"
    )
    return Outcome(not wrong, summary, {"batches": len(manifest), "changed": wrong[:20]})


def warehouse_reconciliation(warehouse: Warehouse) -> Outcome:
    """Across every batch, what the per-batch rules cannot see: keys unique over all partitions of the
    batch tables, and every batch's raw rows still those its run wrote. DuckDB aggregates over the
    key columns and the footers: memory does not grow with the warehouse."""
    repeated: dict[str, list[str]] = {}
    with _connection(warehouse, list(schemas.PARTITIONED_TABLES)) as connection:
        for table in schemas.PARTITIONED_TABLES:
            key = ", ".join(schemas.DECLARATIONS[table].key)
            rows = connection.execute(
                f"SELECT {key}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1 LIMIT 3"
            ).fetchall()
            if rows:
                repeated[table] = [str(r) for r in rows]
    present = ingested_snapshots_present(warehouse)
    passed = not repeated and present.passed
    summary = (
        "keys unique across batches; " + present.summary
        if not repeated
        else f"keys repeated across batches: {repeated}; {present.summary}"
    )
    return Outcome(passed, summary, {"repeated_keys": repeated, **present.details})
