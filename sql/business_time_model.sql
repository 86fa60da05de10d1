-- business_elapsed and business_due against a brute-force model: every
-- minute of a two- or three-week window, read on the calendar's clock (AT TIME ZONE)
-- and checked against the schedule, holidays and make-up workdays, summed.
-- Random (fixed seed) starts, stops and targets on whole minutes, across
-- daylight-saving changes (New York, Berlin, Lord Howe's half hour), a
-- holiday week with make-up workdays, and night shifts across midnight.
SET timezone = 'UTC';
SELECT setseed(0.42);

CREATE TEMP TABLE model_cal (id int PRIMARY KEY, zone text, cal appraisal.business_calendar, window_start timestamptz, window_days int);
INSERT INTO model_cal VALUES
  (1, 'Asia/Shanghai', 'Asia/Shanghai; Mon-Fri 09:00-12:00,13:00-18:00; Sat 09:00-12:00; holidays 2026-10-01..2026-10-07; workdays 2026-09-27, 2026-10-10',
   '2026-09-24 00:00+08', 21),
  (2, 'America/New_York', 'America/New_York; Mon-Fri 09:00-17:00; Sun 00:00-03:30', '2026-03-02 00:00-05', 14),
  (3, 'Europe/Berlin', 'Europe/Berlin; Mon-Sun 00:00-06:00,22:00-24:00; holidays 2026-10-26', '2026-10-20 00:00+02', 14),
  (4, 'Australia/Lord_Howe', 'Australia/Lord_Howe; Mon-Sun 00:00-24:00; holidays 2026-04-07', '2026-03-31 00:00+11', 14);
-- the same schedules as rows: ISO weekday, start and end minute of the day
CREATE TEMP TABLE model_iv (id int, dow int, f int, t int);
INSERT INTO model_iv
SELECT 1, d, f, t FROM generate_series(1, 5) d, (VALUES (540, 720), (780, 1080)) v(f, t)
UNION ALL SELECT 1, 6, 540, 720
UNION ALL SELECT 2, d, 540, 1020 FROM generate_series(1, 5) d
UNION ALL SELECT 2, 7, 0, 210
UNION ALL SELECT 3, d, f, t FROM generate_series(1, 7) d, (VALUES (0, 360), (1320, 1440)) v(f, t)
UNION ALL SELECT 4, d, 0, 1440 FROM generate_series(1, 7) d;
CREATE TEMP TABLE model_hol (id int, d date);
INSERT INTO model_hol SELECT 1, generate_series('2026-10-01'::date, '2026-10-07', '1 day')
  UNION ALL VALUES (3, '2026-10-26'::date), (4, '2026-04-07'::date);
CREATE TEMP TABLE model_wd (id int, d date);
INSERT INTO model_wd VALUES (1, '2026-09-27'), (1, '2026-10-10');

-- every minute of each window: working or not, and the working minutes before it
CREATE TEMP TABLE model_min AS
SELECT id, m, working,
       sum(working::int) OVER (PARTITION BY id ORDER BY m ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
FROM (SELECT c.id, m,
             NOT EXISTS (SELECT 1 FROM model_hol h WHERE h.id = c.id AND h.d = (m AT TIME ZONE c.zone)::date)
             AND EXISTS (SELECT 1 FROM model_iv i
                         WHERE i.id = c.id
                           AND i.dow = CASE WHEN EXISTS (SELECT 1 FROM model_wd w WHERE w.id = c.id AND w.d = (m AT TIME ZONE c.zone)::date)
                                            THEN 1 ELSE extract(isodow FROM m AT TIME ZONE c.zone)::int END
                           AND extract(hour FROM m AT TIME ZONE c.zone) * 60 + extract(minute FROM m AT TIME ZONE c.zone) >= i.f
                           AND extract(hour FROM m AT TIME ZONE c.zone) * 60 + extract(minute FROM m AT TIME ZONE c.zone) < i.t) AS working
      FROM model_cal c, generate_series(c.window_start, c.window_start + c.window_days * interval '1 day', interval '1 minute') m) x;
UPDATE model_min SET before = 0 WHERE before IS NULL;
CREATE INDEX ON model_min (id, m);
CREATE INDEX ON model_min (id, before, working);
ANALYZE model_min;

-- 150 random spans per calendar starting in the first seven days, up to
-- three days long, and targets up to 20 working hours (due inside the window)
CREATE TEMP TABLE model_case AS
SELECT c.id, s, s + floor(random() * 4320) * interval '1 minute' AS e,
       floor(random() * 1200)::int AS target_min
FROM model_cal c, generate_series(1, 150) g,
     LATERAL (SELECT c.window_start + floor(random() * 10080) * interval '1 minute' + g * interval '0' AS s) s;

-- elapsed: working minutes in [s, e)
SELECT c.id, count(*) AS cases,
       count(*) FILTER (WHERE appraisal.business_elapsed(s, e, cal.cal)
                              = (me.before - ms.before) * interval '1 minute') AS elapsed_agrees
FROM model_case c JOIN model_cal cal USING (id)
JOIN model_min ms ON ms.id = c.id AND ms.m = c.s
JOIN model_min me ON me.id = c.id AND me.m = c.e
GROUP BY c.id ORDER BY c.id;

-- due for a target of T minutes: the last instant with T working minutes
-- since s is the start of the (T+1)-th working minute from s
SELECT c.id, count(*) AS cases, count(d.m) AS due_in_window,
       count(*) FILTER (WHERE appraisal.business_due(s, target_min * interval '1 minute', cal.cal) = d.m) AS due_agrees
FROM model_case c JOIN model_cal cal USING (id)
JOIN model_min ms ON ms.id = c.id AND ms.m = c.s
LEFT JOIN LATERAL (SELECT m FROM model_min x
                   WHERE x.id = c.id AND x.before = ms.before + c.target_min AND x.working
                   ORDER BY m LIMIT 1) d ON true
GROUP BY c.id ORDER BY c.id;

-- and where they disagree, the cases (none expected)
SELECT c.id, s, e, appraisal.business_elapsed(s, e, cal.cal) AS elapsed,
       (me.before - ms.before) * interval '1 minute' AS model
FROM model_case c JOIN model_cal cal USING (id)
JOIN model_min ms ON ms.id = c.id AND ms.m = c.s
JOIN model_min me ON me.id = c.id AND me.m = c.e
WHERE appraisal.business_elapsed(s, e, cal.cal) <> (me.before - ms.before) * interval '1 minute'
ORDER BY 1, 2 LIMIT 10;
