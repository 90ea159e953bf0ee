"""Arrow schemas of the warehouse tables: the public interface of ../shared/warehouse-contract.md.

Columns may be added; the contract's columns are never renamed or dropped.
"""

import pyarrow as pa

MENTION_STRUCT = pa.struct(
    [
        ("iso2", pa.string()),
        ("mention_count", pa.int32()),
        ("in_title", pa.bool_()),
        ("first_offset", pa.int32()),
        ("surface_forms", pa.list_(pa.string())),
    ]
)

RAW_SNAPSHOTS = pa.schema(
    [
        ("snapshot_id", pa.string()),
        ("source_file", pa.string()),
        ("format", pa.string()),
        ("content_type", pa.string()),  # text or html: how the payload is read
        ("byte_size", pa.int64()),
        ("ingested_at", pa.timestamp("us")),
        ("url", pa.string()),
        ("fetched_at", pa.timestamp("us")),
        ("read_error", pa.string()),  # why the bytes could not be read (they are then empty)
        # The snapshot's bytes, so that silver can be rebuilt when the landing zone is gone.
        ("content", pa.large_binary()),
    ]
)

ARTICLES = pa.schema(
    [
        ("article_id", pa.string()),
        ("snapshot_id", pa.string()),
        ("source_file", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("body", pa.string()),
        ("language", pa.string()),
        ("published_at", pa.timestamp("us")),
        ("published_date", pa.date32()),
        ("published_tz", pa.string()),
        ("source_name", pa.string()),
        ("category", pa.string()),
        ("duplicate_of", pa.string()),
        ("encoding", pa.string()),
        ("extractor", pa.string()),
        ("body_chars", pa.int32()),
        ("countries", pa.list_(pa.string())),
        ("country_mentions", pa.list_(MENTION_STRUCT)),
        ("ingested_at", pa.timestamp("us")),
        # MinHash of the body, so later batches find near-duplicates without re-reading bodies.
        ("minhash", pa.binary()),
    ]
)

REJECTED_SNAPSHOTS = pa.schema(
    [
        ("snapshot_id", pa.string()),
        ("source_file", pa.string()),
        ("reason", pa.string()),
        ("stage", pa.string()),
        ("ingested_at", pa.timestamp("us")),
    ]
)

DIM_COUNTRY = pa.schema(
    [
        ("country_key", pa.int32()),
        ("iso2", pa.string()),
        ("iso3", pa.string()),
        ("name_en", pa.string()),
        ("region", pa.string()),
        ("subregion", pa.string()),
        ("region_m49", pa.string()),
        ("subregion_m49", pa.string()),
        # Names in the languages the corpus holds, for labels in the analyst's language.
        ("names", pa.map_(pa.string(), pa.string())),
    ]
)

DIM_SOURCE = pa.schema(
    [
        ("source_key", pa.int64()),
        ("source_name", pa.string()),
        ("domain", pa.string()),
        ("article_count", pa.int64()),
    ]
)

DIM_DATE = pa.schema(
    [
        ("date_key", pa.int32()),
        ("date", pa.date32()),
        ("year", pa.int16()),
        ("quarter", pa.int8()),
        ("month", pa.int8()),
        ("day", pa.int8()),
        ("iso_week", pa.int8()),
        ("day_of_week", pa.int8()),
        ("is_weekend", pa.bool_()),
    ]
)

FACT_ARTICLE = pa.schema(
    [
        ("article_id", pa.string()),
        ("date_key", pa.int32()),
        ("source_key", pa.int64()),
        ("language", pa.string()),
        ("body_chars", pa.int32()),
        ("country_count", pa.int32()),
    ]
)

FACT_COUNTRY_MENTION = pa.schema(
    [
        ("article_id", pa.string()),
        ("country_key", pa.int32()),
        ("date_key", pa.int32()),
        ("source_key", pa.int64()),
        ("mention_count", pa.int32()),
        ("in_title", pa.bool_()),
        ("first_offset", pa.int32()),
        ("surface_forms", pa.list_(pa.string())),
    ]
)

# Which landing zones this warehouse was filled from: a run on another one asks for `--add-landing`.
LANDING_ZONES = pa.schema(
    [
        ("path", pa.string()),  # the landing root as the run saw it: a resolved local folder or an s3:// prefix
        ("first_run_at", pa.timestamp("us")),
        ("last_run_at", pa.timestamp("us")),
    ]
)

# What a run found in its landing zone and did not read, with the reason (hidden names, symlinks leading
# outside, unreadable folders, FIFOs, ...): nothing vanishes without a row. The entries as last listed.
SKIPPED_LANDING_ENTRIES = pa.schema(
    [
        ("landing", pa.string()),  # the landing zone (landing_zones.path) the entry is in
        ("path", pa.string()),  # relative to it, "/"-separated; a folder ends with "/"
        ("reason", pa.string()),
        ("first_seen_at", pa.timestamp("us")),  # the first run that skipped it
        ("seen_at", pa.timestamp("us")),  # the latest run that skipped it
        ("ingest_batch", pa.string()),  # the batch of the first run that skipped it; NULL when that run had nothing new
    ]
)

TABLES: dict[str, pa.Schema] = {
    "raw_snapshots": RAW_SNAPSHOTS,
    "articles": ARTICLES,
    "rejected_snapshots": REJECTED_SNAPSHOTS,
    "dim_country": DIM_COUNTRY,
    "dim_source": DIM_SOURCE,
    "dim_date": DIM_DATE,
    "fact_article": FACT_ARTICLE,
    "fact_country_mention": FACT_COUNTRY_MENTION,
    "landing_zones": LANDING_ZONES,
    "skipped_landing_entries": SKIPPED_LANDING_ENTRIES,
}

# Columns the contract requires, with the DuckDB type a reader sees; the asset checks hold
# every table to these.
CONTRACT_COLUMNS: dict[str, dict[str, str]] = {
    "raw_snapshots": {
        "snapshot_id": "VARCHAR",
        "source_file": "VARCHAR",
        "format": "VARCHAR",
        "byte_size": "BIGINT",
        "ingested_at": "TIMESTAMP",
    },
    "articles": {
        "article_id": "VARCHAR",
        "snapshot_id": "VARCHAR",
        "source_file": "VARCHAR",
        "url": "VARCHAR",
        "title": "VARCHAR",
        "body": "VARCHAR",
        "language": "VARCHAR",
        "published_at": "TIMESTAMP",
        "published_date": "DATE",
        "source_name": "VARCHAR",
        "category": "VARCHAR",
        "duplicate_of": "VARCHAR",
    },
    "rejected_snapshots": {"snapshot_id": "VARCHAR", "source_file": "VARCHAR", "reason": "VARCHAR"},
    "dim_country": {
        "country_key": "INTEGER",
        "iso2": "VARCHAR",
        "iso3": "VARCHAR",
        "name_en": "VARCHAR",
        "region": "VARCHAR",
    },
    "dim_source": {"source_key": "BIGINT", "source_name": "VARCHAR", "domain": "VARCHAR"},
    "dim_date": {
        "date_key": "INTEGER",
        "date": "DATE",
        "year": "SMALLINT",
        "quarter": "TINYINT",
        "month": "TINYINT",
        "day": "TINYINT",
        "iso_week": "TINYINT",
        "day_of_week": "TINYINT",
        "is_weekend": "BOOLEAN",
    },
    "fact_article": {
        "article_id": "VARCHAR",
        "date_key": "INTEGER",
        "source_key": "BIGINT",
        "language": "VARCHAR",
        "body_chars": "INTEGER",
        "country_count": "INTEGER",
    },
    "fact_country_mention": {
        "article_id": "VARCHAR",
        "country_key": "INTEGER",
        "date_key": "INTEGER",
        "source_key": "BIGINT",
        "mention_count": "INTEGER",
        "in_title": "BOOLEAN",
    },
    "landing_zones": {"path": "VARCHAR", "first_run_at": "TIMESTAMP", "last_run_at": "TIMESTAMP"},
    "skipped_landing_entries": {
        "landing": "VARCHAR",
        "path": "VARCHAR",
        "reason": "VARCHAR",
        "first_seen_at": "TIMESTAMP",
        "seen_at": "TIMESTAMP",
        "ingest_batch": "VARCHAR",
    },
}

# Primary keys, checked unique.
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "raw_snapshots": ("snapshot_id",),
    "articles": ("article_id",),
    "rejected_snapshots": ("snapshot_id",),
    "dim_country": ("country_key",),
    "dim_source": ("source_key",),
    "dim_date": ("date_key",),
    "fact_article": ("article_id",),
    "fact_country_mention": ("article_id", "country_key"),
    "landing_zones": ("path",),
    "skipped_landing_entries": ("landing", "path"),
}
