-- appraisal install script, part 13: generate_demo_data, a realistic and
-- deterministic data set of any size for the demo, tests and benchmarks.

CREATE FUNCTION appraisal.demo_uniform(key text) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ('x' || substr(md5(key), 1, 13))::bit(52)::bigint / 4503599627370496.0;
COMMENT ON FUNCTION appraisal.demo_uniform(text) IS
  'A number in [0, 1) determined by the key (from its MD5): the repeatable randomness of generate_demo_data.';

CREATE FUNCTION appraisal.generate_demo_data(agents integer DEFAULT 24, tickets integer DEFAULT 20000,
                                             year integer DEFAULT NULL, replace boolean DEFAULT false)
RETURNS TABLE (table_name text, rows bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  y integer := coalesce(year, extract(year FROM now())::integer - 1);
  teams text[] := ARRAY['north', 'south', 'east'];
  t text;
BEGIN
  IF agents IS NULL OR agents < 3 OR agents > 100000 THEN
    RAISE EXCEPTION 'generate_demo_data needs 3 to 100000 agents, not %', coalesce(agents::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF tickets IS NULL OR tickets < 0 OR tickets > 1000000000 THEN
    RAISE EXCEPTION 'generate_demo_data needs 0 to 10^9 tickets, not %', coalesce(tickets::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF y < 1901 OR y > 2198 THEN
    RAISE EXCEPTION 'generate_demo_data needs a year from 1901 to 2198, not %', y
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT 1 FROM appraisal.employees) OR EXISTS (SELECT 1 FROM appraisal.periods)
     OR EXISTS (SELECT 1 FROM appraisal.settings) OR EXISTS (SELECT 1 FROM appraisal.sla_policies)
     OR EXISTS (SELECT 1 FROM appraisal.kpi_definitions) THEN
    IF NOT replace THEN
      RAISE EXCEPTION 'the appraisal tables already hold data'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'generate_demo_data(replace => true) deletes every row of employees, periods, settings, sla_policies, tickets, survey_responses, reviews_360, kpi_definitions and kpi_results first.';
    END IF;
    DELETE FROM appraisal.kpi_results;
    DELETE FROM appraisal.kpi_definitions;
    DELETE FROM appraisal.reviews_360;
    DELETE FROM appraisal.survey_responses;
    DELETE FROM appraisal.tickets;
    DELETE FROM appraisal.sla_policies;
    DELETE FROM appraisal.periods;
    UPDATE appraisal.employees SET manager_id = NULL;
    DELETE FROM appraisal.employees;
    DELETE FROM appraisal.settings;
  END IF;
  DELETE FROM appraisal.business_calendars WHERE name = 'demo_cn_office';

  -- A Shanghai office: lunch break, New Year, Labour Day and National Day off
  -- (2026 also has its make-up workdays).
  INSERT INTO appraisal.business_calendars (name, calendar, description)
  VALUES ('demo_cn_office',
          format('Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays %1$s-01-01, %1$s-05-01..%1$s-05-05, %1$s-10-01..%1$s-10-07%2$s',
                 y, CASE WHEN y = 2026 THEN '; workdays 2026-09-27, 2026-10-10' ELSE '' END)::appraisal.business_calendar,
          'Demo office of generate_demo_data');
  -- (spikes: at the demo's volumes a week needs 20 complaints in a category)
  INSERT INTO appraisal.settings (name, value) VALUES ('report_time_zone', 'Asia/Shanghai'), ('spike_min_complaints', '20');
  PERFORM appraisal.add_periods(y - 1);
  PERFORM appraisal.add_periods(y);
  INSERT INTO appraisal.sla_policies (metric, channel, priority, target, calendar, description) VALUES
    ('first_response', 'phone', NULL, '4 hours', 'demo_cn_office', 'Phone: call back within 4 working hours'),
    ('first_response', NULL, NULL, '24 hours', '24x7', 'Respond within 24 h (DOMAIN §5)'),
    ('resolution', NULL, NULL, '3 days', 'demo_cn_office', 'Resolve within 3 working days'),
    ('resolution', NULL, 'high', '48 hours', '24x7', 'High priority: resolve within 48 h (DOMAIN §4)');

  -- People: a service manager, a supervisor per team, the agents spread over
  -- the teams; skill in [0.15, 1) drives every measure of an agent.
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  VALUES ('M01', 'Wang Fang', 'manager', 'service centre', NULL);
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  SELECT format('S%s', i), (ARRAY['Li Na', 'Zhang Wei', 'Liu Yang'])[i], 'supervisor', teams[i], 'M01'
  FROM generate_series(1, 3) i;
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  SELECT format('A%s', lpad(i::text, 3, '0')),
         (ARRAY['Chen', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo', 'He', 'Lin', 'Gao', 'Luo'])[1 + (i - 1) % 15]
         || ' ' || (ARRAY['Jing', 'Lei', 'Min', 'Jie', 'Tao', 'Yan', 'Qiang', 'Hui', 'Bo', 'Xin', 'Ping'])[1 + (i - 1) / 15 % 11]
         || CASE WHEN i > 165 THEN ' ' || i ELSE '' END,
         'specialist', teams[1 + (i - 1) % 3], format('S%s', 1 + (i - 1) % 3)
  FROM generate_series(1, agents) i;
  CREATE TEMP TABLE demo_skill ON COMMIT DROP AS
  SELECT employee_id, 0.15 + 0.85 * appraisal.demo_uniform('skill' || employee_id) AS skill
  FROM appraisal.employees;
  UPDATE demo_skill SET skill = 0.99 WHERE employee_id = 'A001';   -- a star
  UPDATE demo_skill SET skill = 0.2 WHERE employee_id = 'A002';    -- needs help
  ANALYZE demo_skill;

  -- Tickets over the year, mostly in office hours on working days; a few
  -- categories carry most complaints, and delivery spikes in early November.
  INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority,
                                 category, complaint, cause, customer_id, agent_id, pauses)
  SELECT format('T%s', lpad(g.i::text, 8, '0')), o.opened,
         o.opened + fr.delay,
         CASE WHEN appraisal.demo_uniform(g.i || ':open') > 0.02 THEN o.opened + fr.delay + rs.delay + coalesce(upper(p.pause) - lower(p.pause), interval '0') END,
         CASE WHEN appraisal.demo_uniform(g.i || ':open') > 0.02 THEN
           CASE WHEN appraisal.demo_uniform(g.i || ':contacts') < 0.55 + 0.4 * a.skill THEN 1 ELSE 2 + (appraisal.demo_uniform(g.i || ':more') * 3)::int END END,
         c.channel, CASE WHEN appraisal.demo_uniform(g.i || ':prio') < 0.1 THEN 'high' WHEN appraisal.demo_uniform(g.i || ':prio') < 0.2 THEN 'low' ELSE 'normal' END,
         c.category, cp.complaint,
         CASE WHEN cp.complaint THEN CASE WHEN appraisal.demo_uniform(g.i || ':cause') < 0.6 THEN 'service' WHEN appraisal.demo_uniform(g.i || ':cause') < 0.9 THEN 'system' END END,
         format('C%s', (appraisal.demo_uniform(g.i || ':customer') * greatest(tickets / 3, 1))::int),
         a.employee_id, p.pause
  FROM generate_series(1, tickets) g(i)
  CROSS JOIN LATERAL (SELECT employee_id, skill FROM demo_skill
                      WHERE employee_id = format('A%s', lpad((1 + (appraisal.demo_uniform(g.i || ':agent') * agents)::int % agents)::text, 3, '0'))) a
  CROSS JOIN LATERAL (
    SELECT CASE WHEN appraisal.demo_uniform(g.i || ':when') < 0.85   -- office hours on a working day, else any time
                THEN (d.day + time '09:00' + appraisal.demo_uniform(g.i || ':hour') * interval '9 hours') AT TIME ZONE 'Asia/Shanghai'
                ELSE (make_date(y, 1, 1) + appraisal.demo_uniform(g.i || ':any') * interval '365 days') AT TIME ZONE 'Asia/Shanghai' END AS opened
    FROM (SELECT CASE WHEN extract(isodow FROM d0) > 5 THEN d0 + (8 - extract(isodow FROM d0))::int ELSE d0 END AS day
            FROM (SELECT make_date(y, 1, 1) + (appraisal.demo_uniform(g.i || ':day') * 358)::int AS d0) d0) d) o
  CROSS JOIN LATERAL (
    SELECT (ARRAY['phone', 'phone', 'phone', 'email', 'email', 'web', 'web', 'social'])[1 + (appraisal.demo_uniform(g.i || ':channel') * 8)::int % 8] AS channel,
           CASE WHEN appraisal.demo_uniform(g.i || ':cat') < 0.35 THEN 'installation' WHEN appraisal.demo_uniform(g.i || ':cat') < 0.60 THEN 'delivery'
                WHEN appraisal.demo_uniform(g.i || ':cat') < 0.75 THEN 'billing' WHEN appraisal.demo_uniform(g.i || ':cat') < 0.85 THEN 'product defect'
                WHEN appraisal.demo_uniform(g.i || ':cat') < 0.92 THEN 'spare parts' WHEN appraisal.demo_uniform(g.i || ':cat') < 0.97 THEN 'warranty' ELSE 'other' END AS category) c
  CROSS JOIN LATERAL (
    SELECT appraisal.demo_uniform(g.i || ':complaint') < CASE WHEN c.category = 'delivery' AND o.opened >= make_date(y, 11, 2) AND o.opened < make_date(y, 11, 16)
                                      THEN 0.6
                                      ELSE CASE c.category WHEN 'installation' THEN 0.25 WHEN 'delivery' THEN 0.2 WHEN 'product defect' THEN 0.3
                                                           ELSE 0.06 END * (1.6 - a.skill) END AS complaint) cp
  -- waiting times: exponential, longer for weaker agents; phone answered faster
  CROSS JOIN LATERAL (
    SELECT -ln(1 - appraisal.demo_uniform(g.i || ':fr')) * CASE c.channel WHEN 'phone' THEN 0.4 + 4 * (1 - a.skill) ELSE 1 + 14 * (1 - a.skill) END
           * interval '1 hour' AS delay) fr
  CROSS JOIN LATERAL (
    SELECT -ln(1 - appraisal.demo_uniform(g.i || ':res')) * (6 + 50 * (1 - a.skill)) * interval '1 hour' AS delay) rs
  CROSS JOIN LATERAL (
    SELECT CASE WHEN appraisal.demo_uniform(g.i || ':pause') < 0.05
                THEN tstzmultirange(tstzrange(o.opened + fr.delay, o.opened + fr.delay + (4 + appraisal.demo_uniform(g.i || ':plen') * 20) * interval '1 hour')) END AS pause) p;

  -- Surveys: 40 % of resolved tickets; ratings lean to the extremes (1 and 5);
  -- some tickets also got an SMS, which the web or call-back answer beats.
  INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
  SELECT t.ticket_id, s.source, t.resolved_at + interval '1 day' * (0.1 + appraisal.demo_uniform(t.ticket_id || ':sday')), s.rating
  FROM appraisal.tickets t
  JOIN demo_skill a ON a.employee_id = t.agent_id
  CROSS JOIN LATERAL (
    SELECT CASE WHEN appraisal.demo_uniform(t.ticket_id || ':src') < 0.5 THEN 'web' WHEN appraisal.demo_uniform(t.ticket_id || ':src') < 0.65 THEN 'call_back' ELSE 'sms' END AS source,
           CASE WHEN appraisal.demo_uniform(t.ticket_id || ':sat') < 0.45 + 0.5 * a.skill
                THEN CASE WHEN appraisal.demo_uniform(t.ticket_id || ':five') < 0.75 THEN 5 ELSE 4 END
                ELSE (ARRAY[1, 1, 1, 2, 2, 3, 3])[1 + (appraisal.demo_uniform(t.ticket_id || ':low') * 7)::int % 7] END AS rating
    UNION ALL   -- a duplicate SMS for one in ten
    SELECT 'sms', 1 + (appraisal.demo_uniform(t.ticket_id || ':dup') * 5)::int % 5
    WHERE appraisal.demo_uniform(t.ticket_id || ':hasdup') < 0.1 AND appraisal.demo_uniform(t.ticket_id || ':src') < 0.65) s
  WHERE t.resolved_at IS NOT NULL AND appraisal.demo_uniform(t.ticket_id || ':surveyed') < 0.4;

  -- 360 reviews every quarter of the year: superiors, three peers of the team
  -- (for one ratee in eight none), subordinates; three dimensions each.
  INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, dimension, score)
  SELECT p.period, r.ratee, r.rater, r.role::appraisal.rater_role, dim,
         round(least(100, greatest(0, 55 + 40 * s.skill + 16 * (appraisal.demo_uniform(p.period || r.ratee || r.rater || dim || ':score') - 0.5)))::numeric, 1)
  FROM appraisal.periods p
  CROSS JOIN LATERAL (
    SELECT e.employee_id AS ratee, coalesce(e.manager_id, 'director') AS rater, 'superior' AS role FROM appraisal.employees e
    UNION ALL
    SELECT ratee, rater, 'peer' FROM (   -- three peers of the same team (specialists) or position
      SELECT e.employee_id AS ratee, o.employee_id AS rater,
             row_number() OVER (PARTITION BY e.employee_id
                                ORDER BY appraisal.demo_uniform(p.period || e.employee_id || o.employee_id || ':peer')) AS n
      FROM appraisal.employees e
      JOIN appraisal.employees o ON o.position = e.position AND o.employee_id <> e.employee_id
                                AND (e.position <> 'specialist' OR o.team = e.team)
      WHERE e.position <> 'manager' AND appraisal.demo_uniform(p.period || e.employee_id || ':nopeers') >= 1.0 / 8) pr
    WHERE n <= 3
    UNION ALL
    SELECT e.manager_id, e.employee_id, 'subordinate' FROM appraisal.employees e
    WHERE e.position = 'supervisor' OR (e.position = 'specialist' AND appraisal.demo_uniform(p.period || e.employee_id || ':sub') < 4.0 / greatest(agents / 3, 4))
  ) r
  JOIN demo_skill s ON s.employee_id = r.ratee
  CROSS JOIN unnest(ARRAY['attitude', 'skills', 'teamwork']) dim
  WHERE p.kind = 'quarter' AND p.starts_on >= make_date(y, 1, 1);

  INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source, description) VALUES
    ('specialist', 'first response', 40, 60, 100, 'first_response_compliance', 'First-response SLA compliance, %'),
    ('specialist', 'satisfaction', 30, 50, 100, 'csat', 'CSAT, %'),
    ('specialist', '360 review', 20, 60, 100, 'score_360', '360 composite'),
    ('specialist', 'knowledge test', 10, 60, 100, 'manual', 'Quarterly product-knowledge test'),
    ('supervisor', 'team composite', 40, 50, 100, 'complaint_composite', 'Closed-loop complaint composite of the team'),
    ('supervisor', 'recurrence', 20, 20, 0, 'recurrence_rate', 'Recurrence rate of the team, % (reversed)'),
    ('supervisor', '360 review', 20, 60, 100, 'score_360', '360 composite'),
    ('supervisor', 'team management', 20, 0, 100, 'manual', 'Managed by the service manager'),
    ('manager', 'satisfaction', 40, 50, 100, 'csat', 'CSAT of the service centre, %'),
    ('manager', 'composite', 30, 50, 100, 'complaint_composite', 'Closed-loop complaint composite of the service centre'),
    ('manager', 'management', 30, 0, 100, 'manual', 'Cost control and management improvement (DOMAIN §7)');
  INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value)
  SELECT p.period, e.employee_id,
         CASE e.position WHEN 'specialist' THEN 'knowledge test' WHEN 'supervisor' THEN 'team management' ELSE 'management' END,
         round(least(100, 50 + 50 * s.skill + 10 * (appraisal.demo_uniform(p.period || e.employee_id || ':manual') - 0.5))::numeric, 1)
  FROM appraisal.employees e
  JOIN demo_skill s USING (employee_id)
  JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
                          AND p.starts_on >= make_date(y, 1, 1);

  PERFORM appraisal.refresh_scorecards();
  FOREACH t IN ARRAY ARRAY['employees', 'periods', 'sla_policies', 'tickets', 'survey_responses', 'reviews_360',
                           'kpi_definitions', 'kpi_results'] LOOP
    table_name := t;
    EXECUTE format('SELECT count(*) FROM appraisal.%I', t) INTO rows;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.generate_demo_data(integer, integer, integer, boolean) IS
  'Fills the appraisal tables with a realistic, repeatable demo data set and refreshes the scorecards: a service manager, three team supervisors and the given number of agents of varied skill; the periods of the year before and of year (default: last year); a Shanghai office calendar with holidays and SLA policies on it; tickets in office hours over the year with skewed categories, complaints (a delivery spike in early November), repeat customers and pauses; surveys leaning to extreme ratings with duplicate SMS; quarterly 360 reviews with some missing peer groups; KPI definitions and manual results. Refuses to touch tables holding data unless replace is true. Returns the rows per table.';
