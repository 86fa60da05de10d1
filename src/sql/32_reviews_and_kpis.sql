-- 32: 360 reviews, the KPIs of each position and their measured results.
-- Rules: docs/rules.md, "360-degree scores", "Appraisal periods and results"
-- and "Department and manager KPIs".

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
  '360 reviews (docs/rules.md, "360-degree scores"): one score per period, ratee, rater and dimension. A rater''s dimensions are averaged into one rating first, so each rater counts once in the group means.';
COMMENT ON COLUMN appraisal.reviews_360.period IS 'Period appraised.';
COMMENT ON COLUMN appraisal.reviews_360.ratee_id IS 'Employee rated.';
COMMENT ON COLUMN appraisal.reviews_360.rater_id IS 'Who rated (an employee code, or another identifier for raters outside the staff list).';
COMMENT ON COLUMN appraisal.reviews_360.role IS 'The rater relative to the ratee: superior, peer, subordinate, self or customer.';
COMMENT ON COLUMN appraisal.reviews_360.dimension IS 'What was rated (e.g. attitude, skills); default overall.';
COMMENT ON COLUMN appraisal.reviews_360.score IS 'Score, 0 to 100.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.reviews_360', '');

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
                             'recurrence_rate', 'csat', 'complaint_composite', 'score_360',
                             'complaint_rate', 'complaint_handling_rate',
                             'call_back_rate', 'survey_coverage', 'qa_score', 'csat_extreme_weighted')),
  description text,
  nature   text NOT NULL DEFAULT 'hard'
           CONSTRAINT "KPI nature must be hard or soft" CHECK (nature IN ('hard', 'soft')),
  cycle    text CONSTRAINT "KPI cycle must be month, quarter, half_year or year"
           CHECK (cycle IN ('month', 'quarter', 'half_year', 'year')),
  -- compared as the decimals linear_points reads (15 significant digits)
  CONSTRAINT "KPI range must not be empty" CHECK (zero_at::numeric <> full_at::numeric),
  CONSTRAINT "KPI range must be finite" CHECK (zero_at BETWEEN '-1e300' AND '1e300' AND full_at BETWEEN '-1e300' AND '1e300'),
  PRIMARY KEY (position, kpi)
);
COMMENT ON TABLE appraisal.kpi_definitions IS
  'The KPIs each position is appraised on (docs/rules.md, "Department and manager KPIs"): weight, and the range linear_points maps to 0-100 points. A KPI''s value comes from appraisal.kpi_results, or, for a source other than manual, from the employee''s scorecard (own tickets and those of everyone reporting to them), unless a result was entered; an upheld appeal (appraisal.appeals) replaces either.';
COMMENT ON COLUMN appraisal.kpi_definitions.position IS 'Position appraised on this KPI.';
COMMENT ON COLUMN appraisal.kpi_definitions.kpi IS 'KPI name.';
COMMENT ON COLUMN appraisal.kpi_definitions.weight IS 'Weight in the overall appraisal (any positive numbers; shares are weight / total weight).';
COMMENT ON COLUMN appraisal.kpi_definitions.zero_at IS 'Value scored 0 points (linear_points''s zero_at).';
COMMENT ON COLUMN appraisal.kpi_definitions.full_at IS 'Value scored 100 points (linear_points''s full_at); below zero_at for reversed KPIs such as recurrence rate.';
COMMENT ON COLUMN appraisal.kpi_definitions.source IS 'manual (from appraisal.kpi_results) or the scorecard measure that supplies the value: first_response_compliance, resolution_compliance, fcr, recurrence_rate, csat, complaint_handling_rate, call_back_rate, survey_coverage, csat_extreme_weighted (percentages), complaint_rate (service-caused complaints per 100 tickets; a reversed range scores fewer higher), complaint_composite, score_360 or qa_score (points). complaint_handling_rate is 100 for someone with enough tickets and no service-caused complaint to judge (none handled late).';
COMMENT ON COLUMN appraisal.kpi_definitions.description IS 'What the KPI measures.';
COMMENT ON COLUMN appraisal.kpi_definitions.nature IS
  'hard (measured: SLA, FCR, CSAT, counts) or soft (judged: emotion management, collaboration, scored by case review); soft KPIs should weigh at least min_soft_kpi_share percent of a position (appraisal.kpi_weight_warnings).';

COMMENT ON COLUMN appraisal.kpi_definitions.cycle IS
  'Cycle the KPI is measured on: month, quarter, half_year or year; NULL for the position''s own (appraisal.position_cycles). An appraisal takes the KPI from the period of this kind containing it (a half-yearly skills exam counts in both quarters of its half-year); a KPI of a shorter cycle is measured over the appraised period, or, entered in kpi_results, is the mean of its results inside it (docs/rules.md, "Appraisal periods and results"). Its kpi_results are entered per period of this kind.';

SELECT pg_catalog.pg_extension_config_dump('appraisal.kpi_definitions', '');

CREATE TABLE appraisal.kpi_results (
  period      text NOT NULL CONSTRAINT "period must be in appraisal.periods" REFERENCES appraisal.periods ON UPDATE CASCADE,
  employee_id text NOT NULL CONSTRAINT "employee must be known" REFERENCES appraisal.employees,
  kpi         text NOT NULL,
  value       double precision NOT NULL CONSTRAINT "KPI value must be finite" CHECK (value BETWEEN '-1e300' AND '1e300'),
  note        text,
  PRIMARY KEY (period, employee_id, kpi)
);
COMMENT ON TABLE appraisal.kpi_results IS
  'Measured KPI values per period and employee: manual KPIs, and values entered in place of a scorecard measure (say why in note). Appeals are not entered here: they are filed in appraisal.appeals and decided by the committee, and kpi_breakdown shows the measured value beside the appealed and decided ones.';
COMMENT ON COLUMN appraisal.kpi_results.period IS 'Period appraised.';
COMMENT ON COLUMN appraisal.kpi_results.employee_id IS 'Employee appraised.';
COMMENT ON COLUMN appraisal.kpi_results.kpi IS 'KPI name, as in appraisal.kpi_definitions for the employee''s position.';
COMMENT ON COLUMN appraisal.kpi_results.value IS 'Measured value, in the unit of the KPI''s range.';
COMMENT ON COLUMN appraisal.kpi_results.note IS 'Where the value comes from, or why it replaces the scorecard''s.';

-- A result for a KPI the employee's position does not have would be left out
-- of the appraisal without a word: refuse it.
CREATE FUNCTION appraisal.check_kpi_result() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  pos text;
  cycle text;
  kind text;
BEGIN
  IF appraisal.replaying_dump() THEN   -- (the definitions may be restored later)
    RETURN NEW;
  END IF;
  SELECT position INTO pos FROM appraisal.employees WHERE employee_id = NEW.employee_id;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  SELECT coalesce(d.cycle, c.cycle) INTO cycle
  FROM appraisal.kpi_definitions d JOIN appraisal.position_cycles c USING (position)
  WHERE d.position = pos AND d.kpi = NEW.kpi;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'KPI "%" is not defined for position %, the position of employee "%"', NEW.kpi, pos, NEW.employee_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Add it to appraisal.kpi_definitions first, or check the spelling: '
                   || coalesce((SELECT string_agg(format('"%s"', kpi), ', ' ORDER BY kpi) FROM appraisal.kpi_definitions WHERE position = pos), 'none is defined') || '.';
  END IF;
  SELECT p.kind INTO kind FROM appraisal.periods p WHERE p.period = NEW.period;
  IF kind <> cycle THEN   -- a result no appraisal would read
    RAISE EXCEPTION 'KPI "%" of position % is measured per %, but period "%" is a %', NEW.kpi, pos, cycle, NEW.period, kind
      USING ERRCODE = 'check_violation',
            HINT = format('Enter its result for the %s the value belongs to (kpi_definitions.cycle, or the position''s cycle in appraisal.position_cycles).', cycle);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_kpi_result() IS
  'Trigger of appraisal.kpi_results: the KPI must be defined for the employee''s position in appraisal.kpi_definitions, and the result entered for a period of the KPI''s cycle (its own, else the position''s).';
CREATE TRIGGER check_kpi_result BEFORE INSERT OR UPDATE ON appraisal.kpi_results
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_kpi_result();

SELECT pg_catalog.pg_extension_config_dump('appraisal.kpi_results', '');
