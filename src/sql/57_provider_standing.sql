-- 57 (after the penalty ledger): whom the serious cases propose for
-- disqualification, and the sales companies' combined assessment from SMS
-- satisfaction, head-office call-backs and their own feedback.  Rules:
-- docs/rules.md, "Service providers".

-- Per provider and period of the kind disqualify_period: a provider whose
-- charged service complaints reach disqualify_complaints, or whose charged
-- amount reaches disqualify_amount (0 switches either off), and who is not
-- disqualified today.  A proposal: the decision is a row of
-- provider_status_history.
CREATE VIEW appraisal.disqualification_candidates WITH (security_invoker = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_rule_parameters()
), counts AS (
  SELECT l.provider_id, p.period, p.starts_on, p.ends_on,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'service_complaint') AS complaints,
         coalesce(sum(l.amount) FILTER (WHERE l.status = 'charged'), 0) AS penalty_amount
  FROM appraisal.penalty_ledger l
  JOIN appraisal.periods p ON l.occurred_on BETWEEN p.starts_on AND p.ends_on
  WHERE p.kind = (SELECT disqualify_period FROM params)
  GROUP BY l.provider_id, p.period, p.starts_on, p.ends_on
)
SELECT c.provider_id, s.name, c.period, c.starts_on, c.ends_on, c.complaints, c.penalty_amount,
       s.status, s.since,
       concat_ws('; ',
         CASE WHEN t.by_complaints THEN format('%s charged service complaints in %s (disqualify_complaints %s)',
                                               c.complaints, c.period, q.disqualify_complaints) END,
         CASE WHEN t.by_amount THEN format('%s charged in %s (disqualify_amount %s)',
                                           c.penalty_amount, c.period, q.disqualify_amount) END) AS reason
FROM counts c
CROSS JOIN params q
JOIN appraisal.provider_status s ON s.provider_id = c.provider_id
CROSS JOIN LATERAL (
  SELECT q.disqualify_complaints > 0 AND c.complaints >= q.disqualify_complaints AS by_complaints,
         q.disqualify_amount > 0 AND c.penalty_amount >= q.disqualify_amount AS by_amount
) t
WHERE (t.by_complaints OR t.by_amount) AND s.status <> 'disqualified';
COMMENT ON VIEW appraisal.disqualification_candidates IS
  'Providers proposed for disqualification (docs/rules.md, "Service providers": serious cases disqualify the provider): per period of the kind disqualify_period (quarter), those whose charged service complaints reach disqualify_complaints (3) or whose charged penalty amount reaches disqualify_amount (0: off), unless disqualified today. A proposal only: record the decision in appraisal.provider_status_history.';
COMMENT ON COLUMN appraisal.disqualification_candidates.provider_id IS 'Provider (appraisal.providers).';
COMMENT ON COLUMN appraisal.disqualification_candidates.name IS 'Provider name.';
COMMENT ON COLUMN appraisal.disqualification_candidates.period IS 'Period in which the trigger was met (appraisal.periods, kind disqualify_period).';
COMMENT ON COLUMN appraisal.disqualification_candidates.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.disqualification_candidates.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.disqualification_candidates.complaints IS 'Service complaints charged in the period (penalty_ledger status charged).';
COMMENT ON COLUMN appraisal.disqualification_candidates.penalty_amount IS 'Amount charged in the period, every rule.';
COMMENT ON COLUMN appraisal.disqualification_candidates.status IS 'The provider''s standing today (appraisal.provider_status): active or warned.';
COMMENT ON COLUMN appraisal.disqualification_candidates.since IS 'Day that standing took effect; NULL if never set.';
COMMENT ON COLUMN appraisal.disqualification_candidates.reason IS 'Which trigger was met, in words, with the setting.';

-- Per sales company and period: the three parts of head office's
-- assessment, each a percentage, and their weighted combination.  The SMS
-- and call-back satisfaction are read from survey_responses (the latest of
-- each source per ticket; a ticket in the period of its day in the report
-- time zone, as in the scorecards; ratings of system-caused complaints left
-- out) of the tickets of the technicians of the company's providers.
-- Scoped as provider_scorecard: with its owner's rights, for roles
-- scorecard_access does not scope.
CREATE VIEW appraisal.sales_company_scorecard WITH (security_invoker = false, security_barrier = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_parameters() CROSS JOIN appraisal.provider_rule_parameters()
), responses AS (
  SELECT DISTINCT ON (r.ticket_id, r.source) v.sales_company_id, r.source,
         (t.opened_at AT TIME ZONE q.report_time_zone)::date AS day,
         r.rating >= r.scale_max - 1 AS satisfied
  FROM appraisal.survey_responses r
  JOIN appraisal.tickets t ON t.ticket_id = r.ticket_id
  JOIN appraisal.employees e ON e.employee_id = t.agent_id
  JOIN appraisal.providers v ON v.provider_id = e.provider_id
  CROSS JOIN params q
  WHERE r.source IN ('sms', 'call_back') AND v.sales_company_id IS NOT NULL AND t.cause IS DISTINCT FROM 'system'
  ORDER BY r.ticket_id, r.source, r.responded_at DESC
), parts AS (
  SELECT r.sales_company_id, p.period,
         count(*) FILTER (WHERE r.source = 'sms') AS sms_responses,
         count(*) FILTER (WHERE r.source = 'sms' AND r.satisfied) AS sms_satisfied,
         count(*) FILTER (WHERE r.source = 'call_back') AS call_back_responses,
         count(*) FILTER (WHERE r.source = 'call_back' AND r.satisfied) AS call_back_satisfied
  FROM responses r
  JOIN appraisal.periods p ON r.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY r.sales_company_id, p.period
), both_sides AS (
  SELECT coalesce(x.sales_company_id, f.sales_company_id) AS sales_company_id, coalesce(x.period, f.period) AS period,
         coalesce(x.sms_responses, 0) AS sms_responses, coalesce(x.sms_satisfied, 0) AS sms_satisfied,
         coalesce(x.call_back_responses, 0) AS call_back_responses,
         coalesce(x.call_back_satisfied, 0) AS call_back_satisfied, f.score
  FROM parts x
  FULL JOIN appraisal.sales_company_feedback f ON f.sales_company_id = x.sales_company_id AND f.period = x.period
)
SELECT b.sales_company_id, c.name, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       b.sms_responses, b.sms_satisfied, appraisal.share_percent(b.sms_satisfied, b.sms_responses) AS sms_satisfaction,
       b.call_back_responses, b.call_back_satisfied,
       appraisal.share_percent(b.call_back_satisfied, b.call_back_responses) AS call_back_satisfaction,
       b.score AS feedback_score, w.combined_score,
       CASE WHEN w.combined_score IS NULL THEN 'insufficient data'
            ELSE appraisal.grade_band(w.combined_score::double precision, q.grade_scale) END AS grade,
       q.sales_weight_sms AS weight_sms, q.sales_weight_call_back AS weight_call_back,
       q.sales_weight_feedback AS weight_feedback
FROM both_sides b
JOIN appraisal.sales_companies c ON c.sales_company_id = b.sales_company_id
JOIN appraisal.periods p ON p.period = b.period
CROSS JOIN params q
CROSS JOIN LATERAL (
  SELECT appraisal.weighted_share_percent(
           ARRAY[q.sales_weight_sms, q.sales_weight_call_back, q.sales_weight_feedback],
           ARRAY[b.sms_satisfied, b.call_back_satisfied, b.score]::numeric[],
           ARRAY[b.sms_responses, b.call_back_responses, CASE WHEN b.score IS NOT NULL THEN 100 END]::numeric[]) AS combined_score
) w
WHERE appraisal.may_see(NULL, NULL);
COMMENT ON VIEW appraisal.sales_company_scorecard IS
  'Per sales company and period (every period of appraisal.periods with SMS or call-back responses on its providers'' tickets, or with its feedback): head office''s assessment of the company (docs/rules.md, "Service providers"): the SMS satisfaction and the head-office call-back satisfaction of the tickets of its providers'' technicians (the share of the latest SMS, or call-back, response of each ticket in the top two ratings; system-caused complaints left out), the company''s own feedback score (appraisal.sales_company_feedback), and their weighted combination (sales_weight_sms 40, sales_weight_call_back 30, sales_weight_feedback 30; the regulation names none) with its grade. Like provider_scorecard it runs with its owner''s rights and shows rows only to roles scorecard_access does not scope.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sales_company_id IS 'Sales company (appraisal.sales_companies).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.name IS 'Sales company name.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sms_responses IS 'Tickets of the providers'' technicians opened in the period with an SMS satisfaction response (the latest counts).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sms_satisfied IS 'Of those, the ones whose SMS rating is one of the top two of its scale.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.sms_satisfaction IS 'SMS satisfaction, percent: sms_satisfied / sms_responses, truncated to 2 decimals; NULL without a response.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.call_back_responses IS 'Tickets of the providers'' technicians opened in the period rated at a head-office call-back (survey response source call_back; the latest counts).';
COMMENT ON COLUMN appraisal.sales_company_scorecard.call_back_satisfied IS 'Of those, the ones rated in the top two ratings.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.call_back_satisfaction IS 'Call-back satisfaction, percent: call_back_satisfied / call_back_responses, truncated to 2 decimals; NULL without a response.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.feedback_score IS 'The sales company''s feedback score for the period (0-100; appraisal.sales_company_feedback); NULL when none was entered.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.combined_score IS 'Combined assessment, points: (weight_sms x SMS satisfaction + weight_call_back x call-back satisfaction + weight_feedback x feedback score) / the weights, one exact fraction truncated to 2 decimals; NULL when a part of weight above 0 is missing.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.grade IS 'Grade band of combined_score on the setting grade_scale, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.weight_sms IS 'The setting sales_weight_sms the combination used.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.weight_call_back IS 'The setting sales_weight_call_back the combination used.';
COMMENT ON COLUMN appraisal.sales_company_scorecard.weight_feedback IS 'The setting sales_weight_feedback the combination used.';
