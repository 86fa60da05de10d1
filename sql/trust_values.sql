-- No value that breaks its own type: every value a function returns is one
-- its input reads back, binary receive refuses what text input refuses,
-- arithmetic is checked (22003 and friends, never a wrapped number), and an
-- inverse transition refuses to take out what was never put in.  Binary
-- forms go through appraisal_fuzz's fuzz_recv (the type's receive function).
\set SHOW_CONTEXT never
SET intervalstyle = 'postgres';
\i test/regress_helpers.sql
CREATE EXTENSION appraisal_fuzz;

-- sla_stats holds business time below 10^20 s, the most its text form reads.
SELECT 'met=1 late=0 overdue=0 pending=0 elapsed=99999999999999999999.999999s'::appraisal.sla_stats AS largest;
SELECT pg_temp.try($$SELECT 'met=1 late=0 overdue=0 pending=0 elapsed=100000000000000000000s'::appraisal.sla_stats$$);
-- A rollup past it is an error, not a value that prints as text its input
-- refuses: 5 x 17014118346046923173 s = 85070591730234615865 s fits, 6 and
-- 11 copies (102084710076281539038 s, 187155302806516154903 s) do not.
SELECT appraisal.rollup(s) AS five, appraisal.rollup(s)::text::appraisal.sla_stats::text = appraisal.rollup(s)::text AS reads_back,
       appraisal.elapsed_seconds(appraisal.rollup(s)) AS seconds
FROM (SELECT 'met=1 late=0 overdue=0 pending=0 elapsed=17014118346046923173s'::appraisal.sla_stats FROM generate_series(1, 5)) v(s);
SELECT pg_temp.try($$SELECT appraisal.rollup(s) FROM (SELECT 'met=1 late=0 overdue=0 pending=0 elapsed=17014118346046923173s'::appraisal.sla_stats FROM generate_series(1, 6)) v(s)$$);
SELECT pg_temp.try($$SELECT appraisal.rollup(s) FROM (SELECT 'met=1 late=0 overdue=0 pending=0 elapsed=17014118346046923173s'::appraisal.sla_stats FROM generate_series(1, 11)) v(s)$$);
-- Binary receive reads as strictly: 10^26 - 1 µs is the largest, 10^26 µs
-- (hex 52b7d2dcc80cd2e4000000) is refused; so is a negative count.
SELECT fuzz_recv('appraisal.sla_stats', '\x0000000000000001000000000000000000000000000000000000000000000000000000000052b7d2dcc80cd2e3ffffff') AS largest;
SELECT pg_temp.try($$SELECT fuzz_recv('appraisal.sla_stats', '\x0000000000000001000000000000000000000000000000000000000000000000000000000052b7d2dcc80cd2e4000000')$$);
SELECT pg_temp.try($$SELECT fuzz_recv('appraisal.sla_stats', '\xffffffffffffffff000000000000000000000000000000000000000000000000000000000000000000000000000f4240')$$);

-- Accessors check their arithmetic: breached = late + overdue is a bigint
-- up to 2^63 - 1 and an error past it; the mean business time is an
-- interval up to 2^63 - 1 µs (2562047788:00:54.775807) and an error past it.
SELECT appraisal.breached('met=0 late=9223372036854775806 overdue=1 pending=0 elapsed=0s') AS largest_breached;
SELECT pg_temp.try($$SELECT appraisal.breached('met=9223372036854775807 late=9223372036854775807 overdue=9223372036854775807 pending=0 elapsed=0s')$$);
SELECT appraisal.mean_elapsed('met=1 late=0 overdue=0 pending=0 elapsed=9223372036854.775807s') AS largest_mean;
SELECT pg_temp.try($$SELECT appraisal.mean_elapsed('met=1 late=0 overdue=0 pending=0 elapsed=9223372036855s')$$);
SELECT appraisal.mean_elapsed_hours('met=1 late=0 overdue=0 pending=0 elapsed=99999999999999999999.999999s') AS largest_mean_hours;

-- Inverse transitions take out only what the transition put in.  An item
-- met in 1 hour on 24x7 (target 24 h): out of a state holding it, fine; out
-- of an empty state, or of one whose only finished item took 2 hours, no.
SELECT appraisal.sla_stats_inv('met=1 late=0 overdue=0 pending=0 elapsed=3600s', '2026-01-05 09:00+00', '2026-01-05 10:00+00',
                               '24 hours', '24x7', '2026-02-01 00:00+00') AS taken_out;
SELECT pg_temp.try($$SELECT appraisal.sla_stats_inv('met=0 late=0 overdue=0 pending=0 elapsed=0s', '2026-01-05 09:00+00', '2026-01-05 10:00+00', '24 hours', '24x7', '2026-02-01 00:00+00')$$);
SELECT pg_temp.try($$SELECT appraisal.sla_stats_inv('met=1 late=0 overdue=0 pending=0 elapsed=7200s', '2026-01-05 09:00+00', '2026-01-05 10:00+00', '24 hours', '24x7', '2026-02-01 00:00+00')$$);
-- as of now (the transaction's start): a ticket of 2026 resolved in an hour is met
SELECT pg_temp.try($$SELECT appraisal.sla_stats_inv_now('met=0 late=1 overdue=0 pending=0 elapsed=3600s', '2026-01-05 09:00+00', '2026-01-05 10:00+00', '24 hours')$$);
SELECT appraisal.sla_stats_inv_now('met=2 late=0 overdue=0 pending=0 elapsed=10800s', '2026-01-05 09:00+00', '2026-01-05 10:00+00', '24 hours') AS taken_out_now;
-- ratings: n ratings sum to [0, 100 n] before and after
SELECT appraisal.ratings_inv('{peer: n=2 sum=150}', 50, 'peer') AS one_left,
       appraisal.ratings_inv('{peer: n=1 sum=50}', 50, 'peer') AS none_left;
SELECT pg_temp.try($$SELECT appraisal.ratings_inv('{peer: n=2 sum=10}', 50, 'peer')$$);
SELECT pg_temp.try($$SELECT appraisal.ratings_inv('{}', 50, 'peer')$$);
SELECT pg_temp.try($$SELECT appraisal.ratings_inv('{peer: n=2 sum=200}', 0, 'peer')$$);
SELECT pg_temp.try($$SELECT appraisal.ratings_inv('{peer: n=1 sum=50}', 40, 'peer')$$);
-- score_360's state, likewise
SELECT appraisal.score_360_inv(appraisal.score_360_trans(NULL, 50, 'peer', 'standard'), 50, 'peer', 'standard') AS taken_out;
SELECT pg_temp.try($$SELECT appraisal.score_360_inv(appraisal.score_360_trans(NULL, 50, 'peer', 'standard'), 60, 'peer', 'standard')$$);

-- A weight is 0 or a normal double: 5e-324 (subnormal) would make every
-- product of weight and score underflow.  Text input refuses it, and so
-- does binary receive of a weight scheme (and so of a score_360_state,
-- which reads its scheme the same way).
SELECT pg_temp.try($$SELECT 'superior 5e-324, peer 30, subordinate 30'::appraisal.weight_scheme_spec$$);
SELECT 'superior 2.2250738585072014e-308, peer 30, subordinate 30'::appraisal.weight_scheme_spec AS least_normal;
SELECT fuzz_recv('appraisal.weight_scheme_spec', appraisal.weight_scheme_spec_send('superior 40, peer 30, subordinate 30')) AS round_trip;
SELECT pg_temp.try($$SELECT fuzz_recv('appraisal.weight_scheme_spec',
  overlay(appraisal.weight_scheme_spec_send('superior 40, peer 30, subordinate 30') PLACING '\x0000000000000001'::bytea FROM 1 FOR 8))$$);
SELECT pg_temp.try($$SELECT 'superior 40, peer 30, subordinate 30; fallback superior 1e-310, peer 40'::appraisal.weight_scheme_spec$$);

-- -0 is 0: a weighted score is never "-0" (found by make fuzz, which also
-- covers the binary form: it reads accessors off received values).
SELECT appraisal.weighted_score('n=1 weight=1 weight_lo=0 product=-0 product_lo=-0') AS from_text;

-- A deterministic slice of `make fuzz`: 2,000 mutated text and binary
-- inputs per type, every accepted value through output, input, send,
-- receive, its accessors and its combine function; no violation.
\set rounds 2000
\set seed 20261202
\i test/fuzz/fuzz.sql
SELECT type, inputs, accepted > 0 AS some_accepted, refused > 0 AS some_refused, violations, first_violation
FROM fuzz_result ORDER BY type::text;

DROP EXTENSION appraisal_fuzz;
