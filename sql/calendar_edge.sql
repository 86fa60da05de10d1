-- Business calendars at their edges: binary I/O, the supported range,
-- targets too large to compute, many zones in one query, and limits of the
-- text form.  (Found by review against a brute-force reference.)
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
\set SHOW_CONTEXT never

\i test/regress_helpers.sql

-- Binary COPY round-trips calendars (the binary form is the canonical text).
CREATE TEMP TABLE cal_in (c appraisal.business_calendar);
CREATE TEMP TABLE cal_out (c appraisal.business_calendar);
INSERT INTO cal_in VALUES
  ('UTC; Mon-Fri 09:00-18:00'),
  ('Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; Sat 09:00-12:00; holidays 2026-10-01..2026-10-07, 2027-01-01; workdays 2026-10-10');
COPY cal_in TO '/tmp/appraisal_calendar.bin' WITH (FORMAT binary);
COPY cal_out FROM '/tmp/appraisal_calendar.bin' WITH (FORMAT binary);
SELECT c::text, c OPERATOR(appraisal.=) (SELECT i.c FROM cal_in i WHERE i.c::text = o.c::text) AS equal
FROM cal_out o ORDER BY 1;

-- The 24x7 calendar ends where every calendar ends (2199-12-31): 1000 hours
-- from 2199-12-29 is beyond it.  So is a target too large for any calendar.
SELECT pg_temp.try($$SELECT appraisal.business_due('2199-12-29', '1000 hours', '24x7')$$);
SELECT pg_temp.try($$SELECT appraisal.business_due('2199-12-29', '1000 hours', 'UTC; Mon-Sun 00:00-24:00; holidays 2000-01-01'::appraisal.business_calendar)$$);
SELECT pg_temp.try($$SELECT appraisal.business_due('2024-01-01', '2562047788:00:54.775807', '24x7')$$);
SELECT pg_temp.try($$SELECT appraisal.business_due('2024-01-01', '2562047788:00:54.775807', 'UTC; Mon-Fri 09:00-18:00'::appraisal.business_calendar)$$);
SELECT pg_temp.try($$SELECT appraisal.business_due('2024-01-01', '1 day 2562047788:00:54.775807', 'UTC; Mon-Fri 09:00-18:00'::appraisal.business_calendar)$$);
-- an open item with such a target cannot be judged; a finished one is within it
SELECT pg_temp.try($$SELECT appraisal.sla_agg('2024-01-01', NULL, '2562047788:00:54.775807', '24x7', '2024-06-01')$$);
SELECT appraisal.sla_agg('2024-01-01', '2024-02-01', '2562047788:00:54.775807', '24x7', '2024-06-01')::text;
-- the last computable instant: 2199-12-30 23:59:59.999999 UTC on 24x7
SELECT appraisal.business_due('2199-12-30 00:00+00', '23:59:59.999999', '24x7');
SELECT pg_temp.try($$SELECT appraisal.business_due('2199-12-30 00:00+00', '24:00:00', '24x7')$$);

-- A pause without end: never due.  A pause ending after 2199: beyond the range.
SELECT appraisal.business_due('2024-01-01 10:00+00', '8 hours', '24x7', '{[2024-01-01 11:00+00,)}');
SELECT pg_temp.try($$SELECT appraisal.business_due('2024-01-01 10:00+00', '8 hours', '24x7', '{[2024-01-01 11:00+00,2250-01-01)}')$$);

-- A timeline with a stop inside the range needs no due time when the item
-- is within target: 1 working hour (Etc/GMT+12 23:00-24:00 = 11:00-12:00 UTC
-- next day) from 2199-12-29 11:00 UTC, the 29th a holiday, is due after 2199.
SELECT stretch_start, stretch_end, kind, working, cumulative, breached
FROM appraisal.sla_timeline('2199-12-29 09:00+00', '2199-12-30 23:59:59+00', '1 hour',
                            'Etc/GMT+12; Mon-Sun 23:00-24:00; holidays 2199-12-29'::appraisal.business_calendar);

-- 'localtime' would tie a calendar to the server's configuration: refused.
SELECT split_part(pg_temp.try($$SELECT 'localtime; Mon-Fri 09:00-17:00'::appraisal.business_calendar$$), ':', 1) AS sqlstate;
-- Touching intervals count as one stretch: 14 hourly ones are one interval.
SELECT 'UTC; Mon 00:00-01:00,01:00-02:00,02:00-03:00,03:00-04:00,04:00-05:00,05:00-06:00,06:00-07:00,07:00-08:00,08:00-09:00,09:00-10:00,10:00-11:00,11:00-12:00,12:00-13:00,13:00-14:00'::appraisal.business_calendar;
-- but thirteen separate intervals are more than a day may have
SELECT split_part(pg_temp.try($$SELECT 'UTC; Mon 00:00-00:30,01:00-01:30,02:00-02:30,03:00-03:30,04:00-04:30,05:00-05:30,06:00-06:30,07:00-07:30,08:00-08:30,09:00-09:30,10:00-10:30,11:00-11:30,12:00-12:30'::appraisal.business_calendar$$), ':', 1) AS sqlstate;

-- Twenty calendars in twenty zones alternating row by row: more than a
-- call site caches, each zone read once per backend.  Mon-Fri 09:00-18:00
-- from Mon 2024-01-01 00:00 to Wed 00:00 local time is 2 x 9 h = 18 h in
-- every zone.
SELECT count(*) AS rows, count(DISTINCT z) AS zones, min(e) AS least, max(e) AS most
FROM (SELECT z, appraisal.business_elapsed(('2024-01-01 00:00'::timestamp AT TIME ZONE z),
                                           ('2024-01-03 00:00'::timestamp AT TIME ZONE z),
                                           (z || '; Mon-Fri 09:00-18:00')::appraisal.business_calendar) AS e
      FROM (SELECT array_agg(name ORDER BY name) AS names
            FROM (SELECT name FROM pg_timezone_names WHERE name ~ '^America/[A-M]' ORDER BY name LIMIT 20) n) a,
           generate_series(1, 1000) g,
           LATERAL (SELECT a.names[1 + g % 20] AS z) zz) x;

-- sla_timeline: an open ticket whose pause never ends has no end to show;
-- stop before start is an error naming both.
SELECT pg_temp.try($$SELECT * FROM appraisal.sla_timeline('2024-01-01 10:00+00', NULL, '8 hours', '24x7', '{[2024-01-01 11:00+00,)}')$$);
SELECT pg_temp.try($$SELECT * FROM appraisal.sla_timeline('2024-01-02 10:00+00', '2024-01-01 10:00+00', '8 hours', '24x7')$$);
