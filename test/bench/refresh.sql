-- make bench, step 4: refresh_scorecards() from empty summaries (a full
-- refresh, as after a restore), then again with full => true, then with
-- nothing changed (mode unchanged: the whole call timed, as pg_cron runs it
-- every minute), then after one more day of tickets and 1 % of the open
-- tickets resolved (mode changed: only the agent-days written; the whole
-- call timed, then rolled back), twice each; the time of each summary as the
-- function reports it.
SET client_min_messages = warning;
DO $$
DECLARE
  t0 timestamptz;
  whole float8;
  changed float8;
  added bigint;
  resolved bigint;
BEGIN
  FOR r IN 1 .. 2 LOOP
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
    -- one more day of tickets (the last day's again, a day later) and 1 %
    -- of the open tickets resolved; the refresh recomputes their
    -- agent-days; all of it rolled back (a subtransaction) for the next round
    BEGIN
      INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category,
                                     complaint, cause, customer_id, agent_id, pauses)
      SELECT 'bench-' || ticket_id, opened_at + interval '1 day', first_response_at + interval '1 day', resolved_at + interval '1 day',
             contacts, channel, priority, category, complaint, cause, customer_id, agent_id, pauses
      FROM appraisal.tickets WHERE opened_at >= (SELECT max(opened_at) FROM appraisal.tickets) - interval '1 day';
      GET DIAGNOSTICS added = ROW_COUNT;
      -- (those resolved are spread over the year: a repeatable draw, not the
      -- first ticket numbers, which are the year's first days)
      UPDATE appraisal.tickets SET resolved_at = greatest(opened_at, now() - interval '1 hour'), contacts = 1
      WHERE ticket_id IN (SELECT ticket_id FROM appraisal.tickets WHERE resolved_at IS NULL ORDER BY md5(ticket_id)
                          LIMIT (SELECT count(*) / 100 FROM appraisal.tickets WHERE resolved_at IS NULL));
      GET DIAGNOSTICS resolved = ROW_COUNT;
      t0 := clock_timestamp();
      IF EXISTS (SELECT FROM appraisal.refresh_scorecards() WHERE mode IN ('full', 'concurrently')) THEN
        RAISE EXCEPTION 'a refresh after a day of tickets recomputed a summary whole';
      END IF;
      changed := extract(epoch FROM clock_timestamp() - t0);
      RAISE EXCEPTION USING ERRCODE = 'P0099';   -- roll the day back
    EXCEPTION WHEN SQLSTATE 'P0099' THEN
      INSERT INTO bench.refresh VALUES (r, 'changed', format('(the whole call, %s tickets added and %s resolved)', added, resolved),
                                        added + resolved, changed);
    END;
  END LOOP;
END
$$;
