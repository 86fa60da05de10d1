-- Grade bands: scales named (appraisal.grade_scale) and inline (appraisal.grade_scale_spec).
\set SHOW_CONTEXT never

-- the shipped scales, in canonical form
SELECT name, scale, shipped FROM appraisal.grade_scale ORDER BY name;

-- every boundary of every shipped scale; lower bounds are inclusive:
-- 100, 90 -> best; 89.999, 80 -> 2nd; 79.999, 70 -> 3rd; 60 -> 4th; 59.999, 0 -> last
CREATE TEMP TABLE s (score double precision);
INSERT INTO s VALUES (100), (90), (89.999), (80), (79.999), (70), (60), (59.999), (0);
SELECT score,
       appraisal.grade_band(score) AS "default",
       appraisal.grade_band(score, 'standard') AS standard,
       appraisal.grade_band(score, 'credit') AS credit,
       appraisal.grade_band(score, 'staff') AS staff,
       appraisal.grade_band(score, 'english') AS english,
       appraisal.grade_rank(score) AS rank,
       appraisal.grade_rank(score, 'credit') AS credit_rank
FROM s ORDER BY score DESC;
-- just below a bound, at full precision: 59.999999 -> 差, 69.99999999999999 -> 较差
SELECT appraisal.grade_band(59.999999) AS b59, appraisal.grade_band(69.99999999999999) AS b69,
       appraisal.grade_rank(59.999999) AS r59, appraisal.grade_rank(69.99999999999999) AS r69;

-- NULL score or scale: NULL
SELECT appraisal.grade_band(NULL) IS NULL AS band_null, appraisal.grade_rank(NULL, 'credit') IS NULL AS rank_null,
       appraisal.grade_band(85, NULL::text) IS NULL AS scale_null;

-- the bands of a named scale, for BI tools
SELECT * FROM appraisal.grade_bands('standard');

-- a user-defined 1-10 feedback scale, used by name:
-- 10, 9 -> Excellent; 8.99, 7 -> Good; 6.5, 5 -> Fair; 4.99, 0 -> Poor
INSERT INTO appraisal.grade_scale (name, scale, description) VALUES
  ('feedback', '0..10: Excellent >= 9, Good >= 7, Fair >= 5, Poor', 'customer feedback, 0-10');
SELECT name, scale, shipped FROM appraisal.grade_scale WHERE name = 'feedback';
SELECT score, appraisal.grade_band(score, 'feedback') AS band, appraisal.grade_rank(score, 'feedback') AS rank
FROM (VALUES (10), (9), (8.99), (7), (6.5), (5), (4.99), (0)) v(score) ORDER BY score DESC;
SELECT * FROM appraisal.grade_bands('feedback');

-- two scales at one call site, alternating: 5 -> Fair, 75 -> A, 8 -> Good, 95 -> AAA
SELECT score, appraisal.grade_band(score, CASE WHEN score <= 10 THEN 'feedback' ELSE 'credit' END) AS band
FROM (VALUES (1, 5), (2, 75), (3, 8), (4, 95)) v(i, score) ORDER BY i;

-- an inline scale needs no table row; the range defaults to 0..100
SELECT appraisal.grade_band(75, 'pass >= 50, fail'::appraisal.grade_scale_spec) AS b75,
       appraisal.grade_band(50, 'pass >= 50, fail'::appraisal.grade_scale_spec) AS b50,
       appraisal.grade_band(49.5, 'pass >= 50, fail'::appraisal.grade_scale_spec) AS b49,
       appraisal.grade_rank(49.5, 'pass >= 50, fail'::appraisal.grade_scale_spec) AS r49;
SELECT 'pass >= 50, fail'::appraisal.grade_scale_spec;
SELECT * FROM appraisal.grade_bands('0..10: Excellent >= 9, Good >= 7, Fair >= 5, Poor'::appraisal.grade_scale_spec);
-- negative and fractional numbers, free whitespace, exponents
SELECT '  -10 ..  10.5 :top>=  5,mid >= -2.25 ,  bottom '::appraisal.grade_scale_spec;
-- white space is the six characters isspace() takes in the C locale; a number
-- may carry a plus sign or end in a point
SELECT E'\t0 ..\n100\f:\x0b优 >=\r90 ,差\n'::appraisal.grade_scale_spec AS every_blank;
SELECT '+0..100.: a >= +50., b'::appraisal.grade_scale_spec AS number_forms;
SELECT '0..1e3: k >= 1e2, u'::appraisal.grade_scale_spec;
SELECT appraisal.grade_band(-10, '-10..10.5: top >= 5, mid >= -2.25, bottom'::appraisal.grade_scale_spec) AS lo,
       appraisal.grade_band(-2.25, '-10..10.5: top >= 5, mid >= -2.25, bottom'::appraisal.grade_scale_spec) AS mid,
       appraisal.grade_band(10.5, '-10..10.5: top >= 5, mid >= -2.25, bottom'::appraisal.grade_scale_spec) AS hi;
-- a bound at the top of the range: only hi itself reaches it
SELECT appraisal.grade_band(100, 'perfect >= 100, rest'::appraisal.grade_scale_spec) AS b100,
       appraisal.grade_band(99.99, 'perfect >= 100, rest'::appraisal.grade_scale_spec) AS b99;

-- quoted labels: a space and a quote; output quotes only where needed
SELECT '0..100: "top notch" >= 90, "say ""ok""" >= 50, "plain" >= 20, "a,b:c>=d"'::appraisal.grade_scale_spec;
SELECT appraisal.grade_band(95, '0..100: "top notch" >= 90, "say ""ok""" >= 50, "plain" >= 20, "a,b:c>=d"'::appraisal.grade_scale_spec) AS b95,
       appraisal.grade_band(55, '0..100: "top notch" >= 90, "say ""ok""" >= 50, "plain" >= 20, "a,b:c>=d"'::appraisal.grade_scale_spec) AS b55;
INSERT INTO appraisal.grade_scale (name, scale) VALUES
  ('quoted', '"needs improvement" >= 50, "say ""no"""');
SELECT * FROM appraisal.grade_bands('quoted');

-- text form: canonical output reads back to itself
SELECT name, scale::text::appraisal.grade_scale_spec::text = scale::text AS text_round_trip
FROM appraisal.grade_scale ORDER BY name;
-- the 33-band limit is exclusive: 32 bands are fine
SELECT (SELECT string_agg('b' || i || ' >= ' || (100 - i), ', ' ORDER BY i) FROM generate_series(1, 31) i)
       || ', last' AS s32 \gset
SELECT appraisal.grade_rank(0, :'s32'::appraisal.grade_scale_spec) AS last_rank,
       :'s32'::appraisal.grade_scale_spec::text::appraisal.grade_scale_spec::text = :'s32'::appraisal.grade_scale_spec::text AS round_trip;
-- 63-byte labels are fine (21 three-byte characters)
SELECT appraisal.grade_band(1, ('x >= 50, ' || repeat('差', 21))::appraisal.grade_scale_spec) = repeat('差', 21) AS long_label;

-- binary form: COPY out and in gives the same scales
CREATE TEMP TABLE scales (name text, scale appraisal.grade_scale_spec);
INSERT INTO scales SELECT name, scale FROM appraisal.grade_scale;
INSERT INTO scales VALUES ('s32', :'s32'), ('odd', '-10..10.5: top >= 5, mid >= -2.25, bottom'),
  ('labels', '"top notch" >= 90, "say ""ok""" >= 50, "a,b:c>=d"');
\copy (SELECT name, scale FROM scales) TO 'results/grade_scale.bin' WITH (FORMAT binary)
CREATE TEMP TABLE scales2 (LIKE scales);
\copy scales2 FROM 'results/grade_scale.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE scales.scale::text = scales2.scale::text) AS binary_round_trips
FROM scales JOIN scales2 USING (name);

-- unknown scale name
SELECT appraisal.grade_band(85, 'no_such_scale');
SELECT appraisal.grade_rank(85, 'no_such_scale');
SELECT * FROM appraisal.grade_bands('no_such_scale');

-- scores outside the scale's range, NaN and infinities
SELECT appraisal.grade_band(100.001);
SELECT appraisal.grade_band(-0.001, 'credit');
SELECT appraisal.grade_rank(11, 'feedback');
SELECT appraisal.grade_band('NaN');
SELECT appraisal.grade_band('Infinity', 'staff');
SELECT appraisal.grade_rank('-Infinity');
SELECT appraisal.grade_band(-11, '-10..10.5: top >= 5, mid >= -2.25, bottom'::appraisal.grade_scale_spec);

-- bad scales are rejected when stored; syntax errors (22P02), a NaN (22023),
-- an infinite number or one beyond double precision (22003)
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('empty', '');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('no_label', '>= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('no_number', '优 >= , 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('word', '优 >= ninety, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('nan', '优 >= NaN, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('inf', '0..Infinity: 优 >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('huge', '0..1e999: 优 >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('comma', '优 >= 90 良 >= 80, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('gt', '优 > 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('colon', '0..100 优 >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('trailing', '优 >= 90, 差,');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('quote', '"优 >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('nbsp', E'优 >=\u00a090, 差');  -- U+00A0 is not white space
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('split', '优 >= 9 0, 差');  -- nor inside a number
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('no_hi', '0..: 优 >= 90, 差');
-- inconsistent scales (22023)
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('one', '0..100: 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('lo_hi', '100..0: 优 >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('lo_eq_hi', '50..50: 优 >= 50, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('unbounded', '优 >= 90, 良, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('last_bound', '优 >= 90, 差 >= 0');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('increasing', '优 >= 80, 良 >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('equal', '优 >= 90, 良 >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('above', '优 >= 101, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('at_lo', '优 >= 90, 良 >= 0, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('below', '0..10: 优 >= 9, 良 >= -1, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('dup', '优 >= 90, 良 >= 80, 优');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('empty_label', '"" >= 90, 差');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('long_label',
  ('x >= 50, ' || repeat('差', 22))::appraisal.grade_scale_spec);
INSERT INTO appraisal.grade_scale (name, scale)
  SELECT 'many', (string_agg('b' || i || ' >= ' || (100 - i), ', ' ORDER BY i) || ', last')::appraisal.grade_scale_spec
  FROM generate_series(1, 33) i;

-- the error codes: syntax 22P02, inconsistency 22023, score or number out of
-- range or infinite 22003, NaN 22023, unknown scale name 42704
CREATE FUNCTION pg_temp.sqlstate_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE query;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END
$$;
SELECT what, pg_temp.sqlstate_of(q) AS sqlstate FROM (VALUES
  ('empty text',         $$SELECT ''::appraisal.grade_scale_spec$$),
  ('NaN bound',          $$SELECT '优 >= NaN, 差'::appraisal.grade_scale_spec$$),
  ('overflowing number', $$SELECT '0..1e999: 优 >= 90, 差'::appraisal.grade_scale_spec$$),
  ('> for >=',           $$SELECT '优 > 90, 差'::appraisal.grade_scale_spec$$),
  ('unclosed quote',     $$SELECT '"优 >= 90, 差'::appraisal.grade_scale_spec$$),
  ('one band',           $$SELECT '0..100: 差'::appraisal.grade_scale_spec$$),
  ('lo >= hi',           $$SELECT '100..0: 优 >= 90, 差'::appraisal.grade_scale_spec$$),
  ('missing bound',      $$SELECT '优 >= 90, 良, 差'::appraisal.grade_scale_spec$$),
  ('bound on last',      $$SELECT '优 >= 90, 差 >= 0'::appraisal.grade_scale_spec$$),
  ('increasing bounds',  $$SELECT '优 >= 80, 良 >= 90, 差'::appraisal.grade_scale_spec$$),
  ('bound above hi',     $$SELECT '优 >= 101, 差'::appraisal.grade_scale_spec$$),
  ('duplicate label',    $$SELECT '优 >= 90, 良 >= 80, 优'::appraisal.grade_scale_spec$$),
  ('empty label',        $$SELECT '"" >= 90, 差'::appraisal.grade_scale_spec$$),
  ('66-byte label',      $$SELECT ('x >= 50, ' || repeat('差', 22))::appraisal.grade_scale_spec$$),
  ('34 bands',           $$SELECT (string_agg('b' || i || ' >= ' || (100 - i), ', ') || ', last')::appraisal.grade_scale_spec
                           FROM generate_series(1, 33) i$$),
  ('score above hi',     $$SELECT appraisal.grade_band(100.001)$$),
  ('Infinity score',     $$SELECT appraisal.grade_band('Infinity')$$),
  ('NaN score',          $$SELECT appraisal.grade_band('NaN')$$),
  ('unknown scale',      $$SELECT appraisal.grade_band(85, 'no_such_scale')$$)
) v(what, q);

-- shipped rows cannot be changed; users' rows can
UPDATE appraisal.grade_scale SET scale = 'a >= 50, b' WHERE name = 'standard';
UPDATE appraisal.grade_scale SET description = 'mine now' WHERE name = 'credit';
DELETE FROM appraisal.grade_scale WHERE name = 'english';
INSERT INTO appraisal.grade_scale (name, scale, shipped) VALUES ('fake', 'a >= 50, b', true);
UPDATE appraisal.grade_scale SET scale = '0..10: Excellent >= 9.5, Good >= 7, Fair >= 5, Poor'
WHERE name = 'feedback';
SELECT scale FROM appraisal.grade_scale WHERE name = 'feedback';
-- 9.2 was Excellent, is Good under the new bound
SELECT appraisal.grade_band(9.2, 'feedback');
DELETE FROM appraisal.grade_scale WHERE name IN ('feedback', 'quoted');
SELECT name, shipped FROM appraisal.grade_scale ORDER BY name;
