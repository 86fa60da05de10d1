-- ALTER EXTENSION appraisal UPDATE from the oldest kept release, 0.1, gives
-- exactly what a fresh install of the current version gives: the same
-- objects with every property that defines them (function and aggregate
-- definitions, view queries, column order, types and defaults, constraints,
-- indexes, triggers, privileges, comments) and the same shipped rows.  A
-- user's rows survive the update.
\set SHOW_CONTEXT never
SET intervalstyle = 'postgres';
CREATE FUNCTION pg_temp.extension_objects() RETURNS TABLE (object text, properties text, comment text)
LANGUAGE plpgsql AS $fn$
DECLARE
  ext oid := (SELECT oid FROM pg_extension WHERE extname = 'appraisal');
  r record;
  rows text;
BEGIN
  -- members of the extension, with what defines each kind
  RETURN QUERY
  SELECT pg_describe_object(d.classid, d.objid, 0),
         CASE d.classid
           WHEN 'pg_proc'::regclass THEN
             (SELECT concat_ws(' ', p.provolatile, p.proparallel, p.proisstrict, p.prokind, p.prosecdef, p.proleakproof,
                               p.procost, p.prorows, p.proconfig::text, p.proacl::text, p.probin IS NOT NULL,
                               CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END,
                               pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                               (SELECT concat_ws(' ', a.aggkind, a.aggnumdirectargs, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                                 a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn,
                                                 a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify,
                                                 a.aggsortop::regoperator, a.aggtranstype::regtype, a.aggtransspace,
                                                 a.aggmtranstype::regtype, a.aggmtransspace, a.agginitval, a.aggminitval)
                                  FROM pg_aggregate a WHERE a.aggfnoid = p.oid))
                FROM pg_proc p WHERE p.oid = d.objid)
           WHEN 'pg_class'::regclass THEN
             (SELECT concat_ws(' ', c.relkind, c.relpersistence, c.reloptions::text, nullif(c.relacl, acldefault('r', c.relowner))::text, c.relrowsecurity,
                               c.relforcerowsecurity, c.relispopulated,
                               CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END)
                FROM pg_class c WHERE c.oid = d.objid)
           WHEN 'pg_type'::regclass THEN
             (SELECT concat_ws(' ', t.typtype, t.typlen, t.typbyval, t.typalign, t.typstorage, t.typinput, t.typoutput,
                               t.typreceive, t.typsend, t.typcategory, t.typacl::text,
                               (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
                FROM pg_type t WHERE t.oid = d.objid)
           WHEN 'pg_operator'::regclass THEN
             (SELECT concat_ws(' ', o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest, o.oprjoin,
                               o.oprcanmerge, o.oprcanhash)
                FROM pg_operator o WHERE o.oid = d.objid)
           WHEN 'pg_namespace'::regclass THEN
             (SELECT n.nspacl::text FROM pg_namespace n WHERE n.oid = d.objid)
         END,
         ds.description
  FROM pg_depend d
  LEFT JOIN pg_description ds ON ds.classoid = d.classid AND ds.objoid = d.objid AND ds.objsubid = 0
  WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND d.refobjid = ext;

  -- the schema's comment and privileges
  RETURN QUERY
  SELECT 'schema appraisal', n.nspacl::text, obj_description(n.oid, 'pg_namespace')
  FROM pg_namespace n WHERE n.nspname = 'appraisal';

  -- columns (in order), constraints, indexes, triggers and policies of the schema's relations
  RETURN QUERY
  SELECT pg_describe_object('pg_class'::regclass, c.oid, a.attnum),
         concat_ws(' ', a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated, a.attidentity,
                   pg_get_expr(ad.adbin, ad.adrelid), a.attacl::text, a.attcollation::regcollation),
         col_description(c.oid, a.attnum)
  FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p');
  RETURN QUERY
  SELECT 'constraint ' || co.conname::text || ' on ' || co.conrelid::regclass::text,
         concat_ws(' ', co.contype, co.condeferrable, co.condeferred, co.convalidated, pg_get_constraintdef(co.oid)),
         obj_description(co.oid, 'pg_constraint')
  FROM pg_constraint co WHERE co.connamespace = 'appraisal'::regnamespace AND co.conrelid <> 0;
  RETURN QUERY
  SELECT 'index ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), obj_description(i.indexrelid, 'pg_class')
  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
  WHERE c.relnamespace = 'appraisal'::regnamespace;
  RETURN QUERY
  SELECT 'trigger ' || t.tgname::text || ' on ' || t.tgrelid::regclass::text, t.tgenabled::text || ' ' || pg_get_triggerdef(t.oid),
         obj_description(t.oid, 'pg_trigger')
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  WHERE c.relnamespace = 'appraisal'::regnamespace AND NOT t.tgisinternal;
  RETURN QUERY
  SELECT 'policy ' || p.polname::text || ' on ' || p.polrelid::regclass::text,
         concat_ws(' ', p.polcmd, p.polpermissive, p.polroles::regrole[]::text, pg_get_expr(p.polqual, p.polrelid),
                   pg_get_expr(p.polwithcheck, p.polrelid)), NULL
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = 'appraisal'::regnamespace;

  -- the tables pg_dump saves rows of, with their conditions
  RETURN QUERY
  SELECT 'configuration table ' || x.c::regclass::text, x.w, NULL
  FROM pg_extension e, unnest(e.extconfig, e.extcondition) AS x(c, w) WHERE e.oid = ext;

  -- every row of every table: right after an install or update, only what the extension ships
  FOR r IN SELECT c.oid::regclass AS rel FROM pg_class c
           WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1::text LOOP
    EXECUTE format('SELECT string_agg(t::text, E''\n'' ORDER BY t::text) FROM %s t', r.rel) INTO rows;
    RETURN QUERY SELECT 'rows of ' || r.rel::text, rows, NULL::text;
  END LOOP;
END
$fn$;

-- (the tests before this one left rows in the tables: install afresh)
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
CREATE TEMP TABLE fresh AS SELECT * FROM pg_temp.extension_objects();
SELECT extversion AS fresh_version FROM pg_extension WHERE extname = 'appraisal';

DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal VERSION '0.1';
-- 0.1 has the 360 scores but no business time
SELECT appraisal.score_360(s, 'superior') AS score_0_1, to_regtype('appraisal.business_calendar') IS NULL AS no_calendars
FROM (VALUES (90.0)) v(s);

-- a user's rows in 0.4, the previous release
ALTER EXTENSION appraisal UPDATE TO '0.4';
-- (appraisal_demo 0.5 refuses to install beside appraisal 0.4, whose tables
-- it does not know)
CREATE EXTENSION appraisal_demo;
INSERT INTO appraisal.settings (name, value) VALUES ('min_tickets', '7');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('pass_fail', '0..100: pass >= 60, fail');
INSERT INTO appraisal.employees (employee_id, name, position, team) VALUES ('E1', 'Wang Fang', 'specialist', 'north');
-- provider events: K1 twice (written differently), K2 once, one without
-- a customer; 0.4 keys them by MD5
INSERT INTO appraisal.providers (provider_id, name) VALUES ('P1', 'Repairs');
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone, customer_address, source) VALUES
  ('E1', 'P1', 'service_complaint', '2026-02-02 02:00+00', 'O1', '138-0013-8000', '12 Nanjing Rd', 'web'),
  ('E2', 'P1', 'service_complaint', '2026-02-03 02:00+00', 'O2', '13800138000', ' 12  nanjing rd', 'callback'),
  ('E3', 'P1', 'service_complaint', '2026-02-04 02:00+00', 'O3', '13900000000', 'Lane 2', 'web'),
  ('E4', 'P1', 'fake_customer_data', '2026-02-05 02:00+00', 'O4', NULL, NULL, 'inspection'),
  ('E5', 'P1', 'service_complaint', '2026-02-06 02:00+00', 'O5', '13800138000', '12 Nanjing Rd', 'inspection');
CREATE TEMP TABLE ledger_0_4 AS SELECT event_id, status, duplicate_of, amount FROM appraisal.penalty_ledger;
-- a survey run of the questionnaire 0.4 shipped as 'standard': 80 on its
-- first item (satisfaction_15) is B, 11 + 3 * 5 / 15 = 12.00
SELECT count(*) AS periods_0_4 FROM appraisal.add_periods(2026);
INSERT INTO appraisal.customers (customer_id, name) VALUES ('K1', 'Key Ltd');
INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, opened_on, closed_on)
  VALUES ('CSAT', 'standard', '2026-Q4', '2026-11-01', '2026-11-30');
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on) VALUES ('CSAT', 'K1', '2026-11-02', '2026-11-05');
INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value) VALUES ('CSAT', 'K1', 1, 80);
-- a ticket with its survey response, which 0.4's summaries count
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id, customer_id)
VALUES ('T1', '2026-03-02 09:00+00', '2026-03-02 10:00+00', '2026-03-02 12:00+00', 1, 'phone', 'install', 'E1', 'K1');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T1', 'web', '2026-03-02 13:00+00', 5);
-- 0.5 re-creates the summaries agent_daily and agent_daily_csat: a view of
-- the user's on one stops the update, named; an index and a grant of the
-- user's on them are not carried over, and the update says how to make them
-- again.  The summaries were populated: the new ones (tables now, and
-- category_daily too) are computed.
CREATE ROLE appraisal_test_reader;
GRANT SELECT ON appraisal.agent_daily TO appraisal_test_reader;
GRANT SELECT ON appraisal.category_daily TO appraisal_test_reader;   -- (as a BI role reads the complaint views)
CREATE INDEX agent_daily_day ON appraisal.agent_daily (day);
SELECT count(*) FROM appraisal.refresh_scorecards();
CREATE VIEW public.my_daily AS SELECT agent_id, day FROM appraisal.agent_daily;
ALTER EXTENSION appraisal UPDATE;   -- stopped
DROP VIEW public.my_daily;

ALTER EXTENSION appraisal UPDATE;
SELECT extversion AS updated_version FROM pg_extension WHERE extname = 'appraisal';
-- (now tables, computed by the update: the scorecards read them at once)
SELECT (SELECT count(*) > 0 FROM appraisal.agent_daily) AS agent_daily_computed,
       (SELECT count(*) > 0 FROM appraisal.agent_daily_csat) AS agent_daily_csat_computed,
       (SELECT count(*) > 0 FROM appraisal.agent_daily_follow_up) AS agent_daily_follow_up_computed,
       (SELECT count(*) > 0 FROM appraisal.category_daily) AS category_daily_computed,
       (SELECT refreshed_at IS NOT NULL FROM appraisal.refresh_state) AS counted_as_refreshed;
SELECT count(*) AS team_scorecard_rows FROM appraisal.team_scorecard;
-- the grant on category_daily carried over: the complaint views read it with
-- their reader's rights (revoked again: an ACL of the owner's alone compares as none)
SELECT has_table_privilege('appraisal_test_reader', 'appraisal.category_daily', 'SELECT') AS category_daily_grant_kept,
       has_table_privilege('appraisal_test_reader', 'appraisal.agent_daily', 'SELECT') AS agent_daily_grant_kept;
REVOKE SELECT ON appraisal.category_daily FROM appraisal_test_reader;
DROP ROLE appraisal_test_reader;
-- (not computed again, as a fresh install leaves them, for the comparison below)
TRUNCATE appraisal.agent_daily, appraisal.agent_daily_csat, appraisal.agent_daily_follow_up, appraisal.category_daily;
REFRESH MATERIALIZED VIEW appraisal.period_ratings WITH NO DATA;
UPDATE appraisal.refresh_state SET refreshed_at = NULL;
SELECT * FROM appraisal.settings;
SELECT name, scale, shipped FROM appraisal.grade_scale WHERE NOT shipped;
SELECT * FROM appraisal.employees;
-- the events are keyed anew, by HMAC under the database's new key: the same
-- customer alike, no MD5 left
SELECT event_id, length(customer_key) AS hex_digits,
       customer_key = md5(appraisal.normalise_phone(customer_phone) || '|' || appraisal.normalise_address(customer_address)) AS md5,
       customer_key = (SELECT customer_key FROM appraisal.provider_events WHERE event_id = 'E1') AS same_as_e1
FROM appraisal.provider_events ORDER BY event_id;
SELECT count(*) AS keys FROM appraisal.pseudonym_key;
-- 0.4's service complaints from a review channel (E1 E2 E3: web, callback)
-- become bad reviews, de-duplicated as before but without an amount until
-- the year's row (E1 E3: 2,000 -> NULL); the one from an inspection (E5)
-- stays a complaint, charged on its own (0.4: a duplicate of E1, 0).
SELECT e.event_id, e.rule_id, o.status AS status_0_4, o.duplicate_of AS dup_0_4, o.amount AS amount_0_4,
       l.status, l.duplicate_of AS dup, l.amount
FROM appraisal.provider_events e JOIN ledger_0_4 o USING (event_id) JOIN appraisal.penalty_ledger l USING (event_id)
ORDER BY e.event_id;
SELECT event_id, status, duplicate_of FROM appraisal.penalty_ledger ORDER BY event_id;
-- the run follows its questionnaire to standard_0_4: the answer means what it did
SELECT run_id, questionnaire FROM appraisal.survey_runs;
SELECT questionnaire, item, value, band, points FROM appraisal.customer_survey_points;
DELETE FROM appraisal.tickets;   -- (its survey response with it)
DELETE FROM appraisal.survey_runs;
DELETE FROM appraisal.customers;
DELETE FROM appraisal.periods;
DELETE FROM appraisal.provider_events;
DELETE FROM appraisal.providers;
DELETE FROM appraisal.pseudonym_key;
DELETE FROM appraisal.settings;
DELETE FROM appraisal.grade_scale WHERE NOT shipped;
DELETE FROM appraisal.employees;
DELETE FROM appraisal.refresh_log;   -- (the deletes above are logged for the next refresh)
CREATE TEMP TABLE updated AS SELECT * FROM pg_temp.extension_objects();

-- (PostgreSQL 17 and later also record the array types, and the row types of
-- tables and views, as members, and 18 keeps each NOT NULL in pg_constraint:
-- they come and go with their type, table or column (whose row says NOT
-- NULL) and are left out of the count, so that it is the same on every server)
SELECT count(*) AS objects FROM fresh
WHERE object NOT IN (SELECT pg_describe_object('pg_type'::regclass, t.oid, 0)
                     FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
                     WHERE EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
                        OR c.relkind IN ('r', 'p', 'v', 'm', 'f'))
  AND NOT (object LIKE 'constraint %' AND properties LIKE 'n %');
-- in a fresh install only, or only after the update: none
(SELECT 'fresh only' AS side, * FROM fresh EXCEPT SELECT 'fresh only', * FROM updated)
UNION ALL
(SELECT 'updated only', * FROM updated EXCEPT SELECT 'updated only', * FROM fresh)
ORDER BY 1, 2;
-- and the updated extension works
SELECT appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', '24x7') AS elapsed;
-- the demo data generator is an extension of its own now
SELECT to_regprocedure('appraisal.generate_demo_data(integer,integer,integer,boolean)') IS NULL AS no_demo_in_appraisal;

-- a 0.4 database whose DBA already took the generator out updates too
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal VERSION '0.1';
ALTER EXTENSION appraisal UPDATE TO '0.4';
ALTER EXTENSION appraisal DROP FUNCTION appraisal.generate_demo_data(integer, integer, integer, boolean);
ALTER EXTENSION appraisal DROP FUNCTION appraisal.demo_uniform(bigint, integer);
DROP FUNCTION appraisal.generate_demo_data(integer, integer, integer, boolean);
DROP FUNCTION appraisal.demo_uniform(bigint, integer);
ALTER EXTENSION appraisal UPDATE;
SELECT extversion AS updated_without_generator FROM pg_extension WHERE extname = 'appraisal';
