-- appraisal install script, part 11: the materialized layer.  Per agent and
-- day (and per ratee and period for 360 reviews) the two-step summaries of
-- the raw tables, which the scorecard views roll up into any period or team.
-- refresh_scorecards() refreshes them; schedule_refresh() has pg_cron do it.
--
-- They are created WITH NO DATA: until the first refresh, reading them (or a
-- scorecard) fails with "has not been populated" instead of showing numbers
-- of empty tables.  pg_dump does not save an extension's materialized views,
-- so the same holds after a restore: refresh once, then on schedule.

-- The SLA policy of every ticket, found with one hash join: a ticket's
-- channel (priority) is kept when some policy names it, else replaced by ''
-- (no policy names ''), and sla_policy_matrix() holds the most specific
-- policy of every such pair, with the DOMAIN §4 defaults where none applies.
CREATE FUNCTION appraisal.sla_policy_matrix()
RETURNS TABLE (channel text, priority text, first_response_target interval, first_response_calendar text,
               resolution_target interval, resolution_calendar text)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  WITH channels(channel) AS (
    SELECT channel FROM appraisal.sla_policies WHERE channel IS NOT NULL UNION SELECT ''
  ), priorities(priority) AS (
    SELECT priority FROM appraisal.sla_policies WHERE priority IS NOT NULL UNION SELECT ''
  ), candidates(metric, channel, priority, target, calendar, rank) AS (
    SELECT sp.metric, c.channel, p.priority, sp.target, sp.calendar,
           2 * (sp.channel IS NULL)::int + (sp.priority IS NULL)::int
    FROM appraisal.sla_policies sp
    JOIN channels c ON sp.channel = c.channel OR sp.channel IS NULL
    JOIN priorities p ON sp.priority = p.priority OR sp.priority IS NULL
    UNION ALL   -- DOMAIN §4 defaults, below every policy
    SELECT m.metric, c.channel, p.priority, m.target, '24x7', 4
    FROM (VALUES ('first_response', interval '24 hours'), ('resolution', interval '48 hours')) m(metric, target),
         channels c, priorities p
  ), best AS (
    SELECT DISTINCT ON (metric, channel, priority) * FROM candidates ORDER BY metric, channel, priority, rank
  )
  SELECT f.channel, f.priority, f.target, f.calendar, r.target, r.calendar
  FROM best f JOIN best r USING (channel, priority)
  WHERE f.metric = 'first_response' AND r.metric = 'resolution';
END;
COMMENT ON FUNCTION appraisal.sla_policy_matrix() IS
  'The SLA policy in effect for every channel and priority named by some policy ('''' stands for all others): the most specific of appraisal.sla_policies (channel and priority, then channel, then priority, then general), else 24 hours to first response and 48 hours to resolution on 24x7 (DOMAIN §4). The materialized summaries find a ticket''s policy in it with one hash join.';

ALTER TABLE appraisal.sla_policies
  ADD CONSTRAINT "channel and priority must not be empty strings" CHECK (channel <> '' AND priority <> '');

-- Tickets per agent and day: SLA, FCR and complaint counts.
CREATE MATERIALIZED VIEW appraisal.agent_daily AS
WITH params AS (
  SELECT report_time_zone, repeat_window FROM appraisal.scorecard_parameters()
), keyed AS (
  SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.contacts, t.pauses,
         t.complaint, t.cause,
         CASE WHEN t.channel IN (SELECT channel FROM appraisal.sla_policy_matrix()) THEN t.channel ELSE '' END AS channel_key,
         CASE WHEN t.priority IN (SELECT priority FROM appraisal.sla_policy_matrix()) THEN t.priority ELSE '' END AS priority_key,
         -- the same customer's next ticket of the same category: a comeback
         CASE WHEN t.customer_id IS NOT NULL THEN
           lead(t.opened_at) OVER (PARTITION BY t.customer_id, t.category ORDER BY t.opened_at, t.ticket_id)
         END AS next_opened_at
  FROM appraisal.tickets t
)
SELECT k.agent_id,
       (k.opened_at AT TIME ZONE params.report_time_zone)::date AS day,
       count(*) AS tickets,
       -- resolving a ticket answers it: a ticket resolved without a recorded
       -- first response was first answered when resolved
       appraisal.sla_agg(k.opened_at, coalesce(k.first_response_at, k.resolved_at), m.first_response_target,
                         m.first_response_calendar, now(), k.pauses) AS first_response,
       appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                         m.resolution_calendar, now(), k.pauses) AS resolution,
       appraisal.fcr_agg(CASE WHEN k.resolved_at <= now() THEN k.contacts END,
                         -- a comeback before the resolution recurred too (gap 0)
                         CASE WHEN k.next_opened_at IS NOT NULL
                              THEN greatest(k.next_opened_at - k.resolved_at, interval '0') END,
                         params.repeat_window) AS fcr,
       count(*) FILTER (WHERE k.complaint) AS complaints,
       count(*) FILTER (WHERE k.cause = 'service') AS service_complaints,
       count(*) FILTER (WHERE k.cause = 'system') AS system_complaints,
       now() AS as_of
FROM keyed k
CROSS JOIN params
JOIN appraisal.sla_policy_matrix() m ON m.channel = k.channel_key AND m.priority = k.priority_key
WHERE k.opened_at <= now()   -- a ticket from after the refresh counts from the next one
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily (agent_id, day);
COMMENT ON MATERIALIZED VIEW appraisal.agent_daily IS
  'Per agent and day (tickets opened that day in the report time zone): two-step summaries of first-response and resolution SLA (against the ticket''s SLA policy, as of the refresh), FCR with recurrence, and complaint counts. Refreshed by appraisal.refresh_scorecards(); the scorecards roll it up.';
COMMENT ON COLUMN appraisal.agent_daily.agent_id IS 'Agent (appraisal.employees).';
COMMENT ON COLUMN appraisal.agent_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily.tickets IS 'Tickets opened that day, by the refresh.';
COMMENT ON COLUMN appraisal.agent_daily.first_response IS 'First-response SLA summary (sla_stats) as of the refresh.';
COMMENT ON COLUMN appraisal.agent_daily.resolution IS 'Resolution SLA summary (sla_stats) as of the refresh.';
COMMENT ON COLUMN appraisal.agent_daily.fcr IS 'FCR summary (fcr_stats) of the tickets resolved by the refresh; recurred when the customer came back in the same category within the repeat window.';
COMMENT ON COLUMN appraisal.agent_daily.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_daily.service_complaints IS 'Service-caused complaints (count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.system_complaints IS 'System-caused complaints (never count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.as_of IS 'When the summary was computed (the refresh).';

-- Survey responses per agent and day of the rated ticket, one per ticket.
CREATE MATERIALIZED VIEW appraisal.agent_daily_csat AS
WITH params AS (
  SELECT report_time_zone FROM appraisal.scorecard_parameters()
), counted AS (   -- DOMAIN §6: one response per ticket, web beats the rest
  SELECT DISTINCT ON (r.ticket_id) r.ticket_id, r.rating, r.scale_max
  FROM appraisal.survey_responses r
  ORDER BY r.ticket_id, CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC
)
SELECT t.agent_id,
       (t.opened_at AT TIME ZONE params.report_time_zone)::date AS day,
       c.scale_max,
       appraisal.csat_agg(c.rating, c.scale_max) AS csat,
       now() AS as_of
FROM counted c
JOIN appraisal.tickets t USING (ticket_id)
CROSS JOIN params
GROUP BY 1, 2, 3
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_csat (agent_id, day, scale_max);
COMMENT ON MATERIALIZED VIEW appraisal.agent_daily_csat IS
  'Per agent, day the rated tickets were opened and rating scale: two-step CSAT summary (csat_stats) of one response per ticket (web, else call-back, else SMS; the latest of equals), DOMAIN §6.';
COMMENT ON COLUMN appraisal.agent_daily_csat.agent_id IS 'Agent who handled the rated tickets.';
COMMENT ON COLUMN appraisal.agent_daily_csat.day IS 'Day the rated tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily_csat.scale_max IS 'Top of the rating scale (summaries of different scales are kept apart; the scorecards add up their counts of responses and satisfied responses).';
COMMENT ON COLUMN appraisal.agent_daily_csat.csat IS 'Counts of the ratings (csat_stats).';
COMMENT ON COLUMN appraisal.agent_daily_csat.as_of IS 'When the summary was computed (the refresh).';

-- Complaints per category and day: Pareto and spikes.
CREATE MATERIALIZED VIEW appraisal.category_daily AS
SELECT t.category,
       (t.opened_at AT TIME ZONE p.report_time_zone)::date AS day,
       count(*) AS tickets,
       count(*) FILTER (WHERE t.complaint) AS complaints,
       count(*) FILTER (WHERE t.cause = 'service') AS service_complaints,
       count(*) FILTER (WHERE t.cause = 'system') AS system_complaints,
       now() AS as_of
FROM appraisal.tickets t CROSS JOIN appraisal.scorecard_parameters() p
WHERE t.opened_at <= now()
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.category_daily (category, day);
COMMENT ON MATERIALIZED VIEW appraisal.category_daily IS 'Per ticket category and day: tickets and complaints, for the complaint Pareto and spike alerts.';
COMMENT ON COLUMN appraisal.category_daily.category IS 'Ticket category.';
COMMENT ON COLUMN appraisal.category_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.category_daily.tickets IS 'Tickets opened that day, by the refresh.';
COMMENT ON COLUMN appraisal.category_daily.complaints IS 'Complaints among them.';
COMMENT ON COLUMN appraisal.category_daily.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.as_of IS 'When the counts were taken (the refresh).';

-- 360 reviews per ratee and period: a review belongs to the period it
-- appraises, not to the day it was written.
CREATE MATERIALIZED VIEW appraisal.period_ratings AS
SELECT r.period, r.ratee_id,
       appraisal.rating_agg(r.score::double precision, r.role) AS ratings,
       now() AS as_of
FROM (SELECT period, ratee_id, rater_id, role, avg(score) AS score
        FROM appraisal.reviews_360
       GROUP BY period, ratee_id, rater_id, role) r
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.period_ratings (period, ratee_id);
COMMENT ON MATERIALIZED VIEW appraisal.period_ratings IS
  'Per period and ratee: the 360 ratings summary (appraisal.ratings), one rating per rater (the mean of the rater''s dimensions).';
COMMENT ON COLUMN appraisal.period_ratings.period IS 'Period appraised.';
COMMENT ON COLUMN appraisal.period_ratings.ratee_id IS 'Employee rated.';
COMMENT ON COLUMN appraisal.period_ratings.ratings IS 'Counts and exact sums of the ratings per rater role.';
COMMENT ON COLUMN appraisal.period_ratings.as_of IS 'When the summary was computed (the refresh).';

-- Refresh and schedule ---------------------------------------------------------

CREATE FUNCTION appraisal.refresh_scorecards()
RETURNS TABLE (materialized_view text, mode text, rows bigint, started_at timestamptz, duration interval)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  mv regclass;
  t0 timestamptz;
  problem text;
BEGIN
  -- The small tables the views join rarely reach autovacuum's thresholds;
  -- without statistics the planner guesses hundreds of periods and plans
  -- (and JIT-compiles) as for millions of rows.
  ANALYZE appraisal.setting_definitions, appraisal.settings, appraisal.employees, appraisal.periods,
          appraisal.sla_policies, appraisal.kpi_definitions, appraisal.kpi_results;
  -- A rater counts once per ratee and period: one role for all dimensions.
  SELECT format('%s rates %s in %s as %s', rater_id, ratee_id, period, string_agg(DISTINCT role::text, ' and '))
    INTO problem
    FROM appraisal.reviews_360
   GROUP BY period, ratee_id, rater_id
  HAVING count(DISTINCT role) > 1
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a 360 rater has two roles: %', problem
      USING ERRCODE = 'check_violation',
            HINT = 'Give every dimension of one rater''s review of one ratee in one period the same role in appraisal.reviews_360.';
  END IF;
  -- dependency order: none reads another yet, but keep this list in the
  -- order they would have to be refreshed in
  FOREACH mv IN ARRAY ARRAY['appraisal.agent_daily', 'appraisal.agent_daily_csat',
                            'appraisal.category_daily', 'appraisal.period_ratings']::regclass[] LOOP
    t0 := clock_timestamp();
    IF (SELECT relispopulated FROM pg_class WHERE oid = mv) THEN
      EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', mv);
      mode := 'concurrently';
    ELSE   -- the first refresh cannot be concurrent
      EXECUTE format('REFRESH MATERIALIZED VIEW %s', mv);
      mode := 'full';
    END IF;
    EXECUTE format('ANALYZE %s', mv);   -- fresh statistics for the views' plans
    materialized_view := mv::text;
    started_at := t0;
    duration := clock_timestamp() - t0;
    EXECUTE format('SELECT count(*) FROM %s', mv) INTO rows;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.refresh_scorecards() IS
  'Refreshes the materialized per-day summaries the scorecards read, in dependency order: concurrently (readers are not blocked) once populated, in full the first time, and analyzes them and the small tables the views join, so that the views are planned for their real sizes. Returns per materialized view the mode, its rows, when it started and how long it took (with its ANALYZE).';

CREATE FUNCTION appraisal.cron_job_name() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT 'appraisal refresh_scorecards in ' || current_database();
END;
COMMENT ON FUNCTION appraisal.cron_job_name() IS
  'Name of the pg_cron job schedule_refresh registers for the current database.';

CREATE FUNCTION appraisal.require_pg_cron() RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  preloaded boolean := current_setting('shared_preload_libraries') ~ '(^|[\s,])"?pg_cron"?($|[\s,])';
  cron_db text := coalesce(current_setting('cron.database_name', true), 'postgres');
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    RETURN;
  END IF;
  RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
    USING ERRCODE = 'feature_not_supported',
          DETAIL = CASE WHEN NOT preloaded THEN 'pg_cron is not in shared_preload_libraries.'
                        WHEN cron_db <> current_database() THEN format('pg_cron is preloaded and keeps its jobs in database "%s".', cron_db)
                        ELSE 'pg_cron is preloaded, but the extension is not created in this database.' END,
          HINT = CASE WHEN NOT preloaded
                        THEN format('Install postgresql-15-cron, set shared_preload_libraries = ''pg_cron'' and cron.database_name = %L in postgresql.conf, restart the server, then run CREATE EXTENSION pg_cron in this database.', current_database())
                      WHEN cron_db <> current_database()
                        THEN format('Set cron.database_name = %L and restart the server, then run CREATE EXTENSION pg_cron here; or, connected to database "%s", run SELECT cron.schedule_in_database(%L, ''30 2 * * *'', ''SELECT * FROM appraisal.refresh_scorecards()'', %L).',
                                    current_database(), cron_db, appraisal.cron_job_name(), current_database())
                      ELSE 'Run CREATE EXTENSION pg_cron in this database.' END;
END
$$;
COMMENT ON FUNCTION appraisal.require_pg_cron() IS
  'Raises an error saying how to enable pg_cron unless the pg_cron extension is installed in this database.';

CREATE FUNCTION appraisal.schedule_refresh(cron text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  job bigint;
BEGIN
  PERFORM appraisal.require_pg_cron();
  -- schedule_in_database: pg_cron may run in another database than ours.
  -- pg_cron (1.4) updates the job of the same name and role in place (same
  -- job id) but keeps its active flag: a job paused with cron.alter_job
  -- would stay paused, so switch it on again.
  EXECUTE 'SELECT cron.schedule_in_database($1, $2, $3, $4)'
    INTO job
    USING appraisal.cron_job_name(), cron, 'SELECT * FROM appraisal.refresh_scorecards()', current_database();
  EXECUTE 'SELECT cron.alter_job($1, active => true)' USING job;
  RETURN job;
END
$$;
COMMENT ON FUNCTION appraisal.schedule_refresh(text) IS
  'Has pg_cron run appraisal.refresh_scorecards() in this database on the given cron schedule (e.g. ''30 2 * * *'', nightly at 02:30 GMT: pg_cron 1.4 reads schedules in GMT, later versions in cron.timezone); scheduling again replaces the schedule and switches a paused job on. Returns the pg_cron job id. Fails, saying how to enable it, when pg_cron is not installed.';

CREATE FUNCTION appraisal.unschedule_refresh() RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  done boolean;
BEGIN
  PERFORM appraisal.require_pg_cron();
  IF NOT EXISTS (SELECT 1 FROM cron.job WHERE jobname = appraisal.cron_job_name()) THEN
    RETURN false;
  END IF;
  EXECUTE 'SELECT cron.unschedule($1)' INTO done USING appraisal.cron_job_name();
  RETURN done;
END
$$;
COMMENT ON FUNCTION appraisal.unschedule_refresh() IS
  'Removes the pg_cron job of schedule_refresh for this database; false when none was scheduled. Fails, saying how to enable it, when pg_cron is not installed.';
