-- Appeals (申诉, docs/rules.md, "Appeals and publication"): staff appeal a
-- KPI result or a complaint's attribution, the appraisal committee
-- (appraisal_admin) decides; the measured value, the appeal and every
-- decision stay visible, and only an upheld decision changes a score.
\set SHOW_CONTEXT never
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
SELECT count(*) AS periods FROM appraisal.add_periods(2025);
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES
  ('A1', 'An', 'specialist', 'north'),
  ('B2', 'Bai', 'specialist', 'north'),
  ('M1', 'Ma', 'manager', 'north');
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at) VALUES
  ('specialist', 'quality', 3, 0, 100), ('specialist', 'attendance', 1, 0, 100), ('manager', 'budget', 1, 0, 100);
-- A1: quality 70, attendance 90 → (3·70 + 1·90) / 4 = 300 / 4 = 75.00 (中);
-- B2: quality 60, attendance 80 → (3·60 + 80) / 4 = 260 / 4 = 65.00 (较差)
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES
  ('2025-Q1', 'A1', 'quality', 70), ('2025-Q1', 'A1', 'attendance', 90),
  ('2025-Q1', 'B2', 'quality', 60), ('2025-Q1', 'B2', 'attendance', 80);
-- two complaints of A1's, both attributed to the service
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, agent_id) VALUES
  ('T1', '2025-02-03 09:00+00', '2025-02-03 10:00+00', '2025-02-03 12:00+00', 1, 'phone', 'billing', true, 'service', 'A1'),
  ('T2', '2025-02-03 11:00+00', '2025-02-03 12:00+00', '2025-02-03 13:00+00', 1, 'phone', 'billing', true, 'service', 'A1'),
  ('T3', '2025-02-03 11:00+00', '2025-02-03 12:00+00', '2025-02-03 13:00+00', 1, 'phone', 'billing', false, NULL, 'A1');
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT employee_id, period, points, grade FROM appraisal.overall_appraisal WHERE period = '2025-Q1' ORDER BY employee_id;

-- KPI appeals: A1 asks 90 for quality and 100 for attendance; B2 asks 75
-- for quality.  The measured value is taken from kpi_breakdown when filed.
SELECT appraisal.file_appeal('A1', '2025-Q1', 'quality', 90, 'two audited calls were scored against the wrong script') AS appeal_1;
SELECT appraisal.file_appeal('A1', '2025-Q1', 'attendance', 100, 'the absence was approved leave') AS appeal_2;
SELECT appraisal.file_appeal('B2', '2025-Q1', 'quality', 75, 'sampled calls were not mine') AS appeal_3;
-- pending: nothing changes yet
SELECT employee_id, kpi, value, value_from, measured_value, appeal_id, appeal_status, appealed_value, points
FROM appraisal.kpi_breakdown WHERE period = '2025-Q1' ORDER BY employee_id, kpi;
SELECT employee_id, points, grade FROM appraisal.overall_appraisal WHERE period = '2025-Q1' ORDER BY employee_id;
-- a second appeal of a KPI while one is pending is refused
SELECT pg_temp.try($$SELECT appraisal.file_appeal('A1', '2025-Q1', 'quality', 95, 'again')$$);

-- the committee upholds appeal 1 at 85 (not the 90 asked) and rejects appeal 2:
-- A1 = (3·85 + 1·90) / 4 = 345 / 4 = 86.25 (良); attendance stays 90.
-- B2's appeal is still pending: 65.00 as measured.
SELECT appraisal.decide_appeal(1, 'upheld', 85, note => 'one call rescored') AS decision;
SELECT appraisal.decide_appeal(2, 'rejected', note => 'leave was not approved in advance') AS decision;
SELECT employee_id, kpi, value, value_from, measured_value, appeal_id, appeal_status, appealed_value, points
FROM appraisal.kpi_breakdown WHERE period = '2025-Q1' ORDER BY employee_id, kpi;
SELECT employee_id, points, grade FROM appraisal.overall_appraisal WHERE period = '2025-Q1' ORDER BY employee_id;
-- measured, appealed and final side by side
SELECT appeal_id, employee_id, kpi, measured_value, appealed_value, status, decided_value, final_value, decisions,
       decided_by = session_user AS decided_by_me, filed_by = session_user AS filed_by_me, note
FROM appraisal.kpi_appeals ORDER BY appeal_id;

-- decided again (a new row; the latest is in force): back to pending puts the
-- measured 70 back (75.00), upheld again at 85 gives 86.25 again
SELECT appraisal.decide_appeal(1, 'pending', note => 'reopened: new evidence') AS decision;
SELECT points, grade FROM appraisal.overall_appraisal WHERE employee_id = 'A1' AND period = '2025-Q1';
SELECT appraisal.decide_appeal(1, 'upheld', 85, note => 'confirmed') AS decision;
SELECT points, grade FROM appraisal.overall_appraisal WHERE employee_id = 'A1' AND period = '2025-Q1';
SELECT appeal_id, decision_no, decision, decided_value, note FROM appraisal.appeal_decisions ORDER BY appeal_id, decision_no;
-- after a decision, a new appeal of the KPI may be filed: a rejected later
-- appeal leaves the upheld one in force (86.25)
SELECT appraisal.file_appeal('A1', '2025-Q1', 'quality', 95, 'more calls misjudged') AS appeal_4;
SELECT appraisal.decide_appeal(4, 'rejected') AS decision;
SELECT kpi, value, value_from, appeal_id, appeal_status FROM appraisal.kpi_breakdown WHERE employee_id = 'A1' AND kpi = 'quality';
SELECT points FROM appraisal.overall_appraisal WHERE employee_id = 'A1' AND period = '2025-Q1';

-- Attribution appeals: T1 service → system upheld sets the ticket's cause
-- (the summaries count it from their next refresh); T2's is rejected.
SELECT appraisal.file_attribution_appeal('T1', 'system', 'the outage caused the delay') AS appeal_5;
SELECT appraisal.file_attribution_appeal('T2', 'system', 'the customer misread the bill') AS appeal_6;
SELECT appraisal.decide_appeal(5, 'upheld', decided_cause => 'system') AS decision;
SELECT appraisal.decide_appeal(6, 'rejected') AS decision;
SELECT ticket_id, cause FROM appraisal.tickets ORDER BY ticket_id;
SELECT appeal_id, ticket_id, employee_id, measured_cause, appealed_cause, status, decided_cause, final_cause, ticket_cause
FROM appraisal.attribution_appeals ORDER BY appeal_id;
-- A1's summaries: 2 service-caused complaints until the refresh, then 1 (and 1 system-caused)
SELECT sum(service_complaints) AS service, sum(system_complaints) AS system FROM appraisal.agent_daily WHERE agent_id = 'A1';
SELECT count(*) FROM appraisal.refresh_scorecards();
SELECT sum(service_complaints) AS service, sum(system_complaints) AS system FROM appraisal.agent_daily WHERE agent_id = 'A1';
-- a later decision that is not upheld puts the cause measured at filing back
SELECT appraisal.decide_appeal(5, 'rejected', note => 'the outage was after the complaint') AS decision;
SELECT ticket_id, cause FROM appraisal.tickets WHERE ticket_id = 'T1';

-- Bad input
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(99, 'upheld', 80)$$) AS unknown_appeal;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(3, 'accepted')$$) AS unknown_decision;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(3, NULL)$$) AS null_decision;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(3, 'upheld')$$) AS upheld_without_value;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(3, 'upheld', decided_cause => 'system')$$) AS upheld_with_a_cause;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(6, 'upheld', 80)$$) AS attribution_upheld_with_a_value;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(3, 'rejected', 80)$$) AS rejected_with_a_value;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('Z9', '2025-Q1', 'quality', 90, 'x')$$) AS unknown_employee;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('B2', '2025-Q9', 'quality', 90, 'x')$$) AS unknown_period;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('B2', '2025', 'quality', 90, 'x')$$) AS not_appraised_period;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('M1', '2025-Q1', 'budget', 90, 'x')$$) AS manager_quarter;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('B2', '2025-Q1', 'speed', 90, 'x')$$) AS unknown_kpi;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('B2', '2025-Q1', 'attendance', 'NaN', 'x')$$) AS nan_value;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('B2', '2025-Q1', 'attendance', NULL, 'x')$$) AS null_value;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('B2', '2025-Q1', 'attendance', 90, ' ')$$) AS empty_reason;
SELECT pg_temp.try($$SELECT appraisal.file_attribution_appeal('T9', 'system', 'x')$$) AS unknown_ticket;
SELECT pg_temp.try($$SELECT appraisal.file_attribution_appeal('T3', 'system', 'x')$$) AS not_a_complaint;
SELECT pg_temp.try($$SELECT appraisal.file_attribution_appeal('T2', 'service', 'x')$$) AS same_cause;
SELECT pg_temp.try($$SELECT appraisal.file_attribution_appeal('T2', 'policy', 'x')$$) AS unknown_cause;
SELECT pg_temp.try($$SELECT appraisal.file_attribution_appeal('T2', 'system', NULL)$$) AS no_reason;
-- the history is never changed
SELECT pg_temp.try($$UPDATE appraisal.appeals SET appealed_value = 100 WHERE appeal_id = 1$$) AS update_appeal;
SELECT pg_temp.try($$DELETE FROM appraisal.appeals WHERE appeal_id = 3$$) AS delete_appeal;
SELECT pg_temp.try($$TRUNCATE appraisal.appeals CASCADE$$) AS truncate_appeals;
SELECT pg_temp.try($$UPDATE appraisal.appeal_decisions SET decision = 'rejected' WHERE appeal_id = 1$$) AS update_decision;
SELECT pg_temp.try($$DELETE FROM appraisal.appeal_decisions$$) AS delete_decisions;
SELECT pg_temp.try($$TRUNCATE appraisal.appeal_decisions$$) AS truncate_decisions;
SELECT pg_temp.try($$DELETE FROM appraisal.tickets WHERE ticket_id = 'T1'$$) AS delete_appealed_ticket;

-- Who may: the employee files their own appeal (the login scorecard_access
-- scopes to them, granted EXECUTE), not another's, and decides none; a
-- committee member (appraisal_admin) decides; a role without the grant
-- files nothing.  (SET SESSION AUTHORIZATION: the login is what counts.)
CREATE ROLE appraisal_test_b2;
CREATE ROLE appraisal_test_committee IN ROLE appraisal_admin;
CREATE ROLE appraisal_test_other;
INSERT INTO appraisal.scorecard_access (grantee, employee_id) VALUES ('appraisal_test_b2', 'B2');
GRANT EXECUTE ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) TO appraisal_test_b2;
GRANT SELECT ON appraisal.kpi_appeals TO appraisal_test_b2;
SET SESSION AUTHORIZATION appraisal_test_b2;
SELECT appraisal.file_appeal('B2', '2025-Q1', 'attendance', 90, 'a late arrival was a site visit') AS own_appeal_7;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('A1', '2025-Q1', 'attendance', 100, 'x')$$) AS anothers_appeal;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(7, 'upheld', 100)$$) AS decide_as_staff;
SELECT pg_temp.try($$SELECT * FROM appraisal.appeals$$) AS read_the_table;
-- B2 sees their own appeals only
SELECT appeal_id, employee_id, kpi, status, filed_by = current_user AS filed_by_b2 FROM appraisal.kpi_appeals ORDER BY appeal_id;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION appraisal_test_other;
SELECT pg_temp.try($$SELECT appraisal.file_appeal('B2', '2025-Q1', 'quality', 90, 'x')$$) AS without_grant;
RESET SESSION AUTHORIZATION;
SET SESSION AUTHORIZATION appraisal_test_committee;
-- B2 = (3·60 + 1·90) / 4 = 270 / 4 = 67.50 once appeal 7 is upheld at 90
SELECT appraisal.decide_appeal(7, 'upheld', 90) AS decision;
SELECT appeal_id, status, final_value, decided_by FROM appraisal.kpi_appeals WHERE appeal_id = 7;
RESET SESSION AUTHORIZATION;
SELECT employee_id, points, grade FROM appraisal.overall_appraisal WHERE employee_id = 'B2';
-- a committee member never decides an appeal of the employee they are scoped to
INSERT INTO appraisal.scorecard_access (grantee, employee_id) VALUES ('appraisal_test_committee', 'B2');
SET SESSION AUTHORIZATION appraisal_test_committee;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(3, 'rejected')$$) AS own_employee;
RESET SESSION AUTHORIZATION;

-- Nobody decides an appeal they filed (appeal 8, filed by a committee
-- member); another member, or a superuser, may.
CREATE ROLE appraisal_test_committee2 IN ROLE appraisal_admin;
SET SESSION AUTHORIZATION appraisal_test_committee2;
SELECT appraisal.file_appeal('A1', '2025-Q1', 'attendance', 90, 'filed by the committee') AS appeal_8;
SELECT pg_temp.try($$SELECT appraisal.decide_appeal(8, 'rejected')$$) AS own_filing;
RESET SESSION AUTHORIZATION;
SELECT appraisal.decide_appeal(8, 'rejected') AS decision;

-- A ticket's cause follows the attribution appeals in force, whatever the
-- order of the decisions: T1 (service before any appeal) is appealed to
-- system (9, upheld) and back to service (10, upheld): service; 9 re-decided
-- rejected: 10 in force, service; 10 re-decided rejected: none in force, the
-- cause before the first appeal, service; 9 upheld again: system.
SELECT appraisal.file_attribution_appeal('T1', 'system', 'the outage after all') AS appeal_9;
SELECT appraisal.decide_appeal(9, 'upheld', decided_cause => 'system') AS decision;
SELECT cause AS after_9_upheld FROM appraisal.tickets WHERE ticket_id = 'T1';
SELECT appraisal.file_attribution_appeal('T1', 'service', 'the outage was elsewhere') AS appeal_10;
SELECT appraisal.decide_appeal(10, 'upheld', decided_cause => 'service') AS decision;
SELECT cause AS after_10_upheld FROM appraisal.tickets WHERE ticket_id = 'T1';
SELECT appraisal.decide_appeal(9, 'rejected') AS decision;
SELECT cause AS after_9_rejected FROM appraisal.tickets WHERE ticket_id = 'T1';
SELECT appraisal.decide_appeal(10, 'rejected') AS decision;
SELECT cause AS after_10_rejected FROM appraisal.tickets WHERE ticket_id = 'T1';
SELECT appraisal.decide_appeal(9, 'upheld', decided_cause => 'system') AS decision;
SELECT cause AS after_9_upheld_again FROM appraisal.tickets WHERE ticket_id = 'T1';
-- staff learn nothing of a ticket that is not theirs, not even that it exists
GRANT EXECUTE ON FUNCTION appraisal.file_attribution_appeal(text, text, text) TO appraisal_test_b2;
SET SESSION AUTHORIZATION appraisal_test_b2;
SELECT pg_temp.try($$SELECT appraisal.file_attribution_appeal('T1', 'service', 'x')$$) AS anothers_ticket;
SELECT pg_temp.try($$SELECT appraisal.file_attribution_appeal('T404', 'service', 'x')$$) AS no_such_ticket;
RESET SESSION AUTHORIZATION;

DROP EXTENSION appraisal CASCADE;
DROP ROLE appraisal_test_b2, appraisal_test_committee, appraisal_test_committee2, appraisal_test_other;
CREATE EXTENSION appraisal;
