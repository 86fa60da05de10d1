-- appraisal 0.3 -> 0.4: what 0.4 changed in the objects of 0.3 (the new
-- parts follow this file in the update script).  The text repeats
-- src/scorecards.sql and src/common.sql: a fresh install and an update must
-- end alike.

-- weighted_share_percent: weighted_percent of any exact fractions (customer scores are fractions of
-- amounts, not counts); the version for counts calls it.
CREATE FUNCTION appraisal.weighted_share_percent(weights numeric[], parts numeric[], wholes numeric[]) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  num numeric := 0;     -- sum of w_i * part_i * (product of the other wholes)
  den numeric := 1;     -- product of the wholes
  total numeric := 0;   -- sum of the weights
BEGIN
  IF cardinality(weights) IS DISTINCT FROM cardinality(parts) OR cardinality(parts) IS DISTINCT FROM cardinality(wholes) THEN
    RAISE EXCEPTION 'weighted_percent needs as many weights as parts and wholes (got %, %, %)',
      cardinality(weights), cardinality(parts), cardinality(wholes)
      USING ERRCODE = 'array_subscript_error';
  END IF;
  FOR i IN 1 .. coalesce(cardinality(weights), 0) LOOP
    IF weights[i] IS NULL OR weights[i] < 0 THEN
      RAISE EXCEPTION 'weight % of weighted_percent must be >= 0, not %', i, coalesce(weights[i]::text, 'NULL')
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    CONTINUE WHEN weights[i] = 0;
    IF wholes[i] IS NULL OR wholes[i] <= 0 OR parts[i] IS NULL THEN
      RETURN NULL;   -- a weighted part without evidence
    END IF;
    num := num * wholes[i] + weights[i] * parts[i] * den;
    den := den * wholes[i];
    total := total + weights[i];
  END LOOP;
  IF total = 0 THEN
    RETURN NULL;
  END IF;
  RETURN div(100 * 100 * num, total * den) * 0.01;
END
$$;
COMMENT ON FUNCTION appraisal.weighted_share_percent(numeric[], numeric[], numeric[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] with weights[i], as one exact fraction truncated to two decimals (40 % of 9/10, 30 % of 8/10 and 30 % of 4/5 give 84.00; 30 % of 1/3 and 30 % of 2/3 give 30.00, never 29.99). Parts of weight 0 are left out; NULL when a weighted part has no whole or every weight is 0.';

CREATE OR REPLACE FUNCTION appraisal.weighted_percent(weights numeric[], parts bigint[], wholes bigint[]) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN appraisal.weighted_share_percent(weights, parts::numeric[], wholes::numeric[]);
COMMENT ON FUNCTION appraisal.weighted_percent(numeric[], bigint[], bigint[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] of counts (see weighted_share_percent), exact, truncated to two decimals.';

-- protect_shipped_rows: the column naming a row and the hint are optional
-- arguments (penalty_rules is keyed by rule_id and valid_from, not name); the
-- text repeats src/common.sql.
CREATE OR REPLACE FUNCTION appraisal.protect_shipped_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
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

-- generate_demo_data is created again at the end (it now fills the customer
-- tables too)
DROP FUNCTION appraisal.generate_demo_data(integer, integer, integer, boolean);
DROP FUNCTION appraisal.demo_uniform(bigint, integer);
