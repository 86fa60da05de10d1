-- Where a full refresh's time goes: EXPLAIN ANALYZE of every summary's
-- computation of all its rows, as refresh_scorecards(full => true) runs it
-- (an INSERT ... SELECT of <summary>_rows(NULL, ...), with its settings),
-- each in a transaction rolled back (its rows deleted first, as there), and a scan with avg(contacts) to divide
-- by.  Not part of make bench (its plans are long); run it by hand on a
-- database with the demo data, as its owner:
--   psql -X -d <db> -f test/bench/explain_refresh.sql
\set ON_ERROR_STOP on
SET jit = off;
SET work_mem = '256MB';
SELECT set_config('TimeZone', report_time_zone, false) AS report_time_zone FROM appraisal.scorecard_parameters();
\echo '=== the scan floor: avg(contacts) over the tickets'
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) SELECT avg(contacts) FROM appraisal.tickets;
\echo '=== agent_daily'
BEGIN;
DELETE FROM appraisal.agent_daily;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) INSERT INTO appraisal.agent_daily SELECT * FROM appraisal.agent_daily_rows(NULL, NULL);
ROLLBACK;
\echo '=== agent_daily_csat'
BEGIN;
DELETE FROM appraisal.agent_daily_csat;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) INSERT INTO appraisal.agent_daily_csat SELECT * FROM appraisal.agent_daily_csat_rows(NULL, NULL);
ROLLBACK;
\echo '=== category_daily'
BEGIN;
DELETE FROM appraisal.category_daily;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) INSERT INTO appraisal.category_daily SELECT * FROM appraisal.category_daily_rows(NULL);
ROLLBACK;
\echo '=== agent_daily_follow_up'
BEGIN;
DELETE FROM appraisal.agent_daily_follow_up;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) INSERT INTO appraisal.agent_daily_follow_up SELECT * FROM appraisal.agent_daily_follow_up_rows(NULL, NULL);
ROLLBACK;
\echo '=== the data-health check'
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) SELECT * FROM appraisal.check_data_health();
