-- make bench, step 4: refresh_scorecards() from empty materialized views (a
-- full refresh, as after a restore), then again with full => true
-- (concurrently, as pg_cron does it when something changed), then again
-- with nothing changed (mode unchanged: the whole call timed, as pg_cron
-- runs it every minute), twice each; the time of each view as the function
-- reports it.
SET client_min_messages = warning;
DO $$
DECLARE
  t0 timestamptz;
BEGIN
  FOR r IN 1 .. 2 LOOP
    REFRESH MATERIALIZED VIEW appraisal.agent_daily WITH NO DATA;
    REFRESH MATERIALIZED VIEW appraisal.agent_daily_csat WITH NO DATA;
    REFRESH MATERIALIZED VIEW appraisal.category_daily WITH NO DATA;
    REFRESH MATERIALIZED VIEW appraisal.period_ratings WITH NO DATA;
    REFRESH MATERIALIZED VIEW appraisal.agent_daily_follow_up WITH NO DATA;
    INSERT INTO bench.refresh
    SELECT r, mode, materialized_view, rows, extract(epoch FROM duration) FROM appraisal.refresh_scorecards();
    INSERT INTO bench.refresh
    SELECT r, mode, materialized_view, rows, extract(epoch FROM duration) FROM appraisal.refresh_scorecards(full => true);
    t0 := clock_timestamp();
    IF EXISTS (SELECT FROM appraisal.refresh_scorecards() WHERE mode <> 'unchanged') THEN
      RAISE EXCEPTION 'a refresh with nothing changed recomputed the summaries';
    END IF;
    INSERT INTO bench.refresh VALUES (r, 'unchanged', '(the whole call, nothing changed)', NULL, extract(epoch FROM clock_timestamp() - t0));
  END LOOP;
END
$$;
