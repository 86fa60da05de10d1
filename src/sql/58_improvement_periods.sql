-- 58: improvement periods (改善期): a failing employee is given a deadline
-- to improve, and the next appraised result says whether it was met.  The
-- record is a table of the user's (appraisal.improvement_periods), opened
-- with open_improvement_period(); the outcome is read off
-- appraisal.overall_appraisal (52) by the scoped view improvement_outcomes.
-- Rules: docs/rules.md, "Appraisal periods and results".

CREATE TABLE appraisal.improvement_periods (
  employee_id   text NOT NULL CONSTRAINT "employee must be known" REFERENCES appraisal.employees,
  from_period   text NOT NULL CONSTRAINT "period must be in appraisal.periods"
                REFERENCES appraisal.periods ON UPDATE CASCADE,
  deadline      date NOT NULL CONSTRAINT "deadline must be a finite day" CHECK (isfinite(deadline)),
  target_points numeric CONSTRAINT "target points must be between 0 and 100" CHECK (target_points BETWEEN 0 AND 100),
  opened_by     text NOT NULL DEFAULT session_user,
  opened_at     timestamptz NOT NULL DEFAULT now(),
  note          text,
  CONSTRAINT "one improvement period per employee and failing result" PRIMARY KEY (employee_id, from_period)
);
COMMENT ON TABLE appraisal.improvement_periods IS
  'Improvement periods (改善期, docs/rules.md, "Appraisal periods and results"): an employee graded failing in an appraised period is given a deadline to improve; appraisal.improvement_outcomes says whether the next appraised result met it. Opened with appraisal.open_improvement_period(), which requires a failing result; a row inserted directly records HR''s decision as it is. A record: only its note may change (a new deadline is a new improvement period, from a later failing result).';
COMMENT ON COLUMN appraisal.improvement_periods.employee_id IS 'Employee given the improvement period.';
COMMENT ON COLUMN appraisal.improvement_periods.from_period IS 'The appraised period (of the position''s cycle) whose failing result opened it.';
COMMENT ON COLUMN appraisal.improvement_periods.deadline IS 'Last day of the improvement period: the result that meets it must be of an appraised period ending on or before this day. After the end of from_period.';
COMMENT ON COLUMN appraisal.improvement_periods.target_points IS 'Points (0-100) the next result must also reach; NULL: a grade above the worst band is enough.';
COMMENT ON COLUMN appraisal.improvement_periods.opened_by IS 'Who opened it (the login, by default).';
COMMENT ON COLUMN appraisal.improvement_periods.opened_at IS 'When it was opened.';
COMMENT ON COLUMN appraisal.improvement_periods.note IS 'The plan, or why it was opened; the only column that may change.';

-- The deadline must follow the failing period, and the period must be one
-- the employee is appraised on (else no result would open or judge it).  A
-- recorded period is history: only its note changes; a period renamed in
-- appraisal.periods carries its improvement periods along (the cascade).
CREATE FUNCTION appraisal.check_improvement_period() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  p appraisal.periods;
  cycle text;
  pos text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (NEW.employee_id, NEW.deadline, NEW.target_points, NEW.opened_by, NEW.opened_at)
       IS DISTINCT FROM (OLD.employee_id, OLD.deadline, OLD.target_points, OLD.opened_by, OLD.opened_at)
       OR (NEW.from_period <> OLD.from_period   -- but for a renamed period
           AND EXISTS (SELECT 1 FROM appraisal.periods WHERE period = OLD.from_period)) THEN
      RAISE EXCEPTION 'the improvement period of employee "%" from period "%" is a record: only its note may change', OLD.employee_id, OLD.from_period
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'A new deadline is a new improvement period, opened from a later failing result; a row entered by mistake is deleted and entered again.';
    END IF;
    RETURN NEW;
  END IF;
  IF appraisal.replaying_dump() THEN   -- (the periods and employees may be restored later)
    RETURN NEW;
  END IF;
  SELECT * INTO p FROM appraisal.periods WHERE period = NEW.from_period;
  IF NOT FOUND THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  IF NEW.deadline <= p.ends_on THEN
    RAISE EXCEPTION 'deadline % of the improvement period of employee "%" is not after the end of period "%" (%)', NEW.deadline, NEW.employee_id, p.period, p.ends_on
      USING ERRCODE = 'check_violation',
            HINT = 'The deadline is the last day by which the employee must improve: after the failing period, normally the last day of the next appraised period.';
  END IF;
  SELECT e.position, c.cycle INTO pos, cycle
  FROM appraisal.employees e JOIN appraisal.position_cycles c USING (position)
  WHERE e.employee_id = NEW.employee_id;
  IF FOUND AND cycle <> p.kind THEN
    RAISE EXCEPTION 'period "%" is a %, but employee "%" (%) is appraised per %', p.period, p.kind, NEW.employee_id, pos, cycle
      USING ERRCODE = 'check_violation',
            HINT = 'An improvement period starts from an appraised result: name a period of the position''s cycle (appraisal.position_cycles).';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_improvement_period() IS
  'Trigger of appraisal.improvement_periods: the deadline must be after the end of from_period, and from_period a period of the employee''s appraisal cycle (appraisal.position_cycles); once recorded, only the note may change (a renamed period is followed).';
CREATE TRIGGER check_improvement_period BEFORE INSERT OR UPDATE ON appraisal.improvement_periods
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_improvement_period();

SELECT pg_catalog.pg_extension_config_dump('appraisal.improvement_periods', '');

-- Scoped by appraisal.scorecard_access and run with the owner's rights, as
-- the appraisal views of 52 are.  "The next cycle's result" is the result of
-- the first appraised period after from_period (the position's cycle,
-- periods ending in probation left out: they are outside the appraisal); it
-- judges the improvement period only when that period ends by the deadline.
CREATE VIEW appraisal.improvement_outcomes WITH (security_invoker = false, security_barrier = true) AS
WITH overall AS MATERIALIZED (   -- computed once for the failing and the next result
  SELECT * FROM appraisal.overall_appraisal
), opened AS (
  SELECT i.*, e.name, e.team, e.position, e.probation_ends_on, f.ends_on AS from_ends_on
  FROM appraisal.improvement_periods i
  JOIN appraisal.employees e ON e.employee_id = i.employee_id
  JOIN appraisal.periods f ON f.period = i.from_period
  WHERE appraisal.may_see(e.employee_id, e.team)
), later AS (         -- the appraised periods after from_period, in order
  SELECT o.employee_id, o.from_period, p.period, p.ends_on,
         row_number() OVER (PARTITION BY o.employee_id, o.from_period ORDER BY p.starts_on) AS n,
         count(*) FILTER (WHERE p.ends_on <= o.deadline) OVER (PARTITION BY o.employee_id, o.from_period) AS by_deadline
  FROM opened o
  JOIN appraisal.position_cycles c ON c.position = o.position
  JOIN appraisal.periods p ON p.kind = c.cycle AND p.starts_on > o.from_ends_on
  WHERE NOT coalesce(o.probation_ends_on >= p.ends_on, false)
)
SELECT o.employee_id, o.name, o.team, o.position, o.from_period,
       fa.points AS from_points, fa.grade AS from_grade,
       coalesce(fa.failing_streak > 0 OR fa.several_failing, false) AS from_failing,
       coalesce(fa.repeated_failing, false) AS repeated_failing,
       coalesce(fa.several_failing, false) AS several_failing,
       o.deadline, o.target_points,
       coalesce(nx.by_deadline, 0) AS periods_by_deadline,
       nx.period AS next_period, nx.ends_on AS next_ends_on, na.points AS next_points, na.grade AS next_grade,
       CASE WHEN nx.ends_on <= o.deadline AND na.grade = 'insufficient data' THEN 'insufficient data'
            WHEN nx.ends_on <= o.deadline AND na.sufficient_data
            THEN CASE WHEN na.failing_streak = 0 AND na.points >= coalesce(o.target_points, 0) THEN 'met' ELSE 'missed' END
            WHEN t.today <= o.deadline THEN 'open'
            ELSE 'missed' END AS status,
       o.opened_by, o.opened_at, o.note
FROM opened o
CROSS JOIN LATERAL (SELECT (now() AT TIME ZONE prm.report_time_zone)::date AS today
                    FROM appraisal.scorecard_parameters() prm) t
LEFT JOIN overall fa ON fa.employee_id = o.employee_id AND fa.period = o.from_period
LEFT JOIN later nx ON nx.employee_id = o.employee_id AND nx.from_period = o.from_period AND nx.n = 1
LEFT JOIN overall na ON na.employee_id = o.employee_id AND na.period = nx.period;
COMMENT ON VIEW appraisal.improvement_outcomes IS
  'Every improvement period (改善期, appraisal.improvement_periods; docs/rules.md, "Appraisal periods and results") with the failing result that opened it (grade, and the repeated- and several-failing flags of appraisal.overall_appraisal at that period) and its outcome, read off the next cycle''s result: the first appraised period of the position''s cycle after from_period (periods ending in probation left out). status: met (that period ends by the deadline and is graded above the worst band, with target_points if set), missed (graded in the worst band or under target_points, or the deadline passed without such a result), insufficient data (its grade), open (no result by the deadline yet, and the deadline not passed: the day in report_time_zone). Recomputed when read: a result entered late still counts.';

COMMENT ON COLUMN appraisal.improvement_outcomes.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.improvement_outcomes.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.improvement_outcomes.team IS 'Team.';
COMMENT ON COLUMN appraisal.improvement_outcomes."position" IS 'Position: specialist, supervisor or manager.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_period IS 'The appraised period whose failing result opened the improvement period.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_points IS 'Points of that period (overall_appraisal), truncated to 2 decimals; NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_grade IS 'Grade of that period (overall_appraisal); NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.from_failing IS 'Whether that result was failing: graded in the worst band, or several failing results (several_failing) at that period. False for a row entered directly for another reason.';
COMMENT ON COLUMN appraisal.improvement_outcomes.repeated_failing IS 'overall_appraisal.repeated_failing at from_period: failing_repeat (2) or more worst grades in a row.';
COMMENT ON COLUMN appraisal.improvement_outcomes.several_failing IS 'overall_appraisal.several_failing at from_period: several_failing_times (2) or more worst grades among the last several_failing_window (4) appraised periods.';
COMMENT ON COLUMN appraisal.improvement_outcomes.deadline IS 'Last day of the improvement period.';
COMMENT ON COLUMN appraisal.improvement_outcomes.target_points IS 'Points the next result must also reach; NULL: a grade above the worst band is enough.';
COMMENT ON COLUMN appraisal.improvement_outcomes.periods_by_deadline IS 'Appraised periods of the position''s cycle after from_period that end on or before the deadline (in appraisal.periods; probation ones left out).';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_period IS 'The next cycle: the first appraised period after from_period (probation ones left out); NULL while appraisal.periods has none.';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_ends_on IS 'Last day of next_period: it judges the improvement period only if on or before the deadline.';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_points IS 'Points of next_period (overall_appraisal), truncated to 2 decimals; NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.next_grade IS 'Grade of next_period (overall_appraisal), or ''insufficient data''; NULL without a result.';
COMMENT ON COLUMN appraisal.improvement_outcomes.status IS 'met, missed, insufficient data or open (see the view''s comment).';
COMMENT ON COLUMN appraisal.improvement_outcomes.opened_by IS 'Who opened it.';
COMMENT ON COLUMN appraisal.improvement_outcomes.opened_at IS 'When it was opened.';
COMMENT ON COLUMN appraisal.improvement_outcomes.note IS 'The plan, or why it was opened.';

-- Opening one checks what the table cannot: the result it follows is
-- failing, and a result could meet the deadline.
CREATE FUNCTION appraisal.open_improvement_period(employee_id text, from_period text, deadline date,
                                                  note text DEFAULT NULL, target_points numeric DEFAULT NULL)
RETURNS appraisal.improvement_periods
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  opened appraisal.improvement_periods;
  r record;
BEGIN
  INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline, target_points, note)
  VALUES (open_improvement_period.employee_id, open_improvement_period.from_period, open_improvement_period.deadline,
          open_improvement_period.target_points, open_improvement_period.note)
  RETURNING * INTO opened;
  SELECT o.grade, o.from_failing, o.next_period, o.next_ends_on INTO r
  FROM (SELECT v.from_grade AS grade, v.from_failing, v.next_period, v.next_ends_on
        FROM appraisal.improvement_outcomes v
        WHERE v.employee_id = opened.employee_id AND v.from_period = opened.from_period) o;
  IF NOT coalesce(r.from_failing, false) THEN
    RAISE EXCEPTION 'employee "%" was not graded failing in period "%" (grade: %)', opened.employee_id, opened.from_period, coalesce(r.grade, 'no result')
      USING ERRCODE = 'check_violation',
            HINT = 'An improvement period follows a failing result: the worst band of the grade scale, or several failing results (appraisal.overall_appraisal). To record one opened for another reason, insert into appraisal.improvement_periods.';
  END IF;
  IF r.next_ends_on > opened.deadline THEN
    RAISE EXCEPTION 'deadline % comes before the end of the next appraised period "%" (%): no result could meet it', opened.deadline, r.next_period, r.next_ends_on
      USING ERRCODE = 'check_violation',
            HINT = format('Give a deadline on or after %s.', r.next_ends_on);
  END IF;
  RETURN opened;
END
$$;
COMMENT ON FUNCTION appraisal.open_improvement_period(text, text, date, text, numeric) IS
  'Opens an improvement period (docs/rules.md, "Appraisal periods and results"): records it in appraisal.improvement_periods and returns it. Refused unless the employee was graded failing in from_period (worst band, or several failing results, in appraisal.overall_appraisal as the caller sees it) and unless the next appraised period, if appraisal.periods has it, ends by the deadline. target_points: points the next result must also reach.';
