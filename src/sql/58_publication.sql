-- 58: publishing a period's results and what has changed since
-- (docs/rules.md, "Appeals and publication"): publish_results freezes the
-- rows of overall_appraisal in appraisal.published_results (39_appeals); the views
-- show them and the live rows that now differ, scoped by
-- appraisal.scorecard_access with their owner's rights, as the scorecards.

CREATE VIEW appraisal.published_appraisal WITH (security_invoker = false, security_barrier = true) AS
SELECT r.period, r.publication, r.publication = l.latest AS in_force, p.published_by, p.published_at, p.summaries_as_of,
       r.employee_id, r.name, r.team, r.position, r.kpis_defined, r.kpis_scored, r.points, r.grade, r.sufficient_data,
       r.excellent_streak, r.failing_streak, r.reserve_pool, r.repeated_failing, r.failing_in_window, r.several_failing,
       r.coaching_needed, r.coaching_reason, r.on_probation, r.kpis::text AS kpis
FROM appraisal.published_results r
JOIN appraisal.publications p USING (period, publication)
JOIN (SELECT period, max(publication) AS latest FROM appraisal.publications GROUP BY period) l USING (period)
JOIN appraisal.employees e ON e.employee_id = r.employee_id
WHERE appraisal.may_see(e.employee_id, e.team);
COMMENT ON VIEW appraisal.published_appraisal IS
  'Published results (docs/rules.md, "Appeals and publication"): every publication of every period, each employee''s overall appraisal as it was published, with who published it and when; in_force marks the latest publication of the period. Later data changes none of these rows. Scoped by appraisal.scorecard_access (by the employee''s team now).';
COMMENT ON COLUMN appraisal.published_appraisal.period IS 'Period published.';
COMMENT ON COLUMN appraisal.published_appraisal.publication IS 'Publication number within the period (1, 2, ...).';
COMMENT ON COLUMN appraisal.published_appraisal.in_force IS 'Whether this is the period''s latest publication.';
COMMENT ON COLUMN appraisal.published_appraisal.published_by IS 'Login that published.';
COMMENT ON COLUMN appraisal.published_appraisal.published_at IS 'When the results were published.';
COMMENT ON COLUMN appraisal.published_appraisal.summaries_as_of IS 'The as_of of the summaries the results were computed from.';
COMMENT ON COLUMN appraisal.published_appraisal.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.published_appraisal.name IS 'Employee name, as published.';
COMMENT ON COLUMN appraisal.published_appraisal.team IS 'Team, as published.';
COMMENT ON COLUMN appraisal.published_appraisal."position" IS 'Position, as published.';
COMMENT ON COLUMN appraisal.published_appraisal.kpis_defined IS 'KPIs of the position.';
COMMENT ON COLUMN appraisal.published_appraisal.kpis_scored IS 'KPIs with a value.';
COMMENT ON COLUMN appraisal.published_appraisal.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.published_appraisal.grade IS 'Grade band of the points, ''insufficient data'' or ''on probation''.';
COMMENT ON COLUMN appraisal.published_appraisal.sufficient_data IS 'Whether every KPI had a value (and the period was not on probation).';
COMMENT ON COLUMN appraisal.published_appraisal.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.published_appraisal.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.published_appraisal.reserve_pool IS 'Reserve-supervisor pool flag.';
COMMENT ON COLUMN appraisal.published_appraisal.repeated_failing IS 'Repeated-failing flag (consecutive worst grades).';
COMMENT ON COLUMN appraisal.published_appraisal.failing_in_window IS 'Worst grades among the last several_failing_window appraised periods.';
COMMENT ON COLUMN appraisal.published_appraisal.several_failing IS 'Several-failing flag.';
COMMENT ON COLUMN appraisal.published_appraisal.coaching_needed IS 'Training and coaching flag (one of the two lowest bands).';
COMMENT ON COLUMN appraisal.published_appraisal.coaching_reason IS 'Why coaching is needed.';
COMMENT ON COLUMN appraisal.published_appraisal.on_probation IS 'Whether the period ended in probation (not graded).';
COMMENT ON COLUMN appraisal.published_appraisal.kpis IS 'The KPIs behind the points as published: a JSON array of objects (kpi, weight, value, value_from, points, measured_value, appeal_id, appeal_status, appealed_value).';
GRANT SELECT ON appraisal.published_appraisal TO appraisal_admin;

-- Live against published: the columns a publication froze (but for name,
-- team and position, which describe the employee), compared value by value.
CREATE VIEW appraisal.published_differences WITH (security_invoker = false, security_barrier = true) AS
WITH latest AS (
  SELECT DISTINCT ON (period) period, publication, published_at
  FROM appraisal.publications
  ORDER BY period, publication DESC
), published AS (
  SELECT l.published_at, r.*
  FROM latest l
  JOIN appraisal.published_results r USING (period, publication)
  JOIN appraisal.employees e ON e.employee_id = r.employee_id
  WHERE appraisal.may_see(e.employee_id, e.team)
), live AS (
  SELECT o.*
  FROM appraisal.overall_appraisal o
  WHERE o.period IN (SELECT period FROM latest)
), compared AS (
  SELECT coalesce(p.period, o.period) AS period, l.publication, l.published_at,
         coalesce(o.employee_id, p.employee_id) AS employee_id, coalesce(o.name, p.name) AS name,
         coalesce(o.team, p.team) AS team,
         CASE WHEN p.employee_id IS NULL THEN 'only live' WHEN o.employee_id IS NULL THEN 'only published' ELSE 'changed' END AS difference,
         (SELECT string_agg(f.key, ', ' ORDER BY f.key)
          FROM jsonb_each(to_jsonb(p) - ARRAY['period', 'publication', 'published_at', 'employee_id', 'name', 'team', 'position', 'kpis']) f
          WHERE o.employee_id IS NOT NULL AND f.value IS DISTINCT FROM to_jsonb(o) -> f.key) AS changed_columns,
         p.points AS published_points, o.points AS live_points, p.grade AS published_grade, o.grade AS live_grade
  FROM published p
  FULL JOIN live o ON o.period = p.period AND o.employee_id = p.employee_id
  JOIN latest l ON l.period = coalesce(p.period, o.period)
)
SELECT period, publication, published_at, employee_id, name, team, difference, changed_columns,
       published_points, live_points, published_grade, live_grade
FROM compared
WHERE difference <> 'changed' OR changed_columns IS NOT NULL;
COMMENT ON VIEW appraisal.published_differences IS
  'Where the live results differ from the latest publication of their period (docs/rules.md, "Appeals and publication"): an employee whose overall_appraisal row now differs in points, grade, evidence counts or any flag or streak (changed_columns names them), one with live results not published (only live), and one published without live results now (only published). Empty while nothing has changed. Scoped by appraisal.scorecard_access.';
COMMENT ON COLUMN appraisal.published_differences.period IS 'Period published.';
COMMENT ON COLUMN appraisal.published_differences.publication IS 'The period''s latest publication, compared with.';
COMMENT ON COLUMN appraisal.published_differences.published_at IS 'When it was published.';
COMMENT ON COLUMN appraisal.published_differences.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.published_differences.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.published_differences.team IS 'Team.';
COMMENT ON COLUMN appraisal.published_differences.difference IS 'changed, only live or only published.';
COMMENT ON COLUMN appraisal.published_differences.changed_columns IS 'The columns of overall_appraisal that differ, by name, comma-separated (changed rows only).';
COMMENT ON COLUMN appraisal.published_differences.published_points IS 'Points as published.';
COMMENT ON COLUMN appraisal.published_differences.live_points IS 'Points now.';
COMMENT ON COLUMN appraisal.published_differences.published_grade IS 'Grade as published.';
COMMENT ON COLUMN appraisal.published_differences.live_grade IS 'Grade now.';
GRANT SELECT ON appraisal.published_differences TO appraisal_admin;

-- As the extension's owner, who sees every row whatever scorecard_access
-- says of the login publishing (the owner is a superuser: may_see).
CREATE FUNCTION appraisal.publish_results(period text)
RETURNS TABLE (publication integer, employees integer, published_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  p text := publish_results.period;
  n integer;
  frozen integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM appraisal.periods x WHERE x.period = p) THEN
    RAISE EXCEPTION 'period "%" is not in appraisal.periods', p
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Publish a period by its name in appraisal.periods (e.g. 2026-Q3); appraisal.add_periods(year) adds a year''s.';
  END IF;
  -- one publication of a period at a time; the latest gets the next number
  LOCK TABLE appraisal.publications IN SHARE ROW EXCLUSIVE MODE;
  SELECT coalesce(max(x.publication), 0) + 1 INTO n FROM appraisal.publications x WHERE x.period = p;
  INSERT INTO appraisal.publications (period, publication, summaries_as_of)
  VALUES (p, n, (SELECT s.refreshed_at FROM appraisal.refresh_state s));   -- (the summaries' last refresh)
  INSERT INTO appraisal.published_results
  SELECT o.period, n, o.employee_id, o.name, o.team, o.position, o.kpis_defined, o.kpis_scored, o.points, o.grade,
         o.sufficient_data, o.excellent_streak, o.failing_streak, o.reserve_pool, o.repeated_failing, o.failing_in_window,
         o.several_failing, o.coaching_needed, o.coaching_reason, o.on_probation,
         coalesce((SELECT jsonb_agg(jsonb_build_object('kpi', b.kpi, 'weight', b.weight, 'value', b.value, 'value_from', b.value_from,
                                                       'points', b.points, 'measured_value', b.measured_value,
                                                       'appeal_id', b.appeal_id, 'appeal_status', b.appeal_status,
                                                       'appealed_value', b.appealed_value) ORDER BY b.kpi)
                   FROM appraisal.kpi_breakdown b WHERE b.employee_id = o.employee_id AND b.period = o.period), '[]')
  FROM appraisal.overall_appraisal o
  WHERE o.period = p;
  GET DIAGNOSTICS frozen = ROW_COUNT;
  IF frozen = 0 THEN
    RAISE EXCEPTION 'period "%" has no results to publish', p
      USING ERRCODE = 'no_data_found',
            HINT = 'overall_appraisal has a row for an employee appraised in the period (of the position''s cycle, appraisal.position_cycles) with a KPI value: enter the results and refresh the summaries first.';
  END IF;
  RETURN QUERY SELECT n, frozen, x.published_at FROM appraisal.publications x WHERE x.period = p AND x.publication = n;
END
$$;
COMMENT ON FUNCTION appraisal.publish_results(text) IS
  'Publishes a period''s results (docs/rules.md, "Appeals and publication"): freezes every row of appraisal.overall_appraisal for the period (points, grade, evidence counts, flags and streaks, with the KPIs of kpi_breakdown) in appraisal.published_results under the next publication number of the period, recording the login publishing, when, and the summaries'' as_of (refresh them first: whether they are current is the committee''s call). Publishing again is a republication; earlier ones stay. Returns the publication number, the employees frozen and the time. Refuses a period not in appraisal.periods, or one without results. For members of appraisal_admin (runs as the extension''s owner, who sees every row).';
REVOKE ALL ON FUNCTION appraisal.publish_results(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.publish_results(text) TO appraisal_admin;
