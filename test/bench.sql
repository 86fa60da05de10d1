-- make bench: times each query against avg(score) over the same rows, in one
-- run, interleaved (every round runs every query once), and reports the
-- median time of each and its ratio to the avg(score) median.
-- psql variables: rows (table size), rounds (repetitions), workers (0 = serial).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS appraisal;

DROP TABLE IF EXISTS bench_ratings;
CREATE TABLE bench_ratings AS
SELECT i % 1000 AS ratee,
       (ARRAY['superior','peer','subordinate','self','customer']::appraisal.rater_role[])[1 + i % 5] AS role,
       ((i::bigint * 7919) % 10001) / 100.0::float8 AS score,
       1 + i % 3 AS weight
FROM generate_series(1::bigint, :rows) i;
VACUUM ANALYZE bench_ratings;

CREATE TEMP TABLE bench_query (name text PRIMARY KEY, sql text);
INSERT INTO bench_query VALUES
  ('count(*)',                         'SELECT count(*) FROM bench_ratings'),
  ('avg(score)',                       'SELECT avg(score) FROM bench_ratings'),
  ('score_360(score, role)',           'SELECT appraisal.score_360(score, role) FROM bench_ratings'),
  ('score_360(score, role, ''standard'')', 'SELECT appraisal.score_360(score, role, ''standard'') FROM bench_ratings'),
  ('rating_agg(score, role)',          'SELECT appraisal.rating_agg(score, role) FROM bench_ratings'),
  ('360 in plain SQL (FILTER + CASE)',
   $q$SELECT CASE WHEN sup IS NOT NULL AND peer IS NOT NULL AND sub IS NOT NULL THEN 0.4*sup + 0.3*peer + 0.3*sub
                  WHEN sup IS NOT NULL AND sub IS NOT NULL THEN 0.6*sup + 0.4*sub
                  WHEN sup IS NOT NULL AND peer IS NOT NULL THEN 0.6*sup + 0.4*peer
                  WHEN sup IS NOT NULL THEN sup
                  WHEN peer IS NOT NULL AND sub IS NOT NULL THEN 0.5*peer + 0.5*sub
                  ELSE coalesce(peer, sub) END
       FROM (SELECT avg(score) FILTER (WHERE role = 'superior') AS sup,
                    avg(score) FILTER (WHERE role = 'peer') AS peer,
                    avg(score) FILTER (WHERE role = 'subordinate') AS sub
             FROM bench_ratings) x$q$),
  ('score_360 per ratee (1000 groups)', 'SELECT ratee, appraisal.score_360(score, role) FROM bench_ratings GROUP BY ratee'),
  ('avg per ratee (1000 groups)',      'SELECT ratee, avg(score) FROM bench_ratings GROUP BY ratee'),
  ('weighted_score(score, weight)',    'SELECT appraisal.weighted_score(score, weight) FROM bench_ratings'),
  ('sum(w*s)/sum(w) in plain SQL',     'SELECT sum(weight * score) / sum(weight) FROM bench_ratings'),
  ('count(grade_band(score))',         'SELECT count(appraisal.grade_band(score)) FROM bench_ratings'),
  ('count(CASE grade) in plain SQL',
   $q$SELECT count(CASE WHEN score >= 90 THEN '优' WHEN score >= 80 THEN '良' WHEN score >= 70 THEN '中'
                        WHEN score >= 60 THEN '较差' ELSE '差' END) FROM bench_ratings$q$);

CREATE TEMP TABLE bench_time (name text, round int, ms float8);
SET max_parallel_workers_per_gather = :workers;
DO $$
DECLARE
  q record;
  t0 timestamptz;
BEGIN
  FOR r IN 1 .. current_setting('bench.rounds')::int LOOP
    FOR q IN SELECT * FROM bench_query ORDER BY name LOOP
      t0 := clock_timestamp();
      EXECUTE q.sql;
      INSERT INTO bench_time VALUES (q.name, r, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
  END LOOP;
END
$$;

\pset footer off
SELECT name AS query,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) /
              (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM bench_time WHERE name = 'avg(score)'))::numeric, 2)
         AS "ratio to avg(score)",
       round((max(ms) / min(ms))::numeric, 2) AS "max/min",
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric) AS "median ms"
FROM bench_time GROUP BY name
ORDER BY array_position(ARRAY(SELECT name FROM bench_query ORDER BY ctid), name);
DROP TABLE bench_ratings;
