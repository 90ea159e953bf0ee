"""The report queries against hand-worked figures (tiny warehouse) and at 200 countries (wide)."""

import polars as pl
import pytest

from newsetl.reports.queries import open_report_session, parameter_names, run_report_query
from newsetl.reports.registry import ReportOptions, query_parameters, resolve_grain
from tests.reports.conftest import DAY_1, DAY_2, OUTLET_A, OUTLET_B, TINY_ARTICLES


def _run(warehouse, name: str, **overrides) -> pl.DataFrame:
    options = ReportOptions(lang=overrides.pop("lang", "en"))
    connection = open_report_session(warehouse)
    try:
        return run_report_query(connection, name, query_parameters(options, **overrides))
    finally:
        connection.close()


def test_parameters_are_read_from_code_not_comments():
    sql = "-- uses $not_this\nSELECT $top_n + 1, '$' AS x -- and $nor_this\nWHERE y = $lang"
    assert parameter_names(sql) == {"top_n", "lang"}


def test_a_missing_parameter_is_named(tiny_warehouse):
    connection = open_report_session(tiny_warehouse)
    try:
        with pytest.raises(KeyError, match="top_n"):
            run_report_query(connection, "country_co_mentions", {"lang": "en"})
    finally:
        connection.close()


def test_over_time_folds_the_tail_into_other_counting_articles_once(tiny_warehouse):
    frame = _run(tiny_warehouse, "country_mentions_over_time", top_n=1, grain="day")
    rows = {(r["period"], r["country"]): r["articles"] for r in frame.iter_rows(named=True)}
    # China is the top country (3 articles); a3 names two tail countries but is one article.
    assert rows == {(DAY_1, "China"): 2, (DAY_1, "Other countries"): 1, (DAY_2, "Other countries"): 1}
    assert frame.filter(pl.col("country") == "Other countries")["iso2"].is_null().all()


def test_over_time_leaves_undated_articles_out(tiny_warehouse):
    frame = _run(tiny_warehouse, "country_mentions_over_time", top_n=10, grain="day")
    assert frame.filter(pl.col("iso2") == "CN")["articles"].sum() == 2  # a4 (undated) also names China


def test_weekly_grain_puts_both_days_in_one_week(tiny_warehouse):
    frame = _run(tiny_warehouse, "country_mentions_over_time", top_n=10, grain="week")
    assert frame["period"].unique().to_list() == [DAY_1.fromisocalendar(2024, 25, 1)]
    assert dict(zip(frame["iso2"], frame["articles"], strict=True)) == {"CN": 2, "VN": 2, "FR": 1}


def test_names_in_the_asked_language_fall_back_to_english(tiny_warehouse):
    frame = _run(tiny_warehouse, "country_mentions_over_time", top_n=10, grain="day", lang="zh", other_label="其他国家")
    assert set(frame["country"]) == {"中国", "越南", "France"}


def test_co_mentions_are_symmetric_with_own_counts_on_the_diagonal(tiny_warehouse):
    frame = _run(tiny_warehouse, "country_co_mentions", top_n=3)
    cells = {(r["iso2_a"], r["iso2_b"]): r["articles"] for r in frame.iter_rows(named=True)}
    assert cells == {
        ("CN", "CN"): 3,
        ("VN", "VN"): 2,
        ("FR", "FR"): 1,
        ("CN", "VN"): 1,
        ("VN", "CN"): 1,
        ("VN", "FR"): 1,
        ("FR", "VN"): 1,
    }


def test_outlet_shares_sum_to_one_with_the_tail_folded(tiny_warehouse):
    frame = _run(tiny_warehouse, "outlet_country_shares", top_n=1, top_outlets=5)
    shares = {(r["outlet"], r["country"]): round(r["share"], 4) for r in frame.iter_rows(named=True)}
    assert shares == {
        (OUTLET_A, "China"): round(2 / 3, 4),
        (OUTLET_A, "Other countries"): round(1 / 3, 4),
        (OUTLET_B, "China"): round(1 / 3, 4),
        (OUTLET_B, "Other countries"): round(2 / 3, 4),
    }
    # Equal article counts: the outlets are ranked by name.
    assert frame.sort("outlet_rank")["outlet"].unique(maintain_order=True).to_list() == [OUTLET_A, OUTLET_B]


def test_language_mix_has_the_whole_corpus_first(tiny_warehouse):
    frame = _run(tiny_warehouse, "language_mix", top_outlets=1)
    whole = frame.filter(pl.col("outlet_rank") == 0)
    assert whole["outlet"].unique().to_list() == ["All outlets"]
    assert dict(zip(whole["language"], whole["articles"], strict=True)) == {"zh": 2, "vi": 1, "en": 1}
    assert whole["articles"].sum() == len(TINY_ARTICLES)
    assert set(frame["outlet"]) == {"All outlets", OUTLET_A}  # top_outlets=1


def test_grain_follows_the_span(tiny_warehouse, wide_warehouse):
    for warehouse, expected in ((tiny_warehouse, "day"), (wide_warehouse, "week")):
        connection = open_report_session(warehouse)
        try:
            assert resolve_grain(connection, "auto") == expected
            assert resolve_grain(connection, "day") == "day"
        finally:
            connection.close()


def test_two_hundred_countries_become_top_n_plus_other(wide_warehouse):
    frame = _run(wide_warehouse, "country_mentions_over_time", top_n=10, grain="week")
    assert frame["country"].n_unique() == 11
    per_period = frame.group_by("period").agg(pl.len().alias("lines"))
    assert per_period["lines"].max() <= 11
    outlets = _run(wide_warehouse, "outlet_country_shares", top_n=10, top_outlets=8)
    assert outlets["outlet"].n_unique() == 8
    sums = outlets.group_by("outlet").agg(pl.col("share").sum())["share"]
    assert ((sums - 1).abs() < 1e-9).all()


def test_matrix_is_limited_to_its_top_countries(wide_warehouse):
    frame = _run(wide_warehouse, "country_co_mentions", top_n=15)
    assert frame["iso2_a"].n_unique() == 15
    assert frame["rank_a"].max() == 15


def test_movers_compare_the_latest_period_with_the_one_before(tiny_warehouse):
    frame = _run(tiny_warehouse, "country_movers", top_n=10, grain="day")
    assert frame.select("iso2", "latest_articles", "previous_articles", "change").rows() == [
        ("CN", 0, 2, -2),
        ("FR", 1, 0, 1),
    ]
    assert (frame["latest_period"].unique().to_list(), frame["previous_period"].unique().to_list()) == (
        [DAY_2],
        [DAY_1],
    )


def test_movers_need_two_periods(tiny_warehouse):
    assert _run(tiny_warehouse, "country_movers", top_n=10, grain="week").is_empty()
