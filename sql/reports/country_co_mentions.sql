-- Country co-mentions among the $top_n most mentioned countries: for each ordered pair, the
-- articles that mention both (the matrix is symmetric; the diagonal is the country's own article
-- count). Pairs that never meet are absent; the chart shows them empty.
WITH top_mentions AS (
    SELECT f.article_id, r.country_rank, c.iso2, coalesce(c.names[$lang], c.name_en) AS country
    FROM fact_country_mention f
    JOIN report_country_rank r USING (country_key)
    JOIN dim_country c USING (country_key)
    WHERE r.country_rank <= $top_n
)
SELECT
    a.country                                AS country_a,
    a.iso2                                   AS iso2_a,
    a.country_rank                           AS rank_a,
    b.country                                AS country_b,
    b.iso2                                   AS iso2_b,
    b.country_rank                           AS rank_b,
    count(*)                                 AS articles
FROM top_mentions a
JOIN top_mentions b USING (article_id)
GROUP BY ALL
ORDER BY rank_a, rank_b;
