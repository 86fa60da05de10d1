-- test/citus/incremental.sql, run by test/citus/run.sh in database
-- "product" after load.sql: the refresh load.sql ran on the cluster
-- (public.load_refresh) recomputed only the agent-days and days the loads
-- wrote, logged on the workers, as on one node; compare.sql has found its
-- rows equal to the single node's.  Prints "ok ..." or "FAILED ..." per check.
\ir check_helpers.sql

SELECT pg_temp.check(count(*) FILTER (WHERE mode = 'changed') = 4
                     AND count(*) FILTER (WHERE materialized_view = 'appraisal.period_ratings' AND mode = 'unchanged') = 1,
                     'after COPY, INSERT, UPDATE, DELETE and an appeal on the cluster, the refresh recomputed what changed: '
                     || string_agg(materialized_view || ' ' || mode || coalesce(' ' || rows, ''), ', ' ORDER BY materialized_view))
FROM public.load_refresh WHERE materialized_view IS NOT NULL;
SELECT pg_temp.check(up_to_date, 'then refresh_status on the cluster is up to date') FROM appraisal.refresh_status;
-- and each summary holds what a full computation on the cluster gives now
-- (as_of aside: the time of the refresh that computed the row)
SELECT format('SELECT pg_temp.check(NOT EXISTS (SELECT %1$s FROM %2$s EXCEPT ALL SELECT %1$s FROM %2$s_rows(%3$s))
                                    AND NOT EXISTS (SELECT %1$s FROM %2$s_rows(%3$s) EXCEPT ALL SELECT %1$s FROM %2$s),
                                    %4$L)',
              (SELECT string_agg(format('%I::text', a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                WHERE a.attrelid = m.summary AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'as_of'),
              m.summary, CASE WHEN m.summary = 'appraisal.category_daily'::regclass THEN 'NULL' ELSE 'NULL, NULL' END,
              format('%s after the changed refresh equals its full computation on the cluster', m.summary))
FROM appraisal.summary_sources() m
WHERE m.summary <> 'appraisal.period_ratings'::regclass
ORDER BY m.refresh_order \gexec

\o
SELECT line FROM result ORDER BY ord;
