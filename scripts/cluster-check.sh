#!/usr/bin/env bash
# Proves scripts/cluster.sh under faults: starts two nodes on a fresh PostgreSQL behind HAProxy,
# drives a mixed load through the balancer (sign-ins, code flows, refreshes, SCIM writes and reads,
# discovery, impersonations) while one node is killed with SIGKILL, both are stopped with SIGTERM in
# turn (a rolling restart; cluster.sh starts each again), PostgreSQL is stopped for a few seconds and
# so is the mail server the nodes deliver to, then checks that every acknowledged write is there, that the audit chain verifies, and that the
# cluster stops cleanly on SIGTERM. Assumes the release build (scripts/test.sh built it).
#
# For throughput figures, the same load without faults: GUISE_CHECK_FAULTS=none, with
# GUISE_CHECK_NODES=1 or 2 (prints requests per second and p50/p99 latency through the balancer).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/postgres.sh
. scripts/lib/postgres.sh

port=${GUISE_CHECK_CLUSTER_PORT:-3295}
first_node=${GUISE_CHECK_FIRST_NODE_PORT:-3296}
# Below the ephemeral port range (32768 and up): under this load thousands of outgoing connections
# take local ports there, and one holding the database's port makes its restart fail.
pg_port=${GUISE_CHECK_PG_PORT:-3307}
work=$(mktemp -d /tmp/guise-cluster-check.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$work"; fi
log="$work/cluster.log"
password="cluster-check-$RANDOM$RANDOM"

# MailDev, the SMTP server the end-to-end suite uses too: every node delivers its outbox to it.
mail_smtp=${GUISE_CHECK_SMTP_PORT:-3305}
mail_web=${GUISE_CHECK_MAIL_WEB_PORT:-3306}
scripts/node-tools/node_modules/.bin/maildev --ip 127.0.0.1 --smtp "$mail_smtp" --web-ip 127.0.0.1 \
  --web "$mail_web" --silent >"$work/maildev.log" 2>&1 &
maildev=$!
# The nodes deliver through a relay that the chaos test takes down for a few seconds (an SMTP
# outage), while MailDev keeps what it has received.
smtp_relay=${GUISE_CHECK_SMTP_RELAY_PORT:-3309}
node scripts/node-tools/smtp-outage.mjs "$smtp_relay" "$mail_smtp" >"$work/smtp-relay.log" 2>&1 &
smtp=$!
nodes=${GUISE_CHECK_NODES:-2}
faults=${GUISE_CHECK_FAULTS:-on}
GUISE_NODES=$nodes GUISE_CLUSTER_PORT=$port GUISE_FIRST_NODE_PORT=$first_node GUISE_CLUSTER_PG_PORT=$pg_port \
  GUISE_CLUSTER_DATA="$work" GUISE_ADMIN_PASSWORD="$password" RUST_LOG=warn \
  GUISE_SMTP_URL="smtp://127.0.0.1:$smtp_relay" GUISE_SMTP_FROM="Guise <no-reply@guise.test>" \
  scripts/cluster.sh >"$log" 2>&1 &
cluster=$!
show_logs() {
  for f in "$log" "$work"/node-*.log "$work"/haproxy.log "$work"/smtp-relay.log "$work"/postgres/log; do
    [ -f "$f" ] && { echo "--- $f"; tail -n 40 "$f"; }
  done >&2
}
cleanup() {
  kill -TERM "$cluster" 2>/dev/null || true
  wait "$cluster" 2>/dev/null || true
  kill -TERM "$maildev" "$smtp" 2>/dev/null || true
  wait "$maildev" "$smtp" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 300); do
  grep -q "^Guise cluster is running at" "$log" && break
  if ! kill -0 "$cluster" 2>/dev/null; then
    show_logs
    echo "scripts/cluster.sh exited before the cluster came up" >&2
    exit 1
  fi
  sleep 1
done
grep -q "^Guise cluster is running at" "$log" || {
  show_logs
  echo "the cluster did not come up within 5 minutes" >&2
  exit 1
}

export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/guise"
server() { RUST_LOG=warn GUISE_AUDIT_LOG=off target/release/server "$@"; }
app=$(server create-application --name "Chaos" --redirect-uri https://chaos.example/cb \
  --grant-type authorization_code --grant-type refresh_token --grant-type client_credentials \
  --grant-type urn:ietf:params:oauth:grant-type:token-exchange \
  --authorize-scope internal_user_mgt_create --authorize-scope internal_user_mgt_view \
  --authorize-scope internal_user_mgt_list --authorize-scope internal_user_impersonate)
client_id=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["client_id"])' <<<"$app")
client_secret=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["client_secret"])' <<<"$app")
server create-role --name "Chaos provisioning" --audience-application "$client_id" \
  --permission internal_user_mgt_create --permission internal_user_mgt_view \
  --permission internal_user_mgt_list --assign admin >/dev/null
# The administrator may impersonate through the application (subject token and token exchange).
server create-role --name "Chaos impersonation" --audience-application "$client_id" \
  --permission internal_user_impersonate --assign admin >/dev/null

status=0
GUISE_URL="http://127.0.0.1:$port" CLIENT_ID="$client_id" CLIENT_SECRET="$client_secret" \
  ADMIN_PASSWORD="$password" NODE_URLS=$(seq -s, -f "http://127.0.0.1:%g" "$first_node" "$((first_node + nodes - 1))") \
  CHAOS_FAULTS="$faults" MAIL_API="http://127.0.0.1:$mail_web" PSQL="$(pg_bin)/psql" PG_PORT="$pg_port" \
  KILL_NODE="kill -9 \$(cat '$work/node-1.pid')" TERM_NODE="kill -TERM \$(cat '$work/node-2.pid')" \
  TERM_OTHER_NODE="kill -TERM \$(cat '$work/node-1.pid')" \
  SMTP_DOWN="kill -USR1 $smtp" SMTP_UP="kill -USR2 $smtp" \
  PG_STOP=". scripts/lib/postgres.sh; pg_stop '$work/postgres' fast" \
  PG_START=". scripts/lib/postgres.sh; pg_start '$work/postgres' $pg_port '-c max_connections=60'" \
  CHAOS_SECONDS=${GUISE_CHAOS_SECONDS:-36} \
  node scripts/node-tools/cluster-chaos.mjs || status=$?
if [ "$status" != 0 ]; then
  show_logs
  exit "$status"
fi

server verify-audit || {
  show_logs
  echo "the audit trail does not verify after the faults" >&2
  exit 1
}

kill -TERM "$cluster"
wait "$cluster" || true
if [ "$faults" = none ]; then
  echo "[cluster] load without faults on $nodes node(s): passed"
  exit 0
fi
# Node 1 was killed (137), then node 2 and node 1 stopped by SIGTERM, which must end each with
# status 0; nothing else.
restarts=$(grep -E "^node [0-9]+ stopped" "$log" || true)
expected=$'node 1 stopped (exit status 137); starting it again\nnode 2 stopped (exit status 0); starting it again\nnode 1 stopped (exit status 0); starting it again'
if [ "$restarts" != "$expected" ]; then
  show_logs
  echo "the nodes did not stop as the test stopped them: $restarts" >&2
  exit 1
fi
if grep -q "panicked at" "$work"/node-*.log; then
  show_logs
  echo "a node panicked" >&2
  exit 1
fi
echo "[cluster] passed: node 1 back after kill -9, both nodes after a graceful stop"
