-- A helper of the pg_regress tests of the summaries of tickets
-- (sql/follow_up.sql, sql/scorecards.sql: \i test/summary_ways.sql).

-- How many rows of a summary of tickets (a table with a function
-- <summary>_rows(agents, days)) differ, as_of aside, between its rows
-- computed for every agent-day at once (NULL, NULL) and computed for each
-- of its stored agent-days by key: two ways of one function that must agree.
CREATE FUNCTION pg_temp.full_and_keyed_differ(summary regclass) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  EXECUTE format($q$
    WITH every_day AS (SELECT array_agg(d.agent_id) AS agents, array_agg(d.day) AS days
                         FROM (SELECT DISTINCT s.agent_id, s.day FROM %1$s s) d),
         whole AS (SELECT to_jsonb(f) - 'as_of' AS r FROM %1$s_rows(NULL, NULL) f),
         keyed AS (SELECT to_jsonb(f) - 'as_of' AS r FROM every_day e, %1$s_rows(e.agents, e.days) f)
    SELECT (SELECT count(*) FROM (SELECT r FROM whole EXCEPT ALL SELECT r FROM keyed) a)
         + (SELECT count(*) FROM (SELECT r FROM keyed EXCEPT ALL SELECT r FROM whole) b)$q$, summary) INTO n;
  RETURN n;
END
$$;

-- How many rows of agent_daily_csat differ, as_of aside, between
-- agent_daily_csat_rows and the CSAT summaries the follow-up's pass gives
-- (agent_daily_csat_follow_up_rows, what a full refresh on one node writes),
-- both for every agent-day at once.
CREATE FUNCTION pg_temp.csat_ways_differ() RETURNS bigint LANGUAGE sql AS $$
  WITH own AS (SELECT to_jsonb(c) - 'as_of' AS r FROM appraisal.agent_daily_csat_rows(NULL, NULL) c),
       pass AS (SELECT jsonb_build_object('agent_id', f.agent_id, 'day', f.day, 'scale_max', s.scale_max, 'csat', s.csat) AS r
                FROM appraisal.agent_daily_csat_follow_up_rows(NULL, NULL) f, unnest(f.scales, f.csats) s(scale_max, csat))
  SELECT (SELECT count(*) FROM (SELECT r FROM own EXCEPT ALL SELECT r FROM pass) a)
       + (SELECT count(*) FROM (SELECT r FROM pass EXCEPT ALL SELECT r FROM own) b)
$$;
