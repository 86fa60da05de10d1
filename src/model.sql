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
