-- linear_score(value, zero_at, full_at): points on a linear 0-100 scale (docs/rules.md, "Customer score").
-- Every expected value is worked out by hand in the comment above it.

-- The §8 worked example, component by component:
-- sales 2,000,000 on 100k..2.1M: 100 * 1,900,000 / 2,000,000 = 95
-- growth 25 % on 0..25 %: at full_at = 100 (as a percentage and as a fraction)
-- collection 92 % on 90..100 %: 100 * 2 / 10 = 20
-- returns 6 % on 5 % -> 1 % (reversed): 100 * (6 - 5) / (1 - 5) = -25, clamped to 0
SELECT appraisal.linear_score(2000000, 100000, 2100000) AS sales,
       appraisal.linear_score(25, 0, 25) AS growth_pct,
       appraisal.linear_score(0.25, 0, 0.25) AS growth,
       appraisal.linear_score(92, 90, 100) AS collection,
       appraisal.linear_score(6, 5, 1) AS returns;
-- exact, not merely close: each is the double it should be
SELECT appraisal.linear_score(2000000, 100000, 2100000) = 95 AS sales_95,
       appraisal.linear_score(0.25, 0, 0.25) = 100 AS growth_100,
       appraisal.linear_score(92, 90, 100) = 20 AS collection_20,
       appraisal.linear_score(6, 5, 1) = 0 AS returns_0;

-- forward scale 90..100: at zero_at 0, at full_at 100, beyond either end clamped,
-- between linear: 95 -> 50, 97.5 -> 75
SELECT v, appraisal.linear_score(v, 90, 100) AS points
FROM (VALUES (-1e9::float8), (80), (90), (95), (97.5), (100), (110), (1e9)) t(v);

-- reversed scale 5 -> 1 (return rate): >= 5 -> 0, <= 1 -> 100,
-- 3 -> 100 * (3 - 5) / (1 - 5) = 50, 2 -> 75, 1.8 -> 100 * -3.2 / -4 = 80, 4 -> 25
SELECT v, appraisal.linear_score(v, 5, 1) AS points
FROM (VALUES (0::float8), (0.5), (1), (1.8), (2), (3), (4), (5), (6), (100)) t(v);

-- exactly at zero_at gives 0, never -0 (reversed: 100 * 0 / -4 would be -0)
SELECT appraisal.linear_score(5, 5, 1)::text AS at_zero_reversed;

-- negative ranges: -5 on -10..0 -> 100 * 5 / 10 = 50
SELECT appraisal.linear_score(-5, -10, 0) AS neg_range;
-- extreme magnitudes stay finite: 0 on -1e308..1e308 is the midpoint, 50;
-- 1e308 is full_at, 100
SELECT appraisal.linear_score(0, -1e308, 1e308) AS mid,
       appraisal.linear_score(1e308, -1e308, 1e308) AS top;

-- strict: NULL in, NULL out
SELECT appraisal.linear_score(NULL, 0, 1) IS NULL AS null_value,
       appraisal.linear_score(1, NULL, 1) IS NULL AS null_zero_at;

-- errors: a scale of zero width, and non-finite arguments (named)
SELECT appraisal.linear_score(3, 5, 5);
SELECT appraisal.linear_score('NaN', 0, 1);
SELECT appraisal.linear_score('Infinity', 0, 1);
SELECT appraisal.linear_score(1, '-Infinity', 1);
SELECT appraisal.linear_score(1, 0, 'NaN');
-- their SQLSTATEs: 22023 for zero width and NaN, 22003 for infinities
DO $$
DECLARE
  q text;
BEGIN
  FOREACH q IN ARRAY ARRAY[
    'SELECT appraisal.linear_score(3, 5, 5)',
    'SELECT appraisal.linear_score(''NaN'', 0, 1)',
    'SELECT appraisal.linear_score(''Infinity'', 0, 1)']
  LOOP
    BEGIN
      EXECUTE q;
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE '%: %', SQLSTATE, SQLERRM;
    END;
  END LOOP;
END
$$;
