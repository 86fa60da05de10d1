-- make bench: times each query against a baseline over the same rows, in one
-- run, interleaved (every round runs every query once), and reports the
-- median time of each and its ratio to the baseline's median: avg(score)
-- over the ratings, avg(x) over the tickets, and for business time a
-- PL/pgSQL function looping over days (the usual hand-written approach) on
-- a 20,000-ticket sample.
-- psql variables: rows (table size), rounds (repetitions), workers (0 = serial).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS appraisal;

DROP TABLE IF EXISTS bench_ratings;
CREATE TABLE bench_ratings AS
SELECT i % 1000 AS ratee,
       (ARRAY['superior','peer','subordinate','self','customer']::appraisal.rater_role[])[1 + i % 5] AS role,
       ((i::bigint * 7919) % 10001) / 100.0::float8 AS score,
       1 + i % 3 AS weight
FROM generate_series(1::bigint, :rows) i;
VACUUM ANALYZE bench_ratings;

-- tickets: opened during 2026, closed up to 5 days later (every 11th still
-- open), 1-3 contacts (every 17th unresolved), a 1-5 rating (every 5th none)
INSERT INTO appraisal.business_calendars (name, calendar) VALUES
  ('bench_cn', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06, 2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27, 2026-10-01..2026-10-07; workdays 2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10')
  ON CONFLICT (name) DO NOTHING;
DROP TABLE IF EXISTS bench_tickets;
CREATE TABLE bench_tickets AS
SELECT i % 1000 AS agent,
       o AS opened,
       CASE WHEN i % 11 <> 0 THEN o + ((i * 104729) % 7200) * interval '1 minute' END AS closed,
       CASE WHEN i % 17 <> 0 THEN 1 + (i * 31 % 7) / 3 END::int AS contacts,
       CASE WHEN i % 5 <> 0 THEN 1 + (i * 13 % 5) END::int AS rating,
       (i % 5)::float8 AS x
FROM generate_series(1::bigint, :rows) i,
     LATERAL (SELECT timestamptz '2026-01-01 00:00+08' + ((i * 7919) % 525600) * interval '1 minute' AS o) t;
VACUUM ANALYZE bench_tickets;
CREATE TABLE bench_sample AS SELECT opened, closed FROM bench_tickets WHERE closed IS NOT NULL LIMIT 20000;

-- the usual hand-written business-time function: a loop over the days
CREATE OR REPLACE FUNCTION pg_temp.plpgsql_elapsed(s timestamptz, e timestamptz) RETURNS interval
LANGUAGE plpgsql STABLE AS $$
DECLARE
  day date;
  total interval := '0';
  a timestamptz;
  b timestamptz;
  iv record;
BEGIN
  FOR day IN SELECT generate_series((s AT TIME ZONE 'Asia/Shanghai')::date,
                                    (e AT TIME ZONE 'Asia/Shanghai')::date, '1 day')::date LOOP
    CONTINUE WHEN day = ANY ('{2026-01-01,2026-01-02,2026-01-03,2026-02-15,2026-02-16,2026-02-17,2026-02-18,2026-02-19,2026-02-20,2026-02-21,2026-02-22,2026-02-23,2026-04-04,2026-04-05,2026-04-06,2026-05-01,2026-05-02,2026-05-03,2026-05-04,2026-05-05,2026-06-19,2026-06-20,2026-06-21,2026-09-25,2026-09-26,2026-09-27,2026-10-01,2026-10-02,2026-10-03,2026-10-04,2026-10-05,2026-10-06,2026-10-07}'::date[]);
    CONTINUE WHEN extract(isodow FROM day) > 5
              AND day <> ALL ('{2026-01-04,2026-02-14,2026-02-28,2026-05-09,2026-09-20,2026-10-10}'::date[]);
    FOR iv IN SELECT * FROM (VALUES (time '09:00', time '12:00'), (time '13:00', time '18:00')) v(f, t) LOOP
      a := greatest(s, (day + iv.f) AT TIME ZONE 'Asia/Shanghai');
      b := least(e, (day + iv.t) AT TIME ZONE 'Asia/Shanghai');
      IF b > a THEN
        total := total + (b - a);
      END IF;
    END LOOP;
  END LOOP;
  RETURN total;
END
$$;
-- both give the same answer on the sample, or the comparison means nothing
DO $$
BEGIN
  IF (SELECT count(*) FROM bench_sample
      WHERE pg_temp.plpgsql_elapsed(opened, closed) <> appraisal.business_elapsed(opened, closed, 'bench_cn')) > 0 THEN
    RAISE EXCEPTION 'the PL/pgSQL baseline and business_elapsed disagree';
  END IF;
END
$$;

CREATE TEMP TABLE bench_query (name text PRIMARY KEY, sql text, base text DEFAULT 'avg(score)');
INSERT INTO bench_query (name, sql) VALUES
  ('count(*)',                         'SELECT count(*) FROM bench_ratings'),
  ('avg(score)',                       'SELECT avg(score) FROM bench_ratings'),
  ('score_360(score, role)',           'SELECT appraisal.score_360(score, role) FROM bench_ratings'),
  ('score_360(score, role, ''standard'')', 'SELECT appraisal.score_360(score, role, ''standard'') FROM bench_ratings'),
  ('rating_agg(score, role)',          'SELECT appraisal.rating_agg(score, role) FROM bench_ratings'),
  ('360 in plain SQL (FILTER + CASE)',
   $q$SELECT CASE WHEN sup IS NOT NULL AND peer IS NOT NULL AND sub IS NOT NULL THEN 0.4*sup + 0.3*peer + 0.3*sub
                  WHEN sup IS NOT NULL AND sub IS NOT NULL THEN 0.6*sup + 0.4*sub
                  WHEN sup IS NOT NULL AND peer IS NOT NULL THEN 0.6*sup + 0.4*peer
                  WHEN sup IS NOT NULL THEN sup
                  WHEN peer IS NOT NULL AND sub IS NOT NULL THEN 0.5*peer + 0.5*sub
                  ELSE coalesce(peer, sub) END
       FROM (SELECT avg(score) FILTER (WHERE role = 'superior') AS sup,
                    avg(score) FILTER (WHERE role = 'peer') AS peer,
                    avg(score) FILTER (WHERE role = 'subordinate') AS sub
             FROM bench_ratings) x$q$),
  ('score_360 per ratee (1000 groups)', 'SELECT ratee, appraisal.score_360(score, role) FROM bench_ratings GROUP BY ratee'),
  ('avg per ratee (1000 groups)',      'SELECT ratee, avg(score) FROM bench_ratings GROUP BY ratee'),
  ('weighted_score(score, weight)',    'SELECT appraisal.weighted_score(score, weight) FROM bench_ratings'),
  ('sum(w*s)/sum(w) in plain SQL',     'SELECT sum(weight * score) / sum(weight) FROM bench_ratings'),
  ('count(grade_band(score))',         'SELECT count(appraisal.grade_band(score)) FROM bench_ratings'),
  ('count(CASE grade) in plain SQL',
   $q$SELECT count(CASE WHEN score >= 90 THEN '优' WHEN score >= 80 THEN '良' WHEN score >= 70 THEN '中'
                        WHEN score >= 60 THEN '较差' ELSE '差' END) FROM bench_ratings$q$);
INSERT INTO bench_query (name, sql, base) VALUES
  ('tickets: count(*)',                'SELECT count(*) FROM bench_tickets', 'tickets: avg(x)'),
  ('tickets: avg(x)',                  'SELECT avg(x) FROM bench_tickets', 'tickets: avg(x)'),
  ('sla_agg, 24x7, 24 hours',
   $q$SELECT appraisal.sla_agg(opened, closed, '24 hours', '24x7', '2027-01-01') FROM bench_tickets$q$, 'tickets: avg(x)'),
  ('the same in plain SQL (FILTER)',
   $q$SELECT count(*) FILTER (WHERE closed <= '2027-01-01' AND closed <= opened + interval '24 hours'),
             count(*) FILTER (WHERE closed <= '2027-01-01' AND closed > opened + interval '24 hours'),
             count(*) FILTER (WHERE (closed IS NULL OR closed > '2027-01-01') AND opened + interval '24 hours' <= '2027-01-01'),
             sum(closed - opened) FILTER (WHERE closed <= '2027-01-01')
      FROM bench_tickets WHERE opened <= '2027-01-01'$q$, 'tickets: avg(x)'),
  ('sla_agg, working calendar, 24 hours',
   $q$SELECT appraisal.sla_agg(opened, closed, '24 hours', 'bench_cn', '2027-01-01') FROM bench_tickets$q$, 'tickets: avg(x)'),
  ('sla_agg, working calendar, 3 days',
   $q$SELECT appraisal.sla_agg(opened, closed, '3 days', 'bench_cn', '2027-01-01') FROM bench_tickets$q$, 'tickets: avg(x)'),
  ('fcr(contacts)',                    'SELECT appraisal.fcr(contacts) FROM bench_tickets', 'tickets: avg(x)'),
  ('FCR in plain SQL',
   'SELECT count(*) FILTER (WHERE contacts = 1)::float8 / count(contacts) FROM bench_tickets', 'tickets: avg(x)'),
  ('csat(rating)',                     'SELECT appraisal.csat(rating) FROM bench_tickets', 'tickets: avg(x)'),
  ('CSAT in plain SQL',
   'SELECT count(*) FILTER (WHERE rating >= 4)::float8 / count(rating) FROM bench_tickets', 'tickets: avg(x)'),
  ('sample: PL/pgSQL day loop',
   'SELECT sum(pg_temp.plpgsql_elapsed(opened, closed)) FROM bench_sample', 'sample: PL/pgSQL day loop'),
  ('sample: business_elapsed',
   $q$SELECT sum(appraisal.business_elapsed(opened, closed, 'bench_cn')) FROM bench_sample$q$, 'sample: PL/pgSQL day loop');

CREATE TEMP TABLE bench_time (name text, round int, ms float8);
SET max_parallel_workers_per_gather = :workers;
DO $$
DECLARE
  q record;
  t0 timestamptz;
BEGIN
  FOR r IN 1 .. current_setting('bench.rounds')::int LOOP
    FOR q IN SELECT * FROM bench_query ORDER BY name LOOP
      t0 := clock_timestamp();
      EXECUTE q.sql;
      INSERT INTO bench_time VALUES (q.name, r, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
  END LOOP;
END
$$;

\pset footer off
WITH med AS (
  SELECT name, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms,
         max(ms) / min(ms) AS spread
  FROM bench_time GROUP BY name)
SELECT q.name AS query, q.base AS baseline,
       round((m.ms / b.ms)::numeric, 3) AS "ratio to baseline",
       round(m.spread::numeric, 2) AS "max/min",
       round(m.ms::numeric) AS "median ms"
FROM bench_query q JOIN med m ON m.name = q.name JOIN med b ON b.name = q.base
ORDER BY q.ctid;
DROP TABLE bench_ratings;
DROP TABLE bench_tickets;
DROP TABLE bench_sample;
