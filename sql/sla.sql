-- SLA compliance in business time: sla_agg / sla_stats, rollup, accessors,
-- sla_compliance, named calendars.  Every expected value is worked out by
-- hand in the comment above it (docs/rules.md, "Complaint handling": first response 24 h,
-- resolution 48 h, verification in 3 working days).
SET timezone = 'Asia/Shanghai';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
\set SHOW_CONTEXT never

\i test/regress_helpers.sql

-- A Chinese working calendar, 8 working hours a day (09-12, 13-18), with the
-- 2026 National Day week off and its make-up workdays (Sun 09-27, Sat 10-10).
INSERT INTO appraisal.business_calendars (name, calendar, description) VALUES
  ('cn', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2026-10-01..2026-10-07; workdays 2026-09-27, 2026-10-10',
   'test: PRC office hours 2026');

CREATE TEMP TABLE tk (id int, opened timestamptz, closed timestamptz, paused tstzmultirange);
INSERT INTO tk VALUES
  -- Mon 09-28 09:00, 8 working hours, due Tue 09:00 (the last instant with 8 h)
  (1, '2026-09-28 09:00+08', '2026-09-28 17:00+08', NULL),   -- 7 h: met
  (2, '2026-09-28 09:00+08', '2026-09-28 18:00+08', NULL),   -- 8 h: met (at the end of the day)
  (3, '2026-09-28 09:00+08', '2026-09-29 08:00+08', NULL),   -- 8 h, closed before opening: met
  (4, '2026-09-28 09:00+08', '2026-09-29 09:00:01+08', NULL),-- 8 h 1 s: late
  (5, '2026-09-28 09:00+08', NULL, NULL),                    -- open; due Tue 09:00 <= as_of: overdue
  -- Wed 09-30 09:00 + 8 h = 18:00, then the holiday week: due Thu 10-08 09:00
  (6, '2026-09-30 09:00+08', NULL, NULL),                    -- as_of 10-08 10:00 >= due: overdue
  (7, '2026-10-08 09:30+08', NULL, NULL),                    -- due 10-08 17:30 > as_of: pending
  (8, '2026-10-09 09:00+08', NULL, NULL),                    -- starts after as_of: ignored
  (9, NULL, '2026-10-01 00:00+08', NULL),                    -- no start: skipped
  -- paused Mon 10:00-14:00 (3 working hours: 10-12, 13-14): 9 h - 3 h = 6 h: met
  (10, '2026-09-28 09:00+08', '2026-09-29 10:00+08', '{[2026-09-28 10:00+08,2026-09-28 14:00+08)}');

-- as of Thu 10-08 10:00: met 1,2,3,10; late 4; overdue 5,6; pending 7
-- business time of the finished: 7 + 8 + 8 + (8 h 1 s) + 6 = 37 h 1 s = 133201 s
-- compliance 4 / (4 + 1 + 2) = 4/7 = 0.5714285714285714
-- mean elapsed 133201 s / 5 = 26640.2 s = 07:24:00.2
SELECT s AS stats, appraisal.met(s), appraisal.late(s), appraisal.overdue(s),
       appraisal.breached(s), appraisal.pending(s), appraisal.compliance(s),
       appraisal.mean_elapsed(s)
FROM (SELECT appraisal.sla_agg(opened, closed, '8 hours', 'cn', '2026-10-08 10:00+08', paused) AS s FROM tk) q;
-- the same with the calendar as a value, and pauses left out (ticket 10 then
-- counts 9 h: late; elapsed 37 h 1 s + 3 h = 144001 s)
SELECT appraisal.sla_agg(opened, closed, '8 hours', appraisal.calendar('cn'), '2026-10-08 10:00+08') FROM tk;

-- Working days: '1 day' from Mon 09:00 is Tue 09:00 as well, so the same
-- classes; '3 days' from Wed 09-30 09:00 (D0 = 09-30) is the third working
-- day after it: 10-08, 10-09, Sat 10-10 (make-up) -> 10-10 09:00 > as_of: pending.
SELECT appraisal.sla_agg(opened, closed, '1 day', 'cn', '2026-10-08 10:00+08', paused) FROM tk;
SELECT appraisal.sla_agg(opened, closed, '3 days', 'cn', '2026-10-08 10:00+08', paused) FROM tk WHERE id = 6;

-- per ticket, against the scalar functions: met <=> closed <= business_due
SELECT id, appraisal.business_due(opened, '8 hours', 'cn', paused) AS due,
       appraisal.business_elapsed(opened, closed, 'cn', paused) AS elapsed,
       closed <= appraisal.business_due(opened, '8 hours', 'cn', paused) AS met
FROM tk WHERE opened IS NOT NULL AND closed IS NOT NULL ORDER BY id;

-- Finished exactly at due is met; one microsecond later is late.
SELECT appraisal.sla_agg(o, c, '3 days', 'cn', 'infinity')::text
FROM (VALUES ('2026-09-29 10:00+08'::timestamptz, '2026-10-09 10:00+08'::timestamptz),
             ('2026-09-29 10:00+08', '2026-10-09 10:00:00.000001+08')) v(o, c);
-- Unfinished at as_of = due is overdue (as_of >= due); a microsecond earlier, pending.
SELECT appraisal.sla_agg(o, NULL, '8 hours', 'cn', a)::text
FROM (VALUES ('2026-09-28 09:00+08'::timestamptz, '2026-09-29 09:00+08'::timestamptz),
             ('2026-09-28 09:00+08', '2026-09-29 08:59:59.999999+08')) v(o, a);

-- Empty input and nothing judged: zero counts; compliance and mean NULL.
SELECT s, appraisal.compliance(s) IS NULL AS no_compliance, appraisal.mean_elapsed(s) IS NULL AS no_mean
FROM (SELECT appraisal.sla_agg(opened, closed, '8 hours', 'cn', now()) s FROM tk WHERE false) q;
SELECT appraisal.compliance(appraisal.sla_agg(opened, closed, '8 hours', 'cn', '2026-10-08 10:00+08'))
FROM tk WHERE id IN (7, 8, 9);

-- GROUP BY and rollup: per-ticket summaries pooled equal the whole.
SELECT appraisal.rollup(s)::text = (SELECT appraisal.sla_agg(opened, closed, '8 hours', 'cn', '2026-10-08 10:00+08', paused)::text FROM tk) AS rollup_equal
FROM (SELECT id, appraisal.sla_agg(opened, closed, '8 hours', 'cn', '2026-10-08 10:00+08', paused) s FROM tk GROUP BY id) q;
SELECT appraisal.rollup(s) IS NOT NULL AS empty_rollup_not_null, appraisal.rollup(s)::text FROM (SELECT NULL::appraisal.sla_stats s WHERE false) q;

-- Taking a summary out of one that holds it (the refresh's adjustment):
-- met=4 late=1 overdue=2 pending=1 elapsed=133201s less met=1 late=1
-- elapsed=3600.5s is met=3 late=0 overdue=2 pending=1 elapsed=129600.5s;
-- less itself, the empty summary.  What it does not hold is an error: a
-- late item it has not, more business time than it has, time left over
-- without a finished item.
SELECT appraisal.sla_stats_combine_inv('met=4 late=1 overdue=2 pending=1 elapsed=133201s', 'met=1 late=1 overdue=0 pending=0 elapsed=3600.5s')::text AS taken_out,
       appraisal.sla_stats_combine_inv('met=4 late=1 overdue=2 pending=1 elapsed=133201s', 'met=4 late=1 overdue=2 pending=1 elapsed=133201s')::text AS all_taken_out,
       appraisal.sla_stats_combine(appraisal.sla_stats_combine_inv('met=4 late=1 overdue=2 pending=1 elapsed=133201s', 'met=1 late=0 overdue=0 pending=0 elapsed=10s'),
                                   'met=1 late=0 overdue=0 pending=0 elapsed=10s')::text AS put_back;
SELECT pg_temp.try($$SELECT appraisal.sla_stats_combine_inv('met=2 late=0 overdue=0 pending=0 elapsed=7s', 'met=0 late=1 overdue=0 pending=0 elapsed=1s')$$) AS late_not_held;
SELECT pg_temp.try($$SELECT appraisal.sla_stats_combine_inv('met=2 late=0 overdue=0 pending=0 elapsed=7s', 'met=1 late=0 overdue=0 pending=0 elapsed=8s')$$) AS time_not_held;
SELECT pg_temp.try($$SELECT appraisal.sla_stats_combine_inv('met=2 late=0 overdue=0 pending=0 elapsed=7s', 'met=2 late=0 overdue=0 pending=0 elapsed=6s')$$) AS time_left_over;

-- Moving window (exact inverse): the last three tickets by id, met / judged
SELECT id, appraisal.sla_agg(opened, closed, '8 hours', 'cn', '2026-10-08 10:00+08', paused)
         OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)::text AS last3
FROM tk ORDER BY id;

-- sla_compliance: as of now(), long after these closed tickets; 24x7 by default.
-- 24 h: 1 (8 h), 2 (9 h), 3 (23 h) met; 4 (24 h 1 s) and 10 (25 h: no pauses
-- argument) late: 3/5 = 0.6
SELECT appraisal.sla_compliance(opened, closed, '24 hours') FROM tk WHERE closed IS NOT NULL;
SELECT appraisal.sla_compliance(opened, closed, '24 hours', '24x7') FROM tk WHERE closed IS NOT NULL;
-- '8 hours' on cn: 1, 2, 3 met; 4 and 10 (9 h unpaused) late: 3/5 = 0.6
SELECT appraisal.sla_compliance(opened, closed, '8 hours', 'cn'),
       appraisal.sla_compliance(opened, closed, '8 hours', appraisal.calendar('cn'))
FROM tk WHERE closed IS NOT NULL;

-- Text and binary forms round-trip exactly.
SELECT s::text, s::text::appraisal.sla_stats::text = s::text AS text_round_trip
FROM (VALUES ('met=3 late=1 overdue=2 pending=0 elapsed=111601s'::appraisal.sla_stats),
             ('met=0 late=0 overdue=0 pending=0 elapsed=0s'),
             ('met=9223372036854775807 late=1 overdue=0 pending=5 elapsed=0.000001s'),
             ('  met=1   late=0 overdue=0 pending=0 elapsed=1.5s  ')) v(s);
CREATE TEMP TABLE bin_in (s appraisal.sla_stats);
CREATE TEMP TABLE bin_out (s appraisal.sla_stats);
INSERT INTO bin_in VALUES ('met=3 late=1 overdue=2 pending=7 elapsed=111601.25s'), ('met=0 late=0 overdue=0 pending=0 elapsed=0s');
COPY bin_in TO '/tmp/appraisal_sla_stats.bin' WITH (FORMAT binary);
COPY bin_out FROM '/tmp/appraisal_sla_stats.bin' WITH (FORMAT binary);
SELECT s::text FROM bin_out ORDER BY 1;
-- White space is the six characters isspace() takes in the C locale, also
-- around "=" and before the "s"; a count may carry a sign.
SELECT E'met = +1\tlate=0\noverdue=\x0b0\fpending =2\relapsed= 1.5 s'::appraisal.sla_stats AS every_blank;

-- Bad input, each with its SQLSTATE.
SELECT v AS input, pg_temp.try(format('SELECT %L::appraisal.sla_stats', v)) AS result
FROM (VALUES ('met=1 late=0 overdue=0 pending=0'),
             ('met=1 late=0 overdue=0 pending=0 elapsed=1'),
             ('met=-1 late=0 overdue=0 pending=0 elapsed=0s'),
             ('met=1 late=0 overdue=0 pending=0 elapsed=1.0000001s'),
             ('met=0 late=0 overdue=3 pending=0 elapsed=5s'),
             ('met=99999999999999999999 late=0 overdue=0 pending=0 elapsed=0s'),
             ('late=0 met=1 overdue=0 pending=0 elapsed=0s'),
             ('met=1 late=0 overdue=0 pending=0 elapsed=0s x'),
             ('met=1.5 late=0 overdue=0 pending=0 elapsed=0s'),
             ('met=1 late=0 overdue=0 pending=0 elapsed=-1s'),
             ('met=1 late=0 overdue=0 pending=0 elapsed=1sx'),
             (E'met=1\u00a0late=0 overdue=0 pending=0 elapsed=0s'),
             ('')) v(v);
SELECT pg_temp.try($$SELECT appraisal.sla_agg(opened, closed, '1 mon', 'cn', now()) FROM tk$$);
SELECT pg_temp.try($$SELECT appraisal.sla_agg(opened, closed, NULL, 'cn', now()) FROM tk$$);
SELECT pg_temp.try($$SELECT appraisal.sla_agg(opened, closed, '8 hours', NULL::text, now()) FROM tk$$);
SELECT pg_temp.try($$SELECT appraisal.sla_agg(opened, closed, '8 hours', 'cn', NULL) FROM tk$$);
SELECT pg_temp.try($$SELECT appraisal.sla_agg(opened, closed, '8 hours', 'nowhere', now()) FROM tk$$);
SELECT pg_temp.try($$SELECT appraisal.sla_agg(c, o, '8 hours', 'cn', 'infinity') FROM (VALUES ('2026-09-28 09:00+08'::timestamptz, '2026-09-28 10:00+08'::timestamptz)) v(o, c)$$);

-- Named calendars: the shipped 24x7, an unknown name, protection of shipped rows.
SELECT appraisal.calendar('24x7');
SELECT pg_temp.try($$SELECT appraisal.calendar('nowhere')$$);
SELECT pg_temp.try($$UPDATE appraisal.business_calendars SET description = 'x' WHERE name = '24x7'$$);
SELECT pg_temp.try($$DELETE FROM appraisal.business_calendars WHERE name = '24x7'$$);
-- a literal without a cast is a name; the hint says how to pass a value
SELECT pg_temp.try($$SELECT appraisal.business_elapsed(now(), now(), 'UTC; Mon-Fri 09:00-17:00')$$);

-- Parallel query: partial states from the workers combine to exactly the
-- serial answer, and to the per-ticket scalar functions.  (A regular table:
-- workers cannot read temporary ones.)
CREATE TABLE par_tickets AS
SELECT i AS id, i % 7 AS agent,
       timestamptz '2026-01-01 00:00+08' + ((i::bigint * 7919) % 525600) * interval '1 minute' AS opened,
       CASE WHEN i % 11 = 0 THEN NULL
            ELSE timestamptz '2026-01-01 00:00+08' + ((i::bigint * 7919) % 525600) * interval '1 minute'
                 + ((i::bigint * 104729) % 7200) * interval '1 minute' END AS closed
FROM generate_series(1, 30000) i;
ANALYZE par_tickets;

CREATE VIEW par_sla AS
SELECT agent,
       appraisal.sla_agg(opened, closed, '24 hours', 'cn', '2026-12-01 00:00+08')::text AS cn_hours,
       appraisal.sla_agg(opened, closed, '3 days', 'cn', '2026-12-01 00:00+08')::text AS cn_days,
       appraisal.sla_agg(opened, closed, '24 hours', '24x7', '2026-12-01 00:00+08')::text AS always
FROM par_tickets GROUP BY agent;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT * FROM par_sla;
SELECT pg_temp.workers_launched('SELECT * FROM par_sla') > 0 AS workers_ran;
CREATE TEMP TABLE par_result AS SELECT * FROM par_sla;

SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE p.cn_hours = s.cn_hours AND p.cn_days = s.cn_days AND p.always = s.always) AS equal
FROM par_result p JOIN par_sla s USING (agent);

-- the aggregate agrees with the rules applied row by row with the scalar
-- functions (items opened after as_of left out)
SELECT count(*) AS groups, count(*) FILTER (WHERE r.cn_hours = f.stats) AS equal
FROM par_result r JOIN (
  SELECT agent, format('met=%s late=%s overdue=%s pending=%s elapsed=%ss',
           count(*) FILTER (WHERE finished AND closed <= due),
           count(*) FILTER (WHERE finished AND closed > due),
           count(*) FILTER (WHERE NOT finished AND as_of >= due),
           count(*) FILTER (WHERE NOT finished AND as_of < due),
           trim_scale(coalesce(sum(extract(epoch FROM appraisal.business_elapsed(opened, closed, 'cn'))) FILTER (WHERE finished), 0))) AS stats
  FROM (SELECT *, closed IS NOT NULL AND closed <= as_of AS finished,
               appraisal.business_due(opened, '24 hours', 'cn') AS due
        FROM par_tickets, (SELECT timestamptz '2026-12-01 00:00+08' AS as_of) a
        WHERE opened <= as_of) t
  GROUP BY agent) f USING (agent);
-- and on 24x7 with plain SQL: due = opened + 24 h
SELECT count(*) AS groups, count(*) FILTER (WHERE r.always = f.stats) AS equal
FROM par_result r JOIN (
  SELECT agent, format('met=%s late=%s overdue=%s pending=%s elapsed=%ss',
           count(*) FILTER (WHERE finished AND closed <= opened + interval '24 hours'),
           count(*) FILTER (WHERE finished AND closed > opened + interval '24 hours'),
           count(*) FILTER (WHERE NOT finished AND as_of >= opened + interval '24 hours'),
           count(*) FILTER (WHERE NOT finished AND as_of < opened + interval '24 hours'),
           coalesce(sum(extract(epoch FROM closed - opened)) FILTER (WHERE finished), 0)::bigint) AS stats
  FROM (SELECT *, closed IS NOT NULL AND closed <= as_of AS finished
        FROM par_tickets, (SELECT timestamptz '2026-12-01 00:00+08' AS as_of) a
        WHERE opened <= as_of) t
  GROUP BY agent) f USING (agent);
RESET max_parallel_workers_per_gather;
DROP VIEW par_sla;
DROP TABLE par_tickets;
DELETE FROM appraisal.business_calendars WHERE name = 'cn';
