#!/usr/bin/env bash
# Runs Guise as several nodes on this machine: a PostgreSQL they share (Debian's), N Guise nodes
# from the release build (default 2), each on a port of its own, and HAProxy (Debian's) in front,
# balancing round robin without sticky sessions and sending traffic only to nodes whose
# /health/ready answers. Prints the public URL; Ctrl-C stops everything. The database lives in
# $GUISE_CLUSTER_DATA (default guise-data/cluster) and survives restarts, beside each node's log
# and audit log file.
#
#   GUISE_NODES=3 scripts/cluster.sh
#
# Settings (besides the README's, which every node gets): GUISE_NODES, GUISE_CLUSTER_PORT (the
# load balancer, default 3000), GUISE_FIRST_NODE_PORT (default 3101; node i listens on it + i - 1),
# GUISE_CLUSTER_PG_PORT (default 5433; below the ephemeral port range, so no outgoing connection can
# hold it while PostgreSQL restarts), GUISE_CLUSTER_DATA.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/postgres.sh
. scripts/lib/postgres.sh
# shellcheck source=lib/http.sh
. scripts/lib/http.sh
export PATH="$HOME/.cargo/bin:$PWD/scripts/node-tools/node_modules/.bin:$PATH:/usr/sbin"

fail() {
  echo "scripts/cluster.sh: $*" >&2
  exit 1
}

NODES=${GUISE_NODES:-2}
PORT=${GUISE_CLUSTER_PORT:-3000}
FIRST_NODE_PORT=${GUISE_FIRST_NODE_PORT:-3101}
PG_PORT=${GUISE_CLUSTER_PG_PORT:-5433}
DATA=$(mkdir -p "${GUISE_CLUSTER_DATA:-guise-data/cluster}" && cd "${GUISE_CLUSTER_DATA:-guise-data/cluster}" && pwd)
[[ "$NODES" =~ ^[1-9][0-9]?$ ]] || fail "GUISE_NODES must be a number from 1 to 99 (got $NODES)"

GUISE_WITH_POSTGRES=1 GUISE_WITH_HAPROXY=1 scripts/setup-tools.sh ||
  fail "setting up the tools failed (see above)"
scripts/build-release.sh || fail "the release build failed (see above)"
[ -x target/release/server ] && [ -f target/release/hash.txt ] ||
  fail "the build left no target/release/server or target/release/hash.txt"

pids=()
haproxy_pid=""
stop_all() {
  # Everything is stopped, whatever exit status each part ends with.
  set +e
  trap - INT TERM EXIT
  if [ -n "$haproxy_pid" ]; then kill -TERM "$haproxy_pid" 2>/dev/null; fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  if [ -n "$haproxy_pid" ]; then wait "$haproxy_pid" 2>/dev/null; fi
  pg_stop "$DATA/postgres"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# The database: durable (fsync on), with room for every node's pool.
pg_start "$DATA/postgres" "$PG_PORT" "-c max_connections=$((NODES * 20 + 20))" ||
  fail "PostgreSQL did not start (see $DATA/postgres/log)"
PG_BIN=$(pg_bin)
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'guise'" |
  grep -q 1 || "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres guise
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/guise"

# Every node: the same public URL (the balancer's), the same database, its own port and audit file;
# the balancer, on this machine, is the only proxy trusted to name the client.
export GUISE_PUBLIC_URL="${GUISE_PUBLIC_URL:-http://127.0.0.1:$PORT}"
export GUISE_TRUSTED_PROXIES="${GUISE_TRUSTED_PROXIES:-127.0.0.1}"
export LEPTOS_OUTPUT_NAME=guise LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD

# start_node I: starts node I in the background, its output in $DATA/node-I.log.
start_node() {
  local i=$1
  LEPTOS_SITE_ADDR="127.0.0.1:$((FIRST_NODE_PORT + i - 1))" GUISE_AUDIT_LOG="$DATA/audit-node-$i.log" \
    target/release/server >>"$DATA/node-$i.log" 2>&1 &
  pids[i - 1]=$!
  echo "${pids[i - 1]}" >"$DATA/node-$i.pid"
}

servers=""
for i in $(seq 1 "$NODES"); do
  start_node "$i"
  servers+="    server node$i 127.0.0.1:$((FIRST_NODE_PORT + i - 1)) check"$'\n'
done

# Round robin, no stickiness: any node serves any request. A node is taken out after two failed
# readiness checks 1 s apart and back after two good ones; a request refused on connect is retried
# on another node.
cat >"$DATA/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch
    option forwardfor
    # With no node ready (the database is down), answer as a node would: 503, when to retry, and
    # the OAuth error in JSON.
    http-error status 503 content-type application/json string "{\"error\":\"temporarily_unavailable\",\"error_description\":\"No Guise node is ready; try again.\"}" hdr Retry-After 1 hdr Cache-Control no-store
frontend guise
    bind 127.0.0.1:$PORT
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk GET /health/ready
    default-server inter 1s fall 2 rise 2
$servers
CFG
haproxy -f "$DATA/haproxy.cfg" -db >>"$DATA/haproxy.log" 2>&1 &
haproxy_pid=$!

for _ in $(seq 1 240); do
  for i in $(seq 1 "$NODES"); do
    kill -0 "${pids[i - 1]}" 2>/dev/null || fail "node $i stopped during start-up (see $DATA/node-$i.log)"
  done
  kill -0 "$haproxy_pid" 2>/dev/null || fail "HAProxy stopped during start-up (see $DATA/haproxy.log)"
  ready=0
  for i in $(seq 1 "$NODES"); do
    if answers "http://127.0.0.1:$((FIRST_NODE_PORT + i - 1))/health/ready"; then
      ready=$((ready + 1))
    fi
  done
  if [ "$ready" = "$NODES" ] &&
    answers "http://127.0.0.1:$PORT/.well-known/openid-configuration"; then
    echo "Guise cluster is running at $GUISE_PUBLIC_URL ($NODES nodes on ports $FIRST_NODE_PORT-$((FIRST_NODE_PORT + NODES - 1)), PostgreSQL on $PG_PORT, logs in $DATA). Ctrl-C stops it."
    # A node that bootstrapped the database printed the administrator's password, if it made one.
    grep -h "generated password" "$DATA"/node-*.log 2>/dev/null | tail -n 1 || true
    # Until stopped, as a supervisor: a node that dies (a crash, kill -9) is started again a
    # second later; the balancer routes around it meanwhile and takes it back once it is ready.
    while kill -0 "$haproxy_pid" 2>/dev/null; do
      for i in $(seq 1 "$NODES"); do
        if ! kill -0 "${pids[i - 1]}" 2>/dev/null; then
          status=0
          wait "${pids[i - 1]}" 2>/dev/null || status=$?
          echo "node $i stopped (exit status $status); starting it again"
          sleep 1
          start_node "$i"
        fi
      done
      sleep 0.5
    done
    fail "HAProxy stopped (see $DATA/haproxy.log)"
  fi
  sleep 0.5
done
fail "the cluster did not come up within 120 seconds (see the logs in $DATA)"
