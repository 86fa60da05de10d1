-- The demo data generator (extension appraisal_demo): it fills empty tables,
-- refuses to overwrite data unless asked to replace it, replaces it when
-- asked, and never deletes a history (appeals, publications, improvement
-- periods, providers' standing).
\set SHOW_CONTEXT never
\i test/regress_helpers.sql
DROP EXTENSION appraisal CASCADE;
CREATE EXTENSION appraisal;
CREATE EXTENSION appraisal_demo;
SET client_min_messages = warning;   -- (the refresh's data-health notices)
SELECT count(*) > 0 AS generated FROM appraisal.generate_demo_data(agents => 4, tickets => 300, year => 2025);
SELECT count(*) AS tickets FROM appraisal.tickets;
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.generate_demo_data(agents => 4, tickets => 300, year => 2025)$$) AS without_replace;
SELECT count(*) > 0 AS replaced FROM appraisal.generate_demo_data(agents => 4, tickets => 200, year => 2025, replace => true);
SELECT count(*) AS tickets FROM appraisal.tickets;
-- a publication is a history: replacing would delete it, and is refused
SELECT period FROM appraisal.overall_appraisal ORDER BY starts_on, employee_id LIMIT 1 \gset
SELECT publication FROM appraisal.publish_results(:'period');
SELECT pg_temp.try($$SELECT count(*) FROM appraisal.generate_demo_data(agents => 4, tickets => 200, year => 2025, replace => true)$$) AS with_a_publication;
SELECT count(*) AS tickets FROM appraisal.tickets;
RESET client_min_messages;
DROP EXTENSION appraisal_demo;
