#!/usr/bin/env bash
# Installs every tool Guise's build and tests need, from the package registries only.
# Idempotent: each step checks what is already there and takes seconds when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[setup] %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ -n "${GUISE_WITH_POSTGRES:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
fi
if [ -n "${GUISE_WITH_HAPROXY:-}" ] && ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
  need_apt+=(haproxy)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup: wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  # no_downloads: cargo-leptos must never fetch tool binaries from the web; a debug build
  # installs in minutes where a release build with LTO takes half an hour on two cores.
  log "cargo install cargo-leptos $CARGO_LEPTOS_VERSION"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads --debug
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
WB_VERSION=${WB_VERSION:-0.2.130}
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  # --locked fails here: its lockfile names a crate version the registry lacks.
  log "cargo install wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --debug --force
fi

# wasm-opt for release builds, from npm's binaryen (Debian's is too old and breaks hydration); MailDev,
# the SMTP server the end-to-end tests start.
if [ ! -x scripts/node-tools/node_modules/.bin/wasm-opt ] || [ ! -x scripts/node-tools/node_modules/.bin/maildev ] || [ scripts/node-tools/package-lock.json -nt scripts/node-tools/node_modules/.package-lock.json ]; then
  log "npm ci (build tools)"
  (cd scripts/node-tools && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ -f end2end/package-lock.json ]; then
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    log "npm ci (end2end)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
if [ -n "${GUISE_WITH_POSTGRES:-}" ]; then
  # The test suite's SCIM compliance check: a Python venv, filled from PyPI once.
  scripts/scim-check.sh --install
fi
log "tools ready"
