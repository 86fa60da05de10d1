-- Several failing results (多次不合格, docs/rules.md, "Appraisal periods and
-- results"): several_failing_times (2) worst grades among the last
-- several_failing_window (4) appraised periods, consecutive or not; the
-- consecutive flag (repeated_failing) stays as it was.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM (SELECT appraisal.add_periods(2025) UNION ALL SELECT appraisal.add_periods(2026)) p;
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES ('F1', 'Fan', 'specialist', 'north');
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES ('specialist', 'manual', 1, 0, 100);
-- points are the results (0..100): 50 差, 95 优, 40 差, 85 良, 30 差 (2026-Q2 and later: none)
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2025-Q1', 'F1', 'manual', 50), ('2025-Q2', 'F1', 'manual', 95), ('2025-Q3', 'F1', 'manual', 40),
  ('2025-Q4', 'F1', 'manual', 85), ('2026-Q1', 'F1', 'manual', 30);
SELECT count(*) FROM appraisal.refresh_scorecards();
-- worst grades among the last 4: Q1 1; Q2 1; Q3 2 (Q1, Q3) → several failing,
-- though never two in a row (failing streak 1, not repeated); Q4 2 (Q1..Q4);
-- 2026-Q1: Q2..2026-Q1 hold Q3 and 2026-Q1 → 2.
SELECT period, points, grade, failing_streak, repeated_failing, failing_in_window, several_failing
FROM appraisal.overall_appraisal WHERE employee_id = 'F1' ORDER BY starts_on;
-- a window of 2: only two worst grades in two periods would do → never here
INSERT INTO appraisal.settings (name, value) VALUES ('several_failing_window', '2');
SELECT period, failing_in_window, several_failing FROM appraisal.overall_appraisal WHERE employee_id = 'F1' ORDER BY starts_on;
DELETE FROM appraisal.settings;

-- Coaching for the two lowest bands (较差 and 差 on the standard scale, the
-- staff scale's 待提升 and 不合格), with the rule that raised it: F1's 差
-- quarters; F2's 65 (较差) but not its 70 (中).
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES ('F2', 'Fei', 'specialist', 'north');
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2025-Q1', 'F2', 'manual', 65), ('2025-Q2', 'F2', 'manual', 70);
SELECT employee_id, period, grade, coaching_needed, coaching_reason
FROM appraisal.overall_appraisal ORDER BY employee_id, starts_on;
-- On a scale of two bands the coaching flag is the lower band alone, never
-- the best: with pass >= 60, F2's 65 and 70 pass, no coaching; F1's 40s fail.
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('pass_fail', '0..100: pass >= 60, fail');
INSERT INTO appraisal.settings (name, value) VALUES ('grade_scale', 'pass_fail');
SELECT employee_id, period, grade, coaching_needed FROM appraisal.overall_appraisal ORDER BY employee_id, starts_on;
DELETE FROM appraisal.settings;
