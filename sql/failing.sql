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
FROM appraisal.overall_appraisal ORDER BY starts_on;
-- a window of 2: only two worst grades in two periods would do → never here
INSERT INTO appraisal.settings (name, value) VALUES ('several_failing_window', '2');
SELECT period, failing_in_window, several_failing FROM appraisal.overall_appraisal ORDER BY starts_on;
