-- 13: banded item scoring for the satisfaction survey: the type
-- item_scale_spec (value bands with their points) and item_points,
-- item_band, item_bands, item_max_points, by value or by the name of a row
-- of appraisal.item_scale (20_named_values.sql).  Rules: docs/rules.md,
-- "Satisfaction survey".

CREATE TYPE appraisal.item_scale_spec;

CREATE FUNCTION appraisal.item_scale_spec_in(cstring) RETURNS appraisal.item_scale_spec
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_scale_spec_out(appraisal.item_scale_spec) RETURNS cstring
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_scale_spec_recv(internal) RETURNS appraisal.item_scale_spec
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_scale_spec_send(appraisal.item_scale_spec) RETURNS bytea
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- STORAGE = plain, as for grade_scale_spec: read in place, never copied per row.
CREATE TYPE appraisal.item_scale_spec (
  INTERNALLENGTH = variable,
  INPUT = appraisal.item_scale_spec_in,
  OUTPUT = appraisal.item_scale_spec_out,
  RECEIVE = appraisal.item_scale_spec_recv,
  SEND = appraisal.item_scale_spec_send,
  ALIGNMENT = double,
  STORAGE = plain
);

COMMENT ON TYPE appraisal.item_scale_spec IS
  'A banded item scale as a value: how a measured value becomes the points of one survey item. Text form: bands in increasing order of value separated by ";", each a label, an interval and its points, one number or "at the lower end..at the upper end" interpolated linearly, e.g. ''A [0,2] 15; B (2,3] 14..11; C (3,4] 10..8; D (4,7] 7..4; E (7,14] 3..0; E (14,) 0'' (working days to a fix). Bands meet without gap or overlap (exactly one of two neighbours holds the meeting value); only the first band may be open below and only the last open above, written with an empty bound, and an open band or a band of one value ([5,5]) gives one number of points. Adjacent bands may share a label (one grade in several linear pieces). Points lie in [0, 1e15) and are truncated to two decimals. Labels containing spaces or any of ; [ ( " are double-quoted, with "" for a quote. At most 32 bands, labels at most 63 bytes.';
COMMENT ON FUNCTION appraisal.item_scale_spec_in(cstring) IS 'Input function of appraisal.item_scale_spec: parses and validates an item scale.';
COMMENT ON FUNCTION appraisal.item_scale_spec_out(appraisal.item_scale_spec) IS 'Output function of appraisal.item_scale_spec: the canonical text form.';
COMMENT ON FUNCTION appraisal.item_scale_spec_recv(internal) IS 'Binary input function of appraisal.item_scale_spec; validates exactly like the text input.';
COMMENT ON FUNCTION appraisal.item_scale_spec_send(appraisal.item_scale_spec) IS 'Binary output function of appraisal.item_scale_spec: int4 band count, then per band the label (string), a flag byte (1 lower bound inclusive, 2 upper bound inclusive) and four float8 (lower bound, upper bound, infinite when open, points at the lower and at the upper end).';

CREATE FUNCTION appraisal.item_points(value numeric, scale appraisal.item_scale_spec) RETURNS numeric
  AS 'MODULE_PATHNAME', 'item_points_spec' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_points(value numeric, scale text) RETURNS numeric
  AS 'MODULE_PATHNAME', 'item_points_named' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_band(value numeric, scale appraisal.item_scale_spec) RETURNS text
  AS 'MODULE_PATHNAME', 'item_band_spec' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_band(value numeric, scale text) RETURNS text
  AS 'MODULE_PATHNAME', 'item_band_named' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_bands(scale appraisal.item_scale_spec)
  RETURNS TABLE (band_no integer, label text, lower_bound numeric, lower_inclusive boolean,
                 upper_bound numeric, upper_inclusive boolean, points_at_lower numeric, points_at_upper numeric)
  AS 'MODULE_PATHNAME', 'item_bands_spec' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 6;
CREATE FUNCTION appraisal.item_bands(scale text)
  RETURNS TABLE (band_no integer, label text, lower_bound numeric, lower_inclusive boolean,
                 upper_bound numeric, upper_inclusive boolean, points_at_lower numeric, points_at_upper numeric)
  AS 'MODULE_PATHNAME', 'item_bands_named' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 6;
CREATE FUNCTION appraisal.item_max_points(scale appraisal.item_scale_spec) RETURNS numeric
  AS 'MODULE_PATHNAME', 'item_max_points_spec' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION appraisal.item_max_points(scale text) RETURNS numeric
  AS 'MODULE_PATHNAME', 'item_max_points_named' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION appraisal.item_points(numeric, appraisal.item_scale_spec) IS
  'Points of a value on an inline item scale: the band holding the value, then linear interpolation between the points at the band''s two ends, computed exactly and truncated to two decimals (on ''D (4,7] 7..4'' the value 5 gives 6.00, 4.1 gives 6.90). A value outside every band or NaN is an error.';
COMMENT ON FUNCTION appraisal.item_points(numeric, text) IS
  'Points of a value on the named item scale of appraisal.item_scale (e.g. ''resolution_days_15'': 2 working days 15.00, 2.5 days 12.50, 3 days 11.00): the band holding the value, then linear interpolation inside it, truncated to two decimals. A value outside every band or NaN is an error.';
COMMENT ON FUNCTION appraisal.item_band(numeric, appraisal.item_scale_spec) IS
  'Label of the band of an inline item scale that holds the value. A value outside every band or NaN is an error.';
COMMENT ON FUNCTION appraisal.item_band(numeric, text) IS
  'Label of the band of the named item scale of appraisal.item_scale that holds the value. A value outside every band or NaN is an error.';
COMMENT ON FUNCTION appraisal.item_bands(appraisal.item_scale_spec) IS
  'The bands of an inline item scale in increasing order of value: band_no (1 for the lowest values), label, lower_bound (NULL when open below) and whether it is inclusive, upper_bound (NULL when open above) and whether it is inclusive, points at the lower and at the upper end.';
COMMENT ON FUNCTION appraisal.item_bands(text) IS
  'The bands of the named item scale of appraisal.item_scale in increasing order of value: band_no, label, lower_bound (NULL when open below), lower_inclusive, upper_bound (NULL when open above), upper_inclusive, points_at_lower, points_at_upper.';
COMMENT ON FUNCTION appraisal.item_max_points(appraisal.item_scale_spec) IS
  'The most points an inline item scale gives (the item''s full marks, 15 for ''resolution_days_15'').';
COMMENT ON FUNCTION appraisal.item_max_points(text) IS
  'The most points the named item scale of appraisal.item_scale gives (the item''s full marks).';
