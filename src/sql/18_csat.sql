-- 18: satisfaction: csat, nps and the two-step summary appraisal.csat_stats
-- (counts per rating).  Rules: docs/rules.md, "Complaint handling" and
-- "Service levels".

CREATE TYPE appraisal.csat_stats;
CREATE FUNCTION appraisal.csat_stats_in(cstring) RETURNS appraisal.csat_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.csat_stats_out(appraisal.csat_stats) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.csat_stats_recv(internal) RETURNS appraisal.csat_stats
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.csat_stats_send(appraisal.csat_stats) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE appraisal.csat_stats (
  INTERNALLENGTH = 96,
  INPUT = appraisal.csat_stats_in, OUTPUT = appraisal.csat_stats_out,
  RECEIVE = appraisal.csat_stats_recv, SEND = appraisal.csat_stats_send,
  ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE appraisal.csat_stats IS
  'Two-step summary of satisfaction ratings: the number of responses per rating value on one scale, 1..n (n from 2 to 10; CSAT is 1..5) or 0..10 (NPS). Text form ''scale 1..5: 1=0 2=1 3=0 4=3 5=10'' (every rating of the scale, in order), or ''empty'' for no responses (which has no scale yet and combines with any summary). Made by csat_agg and nps_agg, merged by rollup (summaries of different scales do not combine), read by csat, csat_mean, csat_lower_bound, nps, responses and rating_count.';
COMMENT ON FUNCTION appraisal.csat_stats_in(cstring) IS 'Input function of appraisal.csat_stats; rejects unsupported scales, negative counts, counts above 10^15 and a scale without responses (write ''empty'').';
COMMENT ON FUNCTION appraisal.csat_stats_out(appraisal.csat_stats) IS 'Output function of appraisal.csat_stats: canonical, reads back to the same value.';
COMMENT ON FUNCTION appraisal.csat_stats_recv(internal) IS 'Binary input function of appraisal.csat_stats (int4 scale_min, int4 scale_max, then int8 counts of ratings 0 to 10; empty is scale 0..0); validates like the text input.';
COMMENT ON FUNCTION appraisal.csat_stats_send(appraisal.csat_stats) IS 'Binary output function of appraisal.csat_stats.';

-- aggregate support
CREATE FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer) IS
  'Transition function of csat_agg(rating) and csat(rating): counts one rating on the 1..5 scale; a rating outside it is an error.';
CREATE FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer) IS
  'Inverse transition function of csat_agg(rating) and csat(rating) for moving windows: removes one rating exactly; removing the last one leaves the empty summary.';
-- (not strict: a rated row without a scale is an error, not silently skipped)
CREATE FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_trans(appraisal.csat_stats, integer, integer) IS
  'Transition function of csat_agg(rating, scale_max) and csat(rating, scale_max): counts one rating on the 1..scale_max scale. Not strict: a NULL rating leaves the state unchanged; a NULL or unsupported scale_max, a rating outside the scale or a scale different from the group''s are errors.';
CREATE FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'csat_stats_inv' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_inv(appraisal.csat_stats, integer, integer) IS
  'Inverse transition function of csat_agg(rating, scale_max) and csat(rating, scale_max) for moving windows: removes one rating exactly; removing the last one leaves the empty summary.';
CREATE FUNCTION appraisal.nps_trans(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'nps_stats_trans' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.nps_trans(appraisal.csat_stats, integer) IS
  'Transition function of nps_agg(rating) and nps(rating): counts one rating on the 0..10 scale; a rating outside it is an error.';
CREATE FUNCTION appraisal.nps_inv(appraisal.csat_stats, integer)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME', 'nps_stats_inv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.nps_inv(appraisal.csat_stats, integer) IS
  'Inverse transition function of nps_agg(rating) and nps(rating) for moving windows: removes one rating exactly; removing the last one leaves the empty summary.';
CREATE FUNCTION appraisal.csat_stats_combine(appraisal.csat_stats, appraisal.csat_stats)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_stats_combine(appraisal.csat_stats, appraisal.csat_stats) IS
  'Combine function of the csat_stats aggregates and transition function of rollup(csat_stats): adds the counts per rating; an empty summary combines with any, summaries of different scales are an error.';
CREATE FUNCTION appraisal.csat_stats_combine_inv(appraisal.csat_stats, appraisal.csat_stats)
  RETURNS appraisal.csat_stats AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_stats_combine_inv(appraisal.csat_stats, appraisal.csat_stats) IS
  'Inverse transition function of rollup(csat_stats) for moving windows (e.g. a rolling 7-day summary of daily summaries): subtracts the counts exactly.';

-- accessors
CREATE FUNCTION appraisal.csat(stats appraisal.csat_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_csat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat(appraisal.csat_stats) IS
  'CSAT: the share (0 to 1) of responses with one of the two top ratings of the scale, 4 or 5 on 1..5 (scale_max - 1 or scale_max; 9 or 10 on 0..10), as one division of counts. NULL when there are no responses.';
CREATE FUNCTION appraisal.csat_percent(stats appraisal.csat_stats) RETURNS numeric
  AS 'MODULE_PATHNAME', 'csat_stats_csat_percent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_percent(appraisal.csat_stats) IS
  'CSAT as a percent: 100 * satisfied / responses, exact, truncated to two decimals (the scorecards pool responses of several scales by these two counts); NULL when there are no responses.';
CREATE FUNCTION appraisal.csat_mean(stats appraisal.csat_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_mean(appraisal.csat_stats) IS
  'Mean rating: sum of ratings / responses, rounded once. NULL when there are no responses.';
CREATE FUNCTION appraisal.csat_mean(stats appraisal.csat_stats, extreme_weight double precision) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_mean(appraisal.csat_stats, double precision) IS
  'Weighted mean rating with the scale''s lowest and highest ratings (1 and 5 on 1..5, 0 and 10 on 0..10) weighted by extreme_weight and all others by 1, since extreme ratings are less reliable (docs/rules.md, "Complaint handling"): 0.5 counts them half, 0 leaves them out, 1 is the plain mean. extreme_weight must be finite and >= 0 (above 1 weighs extremes more). NULL when nothing has weight (no responses, or only extreme ratings at weight 0).';
CREATE FUNCTION appraisal.csat_lower_bound(stats appraisal.csat_stats, confidence double precision DEFAULT 0.95) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_lower_bound' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.csat_lower_bound(appraisal.csat_stats, double precision) IS
  'Lower bound of the Wilson score interval of the CSAT share at the given two-sided confidence (default 0.95, z = 1.959963984540054...; must lie strictly between 0 and 1, taken as the decimal written): ranks teams by CSAT fairly when their numbers of responses differ (3 of 3 satisfied gives 0.4385, 300 of 300 gives 0.9874). NULL when there are no responses.';
CREATE FUNCTION appraisal.nps(stats appraisal.csat_stats) RETURNS double precision
  AS 'MODULE_PATHNAME', 'csat_stats_nps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.nps(appraisal.csat_stats) IS
  'Net Promoter Score from -100 to 100: percent of promoters (9-10) minus percent of detractors (0-6), as 100 * (promoters - detractors) / responses rounded once. Only for summaries on the 0..10 scale (nps_agg); other scales are an error. NULL when there are no responses.';
CREATE FUNCTION appraisal.responses(stats appraisal.csat_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'csat_stats_responses' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.responses(appraisal.csat_stats) IS
  'Number of responses (rows with a rating; NULL ratings are not counted). 0 for the empty summary.';
CREATE FUNCTION appraisal.satisfied(stats appraisal.csat_stats) RETURNS bigint
  AS 'MODULE_PATHNAME', 'csat_stats_satisfied' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.satisfied(appraisal.csat_stats) IS
  'Responses with one of the two top ratings of the scale (4 or 5 on 1..5): the numerator of csat, for exact ratios pooled from counts. 0 for the empty summary.';
CREATE FUNCTION appraisal.rating_count(stats appraisal.csat_stats, rating integer) RETURNS bigint
  AS 'MODULE_PATHNAME', 'csat_stats_rating_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.rating_count(appraisal.csat_stats, integer) IS
  'Number of responses with the given rating, for auditing. A rating outside the summary''s scale is an error (outside 0..10 for the empty summary, where every count is 0).';

-- two-step aggregates
CREATE AGGREGATE appraisal.csat_agg(rating integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat_agg(integer) IS
  'Two-step CSAT on the 1..5 scale: counts the ratings (NULL ignored; outside 1..5 an error) into an appraisal.csat_stats value to store, rollup and read with csat, csat_mean, csat_lower_bound, responses and rating_count.';
CREATE AGGREGATE appraisal.csat_agg(rating integer, scale_max integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat_agg(integer, integer) IS
  'Two-step CSAT on the 1..scale_max scale (scale_max from 2 to 10): counts the ratings into an appraisal.csat_stats value. Rows with a NULL rating are ignored; a NULL scale_max on a rated row, a rating outside the scale and different scale_max values in one group are errors.';
CREATE AGGREGATE appraisal.nps_agg(rating integer) (
  SFUNC = appraisal.nps_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.nps_trans, MINVFUNC = appraisal.nps_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.nps_agg(integer) IS
  'Two-step NPS on the 0..10 scale: counts the ratings (NULL ignored; outside 0..10 an error) into an appraisal.csat_stats value to store (e.g. daily), rollup and read with nps, csat (share of 9-10), csat_mean, responses and rating_count.';
CREATE AGGREGATE appraisal.rollup(appraisal.csat_stats) (
  SFUNC = appraisal.csat_stats_combine, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_stats_combine, MINVFUNC = appraisal.csat_stats_combine_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.rollup(appraisal.csat_stats) IS
  'Merges stored csat_stats summaries (e.g. daily into monthly, or a rolling 7-day window) exactly: counts per rating are added, never shares averaged. NULL and empty summaries are neutral; summaries of different scales are an error.';

-- one-step aggregates
CREATE AGGREGATE appraisal.csat(rating integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC = appraisal.csat, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  MFINALFUNC = appraisal.csat, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat(integer) IS
  'CSAT on the 1..5 scale (docs/rules.md, "Complaint handling" and "Service levels"): the share (0 to 1) of ratings that are 4 or 5. NULL ratings ignored, ratings outside 1..5 are errors, NULL when there is no rating.';
CREATE AGGREGATE appraisal.csat(rating integer, scale_max integer) (
  SFUNC = appraisal.csat_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC = appraisal.csat, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.csat_trans, MINVFUNC = appraisal.csat_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  MFINALFUNC = appraisal.csat, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.csat(integer, integer) IS
  'CSAT on the 1..scale_max scale (scale_max from 2 to 10): the share of ratings that are scale_max - 1 or scale_max. Rows with a NULL rating are ignored; a NULL scale_max on a rated row, a rating outside the scale and different scale_max values in one group are errors. NULL when there is no rating.';
CREATE AGGREGATE appraisal.nps(rating integer) (
  SFUNC = appraisal.nps_trans, STYPE = appraisal.csat_stats, INITCOND = 'empty',
  FINALFUNC = appraisal.nps, FINALFUNC_MODIFY = READ_ONLY,
  COMBINEFUNC = appraisal.csat_stats_combine,
  MSFUNC = appraisal.nps_trans, MINVFUNC = appraisal.nps_inv,
  MSTYPE = appraisal.csat_stats, MINITCOND = 'empty',
  MFINALFUNC = appraisal.nps, MFINALFUNC_MODIFY = READ_ONLY,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE appraisal.nps(integer) IS
  'Net Promoter Score of 0..10 ratings: percent of promoters (9-10) minus percent of detractors (0-6), from -100 to 100, as 100 * (promoters - detractors) / responses rounded once (5 promoters and 3 detractors of 10 give exactly 20). NULL ratings ignored, ratings outside 0..10 are errors, NULL when there is no rating.';
