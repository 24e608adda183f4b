"""The CI gate examples: the workflow parses and has the steps a pull-request gate needs, the shell gate is valid sh,
and `trailguard scan --format sarif` is valid SARIF 2.1.0 with the reason in each result's `message.text`.

The SARIF schema is the OASIS sarif-schema-2.1.0.json, vendored in tests/fixtures/sarif/ (source and licence in its
README), so the schema test runs offline.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.sarif_schema import sarif_schema_errors

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "examples" / "ci"


def trailguard() -> str:
    found = shutil.which("trailguard", path=str(Path(sys.executable).parent)) or shutil.which("trailguard")
    assert found
    return found


@pytest.fixture(scope="module")
def sarif() -> dict:
    scan = subprocess.run([trailguard(), "scan", "--format", "sarif", "examples"], cwd=str(ROOT),
                          capture_output=True, text=True, timeout=900)
    assert scan.returncode == 1, scan.stderr
    return json.loads(scan.stdout)


def test_the_sarif_log_is_valid_sarif_2_1_0(sarif):
    assert sarif_schema_errors(sarif) == []


def test_the_sarif_log_has_the_required_shape_and_the_reasons(sarif):
    assert sarif["version"] == "2.1.0" and len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["TG_AWS_1", "TG_AWS_2", "TG_AWS_3", "TG_AWS_4", "TG_AWS_5"]
    assert run["invocations"][0]["executionSuccessful"] is True
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert (ROOT / location["artifactLocation"]["uri"]).is_file() and location["region"]["startLine"] >= 1
    or_bug = [r for r in run["results"] if r["ruleId"] == "TG_AWS_2"
              and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("or_bug.yaml")]
    assert len(or_bug) == 1 and "which succeeded (no errorCode), matches" in or_bug[0]["message"]["text"]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert suppressed and all(r["suppressions"][0]["justification"] for r in suppressed)


def test_the_workflow_parses_and_gates_the_pull_request():
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["trailguard"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in runs and "trailguard[all]" in runs
    assert "trailguard scan --format sarif . > trailguard.sarif" in runs
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == "trailguard.sarif" and upload["if"] == "always()"
    fail = steps[-1]
    assert fail["if"] == "steps.scan.outputs.status != '0'" and "exit 1" in fail["run"]


def test_the_shell_gate_is_valid_sh_and_propagates_the_exit_code():
    gate = CI / "gate.sh"
    assert subprocess.run(["sh", "-n", str(gate)]).returncode == 0
    text = gate.read_text()
    assert "trailguard scan --format sarif" in text and 'exit "$status"' in text
