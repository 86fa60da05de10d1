-- 21: settings: the definitions the extension ships (types, ranges,
-- defaults; read-only), the overrides users insert into appraisal.settings
-- (checked by triggers), the view current_settings, and per consumer one
-- typed row of the values in effect (scorecard_parameters,
-- customer_parameters, provider_parameters).

CREATE TABLE appraisal.setting_definitions (
  name        text PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('integer', 'numeric', 'boolean', 'interval', 'time zone', 'period kind', 'grade scale', 'weight scheme')),
  min_value   numeric,
  max_value   numeric,
  default_value text NOT NULL,
  description text NOT NULL
);
COMMENT ON TABLE appraisal.setting_definitions IS
  'The settings the scorecards read, with their types, allowed ranges and defaults (shipped with the extension, read-only). Change a setting by inserting its name and value into appraisal.settings.';
COMMENT ON COLUMN appraisal.setting_definitions.name IS 'Setting name, as used in appraisal.settings.';
COMMENT ON COLUMN appraisal.setting_definitions.type IS 'What the value must be: integer, numeric, boolean, interval, time zone, period kind (month, quarter, half_year or year), or the name of a grade scale or weight scheme.';
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
  ('min_raters', 'integer', 0, NULL, '1',
   'Fewer 360 raters than this, over the groups that count (each at or above its anonymity threshold in the weight scheme): grade ''insufficient data''. Anonymity is the scheme''s, per group; this is only how much evidence a grade needs.'),
  ('weight_first_response', 'numeric', 0, 100, '40',
   'Weight of first-response SLA compliance in the complaint composite (docs/rules.md, "Complaint handling": 40).'),
  ('weight_resolution', 'numeric', 0, 100, '30',
   'Weight of resolution SLA compliance in the complaint composite (docs/rules.md, "Complaint handling": 30).'),
  ('weight_satisfaction', 'numeric', 0, 100, '30',
   'Weight of satisfaction (CSAT) in the complaint composite (docs/rules.md, "Complaint handling": 30).'),
  ('training_threshold', 'numeric', 0, 100, '80',
   'First-response compliance below this percentage sets the communication-skills training flag (docs/rules.md, "Appraisal periods and results").'),
  ('grade_scale', 'grade scale', NULL, NULL, 'standard',
   'Grade scale of the scorecards (a name in appraisal.grade_scale).'),
  ('weight_scheme', 'weight scheme', NULL, NULL, 'standard',
   'Weight scheme of the 360 scorecard (a name in appraisal.weight_scheme).'),
  ('reserve_pool_streak', 'integer', 1, NULL, '3',
   'Consecutive appraised periods (of the position''s cycle: quarters by default) graded in the best band that put a specialist in the reserve-supervisor pool (docs/rules.md, "Appraisal periods and results").'),
  ('failing_repeat', 'integer', 1, NULL, '2',
   'Consecutive appraisals graded in the worst band that raise the repeated-failing flag (docs/rules.md, "Appraisal periods and results").'),
  ('min_soft_kpi_share', 'numeric', 0, 100, '30',
   'Share (percent of the weights) that a position''s soft KPIs should reach at least (docs/rules.md, "Complaint handling": 30); a position below it is listed in appraisal.kpi_weight_warnings, not refused.'),
  ('core_kpis_min', 'integer', 1, NULL, '3',
   'Fewest KPIs a position should be appraised on (docs/rules.md, "Complaint handling": 3 to 5 core indicators); a position with fewer is listed in appraisal.kpi_weight_warnings, not refused.'),
  ('core_kpis_max', 'integer', 1, NULL, '5',
   'Most KPIs a position should be appraised on (docs/rules.md, "Complaint handling": 3 to 5 core indicators); a position with more is listed in appraisal.kpi_weight_warnings, not refused.'),
  ('several_failing_times', 'integer', 1, NULL, '2',
   'Worst grades among the last several_failing_window appraised periods, consecutive or not, that raise the several-failing flag (docs/rules.md, "Appraisal periods and results": several failing results lead to dismissal review).'),
  ('several_failing_window', 'integer', 1, 100, '4',
   'How many of the latest appraised periods (this one included) several_failing_times counts in: 4, a year of quarters.'),
  ('target_first_response', 'numeric', 0, 100, '95',
   'First-response compliance (percent) a scorecard row should reach; the points below it are shown (docs/rules.md, "Complaint handling": 95).'),
  ('target_csat', 'numeric', 0, 100, '95',
   'CSAT (percent) a scorecard row should reach (docs/rules.md, "Service levels": 95).'),
  ('target_resolution_accuracy', 'numeric', 0, 100, '98',
   'Resolution accuracy (percent of resolved tickets that did not recur) a scorecard row should reach (docs/rules.md, "Service levels": 98).'),
  ('system_complaints_first_response', 'boolean', NULL, NULL, 'true',
   'Whether a system-caused complaint''s first response still counts in the agent''s first-response compliance: true (the default: answering in time is always the agent''s job) or false (the complaint is left out of every measure of the agent). Its resolution, FCR, recurrence and satisfaction never count (docs/rules.md, "Complaint handling": attribution). Read at the refresh of the summaries.'),
  ('high_satisfaction_share', 'numeric', 0, 100, '20',
   'Share (percent) of a team''s agents, the highest CSAT first, flagged high_satisfaction in agent_scorecard for the share-your-practice programme (docs/rules.md, "Appraisal periods and results"; the regulations name no share: 20 is the project''s, as for the complaint Pareto).'),
  ('cycle_specialist', 'period kind', NULL, NULL, 'quarter',
   'Cycle specialists are appraised on: month, quarter, half_year or year (docs/rules.md, "Appraisal periods and results": quarterly; monthly in the appliance-service and repair regulations). Their annual result is the mean of their results of the year.'),
  ('cycle_supervisor', 'period kind', NULL, NULL, 'quarter',
   'Cycle supervisors are appraised on: month, quarter, half_year or year (docs/rules.md, "Appraisal periods and results": quarterly).'),
  ('cycle_manager', 'period kind', NULL, NULL, 'year',
   'Cycle managers are appraised on: month, quarter, half_year or year (docs/rules.md, "Appraisal periods and results": yearly).'),
  ('call_back_window', 'interval', NULL, NULL, '7 days',
   'A resolved ticket counts as called back when a call-back (appraisal.call_backs, or a survey response from a call-back) falls within this time after its resolution, its end included (docs/rules.md, "Service levels").'),
  ('target_call_back_rate', 'numeric', 0, 100, '90',
   'Call-back rate (percent of resolved tickets called back within call_back_window) a scorecard row should reach (docs/rules.md, "Service levels": 90).'),
  ('target_service_quality', 'numeric', 0, 100, '95',
   'QA score (the mean score of the internal quality inspections, 0-100) a scorecard row should reach (docs/rules.md, "Complaint handling": 95).'),
  ('extreme_rating_weight', 'numeric', 0, 1, '1',
   'Weight of an extreme survey rating (the lowest or the highest of its scale) in the extreme-weighted CSAT the scorecards show beside the plain one; the other ratings weigh 1. 1, the default, weighs all alike (docs/rules.md, "Complaint handling": extreme ratings are less reliable).'),
  ('min_quarters', 'integer', 1, 12, '1',
   'Fewer results of the position''s cycle than this in a year (quarters by default; up to 12 for a monthly position, at most 2 can be met by a half-yearly one): annual grade ''insufficient data''.'),
  ('pareto_share', 'numeric', 0, 100, '20',
   'Share (percent) of complaint categories, the most frequent first, flagged for process work (docs/rules.md, "Complaint handling": 20).'),
  ('spike_factor', 'numeric', 1, NULL, '1.5',
   'A category''s weekly complaint rate spikes when it reaches this multiple of its pooled rate over the trailing weeks.'),
  ('spike_weeks', 'integer', 1, 52, '4',
   'Number of trailing weeks the complaint rate is compared with.'),
  ('spike_min_complaints', 'integer', 1, NULL, '5',
   'A week with fewer complaints than this in a category never spikes.'),
  -- customer evaluation (docs/rules.md, "Customer evaluation")
  ('customer_weight_sales', 'numeric', 0, 100, '30', 'Weight of sales volume in the composite customer score (docs/rules.md, "Customer score": 30).'),
  ('customer_weight_growth', 'numeric', 0, 100, '30', 'Weight of sales growth in the composite customer score (docs/rules.md, "Customer score": 30).'),
  ('customer_weight_collection', 'numeric', 0, 100, '20', 'Weight of the collection rate in the composite customer score (docs/rules.md, "Customer score": 20).'),
  ('customer_weight_returns', 'numeric', 0, 100, '10', 'Weight of the return rate in the composite customer score (docs/rules.md, "Customer score": 10).'),
  ('customer_weight_manager', 'numeric', 0, 100, '10', 'Weight of the sales manager''s evaluation (0-100 points) in the composite customer score (docs/rules.md, "Customer score": 10).'),
  ('customer_sales_zero_at', 'numeric', NULL, NULL, '100000', 'Sales volume scoring 0 points (docs/rules.md, "Customer score": 100,000); linear up to customer_sales_full_at.'),
  ('customer_sales_full_at', 'numeric', NULL, NULL, '2100000', 'Sales volume scoring 100 points (docs/rules.md, "Customer score": 2,100,000).'),
  ('customer_growth_zero_at', 'numeric', NULL, NULL, '0', 'Sales growth (percent) scoring 0 points (docs/rules.md, "Customer score": 0 %).'),
  ('customer_growth_full_at', 'numeric', NULL, NULL, '25', 'Sales growth (percent) scoring 100 points (docs/rules.md, "Customer score": 25 %).'),
  ('customer_collection_zero_at', 'numeric', NULL, NULL, '90', 'Collection rate (percent) scoring 0 points (docs/rules.md, "Customer score": 90 %).'),
  ('customer_collection_full_at', 'numeric', NULL, NULL, '100', 'Collection rate (percent) scoring 100 points (docs/rules.md, "Customer score": 100 %).'),
  ('customer_returns_zero_at', 'numeric', NULL, NULL, '5', 'Return rate (percent) scoring 0 points (docs/rules.md, "Customer score": 5 %; reversed, higher is worse).'),
  ('customer_returns_full_at', 'numeric', NULL, NULL, '1', 'Return rate (percent) scoring 100 points (docs/rules.md, "Customer score": 1 %).'),
  ('customer_grade_scale', 'grade scale', NULL, NULL, 'credit', 'Grade scale of the composite customer score and the credit rating (docs/rules.md, "Grade bands": AAA, AA, A, B, C).'),
  ('class_effective_sales', 'numeric', 0, NULL, '100000', 'Yearly sales above this make a new customer effective, and a customer normal or abnormal (docs/rules.md, "Customer classification": 100,000).'),
  ('class_normal_batches', 'integer', 0, NULL, '3', 'A normal customer ordered in more batches than this in the year (docs/rules.md, "Customer classification": 3).'),
  ('class_collection_rate', 'numeric', 0, 100, '95', 'A normal customer''s collection rate is above this percentage, an abnormal one''s below (docs/rules.md, "Customer classification": 95).'),
  ('class_return_rate', 'numeric', 0, 100, '5', 'A normal customer''s return rate is below this percentage, an abnormal one''s above (docs/rules.md, "Customer classification": 5).'),
  ('class_stale_sales', 'numeric', 0, NULL, '20000', 'A customer with yearly sales below this and receivables above class_stale_receivables is stale (docs/rules.md, "Customer classification": 20,000).'),
  ('class_stale_receivables', 'numeric', 0, NULL, '20000', 'A customer with receivables of this or more and yearly sales below class_stale_sales is stale (docs/rules.md, "Customer classification": receivables of 20,000 and above).'),
  ('class_sales_drop', 'numeric', 0, 100, '50', 'Sales down by this percentage or more on the previous year: deteriorating (docs/rules.md, "Customer classification": 50).'),
  ('class_collection_drop', 'numeric', 0, 100, '10', 'Collection rate down by more than this many points on the previous year: deteriorating (docs/rules.md, "Customer classification": 10).'),
  -- the satisfaction survey (docs/rules.md, "Satisfaction survey")
  ('survey_min_coverage_percent', 'numeric', 0, 100, '80', 'A survey run is valid only when it was sent to at least this percentage of the customers in its scope (docs/rules.md, "Satisfaction survey": 80).'),
  ('survey_min_valid_percent', 'numeric', 0, 100, '70', 'A survey run is valid only when at least this percentage of the questionnaires sent came back valid (docs/rules.md, "Satisfaction survey": 70).'),
  -- customers and survey, read closely
  ('class_pending_batches', 'integer', 0, NULL, '2', 'A customer with receivables and fewer order batches than this in the year is pending (docs/rules.md, "Customer classification": fewer than 2 sales batches and money owed); 0 leaves only the no-business branch.'),
  ('survey_allow_missed_key_customers', 'boolean', NULL, NULL, 'false', 'Whether a survey run that sent no questionnaire to a key customer in its scope can still be valid: false (the default: key customers must be surveyed, docs/rules.md, "Satisfaction survey") or true (the run only lists them).'),
  -- customer value tiers (docs/rules.md, "Customer value tiers"; the standards name no thresholds: these are the project's)
  ('customer_value_tier_scale', 'grade scale', NULL, NULL, 'value_tier', 'Grade scale of the customer value points (docs/rules.md, "Customer value tiers": gold >= 80, silver >= 60, ordinary); a customer in its lowest band whose potential points reach value_potential_points is potential instead.'),
  ('value_weight_purchase', 'numeric', 0, 100, '60', 'Weight of purchase behaviour (the sales points) in the customer value points (docs/rules.md, "Customer value tiers": 60, the project''s).'),
  ('value_weight_loyalty', 'numeric', 0, 100, '40', 'Weight of loyalty (repurchase, referrals, recommendation) in the customer value points (docs/rules.md, "Customer value tiers": 40, the project''s).'),
  ('value_sales_full_at', 'numeric', 0, NULL, '1000000', 'Yearly sales scoring 100 purchase points (0 scores 0, linear between; docs/rules.md, "Customer value tiers": 1,000,000, the project''s).'),
  ('value_batches_full_at', 'integer', 2, NULL, '12', 'Order batches in the year scoring 100 repurchase points (one batch, no repurchase, scores 0, linear between; docs/rules.md, "Customer value tiers": 12, a monthly reorder).'),
  ('value_referrals_full_at', 'integer', 1, NULL, '5', 'Referrals in the year scoring 100 referral points (none scores 0, linear between; docs/rules.md, "Customer value tiers": 5, the project''s).'),
  ('value_weight_repurchase', 'numeric', 0, 100, '50', 'Weight of the repurchase points in the loyalty points (docs/rules.md, "Customer value tiers": 50).'),
  ('value_weight_referrals', 'numeric', 0, 100, '25', 'Weight of the referral points in the loyalty points (docs/rules.md, "Customer value tiers": 25); left out when referrals are not recorded.'),
  ('value_weight_recommendation', 'numeric', 0, 100, '25', 'Weight of the recommendation points (the 0-10 answer times 10) in the loyalty points (docs/rules.md, "Customer value tiers": 25); left out when not asked.'),
  ('value_growth_full_at', 'numeric', 0, NULL, '25', 'Sales growth (percent) scoring 100 growth points (0 % and less score 0, linear between; docs/rules.md, "Customer value tiers": 25 %, as in the customer score).'),
  ('value_weight_growth', 'numeric', 0, 100, '50', 'Weight of the growth points in the potential points (docs/rules.md, "Customer value tiers": 50); left out when the growth is unknown.'),
  ('value_weight_potential_rating', 'numeric', 0, 100, '50', 'Weight of the sales manager''s potential rating in the potential points (docs/rules.md, "Customer value tiers": 50); left out when not rated.'),
  ('value_potential_points', 'numeric', 0, 100, '60', 'Potential points from which a customer in the lowest band of customer_value_tier_scale is potential, not ordinary (docs/rules.md, "Customer value tiers": 60, the project''s).'),
  -- the provider penalty ledger (docs/rules.md, "Service providers")
  ('penalty_window', 'interval', NULL, NULL, '1 month',
   'De-duplication window of the provider penalty ledger: 1 month (calendar months) or 1 week (weeks from Monday), in the report time zone. One customer''s repeated bad reviews in a window count once (docs/rules.md, "Service providers").'),
  -- provider standing and sales companies (docs/rules.md, "Service providers")
  ('refuse_charges_after_disqualification', 'boolean', NULL, NULL, 'false',
   'Whether the penalty ledger refuses to charge a provider''s events from the day its disqualification takes effect (status refused, amount 0): false, the default, charges them as before (docs/rules.md, "Service providers").'),
  ('disqualify_period', 'period kind', NULL, NULL, 'quarter',
   'Kind of period (month, quarter, half_year or year) in which appraisal.disqualification_candidates counts a provider''s charged complaints and penalties (docs/rules.md, "Service providers"; the regulation names no window: a quarter is the project''s).'),
  ('disqualify_complaints', 'integer', 0, NULL, '3',
   'Charged service complaints in one disqualify_period that propose a provider for disqualification; 0: never by count (docs/rules.md, "Service providers"; the regulation names no number: 3 is the project''s).'),
  ('disqualify_amount', 'numeric', 0, NULL, '0',
   'Penalty amount charged in one disqualify_period that proposes a provider for disqualification; 0, the default: never by amount (docs/rules.md, "Service providers").'),
  ('sales_weight_sms', 'numeric', 0, 100, '40',
   'Weight of the SMS satisfaction in a sales company''s combined assessment (docs/rules.md, "Service providers"; the regulation names no weights: 40/30/30 is the project''s).'),
  ('sales_weight_call_back', 'numeric', 0, 100, '30',
   'Weight of the head-office call-back satisfaction in a sales company''s combined assessment (docs/rules.md, "Service providers").'),
  ('sales_weight_feedback', 'numeric', 0, 100, '30',
   'Weight of the sales company''s own feedback score in its combined assessment (docs/rules.md, "Service providers").');

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
SELECT pg_catalog.pg_extension_config_dump('appraisal.settings', '');

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
      WHEN 'boolean' THEN PERFORM NEW.value::boolean;
      WHEN 'interval' THEN
        IF NEW.value::interval <= interval '0' THEN
          RAISE EXCEPTION 'must be positive' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'period kind' THEN
        IF NEW.value NOT IN ('month', 'quarter', 'half_year', 'year') THEN
          RAISE EXCEPTION 'must be month, quarter, half_year or year' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'time zone' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.value)
           OR lower(NEW.value) = 'localtime' THEN
          RAISE EXCEPTION 'unknown time zone (see pg_timezone_names)' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      -- a restore loads settings before weight_scheme (name order; no
      -- foreign key orders them): names are checked when entered
      WHEN 'grade scale' THEN
        IF NOT EXISTS (SELECT 1 FROM appraisal.grade_scale WHERE name = NEW.value)
           AND NOT appraisal.replaying_dump() THEN
          RAISE EXCEPTION 'no such grade scale in appraisal.grade_scale' USING ERRCODE = 'invalid_parameter_value';
        END IF;
      WHEN 'weight scheme' THEN
        IF NOT EXISTS (SELECT 1 FROM appraisal.weight_scheme WHERE name = NEW.value)
           AND NOT appraisal.replaying_dump() THEN
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
-- The settings are the rules' parameters, not data about anyone: everyone
-- reads them (the scorecards and the row checks of every role do).
GRANT SELECT ON appraisal.settings, appraisal.current_settings TO PUBLIC;

-- One row, one typed column per setting: views cross-join it.  A function,
-- not a view: repeat_window is an interval, which BI tools do not show.
-- The functions that read tables for the views (these, the SLA policy
-- matrix, service_targets, ...) are never inlined (their SET clause keeps
-- them whole): on Citus (docs/scaling.md) the planner must see every
-- distributed or reference table a query reads before PostgreSQL's own
-- planner would inline one from a function, else it refuses the query.
-- Each runs as a function scan of its own.
CREATE FUNCTION appraisal.scorecard_parameters()
RETURNS TABLE (report_time_zone text, repeat_window interval, min_tickets integer, min_responses integer,
               min_raters integer, weight_first_response numeric, weight_resolution numeric,
               weight_satisfaction numeric, training_threshold numeric, grade_scale text, weight_scheme text,
               reserve_pool_streak integer, failing_repeat integer, min_quarters integer, pareto_share numeric,
               spike_factor numeric, spike_weeks integer, spike_min_complaints integer)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
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

-- check_setting has made sure the value is a positive interval; the ledger
-- knows two windows only.  Compared as text in a fixed style: as intervals,
-- '30 days' would equal '1 month'.
CREATE FUNCTION appraisal.check_penalty_window() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET intervalstyle = 'postgres' AS $$
BEGIN
  IF NEW.value::interval::text NOT IN ('1 mon', '7 days') THEN
    RAISE EXCEPTION 'invalid value "%" for setting "penalty_window": the window is 1 month or 1 week', NEW.value
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Calendar months (''1 month'') or weeks from Monday (''1 week''), read in the report time zone.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_penalty_window() IS
  'Trigger of appraisal.settings: the setting penalty_window is 1 month or 1 week (after check_setting, which checks it is an interval).';
-- named to fire after check_setting (triggers fire in name order)
CREATE TRIGGER check_setting_penalty_window BEFORE INSERT OR UPDATE ON appraisal.settings
  FOR EACH ROW WHEN (NEW.name = 'penalty_window') EXECUTE FUNCTION appraisal.check_penalty_window();

CREATE FUNCTION appraisal.customer_parameters()
RETURNS TABLE (weight_sales numeric, weight_growth numeric, weight_collection numeric, weight_returns numeric,
               weight_manager numeric, sales_zero_at numeric, sales_full_at numeric, growth_zero_at numeric,
               growth_full_at numeric, collection_zero_at numeric, collection_full_at numeric,
               returns_zero_at numeric, returns_full_at numeric, grade_scale text,
               class_effective_sales numeric, class_normal_batches integer, class_collection_rate numeric,
               class_return_rate numeric, class_stale_sales numeric, class_stale_receivables numeric,
               class_sales_drop numeric, class_collection_drop numeric)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'customer_weight_sales')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_growth')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_collection')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_returns')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_manager')::numeric,
         max(value) FILTER (WHERE name = 'customer_sales_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_sales_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_growth_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_growth_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_collection_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_collection_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_returns_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_returns_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_grade_scale'),
         max(value) FILTER (WHERE name = 'class_effective_sales')::numeric,
         max(value) FILTER (WHERE name = 'class_normal_batches')::integer,
         max(value) FILTER (WHERE name = 'class_collection_rate')::numeric,
         max(value) FILTER (WHERE name = 'class_return_rate')::numeric,
         max(value) FILTER (WHERE name = 'class_stale_sales')::numeric,
         max(value) FILTER (WHERE name = 'class_stale_receivables')::numeric,
         max(value) FILTER (WHERE name = 'class_sales_drop')::numeric,
         max(value) FILTER (WHERE name = 'class_collection_drop')::numeric
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.customer_parameters() IS
  'The customer-evaluation settings in effect (weights and ranges of the composite customer score, thresholds of the classification) as one row with a typed column per setting; see appraisal.setting_definitions.';

CREATE FUNCTION appraisal.customer_value_parameters()
RETURNS TABLE (tier_scale text, weight_purchase numeric, weight_loyalty numeric, sales_full_at numeric,
               batches_full_at integer, referrals_full_at integer, weight_repurchase numeric,
               weight_referrals numeric, weight_recommendation numeric, growth_full_at numeric,
               weight_growth numeric, weight_potential_rating numeric, potential_points numeric)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'customer_value_tier_scale'),
         max(value) FILTER (WHERE name = 'value_weight_purchase')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_loyalty')::numeric,
         max(value) FILTER (WHERE name = 'value_sales_full_at')::numeric,
         max(value) FILTER (WHERE name = 'value_batches_full_at')::integer,
         max(value) FILTER (WHERE name = 'value_referrals_full_at')::integer,
         max(value) FILTER (WHERE name = 'value_weight_repurchase')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_referrals')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_recommendation')::numeric,
         max(value) FILTER (WHERE name = 'value_growth_full_at')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_growth')::numeric,
         max(value) FILTER (WHERE name = 'value_weight_potential_rating')::numeric,
         max(value) FILTER (WHERE name = 'value_potential_points')::numeric
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.customer_value_parameters() IS
  'The settings of the customer value tiers in effect (the tier scale, the weights and ranges of the purchase, loyalty and potential points, the potential threshold) as one row with a typed column per setting; see appraisal.setting_definitions.';

CREATE FUNCTION appraisal.provider_parameters()
RETURNS TABLE (report_time_zone text, penalty_window text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'report_time_zone'),
         CASE WHEN extract(month FROM max(value) FILTER (WHERE name = 'penalty_window')::interval) = 1
              THEN 'month' ELSE 'week' END
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.provider_parameters() IS
  'The settings the penalty ledger reads, as one row: report_time_zone (an event''s day) and penalty_window as month or week.';

CREATE FUNCTION appraisal.provider_rule_parameters()
RETURNS TABLE (refuse_charges_after_disqualification boolean, disqualify_period text, disqualify_complaints integer,
               disqualify_amount numeric, sales_weight_sms numeric, sales_weight_call_back numeric,
               sales_weight_feedback numeric, grade_scale text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1
SET search_path = pg_catalog, pg_temp   -- never inlined (21: scorecard_parameters)
BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'refuse_charges_after_disqualification')::boolean,
         max(value) FILTER (WHERE name = 'disqualify_period'),
         max(value) FILTER (WHERE name = 'disqualify_complaints')::integer,
         max(value) FILTER (WHERE name = 'disqualify_amount')::numeric,
         max(value) FILTER (WHERE name = 'sales_weight_sms')::numeric,
         max(value) FILTER (WHERE name = 'sales_weight_call_back')::numeric,
         max(value) FILTER (WHERE name = 'sales_weight_feedback')::numeric,
         max(value) FILTER (WHERE name = 'grade_scale')
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.provider_rule_parameters() IS
  'The settings of the providers'' standing and of the sales companies'' assessment in effect, as one row: whether the ledger refuses charges after a disqualification, the disqualification trigger (period kind, complaints, amount; 0 is off), the three weights of the combined assessment and the grade scale.';
