-- Ranks every report query shares, as temporary views of the report session (nothing is written
-- to the catalog). Ranks are over the whole warehouse, so a country or outlet has the same rank,
-- and therefore the same colour and place, in every chart; equal volumes break alphabetically.
CREATE OR REPLACE TEMP VIEW report_country_rank AS
SELECT
    f.country_key,
    count(*)                                 AS articles,
    row_number() OVER (ORDER BY count(*) DESC, c.iso2) AS country_rank
FROM fact_country_mention f
JOIN dim_country c USING (country_key)
GROUP BY f.country_key, c.iso2;

CREATE OR REPLACE TEMP VIEW report_outlet_rank AS
SELECT
    fa.source_key,
    s.source_name                            AS outlet,
    count(*)                                 AS outlet_articles,
    row_number() OVER (ORDER BY count(*) DESC, s.source_name) AS outlet_rank
FROM fact_article fa
JOIN dim_source s USING (source_key)
-- source_key 0 is "(unknown)": articles whose outlet was not found are not an outlet of their own
-- (they still count in the whole-corpus row of the language mix).
WHERE fa.source_key <> 0
GROUP BY fa.source_key, s.source_name;
