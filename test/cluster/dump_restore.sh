#!/usr/bin/env bash
# test/cluster/dump_restore.sh: configuration and data survive pg_dump and
# pg_restore.  Run by test/run_tests.sh inside its cluster.
#
# A database with the demo data plus user rows in every configuration table
# (employees stored before the managers they reference, settings naming a
# user's grade scale and weight scheme) is dumped in custom format and
# restored with plain pg_restore (one transaction per object, not
# --single-transaction) and section by section with -j 4 for all but the data
# (the recipe for a parallel restore in docs/operations.md), and dumped as SQL
# and replayed with psql.  Every table must then hold the same rows, shipped
# rows exactly once; the materialized views are unpopulated until
# refresh_scorecards(), and reading them or a scorecard says so; after it the
# scorecards equal the source's.
set -euo pipefail

SRC=appraisal_dump_src
DST=appraisal_dump_custom
PAR=appraisal_dump_parallel
SQL=appraisal_dump_plain
TMP=$(mktemp -d)
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
SELECT count(*) FROM appraisal.refresh_scorecards();
SQL
order=$(q -d "$SRC" -c "SELECT string_agg(employee_id, ' ' ORDER BY ctid) FROM appraisal.employees WHERE employee_id LIKE 'Z%'")
[[ $order == "Z1 Z2 Z3" ]] || fail "the employee rows are not stored subordinate first ($order)"

pg_dump -Fc -f "$TMP/src.dump" "$SRC"
pg_dump -Fp -f "$TMP/src.sql" "$SRC"
q -d postgres -c "CREATE DATABASE $DST" -c "CREATE DATABASE $PAR" -c "CREATE DATABASE $SQL"
pg_restore --exit-on-error -d "$DST" "$TMP/src.dump" || fail "pg_restore failed"
# pg_restore -j loads table data in parallel regardless of the foreign keys
# between appraisal's tables (their data entries depend only on their table
# in the archive's table of contents), and fails: the recipe of docs/operations.md restores
# the data section serially and the rest in parallel.
for section in pre-data data post-data; do
  jobs=(); [[ $section == data ]] || jobs=(-j 4)
  pg_restore --exit-on-error "${jobs[@]}" --section=$section -d "$PAR" "$TMP/src.dump" ||
    fail "pg_restore ${jobs[*]} --section=$section failed"
done
psql -X -q -v ON_ERROR_STOP=1 -d "$SQL" -f "$TMP/src.sql" >/dev/null || fail "replaying the plain dump failed"

# every table, row by row (as text), and the shipped rows once
tables=$(q -d "$SRC" -c "SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY 1) FROM pg_class c
                         WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'r'")
digest() { q -d "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $2 t"; }
for t in $tables; do
  want=$(digest "$SRC" "$t")
  for db in "$DST" "$PAR" "$SQL"; do
    got=$(digest "$db" "$t")
    [[ $got == "$want" ]] || fail "$t differs in $db after restore: $got, source $want"
  done
  echo "$t: ${want%% *} rows restored alike"
done

# materialized views are not dumped: they and a scorecard say they need a refresh
mvs="agent_daily agent_daily_csat category_daily period_ratings"
for db in "$DST" "$PAR" "$SQL"; do
  got=$(q -d "$db" -c "SELECT string_agg(relname || ' ' || relispopulated, ', ' ORDER BY relname) FROM pg_class
                       WHERE relnamespace = 'appraisal'::regnamespace AND relkind = 'm'")
  [[ $got == "agent_daily false, agent_daily_csat false, category_daily false, period_ratings false" ]] ||
    fail "materialized views after restore into $db: $got"
  for mv in $mvs; do
    out=$(q -d "$db" -c "SELECT count(*) FROM appraisal.$mv" 2>&1) && fail "appraisal.$mv readable before refresh in $db"
    [[ $out == *"materialized view \"$mv\" has not been populated"* ]] || fail "unexpected error reading $mv before refresh in $db: $out"
  done
  out=$(q -d "$db" -c "SELECT count(*) FROM appraisal.agent_scorecard" 2>&1) && fail "agent_scorecard readable before refresh in $db"
  [[ $out == *'materialized view "agent_daily" has not been populated'* ]] || fail "unexpected error before refresh in $db: $out"
  got=$(q -d "$db" -c "SELECT string_agg(materialized_view || ' ' || mode, ', ' ORDER BY materialized_view) FROM appraisal.refresh_scorecards()")
  [[ $got == "appraisal.agent_daily full, appraisal.agent_daily_csat full, appraisal.category_daily full, appraisal.period_ratings full" ]] ||
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
for v in agent_scorecard team_scorecard scorecard_360 kpi_breakdown overall_appraisal annual_results complaint_pareto complaint_spikes; do
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
echo "dump_restore.sh: pg_dump -Fc + pg_restore (also by section, -j 4) and pg_dump -Fp + psql keep every row: ok"
