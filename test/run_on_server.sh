#!/usr/bin/env bash
# test/run_on_server.sh: run the pg_regress suite (sql/*.sql against
# expected/*.out, i.e. `make installcheck`) against any PostgreSQL
# installation, given by its pg_config.  For checking other server versions
# than the one `make test` and CI use (Debian 12's 15), e.g. builds of 16, 17
# and 18 made from source:
#
#   bash test/run_on_server.sh /path/to/install/bin/pg_config
#
# What it does, in order:
#   1. copies this checkout's files (tracked and untracked, not ignored ones,
#      as they are in the work tree) to a scratch directory, so the caller's
#      build in the checkout is left alone;
#   2. builds the extension there against that pg_config (with the Makefile's
#      -Wall -Wextra -Werror) and installs it into that installation (`make
#      install`: whoever runs this must be able to write its lib and share
#      directories; two runs against one installation at once replace each
#      other's files, and pointed at the installation `make test` uses it
#      replaces the files installed there);
#   3. creates a throwaway cluster with the installation's initdb and pg_ctl
#      (UTF-8, locale C.UTF-8, as `make test` uses), as user postgres when run
#      as root (the server refuses to run as root), listening on a free port
#      of 127.0.0.1 and on a socket in its own private directory;
#   4. runs `make installcheck` against it, prints pg_regress's result and,
#      on failure, regression.diffs;
#   5. stops the cluster and removes it and the scratch copy, whatever
#      happened.
# The last line is "summary: N passed, M failed" (one per pg_regress test);
# the exit status is non-zero when anything failed.  pgTAP, pg_cron, Citus
# and test/cluster/*.sh are `make test`'s business, not this script's.
#
# Environment: RUN_USER (the cluster's OS user when run as root; default
# postgres), KEEP=1 (keep the scratch directory and the cluster's log for
# inspection; the server is still stopped), INSTALLCHECK_TIMEOUT (seconds,
# default 1800).
set -euo pipefail

usage() { echo "usage: $0 /path/to/pg_config" >&2; exit 2; }
(( $# == 1 )) || usage
PG_CONFIG=$1
[[ -x $PG_CONFIG ]] || { echo "run_on_server: $PG_CONFIG is not an executable pg_config" >&2; exit 2; }
PG_CONFIG=$(cd "$(dirname "$PG_CONFIG")" && pwd)/$(basename "$PG_CONFIG")

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BINDIR=$("$PG_CONFIG" --bindir)
VERSION=$("$PG_CONFIG" --version)
for prog in initdb pg_ctl psql; do
  [[ -x $BINDIR/$prog ]] || { echo "run_on_server: $BINDIR/$prog is missing" >&2; exit 2; }
done

# Expected outputs hold UTF-8 text: psql must print UTF-8 whatever the
# caller's locale (pg_regress drops LC_ALL but keeps LANG and LC_CTYPE).
export LANG=C.UTF-8 LC_CTYPE=C.UTF-8
unset LC_ALL
# Nothing of the caller's connection settings may reach another server.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGPASSWORD PGOPTIONS

if (( EUID == 0 )); then
  RUN_USER=${RUN_USER:-postgres}
  id "$RUN_USER" >/dev/null 2>&1 || { echo "run_on_server: user $RUN_USER does not exist" >&2; exit 2; }
  as_cluster_user() { runuser -u "$RUN_USER" -- "$@"; }
else
  RUN_USER=$(id -un)
  as_cluster_user() { "$@"; }
fi

WORK=$(mktemp -d -t appraisal-server.XXXXXX)
chmod 755 "$WORK"                 # the cluster's user must reach its directory
SRC=$WORK/src
DATA=$WORK/data
SOCK=$WORK/sock
LOG=$WORK/server.log
passed=0 failed=0 started=0

finish() {
  local rc=$?
  trap - EXIT
  if (( started )); then
    (cd "$WORK" && as_cluster_user "$BINDIR/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1) ||
      (cd "$WORK" && as_cluster_user "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1) || true
  fi
  if [[ ${KEEP:-0} == 1 ]]; then
    echo "(kept $WORK)"
  else
    rm -rf "$WORK"
  fi
  (( rc == 0 && failed == 0 )) || { (( failed > 0 )) || failed=1; }
  echo "summary: $passed passed, $failed failed"
  (( failed == 0 )) || exit 1
  exit 0
}
trap finish EXIT

echo "== $VERSION ($PG_CONFIG)"

# 1. Scratch copy of the work tree: what git would commit, uncommitted
# changes included, build products (ignored files) left out.
mkdir "$SRC"
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
    (cd "$ROOT" && xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh) |
    tar -C "$ROOT" --null -T - -cf - | tar -C "$SRC" -xf -
else
  (cd "$ROOT" && tar --exclude=./.git -cf - .) | tar -C "$SRC" -xf -
  make -C "$SRC" --no-print-directory PG_CONFIG="$PG_CONFIG" clean >/dev/null
fi

# 2. Build and install.
mk() { make -C "$SRC" --no-print-directory PG_CONFIG="$PG_CONFIG" "$@"; }
echo "== build"
{ mk && mk -C test/fuzz; } >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; echo "run_on_server: build failed" >&2; exit 1; }
echo "== install"
# with appraisal_fuzz, the test-only extension sql/trust_values.sql uses
{ mk install && mk -C test/fuzz install; } >"$WORK/install.log" 2>&1 || { cat "$WORK/install.log"; echo "run_on_server: install failed" >&2; exit 1; }

# 3. A throwaway cluster.  Local connections are trusted, but the socket's
# directory is private to the cluster's user (root reaches it too); TCP
# logins are refused.
echo "== cluster"
mkdir -m 700 "$SOCK" "$DATA"
[[ $RUN_USER == $(id -un) ]] || chown "$RUN_USER" "$SOCK" "$DATA"
(cd "$WORK" && as_cluster_user "$BINDIR/initdb" -D "$DATA" -U "$RUN_USER" \
   --auth-local=trust --auth-host=reject --encoding=UTF8 --locale=C.UTF-8) \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; echo "run_on_server: initdb failed" >&2; exit 1; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ports below the kernel's ephemeral range (32768-) and away from the Citus
# test's (25432-).  A port can be taken between the probe and the server's
# bind: then another one is tried.
PORT=""
for attempt in 1 2 3 4 5; do
  port=$(shuf -i 26000-32000 -n 1)
  port_in_use "$port" && continue
  : >"$LOG"
  [[ $RUN_USER == $(id -un) ]] || chown "$RUN_USER" "$LOG"
  if (cd "$WORK" && as_cluster_user "$BINDIR/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$SOCK' -c fsync=off") \
      >>"$WORK/pg_ctl.log" 2>&1; then
    PORT=$port
    started=1
    break
  fi
  started=1   # a half-started server is stopped by finish
  if grep -qiE 'could not bind|address already in use|could not create any TCP/IP sockets' "$LOG"; then
    (cd "$WORK" && as_cluster_user "$BINDIR/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1) || true
    started=0
    echo "(port $port taken, trying another)"
    continue
  fi
  cat "$WORK/pg_ctl.log" "$LOG"
  echo "run_on_server: the server did not start" >&2
  exit 1
done
[[ -n $PORT ]] || { cat "$LOG"; echo "run_on_server: found no free port" >&2; exit 1; }
echo "server $("$BINDIR/psql" -X -A -t -h "$SOCK" -p "$PORT" -U "$RUN_USER" -d postgres -c 'SHOW server_version') on port $PORT"

# 4. The suite.
echo "== pg_regress (make installcheck)"
rc=0
PGHOST=$SOCK PGPORT=$PORT PGUSER=$RUN_USER \
  timeout "${INSTALLCHECK_TIMEOUT:-1800}" make -C "$SRC" --no-print-directory \
    PG_CONFIG="$PG_CONFIG" installcheck 2>&1 | tee "$WORK/installcheck.log" || rc=$?
# One line per test: "test name ... ok" up to 15, "ok 1 - name" (TAP) from 16.
passed=$(grep -cE '^ *(test +)?[^ ]+ +\.\.\. +(ok|failed \(ignored\))( |$)|^ok +[0-9]+ +- ' "$WORK/installcheck.log" || true)
failed=$(grep -cE '^ *(test +)?[^ ]+ +\.\.\. +FAILED( |$)|^not ok +[0-9]+ +- ' "$WORK/installcheck.log" || true)
if (( rc != 0 && failed == 0 )); then
  # pg_regress stopped before judging the tests (CREATE EXTENSION failed, a
  # time-out): every test that did not pass counts as failed.
  shopt -s nullglob
  tests=("$SRC"/sql/*.sql)
  failed=$(( ${#tests[@]} > passed ? ${#tests[@]} - passed : 1 ))
fi
if [[ -s $SRC/regression.diffs ]]; then
  echo "===== regression.diffs ====="
  cat "$SRC/regression.diffs"
  echo "===== end of regression.diffs ====="
fi
# 5. finish (the EXIT trap) stops and removes the cluster and prints the summary.
