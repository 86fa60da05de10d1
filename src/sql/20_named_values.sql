-- 20: tables of named configuration values: weight schemes, grade scales,
-- item scales and business calendars.  Each holds values of its type under
-- a name (a function given a name looks it up once per call site); rows the
-- extension ships are read-only, and pg_dump saves the rows users add.
-- (The triggers that keep a grade scale or weight scheme named by a setting
-- from going away belong to the settings: keep_named_setting, in
-- 21_settings.sql.)

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
   'superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40; fallback superior 60, peer 40; fallback superior 100; min_raters peer 3, subordinate 3',
   'The appraisal regulations'' 360 scheme: superior 40 %, peer 30 %, subordinate 30 %; no peers 60/40, no subordinates 60/40, neither 100; no superior: peer and subordinate renormalised to 50/50. Peers and subordinates stay anonymous: a group of fewer than 3 is left out as if missing (a superior counts alone). Self and customer ratings do not count.',
   true);

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.weight_scheme
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('weight scheme');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.weight_scheme
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('weight scheme');
-- everyone may read the named values (grade_band(85) reads 'standard');
-- who may add them is the database owner's decision: GRANT INSERT as needed
GRANT SELECT ON appraisal.weight_scheme TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.weight_scheme', 'WHERE NOT shipped');

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
   true),
  ('value_tier', '0..100: gold >= 80, silver >= 60, ordinary',
   'Customer value tiers (docs/rules.md, "Customer value tiers") on the value points (purchase and loyalty): gold 80-100, silver 60-79, ordinary below 60, where a customer with enough potential is potential instead. The thresholds are the project''s: the standards name the tiers, not their bounds.',
   true);

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.grade_scale
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('grade scale');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.grade_scale
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('grade scale');
-- everyone may read the named values (grade_band(85) reads 'standard');
-- who may add them is the database owner's decision: GRANT INSERT as needed
GRANT SELECT ON appraisal.grade_scale TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.grade_scale', 'WHERE NOT shipped');

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
   'Survey item "complaint handling" (docs/rules.md, "Satisfaction survey"), value = working days from complaint to resolution: within 2 working days 15 points; 3 days 14 down to 11; 4 days 10 down to 8; up to a week (7) 7 down to 4; beyond a week 3 down to 0 at two weeks, then 0.',
   true),
  ('satisfaction_15',
   'E [0,40) 0..3; D [40,60) 4..7; C [60,75) 8..10; B [75,90) 11..14; A [90,100] 15',
   'A 15-point survey item rated 0-100 by the customer, banded A-E (docs/rules.md, "Satisfaction survey"): 90 and above A 15; 75 to 90 B 11-14; 60 to 75 C 8-10; 40 to 60 D 4-7; below 40 E 0-3.',
   true),
  ('image_10',
   'E [0,40) 0..2; D [40,60) 3..4; C [60,75) 5..6; B [75,90) 7..9; A [90,100] 10',
   'The 10-point survey item "overall image" rated 0-100 by the customer, banded A-E like satisfaction_15 (docs/rules.md, "Satisfaction survey"): A 10; B 7-9; C 5-6; D 3-4; E 0-2.',
   true),
  ('nonconformance_15',
   'A [0,0] 15; B (0,5] 14..11; C (5,30] 10..8; D (30,40] 7..4; E (40,100] 3..0',
   'Survey item "product delivery quality" (docs/rules.md, "Satisfaction survey"), value = non-conformance rate of the goods delivered, percent: all good (0) 15 points; up to 5 % 14 down to 11; above 5 up to 30 % 10 down to 8; above 30 up to 40 % 7 down to 4; above 40 % 3 down to 0 at 100 %.',
   true),
  ('fulfilment_15',
   'E [0,60] 0; E (60,70] 0..3; D (70,80] 4..7; C (80,90] 8..10; B (90,100) 11..14; A [100,100] 15',
   'Survey item "delivery capability" (docs/rules.md, "Satisfaction survey"), value = order fulfilment rate, percent: 100 % 15 points; above 90 % 11 up to 14; above 80 up to 90 % 8 up to 10; above 70 up to 80 % 4 up to 7; above 60 up to 70 % 0 up to 3; 60 % and below, which the procedure leaves undefined, 0.',
   true),
  ('missed_feedback_15',
   'A [0,0] 15; B (0,1] 11; C (1,2] 8; D (2,3] 4; E (3,) 0',
   'Survey item "communication" (docs/rules.md, "Satisfaction survey"), value = times in the period the company missed a feedback or failed to cooperate: none 15 points; once 11; twice 8; three times 4; more 0 (the procedure names the measure, not the bands: one time per band, each at its lowest points).',
   true);

CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.item_scale
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('item scale');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.item_scale
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('item scale');
GRANT SELECT ON appraisal.item_scale TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.item_scale', 'WHERE NOT shipped');

CREATE TABLE appraisal.business_calendars (
  name text PRIMARY KEY,
  calendar appraisal.business_calendar NOT NULL,
  description text,
  shipped boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE appraisal.business_calendars IS
  'Named business calendars. Functions taking a calendar accept its name (text) as well as a value; a name is looked up once per call site, not per row. Rows shipped with the extension (shipped = true) cannot be changed; add your own.';
COMMENT ON COLUMN appraisal.business_calendars.name IS 'The name functions are called with, e.g. ''24x7''.';
COMMENT ON COLUMN appraisal.business_calendars.calendar IS 'The calendar value.';
COMMENT ON COLUMN appraisal.business_calendars.description IS 'What the calendar is for.';
COMMENT ON COLUMN appraisal.business_calendars.shipped IS 'True for rows installed by the extension, which cannot be changed or deleted.';
INSERT INTO appraisal.business_calendars VALUES
  ('24x7', 'UTC; Mon-Sun 00:00-24:00',
   'Every instant is working time; working days are UTC days. The default of sla_compliance.', true);
-- (after the shipped row: users cannot insert rows marked shipped, which
-- pg_dump would leave out)
CREATE TRIGGER protect_shipped BEFORE INSERT OR UPDATE OR DELETE ON appraisal.business_calendars
  FOR EACH ROW EXECUTE FUNCTION appraisal.protect_shipped_rows('business calendar');
CREATE TRIGGER protect_shipped_truncate BEFORE TRUNCATE ON appraisal.business_calendars
  FOR EACH STATEMENT EXECUTE FUNCTION appraisal.protect_shipped_rows('business calendar');
GRANT SELECT ON appraisal.business_calendars TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('appraisal.business_calendars', 'WHERE NOT shipped');
