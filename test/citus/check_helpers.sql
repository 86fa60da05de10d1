-- test/citus/check_helpers.sql, included by product.sql and incremental.sql:
-- the session's settings and the checks' bookkeeping.  pg_temp.check() keeps
-- a line "ok ..." or "FAILED ..."; the including file prints them at its end.
\set ON_ERROR_STOP on
SET client_min_messages = error;   -- (Citus warns that functions in pg_temp stay on this node)
\pset tuples_only on
\pset format unaligned
\o /dev/null

CREATE TEMP TABLE result (ord serial, line text);
CREATE FUNCTION pg_temp.check(ok boolean, what text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO result (line) VALUES (CASE WHEN ok THEN 'ok ' ELSE 'FAILED ' END || what);
$$;
-- the statement fails with the SQLSTATE expected (and the message says so)
CREATE FUNCTION pg_temp.refused(statement text, sqlstate text, what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE statement;
  PERFORM pg_temp.check(false, what || ': accepted');
EXCEPTION WHEN others THEN
  PERFORM pg_temp.check(SQLSTATE = refused.sqlstate, what || ': ' || SQLERRM);
END
$$;
