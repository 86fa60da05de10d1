-- make bench, step 1: the data.  The demo service centre of
-- generate_demo_data (tickets, surveys, the scorecards refreshed once), a
-- table of 360 ratings with every fallback case, a sample of resolved tickets
-- for the PL/pgSQL baseline, and the tables the later steps fill.
-- psql variables: tickets, ratings, agents; cores, cpu, load_start (recorded).
SET client_min_messages = warning;
CREATE EXTENSION appraisal;
CREATE EXTENSION appraisal_demo;
CREATE SCHEMA bench;

CREATE TABLE bench.run (key text PRIMARY KEY, value text);
INSERT INTO bench.run VALUES
  ('tickets', :'tickets'), ('ratings', :'ratings'), ('agents', :'agents'),
  ('cores', :'cores'), ('cpu', :'cpu'), ('load_start', :'load_start'),
  ('server_version', current_setting('server_version')),
  ('shared_buffers', current_setting('shared_buffers')), ('work_mem', current_setting('work_mem')),
  ('jit', current_setting('jit')), ('started', now()::text);

-- generate_demo_data refreshes the scorecards at its end
SELECT clock_timestamp() AS t0 \gset
SELECT sum(rows) AS generated FROM appraisal.generate_demo_data(agents => :agents, tickets => :tickets, year => 2025) \gset
INSERT INTO bench.run VALUES
  ('generate_seconds', round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz), 1)::text),
  ('surveys', (SELECT count(*) FROM appraisal.survey_responses)::text);

-- 360 ratings: 20 per ratee (3 superiors, 6 peers, 8 subordinates, a self
-- and 2 customer ratings), where ratees ending in 3 have no peers, in 5 no
-- subordinates, in 7 neither, in 9 no superior: every fixed fallback of
-- docs/rules.md, "360-degree scores".  Scores 0.00-100.00, weights 1-3.
CREATE TABLE bench.ratings AS
SELECT ratee,
       CASE WHEN role = 'peer' AND ratee % 10 IN (3, 7) THEN 'customer'
            WHEN role = 'subordinate' AND ratee % 10 IN (5, 7) THEN 'self'
            WHEN role = 'superior' AND ratee % 10 = 9 THEN 'peer'
            ELSE role END::appraisal.rater_role AS role,
       ((i * 7919) % 10001) / 100.0::float8 AS score,
       (1 + i % 3)::float8 AS weight
FROM generate_series(0::bigint, :ratings - 1) i,
     LATERAL (SELECT i / 20 AS ratee,
                     CASE WHEN i % 20 < 3 THEN 'superior' WHEN i % 20 < 9 THEN 'peer'
                          WHEN i % 20 < 17 THEN 'subordinate' WHEN i % 20 = 17 THEN 'self'
                          ELSE 'customer' END AS role) r;

-- the PL/pgSQL baseline runs on a sample: resolved tickets, spread over the year
CREATE TABLE bench.sample AS
SELECT opened_at, resolved_at FROM appraisal.tickets TABLESAMPLE BERNOULLI (1) REPEATABLE (42)
WHERE resolved_at IS NOT NULL LIMIT 20000;

INSERT INTO bench.run VALUES
  ('sample_rows', (SELECT count(*) FROM bench.sample)::text),
  ('resolved_tickets', (SELECT count(*) FROM appraisal.tickets WHERE resolved_at IS NOT NULL)::text);

VACUUM ANALYZE appraisal.tickets, appraisal.survey_responses, bench.ratings, bench.sample;

-- the usual hand-written business-time function: a loop over the days of the
-- span with the office hours and the demo calendar's holidays and make-up
-- workdays (read from its text, written into the function as constants)
DO $$
DECLARE
  cal text := (SELECT calendar::text FROM appraisal.business_calendars WHERE name = 'demo_cn_office');
  holidays date[];
  workdays date[];
BEGIN
  SELECT array_agg(d ORDER BY d) INTO holidays
  FROM regexp_matches(substring(cal FROM 'holidays ([^;]*)'), '(\d{4}-\d\d-\d\d)(\.\.(\d{4}-\d\d-\d\d))?', 'g') m,
       generate_series(m[1]::date, coalesce(m[3], m[1])::date, '1 day') d;
  SELECT array_agg(m[1]::date) INTO workdays
  FROM regexp_matches(substring(cal FROM 'workdays ([^;]*)'), '(\d{4}-\d\d-\d\d)', 'g') m;
  IF cal NOT LIKE 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; %' OR holidays IS NULL THEN
    RAISE EXCEPTION 'the PL/pgSQL baseline does not know the calendar %', cal;
  END IF;
  EXECUTE format($f$
    CREATE FUNCTION bench.plpgsql_elapsed(s timestamptz, e timestamptz) RETURNS interval
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $body$
    DECLARE
      day date;
      total interval := '0';
      a timestamptz;
      b timestamptz;
    BEGIN
      FOR day IN SELECT generate_series((s AT TIME ZONE 'Asia/Shanghai')::date,
                                        (e AT TIME ZONE 'Asia/Shanghai')::date, '1 day')::date LOOP
        CONTINUE WHEN day = ANY (%L::date[]);
        CONTINUE WHEN extract(isodow FROM day) > 5 AND day <> ALL (%L::date[]);
        a := greatest(s, (day + time '09:00') AT TIME ZONE 'Asia/Shanghai');
        b := least(e, (day + time '12:00') AT TIME ZONE 'Asia/Shanghai');
        IF b > a THEN
          total := total + (b - a);
        END IF;
        a := greatest(s, (day + time '13:00') AT TIME ZONE 'Asia/Shanghai');
        b := least(e, (day + time '18:00') AT TIME ZONE 'Asia/Shanghai');
        IF b > a THEN
          total := total + (b - a);
        END IF;
      END LOOP;
      RETURN total;
    END
    $body$
  $f$, holidays, workdays);
  -- and its due time: the day loop from the start, spending the target on
  -- each working stretch until it runs out (an end reached exactly moves on
  -- to the next stretch, as business_due counts it: the last such instant)
  EXECUTE format($f$
    CREATE FUNCTION bench.plpgsql_due(s timestamptz, target interval) RETURNS timestamptz
    LANGUAGE plpgsql STABLE PARALLEL SAFE AS $body$
    DECLARE
      day date := (s AT TIME ZONE 'Asia/Shanghai')::date;
      rest interval := target;
      a timestamptz;
      b timestamptz;
      iv record;
    BEGIN
      LOOP
        IF day <> ALL (%L::date[]) AND (extract(isodow FROM day) <= 5 OR day = ANY (%L::date[])) THEN
          FOR iv IN SELECT * FROM (VALUES (time '09:00', time '12:00'), (time '13:00', time '18:00')) v(f, t) LOOP
            a := greatest(s, (day + iv.f) AT TIME ZONE 'Asia/Shanghai');
            b := (day + iv.t) AT TIME ZONE 'Asia/Shanghai';
            IF b > a THEN
              IF b - a > rest THEN
                RETURN a + rest;
              END IF;
              rest := rest - (b - a);
            END IF;
          END LOOP;
        END IF;
        day := day + 1;
      END LOOP;
    END
    $body$
  $f$, holidays, workdays);
END
$$;

-- filled by the later steps
CREATE TABLE bench.query (
  name text PRIMARY KEY, source text NOT NULL, sql text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('floor', 'ours', 'baseline', 'control')),
  compare_to text,   -- the hand-written baseline of the same answer
  ord serial);
CREATE TABLE bench.time (name text, round int, workers int, ms float8);
CREATE TABLE bench.launched (name text PRIMARY KEY, workers int);
CREATE TABLE bench.refresh (round int, mode text, materialized_view text, rows bigint, seconds float8);
CREATE TABLE bench.memory (aggregate text, rows bigint, result_bytes int, status text);
CREATE TABLE bench.writers (with_refresh boolean, inserts bigint, p50_ms float8, p99_ms float8, max_ms float8, refreshes int);
