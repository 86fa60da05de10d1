-- Complaint attribution (docs/rules.md, "Complaint handling": attribution): a
-- complaint caused by the company's system or policy counts against nobody
-- (resolution, FCR, recurrence, satisfaction and the composite leave it
-- out; its first response counts unless system_complaints_first_response is
-- false), and service-caused complaints enter the appraisal as a complaint
-- rate and a complaint-handling rate, in every roll-up.  Every number by
-- hand; default SLA: first response 24 h, resolution 48 h, 24x7.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
INSERT INTO appraisal.settings (name, value) VALUES ('min_tickets', '3'), ('min_responses', '2');
SELECT count(*) AS periods FROM appraisal.add_periods(2026);
INSERT INTO appraisal.providers (provider_id, name) VALUES ('PV1', 'Outlet One');
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id, provider_id) VALUES
  ('M9', 'Ma', 'manager', 'hq', NULL, NULL),
  ('P1', 'Pei', 'specialist', 'east', 'M9', NULL),
  ('P2', 'Peng', 'specialist', 'west', 'M9', NULL),
  ('P3', 'Pu', 'specialist', 'east', 'M9', 'PV1');

-- P1, the four-ticket example: three tickets answered and resolved in time,
-- rated 5, 5 and 4; the fourth a system-caused complaint of customer k1
-- about the same category as P1-1, two days after it (a comeback within the
-- 7-day repeat window), answered in an hour, resolved in 72 h (late) and rated 1.
-- Counted against P1 it would give resolution 3/4 = 75, FCR 3/4 = 75 (P1-1
-- recurred), CSAT 3/4 = 75 and a composite of 40 + 22.5 + 22.5 = 85 (良).
-- Left out: first response 4/4 = 100 (counted), resolution 3/3, FCR 3/3,
-- recurrence 0/3, CSAT 3/3 = 100, composite 100.00 (优).
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id) VALUES
  ('P1-1', '2026-04-06 09:00', '2026-04-06 10:00', '2026-04-06 11:00', 1, 'phone', 'install', false, NULL, 'k1', 'P1'),
  ('P1-2', '2026-04-07 09:00', '2026-04-07 10:00', '2026-04-07 11:00', 1, 'phone', 'billing', false, NULL, 'k2', 'P1'),
  ('P1-3', '2026-04-08 09:00', '2026-04-08 10:00', '2026-04-08 11:00', 1, 'phone', 'billing', false, NULL, 'k3', 'P1'),
  ('P1-4', '2026-04-08 12:00', '2026-04-08 13:00', '2026-04-11 12:00', 1, 'phone', 'install', true, 'system', 'k1', 'P1');
-- P2: three ordinary tickets rated 5, and a system-caused complaint answered
-- after 25 h (late) and resolved after 26 h (in time), not rated.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id) VALUES
  ('P2-1', '2026-04-06 09:00', '2026-04-06 10:00', '2026-04-06 11:00', 1, 'phone', 'install', false, NULL, 'n1', 'P2'),
  ('P2-2', '2026-04-07 09:00', '2026-04-07 10:00', '2026-04-07 11:00', 1, 'phone', 'billing', false, NULL, 'n2', 'P2'),
  ('P2-3', '2026-04-08 09:00', '2026-04-08 10:00', '2026-04-08 11:00', 1, 'phone', 'repair', false, NULL, 'n3', 'P2'),
  ('P2-4', '2026-04-09 09:00', '2026-04-10 10:00', '2026-04-10 11:00', 1, 'phone', 'delivery', true, 'system', 'n4', 'P2');
-- P3 (a technician of PV1): two service-caused complaints, one resolved in
-- exactly 48 h (in time), one in 48 h 1 s on the second contact (late); a
-- system-caused complaint still open (overdue: left out); an ordinary ticket;
-- a complaint not yet attributed (counts as an ordinary ticket).
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id) VALUES
  ('P3-1', '2026-04-06 09:00', '2026-04-06 10:00', '2026-04-08 09:00', 1, 'phone', 'delivery', true, 'service', 'm1', 'P3'),
  ('P3-2', '2026-04-07 09:00', '2026-04-07 10:00', '2026-04-09 09:00:01', 2, 'phone', 'delivery', true, 'service', 'm2', 'P3'),
  ('P3-3', '2026-04-08 09:00', '2026-04-08 10:00', NULL, NULL, 'phone', 'delivery', true, 'system', 'm3', 'P3'),
  ('P3-4', '2026-04-09 09:00', '2026-04-09 10:00', '2026-04-09 11:00', 1, 'phone', 'repair', false, NULL, 'm4', 'P3'),
  ('P3-5', '2026-04-10 09:00', '2026-04-10 10:00', '2026-04-10 11:00', 1, 'phone', 'billing', true, NULL, 'm5', 'P3');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES
  ('P1-1', 'web', '2026-04-07', 5), ('P1-2', 'web', '2026-04-08', 5), ('P1-3', 'web', '2026-04-09', 4),
  ('P1-4', 'web', '2026-04-12', 1),
  ('P2-1', 'web', '2026-04-07', 5), ('P2-2', 'web', '2026-04-08', 5), ('P2-3', 'web', '2026-04-09', 5),
  ('P3-1', 'web', '2026-04-09', 2), ('P3-2', 'web', '2026-04-10', 4), ('P3-4', 'web', '2026-04-10', 5);

-- KPIs: specialists on the composite (60) and complaint handling (40);
-- the manager, appraised yearly, on the complaint rate (reversed: 20 per
-- 100 tickets scores 0, none 100) and complaint handling.
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source) VALUES
  ('specialist', 'composite', 60, 0, 100, 'complaint_composite'),
  ('specialist', 'handling', 40, 0, 100, 'complaint_handling_rate'),
  ('manager', 'complaint rate', 50, 20, 0, 'complaint_rate'),
  ('manager', 'handling', 50, 0, 100, 'complaint_handling_rate');
SELECT count(*) FROM appraisal.refresh_scorecards();

-- P1: 100 everywhere (85 if the complaint counted).  P2: first response 3/4
-- = 75.00 (the system-caused complaint's late answer counts by default),
-- resolution 3/3, CSAT 3/3: composite 30 + 30 + 30 = 90.00, 优 at its
-- boundary.  P3: first response 5/5, resolution met P3-1, P3-4, P3-5 of
-- four judged (P3-2 late; P3-3 left out) = 75.00, FCR 3/4 = 75.00 (P3-2 on
-- the second contact), CSAT 2/3 = 66.66 (ratings 2, 4, 5): composite
-- 40 + 22.5 + 20 = 82.50 (良).
SELECT employee_id, tickets, first_response_compliance AS fr, resolution_met AS res_met,
       resolution_breached AS res_br, resolution_compliance AS res, resolved, fcr, recurred,
       responses, satisfied, csat, composite_points, composite_grade
FROM appraisal.agent_scorecard WHERE period = '2026-Q2' ORDER BY employee_id;
-- complaints by attribution; the rate of service-caused complaints per 100
-- tickets (P3: 2/5 = 40.00), those closed within their target (P3-1 in
-- time, P3-2 late: 1/2 = 50.00) and what was left out, and why
SELECT employee_id, complaints, service_complaints AS service, system_complaints AS system,
       unattributed_complaints AS unattributed, complaint_rate, complaints_handled_in_time AS in_time,
       complaints_handled_late AS late, complaint_handling_rate AS handling, excluded_tickets AS excluded
FROM appraisal.agent_scorecard WHERE period = '2026-Q2' ORDER BY employee_id;
SELECT employee_id, excluded_reason FROM appraisal.agent_scorecard WHERE period = '2026-Q2' ORDER BY employee_id;

-- The same in every roll-up.  Team east = P1 + P3: 9 tickets, first
-- response 9/9, resolution (3 + 3)/(3 + 4) = 85.71, CSAT (3 + 2)/(3 + 3) =
-- 83.33; composite 40 + 30·6/7 + 30·5/6 = 90.71 (优); complaint rate 2/9 =
-- 22.22, handling 1/2 = 50.00, 2 left out.  Team west = P2.
SELECT team, tickets, first_response_compliance AS fr, resolution_compliance AS res, csat, composite_points,
       complaint_rate, complaint_handling_rate AS handling, excluded_tickets AS excluded, excluded_reason
FROM appraisal.team_scorecard WHERE period = '2026-Q2' ORDER BY team;
-- PV1's technician is P3: his numbers
SELECT provider_id, technicians, tickets, resolution_compliance AS res, csat, composite_points,
       complaint_rate, complaint_handling_rate AS handling, excluded_tickets AS excluded
FROM appraisal.provider_scorecard WHERE period = '2026-Q2';

-- KPIs.  Specialists, 2026-Q2: P1 composite 100, handling 100 (no
-- service-caused complaint: none handled late) → 100.00 (优); P2 90 and 100
-- → 0.6·90 + 0.4·100 = 94.00 (优); P3 82.50 and 50 → 49.5 + 20 = 69.50 (较差).
-- M9 answers for all 13 tickets of 2026: complaint rate 2/13 = 15.38 →
-- (20 − 15.38)/20 = 23.10 points; handling 50.00 → 50.00; overall 36.55 (差).
SELECT employee_id, period, kpi, source, value, points
FROM appraisal.kpi_breakdown WHERE period IN ('2026-Q2', '2026') ORDER BY employee_id, kpi;
SELECT employee_id, period, points, grade FROM appraisal.overall_appraisal
WHERE period IN ('2026-Q2', '2026') ORDER BY employee_id;

-- The first response of a system-caused complaint left out too: P2's
-- first response becomes 3/3 = 100.00 and the composite 100.00; P1 and P3
-- answered theirs in time (unchanged: 100.00).  Read at the refresh.
INSERT INTO appraisal.settings (name, value) VALUES ('system_complaints_first_response', 'false');
SELECT employee_id, first_response_compliance AS fr, composite_points FROM appraisal.agent_scorecard
WHERE period = '2026-Q2' ORDER BY employee_id;
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, first_response_met AS fr_met, first_response_breached AS fr_br, first_response_compliance AS fr,
       composite_points, excluded_tickets AS excluded, excluded_reason
FROM appraisal.agent_scorecard WHERE period = '2026-Q2' ORDER BY employee_id;
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('system_complaints_first_response', 'sometimes') ON CONFLICT (name) DO UPDATE SET value = excluded.value$$);
DELETE FROM appraisal.settings WHERE name = 'system_complaints_first_response';

-- A complaint re-attributed from service to system (an upheld appeal, or a
-- late review) leaves P3's numbers at the next refresh: P3-2 goes, so
-- resolution 3/3 = 100.00, FCR 3/3, CSAT 1/2 = 50.00 (the 4 went with it),
-- composite 40 + 30 + 15 = 85.00; complaint rate 1/5 = 20.00, handling 1/1.
UPDATE appraisal.tickets SET cause = 'system' WHERE ticket_id = 'P3-2';
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, resolution_compliance AS res, fcr, csat, composite_points, complaint_rate,
       complaint_handling_rate AS handling, excluded_tickets AS excluded
FROM appraisal.agent_scorecard WHERE period = '2026-Q2' AND employee_id = 'P3';

-- An agent whose every ticket is a system-caused complaint: nothing to
-- judge him on but first responses; no rate of nothing.
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES ('P4', 'Qin', 'specialist', 'west');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id) VALUES
  ('P4-1', '2026-05-04 09:00', '2026-05-04 10:00', '2026-05-04 11:00', 1, 'phone', 'install', true, 'system', 'q1', 'P4');
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, tickets, first_response_compliance AS fr, resolution_compliance AS res, resolved, fcr, csat,
       composite_points, complaint_rate, complaint_handling_rate AS handling, excluded_tickets AS excluded
FROM appraisal.agent_scorecard WHERE period = '2026-Q2' AND employee_id = 'P4';
