-- Business time on the day tables (0.5) gives exactly the answers of the
-- previous algorithm (0.4's, a binary search over the calendar's exceptions
-- per look-up and a loop over the day's intervals): 4,200 random cases
-- (fixed, from md5, so the same on every server version) on seven calendars,
-- across daylight-saving changes (New York, Berlin, London, Lord Howe's half
-- hour), a year of holidays and make-up workdays, night shifts across
-- midnight, many intervals a day, both ends of the calendars' range (the
-- Shanghai LMT offset of 1900 has seconds; beyond 2199 is an error), with
-- pauses (none, empty, up to three, one without end) and targets of working
-- time, working days and both.  Each function's answers (or errors) per
-- calendar are hashed: the hashes below were printed by the previous
-- algorithm (the build before the day tables), so any difference in any
-- single answer changes a hash.  Starts and stops fall on whole hours, half
-- hours, minutes or any microsecond, so interval edges are hit often.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';

-- a number in [0, 1) from case i and draw k
CREATE FUNCTION pg_temp.h(i int, k int) RETURNS float8 LANGUAGE sql IMMUTABLE AS
$$ SELECT ('x' || substr(md5(i || ':' || k), 1, 12))::bit(48)::bigint / 281474976710656.0::float8 $$;

CREATE TEMP TABLE eq_cal (id int PRIMARY KEY, cal appraisal.business_calendar, window_start timestamptz, window_days int);
INSERT INTO eq_cal VALUES
  -- the demo office: lunch break, 2025's holidays and make-up workdays
  (1, 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2025-01-01, 2025-01-28..2025-02-04, 2025-04-04..2025-04-06, 2025-05-01..2025-05-05, 2025-05-31..2025-06-02, 2025-10-01..2025-10-08; workdays 2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11',
   '2024-12-20 00:00+08', 380),
  -- both DST changes of 2026, one inside Sunday's working time, a make-up Saturday
  (2, 'America/New_York; Mon-Fri 09:00-17:00; Sun 00:00-03:30; holidays 2026-03-09, 2026-11-02..2026-11-03; workdays 2026-03-07, 2026-10-31',
   '2026-02-20 00:00-05', 300),
  -- a night shift across midnight, with DST changes at 02:00/03:00
  (3, 'Europe/Berlin; Mon-Sun 00:00-06:00,22:00-24:00; holidays 2026-10-26', '2026-03-15 00:00+01', 240),
  -- around the clock, half-hour DST
  (4, 'Australia/Lord_Howe; Mon-Sun 00:00-24:00; holidays 2026-04-07', '2026-03-20 00:00+11', 230),
  -- the start of the range (Shanghai's local mean time: +08:05:43)
  (5, 'Asia/Shanghai; Mon-Sat 08:00-12:00,14:00-17:30; holidays 1900-01-01..1900-01-03, 1900-02-01; workdays 1900-01-07',
   '1900-01-02 00:00+00', 60),
  -- the end of the range: due times beyond 2199-12-31 are errors
  (6, 'UTC; Mon-Fri 09:00-17:00; holidays 2199-12-01..2199-12-07; workdays 2199-12-13', '2199-11-01 00:00+00', 55),
  -- many intervals, a one-minute one, workdays on Tuesday's schedule
  (7, 'Europe/London; Tue-Sat 07:00-07:30,08:00-09:00,10:15-11:45,12:00-12:01,13:00-17:00,23:59-24:00; holidays 2026-12-24..2027-01-02; workdays 2026-12-20',
   '2026-03-20 00:00+00', 300);

-- 600 cases per calendar: a start in the window, a span skewed to short ones
-- (up to 40 days), a target, pauses around the span, an as_of for sla_agg
CREATE TEMP TABLE eq_case AS
SELECT c.id, i, s, e, t, p, s + floor(pg_temp.h(i, 9) * 86400 * 60) * interval '1 second' AS as_of
FROM eq_cal c, generate_series(c.id * 1000 + 1, c.id * 1000 + 600) i,
LATERAL (SELECT c.window_start + floor(pg_temp.h(i, 1) * c.window_days * 48) * interval '30 minutes'
                + CASE WHEN pg_temp.h(i, 2) < 0.3 THEN interval '0'
                       WHEN pg_temp.h(i, 2) < 0.6 THEN floor(pg_temp.h(i, 3) * 30) * interval '1 minute'
                       ELSE floor(pg_temp.h(i, 3) * 1800e6) * interval '1 microsecond' END AS s) a,
LATERAL (SELECT s + CASE WHEN pg_temp.h(i, 4) < 0.05 THEN interval '0'
                         WHEN pg_temp.h(i, 2) < 0.3 THEN floor(pg_temp.h(i, 5) ^ 3 * 40 * 48) * interval '30 minutes'
                         ELSE floor(pg_temp.h(i, 5) ^ 3 * 40 * 86400e6) * interval '1 microsecond' END AS e) b,
LATERAL (SELECT CASE WHEN pg_temp.h(i, 6) < 0.4 THEN floor(pg_temp.h(i, 7) * 60 * 60) * interval '1 minute'
                     WHEN pg_temp.h(i, 6) < 0.8 THEN (1 + floor(pg_temp.h(i, 7) * 10)) * interval '1 day'
                     ELSE (1 + floor(pg_temp.h(i, 7) * 5)) * interval '1 day'
                          + floor(pg_temp.h(i, 8) * 20 * 3600e6) * interval '1 microsecond' END AS t) d,
LATERAL (SELECT CASE WHEN pg_temp.h(i, 10) < 0.5 THEN NULL
                     WHEN pg_temp.h(i, 10) < 0.55 THEN '{}'::tstzmultirange
                     ELSE (SELECT range_agg(tstzrange(lo, CASE WHEN pg_temp.h(i, 20 + k) < 0.05 THEN NULL
                                                               ELSE lo + floor(pg_temp.h(i, 30 + k) ^ 2 * 2 * 86400) * interval '1 second' END))
                           FROM generate_series(1, 1 + floor(pg_temp.h(i, 11) * 3)::int) k,
                           LATERAL (SELECT s + (pg_temp.h(i, 40 + k) * (extract(epoch FROM e - s) + 2 * 86400) - 86400) * interval '1 second' AS lo) l)
                END AS p) f;

-- every answer of one case as text, or its error
CREATE FUNCTION pg_temp.answer(kind text, s timestamptz, e timestamptz, t interval,
                               c appraisal.business_calendar, p tstzmultirange, as_of timestamptz)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  r text;
BEGIN
  CASE kind
    WHEN 'elapsed' THEN r := appraisal.business_elapsed(s, e, c);
    WHEN 'elapsed, paused' THEN r := appraisal.business_elapsed(s, e, c, p);
    WHEN 'due' THEN r := appraisal.business_due(s, t, c);
    WHEN 'due, paused' THEN r := appraisal.business_due(s, t, c, p);
    WHEN 'sla, finished' THEN SELECT appraisal.sla_agg(s, e, t, c, e, p)::text INTO r;
    WHEN 'sla, as of' THEN SELECT appraisal.sla_agg(s, e, t, c, as_of, p)::text INTO r;
    WHEN 'timeline' THEN
      SELECT string_agg(x::text, ';') INTO r FROM appraisal.sla_timeline(s, e, t, c, p) x;
  END CASE;
  RETURN coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

CREATE TEMP TABLE eq_answer AS
SELECT c.id, c.i, k.kind, pg_temp.answer(k.kind, c.s, c.e, c.t, cal.cal, c.p, c.as_of) AS answer
FROM eq_case c JOIN eq_cal cal USING (id),
     (VALUES ('elapsed'), ('elapsed, paused'), ('due'), ('due, paused'), ('sla, finished'), ('sla, as of'), ('timeline')) k(kind)
WHERE k.kind <> 'timeline' OR c.e - c.s <= interval '3 days';

-- the cases cover what they should
SELECT id, count(*) AS cases,
       count(*) FILTER (WHERE p IS NOT NULL AND p <> '{}') AS paused,
       count(*) FILTER (WHERE upper_inf(p)) AS pause_without_end,
       count(*) FILTER (WHERE extract(day FROM t) > 0) AS working_days,
       count(*) FILTER (WHERE extract(day FROM t) = 0) AS working_time,
       count(*) FILTER (WHERE e = s) AS empty_span,
       count(*) FILTER (WHERE e > as_of) AS open_as_of
FROM eq_case GROUP BY id ORDER BY id;

-- per calendar and function: answers, errors, and the hash of every answer
SELECT id, kind, count(*) AS answers,
       count(*) FILTER (WHERE answer ~ '^[0-9A-Z]{5}: ') AS errors,
       md5(string_agg(answer, '|' ORDER BY i)) AS hash
FROM eq_answer GROUP BY id, kind ORDER BY id, kind;

-- the errors there are: the end of the range (instants shown as T)
SELECT kind, regexp_replace(answer, '\d{4}-\d\d-\d\d [0-9:.+]+', 'T', 'g') AS error, count(*)
FROM eq_answer WHERE answer ~ '^[0-9A-Z]{5}: ' GROUP BY 1, 2 ORDER BY 1, 2;

-- One call site for all the cases of a kind, the calendars varying from row
-- to row in random order of time (day tables built once, the last period and
-- chunk remembered from row to row), answers as a call site per case did
-- (cases whose answer was an error left out: it would end the query)
WITH ok AS (
  SELECT c.*, cal.cal, a.kind, a.answer
  FROM eq_case c JOIN eq_cal cal USING (id) JOIN eq_answer a USING (id, i)
  WHERE a.answer !~ '^[0-9A-Z]{5}: '),
warm AS (
  SELECT kind, answer, appraisal.business_elapsed(s, e, cal)::text AS again FROM ok WHERE kind = 'elapsed'
  UNION ALL
  SELECT kind, answer, appraisal.business_elapsed(s, e, cal, p)::text FROM ok WHERE kind = 'elapsed, paused'
  UNION ALL
  SELECT kind, answer, coalesce(appraisal.business_due(s, t, cal)::text, 'NULL') FROM ok WHERE kind = 'due'
  UNION ALL
  SELECT kind, answer, coalesce(appraisal.business_due(s, t, cal, p)::text, 'NULL') FROM ok WHERE kind = 'due, paused'
  UNION ALL
  SELECT kind, answer, (appraisal.sla_agg(s, e, t, cal, e, p) OVER (PARTITION BY id, i))::text
  FROM ok WHERE kind = 'sla, finished'
  UNION ALL
  SELECT kind, answer, (appraisal.sla_agg(s, e, t, cal, as_of, p) OVER (PARTITION BY id, i))::text
  FROM ok WHERE kind = 'sla, as of')
SELECT kind, count(*) AS answers, count(*) FILTER (WHERE again IS DISTINCT FROM answer) AS differing
FROM warm GROUP BY kind ORDER BY kind;

-- Starts spread over the whole range, in random order, through one call
-- site (a calendar keeps 8 chunks of 512 dates: most rows replace one)
-- against a fresh compile per row (each row's calendar differs by a holiday
-- on a Saturday, which changes no working time).
CREATE TEMP TABLE eq_far AS
SELECT i, timestamptz '1900-01-10 00:00+00' + floor(pg_temp.h(i, 1) * 109500 * 24) * interval '1 hour'
          + floor(pg_temp.h(i, 2) * 3600) * interval '1 second' AS s,
       (1 + floor(pg_temp.h(i, 3) * 6)) * interval '1 day' + floor(pg_temp.h(i, 4) * 9) * interval '1 hour' AS t,
       floor(pg_temp.h(i, 5) * 40 * 86400) * interval '1 second' AS span,
       'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 1949-10-01..1949-10-07, 2000-01-03, 2099-12-28..2100-01-04' AS base,
       '; workdays 2000-01-08, 2150-06-07' AS workdays,
       date '1900-01-06' + 7 * i AS saturday
FROM generate_series(1, 400) i;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE warm_due IS DISTINCT FROM cold_due) AS due_differing,
       count(*) FILTER (WHERE warm_sla IS DISTINCT FROM cold_sla) AS sla_differing,
       count(*) FILTER (WHERE warm_elapsed IS DISTINCT FROM cold_elapsed) AS elapsed_differing,
       count(DISTINCT cold_sla) AS sla_answers
FROM (SELECT i,
             appraisal.business_due(s, t, (base || workdays)::appraisal.business_calendar) AS warm_due,
             appraisal.business_due(s, t, (base || ', ' || saturday || workdays)::appraisal.business_calendar) AS cold_due,
             appraisal.business_elapsed(s, s + span, (base || workdays)::appraisal.business_calendar) AS warm_elapsed,
             appraisal.business_elapsed(s, s + span, (base || ', ' || saturday || workdays)::appraisal.business_calendar) AS cold_elapsed,
             (appraisal.sla_agg(s, s + span, t, (base || workdays)::appraisal.business_calendar, s + span) OVER w)::text AS warm_sla,
             (appraisal.sla_agg(s, s + span, t, (base || ', ' || saturday || workdays)::appraisal.business_calendar, s + span) OVER w)::text AS cold_sla
      FROM eq_far WINDOW w AS (PARTITION BY i ORDER BY s)) x;
