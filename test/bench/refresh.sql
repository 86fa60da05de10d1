-- make bench, step 4: refresh_scorecards() from empty materialized views (a
-- full refresh, as after a restore) and then again (concurrently, as pg_cron
-- does it), twice each; the time of each view as the function reports it.
SET client_min_messages = warning;
DO $$
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
    SELECT r, mode, materialized_view, rows, extract(epoch FROM duration) FROM appraisal.refresh_scorecards();
  END LOOP;
END
$$;
