-- refresh_scorecards() recomputes the summaries only when they may have
-- changed: a statement wrote a table they read (appraisal.refresh_log), or
-- time alone moved a figure (appraisal.next_summary_change: a pending SLA
-- item falling overdue at its due time).  Otherwise every row says
-- unchanged.  Then a property test: random batches of inserts, late
-- resolutions, late survey responses, call-backs, re-attributed causes,
-- deletions and changed policies, some due within a second; after each
-- refresh, and again after time alone has passed, every summary equals its
-- definition computed afresh in the same transaction.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;

-- A new installation: never refreshed, nothing logged, the next change not known.
SELECT last_refresh IS NULL AS never_refreshed, populated, changes_pending, tables_changed, next_time_change, up_to_date
FROM appraisal.refresh_status;

SELECT count(*) > 0 AS periods FROM appraisal.add_periods(extract(year FROM now())::int);
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES
  ('M1', 'Wang Fang', 'manager', 'hq', NULL),
  ('A1', 'Liu Yang', 'specialist', 'north', 'M1'),
  ('A2', 'Chen Jing', 'specialist', 'north', 'M1');
-- employees and periods are not read by the summaries: nothing logged
SELECT changes_pending FROM appraisal.refresh_status;
-- refresh_status is for appraisal_admin: a member who is no superuser reads it
CREATE ROLE appraisal_test_refresher IN ROLE appraisal_admin;
SET ROLE appraisal_test_refresher;
SELECT changes_pending, up_to_date FROM appraisal.refresh_status;
SELECT appraisal.stale_summaries(now()) = ARRAY(SELECT summary FROM appraisal.summary_sources() ORDER BY refresh_order) AS all_stale;
RESET ROLE;
DROP ROLE appraisal_test_refresher;

-- T1 was answered and resolved an hour ago.  T2, unanswered, was opened 24
-- hours less 4 seconds ago: its first response (24 hours on 24x7, the
-- default policy) falls due 4 seconds from now.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T1', now() - interval '3 hours', now() - interval '2 hours', now() - interval '1 hour', 1, 'phone', 'install', 'A1'),
  ('T2', now() - interval '24 hours' + interval '4 seconds', NULL, NULL, NULL, 'phone', 'install', 'A2');
SELECT changes_pending, tables_changed, oldest_change IS NOT NULL AS dated, up_to_date FROM appraisal.refresh_status;

SELECT materialized_view, mode FROM appraisal.refresh_scorecards();
-- the small tables the scorecards join have statistics after it (the
-- refresh analyzes those never analyzed, unless autovacuum came first)
SELECT count(*) AS small_tables_analyzed FROM pg_stat_user_tables
WHERE relid = ANY ('{appraisal.setting_definitions, appraisal.settings, appraisal.employees, appraisal.periods,
                     appraisal.sla_policies, appraisal.kpi_definitions, appraisal.kpi_results}'::regclass[])
  AND coalesce(last_analyze, last_autoanalyze) IS NOT NULL;
-- (from here on: the summaries a refresh recomputed)
CREATE FUNCTION pg_temp.refresh() RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(replace(materialized_view, 'appraisal.', ''), ' ') FILTER (WHERE mode NOT IN ('unchanged', 'check')), '(none)')
  FROM appraisal.refresh_scorecards();
$$;
-- after it: nothing pending, and the next change is T2's due time
SELECT last_refresh IS NOT NULL AS refreshed, populated, changes_pending, tables_changed, up_to_date,
       next_time_change = (SELECT opened_at + interval '24 hours' FROM appraisal.tickets WHERE ticket_id = 'T2') AS next_is_t2_due
FROM appraisal.refresh_status;
SELECT agent_id, appraisal.pending(first_response), appraisal.overdue(first_response) FROM appraisal.agent_daily ORDER BY 1;

-- Nothing changed: every summary unchanged, nothing computed, no health check.
SELECT materialized_view, mode, rows, problems FROM appraisal.refresh_scorecards();
SELECT count(*) AS rows_kept, count(DISTINCT as_of) AS one_as_of FROM appraisal.agent_daily;

-- Time alone: once T2's due time has passed, the refresh recomputes and T2 is overdue.
CREATE FUNCTION pg_temp.wait_for_next_change() RETURNS boolean LANGUAGE sql AS $$
  SELECT pg_sleep(greatest(0, extract(epoch FROM (SELECT next_time_change FROM appraisal.refresh_status) - clock_timestamp())) + 0.1) IS NOT NULL;
$$;
SELECT pg_temp.wait_for_next_change() AS waited;
-- (stale now, by time alone)
SELECT changes_pending, up_to_date FROM appraisal.refresh_status;
SELECT pg_temp.refresh() AS recomputed;
SELECT agent_id, appraisal.pending(first_response), appraisal.overdue(first_response) FROM appraisal.agent_daily ORDER BY 1;
-- T2's next change is its resolution's due time (48 hours), T1's call-back window closing is later
SELECT next_time_change = (SELECT opened_at + interval '48 hours' FROM appraisal.tickets WHERE ticket_id = 'T2') AS next_is_t2_resolution_due
FROM appraisal.refresh_status;

-- Each of time's other effects, alone (nothing else due before it): the
-- next change is exactly its instant, and once passed the refresh counts it.
-- T4 opens 2 seconds from now: A1 has one ticket more.
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES
  ('T4', now() + interval '2 seconds', 'phone', 'install', 'A1');
SELECT pg_temp.refresh() AS recomputed;
SELECT next_time_change = (SELECT opened_at FROM appraisal.tickets WHERE ticket_id = 'T4') AS next_is_t4_opening FROM appraisal.refresh_status;
SELECT sum(tickets) AS a1_tickets FROM appraisal.agent_daily WHERE agent_id = 'A1';
SELECT pg_temp.wait_for_next_change() AS waited;
SELECT pg_temp.refresh() AS recomputed;
SELECT sum(tickets) AS a1_tickets FROM appraisal.agent_daily WHERE agent_id = 'A1';
-- T5 is resolved 2 seconds from now: then it counts in FCR and as resolved for the call-back rate.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T5', now() - interval '1 hour', now() - interval '30 minutes', now() + interval '2 seconds', 1, 'phone', 'repair', 'A2');
SELECT pg_temp.refresh() AS recomputed;
SELECT next_time_change = (SELECT resolved_at FROM appraisal.tickets WHERE ticket_id = 'T5') AS next_is_t5_resolution FROM appraisal.refresh_status;
SELECT sum(appraisal.resolved(fcr)) AS a2_resolved FROM appraisal.agent_daily WHERE agent_id = 'A2';
SELECT pg_temp.wait_for_next_change() AS waited;
SELECT pg_temp.refresh() AS recomputed;
SELECT sum(appraisal.resolved(fcr)) AS a2_resolved FROM appraisal.agent_daily WHERE agent_id = 'A2';
-- T5 is called back 2 seconds from now: then it counts as called back.
INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('T5', now() + interval '2 seconds');
SELECT pg_temp.refresh() AS recomputed;
SELECT next_time_change = (SELECT called_at FROM appraisal.call_backs WHERE ticket_id = 'T5') AS next_is_t5_call FROM appraisal.refresh_status;
SELECT sum(called_back) AS a2_called_back FROM appraisal.agent_daily_follow_up WHERE agent_id = 'A2';
SELECT pg_temp.wait_for_next_change() AS waited;
SELECT pg_temp.refresh() AS recomputed;
SELECT sum(called_back) AS a2_called_back FROM appraisal.agent_daily_follow_up WHERE agent_id = 'A2';
-- T6 was resolved 7 days less 2 seconds ago and not called back: its
-- call-back is pending until one microsecond after its window's end.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T6', now() - interval '8 days', now() - interval '8 days', now() - interval '7 days' + interval '2 seconds', 1, 'phone', 'repair', 'A2');
SELECT pg_temp.refresh() AS recomputed;
SELECT next_time_change = (SELECT resolved_at + interval '7 days 0.000001 seconds' FROM appraisal.tickets WHERE ticket_id = 'T6') AS next_is_t6_window_end
FROM appraisal.refresh_status;
SELECT sum(call_back_pending) AS a2_call_back_pending FROM appraisal.agent_daily_follow_up WHERE agent_id = 'A2';
SELECT pg_temp.wait_for_next_change() AS waited;
SELECT pg_temp.refresh() AS recomputed;
SELECT sum(call_back_pending) AS a2_call_back_pending FROM appraisal.agent_daily_follow_up WHERE agent_id = 'A2';
-- T7, resolved a day ago, has no row in call_backs: a survey given in a
-- call-back within the window calls it back, one given before its
-- resolution does not.  A changed refresh (only T7's agent-day) finds
-- those calls through the tables' keys, as a full one finds them by
-- hashing every call: A2 called back 1, then 1, then 2.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('T7', now() - interval '2 days', now() - interval '2 days', now() - interval '1 day', 1, 'phone', 'repair', 'A2');
SELECT pg_temp.refresh() AS recomputed;
SELECT sum(called_back) AS a2_called_back FROM appraisal.agent_daily_follow_up WHERE agent_id = 'A2';
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T7', 'call_back', now() - interval '25 hours', 4);
SELECT mode FROM appraisal.refresh_scorecards() WHERE materialized_view = 'appraisal.agent_daily_follow_up';
SELECT sum(called_back) AS a2_called_back FROM appraisal.agent_daily_follow_up WHERE agent_id = 'A2';
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T7', 'call_back', now() - interval '12 hours', 5);
SELECT mode FROM appraisal.refresh_scorecards() WHERE materialized_view = 'appraisal.agent_daily_follow_up';
SELECT sum(called_back) AS a2_called_back FROM appraisal.agent_daily_follow_up WHERE agent_id = 'A2';

-- After writes alone, the next change is the earlier of the instant kept
-- and the first events of the tickets written (looked up through the
-- tables' keys, not in every ticket).  T8, unanswered for 23 hours, is due
-- in an hour: the next change is its due time.  Once T8 is deleted, the
-- refresh keeps that instant (a delete logs no ticket: early at worst,
-- when a refresh finds nothing due); a full refresh finds T2's resolution
-- due again.
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES
  ('T8', now() - interval '23 hours', 'phone', 'install', 'A1');
SELECT pg_temp.refresh() AS recomputed;
SELECT opened_at + interval '24 hours' AS t8_due FROM appraisal.tickets WHERE ticket_id = 'T8' \gset
SELECT next_time_change = :'t8_due' AS next_is_t8_due FROM appraisal.refresh_status;
DELETE FROM appraisal.tickets WHERE ticket_id = 'T8';
SELECT pg_temp.refresh() AS recomputed;
SELECT next_time_change = :'t8_due' AS t8_due_kept FROM appraisal.refresh_status;
SELECT count(*) AS summaries FROM appraisal.refresh_scorecards(full => true) WHERE mode = 'full';
SELECT next_time_change = (SELECT opened_at + interval '48 hours' FROM appraisal.tickets WHERE ticket_id = 'T2') AS next_is_t2_resolution_due
FROM appraisal.refresh_status;

-- full => true recomputes even when nothing changed.
SELECT DISTINCT mode FROM appraisal.refresh_scorecards(full => true) WHERE materialized_view IS NOT NULL;

-- Every writer of the tables the summaries read is logged, and a refresh
-- recomputes just the summaries that read the table written
-- (appraisal.summary_sources): a survey response, a settings change, an
-- SLA policy, a calendar, a 360 review, a call-back, an inspection, and a
-- ticket's delete with its cascade.
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T1', 'web', now(), 5);
SELECT changes_pending, tables_changed, stale_summaries, up_to_date FROM appraisal.refresh_status;
SELECT pg_temp.refresh() AS recomputed;
INSERT INTO appraisal.settings (name, value) VALUES ('repeat_window', '3 days');
SELECT pg_temp.refresh() AS recomputed;
INSERT INTO appraisal.sla_policies (metric, channel, priority, target, calendar, description)
VALUES ('resolution', 'web', NULL, '72 hours', '24x7', 'web: three days');
SELECT pg_temp.refresh() AS recomputed;
INSERT INTO appraisal.business_calendars (name, calendar)
VALUES ('office', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00');
SELECT pg_temp.refresh() AS recomputed;
INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score)
VALUES (extract(year FROM now())::text || '-Q' || extract(quarter FROM now()), 'A1', 'M1', 'superior', 90);
SELECT pg_temp.refresh() AS recomputed;
SELECT count(*) AS ratees FROM appraisal.period_ratings;
INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('T1', now());
SELECT pg_temp.refresh() AS recomputed;
INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score) VALUES ('T1', 'R1', current_date, 95);
SELECT pg_temp.refresh() AS recomputed;
DELETE FROM appraisal.tickets WHERE ticket_id = 'T1';
SELECT source, operation, count(*) FROM appraisal.refresh_log GROUP BY 1, 2 ORDER BY 1, 2;
SELECT pg_temp.refresh() AS recomputed;
SELECT changes_pending, stale_summaries, up_to_date FROM appraisal.refresh_status;

-- What the log holds: of an insert the tickets; of an update the
-- agent-days written, before and after (the day in the report time zone,
-- UTC here), and the tickets; of a delete the agent-days; and the tickets
-- that moved to another customer (both versions) or went; the delete
-- cascades to the ticket's responses, call-backs and inspections, none,
-- logged with no agent-day.
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, customer_id, agent_id)
VALUES ('L1', '2026-03-01 23:30+00', 'phone', 'install', 'C1', 'A1');
UPDATE appraisal.tickets SET agent_id = 'A2', customer_id = 'C2' WHERE ticket_id = 'L1';
UPDATE appraisal.tickets SET contacts = NULL WHERE ticket_id = 'L1';   -- no move
DELETE FROM appraisal.tickets WHERE ticket_id = 'L1';
SELECT operation, (SELECT string_agg(a || ' ' || d, ', ' ORDER BY a, d) FROM unnest(agents, days) x(a, d)) AS agent_days, tickets, moved
FROM appraisal.refresh_log ORDER BY logged_at, operation DESC, source;
-- two agent-days to recompute (A1's and A2's 2026-03-01), not every row
SELECT agent_days_pending, every_row_pending FROM appraisal.refresh_status;
SELECT pg_temp.refresh() AS recomputed;
-- Every table a summary's definition (the function computing its rows, or
-- the materialized view's query) reaches, through the views and
-- functions it calls (a PL/pgSQL function's: those its source names), is
-- among its sources (the shipped, read-only setting_definitions aside,
-- comeback_staging, agent_daily_rows's work table on Citus, which it fills
-- from the tickets itself, and recurred_tickets, which the refresh keeps
-- from the tickets and agent_daily_rows reads only when the refresh asks
-- it to: kept_comebacks).  agent_daily reads the calendars of its SLA
-- policies as values (sla_policy_arrays): business_calendars is among the
-- tables it reaches.
WITH RECURSIVE reach(summary, classid, objid) AS (
  SELECT m.summary, 'pg_class'::regclass, m.summary::oid FROM appraisal.summary_sources() m
  WHERE to_regproc(m.summary::text || '_rows') IS NULL
  UNION ALL
  SELECT m.summary, 'pg_proc'::regclass, to_regproc(m.summary::text || '_rows')::oid FROM appraisal.summary_sources() m
  WHERE to_regproc(m.summary::text || '_rows') IS NOT NULL
  UNION
  SELECT r.summary, x.classid, x.objid
  FROM reach r
  CROSS JOIN LATERAL (
    SELECT d.refclassid, d.refobjid
    FROM pg_depend d
    WHERE d.deptype = 'n' AND d.refclassid IN ('pg_class'::regclass, 'pg_proc'::regclass)
      AND ((r.classid = 'pg_class'::regclass AND d.classid = 'pg_rewrite'::regclass
            AND d.objid IN (SELECT oid FROM pg_rewrite WHERE ev_class = r.objid))
        OR (r.classid = 'pg_proc'::regclass AND d.classid = 'pg_proc'::regclass AND d.objid = r.objid))
    UNION ALL   -- a PL/pgSQL function records no dependencies: the tables, views and functions its source names
    SELECT o.classid, o.objid
    FROM pg_proc f
    CROSS JOIN LATERAL regexp_matches(f.prosrc, 'appraisal\.([a-z_0-9]+)', 'g') n(name)
    CROSS JOIN LATERAL (SELECT 'pg_class'::regclass, c.oid FROM pg_class c
                        WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relname = n.name[1]
                        UNION ALL
                        SELECT 'pg_proc'::regclass, g.oid FROM pg_proc g
                        WHERE g.pronamespace = 'appraisal'::regnamespace AND g.proname = n.name[1]) o(classid, objid)
    WHERE r.classid = 'pg_proc'::regclass AND f.oid = r.objid
      AND f.prolang = (SELECT oid FROM pg_language WHERE lanname = 'plpgsql')
  ) x(classid, objid)
)
SELECT m.summary, array_agg(DISTINCT c.oid::regclass::text ORDER BY c.oid::regclass::text) AS tables_read,
       array_agg(DISTINCT c.oid::regclass::text) FILTER (WHERE NOT c.oid = ANY (m.sources)
                                                          AND c.oid NOT IN ('appraisal.setting_definitions'::regclass,
                                                                            'appraisal.comeback_staging'::regclass,
                                                                            'appraisal.recurred_tickets'::regclass)) AS not_among_sources
FROM appraisal.summary_sources() m
JOIN reach r ON r.summary = m.summary AND r.classid = 'pg_class'::regclass
JOIN pg_class c ON c.oid = r.objid AND c.relkind = 'r'
GROUP BY m.refresh_order, m.summary
ORDER BY m.refresh_order;

-- A rolled-back statement leaves nothing to refresh.
BEGIN;
UPDATE appraisal.tickets SET category = 'repair';
ROLLBACK;
SELECT changes_pending FROM appraisal.refresh_status;

-- Least privilege: a clerk who may only add tickets is logged without any
-- right on the log, and cannot read or change it.
CREATE ROLE refresh_log_clerk;
GRANT USAGE ON SCHEMA appraisal TO refresh_log_clerk;
GRANT INSERT ON appraisal.tickets TO refresh_log_clerk;
SET ROLE refresh_log_clerk;
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES ('T3', now() - interval '1 day', 'web', 'repair', 'A1');
SELECT pg_temp.try('SELECT count(*) FROM appraisal.refresh_log');
SELECT pg_temp.try('DELETE FROM appraisal.refresh_log');
SELECT pg_temp.try('SELECT * FROM appraisal.refresh_status');
SELECT pg_temp.try('SELECT * FROM appraisal.refresh_scorecards()');
RESET ROLE;
SELECT changes_pending, tables_changed FROM appraisal.refresh_status;
DROP OWNED BY refresh_log_clerk;
DROP ROLE refresh_log_clerk;

-- The property test.  Each summary against its definition computed afresh
-- in full in the same transaction (as_of aside): rows in one and not the
-- other.  And the tickets that recurred, which the refresh keeps on one
-- node for agent_daily's FCR, against theirs; and the active tickets kept
-- beside them: the rows each needs missing, rows not as their tickets are
-- now, and a latest opening earlier than a ticket's (one more each).
CREATE FUNCTION pg_temp.differing_rows() RETURNS TABLE (summary text, differing bigint) LANGUAGE plpgsql
SET TimeZone = 'UTC' AS $$   -- (the refresh computes in the report time zone, UTC here)
DECLARE
  mv regclass;
BEGIN
  FOREACH mv IN ARRAY ARRAY['appraisal.agent_daily', 'appraisal.agent_daily_csat', 'appraisal.category_daily',
                            'appraisal.period_ratings', 'appraisal.agent_daily_follow_up', 'appraisal.recurred_tickets']::regclass[] LOOP
    summary := mv::text;
    EXECUTE format($q$
      WITH stored AS (SELECT to_jsonb(s) - 'as_of' AS r FROM %1$s s),
           fresh AS (SELECT to_jsonb(f) - 'as_of' AS r FROM (%2$s) f)
      SELECT (SELECT count(*) FROM (SELECT r FROM stored EXCEPT ALL SELECT r FROM fresh) a)
           + (SELECT count(*) FROM (SELECT r FROM fresh EXCEPT ALL SELECT r FROM stored) b)$q$,
      mv, CASE mv WHEN 'appraisal.period_ratings'::regclass THEN rtrim(pg_get_viewdef(mv), ';')
                  WHEN 'appraisal.category_daily'::regclass THEN 'SELECT * FROM appraisal.category_daily_rows(NULL)'
                  WHEN 'appraisal.recurred_tickets'::regclass THEN 'SELECT * FROM appraisal.recurred_tickets_rows(NULL, NULL)'
                  ELSE format('SELECT * FROM %s_rows(NULL, NULL)', mv) END) INTO differing;
    RETURN NEXT;
  END LOOP;
  summary := 'appraisal.active_tickets';
  WITH every AS MATERIALIZED (
    SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts
    FROM appraisal.comeback_rows(NULL, NULL) c
  ), latest AS (
    SELECT s.latest_opening, s.latest_opening - p.repeat_window AS active_from
    FROM appraisal.refresh_state s, appraisal.scorecard_parameters() p
  )
  SELECT (SELECT count(*) FROM every e, latest l
           WHERE (e.resolved_at IS NULL OR e.next_opened_at IS NULL AND e.resolved_at >= l.active_from)
             AND NOT EXISTS (SELECT FROM appraisal.active_tickets a WHERE a.ticket_id = e.ticket_id))
       + (SELECT count(*) FROM appraisal.active_tickets a
           WHERE NOT EXISTS (SELECT FROM every e WHERE to_jsonb(e) = to_jsonb(a)))
       + (SELECT count(*) FROM every e, latest l WHERE e.opened_at > l.latest_opening OR l.latest_opening IS NULL)
    INTO differing;
  RETURN NEXT;
END
$$;

-- A batch of random changes (the same ones on every run: setseed).  Times
-- are in the past, an hour or more ahead, or 1 to 2 seconds from now:
-- first responses falling due, resolutions and call-back windows closing,
-- tickets opening then, so that time alone changes the summaries before
-- the check after the wait, not before the one at once (a second of margin
-- for a busy machine).
CREATE FUNCTION pg_temp.batch(n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  soon constant interval := interval '1 second';
BEGIN
  PERFORM setseed(n / 100.0);
  INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority,
                                 category, complaint, cause, customer_id, agent_id)
  SELECT format('B%s-%s', n, i), o.opened_at,
         CASE WHEN random() < 0.7 THEN o.opened_at + random() * interval '30 hours' END,
         r.resolved_at, CASE WHEN r.resolved_at IS NOT NULL THEN 1 + (random() * 2)::int END,
         (ARRAY['phone', 'web', 'email'])[1 + (random() * 2)::int], CASE WHEN random() < 0.2 THEN 'urgent' ELSE 'normal' END,
         (ARRAY['install', 'repair'])[1 + (random() * 1)::int], c.complaint,
         CASE WHEN c.complaint AND random() < 0.8 THEN (ARRAY['service', 'system'])[1 + (random() * 1)::int] END,
         'C' || (random() * 8)::int, (ARRAY['A1', 'A2'])[1 + (random() * 1)::int]
  FROM generate_series(1, 12) i
  CROSS JOIN LATERAL (SELECT CASE (i % 4)
                               WHEN 0 THEN now() - random() * interval '20 days'
                               WHEN 1 THEN now() - interval '24 hours' + soon + random() * soon   -- first response due in a second
                               WHEN 2 THEN now() + soon + random() * soon                          -- opens in a second
                               ELSE now() + interval '1 hour' + random() * interval '1 day' END AS opened_at) o
  CROSS JOIN LATERAL (SELECT CASE WHEN i % 3 = 0 THEN greatest(o.opened_at, now() - interval '7 days' + soon + random() * soon)  -- call-back window closes
                                  WHEN random() < 0.5 THEN o.opened_at + random() * interval '60 hours' END AS resolved_at) r
  CROSS JOIN LATERAL (SELECT random() < 0.4 AS complaint) c;
  -- late resolutions of open tickets
  UPDATE appraisal.tickets t SET resolved_at = greatest(t.opened_at, now() - random() * interval '2 days'), contacts = 1
  WHERE t.ticket_id IN (SELECT ticket_id FROM appraisal.tickets WHERE resolved_at IS NULL AND opened_at < now()
                        ORDER BY ticket_id LIMIT 2);
  -- late survey responses, call-backs (some within the window) and inspections
  INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
  SELECT ticket_id, (ARRAY['web', 'call_back', 'sms'])[1 + (random() * 2)::int], now() - random() * interval '1 day', 1 + (random() * 4)::int
  FROM appraisal.tickets ORDER BY random() LIMIT 4
  ON CONFLICT DO NOTHING;
  INSERT INTO appraisal.call_backs (ticket_id, called_at)
  SELECT ticket_id, CASE WHEN random() < 0.3 THEN now() + soon + random() * soon ELSE now() - random() * interval '9 days' END
  FROM appraisal.tickets ORDER BY random() LIMIT 4
  ON CONFLICT DO NOTHING;
  INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score)
  SELECT ticket_id, 'R' || n, current_date, round((random() * 100)::numeric, 2)
  FROM appraisal.tickets ORDER BY random() LIMIT 2
  ON CONFLICT DO NOTHING;
  -- a ticket moved to the other agent, another customer and category, a
  -- day earlier; one without follow-up renamed; a response re-pointed to a
  -- ticket without one
  UPDATE appraisal.tickets
     SET agent_id = CASE agent_id WHEN 'A1' THEN 'A2' ELSE 'A1' END, customer_id = 'C' || (random() * 8)::int,
         category = CASE category WHEN 'install' THEN 'repair' ELSE 'install' END, opened_at = opened_at - interval '1 day'
   WHERE ticket_id = (SELECT ticket_id FROM appraisal.tickets ORDER BY random() LIMIT 1);
  UPDATE appraisal.tickets SET ticket_id = ticket_id || 'r'
   WHERE ticket_id = (SELECT t.ticket_id FROM appraisal.tickets t
                       WHERE NOT EXISTS (SELECT FROM appraisal.survey_responses r WHERE r.ticket_id = t.ticket_id)
                         AND NOT EXISTS (SELECT FROM appraisal.call_backs c WHERE c.ticket_id = t.ticket_id)
                         AND NOT EXISTS (SELECT FROM appraisal.quality_inspections q WHERE q.ticket_id = t.ticket_id)
                       ORDER BY random() LIMIT 1);
  UPDATE appraisal.survey_responses
     SET ticket_id = (SELECT t.ticket_id FROM appraisal.tickets t
                       WHERE NOT EXISTS (SELECT FROM appraisal.survey_responses r WHERE r.ticket_id = t.ticket_id)
                       ORDER BY random() LIMIT 1)
   WHERE (ticket_id, source, responded_at) = (SELECT ticket_id, source, responded_at FROM appraisal.survey_responses ORDER BY random() LIMIT 1);
  -- a complaint re-attributed, a ticket deleted (its responses with it)
  UPDATE appraisal.tickets SET cause = CASE cause WHEN 'service' THEN 'system' ELSE 'service' END
  WHERE ticket_id = (SELECT ticket_id FROM appraisal.tickets WHERE complaint ORDER BY random() LIMIT 1);
  DELETE FROM appraisal.tickets WHERE ticket_id = (SELECT ticket_id FROM appraisal.tickets ORDER BY random() LIMIT 1);
  -- every third batch a policy changes: phone tickets' first response in 2 or 4 working hours
  IF n % 3 = 0 THEN
    DELETE FROM appraisal.sla_policies WHERE description = 'property test';
    INSERT INTO appraisal.sla_policies (metric, channel, priority, target, calendar, description)
    VALUES ('first_response', 'phone', NULL, make_interval(hours => 2 * (1 + n % 2)), 'office', 'property test');
  END IF;
  -- every fourth, a 360 review
  IF n % 4 = 0 THEN
    INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score)
    VALUES (extract(year FROM now())::text || '-Q' || extract(quarter FROM now()), 'A2', 'P' || n, 'peer', 60 + n)
    ON CONFLICT DO NOTHING;
  END IF;
END
$$;

-- Per batch: the refresh right after it recomputes the summaries of the
-- tables written (changed: only the agent-days or days written, and those
-- whose comeback may have changed; full after a policy change), and every
-- summary equals its fresh definition; a second
-- refresh at once finds nothing to do; once the batch's coming times have
-- passed (a_second_later: 2.2 s on) time alone has changed figures, the
-- refresh recomputes the three summaries that change with time, and every
-- summary equals its definition again.  The rows the refresh returns for
-- each summary are its rows (a changed refresh adds those it wrote to
-- those it kept rather than counting them); one that is not is named.
CREATE TEMP TABLE refreshed AS SELECT * FROM appraisal.refresh_scorecards() WITH NO DATA;
CREATE FUNCTION pg_temp.check_refresh() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  recomputed text;
  miscounted text := '';
  actual bigint;
BEGIN
  TRUNCATE pg_temp.refreshed;
  INSERT INTO pg_temp.refreshed SELECT * FROM appraisal.refresh_scorecards();
  SELECT coalesce(string_agg(replace(materialized_view, 'appraisal.', '') || ' ' || mode, ', ')
                  FILTER (WHERE mode NOT IN ('unchanged', 'check')), '(none)')
    INTO recomputed FROM pg_temp.refreshed;
  FOR r IN SELECT * FROM pg_temp.refreshed WHERE materialized_view IS NOT NULL AND rows IS NOT NULL LOOP
    EXECUTE format('SELECT count(*) FROM %s', r.materialized_view) INTO actual;
    IF actual <> r.rows THEN
      miscounted := miscounted || format(' / %s returned %s rows of %s', r.materialized_view, r.rows, actual);
    END IF;
  END LOOP;
  RETURN recomputed || ' / ' ||
         (SELECT coalesce(string_agg(format('%s: %s', summary, differing), ', ') FILTER (WHERE differing <> 0), 'all equal')
          FROM pg_temp.differing_rows()) || miscounted;
END
$$;
-- By difference: a changed refresh takes each ticket written out of its
-- agent-day's rows as it counted at the last refresh and adds it as it
-- counts now, reading no other ticket of the day.  A3 has D1, unanswered,
-- opened 24 hours less 2 seconds ago (first response due in 2 seconds); D2,
-- answered in an hour, resolved in two on the first contact; D4, answered
-- in an hour, resolved in 2 seconds from now, rated 5 on the web: 3
-- tickets; first response 2 met (3600 s each), 1 pending; resolution 1
-- met (7200 s), 2 pending; FCR 1 of 1; follow-up 1 resolved; CSAT 1
-- response.  Then D1 is answered an hour after its opening, D4's
-- resolution set to an hour after its opening, D2 deleted, D3 opened 2
-- hours ago (unanswered); the refresh comes after D1's due time and D4's
-- first resolution.  D1 counted as pending then (not as overdue, as it
-- would now unanswered), D4 as not resolved yet (not as resolved, as it
-- would now); now: 3 tickets (D1, D3, D4); first response 2 met (D1, D4),
-- 1 pending (D3); resolution 1 met (D4, 3600 s), 2 pending; FCR 1 of 1
-- (D4); follow-up 1 resolved (D4); CSAT 1 response (D4's, once).
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES ('A3', 'Zhao Lei', 'specialist', 'north', 'M1');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('D1', now() - interval '24 hours' + interval '2 seconds', NULL, NULL, NULL, 'phone', 'install', 'A3'),
  ('D2', now() - interval '3 hours', now() - interval '2 hours', now() - interval '1 hour', 1, 'phone', 'install', 'A3'),
  ('D4', now() - interval '3 hours', now() - interval '2 hours', now() + interval '2 seconds', 1, 'phone', 'install', 'A3');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('D4', 'web', now() - interval '1 hour', 5);
SELECT pg_temp.refresh() AS recomputed;
CREATE FUNCTION pg_temp.a3() RETURNS TABLE (tickets numeric, first_response text, resolution text, fcr text, resolved numeric, responses numeric)
LANGUAGE sql AS $$
  SELECT sum(tickets), appraisal.rollup(first_response)::text, appraisal.rollup(resolution)::text, appraisal.rollup(fcr)::text,
         (SELECT sum(f.resolved) FROM appraisal.agent_daily_follow_up f WHERE f.agent_id = 'A3'),
         (SELECT sum(appraisal.responses(c.csat)) FROM appraisal.agent_daily_csat c WHERE c.agent_id = 'A3')
  FROM appraisal.agent_daily WHERE agent_id = 'A3';
$$;
SELECT * FROM pg_temp.a3();
UPDATE appraisal.tickets SET first_response_at = opened_at + interval '1 hour' WHERE ticket_id = 'D1';
UPDATE appraisal.tickets SET resolved_at = opened_at + interval '1 hour' WHERE ticket_id = 'D4';
DELETE FROM appraisal.tickets WHERE ticket_id = 'D2';
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES
  ('D3', now() - interval '2 hours', 'phone', 'install', 'A3');
SELECT pg_sleep(extract(epoch FROM (SELECT opened_at + interval '24 hours' FROM appraisal.tickets WHERE ticket_id = 'D1') - clock_timestamp()) + 0.1)
       IS NOT NULL AS waited;
SELECT pg_temp.check_refresh() AS by_difference;
SELECT * FROM pg_temp.a3();
DELETE FROM appraisal.tickets WHERE agent_id = 'A3';
SELECT pg_temp.check_refresh() AS a3_gone;
SELECT count(*) AS a3_rows FROM appraisal.agent_daily WHERE agent_id = 'A3';

-- An update or delete of more than 100,000 tickets is logged without its
-- agent-days: every row is recomputed (mode full); an insert keeps its
-- tickets, whatever their number.
SELECT count(*) > 0 AS log_emptied FROM appraisal.refresh_scorecards();
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id)
SELECT 'M' || i, timestamptz '2026-03-02 10:00+08' + (i % 3) * interval '1 day', 'phone', 'install', 'A1'
FROM generate_series(1, 100001) i;
SELECT operation, cardinality(tickets) AS tickets FROM appraisal.refresh_log;
SELECT agent_days_pending FROM appraisal.refresh_status;
SELECT pg_temp.check_refresh() AS after_insert;
UPDATE appraisal.tickets SET contacts = 1 WHERE ticket_id LIKE 'M%';
SELECT operation, agents IS NULL AS every_row FROM appraisal.refresh_log;
SELECT agent_days_pending, every_row_pending FROM appraisal.refresh_status;
SELECT pg_temp.check_refresh() AS after_mass_update;
DELETE FROM appraisal.tickets WHERE ticket_id LIKE 'M%';
SELECT pg_temp.check_refresh() AS after_mass_delete;

SELECT pg_temp.batch(1) IS NULL AS batch_1;
SELECT pg_temp.check_refresh() AS after_batch;
SELECT pg_temp.check_refresh() AS at_once;
SELECT pg_sleep(2.2) IS NOT NULL AS waited;
SELECT pg_temp.check_refresh() AS a_second_later;
SELECT pg_temp.batch(2) IS NULL AS batch_2;
SELECT pg_temp.check_refresh() AS after_batch;
SELECT pg_temp.check_refresh() AS at_once;
SELECT pg_sleep(2.2) IS NOT NULL AS waited;
SELECT pg_temp.check_refresh() AS a_second_later;
SELECT pg_temp.batch(3) IS NULL AS batch_3;
SELECT pg_temp.check_refresh() AS after_batch;
SELECT pg_temp.check_refresh() AS at_once;
SELECT pg_sleep(2.2) IS NOT NULL AS waited;
SELECT pg_temp.check_refresh() AS a_second_later;
SELECT pg_temp.batch(4) IS NULL AS batch_4;
SELECT pg_temp.check_refresh() AS after_batch;
SELECT pg_temp.check_refresh() AS at_once;
SELECT pg_sleep(2.2) IS NOT NULL AS waited;
SELECT pg_temp.check_refresh() AS a_second_later;
SELECT pg_temp.batch(5) IS NULL AS batch_5;
SELECT pg_temp.check_refresh() AS after_batch;
SELECT pg_temp.check_refresh() AS at_once;
SELECT pg_sleep(2.2) IS NOT NULL AS waited;
SELECT pg_temp.check_refresh() AS a_second_later;
SELECT pg_temp.batch(6) IS NULL AS batch_6;
SELECT pg_temp.check_refresh() AS after_batch;
SELECT pg_temp.check_refresh() AS at_once;
SELECT pg_sleep(2.2) IS NOT NULL AS waited;
SELECT pg_temp.check_refresh() AS a_second_later;
-- A crash empties the unlogged tables of the comebacks kept, and the row
-- that says they are kept with them (as here; test/cluster/
-- unlogged_after_crash.sh crashes a server): the next refresh recomputes
-- every summary, with nothing else written, and computes them anew.
TRUNCATE appraisal.recurred_tickets, appraisal.active_tickets, appraisal.comebacks_kept;
SELECT pg_temp.check_refresh() AS after_a_crash;
SELECT count(*) AS comebacks_kept FROM appraisal.comebacks_kept;
SELECT pg_temp.check_refresh() AS at_once;
-- Batches the active tickets answer alone: tickets opened after the
-- latest opening seen (some resolved, some by customers with active
-- tickets), late resolutions of open tickets (some with responses,
-- call-backs or inspections), and in every other batch survey responses
-- (in the others, tickets alone: the CSAT and follow-up summaries too are
-- adjusted by difference).  After each, the refresh calls comeback_rows
-- not once, and every summary, the tickets that recurred and the active
-- tickets equal their definitions.
CREATE FUNCTION pg_temp.extending_batch(n int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  latest constant timestamptz := (SELECT latest_opening FROM appraisal.refresh_state);
BEGIN
  PERFORM setseed(n / 100.0 + 0.5);
  INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority,
                                 category, complaint, cause, customer_id, agent_id)
  SELECT format('E%s-%s', n, i), o.opened_at, o.opened_at + interval '10 minutes', r.resolved_at,
         CASE WHEN r.resolved_at IS NOT NULL THEN 1 + (random() * 2)::int END,
         'web', 'normal', (ARRAY['install', 'repair'])[1 + (random() * 1)::int], c.complaint,
         CASE WHEN c.complaint THEN (ARRAY['service', 'system'])[1 + (random() * 1)::int] END,
         CASE WHEN random() < 0.9 THEN 'C' || (random() * 8)::int END, (ARRAY['A1', 'A2'])[1 + (random() * 1)::int]
  FROM generate_series(1, 10) i
  CROSS JOIN LATERAL (SELECT latest + interval '1 minute' + random() * interval '5 days' AS opened_at) o
  CROSS JOIN LATERAL (SELECT CASE WHEN random() < 0.6 THEN o.opened_at + random() * interval '3 days' END AS resolved_at) r
  CROSS JOIN LATERAL (SELECT random() < 0.3 AS complaint) c;
  UPDATE appraisal.tickets t SET resolved_at = t.opened_at + random() * interval '4 days', contacts = 1
  WHERE t.ticket_id IN (SELECT ticket_id FROM appraisal.tickets WHERE resolved_at IS NULL ORDER BY md5(ticket_id || n) LIMIT 3);
  UPDATE appraisal.tickets t SET contacts = 2 WHERE t.ticket_id IN (SELECT ticket_id FROM appraisal.tickets ORDER BY md5(ticket_id || n) LIMIT 2);
  -- late resolutions of open tickets with responses, call-backs or inspections
  UPDATE appraisal.tickets t SET resolved_at = greatest(t.opened_at, now() - random() * interval '9 days'), contacts = 1
  WHERE t.ticket_id IN (SELECT u.ticket_id FROM appraisal.tickets u
                         WHERE u.resolved_at IS NULL
                           AND u.ticket_id IN (SELECT r.ticket_id FROM appraisal.survey_responses r UNION SELECT c.ticket_id FROM appraisal.call_backs c
                                               UNION SELECT q.ticket_id FROM appraisal.quality_inspections q)
                         ORDER BY md5(u.ticket_id || n) LIMIT 3);
  IF n % 2 = 1 THEN
    INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
    SELECT ticket_id, 'web', now() - random() * interval '1 day', 1 + (random() * 4)::int
    FROM appraisal.tickets ORDER BY md5(ticket_id || n) LIMIT 3
    ON CONFLICT DO NOTHING;
  END IF;
END
$$;
CREATE FUNCTION pg_temp.check_extending(n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  result text;
  calls bigint;
BEGIN
  PERFORM pg_temp.extending_batch(n);
  PERFORM set_config('track_functions', 'pl', true);
  PERFORM pg_stat_clear_snapshot();
  result := pg_temp.check_refresh();
  SELECT coalesce(sum(f.calls), 0) INTO calls FROM pg_stat_xact_user_functions f WHERE f.funcname = 'comeback_rows';
  -- (differing_rows called it twice)
  RETURN format('comeback_rows called %s times besides the check / %s', calls - 2, result);
END
$$;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.check_extending(1) AS extending_1;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.check_extending(2) AS extending_2;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.check_extending(3) AS extending_3;
SELECT pg_stat_force_next_flush();
SELECT pg_temp.check_extending(4) AS extending_4;

-- the batches made the summaries non-trivial
SELECT count(*) > 20 AS many_tickets, count(DISTINCT agent_id) AS agents FROM appraisal.tickets;
SELECT sum(appraisal.overdue(first_response)) > 0 AS some_overdue, sum(appraisal.recurred(fcr)) >= 0 AS fcr_counted
FROM appraisal.agent_daily;

-- A comeback undone by a move: P1 (A1, 2025-05-05) was resolved at 10:00 and
-- customer C90 came back with X1 on 2025-05-07 in the same category, within
-- the repeat window (3 days, set above): P1 recurred.  X1 moves to another
-- customer: only its own agent-day (A2, 2025-05-07) is logged, and P1's
-- agent-day is found through the moved ticket (comeback_agent_days): P1 no
-- longer recurred.  Back to C90: 3 days and 1 microsecond after P1's
-- resolution is no comeback, 3 days exactly is (the window's end is in it).
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('P1', '2025-05-05 09:00+00', '2025-05-05 09:30+00', '2025-05-05 10:00+00', 1, 'phone', 'install', 'C90', 'A1'),
       ('X1', '2025-05-07 09:00+00', '2025-05-07 09:30+00', '2025-05-07 10:00+00', 1, 'phone', 'install', 'C90', 'A2');
SELECT pg_temp.check_refresh() AS comeback_made;
SELECT appraisal.recurred(fcr) AS p1_recurred FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-05-05';
UPDATE appraisal.tickets SET customer_id = 'C91' WHERE ticket_id = 'X1';
SELECT pg_temp.check_refresh() AS comeback_undone;
SELECT appraisal.recurred(fcr) AS p1_recurred FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-05-05';
UPDATE appraisal.tickets SET customer_id = 'C90', opened_at = '2025-05-08 10:00:00.000001+00',
       first_response_at = '2025-05-08 10:30+00', resolved_at = '2025-05-08 11:00+00' WHERE ticket_id = 'X1';
SELECT pg_temp.check_refresh() AS just_outside;
SELECT appraisal.recurred(fcr) AS p1_recurred FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-05-05';
UPDATE appraisal.tickets SET opened_at = '2025-05-08 10:00+00' WHERE ticket_id = 'X1';
SELECT pg_temp.check_refresh() AS at_the_end;
SELECT appraisal.recurred(fcr) AS p1_recurred FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-05-05';

-- A comeback found for a ticket inserted: P2 (A1, 2025-05-10) resolved at
-- 10:00, then X2 of the same customer and category opened 3 days later to
-- the microsecond (the window's end) and X3 of another customer a month
-- later.  Only X2 is a comeback (comeback_agent_days pairs no ticket
-- resolved before 2025-05-10 10:00, 3 days before the earliest inserted;
-- X2 and X3 pair with themselves, their own agent-days): P2 recurred, its
-- agent-day recomputed, and every summary equal to its definition.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('P2', '2025-05-10 09:00+00', '2025-05-10 09:30+00', '2025-05-10 10:00+00', 1, 'phone', 'install', 'C97', 'A1');
SELECT pg_temp.check_refresh() AS before_the_comeback;
SELECT appraisal.recurred(fcr) AS p2_recurred FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-05-10';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('X2', '2025-05-13 10:00+00', '2025-05-13 10:30+00', '2025-05-13 11:00+00', 1, 'phone', 'install', 'C97', 'A2'),
       ('X3', '2025-06-13 10:00+00', '2025-06-13 10:30+00', '2025-06-13 11:00+00', 1, 'phone', 'install', 'C98', 'A2');
SELECT agent_id, day FROM appraisal.comeback_agent_days('{X2,X3}', '[]') ORDER BY agent_id, day;
SELECT pg_temp.check_refresh() AS comeback_inserted;
SELECT appraisal.recurred(fcr) AS p2_recurred FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-05-10';

-- The rule of a comeback (came_back): resolved, and the next ticket opened
-- no later than the window after the resolution.  Resolved at 10:00 with a
-- 3-day window: next at 10:00 three days later recurred, a microsecond later
-- not; a next ticket opened before the resolution recurred (gap 0); no next
-- ticket, or not resolved, never; no window, not known (NULL).
SELECT appraisal.came_back('2025-05-05 10:00+00', '2025-05-08 10:00+00', '3 days') AS at_the_end,
       appraisal.came_back('2025-05-05 10:00+00', '2025-05-08 10:00:00.000001+00', '3 days') AS just_after,
       appraisal.came_back('2025-05-05 10:00+00', '2025-05-05 09:00+00', '3 days') AS before_resolution,
       appraisal.came_back('2025-05-05 10:00+00', NULL, '3 days') AS no_next,
       appraisal.came_back(NULL, '2025-05-06 10:00+00', '3 days') AS open,
       appraisal.came_back('2025-05-05 10:00+00', '2025-05-06 10:00+00', NULL) AS no_window;

-- The window counts days of 24 hours, whatever the session's time zone:
-- in New York, where summer time begins on 9 March 2025, X4 opened 72 hours
-- (3 days, the window's end) after P3's resolution pairs with it, though
-- the calendar's 3 days before X4's opening fall an hour after it.
BEGIN;
SET LOCAL timezone = 'America/New_York';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('P3', '2025-03-07 09:00-05', '2025-03-07 09:30-05', '2025-03-07 10:00-05', 1, 'phone', 'install', 'C99', 'A1'),
       ('X4', '2025-03-10 11:00-04', NULL, NULL, NULL, 'phone', 'install', 'C99', 'A2');
SELECT timestamptz '2025-03-10 11:00-04' - timestamptz '2025-03-07 10:00-05' AS gap,
       timestamptz '2025-03-10 11:00-04' - interval '3 days' AS three_calendar_days_before;
SELECT agent_id, day FROM appraisal.comeback_agent_days('{X4}', '[]') ORDER BY agent_id, day;
ROLLBACK;

-- refresh_keys answers for the summaries of tickets alone
\set VERBOSITY sqlstate
SELECT * FROM appraisal.refresh_keys('appraisal.tickets', false, '{}', '{}');
SELECT * FROM appraisal.refresh_keys('appraisal.period_ratings', false, '{}', '{}');
\set VERBOSITY default
SELECT * FROM appraisal.refresh_keys('appraisal.tickets', false, '{}', '{}');
-- Without agent_days (agent_daily adjusted by difference) whole alone, the
-- keys NULL: whole once the tickets logged are more than a tenth of the
-- table's (its statistics say 200,000 here: 20,000 logged are a tenth,
-- 20,001 more)
BEGIN;
DELETE FROM appraisal.refresh_log;
SELECT * FROM appraisal.refresh_keys('appraisal.agent_daily', false, '{}', '{}', false);
UPDATE pg_class SET reltuples = 200000 WHERE oid = 'appraisal.tickets'::regclass;
INSERT INTO appraisal.refresh_log (source, operation, agents, days, tickets)
SELECT 'appraisal.tickets', 'INSERT', '{}', '{}', array_agg('N' || g) FROM generate_series(1, 20000) g;
SELECT whole AS a_tenth FROM appraisal.refresh_keys('appraisal.agent_daily', false, '{}', '{}', false);
INSERT INTO appraisal.refresh_log (source, operation, agents, days, tickets) VALUES ('appraisal.tickets', 'INSERT', '{}', '{}', '{N20001}');
SELECT whole AS more FROM appraisal.refresh_keys('appraisal.agent_daily', false, '{}', '{}', false);
ROLLBACK;

-- A comeback's agent-day holds the tickets of other customers too, and
-- their comebacks must be seen whole when it is recomputed.  On 2025-06-02
-- A1 resolved Q1 (customer C92) at 10:00 and Q2 (C93) at 12:00; C93 came
-- back the next day with Q3 (A2): Q2 recurred, 1 of A1's 2 that day.  Then
-- C92 comes back with Q4 (A2, 2025-06-04 09:00, 47 hours after Q1, within
-- the 3 days): only Q4 is logged; A1's 2025-06-02 is recomputed
-- for Q1's comeback, each of its tickets with its customer's whole history
-- (comeback_agent_days, then agent_daily_rows), and Q2 has recurred still:
-- 2 of 2.
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('Q1', '2025-06-02 09:00+00', '2025-06-02 09:30+00', '2025-06-02 10:00+00', 1, 'phone', 'install', 'C92', 'A1'),
       ('Q2', '2025-06-02 11:00+00', '2025-06-02 11:30+00', '2025-06-02 12:00+00', 1, 'phone', 'install', 'C93', 'A1'),
       ('Q3', '2025-06-03 09:00+00', '2025-06-03 09:10+00', '2025-06-03 09:30+00', 1, 'phone', 'install', 'C93', 'A2');
SELECT pg_temp.check_refresh() AS before_the_comeback;
SELECT appraisal.recurred(fcr), appraisal.resolved(fcr) FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-06-02';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('Q4', '2025-06-04 09:00+00', '2025-06-04 09:10+00', '2025-06-04 09:30+00', 1, 'phone', 'install', 'C92', 'A2');
SELECT tickets AS logged FROM appraisal.refresh_log;
SELECT pg_temp.check_refresh() AS q1_came_back;
SELECT appraisal.recurred(fcr), appraisal.resolved(fcr) FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-06-02';
-- agent_daily_rows given comebacks (what the refresh passes for the
-- tickets written, from keep_recurred_tickets): each ticket's comeback's
-- opening under its id, none for a ticket absent, instead of
-- recurred_tickets.  A1's 2025-06-02: Q1 and Q2 resolved at the first
-- contact; Q1 followed by Q4 47 hours after its resolution, Q2 by Q3 21
-- hours after, both within the 3 days: kept, 2 recurred and none resolved
-- at the first contact; given none, 0 and 2; given Q1's comeback 73 hours
-- after, beyond the window, and Q2's none, 0 and 2; given it exactly 72
-- hours after, the window's end, which counts, 1 and 1; given Q4's alone,
-- 1 and 1; given both as kept, 2 and 0.  Not with versions, which carry
-- their own.
SELECT c.given, appraisal.resolved(r.fcr), appraisal.first_contact_resolved(r.fcr) AS first_contact, appraisal.recurred(r.fcr)
FROM (VALUES (1, 'kept', NULL::jsonb), (2, 'none', '{}'), (3, 'Q1 73 hours after', '{"Q1": "2025-06-05 11:00+00"}'),
             (4, 'Q1 72 hours after', '{"Q1": "2025-06-05 10:00+00"}'), (5, 'Q1 47 hours after', '{"Q1": "2025-06-04 09:00+00"}'),
             (6, 'Q1 47, Q2 21 hours after', '{"Q1": "2025-06-04 09:00+00", "Q2": "2025-06-03 09:00+00"}')) c(n, given, comebacks)
CROSS JOIN LATERAL appraisal.agent_daily_rows('{A1}', '{2025-06-02}', NULL, true, comebacks => c.comebacks) r
ORDER BY c.n;
SELECT * FROM appraisal.agent_daily_rows(NULL, NULL, NULL, true, NULL, '[]', '{}');

-- Comebacks found from the active tickets alone (keep_recurred_tickets
-- without customers: no read of the customers' tickets, comeback_rows not
-- called) when the tickets written were opened after the latest opening
-- seen (L, from earlier tests; the times below are after it), or are
-- active tickets whose resolution changed.  Y1 (A1, C71, repair) opened at
-- L + 1 h, resolved at L + 2 h, and Y2 (A2) opened at L + 25 h, open: Y1
-- recurred (Y2 came 23 hours after, within the 3 days); Y2, open and the
-- last of its pair, is active; the latest opening is Y2's.  Then Y2 is
-- resolved at L + 28 h; Y3 (A1) opens at L + 73 h (45 hours later: Y2
-- recurred) and is resolved at L + 74 h; Y4 (A2) opens 16 days after (Y3
-- did not recur): Y1 and Y2 recurred, Y4 the pair's active ticket, the
-- latest opening Y4's.
SELECT latest_opening AS l0 FROM appraisal.refresh_state \gset
-- (the calls of comeback_rows in this transaction, C71's entries in
-- recurred_tickets and active_tickets and the latest opening, times after L)
CREATE FUNCTION pg_temp.c71(l0 timestamptz) RETURNS TABLE (comeback_rows_calls bigint, recurred text, active text, latest interval)
LANGUAGE sql AS $$
  SELECT (SELECT coalesce(sum(f.calls), 0) FROM pg_stat_xact_user_functions f WHERE f.funcname = 'comeback_rows'),
         (SELECT string_agg(format('%s followed at L + %s', r.ticket_id, r.next_opened_at - l0), ', ' ORDER BY r.ticket_id)
            FROM appraisal.recurred_tickets r WHERE r.customer_id = 'C71'),
         (SELECT string_agg(format('%s resolved %s, followed %s', a.ticket_id, coalesce('at L + ' || (a.resolved_at - l0), 'not yet'),
                                   coalesce('at L + ' || (a.next_opened_at - l0), 'by none')), ', ' ORDER BY a.ticket_id)
            FROM appraisal.active_tickets a WHERE a.customer_id = 'C71'),
         (SELECT s.latest_opening - l0 FROM appraisal.refresh_state s);
$$;
SELECT pg_stat_force_next_flush();
BEGIN;
SET LOCAL track_functions = 'pl';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('Y1', :'l0'::timestamptz + interval '1 hour', :'l0'::timestamptz + interval '90 minutes', :'l0'::timestamptz + interval '2 hours',
        1, 'phone', 'repair', 'C71', 'A1'),
       ('Y2', :'l0'::timestamptz + interval '25 hours', NULL, NULL, NULL, 'phone', 'repair', 'C71', 'A2');
SELECT pg_temp.refresh() AS recomputed;
SELECT * FROM pg_temp.c71(:'l0');
UPDATE appraisal.tickets SET first_response_at = :'l0'::timestamptz + interval '26 hours', resolved_at = :'l0'::timestamptz + interval '28 hours',
                             contacts = 1
WHERE ticket_id = 'Y2';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('Y3', :'l0'::timestamptz + interval '73 hours', :'l0'::timestamptz + interval '73.5 hours', :'l0'::timestamptz + interval '74 hours',
        1, 'phone', 'repair', 'C71', 'A1'),
       ('Y4', :'l0'::timestamptz + interval '74 hours 16 days', NULL, NULL, NULL, 'phone', 'repair', 'C71', 'A2');
SELECT pg_temp.refresh() AS recomputed;
SELECT * FROM pg_temp.c71(:'l0');
SELECT coalesce(string_agg(format('%s: %s', summary, differing), ', ') FILTER (WHERE differing <> 0), 'all equal') AS extended
FROM pg_temp.differing_rows();
COMMIT;

-- An open ticket followed by later ones stays active.  Z1 (C72, repair,
-- A1) opens at L + 1 h (L: the latest opening now) and stays open; Z2 (A2)
-- opens at L + 2 h and is resolved at L + 3 h: Z1 is followed at L + 2 h,
-- Z2 is the pair's last.  Then Z3 (A1) opens at L + 30 h: Z2 recurred (27
-- hours after its resolution, within the 3 days) and, followed, leaves the
-- active tickets; Z1, open, stays, still followed at L + 2 h; Z3 is the last.
-- Both refreshes from the active tickets alone (comeback_rows not called).
SELECT latest_opening AS l1 FROM appraisal.refresh_state \gset
SELECT pg_stat_force_next_flush();
BEGIN;
SET LOCAL track_functions = 'pl';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('Z1', :'l1'::timestamptz + interval '1 hour', NULL, NULL, NULL, 'phone', 'repair', 'C72', 'A1'),
       ('Z2', :'l1'::timestamptz + interval '2 hours', :'l1'::timestamptz + interval '150 minutes', :'l1'::timestamptz + interval '3 hours',
        1, 'phone', 'repair', 'C72', 'A2');
SELECT pg_temp.refresh() AS recomputed;
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('Z3', :'l1'::timestamptz + interval '30 hours', NULL, NULL, NULL, 'phone', 'repair', 'C72', 'A1');
SELECT pg_temp.refresh() AS recomputed;
SELECT a.ticket_id, a.resolved_at - :'l1' AS resolved, a.next_opened_at - :'l1' AS followed
FROM appraisal.active_tickets a WHERE a.customer_id = 'C72' ORDER BY a.ticket_id;
SELECT r.ticket_id, r.next_opened_at - :'l1' AS followed FROM appraisal.recurred_tickets r WHERE r.customer_id = 'C72';
SELECT coalesce(sum(f.calls), 0) AS comeback_rows_calls FROM pg_stat_xact_user_functions f WHERE f.funcname = 'comeback_rows';
SELECT coalesce(string_agg(format('%s: %s', summary, differing), ', ') FILTER (WHERE differing <> 0), 'all equal') AS open_kept
FROM pg_temp.differing_rows();
ROLLBACK;

-- A resolved ticket whose resolution alone changed: an active one is found
-- among the active tickets (one scan of them, which have no index) and the
-- comebacks from them alone; one no longer active has its customer's
-- tickets read.  W1 (C73, repair, A1) opens at L + 1 h and is resolved at
-- L + 2 h, the last of its pair: active.  Its resolution moved to L + 5 h:
-- still active, from the active tickets alone (no call of comeback_rows).
-- W2 (A2) opens at L + 50 h: W1 recurred (45 hours after its resolution,
-- within the 3 days) and, followed, leaves them, again with no call.  W1's
-- resolution moved to L + 6 h: not active, so C73's tickets are read
-- (comeback_rows called once); W1 still recurred, 44 hours after.  Each
-- refresh equal to the definitions.
SELECT latest_opening AS l2 FROM appraisal.refresh_state \gset
SELECT pg_stat_force_next_flush();
BEGIN;
SET LOCAL track_functions = 'pl';
-- (the calls of comeback_rows by the refresh since the last look, C73's
-- entries, and whether every summary equals its definition, whose check
-- calls comeback_rows too)
CREATE FUNCTION pg_temp.c73(l2 timestamptz, OUT comeback_rows_calls bigint, OUT recurred text, OUT active text, OUT equal text)
LANGUAGE plpgsql AS $$
DECLARE
  seen constant bigint := coalesce(nullif(current_setting('test.comeback_rows_calls', true), '')::bigint, 0);
BEGIN
  comeback_rows_calls := (SELECT coalesce(sum(f.calls), 0) FROM pg_stat_xact_user_functions f WHERE f.funcname = 'comeback_rows') - seen;
  recurred := (SELECT string_agg(format('%s followed %s after its resolution', r.ticket_id, r.next_opened_at - t.resolved_at), ', ')
                 FROM appraisal.recurred_tickets r JOIN appraisal.tickets t USING (ticket_id) WHERE r.customer_id = 'C73');
  active := (SELECT string_agg(format('%s resolved %s', a.ticket_id, coalesce('at L + ' || (a.resolved_at - l2), 'not yet')), ', ' ORDER BY a.ticket_id)
               FROM appraisal.active_tickets a WHERE a.customer_id = 'C73');
  equal := (SELECT coalesce(string_agg(format('%s: %s', d.summary, d.differing), ', ') FILTER (WHERE d.differing <> 0), 'all equal')
              FROM pg_temp.differing_rows() d);
  PERFORM set_config('test.comeback_rows_calls',
                     (SELECT coalesce(sum(f.calls), 0) FROM pg_stat_xact_user_functions f WHERE f.funcname = 'comeback_rows')::text, true);
END
$$;
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('W1', :'l2'::timestamptz + interval '1 hour', :'l2'::timestamptz + interval '90 minutes', :'l2'::timestamptz + interval '2 hours',
        1, 'phone', 'repair', 'C73', 'A1');
SELECT pg_temp.refresh() AS recomputed;
SELECT pg_stat_force_next_flush();
UPDATE appraisal.tickets SET resolved_at = :'l2'::timestamptz + interval '5 hours' WHERE ticket_id = 'W1';
SELECT pg_temp.refresh() AS recomputed;
SELECT * FROM pg_temp.c73(:'l2');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, customer_id, agent_id)
VALUES ('W2', :'l2'::timestamptz + interval '50 hours', NULL, NULL, NULL, 'phone', 'repair', 'C73', 'A2');
SELECT pg_temp.refresh() AS recomputed;
SELECT * FROM pg_temp.c73(:'l2');
UPDATE appraisal.tickets SET resolved_at = :'l2'::timestamptz + interval '6 hours' WHERE ticket_id = 'W1';
SELECT pg_temp.refresh() AS recomputed;
SELECT * FROM pg_temp.c73(:'l2');
ROLLBACK;

-- category_daily counts tickets per category and day, with their
-- complaints and causes: of an update, it recomputes only the days of the
-- tickets it moved (another category, opening, customer, cause or complaint
-- flag), before and after.  A late resolution of Q1 and Q2 given to A2 leave
-- install on 2025-06-02 as the refresh before wrote it (its as_of), while
-- agent_daily recomputes A1's day.  Q2 made a service-caused complaint: 2
-- tickets, 1 complaint, 1 service-caused.  Q2 moved to 2025-06-05: 1
-- ticket and no complaint left on 2025-06-02; 1 ticket, 1 service-caused
-- complaint on 2025-06-05.
SELECT as_of AS install_0602_as_of FROM appraisal.category_daily WHERE category = 'install' AND day = '2025-06-02' \gset
UPDATE appraisal.tickets SET resolved_at = resolved_at + interval '1 hour' WHERE ticket_id = 'Q1';
UPDATE appraisal.tickets SET agent_id = 'A2' WHERE ticket_id = 'Q2';
SELECT operation, moved FROM appraisal.refresh_log ORDER BY id;
SELECT pg_temp.check_refresh() AS resolved_late;
SELECT (SELECT as_of FROM appraisal.category_daily WHERE category = 'install' AND day = '2025-06-02') = :'install_0602_as_of' AS category_day_kept,
       (SELECT as_of FROM appraisal.agent_daily WHERE agent_id = 'A1' AND day = '2025-06-02') > :'install_0602_as_of' AS agent_day_recomputed;
SELECT clock_timestamp() AS before_complaint \gset
UPDATE appraisal.tickets SET complaint = true, cause = 'service' WHERE ticket_id = 'Q2';
SELECT operation, jsonb_array_length(moved) AS versions FROM appraisal.refresh_log ORDER BY id;
SELECT pg_temp.check_refresh() AS made_a_complaint;
SELECT day, tickets, complaints, service_complaints, system_complaints, as_of > :'before_complaint' AS recomputed
FROM appraisal.category_daily WHERE category = 'install' AND day BETWEEN '2025-06-02' AND '2025-06-05' ORDER BY day;
UPDATE appraisal.tickets SET opened_at = opened_at + interval '3 days', first_response_at = first_response_at + interval '3 days',
       resolved_at = resolved_at + interval '3 days' WHERE ticket_id = 'Q2';
SELECT pg_temp.check_refresh() AS moved_to_another_day;
SELECT day, tickets, complaints, service_complaints, system_complaints
FROM appraisal.category_daily WHERE category = 'install' AND day BETWEEN '2025-06-02' AND '2025-06-05' ORDER BY day;

-- Tickets only inserted are added to their days' counts: no day is read
-- again (category_daily_rows called once, for the tickets inserted; no row
-- of category_daily deleted: 06-05's updated, 06-06's inserted).  Q5, a
-- system-caused complaint on 2025-06-05, and Q6 on 2025-06-06, a day
-- without a row: 06-05 has 2 tickets, 2 complaints, 1 service-caused (Q2)
-- and 1 system-caused; 06-06 1 ticket.  Q8, opened tomorrow, counts from
-- the refresh after its opening.  Then Q7, inserted on 06-04 and deleted
-- before the refresh: its day is read again, 1 ticket still.  (The counts
-- of rows written kept by this backend are sent first: on PostgreSQL 15
-- those of this transaction would otherwise hold the earlier ones not sent
-- yet.)
SELECT pg_stat_force_next_flush();
BEGIN;
SET LOCAL track_functions = 'pl';
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, customer_id, agent_id, complaint, cause) VALUES
  ('Q5', '2025-06-05 10:00+00', 'phone', 'install', 'C94', 'A1', true, 'system'),
  ('Q6', '2025-06-06 09:00+00', 'phone', 'install', 'C95', 'A2', false, NULL),
  ('Q8', now() + interval '1 day', 'phone', 'install', 'C95', 'A2', false, NULL);
SELECT mode FROM appraisal.refresh_scorecards() WHERE materialized_view = 'appraisal.category_daily';
SELECT coalesce(sum(calls), 0) AS category_daily_rows_calls FROM pg_stat_xact_user_functions WHERE funcname = 'category_daily_rows';
SELECT n_tup_ins AS inserted, n_tup_upd AS updated, n_tup_del AS deleted
FROM pg_stat_xact_user_tables WHERE relid = 'appraisal.category_daily'::regclass;
SELECT day, tickets, complaints, service_complaints, system_complaints
FROM appraisal.category_daily WHERE category = 'install' AND day BETWEEN '2025-06-04' AND '2025-06-06' ORDER BY day;
SELECT count(*) AS rows_after_today FROM appraisal.category_daily WHERE day > current_date;
SELECT coalesce(string_agg(format('%s: %s', summary, differing), ', ') FILTER (WHERE differing <> 0), 'all equal') AS added
FROM pg_temp.differing_rows();
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, customer_id, agent_id) VALUES
  ('Q7', '2025-06-04 12:00+00', 'phone', 'install', 'C96', 'A2');
DELETE FROM appraisal.tickets WHERE ticket_id = 'Q7';
SELECT pg_temp.check_refresh() AS inserted_and_deleted;
SELECT day, tickets FROM appraisal.category_daily WHERE category = 'install' AND day = '2025-06-04';
ROLLBACK;

-- summary_events passes over the tickets that have no event left after
-- `after` by comparing timestamps alone; the end of a call-back window, in
-- calendar arithmetic, is still found (pending until one microsecond
-- after it), when it is further than the window's plain length: a month
-- after 15 January is 15 February, 31 days, and a week after 30 October in
-- New York is 6 November, 7 × 24 hours and one (daylight saving time ends
-- on 2 November).
BEGIN;
SET LOCAL timezone = 'America/New_York';
INSERT INTO appraisal.settings (name, value) VALUES ('call_back_window', '1 mon');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id) VALUES
  ('W1', '2025-01-15 09:00', '2025-01-15 09:30', '2025-01-15 10:00', 1, 'phone', 'install', 'A1'),
  ('W2', '2025-10-30 09:00', '2025-10-30 09:30', '2025-10-30 10:00', 1, 'phone', 'install', 'A1');
SELECT day, at FROM appraisal.summary_events('2025-02-15 09:59:59', '{W1}');
SELECT count(*) AS none_after_the_end FROM appraisal.summary_events('2025-02-15 10:00:00.000001', '{W1}');
UPDATE appraisal.settings SET value = '7 days' WHERE name = 'call_back_window';
SELECT day, at FROM appraisal.summary_events('2025-11-06 09:59:59', '{W2}');
SELECT count(*) AS none_after_the_end FROM appraisal.summary_events('2025-11-06 10:00:00.000001', '{W2}');
-- A call made after `after` is an event: W1 called back on 20 February.
-- Left out with calls false (for tickets whose calls were not written since
-- the instant kept).  The ticket read at its address (ticket_rows) has the
-- same events as found by its id: after 20 January 09:59:59, the end of its
-- week's window (22 January 10:00 and a microsecond) and the call.
INSERT INTO appraisal.call_backs (ticket_id, called_at) VALUES ('W1', '2025-02-20 10:00');
SELECT at AS with_calls FROM appraisal.summary_events('2025-02-15 10:00:00.000001', '{W1}');
SELECT count(*) AS without_calls FROM appraisal.summary_events('2025-02-15 10:00:00.000001', '{W1}', calls => false);
-- (calls NULL counts them, as the default: the call's event, not none)
SELECT at AS calls_null FROM appraisal.summary_events('2025-02-15 10:00:00.000001', '{W1}', calls => NULL);
SELECT day, at, at IN (SELECT e.at FROM appraisal.summary_events('2025-01-20 09:59:59', '{W1}') e) AS found_by_id
FROM appraisal.summary_events('2025-01-20 09:59:59', '{W1}', ticket_rows => ARRAY(SELECT ctid FROM appraisal.tickets WHERE ticket_id = 'W1'))
ORDER BY at;
SELECT count(*) AS by_id FROM appraisal.summary_events('2025-01-20 09:59:59', '{W1}');
ROLLBACK;

-- A refresh analyzes again those of them written since their last
-- analysis, and no other: an employee added (the statistics collector told
-- at once) has employees analyzed, periods not.
SELECT coalesce(last_analyze::text, 'never') AS employees_analyzed FROM pg_stat_user_tables WHERE relid = 'appraisal.employees'::regclass \gset
SELECT coalesce(last_analyze::text, 'never') AS periods_analyzed FROM pg_stat_user_tables WHERE relid = 'appraisal.periods'::regclass \gset
INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id) VALUES ('A8', 'Sun Li', 'specialist', 'north', 'M1');
SELECT pg_stat_force_next_flush();
INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id) VALUES ('S1', now() - interval '1 hour', 'phone', 'install', 'A8');
SELECT pg_temp.refresh() AS recomputed;
SELECT (SELECT coalesce(last_analyze::text, 'never') <> :'employees_analyzed' FROM pg_stat_user_tables WHERE relid = 'appraisal.employees'::regclass)
         AS employees_analyzed_again,
       (SELECT coalesce(last_analyze::text, 'never') = :'periods_analyzed' FROM pg_stat_user_tables WHERE relid = 'appraisal.periods'::regclass)
         AS periods_left;

-- The refresh plans its statements for the arrays of keys it is given at
-- every call, in a session that has refreshed many times too: a generic
-- plan (PL/pgSQL's choice after five calls) takes an array for a few
-- elements and compares each id with every element (60: at 10M tickets a
-- refresh after a day of tickets took 2.2 s instead of 0.86 s so).
SELECT p.oid::regprocedure AS function, 'plan_cache_mode=force_custom_plan' = ANY (p.proconfig) AS custom_plans
FROM pg_proc p
WHERE p.oid IN ('appraisal.refresh_scorecards(boolean)'::regprocedure,
                'appraisal.keep_recurred_tickets(text[], text[], tid[], text[])'::regprocedure)
ORDER BY 1::text;

-- The comebacks in parts, as a full refresh computes them on one node (60:
-- one part a parallel worker): each part the customers of a share of a
-- hash of their ids, every customer in one part alone, and the parts
-- together the same rows as one part, with the active tickets from an
-- instant or, without one, as a full refresh keeps them: from the latest
-- opening of a customer's ticket less the repeat window.
SELECT count(*) AS tickets_with_customers FROM appraisal.comeback_rows(NULL, NULL);
SELECT n AS parts, a.active_from,
       (SELECT count(*) FROM (SELECT * FROM appraisal.comeback_rows_in_parts(a.active_from, n)
                              EXCEPT ALL SELECT * FROM appraisal.comeback_rows(NULL, NULL, NULL, k.active_from)) x)
     + (SELECT count(*) FROM (SELECT * FROM appraisal.comeback_rows(NULL, NULL, NULL, k.active_from)
                              EXCEPT ALL SELECT * FROM appraisal.comeback_rows_in_parts(a.active_from, n)) y) AS differing
FROM generate_series(1, 4) n, (VALUES (NULL::timestamptz), ('2025-01-15 00:00+00')) a(active_from),
     LATERAL (SELECT coalesce(a.active_from, max(t.opened_at) - (SELECT repeat_window FROM appraisal.scorecard_parameters())) AS active_from
                FROM appraisal.tickets t WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system') k
ORDER BY 2 NULLS FIRST, 1;
SELECT count(*) AS customers, count(*) FILTER (WHERE x.parts = 1) AS in_one_part, count(DISTINCT x.first_part) AS parts_used
FROM (SELECT c.customer_id, count(DISTINCT p) AS parts, min(p) AS first_part
        FROM generate_series(0, 2) p, appraisal.comeback_rows(NULL, NULL, NULL, NULL, p, 3) c
       GROUP BY c.customer_id) x;
SELECT count(*) FROM appraisal.comeback_rows_in_parts(NULL, 0);
-- a part outside the parts is refused, not empty
SELECT count(*) FROM appraisal.comeback_rows(NULL, NULL, NULL, NULL, 3, 3);
SELECT count(*) FROM appraisal.comeback_rows(NULL, NULL, NULL, NULL, -1, 3);
SELECT count(*) FROM appraisal.comeback_rows(NULL, NULL, NULL, NULL, 0, 0);
-- A full refresh keeps the same comebacks and summaries in parts (three
-- workers: three parts) as in one window (one worker, or none).
SELECT w AS workers, (SELECT count(*) FROM appraisal.refresh_scorecards(full => true) WHERE mode = 'full') AS recomputed,
       (SELECT sum(d.differing) FROM pg_temp.differing_rows() d) AS differing
FROM (VALUES (3), (1), (0)) v(w), LATERAL (SELECT set_config('max_parallel_workers_per_gather', w::text, false)) s;
RESET max_parallel_workers_per_gather;

-- tickets_at, how the summaries' functions read the tickets a changed
-- refresh recomputes: the rows at the addresses given, each once however
-- often given, none for an address with no row; planned for as many rows
-- as addresses (3 here, where a function is otherwise expected to return
-- its ROWS); and a TID scan even where the planner would rather scan every
-- ticket (a page read from disk costed 40,000 times a sequential one):
-- the same condition outside it scans the table.
SELECT array_agg(t.ticket_id ORDER BY t.ticket_id) AS tickets, count(*) AS rows,
       (SELECT array_agg(u.ticket_id ORDER BY u.ticket_id) FROM (SELECT ticket_id FROM appraisal.tickets ORDER BY 1 LIMIT 2) u) AS first_two
FROM appraisal.tickets_at(ARRAY(SELECT u.ctid FROM appraisal.tickets u ORDER BY u.ticket_id LIMIT 2)
                          || ARRAY(SELECT u.ctid FROM appraisal.tickets u ORDER BY u.ticket_id LIMIT 1)
                          || '(4294967294,1)'::tid) t;
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan;
  RETURN plan -> 0 -> 'Plan';
END
$$;
SELECT p ->> 'Node Type' AS node, p ->> 'Plan Rows' AS planned_rows
FROM pg_temp.plan_of($$SELECT * FROM appraisal.tickets_at('{"(0,1)","(0,2)","(0,3)"}')$$) p;
CREATE TEMP TABLE every_address AS SELECT array_agg(ctid) AS addresses, count(*) AS tickets FROM appraisal.tickets;
BEGIN;
SET LOCAL random_page_cost = 40000;
-- (the scans of tickets counted so far by this session, not yet reported)
CREATE TEMP TABLE scans_before ON COMMIT DROP AS
SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'appraisal.tickets'::regclass;
SELECT count(*) = (SELECT tickets FROM every_address) AS every_ticket_read
FROM appraisal.tickets_at((SELECT addresses FROM every_address));
SELECT x.seq_scan - b.seq_scan AS scans_of_every_ticket
FROM pg_stat_xact_user_tables x, scans_before b WHERE x.relid = 'appraisal.tickets'::regclass;
SELECT count(*) = (SELECT tickets FROM every_address) AS every_ticket_read
FROM appraisal.tickets u WHERE u.ctid = ANY ((SELECT addresses FROM every_address)::tid[]);
SELECT x.seq_scan - b.seq_scan AS scans_of_every_ticket
FROM pg_stat_xact_user_tables x, scans_before b WHERE x.relid = 'appraisal.tickets'::regclass;
ROLLBACK;
-- no address (NULL, none, a NULL one): no row
SELECT (SELECT count(*) FROM appraisal.tickets_at(NULL)) AS of_null,
       (SELECT count(*) FROM appraisal.tickets_at('{}')) AS of_none,
       (SELECT count(*) FROM appraisal.tickets_at('{NULL}')) AS of_a_null;
-- it reads the tickets with the caller's rights: a role that may not read
-- them reads none through it
CREATE ROLE tickets_at_outsider;
GRANT USAGE ON SCHEMA appraisal TO tickets_at_outsider;
SET ROLE tickets_at_outsider;
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.tickets_at('{"(0,1)","(0,2)"}')$$);
RESET ROLE;
DROP OWNED BY tickets_at_outsider;
DROP ROLE tickets_at_outsider;
