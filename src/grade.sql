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
