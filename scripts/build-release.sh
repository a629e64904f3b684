#!/usr/bin/env bash
# Builds what Guise serves, in the release profile: the server binary and the site under
# target/site (the WASM split into lazily loaded chunks, every asset named after its content, and
# each one precompressed). scripts/run.sh and scripts/test.sh both build through here, so the tests
# run exactly what the run command serves. Exits non-zero when any part fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/scripts/build-tools:$HOME/.cargo/bin:$PWD/scripts/node-tools/node_modules/.bin:$PATH"

# With `hash-files` on, cargo-leptos builds the WASM and then the server, one after the other; run
# as two processes, they build side by side on the machine's two cores, as without it. The
# front-end build clears target/site; the server build does not touch it.
cargo leptos build --release --split --frontend-only &
front=$!
cargo leptos build --release --server-only &
server=$!
front_status=0
server_status=0
wait "$front" || front_status=$?
wait "$server" || server_status=$?
if [ "$front_status" != 0 ] || [ "$server_status" != 0 ]; then
  echo "scripts/build-release.sh: the release build failed (WASM: exit $front_status, server: exit $server_status)" >&2
  exit 1
fi
[ -f target/release/hash.txt ] || {
  echo "scripts/build-release.sh: the build wrote no target/release/hash.txt" >&2
  exit 1
}
node scripts/node-tools/optimize-chunks.mjs target/site/pkg 2> >(grep -v "unknown name subsection" >&2)
node scripts/node-tools/precompress.mjs target/site/pkg
