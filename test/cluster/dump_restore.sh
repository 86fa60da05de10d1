#!/usr/bin/env bash
# test/cluster/dump_restore.sh: configuration and data survive pg_dump and
# pg_restore.  Run by test/run_tests.sh inside its cluster.
#
# A database with the demo data plus user rows in every configuration table
# (including an employee stored before the manager it references) is dumped
# in custom format and restored with plain pg_restore (one transaction per
# object, not --single-transaction), and dumped as SQL and replayed with psql.
# Every table must then hold the same rows, shipped rows exactly once; the
# materialized views are empty until refresh_scorecards(), and reading a
# scorecard says so; after it the scorecards equal the source's.
set -euo pipefail

SRC=appraisal_dump_src
DST=appraisal_dump_custom
SQL=appraisal_dump_plain
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP"
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fail() { echo "dump_restore.sh: $*" >&2; exit 1; }

for db in "$SRC" "$DST" "$SQL"; do
  q -d postgres -c "DROP DATABASE IF EXISTS $db"
done
q -d postgres -c "CREATE DATABASE $SRC"
q -d "$SRC" -c "CREATE EXTENSION appraisal" -c "SELECT count(*) FROM appraisal.generate_demo_data(agents => 6, tickets => 2000, year => 2025)" >/dev/null
q -d "$SRC" <<'SQL'
INSERT INTO appraisal.weight_scheme (name, scheme) VALUES ('mine', 'superior 50, peer 50');
INSERT INTO appraisal.grade_scale (name, scale) VALUES ('mine', '0..100: A >= 75, B');
INSERT INTO appraisal.settings (name, value) VALUES ('min_raters', '2'), ('grade_scale', 'mine');
-- Z1 refers to Z2, and after the update Z2's row is stored after Z1's
INSERT INTO appraisal.employees VALUES ('Z2', 'Boss', 'supervisor', 'west', NULL);
INSERT INTO appraisal.employees VALUES ('Z1', 'Worker', 'specialist', 'west', 'Z2');
UPDATE appraisal.employees SET name = 'Big Boss' WHERE employee_id = 'Z2';
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id, pauses)
VALUES ('Z-1', '2025-06-02 09:00+08', '2025-06-02 10:00+08', '2025-06-03 10:00+08', 1, 'email', 'other', 'Z1',
        '{[2025-06-02 12:00+08,2025-06-02 15:00+08)}');
SELECT count(*) FROM appraisal.refresh_scorecards();
SQL
order=$(q -d "$SRC" -c "SELECT string_agg(employee_id, ' ' ORDER BY ctid) FROM appraisal.employees WHERE employee_id LIKE 'Z%'")
[[ $order == "Z1 Z2" ]] || fail "the employee rows are not stored subordinate first ($order)"

pg_dump -Fc -f "$TMP/src.dump" "$SRC"
pg_dump -Fp -f "$TMP/src.sql" "$SRC"
q -d postgres -c "CREATE DATABASE $DST" -c "CREATE DATABASE $SQL"
pg_restore --exit-on-error -d "$DST" "$TMP/src.dump" || fail "pg_restore failed"
psql -X -q -v ON_ERROR_STOP=1 -d "$SQL" -f "$TMP/src.sql" >/dev/null || fail "replaying the plain dump failed"

# every table, row by row (as text), and the shipped rows once
tables=$(q -d "$SRC" -c "SELECT string_agg(c.oid::regclass::text, ' ' ORDER BY 1) FROM pg_class c
                         WHERE c.relnamespace = 'appraisal'::regnamespace AND c.relkind = 'r'")
digest() { q -d "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM $2 t"; }
for t in $tables; do
  want=$(digest "$SRC" "$t")
  for db in "$DST" "$SQL"; do
    got=$(digest "$db" "$t")
    [[ $got == "$want" ]] || fail "$t differs in $db after restore: $got, source $want"
  done
  echo "$t: ${want%% *} rows restored alike"
done

# materialized views are not dumped: a scorecard says it needs a refresh
for db in "$DST" "$SQL"; do
  out=$(q -d "$db" -c "SELECT count(*) FROM appraisal.agent_scorecard" 2>&1) && fail "agent_scorecard readable before refresh in $db"
  [[ $out == *'materialized view "agent_daily" has not been populated'* ]] || fail "unexpected error before refresh in $db: $out"
  q -d "$db" -c "SELECT count(*) FROM appraisal.refresh_scorecards()" >/dev/null
done
echo "before refresh: $out"

# after the refresh the scorecards equal the source's (as_of aside)
for v in agent_scorecard team_scorecard scorecard_360 kpi_breakdown overall_appraisal annual_results complaint_pareto complaint_spikes; do
  vd() { q -d "$1" -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(j::text, '|' ORDER BY j::text), ''))
                       FROM (SELECT to_jsonb(x) - 'as_of' AS j FROM appraisal.$v x) s"; }
  want=$(vd "$SRC")
  for db in "$DST" "$SQL"; do
    got=$(vd "$db")
    [[ $got == "$want" ]] || fail "appraisal.$v differs in $db after restore and refresh: $got, source $want"
  done
  echo "appraisal.$v: ${want%% *} rows alike after refresh"
done

for db in "$SRC" "$DST" "$SQL"; do
  q -d postgres -c "DROP DATABASE $db"
done
echo "dump_restore.sh: pg_dump -Fc + pg_restore and pg_dump -Fp + psql keep every row: ok"
