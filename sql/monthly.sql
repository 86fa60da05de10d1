-- Monthly periods (docs/rules.md, "Appraisal periods and results": the
-- appliance-service and repair regulations appraise monthly).  The
-- scorecards show every period of appraisal.periods, months included;
-- values computed by hand from the tickets below.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- the year, its halves and quarters; then its months, on request (the
-- periods already there are left alone: a second call adds nothing)
SELECT count(*) AS added FROM appraisal.add_periods(2026);
SELECT period, kind, starts_on, ends_on FROM appraisal.add_periods(2026, months => true) ORDER BY starts_on;
SELECT count(*) AS added_again FROM appraisal.add_periods(2026, months => true);

-- one agent: January two tickets (first response in 1 h, met; in 25 h on a
-- 24 h target, breached), February one (met).  24x7, default targets.
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES ('R1', 'Repairer', 'specialist', 'field');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('R-1', '2026-01-10 09:00', '2026-01-10 10:00', '2026-01-10 12:00', 1, 'phone', 'repair', 'R1'),
  ('R-2', '2026-01-20 09:00', '2026-01-21 10:00', '2026-01-21 12:00', 1, 'phone', 'repair', 'R1'),
  ('R-3', '2026-02-03 09:00', '2026-02-03 10:00', '2026-02-03 12:00', 1, 'phone', 'repair', 'R1');
SELECT count(*) FROM appraisal.refresh_scorecards();
-- January 1 of 2 → 50.00; February 1 of 1 → 100.00; Q1, H1 and the year 2 of 3 → 66.66
SELECT period, period_kind, tickets, first_response_met AS met, first_response_breached AS breached,
       first_response_compliance AS compliance
FROM appraisal.agent_scorecard ORDER BY starts_on, ends_on;

-- a month must not overlap another month; a period kind is one of four
SELECT pg_temp.try($$INSERT INTO appraisal.periods VALUES ('2026-01b', 'month', '2026-01-15', '2026-02-14')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.periods VALUES ('2026-W01', 'week', '2025-12-29', '2026-01-04')$$);
