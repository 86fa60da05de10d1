-- The exact arithmetic behind every figure a scorecard shows (percent.c),
-- one implementation of each rule: the percent of a fraction truncated to
-- two decimals, the weighted mean of such percents, points on a linear range.
\set SHOW_CONTEXT never
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- share_percent: 100 * part / whole truncated, never rounded up: 2/3 -> 66.66,
-- 1/3 -> 33.33, 1/1 -> 100.00, 0/7 -> 0.00, 1/10000 -> 0.01, 1/10001 -> 0.00
-- (0.0099990...); -1/3 truncates toward zero -> -33.33; whole 0 or below -> NULL
SELECT appraisal.share_percent(2, 3) AS two_thirds, appraisal.share_percent(1, 3) AS third,
       appraisal.share_percent(1, 1) AS whole, appraisal.share_percent(0, 7) AS nothing,
       appraisal.share_percent(1, 10000) AS hundredth, appraisal.share_percent(1, 10001) AS under_hundredth,
       appraisal.share_percent(-1, 3) AS negative, appraisal.share_percent(1, 0) IS NULL AS zero_whole,
       appraisal.share_percent(1, -3) IS NULL AS negative_whole, appraisal.share_percent(NULL, 3) IS NULL AS null_part;
-- hundredths beyond bigint: 100 * (2^63 - 1) / 1 = 922337203685477580700.00 exactly;
-- (2^63 - 1) / (2^63 - 2): 100.0000000000000000108... -> 100.00
SELECT appraisal.share_percent(9223372036854775807, 1) AS huge,
       appraisal.share_percent(9223372036854775807, 9223372036854775806) AS just_over_100;

-- weighted_share_percent: one fraction.  40 % of 9/10, 30 % of 8/10, 30 % of 4/5:
-- (0.4*0.9 + 0.3*0.8 + 0.3*0.8) / 1 = 0.84 -> 84.00; 30 % of 1/3 and 30 % of 2/3:
-- (0.1 + 0.2) / 0.6 = 0.5 -> 50.00, never 49.99; weights 1 and 2 of 1/3 and 1/3:
-- exactly 1/3 -> 33.33; a zero weight leaves its part out (even a NULL one): 1/4 -> 25.00
SELECT appraisal.weighted_share_percent('{40,30,30}', '{9,8,4}', '{10,10,5}') AS p84,
       appraisal.weighted_share_percent('{30,30}', '{1,2}', '{3,3}') AS p50,
       appraisal.weighted_share_percent('{1,2}', '{1,1}', '{3,3}') AS p33,
       appraisal.weighted_share_percent('{1,0}', '{1,NULL}', '{4,NULL}') AS zero_weight;
-- no evidence: a weighted part without whole, a zero whole, every weight 0, no parts -> NULL
SELECT appraisal.weighted_share_percent('{1,1}', '{1,NULL}', '{2,2}') IS NULL AS null_part,
       appraisal.weighted_share_percent('{1,1}', '{1,1}', '{2,0}') IS NULL AS zero_whole,
       appraisal.weighted_share_percent('{0,0}', '{1,1}', '{2,2}') IS NULL AS no_weight,
       appraisal.weighted_share_percent(NULL, NULL, NULL) IS NULL AS no_parts;
-- decimal wholes: 1 of 1.5 and 1 of 2.5, equal weights: (2/3 + 2/5) / 2 = 8/15
-- = 0.5333... -> 53.33; arrays are read in order whatever their lower bound:
-- weights 1 and 3 of 1/2 and 1/4 -> (0.5 + 0.75) / 4 -> 31.25; 10,000 parts
-- 1/1, 1/2, ... 1/10000 with equal weights (the sums stay exact over the
-- least common multiple of 1..10000): H(10000) / 10000 = 0.000978... -> 0.09
SELECT appraisal.weighted_share_percent('{1,1}', '{1,1}', '{1.5,2.5}') AS decimal_wholes,
       appraisal.weighted_share_percent('[0:1]={1,3}', '{1,1}', '{2,4}') AS lower_bound_0,
       (SELECT appraisal.weighted_share_percent(array_agg(1::numeric), array_agg(1::numeric), array_agg(i::numeric))
          FROM generate_series(1, 10000) i) AS harmonic;
-- errors: lengths differ, a negative or NULL weight, NaN and infinite numbers,
-- an array of two dimensions
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{1,1}', '{1}', '{1,1}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{1}', NULL, '{1}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{-1}', '{1}', '{1}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{NULL}', '{1}', '{1}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{NaN}', '{1}', '{1}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{1}', '{Infinity}', '{1}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{1}', '{1}', '{-Infinity}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_share_percent('{{1,1},{1,1}}', '{1,1,1,1}', '{2,2,2,2}')$$);

-- One linear rule, three forms: linear_fraction (the exact fraction),
-- linear_points (its percent, truncated) and linear_score (in double
-- precision).  On 0 -> 3: 1 is 1/3 -> 33.33 and 33.333333333333336 (the
-- double nearest 100/3), 2 is 2/3 -> 66.66 and 66.66666666666667, 4 is
-- clamped to 3/3 -> 100.00 and 100, -1 to 0/3 -> 0.00 and 0.
SELECT v, f.part, f.whole, appraisal.linear_points(v, 0, 3) AS points,
       appraisal.linear_score(v::float8, 0, 3) AS score
FROM (VALUES (-1::numeric), (0), (1), (2), (3), (4)) t(v)
CROSS JOIN LATERAL appraisal.linear_fraction(v, 0, 3) f;
-- decimals as written: (98.1, 90, 99) is 8.1/9 = 90 exactly in every form;
-- 89.999 on 0..100 is 89.99 as points (truncated) and 89.999 as a score
SELECT appraisal.linear_points(98.1, 90, 99) AS points_90, appraisal.linear_score(98.1, 90, 99) AS score_90,
       appraisal.linear_points(89.999, 0, 100) AS points_89_99, appraisal.linear_score(89.999, 0, 100) AS score_89_999;
-- reversed (return rate 5 -> 1): 2 is (5 - 2) / 4 = 3/4 -> 75.00; 6 -> 0.00; 0.5 -> 100.00
SELECT (appraisal.linear_fraction(2, 5, 1)).*, appraisal.linear_points(2, 5, 1) AS p75,
       appraisal.linear_points(6, 5, 1) AS p0, appraisal.linear_points(0.5, 5, 1) AS p100;
-- a NULL value is no points; a range without two different ends is an error
-- even then; NaN and infinities are errors, named (NaN used to give 100)
SELECT appraisal.linear_points(NULL, 0, 3) IS NULL AS null_points, (appraisal.linear_fraction(NULL, 0, 3)).*;
SELECT pg_temp.try($$SELECT appraisal.linear_points(NULL, 3, 3)$$);
SELECT pg_temp.try($$SELECT appraisal.linear_points(1, NULL, 3)$$);
SELECT pg_temp.try($$SELECT appraisal.linear_points('NaN', 0, 3)$$);
SELECT pg_temp.try($$SELECT appraisal.linear_fraction(1, 'Infinity', 3)$$);
SELECT pg_temp.try($$SELECT appraisal.linear_points(1, 0, '-Infinity')$$);

-- The rates of the summary types as the scorecards show them, by the same
-- rule: compliance met 2 of judged 2 + 1 + 0 = 3 (the 5 pending are not
-- judged) -> 66.66 (the share: 0.6666666666666666); 1 met of 1 + 0 + 2 ->
-- 33.33; fcr first contact 1 of resolved 3 -> 33.33, recurrence 2 of 3 ->
-- 66.66; csat 4 and 5 of 1..5: 1 + 1 of 2 + 1 + 1 = 4 -> 50.00
SELECT appraisal.compliance_percent('met=2 late=1 overdue=0 pending=5 elapsed=7200s') AS compliance,
       appraisal.compliance('met=2 late=1 overdue=0 pending=5 elapsed=7200s') AS as_share,
       appraisal.compliance_percent('met=1 late=0 overdue=2 pending=0 elapsed=60s') AS with_overdue,
       appraisal.fcr_percent('resolved=3 first_contact=1 recurred=2') AS fcr,
       appraisal.recurrence_percent('resolved=3 first_contact=1 recurred=2') AS recurrence,
       appraisal.csat_percent('scale 1..5: 1=2 2=0 3=0 4=1 5=1') AS csat;
-- nothing judged, resolved or answered -> NULL; counts whose sum passes
-- bigint: met of 3 x (2^63 - 1) judged -> 33.33
SELECT appraisal.compliance_percent('met=0 late=0 overdue=0 pending=3 elapsed=0s') IS NULL AS nothing_judged,
       appraisal.fcr_percent('resolved=0 first_contact=0 recurred=0') IS NULL AS nothing_resolved,
       appraisal.csat_percent('empty') IS NULL AS no_responses,
       appraisal.compliance_percent('met=9223372036854775807 late=9223372036854775807 overdue=9223372036854775807 pending=0 elapsed=0s') AS huge;

-- A KPI's range is judged as linear_points reads it: 1 and 1.0000000000000002
-- are the same 15 significant digits, one end twice, refused when entered
-- (not later, by every overall appraisal of the position)
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at)
                     VALUES ('specialist', 'thin range', 1, 1, 1.0000000000000002)$$);

-- Mean business hours as the scorecards show them (mean_elapsed_hours):
-- exact, truncated.  Met and late both count: 43200 s over 2 finished items
-- is 6.00 h; 1 µs less is 5.99999999986 h -> 5.99; 3 late items of an hour
-- -> 1.00; only overdue and pending items -> NULL.
SELECT appraisal.mean_elapsed_hours('met=1 late=1 overdue=0 pending=0 elapsed=43200s') AS six,
       appraisal.mean_elapsed_hours('met=1 late=1 overdue=0 pending=0 elapsed=43199.999999s') AS just_under_six,
       appraisal.mean_elapsed_hours('met=0 late=3 overdue=7 pending=1 elapsed=10800s') AS late_count,
       appraisal.mean_elapsed_hours('met=0 late=0 overdue=4 pending=2 elapsed=0s') IS NULL AS none_finished;
