-- 42: what changed since the summaries were computed.  A summary (40, 41)
-- changes only when a table it reads changes, or when time alone moves one
-- of its figures (a pending SLA item falls overdue at its due time, a ticket
-- resolved "in the future" counts once that time comes, a call-back window
-- closes).  Every statement that writes such a table leaves a row in
-- refresh_log, and refresh_scorecards() (60) keeps in refresh_state the
-- first instant after its run at which time alone changes a figure: with no
-- row in the log and that instant not reached, the summaries are exactly
-- what a full refresh would compute, and the refresh has nothing to do.
-- The rows of tickets, survey responses, call-backs and inspections written
-- are logged too, as the agent-days they belong to (the statement's
-- transition tables): refresh_scorecards() recomputes those agent-days
-- only, and the ones whose figures time has moved (summary_events).
--
-- The triggers are created here, with the log, on every table the summaries
-- read (the one other part that adds triggers to tables of earlier parts is
-- 21_settings.sql): statement-level triggers, so that a COPY of a million
-- tickets writes one row to the log, not a million.  TRUNCATE has a
-- trigger of its own (log_summary_change) on every table: on a Citus
-- cluster it fires on the coordinator, the others on the nodes' shards.

CREATE TABLE appraisal.refresh_log (
  logged_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  source    text NOT NULL,
  operation text NOT NULL CONSTRAINT "operation must be a kind of write" CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')),
  agents    text[],
  days      date[] CONSTRAINT "agents and days pair up" CHECK (cardinality(days) = cardinality(agents) AND (days IS NULL) = (agents IS NULL)),
  moved     jsonb,
  tickets   text[],
  zone      text,
  id        bigint GENERATED ALWAYS AS IDENTITY,
  before    jsonb
);
-- A load's tickets stored as they are: compressing the million ids of a
-- COPY took a writer 0.7 s, storing them 0.3 s (0.3-0.5 s for the
-- agent-days logged before).  The rows live until the next refresh.
ALTER TABLE appraisal.refresh_log ALTER COLUMN tickets SET STORAGE EXTERNAL;
COMMENT ON TABLE appraisal.refresh_log IS
  'One row per statement that wrote a table the summaries read since the last refresh (statement-level triggers; a statement that changed no row is logged too). refresh_scorecards() deletes the rows its refresh has seen. Written by the triggers with the owner''s rights; read through appraisal.refresh_status. Not dumped: after a restore the summaries are refreshed in full anyway.';
COMMENT ON COLUMN appraisal.refresh_log.logged_at IS 'When the statement started.';
COMMENT ON COLUMN appraisal.refresh_log.source IS 'Table written (schema-qualified).';
COMMENT ON COLUMN appraisal.refresh_log.operation IS 'INSERT, UPDATE, DELETE or TRUNCATE (COPY logs as INSERT).';
COMMENT ON COLUMN appraisal.refresh_log.agents IS 'With days: for tickets updated or deleted, the agent-days (agents[i] on days[i], the day the ticket was opened in the report time zone) of the rows written, before and after; for tickets inserted, survey responses, call-backs and inspections empty (see tickets); NULL: not known per agent-day (a TRUNCATE, a setting, a policy, a calendar, a 360 review, an update or delete of more than 100,000 tickets): every row of the summaries that read the table.';
COMMENT ON COLUMN appraisal.refresh_log.days IS 'The days of those agent-days (see agents).';
COMMENT ON COLUMN appraisal.refresh_log.tickets IS 'For tickets inserted, and for survey responses, call-backs and inspections: the tickets whose rows were written; the refresh finds their agent-days in its own snapshot (a ticket may move to another agent or day meanwhile). For tickets updated: the tickets, whose first events after the refresh it looks up (appraisal.next_summary_change); their agent-days are in agents and days. NULL otherwise.';
COMMENT ON COLUMN appraisal.refresh_log.zone IS 'The report time zone the days were computed in (NULL: no day logged); a row with days logged in another zone than the current one makes the refresh recompute everything.';
COMMENT ON COLUMN appraisal.refresh_log.id IS 'Number of the row in this node''s log (on a Citus cluster the coordinator takes the workers'' rows by their numbers: appraisal.take_node_logs).';
COMMENT ON COLUMN appraisal.refresh_log.before IS 'For tickets updated or deleted (but in a mass update or delete, logged without agent-days): every row as it was before the statement (JSON array of the rows of appraisal.tickets). refresh_scorecards() takes from each ticket''s first logged version what it counted for in agent_daily, and adds what it counts for now. NULL otherwise.';
COMMENT ON COLUMN appraisal.refresh_log.moved IS 'For tickets updated or deleted: the customer, category and opening of each one that went, and of each one that moved (its opening, customer, category, cause or complaint flag changed) before and after (JSON array; NULL when none). The earlier tickets of those customers may now come back differently (agent_daily), and those days'' counts per category have changed (category_daily); an update that moved no ticket leaves category_daily as it was.';

-- One row: the last refresh and when time alone next changes a summary.
-- -infinity: not known (a new installation, an update): refresh.
CREATE TABLE appraisal.refresh_state (
  only_row       boolean PRIMARY KEY DEFAULT true CONSTRAINT "refresh_state has one row" CHECK (only_row),
  refreshed_at   timestamptz,
  next_change_at timestamptz NOT NULL,
  checked_at     timestamptz,
  node_logs_taken jsonb NOT NULL DEFAULT '{}',
  latest_opening timestamptz,
  summary_rows   jsonb NOT NULL DEFAULT '{}'
);
INSERT INTO appraisal.refresh_state (refreshed_at, next_change_at) VALUES (NULL, '-infinity');
-- Everyone may read whether the summaries were computed (the scorecards
-- check that they were: summaries_ready); only the refresh writes it.
GRANT SELECT (refreshed_at) ON appraisal.refresh_state TO PUBLIC;
COMMENT ON TABLE appraisal.refresh_state IS
  'The one row refresh_scorecards() keeps: when the summaries were last computed and the first instant after that at which time alone changes one of their figures (appraisal.next_summary_change). Its refreshed_at is readable by everyone (the scorecards check that the summaries were computed: appraisal.summaries_ready); appraisal.refresh_status tells more.';
COMMENT ON COLUMN appraisal.refresh_state.only_row IS 'Always true: the table has one row.';
COMMENT ON COLUMN appraisal.refresh_state.refreshed_at IS 'The last refresh that recomputed a summary (its transaction''s start: the as_of of the rows it recomputed; a summary it left unchanged keeps an earlier as_of); NULL before the first.';
COMMENT ON COLUMN appraisal.refresh_state.checked_at IS 'When a refresh last checked the data''s health (appraisal.data_health): after a summary recomputed whole, else at most once an hour; NULL before the first.';
COMMENT ON COLUMN appraisal.refresh_state.latest_opening IS 'On one node, the latest opening of a ticket of a customer (system-caused complaints left out) the refresh has seen: a ticket opened later is the last of its customer and category, whose comebacks a changed refresh finds in appraisal.active_tickets (keep_recurred_tickets). NULL before the first refresh, or with no such ticket.';
COMMENT ON COLUMN appraisal.refresh_state.summary_rows IS 'Per summary (its name) the rows it had after the last refresh that recomputed it, as refresh_scorecards() returned them: a changed refresh of agent_daily, agent_daily_csat or agent_daily_follow_up on one node adds the rows it inserted less those it deleted, rather than counting them. {} before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_state.node_logs_taken IS 'On a Citus cluster: per worker (its group id) the numbers of the rows of its refresh_log the last refresh took into the coordinator''s (appraisal.take_node_logs); the next one deletes them there. {} on one node.';
COMMENT ON COLUMN appraisal.refresh_state.next_change_at IS 'First instant after refreshed_at at which time alone changes a summary; infinity: none; -infinity: not known, the next refresh computes.';

-- Whether the summaries have been computed: the views that read them call
-- it (a pseudo-constant condition, evaluated once per query), so that a
-- scorecard read before the first refresh fails instead of showing the
-- numbers of empty tables.
CREATE FUNCTION appraisal.summaries_ready() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM appraisal.refresh_state WHERE refreshed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'the scorecards'' summaries have not been computed yet'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Run SELECT * FROM appraisal.refresh_scorecards(); once after an installation or a restore (appraisal_admin), then on a schedule: SELECT appraisal.schedule_refresh(''* * * * *'');';
  END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION appraisal.summaries_ready() IS
  'True once refresh_scorecards() has computed the summaries; before (after an installation or a restore) an error (55000) saying to run it. The views that read the summaries call it, so that a scorecard never shows the numbers of empty summaries.';

-- The table a trigger fired on, as the log names it.  On a Citus cluster
-- (62_citus.sql) the triggers fire on the shards, each named after its
-- table with _<shard id> appended, and on each node's copy of a reference
-- table: logged as the table.  (By the names the trigger is given: Citus
-- hides the shards from pg_class.)
CREATE FUNCTION appraisal.logged_table(schema_name name, table_name name) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT format('%I.%I', schema_name,
                CASE WHEN s.base IS NULL THEN table_name
                     WHEN to_regclass(format('%I.%I', schema_name, s.base)) IS NOT NULL THEN s.base
                     ELSE table_name END)
  FROM (SELECT substring(table_name FROM '^(.*)_[0-9]+$') AS base) s;
END;
COMMENT ON FUNCTION appraisal.logged_table(name, name) IS
  'The schema-qualified name under which appraisal.refresh_log logs a write to the table schema_name.table_name: its own, or for a Citus shard (the table''s name followed by _ and the shard''s number) its table''s.';

CREATE FUNCTION appraisal.log_summary_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO appraisal.refresh_log (source, operation)
  VALUES (appraisal.logged_table(TG_TABLE_SCHEMA, TG_TABLE_NAME), TG_OP);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.log_summary_change() IS
  'Statement-level trigger on the tables the summaries read that are not logged per agent-day (360 reviews, settings, SLA policies, calendars) and on TRUNCATE of the others: logs the statement in appraisal.refresh_log (with the owner''s rights, so that a writer needs no right on the log), for every row to be recomputed.';
REVOKE ALL ON FUNCTION appraisal.log_summary_change() FROM PUBLIC;

-- What a statement wrote on tickets.  An insert: the tickets (their ids;
-- the refresh finds their agent-days in its own snapshot, where they may
-- since have moved), cheaper for a load than their agent-days.  An update:
-- the agent-days of the rows before and after, in the report time zone as
-- the summaries count them (a change of that setting is logged apart and
-- recomputes everything), and the tickets (their events: 60, the next
-- change).  A delete: the agent-days of the rows.  Of an update or delete
-- also the tickets that went, and those that moved to another customer,
-- category, opening, cause or complaint flag, before and after.  An update
-- or delete of more than 100,000 tickets is logged without them (every row
-- is recomputed).
CREATE FUNCTION appraisal.log_ticket_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT report_time_zone FROM appraisal.scorecard_parameters());
  -- the rows of an update or delete, before and after (a delete has only
  -- the old ones; an insert is logged by its tickets alone)
  written constant text := CASE TG_OP WHEN 'UPDATE' THEN 'TABLE new_rows UNION ALL TABLE old_rows'
                                      WHEN 'DELETE' THEN 'TABLE old_rows' END;
  ids text[];
  agents text[];
  days date[];
  moved jsonb;
  before jsonb;
  mass boolean := false;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    EXECUTE 'SELECT count(*) > 100000 FROM old_rows' INTO mass;
  END IF;
  IF TG_OP <> 'DELETE' AND NOT mass THEN
    EXECUTE 'SELECT coalesce(array_agg(w.ticket_id), ''{}'') FROM new_rows w' INTO ids;
  END IF;
  -- a mass update or delete is logged without its agent-days (every row is
  -- recomputed) rather than with a list as long as the statement
  IF TG_OP = 'INSERT' THEN
    agents := '{}';
    days := '{}';
  ELSIF NOT mass THEN
    EXECUTE format('SELECT coalesce(array_agg(k.agent_id), ''{}''), coalesce(array_agg(k.day), ''{}'')
                    FROM (SELECT DISTINCT w.agent_id, appraisal.local_day(w.opened_at, $1) AS day FROM (%s) w) k', written)
      INTO agents, days USING report_zone;
    -- the tickets that went, and both versions of those that moved to
    -- another customer, category, opening, cause or complaint flag
    EXECUTE format('SELECT jsonb_agg(jsonb_build_object(''customer_id'', o.customer_id, ''category'', o.category, ''opened_at'', o.opened_at))
                      FROM (%s) o',
                     CASE TG_OP WHEN 'UPDATE' THEN
                       '(SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM old_rows
                         EXCEPT SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM new_rows)
                        UNION ALL
                        (SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM new_rows
                         EXCEPT SELECT ticket_id, customer_id, category, opened_at, cause, complaint FROM old_rows)'
                       ELSE 'SELECT customer_id, category, opened_at FROM old_rows' END)
      INTO moved;
    -- the rows as they were, whose contributions the refresh takes out
    EXECUTE 'SELECT coalesce(jsonb_agg(to_jsonb(o)), ''[]'') FROM old_rows o' INTO before;
  END IF;
  INSERT INTO appraisal.refresh_log (source, operation, agents, days, moved, tickets, zone, before)
  VALUES ('appraisal.tickets', TG_OP, agents, days, moved, ids, CASE WHEN TG_OP <> 'INSERT' THEN report_zone END, before);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.log_ticket_change() IS
  'Statement-level trigger on appraisal.tickets (with its transition tables): logs in appraisal.refresh_log the tickets inserted or updated, the agent-days of the rows updated or deleted, before and after, those rows as they were, and the tickets that went or moved, with the owner''s rights.';
REVOKE ALL ON FUNCTION appraisal.log_ticket_change() FROM PUBLIC;

-- The tickets whose survey responses, call-backs or inspections a statement
-- wrote; the refresh finds their agent-days in its own snapshot, where a
-- ticket may since have moved to another agent or day.
CREATE FUNCTION appraisal.log_follow_up_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  written constant text := CASE TG_OP WHEN 'INSERT' THEN 'SELECT ticket_id FROM new_rows'
                                      WHEN 'UPDATE' THEN 'SELECT ticket_id FROM new_rows UNION SELECT ticket_id FROM old_rows'
                                      ELSE 'SELECT ticket_id FROM old_rows' END;
  ids text[];
BEGIN
  EXECUTE format('SELECT coalesce(array_agg(DISTINCT w.ticket_id), ''{}'') FROM (%s) w', written) INTO ids;
  INSERT INTO appraisal.refresh_log (source, operation, agents, days, tickets)
  VALUES (appraisal.logged_table(TG_TABLE_SCHEMA, TG_TABLE_NAME), TG_OP, '{}', '{}', ids);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.log_follow_up_change() IS
  'Statement-level trigger on appraisal.survey_responses, call_backs and quality_inspections (with their transition tables): logs in appraisal.refresh_log the tickets whose rows were written, with the owner''s rights.';
REVOKE ALL ON FUNCTION appraisal.log_follow_up_change() FROM PUBLIC;

CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.tickets
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.tickets REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_ticket_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.tickets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_ticket_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.tickets REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_ticket_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.survey_responses
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.survey_responses REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.survey_responses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.survey_responses REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.call_backs
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.call_backs REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.call_backs REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.call_backs REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.quality_inspections
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_insert AFTER INSERT ON appraisal.quality_inspections REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_update AFTER UPDATE ON appraisal.quality_inspections REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_delete AFTER DELETE ON appraisal.quality_inspections REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_follow_up_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.reviews_360
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.reviews_360
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.settings
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.settings
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_write AFTER INSERT OR UPDATE OR DELETE ON appraisal.business_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER TRUNCATE ON appraisal.business_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
-- ALWAYS: logged also in a session whose session_replication_role is
-- replica.  (Logical replication's apply worker fires no statement-level
-- trigger for the rows it applies: a subscriber refreshes with full =>
-- true; docs/operations.md.)
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_insert;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_update;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_delete;
ALTER TABLE appraisal.reviews_360 ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.reviews_360 ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.settings ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.settings ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.sla_policies ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.sla_policies ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.business_calendars ENABLE ALWAYS TRIGGER log_summary_write;
ALTER TABLE appraisal.business_calendars ENABLE ALWAYS TRIGGER log_summary_change;

-- Which tables each summary reads (through the views and functions it
-- calls too; calendars by their name, at run time) and whether time alone
-- changes it, in the order refresh_scorecards() refreshes them: a summary is
-- recomputed only when one of its tables was written, or its time came.
CREATE FUNCTION appraisal.summary_sources()
RETURNS TABLE (refresh_order integer, summary regclass, sources regclass[], changes_with_time boolean)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT v.refresh_order, v.summary, v.sources, v.changes_with_time
  FROM (VALUES
    (1, 'appraisal.agent_daily'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.settings', 'appraisal.sla_policies', 'appraisal.business_calendars']::regclass[], true),
    (2, 'appraisal.agent_daily_csat'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.survey_responses', 'appraisal.settings']::regclass[], false),
    (3, 'appraisal.category_daily'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.settings']::regclass[], true),
    (4, 'appraisal.period_ratings'::regclass,
     ARRAY['appraisal.reviews_360']::regclass[], false),
    (5, 'appraisal.agent_daily_follow_up'::regclass,
     ARRAY['appraisal.tickets', 'appraisal.call_backs', 'appraisal.survey_responses', 'appraisal.quality_inspections',
           'appraisal.settings']::regclass[], true)
  ) v(refresh_order, summary, sources, changes_with_time)
  ORDER BY v.refresh_order;
END;
COMMENT ON FUNCTION appraisal.summary_sources() IS
  'The summaries in the order refresh_scorecards() refreshes them (refresh_order), each with the tables it reads (directly, or through the views and functions it calls; the shipped setting_definitions aside, which no one writes) and whether time alone changes its figures (appraisal.next_summary_change). A refresh recomputes a summary only when one of its tables was written since the last refresh (appraisal.refresh_log) or, for those that change with time, when that time has come.';

-- Per ticket (its agent and day), the first instant after `after` at which
-- time alone changes a summary's figure for it: every rule of 40 and 41
-- that compares with now().  A ticket counts once opened (opened_at <=
-- now()); an SLA item is finished at its stop, and an unfinished one falls
-- overdue at its due time (sla.c); a ticket is resolved for FCR and the
-- follow-up at resolved_at; a call counts once made; a resolved ticket's
-- call-back is pending while resolved_at + call_back_window >= now(), i.e.
-- until one microsecond after.  An instant too early costs a recomputation
-- that finds the same figures; one too late would leave a figure wrong, so
-- every rule is here.  Without calls, the calls are left out: for tickets
-- whose call-backs and survey responses were not written since the instant
-- kept for them (a call's event depends on it alone); NULL counts them, as
-- the default does (an event left out would be found too late).  Given
-- ticket_rows, the tickets at those addresses (read in this transaction),
-- fetched by them rather than looked up by their ids.
CREATE FUNCTION appraisal.summary_events(after timestamptz, tickets text[] DEFAULT NULL, later timestamptz DEFAULT NULL,
                                         calls boolean DEFAULT true, ticket_rows tid[] DEFAULT NULL)
RETURNS TABLE (agent_id text, day date, at timestamptz, next_at timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  call_back_pending_for constant interval :=
    (SELECT s.value::interval + interval '1 microsecond' FROM appraisal.current_settings s WHERE s.name = 'call_back_window');
  -- resolved_at + call_back_pending_for (calendar arithmetic in the
  -- session's time zone) comes at most this long after resolved_at: its
  -- months of 31 days, its days of 24 hours, and 26 hours for the changes
  -- of the UTC offset on the way (from -12:00 to +14:00 at most)
  call_back_reach constant interval := make_interval(secs =>
    extract(epoch FROM call_back_pending_for)
    + 86400 * (12 * extract(year FROM call_back_pending_for) + extract(month FROM call_back_pending_for))
    + 93600);
  policy record;   -- the SLA policies, as agent_daily_rows reads them (40)
  -- a ticket's first event after the instant %1$s: opened, answered,
  -- resolved, its call-back window closed, an open SLA item falling due
  first_event constant text := $e$
    least(CASE WHEN d.opened_at > %1$s THEN d.opened_at END,
          CASE WHEN d.first_response_at > %1$s THEN d.first_response_at END,
          CASE WHEN d.resolved_at > %1$s THEN d.resolved_at END,
          CASE WHEN d.resolved_at + $3 > %1$s THEN d.resolved_at + $3 END,
          CASE WHEN d.opened_at <= %1$s AND (d.answered_at IS NULL OR d.answered_at > %1$s) AND d.first_response_due > %1$s
               THEN d.first_response_due END,
          CASE WHEN d.opened_at <= %1$s AND (d.resolved_at IS NULL OR d.resolved_at > %1$s) AND d.resolution_due > %1$s
               THEN d.resolution_due END) $e$;
BEGIN
  SELECT * INTO policy FROM appraisal.sla_policy_arrays();
  -- $1 after, $2 the tickets (NULL: all), $3 the call-back window and a
  -- microsecond, $4 to $9 the SLA policies, $10 the report time zone, $11
  -- later.  One read of the tickets: the due times of the SLA items not
  -- finished by after computed once, for them alone (their policy joined
  -- from the few policies' arrays: a join, which parallel workers run, where
  -- a subquery per ticket left them all to the leader), and compared with
  -- both instants.  A
  -- ticket opened, answered and resolved by after, its call-back window
  -- closed by then, has no event after it (nor after later): those, nearly
  -- every ticket of a year, are passed over with four comparisons of
  -- timestamps with constants ($12: after less call_back_reach), before any
  -- date arithmetic (at 10M tickets, an hour after the last events: 3.0-3.8 s
  -- instead of 5.3-5.5 s, two alternated rounds).
  RETURN QUERY EXECUTE format($query$
    WITH written AS NOT MATERIALIZED (
      SELECT t.* FROM %5$s
      WHERE (t.opened_at > $1 OR t.first_response_at > $1 OR t.resolved_at IS NULL OR t.resolved_at > $12)
            %1$s
    ), due AS MATERIALIZED (   -- (each due time computed once, not once per use)
      SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.answered_at,
             CASE WHEN m.channel IS NOT NULL AND (t.answered_at IS NULL OR t.answered_at > $1)
                  THEN appraisal.business_due(t.opened_at, m.first_response_target, m.first_response_calendar, t.pauses) END
               AS first_response_due,
             CASE WHEN m.channel IS NOT NULL AND (t.resolved_at IS NULL OR t.resolved_at > $1)
                  THEN appraisal.business_due(t.opened_at, m.resolution_target, m.resolution_calendar, t.pauses) END
               AS resolution_due
      FROM (SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.pauses,
                   coalesce(t.first_response_at, t.resolved_at) AS answered_at,
                   CASE WHEN t.channel = ANY ($4) THEN t.channel ELSE '' END AS channel_key,
                   CASE WHEN t.priority = ANY ($5) THEN t.priority ELSE '' END AS priority_key
              FROM written t) t
      LEFT JOIN unnest($4, $5, $6, $7, $8, $9)
                  m(channel, priority, first_response_target, first_response_calendar, resolution_target, resolution_calendar)
             ON m.channel = t.channel_key AND m.priority = t.priority_key
    ), events AS (
      SELECT d.agent_id, d.opened_at, %2$s AS at, %3$s AS next_at
      FROM due d
      %4$s
    )
    SELECT e.agent_id, appraisal.local_day(e.opened_at, $10), e.at, e.next_at
    FROM events e
    WHERE e.at IS NOT NULL
    $query$,
    CASE WHEN tickets IS NOT NULL AND ticket_rows IS NULL THEN 'AND t.ticket_id = ANY ($2)' ELSE '' END,
    format(first_event, '$1'),
    format(first_event, '$11'),
    CASE WHEN calls IS NOT FALSE THEN format($calls$
      UNION ALL   -- calls made after: call-backs, and survey responses given in one
      SELECT t.agent_id, t.opened_at, c.called_at, CASE WHEN c.called_at > $11 THEN c.called_at END
      FROM (SELECT ticket_id, called_at FROM appraisal.call_backs WHERE called_at > $1 %1$s
            UNION ALL
            SELECT ticket_id, responded_at FROM appraisal.survey_responses WHERE source = 'call_back' AND responded_at > $1 %1$s) c
      JOIN appraisal.tickets t USING (ticket_id) $calls$,
      CASE WHEN tickets IS NOT NULL THEN 'AND ticket_id = ANY ($2)' ELSE '' END) ELSE '' END,
    CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($13) t' END)
  USING after, tickets, call_back_pending_for,
        policy.channels, policy.priorities, policy.first_response_targets, policy.first_response_calendars,
        policy.resolution_targets, policy.resolution_calendars, report_zone, later, after - call_back_reach, ticket_rows;
END
$$;
COMMENT ON FUNCTION appraisal.summary_events(timestamptz, text[], timestamptz, boolean, tid[]) IS
  'Per ticket (its agent and the day it was opened, in the report time zone) the first instant after `after` at which time alone changes a summary computed as of `after` (at): a ticket opening, an SLA item finishing or falling overdue at its due time, a ticket resolved, a call made, a call-back window closing; and the first after `later` (next_at; NULL without later, which is no earlier than after). Of every ticket, or of the tickets given (their ids, found through the tables'' keys); with calls false, the calls left out (for tickets whose calls were not written since the instant kept for them; NULL counts them); given ticket_rows (on one node), the tickets at those addresses (ctid, read in this transaction) instead of those with the ids given, whose calls are still those of the ids. The refresh recomputes the agent-days of the events it has reached since the last refresh and keeps the first one still to come, from one read of the tickets (appraisal.refresh_scorecards, appraisal.next_summary_change).';

-- The first of those events after as_of.
CREATE FUNCTION appraisal.next_summary_change(as_of timestamptz, tickets text[] DEFAULT NULL, calls boolean DEFAULT true,
                                              ticket_rows tid[] DEFAULT NULL)
RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT coalesce(min(e.at), 'infinity') FROM appraisal.summary_events(as_of, tickets, NULL, calls, ticket_rows) e;
END;
COMMENT ON FUNCTION appraisal.next_summary_change(timestamptz, text[], boolean, tid[]) IS
  'The first instant after as_of at which time alone changes a summary computed as of as_of (infinity: never, until the data change; appraisal.summary_events), for every ticket or the tickets given (their ids, or on one node their addresses, ticket_rows; their calls left out with calls false). refresh_scorecards() keeps it in appraisal.refresh_state and refreshes again when it is reached, even if no data changed; after writes alone it takes the earlier of the instant it kept and that of the tickets written.';

-- The earlier tickets whose comeback may have changed with the tickets
-- given (inserted: refresh_log.tickets) or with those that went or moved
-- (refresh_log.moved, before and after): the same customer's tickets of the
-- same category opened no later and resolved no earlier than repeat_window
-- before.  A ticket resolved earlier than that recurred with neither the
-- old next ticket nor the new one (docs/rules.md, "First contact
-- resolution"), one not yet resolved is not counted.  No other write
-- changes a comeback: it depends on the customer, category, cause and
-- opening of the next ticket alone.  Their agent-days, which agent_daily
-- recomputes with those written, on a Citus cluster (on one node the
-- refresh keeps the tickets that recurred instead: keep_recurred_tickets,
-- below).
CREATE FUNCTION appraisal.comeback_agent_days(tickets text[], moved jsonb)
RETURNS TABLE (agent_id text, day date)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  report_zone text;
  repeat_window interval;
  customers text[];   -- with categories and openings: the changed tickets of customers
  categories text[];
  openings timestamptz[];
BEGIN
  SELECT p.report_time_zone, p.repeat_window INTO report_zone, repeat_window FROM appraisal.scorecard_parameters() p;
  -- The changed tickets first, in a query of their own, which the next
  -- one takes as constants: it then plans for as many as there are.
  -- (Planned together, it expected a few and looked every earlier ticket
  -- up in all of them, one after the other: with 60,000 new tickets of
  -- one agent-day at 10M tickets, over two minutes where hashing them
  -- takes 4-6 s.)  EXECUTE, so that it is planned with the arrays' values
  -- on every call: a saved plan for any arrays would guess their length.
  SELECT coalesce(array_agg(c.customer_id), '{}'), coalesce(array_agg(c.category), '{}'), coalesce(array_agg(c.opened_at), '{}')
    INTO customers, categories, openings
    FROM (SELECT t.customer_id, t.category, t.opened_at
            FROM appraisal.tickets t
           WHERE t.customer_id IS NOT NULL
             AND t.ticket_id = ANY (tickets)   -- (through the table's key)
          UNION ALL
          SELECT m.customer_id, m.category, m.opened_at
            FROM jsonb_to_recordset(moved) m(customer_id text, category text, opened_at timestamptz)
           WHERE m.customer_id IS NOT NULL) c;
  -- the same customers' earlier tickets of the same categories, found by
  -- hashing their customers and categories (not every ticket), then paired
  -- with the changed ones (the gap compared as fcr_agg compares it: an
  -- interval, days of 24 hours).  Only a ticket resolved no earlier than
  -- repeat_window before the earliest changed one ($6: the window as that
  -- comparison counts it, in microseconds, not in calendar days, which a
  -- change of summer time makes an hour shorter) can be paired: that
  -- comparison of timestamps first spares the hashing of nearly every
  -- ticket when the changed ones are recent (at 10M tickets, after a day of
  -- new tickets, 1.0-1.1 s instead of 2.4-2.6 s).
  RETURN QUERY EXECUTE $query$
    SELECT DISTINCT p.agent_id, appraisal.local_day(p.opened_at, $4)
    FROM (SELECT p.agent_id, p.customer_id, p.category, p.opened_at, p.resolved_at
            FROM appraisal.tickets p
           WHERE p.resolved_at >= $6
             AND appraisal.pair_in(p.customer_id, p.category, $1, $2)) p
    JOIN unnest($1, $2, $3) c(customer_id, category, opened_at)
      ON c.customer_id = p.customer_id AND c.category = p.category
    WHERE p.opened_at <= c.opened_at AND c.opened_at - p.resolved_at <= $5 $query$
    USING customers, categories, openings, report_zone, repeat_window,
          (SELECT min(o) FROM unnest(openings) o) - make_interval(secs => extract(epoch FROM repeat_window) + 1);
END
$$;
COMMENT ON FUNCTION appraisal.comeback_agent_days(text[], jsonb) IS
  'The agent-days of the tickets whose comeback (FCR recurrence) may have changed with the tickets given (their ids: those inserted, appraisal.refresh_log.tickets) or with the tickets that went or moved (a JSON array of customer_id, category, opened_at, before and after; appraisal.refresh_log.moved): the same customer''s earlier tickets of the same category resolved no earlier than repeat_window before. On a Citus cluster refresh_scorecards() recomputes them in appraisal.agent_daily (on one node it keeps appraisal.recurred_tickets instead: keep_recurred_tickets).';

-- On one node the refresh keeps the tickets that recurred (40:
-- recurred_tickets) instead, and the active tickets with them
-- (active_tickets).  Given customers: for the customers and categories of
-- the tickets written (inserted or updated: refresh_log.tickets) and of
-- those that went or moved (refresh_log.moved, before and after), the
-- entries are computed anew, whole, from those customers' tickets of those
-- categories (the refresh finds them in the read of every ticket it makes
-- for the agent-days it recomputes), and those that came, went or changed
-- are replaced; their active tickets too.  That is exact: a ticket's entry
-- depends on its own resolution and cause and on its customer's tickets of
-- its category alone, and every write that can change either logs the
-- ticket or the move (a cause, customer, category or opening changed, a
-- ticket deleted).  Without customers (NULL): the tickets written (at the
-- addresses ticket_rows) are only tickets opened after the latest opening
-- the refresh has seen (refresh_state.latest_opening), each the last of
-- its customer and category but for the others so written, and active
-- tickets whose resolution alone changed (refresh_scorecards checks it):
-- their entries are computed from the active tickets alone (a pair's
-- last one is now followed by the first of those opened after it; a
-- ticket opened after it by the next of them; a resolution keeps its next
-- ticket), with no read of the customers' tickets.  Only the active tickets written can
-- have an entry then: one opened later was not seen by the last refresh,
-- and a pair's last one has no next ticket.
-- Returns, per agent-day (ticket_id NULL), what the entries that came or
-- went change in agent_daily's FCR, as of now: an entry that came makes
-- its ticket recurred, and no longer resolved at the first contact if it
-- was; one that went, the other way; a changed next ticket changes
-- neither.  (Only the tickets agent_daily counts: opened and resolved by
-- now, and not among those written, whose whole contribution the refresh
-- takes out and adds again.)  For a ticket not written since the last refresh nothing
-- else of it can have changed, so the refresh adds these changes to its
-- agent-day's row, with the agent and contacts the ticket has (read with
-- it, or kept in active_tickets: a write of either is a ticket written).
-- And, of the tickets written, the entry of each one computed that has
-- one now, and each one whose entry went (next_opened_at NULL), in rows
-- of their own (agent_id NULL, ticket_id, next_opened_at): any other
-- ticket written has the entry it had (a ticket inserted, none).  The
-- refresh counts the tickets written as they count now with these
-- (agent_daily_rows given comebacks) instead of looking each one up in
-- recurred_tickets (at 10M tickets, after the bench's change, 34,000
-- look-ups for some hundred entries: the changed refresh took 0.92-1.00 s
-- so, median 0.97 s, against 0.98-1.00 s, median 0.99 s, four alternated
-- rounds of two runs).
CREATE FUNCTION appraisal.keep_recurred_tickets(customers text[], categories text[], ticket_rows tid[], written text[])
RETURNS TABLE (agent_id text, day date, first_contact_change bigint, recurred_change bigint, ticket_id text, next_opened_at timestamptz)
LANGUAGE plpgsql VOLATILE
-- the entries kept of the tickets computed hashed, not both sides sorted
-- by their ids (the planner merges them: at 10M tickets, after the bench's
-- change, 64,000 tickets sorted for 1,500 entries)
SET enable_mergejoin = off
-- its statement planned for the arrays it is given at every call, not
-- generic after five calls in a session (refresh_scorecards, 60, says why)
SET plan_cache_mode = force_custom_plan
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  repeat_window constant interval := (SELECT p.repeat_window FROM appraisal.scorecard_parameters() p);
  latest constant timestamptz := (SELECT s.latest_opening FROM appraisal.refresh_state s);
BEGIN
  IF cardinality(customers) = 0 THEN
    RETURN;
  END IF;
  -- One statement, each step a CTE (the tickets computed anew flow from
  -- one to the next, not through arrays): of the branches for customers
  -- NULL or given, the planner keeps one.
  RETURN QUERY
  WITH written_now AS MATERIALIZED (   -- without customers: the tickets written that are a customer's
    SELECT t.ticket_id, t.customer_id, t.category, t.opened_at, t.resolved_at, t.agent_id, t.contacts
      FROM appraisal.tickets_at(ticket_rows) t   -- (40)
     WHERE customers IS NULL AND t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'
  ), taken AS (
    -- without customers, out of active_tickets in one scan of it (the
    -- table has no index: a row goes in cheaper without one, 40): the last
    -- active ticket of each customer and category of the tickets written
    -- opened after the latest opening, and the active tickets written, each
    -- row's customer and category, then its id, hashed against those of
    -- the tickets written (a ticket still active goes back in below, with
    -- the others computed; an active ticket written kept its customer and
    -- category, refresh_scorecards checks it, so its id finds it)
    DELETE FROM appraisal.active_tickets a
     WHERE customers IS NULL
       AND (a.next_opened_at IS NULL
            AND (a.customer_id, a.category) IN (SELECT w.customer_id, w.category FROM written_now w WHERE w.opened_at > latest)
            OR a.ticket_id IN (SELECT w.ticket_id FROM written_now w WHERE w.opened_at <= latest))
    RETURNING a.*
  ), found AS (
    -- those opened after the latest opening (origin 0), the active ones
    -- written with their next tickets' openings (1), and the last active
    -- ticket of each customer and category of those opened later, not
    -- written (2)
    SELECT w.*, NULL::timestamptz AS next_opened_at, 0 AS origin
      FROM written_now w
     WHERE w.opened_at > latest
    UNION ALL
    SELECT w.*, a.next_opened_at, 1
      FROM written_now w
      JOIN taken a ON a.ticket_id = w.ticket_id
     WHERE w.opened_at <= latest
    UNION ALL
    SELECT a.ticket_id, a.customer_id, a.category, a.opened_at, a.resolved_at, a.agent_id, a.contacts, a.next_opened_at, 2
      FROM taken a
     WHERE NOT EXISTS (SELECT FROM written_now w WHERE w.ticket_id = a.ticket_id)
  ), computed AS MATERIALIZED (
    -- the tickets whose entries are computed anew, each with its next
    -- ticket's opening: without customers, a pair's last active ticket
    -- followed by the first of those opened later, each of those by the
    -- next of them (a resolution keeps its next ticket); given customers,
    -- every ticket of theirs (from the tickets at the addresses ticket_rows)
    SELECT f.ticket_id, f.customer_id, f.category, f.opened_at, f.resolved_at,
           coalesce(f.next_opened_at,
                    lead(f.opened_at) OVER (PARTITION BY f.customer_id COLLATE "C", f.category COLLATE "C"
                                            ORDER BY f.opened_at, f.ticket_id)) AS next_opened_at,
           f.agent_id, f.contacts, f.origin
      FROM found f
    UNION ALL
    SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts, 3
      FROM appraisal.comeback_rows(customers, categories, ticket_rows) c
     WHERE customers IS NOT NULL
  ), latest_seen AS (
    SELECT greatest(latest, max(c.opened_at)) AS at FROM computed c
  ), customers_active_gone AS (
    DELETE FROM appraisal.active_tickets a
     WHERE customers IS NOT NULL AND appraisal.pair_in(a.customer_id, a.category, customers, categories)
  ), active_now AS (
    INSERT INTO appraisal.active_tickets
    SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts
      FROM computed c, latest_seen l
     WHERE c.resolved_at IS NULL OR c.next_opened_at IS NULL AND c.resolved_at >= l.at - repeat_window
  ), state AS (
    UPDATE appraisal.refresh_state SET latest_opening = (SELECT l.at FROM latest_seen l)
  ), kept AS MATERIALIZED (   -- their entries (without customers, only active tickets written can have one)
    SELECT r.* FROM appraisal.recurred_tickets r
     WHERE customers IS NULL AND r.ticket_id IN (SELECT c.ticket_id FROM computed c WHERE c.origin = 1)
    UNION ALL
    SELECT r.* FROM appraisal.recurred_tickets r
     WHERE customers IS NOT NULL AND appraisal.pair_in(r.customer_id, r.category, customers, categories)
  ), diff AS MATERIALIZED (   -- the entries that came (+1), went (-1) or changed (0)
    SELECT c.ticket_id, c.recurred, c.customer_id, c.category, c.next_opened_at,
           CASE WHEN k.ticket_id IS NULL THEN 1 WHEN NOT c.recurred THEN -1 ELSE 0 END AS sign,
           c.agent_id, c.opened_at, c.resolved_at, c.contacts
      FROM (SELECT c.*, appraisal.came_back(c.resolved_at, c.next_opened_at, repeat_window) AS recurred FROM computed c) c
      LEFT JOIN kept k ON k.ticket_id = c.ticket_id
     WHERE CASE WHEN k.ticket_id IS NULL THEN c.recurred
                WHEN c.recurred
                THEN (c.customer_id, c.category, c.next_opened_at) IS DISTINCT FROM (k.customer_id, k.category, k.next_opened_at)
                ELSE true END
    UNION ALL   -- the entries of tickets gone
    SELECT k.ticket_id, false, NULL, NULL, NULL, -1, NULL, NULL, NULL, NULL
      FROM kept k
     WHERE NOT EXISTS (SELECT FROM computed c WHERE c.ticket_id = k.ticket_id)
  ), went AS (   -- (each found by its key: a join would hash every entry)
    DELETE FROM appraisal.recurred_tickets r WHERE r.ticket_id = ANY (ARRAY(SELECT d.ticket_id FROM diff d WHERE d.sign < 0))
  ), changed AS (
    UPDATE appraisal.recurred_tickets r
       SET customer_id = d.customer_id, category = d.category, next_opened_at = d.next_opened_at
      FROM diff d
     WHERE r.ticket_id = d.ticket_id AND d.sign = 0
  ), came AS (
    INSERT INTO appraisal.recurred_tickets
    SELECT d.ticket_id, d.customer_id, d.category, d.next_opened_at FROM diff d WHERE d.sign > 0
  ), written_entries AS (   -- the entries of the tickets written computed, and those gone (NULL)
    SELECT c.ticket_id, c.next_opened_at
      FROM computed c
     WHERE c.ticket_id = ANY (written) AND appraisal.came_back(c.resolved_at, c.next_opened_at, repeat_window)
    UNION ALL
    SELECT d.ticket_id, NULL
      FROM diff d
     WHERE d.sign < 0 AND d.ticket_id = ANY (written)
  )
  -- per agent-day, of the tickets agent_daily counts but those written
  SELECT d.agent_id, appraisal.local_day(d.opened_at, report_zone), -sum(d.sign * (d.contacts = 1)::integer), sum(d.sign), NULL, NULL
    FROM diff d
   WHERE d.sign <> 0 AND d.opened_at <= now() AND d.resolved_at <= now() AND d.ticket_id <> ALL (written)
   GROUP BY 1, 2
  UNION ALL   -- and the entries of those written
  SELECT NULL, NULL, NULL, NULL, e.ticket_id, e.next_opened_at FROM written_entries e;
END
$$;
COMMENT ON FUNCTION appraisal.keep_recurred_tickets(text[], text[], tid[], text[]) IS
  'On one node, what refresh_scorecards() does with appraisal.recurred_tickets and appraisal.active_tickets after tickets were written (written: their ids): the entries of the customers[i] and categories[i] given (those of the tickets inserted, updated, gone or moved) computed anew (appraisal.comeback_rows) from the rows of appraisal.tickets at the addresses ticket_rows, which must hold every ticket of those customers and categories (read in this transaction), and those that changed replaced, with their active tickets; with customers NULL, when the tickets written (at the addresses ticket_rows, read in this transaction) are only tickets opened after appraisal.refresh_state.latest_opening and active tickets whose resolution changed, the entries of those and of the active tickets they follow, from the active tickets alone. Moves latest_opening to the latest opening seen. Returns per agent-day what the entries that came or went change in appraisal.agent_daily''s FCR as of now (first_contact_change, recurred_change), counting the tickets opened and resolved by now but those written, whose whole contribution the refresh takes out of their agent-days'' rows and adds again: the refresh adds these to the rows. And, in rows of their own (agent_id NULL: ticket_id, next_opened_at), of the tickets written, the entry of each one computed anew that has one, and each one whose entry went (next_opened_at NULL); any other ticket written keeps the entry it had: the refresh counts the tickets written with these (appraisal.agent_daily_rows given comebacks). For the extension''s owner alone, as refresh_scorecards() runs it: it trusts what it is given, and given too little it would keep wrong entries.';
REVOKE ALL ON FUNCTION appraisal.keep_recurred_tickets(text[], text[], tid[], text[]) FROM PUBLIC;

-- On a Citus cluster (62_citus.sql) the triggers of the distributed tables
-- fire on their shards, on the workers, and each node logs into its own
-- refresh_log.  The coordinator's refresh takes the workers' rows into its
-- own log (take_node_logs) and notes their numbers, per worker, in
-- refresh_state, in its own transaction; the next refresh deletes them on
-- the workers.  A refresh that fails has deleted nothing it took: the next
-- one takes the same rows again.  (The call on the workers is not part of
-- the refresh's transaction: run_command_on_workers.)

-- On a worker: its log rows (as JSON, with its group id), but those a
-- committed refresh has taken (taken: group id -> row numbers, as
-- refresh_state.node_logs_taken), which are deleted when take is true.
CREATE FUNCTION appraisal.node_log_rows(taken jsonb, take boolean) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  node text;
  done bigint[];
  found jsonb;
BEGIN
  EXECUTE 'SELECT groupid::text FROM pg_catalog.pg_dist_local_group' INTO node;   -- (Citus's catalog)
  IF node = '0' THEN   -- the coordinator's log is the refresh's own
    RAISE EXCEPTION 'appraisal.node_log_rows() runs on the workers of a Citus cluster, not on its coordinator'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'appraisal.node_log() calls it on every worker.';
  END IF;
  done := ARRAY(SELECT jsonb_array_elements_text(coalesce(taken -> node, '[]'))::bigint);
  IF take THEN
    DELETE FROM appraisal.refresh_log l WHERE l.id = ANY (done);
  END IF;
  SELECT coalesce(jsonb_agg(to_jsonb(l) ORDER BY l.id), '[]') INTO found
    FROM appraisal.refresh_log l
   WHERE NOT l.id = ANY (done);
  RETURN jsonb_build_object('node', node, 'rows', found);
END
$$;
COMMENT ON FUNCTION appraisal.node_log_rows(jsonb, boolean) IS
  'Run on a worker of a Citus cluster by appraisal.node_log: the rows of its appraisal.refresh_log as JSON ({"node": its group id, "rows": [...]}), without those listed for its group in taken (refresh_state.node_logs_taken: rows a committed refresh has taken), which it deletes when take is true; refused on the coordinator. For the extension''s owner (node_log runs it so).';
-- (for the owner alone: node_log, SECURITY DEFINER, connects to the
-- workers as the owner; given another list, it would delete rows no
-- refresh has taken)
REVOKE ALL ON FUNCTION appraisal.node_log_rows(jsonb, boolean) FROM PUBLIC;

-- On the coordinator: the workers' log rows not taken yet (none on one node).
CREATE FUNCTION appraisal.node_log(take boolean)
RETURNS TABLE (node text, id bigint, logged_at timestamptz, source text, operation text, agents text[], days date[],
               moved jsonb, tickets text[], zone text)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  worker record;
  found jsonb;
BEGIN
  IF NOT appraisal.distributed() THEN
    RETURN;
  END IF;
  FOR worker IN EXECUTE 'SELECT nodename, nodeport, success, result FROM run_command_on_workers($1)'
                USING format('SELECT appraisal.node_log_rows(%L, %L)',
                             (SELECT s.node_logs_taken FROM appraisal.refresh_state s), take) LOOP
    IF NOT worker.success THEN
      RAISE EXCEPTION 'cannot read the change log of worker %:%', worker.nodename, worker.nodeport
        USING ERRCODE = 'connection_exception', DETAIL = worker.result,
              HINT = 'Every worker must be up, with the appraisal extension of the coordinator''s version (SELECT * FROM citus_check_cluster_node_health()).';
    END IF;
    found := worker.result::jsonb;
    RETURN QUERY
      SELECT found ->> 'node', r.id, r.logged_at, r.source, r.operation, r.agents, r.days, r.moved, r.tickets, r.zone
      FROM jsonb_populate_recordset(NULL::appraisal.refresh_log, found -> 'rows') r;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.node_log(boolean) IS
  'On a Citus cluster, the rows of the workers'' appraisal.refresh_log that no committed refresh has taken, each with its worker''s group id (node) and its number there; with take true, the rows the last refresh took are deleted on the workers first (appraisal.take_node_logs). No rows on one node. For appraisal_admin (runs as the extension''s owner; refresh_status reads it).';
REVOKE ALL ON FUNCTION appraisal.node_log(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.node_log(boolean) TO appraisal_admin;

-- The refresh's first step on a cluster: the workers' rows into this log.
CREATE FUNCTION appraisal.take_node_logs() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  took jsonb;
  shards_read boolean;
BEGIN
  -- Under REPEATABLE READ or SERIALIZABLE a transaction reads each worker
  -- in the snapshot of its first read there, while the logs are read by
  -- connections of their own, which see every commit: a transaction that
  -- has read the shards already would take as done changes its reads do
  -- not see.  (Under READ COMMITTED each statement reads afresh.)
  IF current_setting('transaction_isolation') <> 'read committed' AND appraisal.distributed() THEN
    EXECUTE 'SELECT (pg_catalog.get_current_transaction_id()).transaction_number <> 0' INTO shards_read;   -- (Citus's)
    IF shards_read THEN
      RAISE EXCEPTION 'on a Citus cluster, a % transaction must refresh the summaries before it reads the shards',
                      upper(current_setting('transaction_isolation'))
        USING ERRCODE = 'invalid_transaction_state',
              DETAIL = 'Its snapshot of the shards may miss changes the workers'' logs already show, which the refresh would take as done.',
              HINT = 'Call refresh_scorecards() first in the transaction, as the pg_cron job does (appraisal.cron_job_command()), or under READ COMMITTED.';
    END IF;
  END IF;
  SELECT coalesce(jsonb_agg(to_jsonb(n)), '[]') INTO took FROM appraisal.node_log(true) n;
  INSERT INTO appraisal.refresh_log (logged_at, source, operation, agents, days, moved, tickets, zone)
  SELECT r.logged_at, r.source, r.operation, r.agents, r.days, r.moved, r.tickets, r.zone
  FROM jsonb_populate_recordset(NULL::appraisal.refresh_log, took) r;
  UPDATE appraisal.refresh_state
     SET node_logs_taken = (SELECT coalesce(jsonb_object_agg(t.node, t.ids), '{}')
                              FROM (SELECT x ->> 'node' AS node, jsonb_agg(x -> 'id') AS ids
                                      FROM jsonb_array_elements(took) x GROUP BY 1) t);
  RETURN jsonb_array_length(took);
END
$$;
COMMENT ON FUNCTION appraisal.take_node_logs() IS
  'On a Citus cluster, what refresh_scorecards() does first: copies the workers'' log rows not taken yet (appraisal.node_log) into the coordinator''s appraisal.refresh_log and notes their numbers in refresh_state.node_logs_taken, in the caller''s transaction; the next call deletes them on the workers. A refresh that fails leaves them to the next. Under REPEATABLE READ or SERIALIZABLE it must come before the transaction reads a shard (else 25000). Returns the rows taken (0 on one node). For appraisal_admin (runs as the extension''s owner).';
REVOKE ALL ON FUNCTION appraisal.take_node_logs() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.take_node_logs() TO appraisal_admin;

-- The summaries a refresh at as_of would recompute, in refresh order: all
-- of them before the first refresh or when the next change is not
-- known (a new installation, an update); else those whose tables were
-- written since the last refresh, and those that change with time once
-- next_change_at has come.
CREATE FUNCTION appraisal.stale_summaries(as_of timestamptz) RETURNS regclass[]
LANGUAGE sql VOLATILE PARALLEL UNSAFE   -- (on Citus it reads the workers' logs: node_log)
-- the refresh's bookkeeping is the owner's: refresh_status calls it for
-- appraisal_admin
SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  WITH logged AS MATERIALIZED (   -- the tables written, by the log of this node and the workers' (on Citus)
    SELECT DISTINCT to_regclass(l.source) AS source FROM appraisal.refresh_log l
    UNION
    SELECT to_regclass(n.source) FROM appraisal.node_log(false) n
  )
  SELECT coalesce(array_agg(m.summary ORDER BY m.refresh_order), '{}')
  FROM appraisal.summary_sources() m
  CROSS JOIN appraisal.refresh_state s
  WHERE s.next_change_at = '-infinity'
     OR s.refreshed_at IS NULL
     OR (m.changes_with_time AND as_of >= s.next_change_at)
     OR EXISTS (SELECT FROM logged l WHERE l.source = ANY (m.sources));
END;
COMMENT ON FUNCTION appraisal.stale_summaries(timestamptz) IS
  'The summaries refresh_scorecards() would recompute at as_of, in refresh order: every one before the first refresh or while the next change is not known (after an installation or an update); else each whose tables were written since the last refresh (appraisal.refresh_log, and on a Citus cluster the workers'' logs: appraisal.node_log; appraisal.summary_sources) and, once appraisal.refresh_state.next_change_at has come, each that changes with time. Empty: the summaries are what a refresh would compute. Reads the refresh''s bookkeeping with the extension owner''s rights (SECURITY DEFINER): for appraisal_admin, through refresh_scorecards and the view refresh_status.';
REVOKE ALL ON FUNCTION appraisal.stale_summaries(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.stale_summaries(timestamptz) TO appraisal_admin;

CREATE VIEW appraisal.refresh_status WITH (security_invoker = false) AS
WITH pending AS MATERIALIZED (   -- this node's log and, on a Citus cluster, the workers' (node_log)
  SELECT l.logged_at, l.source, l.agents, l.days, l.tickets FROM appraisal.refresh_log l
  UNION ALL
  SELECT n.logged_at, n.source, n.agents, n.days, n.tickets FROM appraisal.node_log(false) n
)
SELECT s.refreshed_at AS last_refresh,
       s.refreshed_at IS NOT NULL AS populated,
       (SELECT count(*) FROM pending) AS changes_pending,
       (SELECT coalesce(string_agg(DISTINCT l.source, ', ' ORDER BY l.source), '') FROM pending l) AS tables_changed,
       (SELECT min(l.logged_at) FROM pending l) AS oldest_change,
       (SELECT count(*) FROM (SELECT k.agent_id, k.day FROM pending l, unnest(l.agents, l.days) k(agent_id, day)
                              UNION
                              SELECT t.agent_id, appraisal.local_day(t.opened_at, p.report_time_zone)
                              FROM appraisal.tickets t, appraisal.scorecard_parameters() p
                              WHERE t.ticket_id IN (SELECT unnest(l.tickets) FROM pending l)) k) AS agent_days_pending,
       EXISTS (SELECT FROM pending l WHERE l.agents IS NULL) AS every_row_pending,
       CASE WHEN isfinite(s.next_change_at) THEN s.next_change_at END AS next_time_change,
       array_to_string(x.stale, ', ') AS stale_summaries,
       cardinality(x.stale) = 0 AS up_to_date
FROM appraisal.refresh_state s
CROSS JOIN LATERAL (SELECT appraisal.stale_summaries(now()) AS stale) x;
COMMENT ON VIEW appraisal.refresh_status IS
  'How fresh the summaries are (docs/operations.md, "Refreshing on a schedule with pg_cron"), with its owner''s rights (the log is the owner''s): the last refresh, whether every summary has been populated, the statements that wrote the tables they read since (pending: the next refresh_scorecards() recomputes), and when time alone next changes a figure. up_to_date says whether the summaries are exactly what a refresh would compute now (refresh_scorecards() then has nothing to do). For appraisal_admin.';
COMMENT ON COLUMN appraisal.refresh_status.last_refresh IS 'When a summary was last recomputed (the as_of of the rows that refresh recomputed; summaries it left unchanged keep an earlier as_of); NULL before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_status.populated IS 'Every summary has been computed at least once (false after an installation or a restore: the scorecards fail until the first refresh).';
COMMENT ON COLUMN appraisal.refresh_status.changes_pending IS 'Statements that wrote the tables the summaries read since the last refresh (0: none); on a Citus cluster, one per shard a statement wrote (the workers'' logs, appraisal.node_log, included).';
COMMENT ON COLUMN appraisal.refresh_status.tables_changed IS 'The tables those statements wrote, comma-separated ('''' when none).';
COMMENT ON COLUMN appraisal.refresh_status.oldest_change IS 'When the oldest of them started: the summaries miss changes since then (NULL: none).';
COMMENT ON COLUMN appraisal.refresh_status.agent_days_pending IS 'Agent-days (an agent and the day tickets were opened) the logged writes touched: their rows are what the next refresh recomputes, besides those time has moved (0: none).';
COMMENT ON COLUMN appraisal.refresh_status.every_row_pending IS 'A logged write not known per agent-day (a setting, a policy, a calendar, a TRUNCATE, a 360 review, a mass update): the next refresh recomputes every row of the summaries that read its table.';
COMMENT ON COLUMN appraisal.refresh_status.next_time_change IS 'First instant after the last refresh at which time alone changes a figure (an SLA item falling overdue, a call-back window closing, ...): the summaries are stale from then on. NULL: no such instant (nothing pending in time), or not known before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_status.stale_summaries IS 'The summaries the next refresh_scorecards() recomputes (appraisal.stale_summaries), comma-separated; '''' when none.';
COMMENT ON COLUMN appraisal.refresh_status.up_to_date IS 'The summaries are what a refresh would compute now: populated, no change pending, next_time_change not reached. False: the next refresh_scorecards() recomputes those in stale_summaries.';
GRANT SELECT ON appraisal.refresh_status TO appraisal_admin;
