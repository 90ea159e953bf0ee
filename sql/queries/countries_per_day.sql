-- Countries mentioned per day: how many articles mention each country on each publication day,
-- and how many of those name it in the title. Undated articles are left out.
SELECT
    d.date                                   AS published_date,
    c.iso2,
    c.name_en                                AS country,
    count(*)                                 AS articles,
    count(*) FILTER (WHERE f.in_title)       AS in_title,
    sum(f.mention_count)                     AS mentions
FROM fact_country_mention f
JOIN dim_country c USING (country_key)
JOIN dim_date d USING (date_key)
GROUP BY ALL
ORDER BY published_date, articles DESC, iso2;
