-- test/citus/load.sql, run by test/citus/run.sh in the distributed
-- database and in the single-node one alike: more tickets by COPY (the file
-- :'csv', written from the single node's demo), responses and call-backs by
-- INSERT ... SELECT, an appeal decided, late resolutions, deletions; then the refresh, which
-- recomputes only what changed, on the cluster as on the single node.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT format('COPY appraisal.tickets FROM %L WITH (FORMAT csv)', :'csv') \gexec
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating, scale_max)
SELECT ticket_id, CASE WHEN n % 3 = 0 THEN 'sms' ELSE 'web' END, resolved_at + interval '1 day', 1 + n % 5, 5
FROM (SELECT ticket_id, resolved_at, row_number() OVER (ORDER BY ticket_id) AS n
      FROM appraisal.tickets WHERE ticket_id LIKE 'N%' AND resolved_at IS NOT NULL) t
WHERE n % 2 = 0;
INSERT INTO appraisal.call_backs (ticket_id, called_at)
SELECT ticket_id, resolved_at + interval '2 days' FROM appraisal.tickets
WHERE ticket_id LIKE 'N%' AND resolved_at IS NOT NULL AND right(ticket_id, 1) IN ('1', '4', '7');
-- an attribution appeal, upheld (the ticket's cause becomes system)
SELECT min(ticket_id) AS appealed FROM appraisal.tickets WHERE cause = 'service' AND ticket_id LIKE 'T%' \gset
SELECT appraisal.file_attribution_appeal(:'appealed', 'system', 'the customer''s own installer') AS appeal_id \gset
SELECT appraisal.decide_appeal(:appeal_id, 'upheld', decided_cause => 'system', note => 'installer') \g /dev/null
-- late resolutions of open tickets, a re-attributed complaint, deletions
-- (a time computed from a column, opened_at + interval, is refused by
-- Citus in an UPDATE's SET: docs/scaling.md)
UPDATE appraisal.tickets SET resolved_at = '2025-12-31 18:00+08', contacts = 2
WHERE resolved_at IS NULL AND opened_at < '2025-12-31 18:00+08' AND right(ticket_id, 2) IN ('03', '58');
UPDATE appraisal.tickets SET cause = 'system'
WHERE ticket_id = (SELECT min(ticket_id) FROM appraisal.tickets WHERE cause = 'service');
DELETE FROM appraisal.tickets
WHERE right(ticket_id, 3) IN ('111', '777')
  AND ticket_id NOT IN (SELECT ticket_id FROM appraisal.appeals WHERE ticket_id IS NOT NULL);
-- (kept for test/citus/incremental.sql)
CREATE TABLE public.load_refresh AS SELECT * FROM appraisal.refresh_scorecards();
