-- 51 (before the scorecards): the follow-up after a ticket in the
-- scorecards: follow_up_summaries (the daily counts of agent_daily_follow_up
-- rolled up per agent, team, provider or responsibility and period: counts
-- added, never rates averaged) and follow_up_measures (the call-back rate,
-- survey coverage, QA score, extreme-weighted CSAT and their targets of one
-- such row).  Rules: docs/rules.md, "Service levels" (call-backs) and
-- "Complaint handling" (quality inspection, extreme ratings).

-- With its owner's rights, as agent_summaries and pooled_summaries: the
-- scoped scorecards read it whoever reads them.  Granted to nobody: it
-- shows every agent.
CREATE VIEW appraisal.follow_up_summaries WITH (security_invoker = false) AS
WITH per_agent AS (
  SELECT d.agent_id, p.period, sum(d.resolved)::bigint AS resolved, sum(d.called_back)::bigint AS called_back,
         sum(d.call_back_pending)::bigint AS call_back_pending, sum(d.surveyed)::bigint AS surveyed,
         sum(d.inspections)::bigint AS inspections, sum(d.inspection_score_sum) AS inspection_score_sum,
         sum(d.extreme_responses)::bigint AS extreme_responses, sum(d.extreme_satisfied)::bigint AS extreme_satisfied,
         sum(d.other_responses)::bigint AS other_responses, sum(d.other_satisfied)::bigint AS other_satisfied,
         max(d.as_of) AS as_of
  FROM appraisal.agent_daily_follow_up d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY d.agent_id, p.period
)
SELECT g.pooling, g.pool_id, s.period, sum(s.resolved)::bigint AS resolved, sum(s.called_back)::bigint AS called_back,
       sum(s.call_back_pending)::bigint AS call_back_pending, sum(s.surveyed)::bigint AS surveyed,
       sum(s.inspections)::bigint AS inspections, sum(s.inspection_score_sum) AS inspection_score_sum,
       sum(s.extreme_responses)::bigint AS extreme_responses, sum(s.extreme_satisfied)::bigint AS extreme_satisfied,
       sum(s.other_responses)::bigint AS other_responses, sum(s.other_satisfied)::bigint AS other_satisfied,
       max(s.as_of) AS as_of
FROM per_agent s
JOIN (SELECT 'agent', employee_id, employee_id FROM appraisal.employees
      UNION ALL
      SELECT 'team', team, employee_id FROM appraisal.employees
      UNION ALL
      SELECT 'provider', provider_id, employee_id FROM appraisal.employees WHERE provider_id IS NOT NULL
      UNION ALL
      SELECT 'responsibility', manager_id, employee_id FROM appraisal.reporting_lines) g(pooling, pool_id, agent_id)
  ON g.agent_id = s.agent_id
WHERE appraisal.summaries_ready()   -- fails before the first refresh
GROUP BY g.pooling, g.pool_id, s.period;
COMMENT ON VIEW appraisal.follow_up_summaries IS
  'The follow-up counts of appraisal.agent_daily_follow_up per period and agent (pooling agent) or group of agents, pooled as appraisal.pooled_summaries pools (team, provider, responsibility: a manager and everyone they answer for): counts and score sums added, so that every rate read from a row is a ratio of the group''s totals. Feed a row to appraisal.follow_up_measures. Not for BI tools: it shows every agent.';
COMMENT ON COLUMN appraisal.follow_up_summaries.pooling IS 'How the agents are grouped: agent (one agent), team, provider or responsibility.';
COMMENT ON COLUMN appraisal.follow_up_summaries.pool_id IS 'The agent, the team, the provider or the manager.';
COMMENT ON COLUMN appraisal.follow_up_summaries.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.follow_up_summaries.resolved IS 'Tickets opened in the period and resolved by the refresh.';
COMMENT ON COLUMN appraisal.follow_up_summaries.called_back IS 'Resolved tickets called back within call_back_window after their resolution.';
COMMENT ON COLUMN appraisal.follow_up_summaries.call_back_pending IS 'Resolved tickets not called back yet whose window was still open at the refresh.';
COMMENT ON COLUMN appraisal.follow_up_summaries.surveyed IS 'Resolved tickets with at least one survey response.';
COMMENT ON COLUMN appraisal.follow_up_summaries.inspections IS 'Quality inspections of the tickets.';
COMMENT ON COLUMN appraisal.follow_up_summaries.inspection_score_sum IS 'Exact sum of the inspections'' scores.';
COMMENT ON COLUMN appraisal.follow_up_summaries.extreme_responses IS 'Counted survey responses with an extreme rating (1 or the top of the scale).';
COMMENT ON COLUMN appraisal.follow_up_summaries.extreme_satisfied IS 'Of those, satisfied ones.';
COMMENT ON COLUMN appraisal.follow_up_summaries.other_responses IS 'Counted survey responses with a rating between the extremes.';
COMMENT ON COLUMN appraisal.follow_up_summaries.other_satisfied IS 'Of those, satisfied ones.';
COMMENT ON COLUMN appraisal.follow_up_summaries.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them).';

-- The follow-up measures of one row of follow_up_summaries (NULL counts are
-- 0: a row the summaries do not have).  Targets are read off the shown
-- values and NULL without evidence: the call-back rate needs min_tickets
-- judged tickets, the QA score one inspection.
CREATE FUNCTION appraisal.follow_up_measures(
  resolved_tickets bigint, called_back_tickets bigint, pending_tickets bigint, surveyed_tickets bigint,
  inspection_count bigint, score_sum numeric, extreme_count bigint, extreme_satisfied_count bigint,
  other_count bigint, other_satisfied_count bigint)
RETURNS TABLE (called_back bigint, call_back_pending bigint, call_back_rate numeric, meets_call_back_target boolean,
               surveyed bigint, survey_coverage numeric, qa_sampled bigint, qa_score numeric,
               meets_service_quality_target boolean, csat_extreme_weighted numeric, extreme_rating_weight numeric)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT c.cb, c.pend, r.rate,
         CASE WHEN c.res - c.pend >= t.min_tickets THEN r.rate >= t.call_back END,
         c.surv, appraisal.share_percent(c.surv, c.res),
         c.insp, r.qa,
         CASE WHEN c.insp >= 1 THEN r.qa >= t.quality END,
         appraisal.weighted_share_percent(ARRAY[1::numeric],
                                          ARRAY[t.weight * c.ext_sat + c.oth_sat],
                                          ARRAY[t.weight * c.ext + c.oth]),
         t.weight
  FROM (SELECT coalesce(resolved_tickets, 0) AS res, coalesce(called_back_tickets, 0) AS cb,
               coalesce(pending_tickets, 0) AS pend, coalesce(surveyed_tickets, 0) AS surv,
               coalesce(inspection_count, 0) AS insp, coalesce(score_sum, 0) AS total,
               coalesce(extreme_count, 0) AS ext, coalesce(extreme_satisfied_count, 0) AS ext_sat,
               coalesce(other_count, 0) AS oth, coalesce(other_satisfied_count, 0) AS oth_sat) c
  CROSS JOIN (SELECT max(value) FILTER (WHERE name = 'min_tickets')::integer AS min_tickets,
                     max(value) FILTER (WHERE name = 'target_call_back_rate')::numeric AS call_back,
                     max(value) FILTER (WHERE name = 'target_service_quality')::numeric AS quality,
                     max(value) FILTER (WHERE name = 'extreme_rating_weight')::numeric AS weight
              FROM appraisal.current_settings) t
  CROSS JOIN LATERAL (
    SELECT appraisal.share_percent(c.cb, c.res - c.pend) AS rate,
           -- the mean score, exact: the percent of the sum over 100 per inspection
           appraisal.weighted_share_percent(ARRAY[1::numeric], ARRAY[c.total], ARRAY[100 * c.insp::numeric]) AS qa
  ) r;
END;
COMMENT ON FUNCTION appraisal.follow_up_measures(bigint, bigint, bigint, bigint, bigint, numeric, bigint, bigint, bigint, bigint) IS
  'The follow-up measures of one row of appraisal.follow_up_summaries (docs/rules.md, "Service levels" and "Complaint handling"): the call-back rate (resolved tickets called back within call_back_window, over the resolved ones less those whose window is still open) and whether it meets target_call_back_rate (90; NULL below min_tickets judged tickets); survey coverage (resolved tickets with a survey rating over resolved tickets); the QA score (exact mean of the inspections'' scores) and whether it meets target_service_quality (95; NULL without inspections); the CSAT with extreme ratings weighted by extreme_rating_weight, and that weight. Percentages and means exact, truncated to 2 decimals.';
