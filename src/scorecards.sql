-- appraisal install script, part 12: the scorecard views analysts and BI
-- tools read.  Plain views (security_invoker) over the materialized per-day
-- summaries of part 11, rolled up to periods and teams; every column has a
-- plain type.  Percentages and points are computed exactly from counts and
-- truncated to two decimals, never rounded up, and grades and flags are read
-- off the shown value: 89.99 is 良 even when the exact value is 89.999.

-- Exact percentages -------------------------------------------------------------

CREATE FUNCTION appraisal.share_percent(part bigint, whole bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN whole > 0 THEN div(10000 * part::numeric, whole) * 0.01 END;
COMMENT ON FUNCTION appraisal.share_percent(bigint, bigint) IS
  '100 * part / whole truncated to two decimals, computed exactly (2 of 3 is 66.66, never 66.67); NULL when whole is 0 or NULL.';

CREATE FUNCTION appraisal.weighted_share_percent(weights numeric[], parts numeric[], wholes numeric[]) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  num numeric := 0;     -- sum of w_i * part_i * (product of the other wholes)
  den numeric := 1;     -- product of the wholes
  total numeric := 0;   -- sum of the weights
BEGIN
  IF cardinality(weights) IS DISTINCT FROM cardinality(parts) OR cardinality(parts) IS DISTINCT FROM cardinality(wholes) THEN
    RAISE EXCEPTION 'weighted_percent needs as many weights as parts and wholes (got %, %, %)',
      cardinality(weights), cardinality(parts), cardinality(wholes)
      USING ERRCODE = 'array_subscript_error';
  END IF;
  FOR i IN 1 .. coalesce(cardinality(weights), 0) LOOP
    IF weights[i] IS NULL OR weights[i] < 0 THEN
      RAISE EXCEPTION 'weight % of weighted_percent must be >= 0, not %', i, coalesce(weights[i]::text, 'NULL')
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    CONTINUE WHEN weights[i] = 0;
    IF wholes[i] IS NULL OR wholes[i] <= 0 OR parts[i] IS NULL THEN
      RETURN NULL;   -- a weighted part without evidence
    END IF;
    num := num * wholes[i] + weights[i] * parts[i] * den;
    den := den * wholes[i];
    total := total + weights[i];
  END LOOP;
  IF total = 0 THEN
    RETURN NULL;
  END IF;
  RETURN div(100 * 100 * num, total * den) * 0.01;
END
$$;
COMMENT ON FUNCTION appraisal.weighted_share_percent(numeric[], numeric[], numeric[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] with weights[i], as one exact fraction truncated to two decimals (40 % of 9/10, 30 % of 8/10 and 30 % of 4/5 give 84.00; 30 % of 1/3 and 30 % of 2/3 give 30.00, never 29.99). Parts of weight 0 are left out; NULL when a weighted part has no whole or every weight is 0.';

CREATE OR REPLACE FUNCTION appraisal.weighted_percent(weights numeric[], parts bigint[], wholes bigint[]) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN appraisal.weighted_share_percent(weights, parts::numeric[], wholes::numeric[]);
COMMENT ON FUNCTION appraisal.weighted_percent(numeric[], bigint[], bigint[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] of counts (see weighted_share_percent), exact, truncated to two decimals.';

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
           appraisal.share_percent(appraisal.met(first_response),
                                   appraisal.met(first_response) + appraisal.breached(first_response)) AS frc,
           appraisal.met(resolution) AS rsm, appraisal.breached(resolution) AS rsb,
           appraisal.pending(resolution) AS rsp,
           appraisal.share_percent(appraisal.met(resolution),
                                   appraisal.met(resolution) + appraisal.breached(resolution)) AS rsc,
           -- exact: the sum of business seconds over the count, truncated
           CASE WHEN appraisal.met(resolution) + appraisal.late(resolution) > 0
                THEN div(100 * appraisal.elapsed_seconds(resolution),
                         3600 * (appraisal.met(resolution) + appraisal.late(resolution))) * 0.01 END AS hours,
           appraisal.resolved(fcr) AS res, appraisal.first_contact_resolved(fcr) AS fcres,
           appraisal.share_percent(appraisal.first_contact_resolved(fcr), appraisal.resolved(fcr)) AS fcrp,
           appraisal.recurred(fcr) AS rec,
           appraisal.share_percent(appraisal.recurred(fcr), appraisal.resolved(fcr)) AS recp,
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
  'The scorecard measures of pooled summaries (used by agent_scorecard, team_scorecard and kpi_breakdown): SLA counts and compliance, FCR, recurrence, CSAT, the complaint composite (DOMAIN §4: weight_first_response / weight_resolution / weight_satisfaction of the three percentages, 40/30/30 by default) with its grade, the training flag and whether the evidence suffices (min_tickets, min_responses).';

-- Ticket and survey summaries pooled per agent and period (rows of
-- agent_daily joined to every period containing their day).
CREATE FUNCTION appraisal.agent_period_summaries()
RETURNS TABLE (agent_id text, period text, tickets bigint,
               first_response appraisal.sla_stats, resolution appraisal.sla_stats, fcr appraisal.fcr_stats,
               responses bigint, satisfied bigint, complaints bigint, service_complaints bigint, system_complaints bigint,
               as_of timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  WITH t AS (
    SELECT d.agent_id, p.period, sum(d.tickets)::bigint AS tickets,
           appraisal.rollup(d.first_response) AS first_response, appraisal.rollup(d.resolution) AS resolution,
           appraisal.rollup(d.fcr) AS fcr, sum(d.complaints)::bigint AS complaints,
           sum(d.service_complaints)::bigint AS service_complaints,
           sum(d.system_complaints)::bigint AS system_complaints, max(d.as_of) AS as_of
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
         coalesce(c.responses, 0), coalesce(c.satisfied, 0), t.complaints, t.service_complaints, t.system_complaints, t.as_of
  FROM t LEFT JOIN c USING (agent_id, period);
END;
COMMENT ON FUNCTION appraisal.agent_period_summaries() IS
  'The materialized per-day summaries of every agent rolled up into every period of appraisal.periods (two-step summary types; the scorecard views build on it).';

-- Agent scorecard ---------------------------------------------------------------

CREATE VIEW appraisal.agent_scorecard WITH (security_invoker = true) AS
SELECT e.employee_id, e.name, e.team, e.position,
       p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       m.*, s.as_of
FROM appraisal.agent_period_summaries() s
JOIN appraisal.employees e ON e.employee_id = s.agent_id
JOIN appraisal.periods p ON p.period = s.period
CROSS JOIN LATERAL appraisal.service_measures(s.tickets, s.first_response, s.resolution, s.fcr, s.responses, s.satisfied,
                                              s.complaints, s.service_complaints, s.system_complaints) m;
COMMENT ON VIEW appraisal.agent_scorecard IS
  'Service scorecard per agent and period (every period of appraisal.periods in which the agent had tickets): SLA compliance, FCR, recurrence, CSAT, complaints by attribution, and the closed-loop complaint composite (DOMAIN §4) with grade and training flag. Read from the materialized summaries as of their last refresh.';

-- Team scorecard: the agents' summaries pooled, never their rates averaged.
CREATE VIEW appraisal.team_scorecard WITH (security_invoker = true) AS
WITH pooled AS (
  SELECT e.team, s.period, count(*) AS agents, sum(s.tickets)::bigint AS tickets,
         appraisal.rollup(s.first_response) AS first_response, appraisal.rollup(s.resolution) AS resolution,
         appraisal.rollup(s.fcr) AS fcr, sum(s.responses)::bigint AS responses, sum(s.satisfied)::bigint AS satisfied,
         sum(s.complaints)::bigint AS complaints, sum(s.service_complaints)::bigint AS service_complaints,
         sum(s.system_complaints)::bigint AS system_complaints, max(s.as_of) AS as_of
  FROM appraisal.agent_period_summaries() s
  JOIN appraisal.employees e ON e.employee_id = s.agent_id
  GROUP BY e.team, s.period
)
SELECT t.team, p.period, p.kind AS period_kind, p.starts_on, p.ends_on, t.agents,
       m.*, t.as_of
FROM pooled t
JOIN appraisal.periods p ON p.period = t.period
CROSS JOIN LATERAL appraisal.service_measures(t.tickets, t.first_response, t.resolution, t.fcr, t.responses, t.satisfied,
                                              t.complaints, t.service_complaints, t.system_complaints) m;
COMMENT ON VIEW appraisal.team_scorecard IS
  'Service scorecard per team and period: the counts of the team''s agents pooled (rollup of their summaries), so that rates are ratios of team totals, never averages of the agents'' rates. Same measures as appraisal.agent_scorecard.';

-- 360 scorecard -----------------------------------------------------------------

CREATE VIEW appraisal.scorecard_360 WITH (security_invoker = true) AS
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
       r.as_of
FROM appraisal.period_ratings r
JOIN appraisal.employees e ON e.employee_id = r.ratee_id
JOIN appraisal.periods p ON p.period = r.period
CROSS JOIN appraisal.scorecard_parameters() prm
CROSS JOIN LATERAL (
  SELECT j -> 'groups' AS g, j ->> 'rule' AS rule,
         trunc((j ->> 'score')::numeric, 2) AS score,
         (SELECT coalesce(sum((v ->> 'raters')::bigint), 0)
            FROM jsonb_each(j -> 'groups') AS grp(k, v)
           WHERE (v ->> 'weight')::numeric > 0) AS weighted_raters
  FROM appraisal.explain_360(r.ratings, prm.weight_scheme) AS j
) x;
COMMENT ON VIEW appraisal.scorecard_360 IS
  '360 scorecard per employee and period (DOMAIN §1): raters and mean per group (each rater''s dimensions averaged first), the weights actually applied after the fixed fallbacks, the composite and its grade; ''insufficient data'' when the weighted groups have fewer raters than min_raters.';

-- KPIs and the overall appraisal ---------------------------------------------------

-- Who answers for whose tickets: everyone for their own, managers for those of
-- everyone below them.
CREATE VIEW appraisal.reporting_lines WITH (security_invoker = true) AS
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

CREATE VIEW appraisal.kpi_breakdown WITH (security_invoker = true) AS
WITH appraised AS (   -- quarters for specialists and supervisors, years for managers (DOMAIN §3)
  SELECT e.employee_id, e.position, p.period
  FROM appraisal.employees e
  JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
), responsible AS (   -- the service measures of all tickets the employee answers for
  SELECT s.manager_id AS employee_id, s.period, m.*
  FROM (SELECT l.manager_id, s.period, sum(s.tickets)::bigint AS tickets,
               appraisal.rollup(s.first_response) AS first_response, appraisal.rollup(s.resolution) AS resolution,
               appraisal.rollup(s.fcr) AS fcr, sum(s.responses)::bigint AS responses, sum(s.satisfied)::bigint AS satisfied,
               sum(s.complaints)::bigint AS complaints, sum(s.service_complaints)::bigint AS service_complaints,
               sum(s.system_complaints)::bigint AS system_complaints
          FROM appraisal.agent_period_summaries() s
          JOIN appraisal.reporting_lines l ON l.employee_id = s.agent_id
         GROUP BY l.manager_id, s.period) s
  CROSS JOIN LATERAL appraisal.service_measures(s.tickets, s.first_response, s.resolution, s.fcr, s.responses, s.satisfied,
                                                s.complaints, s.service_complaints, s.system_complaints) m
), measured AS (      -- a measure is a KPI value only with enough evidence of its own kind
  SELECT r.employee_id, r.period, v.source, v.value
  FROM responsible r
  CROSS JOIN appraisal.scorecard_parameters() prm
  CROSS JOIN LATERAL (VALUES ('first_response_compliance', r.first_response_compliance, r.tickets >= prm.min_tickets),
                             ('resolution_compliance', r.resolution_compliance, r.tickets >= prm.min_tickets),
                             ('fcr', r.fcr, r.tickets >= prm.min_tickets),
                             ('recurrence_rate', r.recurrence_rate, r.tickets >= prm.min_tickets),
                             ('csat', r.csat, r.responses >= prm.min_responses),
                             ('complaint_composite', r.composite_points, r.sufficient_data)) v(source, value, enough)
  WHERE v.enough
  UNION ALL
  SELECT employee_id, period, 'score_360', score_360 FROM appraisal.scorecard_360 WHERE sufficient_data
), kpis AS (
  SELECT a.employee_id, a.period, d.kpi, d.source, d.weight, d.zero_at, d.full_at,
         kr.value AS entered, dv.value AS measured
  FROM appraised a
  JOIN appraisal.kpi_definitions d ON d.position = a.position
  LEFT JOIN appraisal.kpi_results kr ON kr.period = a.period AND kr.employee_id = a.employee_id AND kr.kpi = d.kpi
  LEFT JOIN measured dv ON dv.employee_id = a.employee_id AND dv.period = a.period AND dv.source = d.source
), valued AS (
  SELECT k.*, coalesce(k.entered, k.measured::double precision) AS v,
         count(coalesce(k.entered, k.measured::double precision)) OVER (PARTITION BY k.employee_id, k.period) AS any_value
  FROM kpis k
)
SELECT employee_id, period, kpi, source, weight,
       coalesce(entered::numeric, measured) AS value,
       CASE WHEN entered IS NOT NULL THEN 'kpi_results' WHEN measured IS NOT NULL THEN 'scorecard' END AS value_from,
       zero_at::numeric AS zero_at, full_at::numeric AS full_at,
       trunc(appraisal.linear_score(v, zero_at, full_at)::numeric, 2) AS points
FROM valued
WHERE any_value > 0;
COMMENT ON VIEW appraisal.kpi_breakdown IS
  'Every KPI of every employee''s appraisal (quarters for specialists and supervisors, years for managers; DOMAIN §3, §7) with a value: the value, where it came from (kpi_results, or the scorecard of all tickets the employee answers for, or the 360 scorecard, when there is enough evidence of its kind: min_tickets tickets for SLA, FCR and recurrence, min_responses responses for CSAT, both for the composite, min_raters raters for the 360), the range and the points linear_score gives it.';

CREATE VIEW appraisal.overall_appraisal WITH (security_invoker = true) AS
WITH per AS (
  SELECT b.employee_id, b.period, count(*) AS kpis_defined, count(b.points) AS kpis_scored,
         trunc(appraisal.weighted_score(b.points::double precision, b.weight::double precision)::numeric, 2) AS points
  FROM appraisal.kpi_breakdown b
  GROUP BY b.employee_id, b.period
), graded AS (        -- every appraised period, with or without a result, so that gaps break streaks
  SELECT e.employee_id, e.name, e.team, e.position, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
         r.kpis_defined, r.kpis_scored, r.points, r.kpis_scored = r.kpis_defined AS sufficient_data,
         CASE WHEN r.kpis_scored = r.kpis_defined
              THEN appraisal.grade_band(r.points::double precision, prm.grade_scale)
              ELSE 'insufficient data' END AS grade,
         coalesce(r.kpis_scored = r.kpis_defined
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale) = 1, false) AS best,
         coalesce(r.kpis_scored = r.kpis_defined
                  AND appraisal.grade_rank(r.points::double precision, prm.grade_scale)
                      = (SELECT max(rank) FROM appraisal.grade_bands(prm.grade_scale)), false) AS worst,
         prm.reserve_pool_streak, prm.failing_repeat
  FROM appraisal.employees e
  JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
  CROSS JOIN appraisal.scorecard_parameters() prm
  LEFT JOIN per r ON r.employee_id = e.employee_id AND r.period = p.period
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
         CASE WHEN worst THEN row_number() OVER (PARTITION BY employee_id, worst, worst_run ORDER BY starts_on) ELSE 0 END::integer AS failing_streak
  FROM runs r
)
SELECT employee_id, name, team, position, period, period_kind, starts_on, ends_on,
       kpis_defined, kpis_scored, points, grade, sufficient_data,
       excellent_streak, failing_streak,
       position = 'specialist' AND excellent_streak >= reserve_pool_streak AS reserve_pool,
       failing_streak >= failing_repeat AS repeated_failing
FROM streaks
WHERE kpis_scored > 0;
COMMENT ON VIEW appraisal.overall_appraisal IS
  'Overall appraisal per employee and appraised period (quarters for specialists and supervisors, years for managers): the KPI points of appraisal.kpi_breakdown combined with weighted_score by the position''s weights, the grade (''insufficient data'' unless every KPI has a value), the runs of consecutive best and worst grades over the appraised periods (a period without a result breaks a run), the reserve-supervisor pool flag (specialists, reserve_pool_streak best grades in a row, DOMAIN §3) and the repeated-failing flag.';

CREATE VIEW appraisal.annual_results WITH (security_invoker = true) AS
WITH overall AS MATERIALIZED (   -- computed once for both kinds of employee
  SELECT * FROM appraisal.overall_appraisal
), years AS (
  SELECT period AS year, starts_on, ends_on FROM appraisal.periods WHERE kind = 'year'
), quarters AS (      -- the quarterly results inside each year
  SELECT y.year, o.*
  FROM years y
  JOIN overall o
    ON o.period_kind = 'quarter' AND o.starts_on >= y.starts_on AND o.ends_on <= y.ends_on
), pooled AS (
  SELECT year, employee_id, count(*) AS quarters_counted,
         div(100 * sum(points), count(*)) * 0.01 AS points, bool_and(sufficient_data) AS all_sufficient
  FROM quarters
  GROUP BY year, employee_id
), latest AS (
  SELECT DISTINCT ON (year, employee_id) *
  FROM quarters
  ORDER BY year, employee_id, starts_on DESC
)
SELECT l.employee_id, l.name, l.team, l.position, a.year, a.quarters_counted, a.points,
       CASE WHEN a.all_sufficient AND a.quarters_counted >= prm.min_quarters
            THEN appraisal.grade_band(a.points::double precision, prm.grade_scale)
            ELSE 'insufficient data' END AS grade,
       a.all_sufficient AND a.quarters_counted >= prm.min_quarters AS sufficient_data,
       l.excellent_streak, l.reserve_pool, l.failing_streak, l.repeated_failing
FROM pooled a
JOIN latest l USING (year, employee_id)
CROSS JOIN appraisal.scorecard_parameters() prm
WHERE l.position <> 'manager'
UNION ALL
SELECT o.employee_id, o.name, o.team, o.position, o.period, 0, o.points, o.grade, o.sufficient_data,
       o.excellent_streak, o.reserve_pool, o.failing_streak, o.repeated_failing
FROM overall o
WHERE o.period_kind = 'year';
COMMENT ON VIEW appraisal.annual_results IS
  'Year-end results (DOMAIN §3): for specialists and supervisors the arithmetic mean of the quarterly results inside the year (exact, truncated to two decimals), for managers their yearly appraisal; the grade, and the streaks and flags as of the year''s last appraised period.';

-- Complaints: Pareto and spikes -----------------------------------------------------

CREATE VIEW appraisal.complaint_pareto WITH (security_invoker = true) AS
WITH counts AS (
  SELECT p.period, p.kind AS period_kind, d.category,
         sum(d.complaints)::bigint AS complaints, sum(d.service_complaints)::bigint AS service_complaints,
         sum(d.system_complaints)::bigint AS system_complaints
  FROM appraisal.category_daily d
  JOIN appraisal.periods p ON d.day BETWEEN p.starts_on AND p.ends_on
  GROUP BY p.period, p.kind, d.category
  HAVING sum(d.complaints) > 0
), ranked AS (
  SELECT c.*,
         row_number() OVER w AS rank,
         sum(complaints) OVER w AS running,
         sum(complaints) OVER (PARTITION BY period) AS total,
         count(*) OVER (PARTITION BY period) AS categories
  FROM counts c
  WINDOW w AS (PARTITION BY period ORDER BY complaints DESC, category ROWS UNBOUNDED PRECEDING)
)
SELECT r.period, r.period_kind, r.category, r.complaints, r.service_complaints, r.system_complaints,
       r.rank, appraisal.share_percent(r.complaints, r.total::bigint) AS share,
       appraisal.share_percent(r.running::bigint, r.total::bigint) AS cumulative_share,
       r.rank <= ceil(r.categories * prm.pareto_share / 100) AS top_cause
FROM ranked r CROSS JOIN appraisal.scorecard_parameters() prm;
COMMENT ON VIEW appraisal.complaint_pareto IS
  'Complaint causes (ticket categories) per period, most frequent first, with their share and cumulative share of the period''s complaints; the top pareto_share percent of the categories (20 %, rounded up to whole categories) are flagged for process work (DOMAIN §4).';

CREATE VIEW appraisal.complaint_spikes WITH (security_invoker = true) AS
WITH weeks AS (
  SELECT category, date_trunc('week', day)::date AS week_start,
         sum(tickets)::bigint AS tickets, sum(complaints)::bigint AS complaints
  FROM appraisal.category_daily
  GROUP BY 1, 2
)
SELECT w.week_start, w.category, w.tickets, w.complaints,
       appraisal.share_percent(w.complaints, w.tickets) AS complaint_rate,
       t.tickets AS trailing_tickets, t.complaints AS trailing_complaints,
       appraisal.share_percent(t.complaints, t.tickets) AS trailing_rate,
       coalesce(w.complaints >= prm.spike_min_complaints AND t.tickets > 0
                AND w.complaints::numeric * t.tickets >= prm.spike_factor * t.complaints * w.tickets, false) AS spike
FROM weeks w
CROSS JOIN appraisal.scorecard_parameters() prm
JOIN (   -- the trailing weeks of every week: a join on the category, not a scan per week
  SELECT w2.category, w2.week_start,
         coalesce(sum(x.tickets), 0)::bigint AS tickets, coalesce(sum(x.complaints), 0)::bigint AS complaints
  FROM weeks w2
  CROSS JOIN appraisal.scorecard_parameters() p2
  LEFT JOIN weeks x ON x.category = w2.category
                   AND x.week_start >= w2.week_start - 7 * p2.spike_weeks AND x.week_start < w2.week_start
  GROUP BY w2.category, w2.week_start
) t ON t.category = w.category AND t.week_start = w.week_start;
COMMENT ON VIEW appraisal.complaint_spikes IS
  'Weekly complaint rate per category (complaints per 100 tickets of the category, weeks from Monday) against its rate pooled over the trailing spike_weeks weeks; spike when the week has at least spike_min_complaints complaints and its rate is at least spike_factor times the trailing rate (DOMAIN §4: a sudden rise triggers a cross-department alert). A week without trailing tickets never spikes.';

-- Column comments, shared by the views that have the column ----------------------------

DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    WITH doc(col, txt) AS (VALUES
      ('employee_id', 'Employee code.'),
      ('name', 'Employee name.'),
      ('team', 'Team.'),
      ('position', 'Position: specialist, supervisor or manager.'),
      ('period', 'Period (appraisal.periods).'),
      ('period_kind', 'Kind of period: quarter, half_year or year.'),
      ('starts_on', 'First day of the period.'),
      ('ends_on', 'Last day of the period.'),
      ('agents', 'Agents of the team with tickets in the period.'),
      ('tickets', 'Tickets opened in the period.'),
      ('first_response_met', 'Tickets answered by their first-response due time.'),
      ('first_response_breached', 'Tickets answered late, or unanswered past their due time at the refresh.'),
      ('first_response_pending', 'Tickets unanswered but not yet due at the refresh; left out of compliance.'),
      ('first_response_compliance', 'First-response SLA compliance, percent: met / (met + breached), truncated to 2 decimals.'),
      ('resolution_met', 'Tickets resolved by their resolution due time.'),
      ('resolution_breached', 'Tickets resolved late, or unresolved past their due time at the refresh.'),
      ('resolution_pending', 'Tickets unresolved but not yet due at the refresh; left out of compliance.'),
      ('resolution_compliance', 'Resolution SLA compliance, percent: met / (met + breached), truncated to 2 decimals.'),
      ('mean_resolution_hours', 'Mean business hours (pauses excluded) from opening to resolution of the resolved tickets, truncated to 2 decimals.'),
      ('resolved', 'Tickets resolved (by the refresh).'),
      ('first_contact_resolved', 'Resolved tickets resolved on the first contact and not recurred.'),
      ('fcr', 'First contact resolution, percent: first_contact_resolved / resolved.'),
      ('recurred', 'Resolved tickets whose customer came back in the same category within the repeat window.'),
      ('recurrence_rate', 'Recurrence rate, percent: recurred / resolved.'),
      ('responses', 'Survey responses counted (one per ticket: web, else call-back, else SMS).'),
      ('satisfied', 'Responses with one of the two top ratings (4 or 5 of 5).'),
      ('csat', 'CSAT, percent: satisfied / responses.'),
      ('complaints', 'Complaints among the tickets.'),
      ('service_complaints', 'Service-caused complaints: count against the agent.'),
      ('system_complaints', 'System-caused complaints (company policy or system): never count against the agent.'),
      ('unattributed_complaints', 'Complaints not yet attributed to service or system.'),
      ('composite_points', 'Closed-loop complaint composite in points: weight_first_response (40) x first-response compliance + weight_resolution (30) x resolution compliance + weight_satisfaction (30) x CSAT, over the weights, exact and truncated to 2 decimals; NULL when a part has no evidence.'),
      ('composite_grade', 'Grade band of composite_points, or ''insufficient data''.'),
      ('training_needed', 'Communication-skills training flag: first-response compliance below training_threshold (80 %); NULL with insufficient data.'),
      ('sufficient_data', 'Whether the evidence reaches the configured minimums; otherwise the grade is ''insufficient data''.'),
      ('as_of', 'When the summaries were computed (the last refresh); SLA pending and overdue are as of then.'),
      ('superior_raters', 'Superiors who rated.'),
      ('superior_mean', 'Mean superior rating (truncated to 2 decimals); NULL when none or suppressed.'),
      ('peer_raters', 'Peers who rated.'),
      ('peer_mean', 'Mean peer rating (truncated to 2 decimals); NULL when none or suppressed.'),
      ('subordinate_raters', 'Subordinates who rated.'),
      ('subordinate_mean', 'Mean subordinate rating (truncated to 2 decimals); NULL when none or suppressed.'),
      ('superior_weight', 'Weight applied to the superior mean, percent.'),
      ('peer_weight', 'Weight applied to the peer mean, percent.'),
      ('subordinate_weight', 'Weight applied to the subordinate mean, percent.'),
      ('weight_rule', 'How the weights were chosen: primary (all groups), fallback (a fixed fallback of the scheme), proportional (primary weights renormalised) or none.'),
      ('score_360', '360 composite, truncated to 2 decimals.'),
      ('grade', 'Grade band of the points, or ''insufficient data''.'),
      ('kpi', 'KPI name.'),
      ('source', 'manual, or the scorecard measure the KPI''s value comes from.'),
      ('weight', 'Weight of the KPI in the overall appraisal.'),
      ('value', 'Measured value of the KPI; NULL when missing.'),
      ('value_from', 'kpi_results (entered), scorecard (measured) or NULL (missing).'),
      ('zero_at', 'Value scored 0 points.'),
      ('full_at', 'Value scored 100 points.'),
      ('points', 'Points, truncated to 2 decimals.'),
      ('kpis_defined', 'KPIs of the position.'),
      ('kpis_scored', 'KPIs with a value.'),
      ('excellent_streak', 'Consecutive appraised periods graded in the best band, ending with this one.'),
      ('failing_streak', 'Consecutive appraised periods graded in the worst band, ending with this one.'),
      ('reserve_pool', 'Reserve-supervisor pool: a specialist with reserve_pool_streak (3) best grades in a row (DOMAIN §3).'),
      ('repeated_failing', 'failing_repeat (2) or more worst grades in a row: improvement plan / dismissal review (DOMAIN §3).'),
      ('year', 'Year (a period of kind year).'),
      ('quarters_counted', 'Quarterly results averaged (0 for managers, appraised yearly).'),
      ('category', 'Ticket category (complaint cause).'),
      ('rank', 'Rank by complaints in the period, 1 = most (ties by category name).'),
      ('share', 'Share of the period''s complaints, percent.'),
      ('cumulative_share', 'Share of the period''s complaints of this and all higher-ranked categories, percent.'),
      ('top_cause', 'Among the top pareto_share (20 %) of categories: flagged for process work.'),
      ('week_start', 'Monday of the week.'),
      ('complaint_rate', 'Complaints per 100 tickets of the category in the week.'),
      ('trailing_tickets', 'Tickets of the category in the spike_weeks weeks before.'),
      ('trailing_complaints', 'Complaints of the category in the spike_weeks weeks before.'),
      ('trailing_rate', 'Complaints per 100 tickets of the category over the trailing weeks (pooled).'),
      ('spike', 'The week''s rate reached spike_factor times the trailing rate, with at least spike_min_complaints complaints.'))
    SELECT a.attrelid::regclass AS rel, a.attname, d.txt
    FROM pg_attribute a
    JOIN pg_class r ON r.oid = a.attrelid
    JOIN doc d ON d.col = a.attname
    WHERE r.relnamespace = 'appraisal'::regnamespace AND r.relkind = 'v'
      AND r.relname IN ('agent_scorecard', 'team_scorecard', 'scorecard_360', 'kpi_breakdown',
                        'overall_appraisal', 'annual_results', 'complaint_pareto', 'complaint_spikes')
      AND a.attnum > 0
  LOOP
    EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', c.rel, c.attname, c.txt);
  END LOOP;
END
$$;
