-- make bench, step 5: importing a file.  A CSV of BENCH_IMPORT tickets (1M
-- by default) of the demo agents, three in 3,333 bad (contacts 0, a 13th
-- month, an unknown agent: 900 per million), is \copy'd into a table of the
-- tickets' columns without constraints (the baseline), into a staging
-- table (appraisal.create_staging) and then imported into appraisal.tickets
-- by appraisal.import, in a transaction rolled back afterwards so that the
-- later steps see the demo data only.  Times are taken by the client around
-- each command, so both include the same transfer.  The valid rows are
-- also \copy'd straight into appraisal.tickets with and without the
-- trigger that logs them for the next refresh, five times each, in the
-- order with, without, without, with, ... (each pair in the other order
-- from the last, so that a drift over the step weighs on both): what
-- that bookkeeping costs a load (the medians compared; three a side, with
-- each side's loads spreading 14-16 %, did not tell 0 % from 12 %).  psql
-- variables: rows, copy_file (import_copy.sql, its @CSV@ written too);
-- run.sh writes the file's name in place of @CSV@ (\copy reads no variable).
SET client_min_messages = warning;
CREATE TEMP VIEW import_file (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category, complaint, cause, customer_id, agent_id) AS SELECT 'IMP-' || i, CASE WHEN i % 3333 = 2 THEN '2025-13-01 10:00+08' ELSE o::text END, o + interval '1 hour', CASE WHEN i % 5 <> 0 THEN o + interval '2 hours' END, CASE WHEN i % 3333 = 1 THEN 0 WHEN i % 5 <> 0 THEN 1 + i % 3 END, 'phone', 'normal', 'cat' || (i % 30), i % 10 = 0, CASE WHEN i % 10 = 0 THEN 'service' END, 'C' || (i % 50000), CASE WHEN i % 3333 = 3 THEN 'nobody' ELSE a.employee_id END FROM generate_series(1, :rows) i CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 00:00+08' + i * interval '30 s' AS o) t JOIN (SELECT employee_id, row_number() OVER (ORDER BY employee_id) - 1 AS n, count(*) OVER () AS agents FROM appraisal.employees) a ON a.n = i % a.agents;
\copy (SELECT * FROM import_file) TO '@CSV@' WITH (FORMAT csv, HEADER)
-- the baseline's file: the same but for the 13th months, which a typed
-- column cannot take
\copy (SELECT ticket_id, replace(opened_at, '2025-13-', '2025-12-'), first_response_at, resolved_at, contacts, channel, priority, category, complaint, cause, customer_id, agent_id FROM import_file) TO '@CSV@.plain' WITH (FORMAT csv, HEADER)
-- and the file's valid rows alone, which COPY can load into
-- appraisal.tickets itself: the floor of any loader into that table, which
-- pays for its key, its foreign key and its checks
\copy (SELECT * FROM import_file WHERE contacts IS DISTINCT FROM '0' AND agent_id <> 'nobody' AND opened_at NOT LIKE '2025-13-%') TO '@CSV@.valid' WITH (FORMAT csv, HEADER)
CREATE TABLE bench.plain (LIKE appraisal.tickets);
SELECT appraisal.create_staging('appraisal.tickets') IS NOT NULL AS staged \gset
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
\copy bench.plain (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category, complaint, cause, customer_id, agent_id) FROM '@CSV@.plain' WITH (FORMAT csv, HEADER)
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS copy_seconds \gset
-- the valid rows straight into appraisal.tickets, with the change log's
-- trigger and without it, five times each (import_copy.sql)
\set trigger ENABLE
\set seconds copy_target_seconds
\i :copy_file
\set trigger DISABLE
\set seconds copy_untracked_seconds
\i :copy_file
\set trigger DISABLE
\set seconds copy_untracked2_seconds
\i :copy_file
\set trigger ENABLE
\set seconds copy_target2_seconds
\i :copy_file
\set trigger ENABLE
\set seconds copy_target3_seconds
\i :copy_file
\set trigger DISABLE
\set seconds copy_untracked3_seconds
\i :copy_file
\set trigger DISABLE
\set seconds copy_untracked4_seconds
\i :copy_file
\set trigger ENABLE
\set seconds copy_target4_seconds
\i :copy_file
\set trigger ENABLE
\set seconds copy_target5_seconds
\i :copy_file
\set trigger DISABLE
\set seconds copy_untracked5_seconds
\i :copy_file
-- the rolled-back rows' dead index entries hold the same keys: gone before
-- the import is timed, which would otherwise step over them
VACUUM appraisal.tickets;
CHECKPOINT;
SELECT clock_timestamp() AS t0 \gset
\copy tickets_staging (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category, complaint, cause, customer_id, agent_id) FROM '@CSV@' WITH (FORMAT csv, HEADER)
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS staging_seconds \gset
CHECKPOINT;
BEGIN;
SELECT clock_timestamp() AS t0 \gset
SELECT inserted, rejected, reasons FROM appraisal.import('appraisal.tickets') \gset
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS import_seconds \gset
ROLLBACK;
INSERT INTO bench.run VALUES
  ('import_rows', :'rows'), ('import_inserted', :'inserted'), ('import_rejected', :'rejected'), ('import_reasons', :'reasons'),
  ('import_copy_seconds', round(:copy_seconds, 2)::text), ('import_copy_target_seconds', round(:copy_target_seconds, 2)::text), ('import_staging_seconds', round(:staging_seconds, 2)::text),
  ('import_copy_target2_seconds', round(:copy_target2_seconds, 2)::text),
  ('import_copy_target3_seconds', round(:copy_target3_seconds, 2)::text),
  ('import_copy_target4_seconds', round(:copy_target4_seconds, 2)::text),
  ('import_copy_target5_seconds', round(:copy_target5_seconds, 2)::text),
  ('import_copy_untracked_seconds', round(:copy_untracked_seconds, 2)::text), ('import_copy_untracked2_seconds', round(:copy_untracked2_seconds, 2)::text),
  ('import_copy_untracked3_seconds', round(:copy_untracked3_seconds, 2)::text),
  ('import_copy_untracked4_seconds', round(:copy_untracked4_seconds, 2)::text),
  ('import_copy_untracked5_seconds', round(:copy_untracked5_seconds, 2)::text),
  ('import_seconds', round(:import_seconds, 2)::text);
DROP TABLE bench.plain;
