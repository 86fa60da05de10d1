#!/usr/bin/env bash
# test/fuzz/run.sh: what `make fuzz` runs (not part of `make test`, which
# runs a small deterministic slice in sql/trust_values.sql).
#
# Builds and installs appraisal and the test-only appraisal_fuzz, then in a
# throwaway cluster (pg_virtualenv) feeds FUZZ_ROUNDS (default 100,000)
# mutated text and binary inputs to each of appraisal's base types (ten
# types: 1,000,000 inputs), from FUZZ_SEED (default: the time), and prints
# the counts per type.  Fails when any input or check broke a rule (an
# internal error, an error outside class 22, a value that does not read back
# as it printed, a negative count): the first violation of each type is
# printed with the input that caused it, and the seed reproduces the run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
ROUNDS=${FUZZ_ROUNDS:-100000}
SEED=${FUZZ_SEED:-$(date +%s)}
export LANG=C.UTF-8 LC_CTYPE=C.UTF-8
unset LC_ALL

if [[ ${1:-} == --in-cluster ]]; then
  psql -X -q -v ON_ERROR_STOP=1 -d postgres \
       -c 'CREATE EXTENSION appraisal' -c 'CREATE EXTENSION appraisal_fuzz' \
       -v rounds="$ROUNDS" -v seed="$SEED" -f test/fuzz/fuzz.sql \
       -c '\pset footer off' \
       -c 'SELECT type, inputs, text_inputs, binary_inputs, accepted, refused, checks, violations FROM fuzz_result ORDER BY type::text' \
       -c 'SELECT sum(inputs) AS inputs, sum(accepted) AS accepted, sum(refused) AS refused, sum(checks) AS checks, sum(violations) AS violations FROM fuzz_result' \
       -c '\pset tuples_only on' \
       -c "SELECT format('%s: %s', type, first_violation) FROM fuzz_result WHERE violations > 0 ORDER BY type::text" \
       -c "\\copy (SELECT sum(violations) FROM fuzz_result) TO '$2'"
  exit 0
fi

bash test/ensure_deps.sh
make --no-print-directory PG_CONFIG="$PG_CONFIG" >/dev/null
make --no-print-directory PG_CONFIG="$PG_CONFIG" -C test/fuzz >/dev/null
make --no-print-directory PG_CONFIG="$PG_CONFIG" install >/dev/null
make --no-print-directory PG_CONFIG="$PG_CONFIG" -C test/fuzz install >/dev/null
out=$(mktemp -d -t appraisal-fuzz.XXXXXX)
chmod 777 "$out"
trap 'rm -rf "$out"' EXIT
echo "fuzz: $ROUNDS inputs per type, seed $SEED (FUZZ_SEED=$SEED FUZZ_ROUNDS=$ROUNDS make fuzz repeats this run)"
start=$(date +%s)
pg_virtualenv -t -c "--locale=C.UTF-8 --encoding=UTF8" \
  env FUZZ_ROUNDS="$ROUNDS" FUZZ_SEED="$SEED" bash "$PWD/test/fuzz/run.sh" --in-cluster "$out/violations" </dev/null
echo "fuzz: took $(( $(date +%s) - start )) s"
violations=$(cat "$out/violations")
if [[ $violations != 0 ]]; then
  echo "fuzz: FAILED, $violations violations"
  exit 1
fi
echo "fuzz: ok, no violations"
