-- test/fuzz/fuzz.sql: every base type of appraisal through appraisal_fuzz's
-- fuzz_type, rounds mutated inputs each (psql variables rounds and seed),
-- into the temporary table fuzz_result (read by test/fuzz/run.sh and by
-- the slice in sql/trust_values.sql).  Needs CREATE EXTENSION appraisal_fuzz.
-- The accessors are found in the catalog (every function of the extension
-- taking one value of the type and returning one value), the combine
-- function is the one of the aggregates whose state is the type: a type
-- added later is fuzzed without touching this file, from the seeds below
-- (a type without seeds here stops the run).

CREATE TEMP TABLE fuzz_seeds (type regtype, seed text);
INSERT INTO fuzz_seeds VALUES
  ('appraisal.sla_stats', 'met=3 late=1 overdue=1 pending=2 elapsed=97200.5s'),
  ('appraisal.sla_stats', 'met=0 late=0 overdue=0 pending=0 elapsed=0s'),
  ('appraisal.sla_stats', 'met=1 late=0 overdue=0 pending=0 elapsed=17014118346046923173s'),
  ('appraisal.sla_stats', 'met=9223372036854775807 late=1 overdue=9223372036854775806 pending=5 elapsed=0.000001s'),
  ('appraisal.fcr_stats', 'resolved=3 first_contact=1 recurred=2'),
  ('appraisal.fcr_stats', 'resolved=9223372036854775807 first_contact=9223372036854775807 recurred=0'),
  ('appraisal.csat_stats', 'scale 1..5: 1=2 2=0 3=0 4=1 5=1'),
  ('appraisal.csat_stats', 'empty'),
  ('appraisal.ratings', '{superior: n=1 sum=90, peer: n=2 sum=150.5, subordinate: n=3 sum=0.000000000000000001}'),
  ('appraisal.ratings', '{}'),
  ('appraisal.score_360_state', '{superior: n=1 sum=90} using superior 40, peer 30, subordinate 30'),
  ('appraisal.weighted_stats', 'n=2 weight=3 weight_lo=0 product=251 product_lo=0'),
  ('appraisal.business_calendar', 'UTC; Mon-Sun 00:00-24:00'),
  ('appraisal.business_calendar', 'Asia/Shanghai; Mon-Fri 09:00-12:00, 13:00-18:00; holidays 2026-01-01, 2026-02-16..2026-02-20; workdays 2026-02-14')
;
-- and every value the extension ships in its tables of named values
INSERT INTO fuzz_seeds
SELECT 'appraisal.weight_scheme_spec'::regtype, scheme::text FROM appraisal.weight_scheme
UNION ALL SELECT 'appraisal.grade_scale_spec', scale::text FROM appraisal.grade_scale
UNION ALL SELECT 'appraisal.item_scale_spec', scale::text FROM appraisal.item_scale
UNION ALL SELECT 'appraisal.business_calendar', calendar::text FROM appraisal.business_calendars
UNION ALL SELECT 'appraisal.csat_stats', appraisal.csat_agg(r, 10)::text FROM generate_series(1, 10) r;

CREATE TEMP TABLE fuzz_result AS
WITH types AS (
  SELECT t.oid::regtype AS type
  FROM pg_type t
  WHERE t.typnamespace = 'appraisal'::regnamespace AND t.typtype = 'b' AND t.typelem = 0
), accessors AS (
  SELECT p.proargtypes[0] AS type, p.oid::regprocedure AS fn,
         -- the numbers read off summaries are counts, sums, shares and means:
         -- never negative, but for NPS (-100 to 100)
         EXISTS (SELECT 1 FROM pg_aggregate a WHERE a.aggtranstype = p.proargtypes[0])
           AND p.prorettype IN ('bigint'::regtype, 'integer'::regtype, 'double precision'::regtype,
                                'numeric'::regtype, 'interval'::regtype)
           AND p.proname <> 'nps' AS nonnegative
  FROM pg_proc p
  WHERE p.pronamespace = 'appraisal'::regnamespace AND p.prokind = 'f' AND NOT p.proretset
    AND p.pronargs = 1
    AND p.prorettype NOT IN ('cstring'::regtype, 'bytea'::regtype, 'internal'::regtype)
)
SELECT t.type, f.*
FROM types t
CROSS JOIN LATERAL fuzz_type(
      t.type,
      (SELECT array_agg(seed) FROM fuzz_seeds s WHERE s.type = t.type),
      (SELECT coalesce(array_agg(fn ORDER BY fn::oid), '{}') FROM accessors a WHERE a.type = t.type),
      (SELECT min(a.aggcombinefn::oid)::regprocedure FROM pg_aggregate a
        WHERE a.aggtranstype = t.type AND a.aggcombinefn <> 0),
      :rounds, :seed::bigint + hashtext(t.type::text),   -- per type, the same in every database
      (SELECT coalesce(array_agg(fn), '{}') FROM accessors a WHERE a.type = t.type AND a.nonnegative)) f;
