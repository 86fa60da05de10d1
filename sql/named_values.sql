-- Named configuration values (weight schemes, grade scales): who may read
\set SHOW_CONTEXT never
-- them, what protects the shipped ones, and that a cached name never
-- outlives the data it was read from.

-- an ordinary user can grade and score with the shipped names
CREATE ROLE appraisal_regress_reader;
SET ROLE appraisal_regress_reader;
SELECT appraisal.grade_band(85) AS band, appraisal.grade_rank(85, 'credit') AS credit_rank,
       appraisal.score_360(s, 'superior', 'standard') AS score
FROM (VALUES (85.5)) v(s);
-- but cannot change the tables unless the owner grants it
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('mine', 'pass >= 50, fail');
RESET ROLE;
DROP ROLE appraisal_regress_reader;

-- TRUNCATE would take the shipped rows with it
TRUNCATE appraisal.weight_scheme;
TRUNCATE appraisal.grade_scale;
SELECT (SELECT count(*) FROM appraisal.weight_scheme WHERE shipped) AS schemes,
       (SELECT count(*) FROM appraisal.grade_scale WHERE shipped) AS scales;

-- PL/pgSQL keeps a simple expression's call site for the whole transaction:
-- a changed argument and a changed row must both be seen.
CREATE FUNCTION pg_temp.score(r appraisal.ratings, s appraisal.weight_scheme_spec) RETURNS float8
  LANGUAGE plpgsql AS $$ BEGIN RETURN appraisal.score_360(r, s); END $$;
CREATE FUNCTION pg_temp.score(r appraisal.ratings, s text) RETURNS float8
  LANGUAGE plpgsql AS $$ BEGIN RETURN appraisal.score_360(r, s); END $$;
CREATE FUNCTION pg_temp.band(x float8) RETURNS text
  LANGUAGE plpgsql AS $$ BEGIN RETURN appraisal.grade_band(x, 'regress_scale'); END $$;
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('regress_sup', 'superior 1'), ('regress_peer', 'peer 1');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('regress_scale', 'A >= 80, B');
BEGIN;
-- superior 90, peer 50: 'superior 1' gives 90, 'peer 1' gives 50
SELECT pg_temp.score('{superior: n=1 sum=90, peer: n=1 sum=50}', s::appraisal.weight_scheme_spec) AS by_value,
       pg_temp.score('{superior: n=1 sum=90, peer: n=1 sum=50}', n) AS by_name
FROM (VALUES ('superior 1', 'regress_sup'), ('peer 1', 'regress_peer')) v(s, n);
-- 75 is B on 'A >= 80, B' ...
SELECT pg_temp.band(75);
UPDATE appraisal.grade_scale SET scale = 'A >= 70, B' WHERE name = 'regress_scale';
UPDATE appraisal.weight_scheme SET scheme = 'superior 1, peer 1' WHERE name = 'regress_peer';
-- ... and A once the scale says A starts at 70; the changed scheme averages 90 and 50: 70
SELECT pg_temp.band(75);
SELECT pg_temp.score('{superior: n=1 sum=90, peer: n=1 sum=50}', 'regress_peer') AS by_name;
COMMIT;
-- a named calendar changed within the transaction is seen by the next command
CREATE FUNCTION pg_temp.elapsed(cal text) RETURNS interval
  LANGUAGE plpgsql AS $$ BEGIN RETURN appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', cal); END $$;
INSERT INTO appraisal.business_calendars (name, calendar) VALUES ('regress_cal', 'UTC; Mon-Fri 09:00-17:00');
BEGIN;
-- 8 hours, then 9 once the day ends at 18:00
SELECT pg_temp.elapsed('regress_cal');
UPDATE appraisal.business_calendars SET calendar = 'UTC; Mon-Fri 09:00-18:00' WHERE name = 'regress_cal';
SELECT pg_temp.elapsed('regress_cal');
COMMIT;
-- A name read by one statement means what each later one sees: the values
-- read are shared by every call site of the session only while what a read
-- could see is the same.  A calendar added in a savepoint that was rolled
-- back is unknown again (same transaction, same command, same snapshot but
-- for the subtransaction); one added by the transaction is known to its next
-- statement, and a plain call (a new call site) sees the change too.
BEGIN ISOLATION LEVEL REPEATABLE READ;
SAVEPOINT before_cal;
INSERT INTO appraisal.business_calendars (name, calendar) VALUES ('regress_sp', 'UTC; Mon-Fri 09:00-12:00');
SELECT appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', 'regress_sp') AS three_hours;
ROLLBACK TO SAVEPOINT before_cal;
SELECT appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', 'regress_sp') AS gone;
ROLLBACK;
-- An aggregate's call site lives for one run of its query: the same
-- statement in a PL/pgSQL function, run again after the change, reads the
-- name again (09:00-17:30 is 8.5 working hours, late for 8; 7.5 on 10-18).
CREATE FUNCTION pg_temp.met_8_hours() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  RETURN (SELECT appraisal.met(appraisal.sla_agg(s, e, '8 hours', 'regress_cal', '2026-10-01 00:00+00'))
          FROM (VALUES (timestamptz '2026-09-28 09:00+00', timestamptz '2026-09-28 17:30+00')) v(s, e));
END $$;
BEGIN;
SELECT appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', 'regress_cal') AS nine_hours;
SELECT pg_temp.met_8_hours() AS met_before;
UPDATE appraisal.business_calendars SET calendar = 'UTC; Mon-Fri 10:00-18:00' WHERE name = 'regress_cal';
SELECT appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', 'regress_cal') AS eight_hours;
SELECT pg_temp.elapsed('regress_cal') AS eight_hours_in_plpgsql;
SELECT pg_temp.met_8_hours() AS met_after;
ROLLBACK;
DELETE FROM appraisal.business_calendars WHERE name LIKE 'regress%';
-- (CASCADE: appraisal.sla_policies references the calendars by name)
TRUNCATE appraisal.business_calendars CASCADE;
SELECT count(*) AS shipped_calendars FROM appraisal.business_calendars WHERE shipped;
DELETE FROM appraisal.weight_scheme WHERE name LIKE 'regress%';
DELETE FROM appraisal.grade_scale WHERE name LIKE 'regress%';
