-- 51: the service scorecards analysts and BI tools read: per agent, per
-- team (counts pooled, never rates averaged) and the 360 scorecard.  Plain
-- views with plain column types and a comment on every column, scoped by
-- appraisal.scorecard_access.

-- The person-level scorecards run with their owner's rights and show the
-- rows appraisal.may_see allows (scorecard_access): a scoped role is granted
-- the views, never the summaries beneath them.  security_barrier: a
-- reader's own conditions run after may_see, so that no function of theirs
-- (an error message, a cast) sees a row it hides.
CREATE VIEW appraisal.agent_scorecard WITH (security_invoker = false, security_barrier = true) AS
SELECT r.agent_id AS employee_id, r.name, r.team, r.position,
       p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       m.tickets, m.first_response_met, m.first_response_breached, m.first_response_pending,
       m.first_response_compliance, m.resolution_met, m.resolution_breached, m.resolution_pending,
       m.resolution_compliance, m.mean_resolution_hours, m.resolved, m.first_contact_resolved, m.fcr,
       m.recurred, m.recurrence_rate, m.responses, m.satisfied, m.csat, m.complaints, m.service_complaints,
       m.system_complaints, m.unattributed_complaints, m.composite_points,
       -- probationers are outside the appraisal: listed, never graded or flagged
       CASE WHEN r.on_probation THEN 'on probation' ELSE m.composite_grade END AS composite_grade,
       CASE WHEN NOT r.on_probation THEN m.training_needed END AS training_needed,
       m.sufficient_data, r.as_of,
       tg.resolution_accuracy,
       CASE WHEN NOT r.on_probation THEN tg.meets_first_response_target END AS meets_first_response_target,
       CASE WHEN NOT r.on_probation THEN tg.first_response_points_below_target END AS first_response_points_below_target,
       CASE WHEN NOT r.on_probation THEN tg.meets_csat_target END AS meets_csat_target,
       CASE WHEN NOT r.on_probation THEN tg.meets_resolution_accuracy_target END AS meets_resolution_accuracy_target,
       cm.*,
       fu.called_back, fu.call_back_pending, fu.call_back_rate,
       CASE WHEN NOT r.on_probation THEN fu.meets_call_back_target END AS meets_call_back_target,
       fu.surveyed, fu.survey_coverage, fu.qa_sampled, fu.qa_score,
       CASE WHEN NOT r.on_probation THEN fu.meets_service_quality_target END AS meets_service_quality_target,
       fu.csat_extreme_weighted, fu.extreme_rating_weight,
       r.on_probation, r.high_satisfaction
FROM (   -- the high-satisfaction place is the team's ranking, taken before may_see hides any of it
  SELECT s.*, e.name, e.team, e.position, pr.on_probation,
         CASE WHEN pr.ranked THEN
           rank() OVER ranking <= ceil(count(*) OVER team_period * h.share / 100)
         END AS high_satisfaction
  FROM appraisal.agent_summaries s
  JOIN appraisal.employees e ON e.employee_id = s.agent_id
  JOIN appraisal.periods q ON q.period = s.period
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN (SELECT value::numeric AS share FROM appraisal.current_settings WHERE name = 'high_satisfaction_share') h
  -- on probation: the period ends on or before the probation's last day (as overall_appraisal reads it)
  CROSS JOIN LATERAL (SELECT coalesce(e.probation_ends_on >= q.ends_on, false) AS on_probation) o
  -- ranked: not on probation, with min_responses responses and at least one (no CSAT, no place)
  CROSS JOIN LATERAL (SELECT o.on_probation,
                             NOT o.on_probation AND s.responses >= prm.min_responses AND s.responses > 0 AS ranked) pr
  WINDOW team_period AS (PARTITION BY e.team, s.period, pr.ranked),
         ranking AS (team_period ORDER BY appraisal.share_percent(s.satisfied, s.responses) DESC NULLS LAST)
) r
JOIN appraisal.periods p ON p.period = r.period
CROSS JOIN LATERAL appraisal.service_measures(r.tickets, r.first_response, r.resolution, r.fcr, r.responses, r.satisfied,
                                              r.complaints, r.service_complaints, r.system_complaints) m
CROSS JOIN LATERAL appraisal.service_targets(m.first_response_compliance, m.csat, m.resolved, m.recurred, m.sufficient_data) tg
CROSS JOIN LATERAL appraisal.complaint_measures(r.tickets, r.service_complaints, r.system_complaints,
                                                r.system_first_responses_excluded, r.complaint_handling) cm
LEFT JOIN appraisal.follow_up_summaries f ON f.pooling = 'agent' AND f.pool_id = r.agent_id AND f.period = r.period
CROSS JOIN LATERAL appraisal.follow_up_measures(f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections,
                                                f.inspection_score_sum, f.extreme_responses, f.extreme_satisfied,
                                                f.other_responses, f.other_satisfied) fu
WHERE appraisal.may_see(r.agent_id, r.team);
COMMENT ON VIEW appraisal.agent_scorecard IS
  'Service scorecard per agent and period (every period of appraisal.periods in which the agent had tickets): SLA compliance, FCR, recurrence, CSAT, complaints by attribution, and the closed-loop complaint composite (docs/rules.md, "Complaint handling") with grade and training flag, the targets, the follow-up measures and the high-satisfaction flag; a probationer''s rows are listed (on_probation) but never graded or flagged (docs/rules.md, "Appraisal periods and results"). Read from the materialized summaries as of their last refresh.';

COMMENT ON COLUMN appraisal.agent_scorecard.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.agent_scorecard.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.agent_scorecard.team IS 'Team.';
COMMENT ON COLUMN appraisal.agent_scorecard."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.agent_scorecard.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.agent_scorecard.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.agent_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.agent_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.agent_scorecard.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_met IS 'Tickets answered by their first-response due time.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_breached IS 'Tickets answered late, or unanswered past their due time at the refresh.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_pending IS 'Tickets unanswered but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_compliance IS 'First-response SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_met IS 'Tickets resolved by their resolution due time.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_breached IS 'Tickets resolved late, or unresolved past their due time at the refresh.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_pending IS 'Tickets unresolved but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_compliance IS 'Resolution SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.mean_resolution_hours IS 'Mean business hours (pauses excluded) from opening to resolution of the resolved tickets, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolved IS 'Tickets resolved (by the refresh).';
COMMENT ON COLUMN appraisal.agent_scorecard.first_contact_resolved IS 'Resolved tickets resolved on the first contact and not recurred.';
COMMENT ON COLUMN appraisal.agent_scorecard.fcr IS 'First contact resolution, percent: first_contact_resolved / resolved.';
COMMENT ON COLUMN appraisal.agent_scorecard.recurred IS 'Resolved tickets whose customer came back in the same category within the repeat window.';
COMMENT ON COLUMN appraisal.agent_scorecard.recurrence_rate IS 'Recurrence rate, percent: recurred / resolved.';
COMMENT ON COLUMN appraisal.agent_scorecard.responses IS 'Survey responses counted (one per ticket: web, else call-back, else SMS).';
COMMENT ON COLUMN appraisal.agent_scorecard.satisfied IS 'Responses with one of the two top ratings (4 or 5 of 5).';
COMMENT ON COLUMN appraisal.agent_scorecard.csat IS 'CSAT, percent: satisfied / responses.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_scorecard.service_complaints IS 'Service-caused complaints: count against the agent.';
COMMENT ON COLUMN appraisal.agent_scorecard.system_complaints IS 'System-caused complaints (company policy or system): left out of the agent''s measures but for their first response (setting system_complaints_first_response).';
COMMENT ON COLUMN appraisal.agent_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.agent_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.agent_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.agent_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.agent_scorecard.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them); SLA pending and overdue are as of then.';
COMMENT ON COLUMN appraisal.agent_scorecard.resolution_accuracy IS 'Resolution accuracy, percent: resolved tickets that did not recur / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_first_response_target IS 'First-response compliance at or above target_first_response (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.first_response_points_below_target IS 'Points of first-response compliance below target_first_response (each affects the bonus); 0 when met; NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_csat_target IS 'CSAT at or above target_csat (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_resolution_accuracy_target IS 'Resolution accuracy at or above target_resolution_accuracy (98 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaint_rate IS 'Service complaint rate: service-caused complaints per 100 tickets, truncated to 2 decimals (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.agent_scorecard.complaints_handled_in_time IS 'Service-caused complaints closed within their resolution target.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaints_handled_late IS 'Service-caused complaints closed late, or open past their target at the refresh.';
COMMENT ON COLUMN appraisal.agent_scorecard.complaint_handling_rate IS 'Complaint-handling rate, percent: service-caused complaints closed within their target / those judged (open ones not yet due are not), truncated to 2 decimals; NULL without one.';
COMMENT ON COLUMN appraisal.agent_scorecard.excluded_tickets IS 'Tickets left out of the measures as not the agent''s: system-caused complaints (company policy or system), never in resolution, FCR, recurrence, satisfaction or the composite.';
COMMENT ON COLUMN appraisal.agent_scorecard.excluded_reason IS 'Why excluded_tickets were left out, and whether their first response counted (setting system_complaints_first_response); NULL when none was.';
COMMENT ON COLUMN appraisal.agent_scorecard.called_back IS 'Resolved tickets called back within call_back_window (7 days) after their resolution, its end included: a call-back in appraisal.call_backs or a survey response from a call-back.';
COMMENT ON COLUMN appraisal.agent_scorecard.call_back_pending IS 'Resolved tickets not called back yet whose call-back window was still open at the refresh: left out of the call-back rate.';
COMMENT ON COLUMN appraisal.agent_scorecard.call_back_rate IS 'Call-back rate (回访率), percent: called_back / (resolved - call_back_pending), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_call_back_target IS 'Call-back rate at or above target_call_back_rate (90 %); NULL with fewer than min_tickets resolved tickets judged.';
COMMENT ON COLUMN appraisal.agent_scorecard.surveyed IS 'Resolved tickets with at least one survey response.';
COMMENT ON COLUMN appraisal.agent_scorecard.survey_coverage IS 'Survey coverage, percent: surveyed / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.agent_scorecard.qa_sampled IS 'Internal quality inspections (内部质检) of the tickets opened in the period: each one a sample.';
COMMENT ON COLUMN appraisal.agent_scorecard.qa_score IS 'QA score: the exact mean of the inspections'' scores (0-100), truncated to 2 decimals; NULL without inspections.';
COMMENT ON COLUMN appraisal.agent_scorecard.meets_service_quality_target IS 'QA score at or above target_service_quality (95); NULL without inspections.';
COMMENT ON COLUMN appraisal.agent_scorecard.csat_extreme_weighted IS 'CSAT, percent, with the extreme ratings (1 or the top of the scale) weighted by extreme_rating_weight and the others by 1: the satisfied weight over the responses'' weight, truncated to 2 decimals; equals csat at the default weight 1.';
COMMENT ON COLUMN appraisal.agent_scorecard.extreme_rating_weight IS 'The setting extreme_rating_weight the extreme-weighted CSAT was computed with (1: plain).';
COMMENT ON COLUMN appraisal.agent_scorecard.on_probation IS 'The agent was on probation at the end of the period (employees.probation_ends_on): outside the appraisal, so composite_grade is ''on probation'' and training_needed, high_satisfaction and the meets_*_target verdicts are NULL; the measures are shown.';
COMMENT ON COLUMN appraisal.agent_scorecard.high_satisfaction IS 'High-satisfaction flag for the share-your-practice programme: CSAT (as shown) among the top high_satisfaction_share percent (20) of the team''s agents in the period with min_responses responses (at least one) and not on probation, places rounded up, ties sharing a place; NULL for an agent not ranked (too few responses, or on probation).';

-- Team scorecard: the agents' summaries pooled, never their rates averaged.
CREATE VIEW appraisal.team_scorecard WITH (security_invoker = false, security_barrier = true) AS
SELECT t.pool_id AS team, p.period, p.kind AS period_kind, p.starts_on, p.ends_on, t.agents,
       m.*, t.as_of, tg.*, cm.*, fu.*
FROM appraisal.pooled_summaries t
JOIN appraisal.periods p ON p.period = t.period
CROSS JOIN LATERAL appraisal.service_measures(t.tickets, t.first_response, t.resolution, t.fcr, t.responses, t.satisfied,
                                              t.complaints, t.service_complaints, t.system_complaints) m
CROSS JOIN LATERAL appraisal.service_targets(m.first_response_compliance, m.csat, m.resolved, m.recurred, m.sufficient_data) tg
CROSS JOIN LATERAL appraisal.complaint_measures(t.tickets, t.service_complaints, t.system_complaints,
                                                t.system_first_responses_excluded, t.complaint_handling) cm
LEFT JOIN appraisal.follow_up_summaries f ON f.pooling = 'team' AND f.pool_id = t.pool_id AND f.period = t.period
CROSS JOIN LATERAL appraisal.follow_up_measures(f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections,
                                                f.inspection_score_sum, f.extreme_responses, f.extreme_satisfied,
                                                f.other_responses, f.other_satisfied) fu
WHERE t.pooling = 'team' AND appraisal.may_see(NULL, t.pool_id);
COMMENT ON VIEW appraisal.team_scorecard IS
  'Service scorecard per team and period: the counts of the team''s agents pooled (appraisal.pooled_summaries), so that rates are ratios of team totals, never averages of the agents'' rates. Same measures as appraisal.agent_scorecard.';

COMMENT ON COLUMN appraisal.team_scorecard.team IS 'Team.';
COMMENT ON COLUMN appraisal.team_scorecard.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.team_scorecard.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.team_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.team_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.team_scorecard.agents IS 'Agents of the team with tickets in the period.';
COMMENT ON COLUMN appraisal.team_scorecard.tickets IS 'Tickets opened in the period.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_met IS 'Tickets answered by their first-response due time.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_breached IS 'Tickets answered late, or unanswered past their due time at the refresh.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_pending IS 'Tickets unanswered but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_compliance IS 'First-response SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_met IS 'Tickets resolved by their resolution due time.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_breached IS 'Tickets resolved late, or unresolved past their due time at the refresh.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_pending IS 'Tickets unresolved but not yet due at the refresh; left out of compliance.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_compliance IS 'Resolution SLA compliance, percent: met / (met + breached), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.mean_resolution_hours IS 'Mean business hours (pauses excluded) from opening to resolution of the resolved tickets, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.resolved IS 'Tickets resolved (by the refresh).';
COMMENT ON COLUMN appraisal.team_scorecard.first_contact_resolved IS 'Resolved tickets resolved on the first contact and not recurred.';
COMMENT ON COLUMN appraisal.team_scorecard.fcr IS 'First contact resolution, percent: first_contact_resolved / resolved.';
COMMENT ON COLUMN appraisal.team_scorecard.recurred IS 'Resolved tickets whose customer came back in the same category within the repeat window.';
COMMENT ON COLUMN appraisal.team_scorecard.recurrence_rate IS 'Recurrence rate, percent: recurred / resolved.';
COMMENT ON COLUMN appraisal.team_scorecard.responses IS 'Survey responses counted (one per ticket: web, else call-back, else SMS).';
COMMENT ON COLUMN appraisal.team_scorecard.satisfied IS 'Responses with one of the two top ratings (4 or 5 of 5).';
COMMENT ON COLUMN appraisal.team_scorecard.csat IS 'CSAT, percent: satisfied / responses.';
COMMENT ON COLUMN appraisal.team_scorecard.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.team_scorecard.service_complaints IS 'Service-caused complaints: count against the agent.';
COMMENT ON COLUMN appraisal.team_scorecard.system_complaints IS 'System-caused complaints (company policy or system): left out of the agent''s measures but for their first response (setting system_complaints_first_response).';
COMMENT ON COLUMN appraisal.team_scorecard.unattributed_complaints IS 'Complaints not yet attributed to service or system.';
COMMENT ON COLUMN appraisal.team_scorecard.composite_points IS 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.';
COMMENT ON COLUMN appraisal.team_scorecard.composite_grade IS 'Grade band of composite_points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.team_scorecard.training_needed IS 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.team_scorecard.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them); SLA pending and overdue are as of then.';
COMMENT ON COLUMN appraisal.team_scorecard.resolution_accuracy IS 'Resolution accuracy, percent: resolved tickets that did not recur / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_first_response_target IS 'First-response compliance at or above target_first_response (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.first_response_points_below_target IS 'Points of first-response compliance below target_first_response (each affects the bonus); 0 when met; NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_csat_target IS 'CSAT at or above target_csat (95 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_resolution_accuracy_target IS 'Resolution accuracy at or above target_resolution_accuracy (98 %); NULL with insufficient data.';
COMMENT ON COLUMN appraisal.team_scorecard.complaint_rate IS 'Service complaint rate: service-caused complaints per 100 tickets, truncated to 2 decimals (docs/rules.md, "Complaint handling": attribution).';
COMMENT ON COLUMN appraisal.team_scorecard.complaints_handled_in_time IS 'Service-caused complaints closed within their resolution target.';
COMMENT ON COLUMN appraisal.team_scorecard.complaints_handled_late IS 'Service-caused complaints closed late, or open past their target at the refresh.';
COMMENT ON COLUMN appraisal.team_scorecard.complaint_handling_rate IS 'Complaint-handling rate, percent: service-caused complaints closed within their target / those judged (open ones not yet due are not), truncated to 2 decimals; NULL without one.';
COMMENT ON COLUMN appraisal.team_scorecard.excluded_tickets IS 'Tickets left out of the measures as not the agent''s: system-caused complaints (company policy or system), never in resolution, FCR, recurrence, satisfaction or the composite.';
COMMENT ON COLUMN appraisal.team_scorecard.excluded_reason IS 'Why excluded_tickets were left out, and whether their first response counted (setting system_complaints_first_response); NULL when none was.';
COMMENT ON COLUMN appraisal.team_scorecard.called_back IS 'Resolved tickets called back within call_back_window (7 days) after their resolution, its end included: a call-back in appraisal.call_backs or a survey response from a call-back.';
COMMENT ON COLUMN appraisal.team_scorecard.call_back_pending IS 'Resolved tickets not called back yet whose call-back window was still open at the refresh: left out of the call-back rate.';
COMMENT ON COLUMN appraisal.team_scorecard.call_back_rate IS 'Call-back rate (回访率), percent: called_back / (resolved - call_back_pending), truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_call_back_target IS 'Call-back rate at or above target_call_back_rate (90 %); NULL with fewer than min_tickets resolved tickets judged.';
COMMENT ON COLUMN appraisal.team_scorecard.surveyed IS 'Resolved tickets with at least one survey response.';
COMMENT ON COLUMN appraisal.team_scorecard.survey_coverage IS 'Survey coverage, percent: surveyed / resolved, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.team_scorecard.qa_sampled IS 'Internal quality inspections (内部质检) of the tickets opened in the period: each one a sample.';
COMMENT ON COLUMN appraisal.team_scorecard.qa_score IS 'QA score: the exact mean of the inspections'' scores (0-100), truncated to 2 decimals; NULL without inspections.';
COMMENT ON COLUMN appraisal.team_scorecard.meets_service_quality_target IS 'QA score at or above target_service_quality (95); NULL without inspections.';
COMMENT ON COLUMN appraisal.team_scorecard.csat_extreme_weighted IS 'CSAT, percent, with the extreme ratings (1 or the top of the scale) weighted by extreme_rating_weight and the others by 1: the satisfied weight over the responses'' weight, truncated to 2 decimals; equals csat at the default weight 1.';
COMMENT ON COLUMN appraisal.team_scorecard.extreme_rating_weight IS 'The setting extreme_rating_weight the extreme-weighted CSAT was computed with (1: plain).';

-- The 360 scorecard runs with its owner's rights too: its readers see each
-- group's raters and mean only at or above the group's anonymity threshold,
-- and need no right to period_ratings, whose counts and sums per group
-- would undo it.
CREATE VIEW appraisal.scorecard_360 WITH (security_invoker = false, security_barrier = true) AS
SELECT e.employee_id, e.name, e.team, e.position, p.period, p.kind AS period_kind,
       (x.g -> 'superior' ->> 'raters')::bigint AS superior_raters,
       trunc((x.g -> 'superior' ->> 'mean')::numeric, 2) AS superior_mean,
       (x.g -> 'peer' ->> 'raters')::bigint AS peer_raters,
       trunc((x.g -> 'peer' ->> 'mean')::numeric, 2) AS peer_mean,
       (x.g -> 'subordinate' ->> 'raters')::bigint AS subordinate_raters,
       trunc((x.g -> 'subordinate' ->> 'mean')::numeric, 2) AS subordinate_mean,
       trunc(100 * coalesce((x.g -> 'superior' ->> 'weight')::numeric, 0), 2) AS superior_weight,
       trunc(100 * coalesce((x.g -> 'peer' ->> 'weight')::numeric, 0), 2) AS peer_weight,
       trunc(100 * coalesce((x.g -> 'subordinate' ->> 'weight')::numeric, 0), 2) AS subordinate_weight,
       x.rule AS weight_rule,
       x.score AS score_360,
       CASE WHEN x.score IS NULL OR x.weighted_raters < prm.min_raters THEN 'insufficient data'
            ELSE appraisal.grade_band(x.score::double precision, prm.grade_scale) END AS grade,
       x.score IS NOT NULL AND x.weighted_raters >= prm.min_raters AS sufficient_data,
       r.as_of,
       x.suppressed AS suppressed_groups
FROM appraisal.period_ratings r
JOIN appraisal.employees e ON e.employee_id = r.ratee_id AND appraisal.may_see(e.employee_id, e.team)
JOIN appraisal.periods p ON p.period = r.period
CROSS JOIN appraisal.scorecard_parameters() prm
CROSS JOIN LATERAL (
  SELECT j -> 'groups' AS g, j ->> 'rule' AS rule,
         trunc((j ->> 'score')::numeric, 2) AS score,
         (SELECT coalesce(sum((v ->> 'raters')::bigint), 0)
            FROM jsonb_each(j -> 'groups') AS grp(k, v)
           WHERE (v ->> 'weight')::numeric > 0) AS weighted_raters,
         (SELECT string_agg(format('%s: fewer than %s', k, v ->> 'min_raters'), ', '
                            ORDER BY array_position(ARRAY['superior', 'peer', 'subordinate', 'self', 'customer'], k))
            FROM jsonb_each(j -> 'groups') AS grp(k, v)
           WHERE (v ->> 'suppressed')::boolean) AS suppressed
  FROM appraisal.explain_360(r.ratings, prm.weight_scheme) AS j
) x;
COMMENT ON VIEW appraisal.scorecard_360 IS
  '360 scorecard per employee and period (docs/rules.md, "360-degree scores"): raters and mean per group (each rater''s dimensions averaged first), the weights actually applied after the fixed fallbacks, the composite and its grade. A group with fewer raters than its anonymity threshold in the weight scheme (standard: peer 3, subordinate 3; a superior counts alone) is suppressed: no raters, no mean, left out of the composite as if missing, and named in suppressed_groups. ''insufficient data'' when no group counts, or the groups that count have fewer raters than min_raters (1). Runs with its owner''s rights: readers need no right to period_ratings.';

COMMENT ON COLUMN appraisal.scorecard_360.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.scorecard_360.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.scorecard_360.team IS 'Team.';
COMMENT ON COLUMN appraisal.scorecard_360."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.scorecard_360.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.scorecard_360.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.scorecard_360.superior_raters IS 'Superiors who rated; NULL when suppressed (fewer than the scheme''s threshold).';
COMMENT ON COLUMN appraisal.scorecard_360.superior_mean IS 'Mean superior rating (truncated to 2 decimals); NULL when none or suppressed.';
COMMENT ON COLUMN appraisal.scorecard_360.peer_raters IS 'Peers who rated; NULL when suppressed (fewer than the scheme''s threshold, 3 in standard).';
COMMENT ON COLUMN appraisal.scorecard_360.peer_mean IS 'Mean peer rating (truncated to 2 decimals); NULL when none or suppressed.';
COMMENT ON COLUMN appraisal.scorecard_360.subordinate_raters IS 'Subordinates who rated; NULL when suppressed (fewer than the scheme''s threshold, 3 in standard).';
COMMENT ON COLUMN appraisal.scorecard_360.subordinate_mean IS 'Mean subordinate rating (truncated to 2 decimals); NULL when none or suppressed.';
COMMENT ON COLUMN appraisal.scorecard_360.superior_weight IS 'Weight applied to the superior mean, percent.';
COMMENT ON COLUMN appraisal.scorecard_360.peer_weight IS 'Weight applied to the peer mean, percent.';
COMMENT ON COLUMN appraisal.scorecard_360.subordinate_weight IS 'Weight applied to the subordinate mean, percent.';
COMMENT ON COLUMN appraisal.scorecard_360.weight_rule IS 'How the weights were chosen: primary (all groups), fallback (a fixed fallback of the scheme), proportional (primary weights renormalised) or none.';
COMMENT ON COLUMN appraisal.scorecard_360.score_360 IS '360 composite, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.scorecard_360.grade IS 'Grade band of the points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.scorecard_360.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.scorecard_360.as_of IS 'When the summaries were computed (by the last refresh that recomputed them; a refresh that finds nothing changed keeps them); SLA pending and overdue are as of then.';
COMMENT ON COLUMN appraisal.scorecard_360.suppressed_groups IS 'Rater groups left out for anonymity, with their threshold, e.g. ''peer: fewer than 3''; NULL when none.';
