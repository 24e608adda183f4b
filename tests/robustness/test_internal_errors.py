"""Never a silent pass: an exception inside trailguard becomes a FAILED "internal error" result plus a logged
traceback, in Checkov for Terraform, plan JSON and CloudFormation in every parallel mode, and in the real cfn-lint.

The exception is injected by loading one more external-checks directory (or cfn-lint rules file) that replaces
trailguard's analysis with one that raises; nothing in the scanners is mocked. The default-mode Terraform case is in
tests/terraform/test_checkov_integration.py and the in-process cfn-lint case in tests/cloudformation.

Bound: one Checkov run per mode, about 15 s each; the 600 s subprocess timeout is only a hang detector.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terraform.scanners import ROOT, run_checkov
from trailguard.catalog import CHECKS

INJECT = ROOT / "tests" / "fixtures" / "checkov_inject"
EXAMPLES = ROOT / "examples"
MESSAGE = "injected failure for the test"
# Every resource a check attaches to, in each of the three inputs: all must be FAILED with the injected error.
EXPECTED = {(framework, check_id) for framework in ("terraform", "terraform_plan", "cloudformation")
            for check_id in CHECKS}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("inputs")
    shutil.copytree(EXAMPLES / "terraform" / "compliant" / "basic", base / "hcl")
    shutil.copytree(EXAMPLES / "terraform" / "compliant" / "plan_json", base / "plan")
    (base / "cfn").mkdir()
    shutil.copy(EXAMPLES / "cloudformation" / "compliant" / "plain_chain.yaml", base / "cfn")
    return base


@pytest.mark.parametrize("mode", ["fork", "thread", "none"])
def test_every_result_fails_with_the_error_in_every_parallel_mode(inputs, mode):
    run = run_checkov("--framework", "terraform", "terraform_plan", "cloudformation", "-d", str(inputs),
                      "--external-checks-dir", str(INJECT), env={"CHECKOV_PARALLELIZATION_TYPE": mode}, timeout=600)
    assert run.returncode == 1, run.stderr[-3000:]
    documents = json.loads(run.stdout)
    seen = set()
    for document in documents if isinstance(documents, list) else [documents]:
        assert not document["results"]["passed_checks"], document["check_type"]
        for record in document["results"]["failed_checks"]:
            assert MESSAGE in " ".join(record["details"]) and "internal error" in " ".join(record["details"])
            seen.add((document["check_type"], record["check_id"]))
    assert seen == EXPECTED
    assert "Traceback" in run.stderr and MESSAGE in run.stderr


def test_cfn_lint_command_reports_an_internal_error_as_a_match_with_a_traceback():
    template = EXAMPLES / "cloudformation" / "compliant" / "plain_chain.yaml"
    run = subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), "--append-rules=trailguard.cfn_lint_rules",
                          f"--append-rules={ROOT / 'tests' / 'fixtures' / 'cfn_lint_inject'}", "-f", "json",
                          str(template)], capture_output=True, text=True, timeout=600)
    matches = json.loads(run.stdout)
    assert {m["Rule"]["Id"] for m in matches} == {check.cfn_lint_id for check in CHECKS.values()}
    assert all(MESSAGE in m["Message"] and "internal error" in m["Message"] for m in matches)
    assert run.returncode & 2, "an internal error must fail the run"
    assert "Traceback" in run.stderr and MESSAGE in run.stderr
