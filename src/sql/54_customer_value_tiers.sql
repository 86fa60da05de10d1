-- 54: customer value tiers: purchase behaviour and loyalty make the value
-- points, graded gold / silver / ordinary on a grade scale; an ordinary
-- customer with enough potential (growth, the manager's rating) is
-- potential.  Rules: docs/rules.md, "Customer value tiers".

-- Each input is scored 0-100 on a linear range (linear_fraction), the parts
-- of a dimension weighted as one exact fraction (weighted_share_percent); an
-- optional input that is NULL has its weight left out, the others being the
-- whole.  The value points are formed from the loyalty points as shown
-- (truncated), so that the value can be recomputed from the columns shown.
CREATE FUNCTION appraisal.customer_value_tier(sales numeric, batches integer, referrals integer,
                                              recommendation numeric, sales_growth numeric,
                                              potential_rating numeric)
RETURNS TABLE (purchase_points numeric, repurchase_points numeric, referral_points numeric,
               recommendation_points numeric, loyalty_points numeric, value_points numeric,
               growth_points numeric, potential_rating_points numeric, potential_points numeric,
               tier text, tier_reason text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT appraisal.linear_points(customer_value_tier.sales, 0, p.sales_full_at),
         appraisal.linear_points(customer_value_tier.batches, 1, p.batches_full_at),
         appraisal.linear_points(customer_value_tier.referrals, 0, p.referrals_full_at),
         appraisal.linear_points(customer_value_tier.recommendation, 0, 10),
         l.points,
         v.points,
         appraisal.linear_points(customer_value_tier.sales_growth, 0, p.growth_full_at),
         appraisal.linear_points(customer_value_tier.potential_rating, 0, 100),
         pt.points,
         CASE WHEN v.points IS NULL THEN NULL
              WHEN b.lowest AND pt.points >= p.potential_points THEN 'potential'
              ELSE b.label END,
         CASE WHEN v.points IS NULL THEN 'no sales figure'
              WHEN NOT b.lowest THEN format('value %s in %s (from %s)', v.points, b.label, b.lower_bound)
              ELSE format('value %s in %s (below %s), ', v.points, b.label, b.upper_bound)
                   || CASE WHEN pt.points IS NULL THEN 'potential unknown (no sales growth, no potential rating)'
                           WHEN pt.points >= p.potential_points
                           THEN format('potential %s from %s', pt.points, p.potential_points)
                           ELSE format('potential %s below %s', pt.points, p.potential_points) END
         END
  FROM appraisal.customer_value_parameters() p
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.sales, 0, p.sales_full_at) s
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.batches, 1, p.batches_full_at) r
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.referrals, 0, p.referrals_full_at) f
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.recommendation, 0, 10) n
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.sales_growth, 0, p.growth_full_at) g
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_value_tier.potential_rating, 0, 100) m
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(
             ARRAY[p.weight_repurchase,
                   CASE WHEN f.whole IS NOT NULL THEN p.weight_referrals ELSE 0 END,
                   CASE WHEN n.whole IS NOT NULL THEN p.weight_recommendation ELSE 0 END],
             ARRAY[r.part, f.part, n.part], ARRAY[r.whole, f.whole, n.whole]) AS points
  ) l
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(ARRAY[p.weight_purchase, p.weight_loyalty],
                                            ARRAY[s.part, l.points], ARRAY[s.whole, 100]) AS points
  ) v
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(
             ARRAY[CASE WHEN g.whole IS NOT NULL THEN p.weight_growth ELSE 0 END,
                   CASE WHEN m.whole IS NOT NULL THEN p.weight_potential_rating ELSE 0 END],
             ARRAY[g.part, m.part], ARRAY[g.whole, m.whole]) AS points
  ) pt
  LEFT JOIN LATERAL (
    SELECT gb.label, gb.lower_bound, gb.upper_bound,
           gb.rank = (SELECT max(a.rank) FROM appraisal.grade_bands(p.tier_scale) a) AS lowest
    FROM appraisal.grade_bands(p.tier_scale) gb
    WHERE gb.rank = appraisal.grade_rank(v.points::double precision, p.tier_scale)
  ) b ON true;
END;
COMMENT ON FUNCTION appraisal.customer_value_tier(numeric, integer, integer, numeric, numeric, numeric) IS
  'The customer value tier (docs/rules.md, "Customer value tiers") with the settings in effect. Purchase: sales 0 -> 1,000,000 (value_sales_full_at). Loyalty: repurchase (batches 1 -> 12) 50, referrals (0 -> 5) 25, recommendation (0 -> 10) 25, a NULL referral count or recommendation left out. Value = purchase 60 + loyalty 40 (as shown), graded on customer_value_tier_scale (value_tier: gold >= 80, silver >= 60, ordinary). Potential: sales growth (0 -> 25 %) 50 and the manager''s potential rating (0-100) 50, a NULL one left out (both NULL: unknown); in the lowest band, potential of 60 (value_potential_points) or more makes the tier potential. Every points column exact, truncated to two decimals; tier_reason says which bound decided. NULL points and tier for a NULL sales figure.';

CREATE VIEW appraisal.customer_value_tiers WITH (security_invoker = true) AS
WITH years AS (   -- the years some customer has figures for
  SELECT p.period, p.starts_on, p.ends_on
  FROM appraisal.periods p
  WHERE p.kind = 'year' AND EXISTS (SELECT 1 FROM appraisal.customer_figures f WHERE f.period = p.period)
)
SELECT c.customer_id, c.name, y.period, y.starts_on, y.ends_on, f.customer_id IS NOT NULL AS has_figures,
       f.sales, f.batches, f.referrals, f.recommendation, s.sales_growth, s.growth_computed, f.potential_rating,
       t.purchase_points, t.repurchase_points, t.referral_points, t.recommendation_points, t.loyalty_points,
       t.value_points, t.growth_points, t.potential_rating_points, t.potential_points, t.tier,
       CASE WHEN f.customer_id IS NULL THEN 'no figures for the year' ELSE t.tier_reason END AS tier_reason
FROM appraisal.customers c
JOIN years y ON c.first_order_on IS NULL OR c.first_order_on <= y.ends_on
LEFT JOIN appraisal.customer_figures f ON f.customer_id = c.customer_id AND f.period = y.period
LEFT JOIN appraisal.customer_scorecard s ON s.customer_id = c.customer_id AND s.period = y.period
CROSS JOIN LATERAL appraisal.customer_value_tier(f.sales, f.batches, f.referrals, f.recommendation,
                                                 s.sales_growth, f.potential_rating) t;
COMMENT ON VIEW appraisal.customer_value_tiers IS
  'Per customer and year (every year some customer has figures for, from the year of the customer''s first order): the value tier (docs/rules.md, "Customer value tiers": gold, silver, ordinary or potential) from purchase behaviour, loyalty and potential, with each input, each dimension''s points and the reason. A customer without figures for the year is listed with has_figures false and no tier.';
COMMENT ON COLUMN appraisal.customer_value_tiers.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_value_tiers.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customer_value_tiers.period IS 'The year (appraisal.periods of kind year).';
COMMENT ON COLUMN appraisal.customer_value_tiers.starts_on IS 'First day of the year.';
COMMENT ON COLUMN appraisal.customer_value_tiers.ends_on IS 'Last day of the year.';
COMMENT ON COLUMN appraisal.customer_value_tiers.has_figures IS 'True when appraisal.customer_figures holds the customer''s figures for the year; false: no points, no tier.';
COMMENT ON COLUMN appraisal.customer_value_tiers.sales IS 'Sales volume in the year (purchase behaviour).';
COMMENT ON COLUMN appraisal.customer_value_tiers.batches IS 'Order batches in the year (repurchase: the batches after the first).';
COMMENT ON COLUMN appraisal.customer_value_tiers.referrals IS 'New customers referred in the year; NULL: not recorded.';
COMMENT ON COLUMN appraisal.customer_value_tiers.recommendation IS 'Likelihood to recommend, 0-10 (the NPS question); NULL: not asked.';
COMMENT ON COLUMN appraisal.customer_value_tiers.sales_growth IS 'Sales growth in percent, as in appraisal.customer_scorecard: recorded, else computed from the year before.';
COMMENT ON COLUMN appraisal.customer_value_tiers.growth_computed IS 'True when sales_growth was computed from the year before, not recorded.';
COMMENT ON COLUMN appraisal.customer_value_tiers.potential_rating IS 'The sales manager''s rating of the customer''s potential, 0-100; NULL: not rated.';
COMMENT ON COLUMN appraisal.customer_value_tiers.purchase_points IS 'Purchase points, 0-100: sales linear from 0 to value_sales_full_at (1,000,000), clamped.';
COMMENT ON COLUMN appraisal.customer_value_tiers.repurchase_points IS 'Repurchase points, 0-100: batches linear from 1 (no repurchase) to value_batches_full_at (12), clamped.';
COMMENT ON COLUMN appraisal.customer_value_tiers.referral_points IS 'Referral points, 0-100: referrals linear from 0 to value_referrals_full_at (5), clamped; NULL when not recorded.';
COMMENT ON COLUMN appraisal.customer_value_tiers.recommendation_points IS 'Recommendation points, 0-100: the 0-10 answer times 10; NULL when not asked.';
COMMENT ON COLUMN appraisal.customer_value_tiers.loyalty_points IS 'Loyalty points: repurchase, referral and recommendation points weighted 50/25/25 by default (a NULL one left out, the others the whole), exact, truncated to two decimals.';
COMMENT ON COLUMN appraisal.customer_value_tiers.value_points IS 'Value points: purchase and loyalty points weighted 60/40 by default, exact, truncated to two decimals; graded on customer_value_tier_scale.';
COMMENT ON COLUMN appraisal.customer_value_tiers.growth_points IS 'Growth points, 0-100: sales growth linear from 0 % to value_growth_full_at (25 %), clamped; NULL when the growth is unknown.';
COMMENT ON COLUMN appraisal.customer_value_tiers.potential_rating_points IS 'The potential rating as points, 0-100, truncated to two decimals; NULL when not rated.';
COMMENT ON COLUMN appraisal.customer_value_tiers.potential_points IS 'Potential points: growth and potential rating points weighted 50/50 by default (a NULL one left out); NULL when both are unknown.';
COMMENT ON COLUMN appraisal.customer_value_tiers.tier IS 'gold, silver or ordinary (the bands of customer_value_tier_scale for the value points), or potential: in the lowest band with potential points of value_potential_points (60) or more. NULL without figures.';
COMMENT ON COLUMN appraisal.customer_value_tiers.tier_reason IS 'Why: the value points and the bound of their band, and for the lowest band the potential points against value_potential_points; ''no figures for the year'' without figures.';
