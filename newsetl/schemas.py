"""The warehouse tables, each declared once: its columns (Arrow type, required, hidden, meaning), key,
foreign keys and partitioning. The Parquet schemas, the DuckDB view types, the asset checks and the
tables of warehouse/README.md are derived from these declarations; the public contract is
../shared/warehouse-contract.md (tests/test_schemas.py holds the declarations to it).

Columns may be added; the contract's columns are never renamed or dropped.
`python -m newsetl.schemas` prints the tables as markdown; `--readme warehouse/README.md` rewrites them there.
"""

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

# The hive partition column of the tables written one ingest batch per partition: `<table>/ingest_batch=<key>/`.
PARTITION_KEY = "ingest_batch"


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    # In ../shared/warehouse-contract.md: never renamed or dropped, its DuckDB type checked on every run.
    contract: bool = False
    # Never null, checked on every run (a key column is always required).
    required: bool = False
    # Kept in the Parquet files, left out of the DuckDB view: bytes there would only slow `SELECT *`.
    hidden: bool = False


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    table_column: str


@dataclass(frozen=True)
class Table:
    name: str
    layer: str  # bronze, silver or gold
    doc: str  # what one row is
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique and never null
    # column -> "table.column" it resolves in (NULL means "none", not a broken key)
    foreign_keys: Mapping[str, str] = field(default_factory=dict)
    # Written one ingest batch per hive partition (PARTITION_KEY); the others are rewritten whole.
    partitioned: bool = False
    notes: str = ""  # what the README says of the table beyond its columns

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        undeclared = [c for c in (*self.key, *self.foreign_keys) if c not in names]
        if len(set(names)) != len(names) or undeclared:
            raise ValueError(f"{self.name}: repeated columns in {names}, or undeclared key columns {undeclared}")

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema every Parquet file of the table is written with."""
        return pa.schema([(column.name, column.type) for column in self.columns])

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required or column.name in self.key)

    @property
    def hidden_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.hidden)

    @property
    def contract_types(self) -> dict[str, str]:
        """{column: DuckDB type} of the contract's columns, as a reader of the view sees them."""
        return {column.name: duckdb_type(column.type) for column in self.columns if column.contract}

    @property
    def view_types(self) -> dict[str, str]:
        """{column: DuckDB type} of the catalog view's declared columns (the hidden ones left out)."""
        return {column.name: duckdb_type(column.type) for column in self.columns if not column.hidden}

    @property
    def references(self) -> tuple[ForeignKey, ...]:
        return tuple(ForeignKey(column, *target.split(".")) for column, target in self.foreign_keys.items())


_DUCKDB_TYPES = {
    pa.bool_(): "BOOLEAN",
    pa.int8(): "TINYINT",
    pa.int16(): "SMALLINT",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.string(): "VARCHAR",
    pa.binary(): "BLOB",
    pa.large_binary(): "BLOB",
    pa.date32(): "DATE",
    pa.timestamp("us"): "TIMESTAMP",
}


def duckdb_type(arrow_type: pa.DataType) -> str:
    """The type DuckDB gives a column of this Arrow type, read from Parquet or from Arrow (as DESCRIBE spells it)."""
    if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
        return duckdb_type(arrow_type.value_type) + "[]"
    if pa.types.is_map(arrow_type):
        return f"MAP({duckdb_type(arrow_type.key_type)}, {duckdb_type(arrow_type.item_type)})"
    if pa.types.is_struct(arrow_type):
        # Field names are plain identifiers here, which DuckDB spells unquoted.
        return "STRUCT(" + ", ".join(f"{f.name} {duckdb_type(f.type)}" for f in arrow_type) + ")"
    try:
        return _DUCKDB_TYPES[arrow_type]
    except KeyError:
        raise TypeError(f"no DuckDB type is declared for the Arrow type {arrow_type}") from None


_STRING, _INT32, _INT64, _TIMESTAMP = pa.string(), pa.int32(), pa.int64(), pa.timestamp("us")

MENTION_STRUCT = pa.struct(
    [
        ("iso2", pa.string()),
        ("mention_count", pa.int32()),
        ("in_title", pa.bool_()),
        ("first_offset", pa.int32()),
        ("surface_forms", pa.list_(pa.string())),
    ]
)

_DECLARED = (
    Table(
        "raw_snapshots",
        "bronze",
        "one row per raw snapshot taken in",
        (
            Column(
                "snapshot_id",
                _STRING,
                "sha256 hex of the snapshot's bytes (decompressed); identical bytes give one row",
                contract=True,
            ),
            Column(
                "source_file",
                _STRING,
                "path relative to the landing root, `/`-separated; a record inside a WARC or JSON Lines file "
                "is `<path>#<n>`, n from 1",
                contract=True,
                required=True,
            ),
            Column(
                "format", _STRING, "how it was stored: `text`, `html`, `warc`, `jsonl`", contract=True, required=True
            ),
            Column("content_type", _STRING, "how the payload is read: `text` or `html`"),
            Column("byte_size", _INT64, "size of the snapshot's bytes", contract=True, required=True),
            Column("ingested_at", _TIMESTAMP, "when this run read it (UTC)", contract=True, required=True),
            Column("url", _STRING, "from the container (WARC headers, JSON Lines fields) where known"),
            Column("fetched_at", _TIMESTAMP, "when the crawler fetched it, from the container where known"),
            Column(
                "read_error", _STRING, "why the bytes could not be read (truncated gzip, size cap, unreadable file)"
            ),
            Column(
                "content",
                pa.large_binary(),
                "the bytes themselves, so articles can be rebuilt without the landing zone",
                hidden=True,
            ),
        ),
        key=("snapshot_id",),
        partitioned=True,
    ),
    Table(
        "articles",
        "silver",
        "one row per cleaned article",
        (
            Column(
                "article_id",
                _STRING,
                "stable id derived from snapshot_id (same bytes, same id, across runs)",
                contract=True,
            ),
            Column("snapshot_id", _STRING, "the snapshot it came from", contract=True, required=True),
            Column("source_file", _STRING, "the snapshot's source_file", contract=True, required=True),
            Column("url", _STRING, "the article's URL where the page or the container gives it", contract=True),
            Column("title", _STRING, "the headline (not the site name, not a teaser)", contract=True, required=True),
            Column(
                "body",
                _STRING,
                "main text only: no navigation, captions, teasers, related lists, disclaimers, comment widgets",
                contract=True,
                required=True,
            ),
            Column("language", _STRING, "ISO 639-1 code of the body (`zh`, `vi`, `en`, `ru`, ...)", contract=True),
            Column(
                "published_at",
                _TIMESTAMP,
                "publication time as printed on the page (local wall-clock time)",
                contract=True,
            ),
            Column("published_date", pa.date32(), "its date", contract=True),
            Column("published_tz", _STRING, "the UTC offset (`+08:00`) where the page gives one"),
            Column(
                "source_name",
                _STRING,
                "the outlet that published the story (`Sputnik`), normalized across languages; not the crawler "
                "or aggregator",
                contract=True,
            ),
            Column("category", _STRING, "the page's section or category where given", contract=True),
            Column(
                "duplicate_of",
                _STRING,
                "article_id of the first-seen copy when this is a near-duplicate (MinHash over the body)",
                contract=True,
            ),
            Column("encoding", _STRING, "the text encoding detected"),
            Column(
                "extractor",
                _STRING,
                "which path extracted it (a site profile, the general text cleaner, the HTML extractor)",
            ),
            Column("body_chars", _INT32, "length of the body"),
            Column(
                "countries",
                pa.list_(pa.string()),
                "ISO 3166-1 alpha-2 codes of the countries the title or body mentions",
            ),
            Column(
                "country_mentions",
                pa.list_(MENTION_STRUCT),
                "per country: iso2, mention_count, in_title, first_offset, surface_forms",
            ),
            Column("ingested_at", _TIMESTAMP, "when the run that cleaned it read its snapshot (UTC)"),
            Column(
                "minhash",
                pa.binary(),
                "MinHash of the body, so that later batches find near-duplicates without re-reading bodies",
                hidden=True,
            ),
        ),
        key=("article_id",),
        partitioned=True,
    ),
    Table(
        "rejected_snapshots",
        "silver",
        "every snapshot that gave no article, and why",
        (
            Column("snapshot_id", _STRING, "the snapshot (raw_snapshots.snapshot_id)", contract=True),
            Column("source_file", _STRING, "its source_file", contract=True, required=True),
            Column("reason", _STRING, "why it gave no article, a sentence for a person", contract=True, required=True),
            Column("stage", _STRING, "where it stopped: `read`, `decode`, `extract`, `countries`"),
            Column("ingested_at", _TIMESTAMP, "when the run that rejected it read it (UTC)"),
        ),
        key=("snapshot_id",),
        partitioned=True,
        notes="Every raw snapshot is in `articles` or here, never both (an asset check verifies it on every run).",
    ),
    Table(
        "dim_country",
        "gold",
        "one row per ISO 3166-1 country, mentioned or not (all 249)",
        (
            Column("country_key", _INT32, "the ISO 3166-1 numeric code", contract=True),
            Column("iso2", _STRING, "ISO 3166-1 alpha-2 code", contract=True, required=True),
            Column("iso3", _STRING, "ISO 3166-1 alpha-3 code", contract=True, required=True),
            Column("name_en", _STRING, "English name", contract=True, required=True),
            # Not required: UN M49 puts Antarctica in no region.
            Column("region", _STRING, "UN M49 region name", contract=True),
            Column("subregion", _STRING, "UN M49 subregion name"),
            Column("region_m49", _STRING, "UN M49 region code"),
            Column("subregion_m49", _STRING, "UN M49 subregion code"),
            Column(
                "names",
                pa.map_(pa.string(), pa.string()),
                "language -> name, for the corpus languages and English (labels in the analyst's language)",
            ),
        ),
        key=("country_key",),
    ),
    Table(
        "dim_source",
        "gold",
        "one row per outlet",
        (
            Column("source_key", _INT64, "a stable hash of the outlet name; 0 = unknown outlet", contract=True),
            Column("source_name", _STRING, "the outlet (articles.source_name)", contract=True, required=True),
            Column("domain", _STRING, "the most common web domain of its articles", contract=True),
            Column("article_count", _INT64, "its articles"),
        ),
        key=("source_key",),
    ),
    Table(
        "dim_date",
        "gold",
        "one row per day, a continuous calendar from the first to the last publication date",
        (
            Column("date_key", _INT32, "yyyymmdd", contract=True),
            Column("date", pa.date32(), "the day", contract=True, required=True),
            Column("year", pa.int16(), "its year", contract=True),
            Column("quarter", pa.int8(), "1 … 4", contract=True),
            Column("month", pa.int8(), "1 … 12", contract=True),
            Column("day", pa.int8(), "day of the month", contract=True),
            Column("iso_week", pa.int8(), "ISO 8601 week number", contract=True),
            Column("day_of_week", pa.int8(), "1 = Monday … 7 = Sunday", contract=True),
            Column("is_weekend", pa.bool_(), "Saturday or Sunday", contract=True),
        ),
        key=("date_key",),
    ),
    Table(
        "fact_article",
        "gold",
        "one row per article that is not a near-duplicate",
        (
            Column("article_id", _STRING, "the article", contract=True),
            Column("date_key", _INT32, "its publication day; NULL when the page gives no date", contract=True),
            Column("source_key", _INT64, "its outlet", contract=True, required=True),
            Column("language", _STRING, "ISO 639-1 code of the body", contract=True),
            Column("body_chars", _INT32, "length of the body", contract=True),
            Column("country_count", _INT32, "how many countries it mentions", contract=True),
        ),
        key=("article_id",),
        foreign_keys={
            "source_key": "dim_source.source_key",
            "date_key": "dim_date.date_key",
            "article_id": "articles.article_id",
        },
        partitioned=True,
    ),
    Table(
        "fact_country_mention",
        "gold",
        "one row per (non-duplicate article, country it mentions in its title or body)",
        (
            Column("article_id", _STRING, "the article", contract=True),
            Column("country_key", _INT32, "the country", contract=True, required=True),
            Column("date_key", _INT32, "the article's publication day; NULL when undated", contract=True),
            Column("source_key", _INT64, "the article's outlet", contract=True, required=True),
            Column("mention_count", _INT32, "how often the article names the country", contract=True, required=True),
            Column("in_title", pa.bool_(), "whether the title names it", contract=True, required=True),
            Column("first_offset", _INT32, "character offset of the first mention"),
            Column("surface_forms", pa.list_(pa.string()), "the words matched, to audit any fact"),
        ),
        key=("article_id", "country_key"),
        foreign_keys={
            "country_key": "dim_country.country_key",
            "source_key": "dim_source.source_key",
            "date_key": "dim_date.date_key",
            "article_id": "fact_article.article_id",
        },
        partitioned=True,
    ),
    Table(
        "landing_zones",
        "bronze",
        "one row per landing zone this warehouse was filled from",
        (
            Column(
                "path",
                _STRING,
                "the landing root as the run saw it: a resolved local folder, or an `s3://bucket/prefix`",
                contract=True,
            ),
            Column("first_run_at", _TIMESTAMP, "the first run that read it (UTC)", contract=True, required=True),
            Column("last_run_at", _TIMESTAMP, "the latest run that read it (UTC)", contract=True, required=True),
        ),
        key=("path",),
        notes=(
            "A run on a landing zone not listed here is refused, naming both, unless it is started with\n"
            "`newsetl run --add-landing` (in the UI launchpad: `ops: {raw_snapshots: {config: {add_landing: "
            "true}}}`).\n"
            "A warehouse written before this table existed takes the landing zone of its next run."
        ),
    ),
    Table(
        "skipped_landing_entries",
        "bronze",
        "one row per landing entry a run found and did not read, and why: nothing vanishes without a row",
        (
            Column("landing", _STRING, "the landing zone (`landing_zones.path`)", contract=True),
            Column("path", _STRING, "relative to it, `/`-separated; a folder ends with `/`", contract=True),
            Column(
                "reason",
                _STRING,
                "`hidden file`, `hidden folder`, `system file`, `symlink to …, outside the landing zone`, "
                "`symlinked folder, not followed`, `unreadable folder: …`, `not a regular file (FIFO)`, …",
                contract=True,
                required=True,
            ),
            Column("first_seen_at", _TIMESTAMP, "the first run that skipped it", contract=True, required=True),
            Column("seen_at", _TIMESTAMP, "the latest run that skipped it", contract=True, required=True),
            Column(
                "ingest_batch",
                _STRING,
                "the ingest batch of the run that first skipped it; NULL when that run had no new files",
                contract=True,
            ),
        ),
        key=("landing", "path"),
        notes=(
            "The entries as the latest run of each landing zone listed them: an entry that is read again or gone\n"
            "leaves the table."
        ),
    ),
)

DECLARATIONS: dict[str, Table] = {table.name: table for table in _DECLARED}
TABLES: dict[str, pa.Schema] = {name: table.schema for name, table in DECLARATIONS.items()}
PARTITIONED_TABLES = tuple(name for name, table in DECLARATIONS.items() if table.partitioned)

RAW_SNAPSHOTS = TABLES["raw_snapshots"]
ARTICLES = TABLES["articles"]
REJECTED_SNAPSHOTS = TABLES["rejected_snapshots"]
DIM_COUNTRY = TABLES["dim_country"]
DIM_SOURCE = TABLES["dim_source"]
DIM_DATE = TABLES["dim_date"]
FACT_ARTICLE = TABLES["fact_article"]
FACT_COUNTRY_MENTION = TABLES["fact_country_mention"]
LANDING_ZONES = TABLES["landing_zones"]
SKIPPED_LANDING_ENTRIES = TABLES["skipped_landing_entries"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(tables: Mapping[str, Table] = DECLARATIONS) -> str:
    """The tables of warehouse/README.md: per table its columns, DuckDB types, whether they are required
    (never null) and in the contract, and what they mean."""
    parts = []
    for table in tables.values():
        lines = [
            f"### `{table.name}` ({table.layer}): {table.doc}",
            "| column | type | required | contract | meaning |",
            "|---|---|---|---|---|",
        ]
        for column in table.columns:
            required = "key" if column.name in table.key else "yes" if column.required else ""
            meaning = column.doc + (" (hidden from the DuckDB view)" if column.hidden else "")
            target = table.foreign_keys.get(column.name)
            meaning += f"; resolves in `{target}`" if target else ""
            contract = "yes" if column.contract else ""
            lines.append(
                f"| {column.name} | {_cell(duckdb_type(column.type))} | {required} | {contract} | {_cell(meaning)} |"
            )
        if table.partitioned:
            lines.append(
                f"| {PARTITION_KEY} | VARCHAR | yes |  | the ingest batch that wrote the row: the hive partition "
                f"folder `{PARTITION_KEY}=<key>/` |"
            )
        parts.append("\n".join(lines) + (f"\n\n{table.notes}" if table.notes else ""))
    return "\n\n".join(parts) + "\n"


README_BEGIN = (
    "<!-- tables: generated by `python -m newsetl.schemas --readme warehouse/README.md`; edit newsetl/schemas.py -->"
)
README_END = "<!-- end of the generated tables -->"


def with_generated_tables(readme: str) -> str:
    """The README text with the tables between its markers replaced by the declarations' markdown."""
    begin, end = readme.find(README_BEGIN), readme.find(README_END)
    if begin < 0 or end < begin:
        raise ValueError(f"the README has no {README_BEGIN!r} … {README_END!r} markers")
    return readme[: begin + len(README_BEGIN)] + "\n" + markdown() + "\n" + readme[end:]


def main(argv: list[str]) -> int:
    """Print the tables as markdown, or with `--readme PATH` rewrite them between the markers of that file."""
    if argv[:1] == ["--readme"] and len(argv) == 2:
        with open(argv[1], encoding="utf-8") as handle:
            text = handle.read()
        with open(argv[1], "w", encoding="utf-8") as handle:
            handle.write(with_generated_tables(text))
        return 0
    if argv:
        sys.stderr.write("usage: python -m newsetl.schemas [--readme PATH]\n")
        return 2
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
