#!/usr/bin/env bash
# test/cluster/refresh_snapshot.sh: refresh_scorecards() builds the four
# summaries from the same data, even when tickets are committed while it
# runs.  Run by test/run_tests.sh inside its cluster.
#
# A session holds a lock on category_daily (an index build, rolled back
# later), so that the refresh, once it has
# refreshed agent_daily and agent_daily_csat, waits before the third summary.
# Meanwhile another session adds a ticket with a survey response and
# commits.  Then the lock goes and the refresh finishes.
#   - READ COMMITTED (as pg_cron and autocommit run it): the tables the
#     summaries read are kept from changing during the refresh, so the
#     ticket's insert waits for the refresh to end, and none of the summaries
#     counts it.
#   - REPEATABLE READ: every summary reads the refresh's one snapshot, the
#     insert does not wait, and none counts it either.
# A second refresh started meanwhile returns at once (mode busy).
# Either way agent_daily, agent_daily_csat and category_daily agree: the
# same tickets per day, and responses only of tickets they count.  (Before,
# category_daily counted the ticket and agent_daily did not.)
set -euo pipefail

DB=appraisal_snapshot
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fail() { echo "refresh_snapshot.sh: $*" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"' EXIT

q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d "$DB" <<'SQL'
CREATE EXTENSION appraisal;
SET timezone = 'UTC';
SELECT count(*) FROM appraisal.add_periods(2026);
INSERT INTO appraisal.employees VALUES ('A1', 'Liu Yang', 'specialist', 'north', NULL);
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id)
VALUES ('T1', '2026-03-02 09:00', '2026-03-02 10:00', '2026-03-02 12:00', 1, 'phone', 'install', 'A1');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T1', 'web', '2026-03-02 13:00', 5);
SELECT count(*) FROM appraisal.refresh_scorecards();
SQL

# wait until the backend running $1 waits for a lock (pg_stat_activity)
await_lock_wait() {
  local pattern=$1
  for _ in $(seq 1 300); do
    [[ $(q -d "$DB" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                         AND wait_event_type = 'Lock' AND query LIKE '%$pattern%'") -gt 0 ]] && return 0
    sleep 0.1
  done
  fail "no session waiting on a lock while running $pattern"
}

summaries() {
  q -d "$DB" -c "SELECT (SELECT coalesce(sum(tickets), 0) FROM appraisal.agent_daily) || ' '
                     || (SELECT coalesce(sum(appraisal.responses(csat)), 0) FROM appraisal.agent_daily_csat) || ' '
                     || (SELECT coalesce(sum(tickets), 0) FROM appraisal.category_daily)"
}

run() {   # isolation ticket
  local isolation=$1 ticket=$2 holder refresh insert t0 waited
  # the lock that stops the refresh before category_daily
  mkfifo "$TMP/hold.$ticket"
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB" < "$TMP/hold.$ticket" > "$TMP/hold.$ticket.out" 2>&1 &
  holder=$!
  exec 7> "$TMP/hold.$ticket"
  # (LOCK TABLE takes no materialized view; an index being built holds a
  # SHARE lock, which REFRESH ... CONCURRENTLY's EXCLUSIVE lock waits for)
  echo "BEGIN; CREATE INDEX hold_refresh ON appraisal.category_daily (day); SELECT 'held';" >&7
  for _ in $(seq 1 100); do grep -q held "$TMP/hold.$ticket.out" 2>/dev/null && break; sleep 0.1; done
  # the refresh, which stops there (full: nothing changed since the last)
  psql -X -q -v ON_ERROR_STOP=1 -At -d "$DB" \
       -c "BEGIN ISOLATION LEVEL $isolation" -c "SELECT count(*) FROM appraisal.refresh_scorecards(full => true)" -c "COMMIT" \
       > "$TMP/refresh.$ticket.out" 2>&1 &
  refresh=$!
  await_lock_wait "refresh_scorecards"
  # a second refresh meanwhile does nothing (mode busy) rather than redo the work
  got=$(q -d "$DB" -c "SELECT string_agg(DISTINCT mode, ',') FROM appraisal.refresh_scorecards(full => true)" 2>/dev/null)
  [[ $got == busy ]] || fail "$isolation: a refresh while another runs: $got (want busy)"
  # a ticket and its response, committed while the refresh runs
  t0=$(date +%s%N)
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "
    BEGIN;
    INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id)
    VALUES ('$ticket', '2026-03-03 09:00+00', '2026-03-03 10:00+00', '2026-03-03 11:00+00', 1, 'phone', 'install', 'A1');
    INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('$ticket', 'web', '2026-03-03 12:00+00', 4);
    COMMIT;" > "$TMP/insert.$ticket.out" 2>&1 &
  insert=$!
  if [[ $isolation == "READ COMMITTED" ]]; then
    await_lock_wait "INSERT INTO appraisal.tickets"   # the refresh keeps tickets from changing
  else
    wait $insert || fail "the insert failed: $(cat "$TMP/insert.$ticket.out")"   # nothing keeps it waiting
  fi
  # let the refresh go on
  echo "ROLLBACK;" >&7
  exec 7>&-
  wait $holder
  wait $refresh || fail "the refresh ($isolation) failed: $(cat "$TMP/refresh.$ticket.out")"
  wait $insert 2>/dev/null || true
  [[ -z $(cat "$TMP/insert.$ticket.out") ]] || fail "the insert failed: $(cat "$TMP/insert.$ticket.out")"
  got=$(summaries)
  echo "$isolation: tickets in agent_daily, responses in agent_daily_csat, tickets in category_daily: $got" >&2
  echo "$got"
}

# T1 counted, T2 not by any summary (it waited for the refresh)
got=$(run "READ COMMITTED" T2 | tail -1)
[[ $got == "1 1 1" ]] || fail "READ COMMITTED: the summaries disagree or count the ticket committed mid-refresh: $got"
# the next refresh counts T2 everywhere (its log row says the summaries changed)
q -d "$DB" -c "SELECT count(*) FROM appraisal.refresh_scorecards()" >/dev/null
[[ $(summaries) == "2 2 2" ]] || fail "the next refresh does not count T2 everywhere: $(summaries)"
# T3 committed during a REPEATABLE READ refresh: not counted by any summary
got=$(run "REPEATABLE READ" T3 | tail -1)
[[ $got == "2 2 2" ]] || fail "REPEATABLE READ: the summaries disagree or count the ticket committed mid-refresh: $got"
# (T3's log row was not seen by the REPEATABLE READ refresh: it stays for this one)
q -d "$DB" -c "SELECT count(*) FROM appraisal.refresh_scorecards()" >/dev/null
[[ $(summaries) == "3 3 3" ]] || fail "the next refresh does not count T3 everywhere: $(summaries)"

# A partial refresh under READ COMMITTED: only a 360 review changed, so only
# period_ratings is recomputed.  A ticket committed meanwhile waits for the
# refresh (every table the summaries read is kept from changing, not only
# reviews_360) and stays in the log: the next refresh counts it everywhere.
q -d "$DB" -c "INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score) VALUES ('2026-Q1', 'A1', 'P9', 'peer', 80)"
mkfifo "$TMP/hold.partial"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" < "$TMP/hold.partial" > "$TMP/hold.partial.out" 2>&1 &
holder=$!
exec 7> "$TMP/hold.partial"
echo "BEGIN; CREATE INDEX hold_refresh ON appraisal.period_ratings (period); SELECT 'held';" >&7
for _ in $(seq 1 100); do grep -q held "$TMP/hold.partial.out" 2>/dev/null && break; sleep 0.1; done
q -d "$DB" -c "SELECT string_agg(materialized_view || ' ' || mode, ', ') FROM appraisal.refresh_scorecards() WHERE mode <> 'check'" \
  > "$TMP/refresh.partial.out" 2>/dev/null &
refresh=$!
await_lock_wait "refresh_scorecards"
q -d "$DB" -c "INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id)
               VALUES ('T4', '2026-03-04 09:00+00', '2026-03-04 10:00+00', '2026-03-04 11:00+00', 1, 'phone', 'install', 'A1');
               INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T4', 'web', '2026-03-04 12:00+00', 4)" \
  > "$TMP/insert.partial.out" 2>&1 &
insert=$!
await_lock_wait "INSERT INTO appraisal.tickets"
echo "ROLLBACK;" >&7
exec 7>&-
wait $holder
wait $refresh || fail "the partial refresh failed"
wait $insert || fail "the insert during the partial refresh failed: $(cat "$TMP/insert.partial.out")"
got=$(cat "$TMP/refresh.partial.out")
[[ $got == "appraisal.agent_daily unchanged, appraisal.agent_daily_csat unchanged, appraisal.category_daily unchanged, appraisal.period_ratings concurrently, appraisal.agent_daily_follow_up unchanged" ]] ||
  fail "the partial refresh: $got"
got=$(q -d "$DB" -c "SELECT stale_summaries FROM appraisal.refresh_status")
[[ $got == "appraisal.agent_daily, appraisal.agent_daily_csat, appraisal.category_daily, appraisal.agent_daily_follow_up" ]] ||
  fail "T4, committed during the partial refresh, is not pending: $got"
q -d "$DB" -c "SELECT count(*) FROM appraisal.refresh_scorecards()" >/dev/null
[[ $(summaries) == "4 4 4" ]] || fail "the next refresh does not count T4 everywhere: $(summaries)"
echo "READ COMMITTED, partial refresh: T4 waited, stayed pending, and the next refresh counts it: ok" >&2

q -d postgres -c "DROP DATABASE $DB"
echo "refresh_snapshot.sh: a ticket committed during a refresh counts in every summary or in none: ok"
