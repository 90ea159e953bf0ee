-- Articles mentioning each country per period ($grain: day or week): the top $top_n countries by
-- name, every other country folded into one "other" row per period, so 200 countries stay a
-- readable chart. Countries are labelled in $lang where dim_country.names has it, else English.
-- Undated articles have no place on a time axis and are left out.
SELECT
    CAST(date_trunc($grain, d.date) AS DATE)                                    AS period,
    least(r.country_rank, $top_n + 1)                                           AS country_rank,
    CASE WHEN r.country_rank <= $top_n THEN c.iso2 END                          AS iso2,
    CASE WHEN r.country_rank <= $top_n THEN coalesce(c.names[$lang], c.name_en) ELSE $other_label END AS country,
    count(DISTINCT f.article_id)                                                AS articles
FROM fact_country_mention f
JOIN dim_date d USING (date_key)
JOIN report_country_rank r USING (country_key)
JOIN dim_country c USING (country_key)
GROUP BY ALL
ORDER BY period, country_rank;
