-- Country co-mention pairs: which countries appear together in the same article, most often first.
SELECT
    a.iso2                                   AS country_a,
    b.iso2                                   AS country_b,
    count(*)                                 AS articles
FROM (SELECT f.article_id, c.iso2 FROM fact_country_mention f JOIN dim_country c USING (country_key)) a
JOIN (SELECT f.article_id, c.iso2 FROM fact_country_mention f JOIN dim_country c USING (country_key)) b
  ON a.article_id = b.article_id AND a.iso2 < b.iso2
GROUP BY ALL
ORDER BY articles DESC, country_a, country_b;
