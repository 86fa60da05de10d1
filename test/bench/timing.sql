-- make bench, step 3: time every query :rounds times, interleaved: each
-- round runs every query serially and with 2 parallel workers, so drift in
-- the machine's load falls on all of them alike.  A first, untimed round
-- (EXPLAIN ANALYZE with 2 workers) warms the caches and records how many
-- workers each plan actually launched.
SET client_min_messages = warning;
SET bench.rounds = :'rounds';
DO $$
DECLARE
  q record;
  plan jsonb;
  t0 timestamptz;
  w int;
BEGIN
  PERFORM set_config('max_parallel_workers_per_gather', '2', false);
  FOR q IN SELECT * FROM bench.query ORDER BY ord LOOP
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q.sql INTO plan;
    INSERT INTO bench.launched
    VALUES (q.name, coalesce((SELECT sum(j.n::int) FROM jsonb_path_query(plan, 'strict $.**."Workers Launched"') j(n)), 0));
  END LOOP;
  FOR r IN 1 .. current_setting('bench.rounds')::int LOOP
    FOR q IN SELECT * FROM bench.query ORDER BY ord LOOP
      FOREACH w IN ARRAY ARRAY[0, 2] LOOP
        PERFORM set_config('max_parallel_workers_per_gather', w::text, false);
        t0 := clock_timestamp();
        EXECUTE q.sql;
        INSERT INTO bench.time VALUES (q.name, r, w, extract(epoch FROM clock_timestamp() - t0) * 1000);
      END LOOP;
    END LOOP;
  END LOOP;
END
$$;
