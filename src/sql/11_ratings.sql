-- 11: 360 ratings: the two-step summary appraisal.ratings, the aggregate
-- score_360 with its state score_360_state, and the accessors (group means,
-- rater counts, the weights used).  Rules: docs/rules.md, "360-degree scores".

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
  'The 360 composite (docs/rules.md, "360-degree scores"): mean per rater group, then superior 40 / peer 30 / subordinate 30; no peers 60/40, no subordinates 60/40, neither 100 (fixed fallbacks, not renormalised); no superior: 50/50. Self and customer ratings ignored, NULL scores ignored, no usable rating gives NULL. Scores outside [0, 100] are errors.';

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
