#!/usr/bin/env bash
# SCIM 2.0 compliance check of a running server with scim2-tester, through the scim2-cli command.
#
#   scripts/scim-check.sh BASE_URL [BEARER_TOKEN]
#   e.g. scripts/scim-check.sh http://127.0.0.1:3000/scim/v2 "$TOKEN"
#   scripts/scim-check.sh --install     (only set up the tools: scripts/setup-tools.sh does this)
#
# The tools live in a Python virtual environment at ${GUISE_TOOLS_DIR:-~/.cache/guise-tools}/scim-venv,
# made and filled from PyPI on first use; later runs find the pinned versions there and skip pip.
#
# Exit status: 0 when every check of the tester passed (SKIPPED checks are reported but do not fail
# unless SCIM_CHECK_STRICT=1), 1 when a check reported ERROR or CRITICAL, 2 on a usage or setup error,
# 3 when the tester did not run to the end (server unreachable, discovery failed, crash).
# SCIM_CHECK_VERBOSE=1 makes the tester print the data behind each failed check.
set -euo pipefail

SCIM2_CLI_VERSION=0.6.0
SCIM2_TESTER_VERSION=0.5.2
# scim2-client and scim2-models carry much of what the tester checks: pinned too, so results stay put.
SCIM2_CLIENT_VERSION=0.13.2
SCIM2_MODELS_VERSION=0.12.3

log() { printf '[scim-check] %s\n' "$*" >&2; }
die() { log "$1"; exit "${2:-2}"; }

install_only=
if [ "${1:-}" = --install ] && [ $# -eq 1 ]; then
  install_only=1
elif [ $# -lt 1 ] || [ $# -gt 2 ] || [ -z "$1" ]; then
  die "usage: $0 BASE_URL [BEARER_TOKEN] | --install   (BASE_URL is the SCIM root, e.g. http://127.0.0.1:3000/scim/v2)"
fi
url=${1:-}
token=${2:-}

tools_dir=${GUISE_TOOLS_DIR:-$HOME/.cache/guise-tools}
venv=$tools_dir/scim-venv
pins=(
  "scim2-cli==$SCIM2_CLI_VERSION"
  "scim2-tester==$SCIM2_TESTER_VERSION"
  "scim2-client==$SCIM2_CLIENT_VERSION"
  "scim2-models==$SCIM2_MODELS_VERSION"
)

# True when the venv holds exactly the pinned versions (checked from the dist-info folders: no Python start).
venv_ready() {
  [ -x "$venv/bin/python" ] && [ -x "$venv/bin/scim2" ] || return 1
  local pin name version
  for pin in "${pins[@]}"; do
    name=${pin%%==*}
    version=${pin##*==}
    compgen -G "$venv/lib/python3*/site-packages/${name//-/_}-${version}.dist-info" >/dev/null || return 1
  done
}

# scim2-cli needs Python 3.11 or later.
pick_python() {
  local candidate
  for candidate in ${PYTHON:-} python3 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if ! venv_ready; then
  python=$(pick_python) || die "no Python 3.11+ with the venv module found (set PYTHON=/path/to/python3)"
  if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    log "creating $venv with $python"
    rm -rf "$venv"
    mkdir -p "$tools_dir"
    "$python" -m venv "$venv" || die "'$python -m venv' failed (on Debian: apt-get install python3-venv)"
  fi
  log "pip install ${pins[*]}"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}" ||
    die "pip install failed"
  venv_ready || die "the venv at $venv still lacks the pinned versions after pip install"
fi
if [ -n "$install_only" ]; then
  log "scim2-cli $SCIM2_CLI_VERSION and scim2-tester $SCIM2_TESTER_VERSION ready in $venv"
  exit 0
fi

args=(--url "$url")
if [ -n "$token" ]; then args+=(--header "Authorization: Bearer $token"); fi
test_args=()
if [ "${SCIM_CHECK_VERBOSE:-}" = 1 ]; then test_args+=(--verbose); fi

log "running scim2 test against $url"
set +e
output=$(NO_COLOR=1 "$venv/bin/scim2" "${args[@]}" test "${test_args[@]}" </dev/null 2>&1)
rc=$?
set -e
printf '%s\n' "$output"

# scim2-cli prints one line per check, starting at column 0 with the status name of scim2_tester.Status
# (SUCCESS, COMPLIANT, ACCEPTABLE, DEVIATION, ERROR, CRITICAL, SKIPPED) then the check's title; the
# reason follows on lines indented by two spaces. It exits 1 on any status but SUCCESS, SKIPPED included,
# and also on a discovery failure or an error before any check ran, so the status lines decide here.
plain=$(printf '%s\n' "$output" | sed -E $'s/\x1b\\[[0-9;]*[A-Za-z]//g')
count() { grep -cE "^($1) " <<<"$plain" || true; }
total=$(count 'SUCCESS|COMPLIANT|ACCEPTABLE|DEVIATION|ERROR|CRITICAL|SKIPPED')
passed=$(count 'SUCCESS|COMPLIANT|ACCEPTABLE')
failed=$(count 'ERROR|CRITICAL')
skipped=$(count 'SKIPPED')
deviations=$(count 'DEVIATION')

if [ "$total" -eq 0 ] || ! grep -q '^Performing a SCIM compliance check' <<<"$plain"; then
  log "the tester did not run (scim2 exited $rc); see its output above"
  exit 3
fi
if grep -q '^Traceback (most recent call last)' <<<"$plain"; then
  log "scim2 crashed (exit $rc); see the traceback above"
  exit 3
fi
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  log "scim2 exited $rc"
  exit 3
fi

echo "scim-check: $passed passed, $failed failed, $skipped skipped"
if [ "$deviations" -gt 0 ]; then log "$deviations check(s) reported DEVIATION (a SHOULD not followed)"; fi

if [ "$failed" -gt 0 ]; then
  log "failed checks:"
  grep -E '^(ERROR|CRITICAL) ' <<<"$plain" >&2 || true
  exit 1
fi
if [ "$rc" -eq 1 ] && [ $((skipped + deviations)) -eq 0 ]; then
  # scim2 failed although every status line is a pass: something went wrong beyond the checks.
  log "scim2 exited 1 with no failing, skipped or deviating check"
  exit 3
fi
if [ "${SCIM_CHECK_STRICT:-}" = 1 ] && [ $((skipped + deviations)) -gt 0 ]; then
  log "strict mode: $skipped skipped and $deviations deviating check(s) count as failures"
  exit 1
fi
exit 0
