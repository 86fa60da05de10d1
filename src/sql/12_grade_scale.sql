-- 12: grade bands: the type grade_scale_spec (a scale of labelled score
-- bands) and grade_band, grade_rank, grade_bands, by value or by the name of
-- a row of appraisal.grade_scale (20_named_values.sql), looked up when
-- called.  Rules: docs/rules.md, "Grade bands".

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
