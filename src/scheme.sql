-- appraisal install script, part 2: weight schemes for 360 composites.

CREATE TYPE appraisal.weight_scheme_spec;

CREATE FUNCTION appraisal.weight_scheme_spec_in(cstring) RETURNS appraisal.weight_scheme_spec
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.weight_scheme_spec_out(appraisal.weight_scheme_spec) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.weight_scheme_spec_recv(internal) RETURNS appraisal.weight_scheme_spec
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.weight_scheme_spec_send(appraisal.weight_scheme_spec) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE appraisal.weight_scheme_spec (
  INTERNALLENGTH = 392,
  INPUT = appraisal.weight_scheme_spec_in,
  OUTPUT = appraisal.weight_scheme_spec_out,
  RECEIVE = appraisal.weight_scheme_spec_recv,
  SEND = appraisal.weight_scheme_spec_send,
  ALIGNMENT = double,
  STORAGE = plain
);

COMMENT ON TYPE appraisal.weight_scheme_spec IS
  'A 360 weight scheme as a value. Text form: primary weights, then optional "; fallback ..." sets (used when exactly their groups are present) and "; min_raters ..." anonymity thresholds, e.g. ''superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40; fallback superior 60, peer 40; fallback superior 100''. Without a matching fallback the primary weights of the present groups are renormalised proportionally.';
COMMENT ON FUNCTION appraisal.weight_scheme_spec_in(cstring) IS 'Input function of appraisal.weight_scheme_spec: parses and validates a weight scheme.';
COMMENT ON FUNCTION appraisal.weight_scheme_spec_out(appraisal.weight_scheme_spec) IS 'Output function of appraisal.weight_scheme_spec: the canonical text form.';
COMMENT ON FUNCTION appraisal.weight_scheme_spec_recv(internal) IS 'Binary input function of appraisal.weight_scheme_spec; validates like the text input.';
COMMENT ON FUNCTION appraisal.weight_scheme_spec_send(appraisal.weight_scheme_spec) IS 'Binary output function of appraisal.weight_scheme_spec.';

CREATE TABLE appraisal.weight_scheme (
  name        text PRIMARY KEY,
  scheme      appraisal.weight_scheme_spec NOT NULL,
  description text,
  shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.weight_scheme IS
  'Named 360 weight schemes, used by name in score_360(score, role, scheme), score_360(ratings, scheme) and the other accessors. Invalid schemes are rejected on insert.';
COMMENT ON COLUMN appraisal.weight_scheme.name IS 'Name passed to score_360 and the accessors.';
COMMENT ON COLUMN appraisal.weight_scheme.scheme IS 'The scheme: primary weights, fallbacks, min_raters (see type appraisal.weight_scheme_spec).';
COMMENT ON COLUMN appraisal.weight_scheme.description IS 'What the scheme is for and where its weights come from.';
COMMENT ON COLUMN appraisal.weight_scheme.shipped IS 'True for schemes shipped with the extension; those cannot be changed.';

INSERT INTO appraisal.weight_scheme (name, scheme, description, shipped) VALUES
  ('standard',
   'superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40; fallback superior 60, peer 40; fallback superior 100',
   'The appraisal regulations'' 360 scheme: superior 40 %, peer 30 %, subordinate 30 %; no peers 60/40, no subordinates 60/40, neither 100; no superior: peer and subordinate renormalised to 50/50. Self and customer ratings do not count.',
   true);

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.weight_scheme
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('weight scheme');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.weight_scheme
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('weight scheme');
-- everyone may read the named values (grade_band(85) reads 'standard');
-- who may add them is the database owner's decision: GRANT INSERT as needed
GRANT SELECT ON appraisal.weight_scheme TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.weight_scheme', 'WHERE NOT shipped');
