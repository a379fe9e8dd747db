-- The figures of `remit report global` (USD 200 tier, latest period) in plain SQL:
-- the baseline of scripts/bench-report.sh, run as `sqlite3 DB < global.sql`.
--
-- Same observations as remit (Sources/RemitKit/Store/Reports.swift, docs/reports.md):
-- the tier is denomination_amount = 20000 AND denomination_currency = 'USD'; an
-- observation is included when its provider is formal, its service transparent, its
-- FX margin and total published and it is not flagged inconsistent. Costs are the
-- published totals as REAL. Flow-weighted figures are not computed (the benchmark
-- database holds no flows; remit then leaves them out too).
--
-- Output: list mode, one row per figure, tagged in the first column:
--   period|P
--   global|average|services|corridors|corridors with SmaRT > 5|% of corridors with average < 3
--   corridor|from|to|services|average|SmaRT            (by corridor)
--   smart-above-5|from|to|services|average|SmaRT       (dearest SmaRT first)
--   sending-region|group|services|average             (and receiving-region, income-group, firm-type; cheapest first)
--   excluded|reason|count
--   trend|period|average|services|corridors            (every period, oldest first)
PRAGMA temp_store = MEMORY;

-- The latest period with observations at the tier (included or not), as remit chooses it.
CREATE TEMP TABLE chosen AS
SELECT period FROM price_observation
 WHERE denomination_amount = 20000 AND denomination_currency = 'USD'
 ORDER BY period DESC LIMIT 1;

-- Every observation of the period at the tier, with its exclusion reasons.
CREATE TEMP TABLE obs AS
SELECT c.sending_country AS sending, c.receiving_country AS receiving,
       p.name AS provider, s.name AS service, p.firm_type AS firm_type, s.speed AS speed,
       CAST(o.total_cost_percent AS REAL) AS total,
       coalesce(sc.region, 'Unknown') AS sending_region,
       coalesce(rc.region, 'Unknown') AS receiving_region,
       coalesce(rc.income_group, 'Unknown') AS receiving_income_group,
       (s.is_transparent = 0 OR o.fx_margin_percent IS NULL) AS not_transparent,
       (p.is_formal = 0) AS informal,
       (o.is_inconsistent = 1) AS inconsistent,
       -- listed only when no other reason explains the missing total (docs/reports.md)
       (o.total_cost_percent IS NULL AND s.is_transparent = 1 AND o.fx_margin_percent IS NOT NULL
        AND p.is_formal = 1 AND o.is_inconsistent = 0) AS no_total,
       (p.is_formal = 1 AND s.is_transparent = 1 AND o.fx_margin_percent IS NOT NULL
        AND o.is_inconsistent = 0 AND o.total_cost_percent IS NOT NULL) AS included
  FROM price_observation o
  JOIN service s ON s.id = o.service_id
  JOIN provider p ON p.id = s.provider_id
  JOIN corridor c ON c.id = s.corridor_id
  LEFT JOIN country sc ON sc.alpha2 = c.sending_country
  LEFT JOIN country rc ON rc.alpha2 = c.receiving_country
 WHERE o.denomination_amount = 20000 AND o.denomination_currency = 'USD'
   AND o.period = (SELECT period FROM chosen);

CREATE TEMP TABLE inc AS SELECT * FROM obs WHERE included;

-- Per corridor: service count, average and SmaRT (the average of the three cheapest
-- included services delivering within five days; NULL when none does).
CREATE TEMP TABLE corridor_figure AS
WITH ranked AS (
    SELECT sending, receiving, total,
           ROW_NUMBER() OVER (PARTITION BY sending, receiving ORDER BY total, provider, service) AS rank
      FROM inc WHERE speed <> '6-days-or-more'),
smart AS (SELECT sending, receiving, avg(total) AS smart FROM ranked WHERE rank <= 3 GROUP BY sending, receiving)
SELECT a.sending, a.receiving, a.services, a.average, smart.smart
  FROM (SELECT sending, receiving, count(*) AS services, avg(total) AS average
          FROM inc GROUP BY sending, receiving) a
  LEFT JOIN smart USING (sending, receiving);

SELECT 'period', period FROM chosen;

SELECT 'global', (SELECT avg(total) FROM inc), (SELECT count(*) FROM inc),
       count(*), count(*) FILTER (WHERE smart > 5),
       CASE WHEN count(*) > 0 THEN 100.0 * count(*) FILTER (WHERE average < 3) / count(*) END
  FROM corridor_figure;

SELECT 'corridor', sending, receiving, services, average, smart
  FROM corridor_figure ORDER BY sending, receiving;

SELECT 'smart-above-5', sending, receiving, services, average, smart
  FROM corridor_figure WHERE smart > 5 ORDER BY smart DESC, sending, receiving;

SELECT 'sending-region', sending_region, count(*), avg(total) AS average
  FROM inc GROUP BY sending_region ORDER BY average, sending_region;
SELECT 'receiving-region', receiving_region, count(*), avg(total) AS average
  FROM inc GROUP BY receiving_region ORDER BY average, receiving_region;
SELECT 'income-group', receiving_income_group, count(*), avg(total) AS average
  FROM inc GROUP BY receiving_income_group ORDER BY average, receiving_income_group;
SELECT 'firm-type', firm_type, count(*), avg(total) AS average
  FROM inc GROUP BY firm_type ORDER BY average, firm_type;

SELECT 'excluded', 'not-transparent', sum(not_transparent) FROM obs
UNION ALL SELECT 'excluded', 'informal', sum(informal) FROM obs
UNION ALL SELECT 'excluded', 'inconsistent', sum(inconsistent) FROM obs
UNION ALL SELECT 'excluded', 'no-total', sum(no_total) FROM obs;

-- The global trend: every period at the tier, included observations only.
SELECT 'trend', o.period, avg(CAST(o.total_cost_percent AS REAL)), count(*),
       count(DISTINCT c.sending_country || c.receiving_country)
  FROM price_observation o
  JOIN service s ON s.id = o.service_id
  JOIN provider p ON p.id = s.provider_id
  JOIN corridor c ON c.id = s.corridor_id
 WHERE o.denomination_amount = 20000 AND o.denomination_currency = 'USD'
   AND p.is_formal = 1 AND s.is_transparent = 1 AND o.fx_margin_percent IS NOT NULL
   AND o.is_inconsistent = 0 AND o.total_cost_percent IS NOT NULL
 GROUP BY o.period ORDER BY o.period;
