-- 41: the materialized counts of the follow-up after a ticket, per agent and
-- day the ticket was opened (in the report time zone, as agent_daily): the
-- call-backs, the survey coverage, the quality inspections and the survey
-- responses split into extreme and other ratings.  A table kept with the
-- other summaries by refresh_scorecards() (40 says how); rolled up by
-- follow_up_summaries (51).

-- The query is written for the case and the installation as
-- agent_daily_csat_rows's (40): by the ids' bytes on one node, as they are
-- and from the tables themselves on a Citus cluster, where each shard's
-- tickets, calls, responses and inspections are counted on its worker.
--
-- Every ticket on one node, when the tickets are stored about in the order
-- of their ids (40: tickets_in_id_order): a pass in C (follow_up_pass,
-- below) reads the tickets, their calls, responses and inspections in the
-- order of the tables' keys and merges them, counting each ticket into its
-- agent-day: no join, sort or grouping of ten million rows.  At 10M tickets
-- on 2 cores the function took 2.7-3.4 s, its parts added up, against 8.6 s
-- for the same merge as a query (docs/performance.md).
--
-- The counted response of each ticket is the one agent_daily_csat counts
-- (40): the same pass gives that summary too, one per scale (scales[i],
-- csats[i]).  Each agent-day is grouped first by the scale of its tickets'
-- counted responses (none for the tickets without one), then as a whole,
-- the follow-up's counts added up.  A full
-- refresh on one node writes both summaries from one call (60): at 10M
-- tickets 49.7-54.5 s for both, against 56.7-59.3 s apart (CSAT 16-17 s,
-- follow-up 40-43 s), two alternated rounds of the whole refresh.
-- The pass in C (follow_up_pass.c): per agent and day of the tickets whose
-- ids lie in [lower, upper) (NULL: unbounded), a row per scale rated, with
-- its count and CSAT summary, the first with the follow-up's counts (else one
-- row of those, scale_max NULL).  Costed as a scan of a million tickets,
-- with some ten thousand rows: the planner then gives each part to a
-- worker, without compiling the query (JIT: 0.2 s at 10M tickets).
CREATE FUNCTION appraisal.follow_up_pass(lower text, upper text, zone text, call_back_window interval, instant timestamptz)
RETURNS TABLE (agent_id text, day date, scale_max integer, opened bigint, resolved bigint, called_back bigint,
               call_back_pending bigint, surveyed bigint, inspections bigint, score_sum numeric, extreme_responses bigint,
               extreme_satisfied bigint, other_responses bigint, other_satisfied bigint, rated bigint, csat appraisal.csat_stats)
AS 'MODULE_PATHNAME', 'follow_up_pass'
LANGUAGE C STABLE PARALLEL SAFE COST 8000000 ROWS 50000;
COMMENT ON FUNCTION appraisal.follow_up_pass(text, text, text, interval, timestamptz) IS
  'The tickets with ids from lower (included) to upper (excluded; NULL: unbounded) with their call-backs, survey responses and quality inspections, read in the order of the tables'' primary keys and merged (with the caller''s rights; not under row-level security): per agent and day of opening (local_day in zone), one row per rating scale of the counted responses with their number (rated) and CSAT summary, the first with the follow-up counts of appraisal.agent_daily_follow_up as of instant (inspections and score_sum of the tickets opened by instant; the other rows'' counts 0), or, with no response rated, one row of those counts with scale_max NULL. What appraisal.agent_daily_csat_follow_up_rows adds up for every ticket on one node.';

CREATE FUNCTION appraisal.agent_daily_csat_follow_up_rows(agents text[], days date[], ticket_rows tid[] DEFAULT NULL,
                                                         instant timestamptz DEFAULT NULL, versions jsonb DEFAULT NULL,
                                                         facts boolean DEFAULT true)
RETURNS TABLE (agent_id text, day date, resolved bigint, called_back bigint, call_back_pending bigint,
               surveyed bigint, inspections bigint, inspection_score_sum numeric, extreme_responses bigint,
               extreme_satisfied bigint, other_responses bigint, other_satisfied bigint, as_of timestamptz,
               opened bigint, scales integer[], csats appraisal.csat_stats[])
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  call_back_window constant interval := (SELECT s.value::interval FROM appraisal.current_settings s WHERE s.name = 'call_back_window');
  distributed constant boolean := appraisal.distributed();
  -- (follow_up_pass reads the tables directly: not under row-level security,
  -- which only queries apply)
  merged constant boolean := agents IS NULL AND facts AND NOT distributed AND appraisal.tickets_in_id_order()
                             AND NOT EXISTS (SELECT FROM pg_class c
                                             WHERE c.oid IN ('appraisal.tickets'::regclass, 'appraisal.call_backs'::regclass,
                                                             'appraisal.survey_responses'::regclass,
                                                             'appraisal.quality_inspections'::regclass)
                                               AND c.relrowsecurity);
  -- the ids compared by their bytes on one node
  bytes constant text := CASE WHEN distributed THEN '' ELSE ' COLLATE "C"' END;
  -- a table of the tickets' responses or inspections (%1$s, alias %2$s):
  -- every row, or those of the tickets asked for.  On one node each
  -- ticket's rows are looked up by its key in the order the tickets were
  -- read (a subquery of its own per ticket: joined, the planner hashes
  -- every response), which is about the keys' order when they are stored
  -- in the order of their ids: at 10M tickets 103,000 look-ups in the
  -- responses took 0.21-0.27 s so, against 0.45 s in the order of a hash
  -- of the ids, as a semi-join takes them (two rounds each); on Citus the
  -- semi-join, which it plans on the shards.
  -- (without facts, none: tickets that have no response, call-back or
  -- inspection, as those the refresh knows were inserted since the rows
  -- of those tables it counted)
  of_asked constant text := CASE WHEN NOT facts THEN '%1$s %2$s WHERE false'
                                 WHEN agents IS NULL THEN '%1$s %2$s'
                                 WHEN distributed THEN '%1$s %2$s WHERE %2$s.ticket_id IN (SELECT a.ticket_id FROM asked a)'
                                 ELSE 'asked a CROSS JOIN LATERAL (SELECT * FROM %1$s x WHERE x.ticket_id = a.ticket_id OFFSET 0) %2$s' END;
  -- Merged, the pass is split into parts by ranges of ids, as many as the
  -- caller's parallel workers ($8: the ids between them, from the
  -- planner's statistics, 40: ticket_id_bounds): a parallel append hands
  -- each part whole to one process (the leader takes the last; one worker
  -- finds none left); the parts' counts per agent, day and scale are then
  -- added up from a materialized union (an agent-day's tickets may lie in
  -- two ranges), sorted first: the sums then come in the order the
  -- agent-day's row is built in (5, below), where grouped by hashing they
  -- were sorted after it (at 10M tickets 3.21-3.34 s against 3.51-3.67 s
  -- for this function).  One part, the whole range, without workers or
  -- statistics.
  bounds constant text[] := CASE WHEN merged
                                 THEN appraisal.ticket_id_bounds(current_setting('max_parallel_workers_per_gather')::integer)
                                 ELSE '{}' END;
  -- the tickets counted per agent, day and scale of the counted response:
  -- follow_up_pass's parts added up, or the query below
  part text;
BEGIN
  IF merged THEN
    SELECT format($sum$
      WITH parted AS MATERIALIZED (%s)
      SELECT p.agent_id COLLATE "C" AS agent_id, p.day, p.scale_max, sum(p.opened::integer) AS opened, sum(p.resolved::integer) AS resolved,
             sum(p.called_back::integer) AS called_back, sum(p.call_back_pending::integer) AS call_back_pending,
             sum(p.surveyed::integer) AS surveyed, sum(p.inspections) AS inspections, sum(p.score_sum) AS score_sum,
             sum(p.extreme_responses::integer) AS extreme_responses, sum(p.extreme_satisfied::integer) AS extreme_satisfied,
             sum(p.other_responses::integer) AS other_responses, sum(p.other_satisfied::integer) AS other_satisfied,
             sum(p.rated::integer) AS rated, appraisal.rollup(p.csat) AS csat
      FROM (SELECT * FROM parted p ORDER BY p.agent_id COLLATE "C", p.day, p.scale_max) p
      GROUP BY p.agent_id COLLATE "C", p.day, p.scale_max $sum$,
                  string_agg(format('SELECT * FROM appraisal.follow_up_pass(%s, %s, $3, $4, $5)',
                                    CASE WHEN i > 1 THEN format('$8[%s]', i - 1) ELSE 'NULL' END,
                                    CASE WHEN i <= cardinality(bounds) THEN format('$8[%s]', i) ELSE 'NULL' END),
                             ' UNION ALL ' ORDER BY i))
      INTO part
      FROM generate_series(1, cardinality(bounds) + 1) i;
  ELSE
    part := format($part$
      SELECT t.agent_id%1$s AS agent_id,
             t.day,
             count(*) FILTER (WHERE t.counts) AS opened,
             count(*) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused) AS resolved,
             count(*) FILTER (WHERE t.counts AND cb.ticket_id IS NOT NULL AND NOT t.system_caused) AS called_back,
             -- no call-back yet, but the window is still open at the refresh: not judged yet
             count(*) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused AND cb.ticket_id IS NULL
                                AND t.resolved_at + $4 >= $5) AS call_back_pending,
             count(c.ticket_id) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused) AS surveyed,
             -- an inspection judges the agent's handling, whatever caused the complaint
             -- (summed over the inspected tickets alone: a sum's state is
             -- allocated at its first row, NULL or not, which for every
             -- group made the hash table spill to disk at 10M tickets)
             sum(q.inspections) FILTER (WHERE t.counts AND q.ticket_id IS NOT NULL) AS inspections,
             sum(q.score_sum) FILTER (WHERE t.counts AND q.ticket_id IS NOT NULL) AS score_sum,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating IN (1, c.scale_max)) AS extreme_responses,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating IN (1, c.scale_max)
                                          AND c.rating >= c.scale_max - 1) AS extreme_satisfied,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating NOT IN (1, c.scale_max)) AS other_responses,
             count(c.ticket_id) FILTER (WHERE t.counts AND NOT t.system_caused AND c.rating NOT IN (1, c.scale_max)
                                          AND c.rating >= c.scale_max - 1) AS other_satisfied, c.scale_max,
             count(c.ticket_id) FILTER (WHERE NOT t.system_caused) AS rated,
             appraisal.csat_agg(c.rating, c.scale_max) FILTER (WHERE NOT t.system_caused) AS csat
      -- the tickets with their day and whether they were called back (A
      -- system-caused complaint is not the agent's: docs/rules.md, "Complaint
      -- handling": attribution); on one node in a subquery of their own
      -- (OFFSET 0: the planner, knowing nothing of the day's values, then
      -- expects some hundreds of days and groups by hashing, as agent_daily)
      FROM (SELECT t.ticket_id, t.agent_id, t.resolved_at, coalesce(t.cause = 'system', false) AS system_caused,
                   appraisal.local_day(t.opened_at, $3) AS day, t.opened_at <= $5 AS counts
            FROM counted_tickets t
            %2$s) t
      LEFT JOIN called_back cb ON cb.ticket_id%1$s = t.ticket_id%1$s
      -- one response per ticket, as agent_daily_csat counts it (docs/rules.md,
      -- "Complaint handling"; ordered in a subquery of its own, whose sort
      -- the planner may take from the table's key on the ticket (an
      -- incremental sort, each ticket's few responses apart), as it does not
      -- for a DISTINCT ON: at 10M tickets 1.9 s against 3.2 s for a full
      -- sort of 4.3M responses)
      LEFT JOIN (SELECT DISTINCT ON (r.ticket_id%1$s) r.ticket_id, r.rating, r.scale_max
                 FROM (SELECT r.ticket_id, r.rating, r.scale_max, r.responded_at,
                              CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END AS preference
                       FROM %3$s
                       ORDER BY r.ticket_id%1$s, preference, r.responded_at DESC) r
                 ORDER BY r.ticket_id%1$s, r.preference, r.responded_at DESC) c ON c.ticket_id%1$s = t.ticket_id%1$s
      LEFT JOIN (SELECT q.ticket_id%1$s AS ticket_id, count(*) AS inspections, sum(q.score) AS score_sum
                 FROM %4$s
                 GROUP BY q.ticket_id%1$s) q ON q.ticket_id%1$s = t.ticket_id%1$s
      GROUP BY t.agent_id%1$s, t.day, c.scale_max $part$,
      bytes, CASE WHEN distributed THEN '' ELSE 'OFFSET 0' END,
      format(of_asked, 'appraisal.survey_responses', 'r'), format(of_asked, 'appraisal.quality_inspections', 'q'));
  END IF;
  RETURN QUERY EXECUTE format($query$
    WITH asked AS MATERIALIZED (   -- the tickets of the agent-days asked for (read when some are)
      SELECT t.ticket_id, t.agent_id, t.opened_at, t.resolved_at, t.cause
      FROM %4$s
      WHERE appraisal.pair_in(t.agent_id, appraisal.local_day(t.opened_at, $3), $1, $2)
    ), counted_tickets AS NOT MATERIALIZED (   -- every ticket, or those asked for
      %1$s
    ), calls AS NOT MATERIALIZED (   -- a survey response given in a call-back is a call-back too
      SELECT ticket_id, called_at FROM appraisal.call_backs
      UNION ALL
      SELECT ticket_id, responded_at FROM appraisal.survey_responses WHERE source = 'call_back'
    ), called_back AS (   -- resolved by the refresh and called back within the window after it, its end included
      %2$s
    -- The follow-up counts the tickets opened by the refresh (t.counts: a
    -- ticket from after it counts from the next one); the CSAT summary, as
    -- agent_daily_csat_rows, every rated ticket: per agent, day and scale
    -- of the counted response, one part's counts or the parts' added up.
    ), scaled AS (
      %3$s
    )
    -- (each count a sum of integers, an agent-day's tickets: added in a
    -- 64-bit integer, not in a numeric as a sum of bigints is)
    SELECT s.agent_id COLLATE "default", s.day,
           sum(s.resolved::integer), sum(s.called_back::integer), sum(s.call_back_pending::integer), sum(s.surveyed::integer),
           coalesce(sum(s.inspections), 0)::bigint, coalesce(sum(s.score_sum), 0),
           sum(s.extreme_responses::integer), sum(s.extreme_satisfied::integer), sum(s.other_responses::integer),
           sum(s.other_satisfied::integer), $5, sum(s.opened::integer),
           %5$s
    GROUP BY s.agent_id, s.day
    $query$,
    -- (on one node both, the one not needed removed by the planner: the
    -- plans measured fastest; on Citus the one needed, which it sees whole)
    concat_ws(' UNION ALL ',
              CASE WHEN agents IS NULL OR NOT distributed
                   THEN 'SELECT t.ticket_id, t.agent_id, t.opened_at, t.resolved_at, t.cause FROM appraisal.tickets t WHERE $1 IS NULL' END,
              CASE WHEN agents IS NOT NULL OR NOT distributed
                   THEN 'SELECT a.ticket_id, a.agent_id, a.opened_at, a.resolved_at, a.cause FROM asked a WHERE $1 IS NOT NULL' END),
    -- each ticket once, however many calls: on one node a semi-join; on
    -- Citus a join and DISTINCT, which it computes on the shards (the calls
    -- of a semi-join it would compute apart and ship to every shard's task)
    CASE WHEN NOT facts THEN $called$
      SELECT t.ticket_id FROM counted_tickets t WHERE false $called$
    WHEN distributed THEN $called$
      SELECT t.ticket_id
      FROM counted_tickets t
      JOIN appraisal.call_backs c ON c.ticket_id = t.ticket_id
      WHERE t.resolved_at <= $5
        AND c.called_at <= $5 AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + $4
      UNION
      SELECT t.ticket_id
      FROM counted_tickets t
      JOIN appraisal.survey_responses c ON c.ticket_id = t.ticket_id
      WHERE t.resolved_at <= $5 AND c.source = 'call_back'
        AND c.responded_at <= $5 AND c.responded_at BETWEEN t.resolved_at AND t.resolved_at + $4 $called$
    WHEN agents IS NULL THEN $called$
      SELECT t.ticket_id
      FROM counted_tickets t
      WHERE t.resolved_at <= $5
        AND EXISTS (SELECT FROM calls c
                    WHERE c.ticket_id COLLATE "C" = t.ticket_id COLLATE "C"
                      AND c.called_at <= $5 AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + $4) $called$
    -- (the tickets of some agent-days: each one's calls found through the
    -- tables' keys rather than every call hashed: at 10M tickets, after a
    -- day of tickets and 1 % of the open ones resolved, this step of the
    -- refresh took 2.5-2.6 s instead of 5.8-8.1)
    ELSE $called$
      SELECT t.ticket_id
      FROM counted_tickets t
      WHERE t.resolved_at <= $5
        AND (EXISTS (SELECT FROM appraisal.call_backs c
                     WHERE c.ticket_id = t.ticket_id
                       AND c.called_at <= $5 AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + $4)
             OR EXISTS (SELECT FROM appraisal.survey_responses c
                        WHERE c.ticket_id = t.ticket_id AND c.source = 'call_back'
                          AND c.responded_at <= $5 AND c.responded_at BETWEEN t.resolved_at AND t.resolved_at + $4)) $called$ END,
    -- 3: the counts per agent, day and scale
    part,
    -- 4: given versions, those rows; given ticket_rows, the tickets at
    -- those addresses alone (tickets_at, 40)
    CASE WHEN versions IS NOT NULL THEN 'jsonb_populate_recordset(NULL::appraisal.tickets, $7) t'
         WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($6) t' END,
    -- 5: the scales of each agent-day and their summaries, in the order of
    -- the scales: on one node each array in the order of the rows, which
    -- come sorted (an aggregate's own ORDER BY sorts each group apart: at
    -- 10M tickets the full pass took 0.45 s longer); the two arrays pair up
    -- whatever the order, both built from the same rows, and the refresh
    -- unnests them into rows.  (On Citus, which plans the subquery apart,
    -- each ordered by the aggregate.)
    CASE WHEN distributed THEN $scales$
           array_agg(s.scale_max ORDER BY s.scale_max) FILTER (WHERE s.rated > 0),
           array_agg(s.csat ORDER BY s.scale_max) FILTER (WHERE s.rated > 0)
    FROM scaled s $scales$ ELSE $scales$
           array_agg(s.scale_max) FILTER (WHERE s.rated > 0),
           array_agg(s.csat) FILTER (WHERE s.rated > 0)
    FROM (SELECT * FROM scaled s ORDER BY s.agent_id, s.day, s.scale_max) s $scales$ END)
  USING agents, days, report_zone, call_back_window, coalesce(instant, now()),   -- ($5: the coordinator's instant, a constant to Citus)
        ticket_rows, versions, bounds;
END
$$;
COMMENT ON FUNCTION appraisal.agent_daily_csat_follow_up_rows(text[], date[], tid[], timestamptz, jsonb, boolean) IS
  'Per agent-day (agents[i], days[i], or every agent and day when both are NULL) as of now() (or the instant given), in one pass: the follow-up counts of appraisal.agent_daily_follow_up (of the tickets opened by now: opened, 0 for an agent-day of later tickets alone, which has no row there) and the CSAT summaries of appraisal.agent_daily_csat, one per rating scale (scales[i], csats[i]; NULL without a counted response). A full refresh on one node writes both summaries from it. ticket_rows (optional, on one node): the addresses (ctid) of rows of appraisal.tickets among which every ticket of those agent-days is, read in this transaction (appraisal.agent_daily_rows). versions (with agents and days, on one node): a JSON array of rows of appraisal.tickets counted instead of the table''s, each with its responses, call-backs and inspections as they are: refresh_scorecards() takes what the tickets written since the last refresh counted for then, as of that refresh''s instant, out of their days'' rows. facts false: the tickets are counted as having no response, call-back or inspection (refresh_scorecards() so counts the tickets inserted since the last refresh when none of those was written since).';

CREATE FUNCTION appraisal.agent_daily_follow_up_rows(agents text[], days date[])
RETURNS TABLE (agent_id text, day date, resolved bigint, called_back bigint, call_back_pending bigint,
               surveyed bigint, inspections bigint, inspection_score_sum numeric, extreme_responses bigint,
               extreme_satisfied bigint, other_responses bigint, other_satisfied bigint, as_of timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT f.agent_id, f.day, f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections, f.inspection_score_sum,
         f.extreme_responses, f.extreme_satisfied, f.other_responses, f.other_satisfied, f.as_of
  FROM appraisal.agent_daily_csat_follow_up_rows(agents, days) f WHERE f.opened > 0;
END;
COMMENT ON FUNCTION appraisal.agent_daily_follow_up_rows(text[], date[]) IS
  'The rows of appraisal.agent_daily_follow_up as of now() for the agent-days agents[i], days[i], or for every agent and day when both are NULL: what refresh_scorecards() stores (from appraisal.agent_daily_csat_follow_up_rows).';

CREATE TABLE appraisal.agent_daily_follow_up AS SELECT * FROM appraisal.agent_daily_follow_up_rows(NULL, NULL) WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_follow_up (agent_id, day);
COMMENT ON TABLE appraisal.agent_daily_follow_up IS
  'Per agent and day the tickets were opened (report time zone), system-caused complaints left out but for their quality inspections: resolved tickets, those called back within call_back_window of their resolution (appraisal.call_backs and call-back survey responses) and those not judged yet, those with a survey rating, the quality inspections with their exact score sum, and the counted survey responses (one per ticket, as agent_daily_csat) split into extreme and other ratings. Refreshed by appraisal.refresh_scorecards(); rolled up by appraisal.follow_up_summaries (docs/rules.md, "Service levels" and "Complaint handling").';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.agent_id IS 'Agent who handled the tickets.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.resolved IS 'Tickets resolved by the refresh.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.called_back IS 'Resolved tickets called back within call_back_window after their resolution (its end included), by the refresh.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.call_back_pending IS 'Resolved tickets not called back yet whose window was still open at the refresh: left out of the call-back rate.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.surveyed IS 'Resolved tickets with at least one survey response (any source).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.inspections IS 'Quality inspections of the tickets (each one a sample).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.inspection_score_sum IS 'Exact sum of the inspections'' scores.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.extreme_responses IS 'Counted responses (one per ticket) with an extreme rating: 1 or the top of the scale.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.extreme_satisfied IS 'Of those, satisfied ones (the top rating).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.other_responses IS 'Counted responses with a rating between the extremes.';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.other_satisfied IS 'Of those, satisfied ones (the second rating from the top).';
COMMENT ON COLUMN appraisal.agent_daily_follow_up.as_of IS 'When the row was computed: the refresh that last recomputed it (the others found it unchanged).';
