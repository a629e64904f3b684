#!/usr/bin/env bash
# Sets up the tools, builds Guise (release profile: server and WASM) and runs it on its embedded
# default: a SQLite file under ./guise-data, served at http://127.0.0.1:3000. Configure it with the
# environment variables in the README. Exits non-zero, with a one-line reason, when the set-up or the
# build fails or when the server does not come up; once it is up, it runs until stopped (Ctrl-C).
#
# With GUISE_NODES set (e.g. GUISE_NODES=2), it runs Guise as several nodes instead: PostgreSQL, the
# nodes and HAProxy in front (scripts/cluster.sh; README, "Running several nodes").
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${GUISE_NODES:-}" ]; then
  exec scripts/cluster.sh
fi
# shellcheck source=lib/http.sh
. scripts/lib/http.sh
export PATH="$HOME/.cargo/bin:$PWD/scripts/node-tools/node_modules/.bin:$PATH"

fail() {
  echo "scripts/run.sh: $*" >&2
  exit 1
}

scripts/setup-tools.sh || fail "setting up the build tools failed (see above)"
scripts/build-release.sh || fail "the release build failed (see above)"

# What `cargo leptos serve` would set, so that the binary finds the site it was built with.
export LEPTOS_OUTPUT_NAME=guise LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
[ -x target/release/server ] && [ -f target/release/hash.txt ] ||
  fail "the build left no target/release/server or target/release/hash.txt"

target/release/server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' INT TERM

# A wildcard listen address is reached through the loopback interface.
probe="http://${LEPTOS_SITE_ADDR/#0.0.0.0:/127.0.0.1:}/.well-known/openid-configuration"
probe="${probe/\[::\]:/[::1]:}"
for _ in $(seq 1 240); do
  if ! kill -0 "$server" 2>/dev/null; then
    status=0
    wait "$server" || status=$?
    fail "Guise stopped during start-up (exit status $status; its log is above)"
  fi
  if answers "$probe"; then
    echo "Guise is running at ${GUISE_PUBLIC_URL:-http://$LEPTOS_SITE_ADDR} (Console: /console, My Account: /myaccount). Ctrl-C stops it."
    status=0
    wait "$server" || status=$?
    # A second wait: the first returns early when the trap above forwarded a signal.
    if kill -0 "$server" 2>/dev/null; then wait "$server" || status=$?; fi
    exit "$status"
  fi
  sleep 0.5
done
kill -TERM "$server" 2>/dev/null || true
fail "Guise did not answer $probe within 120 seconds"
