-- local_day(instant, zone) is (instant AT TIME ZONE zone)::date, read from
-- the zone's table of offset changes.  Compared with the built-in
-- conversion on instants around every kind of offset change: daylight
-- saving (New York, Berlin, Lord Howe's half hour, Casablanca's negative
-- saving, Dublin's negative winter offset), odd offsets (Chatham +12:45,
-- Kolkata +5:30), Shanghai's LMT of 1900 with its seconds, the ends of the
-- table's range (1900, 2199-2200) and beyond, infinity; an abbreviation
-- (CET, a fixed offset although Europe's CET zone saves daylight; EST) and
-- a POSIX rule; the zone changing from row to row.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

CREATE TEMP TABLE zones (zone) AS VALUES
  ('Asia/Shanghai'), ('America/New_York'), ('Europe/Berlin'), ('Australia/Lord_Howe'),
  ('Africa/Casablanca'), ('Europe/Dublin'), ('Pacific/Chatham'), ('Asia/Kolkata'),
  ('UTC'), ('CET'), ('EST'), ('UTC+8'), ('America/Sao_Paulo');

-- instants: every 17 min 13 s through 2026 (all of its offset changes), every
-- 23 h 11 min from 1899 to 2201, every minute at the edges of the range
CREATE TEMP TABLE instants (t) AS
  SELECT generate_series(timestamptz '2026-01-01', '2027-01-01', interval '17 min 13 s')
  UNION ALL SELECT generate_series(timestamptz '1899-12-25', '2201-01-01', interval '23 h 11 min')
  UNION ALL SELECT generate_series(timestamptz '1900-01-01 15:00', '1900-01-03 09:00', interval '1 min')
  UNION ALL SELECT generate_series(timestamptz '2199-12-29', '2200-01-03', interval '1 min')
  UNION ALL VALUES ('infinity'::timestamptz), ('-infinity'), ('4000-01-01'), ('1000-01-01');

SELECT z.zone, count(*) AS instants,
       count(*) FILTER (WHERE appraisal.local_day(i.t, z.zone) IS DISTINCT FROM (i.t AT TIME ZONE z.zone)::date) AS differing
FROM zones z CROSS JOIN instants i
GROUP BY z.zone ORDER BY z.zone;

-- one query, the zone changing from row to row (each row its own check)
SELECT count(*) AS rows,
       count(*) FILTER (WHERE appraisal.local_day(t, zone) IS DISTINCT FROM (t AT TIME ZONE zone)::date) AS differing
FROM (SELECT i.t, z.zone FROM instants i CROSS JOIN zones z ORDER BY i.t, z.zone) x;

-- a few by hand: Shanghai is UTC+8 (no saving since 1991); New York is on
-- EDT (UTC-4) since 8 March 2026, so 04:00 UTC on the 9th is its midnight
-- and a second earlier still the 8th; Chatham is at +13:45 in its summer
SELECT appraisal.local_day('2026-03-08 15:59:59.999999+00', 'Asia/Shanghai') AS sh_before_midnight,
       appraisal.local_day('2026-03-08 16:00+00', 'Asia/Shanghai') AS sh_midnight,
       appraisal.local_day('2026-03-09 03:59:59+00', 'America/New_York') AS ny_before,
       appraisal.local_day('2026-03-09 04:00+00', 'America/New_York') AS ny_midnight_edt,
       appraisal.local_day('2026-01-01 10:15+00', 'Pacific/Chatham') AS chatham;
SELECT appraisal.local_day(NULL, 'UTC') AS no_instant, appraisal.local_day(now(), NULL) AS no_zone;

-- an unknown zone: the error AT TIME ZONE gives
SELECT appraisal.local_day('2026-01-01', 'Mars/Olympus_Mons');
