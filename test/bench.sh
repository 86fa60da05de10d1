#!/usr/bin/env bash
# test/bench.sh: what `make bench` runs.  Not part of `make test`: it reports
# ratios measured in one run and never fails on a time.
#   BENCH_ROWS   rows of ratings (default 10000000)
#   BENCH_ROUNDS repetitions of every query, interleaved (default 5)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rows=${BENCH_ROWS:-10000000}
rounds=${BENCH_ROUNDS:-5}

bash test/ensure_deps.sh
make --no-print-directory -s
make --no-print-directory -s install >/dev/null

if [[ ${1:-} != --in-cluster ]]; then
  exec pg_virtualenv -t -v 15 -o shared_buffers=2GB -o max_parallel_workers_per_gather=2 \
    bash "$0" --in-cluster
fi

echo "appraisal benchmark: $rows rows, $rounds rounds, $(nproc) cores, $(psql -XAtc 'SHOW server_version')"
for workers in 0 2; do
  echo
  echo "### max_parallel_workers_per_gather = $workers"
  PGOPTIONS="-c bench.rounds=$rounds" psql -X -q -v rows="$rows" -v workers="$workers" -f test/bench.sql
done
