-- 30: who is appraised, and when: service providers, employees (position,
-- team, manager chain, provider), appraisal periods.  Every user table of
-- the data model is a configuration table of the extension, so pg_dump
-- saves its rows; constraints are named after the rule they enforce, so a
-- rejected row's message states it.

-- The sales companies that head office appraises on the service of their
-- providers (docs/rules.md, "Service providers": sales companies).
CREATE TABLE appraisal.sales_companies (
  sales_company_id text PRIMARY KEY,
  name             text NOT NULL,
  region           text
);
COMMENT ON TABLE appraisal.sales_companies IS
  'Sales companies: head office gives each a negative incentive from the combined assessment of appraisal.sales_company_scorecard (SMS satisfaction, head-office call-backs and the company''s feedback; docs/rules.md, "Service providers"). Their service providers name them in appraisal.providers.sales_company_id.';
COMMENT ON COLUMN appraisal.sales_companies.sales_company_id IS 'Sales company code.';
COMMENT ON COLUMN appraisal.sales_companies.name IS 'Sales company name.';
COMMENT ON COLUMN appraisal.sales_companies.region IS 'Region, for grouping.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.sales_companies', '');

CREATE TABLE appraisal.providers (
  provider_id text PRIMARY KEY,
  name        text NOT NULL,
  region      text,
  sales_company_id text CONSTRAINT "sales company must be a known sales company" REFERENCES appraisal.sales_companies
);
COMMENT ON TABLE appraisal.providers IS
  'Service providers (installation and repair outlets) appraised on the penalty ledger (docs/rules.md, "Service providers"). Their technicians are employees with provider_id set; their tickets give the provider''s service KPIs.';
COMMENT ON COLUMN appraisal.providers.provider_id IS 'Provider code.';
COMMENT ON COLUMN appraisal.providers.name IS 'Provider name.';
COMMENT ON COLUMN appraisal.providers.region IS 'Region served, for grouping.';
COMMENT ON COLUMN appraisal.providers.sales_company_id IS 'Sales company whose service provider it is (appraisal.sales_companies); NULL when none. Its technicians'' tickets count in that company''s appraisal.sales_company_scorecard.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.providers', '');

CREATE TABLE appraisal.employees (
  employee_id text PRIMARY KEY,
  name        text NOT NULL,
  position    text NOT NULL
              CONSTRAINT "position must be specialist, supervisor or manager"
              CHECK (position IN ('specialist', 'supervisor', 'manager')),
  team        text NOT NULL,
  manager_id  text CONSTRAINT "manager must be a known employee" REFERENCES appraisal.employees,
  provider_id text CONSTRAINT "provider must be a known provider" REFERENCES appraisal.providers,
  probation_ends_on date CONSTRAINT "probation must end on a finite day" CHECK (isfinite(probation_ends_on)),
  CONSTRAINT "an employee cannot be their own manager" CHECK (manager_id <> employee_id)
);
COMMENT ON TABLE appraisal.employees IS 'After-sales staff: position, team and direct manager (the management chain of 360 reviews and roll-ups).';
COMMENT ON COLUMN appraisal.employees.employee_id IS 'Employee code, as used in tickets, reviews and KPI results.';
COMMENT ON COLUMN appraisal.employees.name IS 'Name shown in the scorecards.';
COMMENT ON COLUMN appraisal.employees.position IS 'specialist, supervisor or manager: selects the KPI definitions and the appraisal cycle (appraisal.position_cycles: quarterly, quarterly and yearly by default; docs/rules.md, "Appraisal periods and results").';
COMMENT ON COLUMN appraisal.employees.team IS 'Team the employee belongs to; team scorecards pool their members.';
COMMENT ON COLUMN appraisal.employees.manager_id IS 'Direct manager (NULL at the top of the chain).';
COMMENT ON COLUMN appraisal.employees.provider_id IS
  'Service provider the employee works for (appraisal.providers): a provider''s technician, whose tickets count in the provider''s scorecard. NULL for the company''s own staff.';
COMMENT ON COLUMN appraisal.employees.probation_ends_on IS
  'Last day of probation (试用期); NULL when not on probation. Probationers are outside the appraisal: an appraised period ending on or before this day is not graded (docs/rules.md, "Appraisal periods and results").';
CREATE INDEX ON appraisal.employees (manager_id);

-- The cycle each position is appraised on: configuration (settings
-- cycle_specialist, cycle_supervisor, cycle_manager), read as one table.
CREATE VIEW appraisal.position_cycles WITH (security_invoker = true) AS
SELECT v.position, s.value AS cycle
FROM (VALUES ('specialist'), ('supervisor'), ('manager')) v(position)
JOIN appraisal.current_settings s ON s.name = 'cycle_' || v.position;
COMMENT ON VIEW appraisal.position_cycles IS
  'The cycle each position is appraised on (docs/rules.md, "Appraisal periods and results"): quarter for specialists and supervisors and year for managers unless the settings cycle_specialist, cycle_supervisor or cycle_manager say otherwise. Overall appraisals are made per period of that kind, and the annual result is their mean.';
COMMENT ON COLUMN appraisal.position_cycles.position IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.position_cycles.cycle IS 'Kind of period the position is appraised on: month, quarter, half_year or year.';
GRANT SELECT ON appraisal.position_cycles TO PUBLIC;

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
CREATE INDEX ON appraisal.employees (provider_id);

SELECT pg_catalog.pg_extension_config_dump('appraisal.employees', '');

CREATE TABLE appraisal.periods (
  period    text PRIMARY KEY,
  kind      text NOT NULL
            CONSTRAINT "period kind must be month, quarter, half_year or year"
            CHECK (kind IN ('month', 'quarter', 'half_year', 'year')),
  starts_on date NOT NULL,
  ends_on   date NOT NULL,
  CONSTRAINT "a period must end on or after its first day" CHECK (ends_on >= starts_on),
  CONSTRAINT "period dates must be finite" CHECK (isfinite(starts_on) AND isfinite(ends_on))
);
COMMENT ON TABLE appraisal.periods IS 'Appraisal periods: months (the monthly appraisal of appliance-service and repair staff), quarters (specialists and supervisors), half-years (knowledge and skills) and years (managers; the annual result). Periods of one kind must not overlap. appraisal.add_periods(year) adds a calendar year''s, with its months on request.';
COMMENT ON COLUMN appraisal.periods.period IS 'Period name, e.g. 2026-07, 2026-Q3, 2026-H2, 2026.';
COMMENT ON COLUMN appraisal.periods.kind IS 'month, quarter, half_year or year.';
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

-- (PL/pgSQL: on Citus, where periods is a reference table, an SQL function
-- writing it with its arguments as parameters is refused)
CREATE FUNCTION appraisal.add_periods(year integer, months boolean DEFAULT false) RETURNS SETOF appraisal.periods
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RETURN QUERY
  INSERT INTO appraisal.periods AS x (period, kind, starts_on, ends_on)
  SELECT p.period, p.kind, p.starts_on, (p.starts_on + p.len - interval '1 day')::date
  FROM (VALUES (year::text, 'year', make_date(year, 1, 1), interval '1 year'),
               (year || '-H1', 'half_year', make_date(year, 1, 1), interval '6 months'),
               (year || '-H2', 'half_year', make_date(year, 7, 1), interval '6 months'),
               (year || '-Q1', 'quarter', make_date(year, 1, 1), interval '3 months'),
               (year || '-Q2', 'quarter', make_date(year, 4, 1), interval '3 months'),
               (year || '-Q3', 'quarter', make_date(year, 7, 1), interval '3 months'),
               (year || '-Q4', 'quarter', make_date(year, 10, 1), interval '3 months')) p(period, kind, starts_on, len)
  UNION ALL
  SELECT to_char(make_date(year, m, 1), 'YYYY-MM'), 'month', make_date(year, m, 1),
         (make_date(year, m, 1) + interval '1 month' - interval '1 day')::date
  FROM generate_series(1, 12) m
  WHERE add_periods.months
  ON CONFLICT (period) DO NOTHING
  RETURNING x.*;
END
$$;
COMMENT ON FUNCTION appraisal.add_periods(integer, boolean) IS
  'Adds the calendar year''s periods: the year (e.g. 2026), its halves (2026-H1, 2026-H2) and quarters (2026-Q1 to 2026-Q4), and with months => true its months (2026-01 to 2026-12, for the monthly appraisal of appliance-service and repair staff); periods already there are left as they are. Returns the periods added.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.periods', '');
