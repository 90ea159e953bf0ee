-- Articles per day: every calendar day of the covered period, zero where nothing was published,
-- with how many articles mention at least one country.
SELECT
    d.date                                   AS published_date,
    d.day_of_week,
    count(fa.article_id)                     AS articles,
    count(fa.article_id) FILTER (WHERE fa.country_count > 0) AS with_countries
FROM dim_date d
LEFT JOIN fact_article fa USING (date_key)
GROUP BY ALL
ORDER BY published_date;
