-- Where a full refresh's time goes: refresh_scorecards(full => true) as it
-- runs, with auto_explain logging the plan of each of its statements that
-- takes 0.5 s or more, with the time and rows of every node (instrumented, so
-- a little slower than the real thing), in a transaction rolled back; and a
-- scan with avg(contacts) to divide by.  Not part of make bench (its plans are
-- long); run it by hand on a database with the demo data, as a superuser
-- (auto_explain is loaded into the session):
--   psql -X -d <db> -f test/bench/explain_refresh.sql 2>&1 | less
\set ON_ERROR_STOP on
SET jit = off;
\echo '=== the scan floor: avg(contacts) over the tickets, serially'
SET max_parallel_workers_per_gather = 0;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) SELECT avg(contacts) FROM appraisal.tickets;
RESET max_parallel_workers_per_gather;
\echo '=== refresh_scorecards(full => true): each statement of 0.5 s or more'
LOAD 'auto_explain';
SET auto_explain.log_min_duration = 500;
SET auto_explain.log_analyze = on;
SET auto_explain.log_nested_statements = on;
SET client_min_messages = log;
BEGIN;
SELECT mode, materialized_view, rows, duration FROM appraisal.refresh_scorecards(full => true);
ROLLBACK;
