-- Business calendars (appraisal.business_calendar) and business time:
-- business_elapsed, business_due and sla_timeline (issue 3).  Every expected value
-- is worked out by hand from the written rules in the comment above it; where a
-- table has a column "ok", it compares the result with that hand value.
-- Timestamps are shown in Shanghai time (+08, no DST since 1991), except in the
-- DST sections, which show the calendar's own zone.  Weekdays used: 2026-09-14 Mon,
-- 09-18 Fri, 09-19 Sat, 09-20 Sun, 09-21 Mon, 09-25 Fri, 09-26 Sat, 09-27 Sun,
-- 09-28 Mon, 09-29 Tue, 09-30 Wed, 10-01 Thu, 10-03 Sat, 10-07 Wed, 10-08 Thu,
-- 10-09 Fri, 10-10 Sat, 10-11 Sun, 10-12 Mon; 2026-01-05 Mon, 2027-01-02 Sat,
-- 2027-01-04 Mon.
SET timezone = 'Asia/Shanghai';
-- (pg_regress sets DateStyle 'Postgres, MDY'; ISO shows 2026-09-28 10:00:00+08)
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';

\i test/regress_helpers.sql

-- The calendars used below.
-- CN: PRC office hours, 3 + 5 = 8 working hours a day; National Day 2026: Thu Oct 1
--     .. Wed Oct 7 off, Sun Sep 27 and Sat Oct 10 worked with Monday's schedule.
CREATE FUNCTION pg_temp.cn() RETURNS appraisal.business_calendar LANGUAGE sql AS
$$SELECT 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2026-10-01..2026-10-07; workdays 2026-09-27, 2026-10-10'::appraisal.business_calendar$$;
-- SAT: 9 h on weekdays and 3 h on Saturdays, 5 * 9 + 3 = 48 h a week; no holidays.
CREATE FUNCTION pg_temp.sat() RETURNS appraisal.business_calendar LANGUAGE sql AS
$$SELECT 'Asia/Shanghai; Mon-Fri 09:00-18:00; Sat 09:00-12:00'::appraisal.business_calendar$$;
-- New York (2026: EST -> EDT at Sun Mar 8 02:00, EDT -> EST at Sun Nov 1 02:00).
CREATE FUNCTION pg_temp.ny() RETURNS appraisal.business_calendar LANGUAGE sql AS
$$SELECT 'America/New_York; Mon-Fri 09:00-17:00'::appraisal.business_calendar$$;
CREATE FUNCTION pg_temp.ny247() RETURNS appraisal.business_calendar LANGUAGE sql AS
$$SELECT 'America/New_York; Mon-Sun 00:00-24:00'::appraisal.business_calendar$$;
-- Sundays only, across the change of clocks at 02:00: 12 + 5 = 17 wall-clock hours
CREATE FUNCTION pg_temp.nysun() RETURNS appraisal.business_calendar LANGUAGE sql AS
$$SELECT 'America/New_York; Sun 00:00-12:00,13:00-18:00'::appraisal.business_calendar$$;
-- Night shift across midnight in Berlin (2026: CET -> CEST at Sun Mar 29 02:00,
-- CEST -> CET at Sun Oct 25 03:00).
CREATE FUNCTION pg_temp.night() RETURNS appraisal.business_calendar LANGUAGE sql AS
$$SELECT 'Europe/Berlin; Mon-Sun 00:00-06:00,22:00-24:00'::appraisal.business_calendar$$;

--
-- 1. Calendar text
--
-- Canonical form: zone in PostgreSQL's spelling; day groups in Mon..Sun order of
-- their first day, runs of 3 or more consecutive days as ranges, others joined by
-- ','; intervals sorted, touching ones merged; holidays sorted, overlapping and
-- adjacent entries merged; workdays sorted; '; ' between sections, ', ' in lists.
CREATE TEMP TABLE cal_text (n int, label text, input text, canonical text);
INSERT INTO cal_text VALUES
  -- already canonical
  (1, 'CN as written',
   'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2026-10-01..2026-10-07; workdays 2026-09-27, 2026-10-10',
   'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2026-10-01..2026-10-07; workdays 2026-09-27, 2026-10-10'),
  -- lower case zone and days; Sat given before Mon-Fri; intervals unsorted;
  -- holidays 10-04..10-07 and 10-01..10-05 overlap -> 10-01..10-07, then 2027-01-01
  (2, 'lower case, unsorted',
   'asia/shanghai; sat 09:00-12:00; mon-fri 13:00-18:00,09:00-12:00; holidays 2027-01-01, 2026-10-04..2026-10-07, 2026-10-01..2026-10-05; workdays 2026-10-10, 2026-09-27',
   'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; Sat 09:00-12:00; holidays 2026-10-01..2026-10-07, 2027-01-01; workdays 2026-09-27, 2026-10-10'),
  -- 09-12, 12-13, 13-18 touch: one stretch 09:00-18:00
  (3, 'touching intervals',
   'UTC; Mon-Fri 09:00-12:00,12:00-13:00,13:00-18:00',
   'UTC; Mon-Fri 09:00-18:00'),
  -- 24:00 as an end; sorted by start
  (4, 'night shift',
   'Europe/Berlin; Mon-Sun 22:00-24:00,00:00-06:00',
   'Europe/Berlin; Mon-Sun 00:00-06:00,22:00-24:00'),
  -- Mon, Tue, Wed, Fri share one schedule: Mon-Wed (a run) and Fri
  (5, 'same schedule grouped',
   'UTC; Wed 09:00-18:00; Fri 09:00-18:00; mon-tue 09:00-18:00',
   'UTC; Mon-Wed,Fri 09:00-18:00'),
  -- two groups; the one whose first day is Mon comes first
  (6, 'day lists',
   'UTC; Tue,Thu 13:00-18:00; Fri,Mon,Wed 09:00-12:00',
   'UTC; Mon,Wed,Fri 09:00-12:00; Tue,Thu 13:00-18:00'),
  -- Sat,Sun and FRI share a schedule: the run Fri-Sun
  (7, 'Sat,Sun list',
   'america/new_york; Sat,Sun 10:00-16:00; FRI 10:00-16:00; Mon-Thu 09:00-17:00',
   'America/New_York; Mon-Thu 09:00-17:00; Fri-Sun 10:00-16:00'),
  -- 10-01..10-02 is adjacent to 10-03..10-08, which contains 10-05: 10-01..10-08;
  -- 2026-12-31, 2027-01-01, 2027-01-02 are adjacent across the year end
  (8, 'holidays merged',
   'UTC; Mon-Fri 09:00-17:00; holidays 2027-01-02, 2026-10-03..2026-10-08, 2026-12-31, 2026-10-01..2026-10-02, 2026-10-05, 2027-01-01',
   'UTC; Mon-Fri 09:00-17:00; holidays 2026-10-01..2026-10-08, 2026-12-31..2027-01-02'),
  -- the first and the last date allowed
  (9, 'date limits',
   'UTC; Mon 09:00-17:00; holidays 2199-12-31, 1900-01-01',
   'UTC; Mon 09:00-17:00; holidays 1900-01-01, 2199-12-31'),
  -- workdays without holidays; Monday has no schedule (Tuesday's is used)
  (10, 'workdays only',
   'UTC; Tue-Sat 10:00-14:00; workdays 2026-10-11',
   'UTC; Tue-Sat 10:00-14:00; workdays 2026-10-11'),
  (11, 'round the clock',
   'America/New_York; Mon-Sun 00:00-24:00',
   'America/New_York; Mon-Sun 00:00-24:00'),
  -- white space is the six characters isspace() takes in the C locale, around
  -- every token; day names and keywords in any case
  (12, 'white space and case',
   E'\tutc\x0b;\fmon - FRI\n09:00 - 12:00 , 13:00-18:00 ;\rHolidays 2026-10-01 .. 2026-10-07 ,2027-01-01\t',
   'UTC; Mon-Fri 09:00-12:00,13:00-18:00; holidays 2026-10-01..2026-10-07, 2027-01-01');
SELECT label, input::appraisal.business_calendar AS value,
       input::appraisal.business_calendar::text = canonical AS ok
FROM cal_text ORDER BY n;
-- the canonical text reads back to itself
SELECT label, v::text::appraisal.business_calendar::text = v::text AS round_trip
FROM (SELECT n, label, input::appraisal.business_calendar AS v FROM cal_text) s
ORDER BY n;

-- Invalid calendars.  The rules give no SQLSTATE, so only its class is shown: 22
-- (data exception).  Malformed text quotes the bad token and an unknown zone is
-- named: names_token looks for it in the message without the input, which the
-- message quotes whole (empty where nothing is required).
CREATE TEMP TABLE bad_cal (n int, label text, input text, token text);
INSERT INTO bad_cal VALUES
  (1, 'unknown zone', 'Mars/Olympus; Mon-Fri 09:00-17:00', 'Mars/Olympus'),
  (2, 'bad day name', 'UTC; Mon-Fri 09:00-17:00; Sonntag 10:00-12:00', 'Sonntag'),
  (3, 'unknown section', 'UTC; Mon-Fri 09:00-17:00; holiday 2026-10-01', 'holiday'),
  (4, 'hour 25', 'UTC; Mon-Fri 09:00-25:00', '25:00'),
  (5, 'minute 60', 'UTC; Mon-Fri 09:60-17:00', '09:60'),
  (6, '24:00 as a start', 'UTC; Mon-Fri 24:00-24:00', '24:00'),
  (7, 'start = end', 'UTC; Mon-Fri 09:00-09:00', NULL),
  (8, 'start > end', 'UTC; Mon-Fri 18:00-09:00', NULL),
  (9, 'overlapping intervals', 'UTC; Mon-Fri 09:00-12:00,11:00-13:00', NULL),
  (10, 'day scheduled twice', 'UTC; Mon-Fri 09:00-12:00; Fri 13:00-18:00', NULL),
  (11, 'holiday range reversed', 'UTC; Mon-Fri 09:00-17:00; holidays 2026-10-07..2026-10-01', NULL),
  (12, 'no such date', 'UTC; Mon-Fri 09:00-17:00; holidays 2026-02-29', '2026-02-29'),
  (13, 'date before 1900', 'UTC; Mon-Fri 09:00-17:00; holidays 1899-12-31', NULL),
  (14, 'date after 2199', 'UTC; Mon-Fri 09:00-17:00; workdays 2200-01-01', NULL),
  (15, 'workday is a holiday', 'UTC; Mon-Fri 09:00-17:00; holidays 2026-10-01..2026-10-07; workdays 2026-10-03', NULL),
  (16, 'no working time', 'UTC', NULL),
  (17, 'only holidays', 'UTC; holidays 2026-10-01', NULL),
  (18, 'empty', '', NULL),
  (19, 'no-break space', E'UTC;\u00a0Mon-Fri 09:00-17:00', E'\u00a0Mon-Fri'),
  (20, 'space in a time', 'UTC; Mon-Fri 09 :00-17:00', '"09"'),
  (21, 'workday range', 'UTC; Mon-Fri 09:00-17:00; workdays 2026-10-01..2026-10-02', '..2026-10-02'),
  (22, 'no "-" in an interval', 'UTC; Mon-Fri 09:00 17:00', '"17:00"'),
  (23, 'empty section', 'UTC; Mon-Fri 09:00-17:00;; holidays 2026-10-01', '";"');
SELECT label, left(m, 2) AS class, position(token IN replace(m, input, '')) > 0 AS names_token
FROM (SELECT n, label, input, token, pg_temp.try(format('SELECT %L::appraisal.business_calendar', input)) AS m
      FROM bad_cal) s
ORDER BY n;

--
-- 2. business_elapsed on CN
--
SELECT label, appraisal.business_elapsed(s, e, pg_temp.cn()) AS elapsed,
       appraisal.business_elapsed(s, e, pg_temp.cn()) = want AS ok
FROM (VALUES
  -- Mon 09:30 -> 11:15 = 1:45
  ('one morning', '2026-09-28 09:30+08'::timestamptz, '2026-09-28 11:15+08'::timestamptz, '01:45:00'::interval),
  -- Mon 11:00-12:00 = 1 h, 13:00-14:30 = 1.5 h: 2.5 h
  ('across lunch', '2026-09-28 11:00+08', '2026-09-28 14:30+08', '02:30:00'),
  -- Mon 16:00-18:00 = 2 h, Tue 09:00-10:00 = 1 h: 3 h
  ('across a night', '2026-09-28 16:00+08', '2026-09-29 10:00+08', '03:00:00'),
  -- Fri 09-18 17:00-18:00 = 1 h, Sat 09-19 and Sun 09-20 0, Mon 09-21 09:00-10:00 = 1 h
  ('across a weekend', '2026-09-18 17:00+08', '2026-09-21 10:00+08', '02:00:00'),
  -- Tue 09-29 from 10:00: 10-12 2 h + 13-18 5 h = 7 h; Wed 09-30 8 h; Oct 1..7 0;
  -- Thu 10-08 8 h; Fri 10-09 09:00-10:00 1 h: 7 + 8 + 8 + 1 = 24 h
  ('National Day', '2026-09-29 10:00+08', '2026-10-09 10:00+08', '24:00:00'),
  -- the 7 holidays alone (Sat 10-03 and Sun 10-04 among them): 0
  ('holidays only', '2026-10-01 00:00+08', '2026-10-08 00:00+08', '00:00:00'),
  -- Fri 10-09 17-18 1 h; Sat 10-10 (make-up, Monday's schedule) 8 h; Sun 10-11 0;
  -- Mon 10-12 09-10 1 h: 10 h
  ('make-up Saturday', '2026-10-09 17:00+08', '2026-10-12 10:00+08', '10:00:00'),
  -- Sat 09-26 0; Sun 09-27 (make-up) 8 h
  ('make-up Sunday', '2026-09-26 00:00+08', '2026-09-28 00:00+08', '08:00:00'),
  -- start = stop: 0
  ('start = stop', '2026-09-28 10:00+08', '2026-09-28 10:00+08', '00:00:00'),
  -- Mon 19:00 -> Tue 08:00: all off hours
  ('one night', '2026-09-28 19:00+08', '2026-09-29 08:00+08', '00:00:00'),
  -- half-open intervals [09:00, 12:00) and [13:00, 18:00)
  ('09:00-12:00', '2026-09-28 09:00+08', '2026-09-28 12:00+08', '03:00:00'),
  ('12:00-13:00', '2026-09-28 12:00+08', '2026-09-28 13:00+08', '00:00:00'),
  ('12:00-18:00', '2026-09-28 12:00+08', '2026-09-28 18:00+08', '05:00:00'),
  ('09:00-18:00', '2026-09-28 09:00+08', '2026-09-28 18:00+08', '08:00:00'),
  ('18:00-09:00', '2026-09-28 18:00+08', '2026-09-29 09:00+08', '00:00:00'),
  -- 11:59:59-12:00 1 s, 13:00-13:00:01 1 s
  ('11:59:59-13:00:01', '2026-09-28 11:59:59+08', '2026-09-28 13:00:01+08', '00:00:02'),
  -- only 09:00:00 .. 09:00:00.5 counts
  ('08:59:59.5-09:00:00.5', '2026-09-28 08:59:59.5+08', '2026-09-28 09:00:00.5+08', '00:00:00.5')
) v(label, s, e, want);

-- A year on SAT: Mon 2026-01-05 -> Mon 2027-01-04 is 364 days = 52 weeks of
-- 48 h = 2496 h; then Mon 2027-01-04 09:00-10:30 1.5 h: 2497:30 (hours, no days)
SELECT appraisal.business_elapsed('2026-01-05 09:00+08', '2027-01-04 10:30+08', pg_temp.sat()) AS elapsed,
       appraisal.business_elapsed('2026-01-05 09:00+08', '2027-01-04 10:30+08', pg_temp.sat()) = '2497:30:00' AS ok;

-- stop < start is an error naming both; infinite ends are errors
SELECT left(m, 2) AS class, position('2026-09-29' IN m) > 0 AND position('2026-09-28' IN m) > 0 AS names_both
FROM (SELECT pg_temp.try($$SELECT appraisal.business_elapsed('2026-09-29 10:00+08', '2026-09-28 10:00+08', pg_temp.cn())$$) AS m) s;
SELECT left(pg_temp.try($$SELECT appraisal.business_elapsed('-infinity', '2026-09-28 10:00+08', pg_temp.cn())$$), 2) AS infinite_start,
       left(pg_temp.try($$SELECT appraisal.business_elapsed('2026-09-28 10:00+08', 'infinity', pg_temp.cn())$$), 2) AS infinite_stop;
-- NULL in, NULL out
SELECT appraisal.business_elapsed(NULL, '2026-09-28 10:00+08', pg_temp.cn()) IS NULL AS null_start,
       appraisal.business_elapsed('2026-09-28 10:00+08', NULL, pg_temp.cn()) IS NULL AS null_stop,
       appraisal.business_elapsed('2026-09-28 09:00+08', '2026-09-28 10:00+08', NULL) IS NULL AS null_calendar;

--
-- 3. Daylight saving time: real hours count
--
SET timezone = 'America/New_York';
SELECT label, appraisal.business_elapsed(s, e, c) AS elapsed, appraisal.business_elapsed(s, e, c) = want AS ok
FROM (VALUES
  -- NY: Fri 03-06 09-17 8 h, weekend 0 (clocks change Sun), Mon 03-09 09-17 8 h
  ('NY spring', '2026-03-06 09:00-05'::timestamptz, '2026-03-09 17:00-04'::timestamptz, pg_temp.ny(), '16:00:00'::interval),
  -- NY: Fri 10-30 8 h + Mon 11-02 8 h
  ('NY fall', '2026-10-30 09:00-04', '2026-11-02 17:00-05', pg_temp.ny(), '16:00:00'),
  -- 24x7: Sat 12:00 EST = 17:00Z -> Sun 12:00 EDT = 16:00Z: 23 h
  ('24x7 spring', '2026-03-07 12:00-05', '2026-03-08 12:00-04', pg_temp.ny247(), '23:00:00'),
  -- 24x7: Sat 12:00 EDT = 16:00Z -> Sun 12:00 EST = 17:00Z: 25 h
  ('24x7 fall', '2026-10-31 12:00-04', '2026-11-01 12:00-05', pg_temp.ny247(), '25:00:00'),
  -- the whole of Sun 03-08: 00:00 EST = 05:00Z -> Mon 00:00 EDT = 04:00Z: 23 h
  ('24x7 spring day', '2026-03-08 00:00-05', '2026-03-09 00:00-04', pg_temp.ny247(), '23:00:00'),
  -- the whole of Sun 11-01: 00:00 EDT = 04:00Z -> Mon 00:00 EST = 05:00Z: 25 h
  ('24x7 fall day', '2026-11-01 00:00-04', '2026-11-02 00:00-05', pg_temp.ny247(), '25:00:00'),
  -- 01:30 EDT -> 01:30 EST, the repeated hour: 1 h
  ('24x7 repeated hour', '2026-11-01 01:30-04', '2026-11-01 01:30-05', pg_temp.ny247(), '01:00:00'),
  -- Sundays: an ordinary one (03-01): 00-12 12 h + 13-18 5 h = 17 h
  ('Sunday ordinary', '2026-02-28 12:00-05', '2026-03-02 12:00-05', pg_temp.nysun(), '17:00:00'),
  -- Sun 03-08: 00:00 EST = 05:00Z -> 12:00 EDT = 16:00Z 11 h, 13-18 5 h: 16 h
  ('Sunday spring', '2026-03-07 12:00-05', '2026-03-09 12:00-04', pg_temp.nysun(), '16:00:00'),
  -- Sun 11-01: 00:00 EDT = 04:00Z -> 12:00 EST = 17:00Z 13 h, 13-18 5 h: 18 h
  ('Sunday fall', '2026-10-31 12:00-04', '2026-11-02 12:00-05', pg_temp.nysun(), '18:00:00')
) v(label, s, e, c, want);

SELECT label, appraisal.business_due(s, t, c) AS due, appraisal.business_due(s, t, c) = want AS ok
FROM (VALUES
  -- NY: D0 = Fri 03-06, p = 1 h; D1 = Mon 03-09: 09:00 EDT + 1 h
  ('NY 1 day', '2026-03-06 10:00-05'::timestamptz, '1 day'::interval, pg_temp.ny(), '2026-03-09 10:00-04'::timestamptz),
  -- NY: Fri 16-17 1 h, Mon 09-10 1 h
  ('NY 2 hours', '2026-03-06 16:00-05', '2 hours', pg_temp.ny(), '2026-03-09 10:00-04'),
  -- 24x7: 17:00Z + 24 h = Sun 17:00Z = 13:00 EDT
  ('24x7 24 hours spring', '2026-03-07 12:00-05', '24 hours', pg_temp.ny247(), '2026-03-08 13:00-04'),
  -- 24x7: D0 = Sat 03-07, p = 12 h on the clock (00:00 -> 12:00); D1 = Sun
  -- 03-08: the same position on the clock, 12:00 EDT (only 11 real hours into
  -- that day: the position in a day is read on the clock, like date + 1 day)
  ('24x7 1 day spring', '2026-03-07 12:00-05', '1 day', pg_temp.ny247(), '2026-03-08 12:00-04'),
  -- 24x7: 16:00Z + 24 h = Sun 16:00Z = 11:00 EST
  ('24x7 24 hours fall', '2026-10-31 12:00-04', '24 hours', pg_temp.ny247(), '2026-11-01 11:00-05'),
  -- 24x7: p = 12 h on the clock; Sun 11-01 at 12:00 on the clock is 12:00 EST
  -- (13 real hours into that day)
  ('24x7 1 day fall', '2026-10-31 12:00-04', '1 day', pg_temp.ny247(), '2026-11-01 12:00-05')
) v(label, s, t, c, want);

SET timezone = 'Europe/Berlin';
SELECT label, appraisal.business_elapsed(s, e, pg_temp.night()) AS elapsed,
       appraisal.business_elapsed(s, e, pg_temp.night()) = want AS ok
FROM (VALUES
  -- Sun 03-29 00:00 CET = 23:00Z (03-28) -> 06:00 CEST = 04:00Z: 5 h
  ('spring 00:00-06:00', '2026-03-29 00:00+01'::timestamptz, '2026-03-29 06:00+02'::timestamptz, '05:00:00'::interval),
  -- Sat 03-28 22-24 2 h (CET) + Sun 00-06 5 h = 7 h
  ('spring noon to noon', '2026-03-28 12:00+01', '2026-03-29 12:00+02', '07:00:00'),
  -- Sun 10-25 00:00 CEST = 22:00Z (10-24) -> 06:00 CET = 05:00Z: 7 h
  ('fall 00:00-06:00', '2026-10-25 00:00+02', '2026-10-25 06:00+01', '07:00:00'),
  -- Sat 10-24 23-24 1 h + Sun 00:00 CEST = 22:00Z -> 03:00 CET = 02:00Z 4 h = 5 h
  ('fall across midnight', '2026-10-24 23:00+02', '2026-10-25 03:00+01', '05:00:00')
) v(label, s, e, want);
SELECT label, appraisal.business_due(s, t, pg_temp.night()) AS due,
       appraisal.business_due(s, t, pg_temp.night()) = want AS ok
FROM (VALUES
  -- Sat 23-24 1 h; then 3 h from Sun 00:00 CET = 23:00Z: 02:00Z = 04:00 CEST
  ('4 hours', '2026-03-28 23:00+01'::timestamptz, '4 hours'::interval, '2026-03-29 04:00+02'::timestamptz),
  -- 1 h + 5 h (Sun 00-06) = 6 h, used up at 06:00, the end of a stretch: the last
  -- hour from the next stretch, Sun 22:00 CEST -> 23:00
  ('7 hours', '2026-03-28 23:00+01', '7 hours', '2026-03-29 23:00+02'),
  -- s' = Sat 22:00; 2 h later is 24:00 = Sun 00:00, where the next stretch starts
  ('2 hours to midnight', '2026-03-28 12:00+01', '2 hours', '2026-03-29 00:00+01')
) v(label, s, t, want);
SET timezone = 'Asia/Shanghai';

--
-- 4. business_due on CN and SAT
--
SELECT label, appraisal.business_due(s, t, pg_temp.cn()) AS due,
       appraisal.business_due(s, t, pg_temp.cn()) = want AS ok
FROM (VALUES
  -- s' = start, D0 = Mon 09-14, p = 1 h (09-10); D3 = Thu 09-17: 09:00 + 1 h
  ('Mon 10:00 + 3 days', '2026-09-14 10:00+08'::timestamptz, '3 days'::interval, '2026-09-17 10:00+08'::timestamptz),
  -- s' = Mon 09:00, p = 0; D1 = Tue: its first interval's start
  ('Mon 07:00 + 1 day', '2026-09-14 07:00+08', '1 day', '2026-09-15 09:00+08'),
  -- s' = Tue 09:00, p = 0; D1 = Wed
  ('Mon 20:00 + 1 day', '2026-09-14 20:00+08', '1 day', '2026-09-16 09:00+08'),
  -- D0 = Fri 09-18, p = 1 h; D1 = Mon 09-21
  ('Fri 10:00 + 1 day', '2026-09-18 10:00+08', '1 day', '2026-09-21 10:00+08'),
  -- 8 h used up at Mon 18:00, the end of a stretch: the next stretch's start
  ('Mon 09:00 + 8 hours', '2026-09-14 09:00+08', '8 hours', '2026-09-15 09:00+08'),
  -- 11-12 1 h, 13-14 1 h
  ('Mon 11:00 + 2 hours', '2026-09-14 11:00+08', '2 hours', '2026-09-14 14:00+08'),
  -- used up at 12:00, the end of a stretch: 13:00
  ('Mon 11:00 + 1 hour', '2026-09-14 11:00+08', '1 hour', '2026-09-14 13:00+08'),
  ('Mon 11:00 + 59 minutes', '2026-09-14 11:00+08', '59 minutes', '2026-09-14 11:59+08'),
  -- s' = 13:00 (12:00 is not working time), + 1 h
  ('Mon 12:00 + 1 hour', '2026-09-14 12:00+08', '1 hour', '2026-09-14 14:00+08'),
  -- day position Tue 10:00 (p = 1 h); + 2 h = 12:00, the end of a stretch: 13:00
  ('Mon 10:00 + 1 day 2 hours', '2026-09-14 10:00+08', '1 day 02:00:00', '2026-09-15 13:00+08'),
  -- D0 = Tue 09-29, p = 1 h; working days after: Wed 09-30 (1), [Oct 1-7 off],
  -- Thu 10-08 (2), Fri 10-09 (3): 09:00 + 1 h
  ('Tue 09-29 10:00 + 3 days', '2026-09-29 10:00+08', '3 days', '2026-10-09 10:00+08'),
  -- D0 = Wed 09-30, p = 1 h; D1 = Thu 10-08
  ('Wed 09-30 10:00 + 1 day', '2026-09-30 10:00+08', '1 day', '2026-10-08 10:00+08'),
  -- Wed 17-18 1 h; Thu 10-08 09-10 1 h
  ('Wed 09-30 17:00 + 2 hours', '2026-09-30 17:00+08', '2 hours', '2026-10-08 10:00+08'),
  -- start on a holiday: s' = Thu 10-08 09:00, D0 = 10-08, p = 0; D1 = Fri 10-09
  ('Thu 10-01 10:00 + 1 day', '2026-10-01 10:00+08', '1 day', '2026-10-09 09:00+08'),
  -- D0 = Fri 10-09, p = 09-12 3 h + 13-16 3 h = 6 h; D1 = Sat 10-10 (make-up,
  -- Monday's schedule): 09-12 3 h, 13-16 3 h -> 16:00
  ('Fri 10-09 16:00 + 1 day', '2026-10-09 16:00+08', '1 day', '2026-10-10 16:00+08'),
  -- Sat 09-26 has no working time: s' = Sun 09-27 09:00 (make-up day), D0 = 09-27,
  -- p = 0; D1 = Mon 09-28
  ('Sat 09-26 10:00 + 1 day', '2026-09-26 10:00+08', '1 day', '2026-09-28 09:00+08'),
  -- target 0: due = s' = Sun 09-27 09:00
  ('Sat 09-26 10:00 + 0', '2026-09-26 10:00+08', '0', '2026-09-27 09:00+08'),
  -- make-up Sunday: 10:00 + 1 h
  ('Sun 09-27 10:00 + 1 hour', '2026-09-27 10:00+08', '1 hour', '2026-09-27 11:00+08'),
  -- 8 h a day: Mon 09-28 (8), Tue 09-29 (16), Wed 09-30 (24), Thu 10-08 (32),
  -- Fri 10-09 (40), Sat 10-10 (48) used up at 18:00, the end of a stretch;
  -- Sun 10-11 is off: Mon 10-12 09:00
  ('Mon 09-28 09:00 + 48 hours', '2026-09-28 09:00+08', '48:00:00', '2026-10-12 09:00+08'),
  -- p = 0; D1 = Tue 09-29, D2 = Wed 09-30
  ('Mon 09-28 09:00 + 2 days', '2026-09-28 09:00+08', '2 days', '2026-09-30 09:00+08'),
  -- D3 = Thu 10-08
  ('Mon 09-28 09:00 + 3 days', '2026-09-28 09:00+08', '3 days', '2026-10-08 09:00+08'),
  -- target 0 = s': Sat 09-19 and Sun 09-20 are off
  ('Sat 09-19 20:00 + 0', '2026-09-19 20:00+08', '0', '2026-09-21 09:00+08'),
  -- target 0 in working time: start itself
  ('Mon 10:30 + 0', '2026-09-14 10:30+08', '0', '2026-09-14 10:30+08'),
  -- target 0 at 12:00 (not working): s' = 13:00
  ('Mon 12:00 + 0', '2026-09-14 12:00+08', '0', '2026-09-14 13:00+08')
) v(label, s, t, want);

SELECT label, appraisal.business_due(s, t, pg_temp.sat()) AS due,
       appraisal.business_due(s, t, pg_temp.sat()) = want AS ok
FROM (VALUES
  -- D0 = Fri 09-18, p = 09-16 = 7 h; D1 = Sat 09-19 has 3 h (09-12): the other
  -- 4 h carry on into Mon 09-21: 09:00 + 4 h
  ('Fri 16:00 + 1 day', '2026-09-18 16:00+08'::timestamptz, '1 day'::interval, '2026-09-21 13:00+08'::timestamptz),
  -- p = 2 h < 3 h: Sat 09:00 + 2 h
  ('Fri 11:00 + 1 day', '2026-09-18 11:00+08', '1 day', '2026-09-19 11:00+08'),
  -- D0 = Sat 09-19, p = 1 h; D1 = Mon 09-21
  ('Sat 10:00 + 1 day', '2026-09-19 10:00+08', '1 day', '2026-09-21 10:00+08'),
  -- used up at Fri 18:00, the end of a stretch: Sat 09:00
  ('Fri 09:00 + 9 hours', '2026-09-18 09:00+08', '9 hours', '2026-09-19 09:00+08'),
  -- Fri 17-18 1 h, Sat 09-12 3 h, used up at Sat 12:00: Mon 09:00
  ('Fri 17:00 + 4 hours', '2026-09-18 17:00+08', '4 hours', '2026-09-21 09:00+08'),
  -- day position Tue 10:00, + 2 h (one stretch 09-18)
  ('Mon 10:00 + 1 day 2 hours', '2026-09-14 10:00+08', '1 day 02:00:00', '2026-09-15 12:00+08'),
  -- 52 weeks of 48 h used up at Sat 2027-01-02 12:00: Mon 2027-01-04 09:00
  ('a year of hours', '2026-01-05 09:00+08', '2496:00:00', '2027-01-04 09:00+08'),
  ('a year and 1.5 hours', '2026-01-05 09:00+08', '2497:30:00', '2027-01-04 10:30+08'),
  -- D0 = Mon 2026-01-05, p = 0; working days after it: Tue..Sat of that week 5,
  -- the 51 weeks from Mon 01-12 to Sat 2027-01-02 306 (311); Mon 2027-01-04 is the 312th
  ('312 working days', '2026-01-05 09:00+08', '312 days', '2027-01-04 09:00+08')
) v(label, s, t, want);

-- target with months, or a negative part: errors
SELECT label, left(pg_temp.try(format('SELECT appraisal.business_due(%L::timestamptz, %L::interval, pg_temp.cn())', '2026-09-14 10:00+08', t)), 2) AS class
FROM (VALUES ('1 mon', '1 mon'), ('1 year', '1 year'), ('-1 hours', '-1 hours'), ('-1 days', '-1 days'),
             ('1 day -1 hours', '1 day -01:00:00')) v(label, t);

--
-- 5. Pauses
--
SELECT label, appraisal.business_elapsed(s, e, pg_temp.cn(), p) AS elapsed,
       appraisal.business_elapsed(s, e, pg_temp.cn(), p) = want AS ok
FROM (VALUES
  -- Mon 09-14 8 h less 10-11 paused
  ('pause in working hours', '2026-09-14 09:00+08'::timestamptz, '2026-09-14 18:00+08'::timestamptz,
   '{[2026-09-14 10:00+08,2026-09-14 11:00+08)}'::tstzmultirange, '07:00:00'::interval),
  -- paused 11-14: working part 11-12 and 13-14, 2 h: 8 - 2
  ('pause over lunch', '2026-09-14 09:00+08', '2026-09-14 18:00+08',
   '{[2026-09-14 11:00+08,2026-09-14 14:00+08)}', '06:00:00'),
  -- Mon 09 -> Tue 18 is 16 h; paused Mon 17:00 -> Tue 10:00: working part Mon 17-18
  -- and Tue 09-10, 2 h: 14 h
  ('pause over a night', '2026-09-14 09:00+08', '2026-09-15 18:00+08',
   '{[2026-09-14 17:00+08,2026-09-15 10:00+08)}', '14:00:00'),
  -- pauses outside Mon 09-12 do not count
  ('pauses outside the span', '2026-09-14 09:00+08', '2026-09-14 12:00+08',
   '{[2026-09-14 07:00+08,2026-09-14 08:00+08), [2026-09-14 13:00+08,2026-09-14 15:00+08)}', '03:00:00'),
  -- Mon 10-16: 10-12 2 h + 13-16 3 h = 5 h; paused 08:00-10:30, inside the span 10-10:30
  ('pause across the start', '2026-09-14 10:00+08', '2026-09-14 16:00+08',
   '{[2026-09-14 08:00+08,2026-09-14 10:30+08)}', '04:30:00'),
  -- 8 h - 30 min - 15 min
  ('two pauses', '2026-09-14 09:00+08', '2026-09-14 18:00+08',
   '{[2026-09-14 10:00+08,2026-09-14 10:30+08), [2026-09-14 15:00+08,2026-09-14 15:15+08)}', '07:15:00'),
  ('no pause', '2026-09-14 09:00+08', '2026-09-14 18:00+08', '{}', '08:00:00'),
  -- bounds are taken as [lower, upper): (10:00, 11:00] is 10-11
  ('bounds (]', '2026-09-14 09:00+08', '2026-09-14 18:00+08',
   '{(2026-09-14 10:00+08,2026-09-14 11:00+08]}', '07:00:00'),
  -- paused from Mon 12:00 on: only Mon 09-12 counts
  ('unbounded pause', '2026-09-14 09:00+08', '2026-09-15 18:00+08', '{[2026-09-14 12:00+08,)}', '03:00:00'),
  -- paused until Mon 10:00: 10-12
  ('pause without start', '2026-09-14 09:00+08', '2026-09-14 12:00+08', '{(,2026-09-14 10:00+08)}', '02:00:00')
) v(label, s, e, p, want);

SELECT label, appraisal.business_due(s, t, pg_temp.cn(), p) AS due,
       appraisal.business_due(s, t, pg_temp.cn(), p) = want AS ok
FROM (VALUES
  -- 09-09:30 (0.5 h), paused 09:30-10, 10-11:30 (1.5 h)
  ('paused 09:30-10:00', '2026-09-14 09:00+08'::timestamptz, '2 hours'::interval,
   '{[2026-09-14 09:30+08,2026-09-14 10:00+08)}'::tstzmultirange, '2026-09-14 11:30+08'::timestamptz),
  -- 1 day from Mon 10:00 is Tue 10:00, 8 unpaused working hours (Mon 10-12, 13-18,
  -- Tue 09-10); counted without the pause: Mon 10-12 2, 13-15 4, [15-16 paused],
  -- 16-18 6, Tue 09-11 8
  ('1 day, paused 15:00-16:00', '2026-09-14 10:00+08', '1 day',
   '{[2026-09-14 15:00+08,2026-09-14 16:00+08)}', '2026-09-15 11:00+08'),
  -- 2 h used up at 11:00, where a pause starts: it extends the due to 11:30
  ('pause starts at due', '2026-09-14 09:00+08', '2 hours',
   '{[2026-09-14 11:00+08,2026-09-14 11:30+08)}', '2026-09-14 11:30+08'),
  -- 3 h used up at 12:00: due 13:00, where a pause starts: 14:00
  ('pause starts at 13:00', '2026-09-14 09:00+08', '3 hours',
   '{[2026-09-14 13:00+08,2026-09-14 14:00+08)}', '2026-09-14 14:00+08'),
  -- 3 h used up at 12:00; paused 12:00-13:30: working again from 13:30
  ('pause from 12:00', '2026-09-14 09:00+08', '3 hours',
   '{[2026-09-14 12:00+08,2026-09-14 13:30+08)}', '2026-09-14 13:30+08'),
  -- a pause in off hours only changes nothing: Tue 09:00 as without it
  ('pause at night', '2026-09-14 09:00+08', '8 hours',
   '{[2026-09-14 20:00+08,2026-09-15 08:00+08)}', '2026-09-15 09:00+08'),
  -- used up at Mon 18:00; paused Tue 08-10: working again from Tue 10:00
  ('pause into the morning', '2026-09-14 09:00+08', '8 hours',
   '{[2026-09-15 08:00+08,2026-09-15 10:00+08)}', '2026-09-15 10:00+08'),
  -- paused 08:00-10:30: counting starts at 10:30, + 1 h
  ('paused at start', '2026-09-14 10:00+08', '1 hour',
   '{[2026-09-14 08:00+08,2026-09-14 10:30+08)}', '2026-09-14 11:30+08'),
  -- a pause over holidays only: as without it (Tue 09-29 + 3 days above)
  ('pause on holidays', '2026-09-29 10:00+08', '3 days',
   '{[2026-10-02 00:00+08,2026-10-05 00:00+08)}', '2026-10-09 10:00+08'),
  -- paused for ever from Mon 12:00: 2 h are used up before, at 11:00
  ('unbounded, 2 hours', '2026-09-14 09:00+08', '2 hours', '{[2026-09-14 12:00+08,)}', '2026-09-14 11:00+08'),
  -- 3 h used up at 12:00, and never any working time again: infinity
  ('unbounded, 3 hours', '2026-09-14 09:00+08', '3 hours', '{[2026-09-14 12:00+08,)}', 'infinity'),
  -- only 3 of 4 h before the pause: infinity
  ('unbounded, 4 hours', '2026-09-14 09:00+08', '4 hours', '{[2026-09-14 12:00+08,)}', 'infinity')
) v(label, s, t, p, want);

--
-- 6. Consistency: stop <= business_due(start, 9 h) exactly when
--    business_elapsed(start, stop) <= 9 h
--
CREATE TEMP TABLE ticket (n int, opened timestamptz, closed timestamptz);
INSERT INTO ticket VALUES
  -- Mon 10:00: Mon 10-12, 13-18 7 h, Tue 09-11 2 h: due Tue 11:00
  (1, '2026-09-14 10:00+08', '2026-09-15 10:59+08'),   -- 8:59
  (2, '2026-09-14 10:00+08', '2026-09-15 11:00+08'),   -- 9:00
  (3, '2026-09-14 10:00+08', '2026-09-15 11:00:01+08'),-- 9:00:01
  (4, '2026-09-14 10:00+08', '2026-09-15 12:30+08'),   -- 7 + 3 = 10:00
  -- Mon 11:00: 1 + 5 = 6 h, Tue 09-12 3 h used up at 12:00: due Tue 13:00
  (5, '2026-09-14 11:00+08', '2026-09-15 12:00+08'),   -- 9:00
  (6, '2026-09-14 11:00+08', '2026-09-15 12:30+08'),   -- 9:00
  (7, '2026-09-14 11:00+08', '2026-09-15 13:00+08'),   -- 9:00
  (8, '2026-09-14 11:00+08', '2026-09-15 13:00:01+08'),-- 9:00:01
  -- Fri 10-09 17:00: 1 h + Sat 10-10 8 h used up at 18:00: due Mon 10-12 09:00
  (9, '2026-10-09 17:00+08', '2026-10-10 17:59+08'),   -- 8:59
  (10, '2026-10-09 17:00+08', '2026-10-11 12:00+08'),  -- 9:00
  (11, '2026-10-09 17:00+08', '2026-10-12 09:00+08'),  -- 9:00
  (12, '2026-10-09 17:00+08', '2026-10-12 09:30+08'),  -- 9:30
  -- Sat 09-26 10:00: Sun 09-27 8 h, Mon 09-28 09-10 1 h: due Mon 10:00
  (13, '2026-09-26 10:00+08', '2026-09-28 10:00+08'),  -- 9:00
  (14, '2026-09-26 10:00+08', '2026-09-28 10:00:00.000001+08'); -- 9:00:00.000001
SELECT n, appraisal.business_due(opened, '9 hours', pg_temp.cn()) AS due,
       appraisal.business_elapsed(opened, closed, pg_temp.cn()) AS elapsed,
       closed <= appraisal.business_due(opened, '9 hours', pg_temp.cn()) AS by_due,
       appraisal.business_elapsed(opened, closed, pg_temp.cn()) <= '9 hours' AS by_elapsed
FROM ticket ORDER BY n;

--
-- 7. sla_timeline
--
-- CN, Fri 09-25 17:00 -> Tue 09-29 11:00, target 8 h.  Working: Fri 17-18 (1),
-- Sat 09-26 off, Sun 09-27 (make-up) 09-12 (4), 13-18: 8 h reached at Sun 17:00 =
-- due, where the working stretch is split; later stretches are breached.
-- Sun 17-18 (9), Mon 09-12 (12), 13-18 (17), Tue 09-11 (19).
SELECT * FROM appraisal.sla_timeline('2026-09-25 17:00+08', '2026-09-29 11:00+08', '8 hours', pg_temp.cn());
-- the same ticket still open: rows up to the due, Sun 17:00
SELECT * FROM appraisal.sla_timeline('2026-09-25 17:00+08', NULL, '8 hours', pg_temp.cn());
-- a pause 11:00-13:30 on Mon 09-14 covers working time and lunch: one 'paused'
-- stretch counting nothing.  Target 3 h: 10-11 (1), 13:30-15:30 (3): due 15:30.
SELECT * FROM appraisal.sla_timeline('2026-09-14 10:00+08', '2026-09-14 16:00+08', '3 hours', pg_temp.cn(),
                                     '{[2026-09-14 11:00+08,2026-09-14 13:30+08)}');
-- over National Day: the holidays are one stretch, local midnight to midnight.
-- Target 2 h: Wed 09-30 17-18 (1), Thu 10-08 09-10 (2): due 10-08 10:00.
SELECT * FROM appraisal.sla_timeline('2026-09-30 17:00+08', '2026-10-08 11:00+08', '2 hours', pg_temp.cn());
-- opened on a holiday, still open: the holiday stretch starts at the start.
-- s' = Thu 10-08 09:00, target 1 h: due 10:00.
SELECT * FROM appraisal.sla_timeline('2026-10-03 10:00+08', NULL, '1 hour', pg_temp.cn());
-- target used up at 12:00, the end of a stretch: due 13:00, so the lunch hour is
-- not breached and the afternoon is
SELECT * FROM appraisal.sla_timeline('2026-09-14 09:00+08', '2026-09-14 14:00+08', '3 hours', pg_temp.cn());
SELECT * FROM appraisal.sla_timeline('2026-09-14 09:00+08', NULL, '3 hours', pg_temp.cn());
