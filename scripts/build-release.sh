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
#
# The front end's own crates (app and frontend, for wasm32) go through clippy-driver when the
# toolchain has it: rustc with Clippy's lints added, the same code out. This build is the only one
# that compiles them for the browser (with the `hydrate` code), so it is where their lints are
# read; scripts/test.sh fails on any warning it reports. A separate `cargo clippy` for wasm32 cost
# the tests a full check build of every WASM dependency. Warnings stay warnings here, so that a
# newer Clippy's new lint never stops the run command.
clippy_driver=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver || true)
# My Account's own bundle (scripts/build-my-account.sh) follows the site's front end on its side,
# still beside the server build, which is the longer of the two.
(
  if [ -n "$clippy_driver" ]; then export RUSTC_WORKSPACE_WRAPPER="$clippy_driver"; fi
  cargo leptos build --release --split --frontend-only
  scripts/build-my-account.sh
) &
front=$!
# The server is built by plain rustc (its lints are read in the tests' host build).
env -u RUSTC_WORKSPACE_WRAPPER cargo leptos build --release --server-only &
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
# Named after its content and listed in hash.txt (cargo-leptos writes that file during its builds) once
# both are done.
node scripts/node-tools/place-my-account-bundle.mjs target/my-account-bundle target/site/pkg target/release/hash.txt
node scripts/node-tools/optimize-chunks.mjs target/site/pkg 2> >(grep -v "unknown name subsection" >&2)
node scripts/node-tools/defer-split-loader.mjs target/site/pkg
node scripts/node-tools/precompress.mjs target/site/pkg
