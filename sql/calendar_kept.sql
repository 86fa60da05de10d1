-- A backend keeps the first 8 business calendars it compiles, found by
-- their bytes, for every later call site: a call site that lives for one
-- row (Citus's worker_partial_agg makes one per row when it aggregates
-- sla_agg on a worker) finds its calendar compiled.  This test runs in a
-- backend of its own (nothing compiled before it).  A kept calendar's day
-- table is shared by every call site and keeps replacing its chunks as the
-- starts jump over three centuries: each answer must still be the one a
-- single call site gives, and the one a calendar compiled afresh gives.
\set text '''Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 1949-10-01..1949-10-07, 2000-01-03, 2099-12-28..2100-01-04; workdays 2000-01-08, 2150-06-07'''
\set cal :text::appraisal.business_calendar
-- and a second one, different everywhere, that every third row uses
\set other '''Europe/Berlin; Mon-Fri 08:00-16:00; Sat 10:00-12:00; holidays 2000-12-25..2000-12-26; workdays 2000-12-24'''

-- A fresh call site for every call: each EXECUTE plans and runs its
-- statement anew.
CREATE FUNCTION pg_temp.elapsed_alone(s timestamptz, e timestamptz, cal appraisal.business_calendar) RETURNS interval
LANGUAGE plpgsql AS $$
DECLARE r interval;
BEGIN
  EXECUTE 'SELECT appraisal.business_elapsed($1, $2, $3)' INTO r USING s, e, cal;
  RETURN r;
END $$;
CREATE FUNCTION pg_temp.due_alone(s timestamptz, t interval, cal appraisal.business_calendar) RETURNS timestamptz
LANGUAGE plpgsql AS $$
DECLARE r timestamptz;
BEGIN
  EXECUTE 'SELECT appraisal.business_due($1, $2, $3)' INTO r USING s, t, cal;
  RETURN r;
END $$;
CREATE FUNCTION pg_temp.sla_alone(s timestamptz, e timestamptz, t interval, cal appraisal.business_calendar) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE 'SELECT appraisal.sla_agg($1, $2, $3, $4, $2)::text' INTO r USING s, e, t, cal;
  RETURN r;
END $$;

-- by hand: Thursday 2 January 2025 09:00 to Friday 10:00 in Shanghai is a
-- working day (8 h, lunch out) and an hour; 8 working hours from Friday
-- 17:00 end on Monday 17:00 (1 h on Friday, 3 + 4 on Monday, lunch out);
-- 9 working hours against 8: late
SELECT pg_temp.elapsed_alone('2025-01-02 09:00+08', '2025-01-03 10:00+08', :cal) AS elapsed,
       pg_temp.due_alone('2025-01-03 17:00+08', '8 hours', :cal) AT TIME ZONE 'Asia/Shanghai' AS due,
       pg_temp.sla_alone('2025-01-02 09:00+08', '2025-01-03 10:00+08', '8 hours', :cal) AS sla;
-- the other calendar, the same way: Friday 3 January 2025 15:00 in Berlin
-- to Monday 09:00 is 1 h on Friday, 2 on Saturday (10-12) and 1 on Monday
SELECT pg_temp.elapsed_alone('2025-01-03 15:00+01', '2025-01-06 09:00+01', :other) AS elapsed,
       pg_temp.elapsed_alone('2025-01-03 15:00+01', '2025-01-06 09:00+01', :cal) AS in_shanghai;

-- 400 starts over 1900-2199 in scattered order of time, spans up to 40
-- days, targets of 1 to 6 days and some hours
CREATE TEMP TABLE far AS
SELECT i, timestamptz '1900-01-10 00:00+00' + (i * 7919 % 109500) * interval '1 day' + (i * 3541 % 86400) * interval '1 second' AS s,
       (1 + i % 6) * interval '1 day' + (i % 9) * interval '1 hour' AS t,
       (i * 104729 % (40 * 86400)) * interval '1 second' AS span,
       date '1900-01-06' + 7 * i AS saturday
FROM generate_series(1, 400) i;

-- a call site per row (the kept calendars) against one call site for all
-- and against a calendar compiled afresh per row (each row's calendar with
-- a holiday on a Saturday more, which changes no working time in the
-- first: after the first few, which the backend keeps too, each is
-- compiled for its row)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE alone_elapsed IS DISTINCT FROM one_elapsed
                           OR alone_elapsed IS DISTINCT FROM cold_elapsed AND i % 3 <> 0) AS elapsed_differing,
       count(*) FILTER (WHERE alone_due IS DISTINCT FROM one_due
                           OR alone_due IS DISTINCT FROM cold_due AND i % 3 <> 0) AS due_differing,
       count(*) FILTER (WHERE alone_sla IS DISTINCT FROM one_sla) AS sla_differing,
       count(DISTINCT alone_sla) AS sla_answers
FROM (SELECT i,
             pg_temp.elapsed_alone(s, s + span, c) AS alone_elapsed,
             appraisal.business_elapsed(s, s + span, c) AS one_elapsed,
             appraisal.business_elapsed(s, s + span, cold) AS cold_elapsed,
             pg_temp.due_alone(s, t, c) AS alone_due,
             appraisal.business_due(s, t, c) AS one_due,
             appraisal.business_due(s, t, cold) AS cold_due,
             pg_temp.sla_alone(s, s + span, t, c) AS alone_sla,
             (appraisal.sla_agg(s, s + span, t, c, s + span) OVER (PARTITION BY i))::text AS one_sla
      FROM (SELECT f.*, CASE WHEN i % 3 = 0 THEN :other::appraisal.business_calendar ELSE :cal END AS c,
                   replace(:text, '; workdays', ', ' || to_char(saturday, 'YYYY-MM-DD') || '; workdays')::appraisal.business_calendar AS cold
              FROM far f) f
      ORDER BY i * 31 % 400) x;

-- the backend keeps 8 calendars, no more (the two above and the first 6
-- of the rows' own), each in a memory context of its own
SELECT count(*) AS kept_calendars
FROM pg_backend_memory_contexts
WHERE name = 'business calendar' AND parent = 'TopMemoryContext';
