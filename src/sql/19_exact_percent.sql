-- 19: exact arithmetic shared by the views: percentages of counts and
-- weighted means of fractions, computed exactly and truncated to two
-- decimals, and linear points as exact fractions.

CREATE FUNCTION appraisal.share_percent(part bigint, whole bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN whole > 0 THEN div(10000 * part::numeric, whole) * 0.01 END;
COMMENT ON FUNCTION appraisal.share_percent(bigint, bigint) IS
  '100 * part / whole truncated to two decimals, computed exactly (2 of 3 is 66.66, never 66.67); NULL when whole is 0 or NULL.';

CREATE FUNCTION appraisal.weighted_share_percent(weights numeric[], parts numeric[], wholes numeric[]) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  num numeric := 0;     -- sum of w_i * part_i * (product of the other wholes)
  den numeric := 1;     -- product of the wholes
  total numeric := 0;   -- sum of the weights
BEGIN
  IF cardinality(weights) IS DISTINCT FROM cardinality(parts) OR cardinality(parts) IS DISTINCT FROM cardinality(wholes) THEN
    RAISE EXCEPTION 'weighted_percent needs as many weights as parts and wholes (got %, %, %)',
      cardinality(weights), cardinality(parts), cardinality(wholes)
      USING ERRCODE = 'array_subscript_error';
  END IF;
  FOR i IN 1 .. coalesce(cardinality(weights), 0) LOOP
    IF weights[i] IS NULL OR weights[i] < 0 THEN
      RAISE EXCEPTION 'weight % of weighted_percent must be >= 0, not %', i, coalesce(weights[i]::text, 'NULL')
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    CONTINUE WHEN weights[i] = 0;
    IF wholes[i] IS NULL OR wholes[i] <= 0 OR parts[i] IS NULL THEN
      RETURN NULL;   -- a weighted part without evidence
    END IF;
    num := num * wholes[i] + weights[i] * parts[i] * den;
    den := den * wholes[i];
    total := total + weights[i];
  END LOOP;
  IF total = 0 THEN
    RETURN NULL;
  END IF;
  RETURN div(100 * 100 * num, total * den) * 0.01;
END
$$;
COMMENT ON FUNCTION appraisal.weighted_share_percent(numeric[], numeric[], numeric[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] with weights[i], as one exact fraction truncated to two decimals (40 % of 9/10, 30 % of 8/10 and 30 % of 4/5 give 84.00; 30 % of 1/3 and 30 % of 2/3 give 30.00, never 29.99). Parts of weight 0 are left out; NULL when a weighted part has no whole or every weight is 0.';

CREATE FUNCTION appraisal.weighted_percent(weights numeric[], parts bigint[], wholes bigint[]) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN appraisal.weighted_share_percent(weights, parts::numeric[], wholes::numeric[]);
COMMENT ON FUNCTION appraisal.weighted_percent(numeric[], bigint[], bigint[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] of counts (see weighted_share_percent), exact, truncated to two decimals.';

-- Linear points as an exact fraction: the part of the range [zero_at,
-- full_at] the value has covered, clamped to [0, 1], as (part, whole) with
-- whole > 0 (a reversed range, zero_at > full_at, is read from the top).
CREATE FUNCTION appraisal.linear_fraction(value numeric, zero_at numeric, full_at numeric,
                                          OUT part numeric, OUT whole numeric)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF zero_at IS NULL OR full_at IS NULL OR zero_at = full_at THEN
    RAISE EXCEPTION 'a linear range needs two different ends, not % and %',
      coalesce(zero_at::text, 'NULL'), coalesce(full_at::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF value IS NULL THEN
    RETURN;
  END IF;
  whole := abs(full_at - zero_at);
  part := least(greatest(sign(full_at - zero_at) * (value - zero_at), 0), whole);
END
$$;
COMMENT ON FUNCTION appraisal.linear_fraction(numeric, numeric, numeric) IS
  'The share of the range from zero_at (0 points) to full_at (100 points) that value has covered, clamped to the range, as an exact fraction part / whole (whole > 0). Reversed when zero_at > full_at (return rate: 5 -> 1). NULL parts for a NULL value; equal ends are an error.';

CREATE FUNCTION appraisal.linear_points(value numeric, zero_at numeric, full_at numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT appraisal.weighted_share_percent(ARRAY[1::numeric], ARRAY[f.part], ARRAY[f.whole])
  FROM appraisal.linear_fraction(value, zero_at, full_at) f;
END;
COMMENT ON FUNCTION appraisal.linear_points(numeric, numeric, numeric) IS
  'Points 0-100 for value on the linear range zero_at -> full_at (reversed when zero_at > full_at), clamped, computed exactly and truncated to two decimals: linear_points(2000000, 100000, 2100000) = 95.00, linear_points(6, 5, 1) = 0. NULL for a NULL value.';
