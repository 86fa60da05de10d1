-- 60: operations: refresh_scorecards() and scheduling it with pg_cron.

-- Refresh and schedule ---------------------------------------------------------

-- What refresh_scorecards() recomputes of one summary of tickets: whole, or
-- the agent-days (for category_daily the days) asked, from the change log,
-- the agent-days time alone has moved since the last refresh, and for
-- agent_daily the comebacks; for category_daily also the tickets inserted,
-- which it adds to their days' counts (added).  Every row (whole) the first
-- time, after a write not known per agent-day, or for a fifth of a large
-- summary or more.  Without agent_days, whole alone (the rest NULL), for a
-- summary adjusted by the difference each ticket written makes: whole the
-- first time, after a write not known per agent-day, or when a tenth of
-- the tickets or more were written (each costs a recomputation by
-- difference about ten times what it costs in a full one).
-- The refresh's bookkeeping, read with the owner's rights (refresh_log is
-- the owner's): for appraisal_admin, as stale_summaries.
CREATE FUNCTION appraisal.refresh_keys(summary regclass, every_row boolean, time_agents text[], time_days date[],
                                       agent_days boolean DEFAULT true,
                                       OUT whole boolean, OUT agents text[], OUT days date[], OUT added text[])
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  summary_row record;
  -- category_daily adds the tickets inserted to their days' counts (on
  -- one node; on Citus it reads their days again)
  adding constant boolean := refresh_keys.summary = 'appraisal.category_daily'::regclass AND NOT appraisal.distributed();
BEGIN
  SELECT * INTO summary_row FROM appraisal.summary_sources() m WHERE m.summary = refresh_keys.summary;
  IF NOT FOUND OR refresh_keys.summary = 'appraisal.period_ratings'::regclass THEN
    RAISE EXCEPTION 'appraisal.refresh_keys: % is not a summary of tickets', refresh_keys.summary
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The summaries of tickets are appraisal.agent_daily, agent_daily_csat, category_daily and agent_daily_follow_up (appraisal.summary_sources; period_ratings is refreshed whole).';
  END IF;
  whole := refresh_keys.every_row
           OR EXISTS (SELECT FROM appraisal.refresh_log l
                      WHERE to_regclass(l.source) = ANY (summary_row.sources)
                        AND (l.agents IS NULL   -- not known per agent-day
                             -- days of another report time zone (changed since: logged too)
                             OR l.zone IS DISTINCT FROM report_zone AND cardinality(l.days) > 0));
  IF NOT whole AND NOT refresh_keys.agent_days THEN
    whole := (SELECT sum(cardinality(r.tickets)) FROM appraisal.refresh_log r WHERE r.source = 'appraisal.tickets')
             > (SELECT 0.1 * c.reltuples FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass AND c.reltuples > 100000);
    whole := coalesce(whole, false);
    RETURN;
  END IF;
  IF NOT whole THEN
    SELECT coalesce(array_agg(k.agent_id), '{}'), coalesce(array_agg(k.day), '{}')
      INTO agents, days
      FROM (SELECT l.agent_id, l.day
              FROM appraisal.refresh_log r, unnest(r.agents, r.days) l(agent_id, day)
             WHERE to_regclass(r.source) = ANY (summary_row.sources)
               AND NOT (refresh_keys.summary = 'appraisal.category_daily'::regclass AND r.source = 'appraisal.tickets' AND r.operation = 'UPDATE')
            UNION   -- category_daily counts tickets by category, opening, complaint and
                    -- cause: of an update, the days of the tickets it moved
                    -- (not those of a late resolution: every day of the year)
            SELECT NULL, appraisal.local_day((x ->> 'opened_at')::timestamptz, report_zone)
              FROM appraisal.refresh_log r, jsonb_array_elements(r.moved) x
             WHERE refresh_keys.summary = 'appraisal.category_daily'::regclass AND r.source = 'appraisal.tickets' AND r.operation = 'UPDATE'
            UNION   -- the tickets inserted, and those of responses, call-backs and
                    -- inspections, where they are now (an update's are its agent-days;
                    -- category_daily adds the tickets inserted, below)
            SELECT t.agent_id, appraisal.local_day(t.opened_at, report_zone)
              FROM appraisal.tickets t
             WHERE t.ticket_id IN (SELECT unnest(r.tickets) FROM appraisal.refresh_log r
                                    WHERE to_regclass(r.source) = ANY (summary_row.sources)
                                      AND NOT (r.source = 'appraisal.tickets'
                                               AND (r.operation = 'UPDATE' OR adding)))
            UNION
            SELECT e.agent_id, e.day FROM unnest(time_agents, time_days) e(agent_id, day)
             WHERE summary_row.changes_with_time) k;
    -- (on one node refresh_scorecards adds those of the tickets whose entry
    -- in recurred_tickets changed: keep_recurred_tickets)
    IF refresh_keys.summary = 'appraisal.agent_daily'::regclass AND appraisal.distributed() THEN
      SELECT coalesce(array_agg(k.agent_id), '{}'), coalesce(array_agg(k.day), '{}')
        INTO agents, days
        FROM (SELECT a.agent_id, a.day FROM unnest(agents, days) a(agent_id, day)
              UNION
              SELECT c.agent_id, c.day
                FROM appraisal.comeback_agent_days(
                       ARRAY(SELECT unnest(r.tickets) FROM appraisal.refresh_log r
                              WHERE r.source = 'appraisal.tickets' AND r.operation = 'INSERT'),
                       (SELECT jsonb_agg(x) FROM appraisal.refresh_log r, jsonb_array_elements(r.moved) x
                         WHERE r.source = 'appraisal.tickets')) c) k;
    END IF;
  END IF;
  IF NOT whole AND adding THEN
    added := ARRAY(SELECT unnest(r.tickets) FROM appraisal.refresh_log r
                    WHERE r.source = 'appraisal.tickets' AND r.operation = 'INSERT');
  END IF;
  -- agent-days for a fifth of a large summary or more: recomputing it
  -- whole reads the tickets as often and writes no more
  IF NOT whole AND refresh_keys.summary <> 'appraisal.category_daily'::regclass THEN
    whole := (SELECT cardinality(agents) > 0.2 * c.reltuples AND c.reltuples > 10000 FROM pg_class c WHERE c.oid = refresh_keys.summary);
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.refresh_keys(regclass, boolean, text[], date[], boolean) IS
  'What refresh_scorecards() recomputes of the summary of tickets given: whole (every_row, a write not known per agent-day, or a fifth of a large summary or more; without agent_days, for a summary adjusted by difference, a tenth of the tickets written or more, and whole alone is returned), else the agent-days agents[i], days[i] (for category_daily the days) logged in appraisal.refresh_log, moved by time (time_agents[i], time_days[i], for a summary that changes with time) and for agent_daily on a Citus cluster whose comebacks changed (comeback_agent_days; on one node refresh_scorecards adds those of keep_recurred_tickets); for category_daily on one node the days of the tickets deleted or moved, and the tickets inserted (added), which it adds to their days'' counts. Reads the change log with the extension owner''s rights (SECURITY DEFINER): for appraisal_admin.';
REVOKE ALL ON FUNCTION appraisal.refresh_keys(regclass, boolean, text[], date[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.refresh_keys(regclass, boolean, text[], date[], boolean) TO appraisal_admin;

-- Writing the summaries takes their owner: the function runs as the
-- extension's owner (SECURITY DEFINER, fixed work, one boolean, pinned
-- search_path) and only appraisal_admin may call it.
--
-- Progress goes to the server log (RAISE LOG, so a nightly pg_cron run leaves
-- it there too): one line per step with its rows, the seconds in DETAIL;
-- SET client_min_messages = log shows it in the session.  The problems
-- appraisal.data_health finds after the refresh are reported to the caller:
-- WARNING for severity empty or stale, NOTICE for thin and info, with the fix
-- as HINT, and in the result's last row (docs/operations.md, "Data health").
CREATE FUNCTION appraisal.refresh_scorecards(full boolean DEFAULT false)
RETURNS TABLE (materialized_view text, mode text, rows bigint, started_at timestamptz, duration interval, problems text[])
LANGUAGE plpgsql SECURITY DEFINER
-- JIT-compiling the summaries' long expressions costs more than it saves:
-- about a sixth of agent_daily's time at 2M tickets
SET jit = off
-- each statement planned for the arrays of keys it is given, at every call
-- (and the statements of the functions it calls: keep_recurred_tickets).
-- PL/pgSQL's plan cache would switch to a generic plan after five calls in
-- one session, where an array is a parameter of unknown length: estimated
-- at a few elements, and `= ANY` and `<> ALL` over it tested element by
-- element instead of hashed.  At 10M tickets, in a session that had
-- refreshed five times, a refresh after a day of tickets took 2.2 s
-- instead of 0.86 s, and 19.8 s instead of 0.99 s after a day in which
-- every ticket came back (34,000 ticket ids compared with each of 31,000
-- comebacks).  A custom plan costs its planning at each call: some 30 ms.
SET plan_cache_mode = force_custom_plan
-- the per agent and day groups of a year of tickets hashed in memory
-- rather than every ticket sorted on disk (360,000 agent-days take about
-- 240 MB of the 512 MB a hash may use with hash_mem_multiplier 2)
SET work_mem = '256MB'
-- the summaries' calendar arithmetic (a call-back window of days) in the
-- report time zone, whoever refreshes (set below), not in the session's
SET TimeZone = 'UTC'
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  stale regclass[];   -- the summaries to recompute, in refresh order
  mv regclass;
  summary record;
  st appraisal.refresh_state;
  whole boolean;
  report_zone text;
  any_whole boolean := false;   -- a summary recomputed whole (or a materialized view refreshed)
  time_agents text[] := '{}';   -- the agent-days time alone has moved since the last refresh
  time_days date[] := '{}';
  agents text[];
  days date[];
  t0 timestamptz;
  key_order text;   -- the columns of a summary's unique index, in order
  problem text;
  h record;
  every_row boolean;   -- every summary of tickets recomputed whole
  parallel_workers constant text := current_setting('max_parallel_workers_per_gather');   -- the caller's
  setup_cost constant text := current_setting('parallel_setup_cost');   -- the caller's
  tuple_cost constant text := current_setting('parallel_tuple_cost');   -- the caller's
  keys record;   -- of a summary: refresh_keys
  follow_up_mode text;   -- the follow-up summary's, when written with the CSAT one
  time_whole boolean := false;   -- a summary that changes with time recomputed whole
  written_tickets text[];   -- the tickets written, when only their events can be new
  calls_written boolean;   -- with them: call-backs or survey responses written
  added text[];   -- the tickets inserted, which category_daily adds to its counts
  time_next timestamptz;   -- when time alone has moved figures: its next change after now()
  ticket_rows tid[];   -- on one node, the tickets of the agent-days of agent_daily and of the CSAT and follow-up pass
  read_agents text[];   -- with read_days: those agent-days
  read_days date[];
  pass_keys record;   -- refresh_keys of agent_daily_csat and agent_daily_follow_up, when read with agent_daily's
  pass_follow_up_keys record;
  pass_known boolean := false;
  customers text[];   -- with categories: those of the tickets written, gone or moved (on one node)
  categories text[];
  customer_rows tid[];   -- the tickets of those customers and categories
  adjusted bigint := 0;   -- agent_daily's rows whose FCR the kept comebacks changed
  missing_agents text[];   -- with missing_days: agent-days so changed without a row
  missing_days date[];
  by_difference boolean := false;   -- agent_daily adjusted by the difference the tickets written make
  written text[] := '{}';   -- those tickets
  versions jsonb;   -- the versions of those that the last refresh counted, with their comebacks then
  written_rows tid[];   -- with written_agents and written_days: those tickets now, their addresses and agent-days
  written_agents text[];
  written_days date[];
  inserted_rows tid[];   -- with the two below: those of them inserted since the last refresh
  inserted_agents text[];
  inserted_days date[];
  differenced bigint := 0;   -- agent_daily's rows so written
  extending boolean := false;   -- the comebacks of those tickets found from the active tickets alone
  if_active text[];   -- and those tickets whose resolution changed, if each is an active ticket
  written_comebacks jsonb;   -- the comebacks of the tickets written, as of now (keep_recurred_tickets)
  pass_by_difference boolean := false;   -- the CSAT and follow-up summaries adjusted so too
  version_agents text[];   -- with version_days: the agent-days of those versions
  version_days date[];
  no_sla constant appraisal.sla_stats := 'met=0 late=0 overdue=0 pending=0 elapsed=0s';
  no_fcr constant appraisal.fcr_stats := 'resolved=0 first_contact=0 recurred=0';
  row_counts jsonb;   -- per summary of agent-days its rows, as the last refresh left them (refresh_state.summary_rows)
  whole_rows jsonb := '{}';   -- per summary recomputed whole, the rows its statement wrote
  agent_daily_change bigint := 0;   -- in a changed refresh, the rows it inserted less those it deleted:
  csat_change bigint := 0;          -- of agent_daily, agent_daily_csat and agent_daily_follow_up
  follow_up_change bigint := 0;
  inserted_count bigint;   -- with deleted_count and the two below: the rows of one statement
  deleted_count bigint;
  csat_inserted bigint;
  csat_deleted bigint;
  recompute_all boolean;   -- every summary whole: full, or the comebacks kept lost
  unanalyzed text;   -- the small tables to analyze, as a list
BEGIN
  -- Only the summaries that may have changed are recomputed: those whose
  -- tables were written since the last refresh, those time alone has
  -- changed since, all of them the first time or on full => true (42:
  -- stale_summaries); the others are what a refresh would compute, and say
  -- so in a row of mode unchanged.  With none to recompute, the health
  -- check is not repeated either (the view appraisal.data_health runs it
  -- on demand).  A change committed after this look is refreshed by the
  -- next call.
  -- One refresh at a time: a second one while another runs would redo its
  -- work (under REPEATABLE READ only to fail on refresh_state at the end).
  -- It returns at once, mode busy; the running one takes every change
  -- committed before it started, the next call the rest.
  IF NOT pg_try_advisory_xact_lock('appraisal.refresh_state'::regclass::oid::integer, 0) THEN
    RAISE NOTICE 'appraisal: another refresh_scorecards() is running: this call did nothing';
    RETURN QUERY SELECT m.summary::text, 'busy'::text, NULL::bigint, clock_timestamp(), interval '0', NULL::text[]
                   FROM appraisal.summary_sources() m ORDER BY m.refresh_order;
    RETURN;
  END IF;
  -- under REPEATABLE READ, a snapshot taken before another refresh committed
  -- fails here at once (serialization) rather than after all its work
  PERFORM FROM appraisal.refresh_state FOR UPDATE;
  -- On a Citus cluster the writes to the distributed tables are logged on
  -- the workers: their rows are taken into this log first, before the
  -- refresh reads any shard, so that every change taken is one its reads
  -- see (42: take_node_logs)
  IF appraisal.distributed() THEN
    PERFORM appraisal.take_node_logs();
  END IF;
  report_zone := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  PERFORM set_config('TimeZone', report_zone, true);
  -- On one node the comebacks the refresh keeps are unlogged tables (40:
  -- recurred_tickets, active_tickets): after a crash or a standby's
  -- promotion they are empty, comebacks_kept with them, and every summary
  -- is recomputed, as with full => true, which computes them anew.
  recompute_all := refresh_scorecards.full
                   OR NOT appraisal.distributed() AND NOT EXISTS (SELECT FROM appraisal.comebacks_kept);
  SELECT CASE WHEN recompute_all THEN array_agg(m.summary ORDER BY m.refresh_order)
              ELSE appraisal.stale_summaries(now()) END
    INTO stale
    FROM appraisal.summary_sources() m;
  IF cardinality(stale) = 0 THEN
    RETURN QUERY SELECT m.summary::text, 'unchanged'::text, NULL::bigint, clock_timestamp(), interval '0', NULL::text[]
                   FROM appraisal.summary_sources() m ORDER BY m.refresh_order;
    RETURN;
  END IF;
  -- The summaries must describe the same data: a ticket committed
  -- between two of them would count as a ticket but not in its SLA columns,
  -- or a response without its ticket.  Under REPEATABLE READ (or
  -- SERIALIZABLE) every REFRESH reads the transaction's one snapshot, the
  -- one stale_summaries read the log with.  Under READ COMMITTED each
  -- statement takes a snapshot of its own, so the tables the summaries read
  -- are kept from changing until the transaction ends (their writers wait,
  -- readers do not; docs/operations.md, "One snapshot"), and the log is read
  -- again once they are: what was written before is all there is, and every
  -- log row the refresh deletes at the end is one it has seen.
  IF current_setting('transaction_isolation') = 'read committed' THEN
    EXECUTE (SELECT format('LOCK TABLE %s IN SHARE MODE', string_agg(DISTINCT t::text, ', '))
               FROM appraisal.summary_sources() m, unnest(m.sources || 'appraisal.employees'::regclass) t);
    IF NOT recompute_all THEN
      stale := appraisal.stale_summaries(now());
    END IF;
  END IF;
  -- The small tables the views join rarely reach autovacuum's thresholds;
  -- without statistics the planner guesses hundreds of periods and plans
  -- (and JIT-compiles) as for millions of rows.  Those written since their
  -- last analysis, as the statistics collector has seen it, or never
  -- analyzed (analyzing all seven took 12-15 ms at 10M tickets, a tenth
  -- of a small refresh, mostly for nothing).  A write counted after this
  -- look is analyzed by the next refresh.
  -- (On Citus they are reference tables, analyzed on the workers.)
  IF NOT appraisal.distributed() THEN
    SELECT string_agg(t::text, ', ')
      INTO unanalyzed
      FROM unnest(ARRAY['appraisal.setting_definitions', 'appraisal.settings', 'appraisal.employees', 'appraisal.periods',
                        'appraisal.sla_policies', 'appraisal.kpi_definitions', 'appraisal.kpi_results']::regclass[]) t
     WHERE pg_stat_get_mod_since_analyze(t) > 0
        OR coalesce(pg_stat_get_last_analyze_time(t), pg_stat_get_last_autoanalyze_time(t)) IS NULL;
    IF unanalyzed IS NOT NULL THEN
      EXECUTE 'ANALYZE ' || unanalyzed;
    END IF;
  END IF;
  -- A rater counts once per ratee and period: one role for all dimensions
  -- (checked when period_ratings, which reads the reviews, is recomputed:
  -- the reviews were written since the last refresh, which checked them)
  IF 'appraisal.period_ratings'::regclass = ANY (stale) THEN
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
  END IF;
  -- Each summary of tickets is recomputed whole (full => true, the first
  -- refresh, after an update, or when a table it reads was written in a way
  -- not logged per agent-day: a setting, a policy, a calendar, a TRUNCATE),
  -- else only for the agent-days logged for its tables (refresh_log), those
  -- whose figures time alone has moved since the last refresh
  -- (summary_events), and for agent_daily the earlier tickets whose
  -- comeback those changes may have changed (comeback_agent_days): each
  -- summary's from refresh_keys.  The
  -- rows are deleted and computed again in this transaction: readers see
  -- the old ones until it commits.  period_ratings, a materialized view, is
  -- refreshed whole.
  SELECT * INTO st FROM appraisal.refresh_state;
  row_counts := st.summary_rows;
  every_row := recompute_all OR st.refreshed_at IS NULL OR st.next_change_at = '-infinity';
  -- Recomputing some agent-days, as a refresh scheduled every minute does
  -- while the tickets come in, it runs serially: with parallel workers it
  -- would take every core from the writers.  At 10M tickets on 2 cores,
  -- single-ticket inserts with such a refresh every 10 s had a p99 of 7.0
  -- and 12.0 ms; serially a median of 2.9 ms over six runs, against 4.3 ms
  -- over seven without any refresh (a noisy machine), each refresh taking
  -- 25-31 s instead of 20-28 s (docs/performance.md).  A summary recomputed
  -- whole has the caller's workers.
  IF NOT every_row THEN
    PERFORM set_config('max_parallel_workers_per_gather', '0', true);
  END IF;
  IF NOT recompute_all AND st.refreshed_at IS NOT NULL AND now() >= st.next_change_at THEN
    -- (and, from the same read of the tickets, the first instant still to come)
    SELECT coalesce(array_agg(e.agent_id) FILTER (WHERE e.due), '{}'), coalesce(array_agg(e.day) FILTER (WHERE e.due), '{}'),
           coalesce(min(e.next_at), 'infinity')
      INTO time_agents, time_days, time_next
      FROM (SELECT e.agent_id, e.day, bool_or(e.at <= now()) AS due, min(e.next_at) AS next_at
              FROM appraisal.summary_events(st.refreshed_at, NULL, now()) e
             GROUP BY e.agent_id, e.day) e;
  END IF;
  FOR summary IN SELECT * FROM appraisal.summary_sources() x ORDER BY x.refresh_order LOOP
    mv := summary.summary;
    t0 := clock_timestamp();
    materialized_view := mv::text;
    started_at := t0;
    IF NOT mv = ANY (stale) THEN
      mode := 'unchanged';
      rows := NULL;
      duration := interval '0';
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF mv = 'appraisal.period_ratings'::regclass THEN
      IF (SELECT relispopulated FROM pg_class WHERE oid = mv) THEN
        REFRESH MATERIALIZED VIEW CONCURRENTLY appraisal.period_ratings;
        mode := 'concurrently';
      ELSE   -- the first refresh cannot be concurrent
        REFRESH MATERIALIZED VIEW appraisal.period_ratings;
        mode := 'full';
      END IF;
      any_whole := true;
    ELSE
      IF NOT (mv = 'appraisal.agent_daily_follow_up'::regclass AND follow_up_mode IS NOT NULL) THEN
        IF mv = 'appraisal.agent_daily_csat'::regclass AND pass_known THEN
          keys := pass_keys;
        ELSE
          -- (of agent_daily on one node, adjusted by difference, whole alone)
          SELECT * INTO keys FROM appraisal.refresh_keys(mv, every_row, time_agents, time_days,
                                                         NOT (mv = 'appraisal.agent_daily'::regclass AND NOT appraisal.distributed()));
        END IF;
        whole := keys.whole;
        agents := keys.agents;
        days := keys.days;
        added := keys.added;
      END IF;
      -- On one node, when agent_daily is not recomputed whole, its rows are
      -- adjusted by difference: each ticket written since the last refresh
      -- (refresh_log) is taken out of its agent-day's row as it counted
      -- then (the version before the first statement that wrote it, logged
      -- by the trigger, with the comeback it had, as of the last refresh:
      -- agent_daily_rows given versions) and added as it counts now, with
      -- the comeback keep_recurred_tickets returns for it (none of a ticket
      -- inserted since, or deleted); the summaries' types have
      -- exact inverses (sla_stats_combine_inv, fcr_stats_combine_inv).
      -- Nothing else of those rows can have changed but by time, and the
      -- agent-days time alone has moved are recomputed.  (Every update or
      -- delete logged per agent-day logs its rows as they were; a mass one,
      -- logged without, has every row recomputed.)
      -- The tickets that recurred are kept for the tickets written
      -- (recurred_tickets, 40; keep_recurred_tickets, 42).  One read of
      -- every ticket finds the addresses (ctid) of the tickets of the
      -- agent-days recomputed and of those the CSAT and follow-up pass
      -- recomputes (its keys read here), which both then read alone
      -- (agent_daily_rows, agent_daily_csat_follow_up_rows), and of the
      -- tickets of the customers and categories written, gone or moved,
      -- whose entries are computed anew from them.  An entry that came or
      -- went changes the FCR of its ticket's agent-day by one recurrence
      -- (and one first-contact resolution): a written ticket's is in its
      -- difference, an agent-day recomputed has it, any other ticket's is
      -- added to its row, nothing else of it having changed since the last
      -- refresh.  (At 10M tickets, after the bench's change, the read
      -- testing both took 1.54-1.61 s, against 1.15 s and 1.09-1.14 s for
      -- two reads, one before the entries, one after, for the agent-days
      -- whose entries changed.)  An agent-day that has no row then (none is
      -- expected: its ticket would have been counted by the last refresh) is
      -- recomputed, its tickets read apart.
      IF mv = 'appraisal.agent_daily'::regclass AND NOT whole AND NOT appraisal.distributed() THEN
        by_difference := true;
        -- Each ticket written, and the version the first statement that
        -- wrote it found (none: it inserted it), with its comeback then;
        -- and the address and agent-day of each one there now, those
        -- inserted since the last refresh apart (each looked up by its
        -- key, the comeback only for a ticket with a version).
        -- The comebacks are found from the active tickets alone
        -- (keep_recurred_tickets without customers) when every ticket
        -- written that is a customer's (system-caused complaints left out),
        -- as it was or as it is, was opened after the latest opening seen
        -- (inserted since), or kept its customer, category, opening and
        -- cause and either its resolution too or is an active ticket
        -- (extending).  Any other write has the tickets of the customers
        -- written read.
        SELECT coalesce(array_agg(f.ticket_id), '{}'),
               coalesce(jsonb_agg(f.version || jsonb_build_object('next_opened_at', c.next_opened_at))
                          FILTER (WHERE f.version IS NOT NULL), '[]'),
               coalesce(array_agg((f.o).agent_id) FILTER (WHERE f.version IS NOT NULL), '{}'),
               coalesce(array_agg(appraisal.local_day((f.o).opened_at, report_zone)) FILTER (WHERE f.version IS NOT NULL), '{}'),
               coalesce(array_agg(t.ctid) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NOT NULL), '{}'),
               coalesce(array_agg(t.agent_id) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NOT NULL), '{}'),
               coalesce(array_agg(appraisal.local_day(t.opened_at, report_zone)) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NOT NULL), '{}'),
               coalesce(array_agg(t.ctid) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NULL), '{}'),
               coalesce(array_agg(t.agent_id) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NULL), '{}'),
               coalesce(array_agg(appraisal.local_day(t.opened_at, report_zone)) FILTER (WHERE t.ctid IS NOT NULL AND f.version IS NULL), '{}'),
               coalesce(bool_and(e.extends IS DISTINCT FROM false), true),
               coalesce(array_agg(t.ticket_id) FILTER (WHERE e.extends IS NULL), '{}')
          INTO written, versions, version_agents, version_days, written_rows, written_agents, written_days,
               inserted_rows, inserted_agents, inserted_days, extending, if_active
          FROM (SELECT f.ticket_id, f.version,   -- (the version as a row, o, for a ticket that has one)
                       CASE WHEN f.version IS NOT NULL THEN jsonb_populate_record(NULL::appraisal.tickets, f.version) END AS o
                  FROM (SELECT DISTINCT ON (e.ticket_id COLLATE "C") e.ticket_id, e.version
                          FROM appraisal.refresh_log r
                          CROSS JOIN LATERAL (SELECT o ->> 'ticket_id', 0, o FROM jsonb_array_elements(r.before) o
                                              UNION ALL
                                              SELECT n, 1, NULL::jsonb FROM unnest(r.tickets) n) e(ticket_id, side, version)
                         WHERE r.source = 'appraisal.tickets'
                         ORDER BY e.ticket_id COLLATE "C", r.id, e.side) f
                OFFSET 0) f   -- (computed once, not at each use)
          LEFT JOIN LATERAL (SELECT c.next_opened_at FROM appraisal.recurred_tickets c
                              WHERE f.version IS NOT NULL AND c.ticket_id = f.ticket_id OFFSET 0) c ON true
          LEFT JOIN appraisal.tickets t ON t.ticket_id = f.ticket_id
          -- whether it lets the comebacks be found from the active tickets
          -- (NULL: if it is one; an open ticket is)
          CROSS JOIN LATERAL (
            SELECT CASE WHEN NOT ((f.o).customer_id IS NOT NULL AND (f.o).cause IS DISTINCT FROM 'system')
                             AND NOT (t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system') THEN true
                        WHEN f.version IS NULL THEN coalesce(t.opened_at > st.latest_opening, false)
                        WHEN t.ctid IS NULL THEN false
                        WHEN ((f.o).customer_id, (f.o).category, (f.o).opened_at, (f.o).customer_id IS NOT NULL AND (f.o).cause IS DISTINCT FROM 'system')
                             IS DISTINCT FROM
                             (t.customer_id, t.category, t.opened_at, t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system')
                        THEN false
                        WHEN (f.o).resolved_at IS NOT DISTINCT FROM t.resolved_at OR (f.o).resolved_at IS NULL THEN true END AS extends) e;
        -- the others whose resolution changed, if each is an active ticket
        -- (the table has no index, 40: one scan of it, hashed against them)
        IF extending AND cardinality(if_active) > 0 THEN
          extending := (SELECT count(DISTINCT a.ticket_id) FROM appraisal.active_tickets a WHERE a.ticket_id IN (SELECT unnest(if_active))) = cardinality(if_active);
        END IF;
        written_rows := written_rows || inserted_rows;
        written_agents := written_agents || inserted_agents;
        written_days := written_days || inserted_days;
        agents := time_agents;   -- recomputed: the agent-days time alone has moved
        days := time_days;
        read_agents := agents;
        read_days := days;
        IF 'appraisal.agent_daily_csat'::regclass = ANY (stale) AND 'appraisal.agent_daily_follow_up'::regclass = ANY (stale) THEN
          -- The CSAT and follow-up pass by difference too when only tickets
          -- were written: the responses, call-backs and inspections of the
          -- tickets written are then as the last refresh counted them, and
          -- their old versions with them count as they did (it recomputes the
          -- agent-days time alone has moved, read for agent_daily).  A write
          -- of a row of those tables has it recompute the agent-days logged
          -- (a statement that wrote none, as a ticket's delete cascading to
          -- no response, is logged with no ticket).  Their keys: whether
          -- whole alone, by difference; else their agent-days too, read here
          -- with agent_daily's.
          pass_by_difference := NOT EXISTS (SELECT FROM appraisal.refresh_log r
                                            WHERE to_regclass(r.source) IN ('appraisal.survey_responses'::regclass, 'appraisal.call_backs'::regclass,
                                                                            'appraisal.quality_inspections'::regclass)
                                              AND cardinality(r.tickets) IS DISTINCT FROM 0);
          SELECT * INTO pass_keys FROM appraisal.refresh_keys('appraisal.agent_daily_csat', every_row, time_agents, time_days, NOT pass_by_difference);
          SELECT * INTO pass_follow_up_keys FROM appraisal.refresh_keys('appraisal.agent_daily_follow_up', every_row, time_agents, time_days,
                                                                        NOT pass_by_difference);
          pass_known := true;
          IF pass_by_difference AND (pass_keys.whole OR pass_follow_up_keys.whole) THEN
            -- (then as their keys say, with their agent-days)
            pass_by_difference := false;
            SELECT * INTO pass_keys FROM appraisal.refresh_keys('appraisal.agent_daily_csat', every_row, time_agents, time_days);
            SELECT * INTO pass_follow_up_keys FROM appraisal.refresh_keys('appraisal.agent_daily_follow_up', every_row, time_agents, time_days);
          END IF;
          IF NOT pass_by_difference AND NOT pass_keys.whole AND NOT pass_follow_up_keys.whole THEN
            read_agents := read_agents || pass_keys.agents || pass_follow_up_keys.agents;
            read_days := read_days || pass_keys.days || pass_follow_up_keys.days;
          END IF;
        END IF;
        -- the customers and categories of the tickets written, gone or moved
        customers := '{}';
        categories := '{}';
        IF NOT extending THEN
          SELECT coalesce(array_agg(c.customer_id), '{}'), coalesce(array_agg(c.category), '{}')
            INTO customers, categories
            FROM (SELECT t.customer_id, t.category
                    FROM appraisal.tickets t
                   WHERE t.customer_id IS NOT NULL   -- (through the table's key)
                     AND t.ticket_id = ANY (ARRAY(SELECT unnest(r.tickets) FROM appraisal.refresh_log r WHERE r.source = 'appraisal.tickets'))
                  UNION
                  SELECT m.customer_id, m.category
                    FROM appraisal.refresh_log r
                    CROSS JOIN jsonb_to_recordset(r.moved) m(customer_id text, category text)
                   WHERE r.source = 'appraisal.tickets' AND m.customer_id IS NOT NULL) c;
        END IF;
        ticket_rows := '{}';
        customer_rows := '{}';
        IF cardinality(read_days) > 0 OR cardinality(customers) > 0 THEN
          SELECT coalesce(array_agg(x.ctid) FILTER (WHERE x.asked), '{}'), coalesce(array_agg(x.ctid) FILTER (WHERE x.written), '{}')
            INTO ticket_rows, customer_rows
            FROM (SELECT t.ctid,
                         appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, report_zone), read_agents, read_days) AS asked,
                         appraisal.pair_in(t.customer_id, t.category, customers, categories) AS written
                    FROM appraisal.tickets t) x
           WHERE x.asked OR x.written;
        END IF;
        WITH kept AS MATERIALIZED (
          SELECT c.* FROM appraisal.keep_recurred_tickets(CASE WHEN NOT extending THEN customers END, categories,
                                                          CASE WHEN extending THEN written_rows ELSE customer_rows END,
                                                          CASE WHEN by_difference THEN written ELSE '{}' END) c
        ), changes AS (
          SELECT c.* FROM kept c
          WHERE c.agent_id IS NOT NULL AND (c.first_contact_change, c.recurred_change) <> (0, 0)
            AND NOT EXISTS (SELECT FROM unnest(agents, days) a(agent_id, day) WHERE a.agent_id = c.agent_id AND a.day = c.day)
        ), changed AS (
          UPDATE appraisal.agent_daily d
             SET fcr = format('resolved=%s first_contact=%s recurred=%s', appraisal.resolved(d.fcr),
                              appraisal.first_contact_resolved(d.fcr) + c.first_contact_change,
                              appraisal.recurred(d.fcr) + c.recurred_change)::appraisal.fcr_stats,
                 as_of = now()
            FROM changes c
           WHERE d.agent_id = c.agent_id AND d.day = c.day
          RETURNING d.agent_id, d.day
        )
        SELECT (SELECT count(*) FROM changed),
               coalesce(array_agg(c.agent_id), '{}'), coalesce(array_agg(c.day), '{}'),
               -- (of each ticket written, the entry keep_recurred_tickets
               -- returns, else that of its version: a ticket it did not
               -- compute kept its entry)
               (SELECT coalesce(jsonb_object_agg(e.ticket_id, e.next_opened_at) FILTER (WHERE e.next_opened_at IS NOT NULL), '{}')
                  FROM (SELECT DISTINCT ON (e.ticket_id) e.ticket_id, e.next_opened_at
                          FROM (SELECT k.ticket_id, k.next_opened_at, 0 AS rank FROM kept k WHERE k.agent_id IS NULL
                                UNION ALL
                                SELECT v.ticket_id, v.next_opened_at, 1
                                  FROM jsonb_to_recordset(versions) v(ticket_id text, next_opened_at timestamptz)) e
                         ORDER BY e.ticket_id, e.rank) e)
          INTO adjusted, missing_agents, missing_days, written_comebacks
          FROM changes c
         WHERE NOT EXISTS (SELECT FROM changed u WHERE u.agent_id = c.agent_id AND u.day = c.day);
        IF cardinality(missing_days) > 0 THEN
          agents := agents || missing_agents;
          days := days || missing_days;
          ticket_rows := ticket_rows || ARRAY(SELECT t.ctid FROM appraisal.tickets t
                                               WHERE appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, report_zone),
                                                                       missing_agents, missing_days));
        END IF;
        -- the difference, in the agent-days not recomputed: a row less the
        -- written tickets as they counted, plus them as they count now;
        -- gone when it counts no ticket (those now from the tickets at
        -- their addresses, without the agent-days they fall on: each is on
        -- one of them, and testing every ticket against them cost 15-25 ms
        -- at the bench's change)
        IF by_difference AND cardinality(written) > 0 THEN
          WITH delta AS (
            SELECT d.*, 1 AS sign FROM appraisal.agent_daily_rows(NULL, NULL, written_rows, true, comebacks => written_comebacks) d
            UNION ALL
            SELECT d.*, -1 FROM appraisal.agent_daily_rows(NULL, NULL, NULL, true, st.refreshed_at, versions) d
          ), summed AS (
            SELECT d.agent_id, d.day, sum(d.sign * d.tickets) AS tickets,
                   appraisal.rollup(d.first_response) FILTER (WHERE d.sign > 0) AS first_response_in,
                   appraisal.rollup(d.first_response) FILTER (WHERE d.sign < 0) AS first_response_out,
                   appraisal.rollup(d.resolution) FILTER (WHERE d.sign > 0) AS resolution_in,
                   appraisal.rollup(d.resolution) FILTER (WHERE d.sign < 0) AS resolution_out,
                   appraisal.rollup(d.fcr) FILTER (WHERE d.sign > 0) AS fcr_in,
                   appraisal.rollup(d.fcr) FILTER (WHERE d.sign < 0) AS fcr_out,
                   sum(d.sign * d.complaints) AS complaints, sum(d.sign * d.service_complaints) AS service_complaints,
                   sum(d.sign * d.system_complaints) AS system_complaints,
                   sum(d.sign * d.system_first_responses_excluded) AS system_first_responses_excluded,
                   appraisal.rollup(d.complaint_handling) FILTER (WHERE d.sign > 0) AS complaint_handling_in,
                   appraisal.rollup(d.complaint_handling) FILTER (WHERE d.sign < 0) AS complaint_handling_out
              FROM delta d
             WHERE NOT EXISTS (SELECT FROM unnest(agents, days) a(agent_id, day) WHERE a.agent_id = d.agent_id AND a.day = d.day)
             GROUP BY d.agent_id, d.day
          ), gone AS (
            DELETE FROM appraisal.agent_daily a USING summed s
             WHERE a.agent_id = s.agent_id AND a.day = s.day
            RETURNING a.*
          ), came AS (
            INSERT INTO appraisal.agent_daily
            SELECT s.agent_id, s.day, coalesce(g.tickets, 0) + s.tickets,
                   appraisal.sla_stats_combine_inv(appraisal.sla_stats_combine(coalesce(g.first_response, no_sla), s.first_response_in), s.first_response_out),
                   appraisal.sla_stats_combine_inv(appraisal.sla_stats_combine(coalesce(g.resolution, no_sla), s.resolution_in), s.resolution_out),
                   appraisal.fcr_stats_combine_inv(appraisal.fcr_stats_combine(coalesce(g.fcr, no_fcr), s.fcr_in), s.fcr_out),
                   coalesce(g.complaints, 0) + s.complaints, coalesce(g.service_complaints, 0) + s.service_complaints,
                   coalesce(g.system_complaints, 0) + s.system_complaints,
                   coalesce(g.system_first_responses_excluded, 0) + s.system_first_responses_excluded,
                   appraisal.sla_stats_combine_inv(appraisal.sla_stats_combine(coalesce(g.complaint_handling, no_sla), s.complaint_handling_in),
                                                   s.complaint_handling_out),
                   now()
              FROM summed s
              LEFT JOIN gone g ON g.agent_id = s.agent_id AND g.day = s.day
             WHERE coalesce(g.tickets, 0) + s.tickets > 0
             ORDER BY s.agent_id, s.day
            RETURNING 1
          )
          SELECT (SELECT count(*) FROM came), (SELECT count(*) FROM gone) INTO differenced, deleted_count;
          agent_daily_change := agent_daily_change + differenced - deleted_count;
        END IF;
      END IF;
      -- The rows are written in the order of the table's unique index: its
      -- entries then go in one after the other, and the uniqueness check of
      -- each finds the row it replaces (deleted just before, in this
      -- transaction) where the last refresh wrote it, next to the previous
      -- one's.  In the order the rows come, every entry and every check
      -- lands on another page (at 10M tickets the follow-up summary's rows
      -- took 1.9-3.2 s to write that way, 1.2-1.8 s in index order).
      SELECT string_agg(format('%I', a.attname), ', ' ORDER BY k.n)
        INTO key_order
        FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE i.indrelid = mv AND i.indisunique;
      -- The CSAT and follow-up summaries on one node: from one pass over the
      -- tickets and their responses (41: agent_daily_csat_follow_up_rows)
      -- when both are recomputed, every row of both or the agent-days of
      -- either in both, each written in the order of its unique index.  (On
      -- Citus each from its own distributed query.)
      IF mv = 'appraisal.agent_daily_csat'::regclass AND NOT appraisal.distributed()
         AND 'appraisal.agent_daily_follow_up'::regclass = ANY (stale) THEN
        IF pass_known THEN
          keys := pass_follow_up_keys;
        ELSE
          SELECT * INTO keys FROM appraisal.refresh_keys('appraisal.agent_daily_follow_up', every_row, time_agents, time_days);
        END IF;
        IF whole AND keys.whole THEN
          follow_up_mode := 'full';
        ELSIF NOT whole AND NOT keys.whole AND pass_by_difference THEN
          agents := time_agents;   -- recomputed; the tickets written by difference
          days := time_days;
          follow_up_mode := CASE WHEN cardinality(days) > 0 OR cardinality(written) > 0 THEN 'changed' END;
        ELSIF NOT whole AND NOT keys.whole THEN
          SELECT coalesce(array_agg(k.agent_id), '{}'), coalesce(array_agg(k.day), '{}')
            INTO agents, days
            FROM (SELECT * FROM unnest(agents, days) UNION SELECT * FROM unnest(keys.agents, keys.days)) k(agent_id, day);
          follow_up_mode := CASE WHEN cardinality(days) > 0 THEN 'changed' END;
        END IF;
      END IF;
      IF mv = 'appraisal.agent_daily_follow_up'::regclass AND follow_up_mode IS NOT NULL THEN
        mode := follow_up_mode;   -- written with the CSAT summary, above
      ELSIF NOT whole AND cardinality(days) = 0 AND coalesce(cardinality(added), 0) = 0
            AND NOT (mv = 'appraisal.agent_daily'::regclass AND (adjusted > 0 OR cardinality(written) > 0))
            AND NOT (mv = 'appraisal.agent_daily_csat'::regclass AND pass_by_difference AND cardinality(written) > 0) THEN
        -- no row can have changed (for category_daily, updates that moved no ticket)
        mode := 'unchanged';
        rows := NULL;
        duration := interval '0';
        RETURN NEXT;
        CONTINUE;
      ELSE
        IF whole THEN
          PERFORM set_config('max_parallel_workers_per_gather', parallel_workers, true);
          -- category_daily of every ticket on one node, its tickets costed as
          -- free to pass up from the workers, which read them while the
          -- leader groups them: the planner, which takes a group per opening
          -- instant (1.6M, where 10M tickets fall in 2,555 categories and
          -- days), would read them all in the leader alone.  At 10M tickets
          -- 1.08-1.11 s against 1.89-1.97 s, three alternated rounds (40:
          -- category_daily_rows flattens its subquery for every day).
          IF mv = 'appraisal.category_daily'::regclass AND NOT appraisal.distributed() THEN
            PERFORM set_config('parallel_tuple_cost', '0', true);
          END IF;
          agents := NULL;   -- every row
          days := NULL;
        END IF;
        IF mv = 'appraisal.agent_daily_csat'::regclass AND follow_up_mode IS NOT NULL THEN
          IF agents IS NULL OR cardinality(days) > 0 THEN
            DELETE FROM appraisal.agent_daily_csat d WHERE agents IS NULL OR (d.agent_id, d.day) IN (SELECT * FROM unnest(agents, days));
            GET DIAGNOSTICS csat_deleted = ROW_COUNT;
            DELETE FROM appraisal.agent_daily_follow_up d WHERE agents IS NULL OR (d.agent_id, d.day) IN (SELECT * FROM unnest(agents, days));
            GET DIAGNOSTICS deleted_count = ROW_COUNT;
            -- (each in the order of its key, its ids by their bytes: the
            -- same order for ids of ASCII letters and digits, a sort of rows
            -- that mostly come in it already, without strcoll)
            WITH f AS MATERIALIZED (
              SELECT * FROM appraisal.agent_daily_csat_follow_up_rows(agents, days, ticket_rows)
            ), follow_up AS (
              INSERT INTO appraisal.agent_daily_follow_up
              SELECT f.agent_id, f.day, f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections, f.inspection_score_sum,
                     f.extreme_responses, f.extreme_satisfied, f.other_responses, f.other_satisfied, f.as_of
              FROM f WHERE f.opened > 0 ORDER BY f.agent_id COLLATE "C", f.day
              RETURNING 1
            ), csat AS (
              INSERT INTO appraisal.agent_daily_csat
              SELECT f.agent_id, f.day, s.scale_max, s.csat, f.as_of
              FROM f CROSS JOIN unnest(f.scales, f.csats) s(scale_max, csat)
              ORDER BY f.agent_id COLLATE "C", f.day, s.scale_max
              RETURNING 1
            )
            SELECT (SELECT count(*) FROM follow_up), (SELECT count(*) FROM csat) INTO inserted_count, csat_inserted;
            follow_up_change := follow_up_change + inserted_count - deleted_count;
            csat_change := csat_change + csat_inserted - csat_deleted;
            IF agents IS NULL THEN
              whole_rows := whole_rows || jsonb_build_object('appraisal.agent_daily_csat', csat_inserted,
                                                             'appraisal.agent_daily_follow_up', inserted_count);
            END IF;
          END IF;
          -- by difference, in the agent-days not recomputed: the rows less the
          -- tickets written as they counted, plus them as they count now; a
          -- follow-up row kept while its agent-day has tickets opened by now
          -- (as agent_daily's row, written above), a CSAT row while it counts
          -- a response
          IF pass_by_difference AND cardinality(written) > 0 THEN
            WITH delta AS MATERIALIZED (
              SELECT f.*, 1 AS sign   -- (those with a version: the first ones)
                FROM appraisal.agent_daily_csat_follow_up_rows(written_agents[:cardinality(written_agents) - cardinality(inserted_rows)],
                                                               written_days[:cardinality(written_days) - cardinality(inserted_rows)],
                                                               written_rows[:cardinality(written_rows) - cardinality(inserted_rows)]) f
               WHERE cardinality(written_rows) > cardinality(inserted_rows)
              UNION ALL   -- (those inserted since: none of their responses, call-backs and inspections exists)
              SELECT f.*, 1 AS sign
                FROM appraisal.agent_daily_csat_follow_up_rows(inserted_agents, inserted_days, inserted_rows, facts => false) f
               WHERE cardinality(inserted_rows) > 0
              UNION ALL
              SELECT f.*, -1 FROM appraisal.agent_daily_csat_follow_up_rows(version_agents, version_days, NULL, st.refreshed_at, versions) f
            ), kept AS (
              SELECT d.* FROM delta d
               WHERE NOT EXISTS (SELECT FROM unnest(agents, days) a(agent_id, day) WHERE a.agent_id = d.agent_id AND a.day = d.day)
            ), summed AS (
              SELECT d.agent_id, d.day, sum(d.sign * d.resolved) AS resolved, sum(d.sign * d.called_back) AS called_back,
                     sum(d.sign * d.call_back_pending) AS call_back_pending, sum(d.sign * d.surveyed) AS surveyed,
                     sum(d.sign * d.inspections) AS inspections, sum(d.sign * d.inspection_score_sum) AS inspection_score_sum,
                     sum(d.sign * d.extreme_responses) AS extreme_responses, sum(d.sign * d.extreme_satisfied) AS extreme_satisfied,
                     sum(d.sign * d.other_responses) AS other_responses, sum(d.sign * d.other_satisfied) AS other_satisfied
                FROM kept d
               GROUP BY d.agent_id, d.day
            ), gone AS (
              DELETE FROM appraisal.agent_daily_follow_up a USING summed s
               WHERE a.agent_id = s.agent_id AND a.day = s.day
              RETURNING a.*
            ), follow_up AS (
              INSERT INTO appraisal.agent_daily_follow_up
              SELECT s.agent_id, s.day, coalesce(g.resolved, 0) + s.resolved, coalesce(g.called_back, 0) + s.called_back,
                     coalesce(g.call_back_pending, 0) + s.call_back_pending, coalesce(g.surveyed, 0) + s.surveyed,
                     coalesce(g.inspections, 0) + s.inspections, coalesce(g.inspection_score_sum, 0) + s.inspection_score_sum,
                     coalesce(g.extreme_responses, 0) + s.extreme_responses, coalesce(g.extreme_satisfied, 0) + s.extreme_satisfied,
                     coalesce(g.other_responses, 0) + s.other_responses, coalesce(g.other_satisfied, 0) + s.other_satisfied, now()
                FROM summed s
                LEFT JOIN gone g ON g.agent_id = s.agent_id AND g.day = s.day
               WHERE EXISTS (SELECT FROM appraisal.agent_daily a WHERE a.agent_id = s.agent_id AND a.day = s.day)
               ORDER BY s.agent_id, s.day
              RETURNING 1
            ), scaled AS (
              SELECT d.agent_id, d.day, c.scale_max,
                     appraisal.rollup(c.csat) FILTER (WHERE d.sign > 0) AS csat_in, appraisal.rollup(c.csat) FILTER (WHERE d.sign < 0) AS csat_out
                FROM kept d
                CROSS JOIN unnest(d.scales, d.csats) c(scale_max, csat)
               GROUP BY d.agent_id, d.day, c.scale_max
            ), gone_csat AS (
              DELETE FROM appraisal.agent_daily_csat a USING scaled s
               WHERE a.agent_id = s.agent_id AND a.day = s.day AND a.scale_max = s.scale_max
              RETURNING a.*
            ), csat AS (
              INSERT INTO appraisal.agent_daily_csat
              SELECT s.agent_id, s.day, s.scale_max, c.csat, now()
                FROM scaled s
                LEFT JOIN gone_csat g ON g.agent_id = s.agent_id AND g.day = s.day AND g.scale_max = s.scale_max
                CROSS JOIN LATERAL (SELECT appraisal.csat_stats_combine_inv(appraisal.csat_stats_combine(coalesce(g.csat, 'empty'), s.csat_in),
                                                                            s.csat_out) AS csat) c
               WHERE appraisal.responses(c.csat) > 0
               ORDER BY s.agent_id, s.day, s.scale_max
              RETURNING 1
            )
            SELECT (SELECT count(*) FROM follow_up), (SELECT count(*) FROM gone), (SELECT count(*) FROM csat), (SELECT count(*) FROM gone_csat)
              INTO inserted_count, deleted_count, csat_inserted, csat_deleted;
            follow_up_change := follow_up_change + inserted_count - deleted_count;
            csat_change := csat_change + csat_inserted - csat_deleted;
          END IF;
        ELSIF whole THEN
          EXECUTE format('DELETE FROM %s', mv);
          -- agent_daily of every ticket on one node: the planner, costing
          -- each ticket passed up from a worker, plans it serially; costed
          -- as free, the workers read the tickets and compute the
          -- comebacks, each for a part of the customers (40:
          -- comeback_rows_in_parts; at 10M tickets on 2 cores, when the
          -- workers sorted a share each for one window in the leader,
          -- 29.5-31.8 s against 35.9-38.8 s serially, five alternated
          -- rounds; the CSAT and follow-up pass so planned was slower)
          -- (and the tickets that recurred, computed anew first and kept;
          -- each agent-day counted as if no ticket had come back, then its
          -- tickets that recurred moved from first contact to recurred
          -- (fcr_stats_combine and its exact inverse): no look-up of a
          -- comeback for each of the 10M tickets, 557,090 of which
          -- recurred (at 10M tickets that look-up, a hash join by the
          -- ticket's id, took 1.5-2.7 s of 7.5-8.4 s with two workers;
          -- the agent-days that recurred, 177,535, are grouped and joined
          -- to the 359,693 rows by hashing in about 0.5 s); rather than
          -- grouping the comebacks' window per agent-day apart)
          IF mv = 'appraisal.agent_daily'::regclass AND NOT appraisal.distributed() THEN
            PERFORM set_config('parallel_setup_cost', '0', true), set_config('parallel_tuple_cost', '0', true);
            -- (and the active tickets beside them, from the same window,
            -- from the latest opening of a customer's ticket less the
            -- repeat window: comeback_rows_in_parts without active_from,
            -- in parts, one a parallel worker, each the pass in C unless
            -- row-level security is on the tickets; the pass finds that
            -- opening in its own scan, where a query of its own read every
            -- ticket again, 0.49 s at 10M tickets)
            TRUNCATE appraisal.recurred_tickets, appraisal.active_tickets;
            WITH c AS MATERIALIZED (
              SELECT * FROM appraisal.comeback_rows_in_parts(NULL, greatest(parallel_workers::integer, 1))
            ), recurred AS (
              -- (in the order of the table's key: each entry then goes in
              -- at the right end of its index, where in the customers'
              -- order each landed on another page; at 10M tickets 557,090
              -- rows took 0.59 s so, the sort included, against 0.96 s)
              INSERT INTO appraisal.recurred_tickets
              SELECT c.ticket_id, c.customer_id, c.category, c.next_opened_at FROM c WHERE c.recurred
               ORDER BY c.ticket_id COLLATE "C"
            ), active AS (
              INSERT INTO appraisal.active_tickets
              SELECT c.ticket_id, c.customer_id, c.category, c.opened_at, c.resolved_at, c.next_opened_at, c.agent_id, c.contacts
                FROM c WHERE c.active
            ), came_back AS (   -- per agent-day, its tickets that recurred, counted with their comeback and without
              SELECT c.agent_id COLLATE "C" AS agent_id, appraisal.local_day(c.opened_at, report_zone) AS day,
                     appraisal.fcr_agg(CASE WHEN c.resolved_at <= now() THEN c.contacts END,
                                       greatest(c.next_opened_at - c.resolved_at, interval '0'), p.repeat_window) AS recurred,
                     appraisal.fcr_agg(CASE WHEN c.resolved_at <= now() THEN c.contacts END, NULL, p.repeat_window) AS not_recurred
                FROM c CROSS JOIN appraisal.scorecard_parameters() p
               WHERE c.recurred AND c.opened_at <= now()   -- (never a system-caused complaint)
               GROUP BY 1, 2
            )
            INSERT INTO appraisal.agent_daily
            SELECT a.agent_id, a.day, a.tickets, a.first_response, a.resolution,
                   coalesce(appraisal.fcr_stats_combine_inv(appraisal.fcr_stats_combine(a.fcr, b.recurred), b.not_recurred), a.fcr),
                   a.complaints, a.service_complaints, a.system_complaints, a.system_first_responses_excluded,
                   a.complaint_handling, a.as_of
              FROM appraisal.agent_daily_rows(NULL, NULL, comebacks => '{}') a
              LEFT JOIN came_back b ON b.agent_id = a.agent_id COLLATE "C" AND b.day = a.day
             ORDER BY a.agent_id COLLATE "C", a.day;   -- (the key's order by the ids' bytes, as the CSAT and follow-up rows above)
            GET DIAGNOSTICS inserted_count = ROW_COUNT;
            whole_rows := whole_rows || jsonb_build_object(mv::text, inserted_count);
            INSERT INTO appraisal.comebacks_kept DEFAULT VALUES ON CONFLICT DO NOTHING;
            -- (the latest ticket is always an active one)
            UPDATE appraisal.refresh_state SET latest_opening = (SELECT max(a.opened_at) FROM appraisal.active_tickets a);
          ELSE
            EXECUTE format('INSERT INTO %s SELECT * FROM %s_rows(%s) ORDER BY %s', mv, mv,
                           CASE mv WHEN 'appraisal.category_daily'::regclass THEN 'NULL' ELSE 'NULL, NULL' END, key_order);
            GET DIAGNOSTICS inserted_count = ROW_COUNT;
            whole_rows := whole_rows || jsonb_build_object(mv::text, inserted_count);
          END IF;
        ELSIF mv = 'appraisal.category_daily'::regclass THEN
          -- the days of tickets deleted or moved (and those time moved) read
          -- again; on the others, the counts of the tickets inserted added
          -- to the day's, the tickets found by key: no read of every ticket
          -- for a day of new ones
          days := ARRAY(SELECT DISTINCT unnest(days));
          IF cardinality(days) > 0 THEN
            DELETE FROM appraisal.category_daily d WHERE d.day = ANY (days);
            EXECUTE format('INSERT INTO appraisal.category_daily SELECT * FROM appraisal.category_daily_rows($1) ORDER BY %s', key_order)
              USING days;
          END IF;
          -- (none on Citus, where added is NULL: category_daily_rows would
          -- count every ticket)
          -- (after agent_daily by difference without a delete, each one a
          -- ticket whose first write inserted it, read at the address found
          -- then)
          IF coalesce(cardinality(added), 0) > 0 THEN
            IF by_difference AND NOT EXISTS (SELECT FROM appraisal.refresh_log r
                                             WHERE r.source = 'appraisal.tickets' AND r.operation = 'DELETE') THEN
              added := NULL;
            END IF;
            INSERT INTO appraisal.category_daily AS c
            SELECT * FROM appraisal.category_daily_rows(NULL, added, CASE WHEN added IS NULL THEN inserted_rows END) a
             WHERE a.day <> ALL (days)
            ON CONFLICT (category, day) DO UPDATE
              SET tickets = c.tickets + excluded.tickets, complaints = c.complaints + excluded.complaints,
                  service_complaints = c.service_complaints + excluded.service_complaints,
                  system_complaints = c.system_complaints + excluded.system_complaints, as_of = excluded.as_of;
          END IF;
        ELSIF cardinality(days) > 0 THEN
          EXECUTE format('DELETE FROM %s d WHERE (d.agent_id, d.day) IN (SELECT * FROM unnest($1, $2))', mv) USING agents, days;
          GET DIAGNOSTICS deleted_count = ROW_COUNT;
          EXECUTE format('INSERT INTO %s SELECT * FROM %s_rows($1, $2%s) ORDER BY %s', mv, mv,
                         CASE WHEN mv = 'appraisal.agent_daily'::regclass THEN ', $3, true' ELSE '' END, key_order)
            USING agents, days, ticket_rows;
          GET DIAGNOSTICS inserted_count = ROW_COUNT;
          CASE mv
            WHEN 'appraisal.agent_daily'::regclass THEN agent_daily_change := agent_daily_change + inserted_count - deleted_count;
            WHEN 'appraisal.agent_daily_csat'::regclass THEN csat_change := csat_change + inserted_count - deleted_count;
            WHEN 'appraisal.agent_daily_follow_up'::regclass THEN follow_up_change := follow_up_change + inserted_count - deleted_count;
          END CASE;
        END IF;
        IF whole THEN
          PERFORM set_config('parallel_setup_cost', setup_cost, true), set_config('parallel_tuple_cost', tuple_cost, true);
          IF NOT every_row THEN
            PERFORM set_config('max_parallel_workers_per_gather', '0', true);
          END IF;
        END IF;
        mode := CASE WHEN whole THEN 'full' ELSE 'changed' END;
      END IF;
      IF mode = 'full' THEN
        any_whole := true;
        time_whole := time_whole OR summary.changes_with_time;
      END IF;
    END IF;
    IF mode <> 'changed' THEN
      EXECUTE format('ANALYZE %s', mv);   -- fresh statistics for the views' plans
    END IF;
    duration := clock_timestamp() - t0;
    -- Its rows: on one node, after a changed refresh of a summary of
    -- agent-days, those the last refresh left and those this one inserted,
    -- less those it deleted, each statement's own count (counting 360,000
    -- rows took about 20 ms each, most of a small refresh's time); after a
    -- summary recomputed whole, those its statement wrote; else counted.
    -- Every refresh keeps them (refresh_state.summary_rows).
    IF mode = 'changed' AND row_counts ? mv::text AND NOT appraisal.distributed()
       AND mv IN ('appraisal.agent_daily'::regclass, 'appraisal.agent_daily_csat'::regclass, 'appraisal.agent_daily_follow_up'::regclass) THEN
      rows := (row_counts ->> mv::text)::bigint + CASE mv WHEN 'appraisal.agent_daily'::regclass THEN agent_daily_change
                                                         WHEN 'appraisal.agent_daily_csat'::regclass THEN csat_change
                                                         ELSE follow_up_change END;
    ELSIF mode = 'full' AND whole_rows ? mv::text THEN
      rows := (whole_rows ->> mv::text)::bigint;
    ELSE
      EXECUTE format('SELECT count(*) FROM %s', mv) INTO rows;
    END IF;
    row_counts := row_counts || jsonb_build_object(mv::text, rows);
    RAISE LOG 'appraisal: refreshed % (%): % rows', mv, mode, to_char(rows, 'FM999,999,999,999,990')
      USING DETAIL = format('in %s s', to_char(extract(epoch FROM duration), 'FM999,999,990.000'))
                     || CASE WHEN follow_up_mode IS NOT NULL AND mv IN ('appraisal.agent_daily_csat'::regclass, 'appraisal.agent_daily_follow_up'::regclass)
                             THEN '; agent_daily_csat and agent_daily_follow_up computed in one pass, in agent_daily_csat''s time' ELSE '' END
                     || CASE WHEN by_difference AND mv = 'appraisal.agent_daily'::regclass
                             THEN format('; %s tickets written: %s rows adjusted by their difference, %s agent-days recomputed, %s rows adjusted for comebacks',
                                         cardinality(written), differenced, cardinality(days), adjusted) ELSE '' END;
    RETURN NEXT;
  END LOOP;
  -- When time alone will next change a figure.  Had it come, the read of
  -- every ticket for the agent-days it moved found it too (time_next).
  -- Had it not (no agent-day was recomputed for time) and was nothing
  -- recomputed whole (no setting, policy or calendar changed), every ticket
  -- not written still has its first event at it or later: the earlier of it
  -- and the written tickets' first events, found through the tables' keys
  -- (every write of them logs its tickets but a delete, whose tickets have
  -- none left: the instant kept is then early at worst, and a refresh then
  -- finds nothing due).  Else from every ticket.  (Their calls only when
  -- call-backs or survey responses were written: a call's event depends on
  -- the call alone, and those not written have theirs at the instant kept
  -- or later.  When only tickets were written and adjusted by difference,
  -- those written are read at the addresses found for it.)
  IF time_next IS NULL AND NOT time_whole AND now() < st.next_change_at THEN
    calls_written := EXISTS (SELECT FROM appraisal.refresh_log r
                             WHERE to_regclass(r.source) IN ('appraisal.call_backs'::regclass, 'appraisal.survey_responses'::regclass));
    -- (read at their addresses without their calls, the tickets' ids are
    -- not looked at: those adjusted by difference)
    written_tickets := CASE WHEN pass_by_difference AND NOT calls_written THEN written
                            ELSE ARRAY(SELECT DISTINCT unnest(r.tickets) FROM appraisal.refresh_log r) END;
  END IF;
  -- The log rows this refresh has seen are done with: under REPEATABLE READ
  -- this reads the snapshot stale_summaries read; under READ COMMITTED the
  -- locks above have kept every writer of a logged table out since the log
  -- was read.
  DELETE FROM appraisal.refresh_log;
  -- (the instant only moves when a summary that changes with time was
  -- recomputed: their tables are the ones it reads)
  UPDATE appraisal.refresh_state
     SET refreshed_at = now(),
         summary_rows = row_counts,
         next_change_at = CASE WHEN NOT EXISTS (SELECT FROM appraisal.summary_sources() m
                                                WHERE m.changes_with_time AND m.summary = ANY (stale))
                               THEN next_change_at
                               WHEN time_next IS NOT NULL THEN time_next
                               WHEN written_tickets IS NOT NULL
                               THEN least(next_change_at,
                                          appraisal.next_summary_change(now(), written_tickets, calls_written,
                                                                        CASE WHEN pass_by_difference AND NOT calls_written THEN written_rows END))
                               ELSE appraisal.next_summary_change(now()) END;
  -- then what would leave the scorecards empty or thin, said once: after a
  -- summary was recomputed whole, else at most once an hour (the check
  -- reads every ticket; the view appraisal.data_health runs it on demand)
  t0 := clock_timestamp();
  materialized_view := NULL;
  started_at := t0;
  IF NOT any_whole AND st.checked_at > now() - interval '1 hour' THEN
    mode := 'unchecked';
    rows := NULL;
    problems := NULL;
    duration := interval '0';
    PERFORM set_config('max_parallel_workers_per_gather', parallel_workers, true);
    RETURN NEXT;
    RETURN;
  END IF;
  UPDATE appraisal.refresh_state SET checked_at = now();
  mode := 'check';
  problems := '{}';
  -- (with every summary just recomputed whole from the tables, the first
  -- time, with full => true or after a crash, the check takes the
  -- summaries for them: 59, check_data_health(summaries_recomputed))
  FOR h IN SELECT * FROM appraisal.check_data_health(every_row AND cardinality(stale) = (SELECT count(*) FROM appraisal.summary_sources())) d
            WHERE d.items > 0 LOOP
    problems := problems || h.problem;
    IF h.severity IN ('empty', 'stale') THEN
      RAISE WARNING 'appraisal: %', h.problem USING HINT = h.fix;
    ELSE
      RAISE NOTICE 'appraisal: %', h.problem USING HINT = h.fix;
    END IF;
  END LOOP;
  duration := clock_timestamp() - t0;
  rows := cardinality(problems);
  RAISE LOG 'appraisal: checked data health (appraisal.data_health): % problems', rows
    USING DETAIL = format('in %s s', to_char(extract(epoch FROM duration), 'FM999,999,990.000'));
  PERFORM set_config('max_parallel_workers_per_gather', parallel_workers, true);
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION appraisal.refresh_scorecards(boolean) IS
  'Brings the per-day summaries the scorecards read up to date (appraisal.stale_summaries: those whose tables were written since the last refresh, those time alone has changed since, all of them before the first refresh or with full true); the others keep their rows and say mode unchanged (rows NULL), and with nothing to recompute nothing else is done. While another refresh runs, it does nothing and says mode busy. In the four tables of tickets it deletes and recomputes only the rows of the agent-days written (appraisal.refresh_log), moved by time (appraisal.summary_events) or whose comebacks changed (on Citus appraisal.comeback_agent_days; on one node an agent-day whose comebacks alone changed gets its FCR changed in place, from appraisal.recurred_tickets), mode changed (in category_daily the days of tickets added, deleted or moved to another category, opening, cause or complaint flag: after updates that moved none it says unchanged); every row (mode full) the first time, with full true, after a crash or a standby''s promotion on one node (the comebacks it keeps are unlogged: appraisal.comebacks_kept), or after a write not known per agent-day (a setting, a policy, a calendar, a TRUNCATE, a mass update); period_ratings is refreshed whole (concurrently once populated). All from the same data (one snapshot under REPEATABLE READ; under READ COMMITTED every table the summaries read is kept from changing until the transaction ends), in the report time zone, readers never blocked (they see the old rows until it commits). Then, after a summary recomputed whole and otherwise at most once an hour, checks the data''s health (appraisal.data_health). Returns per summary the mode, its rows, when it started and how long it took, and a last row (materialized_view NULL) of mode check, whose rows counts the problems found and problems lists them (each also raised, as WARNING for severity empty or stale, NOTICE for thin and info, with the fix as HINT), or unchecked. A refresh of some agent-days runs without parallel workers, leaving the cores to the writers it runs among. Progress goes to the server log, one LOG line per step with its rows and seconds (SET client_min_messages = log to see it). Scheduled every minute (schedule_refresh), it costs next to nothing while nothing changes. For members of appraisal_admin (runs as the extension''s owner).';
REVOKE ALL ON FUNCTION appraisal.refresh_scorecards(boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.refresh_scorecards(boolean) TO appraisal_admin;

CREATE FUNCTION appraisal.cron_job_name() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT 'appraisal refresh_scorecards in ' || current_database();
END;
COMMENT ON FUNCTION appraisal.cron_job_name() IS
  'Name of the pg_cron job schedule_refresh registers for the current database.';

-- The job's command: the refresh under REPEATABLE READ, so that every
-- summary reads one snapshot without keeping writers waiting (under READ
-- COMMITTED the refresh keeps the tables it reads from changing).  SET
-- TRANSACTION, not BEGIN: pg_cron runs a job's statements in one
-- transaction and refuses transaction control in its background workers.
CREATE FUNCTION appraisal.cron_job_command() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SELECT * FROM appraisal.refresh_scorecards()';
END;
COMMENT ON FUNCTION appraisal.cron_job_command() IS
  'The command of the pg_cron job schedule_refresh registers: refresh_scorecards() under REPEATABLE READ (one snapshot for every summary; writers never wait for it).';

CREATE FUNCTION appraisal.require_pg_cron() RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  preloaded boolean;   -- NULL: this role cannot tell
  cron_db text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    RETURN;
  END IF;
  -- only for the message: both settings take pg_read_all_settings
  BEGIN
    preloaded := current_setting('shared_preload_libraries') ~ '(^|[\s,])"?pg_cron"?($|[\s,])';
    cron_db := coalesce(current_setting('cron.database_name', true), 'postgres');
  EXCEPTION WHEN insufficient_privilege THEN
    NULL;
  END;
  RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
    USING ERRCODE = 'feature_not_supported',
          DETAIL = CASE WHEN preloaded IS NULL THEN format('Role %s cannot read whether pg_cron is preloaded (shared_preload_libraries takes pg_read_all_settings).', current_user)
                        WHEN NOT preloaded THEN 'pg_cron is not in shared_preload_libraries.'
                        WHEN cron_db <> current_database() THEN format('pg_cron is preloaded and keeps its jobs in database "%s".', cron_db)
                        ELSE 'pg_cron is preloaded, but the extension is not created in this database.' END,
          HINT = CASE WHEN preloaded IS NULL
                        THEN 'Ask a superuser to install pg_cron and to run CREATE EXTENSION pg_cron in this database.'
                      WHEN NOT preloaded
                        THEN format('Install postgresql-15-cron, set shared_preload_libraries = ''pg_cron'' and cron.database_name = %L in postgresql.conf, restart the server, then run CREATE EXTENSION pg_cron in this database.', current_database())
                      WHEN cron_db <> current_database()
                        THEN format('Set cron.database_name = %L and restart the server, then run CREATE EXTENSION pg_cron here; or, connected to database "%s", run SELECT cron.schedule_in_database(%L, ''30 2 * * *'', %L, %L).',
                                    current_database(), cron_db, appraisal.cron_job_name(), appraisal.cron_job_command(), current_database())
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
  -- pg_cron is installed here, so this is its database: cron.schedule, which
  -- pg_cron lets every role with USAGE on schema cron call (unlike
  -- schedule_in_database and alter_job), schedules the job here as the
  -- calling role.  It updates the job of the same name and role in place
  -- (same job id) but keeps its active flag: a paused job is replaced.
  IF EXISTS (SELECT 1 FROM cron.job
             WHERE jobname = appraisal.cron_job_name() AND username = current_user AND NOT active) THEN
    EXECUTE 'SELECT cron.unschedule($1)' USING appraisal.cron_job_name();
  END IF;
  EXECUTE 'SELECT cron.schedule($1, $2, $3)'
    INTO job
    USING appraisal.cron_job_name(), cron, appraisal.cron_job_command();
  RETURN job;
END
$$;
REVOKE ALL ON FUNCTION appraisal.schedule_refresh(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.schedule_refresh(text) TO appraisal_admin;
COMMENT ON FUNCTION appraisal.schedule_refresh(text) IS
  'Has pg_cron run appraisal.refresh_scorecards() in this database on the given cron schedule (e.g. ''30 2 * * *'', nightly at 02:30 GMT: pg_cron 1.4 reads schedules in GMT, later versions in cron.timezone; ''* * * * *'' every minute costs next to nothing while nothing changes), under REPEATABLE READ (appraisal.cron_job_command: writers never wait for it); scheduling again replaces the schedule (a paused job is replaced by an active one). Returns the pg_cron job id. Fails, saying how to enable it, when pg_cron is not installed.';

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
REVOKE ALL ON FUNCTION appraisal.unschedule_refresh() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.unschedule_refresh() TO appraisal_admin;
COMMENT ON FUNCTION appraisal.unschedule_refresh() IS
  'Removes the pg_cron job of schedule_refresh for this database; false when none was scheduled. Fails, saying how to enable it, when pg_cron is not installed.';
