-- Language mix per outlet: articles per language for each outlet, and the share of each language.
SELECT
    s.source_name                            AS outlet,
    fa.language,
    count(*)                                 AS articles,
    round(count(*) / sum(count(*)) OVER (PARTITION BY s.source_name), 3) AS share
FROM fact_article fa
JOIN dim_source s USING (source_key)
GROUP BY s.source_name, fa.language
ORDER BY outlet, articles DESC, language;
