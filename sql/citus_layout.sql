-- Without Citus: the installation is not distributed, distribute() refuses
-- (0A000, saying what to do), and the layout distribute() would apply puts
-- the tickets and the rows kept per ticket by ticket_id with the tickets,
-- the summaries and the refresh's bookkeeping on the coordinator, the rest
-- in reference tables.  (test/citus/ runs it on a real cluster.)
SELECT appraisal.distributed();
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT * FROM appraisal.distribute();
\set VERBOSITY terse
SELECT placement, distribution_column, colocate_with, count(*)
FROM appraisal.citus_layout() GROUP BY 1, 2, 3 ORDER BY 1, 3 NULLS FIRST;
SELECT table_name FROM appraisal.citus_layout() WHERE placement <> 'reference' ORDER BY table_name::text;
-- every table of the extension is in the layout, once
SELECT count(*) = count(DISTINCT table_name) AS once,
       count(*) = (SELECT count(*) FROM pg_class c JOIN pg_depend d ON d.objid = c.oid AND d.deptype = 'e'
                   JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'appraisal'
                   WHERE c.relkind IN ('r', 'm')) AS every_table
FROM appraisal.citus_layout();
