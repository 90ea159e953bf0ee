-- How many of the mentioned countries have a name in $lang in dim_country.names: the rest are
-- labelled in English, and the report says so.
SELECT
    count(*)                                             AS countries,
    count(*) FILTER (WHERE c.names[$lang] IS NOT NULL)   AS named
FROM dim_country c
SEMI JOIN report_country_rank USING (country_key);
