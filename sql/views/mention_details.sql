-- One row per (article, country) with every label an analyst filters on: the star schema joined
-- once, so ad-hoc questions need no joins. Built into warehouse.duckdb after the table views.
CREATE OR REPLACE VIEW mention_details AS
SELECT
    f.article_id,
    d.date                AS published_date,
    s.source_name,
    s.domain,
    fa.language,
    c.iso2,
    c.iso3,
    c.name_en             AS country,
    c.region,
    c.subregion,
    f.mention_count,
    f.in_title,
    f.surface_forms,
    a.title,
    a.url,
    a.source_file
FROM fact_country_mention f
JOIN dim_country c USING (country_key)
JOIN dim_source s USING (source_key)
JOIN fact_article fa USING (article_id)
JOIN articles a USING (article_id)
LEFT JOIN dim_date d ON d.date_key = f.date_key;
