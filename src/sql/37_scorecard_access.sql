-- 37: who may see whose scorecards.  A role listed in scorecard_access
-- (directly or through a role it is a member of) sees only the employees
-- and teams listed for it in the person-level scorecards; a role not
-- listed sees every row it is granted, as before; superusers see all.  The
-- scorecards that apply it (agent_scorecard, team_scorecard, scorecard_360,
-- kpi_breakdown, overall_appraisal, annual_results) run with their owner's
-- rights, so that a scoped role is granted the views alone and never the
-- materialized summaries beneath them, which hold every team's rows
-- (docs/operations.md, "Security").

CREATE TABLE appraisal.scorecard_access (
  grantee     name NOT NULL,
  team        text,
  employee_id text CONSTRAINT "employee must be a known employee"
              REFERENCES appraisal.employees ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT "an access row names a team or an employee" CHECK ((team IS NULL) <> (employee_id IS NULL)),
  CONSTRAINT "one access row per grantee and team or employee" UNIQUE NULLS NOT DISTINCT (grantee, team, employee_id)
);
COMMENT ON TABLE appraisal.scorecard_access IS
  'Row scoping of the person-level scorecards: a role listed here (or a member of a role listed here) sees in agent_scorecard, team_scorecard, scorecard_360, kpi_breakdown, overall_appraisal and annual_results only the teams and employees listed for it. Roles not listed see every row they are granted; superusers see all. Each role reads only its own rows.';
COMMENT ON COLUMN appraisal.scorecard_access.grantee IS 'Role (or group role, for its members) that is scoped.';
COMMENT ON COLUMN appraisal.scorecard_access.team IS 'A team whose employees and team rows the grantee sees (or NULL with employee_id).';
COMMENT ON COLUMN appraisal.scorecard_access.employee_id IS 'An employee the grantee sees (or NULL with team).';

-- every role reads its own rows, and its login's: whether and how it is
-- scoped (may_see reads them so).  The policy calls a function rather than
-- holding the subquery: Citus refuses a subquery in the policy of a table
-- it distributes (docs/scaling.md).
CREATE FUNCTION appraisal.member_of(role_name name) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT EXISTS (SELECT FROM pg_catalog.pg_roles r
                 WHERE r.rolname = member_of.role_name
                   AND (pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                        OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER')));
END;
COMMENT ON FUNCTION appraisal.member_of(name) IS
  'Whether the current role or the login behind it (session_user) is a member of the role named (false when no such role exists): the row policy of appraisal.scorecard_access.';
ALTER TABLE appraisal.scorecard_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON appraisal.scorecard_access FOR SELECT USING (appraisal.member_of(grantee));
GRANT SELECT ON appraisal.scorecard_access TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.scorecard_access', '');

-- A role is scoped by the rows of the roles it is a member of, and so is
-- the login behind it (session_user): SET ROLE to an unlisted role it may
-- also be does not lift a login's scope.
CREATE FUNCTION appraisal.may_see(employee text, team text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user), false)
      OR NOT EXISTS (SELECT 1 FROM appraisal.scorecard_access a
                     JOIN pg_catalog.pg_roles r ON r.rolname = a.grantee
                     WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                        OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
      OR EXISTS (SELECT 1 FROM appraisal.scorecard_access a
                 JOIN pg_catalog.pg_roles r ON r.rolname = a.grantee
                 WHERE (pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
                        OR pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
                   AND (a.employee_id = may_see.employee OR a.team = may_see.team));
END;
COMMENT ON FUNCTION appraisal.may_see(text, text) IS
  'Whether the current role may see the scorecard rows of an employee (with their team) or of a team (employee NULL): always for superusers; for other roles when neither they nor their login (session_user) are members of a role in appraisal.scorecard_access, else when the employee or the team is listed for such a role.';

-- A grantee must be a role: a misspelt name would leave the role it meant
-- unscoped.  (A restore may list roles the cluster has not yet.)
CREATE FUNCTION appraisal.check_scorecard_access() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = NEW.grantee) AND NOT appraisal.replaying_dump() THEN
    RAISE EXCEPTION 'role "%" does not exist', NEW.grantee
      USING ERRCODE = 'undefined_object',
            HINT = 'scorecard_access names roles as they are; after renaming a role, rename its rows here too.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_scorecard_access() IS
  'Trigger of appraisal.scorecard_access: the grantee must be an existing role (a misspelt one would leave the intended role unscoped).';
CREATE TRIGGER check_scorecard_access BEFORE INSERT OR UPDATE ON appraisal.scorecard_access
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_scorecard_access();
