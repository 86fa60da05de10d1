-- Customer value tiers (docs/rules.md, "Customer value tiers"), every number
-- computed by hand from the shipped settings: purchase = sales 0 -> 1,000,000;
-- loyalty = repurchase (batches 1 -> 12) 50, referrals (0 -> 5) 25,
-- recommendation (0 -> 10) 25, a NULL one left out; value = purchase 60 +
-- loyalty 40 (as shown), graded gold >= 80, silver >= 60, ordinary; potential
-- = growth (0 -> 25 %) 50 + the manager's potential rating 50, a NULL one
-- left out; ordinary with potential >= 60 is potential.  Every bound exactly
-- and just below, NULL inputs, settings as data, a customer without figures,
-- privileges.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- The shipped scale and the settings' defaults.
SELECT name, scale, shipped FROM appraisal.grade_scale WHERE name = 'value_tier';
SELECT * FROM appraisal.customer_value_parameters();

-- arguments: sales, batches, referrals, recommendation, growth, potential rating
SELECT c AS "case", t.purchase_points AS purchase, t.repurchase_points AS repurchase, t.referral_points AS referral,
       t.recommendation_points AS recommend, t.loyalty_points AS loyalty, t.value_points AS value,
       t.growth_points AS growth, t.potential_rating_points AS rating, t.potential_points AS potential, t.tier
FROM (VALUES
  -- purchase 100, repurchase 100, referrals 0, recommendation 0: loyalty
  -- 50 * 100 / 100 = 50; value 0.6 * 100 + 0.4 * 50 = 80.00 -> gold (on the bound)
  ('gold exactly 80',           1000000::numeric, 12, 0, 0::numeric, NULL::numeric, NULL::numeric),
  -- 999,950 / 1,000,000 = 99.995 % (shown 99.99); value 0.6 * 99.995 + 20 =
  -- 79.997 -> 79.99 -> silver (the value is one exact fraction, truncated)
  ('just below gold',           999950, 12, 0, 0, NULL, NULL),
  -- repurchase 100, referrals 0, recommendation 10 -> 100: loyalty
  -- (50 * 100 + 25 * 0 + 25 * 100) / 100 = 75; value 0.6 * 50 + 0.4 * 75 = 60.00 -> silver
  ('silver exactly 60',         500000, 12, 0, 10, NULL, NULL),
  -- recommendation 9.99 -> 99.9: loyalty (5000 + 0 + 25 * 99.9) / 100 =
  -- 74.975 -> 74.97; value 30 + 0.4 * 74.97 = 59.988 -> 59.98 -> ordinary;
  -- no growth, no rating: potential unknown
  ('just below silver',         500000, 12, 0, 9.99, NULL, NULL),
  -- referrals not recorded: left out, (50 * 100 + 25 * 100) / 75 = 100;
  -- value 30 + 40 = 70.00 -> silver (with 0 referrals it would be 60)
  ('referrals missing',         500000, 12, NULL, 10, NULL, NULL),
  -- only repurchase: batches 7 -> (7 - 1) / 11 = 54.5454... -> loyalty
  -- 54.54 (shown), value 0.6 * 50 + 0.4 * 54.54 = 51.816 -> 51.81 -> ordinary;
  -- 0 batches clamp to 0 (below one batch), 20 batches to 100
  ('batches 7, no loyalty data', 500000, 7, NULL, NULL, NULL, NULL),
  ('no batches',                500000, 0, NULL, NULL, NULL, NULL),
  ('20 batches',                500000, 20, NULL, NULL, NULL, NULL),
  -- 100,000 -> 10, loyalty 0: value 6.00, ordinary band; growth 20 % ->
  -- 80, rating 40 -> 40: potential (50 * 80 + 50 * 40) / 100 = 60.00 -> potential (on the bound)
  ('potential exactly 60',      100000, 1, NULL, NULL, 20, 40),
  -- rating 39.99: (80 + 39.99) / 2 = 59.995 -> 59.99 -> ordinary
  ('potential just below',      100000, 1, NULL, NULL, 20, 39.99),
  -- growth unknown: the rating alone, 60 -> potential
  ('growth missing',            100000, 1, NULL, NULL, NULL, 60),
  -- negative growth scores 0: (0 + 50 * 100) / 100 = 50 -> ordinary
  ('negative growth',           100000, 1, NULL, NULL, -10, 100),
  -- growth 30 % clamps to 100, no rating: potential 100 -> potential
  ('rating missing',            0, 0, NULL, NULL, 30, NULL),
  -- both unknown: potential NULL -> ordinary
  ('potential unknown',         100000, 1, NULL, NULL, NULL, NULL),
  -- silver with every potential stays silver (potential is for the lowest band)
  ('silver, high potential',    1000000, 1, 0, 0, 25, 100),
  -- no sales figure: nothing
  ('no figures',                NULL, NULL, NULL, NULL, NULL, NULL)
) v(c, s, b, r, n, g, m)
CROSS JOIN LATERAL appraisal.customer_value_tier(v.s, v.b, v.r, v.n, v.g, v.m) t;

-- Why: the bound that decided.
SELECT c AS "case", t.tier, t.tier_reason
FROM (VALUES ('gold exactly 80', 1000000::numeric, 12, 0, 0::numeric, NULL::numeric, NULL::numeric),
             ('just below gold', 999950, 12, 0, 0, NULL, NULL),
             ('potential exactly 60', 100000, 1, NULL, NULL, 20, 40),
             ('potential just below', 100000, 1, NULL, NULL, 20, 39.99),
             ('potential unknown', 100000, 1, NULL, NULL, NULL, NULL),
             ('no figures', NULL, NULL, NULL, NULL, NULL, NULL)) v(c, s, b, r, n, g, m)
CROSS JOIN LATERAL appraisal.customer_value_tier(v.s, v.b, v.r, v.n, v.g, v.m) t;

-- Settings are data.  A scale of the user's (three bands, other labels):
-- 80.00 is 银牌 (from 70); potential applies to its lowest band, 普通.
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('tiers_cn', '0..100: 金牌 >= 90, 银牌 >= 70, 普通');
INSERT INTO appraisal.settings (name, value) VALUES ('customer_value_tier_scale', 'tiers_cn');
SELECT tier, tier_reason FROM appraisal.customer_value_tier(1000000, 12, 0, 0, NULL, NULL);
-- silver at 60 on the shipped scale is the lowest band here: potential 100 -> potential
SELECT tier, tier_reason FROM appraisal.customer_value_tier(1000000, 1, 0, 0, 25, 100);
DELETE FROM appraisal.settings;
-- A higher potential threshold: 60.00 is no longer potential.
INSERT INTO appraisal.settings (name, value) VALUES ('value_potential_points', '60.01');
SELECT tier FROM appraisal.customer_value_tier(100000, 1, NULL, NULL, 20, 40);
DELETE FROM appraisal.settings;
-- Purchase alone (loyalty weight 0): 500,000 -> 50.00, ordinary.
INSERT INTO appraisal.settings (name, value) VALUES ('value_weight_loyalty', '0');
SELECT value_points, tier FROM appraisal.customer_value_tier(500000, 12, 5, 10, NULL, NULL);
DELETE FROM appraisal.settings;
-- Settings are checked.
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('customer_value_tier_scale', 'no_such_scale')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('value_weight_purchase', '130')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('value_batches_full_at', '1')$$);

-- The new inputs are checked.
SELECT count(*) AS periods FROM (SELECT appraisal.add_periods(2024) UNION ALL SELECT appraisal.add_periods(2025)) p;
INSERT INTO appraisal.customers (customer_id, name, first_order_on) VALUES
  ('V1', 'Big and loyal', NULL), ('V2', 'Growing', NULL), ('V3', 'Without figures', NULL),
  ('V4', 'New in 2025', '2025-02-01');
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales, referrals) VALUES ('V1', '2025', 1, -1)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales, recommendation) VALUES ('V1', '2025', 1, 10.5)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales, potential_rating) VALUES ('V1', '2025', 1, 101)$$);

-- The view, per customer and year.  V1 2025: gold exactly (as above).
-- V2: 2024 sales 80,000, 2025 100,000 with growth not recorded: computed
-- (100,000 - 80,000) / 80,000 = 25 % -> 100 points; rating 20 -> (100 + 20)
-- / 2 = 60.00 -> potential.  2024: value 0.6 * 8 = 4.80, no growth (no year
-- before), rating 50 -> potential 50 -> ordinary.  V3 has no figures: listed
-- with has_figures false.  V4's first order is in 2025: no 2024 row.
INSERT INTO appraisal.customer_figures (customer_id, period, sales, batches, sales_growth, referrals, recommendation, potential_rating) VALUES
  ('V1', '2025', 1000000, 12, 10, 0, 0, NULL),
  ('V2', '2024', 80000, 1, NULL, NULL, NULL, 50),
  ('V2', '2025', 100000, 1, NULL, NULL, NULL, 20),
  ('V4', '2025', 50000, 1, NULL, 1, 8, 90);
-- V4 2025: purchase 5; loyalty: one batch, no repurchase, still weighs:
-- (50 * 0 + 25 * 20 + 25 * 80) / 100 = 25; value 3 + 10 = 13.00;
-- potential: the rating alone, 90 -> potential.  V1 2025: growth 10 % ->
-- 40, no rating: potential 40 (it is gold anyway).
SELECT customer_id, period, has_figures, sales, batches, referrals, recommendation, sales_growth, growth_computed,
       potential_rating, purchase_points, loyalty_points, value_points, growth_points, potential_points, tier, tier_reason
FROM appraisal.customer_value_tiers ORDER BY customer_id, period;
-- quarters are not tiered
INSERT INTO appraisal.customer_figures (customer_id, period, sales) VALUES ('V1', '2025-Q1', 300000);
SELECT count(*) AS rows, count(*) FILTER (WHERE period = '2025-Q1') AS quarter_rows FROM appraisal.customer_value_tiers;

-- Privileges: the view runs with the reader's rights: SELECT on it alone is not enough.
CREATE ROLE appraisal_test_value_reader;
CREATE ROLE appraisal_test_value_outsider;
GRANT USAGE ON SCHEMA appraisal TO appraisal_test_value_reader, appraisal_test_value_outsider;
GRANT SELECT ON appraisal.customer_value_tiers, appraisal.customer_scorecard, appraisal.customers,
                appraisal.customer_figures, appraisal.customer_credit, appraisal.periods
  TO appraisal_test_value_reader;
GRANT SELECT ON appraisal.customer_value_tiers TO appraisal_test_value_outsider;
SET ROLE appraisal_test_value_reader;
SELECT count(*) AS reader_rows FROM appraisal.customer_value_tiers;
RESET ROLE;
SET ROLE appraisal_test_value_outsider;
-- (which table it is refused first depends on the server version's plan)
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.customer_value_tiers$$) LIKE '42501: permission denied for %' AS outsider_refused;
RESET ROLE;
DROP OWNED BY appraisal_test_value_reader, appraisal_test_value_outsider;
DROP ROLE appraisal_test_value_reader;
DROP ROLE appraisal_test_value_outsider;
