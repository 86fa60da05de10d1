\echo Use "CREATE EXTENSION appraisal" to load this file. \quit
-- appraisal install script.  The parts in src/sql are concatenated in the
-- order of their names, which is the order of the layers: 0x the schema,
-- 1x types, aggregates and pure functions, 2x configuration, 3x the data
-- model, 4x the materialized summaries, 5x the views, 6x operations.  Each
-- part uses only what parts before it define, and each object is defined
-- whole in one part.
--
-- 00: the schema, the rater roles, and the trigger protecting shipped rows.

COMMENT ON SCHEMA appraisal IS
  'After-sales / customer-service performance appraisal: 360 scores, grade bands, weighted KPI scoring.';

GRANT USAGE ON SCHEMA appraisal TO PUBLIC;

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
