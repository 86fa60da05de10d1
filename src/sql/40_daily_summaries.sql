-- 40: the materialized layer.  Per agent and day (and per ratee and period
-- for 360 reviews) the two-step summaries of the raw tables, which the views
-- roll up into any period or team.  refresh_scorecards() (60_refresh.sql)
-- keeps them.
--
-- The summaries of tickets are tables, each with a function computing its
-- rows: all of them (the arguments NULL), or those of some agent-days (or
-- days): refresh_scorecards() recomputes only the rows whose tickets,
-- responses, call-backs or inspections changed, or whose figures time alone
-- has moved (42_change_log.sql), and everything on full => true.  The 360
-- summary, period_ratings, is a materialized view, refreshed whole (it is
-- small).  Until the first refresh the scorecards fail with "have not been
-- computed" (42: summaries_ready) instead of showing numbers of empty
-- tables.  pg_dump saves neither an extension's tables' rows nor its
-- materialized views, so the same holds after a restore: refresh once, then
-- on schedule.

-- Whether the tickets are stored about in the order of their ids (as when
-- ids grow with time), by the planner's statistics (pg_stats.correlation
-- of ticket_id at least 0.9; false without statistics).  Then a summary of
-- every ticket on one node reads the tickets through their key, in order,
-- and merges them with the other tables read the same way, rather than
-- hashing or sorting ten million ids (agent_daily_csat_rows below,
-- agent_daily_follow_up_rows in 41; docs/performance.md).
CREATE FUNCTION appraisal.tickets_in_id_order() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce((SELECT s.correlation >= 0.9 FROM pg_stats s
                    WHERE s.schemaname = 'appraisal' AND s.tablename = 'tickets' AND s.attname = 'ticket_id'), false);
END;
COMMENT ON FUNCTION appraisal.tickets_in_id_order() IS
  'Whether appraisal.tickets is stored about in the order of its ids (pg_stats.correlation of ticket_id at least 0.9; false without statistics): the full refresh then merges the tickets with their responses, call-backs and inspections in the order of their keys.';

-- The ids that split the tickets into parts of about as many tickets, in
-- the order of their key: the parts - 1 bounds between them, from the
-- planner's histogram of ticket_id (none without statistics, or when the
-- histogram has no more bounds than parts).  The full pass of the CSAT and
-- follow-up summaries, merged in the order of the keys, runs a part per
-- range, one to each parallel process (agent_daily_csat_follow_up_rows,
-- 41).  A bound may be any id: the ranges cover every id whatever the
-- statistics, only their sizes depend on them.
CREATE FUNCTION appraisal.ticket_id_bounds(parts integer) RETURNS text[]
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT coalesce((SELECT array_agg(h.bounds[1 + i * (cardinality(h.bounds) - 1) / parts] ORDER BY i)
                     FROM (SELECT s.histogram_bounds::text::text[] AS bounds FROM pg_stats s
                            WHERE s.schemaname = 'appraisal' AND s.tablename = 'tickets' AND s.attname = 'ticket_id') h
                     CROSS JOIN generate_series(1, parts - 1) i
                    WHERE cardinality(h.bounds) > parts), '{}');
END;
COMMENT ON FUNCTION appraisal.ticket_id_bounds(integer) IS
  'The ids that split appraisal.tickets into the given number of parts of about as many tickets, in the order of its key: parts - 1 ids from the planner''s histogram of ticket_id (an empty array without statistics, or when the histogram has no more bounds than parts). The full refresh''s CSAT and follow-up pass reads a range of ids per parallel process.';

-- The SLA policy of every ticket, found with one hash join: a ticket's
-- channel (priority) is kept when some policy names it, else replaced by ''
-- (no policy names ''), and sla_policy_matrix() holds the most specific
-- policy of every such pair, with the defaults of docs/rules.md, "Complaint
-- handling", where none applies.
CREATE FUNCTION appraisal.sla_policy_matrix()
RETURNS TABLE (channel text, priority text, first_response_target interval, first_response_calendar text,
               resolution_target interval, resolution_calendar text)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  WITH channels(channel) AS (
    SELECT channel FROM appraisal.sla_policies WHERE channel IS NOT NULL UNION SELECT ''
  ), priorities(priority) AS (
    SELECT priority FROM appraisal.sla_policies WHERE priority IS NOT NULL UNION SELECT ''
  ), candidates AS (   -- (columns named in the select list, not as the CTE's: Citus sends the query
                      -- to the nodes without the CTE's names, and reads a column rank as the function)
    SELECT sp.metric, c.channel, p.priority, sp.target, sp.calendar,
           2 * (sp.channel IS NULL)::int + (sp.priority IS NULL)::int AS precedence   -- 0: the most specific
    FROM appraisal.sla_policies sp
    JOIN channels c ON sp.channel = c.channel OR sp.channel IS NULL
    JOIN priorities p ON sp.priority = p.priority OR sp.priority IS NULL
    UNION ALL   -- the defaults of docs/rules.md, "Complaint handling", below every policy
    SELECT m.metric, c.channel, p.priority, m.target, '24x7', 4
    FROM (VALUES ('first_response', interval '24 hours'), ('resolution', interval '48 hours')) m(metric, target),
         channels c, priorities p
  ), best AS (
    SELECT DISTINCT ON (metric, channel, priority) * FROM candidates ORDER BY metric, channel, priority, precedence
  )
  SELECT f.channel, f.priority, f.target, f.calendar, r.target, r.calendar
  FROM best f JOIN best r USING (channel, priority)
  WHERE f.metric = 'first_response' AND r.metric = 'resolution';
END;
COMMENT ON FUNCTION appraisal.sla_policy_matrix() IS
  'The SLA policy in effect for every channel and priority named by some policy ('''' stands for all others): the most specific of appraisal.sla_policies (channel and priority, then channel, then priority, then general), else 24 hours to first response and 48 hours to resolution on 24x7 (docs/rules.md, "Complaint handling"). The materialized summaries find a ticket''s policy in it with one hash join.';

-- The matrix as one row of arrays, its calendars as values: the constants
-- the summaries' queries take (so that on Citus no worker looks a calendar
-- up by name: a reference table read from within a query on a shard is
-- refused there).  Each policy's elements at the same index.
CREATE FUNCTION appraisal.sla_policy_arrays(OUT channels text[], OUT priorities text[],
                                            OUT first_response_targets interval[],
                                            OUT first_response_calendars appraisal.business_calendar[],
                                            OUT resolution_targets interval[],
                                            OUT resolution_calendars appraisal.business_calendar[])
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT array_agg(m.channel), array_agg(m.priority), array_agg(m.first_response_target), array_agg(f.calendar),
         array_agg(m.resolution_target), array_agg(r.calendar)
  FROM appraisal.sla_policy_matrix() m
  JOIN appraisal.business_calendars f ON f.name = m.first_response_calendar
  JOIN appraisal.business_calendars r ON r.name = m.resolution_calendar;
END;
COMMENT ON FUNCTION appraisal.sla_policy_arrays() IS
  'appraisal.sla_policy_matrix() as one row of arrays (the elements of one channel and priority at the same index), with the calendars as values: what the summaries take as constants.';

-- Tickets per agent and day: SLA, FCR and complaint counts.  A complaint
-- caused by the company's system or policy is not the agent's (docs/rules.md,
-- "Complaint handling": attribution): it is left out of the agent's resolution, FCR and
-- recurrence (as a ticket, and as the comeback that would make an earlier
-- ticket recur), and of first response too unless the setting
-- system_complaints_first_response keeps it there (the default).
-- The summaries group (and agent_daily partitions) by the ids' bytes,
-- COLLATE "C": the same groups as by the database's collation, sorted
-- several times faster (no strcoll, abbreviated keys); the columns keep the
-- default collation.  agent_daily computes the day beside each ticket: the
-- planner, knowing nothing of its values, then expects some hundreds of days
-- (not a day per ticket) and groups by hashing, in refresh_scorecards'
-- work_mem, instead of sorting every ticket.
-- The rows for the agent-days agents[i], days[i] (both NULL: every one).
-- A comeback is the same customer's next ticket of the same category, with
-- any agent on any day.  The refresh on one node takes each ticket's from
-- recurred_tickets (kept_comebacks), which it keeps: a join by the
-- ticket's key; or, recomputing every agent-day, counts every ticket
-- without one (comebacks empty) and adjusts each agent-day for its tickets
-- that recurred (60: refresh_scorecards).  Otherwise, for some agent-days
-- on one node the window runs beside each ticket over every ticket of the
-- customers and categories of the tickets asked for, whole partitions, so
-- that each asked ticket's next one is the one a full computation finds.  For every agent-day (and on
-- Citus always) the FCR of the customers' tickets is computed apart, from a
-- window over their few columns, and joined to the rest of each agent-day,
-- grouped unsorted.
--
-- The summaries' functions are PL/pgSQL running one query (RETURN QUERY):
-- the settings and the SLA policies are read first, into variables, and
-- the query sees them as constants.  So the query reads no table through a
-- function (on Citus, a function reading a table from within a query on
-- the workers is refused, and an inlined SQL function hides its tables
-- from Citus's planner), its plan is made for the agent-days asked (or
-- all), and it may run in parallel, which an INSERT ... SELECT may not
-- (agent_daily 20 % faster, the follow-up 13 % at 2M tickets).
--
-- On a Citus cluster (62_citus.sql) the tickets are distributed by
-- ticket_id, and a customer's tickets are on several shards: a window over
-- them would ship every ticket to the coordinator.  There the function
-- first copies the few columns of the comebacks (the tickets of customers,
-- but for system-caused complaints) into comeback_staging, distributed by
-- customer: an INSERT ... SELECT that Citus repartitions from worker to
-- worker.  Each worker then runs the window over its customers and the
-- FCR of their tickets; the rest of each agent-day (SLA, counts, the FCR
-- of tickets naming no customer) is aggregated on the tickets' shards;
-- the coordinator adds up the partial summaries and joins the two.  The
-- query is written once, for either case (RETURN QUERY EXECUTE).
CREATE TABLE appraisal.comeback_staging (
  customer_id text NOT NULL,
  category    text NOT NULL,
  opened_at   timestamptz NOT NULL,
  ticket_id   text NOT NULL,
  agent_id    text NOT NULL,
  day         date NOT NULL,
  resolved_at timestamptz,
  contacts    integer
);
COMMENT ON TABLE appraisal.comeback_staging IS
  'Work table of appraisal.agent_daily_rows on a Citus cluster, distributed by customer_id (appraisal.distribute): the tickets of customers (system-caused complaints left out) whose comebacks are being computed, copied there during the call and emptied after it. Empty on one node and between refreshes.';
COMMENT ON COLUMN appraisal.comeback_staging.customer_id IS 'Customer of the ticket (the distribution column: a customer''s tickets on one shard).';
COMMENT ON COLUMN appraisal.comeback_staging.category IS 'Category of the ticket: a comeback is the same customer''s next ticket of the same category.';
COMMENT ON COLUMN appraisal.comeback_staging.opened_at IS 'When the ticket was opened.';
COMMENT ON COLUMN appraisal.comeback_staging.ticket_id IS 'Ticket number (orders tickets opened at the same instant).';
COMMENT ON COLUMN appraisal.comeback_staging.agent_id IS 'Agent of the ticket.';
COMMENT ON COLUMN appraisal.comeback_staging.day IS 'Day the ticket was opened, in the report time zone.';
COMMENT ON COLUMN appraisal.comeback_staging.resolved_at IS 'When the ticket was resolved; NULL while open.';
COMMENT ON COLUMN appraisal.comeback_staging.contacts IS 'Contact on which the ticket was resolved.';

-- The tickets that recurred, on one node: each resolved ticket whose
-- customer came back in the same category within the repeat window (the
-- same customer's next ticket of the same category, system-caused
-- complaints left out, opened no later than repeat_window after the
-- resolution; one opened before it counts too, gap 0), with that next
-- ticket's opening.  What the FCR of agent_daily counts as a comeback:
-- fcr_agg counts a gap beyond the window as none, so a ticket absent here
-- did not recur.  A ticket's entry depends on its own resolution and its
-- customer's tickets of its category alone.
--
-- refresh_scorecards() keeps the table (60): a full refresh computes it
-- anew, then agent_daily's FCR from it, instead of grouping the
-- comebacks' window per agent-day; a changed refresh computes anew the
-- entries of the customers and categories of the tickets written
-- (keep_recurred_tickets, 42), adds what those that came or went change
-- in the FCR to the agent-days it does not recompute, and takes every
-- recomputed ticket's comeback from here, with no window over its
-- customer's tickets.  Like the summaries it is not
-- dumped: after a restore the first refresh recomputes everything.
-- Unlogged: a changed refresh writes a day's comebacks here without their
-- WAL (at 10M tickets, after the bench's change, 1.08-1.12 s against
-- 1.18-1.24 s with active_tickets logged too, a checkpoint before each:
-- the first write of each page after one logs the whole page).  A crash
-- empties it (comebacks_kept, below, says so): the next refresh then
-- recomputes everything, as after a restore.
-- Its key compares the ids' bytes (COLLATE "C"; equality is the same in
-- every deterministic collation, and a comparison with a ticket's id takes
-- this collation): in the database's collation every comparison calls the
-- C library's strcoll (at 10M tickets, the bench's 32,000 new entries took
-- 58-84 ms to insert so, 49-75 ms in "C", three alternated rounds).
CREATE UNLOGGED TABLE appraisal.recurred_tickets (
  ticket_id      text COLLATE "C" PRIMARY KEY,
  customer_id    text NOT NULL,
  category       text NOT NULL,
  next_opened_at timestamptz NOT NULL
);
COMMENT ON TABLE appraisal.recurred_tickets IS
  'On one node, kept by refresh_scorecards() with agent_daily: every resolved ticket whose customer came back in the same category within the repeat window (the next ticket of the same customer and category, system-caused complaints left out, opened no later than repeat_window after the resolution), as of the last refresh (appraisal.recurred_tickets_rows computes it afresh). agent_daily''s FCR counts these tickets as recurred. Not dumped, not logged: after a restore or a crash the first refresh computes it again (appraisal.comebacks_kept). Not used on a Citus cluster, where agent_daily_rows computes the comebacks on the workers.';
COMMENT ON COLUMN appraisal.recurred_tickets.ticket_id IS 'The ticket that recurred.';
COMMENT ON COLUMN appraisal.recurred_tickets.customer_id IS 'Its customer (the comebacks of a customer and category are kept together).';
COMMENT ON COLUMN appraisal.recurred_tickets.category IS 'Its category.';
COMMENT ON COLUMN appraisal.recurred_tickets.next_opened_at IS 'When the customer''s next ticket of the category was opened (the repeat gap is from the resolution to it, 0 when before).';

-- The tickets whose comeback a changed refresh may still have to find
-- without reading their customer's other tickets, on one node: every open
-- ticket (its comeback waits for its resolution) and every last ticket of
-- its customer and category resolved within the repeat window before the
-- latest opening the refresh has seen (refresh_state.latest_opening); a
-- ticket opened later than that is the last of its customer and category,
-- and can only be the comeback of one of these.  Each with its next
-- ticket's opening, as recurred_tickets_rows finds it, and its agent and
-- contacts (what its comeback changes in agent_daily).  A changed refresh
-- whose tickets written are only such later tickets, or tickets here whose
-- resolution changed, keeps recurred_tickets from this table alone
-- (keep_recurred_tickets, 42); any other write reads the tickets of the
-- customers and categories written.  It may hold more rows than these
-- (tickets no write has touched since they left the window), each exact.
-- Not dumped either.  No index: a changed refresh takes the rows it
-- needs out of it in one scan, each row's customer and category, or its
-- id, hashed against those of the tickets written, and writes a day's
-- rows back with no index entry to make (keep_recurred_tickets, 42).  (At
-- 10M tickets, after the bench's change, 32,000 rows took 14-16 ms to
-- insert without an index, 77-82 ms with one on the customer and
-- category, whose look-ups the scan replaces: the whole changed refresh
-- took 0.94-0.99 s without it against 1.07-1.13 s with it, six alternated
-- rounds of two runs, three runs of 1.2-1.9 s aside.)  Its customer and
-- category compare their bytes (COLLATE "C", as recurred_tickets' key),
-- as the refresh's window over them does.
CREATE UNLOGGED TABLE appraisal.active_tickets (
  ticket_id      text NOT NULL,
  customer_id    text COLLATE "C" NOT NULL,
  category       text COLLATE "C" NOT NULL,
  opened_at      timestamptz NOT NULL,
  resolved_at    timestamptz,
  next_opened_at timestamptz,
  agent_id       text NOT NULL,
  contacts       integer
);
COMMENT ON TABLE appraisal.active_tickets IS
  'On one node, kept by refresh_scorecards() with appraisal.recurred_tickets: every open ticket of a customer (system-caused complaints left out) and every last ticket of its customer and category resolved within the repeat window before appraisal.refresh_state.latest_opening, each with its next ticket''s opening, its agent and its contacts: what a changed refresh needs to find the comebacks of tickets opened after that instant, and of the resolutions of open tickets, without reading the customers'' other tickets. May hold more rows, each exact. Not dumped, not logged: after a restore or a crash the first refresh computes it again (appraisal.comebacks_kept).';
COMMENT ON COLUMN appraisal.active_tickets.ticket_id IS 'The ticket.';
COMMENT ON COLUMN appraisal.active_tickets.customer_id IS 'Its customer.';
COMMENT ON COLUMN appraisal.active_tickets.category IS 'Its category (a comeback is the same customer''s next ticket of the same category).';
COMMENT ON COLUMN appraisal.active_tickets.opened_at IS 'When it was opened.';
COMMENT ON COLUMN appraisal.active_tickets.resolved_at IS 'When it was resolved; NULL while open.';
COMMENT ON COLUMN appraisal.active_tickets.next_opened_at IS 'When the customer''s next ticket of the category was opened; NULL for the last one.';
COMMENT ON COLUMN appraisal.active_tickets.agent_id IS 'Its agent (whose FCR its comeback changes).';
COMMENT ON COLUMN appraisal.active_tickets.contacts IS 'The contact it was resolved on (1: at the first contact); NULL while open.';

-- One row while recurred_tickets and active_tickets hold what the refresh
-- keeps: a full refresh of agent_daily writes it with them.  Unlogged as
-- they are, a crash empties it with them (so does a standby's promotion:
-- a standby has no unlogged rows), and the next refresh on one node then
-- recomputes every summary (60: refresh_scorecards).
CREATE UNLOGGED TABLE appraisal.comebacks_kept (
  only_row boolean PRIMARY KEY DEFAULT true CONSTRAINT "comebacks_kept has one row" CHECK (only_row)
);
COMMENT ON TABLE appraisal.comebacks_kept IS
  'On one node, one row while appraisal.recurred_tickets and appraisal.active_tickets hold what refresh_scorecards() keeps (written with them by a full refresh of agent_daily); unlogged as they are, so that after a crash or a standby''s promotion it is empty and the next refresh recomputes every summary.';
COMMENT ON COLUMN appraisal.comebacks_kept.only_row IS 'Always true: the table has at most one row.';

-- Whether a ticket recurred: resolved, and its customer's next ticket of
-- its category opened no later than the repeat window after the
-- resolution (one opened before it too: gap 0).
CREATE FUNCTION appraisal.came_back(resolved_at timestamptz, next_opened_at timestamptz, repeat_window interval) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN resolved_at IS NOT NULL AND next_opened_at IS NOT NULL AND greatest(next_opened_at - resolved_at, interval '0') <= repeat_window;
COMMENT ON FUNCTION appraisal.came_back(timestamptz, timestamptz, interval) IS
  'Whether a ticket resolved at resolved_at recurred when its customer''s next ticket of its category was opened at next_opened_at: resolved, and that ticket opened no later than repeat_window after the resolution (one opened before it too). The rule of appraisal.recurred_tickets.';

-- The tickets at the addresses (ctid) given, as a changed refresh reads
-- those of the agent-days, customers and tickets it recomputes: one TID
-- scan, each address fetched once and in the order of the table's pages.
-- Planned with sequential scans off, so that it stays a TID scan: the
-- planner costs each fetch as a page read from disk and, at 10M tickets,
-- would scan every ticket for 60,000 addresses or more.  Not inlined (the
-- SET clause), so that the setting holds for this scan alone, with the
-- number of addresses as the planner's estimate of its rows
-- (tickets_at_support): the query around it is planned for them.  A
-- lateral subquery fetching each address apart, as the summaries'
-- functions read them before, spent about 1 microsecond a row on the
-- scan's restart; the changed refresh after the bench's day took
-- 0.57-0.62 s so against 0.63-0.66 s, four alternated runs at 10M
-- tickets (docs/performance.md).
CREATE FUNCTION appraisal.tickets_at_support(internal) RETURNS internal
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.tickets_at_support(internal) IS
  'Planner support of appraisal.tickets_at: its rows are expected to be as many as its addresses.';

CREATE FUNCTION appraisal.tickets_at(addresses tid[]) RETURNS SETOF appraisal.tickets
LANGUAGE sql STABLE STRICT PARALLEL SAFE SUPPORT appraisal.tickets_at_support
SET search_path = pg_catalog, pg_temp
SET enable_seqscan = off
AS $$ SELECT * FROM appraisal.tickets t WHERE t.ctid = ANY (addresses) $$;
COMMENT ON FUNCTION appraisal.tickets_at(tid[]) IS
  'The rows of appraisal.tickets at the addresses (ctid) given, each once, in the order of the table''s pages (an address with no visible row gives none): how the summaries'' functions read the tickets a changed refresh recomputes, given their addresses read in the same transaction. Always a TID scan.';

-- The comebacks of the customers[i], categories[i] given (both NULL: all),
-- as of now: the window over those customers' tickets of those categories,
-- whole (a ticket's next one may be any later ticket of its customer and
-- category, resolved or not), on one node by the ids' bytes as
-- agent_daily_rows partitions them; given ticket_rows, from the tickets
-- at those addresses alone (tickets_at).
-- Every ticket, or, given active_from, those that recurred or belong in
-- active_tickets (open, or the last of their customer and category and
-- resolved at or after active_from).  The customer and category returned
-- are the partition's keys themselves (the same bytes): returned as read,
-- each would be sorted and merged a second time beside its key (at 10M
-- tickets 7.0-7.2 s against 7.7-8.0 s, three alternated rounds).  RETURN
-- QUERY, so that the query may run in parallel (an INSERT ... SELECT may
-- not).  Given parts > 1, only the customers of part number part (0 to
-- parts - 1) of a hash of their ids' bytes (comeback_rows_in_parts).
CREATE FUNCTION appraisal.comeback_rows(customers text[], categories text[], ticket_rows tid[] DEFAULT NULL,
                                        active_from timestamptz DEFAULT NULL, part integer DEFAULT 0, parts integer DEFAULT 1)
RETURNS TABLE (ticket_id text, customer_id text, category text, opened_at timestamptz, resolved_at timestamptz,
               next_opened_at timestamptz, agent_id text, contacts integer, recurred boolean, active boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  repeat_window constant interval := (SELECT p.repeat_window FROM appraisal.scorecard_parameters() p);
BEGIN
  IF parts IS NULL OR parts < 1 OR part IS NULL OR part < 0 OR part >= parts THEN
    RAISE EXCEPTION 'invalid part % of % parts', coalesce(part::text, 'NULL'), coalesce(parts::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', DETAIL = 'A part is numbered from 0 to parts - 1, and there is one part or more.';
  END IF;
  RETURN QUERY EXECUTE format($query$
    SELECT k.ticket_id, k.customer_id, k.category, k.opened_at, k.resolved_at, k.next_opened_at, k.agent_id, k.contacts, k.recurred,
           k.resolved_at IS NULL OR k.next_opened_at IS NULL AND k.resolved_at >= $5
    FROM (SELECT t.ticket_id, t.customer_id, t.category, t.opened_at, t.resolved_at, t.next_opened_at, t.agent_id, t.contacts,
                 appraisal.came_back(t.resolved_at, t.next_opened_at, $3) AS recurred
            FROM (SELECT t.ticket_id, t.customer_id COLLATE "C" AS customer_id, t.category COLLATE "C" AS category,
                         t.opened_at, t.resolved_at, t.agent_id, t.contacts,
                         lead(t.opened_at) OVER (PARTITION BY t.customer_id COLLATE "C", t.category COLLATE "C"
                                                 ORDER BY t.opened_at, t.ticket_id) AS next_opened_at
                    FROM %s
                   WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system' %s %s) t) k
    WHERE $5 IS NULL OR k.recurred OR k.resolved_at IS NULL OR k.next_opened_at IS NULL AND k.resolved_at >= $5 $query$,
    CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($4) t' END,
    CASE WHEN customers IS NOT NULL THEN 'AND appraisal.pair_in(t.customer_id, t.category, $1, $2)' ELSE '' END,
    CASE WHEN parts > 1 THEN 'AND (hashtext(t.customer_id COLLATE "C") & 2147483647) % $7 = $6' ELSE '' END)
  USING customers, categories, repeat_window, ticket_rows, active_from, part, parts;
END
$$;
COMMENT ON FUNCTION appraisal.comeback_rows(text[], text[], tid[], timestamptz, integer, integer) IS
  'As of now, for the customers[i] and categories[i] given, or for all with both NULL: each ticket of a customer (system-caused complaints left out) with its customer''s next ticket of its category (its opening, next_opened_at), its agent and contacts, whether it recurred (appraisal.came_back) and whether it belongs in appraisal.active_tickets (open, or the last of its customer and category and resolved at or after active_from). Every such ticket, or given active_from, those that recurred or are active: what refresh_scorecards() keeps in appraisal.recurred_tickets and appraisal.active_tickets on one node. ticket_rows (optional, on one node): the addresses (ctid) of rows of appraisal.tickets among which every ticket of those customers and categories is, read in this transaction. With parts > 1, only the customers in part number part (0 to parts - 1) of a hash of their ids (appraisal.comeback_rows_in_parts).';

-- The window in C (comeback_pass.c): comeback_rows's rows given
-- active_from, of the customers of part number part (0 to parts - 1) of a
-- hash of their ids' bytes (its own, not comeback_rows's), their tickets
-- read in one scan and sorted by PostgreSQL's tuplesort within work_mem.
-- Without active_from, active from the latest opening of a customer's
-- ticket (system-caused complaints left out) less the repeat window, but
-- never after that opening (comeback_rows_in_parts): each part's scan
-- reads every ticket, so each finds the same.  Costed as a scan of a
-- million tickets: the planner then gives each part to a worker.
CREATE FUNCTION appraisal.comeback_pass(part integer, parts integer, repeat_window interval, active_from timestamptz)
RETURNS TABLE (ticket_id text, customer_id text, category text, opened_at timestamptz, resolved_at timestamptz,
               next_opened_at timestamptz, agent_id text, contacts integer, recurred boolean, active boolean)
AS 'MODULE_PATHNAME', 'comeback_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 8000000 ROWS 50000;
COMMENT ON FUNCTION appraisal.comeback_pass(integer, integer, interval, timestamptz) IS
  'The rows of appraisal.comeback_rows(NULL, NULL, NULL, active_from) with the repeat window given (each ticket of a customer, system-caused complaints left out, that recurred or is active, with its customer''s next ticket of its category) for the customers of part (0 .. parts - 1) of a hash of their ids'' bytes, read in one scan with the caller''s rights (not under row-level security) and sorted within work_mem: what appraisal.comeback_rows_in_parts computes on one node, a part per parallel worker. With active_from NULL, active from the latest opening of a customer''s ticket (system-caused complaints left out, every part''s alike) less repeat_window, or from that opening when earlier.';

-- The comebacks of every customer (comeback_rows) in parts, as many as
-- the caller's parallel workers: each part's customers (a hash of their
-- ids) read, sorted and run through the window by one process, a parallel
-- append handing each part whole to a worker.  Without the leader: it
-- would take a part too, and the workers, their queues full, would wait
-- while it fills its function's result.  As it was, the window's sort
-- ran in the workers and the leader alone merged their runs and ran the
-- window over all of them.  At 10M tickets on 2 cores 5.2-5.3 s in two
-- parts against 6.2 s (6.2-6.4 s with the leader taking a part).
-- Each part is the pass in C (comeback_pass) unless row-level security is
-- on the tickets (it reads the table itself, which only a query would read
-- under the policies); at 10M tickets a part of two took 2.9-3.1 s so
-- against 4.7 s for comeback_rows's query, which ran a window, a SQL
-- function and a filter over each ticket (one process,
-- docs/performance.md).  Otherwise comeback_rows's query.
-- Without active_from, the active tickets are those a full refresh keeps:
-- from the latest opening of a customer's ticket (system-caused complaints
-- left out) less the repeat window, or from that opening when earlier
-- (an interval such as 1 month less 29 days may end after it), so that
-- the latest ticket is always among them.  Each pass finds that opening in
-- its own scan; the query's parts are given it, from a scan of its own.
CREATE FUNCTION appraisal.comeback_rows_in_parts(active_from timestamptz, parts integer)
RETURNS TABLE (ticket_id text, customer_id text, category text, opened_at timestamptz, resolved_at timestamptz,
               next_opened_at timestamptz, agent_id text, contacts integer, recurred boolean, active boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET parallel_leader_participation = off AS $$
DECLARE
  pass constant boolean := NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass);
  repeat_window constant interval := (SELECT p.repeat_window FROM appraisal.scorecard_parameters() p);
  latest timestamptz;
BEGIN
  IF parts IS NULL OR parts < 1 THEN
    RAISE EXCEPTION 'invalid number of parts %', coalesce(parts::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', DETAIL = 'The comebacks are computed in one part or more.';
  END IF;
  IF active_from IS NULL AND NOT pass THEN
    -- (by EXECUTE, which may have parallel workers, as an assignment may not)
    EXECUTE $latest$SELECT max(t.opened_at) FROM appraisal.tickets t
                     WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'$latest$
      INTO latest;
    active_from := least(latest - repeat_window, latest);
  END IF;
  RETURN QUERY EXECUTE (SELECT string_agg(format(CASE WHEN pass THEN 'SELECT * FROM appraisal.comeback_pass(%s, $2, $3, $1)'
                                                     ELSE 'SELECT * FROM appraisal.comeback_rows(NULL, NULL, NULL, $1, %s, $2)' END, i),
                                          ' UNION ALL ')
                          FROM generate_series(0, parts - 1) i)
  USING active_from, parts, repeat_window;
END
$$;
COMMENT ON FUNCTION appraisal.comeback_rows_in_parts(timestamptz, integer) IS
  'The rows of appraisal.comeback_rows(NULL, NULL, NULL, active_from) (every customer''s), computed in the given number of parts, each the customers of a part of a hash of their ids, run by parallel workers (one part each, without the leader); with active_from NULL, active from the latest opening of a customer''s ticket (system-caused complaints left out) less the repeat window, or from that opening when earlier: what a full refresh_scorecards() keeps on one node, in as many parts as its parallel workers. Each part is appraisal.comeback_pass unless row-level security is on appraisal.tickets, else comeback_rows''s query.';

CREATE FUNCTION appraisal.recurred_tickets_rows(customers text[], categories text[])
RETURNS TABLE (ticket_id text, customer_id text, category text, next_opened_at timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT c.ticket_id, c.customer_id, c.category, c.next_opened_at
  FROM appraisal.comeback_rows(customers, categories) c
  WHERE c.recurred;
END;
COMMENT ON FUNCTION appraisal.recurred_tickets_rows(text[], text[]) IS
  'The rows of appraisal.recurred_tickets as of now for the customers[i] and categories[i] given, or for all with both NULL: every resolved ticket whose customer came back in the same category within the repeat window, with the next ticket''s opening (appraisal.comeback_rows). What refresh_scorecards() keeps on one node.';

-- The pass in C (agent_daily_pass.c): per agent and day, the summaries of
-- the tickets of one part of the table's pages (part of parts, of blocks
-- pages counted by the caller; the last part to the table's end), opened
-- by instant, without comebacks.  Costed as a scan of a million tickets,
-- with some ten thousand rows: the planner then gives each part to a
-- worker, without compiling the query.
CREATE FUNCTION appraisal.agent_daily_pass(part integer, parts integer, blocks bigint, zone text, instant timestamptz,
                                           system_first_response boolean, repeat_window interval,
                                           channels text[], priorities text[],
                                           first_response_targets interval[],
                                           first_response_calendars appraisal.business_calendar[],
                                           resolution_targets interval[],
                                           resolution_calendars appraisal.business_calendar[],
                                           named_channels text[], named_priorities text[])
RETURNS TABLE (agent_id text, day date, tickets bigint, first_response appraisal.sla_stats,
               resolution appraisal.sla_stats, fcr appraisal.fcr_stats, complaints bigint,
               service_complaints bigint, system_complaints bigint, system_first_responses_excluded bigint,
               complaint_handling appraisal.sla_stats)
AS 'MODULE_PATHNAME', 'agent_daily_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 8000000 ROWS 50000;
COMMENT ON FUNCTION appraisal.agent_daily_pass(integer, integer, bigint, text, timestamptz, boolean, interval, text[], text[], interval[], appraisal.business_calendar[], interval[], appraisal.business_calendar[], text[], text[]) IS
  'The tickets of part (0 .. parts - 1) of the pages of appraisal.tickets (blocks of them as the caller counted; the last part to the end), read in one scan with the caller''s rights (not under row-level security), opened by instant: per agent and day of opening (local_day in zone), the summaries of appraisal.agent_daily without comebacks (the SLA items against the policies given as appraisal.sla_policy_arrays() gives them, a channel or priority no policy names taken as any; FCR with repeat_window; complaints). What appraisal.agent_daily_rows rolls up for every ticket on one node, given no comebacks.';

CREATE FUNCTION appraisal.agent_daily_rows(agents text[], days date[], ticket_rows tid[] DEFAULT NULL,
                                           kept_comebacks boolean DEFAULT false, instant timestamptz DEFAULT NULL,
                                           versions jsonb DEFAULT NULL, comebacks jsonb DEFAULT NULL)
RETURNS TABLE (agent_id text, day date, tickets bigint, first_response appraisal.sla_stats,
               resolution appraisal.sla_stats, fcr appraisal.fcr_stats, complaints bigint,
               service_complaints bigint, system_complaints bigint, system_first_responses_excluded bigint,
               complaint_handling appraisal.sla_stats, as_of timestamptz)
-- (VOLATILE: on a Citus cluster it fills comeback_staging)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone text;
  repeat_window interval;
  system_first_response boolean;
  policy record;   -- the SLA policies (sla_policy_arrays)
  -- the channels (priorities) some policy names, each once: a ticket's
  -- is looked up in them, by its bytes, before the matrix is joined (the
  -- matrix's arrays repeat each for every pair, and a comparison in the
  -- database's collation first looks the collation up: at 10M tickets,
  -- serially, 7.3 s against 8.2-8.4 s for every agent-day, two
  -- alternated rounds)
  named_channels text[];
  named_priorities text[];
  customers text[];    -- with categories: the customers and categories of the tickets asked for
  categories text[];
  distributed constant boolean := appraisal.distributed();
  -- on one node, given kept_comebacks, each ticket's comeback from
  -- recurred_tickets, kept by the refresh: no window; given versions,
  -- each one's own; given comebacks, from them
  kept constant boolean := (kept_comebacks AND NOT distributed) OR versions IS NOT NULL OR comebacks IS NOT NULL;
  -- else the comebacks apart from the rest (on Citus; on one node for
  -- every agent-day), or beside each ticket
  apart constant boolean := NOT kept AND (distributed OR agents IS NULL);
  -- on one node the ids are grouped and partitioned by their bytes (40, above)
  bytes constant text := CASE WHEN distributed THEN '' ELSE ' COLLATE "C"' END;
  -- a ticket's FCR: resolved by the refresh; a comeback before the
  -- resolution recurred too (gap 0)
  fcr_of constant text := $fcr$
    appraisal.fcr_agg(CASE WHEN k.resolved_at <= $8 THEN k.contacts END,
                      CASE WHEN k.next_opened_at IS NOT NULL
                           THEN greatest(k.next_opened_at - k.resolved_at, interval '0') END,
                      $6) $fcr$;
  -- the same customer's next ticket of the same category: a comeback
  -- (system-caused complaints make their own partition: never one)
  comeback constant text := format($next$
    lead(t.opened_at) OVER (PARTITION BY t.customer_id%1$s, t.category%1$s%2$s ORDER BY t.opened_at, t.ticket_id) $next$,
    -- (comeback_staging, and the tickets read for the comebacks apart, hold
    -- no system-caused complaint)
    bytes, CASE WHEN apart THEN '' ELSE $c$, coalesce(t.cause = 'system', false)$c$ END);
BEGIN
  IF versions IS NOT NULL AND comebacks IS NOT NULL THEN
    RAISE EXCEPTION 'appraisal.agent_daily_rows: versions and comebacks given together'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = 'Each version carries its own comeback (next_opened_at); comebacks are those of the table''s tickets.';
  END IF;
  SELECT p.report_time_zone, p.repeat_window INTO report_zone, repeat_window FROM appraisal.scorecard_parameters() p;
  system_first_response := (SELECT s.value::boolean FROM appraisal.current_settings s WHERE s.name = 'system_complaints_first_response');
  SELECT * INTO policy FROM appraisal.sla_policy_arrays();
  named_channels := ARRAY(SELECT DISTINCT c FROM unnest(policy.channels) c WHERE c <> '');
  named_priorities := ARRAY(SELECT DISTINCT p FROM unnest(policy.priorities) p WHERE p <> '');
  -- Every ticket on one node without comebacks (what the full refresh
  -- counts before it adds each agent-day's comebacks, 60): the pass in C
  -- (agent_daily_pass), in as many parts of the tickets' pages as the
  -- caller's parallel workers, a parallel append handing each part to one
  -- process, the parts' summaries of an agent-day rolled up (its tickets
  -- may lie in two parts).  At 10M tickets on 2 cores 1.7-2.7 s against
  -- 5.8 s for the query, which grouped every ticket in one process
  -- (docs/performance.md).  Not under row-level security, which only
  -- queries apply.  (The parts' rows sorted, then rolled up in that order:
  -- the rows come out in the order of the key, which the full refresh
  -- sorts them into again, then at no cost; grouped by hashing, the rows
  -- of the 360,000 agent-days at 10M tickets were sorted after it, 2.03-
  -- 2.08 s against 2.24-2.28 s for this function and that sort.)
  IF agents IS NULL AND comebacks = '{}' AND versions IS NULL AND ticket_rows IS NULL AND NOT distributed
     AND NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass) THEN
    RETURN QUERY EXECUTE format($pass$
      WITH parted AS MATERIALIZED (%s)
      SELECT (p.agent_id COLLATE "C") COLLATE "default", p.day, sum(p.tickets)::bigint, appraisal.rollup(p.first_response),
             appraisal.rollup(p.resolution), appraisal.rollup(p.fcr), sum(p.complaints)::bigint,
             sum(p.service_complaints)::bigint, sum(p.system_complaints)::bigint,
             sum(p.system_first_responses_excluded)::bigint, appraisal.rollup(p.complaint_handling), $5
      FROM (SELECT * FROM parted p ORDER BY p.agent_id COLLATE "C", p.day) p
      GROUP BY p.agent_id COLLATE "C", p.day $pass$,
      (SELECT string_agg(format('SELECT * FROM appraisal.agent_daily_pass(%s, $1, $2, $3, $5, $4, $6, '
                                '$7, $8, $9, $10, $11, $12, $13, $14)', i), ' UNION ALL ' ORDER BY i)
         FROM generate_series(0, greatest(current_setting('max_parallel_workers_per_gather')::integer, 1) - 1) i))
    USING greatest(current_setting('max_parallel_workers_per_gather')::integer, 1),
          pg_relation_size('appraisal.tickets') / current_setting('block_size')::bigint,
          report_zone, system_first_response, coalesce(instant, now()), repeat_window,
          policy.channels, policy.priorities, policy.first_response_targets, policy.first_response_calendars,
          policy.resolution_targets, policy.resolution_calendars, named_channels, named_priorities;
    RETURN;
  END IF;
  -- (a query of its own, whose result the next one takes as a constant:
  -- Citus computes a subquery of the tickets within a query of the tickets
  -- on each shard alone, and would find a customer's tickets on one shard)
  -- (Given ticket_rows, the tickets at those addresses alone, each fetched
  -- by its address (tickets_at): no read of every ticket.)
  IF agents IS NOT NULL AND NOT kept THEN
    EXECUTE format($customers$
      SELECT coalesce(array_agg(c.customer_id), '{}'), coalesce(array_agg(c.category), '{}')
        FROM (SELECT DISTINCT u.customer_id, u.category
                FROM %s
               WHERE u.customer_id IS NOT NULL
                 AND appraisal.pair_in(u.agent_id, appraisal.local_day(u.opened_at, $1), $2, $3)) c $customers$,
      CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets u' ELSE 'appraisal.tickets_at($4) u' END)
      INTO customers, categories
      USING report_zone, agents, days, ticket_rows;
  END IF;
  IF distributed AND NOT kept THEN   -- the comebacks' tickets, to their customers' shards
    TRUNCATE appraisal.comeback_staging;
    INSERT INTO appraisal.comeback_staging
    SELECT t.customer_id, t.category, t.opened_at, t.ticket_id, t.agent_id,
           appraisal.local_day(t.opened_at, report_zone), t.resolved_at, t.contacts
    FROM appraisal.tickets t
    WHERE t.customer_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'
      AND (agents IS NULL
           OR appraisal.pair_in(t.customer_id, t.category, customers, categories));
  END IF;
  -- $1, $2 the agent-days asked; $3 the report time zone; $4, $5 the
  -- customers and categories of their tickets; $6 the repeat window; $7
  -- whether system-caused complaints count in first response; $8 the
  -- instant (now); $9 to $14 the SLA policies (sla_policy_arrays); $15
  -- ticket_rows; $16 versions; $17 comebacks; $18, $19 the channels and
  -- priorities the policies name
  RETURN QUERY EXECUTE format($query$
    WITH asked AS (
      SELECT a.agent_id, a.day FROM unnest($1, $2) a(agent_id, day)
    ), dated AS NOT MATERIALIZED (
      SELECT t.*, appraisal.local_day(t.opened_at, $3) AS day
      FROM %10$s
    ), keyed AS (
      SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.contacts, t.pauses,
             t.complaint, t.cause, coalesce(t.cause = 'system', false) AS system_caused, t.customer_id,
             CASE WHEN t.channel COLLATE "C" = ANY ($18) THEN t.channel ELSE '' END AS channel_key,
             CASE WHEN t.priority COLLATE "C" = ANY ($19) THEN t.priority ELSE '' END AS priority_key,
             %3$s AS next_opened_at,
             t.day
      FROM dated t%11$s
      WHERE $1 IS NULL
         %4$s
      %9$s
    ), counted AS (
      SELECT k.agent_id%1$s AS agent_id,
             k.day,
             count(*) AS tickets,
             -- resolving a ticket answers it: a ticket resolved without a recorded
             -- first response was first answered when resolved
             appraisal.sla_agg(k.opened_at, coalesce(k.first_response_at, k.resolved_at), m.first_response_target,
                               m.first_response_calendar, $8, k.pauses)
               FILTER (WHERE NOT k.system_caused OR $7) AS first_response,
             appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                               m.resolution_calendar, $8, k.pauses)
               FILTER (WHERE NOT k.system_caused) AS resolution,
             %2$s FILTER (WHERE NOT k.system_caused %5$s) AS fcr,
             count(*) FILTER (WHERE k.complaint) AS complaints,
             count(*) FILTER (WHERE k.cause = 'service') AS service_complaints,
             count(*) FILTER (WHERE k.system_caused) AS system_complaints,
             count(*) FILTER (WHERE k.system_caused AND NOT $7) AS system_first_responses_excluded,
             -- complaint handling: the service-caused complaints against their resolution target
             appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                               m.resolution_calendar, $8, k.pauses)
               FILTER (WHERE k.cause = 'service') AS complaint_handling
      FROM keyed k
      -- every key has its row in the matrix: LEFT JOIN says so to the planner,
      -- which would otherwise expect a few dozen tickets to group (and sort them)
      LEFT JOIN unnest($9, $10, $11, $12, $13, $14)
                  m(channel, priority, first_response_target, first_response_calendar, resolution_target, resolution_calendar)
             ON m.channel = k.channel_key AND m.priority = k.priority_key
      WHERE k.opened_at <= $8   -- a ticket from after the refresh counts from the next one
        AND ($1 IS NULL OR (k.agent_id, k.day) IN (SELECT agent_id, day FROM asked))
      GROUP BY k.agent_id%1$s, k.day
    )%6$s
    SELECT c.agent_id COLLATE "default", c.day, c.tickets, c.first_response, c.resolution,
           %7$s AS fcr,
           c.complaints, c.service_complaints, c.system_complaints, c.system_first_responses_excluded,
           c.complaint_handling, $8 AS as_of
    FROM counted c%8$s
    $query$,
    bytes,
    fcr_of,
    -- 3: the comeback kept (or given: looked up by the ticket's id in the
    -- object, no join; given an empty object, none), or beside each
    -- ticket, unless computed apart
    CASE WHEN comebacks = '{}' THEN 'NULL::timestamptz'
         WHEN comebacks IS NOT NULL THEN '($17 ->> t.ticket_id)::timestamptz'
         WHEN kept THEN 'r.next_opened_at' WHEN apart THEN 'NULL::timestamptz'
         ELSE format('CASE WHEN t.customer_id IS NOT NULL THEN %s END', comeback) END,
    -- 4: with the comebacks apart, the agent-days asked; else the window
    -- runs over the asked customers' whole partitions, which hold every
    -- asked ticket naming a customer: the agent-days asked are looked up
    -- for the tickets naming none alone (one hash of each ticket instead of
    -- two, and no day computed for the tickets left out: at 10M tickets,
    -- after a day of tickets and 1 % of the open ones resolved,
    -- agent_daily's step 0.6-0.9 s shorter, two alternated rounds)
    CASE WHEN apart OR kept THEN 'OR appraisal.pair_in(t.agent_id, t.day, $1, $2)' ELSE
      $w$OR appraisal.pair_in(t.customer_id, t.category, $4, $5)
         OR t.customer_id IS NULL AND appraisal.pair_in(t.agent_id, t.day, $1, $2)$w$ END,
    -- 5: with the comebacks apart, this FCR is of the tickets naming no customer alone
    CASE WHEN apart THEN 'AND k.customer_id IS NULL' ELSE '' END,
    -- 6: the FCR of the others apart, per agent-day: on Citus on the
    -- customers' shards; on one node from a window over their few columns
    -- alone, the rest grouped by hashing, unsorted (at 10M tickets 33.9-42.5 s
    -- against 37.6-45.8 s sorting every column of every ticket for the
    -- window, three alternated rounds, and 652 MB sorted on disk instead of
    -- 1,088 MB)
    CASE WHEN apart THEN format($b$, comebacks AS (
      SELECT k.agent_id, k.day, %1$s AS fcr
      FROM (SELECT t.agent_id, t.day, t.opened_at, t.resolved_at, t.contacts, %2$s AS next_opened_at
              FROM %3$s t) k
      WHERE k.opened_at <= $8
        AND ($1 IS NULL OR (k.agent_id, k.day) IN (SELECT agent_id, day FROM asked))
      GROUP BY k.agent_id, k.day
    )$b$, fcr_of, comeback,
      CASE WHEN distributed THEN 'appraisal.comeback_staging' ELSE
        $s$(SELECT u.customer_id, u.category, u.opened_at, u.ticket_id, u.agent_id COLLATE "C" AS agent_id,
                   appraisal.local_day(u.opened_at, $3) AS day, u.resolved_at, u.contacts
              FROM appraisal.tickets u
             WHERE u.customer_id IS NOT NULL AND u.cause IS DISTINCT FROM 'system')$s$ END) ELSE '' END,
    CASE WHEN apart THEN 'coalesce(appraisal.fcr_stats_combine(c.fcr, b.fcr), c.fcr)' ELSE 'c.fcr' END,
    CASE WHEN apart THEN ' LEFT JOIN comebacks b ON b.agent_id = c.agent_id AND b.day = c.day' ELSE '' END,
    -- 9: on one node without the window, a subquery of its own (OFFSET 0: the
    -- planner, knowing nothing of the day's values, then expects some
    -- hundreds of days and groups by hashing, as the window's output makes
    -- it do; on Citus it would compute it on the coordinator)
    CASE WHEN (apart OR kept) AND NOT distributed THEN 'OFFSET 0' ELSE '' END,
    -- 10: the versions given; the tickets at the addresses given, when no
    -- window needs their customers' other tickets (with agents NULL, all
    -- of them, none tested against the agent-days); else every ticket
    CASE WHEN versions IS NOT NULL THEN 'jsonb_populate_recordset(NULL::appraisal.tickets, $16) t'
         WHEN kept AND ticket_rows IS NOT NULL THEN 'appraisal.tickets_at($15) t'
         ELSE 'appraisal.tickets t' END,
    -- 11: the comebacks kept, or the versions' own (none given comebacks)
    CASE WHEN versions IS NOT NULL THEN ' LEFT JOIN jsonb_to_recordset($16) r(ticket_id text, next_opened_at timestamptz) ON r.ticket_id = t.ticket_id'
         WHEN comebacks IS NOT NULL THEN ''
         WHEN kept THEN ' LEFT JOIN appraisal.recurred_tickets r ON r.ticket_id = t.ticket_id' ELSE '' END)
  USING agents, days, report_zone, customers, categories, repeat_window, system_first_response, coalesce(instant, now()),
        policy.channels, policy.priorities, policy.first_response_targets, policy.first_response_calendars,
        policy.resolution_targets, policy.resolution_calendars, ticket_rows, versions, comebacks, named_channels, named_priorities;
  IF distributed AND NOT kept THEN
    TRUNCATE appraisal.comeback_staging;
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.agent_daily_rows(text[], date[], tid[], boolean, timestamptz, jsonb, jsonb) IS
  'The rows of appraisal.agent_daily as of now() (or the instant given) for the agent-days agents[i], days[i], or for every agent and day when both are NULL: what refresh_scorecards() stores. ticket_rows (optional, on one node): the addresses (ctid) of rows of appraisal.tickets among which every ticket of those agent-days is, read in this transaction: refresh_scorecards() reads them once for this summary and the CSAT and follow-up ones. kept_comebacks (on one node): each ticket''s comeback taken from appraisal.recurred_tickets, as the refresh keeps it, instead of computed from its customer''s tickets (false: computed, the definition). versions (a JSON array of rows of appraisal.tickets, each with its comeback''s opening as next_opened_at, NULL or absent for none): what those tickets alone count for, instead of the table''s: refresh_scorecards() takes what the tickets written since the last refresh counted for then, as of that refresh''s instant, out of their days'' rows. comebacks (a JSON object, not with versions): each ticket''s comeback''s opening under its id instead (a ticket absent: none; the empty object: no ticket has one): refresh_scorecards() counts the tickets written as they count now with the comebacks keep_recurred_tickets returns for them, and every ticket without a comeback before it adds those of the tickets that recurred.';

CREATE TABLE appraisal.agent_daily AS SELECT * FROM appraisal.agent_daily_rows(NULL, NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily (agent_id, day);
COMMENT ON TABLE appraisal.agent_daily IS
  'Per agent and day (tickets opened that day in the report time zone): two-step summaries of first-response and resolution SLA (against the ticket''s SLA policy, as of the refresh), FCR with recurrence, complaint counts and the handling of service-caused complaints. System-caused complaints are left out of resolution, FCR and recurrence, and of first response when system_complaints_first_response is false (docs/rules.md, "Complaint handling": attribution). Refreshed by appraisal.refresh_scorecards(); the scorecards roll it up.';
COMMENT ON COLUMN appraisal.agent_daily.agent_id IS 'Agent (appraisal.employees).';
COMMENT ON COLUMN appraisal.agent_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily.tickets IS 'Tickets opened that day, by the refresh (system-caused complaints included).';
COMMENT ON COLUMN appraisal.agent_daily.first_response IS 'First-response SLA summary (sla_stats) as of the refresh; system-caused complaints in it unless system_complaints_first_response was false.';
COMMENT ON COLUMN appraisal.agent_daily.resolution IS 'Resolution SLA summary (sla_stats) as of the refresh, without system-caused complaints.';
COMMENT ON COLUMN appraisal.agent_daily.fcr IS 'FCR summary (fcr_stats) of the tickets resolved by the refresh, without system-caused complaints; recurred when the customer came back in the same category within the repeat window (a system-caused complaint is no comeback).';
COMMENT ON COLUMN appraisal.agent_daily.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_daily.service_complaints IS 'Service-caused complaints (count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.system_complaints IS 'System-caused complaints (left out of the agent''s measures but for their first response, per system_complaints_first_response).';
COMMENT ON COLUMN appraisal.agent_daily.system_first_responses_excluded IS 'System-caused complaints left out of first response too (system_complaints_first_response false at the refresh); 0 otherwise.';
COMMENT ON COLUMN appraisal.agent_daily.complaint_handling IS 'Resolution SLA summary (sla_stats) of the service-caused complaints alone: complaints closed within their target.';
COMMENT ON COLUMN appraisal.agent_daily.as_of IS 'When the row was computed: the refresh that last recomputed it (the others found it unchanged).';

-- Survey responses per agent and day of the rated ticket, one per ticket;
-- a rating of a system-caused complaint is not the agent's.
--
-- The query is written for the case (every ticket, or those of the
-- agent-days asked for) and the installation: on one node the ids are
-- sorted and joined by their bytes (COLLATE "C": the same groups and
-- matches, sorted several times faster than by the database's collation);
-- on a Citus cluster (62_citus.sql) as they are, and every ticket read
-- from the table itself, so that Citus sees its distribution column and
-- computes each shard's responses and tickets on its worker, combining
-- the partial csat_stats on the coordinator.
CREATE FUNCTION appraisal.agent_daily_csat_rows(agents text[], days date[])
RETURNS TABLE (agent_id text, day date, scale_max integer, csat appraisal.csat_stats, as_of timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
-- serial: in a parallel plan every worker sorts all the responses to pick
-- one per ticket (22 % slower at 2M tickets)
SET max_parallel_workers_per_gather = 0
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  distributed constant boolean := appraisal.distributed();
  -- every ticket on one node, stored in the order of the ids: the responses
  -- picked, in the order of their ids, then merged with the tickets read
  -- through their key, which refresh_scorecards() has the planner choose
  -- (60: hash joins off for its INSERT; at 10M tickets 13.4-14.3 s against
  -- 17.1-18.8 s hashing every ticket, alternated)
  merged constant boolean := agents IS NULL AND NOT distributed AND appraisal.tickets_in_id_order();
  bytes constant text := CASE WHEN distributed OR merged THEN '' ELSE ' COLLATE "C"' END;
BEGIN
  RETURN QUERY EXECUTE format($query$
    WITH asked AS MATERIALIZED (   -- the tickets of the agent-days asked for (read when some are)
      SELECT t.ticket_id, t.agent_id, t.opened_at, t.cause
      FROM appraisal.tickets t
      WHERE appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, $3), $1, $2)
    ), counted AS (   -- docs/rules.md, "Complaint handling": one response per ticket, web beats the rest
      SELECT DISTINCT ON (r.ticket_id%1$s) r.ticket_id, r.rating, r.scale_max
      FROM appraisal.survey_responses r
      WHERE %3$s
      ORDER BY r.ticket_id%1$s, CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC
    )
    SELECT (t.agent_id%1$s) COLLATE "default" AS agent_id,
           appraisal.local_day(t.opened_at, $3) AS day,
           c.scale_max,
           appraisal.csat_agg(c.rating, c.scale_max) AS csat,
           $4 AS as_of
    FROM counted c
    JOIN %2$s t ON t.ticket_id%1$s = c.ticket_id%1$s   -- (as counted is sorted: the same matches)
    WHERE t.cause IS DISTINCT FROM 'system'
    GROUP BY t.agent_id%1$s, 2, 3
    $query$,
    bytes,
    CASE WHEN agents IS NULL THEN 'appraisal.tickets' ELSE 'asked' END,
    CASE WHEN agents IS NULL THEN 'true' ELSE 'r.ticket_id IN (SELECT ticket_id FROM asked)' END)
  USING agents, days, report_zone, now();   -- (the coordinator's instant, a constant to Citus)
END
$$;
COMMENT ON FUNCTION appraisal.agent_daily_csat_rows(text[], date[]) IS
  'The rows of appraisal.agent_daily_csat as of now() for the agent-days agents[i], days[i], or for every agent and day when both are NULL: what refresh_scorecards() stores.';

CREATE TABLE appraisal.agent_daily_csat AS SELECT * FROM appraisal.agent_daily_csat_rows(NULL, NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_csat (agent_id, day, scale_max);
COMMENT ON TABLE appraisal.agent_daily_csat IS
  'Per agent, day the rated tickets were opened and rating scale: two-step CSAT summary (csat_stats) of one response per ticket (web, else call-back, else SMS; the latest of equals; docs/rules.md, "Complaint handling"), system-caused complaints left out (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.agent_daily_csat.agent_id IS 'Agent who handled the rated tickets.';
COMMENT ON COLUMN appraisal.agent_daily_csat.day IS 'Day the rated tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily_csat.scale_max IS 'Top of the rating scale (summaries of different scales are kept apart; the scorecards add up their counts of responses and satisfied responses).';
COMMENT ON COLUMN appraisal.agent_daily_csat.csat IS 'Counts of the ratings (csat_stats).';
COMMENT ON COLUMN appraisal.agent_daily_csat.as_of IS 'When the row was computed: the refresh that last recomputed it (the others found it unchanged).';

-- The pass in C (category_daily_pass.c): per category and day, the
-- counts of the tickets of one part of the table's pages (as
-- agent_daily_pass), opened by instant.  Costed as a scan of a million
-- tickets: the planner then gives each part to a worker.
CREATE FUNCTION appraisal.category_daily_pass(part integer, parts integer, blocks bigint, zone text, instant timestamptz)
RETURNS TABLE (category text, day date, tickets bigint, complaints bigint, service_complaints bigint, system_complaints bigint)
AS 'MODULE_PATHNAME', 'category_daily_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 2000000 ROWS 5000;
COMMENT ON FUNCTION appraisal.category_daily_pass(integer, integer, bigint, text, timestamptz) IS
  'The tickets of part (0 .. parts - 1) of the pages of appraisal.tickets (blocks of them as the caller counted; the last part to the end), read in one scan with the caller''s rights (not under row-level security), opened by instant: per category and day of opening (local_day in zone), the counts of appraisal.category_daily. What appraisal.category_daily_rows adds up for every day on one node.';

-- Complaints per category and day: Pareto and spikes.  Every day on one
-- node (no row-level security on the tickets, which only queries apply):
-- the pass in C (category_daily_pass), in as many parts of the tickets'
-- pages as the caller's parallel workers, a parallel append handing each
-- part to one process, the parts' counts of a category-day added up (at
-- 10M tickets on 2 cores 0.57-0.59 s against 0.97 s for the query,
-- docs/performance.md).  Otherwise a query.  On one node, given days, the
-- day is computed once per ticket in a subquery of its own (OFFSET 0: it is
-- compared with the days, then grouped); for every day the subquery is
-- flattened, so that parallel workers may read the tickets for the leader
-- to group (refresh_scorecards() then costs them as free to pass up, 60; a
-- fenced subquery kept the workers out).  On Citus the tickets are grouped
-- as they are read, on their shards (a subquery with OFFSET it would
-- compute on the coordinator, every ticket shipped there).  Given
-- ticket_ids, those tickets' counts alone, found through the table's key
-- (or given ticket_rows, at those addresses): what refresh_scorecards()
-- adds to the days' counts for tickets inserted (60).
CREATE FUNCTION appraisal.category_daily_rows(days date[], ticket_ids text[] DEFAULT NULL, ticket_rows tid[] DEFAULT NULL)
RETURNS TABLE (category text, day date, tickets bigint, complaints bigint, service_complaints bigint,
               system_complaints bigint, as_of timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  parts constant integer := greatest(current_setting('max_parallel_workers_per_gather')::integer, 1);
BEGIN
  IF days IS NULL AND ticket_ids IS NULL AND ticket_rows IS NULL AND NOT appraisal.distributed()
     AND NOT (SELECT c.relrowsecurity FROM pg_class c WHERE c.oid = 'appraisal.tickets'::regclass) THEN
    RETURN QUERY EXECUTE format($pass$
      WITH parted AS MATERIALIZED (%s)
      SELECT (p.category COLLATE "C") COLLATE "default", p.day, sum(p.tickets)::bigint, sum(p.complaints)::bigint,
             sum(p.service_complaints)::bigint, sum(p.system_complaints)::bigint, $4
      FROM parted p
      GROUP BY p.category COLLATE "C", p.day $pass$,
      (SELECT string_agg(format('SELECT * FROM appraisal.category_daily_pass(%s, $1, $2, $3, $4)', i), ' UNION ALL ' ORDER BY i)
         FROM generate_series(0, parts - 1) i))
    USING parts, pg_relation_size('appraisal.tickets') / current_setting('block_size')::bigint, report_zone, now();
    RETURN;
  END IF;
  RETURN QUERY EXECUTE format($query$
    SELECT t.category, t.day,
           count(*) AS tickets,
           count(*) FILTER (WHERE t.complaint) AS complaints,
           count(*) FILTER (WHERE t.cause = 'service') AS service_complaints,
           count(*) FILTER (WHERE t.cause = 'system') AS system_complaints,
           $3 AS as_of
    FROM (SELECT t.category, t.complaint, t.cause, appraisal.local_day(t.opened_at, $2) AS day
          FROM %s
          WHERE t.opened_at <= $3 %s
          %s) t
    WHERE $1 IS NULL OR t.day = ANY ($1)
    GROUP BY 1, 2
    $query$,
    CASE WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($5) t' END,
    CASE WHEN ticket_ids IS NOT NULL THEN 'AND t.ticket_id = ANY ($4)' ELSE '' END,
    CASE WHEN appraisal.distributed() OR days IS NULL THEN '' ELSE 'OFFSET 0' END)
  USING days, report_zone, now(), ticket_ids, ticket_rows;   -- ($3: the coordinator's instant, a constant to Citus)
END
$$;
COMMENT ON FUNCTION appraisal.category_daily_rows(date[], text[], tid[]) IS
  'The rows of appraisal.category_daily as of now() for the given days, or for every day when days is NULL: what refresh_scorecards() stores. Given ticket_ids, the counts of those tickets alone: what it adds to the days'' counts for tickets inserted; given ticket_rows (on one node), of the tickets at those addresses (ctid, read in this transaction) alone.';

CREATE TABLE appraisal.category_daily AS SELECT * FROM appraisal.category_daily_rows(NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.category_daily (category, day);
COMMENT ON TABLE appraisal.category_daily IS 'Per ticket category and day: tickets and complaints, for the complaint Pareto and spike alerts.';
COMMENT ON COLUMN appraisal.category_daily.category IS 'Ticket category.';
COMMENT ON COLUMN appraisal.category_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.category_daily.tickets IS 'Tickets opened that day, by the refresh.';
COMMENT ON COLUMN appraisal.category_daily.complaints IS 'Complaints among them.';
COMMENT ON COLUMN appraisal.category_daily.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.as_of IS 'When the counts were taken: the refresh that last recomputed the row (the others found it unchanged).';

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
