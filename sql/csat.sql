-- Satisfaction (docs/rules.md, "Complaint handling" and "Service levels"): csat_agg / nps_agg into appraisal.csat_stats
-- (counts per rating value), rollup, the accessors csat, csat_mean,
-- csat_lower_bound, nps, responses, rating_count, and the convenience
-- aggregates csat and nps.  Every expected value is worked out by hand in the
-- comment above it; z for 95 % is 1.95996398454005423552..., z² = 3.84145882069412596.

\i test/regress_helpers.sql

-- Wilson score lower bound, classic form, in numeric with 40 decimals: an
-- independent check of the C code (which uses a rearranged form).
CREATE FUNCTION pg_temp.wilson(k numeric, n numeric, z numeric) RETURNS numeric LANGUAGE sql AS $$
  SELECT (p + z * z / (2 * n) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n))) / (1 + z * z / n)
  FROM (SELECT k::numeric(80, 40) / n::numeric(80, 40) AS p) t
$$;
-- z for 95 % and 99 %, to 40 decimals (Φ⁻¹(0.975), Φ⁻¹(0.995))
CREATE FUNCTION pg_temp.z95() RETURNS numeric LANGUAGE sql AS $$ SELECT 1.9599639845400542355245944305205515279555 $$;
CREATE FUNCTION pg_temp.z99() RETURNS numeric LANGUAGE sql AS $$ SELECT 2.5758293035489007609785767486038141173060 $$;

-- Call-back survey, 1-5 scale.  Team B has one unanswered question (NULL).
CREATE TEMP TABLE survey (team text, day int, rating int);
INSERT INTO survey VALUES
  ('A', 1, 5), ('A', 1, 4), ('A', 2, 3), ('A', 2, 5), ('A', 3, 1),
  ('B', 1, 2), ('B', 1, NULL), ('B', 2, 2), ('B', 3, 4);

-- A: 5,4,3,5,1 -> top two (4-5): 3 of 5 = 0.6; mean 18/5 = 3.6
-- B: 2,2,4 (NULL skipped) -> 1 of 3 = 0.3333333333333333; mean 8/3 = 2.6666666666666665
SELECT team, appraisal.csat(rating), appraisal.csat_mean(appraisal.csat_agg(rating)),
       appraisal.responses(appraisal.csat_agg(rating)), appraisal.csat_agg(rating)
FROM survey GROUP BY team ORDER BY team;
SELECT appraisal.csat(rating) = 0.6 AS exactly_0_6, appraisal.csat_mean(appraisal.csat_agg(rating)) = 3.6 AS exactly_3_6
FROM survey WHERE team = 'A';
-- whole: 1=1 2=2 3=1 4=2 5=2, n = 8: csat 4/8 = 0.5, mean (1+4+3+8+10)/8 = 26/8 = 3.25
SELECT appraisal.csat(rating), appraisal.csat_mean(appraisal.csat_agg(rating)), appraisal.csat_agg(rating)
FROM survey;
-- csat_agg(rating, 5) is csat_agg(rating)
SELECT appraisal.csat_agg(rating, 5)::text = appraisal.csat_agg(rating)::text AS same_state,
       appraisal.csat(rating, 5) = appraisal.csat(rating) AS same_csat
FROM survey;

-- Extreme ratings (1 and 5) are less reliable (docs/rules.md, "Complaint handling"): weighted by extreme_weight.
-- A, weight 0.5: weights 0.5,1,1,0.5,0.5 -> (2.5 + 4 + 3 + 2.5 + 0.5) / 3.5 = 12.5 / 3.5
--   = 25/7 = 3.5714285714285716 (nearest double)
-- A, weight 1: the plain mean 3.6; weight 0: only 4 and 3 -> 3.5;
-- weight 2: (10 + 4 + 3 + 10 + 2) / 8 = 29/8 = 3.625
-- B, weight 0.5: no extreme rating -> 8/3 = 2.6666666666666665
SELECT team, appraisal.csat_mean(s, 0.5) AS w_half, appraisal.csat_mean(s, 1) AS w_1,
       appraisal.csat_mean(s, 0) AS w_0, appraisal.csat_mean(s, 2) AS w_2
FROM (SELECT team, appraisal.csat_agg(rating) AS s FROM survey GROUP BY team) t ORDER BY team;
SELECT appraisal.csat_mean(appraisal.csat_agg(rating), 0.5) = 12.5::float8 / 3.5 AS exactly_12_5_over_3_5
FROM survey WHERE team = 'A';
-- only extreme ratings and weight 0: nothing weighs anything -> NULL
SELECT appraisal.csat_mean(appraisal.csat_agg(r), 0) IS NULL AS all_weight_zero
FROM (VALUES (1), (5), (5)) v(r);
-- extreme_weight must be finite and >= 0, checked even on an empty summary
SELECT pg_temp.try($$SELECT appraisal.csat_mean('scale 1..5: 1=1 2=0 3=0 4=0 5=0', -0.5)$$) AS negative_weight;
SELECT pg_temp.try($$SELECT appraisal.csat_mean('empty', -1)$$) AS negative_weight_empty;
SELECT pg_temp.try($$SELECT appraisal.csat_mean('empty', 'NaN')$$) AS nan_weight;
SELECT pg_temp.try($$SELECT appraisal.csat_mean('empty', 'Infinity')$$) AS infinite_weight;
SELECT appraisal.csat_mean('scale 1..5: 1=1 2=0 3=0 4=0 5=0', NULL) IS NULL AS null_weight_null;

-- Counts for auditing: A has two 5s, no 2s; ratings outside the scale are errors
SELECT appraisal.rating_count(s, 5) AS fives, appraisal.rating_count(s, 2) AS twos,
       appraisal.rating_count(s, 1) AS ones
FROM (SELECT appraisal.csat_agg(rating) AS s FROM survey WHERE team = 'A') t;
SELECT pg_temp.try($$SELECT appraisal.rating_count('scale 1..5: 1=1 2=0 3=0 4=0 5=0', 6)$$) AS count_of_6;
SELECT pg_temp.try($$SELECT appraisal.rating_count('scale 1..5: 1=1 2=0 3=0 4=0 5=0', 0)$$) AS count_of_0;

-- Wilson score lower bound of the csat share, 95 % by default:
-- 3 of 3 happy: with p = 1 the bound is n / (n + z²) = 3 / 6.841458820694126 = 0.4385029682449545
-- 300 of 300:   300 / 303.8414588206941 = 0.987357028775454
-- so 3 happy customers of 3 rank below 300 of 300.
CREATE TEMP TABLE happy AS
SELECT n, appraisal.csat_agg(5) AS s FROM generate_series(1, 300) i, (VALUES (3), (300)) v(n)
WHERE i <= n GROUP BY n;
SELECT n, appraisal.csat(s), appraisal.csat_lower_bound(s),
       abs(appraisal.csat_lower_bound(s)::text::numeric - n / (n + pg_temp.z95() * pg_temp.z95())) < 1e-15 AS matches_n_over_n_plus_z2,
       abs(appraisal.csat_lower_bound(s)::text::numeric - pg_temp.wilson(n, n, pg_temp.z95())) < 1e-15 AS matches_wilson
FROM happy ORDER BY n;
SELECT (SELECT appraisal.csat_lower_bound(s) FROM happy WHERE n = 3) <
       (SELECT appraisal.csat_lower_bound(s) FROM happy WHERE n = 300) AS three_below_three_hundred;
-- A, 3 of 5: p = 0.6, z²/2n = 0.3841459, z sqrt(0.24/5 + z²/100) = 0.5761575,
--   (0.6 + 0.3841459 - 0.5761575) / (1 + 0.7682918) = 0.2307242812760129
-- at 99 %: 0.16865619801943219; at 90 %: 0.27248317186619275
-- B, 1 of 3: 0.06149194472039623; at 99 %: 0.040426629296084704; at 90 %: 0.07826572633372839
SELECT team, appraisal.csat_lower_bound(s) AS lb95, appraisal.csat_lower_bound(s, 0.99) AS lb99,
       appraisal.csat_lower_bound(s, 0.9) AS lb90,
       abs(appraisal.csat_lower_bound(s)::text::numeric - pg_temp.wilson(appraisal.rating_count(s, 4) + appraisal.rating_count(s, 5), appraisal.responses(s), pg_temp.z95())) < 1e-15 AS wilson95,
       abs(appraisal.csat_lower_bound(s, 0.99)::text::numeric - pg_temp.wilson(appraisal.rating_count(s, 4) + appraisal.rating_count(s, 5), appraisal.responses(s), pg_temp.z99())) < 1e-15 AS wilson99
FROM (SELECT team, appraisal.csat_agg(rating) AS s FROM survey GROUP BY team) t ORDER BY team;
-- nobody happy: the bound is 0; a higher confidence gives a lower bound
SELECT appraisal.csat_lower_bound('scale 1..5: 1=2 2=1 3=0 4=0 5=0') AS none_happy,
       appraisal.csat_lower_bound(s, 0.5) > appraisal.csat_lower_bound(s, 0.95) AND
       appraisal.csat_lower_bound(s, 0.95) > appraisal.csat_lower_bound(s, 0.999999) AS monotone
FROM happy WHERE n = 300;
-- extreme confidences still give a bound in [0, 1]: 1 - 2^-53 reads as the decimal
-- 0.99999999999999989, whose z is 8.2934610159405 (z² = 68.78154), so 300 of 300 give
-- 300 / 368.78154 = 0.81348984; for 1e-300 z is about 0 and the bound is the share itself
SELECT round(appraisal.csat_lower_bound(s, 1 - 2 ^ -53)::text::numeric, 8) AS near_one,
       appraisal.csat_lower_bound(s, 1e-300) = 1 AS near_zero
FROM happy WHERE n = 300;
-- z is accurate to the last bit (about 1e-19 relative): over a range of shares, sizes
-- and confidences every bound lies within one unit in the last place of the Wilson
-- formula in 40-digit numeric, and all but one are the nearest double: 1 of 3 at 50 %,
-- 0.18281725015861317874, lies 0.00009 units from the midpoint of two doubles.
SELECT count(*) AS bounds, count(*) FILTER (WHERE abs(lb::text::numeric - exact) < 2 ^ -52 * exact) AS within_an_ulp,
       count(*) FILTER (WHERE lb = exact::float8) AS nearest_double,
       string_agg(format('%s of %s at %s', k, n, c), ', ') FILTER (WHERE lb <> exact::float8) AS not_nearest
FROM (SELECT k, n, c, appraisal.csat_lower_bound(format('scale 1..5: 1=%s 2=0 3=0 4=0 5=%s', n - k, k)::appraisal.csat_stats, c) AS lb,
             pg_temp.wilson(k, n, z) AS exact
FROM (VALUES (1, 1), (3, 3), (300, 300), (3, 5), (1, 3), (60, 100), (999, 1000), (1, 1000000), (123456, 234567)) kn(k, n),
     (VALUES (0.9, 1.6448536269514727148638489079916321360832), (0.95, pg_temp.z95()), (0.99, pg_temp.z99()),
             (0.5, 0.6744897501960817432022270145413071853869), (0.999, 3.2905267314918947932216270353746491792162)) cz(c, z)) t;
-- confidence must lie strictly between 0 and 1
SELECT pg_temp.try($$SELECT appraisal.csat_lower_bound('empty', 1)$$) AS confidence_1;
SELECT pg_temp.try($$SELECT appraisal.csat_lower_bound('empty', 0)$$) AS confidence_0;
SELECT pg_temp.try($$SELECT appraisal.csat_lower_bound('empty', 95)$$) AS confidence_95;
SELECT pg_temp.try($$SELECT appraisal.csat_lower_bound('empty', -0.5)$$) AS confidence_negative;
SELECT pg_temp.try($$SELECT appraisal.csat_lower_bound('empty', 'NaN')$$) AS confidence_nan;
SELECT pg_temp.try($$SELECT appraisal.csat_lower_bound('empty', '-Infinity')$$) AS confidence_infinite;

-- NPS on the 0-10 scale: promoters 9-10, passives 7-8, detractors 0-6.
-- 10,9,8,7,6,0: promoters 2, detractors 2 of 6 -> 100 (2 - 2) / 6 = 0
SELECT appraisal.nps(r) FROM (VALUES (10), (9), (8), (7), (6), (0)) v(r);
-- 10,10,9,9,9,8,7,3,0,6: promoters 5, passives 2, detractors 3 of 10 -> 100 (5 - 3) / 10 = 20;
-- csat on 0-10 is the share of 9-10 = 5/10 = 0.5; mean 71/10 = 7.1;
-- extremes 0 and 10 at weight 0.5: (0.5 (10 + 10 + 0) + 51) / (1.5 + 7) = 61 / 8.5 = 7.176470588235294
SELECT appraisal.nps(r) = 20 AS exactly_20, appraisal.nps(r), appraisal.nps(appraisal.nps_agg(r)),
       appraisal.csat(appraisal.nps_agg(r)), appraisal.csat_mean(appraisal.nps_agg(r)),
       appraisal.csat_mean(appraisal.nps_agg(r), 0.5), appraisal.nps_agg(r)
FROM (VALUES (10), (10), (9), (9), (9), (8), (7), (3), (0), (6)) v(r);
-- all promoters 100, all detractors -100; 1 promoter, 2 detractors: -100/3 = -33.333333333333336
SELECT appraisal.nps(r) FROM (VALUES (9), (10)) v(r);
SELECT appraisal.nps(r) FROM (VALUES (0), (6), (NULL)) v(r);
SELECT appraisal.nps(r) FROM (VALUES (10), (6), (2)) v(r);
-- boundaries: 0 and 10 are ratings, -1 and 11 are not
SELECT appraisal.nps(r), appraisal.responses(appraisal.nps_agg(r)) FROM (VALUES (0), (10)) v(r);
SELECT pg_temp.try($$SELECT appraisal.nps(11)$$) AS nps_11;
SELECT pg_temp.try($$SELECT appraisal.nps(-1)$$) AS nps_minus_1;
SELECT pg_temp.try($$SELECT appraisal.nps_agg(r) FROM (VALUES (10), (11)) v(r)$$) AS nps_agg_11;
-- nps needs a 0-10 summary
SELECT pg_temp.try($$SELECT appraisal.nps(appraisal.csat_agg(5))$$) AS nps_of_csat;
SELECT pg_temp.try($$SELECT appraisal.nps(appraisal.csat_agg(10, 10))$$) AS nps_of_1_to_10;

-- Other scales: 1..scale_max, scale_max from 2 to 10.
-- 1-7: 7,6,5,1 -> top two (6-7): 2 of 4 = 0.5; mean 19/4 = 4.75; extremes 1 and 7 at weight 0: (6+5)/2 = 5.5
SELECT appraisal.csat(r, 7), appraisal.csat_mean(appraisal.csat_agg(r, 7)),
       appraisal.csat_mean(appraisal.csat_agg(r, 7), 0), appraisal.csat_agg(r, 7)
FROM (VALUES (7), (6), (5), (1)) v(r);
-- 1-2: the top two are every rating: 1,2,1 -> 1
SELECT appraisal.csat(r, 2), appraisal.csat_agg(r, 2) FROM (VALUES (1), (2), (1)) v(r);
-- 1-10: 10 is a rating (top two 9-10: 1 of 1), 11 and 0 are not
SELECT appraisal.csat(10, 10), appraisal.csat_agg(10, 10);
SELECT pg_temp.try($$SELECT appraisal.csat(11, 10)$$) AS rating_11_of_10;
SELECT pg_temp.try($$SELECT appraisal.csat(0, 10)$$) AS rating_0_of_10;
SELECT pg_temp.try($$SELECT appraisal.csat(6)$$) AS rating_6_of_5;
SELECT pg_temp.try($$SELECT appraisal.csat(0)$$) AS rating_0_of_5;
SELECT pg_temp.try($$SELECT appraisal.csat_agg(r) FROM (VALUES (5), (-3)) v(r)$$) AS rating_minus_3;
-- unsupported scales
SELECT pg_temp.try($$SELECT appraisal.csat(1, 1)$$) AS scale_max_1;
SELECT pg_temp.try($$SELECT appraisal.csat(5, 11)$$) AS scale_max_11;
SELECT pg_temp.try($$SELECT appraisal.csat_agg(0, 0)$$) AS scale_max_0;
-- a rated row without scale_max is an error; a row without a rating is left out whole
SELECT pg_temp.try($$SELECT appraisal.csat(r, s) FROM (VALUES (5, 5), (4, NULL)) v(r, s)$$) AS null_scale_max;
SELECT appraisal.csat(r, s), appraisal.csat_agg(r, s) FROM (VALUES (5, 5), (NULL, NULL), (NULL, 7)) v(r, s);
-- one scale per group: scale_max may not change between rows
SELECT pg_temp.try($$SELECT appraisal.csat(r, s) FROM (VALUES (5, 5), (3, 7)) v(r, s)$$) AS mixed_scales;
SELECT r7.s, appraisal.csat(r7.r, r7.s) FROM (VALUES (5, 5), (3, 7), (7, 7)) r7(r, s) GROUP BY r7.s ORDER BY r7.s;

-- NULLs and nothing at all: ratios and means NULL, responses 0, the summary 'empty'
SELECT appraisal.csat(r) IS NULL AS csat_null, appraisal.nps(r) IS NULL AS nps_null,
       appraisal.csat(r, 7) IS NULL AS csat7_null, appraisal.csat_agg(r), appraisal.nps_agg(r),
       appraisal.responses(appraisal.csat_agg(r))
FROM (VALUES (NULL::int), (NULL)) v(r);
SELECT appraisal.csat(rating) IS NULL AS csat_null, appraisal.nps(rating) IS NULL AS nps_null,
       appraisal.csat_agg(rating), appraisal.nps_agg(rating), appraisal.responses(appraisal.nps_agg(rating))
FROM survey WHERE false;
SELECT appraisal.csat('empty'::appraisal.csat_stats) IS NULL AS csat_null,
       appraisal.csat_mean('empty') IS NULL AS mean_null,
       appraisal.csat_mean('empty', 0.5) IS NULL AS weighted_mean_null,
       appraisal.csat_lower_bound('empty') IS NULL AS lower_bound_null,
       appraisal.nps('empty'::appraisal.csat_stats) IS NULL AS nps_null,
       appraisal.responses('empty') AS responses,
       appraisal.rating_count('empty', 3) AS count_of_3;

-- Two-step: daily summaries per team, rolled up per team and overall.
CREATE TEMP TABLE daily AS
SELECT team, day, appraisal.csat_agg(rating) AS stats FROM survey GROUP BY team, day;
SELECT * FROM daily ORDER BY team, day;
-- rollup of the days is the summary of all rows, per team and overall
SELECT team, appraisal.rollup(stats)::text = (SELECT appraisal.csat_agg(rating)::text FROM survey s WHERE s.team = d.team) AS rollup_is_whole
FROM daily d GROUP BY team ORDER BY team;
SELECT appraisal.rollup(stats), appraisal.rollup(stats)::text = (SELECT appraisal.csat_agg(rating)::text FROM survey) AS rollup_is_whole,
       appraisal.csat(appraisal.rollup(stats))
FROM daily;
-- an empty summary and a NULL one combine with anything; rollup of nothing is empty
SELECT appraisal.rollup(s) FROM (VALUES ('empty'::appraisal.csat_stats), (NULL), ('scale 0..10: 0=1 1=0 2=0 3=0 4=0 5=0 6=0 7=0 8=0 9=0 10=2'), ('empty')) v(s);
SELECT appraisal.rollup(stats) FROM daily WHERE false;
-- different scales do not combine
SELECT pg_temp.try($$SELECT appraisal.rollup(s) FROM (SELECT appraisal.csat_agg(5) UNION ALL SELECT appraisal.nps_agg(10)) v(s)$$) AS csat_with_nps;
SELECT pg_temp.try($$SELECT appraisal.rollup(s) FROM (SELECT appraisal.csat_agg(5, 7) UNION ALL SELECT 'empty' UNION ALL SELECT appraisal.csat_agg(5, 5)) v(s)$$) AS seven_with_five;

-- Moving windows (exact inverse).  Last two rows: 5 | 5,4 | 4,- | -,1 | 1,5 -> csat 1, 1, 1, 0, 0.5
SELECT i, appraisal.csat(r) OVER w, appraisal.csat_agg(r) OVER w
FROM (VALUES (1, 5), (2, 4), (3, NULL), (4, 1), (5, 5)) v(i, r)
WINDOW w AS (ORDER BY i ROWS 1 PRECEDING) ORDER BY i;
-- a frame is a group: once the 1-5 rating has left the frame, a 1-7 one may enter
SELECT i, appraisal.csat(r, s) OVER w, appraisal.csat_agg(r, s) OVER w
FROM (VALUES (1, 5, 5), (2, NULL, 7), (3, 6, 7), (4, 7, 7)) v(i, r, s)
WINDOW w AS (ORDER BY i ROWS 1 PRECEDING) ORDER BY i;
SELECT pg_temp.try($$SELECT appraisal.csat(r, s) OVER (ORDER BY i ROWS 1 PRECEDING) FROM (VALUES (1, 5, 5), (2, 6, 7)) v(i, r, s)$$) AS mixed_in_frame;
-- every moving form equals recomputing its frame from scratch, over 300 rows with NULLs
CREATE TEMP TABLE series AS
SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + (i * 7919 % 10007) % 5 END AS r5,
       CASE WHEN i % 13 = 0 THEN NULL ELSE 1 + (i * 31 % 10037) % 7 END AS r7,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 104729 % 10009) % 11 END AS r10
FROM generate_series(1, 300) i;
CREATE TEMP TABLE series_daily AS
SELECT i, CASE WHEN i % 5 = 0 THEN NULL ELSE appraisal.csat_agg(r5) END AS stats
FROM series GROUP BY i;
SELECT count(*) AS rows,
       count(*) FILTER (WHERE w.c5 IS NOT DISTINCT FROM f.c5 AND w.s5 = f.s5 AND w.c7 IS NOT DISTINCT FROM f.c7
                          AND w.s7 = f.s7 AND w.n10 IS NOT DISTINCT FROM f.n10 AND w.s10 = f.s10) AS equal,
       count(*) FILTER (WHERE w.c5 IS NULL) AS empty_frames
FROM (SELECT i, appraisal.csat(r5) OVER w AS c5, (appraisal.csat_agg(r5) OVER w)::text AS s5,
             appraisal.csat(r7, 7) OVER w AS c7, (appraisal.csat_agg(r7, 7) OVER w)::text AS s7,
             appraisal.nps(r10) OVER w AS n10, (appraisal.nps_agg(r10) OVER w)::text AS s10
      FROM series WINDOW w AS (ORDER BY i ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)) w
JOIN LATERAL (SELECT appraisal.csat(r5) AS c5, appraisal.csat_agg(r5)::text AS s5,
                     appraisal.csat(r7, 7) AS c7, appraisal.csat_agg(r7, 7)::text AS s7,
                     appraisal.nps(r10) AS n10, appraisal.nps_agg(r10)::text AS s10
              FROM series s WHERE s.i BETWEEN w.i - 3 AND w.i - 1) f ON true;
-- rollup as a moving window: a rolling 7-day summary of daily summaries
SELECT count(*) AS days, count(*) FILTER (WHERE w.s = f.s) AS equal
FROM (SELECT i, (appraisal.rollup(stats) OVER (ORDER BY i ROWS 6 PRECEDING))::text AS s FROM series_daily) w
JOIN LATERAL (SELECT appraisal.rollup(stats)::text AS s FROM series_daily d WHERE d.i BETWEEN w.i - 6 AND w.i) f ON true;

-- the transition functions called directly do not change their argument
WITH s AS (SELECT 'scale 1..5: 1=0 2=0 3=0 4=1 5=1'::appraisal.csat_stats AS st)
SELECT appraisal.csat_trans(st, 3) AS added, appraisal.csat_inv(st, 5) AS removed, st AS unchanged FROM s;
-- removing the last rating leaves the empty summary; removing what is not there is an error
SELECT appraisal.csat_inv('scale 1..5: 1=0 2=0 3=0 4=0 5=1', 5) AS emptied,
       appraisal.nps_inv(appraisal.nps_trans('empty', 7), 7) AS emptied_nps,
       appraisal.csat_stats_combine_inv('scale 1..5: 1=0 2=0 3=0 4=1 5=1', 'scale 1..5: 1=0 2=0 3=0 4=1 5=0') AS uncombined,
       appraisal.csat_trans(NULL, 4, 7) AS from_null, appraisal.csat_trans('empty', NULL, NULL) AS null_rating;
SELECT pg_temp.try($$SELECT appraisal.csat_inv('scale 1..5: 1=0 2=0 3=0 4=0 5=1', 4)$$) AS remove_absent;
SELECT pg_temp.try($$SELECT appraisal.csat_inv('empty', 4)$$) AS remove_from_empty;
SELECT pg_temp.try($$SELECT appraisal.csat_stats_combine_inv('scale 1..5: 1=0 2=0 3=0 4=0 5=1', 'scale 1..5: 1=0 2=0 3=0 4=1 5=1')$$) AS uncombine_too_much;

-- Text form: canonical, reads back to the same value
SELECT team, stats::text::appraisal.csat_stats::text = stats::text AS round_trip
FROM daily ORDER BY team, day;
SELECT '  scale 1..5 :1=0   2=1 3=0 4 = 3 5=10 '::appraisal.csat_stats AS spaced,
       ' empty '::appraisal.csat_stats AS empty,
       'scale 0..10: 0=0 1=0 2=0 3=0 4=0 5=0 6=0 7=0 8=0 9=0 10=1'::appraisal.csat_stats::text AS nps_scale;
-- white space is the six characters isspace() takes in the C locale; ratings
-- and counts may carry a sign
SELECT E'scale\t1 ..\n5\f:\x0b1 = 0 2=+1\r3=0 +4=3 5=10\n'::appraisal.csat_stats AS every_blank;
-- malformed text quotes the bad token (22P02)
SELECT pg_temp.try($$SELECT ''::appraisal.csat_stats$$) AS empty_text;
SELECT pg_temp.try($$SELECT 'full'::appraisal.csat_stats$$) AS unknown_word;
SELECT pg_temp.try($$SELECT 'Scale 1..5: 1=0 2=1 3=0 4=3 5=10'::appraisal.csat_stats$$) AS capital;
SELECT pg_temp.try($$SELECT 'empty 1=0'::appraisal.csat_stats$$) AS empty_with_counts;
SELECT pg_temp.try($$SELECT 'scale 1-5: 1=0 2=1 3=0 4=3 5=10'::appraisal.csat_stats$$) AS dash;
SELECT pg_temp.try($$SELECT 'scale 1..5 1=0 2=1 3=0 4=3 5=10'::appraisal.csat_stats$$) AS no_colon;
SELECT pg_temp.try($$SELECT 'scale ..5: 1=0 2=1 3=0 4=3 5=10'::appraisal.csat_stats$$) AS no_min;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=1 3=0 4=3'::appraisal.csat_stats$$) AS missing_5;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=1 3=0 5=10 4=3'::appraisal.csat_stats$$) AS out_of_order;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=1 3=0 4=3 5=10 6=0'::appraisal.csat_stats$$) AS trailing;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=one 3=0 4=3 5=10'::appraisal.csat_stats$$) AS word_count;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=1.5 3=0 4=3 5=10'::appraisal.csat_stats$$) AS fractional_count;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2= 3=0 4=3 5=10'::appraisal.csat_stats$$) AS missing_count;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=1 3=0 4=3 5=10x'::appraisal.csat_stats$$) AS trailing_letter;
SELECT pg_temp.try($$SELECT 'emptyish'::appraisal.csat_stats$$) AS longer_word;
SELECT pg_temp.try(format('SELECT %L::appraisal.csat_stats', E'scale 1..5:\u00a01=0 2=1 3=0 4=3 5=10')) AS no_break_space;
-- impossible values: bad scales, negative or huge counts, a scale without responses (22023, 22003)
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=-1 3=0 4=3 5=10'::appraisal.csat_stats$$) AS negative_count;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=1000000000000001 3=0 4=3 5=10'::appraisal.csat_stats$$) AS count_above_limit;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=99999999999999999999 3=0 4=3 5=10'::appraisal.csat_stats$$) AS count_overflow;
SELECT pg_temp.try($$SELECT 'scale 1..11: 1=0 2=1 3=0 4=3 5=10 6=0 7=0 8=0 9=0 10=0 11=0'::appraisal.csat_stats$$) AS scale_1_11;
SELECT pg_temp.try($$SELECT 'scale 0..5: 0=0 1=0 2=1 3=0 4=3 5=10'::appraisal.csat_stats$$) AS scale_0_5;
SELECT pg_temp.try($$SELECT 'scale 1..1: 1=1'::appraisal.csat_stats$$) AS scale_1_1;
SELECT pg_temp.try($$SELECT 'scale 2..5: 2=1 3=0 4=3 5=10'::appraisal.csat_stats$$) AS scale_2_5;
SELECT pg_temp.try($$SELECT 'scale 1..99999999999: 1=1'::appraisal.csat_stats$$) AS scale_huge;
SELECT pg_temp.try($$SELECT 'scale 1..5: 1=0 2=0 3=0 4=0 5=0'::appraisal.csat_stats$$) AS no_responses;

-- Binary form: COPY (FORMAT binary) out and back in
CREATE TEMP TABLE copied (LIKE daily);
\copy (SELECT team, day, stats FROM daily) TO 'results/csat.bin' WITH (FORMAT binary)
\copy copied FROM 'results/csat.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trips FROM daily d JOIN copied c USING (team, day)
WHERE d.stats::text = c.stats::text;
-- binary input validates like text input: int4 scale_min, int4 scale_max, then
-- eleven int8 counts for ratings 0..10, crafted as bytea (whose binary form is its bytes)
CREATE FUNCTION pg_temp.raw(lo int, hi int, counts bigint[]) RETURNS bytea LANGUAGE sql AS $$
  SELECT int4send(lo) || int4send(hi) || string_agg(int8send(c), '' ORDER BY k)
  FROM unnest(counts) WITH ORDINALITY u(c, k)
$$;
CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE crafted (stats appraisal.csat_stats);
INSERT INTO raw VALUES (pg_temp.raw(1, 5, '{0,1,0,1,3,10,0,0,0,0,0}')), (pg_temp.raw(0, 0, '{0,0,0,0,0,0,0,0,0,0,0}')),
  (pg_temp.raw(0, 10, '{1,0,0,0,0,0,0,0,0,0,2}'));
\copy raw TO 'results/csat_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/csat_raw.bin' WITH (FORMAT binary)
SELECT stats FROM crafted;
TRUNCATE raw;
INSERT INTO raw VALUES (pg_temp.raw(1, 5, '{0,0,-1,0,3,10,0,0,0,0,0}'));
\copy raw TO 'results/csat_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/csat_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (pg_temp.raw(1, 11, '{0,0,1,0,3,10,0,0,0,0,0}'));
\copy raw TO 'results/csat_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/csat_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (pg_temp.raw(1, 5, '{4,0,1,0,3,10,0,0,0,0,0}'));
\copy raw TO 'results/csat_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/csat_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (pg_temp.raw(1, 5, '{0,0,0,0,0,0,0,0,0,0,0}'));
\copy raw TO 'results/csat_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/csat_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (pg_temp.raw(0, 0, '{0,0,0,1,0,0,0,0,0,0,0}'));
\copy raw TO 'results/csat_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/csat_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(1) || int4send(5) || int8send(0));
\copy raw TO 'results/csat_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/csat_raw.bin' WITH (FORMAT binary)
SELECT count(*) AS still_three FROM crafted;

-- Parallel query: every aggregate runs as Partial Aggregate in workers and
-- combines to exactly the serial answer and to plain SQL.  (A regular table:
-- workers cannot read temporary ones.)
CREATE TABLE par_csat AS
SELECT i % 40 AS team,
       CASE WHEN i % 89 = 0 THEN NULL ELSE 1 + (i * 7919 % 10007) % 5 END AS r5,
       CASE WHEN i % 79 = 0 THEN NULL ELSE 1 + (i * 31 % 10037) % 7 END AS r7,
       CASE WHEN i % 83 = 0 THEN NULL ELSE (i::bigint * 104729 % 10009)::int % 11 END AS r10
FROM generate_series(1, 60000) i;
ANALYZE par_csat;
CREATE VIEW par_csat_groups AS
SELECT team,
       appraisal.csat_agg(r5)::text AS s5, appraisal.csat(r5) AS c5,
       appraisal.csat_mean(appraisal.csat_agg(r5)) AS m5,
       appraisal.csat_mean(appraisal.csat_agg(r5), 0.5) AS w5,
       appraisal.csat_lower_bound(appraisal.csat_agg(r5)) AS lb5,
       appraisal.csat_agg(r7, 7)::text AS s7, appraisal.csat(r7, 7) AS c7,
       appraisal.nps_agg(r10)::text AS s10, appraisal.nps(r10) AS n10
FROM par_csat GROUP BY team;
CREATE VIEW par_csat_total AS
SELECT appraisal.csat_agg(r5)::text AS s5, appraisal.csat(r5) AS c5,
       appraisal.csat_agg(r7, 7)::text AS s7, appraisal.nps(r10) AS n10
FROM par_csat;
CREATE VIEW par_csat_rollup AS
SELECT appraisal.rollup(s)::text AS s5
FROM (SELECT team, appraisal.csat_agg(r5) AS s FROM par_csat GROUP BY team) t;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF) SELECT * FROM par_csat_total;
EXPLAIN (COSTS OFF) SELECT * FROM par_csat_groups;
EXPLAIN (COSTS OFF) SELECT * FROM par_csat_rollup;
SELECT pg_temp.workers_launched('SELECT * FROM par_csat_total') > 0 AS total_in_parallel,
       pg_temp.workers_launched('SELECT * FROM par_csat_groups') > 0 AS groups_in_parallel,
       pg_temp.workers_launched('SELECT * FROM par_csat_rollup') > 0 AS rollup_in_parallel;
CREATE TEMP TABLE par_result AS SELECT * FROM par_csat_groups;
CREATE TEMP TABLE par_sum AS SELECT * FROM par_csat_total;
CREATE TEMP TABLE par_rolled AS SELECT * FROM par_csat_rollup;

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT * FROM par_csat_total;
CREATE TEMP TABLE ser_result AS SELECT * FROM par_csat_groups;
CREATE TEMP TABLE ser_sum AS SELECT * FROM par_csat_total;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- identical answers, team by team, and in total
SELECT count(*) AS teams, count(*) FILTER (WHERE p = s) AS identical
FROM (SELECT team, p::text AS p, s::text AS s
      FROM par_result p JOIN ser_result s USING (team)) t;
SELECT (SELECT p::text FROM par_sum p) = (SELECT s::text FROM ser_sum s) AS totals_identical,
       (SELECT s5 FROM par_rolled) = (SELECT s5 FROM ser_sum) AS rollup_is_total;
SELECT * FROM ser_sum;
-- and equal to plain SQL: the shares and means exactly (one division of the same
-- integers), the weighted mean and Wilson bound to 1e-15
SELECT count(*) AS teams,
       count(*) FILTER (WHERE r.c5 = f.c5 AND r.m5 = f.m5 AND r.c7 = f.c7 AND r.n10 = f.n10) AS exact,
       count(*) FILTER (WHERE abs(r.w5::text::numeric - f.w5) < 1e-15 AND abs(r.lb5::text::numeric - f.lb5) < 1e-15) AS close
FROM ser_result r JOIN (
  SELECT team,
         (count(*) FILTER (WHERE r5 >= 4))::float8 / count(r5) AS c5,
         sum(r5)::float8 / count(r5) AS m5,
         (count(*) FILTER (WHERE r7 >= 6))::float8 / count(r7) AS c7,
         (100 * (count(*) FILTER (WHERE r10 >= 9) - count(*) FILTER (WHERE r10 <= 6)))::float8 / count(r10) AS n10,
         sum(CASE WHEN r5 IN (1, 5) THEN 0.5 ELSE 1 END * r5) / sum(CASE WHEN r5 IN (1, 5) THEN 0.5 ELSE 1 END) FILTER (WHERE r5 IS NOT NULL) AS w5,
         pg_temp.wilson(count(*) FILTER (WHERE r5 >= 4), count(r5), pg_temp.z95()) AS lb5
  FROM par_csat GROUP BY team) f USING (team);

DROP VIEW par_csat_groups, par_csat_total, par_csat_rollup;
DROP TABLE par_csat;

-- extreme_weight is read as the decimal written: with 0.1 the mean is
-- (0.1*(1*7 + 5*763) + 2*374 + 3*13 + 4*12) / (0.1*(7 + 763) + 374 + 13 + 12)
-- = (382.2 + 835) / (77 + 399) = 1217.2 / 476 = 2.557142857... (nearest double
-- 2.557142857142857), not the 2.5571428571428574 the binary 0.1 would give.
SELECT appraisal.csat_mean('scale 1..5: 1=7 2=374 3=13 4=12 5=763', 0.1) AS mean,
       appraisal.csat_mean('scale 1..5: 1=7 2=374 3=13 4=12 5=763', 0.1) = 2.557142857142857 AS exact;
