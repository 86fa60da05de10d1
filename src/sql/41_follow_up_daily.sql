-- 41: the materialized counts of the follow-up after a ticket, per agent and
-- day the ticket was opened (in the report time zone, as agent_daily): the
-- call-backs, the survey coverage, the quality inspections and the survey
-- responses split into extreme and other ratings.  A table kept with the
-- other summaries by refresh_scorecards() (40 says how); rolled up by
-- follow_up_summaries (51).

CREATE FUNCTION appraisal.agent_daily_follow_up_rows(agents text[], days date[])
RETURNS TABLE (agent_id text, day date, resolved bigint, called_back bigint, call_back_pending bigint,
               surveyed bigint, inspections bigint, inspection_score_sum numeric, extreme_responses bigint,
               extreme_satisfied bigint, other_responses bigint, other_satisfied bigint, as_of timestamptz)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  call_back_window constant interval := (SELECT s.value::interval FROM appraisal.current_settings s WHERE s.name = 'call_back_window');
BEGIN
  RETURN QUERY
  WITH asked AS MATERIALIZED (   -- the tickets of the agent-days asked for (none when all are)
    SELECT t.ticket_id, t.agent_id, t.opened_at, t.resolved_at, t.cause
    FROM appraisal.tickets t
    WHERE (t.agent_id, appraisal.local_day(t.opened_at, report_zone))
          IN (SELECT a.agent_id, a.day FROM unnest(agents, days) a(agent_id, day))
  ), counted_tickets AS NOT MATERIALIZED (   -- every ticket, or those asked for
    SELECT t.ticket_id, t.agent_id, t.opened_at, t.resolved_at, t.cause FROM appraisal.tickets t WHERE agents IS NULL
    UNION ALL
    SELECT a.ticket_id, a.agent_id, a.opened_at, a.resolved_at, a.cause FROM asked a WHERE agents IS NOT NULL
  ), calls AS (         -- a survey response given in a call-back is a call-back too
    SELECT ticket_id, called_at FROM appraisal.call_backs
    UNION ALL
    SELECT ticket_id, responded_at FROM appraisal.survey_responses WHERE source = 'call_back'
  ), called_back AS (   -- resolved by the refresh and called back within the window after it, its end included
    SELECT t.ticket_id   -- a semi-join: each ticket once, however many calls
    FROM counted_tickets t
    WHERE t.resolved_at <= now()
      AND EXISTS (SELECT FROM calls c
                  WHERE c.ticket_id COLLATE "C" = t.ticket_id COLLATE "C" AND c.called_at <= now()
                    AND c.called_at BETWEEN t.resolved_at AND t.resolved_at + call_back_window)
  ), counted AS (       -- one response per ticket, as agent_daily_csat counts it (docs/rules.md, "Complaint handling")
    SELECT DISTINCT ON (r.ticket_id COLLATE "C") r.ticket_id, r.rating, r.scale_max
    FROM appraisal.survey_responses r
    WHERE agents IS NULL OR r.ticket_id IN (SELECT ticket_id FROM asked)
    ORDER BY r.ticket_id COLLATE "C", CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC
  ), inspected AS (
    SELECT ticket_id COLLATE "C" AS ticket_id, count(*) AS inspections, sum(score) AS score_sum
    FROM appraisal.quality_inspections
    WHERE agents IS NULL OR ticket_id IN (SELECT ticket_id FROM asked)
    GROUP BY ticket_id COLLATE "C"
  )
  SELECT (t.agent_id COLLATE "C") COLLATE "default" AS agent_id,
         t.day,
         count(*) FILTER (WHERE t.resolved_at <= now() AND NOT a.system_caused) AS resolved,
         count(cb.ticket_id) FILTER (WHERE NOT a.system_caused) AS called_back,
         -- no call-back yet, but the window is still open at the refresh: not judged yet
         count(*) FILTER (WHERE t.resolved_at <= now() AND NOT a.system_caused AND cb.ticket_id IS NULL
                            AND t.resolved_at + call_back_window >= now()) AS call_back_pending,
         count(c.ticket_id) FILTER (WHERE t.resolved_at <= now() AND NOT a.system_caused) AS surveyed,
         -- an inspection judges the agent's handling, whatever caused the complaint
         coalesce(sum(q.inspections), 0)::bigint AS inspections,
         coalesce(sum(q.score_sum), 0) AS inspection_score_sum,
         count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating IN (1, c.scale_max)) AS extreme_responses,
         count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating IN (1, c.scale_max)
                                      AND c.rating >= c.scale_max - 1) AS extreme_satisfied,
         count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating NOT IN (1, c.scale_max)) AS other_responses,
         count(c.ticket_id) FILTER (WHERE NOT a.system_caused AND c.rating NOT IN (1, c.scale_max)
                                      AND c.rating >= c.scale_max - 1) AS other_satisfied,
         now() AS as_of
  -- the tickets with their day, kept a subquery of their own (OFFSET 0): the
  -- planner, knowing nothing of the day's values, then expects some hundreds
  -- of days and groups by hashing, as agent_daily (40_daily_summaries.sql)
  FROM (SELECT t.ticket_id, t.agent_id, t.resolved_at, t.cause,
               appraisal.local_day(t.opened_at, report_zone) AS day
        FROM counted_tickets t
        WHERE t.opened_at <= now()   -- a ticket from after the refresh counts from the next one
        OFFSET 0) t
  -- a system-caused complaint is not the agent's (docs/rules.md, "Complaint handling": attribution)
  CROSS JOIN LATERAL (SELECT coalesce(t.cause = 'system', false) AS system_caused) a
  -- joined by the ids' bytes (COLLATE "C": the same matches), which sort
  -- several times faster than by the database's collation for merge joins
  LEFT JOIN called_back cb ON cb.ticket_id COLLATE "C" = t.ticket_id COLLATE "C"
  LEFT JOIN counted c ON c.ticket_id COLLATE "C" = t.ticket_id COLLATE "C"
  LEFT JOIN inspected q ON q.ticket_id COLLATE "C" = t.ticket_id COLLATE "C"
  GROUP BY t.agent_id COLLATE "C", t.day;   -- by the bytes, as agent_daily
END
$$;
COMMENT ON FUNCTION appraisal.agent_daily_follow_up_rows(text[], date[]) IS
  'The rows of appraisal.agent_daily_follow_up as of now() for the agent-days agents[i], days[i], or for every agent and day when both are NULL: what refresh_scorecards() stores.';

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
