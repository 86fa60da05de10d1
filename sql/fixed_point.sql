-- Scores are summed as exact decimals (fixed.c).  Two invariants, checked on
-- 200,000 pseudo-random scores each (fixed seed), one summary per score:

SELECT setseed(0.42);
-- 1. a decimal of up to 15 significant digits is summed exactly as written
SELECT count(*) AS decimals_changed FROM (
  SELECT d, substring(appraisal.rating_agg(d::float8, 'peer')::text FROM 'sum=([0-9.]+)')::numeric AS held
  FROM (SELECT i, round((random() * 100)::numeric, (random() * 13)::int) AS d
        FROM generate_series(1, 200000) i) t
  GROUP BY i, d) s
WHERE held <> d;

-- 2. any double in [0.01, 100] (here computed, with 16-17 significant digits)
--    is summed as a decimal that reads back as the very same double (below
--    0.01, 17 digits would need more than the 18 decimals held)
SELECT count(*) AS doubles_changed FROM (
  SELECT x, substring(appraisal.rating_agg(x, 'peer')::text FROM 'sum=([0-9.]+)')::float8 AS held
  FROM (SELECT i, 0.01 + random() * 99.99 AS x FROM generate_series(1, 200000) i
        UNION ALL SELECT -i, 100.0 / i FROM generate_series(1, 10000) i
        UNION ALL SELECT -10000 - i, 2.0 ^ -i FROM generate_series(0, 6) i) t
  GROUP BY i, x) s
WHERE held <> x;

-- edge values: whole numbers, powers of two, decimals next to powers of ten,
-- 16-digit decimals (kept to 17 digits), values below 10^-18 (lost)
SELECT s AS score, appraisal.rating_agg(s, 'peer') AS summary
FROM (VALUES (0::float8), (100), (64), (0.5), (0.125), (89.7), (0.1), (0.001), (0.00099999),
             (99.99999999999999), (9.999999999999999), (89.99999999999999),
             (100.0 / 3), (1e-17), (1e-19), (5e-324)) v(s)
GROUP BY s ORDER BY s DESC;
