-- Two-step 360: rating_agg -> appraisal.ratings -> rollup -> accessors.

CREATE TEMP TABLE r (day date, ratee text, role appraisal.rater_role, score double precision);
INSERT INTO r VALUES
  ('2026-01-05','A','superior',90),('2026-01-05','A','peer',70),('2026-01-05','A','subordinate',100),
  ('2026-02-10','A','superior',80),('2026-02-10','A','subordinate',95),
  ('2026-03-20','A','subordinate',90),('2026-03-20','A','self',55.5),('2026-03-20','A','peer',NULL);

-- the summary: counts and exact sums per role (NULL scores left out)
SELECT appraisal.rating_agg(score, role) FROM r;
SELECT appraisal.rating_agg(score, role) FROM r WHERE false;

-- daily summaries rolled up equal the summary of the raw rows, to the last digit
CREATE TEMP TABLE daily AS
  SELECT day, ratee, appraisal.rating_agg(score, role) AS s FROM r GROUP BY day, ratee;
SELECT appraisal.rollup(s)::text = (SELECT appraisal.rating_agg(score, role)::text FROM r) AS rollup_exact
FROM daily;

-- accessors on the rolled-up summary.
-- superior 90,80 -> 85 (2); peer 70 (1); subordinate 100,95,90 -> 95 (3); self 55.5 (1)
-- The one peer is fewer than the standard scheme's anonymity threshold (3):
-- suppressed, left out as if missing, so the no-peers fallback applies:
-- composite .6*85 + .4*95 = 51 + 38 = 89
SELECT appraisal.score_360(s) AS score,
       appraisal.score_360(s, 'standard') AS score_named,
       appraisal.group_mean(s, 'superior') AS superior_mean,
       appraisal.group_mean(s, 'self') AS self_mean,
       appraisal.group_mean(s, 'customer') AS customer_mean,
       appraisal.rater_count(s, 'subordinate') AS subordinates,
       appraisal.rater_count(s, 'customer') AS customers,
       appraisal.weights_used(s) AS weights
FROM (SELECT appraisal.rollup(s) AS s FROM daily) t;
SELECT appraisal.explain_360(appraisal.rollup(s)) FROM daily;
-- nothing usable: score, weights NULL; the explanation says so
SELECT appraisal.score_360(s), appraisal.weights_used(s), appraisal.explain_360(s)
FROM (VALUES ('{self: n=1 sum=50}'::appraisal.ratings)) v(s);
-- rollup of nothing is the empty summary; NULL summaries are skipped
SELECT appraisal.rollup(s) FROM daily WHERE false;
SELECT appraisal.rollup(s) FROM (VALUES (NULL::appraisal.ratings), ('{peer: n=1 sum=70}')) v(s);

-- decimal sums are exact: ten 89.7s and ten 90.3s sum to exactly 1800
SELECT appraisal.rating_agg(s, 'peer') FROM (SELECT 89.7 FROM generate_series(1,10) UNION ALL SELECT 90.3 FROM generate_series(1,10)) v(s);

-- text form: reads back to the same value; whitespace is free on input
SELECT '{ superior : n=2  sum=170 ,peer: n=1 sum=70.25}'::appraisal.ratings;
-- white space is the six characters isspace() takes in the C locale (space,
-- \t, \n, \v, \f, \r), before and after every token, "=" included; a count
-- may carry a sign
SELECT E'\t{\nsuperior\f:\rn = +2\x0bsum =170 ,peer:n=1 sum= 70.25 }\n'::appraisal.ratings AS every_blank;
SELECT s::text::appraisal.ratings::text = s::text AS round_trip FROM daily ORDER BY day;
-- binary form
CREATE TEMP TABLE copied (LIKE daily);
\copy daily TO 'results/ratings.bin' WITH (FORMAT binary)
\copy copied FROM 'results/ratings.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trips FROM daily d JOIN copied c USING (day) WHERE d.s::text = c.s::text;

-- the score_360(score, role, scheme) state is a real type too
SELECT '{superior: n=1 sum=90} using superior 40, peer 30, subordinate 30'::appraisal.score_360_state;
SELECT '{}'::appraisal.score_360_state;
SELECT E'{superior: n=1 sum=90}\nusing\tsuperior 40 ,peer 30;\x0bfallback superior 100\f'::appraisal.score_360_state AS every_blank;

-- impossible summaries are rejected
SELECT '{superior: n=1 sum=100.5}'::appraisal.ratings;   -- one score cannot exceed 100
SELECT '{superior: n=0 sum=0}'::appraisal.ratings;       -- counts start at 1
SELECT '{superior: n=-1 sum=0}'::appraisal.ratings;
SELECT '{boss: n=1 sum=50}'::appraisal.ratings;
SELECT '{peer: n=1 sum=50, peer: n=1 sum=50}'::appraisal.ratings;
SELECT '{peer: n=1 sum=50.1234567890123456789}'::appraisal.ratings;  -- finer than 10^-18
SELECT '{peer: n=1 sum=50'::appraisal.ratings;
SELECT '{peer: n=1 sum=50} extra'::appraisal.ratings;
SELECT E'{peer:\u00a0n=1 sum=50}'::appraisal.ratings;  -- U+00A0 is not white space
SELECT '{peer n=1 sum=50}'::appraisal.ratings;
SELECT '{peer: n=1}'::appraisal.ratings;
SELECT '{peer: n=1 sum=-50}'::appraisal.ratings;
SELECT '{peer: n=99999999999999999999 sum=50}'::appraisal.ratings;       -- beyond bigint
SELECT '{peer: n=1 sum=100000000000000000000000}'::appraisal.ratings;    -- beyond 128 bits
SELECT '{superior: n=1 sum=90} using boss 1'::appraisal.score_360_state;
SELECT '{superior: n=1 sum=90} usingsuperior 40'::appraisal.score_360_state;  -- "using" is a word
SELECT '{superior: n=1 sum=90} using superior 40 peer 30'::appraisal.score_360_state;
-- ratings never enter a score_360_state without their scheme
SELECT '{superior: n=1 sum=90}'::appraisal.score_360_state;
-- summaries cannot grow past 10^15 ratings per role
SELECT appraisal.rollup(r) FROM (VALUES ('{peer: n=1000000000000000 sum=100000000000000000}'::appraisal.ratings),
                                        ('{peer: n=1 sum=1}')) v(r);
