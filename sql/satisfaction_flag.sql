-- The high-satisfaction flag for the "share your practice" programme
-- (docs/rules.md, "Appraisal periods and results"): an agent whose CSAT is in
-- the top high_satisfaction_share percent (20) of the team's agents in the
-- period, among those with min_responses responses, read off the shown CSAT
-- (ties share the place); and probationers in the service scorecards: listed
-- (on_probation), never graded or flagged.  Every number by hand.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
INSERT INTO appraisal.settings (name, value) VALUES ('min_tickets', '1'), ('min_responses', '2');
SELECT count(*) AS periods FROM appraisal.add_periods(2026);
INSERT INTO appraisal.employees (employee_id, name, position, team, probation_ends_on) VALUES
  ('H1', 'Han', 'specialist', 'blue', NULL), ('H2', 'He', 'specialist', 'blue', NULL),
  ('H3', 'Hou', 'specialist', 'blue', NULL), ('H4', 'Hu', 'specialist', 'blue', NULL),
  ('H5', 'Hua', 'specialist', 'blue', NULL), ('H6', 'Huo', 'specialist', 'blue', '2026-06-30'),
  ('R9', 'Ren', 'specialist', 'red', NULL);
-- One ticket per rating, in February (H6 also two in July, after probation);
-- answered in 1 h, resolved in 2 h; ratings 5 (satisfied) or 2.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
SELECT format('%s-%s-%s', a, to_char(d, 'MM'), i), o, o + interval '1 hour', o + interval '2 hours', 1, 'web', 'install', format('%s-%s', a, i), a
FROM (VALUES ('H1', 4, '2026-02-02'::date), ('H2', 4, '2026-02-02'), ('H3', 3, '2026-02-02'), ('H4', 5, '2026-02-02'),
             ('H5', 1, '2026-02-02'), ('H6', 2, '2026-02-02'), ('H6', 2, '2026-07-01'), ('R9', 2, '2026-02-02')) v(a, n, d),
     generate_series(1, n) i,
     LATERAL (SELECT (d + i)::timestamp AT TIME ZONE 'UTC' + interval '9 hours' AS o) x;
-- H1 4 of 4 satisfied (100.00), H2 3 of 4 (75.00), H3 3 of 3 (100.00),
-- H4 2 of 5 (40.00), H5 1 of 1 (too few responses), H6 2 of 2 in February
-- (on probation) and in July, R9 2 of 2.
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
SELECT t.ticket_id, 'web', t.resolved_at + interval '1 day',
       CASE WHEN t.ticket_id = 'H2-02-4' THEN 2
            WHEN t.agent_id = 'H4' AND t.ticket_id NOT IN ('H4-02-1', 'H4-02-2') THEN 2
            ELSE 5 END
FROM appraisal.tickets t;
SELECT count(*) FROM appraisal.refresh_scorecards();

-- blue, 2026-Q1: four agents with enough responses (H1, H2, H3, H4; H5 has one
-- and H6 is on probation): the top 20 % is ceil(4 · 0.2) = 1 place, which H1
-- and H3 share at 100.00.  red: R9 alone, ceil(0.2) = 1 place: flagged.
-- H6 is listed, on probation: no grade, no training flag, no verdict on a target.
SELECT employee_id, team, responses, csat, composite_grade, training_needed, meets_csat_target,
       on_probation, high_satisfaction
FROM appraisal.agent_scorecard WHERE period = '2026-Q1' ORDER BY employee_id;
-- July is after H6's probation: graded, and alone with enough responses in
-- blue's 2026-Q3: flagged.  The year 2026 ends after the probation: graded,
-- and H6 (4 of 4) shares the year's first place with H1 and H3 (one place of
-- ceil(5 · 0.2) = 1).
SELECT employee_id, period, responses, csat, composite_grade, on_probation, high_satisfaction
FROM appraisal.agent_scorecard WHERE employee_id = 'H6' ORDER BY starts_on, ends_on;
-- a wider share: 75 % of 4 is 3 places; H1 and H3 share the first, H2 (75.00)
-- is third: flagged; H4 (fourth) is not
INSERT INTO appraisal.settings (name, value) VALUES ('high_satisfaction_share', '75');
SELECT employee_id, csat, high_satisfaction FROM appraisal.agent_scorecard
WHERE period = '2026-Q1' AND team = 'blue' ORDER BY employee_id;
SELECT pg_temp.try($$UPDATE appraisal.settings SET value = '120' WHERE name = 'high_satisfaction_share'$$);
-- with min_responses 0 an agent without responses (no CSAT) is still not
-- ranked, never placed first: R0 in red beside R9
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES ('R0', 'Rui', 'specialist', 'red');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id)
VALUES ('R0-1', '2026-02-03 09:00', '2026-02-03 10:00', '2026-02-03 11:00', 1, 'web', 'install', 'R0');
INSERT INTO appraisal.settings (name, value) VALUES ('min_responses', '0') ON CONFLICT (name) DO UPDATE SET value = excluded.value;
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, responses, csat, high_satisfaction FROM appraisal.agent_scorecard
WHERE period = '2026-Q1' AND team = 'red' ORDER BY employee_id;
UPDATE appraisal.settings SET value = '2' WHERE name = 'min_responses';

-- The flag is the team's ranking whoever reads it: a role scoped to H2 sees
-- H2 unflagged, as the team ranks it (first among the one agent it sees,
-- H2 would be flagged).
CREATE ROLE appraisal_test_h2;
GRANT USAGE ON SCHEMA appraisal TO appraisal_test_h2;
GRANT SELECT ON appraisal.agent_scorecard TO appraisal_test_h2;
INSERT INTO appraisal.scorecard_access (grantee, employee_id) VALUES ('appraisal_test_h2', 'H2');
DELETE FROM appraisal.settings WHERE name = 'high_satisfaction_share';
SET ROLE appraisal_test_h2;
SELECT employee_id, csat, high_satisfaction FROM appraisal.agent_scorecard WHERE period = '2026-Q1';
RESET ROLE;
DELETE FROM appraisal.scorecard_access;
DROP OWNED BY appraisal_test_h2;
DROP ROLE appraisal_test_h2;

-- The period filter still reaches the summaries' scans with the ranking
-- read (it ranks per team and period): every scan of periods is filtered.
CREATE FUNCTION pg_temp.period_scans_filtered(q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO plan;
  RETURN (SELECT count(*) > 0 AND count(*) = count(*) FILTER (WHERE n->>'Filter' LIKE '%2026-Q1%')
          FROM jsonb_path_query(plan, 'strict $.**') n
          WHERE n->>'Relation Name' = 'periods');
END
$$;
SELECT pg_temp.period_scans_filtered($$SELECT employee_id, high_satisfaction FROM appraisal.agent_scorecard WHERE period = '2026-Q1'$$);
