-- test/citus/product.sql, run by test/citus/run.sh in database "product" on
-- the coordinator, after the demo data were generated there: the whole
-- product made distributed by appraisal.distribute(), its constraints on
-- the cluster, loading more.  run.sh then runs load.sql here and in a
-- single-node database holding the same demo, refreshes both and compares
-- every view.  Prints "ok ..." or "FAILED ..." per check.
\ir check_helpers.sql

SELECT pg_temp.check(NOT appraisal.distributed(), 'before distribute(): not distributed');
-- as in an installation that has made no customer pseudonym yet: the key
-- must be made before its table is copied to the workers
DELETE FROM appraisal.pseudonym_key;
SELECT count(*) FROM appraisal.distribute(shard_count => 8) \g /dev/null
SELECT pg_temp.check(appraisal.distributed(), 'after distribute(): distributed');

-- the layout: each table where citus_layout() says, the per-ticket tables
-- co-located with the tickets
SELECT pg_temp.check(count(*) = 0, 'every table placed as citus_layout() says'
                     || coalesce(': not ' || string_agg(l.table_name::text, ', '), ''))
FROM appraisal.citus_layout() l
LEFT JOIN pg_dist_partition p ON p.logicalrelid = l.table_name
WHERE (l.placement = 'distributed') <> coalesce(p.partmethod = 'h', false)
   OR (l.placement = 'reference') <> coalesce(p.partmethod = 'n' AND p.repmodel = 't', false)
   OR (l.placement = 'coordinator') <> (p.logicalrelid IS NULL);
SELECT pg_temp.check(count(DISTINCT colocationid) = 1 AND count(*) = 4,
                     'tickets, survey responses, call-backs and inspections co-located by ticket_id')
FROM pg_dist_partition
WHERE logicalrelid IN ('appraisal.tickets'::regclass, 'appraisal.survey_responses'::regclass,
                       'appraisal.call_backs'::regclass, 'appraisal.quality_inspections'::regclass)
  AND column_to_column_name(logicalrelid, partkey) = 'ticket_id';
SELECT pg_temp.check(count(*) = (SELECT count(*) FROM appraisal.citus_layout() WHERE placement = 'distributed'),
                     'the distributed tables spread over both workers')
FROM (SELECT logicalrelid FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid)
      WHERE logicalrelid::regclass::text LIKE 'appraisal.%'
      GROUP BY logicalrelid HAVING count(DISTINCT p.groupid) = 2) x;
SELECT pg_temp.refused('SELECT appraisal.distribute()', '55000', 'distribute() a second time');
-- every foreign key among the extension's tables is back but the appeal's
-- ticket (kept by triggers)
SELECT pg_temp.check(count(*) = 40, 'the foreign keys added back: ' || count(*))
FROM pg_constraint
WHERE contype = 'f' AND conrelid IN (SELECT table_name FROM appraisal.citus_layout());

-- the constraints the single node enforces, on the cluster
SELECT pg_temp.refused($$INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id)
                        VALUES ('X-1', '2025-06-01 10:00+08', 'phone', 'billing', 'nobody')$$,
                       '23503', 'a ticket of an unknown agent');
SELECT pg_temp.refused($$INSERT INTO appraisal.tickets (ticket_id, opened_at, resolved_at, contacts, channel, category, agent_id)
                        VALUES ('X-1', '2025-06-01 10:00+08', '2025-06-01 09:00+08', 1, 'phone', 'billing', 'A001')$$,
                       '23514', 'a ticket resolved before it was opened');
SELECT pg_temp.refused($$INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating)
                        VALUES ('no such ticket', 'web', '2025-06-02 10:00+08', 5)$$,
                       '23503', 'a survey response about an unknown ticket');
SELECT pg_temp.refused($$INSERT INTO appraisal.tickets (ticket_id, opened_at, channel, category, agent_id)
                        VALUES ('T000000001', '2025-06-01 10:00+08', 'phone', 'billing', 'A001')$$,
                       '23505', 'a ticket number twice');
SELECT pg_temp.refused($$DELETE FROM appraisal.employees WHERE employee_id = 'A001'$$,
                       '23503', 'an agent with tickets deleted');
SELECT pg_temp.refused($$UPDATE appraisal.business_calendars SET description = 'mine' WHERE name = '24x7'$$,
                       '42501', 'a shipped calendar changed');
-- (the cycle is checked when the transaction commits: a statement of its own)
\set ON_ERROR_STOP off
UPDATE appraisal.employees SET manager_id = 'A001'
WHERE employee_id = (SELECT manager_id FROM appraisal.employees WHERE employee_id = 'A001');
\set ON_ERROR_STOP on
SELECT pg_temp.check(:'LAST_ERROR_SQLSTATE' = '23514', 'a cycle of managers: ' || :'LAST_ERROR_MESSAGE');
SELECT pg_temp.refused($$INSERT INTO appraisal.appeals (appeal_id, employee_id, ticket_id, measured_cause, appealed_cause, reason)
                        VALUES (9001, 'A001', 'no such ticket', 'service', 'system', 'test')$$,
                       '23503', 'an appeal of an unknown ticket');
-- an appeal of a known ticket is taken, on every node's copy, and the
-- ticket cannot go then; a deleted ticket takes its responses and
-- call-backs along.  (Rolled back: the data stay those of the single-node
-- database run.sh compares with.)
BEGIN;
-- (a transaction that reads the shards in parallel, then writes a reference
-- table with foreign keys, must keep to one connection per node: Citus)
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
SELECT ticket_id AS appealed, agent_id AS appellant FROM appraisal.tickets
WHERE cause = 'service' ORDER BY ticket_id LIMIT 1 \gset
INSERT INTO appraisal.appeals (appeal_id, employee_id, ticket_id, measured_cause, appealed_cause, reason)
VALUES (9002, :'appellant', :'appealed', 'service', 'system', 'the customer''s own installer');
SELECT count(*) AS appeals_taken FROM appraisal.appeals WHERE appeal_id = 9002 \gset
SAVEPOINT appealed;
\set ON_ERROR_STOP off
DELETE FROM appraisal.tickets WHERE ticket_id = :'appealed';
\set ON_ERROR_STOP on
ROLLBACK TO SAVEPOINT appealed;
SELECT :'LAST_ERROR_SQLSTATE' AS delete_sqlstate, :'LAST_ERROR_MESSAGE' AS delete_message \gset
SELECT ticket_id AS gone FROM appraisal.tickets t
WHERE EXISTS (SELECT FROM appraisal.survey_responses r WHERE r.ticket_id = t.ticket_id)
  AND EXISTS (SELECT FROM appraisal.call_backs c WHERE c.ticket_id = t.ticket_id)
  AND NOT EXISTS (SELECT FROM appraisal.appeals a WHERE a.ticket_id = t.ticket_id)
ORDER BY ticket_id LIMIT 1 \gset
DELETE FROM appraisal.tickets WHERE ticket_id = :'gone';
SELECT (SELECT count(*) FROM appraisal.survey_responses WHERE ticket_id = :'gone')
     + (SELECT count(*) FROM appraisal.call_backs WHERE ticket_id = :'gone') AS left_behind \gset
ROLLBACK;
SELECT pg_temp.check(:appeals_taken = 1, 'an appeal of a known ticket is taken');
SELECT pg_temp.check(:'delete_sqlstate' = '23503', 'a ticket under appeal deleted: ' || :'delete_message');
SELECT pg_temp.check(:left_behind = 0, 'a deleted ticket''s responses and call-backs go with it');

-- a calendar by name in an aggregate over the distributed tickets: each
-- worker reads its copy of the reference table (0.5), and the answer is the
-- value's, whole and per channel (partial aggregation on the workers)
SELECT calendar::text AS cn_office FROM appraisal.business_calendars WHERE name = 'demo_cn_office' \gset
SELECT string_agg(x, ', ' ORDER BY x) AS by_name FROM (
  SELECT channel || ' ' || appraisal.sla_agg(opened_at, resolved_at, '24 hours', 'demo_cn_office', '2026-01-01')::text AS x
  FROM appraisal.tickets GROUP BY channel
  UNION ALL SELECT 'all ' || appraisal.sla_agg(opened_at, resolved_at, '24 hours', 'demo_cn_office', '2026-01-01')::text FROM appraisal.tickets) y \gset
SELECT string_agg(x, ', ' ORDER BY x) AS by_value FROM (
  SELECT channel || ' ' || appraisal.sla_agg(opened_at, resolved_at, '24 hours', :'cn_office'::appraisal.business_calendar, '2026-01-01')::text AS x
  FROM appraisal.tickets GROUP BY channel
  UNION ALL SELECT 'all ' || appraisal.sla_agg(opened_at, resolved_at, '24 hours', :'cn_office'::appraisal.business_calendar, '2026-01-01')::text FROM appraisal.tickets) y \gset
SELECT pg_temp.check(:'by_name' = :'by_value' AND :'by_name' <> '', 'a calendar by name over the distributed tickets = the calendar as a value');

-- a customer's pseudonym is the same on every node's copy of
-- provider_events (the key was made once, by distribute(), and copied)
BEGIN;
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, customer_phone, customer_address, source)
SELECT 'X-pseudonym', min(provider_id), 'bad_review', '2025-06-01 10:00+08', '13800000000', '1 Nanjing Road', 'web'
FROM appraisal.providers;
SELECT count(DISTINCT result) AS keys, count(*) AS copies
FROM run_command_on_placements('appraisal.provider_events',
                               $$SELECT customer_key FROM %s WHERE event_id = 'X-pseudonym'$$) \gset
ROLLBACK;
SELECT pg_temp.check(:keys = 1 AND :copies >= 3, format('a customer''s pseudonym is one on the %s copies of provider_events', :copies));

-- the demo generated again on the cluster (replace => true): the same rows
-- as the single node's, which run.sh compares
SELECT string_agg(table_name || ' ' || rows, ', ' ORDER BY table_name) AS regenerated
FROM appraisal.generate_demo_data(agents => 24, tickets => 20000, replace => true) \gset
SELECT pg_temp.check(:'regenerated' LIKE '%tickets 20000%', 'generate_demo_data(replace => true) on the cluster: ' || :'regenerated');

-- the refresh on the cluster: every summary, in full (the demo was
-- replaced: its tables truncated)
CREATE TEMP TABLE refreshed AS SELECT * FROM appraisal.refresh_scorecards();
SELECT pg_temp.check(count(*) FILTER (WHERE mode IN ('full', 'concurrently')) = 5,
                     'refresh_scorecards() on the cluster: ' || string_agg(coalesce(materialized_view, '(check)') || ' ' || mode, ', '))
FROM refreshed;
SELECT pg_temp.check(up_to_date AND changes_pending = 0, 'after the refresh, refresh_status on the cluster: up to date')
FROM appraisal.refresh_status;
-- a write to the shards is logged on the workers and seen from here
INSERT INTO appraisal.call_backs (ticket_id, called_at)
SELECT min(ticket_id), '2025-06-01 10:00+08' FROM appraisal.tickets WHERE ticket_id LIKE 'T%';
SELECT pg_temp.check(NOT up_to_date AND changes_pending = 1 AND tables_changed = 'appraisal.call_backs'
                     AND agent_days_pending = 1 AND NOT every_row_pending,
                     format('a call-back inserted: refresh_status on the cluster says %s change of %s pending, %s agent-day',
                            changes_pending, tables_changed, agent_days_pending))
FROM appraisal.refresh_status;
SELECT count(*) AS logs, count(DISTINCT node) AS nodes FROM appraisal.node_log(false) \gset
SELECT pg_temp.check(:logs = 1 AND :nodes = 1 AND NOT EXISTS (SELECT FROM appraisal.refresh_log),
                     format('it is logged on the worker of its shard (%s row on %s worker, none on the coordinator)', :logs, :nodes));
-- under REPEATABLE READ the refresh must come before the transaction reads
-- a shard (its reads there would not see what the logs show)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM appraisal.call_backs;
SELECT pg_temp.refused('SELECT count(*) FROM appraisal.refresh_scorecards()', '25000',
                       'a REPEATABLE READ refresh after the transaction has read the shards');
COMMIT;
SELECT pg_temp.refused($$SELECT appraisal.node_log_rows('{}', true)$$, '55000', 'node_log_rows() on the coordinator');
-- a refresh that fails loses none of the changes it took from the workers
-- (first in a REPEATABLE READ transaction, as pg_cron runs it)
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) FROM appraisal.refresh_scorecards();
ROLLBACK;
SELECT pg_temp.check(NOT up_to_date AND changes_pending = 1, 'a refresh rolled back: the change is still pending')
FROM appraisal.refresh_status;
DELETE FROM appraisal.call_backs WHERE called_at = '2025-06-01 10:00+08';
CREATE TEMP TABLE changed AS SELECT * FROM appraisal.refresh_scorecards();
SELECT pg_temp.check(string_agg(materialized_view || ' ' || mode, ', ' ORDER BY materialized_view)
                     = 'appraisal.agent_daily unchanged, appraisal.agent_daily_csat unchanged, appraisal.agent_daily_follow_up changed, '
                       'appraisal.category_daily unchanged, appraisal.period_ratings unchanged',
                     'the next refresh recomputes the follow-up of that agent-day only: '
                     || string_agg(materialized_view || ' ' || mode || coalesce(' ' || rows, ''), ', ' ORDER BY materialized_view))
FROM changed WHERE materialized_view IS NOT NULL;
SELECT pg_temp.check(up_to_date AND changes_pending = 0, 'then refresh_status is up to date')
FROM appraisal.refresh_status;
-- the rows a refresh took are deleted on the workers by the next one
SELECT pg_temp.check(count(*) FILTER (WHERE mode <> 'unchanged') = 0, 'a refresh with nothing changed recomputes nothing')
FROM appraisal.refresh_scorecards();
SELECT pg_temp.check(count(*) = 0, 'then no row is left in the workers'' logs')
FROM run_command_on_workers('SELECT 1 FROM appraisal.refresh_log') WHERE result = '1';
-- a write to a reference table is logged on its copies; a TRUNCATE (which
-- Citus runs on the coordinator's table) on the coordinator
UPDATE appraisal.settings SET value = value;
SELECT pg_temp.check(every_row_pending AND tables_changed = 'appraisal.settings',
                     format('a setting written on the cluster: %s pending (%s rows), every row to recompute', tables_changed, changes_pending))
FROM appraisal.refresh_status;
SELECT pg_temp.check(count(*) FILTER (WHERE mode = 'full') = 4, 'then the refresh recomputes the four summaries of tickets whole: '
                     || string_agg(materialized_view || ' ' || mode, ', ' ORDER BY materialized_view))
FROM appraisal.refresh_scorecards() WHERE materialized_view IS NOT NULL;
BEGIN;
TRUNCATE appraisal.quality_inspections;
SELECT count(*) AS truncates FROM appraisal.refresh_log
WHERE source = 'appraisal.quality_inspections' AND operation = 'TRUNCATE' AND agents IS NULL \gset
ROLLBACK;   -- (the inspections are compared with the single node's)
SELECT pg_temp.check(:truncates = 1, format('a TRUNCATE on the cluster is logged on the coordinator (%s row)', :truncates));

\o
SELECT line FROM result ORDER BY ord;
