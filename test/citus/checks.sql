-- test/citus/checks.sql, run by test/citus/run.sh on the coordinator: every
-- aggregate on a distributed table against a local copy of the same rows.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\pset tuples_only on
\pset format unaligned

-- 200,000 tickets with 360 ratings attached, of 60 agents in 7 teams, 2025:
-- unresolved, unanswered, paused and unrated rows included
CREATE TABLE tk (agent int NOT NULL, team int NOT NULL, opened timestamptz NOT NULL, resolved timestamptz,
                 contacts int, gap interval, rating5 int, rating10 int, scale int, pauses tstzmultirange,
                 score float8, role appraisal.rater_role, weight float8);
INSERT INTO tk
SELECT i % 60, i % 60 % 7, o,
       CASE WHEN i % 13 <> 0 THEN o + ((i * 7919) % 20000) * interval '1 minute' END,
       CASE WHEN i % 17 <> 0 THEN 1 + (i * 31 % 7) / 3 END,
       CASE WHEN i % 5 = 0 THEN ((i * 37) % 20) * interval '1 day' END,
       CASE WHEN i % 4 <> 0 THEN 1 + (i * 13 % 5) END,
       CASE WHEN i % 6 <> 0 THEN (i * 7) % 11 END,
       5,
       CASE WHEN i % 9 = 0 THEN tstzmultirange(tstzrange(o + interval '1 hour', o + interval '3 hours')) END,
       ((i * 7919) % 10001) / 100.0,
       (ARRAY['superior', 'peer', 'subordinate', 'self', 'customer']::appraisal.rater_role[])[1 + (i * 3) % 5],
       1 + i % 3
FROM generate_series(1::bigint, 200000) i,
     LATERAL (SELECT timestamptz '2025-01-01 00:00+08' + ((i * 104729) % 500000) * interval '1 minute' AS o) t;
CREATE TABLE tk_local AS SELECT * FROM tk;
SELECT create_distributed_table('tk', 'agent') \g /dev/null
SELECT 'citus: tk distributed over ' || count(DISTINCT nodeport) || ' workers in ' || count(*) || ' shards'
FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node n USING (groupid)
WHERE logicalrelid = 'tk'::regclass;

CREATE TEMP TABLE result (ord serial, line text);
CREATE TEMP TABLE expr (ord serial, e text);
INSERT INTO expr (e) VALUES
  ('appraisal.rating_agg(score, role)'),
  ('appraisal.score_360(score, role)'),
  ($$appraisal.score_360(score, role, 'standard')$$),
  ($$appraisal.score_360(score, role, 'superior 50, peer 25, subordinate 25; fallback superior 100'::appraisal.weight_scheme_spec)$$),
  ('appraisal.weighted_score(score, weight)'),
  ('appraisal.weighted_agg(score, weight)'),
  ($$appraisal.sla_agg(opened, resolved, '24 hours', '24x7', '2025-12-01 00:00+08')$$),
  ($$appraisal.sla_agg(opened, resolved, '3 days', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2025-10-01..2025-10-08'::appraisal.business_calendar, '2025-12-01 00:00+08')$$),
  ($$appraisal.sla_agg(opened, resolved, '8 hours', 'Asia/Shanghai; Mon-Fri 09:00-18:00'::appraisal.business_calendar, '2025-12-01 00:00+08', pauses)$$),
  ($$appraisal.sla_agg(opened, resolved, '48 hours', '24x7', '2025-12-01 00:00+08', pauses)$$),
  ($$appraisal.sla_compliance(opened, resolved, '24 hours')$$),
  ($$appraisal.sla_compliance(opened, resolved, '2 days', 'Europe/Berlin; Mon-Fri 08:00-16:00'::appraisal.business_calendar)$$),
  ($$appraisal.sla_compliance(opened, resolved, '24 hours', '24x7')$$),
  ('appraisal.fcr(contacts)'),
  ($$appraisal.fcr(contacts, gap, '7 days')$$),
  ('appraisal.fcr_agg(contacts)'),
  ($$appraisal.fcr_agg(contacts, gap, '7 days')$$),
  ('appraisal.csat(rating5)'),
  ('appraisal.csat(rating5, scale)'),
  ('appraisal.csat_agg(rating5)'),
  ('appraisal.csat_agg(rating5, scale)'),
  ('appraisal.nps(rating10)'),
  ('appraisal.nps_agg(rating10)');

-- rows of a query as one text, in order (temporary functions: Citus warns
-- that it creates them on the coordinator only, which is what is meant)
SET client_min_messages = error;
CREATE FUNCTION pg_temp.rows_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  lines text[] := '{}';
BEGIN
  FOR r IN EXECUTE sql LOOP
    lines := lines || r.x;
  END LOOP;
  RETURN (SELECT string_agg(l, E'\n' ORDER BY l) FROM unnest(lines) l);
END
$$;
CREATE FUNCTION pg_temp.plan_of(sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r record;
  lines text := '';
BEGIN
  FOR r IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || sql LOOP
    lines := lines || r."QUERY PLAN" || E'\n';
  END LOOP;
  RETURN lines;
END
$$;
SET client_min_messages = warning;

-- each aggregate: all rows, per team (not the distribution column: partial
-- aggregation on the workers) and per agent (the distribution column)
DO $$
DECLARE
  x record;
  g text;
  sql text;
  dist text;
  loc text;
  plan text;
BEGIN
  FOR x IN SELECT * FROM expr ORDER BY ord LOOP
    FOREACH g IN ARRAY ARRAY['', 'team', 'agent'] LOOP
      sql := format('SELECT %s(%s)::text AS x FROM %%s %s',
                    CASE WHEN g = '' THEN '' ELSE g || ' || '': '' || ' END, x.e,
                    CASE WHEN g = '' THEN '' ELSE 'GROUP BY ' || g END);
      dist := pg_temp.rows_of(format(sql, 'tk'));
      loc := pg_temp.rows_of(format(sql, 'tk_local'));
      INSERT INTO result (line) VALUES (
        CASE WHEN dist = loc THEN 'ok ' ELSE 'FAILED ' END
        || format('%s %s: distributed = single node', x.e, CASE WHEN g = '' THEN 'over all rows' ELSE 'per ' || g END)
        || CASE WHEN dist = loc THEN '' ELSE format(E'\n  distributed: %s\n  single node: %s', left(dist, 300), left(loc, 300)) END);
    END LOOP;
    plan := pg_temp.plan_of(format('SELECT %s FROM tk', x.e));
    INSERT INTO result (line) VALUES (
      CASE WHEN plan LIKE '%worker_partial_agg%' AND plan LIKE '%coord_combine_agg%' THEN 'ok ' ELSE 'FAILED ' END
      || format('%s: EXPLAIN shows worker_partial_agg and coord_combine_agg', x.e)
      || CASE WHEN plan LIKE '%worker_partial_agg%' THEN '' ELSE E'\n' || plan END);
  END LOOP;
END
$$;

-- two-step: per-agent summaries stored in a distributed table, rolled up
CREATE TABLE summary (agent int NOT NULL, team int NOT NULL, r appraisal.ratings, w appraisal.weighted_stats,
                      s appraisal.sla_stats, f appraisal.fcr_stats, c appraisal.csat_stats);
SELECT create_distributed_table('summary', 'agent') \g /dev/null
INSERT INTO summary
SELECT agent, team, appraisal.rating_agg(score, role), appraisal.weighted_agg(score, weight),
       appraisal.sla_agg(opened, resolved, '24 hours', 'Asia/Shanghai; Mon-Fri 09:00-18:00'::appraisal.business_calendar, '2025-12-01 00:00+08'),
       appraisal.fcr_agg(contacts, gap, '7 days'), appraisal.csat_agg(rating5)
FROM tk GROUP BY agent, team;
CREATE TABLE summary_local AS SELECT * FROM summary;
DO $$
DECLARE
  c text;
  sql text;
  dist text;
  loc text;
  plan text;
BEGIN
  FOREACH c IN ARRAY ARRAY['r', 'w', 's', 'f', 'c'] LOOP
    sql := format('SELECT team || '': '' || appraisal.rollup(%s)::text AS x FROM %%s GROUP BY team', c);
    dist := pg_temp.rows_of(format(sql, 'summary'));
    loc := pg_temp.rows_of(format(sql, 'summary_local'));
    INSERT INTO result (line) VALUES (
      CASE WHEN dist = loc THEN 'ok ' ELSE 'FAILED ' END
      || format('rollup(%s) of stored summaries per team: distributed = single node', c)
      || CASE WHEN dist = loc THEN '' ELSE format(E'\n  distributed: %s\n  single node: %s', left(dist, 300), left(loc, 300)) END);
    plan := pg_temp.plan_of(format('SELECT appraisal.rollup(%s) FROM summary', c));
    INSERT INTO result (line) VALUES (
      CASE WHEN plan LIKE '%worker_partial_agg%' AND plan LIKE '%coord_combine_agg%' THEN 'ok ' ELSE 'FAILED ' END
      || format('rollup(%s): EXPLAIN shows worker_partial_agg and coord_combine_agg', c)
      || CASE WHEN plan LIKE '%worker_partial_agg%' THEN '' ELSE E'\n' || plan END);
  END LOOP;
  -- the combined state equals rolling up the summaries
  dist := pg_temp.rows_of($q$SELECT appraisal.sla_agg(opened, resolved, '24 hours', 'Asia/Shanghai; Mon-Fri 09:00-18:00'::appraisal.business_calendar, '2025-12-01 00:00+08')::text AS x FROM tk$q$);
  loc := pg_temp.rows_of('SELECT appraisal.rollup(s)::text AS x FROM summary');
  INSERT INTO result (line) VALUES (CASE WHEN dist = loc THEN 'ok ' ELSE 'FAILED ' END
    || 'sla_agg over the distributed rows = rollup of the distributed per-agent summaries');
END
$$;

-- Named configuration: each node reads its own appraisal tables.  A name
-- inserted on the coordinator only is unknown to the workers ...
INSERT INTO appraisal.business_calendars (name, calendar) VALUES ('cn_office', 'Asia/Shanghai; Mon-Fri 09:00-18:00');
DO $$
BEGIN
  PERFORM appraisal.sla_agg(opened, resolved, '24 hours', 'cn_office', '2025-12-01 00:00+08') FROM tk;
  INSERT INTO result (line) VALUES ('FAILED a calendar named on the coordinator only: no error from the workers');
EXCEPTION WHEN undefined_object THEN
  INSERT INTO result (line) VALUES ('ok a calendar named on the coordinator only: the workers say ' || SQLERRM);
END
$$;
-- ... until the same row is on every node
SELECT count(*) FROM run_command_on_workers(
  $$INSERT INTO appraisal.business_calendars (name, calendar) VALUES ('cn_office', 'Asia/Shanghai; Mon-Fri 09:00-18:00')$$)
WHERE success \g /dev/null
INSERT INTO result (line)
SELECT CASE WHEN a = b THEN 'ok ' ELSE 'FAILED ' END
       || 'a calendar named on every node = the same calendar as a value'
FROM (SELECT appraisal.sla_agg(opened, resolved, '24 hours', 'cn_office', '2025-12-01 00:00+08')::text AS a FROM tk) x,
     (SELECT appraisal.sla_agg(opened, resolved, '24 hours', 'Asia/Shanghai; Mon-Fri 09:00-18:00'::appraisal.business_calendar,
                               '2025-12-01 00:00+08')::text AS b FROM tk_local) y;

SELECT line FROM result ORDER BY ord;
\echo EXPLAIN (VERBOSE, COSTS OFF) SELECT appraisal.score_360(score, role) FROM tk;
\pset tuples_only off
\pset format aligned
EXPLAIN (VERBOSE, COSTS OFF) SELECT appraisal.score_360(score, role) FROM tk;
