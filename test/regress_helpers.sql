-- Helpers shared by the pg_regress tests: each test file includes this
-- with \i test/regress_helpers.sql (pg_regress runs psql in the top folder).

-- Runs q and reports 'no error', or the error as SQLSTATE: message (detail).
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  detail text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
  RETURN SQLSTATE || ': ' || SQLERRM || coalesce(nullif(' (' || detail || ')', ' ()'), '');
END
$$;

-- How many parallel workers a query really ran with.
CREATE FUNCTION pg_temp.workers_launched(query text) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
  plan jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || query INTO plan;
  RETURN coalesce((SELECT sum(w::int) FROM jsonb_path_query(plan, 'strict $.**."Workers Launched"') w), 0);
END
$$;
