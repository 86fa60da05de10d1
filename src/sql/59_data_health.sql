-- 59: data health: what makes the scorecards empty, thin or out of date,
-- each with a count, examples and the fix (docs/operations.md, "Data
-- health").  refresh_scorecards() (60) reports the same problems.
--
-- An admin's tool: the checks read every row (employee codes included, past
-- scorecard_access, which would hide the very rows at fault), so the function
-- runs with its owner's rights and only appraisal_admin may call it or read
-- the view.  Each check is one set-based query; tickets are scanned once,
-- for the checks the summaries cannot answer (days no period covers, the
-- SLA policy defaults, data newer than the summaries); the others read the
-- summaries, as the scorecards do, and are not checked until the summaries
-- have been populated (reading them would fail).

-- "a, b, c, d, e and 7 more": the first five examples of a list.
CREATE FUNCTION appraisal.health_examples(examples text[], total bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT array_to_string(examples[1:5], ', ')
         || CASE WHEN total > 5 THEN format(' and %s more', total - 5) ELSE '' END;
END;
COMMENT ON FUNCTION appraisal.health_examples(text[], bigint) IS
  'The first five of a list of examples, comma-separated, followed by "and N more" when total (the length of the whole list) is larger: the examples column of appraisal.data_health.';

-- The checks, given whether every summary was just recomputed from the
-- tables in this transaction (summaries_recomputed: refresh_scorecards,
-- 60, when it has recomputed every summary whole: the first time, with
-- full => true, after a crash).
-- Then the summaries hold what the tables hold, by construction: the days
-- of tickets are read from agent_daily and the tickets are not scanned
-- (they are for the channel/priority pairs only when some metric has no
-- general policy), nor are the summaries compared with the data (at 10M
-- tickets 0.1 s + 1.2 s of a 3.6 s check).  Owner only: called so
-- otherwise, it would pass stale summaries as current.
CREATE FUNCTION appraisal.check_data_health(summaries_recomputed boolean)
RETURNS TABLE (check_name text, severity text, items bigint, problem text, examples text, fix text, description text)
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
-- (its queries over the scorecard views are large but read small
-- summaries: JIT would spend seconds compiling them, as refresh_scorecards
-- never lets it)
SET jit = off
-- (the groups of the one scan of tickets costed as free to pass up from
-- parallel workers: the planner, which cannot know how many days the
-- tickets fall on, guesses a group per opening instant, and with a large
-- work_mem, as the refresh's, would group every ticket in one process)
SET parallel_tuple_cost = 0
-- (no memoized nested loop over the periods: the checks of the scorecards
-- roll every summary up into every period, and the planner, which takes
-- a period for a tenth of the days when a year holds them all, would look
-- each period's days up through an index, the cache never hit.  After a
-- full refresh, in its own transaction, at 10M tickets: the check 3.6 s
-- against 4.8 s, kpis_without_results 1.9 s against 2.7 s)
SET enable_memoize = off
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  summaries regclass[] := ARRAY['appraisal.agent_daily', 'appraisal.agent_daily_csat', 'appraisal.category_daily',
                                'appraisal.period_ratings', 'appraisal.agent_daily_follow_up']::regclass[];
  unpopulated text[];
  refreshed timestamptz := '-infinity';   -- the last refresh; -infinity when the summaries hold no row
  summarised bigint := 0;                  -- tickets agent_daily counts
  last_refresh timestamptz;                -- as refresh_state says
  t record;                                -- what the one scan of tickets found
  more record;
  not_checked constant text := 'Not checked: the summaries have not been computed (see summaries_not_populated).';
  -- (constants to the queries, as the summaries take them: on Citus the
  -- coordinator's clock, and no zone joined to every ticket on a shard)
  report_zone constant text := (SELECT p.report_time_zone FROM appraisal.scorecard_parameters() p);
  instant constant timestamptz := now();
BEGIN
  -- the first refresh computes every summary (42: refresh_state)
  SELECT CASE WHEN s.refreshed_at IS NULL THEN summaries::text[] ELSE '{}' END, s.refreshed_at
    INTO unpopulated, last_refresh
    FROM appraisal.refresh_state s;
  IF summaries_recomputed IS NULL THEN
    RAISE EXCEPTION 'summaries_recomputed must be true or false, not NULL'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  IF summaries_recomputed AND last_refresh IS DISTINCT FROM instant THEN
    RAISE EXCEPTION 'summaries_recomputed is true, but the last refresh was not this transaction''s'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'summaries_recomputed is true for refresh_scorecards() alone, when it has recomputed every summary whole; call appraisal.check_data_health() (the view appraisal.data_health).';
  END IF;
  IF summaries_recomputed THEN
    refreshed := instant;   -- (nothing newer; the scan below counts nothing by it either)
  ELSIF cardinality(unpopulated) = 0 THEN
    SELECT coalesce(greatest((SELECT max(as_of) FROM appraisal.agent_daily), (SELECT max(as_of) FROM appraisal.agent_daily_csat),
                             (SELECT max(as_of) FROM appraisal.category_daily), (SELECT max(as_of) FROM appraisal.period_ratings),
                             (SELECT max(as_of) FROM appraisal.agent_daily_follow_up)), '-infinity'),
           (SELECT coalesce(sum(tickets), 0) FROM appraisal.agent_daily)
      INTO refreshed, summarised;
  END IF;

  check_name := 'summaries_not_populated'; severity := 'empty';
  items := cardinality(unpopulated);
  problem := format('%s of the 5 summaries have never been computed: every scorecard fails with "have not been computed yet"', items);
  examples := appraisal.health_examples(unpopulated, items);
  fix := 'SELECT * FROM appraisal.refresh_scorecards(); then refresh on a schedule (appraisal.schedule_refresh).';
  description := 'The summaries the scorecards read were never computed in this database (a new installation, or after a restore). Until they are, thin_scorecards, suppressed_360_groups and kpis_without_results are not checked.';
  RETURN NEXT;

  -- One scan of tickets, grouped by day, channel and priority (a few
  -- thousand groups): the day as agent_daily reads it, and what happened
  -- between the last refresh and now.  (Run by EXECUTE, as the next one:
  -- PL/pgSQL runs a SELECT ... INTO of its own without parallel workers;
  -- see parallel_tuple_cost above.  At 10M tickets the grouping took 0.9 s
  -- so, 1.8 s in one process.)  With the summaries just recomputed ($4),
  -- the days' tickets are agent_daily's and the tickets are grouped by
  -- channel and priority alone, if some metric has no general policy.
  EXECUTE $query$
    WITH grouped AS MATERIALIZED (
      SELECT appraisal.local_day(k.opened_at, $1) AS day, k.channel, k.priority,
             count(*) FILTER (WHERE k.opened_at <= $2) AS tickets,
             count(*) FILTER (WHERE k.opened_at <= $3) AS by_refresh,
             count(*) FILTER (WHERE k.opened_at > $3 AND k.opened_at <= $2
                                 OR k.first_response_at > $3 AND k.first_response_at <= $2
                                 OR k.resolved_at > $3 AND k.resolved_at <= $2) AS since_refresh
      FROM appraisal.tickets k
      WHERE NOT $4
      GROUP BY 1, 2, 3
    ), days AS (
      SELECT g.day, sum(g.tickets) AS tickets FROM grouped g GROUP BY g.day
      UNION ALL
      SELECT d.day, sum(d.tickets) FROM appraisal.agent_daily d WHERE $4 GROUP BY d.day
    ), uncovered AS (
      SELECT g.day, g.tickets
      FROM days g
      WHERE g.tickets > 0
        AND NOT EXISTS (SELECT 1 FROM appraisal.periods p WHERE g.day BETWEEN p.starts_on AND p.ends_on)
    ), pairs AS (
      SELECT g.channel, g.priority, sum(g.tickets) AS tickets
      FROM grouped g WHERE g.tickets > 0 GROUP BY g.channel, g.priority
      UNION ALL
      SELECT k.channel, k.priority, count(*)
      FROM appraisal.tickets k
      WHERE $4 AND k.opened_at <= $2
        AND NOT (EXISTS (SELECT FROM appraisal.sla_policies sp
                         WHERE sp.metric = 'first_response' AND sp.channel IS NULL AND sp.priority IS NULL)
                 AND EXISTS (SELECT FROM appraisal.sla_policies sp
                             WHERE sp.metric = 'resolution' AND sp.channel IS NULL AND sp.priority IS NULL))
      GROUP BY k.channel, k.priority
    ), defaulted AS (   -- the metrics no policy matches (sla_policy_matrix() gives them the defaults)
      SELECT x.channel, x.priority, x.tickets, string_agg(replace(m.metric, '_', ' '), ' and ' ORDER BY m.metric DESC) AS metrics
      FROM pairs x
      CROSS JOIN (VALUES ('first_response'), ('resolution')) m(metric)
      WHERE NOT EXISTS (SELECT 1 FROM appraisal.sla_policies sp
                        WHERE sp.metric = m.metric AND (sp.channel IS NULL OR sp.channel = x.channel)
                          AND (sp.priority IS NULL OR sp.priority = x.priority))
      GROUP BY x.channel, x.priority, x.tickets
    )
    SELECT (SELECT coalesce(sum(tickets), 0) FROM uncovered) AS uncovered_tickets,
           (SELECT count(*) FROM uncovered) AS uncovered_days,
           (SELECT array_agg(format('%s (tickets %s)', to_char(day, 'YYYY-MM-DD'), tickets) ORDER BY day) FROM uncovered) AS uncovered_examples,
           (SELECT string_agg(format('SELECT appraisal.add_periods(%s);', y), ' ' ORDER BY y)
              FROM (SELECT DISTINCT extract(year FROM day)::integer AS y FROM uncovered) ys) AS uncovered_fix,
           (SELECT count(*) FROM defaulted) AS defaulted_pairs,
           (SELECT coalesce(sum(tickets), 0) FROM defaulted) AS defaulted_tickets,
           (SELECT array_agg(format('%s/%s (tickets %s: %s)', channel, priority, tickets, metrics) ORDER BY channel, priority)
              FROM defaulted) AS defaulted_examples,
           (SELECT coalesce(sum(by_refresh), 0) FROM grouped) AS by_refresh,
           (SELECT coalesce(sum(since_refresh), 0) FROM grouped) AS since_refresh
  $query$
    INTO t
    USING report_zone, instant, refreshed, summaries_recomputed;

  check_name := 'summaries_stale'; severity := 'stale';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    -- (the responses and call-backs are not read at all when the summaries
    -- are as new as now, as in the refresh's own transaction: $1 < $2; nor
    -- the raters when period_ratings was just recomputed: $3)
    EXECUTE $query$
      SELECT (SELECT count(*) FROM appraisal.survey_responses r
               WHERE $1 < $2 AND r.responded_at > $1 AND r.responded_at <= $2) AS responses,
             (SELECT count(*) FROM appraisal.call_backs c
               WHERE $1 < $2 AND c.called_at > $1 AND c.called_at <= $2) AS call_backs,
             -- raters per period, ratee and role: period_ratings against reviews_360
             -- (counted under a scheme without anonymity thresholds: every group)
             CASE WHEN NOT $3 THEN
               abs((SELECT count(*) FROM (SELECT DISTINCT period, ratee_id, rater_id, role FROM appraisal.reviews_360) d)
                   - (SELECT coalesce(sum(appraisal.rater_count(pr.ratings, ro.role, 'superior 1'::appraisal.weight_scheme_spec)), 0)
                        FROM appraisal.period_ratings pr
                        CROSS JOIN unnest(enum_range(NULL::appraisal.rater_role)) ro(role))) ELSE 0 END AS ratings
    $query$
      INTO more
      USING refreshed, instant, summaries_recomputed;
    items := t.since_refresh + abs(t.by_refresh - summarised) + more.responses + more.call_backs + more.ratings;
    problem := format('%s changes to the data are newer than the summaries: the scorecards do not show them yet', items);
    examples := nullif(concat_ws(', ',
      CASE WHEN t.since_refresh > 0 THEN format('tickets opened, answered or resolved since the refresh: %s', t.since_refresh) END,
      CASE WHEN t.by_refresh <> summarised THEN format('tickets loaded with earlier dates or deleted since the refresh: %s', abs(t.by_refresh - summarised)) END,
      CASE WHEN more.responses > 0 THEN format('survey responses since the refresh: %s', more.responses) END,
      CASE WHEN more.call_backs > 0 THEN format('call-backs since the refresh: %s', more.call_backs) END,
      CASE WHEN more.ratings > 0 THEN format('360 raters added or removed since the refresh: %s', more.ratings) END), '');
  END IF;
  fix := 'SELECT * FROM appraisal.refresh_scorecards(); (or wait for the scheduled refresh).';
  description := 'Data the summaries do not reflect: tickets opened, answered or resolved between the last refresh and now; tickets opened before the refresh that the summaries do not count (loaded later with earlier dates) or count but are gone; survey responses and call-backs since the refresh; 360 raters that differ from period_ratings. Changes to SLA policies, calendars, settings or quality inspections since the refresh are not detected: refresh after making them.';
  RETURN NEXT;

  check_name := 'tickets_outside_periods'; severity := 'empty';
  items := t.uncovered_tickets;
  problem := format('%s tickets fall on %s days no period covers: no scorecard counts them', items, t.uncovered_days);
  examples := appraisal.health_examples(t.uncovered_examples, t.uncovered_days);
  fix := coalesce('Add the periods of their years: ' || t.uncovered_fix || ' (with months => true for a monthly appraisal), then refresh.',
                  'SELECT appraisal.add_periods(<year>); adds a year''s periods.');
  description := 'Tickets opened (by now) on a day, in the setting report_time_zone, that no period of appraisal.periods contains: the scorecards roll the daily summaries up into periods, so these tickets are in none, and an agent with only such tickets has no scorecard row at all.';
  RETURN NEXT;

  check_name := 'tickets_without_sla_policy'; severity := 'info';
  items := t.defaulted_pairs;
  problem := format('%s tickets in %s channel/priority pairs match no SLA policy: the defaults apply (first response within 24 hours, resolution within 48 hours, 24x7)',
                    t.defaulted_tickets, items);
  examples := appraisal.health_examples(t.defaulted_examples, items);
  fix := 'Add a policy to appraisal.sla_policies for the channel, the priority, or both (a general one has channel and priority NULL), then refresh; nothing to do if the defaults are meant.';
  description := 'Pairs of ticket channel and priority for which no SLA policy of a metric (first response, resolution) names the channel, the priority or neither: their tickets are judged against the defaults of docs/rules.md, "Complaint handling".';
  RETURN NEXT;

  -- Specialists and supervisors report to someone; a manager may head the chain.
  SELECT count(*), appraisal.health_examples(array_agg(format('%s (%s)', e.employee_id, e.position) ORDER BY e.employee_id), count(*))
    INTO items, examples
    FROM appraisal.employees e
   WHERE e.manager_id IS NULL AND e.position IN ('specialist', 'supervisor');
  check_name := 'employees_without_manager'; severity := 'info';
  problem := format('%s specialists or supervisors have no manager: no one above answers for their tickets (kpi_breakdown pools everyone reporting to a manager)', items);
  fix := 'Set appraisal.employees.manager_id to the direct manager; only the head of the chain (a manager) has none.';
  description := 'Specialists and supervisors without a manager (employees.manager_id NULL): every specialist and supervisor reports to someone, only a manager may head the chain. (Every employee has a team: employees.team is required.)';
  RETURN NEXT;

  -- A rater who is an employee stands where the reporting lines put them:
  -- a superior above the ratee, a subordinate below, a peer neither.
  WITH rated AS (
    SELECT DISTINCT r.period, r.ratee_id, r.rater_id, r.role
    FROM appraisal.reviews_360 r
    WHERE r.role IN ('superior', 'subordinate', 'peer')
      AND EXISTS (SELECT 1 FROM appraisal.employees e WHERE e.employee_id = r.rater_id)
  ), placed AS (
    SELECT d.*,
           EXISTS (SELECT 1 FROM appraisal.reporting_lines l
                   WHERE l.manager_id = d.rater_id AND l.employee_id = d.ratee_id AND l.depth > 0) AS above,
           EXISTS (SELECT 1 FROM appraisal.reporting_lines l
                   WHERE l.manager_id = d.ratee_id AND l.employee_id = d.rater_id AND l.depth > 0) AS below
    FROM rated d
  ), conflicts AS (
    SELECT p.*, CASE p.role WHEN 'superior' THEN 'not above ' || p.ratee_id
                            WHEN 'subordinate' THEN 'not below ' || p.ratee_id
                            ELSE CASE WHEN p.above THEN 'above ' ELSE 'below ' END || p.ratee_id END AS why
    FROM placed p
    WHERE CASE p.role WHEN 'superior' THEN NOT p.above WHEN 'subordinate' THEN NOT p.below ELSE p.above OR p.below END
  )
  SELECT count(*),
         appraisal.health_examples(array_agg(format('%s rates %s in %s as %s, %s', rater_id, ratee_id, period, role, why)
                                             ORDER BY period, ratee_id, rater_id), count(*))
    INTO items, examples
    FROM conflicts;
  check_name := 'rater_role_conflicts'; severity := 'info';
  problem := format('%s 360 raters have a role the reporting lines contradict: their ratings count in that role''s group', items);
  fix := 'Correct appraisal.reviews_360.role (superior: above the ratee in the chain of managers; subordinate: below; peer: neither), or employees.manager_id if the chain is wrong, then refresh.';
  description := '360 ratings whose role disagrees with the chain of managers in appraisal.employees (appraisal.reporting_lines): a superior who is not above the ratee, a subordinate who is not below, a peer who is above or below. Only raters who are employees are checked; self and customer ratings never.';
  RETURN NEXT;

  check_name := 'thin_scorecards'; severity := 'thin';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    WITH scored AS (
      SELECT s.agent_id, s.period, s.tickets, s.responses, p.starts_on, p.ends_on,
             s.tickets < prm.min_tickets OR s.responses < prm.min_responses AS thin, prm.min_tickets, prm.min_responses
      FROM appraisal.agent_summaries s
      JOIN appraisal.periods p ON p.period = s.period
      CROSS JOIN appraisal.scorecard_parameters() prm
    )
    SELECT count(*) FILTER (WHERE thin) AS thin, count(*) AS all_rows,
           appraisal.health_examples(array_agg(format('%s %s (tickets %s, responses %s)', agent_id, period, tickets, responses)
                                               ORDER BY starts_on, ends_on, agent_id) FILTER (WHERE thin),
                                     count(*) FILTER (WHERE thin)) AS examples,
           (SELECT min_tickets FROM appraisal.scorecard_parameters()) AS min_tickets,
           (SELECT min_responses FROM appraisal.scorecard_parameters()) AS min_responses
      INTO more
      FROM scored;
    items := more.thin;
    problem := format('%s of %s agent scorecard rows have fewer than %s tickets or %s survey responses: graded ''insufficient data''',
                      items, more.all_rows, more.min_tickets, more.min_responses);
    examples := more.examples;
  END IF;
  fix := 'Expected early in a period; otherwise check that the agents'' tickets and survey responses are all loaded, or set min_tickets / min_responses lower in appraisal.settings if your volumes are small.';
  description := 'Rows of agent_scorecard (agent and period, every kind of period) with fewer than min_tickets tickets or min_responses survey responses: they are graded ''insufficient data'' and get no targets, flags or measured KPI values (docs/rules.md, "Too little evidence says so").';
  RETURN NEXT;

  check_name := 'suppressed_360_groups'; severity := 'thin';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    SELECT count(*),
           appraisal.health_examples(array_agg(format('%s %s (%s)', s.employee_id, s.period, s.suppressed_groups)
                                               ORDER BY p.starts_on, p.ends_on, s.employee_id), count(*))
      INTO items, examples
      FROM appraisal.scorecard_360 s
      JOIN appraisal.periods p ON p.period = s.period
     WHERE s.suppressed_groups IS NOT NULL;
    problem := format('%s 360 scorecards leave out a rater group with fewer raters than its anonymity threshold: the fallback weights apply', items);
  END IF;
  fix := 'Collect ratings from more raters of those groups (the standard scheme needs 3 peers and 3 subordinates), or accept the fallback weights.';
  description := 'Rows of scorecard_360 with a suppressed group (suppressed_groups): fewer raters than the weight scheme''s anonymity threshold, so the group is left out as if missing and the fixed fallback weights apply (docs/rules.md, "360-degree scores").';
  RETURN NEXT;

  check_name := 'kpis_without_results'; severity := 'thin';
  IF cardinality(unpopulated) > 0 THEN
    items := NULL; problem := not_checked; examples := NULL;
  ELSE
    WITH prm AS (
      SELECT (now() AT TIME ZONE report_time_zone)::date AS today FROM appraisal.scorecard_parameters()
    ), breakdown AS MATERIALIZED (
      SELECT b.employee_id, b.period, b.kpi, b.value FROM appraisal.kpi_breakdown b
    ), appraised AS (   -- ended periods of the position's cycle, outside probation, with something to appraise
      -- (tickets the employee answers for: an agent-day in the period of
      -- someone they answer for, what gives them a row of pooled_summaries
      -- (pooling responsibility), read without rolling up its figures:
      -- at 10M tickets 1.72-1.77 s for this check against 2.00-2.04 s)
      SELECT e.employee_id, e.position, p.period, p.starts_on
      FROM appraisal.employees e
      JOIN appraisal.position_cycles c ON c.position = e.position
      JOIN appraisal.periods p ON p.kind = c.cycle
      CROSS JOIN prm
      WHERE p.ends_on < prm.today AND NOT coalesce(e.probation_ends_on >= p.ends_on, false)
        AND ((e.employee_id, p.period) IN (SELECT employee_id, period FROM breakdown)
             OR (e.employee_id, p.period) IN (SELECT r.manager_id, s.period
                                                FROM (SELECT DISTINCT d.agent_id, q.period
                                                        FROM appraisal.agent_daily d
                                                        JOIN appraisal.periods q ON d.day BETWEEN q.starts_on AND q.ends_on) s
                                                JOIN appraisal.reporting_lines r ON r.employee_id = s.agent_id))
    ), missing AS (
      SELECT a.employee_id, a.period, a.starts_on, d.kpi,
             NOT EXISTS (SELECT 1 FROM breakdown b WHERE b.employee_id = a.employee_id AND b.period = a.period) AS valueless
      FROM appraised a
      JOIN appraisal.kpi_definitions d ON d.position = a.position
      LEFT JOIN breakdown b ON b.employee_id = a.employee_id AND b.period = a.period AND b.kpi = d.kpi
      WHERE b.value IS NULL
    )
    SELECT count(*) AS kpis, count(DISTINCT (employee_id, period)) AS appraisals,
           count(DISTINCT (employee_id, period)) FILTER (WHERE valueless) AS empty,
           appraisal.health_examples(array_agg(format('%s %s %s', employee_id, period, kpi) ORDER BY starts_on, employee_id, kpi),
                                     count(*)) AS examples
      INTO more
      FROM missing;
    items := more.kpis;
    problem := format('%s KPI values are missing in %s appraisals of ended periods (%s of them without any value, so without an overall_appraisal row): graded ''insufficient data''',
                      items, more.appraisals, more.empty);
    examples := more.examples;
  END IF;
  fix := 'Enter the manual KPIs in appraisal.kpi_results for the period of the KPI''s cycle; a KPI measured by the scorecards is missing while its evidence is below min_tickets / min_responses (see thin_scorecards).';
  description := 'KPIs defined for an employee''s position (appraisal.kpi_definitions) without a value in an appraisal of an ended period of the position''s cycle (outside probation) that has something to appraise (a KPI value, or tickets the employee answers for): the overall appraisal is graded ''insufficient data'', and without any value it has no row.';
  RETURN NEXT;

  SELECT count(*),
         appraisal.health_examples(array_agg(format('%s (%s)', v.run_id, v.validity) ORDER BY v.closed_on, v.run_id), count(*))
    INTO items, examples
    FROM appraisal.survey_validity v
   WHERE v.closed AND NOT v.is_valid;
  check_name := 'invalid_survey_runs'; severity := 'thin';
  problem := format('%s closed survey runs are invalid: none of their results counts', items);
  fix := 'Survey more of the customers in scope, or get more valid questionnaires back, in the next run (settings survey_min_coverage_percent, survey_min_valid_percent); a closed run''s results stay flagged.';
  description := 'Closed survey runs (appraisal.survey_validity) sent to too few of the customers in scope, or with too few valid questionnaires back: survey_results shows their results flagged, never counted (docs/rules.md, "Satisfaction survey").';
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION appraisal.check_data_health(boolean) IS
  'The checks of appraisal.check_data_health(); given summaries_recomputed true, in the transaction of refresh_scorecards() after it has recomputed every summary whole from the tables (the first time, with full true, after a crash; refused when the last refresh is not this transaction''s, and NULL refused): the days of tickets read from agent_daily, the summaries not compared with the data. For the extension''s owner, which refresh_scorecards runs as.';
REVOKE ALL ON FUNCTION appraisal.check_data_health(boolean) FROM PUBLIC;

CREATE FUNCTION appraisal.check_data_health()
RETURNS TABLE (check_name text, severity text, items bigint, problem text, examples text, fix text, description text)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
  SELECT * FROM appraisal.check_data_health(false);
END;
COMMENT ON FUNCTION appraisal.check_data_health() IS
  'The checks behind appraisal.data_health, one row per check in a fixed order, with the count found (NULL when not checked); problem and examples are meaningful only when items > 0. For members of appraisal_admin (runs as the extension''s owner: it reads every row).';
REVOKE ALL ON FUNCTION appraisal.check_data_health() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.check_data_health() TO appraisal_admin;

CREATE VIEW appraisal.data_health WITH (security_invoker = true) AS
SELECT h.check_name, h.severity,
       CASE WHEN h.items IS NULL THEN 'not checked' WHEN h.items > 0 THEN 'problem' ELSE 'ok' END AS status,
       h.items,
       CASE WHEN h.items IS NULL OR h.items > 0 THEN h.problem END AS problem,
       CASE WHEN h.items > 0 THEN h.examples END AS examples,
       h.fix, h.description
FROM appraisal.check_data_health() h;
COMMENT ON VIEW appraisal.data_health IS
  'What makes the scorecards empty, thin or out of date (docs/operations.md, "Data health"): one row per check, every check always listed, with its status, how many it found, examples, and the fix. Severity empty: scorecard rows are missing; stale: the summaries are older than the data; thin: rows are graded ''insufficient data'' or computed from less; info: computed, perhaps not as meant. refresh_scorecards() reports the problems it finds too. For members of appraisal_admin: it reads every row, whatever appraisal.scorecard_access says.';
COMMENT ON COLUMN appraisal.data_health.check_name IS 'Stable name of the check: summaries_not_populated, summaries_stale, tickets_outside_periods, tickets_without_sla_policy, employees_without_manager, rater_role_conflicts, thin_scorecards, suppressed_360_groups, kpis_without_results, invalid_survey_runs.';
COMMENT ON COLUMN appraisal.data_health.severity IS 'What the problem does to the scorecards: empty (rows missing), stale (older than the data), thin (graded ''insufficient data'' or computed from less), info (computed, perhaps not as meant).';
COMMENT ON COLUMN appraisal.data_health.status IS 'ok, problem, or not checked (the check reads the summaries, which have not been populated).';
COMMENT ON COLUMN appraisal.data_health.items IS 'How many the check found (the problem says of what: tickets, channel/priority pairs, employees, raters, scorecard rows, KPI values, runs, changes); 0 when ok, NULL when not checked.';
COMMENT ON COLUMN appraisal.data_health.problem IS 'The problem in one sentence, with its numbers and what it does to the scorecards; NULL when ok.';
COMMENT ON COLUMN appraisal.data_health.examples IS 'Up to five examples (days, pairs, employee codes, periods, runs), then how many more; NULL when ok.';
COMMENT ON COLUMN appraisal.data_health.fix IS 'What to do about it.';
COMMENT ON COLUMN appraisal.data_health.description IS 'What the check looks for and why it matters.';
GRANT SELECT ON appraisal.data_health TO appraisal_admin;
