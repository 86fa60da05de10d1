-- 52: the appraisal itself: every KPI of an appraised period with its
-- points, the overall result with its streaks and flags, and the year-end
-- results.  Rules: docs/rules.md, "Appraisal periods
-- and results" and "Department and manager KPIs".

-- Scoped by appraisal.scorecard_access and run with the owner's rights, as
-- the scorecards of 51 are.
CREATE VIEW appraisal.kpi_breakdown WITH (security_invoker = false, security_barrier = true) AS
WITH appraised AS (   -- the periods of the position's cycle (docs/rules.md, "Appraisal periods and results")
  SELECT e.employee_id, e.position, p.period, p.kind, p.starts_on, p.ends_on
  FROM appraisal.employees e
  JOIN appraisal.position_cycles c ON c.position = e.position
  JOIN appraisal.periods p ON p.kind = c.cycle
  WHERE appraisal.may_see(e.employee_id, e.team)
), responsible AS (   -- the service measures of all tickets the employee answers for
  SELECT s.pool_id AS employee_id, s.period, m.*, cm.complaint_rate, cm.complaint_handling_rate
  FROM appraisal.pooled_summaries s
  CROSS JOIN LATERAL appraisal.service_measures(s.tickets, s.first_response, s.resolution, s.fcr, s.responses, s.satisfied,
                                                s.complaints, s.service_complaints, s.system_complaints) m
  CROSS JOIN LATERAL appraisal.complaint_measures(s.tickets, s.service_complaints, s.system_complaints,
                                                  s.system_first_responses_excluded, s.complaint_handling) cm
  WHERE s.pooling = 'responsibility'
), measured AS (      -- a measure is a KPI value only with enough evidence of its own kind
  SELECT r.employee_id, r.period, v.source, v.value
  FROM responsible r
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN LATERAL (VALUES ('first_response_compliance', r.first_response_compliance, r.tickets >= prm.min_tickets),
                             ('resolution_compliance', r.resolution_compliance, r.tickets >= prm.min_tickets),
                             ('fcr', r.fcr, r.tickets >= prm.min_tickets),
                             ('recurrence_rate', r.recurrence_rate, r.tickets >= prm.min_tickets),
                             ('csat', r.csat, r.responses >= prm.min_responses),
                             ('complaint_composite', r.composite_points, r.sufficient_data),
                             ('complaint_rate', r.complaint_rate, r.tickets >= prm.min_tickets),
                             -- no service-caused complaint to judge: none handled late
                             ('complaint_handling_rate', coalesce(r.complaint_handling_rate, 100.00),
                              r.tickets >= prm.min_tickets)) v(source, value, enough)
  WHERE v.enough
  UNION ALL
  SELECT employee_id, period, 'score_360', score_360 FROM appraisal.scorecard_360 WHERE sufficient_data
  UNION ALL           -- the follow-up measures of the same tickets: min_tickets judged for the call-back rate,
  SELECT f.pool_id, f.period, v.source, v.value   -- min_tickets resolved for coverage, one inspection for QA
  FROM appraisal.follow_up_summaries f
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN LATERAL appraisal.follow_up_measures(f.resolved, f.called_back, f.call_back_pending, f.surveyed, f.inspections,
                                                  f.inspection_score_sum, f.extreme_responses, f.extreme_satisfied,
                                                  f.other_responses, f.other_satisfied) m
  CROSS JOIN LATERAL (VALUES ('call_back_rate', m.call_back_rate, f.resolved - f.call_back_pending >= prm.min_tickets),
                             ('survey_coverage', m.survey_coverage, f.resolved >= prm.min_tickets),
                             ('qa_score', m.qa_score, f.inspections >= 1),
                             ('csat_extreme_weighted', m.csat_extreme_weighted,
                              f.extreme_responses + f.other_responses >= prm.min_responses)) v(source, value, enough)
  WHERE f.pooling = 'responsibility' AND v.enough
), cycled AS (       -- each KPI on its own cycle: the period of that kind containing the appraised one, if any
  SELECT a.employee_id, a.period, d.kpi, d.source, d.weight, d.zero_at, d.full_at,
         coalesce(d.cycle, a.kind) AS cycle, q.period AS cycle_period, a.starts_on, a.ends_on,
         -- months, quarters, half-years, years: a KPI of a shorter cycle than the appraisal
         array_position(ARRAY['month', 'quarter', 'half_year', 'year'], coalesce(d.cycle, a.kind))
           < array_position(ARRAY['month', 'quarter', 'half_year', 'year'], a.kind) AS shorter
  FROM appraised a
  JOIN appraisal.kpi_definitions d ON d.position = a.position
  LEFT JOIN appraisal.periods q
    ON q.kind = coalesce(d.cycle, a.kind) AND q.starts_on <= a.starts_on AND q.ends_on >= a.ends_on
), entered AS (      -- results of the containing period, or the mean of those of a shorter cycle inside: all of them
  SELECT c.employee_id, c.period, c.kpi, trim_scale(avg(r.value::numeric)) AS value,
         string_agg(r.period, ', ' ORDER BY q.starts_on) AS periods,
         count(*) = (SELECT count(*) FROM appraisal.periods w
                     WHERE w.kind = c.cycle AND w.starts_on >= c.starts_on AND w.ends_on <= c.ends_on) AS complete
  FROM cycled c
  JOIN appraisal.kpi_results r ON r.employee_id = c.employee_id AND r.kpi = c.kpi
  JOIN appraisal.periods q ON q.period = r.period AND q.kind = c.cycle
  WHERE q.period = c.cycle_period OR (c.shorter AND q.starts_on >= c.starts_on AND q.ends_on <= c.ends_on)
  GROUP BY c.employee_id, c.period, c.kpi, c.cycle, c.starts_on, c.ends_on
), kpis AS (         -- a measure of a shorter cycle is taken over the appraised period itself;
                     -- of a longer one, over its period containing the appraised one (none: no value)
  SELECT c.employee_id, c.period, c.kpi, c.source, c.weight, c.zero_at, c.full_at, c.cycle,
         CASE WHEN c.cycle_period IS NOT NULL OR kr.complete THEN kr.value END AS entered,
         kr.periods AS entered_periods, dv.value AS measured, m.measured_in AS measured_period,
         ap.appeal_id, ap.status, ap.appealed_value, ap.decided_value
  FROM cycled c
  CROSS JOIN LATERAL (SELECT CASE WHEN c.shorter THEN c.period ELSE c.cycle_period END AS measured_in) m
  LEFT JOIN entered kr ON kr.employee_id = c.employee_id AND kr.period = c.period AND kr.kpi = c.kpi
  LEFT JOIN measured dv ON dv.employee_id = c.employee_id AND dv.period = m.measured_in AND dv.source = c.source
  -- the KPI's appeal, of the period its value is measured in: the latest filed upheld one, else the latest filed
  LEFT JOIN LATERAL (SELECT k.appeal_id, k.status, k.appealed_value, k.decided_value
                     FROM appraisal.kpi_appeals k
                     WHERE k.employee_id = c.employee_id AND k.period = m.measured_in AND k.kpi = c.kpi
                     ORDER BY k.status = 'upheld' DESC, k.appeal_id DESC LIMIT 1) ap ON true
), valued AS (
  SELECT k.*, coalesce(k.entered, k.measured) AS before_appeal,
         -- only an upheld appeal changes the value
         CASE WHEN k.status = 'upheld' THEN k.decided_value ELSE coalesce(k.entered, k.measured) END AS v
  FROM kpis k
), counted AS (
  SELECT v.*, count(v.v) OVER (PARTITION BY v.employee_id, v.period) AS any_value
  FROM valued v
)
SELECT employee_id, period, kpi, source, weight,
       v AS value,
       CASE WHEN status = 'upheld' THEN 'appeal' WHEN entered IS NOT NULL THEN 'kpi_results' WHEN measured IS NOT NULL THEN 'scorecard' END AS value_from,
       zero_at::numeric AS zero_at, full_at::numeric AS full_at,
       appraisal.linear_points(v, zero_at::numeric, full_at::numeric) AS points,
       cycle,
       CASE WHEN entered IS NOT NULL THEN entered_periods WHEN measured IS NOT NULL THEN measured_period END AS value_period,
       before_appeal AS measured_value, appeal_id, status AS appeal_status, appealed_value
FROM counted
WHERE any_value > 0;
COMMENT ON VIEW appraisal.kpi_breakdown IS
  'Every KPI of every employee''s appraisal (per period of the position''s cycle, appraisal.position_cycles: quarters for specialists and supervisors, years for managers by default; docs/rules.md, "Appraisal periods and results" and "Department and manager KPIs") with a value: the value, taken from the period of the KPI''s own cycle containing the appraised one (or, for a shorter cycle, measured over the appraised period or averaged over its entered results), where it came from (an upheld appeal''s decided value, else kpi_results, or the scorecard of all tickets the employee answers for, or the 360 scorecard, when there is enough evidence of its kind: min_tickets tickets for SLA, FCR and recurrence, min_responses responses for CSAT, both for the composite, min_raters raters for the 360, min_tickets resolved tickets judged for the call-back rate and survey coverage, min_responses responses for the extreme-weighted CSAT, one inspection for the QA score), the range and its points (linear_points: exact, truncated to two decimals); beside them the measured value and the KPI''s appeal (docs/rules.md, "Appeals and publication": a pending or rejected appeal leaves the measured value).';

COMMENT ON COLUMN appraisal.kpi_breakdown.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.kpi_breakdown.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.kpi_breakdown.kpi IS 'KPI name.';
COMMENT ON COLUMN appraisal.kpi_breakdown.source IS 'manual, or the scorecard measure the KPI''s value comes from.';
COMMENT ON COLUMN appraisal.kpi_breakdown.weight IS 'Weight of the KPI in the overall appraisal.';
COMMENT ON COLUMN appraisal.kpi_breakdown.value IS 'Final value of the KPI: the value decided on an upheld appeal, else the measured value (measured_value); NULL when missing.';
COMMENT ON COLUMN appraisal.kpi_breakdown.value_from IS 'appeal (an upheld appeal''s decided value), kpi_results (entered), scorecard (measured) or NULL (missing).';
COMMENT ON COLUMN appraisal.kpi_breakdown.zero_at IS 'Value scored 0 points.';
COMMENT ON COLUMN appraisal.kpi_breakdown.full_at IS 'Value scored 100 points.';
COMMENT ON COLUMN appraisal.kpi_breakdown.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.kpi_breakdown.cycle IS 'Cycle the KPI is measured on (kpi_definitions.cycle, else the position''s): month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.kpi_breakdown.value_period IS 'The period(s) the value comes from: the appraised period, the period of the KPI''s longer cycle containing it (e.g. 2026-H1 for 2026-Q1), or the results of a shorter cycle averaged (e.g. 2026-01, 2026-02); NULL when missing.';
COMMENT ON COLUMN appraisal.kpi_breakdown.measured_value IS 'Value before any appeal: entered in kpi_results, else measured by the scorecard; NULL when missing.';
COMMENT ON COLUMN appraisal.kpi_breakdown.appeal_id IS 'The KPI''s appeal in this period (appraisal.kpi_appeals): the latest filed upheld one, else the latest filed; NULL when none.';
COMMENT ON COLUMN appraisal.kpi_breakdown.appeal_status IS 'That appeal''s decision in force: pending, upheld or rejected; NULL when none. Only upheld changes value.';
COMMENT ON COLUMN appraisal.kpi_breakdown.appealed_value IS 'The value that appeal asks for; NULL when none.';

-- A position's KPI set, against the regulations' advice: 3 to 5 core
-- indicators (core_kpis_min, core_kpis_max), soft ones (judged by case
-- review) weighing at least min_soft_kpi_share (30 %).  Warnings, not
-- refusals.
CREATE VIEW appraisal.kpi_weight_warnings WITH (security_invoker = true) AS
SELECT w.position, w.kpis, w.soft_kpis, w.total_weight, w.soft_weight, w.soft_share, w.min_soft_share,
       w.min_kpis, w.max_kpis,
       concat_ws('; ',
                 CASE WHEN w.soft_share < w.min_soft_share
                      THEN format('soft KPIs weigh %s %%, below %s %%', w.soft_share, w.min_soft_share) END,
                 CASE WHEN w.kpis < w.min_kpis OR w.kpis > w.max_kpis
                      THEN format('%s KPIs, not %s to %s', w.kpis, w.min_kpis, w.max_kpis) END,
                 CASE WHEN w.kpis > 0 AND w.longer_kpis = w.kpis
                      THEN format('every KPI is measured on a longer cycle than the position''s %s: its results repeat, and streaks count one result several times', w.cycle) END)
         AS warning
FROM (SELECT c.position, c.cycle, count(d.kpi) AS kpis, count(*) FILTER (WHERE d.nature = 'soft') AS soft_kpis,
             coalesce(sum(d.weight), 0) AS total_weight, coalesce(sum(d.weight) FILTER (WHERE d.nature = 'soft'), 0) AS soft_weight,
             CASE WHEN count(d.kpi) > 0 THEN
               appraisal.weighted_share_percent(ARRAY[1], ARRAY[coalesce(sum(d.weight) FILTER (WHERE d.nature = 'soft'), 0)],
                                                ARRAY[sum(d.weight)]) END AS soft_share,
             count(*) FILTER (WHERE array_position(ARRAY['month', 'quarter', 'half_year', 'year'], d.cycle)
                                    > array_position(ARRAY['month', 'quarter', 'half_year', 'year'], c.cycle)) AS longer_kpis,
             max(s.min_soft_share) AS min_soft_share, max(s.min_kpis) AS min_kpis, max(s.max_kpis) AS max_kpis
      FROM appraisal.position_cycles c
      LEFT JOIN appraisal.kpi_definitions d ON d.position = c.position
      CROSS JOIN (SELECT max(value) FILTER (WHERE name = 'min_soft_kpi_share')::numeric AS min_soft_share,
                         max(value) FILTER (WHERE name = 'core_kpis_min')::integer AS min_kpis,
                         max(value) FILTER (WHERE name = 'core_kpis_max')::integer AS max_kpis
                  FROM appraisal.current_settings) s
      GROUP BY c.position, c.cycle) w
WHERE w.soft_share < w.min_soft_share OR w.kpis < w.min_kpis OR w.kpis > w.max_kpis
   OR (w.kpis > 0 AND w.longer_kpis = w.kpis);
COMMENT ON VIEW appraisal.kpi_weight_warnings IS
  'Positions whose KPI set breaks the regulations'' advice (docs/rules.md, "Complaint handling"): soft KPIs (kpi_definitions.nature = soft: emotion management, collaboration, scored by case review) weighing less than min_soft_kpi_share percent (30) of the KPIs'' weights, or fewer than core_kpis_min (3; a position without KPIs too) or more than core_kpis_max (5) KPIs; and positions whose every KPI is measured on a cycle longer than the position''s (docs/rules.md, "Appraisal periods and results": the appraisals would repeat one result). A warning to review the KPI set, not a refusal. Empty when every position meets them all.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.position IS 'Position whose KPI set breaks a rule.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.kpis IS 'KPIs of the position.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_kpis IS 'Soft KPIs among them.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.total_weight IS 'Sum of the KPIs'' weights.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_weight IS 'Sum of the soft KPIs'' weights.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.soft_share IS 'Soft weight over total weight, percent, truncated to 2 decimals; NULL without KPIs.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.min_soft_share IS 'The setting min_soft_kpi_share: the share the soft KPIs should reach.';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.min_kpis IS 'The setting core_kpis_min: the fewest KPIs a position should have (3).';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.max_kpis IS 'The setting core_kpis_max: the most KPIs a position should have (5).';
COMMENT ON COLUMN appraisal.kpi_weight_warnings.warning IS 'Which rule the KPI set breaks, in words.';

CREATE VIEW appraisal.overall_appraisal WITH (security_invoker = false, security_barrier = true) AS
WITH per AS (
  SELECT b.employee_id, b.period, count(*) AS kpis_defined, count(b.points) AS kpis_scored,
         -- the weighted mean of the points, exact: points / 100 as fractions
         appraisal.weighted_share_percent(array_agg(b.weight) FILTER (WHERE b.points IS NOT NULL),
                                          array_agg(b.points) FILTER (WHERE b.points IS NOT NULL),
                                          array_agg(100::numeric) FILTER (WHERE b.points IS NOT NULL)) AS points
  FROM appraisal.kpi_breakdown b
  GROUP BY b.employee_id, b.period
), graded AS (        -- every appraised period, with or without a result, so that gaps break streaks
  SELECT e.employee_id, e.name, e.team, e.position, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
         r.kpis_defined, r.kpis_scored, r.points,
         r.kpis_scored = r.kpis_defined AND NOT pr.on_probation AS sufficient_data,
         CASE WHEN pr.on_probation THEN 'on probation'
              WHEN r.kpis_scored = r.kpis_defined
              THEN appraisal.grade_band(r.points::double precision, prm.grade_scale)
              ELSE 'insufficient data' END AS grade,
         pr.on_probation,
         coalesce(r.kpis_scored = r.kpis_defined AND NOT pr.on_probation
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale) = 1, false) AS best,
         coalesce(r.kpis_scored = r.kpis_defined AND NOT pr.on_probation
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale)
                      = (SELECT max(rank) FROM appraisal.grade_bands(prm.grade_scale)), false) AS worst,
         -- the two lowest bands (staff scale: 待提升, 不合格) call for coaching; never the best
         -- (on a scale of two bands, the lower one alone)
         coalesce(r.kpis_scored = r.kpis_defined AND NOT pr.on_probation
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale)
                      >= (SELECT greatest(max(rank) - 1, 2) FROM appraisal.grade_bands(prm.grade_scale)), false) AS lowest_two,
         prm.reserve_pool_streak, prm.failing_repeat, sf.failing_times, sf.failing_window
  FROM appraisal.employees e
  JOIN appraisal.position_cycles c ON c.position = e.position
  JOIN appraisal.periods p ON p.kind = c.cycle
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN (SELECT max(value) FILTER (WHERE name = 'several_failing_times')::integer AS failing_times,
                     max(value) FILTER (WHERE name = 'several_failing_window')::integer AS failing_window
              FROM appraisal.current_settings) sf
  LEFT JOIN per r ON r.employee_id = e.employee_id AND r.period = p.period
  -- probationers are outside the appraisal: a period ending in probation is not graded
  CROSS JOIN LATERAL (SELECT coalesce(e.probation_ends_on >= p.ends_on, false) AS on_probation) pr
  WHERE appraisal.may_see(e.employee_id, e.team)
), runs AS (          -- gaps and islands: a run of equal flags shares a group number
  SELECT g.*,
         row_number() OVER (PARTITION BY employee_id ORDER BY starts_on)
         - row_number() OVER (PARTITION BY employee_id, best ORDER BY starts_on) AS best_run,
         row_number() OVER (PARTITION BY employee_id ORDER BY starts_on)
         - row_number() OVER (PARTITION BY employee_id, worst ORDER BY starts_on) AS worst_run
  FROM graded g
), streaks AS (
  SELECT r.*,
         CASE WHEN best THEN row_number() OVER (PARTITION BY employee_id, best, best_run ORDER BY starts_on) ELSE 0 END::integer AS excellent_streak,
         CASE WHEN worst THEN row_number() OVER (PARTITION BY employee_id, worst, worst_run ORDER BY starts_on) ELSE 0 END::integer AS failing_streak,
         count(*) FILTER (WHERE worst) OVER (PARTITION BY employee_id ORDER BY starts_on) AS worst_so_far
  FROM runs r
), windowed AS (      -- worst grades among the last failing_window appraised periods, this one included
  SELECT s.*,
         s.worst_so_far - lag(s.worst_so_far, s.failing_window, 0::bigint)
                          OVER (PARTITION BY s.employee_id ORDER BY s.starts_on) AS failing_in_window
  FROM streaks s
)
SELECT employee_id, name, team, position, period, period_kind, starts_on, ends_on,
       kpis_defined, kpis_scored, points, grade, sufficient_data,
       excellent_streak, failing_streak,
       position = 'specialist' AND excellent_streak >= reserve_pool_streak AS reserve_pool,
       failing_streak >= failing_repeat AS repeated_failing,
       failing_in_window, failing_in_window >= failing_times AS several_failing,
       lowest_two AS coaching_needed,
       CASE WHEN lowest_two THEN format('grade %s: one of the two lowest bands of the scale', grade) END AS coaching_reason,
       on_probation
FROM windowed
WHERE kpis_scored > 0;
COMMENT ON VIEW appraisal.overall_appraisal IS
  'Overall appraisal per employee and appraised period (the periods of the position''s cycle, appraisal.position_cycles: quarters for specialists and supervisors, years for managers by default): the weighted mean of the KPI points of appraisal.kpi_breakdown by the position''s weights (weighted_share_percent: exact, truncated to two decimals; KPIs without a value left out), the grade (''insufficient data'' unless every KPI has a value), the runs of consecutive best and worst grades over the appraised periods (a period without a result breaks a run), the reserve-supervisor pool flag (specialists, reserve_pool_streak best grades in a row, docs/rules.md, "Appraisal periods and results"), the repeated-failing flag (consecutive) and the several-failing flag (several_failing_times worst grades among the last several_failing_window appraised periods, consecutive or not) and the coaching flag (one of the two lowest bands), with its reason.';

COMMENT ON COLUMN appraisal.overall_appraisal.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.overall_appraisal.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.overall_appraisal.team IS 'Team.';
COMMENT ON COLUMN appraisal.overall_appraisal."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.overall_appraisal.period IS 'Period (appraisal.periods).';
COMMENT ON COLUMN appraisal.overall_appraisal.period_kind IS 'Kind of period: month, quarter, half_year or year.';
COMMENT ON COLUMN appraisal.overall_appraisal.starts_on IS 'First day of the period.';
COMMENT ON COLUMN appraisal.overall_appraisal.ends_on IS 'Last day of the period.';
COMMENT ON COLUMN appraisal.overall_appraisal.kpis_defined IS 'KPIs of the position.';
COMMENT ON COLUMN appraisal.overall_appraisal.kpis_scored IS 'KPIs with a value.';
COMMENT ON COLUMN appraisal.overall_appraisal.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.overall_appraisal.grade IS 'Grade band of the points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.overall_appraisal.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.overall_appraisal.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.overall_appraisal.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.overall_appraisal.reserve_pool IS 'Reserve-supervisor pool: a specialist with reserve_pool_streak (3) best grades in a row (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.overall_appraisal.repeated_failing IS 'failing_repeat (2) or more worst grades in a row: improvement plan / dismissal review (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.overall_appraisal.failing_in_window IS 'Appraised periods graded in the worst band among the last several_failing_window (4), this one included; a period without a result counts as one that was not.';
COMMENT ON COLUMN appraisal.overall_appraisal.several_failing IS 'several_failing_times (2) or more worst grades among the last several_failing_window (4) appraised periods, consecutive or not: dismissal review (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.overall_appraisal.coaching_needed IS 'Training and coaching flag: graded in one of the two lowest bands of the grade scale, never the best (staff scale: 待提升, 不合格; on a scale of two bands the lower one; docs/rules.md, "Appraisal periods and results"). The service scorecards'' training_needed is the other rule (first-response compliance below 80 %).';
COMMENT ON COLUMN appraisal.overall_appraisal.coaching_reason IS 'Which rule raised coaching_needed, in words; NULL when not raised.';
COMMENT ON COLUMN appraisal.overall_appraisal.on_probation IS 'The employee was on probation at the end of the period (employees.probation_ends_on): outside the appraisal, graded ''on probation'', counted in no streak, flag or annual result.';

CREATE VIEW appraisal.annual_results WITH (security_invoker = false, security_barrier = true) AS
WITH overall AS MATERIALIZED (   -- computed once for both kinds of employee
  SELECT * FROM appraisal.overall_appraisal
), years AS (
  SELECT period AS year, starts_on, ends_on FROM appraisal.periods WHERE kind = 'year'
), within AS (       -- the results of a cycle shorter than the year inside each year (probation ones are outside the appraisal)
  SELECT y.year, o.*
  FROM years y
  JOIN overall o
    ON o.period_kind <> 'year' AND o.starts_on >= y.starts_on AND o.ends_on <= y.ends_on AND NOT o.on_probation
), pooled AS (
  SELECT year, employee_id, count(*) AS results_counted,
         div(100 * sum(points), count(*)) * 0.01 AS points, bool_and(sufficient_data) AS all_sufficient
  FROM within
  GROUP BY year, employee_id
), latest AS (
  SELECT DISTINCT ON (year, employee_id) *
  FROM within
  ORDER BY year, employee_id, starts_on DESC
)
SELECT l.employee_id, l.name, l.team, l.position, a.year, a.results_counted AS quarters_counted, a.points,
       CASE WHEN a.all_sufficient AND a.results_counted >= prm.min_quarters
            THEN appraisal.grade_band(a.points::double precision, prm.grade_scale)
            ELSE 'insufficient data' END AS grade,
       a.all_sufficient AND a.results_counted >= prm.min_quarters AS sufficient_data,
       l.excellent_streak, l.reserve_pool, l.failing_streak, l.repeated_failing,
       l.period_kind AS cycle
FROM pooled a
JOIN latest l USING (year, employee_id)
CROSS JOIN appraisal.scorecard_parameters() prm
UNION ALL
SELECT o.employee_id, o.name, o.team, o.position, o.period, 0, o.points, o.grade, o.sufficient_data,
       o.excellent_streak, o.reserve_pool, o.failing_streak, o.repeated_failing, o.period_kind
FROM overall o
WHERE o.period_kind = 'year';
COMMENT ON VIEW appraisal.annual_results IS
  'Year-end results (docs/rules.md, "Appraisal periods and results"): the arithmetic mean of the results of the position''s cycle inside the year (quarters for specialists and supervisors by default; exact, truncated to two decimals), or the yearly appraisal of a position appraised yearly (managers by default); the grade, and the streaks and flags as of the year''s last appraised period.';

COMMENT ON COLUMN appraisal.annual_results.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.annual_results.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.annual_results.team IS 'Team.';
COMMENT ON COLUMN appraisal.annual_results."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.annual_results.year IS 'Year (a period of kind year).';
COMMENT ON COLUMN appraisal.annual_results.quarters_counted IS 'Results of the position''s cycle averaged: quarters by default, months for a monthly position (cycle); 0 for a position appraised yearly.';
COMMENT ON COLUMN appraisal.annual_results.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.annual_results.grade IS 'Grade band of the points, or ''insufficient data''.';
COMMENT ON COLUMN appraisal.annual_results.sufficient_data IS 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.';
COMMENT ON COLUMN appraisal.annual_results.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.annual_results.reserve_pool IS 'Reserve-supervisor pool: a specialist with reserve_pool_streak (3) best grades in a row (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.annual_results.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.annual_results.repeated_failing IS 'failing_repeat (2) or more worst grades in a row: improvement plan / dismissal review (docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.annual_results.cycle IS 'The position''s cycle whose results were averaged (month, quarter or half_year), or year.';
