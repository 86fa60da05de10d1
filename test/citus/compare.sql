-- test/citus/compare.sql, run by test/citus/run.sh in the distributed
-- database and in the single-node one: every view of the extension, every
-- summary and period_ratings as a row count and a hash of their rows (in a
-- fixed order, as JSON without the columns that say when they were
-- computed, filed or decided).  run.sh compares the two outputs line by line; with
-- :'dump' set, the rows of that one relation instead.
\set ON_ERROR_STOP on
SET client_min_messages = error;   -- (Citus warns that functions in pg_temp stay on this node)
\pset tuples_only on
\pset format unaligned
CREATE FUNCTION pg_temp.rows_of(rel regclass) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT (to_jsonb(r) - ARRAY[''as_of'', ''last_refresh'', ''oldest_change'', ''next_time_change'', ''checked_at'',
                          ''filed_at'', ''decided_at'', ''published_at''])::text AS j
     FROM %s r ORDER BY 1', rel);
END
$$;
SELECT :'dump' = '' AS every_view \gset
\if :every_view
SELECT format('%s %s %s', c.oid::regclass, x.n, x.h)
FROM pg_class c
CROSS JOIN LATERAL (SELECT count(*) AS n, md5(string_agg(j, E'\n' ORDER BY j)) AS h FROM pg_temp.rows_of(c.oid) j) x
WHERE c.relnamespace = 'appraisal'::regnamespace
  AND (c.relkind IN ('v', 'm') OR c.oid IN (SELECT summary FROM appraisal.summary_sources()))
  AND c.oid <> 'appraisal.refresh_status'::regclass   -- (says how fresh: differs)
ORDER BY c.oid::regclass::text;
\else
SELECT j FROM pg_temp.rows_of(:'dump'::regclass) j;
\endif
