#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster (Debian's packages) on 127.0.0.1:$GUISE_PG_PORT,
# exporting GUISE_TEST_POSTGRES_URL for it; the cluster and its files are removed afterwards.
set -euo pipefail
# shellcheck source=lib/postgres.sh
. "$(dirname "$0")/lib/postgres.sh"

# Below the ephemeral port range (32768 and up), where an outgoing connection could hold the port.
PORT=${GUISE_PG_PORT:-3308}
pg_bin >/dev/null
DIR=$(mktemp -d /tmp/guise-pg.XXXXXX)
cleanup() {
  pg_stop "$DIR" immediate
  rm -rf "$DIR"
}
trap cleanup EXIT

# Durability off: the data is thrown away.
pg_start "$DIR" "$PORT" "-c fsync=off -c full_page_writes=off -c max_connections=300"

export GUISE_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
"$@"
