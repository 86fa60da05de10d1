-- 14: the weighted_score aggregate, which combines scores (KPI points, say)
-- by weight over rows of double precision, with its two-step summary
-- appraisal.weighted_stats: for users' own columns; the scorecards combine
-- their points exactly with weighted_share_percent (19_exact_percent.sql).
-- Rules: docs/rules.md, "Department and manager KPIs".

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
  'Weighted composite of KPI points (docs/rules.md, "Department and manager KPIs"): sum of weight * score / sum of weight over the rows whose score is not NULL, so a missing indicator renormalises the rest. Scores must lie in [0, 100]; weights must be finite and >= 0; a NULL weight on a scored row is an error. NULL when nothing was scored or every weight was 0.';

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
