-- test/citus/new_tickets.sql: the CSV of more tickets test/citus/load.sql
-- copies in (file :'csv'), written from the single-node database's demo:
-- 2,000 tickets of the demo's agents, customers and categories in its last
-- month, a third still open, one in seven a complaint.
\set ON_ERROR_STOP on
SELECT format($$COPY (
  WITH demo AS (
    SELECT (SELECT max(opened_at) FROM appraisal.tickets) AS last_opened,
           (SELECT array_agg(DISTINCT agent_id ORDER BY agent_id) FROM appraisal.tickets) AS agents,
           array_agg(customer_id ORDER BY ticket_id) AS customers, array_agg(category ORDER BY ticket_id) AS categories
    FROM appraisal.tickets WHERE customer_id IS NOT NULL
  )
  SELECT 'N' || lpad(i::text, 6, '0'), o,
         CASE WHEN i %% 3 <> 0 THEN o + interval '2 hours' END,
         CASE WHEN i %% 3 <> 0 THEN o + (i %% 50) * interval '1 hour' END,
         CASE WHEN i %% 3 <> 0 THEN 1 + i %% 2 END,
         (ARRAY['phone', 'email', 'web', 'social'])[1 + i %% 4],
         CASE WHEN i %% 11 = 0 THEN 'high' ELSE 'normal' END,
         d.categories[1 + i * 7 %% cardinality(d.categories)],
         i %% 7 = 0,
         CASE WHEN i %% 7 = 0 THEN (ARRAY['service', 'system'])[1 + i %% 2] END,
         d.customers[1 + i * 7 %% cardinality(d.customers)],
         d.agents[1 + i %% cardinality(d.agents)],
         NULL
  FROM demo d, generate_series(1, 2000) i,
       LATERAL (SELECT d.last_opened - interval '30 days' + (i * 1297 %% 43200) * interval '1 minute' AS o) x
) TO %L WITH (FORMAT csv)$$, :'csv') \gexec
