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
-- numbered in the order they were opened, as a ticket system numbers them,
-- and stored in that order (so are a day's tickets together in the table)
SELECT bool_and(t.prev_opened_at <= t.opened_at) AS numbered_as_opened,
       array_agg(t.ticket_id ORDER BY t.ctid) = array_agg(t.ticket_id ORDER BY t.ticket_id COLLATE "C") AS stored_in_that_order
FROM (SELECT ctid, ticket_id, opened_at, lag(opened_at) OVER (ORDER BY ticket_id COLLATE "C") AS prev_opened_at
        FROM appraisal.tickets) t;
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
