-- The regulations' cycles (docs/rules.md, "Appraisal periods and results"):
-- each position is appraised on a cycle (settings cycle_specialist,
-- cycle_supervisor, cycle_manager: quarter, quarter, year), and each KPI is
-- measured on its own (kpi_definitions.cycle; NULL: the position's).  An
-- appraisal takes a KPI from the period of the KPI's cycle containing it
-- (a half-yearly skills exam counts in both quarters of its half-year); a
-- KPI of a shorter cycle is measured over the appraised period itself, or,
-- entered by hand, is the mean of its results inside it.  Every number by hand.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM appraisal.add_periods(2026, months => true);
SELECT position, cycle FROM appraisal.position_cycles ORDER BY position;

INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES
  ('M7', 'Meng', 'manager', 'hq', NULL),
  ('V1', 'Wei', 'supervisor', 'field', 'M7'),
  ('S7', 'Song', 'specialist', 'field', 'V1'),
  ('S8', 'Shi', 'specialist', 'field', 'V1');
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source, cycle) VALUES
  ('specialist', 'performance', 50, 0, 100, 'manual', NULL),            -- the position's: quarterly
  ('specialist', 'skills exam', 30, 0, 100, 'manual', 'half_year'),     -- knowledge and skills: half-yearly
  ('specialist', '360', 20, 0, 100, 'score_360', 'half_year'),          -- a half-year's 360 review
  ('supervisor', 'monthly score', 1, 0, 100, 'manual', NULL),
  ('supervisor', 'quarter review', 1, 0, 100, 'manual', 'quarter'),
  ('manager', 'year goal', 1, 0, 100, 'manual', NULL),
  ('manager', 'monthly check', 1, 0, 100, 'manual', 'month');
-- the supervisors of this service centre are appraised monthly
INSERT INTO appraisal.settings (name, value) VALUES ('cycle_supervisor', 'month');
SELECT position, cycle FROM appraisal.position_cycles ORDER BY position;

INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2026-Q1', 'S7', 'performance', 94), ('2026-Q2', 'S7', 'performance', 80),
  ('2026-H1', 'S7', 'skills exam', 70), ('2026-H1', 'S8', 'skills exam', 100),
  ('2026-01', 'V1', 'monthly score', 90), ('2026-02', 'V1', 'monthly score', 70), ('2026-03', 'V1', 'monthly score', 60),
  ('2026-Q1', 'V1', 'quarter review', 80),
  ('2026', 'M7', 'year goal', 80), ('2026-01', 'M7', 'monthly check', 100), ('2026-02', 'M7', 'monthly check', 50);
-- the manager's other ten monthly checks of 2026: 75 each
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value)
SELECT to_char(date '2026-01-01' + m * interval '1 month', 'YYYY-MM'), 'M7', 'monthly check', 75 FROM generate_series(2, 11) m;
INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score) VALUES ('2026-H1', 'S7', 'V1', 'superior', 60);
SELECT count(*) FROM appraisal.refresh_scorecards();

-- S7, 2026-Q1: performance 94 (Q1), the exam 70 and the 360 60 of 2026-H1:
-- (50·94 + 30·70 + 20·60)/100 = 47 + 21 + 12 = 80.00 → 良, at the boundary;
-- 2026-Q2: 40 + 21 + 12 = 73.00 → 中, the same H1 exam and 360.
-- S8 has only the exam: insufficient data in both quarters, not for the exam.
-- V1, monthly: January (90 + 80)/2 = 85.00 → 良 with Q1's review;
-- February (70 + 80)/2 = 75.00 → 中; March (60 + 80)/2 = 70.00 → 中.
-- M7, yearly: the year goal 80 and the mean of the twelve monthly checks,
-- (100 + 50 + 10·75)/12 = 75 → (80 + 75)/2 = 77.50 → 中.
SELECT employee_id, period, kpi, cycle, value, value_from, value_period, points
FROM appraisal.kpi_breakdown
WHERE period IN ('2026-Q1', '2026-Q2', '2026-01', '2026-02', '2026-03', '2026')
ORDER BY employee_id, period, kpi;
SELECT employee_id, period, period_kind, kpis_defined, kpis_scored, points, grade, excellent_streak, failing_streak
FROM appraisal.overall_appraisal ORDER BY employee_id, starts_on;

-- The year: the mean of the position's results of the year.  S7: (80 + 73)/2
-- = 76.50 → 中 from 2 quarters; V1: (85 + 75 + 70)/3 = 76.666 → 76.66 → 中
-- from 3 months; M7: its yearly result; S8: insufficient data.
SELECT employee_id, year, cycle, quarters_counted AS results, points, grade, sufficient_data
FROM appraisal.annual_results ORDER BY employee_id;
-- A shorter cycle's results count only all together: without December the
-- monthly check has no value for the year (eleven months are not the year's
-- mean), and M7's year is insufficient data.
DELETE FROM appraisal.kpi_results WHERE employee_id = 'M7' AND period = '2026-12';
SELECT employee_id, period, kpi, value, value_period FROM appraisal.kpi_breakdown WHERE employee_id = 'M7' ORDER BY kpi;
SELECT employee_id, period, points, grade FROM appraisal.overall_appraisal WHERE employee_id = 'M7';

-- Streaks count in the position's cycle: three best grades in a row make
-- a specialist a reserve; monthly for a monthly position (V1 would need
-- three 优 months; the counts run over months).
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2026-04', 'V1', 'monthly score', 95), ('2026-05', 'V1', 'monthly score', 95), ('2026-06', 'V1', 'monthly score', 95),
  ('2026-Q2', 'V1', 'quarter review', 95);
SELECT employee_id, period, points, grade, excellent_streak
FROM appraisal.overall_appraisal WHERE employee_id = 'V1' AND period BETWEEN '2026-04' AND '2026-06' ORDER BY period;

-- A result must be entered for a period of its KPI's cycle: a quarterly
-- skills exam result would never be read.
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES ('2026-Q1', 'S8', 'skills exam', 90)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES ('2026-Q1', 'V1', 'monthly score', 90)$$);
-- bad cycles
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, cycle) VALUES ('manager', 'x', 1, 0, 100, 'week')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('cycle_manager', 'fortnight')$$);
-- back to the default: the supervisor is quarterly again.  "monthly score"
-- follows the position (cycle NULL): it is now a quarterly KPI, its monthly
-- results are not read, and Q1 has no value for it: insufficient data.
DELETE FROM appraisal.settings WHERE name = 'cycle_supervisor';
SELECT employee_id, period, kpi, cycle, value, value_period, points
FROM appraisal.kpi_breakdown WHERE employee_id = 'V1' AND period = '2026-Q1' ORDER BY kpi;
SELECT employee_id, period, points, grade FROM appraisal.overall_appraisal WHERE employee_id = 'V1' AND period = '2026-Q1';
-- Measured monthly whatever the position's cycle: Q1 takes the mean of its
-- three months, (90 + 70 + 60)/3 = 73.333... (73.33 points), with the
-- review 80: (73.33 + 80)/2 = 76.665 → 76.66 → 中.
UPDATE appraisal.kpi_definitions SET cycle = 'month' WHERE kpi = 'monthly score';
SELECT employee_id, period, kpi, cycle, value, value_period, points
FROM appraisal.kpi_breakdown WHERE employee_id = 'V1' AND period = '2026-Q1' ORDER BY kpi;
SELECT employee_id, period, points, grade FROM appraisal.overall_appraisal WHERE employee_id = 'V1' AND period = '2026-Q1';

-- Appeals follow the cycles: the half-yearly exam is appealed for its
-- half-year, and the decision counts in both its quarters: upheld at 80,
-- S7's 2026-Q1 is (50·94 + 30·80 + 20·60)/100 = 83.00 and 2026-Q2
-- (50·80 + 30·80 + 20·60)/100 = 76.00.
SELECT appraisal.file_appeal('S7', '2026-H1', 'skills exam', 85, 'a question was marked wrongly') AS appeal;
SELECT appraisal.decide_appeal(1, 'upheld', 80) AS decision;
SELECT employee_id, period, kpi, measured_value, value, value_from, value_period
FROM appraisal.kpi_breakdown WHERE employee_id = 'S7' AND kpi = 'skills exam' ORDER BY period;
SELECT employee_id, period, points FROM appraisal.overall_appraisal WHERE employee_id = 'S7' ORDER BY starts_on;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('S7', '2026-Q1', 'skills exam', 85, 'x')$$) AS exam_in_a_quarter;
-- a monthly position appeals its months (and the quarterly review per quarter)
INSERT INTO appraisal.settings (name, value) VALUES ('cycle_supervisor', 'month');
SELECT appraisal.file_appeal('V1', '2026-02', 'monthly score', 80, 'a site visit counted as absence') AS appeal;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('V1', '2026-Q1', 'monthly score', 80, 'x')$$) AS month_kpi_in_a_quarter;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('V1', '2026-02', 'quarter review', 90, 'x')$$) AS quarter_kpi_in_a_month;
SELECT appraisal.file_appeal('V1', '2026-Q1', 'quarter review', 90, 'the review missed March') AS appeal;
SELECT appeal_id, employee_id, period, kpi, measured_value, status FROM appraisal.kpi_appeals ORDER BY appeal_id;
