\echo Use "CREATE EXTENSION appraisal" to load this file. \quit
-- appraisal install script.  The parts in src/sql are concatenated in the
-- order of their names, which is the order of the layers: 0x the schema,
-- 1x types, aggregates and pure functions, 2x configuration, 3x the data
-- model, 4x the materialized summaries, 5x the views, 6x operations.  Each
-- part uses only what parts before it define, and each object is defined
-- whole in one part.
--
-- 00: the schema, the role that may refresh and schedule, the rater roles,
-- the trigger protecting shipped rows and how triggers tell a restore.

COMMENT ON SCHEMA appraisal IS
  'After-sales / customer-service performance appraisal: 360 scores, grade bands, weighted KPI scoring.';

GRANT USAGE ON SCHEMA appraisal TO PUBLIC;

-- Who may refresh the scorecards and schedule the refresh: the members of
-- appraisal_admin (and superusers), nobody else (docs/operations.md,
-- "Security").  A role is global to the cluster: the first database to
-- create the extension creates it, the others find it, and DROP EXTENSION
-- leaves it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'appraisal_admin') THEN
    CREATE ROLE appraisal_admin NOLOGIN;
  END IF;
END
$$;

-- A restore loads tables in any order (pg_dump writes them in name order,
-- pg_restore -j loads several at once), so a trigger that checks a row
-- against rows of another table may run before those rows are back.
-- pg_dump's scripts and pg_restore turn check_function_bodies off in every
-- session they open; such a trigger then lets a row through when the rows it
-- is checked against are not there (yet): it was checked when first entered.
-- Any role may turn that setting off, so only a session whose login owns
-- the extension's schema (or is a superuser), as a restore's does, counts:
-- a role that loads data cannot skip the checks this way.
CREATE FUNCTION appraisal.replaying_dump() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN NOT pg_catalog.current_setting('check_function_bodies')::boolean
       AND pg_catalog.pg_has_role(session_user,
                                  (SELECT n.nspowner FROM pg_catalog.pg_namespace n WHERE n.nspname = 'appraisal'),
                                  'MEMBER');
COMMENT ON FUNCTION appraisal.replaying_dump() IS
  'True in a session that replays a dump: check_function_bodies off (as pg_dump''s scripts and pg_restore set it) and a login that owns the extension''s schema or is a superuser. The triggers that check a row against rows of another table then let it through when those rows are not restored yet.';

CREATE TYPE appraisal.rater_role AS ENUM ('superior', 'peer', 'subordinate', 'self', 'customer');
COMMENT ON TYPE appraisal.rater_role IS
  'Who gave a 360 rating, relative to the person rated: superior, peer, subordinate, self or customer.';

-- Tables of named configuration values (weight schemes, grade scales) carry a
-- "shipped" flag: rows the extension installs are read-only, so that the
-- built-in behaviour (e.g. the two-argument score_360) always matches the row
-- a user reads, and pg_dump saves only the rows users added.  Arguments: what
-- a row is called in messages; optionally the column naming a row (default
-- name) and the hint for a refused change.
CREATE FUNCTION appraisal.protect_shipped_rows() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'TRUNCATE would remove the % rows shipped with the extension', TG_ARGV[0]
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'DELETE ... WHERE NOT shipped removes the rows users added.';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    RAISE EXCEPTION '% "%" is shipped with the extension and cannot be changed',
      TG_ARGV[0], to_jsonb(OLD) ->> coalesce(TG_ARGV[1], 'name')
      USING ERRCODE = 'insufficient_privilege',
            HINT = coalesce(TG_ARGV[2], 'Insert a row under a new name instead.');
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.shipped THEN
    RAISE EXCEPTION 'only the extension itself ships % rows', TG_ARGV[0]
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Leave the column "shipped" at its default, false.';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.protect_shipped_rows() IS
  'Trigger: rows shipped with the extension (shipped = true) cannot be updated, deleted or truncated away, and users cannot mark rows as shipped. Arguments: what a row is called in messages (e.g. ''grade scale''), optionally the column that names a row (default name) and the hint given when a change is refused.';

-- Whether appraisal.tickets is a Citus table: the installation was
-- distributed (62_citus.sql).  Checked at run time, so defined first.
CREATE FUNCTION appraisal.distributed() RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
    RETURN false;
  END IF;
  RETURN EXISTS (SELECT FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = 'appraisal.tickets'::regclass);
END
$$;
COMMENT ON FUNCTION appraisal.distributed() IS
  'True once appraisal.distribute() has made this installation a distributed one (appraisal.tickets is a Citus table); false without Citus.';
