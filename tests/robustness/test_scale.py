"""Scale: a 50 MB CloudFormation template and a Terraform root of 5,000 files, generated at test time.

Bounds (hang detectors, not timing targets): the pure functions finish in well under 10 s on two cores and must
finish within 120 s; the Checkov run over 5,000 files takes about 10 s and must finish within 600 s.
Checkov skips a 50 MB template with only a warning and cfn-lint takes over five minutes on 100,000 resources, so
the 50 MB template is proved through trailguard's own functions (docs/limits.md says so).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from cfnlint.decode.cfn_yaml import load as load_template

from tests.robustness.hostile import ROOT
from tests.robustness.test_pure import terraform_results
from tests.terraform.scanners import run_checkov
from tests.unauthorized_calls import CHECK_IDS
from trailguard.catalog import CHECKS
from trailguard.integrations.cfn_lint.matches import template_problems

pytestmark = pytest.mark.slow
BOUND = 120.0
OR_BUG_TF = ROOT / "examples" / "terraform" / "noncompliant" / "or_bug_pattern" / "main.tf"
OR_BUG_CFN = ROOT / "examples" / "cloudformation" / "noncompliant" / "or_bug.yaml"
FILTER = "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"


def _padded_template(megabytes: int) -> dict:
    template = json.loads(json.dumps(load_template(str(OR_BUG_CFN))))
    padding = {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x" * 450}}
    for index in range(megabytes * 2_000):
        template["Resources"][f"Parameter{index:07d}"] = padding
    return template


def test_a_50_mb_template_is_judged(tmp_path):
    template = _padded_template(50)
    assert len(json.dumps(template)) > 50_000_000
    started = time.monotonic()
    problems = template_problems(template, "big.json")
    assert time.monotonic() - started < BOUND
    assert {(p.check_id, p.logical_id) for p in problems if p.check_id in CHECK_IDS} == {
        ("TG_AWS_2", "UnauthorizedApiCallsFilter"), ("TG_AWS_4", "Trail")}


@pytest.fixture(scope="module")
def many_files(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("many") / "root"
    root.mkdir()
    (root / "main.tf").write_text(OR_BUG_TF.read_text())
    for index in range(5_000):
        (root / f"bucket_{index:04d}.tf").write_text(
            f'resource "aws_s3_bucket" "b{index}" {{\n  bucket = "example-{index}"\n}}\n')
    return root


def test_5000_files_pure(many_files):
    started = time.monotonic()
    results = terraform_results(many_files)
    assert time.monotonic() - started < BOUND
    assert {key: result for key, (result, _) in results.items() if key[0] in CHECK_IDS} == {
        ("TG_AWS_1", "aws_cloudtrail.main"): "PASSED", ("TG_AWS_4", "aws_cloudtrail.main"): "FAILED",
        ("TG_AWS_2", FILTER): "FAILED", ("TG_AWS_3", FILTER): "PASSED",
        ("TG_AWS_5", "aws_sns_topic.security_alerts"): "PASSED"}


def test_5000_files_checkov(many_files):
    run = run_checkov("--framework", "terraform", "-d", str(many_files.parent), timeout=600)
    assert run.returncode == 1, run.stderr[-3000:]
    report = json.loads(run.stdout)
    found = {(r["check_id"], r["resource"]): r["check_result"]["result"]
             for kind in ("passed_checks", "failed_checks") for r in report["results"][kind]}
    assert found[("TG_AWS_2", FILTER)] == "FAILED" and found[("TG_AWS_4", "aws_cloudtrail.main")] == "FAILED"
    assert len(found) == len(CHECKS) and "Traceback" not in run.stderr  # one trail, filter and topic: each check once
