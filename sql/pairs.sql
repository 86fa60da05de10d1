-- pair_in(a, b, a_list, b_list): (a, b) IN (SELECT * FROM unnest(a_list, b_list)), the test
-- the refresh makes of every ticket for the agent-days (agent, day) and the
-- customers (customer, category) it recomputes (pairs.c).
\set SHOW_CONTEXT never
\i test/regress_helpers.sql

-- agent-days: A1 on 2 Jan and A2 on 3 Jan are listed; A1 on 3 Jan is not (each
-- part listed, not the pair); a pair with NULL matches nothing, as in IN
SELECT appraisal.pair_in('A1', date '2025-01-02', ARRAY['A1', 'A2'], ARRAY[date '2025-01-02', '2025-01-03']) AS a1_2nd,
       appraisal.pair_in('A2', date '2025-01-03', ARRAY['A1', 'A2'], ARRAY[date '2025-01-02', '2025-01-03']) AS a2_3rd,
       appraisal.pair_in('A1', date '2025-01-03', ARRAY['A1', 'A2'], ARRAY[date '2025-01-02', '2025-01-03']) AS a1_3rd,
       appraisal.pair_in('A3', date '2025-01-01', ARRAY['A3'], ARRAY[NULL::date]) AS null_day_listed,
       appraisal.pair_in(NULL, date '2025-01-01', ARRAY['A3'], ARRAY[date '2025-01-01']) IS NULL AS null_agent,
       appraisal.pair_in('A1', date '2025-01-02', '{}', '{}') AS none_listed,
       appraisal.pair_in('A1', date '2025-01-02', ARRAY['A1', 'A1'], ARRAY[date '2025-01-02', '2025-01-02']) AS listed_twice;

-- customers and categories: texts by their bytes, each part apart ('AB' and
-- 'C' are not 'A' and 'BC'), case counts, '' is a text like any other
SELECT appraisal.pair_in('C1', 'billing', ARRAY['C1', 'C2'], ARRAY['billing', 'delivery']) AS c1_billing,
       appraisal.pair_in('C1', 'delivery', ARRAY['C1', 'C2'], ARRAY['billing', 'delivery']) AS c1_delivery,
       appraisal.pair_in('AB', 'C', ARRAY['A'], ARRAY['BC']) AS split_elsewhere,
       appraisal.pair_in('c1', 'billing', ARRAY['C1'], ARRAY['billing']) AS other_case,
       appraisal.pair_in('', '', ARRAY[''], ARRAY['']) AS empty_texts,
       appraisal.pair_in('客户1', '投诉', ARRAY['客户1'], ARRAY['投诉']) AS multibyte;

-- lists of different lengths, or of two dimensions: errors naming the rule
SELECT pg_temp.try($$SELECT appraisal.pair_in('A1', date '2025-01-02', ARRAY['A1', 'A2'], ARRAY[date '2025-01-02'])$$);
SELECT pg_temp.try($$SELECT appraisal.pair_in('A1', 'x', ARRAY[['A1'], ['A2']], ARRAY[['x'], ['y']])$$);

-- as IN on many rows: 20,000 agent-days against 3,000 of them listed (as a
-- query parameter, hashed once), and against lists that change from row to
-- row (hashed on every call): not one answer differs
CREATE TEMP TABLE t AS
SELECT 'A' || (i % 97) AS agent_id, date '2025-01-01' + (i % 211) AS day, 'C' || (i % 1009) AS customer_id,
       'cat' || (i % 7) AS category
FROM generate_series(1, 20000) i;
CREATE TEMP TABLE k AS
SELECT array_agg('A' || (i % 97)) AS agents, array_agg(date '2025-01-01' + (i * 7 % 211)) AS days,
       array_agg('C' || (i * 13 % 1009)) AS customers, array_agg('cat' || (i % 5)) AS categories
FROM generate_series(1, 3000) i;
PREPARE both_ways(text[], date[], text[], text[]) AS
SELECT count(*) FILTER (WHERE appraisal.pair_in(t.agent_id, t.day, $1, $2)) AS agent_days,
       count(*) FILTER (WHERE appraisal.pair_in(t.agent_id, t.day, $1, $2)
                            IS DISTINCT FROM (t.agent_id, t.day) IN (SELECT * FROM unnest($1, $2))) AS agent_days_differing,
       count(*) FILTER (WHERE appraisal.pair_in(t.customer_id, t.category, $3, $4)) AS customers,
       count(*) FILTER (WHERE appraisal.pair_in(t.customer_id, t.category, $3, $4)
                            IS DISTINCT FROM (t.customer_id, t.category) IN (SELECT * FROM unnest($3, $4))) AS customers_differing
FROM t;
SELECT agents, days, customers, categories FROM k \gset
-- the lists as constants (a custom plan), then as parameters (a generic plan,
-- as in the refresh's queries): 2,929 agent-days and 8,498 customers listed
-- (counted apart, outside the database, from the same formulas)
SET plan_cache_mode = force_custom_plan;
EXECUTE both_ways(:'agents', :'days', :'customers', :'categories');
SET plan_cache_mode = force_generic_plan;
EXECUTE both_ways(:'agents', :'days', :'customers', :'categories');
RESET plan_cache_mode;
-- each row its own lists: (agent, day) listed with another agent, then with
-- the next day instead
SELECT count(*) FILTER (WHERE appraisal.pair_in(t.agent_id, t.day, ARRAY['X', t.agent_id], ARRAY[t.day, t.day])) AS own_pair_listed,
       count(*) FILTER (WHERE appraisal.pair_in(t.agent_id, t.day, ARRAY['X', t.agent_id], ARRAY[t.day, t.day + 1])) AS next_day_listed
FROM t;
-- lists from another table's rows (not constants), which here alternate
-- from one ticket row to the next: each list known again by its bytes,
-- hashed anew when the other comes; k's lists give their 2,929 agent-days
-- again, the one pair A1 on 2 January one (row 1 alone: i = 1 modulo 97
-- and 211)
CREATE TEMP TABLE lists AS
SELECT 'k' AS name, agents, days FROM k
UNION ALL SELECT 'one', ARRAY['A1'], ARRAY[date '2025-01-02'];
SELECT l.name, count(*) FILTER (WHERE appraisal.pair_in(t.agent_id, t.day, l.agents, l.days)) AS listed
FROM t CROSS JOIN LATERAL (SELECT l.* FROM lists l WHERE t.day IS NOT NULL OFFSET 0) l
GROUP BY l.name ORDER BY l.name;
