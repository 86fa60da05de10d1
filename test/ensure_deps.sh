#!/usr/bin/env bash
# test/ensure_deps.sh: install the Debian 12 packages that building, testing and
# demonstrating appraisal need, when some are missing.  Silent when all are
# present; safe to run again.  As root it runs apt-get; as another user it
# prints the command to run and exits 1.
set -euo pipefail

PGVER=${PGVER:-15}

packages=(
  make gcc libc6-dev                     # the C build
  postgresql-common                      # pg_virtualenv, pg_createcluster
  "postgresql-$PGVER"
  # PGXS; its Depends bring clang-14 and llvm-14-dev, which PGXS uses to emit
  # the JIT bitcode (*.bc), so --no-install-recommends below is enough.
  "postgresql-server-dev-$PGVER"
  "postgresql-$PGVER-pgtap"
  # pg_prove is only a Recommends of pgtap: name it, or
  # --no-install-recommends leaves it out.
  libtap-parser-sourcehandler-pgtap-perl
  "postgresql-$PGVER-cron"
  # test/cluster/client.sh reads the views through a standard client
  # driver, as BI tools do: psycopg 3 (libpq) for Debian's python3
  python3-psycopg
)

missing=()
for p in "${packages[@]}"; do
  if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true) != installed ]]; then
    missing+=("$p")
  fi
done
(( ${#missing[@]} == 0 )) && exit 0

install=(apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}")
if (( EUID != 0 )); then
  echo "ensure_deps: missing Debian packages: ${missing[*]}" >&2
  echo "ensure_deps: install them as root, then run this again:" >&2
  echo "  sudo apt-get update && sudo env DEBIAN_FRONTEND=noninteractive ${install[*]}" >&2
  exit 1
fi

echo "ensure_deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q -o DPkg::Lock::Timeout=600
"${install[@]}" </dev/null
