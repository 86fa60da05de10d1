-- A day of tickets committed (refresh.sql: add_day, with the psql
-- variable comebacks), then refresh_scorecards() timed in a transaction of
-- its own as pg_cron runs it (bench.refresh, mode :mode), then the day
-- taken out again, for the next timing and the later steps, the summaries
-- brought back to the tickets by refresh_scorecards(full => :full_after).
-- (After the day taken out the refresh's latest opening seen is a day
-- ahead: another day of tickets at the same openings would then have its
-- customers' tickets read, unlike the first.  A full refresh, before the
-- next day, starts it where the first one started.)
CREATE TEMP TABLE day_written AS SELECT * FROM pg_temp.add_day(comebacks => :comebacks);
SELECT set_config('bench.mode', :'mode', false) IS NOT NULL AS mode_set \gset
DO $$
DECLARE
  t0 constant timestamptz := clock_timestamp();
BEGIN
  IF EXISTS (SELECT FROM appraisal.refresh_scorecards() WHERE mode IN ('full', 'concurrently')) THEN
    RAISE EXCEPTION 'a refresh after a day of tickets recomputed a summary whole';
  END IF;
  INSERT INTO bench.refresh
  SELECT current_setting('bench.round')::int, current_setting('bench.mode'),
         format('(the whole call, %s tickets added and %s resolved)', d.added, d.resolved), d.added + d.resolved,
         extract(epoch FROM clock_timestamp() - t0)
  FROM day_written d;
END
$$;
DELETE FROM appraisal.tickets WHERE ticket_id LIKE 'bench-%';
UPDATE appraisal.tickets t SET resolved_at = o.resolved_at, contacts = o.contacts
FROM pg_temp.day_resolved o WHERE o.ticket_id = t.ticket_id;
DROP TABLE day_written, pg_temp.day_resolved;
VACUUM appraisal.tickets;
SELECT count(*) > 0 AS refreshed FROM appraisal.refresh_scorecards(full => :full_after) \gset
