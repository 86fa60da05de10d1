-- Service providers and their penalty ledger (docs/rules.md, "Service providers") on a small fixed data
-- set, every number computed by hand in the comments: each de-duplication
-- rule and their precedence, phone and address normalisation, windows read in
-- the report time zone, an amount changed from a later day, a rule of the
-- company's own, the provider scorecard with the KPIs of the provider's
-- technicians, and what the constraints and triggers reject.
\set SHOW_CONTEXT never
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- The shipped rules (docs/rules.md, "Service providers") and the default window.
SELECT rule_id, valid_from, amount, unit, shipped FROM appraisal.penalty_rules ORDER BY rule_id, valid_from;
SELECT * FROM appraisal.provider_parameters();

-- Matching a customer: the phone's digits (a country code stays: +86 makes
-- another number), the address in lower case with white space collapsed;
-- nothing left is no value.
SELECT appraisal.normalise_phone('+86 138-0013-8000') AS phone,
       appraisal.normalise_phone('(0)21 6543 2100') AS landline,
       appraisal.normalise_phone('n/a') AS no_digits,
       appraisal.normalise_address(E'  12\tNanjing   RD ') AS address,
       appraisal.normalise_address('   ') AS blank;

-- Days are read in Shanghai (UTC+8): 2026-02-28 16:30 UTC is March 1 there.
INSERT INTO appraisal.settings (name, value) VALUES
  ('report_time_zone', 'Asia/Shanghai'), ('min_tickets', '4'), ('min_responses', '2');
SELECT count(*) AS periods FROM appraisal.add_periods(2026);

INSERT INTO appraisal.providers (provider_id, name, region) VALUES
  ('P1', 'Anxin Installation', 'east'),     -- events and technicians
  ('P2', 'Huimin Repair', 'west'),          -- events only
  ('P3', 'Quiet Service', 'north'),         -- technicians only
  ('P4', 'Idle Outlet', 'south');           -- neither: no scorecard row
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id, provider_id) VALUES
  ('M1', 'Wang Fang', 'manager', 'hq', NULL, NULL),
  ('A1', 'Li Na', 'specialist', 'hq', 'M1', NULL),          -- own staff: in no provider's scorecard
  ('T1', 'Zhou Bo', 'specialist', 'field', 'M1', 'P1'),
  ('T2', 'Wu Min', 'specialist', 'field', 'M1', 'P1'),
  ('T3', 'Xu Tao', 'specialist', 'field', 'M1', 'P3');

-- A company rule of its own; the year's amount of a bad review (the shipped
-- rule has none: the regulation prices bad reviews by the year's rules),
-- 2,000 from January 1, and a higher one from April 1.  The events below are
-- bad reviews (reviews, call-backs, dispatch ratings), de-duplicated.
INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit) VALUES
  ('no_show', '-infinity', 'Technician did not turn up', 300, 'case'),
  ('bad_review', '2026-01-01', 'Bad review (the 2026 rules)', 2000, 'case'),
  ('bad_review', '2026-04-01', 'Bad review (raised)', 2500, 'case');

-- The events.  Times are UTC; the day in Shanghai is 8 hours later (02:00 UTC
-- is 10:00 the same day).  K1..K7 name the customers.
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone, customer_address, source, about_service) VALUES
  -- February, P1
  ('E01', 'P1', 'bad_review', '2026-02-03 02:00+00', 'O1', '138-0013-8000', '12 Nanjing Rd', 'web', true),        -- K1
  ('E02', 'P1', 'bad_review', '2026-02-10 02:00+00', 'O2', '13800138000', E'  12  NANJING\trd ', 'callback', true), -- K1 written otherwise
  ('E03', 'P1', 'bad_review', '2026-02-11 02:00+00', 'O3', '139 0000 0001', 'Lane 5', 'sms', true),               -- K2
  ('E04', 'P1', 'bad_review', '2026-02-12 02:00+00', 'O3', '13900000001', 'Lane 5', 'web', true),                 -- K2, O3 on the web
  ('E05', 'P1', 'bad_review', '2026-02-13 02:00+00', 'O4', '13700000002', 'Lane 6', 'sms', false),                -- K7, about the price
  ('E06', 'P1', 'bad_review', '2026-02-14 02:00+00', 'O4', '13700000002', 'Lane 6', 'web', true),                 -- K7, O4 on the web
  ('E07', 'P1', 'bad_review', '2026-02-15 02:00+00', 'O5', '13600000003', 'Lane 7', 'web', false),                -- K3, about the product
  ('E08', 'P1', 'bad_review', '2026-02-16 02:00+00', 'O5', '13600000003', 'Lane 7', 'sms', true),                 -- K3, O5 by SMS
  ('F1', 'P1', 'fake_customer_data', '2026-02-20 02:00+00', 'O20', NULL, NULL, 'inspection', true),
  -- March (in Shanghai), P1
  ('E09', 'P1', 'bad_review', '2026-02-28 16:30+00', 'O6', '138 0013 8000', '12 nanjing rd', 'callback', true), -- K1, March 1 00:30 local
  ('E10', 'P1', 'bad_review', '2026-03-20 02:00+00', 'O7', '138-0013-8000', '12 Nanjing Rd', 'dispatch', true),    -- K1
  ('E11', 'P1', 'bad_review', '2026-03-05 02:00+00', 'O9', NULL, NULL, 'dispatch', true),                         -- order only
  ('E12', 'P1', 'bad_review', '2026-03-06 02:00+00', 'O9', '13500000009', NULL, 'callback', true),                -- order only (no address)
  ('E13', 'P1', 'bad_review', '2026-03-30 02:00+00', 'O10', '135 0000 0004', 'Lane 8', 'sms', true),              -- K4
  -- April and later, P1
  ('E15', 'P1', 'bad_review', '2026-03-31 16:30+00', 'O11', '13300000005', 'Lane 9', 'web', true),                -- K5, April 1 00:30 local
  ('E14', 'P1', 'bad_review', '2026-04-02 02:00+00', 'O10', '13500000004', 'lane 8', 'web', true),                -- K4, O10 on the web
  ('F2', 'P1', 'fake_customer_data', '2026-04-10 02:00+00', 'O20', NULL, NULL, 'callback', true),
  ('F3', 'P1', 'fake_customer_data', '2026-04-11 02:00+00', 'O21', NULL, NULL, 'inspection', true),
  ('E16', 'P1', 'bad_review', '2026-05-10 02:00+00', 'O12', '13200000006', 'Lane 10', 'web', true),               -- K6
  ('E17', 'P1', 'bad_review', '2026-05-10 02:00+00', 'O13', '13200000006', 'Lane 10', 'callback', true),          -- K6, same instant
  ('U1', 'P1', 'peak_understaffing', '2026-06-18 04:00+00', NULL, NULL, NULL, 'dispatch', true),                         -- 618 sales day
  ('U2', 'P1', 'peak_understaffing', '2026-06-18 04:00+00', NULL, NULL, NULL, 'inspection', true),
  -- P2: the same customer as P1's K1, and the company's own rule
  ('G1', 'P2', 'bad_review', '2026-02-05 02:00+00', 'O30', '13800138000', '12 Nanjing Rd', 'web', true),
  ('G2', 'P2', 'no_show', '2026-05-20 02:00+00', NULL, NULL, NULL, 'dispatch', true);

-- E02 and E09 are E01's customer K1 once normalised; E03 is K2; E11 and E12
-- have no key (E12 has a phone but no address).
SELECT event_id, customer_key = (SELECT customer_key FROM appraisal.provider_events WHERE event_id = 'E01') AS same_as_e01,
       customer_key IS NULL AS no_key
FROM appraisal.provider_events WHERE event_id IN ('E02', 'E03', 'E09', 'E11', 'E12') ORDER BY event_id;

-- The key is a keyed pseudonym (HMAC-SHA-256 under this database's own key,
-- made with the first event that needed it), not a hash anyone can
-- recompute: not the MD5 of phone and address, nor their plain SHA-256; 64
-- hex digits, and the same as HMAC under the stored key.
SELECT count(*) AS keys, max(octet_length(key)) AS key_bytes FROM appraisal.pseudonym_key;
SELECT length(customer_key) AS hex_digits,
       customer_key = md5('13800138000|12 nanjing rd') AS is_md5,
       customer_key = encode(sha256(convert_to('13800138000|12 nanjing rd', 'UTF8')), 'hex') AS is_sha256,
       customer_key = (SELECT encode(appraisal.hmac_sha256(key, '13800138000|12 nanjing rd'), 'hex') FROM appraisal.pseudonym_key) AS is_keyed
FROM appraisal.provider_events WHERE event_id = 'E01';
-- HMAC-SHA-256 itself, against RFC 4231's test case 2
SELECT encode(appraisal.hmac_sha256('Jefe', 'what do ya want for nothing?'), 'hex') AS rfc4231_case_2;
-- A pseudonym cannot be set by hand, and follows the phone and address.
UPDATE appraisal.provider_events SET customer_key = 'forged' WHERE event_id = 'E02';
SELECT customer_key = (SELECT customer_key FROM appraisal.provider_events WHERE event_id = 'E01') AS still_k1
FROM appraisal.provider_events WHERE event_id = 'E02';
-- Who may read the key: its owner.  A role that may read and load events
-- gets their pseudonyms set but cannot read the key, nor call the trigger.
CREATE ROLE appraisal_test_loader;
GRANT SELECT, INSERT, DELETE ON appraisal.provider_events TO appraisal_test_loader;
SET ROLE appraisal_test_loader;
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone, customer_address, source)
VALUES ('L1', 'P2', 'bad_review', '2026-02-06 02:00+00', 'O31', '+86 138 0013 8000', '12 Nanjing Rd', 'web');
SELECT length(customer_key) AS hex_digits FROM appraisal.provider_events WHERE event_id = 'L1';
SELECT pg_temp.try($$SELECT key FROM appraisal.pseudonym_key$$);
SELECT pg_temp.try($$SELECT appraisal.set_customer_key()$$);
RESET ROLE;
-- nor can it skip the checks by turning check_function_bodies off as a
-- restore does (only a login owning the extension's schema replays dumps):
-- a pseudonym it writes is replaced, and an unknown rule is refused
SET SESSION AUTHORIZATION appraisal_test_loader;
SET check_function_bodies = off;
SELECT appraisal.replaying_dump() AS counts_as_restore;
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone, customer_address, source, customer_key)
VALUES ('L2', 'P2', 'bad_review', '2026-02-07 02:00+00', 'O32', '13600000003', 'Lane 7', 'web',
        (SELECT customer_key FROM appraisal.provider_events WHERE event_id = 'E01'));
SELECT customer_key = (SELECT customer_key FROM appraisal.provider_events WHERE event_id = 'E07') AS own_customer,
       customer_key = (SELECT customer_key FROM appraisal.provider_events WHERE event_id = 'E01') AS forged
FROM appraisal.provider_events WHERE event_id = 'L2';
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('L3', 'P2', 'no_such_rule', '1900-01-01 00:00+00')$$);
DELETE FROM appraisal.provider_events WHERE event_id IN ('L1', 'L2');
RESET check_function_bodies;
RESET SESSION AUTHORIZATION;
REVOKE ALL ON appraisal.provider_events FROM appraisal_test_loader;
DROP ROLE appraisal_test_loader;

-- The ledger, by the rules in their order:
--   E05, E07: (a) not about the service: exempt, whatever else holds.
--   E03: (b) SMS of O3 repeated on the web by E04: duplicate of E04.
--   E13: (b) SMS of O10 (March) repeated on the web by E14 (April): a
--        duplicate across windows.
--   E05 is an SMS with a web twin (E06) but (a) comes first: exempt, not
--        duplicate.  E08 is an SMS whose only web twin E07 is exempt: judged
--        on its own, the first of K3 in February: charged.
--   E01: K1's first complaint in February: charged 2,000.  E02 (K1: digits
--        13800138000, address '12 nanjing rd'): duplicate of E01.
--   E09: K1 again, but on March 1 in Shanghai (Feb 28 in UTC): a new window,
--        charged 2,000 (the raised amount starts April 1).  E10: K1 in March
--        again: duplicate of E09.
--   E11, E12: no phone and address (E12 has a phone only): matched by order
--        O9: E12 duplicate of E11.
--   E04, E06: first of K2, K7 in February once the SMS and exempt ones are
--        out: charged.
--   E15: March 31 16:30 UTC is April 1 in Shanghai: 2,500 (from 2026-04-01).
--   E14: K4's web review, charged 2,500 in April.
--   E16, E17: K6 twice at the same instant: the smaller event_id, E16,
--        counts (2,500); E17 duplicate.
--   F1: O20 fake data: 1,000.  F2: O20 again in April: duplicate of F1 (an
--        order counts once, in any window).  F3: O21: 1,000.
--   U1, U2: two under-staffing cases on the same day: 2,000 each.
--   G1: K1 but provider P2: charged 2,000 (de-duplication is per provider).
--   G2: the company's own rule: 300 per case.
SELECT event_id, provider_id AS prov, rule_id, source, occurred_on, window_starts_on AS window, status, duplicate_of AS dup_of,
       amount, unit
FROM appraisal.penalty_ledger ORDER BY provider_id, occurred_at, event_id;
SELECT event_id, reason FROM appraisal.penalty_ledger ORDER BY provider_id, occurred_at, event_id;

-- Tickets of the technicians (default SLA: first response 24 h, resolution
-- 48 h, 24x7), all in February:
--   T1-1  FR 1 h, resolved 2 h, 1 contact, web survey 5
--   T1-2  FR 25 h (late), resolved 26 h, 2 contacts
--   T1-3  FR 1 h, resolved 2 h, 1 contact, service complaint, web survey 2
--   T2-1  FR 1 h, resolved 72 h (late), 1 contact
--   T2-2  FR 1 h, resolved 2 h, 1 contact, SMS survey 4
--   T3-1  (P3) May: FR 1 h, resolved 2 h, 1 contact, no survey
--   A1-1  own staff, February
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, complaint, cause, customer_id, agent_id) VALUES
  ('T1-1', '2026-02-02 01:00+00', '2026-02-02 02:00+00', '2026-02-02 03:00+00', 1, 'phone', 'install', false, NULL, 'c1', 'T1'),
  ('T1-2', '2026-02-03 01:00+00', '2026-02-04 02:00+00', '2026-02-04 03:00+00', 2, 'phone', 'install', false, NULL, 'c2', 'T1'),
  ('T1-3', '2026-02-04 01:00+00', '2026-02-04 02:00+00', '2026-02-04 03:00+00', 1, 'phone', 'install', true, 'service', 'c3', 'T1'),
  ('T2-1', '2026-02-05 01:00+00', '2026-02-05 02:00+00', '2026-02-08 01:00+00', 1, 'phone', 'repair', false, NULL, 'c4', 'T2'),
  ('T2-2', '2026-02-06 01:00+00', '2026-02-06 02:00+00', '2026-02-06 03:00+00', 1, 'phone', 'repair', false, NULL, 'c5', 'T2'),
  ('T3-1', '2026-05-04 01:00+00', '2026-05-04 02:00+00', '2026-05-04 03:00+00', 1, 'phone', 'repair', false, NULL, 'c6', 'T3'),
  ('A1-1', '2026-02-02 01:00+00', '2026-02-02 02:00+00', '2026-02-02 03:00+00', 1, 'phone', 'install', false, NULL, 'c7', 'A1');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES
  ('T1-1', 'web', '2026-02-03', 5), ('T1-3', 'web', '2026-02-05', 2), ('T2-2', 'sms', '2026-02-07', 4);
SELECT materialized_view, mode FROM appraisal.refresh_scorecards();

-- The scorecard.  P1, 2026-Q1 (local days Jan 1 - Mar 31): E01-E08, F1,
-- E09-E13 = 14 events; charged E01 E04 E06 E08 E09 E11 (bad reviews, 6 x
-- 2,000) and F1 (1,000) = 7, 13,000; duplicates E02 E03 E10 E12 E13 = 5;
-- exempt E05 E07 = 2.
-- P1, 2026-Q2: E15 E14 F2 F3 E16 E17 U1 U2 = 8 events; charged E15 E14 E16
-- (3 x 2,500), F3 (1,000), U1 U2 (2 x 2,000) = 6, 12,500; duplicates F2 E17.
-- P1, 2026-H1 and 2026: 22 events, 13 charged (fake 2, bad reviews 9,
-- under-staffing 2), 7 duplicates, 2 exempt, 25,500.
-- P2: Q1 G1 (2,000); Q2 G2 (300, its own rule: in none of the three counts);
-- H1 and year 2,300.  No technicians.
-- P3: no events; T3's ticket in Q2, H1 and the year.  P4: no row.
SELECT provider_id AS prov, period, events, charged_events AS charged, duplicates AS dups, exempt,
       fake_data_orders AS fake, bad_reviews AS bad, understaffing_cases AS understaff, penalty_amount
FROM appraisal.provider_scorecard ORDER BY provider_id, starts_on, ends_on DESC;

-- The KPIs of P1's technicians, pooled (T1 + T2, never an average of rates):
-- 5 tickets; first response met 4 of 5 (T1-2 late) = 80.00; resolution met 4
-- of 5 (T2-1 late) = 80.00; mean resolution (2 + 26 + 2 + 72 + 2) / 5 =
-- 20.80 h; first contact resolved 4 of 5 (T1-2 took 2 contacts) = 80.00;
-- no comebacks: recurrence 0.00; CSAT 2 of 3 (5 and 4 of 5 satisfied, 2 not)
-- = 66.66; composite (40 x 80 + 30 x 80 + 30 x 2/3 x 100) / 100 =
-- 32 + 24 + 20 = 76.00 -> 中; 5 >= 4 tickets and 3 >= 2 responses:
-- sufficient; first response 80 is not below 80: no training.
-- P1 in Q2: no tickets: 0 tickets, no measures, insufficient data.
-- P3: one ticket, met and resolved on first contact (100.00 each), no
-- survey: no CSAT, so no composite; insufficient data.
SELECT provider_id AS prov, period, technicians AS techs, tickets, first_response_compliance AS fr, resolution_compliance AS res,
       mean_resolution_hours AS res_h, fcr, recurrence_rate AS rec, responses AS resp, csat,
       service_complaints AS svc_compl, composite_points AS points, composite_grade AS grade, training_needed AS training,
       sufficient_data AS sufficient, as_of IS NOT NULL AS has_as_of
FROM appraisal.provider_scorecard WHERE period_kind = 'quarter' ORDER BY provider_id, starts_on;
-- The same as service_measures of T1's and T2's summaries pooled by hand.
SELECT s.composite_points = m.composite_points AND s.csat = m.csat AND s.fcr = m.fcr AS same
FROM appraisal.provider_scorecard s,
     LATERAL (SELECT sum(a.tickets)::bigint AS t, appraisal.rollup(a.first_response) AS fr, appraisal.rollup(a.resolution) AS rs,
                     appraisal.rollup(a.fcr) AS f, sum(a.responses)::bigint AS r, sum(a.satisfied)::bigint AS sat
              FROM appraisal.agent_summaries a WHERE a.agent_id IN ('T1', 'T2') AND a.period = '2026-Q1') p,
     LATERAL appraisal.service_measures(p.t, p.fr, p.rs, p.f, p.r, p.sat, 1, 1, 0) m
WHERE s.provider_id = 'P1' AND s.period = '2026-Q1';

-- A complaint without phone and address is the customer of its order: the
-- phone and address of the order's earliest complaint that has them (one the
-- ledger judges first, else an exempt or SMS-twin one).  P2, all 02:00 UTC
-- (10:00 in Shanghai, the same day); K8 = 131 0000 0008, Lane 11:
--   H1  Mar 5, O40, neither: O40's customer is K8 (H2): K8's first complaint
--       in March: charged 2,000.
--   H2  Mar 6, O40, K8: duplicate of H1.  (Matched by the order alone, H1
--       would be charged and H2 too: one customer's one order twice in a month.)
--   H3  Mar 9, O41, K8: the same customer in March: duplicate of H1.
--   H4  Mar 10, O42, neither, no other report of O42: the order alone: charged
--       2,000.
--   H5  Mar 11, O43, neither; O43's only report with phone and address is H6,
--       about the product, which still says who the customer is: K8 in
--       March: duplicate of H1.
--   H6  Mar 12, O43, K8, not about the service: exempt.
--   H7  Apr 2, O40, neither: K8 again, but April is another window: charged
--       2,500 (the raised amount from April 1).
--   H8  Mar 13, O44, SMS from +86 131 0000 0009, Lane 12 (K9', the country
--       code makes other digits), repeated on the web by H9: duplicate of H9.
--   H9  Mar 14, O44, web, 131 0000 0009, Lane 12 (K9): K9's first in March:
--       charged 2,000.
--   H10 Mar 15, O44, neither: O44's customer is taken from a report the
--       ledger judges first, H9 (K9), though the SMS H8 is earlier: K9 again
--       in March: duplicate of H9.  (With H8's K9' it would be charged.)
-- P2's quarters, with G1 (Q1, 2,000) and G2 (Q2, 300) from before: Q1 has
-- G1 H1-H6 H8-H10 = 10 events, charged G1 H1 H4 H9 = 4 (all bad reviews,
-- 4 x 2,000 = 8,000), duplicates H2 H3 H5 H8 H10 = 5, exempt H6 = 1; Q2 has
-- G2 H7 = 2 events, both charged, 1 bad review, 300 + 2,500 = 2,800.
BEGIN;
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone, customer_address, source, about_service) VALUES
  ('H1', 'P2', 'bad_review', '2026-03-05 02:00+00', 'O40', NULL, NULL, 'dispatch', true),
  ('H2', 'P2', 'bad_review', '2026-03-06 02:00+00', 'O40', '131 0000 0008', 'Lane 11', 'callback', true),
  ('H3', 'P2', 'bad_review', '2026-03-09 02:00+00', 'O41', '13100000008', 'lane 11', 'web', true),
  ('H4', 'P2', 'bad_review', '2026-03-10 02:00+00', 'O42', NULL, NULL, 'dispatch', true),
  ('H5', 'P2', 'bad_review', '2026-03-11 02:00+00', 'O43', NULL, NULL, 'callback', true),
  ('H6', 'P2', 'bad_review', '2026-03-12 02:00+00', 'O43', '13100000008', 'Lane 11', 'web', false),
  ('H7', 'P2', 'bad_review', '2026-04-02 02:00+00', 'O40', NULL, NULL, 'dispatch', true),
  ('H8', 'P2', 'bad_review', '2026-03-13 02:00+00', 'O44', '+86 131 0000 0009', 'Lane 12', 'sms', true),
  ('H9', 'P2', 'bad_review', '2026-03-14 02:00+00', 'O44', '13100000009', 'Lane 12', 'web', true),
  ('H10', 'P2', 'bad_review', '2026-03-15 02:00+00', 'O44', NULL, NULL, 'dispatch', true);
SELECT event_id, occurred_on, status, duplicate_of AS dup_of, amount, reason
FROM appraisal.penalty_ledger WHERE event_id LIKE 'H%' ORDER BY occurred_at, event_id;
SELECT period, events, charged_events AS charged, duplicates AS dups, exempt, bad_reviews AS bad, penalty_amount
FROM appraisal.provider_scorecard WHERE provider_id = 'P2' AND period_kind = 'quarter' ORDER BY starts_on;
ROLLBACK;

-- Weekly windows: E01 (Tue Feb 3) and E02 (Tue Feb 10) lie in the weeks from
-- Mon Feb 2 and Mon Feb 9: both charged.  E09 (Sun Mar 1 local) is in the
-- week from Feb 23, E10 (Fri Mar 20) in the week from Mar 16: both charged.
-- E16/E17 share a day: still one.  Only 1 month and 1 week are windows.
INSERT INTO appraisal.settings (name, value) VALUES ('penalty_window', '1 week');
SELECT event_id, occurred_on, window_starts_on AS window, status, duplicate_of AS dup_of
FROM appraisal.penalty_ledger WHERE event_id IN ('E01', 'E02', 'E09', 'E10', 'E16', 'E17') ORDER BY event_id;
SELECT event_id, reason FROM appraisal.penalty_ledger WHERE event_id = 'E17';
SELECT pg_temp.try($$UPDATE appraisal.settings SET value = '30 days' WHERE name = 'penalty_window'$$);
SELECT pg_temp.try($$UPDATE appraisal.settings SET value = '2 weeks' WHERE name = 'penalty_window'$$);
SELECT pg_temp.try($$UPDATE appraisal.settings SET value = 'fortnightly' WHERE name = 'penalty_window'$$);
DELETE FROM appraisal.settings WHERE name = 'penalty_window';

-- Shipped rules cannot be changed, deleted, truncated or forged; a company
-- changes an amount with a row valid from a later day.
SELECT pg_temp.try($$UPDATE appraisal.penalty_rules SET amount = 1 WHERE rule_id = 'service_complaint' AND valid_from = '-infinity'$$);
SELECT pg_temp.try($$DELETE FROM appraisal.penalty_rules WHERE rule_id = 'fake_customer_data'$$);
SELECT pg_temp.try($$TRUNCATE appraisal.penalty_rules$$);
SELECT pg_temp.try($$INSERT INTO appraisal.penalty_rules (rule_id, description, amount, unit, shipped) VALUES ('mine', 'x', 1, 'case', true)$$);
\set VERBOSITY default
UPDATE appraisal.penalty_rules SET amount = 1 WHERE rule_id = 'peak_understaffing';

-- An event's rule must be known (SQLSTATE 23503, like a foreign key) ...
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('X1', 'P1', 'fake_data', '2026-02-01');
\set VERBOSITY terse
-- ... and in effect on the event's day (in Shanghai: May 31 16:00 UTC is June 1).
INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit) VALUES ('late_visit', '2026-06-01', 'Late visit', 100, 'case');
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('X2', 'P1', 'late_visit', '2026-05-31 15:59:59+00')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('X2', 'P1', 'late_visit', '2026-05-31 16:00:00+00')$$);
SELECT event_id, occurred_on, status, amount, reason FROM appraisal.penalty_ledger WHERE event_id = 'X2';
-- A rule's row cannot go while an event needs it; the raised amount can (the
-- January row stays in effect), and the April events fall back to 2,000.
SELECT pg_temp.try($$DELETE FROM appraisal.penalty_rules WHERE rule_id = 'late_visit'$$);
SELECT pg_temp.try($$UPDATE appraisal.penalty_rules SET valid_from = '2026-06-02' WHERE rule_id = 'late_visit'$$);
SELECT pg_temp.try($$DELETE FROM appraisal.penalty_rules WHERE rule_id = 'no_show'$$);
BEGIN;
DELETE FROM appraisal.penalty_rules WHERE rule_id = 'bad_review' AND valid_from = '2026-04-01';
SELECT event_id, amount, reason FROM appraisal.penalty_ledger WHERE event_id IN ('E14', 'E15') ORDER BY event_id;
ROLLBACK;

-- Rows the constraints reject, each naming its rule.
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('X3', 'P1', 'fake_customer_data', '2026-02-01')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, customer_phone) VALUES ('X3', 'P1', 'bad_review', '2026-02-01', '13800138000')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, customer_phone, customer_address) VALUES ('X3', 'P1', 'bad_review', '2026-02-01', 'none', 'Lane 5')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, source) VALUES ('X3', 'P1', 'bad_review', '2026-02-01', 'O1', 'email')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('X3', 'P9', 'peak_understaffing', '2026-02-01')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at) VALUES ('X3', 'P1', 'peak_understaffing', 'infinity')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.penalty_rules (rule_id, description, amount, unit) VALUES ('r1', 'x', -1, 'case')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.penalty_rules (rule_id, description, amount, unit) VALUES ('r1', 'x', 'NaN', 'case')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.penalty_rules (rule_id, description, amount, unit) VALUES ('r1', 'x', 1, 'visit')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit) VALUES ('r1', 'infinity', 'x', 1, 'case')$$);
SELECT pg_temp.try($$INSERT INTO appraisal.penalty_rules (rule_id, description, amount, unit) VALUES ('no_show', 'again', 1, 'case')$$);
SELECT pg_temp.try($$UPDATE appraisal.employees SET provider_id = 'P9' WHERE employee_id = 'T1'$$);
SELECT pg_temp.try($$DELETE FROM appraisal.providers WHERE provider_id = 'P3'$$);
