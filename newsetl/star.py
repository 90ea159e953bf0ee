"""The star schema from the articles: dimensions and facts, as Arrow tables.

Pure functions over Arrow/Polars data; the assets only read and write them.
"""

import hashlib
from datetime import date, timedelta

import polars as pl
import pyarrow as pa

from newsetl import schemas
from newsetl.frames import frame_of

UNKNOWN_SOURCE_KEY = 0
UNKNOWN_SOURCE_NAME = "(unknown)"
# A calendar longer than this is a sign of a bad date, not a reason to write millions of rows.
MAX_CALENDAR_DAYS = 366 * 40


def source_key(source_name: str | None) -> int:
    """A stable surrogate key: the same outlet keeps its key across runs and machines."""
    if not source_name:
        return UNKNOWN_SOURCE_KEY
    digest = hashlib.blake2b(source_name.strip().lower().encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1 or 1  # positive BIGINT, never the unknown key


def date_key(day: date | None) -> int | None:
    return day.year * 10000 + day.month * 100 + day.day if day else None


def _to_arrow(frame: pl.DataFrame, schema: pa.Schema) -> pa.Table:
    return frame.to_arrow().select(schema.names).cast(schema)


def build_dim_country(country_rows: list[dict], languages: set[str]) -> pa.Table:
    keep = set(languages) | {"en"}
    rows = []
    for row in country_rows:
        rows.append(
            {
                "country_key": int(row["numeric"]),
                "iso2": row["iso2"],
                "iso3": row["iso3"],
                "name_en": row["name_en"],
                "region": row.get("region"),
                "subregion": row.get("subregion"),
                "region_m49": row.get("region_m49"),
                "subregion_m49": row.get("subregion_m49"),
                "names": sorted((lang, name) for lang, name in (row.get("names") or {}).items() if lang in keep),
            }
        )
    rows.sort(key=lambda r: r["iso2"])
    return pa.Table.from_pylist(rows, schema=schemas.DIM_COUNTRY)


# What each dimension needs from a batch of articles, as counts: summed over the batches, the counts
# give the same dimension as the articles themselves, so a batch run updates a dimension from its own
# articles and the running totals (newsetl/dimensions.py) instead of reading every article ever written.
SOURCE_COUNT_KEYS = ("source_key", "source_name", "domain")
DATE_COUNT_KEYS = ("published_date",)
LANGUAGE_COUNT_KEYS = ("language",)


def count_sources(articles: pl.DataFrame) -> pl.DataFrame:
    """Originals (not near-duplicates) per (source_key, spelling of the outlet's name, web domain)."""
    return (
        articles.filter(pl.col("duplicate_of").is_null())
        .with_columns(
            pl.col("url")
            .str.extract(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?:www\.)?([^/:?#]+)")
            .str.to_lowercase()
            .alias("domain"),
            pl.col("source_name")
            .map_elements(source_key, return_dtype=pl.Int64)
            .fill_null(UNKNOWN_SOURCE_KEY)
            .alias("source_key"),
        )
        .group_by(list(SOURCE_COUNT_KEYS))
        .agg(pl.len().cast(pl.Int64).alias("article_count"))
        .select(*SOURCE_COUNT_KEYS, "article_count")
    )


def count_dates(articles: pl.DataFrame) -> pl.DataFrame:
    """Articles (near-duplicates too: the calendar covers every article) per publication date."""
    return (
        articles.select("published_date")
        .drop_nulls()
        .group_by("published_date")
        .agg(pl.len().cast(pl.Int64).alias("article_count"))
    )


def count_languages(articles: pl.DataFrame) -> pl.DataFrame:
    """Articles per detected language: dim_country carries the country names in these languages."""
    return (
        articles.select("language")
        .drop_nulls()
        .group_by("language")
        .agg(pl.len().cast(pl.Int64).alias("article_count"))
    )


def _commonest(counts: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per source_key, the value of `column` with the most articles (the smallest of tied ones)."""
    return (
        counts.filter(pl.col(column).is_not_null())
        .group_by("source_key", column)
        .agg(pl.col("article_count").sum())
        .sort(["source_key", "article_count", column], descending=[False, True, False])
        .unique("source_key", keep="first", maintain_order=True)
        .select("source_key", column)
    )


def dim_source_from_counts(counts: pl.DataFrame) -> pa.Table:
    """One row per source_key: spellings of one outlet that differ only in case ("dpa", "Dpa") hash to
    one key, so they are grouped by the key (the facts use it) and named by their commonest spelling."""
    counted = (
        counts.filter(pl.col("article_count") > 0)
        .group_by("source_key")
        .agg(pl.col("article_count").sum())
        .join(_commonest(counts, "domain"), on="source_key", how="left")
        .join(_commonest(counts, "source_name"), on="source_key", how="left")
    )
    rows = [
        {
            "source_key": r["source_key"],
            "source_name": r["source_name"],
            "domain": r["domain"],
            "article_count": r["article_count"],
        }
        for r in counted.iter_rows(named=True)
        if r["source_key"] != UNKNOWN_SOURCE_KEY
    ]
    unknown = counted.filter(pl.col("source_key") == UNKNOWN_SOURCE_KEY)
    rows.append(
        {
            "source_key": UNKNOWN_SOURCE_KEY,
            "source_name": UNKNOWN_SOURCE_NAME,
            "domain": None,
            "article_count": int(unknown["article_count"].sum()) if unknown.height else 0,
        }
    )
    rows.sort(key=lambda r: r["source_key"])
    return pa.Table.from_pylist(rows, schema=schemas.DIM_SOURCE)


def build_dim_source(articles: pl.DataFrame) -> pa.Table:
    return dim_source_from_counts(count_sources(articles))


def dim_date_from_counts(counts: pl.DataFrame) -> pa.Table:
    return build_dim_date(counts.filter(pl.col("article_count") > 0)["published_date"].to_list())


def languages_from_counts(counts: pl.DataFrame) -> set[str]:
    return set(counts.filter(pl.col("article_count") > 0)["language"].to_list())


def build_dim_date(dates: list[date]) -> pa.Table:
    """A continuous calendar from the first to the last referenced date, so BI tools see empty days."""
    known = sorted({d for d in dates if d is not None})
    if not known:
        return schemas.DIM_DATE.empty_table()
    first, last = known[0], known[-1]
    if (last - first).days > MAX_CALENDAR_DAYS:
        days = known
    else:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    rows = [
        {
            "date_key": date_key(d),
            "date": d,
            "year": d.year,
            "quarter": (d.month - 1) // 3 + 1,
            "month": d.month,
            "day": d.day,
            "iso_week": d.isocalendar().week,
            "day_of_week": d.isoweekday(),
            "is_weekend": d.isoweekday() >= 6,
        }
        for d in days
    ]
    return pa.Table.from_pylist(rows, schema=schemas.DIM_DATE)


def _with_keys(articles: pl.DataFrame) -> pl.DataFrame:
    originals = articles.filter(pl.col("duplicate_of").is_null())
    return originals.with_columns(
        pl.col("source_name")
        .map_elements(source_key, return_dtype=pl.Int64)
        .fill_null(UNKNOWN_SOURCE_KEY)
        .alias("source_key"),
        pl.col("published_date").dt.strftime("%Y%m%d").cast(pl.Int32).alias("date_key"),
    )


def build_fact_article(articles: pl.DataFrame) -> pa.Table:
    keyed = _with_keys(articles).with_columns(
        pl.col("countries").list.len().cast(pl.Int32).alias("country_count"),
        pl.col("body_chars").cast(pl.Int32),
    )
    return _to_arrow(keyed.sort("article_id"), schemas.FACT_ARTICLE)


def build_fact_country_mention(articles: pl.DataFrame, dim_country: pa.Table) -> pa.Table:
    keyed = _with_keys(articles).select("article_id", "date_key", "source_key", "country_mentions")
    exploded = keyed.explode("country_mentions").drop_nulls("country_mentions").unnest("country_mentions")
    if exploded.height == 0:
        return schemas.FACT_COUNTRY_MENTION.empty_table()
    countries = frame_of(dim_country.select(["iso2", "country_key"]))
    facts = exploded.join(countries, on="iso2", how="inner").sort("article_id", "country_key")
    return _to_arrow(facts, schemas.FACT_COUNTRY_MENTION)
