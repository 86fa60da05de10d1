-- appraisal install script, part 14: customer evaluation (DOMAIN §8).  The
-- customers, their yearly or quarterly figures and credit-rating inputs; the
-- composite customer score (five items scored linearly between ranges,
-- weighted), its credit grade, and the yearly classification, with every
-- weight, range and threshold a setting.

-- Settings: weights (percent) and ranges of the composite, thresholds of the
-- classification.  The definitions are part of the extension; the trigger
-- that keeps users from changing them is off while the extension adds them.
ALTER TABLE appraisal.setting_definitions DISABLE TRIGGER refuse_change;
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('customer_weight_sales', 'numeric', 0, 100, '30', 'Weight of sales volume in the composite customer score (DOMAIN §8: 30).'),
  ('customer_weight_growth', 'numeric', 0, 100, '30', 'Weight of sales growth in the composite customer score (DOMAIN §8: 30).'),
  ('customer_weight_collection', 'numeric', 0, 100, '20', 'Weight of the collection rate in the composite customer score (DOMAIN §8: 20).'),
  ('customer_weight_returns', 'numeric', 0, 100, '10', 'Weight of the return rate in the composite customer score (DOMAIN §8: 10).'),
  ('customer_weight_manager', 'numeric', 0, 100, '10', 'Weight of the sales manager''s evaluation (0-100 points) in the composite customer score (DOMAIN §8: 10).'),
  ('customer_sales_zero_at', 'numeric', NULL, NULL, '100000', 'Sales volume scoring 0 points (DOMAIN §8: 100,000); linear up to customer_sales_full_at.'),
  ('customer_sales_full_at', 'numeric', NULL, NULL, '2100000', 'Sales volume scoring 100 points (DOMAIN §8: 2,100,000).'),
  ('customer_growth_zero_at', 'numeric', NULL, NULL, '0', 'Sales growth (percent) scoring 0 points (DOMAIN §8: 0 %).'),
  ('customer_growth_full_at', 'numeric', NULL, NULL, '25', 'Sales growth (percent) scoring 100 points (DOMAIN §8: 25 %).'),
  ('customer_collection_zero_at', 'numeric', NULL, NULL, '90', 'Collection rate (percent) scoring 0 points (DOMAIN §8: 90 %).'),
  ('customer_collection_full_at', 'numeric', NULL, NULL, '100', 'Collection rate (percent) scoring 100 points (DOMAIN §8: 100 %).'),
  ('customer_returns_zero_at', 'numeric', NULL, NULL, '5', 'Return rate (percent) scoring 0 points (DOMAIN §8: 5 %; reversed, higher is worse).'),
  ('customer_returns_full_at', 'numeric', NULL, NULL, '1', 'Return rate (percent) scoring 100 points (DOMAIN §8: 1 %).'),
  ('customer_grade_scale', 'grade scale', NULL, NULL, 'credit', 'Grade scale of the composite customer score and the credit rating (DOMAIN §2: AAA, AA, A, B, C).'),
  ('class_effective_sales', 'numeric', 0, NULL, '100000', 'Yearly sales above this make a new customer effective, and a customer normal or abnormal (DOMAIN §8: 100,000).'),
  ('class_normal_batches', 'integer', 0, NULL, '3', 'A normal customer ordered in more batches than this in the year (DOMAIN §8: 3).'),
  ('class_collection_rate', 'numeric', 0, 100, '95', 'A normal customer''s collection rate is above this percentage, an abnormal one''s below (DOMAIN §8: 95).'),
  ('class_return_rate', 'numeric', 0, 100, '5', 'A normal customer''s return rate is below this percentage, an abnormal one''s above (DOMAIN §8: 5).'),
  ('class_stale_sales', 'numeric', 0, NULL, '20000', 'A customer with yearly sales below this and receivables above class_stale_receivables is stale (DOMAIN §8: 20,000).'),
  ('class_stale_receivables', 'numeric', 0, NULL, '20000', 'A customer with receivables above this and yearly sales below class_stale_sales is stale (DOMAIN §8: 20,000).'),
  ('class_sales_drop', 'numeric', 0, 100, '50', 'Sales down by this percentage or more on the previous year: deteriorating (DOMAIN §8: 50).'),
  ('class_collection_drop', 'numeric', 0, 100, '10', 'Collection rate down by more than this many points on the previous year: deteriorating (DOMAIN §8: 10).');
ALTER TABLE appraisal.setting_definitions ENABLE TRIGGER refuse_change;

CREATE FUNCTION appraisal.customer_parameters()
RETURNS TABLE (weight_sales numeric, weight_growth numeric, weight_collection numeric, weight_returns numeric,
               weight_manager numeric, sales_zero_at numeric, sales_full_at numeric, growth_zero_at numeric,
               growth_full_at numeric, collection_zero_at numeric, collection_full_at numeric,
               returns_zero_at numeric, returns_full_at numeric, grade_scale text,
               class_effective_sales numeric, class_normal_batches integer, class_collection_rate numeric,
               class_return_rate numeric, class_stale_sales numeric, class_stale_receivables numeric,
               class_sales_drop numeric, class_collection_drop numeric)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'customer_weight_sales')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_growth')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_collection')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_returns')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_manager')::numeric,
         max(value) FILTER (WHERE name = 'customer_sales_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_sales_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_growth_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_growth_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_collection_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_collection_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_returns_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_returns_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_grade_scale'),
         max(value) FILTER (WHERE name = 'class_effective_sales')::numeric,
         max(value) FILTER (WHERE name = 'class_normal_batches')::integer,
         max(value) FILTER (WHERE name = 'class_collection_rate')::numeric,
         max(value) FILTER (WHERE name = 'class_return_rate')::numeric,
         max(value) FILTER (WHERE name = 'class_stale_sales')::numeric,
         max(value) FILTER (WHERE name = 'class_stale_receivables')::numeric,
         max(value) FILTER (WHERE name = 'class_sales_drop')::numeric,
         max(value) FILTER (WHERE name = 'class_collection_drop')::numeric
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.customer_parameters() IS
  'The customer-evaluation settings in effect (weights and ranges of the composite customer score, thresholds of the classification) as one row with a typed column per setting; see appraisal.setting_definitions.';

-- Linear points as an exact fraction: the part of the range [zero_at,
-- full_at] the value has covered, clamped to [0, 1], as (part, whole) with
-- whole > 0 (a reversed range, zero_at > full_at, is read from the top).
CREATE FUNCTION appraisal.linear_fraction(value numeric, zero_at numeric, full_at numeric,
                                          OUT part numeric, OUT whole numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF zero_at IS NULL OR full_at IS NULL OR zero_at = full_at THEN
    RAISE EXCEPTION 'a linear range needs two different ends, not % and %',
      coalesce(zero_at::text, 'NULL'), coalesce(full_at::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF value IS NULL THEN
    RETURN;
  END IF;
  whole := abs(full_at - zero_at);
  part := least(greatest(sign(full_at - zero_at) * (value - zero_at), 0), whole);
END
$$;
COMMENT ON FUNCTION appraisal.linear_fraction(numeric, numeric, numeric) IS
  'The share of the range from zero_at (0 points) to full_at (100 points) that value has covered, clamped to the range, as an exact fraction part / whole (whole > 0). Reversed when zero_at > full_at (return rate: 5 -> 1). NULL parts for a NULL value; equal ends are an error.';

CREATE FUNCTION appraisal.linear_points(value numeric, zero_at numeric, full_at numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT appraisal.weighted_share_percent(ARRAY[1::numeric], ARRAY[f.part], ARRAY[f.whole])
  FROM appraisal.linear_fraction(value, zero_at, full_at) f;
END;
COMMENT ON FUNCTION appraisal.linear_points(numeric, numeric, numeric) IS
  'Points 0-100 for value on the linear range zero_at -> full_at (reversed when zero_at > full_at), clamped, computed exactly and truncated to two decimals: linear_points(2000000, 100000, 2100000) = 95.00, linear_points(6, 5, 1) = 0. NULL for a NULL value.';

-- People and figures --------------------------------------------------------

CREATE TABLE appraisal.customers (
  customer_id      text PRIMARY KEY,
  name             text NOT NULL,
  first_order_on   date CONSTRAINT "first order date must be finite" CHECK (isfinite(first_order_on)),
  sales_manager_id text CONSTRAINT "sales manager must be a known employee" REFERENCES appraisal.employees,
  region           text
);
COMMENT ON TABLE appraisal.customers IS 'Customers (dealers, accounts) evaluated yearly and quarterly (DOMAIN §8): their figures are in appraisal.customer_figures, their credit-rating inputs in appraisal.customer_credit.';
COMMENT ON COLUMN appraisal.customers.customer_id IS 'Customer identifier (the customer_id of appraisal.tickets, where tickets carry one).';
COMMENT ON COLUMN appraisal.customers.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customers.first_order_on IS 'Date of the first order: a customer is new in the year it falls in (classification). NULL: an established customer.';
COMMENT ON COLUMN appraisal.customers.sales_manager_id IS 'Sales manager responsible (appraisal.employees), who gives the manager''s evaluation.';
COMMENT ON COLUMN appraisal.customers.region IS 'Region, for grouping.';

CREATE TABLE appraisal.customer_figures (
  customer_id        text NOT NULL CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers,
  period             text NOT NULL CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  sales              numeric NOT NULL CONSTRAINT "sales cannot be negative" CHECK (sales >= 0),
  batches            integer NOT NULL DEFAULT 0 CONSTRAINT "batches cannot be negative" CHECK (batches >= 0),
  sales_growth       numeric,
  collection_rate    numeric CONSTRAINT "collection rate must be a percentage from 0" CHECK (collection_rate >= 0),
  return_rate        numeric CONSTRAINT "return rate must be a percentage from 0 to 100" CHECK (return_rate BETWEEN 0 AND 100),
  receivables        numeric NOT NULL DEFAULT 0 CONSTRAINT "receivables cannot be negative" CHECK (receivables >= 0),
  manager_evaluation numeric CONSTRAINT "manager evaluation must be 0 to 100 points" CHECK (manager_evaluation BETWEEN 0 AND 100),
  PRIMARY KEY (customer_id, period)
);
COMMENT ON TABLE appraisal.customer_figures IS 'A customer''s figures for one period (a year, or a quarter for quarterly re-rating): the inputs of the composite customer score and of the classification.';
COMMENT ON COLUMN appraisal.customer_figures.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_figures.period IS 'Period (appraisal.periods), usually a year.';
COMMENT ON COLUMN appraisal.customer_figures.sales IS 'Sales volume in the period, in the currency of the ranges (settings customer_sales_zero_at, customer_sales_full_at).';
COMMENT ON COLUMN appraisal.customer_figures.batches IS 'Number of order batches in the period.';
COMMENT ON COLUMN appraisal.customer_figures.sales_growth IS 'Sales growth on the previous period of the same kind, in percent (25 = 25 %). NULL: computed from the previous period''s sales, when recorded and above 0.';
COMMENT ON COLUMN appraisal.customer_figures.collection_rate IS 'Collected as a percentage of what fell due (may exceed 100 when old debt is paid).';
COMMENT ON COLUMN appraisal.customer_figures.return_rate IS 'Returned goods as a percentage of sales.';
COMMENT ON COLUMN appraisal.customer_figures.receivables IS 'Receivables outstanding at the end of the period.';
COMMENT ON COLUMN appraisal.customer_figures.manager_evaluation IS 'The sales manager''s evaluation of the customer, 0-100 points.';

CREATE TABLE appraisal.customer_credit (
  customer_id          text NOT NULL CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers,
  period               text NOT NULL CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  financial_points     numeric NOT NULL CONSTRAINT "financial points must be 0 to 30" CHECK (financial_points BETWEEN 0 AND 30),
  non_financial_points numeric NOT NULL CONSTRAINT "non-financial points must be 0 to 70" CHECK (non_financial_points BETWEEN 0 AND 70),
  rated_by             text,
  PRIMARY KEY (customer_id, period)
);
COMMENT ON TABLE appraisal.customer_credit IS 'Credit-rating inputs (DOMAIN §8: 100 points, financial 30 and non-financial 70), re-rated every quarter.';
COMMENT ON COLUMN appraisal.customer_credit.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_credit.period IS 'Period rated (appraisal.periods), usually a quarter.';
COMMENT ON COLUMN appraisal.customer_credit.financial_points IS 'Points for the financial criteria, 0-30.';
COMMENT ON COLUMN appraisal.customer_credit.non_financial_points IS 'Points for the non-financial criteria, 0-70.';
COMMENT ON COLUMN appraisal.customer_credit.rated_by IS 'Who rated (free text, for the audit trail).';

SELECT pg_catalog.pg_extension_config_dump('appraisal.customers', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_figures', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_credit', '');

-- The composite and the class ------------------------------------------------

CREATE FUNCTION appraisal.customer_score(sales numeric, sales_growth numeric, collection_rate numeric,
                                         return_rate numeric, manager_evaluation numeric)
RETURNS TABLE (sales_points numeric, growth_points numeric, collection_points numeric, returns_points numeric,
               manager_points numeric, composite_points numeric, credit_grade text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT appraisal.linear_points(customer_score.sales, p.sales_zero_at, p.sales_full_at),
         appraisal.linear_points(customer_score.sales_growth, p.growth_zero_at, p.growth_full_at),
         appraisal.linear_points(customer_score.collection_rate, p.collection_zero_at, p.collection_full_at),
         appraisal.linear_points(customer_score.return_rate, p.returns_zero_at, p.returns_full_at),
         appraisal.linear_points(customer_score.manager_evaluation, 0, 100),
         w.points,
         CASE WHEN w.points IS NOT NULL THEN appraisal.grade_band(w.points::double precision, p.grade_scale) END
  FROM appraisal.customer_parameters() p
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.sales, p.sales_zero_at, p.sales_full_at) s
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.sales_growth, p.growth_zero_at, p.growth_full_at) g
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.collection_rate, p.collection_zero_at, p.collection_full_at) c
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.return_rate, p.returns_zero_at, p.returns_full_at) r
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.manager_evaluation, 0, 100) m
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(
             ARRAY[p.weight_sales, p.weight_growth, p.weight_collection, p.weight_returns, p.weight_manager],
             ARRAY[s.part, g.part, c.part, r.part, m.part],
             ARRAY[s.whole, g.whole, c.whole, r.whole, m.whole]) AS points
  ) w;
END;
COMMENT ON FUNCTION appraisal.customer_score(numeric, numeric, numeric, numeric, numeric) IS
  'The composite customer score of DOMAIN §8 with the settings in effect: each item''s points on its linear range (sales 100,000 -> 2,100,000, growth 0 -> 25 %, collection 90 -> 100 %, return rate 5 -> 1 % reversed, the manager''s 0-100 evaluation), clamped, weighted 30/30/20/10/10, as one exact fraction truncated to two decimals, and its grade on customer_grade_scale (credit: AAA >= 90 ... C). Sales 2,000,000, growth 25, collection 92, returns 6, manager 80 give 95, 100, 20, 0, 80 -> 70.50, A. NULL composite and grade when an item of weight above 0 is NULL.';

CREATE FUNCTION appraisal.customer_class(sales numeric, batches integer, collection_rate numeric, return_rate numeric,
                                         receivables numeric, new_customer boolean, period_ended boolean,
                                         previous_sales numeric, previous_collection_rate numeric)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT CASE
           WHEN f.sales = 0 AND f.receivables = 0 THEN 'no business'
           WHEN f.sales = 0 THEN 'pending'
           WHEN f.sales < p.class_stale_sales AND f.receivables > p.class_stale_receivables THEN 'stale'
           WHEN f.new_customer AND NOT f.period_ended THEN 'new'
           WHEN f.new_customer AND f.sales > p.class_effective_sales THEN 'new-effective'
           WHEN f.new_customer THEN 'new-ineffective'
           WHEN f.previous_sales > 0 AND f.sales <= f.previous_sales * (100 - p.class_sales_drop) / 100 THEN 'deteriorating'
           WHEN f.previous_collection_rate - f.collection_rate > p.class_collection_drop THEN 'deteriorating'
           WHEN f.sales > p.class_effective_sales AND f.batches > p.class_normal_batches
                AND f.collection_rate > p.class_collection_rate AND f.return_rate < p.class_return_rate THEN 'normal'
           WHEN f.sales > p.class_effective_sales
                AND (f.collection_rate < p.class_collection_rate OR f.return_rate > p.class_return_rate) THEN 'abnormal'
           ELSE 'other'
         END
  FROM appraisal.customer_parameters() p,
       (SELECT customer_class.sales, customer_class.batches, customer_class.collection_rate,
               customer_class.return_rate, customer_class.receivables, customer_class.new_customer,
               customer_class.period_ended, customer_class.previous_sales,
               customer_class.previous_collection_rate) f;
END;
COMMENT ON FUNCTION appraisal.customer_class(numeric, integer, numeric, numeric, numeric, boolean, boolean, numeric, numeric) IS
  'The yearly customer class of DOMAIN §8 with the thresholds in effect, the first rule that applies: no business (no sales, no receivables); pending (no sales, receivables); stale (sales < 20,000 and receivables > 20,000); for a customer new that year: new while the year runs, then new-effective (sales > 100,000) or new-ineffective; deteriorating (sales down 50 % or more, or collection down more than 10 points, on the previous year); normal (sales > 100,000, more than 3 batches, collection > 95 %, returns < 5 %); abnormal (sales > 100,000 and collection < 95 % or returns > 5 %); otherwise other (none applies, e.g. sales up to 100,000, 3 batches or fewer, or collection exactly 95 %).';

-- The customer scorecard ------------------------------------------------------

CREATE VIEW appraisal.customer_scorecard WITH (security_invoker = true) AS
WITH figures AS (
  SELECT f.*, p.kind AS period_kind, p.starts_on, p.ends_on,
         lag(f.period) OVER w AS previous_period,
         lag(f.sales) OVER w AS previous_sales,
         lag(f.collection_rate) OVER w AS previous_collection_rate,
         lag(p.ends_on) OVER w AS previous_ends_on
  FROM appraisal.customer_figures f
  JOIN appraisal.periods p ON p.period = f.period
  WINDOW w AS (PARTITION BY f.customer_id, p.kind ORDER BY p.starts_on)
), adjacent AS (
  -- the previous period of the same kind counts only when it is the one just before
  SELECT f.*, coalesce(f.previous_ends_on = f.starts_on - 1, false) AS has_previous
  FROM figures f
), scored AS (
  SELECT a.*, c.name, c.first_order_on, g.growth_used, s.*
  FROM adjacent a
  JOIN appraisal.customers c USING (customer_id)
  CROSS JOIN LATERAL (
    SELECT coalesce(a.sales_growth,
                    CASE WHEN a.has_previous AND a.previous_sales > 0
                         THEN (a.sales - a.previous_sales) * 100 / a.previous_sales END) AS growth_used
  ) g
  CROSS JOIN LATERAL appraisal.customer_score(a.sales, g.growth_used, a.collection_rate, a.return_rate,
                                              a.manager_evaluation) s
)
SELECT s.customer_id, s.name, s.period, s.period_kind, s.starts_on, s.ends_on,
       s.sales, s.batches, trim_scale(s.growth_used) AS sales_growth,
       s.sales_growth IS NULL AND s.growth_used IS NOT NULL AS growth_computed,
       s.collection_rate, s.return_rate, s.receivables, s.manager_evaluation,
       s.sales_points, s.growth_points, s.collection_points, s.returns_points, s.manager_points,
       s.composite_points,
       coalesce(s.credit_grade, 'insufficient data') AS credit_grade,
       cr.financial_points + cr.non_financial_points AS credit_rating_points,
       CASE WHEN cr.customer_id IS NOT NULL
            THEN appraisal.grade_band((cr.financial_points + cr.non_financial_points)::double precision, p.grade_scale)
       END AS credit_rating_grade,
       CASE WHEN s.period_kind = 'year' THEN
         appraisal.customer_class(s.sales, s.batches, s.collection_rate, s.return_rate, s.receivables,
                                  coalesce(s.first_order_on BETWEEN s.starts_on AND s.ends_on, false),
                                  s.ends_on < current_date,
                                  CASE WHEN s.has_previous THEN s.previous_sales END,
                                  CASE WHEN s.has_previous THEN s.previous_collection_rate END)
       END AS class,
       CASE WHEN s.has_previous THEN s.previous_period END AS previous_period,
       prev.composite_points AS previous_composite_points,
       s.composite_points - prev.composite_points AS composite_change,
       CASE WHEN s.composite_points > prev.composite_points THEN 'up'
            WHEN s.composite_points < prev.composite_points THEN 'down'
            WHEN s.composite_points = prev.composite_points THEN 'flat' END AS trend
FROM scored s
CROSS JOIN appraisal.customer_parameters() p
LEFT JOIN appraisal.customer_credit cr ON cr.customer_id = s.customer_id AND cr.period = s.period
LEFT JOIN scored prev ON s.has_previous AND prev.customer_id = s.customer_id AND prev.period = s.previous_period;
COMMENT ON VIEW appraisal.customer_scorecard IS
  'Per customer and period of appraisal.customer_figures: the composite customer score of DOMAIN §8 (points per item, exact, truncated to two decimals) with its credit grade, the credit rating of appraisal.customer_credit, the yearly class, and the trend against the previous period of the same kind (only when it is the period just before).';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('customer_id', 'Customer (appraisal.customers).'),
    ('name', 'Customer name.'),
    ('period', 'Period of the figures (appraisal.periods).'),
    ('period_kind', 'year, half_year or quarter.'),
    ('starts_on', 'First day of the period.'),
    ('ends_on', 'Last day of the period.'),
    ('sales', 'Sales volume in the period.'),
    ('batches', 'Order batches in the period.'),
    ('sales_growth', 'Sales growth in percent used for the score: as recorded, else computed from the previous period''s sales.'),
    ('growth_computed', 'True when sales_growth was computed from the previous period''s sales, not recorded.'),
    ('collection_rate', 'Collection rate, percent.'),
    ('return_rate', 'Return rate, percent.'),
    ('receivables', 'Receivables outstanding at the end of the period.'),
    ('manager_evaluation', 'The sales manager''s evaluation, 0-100 points.'),
    ('sales_points', 'Points for sales volume, 0-100 (linear between customer_sales_zero_at and customer_sales_full_at).'),
    ('growth_points', 'Points for sales growth, 0-100.'),
    ('collection_points', 'Points for the collection rate, 0-100.'),
    ('returns_points', 'Points for the return rate, 0-100 (reversed: lower is better).'),
    ('manager_points', 'Points of the manager''s evaluation, 0-100.'),
    ('composite_points', 'Composite customer score: the weighted points (30/30/20/10/10 by default), exact, truncated to two decimals; NULL when a weighted item is missing.'),
    ('credit_grade', 'Grade of the composite on customer_grade_scale (AAA, AA, A, B, C), or ''insufficient data''.'),
    ('credit_rating_points', 'Credit rating: financial (0-30) plus non-financial (0-70) points from appraisal.customer_credit; NULL when not rated for the period.'),
    ('credit_rating_grade', 'Grade of the credit rating on customer_grade_scale.'),
    ('class', 'Yearly class (customer_class): no business, pending, stale, new, new-effective, new-ineffective, deteriorating, normal, abnormal or other; NULL for periods other than years.'),
    ('previous_period', 'The period of the same kind just before, when the customer has figures for it.'),
    ('previous_composite_points', 'Composite customer score of the previous period.'),
    ('composite_change', 'Composite points minus those of the previous period.'),
    ('trend', 'up, down or flat against the previous period; NULL without one.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.customer_scorecard.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;
