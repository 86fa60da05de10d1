-- make bench, step 5 (import.sql): one \copy of the file's valid rows
-- straight into appraisal.tickets, timed, then rolled back, after the dead
-- entries the last one left are gone.  psql variables: trigger (ENABLE, or
-- DISABLE: without the trigger that logs the statement's tickets for the
-- next refresh, 42) and seconds (the variable its time goes to).  run.sh
-- writes the file's name in place of @CSV@, as in import.sql.
VACUUM appraisal.tickets;
CHECKPOINT;
BEGIN;
ALTER TABLE appraisal.tickets :trigger TRIGGER log_summary_insert;
SELECT clock_timestamp() AS t0 \gset
\copy appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category, complaint, cause, customer_id, agent_id) FROM '@CSV@.valid' WITH (FORMAT csv, HEADER)
SELECT extract(epoch FROM clock_timestamp() - :'t0'::timestamptz) AS :seconds \gset
ROLLBACK;
