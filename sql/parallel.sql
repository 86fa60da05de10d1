-- Parallel query: every aggregate runs as Partial Aggregate in workers and
-- combines to exactly the serial answer.  (A regular table: workers cannot
-- read temporary ones.)

CREATE TABLE par_ratings AS
SELECT i % 40 AS ratee,
       (ARRAY['superior','peer','peer','subordinate','subordinate','self','customer']::appraisal.rater_role[])[1 + i % 7] AS role,
       CASE WHEN i % 97 = 0 THEN NULL ELSE ((i * 7919) % 10001) / 100.0 END::float8 AS score,
       1 + i % 3 AS weight
FROM generate_series(1, 60000) i;
ANALYZE par_ratings;

-- the same queries run in parallel and serially
CREATE VIEW par_groups AS
SELECT ratee,
       appraisal.score_360(score, role) AS s1,
       appraisal.score_360(score, role, 'standard') AS s2,
       appraisal.score_360(score, role, 'superior 1, self 1; min_raters 1000'::appraisal.weight_scheme_spec) AS s3,
       appraisal.rating_agg(score, role)::text AS summary,
       appraisal.weighted_score(score, weight) AS ws,
       appraisal.scored_count(appraisal.weighted_agg(score, weight)) AS wn,
       appraisal.grade_band(appraisal.score_360(score, role)) AS grade
FROM par_ratings GROUP BY ratee;
CREATE VIEW par_total AS
SELECT appraisal.score_360(score, role) AS s1,
       appraisal.score_360(score, role, 'standard') AS s2,
       appraisal.rating_agg(score, role)::text AS summary,
       appraisal.weighted_score(score, weight) AS ws
FROM par_ratings;
-- per-ratee summaries rolled up, in parallel too
CREATE VIEW par_rollup AS
SELECT appraisal.rollup(r)::text AS summary
FROM (SELECT ratee, appraisal.rating_agg(score, role) AS r FROM par_ratings GROUP BY ratee) t;

\i test/regress_helpers.sql

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF) SELECT * FROM par_total;
EXPLAIN (COSTS OFF) SELECT * FROM par_groups;
EXPLAIN (COSTS OFF) SELECT * FROM par_rollup;
SELECT pg_temp.workers_launched('SELECT * FROM par_total') AS total_workers,
       pg_temp.workers_launched('SELECT * FROM par_groups') AS group_workers;
CREATE TEMP TABLE par_result AS SELECT * FROM par_groups;
CREATE TEMP TABLE par_sum AS SELECT * FROM par_total;
CREATE TEMP TABLE par_rolled AS SELECT * FROM par_rollup;

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT * FROM par_total;
CREATE TEMP TABLE ser_result AS SELECT * FROM par_groups;
CREATE TEMP TABLE ser_sum AS SELECT * FROM par_total;

-- identical answers, group by group (360 summaries compared as exact text: their
-- sums are exact integers, so any order of combining gives the same digits)
SELECT count(*) AS groups, count(*) FILTER (WHERE p = s) AS identical
FROM (SELECT ratee, p::text AS p, s::text AS s
      FROM par_result p JOIN ser_result s USING (ratee)) t;
SELECT (SELECT p::text FROM par_sum p) = (SELECT s::text FROM ser_sum s) AS totals_identical;
-- and the numbers are real: every group scored, the suppressing scheme suppressed all
SELECT count(*) FILTER (WHERE s1 BETWEEN 0 AND 100) AS scored, count(s3) AS s3_not_null,
       sum(wn) AS weighted_rows
FROM ser_result;
SELECT * FROM ser_sum;
-- the rollup of the 40 per-ratee summaries is the summary of all rows, digit for digit
SELECT (SELECT summary FROM par_rolled) = (SELECT summary FROM ser_sum) AS rollup_identical;

-- checked against the plain-SQL formula in numeric arithmetic (all groups present:
-- 0.4 * superior mean + 0.3 * peer mean + 0.3 * subordinate mean)
SELECT round(s1::numeric, 9) = round(0.4 * avg(score::numeric) FILTER (WHERE role = 'superior')
                                   + 0.3 * avg(score::numeric) FILTER (WHERE role = 'peer')
                                   + 0.3 * avg(score::numeric) FILTER (WHERE role = 'subordinate'), 9) AS s1_matches_sql,
       round(ws::numeric, 9) = round(sum(weight * score::numeric) / sum(weight) FILTER (WHERE score IS NOT NULL), 9) AS ws_matches_sql
FROM par_ratings, ser_sum GROUP BY s1, ws;

DROP VIEW par_groups, par_total, par_rollup;
DROP TABLE par_ratings;
