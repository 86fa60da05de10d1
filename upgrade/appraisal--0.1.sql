-- appraisal install script, part 1: objects every other part uses.
\echo Use "CREATE EXTENSION appraisal" to load this file. \quit

COMMENT ON SCHEMA appraisal IS
  'After-sales / customer-service performance appraisal: 360 scores, grade bands, weighted KPI scoring.';

GRANT USAGE ON SCHEMA appraisal TO PUBLIC;

CREATE TYPE appraisal.rater_role AS ENUM ('superior', 'peer', 'subordinate', 'self', 'customer');
COMMENT ON TYPE appraisal.rater_role IS
  'Who gave a 360 rating, relative to the person rated: superior, peer, subordinate, self or customer.';

-- Tables of named configuration values (weight schemes, grade scales) carry a
-- "shipped" flag: rows the extension installs are read-only, so that the
-- built-in behaviour (e.g. the two-argument score_360) always matches the row
-- a user reads, and pg_dump saves only the rows users added.
CREATE FUNCTION appraisal.protect_shipped_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'TRUNCATE would remove the % rows shipped with the extension', TG_ARGV[0]
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'DELETE ... WHERE NOT shipped removes the rows users added.';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    RAISE EXCEPTION '% "%" is shipped with the extension and cannot be changed',
      TG_ARGV[0], OLD.name
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Insert a row under a new name instead.';
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
  'Trigger: rows shipped with the extension (shipped = true) cannot be updated, deleted or truncated away, and users cannot mark rows as shipped.';
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
-- appraisal install script, part 3: 360 ratings, their two-step summary and score_360.

CREATE TYPE appraisal.ratings;
CREATE FUNCTION appraisal.ratings_in(cstring) RETURNS appraisal.ratings
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.ratings_out(appraisal.ratings) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.ratings_recv(internal) RETURNS appraisal.ratings
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.ratings_send(appraisal.ratings) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.ratings (
  INTERNALLENGTH = 120,
  INPUT = appraisal.ratings_in, OUTPUT = appraisal.ratings_out,
  RECEIVE = appraisal.ratings_recv, SEND = appraisal.ratings_send,
  ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE appraisal.ratings IS
  'Two-step summary of 360 ratings: per rater role the number of ratings and their exact sum (scores are summed exactly at a resolution of 10^-18 points, so rollups agree with raw aggregation to the last digit). Text form ''{superior: n=2 sum=170, peer: n=1 sum=70}''. Made by rating_agg, merged by rollup, read by score_360, group_mean, rater_count, weights_used and explain_360.';
COMMENT ON FUNCTION appraisal.ratings_in(cstring) IS 'Input function of appraisal.ratings; rejects counts and sums no set of scores in [0, 100] could give.';
COMMENT ON FUNCTION appraisal.ratings_out(appraisal.ratings) IS 'Output function of appraisal.ratings: exact, reads back to the same value.';
COMMENT ON FUNCTION appraisal.ratings_recv(internal) IS 'Binary input function of appraisal.ratings; validates like the text input.';
COMMENT ON FUNCTION appraisal.ratings_send(appraisal.ratings) IS 'Binary output function of appraisal.ratings.';

CREATE TYPE appraisal.score_360_state;
CREATE FUNCTION appraisal.score_360_state_in(cstring) RETURNS appraisal.score_360_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.score_360_state_out(appraisal.score_360_state) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.score_360_state_recv(internal) RETURNS appraisal.score_360_state
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.score_360_state_send(appraisal.score_360_state) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.score_360_state (
  INTERNALLENGTH = 520,
  INPUT = appraisal.score_360_state_in, OUTPUT = appraisal.score_360_state_out,
  RECEIVE = appraisal.score_360_state_recv, SEND = appraisal.score_360_state_send,
  ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE appraisal.score_360_state IS
  'Aggregate state of score_360(score, role, scheme): the ratings and the weight scheme they are weighted by, so that parallel workers and distributed nodes combine states without looking the scheme up. Text form ''{superior: n=1 sum=90} using superior 40, peer 30, subordinate 30''.';
COMMENT ON FUNCTION appraisal.score_360_state_in(cstring) IS 'Input function of appraisal.score_360_state.';
COMMENT ON FUNCTION appraisal.score_360_state_out(appraisal.score_360_state) IS 'Output function of appraisal.score_360_state: exact, reads back to the same value.';
COMMENT ON FUNCTION appraisal.score_360_state_recv(internal) IS 'Binary input function of appraisal.score_360_state; validates like the text input.';
COMMENT ON FUNCTION appraisal.score_360_state_send(appraisal.score_360_state) IS 'Binary output function of appraisal.score_360_state.';

-- aggregate support
-- (not strict: a score without a role is an error, not silently skipped)
CREATE FUNCTION appraisal.ratings_trans(appraisal.ratings, double precision, appraisal.rater_role)
  RETURNS appraisal.ratings AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.ratings_trans(appraisal.ratings, double precision, appraisal.rater_role) IS
  'Transition function of rating_agg and score_360(score, role): adds one score (0-100) to its role''s count and sum; NULL scores are left out, a NULL role is an error.';
CREATE FUNCTION appraisal.ratings_inv(appraisal.ratings, double precision, appraisal.rater_role)
  RETURNS appraisal.ratings AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.ratings_inv(appraisal.ratings, double precision, appraisal.rater_role) IS
  'Inverse transition function for moving windows: removes one score exactly.';
CREATE FUNCTION appraisal.ratings_combine(appraisal.ratings, appraisal.ratings)
  RETURNS appraisal.ratings AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.ratings_combine(appraisal.ratings, appraisal.ratings) IS
  'Combine function of the ratings aggregates: adds counts and sums per role.';
-- accessors of appraisal.ratings; each with the standard scheme, a named one or an inline one
CREATE FUNCTION appraisal.score_360(ratings appraisal.ratings) RETURNS double precision
  AS 'MODULE_PATHNAME', 'ratings_score_360' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360(appraisal.ratings) IS
  'The 360 composite of the ratings: mean per rater group, then weighted by the standard scheme (40/30/30 with the documents'' fixed fallbacks). NULL when no usable group.';
CREATE FUNCTION appraisal.score_360(ratings appraisal.ratings, scheme text) RETURNS double precision
  AS 'MODULE_PATHNAME', 'ratings_score_360' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360(appraisal.ratings, text) IS
  'The 360 composite of the ratings: mean per rater group, then weighted by the named scheme from appraisal.weight_scheme. NULL when no usable group.';
CREATE FUNCTION appraisal.score_360(ratings appraisal.ratings, scheme appraisal.weight_scheme_spec) RETURNS double precision
  AS 'MODULE_PATHNAME', 'ratings_score_360' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360(appraisal.ratings, appraisal.weight_scheme_spec) IS
  'The 360 composite of the ratings: mean per rater group, then weighted by the given scheme value. NULL when no usable group.';
CREATE FUNCTION appraisal.group_mean(ratings appraisal.ratings, role appraisal.rater_role) RETURNS double precision
  AS 'MODULE_PATHNAME', 'ratings_group_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.group_mean(appraisal.ratings, appraisal.rater_role) IS
  'Mean score of one rater group; NULL when the group has no ratings or is suppressed (the standard scheme suppresses nothing).';
CREATE FUNCTION appraisal.group_mean(ratings appraisal.ratings, role appraisal.rater_role, scheme text) RETURNS double precision
  AS 'MODULE_PATHNAME', 'ratings_group_mean' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.group_mean(appraisal.ratings, appraisal.rater_role, text) IS
  'Mean score of one rater group; NULL when the group has no ratings or is suppressed by the named scheme''s min_raters.';
CREATE FUNCTION appraisal.group_mean(ratings appraisal.ratings, role appraisal.rater_role, scheme appraisal.weight_scheme_spec) RETURNS double precision
  AS 'MODULE_PATHNAME', 'ratings_group_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.group_mean(appraisal.ratings, appraisal.rater_role, appraisal.weight_scheme_spec) IS
  'Mean score of one rater group; NULL when the group has no ratings or is suppressed by the scheme''s min_raters.';
CREATE FUNCTION appraisal.rater_count(ratings appraisal.ratings, role appraisal.rater_role) RETURNS bigint
  AS 'MODULE_PATHNAME', 'ratings_rater_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.rater_count(appraisal.ratings, appraisal.rater_role) IS
  'Number of ratings of one rater group (0 when none); NULL when the group is suppressed (the standard scheme suppresses nothing).';
CREATE FUNCTION appraisal.rater_count(ratings appraisal.ratings, role appraisal.rater_role, scheme text) RETURNS bigint
  AS 'MODULE_PATHNAME', 'ratings_rater_count' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.rater_count(appraisal.ratings, appraisal.rater_role, text) IS
  'Number of ratings of one rater group (0 when none); NULL when the group is suppressed by the named scheme''s min_raters.';
CREATE FUNCTION appraisal.rater_count(ratings appraisal.ratings, role appraisal.rater_role, scheme appraisal.weight_scheme_spec) RETURNS bigint
  AS 'MODULE_PATHNAME', 'ratings_rater_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.rater_count(appraisal.ratings, appraisal.rater_role, appraisal.weight_scheme_spec) IS
  'Number of ratings of one rater group (0 when none); NULL when the group is suppressed by the scheme''s min_raters.';
CREATE FUNCTION appraisal.weights_used(ratings appraisal.ratings) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'ratings_weights_used' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weights_used(appraisal.ratings) IS
  'The weights actually applied by the standard scheme (40/30/30 with the documents'' fixed fallbacks), after fallbacks and suppression, as shares summing to 1, e.g. {"superior": 0.6, "subordinate": 0.4}. NULL when no usable group.';
CREATE FUNCTION appraisal.weights_used(ratings appraisal.ratings, scheme text) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'ratings_weights_used' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weights_used(appraisal.ratings, text) IS
  'The weights actually applied by the named scheme from appraisal.weight_scheme, after fallbacks and suppression, as shares summing to 1, e.g. {"superior": 0.6, "subordinate": 0.4}. NULL when no usable group.';
CREATE FUNCTION appraisal.weights_used(ratings appraisal.ratings, scheme appraisal.weight_scheme_spec) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'ratings_weights_used' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weights_used(appraisal.ratings, appraisal.weight_scheme_spec) IS
  'The weights actually applied by the given scheme value, after fallbacks and suppression, as shares summing to 1, e.g. {"superior": 0.6, "subordinate": 0.4}. NULL when no usable group.';
CREATE FUNCTION appraisal.explain_360(ratings appraisal.ratings) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'ratings_explain_360' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.explain_360(appraisal.ratings) IS
  'How the composite by the standard scheme (40/30/30 with the documents'' fixed fallbacks) came about: the score, the rule that chose the weights (primary, fallback, proportional or none) and per group the raters, mean and weight, or that it was suppressed.';
CREATE FUNCTION appraisal.explain_360(ratings appraisal.ratings, scheme text) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'ratings_explain_360' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.explain_360(appraisal.ratings, text) IS
  'How the composite by the named scheme from appraisal.weight_scheme came about: the score, the rule that chose the weights (primary, fallback, proportional or none) and per group the raters, mean and weight, or that it was suppressed.';
CREATE FUNCTION appraisal.explain_360(ratings appraisal.ratings, scheme appraisal.weight_scheme_spec) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'ratings_explain_360' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.explain_360(appraisal.ratings, appraisal.weight_scheme_spec) IS
  'How the composite by the given scheme value came about: the score, the rule that chose the weights (primary, fallback, proportional or none) and per group the raters, mean and weight, or that it was suppressed.';

CREATE AGGREGATE appraisal.rating_agg(score double precision, role appraisal.rater_role) (
  SFUNC = appraisal.ratings_trans, STYPE = appraisal.ratings, INITCOND = '{}',
  COMBINEFUNC = appraisal.ratings_combine,
  MSFUNC = appraisal.ratings_trans, MINVFUNC = appraisal.ratings_inv,
  MSTYPE = appraisal.ratings, MINITCOND = '{}',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.rating_agg(double precision, appraisal.rater_role) IS
  'Two-step 360: summarises scores (0-100; NULL ignored) per rater role into an appraisal.ratings value to store, rollup and read with score_360, group_mean, rater_count, weights_used, explain_360.';

CREATE AGGREGATE appraisal.rollup(appraisal.ratings) (
  SFUNC = appraisal.ratings_combine, STYPE = appraisal.ratings, INITCOND = '{}',
  COMBINEFUNC = appraisal.ratings_combine,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.rollup(appraisal.ratings) IS
  'Merges stored 360 summaries (e.g. per day into per quarter) exactly: counts and sums per role are added, never means averaged.';

CREATE AGGREGATE appraisal.score_360(score double precision, role appraisal.rater_role) (
  SFUNC = appraisal.ratings_trans, STYPE = appraisal.ratings, INITCOND = '{}',
  FINALFUNC = appraisal.score_360, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.ratings_combine,
  MSFUNC = appraisal.ratings_trans, MINVFUNC = appraisal.ratings_inv,
  MSTYPE = appraisal.ratings, MINITCOND = '{}',
  MFINALFUNC = appraisal.score_360, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.score_360(double precision, appraisal.rater_role) IS
  'The 360 composite (DOMAIN §1): mean per rater group, then superior 40 / peer 30 / subordinate 30; no peers 60/40, no subordinates 60/40, neither 100 (fixed fallbacks, not renormalised); no superior: 50/50. Self and customer ratings ignored, NULL scores ignored, no usable rating gives NULL. Scores outside [0, 100] are errors.';

CREATE FUNCTION appraisal.score_360_trans(appraisal.score_360_state, double precision, appraisal.rater_role, text)
  RETURNS appraisal.score_360_state AS 'MODULE_PATHNAME', 'score_360_state_trans'
  LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360_trans(appraisal.score_360_state, double precision, appraisal.rater_role, text) IS
  'Transition function of score_360(score, role, scheme name): looks the scheme up once per call site and adds the score; NULL scores are left out, a NULL role or scheme is an error.';
CREATE FUNCTION appraisal.score_360_trans(appraisal.score_360_state, double precision, appraisal.rater_role, appraisal.weight_scheme_spec)
  RETURNS appraisal.score_360_state AS 'MODULE_PATHNAME', 'score_360_state_trans'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360_trans(appraisal.score_360_state, double precision, appraisal.rater_role, appraisal.weight_scheme_spec) IS
  'Transition function of score_360(score, role, scheme value): adds the score; NULL scores are left out, a NULL role or scheme is an error.';
CREATE FUNCTION appraisal.score_360_inv(appraisal.score_360_state, double precision, appraisal.rater_role, text)
  RETURNS appraisal.score_360_state AS 'MODULE_PATHNAME', 'score_360_state_inv'
  LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360_inv(appraisal.score_360_state, double precision, appraisal.rater_role, text) IS
  'Inverse transition function of score_360(score, role, scheme name) for moving windows: removes one score exactly.';
CREATE FUNCTION appraisal.score_360_inv(appraisal.score_360_state, double precision, appraisal.rater_role, appraisal.weight_scheme_spec)
  RETURNS appraisal.score_360_state AS 'MODULE_PATHNAME', 'score_360_state_inv'
  LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360_inv(appraisal.score_360_state, double precision, appraisal.rater_role, appraisal.weight_scheme_spec) IS
  'Inverse transition function of score_360(score, role, scheme value) for moving windows: removes one score exactly.';
CREATE FUNCTION appraisal.score_360_combine(appraisal.score_360_state, appraisal.score_360_state)
  RETURNS appraisal.score_360_state AS 'MODULE_PATHNAME', 'score_360_state_combine'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360_combine(appraisal.score_360_state, appraisal.score_360_state) IS
  'Combine function of score_360(score, role, scheme): adds the ratings; states with different schemes are an error.';
CREATE FUNCTION appraisal.score_360_final(appraisal.score_360_state)
  RETURNS double precision AS 'MODULE_PATHNAME', 'score_360_state_final'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.score_360_final(appraisal.score_360_state) IS
  'Final function of score_360(score, role, scheme): the composite under the state''s scheme, NULL when no usable group.';

CREATE AGGREGATE appraisal.score_360(score double precision, role appraisal.rater_role, scheme text) (
  SFUNC = appraisal.score_360_trans, STYPE = appraisal.score_360_state, INITCOND = '{}',
  FINALFUNC = appraisal.score_360_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.score_360_combine,
  MSFUNC = appraisal.score_360_trans, MINVFUNC = appraisal.score_360_inv,
  MSTYPE = appraisal.score_360_state, MINITCOND = '{}',
  MFINALFUNC = appraisal.score_360_final, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.score_360(double precision, appraisal.rater_role, text) IS
  'The 360 composite with a named weight scheme from appraisal.weight_scheme: its primary weights, its explicit fallbacks when exactly their groups are present, otherwise proportional renormalisation; groups below min_raters are suppressed. Unknown scheme names are errors.';
CREATE AGGREGATE appraisal.score_360(score double precision, role appraisal.rater_role, scheme appraisal.weight_scheme_spec) (
  SFUNC = appraisal.score_360_trans, STYPE = appraisal.score_360_state, INITCOND = '{}',
  FINALFUNC = appraisal.score_360_final, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.score_360_combine,
  MSFUNC = appraisal.score_360_trans, MINVFUNC = appraisal.score_360_inv,
  MSTYPE = appraisal.score_360_state, MINITCOND = '{}',
  MFINALFUNC = appraisal.score_360_final, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.score_360(double precision, appraisal.rater_role, appraisal.weight_scheme_spec) IS
  'The 360 composite with an inline weight scheme value (no table needed), same rules as the named form.';
-- appraisal install script, part 4: grade bands (scales of labelled score bands).

CREATE TYPE appraisal.grade_scale_spec;

CREATE FUNCTION appraisal.grade_scale_spec_in(cstring) RETURNS appraisal.grade_scale_spec
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.grade_scale_spec_out(appraisal.grade_scale_spec) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.grade_scale_spec_recv(internal) RETURNS appraisal.grade_scale_spec
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.grade_scale_spec_send(appraisal.grade_scale_spec) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- STORAGE = plain: a stored scale is never compressed or short-headed, so the
-- grading functions read it in place, with no per-row copy.
CREATE TYPE appraisal.grade_scale_spec (
  INTERNALLENGTH = variable,
  INPUT = appraisal.grade_scale_spec_in,
  OUTPUT = appraisal.grade_scale_spec_out,
  RECEIVE = appraisal.grade_scale_spec_recv,
  SEND = appraisal.grade_scale_spec_send,
  ALIGNMENT = double,
  STORAGE = plain
);

COMMENT ON TYPE appraisal.grade_scale_spec IS
  'A grade scale as a value. Text form: an optional range "lo..hi:" (default 0..100), then the bands from best to worst, each a label with its inclusive lower bound, the last without one, e.g. ''0..100: 优 >= 90, 良 >= 80, 中 >= 70, 较差 >= 60, 差''. A score belongs to the first band whose bound it reaches (90 is 优, 89.999 is 良); the last band takes everything from lo up. Labels containing spaces or any of , : " > = are double-quoted, with "" for a quote. At most 32 bands, labels at most 63 bytes.';
COMMENT ON FUNCTION appraisal.grade_scale_spec_in(cstring) IS 'Input function of appraisal.grade_scale_spec: parses and validates a grade scale.';
COMMENT ON FUNCTION appraisal.grade_scale_spec_out(appraisal.grade_scale_spec) IS 'Output function of appraisal.grade_scale_spec: the canonical text form, always with the range.';
COMMENT ON FUNCTION appraisal.grade_scale_spec_recv(internal) IS 'Binary input function of appraisal.grade_scale_spec; validates exactly like the text input.';
COMMENT ON FUNCTION appraisal.grade_scale_spec_send(appraisal.grade_scale_spec) IS 'Binary output function of appraisal.grade_scale_spec.';

CREATE TABLE appraisal.grade_scale (
  name        text PRIMARY KEY,
  scale       appraisal.grade_scale_spec NOT NULL,
  description text,
  shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.grade_scale IS
  'Named grade scales, used by name in grade_band(score, scale), grade_rank(score, scale) and grade_bands(scale). Invalid scales are rejected on insert.';
COMMENT ON COLUMN appraisal.grade_scale.name IS 'Name passed to grade_band, grade_rank and grade_bands.';
COMMENT ON COLUMN appraisal.grade_scale.scale IS 'The scale: range and bands from best to worst with inclusive lower bounds (see type appraisal.grade_scale_spec).';
COMMENT ON COLUMN appraisal.grade_scale.description IS 'What the scale is for.';
COMMENT ON COLUMN appraisal.grade_scale.shipped IS 'True for scales shipped with the extension; those cannot be changed.';

INSERT INTO appraisal.grade_scale (name, scale, description, shipped) VALUES
  ('standard', '0..100: 优 >= 90, 良 >= 80, 中 >= 70, 较差 >= 60, 差',
   'Appraisal grades: 优 (excellent) 90-100, 良 (good) 80-89, 中 (fair) 70-79, 较差 (poor) 60-69, 差 (fail) below 60.',
   true),
  ('credit', '0..100: AAA >= 90, AA >= 80, A >= 70, B >= 60, C',
   'Customer credit grades (客户信用等级): AAA 90-100, AA 80-89, A 70-79, B 60-69, C below 60.',
   true),
  ('staff', '0..100: 优秀 >= 90, 良好 >= 80, 合格 >= 70, 待提升 >= 60, 不合格',
   'Staff appraisal grades: 优秀 90-100, 良好 80-89, 合格 70-79, 待提升 60-69, 不合格 below 60.',
   true),
  ('english', '0..100: excellent >= 90, good >= 80, fair >= 70, poor >= 60, fail',
   'The standard grades in English: excellent 90-100, good 80-89, fair 70-79, poor 60-69, fail below 60.',
   true);

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.grade_scale
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('grade scale');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.grade_scale
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('grade scale');
-- everyone may read the named values (grade_band(85) reads 'standard');
-- who may add them is the database owner's decision: GRANT INSERT as needed
GRANT SELECT ON appraisal.grade_scale TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.grade_scale', 'WHERE NOT shipped');

CREATE FUNCTION appraisal.grade_band(score double precision, scale text DEFAULT 'standard')
  RETURNS text
  AS 'MODULE_PATHNAME', 'grade_band_named' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.grade_rank(score double precision, scale text DEFAULT 'standard')
  RETURNS integer
  AS 'MODULE_PATHNAME', 'grade_rank_named' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.grade_band(score double precision, scale appraisal.grade_scale_spec)
  RETURNS text
  AS 'MODULE_PATHNAME', 'grade_band_spec' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.grade_rank(score double precision, scale appraisal.grade_scale_spec)
  RETURNS integer
  AS 'MODULE_PATHNAME', 'grade_rank_spec' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.grade_bands(scale appraisal.grade_scale_spec)
  RETURNS TABLE (rank integer, label text, lower_bound double precision, upper_bound double precision)
  AS 'MODULE_PATHNAME', 'grade_bands_spec' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 5;
CREATE FUNCTION appraisal.grade_bands(scale text)
  RETURNS TABLE (rank integer, label text, lower_bound double precision, upper_bound double precision)
  AS 'MODULE_PATHNAME', 'grade_bands_named' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 5;

COMMENT ON FUNCTION appraisal.grade_band(double precision, text) IS
  'Grade band label of a score on the named scale of appraisal.grade_scale (default ''standard''): the first band, from the best, whose inclusive lower bound the score reaches (standard: 90 is 优, 89.999 is 良, 59.999 is 差). Scores outside the scale''s range, NaN and infinities are errors.';
COMMENT ON FUNCTION appraisal.grade_rank(double precision, text) IS
  'Rank of the grade band of a score on the named scale of appraisal.grade_scale (default ''standard''), 1 for the best band; lower bounds are inclusive. Scores outside the scale''s range, NaN and infinities are errors.';
COMMENT ON FUNCTION appraisal.grade_band(double precision, appraisal.grade_scale_spec) IS
  'Grade band label of a score on an inline scale: the first band, from the best, whose inclusive lower bound the score reaches. Scores outside the scale''s range, NaN and infinities are errors.';
COMMENT ON FUNCTION appraisal.grade_rank(double precision, appraisal.grade_scale_spec) IS
  'Rank of the grade band of a score on an inline scale, 1 for the best band; lower bounds are inclusive. Scores outside the scale''s range, NaN and infinities are errors.';
COMMENT ON FUNCTION appraisal.grade_bands(appraisal.grade_scale_spec) IS
  'The bands of an inline scale, best first: rank, label, lower_bound (inclusive; lo for the last band) and upper_bound (the next better band''s lower bound, exclusive; hi, inclusive, for the best band).';
COMMENT ON FUNCTION appraisal.grade_bands(text) IS
  'The bands of the named scale of appraisal.grade_scale, best first: rank, label, lower_bound (inclusive; lo for the last band) and upper_bound (the next better band''s lower bound, exclusive; hi, inclusive, for the best band).';
-- appraisal install script, part 5: KPI scoring (DOMAIN.md §8): linear_score and
-- the weighted_score aggregate with its two-step summary appraisal.weighted_stats.

CREATE FUNCTION appraisal.linear_score(value double precision, zero_at double precision, full_at double precision)
  RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.linear_score(double precision, double precision, double precision) IS
  'Points for a measured value on a linear scale: 0 at zero_at, 100 at full_at, linear between, clamped to [0, 100]. Reversed when zero_at > full_at (return rate: linear_score(r, 5, 1) gives 100 at <= 1, 0 at >= 5). zero_at = full_at and NaN or infinite arguments are errors.';

CREATE TYPE appraisal.weighted_stats;
CREATE FUNCTION appraisal.weighted_stats_in(cstring) RETURNS appraisal.weighted_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.weighted_stats_out(appraisal.weighted_stats) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.weighted_stats_recv(internal) RETURNS appraisal.weighted_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.weighted_stats_send(appraisal.weighted_stats) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.weighted_stats (
  INTERNALLENGTH = 40,
  INPUT = appraisal.weighted_stats_in, OUTPUT = appraisal.weighted_stats_out,
  RECEIVE = appraisal.weighted_stats_recv, SEND = appraisal.weighted_stats_send,
  ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE appraisal.weighted_stats IS
  'Two-step summary of weighted_score: the number of scored rows, the sum of weights and the sum of weight times score, each sum kept as a double-double (high part + low part, about 106 bits, products exact) so the composite is rounded once. Text form ''n=5 weight=1 weight_lo=0 product=70.5 product_lo=-1.4988010832439613e-15'': n scored rows, sum of weights = weight + weight_lo, sum of weight * score = product + product_lo, numbers in shortest round-trip digits (exact). Made by weighted_agg, merged by rollup, read by weighted_score, total_weight and scored_count.';
COMMENT ON FUNCTION appraisal.weighted_stats_in(cstring) IS 'Input function of appraisal.weighted_stats; rejects negative counts or sums, non-finite or unnormalised numbers and sums no scores in [0, 100] could give.';
COMMENT ON FUNCTION appraisal.weighted_stats_out(appraisal.weighted_stats) IS 'Output function of appraisal.weighted_stats: exact, reads back to the same value.';
COMMENT ON FUNCTION appraisal.weighted_stats_recv(internal) IS 'Binary input function of appraisal.weighted_stats (int8 count, then float8 weight, weight_lo, product, product_lo); validates like the text input.';
COMMENT ON FUNCTION appraisal.weighted_stats_send(appraisal.weighted_stats) IS 'Binary output function of appraisal.weighted_stats.';

-- aggregate support
CREATE FUNCTION appraisal.weighted_stats_trans(appraisal.weighted_stats, double precision, double precision)
  RETURNS appraisal.weighted_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weighted_stats_trans(appraisal.weighted_stats, double precision, double precision) IS
  'Transition function of weighted_score and weighted_agg: adds one (score, weight) row. Not strict: a NULL score leaves the state unchanged, a NULL weight on a scored row is an error.';
CREATE FUNCTION appraisal.weighted_stats_combine(appraisal.weighted_stats, appraisal.weighted_stats)
  RETURNS appraisal.weighted_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weighted_stats_combine(appraisal.weighted_stats, appraisal.weighted_stats) IS
  'Combine function of the weighted_stats aggregates: adds counts and double-double sums.';

-- accessors
CREATE FUNCTION appraisal.weighted_score(stats appraisal.weighted_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'weighted_stats_score' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weighted_score(appraisal.weighted_stats) IS
  'The weighted composite: sum of weight * score / sum of weight, rounded once. NULL when nothing was scored or every weight was 0.';
CREATE FUNCTION appraisal.total_weight(stats appraisal.weighted_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'weighted_stats_total_weight' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.total_weight(appraisal.weighted_stats) IS
  'Sum of the weights of the scored rows (rows with a NULL score do not count).';
CREATE FUNCTION appraisal.scored_count(stats appraisal.weighted_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'weighted_stats_scored_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.scored_count(appraisal.weighted_stats) IS
  'Number of rows with a score (not NULL), including those of weight 0.';

-- No moving-window inverse: removing a row from a double-double sum is not exact.
CREATE AGGREGATE appraisal.weighted_score(score double precision, weight double precision) (
  SFUNC = appraisal.weighted_stats_trans, STYPE = appraisal.weighted_stats,
  INITCOND = 'n=0 weight=0 weight_lo=0 product=0 product_lo=0',
  FINALFUNC = appraisal.weighted_score, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.weighted_stats_combine,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.weighted_score(double precision, double precision) IS
  'Weighted composite of KPI points (DOMAIN §8): sum of weight * score / sum of weight over the rows whose score is not NULL, so a missing indicator renormalises the rest. Scores must lie in [0, 100]; weights must be finite and >= 0; a NULL weight on a scored row is an error. NULL when nothing was scored or every weight was 0.';

CREATE AGGREGATE appraisal.weighted_agg(score double precision, weight double precision) (
  SFUNC = appraisal.weighted_stats_trans, STYPE = appraisal.weighted_stats,
  INITCOND = 'n=0 weight=0 weight_lo=0 product=0 product_lo=0',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.weighted_stats_combine,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.weighted_agg(double precision, double precision) IS
  'Two-step weighted_score: summarises (score, weight) rows, same rules as weighted_score, into an appraisal.weighted_stats value to store, rollup and read with weighted_score, total_weight and scored_count.';

CREATE AGGREGATE appraisal.rollup(appraisal.weighted_stats) (
  SFUNC = appraisal.weighted_stats_combine, STYPE = appraisal.weighted_stats,
  INITCOND = 'n=0 weight=0 weight_lo=0 product=0 product_lo=0',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.weighted_stats_combine,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.rollup(appraisal.weighted_stats) IS
  'Merges stored weighted_stats summaries (e.g. per indicator group into an overall score): counts and sums are added, never composites averaged.';
