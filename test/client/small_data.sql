-- test/client/small_data.sql: a small fixed data set for test/cluster/client.sh
-- when CLIENT_DATA=small (else client.sh loads appraisal_demo's generate_demo_data): enough
-- of everything that every view has rows and most columns have values.  A
-- manager, a supervisor and three specialists in two teams; 2025 and 2026
-- periods; 300 tickets over 2025 (resolved, open and overdue; complaints of
-- each cause; repeat customers); surveys from every source, some tickets
-- rated twice; quarterly 360 reviews; KPIs of every position.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

SELECT count(*) AS periods FROM (SELECT appraisal.add_periods(2025) UNION ALL SELECT appraisal.add_periods(2026)) p;

INSERT INTO appraisal.settings (name, value) VALUES ('spike_min_complaints', '2');

INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES
  ('M1', 'Wang Fang', 'manager', 'service', NULL),
  ('S1', 'Li Na', 'supervisor', 'north', 'M1'),
  ('A1', 'Zhang Wei', 'specialist', 'north', 'S1'),
  ('A2', 'Liu Yang', 'specialist', 'north', 'S1'),
  ('A3', 'Chen Jing', 'specialist', 'south', 'S1');

INSERT INTO appraisal.sla_policies (metric, channel, priority, target, description) VALUES
  ('first_response', 'phone', NULL, '4 hours', 'Phone: call back within 4 hours'),
  ('resolution', NULL, 'high', '24 hours', 'High priority: resolve within a day');

-- one ticket every 29 hours through 2025; every 9th still open
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel,
                               priority, category, complaint, cause, customer_id, agent_id)
SELECT format('T%s', lpad(g::text, 4, '0')), t0,
       t0 + (g % 30) * interval '1 hour',
       CASE WHEN g % 9 <> 0 THEN t0 + (g % 70) * interval '1 hour' END,
       CASE WHEN g % 9 <> 0 THEN 1 + g % 3 END,
       (ARRAY['phone', 'email', 'web'])[1 + g % 3],
       CASE WHEN g % 7 = 0 THEN 'high' ELSE 'normal' END,
       (ARRAY['delivery', 'billing', 'repair', 'returns', 'delivery'])[1 + g % 5],
       g % 4 = 0,
       CASE WHEN g % 4 = 0 THEN (ARRAY['service', 'system', NULL])[1 + g / 4 % 3] END,
       'C' || (g % 45),
       (ARRAY['A1', 'A2', 'A3', 'A1', 'S1'])[1 + g % 5]
FROM generate_series(1, 300) g
CROSS JOIN LATERAL (SELECT timestamptz '2025-01-02 01:30+00' + g * interval '29 hours' AS t0) x;

-- surveys for two tickets in three; every fifth rated again by SMS
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
SELECT ticket_id, (ARRAY['web', 'call_back', 'sms'])[1 + n % 3], opened_at + interval '3 days', 1 + (n * 7) % 5
FROM (SELECT ticket_id, opened_at, row_number() OVER (ORDER BY ticket_id) AS n FROM appraisal.tickets) t
WHERE n % 3 <> 0
UNION ALL
SELECT ticket_id, 'sms', opened_at + interval '4 days', 5
FROM (SELECT ticket_id, opened_at, row_number() OVER (ORDER BY ticket_id) AS n FROM appraisal.tickets) t
WHERE n % 15 = 1;

-- call-backs two days after resolution for three resolved tickets in four;
-- every eleventh ticket inspected (scores with decimals)
INSERT INTO appraisal.call_backs (ticket_id, called_at)
SELECT ticket_id, resolved_at + interval '2 days' FROM appraisal.tickets
WHERE resolved_at IS NOT NULL AND substr(ticket_id, 2)::int % 4 <> 0;
INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score)
SELECT ticket_id, 'QA1', opened_at::date + 5, 70 + substr(ticket_id, 2)::int % 30 + 0.5
FROM appraisal.tickets WHERE substr(ticket_id, 2)::int % 11 = 0;

INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, dimension, score)
SELECT p.period, r.ratee, r.rater, r.role::appraisal.rater_role, d.dimension,
       55 + (ascii(r.rater) * 7 + ascii(right(r.rater, 1)) * 5 + ascii(right(r.ratee, 1)) * 3
             + ascii(right(p.period, 1)) * 11 + length(d.dimension)) % 45
FROM appraisal.periods p
CROSS JOIN (VALUES ('A1', 'S1', 'superior'), ('A1', 'A2', 'peer'), ('A1', 'A3', 'peer'), ('A1', 'A1', 'self'),
                   ('A2', 'S1', 'superior'), ('A2', 'A1', 'peer'), ('A2', 'A3', 'peer'),
                   ('A3', 'S1', 'superior'), ('A3', 'A1', 'peer'), ('A3', 'A2', 'peer'),
                   ('S1', 'M1', 'superior'), ('S1', 'A1', 'subordinate'), ('S1', 'A2', 'subordinate'),
                   ('S1', 'A3', 'subordinate'),
                   ('M1', 'S1', 'subordinate'), ('M1', 'A1', 'subordinate'), ('M1', 'A2', 'subordinate'))
           r(ratee, rater, role)
CROSS JOIN (VALUES ('attitude'), ('skills')) d(dimension)
WHERE p.kind = 'quarter' AND p.starts_on < date '2026-01-01';

INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source, description) VALUES
  ('specialist', 'first response SLA', 40, 60, 100, 'first_response_compliance', 'First-response compliance, percent'),
  ('specialist', 'satisfaction', 30, 50, 100, 'csat', 'CSAT, percent'),
  ('specialist', 'product knowledge', 30, 0, 100, 'manual', 'Quarterly quiz score'),
  ('supervisor', 'resolution SLA', 50, 60, 100, 'resolution_compliance', 'Resolution compliance of the team, percent'),
  ('supervisor', '360 review', 50, 0, 100, 'score_360', '360 score'),
  ('manager', 'recurrence', 40, 30, 0, 'recurrence_rate', 'Recurrence rate, percent (lower is better)'),
  ('manager', 'complaint composite', 40, 0, 100, 'complaint_composite', 'Complaint composite points'),
  ('manager', 'budget', 20, 0, 100, 'manual', 'Budget adherence');

INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value, note)
SELECT p.period, e.employee_id, 'product knowledge', 60 + (ascii(right(e.employee_id, 1)) * 13 + ascii(right(p.period, 1)) * 7) % 40, 'quiz'
FROM appraisal.periods p CROSS JOIN appraisal.employees e
WHERE p.kind = 'quarter' AND p.starts_on < date '2026-01-01' AND e.position = 'specialist'
UNION ALL
SELECT '2025', 'M1', 'budget', 85, 'finance report';

-- Customers (customer_scorecard): a year and the one before it, so that the
-- trend and every figure have values, and a credit rating.
INSERT INTO appraisal.customers (customer_id, name, first_order_on, sales_manager_id) VALUES
  ('K1', 'Huadong Trading', NULL, 'M1');
INSERT INTO appraisal.customer_figures
  (customer_id, period, sales, batches, sales_growth, collection_rate, return_rate, receivables, manager_evaluation) VALUES
  ('K1', '2025', 400000, 5, 10, 97, 2, 12000, 70),
  ('K1', '2026', 480000, 6, NULL, 98, 1.5, 8000, 75);
INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points) VALUES ('K1', '2026', 24, 58);

-- A survey run of the standard questionnaire (survey_validity, survey_results,
-- customer_survey_status, customer_survey_points): K1 answered every item.
INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, opened_on, closed_on)
  VALUES ('CSAT 2026', 'standard', '2026', '2026-11-01', '2026-11-30');
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on)
  VALUES ('CSAT 2026', 'K1', '2026-11-02', '2026-11-09');
INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value, acceptance)
SELECT 'CSAT 2026', 'K1', item_no, CASE item WHEN 'complaint_handling' THEN 2.5 ELSE 88 END,
       CASE WHEN needs_acceptance THEN 'basically satisfied' END
FROM appraisal.survey_items WHERE questionnaire = 'standard';

-- An improvement period (improvement_outcomes), entered as HR decided: A1's
-- 2025-Q1, judged by its Q2.
INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline, target_points, note)
  VALUES ('A1', '2025-Q1', '2025-06-30', 60, 'coaching plan');
