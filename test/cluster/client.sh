#!/usr/bin/env bash
# test/cluster/client.sh: the views through a real client driver, as a BI tool
# reads them.  Run by test/run_tests.sh inside its cluster (PGHOST, PGPORT,
# PGUSER and PGPASSWORD set); one test.  In a database of its own it installs
# appraisal, loads data (generate_demo_data of appraisal_demo, else
# test/client/small_data.sql; CLIENT_DATA=small forces the latter), refreshes
# the summaries, and runs test/client/check_views.py with Debian's
# python3-psycopg (psycopg 3 on libpq): every view column a plain type, every
# row converting to Python in text and binary format and unchanged by the
# session time zone, a comment on every view and column.  Then it creates a
# fresh LOGIN role, grants it test/client/bi_grants.sql (the grants of docs/operations.md
# for Metabase) and nothing else, and runs the check again as that role: it
# reads every view, sees the comments, and cannot write, refresh, or read
# the raw tickets, surveys and 360 reviews, nor the customers' phone and
# address in provider_events.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

DB=appraisal_client
BI_ROLE=appraisal_client_bi
BI_PASSWORD=bi-reader-test
PYTHON=/usr/bin/python3          # Debian's, with python3-psycopg (not a pyenv one)

fail() { echo "client.sh: FAILED: $*" >&2; exit 1; }
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

cleanup() {
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS $BI_ROLE" >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$PYTHON" -c 'import psycopg' 2>/dev/null ||
  fail "$PYTHON cannot import psycopg: install Debian's python3-psycopg (test/ensure_deps.sh does, as root)"

cleanup
q -d postgres -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8'" -c "CREATE ROLE $BI_ROLE LOGIN PASSWORD '$BI_PASSWORD'" ||
  fail "could not create database $DB and role $BI_ROLE"
q -d "$DB" -c "CREATE EXTENSION appraisal" || fail "CREATE EXTENSION appraisal"

if [[ ${CLIENT_DATA:-} != small ]]; then
  echo "-- data: appraisal.generate_demo_data(agents => 12, tickets => 3000) of appraisal_demo"
  q -d "$DB" -c "CREATE EXTENSION appraisal_demo" \
    -c "SELECT count(*) FROM appraisal.generate_demo_data(agents => 12, tickets => 3000)" >/dev/null ||
    fail "generate_demo_data"
else
  echo "-- data: test/client/small_data.sql"
  q -d "$DB" -f test/client/small_data.sql >/dev/null || fail "loading test/client/small_data.sql"
fi
refreshed=$(q -d "$DB" -c "SELECT string_agg(format('%s %s (%s rows)', materialized_view, mode, rows), ', ')
                            FROM appraisal.refresh_scorecards()") || fail "refresh_scorecards"
echo "-- refresh: $refreshed"
# Rows for the appeal, publication and improvement views: the committee
# publishes a period, then upholds an appeal against one of its KPIs (a
# difference from the publication) and rejects an attribution appeal.
q -d "$DB" -c "DO \$\$
DECLARE
  b record;
  t text;
BEGIN
  SELECT employee_id, period, kpi, value INTO b FROM appraisal.kpi_breakdown
  WHERE value IS NOT NULL ORDER BY employee_id, period, kpi LIMIT 1;
  PERFORM appraisal.publish_results(b.period);
  PERFORM appraisal.decide_appeal(appraisal.file_appeal(b.employee_id, b.period, b.kpi, b.value + 1, 'client test'),
                                  'upheld', b.value + 1);
  SELECT ticket_id INTO t FROM appraisal.tickets WHERE cause = 'service' ORDER BY ticket_id LIMIT 1;
  PERFORM appraisal.decide_appeal(appraisal.file_attribution_appeal(t, 'system', 'client test'), 'rejected');
  -- and an improvement period after the lowest result (improvement_outcomes)
  INSERT INTO appraisal.improvement_periods (employee_id, from_period, deadline)
  SELECT employee_id, period, ends_on + 90 FROM appraisal.overall_appraisal ORDER BY points, employee_id, period LIMIT 1;
END
\$\$" >/dev/null || fail "appeals and publication"

# as the owner of the extension (the cluster's superuser)
PGDATABASE=$DB "$PYTHON" test/client/check_views.py || fail "the views as $(q -d "$DB" -c 'SELECT current_user')"

# as a fresh role holding only the grants docs/operations.md gives a BI tool
q -d "$DB" -v role="$BI_ROLE" -v db="$DB" -f test/client/bi_grants.sql || fail "test/client/bi_grants.sql"
PGDATABASE=$DB PGUSER=$BI_ROLE PGPASSWORD=$BI_PASSWORD "$PYTHON" test/client/check_views.py --bi-role \
  --denied appraisal.tickets,appraisal.survey_responses,appraisal.reviews_360,appraisal.period_ratings,appraisal.agent_daily,appraisal.agent_daily_csat,appraisal.agent_daily_follow_up,appraisal.agent_summaries,appraisal.pooled_summaries,appraisal.follow_up_summaries,appraisal.call_backs,appraisal.quality_inspections,appraisal.sla_policies,appraisal.provider_events,appraisal.data_health,appraisal.refresh_status ||
  fail "the views as $BI_ROLE, a role with only the grants of test/client/bi_grants.sql"

echo "client.sh: ok"
