-- The scorecard views on a small fixed data set, every number computed by
-- hand from the rules in docs/rules.md (arithmetic in the comments): SLA boundaries, FCR and
-- recurrence windows, survey de-duplication, the 40/30/30 complaint composite
-- at exactly 90, truncation, team pooling, 360 fallbacks, KPI points, streaks,
-- annual means, Pareto, spikes, and rows the constraints reject.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
\i test/regress_helpers.sql
\i test/summary_ways.sql
-- a clean extension (other tests add rows to its tables)
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

INSERT INTO appraisal.settings (name, value) VALUES
  ('min_tickets', '4'), ('min_responses', '2'), ('spike_min_complaints', '2');
SELECT count(*) AS periods FROM (SELECT appraisal.add_periods(2025) UNION ALL SELECT appraisal.add_periods(2026)) p;
-- and the current year's, for the ticket opened an hour ago (below)
DO $$
BEGIN
  IF extract(year FROM current_date) > 2026 THEN
    PERFORM appraisal.add_periods(extract(year FROM current_date)::int);
  END IF;
END
$$;

INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES
  ('M1', 'Wang Fang', 'manager', 'hq', NULL),
  ('S1', 'Li Na', 'supervisor', 'north', 'M1'),
  ('A1', 'Liu Yang', 'specialist', 'north', 'S1'),
  ('A2', 'Chen Jing', 'specialist', 'north', 'S1'),
  ('B1', 'Zhao Lei', 'specialist', 'south', 'M1'),
  ('X1', 'Huang Min', 'specialist', 'west', 'M1');

-- A1, 2026-Q1: ten tickets (default SLA: first response 24 h, resolution 48 h, 24x7)
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id) VALUES
  ('A1-01', '2026-01-05 09:00', '2026-01-05 10:00', '2026-01-05 11:00', 1, 'phone', 'install', false, NULL, 'c1', 'A1'),
  ('A1-02', '2026-01-06 09:00', '2026-01-07 09:00', '2026-01-08 09:00', 1, 'phone', 'install', false, NULL, 'c2', 'A1'),   -- exactly 24 h and 48 h: met
  ('A1-03', '2026-01-07 09:00', '2026-01-08 09:00:00.000001', '2026-01-08 10:00', 2, 'phone', 'delivery', true, 'service', 'c3', 'A1'),  -- 24 h + 1 µs: late
  ('A1-04', '2026-01-08 09:00', '2026-01-08 10:00', NULL, NULL, 'email', 'delivery', true, 'system', 'c4', 'A1'),     -- unresolved: overdue, but system-caused
  ('A1-05', '2026-01-09 09:00', '2026-01-09 10:00', '2026-01-11 09:00:01', 1, 'email', 'billing', true, NULL, 'c5', 'A1'),  -- 48 h + 1 s: late
  ('A1-06', '2026-01-10 09:00', '2026-01-10 10:00', '2026-01-10 11:00', 1, 'phone', 'install', false, NULL, 'c1', 'A1'),   -- c1 back 4 d 22 h after A1-01
  ('A1-07', '2026-01-11 09:00', '2026-01-11 10:00', '2026-01-11 11:00', 1, 'phone', 'billing', false, NULL, 'c7', 'A1'),
  ('A1-08', '2026-01-12 09:00', '2026-01-12 10:00', '2026-01-12 11:00', 1, 'phone', 'billing', false, NULL, 'c8', 'A1'),
  ('A1-09', '2026-01-15 10:00', '2026-01-15 11:00', '2026-01-15 12:00', 1, 'phone', 'delivery', false, NULL, 'c3', 'A1'),  -- c3 back exactly 7 d after A1-03
  ('A1-10', '2026-01-15 09:00:01', '2026-01-15 10:00', '2026-01-15 11:00', 1, 'phone', 'install', false, NULL, 'c2', 'A1'); -- c2 back 7 d 1 s after A1-02
-- A2, 2026-Q1: six tickets, two first responses late
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id)
SELECT format('A2-%s', i), o, o + fr, o + rs, 1, 'web', 'install', i = 6, CASE WHEN i = 6 THEN 'service' END, 'd' || i, 'A2'
FROM (VALUES (1, '1 hour'::interval, '2 hours'::interval), (2, '1 hour', '2 hours'), (3, '1 hour', '2 hours'),
             (4, '1 hour', '2 hours'), (5, '25 hours', '26 hours'), (6, '30 hours', '31 hours')) v(i, fr, rs),
     LATERAL (SELECT timestamptz '2026-02-02 09:00' + (i - 1) * interval '1 day' AS o) x;
-- B1, 2026-Q1: four tickets, one survey response only; and one opened an hour ago, not yet due
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id)
SELECT format('B1-%s', i), o, o + interval '1 hour', o + interval '2 hours', 1, 'phone', 'billing', i = 1, CASE WHEN i = 1 THEN 'service' END, 'e' || i, 'B1'
FROM generate_series(1, 4) i, LATERAL (SELECT timestamptz '2026-03-02 09:00' + (i - 1) * interval '1 day' AS o) x;
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, customer_id, agent_id)
VALUES ('B1-now', now() - interval '1 hour', 'phone', 'billing', 'e9', 'B1');
-- X1: refund tickets, four a week in the weeks of Jan 5, 12, 26, Feb 2, 9 (none the week of Jan 19),
-- with 1, 1, 2, 1, 2 complaints
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id)
SELECT format('X1-%s-%s', w, h), o, o + interval '1 hour', o + interval '2 hours', 1, 'social', 'refund',
       h <= n, CASE WHEN h <= n THEN 'service' END, format('r%s-%s', w, h), 'X1'
FROM (VALUES (date '2026-01-05', 1), ('2026-01-12', 1), ('2026-01-26', 2), ('2026-02-02', 1), ('2026-02-09', 2)) v(w, n),
     generate_series(1, 4) h, LATERAL (SELECT w + time '09:00' + h * interval '1 hour' AS o) x;

INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES
  ('A1-01', 'sms', '2026-01-06', 2), ('A1-01', 'web', '2026-01-06', 5),            -- web beats SMS: 5
  ('A1-02', 'web', '2026-01-09', 3), ('A1-02', 'web', '2026-01-10', 4),            -- the later web: 4
  ('A1-05', 'sms', '2026-01-12', 1), ('A1-05', 'call_back', '2026-01-12', 5),      -- call-back beats SMS: 5
  ('A1-06', 'sms', '2026-01-11', 4), ('A1-07', 'web', '2026-01-12', 5),
  ('A2-1', 'web', '2026-02-03', 5), ('A2-2', 'web', '2026-02-04', 4), ('A2-3', 'web', '2026-02-05', 2),
  ('B1-1', 'web', '2026-03-03', 5);

INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, dimension, score) VALUES
  ('2026-Q1', 'A1', 'S1', 'superior', 'attitude', 90), ('2026-Q1', 'A1', 'S1', 'superior', 'skills', 80),
  ('2026-Q1', 'A1', 'A2', 'peer', 'overall', 80), ('2026-Q1', 'A1', 'B1', 'peer', 'overall', 70),
  ('2026-Q1', 'A1', 'X1', 'peer', 'overall', 75),
  ('2026-Q1', 'A1', 'A1', 'self', 'overall', 99),
  ('2026-Q1', 'A2', 'S1', 'superior', 'overall', 92), ('2026-Q1', 'A2', 'A1', 'peer', 'overall', 88),
  ('2026-Q1', 'A2', 'B1', 'peer', 'overall', 88), ('2026-Q1', 'A2', 'X1', 'peer', 'overall', 88),
  ('2026-Q1', 'S1', 'M1', 'superior', 'overall', 80),
  ('2026-Q1', 'S1', 'A1', 'subordinate', 'overall', 90), ('2026-Q1', 'S1', 'A2', 'subordinate', 'overall', 100),
  ('2026-Q1', 'S1', 'B1', 'subordinate', 'overall', 95),
  ('2026-Q1', 'M1', 'S1', 'subordinate', 'overall', 70), ('2026-Q1', 'M1', 'B1', 'subordinate', 'overall', 80),
  ('2026-Q1', 'M1', 'X1', 'subordinate', 'overall', 75),
  ('2026-Q1', 'B1', 'M1', 'superior', 'overall', 60),
  -- two peers only: fewer than the standard scheme's 3, left out
  ('2026-Q1', 'X1', 'M1', 'superior', 'overall', 85),
  ('2026-Q1', 'X1', 'A1', 'peer', 'overall', 60), ('2026-Q1', 'X1', 'A2', 'peer', 'overall', 70);

INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source) VALUES
  ('specialist', 'first response', 40, 60, 100, 'first_response_compliance'),
  ('specialist', 'satisfaction', 30, 0, 100, 'csat'),
  ('specialist', '360', 30, 60, 100, 'score_360'),
  ('supervisor', 'team composite', 50, 0, 100, 'complaint_composite'),
  ('supervisor', 'recurrence', 10, 20, 0, 'recurrence_rate'),          -- reversed: 0 % is 100 points
  ('supervisor', 'management', 40, 0, 100, 'manual'),
  ('manager', 'satisfaction', 100, 50, 100, 'csat');
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value, note)
SELECT p, e, k, v, NULL
FROM (VALUES ('2025-Q2', 'A1', 100), ('2025-Q3', 'A1', 100), ('2025-Q4', 'A1', 100),
             ('2025-Q2', 'A2', 100), ('2025-Q4', 'A2', 0)) r(p, e, v),
     unnest(ARRAY['first response', 'satisfaction', '360']) k;
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value, note) VALUES
  ('2026-Q1', 'S1', 'management', 88, NULL),
  ('2026', 'M1', 'satisfaction', 95, 'appeal upheld: survey of the closed store removed');

-- Before the first refresh a scorecard says so instead of showing numbers
-- of empty summaries.
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.agent_scorecard$$);
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.team_scorecard$$);
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.complaint_pareto$$);
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.complaint_spikes$$);
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.follow_up_summaries$$);

SELECT materialized_view, mode FROM appraisal.refresh_scorecards();
-- The tickets were inserted in the order of their ids: once analyzed, the
-- CSAT and follow-up summaries of every ticket merge the tickets with their
-- responses (calls, inspections) in the order of the keys, as the
-- refresh below does (follow_up.sql tests the follow-up's).  Those ways
-- give the rows the keyed look-up of every agent-day gives, as does
-- hashing the ids' bytes (without statistics).  So does the follow-up's
-- pass that gives the CSAT summary too (agent_daily_csat_follow_up_rows),
-- from which a full refresh on one node writes both: all the figures below
-- come from it, merged.
ANALYZE appraisal.tickets;
SELECT appraisal.tickets_in_id_order();
SELECT s AS summary, pg_temp.full_and_keyed_differ(s) AS merged_differ
FROM unnest(ARRAY['appraisal.agent_daily_csat', 'appraisal.agent_daily_follow_up']::regclass[]) s;
SELECT pg_temp.csat_ways_differ() AS merged_csat_differ;
-- refresh_scorecards() leaves the caller's hash-join setting as it is,
-- whatever it is, for every summary and for the rest of the transaction.
-- The functions change no setting themselves, so a parallel query may call
-- them.
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) AS summaries FROM appraisal.refresh_scorecards(full => true) WHERE mode = 'full';
SHOW enable_hashjoin;
SET LOCAL enable_hashjoin = off;
SELECT count(*) AS summaries FROM appraisal.refresh_scorecards(full => true) WHERE mode = 'full';
SHOW enable_hashjoin;
ROLLBACK;
-- A refresh of some agent-days runs serially (parallel workers would take
-- the cores of the writers it runs among), a full one with the caller's
-- workers; either puts the caller's max_parallel_workers_per_gather back,
-- whether it checks the data's health (full) or not (checked within the hour).
BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL max_parallel_workers_per_gather = 3;
UPDATE appraisal.tickets SET contacts = contacts WHERE ticket_id = 'A1-01';
SELECT coalesce(materialized_view, '(check)') AS step, mode FROM appraisal.refresh_scorecards() ORDER BY 1;
SHOW max_parallel_workers_per_gather;
SELECT count(*) AS summaries FROM appraisal.refresh_scorecards(full => true) WHERE mode = 'full';
SHOW max_parallel_workers_per_gather;
ROLLBACK;
-- A full refresh plans agent_daily with parallel workers costed as free
-- (min_parallel_table_scan_size 0, so that these few tickets get workers too):
-- the same rows as a serial one, and the caller's costs put back.
BEGIN;
SET LOCAL client_min_messages = warning;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT count(*) AS summaries FROM appraisal.refresh_scorecards(full => true) WHERE mode = 'full';
CREATE TEMP TABLE serial_agent_daily ON COMMIT DROP AS SELECT * FROM appraisal.agent_daily;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_setup_cost = 1234;
SET LOCAL parallel_tuple_cost = 0.5;
SELECT count(*) AS summaries FROM appraisal.refresh_scorecards(full => true) WHERE mode = 'full';
SHOW parallel_setup_cost;
SHOW parallel_tuple_cost;
SELECT (SELECT count(*) FROM appraisal.agent_daily) AS agent_days, (SELECT count(*) FROM serial_agent_daily) AS serially,
       (SELECT count(*) FROM (SELECT agent_id, day, tickets, first_response::text, resolution::text, fcr::text, complaints,
                                     service_complaints, system_complaints, system_first_responses_excluded, complaint_handling::text
                              FROM appraisal.agent_daily
                              EXCEPT ALL
                              SELECT agent_id, day, tickets, first_response::text, resolution::text, fcr::text, complaints,
                                     service_complaints, system_complaints, system_first_responses_excluded, complaint_handling::text
                              FROM serial_agent_daily) d) AS parallel_differ;
ROLLBACK;
BEGIN;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT pg_temp.workers_launched($$SELECT count(*) FROM appraisal.tickets t
                                  JOIN appraisal.agent_daily_follow_up_rows(NULL, NULL) f ON f.agent_id = t.agent_id$$) > 0 AS parallel;
SELECT count(*) AS joined FROM appraisal.tickets t JOIN appraisal.agent_daily_follow_up_rows(NULL, NULL) f ON f.agent_id = t.agent_id;
SELECT count(*) AS joined FROM appraisal.tickets t JOIN appraisal.agent_daily_csat_rows(NULL, NULL) f ON f.agent_id = t.agent_id;
ROLLBACK;
-- agent_daily of every ticket without comebacks (what a full refresh on
-- one node counts before adding each agent-day's comebacks) comes from
-- agent_daily_pass (C), one part of the tickets' pages per parallel worker,
-- the parts' summaries rolled up: the same rows as the query gives each
-- agent-day by key.  With 3,000 more tickets over several pages and some
-- 1,000 agent-days (every channel, priority, cause; some unresolved,
-- answered by a resolution, or paused for ten minutes), in one part, two
-- and three, and with little memory: beyond what a hash aggregate may take
-- (work_mem 64kB, hash_mem_multiplier 2: 128 kB) a pass returns the rows
-- it has every 1024 agent-days and begins again, more rows than agent-days
-- that the function rolls up alike.
BEGIN;
SET LOCAL client_min_messages = warning;
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category,
                               complaint, cause, customer_id, agent_id, pauses)
SELECT format('P%s', lpad(i::text, 4, '0')), o,
       CASE WHEN i % 5 <> 0 THEN o + (i % 37) * interval '10 minutes' END,
       CASE WHEN i % 7 <> 0 THEN o + (i % 53) * interval '1 hour' END,
       CASE WHEN i % 7 <> 0 THEN 1 + i % 3 END,
       (ARRAY['phone', 'web', 'email'])[1 + i % 3], (ARRAY['normal', 'high'])[1 + i % 2], 'repair',
       i % 4 <> 0, CASE i % 4 WHEN 1 THEN 'service' WHEN 2 THEN 'system' END, format('q%s', i % 50),
       (ARRAY['A1', 'A2', 'B1', 'X1'])[1 + i % 4],
       CASE WHEN i % 3 = 0 THEN tstzmultirange(tstzrange(o + interval '10 minutes', o + interval '20 minutes')) END
FROM generate_series(1, 3000) i, LATERAL (SELECT timestamptz '2026-02-02 08:00+00' + (i % 1700) * interval '7 hours') t(o);
SELECT pg_relation_size('appraisal.tickets') / current_setting('block_size')::integer > 3 AS several_pages;
CREATE FUNCTION pg_temp.pass_and_keyed_differ() RETURNS bigint LANGUAGE sql AS $$
  WITH whole AS (SELECT to_jsonb(f) - 'as_of' AS r FROM appraisal.agent_daily_rows(NULL, NULL, comebacks => '{}') f),
       every_day AS (SELECT array_agg(w.r->>'agent_id') AS agents, array_agg((w.r->>'day')::date) AS days FROM whole w),
       keyed AS (SELECT to_jsonb(f) - 'as_of' AS r FROM every_day e, appraisal.agent_daily_rows(e.agents, e.days, comebacks => '{}') f)
  SELECT (SELECT count(*) FROM (SELECT r FROM whole EXCEPT ALL SELECT r FROM keyed) a)
       + (SELECT count(*) FROM (SELECT r FROM keyed EXCEPT ALL SELECT r FROM whole) b)
$$;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT count(*) AS agent_days, pg_temp.pass_and_keyed_differ() AS one_part_differ
FROM appraisal.agent_daily_rows(NULL, NULL, comebacks => '{}');
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT pg_temp.pass_and_keyed_differ() AS two_parts_differ;
SET LOCAL max_parallel_workers_per_gather = 3;
SELECT pg_temp.pass_and_keyed_differ() AS three_parts_differ;
CREATE FUNCTION pg_temp.pass_rows() RETURNS TABLE (pass_rows bigint, agent_days bigint) LANGUAGE sql AS $$
  SELECT count(*), count(DISTINCT (p.agent_id, p.day))
  FROM appraisal.sla_policy_arrays() a,
       appraisal.agent_daily_pass(0, 1, 0, 'UTC', now(), false, '7 days', a.channels, a.priorities,
                                  a.first_response_targets, a.first_response_calendars, a.resolution_targets,
                                  a.resolution_calendars, ARRAY(SELECT DISTINCT c FROM unnest(a.channels) c WHERE c <> ''),
                                  ARRAY(SELECT DISTINCT r FROM unnest(a.priorities) r WHERE r <> '')) p
$$;
SELECT * FROM pg_temp.pass_rows();
SET LOCAL work_mem = '64kB';
SELECT pass_rows > agent_days AS returned_early, pg_temp.pass_and_keyed_differ() AS little_memory_differ FROM pg_temp.pass_rows();
RESET work_mem;
-- each part a call, planned as a parallel append, one to each process
SET LOCAL max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT * FROM appraisal.agent_daily_pass(0, 2, 10, 'UTC', now(), false, '7 days', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')
UNION ALL SELECT * FROM appraisal.agent_daily_pass(1, 2, 10, 'UTC', now(), false, '7 days', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}');
-- No policy for a ticket: the error sla_agg gives (22004), a NULL among the
-- channels or priorities policies name left out; a part that is not one of
-- the parts, or NULL where a value is needed: an error too.
SELECT pg_temp.try($$SELECT * FROM appraisal.agent_daily_pass(0, 1, 10, 'UTC', now(), false, '7 days', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')$$) AS no_policy,
       pg_temp.try($$SELECT * FROM appraisal.agent_daily_pass(0, 1, 10, 'UTC', now(), false, '7 days', '{}', '{}', '{}', '{}', '{}', '{}', '{NULL}', '{NULL}')$$) AS null_named,
       pg_temp.try($$SELECT * FROM appraisal.agent_daily_pass(2, 2, 10, 'UTC', now(), false, '7 days', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')$$) AS no_part,
       pg_temp.try($$SELECT * FROM appraisal.agent_daily_pass(0, 1, 10, NULL, now(), false, '7 days', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')$$) AS no_zone;
-- category_daily of every day on one node comes from category_daily_pass
-- (C), one part of the tickets' pages per parallel worker, the parts'
-- counts added up: the same rows as the query gives the days by key, in
-- one part, two and three, and with little memory (more rows than
-- category-days, added up alike).
CREATE FUNCTION pg_temp.category_pass_and_keyed_differ() RETURNS bigint LANGUAGE sql AS $$
  WITH whole AS (SELECT to_jsonb(f) - 'as_of' AS r FROM appraisal.category_daily_rows(NULL) f),
       keyed AS (SELECT to_jsonb(f) - 'as_of' AS r
                   FROM appraisal.category_daily_rows(ARRAY(SELECT DISTINCT (w.r->>'day')::date FROM whole w)) f)
  SELECT (SELECT count(*) FROM (SELECT r FROM whole EXCEPT ALL SELECT r FROM keyed) a)
       + (SELECT count(*) FROM (SELECT r FROM keyed EXCEPT ALL SELECT r FROM whole) b)
$$;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT count(*) AS category_days, sum(tickets) AS tickets, sum(service_complaints) AS service, sum(system_complaints) AS system,
       pg_temp.category_pass_and_keyed_differ() AS one_part_differ
FROM appraisal.category_daily_rows(NULL);
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT pg_temp.category_pass_and_keyed_differ() AS two_parts_differ;
SET LOCAL max_parallel_workers_per_gather = 3;
SELECT pg_temp.category_pass_and_keyed_differ() AS three_parts_differ;
-- (4,000 tickets more on one day, of 2,000 categories, each twice: beyond
-- 1024 category-days a pass with little memory returns the rows it has,
-- and a category-day met again after that has two rows)
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, customer_id, agent_id)
SELECT format('Q%s', i), timestamptz '2026-02-03 08:00+00' + (i % 600) * interval '1 minute', 'web', format('k%s', i % 2000), NULL, 'A1'
FROM generate_series(1, 4000) i;
SET LOCAL work_mem = '64kB';
SELECT count(*) > count(DISTINCT (category, day)) AS returned_early, pg_temp.category_pass_and_keyed_differ() AS little_memory_differ
FROM appraisal.category_daily_pass(0, 1, 0, 'UTC', now());
RESET work_mem;
SET LOCAL max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT * FROM appraisal.category_daily_pass(0, 2, 10, 'UTC', now()) UNION ALL SELECT * FROM appraisal.category_daily_pass(1, 2, 10, 'UTC', now());
SELECT pg_temp.try($$SELECT * FROM appraisal.category_daily_pass(2, 2, 10, 'UTC', now())$$) AS no_part,
       pg_temp.try($$SELECT * FROM appraisal.category_daily_pass(0, 1, 10, NULL, now())$$) AS no_zone;
-- The comebacks a full refresh keeps (recurred_tickets, active_tickets)
-- come from comeback_pass (C), one part of the customers per parallel
-- worker: the rows of comeback_rows's window given active_from, for every
-- part.  The 3,000 tickets are 50 customers' of one category, two tickets
-- of a customer often opened at the same instant (i and i + 1700: ordered
-- by ticket number), some unresolved, some system-caused; in one part, two
-- and three, before and after every resolution, and sorted on disk
-- (work_mem 64kB).
-- Without active_from, the pass finds the latest opening of a customer's
-- ticket itself and the active tickets are from it less the window, or
-- from it when that is earlier (1 month less 29 days back from 10 March
-- 2029 is 11 March: a ticket opened last, on 10 March, and resolved an
-- hour later is still active): the query's rows from there.
CREATE FUNCTION pg_temp.comeback_ways_differ(parts integer, active_from timestamptz, odd_window interval DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
  WITH w AS (SELECT coalesce(odd_window, p.repeat_window) AS w FROM appraisal.scorecard_parameters() p),
       latest AS (SELECT max(t.opened_at) AS l FROM appraisal.tickets t
                   WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'),
       pass AS (SELECT c.* FROM w, generate_series(0, parts - 1) i, appraisal.comeback_pass(i, parts, w.w, active_from) c),
       query AS (SELECT c.* FROM w, latest, appraisal.comeback_rows(NULL, NULL, NULL, coalesce(active_from, least(latest.l - w.w, latest.l))) c
                  WHERE odd_window IS NULL
                 UNION ALL
                 SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts,
                        appraisal.came_back(c.resolved_at, c.next_opened_at, w.w),
                        c.resolved_at IS NULL OR c.next_opened_at IS NULL AND c.resolved_at >= coalesce(active_from, least(latest.l - w.w, latest.l))
                   FROM w, latest, appraisal.comeback_rows(NULL, NULL, NULL, NULL) c
                  WHERE odd_window IS NOT NULL)
  SELECT (SELECT count(*) FROM (SELECT * FROM pass EXCEPT ALL SELECT * FROM query) a)
       + (SELECT count(*) FROM (SELECT * FROM query q WHERE q.recurred OR q.active EXCEPT ALL SELECT * FROM pass) b)
$$;
SELECT count(*) FILTER (WHERE recurred) AS recurred, count(*) FILTER (WHERE active) AS active,
       count(*) FILTER (WHERE opened_at = next_opened_at) AS tied
FROM appraisal.comeback_rows(NULL, NULL, NULL, '2026-03-01');
SELECT p AS parts, pg_temp.comeback_ways_differ(p, '2026-03-01') AS differ, pg_temp.comeback_ways_differ(p, '2027-01-01') AS later_differ,
       pg_temp.comeback_ways_differ(p, '2000-01-01') AS earlier_differ, pg_temp.comeback_ways_differ(p, NULL) AS latest_differ
FROM generate_series(1, 3) p;
SAVEPOINT odd_window;
SET LOCAL TIME ZONE 'UTC';
INSERT INTO appraisal.tickets (ticket_id, opened_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('Z1', '2029-03-10 12:00+00', '2029-03-10 13:00+00', 1, 'web', 'repair', 'zz', 'A1');
SELECT max(opened_at) AS latest, pg_temp.comeback_ways_differ(2, NULL, '1 mon -29 days') AS odd_window_differ,
       (SELECT c.active FROM appraisal.comeback_pass(0, 1, '1 mon -29 days', NULL) c WHERE c.ticket_id = 'Z1') AS latest_active
FROM appraisal.tickets WHERE customer_id IS NOT NULL AND cause IS DISTINCT FROM 'system';
ROLLBACK TO SAVEPOINT odd_window;
SET LOCAL work_mem = '64kB';
SELECT pg_temp.comeback_ways_differ(2, '2026-03-01') AS on_disk_differ;
RESET work_mem;
-- each part a call, planned as a parallel append, one to each process
EXPLAIN (COSTS OFF)
SELECT * FROM appraisal.comeback_pass(0, 2, '7 days', now()) UNION ALL SELECT * FROM appraisal.comeback_pass(1, 2, '7 days', now());
-- comeback_rows_in_parts calls it for each part (comeback_rows not once);
-- under row-level security on the tickets, comeback_rows's query instead,
-- the same rows with active_from or without (without workers here: the
-- leader's calls are those counted)
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL track_functions = 'all';
SELECT pg_stat_force_next_flush();
SELECT count(*) AS comeback_rows FROM appraisal.comeback_rows_in_parts('2026-03-01', 3);
SELECT funcname, calls FROM pg_stat_xact_user_functions
WHERE schemaname = 'appraisal' AND funcname IN ('comeback_pass', 'comeback_rows') ORDER BY funcname;
CREATE TEMP TABLE kept_comebacks AS SELECT * FROM appraisal.comeback_rows_in_parts(NULL, 2);
ALTER TABLE appraisal.tickets ENABLE ROW LEVEL SECURITY;
SELECT count(*) AS comeback_rows FROM appraisal.comeback_rows_in_parts('2026-03-01', 2);
SELECT (SELECT count(*) FROM (SELECT * FROM kept_comebacks EXCEPT ALL SELECT * FROM appraisal.comeback_rows_in_parts(NULL, 2)) a)
     + (SELECT count(*) FROM (SELECT * FROM appraisal.comeback_rows_in_parts(NULL, 2) EXCEPT ALL SELECT * FROM kept_comebacks) b)
       AS secured_differ;
SELECT funcname, calls FROM pg_stat_xact_user_functions
WHERE schemaname = 'appraisal' AND funcname IN ('comeback_pass', 'comeback_rows') ORDER BY funcname;
ALTER TABLE appraisal.tickets DISABLE ROW LEVEL SECURITY;
-- NULL where a value is needed (22004: all but active_from) or a part that
-- is not one of the parts (22023): errors
SELECT pg_temp.try($$SELECT * FROM appraisal.comeback_pass(0, 1, NULL, now())$$) AS no_window,
       pg_temp.try($$SELECT * FROM appraisal.comeback_pass(NULL, 1, '7 days', now())$$) AS no_part_number,
       pg_temp.try($$SELECT * FROM appraisal.comeback_pass(2, 2, '7 days', now())$$) AS no_part,
       pg_temp.try($$SELECT * FROM appraisal.comeback_pass(0, 0, '7 days', now())$$) AS no_parts;
ROLLBACK;
-- comeback_pass by hand, against a window of 7 days and active tickets
-- from 10 March (UTC):
--   cbA repair: K01 resolved 1 March 12:00, K02 opened 8 March 12:00
--     (7 days later: recurred); K02 resolved 8 March 13:00, K03 opened
--     15 March 13:00 and a microsecond (not recurred); K03 resolved 16
--     March, the last: active.
--   cbA install: K04 resolved 2 March, its category's only ticket and
--     resolved before 10 March: neither.
--   cbB repair: K05 and K06 opened at the same instant, K05 first (ticket
--     number); K05 resolved an hour later, K06 opened before that (gap 0:
--     recurred); K06 open: active.
--   cbC repair: K07 resolved 4 March 12:00; K08 (5 March) a system-caused
--     complaint, no one's comeback; K09 20 March (15.5 days: not
--     recurred), resolved 21 March: active.  K10 names no customer.
--   cbD repair: K11 resolved 12 March, the last: active.
-- With a window of 1 month (30 days) K02 and K07 recur too.
BEGIN;
INSERT INTO appraisal.tickets (ticket_id, opened_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id)
VALUES ('K01', '2026-03-01 10:00+00', '2026-03-01 12:00+00', 1, 'web', 'repair', false, NULL, 'cbA', 'A1'),
       ('K02', '2026-03-08 12:00+00', '2026-03-08 13:00+00', 1, 'web', 'repair', false, NULL, 'cbA', 'A1'),
       ('K03', '2026-03-15 13:00:00.000001+00', '2026-03-16 09:00+00', 2, 'web', 'repair', false, NULL, 'cbA', 'A2'),
       ('K04', '2026-03-01 11:00+00', '2026-03-02 09:00+00', 1, 'web', 'install', false, NULL, 'cbA', 'A1'),
       ('K06', '2026-03-03 09:00+00', NULL, NULL, 'web', 'repair', false, NULL, 'cbB', 'A2'),
       ('K05', '2026-03-03 09:00+00', '2026-03-03 10:00+00', 1, 'web', 'repair', false, NULL, 'cbB', 'A1'),
       ('K07', '2026-03-04 09:00+00', '2026-03-04 12:00+00', 1, 'web', 'repair', false, NULL, 'cbC', 'A1'),
       ('K08', '2026-03-05 09:00+00', '2026-03-05 12:00+00', 1, 'web', 'repair', true, 'system', 'cbC', 'A1'),
       ('K09', '2026-03-20 09:00+00', '2026-03-21 09:00+00', 1, 'web', 'repair', true, 'service', 'cbC', 'A2'),
       ('K10', '2026-03-04 10:00+00', '2026-03-04 11:00+00', 1, 'web', 'repair', false, NULL, NULL, 'A1'),
       ('K11', '2026-03-02 09:00+00', '2026-03-12 09:00+00', 1, 'web', 'repair', false, NULL, 'cbD', 'A2');
SET LOCAL TIME ZONE 'UTC';
SELECT c.ticket_id, c.customer_id, c.category, c.next_opened_at, c.agent_id, c.contacts, c.recurred, c.active
FROM generate_series(0, 1) i, appraisal.comeback_pass(i, 2, '7 days', '2026-03-10 00:00+00') c
WHERE c.customer_id LIKE 'cb_' OR c.ticket_id LIKE 'K__'
ORDER BY c.ticket_id;
SELECT string_agg(c.ticket_id, ' ' ORDER BY c.ticket_id) FILTER (WHERE c.recurred) AS recurred_in_a_month
FROM appraisal.comeback_pass(0, 1, '1 mon', '2026-03-10 00:00+00') c
WHERE c.customer_id LIKE 'cb_' OR c.ticket_id LIKE 'K__';
ROLLBACK;
BEGIN;
DELETE FROM pg_statistic WHERE starelid = 'appraisal.tickets'::regclass;
SELECT appraisal.tickets_in_id_order();
SELECT s AS summary, pg_temp.full_and_keyed_differ(s) AS hashed_differ
FROM unnest(ARRAY['appraisal.agent_daily_csat', 'appraisal.agent_daily_follow_up']::regclass[]) s;
SELECT pg_temp.csat_ways_differ() AS hashed_csat_differ;
ROLLBACK;
-- (forced: nothing changed since, which alone would leave them unchanged)
SELECT materialized_view, mode FROM appraisal.refresh_scorecards(full => true);

-- A1: FR met 9 of 10 (A1-03 late) = 90.00; resolution met 8 of 9 (A1-05 late;
-- A1-04, overdue, is a system-caused complaint: not A1's) = 88.88; resolved 9, first contact 7 (A1-01 and A1-03 recurred,
-- A1-03 also took 2 contacts; A1-10 came back 1 s too late) → fcr 77.77,
-- recurrence 2/9 = 22.22; CSAT 5 of 5 = 100.00 (A1-02's later web 4 counts);
-- mean resolution (2+48+25+48h1s+2+2+2+2+2)/9 = 14.77 h;
-- composite (40·90 + 30·800/9 + 30·100)/100 = 92.666 → 92.66 → 优; no training flag.
-- A2: FR 4/6 = 66.66 (truncated) → training flag; resolution 6/6; CSAT 2/3 = 66.66;
-- composite 40·(2/3) + 30 + 30·(2/3) = 76.66 → 中; mean resolution (4·2+26+31)/6 = 10.83 h.
-- B1: one response (< 2): insufficient data, composite 100.00 shown, no flag.
-- X1: no responses: composite NULL, insufficient data.
SELECT employee_id, tickets,
       first_response_met AS fr_met, first_response_breached AS fr_br, first_response_pending AS fr_pend, first_response_compliance AS fr,
       resolution_met AS res_met, resolution_breached AS res_br, resolution_compliance AS res,
       mean_resolution_hours AS hours
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' ORDER BY employee_id;
SELECT employee_id, resolved, first_contact_resolved AS first_contact, fcr, recurred, recurrence_rate AS recurrence,
       responses, satisfied, csat, complaints, service_complaints AS service, system_complaints AS system,
       unattributed_complaints AS unattributed
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' ORDER BY employee_id;
SELECT employee_id, composite_points, composite_grade, training_needed, sufficient_data
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' ORDER BY employee_id;
-- Targets (docs/rules.md, "Service levels": first response and CSAT 95 %,
-- resolution accuracy 98 %), read off the shown values.  A1: FR 90.00 →
-- missed, 5.00 points below; CSAT 100.00 met; accuracy (9 − 2)/9 = 77.77 →
-- missed.  A2: FR 66.66 → 28.34 below; CSAT 66.66 missed; accuracy 6/6 =
-- 100.00 met.  B1 and X1 have too little evidence: accuracy shown, no verdict.
SELECT employee_id, resolution_accuracy, meets_first_response_target, first_response_points_below_target,
       meets_csat_target, meets_resolution_accuracy_target
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' ORDER BY employee_id;
-- a target of one's own: first response 90 is met by A1 exactly (90.00)
BEGIN;
INSERT INTO appraisal.settings (name, value) VALUES ('target_first_response', '90');
SELECT employee_id, meets_first_response_target, first_response_points_below_target
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' AND employee_id = 'A1';
ROLLBACK;
-- the quarter is also in the half-year and the year (the ticket opened an hour ago is
-- in the current periods: pending, left out of compliance)
SELECT period, tickets, first_response_compliance AS fr, composite_points
FROM appraisal.agent_scorecard WHERE employee_id = 'A1' ORDER BY starts_on, ends_on;
SELECT tickets, first_response_pending, resolution_pending, first_response_compliance, resolution_compliance
FROM appraisal.agent_scorecard
WHERE employee_id = 'B1' AND period_kind = 'quarter' AND current_date BETWEEN starts_on AND ends_on;

-- Teams pool counts: north = A1 + A2: FR 13/16 = 81.25, resolution 14/15 = 93.33,
-- FCR 13/15 = 86.66, recurrence 2/15 = 13.33, CSAT 7/8 = 87.50;
-- composite 40·13/16 + 30·14/15 + 30·7/8 = 32.5 + 28 + 26.25 = 86.75 → 良
-- (the mean of the agents' composites, 84.66, would be wrong).
SELECT team, agents, tickets, first_response_compliance AS fr, resolution_compliance AS res, fcr,
       recurrence_rate AS recurrence, csat, composite_points, composite_grade, training_needed, sufficient_data
FROM appraisal.team_scorecard WHERE period = '2026-Q1' ORDER BY team;

-- One pooling for every scorecard of several agents (pooled_summaries): by
-- responsibility S1 answers for A1 and A2, so its pool is the north team's
-- (2 agents, 10 + 6 = 16 tickets, first response met 13 of 16 judged); M1
-- answers for everyone, the three teams together (4 agents, tickets
-- 16 + 4 + 20 = 40, met 13 + 4 + 20 = 37, complaints 4 + 1 + 7 = 12); A1
-- answers for A1 alone.
SELECT pool_id, agents, tickets, first_response, responses, satisfied, complaints, service_complaints, system_complaints
FROM appraisal.pooled_summaries WHERE pooling = 'team' AND period = '2026-Q1' ORDER BY pool_id;
SELECT pool_id, agents, tickets, first_response, responses, satisfied, complaints, service_complaints, system_complaints
FROM appraisal.pooled_summaries WHERE pooling = 'responsibility' AND period = '2026-Q1' ORDER BY pool_id;

-- 360 (docs/rules.md, "360-degree scores"): A1: superior S1 mean of his dimensions (90+80)/2 = 85, peers
-- (80+70+75)/3 = 75, no subordinates → 60/40: 51 + 30 = 81 → 良 (self 99 ignored).
-- A2: peers 88 x 3: 0.6·92 + 0.4·88 = 90.4 → 优. S1: no peers, subordinates
-- (90+100+95)/3 = 95 → 0.6·80 + 0.4·95 = 86 → 良.
-- M1: only subordinates (70+80+75)/3 = 75, no superior → proportional, subordinate 100 %: 75 → 中.
-- B1: superior only → 100 %: 60 → 较差, a valid composite (a superior is never anonymous).
-- X1: superior 85 and two peers, fewer than 3: the peers are suppressed (no
-- count, no mean) and left out as if missing → superior 100 %: 85 → 良.
SELECT employee_id, superior_raters AS sup_n, superior_mean AS sup, peer_raters AS peer_n, peer_mean AS peer,
       subordinate_raters AS sub_n, subordinate_mean AS sub,
       superior_weight AS w_sup, peer_weight AS w_peer, subordinate_weight AS w_sub, weight_rule,
       score_360, grade, sufficient_data, suppressed_groups
FROM appraisal.scorecard_360 ORDER BY employee_id;

-- The same through a BI role with exactly the grants of docs/operations.md
-- (test/client/bi_grants.sql): X1's two peers show neither count nor mean,
-- and the per-group counts and sums of period_ratings and the raw reviews
-- are out of its reach.
CREATE ROLE appraisal_test_bi;
\set role appraisal_test_bi
SELECT current_database() AS db \gset
\i test/client/bi_grants.sql
SET ROLE appraisal_test_bi;
SELECT employee_id, peer_raters, peer_mean, score_360, grade, suppressed_groups
FROM appraisal.scorecard_360 WHERE employee_id IN ('A1', 'B1', 'X1') ORDER BY employee_id;
SELECT pg_temp.try($$SELECT * FROM appraisal.period_ratings$$);
SELECT pg_temp.try($$SELECT * FROM appraisal.reviews_360$$);
RESET ROLE;

-- Row scoping (scorecard_access): appraisal_test_north is listed for team
-- north (S1, A1, A2), appraisal_test_a1 for employee A1 alone; both are
-- granted the person-level scorecards and nothing beneath them.  The BI
-- role, not listed, still sees every employee (M1, S1, A1, A2, B1, X1).
CREATE ROLE appraisal_test_north;
CREATE ROLE appraisal_test_a1;
GRANT USAGE ON SCHEMA appraisal TO appraisal_test_north, appraisal_test_a1;
GRANT SELECT ON appraisal.agent_scorecard, appraisal.team_scorecard, appraisal.scorecard_360,
                appraisal.kpi_breakdown, appraisal.overall_appraisal, appraisal.annual_results
  TO appraisal_test_north, appraisal_test_a1;
INSERT INTO appraisal.scorecard_access (grantee, team, employee_id) VALUES
  ('appraisal_test_north', 'north', NULL), ('appraisal_test_a1', NULL, 'A1');
CREATE TEMP VIEW seen AS
SELECT 'agent_scorecard' AS scorecard, string_agg(DISTINCT employee_id, ' ' ORDER BY employee_id) AS rows FROM appraisal.agent_scorecard
UNION ALL SELECT 'team_scorecard', string_agg(DISTINCT team, ' ' ORDER BY team) FROM appraisal.team_scorecard
UNION ALL SELECT 'scorecard_360', string_agg(DISTINCT employee_id, ' ' ORDER BY employee_id) FROM appraisal.scorecard_360
UNION ALL SELECT 'kpi_breakdown', string_agg(DISTINCT employee_id, ' ' ORDER BY employee_id) FROM appraisal.kpi_breakdown
UNION ALL SELECT 'overall_appraisal', string_agg(DISTINCT employee_id, ' ' ORDER BY employee_id) FROM appraisal.overall_appraisal
UNION ALL SELECT 'annual_results', string_agg(DISTINCT employee_id, ' ' ORDER BY employee_id) FROM appraisal.annual_results;
GRANT SELECT ON seen TO appraisal_test_north, appraisal_test_a1, appraisal_test_bi;
SET ROLE appraisal_test_north;
SELECT * FROM seen;
-- north's team row is the whole team's (A1 + A2: 16 tickets, composite 86.75, as above)
SELECT team, agents, tickets, composite_points FROM appraisal.team_scorecard WHERE period = '2026-Q1';
SELECT grantee, team, employee_id FROM appraisal.scorecard_access;   -- its own row only
SELECT pg_temp.try($$SELECT * FROM appraisal.agent_daily$$);
SELECT pg_temp.try($$SELECT * FROM appraisal.tickets$$);
-- its own conditions run after the scoping (security_barrier): a cast that
-- would put a hidden row into an error message never sees one
SELECT count(*) AS hidden_rows_seen FROM appraisal.agent_scorecard WHERE team = 'south' AND (name || ' csat=' || csat)::int = 0;
SELECT count(*) AS hidden_rows_seen FROM appraisal.scorecard_360 WHERE employee_id = 'B1' AND name::int = 0;
RESET ROLE;
-- a login scoped to north stays so after SET ROLE to an unlisted role it is
-- a member of (appraisal_test_readers, granted the views)
CREATE ROLE appraisal_test_readers;
GRANT appraisal_test_readers TO appraisal_test_north;
GRANT USAGE ON SCHEMA appraisal TO appraisal_test_readers;
GRANT SELECT ON seen, appraisal.agent_scorecard, appraisal.team_scorecard, appraisal.scorecard_360,
                appraisal.kpi_breakdown, appraisal.overall_appraisal, appraisal.annual_results TO appraisal_test_readers;
SET SESSION AUTHORIZATION appraisal_test_north;
SET ROLE appraisal_test_readers;
SELECT current_user, session_user, (SELECT rows FROM seen WHERE scorecard = 'agent_scorecard') AS agents_seen;
RESET ROLE;
RESET SESSION AUTHORIZATION;
-- a grantee must be a role: a misspelling would leave the meant role unscoped
SELECT pg_temp.try($$INSERT INTO appraisal.scorecard_access (grantee, team) VALUES ('appraisal_test_nort', 'north')$$);
-- a row names a team or an employee, not both, not neither
SELECT pg_temp.try($$INSERT INTO appraisal.scorecard_access (grantee, team, employee_id) VALUES ('appraisal_test_north', 'north', 'A1')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.scorecard_access (grantee) VALUES ('appraisal_test_north')$$);
SET ROLE appraisal_test_a1;
SELECT * FROM seen;
SELECT grantee, team, employee_id FROM appraisal.scorecard_access;
SET ROLE appraisal_test_bi;
SELECT * FROM seen;
RESET ROLE;
DELETE FROM appraisal.scorecard_access;
DROP VIEW seen;
DROP OWNED BY appraisal_test_bi, appraisal_test_north, appraisal_test_a1, appraisal_test_readers;
DROP ROLE appraisal_test_bi, appraisal_test_north, appraisal_test_a1, appraisal_test_readers;

-- KPI points (linear_score): A1 first response 90 on 60..100 → 75, CSAT 100 → 100,
-- 360 81 on 60..100 → 52.5. A2: 66.66 → 16.65, 66.66 → 66.66, 90.4 → 76.
-- S1 answers for A1 and A2: team composite 86.75 → 86.75; recurrence 13.33 on 20..0 →
-- 33.35; management (entered) 88. M1: CSAT of everyone below would be 8/9, but the
-- entered 95 (an appeal) counts: 95 on 50..100 → 90.
SELECT employee_id, period, kpi, source, weight, value, value_from, points
FROM appraisal.kpi_breakdown WHERE period IN ('2026-Q1', '2026') ORDER BY employee_id, period, kpi;

-- Overall: A1 (40·75 + 30·100 + 30·52.5)/100 = 75.75 → 中; A2 (40·16.65 +
-- 30·66.66 + 30·76)/100 = 49.458 → 49.45 → 差; S1 (50·86.75 + 10·33.35 + 40·88)/100 =
-- 81.91 → 良; M1 90 → 优. A1 was 优 in 2025-Q2..Q4: streak 3, reserve
-- pool at 2025-Q4, broken in 2026-Q1. A2: 2025-Q3 has no result (breaks the run),
-- 差 in 2025-Q4 and 2026-Q1: failing streak 2 → repeated failing, across the year end.
-- B1 and X1 have enough tickets for the first-response KPI (100 % → 100 points) and a
-- 360 (B1 60 → 0 points, X1 85 → 62.5) but too few responses for CSAT: 2 of 3 KPIs,
-- insufficient data; the points of the two: B1 (40·100 + 30·0)/70 = 57.142… → 57.14,
-- X1 (40·100 + 30·62.5)/70 = 83.928… → 83.92.
SELECT employee_id, period, kpis_defined AS defined, kpis_scored AS scored, points, grade, sufficient_data,
       excellent_streak, failing_streak, reserve_pool, repeated_failing
FROM appraisal.overall_appraisal ORDER BY employee_id, starts_on;

-- Annual = mean of the quarterly points: A1 2025 (100+100+100)/3 = 100 → 优 with the
-- reserve pool; A2 2025 (100+0)/2 = 50 → 差; 2026 one quarter each; M1 (manager) its year.
SELECT employee_id, year, quarters_counted, points, grade, sufficient_data,
       excellent_streak, reserve_pool, failing_streak, repeated_failing
FROM appraisal.annual_results ORDER BY year, employee_id;

-- Pareto, 2026-Q1: refund 7, billing 2 (A1-05, B1-1), delivery 2 (A1-03 service,
-- A1-04 system), install 1 (A2-6) of 12: shares 58.33, 16.66, 16.66, 8.33; cumulative
-- 58.33, 75.00, 91.66, 100.00; ties by name; top ceil(4 · 20 %) = 1 category.
SELECT category, complaints, service_complaints AS service, system_complaints AS system, rank, share,
       cumulative_share, top_cause
FROM appraisal.complaint_pareto WHERE period = '2026-Q1' ORDER BY rank;

-- Spikes (4 trailing weeks, factor 1.5, at least 2 complaints): Jan 26: 2/4 = 50 %
-- against Jan 5 + 12 pooled 2/8 = 25 % → spike. Feb 9: 2/4 = 50 % against
-- Jan 12, 26, Feb 2 (4/12 = 33.33 %): 2·12 = 1.5·4·4 exactly → spike. Jan 12 and
-- Feb 2 have 1 complaint; Jan 5 has no trailing weeks.
SELECT week_start, tickets, complaints, complaint_rate, trailing_tickets, trailing_complaints, trailing_rate, spike
FROM appraisal.complaint_spikes WHERE category = 'refund' ORDER BY week_start;

-- Exact percentages: truncated, never rounded up; grades read off the shown value.
SELECT appraisal.share_percent(2, 3) AS two_thirds, appraisal.share_percent(1, 0) AS of_nothing,
       appraisal.weighted_percent('{40,30,30}', '{1,2,9999}', '{1,3,10000}') AS just_under_90,
       appraisal.grade_band(appraisal.weighted_percent('{40,30,30}', '{1,2,9999}', '{1,3,10000}')::float8) AS grade,
       appraisal.weighted_percent('{40,30,30}', '{9,8,5}', '{10,10,5}') AS exactly_90,
       appraisal.weighted_percent('{40,0,30}', '{9,NULL,5}', '{10,0,5}') AS zero_weight_left_out,
       appraisal.weighted_percent('{40,30,30}', '{9,8,0}', '{10,10,0}') AS missing_part;
-- mean hours from the exact sum: (3600 s + 3671.999999 s) / 2 = 1.0099999998 h → 1.00, not 1.01
SELECT appraisal.elapsed_seconds(s) AS seconds,
       appraisal.mean_elapsed_hours(s) AS mean_hours,
       appraisal.mean_elapsed(s) AS mean_elapsed_rounded
FROM (VALUES ('met=2 late=0 overdue=0 pending=0 elapsed=7271.999999s'::appraisal.sla_stats)) v(s);
SELECT pg_temp.try($$SELECT appraisal.weighted_percent('{40,30}', '{1,2,3}', '{1,2,3}')$$);
SELECT pg_temp.try($$SELECT appraisal.weighted_percent('{-1}', '{1}', '{1}')$$);

-- Rows the data model rejects, with the rule they broke.
SELECT pg_temp.try($$INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('A1-08', 'web', '2026-01-13', 6)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.tickets (ticket_id, opened_at, resolved_at, contacts, channel, category, agent_id) VALUES ('bad', '2026-01-05 09:00', '2026-01-05 08:59', 1, 'phone', 'x', 'A1')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES ('bad', '2026-01-05 09:00', 'phone', 'x', 'nobody')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.tickets (ticket_id, opened_at, resolved_at, channel, category, agent_id) VALUES ('bad', '2026-01-05 09:00', '2026-01-05 10:00', 'phone', 'x', 'A1')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, cause, agent_id) VALUES ('bad', '2026-01-05 09:00', 'phone', 'x', 'service', 'A1')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('nope', 'web', '2026-01-13', 5)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score) VALUES ('2026-Q1', 'A1', 'S1', 'superior', 100.5)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score) VALUES ('2026-Q1', 'A1', 'A1', 'peer', 50)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.periods VALUES ('2026-Q1b', 'quarter', '2026-03-01', '2026-05-31')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings VALUES ('repeat_window', 'a while')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings VALUES ('pareto_share', '120')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.employees VALUES ('Z1', 'Nobody', 'intern', 'north', NULL)$$);
-- a chain of managers that comes back (checked at commit: chains load in any order)
BEGIN;
INSERT INTO appraisal.employees VALUES ('Z1', 'One', 'supervisor', 'west', 'Z2'), ('Z2', 'Two', 'supervisor', 'west', NULL);
UPDATE appraisal.employees SET manager_id = 'Z1' WHERE employee_id = 'Z2';
SELECT pg_temp.try($$SET CONSTRAINTS appraisal.check_manager_cycle IMMEDIATE$$);
ROLLBACK;
SELECT pg_temp.try($$INSERT INTO appraisal.sla_policies (metric, target, calendar) VALUES ('resolution', '2 days', 'no such calendar')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings VALUES ('min_tickets', '3000000000')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.grade_scale (name, scale) VALUES ('mine', '0..100: A >= 50, B')$$);
INSERT INTO appraisal.settings VALUES ('grade_scale', 'mine');
SELECT pg_temp.try($$DELETE FROM appraisal.grade_scale WHERE name = 'mine'$$);
SELECT pg_temp.try($$UPDATE appraisal.grade_scale SET name = 'yours' WHERE name = 'mine'$$);
DELETE FROM appraisal.settings WHERE name = 'grade_scale';
DELETE FROM appraisal.grade_scale WHERE name = 'mine';
-- one rater, two roles for one ratee: the refresh names them
BEGIN;
INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, dimension, score)
VALUES ('2026-Q1', 'A2', 'B1', 'peer', 'attitude', 80), ('2026-Q1', 'A2', 'B1', 'subordinate', 'skills', 80);
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.refresh_scorecards()$$);
ROLLBACK;
SELECT pg_temp.try($$INSERT INTO appraisal.sla_policies (metric, target) VALUES ('resolution', '1 month')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.sla_policies (metric, target) VALUES ('resolution', '1 day -2 hours')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings VALUES ('weight_first_response', '0'), ('weight_resolution', '0'), ('weight_satisfaction', '0')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES ('2026-Q1', 'A1', 'first responce', 90)$$);

-- A setting changes the scorecards at once: CSAT weight 0 leaves satisfaction out,
-- A1 becomes (40·90 + 30·800/9)/70 = 89.523 → 89.52 → 良.
INSERT INTO appraisal.settings VALUES ('weight_satisfaction', '0');
SELECT employee_id, composite_points, composite_grade FROM appraisal.agent_scorecard
WHERE period = '2026-Q1' AND employee_id = 'A1';
DELETE FROM appraisal.settings WHERE name = 'weight_satisfaction';

-- The day of a ticket is read in report_time_zone: 2026-03-31 17:00 UTC is already
-- April 1 in Shanghai, so the ticket moves from Q1 to Q2 there (after a refresh).
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, channel, category, customer_id, agent_id)
VALUES ('B1-late', '2026-03-31 17:00+00', '2026-03-31 18:00+00', 'phone', 'billing', 'e5', 'B1');
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT period, tickets FROM appraisal.agent_scorecard WHERE employee_id = 'B1' AND period IN ('2026-Q1', '2026-Q2') ORDER BY 1;
INSERT INTO appraisal.settings VALUES ('report_time_zone', 'Asia/Shanghai');
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT period, tickets FROM appraisal.agent_scorecard WHERE employee_id = 'B1' AND period IN ('2026-Q1', '2026-Q2') ORDER BY 1;

-- Surveys on different scales pool by counts: a 9 on 1..10 is satisfied (top two),
-- so A2 has 3 of 4 = 75.00, and north 8 of 9 = 88.88.
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating, scale_max)
VALUES ('A2-4', 'web', '2026-02-06', 9, 10);
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, responses, satisfied, csat FROM appraisal.agent_scorecard WHERE period = '2026-Q1' AND employee_id = 'A2';
SELECT team, responses, satisfied, csat FROM appraisal.team_scorecard WHERE period = '2026-Q1' AND team = 'north';

-- Given the addresses of rows of the tickets (ticket_rows), the summaries'
-- functions read the tickets of the agent-days asked among those rows alone:
-- refresh_scorecards() finds the rows once for agent_daily and for the CSAT
-- and follow-up pass.  With every row of A2's tickets, A2's first three days
-- are the rows of a read of every ticket; without A2-1's row, 2026-02-02
-- has no ticket to count (A2-1 alone was opened then, and rated 5).
SELECT (SELECT array_agg(r::text ORDER BY r.day) FROM appraisal.agent_daily_rows(a.agents, a.days, t.all_rows) r)
         = (SELECT array_agg(r::text ORDER BY r.day) FROM appraisal.agent_daily_rows(a.agents, a.days) r) AS agent_daily_same,
       (SELECT array_agg(r::text ORDER BY r.day) FROM appraisal.agent_daily_csat_follow_up_rows(a.agents, a.days, t.all_rows) r)
         = (SELECT array_agg(r::text ORDER BY r.day) FROM appraisal.agent_daily_csat_follow_up_rows(a.agents, a.days) r) AS csat_follow_up_same,
       (SELECT array_agg(r.day ORDER BY r.day) FROM appraisal.agent_daily_rows(a.agents, a.days, t.some_rows) r) AS agent_daily_days,
       (SELECT array_agg(r.day ORDER BY r.day) FROM appraisal.agent_daily_csat_follow_up_rows(a.agents, a.days, t.some_rows) r) AS csat_follow_up_days,
       (SELECT array_agg(r.scales ORDER BY r.day) FROM appraisal.agent_daily_csat_follow_up_rows(a.agents, a.days, t.all_rows) r) AS scales
FROM (SELECT '{A2,A2,A2}'::text[] AS agents, '{2026-02-02,2026-02-03,2026-02-04}'::date[] AS days) a,
     (SELECT array_agg(ctid) AS all_rows, array_agg(ctid) FILTER (WHERE ticket_id <> 'A2-1') AS some_rows
        FROM appraisal.tickets WHERE agent_id = 'A2') t;

-- What BI tools see: plain views, security_invoker but for the scoped
-- scorecards and the views they are built on (which run with their owner's
-- rights: scorecard_access decides the rows, and scorecard_360 shows the
-- rater groups from their anonymity threshold on), plain column types only.
SELECT c.relname, c.reloptions
FROM pg_class c WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'v' ORDER BY 1;
-- (but for agent_summaries and pooled_summaries, the summaries the
-- scorecards are built on, granted to nobody)
SELECT DISTINCT format_type(a.atttypid, a.atttypmod) AS view_column_types
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'v' AND a.attnum > 0
  AND c.relname NOT IN ('agent_summaries', 'pooled_summaries') ORDER BY 1;
