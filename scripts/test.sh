#!/usr/bin/env bash
# Sets up every tool, then runs every test: formatting and lints, the engine suite on SQLite and on a
# throwaway PostgreSQL, the server and app tests (the server rendering every page included), the
# release build, the Playwright suite in Debian's Chromium against it (which includes the
# openid-client interoperability test and the scim2-tester compliance check), the README's run
# command, and several nodes behind a load balancer under faults. Each step prints its wall time as
# it ends; a table of them closes the run (pass or fail).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/scripts/node-tools/node_modules/.bin:$PATH"
export CARGO_TERM_COLOR=never

step_name=""
step_started=0
run_started=$(date +%s)
timings=()

end_step() {
  [ -n "$step_name" ] || return 0
  local took=$(($(date +%s) - step_started))
  printf '== %s: %d s\n' "$step_name" "$took"
  timings+=("$(printf '%5d s  %s' "$took" "$step_name")")
  step_name=""
}

step() {
  end_step
  step_name="$*"
  step_started=$(date +%s)
  printf '\n== %s\n' "$*"
}

timing_table() {
  local status=$?
  rm -rf "${scratch:-}"
  end_step
  printf '\n== step times\n'
  printf '%s\n' "${timings[@]}"
  printf '%5d s  total (%s)\n' "$(($(date +%s) - run_started))" "$([ "$status" = 0 ] && echo passed || echo FAILED)"
}
trap timing_table EXIT

# Every database the suites create lives under one scratch folder, removed when the run ends: the
# Rust harnesses put theirs in the temp directory (`guise-engine-tests`, `guise-server-tests`), the
# end-to-end suite its SQLite file and audit log wherever these say.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/guise-test-run.XXXXXX")
chmod 755 "$scratch"
export TMPDIR="$scratch"
export GUISE_E2E_DATABASE_URL="sqlite://$scratch/e2e/guise.db?mode=rwc"
export GUISE_E2E_AUDIT_LOG="$scratch/e2e/audit.log"
mkdir -p "$scratch/e2e"

step "set-up (tools from the package registries; seconds when installed)"
GUISE_WITH_POSTGRES=1 GUISE_WITH_HAPROXY=1 scripts/setup-tools.sh

step "formatting"
cargo fmt --all --check

step "the WASM bundle links no server crates"
leaks=$(cargo tree -q --offline -p frontend -p my-account-frontend --target wasm32-unknown-unknown -e normal |
  grep -oE '\b(sqlx|axum|jsonwebtoken|tokio|argon2|engine) v' | sort -u || true)
if [ -n "$leaks" ]; then
  echo "server crates in the WASM build: $leaks" >&2
  exit 1
fi

# One cargo invocation, one feature resolution: every host test binary (and the sample application,
# which `cargo test` builds as an example) is compiled once, and the PostgreSQL pass reuses them.
# The same compilation is the server-side lint: clippy-driver compiles the workspace's own crates
# (what `cargo clippy` does, minus a second, check-only build of every dependency), with warnings
# denied; the dependencies are compiled once, by rustc, for the tests.
host_tests=(cargo test -p engine -p server -p app)
export RUSTC_WORKSPACE_WRAPPER
RUSTC_WORKSPACE_WRAPPER=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" # cargo clippy's own encoding of `-- -D warnings`

step "lints, server side, while building every host test target (benches included) and the sample application"
"${host_tests[@]}" --all-targets --no-run

step "engine, server and app tests on SQLite"
"${host_tests[@]}"

step "engine integration tests on PostgreSQL"
# Only the database-backed binary: the unit tests touch no database. Run as cargo runs it, from
# its package's directory.
engine_suite=$("${host_tests[@]}" --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "engine" \
            and m["target"]["kind"] == ["test"] and m.get("executable"):
        print(m["executable"])
')
if [ -z "$engine_suite" ]; then
  echo "the engine's integration test binary was not found" >&2
  exit 1
fi
(cd server/engine && ../../scripts/with-postgres.sh "$engine_suite")

# The sample application the end-to-end tests start came from the host test build (`cargo test`
# builds examples); building it on its own would resolve features anew and compile again.
if [ ! -x target/debug/examples/sample_app ]; then
  echo "the host test build left no target/debug/examples/sample_app" >&2
  exit 1
fi
# What follows builds exactly what scripts/run.sh builds, with plain rustc.
unset RUSTC_WORKSPACE_WRAPPER CLIPPY_ARGS

step "release build (server and WASM), as scripts/run.sh builds it, with the WASM side's lints"
# The front end's crates are compiled for the browser only here, through clippy-driver
# (scripts/build-release.sh): any warning it reports fails the run, as `-D warnings` does on the
# host side. Cargo repeats a crate's warnings when it finds the crate already built.
release_log=$(mktemp)
scripts/build-release.sh 2>&1 | tee "$release_log"
if grep -E "generated [0-9]+ warnings?" "$release_log" >&2; then
  echo "the release build has warnings (above): the WASM side's lints or rustc's" >&2
  exit 1
fi
rm -f "$release_log"

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

step "several nodes on PostgreSQL behind HAProxy, under kill -9 and a database restart: scripts/cluster-check.sh"
scripts/cluster-check.sh
