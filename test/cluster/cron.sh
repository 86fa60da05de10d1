#!/usr/bin/env bash
# test/cluster/cron.sh: schedule_refresh / unschedule_refresh against a real
# pg_cron.  Run by test/run_tests.sh inside its cluster, which preloads pg_cron
# with cron.database_name = appraisal_cron and background-worker jobs.
#
# 1. Without the pg_cron extension both functions fail with SQLSTATE 0A000 and
#    a message saying how to enable it (in appraisal_cron before CREATE
#    EXTENSION pg_cron, and in a database where pg_cron cannot be created).
#    (The third case, pg_cron not preloaded at all, cannot arise here.)
# 2. With it, schedule_refresh registers one job; scheduling again with
#    another schedule updates that job (same id, one row), and a paused job
#    is replaced by an active one; a bad schedule is refused.  pg_cron really runs
#    refresh_scorecards() in a background worker: after a manual refresh and
#    one more ticket, the run recomputes the rows of its agent-day in every
#    summary that reads tickets (as_of advances to the run, the new ticket is
#    counted); period_ratings, which reads only 360 reviews, keeps its rows.  Then
#    unschedule_refresh removes the job (true, then false).
# 3. Privileges: refreshing and scheduling are for appraisal_admin.  All of 2
#    runs as appraisal_scheduler, a member of appraisal_admin with pg_cron's
#    USAGE and nothing else (no pg_read_all_settings, owns nothing): the job
#    is its, and its run refreshes.  appraisal_analyst, not a member, is
#    refused all three functions (42501) before anything happens.
set -euo pipefail

DB=appraisal_cron
OTHER=appraisal_cron_other
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fail() { echo "cron.sh: $*" >&2; exit 1; }

for db in "$DB" "$OTHER"; do
  q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  q -d "$db" -c "CREATE EXTENSION appraisal"
done

# the error a user without pg_cron sees, and its SQLSTATE
expect_no_cron() {   # db call hint [role]
  local db=$1 call=$2 hint=$3 out as=()
  [[ -z ${4:-} ]] || as=(-c "SET ROLE $4")
  out=$(q -d "$db" "${as[@]}" -c "
    DO \$\$
    DECLARE st text; msg text; det text; hint text;
    BEGIN
      PERFORM $call;
      RAISE EXCEPTION 'no error';
    EXCEPTION WHEN feature_not_supported THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
      RAISE NOTICE '% | % | % | %', st, msg, det, hint;
    END
    \$\$" 2>&1) || fail "$call in $db: expected SQLSTATE 0A000, got: $out"
  echo "$db${4:+ as $4}: $call -> $out"
  [[ $out == *"0A000 | pg_cron is not installed in database \"$db\""*"$hint"* ]] ||
    fail "unexpected message for $call in $db: $out"
}
# (pg_cron keeps its jobs in appraisal_cron: the hint offers both ways)
other_hint="Set cron.database_name = '$OTHER' and restart the server, then run CREATE EXTENSION pg_cron here; or, connected to database \"$DB\", run SELECT cron.schedule_in_database("
expect_no_cron "$OTHER" "appraisal.schedule_refresh('* * * * *')" "$other_hint"
expect_no_cron "$OTHER" "appraisal.unschedule_refresh()" "$other_hint"
expect_no_cron "$DB" "appraisal.schedule_refresh('* * * * *')" "Run CREATE EXTENSION pg_cron in this database."
expect_no_cron "$DB" "appraisal.unschedule_refresh()" "Run CREATE EXTENSION pg_cron in this database."
out=$(q -d "$OTHER" -c "CREATE EXTENSION pg_cron" 2>&1) && fail "pg_cron was created outside cron.database_name"
echo "$OTHER: CREATE EXTENSION pg_cron -> $out"

q -d "$DB" -c "CREATE EXTENSION pg_cron"
q -d "$DB" <<'SQL'
DROP ROLE IF EXISTS appraisal_scheduler;
DROP ROLE IF EXISTS appraisal_analyst;
CREATE ROLE appraisal_scheduler LOGIN IN ROLE appraisal_admin;
GRANT USAGE ON SCHEMA cron TO appraisal_scheduler;
CREATE ROLE appraisal_analyst LOGIN;
GRANT USAGE ON SCHEMA cron TO appraisal_analyst;
SQL
as_scheduler=(-c "SET ROLE appraisal_scheduler")
# refused: every function of the three, with 42501 and no side effect
for call in "appraisal.refresh_scorecards()" "appraisal.schedule_refresh('* * * * *')" "appraisal.unschedule_refresh()"; do
  out=$(q -d "$DB" -c "SET ROLE appraisal_analyst" -c "
    DO \$\$
    BEGIN
      PERFORM $call;
      RAISE EXCEPTION 'no error';
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE '%: %', SQLSTATE, SQLERRM;
    END
    \$\$" 2>&1) || fail "$call as appraisal_analyst: expected 42501, got: $out"
  echo "appraisal_analyst: $call -> $out"
  [[ $out == *"42501: permission denied for function"* ]] || fail "unexpected refusal of $call: $out"
done
[[ $(q -d "$DB" -c "SELECT count(*) FROM cron.job") == 0 ]] || fail "a refused call left a job"
# without pg_read_all_settings a member cannot read whether pg_cron is
# preloaded; where pg_cron is missing, the error says so instead of 42501
expect_no_cron "$OTHER" "appraisal.schedule_refresh('* * * * *')" \
  "cannot read whether pg_cron is preloaded (shared_preload_libraries takes pg_read_all_settings). | Ask a superuser to install pg_cron" appraisal_scheduler
q -d "$DB" <<'SQL'
SET timezone = 'UTC';
INSERT INTO appraisal.employees VALUES ('S1', 'Li Na', 'supervisor', 'north', NULL),
                                       ('A1', 'Liu Yang', 'specialist', 'north', 'S1');
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id)
VALUES ('T1', '2026-03-02 09:00', '2026-03-02 10:00', '2026-03-02 12:00', 1, 'phone', 'install', 'A1'),
       ('T2', '2026-03-02 11:00', '2026-03-04 10:00', NULL, NULL, 'email', 'install', 'A1'),
       ('T3', '2026-03-03 09:00', '2026-03-03 09:30', '2026-03-03 10:00', 2, 'phone', 'delivery', 'S1');
INSERT INTO appraisal.survey_responses (ticket_id, source, responded_at, rating) VALUES ('T1', 'web', '2026-03-02 13:00', 5);
SELECT count(*) FROM appraisal.add_periods(2026);
INSERT INTO appraisal.reviews_360 (period, ratee_id, rater_id, role, score) VALUES ('2026-Q1', 'A1', 'S1', 'superior', 85);
SQL

# the summaries as a user refreshing by hand leaves them; then one more ticket
q -d "$DB" "${as_scheduler[@]}" -c "SELECT count(*) FROM appraisal.refresh_scorecards()" >/dev/null
before=$(q -d "$DB" -c "SELECT max(as_of) FROM appraisal.agent_daily")
q -d "$DB" -c "INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id)
               VALUES ('T4', '2026-03-03 10:00+00', '2026-03-03 11:00+00', '2026-03-03 12:00+00', 1, 'phone', 'delivery', 'S1')"

jobs() { q -d "$DB" -c "SELECT count(*) || ' ' || min(jobid) || ' ' || min(schedule) || ' ' || bool_and(active) || ' ' || min(database) || ' ' || min(command)
                               || ' as ' || min(username)
                        FROM cron.job WHERE jobname = appraisal.cron_job_name()"; }
job=$(q -d "$DB" "${as_scheduler[@]}" -c "SELECT appraisal.schedule_refresh('30 2 * * *')")
echo "scheduled job $job: $(jobs)"
[[ $(jobs) == "1 $job 30 2 * * * true $DB SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SELECT * FROM appraisal.refresh_scorecards() as appraisal_scheduler" ]] || fail "unexpected cron.job rows: $(jobs)"
# schedule again with another schedule: the same job, updated
again=$(q -d "$DB" "${as_scheduler[@]}" -c "SELECT appraisal.schedule_refresh('15 3 * * *')")
echo "scheduled again: job $again: $(jobs)"
[[ $again == "$job" ]] || fail "scheduling again made job $again besides $job"
[[ $(jobs) == "1 $job 15 3 * * * true $DB SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SELECT * FROM appraisal.refresh_scorecards() as appraisal_scheduler" ]] ||
  fail "scheduling again did not replace the schedule of job $job: $(jobs)"
# paused (by a superuser), then scheduled again: one job, on again
q -d "$DB" -c "SELECT cron.alter_job($job, active => false)" >/dev/null
job=$(q -d "$DB" "${as_scheduler[@]}" -c "SELECT appraisal.schedule_refresh('* * * * *')")
echo "paused, scheduled again: job $job: $(jobs)"
[[ $(jobs) == "1 $job * * * * * true $DB SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SELECT * FROM appraisal.refresh_scorecards() as appraisal_scheduler" ]] ||
  fail "scheduling a paused job again did not leave one active job $job: $(jobs)"
out=$(q -d "$DB" "${as_scheduler[@]}" -c "SELECT appraisal.schedule_refresh('at noon')" 2>&1) && fail "a bad schedule was accepted"
[[ $out == *'invalid schedule: at noon'* ]] || fail "unexpected error for a bad schedule: $out"
[[ $(jobs) == "1 $job * * * * * true $DB SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SELECT * FROM appraisal.refresh_scorecards() as appraisal_scheduler" ]] || fail "a bad schedule changed the job: $(jobs)"

# pg_cron starts the job at the next minute: wait for a finished run
status=""
for _ in $(seq 1 150); do
  status=$(q -d "$DB" -c "SELECT status FROM cron.job_run_details WHERE jobid = $job AND status IN ('succeeded', 'failed') ORDER BY runid DESC LIMIT 1")
  [[ -n $status ]] && break
  sleep 1
done
q -d "$DB" -c "SELECT 'run: ' || status || ' ' || coalesce(return_message, '') FROM cron.job_run_details WHERE jobid = $job"
[[ $status == succeeded ]] || fail "no succeeded run of job $job within 150 s (status '${status:-none}')"

# the run refreshed the materialized views: A1 has tickets on two days, S1 (with T4) two on one
got=$(q -d "$DB" -c "SELECT string_agg(agent_id || ' ' || day || ' ' || tickets || ' ' || appraisal.met(first_response), ', ' ORDER BY agent_id, day)
                     FROM appraisal.agent_daily")
echo "agent_daily after the pg_cron run: $got"
[[ $got == "A1 2026-03-02 2 1, S1 2026-03-03 2 2" ]] || fail "agent_daily not refreshed as expected: $got"
# that run recomputed the rows of the agent-day and day T4 was written to:
# as_of after the manual refresh and by the end of the run (as_of is the
# start of the job's transaction, which pg_cron may log as the run's start a
# moment later) in agent_daily, the follow-up and category_daily; not in
# agent_daily_csat (T4 has no survey response, so no row there) nor
# period_ratings (no 360 review changed)
within=$(q -d "$DB" -c "WITH run AS (SELECT start_time, end_time FROM cron.job_run_details
                                     WHERE jobid = $job AND status = 'succeeded' ORDER BY runid LIMIT 1)
                        SELECT string_agg(mv || ' ' || (as_of > '$before' AND as_of <= run.end_time), ', ' ORDER BY mv)
                        FROM run, (SELECT 'agent_daily' AS mv, max(as_of) AS as_of FROM appraisal.agent_daily
                                   UNION ALL SELECT 'agent_daily_csat', max(as_of) FROM appraisal.agent_daily_csat
                                   UNION ALL SELECT 'agent_daily_follow_up', max(as_of) FROM appraisal.agent_daily_follow_up
                                   UNION ALL SELECT 'category_daily', max(as_of) FROM appraisal.category_daily
                                   UNION ALL SELECT 'period_ratings', max(as_of) FROM appraisal.period_ratings) m
                        WHERE m.as_of IS NOT NULL")
echo "as_of advanced to the run: $within"
[[ $within == "agent_daily true, agent_daily_csat false, agent_daily_follow_up true, category_daily true, period_ratings false" ]] ||
  fail "the pg_cron run did not recompute just the rows T4 changed: $within"
got=$(q -d "$DB" -c "SELECT string_agg(category || ' ' || day || ' ' || tickets, ', ' ORDER BY category, day) FROM appraisal.category_daily")
echo "category_daily after the pg_cron run: $got"
[[ $got == "delivery 2026-03-03 2, install 2026-03-02 2" ]] || fail "category_daily not refreshed as expected: $got"

[[ $(q -d "$DB" "${as_scheduler[@]}" -c "SELECT appraisal.unschedule_refresh()") == t ]] || fail "unschedule_refresh did not remove the job"
[[ $(q -d "$DB" "${as_scheduler[@]}" -c "SELECT appraisal.unschedule_refresh()") == f ]] || fail "unschedule_refresh of no job is not false"
[[ $(q -d "$DB" -c "SELECT count(*) FROM cron.job WHERE jobname = appraisal.cron_job_name()") == 0 ]] || fail "job still in cron.job"
echo "cron.sh: schedule, run, unschedule on pg_cron as a member of appraisal_admin, refused to others: ok"
