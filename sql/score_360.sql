-- score_360(score, role): the documents' 360 composite (docs/rules.md, "360-degree scores").
-- Every expected value below is computed by hand in the comment above it.

-- Peers and subordinates count from three raters (the standard scheme's
-- anonymity thresholds), so every group below has three, but where a
-- group is meant to be too small (K, L).
CREATE TEMP TABLE r (ratee text, role appraisal.rater_role, score double precision);
-- A: all three groups.  superior 90,80 -> 85; peer 70,65,75 -> 70; subordinate 100,95,90 -> 95
INSERT INTO r VALUES ('A','superior',90),('A','superior',80),('A','peer',70),('A','peer',65),('A','peer',75),
  ('A','subordinate',100),('A','subordinate',95),('A','subordinate',90);
-- B: no peers.  superior 85, subordinate 95 x 3
INSERT INTO r VALUES ('B','superior',85),('B','subordinate',95),('B','subordinate',95),('B','subordinate',95);
-- C: no subordinates.  superior 85, peer 70 x 3
INSERT INTO r VALUES ('C','superior',85),('C','peer',70),('C','peer',70),('C','peer',70);
-- D: superior only (a superior is never anonymous: one counts)
INSERT INTO r VALUES ('D','superior',85);
-- E: no superior.  peer 70 x 3, subordinate 95 x 3
INSERT INTO r VALUES ('E','peer',70),('E','peer',70),('E','peer',70),
  ('E','subordinate',95),('E','subordinate',95),('E','subordinate',95);
-- F: peers only, 70, 75, 72.5 -> 72.5; G: subordinates only, 95 x 3
INSERT INTO r VALUES ('F','peer',70),('F','peer',75),('F','peer',72.5);
INSERT INTO r VALUES ('G','subordinate',95),('G','subordinate',95),('G','subordinate',95);
-- H: only self and customer ratings: nothing usable
INSERT INTO r VALUES ('H','self',100),('H','customer',40);
-- I: like A plus self/customer ratings and NULL scores, which must not count
INSERT INTO r SELECT 'I', role, score FROM r WHERE ratee = 'A';
INSERT INTO r VALUES ('I','self',10),('I','customer',0),('I','superior',NULL),('I','peer',NULL);
-- J: NULL scores only
INSERT INTO r VALUES ('J','superior',NULL);
-- K: superior 85, two peers (70, 80: fewer than 3, suppressed as if
-- missing), subordinates 95 x 3.  L: two peers and two subordinates only:
-- both suppressed, nothing usable.
INSERT INTO r VALUES ('K','superior',85),('K','peer',70),('K','peer',80),
  ('K','subordinate',95),('K','subordinate',95),('K','subordinate',95);
INSERT INTO r VALUES ('L','peer',70),('L','peer',80),('L','subordinate',90),('L','subordinate',90);

-- A: .4*85 + .3*70 + .3*95 = 34 + 21 + 28.5 = 83.5
-- B: fixed fallback .6*85 + .4*95 = 51 + 38 = 89 (proportional would give 89.2857...)
-- C: fixed fallback .6*85 + .4*70 = 51 + 28 = 79 (proportional would give 78.5714...)
-- D: 85.  E: 50/50 -> 82.5.  F: 72.5.  G: 95.  H, J: NULL.  I: 83.5 as A.
-- K: as B, the peers left out: 89.  L: NULL.
SELECT ratee, appraisal.score_360(score, role) FROM r GROUP BY ratee ORDER BY ratee;

-- the fallbacks as weights, so the person appraised can see them
SELECT ratee, appraisal.weights_used(appraisal.rating_agg(score, role))
FROM r GROUP BY ratee ORDER BY ratee;

-- no rows at all -> NULL
SELECT appraisal.score_360(score, role) FROM r WHERE false;

-- boundaries are exact: decimal means that make exactly 90 give 90, not 89.99999999999999
-- superior 89.7, 90.3 -> 90; peer 95 x 3; subordinate 85 x 3: 36 + 28.5 + 25.5 = 90
SELECT appraisal.score_360(s, role) = 90 AS exactly_90
FROM (VALUES (89.7,'superior'::appraisal.rater_role),(90.3,'superior'),(95,'peer'),(95,'peer'),(95,'peer'),
             (85,'subordinate'),(85,'subordinate'),(85,'subordinate')) v(s, role);
-- superior 88.8, peer 91.1 x 3, subordinate 90.5 x 3: 35.52 + 27.33 + 27.15 = 90
SELECT appraisal.score_360(s, role) = 90 AS exactly_90
FROM (VALUES (88.8,'superior'::appraisal.rater_role),(91.1,'peer'),(91.1,'peer'),(91.1,'peer'),
             (90.5,'subordinate'),(90.5,'subordinate'),(90.5,'subordinate')) v(s, role);
-- superior 60.2, 59.9, 59.9 -> 60; no others: exactly 60
SELECT appraisal.score_360(s, 'superior') = 60 AS exactly_60 FROM (VALUES (60.2),(59.9),(59.9)) v(s);
-- 89.999 stays 89.999
SELECT appraisal.score_360(s, 'superior') FROM (VALUES (89.999)) v(s);
-- a computed score (100/3) comes back as the same double
SELECT appraisal.score_360(100.0::float8 / 3, 'superior') = 100.0::float8 / 3 AS same_double;
-- 0 and 100 are valid scores
SELECT appraisal.score_360(s, 'superior') FROM (VALUES (0),(100)) v(s);

-- bad input: every error names the value
SELECT appraisal.score_360(s, 'peer') FROM (VALUES (100.5)) v(s);
SELECT appraisal.score_360(s, 'peer') FROM (VALUES (-0.001)) v(s);
SELECT appraisal.score_360('NaN'::float8, 'peer');
SELECT appraisal.score_360('Infinity'::float8, 'peer');
SELECT appraisal.score_360('-Infinity'::float8, 'peer');
SELECT appraisal.score_360(50, 'boss');

-- as a moving window (exact inverse): superior scores over the last two rows
SELECT i, appraisal.score_360(s, 'superior') OVER (ORDER BY i ROWS 1 PRECEDING)
FROM (VALUES (1, 90), (2, 80), (3, 71), (4, NULL)) v(i, s);

-- a score without a role is an error, not silently dropped; a NULL score is left out
SELECT appraisal.score_360(s, r) FROM (VALUES (90, 'superior'::appraisal.rater_role), (80, NULL)) v(s, r);
SELECT appraisal.rating_agg(s, r) FROM (VALUES (90, 'superior'::appraisal.rater_role), (NULL, NULL)) v(s, r);
SELECT appraisal.score_360(s, r, 'standard') FROM (VALUES (90, NULL::appraisal.rater_role)) v(s, r);
SELECT appraisal.score_360(s, 'superior', NULL::text) FROM (VALUES (90)) v(s);

-- the named-scheme form as a moving window too: superior over the last two rows
-- 90; (90+80)/2 = 85; (80+71)/2 = 75.5; 71
SELECT i, appraisal.score_360(s, 'superior', 'standard') OVER (ORDER BY i ROWS 1 PRECEDING)
FROM (VALUES (1, 90), (2, 80), (3, 71), (4, NULL)) v(i, s);
