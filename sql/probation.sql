-- Probationers (试用期) are outside the appraisal (docs/rules.md, "Appraisal
-- periods and results"): a period ending on or before employees.probation_ends_on
-- is not graded, breaks no streak, raises no flag and stays out of the annual mean.
\set SHOW_CONTEXT never
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM appraisal.add_periods(2025);
-- P1's probation ends on 2025-06-30, the last day of Q2: Q1 and Q2 are on
-- probation, Q3 and Q4 are appraised.  Q9 has none.
INSERT INTO appraisal.employees (employee_id, name, position, team, probation_ends_on) VALUES
  ('P1', 'Pan', 'specialist', 'north', '2025-06-30'),
  ('Q9', 'Qiu', 'specialist', 'north', NULL);
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES ('specialist', 'manual', 1, 0, 100);
-- P1: 95, 40, 85, 85 → on probation, on probation, 良, 良; the 40 (差) raises
-- no flag.  Q9: the same results, all graded: 优, 差 (coaching), 良, 良.
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value)
SELECT p, e, 'manual', v FROM (VALUES ('2025-Q1', 95), ('2025-Q2', 40), ('2025-Q3', 85), ('2025-Q4', 85)) r(p, v),
       unnest(ARRAY['P1', 'Q9']) e;
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, period, points, grade, sufficient_data, on_probation, coaching_needed, failing_streak
FROM appraisal.overall_appraisal ORDER BY employee_id, starts_on;
-- annual = mean of the graded quarters: P1 (85 + 85)/2 = 85 → 良 from 2 quarters;
-- Q9 (95 + 40 + 85 + 85)/4 = 76.25 → 中 from 4
SELECT employee_id, year, quarters_counted, points, grade FROM appraisal.annual_results ORDER BY employee_id;
SELECT pg_temp.try($$UPDATE appraisal.employees SET probation_ends_on = 'infinity' WHERE employee_id = 'P1'$$);
