-- weighted_score(score, weight): Σ weight·score / Σ weight over scored rows
-- (docs/rules.md, "Department and manager KPIs"), its state type appraisal.weighted_stats and the two-step API.
-- Every expected value is worked out by hand in the comment above it.

\i test/regress_helpers.sql

-- §8 customer score: sales 0.30, growth 0.30, collection 0.20, returns 0.10,
-- manager 0.10, each indicator scored by linear_score.
CREATE TEMP TABLE kpi (customer text, indicator text, points float8, weight float8);
INSERT INTO kpi VALUES
  ('C1', 'sales',      appraisal.linear_score(2000000, 100000, 2100000), 0.30),  -- 95
  ('C1', 'growth',     appraisal.linear_score(0.25, 0, 0.25), 0.30),             -- 100
  ('C1', 'collection', appraisal.linear_score(92, 90, 100), 0.20),               -- 20
  ('C1', 'returns',    appraisal.linear_score(6, 5, 1), 0.10),                   -- 0
  ('C1', 'manager',    80, 0.10);
-- C2: as C1 but the manager has not evaluated yet
INSERT INTO kpi SELECT 'C2', indicator, CASE WHEN indicator = 'manager' THEN NULL ELSE points END, weight
FROM kpi WHERE customer = 'C1';
SELECT * FROM kpi ORDER BY customer, weight DESC, indicator;

-- C1: .3*95 + .3*100 + .2*20 + .1*0 + .1*80 = 28.5 + 30 + 4 + 0 + 8 = 70.5 (grade A)
-- C2: the missing indicator renormalises the rest: (28.5 + 30 + 4 + 0) / 0.9
--     = 62.5 / 0.9 = 69.444..., nearest double 69.44444444444444
SELECT customer, appraisal.weighted_score(points, weight) FROM kpi GROUP BY customer ORDER BY customer;
SELECT appraisal.weighted_score(points, weight) = 70.5 AS exactly_70_5 FROM kpi WHERE customer = 'C1';

-- Composites on a grade boundary are exactly the boundary.
-- .4*75 + .3*100 + .3*100 = 30 + 30 + 30 = 90; 40/30/30: (3000 + 3000 + 3000) / 100 = 90
SELECT appraisal.weighted_score(s, w) = 90 AS exactly_90
FROM (VALUES (75::float8, 0.4::float8), (100, 0.3), (100, 0.3)) v(s, w);
SELECT appraisal.weighted_score(s, w) = 90 AS exactly_90
FROM (VALUES (75::float8, 40::float8), (100, 30), (100, 30)) v(s, w);
-- .2*70 + .4*95 + .3*95 + .1*95 = 14 + 38 + 28.5 + 9.5 = 90, where plain double
-- sums drift to 89.99999999999999 (a grade lower)
SELECT appraisal.weighted_score(s, w) = 90 AS exactly_90,
       sum(w * s) / sum(w) AS plain_double
FROM (VALUES (70::float8, 0.2::float8), (95, 0.4), (95, 0.3), (95, 0.1)) v(s, w);

-- NULL scores are ignored whatever their weight: only (80, 1) and (60, 3) count,
-- (80 + 180) / 4 = 65
SELECT appraisal.weighted_score(s, w)
FROM (VALUES (80::float8, 1::float8), (NULL, 5), (NULL, NULL), (60, 3)) v(s, w);
-- a weight of 0 counts as scored but does not move the composite: (80 + 180) / 4 = 65
SELECT appraisal.weighted_score(s, w), appraisal.scored_count(appraisal.weighted_agg(s, w))
FROM (VALUES (80::float8, 1::float8), (0, 0), (60, 3)) v(s, w);
-- nothing scored -> NULL: no rows, only NULL scores, only zero weights
SELECT appraisal.weighted_score(points, weight) IS NULL AS no_rows FROM kpi WHERE false;
SELECT appraisal.weighted_score(s, w) IS NULL AS null_scores
FROM (VALUES (NULL::float8, 1::float8), (NULL, 2)) v(s, w);
SELECT appraisal.weighted_score(s, w) IS NULL AS zero_weights
FROM (VALUES (80::float8, 0::float8), (60, 0)) v(s, w);

-- errors name the offending value
SELECT pg_temp.try($$SELECT appraisal.weighted_score(s, w) FROM (VALUES (80::float8, 1::float8), (70, NULL)) v(s, w)$$) AS null_weight;
SELECT pg_temp.try($$SELECT appraisal.weighted_score(80, -0.5)$$) AS negative_weight;
SELECT pg_temp.try($$SELECT appraisal.weighted_score(80, 'NaN')$$) AS nan_weight;
SELECT pg_temp.try($$SELECT appraisal.weighted_score(80, 'Infinity')$$) AS infinite_weight;
SELECT pg_temp.try($$SELECT appraisal.weighted_score(100.5, 1)$$) AS score_100_5;
SELECT pg_temp.try($$SELECT appraisal.weighted_score(-1, 1)$$) AS score_minus_1;
SELECT pg_temp.try($$SELECT appraisal.weighted_score('NaN', 1)$$) AS nan_score;
SELECT pg_temp.try($$SELECT appraisal.weighted_score('Infinity', 1)$$) AS infinite_score;
-- weights so large that a sum overflows: 50 * 1e308 at once, 1e308 + 1e308 on row 2
SELECT pg_temp.try($$SELECT appraisal.weighted_score(50, 1e308)$$) AS product_overflow;
SELECT pg_temp.try($$SELECT appraisal.weighted_score(0, 1e308) FROM generate_series(1, 2)$$) AS weight_overflow;

-- Running composite as a window aggregate: 95 -> (28.5 + 30) / .6 = 97.5
-- -> (58.5 + 4) / .8 = 78.125 -> 62.5 / .9 = 69.44444444444444 -> 70.5
SELECT indicator, appraisal.weighted_score(points, weight) OVER (ORDER BY weight DESC, indicator DESC)
FROM kpi WHERE customer = 'C1' ORDER BY weight DESC, indicator DESC;

-- Two-step.  The doubles nearest 0.3, 0.2, 0.1 are 0.3 - d, 0.2 + d, 0.1 + d/2 with
-- d = 2^-54 / 5, and the sums are kept exactly here:
-- C1: n = 5; Σweight = 2(0.3 - d) + (0.2 + d) + 2(0.1 + d/2) = 1 exactly;
--     Σweight·score = 95(0.3 - d) + 100(0.3 - d) + 20(0.2 + d) + 0 + 80(0.1 + d/2)
--     = 70.5 - 135 d = 70.5 - 27·2^-54 = 70.5 - 1.4988010832439613e-15
-- C2: n = 4; Σweight = 0.9 - d/2 = 0.9 - 2^-55/5: the double nearest is
--     0.9 + 2^-55 * 4/5 (the double 0.9), so weight = 0.9, weight_lo = -2^-55
--     = -2.7755575615628914e-17; Σweight·score = 62.5 - 175 d = 62.5 - 35·2^-54,
--     product = 62.5, product_lo = -35·2^-54 = -1.942890293094024e-15
CREATE TEMP TABLE summary AS
SELECT customer, appraisal.weighted_agg(points, weight) AS stats
FROM kpi GROUP BY customer;
SELECT customer, stats, appraisal.weighted_score(stats), appraisal.total_weight(stats),
       appraisal.scored_count(stats)
FROM summary ORDER BY customer;

-- the aggregate and its two-step form agree
SELECT customer, appraisal.weighted_score(points, weight) = appraisal.weighted_score(appraisal.weighted_agg(points, weight)) AS same
FROM kpi GROUP BY customer ORDER BY customer;
-- rollup of two halves (financial, non-financial) is the whole, to the last bit
-- (the sums are exact here; in general they agree to about 2^-104 relatively)
WITH halves AS (
  SELECT customer, appraisal.weighted_agg(points, weight) AS stats
  FROM kpi GROUP BY customer, indicator IN ('sales', 'growth', 'collection'))
SELECT customer, appraisal.rollup(h.stats)::text = s.stats::text AS rollup_is_whole
FROM halves h JOIN summary s USING (customer)
GROUP BY customer, s.stats::text ORDER BY customer;
-- rollup of nothing is the empty summary; its composite is NULL
SELECT appraisal.rollup(stats), appraisal.weighted_score(appraisal.rollup(stats)) IS NULL AS no_score
FROM summary WHERE false;

-- text form: reads back to the same value
SELECT customer, stats::text::appraisal.weighted_stats::text = stats::text AS round_trip
FROM summary ORDER BY customer;
SELECT ' n=2  weight=0.5 weight_lo=0 product=40 product_lo=0 '::appraisal.weighted_stats;
-- white space is the six characters isspace() takes in the C locale, also
-- around "="; numbers as float8 input reads them, subnormal ones too, but
-- decimal only
SELECT E'n = 2\tweight=\n0.5\x0bweight_lo =0\fproduct= +40.\rproduct_lo=0'::appraisal.weighted_stats AS every_blank;
SELECT 'n=1 weight=1 weight_lo=0 product=5e-324 product_lo=0'::appraisal.weighted_stats AS subnormal;
-- binary form
CREATE TEMP TABLE copied (LIKE summary);
\copy (SELECT customer, stats FROM summary) TO 'results/weighted.bin' WITH (FORMAT binary)
\copy copied FROM 'results/weighted.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trips FROM summary s JOIN copied c USING (customer)
WHERE s.stats::text = c.stats::text;

-- the transition function called directly does not change its argument:
-- 'n=1 ... product=80' plus (50, 1) is n = 2, weight 2, product 130
WITH s AS (SELECT 'n=1 weight=1 weight_lo=0 product=80 product_lo=0'::appraisal.weighted_stats AS st)
SELECT appraisal.weighted_stats_trans(st, 50, 1) AS added, st AS unchanged FROM s;
-- a NULL state starts empty; a NULL score leaves the state as it is
SELECT appraisal.weighted_stats_trans(NULL, 80, 1) AS from_null,
       appraisal.weighted_stats_trans(NULL, NULL, 1) AS empty,
       appraisal.weighted_stats_trans('n=1 weight=1 weight_lo=0 product=80 product_lo=0', NULL, NULL) AS unchanged;

-- impossible or malformed summaries are rejected
SELECT pg_temp.try($$SELECT 'n=-1 weight=0 weight_lo=0 product=0 product_lo=0'::appraisal.weighted_stats$$) AS negative_count;
SELECT pg_temp.try($$SELECT 'n=1 weight=-1 weight_lo=0 product=0 product_lo=0'::appraisal.weighted_stats$$) AS negative_weight;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 weight_lo=0 product=-1 product_lo=0'::appraisal.weighted_stats$$) AS negative_product;
SELECT pg_temp.try($$SELECT 'n=1 weight=NaN weight_lo=0 product=0 product_lo=0'::appraisal.weighted_stats$$) AS nan;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 weight_lo=0 product=Infinity product_lo=0'::appraisal.weighted_stats$$) AS infinity;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 weight_lo=0 product=1e999 product_lo=0'::appraisal.weighted_stats$$) AS overflow;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 weight_lo=0.5 product=50 product_lo=0'::appraisal.weighted_stats$$) AS not_normalised;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 weight_lo=0 product=150 product_lo=0'::appraisal.weighted_stats$$) AS above_100;
SELECT pg_temp.try($$SELECT 'n=0 weight=1 weight_lo=0 product=50 product_lo=0'::appraisal.weighted_stats$$) AS sums_without_rows;
SELECT pg_temp.try($$SELECT 'n=1 weight=abc weight_lo=0 product=50 product_lo=0'::appraisal.weighted_stats$$) AS bad_number;
SELECT pg_temp.try($$SELECT 'n=1.5 weight=1 weight_lo=0 product=50 product_lo=0'::appraisal.weighted_stats$$) AS bad_count;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 product=50 product_lo=0'::appraisal.weighted_stats$$) AS missing_field;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 weight_lo=0 product=50 product_lo=0 extra'::appraisal.weighted_stats$$) AS trailing;
SELECT pg_temp.try($$SELECT ''::appraisal.weighted_stats$$) AS empty_text;
SELECT pg_temp.try($$SELECT 'n=1 weight=0x10 weight_lo=0 product=50 product_lo=0'::appraisal.weighted_stats$$) AS hexadecimal;
SELECT pg_temp.try($$SELECT 'n=1 weight=1 weight_lo=1e-400 product=50 product_lo=0'::appraisal.weighted_stats$$) AS underflow;
SELECT pg_temp.try($$SELECT 'n=99999999999999999999 weight=1 weight_lo=0 product=50 product_lo=0'::appraisal.weighted_stats$$) AS count_too_large;
SELECT pg_temp.try(format('SELECT %L::appraisal.weighted_stats', E'n=1\u00a0weight=1 weight_lo=0 product=50 product_lo=0')) AS no_break_space;

-- binary input validates like text input: fields crafted as bytea (whose binary
-- form is its bytes) and read back as weighted_stats: count, weight, weight_lo,
-- product, product_lo
CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE crafted (stats appraisal.weighted_stats);
INSERT INTO raw VALUES (int8send(2) || float8send(0.5) || float8send(0) || float8send(40) || float8send(0));
\copy raw TO 'results/weighted_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/weighted_raw.bin' WITH (FORMAT binary)
SELECT stats FROM crafted;
TRUNCATE raw;
INSERT INTO raw VALUES (int8send(1) || float8send(1) || float8send(0) || float8send(150) || float8send(0));
\copy raw TO 'results/weighted_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/weighted_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (int8send(-1) || float8send(0) || float8send(0) || float8send(0) || float8send(0));
\copy raw TO 'results/weighted_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/weighted_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (int8send(1) || float8send(1) || float8send('NaN') || float8send(50) || float8send(0));
\copy raw TO 'results/weighted_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/weighted_raw.bin' WITH (FORMAT binary)
SELECT count(*) AS still_one FROM crafted;
