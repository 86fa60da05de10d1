#!/usr/bin/env bash
# test/cluster/client.sh: the views through a real client driver.  Run by
# test/run_tests.sh inside its cluster.  Loads the demo data set, then runs
# test/client/check_views.py with Debian's python3-psycopg (psycopg 3 on
# libpq): every view column must map to a plain type, every row must convert,
# every view and column must carry a comment.  Then the same as a read-only
# BI role holding only the grants the README gives, to show they suffice.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

DB=appraisal_client
q() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
q -d "$DB" -c "CREATE EXTENSION appraisal" \
           -c "SELECT count(*) FROM appraisal.generate_demo_data(agents => 12, tickets => 3000)" >/dev/null

echo "-- as $(q -d "$DB" -c 'SELECT current_user')"
PGDATABASE=$DB /usr/bin/python3 test/client/check_views.py

# The read-only role of the README's "Pointing Metabase at the views".
q -d "$DB" <<'SQL'
DROP ROLE IF EXISTS bi_reader;
CREATE ROLE bi_reader LOGIN PASSWORD 'bi-reader-test';
GRANT CONNECT ON DATABASE appraisal_client TO bi_reader;
GRANT USAGE ON SCHEMA appraisal TO bi_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA appraisal TO bi_reader;
SQL
echo "-- as bi_reader"
PGDATABASE=$DB PGUSER=bi_reader PGPASSWORD=bi-reader-test /usr/bin/python3 test/client/check_views.py
# ... and nothing more: it cannot change the data
if PGDATABASE=$DB PGUSER=bi_reader PGPASSWORD=bi-reader-test psql -X -q -c "DELETE FROM appraisal.tickets" 2>/dev/null; then
  echo "client.sh: bi_reader could delete tickets" >&2
  exit 1
fi
q -d "$DB" -c "REVOKE ALL ON ALL TABLES IN SCHEMA appraisal FROM bi_reader" -c "REVOKE ALL ON SCHEMA appraisal FROM bi_reader" \
           -c "REVOKE CONNECT ON DATABASE $DB FROM bi_reader"
q -d postgres -c "DROP DATABASE $DB" -c "DROP ROLE bi_reader"
echo "client.sh: views read through psycopg $(/usr/bin/python3 -c 'import psycopg; print(psycopg.__version__)'): ok"
