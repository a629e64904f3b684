#!/usr/bin/env bash
# Sets up every tool, then runs every test: formatting and lints, the engine suite on SQLite and on a
# throwaway PostgreSQL, the server and app unit tests, and the Playwright suite in Debian's Chromium
# against a real server on a fresh SQLite file (which includes the openid-client interoperability test
# and the scim2-tester compliance check, whose Python tools scripts/scim-check.sh installs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/scripts/node-tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never

GUISE_WITH_POSTGRES=1 scripts/setup-tools.sh

step() { printf '\n== %s\n' "$*"; }

step "formatting"
cargo fmt --all --check

step "lints (server side, then the WASM side)"
cargo clippy -q -p engine -p server -p app --all-targets -- -D warnings
cargo clippy -q -p frontend --target wasm32-unknown-unknown -- -D warnings

step "the WASM bundle links no server crates"
leaks=$(cargo tree -q --offline -p frontend --target wasm32-unknown-unknown -e normal \
  | grep -oE '\b(sqlx|axum|jsonwebtoken|tokio|argon2|engine) v' | sort -u || true)
if [ -n "$leaks" ]; then echo "server crates in the WASM build: $leaks" >&2; exit 1; fi

step "engine tests on SQLite"
cargo test -p engine

step "engine tests on PostgreSQL"
scripts/with-postgres.sh cargo test -p engine

step "server and app unit tests"
cargo test -p server -p app

step "release build (server and WASM), as scripts/run.sh builds it"
cargo leptos build --release

step "the sample application the end-to-end tests start (debug, as cargo test builds it)"
cargo build -q -p server --example sample_app

step "end-to-end tests in Chromium, against the release build"
# The server's own output is part of the run: a panic on a worker thread (which can cut a page
# short without failing the request that caused it) fails the suite too.
e2e_log=$(mktemp)
(cd end2end && npx playwright test) 2>&1 | tee "$e2e_log"
if grep -q "panicked at" "$e2e_log"; then
  echo "the server panicked during the end-to-end tests (see above)" >&2
  exit 1
fi
rm -f "$e2e_log"

step "the README's run command: scripts/run.sh serves Guise and an administrator signs in"
scripts/run-check.sh
