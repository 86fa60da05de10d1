#!/usr/bin/env bash
# demo/demo.sh: what `make demo` runs.  Installs missing packages, builds and
# installs the extension, starts a throwaway cluster (pg_virtualenv) and runs
# demo/demo.sql in it with psql, which generates a service centre's year with
# appraisal.generate_demo_data and prints its scorecards.
# Exits non-zero if any step or any statement of the demo fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PGVER=15
PG_CONFIG=/usr/lib/postgresql/$PGVER/bin/pg_config
DEMO_DB=appraisal_demo

# Inside the cluster (run by pg_virtualenv below).
if [[ ${1:-} == --in-cluster ]]; then
  createdb --template=template0 --encoding=UTF8 "$DEMO_DB"
  exec psql -X -v ON_ERROR_STOP=1 -d "$DEMO_DB" -f demo/demo.sql
fi

# The demo prints UTF-8 text (grade names such as 优): let psql measure it as
# such, so that the table borders line up.
export PGCLIENTENCODING=${PGCLIENTENCODING:-UTF8}

bash test/ensure_deps.sh
echo "== building and installing appraisal"
make -s --no-print-directory PG_CONFIG="$PG_CONFIG"

# -t: the cluster lives in a temporary directory even as root (no collision
# with another run's /etc/postgresql/15/regress).
venv_opts=(-t -v "$PGVER" -c "--locale=C.UTF-8 --encoding=UTF8")
tmp=""
trap '[[ -z $tmp ]] || rm -rf "$tmp"' EXIT
pkglibdir=$("$PG_CONFIG" --pkglibdir)
sharedir=$("$PG_CONFIG" --sharedir)
if (( EUID == 0 )) || [[ -w $pkglibdir && -w $sharedir/extension ]]; then
  make -s --no-print-directory PG_CONFIG="$PG_CONFIG" install
else
  # Not allowed to write PostgreSQL's directories: install under a temporary
  # DESTDIR that the cluster reads through Debian's extension_destdir.
  tmp=$(mktemp -d -t appraisal-demo.XXXXXX)
  make -s --no-print-directory PG_CONFIG="$PG_CONFIG" install DESTDIR="$tmp"
  venv_opts+=(-o "extension_destdir=$tmp")
fi

echo "== running demo/demo.sql in a throwaway PostgreSQL $PGVER cluster"
pg_virtualenv "${venv_opts[@]}" bash "$PWD/demo/demo.sh" --in-cluster </dev/null
