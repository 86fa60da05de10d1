-- test/citus/names_bench.sql: a calendar (or a weight scheme) by name
-- against the same one as a value, on a table distributed over the two
-- workers (make citus-bench: test/citus/run.sh with CITUS_BENCH_ROWS).
-- Partial aggregation runs the transition function through Citus's
-- worker_partial_agg, which builds a new call for every row: a named value
-- must not be read once per row.  Each query runs 5 times, name and value
-- alternately; prints the medians and their ratio (not a test: nothing here
-- fails on a time).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE TABLE nb (agent text, team text, opened timestamptz, resolved timestamptz, score float8, role appraisal.rater_role);
SELECT create_distributed_table('nb', 'agent');
INSERT INTO nb
SELECT 'A' || (i % 1000), 'T' || (i % 7), o, o + (i % 50) * interval '1 hour', 50 + (i % 50),
       (ARRAY['superior', 'peer', 'subordinate']::appraisal.rater_role[])[1 + i % 3]
FROM generate_series(1, :rows) i, LATERAL (SELECT timestamptz '2026-01-05 00:00+08' + (i % 100000) * interval '5 minutes' AS o) x;
ANALYZE nb;
INSERT INTO appraisal.business_calendars (name, calendar) VALUES ('bench_office', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00');
SELECT count(*) AS workers_with_the_calendar FROM run_command_on_workers(
  $$INSERT INTO appraisal.business_calendars (name, calendar) VALUES ('bench_office', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00')$$);
CREATE TEMP TABLE q (n int, label text, by_name text, by_value text);
INSERT INTO q VALUES
  (1, 'sla_agg, calendar, per team (partial aggregation on the workers)',
   $$SELECT team, appraisal.sla_agg(opened, resolved, '24 hours', 'bench_office', '2026-06-01') FROM nb GROUP BY team$$,
   $$SELECT team, appraisal.sla_agg(opened, resolved, '24 hours', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00'::appraisal.business_calendar, '2026-06-01') FROM nb GROUP BY team$$),
  (2, 'sla_agg, calendar, per agent (pushed down whole)',
   $$SELECT agent, appraisal.sla_agg(opened, resolved, '24 hours', 'bench_office', '2026-06-01') FROM nb GROUP BY agent$$,
   $$SELECT agent, appraisal.sla_agg(opened, resolved, '24 hours', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00'::appraisal.business_calendar, '2026-06-01') FROM nb GROUP BY agent$$),
  (3, 'score_360, weight scheme, per team (partial aggregation)',
   $$SELECT team, appraisal.score_360(score, role, 'standard') FROM nb GROUP BY team$$,
   $$SELECT team, appraisal.score_360(score, role, 'superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40; fallback superior 60, peer 40; fallback superior 100; min_raters peer 3, subordinate 3'::appraisal.weight_scheme_spec) FROM nb GROUP BY team$$);
CREATE TEMP TABLE t (n int, kind text, ms float8);
DO $$
DECLARE
  r record;
  t0 timestamptz;
BEGIN
  FOR r IN SELECT * FROM q ORDER BY n LOOP
    EXECUTE r.by_name; EXECUTE r.by_value;   -- warm
    FOR i IN 1 .. 5 LOOP
      t0 := clock_timestamp(); EXECUTE r.by_name;
      INSERT INTO t VALUES (r.n, 'name', extract(epoch FROM clock_timestamp() - t0) * 1000);
      t0 := clock_timestamp(); EXECUTE r.by_value;
      INSERT INTO t VALUES (r.n, 'value', extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
  END LOOP;
END
$$;
SELECT q.label, round(nm::numeric, 1) AS name_ms, round(vm::numeric, 1) AS value_ms, round((nm / vm)::numeric, 2) AS name_over_value
FROM q
JOIN (SELECT n, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'name') AS nm,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'value') AS vm
      FROM t GROUP BY n) m USING (n)
ORDER BY q.n;
