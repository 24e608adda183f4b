#!/usr/bin/env sh
# Pull-request gate for any CI system: install trailguard, scan once (the readable report in the log, the SARIF in
# trailguard.sarif), and fail the step on findings.
#   exit 0: every check passes; 1: findings; 2: a scanner could not run or read a file; 3: nothing failed but no trail
#   in the scan proves the control (a monitoring-only repository whose trail is deployed elsewhere passes
#   --allow-unproven); 4: trailguard could not be installed (network, package index, version): nothing was scanned.
# Usage: examples/ci/gate.sh [trailguard scan options and PATH ...]   (default: the current directory).
# TRAILGUARD_SPEC is what pip installs (pinned to a release by default); TRAILGUARD_PYTHON the Python to use.
set -u
spec="${TRAILGUARD_SPEC:-trailguard[all] @ git+https://github.com/trailguard/trailguard@v0.1.0}"
if ! "${TRAILGUARD_PYTHON:-python3}" -m venv .trailguard-venv \
   || ! .trailguard-venv/bin/python -m pip install -q "$spec"; then
  echo "trailguard gate: could not install $spec (see pip's message above); nothing was scanned (exit 4)" >&2
  exit 4
fi
status=0
.trailguard-venv/bin/python -m trailguard scan --format sarif --format text --output-file sarif=trailguard.sarif "$@" \
  || status=$?
if [ "$status" -ne 0 ]; then
  echo "trailguard scan exited $status (1: findings, 2: scanner error, 3: not proven); SARIF in trailguard.sarif" >&2
fi
exit "$status"
