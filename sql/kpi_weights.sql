-- Soft KPIs should weigh at least 30 % of a position's KPIs, and a position
-- should have 3 to 5 core KPIs (docs/rules.md, "Complaint handling"): each
-- KPI is hard or soft, and kpi_weight_warnings lists the positions below
-- min_soft_kpi_share or outside core_kpis_min..core_kpis_max.  By hand below.
\set SHOW_CONTEXT never
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- specialist: 40 + 30 hard, 20 soft → 20/90 = 22.22 % < 30: listed; 3 KPIs.
-- supervisor: 70 hard, 30 soft → exactly 30.00 %, but 2 KPIs (< 3): listed.
-- manager: 2 soft of 7 → 2/7 = 28.571… % → 28.57 < 30: listed (the shown,
-- truncated share decides, as for grades), and 2 KPIs.
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, nature) VALUES
  ('specialist', 'first response', 40, 60, 100, 'hard'),
  ('specialist', 'satisfaction', 30, 0, 100, 'hard'),
  ('specialist', 'teamwork', 20, 0, 100, 'soft'),
  ('supervisor', 'team composite', 70, 0, 100, 'hard'),
  ('supervisor', 'emotion management', 30, 0, 100, 'soft'),
  ('manager', 'cost control', 5, 0, 100, 'hard'),
  ('manager', 'collaboration', 2, 0, 100, 'soft');
SELECT * FROM appraisal.kpi_weight_warnings ORDER BY position;
-- a lower threshold of one's own: only the specialist's 22.22 % is below
-- 25, and 2 KPIs are enough with core_kpis_min 2: the specialist alone
INSERT INTO appraisal.settings (name, value) VALUES ('min_soft_kpi_share', '25'), ('core_kpis_min', '2');
SELECT position, soft_share, min_soft_share, warning FROM appraisal.kpi_weight_warnings ORDER BY position;
-- six KPIs for the supervisor (soft 30 of 101: 29.70 %, above 25): above core_kpis_max 5
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at)
SELECT 'supervisor', 'extra ' || i, 0.25, 0, 100 FROM generate_series(1, 4) i;
SELECT position, kpis, soft_share, warning FROM appraisal.kpi_weight_warnings ORDER BY position;
DELETE FROM appraisal.kpi_definitions WHERE kpi LIKE 'extra %';
-- a KPI is hard unless said otherwise; nothing else is a nature
SELECT nature FROM appraisal.kpi_definitions WHERE kpi = 'cost control';
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES ('specialist', 'speed', 1, 0, 1);
SELECT nature FROM appraisal.kpi_definitions WHERE kpi = 'speed';
SELECT pg_temp.try($$INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, nature) VALUES ('specialist', 'mood', 1, 0, 1, 'medium')$$);

-- A position without KPIs is listed (0 KPIs); and a position whose every KPI
-- is measured on a longer cycle than its own repeats one result in several
-- appraisals: the manager, set to quarterly, has only yearly KPIs.
DELETE FROM appraisal.kpi_definitions WHERE position = 'supervisor';
UPDATE appraisal.kpi_definitions SET cycle = 'year' WHERE position = 'manager';
INSERT INTO appraisal.settings (name, value) VALUES ('cycle_manager', 'quarter');
SELECT position, kpis, soft_share, warning FROM appraisal.kpi_weight_warnings ORDER BY position;
