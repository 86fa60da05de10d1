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
-- of their ids (40: tickets_in_id_order): the tickets, their calls,
-- responses and inspections are read in the order of the tables' keys and
-- merged: no hash of ten million ids, no sort of the tickets.  At 10M
-- tickets that took 40-47 s against 45-54 s for hashing and sorting them by
-- their bytes (medians 41 and 50 s, four alternated rounds;
-- docs/performance.md).  The planner, which costs a hash probe as
-- if it hit the CPU's caches, chooses the merges only when hash joins are
-- off: refresh_scorecards() turns them off for this summary's INSERT (60;
-- not here: a function may not change a setting within a parallel query,
-- which may call it).
--
-- The counted response of each ticket is the one agent_daily_csat counts
-- (40): the same pass gives that summary too, one per scale (scales[i],
-- csats[i]).  Merged, each agent-day is grouped once, with a count and a
-- summary per scale of the responses, each FILTERed to its scale (the
-- scales read first: below); otherwise it is grouped first by the scale
-- of its tickets' counted responses (none for the tickets without one),
-- then as a whole, the follow-up's counts added up.  A full
-- refresh on one node writes both summaries from one call (60): at 10M
-- tickets 49.7-54.5 s for both, against 56.7-59.3 s apart (CSAT 16-17 s,
-- follow-up 40-43 s), two alternated rounds of the whole refresh.
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
  merged constant boolean := agents IS NULL AND facts AND NOT distributed AND appraisal.tickets_in_id_order();
  -- the ids compared by their bytes on one node, but in the keys' order when merged
  bytes constant text := CASE WHEN distributed OR merged THEN '' ELSE ' COLLATE "C"' END;
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
  -- planner's statistics, 40: ticket_id_bounds): each part reads its range
  -- of every table's key, merged as above, and a parallel append hands
  -- each part whole to one process (the leader takes the last; one worker
  -- finds none left); the parts' counts per agent, day and scale are then
  -- added up from a materialized union (an agent-day's tickets may lie in
  -- two ranges; partial aggregates in the workers, as the planner would
  -- have them, cost 0.7 s more).  At 10M tickets on 2 cores the pass took
  -- 11.8-11.9 s in two parts (2 workers) against 17.8-20.0 s in one, and
  -- 13.2-13.6 s in three (3 workers), one a process: three alternated
  -- rounds (docs/performance.md).  One part, the whole range, without
  -- workers or statistics, and when not merged.
  bounds constant text[] := CASE WHEN merged
                                 THEN appraisal.ticket_id_bounds(current_setting('max_parallel_workers_per_gather')::integer)
                                 ELSE '{}' END;
  parts text[] := '{}';
  -- the condition of part i on the ids of the alias %1$s
  range text;
  -- Merged, the scales of every response, read before the pass (in the
  -- caller's snapshot, as the pass reads them), and each part's CSAT
  -- columns, a count of the rated tickets (rated_<scale>) and a summary
  -- (csat_<scale>) per scale, each FILTERed to it: each agent-day is then
  -- grouped once, not once per scale and again as a whole.  At 10M tickets
  -- (one scale) the pass took 9.60 s so, the read of the scales (0.2 s)
  -- included, against 9.97-10.40 s grouped by scale, three alternated
  -- rounds.  A changed refresh, of some agent-days, does not pay that read:
  -- it groups by scale, one count (rated) and summary (csat) per group.
  scale_list integer[] := '{}';
  per_scale constant text := ', count(c.ticket_id) FILTER (WHERE NOT t.system_caused%1$s) AS rated%2$s, '
                             'appraisal.csat_agg(c.rating, c.scale_max) FILTER (WHERE NOT t.system_caused%1$s) AS csat%2$s';
  csat_columns text := ', c.scale_max' || format(per_scale, '', '');
  csat_groups text := ', c.scale_max';
  -- merged: the parts' counts and summaries of each scale added up, and
  -- the arrays of an agent-day's scales rated and of their summaries
  -- (made here, where the query's text is made of variables alone)
  csat_sums text := '';
  rated_scales text := 'NULL';
  rated_csats text := 'NULL';
BEGIN
  IF merged THEN
    -- (by EXECUTE, which may use parallel workers where an assignment's
    -- query may not: at 10M tickets 0.2 s against 0.35 s)
    EXECUTE 'SELECT ARRAY(SELECT DISTINCT r.scale_max FROM appraisal.survey_responses r ORDER BY 1)' INTO scale_list;
    SELECT coalesce(string_agg(format(per_scale, ' AND c.scale_max = ' || s, '_' || s), ''), ''),
           coalesce(string_agg(format(', sum(p.rated_%1$s::integer) AS rated_%1$s, appraisal.rollup(p.csat_%1$s) AS csat_%1$s', s), ''), ''),
           coalesce(string_agg(format('CASE WHEN bool_or(s.rated_%1$s > 0) THEN ARRAY[%1$s] END', s), ' || '), 'NULL'),
           coalesce(string_agg(format('CASE WHEN bool_or(s.rated_%1$s > 0) THEN ARRAY[appraisal.rollup(s.csat_%1$s)] END', s), ' || '), 'NULL')
      INTO csat_columns, csat_sums, rated_scales, rated_csats
      FROM unnest(scale_list) s;
    csat_groups := '';
  END IF;
  FOR i IN 1 .. cardinality(bounds) + 1 LOOP
    range := coalesce(nullif(concat_ws(' AND ', CASE WHEN i > 1 THEN format('%%1$s.ticket_id >= $8[%s]', i - 1) END,
                                                CASE WHEN i <= cardinality(bounds) THEN format('%%1$s.ticket_id < $8[%s]', i) END), ''),
                      'true');
    parts := parts || format($part$
      SELECT t.agent_id%1$s AS agent_id,
             t.day,
             count(*) FILTER (WHERE t.counts) AS opened,
             count(*) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused) AS resolved,
             count(*) FILTER (WHERE t.counts AND %3$s AND NOT t.system_caused) AS called_back,
             -- no call-back yet, but the window is still open at the refresh: not judged yet
             count(*) FILTER (WHERE t.counts AND t.resolved_at <= $5 AND NOT t.system_caused AND NOT %3$s
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
                                          AND c.rating >= c.scale_max - 1) AS other_satisfied%6$s
      -- the tickets with their day and whether they were called back (A
      -- system-caused complaint is not the agent's: docs/rules.md, "Complaint
      -- handling": attribution)
      FROM %2$s
      -- one response per ticket, as agent_daily_csat counts it (docs/rules.md,
      -- "Complaint handling"; ordered in a subquery of its own, whose sort
      -- the planner may take from the table's key on the ticket (an
      -- incremental sort, each ticket's few responses apart), as it does not
      -- for a DISTINCT ON: at 10M tickets 1.9 s against 3.2 s for a full
      -- sort of 4.3M responses)
      LEFT JOIN (SELECT DISTINCT ON (r.ticket_id%1$s) r.ticket_id, r.rating, r.scale_max
                 FROM (SELECT r.ticket_id, r.rating, r.scale_max, r.responded_at,
                              CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END AS preference
                       FROM %4$s
                       ORDER BY r.ticket_id%1$s, preference, r.responded_at DESC) r
                 ORDER BY r.ticket_id%1$s, r.preference, r.responded_at DESC) c ON c.ticket_id%1$s = t.ticket_id%1$s
      LEFT JOIN (SELECT q.ticket_id%1$s AS ticket_id, count(*) AS inspections, sum(q.score) AS score_sum
                 FROM %5$s
                 GROUP BY q.ticket_id%1$s) q ON q.ticket_id%1$s = t.ticket_id%1$s
      GROUP BY t.agent_id%1$s, t.day%7$s $part$,
      bytes,
      -- 2: merged, each ticket with its calls in its window, in the key's
      -- order: the call-backs, then the responses given in a call-back,
      -- each table joined by its key (no union of the two, which the
      -- planner sorted and kept in memory to merge), and the first of its
      -- rows kept (DISTINCT ON): a ticket has a row for each pair of its
      -- call-backs and call-back responses in its window (NULL for a kind it
      -- has none of), so that every row of it says alike whether it was
      -- called back.  At 10M tickets the pass took 8.2-8.4 s so,
      -- against 9.3-9.5 s for the union grouped per ticket (bool_or), three
      -- alternated rounds.  Else the tickets, on one node in a subquery of their
      -- own (OFFSET 0: the planner, knowing nothing of the day's values,
      -- then expects some hundreds of days and groups by hashing, as
      -- agent_daily), and the tickets called back
      CASE WHEN merged THEN format($merged$
        (SELECT DISTINCT ON (t.ticket_id) t.ticket_id, t.agent_id, t.resolved_at, coalesce(t.cause = 'system', false) AS system_caused,
                appraisal.local_day(t.opened_at, $3) AS day,
                t.opened_at <= $5 AS counts,
                c.ticket_id IS NOT NULL OR v.ticket_id IS NOT NULL AS called
         FROM appraisal.tickets t
         LEFT JOIN appraisal.call_backs c ON c.ticket_id = t.ticket_id AND %s
                                          AND c.called_at <= $5 AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + $4
         LEFT JOIN appraisal.survey_responses v ON v.ticket_id = t.ticket_id AND v.source = 'call_back' AND %s
                                          AND v.responded_at <= $5 AND v.responded_at BETWEEN t.resolved_at AND t.resolved_at + $4
         WHERE %s
         ORDER BY t.ticket_id) t $merged$, format(range, 'c'), format(range, 'v'), format(range, 't'))
      ELSE format($tickets$
        (SELECT t.ticket_id, t.agent_id, t.resolved_at, coalesce(t.cause = 'system', false) AS system_caused,
                appraisal.local_day(t.opened_at, $3) AS day, t.opened_at <= $5 AS counts
         FROM counted_tickets t
         %2$s) t
      LEFT JOIN called_back cb ON cb.ticket_id%1$s = t.ticket_id%1$s $tickets$,
        bytes, CASE WHEN distributed THEN '' ELSE 'OFFSET 0' END) END,
      -- 3: whether the ticket t was called back
      CASE WHEN merged THEN 't.called' ELSE '(cb.ticket_id IS NOT NULL)' END,
      -- 4, 5: the responses and the inspections (merged: of the range)
      format(of_asked, 'appraisal.survey_responses', 'r') || CASE WHEN merged THEN ' WHERE ' || format(range, 'r') ELSE '' END,
      format(of_asked, 'appraisal.quality_inspections', 'q') || CASE WHEN merged THEN ' WHERE ' || format(range, 'q') ELSE '' END,
      -- 6, 7: the CSAT columns, and the scale among the groups' keys unless merged
      csat_columns, csat_groups);
  END LOOP;
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
    -- 3: one part, or the parts' counts added up (grouped by the agents'
    -- bytes, as the ids are not in the parts when merged; only merged
    -- parts are more than one: each scale's count and summary)
    CASE WHEN cardinality(parts) = 1 THEN parts[1] ELSE format($sum$
      WITH parted AS MATERIALIZED (%s)
      SELECT p.agent_id COLLATE "C" AS agent_id, p.day, sum(p.opened::integer) AS opened, sum(p.resolved::integer) AS resolved,
             sum(p.called_back::integer) AS called_back, sum(p.call_back_pending::integer) AS call_back_pending,
             sum(p.surveyed::integer) AS surveyed, sum(p.inspections) AS inspections, sum(p.score_sum) AS score_sum,
             sum(p.extreme_responses::integer) AS extreme_responses, sum(p.extreme_satisfied::integer) AS extreme_satisfied,
             sum(p.other_responses::integer) AS other_responses, sum(p.other_satisfied::integer) AS other_satisfied%s
      FROM parted p
      GROUP BY p.agent_id COLLATE "C", p.day $sum$, array_to_string(parts, ' UNION ALL '), csat_sums) END,
    -- 4: given versions, those rows; given ticket_rows, the tickets at
    -- those addresses alone (tickets_at, 40)
    CASE WHEN versions IS NOT NULL THEN 'jsonb_populate_recordset(NULL::appraisal.tickets, $7) t'
         WHEN ticket_rows IS NULL THEN 'appraisal.tickets t' ELSE 'appraisal.tickets_at($6) t' END,
    -- 5: the scales of each agent-day and their summaries, in the order of
    -- the scales.  Merged, an agent-day's row has each scale's count and
    -- summary: the scales rated, in order, each an array of one element
    -- joined to the next (NULL || NULL is NULL: none rated).  Else on one
    -- node each array in the order of the rows, which come sorted (an
    -- aggregate's own ORDER BY sorts each group apart: at 10M tickets the
    -- full pass took 0.45 s longer); the two arrays pair up whatever the
    -- order, both built from the same rows, and the refresh unnests them
    -- into rows.  (On Citus, which plans the subquery apart, each ordered
    -- by the aggregate.)
    CASE WHEN merged THEN format($scales$
           (%s)::integer[],
           (%s)::appraisal.csat_stats[]
    FROM scaled s $scales$, rated_scales, rated_csats)
    WHEN distributed THEN $scales$
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
