#!/usr/bin/env bash
# test/run_tests.sh: what `make test` runs (and CI, through .ci/run).
#
# Installs missing packages, builds from clean with -Wall -Wextra -Werror,
# installs, then in ONE throwaway cluster (pg_virtualenv, with pg_cron
# preloaded) runs the pg_regress suite (sql/*.sql against expected/*.out),
# the pgTAP files test/pgtap/*.sql and the scripts test/cluster/*.sh.  Prints
# regression.diffs when pg_regress fails.  The last line is always
# "summary: N passed, M failed" (CI reads it); the exit status is non-zero on
# any failure.
#
# Works as root (the cluster's server runs as postgres) and as another user:
# when that user cannot write PostgreSQL's directories, the extension is
# installed under a temporary DESTDIR that the cluster reads through Debian's
# extension_destdir setting.  PRIVATE_INSTALL=1 does the same as root, so that
# several checkouts can be tested at once without replacing each other's
# installed files.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PGVER=15
PG_CONFIG=/usr/lib/postgresql/$PGVER/bin/pg_config
PGTAP_DB=appraisal_pgtap

# Expected outputs hold UTF-8 text (grade names such as 优): psql must format
# them as UTF-8 whatever the caller's locale.  (pg_regress drops LC_ALL but
# keeps LANG and LC_CTYPE.)
export LANG=C.UTF-8 LC_CTYPE=C.UTF-8
unset LC_ALL

# ---------------------------------------------------------------------------
# Inside the cluster: run by pg_virtualenv below, with PGHOST, PGPORT, PGUSER,
# PGPASSWORD and PGDATABASE set.  Writes "passed failed" counts to $STATE.
# ---------------------------------------------------------------------------
if [[ ${1:-} == --in-cluster ]]; then
  STATE=$2
  shopt -s nullglob

  # pg_regress: one count per test, read from its output (it deletes
  # regression.out when every test passes).
  echo "== pg_regress (make installcheck)"
  rm -f regression.out regression.diffs
  rc=0
  make --no-print-directory PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee "$STATE/installcheck.log" || rc=$?
  ok=$(grep -cE '^ *(test +)?[^ ]+ +\.\.\. +(ok|failed \(ignored\))( |$)' "$STATE/installcheck.log" || true)
  bad=$(grep -cE '^ *(test +)?[^ ]+ +\.\.\. +FAILED( |$)' "$STATE/installcheck.log" || true)
  if (( rc != 0 && bad == 0 )); then
    # pg_regress stopped before judging tests (e.g. CREATE EXTENSION failed):
    # every test that did not pass counts as failed.
    tests=(sql/*.sql)
    bad=$(( ${#tests[@]} > ok ? ${#tests[@]} - ok : 1 ))
  fi
  if [[ -s regression.diffs ]]; then
    echo "===== regression.diffs ====="
    cat regression.diffs
    echo "===== end of regression.diffs ====="
  fi
  echo "$ok $bad" > "$STATE/regress"

  # pgTAP: one count per file, in a database holding pgtap and appraisal.
  files=(test/pgtap/*.sql)
  ok=0 bad=0
  if (( ${#files[@]} > 0 )); then
    echo "== pgTAP (pg_prove ${files[*]})"
    if psql -X -q -v ON_ERROR_STOP=1 -d postgres \
         -c "CREATE DATABASE $PGTAP_DB TEMPLATE template0 ENCODING 'UTF8'" &&
       psql -X -q -v ON_ERROR_STOP=1 -d "$PGTAP_DB" \
         -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION appraisal' -c 'CREATE EXTENSION appraisal_demo'; then
      for f in "${files[@]}"; do
        # --comments shows pgTAP's diagnostics (the names of offending
        # objects); --failures shows the failed assertions.
        if pg_prove --nocolor --failures --comments -d "$PGTAP_DB" "$f"; then
          ok=$((ok + 1))
        else
          bad=$((bad + 1))
        fi
      done
    else
      echo "pgTAP: could not create the test database with pgtap, appraisal and appraisal_demo" >&2
      bad=${#files[@]}
    fi
  fi
  echo "$ok $bad" > "$STATE/pgtap"

  # Scripts that need the cluster itself (pg_cron, pg_dump, a client
  # driver): one count per script; each makes its own databases.  A script
  # that hangs (a lock wait, a job that never runs) fails after
  # CLUSTER_TEST_TIMEOUT seconds instead of holding up CI.
  files=(test/cluster/*.sh)
  ok=0 bad=0
  for f in "${files[@]}"; do
    echo "== cluster test $f"
    rc=0
    timeout "${CLUSTER_TEST_TIMEOUT:-900}" bash "$f" || rc=$?
    if (( rc == 0 )); then
      echo "-- $f: ok"
      ok=$((ok + 1))
    else
      (( rc == 124 )) && echo "-- $f: timed out after ${CLUSTER_TEST_TIMEOUT:-900} s"
      echo "-- $f: FAILED"
      bad=$((bad + 1))
    fi
  done
  echo "$ok $bad" > "$STATE/cluster"
  exit 0
fi

# ---------------------------------------------------------------------------
# Outside: dependencies, build, install, one cluster, summary.
# ---------------------------------------------------------------------------
STATE=$(mktemp -d -t appraisal-test.XXXXXX)
chmod 755 "$STATE"           # the cluster's server may read a DESTDIR in it
passed=0 failed=0 stopped=""

finish() {
  local rc=$? p f
  trap - EXIT
  for part in regress pgtap cluster citus; do
    if [[ -s $STATE/$part ]]; then
      read -r p f < "$STATE/$part"
      passed=$((passed + p)) failed=$((failed + f))
    fi
  done
  if [[ -n $stopped ]]; then
    failed=$((failed + 1))
    echo "run stopped: $stopped failed"
  elif (( rc != 0 && failed == 0 )); then
    failed=1
    echo "run stopped: exit status $rc"
  fi
  rm -rf "$STATE"
  echo "counted: one per pg_regress test, pgTAP file, test/cluster script and the Citus test (when Citus is installed); a step that stops the run counts as one failure"
  echo "summary: $passed passed, $failed failed"
  (( failed == 0 && rc == 0 )) || exit 1
  exit 0
}
trap finish EXIT

step() {  # step NAME COMMAND...: run it, or stop the run
  local name=$1
  shift
  echo "== $name"
  if ! "$@"; then
    stopped=$name
    exit 1
  fi
}

mk() { make --no-print-directory PG_CONFIG="$PG_CONFIG" "$@"; }

# -t: the cluster lives in a temporary directory even as root, so that runs
# never collide on /etc/postgresql/15/regress.  A fixed UTF-8 locale makes
# results independent of the caller's.
# pg_cron is preloaded so that test/cluster/cron.sh schedules the refresh on a
# real pg_cron; its jobs run as background workers (no libpq password needed)
# in database appraisal_cron.
venv_opts=(-t -v "$PGVER" -c "--locale=C.UTF-8 --encoding=UTF8"
           -o shared_preload_libraries=pg_cron -o cron.database_name=appraisal_cron
           -o cron.use_background_workers=on -o max_worker_processes=16)

install_extension() {
  local pkglibdir sharedir destdir
  pkglibdir=$("$PG_CONFIG" --pkglibdir)
  sharedir=$("$PG_CONFIG" --sharedir)
  if [[ ${PRIVATE_INSTALL:-0} != 1 ]] &&
     { (( EUID == 0 )) || [[ -w $pkglibdir && -w $sharedir/extension ]]; }; then
    mk install && mk -C test/fuzz install
  else
    destdir=$STATE/destdir
    echo "(not root: installing under $destdir, read through extension_destdir)"
    mk install DESTDIR="$destdir" && mk -C test/fuzz install DESTDIR="$destdir" &&
    venv_opts+=(-o "extension_destdir=$destdir")
  fi
}

step dependencies bash test/ensure_deps.sh
step "make clean" mk clean
step "make clean (test/fuzz)" mk -C test/fuzz clean
step build mk
# appraisal_fuzz: the test-only extension sql/trust_values.sql fuzzes with
step "build (test/fuzz)" mk -C test/fuzz
step install install_extension
echo "== cluster (pg_virtualenv)"
pg_virtualenv "${venv_opts[@]}" bash "$PWD/test/run_tests.sh" --in-cluster "$STATE" </dev/null || stopped="cluster (pg_virtualenv)"
[[ -z $stopped ]] || exit 1

# Citus needs clusters of its own (a coordinator and two workers); without a
# Citus installation the script says so and counts as neither passed nor
# failed.
echo "== Citus (test/citus/run.sh)"
rc=0
CITUS_PG_CONFIG=$PG_CONFIG CITUS_DESTDIR=$([[ -d $STATE/destdir ]] && echo "$STATE/destdir" || true) \
  timeout "${CLUSTER_TEST_TIMEOUT:-900}" bash test/citus/run.sh </dev/null | tee "$STATE/citus.log" || rc=$?
if grep -q '^citus: not installed, skipping' "$STATE/citus.log"; then
  :
elif (( rc == 0 )); then
  echo "1 0" > "$STATE/citus"
else
  echo "0 1" > "$STATE/citus"
fi
# finish (the EXIT trap) adds up the counts and prints the summary.
