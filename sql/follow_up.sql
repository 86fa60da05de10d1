-- The follow-up after a ticket (docs/rules.md, "Service levels" and
-- "Complaint handling"): the call-back rate (回访率) with its window, survey
-- coverage, the internal quality inspection (内部质检) with its QA score, the
-- extreme-weighted CSAT, their targets, team pooling, KPI sources, bad input
-- and row scoping.  Every number computed by hand in the comments.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
\i test/summary_ways.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

INSERT INTO appraisal.settings (name, value) VALUES ('min_tickets', '3'), ('min_responses', '2');
SELECT count(*) > 0 AS periods FROM appraisal.add_periods(2026);
DO $$
BEGIN
  IF extract(year FROM now() - interval '1 hour') > 2026 THEN
    PERFORM appraisal.add_periods(extract(year FROM now() - interval '1 hour')::int);
  END IF;
END
$$;
INSERT INTO appraisal.providers (provider_id, name) VALUES ('P1', 'Repairs');
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id, provider_id) VALUES
  ('M1', 'Wang Fang', 'manager', 'hq', NULL, NULL),
  ('A1', 'Liu Yang', 'specialist', 'north', 'M1', NULL),
  ('A2', 'Chen Jing', 'specialist', 'north', 'M1', NULL),
  ('B1', 'Zhao Lei', 'specialist', 'south', 'M1', 'P1');

-- A1, January 2026: five resolved tickets and one open (T5).
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T1', '2026-01-05 09:00', '2026-01-05 10:00', '2026-01-05 12:00', 1, 'phone', 'install', 'A1'),
  ('T2', '2026-01-06 09:00', '2026-01-06 10:00', '2026-01-06 12:00', 1, 'phone', 'install', 'A1'),
  ('T3', '2026-01-07 09:00', '2026-01-07 10:00', '2026-01-07 12:00', 1, 'phone', 'install', 'A1'),
  ('T4', '2026-01-08 09:00', '2026-01-08 10:00', '2026-01-08 12:00', 1, 'phone', 'install', 'A1'),
  ('T5', '2026-01-09 09:00', '2026-01-09 10:00', NULL, NULL, 'phone', 'install', 'A1'),
  ('T6', '2026-01-10 09:00', '2026-01-10 10:00', '2026-01-10 12:00', 1, 'phone', 'install', 'A1');
-- A2: four resolved tickets.  B1: one resolved in January, and two resolved
-- half an hour ago (their call-back window still open).
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('U1', '2026-01-12 09:00', '2026-01-12 09:30', '2026-01-12 10:00', 1, 'web', 'repair', 'A2'),
  ('U2', '2026-01-13 09:00', '2026-01-13 09:30', '2026-01-13 10:00', 1, 'web', 'repair', 'A2'),
  ('U3', '2026-01-14 09:00', '2026-01-14 09:30', '2026-01-14 10:00', 1, 'web', 'repair', 'A2'),
  ('U4', '2026-01-15 09:00', '2026-01-15 09:30', '2026-01-15 10:00', 1, 'web', 'repair', 'A2'),
  ('V1', '2026-02-02 09:00', '2026-02-02 09:30', '2026-02-02 10:00', 1, 'phone', 'repair', 'B1'),
  ('V2', now() - interval '1 hour', now() - interval '50 minutes', now() - interval '30 minutes', 1, 'phone', 'repair', 'B1'),
  ('V3', now() - interval '1 hour', now() - interval '50 minutes', now() - interval '30 minutes', 1, 'phone', 'repair', 'B1');

INSERT INTO appraisal.call_backs (ticket_id, called_at, caller, outcome) VALUES
  ('T1', '2026-01-12 12:00', 'C9', 'satisfied'),         -- exactly 7 days after resolution: counts
  ('T2', '2026-01-13 12:00:01', 'C9', 'satisfied'),      -- 7 days and 1 second: too late
  ('T4', '2026-01-08 11:00', 'C9', 'not yet fixed'),     -- before the resolution: not a call-back on it
  ('T5', '2026-01-10 09:00', 'C9', NULL),                -- an open ticket: outside the rate
  ('T6', '2026-01-11 09:00', 'C9', NULL), ('T6', '2026-01-12 09:00', 'C9', NULL),   -- twice: one ticket
  ('U1', '2026-01-13 09:00', NULL, NULL), ('U2', '2026-01-14 09:00', NULL, NULL),
  ('U4', '2026-01-15 10:00', NULL, 'reached'),           -- at the resolution itself: counts
  ('V1', '2026-02-03 09:00', NULL, NULL),
  ('V3', now() - interval '10 minutes', NULL, NULL);     -- within its open window: counts at once
-- survey responses: T3's came from a call-back (a call-back without a row in call_backs)
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES
  ('T1', 'sms', '2026-01-06', 5), ('T3', 'call_back', '2026-01-08', 4), ('T4', 'web', '2026-01-09', 1),
  ('T5', 'web', '2026-01-10', 5), ('U1', 'web', '2026-01-13', 4);
INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score, note) VALUES
  ('T1', 'R1', '2026-01-20', 90, NULL), ('T2', 'R1', '2026-01-20', 85.5, NULL),
  ('T1', 'R2', '2026-01-21', 99.99, 'calibration: a second reviewer'),   -- a second sample of T1
  ('U1', 'R1', '2026-01-20', 100, NULL);

SELECT materialized_view, mode FROM appraisal.refresh_scorecards() WHERE materialized_view LIKE '%follow_up';

-- Every ticket at once is counted one of two ways on one node: merged in
-- the order of the tables' keys when the tickets are stored in the order of
-- their ids (inserted so here: correlation 1 once analyzed), else hashed by
-- the ids' bytes (here without statistics).  Each gives the rows the keyed
-- look-up of every agent-day gives, as_of aside; the rows counted by hand
-- below are the merged ones (refreshed in full after the statistics).  12
-- agent-days: A1's six tickets and A2's four on days of their own, V1's,
-- and V2 with V3.
ANALYZE appraisal.tickets;
SELECT appraisal.tickets_in_id_order();
SELECT pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS merged_differ;
-- Merged, the pass runs in parts, a range of ids each, as many as the
-- parallel workers (one to a process): ticket_id_bounds gives the ids
-- between them from the histogram of ticket_id, here all 13 ids in order
-- (T1..T6, U1..U4, V1..V3), the bound i of n parts the id at 1 + i * 12 / n
-- (integer division): two parts split at U1 (7th), three at T5 and U3
-- (5th, 9th), four at T4, U1, U4 (4th, 7th, 10th); none for one part, nor
-- for 13 or more (no more bounds than parts in the histogram).
SELECT appraisal.ticket_id_bounds(1) AS one, appraisal.ticket_id_bounds(2) AS two, appraisal.ticket_id_bounds(3) AS three,
       appraisal.ticket_id_bounds(4) AS four, appraisal.ticket_id_bounds(13) AS thirteen;
-- No number of parts, or none or fewer: no bounds either (one part), no error.
SELECT appraisal.ticket_id_bounds(0) AS zero, appraisal.ticket_id_bounds(-3) AS negative, appraisal.ticket_id_bounds(NULL) AS unknown;
-- An agent-day split between two parts is added up whole.  V4, A2's open
-- ticket of an hour ago, makes 14 ids: 13 parts split at every id from T2
-- to V3 (1 + i * 13 / 13), so that B1's tickets of today, V2 and V3, lie in
-- two parts.  Both rated (V2 5 of 5: extreme, satisfied; V3 2 of 10:
-- other, not satisfied, 2 < 10 - 1) and inspected (80 and 70.5): B1 today
-- has opened 2, resolved 2, called back 1 (V3), pending 1 (V2, its window
-- open), surveyed 2, inspections 2 scoring 150.5, extreme 1/1, other 1/0,
-- and two CSAT summaries, scale 5 with 1 response, 1 satisfied, and scale
-- 10 with 1 response, none satisfied, each from one part (the other part
-- has no response of its scale); A2 that day has V4 opened and nothing
-- else.  One part, two and thirteen give the same rows.
BEGIN;
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('V4', now() - interval '1 hour', NULL, NULL, NULL, 'phone', 'repair', 'A2');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating, scale_max) VALUES
  ('V2', 'web', now() - interval '20 minutes', 5, 5), ('V3', 'web', now() - interval '20 minutes', 2, 10);
INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES
  ('V2', 'R1', current_date, 80), ('V3', 'R1', current_date, 70.5);
ANALYZE appraisal.tickets;
SELECT appraisal.ticket_id_bounds(13) AS thirteen;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE one_part ON COMMIT DROP AS SELECT * FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL);
SET LOCAL max_parallel_workers_per_gather = 13;
SELECT f.agent_id, f.opened, f.resolved, f.called_back, f.call_back_pending AS pending, f.surveyed, f.inspections,
       f.inspection_score_sum AS score_sum, f.extreme_responses AS extreme, f.extreme_satisfied, f.other_responses AS other,
       f.other_satisfied, f.scales,
       ARRAY(SELECT format('%s/%s', appraisal.responses(c), appraisal.satisfied(c)) FROM unnest(f.csats) c) AS csats
FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL) f
WHERE f.day = appraisal.local_day(now() - interval '1 hour', (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p))
ORDER BY f.agent_id;
CREATE FUNCTION pg_temp.parts_differ() RETURNS bigint LANGUAGE sql AS $$
  SELECT (SELECT count(*) FROM (SELECT to_jsonb(o) FROM one_part o
                                EXCEPT ALL SELECT to_jsonb(f) FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL) f) d)
       + (SELECT count(*) FROM (SELECT to_jsonb(f) FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL) f
                                EXCEPT ALL SELECT to_jsonb(o) FROM one_part o) d)
$$;
SELECT count(*) AS agent_days, pg_temp.parts_differ() AS thirteen_parts_differ FROM one_part;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT pg_temp.parts_differ() AS two_parts_differ;
ROLLBACK;
BEGIN;
DELETE FROM pg_statistic WHERE starelid = 'appraisal.tickets'::regclass;
SELECT appraisal.tickets_in_id_order(), appraisal.ticket_id_bounds(2) AS bounds;
SELECT pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS hashed_differ;
ROLLBACK;
-- Merged, each part is a call of follow_up_pass (C): the tickets of a range
-- of ids read with their call-backs, responses and inspections in the order
-- of the tables' keys.  Its rows for T1 alone ([NULL, 'T2')): A1 on 5
-- January (UTC), opened and resolved 1, called back 1 (exactly 7 days
-- later: the window's end counts), pending 0, surveyed 1, inspected twice
-- (90 + 99.99 = 189.99), its sms response 5 of 5 extreme and satisfied; one
-- row, of scale 5, with the counts, rated 1, CSAT 5 of 5 once.
SELECT agent_id, day, scale_max, opened, resolved, called_back, call_back_pending AS pending, surveyed, inspections,
       score_sum, extreme_responses AS extreme, extreme_satisfied, other_responses AS other, other_satisfied, rated, csat
FROM appraisal.follow_up_pass(NULL, 'T2', 'UTC', '7 days', now());
-- An empty range, and V1's agent-day (B1, 2 February: opened, resolved and
-- called back 1, no response): one row with scale_max NULL, rated 0.
SELECT count(*) AS empty_range FROM appraisal.follow_up_pass('T2', 'T2', 'UTC', '7 days', now());
-- (a NULL end is unbounded; a NULL zone, window or instant an error, 22004)
SELECT pg_temp.try($$SELECT * FROM appraisal.follow_up_pass(NULL, NULL, NULL, '7 days', now())$$) AS no_zone,
       pg_temp.try($$SELECT * FROM appraisal.follow_up_pass(NULL, NULL, 'UTC', NULL, now())$$) AS no_window;
SELECT agent_id, day, scale_max, opened, resolved, called_back, surveyed, rated, csat
FROM appraisal.follow_up_pass('V1', 'V2', 'UTC', '7 days', now());
-- The parts planned as a parallel append, one call to each process.
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT * FROM appraisal.follow_up_pass(NULL, 'U1', 'UTC', '7 days', now())
UNION ALL SELECT * FROM appraisal.follow_up_pass('U1', NULL, 'UTC', '7 days', now());
ROLLBACK;
-- Rows of tickets not read (loaded with the foreign keys' triggers off): a
-- call-back of T35 (between T3 and T4 in the keys' order), a response of
-- T0 (before every ticket), inspections of U25 and of Z9 (after every
-- ticket).  The pass, finding rows left over, passes again comparing the
-- ids in the keys' order (DEBUG1) and leaves them out, as the joins of the
-- hashed and keyed ways do: the same rows as without them.
BEGIN;
CREATE TEMP TABLE before_orphans ON COMMIT DROP AS
  SELECT * FROM appraisal.follow_up_pass(NULL, NULL, 'UTC', '7 days', '2026-12-01');
SET LOCAL session_replication_role = replica;
INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('T35', '2026-01-08 12:00');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T0', 'web', '2026-01-08', 1);
INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES
  ('U25', 'R1', '2026-01-20', 10), ('Z9', 'R1', '2026-01-20', 20);
SET LOCAL session_replication_role = origin;
CREATE TEMP TABLE with_orphans (LIKE before_orphans) ON COMMIT DROP;
SET LOCAL client_min_messages = debug1;
INSERT INTO with_orphans SELECT * FROM appraisal.follow_up_pass(NULL, NULL, 'UTC', '7 days', '2026-12-01');
RESET client_min_messages;
SELECT (SELECT count(*) FROM before_orphans) AS agent_day_rows,
       (SELECT count(*) FROM (SELECT to_jsonb(b) FROM before_orphans b EXCEPT ALL SELECT to_jsonb(w) FROM with_orphans w) d)
     + (SELECT count(*) FROM (SELECT to_jsonb(w) FROM with_orphans w EXCEPT ALL SELECT to_jsonb(b) FROM before_orphans b) d) AS differ;
SELECT appraisal.tickets_in_id_order(), pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS merged_differ,
       pg_temp.csat_ways_differ() AS merged_csat_differ;
ROLLBACK;
-- With little memory (work_mem 64kB, hash_mem_multiplier 2: what a hash
-- aggregate may take is 128 kB) the pass returns the rows it has every 1024
-- agent-days and begins again: more rows than agent-days, which
-- agent_daily_csat_follow_up_rows adds up alike.  3,000 more tickets of
-- three agents over some 1,500 days, a third with a response, a fifth
-- inspected, some called back; then rows of tickets not read as well, so
-- that the pass, having returned rows, takes them back and passes again.
-- (The refresh's warning of days no period covers is not shown.)
BEGIN;
SET LOCAL client_min_messages = error;
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id)
SELECT format('X%s', lpad(i::text, 4, '0')), o, o + interval '1 hour', CASE WHEN i % 6 <> 0 THEN o + interval '2 hours' END,
       CASE WHEN i % 6 <> 0 THEN 1 END, 'phone', 'repair', (ARRAY['A1', 'A2', 'B1'])[1 + i % 3]
FROM generate_series(1, 3000) i, LATERAL (SELECT timestamptz '2022-01-03 08:00+00' + (i / 2) * interval '1 day') t(o);
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating, scale_max)
SELECT t.ticket_id, (ARRAY['web', 'call_back', 'sms'])[1 + n % 3], t.opened_at + interval '3 hours', 1 + n % 5, 5
FROM (SELECT ticket_id, opened_at, row_number() OVER (ORDER BY ticket_id) AS n FROM appraisal.tickets WHERE ticket_id LIKE 'X%') t
WHERE t.n % 3 = 0;
INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score)
SELECT ticket_id, 'R1', '2026-01-20', 50 + length(ticket_id) FROM appraisal.tickets WHERE ticket_id LIKE 'X%' AND right(ticket_id, 1) IN ('0', '5');
INSERT INTO appraisal.call_backs (ticket_id, called_at)
SELECT ticket_id, resolved_at + interval '1 day' FROM appraisal.tickets WHERE ticket_id LIKE 'X%' AND right(ticket_id, 1) IN ('1', '4') AND resolved_at IS NOT NULL;
ANALYZE appraisal.tickets;
SELECT DISTINCT mode FROM appraisal.refresh_scorecards(full => true) WHERE materialized_view LIKE '%follow_up';
CREATE FUNCTION pg_temp.pass_rows() RETURNS TABLE (pass_rows bigint, agent_days bigint) LANGUAGE sql AS $$
  SELECT count(*), count(DISTINCT (p.agent_id, p.day)) FROM appraisal.follow_up_pass(NULL, NULL, 'UTC', '7 days', now()) p
$$;
SELECT * FROM pg_temp.pass_rows();
SET LOCAL work_mem = '64kB';
SELECT pass_rows > agent_days AS returned_early, appraisal.tickets_in_id_order(),
       pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS little_memory_differ,
       pg_temp.csat_ways_differ() AS little_memory_csat_differ
FROM pg_temp.pass_rows();
SET LOCAL session_replication_role = replica;
INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('T35', '2026-01-08 12:00');
SET LOCAL session_replication_role = origin;
SELECT pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS passed_again_differ,
       pg_temp.csat_ways_differ() AS passed_again_csat_differ;
ROLLBACK;
-- The window's end in the report time zone, as timestamptz + interval
-- counts it there (the refresh computes in that zone): with a window of 1
-- day in New York, W1 and W2 resolved at noon on 7 March 2026, the day
-- before the clocks go forward, are due at noon on 8 March, 23 hours
-- later.  W1 called back then counts; W2 called back a microsecond later
-- does not.  A2 that day: opened and resolved 2, called back 1, so stored
-- by a full refresh, the same every way.
BEGIN;
SET LOCAL timezone = 'America/New_York';
INSERT INTO appraisal.settings (name, value) VALUES ('call_back_window', '1 day'), ('report_time_zone', 'America/New_York');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('W1', '2026-03-07 09:00', '2026-03-07 10:00', '2026-03-07 12:00', 1, 'web', 'repair', 'A2'),
  ('W2', '2026-03-07 09:00', '2026-03-07 10:00', '2026-03-07 12:00', 1, 'web', 'repair', 'A2');
INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES
  ('W1', '2026-03-08 12:00'), ('W2', '2026-03-08 12:00:00.000001');
SELECT '2026-03-08 12:00'::timestamptz - '2026-03-07 12:00'::timestamptz AS due_after;
SELECT agent_id, day, opened, resolved, called_back, call_back_pending AS pending
FROM appraisal.follow_up_pass('W1', NULL, 'America/New_York', '1 day', now());
ANALYZE appraisal.tickets;
SELECT DISTINCT mode FROM appraisal.refresh_scorecards(full => true) WHERE materialized_view LIKE '%follow_up';
SELECT agent_id, day, resolved, called_back FROM appraisal.agent_daily_follow_up WHERE day = '2026-03-07';
SELECT appraisal.tickets_in_id_order(), pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS merged_differ;
ROLLBACK;
-- It reads the tables with the caller's rights: a role that may read the
-- tickets but not their call-backs is refused (42501); with row-level
-- security in force on the tickets it refuses to read them at all (0A000:
-- only a query applies the policies), and agent_daily_csat_follow_up_rows
-- then counts every ticket by queries, not by this pass.
BEGIN;
CREATE ROLE follow_up_reader;
GRANT USAGE ON SCHEMA appraisal TO follow_up_reader;
GRANT SELECT ON appraisal.tickets, appraisal.survey_responses, appraisal.quality_inspections TO follow_up_reader;
SET LOCAL ROLE follow_up_reader;
SELECT pg_temp.try($$SELECT * FROM appraisal.follow_up_pass(NULL, NULL, 'UTC', '7 days', now())$$);
RESET ROLE;
GRANT SELECT ON appraisal.call_backs TO follow_up_reader;
ALTER TABLE appraisal.tickets ENABLE ROW LEVEL SECURITY;
CREATE POLICY every_ticket ON appraisal.tickets TO follow_up_reader USING (true);
SET LOCAL ROLE follow_up_reader;
SELECT pg_temp.try($$SELECT * FROM appraisal.follow_up_pass(NULL, NULL, 'UTC', '7 days', now())$$);
RESET ROLE;
SELECT pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS queried_differ;
ROLLBACK;
SELECT count(*) AS agent_days FROM appraisal.agent_daily_follow_up_rows(NULL, NULL);
SELECT DISTINCT mode FROM appraisal.refresh_scorecards(full => true) WHERE materialized_view LIKE '%follow_up';

-- One pass gives the follow-up and the CSAT summaries
-- (agent_daily_csat_follow_up_rows): each agent-day is grouped by the scale
-- of its tickets' counted responses, then as a whole.  A refresh on one
-- node writes both from one call, agent_daily_csat_rows not called.  Three
-- more tickets, in a transaction of their own:
-- - T7, A1's second on 5 January, rated 9 on a 1..10 scale: A1 that day
--   has T1 (5 of 5: extreme, satisfied; called back; inspected twice, 90
--   and 99.99) and T7 (9 of 10: other, satisfied, 9 >= 10 - 1; neither
--   called back nor inspected): opened 2, resolved 2, called back 1,
--   surveyed 2, inspections 2 scoring 189.99, extreme 1/1, other 1/1; CSAT
--   5 of 5 (1 response, 1 satisfied) and 9 of 10 (1, 1) kept apart.
-- - T8, A2's system-caused complaint of 20 January, rated 1: not A2's, so
--   a follow-up row of one ticket opened and nothing else, and no CSAT row.
-- - T9, A1's, opened tomorrow, already rated 4 of 5: the CSAT summary
--   counts every rated ticket (1 response, satisfied), the follow-up only
--   tickets opened by the refresh: opened 0, no follow-up row.
BEGIN;
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id, complaint, cause) VALUES
  ('T7', '2026-01-05 10:00', '2026-01-05 10:30', '2026-01-05 11:00', 1, 'phone', 'install', 'A1', false, NULL),
  ('T8', '2026-01-20 09:00', '2026-01-20 09:30', '2026-01-20 10:00', 1, 'web', 'repair', 'A2', true, 'system'),
  ('T9', now() + interval '1 day', NULL, NULL, NULL, 'phone', 'install', 'A1', false, NULL);
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating, scale_max) VALUES
  ('T7', 'web', '2026-01-06', 9, 10), ('T8', 'web', '2026-01-21', 1, 5), ('T9', 'web', now(), 4, 5);
-- A ticket called back more than once both ways counts once: T10, A2's of
-- 16 January resolved at 10:00, called back at 11:00 and 12:00, and
-- answering two call-back surveys in its window (11:00 rated 5, 13:00
-- rated 4; the later one counts).  A2 that day: opened 1, resolved 1,
-- called back 1, pending 0, surveyed 1, extreme 0/0, other 1/1 (4 of 5),
-- one CSAT summary, on the scale 1..5: 1 response, 1 satisfied.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T10', '2026-01-16 09:00', '2026-01-16 09:30', '2026-01-16 10:00', 1, 'web', 'repair', 'A2');
INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('T10', '2026-01-16 11:00'), ('T10', '2026-01-16 12:00');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES
  ('T10', 'call_back', '2026-01-16 11:00', 5), ('T10', 'call_back', '2026-01-16 13:00', 4);
SELECT f.opened, f.resolved, f.called_back, f.call_back_pending AS pending, f.surveyed, f.extreme_responses AS extreme,
       f.extreme_satisfied, f.other_responses AS other, f.other_satisfied, f.scales,
       ARRAY(SELECT format('%s/%s', appraisal.responses(c), appraisal.satisfied(c)) FROM unnest(f.csats) c) AS csats
FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL) f
WHERE (f.agent_id, f.day) = ('A2', '2026-01-16');
SELECT f.agent_id, f.day > now() AS later, f.opened, f.resolved, f.called_back, f.call_back_pending AS pending,
       f.surveyed, f.inspections, f.inspection_score_sum AS score_sum, f.extreme_responses AS extreme, f.extreme_satisfied,
       f.other_responses AS other, f.other_satisfied, f.scales,
       ARRAY(SELECT format('%s/%s', appraisal.responses(c), appraisal.satisfied(c)) FROM unnest(f.csats) c) AS csats
FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL) f
WHERE (f.agent_id, f.day) IN (('A1', '2026-01-05'), ('A2', '2026-01-20')) OR f.day > now()
ORDER BY f.agent_id, f.day;
SET LOCAL track_functions = 'pl';
SELECT DISTINCT mode FROM appraisal.refresh_scorecards(full => true) WHERE materialized_view ~ '(csat|follow_up)$';
SELECT funcname, calls FROM pg_stat_xact_user_functions
WHERE schemaname = 'appraisal' AND funcname IN ('agent_daily_csat_rows', 'agent_daily_csat_follow_up_rows') ORDER BY funcname;
SELECT agent_id, day > now() AS later, resolved, surveyed, other_responses FROM appraisal.agent_daily_follow_up
WHERE (agent_id, day) IN (('A1', '2026-01-05'), ('A2', '2026-01-20')) OR day > now() ORDER BY agent_id, day;
SELECT agent_id, day > now() AS later, scale_max, appraisal.responses(csat), appraisal.satisfied(csat) FROM appraisal.agent_daily_csat
WHERE (agent_id, day) IN (('A1', '2026-01-05'), ('A2', '2026-01-20')) OR day > now() ORDER BY agent_id, day, scale_max;
-- A changed refresh writes both from the one pass too: T7 resolved a
-- minute later (a ticket alone written) is taken out of A1's 5 January as
-- it counted and added as it counts, two calls more (3), and neither
-- agent_daily_csat_rows nor agent_daily_follow_up_rows is called; A1's 5
-- January as before (resolved 2, surveyed 2, other 1).
SET LOCAL track_functions = 'all';
UPDATE appraisal.tickets SET resolved_at = resolved_at + interval '1 minute' WHERE ticket_id = 'T7';
SELECT materialized_view, mode FROM appraisal.refresh_scorecards() WHERE materialized_view ~ '(csat|follow_up)$' ORDER BY 1;
SELECT funcname, calls FROM pg_stat_xact_user_functions
WHERE schemaname = 'appraisal' AND funcname IN ('agent_daily_csat_rows', 'agent_daily_follow_up_rows', 'agent_daily_csat_follow_up_rows')
ORDER BY funcname;
SELECT agent_id, day, resolved, surveyed, other_responses FROM appraisal.agent_daily_follow_up WHERE (agent_id, day) = ('A1', '2026-01-05');
-- Without facts, as the refresh counts the tickets inserted since the last
-- one when no response, call-back or inspection was written since: A1's 5
-- January as if T1 and T7 had none (opened 2, resolved 2, none called back,
-- pending (their windows closed long ago), surveyed, inspected or rated).
SELECT f.opened, f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections, f.extreme_responses,
       f.other_responses, f.scales
FROM appraisal.agent_daily_csat_follow_up_rows('{A1}', '{2026-01-05}', facts => false) f;
-- the same rows every way: merged (the statistics say the tickets are in
-- id order), hashed (none), and by key
SELECT pg_temp.csat_ways_differ() AS merged_csat_differ,
       pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS follow_up_differ,
       pg_temp.full_and_keyed_differ('appraisal.agent_daily_csat') AS csat_differ;
-- Without a survey response at all the merged pass has no scale: every
-- agent-day's scales and csats are NULL, nobody surveyed, the rest as before.
SAVEPOINT no_responses;
DELETE FROM appraisal.survey_responses;
SELECT count(*) AS agent_days, count(f.scales) AS with_scales, count(f.csats) AS with_csats, sum(f.surveyed) AS surveyed,
       sum(f.opened) AS opened, pg_temp.csat_ways_differ() AS merged_csat_differ
FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL) f;
ROLLBACK TO SAVEPOINT no_responses;
DELETE FROM pg_statistic WHERE starelid = 'appraisal.tickets'::regclass;
SELECT pg_temp.csat_ways_differ() AS hashed_csat_differ,
       pg_temp.full_and_keyed_differ('appraisal.agent_daily_follow_up') AS follow_up_differ;
ROLLBACK;

-- A1 2026-Q1: resolved T1 T2 T3 T4 T6 = 5 (T5 is open); called back T1
-- (window end, inclusive), T3 (call-back survey response), T6 (twice, one
-- ticket) = 3; T2 1 s late and T4 before its resolution are not: 3/5 =
-- 60.00, below 90 with 5 >= min_tickets 3 judged → missed.  Surveyed
-- (resolved with a response) T1 T3 T4 = 3/5 = 60.00 (T5's response counts in
-- CSAT, not in coverage: T5 is not resolved).  QA: three inspections 90,
-- 85.5, 99.99 (T1 counts twice) = 275.49 / 3 = 91.83 exactly, below 95.
-- A2: resolved 4, called back U1 U2 U4 = 3/4 = 75.00, missed; surveyed U1
-- 1/4 = 25.00; QA one inspection 100 → 100.00, met.
-- B1 Q1: V1 called back 1/1 = 100.00 but 1 < min_tickets: no verdict; no
-- inspections: no QA score, no verdict.
SELECT employee_id, resolved, called_back, call_back_pending AS pending, call_back_rate, meets_call_back_target,
       surveyed, survey_coverage, qa_sampled, qa_score, meets_service_quality_target
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' ORDER BY employee_id;

-- B1 in the period of V2 and V3 (resolved half an hour ago, window open):
-- V3 called back already counts, V2 is pending and left out: 1/(2 - 1) = 100.00.
SELECT employee_id, resolved, called_back, call_back_pending AS pending, call_back_rate
FROM appraisal.agent_scorecard
WHERE employee_id = 'B1' AND period_kind = 'quarter' AND (now() - interval '1 hour')::date BETWEEN starts_on AND ends_on;

-- Extreme-weighted CSAT.  A1's counted responses: T1 5 (extreme, satisfied),
-- T3 4 (satisfied), T4 1 (extreme), T5 5 (extreme, satisfied).  Plain: 3/4 =
-- 75.00, and at the default weight 1 the weighted one is the same.
SELECT employee_id, responses, satisfied, csat, csat_extreme_weighted, extreme_rating_weight
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' ORDER BY employee_id;
-- weight 0.5: satisfied 0.5 + 1 + 0.5 = 2 of 0.5 + 1 + 0.5 + 0.5 = 2.5 → 80.00;
-- weight 0: the extremes left out, T3 alone: 1/1 = 100.00.  A2 (U1 4 only) 100.00
-- either way.  No refresh needed: the weight is applied when read.
BEGIN;
INSERT INTO appraisal.settings (name, value) VALUES ('extreme_rating_weight', '0.5');
SELECT employee_id, csat, csat_extreme_weighted, extreme_rating_weight
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' AND employee_id IN ('A1', 'A2') ORDER BY employee_id;
UPDATE appraisal.settings SET value = '0' WHERE name = 'extreme_rating_weight';
SELECT employee_id, csat, csat_extreme_weighted, extreme_rating_weight
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' AND employee_id = 'A1';
ROLLBACK;

-- Targets are read off the shown value: 60 is met by A1's 60.00, and a QA
-- target of 91.83 by its 91.83.
BEGIN;
INSERT INTO appraisal.settings (name, value) VALUES ('target_call_back_rate', '60'), ('target_service_quality', '91.83');
SELECT employee_id, call_back_rate, meets_call_back_target, qa_score, meets_service_quality_target
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' AND employee_id = 'A1';
ROLLBACK;

-- Team north pools A1 and A2's counts: called back 3 + 3 of 5 + 4 = 6/9 =
-- 66.66 (the mean of the rates, 67.50, would be wrong); surveyed 3 + 1 = 4/9
-- = 44.44; QA (275.49 + 100) / 4 = 93.8725 → 93.87, below 95 (the mean of the
-- agents' scores, 95.91, would meet it).  Extreme-weighted at 0.5: satisfied
-- 2 + 1 = 3 of 2.5 + 1 = 3.5 → 85.71; plain 4/5 = 80.00.
SELECT team, resolved, called_back, call_back_rate, meets_call_back_target, surveyed, survey_coverage,
       qa_sampled, qa_score, meets_service_quality_target, csat, csat_extreme_weighted
FROM appraisal.team_scorecard WHERE period = '2026-Q1' ORDER BY team;
BEGIN;
INSERT INTO appraisal.settings (name, value) VALUES ('extreme_rating_weight', '0.5');
SELECT team, csat, csat_extreme_weighted FROM appraisal.team_scorecard WHERE period = '2026-Q1' AND team = 'north';
ROLLBACK;
-- the provider's technicians (B1) pool the same way
SELECT provider_id, technicians, resolved, called_back, call_back_rate, meets_call_back_target, qa_sampled, qa_score
FROM appraisal.provider_scorecard WHERE period = '2026-Q1';

-- A longer window (a setting, read at the refresh): 7 days and 1 second
-- takes in T2's call-back: A1 4/5 = 80.00.
INSERT INTO appraisal.settings (name, value) VALUES ('call_back_window', '7 days 1 second');
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, called_back, call_back_rate FROM appraisal.agent_scorecard WHERE period = '2026-Q1' AND employee_id = 'A1';
DELETE FROM appraisal.settings WHERE name = 'call_back_window';
SELECT count(*) FROM appraisal.refresh_scorecards();

-- KPI sources.  Specialists: QA score on 60..100 and call-back rate on
-- 50..100, weights 50 and 50.  A1: 91.83 → 31.83/40 = 79.575 → 79.57;
-- 60.00 → 10/50 = 20.00; overall (50·79.57 + 50·20)/100 = 49.785 → 49.78 → 差.
-- A2: 100.00 → 100; 75.00 → 50.00; overall 75.00 → 中.  B1: 1 judged ticket
-- (< min_tickets 3), no inspection: neither KPI has a value, no appraisal.
-- The manager M1, QA score on 80..100 over everyone he answers for (A1, A2,
-- B1): 375.49 / 4 = 93.87 → 13.87/20 = 69.35 → 较差.
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source) VALUES
  ('specialist', 'quality', 50, 60, 100, 'qa_score'),
  ('specialist', 'call-backs', 50, 50, 100, 'call_back_rate'),
  ('manager', 'team quality', 100, 80, 100, 'qa_score');
SELECT employee_id, period, kpi, source, value, value_from, points
FROM appraisal.kpi_breakdown WHERE period IN ('2026-Q1', '2026') ORDER BY employee_id, kpi;
SELECT employee_id, period, kpis_defined, kpis_scored, points, grade
FROM appraisal.overall_appraisal WHERE period IN ('2026-Q1', '2026') ORDER BY employee_id;
-- survey coverage and the extreme-weighted CSAT are sources too; a made-up one is not
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source) VALUES ('supervisor', 'coverage', 1, 0, 100, 'survey_coverage'), ('supervisor', 'weighted csat', 1, 0, 100, 'csat_extreme_weighted')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source) VALUES ('supervisor', 'calls', 1, 0, 100, 'call_backs')$$);

-- Bad input, refused with the rule broken.
SELECT pg_temp.try($$INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES ('T3', 'R1', '2026-01-20', 101)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES ('T3', 'R1', '2026-01-20', -0.01)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES ('T3', 'R1', '2026-01-20', 'NaN')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES ('nope', 'R1', '2026-01-20', 80)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES ('T3', '', '2026-01-20', 80)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES ('T3', 'R1', 'infinity', 80)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('nope', '2026-01-20')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('T3', 'infinity')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('T1', '2026-01-12 12:00')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('extreme_rating_weight', '1.5')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('call_back_window', '-1 day')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('target_call_back_rate', '101')$$);
-- a ticket deleted takes its call-backs and inspections with it
BEGIN;
DELETE FROM appraisal.tickets WHERE ticket_id = 'T1';
SELECT (SELECT count(*) FROM appraisal.call_backs WHERE ticket_id = 'T1') AS call_backs,
       (SELECT count(*) FROM appraisal.quality_inspections WHERE ticket_id = 'T1') AS inspections;
ROLLBACK;

-- Row scoping: a role listed for employee A2 alone sees A2's follow-up
-- columns in agent_scorecard, no team row, and none of the tables and
-- summaries beneath.
CREATE ROLE appraisal_test_a2;
GRANT USAGE ON SCHEMA appraisal TO appraisal_test_a2;
GRANT SELECT ON appraisal.agent_scorecard, appraisal.team_scorecard TO appraisal_test_a2;
INSERT INTO appraisal.scorecard_access (grantee, employee_id) VALUES ('appraisal_test_a2', 'A2');
SET ROLE appraisal_test_a2;
SELECT employee_id, period, called_back, call_back_rate, qa_sampled, qa_score
FROM appraisal.agent_scorecard WHERE period = '2026-Q1';
SELECT count(*) AS team_rows FROM appraisal.team_scorecard;
SELECT pg_temp.try($$SELECT * FROM appraisal.follow_up_summaries$$);
SELECT pg_temp.try($$SELECT * FROM appraisal.agent_daily_follow_up$$);
SELECT pg_temp.try($$SELECT * FROM appraisal.quality_inspections$$);
SELECT pg_temp.try($$SELECT * FROM appraisal.call_backs$$);
RESET ROLE;
DELETE FROM appraisal.scorecard_access;
DROP OWNED BY appraisal_test_a2;
DROP ROLE appraisal_test_a2;
