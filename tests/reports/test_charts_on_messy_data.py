"""Charts of data as a real crawl gives it: decades of dates, spam-like outlet names, articles of no
known outlet, counts too small for fractional ticks. Checked in the Vega-Lite specs, not pictures."""

from datetime import date

import pytest

from newsetl.reports import ReportOptions
from newsetl.reports.queries import open_report_session, run_report_query
from newsetl.reports.registry import draw_chart, query_parameters
from newsetl.reports.synthetic import SyntheticSpec, write_synthetic_warehouse
from tests.reports.conftest import OUTLET_A, OUTLET_B, _tiny_tables, write_tables

SPAM_OUTLETS = ("24h-news-online", "0day.example", "Reuters", "123 Breaking", "Le Monde")
UNKNOWN = "(unknown)"


@pytest.fixture(scope="module")
def messy_warehouse(tmp_path_factory: pytest.TempPathFactory):
    """1,500 articles over 30 years, outlets named like a crawl's, a fifth of them of no known outlet."""
    spec = SyntheticSpec(
        articles=1_500,
        countries=60,
        outlets=5,
        days=30 * 365,
        first_day=date(1995, 1, 1),
        outlet_names=SPAM_OUTLETS,
        unknown_outlet_share=0.2,
    )
    return write_synthetic_warehouse(tmp_path_factory.mktemp("messy"), spec)


def _draw(warehouse, name: str, **options) -> dict:
    connection = open_report_session(warehouse)
    try:
        return draw_chart(connection, name, ReportOptions(**options)).spec
    finally:
        connection.close()


def _encoding(spec: dict) -> dict:
    return spec["encoding"] if "encoding" in spec else spec["layer"][0]["encoding"]


def test_a_thirty_year_axis_labels_years(messy_warehouse):
    axis = _encoding(_draw(messy_warehouse, "country_mentions_over_time"))["x"]["axis"]
    assert axis["format"] == "%Y"
    assert axis["tickCount"]["interval"] == "year"
    assert axis["tickCount"]["step"] >= 2, "thirty single years would crowd 640 pixels"


def test_a_few_months_label_months_with_their_year(wide_warehouse):
    axis = _encoding(_draw(wide_warehouse, "country_mentions_over_time"))["x"]["axis"]
    assert "%Y" in axis["format"] and "%b" in axis["format"]


def test_a_few_days_label_days_with_their_year(tiny_warehouse):
    axis = _encoding(_draw(tiny_warehouse, "country_mentions_over_time", grain="day"))["x"]["axis"]
    assert axis["format"] == "%d %b %Y"


@pytest.mark.parametrize("name", ["country_mentions_over_time", "country_movers"])
def test_count_axes_step_by_whole_numbers(messy_warehouse, tiny_warehouse, name):
    for warehouse in (messy_warehouse, tiny_warehouse):
        spec = _draw(warehouse, name, grain="day")
        encoding = _encoding(spec)
        axis = (encoding["x"] if name == "country_movers" else encoding["y"])["axis"]
        assert axis["tickMinStep"] == 1
        assert axis["format"].endswith("d")


def test_the_unknown_outlet_is_not_an_outlet_but_counts_in_the_whole_corpus(messy_warehouse):
    connection = open_report_session(messy_warehouse)
    try:
        shares = run_report_query(connection, "outlet_country_shares", query_parameters(ReportOptions(), top_n=10))
        languages = run_report_query(connection, "language_mix", query_parameters(ReportOptions()))
        articles = connection.execute("SELECT count(*) FROM fact_article").fetchone()[0]
    finally:
        connection.close()
    assert UNKNOWN not in set(shares["outlet"])
    assert set(shares["outlet"]) == set(SPAM_OUTLETS)
    assert UNKNOWN not in set(languages["outlet"])
    assert languages.filter(languages["outlet_rank"] == 0)["articles"].sum() == articles
    sort = _encoding(_draw(messy_warehouse, "outlet_country_shares"))["y"]["sort"]
    assert UNKNOWN not in sort and len(sort) == len(SPAM_OUTLETS)


def test_outlets_of_equal_volume_are_ordered_by_name(tmp_path):
    # Both outlets have two articles: the tie goes to the name, digits first.
    tables = _tiny_tables()
    renamed = {OUTLET_A: "Zulu Post", OUTLET_B: "9news"}
    tables["dim_source"] = [
        dict(row, source_name=renamed.get(row["source_name"], row["source_name"])) for row in tables["dim_source"]
    ]
    warehouse = write_tables(tmp_path / "tie", tables)
    assert _encoding(_draw(warehouse, "outlet_country_shares"))["y"]["sort"] == ["9news", "Zulu Post"]
    # And volume comes before the name: one more article for Zulu Post puts it first.
    tables["fact_article"].append(dict(tables["fact_article"][0], article_id="a5"))
    tables["fact_country_mention"].append(dict(tables["fact_country_mention"][0], article_id="a5"))
    warehouse = write_tables(tmp_path / "volume", tables)
    assert _encoding(_draw(warehouse, "outlet_country_shares"))["y"]["sort"] == ["Zulu Post", "9news"]
