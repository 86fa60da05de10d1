-- 19: the exact arithmetic behind every figure a scorecard shows (percent.c),
-- one implementation of each rule: the percent of a fraction truncated to
-- two decimals (share_percent), the weighted mean of such percents
-- (weighted_share_percent, weighted_percent), and points on a linear range
-- (linear_fraction, linear_points, and linear_score in double precision).
-- Rules: docs/rules.md, "Customer score" and "Department and manager KPIs".

CREATE FUNCTION appraisal.share_percent(part bigint, whole bigint) RETURNS numeric
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.share_percent(bigint, bigint) IS
  '100 * part / whole truncated to two decimals, computed exactly (2 of 3 is 66.66, never 66.67); NULL when whole is not positive or NULL.';

-- Not strict: NULL arrays are arrays of no parts.
CREATE FUNCTION appraisal.weighted_share_percent(weights numeric[], parts numeric[], wholes numeric[]) RETURNS numeric
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.weighted_share_percent(numeric[], numeric[], numeric[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] with weights[i], as one exact fraction truncated to two decimals (40 % of 9/10, 30 % of 8/10 and 30 % of 4/5 give 84.00; 30 % of 1/3 and 30 % of 2/3 give 50.00, never 49.99). Parts of weight 0 are left out; NULL when a weighted part has no whole or every weight is 0. A negative weight, and NaN or infinite numbers, are errors.';

CREATE FUNCTION appraisal.weighted_percent(weights numeric[], parts bigint[], wholes bigint[]) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN appraisal.weighted_share_percent(weights, parts::numeric[], wholes::numeric[]);
COMMENT ON FUNCTION appraisal.weighted_percent(numeric[], bigint[], bigint[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] of counts (see weighted_share_percent), exact, truncated to two decimals.';

-- Not strict, nor is linear_points: a range without two different ends is an
-- error even for a NULL value.
CREATE FUNCTION appraisal.linear_fraction(value numeric, zero_at numeric, full_at numeric,
                                          OUT part numeric, OUT whole numeric)
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.linear_fraction(numeric, numeric, numeric) IS
  'The share of the range from zero_at (0 points) to full_at (100 points) that value has covered, clamped to the range, as an exact fraction part / whole (whole > 0). Reversed when zero_at > full_at (return rate: 5 -> 1). NULL parts for a NULL value; equal ends, and NaN or infinite arguments, are errors.';

CREATE FUNCTION appraisal.linear_points(value numeric, zero_at numeric, full_at numeric) RETURNS numeric
  AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.linear_points(numeric, numeric, numeric) IS
  'Points 0-100 for value on the linear range zero_at -> full_at (reversed when zero_at > full_at), clamped, computed exactly and truncated to two decimals: linear_points(2000000, 100000, 2100000) = 95.00, linear_points(6, 5, 1) = 0. NULL for a NULL value; equal ends, and NaN or infinite arguments, are errors.';

CREATE FUNCTION appraisal.linear_score(value double precision, zero_at double precision, full_at double precision)
  RETURNS double precision AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION appraisal.linear_score(double precision, double precision, double precision) IS
  'Points for a measured value on a linear scale: 0 at zero_at, 100 at full_at, linear between, clamped to [0, 100]: linear_points in double precision, not truncated. Reversed when zero_at > full_at (return rate: linear_score(r, 5, 1) gives 100 at <= 1, 0 at >= 5). Each argument is rounded to 15 significant digits, as a cast to numeric does, so linear_score(98.1, 90, 99) is exactly 90. zero_at = full_at and NaN or infinite arguments are errors.';
