-- Language mix: articles per language for the $top_outlets largest outlets and for the corpus
-- as a whole (outlet $all_label, rank 0), with each language's share of the row.
WITH counted AS (
    SELECT o.outlet_rank, o.outlet, coalesce(fa.language, 'unknown') AS language, count(*) AS articles
    FROM fact_article fa
    JOIN report_outlet_rank o USING (source_key)
    WHERE o.outlet_rank <= $top_outlets
    GROUP BY ALL
    UNION ALL
    SELECT 0, $all_label, coalesce(language, 'unknown'), count(*)
    FROM fact_article
    GROUP BY ALL
)
SELECT
    *,
    articles / sum(articles) OVER (PARTITION BY outlet_rank) AS share
FROM counted
ORDER BY outlet_rank, articles DESC, language;
