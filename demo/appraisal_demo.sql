\echo Use "CREATE EXTENSION appraisal_demo" to load this file. \quit
-- appraisal_demo: generate_demo_data, a realistic and deterministic data set
-- of any size for the demo, tests and benchmarks.  An extension of its own,
-- installed into the schema of appraisal (whose version it must match), so
-- that a production database never carries a function that replaces the rows
-- of every table: CREATE EXTENSION appraisal_demo where you want it.
--
-- Every random choice is a hash of a key: demo_uniform(ticket number, stream)
-- with one stream per attribute, or, for the small tables, of the first 32
-- bits of the MD5 of a text key.  So the same arguments give the same rows on
-- any machine and in any plan order.  Everything is set-based (INSERT ...
-- SELECT over generate_series): no row loops.

-- The generator writes the tables of one version of appraisal, the version
-- appraisal_demo has: checked when it is created and each time it runs (an
-- update of appraisal alone would leave it writing the old tables).
CREATE FUNCTION appraisal.demo_check_version() RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  demo text := (SELECT extversion FROM pg_extension WHERE extname = 'appraisal_demo');
  base text := (SELECT extversion FROM pg_extension WHERE extname = 'appraisal');
BEGIN
  IF demo IS DISTINCT FROM base THEN
    RAISE EXCEPTION 'appraisal_demo % fills the tables of appraisal %, but appraisal is %', demo, demo, base
      USING ERRCODE = 'feature_not_supported',
            HINT = 'Update both to the same version: ALTER EXTENSION appraisal UPDATE; ALTER EXTENSION appraisal_demo UPDATE;';
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.demo_check_version() IS
  'Raises an error unless appraisal_demo and appraisal have the same version: generate_demo_data fills the tables of that version.';
SELECT appraisal.demo_check_version();

CREATE FUNCTION appraisal.demo_uniform(key bigint, stream integer) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (hashint8extended(key, stream) & 9007199254740991)::double precision / 9007199254740992::double precision;
COMMENT ON FUNCTION appraisal.demo_uniform(bigint, integer) IS
  'A number in [0, 1) determined by the key and the stream (53 bits of hashint8extended(key, stream); keys below 2^32 give independent numbers): the repeatable randomness of generate_demo_data, one stream per attribute.';

CREATE FUNCTION appraisal.generate_demo_data(agents integer DEFAULT 24, tickets integer DEFAULT 20000,
                                             year integer DEFAULT NULL, replace boolean DEFAULT false)
RETURNS TABLE (table_name text, rows bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  zone constant text := 'Asia/Shanghai';
  this_year constant integer := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer;
  y constant integer := coalesce(year, this_year - 1);
  y_start constant timestamptz := make_date(y, 1, 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
  -- tickets arrive in [y_start, y_stop): the year, or the part of it that has passed
  y_stop constant timestamptz := least(make_date(y + 1, 1, 1)::timestamp AT TIME ZONE 'Asia/Shanghai', now());
  team_names constant text[] := ARRAY['north', 'south', 'east', 'west', 'central', 'online'];
  surnames constant text[] := ARRAY['Chen', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu',
                                    'Guo', 'He', 'Lin', 'Gao', 'Luo', 'Zheng', 'Liang', 'Xie', 'Song', 'Tang'];
  given_names constant text[] := ARRAY['Jing', 'Lei', 'Min', 'Jie', 'Tao', 'Yan', 'Qiang', 'Hui', 'Bo', 'Xin',
                                       'Ping', 'Hao', 'Ying', 'Jun', 'Fei', 'Lan', 'Yu', 'Chao', 'Mei', 'Kai'];
  n_teams integer;
  width integer;          -- digits of an agent number
  s_width integer;        -- digits of a supervisor number
  cal appraisal.business_calendar;
  days date[];            -- the working days tickets arrive on, Mondays and days after a break repeated
  rush_from date := make_date(y, 11, 11);                            -- Double 11 deliveries
  outage_from date := date_trunc('week', make_date(y, 3, 20))::date;  -- a billing-system outage week
  n_comebacks integer;
  n_base integer;
  t text;
BEGIN
  PERFORM appraisal.demo_check_version();
  -- On a distributed installation (appraisal.distribute) it writes reference
  -- tables after reading the tickets' shards: one connection per node, as
  -- Citus requires of such a transaction
  IF appraisal.distributed() THEN
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  END IF;
  IF agents IS NULL OR agents < 3 OR agents > 100000 THEN
    RAISE EXCEPTION 'generate_demo_data needs 3 to 100000 agents, not %', coalesce(agents::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF tickets IS NULL OR tickets < 0 OR tickets > 100000000 THEN
    RAISE EXCEPTION 'generate_demo_data needs 0 to 100000000 tickets, not %', coalesce(tickets::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF y < 1901 OR y > this_year THEN
    RAISE EXCEPTION 'generate_demo_data needs a year from 1901 to %, not %', this_year, y
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Tickets of a year that has not begun would lie in the future.';
  END IF;
  IF EXISTS (SELECT 1 FROM appraisal.employees) OR EXISTS (SELECT 1 FROM appraisal.periods)
     OR EXISTS (SELECT 1 FROM appraisal.settings) OR EXISTS (SELECT 1 FROM appraisal.sla_policies)
     OR EXISTS (SELECT 1 FROM appraisal.kpi_definitions) OR EXISTS (SELECT 1 FROM appraisal.customers)
     OR EXISTS (SELECT 1 FROM appraisal.delivery_batches) OR EXISTS (SELECT 1 FROM appraisal.providers)
     OR EXISTS (SELECT 1 FROM appraisal.sales_companies) THEN
    IF NOT replace THEN
      RAISE EXCEPTION 'the appraisal tables already hold data'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'generate_demo_data(replace => true) deletes every row of employees, periods, settings, sla_policies, tickets, survey_responses, call_backs, quality_inspections, reviews_360, kpi_definitions, kpi_results, customers, customer_figures, customer_credit, survey_runs (with customer_surveys and customer_survey_answers), delivery_batches (with deliveries and defect_reports), providers (with provider_events and provider_orders; a provider with a status history stops it), sales_companies and sales_company_feedback first.';
    END IF;
    -- appeals, publications, improvement periods and providers' standing are
    -- histories: never deleted, so demo data cannot replace them
    IF EXISTS (SELECT 1 FROM appraisal.appeals) OR EXISTS (SELECT 1 FROM appraisal.publications)
       OR EXISTS (SELECT 1 FROM appraisal.improvement_periods) OR EXISTS (SELECT 1 FROM appraisal.provider_status_history) THEN
      RAISE EXCEPTION 'the appraisal tables hold histories (appeals, publications, improvement periods or providers'' standing) that are never deleted'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'Generate demo data in a database of its own (CREATE DATABASE ...; CREATE EXTENSION appraisal_demo CASCADE).';
    END IF;
    -- (DELETE, not TRUNCATE: the appeals' foreign key on tickets, empty as it is, forbids truncating them alone)
    DELETE FROM appraisal.survey_responses;
    DELETE FROM appraisal.call_backs;
    DELETE FROM appraisal.quality_inspections;
    DELETE FROM appraisal.tickets;
    DELETE FROM appraisal.kpi_results;
    DELETE FROM appraisal.kpi_definitions;
    DELETE FROM appraisal.reviews_360;
    DELETE FROM appraisal.sla_policies;
    DELETE FROM appraisal.survey_runs;   -- with their questionnaires sent and answers
    DELETE FROM appraisal.delivery_batches;   -- with their deliveries and defect reports
    DELETE FROM appraisal.provider_events;
    DELETE FROM appraisal.provider_orders;
    DELETE FROM appraisal.sales_company_feedback;
    UPDATE appraisal.employees SET provider_id = NULL;
    DELETE FROM appraisal.providers;
    DELETE FROM appraisal.sales_companies;
    DELETE FROM appraisal.customer_credit;
    DELETE FROM appraisal.customer_figures;
    DELETE FROM appraisal.customers;
    DELETE FROM appraisal.periods;
    UPDATE appraisal.employees SET manager_id = NULL;
    DELETE FROM appraisal.employees;
    DELETE FROM appraisal.settings;
  END IF;

  -- A Shanghai office with a lunch break.  2025 has the official public
  -- holidays and make-up workdays (调休); other years only the fixed-date ones.
  cal := (zone || '; Mon-Fri 09:00-12:00,13:00-18:00; '
          || CASE WHEN y = 2025
                  THEN 'holidays 2025-01-01, 2025-01-28..2025-02-04, 2025-04-04..2025-04-06, 2025-05-01..2025-05-05, '
                       '2025-05-31..2025-06-02, 2025-10-01..2025-10-08; '
                       'workdays 2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11'
                  ELSE format('holidays %1$s-01-01, %1$s-05-01..%1$s-05-05, %1$s-10-01..%1$s-10-07', y) END
         )::appraisal.business_calendar;
  DELETE FROM appraisal.business_calendars WHERE name = 'demo_cn_office';
  INSERT INTO appraisal.business_calendars (name, calendar, description)
  VALUES ('demo_cn_office', cal, 'Demo office of generate_demo_data: Shanghai, Mon-Fri 09:00-18:00 with a lunch break, public holidays');

  -- Days are read in Shanghai; spikes need 25 complaints a week at the default size
  -- (fewer would let chance weeks of the biggest category through).
  INSERT INTO appraisal.settings (name, value)
  VALUES ('report_time_zone', zone), ('spike_min_complaints', greatest(5, least(50, tickets / 800))::text);
  PERFORM appraisal.add_periods(y);

  INSERT INTO appraisal.sla_policies (metric, channel, priority, target, calendar, description) VALUES
    ('first_response', 'phone', NULL, '4 hours', 'demo_cn_office', 'Phone: call back within 4 working hours'),
    ('first_response', 'email', NULL, '24 hours', '24x7', 'E-mail: answer within 24 hours (docs/rules.md, "Service levels")'),
    ('first_response', 'social', NULL, '2 hours', 'demo_cn_office', 'Social media: answer within 2 working hours (speed, docs/rules.md, "Complaint handling")'),
    ('first_response', NULL, NULL, '1 day', 'demo_cn_office', 'Other channels: answer within one working day'),
    ('resolution', NULL, NULL, '3 days', 'demo_cn_office', 'Resolve within 3 working days (docs/rules.md, "Complaint handling")'),
    ('resolution', NULL, 'high', '48 hours', '24x7', 'High priority: resolve within 48 hours (docs/rules.md, "Complaint handling")');

  -- People: a service manager, a supervisor per team of about eight, the
  -- agents spread over the teams.  skill drives every measure of a person.
  n_teams := greatest(1, round(agents / 8.0)::integer);
  width := greatest(3, length(agents::text));
  s_width := length(n_teams::text) + 1;
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  VALUES ('M01', 'Wang Fang', 'manager', 'service centre', NULL);
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  SELECT format('S%s', lpad(k::text, s_width, '0')),
         coalesce((ARRAY['Li Na', 'Zhang Wei', 'Liu Yang'])[k],
                  surnames[1 + (agents + k - 1) % 20] || ' ' || given_names[1 + ((agents + k - 1) % 20 + (agents + k - 1) / 20) % 20]
                  || CASE WHEN agents + k > 400 THEN ' ' || ((agents + k - 1) / 400 + 1) ELSE '' END),
         'supervisor', coalesce(team_names[k], 'team ' || k), 'M01'
  FROM generate_series(1, n_teams) k;
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  SELECT format('A%s', lpad(i::text, width, '0')),
         surnames[1 + (i - 1) % 20] || ' ' || given_names[1 + ((i - 1) % 20 + (i - 1) / 20) % 20]
         || CASE WHEN i > 400 THEN ' ' || ((i - 1) / 400 + 1) ELSE '' END,
         'specialist', coalesce(team_names[1 + (i - 1) % n_teams], 'team ' || 1 + (i - 1) % n_teams),
         format('S%s', lpad((1 + (i - 1) % n_teams)::text, s_width, '0'))
  FROM generate_series(1, agents) i;

  IF to_regclass('pg_temp.demo_staff') IS NOT NULL THEN   -- a second call in one transaction
    DROP TABLE pg_temp.demo_staff;
  END IF;
  CREATE TEMP TABLE demo_staff ON COMMIT DROP AS
  SELECT e.employee_id, e.position, e.team,
         CASE WHEN e.position = 'specialist' THEN substr(e.employee_id, 2)::integer END AS k,
         CASE e.employee_id WHEN 'A' || lpad('1', width, '0') THEN 0.97     -- a star
                            WHEN 'A' || lpad('2', width, '0') THEN 0.2      -- needs help
                            WHEN 'M01' THEN 0.8
              ELSE CASE e.position   -- most agents good, a few weak
                     WHEN 'specialist' THEN 1 - 0.85 * power(appraisal.demo_uniform(('x' || left(md5('skill/' || e.employee_id), 8))::bit(32)::bigint, 0), 3)
                     ELSE 0.45 + 0.5 * appraisal.demo_uniform(('x' || left(md5('skill/' || e.employee_id), 8))::bit(32)::bigint, 0) END
         END AS skill
  FROM appraisal.employees e;
  CREATE UNIQUE INDEX ON demo_staff (k);
  ANALYZE demo_staff;

  -- The tickets are made in a temporary table first (demo_made), each with
  -- its seed i, which every random draw about it takes: the comebacks need
  -- the first tickets' handling.  Then, as a ticket system does, they are
  -- numbered in the order they were opened and stored in that order
  -- (demo_tickets keeps them with their seeds for the statements below,
  -- which also join them with other temporary tables: Citus refuses such
  -- joins with the shards).  Stored in the order of their seeds, a day's
  -- tickets would lie all over the table, as no real one's do.
  IF to_regclass('pg_temp.demo_made') IS NOT NULL THEN
    DROP TABLE pg_temp.demo_made;
  END IF;
  IF to_regclass('pg_temp.demo_tickets') IS NOT NULL THEN
    DROP TABLE pg_temp.demo_tickets;
  END IF;
  CREATE TEMP TABLE demo_made ON COMMIT DROP AS
  SELECT 0::bigint AS i, t.opened_at, t.first_response_at, t.resolved_at, t.contacts, t.channel, t.priority,
         t.category, t.complaint, t.cause, t.customer_id, t.agent_id, t.pauses
  FROM appraisal.tickets t WITH NO DATA;

  -- The working days, weighted: Mondays and the first day after a break of
  -- more than a weekend carry the backlog.  Only whole days that have passed.
  SELECT array_agg(d ORDER BY d, r) INTO days
  FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
          FROM generate_series(make_date(y, 1, 1), make_date(y, 12, 31), interval '1 day') g(ts)
          CROSS JOIN LATERAL (SELECT g.ts::date AS d) x
         WHERE appraisal.business_elapsed(d::timestamp AT TIME ZONE zone, (d + 1)::timestamp AT TIME ZONE zone, cal) > interval '0'
           AND (d + 1)::timestamp AT TIME ZONE zone <= y_stop) w
  CROSS JOIN generate_series(1, CASE WHEN w.d - w.prev > 3 THEN 4 WHEN extract(isodow FROM w.d) = 1 THEN 3 ELSE 2 END) r;
  IF days IS NULL THEN
    RAISE EXCEPTION 'no working day of % has passed yet', y
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass an earlier year.';
  END IF;

  -- Tickets in two rounds through one temporary table of arrivals: first
  -- the customers' first contacts, then the comebacks of some of them, which
  -- need the first ticket's resolution.  Six in a hundred tickets are
  -- comebacks, most of them in the same category within the repeat window
  -- (a recurrence), more often after a weak agent, several contacts or a
  -- complaint.
  n_comebacks := tickets * 6 / 100;
  n_base := tickets - n_comebacks;
  IF to_regclass('pg_temp.demo_arrivals') IS NOT NULL THEN
    DROP TABLE pg_temp.demo_arrivals;
  END IF;
  CREATE TEMP TABLE demo_arrivals (i bigint, opened_at timestamptz, channel text, priority text, category text,
                                   complaint boolean, cause text, customer_id text, agent_id text,
                                   skill double precision) ON COMMIT DROP;
  FOR step IN 1 .. 2 LOOP
    TRUNCATE demo_arrivals;
    IF step = 1 THEN
      -- 88 % in office hours of a working day (phone, e-mail, web, social),
      -- 12 % at any time of the year (online channels only).  A few
      -- categories carry most complaints; the complaints caused by company
      -- policy or systems do not depend on the agent, the service-caused ones
      -- do.  Delivery complaints spike for two weeks after Double 11 and
      -- billing ones in a week of a billing-system outage in March (both
      -- mostly system-caused).
      INSERT INTO demo_arrivals
      SELECT g.i, o.opened_at, o.channel,
             CASE WHEN c.complaint THEN CASE WHEN appraisal.demo_uniform(g.i, 9) < 0.4 THEN 'high' ELSE 'normal' END
                  WHEN appraisal.demo_uniform(g.i, 9) < 0.05 THEN 'high'
                  WHEN appraisal.demo_uniform(g.i, 9) < 0.2 THEN 'low' ELSE 'normal' END,
             c.category, c.complaint,
             CASE WHEN c.complaint AND appraisal.demo_uniform(g.i, 10) >= 0.07 THEN
               CASE WHEN appraisal.demo_uniform(g.i, 11) * c.p_total < c.p_service THEN 'service' ELSE 'system' END END,
             'C' || lpad(floor(appraisal.demo_uniform(g.i, 12) * greatest(tickets / 3, 10))::text, 7, '0'),
             a.employee_id, a.skill
      FROM generate_series(1, n_base) g(i)
      JOIN demo_staff a ON a.k = 1 + floor(appraisal.demo_uniform(g.i, 1) * agents)::integer
      CROSS JOIN LATERAL (
        SELECT x.opened_at, (x.opened_at AT TIME ZONE zone)::date AS day,
               CASE WHEN x.office THEN
                      CASE WHEN appraisal.demo_uniform(g.i, 5) < 0.45 THEN 'phone' WHEN appraisal.demo_uniform(g.i, 5) < 0.65 THEN 'email'
                           WHEN appraisal.demo_uniform(g.i, 5) < 0.87 THEN 'web' ELSE 'social' END
                    ELSE CASE WHEN appraisal.demo_uniform(g.i, 5) < 0.45 THEN 'web' WHEN appraisal.demo_uniform(g.i, 5) < 0.8 THEN 'email'
                              ELSE 'social' END END AS channel
        FROM (SELECT appraisal.demo_uniform(g.i, 2) >= 0.12 AS office,
                     CASE WHEN appraisal.demo_uniform(g.i, 2) >= 0.12
                          THEN (days[1 + floor(appraisal.demo_uniform(g.i, 3) * cardinality(days))::integer] + time '09:00'
                                + round(9 * 3600 * power(appraisal.demo_uniform(g.i, 4), 1.25)) * interval '1 second') AT TIME ZONE zone
                          ELSE y_start + floor(appraisal.demo_uniform(g.i, 3) * extract(epoch FROM y_stop - y_start)) * interval '1 second'
                     END AS opened_at) x
        OFFSET 0) o
      CROSS JOIN LATERAL (
        SELECT k.category, k.p_service, k.p_total, appraisal.demo_uniform(g.i, 8) < k.p_total AS complaint
        FROM (SELECT k0.category, k0.p_service * (1.6 - a.skill) AS p_service,
                     k0.p_service * (1.6 - a.skill) + k0.p_system
                     + CASE WHEN k0.category = 'delivery' AND o.day BETWEEN rush_from AND rush_from + 13 THEN 0.3
                            WHEN k0.category = 'billing' AND o.day BETWEEN outage_from AND outage_from + 4 THEN 0.5
                            ELSE 0 END AS p_total
                FROM (SELECT CASE WHEN o.day BETWEEN rush_from AND rush_from + 13 AND appraisal.demo_uniform(g.i, 6) < 0.3 THEN 'delivery'
                                  WHEN o.day BETWEEN outage_from AND outage_from + 4 AND appraisal.demo_uniform(g.i, 6) < 0.25 THEN 'billing'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.30 THEN 'installation'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.52 THEN 'delivery'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.66 THEN 'billing'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.78 THEN 'product defect'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.87 THEN 'spare parts'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.94 THEN 'warranty'
                                  ELSE 'other' END AS category) kc
                JOIN (VALUES ('installation', 0.10, 0.03), ('delivery', 0.05, 0.04), ('billing', 0.02, 0.03),
                             ('product defect', 0.03, 0.12), ('spare parts', 0.02, 0.03), ('warranty', 0.02, 0.05),
                             ('other', 0.02, 0.01)) k0(category, p_service, p_system) USING (category)) k
        OFFSET 0) c;
    ELSE
      -- The comebacks: a weighted sample without replacement (the smallest
      -- -ln(u) / weight), back after a working day or two, some much later;
      -- phoned in more often, to the same agent more often than not.
      INSERT INTO demo_arrivals
      SELECT n_base + row_number() OVER (ORDER BY b.draw, b.i), b.opened_at,
             CASE WHEN appraisal.demo_uniform(b.i, 42) < 0.6 THEN 'phone' ELSE b.channel END,
             CASE WHEN b.complaint AND appraisal.demo_uniform(b.i, 43) < 0.5 THEN 'high' ELSE 'normal' END,
             b.category, b.complaint,
             CASE WHEN b.complaint AND appraisal.demo_uniform(b.i, 44) >= 0.07 THEN
               CASE WHEN appraisal.demo_uniform(b.i, 45) < 0.7 THEN 'service' ELSE 'system' END END,
             b.customer_id, a.employee_id, a.skill
      FROM (SELECT s.i, s.draw, s.channel, s.category, s.customer_id,
                   CASE WHEN appraisal.demo_uniform(s.i, 46) < 0.55 THEN s.agent_id END AS same_agent,
                   appraisal.demo_uniform(s.i, 47) < 0.25 AS complaint,
                   appraisal.business_due(s.resolved_at,
                     round(3600 * least(80, -ln(1 - appraisal.demo_uniform(s.i, 48))
                                            * CASE WHEN appraisal.demo_uniform(s.i, 49) < 0.8 THEN 12 ELSE 60 END)) * interval '1 second',
                     cal) AS opened_at
              FROM (SELECT t.*,
                           -ln(1 - appraisal.demo_uniform(t.i, 41))
                           / (power(1.1 - st.skill, 2) * CASE WHEN t.contacts > 1 THEN 1.5 ELSE 1 END
                                                       * CASE WHEN t.complaint THEN 1.5 ELSE 1 END) AS draw
                      FROM demo_made t JOIN demo_staff st ON st.employee_id = t.agent_id
                     WHERE t.resolved_at < y_stop - interval '20 days'
                     ORDER BY draw, i
                     LIMIT n_comebacks) s) b
      JOIN demo_staff a
        ON a.employee_id = coalesce(b.same_agent, 'A' || lpad((1 + floor(appraisal.demo_uniform(b.i, 50) * agents)::integer)::text, width, '0'))
      WHERE b.opened_at < y_stop;   -- only when now cuts a year short
    END IF;

    -- Handling: the agents answer and resolve in office hours (business
    -- time on the office calendar), faster the better they are; phone and
    -- social media first.  6 % wait for the customer for a while after the
    -- first reply (a pause), some stay unanswered or open, complaints take
    -- longer and are less often solved at the first contact.  Nothing lies
    -- after now (a year still running has pending tickets).
    INSERT INTO demo_made (i, opened_at, first_response_at, resolved_at, contacts, channel, priority,
                           category, complaint, cause, customer_id, agent_id, pauses)
    SELECT r.i, r.opened_at,
           CASE WHEN f.first_response_at <= now() THEN f.first_response_at END,
           CASE WHEN s.resolved_at <= now() THEN s.resolved_at END,
           CASE WHEN s.resolved_at <= now() THEN s.contacts END,
           r.channel, r.priority, r.category, r.complaint, r.cause, r.customer_id, r.agent_id,
           CASE WHEN f.first_response_at <= now() THEN p.pauses END
    FROM demo_arrivals r
    CROSS JOIN LATERAL (
      SELECT CASE WHEN appraisal.demo_uniform(r.i, 20) >= 0.003 THEN
               appraisal.business_due(r.opened_at,
                 round(3600 * -ln(1 - appraisal.demo_uniform(r.i, 21))
                       * CASE r.channel WHEN 'phone' THEN 0.3 + 3.5 * (1 - r.skill) WHEN 'social' THEN 0.3 + 2.5 * (1 - r.skill)
                                        ELSE 1 + 10 * (1 - r.skill) END) * interval '1 second', cal) END AS first_response_at
      OFFSET 0) f
    CROSS JOIN LATERAL (
      SELECT CASE WHEN f.first_response_at IS NOT NULL AND appraisal.demo_uniform(r.i, 22) < 0.06 THEN
               tstzmultirange(tstzrange(f.first_response_at,
                                        f.first_response_at + round(3600 * (4 + 44 * appraisal.demo_uniform(r.i, 23))) * interval '1 second')) END AS pauses
      OFFSET 0) p
    CROSS JOIN LATERAL (
      SELECT CASE WHEN f.first_response_at IS NOT NULL
                   AND appraisal.demo_uniform(r.i, 24) >= CASE WHEN r.complaint THEN 0.04 ELSE 0.012 END THEN
               appraisal.business_due(f.first_response_at,
                 round(3600 * -ln(1 - appraisal.demo_uniform(r.i, 25)) * (2 + 20 * (1 - r.skill))
                       * CASE WHEN r.complaint THEN 1.6 ELSE 1 END
                       * CASE r.category WHEN 'product defect' THEN 1.5 WHEN 'spare parts' THEN 1.4 ELSE 1 END) * interval '1 second',
                 cal, p.pauses) END AS resolved_at,
             CASE WHEN appraisal.demo_uniform(r.i, 26) < 0.5 + 0.45 * r.skill - CASE WHEN r.complaint THEN 0.2 ELSE 0 END
                  THEN 1 ELSE 2 + floor(appraisal.demo_uniform(r.i, 27) * 3)::integer END AS contacts
      OFFSET 0) s;
  END LOOP;
  CREATE TEMP TABLE demo_tickets ON COMMIT DROP AS
  SELECT 'T' || lpad(row_number() OVER (ORDER BY m.opened_at, m.i)::text, 9, '0') AS ticket_id, m.*
  FROM demo_made m;
  DROP TABLE demo_made;
  INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority,
                                 category, complaint, cause, customer_id, agent_id, pauses)
  SELECT t.ticket_id, t.opened_at, t.first_response_at, t.resolved_at, t.contacts, t.channel, t.priority,
         t.category, t.complaint, t.cause, t.customer_id, t.agent_id, t.pauses
  FROM demo_tickets t ORDER BY t.ticket_id;

  -- Surveys: 38 % of the resolved tickets answered (55 % of complaints),
  -- satisfaction following the agent's skill, lower after a complaint or
  -- several contacts, and leaning to the extremes (5 and 1).  One in seven
  -- web or call-back answers was preceded by an SMS answer for the same
  -- ticket (counted once: the web or call-back one); a few SMS answers were
  -- sent twice (the later counts).
  INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
  SELECT t.ticket_id, v.source, v.responded_at, v.rating
  FROM (SELECT t.ticket_id, t.resolved_at, t.i, t.complaint,
               least(0.97, greatest(0.03, 0.35 + 0.6 * st.skill - CASE WHEN t.complaint THEN 0.35 ELSE 0 END
                                          - CASE WHEN t.contacts > 1 THEN 0.1 ELSE 0 END)) AS p_sat
          FROM demo_tickets t JOIN demo_staff st ON st.employee_id = t.agent_id
         WHERE t.resolved_at IS NOT NULL) t
  CROSS JOIN LATERAL (
    SELECT CASE WHEN appraisal.demo_uniform(t.i, 61) < 0.45 THEN 'web' WHEN appraisal.demo_uniform(t.i, 61) < 0.65 THEN 'call_back'
                ELSE 'sms' END AS source,
           CASE WHEN appraisal.demo_uniform(t.i, 62) < t.p_sat THEN CASE WHEN appraisal.demo_uniform(t.i, 63) < 0.78 THEN 5 ELSE 4 END
                WHEN appraisal.demo_uniform(t.i, 63) < 0.55 THEN 1 WHEN appraisal.demo_uniform(t.i, 63) < 0.8 THEN 2 ELSE 3 END AS rating,
           appraisal.demo_uniform(t.i, 64) AS when_u
    OFFSET 0) m
  CROSS JOIN LATERAL (
    SELECT m.source, t.resolved_at + round(86400 * CASE WHEN m.source = 'sms' THEN 0.02 + 0.3 * m.when_u ELSE 0.2 + 3 * m.when_u END) * interval '1 second',
           m.rating
    UNION ALL   -- an SMS answer before the web or call-back one, quick and extreme
    SELECT 'sms', t.resolved_at + round(86400 * (0.01 + 0.1 * m.when_u)) * interval '1 second',
           CASE WHEN appraisal.demo_uniform(t.i, 66) < t.p_sat THEN 5 ELSE 1 END
    WHERE m.source <> 'sms' AND appraisal.demo_uniform(t.i, 65) < 0.15
    UNION ALL   -- the same SMS answered twice, an hour apart
    SELECT 'sms', t.resolved_at + round(86400 * (0.02 + 0.3 * m.when_u)) * interval '1 second' + interval '1 hour',
           CASE WHEN appraisal.demo_uniform(t.i, 66) < t.p_sat THEN 5 ELSE 1 END
    WHERE m.source = 'sms' AND appraisal.demo_uniform(t.i, 65) < 0.03
  ) v(source, responded_at, rating)
  WHERE appraisal.demo_uniform(t.i, 60) < CASE WHEN t.complaint THEN 0.55 ELSE 0.38 END
    AND v.responded_at <= now();

  -- Call-backs (回访): three in four resolved tickets and more for skilled
  -- agents, mostly within four days of the resolution, one in ten only
  -- after 8 to 12 days (outside the 7-day window).  Quality inspection
  -- (内部质检): 3 % of the resolved tickets, scored by one of two reviewers
  -- three days after the resolution, around 70 to 100 by the agent's skill,
  -- lower after a complaint.
  INSERT INTO appraisal.call_backs (ticket_id, called_at, caller, outcome)
  SELECT t.ticket_id, c.called_at, 'call centre',
         CASE WHEN appraisal.demo_uniform(t.i, 83) < 0.9 THEN 'reached' ELSE 'problem not solved' END
  FROM (SELECT t.ticket_id, t.resolved_at, t.i, st.skill
          FROM demo_tickets t JOIN demo_staff st ON st.employee_id = t.agent_id
         WHERE t.resolved_at IS NOT NULL) t
  CROSS JOIN LATERAL (
    SELECT t.resolved_at + round(86400 * CASE WHEN appraisal.demo_uniform(t.i, 81) < 0.9
                                              THEN 0.1 + 4 * appraisal.demo_uniform(t.i, 82)
                                              ELSE 8 + 4 * appraisal.demo_uniform(t.i, 82) END) * interval '1 second' AS called_at
    OFFSET 0) c
  WHERE appraisal.demo_uniform(t.i, 80) < 0.7 + 0.25 * t.skill AND c.called_at <= now();
  INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score)
  SELECT t.ticket_id, CASE WHEN appraisal.demo_uniform(t.i, 85) < 0.5 THEN 'QA1' ELSE 'QA2' END,
         (t.resolved_at AT TIME ZONE zone)::date + 3,
         round(least(100, greatest(0, 70 + 30 * t.skill - CASE WHEN t.complaint THEN 8 ELSE 0 END
                                      + 10 * (appraisal.demo_uniform(t.i, 86) - 0.5)))::numeric, 1)
  FROM (SELECT t.ticket_id, t.resolved_at, t.complaint, t.i, st.skill
          FROM demo_tickets t JOIN demo_staff st ON st.employee_id = t.agent_id
         WHERE t.resolved_at IS NOT NULL) t
  WHERE appraisal.demo_uniform(t.i, 84) < 0.03 AND t.resolved_at + interval '3 days' <= now();

  -- 360 reviews of every appraised period that has ended: quarters for
  -- specialists and supervisors, the year for the manager.  Raters: the
  -- superior (the director, from outside the staff list, for the manager),
  -- three peers (team-mates; neighbouring supervisors), none in one review
  -- in twenty; subordinates: every supervisor for the manager, about half
  -- of a team for its supervisor, none for one supervisor in eight; one
  -- supervisor's Q2 without the superior (the manager was away); self-ratings
  -- from most, which the standard weights ignore.  Three dimensions each;
  -- a rater's leniency shifts all three.
  INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, dimension, score)
  SELECT r.period, r.ratee, r.rater, r.role::appraisal.rater_role, d.dim,
         round(least(100, greatest(0,
           48 + 45 * st.skill + r.lenience
           + 8 * (appraisal.demo_uniform(('x' || left(md5(r.period || '/' || r.ratee || '/' || r.rater), 8))::bit(32)::bigint, 0) - 0.5)
           + 12 * (appraisal.demo_uniform(('x' || left(md5(r.period || '/' || r.ratee || '/' || r.rater || '/' || d.dim), 8))::bit(32)::bigint, 0) - 0.5)))::numeric, 1)
  FROM (
    WITH appraised AS (
      SELECT e.employee_id, e.position, e.team, e.manager_id, p.period,
             appraisal.demo_uniform(('x' || left(md5(p.period || '/' || e.employee_id || '/no peers'), 8))::bit(32)::bigint, 0) < 1.0 / 20 AS no_peers,
             appraisal.demo_uniform(('x' || left(md5(p.period || '/' || e.employee_id || '/no subordinates'), 8))::bit(32)::bigint, 0) < 1.0 / 8 AS no_subordinates
      FROM appraisal.employees e
      JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
      WHERE (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop
    ), supervisors AS (
      SELECT employee_id, row_number() OVER (ORDER BY employee_id) AS n, count(*) OVER () AS cnt FROM appraisal.employees
      WHERE position = 'supervisor'
    )
    SELECT a.period, a.employee_id AS ratee, coalesce(a.manager_id, 'director') AS rater, 'superior' AS role, 0 AS lenience
    FROM appraised a
    WHERE NOT (a.employee_id = 'S' || lpad('2', s_width, '0') AND a.period = y || '-Q2')
    UNION ALL
    SELECT period, ratee, rater, 'peer', 2 FROM (
      SELECT a.period, a.employee_id AS ratee, o.employee_id AS rater,
             row_number() OVER (PARTITION BY a.period, a.employee_id
                                ORDER BY appraisal.demo_uniform(('x' || left(md5(a.period || '/' || a.employee_id || '/' || o.employee_id || '/peer'), 8))::bit(32)::bigint, 0)) AS n
      FROM appraised a
      JOIN appraisal.employees o ON o.team = a.team AND o.position = 'specialist' AND o.employee_id <> a.employee_id
      WHERE a.position = 'specialist' AND NOT a.no_peers) pr
    WHERE n <= 3
    UNION ALL
    SELECT a.period, a.employee_id, o.employee_id, 'peer', 2
    FROM appraised a
    JOIN supervisors s ON s.employee_id = a.employee_id
    JOIN supervisors o ON o.n IN (s.n % s.cnt + 1, (s.n + 1) % s.cnt + 1, (s.n + 2) % s.cnt + 1) AND o.n <> s.n
    WHERE NOT a.no_peers
    UNION ALL
    SELECT a.period, a.employee_id, e.employee_id, 'subordinate', 0
    FROM appraised a
    JOIN appraisal.employees e ON e.manager_id = a.employee_id
    WHERE a.position = 'manager'
       OR (NOT a.no_subordinates AND appraisal.demo_uniform(('x' || left(md5(a.period || '/' || a.employee_id || '/' || e.employee_id || '/rates'), 8))::bit(32)::bigint, 0) < 0.5)
    UNION ALL
    SELECT a.period, a.employee_id, a.employee_id, 'self', 8
    FROM appraised a
    WHERE appraisal.demo_uniform(('x' || left(md5(a.period || '/' || a.employee_id || '/self'), 8))::bit(32)::bigint, 0) < 0.7
  ) r
  JOIN demo_staff st ON st.employee_id = r.ratee
  CROSS JOIN unnest(ARRAY['attitude', 'skills', 'teamwork']) d(dim);

  -- KPIs per position (docs/rules.md, "Department and manager KPIs") and the
  -- manual results of every appraised period that has ended (appeals are
  -- filed and decided by the committee: demo/demo.sql shows one).
  INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source, description) VALUES
    ('specialist', 'first response', 40, 50, 95, 'first_response_compliance', 'First-response SLA compliance, % (target 95, docs/rules.md, "Complaint handling")'),
    ('specialist', 'satisfaction', 30, 30, 90, 'csat', 'CSAT, %'),
    ('specialist', '360 review', 20, 50, 95, 'score_360', '360 composite'),
    ('specialist', 'knowledge test', 10, 60, 100, 'manual', 'Quarterly product-knowledge test'),
    ('supervisor', 'team composite', 40, 60, 95, 'complaint_composite', 'Closed-loop complaint composite of the team'),
    ('supervisor', 'recurrence', 20, 15, 2, 'recurrence_rate', 'Recurrence rate of the team, % (reversed)'),
    ('supervisor', '360 review', 20, 50, 95, 'score_360', '360 composite'),
    ('supervisor', 'team management', 20, 0, 100, 'manual', 'Team management, rated by the service manager'),
    ('manager', 'satisfaction', 40, 30, 90, 'csat', 'CSAT of the service centre, %'),
    ('manager', 'composite', 30, 60, 95, 'complaint_composite', 'Closed-loop complaint composite of the service centre'),
    ('manager', 'management', 30, 0, 100, 'manual', 'Cost control and management improvement (docs/rules.md, "Department and manager KPIs")');
  INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value, note)
  SELECT p.period, e.employee_id,
         CASE e.position WHEN 'specialist' THEN 'knowledge test' WHEN 'supervisor' THEN 'team management' ELSE 'management' END,
         round(least(100, 50 + 45 * s.skill + 16 * (appraisal.demo_uniform(('x' || left(md5(p.period || '/' || e.employee_id || '/manual'), 8))::bit(32)::bigint, 0) - 0.5))::numeric, 0),
         NULL
  FROM appraisal.employees e
  JOIN demo_staff s USING (employee_id)
  JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
  WHERE (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop;

  -- Customers (docs/rules.md, "Customer evaluation"), about one per agent: a
  -- dealer network, a few large dealers and many small ones, of every credit
  -- grade (AAA to C), every class and every value tier.  Dealer i follows
  -- profile i % 12 (the second dozen takes a variant of some), each figure
  -- drawn within its profile's range; yearly figures with the loyalty and
  -- potential inputs, the year before (the classes compare with it), and
  -- quarterly ones (with credit ratings) for the quarters that have ended.
  -- Every fourth dealer is an intermediate customer, the rest final; those
  -- numbered 4, 14, 24, ... are key customers (the surveys must reach them).
  INSERT INTO appraisal.customers (customer_id, name, first_order_on, sales_manager_id, region, customer_kind, key_customer)
  SELECT 'K' || lpad(i::text, 4, '0'),
         surnames[1 + (i * 7) % 20] || ' ' || (ARRAY['Trading', 'Appliances', 'Electric', 'Home', 'Supply'])[1 + i % 5],
         CASE WHEN i % 12 = 3 THEN make_date(y, 1 + (i * 5) % 9, 1 + i % 28) END,
         'M01', team_names[1 + i % 6],
         CASE WHEN i % 4 = 0 THEN 'intermediate' ELSE 'final' END, i % 10 = 4
  FROM generate_series(1, greatest(10, agents)) i;
  IF to_regclass('pg_temp.demo_customer') IS NOT NULL THEN   -- a second call in one transaction
    DROP TABLE pg_temp.demo_customer;
  END IF;
  -- The profiles: ranges of sales, batches, growth %, collection %, returns
  -- %, receivables, the manager's evaluation, referrals (NULL: not recorded),
  -- recommendation (0-10), potential rating, and the collection rate of the
  -- year before (NULL: about this year's).  What each should come out as:
  CREATE TEMP TABLE demo_customer ON COMMIT DROP AS
  WITH profile (profile, sales_lo, sales_hi, batches_lo, batches_hi, growth_lo, growth_hi, coll_lo, coll_hi,
                ret_lo, ret_hi, recv_lo, recv_hi, mgr_lo, mgr_hi, ref_hi, rec_lo, rec_hi, pot_lo, pot_hi, prev_coll) AS (
    VALUES
      ('no business',       0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL::numeric),
      ('no sales, owes',    0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, 8000, 25000, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),   -- pending
      ('stale',             4000, 18000, 2, 4, -20, 0, 90, 96, 2, 4, 25000, 55000, 40, 55, 0, 3, 6, 10, 30, NULL),
      ('new, effective',    600000, 900000, 6, 10, NULL, NULL, 96, 99, 1, 3, 10000, 40000, 70, 80, 2, 7, 9, 60, 80, NULL),
      ('new, small',        30000, 90000, 2, 3, NULL, NULL, 95, 99, 1, 3, 0, 10000, 65, 75, 1, 7, 9, 80, 95, NULL),          -- potential
      ('top dealer',        2150000, 2600000, 10, 14, 26, 32, 99.2, 100, 0.4, 1, 20000, 80000, 85, 95, 5, 8, 10, 60, 80, NULL), -- AAA, normal, gold
      ('one batch, owes',   150000, 400000, 1, 1, 0, 10, 90, 96, 2, 4, 20000, 60000, 55, 65, 1, 5, 7, 30, 50, NULL),          -- pending
      ('paying late',       800000, 1000000, 5, 8, 3, 8, 84, 87, 3, 4, 60000, 120000, 55, 65, 1, 4, 6, 30, 50, 98),         -- deteriorating
      ('strong dealer',     1600000, 1700000, 8, 12, 22, 24, 98.5, 99.5, 1.2, 1.6, 20000, 60000, 80, 85, 4, 7, 9, 50, 70, NULL), -- AA, gold
      ('good dealer',       1250000, 1300000, 4, 7, 20, 22, 97.5, 98.5, 1.8, 2.2, 10000, 50000, 72, 78, 1, 5, 7, 40, 60, NULL), -- A, silver
      ('mid dealer',        300000, 600000, 2, 3, 2, 8, 96, 98, 2, 3, 0, 20000, 60, 70, 1, 5, 7, 30, 50, NULL),               -- other
      ('large, slow payer', 1500000, 1600000, 4, 6, 18, 20, 93, 94, 2, 2.5, 80000, 150000, 60, 65, NULL, 3, 5, 30, 50, NULL), -- B, abnormal, silver
      ('small, slow payer', 150000, 300000, 4, 6, 0, 6, 90, 93, 2, 4, 20000, 50000, 50, 60, NULL, 3, 5, 20, 40, NULL),       -- abnormal
      ('shrinking',         300000, 500000, 4, 7, NULL, NULL, 94, 97, 3, 4.5, 10000, 40000, 50, 60, 0, 4, 6, 10, 30, NULL),  -- deteriorating: growth computed
      ('rising',            30000, 90000, 2, 4, 28, 45, 96, 99, 1, 2, 0, 15000, 70, 85, 3, 8, 10, 75, 95, NULL),            -- potential
      ('small dealer',      40000, 95000, 2, 5, -5, 5, 91, 96, 2, 4, 0, 15000, 50, 65, 1, 5, 7, 20, 45, NULL),              -- other, ordinary
      ('returns',           400000, 700000, 4, 8, 5, 12, 95.5, 98, 5.5, 7, 10000, 40000, 55, 70, 1, 5, 7, 30, 50, NULL)       -- abnormal
  ), dealer AS (
    SELECT c.customer_id, n.i,
           CASE n.i % 12 WHEN 1 THEN (ARRAY['no business', 'no sales, owes'])[1 + n.h]
                         WHEN 2 THEN 'stale'
                         WHEN 3 THEN (ARRAY['new, effective', 'new, small'])[1 + n.h]
                         WHEN 4 THEN 'top dealer'
                         WHEN 5 THEN (ARRAY['one batch, owes', 'paying late'])[1 + n.h]
                         WHEN 6 THEN 'strong dealer'
                         WHEN 7 THEN (ARRAY['good dealer', 'mid dealer'])[1 + n.h]
                         WHEN 8 THEN (ARRAY['large, slow payer', 'small, slow payer'])[1 + n.h]
                         WHEN 9 THEN 'shrinking'
                         WHEN 10 THEN 'rising'
                         WHEN 11 THEN 'small dealer'
                         ELSE 'returns' END AS profile
    FROM appraisal.customers c
    CROSS JOIN LATERAL (SELECT substr(c.customer_id, 2)::int AS i, (substr(c.customer_id, 2)::int / 12) % 2 AS h) n
  )
  SELECT d.customer_id, d.i, d.profile,
         round(p.sales_lo + (p.sales_hi - p.sales_lo) * appraisal.demo_uniform(d.i, 21)::numeric, -3) AS sales,
         p.batches_lo + floor((p.batches_hi - p.batches_lo + 1) * appraisal.demo_uniform(d.i, 23))::int AS batches,
         round(p.growth_lo + (p.growth_hi - p.growth_lo) * appraisal.demo_uniform(d.i, 24)::numeric, 1) AS growth,
         round(p.coll_lo + (p.coll_hi - p.coll_lo) * appraisal.demo_uniform(d.i, 25)::numeric, 1) AS collection,
         round(p.ret_lo + (p.ret_hi - p.ret_lo) * appraisal.demo_uniform(d.i, 26)::numeric, 1) AS returns,
         round(p.recv_lo + (p.recv_hi - p.recv_lo) * appraisal.demo_uniform(d.i, 27)::numeric, -2) AS receivables,
         round(p.mgr_lo + (p.mgr_hi - p.mgr_lo) * appraisal.demo_uniform(d.i, 28)::numeric) AS manager,
         floor((p.ref_hi + 1) * appraisal.demo_uniform(d.i, 38)::numeric)::int AS referrals,
         round(p.rec_lo + (p.rec_hi - p.rec_lo) * appraisal.demo_uniform(d.i, 39)::numeric) AS recommendation,
         round(p.pot_lo + (p.pot_hi - p.pot_lo) * appraisal.demo_uniform(d.i, 40)::numeric) AS potential,
         -- the year before: sales that give this year's growth (the shrinking
         -- ones sold 2.5, 3.2 or 4 times as much, those owing without sales sold
         -- 20,000 to 60,000), its own growth, the collection rate about the same
         CASE WHEN p.profile IN ('no business', 'new, effective', 'new, small') THEN NULL
              WHEN p.profile = 'no sales, owes' THEN round(20000 + 40000 * appraisal.demo_uniform(d.i, 41)::numeric, -3)
              WHEN p.profile = 'shrinking' THEN round(p.sales_lo + (p.sales_hi - p.sales_lo) * appraisal.demo_uniform(d.i, 21)::numeric, -3)
                                                * (ARRAY[2.5, 3.2, 4])[1 + d.i % 3]
         END AS previous_sales_set,
         round(15 * appraisal.demo_uniform(d.i, 42)::numeric, 1) AS previous_growth,
         coalesce(p.prev_coll, least(100, round(p.coll_lo + (p.coll_hi - p.coll_lo) * appraisal.demo_uniform(d.i, 25)::numeric, 1)
                                          + round(appraisal.demo_uniform(d.i, 43)::numeric, 1))) AS previous_collection
  FROM dealer d
  JOIN profile p USING (profile);
  -- the year before, for the customers' figures only
  INSERT INTO appraisal.periods (period, kind, starts_on, ends_on)
  VALUES ((y - 1)::text, 'year', make_date(y - 1, 1, 1), make_date(y - 1, 12, 31));
  INSERT INTO appraisal.customer_figures
    (customer_id, period, sales, batches, sales_growth, collection_rate, return_rate, receivables, manager_evaluation,
     referrals, recommendation, potential_rating)
  SELECT d.customer_id, p.period,
         CASE WHEN p.kind = 'year' THEN d.sales ELSE round(d.sales * (0.125 + 0.05 * q.n), -2) END,   -- 17.5 % .. 32.5 %: the year's sales
         CASE WHEN p.kind = 'year' THEN d.batches ELSE (d.batches + q.n) / 4 END,
         d.growth,
         CASE WHEN d.sales > 0 THEN least(100, d.collection + CASE WHEN p.kind = 'year' THEN 0 ELSE q.n - 2 END) END,
         CASE WHEN d.sales > 0 THEN d.returns END,
         d.receivables,
         CASE WHEN d.sales > 0 THEN d.manager END,
         CASE WHEN p.kind = 'year' AND d.sales > 0 THEN d.referrals END,
         CASE WHEN p.kind = 'year' AND d.sales > 0 THEN d.recommendation END,
         CASE WHEN p.kind = 'year' AND d.sales > 0 THEN d.potential END
  FROM demo_customer d
  JOIN appraisal.periods p ON p.kind IN ('year', 'quarter') AND p.starts_on >= make_date(y, 1, 1)
                          AND (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop
  CROSS JOIN LATERAL (SELECT CASE WHEN p.kind = 'quarter' THEN extract(quarter FROM p.starts_on)::int ELSE 0 END AS n) q;
  INSERT INTO appraisal.customer_figures
    (customer_id, period, sales, batches, sales_growth, collection_rate, return_rate, receivables, manager_evaluation)
  SELECT d.customer_id, (y - 1)::text, v.sales, d.batches, d.previous_growth, d.previous_collection, d.returns,
         round(d.receivables * 0.8, -2), d.manager
  FROM demo_customer d
  CROSS JOIN LATERAL (SELECT coalesce(d.previous_sales_set, round(d.sales * 100 / (100 + d.growth), -3)) AS sales) v
  WHERE v.sales > 0;
  -- The non-financial points are entered in their three parts (quality
  -- characteristics of 35, capital of 18, credit fulfilment of 17), each
  -- the same share u of its maximum, rounded: 35u + 18u + 17u.
  INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points, rated_by,
                                         quality_points, capital_points, fulfilment_points)
  SELECT f.customer_id, f.period,
         round((8 + 22 * appraisal.demo_uniform(d.i * 10 + extract(quarter FROM p.starts_on)::int, 29))::numeric),
         round(35 * u.v) + round(18 * u.v) + round(17 * u.v),
         'credit committee', round(35 * u.v), round(18 * u.v), round(17 * u.v)
  FROM appraisal.customer_figures f
  JOIN appraisal.periods p ON p.period = f.period AND p.kind = 'quarter'
  JOIN demo_customer d ON d.customer_id = f.customer_id
  CROSS JOIN LATERAL (SELECT (0.43 + 0.57 * appraisal.demo_uniform(d.i * 10 + extract(quarter FROM p.starts_on)::int, 30))::numeric AS v) u
  WHERE d.sales > 0;

  -- customer satisfaction surveys ---
  -- One company-wide run of the standard questionnaire in the last four
  -- weeks of every quarter that has ended.  About 19 in 20 customers in
  -- scope get it, but in the second quarter only about 7 in 10 (that run
  -- misses the 80 % coverage); 92 % send it back, a few late; a few are found
  -- filled in by sales staff (a third in the third quarter: that run misses
  -- the 70 % of valid responses) or leave an item out.  Ratings centre on
  -- each customer's own level.
  INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, region, opened_on, closed_on, description)
  SELECT 'CSAT ' || p.period, 'standard', p.period, NULL, p.ends_on - 27, p.ends_on,
         'Customer satisfaction survey, ' || p.period
  FROM appraisal.periods p
  WHERE p.kind = 'quarter' AND (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop;
  INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on, invalid_reason)
  SELECT r.run_id, d.customer_id, r.opened_on + x.i % 5,
         CASE WHEN appraisal.demo_uniform(x.i, 32) < 0.92
              THEN r.opened_on + x.i % 5 + 2 + floor(24 * appraisal.demo_uniform(x.i, 33) ^ 2)::int END,
         CASE WHEN appraisal.demo_uniform(x.i, 32) < 0.92 AND appraisal.demo_uniform(x.i, 34) < CASE extract(quarter FROM r.closed_on) WHEN 3 THEN 0.35 ELSE 0.03 END
              THEN 'filled in by sales staff' END
  FROM appraisal.survey_runs r
  JOIN appraisal.customers c ON c.first_order_on IS NULL OR c.first_order_on <= r.closed_on
  JOIN demo_customer d ON d.customer_id = c.customer_id
  CROSS JOIN LATERAL (SELECT d.i * 10 + extract(quarter FROM r.closed_on)::int AS i) x
  WHERE appraisal.demo_uniform(x.i, 31) < CASE extract(quarter FROM r.closed_on) WHEN 2 THEN 0.7 ELSE 0.95 END;
  -- The seven elements: the non-conformance rate (mostly low), the
  -- fulfilment rate (mostly high), missed feedback (0 to 3 times), working
  -- days to a fix with the customer's acceptance (worse the longer), and
  -- 0-100 ratings for the rest.
  INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value, acceptance)
  SELECT s.run_id, s.customer_id, it.item_no,
         CASE it.item
           WHEN 'complaint_handling' THEN round((0.5 + 9 * u.v ^ 2)::numeric, 1)
           WHEN 'delivery_quality' THEN round((45 * u.v ^ 3)::numeric, 1)
           WHEN 'delivery_capability' THEN least(100, round((100 - 45 * u.v ^ 2)::numeric, 1))
           WHEN 'communication' THEN floor(4 * u.v ^ 2)
           ELSE least(100, greatest(0, round((55 + 40 * appraisal.demo_uniform(d.i, 35)
                                               + 24 * (u.v - 0.5))::numeric))) END,
         CASE WHEN it.needs_acceptance THEN
           CASE WHEN u.v < 0.4 THEN 'very satisfied' WHEN u.v < 0.75 THEN 'basically satisfied'
                WHEN u.v < 0.95 THEN 'acceptable' ELSE 'not accepted' END END
  FROM appraisal.customer_surveys s
  JOIN appraisal.survey_runs r USING (run_id)
  JOIN appraisal.survey_items it ON it.questionnaire = r.questionnaire
  JOIN demo_customer d ON d.customer_id = s.customer_id
  CROSS JOIN LATERAL (SELECT d.i * 10 + extract(quarter FROM r.closed_on)::int AS i) x
  CROSS JOIN LATERAL (SELECT appraisal.demo_uniform(x.i * 10 + it.item_no, 36) AS v) u
  WHERE s.returned_on IS NOT NULL
    AND NOT (it.item_no = 6 AND appraisal.demo_uniform(x.i, 37) < 0.03);   -- an item left out

  -- delivery quality ---
  -- Three projects of three batches each, planned for 40 to 120 households
  -- with a two-week concentrated-delivery window in March, June and
  -- September.  Nine in ten households take delivery, most of them in the
  -- window, the rest up to three weeks late; about one in eight reports a
  -- defect (some twice), and inspection finds one report in six groundless.
  -- Rectification finishes 30 to 39 days before handover, in one batch in
  -- four up to 9 days later; the property takeover 1 to 25 days before it.
  INSERT INTO appraisal.delivery_batches (project_id, batch, planned_households, window_starts_on, window_ends_on, description,
                                          rectification_done_on, property_takeover_on)
  SELECT p.project_id, b, 40 + floor(81 * appraisal.demo_uniform(p.k * 10 + b, 51))::int,
         make_date(y, 3 * b, 1 + p.k * 3), make_date(y, 3 * b, 14 + p.k * 3),
         format('%s, batch %s', p.project_id, b),
         make_date(y, 3 * b, 1 + p.k * 3) - 30 - floor(10 * appraisal.demo_uniform(p.k * 10 + b, 58))::int
           + CASE WHEN (p.k + b) % 4 = 0 THEN 9 ELSE 0 END,
         make_date(y, 3 * b, 1 + p.k * 3) - 1 - floor(25 * appraisal.demo_uniform(p.k * 10 + b, 59))::int
  FROM (VALUES (1, 'Riverside Estate'), (2, 'Lakeview Garden'), (3, 'Hillside Court')) p(k, project_id)
  CROSS JOIN generate_series(1, 3) b
  WHERE make_date(y, 3 * b, 1 + p.k * 3)::timestamp AT TIME ZONE zone < y_stop;
  INSERT INTO appraisal.deliveries (project_id, batch, household_id, delivered_on)
  SELECT d.project_id, d.batch, d.household_id, d.delivered_on
  FROM (SELECT b.project_id, b.batch, format('%s-%s', b.batch, lpad(h::text, 3, '0')) AS household_id,
               CASE WHEN appraisal.demo_uniform(x.key, 53) < 0.85
                    THEN b.window_starts_on + floor(14 * appraisal.demo_uniform(x.key, 54))::int
                    ELSE b.window_ends_on + 1 + floor(21 * appraisal.demo_uniform(x.key, 54))::int END AS delivered_on,
               x.key
        FROM appraisal.delivery_batches b
        CROSS JOIN generate_series(1, b.planned_households) h
        CROSS JOIN LATERAL (SELECT (length(b.project_id) * 10 + b.batch) * 1000 + h AS key) x
        WHERE appraisal.demo_uniform(x.key, 52) < 0.9) d
  WHERE d.delivered_on::timestamp AT TIME ZONE zone < y_stop;
  INSERT INTO appraisal.defect_reports (report_id, project_id, batch, household_id, reported_on, valid, description)
  SELECT format('DR %s %s/%s', d.project_id, d.household_id, n), d.project_id, d.batch, d.household_id,
         d.delivered_on + 3 + 10 * n, appraisal.demo_uniform(x.key * 10 + n, 57) >= 1.0 / 6,
         (ARRAY['door does not close', 'scratched panel', 'leaking tap', 'missing fitting'])[1 + (x.key + n) % 4]
  FROM appraisal.deliveries d
  CROSS JOIN LATERAL (SELECT (length(d.project_id) * 10 + d.batch) * 1000
                             + substr(d.household_id, strpos(d.household_id, '-') + 1)::int AS key) x
  CROSS JOIN generate_series(1, 2) n
  WHERE appraisal.demo_uniform(x.key, 55) < 0.125 AND (n = 1 OR appraisal.demo_uniform(x.key, 56) < 0.3);

  -- service providers ---
  -- An installation and repair provider per team; every fourth specialist
  -- (A004, A008, ...) is its technician.  The events: a bad review for each
  -- service-caused complaint on a technician's ticket (mostly on the web,
  -- some from call-backs or the dispatch system), one in four repeated by
  -- SMS, one in eight about the product rather than the service (exempt),
  -- one in five told again at a call-back five days later (a quarter of
  -- those noted against the order without phone and address: the ledger
  -- finds the customer through the order); the same customer's complaints in
  -- one month count once.  Fake customer data on about one technician ticket
  -- in a hundred, half of them reported again by inspection; and
  -- under-staffing during Double 11 for one provider.  Beside the bad
  -- reviews, three in ten service-caused complaints are also reported as a
  -- complaint (charged each).  Two sales companies share the providers, with
  -- a feedback score each quarter; every technician ticket is an
  -- installation order reported online (due in three days, completed when
  -- resolved), one in twenty reported offline too.
  INSERT INTO appraisal.sales_companies (sales_company_id, name, region) VALUES
    ('SC-EAST', 'East Sales Company', 'east'), ('SC-WEST', 'West Sales Company', 'west');
  INSERT INTO appraisal.providers (provider_id, name, region, sales_company_id)
  SELECT 'PV-' || team, initcap(team) || ' Installation Services', team,
         CASE WHEN row_number() OVER (ORDER BY team) % 2 = 1 THEN 'SC-EAST' ELSE 'SC-WEST' END
  FROM (SELECT DISTINCT team FROM appraisal.employees WHERE position = 'specialist') t;
  INSERT INTO appraisal.sales_company_feedback (sales_company_id, period, score, note)
  SELECT c.sales_company_id, p.period, CASE WHEN c.sales_company_id = 'SC-EAST' THEN 88 - q.n * 4 ELSE 70 + q.n * 3 END,
         'quarterly feedback of the sales company'
  FROM appraisal.sales_companies c
  JOIN appraisal.periods p ON p.kind = 'quarter' AND p.starts_on < y_stop::date
  CROSS JOIN LATERAL (SELECT extract(quarter FROM p.starts_on)::int AS n) q;
  UPDATE appraisal.employees SET provider_id = 'PV-' || team
  WHERE position = 'specialist' AND substr(employee_id, 2)::int % 4 = 0;
  IF to_regclass('pg_temp.demo_provider_tickets') IS NOT NULL THEN
    DROP TABLE pg_temp.demo_provider_tickets;
  END IF;
  CREATE TEMP TABLE demo_provider_tickets ON COMMIT DROP AS   -- only the tickets that make events
  SELECT t.ticket_id, t.opened_at, t.complaint, t.cause, e.provider_id, k.key,
         ('x' || left(md5(coalesce(t.customer_id, t.ticket_id)), 8))::bit(32)::bigint AS who
  FROM demo_tickets t
  JOIN appraisal.employees e ON e.employee_id = t.agent_id AND e.provider_id IS NOT NULL
  CROSS JOIN LATERAL (SELECT t.i AS key) k
  WHERE (t.complaint AND t.cause = 'service') OR appraisal.demo_uniform(k.key, 72) < 0.01;
  INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone,
                                         customer_address, source, about_service, note)
  SELECT format('%s %s', v.label, t.ticket_id), t.provider_id, 'bad_review', t.opened_at + v.delay,
         'WO-' || t.ticket_id,
         CASE WHEN v.anonymous THEN NULL
              ELSE CASE v.source WHEN 'sms' THEN '+86 ' ELSE '' END || '13' || lpad((t.who % 1000000000)::text, 9, '0') END,
         CASE WHEN v.anonymous THEN NULL
              WHEN v.source = 'sms' THEN upper(format('%s  %s road', 1 + t.who % 500, (ARRAY['Nanjing', 'Huaihai', 'Yan''an', 'Zhongshan'])[1 + t.who % 4]))
              ELSE format('%s %s Road', 1 + t.who % 500, (ARRAY['Nanjing', 'Huaihai', 'Yan''an', 'Zhongshan'])[1 + t.who % 4]) END,
         v.source, appraisal.demo_uniform(t.key, 69) >= 0.125,
         CASE WHEN appraisal.demo_uniform(t.key, 69) < 0.125 THEN 'complains about the product, not the installation' END
  FROM demo_provider_tickets t
  CROSS JOIN LATERAL (
    SELECT f.source, f.source AS label, interval '1 day' AS delay, false AS anonymous
    FROM (SELECT CASE WHEN appraisal.demo_uniform(t.key, 70) < 0.7 THEN 'web'
                      WHEN appraisal.demo_uniform(t.key, 70) < 0.85 THEN 'callback' ELSE 'dispatch' END AS source) f
    UNION ALL
    SELECT 'sms', 'sms', interval '20 hours', false
    WHERE appraisal.demo_uniform(t.key, 70) < 0.7 AND appraisal.demo_uniform(t.key, 71) < 0.25
    UNION ALL
    SELECT 'callback', 'callback again', interval '5 days', appraisal.demo_uniform(t.key, 68) < 0.25
    WHERE appraisal.demo_uniform(t.key, 67) < 0.2
  ) v
  WHERE t.complaint AND t.cause = 'service'
    AND t.opened_at + v.delay <= now();   -- (in the current year, no report from the future)
  INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone,
                                         customer_address, source, note)
  SELECT format('complaint %s', t.ticket_id), t.provider_id, 'service_complaint', t.opened_at + interval '2 days',
         'WO-' || t.ticket_id, '13' || lpad((t.who % 1000000000)::text, 9, '0'),
         format('%s %s Road', 1 + t.who % 500, (ARRAY['Nanjing', 'Huaihai', 'Yan''an', 'Zhongshan'])[1 + t.who % 4]),
         'callback', 'late visit, price list not shown'
  FROM demo_provider_tickets t
  WHERE t.complaint AND t.cause = 'service' AND appraisal.demo_uniform(t.key, 74) < 0.3
    AND t.opened_at + interval '2 days' <= now();
  INSERT INTO appraisal.provider_orders (record_id, provider_id, order_id, channel, reported_at, due_at, completed_at)
  SELECT format('%s %s', c.channel, t.ticket_id), e.provider_id, 'WO-' || t.ticket_id, c.channel,
         t.opened_at + c.delay, t.opened_at + interval '3 days', t.resolved_at
  FROM demo_tickets t
  JOIN appraisal.employees e ON e.employee_id = t.agent_id AND e.provider_id IS NOT NULL
  CROSS JOIN LATERAL (SELECT 'online' AS channel, interval '0' AS delay
                      UNION ALL
                      SELECT 'offline', interval '1 hour'
                      WHERE appraisal.demo_uniform(t.i, 75) < 0.05) c;
  INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, source, note)
  SELECT format('%s %s', v.source, t.ticket_id), t.provider_id, 'fake_customer_data', t.opened_at + v.delay,
         'WO-' || t.ticket_id, v.source, 'customer phone and address on the order do not exist'
  FROM demo_provider_tickets t
  CROSS JOIN LATERAL (SELECT 'dispatch' AS source, interval '2 days' AS delay
                      UNION ALL
                      SELECT 'inspection', interval '9 days' WHERE appraisal.demo_uniform(t.key, 73) < 0.5) v
  WHERE appraisal.demo_uniform(t.key, 72) < 0.01 AND NOT t.complaint AND t.opened_at + v.delay <= now();
  INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, source, note)
  SELECT format('understaffing %s %s', p.provider_id, d), p.provider_id, 'peak_understaffing',
         make_date(y, 11, d)::timestamp AT TIME ZONE zone + interval '10 hours', 'inspection',
         'Double 11: fewer technicians on duty than the plan'
  FROM (SELECT min(provider_id) AS provider_id FROM appraisal.providers) p
  CROSS JOIN generate_series(11, 12) d
  WHERE p.provider_id IS NOT NULL AND (make_date(y, 11, d) + 1)::timestamp AT TIME ZONE zone <= y_stop;

  DROP TABLE demo_tickets;
  -- (on Citus the workers analyze their shards)
  IF NOT appraisal.distributed() THEN
    ANALYZE appraisal.employees, appraisal.periods, appraisal.tickets, appraisal.survey_responses, appraisal.reviews_360;
  END IF;
  PERFORM appraisal.refresh_scorecards();
  FOREACH t IN ARRAY ARRAY['employees', 'periods', 'sla_policies', 'tickets', 'survey_responses', 'call_backs',
                           'quality_inspections', 'reviews_360',
                           'kpi_definitions', 'kpi_results', 'customers', 'customer_figures', 'customer_credit',
                           'survey_runs', 'customer_surveys', 'customer_survey_answers',
                           'delivery_batches', 'deliveries', 'defect_reports', 'sales_companies', 'sales_company_feedback',
                           'providers', 'provider_events', 'provider_orders'] LOOP
    table_name := t;
    EXECUTE format('SELECT count(*) FROM appraisal.%I', t) INTO rows;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.generate_demo_data(integer, integer, integer, boolean) IS
  'Fills the appraisal tables with a realistic, repeatable demo data set (the same arguments give the same rows) and refreshes the scorecards: a service manager, a supervisor per team of about eight and the given number of agents of varied skill (A001 a star, A002 weak); the periods of year (default: last year; the current year gives the part that has passed, with pending tickets); a Shanghai office calendar (lunch break, public holidays, make-up workdays in 2025) with SLA policies on it; tickets numbered and stored in the order they were opened, mostly in office hours of working days, with skewed channels, categories and complaint rates, service- and system-caused complaints, a delivery spike after Double 11 and a billing one in March, pauses, unanswered and open tickets, and 6 % comebacks of the same customer (recurrence); surveys leaning to extreme ratings with duplicate SMS answers; call-backs, some after the window, and 3 % of the tickets inspected; 360 reviews with missing groups, self-ratings and the director as the manager''s superior; KPI definitions per position, manual results and one appeal; a dealer network of customers (a few large dealers, many small) spanning every credit grade, class and value tier (docs/rules.md, "Customer evaluation"), with yearly figures (referrals, recommendation and potential rating among them), those of the year before and quarterly ones, and quarterly credit ratings; a company-wide satisfaction survey run per quarter, the second short of the coverage, with late, invalid and incomplete questionnaires; three delivery projects in batches with late deliveries and defect reports; a provider per team whose technicians are every fourth specialist, with bad reviews (repeated by SMS or at a call-back, some call-backs without the customer''s phone and address, by the same customer, or about the product), service complaints, fake customer data and Double 11 under-staffing, their installation orders (some reported offline too); two sales companies sharing the providers, with quarterly feedback. Refuses to touch tables holding data (SQLSTATE 55000) unless replace is true, which deletes it first. Returns the rows per table.';
