-- Outlet x country: for the $top_outlets outlets with the most articles, each top-$top_n country's
-- share of the outlet's country mentions (article-country facts), the rest folded into "other".
-- The shares of an outlet sum to 1.
WITH per_outlet AS (
    SELECT
        o.outlet_rank,
        o.outlet,
        o.outlet_articles,
        least(r.country_rank, $top_n + 1)    AS country_rank,
        CASE WHEN r.country_rank <= $top_n THEN c.iso2 END AS iso2,
        CASE WHEN r.country_rank <= $top_n THEN coalesce(c.names[$lang], c.name_en) ELSE $other_label END AS country,
        count(*)                             AS mentions
    FROM fact_country_mention f
    JOIN report_outlet_rank o USING (source_key)
    JOIN report_country_rank r USING (country_key)
    JOIN dim_country c USING (country_key)
    WHERE o.outlet_rank <= $top_outlets
    GROUP BY ALL
)
SELECT
    *,
    mentions / sum(mentions) OVER (PARTITION BY outlet_rank) AS share
FROM per_outlet
ORDER BY outlet_rank, country_rank;
