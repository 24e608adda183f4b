"""Every Terraform example, scanned by the real Checkov: exact results per check and per resource.

One `checkov -d examples/terraform` run serves every case (a case is one root module, and links never cross
roots). Each case's expected results are written out in full; a failure must also say why, in the words listed.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.terraform.scanners import ROOT, results_by_case, run_checkov

EXAMPLES = ROOT / "examples" / "terraform"
P, F = "PASSED", "FAILED"

TRAIL = "aws_cloudtrail.main"

# {case: {(check id, resource address): result}}
EXPECTED = {
    "compliant/basic": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P,
        ("TG_AWS_2", "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"): P,
        ("TG_AWS_3", "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"): P,
        ("TG_AWS_5", "aws_sns_topic.security_alerts"): P,
    },
}

# {case: {(check id, resource address): [phrases the reason must contain]}}
REASONS = {
}


@pytest.fixture(scope="session")
def scanned():
    run = run_checkov("--framework", "terraform", "-d", str(EXAMPLES))
    assert run.returncode in (0, 1), run.stderr[-3000:]
    assert "internal error" not in run.stderr, run.stderr[-3000:]
    return results_by_case(run.stdout, EXAMPLES)


def hcl_cases():
    return sorted(str(path.parent.relative_to(EXAMPLES)) for path in EXAMPLES.glob("*/*/*.tf*"))


def test_every_example_has_expectations():
    assert set(hcl_cases()) <= set(EXPECTED), set(hcl_cases()) - set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_example_results(case, scanned):
    actual = {key: result for key, (result, _) in scanned.get(case, {}).items()}
    assert actual == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(REASONS))
def test_example_reasons(case, scanned):
    for key, phrases in REASONS[case].items():
        details = " ".join(scanned[case][key][1])
        for phrase in phrases:
            assert phrase in details, (key, phrase, details)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed on this machine")
def test_examples_are_terraform_fmt_clean():
    run = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(EXAMPLES)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
