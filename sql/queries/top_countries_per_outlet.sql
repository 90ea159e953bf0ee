-- Top countries per outlet: the five countries each outlet mentions in the most articles,
-- with their share of that outlet's articles.
WITH per_outlet AS (
    SELECT
        s.source_name                        AS outlet,
        c.iso2,
        c.name_en                            AS country,
        count(*)                             AS articles
    FROM fact_country_mention f
    JOIN dim_country c USING (country_key)
    JOIN dim_source s USING (source_key)
    GROUP BY ALL
),
outlet_size AS (
    SELECT s.source_name AS outlet, count(*) AS outlet_articles
    FROM fact_article fa
    JOIN dim_source s USING (source_key)
    GROUP BY ALL
)
SELECT
    outlet,
    rank() OVER (PARTITION BY outlet ORDER BY articles DESC, iso2) AS rank,
    iso2,
    country,
    articles,
    round(articles / outlet_articles, 3)     AS share_of_outlet_articles
FROM per_outlet
JOIN outlet_size USING (outlet)
QUALIFY rank <= 5
ORDER BY outlet, rank;
