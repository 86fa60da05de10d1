-- Customer evaluation (docs/rules.md, "Customer evaluation") on a small fixed data set, every number
-- computed by hand (arithmetic in the comments): the worked example, the
-- composite at exactly 90 and just below, thirds that must add up exactly,
-- computed growth, the trend, every class and its boundaries and precedence,
-- settings as data, and rows the constraints reject.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- Linear points, exact and truncated: sales 2,000,000 on 100,000 -> 2,100,000
-- is 1,900,000 / 2,000,000 = 95 %; the return rate is reversed (5 -> 1):
-- 6 % and 5 % give 0, 3 % gives (5 - 3) / 4 = 50, 1 % and 0.5 % give 100.
SELECT appraisal.linear_points(2000000, 100000, 2100000) AS sales_95,
       appraisal.linear_points(6, 5, 1) AS returns_6, appraisal.linear_points(5, 5, 1) AS returns_5,
       appraisal.linear_points(3, 5, 1) AS returns_3, appraisal.linear_points(1, 5, 1) AS returns_1,
       appraisal.linear_points(0.5, 5, 1) AS returns_half,
       appraisal.linear_points(1, 0, 3) AS third,          -- 33.333... -> 33.33
       appraisal.linear_points(2, 0, 3) AS two_thirds,     -- 66.666... -> 66.66 (truncated, never 66.67)
       appraisal.linear_points(NULL, 0, 3) AS null_value;
SELECT pg_temp.try($$SELECT appraisal.linear_points(1, 5, 5)$$);

-- The worked example in docs/rules.md, "Customer score": sales 2,000,000 -> 95, growth 25 % -> 100,
-- collection 92 % -> (92 - 90) / 10 = 20, returns 6 % -> 0, manager 80 -> 80;
-- 0.3 * 95 + 0.3 * 100 + 0.2 * 20 + 0.1 * 0 + 0.1 * 80
-- = 28.5 + 30 + 4 + 0 + 8 = 70.5 -> credit grade A (70 <= 70.5 < 80).
SELECT * FROM appraisal.customer_score(2000000, 25, 92, 6, 80);
-- Exactly 90: every item at 100 but the manager's 0: 30 + 30 + 20 + 10 = 90 -> AAA.
SELECT composite_points, credit_grade FROM appraisal.customer_score(2100000, 25, 100, 1, 0);
-- Just below: growth 24.99 % -> 99.96 points, 0.3 * 99.96 = 29.988, total
-- 89.988 -> shown 89.98 -> AA (the grade is read from the value shown).
SELECT growth_points, composite_points, credit_grade FROM appraisal.customer_score(2100000, 24.99, 100, 1, 0);
-- A missing item of weight above 0: no composite, no grade.
SELECT composite_points, credit_grade FROM appraisal.customer_score(2000000, 25, 92, 6, NULL);

-- Settings are data.  Growth scored 0 -> 30 %: 10 % is a third (33.33
-- shown).  With sales, collection, returns and manager at 100:
-- 0.3 * 1 + 0.3 * (1/3) + 0.2 + 0.1 + 0.1 = 0.8 exactly -> 80.00, AA (one
-- exact fraction: no 79.99 from adding rounded thirds).
INSERT INTO appraisal.settings (name, value) VALUES ('customer_growth_full_at', '30');
SELECT growth_points, composite_points, credit_grade FROM appraisal.customer_score(2100000, 10, 100, 1, 100);
-- Without the manager's weight the others are the whole: worked example
-- (28.5 + 30 + 4 + 0) / 0.9 = 69.444... -> 69.44 -> B.
DELETE FROM appraisal.settings;
INSERT INTO appraisal.settings (name, value) VALUES ('customer_weight_manager', '0');
SELECT composite_points, credit_grade FROM appraisal.customer_score(2000000, 25, 92, 6, 80);
DELETE FROM appraisal.settings;
-- Settings are checked: a weight is 0 to 100; equal range ends are an error when used.
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('customer_weight_sales', '130')$$);
INSERT INTO appraisal.settings (name, value) VALUES ('customer_sales_full_at', '100000');
SELECT pg_temp.try($$SELECT * FROM appraisal.customer_score(2000000, 25, 92, 6, 80)$$);
DELETE FROM appraisal.settings;

-- Classes, rule by rule, with the first rule that applies winning
-- (arguments: sales, batches, collection, returns, receivables, new customer,
-- year ended, previous sales, previous collection).
SELECT rule, appraisal.customer_class(s, b, c, r, rec, nw, ended, ps, pc) AS class
FROM (VALUES
  ('no sales, no receivables',                 0::numeric, 0, NULL::numeric, NULL::numeric, 0::numeric, false, true, NULL::numeric, NULL::numeric),
  ('no sales, receivables',                    0, 0, NULL, NULL, 5000, false, true, NULL, NULL),
  ('no sales beats new',                       0, 0, NULL, NULL, 0, true, true, NULL, NULL),
  ('stale: 15,000 sales, 30,000 receivables',  15000, 2, 80, 1, 30000, false, true, NULL, NULL),
  ('stale beats new',                          15000, 2, 80, 1, 30000, true, true, NULL, NULL),
  -- "receivables of 20,000 and above" (以上) holds 20,000; "sales below 20,000" does not
  ('stale: receivables exactly 20,000',        19999.99, 2, 99, 1, 20000, false, true, NULL, NULL),
  ('not stale: receivables 19,999.99',         19999.99, 2, 99, 1, 19999.99, false, true, NULL, NULL),
  ('not stale: sales exactly 20,000',          20000, 2, 99, 1, 30000, false, true, NULL, NULL),
  -- pending, second branch: fewer than 2 batches and money owed
  ('pending: 1 batch, 0.01 owed',              50000, 1, 99, 1, 0.01, false, true, NULL, NULL),
  ('1 batch, nothing owed: other',             50000, 1, 99, 1, 0, false, true, NULL, NULL),
  ('2 batches, money owed: other',             50000, 2, 99, 1, 5000, false, true, NULL, NULL),
  ('pending beats stale',                      15000, 1, 80, 1, 30000, false, true, NULL, NULL),
  ('pending beats new',                        150000, 1, 99, 1, 1000, true, true, NULL, NULL),
  ('pending beats abnormal',                   500000, 1, 80, 9, 1000, false, true, NULL, NULL),
  ('new, year still running',                  500000, 9, 99, 1, 0, true, false, NULL, NULL),
  ('new, 100,000.01: effective',               100000.01, 2, 80, 9, 0, true, true, NULL, NULL),
  ('new, exactly 100,000: ineffective',        100000, 2, 99, 1, 0, true, true, NULL, NULL),
  ('new beats deteriorating',                  150000, 5, 99, 1, 0, true, true, 900000, 99),
  ('sales down exactly 50 %',                  150000, 5, 97, 2, 0, false, true, 300000, 97),
  ('sales down 49.99 %: normal',               150030, 5, 97, 2, 0, false, true, 300000, 97),
  ('collection down 10.1 points',              200000, 5, 88.9, 2, 0, false, true, 150000, 99),
  ('collection down exactly 10: abnormal',     200000, 5, 89, 2, 0, false, true, 150000, 99),
  ('deteriorating beats normal',               200000, 5, 96, 2, 0, false, true, 450000, 97),
  ('normal: 4 batches, 95.01 %, 4.99 %',       100000.01, 4, 95.01, 4.99, 0, false, true, NULL, NULL),
  ('3 batches: not normal, other',             200000, 3, 99, 1, 0, false, true, NULL, NULL),
  ('collection exactly 95: other',             200000, 5, 95, 2, 0, false, true, NULL, NULL),
  ('returns exactly 5: other',                 200000, 5, 97, 5, 0, false, true, NULL, NULL),
  ('collection 94.99: abnormal',               200000, 5, 94.99, 2, 0, false, true, NULL, NULL),
  ('returns 5.01: abnormal',                   200000, 9, 99, 5.01, 0, false, true, NULL, NULL),
  ('sales exactly 100,000: other',             100000, 9, 80, 9, 0, false, true, NULL, NULL)
) v(rule, s, b, c, r, rec, nw, ended, ps, pc);
-- The batch limit is a setting: at 0 only the no-business branch is left
-- (1 batch and 0.01 owed: other); at 3, 2 batches and money owed is pending.
INSERT INTO appraisal.settings (name, value) VALUES ('class_pending_batches', '0');
SELECT appraisal.customer_class(50000, 1, 99, 1, 0.01, false, true, NULL, NULL) AS one_batch_limit_0,
       appraisal.customer_class(0, 0, NULL, NULL, 5000, false, true, NULL, NULL) AS no_sales_limit_0;
UPDATE appraisal.settings SET value = '3' WHERE name = 'class_pending_batches';
SELECT appraisal.customer_class(50000, 2, 99, 1, 5000, false, true, NULL, NULL) AS two_batches_limit_3;
DELETE FROM appraisal.settings;

-- The scorecard view on stored figures.
SELECT count(*) AS periods FROM (SELECT appraisal.add_periods(2024) UNION ALL SELECT appraisal.add_periods(2025)) p;
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES ('S1', 'Sales Lead', 'manager', 'sales');
INSERT INTO appraisal.customers (customer_id, name, first_order_on, sales_manager_id) VALUES
  ('C1', 'Worked example', NULL, 'S1'),
  ('C2', 'Exactly ninety', NULL, 'S1'),
  ('C4', 'Declining', NULL, 'S1'),
  ('C5', 'Dormant', NULL, NULL),
  ('C8', 'Newcomer', '2025-03-01', NULL);
INSERT INTO appraisal.customer_figures
  (customer_id, period, sales, batches, sales_growth, collection_rate, return_rate, receivables, manager_evaluation) VALUES
  ('C1', '2025', 2000000, 6, 25, 92, 6, 50000, 80),
  ('C2', '2025', 2100000, 4, 25, 100, 1, 0, 0),
  -- C4 2024: sales (400,000 - 100,000) / 2,000,000 = 15, growth 10 / 25 = 40,
  -- collection 90, returns (5 - 3) / 4 = 50, manager 70:
  -- 4.5 + 12 + 18 + 5 + 7 = 46.50 -> C; class: 2 batches, 99 %, 3 % -> other
  ('C4', '2024', 400000, 2, 10, 99, 3, 0, 70),
  -- C4 2025: growth not recorded: (180,000 - 400,000) / 400,000 = -55 % -> 0;
  -- sales 80,000 / 2,000,000 = 4, collection 70, returns 75, manager 60:
  -- 1.2 + 0 + 14 + 7.5 + 6 = 28.70 -> C, down 17.80; sales down 55 % -> deteriorating
  ('C4', '2025', 180000, 5, NULL, 97, 2, 10000, 60),
  -- C5: nothing sold, nothing owed; no previous year for the growth -> no composite
  ('C5', '2025', 0, 0, NULL, NULL, NULL, 0, NULL),
  -- C8: new in 2025 with 150,000 -> new-effective
  ('C8', '2025', 150000, 3, 0, 100, 0, 0, 50);
-- C1's credit rating for 2025: 25 + 60 = 85 -> AA
INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points) VALUES ('C1', '2025', 25, 60);
SELECT customer_id, period, sales_growth, growth_computed, sales_points, growth_points, collection_points,
       returns_points, manager_points, composite_points, credit_grade
FROM appraisal.customer_scorecard ORDER BY customer_id, period;
SELECT customer_id, period, credit_rating_points, credit_rating_grade, class, previous_period,
       previous_composite_points, composite_change, trend
FROM appraisal.customer_scorecard ORDER BY customer_id, period;
-- C8's composite: sales 50,000 / 2,000,000 = 2.5, growth 0, collection 100,
-- returns 100, manager 50: 0.75 + 0 + 20 + 10 + 5 = 35.75 -> C
SELECT composite_points, credit_grade FROM appraisal.customer_scorecard WHERE customer_id = 'C8';

-- A quarter is not classified (the classes are yearly), and a previous
-- quarter counts only when it is the one just before: Q1 and Q3 have no trend.
INSERT INTO appraisal.customer_figures (customer_id, period, sales, batches, sales_growth, collection_rate, return_rate, manager_evaluation) VALUES
  ('C1', '2025-Q1', 500000, 2, 5, 95, 2, 70), ('C1', '2025-Q3', 600000, 2, 5, 95, 2, 70);
SELECT period, class, previous_period, trend FROM appraisal.customer_scorecard WHERE customer_id = 'C1' ORDER BY starts_on, period;
-- With Q2 the quarters follow each other.  Q1: sales 400,000 / 2,000,000 =
-- 20, growth 5 / 25 = 20, collection 50, returns 75, manager 70:
-- 6 + 6 + 10 + 7.5 + 7 = 36.50; Q2 (550,000: 22.5): 37.25, up 0.75; Q3
-- (600,000: 25): 38.00, up 0.75.
INSERT INTO appraisal.customer_figures (customer_id, period, sales, batches, sales_growth, collection_rate, return_rate, manager_evaluation) VALUES
  ('C1', '2025-Q2', 550000, 2, 5, 95, 2, 70);
SELECT period, composite_points, previous_period, previous_composite_points, composite_change, trend
FROM appraisal.customer_scorecard WHERE customer_id = 'C1' AND period_kind = 'quarter' ORDER BY starts_on;

-- Rows the constraints reject, each naming its rule.
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales) VALUES ('C9', '2025', 1)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales) VALUES ('C1', '2031', 1)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales) VALUES ('C1', '2024', -1)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales, return_rate) VALUES ('C1', '2024', 1, 101)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales, manager_evaluation) VALUES ('C1', '2024', 1, 100.5)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_figures (customer_id, period, sales, collection_rate) VALUES ('C1', '2024', 1, -2)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points) VALUES ('C2', '2025', 31, 0)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points) VALUES ('C2', '2025', 0, 70.5)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.customers (customer_id, name, sales_manager_id) VALUES ('C9', 'x', 'nobody')$$);

-- Credit ratings with their parts (financial 30; non-financial 70 = quality
-- characteristics 35 + capital 18 + credit fulfilment 17), the latest per
-- customer flagged when older than a quarter.  C2 2025-Q4: 28 + (33 + 18 +
-- 17 = 68) = 96 -> AAA; C2 2099-Q1: 20 + (30 + 10 + 10 = 50) = 70 -> A, the
-- latest, not stale.  C6 rated for 2024-Q2 only, and C1 for 2025 (year),
-- without the split: today is past the quarter after, stale.
SELECT count(*) AS periods FROM appraisal.add_periods(2099);
INSERT INTO appraisal.customers (customer_id, name) VALUES ('C6', 'Rated long ago');
INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points,
       quality_points, capital_points, fulfilment_points, debt_ratio, current_ratio, quick_ratio, net_margin, operating_cash_flow) VALUES
  ('C2', '2025-Q4', 28, 68, 33, 18, 17, 45.5, 1.8, 1.1, 6.2, 250000),
  ('C2', '2099-Q1', 20, 50, 30, 10, 10, NULL, NULL, NULL, NULL, NULL),
  ('C6', '2024-Q2', 30, 70, 35, 18, 17, NULL, NULL, NULL, NULL, NULL);
SELECT customer_id, period, financial_points, quality_points, capital_points, fulfilment_points,
       non_financial_points, rating_points, rating_grade, debt_ratio, current_ratio, quick_ratio,
       net_margin, operating_cash_flow, latest, rating_stale
FROM appraisal.customer_credit_ratings ORDER BY customer_id, starts_on;
-- the stale line, whatever today is: CQ1 rated for the quarter just ended is
-- fresh; CQ2 rated for the quarter before it is older than a quarter
SELECT count(*) > 0 AS periods FROM generate_series(2026, extract(year FROM current_date)::int) y, appraisal.add_periods(y);
INSERT INTO appraisal.customers (customer_id, name) VALUES ('CQ1', 'Rated last quarter'), ('CQ2', 'Rated the quarter before');
INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points)
SELECT c, p.period, 20, 50
FROM (VALUES ('CQ1', date_trunc('quarter', current_date)::date - 1),
             ('CQ2', (date_trunc('quarter', current_date) - interval '3 months')::date - 1)) v(c, ends_on)
JOIN appraisal.periods p ON p.kind = 'quarter' AND p.ends_on = v.ends_on;
SELECT customer_id, latest, rating_stale FROM appraisal.customer_credit_ratings WHERE customer_id LIKE 'CQ%' ORDER BY customer_id;
-- each part within its maximum, and the parts make the non-financial points
SELECT pg_temp.try($$INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points, quality_points, capital_points, fulfilment_points) VALUES ('C6', '2025', 0, 70, 35.5, 18, 16.5)$$) AS quality_36;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points, quality_points, capital_points, fulfilment_points) VALUES ('C6', '2025', 0, 70, 34.5, 18.5, 17)$$) AS capital_18_5;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points, quality_points, capital_points, fulfilment_points) VALUES ('C6', '2025', 0, 70, 35, 17, 18)$$) AS fulfilment_18;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points, quality_points, capital_points, fulfilment_points) VALUES ('C6', '2025', 0, 60, 30, 10, 10)$$) AS parts_50_of_60;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points, quality_points) VALUES ('C6', '2025', 0, 30, 30)$$) AS one_part_only;
