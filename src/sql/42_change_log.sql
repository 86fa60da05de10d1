-- 42: what changed since the summaries were computed.  A summary (40, 41)
-- changes only when a table it reads changes, or when time alone moves one
-- of its figures (a pending SLA item falls overdue at its due time, a ticket
-- resolved "in the future" counts once that time comes, a call-back window
-- closes).  Every statement that writes such a table leaves a row in
-- refresh_log, and refresh_scorecards() (60) keeps in refresh_state the
-- first instant after its run at which time alone changes a figure: with no
-- row in the log and that instant not reached, the summaries are exactly
-- what a full refresh would compute, and the refresh has nothing to do.
--
-- The triggers are created here, with the log, on every table the summaries
-- read (the one other part that adds triggers to tables of earlier parts is
-- 21_settings.sql): one statement-level trigger per table, so that a COPY of
-- a million tickets writes one row to the log, not a million.

CREATE TABLE appraisal.refresh_log (
  logged_at timestamptz NOT NULL DEFAULT statement_timestamp(),
  source    text NOT NULL,
  operation text NOT NULL CONSTRAINT "operation must be a kind of write" CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE'))
);
COMMENT ON TABLE appraisal.refresh_log IS
  'One row per statement that wrote a table the summaries read since the last refresh (statement-level triggers; a statement that changed no row is logged too). refresh_scorecards() deletes the rows its refresh has seen. Written by the triggers with the owner''s rights; read through appraisal.refresh_status. Not dumped: after a restore the summaries are refreshed in full anyway.';
COMMENT ON COLUMN appraisal.refresh_log.logged_at IS 'When the statement started.';
COMMENT ON COLUMN appraisal.refresh_log.source IS 'Table written (schema-qualified).';
COMMENT ON COLUMN appraisal.refresh_log.operation IS 'INSERT, UPDATE, DELETE or TRUNCATE (COPY logs as INSERT).';

-- One row: the last refresh and when time alone next changes a summary.
-- -infinity: not known (a new installation, an update): refresh.
CREATE TABLE appraisal.refresh_state (
  only_row       boolean PRIMARY KEY DEFAULT true CONSTRAINT "refresh_state has one row" CHECK (only_row),
  refreshed_at   timestamptz,
  next_change_at timestamptz NOT NULL
);
INSERT INTO appraisal.refresh_state (refreshed_at, next_change_at) VALUES (NULL, '-infinity');
COMMENT ON TABLE appraisal.refresh_state IS
  'The one row refresh_scorecards() keeps: when the summaries were last computed and the first instant after that at which time alone changes one of their figures (appraisal.next_summary_change). Read through appraisal.refresh_status.';
COMMENT ON COLUMN appraisal.refresh_state.only_row IS 'Always true: the table has one row.';
COMMENT ON COLUMN appraisal.refresh_state.refreshed_at IS 'The last refresh that recomputed a summary (its transaction''s start: the as_of of the rows it recomputed; a summary it left unchanged keeps an earlier as_of); NULL before the first.';
COMMENT ON COLUMN appraisal.refresh_state.next_change_at IS 'First instant after refreshed_at at which time alone changes a summary; infinity: none; -infinity: not known, the next refresh computes.';

CREATE FUNCTION appraisal.log_summary_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  INSERT INTO appraisal.refresh_log (source, operation)
  VALUES (format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME), TG_OP);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.log_summary_change() IS
  'Statement-level trigger on every table the summaries read: logs the statement in appraisal.refresh_log (with the owner''s rights, so that a writer needs no right on the log).';
REVOKE ALL ON FUNCTION appraisal.log_summary_change() FROM PUBLIC;

CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.tickets
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.survey_responses
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.call_backs
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.quality_inspections
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.reviews_360
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.settings
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
CREATE TRIGGER log_summary_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON appraisal.business_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.log_summary_change();
-- ALWAYS: logged also when session_replication_role is replica (a logical
-- replication subscriber applying changes), else the summaries there would
-- never learn of them.
ALTER TABLE appraisal.tickets ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.survey_responses ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.call_backs ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.quality_inspections ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.reviews_360 ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.settings ENABLE ALWAYS TRIGGER log_summary_change;
ALTER TABLE appraisal.sla_policies ENABLE ALWAYS TRIGGER log_summary_change;
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
  'The materialized summaries in the order refresh_scorecards() refreshes them (refresh_order), each with the tables it reads (directly, or through the views and functions it calls; the shipped setting_definitions aside, which no one writes) and whether time alone changes its figures (appraisal.next_summary_change). A refresh recomputes a summary only when one of its tables was written since the last refresh (appraisal.refresh_log) or, for those that change with time, when that time has come.';

-- The first instant after as_of at which time alone changes a summary
-- computed as of as_of: every rule of 40 and 41 that compares with now().
-- A ticket counts once opened (opened_at <= now()); an SLA item is finished
-- at its stop, and an unfinished one falls overdue at its due time (sla.c);
-- a ticket is resolved for FCR and the follow-up at resolved_at; a call
-- counts once made; a resolved ticket's call-back is pending while
-- resolved_at + call_back_window >= now(), i.e. until one microsecond after.
-- An instant too early costs a refresh that finds the same figures; one too
-- late would leave a figure wrong, so every rule is here.
CREATE FUNCTION appraisal.next_summary_change(as_of timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  WITH ticket_times AS (   -- (the window a scalar subquery: the scan stays parallel)
    SELECT min(least(CASE WHEN t.opened_at > as_of THEN t.opened_at END,
                     CASE WHEN t.first_response_at > as_of THEN t.first_response_at END,
                     CASE WHEN t.resolved_at > as_of THEN t.resolved_at END,
                     CASE WHEN t.resolved_at + w.call_back_pending_for > as_of THEN t.resolved_at + w.call_back_pending_for END)) AS at
    FROM appraisal.tickets t,
         LATERAL (SELECT (SELECT value::interval + interval '1 microsecond' FROM appraisal.current_settings
                          WHERE name = 'call_back_window') AS call_back_pending_for) w
  ), due_times AS (   -- the SLA policy of each open item found as agent_daily finds it
    SELECT least(min(d.first_response_due) FILTER (WHERE d.first_response_due > as_of),
                 min(d.resolution_due) FILTER (WHERE d.resolution_due > as_of)) AS at
    FROM (SELECT CASE WHEN coalesce(t.first_response_at, t.resolved_at) IS NULL OR coalesce(t.first_response_at, t.resolved_at) > as_of
                      THEN appraisal.business_due(t.opened_at, m.first_response_target, m.first_response_calendar, t.pauses) END AS first_response_due,
                 CASE WHEN t.resolved_at IS NULL OR t.resolved_at > as_of
                      THEN appraisal.business_due(t.opened_at, m.resolution_target, m.resolution_calendar, t.pauses) END AS resolution_due
          FROM appraisal.tickets t
          LEFT JOIN appraisal.sla_policy_matrix() m
            ON m.channel = CASE WHEN t.channel IN (SELECT channel FROM appraisal.sla_policy_matrix()) THEN t.channel ELSE '' END
           AND m.priority = CASE WHEN t.priority IN (SELECT priority FROM appraisal.sla_policy_matrix()) THEN t.priority ELSE '' END
          WHERE t.opened_at <= as_of
            AND (t.resolved_at IS NULL OR t.resolved_at > as_of OR t.first_response_at IS NULL OR t.first_response_at > as_of)) d
  ), call_times AS (
    SELECT least((SELECT min(called_at) FROM appraisal.call_backs WHERE called_at > as_of),
                 (SELECT min(responded_at) FROM appraisal.survey_responses WHERE source = 'call_back' AND responded_at > as_of)) AS at
  )
  SELECT coalesce(least((SELECT at FROM ticket_times), (SELECT at FROM due_times), (SELECT at FROM call_times)), 'infinity');
END;
COMMENT ON FUNCTION appraisal.next_summary_change(timestamptz) IS
  'The first instant after as_of at which time alone changes a summary computed as of as_of (infinity: never, until the data change): a ticket opening, an SLA item finishing or falling overdue at its due time, a ticket resolved, a call made, a call-back window closing. refresh_scorecards() keeps it in appraisal.refresh_state and refreshes again when it is reached, even if no data changed.';

-- The summaries a refresh at as_of would recompute, in refresh order: all
-- of them while one was never populated or when the next change is not
-- known (a new installation, an update); else those whose tables were
-- written since the last refresh, and those that change with time once
-- next_change_at has come.
CREATE FUNCTION appraisal.stale_summaries(as_of timestamptz) RETURNS regclass[]
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT coalesce(array_agg(m.summary ORDER BY m.refresh_order), '{}')
  FROM appraisal.summary_sources() m
  CROSS JOIN appraisal.refresh_state s
  WHERE s.next_change_at = '-infinity'
     OR EXISTS (SELECT FROM appraisal.summary_sources() n JOIN pg_catalog.pg_class c ON c.oid = n.summary
                WHERE NOT c.relispopulated)
     OR (m.changes_with_time AND as_of >= s.next_change_at)
     OR EXISTS (SELECT FROM appraisal.refresh_log l WHERE to_regclass(l.source) = ANY (m.sources));
END;
COMMENT ON FUNCTION appraisal.stale_summaries(timestamptz) IS
  'The summaries refresh_scorecards() would recompute at as_of, in refresh order: every one while any was never populated or the next change is not known (after an installation or an update); else each whose tables were written since the last refresh (appraisal.refresh_log, appraisal.summary_sources) and, once appraisal.refresh_state.next_change_at has come, each that changes with time. Empty: the summaries are what a refresh would compute. Reads the refresh''s bookkeeping, which only the extension''s owner may: called by refresh_scorecards and the view refresh_status, which run with its rights.';

CREATE VIEW appraisal.refresh_status WITH (security_invoker = false) AS
SELECT s.refreshed_at AS last_refresh,
       NOT EXISTS (SELECT FROM appraisal.summary_sources() m JOIN pg_catalog.pg_class c ON c.oid = m.summary
                   WHERE NOT c.relispopulated) AS populated,
       (SELECT count(*) FROM appraisal.refresh_log) AS changes_pending,
       (SELECT coalesce(string_agg(DISTINCT l.source, ', ' ORDER BY l.source), '') FROM appraisal.refresh_log l) AS tables_changed,
       (SELECT min(l.logged_at) FROM appraisal.refresh_log l) AS oldest_change,
       CASE WHEN isfinite(s.next_change_at) THEN s.next_change_at END AS next_time_change,
       array_to_string(x.stale, ', ') AS stale_summaries,
       cardinality(x.stale) = 0 AS up_to_date
FROM appraisal.refresh_state s
CROSS JOIN LATERAL (SELECT appraisal.stale_summaries(now()) AS stale) x;
COMMENT ON VIEW appraisal.refresh_status IS
  'How fresh the summaries are (docs/operations.md, "Refreshing on a schedule with pg_cron"), with its owner''s rights (the log is the owner''s): the last refresh, whether every summary has been populated, the statements that wrote the tables they read since (pending: the next refresh_scorecards() recomputes), and when time alone next changes a figure. up_to_date says whether the summaries are exactly what a refresh would compute now (refresh_scorecards() then has nothing to do). For appraisal_admin.';
COMMENT ON COLUMN appraisal.refresh_status.last_refresh IS 'When a summary was last recomputed (the as_of of the rows that refresh recomputed; summaries it left unchanged keep an earlier as_of); NULL before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_status.populated IS 'Every summary has been computed at least once (false after an installation or a restore: the scorecards fail until the first refresh).';
COMMENT ON COLUMN appraisal.refresh_status.changes_pending IS 'Statements that wrote the tables the summaries read since the last refresh (0: none).';
COMMENT ON COLUMN appraisal.refresh_status.tables_changed IS 'The tables those statements wrote, comma-separated ('''' when none).';
COMMENT ON COLUMN appraisal.refresh_status.oldest_change IS 'When the oldest of them started: the summaries miss changes since then (NULL: none).';
COMMENT ON COLUMN appraisal.refresh_status.next_time_change IS 'First instant after the last refresh at which time alone changes a figure (an SLA item falling overdue, a call-back window closing, ...): the summaries are stale from then on. NULL: no such instant (nothing pending in time), or not known before the first refresh.';
COMMENT ON COLUMN appraisal.refresh_status.stale_summaries IS 'The summaries the next refresh_scorecards() recomputes (appraisal.stale_summaries), comma-separated; '''' when none.';
COMMENT ON COLUMN appraisal.refresh_status.up_to_date IS 'The summaries are what a refresh would compute now: populated, no change pending, next_time_change not reached. False: the next refresh_scorecards() recomputes those in stale_summaries.';
GRANT SELECT ON appraisal.refresh_status TO appraisal_admin;
