-- How the news moved: articles mentioning each country in the latest period ($grain) against the
-- period before, the $top_n countries that gained or lost the most articles. A country absent in
-- one of the two periods counts 0 there. Needs two periods of dated articles, else no rows.
WITH per_period AS (
    SELECT CAST(date_trunc($grain, d.date) AS DATE) AS period, f.country_key, count(DISTINCT f.article_id) AS articles
    FROM fact_country_mention f
    JOIN dim_date d USING (date_key)
    GROUP BY ALL
),
latest AS (
    SELECT max(period) AS period FROM per_period
),
previous AS (
    SELECT max(period) AS period FROM per_period WHERE period < (SELECT period FROM latest)
),
compared AS (
    SELECT
        country_key,
        CAST(coalesce(sum(articles) FILTER (WHERE period = (SELECT period FROM latest)), 0) AS BIGINT)   AS latest_articles,
        CAST(coalesce(sum(articles) FILTER (WHERE period = (SELECT period FROM previous)), 0) AS BIGINT) AS previous_articles
    FROM per_period
    WHERE period IN ((SELECT period FROM latest), (SELECT period FROM previous))
    GROUP BY country_key
)
SELECT
    (SELECT period FROM latest)                          AS latest_period,
    (SELECT period FROM previous)                        AS previous_period,
    c.iso2,
    coalesce(c.names[$lang], c.name_en)                  AS country,
    m.latest_articles,
    m.previous_articles,
    m.latest_articles - m.previous_articles              AS change
FROM compared m
JOIN dim_country c USING (country_key)
WHERE (SELECT period FROM previous) IS NOT NULL AND m.latest_articles <> m.previous_articles
ORDER BY abs(change) DESC, change DESC, c.iso2
LIMIT $top_n;
