-- Importing files with a report (docs/scorecards.md, "Loading your data"):
-- appraisal.create_staging makes a table of text columns to COPY into,
-- appraisal.import checks every row against every rule of the target and
-- reports each rule each row breaks (line, column, value, reason), applies
-- the valid rows (inserted where new, updated where the key exists) and
-- leaves the staging rows in place.  Every expected reason below is read
-- off the constraint it names (src/sql/30_people.sql, 31_tickets.sql,
-- 32_reviews_and_kpis.sql); lines count the header as line 1.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM appraisal.add_periods(2026);

-- The safe reading: NULL or the input function's message, never an error.
SELECT appraisal.try_cast('2026-13-01', NULL::date) AS bad_date, appraisal.try_cast('12', NULL::integer) AS twelve,
       appraisal.try_cast(NULL, NULL::integer) AS null_in, appraisal.try_cast('boss', NULL::appraisal.rater_role) AS bad_role;
SELECT appraisal.input_error('abc', 'integer') AS abc, appraisal.input_error('2026-13-01', 'date') AS month_13,
       appraisal.input_error('7', 'integer') AS valid;

-- Employees -------------------------------------------------------------------
SELECT appraisal.create_staging('appraisal.employees');
-- line 2: E2 before their manager E1 (line 3): the file's own rows count.
-- line 4: E3, position boss and manager E9 (nowhere): two reasons.
-- line 5: E4 managed by E3, whose row is rejected: rejected too, and line 6
-- (E5 under E4) in turn.  Lines 7 and 8: E6 twice: both rejected.
-- line 9: E7 on probation until a day that is no date, and no name.
COPY employees_staging (employee_id, name, position, team, manager_id, probation_ends_on) FROM STDIN WITH (FORMAT csv, HEADER);
employee_id,name,position,team,manager_id,probation_ends_on
E2,Bo,specialist,north,E1,
E1,Ann,manager,north,,
E3,Cy,boss,north,E9,
E4,Di,specialist,north,E3,
E5,Ed,specialist,north,E4,
E6,Fa,specialist,south,E1,
E6,Fa,supervisor,south,E1,
E7,,specialist,south,E1,2026-02-30
\.
SELECT * FROM appraisal.import('appraisal.employees');
SELECT line, column_name, value, reason FROM employees_staging_rejects ORDER BY line, reason;
SELECT employee_id, name, position, manager_id FROM appraisal.employees ORDER BY employee_id;
-- the staging rows stay as they were
SELECT count(*) AS staged FROM employees_staging;

-- Tickets -------------------------------------------------------------------
SELECT appraisal.create_staging('appraisal.tickets');
-- line 2: T1, open, by E2 (imported above): valid.
-- line 3: T2, contacts 0 and cause customer on a ticket that is no
--   complaint: contacts must be at least 1; cause must be service or
--   system; only complaints have a cause.
-- line 4: T3, opened in month 13, contacts abc, agent E9: two input errors
--   and the agent; the checks on opened_at and contacts are not judged.
-- line 5: T4, answered and resolved before it was opened, resolved
--   without contacts: three rules.
-- line 6: T5, no channel, no category, complaint maybe.
-- lines 7 and 8: T6 twice.
-- line 9: T7 opened at infinity.
-- line 10: T8, a service-caused complaint resolved on first contact: valid.
-- line 11: T9 by E3, whose row was rejected above: not an employee.
COPY tickets_staging (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category, complaint, cause, customer_id, agent_id) FROM STDIN WITH (FORMAT csv, HEADER);
ticket_id,opened_at,first_response_at,resolved_at,contacts,channel,priority,category,complaint,cause,customer_id,agent_id
T1,2026-07-01 09:00+00,2026-07-01 10:00+00,,,phone,,billing,false,,C1,E2
T2,2026-07-01 09:00+00,,2026-07-01 12:00+00,0,phone,,billing,false,customer,C1,E2
T3,2026-13-01 09:00+00,,2026-07-01 12:00+00,abc,phone,,billing,,,C2,E9
T4,2026-07-02 09:00+00,2026-07-02 08:00+00,2026-07-01 12:00+00,,email,high,repair,true,service,C3,E1
T5,2026-07-02 09:00+00,,,,,,,maybe,,C3,E1
T6,2026-07-03 09:00+00,,,,phone,,billing,false,,C4,E1
T6,2026-07-03 09:30+00,,,,phone,,billing,false,,C4,E1
T7,infinity,,,,phone,,billing,false,,C5,E2
T8,2026-07-04 09:00+00,2026-07-04 09:30+00,2026-07-04 11:00+00,1,web,urgent,repair,true,service,C6,E2
T9,2026-07-04 09:00+00,,,,web,,repair,false,,C7,E3
\.
SELECT * FROM appraisal.import('appraisal.tickets');
SELECT line, column_name, value, reason FROM tickets_staging_rejects ORDER BY line, column_name, reason;
-- an empty field takes the column's default: T1's priority is normal
SELECT ticket_id, opened_at, resolved_at, contacts, priority, complaint, cause, agent_id FROM appraisal.tickets ORDER BY ticket_id;

-- The corrected file: T1 resolved since (updated), T2 fixed (inserted), T8
-- as before (unchanged).  T2 comes first: the plain insert tried first has
-- inserted it when it meets T1's key, is rolled back, and insert-or-update
-- applies the three, T2 counted once.
TRUNCATE tickets_staging RESTART IDENTITY;
COPY tickets_staging (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category, complaint, cause, customer_id, agent_id) FROM STDIN WITH (FORMAT csv, HEADER);
ticket_id,opened_at,first_response_at,resolved_at,contacts,channel,priority,category,complaint,cause,customer_id,agent_id
T2,2026-07-01 09:00+00,,2026-07-01 12:00+00,1,phone,,billing,true,system,C1,E2
T1,2026-07-01 09:00+00,2026-07-01 10:00+00,2026-07-03 16:00+00,2,phone,,billing,false,,C1,E2
T8,2026-07-04 09:00+00,2026-07-04 09:30+00,2026-07-04 11:00+00,1,web,urgent,repair,true,service,C6,E2
\.
-- (its progress, as LOG lines: the seconds are in DETAIL, not shown here)
\set VERBOSITY terse
SET client_min_messages = log;
SELECT * FROM appraisal.import('appraisal.tickets');
RESET client_min_messages;
\set VERBOSITY default
SELECT count(*) AS rejects_left FROM tickets_staging_rejects;
SELECT ticket_id, resolved_at, contacts, complaint, cause FROM appraisal.tickets ORDER BY ticket_id;

-- all_or_nothing: one bad row and nothing is applied (T10 is valid).
TRUNCATE tickets_staging RESTART IDENTITY;
COPY tickets_staging (ticket_id, opened_at, channel, category, agent_id) FROM STDIN WITH (FORMAT csv, HEADER);
ticket_id,opened_at,channel,category,agent_id
T10,2026-07-05 09:00+00,phone,billing,E1
T11,2026-07-05 09:00+00,phone,billing,nobody
\.
SELECT * FROM appraisal.import('appraisal.tickets', all_or_nothing => true);
SELECT count(*) AS t10 FROM appraisal.tickets WHERE ticket_id = 'T10';

-- Survey responses: a rating corrected by a re-import -------------------------
SELECT appraisal.create_staging('appraisal.survey_responses');
-- line 2: rating 7 on a 1..5 scale; line 3: source email, scale 11;
-- line 4: a ticket never imported (T3 was rejected); line 5: valid.
COPY survey_responses_staging (ticket_id, source, responded_at, rating, scale_max) FROM STDIN WITH (FORMAT csv, HEADER);
ticket_id,source,responded_at,rating,scale_max
T1,web,2026-07-04 10:00+00,7,
T8,email,2026-07-05 10:00+00,3,11
T3,sms,2026-07-05 10:00+00,5,5
T8,sms,2026-07-05 10:00+00,2,5
\.
SELECT * FROM appraisal.import('appraisal.survey_responses');
SELECT line, column_name, value, reason FROM survey_responses_staging_rejects ORDER BY line, reason;
TRUNCATE survey_responses_staging RESTART IDENTITY;
COPY survey_responses_staging (ticket_id, source, responded_at, rating, scale_max) FROM STDIN WITH (FORMAT csv, HEADER);
ticket_id,source,responded_at,rating,scale_max
T1,web,2026-07-04 10:00+00,5,
T8,sms,2026-07-05 10:00+00,4,5
\.
-- T1's is new, T8's rating corrected from 2 to 4
SELECT * FROM appraisal.import('appraisal.survey_responses');
SELECT ticket_id, source, rating, scale_max FROM appraisal.survey_responses ORDER BY ticket_id;

-- 360 reviews ----------------------------------------------------------------
SELECT appraisal.create_staging('appraisal.reviews_360');
-- line 2: role boss (not a rater role), score 120; line 3: E2 rates E2 as a
-- peer, in period 2027-Q1 (none); line 4: valid.
COPY reviews_360_staging (period, ratee_id, rater_id, role, score) FROM STDIN WITH (FORMAT csv, HEADER);
period,ratee_id,rater_id,role,score
2026-Q3,E2,E1,boss,120
2027-Q1,E2,E2,peer,80
2026-Q3,E2,E1,superior,85.5
\.
SELECT * FROM appraisal.import('appraisal.reviews_360');
SELECT line, column_name, value, reason FROM reviews_360_staging_rejects ORDER BY line, reason;
SELECT period, ratee_id, rater_id, role, dimension, score FROM appraisal.reviews_360;

-- KPI results: the rules of the checking trigger become reasons too ----------
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES
  ('specialist', 'quality', 1, 0, 100), ('manager', 'team result', 1, 0, 100);
SELECT appraisal.create_staging('appraisal.kpi_results');
-- line 2: E2 is a specialist, without KPI "team result"; line 3: quality is
-- quarterly for specialists, 2026 is a year; line 4: value abc;
-- line 5: employee X1 unknown; line 6: valid.
COPY kpi_results_staging (period, employee_id, kpi, value) FROM STDIN WITH (FORMAT csv, HEADER);
period,employee_id,kpi,value
2026-Q3,E2,team result,80
2026,E2,quality,80
2026-Q2,E2,quality,abc
2026-Q3,X1,quality,80
2026-Q3,E2,quality,91
\.
SELECT * FROM appraisal.import('appraisal.kpi_results');
SELECT line, column_name, value, reason FROM kpi_results_staging_rejects ORDER BY line, reason;
SELECT period, employee_id, kpi, value FROM appraisal.kpi_results;

-- Bad input never half-loads: an import that fails applies nothing and
-- leaves the staging rows.  E8 and E9 manage each other: the chain check
-- fails at commit, and the whole transaction with it.
TRUNCATE employees_staging RESTART IDENTITY;
COPY employees_staging (employee_id, name, position, team, manager_id) FROM STDIN WITH (FORMAT csv, HEADER);
employee_id,name,position,team,manager_id
E8,Gu,manager,east,E9
E9,Hu,manager,east,E8
\.
BEGIN;
SELECT * FROM appraisal.import('appraisal.employees');
COMMIT;
SELECT count(*) AS e8_e9 FROM appraisal.employees WHERE employee_id IN ('E8', 'E9');
SELECT count(*) AS staged FROM employees_staging;

-- Misuse ------------------------------------------------------------------------
SELECT pg_temp.try($$SELECT * FROM appraisal.import('pg_class')$$);
SELECT pg_temp.try($$SELECT * FROM appraisal.import('appraisal.customers')$$);
CREATE TEMP TABLE odd_staging (ticket_id text, colour text, line bigint);
SELECT pg_temp.try($$SELECT * FROM appraisal.import('appraisal.tickets', 'odd_staging')$$);
CREATE TEMP TABLE odd_staging_rejects (line bigint, column_name text, value text, reason text);
SELECT pg_temp.try($$SELECT * FROM appraisal.import('appraisal.tickets', 'odd_staging')$$);

-- Privileges: the import runs with the caller's rights.  A loader granted
-- INSERT, UPDATE and SELECT on tickets (and SELECT on employees, which the
-- agent's check reads) imports; a role without them is told what it lacks,
-- and its staging rows stay.
CREATE ROLE regress_import_loader;
CREATE ROLE regress_import_nobody;
GRANT INSERT, UPDATE, SELECT ON appraisal.tickets TO regress_import_loader;
GRANT SELECT ON appraisal.employees TO regress_import_loader;
SET ROLE regress_import_loader;
SELECT appraisal.create_staging('appraisal.tickets', 'mine') IS NOT NULL AS created;
COPY mine (ticket_id, opened_at, channel, category, agent_id) FROM STDIN WITH (FORMAT csv, HEADER);
ticket_id,opened_at,channel,category,agent_id
T20,2026-07-06 09:00+00,phone,billing,E1
\.
SELECT * FROM appraisal.import('appraisal.tickets', 'mine');
RESET ROLE;
SET ROLE regress_import_nobody;
SELECT appraisal.create_staging('appraisal.tickets', 'theirs') IS NOT NULL AS created;
COPY theirs (ticket_id, opened_at, channel, category, agent_id) FROM STDIN WITH (FORMAT csv, HEADER);
ticket_id,opened_at,channel,category,agent_id
T21,2026-07-06 09:00+00,phone,billing,E1
\.
SELECT pg_temp.try($$SELECT * FROM appraisal.import('appraisal.tickets', 'theirs')$$);
SELECT count(*) AS staged FROM theirs;
RESET ROLE;
SELECT ticket_id FROM appraisal.tickets WHERE ticket_id IN ('T20', 'T21');
DROP TABLE mine, mine_rejects, theirs, theirs_rejects;
DROP OWNED BY regress_import_loader, regress_import_nobody;
DROP ROLE regress_import_loader, regress_import_nobody;
