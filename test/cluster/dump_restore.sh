#!/usr/bin/env bash
# test/cluster/dump_restore.sh: configuration and data survive pg_dump and
# pg_restore.  Run by test/run_tests.sh inside its cluster.
#
# A database with the demo data plus user rows in every table, the tables
# of named values and configuration included (employees stored before the
# managers they reference, settings naming a user's grade scale and weight
# scheme, a user's questionnaire answered, a user's calendar in an SLA
# policy, a user's penalty rule charged and a shipped rule's amount
# changed, KPIs of the user's own, the database's pseudonym key, appeals
# with their decisions and a period published twice) is dumped in custom format and restored
# with plain pg_restore (one transaction per object, not
# --single-transaction), dumped in directory format and restored with -j 2
# (docs/operations.md's recipe: the data with triggers off), and dumped as SQL and replayed with psql.  Every table must then hold the
# same rows, shipped rows exactly once; the summaries are not computed
# until refresh_scorecards() (the tables empty, the materialized view not
# populated), and reading a scorecard says so; after it the summaries and
# the scorecards equal the source's.  Rows that a trigger
# checks against another table are restored whatever the order of the
# tables (pg_dump writes them in name order; -j loads them at once).
set -euo pipefail

SRC=appraisal_dump_src
DST=appraisal_dump_custom
PAR=appraisal_dump_parallel
SQL=appraisal_dump_plain
TMP=$(mktemp -d)
DIR=$TMP/src.dir
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP"
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fail() { echo "dump_restore.sh: $*" >&2; exit 1; }

for db in "$SRC" "$DST" "$PAR" "$SQL"; do
  q -d postgres -c "DROP DATABASE IF EXISTS $db"
done
q -d postgres -c "CREATE DATABASE $SRC"
q -d "$SRC" -c "CREATE EXTENSION appraisal" -c "CREATE EXTENSION appraisal_demo" -c "SELECT count(*) FROM appraisal.generate_demo_data(agents => 6, tickets => 2000, year => 2025)" >/dev/null
q -d "$SRC" <<'SQL'
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('mine', 'superior 50, peer 50');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('mine', '0..100: A >= 75, B');
-- (pg_dump writes the rows of settings before those of weight_scheme)
INSERT INTO appraisal.settings (name, value) VALUES ('min_raters', '2'), ('grade_scale', 'mine'), ('weight_scheme', 'mine');
-- Z1 reports to Z2, Z2 to Z3; after the updates the rows are stored Z1, Z2, Z3:
-- each before the manager it references
INSERT INTO appraisal.employees VALUES ('Z3', 'Head', 'manager', 'west', NULL);
INSERT INTO appraisal.employees VALUES ('Z2', 'Boss', 'supervisor', 'west', 'Z3');
INSERT INTO appraisal.employees VALUES ('Z1', 'Worker', 'specialist', 'west', 'Z2');
UPDATE appraisal.employees SET name = 'Big Boss' WHERE employee_id = 'Z2';
UPDATE appraisal.employees SET name = 'Head of West' WHERE employee_id = 'Z3';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id, pauses)
VALUES ('Z-1', '2025-06-02 09:00+08', '2025-06-02 10:00+08', '2025-06-03 10:00+08', 1, 'email', 'other', 'Z1',
        '{[2025-06-02 12:00+08,2025-06-02 15:00+08)}');
-- its call-back and a quality inspection of it
INSERT INTO appraisal.call_backs (ticket_id, called_at, caller, outcome, note)
VALUES ('Z-1', '2025-06-04 10:00+08', 'Z2', 'satisfied', 'called the next day');
INSERT INTO appraisal.quality_inspections (ticket_id, reviewer, inspected_on, score, note)
VALUES ('Z-1', 'Z2', '2025-06-10', 92.5, 'complete and polite');
-- a calendar of the user's, named by an SLA policy of the user's
INSERT INTO appraisal.business_calendars (name, calendar, description)
VALUES ('zz_west', 'Asia/Shanghai; Mon-Fri 08:30-17:30; holidays 2025-10-01..2025-10-07; workdays 2025-09-28', 'West office');
INSERT INTO appraisal.sla_policies (metric, channel, priority, target, calendar)
VALUES ('resolution', 'fax', NULL, '3 days', 'zz_west');
-- an item scale and a questionnaire of the user's (with the user's scale),
-- a run of it and answers: the answers sort before the items in name order
INSERT INTO appraisal.item_scale (name, scale, description) VALUES ('zz_yes_no', 'N [0,1) 0; Y [1,1] 5', 'yes or no');
INSERT INTO appraisal.survey_questionnaires (questionnaire, title) VALUES ('zz_short', 'Two questions');
INSERT INTO appraisal.survey_items (questionnaire, item_no, item, title, answer, scale) VALUES
  ('zz_short', 1, 'recommend', 'Would you recommend us?', '1 yes, 0 no', 'N [0,1) 0; Y [1,1] 5'),
  ('zz_short', 2, 'quality', 'Product quality', 'rating 0-100', (SELECT scale FROM appraisal.item_scale WHERE name = 'satisfaction_15'));
INSERT INTO appraisal.customers (customer_id, name, first_order_on, region) VALUES ('ZC1', 'Zeta Ltd', '2024-01-10', 'west');
INSERT INTO appraisal.survey_runs (run_id, questionnaire, period, region, opened_on, closed_on)
VALUES ('zz_run', 'zz_short', '2025', 'west', '2025-11-01', '2025-11-30');
INSERT INTO appraisal.customer_surveys (run_id, customer_id, sent_on, returned_on) VALUES ('zz_run', 'ZC1', '2025-11-03', '2025-11-10');
INSERT INTO appraisal.customer_survey_answers (run_id, customer_id, item_no, value) VALUES ('zz_run', 'ZC1', 1, 1), ('zz_run', 'ZC1', 2, 88);
-- a KPI of the user's with a result (kpi_results checks kpi_definitions)
INSERT INTO appraisal.kpi_definitions (position, kpi, weight, zero_at, full_at, description)
VALUES ('specialist', 'zz_training_hours', 1, 0, 40, 'Training hours');
INSERT INTO appraisal.kpi_results (period, employee_id, kpi, value) VALUES ('2025-Q2', 'Z1', 'zz_training_hours', 30);
-- an improvement period entered as HR decided (its check reads periods and
-- employees, which pg_dump writes after it)
INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline, target_points, opened_by, note)
VALUES ('Z1', '2025-Q2', '2025-09-30', 60, 'hr_lead', 'plan agreed with Z2');
-- a penalty rule of the user's, charged, and a later amount of a shipped rule
INSERT INTO appraisal.penalty_rules (rule_id, valid_from, description, amount, unit)
VALUES ('zz_no_show', '2025-01-01', 'Technician did not come', 300, 'case'),
       ('service_complaint', '2025-07-01', 'Service complaint, from July', 250, 'case'),
       ('bad_review', '2025-01-01', 'Bad review, the 2025 rules', 500, 'case');
INSERT INTO appraisal.providers (provider_id, name, region) VALUES ('ZP1', 'Zeta Repairs', 'west');
-- a role scoped to the west team
DROP ROLE IF EXISTS zz_west_lead;
CREATE ROLE zz_west_lead;
INSERT INTO appraisal.scorecard_access (grantee, team) VALUES ('zz_west_lead', 'west');
INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id)
VALUES ('zz_e1', 'ZP1', 'zz_no_show', '2025-08-05 10:00+08', 'ZO-1');
-- a sales company with the provider, its feedback, an installation order
-- reported online and offline, and a provider status (insert-only history)
INSERT INTO appraisal.sales_companies (sales_company_id, name) VALUES ('ZS1', 'Zeta Sales');
UPDATE appraisal.providers SET sales_company_id = 'ZS1' WHERE provider_id = 'ZP1';
INSERT INTO appraisal.sales_company_feedback (sales_company_id, period, score) VALUES ('ZS1', '2025-Q2', 75);
INSERT INTO appraisal.provider_orders (record_id, provider_id, order_id, channel, reported_at, due_at, completed_at)
VALUES ('zz_r1', 'ZP1', 'ZO-1', 'online', '2025-08-01 10:00+08', '2025-08-04 18:00+08', '2025-08-04 12:00+08'),
       ('zz_r2', 'ZP1', 'ZO-1', 'offline', '2025-08-02 10:00+08', NULL, NULL);
INSERT INTO appraisal.provider_status_history (provider_id, effective_from, status, reason)
VALUES ('ZP1', '2025-09-01', 'warned', 'a no-show in August');
SELECT count(*) FROM appraisal.refresh_scorecards();
-- appeals: the user's KPI result, upheld; a complaint's attribution, rejected
-- (a decision is a row of its own); 2025-Q2 published, then republished
SELECT appraisal.decide_appeal(appraisal.file_appeal('Z1', '2025-Q2', 'zz_training_hours', 36, 'a course was not counted'),
                               'upheld', 36, note => 'course certificate seen');
SELECT appraisal.decide_appeal(appraisal.file_attribution_appeal(ticket_id, CASE cause WHEN 'system' THEN 'service' ELSE 'system' END,
                                                                 'the cause was misread'), 'rejected')
FROM (SELECT ticket_id, cause FROM appraisal.tickets WHERE complaint ORDER BY ticket_id LIMIT 1) t;
SELECT count(*) FROM appraisal.publish_results('2025-Q2');
SELECT count(*) FROM appraisal.publish_results('2025-Q2');
SQL
# every table but setting_definitions and the refresh's bookkeeping
# (refresh_log, refresh_state, recurred_tickets, active_tickets: the extension's own, not
# dumped; comeback_staging, agent_daily_rows's work table on Citus, empty)
# holds rows of the user's
empty=$(q -d "$SRC" -c "
  SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY c.relname) FROM pg_class c
  WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'r'
    AND c.relname NOT IN ('setting_definitions', 'refresh_log', 'refresh_state', 'recurred_tickets', 'active_tickets', 'comeback_staging')
    AND (xpath('/row/n/text()', query_to_xml(format(
          'SELECT count(*) AS n FROM %s x WHERE NOT coalesce((to_jsonb(x) ->> ''shipped'')::boolean, false)',
          c.oid::regclass), false, true, '')))[1]::text::bigint = 0")
[[ -z $empty ]] || fail "tables without rows of the user's: $empty"
order=$(q -d "$SRC" -c "SELECT string_agg(employee_id, ' ' ORDER BY ctid) FROM appraisal.employees WHERE employee_id LIKE 'Z%'")
[[ $order == "Z1 Z2 Z3" ]] || fail "the employee rows are not stored subordinate first ($order)"

pg_dump -Fc -f "$TMP/src.dump" "$SRC"
pg_dump -Fd -f "$DIR" "$SRC"
pg_dump -Fp -f "$TMP/src.sql" "$SRC"
q -d postgres -c "CREATE DATABASE $DST" -c "CREATE DATABASE $PAR" -c "CREATE DATABASE $SQL"
pg_restore --exit-on-error -d "$DST" "$TMP/src.dump" || fail "pg_restore (custom format) failed"
# In parallel: pg_restore -j loads the data of extension tables without
# regard to the foreign keys between them (its table of contents orders
# them for a serial restore only) while CREATE EXTENSION has created those
# keys already; so the recipe of docs/operations.md loads the data section
# with the tables' triggers, foreign-key checks included, switched off
# (--data-only --disable-triggers: the rows come from a consistent dump).
pg_restore --exit-on-error -j 2 --section=pre-data -d "$PAR" "$DIR" || fail "pg_restore -j 2 --section=pre-data failed"
pg_restore --exit-on-error -j 2 --data-only --disable-triggers -d "$PAR" "$DIR" ||
  fail "pg_restore -j 2 --data-only --disable-triggers failed"
pg_restore --exit-on-error -j 2 --section=post-data -d "$PAR" "$DIR" || fail "pg_restore -j 2 --section=post-data failed"
psql -X -q -v ON_ERROR_STOP=1 -d "$SQL" -f "$TMP/src.sql" >/dev/null || fail "replaying the plain dump failed"

# every table, row by row (as text), and the shipped rows once; but the
# refresh's bookkeeping and the summaries it computes, not dumped: a
# restored database has not refreshed its summaries yet, and says so
tables=$(q -d "$SRC" -c "SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY 1) FROM pg_class c
                         WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'r'
                           AND c.relname NOT IN ('refresh_log', 'refresh_state', 'recurred_tickets', 'active_tickets', 'comebacks_kept',
                                                 'agent_daily', 'agent_daily_csat', 'agent_daily_follow_up', 'category_daily')")
for db in "$DST" "$PAR" "$SQL"; do
  got=$(q -d "$db" -c "SELECT concat_ws(' ', last_refresh IS NULL, populated, up_to_date) FROM appraisal.refresh_status")
  [[ $got == "t f f" ]] || fail "refresh_status after restore into $db: $got (want never refreshed, not populated, not up to date)"
done
digest() { q -d "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $2 t"; }
for t in $tables; do
  want=$(digest "$SRC" "$t")
  for db in "$DST" "$PAR" "$SQL"; do
    got=$(digest "$db" "$t")
    [[ $got == "$want" ]] || fail "$t differs in $db after restore: $got, source $want"
  done
  echo "$t: ${want%% *} rows restored alike"
done

# the pseudonym key came back with the data: a new event of a known
# customer gets the pseudonym that customer's restored events have
known=$(q -d "$SRC" -c "SELECT format('%L, %L, %L, %L', provider_id, customer_phone, customer_address, customer_key)
                        FROM appraisal.provider_events WHERE customer_key IS NOT NULL ORDER BY event_id LIMIT 1")
[[ -n $known ]] || fail "no provider event with a pseudonym in the source"
for db in "$DST" "$PAR" "$SQL"; do
  got=$(q -d "$db" -c "
    WITH k(provider_id, phone, address, customer_key) AS (VALUES ($known)),
    ins AS (INSERT INTO appraisal.provider_events (event_id, provider_id, rule_id, occurred_at, order_id, customer_phone, customer_address, source)
            SELECT 'zz_after_restore', provider_id, 'service_complaint', '2025-12-30 02:00+00', 'ZO-9', phone, address, 'web' FROM k
            RETURNING customer_key)
    SELECT ins.customer_key = k.customer_key FROM ins, k")
  [[ $got == t ]] || fail "a new event of a known customer got another pseudonym in $db: the key was not restored"
  q -d "$db" -c "DELETE FROM appraisal.provider_events WHERE event_id = 'zz_after_restore'"
done
echo "pseudonym key restored: a known customer's new event gets the same pseudonym"

# the summaries are not dumped (nor the tickets that recurred and the
# active tickets, which the refresh keeps with them): after a restore the
# tables are empty, the materialized view is not populated, and a
# scorecard says to refresh; the first refresh computes them all again
mvs="agent_daily agent_daily_csat agent_daily_follow_up category_daily period_ratings recurred_tickets"
for db in "$DST" "$PAR" "$SQL"; do
  got=$(q -d "$db" -c "SELECT (SELECT count(*) FROM appraisal.agent_daily) + (SELECT count(*) FROM appraisal.agent_daily_csat)
                            + (SELECT count(*) FROM appraisal.agent_daily_follow_up) + (SELECT count(*) FROM appraisal.category_daily)
                            + (SELECT count(*) FROM appraisal.recurred_tickets) + (SELECT count(*) FROM appraisal.active_tickets)
                            || ' ' || (SELECT relispopulated FROM pg_class WHERE oid = 'appraisal.period_ratings'::regclass)
                            || ' ' || (SELECT refreshed_at IS NULL FROM appraisal.refresh_state)")
  [[ $got == "0 false true" ]] || fail "summaries after restore into $db (rows in the tables, period_ratings populated, never refreshed): $got"
  out=$(q -d "$db" -c "SELECT count(*) FROM appraisal.period_ratings" 2>&1) && fail "appraisal.period_ratings readable before refresh in $db"
  [[ $out == *'materialized view "period_ratings" has not been populated'* ]] || fail "unexpected error reading period_ratings before refresh in $db: $out"
  for view in agent_scorecard team_scorecard complaint_pareto; do
    out=$(q -d "$db" -c "SELECT count(*) FROM appraisal.$view" 2>&1) && fail "$view readable before refresh in $db"
    [[ $out == *"the scorecards' summaries have not been computed yet"* ]] || fail "unexpected error from $view before refresh in $db: $out"
  done
  got=$(q -d "$db" -c "SELECT string_agg(materialized_view || ' ' || mode, ', ' ORDER BY materialized_view) FROM appraisal.refresh_scorecards()")
  [[ $got == "appraisal.agent_daily full, appraisal.agent_daily_csat full, appraisal.agent_daily_follow_up full, appraisal.category_daily full, appraisal.period_ratings full" ]] ||
    fail "first refresh after restore into $db: $got"
done
echo "before refresh: $out"

# after the refresh the materialized views equal the source's (as_of aside)
for mv in $mvs; do
  md() { q -d "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(j::text, '|' ORDER BY j::text), ''))
                       FROM (SELECT to_jsonb(x) - 'as_of' AS j FROM appraisal.$mv x) s"; }
  want=$(md "$SRC")
  for db in "$DST" "$PAR" "$SQL"; do
    got=$(md "$db")
    [[ $got == "$want" ]] || fail "appraisal.$mv differs in $db after restore and refresh: $got, source $want"
  done
  echo "appraisal.$mv: ${want%% *} rows alike after refresh"
done

# after the refresh the scorecards equal the source's (as_of aside)
for v in agent_scorecard team_scorecard scorecard_360 kpi_breakdown overall_appraisal annual_results complaint_pareto complaint_spikes \
         kpi_appeals attribution_appeals published_appraisal published_differences improvement_outcomes; do
  vd() { q -d "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(j::text, '|' ORDER BY j::text), ''))
                       FROM (SELECT to_jsonb(x) - 'as_of' AS j FROM appraisal.$v x) s"; }
  want=$(vd "$SRC")
  for db in "$DST" "$PAR" "$SQL"; do
    got=$(vd "$db")
    [[ $got == "$want" ]] || fail "appraisal.$v differs in $db after restore and refresh: $got, source $want"
  done
  echo "appraisal.$v: ${want%% *} rows alike after refresh"
done

for db in "$SRC" "$DST" "$PAR" "$SQL"; do
  q -d postgres -c "DROP DATABASE $db"
done
q -d postgres -c "DROP ROLE zz_west_lead"
echo "dump_restore.sh: pg_dump -Fc + pg_restore, pg_dump -Fd + pg_restore -j 2 and pg_dump -Fp + psql keep every row: ok"
