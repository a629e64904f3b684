#!/usr/bin/env bash
# Sets up the tools, builds Guise (release) and runs it on its embedded default: a SQLite file under
# ./guise-data, served at http://127.0.0.1:3000. Configure with the environment variables in the README.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/scripts/node-tools/node_modules/.bin:$PATH"
scripts/setup-tools.sh
exec cargo leptos serve --release
