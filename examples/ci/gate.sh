#!/usr/bin/env sh
# Pull-request gate for any CI system: install trailguard, scan, keep the SARIF, fail the step on findings.
#   exit 0: every check passes; 1: findings (the step fails); 2: a scanner could not run or read a file (fails too);
#   3: nothing failed but no trail in the scan proves the control (fails too; a monitoring-only repository whose
#   trail is deployed elsewhere passes --allow-unproven).
# Usage: examples/ci/gate.sh [PATH ...]   (default: the repository root). TRAILGUARD_SPEC picks the version to install.
set -eu
python3 -m venv .trailguard-venv
.trailguard-venv/bin/pip install -q "${TRAILGUARD_SPEC:-trailguard[all]}"
status=0
.trailguard-venv/bin/trailguard scan --format sarif "$@" > trailguard.sarif || status=$?
if [ "$status" -ne 0 ]; then
  # Show the readable report in the CI log (scanning again costs time only when the gate fails).
  .trailguard-venv/bin/trailguard scan "$@" || true
  echo "trailguard scan exited $status (1: findings, 2: scanner error, 3: not proven); SARIF in trailguard.sarif" >&2
fi
exit "$status"
