"""The generated gazetteer, the curated files and the country dimension."""

import csv
import json

import pycountry
import pytest

from newsetl.countries import country_rows
from newsetl.countries.build import build
from newsetl.countries.gazetteer import entries, generated_names, read_curated
from newsetl.countries.paths import (
    ADJECTIVES_FILE,
    BLOCKS_FILE,
    COUNTRIES_FILE,
    CURATED_DIR,
    DISPLAY_NAMES_FILE,
    GAZETTEER_DIR,
    NAMES_FILE,
    PROVENANCE_FILE,
)
from newsetl.countries.rules import parse_rule


def test_build_is_reproducible_and_matches_the_committed_files(tmp_path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build(first)
    build(second)
    for name in (NAMES_FILE, BLOCKS_FILE, DISPLAY_NAMES_FILE, COUNTRIES_FILE, ADJECTIVES_FILE, PROVENANCE_FILE):
        assert (first / name).read_bytes() == (second / name).read_bytes()
        assert (first / name).read_bytes() == (GAZETTEER_DIR / name).read_bytes(), f"rerun the build: {name}"


def test_provenance_records_data_versions() -> None:
    provenance = json.loads((GAZETTEER_DIR / PROVENANCE_FILE).read_text())
    assert {
        "babel",
        "cldr",
        "pycountry",
        "django-countries-hdx",
        "pymorphy3",
        "pymorphy3-dicts-ru",
        "pymorphy3-dicts-uk",
        "simplemma",
    } <= set(provenance)
    assert not any("20" in key for key in provenance)  # no build date


def test_every_iso_country_has_names() -> None:
    iso = {c.alpha_2 for c in pycountry.countries}
    assert len(iso) == 249
    english = {code for code, _ in generated_names()["en"]}
    assert english == iso
    for language in ("zh", "vi", "es", "fr", "de", "ja", "ko", "ar"):
        assert len({code for code, _ in generated_names()[language]}) >= 240


def test_country_rows_have_m49_regions() -> None:
    rows = country_rows()
    assert len(rows) == 249
    assert {r["iso2"] for r in rows} == {c.alpha_2 for c in pycountry.countries}
    by_code = {r["iso2"]: r for r in rows}
    assert by_code["VN"]["region"] == "Asia" and by_code["VN"]["subregion"] == "South-eastern Asia"
    assert by_code["VN"]["region_m49"] == "142" and by_code["VN"]["subregion_m49"] == "035"
    assert by_code["FR"]["iso3"] == "FRA" and by_code["FR"]["numeric"] == "250"
    assert by_code["US"]["names"]["vi"] == "Hoa Kỳ" and by_code["KR"]["names"]["zh"] == "韩国"
    with_region = [r for r in rows if r["region"]]
    assert len(with_region) >= 248  # Antarctica belongs to no M49 region
    assert by_code["AQ"]["region"] is None


@pytest.mark.parametrize("path", sorted(CURATED_DIR.glob("*.tsv")), ids=lambda p: p.name)
def test_curated_files_are_justified_and_parse(path) -> None:
    rows = read_curated(path.name)
    assert rows
    iso = {c.alpha_2 for c in pycountry.countries}
    for row in rows:
        assert row["justification"].strip(), row
        for code in (row.get("iso2") or "").split("+"):
            assert not code or code in iso, row
        if row.get("rule"):
            parse_rule(
                row["rule"]
                .replace("pair", "")
                .replace("prefix", "")
                .replace("suffix", "")
                .replace("core", "")
                .replace("with=", "prevchar!="),
                default_cap=False,
            )


def test_lexicon_holds_curated_and_generated_forms() -> None:
    vietnamese = entries("vi")
    assert vietnamese["mỹ"].countries == ("US",)
    assert vietnamese["hàn quốc"].countries == ("KR",)
    assert vietnamese["sputnik việt nam"].countries == ()
    chinese = entries("zh")
    assert chinese["北韓"].countries == ("KP",)
    assert chinese["中日韩"].countries == ("CN", "JP", "KR")


def test_countries_file_is_plain_tsv() -> None:
    with open(GAZETTEER_DIR / COUNTRIES_FILE, encoding="utf-8") as handle:
        header = next(csv.reader(handle, delimiter="\t"))
    assert header == ["iso2", "iso3", "numeric", "name_en", "region", "subregion", "region_m49", "subregion_m49"]


def test_every_context_rule_applies_to_a_generated_name() -> None:
    """rules.tsv only qualifies CLDR/ISO names; a curated row for the same form would silently win."""
    curated = {
        (row["language"], row["form"])
        for name in ("variants.tsv", "abbreviations.tsv", "demonyms.tsv", "capitals.tsv")
        for row in read_curated(name)
    }
    names = generated_names()
    for row in read_curated("rules.tsv"):
        assert (row["language"], row["form"]) not in curated, row
        assert row["form"] in {name for _, name in names[row["language"]]}, row
