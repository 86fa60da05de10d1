-- Published results (docs/rules.md, "Appeals and publication"): the
-- appraisal committee publishes a period's results; later data never
-- silently changes a published grade, published_differences lists where
-- the live results now differ, and a republication records who and when.
\set SHOW_CONTEXT never
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM appraisal.add_periods(2025);
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES
  ('A1', 'An', 'specialist', 'north'), ('B2', 'Bai', 'specialist', 'north'), ('C3', 'Cao', 'specialist', 'south');
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES
  ('specialist', 'quality', 3, 0, 100), ('specialist', 'attendance', 1, 0, 100);
-- A1: (3·70 + 90) / 4 = 75.00 (中); B2: (3·90 + 94) / 4 = 364 / 4 = 91.00 (优,
-- best band: excellent streak 1); C3 has no result yet
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2025-Q1', 'A1', 'quality', 70), ('2025-Q1', 'A1', 'attendance', 90),
  ('2025-Q1', 'B2', 'quality', 90), ('2025-Q1', 'B2', 'attendance', 94);
SELECT count(*) FROM appraisal.refresh_scorecards();

SELECT publication, employees, published_at = now() AS now FROM appraisal.publish_results('2025-Q1');
SELECT period, publication, in_force, published_by = session_user AS by_me, employee_id, points, grade, sufficient_data,
       excellent_streak, coaching_needed, kpis_defined, kpis_scored, kpis
FROM appraisal.published_appraisal ORDER BY employee_id;
SELECT count(*) AS differences FROM appraisal.published_differences;

-- Later data: B2's quality becomes 50 → (3·50 + 94) / 4 = 244 / 4 = 61.00
-- (较差: coaching, no longer best); C3 gets results (80, 80 → 80.00, only
-- live); A1's results are withdrawn (only published).
UPDATE appraisal.kpi_results SET value = 50 WHERE employee_id = 'B2' AND kpi = 'quality';
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2025-Q1', 'C3', 'quality', 80), ('2025-Q1', 'C3', 'attendance', 80);
DELETE FROM appraisal.kpi_results WHERE employee_id = 'A1';
-- the published rows are unchanged ...
SELECT employee_id, points, grade, excellent_streak, coaching_needed FROM appraisal.published_appraisal ORDER BY employee_id;
-- ... and the differences are listed
SELECT period, publication, employee_id, difference, changed_columns, published_points, live_points, published_grade, live_grade
FROM appraisal.published_differences ORDER BY employee_id;

-- republication by a committee member: publication 2, with who and when;
-- publication 1 stays as it was, out of force; no differences left
CREATE ROLE appraisal_test_committee IN ROLE appraisal_admin;
GRANT SELECT ON appraisal.published_differences TO appraisal_test_committee;
SET SESSION AUTHORIZATION appraisal_test_committee;
SELECT publication, employees FROM appraisal.publish_results('2025-Q1');
SELECT period, publication, published_by = 'appraisal_test_committee' AS by_committee, published_at IS NOT NULL AS dated FROM appraisal.publications ORDER BY publication;
SELECT count(*) AS differences FROM appraisal.published_differences;
RESET SESSION AUTHORIZATION;
SELECT publication, in_force, published_by = 'appraisal_test_committee' AS by_committee, employee_id, points, grade
FROM appraisal.published_appraisal ORDER BY publication, employee_id;

-- an upheld appeal after publication is a difference too:
-- C3 quality 80 → 100: (3·100 + 80) / 4 = 380 / 4 = 95.00 (优)
SELECT appraisal.decide_appeal(appraisal.file_appeal('C3', '2025-Q1', 'quality', 100, 'rescored'), 'upheld', 100) AS decision;
SELECT employee_id, difference, changed_columns, published_points, live_points, published_grade, live_grade
FROM appraisal.published_differences;

-- Scoped as the scorecards: a role scoped to team north sees north's rows only
CREATE ROLE appraisal_test_north;
INSERT INTO appraisal.scorecard_access (grantee, team) VALUES ('appraisal_test_north', 'north');
GRANT SELECT ON appraisal.published_appraisal, appraisal.published_differences TO appraisal_test_north;
SET ROLE appraisal_test_north;
SELECT DISTINCT employee_id FROM appraisal.published_appraisal ORDER BY 1;
SELECT count(*) AS differences FROM appraisal.published_differences;
SELECT pg_temp.try($$SELECT * FROM appraisal.published_results$$) AS read_the_table;
SELECT pg_temp.try($$SELECT * FROM appraisal.publish_results('2025-Q1')$$) AS publish_unprivileged;
RESET ROLE;

-- Bad input
SELECT pg_temp.try($$SELECT * FROM appraisal.publish_results('2025-Q9')$$) AS unknown_period;
SELECT pg_temp.try($$SELECT * FROM appraisal.publish_results(NULL)$$) AS null_period;
SELECT pg_temp.try($$SELECT * FROM appraisal.publish_results('2025')$$) AS no_results;
SELECT count(*) AS publications FROM appraisal.publications;
-- the history is never changed
SELECT pg_temp.try($$UPDATE appraisal.published_results SET points = 100$$) AS update_result;
SELECT pg_temp.try($$DELETE FROM appraisal.published_results WHERE publication = 1$$) AS delete_result;
SELECT pg_temp.try($$TRUNCATE appraisal.published_results$$) AS truncate_results;
SELECT pg_temp.try($$UPDATE appraisal.publications SET published_by = 'someone'$$) AS update_publication;
SELECT pg_temp.try($$DELETE FROM appraisal.publications$$) AS delete_publication;
SELECT pg_temp.try($$TRUNCATE appraisal.publications CASCADE$$) AS truncate_publications;
-- A1 (results withdrawn) stays in the published history
SELECT pg_temp.try($$DELETE FROM appraisal.employees WHERE employee_id = 'A1'$$) AS delete_published_employee;

DROP EXTENSION appraisal CASCADE;
DROP ROLE appraisal_test_committee, appraisal_test_north;
CREATE EXTENSION appraisal;
