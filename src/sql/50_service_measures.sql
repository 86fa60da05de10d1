-- 50: from the summaries to the measures every service scorecard shows:
-- service_measures (the measures of one row of pooled summaries),
-- agent_period_summaries (the daily summaries rolled up per agent and
-- period: the view agent_summaries) and pooled_summaries (those of several
-- agents pooled: a team, a provider's technicians, everyone a manager
-- answers for).  Percentages and points are exact fractions of counts truncated
-- to two decimals, never rounded up, and grades and flags are read off the
-- shown value: 89.99 is 良 even when the exact value is 89.999.

-- The service measures of one row of pooled summaries: shared by the agent,
-- team and responsibility scorecards, so that all compute alike.
CREATE FUNCTION appraisal.service_measures(
  ticket_count bigint, first_response appraisal.sla_stats, resolution appraisal.sla_stats,
  fcr appraisal.fcr_stats, survey_responses bigint, satisfied_responses bigint,
  complaint_count bigint, service_complaint_count bigint, system_complaint_count bigint)
RETURNS TABLE (
  tickets bigint,
  first_response_met bigint, first_response_breached bigint, first_response_pending bigint,
  first_response_compliance numeric,
  resolution_met bigint, resolution_breached bigint, resolution_pending bigint,
  resolution_compliance numeric, mean_resolution_hours numeric,
  resolved bigint, first_contact_resolved bigint, fcr numeric, recurred bigint, recurrence_rate numeric,
  responses bigint, satisfied bigint, csat numeric,
  complaints bigint, service_complaints bigint, system_complaints bigint, unattributed_complaints bigint,
  composite_points numeric, composite_grade text, training_needed boolean, sufficient_data boolean)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT ticket_count,
         m.frm, m.frb, m.frp, m.frc, m.rsm, m.rsb, m.rsp, m.rsc, m.hours,
         m.res, m.fcres, m.fcrp, m.rec, m.recp, m.resp, m.sat, m.csatp,
         complaint_count, service_complaint_count, system_complaint_count,
         m.unattributed,
         c.points,
         CASE WHEN NOT m.sufficient OR c.points IS NULL THEN 'insufficient data'
              ELSE appraisal.grade_band(c.points::double precision, p.grade_scale) END,
         CASE WHEN m.sufficient THEN m.frc < p.training_threshold END,
         m.sufficient
  FROM appraisal.scorecard_parameters() p
  CROSS JOIN LATERAL (
    SELECT appraisal.met(first_response) AS frm, appraisal.breached(first_response) AS frb,
           appraisal.pending(first_response) AS frp,
           appraisal.compliance_percent(first_response) AS frc,
           appraisal.met(resolution) AS rsm, appraisal.breached(resolution) AS rsb,
           appraisal.pending(resolution) AS rsp,
           appraisal.compliance_percent(resolution) AS rsc,
           appraisal.mean_elapsed_hours(resolution) AS hours,
           appraisal.resolved(fcr) AS res, appraisal.first_contact_resolved(fcr) AS fcres,
           appraisal.fcr_percent(fcr) AS fcrp,
           appraisal.recurred(fcr) AS rec,
           appraisal.recurrence_percent(fcr) AS recp,
           coalesce(survey_responses, 0) AS resp, coalesce(satisfied_responses, 0) AS sat,
           appraisal.share_percent(satisfied_responses, survey_responses) AS csatp,
           complaint_count - service_complaint_count - system_complaint_count AS unattributed,
           ticket_count >= p.min_tickets AND coalesce(survey_responses, 0) >= p.min_responses AS sufficient
  ) m
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_percent(
             ARRAY[p.weight_first_response, p.weight_resolution, p.weight_satisfaction],
             ARRAY[m.frm, m.rsm, m.sat],
             ARRAY[m.frm + m.frb, m.rsm + m.rsb, m.resp]) AS points
  ) c;
END;
COMMENT ON FUNCTION appraisal.service_measures(bigint, appraisal.sla_stats, appraisal.sla_stats, appraisal.fcr_stats, bigint, bigint, bigint, bigint, bigint) IS
  'The scorecard measures of pooled summaries (used by agent_scorecard, team_scorecard and kpi_breakdown): SLA counts and compliance, FCR, recurrence, CSAT, the complaint composite (docs/rules.md, "Complaint handling": weight_first_response / weight_resolution / weight_satisfaction of the three percentages, 40/30/30 by default) with its grade, the training flag and whether the evidence suffices (min_tickets, min_responses).';

-- The regulations' targets, read off the shown values: met or missed, and
-- for first response the points below (each point below affects the
-- bonus).  NULL with too little evidence, as the training flag.
CREATE FUNCTION appraisal.service_targets(first_response_compliance numeric, csat numeric,
                                          resolved bigint, recurred bigint, sufficient boolean)
RETURNS TABLE (resolution_accuracy numeric, meets_first_response_target boolean,
               first_response_points_below_target numeric, meets_csat_target boolean,
               meets_resolution_accuracy_target boolean)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT a.accuracy,
         CASE WHEN service_targets.sufficient
              THEN service_targets.first_response_compliance >= t.first_response END,
         CASE WHEN service_targets.sufficient
              THEN greatest(t.first_response - service_targets.first_response_compliance, 0) END,
         CASE WHEN service_targets.sufficient THEN service_targets.csat >= t.csat END,
         CASE WHEN service_targets.sufficient THEN a.accuracy >= t.accuracy END
  FROM (SELECT max(value) FILTER (WHERE name = 'target_first_response')::numeric AS first_response,
               max(value) FILTER (WHERE name = 'target_csat')::numeric AS csat,
               max(value) FILTER (WHERE name = 'target_resolution_accuracy')::numeric AS accuracy
        FROM appraisal.current_settings) t
  CROSS JOIN LATERAL (SELECT appraisal.share_percent(service_targets.resolved - service_targets.recurred,
                                                     service_targets.resolved) AS accuracy) a;
END;
COMMENT ON FUNCTION appraisal.service_targets(numeric, numeric, bigint, bigint, boolean) IS
  'The regulations'' targets for one scorecard row (settings target_first_response 95, target_csat 95, target_resolution_accuracy 98; docs/rules.md, "Service levels"): the resolution accuracy (resolved tickets that did not recur, percent, truncated), whether each target is met, read off the shown value, and the first-response points below its target; NULL where the row has too little evidence.';

-- Complaint attribution in the measures (docs/rules.md, "Complaint
-- handling": attribution): what the service-caused complaints say of the agent (their
-- rate per 100 tickets, and how many were closed within their target), and
-- what the system-caused ones were left out of, in words.
CREATE FUNCTION appraisal.complaint_measures(ticket_count bigint, service_complaint_count bigint,
                                             system_complaint_count bigint,
                                             system_first_responses_excluded bigint,
                                             complaint_handling appraisal.sla_stats)
RETURNS TABLE (complaint_rate numeric, complaints_handled_in_time bigint, complaints_handled_late bigint,
               complaint_handling_rate numeric, excluded_tickets bigint, excluded_reason text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT appraisal.share_percent(service_complaint_count, ticket_count),
         coalesce(appraisal.met(complaint_handling), 0),
         coalesce(appraisal.breached(complaint_handling), 0),
         appraisal.compliance_percent(complaint_handling),
         coalesce(system_complaint_count, 0),
         CASE WHEN system_complaint_count > 0 THEN
           format('%s system-caused complaint%s (company policy or system): left out of resolution, FCR, recurrence and satisfaction (their parts of the composite)%s',
                  system_complaint_count, CASE WHEN system_complaint_count > 1 THEN 's' ELSE '' END,
                  CASE WHEN coalesce(system_first_responses_excluded, 0) = 0 THEN '; first response counted'
                       WHEN system_first_responses_excluded = system_complaint_count THEN ', and of first response'
                       ELSE format(', and %s of them of first response', system_first_responses_excluded) END)
         END;
END;
COMMENT ON FUNCTION appraisal.complaint_measures(bigint, bigint, bigint, bigint, appraisal.sla_stats) IS
  'Complaint attribution for one scorecard row (docs/rules.md, "Complaint handling": attribution): the service complaint rate (service-caused complaints per 100 tickets, truncated to 2 decimals), the service-caused complaints closed within their resolution target and after it, the complaint-handling rate (in time / judged, truncated; NULL without a judged complaint), and the tickets left out of the agent''s measures as system-caused complaints, with the reason in words.';

-- Ticket and survey summaries pooled per agent and period (rows of
-- agent_daily joined to every period containing their day).  Views, not
-- functions, so that a filter on the period reaches the summaries' scans;
-- and views with their owner's rights (as reporting_lines and
-- pooled_summaries are), so that the scoped scorecards built on them read
-- the summaries with those rights, whoever reads the scorecards.  Granted to
-- nobody: they show every agent.
CREATE VIEW appraisal.agent_summaries WITH (security_invoker = false) AS
WITH t AS (
  SELECT d.agent_id, p.period, sum(d.tickets)::bigint AS tickets,
         appraisal.rollup(d.first_response) AS first_response, appraisal.rollup(d.resolution) AS resolution,
         appraisal.rollup(d.fcr) AS fcr, sum(d.complaints)::bigint AS complaints,
         sum(d.service_complaints)::bigint AS service_complaints,
         sum(d.system_complaints)::bigint AS system_complaints,
         sum(d.system_first_responses_excluded)::bigint AS system_first_responses_excluded,
         appraisal.rollup(d.complaint_handling) AS complaint_handling, max(d.as_of) AS as_of
  FROM appraisal.agent_daily d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY d.agent_id, p.period
), c AS (
  -- counts, not csat_stats: summaries of different survey scales add up
  SELECT d.agent_id, p.period, sum(appraisal.responses(d.csat))::bigint AS responses,
         sum(appraisal.satisfied(d.csat))::bigint AS satisfied
  FROM appraisal.agent_daily_csat d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY d.agent_id, p.period
)
SELECT t.agent_id, t.period, t.tickets, t.first_response, t.resolution, t.fcr,
       coalesce(c.responses, 0) AS responses, coalesce(c.satisfied, 0) AS satisfied,
       t.complaints, t.service_complaints, t.system_complaints, t.system_first_responses_excluded,
       t.complaint_handling, t.as_of
FROM t LEFT JOIN c USING (agent_id, period)
WHERE appraisal.summaries_ready();   -- fails before the first refresh
COMMENT ON VIEW appraisal.agent_summaries IS
  'The materialized per-day summaries of every agent rolled up into every period of appraisal.periods (two-step summary types): what the scorecards are computed from. Not for BI tools: it shows every agent, and summary types.';
COMMENT ON COLUMN appraisal.agent_summaries.agent_id IS 'Agent (employee code).';
COMMENT ON COLUMN appraisal.agent_summaries.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.agent_summaries.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.agent_summaries.first_response IS 'First-response SLA summary (sla_stats).';
COMMENT ON COLUMN appraisal.agent_summaries.resolution IS 'Resolution SLA summary (sla_stats).';
COMMENT ON COLUMN appraisal.agent_summaries.fcr IS 'First contact resolution summary (fcr_stats).';
COMMENT ON COLUMN appraisal.agent_summaries.responses IS 'Survey responses counted (one per ticket).';
COMMENT ON COLUMN appraisal.agent_summaries.satisfied IS 'Responses with one of the two top ratings.';
COMMENT ON COLUMN appraisal.agent_summaries.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_summaries.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.agent_summaries.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.agent_summaries.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them).';
COMMENT ON COLUMN appraisal.agent_summaries.system_first_responses_excluded IS 'System-caused complaints left out of first response too (system_complaints_first_response false at the refresh).';
COMMENT ON COLUMN appraisal.agent_summaries.complaint_handling IS 'Resolution SLA summary (sla_stats) of the service-caused complaints alone.';

-- (the function of 0.3, kept: the rows of the view)
CREATE FUNCTION appraisal.agent_period_summaries()
RETURNS TABLE (agent_id text, period text, tickets bigint,
               first_response appraisal.sla_stats, resolution appraisal.sla_stats, fcr appraisal.fcr_stats,
               responses bigint, satisfied bigint, complaints bigint, service_complaints bigint, system_complaints bigint,
               as_of timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT agent_id, period, tickets, first_response, resolution, fcr, responses, satisfied,
         complaints, service_complaints, system_complaints, as_of
  FROM appraisal.agent_summaries;
END;
COMMENT ON FUNCTION appraisal.agent_period_summaries() IS
  'The rows of the view appraisal.agent_summaries (its columns of 0.4): the materialized per-day summaries of every agent rolled up into every period.';

-- Who answers for whose tickets: everyone for their own, managers for those of
-- everyone below them.
CREATE VIEW appraisal.reporting_lines WITH (security_invoker = false) AS
WITH RECURSIVE lines(manager_id, employee_id, depth) AS (
  SELECT employee_id, employee_id, 0 FROM appraisal.employees
  UNION
  SELECT l.manager_id, e.employee_id, l.depth + 1
  FROM lines l JOIN appraisal.employees e ON e.manager_id = l.employee_id
  WHERE l.depth < 100
)
SELECT manager_id, employee_id, min(depth) AS depth FROM lines GROUP BY 1, 2;
COMMENT ON VIEW appraisal.reporting_lines IS
  'The management chain closed over: every employee with themselves (depth 0) and everyone reporting to them directly (1) or indirectly (2, ...).';
COMMENT ON COLUMN appraisal.reporting_lines.manager_id IS 'Employee answering for employee_id''s work.';
COMMENT ON COLUMN appraisal.reporting_lines.employee_id IS 'Employee (the manager themselves at depth 0).';
COMMENT ON COLUMN appraisal.reporting_lines.depth IS 'Levels between them: 0 self, 1 direct report, 2 report of a report, ...';


-- The agents' period summaries pooled: counts added and summaries rolled up,
-- never rates averaged.  Every scorecard that speaks for several agents
-- pools through here (filtering on pooling picks one branch).
CREATE VIEW appraisal.pooled_summaries WITH (security_invoker = false) AS
SELECT g.pooling, g.pool_id, s.period, count(*) AS agents, sum(s.tickets)::bigint AS tickets,
       appraisal.rollup(s.first_response) AS first_response, appraisal.rollup(s.resolution) AS resolution,
       appraisal.rollup(s.fcr) AS fcr, sum(s.responses)::bigint AS responses, sum(s.satisfied)::bigint AS satisfied,
       sum(s.complaints)::bigint AS complaints, sum(s.service_complaints)::bigint AS service_complaints,
       sum(s.system_complaints)::bigint AS system_complaints,
       sum(s.system_first_responses_excluded)::bigint AS system_first_responses_excluded,
       appraisal.rollup(s.complaint_handling) AS complaint_handling, max(s.as_of) AS as_of
FROM appraisal.agent_summaries s
JOIN (SELECT 'team', team, employee_id FROM appraisal.employees
      UNION ALL
      SELECT 'provider', provider_id, employee_id FROM appraisal.employees WHERE provider_id IS NOT NULL
      UNION ALL
      SELECT 'responsibility', manager_id, employee_id FROM appraisal.reporting_lines) g(pooling, pool_id, agent_id)
  ON g.agent_id = s.agent_id
GROUP BY g.pooling, g.pool_id, s.period;
COMMENT ON VIEW appraisal.pooled_summaries IS
  'The summaries of appraisal.agent_summaries pooled per group of agents and period: pooling team (pool_id a team), provider (a provider''s technicians) or responsibility (pool_id a manager: everyone they answer for, themselves included, appraisal.reporting_lines); counts added and two-step summaries rolled up, so that every rate read from a row is a ratio of the group''s totals, never an average of its agents'' rates. Feed a row to appraisal.service_measures for the scorecard measures. Not for BI tools: summary types.';
COMMENT ON COLUMN appraisal.pooled_summaries.pooling IS 'How the agents are grouped: team, provider or responsibility.';
COMMENT ON COLUMN appraisal.pooled_summaries.pool_id IS 'The team, the provider or the manager.';
COMMENT ON COLUMN appraisal.pooled_summaries.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.pooled_summaries.agents IS 'Agents of the group with tickets in the period.';
COMMENT ON COLUMN appraisal.pooled_summaries.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.pooled_summaries.first_response IS 'First-response SLA summary (sla_stats), pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.resolution IS 'Resolution SLA summary (sla_stats), pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.fcr IS 'First contact resolution summary (fcr_stats), pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.responses IS 'Survey responses counted.';
COMMENT ON COLUMN appraisal.pooled_summaries.satisfied IS 'Responses with one of the two top ratings.';
COMMENT ON COLUMN appraisal.pooled_summaries.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.pooled_summaries.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.pooled_summaries.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.pooled_summaries.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them).';
COMMENT ON COLUMN appraisal.pooled_summaries.system_first_responses_excluded IS 'System-caused complaints left out of first response too, pooled.';
COMMENT ON COLUMN appraisal.pooled_summaries.complaint_handling IS 'Resolution SLA summary (sla_stats) of the service-caused complaints, pooled.';
