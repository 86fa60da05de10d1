-- Banded item scoring (docs/rules.md, "Satisfaction survey"): value -> band -> points
-- interpolated linearly inside the band, exact and truncated to two decimals.
-- Every expected value is worked out by hand in the comments.
\set SHOW_CONTEXT never
\i test/regress_helpers.sql

-- resolution_days_15 = 'A [0,2] 15; B (2,3] 14..11; C (3,4] 10..8;
--                       D (4,7] 7..4; E (7,14] 3..0; E (14,) 0'
--   0, 2       -> A 15.00 (2 is inside A: [0,2])
--   2.0001     -> B 14 - 3 * 0.0001 / 1 = 13.9997 -> 13.99 (truncated)
--   2.5        -> B 14 - 3 * 0.5 = 12.50;  3 -> B 11.00
--   3.5        -> C 10 - 2 * 0.5 = 9.00;   4 -> C 8.00
--   4.1        -> D 7 - 3 * 0.1 / 3 = 6.90; 5 -> 7 - 1 = 6.00 (never 5.99)
--   5.5        -> D 7 - 3 * 1.5 / 3 = 5.50; 6 -> 5.00; 7 -> D 4.00
--   7.5        -> E 3 - 3 * 0.5 / 7 = 2.7857... -> 2.78
--   10.5       -> E 3 - 3 * 3.5 / 7 = 1.50; 14 -> E 0.00; 100 -> E (14,) 0.00
SELECT v, appraisal.item_points(v, 'resolution_days_15') AS points,
       appraisal.item_band(v, 'resolution_days_15') AS band
FROM unnest('{0, 2, 2.0001, 2.5, 3, 3.5, 4, 4.1, 5, 5.5, 6, 7, 7.5, 10.5, 14, 100}'::numeric[]) v;

-- satisfaction_15 = 'E [0,40) 0..3; D [40,60) 4..7; C [60,75) 8..10;
--                    B [75,90) 11..14; A [90,100] 15'
--   90 -> A 15.00; 89.999 -> B 11 + 3 * 14.999 / 15 = 13.9998 -> 13.99
--   75 -> B 11.00; 67.5 -> C 8 + 2 * 7.5 / 15 = 9.00; 60 -> C 8.00
--   59.99 -> D 4 + 3 * 19.99 / 20 = 6.9985 -> 6.99; 20 -> E 3 * 20 / 40 = 1.50
--   0 -> E 0.00; 100 -> A 15.00
SELECT v, appraisal.item_points(v, 'satisfaction_15') AS points,
       appraisal.item_band(v, 'satisfaction_15') AS band
FROM unnest('{0, 20, 59.99, 60, 67.5, 75, 89.999, 90, 100}'::numeric[]) v;

-- image_10: 82.5 -> B 7 + 2 * 7.5 / 15 = 8.00; 95 -> A 10.00; 39 -> E 2 * 39 / 40 = 1.95
SELECT appraisal.item_points(82.5, 'image_10') AS b_8, appraisal.item_points(95, 'image_10') AS a_10,
       appraisal.item_points(39, 'image_10') AS e_1_95;

-- full marks: six 15-point items and one 10-point item make the survey's 100
SELECT name, appraisal.item_max_points(name) AS full_marks FROM appraisal.item_scale ORDER BY name;
SELECT 6 * appraisal.item_max_points('satisfaction_15') + appraisal.item_max_points('image_10') AS survey_total;

-- the bands as rows (open ends are NULL)
SELECT * FROM appraisal.item_bands('resolution_days_15');

-- inline scales: a point band, points rising, an open lower end, a label
-- shared by two adjacent pieces, a quoted label
SELECT appraisal.item_points(5, 'x [5,5] 2'::appraisal.item_scale_spec) AS point_band_2,
       appraisal.item_points(1, 'low (,0] 0; up (0,4] 0..10'::appraisal.item_scale_spec) AS rising_2_5,
       appraisal.item_points(-1e6, 'low (,0] 0; up (0,4] 0..10'::appraisal.item_scale_spec) AS open_below_0,
       appraisal.item_points(3, 'A [0,2] 10..6; A (2,4] 6..4'::appraisal.item_scale_spec) AS shared_piece_5,
       appraisal.item_band(1, '"very good" [0,1] 1'::appraisal.item_scale_spec) AS quoted;
-- many values through one call site: the prepared scale is reused, and the
-- sum is exact: values 0.00 .. 3.00 by 0.01 on resolution_days_15: 0..2 give
-- 201 * 15 = 3015; 2.01..3 give sum of (1400 - 3k) / 100 for k = 1..100
-- = (140000 - 3 * 5050) / 100 = 1248.50; total 4263.50
SELECT sum(appraisal.item_points(i / 100.0, 'resolution_days_15')) AS exact_sum
FROM generate_series(0, 300) i;
-- ten scales in turn through one call site, which keeps eight prepared:
-- 'A [0,k] 0..k' gives k / 2 at k / 2; k = 1..10 three times over:
-- 3 * (1 + ... + 10) / 2 = 3 * 27.5 = 82.50
SELECT sum(appraisal.item_points((i % 10 + 1) / 2.0,
                                 ('A [0,' || i % 10 + 1 || '] 0..' || i % 10 + 1)::appraisal.item_scale_spec)) AS ten_scales
FROM generate_series(0, 29) i;

-- text form round trip, canonical spacing
SELECT ' A[0 , 2]15 ;B (2,3] 14 .. 11'::appraisal.item_scale_spec AS spaced;
SELECT '"say ""ok""" [-2.5,1e3] 0.25..7.5; 优 (1000,) 9'::appraisal.item_scale_spec AS canonical;
-- white space is the six characters isspace() takes in the C locale; a number
-- may carry a plus sign or end in a point
SELECT E'\tA\n[\x0b0\f,\r2 ]\n15\t;\fB(2,3]14 ..\n11\n'::appraisal.item_scale_spec AS every_blank;
SELECT 'A [+0,2.] +15; B (2,.3e1] 14..11'::appraisal.item_scale_spec AS number_forms;

-- binary form: COPY out and in gives the same scales
CREATE TEMP TABLE scales (name text, scale appraisal.item_scale_spec);
INSERT INTO scales SELECT name, scale FROM appraisal.item_scale;
INSERT INTO scales VALUES ('odd', '"say ""ok""" (,-2.5) 1; 优 [-2.5,1e3] 0.25..7.5; z (1000,) 9');
\copy (SELECT name, scale FROM scales) TO 'results/item_scale.bin' WITH (FORMAT binary)
CREATE TEMP TABLE scales2 (LIKE scales);
\copy scales2 FROM 'results/item_scale.bin' WITH (FORMAT binary)
SELECT count(*) AS copied, count(*) FILTER (WHERE scales.scale::text = scales2.scale::text) AS binary_round_trips
FROM scales JOIN scales2 USING (name);
-- binary input is as strict as text: bands crafted as bytea (whose binary
-- form is its bytes): int4 count, then per band label\0, flags (1 = lower
-- bound inclusive, 2 = upper), lower, upper, points at lower, at upper
CREATE FUNCTION pg_temp.band(label text, flags int, lo float8, hi float8, p_lo float8, p_hi float8)
RETURNS bytea LANGUAGE sql AS $$
  SELECT convert_to(label, 'UTF8') || '\x00'::bytea || set_byte('\x00'::bytea, 0, flags)
         || float8send(lo) || float8send(hi) || float8send(p_lo) || float8send(p_hi)
$$;
CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE crafted (scale appraisal.item_scale_spec);
-- valid: A [0,2] 15; B (2,3] 14..11; E (3,) 0
INSERT INTO raw VALUES (int4send(3) || pg_temp.band('A', 3, 0, 2, 15, 15) || pg_temp.band('B', 2, 2, 3, 14, 11)
                        || pg_temp.band('E', 0, 3, 'Infinity', 0, 0));
\copy raw TO 'results/item_scale_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/item_scale_raw.bin' WITH (FORMAT binary)
SELECT scale FROM crafted;
-- a gap: A [0,1] then B (2,3]
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(2) || pg_temp.band('A', 3, 0, 1, 1, 1) || pg_temp.band('B', 2, 2, 3, 1, 1));
\copy raw TO 'results/item_scale_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/item_scale_raw.bin' WITH (FORMAT binary)
-- no bands
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(0));
\copy raw TO 'results/item_scale_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/item_scale_raw.bin' WITH (FORMAT binary)
-- unknown flag bits
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(1) || pg_temp.band('A', 7, 0, 1, 1, 1));
\copy raw TO 'results/item_scale_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/item_scale_raw.bin' WITH (FORMAT binary)
-- an inclusive infinite bound, and NaN points
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(1) || pg_temp.band('A', 3, 0, 'Infinity', 1, 1));
\copy raw TO 'results/item_scale_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/item_scale_raw.bin' WITH (FORMAT binary)
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(1) || pg_temp.band('A', 3, 0, 1, 'NaN', 1));
\copy raw TO 'results/item_scale_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/item_scale_raw.bin' WITH (FORMAT binary)
-- truncated message
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(2) || pg_temp.band('A', 3, 0, 1, 1, 1));
\copy raw TO 'results/item_scale_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/item_scale_raw.bin' WITH (FORMAT binary)
SELECT count(*) AS still_one_row FROM crafted;

-- values outside the scale (22003), NaN (22023), NULL, unknown scale (42704)
SELECT pg_temp.try($$SELECT appraisal.item_points(-1, 'resolution_days_15')$$) AS negative_days;
SELECT pg_temp.try($$SELECT appraisal.item_points(100.5, 'satisfaction_15')$$) AS above_100;
SELECT pg_temp.try($$SELECT appraisal.item_band(-0.001, 'image_10')$$) AS below_0;
SELECT pg_temp.try($$SELECT appraisal.item_points('NaN', 'satisfaction_15')$$) AS nan;
SELECT pg_temp.try($$SELECT appraisal.item_points(1, 'no_such_scale')$$) AS unknown;
SELECT appraisal.item_points(NULL, 'satisfaction_15') IS NULL AS null_value,
       appraisal.item_points(1, NULL::text) IS NULL AS null_scale;

-- bad scales are rejected when stored; inconsistent ones with 22023
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('gap', 'A [0,1] 1; B (2,3] 1')$$) AS gap;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('neither', 'A [0,1) 1; B (1,3] 1')$$) AS meeting_value_in_neither;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('both', 'A [0,1] 1; B [1,3] 1')$$) AS meeting_value_in_both;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('overlap', 'A [0,2] 1; B (1,3] 1')$$) AS overlap;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('order', 'B (2,3] 1; A [0,2] 1')$$) AS out_of_order;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('empty', 'A (2,2] 1')$$) AS empty_band;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('reversed', 'A [3,2] 1')$$) AS reversed_band;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('point', 'A [5,5] 1..2')$$) AS point_band_with_range;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('open_incl', 'A [,2] 1')$$) AS open_inclusive;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('open_range', 'A [0,) 1..2')$$) AS open_with_range;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('open_mid', 'A [0,) 1; B (5,6] 1')$$) AS open_not_last;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('negative', 'A [0,1] -1..0')$$) AS negative_points;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('huge', 'A [0,1] 1e15')$$) AS huge_points;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('relabel', 'A [0,1] 1; B (1,2] 1; A (2,3] 1')$$) AS label_repeated_apart;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('no_label', '"" [0,1] 1')$$) AS empty_label;
SELECT pg_temp.try($$INSERT INTO appraisal.item_scale (name, scale) VALUES ('long', (repeat('差', 22) || ' [0,1] 1')::appraisal.item_scale_spec)$$) AS long_label;
SELECT pg_temp.try($$SELECT (string_agg('b' || i || ' [' || i || ',' || (i + 1) || ') 1', '; ' ORDER BY i))::appraisal.item_scale_spec
                     FROM generate_series(1, 33) i$$) AS too_many_bands;
SELECT (string_agg('b' || i || ' [' || i || ',' || (i + 1) || ') 1', '; ' ORDER BY i))::appraisal.item_scale_spec IS NOT NULL AS thirty_two_bands
FROM generate_series(1, 32) i;
-- syntax errors (22P02); a bound beyond double precision (22003), NaN (22023)
SELECT pg_temp.try($$SELECT ''::appraisal.item_scale_spec$$) AS empty_text;
SELECT pg_temp.try($$SELECT 'A 0,2] 1'::appraisal.item_scale_spec$$) AS no_bracket;
SELECT pg_temp.try($$SELECT 'A [0;2] 1'::appraisal.item_scale_spec$$) AS no_comma;
SELECT pg_temp.try($$SELECT 'A [0,2 1'::appraisal.item_scale_spec$$) AS unclosed;
SELECT pg_temp.try($$SELECT 'A [0,2]'::appraisal.item_scale_spec$$) AS no_points;
SELECT pg_temp.try($$SELECT 'A [0,2] 1..'::appraisal.item_scale_spec$$) AS half_range;
SELECT pg_temp.try($$SELECT 'A [0,2] 1 B (2,3] 1'::appraisal.item_scale_spec$$) AS no_semicolon;
SELECT pg_temp.try($$SELECT 'A [0,2] 1;'::appraisal.item_scale_spec$$) AS trailing_semicolon;
SELECT pg_temp.try($$SELECT 'A [0,1e999] 1'::appraisal.item_scale_spec$$) AS infinite_bound;
SELECT pg_temp.try($$SELECT 'A [0,NaN] 1'::appraisal.item_scale_spec$$) AS nan_bound;
SELECT pg_temp.try(format('SELECT %L::appraisal.item_scale_spec', E'A [0,\u00a02] 1')) AS no_break_space;
SELECT pg_temp.try($$SELECT 'A [0 2] 1'::appraisal.item_scale_spec$$) AS blank_for_comma;
SELECT pg_temp.try($$SELECT 'A [0,2] 1..2..3'::appraisal.item_scale_spec$$) AS three_points;

-- shipped scales cannot be changed; a user's scale can, and is used by name
SELECT pg_temp.try($$UPDATE appraisal.item_scale SET scale = 'A [0,1] 1' WHERE name = 'image_10'$$) AS shipped;
INSERT INTO appraisal.item_scale (name, scale, description)
  VALUES ('hours_10', 'A [0,24] 10; B (24,48] 9..5; C (48,) 0', 'Reply within 24 h.');
-- 36 h -> B 9 - 4 * 12 / 24 = 7.00
SELECT appraisal.item_points(36, 'hours_10') AS b_7, appraisal.item_band(60, 'hours_10') AS c;
