"""The synthetic warehouse follows the contract, so timings and tests on it mean something."""

from newsetl import schemas
from newsetl.query import run_query
from newsetl.reports.synthetic import SyntheticSpec, synthetic_tables


def test_tables_follow_the_schemas_and_the_sizes_asked():
    tables = synthetic_tables(SyntheticSpec(articles=300, countries=200, outlets=5, days=10))
    for name, table in tables.items():
        assert table.schema.equals(schemas.TABLES[name]), name
    assert tables["fact_article"].num_rows == tables["raw_snapshots"].num_rows == 300
    assert tables["dim_country"].num_rows == 200
    assert len(set(tables["fact_article"].column("source_key").to_pylist())) == 5


def test_every_key_resolves_and_names_cover_the_languages(wide_warehouse):
    dangling = run_query(
        wide_warehouse,
        """
        SELECT count(*) FROM fact_country_mention f
        LEFT JOIN dim_country c USING (country_key)
        LEFT JOIN dim_source s USING (source_key)
        LEFT JOIN dim_date d ON d.date_key = f.date_key
        WHERE c.country_key IS NULL OR s.source_key IS NULL OR (f.date_key IS NOT NULL AND d.date_key IS NULL)
        """,
    ).rows[0][0]
    assert dangling == 0
    unique = run_query(
        wide_warehouse, "SELECT count(*) = count(DISTINCT (article_id, country_key)) FROM fact_country_mention"
    ).rows[0][0]
    assert unique
    named = run_query(
        wide_warehouse, "SELECT count(*) FILTER (WHERE names['zh'] IS NOT NULL) / count(*) FROM dim_country"
    ).rows[0][0]
    assert named > 0.9
