-- One round of make bench's step 4 (refresh.sql; the setting bench.round).
-- Every summary recomputed from empty, then with full => true, then with
-- nothing changed; the day of tickets in that transaction, rolled back.
DO $$
DECLARE
  r constant int := current_setting('bench.round')::int;
  t0 timestamptz;
  whole float8;
  changed float8;
  added bigint;
  resolved bigint;
BEGIN
  TRUNCATE appraisal.agent_daily, appraisal.agent_daily_csat, appraisal.category_daily, appraisal.agent_daily_follow_up;
  REFRESH MATERIALIZED VIEW appraisal.period_ratings WITH NO DATA;
  UPDATE appraisal.refresh_state SET refreshed_at = NULL, next_change_at = '-infinity', checked_at = NULL;
  t0 := clock_timestamp();
  INSERT INTO bench.refresh
  SELECT r, mode, materialized_view, rows, extract(epoch FROM duration) FROM appraisal.refresh_scorecards();
  whole := extract(epoch FROM clock_timestamp() - t0);
  INSERT INTO bench.refresh VALUES (r, 'whole call', '(the whole call, every summary recomputed)', NULL, whole);
  INSERT INTO bench.refresh
  SELECT r, mode, materialized_view, rows, extract(epoch FROM duration) FROM appraisal.refresh_scorecards(full => true);
  t0 := clock_timestamp();
  IF EXISTS (SELECT FROM appraisal.refresh_scorecards() WHERE mode NOT IN ('unchanged')) THEN
    RAISE EXCEPTION 'a refresh with nothing changed recomputed the summaries';
  END IF;
  INSERT INTO bench.refresh VALUES (r, 'unchanged', '(the whole call, nothing changed)', NULL, extract(epoch FROM clock_timestamp() - t0));
  -- one more day of tickets and 1 % of the open tickets resolved, the
  -- refresh after them, all of it rolled back (a subtransaction)
  BEGIN
    SELECT * INTO added, resolved FROM pg_temp.add_day(comebacks => false);
    t0 := clock_timestamp();
    IF EXISTS (SELECT FROM appraisal.refresh_scorecards() WHERE mode IN ('full', 'concurrently')) THEN
      RAISE EXCEPTION 'a refresh after a day of tickets recomputed a summary whole';
    END IF;
    changed := extract(epoch FROM clock_timestamp() - t0);
    RAISE EXCEPTION USING ERRCODE = 'P0099';   -- roll the day back
  EXCEPTION WHEN SQLSTATE 'P0099' THEN
    INSERT INTO bench.refresh VALUES (r, 'changed, one transaction', format('(the whole call, %s tickets added and %s resolved)', added, resolved),
                                      added + resolved, changed);
  END;
END
$$;

-- The same day committed, then the refresh in a transaction of its own;
-- then the day in which every ticket comes back, likewise
\set comebacks false
\set mode changed
\set full_after true
\ir refresh_day.sql
\set comebacks true
\set mode 'changed, every ticket a comeback'
\set full_after false
\ir refresh_day.sql
