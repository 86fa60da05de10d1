-- Weight schemes: named (appraisal.weight_scheme) and inline (appraisal.weight_scheme_spec).
\set SHOW_CONTEXT never

-- the shipped scheme, in canonical form
SELECT name, scheme, shipped FROM appraisal.weight_scheme ORDER BY name;

CREATE TEMP TABLE r (ratee text, role appraisal.rater_role, score double precision);
INSERT INTO r VALUES
  -- A: superior 85, peer 70, subordinate 95, self 60
  ('A','superior',90),('A','superior',80),('A','peer',70),
  ('A','subordinate',100),('A','subordinate',95),('A','subordinate',90),('A','self',60),
  -- B: superior 85, subordinate 95, self 60 (no peers)
  ('B','superior',85),('B','subordinate',95),('B','self',60),
  -- C: superior 80; peers 60, 70 (two); subordinates 90, 100 (two)
  ('C','superior',80),('C','peer',60),('C','peer',70),('C','subordinate',90),('C','subordinate',100),
  -- D: superior 80; peers 60, 70; one subordinate 90
  ('D','superior',80),('D','peer',60),('D','peer',70),('D','subordinate',90);

-- 'standard' by name gives what the two-argument form gives, case by case.
-- Its anonymity thresholds (peer 3, subordinate 3) leave out A's one peer:
-- .6*85 + .4*95 = 89; B's one subordinate: 85; C's and D's two peers and
-- their one or two subordinates: the superior alone, 80.
SELECT ratee, appraisal.score_360(score, role, 'standard') AS named,
       appraisal.score_360(score, role) AS builtin
FROM r GROUP BY ratee ORDER BY ratee;

-- users add schemes
INSERT INTO appraisal.weight_scheme (name, scheme, description) VALUES
  ('with_self', 'superior 50, peer 20, subordinate 20, self 10', 'self-rating counts 10 %'),
  ('anonymous', 'superior 50, peer 25, subordinate 25; fallback superior 70, subordinate 30; min_raters peer 3, subordinate 2',
   'peers need 3 raters, subordinates 2');
SELECT name, scheme FROM appraisal.weight_scheme WHERE NOT shipped ORDER BY name;

-- with_self, no fallbacks, so missing groups renormalise proportionally:
-- A: (50*85 + 20*70 + 20*95 + 10*60)/100 = (4250+1400+1900+600)/100 = 81.5
-- B: (50*85 + 20*95 + 10*60)/80 = 6750/80 = 84.375
-- C: (50*80 + 20*65 + 20*95)/90 = (4000+1300+1900)/90 = 80
-- D: (50*80 + 20*65 + 20*90)/90 = (4000+1300+1800)/90 = 78.888...
SELECT ratee, appraisal.score_360(score, role, 'with_self') FROM r GROUP BY ratee ORDER BY ratee;

-- anonymous: peers below 3 raters and subordinates below 2 are suppressed.
-- A: peer (1) and subordinate (3) -> peer suppressed -> {superior, subordinate}
--    -> explicit fallback 70/30: .7*85 + .3*95 = 59.5 + 28.5 = 88
-- B: subordinate has 1 rater -> suppressed -> superior only -> no fallback -> 85
-- C: peers (2) suppressed, subordinates (2) count -> fallback: .7*80 + .3*95 = 56 + 28.5 = 84.5
-- D: peers and the single subordinate suppressed -> 80
SELECT ratee, appraisal.score_360(score, role, 'anonymous') FROM r GROUP BY ratee ORDER BY ratee;

-- the accessors honour the same suppression and explain the weights
-- (with_self has no thresholds: every peer shows)
SELECT ratee,
       appraisal.group_mean(s, 'peer', 'with_self') AS peer_mean,
       appraisal.group_mean(s, 'peer', 'anonymous') AS peer_mean_anon,
       appraisal.rater_count(s, 'peer', 'with_self') AS peers,
       appraisal.rater_count(s, 'peer', 'anonymous') AS peers_anon,
       appraisal.rater_count(s, 'customer', 'anonymous') AS customers_anon,
       appraisal.score_360(s, 'anonymous') AS score,
       appraisal.weights_used(s, 'anonymous') AS weights
FROM (SELECT ratee, appraisal.rating_agg(score, role) AS s FROM r GROUP BY ratee) t
ORDER BY ratee;
SELECT appraisal.explain_360(appraisal.rating_agg(score, role), 'anonymous') FROM r WHERE ratee = 'C';

-- an inline scheme needs no table row: equal weights for superior and peer
-- A: (85 + 70)/2 = 77.5
SELECT appraisal.score_360(score, role, 'superior 1, peer 1'::appraisal.weight_scheme_spec)
FROM r WHERE ratee = 'A';
SELECT appraisal.score_360(appraisal.rating_agg(score, role), 'superior 1, peer 1'::appraisal.weight_scheme_spec)
FROM r WHERE ratee = 'A';
-- a bare min_raters applies to every role; whitespace is free
SELECT ' superior 3 ,peer 1;min_raters   2 '::appraisal.weight_scheme_spec;
-- white space is the six characters isspace() takes in the C locale, \v and \f
-- too; a weight may be written "+30", "30." or ".4e2"
SELECT E'\x0bsuperior\f3\n,\tpeer 1\r;\fmin_raters\x0bpeer  2\n'::appraisal.weight_scheme_spec AS every_blank;
SELECT 'superior +30, peer 30., subordinate .4e2'::appraisal.weight_scheme_spec AS number_forms;

-- unknown scheme name
SELECT appraisal.score_360(score, role, 'no_such_scheme') FROM r;
SELECT appraisal.score_360(appraisal.rating_agg(score, role), 'no_such_scheme') FROM r;
-- one group, two schemes
SELECT appraisal.score_360(score, role, CASE WHEN role = 'peer' THEN 'with_self' ELSE 'standard' END)
FROM r WHERE ratee = 'A';

-- bad schemes are rejected when stored
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('neg', 'superior -1, peer 30');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('zero', 'superior 0, peer 0');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('boss', 'boss 40, peer 60');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('words', 'superior forty');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('nan', 'superior nan');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('twice', 'superior 40, superior 60');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('fb_role', 'superior 40, peer 60; fallback subordinate 100');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('fb_all', 'superior 40, peer 60; fallback superior 50, peer 50');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('fb_dup', 'superior 40, peer 30, self 30; fallback superior 50, peer 50; fallback peer 1, superior 1');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('fb_zero', 'superior 40, peer 30, self 30; fallback superior 100, peer 0');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('min0', 'superior 40; min_raters superior 0');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('minfrac', 'superior 40; min_raters 2.5');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('section', 'superior 40; fallbak superior 1');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('trailing', 'superior 40 peer 30');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('empty', '');
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('many',
  'superior 1, peer 1, subordinate 1, self 1, customer 1; fallback superior 1; fallback peer 1; fallback subordinate 1; fallback self 1; fallback customer 1; fallback superior 1, peer 1; fallback superior 1, self 1; fallback superior 1, customer 1; fallback peer 1, self 1');

-- shipped rows cannot be changed; users' rows can
UPDATE appraisal.weight_scheme SET scheme = 'superior 100' WHERE name = 'standard';
DELETE FROM appraisal.weight_scheme WHERE name = 'standard';
INSERT INTO appraisal.weight_scheme (name, scheme, shipped) VALUES ('mine', 'peer 1', true);
UPDATE appraisal.weight_scheme SET scheme = 'superior 60, self 40' WHERE name = 'with_self';
DELETE FROM appraisal.weight_scheme WHERE name = 'with_self';

-- text and binary forms read back to the same value
SELECT scheme::text::appraisal.weight_scheme_spec::text = scheme::text AS text_round_trip
FROM appraisal.weight_scheme ORDER BY name;
CREATE TEMP TABLE schemes AS SELECT name, scheme FROM appraisal.weight_scheme;
\copy schemes TO 'results/weight_scheme.bin' WITH (FORMAT binary)
CREATE TEMP TABLE schemes2 (LIKE schemes);
\copy schemes2 FROM 'results/weight_scheme.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trips FROM schemes JOIN schemes2 USING (name)
WHERE schemes.scheme::text = schemes2.scheme::text;

-- the scheme may come from a column: resolved per row, one scheme per group
CREATE TEMP TABLE rs AS SELECT r.*, CASE WHEN ratee IN ('A','B') THEN 'anonymous' ELSE 'standard' END AS scheme FROM r;
-- A, B with 'anonymous' as above (88, 85); C, D with 'standard' (80, 80)
SELECT ratee, appraisal.score_360(score, role, scheme) FROM rs GROUP BY ratee ORDER BY ratee;
SELECT ratee, appraisal.score_360(score, role, scheme::appraisal.weight_scheme_spec) FROM
  (SELECT rs.*, w.scheme::text AS scheme_text FROM rs JOIN appraisal.weight_scheme w ON w.name = rs.scheme) x(ratee, role, score, name, scheme)
GROUP BY ratee ORDER BY ratee;

-- -0 is 0: equal schemes are equal whatever their spelling
SELECT 'superior 40, peer -0'::appraisal.weight_scheme_spec::text AS canonical;
SELECT appraisal.score_360_final(appraisal.score_360_combine(
  appraisal.score_360_trans('{}', 90, 'superior', 'superior 40, peer -0'::appraisal.weight_scheme_spec),
  appraisal.score_360_trans('{}', 80, 'superior', 'superior 40'::appraisal.weight_scheme_spec))) AS combined;
-- hexadecimal and numbers beyond double precision are not weights
SELECT 'superior 0x28'::appraisal.weight_scheme_spec;
SELECT 'superior 1e-400, peer 1'::appraisal.weight_scheme_spec;
SELECT 'superior 1e400'::appraisal.weight_scheme_spec;
-- a subnormal number is within double precision's range, but no weight: a
-- weight is 0 or at least the least normal number (text and binary alike)
SELECT 'superior 5e-324'::appraisal.weight_scheme_spec AS subnormal;
-- malformed sections
SELECT E'superior 40,\u00a0peer 60'::appraisal.weight_scheme_spec;  -- U+00A0 is not white space
SELECT 'superior 40;'::appraisal.weight_scheme_spec;
SELECT 'superior 40; fallback'::appraisal.weight_scheme_spec;
SELECT 'superior 40, peer 60; fallbackpeer 1'::appraisal.weight_scheme_spec;
SELECT 'superior 40; min_raters 2, peer 3'::appraisal.weight_scheme_spec;
SELECT 'superior 40; min_raters 2; min_raters 3'::appraisal.weight_scheme_spec;
SELECT 'superior 40; min_raters peer 2000000'::appraisal.weight_scheme_spec;
-- an unknown name is an error even where the scheme would not matter
SELECT appraisal.rater_count('{}'::appraisal.ratings, 'peer', 'no_such_scheme');
