#!/usr/bin/env bash
# test/cluster/named_snapshot.sh: a named calendar means, in every
# statement, what that statement's snapshot shows.  Run by
# test/run_tests.sh inside its cluster.
#
# The values of names are read once and shared by every call site of the
# session (a caller that builds a new call for each row, as Citus does on a
# worker, would otherwise read the table once per row) while what a read
# could see stays the same.  Here one session, inside a transaction, uses a
# calendar by name; another session changes the calendar and commits; the
# first session uses it again, in a new statement and in a PL/pgSQL function
# (whose call site lives through the transaction):
#   - READ COMMITTED: each statement has a new snapshot, which shows the
#     change: 9 hours, then 8 (the day now starts at 10:00);
#   - REPEATABLE READ: one snapshot for the transaction: 9 hours both times.
set -euo pipefail

DB=appraisal_named_snapshot
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }
fail() { echo "named_snapshot.sh: $*" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true' EXIT

q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d "$DB" <<'SQL'
CREATE EXTENSION appraisal;
CREATE FUNCTION public.elapsed(cal text) RETURNS interval
  LANGUAGE plpgsql AS $$ BEGIN RETURN appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', cal); END $$;
SQL

run() {   # isolation -> "first second in_plpgsql" as hours
  local isolation=$1 reader
  q -d "$DB" -c "DELETE FROM appraisal.business_calendars WHERE name = 'office'" \
             -c "INSERT INTO appraisal.business_calendars (name, calendar) VALUES ('office', 'UTC; Mon-Fri 09:00-18:00')"
  rm -f "$TMP/reader" "$TMP/reader.out"
  mkfifo "$TMP/reader"
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" < "$TMP/reader" > "$TMP/reader.out" 2>&1 &
  reader=$!
  exec 7> "$TMP/reader"
  echo "BEGIN ISOLATION LEVEL $isolation;
        SELECT 'first ' || extract(hour FROM appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', 'office'));
        SELECT 'plpgsql ' || extract(hour FROM public.elapsed('office'));" >&7
  for _ in $(seq 1 100); do grep -q '^plpgsql' "$TMP/reader.out" 2>/dev/null && break; sleep 0.1; done
  grep -q '^plpgsql' "$TMP/reader.out" || fail "$isolation: the reading session did not answer: $(cat "$TMP/reader.out")"
  # another session changes the calendar and commits
  q -d "$DB" -c "UPDATE appraisal.business_calendars SET calendar = 'UTC; Mon-Fri 10:00-18:00' WHERE name = 'office'"
  echo "SELECT 'second ' || extract(hour FROM appraisal.business_elapsed('2026-09-28 09:00+00', '2026-09-28 18:00+00', 'office'));
        SELECT 'plpgsql2 ' || extract(hour FROM public.elapsed('office'));
        COMMIT;" >&7
  exec 7>&-
  wait $reader || fail "$isolation: the reading session failed: $(cat "$TMP/reader.out")"
  awk '{ printf "%s%s", sep, $2; sep = " " } END { print "" }' "$TMP/reader.out"
}

got=$(run "READ COMMITTED")
[[ $got == "9 9 8 8" ]] || fail "READ COMMITTED: hours before and after another session changed the calendar: $got (want 9 9 8 8)"
got=$(run "REPEATABLE READ")
[[ $got == "9 9 9 9" ]] || fail "REPEATABLE READ: hours before and after another session changed the calendar: $got (want 9 9 9 9)"
echo "named_snapshot.sh: ok"
