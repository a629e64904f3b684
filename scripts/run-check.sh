#!/usr/bin/env bash
# Proves the README's run command: starts `scripts/run.sh` as a user would (on a fresh SQLite file and
# a port of its own), waits until it says Guise is up, signs in to the Console in Chromium, then stops
# it. Fails when run.sh fails, never comes up, or the sign-in does not work.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${GUISE_RUN_CHECK_PORT:-3290}
work=$(mktemp -d /tmp/guise-run-check.XXXXXX)
log="$work/run.log"
password="run-check-$RANDOM$RANDOM"

LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$work/guise.db?mode=rwc" \
  GUISE_ADMIN_PASSWORD="$password" RUST_LOG=warn scripts/run.sh >"$log" 2>&1 &
runner=$!
stop() {
  # run.sh forwards the signal to the server it started and waits for it.
  kill -TERM "$runner" 2>/dev/null || true
  wait "$runner" 2>/dev/null || true
}
trap 'stop; rm -rf "$work"' EXIT

# Set-up and build are no-ops after the test suite's release build; the first start creates a key.
for _ in $(seq 1 600); do
  if grep -q "^Guise is running at" "$log"; then break; fi
  if ! kill -0 "$runner" 2>/dev/null; then
    cat "$log" >&2
    echo "scripts/run.sh exited before Guise came up" >&2
    exit 1
  fi
  sleep 1
done
if ! grep -q "^Guise is running at" "$log"; then
  cat "$log" >&2
  echo "scripts/run.sh did not bring Guise up within 10 minutes" >&2
  exit 1
fi

(cd end2end && GUISE_RUN_CHECK_URL="http://127.0.0.1:$port" GUISE_RUN_CHECK_PASSWORD="$password" \
  npx playwright test --config playwright.run-check.config.ts)

stop
if grep -q "panicked at" "$log"; then
  cat "$log" >&2
  echo "the server started by scripts/run.sh panicked" >&2
  exit 1
fi
