"""A synthetic warehouse that follows newsetl/schemas.py, for tests and the render benchmark.

It stands in for a pipeline run: Zipf-distributed country mentions over ~200 countries, several
outlets and languages, a span of days with some undated articles, and `dim_country.names` in the
corpus languages (from CLDR via babel), so reports can be exercised at scale without extraction.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pycountry
from babel import Locale

from newsetl import schemas
from newsetl.catalog import build_catalog
from newsetl.storage import Warehouse

DEFAULT_LANGUAGES = ("en", "zh", "vi", "ru", "fr")
# (outlet, the language it mostly writes in)
DEFAULT_OUTLETS = (
    ("Reuters", "en"),
    ("Xinhua", "zh"),
    ("VnExpress", "vi"),
    ("Sputnik", "ru"),
    ("Le Monde", "fr"),
    ("BBC", "en"),
    ("Tuoi Tre", "vi"),
    ("RIA Novosti", "ru"),
    ("People's Daily", "zh"),
    ("France 24", "fr"),
    ("Al Jazeera", "en"),
    ("Global Times", "zh"),
)


# The most mentioned countries, in order, so charts of synthetic data look like news; the other
# countries follow in random order with Zipf-falling weights.
NEWSWORTHY = (
    "US",
    "CN",
    "RU",
    "UA",
    "GB",
    "FR",
    "DE",
    "JP",
    "IN",
    "IL",
    "IR",
    "KR",
    "VN",
    "TR",
    "KP",
    "BR",
    "PS",
    "TW",
    "SA",
    "PH",
)
# (country, first day, last day, how many times its usual weight): stories that come and go.
STORIES = (("IL", 20, 45, 2.5), ("VN", 50, 70, 3.0), ("UA", 0, 25, 1.8), ("JP", 65, 90, 2.2))


@dataclass(frozen=True)
class SyntheticSpec:
    articles: int = 10_000
    countries: int = 200
    outlets: int = 12
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    days: int = 90
    first_day: date = date(2024, 4, 1)
    undated_share: float = 0.03
    seed: int = 7
    # Outlet names instead of DEFAULT_OUTLETS' (e.g. the spam-like names of a real crawl), and the
    # share of articles whose outlet is not known (dim_source's "(unknown)", source_key 0).
    outlet_names: tuple[str, ...] | None = None
    unknown_outlet_share: float = 0.0


def _country_rows(count: int, languages: tuple[str, ...]) -> list[dict]:
    """`count` countries, the newsworthy ones first."""
    locales = {lang: Locale.parse(lang) for lang in set(languages) | {"en"}}
    rows = []
    ordered = sorted(
        pycountry.countries,
        key=lambda c: (
            c.alpha_2 not in NEWSWORTHY,
            NEWSWORTHY.index(c.alpha_2) if c.alpha_2 in NEWSWORTHY else 0,
            c.alpha_2,
        ),
    )
    for country in ordered[:count]:
        names = {lang: locale.territories.get(country.alpha_2) for lang, locale in locales.items()}
        rows.append(
            {
                "country_key": int(country.numeric),
                "iso2": country.alpha_2,
                "iso3": country.alpha_3,
                "name_en": country.name,
                "region": "Synthetic",
                "subregion": None,
                "region_m49": None,
                "subregion_m49": None,
                "names": sorted((lang, name) for lang, name in names.items() if name),
            }
        )
    return rows


def _date_key(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _dim_date(first: date, days: int) -> list[dict]:
    rows = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        iso = day.isocalendar()
        rows.append(
            {
                "date_key": _date_key(day),
                "date": day,
                "year": day.year,
                "quarter": (day.month - 1) // 3 + 1,
                "month": day.month,
                "day": day.day,
                "iso_week": iso.week,
                "day_of_week": iso.weekday,
                "is_weekend": iso.weekday >= 6,
            }
        )
    return rows


def synthetic_tables(spec: SyntheticSpec = SyntheticSpec()) -> dict[str, pa.Table]:
    """Every table of the star schema plus articles and raw_snapshots, keys resolving in the dimensions."""
    rng = np.random.default_rng(spec.seed)
    countries = _country_rows(spec.countries, spec.languages)
    # Beyond the newsworthy head, popularity is independent of the alphabet.
    head = min(len(NEWSWORTHY), len(countries))
    popularity = np.concatenate([np.arange(head), head + rng.permutation(len(countries) - head)])
    day_weights = np.tile(1.0 / (popularity + 1) ** 1.1, (spec.days, 1))
    index_of = {row["iso2"]: i for i, row in enumerate(countries)}
    for iso2, first, last, factor in STORIES:
        if iso2 in index_of:
            day_weights[first:last, index_of[iso2]] *= factor
    day_weights /= day_weights.sum(axis=1, keepdims=True)
    undated_weights = day_weights.mean(axis=0)
    outlets = [DEFAULT_OUTLETS[i % len(DEFAULT_OUTLETS)] for i in range(spec.outlets)]
    outlet_names = [name + ("" if i < len(DEFAULT_OUTLETS) else f" {i}") for i, (name, _) in enumerate(outlets)]
    if spec.outlet_names is not None:
        outlet_names = [
            spec.outlet_names[i % len(spec.outlet_names)] + ("" if i < len(spec.outlet_names) else f" {i}")
            for i in range(spec.outlets)
        ]
    outlet_weights = 1.0 / np.arange(1, spec.outlets + 1)
    outlet_weights /= outlet_weights.sum()
    # Each outlet writes mostly in one language; 15 % of articles are in another one.
    outlet_language = [
        lang if lang in spec.languages else spec.languages[i % len(spec.languages)]
        for i, (_, lang) in enumerate(outlets)
    ]
    calendar = _dim_date(spec.first_day, spec.days)
    ingested = datetime(2024, 12, 1)

    article_rows, fact_rows, mention_rows, raw_rows = [], [], [], []
    outlet_of = rng.choice(spec.outlets, size=spec.articles, p=outlet_weights)
    day_of = rng.integers(0, spec.days, size=spec.articles)
    undated = rng.random(spec.articles) < spec.undated_share
    # Drawn only when asked for, so the default warehouse stays the same articles as before.
    outlet_unknown = (
        rng.random(spec.articles) < spec.unknown_outlet_share
        if spec.unknown_outlet_share
        else np.zeros(spec.articles, dtype=bool)
    )
    other_language = rng.random(spec.articles) < 0.15
    country_counts = rng.integers(1, 5, size=spec.articles)
    for n in range(spec.articles):
        article_id = hashlib.sha256(f"synthetic-{spec.seed}-{n}".encode()).hexdigest()[:32]
        outlet = int(outlet_of[n])
        source_key = 0 if outlet_unknown[n] else outlet + 1
        language = (
            spec.languages[int(rng.integers(len(spec.languages)))] if other_language[n] else outlet_language[outlet]
        )
        day = None if undated[n] else calendar[int(day_of[n])]["date"]
        date_key = _date_key(day) if day else None
        weights = undated_weights if undated[n] else day_weights[int(day_of[n])]
        chosen = rng.choice(len(countries), size=int(country_counts[n]), replace=False, p=weights)
        raw_rows.append(
            {
                "snapshot_id": article_id,
                "source_file": f"synthetic/{n:06d}.txt",
                "format": "text",
                "content_type": "text",
                "byte_size": 1000,
                "ingested_at": ingested,
                "content": b"",
            }
        )
        article_rows.append(
            {
                "article_id": article_id,
                "snapshot_id": article_id,
                "source_file": f"synthetic/{n:06d}.txt",
                "title": f"Synthetic article {n}",
                "body": "",
                "language": language,
                "published_date": day,
                "published_at": datetime.combine(day, datetime.min.time()) if day else None,
                "source_name": None if outlet_unknown[n] else outlet_names[outlet],
                "body_chars": 1000,
                "countries": [countries[int(c)]["iso2"] for c in chosen],
                "ingested_at": ingested,
            }
        )
        fact_rows.append(
            {
                "article_id": article_id,
                "date_key": date_key,
                "source_key": source_key,
                "language": language,
                "body_chars": 1000,
                "country_count": len(chosen),
            }
        )
        for position, c in enumerate(chosen):
            mention_rows.append(
                {
                    "article_id": article_id,
                    "country_key": countries[int(c)]["country_key"],
                    "date_key": date_key,
                    "source_key": source_key,
                    "mention_count": int(rng.integers(1, 6)),
                    "in_title": position == 0,
                    "first_offset": 0,
                    "surface_forms": [countries[int(c)]["name_en"]],
                }
            )
    sources = [
        {
            "source_key": i + 1,
            "source_name": name,
            "domain": f"{name.lower().replace(' ', '')}.example",
            "article_count": int(((outlet_of == i) & ~outlet_unknown).sum()),
        }
        for i, name in enumerate(outlet_names)
    ]
    sources.insert(
        0, {"source_key": 0, "source_name": "(unknown)", "domain": None, "article_count": int(outlet_unknown.sum())}
    )
    rows = {
        "raw_snapshots": raw_rows,
        "articles": article_rows,
        "rejected_snapshots": [],
        "dim_country": countries,
        "dim_source": sources,
        "dim_date": calendar,
        "fact_article": fact_rows,
        "fact_country_mention": mention_rows,
    }
    return {table: pa.Table.from_pylist(data, schema=schemas.TABLES[table]) for table, data in rows.items()}


def write_synthetic_warehouse(root: str | Path, spec: SyntheticSpec = SyntheticSpec()) -> Warehouse:
    """Writes the tables and the DuckDB catalog under `root`; returns the warehouse."""
    warehouse = Warehouse(str(root))
    for table, data in synthetic_tables(spec).items():
        warehouse.write_table(table, data)
    build_catalog(warehouse)
    return warehouse
