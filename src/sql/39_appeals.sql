-- 39: appeals (申诉) and published results.  Staff appeal a KPI result or a complaint's
-- attribution, the appraisal committee (role appraisal_admin) reviews and
-- decides; the measured value, the appeal and every decision stay visible.
-- The tables are histories: a row is never updated or deleted, a decision
-- is a new row and the latest one of an appeal is in force.  Only an upheld
-- decision changes a score (docs/rules.md, "Appeals and publication").

-- The tables of appeals and published results keep their history: no row
-- is changed or removed (DROP EXTENSION still drops them whole).
CREATE FUNCTION appraisal.refuse_history_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  RAISE EXCEPTION '%.% keeps a history: its rows cannot be %', TG_TABLE_SCHEMA, TG_TABLE_NAME,
    CASE TG_OP WHEN 'UPDATE' THEN 'updated' WHEN 'DELETE' THEN 'deleted' ELSE 'truncated' END
    USING ERRCODE = 'insufficient_privilege',
          HINT = TG_ARGV[0];
END
$$;
COMMENT ON FUNCTION appraisal.refuse_history_change() IS
  'Trigger of the history tables (appeals, appeal_decisions, publications, published_results): their rows are never updated, deleted or truncated. Argument: the hint saying how to record a change instead.';

CREATE TABLE appraisal.appeals (
  appeal_id      integer PRIMARY KEY CONSTRAINT "appeal number must be positive" CHECK (appeal_id > 0),
  employee_id    text NOT NULL CONSTRAINT "appealing employee must be a known employee" REFERENCES appraisal.employees,
  period         text CONSTRAINT "appealed period must be in appraisal.periods" REFERENCES appraisal.periods,
  kpi            text,
  measured_value numeric,
  appealed_value numeric,
  ticket_id      text CONSTRAINT "appealed ticket must be a known ticket" REFERENCES appraisal.tickets,
  measured_cause text,
  appealed_cause text,
  reason         text NOT NULL CONSTRAINT "an appeal must give its reason" CHECK (btrim(reason) <> ''),
  filed_by       text NOT NULL DEFAULT session_user,
  filed_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT "an appeal is about a KPI result or about a ticket's attribution" CHECK (
       (kpi IS NOT NULL AND period IS NOT NULL AND appealed_value IS NOT NULL
        AND ticket_id IS NULL AND measured_cause IS NULL AND appealed_cause IS NULL)
    OR (ticket_id IS NOT NULL AND appealed_cause IS NOT NULL
        AND kpi IS NULL AND period IS NULL AND measured_value IS NULL AND appealed_value IS NULL)),
  CONSTRAINT "appeal values must be finite" CHECK (measured_value BETWEEN '-1e300' AND '1e300'
                                                  AND appealed_value BETWEEN '-1e300' AND '1e300'),
  CONSTRAINT "an appeal's causes are service or system" CHECK (measured_cause IN ('service', 'system')
                                                               AND appealed_cause IN ('service', 'system'))
);
COMMENT ON TABLE appraisal.appeals IS
  'Appeals filed (docs/rules.md, "Appeals and publication"): an employee''s KPI result in an appraised period (the value measured when filed and the value asked for) or a complaint ticket''s attribution (the cause measured and the cause asked for), with the reason. Filed with appraisal.file_appeal or appraisal.file_attribution_appeal; decided in appraisal.appeal_decisions. Never updated or deleted.';
COMMENT ON COLUMN appraisal.appeals.appeal_id IS 'Appeal number (1, 2, ... in the order filed).';
COMMENT ON COLUMN appraisal.appeals.employee_id IS 'Employee whose result is appealed (for an attribution appeal, the ticket''s agent).';
COMMENT ON COLUMN appraisal.appeals.period IS 'Appraised period of the KPI result; NULL for an attribution appeal.';
COMMENT ON COLUMN appraisal.appeals.kpi IS 'KPI appealed (appraisal.kpi_definitions of the employee''s position); NULL for an attribution appeal.';
COMMENT ON COLUMN appraisal.appeals.measured_value IS 'The KPI''s value when the appeal was filed (kpi_breakdown.measured_value: entered or measured, before any appeal); NULL when it had none.';
COMMENT ON COLUMN appraisal.appeals.appealed_value IS 'The value the employee asks for.';
COMMENT ON COLUMN appraisal.appeals.ticket_id IS 'Complaint ticket whose attribution is appealed; NULL for a KPI appeal.';
COMMENT ON COLUMN appraisal.appeals.measured_cause IS 'The ticket''s cause when the appeal was filed: service, system or NULL (not attributed).';
COMMENT ON COLUMN appraisal.appeals.appealed_cause IS 'The cause asked for: service or system.';
COMMENT ON COLUMN appraisal.appeals.reason IS 'Why the result is appealed.';
COMMENT ON COLUMN appraisal.appeals.filed_by IS 'Login (session_user) that filed the appeal.';
COMMENT ON COLUMN appraisal.appeals.filed_at IS 'When the appeal was filed.';
CREATE INDEX ON appraisal.appeals (employee_id, period, kpi);
CREATE INDEX ON appraisal.appeals (ticket_id);
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.appeals
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('An appeal stays as filed: decide it with appraisal.decide_appeal (a new row of appraisal.appeal_decisions).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.appeals
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('An appeal stays as filed: decide it with appraisal.decide_appeal (a new row of appraisal.appeal_decisions).');
GRANT SELECT ON appraisal.appeals TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.appeals', '');

CREATE TABLE appraisal.appeal_decisions (
  appeal_id     integer NOT NULL CONSTRAINT "decided appeal must be filed" REFERENCES appraisal.appeals,
  decision_no   integer NOT NULL CONSTRAINT "decision number must be positive" CHECK (decision_no > 0),
  decision      text NOT NULL
                CONSTRAINT "decision must be pending, upheld or rejected" CHECK (decision IN ('pending', 'upheld', 'rejected')),
  decided_value numeric CONSTRAINT "decided value must be finite" CHECK (decided_value BETWEEN '-1e300' AND '1e300'),
  decided_cause text CONSTRAINT "decided cause must be service or system" CHECK (decided_cause IN ('service', 'system')),
  note          text,
  decided_by    text NOT NULL DEFAULT session_user,
  decided_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (appeal_id, decision_no),
  CONSTRAINT "an upheld decision states one value or cause decided, no other decision does"
    CHECK (num_nonnulls(decided_value, decided_cause) = CASE decision WHEN 'upheld' THEN 1 ELSE 0 END)
);
COMMENT ON TABLE appraisal.appeal_decisions IS
  'The appraisal committee''s decisions on appeals (docs/rules.md, "Appeals and publication"), recorded by appraisal.decide_appeal: an appeal decided again gets a new row, and the latest decision (highest decision_no) is in force; an appeal without one is pending. Only an upheld decision changes a score. Never updated or deleted.';
COMMENT ON COLUMN appraisal.appeal_decisions.appeal_id IS 'Appeal decided (appraisal.appeals).';
COMMENT ON COLUMN appraisal.appeal_decisions.decision_no IS 'Decision number within the appeal (1, 2, ...); the highest is in force.';
COMMENT ON COLUMN appraisal.appeal_decisions.decision IS 'pending (sent back for review), upheld or rejected.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_value IS 'The KPI value decided (upheld KPI appeals only): it replaces the measured value in kpi_breakdown.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_cause IS 'The cause decided (upheld attribution appeals only): set on the ticket.';
COMMENT ON COLUMN appraisal.appeal_decisions.note IS 'The committee''s reasons.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_by IS 'Login (session_user) that recorded the decision.';
COMMENT ON COLUMN appraisal.appeal_decisions.decided_at IS 'When the decision was recorded.';
CREATE TRIGGER keep_history BEFORE UPDATE OR DELETE ON appraisal.appeal_decisions
  FOR EACH ROW EXECUTE FUNCTION appraisal.refuse_history_change('A decision stays as recorded: decide the appeal again with appraisal.decide_appeal (the latest decision is in force).');
CREATE TRIGGER keep_history_truncate BEFORE TRUNCATE ON appraisal.appeal_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.refuse_history_change('A decision stays as recorded: decide the appeal again with appraisal.decide_appeal (the latest decision is in force).');
GRANT SELECT ON appraisal.appeal_decisions TO appraisal_admin;

SELECT pg_catalog.pg_extension_config_dump('appraisal.appeal_decisions', '');

-- Each appeal with the decision in force, scoped and with their owner's
-- rights as the scorecards are (kpi_breakdown reads kpi_appeals).
CREATE VIEW appraisal.kpi_appeals WITH (security_invoker = false, security_barrier = true) AS
SELECT a.appeal_id, a.employee_id, e.name, e.team, a.period, a.kpi,
       a.measured_value, a.appealed_value, coalesce(d.decision, 'pending') AS status, d.decided_value,
       CASE WHEN d.decision = 'upheld' THEN d.decided_value ELSE a.measured_value END AS final_value,
       a.reason, a.filed_by, a.filed_at, coalesce(d.decision_no, 0) AS decisions, d.decided_by, d.decided_at, d.note
FROM appraisal.appeals a
JOIN appraisal.employees e ON e.employee_id = a.employee_id
LEFT JOIN LATERAL (SELECT x.* FROM appraisal.appeal_decisions x WHERE x.appeal_id = a.appeal_id
                   ORDER BY x.decision_no DESC LIMIT 1) d ON true
WHERE a.kpi IS NOT NULL AND appraisal.may_see(e.employee_id, e.team);
COMMENT ON VIEW appraisal.kpi_appeals IS
  'KPI appeals side by side (docs/rules.md, "Appeals and publication"): the value measured when filed, the value asked for, the decision in force (the latest; pending until one is recorded) and the final value: the decided value when upheld, else the measured one. The upheld appeal of a KPI (the latest filed, when several are) sets its value in kpi_breakdown. Scoped by appraisal.scorecard_access.';
COMMENT ON COLUMN appraisal.kpi_appeals.appeal_id IS 'Appeal number.';
COMMENT ON COLUMN appraisal.kpi_appeals.employee_id IS 'Employee code.';
COMMENT ON COLUMN appraisal.kpi_appeals.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.kpi_appeals.team IS 'Team.';
COMMENT ON COLUMN appraisal.kpi_appeals.period IS 'Appraised period.';
COMMENT ON COLUMN appraisal.kpi_appeals.kpi IS 'KPI appealed.';
COMMENT ON COLUMN appraisal.kpi_appeals.measured_value IS 'Value when the appeal was filed (entered or measured); NULL when it had none.';
COMMENT ON COLUMN appraisal.kpi_appeals.appealed_value IS 'Value asked for.';
COMMENT ON COLUMN appraisal.kpi_appeals.status IS 'The decision in force: pending, upheld or rejected.';
COMMENT ON COLUMN appraisal.kpi_appeals.decided_value IS 'Value decided (upheld only).';
COMMENT ON COLUMN appraisal.kpi_appeals.final_value IS 'The decided value when upheld, else the measured value.';
COMMENT ON COLUMN appraisal.kpi_appeals.reason IS 'Why the result was appealed.';
COMMENT ON COLUMN appraisal.kpi_appeals.filed_by IS 'Login that filed the appeal.';
COMMENT ON COLUMN appraisal.kpi_appeals.filed_at IS 'When it was filed.';
COMMENT ON COLUMN appraisal.kpi_appeals.decisions IS 'Decisions recorded so far (0: never decided).';
COMMENT ON COLUMN appraisal.kpi_appeals.decided_by IS 'Login that recorded the decision in force.';
COMMENT ON COLUMN appraisal.kpi_appeals.decided_at IS 'When the decision in force was recorded.';
COMMENT ON COLUMN appraisal.kpi_appeals.note IS 'The committee''s reasons for the decision in force.';
GRANT SELECT ON appraisal.kpi_appeals TO appraisal_admin;

-- (The appealed tickets are read first, on their own: on Citus, where the
-- tickets are distributed, the rest of the query, may_see included, then
-- runs on the coordinator; may_see reads a reference table, which a query
-- on the workers' shards may not.)
CREATE VIEW appraisal.attribution_appeals WITH (security_invoker = false, security_barrier = true) AS
WITH appealed AS MATERIALIZED (
  SELECT t.ticket_id, t.cause FROM appraisal.tickets t
  WHERE t.ticket_id IN (SELECT x.ticket_id FROM appraisal.appeals x WHERE x.ticket_id IS NOT NULL)
)
SELECT a.appeal_id, a.ticket_id, a.employee_id, e.name, e.team,
       a.measured_cause, a.appealed_cause, coalesce(d.decision, 'pending') AS status, d.decided_cause,
       CASE WHEN d.decision = 'upheld' THEN d.decided_cause ELSE a.measured_cause END AS final_cause,
       t.cause AS ticket_cause,
       a.reason, a.filed_by, a.filed_at, coalesce(d.decision_no, 0) AS decisions, d.decided_by, d.decided_at, d.note
FROM appraisal.appeals a
JOIN appraisal.employees e ON e.employee_id = a.employee_id
JOIN appealed t ON t.ticket_id = a.ticket_id
LEFT JOIN LATERAL (SELECT x.* FROM appraisal.appeal_decisions x WHERE x.appeal_id = a.appeal_id
                   ORDER BY x.decision_no DESC LIMIT 1) d ON true
WHERE appraisal.may_see(e.employee_id, e.team);
COMMENT ON VIEW appraisal.attribution_appeals IS
  'Appeals of a complaint''s attribution side by side (docs/rules.md, "Appeals and publication"): the cause when filed, the cause asked for, the decision in force (the latest; pending until one is recorded), the final cause (decided when upheld, else the measured one) and the ticket''s cause now (an upheld decision sets it; the summaries count it from their next refresh). Scoped by appraisal.scorecard_access.';
COMMENT ON COLUMN appraisal.attribution_appeals.appeal_id IS 'Appeal number.';
COMMENT ON COLUMN appraisal.attribution_appeals.ticket_id IS 'Complaint ticket.';
COMMENT ON COLUMN appraisal.attribution_appeals.employee_id IS 'The ticket''s agent.';
COMMENT ON COLUMN appraisal.attribution_appeals.name IS 'Employee name.';
COMMENT ON COLUMN appraisal.attribution_appeals.team IS 'Team.';
COMMENT ON COLUMN appraisal.attribution_appeals.measured_cause IS 'Cause when the appeal was filed: service, system or NULL (not attributed).';
COMMENT ON COLUMN appraisal.attribution_appeals.appealed_cause IS 'Cause asked for.';
COMMENT ON COLUMN appraisal.attribution_appeals.status IS 'The decision in force: pending, upheld or rejected.';
COMMENT ON COLUMN appraisal.attribution_appeals.decided_cause IS 'Cause decided (upheld only).';
COMMENT ON COLUMN appraisal.attribution_appeals.final_cause IS 'The decided cause when upheld, else the measured cause.';
COMMENT ON COLUMN appraisal.attribution_appeals.ticket_cause IS 'The ticket''s cause now (appraisal.tickets.cause).';
COMMENT ON COLUMN appraisal.attribution_appeals.reason IS 'Why the attribution was appealed.';
COMMENT ON COLUMN appraisal.attribution_appeals.filed_by IS 'Login that filed the appeal.';
COMMENT ON COLUMN appraisal.attribution_appeals.filed_at IS 'When it was filed.';
COMMENT ON COLUMN appraisal.attribution_appeals.decisions IS 'Decisions recorded so far (0: never decided).';
COMMENT ON COLUMN appraisal.attribution_appeals.decided_by IS 'Login that recorded the decision in force.';
COMMENT ON COLUMN appraisal.attribution_appeals.decided_at IS 'When the decision in force was recorded.';
COMMENT ON COLUMN appraisal.attribution_appeals.note IS 'The committee''s reasons for the decision in force.';
GRANT SELECT ON appraisal.attribution_appeals TO appraisal_admin;

-- Who files: the committee (appraisal_admin) for anyone; an employee for
-- themselves only, as the login that appraisal.scorecard_access scopes to
-- them (a row with grantee = the login and their employee_id), once
-- granted EXECUTE.  The login (session_user) counts, not a role SET to.
CREATE FUNCTION appraisal.check_appeal_filer(employee text, subject text) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT pg_catalog.pg_has_role(session_user, 'appraisal_admin', 'MEMBER')
     AND NOT EXISTS (SELECT 1 FROM appraisal.scorecard_access a
                     WHERE a.grantee = session_user AND a.employee_id = check_appeal_filer.employee) THEN
    RAISE EXCEPTION 'role "%" may not file an appeal for %', session_user, subject
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Staff file their own appeals, as the login appraisal.scorecard_access scopes to them (a row naming the login and the employee); the appraisal committee (members of appraisal_admin) files for anyone.';
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.check_appeal_filer(text, text) IS
  'Raises an error naming the subject of the appeal (what the filer named: the employee, or the ticket, never its agent) unless the login (session_user) may file an appeal for the employee: a member of appraisal_admin (the appraisal committee), or the employee themselves (a row of appraisal.scorecard_access with grantee = the login and this employee_id).';

CREATE FUNCTION appraisal.check_appeal_reason(reason text) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF coalesce(btrim(reason), '') = '' THEN
    RAISE EXCEPTION 'an appeal must give its reason'
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Say why the result is wrong: the committee decides on it.';
  END IF;
END
$$;
COMMENT ON FUNCTION appraisal.check_appeal_reason(text) IS
  'Raises an error when an appeal''s reason is missing or blank.';

-- Appeals are numbered 1, 2, ... in the order filed, under a lock that
-- makes concurrent filers wait for each other (readers are not blocked).
CREATE FUNCTION appraisal.file_appeal(employee_id text, period text, kpi text, appealed_value numeric, reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  kinds constant text[] := ARRAY['month', 'quarter', 'half_year', 'year'];
  pos text;
  appraised_kind text;
  kpi_cycle text;
  kind text;
  measured numeric;
  open_appeal integer;
  id integer;
BEGIN
  -- first: nothing is told to whoever may not file
  PERFORM appraisal.check_appeal_filer(employee_id, format('employee "%s"', employee_id));
  SELECT e.position, c.cycle INTO pos, appraised_kind
  FROM appraisal.employees e JOIN appraisal.position_cycles c USING (position)
  WHERE e.employee_id = file_appeal.employee_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'employee "%" is not in appraisal.employees', employee_id
      USING ERRCODE = 'foreign_key_violation', HINT = 'Appeal the result of a known employee.';
  END IF;
  SELECT d.cycle INTO kpi_cycle FROM appraisal.kpi_definitions d WHERE d.position = pos AND d.kpi = file_appeal.kpi;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'KPI "%" is not defined for position %, the position of employee "%"', kpi, pos, employee_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Appeal one of the position''s KPIs: '
                   || coalesce((SELECT string_agg(format('"%s"', d.kpi), ', ' ORDER BY d.kpi)
                                FROM appraisal.kpi_definitions d WHERE d.position = pos), 'none is defined') || '.';
  END IF;
  -- a KPI's value is appealed where it is measured: in the period of its own
  -- cycle when that is the position's or longer (a half-yearly exam in its
  -- half-year), in the appraised period when its cycle is shorter
  IF array_position(kinds, coalesce(kpi_cycle, appraised_kind)) > array_position(kinds, appraised_kind) THEN
    appraised_kind := kpi_cycle;
  END IF;
  SELECT p.kind INTO kind FROM appraisal.periods p WHERE p.period = file_appeal.period;
  IF NOT FOUND OR kind <> appraised_kind THEN
    RAISE EXCEPTION 'period "%" is not a period KPI "%" of employee "%" is appealed in', period, kpi, employee_id
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('KPI "%s" of a %s is appealed per %s: name one of appraisal.periods of that kind.',
                          kpi, pos, appraised_kind);
  END IF;
  IF appealed_value IS NULL OR NOT appealed_value BETWEEN '-1e300' AND '1e300' THEN
    RAISE EXCEPTION 'the value asked for KPI "%" must be a finite number, not %', kpi, coalesce(appealed_value::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Ask for a value in the unit of the KPI''s range.';
  END IF;
  PERFORM appraisal.check_appeal_reason(reason);
  LOCK TABLE appraisal.appeals IN SHARE ROW EXCLUSIVE MODE;
  SELECT k.appeal_id INTO open_appeal FROM appraisal.kpi_appeals k
  WHERE k.employee_id = file_appeal.employee_id AND k.period = file_appeal.period AND k.kpi = file_appeal.kpi
    AND k.status = 'pending';
  IF FOUND THEN
    RAISE EXCEPTION 'appeal % on KPI "%" of employee "%" in % is still pending', open_appeal, kpi, employee_id, period
      USING ERRCODE = 'unique_violation',
            HINT = 'The committee decides it first (appraisal.decide_appeal); a decided appeal may be followed by a new one.';
  END IF;
  -- the value before any appeal, as the appraisal shows it now
  SELECT b.measured_value INTO measured FROM appraisal.kpi_breakdown b
  WHERE b.employee_id = file_appeal.employee_id AND b.kpi = file_appeal.kpi
    AND (b.period = file_appeal.period OR b.value_period = file_appeal.period)
  LIMIT 1;
  SELECT coalesce(max(a.appeal_id), 0) + 1 INTO id FROM appraisal.appeals a;
  INSERT INTO appraisal.appeals (appeal_id, employee_id, period, kpi, measured_value, appealed_value, reason)
  VALUES (id, employee_id, period, kpi, measured, appealed_value, reason);
  RETURN id;
END
$$;
COMMENT ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) IS
  'Files an appeal of an employee''s KPI result (docs/rules.md, "Appeals and publication") in the period the KPI is measured in: of the KPI''s own cycle when that is the position''s (appraisal.position_cycles) or longer, else the appraised period: records the value kpi_breakdown measures now, the value asked for and the reason; returns the appeal number. One pending appeal per KPI and period at a time. Staff file their own (the login appraisal.scorecard_access scopes to the employee, granted EXECUTE), the committee (appraisal_admin) anyone''s. Runs as the extension''s owner.';
REVOKE ALL ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.file_appeal(text, text, text, numeric, text) TO appraisal_admin;

CREATE FUNCTION appraisal.file_attribution_appeal(ticket_id text, appealed_cause text, reason text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  t appraisal.tickets;
  known boolean;
  open_appeal integer;
  id integer;
BEGIN
  -- On Citus it reads the tickets' shards, then writes reference tables: one
  -- connection per node, as Citus requires of such a transaction
  IF appraisal.distributed() THEN
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  END IF;
  SELECT * INTO t FROM appraisal.tickets x WHERE x.ticket_id = file_attribution_appeal.ticket_id;
  known := FOUND;
  -- whoever may not file for the ticket's agent learns nothing of the ticket,
  -- not even whether it exists
  PERFORM appraisal.check_appeal_filer(t.agent_id, format('ticket "%s"', ticket_id));
  IF NOT known THEN
    RAISE EXCEPTION 'ticket "%" is not in appraisal.tickets', ticket_id
      USING ERRCODE = 'foreign_key_violation', HINT = 'Appeal the attribution of a known complaint ticket.';
  END IF;
  IF NOT t.complaint THEN
    RAISE EXCEPTION 'ticket "%" is not a complaint: it has no attribution to appeal', ticket_id
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Only complaints have a cause (service or system).';
  END IF;
  IF appealed_cause IS NULL OR appealed_cause NOT IN ('service', 'system') OR appealed_cause IS NOT DISTINCT FROM t.cause THEN
    RAISE EXCEPTION 'cause "%" cannot be asked for ticket "%", attributed to %', appealed_cause, ticket_id, coalesce(t.cause, 'nothing yet')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Ask for service or system, other than the ticket''s cause now.';
  END IF;
  PERFORM appraisal.check_appeal_reason(reason);
  LOCK TABLE appraisal.appeals IN SHARE ROW EXCLUSIVE MODE;
  SELECT k.appeal_id INTO open_appeal FROM appraisal.attribution_appeals k
  WHERE k.ticket_id = file_attribution_appeal.ticket_id AND k.status = 'pending';
  IF FOUND THEN
    RAISE EXCEPTION 'appeal % on the attribution of ticket "%" is still pending', open_appeal, ticket_id
      USING ERRCODE = 'unique_violation',
            HINT = 'The committee decides it first (appraisal.decide_appeal); a decided appeal may be followed by a new one.';
  END IF;
  SELECT coalesce(max(a.appeal_id), 0) + 1 INTO id FROM appraisal.appeals a;
  INSERT INTO appraisal.appeals (appeal_id, employee_id, ticket_id, measured_cause, appealed_cause, reason)
  VALUES (id, t.agent_id, ticket_id, t.cause, appealed_cause, reason);
  RETURN id;
END
$$;
COMMENT ON FUNCTION appraisal.file_attribution_appeal(text, text, text) IS
  'Files an appeal of a complaint ticket''s attribution (e.g. service → system; docs/rules.md, "Appeals and publication"): records the ticket''s cause now, the cause asked for and the reason; returns the appeal number. One pending appeal per ticket at a time. The ticket''s agent files their own (as for file_appeal), the committee (appraisal_admin) anyone''s. Runs as the extension''s owner.';
REVOKE ALL ON FUNCTION appraisal.file_attribution_appeal(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.file_attribution_appeal(text, text, text) TO appraisal_admin;

-- A decision is a new row; for an attribution appeal the decisions in force
-- are applied to the ticket at once: the latest filed upheld appeal's cause,
-- else the cause the ticket had before its first appeal.
CREATE FUNCTION appraisal.decide_appeal(appeal_id integer, decision text, decided_value numeric DEFAULT NULL,
                                        decided_cause text DEFAULT NULL, note text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_variable
DECLARE
  a appraisal.appeals;
  previous text;
  n integer;
BEGIN
  IF appraisal.distributed() THEN   -- (as file_attribution_appeal)
    PERFORM set_config('citus.multi_shard_modify_mode', 'sequential', true);
  END IF;
  SELECT * INTO a FROM appraisal.appeals x WHERE x.appeal_id = decide_appeal.appeal_id
    FOR UPDATE;   -- one decision at a time per appeal (a lock, no update)
  IF NOT FOUND THEN
    RAISE EXCEPTION 'appeal % does not exist', coalesce(appeal_id::text, 'NULL')
      USING ERRCODE = 'no_data_found', HINT = 'Appeals are numbered in appraisal.appeals (kpi_appeals, attribution_appeals).';
  END IF;
  IF decision IS NULL OR decision NOT IN ('pending', 'upheld', 'rejected') THEN
    RAISE EXCEPTION 'decision "%" on appeal % is not pending, upheld or rejected', decision, appeal_id
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Decide pending (back to review), upheld or rejected.';
  END IF;
  IF decision = 'upheld' AND a.kpi IS NOT NULL AND (decided_value IS NULL OR decided_cause IS NOT NULL) THEN
    RAISE EXCEPTION 'upholding appeal % (KPI "%") needs the value decided', appeal_id, a.kpi
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('Pass decided_value (asked for: %s); decided_cause is for attribution appeals.', a.appealed_value);
  END IF;
  IF decision = 'upheld' AND a.ticket_id IS NOT NULL AND (decided_cause IS NULL OR decided_value IS NOT NULL) THEN
    RAISE EXCEPTION 'upholding appeal % (attribution of ticket "%") needs the cause decided', appeal_id, a.ticket_id
      USING ERRCODE = 'invalid_parameter_value',
            HINT = format('Pass decided_cause (asked for: %s); decided_value is for KPI appeals.', a.appealed_cause);
  END IF;
  IF decision <> 'upheld' AND (decided_value IS NOT NULL OR decided_cause IS NOT NULL) THEN
    RAISE EXCEPTION 'a % decision on appeal % states no value or cause', decision, appeal_id
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Only an upheld decision changes a result: leave decided_value and decided_cause out.';
  END IF;
  IF EXISTS (SELECT 1 FROM appraisal.scorecard_access s WHERE s.grantee = session_user AND s.employee_id = a.employee_id) THEN
    RAISE EXCEPTION 'role "%" may not decide appeal %, an appeal of its own employee "%"', session_user, appeal_id, a.employee_id
      USING ERRCODE = 'insufficient_privilege', HINT = 'Another member of the appraisal committee decides it.';
  END IF;
  -- nobody decides an appeal they filed (a superuser, who could bypass any
  -- check, is not stopped)
  IF a.filed_by = session_user AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
    RAISE EXCEPTION 'role "%" may not decide appeal %: it filed it', session_user, appeal_id
      USING ERRCODE = 'insufficient_privilege', HINT = 'Another member of the appraisal committee decides it.';
  END IF;
  SELECT d.decision, d.decision_no INTO previous, n FROM appraisal.appeal_decisions d
  WHERE d.appeal_id = decide_appeal.appeal_id ORDER BY d.decision_no DESC LIMIT 1;
  n := coalesce(n, 0) + 1;
  INSERT INTO appraisal.appeal_decisions (appeal_id, decision_no, decision, decided_value, decided_cause, note)
  VALUES (appeal_id, n, decision, decided_value, decided_cause, note);
  IF a.ticket_id IS NOT NULL AND (decision = 'upheld' OR previous = 'upheld') THEN
    -- the ticket's cause follows the appeals in force: the latest filed
    -- upheld one, else the cause before the ticket's first appeal
    UPDATE appraisal.tickets t
    SET cause = coalesce((SELECT k.decided_cause FROM appraisal.appeals x
                          CROSS JOIN LATERAL (SELECT y.decision, y.decided_cause FROM appraisal.appeal_decisions y
                                              WHERE y.appeal_id = x.appeal_id ORDER BY y.decision_no DESC LIMIT 1) k
                          WHERE x.ticket_id = a.ticket_id AND k.decision = 'upheld'
                          ORDER BY x.appeal_id DESC LIMIT 1),
                         (SELECT x.measured_cause FROM appraisal.appeals x WHERE x.ticket_id = a.ticket_id
                          ORDER BY x.appeal_id LIMIT 1))
    WHERE t.ticket_id = a.ticket_id;
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION appraisal.decide_appeal(integer, text, numeric, text, text) IS
  'The appraisal committee''s decision on an appeal (docs/rules.md, "Appeals and publication"): pending, upheld (with the value decided for a KPI appeal, or the cause decided for an attribution appeal) or rejected, with a note; recorded as a new row of appraisal.appeal_decisions by the login deciding, the latest in force. An upheld attribution sets the ticket''s cause (counted by the summaries from their next refresh): the ticket takes the cause of the latest filed appeal upheld in force, else the cause it had before its first appeal. Nobody decides an appeal they filed, or one of the employee appraisal.scorecard_access scopes them to. Returns the decision number. For members of appraisal_admin (runs as the extension''s owner).';
REVOKE ALL ON FUNCTION appraisal.decide_appeal(integer, text, numeric, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION appraisal.decide_appeal(integer, text, numeric, text, text) TO appraisal_admin;

-- Published results.  The appraisal committee publishes a period's
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
COMMENT ON COLUMN appraisal.publications.summaries_as_of IS 'When the summaries the published results were computed from were last refreshed (appraisal.refresh_state.refreshed_at); NULL before the first refresh.';
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
