#!/usr/bin/env bash
# test/bench/run.sh: what `make bench` runs.  Not part of `make test`: it
# reports ratios of times measured side by side in one run and never fails on
# a time (it fails only when a baseline disagrees with our answer, since then
# the comparison would mean nothing).
#
# In a throwaway cluster (pg_virtualenv) it generates the demo service centre
# (generate_demo_data) plus a table of 360 ratings, checks that every
# hand-written baseline returns our answers, times every query BENCH_ROUNDS
# times interleaved (each round runs each query serially and with 2 parallel
# workers), times the scorecard refresh, and measures peak memory of
# aggregates in fresh sessions.  Writes $BENCH_OUT/bench-<stamp>.md and .json
# (and latest.md / latest.json) and prints the markdown.
#
#   BENCH_TICKETS  tickets (default 10000000)
#   BENCH_RATINGS  360 ratings (default 1000000)
#   BENCH_AGENTS   agents the tickets are spread over (default 1000)
#   BENCH_ROUNDS   repetitions of every query (default 5)
#   BENCH_IMPORT   tickets in the file appraisal.import is timed on (default 1000000)
#   BENCH_WRITER_SECONDS  each pgbench run of single-ticket inserts (default 30)
#   BENCH_OUT      output directory (default bench-results)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export BENCH_TICKETS=${BENCH_TICKETS:-10000000}
export BENCH_RATINGS=${BENCH_RATINGS:-1000000}
export BENCH_AGENTS=${BENCH_AGENTS:-1000}
export BENCH_ROUNDS=${BENCH_ROUNDS:-5}
export BENCH_IMPORT=${BENCH_IMPORT:-1000000}
export BENCH_OUT=${BENCH_OUT:-bench-results}
export LANG=C.UTF-8 LC_CTYPE=C.UTF-8
unset LC_ALL

if [[ ${1:-} != --in-cluster ]]; then
  bash test/ensure_deps.sh
  make --no-print-directory -s
  make --no-print-directory -s install >/dev/null
  mkdir -p "$BENCH_OUT"
  # shared_buffers holds every table, so each query reads from memory and
  # the ratios compare computation, not disk
  exec pg_virtualenv -t -v 15 -o shared_buffers=4GB -o max_parallel_workers_per_gather=2 \
    -o max_worker_processes=8 -o max_parallel_workers=8 \
    bash "$0" --in-cluster
fi

SECONDS=0
psql_b() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
echo "appraisal benchmark: $BENCH_TICKETS tickets, $BENCH_RATINGS 360 ratings, $BENCH_ROUNDS rounds"
echo "machine: $(nproc) cores (${cpu:-unknown CPU}), $(free -g | awk '/^Mem:/ {print $2}') GiB, load average $(cut -d' ' -f1-3 /proc/loadavg)"

psql_b -v tickets="$BENCH_TICKETS" -v ratings="$BENCH_RATINGS" -v agents="$BENCH_AGENTS" \
  -v cores="$(nproc)" -v cpu="${cpu:-unknown}" -v load_start="$(cut -d' ' -f1-3 /proc/loadavg)" \
  -f test/bench/setup.sql
echo "data ready after ${SECONDS}s"
psql_b -f test/bench/checks.sql
echo "baselines agree with our answers (${SECONDS}s)"
psql_b -v rounds="$BENCH_ROUNDS" -f test/bench/timing.sql
echo "queries timed (${SECONDS}s)"
psql_b -f test/bench/refresh.sql
echo "refresh timed (${SECONDS}s)"

# Peak memory: each aggregate in a fresh serial session, over the first
# million rows and over all of them.  A backend's peak resident memory
# (VmHWM) includes the shared buffers it touched; those stay mapped
# (RssShmem), as does the program (RssFile), so what is left is the
# backend's own peak (private) memory.  Without JIT, whose compiler's memory
# depends on the plan's estimated cost, not on the rows that flow.
for agg in "appraisal.sla_agg(opened_at, resolved_at, '24 hours', 'demo_cn_office', '2026-01-01 00:00+08')" \
           "appraisal.fcr(contacts)" \
           "array_agg(contacts)"; do
  for limit in 1000000 ALL; do
    psql_b -v agg="$agg" -v lim="$limit" <<'SQL'
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT count(*) AS rows, pg_column_size(:agg) AS bytes
  FROM (SELECT * FROM appraisal.tickets LIMIT :lim) t \gset
INSERT INTO bench.memory (aggregate, rows, result_bytes, status)
VALUES (:'agg', :rows, :bytes, pg_read_file('/proc/self/status'));
SQL
  done
done
echo "memory measured (${SECONDS}s)"

# Importing a file with a report against a plain COPY (test/bench/import.sql)
csv=$(mktemp --suffix=.csv)
sed "s|@CSV@|$csv|g" test/bench/import_copy.sql > "$csv.copy.sql"
sed "s|@CSV@|$csv|g" test/bench/import.sql | psql_b -v rows="$BENCH_IMPORT" -v copy_file="$csv.copy.sql" -f -
rm -f "$csv" "$csv.plain" "$csv.valid" "$csv.copy.sql"
echo "import timed (${SECONDS}s)"

# Writers while the scorecards refresh: pgbench inserts one ticket per
# transaction (one client) for BENCH_WRITER_SECONDS, twice without and twice
# with a refresh started every 10 s (under REPEATABLE READ, as pg_cron runs
# it; one still running when the next is due makes that one wait), alternately;
# the report compares the p99 latency of the inserts.  The tickets are
# deleted afterwards.
agent=$(psql_b -At -c "SELECT agent_id FROM appraisal.tickets LIMIT 1")
script=$(mktemp --suffix=.sql)
cat > "$script" <<SQL
\set n random(1, 2000000000)
INSERT INTO appraisal.tickets (ticket_id, opened_at, first_response_at, resolved_at, contacts, channel, category, agent_id, customer_id)
VALUES ('bench-writer-' || :client_id || '-' || :n || '-' || (random() * 1e9)::bigint, now() - interval '1 hour',
        now() - interval '50 minutes', now() - interval '10 minutes', 1, 'phone', 'install', '$agent', 'C' || :n);
SQL
refresh_every_10s() {   # until the file $1 exists; counts the refreshes in $2
  while [[ ! -e $1 ]]; do
    local t0=$SECONDS
    psql_b -At -c "SET client_min_messages = warning" -c "BEGIN ISOLATION LEVEL REPEATABLE READ" \
      -c "SELECT count(*) FROM appraisal.refresh_scorecards()" -c "COMMIT" >/dev/null && echo x >> "$2" || true
    while [[ ! -e $1 ]] && (( SECONDS - t0 < 10 )); do sleep 0.5; done
  done
}
logs=$(mktemp -d)
for with_refresh in false true false true; do
  rm -f "$logs"/pgbench_log.* "$logs/stop" "$logs/refreshes"; touch "$logs/refreshes"
  if [[ $with_refresh == true ]]; then refresh_every_10s "$logs/stop" "$logs/refreshes" & fi
  (cd "$logs" && pgbench -n -c 1 -T "${BENCH_WRITER_SECONDS:-30}" -f "$script" -l >/dev/null 2>&1)
  touch "$logs/stop"; wait
  awk '{print $3}' "$logs"/pgbench_log.* | sort -n | awk -v w="$with_refresh" -v r="$(wc -l < "$logs/refreshes")" \
    '{a[NR] = $1} END {printf "%s\t%d\t%.3f\t%.3f\t%.3f\t%d\n", w, NR, a[int(NR * 0.5)] / 1000, a[int(NR * 0.99)] / 1000, a[NR] / 1000, r}' |
    psql_b -c "COPY bench.writers FROM STDIN"
done
rm -rf "$logs" "$script"
psql_b -c "DELETE FROM appraisal.tickets WHERE ticket_id LIKE 'bench-writer-%'"
echo "writers timed (${SECONDS}s)"

# the reference runs to compare ratios with: BENCH_BASELINE (one file or
# more, separated by spaces), else the three of test/bench/reference that
# started last; each ratio is compared with its median over them
newest_references() {
  for f in test/bench/reference/*.json; do
    [[ -e $f ]] && printf '%s\t%s\n' "$(sed -n 's/.*"started": "\([^"]*\)".*/\1/p' "$f" | head -1)" "$f"
  done | sort | tail -3 | cut -f2 | tr '\n' ' '
}
baselines=${BENCH_BASELINE:-$(newest_references)}
# (in a file: the runs' JSON together is longer than one argument may be)
baseline_file=$(mktemp)
(sep=''; printf '['; for f in $baselines; do printf '%s' "$sep"; cat "$f"; sep=','; done; printf ']') > "$baseline_file"
psql_b -v out="$BENCH_OUT/bench-$stamp" -v load_end="$(cut -d' ' -f1-3 /proc/loadavg)" \
  -v baseline_file="$baseline_file" -v baseline_name="$(echo $baselines)" \
  -v command="make bench BENCH_TICKETS=$BENCH_TICKETS BENCH_RATINGS=$BENCH_RATINGS BENCH_AGENTS=$BENCH_AGENTS BENCH_ROUNDS=$BENCH_ROUNDS" \
  -v elapsed="$SECONDS" -f test/bench/report.sql
rm -f "$baseline_file"
cp "$BENCH_OUT/bench-$stamp.md" "$BENCH_OUT/latest.md"
cp "$BENCH_OUT/bench-$stamp.json" "$BENCH_OUT/latest.json"
cat "$BENCH_OUT/bench-$stamp.md"
echo
echo "written: $BENCH_OUT/bench-$stamp.md and .json (${SECONDS}s in all)"
