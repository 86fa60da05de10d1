-- The after-sales evaluation rules for service providers (docs/rules.md,
-- "Service providers"), each on a small data set with every number computed by
-- hand in the comments: bad reviews (their own rule, amount unset until the
-- year's row, de-duplicated) against service complaints (2,000 each, every
-- one charged), an installation order reported online and offline (the
-- offline record dropped), the bad-review rate and completion timeliness, a
-- provider's status with the disqualification trigger and the refusal
-- setting, and a sales company's combined assessment; bad input and
-- privileges.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM appraisal.add_periods(2026);

-- The shipped rules: bad_review has no amount (the regulation gives none),
-- a service complaint costs 2,000 per case.
SELECT rule_id, valid_from, amount, unit, description FROM appraisal.penalty_rules
WHERE rule_id IN ('bad_review', 'service_complaint') ORDER BY rule_id;
SELECT name, default_value FROM appraisal.setting_definitions
WHERE name IN ('refuse_charges_after_disqualification', 'disqualify_period', 'disqualify_complaints', 'disqualify_amount',
               'sales_weight_sms', 'sales_weight_call_back', 'sales_weight_feedback') ORDER BY name;

INSERT INTO appraisal.sales_companies (sales_company_id, name, region) VALUES
  ('S1', 'North Sales', 'north'),      -- providers Q1 and Q2
  ('S2', 'South Sales', 'south');      -- no provider: feedback only
INSERT INTO appraisal.providers (provider_id, name, region, sales_company_id) VALUES
  ('Q1', 'Anxin Installation', 'north', 'S1'),
  ('Q2', 'Huimin Repair', 'north', 'S1'),
  ('Q3', 'Lone Outlet', 'east', NULL);

-- Provider Q1 in January 2026 (UTC days; penalty_window 1 month).  K1..K4
-- name the customers (phone and address).
--   C1, C2: two service complaints of K1 in one month: each charged 2,000.
--   B1, B2: two bad reviews of K1 in one month: B1 counts, B2 is its duplicate.
--   B3 (SMS), B4 (web): one bad review of K2's order O5 twice: B4 counts.
--   B5: about the product: exempt.
--   C3 (SMS), C4 (web): one complaint of K4's order O7 reported twice: read as
--       one complaint (the web one), 2,000 once.
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone, customer_address, source, about_service) VALUES
  ('C1', 'Q1', 'service_complaint', '2026-01-05 10:00+00', 'O1', '138 0000 0001', 'Lane 1', 'callback', true),
  ('C2', 'Q1', 'service_complaint', '2026-01-20 10:00+00', 'O2', '13800000001', 'lane 1', 'callback', true),
  ('B1', 'Q1', 'bad_review', '2026-01-06 10:00+00', 'O3', '13800000001', 'Lane 1', 'web', true),
  ('B2', 'Q1', 'bad_review', '2026-01-25 10:00+00', 'O4', '13800000001', 'Lane 1', 'callback', true),
  ('B3', 'Q1', 'bad_review', '2026-01-10 10:00+00', 'O5', '13800000002', 'Lane 2', 'sms', true),
  ('B4', 'Q1', 'bad_review', '2026-01-11 10:00+00', 'O5', '13800000002', 'Lane 2', 'web', true),
  ('B5', 'Q1', 'bad_review', '2026-01-12 10:00+00', 'O6', '13800000003', 'Lane 3', 'web', false),
  ('C3', 'Q1', 'service_complaint', '2026-01-15 10:00+00', 'O7', '13800000004', 'Lane 4', 'sms', true),
  ('C4', 'Q1', 'service_complaint', '2026-01-16 10:00+00', 'O7', '13800000004', 'Lane 4', 'web', true),
-- Provider Q2 in February: one complaint (2,000), fake data on an order
-- (1,000), under-staffing in a peak sales event (2,000): 5,000.
  ('C5', 'Q2', 'service_complaint', '2026-02-03 10:00+00', NULL, NULL, NULL, 'other', true),
  ('F1', 'Q2', 'fake_customer_data', '2026-02-04 10:00+00', 'O9', NULL, NULL, 'inspection', true),
  ('U1', 'Q2', 'peak_understaffing', '2026-02-05 10:00+00', NULL, NULL, NULL, 'dispatch', true);

-- Before the year's amount is entered, a counted bad review is charged with
-- no amount (NULL), and says so; the complaints cost 2,000 each.
SELECT event_id, rule_id, status, duplicate_of AS dup_of, amount, reason
FROM appraisal.penalty_ledger WHERE provider_id = 'Q1' ORDER BY occurred_at, event_id;

-- The year's amount (500 per bad review from 2026-01-01, say): B1 and B4
-- cost 500 each.  Q1's January: C1 C2 C4 = 6,000 + B1 B4 = 1,000 = 7,000.
INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit)
VALUES ('bad_review', '2026-01-01', 'Bad review, the 2026 satisfaction rules', 500, 'case');
SELECT event_id, status, amount FROM appraisal.penalty_ledger
WHERE provider_id = 'Q1' AND status = 'charged' ORDER BY occurred_at, event_id;
SELECT provider_id, sum(amount) AS charged FROM appraisal.penalty_ledger GROUP BY provider_id ORDER BY provider_id;

-- Installation orders.  Q1:
--   R1 O3 online Jan 3, due Jan 10, done Jan 8: counted, on time.
--   R2 O3 offline Jan 4: the same order in January: dropped.
--   R3 O4 offline only, due Jan 10, done Jan 12: counted, late.
--   R4 O5 online, due Jan 10, not done: counted, overdue.
--   R5 O6 offline Jan 28 (no due time: not judged) and R6 O6 online Feb 2
--      (due Feb 10, done Feb 9: on time): other windows, both count.
--   R7 O8 online, due 2099: open, not judged.
--   R8 O10 offline Jan 9 and R9 O10 offline Jan 10: reported twice offline:
--      R8 counts (the earliest; no due time).
-- Q1 in 2026-Q1: counted R1 R3 R4 R5 R6 R7 R8 = 7, dropped R2 R9 = 2;
-- on time R1 R6 = 2, late R3 R4 = 2: timeliness 2 / 4 = 50.00; bad reviews
-- counted B1 B4 = 2: rate 2 / 7 = 28.57 (28.571...).
-- Q3: orders only (R10, done at its due time exactly: on time) and no event: its row shows 1 order,
-- 0 bad reviews, rate 0.00, timeliness 100.00.
INSERT INTO appraisal.provider_orders (record_id, provider_id, order_id, channel, reported_at, due_at, completed_at) VALUES
  ('R1', 'Q1', 'O3', 'online', '2026-01-03 09:00+00', '2026-01-10 18:00+00', '2026-01-08 12:00+00'),
  ('R2', 'Q1', 'O3', 'offline', '2026-01-04 09:00+00', '2026-01-10 18:00+00', '2026-01-08 12:00+00'),
  ('R3', 'Q1', 'O4', 'offline', '2026-01-05 09:00+00', '2026-01-10 18:00+00', '2026-01-12 12:00+00'),
  ('R4', 'Q1', 'O5', 'online', '2026-01-06 09:00+00', '2026-01-10 18:00+00', NULL),
  ('R5', 'Q1', 'O6', 'offline', '2026-01-28 09:00+00', NULL, NULL),
  ('R6', 'Q1', 'O6', 'online', '2026-02-02 09:00+00', '2026-02-10 18:00+00', '2026-02-09 12:00+00'),
  ('R7', 'Q1', 'O8', 'online', '2026-01-07 09:00+00', '2099-01-01 00:00+00', NULL),
  ('R8', 'Q1', 'O10', 'offline', '2026-01-09 09:00+00', NULL, NULL),
  ('R9', 'Q1', 'O10', 'offline', '2026-01-10 09:00+00', NULL, NULL),
  ('R10', 'Q3', 'O20', 'online', '2026-03-02 09:00+00', '2026-03-05 18:00+00', '2026-03-05 18:00+00');
SELECT record_id, order_id, channel, window_starts_on AS window, status, duplicate_of AS dup_of, timeliness, reason
FROM appraisal.provider_order_ledger ORDER BY provider_id, reported_at;

SELECT count(*) > 0 AS refreshed FROM appraisal.refresh_scorecards();   -- (no tickets yet)
-- The scorecard's new columns.  Q1 2026-Q1: complaints C1 C2 C4 = 3 (the
-- SMS C3 a duplicate), bad reviews 2, 7,000.  Q2: 1 complaint, no orders
-- (rate and timeliness NULL), 5,000.  Q3: see above.
SELECT provider_id AS prov, period, charged_events AS charged, duplicates AS dups, exempt, complaint_cases AS compl,
       bad_reviews, orders, duplicate_order_records AS dropped, bad_review_rate, orders_on_time AS on_time,
       orders_late AS late, completion_timeliness AS timely, penalty_amount, refused_events AS refused,
       unpriced_events AS unpriced
FROM appraisal.provider_scorecard WHERE period_kind = 'quarter' ORDER BY provider_id, starts_on;
-- Without the year's amount, B1 and B4 are counted but unpriced: 2
-- unpriced events, 6,000 charged.
BEGIN;
DELETE FROM appraisal.penalty_rules WHERE rule_id = 'bad_review' AND valid_from = '2026-01-01';
SELECT bad_reviews, unpriced_events AS unpriced, penalty_amount FROM appraisal.provider_scorecard
WHERE provider_id = 'Q1' AND period = '2026-Q1';
ROLLBACK;

-- Disqualification candidates, default trigger: 3 charged complaints in a
-- quarter (amount off).  Q1 has 3 in 2026-Q1: proposed; Q2 has 1.
SELECT provider_id, period, complaints, penalty_amount, status, reason FROM appraisal.disqualification_candidates ORDER BY provider_id, period;
-- By amount: 5,000 reaches Q2's 5,000 (the boundary counts) and Q1's 7,000.
INSERT INTO appraisal.settings (name, value) VALUES ('disqualify_amount', '5000');
SELECT provider_id, period, complaints, penalty_amount, reason FROM appraisal.disqualification_candidates ORDER BY provider_id, period;
-- 5,000.01 leaves Q2 out; 4 complaints leave Q1's count trigger out (its
-- amount still proposes it); 0 and 0 switch both off.
UPDATE appraisal.settings SET value = '5000.01' WHERE name = 'disqualify_amount';
INSERT INTO appraisal.settings (name, value) VALUES ('disqualify_complaints', '4');
SELECT provider_id, period, reason FROM appraisal.disqualification_candidates ORDER BY provider_id, period;
UPDATE appraisal.settings SET value = '0' WHERE name IN ('disqualify_amount', 'disqualify_complaints');
SELECT count(*) AS candidates FROM appraisal.disqualification_candidates;
-- A half-year window: Q1's 3 complaints are in 2026-H1 as well.
DELETE FROM appraisal.settings WHERE name IN ('disqualify_amount', 'disqualify_complaints');
INSERT INTO appraisal.settings (name, value) VALUES ('disqualify_period', 'half_year');
SELECT provider_id, period, complaints FROM appraisal.disqualification_candidates;
DELETE FROM appraisal.settings WHERE name = 'disqualify_period';

-- Q1 is warned from January 15 and disqualified from January 20; the
-- statuses are a history.  Disqualified today, Q1 is no longer a candidate.
INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason) VALUES
  ('Q1', '2026-01-15', 'warned', 'two service complaints in January'),
  ('Q1', '2026-01-20', 'disqualified', 'three service complaints in January');
SELECT provider_id, status, since, reason, decided_by = session_user AS by_me FROM appraisal.provider_status ORDER BY provider_id;
SELECT count(*) AS candidates FROM appraisal.disqualification_candidates;
-- The ledger still charges Q1's events after January 20 (C2 on the 20th),
-- as long as refuse_charges_after_disqualification is off (the default).
SELECT event_id, status, amount FROM appraisal.penalty_ledger WHERE event_id IN ('C1', 'C2', 'B2') ORDER BY event_id;
-- On: from the day of the disqualification (C2, Jan 20) a charge is refused
-- (amount 0); B2 (Jan 25) stays a duplicate of B1; C1 (Jan 5) is charged.
-- Q1's 2026-Q1: 2 complaints, 1 refused, 7,000 - 2,000 = 5,000.
INSERT INTO appraisal.settings (name, value) VALUES ('refuse_charges_after_disqualification', 'true');
SELECT event_id, status, amount, reason FROM appraisal.penalty_ledger WHERE event_id IN ('C1', 'C2', 'B2') ORDER BY event_id;
SELECT complaint_cases AS compl, refused_events AS refused, penalty_amount FROM appraisal.provider_scorecard
WHERE provider_id = 'Q1' AND period = '2026-Q1';
-- A later row lifts it (a correction is a new row): from February 1 Q1 is
-- active again, so nothing of January changes.
INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason) VALUES
  ('Q1', '2026-02-01', 'active', 'reinstated after review');
SELECT status, since FROM appraisal.provider_status WHERE provider_id = 'Q1';
SELECT event_id, status FROM appraisal.penalty_ledger WHERE event_id = 'C2';
DELETE FROM appraisal.settings WHERE name = 'refuse_charges_after_disqualification';
SELECT event_id, status FROM appraisal.penalty_ledger WHERE event_id = 'C2';
-- No silent overwrite: the history refuses changes.
SELECT pg_temp.try($$UPDATE appraisal.provider_status_history SET status = 'active' WHERE provider_id = 'Q1'$$);
SELECT pg_temp.try($$DELETE FROM appraisal.provider_status_history$$);
SELECT pg_temp.try($$TRUNCATE appraisal.provider_status_history$$);

-- The sales company's assessment.  Technicians: T1 of Q1, T2 of Q2 (both
-- S1's), T3 of Q3 (no company).  Tickets in February:
--   k1 T1: SMS 5 (satisfied), call-back 4 (satisfied)
--   k2 T1: SMS 2 then SMS 4: the latest, 4, counts (satisfied)
--   k3 T2: SMS 1, call-back 2 (neither satisfied)
--   k4 T2: a system-caused complaint: its SMS 1 is left out
--   k5 T3: SMS 5, but Q3 has no sales company
-- S1 2026-Q1: SMS 2 of 3 = 66.66; call-back 1 of 2 = 50.00; feedback 80;
-- combined (40 x 2/3 + 30 x 1/2 + 30 x 80/100) = 26.666... + 15 + 24 =
-- 65.666... -> 65.66, 较差 (60 to 70 on the standard scale).
-- S1 2026-H1 and 2026: the same responses, no feedback for those periods:
-- combined NULL, 'insufficient data'.  S2 2026-Q1: feedback 90 only: NULL.
INSERT INTO appraisal.employees (employee_id, name, position, team, provider_id) VALUES
  ('T1', 'Zhou Bo', 'specialist', 'field', 'Q1'),
  ('T2', 'Wu Min', 'specialist', 'field', 'Q2'),
  ('T3', 'Xu Tao', 'specialist', 'field', 'Q3');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id) VALUES
  ('k1', '2026-02-02 01:00+00', '2026-02-02 02:00+00', '2026-02-02 03:00+00', 1, 'phone', 'install', false, NULL, 'c1', 'T1'),
  ('k2', '2026-02-03 01:00+00', '2026-02-03 02:00+00', '2026-02-03 03:00+00', 1, 'phone', 'install', false, NULL, 'c2', 'T1'),
  ('k3', '2026-02-04 01:00+00', '2026-02-04 02:00+00', '2026-02-04 03:00+00', 1, 'phone', 'repair', false, NULL, 'c3', 'T2'),
  ('k4', '2026-02-05 01:00+00', '2026-02-05 02:00+00', '2026-02-05 03:00+00', 1, 'phone', 'repair', true, 'system', 'c4', 'T2'),
  ('k5', '2026-02-06 01:00+00', '2026-02-06 02:00+00', '2026-02-06 03:00+00', 1, 'phone', 'repair', false, NULL, 'c5', 'T3');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES
  ('k1', 'sms', '2026-02-03', 5), ('k1', 'call_back', '2026-02-05', 4),
  ('k2', 'sms', '2026-02-04', 2), ('k2', 'sms', '2026-02-05', 4),
  ('k3', 'sms', '2026-02-05', 1), ('k3', 'call_back', '2026-02-06', 2),
  ('k4', 'sms', '2026-02-06', 1), ('k5', 'sms', '2026-02-07', 5);
SELECT count(*) > 0 AS refreshed FROM appraisal.refresh_scorecards();
INSERT INTO appraisal.sales_company_feedback (sales_company_id, period, score, note) VALUES
  ('S1', '2026-Q1', 80, 'installers late twice'), ('S2', '2026-Q1', 90, NULL);
SELECT sales_company_id AS company, period, sms_responses AS sms, sms_satisfied AS sms_sat, sms_satisfaction AS sms_pct,
       call_back_responses AS cb, call_back_satisfied AS cb_sat, call_back_satisfaction AS cb_pct,
       feedback_score AS feedback, combined_score AS combined, grade
FROM appraisal.sales_company_scorecard ORDER BY sales_company_id, starts_on, ends_on DESC;
-- Weights are settings: feedback alone (0/0/100) gives S1 80.00 (良) and S2
-- 90.00 (优); 50/50/0 gives S1 (2/3 + 1/2) x 50 = 58.33 (差), S2 NULL.
INSERT INTO appraisal.settings (name, value) VALUES ('sales_weight_sms', '0'), ('sales_weight_call_back', '0'), ('sales_weight_feedback', '100');
SELECT sales_company_id AS company, combined_score AS combined, grade, weight_sms, weight_call_back, weight_feedback
FROM appraisal.sales_company_scorecard WHERE period = '2026-Q1' ORDER BY sales_company_id;
UPDATE appraisal.settings SET value = '50' WHERE name IN ('sales_weight_sms', 'sales_weight_call_back');
UPDATE appraisal.settings SET value = '0' WHERE name = 'sales_weight_feedback';
SELECT sales_company_id AS company, combined_score AS combined, grade
FROM appraisal.sales_company_scorecard WHERE period = '2026-Q1' ORDER BY sales_company_id;
DELETE FROM appraisal.settings WHERE name LIKE 'sales_weight_%';

-- Who sees the sales companies' scorecard: like provider_scorecard, a role
-- scorecard_access does not scope sees every row; one scoped to a team sees
-- none.  Neither may record a provider's status unless granted.
CREATE ROLE appraisal_test_sales_all;
CREATE ROLE appraisal_test_sales_team;
INSERT INTO appraisal.scorecard_access (grantee, team) VALUES ('appraisal_test_sales_team', 'field');
GRANT SELECT ON appraisal.sales_company_scorecard TO appraisal_test_sales_all, appraisal_test_sales_team;
SET SESSION AUTHORIZATION appraisal_test_sales_all;
SELECT count(*) AS rows_seen FROM appraisal.sales_company_scorecard;
SELECT split_part(pg_temp.try($$INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason) VALUES ('Q2', '2026-03-01', 'disqualified', 'x')$$), ' (Failing row', 1) AS try;
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.sales_company_feedback$$);
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION appraisal_test_sales_team;
SELECT count(*) AS rows_seen FROM appraisal.sales_company_scorecard;
RESET SESSION AUTHORIZATION;
DELETE FROM appraisal.scorecard_access WHERE grantee = 'appraisal_test_sales_team';
REVOKE ALL ON appraisal.sales_company_scorecard FROM appraisal_test_sales_all, appraisal_test_sales_team;
DROP ROLE appraisal_test_sales_all;
DROP ROLE appraisal_test_sales_team;

-- Bad input, each refused naming its rule.
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, customer_phone) VALUES ('X1', 'Q1', 'bad_review', '2026-03-01', '13800000009')$$);
-- (a complaint needs neither: it is never matched on the customer)
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('X2', 'Q3', 'service_complaint', '2026-03-01')$$);
SELECT event_id, status, amount FROM appraisal.penalty_ledger WHERE event_id = 'X2';
SELECT pg_temp.try($$INSERT INTO appraisal.provider_orders (record_id, provider_id, order_id, channel, reported_at) VALUES ('X3', 'Q1', 'O1', 'email', '2026-03-01')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_orders (record_id, provider_id, order_id, channel, reported_at) VALUES ('X3', 'Q1', ' ', 'online', '2026-03-01')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_orders (record_id, provider_id, order_id, channel, reported_at) VALUES ('X3', 'Q9', 'O1', 'online', '2026-03-01')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_orders (record_id, provider_id, order_id, channel, reported_at, due_at) VALUES ('X3', 'Q1', 'O1', 'online', '2026-03-01', 'infinity')$$);
SELECT split_part(pg_temp.try($$INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason) VALUES ('Q2', '2026-03-01', 'banned', 'x')$$), ' (Failing row', 1) AS try;
SELECT split_part(pg_temp.try($$INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason) VALUES ('Q2', '2026-03-01', 'warned', '  ')$$), ' (Failing row', 1) AS try;
SELECT split_part(pg_temp.try($$INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason) VALUES ('Q2', '-infinity', 'warned', 'x')$$), ' (Failing row', 1) AS try;
SELECT split_part(pg_temp.try($$INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason) VALUES ('Q9', '2026-03-01', 'warned', 'x')$$), ' (Failing row', 1) AS try;
SELECT pg_temp.try($$INSERT INTO appraisal.sales_company_feedback (sales_company_id, period, score) VALUES ('S1', '2026-Q2', 100.01)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.sales_company_feedback (sales_company_id, period, score) VALUES ('S1', '2026-13', 50)$$);
SELECT pg_temp.try($$INSERT INTO appraisal.sales_company_feedback (sales_company_id, period, score) VALUES ('S9', '2026-Q2', 50)$$);
SELECT pg_temp.try($$UPDATE appraisal.providers SET sales_company_id = 'S9' WHERE provider_id = 'Q3'$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('disqualify_complaints', '-1')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('disqualify_period', 'fortnight')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('sales_weight_sms', '101')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.settings (name, value) VALUES ('refuse_charges_after_disqualification', 'maybe')$$);
-- The shipped bad_review row is read-only like the others; its amount is
-- set by a row of the year (above).
SELECT pg_temp.try($$UPDATE appraisal.penalty_rules SET amount = 100 WHERE rule_id = 'bad_review' AND valid_from = '-infinity'$$);
