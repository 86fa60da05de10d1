#!/usr/bin/env bash
# test/cluster/unlogged_after_crash.sh: the comebacks a refresh keeps on one
# node (recurred_tickets, active_tickets) are unlogged tables, and so is the
# row that says they are kept (comebacks_kept).  A crash empties all three;
# the next refresh then recomputes every summary, and every summary equals
# its definition.  Run by test/run_tests.sh inside its cluster.
#
# The crash is real: a backend killed with SIGKILL makes the postmaster
# end every session and run crash recovery, which resets unlogged tables.
# Tickets written before the crash and not refreshed yet are counted by the
# refresh after it (the log is an ordinary table).
set -euo pipefail

DB=appraisal_crash
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fail() { echo "unlogged_after_crash.sh: $*" >&2; exit 1; }
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

# The summaries against their definitions (the comebacks computed by the
# window over every customer's tickets, not taken from recurred_tickets), in
# one transaction with the refresh: "modes / differing rows".
refresh_and_compare() {
  q -d "$DB" <<'SQL'
BEGIN;
CREATE TEMP TABLE refreshed AS SELECT * FROM appraisal.refresh_scorecards();
WITH stored AS (SELECT to_jsonb(s) - 'as_of' AS r FROM appraisal.agent_daily s),
     fresh AS (SELECT to_jsonb(f) - 'as_of' AS r FROM appraisal.agent_daily_rows(NULL, NULL) f)
SELECT (SELECT string_agg(replace(materialized_view, 'appraisal.', '') || ' ' || mode, ', ' ORDER BY materialized_view)
        FROM refreshed WHERE materialized_view IS NOT NULL) || ' / ' ||
       (SELECT count(*) FROM (SELECT r FROM stored EXCEPT ALL SELECT r FROM fresh) a) || ' ' ||
       (SELECT count(*) FROM (SELECT r FROM fresh EXCEPT ALL SELECT r FROM stored) b) || ' ' ||
       (SELECT count(*) FROM (SELECT * FROM appraisal.recurred_tickets EXCEPT ALL SELECT * FROM appraisal.recurred_tickets_rows(NULL, NULL)) c) || ' ' ||
       (SELECT count(*) FROM (SELECT * FROM appraisal.recurred_tickets_rows(NULL, NULL) EXCEPT ALL SELECT * FROM appraisal.recurred_tickets) d);
COMMIT;
SQL
}
kept() {
  q -d "$DB" -c "SELECT (SELECT count(*) FROM appraisal.comebacks_kept) || ' ' || (SELECT count(*) FROM appraisal.recurred_tickets) || ' '
                        || (SELECT count(*) FROM appraisal.active_tickets)"
}
# a day of tickets more: those of the last day again, a day later, in
# another day's agent-days (and comebacks of their customers)
add_day() {
  q -d "$DB" -c "INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, priority, category,
                                                complaint, cause, customer_id, agent_id, pauses)
                 SELECT '$1-' || ticket_id, opened_at + interval '1 day', first_response_at + interval '1 day', resolved_at + interval '1 day',
                        contacts, channel, priority, category, complaint, cause, customer_id, agent_id, pauses
                 FROM appraisal.tickets WHERE opened_at >= (SELECT max(opened_at) FROM appraisal.tickets) - interval '1 day'"
}

q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d "$DB" -c "CREATE EXTENSION appraisal" -c "CREATE EXTENSION appraisal_demo" \
  -c "SELECT count(*) FROM appraisal.generate_demo_data(agents => 6, tickets => 3000, year => 2025)" \
  -c "SELECT count(*) FROM appraisal.add_periods(2026)" >/dev/null
q -d "$DB" -c "SELECT count(*) FROM appraisal.refresh_scorecards()" >/dev/null
read -r marker recurred active <<<"$(kept)"
(( marker == 1 && recurred > 0 && active > 0 )) || fail "after the first refresh: comebacks_kept $marker, recurred_tickets $recurred, active_tickets $active"

# by difference before the crash
add_day d1
got=$(refresh_and_compare)
want="agent_daily changed, agent_daily_csat changed, agent_daily_follow_up changed, category_daily changed, period_ratings unchanged / 0 0 0 0"
[[ $got == "$want" ]] || fail "a day of tickets before the crash: $got (expected: $want)"

# another day written, then the crash before any refresh
add_day d2
psql -X -q -d "$DB" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
pid=
for _ in $(seq 1 100); do
  pid=$(q -d postgres -c "SELECT pid FROM pg_stat_activity WHERE datname = '$DB' AND query = 'SELECT pg_sleep(60)'")
  [[ -n $pid ]] && break
  sleep 0.1
done
[[ -n $pid ]] || fail "the session to kill never started"
kill -KILL "$pid"
up=
for _ in $(seq 1 300); do
  if q -d "$DB" -c "SELECT 1" >/dev/null 2>&1; then up=1; break; fi
  sleep 0.2
done
[[ -n $up ]] || fail "the server did not come back after the crash"
read -r marker recurred active <<<"$(kept)"
[[ "$marker $recurred $active" == "0 0 0" ]] || fail "after the crash: comebacks_kept $marker, recurred_tickets $recurred, active_tickets $active (expected 0 0 0)"

# every summary recomputed, the day written before the crash with them
got=$(refresh_and_compare)
want="agent_daily full, agent_daily_csat full, agent_daily_follow_up full, category_daily full, period_ratings concurrently / 0 0 0 0"
[[ $got == "$want" ]] || fail "the refresh after the crash: $got (expected: $want)"
read -r marker recurred active <<<"$(kept)"
(( marker == 1 && recurred > 0 && active > 0 )) || fail "after the refresh: comebacks_kept $marker, recurred_tickets $recurred, active_tickets $active"
[[ $(q -d "$DB" -c "SELECT count(*) FROM appraisal.tickets WHERE ticket_id LIKE 'd2-%'") -gt 0 ]] || fail "the day written before the crash is gone"
[[ $(q -d "$DB" -c "SELECT sum(tickets) = (SELECT count(*) FROM appraisal.tickets WHERE opened_at <= now()) FROM appraisal.agent_daily") == t ]] \
  || fail "agent_daily does not count every ticket after the crash"

# and by difference again after it
add_day d3
got=$(refresh_and_compare)
want="agent_daily changed, agent_daily_csat changed, agent_daily_follow_up changed, category_daily changed, period_ratings unchanged / 0 0 0 0"
[[ $got == "$want" ]] || fail "a day of tickets after the crash: $got (expected: $want)"

q -d postgres -c "DROP DATABASE $DB"
echo "unlogged_after_crash.sh: the comebacks kept are lost in a crash and computed again by the next refresh"
