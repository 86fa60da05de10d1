-- Data health (docs/operations.md, "Data health"): appraisal.data_health lists
-- what makes the scorecards empty, thin or out of date, and refresh_scorecards()
-- reports the same problems (NOTICE / WARNING, and its last row).  First an
-- empty database, then a clean data set (no problem), then one problem of
-- each kind added, every count and example worked out by hand below.
-- Progress lines are LOG messages with their seconds in DETAIL: shown here
-- with client_min_messages = log and VERBOSITY terse (no DETAIL, no HINT).
\set SHOW_CONTEXT never
\set VERBOSITY terse
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- Nothing refreshed yet: the five summaries are not populated, the three
-- checks that read them are not checked, the others find nothing.
SELECT check_name, severity, status, items, problem, examples FROM appraisal.data_health;

-- The clean data set.  Small minimums: 2 tickets, 1 response.  Days are read
-- in Asia/Shanghai (UTC+8).
INSERT INTO appraisal.settings (name, value) VALUES
  ('min_tickets', '2'), ('min_responses', '1'), ('report_time_zone', 'Asia/Shanghai');
SELECT count(*) AS periods FROM appraisal.add_periods(2025);
-- M1 heads the chain; S1 reports to M1; A1 and A2 to S1.
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES
  ('M1', 'Ma', 'manager', 'north', NULL),
  ('S1', 'Su', 'supervisor', 'north', 'M1'),
  ('A1', 'An', 'specialist', 'north', 'S1'),
  ('A2', 'Bo', 'specialist', 'north', 'S1');
-- first response: a general policy; resolution: for channel phone only
INSERT INTO appraisal.sla_policies (metric, channel, priority, target) VALUES
  ('first_response', NULL, NULL, '4 hours'), ('resolution', 'phone', NULL, '2 days');
-- two phone tickets each in 2025-Q1, on 2025-02-03 and 2025-02-04 (10:00 in
-- Shanghai); T4 is not resolved yet; one response each on T1 and T3
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T1', '2025-02-03 02:00+00', '2025-02-03 03:00+00', '2025-02-03 05:00+00', 1, 'phone', 'billing', 'A1'),
  ('T2', '2025-02-04 02:00+00', '2025-02-04 03:00+00', '2025-02-04 05:00+00', 1, 'phone', 'billing', 'A1'),
  ('T3', '2025-02-03 02:00+00', '2025-02-03 03:00+00', '2025-02-03 05:00+00', 1, 'phone', 'billing', 'A2'),
  ('T4', '2025-02-04 02:00+00', '2025-02-04 03:00+00', NULL, NULL, 'phone', 'billing', 'A2');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES
  ('T1', 'web', '2025-02-05 02:00+00', 5), ('T3', 'web', '2025-02-05 02:00+00', 4);
-- specialists: one measured KPI (A1 and A2 have 2 tickets in Q1: measured)
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source) VALUES
  ('specialist', 'first response', 1, 0, 100, 'first_response_compliance');
-- S1 rates A1 as superior (S1 is above A1): no group suppressed
INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score) VALUES ('2025-Q1', 'A1', 'S1', 'superior', 80);

-- The first refresh, with its progress: agent_daily has 4 rows (2 agents x
-- 2 days), agent_daily_csat 2 (T1, T3: A1 and A2 on 02-03), category_daily 2
-- (billing on 2 days), period_ratings 1 (A1 in Q1), agent_daily_follow_up 4;
-- then the check: no problem, no NOTICE.
SET client_min_messages = log;
SELECT materialized_view, mode, rows, problems FROM appraisal.refresh_scorecards();
RESET client_min_messages;
-- Clean: every check ok, 0 found.
SELECT check_name, status, items, problem, examples FROM appraisal.data_health;
-- A clean data set really shows its scorecards: A1 and A2 in 2025, H1 and Q1.
SELECT count(*) AS scorecard_rows, count(*) FILTER (WHERE sufficient_data) AS sufficient FROM appraisal.agent_scorecard;

-- One problem of each kind.
-- tickets_outside_periods: T10 is opened at 2024-12-31 15:00 UTC = 23:00 on
-- 2024-12-31 in Shanghai (no period: 2024 has none); T11 at 17:00 UTC = 01:00
-- on 2025-01-01 (2025-Q1: covered); T12 and T13 on 2024-12-30 (11:00);
-- T19 opens in 2030, after now: no summary counts it yet, nor does this check.
-- -> 3 tickets on 2 days: 2024-12-30 (2), 2024-12-31 (1); fix add_periods(2024).
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T10', '2024-12-31 15:00+00', NULL, NULL, NULL, 'phone', 'billing', 'A1'),
  ('T11', '2024-12-31 17:00+00', NULL, NULL, NULL, 'phone', 'billing', 'A1'),
  ('T12', '2024-12-30 03:00+00', NULL, NULL, NULL, 'phone', 'billing', 'A1'),
  ('T13', '2024-12-30 03:00+00', NULL, NULL, NULL, 'phone', 'billing', 'A1'),
  ('T19', '2030-01-01 03:00+00', NULL, NULL, NULL, 'phone', 'billing', 'A1');
-- tickets_without_sla_policy: T20 (A2, 2025-05-06, 2025-Q2) by email, urgent:
-- the general first-response policy applies, no resolution policy names
-- email -> 1 pair, email/urgent (tickets 1: resolution).  phone/normal has both.
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, priority, category, agent_id) VALUES
  ('T20', '2025-05-06 02:00+00', 'email', 'urgent', 'billing', 'A2');
-- employees_without_manager: A3, a specialist without a manager (M2, a
-- manager without one, is the head of a chain) -> 1, A3 (specialist).
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES
  ('A3', 'Ci', 'specialist', 'south', NULL), ('M2', 'Mo', 'manager', 'south', NULL);
-- rater_role_conflicts:
--   A2 rates A1 in Q1 as superior: A2 is not above A1            -> conflict
--   M1 rates A1 in Q1 as superior: above A1 (through S1)         -> fine
--   A1 rates S1 in Q1 as subordinate: below S1                   -> fine
--   A2 rates M1 in 2025 as subordinate: below M1 (through S1)    -> fine
--   S1 rates A2 in Q2 as peer: S1 is above A2                    -> conflict
--   A3 rates A2 in Q1 as peer: neither above nor below           -> fine
--   EXT1 (not an employee) rates A2 in Q1 as superior            -> not checked
--   A1 rates A1 in Q1 as self                                    -> not checked
-- -> 2, ordered by period, ratee, rater.
INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score) VALUES
  ('2025-Q1', 'A1', 'A2', 'superior', 70), ('2025-Q1', 'A1', 'M1', 'superior', 90),
  ('2025-Q1', 'S1', 'A1', 'subordinate', 85), ('2025', 'M1', 'A2', 'subordinate', 75),
  ('2025-Q2', 'A2', 'S1', 'peer', 60), ('2025-Q1', 'A2', 'A3', 'peer', 65),
  ('2025-Q1', 'A2', 'EXT1', 'superior', 88), ('2025-Q1', 'A1', 'A1', 'self', 99);
-- suppressed_360_groups (standard scheme: peer 3, subordinate 3):
--   A1 Q1: superior S1, A2, M1 (3), self: nothing suppressed
--   A2 Q1: superior EXT1, peer A3 (1 < 3)         -> peer suppressed
--   S1 Q1: subordinate A1 (1 < 3)                 -> subordinate suppressed
--   M1 2025: subordinate A2 (1 < 3)               -> subordinate suppressed
--   A2 Q2: peer S1 (1 < 3)                        -> peer suppressed
-- -> 4, ordered by the period's first and last day, then employee:
--    A2 2025-Q1, S1 2025-Q1, M1 2025, A2 2025-Q2.
-- thin_scorecards: A1 has 2025, H1, Q1 (3 tickets each: T1, T2, T11; 1
-- response); A2 has 2025, H1 (3 tickets: T3, T4, T20; 1 response), Q1 (2; 1)
-- and Q2 (T20: 1 ticket, 0 responses) -> 1 of 7 rows: A2 2025-Q2.
-- kpis_without_results: a manual KPI, knowledge, for specialists; A1's entered
-- for Q1.  Ended quarters with something to appraise: A1 Q1 (both values),
-- A2 Q1 (first response measured, knowledge missing), A2 Q2 (1 ticket: first
-- response not measured, knowledge missing: no value at all); A3 has nothing
-- to appraise; S1 and M1 have no KPIs.  -> 3 values in 2 appraisals, 1 empty.
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES ('specialist', 'knowledge', 1, 0, 100);
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES ('2025-Q1', 'A1', 'knowledge', 90);
-- invalid_survey_runs: R1 (closed 2025-03-31) has no customer in scope ->
-- invalid; R2 is as empty but closes in 2030: not judged yet -> 1, R1.
INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, region, opened_on, closed_on) VALUES
  ('R1', 'standard', '2025-Q1', 'nowhere', '2025-03-01', '2025-03-31'),
  ('R2', 'standard', '2025-Q4', 'nowhere', '2025-10-01', '2030-01-31');

-- Before the refresh the summaries are stale: they count 4 tickets (T1-T4),
-- 9 are now opened before the refresh (T10-T13 and T20 added; T19 is in the
-- future) -> 5; nothing was opened, answered or resolved since; reviews_360
-- has 9 raters, period_ratings 1 -> 8.  13 in all.
SELECT check_name, status, items, examples FROM appraisal.data_health WHERE check_name = 'summaries_stale';

-- The refresh reports each problem once (WARNING for empty, NOTICE for
-- thin and info) and lists them in its last row.
SELECT materialized_view, mode, rows, problems FROM appraisal.refresh_scorecards();
SELECT check_name, severity, status, items, problem, examples, fix FROM appraisal.data_health;
-- the empty scorecard of the issue: A1's tickets of 2024-12-30/31 are in no row
SELECT count(*) AS a1_rows_in_2024 FROM appraisal.agent_scorecard WHERE employee_id = 'A1' AND starts_on < '2025-01-01';
-- A full refresh, having recomputed every summary from the tables, takes
-- them for the tables (check_data_health(true)): the days of tickets from
-- agent_daily (3 tickets on 2 days, T19 in 2030 not counted), the pairs
-- from the tickets (resolution has no general policy: email/urgent, tickets
-- 1), nothing stale.  The same eight problems as the view, in its order.
SELECT mode, rows, problems = (SELECT array_agg(problem) FROM appraisal.data_health WHERE status = 'problem') AS as_the_view
FROM appraisal.refresh_scorecards(full => true) WHERE materialized_view IS NULL;
-- With a general resolution policy too, no pair is left to the defaults
-- (the tickets are then not read at all); T31, on a day no period covers
-- (2024-12-31, 11:00 in Shanghai), loaded in the refresh's transaction, is
-- among the days' tickets: 4 tickets on 2 days.  Seven problems, as the
-- view then finds from the tickets.
BEGIN;
INSERT INTO appraisal.sla_policies (metric, channel, priority, target) VALUES ('resolution', NULL, NULL, '3 days');
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES
  ('T31', '2024-12-31 03:00+00', 'email', 'billing', 'A2');
CREATE TEMP TABLE full_check AS
SELECT problems FROM appraisal.refresh_scorecards(full => true) WHERE materialized_view IS NULL;
SELECT cardinality(problems) AS problems,
       problems = (SELECT array_agg(problem) FROM appraisal.data_health WHERE status = 'problem') AS as_the_view
FROM full_check;
ROLLBACK;
-- Given true, it is refused outside the refresh's transaction; NULL always.
SELECT pg_temp.try('SELECT * FROM appraisal.check_data_health(true)');
SELECT pg_temp.try('SELECT * FROM appraisal.check_data_health(NULL)');

-- summaries_stale, after the refresh: T30 is loaded for a day before it
-- (1 ticket the summaries do not count), T4 is resolved now (1 ticket
-- resolved since), T3 gets an SMS response now (1 response since), A3's
-- peer rating of A2 is withdrawn (1 rater) -> 4.
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES
  ('T30', '2025-02-10 02:00+00', 'phone', 'billing', 'A1');
UPDATE appraisal.tickets SET resolved_at = now(), contacts = 1 WHERE ticket_id = 'T4';
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T3', 'sms', now(), 5);
DELETE FROM appraisal.reviews_360 WHERE rater_id = 'A3';
SELECT check_name, severity, status, items, problem, examples FROM appraisal.data_health WHERE status <> 'ok' AND severity = 'stale';
-- A deleted ticket counts too: T30 gone again, so the summaries match the
-- tickets before the refresh; T4, the response and the rater remain -> 3.
DELETE FROM appraisal.tickets WHERE ticket_id = 'T30';
SELECT items, examples FROM appraisal.data_health WHERE check_name = 'summaries_stale';

-- More than five examples: 5 tickets of A2 on 2024-12-25 to 12-29 (one a
-- day) besides the 3 above: 8 tickets on 7 days, the first five listed,
-- "and 2 more".
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id)
SELECT 'T4' || d, make_timestamptz(2024, 12, d, 3, 0, 0, 'UTC'), 'phone', 'billing', 'A2' FROM generate_series(25, 29) d;
SELECT items, problem, examples FROM appraisal.data_health WHERE check_name = 'tickets_outside_periods';
-- the fix: periods for 2024
SELECT count(*) AS periods FROM appraisal.add_periods(2024);
SELECT status, items FROM appraisal.data_health WHERE check_name = 'tickets_outside_periods';

-- Privileges: data_health is for appraisal_admin (it reads every row, past
-- scorecard_access); others may neither read it nor call the function.
CREATE ROLE appraisal_test_health_admin IN ROLE appraisal_admin;
CREATE ROLE appraisal_test_health_bi;
SET ROLE appraisal_test_health_admin;
SELECT count(*) AS checks, count(*) FILTER (WHERE status = 'problem') AS problems FROM appraisal.data_health;
RESET ROLE;
SET ROLE appraisal_test_health_bi;
SELECT pg_temp.try('SELECT * FROM appraisal.data_health');
SELECT pg_temp.try('SELECT * FROM appraisal.check_data_health()');
RESET ROLE;
-- the form refresh_scorecards calls is its owner's alone
SET ROLE appraisal_test_health_admin;
SELECT pg_temp.try('SELECT * FROM appraisal.check_data_health(false)');
RESET ROLE;
DROP ROLE appraisal_test_health_admin, appraisal_test_health_bi;
