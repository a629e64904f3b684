#!/usr/bin/env bash
# Builds My Account's own WASM bundle into target/my-account-bundle, run by scripts/build-release.sh
# after the site's front end (which then names it and puts it beside the site's files).
#
# The site's bundle hydrates every page; its main module carries the router's table of every lazy
# Console page and, in its data, the Console's texts (a split moves code into chunks, never data).
# A user of My Account needs none of it. This builds the crate frontend/my-account: the same app
# with My Account's routes only (app's `my-account-bundle` feature), hydrating the same
# server-rendered pages, whose other links the browser loads from the server. The server serves it on /myaccount
# pages (app::assets, `myaccount` in hash.txt).
#
# Its dependencies are the site's, compiled once: the same target directory, profile and RUSTFLAGS
# as cargo-leptos' split build, so only app and frontend are compiled again.
set -euo pipefail
cd "$(dirname "$0")/.."

clippy_driver=$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver || true)
(
  if [ -n "$clippy_driver" ]; then export RUSTC_WORKSPACE_WRAPPER="$clippy_driver"; fi
  # What cargo-leptos gives the split build (.cargo/config.toml's flags, then its own).
  export RUSTFLAGS="--cfg erase_components -Clink-args=--emit-relocs"
  exec cargo build --package=my-account-frontend --lib --target-dir=target/front \
    --target=wasm32-unknown-unknown --profile=wasm-release
)

out=target/my-account-bundle
rm -rf "$out"
mkdir -p "$out"
cp target/front/wasm32-unknown-unknown/wasm-release/my_account_frontend.wasm "$out/linked.wasm"
node scripts/node-tools/strip-link-sections.mjs "$out/linked.wasm"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name myaccount "$out/linked.wasm"
# cargo-leptos' optimisation of the site's bundle (through scripts/build-tools/wasm-opt, which keeps
# results by their input).
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --strip-debug \
  "$out/myaccount_bg.wasm" -o "$out/myaccount_bg.wasm"
