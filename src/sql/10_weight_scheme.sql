-- 10: the 360 weight scheme as a value (type weight_scheme_spec); the table
-- of named schemes is in 20_named_values.sql.  Rules: docs/rules.md,
-- "360-degree scores".

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
