-- The figures a report page opens with: what the charts are drawn from.
SELECT
    (SELECT count(*) FROM fact_article)                                  AS articles,
    (SELECT count(*) FROM fact_article WHERE date_key IS NULL)           AS undated_articles,
    (SELECT count(DISTINCT country_key) FROM fact_country_mention)       AS countries,
    (SELECT count(DISTINCT source_key) FROM fact_article)                AS outlets,
    (SELECT count(DISTINCT language) FROM fact_article)                  AS languages,
    (SELECT min(d.date) FROM fact_article JOIN dim_date d USING (date_key)) AS first_date,
    (SELECT max(d.date) FROM fact_article JOIN dim_date d USING (date_key)) AS last_date;
