-- Text input of every type, fed 4,000 random mutations of valid values each
-- (fixed seed): the backend must survive every one, every rejection must be
-- an ordinary error, and every accepted value must print a canonical form
-- that reads back to the same text.

SELECT setseed(0.17);

CREATE FUNCTION pg_temp.mutate(s text) RETURNS text LANGUAGE sql AS $$
  SELECT CASE floor(random() * 5)::int
    WHEN 0 THEN overlay(s PLACING '' FROM 1 + floor(random() * length(s))::int FOR 1 + floor(random() * 3)::int)
    WHEN 1 THEN overlay(s PLACING substr(' ,;:{}=.-0123456789e>"x优[]()', 1 + floor(random() * 29)::int, 1)
                FROM 1 + floor(random() * length(s))::int FOR 0)
    WHEN 2 THEN overlay(s PLACING substr(' ,;:{}=.-0123456789e>"x优[]()', 1 + floor(random() * 29)::int, 1)
                FROM 1 + floor(random() * length(s))::int FOR 1)
    WHEN 3 THEN s || substr(s, 1 + floor(random() * length(s))::int)
    ELSE left(s, floor(random() * length(s))::int)
  END
$$;

CREATE FUNCTION pg_temp.fuzz(typ regtype, seeds text[], rounds int) RETURNS TABLE (tried int, some_accepted bool, some_rejected bool, accepted_round_trip bool)
LANGUAGE plpgsql AS $$
DECLARE
  input text;
  canonical text;
  again text;
  ok bool := true;
  accepted int := 0;
BEGIN
  tried := 0;
  FOR i IN 1 .. rounds LOOP
    input := seeds[1 + floor(random() * array_length(seeds, 1))::int];
    FOR j IN 0 .. floor(random() * 3)::int LOOP
      input := pg_temp.mutate(input);
    END LOOP;
    tried := tried + 1;
    BEGIN
      EXECUTE format('SELECT %L::%s::text', input, typ) INTO canonical;
      EXECUTE format('SELECT %L::%s::text', canonical, typ) INTO again;
      accepted := accepted + 1;
      IF again IS DISTINCT FROM canonical THEN
        RAISE NOTICE '% does not round-trip: % -> % -> %', typ, input, canonical, again;
        ok := false;
      END IF;
    EXCEPTION
      WHEN data_exception OR invalid_text_representation OR invalid_parameter_value
        OR numeric_value_out_of_range OR character_not_in_repertoire
        OR program_limit_exceeded THEN
        NULL;	-- rejected with an ordinary error: fine
    END;
  END LOOP;
  some_accepted := accepted > 0;
  some_rejected := accepted < tried;
  accepted_round_trip := ok;
  RETURN NEXT;
END
$$;

SELECT 'ratings' AS type, * FROM pg_temp.fuzz('appraisal.ratings',
  ARRAY['{superior: n=2 sum=170, peer: n=1 sum=70.25}', '{}', '{customer: n=3 sum=0.000000000000000001}'], 4000)
UNION ALL
SELECT 'score_360_state', * FROM pg_temp.fuzz('appraisal.score_360_state',
  ARRAY['{superior: n=1 sum=90} using superior 40, peer 30, subordinate 30; fallback superior 100', '{}'], 4000)
UNION ALL
SELECT 'weight_scheme_spec', * FROM pg_temp.fuzz('appraisal.weight_scheme_spec',
  ARRAY['superior 40, peer 30, subordinate 30; fallback superior 60, subordinate 40; fallback superior 60, peer 40; fallback superior 100; min_raters peer 3',
        'superior 0.5, self 0.25, customer 0.25; min_raters 2'], 4000)
UNION ALL
SELECT 'grade_scale_spec', * FROM pg_temp.fuzz('appraisal.grade_scale_spec',
  ARRAY['0..100: 优 >= 90, 良 >= 80, 中 >= 70, 较差 >= 60, 差', '-10..10.5: "needs ""work""" >= 5, mid >= -2.25, bottom',
        'pass >= 50, fail'], 4000)
UNION ALL
SELECT 'item_scale_spec', * FROM pg_temp.fuzz('appraisal.item_scale_spec',
  ARRAY['A [0,2] 15; B (2,3] 14..11; C (3,4] 10..8; D (4,7] 7..4; E (7,14] 3..0; E (14,) 0',
        'E [0,40) 0..3; D [40,60) 4..7; C [60,75) 8..10; B [75,90) 11..14; A [90,100] 15',
        '"very low" (,-2.5) 0; "say ""ok""" [-2.5,1e3] 0.25..7.5; 优 (1000,) 9'], 4000)
UNION ALL
SELECT 'weighted_stats', * FROM pg_temp.fuzz('appraisal.weighted_stats',
  ARRAY['n=5 weight=1 weight_lo=0 product=70.5 product_lo=-1.4988010832439613e-15', 'n=0 weight=0 weight_lo=0 product=0 product_lo=0'], 4000)
UNION ALL
SELECT 'business_calendar', * FROM pg_temp.fuzz('appraisal.business_calendar',
  ARRAY['Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; Sat 09:00-12:00; holidays 2026-10-01..2026-10-07, 2027-01-01; workdays 2026-10-10',
        'UTC; Mon-Sun 00:00-24:00', 'Europe/Berlin; Mon,Wed 00:00-06:00,22:00-24:00; workdays 2026-01-03, 2026-01-04'], 4000)
UNION ALL
SELECT 'sla_stats', * FROM pg_temp.fuzz('appraisal.sla_stats',
  ARRAY['met=3 late=1 overdue=2 pending=0 elapsed=111601.25s', 'met=0 late=0 overdue=0 pending=0 elapsed=0s'], 4000)
UNION ALL
SELECT 'fcr_stats', * FROM pg_temp.fuzz('appraisal.fcr_stats',
  ARRAY['resolved=10 first_contact=7 recurred=2', 'resolved=0 first_contact=0 recurred=0'], 4000)
UNION ALL
SELECT 'csat_stats', * FROM pg_temp.fuzz('appraisal.csat_stats',
  ARRAY['scale 1..5: 1=0 2=1 3=0 4=3 5=10', 'empty', 'scale 0..10: 0=1 1=0 2=0 3=0 4=0 5=0 6=0 7=0 8=0 9=3 10=2'], 4000);
