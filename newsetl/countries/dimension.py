"""dim_country: every ISO 3166-1 country with its codes, UN M49 region and names per language."""

from __future__ import annotations

import csv
import functools
import gzip
from collections import defaultdict

from newsetl.countries.paths import COUNTRIES_FILE, DISPLAY_NAMES_FILE, GAZETTEER_DIR


@functools.cache
def _names_by_country() -> dict[str, dict[str, str]]:
    """{iso2: {language: CLDR display name}}."""
    names: dict[str, dict[str, str]] = defaultdict(dict)
    with gzip.open(GAZETTEER_DIR / DISPLAY_NAMES_FILE, mode="rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            names[row["iso2"]][row["language"]] = row["name"]
    return names


@functools.cache
def _rows() -> tuple[dict, ...]:
    with open(GAZETTEER_DIR / COUNTRIES_FILE, encoding="utf-8", newline="") as handle:
        table = list(csv.DictReader(handle, delimiter="\t"))
    names = _names_by_country()
    return tuple(
        {**{k: (v or None) for k, v in row.items()}, "names": dict(sorted(names[row["iso2"]].items()))} for row in table
    )


def country_rows() -> list[dict]:
    """One dict per ISO 3166-1 country: iso2, iso3, numeric, name_en, region, subregion, region_m49,
    subregion_m49 (None where M49 has none, as for Antarctica) and names {language: name}."""
    return [{**row, "names": dict(row["names"])} for row in _rows()]
