-- The customer satisfaction survey (docs/rules.md, "Satisfaction survey") on a small fixed data
-- set, every number computed by hand in the comments: item points, totals,
-- response status, run coverage and valid-response rate at and around
-- their thresholds, and the rows the triggers and constraints reject.
\set SHOW_CONTEXT never
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- The shipped questionnaires: seven items each, six of 15 points and one of
-- 10 = 100.  standard is the procedure's seven elements (complaint handling
-- also records the customer's acceptance); standard_0_4 the 0.4 one.
SELECT questionnaire, item_no, item, appraisal.item_max_points(scale) AS full_marks, needs_acceptance
FROM appraisal.survey_items WHERE shipped ORDER BY questionnaire, item_no;
SELECT questionnaire, sum(appraisal.item_max_points(scale)) AS total FROM appraisal.survey_items
WHERE shipped GROUP BY questionnaire ORDER BY questionnaire;

SELECT count(*) AS periods FROM appraisal.add_periods(2026);
-- north: N1..N9 established or new before the runs close; N10 first orders
-- in 2027, after every run closed: never in scope.  south: S1..S4.  east: E1..E5.
INSERT INTO appraisal.customers (customer_id, name, first_order_on, region)
SELECT 'N' || i, 'North ' || i, CASE WHEN i = 10 THEN date '2027-01-15' WHEN i = 9 THEN date '2026-12-01' END, 'north'
FROM generate_series(1, 10) i;
INSERT INTO appraisal.customers (customer_id, name, region)
SELECT 'S' || i, 'South ' || i, 'south' FROM generate_series(1, 4) i
UNION ALL SELECT 'E' || i, 'East ' || i, 'east' FROM generate_series(1, 5) i;

INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, region, opened_on, closed_on) VALUES
  ('R1', 'standard_0_4', '2026-Q4', 'north', '2026-12-01', '2026-12-20'),
  ('R2', 'standard_0_4', '2026-Q4', 'south', '2026-12-01', '2026-12-20'),
  ('R4', 'standard_0_4', '2026-Q4', 'nowhere', '2026-12-01', '2026-12-20');

-- R1: 9 customers in scope (N1..N9), sent to N1..N8.
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on, invalid_reason) VALUES
  ('R1', 'N1', '2026-12-01', '2026-12-05', NULL),
  ('R1', 'N2', '2026-12-01', '2026-12-06', NULL),
  ('R1', 'N3', '2026-12-01', '2026-12-20', NULL),                       -- back on the last day: in time
  ('R1', 'N4', '2026-12-01', '2026-12-07', NULL),                       -- one item unanswered
  ('R1', 'N5', '2026-12-01', '2026-12-07', 'filled in by sales staff'),
  ('R1', 'N6', '2026-12-01', NULL, NULL),                               -- never came back
  ('R1', 'N7', '2026-12-01', '2026-12-21', NULL),                       -- a day late
  ('R1', 'N8', '2026-12-02', '2026-12-08', NULL);
-- answers (the 0.4 questionnaire), item order: product_quality, delivery, complaint_handling (working
-- days), technical_service, service_attitude, communication, overall_image
CREATE TEMP TABLE answers (customer_id text, v numeric[]);
INSERT INTO answers VALUES
  -- N1: 90 -> A 15; 89.999 -> B 11 + 3 * 14.999 / 15 = 13.9998 -> 13.99; 2.5 days -> B 12.50;
  --     60 -> C 8.00; 75 -> B 11.00; 20 -> E 1.50; image 82.5 -> B 7 + 2 * 7.5 / 15 = 8.00
  --     total 15 + 13.99 + 12.50 + 8 + 11 + 1.50 + 8 = 69.99
  ('N1', '{90, 89.999, 2.5, 60, 75, 20, 82.5}'),
  -- N2: full marks everywhere: 6 * 15 + 10 = 100.00
  ('N2', '{100, 100, 0, 100, 100, 100, 100}'),
  -- N3: nothing: ratings 0 -> 0, 30 working days -> E (14,) 0; total 0.00 (still a valid response)
  ('N3', '{0, 0, 30, 0, 0, 0, 0}'),
  ('N4', '{80, 80, 1, 80, 80, 80, NULL}'),
  ('N5', '{100, 100, 0, 100, 100, 100, 100}'),
  ('N7', '{100, 100, 0, 100, 100, 100, 100}'),
  -- N8: ratings 50 -> D 4 + 3 * 10 / 20 = 5.50 (five items: 27.50); 5 days -> D 7 - 3 * 1 / 3 = 6.00;
  --     image 50 -> D 3 + 1 * 10 / 20 = 3.50; total 27.50 + 6 + 3.50 = 37.00
  ('N8', '{50, 50, 5, 50, 50, 50, 50}');
INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value)
SELECT 'R1', a.customer_id, i, a.v[i] FROM answers a, generate_series(1, 7) i WHERE a.v[i] IS NOT NULL;

-- N1's answers item by item
SELECT item_no, item, value, band, points, max_points FROM appraisal.customer_survey_points
WHERE run_id = 'R1' AND customer_id = 'N1' ORDER BY item_no;

-- R2: 4 in scope, sent to 3 (75.00 % < 80 %), all three complete: 100 % valid
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on)
SELECT 'R2', 'S' || i, '2026-12-01', '2026-12-03' FROM generate_series(1, 3) i;
INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value)
SELECT 'R2', 'S' || s, i, 95 FROM generate_series(1, 3) s, generate_series(1, 7) i WHERE i <> 3
UNION ALL SELECT 'R2', 'S' || s, 3, 1 FROM generate_series(1, 3) s;   -- 95 -> A; 1 day -> A: 100.00 each

-- R3: a user's questionnaire of two items, sent in the east: 4 of 5 in scope
-- (exactly 80.00 %); E4 answers one item only: 3 valid of 4 = 75.00 %
INSERT INTO appraisal.survey_questionnaires (questionnaire, title) VALUES ('quick', 'Two questions');
INSERT INTO appraisal.survey_items (questionnaire, item_no, item, title, answer, scale) VALUES
  ('quick', 1, 'reply_hours', 'How fast did we reply?', 'hours to the first reply', 'A [0,24] 10; B (24,48] 9..5; C (48,) 0'),
  ('quick', 2, 'rating', 'How satisfied are you?', 'rating 0-100', (SELECT scale FROM appraisal.item_scale WHERE name = 'satisfaction_15'));
INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, region, opened_on, closed_on)
  VALUES ('R3', 'quick', '2026-Q4', 'east', '2026-11-01', '2026-11-30');
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on)
SELECT 'R3', 'E' || i, '2026-11-02', '2026-11-10' FROM generate_series(1, 4) i;
INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value) VALUES
  ('R3', 'E1', 1, 36), ('R3', 'E1', 2, 90),    -- 9 - 4 * 12 / 24 = 7.00; 15.00: 22.00
  ('R3', 'E2', 1, 10), ('R3', 'E2', 2, 75),    -- 10.00; 11.00: 21.00
  ('R3', 'E3', 1, 100), ('R3', 'E3', 2, 40),   -- 0.00; 4.00: 4.00
  ('R3', 'E4', 1, 5);                          -- incomplete

-- Every questionnaire sent, with its status and total
SELECT run_id, customer_id, items_answered, items_total, total_points, max_points, status, response_valid
FROM appraisal.customer_survey_status ORDER BY run_id, customer_id;

-- The runs:
-- R1: in scope 9, sent 8 -> coverage 88.88 % (800 >= 720); returned in time 6
--     (not N6, not N7); valid N1, N2, N3, N8 = 4 -> 50.00 % < 70 %: invalid;
--     mean of the valid totals (69.99 + 100 + 0 + 37) / 4 = 51.7475 -> 51.74
-- R2: in scope 4, sent 3 -> 75.00 % < 80 %: invalid although 3 of 3 valid; mean 100.00
-- R3: in scope 5, sent 4 -> 80.00 % (exactly the minimum); valid 3 of 4 = 75.00 %:
--     valid; mean (22 + 21 + 4) / 3 = 15.666 -> 15.66
-- R4: nobody in scope
SELECT run_id, customers_in_scope, questionnaires_sent, coverage_percent, questionnaires_returned,
       valid_responses, valid_response_percent, is_valid, validity, mean_total_points
FROM appraisal.survey_validity ORDER BY run_id;

-- Results of an invalid run are flagged, not used
SELECT run_id, customer_id, total_points, status, run_valid, counts
FROM appraisal.survey_results WHERE run_id IN ('R1', 'R3') ORDER BY run_id, customer_id;

-- Thresholds are settings, compared exactly: R3's 75 % valid fails 75.01 and
-- passes 75; R3's 80 % coverage fails 80.01
INSERT INTO appraisal.settings (name, value) VALUES ('survey_min_valid_percent', '75.01');
SELECT run_id, is_valid, validity FROM appraisal.survey_validity WHERE run_id = 'R3';
UPDATE appraisal.settings SET value = '75' WHERE name = 'survey_min_valid_percent';
SELECT run_id, is_valid, validity FROM appraisal.survey_validity WHERE run_id = 'R3';
INSERT INTO appraisal.settings (name, value) VALUES ('survey_min_coverage_percent', '80.01');
SELECT run_id, is_valid, validity FROM appraisal.survey_validity WHERE run_id = 'R3';
DELETE FROM appraisal.settings WHERE name LIKE 'survey%';
-- N4 answers its last item: R1 has 5 valid of 8 = 62.50 %, still below 70;
-- then N6's questionnaire is withdrawn: 5 of 7 = 71.42 % passes, but the
-- coverage drops to 7 / 9 = 77.77 % < 80, and the coverage is checked first
INSERT INTO appraisal.customer_survey_answers VALUES ('R1', 'N4', 7, 80);
SELECT valid_responses, valid_response_percent, is_valid FROM appraisal.survey_validity WHERE run_id = 'R1';
DELETE FROM appraisal.customer_surveys WHERE run_id = 'R1' AND customer_id = 'N6';
SELECT coverage_percent, valid_response_percent, is_valid, validity FROM appraisal.survey_validity WHERE run_id = 'R1';

-- Rows the triggers and constraints reject
SELECT pg_temp.try($$INSERT INTO appraisal.customer_surveys VALUES ('R1', 'S4', '2026-12-01')$$) AS other_region;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_surveys VALUES ('R1', 'N10', '2026-12-01')$$) AS not_yet_a_customer;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_surveys VALUES ('R1', 'N9', '2026-11-30')$$) AS sent_before_open;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_surveys VALUES ('R1', 'N9', '2026-12-05', '2026-12-04')$$) AS back_before_sent;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_surveys VALUES ('R1', 'N9', '2026-12-05', NULL, 'no reason')$$) AS invalid_unreturned;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_surveys VALUES ('R9', 'N9', '2026-12-05')$$) AS unknown_run;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_survey_answers VALUES ('R1', 'N9', 1, 50)$$) AS not_sent;
INSERT INTO appraisal.customer_surveys VALUES ('R1', 'N9', '2026-12-05');
SELECT pg_temp.try($$INSERT INTO appraisal.customer_survey_answers VALUES ('R1', 'N9', 1, 50)$$) AS not_returned;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_survey_answers VALUES ('R1', 'N1', 8, 50)$$) AS no_such_item;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_survey_answers VALUES ('R3', 'E4', 2, 101)$$) AS rating_above_100;
SELECT pg_temp.try($$INSERT INTO appraisal.customer_survey_answers VALUES ('R3', 'E4', 1, -1)$$) AS negative_hours;
SELECT pg_temp.try($$INSERT INTO appraisal.survey_runs VALUES ('R5', 'standard', '2026-Q4', NULL, '2026-12-02', '2026-12-01')$$) AS closes_before_open;
SELECT pg_temp.try($$INSERT INTO appraisal.survey_runs VALUES ('R5', 'nosuch', '2026-Q4', NULL, '2026-12-01', '2026-12-02')$$) AS unknown_questionnaire;
-- the shipped questionnaire is fixed
SELECT pg_temp.try($$UPDATE appraisal.survey_items SET scale = 'A [0,100] 15' WHERE questionnaire = 'standard' AND item_no = 1$$) AS shipped_item;
SELECT pg_temp.try($$INSERT INTO appraisal.survey_items VALUES ('standard', 8, 'extra', 'Extra?', 'rating', 'A [0,100] 5')$$) AS item_added;
SELECT pg_temp.try($$DELETE FROM appraisal.survey_questionnaires WHERE questionnaire = 'standard'$$) AS shipped_questionnaire;
SELECT pg_temp.try($$INSERT INTO appraisal.survey_items VALUES ('quick', 3, 'rating', 'Again?', 'rating', 'A [0,100] 5')$$) AS duplicate_item_name;

-- The procedure's seven elements (questionnaire standard), scale by scale at
-- and around every boundary.
-- Non-conformance rate: all good (0) 15; (0,5] 14 -> 11: 2.5 -> 12.50, 5 -> 11.00;
-- (5,30] 10 -> 8: 5.5 -> 10 - 2 * 0.5 / 25 = 9.96, 30 -> 8.00; (30,40] 7 -> 4:
-- 35 -> 5.50, 40 -> 4.00; (40,100] 3 -> 0: 70 -> 1.50, 100 -> 0.00.
SELECT v, appraisal.item_band(v, 'nonconformance_15') AS band, appraisal.item_points(v, 'nonconformance_15') AS points
FROM unnest('{0, 2.5, 5, 5.5, 30, 35, 40, 70, 100}'::numeric[]) v;
-- Fulfilment rate: 100 -> 15; (90,100) 11 -> 14: 99.99 -> 11 + 3 * 9.99 / 10 =
-- 13.997 -> 13.99, 95 -> 12.50; exactly 90 is not above 90: (80,90] 8 -> 10 at
-- its top, 10.00; 85 -> 9.00; 80 -> (70,80] top 7.00; 75 -> 5.50; 70 -> (60,70]
-- top 3.00; 65 -> 1.50; 60 and below, undefined in the procedure: 0.
SELECT v, appraisal.item_band(v, 'fulfilment_15') AS band, appraisal.item_points(v, 'fulfilment_15') AS points
FROM unnest('{100, 99.99, 95, 90, 85, 80, 75, 70, 65, 60, 30}'::numeric[]) v;
-- Missed feedback: none 15, once 11, twice 8, three times 4, more 0.
SELECT v, appraisal.item_band(v, 'missed_feedback_15') AS band, appraisal.item_points(v, 'missed_feedback_15') AS points
FROM unnest('{0, 1, 2, 3, 4, 9}'::numeric[]) v;
-- The acceptance caps: very satisfied 15 (A), basically satisfied 14 (B's
-- best), acceptable 7 (D's best), not accepted 3 (E's best), none: no cap.
SELECT a, appraisal.survey_acceptance_band(a) AS band, appraisal.survey_acceptance_cap(scale, a) AS cap
FROM appraisal.item_scale, unnest(ARRAY['very satisfied', 'basically satisfied', 'acceptable', 'not accepted', NULL]) a
WHERE name = 'resolution_days_15';

-- Key customers must be surveyed.  west: W1..W5, W1 and W5 key, W2 final,
-- W3 intermediate.  R6 sends the standard questionnaire to W1..W4 (4 of 5 =
-- 80.00 %, all valid) and misses W5.
INSERT INTO appraisal.customers (customer_id, name, region, key_customer, customer_kind) VALUES
  ('W1', 'West 1', 'west', true, 'intermediate'), ('W2', 'West 2', 'west', false, 'final'),
  ('W3', 'West 3', 'west', false, 'intermediate'), ('W4', 'West 4', 'west', false, NULL),
  ('W5', 'West 5', 'west', true, 'final');
INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, region, opened_on, closed_on)
  VALUES ('R6', 'standard', '2026-Q4', 'west', '2026-11-01', '2026-11-30');
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on)
SELECT 'R6', 'W' || i, '2026-11-02', '2026-11-09' FROM generate_series(1, 4) i;
-- items: non-conformance %, fulfilment %, missed feedback, development rating,
-- working days (+ acceptance), price rating, image rating
-- W1: 15 + 15 + 15 + 15 + 15 (2 days, very satisfied) + 15 + 10 = 100.00
-- W2: 5 % -> 11; 90 % -> 10; once -> 11; 75 -> 11; 3 days -> 11 (cap 14);
--     60 -> 8; image 75 -> 7: 69.00
-- W3: 40 % -> 4 (D); 70 % -> 3 (E); 3 times -> 4 (D); 40 -> 4 (D); 4 days -> 8
--     capped by acceptable to 7 (D); 39 -> 3 * 39 / 40 = 2.925 -> 2.92 (E);
--     image 59 -> 3 + 19 / 20 = 3.95 (D): 28.87
-- W4: 50 % -> 3 - 3 * 10 / 60 = 2.50 (E); 50 % -> 0 (E); 5 times -> 0 (E);
--     100 -> 15; 2 days -> 15 capped by not accepted to 3 (E); 100 -> 15;
--     image 100 -> 10: 45.50
INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value, acceptance)
SELECT 'R6', c, i, v[i], CASE WHEN i = 5 THEN acc END
FROM (VALUES ('W1', '{0, 100, 0, 90, 2, 90, 90}'::numeric[], 'very satisfied'),
             ('W2', '{5, 90, 1, 75, 3, 60, 75}', 'basically satisfied'),
             ('W3', '{40, 70, 3, 40, 4, 39, 59}', 'acceptable'),
             ('W4', '{50, 50, 5, 100, 2, 100, 100}', 'not accepted')) a(c, v, acc),
     generate_series(1, 7) i;
SELECT customer_id, item, value, acceptance, band, points FROM appraisal.customer_survey_points
WHERE run_id = 'R6' AND customer_id IN ('W3', 'W4') ORDER BY customer_id, item_no;
SELECT customer_id, total_points, status FROM appraisal.customer_survey_status WHERE run_id = 'R6' ORDER BY customer_id;
-- R6 misses key customer W5: not valid although coverage and valid responses
-- pass; the mean (100 + 69 + 28.87 + 45.50) / 4 = 60.8425 -> 60.84
SELECT run_id, coverage_percent, valid_response_percent, key_customers_in_scope, key_customers_missed,
       is_valid, validity, mean_total_points
FROM appraisal.survey_validity WHERE run_id IN ('R3', 'R6') ORDER BY run_id;
-- ... and nothing to follow up: the run is not valid
SELECT count(*) AS follow_up_of_invalid_run FROM appraisal.survey_follow_up WHERE run_id = 'R6';
-- A setting lets a run miss key customers: R6 becomes valid, W5 still listed
INSERT INTO appraisal.settings (name, value) VALUES ('survey_allow_missed_key_customers', 'true');
SELECT run_id, key_customers_missed, is_valid, validity FROM appraisal.survey_validity WHERE run_id = 'R6';
-- The failing items of the valid runs, the two lowest bands (D, E) per
-- customer: W3's seven items and W4's items 1, 2, 3, 5 (W1 and W2 none:
-- W2's lowest is C); R3 (valid): its reply scale has three bands, the two
-- lowest C (0) and B (9..5): E1's 36 hours (B, 7.00) and E3's 100 hours (C),
-- and E3's rating 40 (D).
SELECT run_id, customer_id, item_no, item, value, acceptance, band, points
FROM appraisal.survey_follow_up ORDER BY run_id, customer_id, item_no;
DELETE FROM appraisal.settings;
-- W5 is sent one (not returned): surveyed, the run is valid without the setting
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on) VALUES ('R6', 'W5', '2026-11-03');
SELECT run_id, questionnaires_sent, valid_response_percent, key_customers_missed, is_valid, validity
FROM appraisal.survey_validity WHERE run_id = 'R6';
-- acceptance: needed exactly on the items that take it; a customer kind of its own is refused
SELECT pg_temp.try($$UPDATE appraisal.customer_survey_answers SET acceptance = NULL WHERE run_id = 'R6' AND customer_id = 'W1' AND item_no = 5$$) AS acceptance_missing;
SELECT pg_temp.try($$UPDATE appraisal.customer_survey_answers SET acceptance = 'acceptable' WHERE run_id = 'R6' AND customer_id = 'W1' AND item_no = 4$$) AS acceptance_not_taken;
SELECT pg_temp.try($$UPDATE appraisal.customer_survey_answers SET acceptance = 'happy' WHERE run_id = 'R6' AND customer_id = 'W1' AND item_no = 5$$) AS acceptance_unknown;
SELECT pg_temp.try($$UPDATE appraisal.customers SET customer_kind = 'wholesale' WHERE customer_id = 'W1'$$) AS kind_unknown;
SELECT pg_temp.try($$UPDATE appraisal.survey_items SET needs_acceptance = false WHERE questionnaire = 'standard' AND item_no = 5$$) AS shipped_acceptance;
