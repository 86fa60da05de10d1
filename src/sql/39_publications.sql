-- 39: published results.  The appraisal committee publishes a period's
-- results (appraisal.publish_results, 58): the rows of overall_appraisal
-- are frozen here, so that later data never silently changes a published
-- grade; a republication is a new publication number.  Histories, as the
-- appeals are: never updated or deleted (docs/rules.md, "Appeals and
-- publication").

CREATE TABLE appraisal.publications (
  period          text NOT NULL CONSTRAINT "published period must be in appraisal.periods" REFERENCES appraisal.periods,
  publication     integer NOT NULL CONSTRAINT "publication number must be positive" CHECK (publication > 0),
  published_by    text NOT NULL DEFAULT session_user,
  published_at    timestamptz NOT NULL DEFAULT now(),
  summaries_as_of timestamptz,
  PRIMARY KEY (period, publication)
);
COMMENT ON TABLE appraisal.publications IS
  'Each publication of a period''s results by the appraisal committee (appraisal.publish_results; docs/rules.md, "Appeals and publication"): the first is number 1, a republication the next number, with who published and when; the latest publication of a period is in force. Never updated or deleted.';
COMMENT ON COLUMN appraisal.publications.period IS 'Period published (appraisal.periods).';
COMMENT ON COLUMN appraisal.publications.publication IS 'Publication number within the period (1, 2, ...); the highest is in force.';
COMMENT ON COLUMN appraisal.publications.published_by IS 'Login (session_user) that published.';
COMMENT ON COLUMN appraisal.publications.published_at IS 'When the results were published.';
COMMENT ON COLUMN appraisal.publications.summaries_as_of IS 'The as_of of the materialized summaries the published results were computed from (their last refresh); NULL when they held no tickets.';
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.publications
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('A publication stays as published: publish the period again with appraisal.publish_results (a new publication number).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.publications
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('A publication stays as published: publish the period again with appraisal.publish_results (a new publication number).');
GRANT SELECT ON appraisal.publications TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.publications', '');

CREATE TABLE appraisal.published_results (
  period            text NOT NULL,
  publication       integer NOT NULL,
  employee_id       text NOT NULL CONSTRAINT "published employee must be a known employee" REFERENCES appraisal.employees,
  name              text NOT NULL,
  team              text NOT NULL,
  position          text NOT NULL,
  kpis_defined      bigint,
  kpis_scored       bigint,
  points            numeric,
  grade             text,
  sufficient_data   boolean,
  excellent_streak  integer,
  failing_streak    integer,
  reserve_pool      boolean,
  repeated_failing  boolean,
  failing_in_window bigint,
  several_failing   boolean,
  coaching_needed   boolean,
  coaching_reason   text,
  on_probation      boolean,
  kpis              jsonb NOT NULL,
  PRIMARY KEY (period, publication, employee_id),
  CONSTRAINT "published results belong to a publication" FOREIGN KEY (period, publication) REFERENCES appraisal.publications
);
COMMENT ON TABLE appraisal.published_results IS
  'The rows of appraisal.overall_appraisal of a period as published (docs/rules.md, "Appeals and publication"), one per employee and publication, with the KPIs of appraisal.kpi_breakdown behind them: later data changes none of them (appraisal.published_differences lists where the live results now differ). Written by appraisal.publish_results; never updated or deleted.';
COMMENT ON COLUMN appraisal.published_results.period IS 'Period published.';
COMMENT ON COLUMN appraisal.published_results.publication IS 'Publication number (appraisal.publications).';
COMMENT ON COLUMN appraisal.published_results.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.published_results.name IS 'Employee name, as published.';
COMMENT ON COLUMN appraisal.published_results.team IS 'Team, as published.';
COMMENT ON COLUMN appraisal.published_results."position" IS 'Position, as published.';
COMMENT ON COLUMN appraisal.published_results.kpis_defined IS 'KPIs of the position (the evidence: overall_appraisal.kpis_defined).';
COMMENT ON COLUMN appraisal.published_results.kpis_scored IS 'KPIs with a value.';
COMMENT ON COLUMN appraisal.published_results.points IS 'Points, truncated to 2 decimals.';
COMMENT ON COLUMN appraisal.published_results.grade IS 'Grade band of the points, ''insufficient data'' or ''on probation''.';
COMMENT ON COLUMN appraisal.published_results.sufficient_data IS 'Whether every KPI had a value (and the period was not on probation).';
COMMENT ON COLUMN appraisal.published_results.excellent_streak IS 'Consecutive appraised periods graded in the best band, ending with this one.';
COMMENT ON COLUMN appraisal.published_results.failing_streak IS 'Consecutive appraised periods graded in the worst band, ending with this one.';
COMMENT ON COLUMN appraisal.published_results.reserve_pool IS 'Reserve-supervisor pool flag.';
COMMENT ON COLUMN appraisal.published_results.repeated_failing IS 'Repeated-failing flag (consecutive worst grades).';
COMMENT ON COLUMN appraisal.published_results.failing_in_window IS 'Worst grades among the last several_failing_window appraised periods.';
COMMENT ON COLUMN appraisal.published_results.several_failing IS 'Several-failing flag.';
COMMENT ON COLUMN appraisal.published_results.coaching_needed IS 'Training and coaching flag (one of the two lowest bands).';
COMMENT ON COLUMN appraisal.published_results.coaching_reason IS 'Why coaching is needed.';
COMMENT ON COLUMN appraisal.published_results.on_probation IS 'Whether the period ended in probation (not graded).';
COMMENT ON COLUMN appraisal.published_results.kpis IS 'The KPIs behind the points, as kpi_breakdown showed them: a JSON array, by KPI name, of objects with kpi, weight, value, value_from, points, measured_value, appeal_id, appeal_status and appealed_value.';
CREATE INDEX ON appraisal.published_results (employee_id);
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.published_results
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('A published result stays as published: publish the period again with appraisal.publish_results (a new publication number).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.published_results
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('A published result stays as published: publish the period again with appraisal.publish_results (a new publication number).');
GRANT SELECT ON appraisal.published_results TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.published_results', '');
