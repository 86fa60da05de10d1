-- First contact resolution and recurrence (docs/rules.md, "Complaint handling"): the aggregates
-- fcr(contacts) and fcr(contacts, repeat_gap, repeat_window), their state type
-- appraisal.fcr_stats and the two-step API.  Every expected value is worked
-- out by hand in the comment above it.

\i test/regress_helpers.sql

-- contacts: the contact on which an item was resolved; NULL = not resolved.
-- 1, 1, 2, NULL, 3: four resolved, two on the first contact -> 2/4 = 0.5
SELECT appraisal.fcr(c) FROM (VALUES (1), (1), (2), (NULL), (3)) v(c);
-- one item: 1 -> 1/1 = 1; 2 -> 0/1 = 0
SELECT appraisal.fcr(1) AS first, appraisal.fcr(2) AS second;
-- nothing resolved -> NULL: no rows, only unresolved rows
SELECT appraisal.fcr(c) IS NULL AS no_rows FROM (VALUES (1)) v(c) WHERE false;
SELECT appraisal.fcr(c) IS NULL AS all_unresolved FROM (VALUES (NULL::int), (NULL)) v(c);
-- contacts below 1 are errors naming the value and the rule
SELECT pg_temp.try($$SELECT appraisal.fcr(c) FROM (VALUES (1), (0)) v(c)$$) AS contacts_0;
SELECT pg_temp.try($$SELECT appraisal.fcr(-1)$$) AS contacts_minus_1;
SELECT pg_temp.try($$SELECT appraisal.fcr((-2147483648)::int)$$) AS contacts_min;
-- any positive count is fine: 2147483647 contacts, not on the first -> 0
SELECT appraisal.fcr(2147483647) AS contacts_max;

-- Recurrence boundaries: an item recurred when repeat_gap <= repeat_window as
-- SQL compares intervals (a month is 30 days, a day 24 hours).  fcr 0 and
-- recurrence 1 mean "recurred", fcr 1 and recurrence 0 "first contact resolved".
-- gap equal to the window: recurred
SELECT appraisal.fcr(1, '7 days', '7 days') AS equal,
       appraisal.recurrence_rate(appraisal.fcr_agg(1, '7 days', '7 days')) AS equal_rate;
-- one microsecond more: not recurred
SELECT appraisal.fcr(1, '7 days 00:00:00.000001', '7 days') AS one_us_more,
       appraisal.recurrence_rate(appraisal.fcr_agg(1, '7 days 00:00:00.000001', '7 days')) AS one_us_more_rate;
-- one microsecond less: recurred
SELECT appraisal.fcr(1, '6 days 23:59:59.999999', '7 days') AS one_us_less;
-- '1 day' and '24 hours' are equal to SQL, so each is within the other: recurred
SELECT '24 hours'::interval <= '1 day' AS sql_le, '1 day'::interval <= '24 hours' AS sql_ge,
       appraisal.fcr(1, '24 hours', '1 day') AS hours_in_day,
       appraisal.fcr(1, '1 day', '24 hours') AS day_in_hours,
       appraisal.fcr(1, '1 day 00:00:00.000001', '24 hours') AS day_and_1us;
-- '1 mon' is 30 days to SQL: 30 days recurred, 31 days not; 168 hours = 7 days
SELECT appraisal.fcr(1, '30 days', '1 mon') AS days_30,
       appraisal.fcr(1, '31 days', '1 mon') AS days_31,
       appraisal.fcr(1, '7 days', '168 hours') AS hours_168;
-- a comeback at the same moment with a zero window: 0 <= 0, recurred
SELECT appraisal.fcr(1, '0', '0') AS zero_gap_zero_window;
-- no comeback (gap NULL): not recurred
SELECT appraisal.fcr(1, NULL, '7 days') AS no_comeback,
       appraisal.recurrence_rate(appraisal.fcr_agg(1, NULL, '7 days')) AS no_comeback_rate;
-- unresolved rows are skipped entirely, whatever their gap and window
SELECT appraisal.fcr(NULL, '1 day', '7 days') IS NULL AS unresolved_with_gap,
       appraisal.fcr(NULL, '-1 day', NULL) IS NULL AS unresolved_bad_gap,
       appraisal.fcr_agg(NULL, '1 day', '-7 days') AS unresolved_summary;
-- errors on resolved rows: negative gap ('1 mon -31 days' is -1 day to SQL),
-- NULL or negative window, contacts below 1
SELECT '1 mon -31 days'::interval < '0' AS sql_negative;
SELECT pg_temp.try($$SELECT appraisal.fcr(1, '-1 day', '7 days')$$) AS negative_gap;
SELECT pg_temp.try($$SELECT appraisal.fcr(1, '1 mon -31 days', '7 days')$$) AS month_minus_31_days;
SELECT pg_temp.try($$SELECT appraisal.fcr(2, '-00:00:00.000001', '7 days')$$) AS negative_gap_1us;
SELECT pg_temp.try($$SELECT appraisal.fcr(1, '1 day', NULL)$$) AS null_window;
SELECT pg_temp.try($$SELECT appraisal.fcr(1, NULL, NULL)$$) AS null_window_no_gap;
SELECT pg_temp.try($$SELECT appraisal.fcr(1, NULL, '-1 day')$$) AS negative_window;
SELECT pg_temp.try($$SELECT appraisal.fcr(0, NULL, '7 days')$$) AS contacts_0;

-- Tickets; the gap is how long after closing the customer came back about the
-- same problem (next ticket of the customer and problem opened - closed).
CREATE TEMP TABLE ticket (id int, agent text, customer text, problem text,
                          opened timestamp, closed timestamp, contacts int);
INSERT INTO ticket VALUES
  (1, 'A', 'c1', 'login',   '2024-03-01 09:00', '2024-03-01 10:00', 1),
  (2, 'A', 'c2', 'billing', '2024-03-02 09:00', '2024-03-02 09:30', 1),
  (3, 'B', 'c3', 'install', '2024-03-03 08:00', '2024-03-05 08:00', 3),
  (4, 'B', 'c4', 'login',   '2024-03-04 08:00', NULL,               NULL),
  (5, 'A', 'c4', 'login',   '2024-03-05 08:00', '2024-03-05 09:00', 1),
  (6, 'B', 'c3', 'install', '2024-03-06 08:00', '2024-03-06 09:00', 1),
  (7, 'A', 'c1', 'login',   '2024-03-08 10:00', '2024-03-08 12:00', 1),
  (8, 'B', 'c2', 'billing', '2024-03-09 09:30:00.000001', '2024-03-10 09:00', 2);
CREATE TEMP TABLE item AS
SELECT *, lead(opened) OVER (PARTITION BY customer, problem ORDER BY opened) - closed AS gap
FROM ticket;
-- 1: back 7 days later exactly (recurred); 2: 7 days 1 µs later (not recurred,
-- first contact); 3: 3 contacts, back 1 day later (recurred); 4: unresolved;
-- 5, 6, 7: first contact, no comeback; 8: 2 contacts, no comeback
SELECT id, agent, contacts, gap, gap <= '7 days' AS recurred FROM item ORDER BY id;

-- per agent, window 7 days:
-- A: 1 recurred, 2, 5, 7 first contact -> resolved 4, first contact 3, recurred 1:
--    fcr 3/4 = 0.75, recurrence 1/4 = 0.25; without recurrence 4/4 = 1
-- B: 3 recurred (3 contacts), 6 first contact, 8 two contacts, 4 skipped
--    -> resolved 3, first contact 1, recurred 1: fcr 1/3, recurrence 1/3;
--    without recurrence (3, 1, 2) also 1/3 = 0.3333333333333333
SELECT agent, appraisal.fcr(contacts, gap, '7 days') AS fcr,
       appraisal.recurrence_rate(appraisal.fcr_agg(contacts, gap, '7 days')) AS recurrence,
       appraisal.fcr(contacts) AS fcr_without_recurrence
FROM item GROUP BY agent ORDER BY agent;
-- per problem:
-- billing: 2 first contact, 8 two contacts -> 1/2 = 0.5, recurrence 0
-- install: 3 recurred, 6 first contact -> 1/2 = 0.5, recurrence 1/2 = 0.5
-- login: 1 recurred, 5, 7 first contact, 4 skipped -> 2/3 = 0.6666666666666666,
--        recurrence 1/3 = 0.3333333333333333
SELECT problem, appraisal.fcr(contacts, gap, '7 days') AS fcr,
       appraisal.recurrence_rate(appraisal.fcr_agg(contacts, gap, '7 days')) AS recurrence
FROM item GROUP BY problem ORDER BY problem;
-- all: resolved 7, first contact 4, recurred 2: 4/7 = 0.5714285714285714,
-- 2/7 = 0.2857142857142857; without recurrence 5/7 = 0.7142857142857143
SELECT appraisal.fcr(contacts, gap, '7 days') AS fcr,
       appraisal.recurrence_rate(appraisal.fcr_agg(contacts, gap, '7 days')) AS recurrence,
       appraisal.fcr(contacts) AS fcr_without_recurrence
FROM item;
-- a window of 1 day: only item 3 (gap 1 day) recurred; item 1 now counts as
-- first contact: 5 first contact of 7 = 0.7142857142857143
SELECT appraisal.fcr(contacts, gap, '1 day') AS fcr_1_day FROM item;
-- the window may vary by row (e.g. per problem): login 6 days leaves item 1
-- (7 days) first contact, install 1 day keeps item 3 recurred: 5/7
SELECT appraisal.fcr(contacts, gap, CASE problem WHEN 'login' THEN interval '6 days' ELSE '1 day' END) AS fcr_per_problem
FROM item;

-- Two-step: summaries per agent
CREATE TEMP TABLE summary AS
SELECT agent, appraisal.fcr_agg(contacts, gap, '7 days') AS stats FROM item GROUP BY agent;
-- A: resolved=4 first_contact=3 recurred=1; B: resolved=3 first_contact=1 recurred=1
SELECT agent, stats, appraisal.fcr(stats), appraisal.resolved(stats),
       appraisal.first_contact_resolved(stats), appraisal.recurred(stats),
       appraisal.recurrence_rate(stats)
FROM summary ORDER BY agent;
-- the aggregate and its two-step form agree
SELECT agent, appraisal.fcr(contacts, gap, '7 days') = appraisal.fcr(appraisal.fcr_agg(contacts, gap, '7 days')) AS same,
       appraisal.fcr(contacts) = appraisal.fcr(appraisal.fcr_agg(contacts)) AS same_without_recurrence
FROM item GROUP BY agent ORDER BY agent;
-- fcr_agg(contacts) counts nothing as recurred: A 4, 4, 0; B 3, 1, 0
SELECT agent, appraisal.fcr_agg(contacts) FROM item GROUP BY agent ORDER BY agent;
-- rollup of the agents is the whole: resolved=7 first_contact=4 recurred=2
SELECT appraisal.rollup(stats) AS rolled_up,
       appraisal.rollup(stats)::text = (SELECT appraisal.fcr_agg(contacts, gap, '7 days')::text FROM item) AS rollup_is_whole,
       appraisal.fcr(appraisal.rollup(stats)) AS fcr, appraisal.recurrence_rate(appraisal.rollup(stats)) AS recurrence
FROM summary;
-- rollup of nothing is the empty summary; its shares are NULL, its counts 0
SELECT appraisal.rollup(stats), appraisal.fcr(appraisal.rollup(stats)) IS NULL AS no_fcr,
       appraisal.recurrence_rate(appraisal.rollup(stats)) IS NULL AS no_recurrence,
       appraisal.resolved(appraisal.rollup(stats))
FROM summary WHERE false;

-- Taking a summary out of one that holds it (the refresh's adjustment):
-- resolved=7 first_contact=4 recurred=2 less resolved=3 first_contact=1
-- recurred=1 (one of each kind) leaves resolved=4 first_contact=3
-- recurred=1; less itself, the empty summary.  A kind not held is an
-- error: two recurred of two held is fine, three not; the one other item
-- (resolved, neither first contact nor recurred) cannot go twice.
SELECT appraisal.fcr_stats_combine_inv('resolved=7 first_contact=4 recurred=2', 'resolved=3 first_contact=1 recurred=1')::text AS taken_out,
       appraisal.fcr_stats_combine_inv('resolved=7 first_contact=4 recurred=2', 'resolved=7 first_contact=4 recurred=2')::text AS all_taken_out,
       appraisal.fcr_stats_combine_inv('resolved=7 first_contact=4 recurred=2', 'resolved=2 first_contact=0 recurred=2')::text AS both_recurred;
SELECT pg_temp.try($$SELECT appraisal.fcr_stats_combine_inv('resolved=7 first_contact=4 recurred=2', 'resolved=3 first_contact=0 recurred=3')$$) AS recurred_not_held,
       pg_temp.try($$SELECT appraisal.fcr_stats_combine_inv('resolved=7 first_contact=4 recurred=2', 'resolved=2 first_contact=0 recurred=0')$$) AS other_not_held;

-- Moving window of three items: the same as summarising those three anew.
-- items in the frame -> resolved, first contact, recurred -> fcr:
-- 1: {1} 1,0,1 -> 0        2: {1,2} 2,1,1 -> 0.5     3: {1,2,3} 3,1,2 -> 1/3
-- 4: {2,3,4} 2,1,1 -> 0.5  5: {3,4,5} 2,1,1 -> 0.5   6: {4,5,6} 2,2,0 -> 1
-- 7: {5,6,7} 3,3,0 -> 1    8: {6,7,8} 3,2,0 -> 2/3 = 0.6666666666666666
-- without recurrence, contacts in the frame:
-- 1: {1} 1   2: {1,1} 1   3: {1,1,3} 2/3   4: {1,3,-} 1/2   5: {3,-,1} 1/2
-- 6: {-,1,1} 1   7: {1,1,1} 1   8: {1,1,2} 2/3
CREATE TEMP TABLE moving AS
SELECT id,
       appraisal.fcr_agg(contacts, gap, '7 days') OVER w AS stats,
       appraisal.fcr(contacts, gap, '7 days') OVER w AS fcr,
       appraisal.fcr(contacts) OVER w AS fcr_without_recurrence,
       appraisal.fcr_agg(contacts) OVER w AS stats_without_recurrence
FROM item WINDOW w AS (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW);
SELECT id, stats, fcr, fcr_without_recurrence FROM moving ORDER BY id;
SELECT count(*) AS frames,
       count(*) FILTER (WHERE m.stats::text = (SELECT appraisal.fcr_agg(contacts, gap, '7 days')::text
                                                FROM item i WHERE i.id BETWEEN m.id - 2 AND m.id)
                          AND m.stats_without_recurrence::text = (SELECT appraisal.fcr_agg(contacts)::text
                                                FROM item i WHERE i.id BETWEEN m.id - 2 AND m.id)
                          AND m.fcr IS NOT DISTINCT FROM (SELECT appraisal.fcr(contacts, gap, '7 days')
                                                FROM item i WHERE i.id BETWEEN m.id - 2 AND m.id)
                          AND m.fcr_without_recurrence IS NOT DISTINCT FROM (SELECT appraisal.fcr(contacts)
                                                FROM item i WHERE i.id BETWEEN m.id - 2 AND m.id)) AS recomputed_equal
FROM moving m;
-- a frame that holds only the unresolved item 4: nothing resolved -> NULL
SELECT id, appraisal.fcr(contacts) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND CURRENT ROW) IS NULL AS no_fcr
FROM item WHERE id IN (3, 4) ORDER BY id;

-- the transition and inverse functions called directly do not change their argument
WITH s AS (SELECT 'resolved=2 first_contact=1 recurred=1'::appraisal.fcr_stats AS st)
SELECT appraisal.fcr_stats_trans(st, 1) AS plus_first,
       appraisal.fcr_stats_trans(st, 3, '1 day', '7 days') AS plus_recurred,
       appraisal.fcr_stats_inv(st, 1, '1 day', '7 days') AS minus_recurred,
       appraisal.fcr_stats_inv(st, 1) AS minus_first,
       st AS unchanged
FROM s;
-- a NULL state starts empty; NULL contacts leave the state as it is
SELECT appraisal.fcr_stats_trans(NULL, 1) AS from_null,
       appraisal.fcr_stats_trans(NULL, NULL) AS empty,
       appraisal.fcr_stats_trans('resolved=1 first_contact=1 recurred=0', NULL, '1 day', NULL) AS unchanged;
-- removing an item the summary does not hold is an error, not a negative count
SELECT pg_temp.try($$SELECT appraisal.fcr_stats_inv('resolved=1 first_contact=0 recurred=1', 1)$$) AS remove_absent_first;
SELECT pg_temp.try($$SELECT appraisal.fcr_stats_inv('resolved=1 first_contact=1 recurred=0', 2)$$) AS remove_absent_multi;

-- Text form: canonical, reads back to the same value
SELECT agent, stats::text::appraisal.fcr_stats::text = stats::text AS round_trip
FROM summary ORDER BY agent;
SELECT E' resolved=3\t first_contact=1  recurred=1 '::appraisal.fcr_stats AS blanks,
       'resolved=9223372036854775807 first_contact=9223372036854775807 recurred=0'::appraisal.fcr_stats AS largest;
-- white space is the six characters isspace() takes in the C locale, also
-- around "="; a count may carry a sign
SELECT E'resolved = +3\x0bfirst_contact=\f1\nrecurred\r=1'::appraisal.fcr_stats AS every_blank;
-- impossible or malformed summaries are rejected, quoting the bad value
SELECT pg_temp.try($$SELECT 'resolved=-1 first_contact=0 recurred=0'::appraisal.fcr_stats$$) AS negative_resolved;
SELECT pg_temp.try($$SELECT 'resolved=3 first_contact=-1 recurred=0'::appraisal.fcr_stats$$) AS negative_first;
SELECT pg_temp.try($$SELECT 'resolved=3 first_contact=0 recurred=-2'::appraisal.fcr_stats$$) AS negative_recurred;
SELECT pg_temp.try($$SELECT 'resolved=2 first_contact=3 recurred=0'::appraisal.fcr_stats$$) AS first_above_resolved;
SELECT pg_temp.try($$SELECT 'resolved=2 first_contact=0 recurred=3'::appraisal.fcr_stats$$) AS recurred_above_resolved;
SELECT pg_temp.try($$SELECT 'resolved=3 first_contact=2 recurred=2'::appraisal.fcr_stats$$) AS both_above_resolved;
SELECT pg_temp.try($$SELECT 'resolved=9223372036854775807 first_contact=9223372036854775807 recurred=9223372036854775807'::appraisal.fcr_stats$$) AS huge_both;
SELECT pg_temp.try($$SELECT 'resolved=9223372036854775808 first_contact=0 recurred=0'::appraisal.fcr_stats$$) AS count_too_large;
SELECT pg_temp.try($$SELECT 'resolved=abc first_contact=0 recurred=0'::appraisal.fcr_stats$$) AS bad_count;
SELECT pg_temp.try($$SELECT 'resolved=1.5 first_contact=0 recurred=0'::appraisal.fcr_stats$$) AS fraction;
SELECT pg_temp.try($$SELECT 'resolved= first_contact=0 recurred=0'::appraisal.fcr_stats$$) AS empty_count;
SELECT pg_temp.try($$SELECT 'resolved=2 recurred=0'::appraisal.fcr_stats$$) AS missing_field;
SELECT pg_temp.try($$SELECT 'first_contact=1 resolved=2 recurred=0'::appraisal.fcr_stats$$) AS wrong_order;
SELECT pg_temp.try($$SELECT 'resolved=2 first_contact=1 recurred=0 extra'::appraisal.fcr_stats$$) AS trailing;
SELECT pg_temp.try($$SELECT ''::appraisal.fcr_stats$$) AS empty_text;
SELECT pg_temp.try($$SELECT 'resolved=1e3 first_contact=0 recurred=0'::appraisal.fcr_stats$$) AS exponent;
SELECT pg_temp.try($$SELECT 'resolved=3 first_contact=1 recurred 1'::appraisal.fcr_stats$$) AS no_equals;
SELECT pg_temp.try(format('SELECT %L::appraisal.fcr_stats', E'resolved=3\u00a0first_contact=1 recurred=1')) AS no_break_space;

-- Binary form: send and recv through COPY
CREATE TEMP TABLE copied (LIKE summary);
\copy (SELECT agent, stats FROM summary) TO 'results/fcr.bin' WITH (FORMAT binary)
\copy copied FROM 'results/fcr.bin' WITH (FORMAT binary)
SELECT count(*) AS binary_round_trips FROM summary s JOIN copied c USING (agent)
WHERE s.stats::text = c.stats::text;
-- recv validates like the text input: fields crafted as bytea (whose binary
-- form is its bytes) and read back as fcr_stats: resolved, first_contact,
-- recurred, each an int8
CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE crafted (stats appraisal.fcr_stats);
-- valid: resolved=5 first_contact=3 recurred=2
INSERT INTO raw VALUES (int8send(5) || int8send(3) || int8send(2));
\copy raw TO 'results/fcr_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/fcr_raw.bin' WITH (FORMAT binary)
SELECT stats FROM crafted;
-- first contact + recurred above resolved
TRUNCATE raw;
INSERT INTO raw VALUES (int8send(5) || int8send(3) || int8send(3));
\copy raw TO 'results/fcr_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/fcr_raw.bin' WITH (FORMAT binary)
-- negative count
TRUNCATE raw;
INSERT INTO raw VALUES (int8send(-1) || int8send(0) || int8send(0));
\copy raw TO 'results/fcr_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/fcr_raw.bin' WITH (FORMAT binary)
-- first contact above resolved
TRUNCATE raw;
INSERT INTO raw VALUES (int8send(1) || int8send(2) || int8send(0));
\copy raw TO 'results/fcr_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/fcr_raw.bin' WITH (FORMAT binary)
-- (psql's \copy does not set LAST_ERROR_SQLSTATE; show it for this last case)
\set VERBOSITY sqlstate
\copy crafted FROM 'results/fcr_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- too short: two fields only
TRUNCATE raw;
INSERT INTO raw VALUES (int8send(1) || int8send(1));
\copy raw TO 'results/fcr_raw.bin' WITH (FORMAT binary)
\copy crafted FROM 'results/fcr_raw.bin' WITH (FORMAT binary)
SELECT count(*) AS still_one FROM crafted;

-- Parallel query: the aggregates run as Partial Aggregate in workers and
-- combine to exactly the serial answer and the plain-SQL formula.  (A regular
-- table: workers cannot read temporary ones.)
CREATE TABLE par_fcr AS
SELECT i % 37 AS agent,
       CASE WHEN i % 11 = 0 THEN NULL ELSE 1 + (i * 7) % 4 END AS contacts,
       CASE WHEN i % 5 = 0 THEN NULL
            ELSE make_interval(days => (i * 13) % 15, hours => (i * 17) % 24) END AS gap,
       CASE WHEN i % 3 = 0 THEN interval '7 days' ELSE interval '168 hours' END AS win
FROM generate_series(1, 60000) i;
ANALYZE par_fcr;

CREATE VIEW par_fcr_groups AS
SELECT agent,
       appraisal.fcr(contacts) AS f1,
       appraisal.fcr(contacts, gap, win) AS f3,
       appraisal.fcr_agg(contacts, gap, win)::text AS summary,
       appraisal.recurrence_rate(appraisal.fcr_agg(contacts, gap, win)) AS rr
FROM par_fcr GROUP BY agent;
CREATE VIEW par_fcr_total AS
SELECT appraisal.fcr(contacts) AS f1,
       appraisal.fcr(contacts, gap, win) AS f3,
       appraisal.fcr_agg(contacts, gap, win)::text AS summary,
       appraisal.recurrence_rate(appraisal.fcr_agg(contacts, gap, win)) AS rr
FROM par_fcr;
CREATE VIEW par_fcr_rollup AS
SELECT appraisal.rollup(s)::text AS summary
FROM (SELECT agent, appraisal.fcr_agg(contacts, gap, win) AS s FROM par_fcr GROUP BY agent) t;
-- the same numbers in plain SQL
CREATE VIEW par_fcr_sql AS
SELECT count(*) FILTER (WHERE contacts = 1)::float8 / nullif(count(contacts), 0) AS f1,
       count(*) FILTER (WHERE contacts = 1 AND NOT coalesce(gap <= win, false))::float8
         / nullif(count(contacts), 0) AS f3,
       format('resolved=%s first_contact=%s recurred=%s', count(contacts),
              count(*) FILTER (WHERE contacts = 1 AND NOT coalesce(gap <= win, false)),
              count(*) FILTER (WHERE contacts IS NOT NULL AND gap <= win)) AS summary,
       count(*) FILTER (WHERE contacts IS NOT NULL AND gap <= win)::float8
         / nullif(count(contacts), 0) AS rr
FROM par_fcr;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF) SELECT * FROM par_fcr_total;
EXPLAIN (COSTS OFF) SELECT * FROM par_fcr_groups;
EXPLAIN (COSTS OFF) SELECT * FROM par_fcr_rollup;
SELECT pg_temp.workers_launched('SELECT * FROM par_fcr_total') > 0 AS total_in_parallel,
       pg_temp.workers_launched('SELECT * FROM par_fcr_groups') > 0 AS groups_in_parallel;
CREATE TEMP TABLE par_result AS SELECT * FROM par_fcr_groups;
CREATE TEMP TABLE par_sum AS SELECT * FROM par_fcr_total;
CREATE TEMP TABLE par_rolled AS SELECT * FROM par_fcr_rollup;

SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT * FROM par_fcr_total;
CREATE TEMP TABLE ser_result AS SELECT * FROM par_fcr_groups;
CREATE TEMP TABLE ser_sum AS SELECT * FROM par_fcr_total;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

-- identical answers, group by group and in total
SELECT count(*) AS groups, count(*) FILTER (WHERE p = s) AS identical
FROM (SELECT agent, p::text AS p, s::text AS s
      FROM par_result p JOIN ser_result s USING (agent)) t;
SELECT (SELECT p::text FROM par_sum p) = (SELECT s::text FROM ser_sum s) AS totals_identical,
       (SELECT summary FROM par_rolled) = (SELECT summary FROM ser_sum) AS rollup_identical;
-- and equal to the plain-SQL formula, in total and per agent
SELECT s.f1 = q.f1 AS f1_matches_sql, s.f3 = q.f3 AS f3_matches_sql,
       s.summary = q.summary AS summary_matches_sql, s.rr = q.rr AS rr_matches_sql
FROM ser_sum s, par_fcr_sql q;
SELECT count(*) AS groups,
       count(*) FILTER (WHERE r.f3 = q.f3 AND r.f1 = q.f1 AND r.rr = q.rr) AS match_sql
FROM par_result r JOIN (
  SELECT agent,
         count(*) FILTER (WHERE contacts = 1)::float8 / nullif(count(contacts), 0) AS f1,
         count(*) FILTER (WHERE contacts = 1 AND NOT coalesce(gap <= win, false))::float8
           / nullif(count(contacts), 0) AS f3,
         count(*) FILTER (WHERE contacts IS NOT NULL AND gap <= win)::float8
           / nullif(count(contacts), 0) AS rr
  FROM par_fcr GROUP BY agent) q USING (agent);
-- the numbers are real: i = 1..60000; resolved unless 11 | i: 60000 - 5454 = 54546;
-- counted independently (gap (13 i mod 15) days + (17 i mod 24) hours, none
-- when 5 | i; recurred when <= 7 days; contacts 1 + 7 i mod 4): 9092 first
-- contact, 18181 recurred
SELECT summary FROM ser_sum;

DROP VIEW par_fcr_groups, par_fcr_total, par_fcr_rollup, par_fcr_sql;
DROP TABLE par_fcr;
