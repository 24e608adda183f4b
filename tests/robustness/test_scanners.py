"""Hostile and broken input through the real `checkov` and `cfn-lint` commands, all cases in one run per scanner.

Each hostile case is its own Terraform root or CloudFormation template beside the others and beside files the
scanners cannot parse at all (broken HCL, JSON and YAML, invalid UTF-8). For every case the affected filter fails
with its reason, the rest of the case is still judged, the unparsable files show up as the scanner's own parse
errors, and no Python traceback reaches the user.

Bound: one Checkov run over all of it takes about a minute on two cores, one cfn-lint run a few seconds; the
assertion is the 600 s hang detector of the subprocess call.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from tests.robustness.hostile import (
    CLOUDFORMATION_CASES,
    MINIMAL_TF,
    MINIMAL_TF_REASONS,
    PATTERNS,
    TERRAFORM_CASES,
    TF_BASIC,
    cloudformation_case,
    terraform_case,
    write_module_cycle,
)
from tests.terraform.scanners import run_checkov
from trailguard.catalog import CHECKS

HANG = 600
TF_FILTER = "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"
CFN_FILTER = "AWS::Logs::MetricFilter.UnauthorizedApiCallsFilter"
UNPARSABLE = {
    "terraform/broken_hcl/main.tf": 'resource "aws_cloudwatch_metric_alarm" "x" {\n  alarm_name = "a\n',
    "terraform/broken_json/main.tf.json": '{"resource": {"aws_sns_topic": {"x": {',
    "cloudformation/broken.yaml": "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n   Properties: [\n",
    "cloudformation/broken.json": '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"',
}
NOT_UTF8 = b"# \xff\xfe not UTF-8 \xc3\x28\n"  # in a comment: Checkov's YAML reader skips it, its HCL reader does not
# A scanner parses its own files: a case Checkov's HCL parser rejects is its parse error, not a trailguard result.
CHECKOV_PARSE_ERRORS = {"terraform/deep_expression/main.tf", "terraform/invalid_utf8/main.tf",
                        "terraform/broken_hcl/main.tf", "cloudformation/broken.yaml", "cloudformation/broken.json"}

# Intrinsic functions nested a few hundred deep crash Checkov's own CloudFormation parser (RecursionError, exit 2),
# and hang Checkov when it runs several frameworks at once: a Checkov bug before trailguard runs (docs/limits.md).
# cfn-lint reports them as its own parse error; trailguard's own message is proved in test_pure.py.
CHECKOV_CLOUDFORMATION_CASES = [name for name in CLOUDFORMATION_CASES if name != "deep_intrinsics"]
# What TG_AWS_2 must say in each template both scanners judge (the one that is not UTF-8 holds the empty pattern).
CFN_REASONS = {name: PATTERNS[name].cloudformation_reason for name in CHECKOV_CLOUDFORMATION_CASES}
CFN_REASONS["invalid_utf8"] = PATTERNS["empty"].cloudformation_reason

Results = Dict[Tuple[str, str, str], Tuple[str, List[str]]]  # (case, check id, resource) -> (result, details)


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    for name in TERRAFORM_CASES:
        (base / "terraform" / name).mkdir(parents=True)
        (base / "terraform" / name / "main.tf").write_text(terraform_case(name))
    write_module_cycle(base / "terraform" / "module_cycle")
    (base / "terraform" / "minimal").mkdir()
    (base / "terraform" / "minimal" / "main.tf").write_text(MINIMAL_TF)
    (base / "cloudformation").mkdir()
    for name in CHECKOV_CLOUDFORMATION_CASES:
        (base / "cloudformation" / f"{name}.yaml").write_text(cloudformation_case(name))
    for relative, text in UNPARSABLE.items():
        (base / relative).parent.mkdir(parents=True, exist_ok=True)
        (base / relative).write_text(text)
    # The broken file holds the root's alarm; the rest of the chain is in a valid neighbour.
    alarm = TF_BASIC.index('resource "aws_cloudwatch_metric_alarm"')
    (base / "terraform" / "broken_hcl" / "chain.tf").write_text(TF_BASIC[:alarm])
    (base / "terraform" / "invalid_utf8").mkdir()
    (base / "terraform" / "invalid_utf8" / "main.tf").write_bytes(NOT_UTF8 + terraform_case("empty").encode())
    (base / "cloudformation" / "invalid_utf8.yaml").write_bytes(NOT_UTF8 + cloudformation_case("empty").encode())
    return base


@pytest.fixture(scope="module")
def checkov(tree) -> Tuple[Results, dict, str]:
    run = run_checkov("--framework", "terraform", "cloudformation", "-d", str(tree), timeout=HANG)
    assert run.returncode in (0, 1), run.stderr[-3000:]
    documents = json.loads(run.stdout)
    documents = documents if isinstance(documents, list) else [documents]
    results: Results = {}
    parse_errors: dict = {}
    for document in documents:
        parse_errors[document["check_type"]] = document["results"].get("parsing_errors", [])
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            for record in document["results"][kind]:
                case = str(Path(record["file_abs_path"]).resolve().relative_to(tree.resolve()).parent)
                if case == "cloudformation":
                    case = "cloudformation/" + Path(record["file_abs_path"]).stem
                key = (case, record["check_id"], record["resource"])
                assert key not in results, f"two results for {key}"
                results[key] = (record["check_result"]["result"], record.get("details") or [])
    return results, parse_errors, run.stderr


def test_no_traceback_reaches_the_user(checkov):
    assert "Traceback" not in checkov[2], checkov[2][-3000:]


@pytest.mark.parametrize("name", [name for name in TERRAFORM_CASES
                                  if f"terraform/{name}/main.tf" not in CHECKOV_PARSE_ERRORS])
def test_checkov_terraform_hostile_pattern(checkov, name):
    results = checkov[0]
    result, details = results[(f"terraform/{name}", "TG_AWS_2", TF_FILTER)]
    assert result == "FAILED" and PATTERNS[name].reason in " ".join(details), details
    assert results[(f"terraform/{name}", "TG_AWS_1", "aws_cloudtrail.main")][0] == "PASSED"
    assert results[(f"terraform/{name}", "TG_AWS_4", "aws_cloudtrail.main")][0] == "FAILED"


@pytest.mark.parametrize("name", sorted(CFN_REASONS))
def test_checkov_cloudformation_hostile_pattern(checkov, name):
    results = checkov[0]
    result, details = results[(f"cloudformation/{name}", "TG_AWS_2", CFN_FILTER)]
    assert result == "FAILED" and CFN_REASONS[name] in " ".join(details), details
    assert results[(f"cloudformation/{name}", "TG_AWS_4", "AWS::CloudTrail::Trail.Trail")][0] == "FAILED"


def test_checkov_module_cycle_and_minimal_resources(checkov):
    results = checkov[0]
    result, details = results[("terraform/module_cycle", "TG_AWS_2", TF_FILTER)]
    assert result == "FAILED" and "depends on itself through its inputs" in " ".join(details)
    for (check_id, resource), reason in MINIMAL_TF_REASONS.items():
        result, details = results[("terraform/minimal", check_id, resource)]
        assert result == "FAILED" and reason in " ".join(details), (check_id, resource, details)


def test_unparsable_files_are_checkovs_parse_errors_and_their_neighbours_still_fail_visibly(checkov, tree):
    results, parse_errors, _ = checkov
    named = {str(Path(error).resolve().relative_to(tree.resolve())) for errors in parse_errors.values()
             for error in errors}
    assert named == CHECKOV_PARSE_ERRORS
    # Its neighbour is still judged, and the missing alarm's reason names the unreadable file where it may be.
    assert results[("terraform/broken_hcl", "TG_AWS_2", TF_FILTER)][0] == "PASSED"
    result, details = results[("terraform/broken_hcl", "TG_AWS_3", TF_FILTER)]
    assert result == "FAILED" and "broken_hcl/main.tf:2: not valid HCL" in " ".join(details), details


@pytest.fixture(scope="module")
def cfn_lint(tree) -> Tuple[List[dict], str]:
    (tree / "cfn_lint_only").mkdir(exist_ok=True)
    (tree / "cfn_lint_only" / "deep_intrinsics.yaml").write_text(cloudformation_case("deep_intrinsics"))
    files = sorted(str(path) for folder in ("cloudformation", "cfn_lint_only") for path in (tree / folder).iterdir())
    run = subprocess.run([str(Path(sys.executable).parent / "cfn-lint"), "--append-rules=trailguard.cfn_lint_rules",
                          "-f", "json", *files], capture_output=True, text=True, timeout=HANG)
    assert run.returncode & ~(2 | 4 | 8) == 0, run.stderr[-3000:]
    return json.loads(run.stdout), run.stderr


@pytest.mark.parametrize("name", CHECKOV_CLOUDFORMATION_CASES)
def test_cfn_lint_hostile_pattern(cfn_lint, name):
    rules = {check.id: check.cfn_lint_id for check in CHECKS.values()}
    matches = [m for m in cfn_lint[0] if Path(m["Filename"]).stem == name]
    messages = " ".join(m["Message"] for m in matches if m["Rule"]["Id"] == rules["TG_AWS_2"])
    assert CFN_REASONS[name] in messages, matches
    assert any(m["Rule"]["Id"] == rules["TG_AWS_4"] for m in matches)


def test_cfn_lint_reports_its_own_parse_errors_without_a_traceback(cfn_lint):
    errors = {Path(m["Filename"]).name for m in cfn_lint[0] if m["Rule"]["Id"] == "E0000"}
    errors |= {Path(m["Filename"]).name for m in cfn_lint[0] if m["Rule"]["Id"] == "E0003"}
    assert errors == {"broken.yaml", "broken.json", "deep_intrinsics.yaml", "invalid_utf8.yaml"}
    assert "Traceback" not in cfn_lint[1]
