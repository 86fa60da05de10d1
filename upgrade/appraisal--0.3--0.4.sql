\echo Use "ALTER EXTENSION appraisal UPDATE TO '0.4'" to load this file. \quit
-- appraisal 0.3 -> 0.4: what 0.4 changed in the objects of 0.3 (the new
-- parts follow this file in the update script).  The text repeats
-- src/scorecards.sql and src/common.sql: a fresh install and an update must
-- end alike.

-- weighted_share_percent: weighted_percent of any exact fractions (customer scores are fractions of
-- amounts, not counts); the version for counts calls it.
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

CREATE OR REPLACE FUNCTION appraisal.weighted_percent(weights numeric[], parts bigint[], wholes bigint[]) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN appraisal.weighted_share_percent(weights, parts::numeric[], wholes::numeric[]);
COMMENT ON FUNCTION appraisal.weighted_percent(numeric[], bigint[], bigint[]) IS
  'The weighted mean of the percentages 100 * parts[i] / wholes[i] of counts (see weighted_share_percent), exact, truncated to two decimals.';

-- protect_shipped_rows: the column naming a row and the hint are optional
-- arguments (penalty_rules is keyed by rule_id and valid_from, not name); the
-- text repeats src/common.sql.
CREATE OR REPLACE FUNCTION appraisal.protect_shipped_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'TRUNCATE would remove the % rows shipped with the extension', TG_ARGV[0]
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'DELETE ... WHERE NOT shipped removes the rows users added.';
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.shipped THEN
    RAISE EXCEPTION '% "%" is shipped with the extension and cannot be changed',
      TG_ARGV[0], to_jsonb(OLD) ->> coalesce(TG_ARGV[1], 'name')
      USING ERRCODE = 'insufficient_privilege',
            HINT = coalesce(TG_ARGV[2], 'Insert a row under a new name instead.');
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
  'Trigger: rows shipped with the extension (shipped = true) cannot be updated, deleted or truncated away, and users cannot mark rows as shipped. Arguments: what a row is called in messages (e.g. ''grade scale''), optionally the column that names a row (default name) and the hint given when a change is refused.';

-- generate_demo_data is created again at the end (it now fills the customer
-- tables too)
DROP FUNCTION appraisal.generate_demo_data(integer, integer, integer, boolean);
DROP FUNCTION appraisal.demo_uniform(bigint, integer);
-- appraisal install script, part 14a: banded item scoring (DOMAIN §5 and §8,
-- satisfaction survey).  A scale of value bands turns a measured value
-- (working days to a fix, a 0-100 rating) into the points of one survey
-- item, interpolating linearly inside a band.

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

CREATE TABLE appraisal.item_scale (
  name        text PRIMARY KEY,
  scale       appraisal.item_scale_spec NOT NULL,
  description text,
  shipped     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.item_scale IS
  'Named item scales, used by name in item_points(value, scale), item_band, item_bands and item_max_points, and by the survey items. Invalid scales are rejected on insert.';
COMMENT ON COLUMN appraisal.item_scale.name IS 'Name passed to item_points, item_band, item_bands and item_max_points.';
COMMENT ON COLUMN appraisal.item_scale.scale IS 'The scale: value bands in increasing order with their points (see type appraisal.item_scale_spec).';
COMMENT ON COLUMN appraisal.item_scale.description IS 'What the scale measures and where its bands come from.';
COMMENT ON COLUMN appraisal.item_scale.shipped IS 'True for scales shipped with the extension; those cannot be changed.';

INSERT INTO appraisal.item_scale (name, scale, description, shipped) VALUES
  ('resolution_days_15',
   'A [0,2] 15; B (2,3] 14..11; C (3,4] 10..8; D (4,7] 7..4; E (7,14] 3..0; E (14,) 0',
   'Survey item "complaint handling" (DOMAIN §5), value = working days from complaint to resolution: within 2 working days 15 points; 3 days 14 down to 11; 4 days 10 down to 8; up to a week (7) 7 down to 4; beyond a week 3 down to 0 at two weeks, then 0.',
   true),
  ('satisfaction_15',
   'E [0,40) 0..3; D [40,60) 4..7; C [60,75) 8..10; B [75,90) 11..14; A [90,100] 15',
   'A 15-point survey item rated 0-100 by the customer, banded A-E (DOMAIN §8): 90 and above A 15; 75 to 90 B 11-14; 60 to 75 C 8-10; 40 to 60 D 4-7; below 40 E 0-3.',
   true),
  ('image_10',
   'E [0,40) 0..2; D [40,60) 3..4; C [60,75) 5..6; B [75,90) 7..9; A [90,100] 10',
   'The 10-point survey item "overall image" rated 0-100 by the customer, banded A-E like satisfaction_15 (DOMAIN §8): A 10; B 7-9; C 5-6; D 3-4; E 0-2.',
   true);

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.item_scale
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('item scale');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.item_scale
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('item scale');
GRANT SELECT ON appraisal.item_scale TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.item_scale', 'WHERE NOT shipped');

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
-- appraisal install script, part 14: customer evaluation (DOMAIN §8).  The
-- customers, their yearly or quarterly figures and credit-rating inputs; the
-- composite customer score (five items scored linearly between ranges,
-- weighted), its credit grade, and the yearly classification, with every
-- weight, range and threshold a setting.

-- Settings: weights (percent) and ranges of the composite, thresholds of the
-- classification.  The definitions are part of the extension; the trigger
-- that keeps users from changing them is off while the extension adds them.
ALTER TABLE appraisal.setting_definitions DISABLE TRIGGER refuse_change;
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('customer_weight_sales', 'numeric', 0, 100, '30', 'Weight of sales volume in the composite customer score (DOMAIN §8: 30).'),
  ('customer_weight_growth', 'numeric', 0, 100, '30', 'Weight of sales growth in the composite customer score (DOMAIN §8: 30).'),
  ('customer_weight_collection', 'numeric', 0, 100, '20', 'Weight of the collection rate in the composite customer score (DOMAIN §8: 20).'),
  ('customer_weight_returns', 'numeric', 0, 100, '10', 'Weight of the return rate in the composite customer score (DOMAIN §8: 10).'),
  ('customer_weight_manager', 'numeric', 0, 100, '10', 'Weight of the sales manager''s evaluation (0-100 points) in the composite customer score (DOMAIN §8: 10).'),
  ('customer_sales_zero_at', 'numeric', NULL, NULL, '100000', 'Sales volume scoring 0 points (DOMAIN §8: 100,000); linear up to customer_sales_full_at.'),
  ('customer_sales_full_at', 'numeric', NULL, NULL, '2100000', 'Sales volume scoring 100 points (DOMAIN §8: 2,100,000).'),
  ('customer_growth_zero_at', 'numeric', NULL, NULL, '0', 'Sales growth (percent) scoring 0 points (DOMAIN §8: 0 %).'),
  ('customer_growth_full_at', 'numeric', NULL, NULL, '25', 'Sales growth (percent) scoring 100 points (DOMAIN §8: 25 %).'),
  ('customer_collection_zero_at', 'numeric', NULL, NULL, '90', 'Collection rate (percent) scoring 0 points (DOMAIN §8: 90 %).'),
  ('customer_collection_full_at', 'numeric', NULL, NULL, '100', 'Collection rate (percent) scoring 100 points (DOMAIN §8: 100 %).'),
  ('customer_returns_zero_at', 'numeric', NULL, NULL, '5', 'Return rate (percent) scoring 0 points (DOMAIN §8: 5 %; reversed, higher is worse).'),
  ('customer_returns_full_at', 'numeric', NULL, NULL, '1', 'Return rate (percent) scoring 100 points (DOMAIN §8: 1 %).'),
  ('customer_grade_scale', 'grade scale', NULL, NULL, 'credit', 'Grade scale of the composite customer score and the credit rating (DOMAIN §2: AAA, AA, A, B, C).'),
  ('class_effective_sales', 'numeric', 0, NULL, '100000', 'Yearly sales above this make a new customer effective, and a customer normal or abnormal (DOMAIN §8: 100,000).'),
  ('class_normal_batches', 'integer', 0, NULL, '3', 'A normal customer ordered in more batches than this in the year (DOMAIN §8: 3).'),
  ('class_collection_rate', 'numeric', 0, 100, '95', 'A normal customer''s collection rate is above this percentage, an abnormal one''s below (DOMAIN §8: 95).'),
  ('class_return_rate', 'numeric', 0, 100, '5', 'A normal customer''s return rate is below this percentage, an abnormal one''s above (DOMAIN §8: 5).'),
  ('class_stale_sales', 'numeric', 0, NULL, '20000', 'A customer with yearly sales below this and receivables above class_stale_receivables is stale (DOMAIN §8: 20,000).'),
  ('class_stale_receivables', 'numeric', 0, NULL, '20000', 'A customer with receivables above this and yearly sales below class_stale_sales is stale (DOMAIN §8: 20,000).'),
  ('class_sales_drop', 'numeric', 0, 100, '50', 'Sales down by this percentage or more on the previous year: deteriorating (DOMAIN §8: 50).'),
  ('class_collection_drop', 'numeric', 0, 100, '10', 'Collection rate down by more than this many points on the previous year: deteriorating (DOMAIN §8: 10).');
ALTER TABLE appraisal.setting_definitions ENABLE TRIGGER refuse_change;

CREATE FUNCTION appraisal.customer_parameters()
RETURNS TABLE (weight_sales numeric, weight_growth numeric, weight_collection numeric, weight_returns numeric,
               weight_manager numeric, sales_zero_at numeric, sales_full_at numeric, growth_zero_at numeric,
               growth_full_at numeric, collection_zero_at numeric, collection_full_at numeric,
               returns_zero_at numeric, returns_full_at numeric, grade_scale text,
               class_effective_sales numeric, class_normal_batches integer, class_collection_rate numeric,
               class_return_rate numeric, class_stale_sales numeric, class_stale_receivables numeric,
               class_sales_drop numeric, class_collection_drop numeric)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'customer_weight_sales')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_growth')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_collection')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_returns')::numeric,
         max(value) FILTER (WHERE name = 'customer_weight_manager')::numeric,
         max(value) FILTER (WHERE name = 'customer_sales_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_sales_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_growth_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_growth_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_collection_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_collection_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_returns_zero_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_returns_full_at')::numeric,
         max(value) FILTER (WHERE name = 'customer_grade_scale'),
         max(value) FILTER (WHERE name = 'class_effective_sales')::numeric,
         max(value) FILTER (WHERE name = 'class_normal_batches')::integer,
         max(value) FILTER (WHERE name = 'class_collection_rate')::numeric,
         max(value) FILTER (WHERE name = 'class_return_rate')::numeric,
         max(value) FILTER (WHERE name = 'class_stale_sales')::numeric,
         max(value) FILTER (WHERE name = 'class_stale_receivables')::numeric,
         max(value) FILTER (WHERE name = 'class_sales_drop')::numeric,
         max(value) FILTER (WHERE name = 'class_collection_drop')::numeric
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.customer_parameters() IS
  'The customer-evaluation settings in effect (weights and ranges of the composite customer score, thresholds of the classification) as one row with a typed column per setting; see appraisal.setting_definitions.';

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

-- People and figures --------------------------------------------------------

CREATE TABLE appraisal.customers (
  customer_id      text PRIMARY KEY,
  name             text NOT NULL,
  first_order_on   date CONSTRAINT "first order date must be finite" CHECK (isfinite(first_order_on)),
  sales_manager_id text CONSTRAINT "sales manager must be a known employee" REFERENCES appraisal.employees,
  region           text
);
COMMENT ON TABLE appraisal.customers IS 'Customers (dealers, accounts) evaluated yearly and quarterly (DOMAIN §8): their figures are in appraisal.customer_figures, their credit-rating inputs in appraisal.customer_credit.';
COMMENT ON COLUMN appraisal.customers.customer_id IS 'Customer identifier (the customer_id of appraisal.tickets, where tickets carry one).';
COMMENT ON COLUMN appraisal.customers.name IS 'Customer name.';
COMMENT ON COLUMN appraisal.customers.first_order_on IS 'Date of the first order: a customer is new in the year it falls in (classification). NULL: an established customer.';
COMMENT ON COLUMN appraisal.customers.sales_manager_id IS 'Sales manager responsible (appraisal.employees), who gives the manager''s evaluation.';
COMMENT ON COLUMN appraisal.customers.region IS 'Region, for grouping.';

CREATE TABLE appraisal.customer_figures (
  customer_id        text NOT NULL CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers,
  period             text NOT NULL CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  sales              numeric NOT NULL CONSTRAINT "sales cannot be negative" CHECK (sales >= 0),
  batches            integer NOT NULL DEFAULT 0 CONSTRAINT "batches cannot be negative" CHECK (batches >= 0),
  sales_growth       numeric,
  collection_rate    numeric CONSTRAINT "collection rate must be a percentage from 0" CHECK (collection_rate >= 0),
  return_rate        numeric CONSTRAINT "return rate must be a percentage from 0 to 100" CHECK (return_rate BETWEEN 0 AND 100),
  receivables        numeric NOT NULL DEFAULT 0 CONSTRAINT "receivables cannot be negative" CHECK (receivables >= 0),
  manager_evaluation numeric CONSTRAINT "manager evaluation must be 0 to 100 points" CHECK (manager_evaluation BETWEEN 0 AND 100),
  PRIMARY KEY (customer_id, period)
);
COMMENT ON TABLE appraisal.customer_figures IS 'A customer''s figures for one period (a year, or a quarter for quarterly re-rating): the inputs of the composite customer score and of the classification.';
COMMENT ON COLUMN appraisal.customer_figures.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_figures.period IS 'Period (appraisal.periods), usually a year.';
COMMENT ON COLUMN appraisal.customer_figures.sales IS 'Sales volume in the period, in the currency of the ranges (settings customer_sales_zero_at, customer_sales_full_at).';
COMMENT ON COLUMN appraisal.customer_figures.batches IS 'Number of order batches in the period.';
COMMENT ON COLUMN appraisal.customer_figures.sales_growth IS 'Sales growth on the previous period of the same kind, in percent (25 = 25 %). NULL: computed from the previous period''s sales, when recorded and above 0.';
COMMENT ON COLUMN appraisal.customer_figures.collection_rate IS 'Collected as a percentage of what fell due (may exceed 100 when old debt is paid).';
COMMENT ON COLUMN appraisal.customer_figures.return_rate IS 'Returned goods as a percentage of sales.';
COMMENT ON COLUMN appraisal.customer_figures.receivables IS 'Receivables outstanding at the end of the period.';
COMMENT ON COLUMN appraisal.customer_figures.manager_evaluation IS 'The sales manager''s evaluation of the customer, 0-100 points.';

CREATE TABLE appraisal.customer_credit (
  customer_id          text NOT NULL CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers,
  period               text NOT NULL CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  financial_points     numeric NOT NULL CONSTRAINT "financial points must be 0 to 30" CHECK (financial_points BETWEEN 0 AND 30),
  non_financial_points numeric NOT NULL CONSTRAINT "non-financial points must be 0 to 70" CHECK (non_financial_points BETWEEN 0 AND 70),
  rated_by             text,
  PRIMARY KEY (customer_id, period)
);
COMMENT ON TABLE appraisal.customer_credit IS 'Credit-rating inputs (DOMAIN §8: 100 points, financial 30 and non-financial 70), re-rated every quarter.';
COMMENT ON COLUMN appraisal.customer_credit.customer_id IS 'Customer (appraisal.customers).';
COMMENT ON COLUMN appraisal.customer_credit.period IS 'Period rated (appraisal.periods), usually a quarter.';
COMMENT ON COLUMN appraisal.customer_credit.financial_points IS 'Points for the financial criteria, 0-30.';
COMMENT ON COLUMN appraisal.customer_credit.non_financial_points IS 'Points for the non-financial criteria, 0-70.';
COMMENT ON COLUMN appraisal.customer_credit.rated_by IS 'Who rated (free text, for the audit trail).';

SELECT pg_catalog.pg_extension_config_dump('appraisal.customers', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_figures', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_credit', '');

-- The composite and the class ------------------------------------------------

CREATE FUNCTION appraisal.customer_score(sales numeric, sales_growth numeric, collection_rate numeric,
                                         return_rate numeric, manager_evaluation numeric)
RETURNS TABLE (sales_points numeric, growth_points numeric, collection_points numeric, returns_points numeric,
               manager_points numeric, composite_points numeric, credit_grade text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT appraisal.linear_points(customer_score.sales, p.sales_zero_at, p.sales_full_at),
         appraisal.linear_points(customer_score.sales_growth, p.growth_zero_at, p.growth_full_at),
         appraisal.linear_points(customer_score.collection_rate, p.collection_zero_at, p.collection_full_at),
         appraisal.linear_points(customer_score.return_rate, p.returns_zero_at, p.returns_full_at),
         appraisal.linear_points(customer_score.manager_evaluation, 0, 100),
         w.points,
         CASE WHEN w.points IS NOT NULL THEN appraisal.grade_band(w.points::double precision, p.grade_scale) END
  FROM appraisal.customer_parameters() p
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.sales, p.sales_zero_at, p.sales_full_at) s
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.sales_growth, p.growth_zero_at, p.growth_full_at) g
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.collection_rate, p.collection_zero_at, p.collection_full_at) c
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.return_rate, p.returns_zero_at, p.returns_full_at) r
  CROSS JOIN LATERAL appraisal.linear_fraction(customer_score.manager_evaluation, 0, 100) m
  CROSS JOIN LATERAL (
    SELECT appraisal.weighted_share_percent(
             ARRAY[p.weight_sales, p.weight_growth, p.weight_collection, p.weight_returns, p.weight_manager],
             ARRAY[s.part, g.part, c.part, r.part, m.part],
             ARRAY[s.whole, g.whole, c.whole, r.whole, m.whole]) AS points
  ) w;
END;
COMMENT ON FUNCTION appraisal.customer_score(numeric, numeric, numeric, numeric, numeric) IS
  'The composite customer score of DOMAIN §8 with the settings in effect: each item''s points on its linear range (sales 100,000 -> 2,100,000, growth 0 -> 25 %, collection 90 -> 100 %, return rate 5 -> 1 % reversed, the manager''s 0-100 evaluation), clamped, weighted 30/30/20/10/10, as one exact fraction truncated to two decimals, and its grade on customer_grade_scale (credit: AAA >= 90 ... C). Sales 2,000,000, growth 25, collection 92, returns 6, manager 80 give 95, 100, 20, 0, 80 -> 70.50, A. NULL composite and grade when an item of weight above 0 is NULL.';

CREATE FUNCTION appraisal.customer_class(sales numeric, batches integer, collection_rate numeric, return_rate numeric,
                                         receivables numeric, new_customer boolean, period_ended boolean,
                                         previous_sales numeric, previous_collection_rate numeric)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC
  SELECT CASE
           WHEN f.sales = 0 AND f.receivables = 0 THEN 'no business'
           WHEN f.sales = 0 THEN 'pending'
           WHEN f.sales < p.class_stale_sales AND f.receivables > p.class_stale_receivables THEN 'stale'
           WHEN f.new_customer AND NOT f.period_ended THEN 'new'
           WHEN f.new_customer AND f.sales > p.class_effective_sales THEN 'new-effective'
           WHEN f.new_customer THEN 'new-ineffective'
           WHEN f.previous_sales > 0 AND f.sales <= f.previous_sales * (100 - p.class_sales_drop) / 100 THEN 'deteriorating'
           WHEN f.previous_collection_rate - f.collection_rate > p.class_collection_drop THEN 'deteriorating'
           WHEN f.sales > p.class_effective_sales AND f.batches > p.class_normal_batches
                AND f.collection_rate > p.class_collection_rate AND f.return_rate < p.class_return_rate THEN 'normal'
           WHEN f.sales > p.class_effective_sales
                AND (f.collection_rate < p.class_collection_rate OR f.return_rate > p.class_return_rate) THEN 'abnormal'
           ELSE 'other'
         END
  FROM appraisal.customer_parameters() p,
       (SELECT customer_class.sales, customer_class.batches, customer_class.collection_rate,
               customer_class.return_rate, customer_class.receivables, customer_class.new_customer,
               customer_class.period_ended, customer_class.previous_sales,
               customer_class.previous_collection_rate) f;
END;
COMMENT ON FUNCTION appraisal.customer_class(numeric, integer, numeric, numeric, numeric, boolean, boolean, numeric, numeric) IS
  'The yearly customer class of DOMAIN §8 with the thresholds in effect, the first rule that applies: no business (no sales, no receivables); pending (no sales, receivables); stale (sales < 20,000 and receivables > 20,000); for a customer new that year: new while the year runs, then new-effective (sales > 100,000) or new-ineffective; deteriorating (sales down 50 % or more, or collection down more than 10 points, on the previous year); normal (sales > 100,000, more than 3 batches, collection > 95 %, returns < 5 %); abnormal (sales > 100,000 and collection < 95 % or returns > 5 %); otherwise other (none applies, e.g. sales up to 100,000, 3 batches or fewer, or collection exactly 95 %).';

-- The customer scorecard ------------------------------------------------------

CREATE VIEW appraisal.customer_scorecard WITH (security_invoker = true) AS
WITH figures AS (
  SELECT f.*, p.kind AS period_kind, p.starts_on, p.ends_on,
         lag(f.period) OVER w AS previous_period,
         lag(f.sales) OVER w AS previous_sales,
         lag(f.collection_rate) OVER w AS previous_collection_rate,
         lag(p.ends_on) OVER w AS previous_ends_on
  FROM appraisal.customer_figures f
  JOIN appraisal.periods p ON p.period = f.period
  WINDOW w AS (PARTITION BY f.customer_id, p.kind ORDER BY p.starts_on)
), adjacent AS (
  -- the previous period of the same kind counts only when it is the one just before
  SELECT f.*, coalesce(f.previous_ends_on = f.starts_on - 1, false) AS has_previous
  FROM figures f
), scored AS (
  SELECT a.*, c.name, c.first_order_on, g.growth_used, s.*
  FROM adjacent a
  JOIN appraisal.customers c USING (customer_id)
  CROSS JOIN LATERAL (
    SELECT coalesce(a.sales_growth,
                    CASE WHEN a.has_previous AND a.previous_sales > 0
                         THEN (a.sales - a.previous_sales) * 100 / a.previous_sales END) AS growth_used
  ) g
  CROSS JOIN LATERAL appraisal.customer_score(a.sales, g.growth_used, a.collection_rate, a.return_rate,
                                              a.manager_evaluation) s
)
SELECT s.customer_id, s.name, s.period, s.period_kind, s.starts_on, s.ends_on,
       s.sales, s.batches, trim_scale(s.growth_used) AS sales_growth,
       s.sales_growth IS NULL AND s.growth_used IS NOT NULL AS growth_computed,
       s.collection_rate, s.return_rate, s.receivables, s.manager_evaluation,
       s.sales_points, s.growth_points, s.collection_points, s.returns_points, s.manager_points,
       s.composite_points,
       coalesce(s.credit_grade, 'insufficient data') AS credit_grade,
       cr.financial_points + cr.non_financial_points AS credit_rating_points,
       CASE WHEN cr.customer_id IS NOT NULL
            THEN appraisal.grade_band((cr.financial_points + cr.non_financial_points)::double precision, p.grade_scale)
       END AS credit_rating_grade,
       CASE WHEN s.period_kind = 'year' THEN
         appraisal.customer_class(s.sales, s.batches, s.collection_rate, s.return_rate, s.receivables,
                                  coalesce(s.first_order_on BETWEEN s.starts_on AND s.ends_on, false),
                                  s.ends_on < current_date,
                                  CASE WHEN s.has_previous THEN s.previous_sales END,
                                  CASE WHEN s.has_previous THEN s.previous_collection_rate END)
       END AS class,
       CASE WHEN s.has_previous THEN s.previous_period END AS previous_period,
       prev.composite_points AS previous_composite_points,
       s.composite_points - prev.composite_points AS composite_change,
       CASE WHEN s.composite_points > prev.composite_points THEN 'up'
            WHEN s.composite_points < prev.composite_points THEN 'down'
            WHEN s.composite_points = prev.composite_points THEN 'flat' END AS trend
FROM scored s
CROSS JOIN appraisal.customer_parameters() p
LEFT JOIN appraisal.customer_credit cr ON cr.customer_id = s.customer_id AND cr.period = s.period
LEFT JOIN scored prev ON s.has_previous AND prev.customer_id = s.customer_id AND prev.period = s.previous_period;
COMMENT ON VIEW appraisal.customer_scorecard IS
  'Per customer and period of appraisal.customer_figures: the composite customer score of DOMAIN §8 (points per item, exact, truncated to two decimals) with its credit grade, the credit rating of appraisal.customer_credit, the yearly class, and the trend against the previous period of the same kind (only when it is the period just before).';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('customer_id', 'Customer (appraisal.customers).'),
    ('name', 'Customer name.'),
    ('period', 'Period of the figures (appraisal.periods).'),
    ('period_kind', 'year, half_year or quarter.'),
    ('starts_on', 'First day of the period.'),
    ('ends_on', 'Last day of the period.'),
    ('sales', 'Sales volume in the period.'),
    ('batches', 'Order batches in the period.'),
    ('sales_growth', 'Sales growth in percent used for the score: as recorded, else computed from the previous period''s sales.'),
    ('growth_computed', 'True when sales_growth was computed from the previous period''s sales, not recorded.'),
    ('collection_rate', 'Collection rate, percent.'),
    ('return_rate', 'Return rate, percent.'),
    ('receivables', 'Receivables outstanding at the end of the period.'),
    ('manager_evaluation', 'The sales manager''s evaluation, 0-100 points.'),
    ('sales_points', 'Points for sales volume, 0-100 (linear between customer_sales_zero_at and customer_sales_full_at).'),
    ('growth_points', 'Points for sales growth, 0-100.'),
    ('collection_points', 'Points for the collection rate, 0-100.'),
    ('returns_points', 'Points for the return rate, 0-100 (reversed: lower is better).'),
    ('manager_points', 'Points of the manager''s evaluation, 0-100.'),
    ('composite_points', 'Composite customer score: the weighted points (30/30/20/10/10 by default), exact, truncated to two decimals; NULL when a weighted item is missing.'),
    ('credit_grade', 'Grade of the composite on customer_grade_scale (AAA, AA, A, B, C), or ''insufficient data''.'),
    ('credit_rating_points', 'Credit rating: financial (0-30) plus non-financial (0-70) points from appraisal.customer_credit; NULL when not rated for the period.'),
    ('credit_rating_grade', 'Grade of the credit rating on customer_grade_scale.'),
    ('class', 'Yearly class (customer_class): no business, pending, stale, new, new-effective, new-ineffective, deteriorating, normal, abnormal or other; NULL for periods other than years.'),
    ('previous_period', 'The period of the same kind just before, when the customer has figures for it.'),
    ('previous_composite_points', 'Composite customer score of the previous period.'),
    ('composite_change', 'Composite points minus those of the previous period.'),
    ('trend', 'up, down or flat against the previous period; NULL without one.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.customer_scorecard.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;
-- appraisal install script, part 14b: the customer satisfaction survey (DOMAIN
-- §5 and §8).  Questionnaires of items, each scored on an item scale; survey
-- runs sent to the customers in scope; answers turned into points; and the
-- validity of a run: it counts only when it covered enough of the customers
-- in scope (80 %) and enough of the questionnaires sent came back valid (70 %).

ALTER TABLE appraisal.setting_definitions DISABLE TRIGGER refuse_change;
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('survey_min_coverage_percent', 'numeric', 0, 100, '80', 'A survey run is valid only when it was sent to at least this percentage of the customers in its scope (DOMAIN §8: 80).'),
  ('survey_min_valid_percent', 'numeric', 0, 100, '70', 'A survey run is valid only when at least this percentage of the questionnaires sent came back valid (DOMAIN §8: 70).');
ALTER TABLE appraisal.setting_definitions ENABLE TRIGGER refuse_change;

CREATE TABLE appraisal.survey_questionnaires (
  questionnaire text PRIMARY KEY,
  title         text NOT NULL,
  description   text,
  shipped       boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.survey_questionnaires IS
  'Survey questionnaires; their items are in appraisal.survey_items. The shipped ''standard'' questionnaire is the seven-item customer satisfaction survey of DOMAIN §8 (six items of 15 points and one of 10, total 100).';
COMMENT ON COLUMN appraisal.survey_questionnaires.questionnaire IS 'Questionnaire name, referenced by appraisal.survey_runs.';
COMMENT ON COLUMN appraisal.survey_questionnaires.title IS 'Title shown to customers and in reports.';
COMMENT ON COLUMN appraisal.survey_questionnaires.description IS 'What the questionnaire is for.';
COMMENT ON COLUMN appraisal.survey_questionnaires.shipped IS 'True for the questionnaire shipped with the extension; it and its items cannot be changed.';

CREATE TABLE appraisal.survey_items (
  questionnaire text NOT NULL
                CONSTRAINT "survey item must belong to a known questionnaire"
                REFERENCES appraisal.survey_questionnaires ON UPDATE CASCADE ON DELETE CASCADE,
  item_no       integer NOT NULL CONSTRAINT "item number must be positive" CHECK (item_no > 0),
  item          text NOT NULL,
  title         text NOT NULL,
  answer        text NOT NULL,
  scale         appraisal.item_scale_spec NOT NULL,
  shipped       boolean NOT NULL DEFAULT false,
  PRIMARY KEY (questionnaire, item_no),
  CONSTRAINT "item names are unique within a questionnaire" UNIQUE (questionnaire, item)
);
COMMENT ON TABLE appraisal.survey_items IS
  'The items of each questionnaire: what is asked, what value the answer records, and the item scale that turns it into points. A response is complete when every item is answered.';
COMMENT ON COLUMN appraisal.survey_items.questionnaire IS 'Questionnaire (appraisal.survey_questionnaires).';
COMMENT ON COLUMN appraisal.survey_items.item_no IS 'Position of the item in the questionnaire, from 1.';
COMMENT ON COLUMN appraisal.survey_items.item IS 'Short item name, unique within the questionnaire.';
COMMENT ON COLUMN appraisal.survey_items.title IS 'The question as asked.';
COMMENT ON COLUMN appraisal.survey_items.answer IS 'What the recorded value is (a 0-100 rating, working days to a fix, ...).';
COMMENT ON COLUMN appraisal.survey_items.scale IS 'Item scale turning the value into points (a value, often copied from appraisal.item_scale); its highest points are the item''s full marks.';
COMMENT ON COLUMN appraisal.survey_items.shipped IS 'True for the items of the shipped questionnaire; those cannot be changed.';

INSERT INTO appraisal.survey_questionnaires (questionnaire, title, description, shipped) VALUES
  ('standard', '客户满意度调查 Customer satisfaction survey',
   'The seven-item customer satisfaction survey of DOMAIN §8: six items of 15 points banded A-E and the overall image of 10 points, total 100.',
   true);
INSERT INTO appraisal.survey_items (questionnaire, item_no, item, title, answer, scale, shipped)
SELECT 'standard', v.item_no, v.item, v.title, v.answer, s.scale, true
FROM (VALUES
  (1, 'product_quality', '产品质量 Product quality', 'rating 0-100', 'satisfaction_15'),
  (2, 'delivery', '交付及时性 Delivery on time', 'rating 0-100', 'satisfaction_15'),
  (3, 'complaint_handling', '投诉处理 Complaint handling',
   'working days from the customer''s complaint to its resolution, on the company calendar (DOMAIN §5); 0 when the customer had nothing left unresolved',
   'resolution_days_15'),
  (4, 'technical_service', '技术服务 Technical service', 'rating 0-100', 'satisfaction_15'),
  (5, 'service_attitude', '服务态度 Service attitude', 'rating 0-100', 'satisfaction_15'),
  (6, 'communication', '沟通与响应 Communication and response', 'rating 0-100', 'satisfaction_15'),
  (7, 'overall_image', '整体形象 Overall image', 'rating 0-100', 'image_10')
) v(item_no, item, title, answer, scale_name)
JOIN appraisal.item_scale s ON s.name = v.scale_name;

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.survey_questionnaires
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('questionnaire', 'questionnaire');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.survey_questionnaires
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('questionnaire');
CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.survey_items
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('survey item', 'item',
    'Copy the questionnaire under a new name and change the copy.');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.survey_items
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('survey item');

-- The shipped questionnaire's item list is fixed too: no items added to it.
CREATE FUNCTION appraisal.survey_items_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF NOT NEW.shipped AND EXISTS (SELECT 1 FROM appraisal.survey_questionnaires q
                                 WHERE q.questionnaire = NEW.questionnaire AND q.shipped) THEN
    RAISE EXCEPTION 'questionnaire "%" is shipped with the extension and takes no further items', NEW.questionnaire
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Copy the questionnaire under a new name and change the copy.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.survey_items_check() IS
  'Trigger on appraisal.survey_items: the shipped questionnaire takes no further items (its total stays 100).';
CREATE TRIGGER shipped_questionnaire_fixed BEFORE INSERT OR UPDATE ON appraisal.survey_items
  FOR EACH ROW EXECUTE FUNCTION appraisal.survey_items_check();

GRANT SELECT ON appraisal.survey_questionnaires, appraisal.survey_items TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_questionnaires', 'WHERE NOT shipped');
SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_items', 'WHERE NOT shipped');

CREATE TABLE appraisal.survey_runs (
  run_id        text PRIMARY KEY,
  questionnaire text NOT NULL
                CONSTRAINT "survey run must use a known questionnaire"
                REFERENCES appraisal.survey_questionnaires ON UPDATE CASCADE,
  period        text NOT NULL
                CONSTRAINT "period must be a known period" REFERENCES appraisal.periods ON UPDATE CASCADE,
  region        text,
  opened_on     date NOT NULL,
  closed_on     date NOT NULL,
  description   text,
  CONSTRAINT "a survey run must close on or after the day it opens" CHECK (closed_on >= opened_on),
  CONSTRAINT "survey run dates must be finite" CHECK (isfinite(opened_on) AND isfinite(closed_on))
);
COMMENT ON TABLE appraisal.survey_runs IS
  'Survey runs: one questionnaire sent, between opened_on and closed_on, to the customers of one scope (a region, or all). The customers in scope are those of appraisal.customers in the region whose first order was on or before closed_on (or unknown). appraisal.survey_validity tells whether a run counts.';
COMMENT ON COLUMN appraisal.survey_runs.run_id IS 'Survey run identifier.';
COMMENT ON COLUMN appraisal.survey_runs.questionnaire IS 'Questionnaire sent (appraisal.survey_questionnaires).';
COMMENT ON COLUMN appraisal.survey_runs.period IS 'Appraisal period the survey evaluates (appraisal.periods).';
COMMENT ON COLUMN appraisal.survey_runs.region IS 'Region of appraisal.customers in scope; NULL: every customer.';
COMMENT ON COLUMN appraisal.survey_runs.opened_on IS 'First day questionnaires may be sent.';
COMMENT ON COLUMN appraisal.survey_runs.closed_on IS 'Last day questionnaires are sent and accepted back; a questionnaire returned later does not count.';
COMMENT ON COLUMN appraisal.survey_runs.description IS 'What the run was, for readers.';

CREATE TABLE appraisal.customer_surveys (
  run_id         text NOT NULL
                 CONSTRAINT "survey must belong to a known survey run"
                 REFERENCES appraisal.survey_runs ON UPDATE CASCADE ON DELETE CASCADE,
  customer_id    text NOT NULL
                 CONSTRAINT "customer must be a known customer" REFERENCES appraisal.customers ON UPDATE CASCADE,
  sent_on        date NOT NULL,
  returned_on    date,
  invalid_reason text,
  PRIMARY KEY (run_id, customer_id),
  CONSTRAINT "a questionnaire comes back on or after the day it was sent" CHECK (returned_on >= sent_on),
  CONSTRAINT "only a returned questionnaire can be marked invalid" CHECK (invalid_reason IS NULL OR returned_on IS NOT NULL),
  CONSTRAINT "an invalid questionnaire needs a reason" CHECK (invalid_reason <> '')
);
COMMENT ON TABLE appraisal.customer_surveys IS
  'One questionnaire of a survey run sent to one customer in the run''s scope: when it was sent, whether and when it came back, and why a returned one was found invalid (e.g. filled in by the sales staff). Its answers are in appraisal.customer_survey_answers.';
COMMENT ON COLUMN appraisal.customer_surveys.run_id IS 'Survey run (appraisal.survey_runs).';
COMMENT ON COLUMN appraisal.customer_surveys.customer_id IS 'Customer surveyed (appraisal.customers); must be in the run''s scope.';
COMMENT ON COLUMN appraisal.customer_surveys.sent_on IS 'Day the questionnaire was sent, within the run.';
COMMENT ON COLUMN appraisal.customer_surveys.returned_on IS 'Day it came back; NULL when it has not.';
COMMENT ON COLUMN appraisal.customer_surveys.invalid_reason IS 'Why a returned questionnaire is invalid, as found on review; NULL when nothing was found.';

CREATE TABLE appraisal.customer_survey_answers (
  run_id      text NOT NULL,
  customer_id text NOT NULL,
  item_no     integer NOT NULL,
  value       numeric NOT NULL,
  PRIMARY KEY (run_id, customer_id, item_no),
  CONSTRAINT "answer must belong to a sent questionnaire" FOREIGN KEY (run_id, customer_id)
    REFERENCES appraisal.customer_surveys ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE appraisal.customer_survey_answers IS
  'The answers of a returned questionnaire, one value per item; each must be an item of the run''s questionnaire and within the item''s scale.';
COMMENT ON COLUMN appraisal.customer_survey_answers.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.customer_survey_answers.customer_id IS 'Customer who answered.';
COMMENT ON COLUMN appraisal.customer_survey_answers.item_no IS 'Item of the run''s questionnaire (appraisal.survey_items.item_no).';
COMMENT ON COLUMN appraisal.customer_survey_answers.value IS 'The value answered, as the item''s answer column describes (a 0-100 rating, working days).';

-- Sent questionnaires go to customers in the run's scope, within the run.
CREATE FUNCTION appraisal.customer_surveys_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  r appraisal.survey_runs;
  c appraisal.customers;
BEGIN
  SELECT * INTO r FROM appraisal.survey_runs WHERE run_id = NEW.run_id;
  SELECT * INTO c FROM appraisal.customers WHERE customer_id = NEW.customer_id;
  IF r.run_id IS NULL OR c.customer_id IS NULL THEN
    RETURN NEW;   -- the foreign keys report it
  END IF;
  IF r.region IS NOT NULL AND c.region IS DISTINCT FROM r.region THEN
    RAISE EXCEPTION 'customer "%" (region %) is not in the scope of survey run "%" (region %)',
      c.customer_id, coalesce(c.region, 'NULL'), r.run_id, r.region
      USING ERRCODE = 'check_violation';
  END IF;
  IF c.first_order_on > r.closed_on THEN
    RAISE EXCEPTION 'customer "%" first ordered on %, after survey run "%" closed on %',
      c.customer_id, c.first_order_on, r.run_id, r.closed_on
      USING ERRCODE = 'check_violation',
            DETAIL = 'A run''s scope is the customers who had ordered by the day it closed.';
  END IF;
  IF NEW.sent_on NOT BETWEEN r.opened_on AND r.closed_on THEN
    RAISE EXCEPTION 'questionnaire sent on % outside survey run "%" (% to %)',
      NEW.sent_on, r.run_id, r.opened_on, r.closed_on
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.customer_surveys_check() IS
  'Trigger on appraisal.customer_surveys: the customer is in the run''s scope (its region, and had first ordered by the day the run closed) and the questionnaire was sent while the run was open.';
CREATE TRIGGER in_scope BEFORE INSERT OR UPDATE ON appraisal.customer_surveys
  FOR EACH ROW EXECUTE FUNCTION appraisal.customer_surveys_check();

-- Answers belong to a returned questionnaire, to an item of its
-- questionnaire, and lie within the item's scale.
CREATE FUNCTION appraisal.customer_survey_answers_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  returned date;
  q text;
  scale_of_item appraisal.item_scale_spec;
BEGIN
  SELECT s.returned_on, r.questionnaire INTO returned, q
  FROM appraisal.customer_surveys s JOIN appraisal.survey_runs r USING (run_id)
  WHERE s.run_id = NEW.run_id AND s.customer_id = NEW.customer_id;
  IF q IS NULL THEN
    RETURN NEW;   -- the foreign key reports it
  END IF;
  IF returned IS NULL THEN
    RAISE EXCEPTION 'questionnaire of survey run "%" to customer "%" has not been returned', NEW.run_id, NEW.customer_id
      USING ERRCODE = 'check_violation',
            HINT = 'Set customer_surveys.returned_on first.';
  END IF;
  SELECT i.scale INTO scale_of_item FROM appraisal.survey_items i
  WHERE i.questionnaire = q AND i.item_no = NEW.item_no;
  IF scale_of_item IS NULL THEN
    RAISE EXCEPTION 'questionnaire "%" of survey run "%" has no item %', q, NEW.run_id, NEW.item_no
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  PERFORM appraisal.item_points(NEW.value, scale_of_item);   -- a value outside the scale is an error
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.customer_survey_answers_check() IS
  'Trigger on appraisal.customer_survey_answers: the questionnaire was returned, the item belongs to the run''s questionnaire, and the value lies within the item''s scale.';
CREATE TRIGGER valid_answer BEFORE INSERT OR UPDATE ON appraisal.customer_survey_answers
  FOR EACH ROW EXECUTE FUNCTION appraisal.customer_survey_answers_check();

SELECT pg_catalog.pg_extension_config_dump('appraisal.survey_runs', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_surveys', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.customer_survey_answers', '');

-- Per answer: its item, band and points.
CREATE VIEW appraisal.customer_survey_points WITH (security_invoker = true) AS
SELECT a.run_id, r.questionnaire, r.period, a.customer_id, a.item_no, i.item, a.value,
       appraisal.item_band(a.value, i.scale) AS band,
       appraisal.item_points(a.value, i.scale) AS points,
       appraisal.item_max_points(i.scale) AS max_points
FROM appraisal.customer_survey_answers a
JOIN appraisal.survey_runs r USING (run_id)
JOIN appraisal.survey_items i ON i.questionnaire = r.questionnaire AND i.item_no = a.item_no;
COMMENT ON VIEW appraisal.customer_survey_points IS
  'Per answer of appraisal.customer_survey_answers: the item, the band of the value on the item''s scale and its points (item_points: interpolated inside the band, truncated to two decimals).';
COMMENT ON COLUMN appraisal.customer_survey_points.run_id IS 'Survey run.';
COMMENT ON COLUMN appraisal.customer_survey_points.questionnaire IS 'Questionnaire of the run.';
COMMENT ON COLUMN appraisal.customer_survey_points.period IS 'Appraisal period of the run.';
COMMENT ON COLUMN appraisal.customer_survey_points.customer_id IS 'Customer who answered.';
COMMENT ON COLUMN appraisal.customer_survey_points.item_no IS 'Item number.';
COMMENT ON COLUMN appraisal.customer_survey_points.item IS 'Item name.';
COMMENT ON COLUMN appraisal.customer_survey_points.value IS 'Value answered.';
COMMENT ON COLUMN appraisal.customer_survey_points.band IS 'Band of the item scale holding the value (A-E on the shipped scales).';
COMMENT ON COLUMN appraisal.customer_survey_points.points IS 'Points of the answer, truncated to two decimals.';
COMMENT ON COLUMN appraisal.customer_survey_points.max_points IS 'Full marks of the item.';

-- Per questionnaire sent: how complete, how many points, whether valid.
CREATE VIEW appraisal.customer_survey_status WITH (security_invoker = true) AS
WITH items AS (
  SELECT questionnaire, count(*) AS items_total, sum(appraisal.item_max_points(scale)) AS max_points
  FROM appraisal.survey_items GROUP BY questionnaire
), answered AS (
  SELECT run_id, customer_id, count(*) AS items_answered, sum(points) AS total_points
  FROM appraisal.customer_survey_points GROUP BY run_id, customer_id
), responses AS (
  SELECT s.run_id, r.questionnaire, r.period, s.customer_id, c.name AS customer_name, c.region,
         s.sent_on, s.returned_on, s.invalid_reason,
         coalesce(a.items_answered, 0) AS items_answered, coalesce(it.items_total, 0) AS items_total,
         a.total_points, it.max_points,
         CASE WHEN s.returned_on IS NULL THEN 'not returned'
              WHEN s.returned_on > r.closed_on THEN 'returned late'
              WHEN s.invalid_reason IS NOT NULL THEN 'marked invalid'
              WHEN coalesce(a.items_answered, 0) < coalesce(it.items_total, 0) OR it.items_total IS NULL THEN 'incomplete'
              ELSE 'valid' END AS status
  FROM appraisal.customer_surveys s
  JOIN appraisal.survey_runs r USING (run_id)
  JOIN appraisal.customers c USING (customer_id)
  LEFT JOIN items it ON it.questionnaire = r.questionnaire
  LEFT JOIN answered a ON a.run_id = s.run_id AND a.customer_id = s.customer_id
)
SELECT run_id, questionnaire, period, customer_id, customer_name, region, sent_on, returned_on,
       items_answered, items_total, total_points, max_points, status, status = 'valid' AS response_valid,
       invalid_reason
FROM responses;
COMMENT ON VIEW appraisal.customer_survey_status IS
  'Per questionnaire sent (appraisal.customer_surveys): items answered, total points and whether the response is valid: returned by the day the run closed, not marked invalid, every item answered. Whether the run itself counts is in appraisal.survey_validity; appraisal.survey_results joins the two.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('run_id', 'Survey run.'),
    ('questionnaire', 'Questionnaire of the run.'),
    ('period', 'Appraisal period of the run.'),
    ('customer_id', 'Customer surveyed.'),
    ('customer_name', 'Customer name.'),
    ('region', 'Customer''s region.'),
    ('sent_on', 'Day the questionnaire was sent.'),
    ('returned_on', 'Day it came back; NULL when it has not.'),
    ('items_answered', 'Items answered.'),
    ('items_total', 'Items of the questionnaire.'),
    ('total_points', 'Sum of the points of the answers (each truncated to two decimals); NULL without answers. Counts only when response_valid.'),
    ('max_points', 'Full marks of the questionnaire (100 for the standard one).'),
    ('status', 'valid, not returned, returned late (after the run closed), marked invalid (invalid_reason) or incomplete (an item unanswered), checked in that order.'),
    ('response_valid', 'True when status is valid: the response counts towards the valid-response rate.'),
    ('invalid_reason', 'Why a returned questionnaire was marked invalid.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.customer_survey_status.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;

-- Per run: coverage of the scope, valid responses, and whether it counts.
CREATE VIEW appraisal.survey_validity WITH (security_invoker = true) AS
WITH settings AS (
  SELECT max(value) FILTER (WHERE name = 'survey_min_coverage_percent')::numeric AS min_coverage,
         max(value) FILTER (WHERE name = 'survey_min_valid_percent')::numeric AS min_valid
  FROM appraisal.current_settings
), scope AS (
  SELECT r.run_id, count(c.customer_id) AS in_scope
  FROM appraisal.survey_runs r
  LEFT JOIN appraisal.customers c
    ON (r.region IS NULL OR c.region = r.region) AND (c.first_order_on IS NULL OR c.first_order_on <= r.closed_on)
  GROUP BY r.run_id
), responses AS (
  SELECT run_id, count(*) AS surveyed,
         count(*) FILTER (WHERE status NOT IN ('not returned', 'returned late')) AS returned,
         count(*) FILTER (WHERE response_valid) AS valid,
         sum(total_points) FILTER (WHERE response_valid) AS valid_points
  FROM appraisal.customer_survey_status GROUP BY run_id
), counted AS (
  SELECT r.run_id, r.questionnaire, r.period, r.region, r.opened_on, r.closed_on,
         sc.in_scope, coalesce(x.surveyed, 0) AS surveyed, coalesce(x.returned, 0) AS returned,
         coalesce(x.valid, 0) AS valid, x.valid_points, s.min_coverage, s.min_valid
  FROM appraisal.survey_runs r
  JOIN scope sc USING (run_id)
  CROSS JOIN settings s
  LEFT JOIN responses x USING (run_id)
), judged AS (
  SELECT c.*,
         CASE WHEN in_scope = 0 THEN 'no customers in scope'
              WHEN surveyed = 0 THEN 'no questionnaires sent'
              WHEN surveyed * 100 < min_coverage * in_scope
                THEN format('sent to %s %% of the customers in scope, below %s %%',
                            appraisal.share_percent(surveyed, in_scope), min_coverage)
              WHEN valid * 100 < min_valid * surveyed
                THEN format('%s %% of the questionnaires sent came back valid, below %s %%',
                            appraisal.share_percent(valid, surveyed), min_valid)
         END AS failure
  FROM counted c
)
SELECT run_id, questionnaire, period, region, opened_on, closed_on, closed_on < current_date AS closed,
       in_scope AS customers_in_scope, surveyed AS questionnaires_sent,
       appraisal.share_percent(surveyed, in_scope) AS coverage_percent,
       returned AS questionnaires_returned, valid AS valid_responses,
       appraisal.share_percent(valid, surveyed) AS valid_response_percent,
       min_coverage AS min_coverage_percent, min_valid AS min_valid_percent,
       failure IS NULL AS is_valid, coalesce(failure, 'valid') AS validity,
       CASE WHEN valid > 0 THEN trunc(valid_points / valid, 2) END AS mean_total_points
FROM judged;
COMMENT ON VIEW appraisal.survey_validity IS
  'Per survey run: whether it counts (DOMAIN §8): sent to at least survey_min_coverage_percent (80) of the customers in scope and at least survey_min_valid_percent (70) of the questionnaires sent came back valid. Both tests compare the counts exactly (79.999 % is below 80 %); the percentages shown are truncated to two decimals.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('run_id', 'Survey run.'),
    ('questionnaire', 'Questionnaire of the run.'),
    ('period', 'Appraisal period of the run.'),
    ('region', 'Region in scope; NULL: every customer.'),
    ('opened_on', 'First day of the run.'),
    ('closed_on', 'Last day of the run.'),
    ('closed', 'True once closed_on has passed: before that the counts may still grow.'),
    ('customers_in_scope', 'Customers in the run''s scope: of its region (or all), first order on or before closed_on or unknown.'),
    ('questionnaires_sent', 'Customers the questionnaire was sent to.'),
    ('coverage_percent', '100 * questionnaires_sent / customers_in_scope, truncated to two decimals.'),
    ('questionnaires_returned', 'Questionnaires returned by the day the run closed.'),
    ('valid_responses', 'Questionnaires returned in time, not marked invalid and complete (customer_survey_status.response_valid).'),
    ('valid_response_percent', '100 * valid_responses / questionnaires_sent (有效回收率), truncated to two decimals.'),
    ('min_coverage_percent', 'The coverage a valid run needs (setting survey_min_coverage_percent).'),
    ('min_valid_percent', 'The valid-response rate a valid run needs (setting survey_min_valid_percent).'),
    ('is_valid', 'True when the run counts: coverage and valid-response rate both reach their minimum.'),
    ('validity', '''valid'', or why not: no customers in scope, no questionnaires sent, coverage or valid-response rate below its minimum (coverage is checked first).'),
    ('mean_total_points', 'Mean total points of the valid responses, truncated to two decimals; NULL without any. Use it only when is_valid.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.survey_validity.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;

-- The results to use: responses with their run's validity.
CREATE VIEW appraisal.survey_results WITH (security_invoker = true) AS
SELECT x.run_id, x.questionnaire, x.period, x.customer_id, x.customer_name, x.region, x.returned_on,
       x.total_points, x.max_points, x.status, x.response_valid, v.is_valid AS run_valid,
       v.validity AS run_validity, x.response_valid AND v.is_valid AS counts
FROM appraisal.customer_survey_status x
JOIN appraisal.survey_validity v USING (run_id);
COMMENT ON VIEW appraisal.survey_results IS
  'Survey totals per customer with the validity of the response and of its run: a result counts only when both are valid; results of an invalid run are shown, flagged, never silently used.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('run_id', 'Survey run.'),
    ('questionnaire', 'Questionnaire of the run.'),
    ('period', 'Appraisal period of the run.'),
    ('customer_id', 'Customer surveyed.'),
    ('customer_name', 'Customer name.'),
    ('region', 'Customer''s region.'),
    ('returned_on', 'Day the questionnaire came back; NULL when it has not.'),
    ('total_points', 'Total points of the answers (see customer_survey_status).'),
    ('max_points', 'Full marks of the questionnaire.'),
    ('status', 'Status of the response (see customer_survey_status.status).'),
    ('response_valid', 'True when the response is valid.'),
    ('run_valid', 'True when the run counts (survey_validity.is_valid).'),
    ('run_validity', 'Why the run counts or not (survey_validity.validity).'),
    ('counts', 'True when both the response and its run are valid: use total_points only then.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.survey_results.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;
-- appraisal install script, part 14c: delivery quality (DOMAIN §8).  Projects
-- delivered in batches, each planned for a number of households within a
-- concentrated-delivery window; the households that took delivery; defect
-- reports against them.  The view delivery_quality gives per batch and per
-- project the concentrated delivery rate, the defect-free delivery rate and
-- the defects per household, every one from counts.

CREATE TABLE appraisal.delivery_batches (
  project_id         text NOT NULL,
  batch              integer NOT NULL CONSTRAINT "batch number must be positive" CHECK (batch > 0),
  planned_households integer NOT NULL
                     CONSTRAINT "a batch plans at least one household" CHECK (planned_households > 0),
  window_starts_on   date NOT NULL,
  window_ends_on     date NOT NULL,
  description        text,
  PRIMARY KEY (project_id, batch),
  CONSTRAINT "a delivery window ends on or after its first day" CHECK (window_ends_on >= window_starts_on),
  CONSTRAINT "delivery window dates must be finite" CHECK (isfinite(window_starts_on) AND isfinite(window_ends_on))
);
COMMENT ON TABLE appraisal.delivery_batches IS
  'Delivery batches of a project (DOMAIN §8): how many households the batch plans to deliver to, and the concentrated-delivery window they should take delivery in.';
COMMENT ON COLUMN appraisal.delivery_batches.project_id IS 'Project (a housing estate, a dealer''s order) delivered in batches.';
COMMENT ON COLUMN appraisal.delivery_batches.batch IS 'Batch number within the project, from 1.';
COMMENT ON COLUMN appraisal.delivery_batches.planned_households IS 'Households the batch plans to deliver to: the whole of the concentrated delivery rate.';
COMMENT ON COLUMN appraisal.delivery_batches.window_starts_on IS 'First day of the concentrated-delivery window.';
COMMENT ON COLUMN appraisal.delivery_batches.window_ends_on IS 'Last day of the concentrated-delivery window (inclusive).';
COMMENT ON COLUMN appraisal.delivery_batches.description IS 'What the batch is, for readers.';

CREATE TABLE appraisal.deliveries (
  project_id   text NOT NULL,
  batch        integer NOT NULL,
  household_id text NOT NULL,
  delivered_on date NOT NULL CONSTRAINT "delivery date must be finite" CHECK (isfinite(delivered_on)),
  CONSTRAINT "a household takes delivery once in a batch" PRIMARY KEY (project_id, batch, household_id),
  CONSTRAINT "delivery must belong to a known batch" FOREIGN KEY (project_id, batch)
    REFERENCES appraisal.delivery_batches ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE appraisal.deliveries IS
  'Households that took delivery, one row each, with the day they did.';
COMMENT ON COLUMN appraisal.deliveries.project_id IS 'Project.';
COMMENT ON COLUMN appraisal.deliveries.batch IS 'Batch (appraisal.delivery_batches).';
COMMENT ON COLUMN appraisal.deliveries.household_id IS 'Household (a flat, an address) that took delivery.';
COMMENT ON COLUMN appraisal.deliveries.delivered_on IS 'Day the household took delivery; within the batch''s window it counts towards the concentrated delivery rate.';

CREATE TABLE appraisal.defect_reports (
  report_id    text PRIMARY KEY,
  project_id   text NOT NULL,
  batch        integer NOT NULL,
  household_id text NOT NULL,
  reported_on  date NOT NULL CONSTRAINT "report date must be finite" CHECK (isfinite(reported_on)),
  valid        boolean NOT NULL DEFAULT true,
  description  text,
  CONSTRAINT "a defect report is about a household that took delivery" FOREIGN KEY (project_id, batch, household_id)
    REFERENCES appraisal.deliveries ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE appraisal.defect_reports IS
  'Defect reports and complaints about a delivered household. valid = false marks a report found groundless on inspection: it is kept but not counted.';
COMMENT ON COLUMN appraisal.defect_reports.report_id IS 'Report identifier (e.g. the complaint or inspection number).';
COMMENT ON COLUMN appraisal.defect_reports.project_id IS 'Project.';
COMMENT ON COLUMN appraisal.defect_reports.batch IS 'Batch.';
COMMENT ON COLUMN appraisal.defect_reports.household_id IS 'Household reporting (appraisal.deliveries).';
COMMENT ON COLUMN appraisal.defect_reports.reported_on IS 'Day of the report.';
COMMENT ON COLUMN appraisal.defect_reports.valid IS 'False when inspection found the report groundless: not counted.';
COMMENT ON COLUMN appraisal.defect_reports.description IS 'What was reported.';
CREATE INDEX ON appraisal.defect_reports (project_id, batch, household_id);

SELECT pg_catalog.pg_extension_config_dump('appraisal.delivery_batches', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.deliveries', '');
SELECT pg_catalog.pg_extension_config_dump('appraisal.defect_reports', '');

-- Counts per batch first; project rows add the counts up, never the rates.
CREATE VIEW appraisal.delivery_quality WITH (security_invoker = true) AS
WITH households AS (
  SELECT d.project_id, d.batch, d.household_id,
         d.delivered_on BETWEEN b.window_starts_on AND b.window_ends_on AS in_window,
         coalesce(r.valid_reports, 0) AS valid_reports
  FROM appraisal.deliveries d
  JOIN appraisal.delivery_batches b USING (project_id, batch)
  LEFT JOIN (SELECT project_id, batch, household_id, count(*) AS valid_reports
             FROM appraisal.defect_reports WHERE valid
             GROUP BY project_id, batch, household_id) r USING (project_id, batch, household_id)
), batches AS (
  SELECT b.project_id, b.batch, b.planned_households::bigint AS planned,
         count(h.household_id) AS delivered,
         count(h.household_id) FILTER (WHERE h.in_window) AS delivered_in_window,
         count(h.household_id) FILTER (WHERE h.valid_reports > 0) AS with_defect,
         coalesce(sum(h.valid_reports), 0)::bigint AS valid_reports
  FROM appraisal.delivery_batches b
  LEFT JOIN households h USING (project_id, batch)
  GROUP BY b.project_id, b.batch, b.planned_households
), levels AS (
  SELECT project_id, batch, CASE WHEN GROUPING(batch) = 1 THEN 'project' ELSE 'batch' END AS level,
         sum(planned)::bigint AS planned, sum(delivered)::bigint AS delivered,
         sum(delivered_in_window)::bigint AS delivered_in_window,
         sum(with_defect)::bigint AS with_defect, sum(valid_reports)::bigint AS valid_reports
  FROM batches
  GROUP BY GROUPING SETS ((project_id, batch), (project_id))
)
SELECT project_id, batch, level,
       planned AS planned_households, delivered AS delivered_households, delivered_in_window,
       appraisal.share_percent(delivered_in_window, planned) AS concentrated_delivery_rate,
       with_defect AS households_with_valid_defect,
       delivered - with_defect AS defect_free_households,
       appraisal.share_percent(delivered - with_defect, delivered) AS defect_free_delivery_rate,
       valid_reports AS valid_defect_reports,
       CASE WHEN delivered > 0 THEN div(10000 * valid_reports::numeric, delivered) * 0.0001 END AS defects_per_household
FROM levels;
COMMENT ON VIEW appraisal.delivery_quality IS
  'Delivery quality per batch and per project (DOMAIN §8): concentrated delivery rate = households delivered within the batch''s window / planned; defect-free delivery rate = delivered households without a valid defect report / delivered; defects per household = valid defect reports / delivered households. A household delivered outside the window still took delivery: it counts for the defect rates, not for the concentrated rate. Project rows add up the batches'' counts; every rate is computed from counts and truncated (percentages to 2 decimals, defects per household to 4).';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('project_id', 'Project.'),
    ('batch', 'Batch; NULL on a project''s total row.'),
    ('level', 'batch, or project for the project''s total over its batches.'),
    ('planned_households', 'Households planned (appraisal.delivery_batches).'),
    ('delivered_households', 'Households that took delivery, in or outside the window.'),
    ('delivered_in_window', 'Households that took delivery within the batch''s concentrated-delivery window.'),
    ('concentrated_delivery_rate', '100 * delivered_in_window / planned_households, truncated to two decimals.'),
    ('households_with_valid_defect', 'Delivered households with at least one valid defect report.'),
    ('defect_free_households', 'Delivered households without a valid defect report.'),
    ('defect_free_delivery_rate', '100 * defect_free_households / delivered_households, truncated to two decimals; NULL when nothing was delivered.'),
    ('valid_defect_reports', 'Valid defect reports (appraisal.defect_reports.valid) of the delivered households.'),
    ('defects_per_household', 'valid_defect_reports / delivered_households, truncated to four decimals; NULL when nothing was delivered.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.delivery_quality.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;
-- appraisal install script, part 15: service providers and their penalty
-- ledger (DOMAIN §6).  Installation and repair providers; the penalty rules
-- (amount per order or per case, changed by adding a row valid from a later
-- day); the events the dispatch system, reviews and call-backs report; the
-- ledger that de-duplicates them (one customer's repeated bad reviews in a
-- window count once, an SMS review repeated on the web counts once, reviews
-- about something other than the service are exempt) and prices what is
-- charged; and the provider scorecard, which puts the penalties beside the
-- service KPIs of the provider's technicians.

-- Settings ---------------------------------------------------------------------

ALTER TABLE appraisal.setting_definitions DISABLE TRIGGER refuse_change;
INSERT INTO appraisal.setting_definitions (name, type, min_value, max_value, default_value, description) VALUES
  ('penalty_window', 'interval', NULL, NULL, '1 month',
   'De-duplication window of the provider penalty ledger: 1 month (calendar months) or 1 week (weeks from Monday), in the report time zone. One customer''s repeated bad reviews in a window count once (DOMAIN §6).');
ALTER TABLE appraisal.setting_definitions ENABLE TRIGGER refuse_change;

-- check_setting has made sure the value is a positive interval; the ledger
-- knows two windows only.  Compared as text in a fixed style: as intervals,
-- '30 days' would equal '1 month'.
CREATE FUNCTION appraisal.check_penalty_window() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET intervalstyle = 'postgres' AS $$
BEGIN
  IF NEW.value::interval::text NOT IN ('1 mon', '7 days') THEN
    RAISE EXCEPTION 'invalid value "%" for setting "penalty_window": the window is 1 month or 1 week', NEW.value
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Calendar months (''1 month'') or weeks from Monday (''1 week''), read in the report time zone.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_penalty_window() IS
  'Trigger of appraisal.settings: the setting penalty_window is 1 month or 1 week (after check_setting, which checks it is an interval).';
-- named to fire after check_setting (triggers fire in name order)
CREATE TRIGGER check_setting_penalty_window BEFORE INSERT OR UPDATE ON appraisal.settings
  FOR EACH ROW WHEN (NEW.name = 'penalty_window') EXECUTE FUNCTION appraisal.check_penalty_window();

CREATE FUNCTION appraisal.provider_parameters()
RETURNS TABLE (report_time_zone text, penalty_window text)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 1 BEGIN ATOMIC
  SELECT max(value) FILTER (WHERE name = 'report_time_zone'),
         CASE WHEN extract(month FROM max(value) FILTER (WHERE name = 'penalty_window')::interval) = 1
              THEN 'month' ELSE 'week' END
  FROM appraisal.current_settings;
END;
COMMENT ON FUNCTION appraisal.provider_parameters() IS
  'The settings the penalty ledger reads, as one row: report_time_zone (an event''s day) and penalty_window as month or week.';

-- Normalised customer identity -----------------------------------------------

CREATE FUNCTION appraisal.normalise_phone(phone text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(regexp_replace(phone, '[^0-9]', '', 'g'), '');
COMMENT ON FUNCTION appraisal.normalise_phone(text) IS
  'A phone number as its digits only, for matching: normalise_phone(''138-0013 8000'') = ''13800138000''. A country code stays (''+86 138...'' is another number than ''138...''). NULL when it has no digit.';

CREATE FUNCTION appraisal.normalise_address(address text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN nullif(lower(btrim(regexp_replace(address, '\s+', ' ', 'g'), ' ')), '');
COMMENT ON FUNCTION appraisal.normalise_address(text) IS
  'An address in lower case with each run of white space made one space and none at the ends, for matching: normalise_address(''  12 Nanjing  Rd '') = ''12 nanjing rd''. NULL when blank.';

-- Providers ---------------------------------------------------------------------

CREATE TABLE appraisal.providers (
  provider_id text PRIMARY KEY,
  name        text NOT NULL,
  region      text
);
COMMENT ON TABLE appraisal.providers IS
  'Service providers (installation and repair outlets) appraised on the penalty ledger of DOMAIN §6. Their technicians are employees with provider_id set; their tickets give the provider''s service KPIs.';
COMMENT ON COLUMN appraisal.providers.provider_id IS 'Provider code.';
COMMENT ON COLUMN appraisal.providers.name IS 'Provider name.';
COMMENT ON COLUMN appraisal.providers.region IS 'Region served, for grouping.';

ALTER TABLE appraisal.employees
  ADD COLUMN provider_id text CONSTRAINT "provider must be a known provider" REFERENCES appraisal.providers;
COMMENT ON COLUMN appraisal.employees.provider_id IS
  'Service provider the employee works for (appraisal.providers): a provider''s technician, whose tickets count in the provider''s scorecard. NULL for the company''s own staff.';
CREATE INDEX ON appraisal.employees (provider_id);

SELECT pg_catalog.pg_extension_config_dump('appraisal.providers', '');

-- Penalty rules -------------------------------------------------------------------

CREATE TABLE appraisal.penalty_rules (
  rule_id     text NOT NULL,
  valid_from  date NOT NULL DEFAULT '-infinity'
              CONSTRAINT "a penalty amount cannot be valid only from infinity" CHECK (valid_from < 'infinity'),
  description text NOT NULL,
  amount      numeric NOT NULL
              CONSTRAINT "penalty amount must be a finite amount from 0" CHECK (amount >= 0 AND amount < 'Infinity'),
  unit        text NOT NULL
              CONSTRAINT "penalty unit must be order or case" CHECK (unit IN ('order', 'case')),
  shipped     boolean NOT NULL DEFAULT false,
  PRIMARY KEY (rule_id, valid_from)
);
COMMENT ON TABLE appraisal.penalty_rules IS
  'Penalties per rule (DOMAIN §6): the amount charged per order or per case from a day on. An event is charged the amount of its rule''s row with the latest valid_from on or before the event''s day, so a company changes an amount by adding a row with a later valid_from and earlier events keep theirs. The shipped rules cannot be changed; add rows (and rules) of your own.';
COMMENT ON COLUMN appraisal.penalty_rules.rule_id IS 'Rule: fake_customer_data, service_complaint and peak_understaffing are shipped; a company may add its own.';
COMMENT ON COLUMN appraisal.penalty_rules.valid_from IS 'First day (in the report time zone) the amount applies; -infinity for always.';
COMMENT ON COLUMN appraisal.penalty_rules.description IS 'What the rule penalises.';
COMMENT ON COLUMN appraisal.penalty_rules.amount IS 'Penalty per unit, in the company''s currency.';
COMMENT ON COLUMN appraisal.penalty_rules.unit IS 'order (one charge per order, however often it is reported) or case (every case counts).';
COMMENT ON COLUMN appraisal.penalty_rules.shipped IS 'True for rows installed by the extension, which cannot be changed or deleted.';

INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit, shipped) VALUES
  ('fake_customer_data', '-infinity', 'Fake customer data', 1000, 'order', true),
  ('service_complaint', '-infinity', 'Service-caused complaint', 2000, 'case', true),
  ('peak_understaffing', '-infinity', 'Under-staffing in a peak sales event', 2000, 'case', true);
-- (after the shipped rows: users cannot insert rows marked shipped)
CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.penalty_rules
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('penalty rule', 'rule_id',
    'Insert a row of the rule with a later valid_from: its amount applies from that day.');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.penalty_rules
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('penalty rule');
GRANT SELECT ON appraisal.penalty_rules TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.penalty_rules', 'WHERE NOT shipped');

-- Provider events -------------------------------------------------------------------

CREATE TABLE appraisal.provider_events (
  event_id         text PRIMARY KEY,
  provider_id      text NOT NULL CONSTRAINT "provider must be a known provider" REFERENCES appraisal.providers,
  rule_id          text NOT NULL,
  occurred_at      timestamptz NOT NULL CONSTRAINT "event time must be finite" CHECK (isfinite(occurred_at)),
  order_id         text,
  customer_phone   text,
  customer_address text,
  source           text NOT NULL DEFAULT 'other'
                   CONSTRAINT "source must be web, sms, callback, dispatch, inspection, other"
                   CHECK (source IN ('web', 'sms', 'callback', 'dispatch', 'inspection', 'other')),
  about_service    boolean NOT NULL DEFAULT true,
  note             text,
  -- the same customer, pseudonymised: the ledger de-duplicates on it, so that
  -- readers of the ledger need no right to the phone and address themselves
  customer_key     text GENERATED ALWAYS AS
                   (md5(appraisal.normalise_phone(customer_phone) || '|' || appraisal.normalise_address(customer_address))) STORED,
  CONSTRAINT "fake customer data needs the order" CHECK (rule_id <> 'fake_customer_data' OR order_id IS NOT NULL),
  CONSTRAINT "a service complaint needs phone and address, or the order"
    CHECK (rule_id <> 'service_complaint' OR order_id IS NOT NULL
           OR (appraisal.normalise_phone(customer_phone) IS NOT NULL AND appraisal.normalise_address(customer_address) IS NOT NULL))
);
COMMENT ON TABLE appraisal.provider_events IS
  'What a provider is penalised for (DOMAIN §6), one row per report: a bad review or complaint (service_complaint), fake customer data on an order, under-staffing in a peak sales event, or a rule of your own. The same thing reported twice is de-duplicated by appraisal.penalty_ledger, not here: load every report.';
COMMENT ON COLUMN appraisal.provider_events.event_id IS 'Event identifier (e.g. the review or inspection number).';
COMMENT ON COLUMN appraisal.provider_events.provider_id IS 'Provider penalised (appraisal.providers).';
COMMENT ON COLUMN appraisal.provider_events.rule_id IS 'Penalty rule (appraisal.penalty_rules): fake_customer_data, service_complaint, peak_understaffing or one of your own.';
COMMENT ON COLUMN appraisal.provider_events.occurred_at IS 'When it happened (a review: when it was given); its day in the report time zone picks the window, the period and the amount in effect.';
COMMENT ON COLUMN appraisal.provider_events.order_id IS 'Repair or installation order concerned; required for fake customer data. An SMS and a web review of the same order are one review.';
COMMENT ON COLUMN appraisal.provider_events.customer_phone IS 'Customer''s phone number as given (matched by its digits only).';
COMMENT ON COLUMN appraisal.provider_events.customer_address IS 'Customer''s address as given (matched in lower case, white space collapsed).';
COMMENT ON COLUMN appraisal.provider_events.source IS 'Where the report came from: web (e-commerce review), sms, callback, dispatch (dispatch-system rating), inspection or other.';
COMMENT ON COLUMN appraisal.provider_events.about_service IS 'False for a bad review clearly about something other than the installation service (e.g. the product or the price): exempt, never charged.';
COMMENT ON COLUMN appraisal.provider_events.note IS 'Free text (what the customer said, who checked it).';
COMMENT ON COLUMN appraisal.provider_events.customer_key IS 'Generated: the MD5 of the normalised phone and address, the same for the same customer; NULL without both. The ledger matches customers on it, so a reader of the ledger needs no right to the phone and address.';

-- The rule of an event must be known (a foreign key cannot reference part of
-- penalty_rules' key) and have an amount in effect on the event's day.  The
-- day needs report_time_zone, which a restore loads after the events
-- (pg_dump runs with check_function_bodies off): then only the rule is checked.
CREATE FUNCTION appraisal.check_provider_event() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  day date;
  first_from date;
BEGIN
  SELECT min(valid_from) INTO first_from FROM appraisal.penalty_rules WHERE rule_id = NEW.rule_id;
  IF first_from IS NULL THEN
    RAISE EXCEPTION 'penalty rule "%" of provider event "%" is not a known rule', NEW.rule_id, NEW.event_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Add it to appraisal.penalty_rules first, or check the spelling: '
                   || (SELECT string_agg(DISTINCT format('"%s"', rule_id), ', ' ORDER BY format('"%s"', rule_id))
                       FROM appraisal.penalty_rules) || '.';
  END IF;
  IF current_setting('check_function_bodies')::boolean THEN
    day := (NEW.occurred_at AT TIME ZONE (SELECT report_time_zone FROM appraisal.provider_parameters()))::date;
    IF day < first_from THEN
      RAISE EXCEPTION 'penalty rule "%" has no amount in effect on %, the day of provider event "%"', NEW.rule_id, day, NEW.event_id
        USING ERRCODE = 'foreign_key_violation',
              HINT = format('Its first amount is valid from %s.', first_from);
    END IF;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION appraisal.check_provider_event() IS
  'Trigger of appraisal.provider_events: the rule must be in appraisal.penalty_rules with an amount in effect on the event''s day (report time zone); SQLSTATE 23503 otherwise, as for a foreign key.';
CREATE TRIGGER check_provider_event BEFORE INSERT OR UPDATE OF rule_id, occurred_at ON appraisal.provider_events
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_provider_event();

-- ... and stays so when rows of penalty_rules change or go.
CREATE FUNCTION appraisal.check_penalty_rule_use() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  tz text := (SELECT report_time_zone FROM appraisal.provider_parameters());
  orphan record;
BEGIN
  SELECT e.event_id, (e.occurred_at AT TIME ZONE tz)::date AS day INTO orphan
  FROM appraisal.provider_events e
  WHERE e.rule_id = OLD.rule_id
    AND NOT EXISTS (SELECT 1 FROM appraisal.penalty_rules r
                    WHERE r.rule_id = e.rule_id AND r.valid_from <= (e.occurred_at AT TIME ZONE tz)::date)
  ORDER BY e.occurred_at, e.event_id
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'provider event "%" (%) would be left without an amount of penalty rule "%" in effect', orphan.event_id, orphan.day, OLD.rule_id
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Keep a row of the rule valid from that day or earlier, or delete the rule''s events first.';
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION appraisal.check_penalty_rule_use() IS
  'Trigger of appraisal.penalty_rules: a row cannot be changed or deleted if an event of its rule would be left without an amount in effect on its day (SQLSTATE 23503).';
CREATE TRIGGER check_penalty_rule_use AFTER UPDATE OR DELETE ON appraisal.penalty_rules
  FOR EACH ROW EXECUTE FUNCTION appraisal.check_penalty_rule_use();

CREATE INDEX ON appraisal.provider_events (provider_id, occurred_at);
CREATE INDEX ON appraisal.provider_events (rule_id);
SELECT pg_catalog.pg_extension_config_dump('appraisal.provider_events', '');

-- The penalty ledger ---------------------------------------------------------------
--
-- Every event once, with its status, decided in this order (each step sees
-- only the events the steps before it left undecided; ties go to the
-- earlier event, then the smaller event_id in byte order, whatever the
-- database's collation):
--   (a) about_service = false: exempt;
--   (b) an SMS review repeated by a web review (same provider, rule and
--       order): duplicate of the web one (the earliest), in any window;
--   (c) service_complaint: one customer in one window: the earliest counts,
--       the others are duplicates of it.  The customer is customer_key (the
--       same phone and address); a complaint without them is the customer of
--       its order: the phone and address of the order's earliest complaint
--       that has them (one judged here first; an exempt review or an SMS twin
--       still tells who the customer is), else the order alone.  One
--       customer's order is not charged twice because a report lacked them;
--   (d) a rule charged per order (fake_customer_data): one order counts once,
--       in any window;
--   (e) anything else (peak_understaffing, per case): every event counts.
-- What counts is charged the amount of its rule in effect on its day.
CREATE VIEW appraisal.penalty_ledger WITH (security_invoker = true) AS
WITH params AS (
  SELECT * FROM appraisal.provider_parameters()
), ev AS (
  SELECT e.event_id, e.provider_id, e.rule_id, e.source, e.order_id, e.occurred_at, e.about_service,
         e.customer_key, d.occurred_on,
         CASE p.penalty_window WHEN 'week' THEN date_trunc('week', d.occurred_on::timestamp)::date
                               ELSE date_trunc('month', d.occurred_on::timestamp)::date END AS window_starts_on,
         p.penalty_window,
         r.amount, coalesce(r.unit, f.unit) AS unit, r.valid_from, r.description
  FROM appraisal.provider_events e
  CROSS JOIN params p
  CROSS JOIN LATERAL (SELECT (e.occurred_at AT TIME ZONE p.report_time_zone)::date AS occurred_on) d
  LEFT JOIN LATERAL (SELECT r.amount, r.unit, r.valid_from, r.description FROM appraisal.penalty_rules r
                     WHERE r.rule_id = e.rule_id AND r.valid_from <= d.occurred_on
                     ORDER BY r.valid_from DESC LIMIT 1) r ON true
  LEFT JOIN LATERAL (SELECT r.unit FROM appraisal.penalty_rules r       -- (only when none is in effect)
                     WHERE r.rule_id = e.rule_id ORDER BY r.valid_from LIMIT 1) f ON r.unit IS NULL
), web_twin AS (   -- (b)
  SELECT DISTINCT ON (s.event_id) s.event_id, w.event_id AS web_event_id
  FROM ev s
  JOIN ev w ON w.provider_id = s.provider_id AND w.rule_id = s.rule_id AND w.order_id = s.order_id
           AND w.source = 'web' AND w.about_service
  WHERE s.source = 'sms' AND s.about_service
  ORDER BY s.event_id, w.occurred_at, w.event_id COLLATE "C"
), identified AS (   -- (c): a complaint without phone and address takes its order's customer
  SELECT ev.*, ev.about_service AND t.event_id IS NULL AS judged,
         CASE WHEN ev.rule_id = 'service_complaint' AND ev.customer_key IS NULL AND ev.order_id IS NOT NULL
              THEN first_value(ev.customer_key) OVER (
                     PARTITION BY ev.provider_id, ev.rule_id, ev.order_id
                     ORDER BY ev.customer_key IS NULL, NOT (ev.about_service AND t.event_id IS NULL),
                              ev.occurred_at, ev.event_id COLLATE "C") END AS order_customer_key
  FROM ev
  LEFT JOIN web_twin t ON t.event_id = ev.event_id
), keyed AS (      -- (c), (d), (e): what makes two events one
  SELECT i.*,
         coalesce(i.customer_key, i.order_customer_key) AS match_key,
         i.order_customer_key IS NOT NULL AS key_from_order,
         CASE WHEN i.rule_id = 'service_complaint' AND coalesce(i.customer_key, i.order_customer_key) IS NOT NULL THEN 'customer'
              WHEN i.rule_id = 'service_complaint' THEN 'order'
              WHEN i.unit = 'order' AND i.order_id IS NOT NULL THEN 'order'
              ELSE 'case' END AS matched_by,
         CASE WHEN i.rule_id = 'service_complaint' THEN i.window_starts_on END AS within_window
  FROM identified i
  WHERE i.judged
), judged AS (
  SELECT k.event_id, k.matched_by, k.key_from_order,
         first_value(k.event_id) OVER w AS counted_event_id,
         first_value(k.key_from_order) OVER w AS counted_key_from_order,
         first_value(k.order_id) OVER w AS counted_order_id
  FROM keyed k
  WINDOW w AS (PARTITION BY k.provider_id, k.rule_id, k.within_window, k.matched_by,
                            CASE k.matched_by WHEN 'customer' THEN k.match_key WHEN 'order' THEN k.order_id
                                              ELSE k.event_id END
               ORDER BY k.occurred_at, k.event_id COLLATE "C")
)
SELECT ev.event_id, ev.provider_id, ev.rule_id, ev.source, ev.order_id, ev.occurred_at, ev.occurred_on,
       ev.window_starts_on, s.status,
       coalesce(t.web_event_id, nullif(j.counted_event_id, ev.event_id)) AS duplicate_of,
       CASE
         WHEN NOT ev.about_service THEN 'exempt: about something other than the installation service'
         WHEN t.web_event_id IS NOT NULL
           THEN format('duplicate: the SMS review repeated by web review %s of order %s (the web one counts)',
                       t.web_event_id, ev.order_id)
         WHEN s.status = 'duplicate' AND j.matched_by = 'customer' AND j.key_from_order
           THEN format('duplicate: the same customer (the phone and address of order %s''s other reports) as %s in the %s from %s',
                       ev.order_id, j.counted_event_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate' AND j.matched_by = 'customer' AND j.counted_key_from_order
           THEN format('duplicate: the same customer (phone and address) as %s, a report of their order %s, in the %s from %s',
                       j.counted_event_id, j.counted_order_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate' AND j.matched_by = 'customer'
           THEN format('duplicate: the same customer (phone and address) as %s in the %s from %s',
                       j.counted_event_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate' AND ev.rule_id = 'service_complaint'
           THEN format('duplicate: the same order %s as %s in the %s from %s',
                       ev.order_id, j.counted_event_id, ev.penalty_window, ev.window_starts_on)
         WHEN s.status = 'duplicate'
           THEN format('duplicate: order %s counted once, by %s', ev.order_id, j.counted_event_id)
         WHEN ev.amount IS NULL
           THEN format('charged, but rule %s has no amount in effect on %s', ev.rule_id, ev.occurred_on)
         ELSE format('charged: %s, %s per %s%s', ev.description, ev.amount, ev.unit,
                     CASE WHEN ev.valid_from > '-infinity' THEN format(' (from %s)', ev.valid_from) ELSE '' END)
       END AS reason,
       CASE WHEN s.status = 'charged' THEN ev.amount ELSE 0 END AS amount,
       ev.unit
FROM ev
LEFT JOIN web_twin t ON t.event_id = ev.event_id
LEFT JOIN judged j ON j.event_id = ev.event_id
CROSS JOIN LATERAL (
  SELECT CASE WHEN NOT ev.about_service THEN 'exempt'
              WHEN t.web_event_id IS NOT NULL OR j.counted_event_id <> ev.event_id THEN 'duplicate'
              ELSE 'charged' END AS status
) s;
COMMENT ON VIEW appraisal.penalty_ledger IS
  'Every provider event once, with what it costs the provider (DOMAIN §6), decided in this order: (a) a review not about the installation service is exempt; (b) an SMS review repeated by a web review of the same order is a duplicate of the web one; (c) a service complaint of a customer (same phone and address; a complaint without them is the customer of its order, named by the order''s earliest complaint with them, one the ledger judges before an SMS twin or an exempt review; else the order alone) already counted in the window (penalty_window: the calendar month, or the week, of the day in report_time_zone) is a duplicate of the earliest; (d) a rule charged per order counts an order once; (e) anything else counts every case. Ties go to the earlier event, then the smaller event_id (byte order). Charged events cost their rule''s amount in effect on their day.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT * FROM (VALUES
    ('event_id', 'Event (appraisal.provider_events).'),
    ('provider_id', 'Provider (appraisal.providers).'),
    ('rule_id', 'Penalty rule (appraisal.penalty_rules).'),
    ('source', 'Where the report came from: web, sms, callback, dispatch, inspection or other.'),
    ('order_id', 'Order concerned, if known.'),
    ('occurred_at', 'When it happened.'),
    ('occurred_on', 'Its day in the report time zone: picks the window, the period and the amount in effect.'),
    ('window_starts_on', 'First day of its de-duplication window: the month (or, with penalty_window 1 week, the Monday) of occurred_on.'),
    ('status', 'charged (counts and costs amount), duplicate (the same thing as duplicate_of, not charged again) or exempt (not about the installation service, not charged).'),
    ('duplicate_of', 'For a duplicate, the event it repeats: the web review of an SMS review, else the customer''s or order''s event that counted; NULL otherwise.'),
    ('reason', 'Why the event has its status, in words (the rule and the event it repeats, or the amount charged).'),
    ('amount', 'Amount charged: the rule''s amount in effect on occurred_on for a charged event (NULL if none is), 0 otherwise.'),
    ('unit', 'order or case: what the rule''s amount is per.')) v(col, txt)
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.penalty_ledger.%I IS %L', c.col, c.txt);
  END LOOP;
END
$$;

-- The provider scorecard -------------------------------------------------------
--
-- Per provider and period: the ledger's events of the days in the period,
-- and the service measures of the provider's technicians, pooled from their
-- summaries exactly as team_scorecard pools a team's (rollup, never rates
-- averaged).  A provider appears in a period in which it has either.
CREATE VIEW appraisal.provider_scorecard WITH (security_invoker = true) AS
WITH penalties AS (
  SELECT l.provider_id, p.period, count(*) AS events,
         count(*) FILTER (WHERE l.status = 'charged') AS charged_events,
         count(*) FILTER (WHERE l.status = 'duplicate') AS duplicates,
         count(*) FILTER (WHERE l.status = 'exempt') AS exempt,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'fake_customer_data') AS fake_data_orders,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'service_complaint') AS complaint_cases,
         count(*) FILTER (WHERE l.status = 'charged' AND l.rule_id = 'peak_understaffing') AS understaffing_cases,
         coalesce(sum(l.amount) FILTER (WHERE l.status = 'charged'), 0) AS penalty_amount
  FROM appraisal.penalty_ledger l
  JOIN appraisal.periods p ON l.occurred_on BETWEEN p.starts_on AND p.ends_on
  GROUP BY l.provider_id, p.period
), pooled AS (
  SELECT e.provider_id, s.period, count(*) AS technicians, sum(s.tickets)::bigint AS tickets,
         appraisal.rollup(s.first_response) AS first_response, appraisal.rollup(s.resolution) AS resolution,
         appraisal.rollup(s.fcr) AS fcr, sum(s.responses)::bigint AS responses, sum(s.satisfied)::bigint AS satisfied,
         sum(s.complaints)::bigint AS complaints, sum(s.service_complaints)::bigint AS service_complaints,
         sum(s.system_complaints)::bigint AS system_complaints, max(s.as_of) AS as_of
  FROM appraisal.agent_period_summaries() s
  JOIN appraisal.employees e ON e.employee_id = s.agent_id
  WHERE e.provider_id IS NOT NULL
  GROUP BY e.provider_id, s.period
), both_sides AS (
  SELECT coalesce(x.provider_id, t.provider_id) AS provider_id, coalesce(x.period, t.period) AS period,
         x.events, x.charged_events, x.duplicates, x.exempt, x.fake_data_orders, x.complaint_cases,
         x.understaffing_cases, x.penalty_amount,
         t.technicians, t.tickets, t.first_response, t.resolution, t.fcr, t.responses, t.satisfied,
         t.complaints, t.service_complaints, t.system_complaints, t.as_of
  FROM penalties x
  FULL JOIN pooled t ON t.provider_id = x.provider_id AND t.period = x.period
)
SELECT b.provider_id, v.name, p.period, p.kind AS period_kind, p.starts_on, p.ends_on,
       coalesce(b.events, 0) AS events, coalesce(b.charged_events, 0) AS charged_events,
       coalesce(b.duplicates, 0) AS duplicates, coalesce(b.exempt, 0) AS exempt,
       coalesce(b.fake_data_orders, 0) AS fake_data_orders, coalesce(b.complaint_cases, 0) AS complaint_cases,
       coalesce(b.understaffing_cases, 0) AS understaffing_cases, coalesce(b.penalty_amount, 0) AS penalty_amount,
       coalesce(b.technicians, 0) AS technicians,
       m.*, b.as_of
FROM both_sides b
JOIN appraisal.providers v ON v.provider_id = b.provider_id
JOIN appraisal.periods p ON p.period = b.period
CROSS JOIN LATERAL appraisal.service_measures(coalesce(b.tickets, 0), b.first_response, b.resolution, b.fcr,
                                              coalesce(b.responses, 0), coalesce(b.satisfied, 0),
                                              coalesce(b.complaints, 0), coalesce(b.service_complaints, 0),
                                              coalesce(b.system_complaints, 0)) m;
COMMENT ON VIEW appraisal.provider_scorecard IS
  'Per service provider and period (every period of appraisal.periods in which the provider has events or its technicians have tickets): the penalty ledger''s events of the days in the period by status, the charged ones by rule and their total amount (DOMAIN §6); and the service measures of the provider''s technicians (employees with its provider_id), their summaries pooled as in appraisal.team_scorecard. Ticket measures are read from the materialized summaries as of their last refresh; the penalties are read live.';
DO $$
DECLARE
  c record;
BEGIN
  FOR c IN
    WITH doc(col, txt) AS (VALUES
      ('provider_id', 'Provider (appraisal.providers).'),
      ('name', 'Provider name.'),
      ('period_kind', 'Kind of period: quarter, half_year or year.'),
      ('events', 'Provider events whose day falls in the period, whatever their status.'),
      ('charged_events', 'Events charged (status charged).'),
      ('duplicates', 'Events not charged because they repeat another (an SMS review repeated on the web, the same customer in a window, the same order).'),
      ('exempt', 'Events not charged because they are not about the installation service.'),
      ('fake_data_orders', 'Orders charged for fake customer data.'),
      ('complaint_cases', 'Service-caused complaints (bad reviews) charged, after de-duplication.'),
      ('understaffing_cases', 'Cases of under-staffing in peak sales events charged.'),
      ('penalty_amount', 'Total amount charged in the period: each charged event at its rule''s amount in effect on its day (rules of your own included).'),
      ('technicians', 'The provider''s technicians (employees with its provider_id) with tickets in the period.'),
      ('tickets', 'Tickets of the provider''s technicians opened in the period (0 without any; the measures are then NULL and the grade ''insufficient data'').'),
      ('as_of', 'When the ticket summaries were computed (the last refresh); NULL without tickets. The penalties are read live.'))
    SELECT a.attname, coalesce(d.txt, col_description('appraisal.team_scorecard'::regclass, t.attnum)) AS txt
    FROM pg_attribute a
    LEFT JOIN doc d ON d.col = a.attname
    LEFT JOIN pg_attribute t ON t.attrelid = 'appraisal.team_scorecard'::regclass AND t.attname = a.attname
    WHERE a.attrelid = 'appraisal.provider_scorecard'::regclass AND a.attnum > 0
  LOOP
    EXECUTE format('COMMENT ON COLUMN appraisal.provider_scorecard.%I IS %L', c.attname, c.txt);
  END LOOP;
END
$$;
-- appraisal install script, last part: generate_demo_data, a realistic and
-- deterministic data set of any size for the demo, tests and benchmarks.  It
-- fills every table, so it comes after all of them (an update script drops
-- the previous version's and creates it again).
--
-- Every random choice is a hash of a key: demo_uniform(ticket number, stream)
-- with one stream per attribute, or, for the small tables, of the first 32
-- bits of the MD5 of a text key.  So the same arguments give the same rows on
-- any machine and in any plan order.  Everything is set-based (INSERT ...
-- SELECT over generate_series): no row loops.

CREATE FUNCTION appraisal.demo_uniform(key bigint, stream integer) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (hashint8extended(key, stream) & 9007199254740991)::double precision / 9007199254740992::double precision;
COMMENT ON FUNCTION appraisal.demo_uniform(bigint, integer) IS
  'A number in [0, 1) determined by the key and the stream (53 bits of hashint8extended(key, stream); keys below 2^32 give independent numbers): the repeatable randomness of generate_demo_data, one stream per attribute.';

CREATE FUNCTION appraisal.generate_demo_data(agents integer DEFAULT 24, tickets integer DEFAULT 20000,
                                             year integer DEFAULT NULL, replace boolean DEFAULT false)
RETURNS TABLE (table_name text, rows bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  zone constant text := 'Asia/Shanghai';
  this_year constant integer := extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::integer;
  y constant integer := coalesce(year, this_year - 1);
  y_start constant timestamptz := make_date(y, 1, 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
  -- tickets arrive in [y_start, y_stop): the year, or the part of it that has passed
  y_stop constant timestamptz := least(make_date(y + 1, 1, 1)::timestamp AT TIME ZONE 'Asia/Shanghai', now());
  team_names constant text[] := ARRAY['north', 'south', 'east', 'west', 'central', 'online'];
  surnames constant text[] := ARRAY['Chen', 'Zhao', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu',
                                    'Guo', 'He', 'Lin', 'Gao', 'Luo', 'Zheng', 'Liang', 'Xie', 'Song', 'Tang'];
  given_names constant text[] := ARRAY['Jing', 'Lei', 'Min', 'Jie', 'Tao', 'Yan', 'Qiang', 'Hui', 'Bo', 'Xin',
                                       'Ping', 'Hao', 'Ying', 'Jun', 'Fei', 'Lan', 'Yu', 'Chao', 'Mei', 'Kai'];
  n_teams integer;
  width integer;          -- digits of an agent number
  s_width integer;        -- digits of a supervisor number
  cal appraisal.business_calendar;
  days date[];            -- the working days tickets arrive on, Mondays and days after a break repeated
  rush_from date := make_date(y, 11, 11);                            -- Double 11 deliveries
  outage_from date := date_trunc('week', make_date(y, 3, 20))::date;  -- a billing-system outage week
  n_comebacks integer;
  n_base integer;
  t text;
BEGIN
  IF agents IS NULL OR agents < 3 OR agents > 100000 THEN
    RAISE EXCEPTION 'generate_demo_data needs 3 to 100000 agents, not %', coalesce(agents::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF tickets IS NULL OR tickets < 0 OR tickets > 100000000 THEN
    RAISE EXCEPTION 'generate_demo_data needs 0 to 100000000 tickets, not %', coalesce(tickets::text, 'NULL')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF y < 1901 OR y > this_year THEN
    RAISE EXCEPTION 'generate_demo_data needs a year from 1901 to %, not %', this_year, y
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Tickets of a year that has not begun would lie in the future.';
  END IF;
  IF EXISTS (SELECT 1 FROM appraisal.employees) OR EXISTS (SELECT 1 FROM appraisal.periods)
     OR EXISTS (SELECT 1 FROM appraisal.settings) OR EXISTS (SELECT 1 FROM appraisal.sla_policies)
     OR EXISTS (SELECT 1 FROM appraisal.kpi_definitions) OR EXISTS (SELECT 1 FROM appraisal.customers)
     OR EXISTS (SELECT 1 FROM appraisal.delivery_batches) OR EXISTS (SELECT 1 FROM appraisal.providers) THEN
    IF NOT replace THEN
      RAISE EXCEPTION 'the appraisal tables already hold data'
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'generate_demo_data(replace => true) deletes every row of employees, periods, settings, sla_policies, tickets, survey_responses, reviews_360, kpi_definitions, kpi_results, customers, customer_figures, customer_credit, survey_runs (with customer_surveys and customer_survey_answers), delivery_batches (with deliveries and defect_reports), providers and provider_events first.';
    END IF;
    TRUNCATE appraisal.survey_responses, appraisal.tickets;   -- the big ones; DELETE would cascade row by row
    DELETE FROM appraisal.kpi_results;
    DELETE FROM appraisal.kpi_definitions;
    DELETE FROM appraisal.reviews_360;
    DELETE FROM appraisal.sla_policies;
    DELETE FROM appraisal.survey_runs;   -- with their questionnaires sent and answers
    DELETE FROM appraisal.delivery_batches;   -- with their deliveries and defect reports
    DELETE FROM appraisal.provider_events;
    UPDATE appraisal.employees SET provider_id = NULL;
    DELETE FROM appraisal.providers;
    DELETE FROM appraisal.customer_credit;
    DELETE FROM appraisal.customer_figures;
    DELETE FROM appraisal.customers;
    DELETE FROM appraisal.periods;
    UPDATE appraisal.employees SET manager_id = NULL;
    DELETE FROM appraisal.employees;
    DELETE FROM appraisal.settings;
  END IF;

  -- A Shanghai office with a lunch break.  2025 has the official public
  -- holidays and make-up workdays (调休); other years only the fixed-date ones.
  cal := (zone || '; Mon-Fri 09:00-12:00,13:00-18:00; '
          || CASE WHEN y = 2025
                  THEN 'holidays 2025-01-01, 2025-01-28..2025-02-04, 2025-04-04..2025-04-06, 2025-05-01..2025-05-05, '
                       '2025-05-31..2025-06-02, 2025-10-01..2025-10-08; '
                       'workdays 2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11'
                  ELSE format('holidays %1$s-01-01, %1$s-05-01..%1$s-05-05, %1$s-10-01..%1$s-10-07', y) END
         )::appraisal.business_calendar;
  DELETE FROM appraisal.business_calendars WHERE name = 'demo_cn_office';
  INSERT INTO appraisal.business_calendars (name, calendar, description)
  VALUES ('demo_cn_office', cal, 'Demo office of generate_demo_data: Shanghai, Mon-Fri 09:00-18:00 with a lunch break, public holidays');

  -- Days are read in Shanghai; spikes need 25 complaints a week at the default size
  -- (fewer would let chance weeks of the biggest category through).
  INSERT INTO appraisal.settings (name, value)
  VALUES ('report_time_zone', zone), ('spike_min_complaints', greatest(5, least(50, tickets / 800))::text);
  PERFORM appraisal.add_periods(y);

  INSERT INTO appraisal.sla_policies (metric, channel, priority, target, calendar, description) VALUES
    ('first_response', 'phone', NULL, '4 hours', 'demo_cn_office', 'Phone: call back within 4 working hours'),
    ('first_response', 'email', NULL, '24 hours', '24x7', 'E-mail: answer within 24 hours (DOMAIN §5)'),
    ('first_response', 'social', NULL, '2 hours', 'demo_cn_office', 'Social media: answer within 2 working hours (speed, DOMAIN §4)'),
    ('first_response', NULL, NULL, '1 day', 'demo_cn_office', 'Other channels: answer within one working day'),
    ('resolution', NULL, NULL, '3 days', 'demo_cn_office', 'Resolve within 3 working days (DOMAIN §4)'),
    ('resolution', NULL, 'high', '48 hours', '24x7', 'High priority: resolve within 48 hours (DOMAIN §4)');

  -- People: a service manager, a supervisor per team of about eight, the
  -- agents spread over the teams.  skill drives every measure of a person.
  n_teams := greatest(1, round(agents / 8.0)::integer);
  width := greatest(3, length(agents::text));
  s_width := length(n_teams::text) + 1;
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  VALUES ('M01', 'Wang Fang', 'manager', 'service centre', NULL);
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  SELECT format('S%s', lpad(k::text, s_width, '0')),
         coalesce((ARRAY['Li Na', 'Zhang Wei', 'Liu Yang'])[k],
                  surnames[1 + (agents + k - 1) % 20] || ' ' || given_names[1 + ((agents + k - 1) % 20 + (agents + k - 1) / 20) % 20]
                  || CASE WHEN agents + k > 400 THEN ' ' || ((agents + k - 1) / 400 + 1) ELSE '' END),
         'supervisor', coalesce(team_names[k], 'team ' || k), 'M01'
  FROM generate_series(1, n_teams) k;
  INSERT INTO appraisal.employees (employee_id, name, position, team, manager_id)
  SELECT format('A%s', lpad(i::text, width, '0')),
         surnames[1 + (i - 1) % 20] || ' ' || given_names[1 + ((i - 1) % 20 + (i - 1) / 20) % 20]
         || CASE WHEN i > 400 THEN ' ' || ((i - 1) / 400 + 1) ELSE '' END,
         'specialist', coalesce(team_names[1 + (i - 1) % n_teams], 'team ' || 1 + (i - 1) % n_teams),
         format('S%s', lpad((1 + (i - 1) % n_teams)::text, s_width, '0'))
  FROM generate_series(1, agents) i;

  IF to_regclass('pg_temp.demo_staff') IS NOT NULL THEN   -- a second call in one transaction
    DROP TABLE pg_temp.demo_staff;
  END IF;
  CREATE TEMP TABLE demo_staff ON COMMIT DROP AS
  SELECT e.employee_id, e.position, e.team,
         CASE WHEN e.position = 'specialist' THEN substr(e.employee_id, 2)::integer END AS k,
         CASE e.employee_id WHEN 'A' || lpad('1', width, '0') THEN 0.97     -- a star
                            WHEN 'A' || lpad('2', width, '0') THEN 0.2      -- needs help
                            WHEN 'M01' THEN 0.8
              ELSE CASE e.position   -- most agents good, a few weak
                     WHEN 'specialist' THEN 1 - 0.85 * power(appraisal.demo_uniform(('x' || left(md5('skill/' || e.employee_id), 8))::bit(32)::bigint, 0), 3)
                     ELSE 0.45 + 0.5 * appraisal.demo_uniform(('x' || left(md5('skill/' || e.employee_id), 8))::bit(32)::bigint, 0) END
         END AS skill
  FROM appraisal.employees e;
  CREATE UNIQUE INDEX ON demo_staff (k);
  ANALYZE demo_staff;

  -- The working days, weighted: Mondays and the first day after a break of
  -- more than a weekend carry the backlog.  Only whole days that have passed.
  SELECT array_agg(d ORDER BY d, r) INTO days
  FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
          FROM generate_series(make_date(y, 1, 1), make_date(y, 12, 31), interval '1 day') g(ts)
          CROSS JOIN LATERAL (SELECT g.ts::date AS d) x
         WHERE appraisal.business_elapsed(d::timestamp AT TIME ZONE zone, (d + 1)::timestamp AT TIME ZONE zone, cal) > interval '0'
           AND (d + 1)::timestamp AT TIME ZONE zone <= y_stop) w
  CROSS JOIN generate_series(1, CASE WHEN w.d - w.prev > 3 THEN 4 WHEN extract(isodow FROM w.d) = 1 THEN 3 ELSE 2 END) r;
  IF days IS NULL THEN
    RAISE EXCEPTION 'no working day of % has passed yet', y
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Pass an earlier year.';
  END IF;

  -- Tickets in two rounds through one temporary table of arrivals: first
  -- the customers' first contacts, then the comebacks of some of them, which
  -- need the first ticket's resolution.  Six in a hundred tickets are
  -- comebacks, most of them in the same category within the repeat window
  -- (a recurrence), more often after a weak agent, several contacts or a
  -- complaint.
  n_comebacks := tickets * 6 / 100;
  n_base := tickets - n_comebacks;
  IF to_regclass('pg_temp.demo_arrivals') IS NOT NULL THEN
    DROP TABLE pg_temp.demo_arrivals;
  END IF;
  CREATE TEMP TABLE demo_arrivals (i bigint, opened_at timestamptz, channel text, priority text, category text,
                                   complaint boolean, cause text, customer_id text, agent_id text,
                                   skill double precision) ON COMMIT DROP;
  FOR step IN 1 .. 2 LOOP
    TRUNCATE demo_arrivals;
    IF step = 1 THEN
      -- 88 % in office hours of a working day (phone, e-mail, web, social),
      -- 12 % at any time of the year (online channels only).  A few
      -- categories carry most complaints; the complaints caused by company
      -- policy or systems do not depend on the agent, the service-caused ones
      -- do.  Delivery complaints spike for two weeks after Double 11 and
      -- billing ones in a week of a billing-system outage in March (both
      -- mostly system-caused).
      INSERT INTO demo_arrivals
      SELECT g.i, o.opened_at, o.channel,
             CASE WHEN c.complaint THEN CASE WHEN appraisal.demo_uniform(g.i, 9) < 0.4 THEN 'high' ELSE 'normal' END
                  WHEN appraisal.demo_uniform(g.i, 9) < 0.05 THEN 'high'
                  WHEN appraisal.demo_uniform(g.i, 9) < 0.2 THEN 'low' ELSE 'normal' END,
             c.category, c.complaint,
             CASE WHEN c.complaint AND appraisal.demo_uniform(g.i, 10) >= 0.07 THEN
               CASE WHEN appraisal.demo_uniform(g.i, 11) * c.p_total < c.p_service THEN 'service' ELSE 'system' END END,
             'C' || lpad(floor(appraisal.demo_uniform(g.i, 12) * greatest(tickets / 3, 10))::text, 7, '0'),
             a.employee_id, a.skill
      FROM generate_series(1, n_base) g(i)
      JOIN demo_staff a ON a.k = 1 + floor(appraisal.demo_uniform(g.i, 1) * agents)::integer
      CROSS JOIN LATERAL (
        SELECT x.opened_at, (x.opened_at AT TIME ZONE zone)::date AS day,
               CASE WHEN x.office THEN
                      CASE WHEN appraisal.demo_uniform(g.i, 5) < 0.45 THEN 'phone' WHEN appraisal.demo_uniform(g.i, 5) < 0.65 THEN 'email'
                           WHEN appraisal.demo_uniform(g.i, 5) < 0.87 THEN 'web' ELSE 'social' END
                    ELSE CASE WHEN appraisal.demo_uniform(g.i, 5) < 0.45 THEN 'web' WHEN appraisal.demo_uniform(g.i, 5) < 0.8 THEN 'email'
                              ELSE 'social' END END AS channel
        FROM (SELECT appraisal.demo_uniform(g.i, 2) >= 0.12 AS office,
                     CASE WHEN appraisal.demo_uniform(g.i, 2) >= 0.12
                          THEN (days[1 + floor(appraisal.demo_uniform(g.i, 3) * cardinality(days))::integer] + time '09:00'
                                + round(9 * 3600 * power(appraisal.demo_uniform(g.i, 4), 1.25)) * interval '1 second') AT TIME ZONE zone
                          ELSE y_start + floor(appraisal.demo_uniform(g.i, 3) * extract(epoch FROM y_stop - y_start)) * interval '1 second'
                     END AS opened_at) x
        OFFSET 0) o
      CROSS JOIN LATERAL (
        SELECT k.category, k.p_service, k.p_total, appraisal.demo_uniform(g.i, 8) < k.p_total AS complaint
        FROM (SELECT k0.category, k0.p_service * (1.6 - a.skill) AS p_service,
                     k0.p_service * (1.6 - a.skill) + k0.p_system
                     + CASE WHEN k0.category = 'delivery' AND o.day BETWEEN rush_from AND rush_from + 13 THEN 0.3
                            WHEN k0.category = 'billing' AND o.day BETWEEN outage_from AND outage_from + 4 THEN 0.5
                            ELSE 0 END AS p_total
                FROM (SELECT CASE WHEN o.day BETWEEN rush_from AND rush_from + 13 AND appraisal.demo_uniform(g.i, 6) < 0.3 THEN 'delivery'
                                  WHEN o.day BETWEEN outage_from AND outage_from + 4 AND appraisal.demo_uniform(g.i, 6) < 0.25 THEN 'billing'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.30 THEN 'installation'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.52 THEN 'delivery'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.66 THEN 'billing'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.78 THEN 'product defect'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.87 THEN 'spare parts'
                                  WHEN appraisal.demo_uniform(g.i, 7) < 0.94 THEN 'warranty'
                                  ELSE 'other' END AS category) kc
                JOIN (VALUES ('installation', 0.10, 0.03), ('delivery', 0.05, 0.04), ('billing', 0.02, 0.03),
                             ('product defect', 0.03, 0.12), ('spare parts', 0.02, 0.03), ('warranty', 0.02, 0.05),
                             ('other', 0.02, 0.01)) k0(category, p_service, p_system) USING (category)) k
        OFFSET 0) c;
    ELSE
      -- The comebacks: a weighted sample without replacement (the smallest
      -- -ln(u) / weight), back after a working day or two, some much later;
      -- phoned in more often, to the same agent more often than not.
      INSERT INTO demo_arrivals
      SELECT n_base + row_number() OVER (ORDER BY b.draw, b.i), b.opened_at,
             CASE WHEN appraisal.demo_uniform(b.i, 42) < 0.6 THEN 'phone' ELSE b.channel END,
             CASE WHEN b.complaint AND appraisal.demo_uniform(b.i, 43) < 0.5 THEN 'high' ELSE 'normal' END,
             b.category, b.complaint,
             CASE WHEN b.complaint AND appraisal.demo_uniform(b.i, 44) >= 0.07 THEN
               CASE WHEN appraisal.demo_uniform(b.i, 45) < 0.7 THEN 'service' ELSE 'system' END END,
             b.customer_id, a.employee_id, a.skill
      FROM (SELECT s.i, s.draw, s.channel, s.category, s.customer_id,
                   CASE WHEN appraisal.demo_uniform(s.i, 46) < 0.55 THEN s.agent_id END AS same_agent,
                   appraisal.demo_uniform(s.i, 47) < 0.25 AS complaint,
                   appraisal.business_due(s.resolved_at,
                     round(3600 * least(80, -ln(1 - appraisal.demo_uniform(s.i, 48))
                                            * CASE WHEN appraisal.demo_uniform(s.i, 49) < 0.8 THEN 12 ELSE 60 END)) * interval '1 second',
                     cal) AS opened_at
              FROM (SELECT substr(t.ticket_id, 2)::bigint AS i, t.*,
                           -ln(1 - appraisal.demo_uniform(substr(t.ticket_id, 2)::bigint, 41))
                           / (power(1.1 - st.skill, 2) * CASE WHEN t.contacts > 1 THEN 1.5 ELSE 1 END
                                                       * CASE WHEN t.complaint THEN 1.5 ELSE 1 END) AS draw
                      FROM appraisal.tickets t JOIN demo_staff st ON st.employee_id = t.agent_id
                     WHERE t.resolved_at < y_stop - interval '20 days'
                     ORDER BY draw, i
                     LIMIT n_comebacks) s) b
      JOIN demo_staff a
        ON a.employee_id = coalesce(b.same_agent, 'A' || lpad((1 + floor(appraisal.demo_uniform(b.i, 50) * agents)::integer)::text, width, '0'))
      WHERE b.opened_at < y_stop;   -- only when now cuts a year short
    END IF;

    -- Handling: the agents answer and resolve in office hours (business
    -- time on the office calendar), faster the better they are; phone and
    -- social media first.  6 % wait for the customer for a while after the
    -- first reply (a pause), some stay unanswered or open, complaints take
    -- longer and are less often solved at the first contact.  Nothing lies
    -- after now (a year still running has pending tickets).
    INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority,
                                   category, complaint, cause, customer_id, agent_id, pauses)
    SELECT 'T' || lpad(r.i::text, 9, '0'), r.opened_at,
           CASE WHEN f.first_response_at <= now() THEN f.first_response_at END,
           CASE WHEN s.resolved_at <= now() THEN s.resolved_at END,
           CASE WHEN s.resolved_at <= now() THEN s.contacts END,
           r.channel, r.priority, r.category, r.complaint, r.cause, r.customer_id, r.agent_id,
           CASE WHEN f.first_response_at <= now() THEN p.pauses END
    FROM demo_arrivals r
    CROSS JOIN LATERAL (
      SELECT CASE WHEN appraisal.demo_uniform(r.i, 20) >= 0.003 THEN
               appraisal.business_due(r.opened_at,
                 round(3600 * -ln(1 - appraisal.demo_uniform(r.i, 21))
                       * CASE r.channel WHEN 'phone' THEN 0.3 + 3.5 * (1 - r.skill) WHEN 'social' THEN 0.3 + 2.5 * (1 - r.skill)
                                        ELSE 1 + 10 * (1 - r.skill) END) * interval '1 second', cal) END AS first_response_at
      OFFSET 0) f
    CROSS JOIN LATERAL (
      SELECT CASE WHEN f.first_response_at IS NOT NULL AND appraisal.demo_uniform(r.i, 22) < 0.06 THEN
               tstzmultirange(tstzrange(f.first_response_at,
                                        f.first_response_at + round(3600 * (4 + 44 * appraisal.demo_uniform(r.i, 23))) * interval '1 second')) END AS pauses
      OFFSET 0) p
    CROSS JOIN LATERAL (
      SELECT CASE WHEN f.first_response_at IS NOT NULL
                   AND appraisal.demo_uniform(r.i, 24) >= CASE WHEN r.complaint THEN 0.04 ELSE 0.012 END THEN
               appraisal.business_due(f.first_response_at,
                 round(3600 * -ln(1 - appraisal.demo_uniform(r.i, 25)) * (2 + 20 * (1 - r.skill))
                       * CASE WHEN r.complaint THEN 1.6 ELSE 1 END
                       * CASE r.category WHEN 'product defect' THEN 1.5 WHEN 'spare parts' THEN 1.4 ELSE 1 END) * interval '1 second',
                 cal, p.pauses) END AS resolved_at,
             CASE WHEN appraisal.demo_uniform(r.i, 26) < 0.5 + 0.45 * r.skill - CASE WHEN r.complaint THEN 0.2 ELSE 0 END
                  THEN 1 ELSE 2 + floor(appraisal.demo_uniform(r.i, 27) * 3)::integer END AS contacts
      OFFSET 0) s;
  END LOOP;

  -- Surveys: 38 % of the resolved tickets answered (55 % of complaints),
  -- satisfaction following the agent's skill, lower after a complaint or
  -- several contacts, and leaning to the extremes (5 and 1).  One in seven
  -- web or call-back answers was preceded by an SMS answer for the same
  -- ticket (counted once: the web or call-back one); a few SMS answers were
  -- sent twice (the later counts).
  INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
  SELECT t.ticket_id, v.source, v.responded_at, v.rating
  FROM (SELECT t.ticket_id, t.resolved_at, substr(t.ticket_id, 2)::bigint AS i, t.complaint,
               least(0.97, greatest(0.03, 0.35 + 0.6 * st.skill - CASE WHEN t.complaint THEN 0.35 ELSE 0 END
                                          - CASE WHEN t.contacts > 1 THEN 0.1 ELSE 0 END)) AS p_sat
          FROM appraisal.tickets t JOIN demo_staff st ON st.employee_id = t.agent_id
         WHERE t.resolved_at IS NOT NULL) t
  CROSS JOIN LATERAL (
    SELECT CASE WHEN appraisal.demo_uniform(t.i, 61) < 0.45 THEN 'web' WHEN appraisal.demo_uniform(t.i, 61) < 0.65 THEN 'call_back'
                ELSE 'sms' END AS source,
           CASE WHEN appraisal.demo_uniform(t.i, 62) < t.p_sat THEN CASE WHEN appraisal.demo_uniform(t.i, 63) < 0.78 THEN 5 ELSE 4 END
                WHEN appraisal.demo_uniform(t.i, 63) < 0.55 THEN 1 WHEN appraisal.demo_uniform(t.i, 63) < 0.8 THEN 2 ELSE 3 END AS rating,
           appraisal.demo_uniform(t.i, 64) AS when_u
    OFFSET 0) m
  CROSS JOIN LATERAL (
    SELECT m.source, t.resolved_at + round(86400 * CASE WHEN m.source = 'sms' THEN 0.02 + 0.3 * m.when_u ELSE 0.2 + 3 * m.when_u END) * interval '1 second',
           m.rating
    UNION ALL   -- an SMS answer before the web or call-back one, quick and extreme
    SELECT 'sms', t.resolved_at + round(86400 * (0.01 + 0.1 * m.when_u)) * interval '1 second',
           CASE WHEN appraisal.demo_uniform(t.i, 66) < t.p_sat THEN 5 ELSE 1 END
    WHERE m.source <> 'sms' AND appraisal.demo_uniform(t.i, 65) < 0.15
    UNION ALL   -- the same SMS answered twice, an hour apart
    SELECT 'sms', t.resolved_at + round(86400 * (0.02 + 0.3 * m.when_u)) * interval '1 second' + interval '1 hour',
           CASE WHEN appraisal.demo_uniform(t.i, 66) < t.p_sat THEN 5 ELSE 1 END
    WHERE m.source = 'sms' AND appraisal.demo_uniform(t.i, 65) < 0.03
  ) v(source, responded_at, rating)
  WHERE appraisal.demo_uniform(t.i, 60) < CASE WHEN t.complaint THEN 0.55 ELSE 0.38 END
    AND v.responded_at <= now();

  -- 360 reviews of every appraised period that has ended: quarters for
  -- specialists and supervisors, the year for the manager.  Raters: the
  -- superior (the director, from outside the staff list, for the manager),
  -- three peers (team-mates; neighbouring supervisors), none in one review
  -- in twenty; subordinates: every supervisor for the manager, about half
  -- of a team for its supervisor, none for one supervisor in eight; one
  -- supervisor's Q2 without the superior (the manager was away); self-ratings
  -- from most, which the standard weights ignore.  Three dimensions each;
  -- a rater's leniency shifts all three.
  INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, dimension, score)
  SELECT r.period, r.ratee, r.rater, r.role::appraisal.rater_role, d.dim,
         round(least(100, greatest(0,
           48 + 45 * st.skill + r.lenience
           + 8 * (appraisal.demo_uniform(('x' || left(md5(r.period || '/' || r.ratee || '/' || r.rater), 8))::bit(32)::bigint, 0) - 0.5)
           + 12 * (appraisal.demo_uniform(('x' || left(md5(r.period || '/' || r.ratee || '/' || r.rater || '/' || d.dim), 8))::bit(32)::bigint, 0) - 0.5)))::numeric, 1)
  FROM (
    WITH appraised AS (
      SELECT e.employee_id, e.position, e.team, e.manager_id, p.period,
             appraisal.demo_uniform(('x' || left(md5(p.period || '/' || e.employee_id || '/no peers'), 8))::bit(32)::bigint, 0) < 1.0 / 20 AS no_peers,
             appraisal.demo_uniform(('x' || left(md5(p.period || '/' || e.employee_id || '/no subordinates'), 8))::bit(32)::bigint, 0) < 1.0 / 8 AS no_subordinates
      FROM appraisal.employees e
      JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
      WHERE (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop
    ), supervisors AS (
      SELECT employee_id, row_number() OVER (ORDER BY employee_id) AS n, count(*) OVER () AS cnt FROM appraisal.employees
      WHERE position = 'supervisor'
    )
    SELECT a.period, a.employee_id AS ratee, coalesce(a.manager_id, 'director') AS rater, 'superior' AS role, 0 AS lenience
    FROM appraised a
    WHERE NOT (a.employee_id = 'S' || lpad('2', s_width, '0') AND a.period = y || '-Q2')
    UNION ALL
    SELECT period, ratee, rater, 'peer', 2 FROM (
      SELECT a.period, a.employee_id AS ratee, o.employee_id AS rater,
             row_number() OVER (PARTITION BY a.period, a.employee_id
                                ORDER BY appraisal.demo_uniform(('x' || left(md5(a.period || '/' || a.employee_id || '/' || o.employee_id || '/peer'), 8))::bit(32)::bigint, 0)) AS n
      FROM appraised a
      JOIN appraisal.employees o ON o.team = a.team AND o.position = 'specialist' AND o.employee_id <> a.employee_id
      WHERE a.position = 'specialist' AND NOT a.no_peers) pr
    WHERE n <= 3
    UNION ALL
    SELECT a.period, a.employee_id, o.employee_id, 'peer', 2
    FROM appraised a
    JOIN supervisors s ON s.employee_id = a.employee_id
    JOIN supervisors o ON o.n IN (s.n % s.cnt + 1, (s.n + 1) % s.cnt + 1, (s.n + 2) % s.cnt + 1) AND o.n <> s.n
    WHERE NOT a.no_peers
    UNION ALL
    SELECT a.period, a.employee_id, e.employee_id, 'subordinate', 0
    FROM appraised a
    JOIN appraisal.employees e ON e.manager_id = a.employee_id
    WHERE a.position = 'manager'
       OR (NOT a.no_subordinates AND appraisal.demo_uniform(('x' || left(md5(a.period || '/' || a.employee_id || '/' || e.employee_id || '/rates'), 8))::bit(32)::bigint, 0) < 0.5)
    UNION ALL
    SELECT a.period, a.employee_id, a.employee_id, 'self', 8
    FROM appraised a
    WHERE appraisal.demo_uniform(('x' || left(md5(a.period || '/' || a.employee_id || '/self'), 8))::bit(32)::bigint, 0) < 0.7
  ) r
  JOIN demo_staff st ON st.employee_id = r.ratee
  CROSS JOIN unnest(ARRAY['attitude', 'skills', 'teamwork']) d(dim);

  -- KPIs per position (DOMAIN §3, §7) and the manual results of every
  -- appraised period that has ended; one appeal replaces a measured value.
  INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, source, description) VALUES
    ('specialist', 'first response', 40, 50, 95, 'first_response_compliance', 'First-response SLA compliance, % (target 95, DOMAIN §4)'),
    ('specialist', 'satisfaction', 30, 30, 90, 'csat', 'CSAT, %'),
    ('specialist', '360 review', 20, 50, 95, 'score_360', '360 composite'),
    ('specialist', 'knowledge test', 10, 60, 100, 'manual', 'Quarterly product-knowledge test'),
    ('supervisor', 'team composite', 40, 60, 95, 'complaint_composite', 'Closed-loop complaint composite of the team'),
    ('supervisor', 'recurrence', 20, 15, 2, 'recurrence_rate', 'Recurrence rate of the team, % (reversed)'),
    ('supervisor', '360 review', 20, 50, 95, 'score_360', '360 composite'),
    ('supervisor', 'team management', 20, 0, 100, 'manual', 'Team management, rated by the service manager'),
    ('manager', 'satisfaction', 40, 30, 90, 'csat', 'CSAT of the service centre, %'),
    ('manager', 'composite', 30, 60, 95, 'complaint_composite', 'Closed-loop complaint composite of the service centre'),
    ('manager', 'management', 30, 0, 100, 'manual', 'Cost control and management improvement (DOMAIN §7)');
  INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value, note)
  SELECT p.period, e.employee_id,
         CASE e.position WHEN 'specialist' THEN 'knowledge test' WHEN 'supervisor' THEN 'team management' ELSE 'management' END,
         round(least(100, 50 + 45 * s.skill + 16 * (appraisal.demo_uniform(('x' || left(md5(p.period || '/' || e.employee_id || '/manual'), 8))::bit(32)::bigint, 0) - 0.5))::numeric, 0),
         NULL
  FROM appraisal.employees e
  JOIN demo_staff s USING (employee_id)
  JOIN appraisal.periods p ON p.kind = CASE e.position WHEN 'manager' THEN 'year' ELSE 'quarter' END
  WHERE (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop
  UNION ALL
  SELECT p.period, 'A' || lpad('2', width, '0'), 'first response', 80,
         'Appeal upheld: the phone system lost call-backs in May; compliance recomputed without the affected tickets'
  FROM appraisal.periods p
  WHERE p.period = y || '-Q2' AND (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop;

  -- Customers (DOMAIN §8), about one per agent: dealers of every class.
  -- Profile by number: 0 no business, 1 pending, 2 stale, 3 new this year,
  -- the rest established with skewed sales and spread-out rates.  Yearly
  -- figures, and quarterly ones (with credit ratings) for the quarters that
  -- have ended.
  INSERT INTO appraisal.customers (customer_id, name, first_order_on, sales_manager_id, region)
  SELECT 'K' || lpad(i::text, 4, '0'),
         surnames[1 + (i * 7) % 20] || ' ' || (ARRAY['Trading', 'Appliances', 'Electric', 'Home', 'Supply'])[1 + i % 5],
         CASE WHEN i % 10 = 3 THEN make_date(y, 1 + (i * 5) % 9, 1 + i % 28) END,
         'M01', team_names[1 + i % 6]
  FROM generate_series(1, greatest(10, agents)) i;
  IF to_regclass('pg_temp.demo_customer') IS NOT NULL THEN   -- a second call in one transaction
    DROP TABLE pg_temp.demo_customer;
  END IF;
  CREATE TEMP TABLE demo_customer ON COMMIT DROP AS
  SELECT c.customer_id, i,
         CASE i % 10 WHEN 0 THEN 0 WHEN 1 THEN 0
                     WHEN 2 THEN round((4000 + 15000 * appraisal.demo_uniform(i, 21))::numeric, -2)
                     ELSE round((60000 * exp(3.6 * appraisal.demo_uniform(i, 22)))::numeric, -3) END AS sales,
         CASE WHEN i % 10 IN (0, 1) THEN 0 ELSE 1 + floor(12 * appraisal.demo_uniform(i, 23))::int END AS batches,
         round((-20 + 55 * appraisal.demo_uniform(i, 24))::numeric, 1) AS growth,
         round((84 + 17 * appraisal.demo_uniform(i, 25))::numeric, 1) AS collection,
         round((0.3 + 7 * appraisal.demo_uniform(i, 26) ^ 2)::numeric, 1) AS returns,
         CASE i % 10 WHEN 0 THEN 0 WHEN 1 THEN 5000 + round((20000 * appraisal.demo_uniform(i, 27))::numeric, -2)
                     WHEN 2 THEN 25000 + round((30000 * appraisal.demo_uniform(i, 27))::numeric, -2)
                     ELSE round((60000 * appraisal.demo_uniform(i, 27))::numeric, -2) END AS receivables,
         round((50 + 45 * appraisal.demo_uniform(i, 28))::numeric) AS manager
  FROM appraisal.customers c, LATERAL (SELECT substr(c.customer_id, 2)::int AS i) n;
  INSERT INTO appraisal.customer_figures
    (customer_id, period, sales, batches, sales_growth, collection_rate, return_rate, receivables, manager_evaluation)
  SELECT d.customer_id, p.period,
         CASE WHEN p.kind = 'year' THEN d.sales ELSE round(d.sales * (0.125 + 0.05 * q.n), -2) END,   -- 17.5 % .. 32.5 %: the year's sales
         CASE WHEN p.kind = 'year' THEN d.batches ELSE (d.batches + q.n) / 4 END,
         CASE WHEN d.i % 10 IN (0, 1, 3) THEN NULL ELSE d.growth END,
         CASE WHEN d.sales > 0 THEN least(100, d.collection + CASE WHEN p.kind = 'year' THEN 0 ELSE q.n - 2 END) END,
         CASE WHEN d.sales > 0 THEN d.returns END,
         d.receivables,
         CASE WHEN d.sales > 0 THEN d.manager END
  FROM demo_customer d
  JOIN appraisal.periods p ON p.kind IN ('year', 'quarter') AND (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop
  CROSS JOIN LATERAL (SELECT CASE WHEN p.kind = 'quarter' THEN extract(quarter FROM p.starts_on)::int ELSE 0 END AS n) q;
  INSERT INTO appraisal.customer_credit (customer_id, period, financial_points, non_financial_points, rated_by)
  SELECT f.customer_id, f.period,
         round((8 + 22 * appraisal.demo_uniform(d.i * 10 + extract(quarter FROM p.starts_on)::int, 29))::numeric),
         round((30 + 40 * appraisal.demo_uniform(d.i * 10 + extract(quarter FROM p.starts_on)::int, 30))::numeric),
         'credit committee'
  FROM appraisal.customer_figures f
  JOIN appraisal.periods p ON p.period = f.period AND p.kind = 'quarter'
  JOIN demo_customer d ON d.customer_id = f.customer_id
  WHERE d.sales > 0;

  -- customer satisfaction surveys ---
  -- One company-wide run of the standard questionnaire in the last four
  -- weeks of every quarter that has ended.  About 19 in 20 customers in
  -- scope get it, but in the second quarter only about 7 in 10 (that run
  -- misses the 80 % coverage); 92 % send it back, a few late; a few are found
  -- filled in by sales staff (a third in the third quarter: that run misses
  -- the 70 % of valid responses) or leave an item out.  Ratings centre on
  -- each customer's own level.
  INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, region, opened_on, closed_on, description)
  SELECT 'CSAT ' || p.period, 'standard', p.period, NULL, p.ends_on - 27, p.ends_on,
         'Customer satisfaction survey, ' || p.period
  FROM appraisal.periods p
  WHERE p.kind = 'quarter' AND (p.ends_on + 1)::timestamp AT TIME ZONE zone <= y_stop;
  INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on, invalid_reason)
  SELECT r.run_id, d.customer_id, r.opened_on + x.i % 5,
         CASE WHEN appraisal.demo_uniform(x.i, 32) < 0.92
              THEN r.opened_on + x.i % 5 + 2 + floor(24 * appraisal.demo_uniform(x.i, 33) ^ 2)::int END,
         CASE WHEN appraisal.demo_uniform(x.i, 32) < 0.92 AND appraisal.demo_uniform(x.i, 34) < CASE extract(quarter FROM r.closed_on) WHEN 3 THEN 0.35 ELSE 0.03 END
              THEN 'filled in by sales staff' END
  FROM appraisal.survey_runs r
  JOIN appraisal.customers c ON c.first_order_on IS NULL OR c.first_order_on <= r.closed_on
  JOIN demo_customer d ON d.customer_id = c.customer_id
  CROSS JOIN LATERAL (SELECT d.i * 10 + extract(quarter FROM r.closed_on)::int AS i) x
  WHERE appraisal.demo_uniform(x.i, 31) < CASE extract(quarter FROM r.closed_on) WHEN 2 THEN 0.7 ELSE 0.95 END;
  INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value)
  SELECT s.run_id, s.customer_id, it.item_no,
         CASE WHEN it.item = 'complaint_handling'
              THEN round((0.5 + 9 * appraisal.demo_uniform(x.i * 10 + it.item_no, 36) ^ 2)::numeric, 1)
              ELSE least(100, greatest(0, round((55 + 40 * appraisal.demo_uniform(d.i, 35)
                                                  + 24 * (appraisal.demo_uniform(x.i * 10 + it.item_no, 36) - 0.5))::numeric))) END
  FROM appraisal.customer_surveys s
  JOIN appraisal.survey_runs r USING (run_id)
  JOIN appraisal.survey_items it ON it.questionnaire = r.questionnaire
  JOIN demo_customer d ON d.customer_id = s.customer_id
  CROSS JOIN LATERAL (SELECT d.i * 10 + extract(quarter FROM r.closed_on)::int AS i) x
  WHERE s.returned_on IS NOT NULL
    AND NOT (it.item_no = 6 AND appraisal.demo_uniform(x.i, 37) < 0.03);   -- an item left out

  -- delivery quality ---
  -- Three projects of three batches each, planned for 40 to 120 households
  -- with a two-week concentrated-delivery window in March, June and
  -- September.  Nine in ten households take delivery, most of them in the
  -- window, the rest up to three weeks late; about one in eight reports a
  -- defect (some twice), and inspection finds one report in six groundless.
  INSERT INTO appraisal.delivery_batches (project_id, batch, planned_households, window_starts_on, window_ends_on, description)
  SELECT p.project_id, b, 40 + floor(81 * appraisal.demo_uniform(p.k * 10 + b, 51))::int,
         make_date(y, 3 * b, 1 + p.k * 3), make_date(y, 3 * b, 14 + p.k * 3),
         format('%s, batch %s', p.project_id, b)
  FROM (VALUES (1, 'Riverside Estate'), (2, 'Lakeview Garden'), (3, 'Hillside Court')) p(k, project_id)
  CROSS JOIN generate_series(1, 3) b
  WHERE make_date(y, 3 * b, 1 + p.k * 3)::timestamp AT TIME ZONE zone < y_stop;
  INSERT INTO appraisal.deliveries (project_id, batch, household_id, delivered_on)
  SELECT d.project_id, d.batch, d.household_id, d.delivered_on
  FROM (SELECT b.project_id, b.batch, format('%s-%s', b.batch, lpad(h::text, 3, '0')) AS household_id,
               CASE WHEN appraisal.demo_uniform(x.key, 53) < 0.85
                    THEN b.window_starts_on + floor(14 * appraisal.demo_uniform(x.key, 54))::int
                    ELSE b.window_ends_on + 1 + floor(21 * appraisal.demo_uniform(x.key, 54))::int END AS delivered_on,
               x.key
        FROM appraisal.delivery_batches b
        CROSS JOIN generate_series(1, b.planned_households) h
        CROSS JOIN LATERAL (SELECT (length(b.project_id) * 10 + b.batch) * 1000 + h AS key) x
        WHERE appraisal.demo_uniform(x.key, 52) < 0.9) d
  WHERE d.delivered_on::timestamp AT TIME ZONE zone < y_stop;
  INSERT INTO appraisal.defect_reports (report_id, project_id, batch, household_id, reported_on, valid, description)
  SELECT format('DR %s %s/%s', d.project_id, d.household_id, n), d.project_id, d.batch, d.household_id,
         d.delivered_on + 3 + 10 * n, appraisal.demo_uniform(x.key * 10 + n, 57) >= 1.0 / 6,
         (ARRAY['door does not close', 'scratched panel', 'leaking tap', 'missing fitting'])[1 + (x.key + n) % 4]
  FROM appraisal.deliveries d
  CROSS JOIN LATERAL (SELECT (length(d.project_id) * 10 + d.batch) * 1000
                             + substr(d.household_id, strpos(d.household_id, '-') + 1)::int AS key) x
  CROSS JOIN generate_series(1, 2) n
  WHERE appraisal.demo_uniform(x.key, 55) < 0.125 AND (n = 1 OR appraisal.demo_uniform(x.key, 56) < 0.3);

  -- service providers ---
  -- An installation and repair provider per team; every fourth specialist
  -- (A004, A008, ...) is its technician.  The events: a bad review for each
  -- service-caused complaint on a technician's ticket (mostly on the web,
  -- some from call-backs or the dispatch system), one in four repeated by
  -- SMS, one in eight about the product rather than the service (exempt),
  -- one in five told again at a call-back five days later (a quarter of
  -- those noted against the order without phone and address: the ledger
  -- finds the customer through the order); the same customer's complaints in
  -- one month count once.  Fake customer data on about one technician ticket
  -- in a hundred, half of them reported again by inspection; and
  -- under-staffing during Double 11 for one provider.
  INSERT INTO appraisal.providers (provider_id, name, region)
  SELECT 'PV-' || team, initcap(team) || ' Installation Services', team
  FROM (SELECT DISTINCT team FROM appraisal.employees WHERE position = 'specialist') t;
  UPDATE appraisal.employees SET provider_id = 'PV-' || team
  WHERE position = 'specialist' AND substr(employee_id, 2)::int % 4 = 0;
  IF to_regclass('pg_temp.demo_provider_tickets') IS NOT NULL THEN
    DROP TABLE pg_temp.demo_provider_tickets;
  END IF;
  CREATE TEMP TABLE demo_provider_tickets ON COMMIT DROP AS   -- only the tickets that make events
  SELECT t.ticket_id, t.opened_at, t.complaint, t.cause, e.provider_id, k.key,
         ('x' || left(md5(coalesce(t.customer_id, t.ticket_id)), 8))::bit(32)::bigint AS who
  FROM appraisal.tickets t
  JOIN appraisal.employees e ON e.employee_id = t.agent_id AND e.provider_id IS NOT NULL
  CROSS JOIN LATERAL (SELECT substr(t.ticket_id, 2)::bigint AS key) k
  WHERE (t.complaint AND t.cause = 'service') OR appraisal.demo_uniform(k.key, 72) < 0.01;
  INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone,
                                         customer_address, source, about_service, note)
  SELECT format('%s %s', v.label, t.ticket_id), t.provider_id, 'service_complaint', t.opened_at + v.delay,
         'WO-' || t.ticket_id,
         CASE WHEN v.anonymous THEN NULL
              ELSE CASE v.source WHEN 'sms' THEN '+86 ' ELSE '' END || '13' || lpad((t.who % 1000000000)::text, 9, '0') END,
         CASE WHEN v.anonymous THEN NULL
              WHEN v.source = 'sms' THEN upper(format('%s  %s road', 1 + t.who % 500, (ARRAY['Nanjing', 'Huaihai', 'Yan''an', 'Zhongshan'])[1 + t.who % 4]))
              ELSE format('%s %s Road', 1 + t.who % 500, (ARRAY['Nanjing', 'Huaihai', 'Yan''an', 'Zhongshan'])[1 + t.who % 4]) END,
         v.source, appraisal.demo_uniform(t.key, 69) >= 0.125,
         CASE WHEN appraisal.demo_uniform(t.key, 69) < 0.125 THEN 'complains about the product, not the installation' END
  FROM demo_provider_tickets t
  CROSS JOIN LATERAL (
    SELECT f.source, f.source AS label, interval '1 day' AS delay, false AS anonymous
    FROM (SELECT CASE WHEN appraisal.demo_uniform(t.key, 70) < 0.7 THEN 'web'
                      WHEN appraisal.demo_uniform(t.key, 70) < 0.85 THEN 'callback' ELSE 'dispatch' END AS source) f
    UNION ALL
    SELECT 'sms', 'sms', interval '20 hours', false
    WHERE appraisal.demo_uniform(t.key, 70) < 0.7 AND appraisal.demo_uniform(t.key, 71) < 0.25
    UNION ALL
    SELECT 'callback', 'callback again', interval '5 days', appraisal.demo_uniform(t.key, 68) < 0.25
    WHERE appraisal.demo_uniform(t.key, 67) < 0.2
  ) v
  WHERE t.complaint AND t.cause = 'service'
    AND t.opened_at + v.delay <= now();   -- (in the current year, no report from the future)
  INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, source, note)
  SELECT format('%s %s', v.source, t.ticket_id), t.provider_id, 'fake_customer_data', t.opened_at + v.delay,
         'WO-' || t.ticket_id, v.source, 'customer phone and address on the order do not exist'
  FROM demo_provider_tickets t
  CROSS JOIN LATERAL (SELECT 'dispatch' AS source, interval '2 days' AS delay
                      UNION ALL
                      SELECT 'inspection', interval '9 days' WHERE appraisal.demo_uniform(t.key, 73) < 0.5) v
  WHERE appraisal.demo_uniform(t.key, 72) < 0.01 AND NOT t.complaint AND t.opened_at + v.delay <= now();
  INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, source, note)
  SELECT format('understaffing %s %s', p.provider_id, d), p.provider_id, 'peak_understaffing',
         make_date(y, 11, d)::timestamp AT TIME ZONE zone + interval '10 hours', 'inspection',
         'Double 11: fewer technicians on duty than the plan'
  FROM (SELECT min(provider_id) AS provider_id FROM appraisal.providers) p
  CROSS JOIN generate_series(11, 12) d
  WHERE p.provider_id IS NOT NULL AND (make_date(y, 11, d) + 1)::timestamp AT TIME ZONE zone <= y_stop;

  ANALYZE appraisal.employees, appraisal.periods, appraisal.tickets, appraisal.survey_responses, appraisal.reviews_360;
  PERFORM appraisal.refresh_scorecards();
  FOREACH t IN ARRAY ARRAY['employees', 'periods', 'sla_policies', 'tickets', 'survey_responses', 'reviews_360',
                           'kpi_definitions', 'kpi_results', 'customers', 'customer_figures', 'customer_credit',
                           'survey_runs', 'customer_surveys', 'customer_survey_answers',
                           'delivery_batches', 'deliveries', 'defect_reports', 'providers', 'provider_events'] LOOP
    table_name := t;
    EXECUTE format('SELECT count(*) FROM appraisal.%I', t) INTO rows;
    RETURN NEXT;
  END LOOP;
END
$$;
COMMENT ON FUNCTION appraisal.generate_demo_data(integer, integer, integer, boolean) IS
  'Fills the appraisal tables with a realistic, repeatable demo data set (the same arguments give the same rows) and refreshes the scorecards: a service manager, a supervisor per team of about eight and the given number of agents of varied skill (A001 a star, A002 weak); the periods of year (default: last year; the current year gives the part that has passed, with pending tickets); a Shanghai office calendar (lunch break, public holidays, make-up workdays in 2025) with SLA policies on it; tickets mostly in office hours of working days, with skewed channels, categories and complaint rates, service- and system-caused complaints, a delivery spike after Double 11 and a billing one in March, pauses, unanswered and open tickets, and 6 % comebacks of the same customer (recurrence); surveys leaning to extreme ratings with duplicate SMS answers; 360 reviews with missing groups, self-ratings and the director as the manager''s superior; KPI definitions per position, manual results and one appeal; customers of every class (DOMAIN §8) with yearly and quarterly figures and quarterly credit ratings; a company-wide satisfaction survey run per quarter, the second short of the coverage, with late, invalid and incomplete questionnaires; three delivery projects in batches with late deliveries and defect reports; a provider per team whose technicians are every fourth specialist, with bad reviews (repeated by SMS or at a call-back, some call-backs without the customer''s phone and address, by the same customer, or about the product), fake customer data and Double 11 under-staffing. Refuses to touch tables holding data (SQLSTATE 55000) unless replace is true, which deletes it first. Returns the rows per table.';
