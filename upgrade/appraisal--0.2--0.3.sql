\echo Use "ALTER EXTENSION appraisal UPDATE TO '0.3'" to load this file. \quit
-- appraisal 0.2 -> 0.3: what 0.3 added to the objects of 0.2 (the new parts
-- follow this file in the update script).

CREATE FUNCTION appraisal.satisfied(stats appraisal.csat_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'csat_stats_satisfied' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.satisfied(appraisal.csat_stats) IS
  'Responses with one of the two top ratings of the scale (4 or 5 on 1..5): the numerator of csat, for exact ratios pooled from counts. 0 for the empty summary.';

CREATE FUNCTION appraisal.elapsed_seconds(stats appraisal.sla_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'sla_stats_elapsed_seconds' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.elapsed_seconds(appraisal.sla_stats) IS 'Total business time (pauses excluded) of the finished items, met and late, in seconds, exact to the microsecond: the sum mean_elapsed divides. 0 when none finished.';

-- 0.2 let users insert business calendars marked shipped (pg_dump leaves
-- those out): the trigger now fires on INSERT too.
DROP TRIGGER protect_shipped ON appraisal.business_calendars;
CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.business_calendars
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('business calendar');
-- appraisal install script, part 10: the appraisal data model (DOMAIN.md §1-§7):
-- settings, employees, periods, SLA policies, tickets, survey responses, 360
-- reviews, KPI definitions and results.  Users load these with COPY; every
-- table but setting_definitions is a configuration table of the extension,
-- so pg_dump saves its rows.  Constraints carry names that say the rule, so a
-- rejected row's message names it.  Tables that take bulk loads (tickets,
-- survey responses, reviews) have no triggers: only CHECK and foreign keys.

-- Settings ---------------------------------------------------------------

CREATE TABLE appraisal.setting_definitions (
  name        text PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('integer', 'numeric', 'interval', 'time zone', 'grade scale', 'weight scheme')),
  min_value   numeric,
  max_value   numeric,
  default_value text NOT NULL,
  description text NOT NULL
);
COMMENT ON TABLE appraisal.setting_definitions IS
  'The settings the scorecards read, with their types, allowed ranges and defaults (shipped with the extension, read-only). Change a setting by inserting its name and value into appraisal.settings.';
COMMENT ON COLUMN appraisal.setting_definitions.name IS 'Setting name, as used in appraisal.settings.';
COMMENT ON COLUMN appraisal.setting_definitions.type IS 'What the value must be: integer, numeric, interval, time zone, or the name of a grade scale or weight scheme.';
COMMENT ON COLUMN appraisal.setting_definitions.min_value IS 'Smallest allowed value of a number setting (NULL: no limit).';
COMMENT ON COLUMN appraisal.setting_definitions.max_value IS 'Largest allowed value of a number setting (NULL: no limit).';
COMMENT ON COLUMN appraisal.setting_definitions.default_value IS 'Value used while appraisal.settings has no row for the setting.';
COMMENT ON COLUMN appraisal.setting_definitions.description IS 'What the setting controls.';
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('report_time_zone', 'time zone', NULL, NULL, 'UTC',
   'Time zone in which a ticket''s day is read: tickets count on the day (and so in the period) they were opened, in this zone.'),
  ('repeat_window', 'interval', NULL, NULL, '7 days',
   'A resolved ticket recurred when the same customer opens another ticket of the same category within this time of its resolution (FCR and recurrence rate).'),
  ('min_tickets', 'integer', 0, NULL, '10',
   'Fewer tickets than this in a scorecard row: grade ''insufficient data''.'),
  ('min_responses', 'integer', 0, NULL, '5',
   'Fewer survey responses than this in a scorecard row: grade ''insufficient data''.'),
  ('min_raters', 'integer', 0, NULL, '3',
   'Fewer 360 raters than this, over the groups that carry weight: grade ''insufficient data''.'),
  ('weight_first_response', 'numeric', 0, 100, '40',
   'Weight of first-response SLA compliance in the complaint composite (DOMAIN §4: 40).'),
  ('weight_resolution', 'numeric', 0, 100, '30',
   'Weight of resolution SLA compliance in the complaint composite (DOMAIN §4: 30).'),
  ('weight_satisfaction', 'numeric', 0, 100, '30',
   'Weight of satisfaction (CSAT) in the complaint composite (DOMAIN §4: 30).'),
  ('training_threshold', 'numeric', 0, 100, '80',
   'First-response compliance below this percentage sets the communication-skills training flag (DOMAIN §3).'),
  ('grade_scale', 'grade scale', NULL, NULL, 'standard',
   'Grade scale of the scorecards (a name in appraisal.grade_scale).'),
  ('weight_scheme', 'weight scheme', NULL, NULL, 'standard',
   'Weight scheme of the 360 scorecard (a name in appraisal.weight_scheme).'),
  ('reserve_pool_streak', 'integer', 1, NULL, '3',
   'Consecutive quarters graded in the best band that put a specialist in the reserve-supervisor pool (DOMAIN §3).'),
  ('failing_repeat', 'integer', 1, NULL, '2',
   'Consecutive appraisals graded in the worst band that raise the repeated-failing flag (DOMAIN §3).'),
  ('min_quarters', 'integer', 1, 4, '1',
   'Fewer quarterly results than this in a year: annual grade ''insufficient data''.'),
  ('pareto_share', 'numeric', 0, 100, '20',
   'Share (percent) of complaint categories, the most frequent first, flagged for process work (DOMAIN §4: 20).'),
  ('spike_factor', 'numeric', 1, NULL, '1.5',
   'A category''s weekly complaint rate spikes when it reaches this multiple of its pooled rate over the trailing weeks.'),
  ('spike_weeks', 'integer', 1, 52, '4',
   'Number of trailing weeks the complaint rate is compared with.'),
  ('spike_min_complaints', 'integer', 1, NULL, '5',
   'A week with fewer complaints than this in a category never spikes.');

GRANT SELECT ON appraisal.setting_definitions TO PUBLIC;

-- The definitions belong to the extension (pg_dump does not save them): a
-- changed default would silently revert on restore.  Settings change in
-- appraisal.settings; an update script that adds definitions disables this.
CREATE FUNCTION appraisal.refuse_setting_definition_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION 'appraisal.setting_definitions is part of the extension and cannot be changed'
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Change a setting with INSERT INTO appraisal.settings (name, value) VALUES (...).';
END
$$;
COMMENT ON FUNCTION appraisal.refuse_setting_definition_change() IS
  'Trigger of appraisal.setting_definitions: its rows ship with the extension and cannot be inserted, changed, deleted or truncated.';
CREATE TRIGGER refuse_change BEFORE INSERT OR UPDATE OR DELETE ON appraisal.setting_definitions
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_setting_definition_change();
CREATE TRIGGER refuse_truncate BEFORE TRUNCATE ON appraisal.setting_definitions
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_setting_definition_change();

CREATE TABLE appraisal.settings (
  name  text PRIMARY KEY
        CONSTRAINT "setting must be one of appraisal.setting_definitions"
        REFERENCES appraisal.setting_definitions ON UPDATE CASCADE,
  value text NOT NULL
);
COMMENT ON TABLE appraisal.settings IS
  'Settings changed from their defaults: a row here overrides appraisal.setting_definitions.default_value; delete it to go back to the default. Values are checked on insert. Read the values in effect from appraisal.current_settings.';
COMMENT ON COLUMN appraisal.settings.name IS 'Setting name (see appraisal.setting_definitions).';
COMMENT ON COLUMN appraisal.settings.value IS 'Value, as text of the setting''s type (e.g. ''20'', ''30 days'', ''Asia/Shanghai'').';

CREATE FUNCTION appraisal.check_setting() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  d appraisal.setting_definitions;
  n numeric;
BEGIN
  SELECT * INTO d FROM appraisal.setting_definitions WHERE name = NEW.name;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  BEGIN
    CASE d.type
      WHEN 'integer' THEN n := NEW.value::integer;
      WHEN 'numeric' THEN
        n := NEW.value::numeric;
        IF n IN ('NaN', 'Infinity', '-Infinity') THEN
          RAISE EXCEPTION 'must be a finite number' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'interval' THEN
        IF NEW.value::interval <= interval '0' THEN
          RAISE EXCEPTION 'must be positive' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'time zone' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.value)
           OR lower(NEW.value) = 'localtime' THEN
          RAISE EXCEPTION 'unknown time zone (see pg_timezone_names)' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      -- pg_dump's scripts restore the rows of settings before those of
      -- weight_scheme (tables in name order; no foreign key orders them),
      -- and run with check_function_bodies off to allow forward references
      -- in function bodies: so, too, the names here (checked when entered).
      WHEN 'grade scale' THEN
        IF current_setting('check_function_bodies')::boolean
           AND NOT EXISTS (SELECT 1 FROM appraisal.grade_scale WHERE name = NEW.value) THEN
          RAISE EXCEPTION 'no such grade scale in appraisal.grade_scale' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'weight scheme' THEN
        IF current_setting('check_function_bodies')::boolean
           AND NOT EXISTS (SELECT 1 FROM appraisal.weight_scheme WHERE name = NEW.value) THEN
          RAISE EXCEPTION 'no such weight scheme in appraisal.weight_scheme' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END CASE;
  EXCEPTION WHEN data_exception OR invalid_parameter_value OR datetime_field_overflow THEN
    RAISE EXCEPTION 'invalid value "%" for setting "%": %', NEW.value, NEW.name, SQLERRM
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('Setting "%s" takes a value of type %s%s.', NEW.name, d.type,
                          CASE WHEN d.min_value IS NOT NULL OR d.max_value IS NOT NULL
                               THEN format(', from %s to %s', coalesce(d.min_value::text, '-infinity'),
                                           coalesce(d.max_value::text, 'infinity')) ELSE '' END);
  END;
  IF NEW.name IN ('weight_first_response', 'weight_resolution', 'weight_satisfaction') AND n = 0
     AND NOT EXISTS (SELECT 1 FROM appraisal.current_settings c
                     WHERE c.name IN ('weight_first_response', 'weight_resolution', 'weight_satisfaction')
                       AND c.name <> NEW.name AND c.value::numeric > 0) THEN
    RAISE EXCEPTION 'invalid value "%" for setting "%": the three composite weights cannot all be 0', NEW.value, NEW.name
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF n IS NOT NULL AND (n < d.min_value OR n > d.max_value) THEN
    RAISE EXCEPTION 'invalid value "%" for setting "%": outside % to %', NEW.value, NEW.name,
      coalesce(d.min_value::text, '-infinity'), coalesce(d.max_value::text, 'infinity')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_setting() IS
  'Trigger of appraisal.settings: rejects a value that is not of the setting''s type or outside its range.';
CREATE TRIGGER check_setting BEFORE INSERT OR UPDATE ON appraisal.settings
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_setting();

-- A grade scale or weight scheme the settings name cannot go away under them.
CREATE FUNCTION appraisal.keep_named_setting() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF (TG_OP = 'DELETE' OR NEW.name IS DISTINCT FROM OLD.name)
     AND EXISTS (SELECT 1 FROM appraisal.settings WHERE name = TG_ARGV[0] AND value = OLD.name) THEN
    RAISE EXCEPTION '% "%" is the setting "%" of the scorecards', replace(TG_ARGV[0], '_', ' '), OLD.name, TG_ARGV[0]
      USING ERRCODE = 'foreign_key_violation',
            HINT = format('Change the setting first: DELETE FROM appraisal.settings WHERE name = %L;', TG_ARGV[0]);
  END IF;
  RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION appraisal.keep_named_setting() IS
  'Trigger of appraisal.grade_scale and appraisal.weight_scheme: a row that appraisal.settings names (grade_scale, weight_scheme) cannot be deleted or renamed.';
CREATE TRIGGER keep_named_setting BEFORE UPDATE OR DELETE ON appraisal.grade_scale
  FOR EACH ROW EXECUTE FUNCTION appraisal.keep_named_setting('grade_scale');
CREATE TRIGGER keep_named_setting BEFORE UPDATE OR DELETE ON appraisal.weight_scheme
  FOR EACH ROW EXECUTE FUNCTION appraisal.keep_named_setting('weight_scheme');

CREATE VIEW appraisal.current_settings WITH (security_invoker = true) AS
SELECT d.name, coalesce(s.value, d.default_value) AS value, s.value IS NULL AS is_default,
       d.type, d.description
FROM appraisal.setting_definitions d
LEFT JOIN appraisal.settings s USING (name);
COMMENT ON VIEW appraisal.current_settings IS 'The settings in effect: the value from appraisal.settings, else the default.';
COMMENT ON COLUMN appraisal.current_settings.name IS 'Setting name.';
COMMENT ON COLUMN appraisal.current_settings.value IS 'Value in effect, as text.';
COMMENT ON COLUMN appraisal.current_settings.is_default IS 'True when appraisal.settings has no row for it and the default applies.';
COMMENT ON COLUMN appraisal.current_settings.type IS 'Type of the value.';
COMMENT ON COLUMN appraisal.current_settings.description IS 'What the setting controls.';

-- One row, one typed column per setting: views cross-join it.  A function,
-- not a view: repeat_window is an interval, which BI tools do not show.
CREATE FUNCTION appraisal.scorecard_parameters()
RETURNS TABLE (report_time_zone text, repeat_window interval, min_tickets integer, min_responses integer,
               min_raters integer, weight_first_response numeric, weight_resolution numeric,
               weight_satisfaction numeric, training_threshold numeric, grade_scale text, weight_scheme text,
               reserve_pool_streak integer, failing_repeat integer, min_quarters integer, pareto_share numeric,
               spike_factor numeric, spike_weeks integer, spike_min_complaints integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'report_time_zone'),
         max(value) FILTER (WHERE name = 'repeat_window')::interval,
         max(value) FILTER (WHERE name = 'min_tickets')::integer,
         max(value) FILTER (WHERE name = 'min_responses')::integer,
         max(value) FILTER (WHERE name = 'min_raters')::integer,
         max(value) FILTER (WHERE name = 'weight_first_response')::numeric,
         max(value) FILTER (WHERE name = 'weight_resolution')::numeric,
         max(value) FILTER (WHERE name = 'weight_satisfaction')::numeric,
         max(value) FILTER (WHERE name = 'training_threshold')::numeric,
         max(value) FILTER (WHERE name = 'grade_scale'),
         max(value) FILTER (WHERE name = 'weight_scheme'),
         max(value) FILTER (WHERE name = 'reserve_pool_streak')::integer,
         max(value) FILTER (WHERE name = 'failing_repeat')::integer,
         max(value) FILTER (WHERE name = 'min_quarters')::integer,
         max(value) FILTER (WHERE name = 'pareto_share')::numeric,
         max(value) FILTER (WHERE name = 'spike_factor')::numeric,
         max(value) FILTER (WHERE name = 'spike_weeks')::integer,
         max(value) FILTER (WHERE name = 'spike_min_complaints')::integer
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.scorecard_parameters() IS
  'The settings in effect (appraisal.current_settings) as one row with a typed column per setting; see appraisal.setting_definitions for what each means.';

-- People and periods -------------------------------------------------------

CREATE TABLE appraisal.employees (
  employee_id text PRIMARY KEY,
  name        text NOT NULL,
  position    text NOT NULL
              CONSTRAINT "position must be specialist, supervisor or manager"
              CHECK (position IN ('specialist', 'supervisor', 'manager')),
  team        text NOT NULL,
  manager_id  text CONSTRAINT "manager must be a known employee" REFERENCES appraisal.employees,
  CONSTRAINT "an employee cannot be their own manager" CHECK (manager_id <> employee_id)
);
COMMENT ON TABLE appraisal.employees IS 'After-sales staff: position, team and direct manager (the management chain of 360 reviews and roll-ups).';
COMMENT ON COLUMN appraisal.employees.employee_id IS 'Employee code, as used in tickets, reviews and KPI results.';
COMMENT ON COLUMN appraisal.employees.name IS 'Name shown in the scorecards.';
COMMENT ON COLUMN appraisal.employees.position IS 'specialist (quarterly appraisal), supervisor (quarterly) or manager (yearly), DOMAIN §3; selects the KPI definitions.';
COMMENT ON COLUMN appraisal.employees.team IS 'Team the employee belongs to; team scorecards pool their members.';
COMMENT ON COLUMN appraisal.employees.manager_id IS 'Direct manager (NULL at the top of the chain).';
CREATE INDEX ON appraisal.employees (manager_id);

-- A management chain must end: checked at commit, so that a chain may be
-- loaded in any order; each check walks up from one employee only.
CREATE FUNCTION appraisal.check_manager_cycle() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF EXISTS (
    WITH RECURSIVE up(employee_id, steps) AS (
      SELECT e.manager_id, 1 FROM appraisal.employees e WHERE e.employee_id = NEW.employee_id
      UNION ALL
      SELECT e.manager_id, up.steps + 1 FROM up JOIN appraisal.employees e ON e.employee_id = up.employee_id
      WHERE up.employee_id <> NEW.employee_id AND up.steps <= (SELECT count(*) FROM appraisal.employees)
    )
    SELECT 1 FROM up WHERE employee_id = NEW.employee_id)
  THEN
    RAISE EXCEPTION 'employee "%" would manage themselves through the chain of managers', NEW.employee_id
      USING ERRCODE = 'check_violation',
            HINT = 'Every chain of manager_id must end at an employee without a manager.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.check_manager_cycle() IS
  'Constraint trigger of appraisal.employees: the chain of managers above an employee must not lead back to them.';
CREATE CONSTRAINT TRIGGER check_manager_cycle AFTER INSERT OR UPDATE OF manager_id ON appraisal.employees
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN (NEW.manager_id IS NOT NULL) EXECUTE FUNCTION appraisal.check_manager_cycle();
CREATE INDEX ON appraisal.employees (team);

CREATE TABLE appraisal.periods (
  period    text PRIMARY KEY,
  kind      text NOT NULL
            CONSTRAINT "period kind must be quarter, half_year or year"
            CHECK (kind IN ('quarter', 'half_year', 'year')),
  starts_on date NOT NULL,
  ends_on   date NOT NULL,
  CONSTRAINT "a period must end on or after its first day" CHECK (ends_on >= starts_on),
  CONSTRAINT "period dates must be finite" CHECK (isfinite(starts_on) AND isfinite(ends_on))
);
COMMENT ON TABLE appraisal.periods IS 'Appraisal periods: quarters (specialists and supervisors), half-years (knowledge and skills) and years (managers; the annual result). Periods of one kind must not overlap. appraisal.add_periods(year) adds a calendar year''s.';
COMMENT ON COLUMN appraisal.periods.period IS 'Period name, e.g. 2026-Q3, 2026-H2, 2026.';
COMMENT ON COLUMN appraisal.periods.kind IS 'quarter, half_year or year.';
COMMENT ON COLUMN appraisal.periods.starts_on IS 'First day of the period (inclusive), in the report time zone.';
COMMENT ON COLUMN appraisal.periods.ends_on IS 'Last day of the period (inclusive), in the report time zone.';

CREATE FUNCTION appraisal.check_period_overlap() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  other text;
BEGIN
  SELECT period INTO other FROM appraisal.periods
  WHERE kind = NEW.kind AND period <> NEW.period
    AND starts_on <= NEW.ends_on AND NEW.starts_on <= ends_on
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'period "%" (% to %) overlaps % "%"', NEW.period, NEW.starts_on, NEW.ends_on, NEW.kind, other
      USING ERRCODE = 'exclusion_violation',
            HINT = 'Periods of one kind must not overlap, or days would count twice in annual results.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.check_period_overlap() IS
  'Constraint trigger of appraisal.periods: periods of one kind must not overlap.';
CREATE CONSTRAINT TRIGGER check_period_overlap AFTER INSERT OR UPDATE ON appraisal.periods
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_period_overlap();

CREATE FUNCTION appraisal.add_periods(year integer) RETURNS SETOF appraisal.periods
LANGUAGE sql BEGIN ATOMIC
  INSERT INTO appraisal.periods (period, kind, starts_on, ends_on)
  SELECT p.period, p.kind, p.starts_on, (p.starts_on + p.len - interval '1 day')::date
  FROM (VALUES (year::text, 'year', make_date(year, 1, 1), interval '1 year'),
               (year || '-H1', 'half_year', make_date(year, 1, 1), interval '6 months'),
               (year || '-H2', 'half_year', make_date(year, 7, 1), interval '6 months'),
               (year || '-Q1', 'quarter', make_date(year, 1, 1), interval '3 months'),
               (year || '-Q2', 'quarter', make_date(year, 4, 1), interval '3 months'),
               (year || '-Q3', 'quarter', make_date(year, 7, 1), interval '3 months'),
               (year || '-Q4', 'quarter', make_date(year, 10, 1), interval '3 months')) p(period, kind, starts_on, len)
  RETURNING *;
END;
COMMENT ON FUNCTION appraisal.add_periods(integer) IS
  'Adds the calendar year''s periods: the year (e.g. 2026), its halves (2026-H1, 2026-H2) and quarters (2026-Q1 to 2026-Q4); returns them.';

-- SLA policies ---------------------------------------------------------------

CREATE TABLE appraisal.sla_policies (
  metric   text NOT NULL
           CONSTRAINT "SLA metric must be first_response or resolution"
           CHECK (metric IN ('first_response', 'resolution')),
  channel  text,
  priority text,
  target   interval NOT NULL CONSTRAINT "SLA target must be positive" CHECK (target > interval '0')
           CONSTRAINT "SLA target must be hours or days, not months" CHECK (extract(month FROM target) = 0 AND extract(year FROM target) = 0)
           CONSTRAINT "SLA target must not have negative parts" CHECK (extract(day FROM target) >= 0 AND target - date_trunc('day', target) >= interval '0'),
  calendar text NOT NULL DEFAULT '24x7'
           CONSTRAINT "calendar must be named in appraisal.business_calendars"
           REFERENCES appraisal.business_calendars (name) ON UPDATE CASCADE,
  description text,
  CONSTRAINT "one SLA policy per metric, channel and priority" UNIQUE NULLS NOT DISTINCT (metric, channel, priority)
);
COMMENT ON TABLE appraisal.sla_policies IS
  'SLA targets per metric, channel and priority, in business time on a named calendar. A ticket takes the most specific policy: channel and priority, then channel (priority NULL), then priority (channel NULL), then the metric''s general policy (both NULL); without any, first response is due in 24 hours and resolution in 48 hours on the 24x7 calendar (DOMAIN §4-5).';
COMMENT ON COLUMN appraisal.sla_policies.metric IS 'first_response (opened to first reply) or resolution (opened to resolved).';
COMMENT ON COLUMN appraisal.sla_policies.channel IS 'Ticket channel the policy applies to; NULL for any channel.';
COMMENT ON COLUMN appraisal.sla_policies.priority IS 'Ticket priority the policy applies to; NULL for any priority.';
COMMENT ON COLUMN appraisal.sla_policies.target IS 'Target in business time: hours count working time, days count working days (e.g. 3 days = three working days).';
COMMENT ON COLUMN appraisal.sla_policies.calendar IS 'Name of the business calendar in appraisal.business_calendars.';
COMMENT ON COLUMN appraisal.sla_policies.description IS 'Where the target comes from.';

-- Tickets, surveys, reviews --------------------------------------------------

CREATE TABLE appraisal.tickets (
  ticket_id         text PRIMARY KEY,
  opened_at         timestamptz NOT NULL,
  first_response_at timestamptz,
  resolved_at       timestamptz,
  contacts          integer CONSTRAINT "contacts must be at least 1" CHECK (contacts >= 1),
  channel           text NOT NULL,
  priority          text NOT NULL DEFAULT 'normal',
  category          text NOT NULL,
  complaint         boolean NOT NULL DEFAULT false,
  cause             text CONSTRAINT "cause must be service or system" CHECK (cause IN ('service', 'system')),
  customer_id       text,
  agent_id          text NOT NULL CONSTRAINT "agent must be a known employee" REFERENCES appraisal.employees,
  pauses            tstzmultirange,
  CONSTRAINT "timestamps must be finite" CHECK (isfinite(opened_at) AND isfinite(first_response_at) AND isfinite(resolved_at)),
  CONSTRAINT "first response cannot precede opening" CHECK (first_response_at >= opened_at),
  CONSTRAINT "resolution cannot precede opening" CHECK (resolved_at >= opened_at),
  CONSTRAINT "a resolved ticket needs its number of contacts" CHECK (resolved_at IS NULL OR contacts IS NOT NULL),
  CONSTRAINT "only complaints have a cause" CHECK (cause IS NULL OR complaint)
);
COMMENT ON TABLE appraisal.tickets IS
  'Customer contacts handled by an agent (one row per ticket; load with COPY). Complaints carry their attribution: service-caused ones count against the agent, system-caused ones (company policy or system) never do (DOMAIN §4).';
COMMENT ON COLUMN appraisal.tickets.ticket_id IS 'Ticket number.';
COMMENT ON COLUMN appraisal.tickets.opened_at IS 'When the customer''s contact was received; the ticket counts on this day (in the report time zone).';
COMMENT ON COLUMN appraisal.tickets.first_response_at IS 'First reply to the customer; NULL while unanswered (a resolved ticket without one counts as answered when resolved).';
COMMENT ON COLUMN appraisal.tickets.resolved_at IS 'When the ticket was closed as resolved; NULL while open.';
COMMENT ON COLUMN appraisal.tickets.contacts IS 'Contact on which the ticket was resolved (1 = first contact resolution); required once resolved.';
COMMENT ON COLUMN appraisal.tickets.channel IS 'Channel the contact came in on (e.g. phone, email, web, social); selects the SLA policy.';
COMMENT ON COLUMN appraisal.tickets.priority IS 'Priority (default normal); selects the SLA policy.';
COMMENT ON COLUMN appraisal.tickets.category IS 'Problem category; recurrence, Pareto and spikes are per category.';
COMMENT ON COLUMN appraisal.tickets.complaint IS 'True for a complaint (客诉).';
COMMENT ON COLUMN appraisal.tickets.cause IS 'Complaint attribution: service (counts against the agent) or system (company policy or system; never counts against the agent); NULL while not attributed.';
COMMENT ON COLUMN appraisal.tickets.customer_id IS 'Customer (same phone and address = same customer); a comeback of the same customer and category is a recurrence.';
COMMENT ON COLUMN appraisal.tickets.agent_id IS 'Employee who handled the ticket.';
COMMENT ON COLUMN appraisal.tickets.pauses IS 'Stretches when the SLA clock stopped (waiting for the customer); excluded from business time.';
-- No secondary indexes: the scorecards read the materialized summaries, and
-- each index would slow every COPY of tickets (two cost as much as the rest).

CREATE TABLE appraisal.survey_responses (
  ticket_id    text NOT NULL CONSTRAINT "survey must be about a known ticket" REFERENCES appraisal.tickets ON DELETE CASCADE,
  source       text NOT NULL
               CONSTRAINT "survey source must be web, call_back or sms"
               CHECK (source IN ('web', 'call_back', 'sms')),
  responded_at timestamptz NOT NULL CONSTRAINT "response time must be finite" CHECK (isfinite(responded_at)),
  rating       integer NOT NULL,
  scale_max    integer NOT NULL DEFAULT 5
               CONSTRAINT "scale must be 1..2 to 1..10" CHECK (scale_max BETWEEN 2 AND 10),
  CONSTRAINT "rating must lie on its scale 1..scale_max" CHECK (rating BETWEEN 1 AND scale_max),
  PRIMARY KEY (ticket_id, source, responded_at)
);
COMMENT ON TABLE appraisal.survey_responses IS
  'Satisfaction ratings of tickets from surveys, SMS and call-backs. Scorecards count one response per ticket (DOMAIN §6): a web response beats a call-back, which beats an SMS; among equals the latest counts. Use one scale throughout: responses of different scales cannot be pooled.';
COMMENT ON COLUMN appraisal.survey_responses.ticket_id IS 'Ticket the response rates.';
COMMENT ON COLUMN appraisal.survey_responses.source IS 'web, call_back or sms.';
COMMENT ON COLUMN appraisal.survey_responses.responded_at IS 'When the response was given.';
COMMENT ON COLUMN appraisal.survey_responses.rating IS 'Rating from 1 to scale_max; the top two ratings count as satisfied.';
COMMENT ON COLUMN appraisal.survey_responses.scale_max IS 'Top of the rating scale (default 5, five stars).';

CREATE TABLE appraisal.reviews_360 (
  period    text NOT NULL CONSTRAINT "period must be in appraisal.periods" REFERENCES appraisal.periods ON UPDATE CASCADE,
  ratee_id  text NOT NULL CONSTRAINT "ratee must be a known employee" REFERENCES appraisal.employees,
  rater_id  text NOT NULL,
  role      appraisal.rater_role NOT NULL,
  dimension text NOT NULL DEFAULT 'overall',
  score     numeric NOT NULL CONSTRAINT "360 score must lie in 0..100" CHECK (score BETWEEN 0 AND 100),
  PRIMARY KEY (period, ratee_id, rater_id, dimension),
  CONSTRAINT "a rater rates others, except as self" CHECK ((rater_id = ratee_id) = (role = 'self'))
);
COMMENT ON TABLE appraisal.reviews_360 IS
  '360 reviews (DOMAIN §1): one score per period, ratee, rater and dimension. A rater''s dimensions are averaged into one rating first, so each rater counts once in the group means.';
COMMENT ON COLUMN appraisal.reviews_360.period IS 'Period appraised.';
COMMENT ON COLUMN appraisal.reviews_360.ratee_id IS 'Employee rated.';
COMMENT ON COLUMN appraisal.reviews_360.rater_id IS 'Who rated (an employee code, or another identifier for raters outside the staff list).';
COMMENT ON COLUMN appraisal.reviews_360.role IS 'The rater relative to the ratee: superior, peer, subordinate, self or customer.';
COMMENT ON COLUMN appraisal.reviews_360.dimension IS 'What was rated (e.g. attitude, skills); default overall.';
COMMENT ON COLUMN appraisal.reviews_360.score IS 'Score, 0 to 100.';

-- KPIs -------------------------------------------------------------------------

CREATE TABLE appraisal.kpi_definitions (
  position text NOT NULL
           CONSTRAINT "position must be specialist, supervisor or manager"
           CHECK (position IN ('specialist', 'supervisor', 'manager')),
  kpi      text NOT NULL,
  weight   numeric NOT NULL CONSTRAINT "KPI weight must be positive" CHECK (weight > 0),
  zero_at  double precision NOT NULL,
  full_at  double precision NOT NULL,
  source   text NOT NULL DEFAULT 'manual'
           CONSTRAINT "KPI source must be manual or a scorecard measure"
           CHECK (source IN ('manual', 'first_response_compliance', 'resolution_compliance', 'fcr',
                             'recurrence_rate', 'csat', 'complaint_composite', 'score_360')),
  description text,
  CONSTRAINT "KPI range must not be empty" CHECK (zero_at <> full_at),
  CONSTRAINT "KPI range must be finite" CHECK (zero_at BETWEEN '-1e300' AND '1e300' AND full_at BETWEEN '-1e300' AND '1e300'),
  PRIMARY KEY (position, kpi)
);
COMMENT ON TABLE appraisal.kpi_definitions IS
  'The KPIs each position is appraised on (DOMAIN §7-8): weight, and the range linear_score maps to 0-100 points. A KPI''s value comes from appraisal.kpi_results, or, for a source other than manual, from the employee''s scorecard (own tickets and those of everyone reporting to them), unless a result was entered (an appeal).';
COMMENT ON COLUMN appraisal.kpi_definitions.position IS 'Position appraised on this KPI.';
COMMENT ON COLUMN appraisal.kpi_definitions.kpi IS 'KPI name.';
COMMENT ON COLUMN appraisal.kpi_definitions.weight IS 'Weight in the overall appraisal (any positive numbers; shares are weight / total weight).';
COMMENT ON COLUMN appraisal.kpi_definitions.zero_at IS 'Value scored 0 points (linear_score''s zero_at).';
COMMENT ON COLUMN appraisal.kpi_definitions.full_at IS 'Value scored 100 points (linear_score''s full_at); below zero_at for reversed KPIs such as recurrence rate.';
COMMENT ON COLUMN appraisal.kpi_definitions.source IS 'manual (from appraisal.kpi_results) or the scorecard measure that supplies the value: first_response_compliance, resolution_compliance, fcr, recurrence_rate, csat (percentages), complaint_composite or score_360 (points).';
COMMENT ON COLUMN appraisal.kpi_definitions.description IS 'What the KPI measures.';

CREATE TABLE appraisal.kpi_results (
  period      text NOT NULL CONSTRAINT "period must be in appraisal.periods" REFERENCES appraisal.periods ON UPDATE CASCADE,
  employee_id text NOT NULL CONSTRAINT "employee must be known" REFERENCES appraisal.employees,
  kpi         text NOT NULL,
  value       double precision NOT NULL CONSTRAINT "KPI value must be finite" CHECK (value BETWEEN '-1e300' AND '1e300'),
  note        text,
  PRIMARY KEY (period, employee_id, kpi)
);
COMMENT ON TABLE appraisal.kpi_results IS
  'Measured KPI values per period and employee: manual KPIs, and values that replace a scorecard measure (e.g. after an appeal; say why in note).';
COMMENT ON COLUMN appraisal.kpi_results.period IS 'Period appraised.';
COMMENT ON COLUMN appraisal.kpi_results.employee_id IS 'Employee appraised.';
COMMENT ON COLUMN appraisal.kpi_results.kpi IS 'KPI name, as in appraisal.kpi_definitions for the employee''s position.';
COMMENT ON COLUMN appraisal.kpi_results.value IS 'Measured value, in the unit of the KPI''s range.';
COMMENT ON COLUMN appraisal.kpi_results.note IS 'Where the value comes from, or why it replaces the scorecard''s (appeal).';

-- A result for a KPI the employee's position does not have would be left out
-- of the appraisal without a word: refuse it.
CREATE FUNCTION appraisal.check_kpi_result() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  pos text;
BEGIN
  SELECT position INTO pos FROM appraisal.employees WHERE employee_id = NEW.employee_id;
  IF FOUND AND NOT EXISTS (SELECT 1 FROM appraisal.kpi_definitions WHERE position = pos AND kpi = NEW.kpi) THEN
    RAISE EXCEPTION 'KPI "%" is not defined for position %, the position of employee "%"', NEW.kpi, pos, NEW.employee_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Add it to appraisal.kpi_definitions first, or check the spelling: '
                   || coalesce((SELECT string_agg(format('"%s"', kpi), ', ' ORDER BY kpi) FROM appraisal.kpi_definitions WHERE position = pos), 'none is defined') || '.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_kpi_result() IS
  'Trigger of appraisal.kpi_results: the KPI must be defined for the employee''s position in appraisal.kpi_definitions.';
CREATE TRIGGER check_kpi_result BEFORE INSERT OR UPDATE ON appraisal.kpi_results
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_kpi_result();

-- Everything users put in these tables survives pg_dump / pg_restore (one
-- call per statement: each updates the extension's catalog row).
SELECT pg_catalog.pg_extension_config_dump('appraisal.settings', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.employees', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.periods', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.sla_policies', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.tickets', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_responses', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.reviews_360', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.kpi_definitions', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.kpi_results', '');
-- appraisal install script, part 11: the materialized layer.  Per agent and
-- day (and per ratee and period for 360 reviews) the two-step summaries of
-- the raw tables, which the scorecard views roll up into any period or team.
-- refresh_scorecards() refreshes them; schedule_refresh() has pg_cron do it.
--
-- They are created WITH NO DATA: until the first refresh, reading them (or a
-- scorecard) fails with "has not been populated" instead of showing numbers
-- of empty tables.  pg_dump does not save an extension's materialized views,
-- so the same holds after a restore: refresh once, then on schedule.

-- The SLA policy of every ticket, found with one hash join: a ticket's
-- channel (priority) is kept when some policy names it, else replaced by ''
-- (no policy names ''), and sla_policy_matrix() holds the most specific
-- policy of every such pair, with the DOMAIN §4 defaults where none applies.
CREATE FUNCTION appraisal.sla_policy_matrix()
RETURNS TABLE (channel text, priority text, first_response_target interval, first_response_calendar text,
               resolution_target interval, resolution_calendar text)
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  WITH channels(channel) AS (
    SELECT channel FROM appraisal.sla_policies WHERE channel IS NOT NULL UNION SELECT ''
  ), priorities(priority) AS (
    SELECT priority FROM appraisal.sla_policies WHERE priority IS NOT NULL UNION SELECT ''
  ), candidates(metric, channel, priority, target, calendar, rank) AS (
    SELECT sp.metric, c.channel, p.priority, sp.target, sp.calendar,
           2 * (sp.channel IS NULL)::int + (sp.priority IS NULL)::int
    FROM appraisal.sla_policies sp
    JOIN channels c ON sp.channel = c.channel OR sp.channel IS NULL
    JOIN priorities p ON sp.priority = p.priority OR sp.priority IS NULL
    UNION ALL   -- DOMAIN §4 defaults, below every policy
    SELECT m.metric, c.channel, p.priority, m.target, '24x7', 4
    FROM (VALUES ('first_response', interval '24 hours'), ('resolution', interval '48 hours')) m(metric, target),
         channels c, priorities p
  ), best AS (
    SELECT DISTINCT ON (metric, channel, priority) * FROM candidates ORDER BY metric, channel, priority, rank
  )
  SELECT f.channel, f.priority, f.target, f.calendar, r.target, r.calendar
  FROM best f JOIN best r USING (channel, priority)
  WHERE f.metric = 'first_response' AND r.metric = 'resolution';
END;
COMMENT ON FUNCTION appraisal.sla_policy_matrix() IS
  'The SLA policy in effect for every channel and priority named by some policy ('''' stands for all others): the most specific of appraisal.sla_policies (channel and priority, then channel, then priority, then general), else 24 hours to first response and 48 hours to resolution on 24x7 (DOMAIN §4). The materialized summaries find a ticket''s policy in it with one hash join.';

ALTER TABLE appraisal.sla_policies
  ADD CONSTRAINT "channel and priority must not be empty strings" CHECK (channel <> '' AND priority <> '');

-- Tickets per agent and day: SLA, FCR and complaint counts.
CREATE MATERIALIZED VIEW appraisal.agent_daily AS
WITH params AS (
  SELECT report_time_zone, repeat_window FROM appraisal.scorecard_parameters()
), keyed AS (
  SELECT t.agent_id, t.opened_at, t.first_response_at, t.resolved_at, t.contacts, t.pauses,
         t.complaint, t.cause,
         CASE WHEN t.channel IN (SELECT channel FROM appraisal.sla_policy_matrix()) THEN t.channel ELSE '' END AS channel_key,
         CASE WHEN t.priority IN (SELECT priority FROM appraisal.sla_policy_matrix()) THEN t.priority ELSE '' END AS priority_key,
         -- the same customer's next ticket of the same category: a comeback
         CASE WHEN t.customer_id IS NOT NULL THEN
           lead(t.opened_at) OVER (PARTITION BY t.customer_id, t.category ORDER BY t.opened_at, t.ticket_id)
         END AS next_opened_at
  FROM appraisal.tickets t
)
SELECT k.agent_id,
       (k.opened_at AT TIME ZONE params.report_time_zone)::date AS day,
       count(*) AS tickets,
       -- resolving a ticket answers it: a ticket resolved without a recorded
       -- first response was first answered when resolved
       appraisal.sla_agg(k.opened_at, coalesce(k.first_response_at, k.resolved_at), m.first_response_target,
                         m.first_response_calendar, now(), k.pauses) AS first_response,
       appraisal.sla_agg(k.opened_at, k.resolved_at, m.resolution_target,
                         m.resolution_calendar, now(), k.pauses) AS resolution,
       appraisal.fcr_agg(CASE WHEN k.resolved_at <= now() THEN k.contacts END,
                         -- a comeback before the resolution recurred too (gap 0)
                         CASE WHEN k.next_opened_at IS NOT NULL
                              THEN greatest(k.next_opened_at - k.resolved_at, interval '0') END,
                         params.repeat_window) AS fcr,
       count(*) FILTER (WHERE k.complaint) AS complaints,
       count(*) FILTER (WHERE k.cause = 'service') AS service_complaints,
       count(*) FILTER (WHERE k.cause = 'system') AS system_complaints,
       now() AS as_of
FROM keyed k
CROSS JOIN params
JOIN appraisal.sla_policy_matrix() m ON m.channel = k.channel_key AND m.priority = k.priority_key
WHERE k.opened_at <= now()   -- a ticket from after the refresh counts from the next one
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily (agent_id, day);
COMMENT ON MATERIALIZED VIEW appraisal.agent_daily IS
  'Per agent and day (tickets opened that day in the report time zone): two-step summaries of first-response and resolution SLA (against the ticket''s SLA policy, as of the refresh), FCR with recurrence, and complaint counts. Refreshed by appraisal.refresh_scorecards(); the scorecards roll it up.';
COMMENT ON COLUMN appraisal.agent_daily.agent_id IS 'Agent (appraisal.employees).';
COMMENT ON COLUMN appraisal.agent_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily.tickets IS 'Tickets opened that day, by the refresh.';
COMMENT ON COLUMN appraisal.agent_daily.first_response IS 'First-response SLA summary (sla_stats) as of the refresh.';
COMMENT ON COLUMN appraisal.agent_daily.resolution IS 'Resolution SLA summary (sla_stats) as of the refresh.';
COMMENT ON COLUMN appraisal.agent_daily.fcr IS 'FCR summary (fcr_stats) of the tickets resolved by the refresh; recurred when the customer came back in the same category within the repeat window.';
COMMENT ON COLUMN appraisal.agent_daily.complaints IS 'Complaints among the tickets.';
COMMENT ON COLUMN appraisal.agent_daily.service_complaints IS 'Service-caused complaints (count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.system_complaints IS 'System-caused complaints (never count against the agent).';
COMMENT ON COLUMN appraisal.agent_daily.as_of IS 'When the summary was computed (the refresh).';

-- Survey responses per agent and day of the rated ticket, one per ticket.
CREATE MATERIALIZED VIEW appraisal.agent_daily_csat AS
WITH params AS (
  SELECT report_time_zone FROM appraisal.scorecard_parameters()
), counted AS (   -- DOMAIN §6: one response per ticket, web beats the rest
  SELECT DISTINCT ON (r.ticket_id) r.ticket_id, r.rating, r.scale_max
  FROM appraisal.survey_responses r
  ORDER BY r.ticket_id, CASE r.source WHEN 'web' THEN 1 WHEN 'call_back' THEN 2 ELSE 3 END, r.responded_at DESC
)
SELECT t.agent_id,
       (t.opened_at AT TIME ZONE params.report_time_zone)::date AS day,
       c.scale_max,
       appraisal.csat_agg(c.rating, c.scale_max) AS csat,
       now() AS as_of
FROM counted c
JOIN appraisal.tickets t USING (ticket_id)
CROSS JOIN params
GROUP BY 1, 2, 3
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.agent_daily_csat (agent_id, day, scale_max);
COMMENT ON MATERIALIZED VIEW appraisal.agent_daily_csat IS
  'Per agent, day the rated tickets were opened and rating scale: two-step CSAT summary (csat_stats) of one response per ticket (web, else call-back, else SMS; the latest of equals), DOMAIN §6.';
COMMENT ON COLUMN appraisal.agent_daily_csat.agent_id IS 'Agent who handled the rated tickets.';
COMMENT ON COLUMN appraisal.agent_daily_csat.day IS 'Day the rated tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.agent_daily_csat.scale_max IS 'Top of the rating scale (summaries of different scales are kept apart; the scorecards add up their counts of responses and satisfied responses).';
COMMENT ON COLUMN appraisal.agent_daily_csat.csat IS 'Counts of the ratings (csat_stats).';
COMMENT ON COLUMN appraisal.agent_daily_csat.as_of IS 'When the summary was computed (the refresh).';

-- Complaints per category and day: Pareto and spikes.
CREATE MATERIALIZED VIEW appraisal.category_daily AS
SELECT t.category,
       (t.opened_at AT TIME ZONE p.report_time_zone)::date AS day,
       count(*) AS tickets,
       count(*) FILTER (WHERE t.complaint) AS complaints,
       count(*) FILTER (WHERE t.cause = 'service') AS service_complaints,
       count(*) FILTER (WHERE t.cause = 'system') AS system_complaints,
       now() AS as_of
FROM appraisal.tickets t CROSS JOIN appraisal.scorecard_parameters() p
WHERE t.opened_at <= now()
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.category_daily (category, day);
COMMENT ON MATERIALIZED VIEW appraisal.category_daily IS 'Per ticket category and day: tickets and complaints, for the complaint Pareto and spike alerts.';
COMMENT ON COLUMN appraisal.category_daily.category IS 'Ticket category.';
COMMENT ON COLUMN appraisal.category_daily.day IS 'Day the tickets were opened, in the report time zone.';
COMMENT ON COLUMN appraisal.category_daily.tickets IS 'Tickets opened that day, by the refresh.';
COMMENT ON COLUMN appraisal.category_daily.complaints IS 'Complaints among them.';
COMMENT ON COLUMN appraisal.category_daily.service_complaints IS 'Service-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.system_complaints IS 'System-caused complaints.';
COMMENT ON COLUMN appraisal.category_daily.as_of IS 'When the counts were taken (the refresh).';

-- 360 reviews per ratee and period: a review belongs to the period it
-- appraises, not to the day it was written.
CREATE MATERIALIZED VIEW appraisal.period_ratings AS
SELECT r.period, r.ratee_id,
       appraisal.rating_agg(r.score::double precision, r.role) AS ratings,
       now() AS as_of
FROM (SELECT period, ratee_id, rater_id, role, avg(score) AS score
        FROM appraisal.reviews_360
       GROUP BY period, ratee_id, rater_id, role) r
GROUP BY 1, 2
WITH NO DATA;
CREATE UNIQUE INDEX ON appraisal.period_ratings (period, ratee_id);
COMMENT ON MATERIALIZED VIEW appraisal.period_ratings IS
  'Per period and ratee: the 360 ratings summary (appraisal.ratings), one rating per rater (the mean of the rater''s dimensions).';
COMMENT ON COLUMN appraisal.period_ratings.period IS 'Period appraised.';
COMMENT ON COLUMN appraisal.period_ratings.ratee_id IS 'Employee rated.';
COMMENT ON COLUMN appraisal.period_ratings.ratings IS 'Counts and exact sums of the ratings per rater role.';
COMMENT ON COLUMN appraisal.period_ratings.as_of IS 'When the summary was computed (the refresh).';

-- Refresh and schedule ---------------------------------------------------------

CREATE FUNCTION appraisal.refresh_scorecards()
RETURNS TABLE (materialized_view text, mode text, rows bigint, started_at timestamptz, duration interval)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  mv regclass;
  t0 timestamptz;
  problem text;
BEGIN
  -- The small tables the views join rarely reach autovacuum's thresholds;
  -- without statistics the planner guesses hundreds of periods and plans
  -- (and JIT-compiles) as for millions of rows.
  ANALYZE appraisal.setting_definitions, appraisal.settings, appraisal.employees, appraisal.periods,
          appraisal.sla_policies, appraisal.kpi_definitions, appraisal.kpi_results;
  -- A rater counts once per ratee and period: one role for all dimensions.
  SELECT format('%s rates %s in %s as %s', rater_id, ratee_id, period, string_agg(DISTINCT role::text, ' and '))
    INTO problem
    FROM appraisal.reviews_360
   GROUP BY period, ratee_id, rater_id
  HAVING count(DISTINCT role) > 1
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'a 360 rater has two roles: %', problem
      USING ERRCODE = 'check_violation',
            HINT = 'Give every dimension of one rater''s review of one ratee in one period the same role in appraisal.reviews_360.';
  END IF;
  -- dependency order: none reads another yet, but keep this list in the
  -- order they would have to be refreshed in
  FOREACH mv IN ARRAY ARRAY['appraisal.agent_daily', 'appraisal.agent_daily_csat',
                            'appraisal.category_daily', 'appraisal.period_ratings']::regclass[] LOOP
    t0 := clock_timestamp();
    IF (SELECT relispopulated FROM pg_class WHERE oid = mv) THEN
      EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %s', mv);
      mode := 'concurrently';
    ELSE   -- the first refresh cannot be concurrent
      EXECUTE format('REFRESH MATERIALIZED VIEW %s', mv);
      mode := 'full';
    END IF;
    EXECUTE format('ANALYZE %s', mv);   -- fresh statistics for the views' plans
    materialized_view := mv::text;
    started_at := t0;
    duration := clock_timestamp() - t0;
    EXECUTE format('SELECT count(*) FROM %s', mv) INTO rows;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.refresh_scorecards() IS
  'Refreshes the materialized per-day summaries the scorecards read, in dependency order: concurrently (readers are not blocked) once populated, in full the first time, and analyzes them and the small tables the views join, so that the views are planned for their real sizes. Returns per materialized view the mode, its rows, when it started and how long it took (with its ANALYZE).';

CREATE FUNCTION appraisal.cron_job_name() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT 'appraisal refresh_scorecards in ' || current_database();
END;
COMMENT ON FUNCTION appraisal.cron_job_name() IS
  'Name of the pg_cron job schedule_refresh registers for the current database.';

CREATE FUNCTION appraisal.require_pg_cron() RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  preloaded boolean := current_setting('shared_preload_libraries') ~ '(^|[\s,])"?pg_cron"?($|[\s,])';
  cron_db text := coalesce(current_setting('cron.database_name', true), 'postgres');
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
    RETURN;
  END IF;
  RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
    USING ERRCODE = 'feature_not_supported',
          DETAIL = CASE WHEN NOT preloaded THEN 'pg_cron is not in shared_preload_libraries.'
                        WHEN cron_db <> current_database() THEN format('pg_cron is preloaded and keeps its jobs in database "%s".', cron_db)
                        ELSE 'pg_cron is preloaded, but the extension is not created in this database.' END,
          HINT = CASE WHEN NOT preloaded
                        THEN format('Install postgresql-15-cron, set shared_preload_libraries = ''pg_cron'' and cron.database_name = %L in postgresql.conf, restart the server, then run CREATE EXTENSION pg_cron in this database.', current_database())
                      WHEN cron_db <> current_database()
                        THEN format('Set cron.database_name = %L and restart the server, then run CREATE EXTENSION pg_cron here; or, connected to database "%s", run SELECT cron.schedule_in_database(%L, ''30 2 * * *'', ''SELECT * FROM appraisal.refresh_scorecards()'', %L).',
                                    current_database(), cron_db, appraisal.cron_job_name(), current_database())
                      ELSE 'Run CREATE EXTENSION pg_cron in this database.' END;
END
$$;
COMMENT ON FUNCTION appraisal.require_pg_cron() IS
  'Raises an error saying how to enable pg_cron unless the pg_cron extension is installed in this database.';

CREATE FUNCTION appraisal.schedule_refresh(cron text) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  job bigint;
BEGIN
  PERFORM appraisal.require_pg_cron();
  -- schedule_in_database: pg_cron may run in another database than ours.
  -- pg_cron (1.4) updates the job of the same name and role in place (same
  -- job id) but keeps its active flag: a job paused with cron.alter_job
  -- would stay paused, so switch it on again.
  EXECUTE 'SELECT cron.schedule_in_database($1, $2, $3, $4)'
    INTO job
    USING appraisal.cron_job_name(), cron, 'SELECT * FROM appraisal.refresh_scorecards()', current_database();
  EXECUTE 'SELECT cron.alter_job($1, active => true)' USING job;
  RETURN job;
END
$$;
COMMENT ON FUNCTION appraisal.schedule_refresh(text) IS
  'Has pg_cron run appraisal.refresh_scorecards() in this database on the given cron schedule (e.g. ''30 2 * * *'', nightly at 02:30 GMT: pg_cron 1.4 reads schedules in GMT, later versions in cron.timezone); scheduling again replaces the schedule and switches a paused job on. Returns the pg_cron job id. Fails, saying how to enable it, when pg_cron is not installed.';

CREATE FUNCTION appraisal.unschedule_refresh() RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  done boolean;
BEGIN
  PERFORM appraisal.require_pg_cron();
  IF NOT EXISTS (SELECT 1 FROM cron.job WHERE jobname = appraisal.cron_job_name()) THEN
    RETURN false;
  END IF;
  EXECUTE 'SELECT cron.unschedule($1)' INTO done USING appraisal.cron_job_name();
  RETURN done;
END
$$;
COMMENT ON FUNCTION appraisal.unschedule_refresh() IS
  'Removes the pg_cron job of schedule_refresh for this database; false when none was scheduled. Fails, saying how to enable it, when pg_cron is not installed.';
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

CREATE FUNCTION appraisal.weighted_percent(weights numeric[], parts bigint[], wholes bigint[]) RETURNS numeric
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
COMMENT ON FUNCTION appraisal.weighted_percent(numeric[], bigint[], bigint[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] with weights[i], as one exact fraction truncated to two decimals (40 % of 9/10, 30 % of 8/10 and 30 % of 4/5 give 84.00). Parts of weight 0 are left out; NULL when a weighted part has no whole or every weight is 0.';

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
-- appraisal install script, part 13: generate_demo_data, a realistic and
-- deterministic data set of any size for the demo, tests and benchmarks.
--
-- Every random choice is a hash of a key: demo_uniform(ticket number, stream)
-- with one stream per attribute, or, for the small tables, of the first 32
-- bits of the MD5 of a text key.  So the same arguments give the same rows on
-- any machine and in any plan order.  Everything is set-based (INSERT ...
-- SELECT over generate_series): no row loops.

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
     OR EXISTS (SELECT 1 FROM appraisal.kpi_definitions) THEN
    IF NOT replace THEN
      RAISE EXCEPTION 'the appraisal tables already hold data'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'generate_demo_data(replace => true) deletes every row of employees, periods, settings, sla_policies, tickets, survey_responses, reviews_360, kpi_definitions and kpi_results first.';
    END IF;
    TRUNCATE appraisal.survey_responses, appraisal.tickets;   -- the big ones; DELETE would cascade row by row
    DELETE FROM appraisal.kpi_results;
    DELETE FROM appraisal.kpi_definitions;
    DELETE FROM appraisal.reviews_360;
    DELETE FROM appraisal.sla_policies;
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
    ('first_response', 'email', NULL, '24 hours', '24x7', 'E-mail: answer within 24 hours (DOMAIN §5)'),
    ('first_response', 'social', NULL, '2 hours', 'demo_cn_office', 'Social media: answer within 2 working hours (speed, DOMAIN §4)'),
    ('first_response', NULL, NULL, '1 day', 'demo_cn_office', 'Other channels: answer within one working day'),
    ('resolution', NULL, NULL, '3 days', 'demo_cn_office', 'Resolve within 3 working days (DOMAIN §4)'),
    ('resolution', NULL, 'high', '48 hours', '24x7', 'High priority: resolve within 48 hours (DOMAIN §4)');

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
              FROM (SELECT substr(t.ticket_id, 2)::bigint AS i, t.*,
                           -ln(1 - appraisal.demo_uniform(substr(t.ticket_id, 2)::bigint, 41))
                           / (power(1.1 - st.skill, 2) * CASE WHEN t.contacts > 1 THEN 1.5 ELSE 1 END
                                                       * CASE WHEN t.complaint THEN 1.5 ELSE 1 END) AS draw
                      FROM appraisal.tickets t JOIN demo_staff st ON st.employee_id = t.agent_id
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
    INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority,
                                   category, complaint, cause, customer_id, agent_id, pauses)
    SELECT 'T' || lpad(r.i::text, 9, '0'), r.opened_at,
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

  -- Surveys: 38 % of the resolved tickets answered (55 % of complaints),
  -- satisfaction following the agent's skill, lower after a complaint or
  -- several contacts, and leaning to the extremes (5 and 1).  One in seven
  -- web or call-back answers was preceded by an SMS answer for the same
  -- ticket (counted once: the web or call-back one); a few SMS answers were
  -- sent twice (the later counts).
  INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
  SELECT t.ticket_id, v.source, v.responded_at, v.rating
  FROM (SELECT t.ticket_id, t.resolved_at, substr(t.ticket_id, 2)::bigint AS i, t.complaint,
               least(0.97, greatest(0.03, 0.35 + 0.6 * st.skill - CASE WHEN t.complaint THEN 0.35 ELSE 0 END
                                          - CASE WHEN t.contacts > 1 THEN 0.1 ELSE 0 END)) AS p_sat
          FROM appraisal.tickets t JOIN demo_staff st ON st.employee_id = t.agent_id
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

  -- KPIs per position (DOMAIN §3, §7) and the manual results of every
  -- appraised period that has ended; one appeal replaces a measured value.
  INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source, description) VALUES
    ('specialist', 'first response', 40, 50, 95, 'first_response_compliance', 'First-response SLA compliance, % (target 95, DOMAIN §4)'),
    ('specialist', 'satisfaction', 30, 30, 90, 'csat', 'CSAT, %'),
    ('specialist', '360 review', 20, 50, 95, 'score_360', '360 composite'),
    ('specialist', 'knowledge test', 10, 60, 100, 'manual', 'Quarterly product-knowledge test'),
    ('supervisor', 'team composite', 40, 60, 95, 'complaint_composite', 'Closed-loop complaint composite of the team'),
    ('supervisor', 'recurrence', 20, 15, 2, 'recurrence_rate', 'Recurrence rate of the team, % (reversed)'),
    ('supervisor', '360 review', 20, 50, 95, 'score_360', '360 composite'),
    ('supervisor', 'team management', 20, 0, 100, 'manual', 'Team management, rated by the service manager'),
    ('manager', 'satisfaction', 40, 30, 90, 'csat', 'CSAT of the service centre, %'),
    ('manager', 'composite', 30, 60, 95, 'complaint_composite', 'Closed-loop complaint composite of the service centre'),
    ('manager', 'management', 30, 0, 100, 'manual', 'Cost control and management improvement (DOMAIN §7)');
  INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value, note)
  SELECT p.period, e.employee_id,
         CASE e.position WHEN 'specialist' THEN 'knowledge test' WHEN 'supervisor' THEN 'team management' ELSE 'management' END,
         round(least(100, 50 + 45 * s.skill + 16 * (appraisal.demo_uniform(('x' || left(md5(p.period || '/' || e.employee_id || '/manual'), 8))::bit(32)::bigint, 0) - 0.5))::numeric, 0),
         NULL
  FROM appraisal.employees e
  JOIN demo_staff s USING (employee_id)
  JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
  WHERE (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop
  UNION ALL
  SELECT p.period, 'A' || lpad('2', width, '0'), 'first response', 80,
         'Appeal upheld: the phone system lost call-backs in May; compliance recomputed without the affected tickets'
  FROM appraisal.periods p
  WHERE p.period = y || '-Q2' AND (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop;

  ANALYZE appraisal.employees, appraisal.periods, appraisal.tickets, appraisal.survey_responses, appraisal.reviews_360;
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
  'Fills the appraisal tables with a realistic, repeatable demo data set (the same arguments give the same rows) and refreshes the scorecards: a service manager, a supervisor per team of about eight and the given number of agents of varied skill (A001 a star, A002 weak); the periods of year (default: last year; the current year gives the part that has passed, with pending tickets); a Shanghai office calendar (lunch break, public holidays, make-up workdays in 2025) with SLA policies on it; tickets mostly in office hours of working days, with skewed channels, categories and complaint rates, service- and system-caused complaints, a delivery spike after Double 11 and a billing one in March, pauses, unanswered and open tickets, and 6 % comebacks of the same customer (recurrence); surveys leaning to extreme ratings with duplicate SMS answers; 360 reviews with missing groups, self-ratings and the director as the manager''s superior; KPI definitions per position, manual results and one appeal. Refuses to touch tables holding data (SQLSTATE 55000) unless replace is true, which deletes it first. Returns the rows per table.';
