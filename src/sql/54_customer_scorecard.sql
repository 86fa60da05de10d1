-- 54: customer evaluation: the composite customer score (five items scored
-- linearly between ranges, weighted) with its credit grade, the yearly
-- class, and the customer scorecard.  Rules: docs/rules.md, "Customer
-- evaluation".

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
  'The composite customer score (docs/rules.md, "Customer score") with the settings in effect: each item''s points on its linear range (sales 100,000 -> 2,100,000, growth 0 -> 25 %, collection 90 -> 100 %, return rate 5 -> 1 % reversed, the manager''s 0-100 evaluation), clamped, weighted 30/30/20/10/10, as one exact fraction truncated to two decimals, and its grade on customer_grade_scale (credit: AAA >= 90 ... C). Sales 2,000,000, growth 25, collection 92, returns 6, manager 80 give 95, 100, 20, 0, 80 -> 70.50, A. NULL composite and grade when an item of weight above 0 is NULL.';

CREATE FUNCTION appraisal.customer_class(sales numeric, batches integer, collection_rate numeric, return_rate numeric,
                                         receivables numeric, new_customer boolean, period_ended boolean,
                                         previous_sales numeric, previous_collection_rate numeric)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT CASE
           WHEN f.sales = 0 AND f.receivables = 0 THEN 'no business'
           WHEN f.sales = 0 THEN 'pending'
           WHEN f.receivables > 0
                AND f.batches < (SELECT value::integer FROM appraisal.current_settings
                                 WHERE name = 'class_pending_batches') THEN 'pending'
           WHEN f.sales < p.class_stale_sales AND f.receivables >= p.class_stale_receivables THEN 'stale'
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
  'The yearly customer class (docs/rules.md, "Customer classification") with the thresholds in effect, the first rule that applies: no business (no sales, no receivables); pending (no sales but receivables, or fewer than 2 batches and receivables above 0); stale (sales < 20,000 and receivables of 20,000 or more); for a customer new that year: new while the year runs, then new-effective (sales > 100,000) or new-ineffective; deteriorating (sales down 50 % or more, or collection down more than 10 points, on the previous year); normal (sales > 100,000, more than 3 batches, collection > 95 %, returns < 5 %); abnormal (sales > 100,000 and collection < 95 % or returns > 5 %); otherwise other (none applies, e.g. sales up to 100,000, 3 batches or fewer, or collection exactly 95 %). "More than 100,000" is strict: exactly 100,000 is not above.';

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
  'Per customer and period of appraisal.customer_figures: the composite customer score (points per item, exact, truncated to two decimals; docs/rules.md, "Customer score") with its credit grade, the credit rating of appraisal.customer_credit, the yearly class, and the trend against the previous period of the same kind (only when it is the period just before).';

COMMENT ON COLUMN appraisal.customer_scorecard.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_scorecard.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customer_scorecard.period IS 'Period of the figures (appraisal.periods).';
COMMENT ON COLUMN appraisal.customer_scorecard.period_kind IS 'year, half_year, quarter or month.';
COMMENT ON COLUMN appraisal.customer_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.customer_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.customer_scorecard.sales IS 'Sales volume in the period.';
COMMENT ON COLUMN appraisal.customer_scorecard.batches IS 'Order batches in the period.';
COMMENT ON COLUMN appraisal.customer_scorecard.sales_growth IS 'Sales growth in percent used for the score: as recorded, else computed from the previous period''s sales.';
COMMENT ON COLUMN appraisal.customer_scorecard.growth_computed IS 'True when sales_growth was computed from the previous period''s sales, not recorded.';
COMMENT ON COLUMN appraisal.customer_scorecard.collection_rate IS 'Collection rate, percent.';
COMMENT ON COLUMN appraisal.customer_scorecard.return_rate IS 'Return rate, percent.';
COMMENT ON COLUMN appraisal.customer_scorecard.receivables IS 'Receivables outstanding at the end of the period.';
COMMENT ON COLUMN appraisal.customer_scorecard.manager_evaluation IS 'The sales manager''s evaluation, 0-100 points.';
COMMENT ON COLUMN appraisal.customer_scorecard.sales_points IS 'Points for sales volume, 0-100 (linear between customer_sales_zero_at and customer_sales_full_at).';
COMMENT ON COLUMN appraisal.customer_scorecard.growth_points IS 'Points for sales growth, 0-100.';
COMMENT ON COLUMN appraisal.customer_scorecard.collection_points IS 'Points for the collection rate, 0-100.';
COMMENT ON COLUMN appraisal.customer_scorecard.returns_points IS 'Points for the return rate, 0-100 (reversed: lower is better).';
COMMENT ON COLUMN appraisal.customer_scorecard.manager_points IS 'Points of the manager''s evaluation, 0-100.';
COMMENT ON COLUMN appraisal.customer_scorecard.composite_points IS 'Composite customer score: the weighted points (30/30/20/10/10 by default), exact, truncated to two decimals; NULL when a weighted item is missing.';
COMMENT ON COLUMN appraisal.customer_scorecard.credit_grade IS 'Grade of the composite on customer_grade_scale (AAA, AA, A, B, C), or ''insufficient data''.';
COMMENT ON COLUMN appraisal.customer_scorecard.credit_rating_points IS 'Credit rating: financial (0-30) plus non-financial (0-70) points from appraisal.customer_credit; NULL when not rated for the period.';
COMMENT ON COLUMN appraisal.customer_scorecard.credit_rating_grade IS 'Grade of the credit rating on customer_grade_scale.';
COMMENT ON COLUMN appraisal.customer_scorecard.class IS 'Yearly class (customer_class): no business, pending, stale, new, new-effective, new-ineffective, deteriorating, normal, abnormal or other; NULL for periods other than years.';
COMMENT ON COLUMN appraisal.customer_scorecard.previous_period IS 'The period of the same kind just before, when the customer has figures for it.';
COMMENT ON COLUMN appraisal.customer_scorecard.previous_composite_points IS 'Composite customer score of the previous period.';
COMMENT ON COLUMN appraisal.customer_scorecard.composite_change IS 'Composite points minus those of the previous period.';
COMMENT ON COLUMN appraisal.customer_scorecard.trend IS 'up, down or flat against the previous period; NULL without one.';

-- Credit ratings with their parts, the latest per customer flagged when it
-- is older than the quarter just ended (re-rated quarterly on the previous
-- quarter).
CREATE VIEW appraisal.customer_credit_ratings WITH (security_invoker = true) AS
SELECT cr.customer_id, c.name, cr.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       cr.financial_points, cr.quality_points, cr.capital_points, cr.fulfilment_points,
       cr.non_financial_points, cr.financial_points + cr.non_financial_points AS rating_points,
       appraisal.grade_band((cr.financial_points + cr.non_financial_points)::double precision, s.grade_scale) AS rating_grade,
       cr.debt_ratio, cr.current_ratio, cr.quick_ratio, cr.net_margin, cr.operating_cash_flow, cr.rated_by,
       p.ends_on = max(p.ends_on) OVER (PARTITION BY cr.customer_id) AS latest,
       max(p.ends_on) OVER (PARTITION BY cr.customer_id)
         < (date_trunc('quarter', current_date)::date - 1) AS rating_stale
FROM appraisal.customer_credit cr
JOIN appraisal.customers c USING (customer_id)
JOIN appraisal.periods p ON p.period = cr.period
CROSS JOIN appraisal.customer_parameters() s;
COMMENT ON VIEW appraisal.customer_credit_ratings IS
  'Credit ratings of appraisal.customer_credit with their parts (docs/rules.md, "Credit rating"): financial (0-30) plus non-financial (0-70: quality characteristics 0-35, capital 0-18, credit fulfilment 0-17), the grade on customer_grade_scale, the optional financial ratios, and whether the customer''s latest rating is stale: re-rated every quarter on the quarter before, a rating whose period ended before the last day of the quarter just ended is older than a quarter.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.period IS 'Period rated (appraisal.periods), usually a quarter.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.period_kind IS 'year, half_year, quarter or month.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.starts_on IS 'First day of the period rated.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.ends_on IS 'Last day of the period rated.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.financial_points IS 'Financial points, 0-30.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.quality_points IS 'Quality characteristics points, 0-35; NULL when the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.capital_points IS 'Capital points, 0-18; NULL when the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.fulfilment_points IS 'Credit fulfilment points, 0-17; NULL when the split was not recorded.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.non_financial_points IS 'Non-financial points, 0-70 (the sum of the three parts when recorded).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rating_points IS 'Credit rating: financial_points + non_financial_points, 0-100.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rating_grade IS 'Grade of the rating on customer_grade_scale (AAA, AA, A, B, C).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.debt_ratio IS 'Debt ratio as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.current_ratio IS 'Current ratio as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.quick_ratio IS 'Quick ratio as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.net_margin IS 'Net margin as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.operating_cash_flow IS 'Operating cash flow as entered (not scored).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rated_by IS 'Who rated.';
COMMENT ON COLUMN appraisal.customer_credit_ratings.latest IS 'True on the customer''s latest rating (the period that ends last).';
COMMENT ON COLUMN appraisal.customer_credit_ratings.rating_stale IS 'True on every row of a customer whose latest rating is older than a quarter: its period ended before the last day of the quarter just ended (today''s quarter start - 1 day).';
