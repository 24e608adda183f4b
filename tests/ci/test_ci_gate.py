"""The CI gate examples: the workflow parses and has the steps a pull-request gate needs, and the shell gate is valid
sh. That `trailguard scan --format sarif` over the examples is valid SARIF 2.1.0 with the reason in each result's
`message.text` is tested on the session's one scan of the examples (tests/e2e/test_scan_examples.py).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "examples" / "ci"


def test_the_workflow_parses_and_gates_the_pull_request():
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["trailguard"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in runs and "trailguard[all]" in runs
    assert "@v0.1.0" in runs  # the tool version is pinned
    assert "trailguard scan --format text --format sarif --output-file sarif=trailguard.sarif ." in runs  # one scan
    assert workflow["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    assert upload["with"]["sarif_file"] == "trailguard.sarif" and upload["if"] == "always()"
    assert upload["continue-on-error"] is True  # a fork's pull request may not upload; that alone stays green
    fail = steps[-1]
    assert fail["if"] == "steps.scan.outputs.status != '0'" and "exit 1" in fail["run"]


def test_the_shell_gate_is_valid_sh_and_propagates_the_exit_code():
    gate = CI / "gate.sh"
    assert subprocess.run(["sh", "-n", str(gate)]).returncode == 0
    text = gate.read_text()
    assert "trailguard scan --format sarif" in text and 'exit "$status"' in text
