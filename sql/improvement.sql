-- Improvement periods (改善期, docs/rules.md, "Appraisal periods and
-- results"): a failing employee gets a deadline; the next cycle's result (the
-- first appraised period after the failing one, probation ones left out)
-- says whether it was met, if that period ends by the deadline.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM (SELECT appraisal.add_periods(2025, months => true) UNION ALL SELECT appraisal.add_periods(2026)) p;
-- Standard scale: 优 >= 90, 良 >= 80, 中 >= 70, 较差 >= 60, 差 (the worst band) below.
-- Specialists have one KPI, points = the value; supervisors two of weight 1.
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES
  ('specialist', 'manual', 1, 0, 100), ('supervisor', 'sup_a', 1, 0, 100), ('supervisor', 'sup_b', 1, 0, 100);
INSERT INTO appraisal.employees (employee_id, name, position, team, probation_ends_on) VALUES
  ('M1', 'Ma', 'specialist', 'north', NULL),
  ('M2', 'Mo', 'specialist', 'north', NULL),
  ('M3', 'Mu', 'specialist', 'south', NULL),
  ('M4', 'Mei', 'supervisor', 'south', NULL),
  ('M5', 'Min', 'specialist', 'south', NULL),
  ('M6', 'Mao', 'specialist', 'south', NULL),
  ('S1', 'Su', 'specialist', 'south', NULL),
  ('P1', 'Pan', 'specialist', 'south', '2025-06-30');
-- M1: 50 差, 75 中                 → from 2025-Q1, met by Q2
-- M2: 40 差, 55 差, 85 良          → from Q1 missed (Q2 差, repeated failing); from Q2 met by Q3
-- M3: 2025-Q3 30 差, nothing after → open (deadline 2999-12-31 not reached)
-- M4: 40+40 → 40 差; Q2 only sup_a → insufficient data
-- M5: 50 差, 65 较差, target 70   → missed: above the worst band but under the target
-- M6: 50 差, 90 优, deadline 2025-05-31 before Q2 ends → missed (no result by the deadline)
-- S1: 40 差, 45 差, 80 良 (several failing: 2 worst of the last 4), Q4 none → from Q3, deadline
--     2025-12-31 passed without a result → missed
-- P1: probation to 2025-06-30: Q1 40, Q2 40 on probation, Q3 80 良 → next of Q1 is Q3 → met
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2025-Q1', 'M1', 'manual', 50), ('2025-Q2', 'M1', 'manual', 75),
  ('2025-Q1', 'M2', 'manual', 40), ('2025-Q2', 'M2', 'manual', 55), ('2025-Q3', 'M2', 'manual', 85),
  ('2025-Q3', 'M3', 'manual', 30),
  ('2025-Q1', 'M4', 'sup_a', 40), ('2025-Q1', 'M4', 'sup_b', 40), ('2025-Q2', 'M4', 'sup_a', 90),
  ('2025-Q1', 'M5', 'manual', 50), ('2025-Q2', 'M5', 'manual', 65),
  ('2025-Q1', 'M6', 'manual', 50), ('2025-Q2', 'M6', 'manual', 90),
  ('2025-Q1', 'S1', 'manual', 40), ('2025-Q2', 'S1', 'manual', 45), ('2025-Q3', 'S1', 'manual', 80),
  ('2025-Q1', 'P1', 'manual', 40), ('2025-Q2', 'P1', 'manual', 40), ('2025-Q3', 'P1', 'manual', 80);
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, period, points, grade, failing_streak, repeated_failing, several_failing, on_probation
FROM appraisal.overall_appraisal ORDER BY employee_id, starts_on;

-- Opening: only after a failing result, with a deadline a result can meet.
SELECT employee_id, from_period, deadline, target_points, opened_by = session_user AS by_me, note
FROM appraisal.open_improvement_period('M1', '2025-Q1', '2025-06-30', note => 'coaching plan');
SELECT (appraisal.open_improvement_period('M2', '2025-Q1', '2025-06-30')).from_period;
SELECT (appraisal.open_improvement_period('M2', '2025-Q2', '2025-09-30')).from_period;   -- repeated failing
SELECT (appraisal.open_improvement_period('M3', '2025-Q3', '2999-12-31')).from_period;
SELECT (appraisal.open_improvement_period('M4', '2025-Q1', '2025-06-30')).from_period;
SELECT (appraisal.open_improvement_period('M5', '2025-Q1', '2025-06-30', target_points => 70)).from_period;
-- S1's Q3 is 良 but several failing (Q1 and Q2 among the last 4): flagged failing
SELECT (appraisal.open_improvement_period('S1', '2025-Q3', '2025-12-31')).from_period;
-- refused: M1's Q2 is 中; M5's Q2 is 较差 (coaching, not failing); P1's Q1 is on
-- probation; M3's Q4 has no result; a deadline before the next period's end
-- (Q2 ends 2025-06-30); the same period twice
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('M1', '2025-Q2', '2025-09-30')$$);
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('M5', '2025-Q2', '2025-09-30')$$);
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('P1', '2025-Q1', '2025-09-30')$$);
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('M3', '2025-Q4', '2026-03-31')$$);
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('M6', '2025-Q1', '2025-05-31')$$);
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('M1', '2025-Q1', '2025-09-30')$$);
-- the table's own checks: deadline on the period's last day; unknown period
-- and employee; a month for a quarterly specialist; the target's range; a
-- deadline that is no day
SELECT pg_temp.try($$INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline) VALUES ('M6', '2025-Q1', '2025-03-31')$$);
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('M6', '2025-Q9', '2025-09-30')$$);
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('X9', '2025-Q1', '2025-09-30')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline) VALUES ('M6', '2025-01', '2025-09-30')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline, target_points, opened_by, opened_at)
                      VALUES ('M6', '2025-Q1', '2025-09-30', 100.5, 'hr', '2025-04-02 09:00+00')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline, opened_by, opened_at)
                      VALUES ('M6', '2025-Q1', 'infinity', 'hr', '2025-04-02 09:00+00')$$);
-- entered directly, as HR decided: M6 with a deadline inside Q2; P1 from a
-- probation quarter (not failing: from_failing false)
INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline, note) VALUES
  ('M6', '2025-Q1', '2025-05-31', 'deadline inside the next quarter'),
  ('P1', '2025-Q1', '2025-09-30', 'entered by hand');

-- The outcomes, by hand:
--   M1 Q1→Q2 75 中, ends 06-30 <= 06-30                     met
--   M2 Q1→Q2 55 差                                          missed
--   M2 Q2→Q3 85 良 (opened on repeated failing)             met
--   M3 Q3→Q4 no result, deadline 2999 not reached; 5 quarters by then (2025-Q4, 2026-Q1..Q4)  open
--   M4 Q1→Q2 insufficient data (sup_a only: 90.00)          insufficient data
--   M5 Q1→Q2 65 较差 < target 70                            missed
--   M6 Q1→Q2 ends 06-30 > deadline 05-31, deadline passed   missed (0 periods by the deadline)
--   P1 Q1→Q3 (Q2 on probation) 80 良                        met (1 period by the deadline: Q3)
--   S1 Q3→Q4 no result, deadline 2025-12-31 passed          missed
SELECT employee_id, from_period, from_points, from_grade, from_failing, repeated_failing, several_failing,
       deadline, target_points, periods_by_deadline, next_period, next_ends_on, next_points, next_grade, status
FROM appraisal.improvement_outcomes ORDER BY employee_id, from_period;
-- a late result turns a missed one met (recomputed when read): S1's Q4 of 60 较差
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES ('2025-Q4', 'S1', 'manual', 60);
SELECT employee_id, from_period, next_points, next_grade, status FROM appraisal.improvement_outcomes WHERE employee_id = 'S1';

-- A record: the note may change, nothing else; a renamed period is followed.
SELECT pg_temp.try($$UPDATE appraisal.improvement_periods SET note = 'plan agreed' WHERE employee_id = 'M1'$$);
SELECT pg_temp.try($$UPDATE appraisal.improvement_periods SET deadline = '2025-09-30' WHERE employee_id = 'M1'$$);
SELECT pg_temp.try($$UPDATE appraisal.improvement_periods SET target_points = 50 WHERE employee_id = 'M5'$$);
SELECT pg_temp.try($$UPDATE appraisal.improvement_periods SET from_period = '2025-Q2' WHERE employee_id = 'M1'$$);
SELECT pg_temp.try($$UPDATE appraisal.periods SET period = '2025-Q3 (renamed)' WHERE period = '2025-Q3'$$);
SELECT employee_id, from_period, note FROM appraisal.improvement_periods WHERE employee_id IN ('M1', 'M3') ORDER BY 1;
UPDATE appraisal.periods SET period = '2025-Q3' WHERE period = '2025-Q3 (renamed)';

-- Scoped like the scorecards: a role scoped to north sees M1 and M2 only,
-- through the view alone; it may not write the table.  A role not granted
-- the view reads nothing.
CREATE ROLE improvement_north;
CREATE ROLE improvement_none;
GRANT SELECT ON appraisal.improvement_outcomes TO improvement_north;
INSERT INTO appraisal.scorecard_access (grantee, team) VALUES ('improvement_north', 'north');
SET ROLE improvement_north;
SELECT employee_id, from_period, status FROM appraisal.improvement_outcomes ORDER BY 1, 2;
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.improvement_periods$$);
SELECT pg_temp.try($$INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline) VALUES ('M6', '2025-Q2', '2025-12-31')$$);
RESET ROLE;
-- granted the table (and, for its checks, the employees and periods), it
-- opens one for its team (M1's 2025-Q3 of 20: 差), and none for an employee
-- it does not see (S1's 2025-Q2 is 差, but not to it)
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES ('2025-Q3', 'M1', 'manual', 20);
GRANT SELECT, INSERT ON appraisal.improvement_periods TO improvement_north;
GRANT SELECT ON appraisal.employees, appraisal.periods TO improvement_north;
SET ROLE improvement_north;
SELECT employee_id, from_period, deadline FROM appraisal.open_improvement_period('M1', '2025-Q3', '2025-12-31');
SELECT pg_temp.try($$SELECT appraisal.open_improvement_period('S1', '2025-Q2', '2025-09-30')$$);
SELECT employee_id, from_period, from_grade, next_period, status FROM appraisal.improvement_outcomes ORDER BY 1, 2;
RESET ROLE;
SET ROLE improvement_none;
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.improvement_outcomes$$);
RESET ROLE;
DELETE FROM appraisal.scorecard_access;
DROP OWNED BY improvement_north;
DROP ROLE improvement_north, improvement_none;
