#!/usr/bin/env bash
# test/citus/run.sh: appraisal on a Citus cluster (a coordinator and two
# workers on loopback).  Skips, saying so, when Citus is not installed for
# PostgreSQL 15 (it is not a Debian package; see docs/scaling.md), or when
# the server does not start with its citus.so preloaded but does without it
# (shown with the server's log).  run_tests.sh calls it
# outside its own cluster.
#
# Checks that every aggregate gives on a table distributed by agent the same
# answer, as text, as on a local copy of the same rows: ungrouped and grouped
# by a column other than the distribution column (partial aggregation on the
# workers, states shipped as text to the coordinator and combined there), and
# grouped by the distribution column (pushed down whole); that EXPLAIN shows
# worker_partial_agg and coord_combine_agg for each; rollup() of stored
# summaries in a distributed table; named configuration, which each node
# looks up in its own tables.  Then the whole product (product.sql):
# appraisal.distribute() on the demo, the constraints on the cluster, more
# rows loaded (load.sql), the refresh recomputing only what they changed
# (incremental.sql), and every view equal row for row to a single-node
# database holding the same (compare.sql).  Prints "ok ..." or "FAILED ..." per check and
# "citus: N passed, M failed"; exit status 1 on a failure.
#
#   CITUS_PG_CONFIG  pg_config of the server (default PostgreSQL 15's)
#   CITUS_KEEP=1     leave the clusters' directory behind
#   CITUS_BENCH_ROWS after the checks, time named configuration against the
#                    same values on that many distributed rows
#                    (names_bench.sql; make citus-bench)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PG_CONFIG=${CITUS_PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
if [[ ! -x $PG_CONFIG ]] || [[ ! -f $("$PG_CONFIG" --pkglibdir)/citus.so ]]; then
  echo "citus: not installed, skipping (no citus.so in ${PG_CONFIG%/bin/pg_config} pkglibdir)"
  exit 0
fi
if [[ ! -f $("$PG_CONFIG" --sharedir)/extension/citus.control ]]; then
  echo "citus: not installed, skipping (citus.so is there but not citus.control in $("$PG_CONFIG" --sharedir)/extension)"
  exit 0
fi
bindir=$("$PG_CONFIG" --bindir)

# PostgreSQL will not run as root: run everything below as postgres, from a
# copy of this directory it can read
if (( EUID == 0 )); then
  work=$(mktemp -d -t appraisal-citus.XXXXXX)
  cp "$here"/*.sh "$here"/*.sql "$work"/
  chown -R postgres "$work"
  rc=0
  runuser -u postgres -- env CITUS_PG_CONFIG="$PG_CONFIG" CITUS_KEEP="${CITUS_KEEP:-}" \
    CITUS_DESTDIR="${CITUS_DESTDIR:-}" CITUS_BENCH_ROWS="${CITUS_BENCH_ROWS:-}" CITUS_WORK="$work" bash "$work/run.sh" || rc=$?
  [[ -n ${CITUS_KEEP:-} ]] || rm -rf "$work"
  exit $rc
fi
work=${CITUS_WORK:-$(mktemp -d -t appraisal-citus.XXXXXX)}
cd "$work"

# Three clusters on free ports, below the kernel's range of ephemeral ports
# (32768-60999 by default), where any process's outgoing connection may take
# a port at any moment: at 55434 a server once failed to bind ("Address
# already in use") a port that a connect() had found free just before.  A
# server that still cannot bind its port moves on to the next free one.
ports=()
next_port=25432
take_free_port() {  # sets port
  while (exec 3<>/dev/tcp/127.0.0.1/$next_port) 2>/dev/null; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}
names=(coordinator worker1 worker2)
stop_all() {
  for n in "${names[@]}"; do
    [[ -f $work/$n/postmaster.pid ]] && "$bindir/pg_ctl" -D "$work/$n" -m immediate stop >/dev/null 2>&1 || true
  done
}
trap stop_all EXIT
# A server that will not start with citus preloaded: show its log, then
# start the same cluster without citus.  If that starts, the citus.so in
# pkglibdir is no Citus this server can run (a library it links missing,
# built for another server, a damaged or truncated file, which kills the
# postmaster with a bus error before it logs a line, as a truncated copy does
# here): there is no Citus installation to test, so say why and skip.  If it
# does not start either, the cluster itself is wrong: fail.
citus_start_failed() {
  local n=$1 why
  echo "citus: the $n server did not start with citus preloaded; its log:"
  if [[ -s $work/$n.log ]]; then tail -n 20 "$work/$n.log" | sed 's/^/  | /'; else echo "  | (empty)"; fi
  why=$(grep -m1 -E '(FATAL|PANIC): ' "$work/$n.log" | sed -E 's/^.*(FATAL|PANIC): +//' || true)
  echo "shared_preload_libraries = ''" >> "$work/$n/postgresql.conf"
  if ! "$bindir/pg_ctl" -D "$work/$n" -l "$work/$n.plain.log" -w start >/dev/null; then
    echo "citus: it does not start without citus either; its log:"
    tail -n 20 "$work/$n.plain.log" | sed 's/^/  | /'
    exit 1
  fi
  "$bindir/pg_ctl" -D "$work/$n" -w stop >/dev/null
  echo "citus: not installed, skipping (the server starts without citus, but not with $("$PG_CONFIG" --pkglibdir)/citus.so preloaded: ${why:-the postmaster died before logging a line})"
  exit 0
}
for i in 0 1 2; do
  n=${names[$i]}
  "$bindir/initdb" -D "$work/$n" -A trust -U postgres --locale=C.UTF-8 --encoding=UTF8 >/dev/null
  cat >> "$work/$n/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work'
shared_preload_libraries = 'citus'
max_worker_processes = 16
statement_timeout = '5min'
CONF
  [[ -n ${CITUS_DESTDIR:-} ]] && echo "extension_destdir = '$CITUS_DESTDIR'" >> "$work/$n/postgresql.conf"
  for try in $(seq 10); do
    take_free_port
    echo "port = $port" >> "$work/$n/postgresql.conf"   # the last one counts
    ports[$i]=$port
    rm -f "$work/$n.log"
    "$bindir/pg_ctl" -D "$work/$n" -l "$work/$n.log" -w start >/dev/null 2>&1 && break
    if (( try < 10 )) && grep -q 'could not create any TCP/IP sockets' "$work/$n.log"; then
      echo "citus: port $port was taken when the $n server started; trying the next free one"
      continue
    fi
    citus_start_failed "$n"
  done
done
export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=postgres
q() { local port=$1; shift; "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }

echo "citus: coordinator on port ${ports[0]}, workers on ${ports[1]} and ${ports[2]}"
q "${ports[0]}" -Atc "CREATE EXTENSION citus" -c "SELECT 'citus: ' || citus_version()"
for i in 1 2; do q "${ports[$i]}" -c "CREATE EXTENSION citus"; done
q "${ports[0]}" -c "SELECT citus_set_coordinator_host('127.0.0.1', ${ports[0]})" \
  -c "SELECT citus_add_node('127.0.0.1', ${ports[1]})" -c "SELECT citus_add_node('127.0.0.1', ${ports[2]})" >/dev/null
# CREATE EXTENSION on the coordinator creates it on every worker as well
q "${ports[0]}" -c "CREATE EXTENSION appraisal"
for i in 1 2; do
  v=$(q "${ports[$i]}" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'appraisal'")
  echo "citus: appraisal $v on ${names[$i]} (created by the coordinator's CREATE EXTENSION)"
done

rc=0
q "${ports[0]}" -v worker1="${ports[1]}" -f "$work/checks.sql" 2>&1 | tee "$work/checks.out" || rc=$?

# The whole product on the cluster (product.sql): database "product" on
# every node, the demo generated on the coordinator, then distribute(), the
# constraints checked, more rows loaded and the summaries refreshed
# (load.sql); beside it database "single" of the coordinator, without the
# citus extension, holding the same demo and the same rows loaded: every
# view, summary and period_ratings compared, row for row (compare.sql).
if (( rc == 0 )); then
  for i in 0 1 2; do
    q "${ports[$i]}" -c "SET client_min_messages = warning" -c "CREATE DATABASE product"
    q "${ports[$i]}" -d product -c "CREATE EXTENSION citus"
  done
  q "${ports[0]}" -d product -c "SET client_min_messages = warning" \
    -c "SELECT citus_set_coordinator_host('127.0.0.1', ${ports[0]})" \
    -c "SELECT citus_add_node('127.0.0.1', ${ports[1]})" -c "SELECT citus_add_node('127.0.0.1', ${ports[2]})" \
    -c "CREATE EXTENSION appraisal" -c "CREATE EXTENSION appraisal_demo" \
    -c "SELECT count(*) FROM appraisal.generate_demo_data(agents => 24, tickets => 20000)" >/dev/null
  q "${ports[0]}" -c "SET client_min_messages = warning" -c "CREATE DATABASE single"
  q "${ports[0]}" -d single -c "SET client_min_messages = warning" -c "CREATE EXTENSION appraisal" \
    -c "CREATE EXTENSION appraisal_demo" -c "SELECT count(*) FROM appraisal.generate_demo_data(agents => 24, tickets => 20000)" \
    -c "SELECT count(*) FROM appraisal.refresh_scorecards()" >/dev/null
  q "${ports[0]}" -d single -v csv="$work/new_tickets.csv" -f "$work/new_tickets.sql" >/dev/null
  q "${ports[0]}" -d product -f "$work/product.sql" 2>"$work/product.err" | tee -a "$work/checks.out" || rc=$?
  # Where the summaries are computed: the plan of the query a summary's
  # function runs (auto_explain of the nested statement, from the line
  # that starts its text)
  summary_plan() {
    q "${ports[0]}" -d product -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" \
      -c "SET auto_explain.log_nested_statements = on" -c "SET auto_explain.log_level = notice" \
      -c "SELECT count(*) FROM appraisal.$1(NULL, NULL)" 2>&1 >/dev/null |
      awk '/WITH asked AS MATERIALIZED/ { p = 1 } /NOTICE:/ { if (p) exit } p' || true
  }
  # a summary computed on the workers ($1 the function, $2 what it is called
  # in the message): its tasks aggregate and scan the shards of $3, and
  # Citus computes no subplan to ship them ($4 says what) -- or, with $5
  # grouped, each subplan is grouped rows (the first node under it an
  # aggregate of what its tasks aggregated), never rows of the shards
  on_workers() {
    local plan tasks subplans
    plan=$(summary_plan "$1")
    tasks=$(sed -n '/->  Task/,$p' <<<"$plan")   # (no grep -q after a pipe: see below)
    subplans=$(grep -c 'Distributed Subplan' <<<"$plan" || true)
    if [[ -n $tasks ]] && grep -q 'Aggregate' <<<"$tasks" && grep -q "Seq Scan on $3_" <<<"$tasks" &&
       { [[ $subplans == 0 ]] ||
         { [[ ${5:-} == grouped ]] &&
           [[ $(grep -A1 'Distributed Subplan' <<<"$plan" | grep -c -- '->  [A-Za-z]*Aggregate') == "$subplans" ]]; }; }; then
      echo "ok $2 is computed on the workers: $4 aggregated there, $(
        [[ $subplans == 0 ]] && echo 'no subplan' || echo 'the subplan their grouped rows')"
    else
      echo "FAILED $2 is not computed on the workers; its plan:"; sed 's/^/  /' <<<"$plan"
    fi | tee -a "$work/checks.out"
  }
  on_workers agent_daily_csat_rows agent_daily_csat survey_responses "each shard's responses and tickets"
  # (the follow-up's pass groups by agent, day and scale, then by agent and
  # day: the first grouping on the workers, combined into a subplan, the
  # second of those rows)
  on_workers agent_daily_csat_follow_up_rows agent_daily_follow_up call_backs \
    "each shard's tickets, calls, responses and inspections" grouped
  # agent_daily: the commands the coordinator sends (its plan cannot be read
  # through auto_explain: it reads reference tables through SQL functions)
  sent_to_workers() {   # the commands the coordinator sends the workers for a call
    q "${ports[0]}" -d product -c "SET citus.log_remote_commands = on" -c "SET client_min_messages = notice" \
      -c "SELECT count(*) FROM appraisal.$1" 2>&1 >/dev/null | grep 'issuing' || true
  }
  sent=$(sent_to_workers 'category_daily_rows(NULL)')
  if (( $(grep 'tickets_' <<<"$sent" | grep -c 'GROUP BY') > 0 &&
        $(grep 'tickets_' <<<"$sent" | grep -c -v 'GROUP BY') == 0 )); then
    echo "ok category_daily is computed on the workers: each shard's tickets grouped there"
  else
    echo "FAILED category_daily is not computed on the workers; the commands sent:"; cut -c1-300 <<<"$sent" | sed 's/^/  /'
  fi | tee -a "$work/checks.out"
  # the health check's scan of the tickets: grouped on the shards, with the
  # report time zone a constant (joined to every ticket from an intermediate
  # result, it made each shard's scan read that result again for every row)
  sent=$(sent_to_workers 'check_data_health()')
  if (( $(grep 'tickets_' <<<"$sent" | grep -c 'GROUP BY') > 0 &&
        $(grep 'tickets_' <<<"$sent" | grep -c -v 'GROUP BY') == 0 &&
        $(grep 'tickets_' <<<"$sent" | grep -c 'read_intermediate_result') == 0 )); then
    echo "ok the health check's scan of the tickets is grouped on the workers, its settings constants"
  else
    echo "FAILED the health check's scan of the tickets is not grouped on the workers with its settings as constants; the commands sent:"
    grep 'tickets_' <<<"$sent" | cut -c1-300 | sed 's/^/  /'
  fi | tee -a "$work/checks.out"
  sent=$(sent_to_workers 'agent_daily_rows(NULL, NULL)')
  # (grep -c, not -q, after a pipe: the lines are long, and under pipefail
  # a grep that stops reading early fails the grep writing to it)
  if (( $(grep 'worker_partition_query_result' <<<"$sent" | grep -c 'tickets_') > 0 &&
        $(grep 'comeback_staging_' <<<"$sent" | grep 'lead(' | grep -c "worker_partial_agg('appraisal.fcr_agg") > 0 &&
        $(grep 'tickets_' <<<"$sent" | grep -c "worker_partial_agg('appraisal.sla_agg") > 0 &&
        $(grep 'tickets_' <<<"$sent" | grep -v 'GROUP BY' | grep -c -v 'worker_partition_query_result') == 0 )); then
    echo "ok agent_daily is computed on the workers: the comebacks' tickets repartitioned by customer from worker to worker, the comeback window and FCR there, the rest aggregated on the tickets' shards; no ticket reaches the coordinator"
  else
    echo "FAILED agent_daily is not computed on the workers; the commands sent:"; cut -c1-300 <<<"$sent" | sed 's/^/  /'
  fi | tee -a "$work/checks.out"
  for db in product single; do
    q "${ports[0]}" -d $db -v csv="$work/new_tickets.csv" -f "$work/load.sql" >/dev/null || rc=$?
    q "${ports[0]}" -d $db -v dump= -f "$work/compare.sql" | grep '^appraisal\.' | LC_ALL=C sort > "$work/compare.$db" || rc=$?
  done
  q "${ports[0]}" -d product -f "$work/incremental.sql" 2>>"$work/product.err" | tee -a "$work/checks.out" || rc=$?
  (( rc == 0 )) || cat "$work/product.err"
  # one line per relation: name, rows, hash of the rows
  LC_ALL=C join -a1 -a2 -e missing -o 0,1.2,1.3,2.2,2.3 "$work/compare.product" "$work/compare.single" |
    while read -r rel n1 h1 n2 h2; do
      if [[ $n1 == "$n2" && $h1 == "$h2" ]]; then
        echo "ok the cluster's $rel equals the single node's ($n1 rows)"
      else
        echo "FAILED the cluster's $rel ($n1 rows) differs from the single node's ($n2 rows); the cluster's rows, then the single node's:"
        for db in product single; do q "${ports[0]}" -d $db -v dump="$rel" -f "$work/compare.sql" | sed "s/^/  $db: /" | head -20; done
      fi
    done | tee -a "$work/checks.out"
  (( $(wc -l < "$work/compare.product") >= 40 )) || { echo "FAILED the comparison covers $(wc -l < "$work/compare.product") relations"; } | tee -a "$work/checks.out"
fi
passed=$(grep -c '^ok ' "$work/checks.out" || true)
failed=$(grep -c '^FAILED ' "$work/checks.out" || true)
if (( rc != 0 && failed == 0 )); then failed=1; echo "FAILED: the checks stopped (exit status $rc)"; fi
echo "citus: $passed passed, $failed failed"
# CITUS_BENCH_ROWS=N (make citus-bench): then names against values on N rows
if [[ -n ${CITUS_BENCH_ROWS:-} ]]; then
  q "${ports[0]}" -d postgres -v rows="$CITUS_BENCH_ROWS" -f "$work/names_bench.sql"
fi
(( failed == 0 ))
