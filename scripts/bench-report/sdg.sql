-- The figures of `remit report sdg` (USD 200 tier, latest period, default order) in plain
-- SQL: the baseline of scripts/bench-report.sh, run as `sqlite3 DB < sdg.sql`.
--
-- Tier and inclusion rule as in global.sql (and SurveyQuery in
-- Sources/RemitKit/Store/Reports.swift). One row per corridor with an included
-- observation in the period:
--   sdg|from|to|services|average|SmaRT|meets 3 %|meets 5 %|average - 3|change over five years
-- meets 3 %: average < 3; meets 5 %: SmaRT <= 5 (empty without SmaRT); the change is the
-- average minus that of the same quarter five years earlier ('2025_3Q' against
-- '2020_3Q'; empty when the corridor has no average then). Ordered by average - 3,
-- largest first, ties by corridor.
PRAGMA temp_store = MEMORY;

CREATE TEMP TABLE chosen AS
SELECT period, (CAST(substr(period, 1, 4) AS INTEGER) - 5) || substr(period, 5) AS back
  FROM (SELECT period FROM price_observation
         WHERE denomination_amount = 20000 AND denomination_currency = 'USD'
         ORDER BY period DESC LIMIT 1);

-- The included observations of both periods.
CREATE TEMP TABLE inc AS
SELECT o.period, c.sending_country AS sending, c.receiving_country AS receiving,
       p.name AS provider, s.name AS service, s.speed AS speed,
       CAST(o.total_cost_percent AS REAL) AS total
  FROM price_observation o
  JOIN service s ON s.id = o.service_id
  JOIN provider p ON p.id = s.provider_id
  JOIN corridor c ON c.id = s.corridor_id
 WHERE o.denomination_amount = 20000 AND o.denomination_currency = 'USD'
   AND o.period IN (SELECT period FROM chosen UNION ALL SELECT back FROM chosen)
   AND p.is_formal = 1 AND s.is_transparent = 1 AND o.fx_margin_percent IS NOT NULL
   AND o.is_inconsistent = 0 AND o.total_cost_percent IS NOT NULL;

WITH ranked AS (
    SELECT sending, receiving, total,
           ROW_NUMBER() OVER (PARTITION BY sending, receiving ORDER BY total, provider, service) AS rank
      FROM inc WHERE period = (SELECT period FROM chosen) AND speed <> '6-days-or-more'),
smart AS (SELECT sending, receiving, avg(total) AS smart FROM ranked WHERE rank <= 3 GROUP BY sending, receiving),
now AS (SELECT sending, receiving, count(*) AS services, avg(total) AS average
          FROM inc WHERE period = (SELECT period FROM chosen) GROUP BY sending, receiving),
before AS (SELECT sending, receiving, avg(total) AS average
             FROM inc WHERE period = (SELECT back FROM chosen) GROUP BY sending, receiving)
SELECT 'sdg', now.sending, now.receiving, now.services, now.average, smart.smart,
       now.average < 3, smart.smart <= 5, now.average - 3, now.average - before.average
  FROM now
  LEFT JOIN smart USING (sending, receiving)
  LEFT JOIN before USING (sending, receiving)
 ORDER BY now.average - 3 DESC, now.sending, now.receiving;
