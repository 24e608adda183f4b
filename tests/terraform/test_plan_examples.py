"""Plan files (`terraform show -json`) scanned by the real Checkov in its terraform_plan framework."""

from __future__ import annotations

import pytest

from tests.terraform.scanners import ROOT, results_by_case, run_checkov

EXAMPLES = ROOT / "examples" / "terraform"
P, F = "PASSED", "FAILED"
TRAIL = "aws_cloudtrail.main"
FILTER = "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"
TOPIC = "aws_sns_topic.security_alerts"

EXPECTED = {
    "compliant/plan_json": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P, ("TG_AWS_4", TRAIL): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/plan_json_or_bug": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_2", FILTER): F, ("TG_AWS_3", FILTER): P, ("TG_AWS_4", TRAIL): F,
        ("TG_AWS_5", TOPIC): P,
    },
}


@pytest.fixture(scope="session")
def scanned_plans():
    run = run_checkov("--framework", "terraform_plan", "-d", str(EXAMPLES))
    assert run.returncode in (0, 1), run.stderr[-3000:]
    return results_by_case(run.stdout, EXAMPLES)


def test_every_plan_example_has_expectations():
    cases = {str(path.parent.relative_to(EXAMPLES)) for path in EXAMPLES.glob("*/*/plan.json")}
    assert cases == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_plan_example_results(case, scanned_plans):
    assert {key: result for key, (result, _) in scanned_plans[case].items()} == EXPECTED[case]


def test_the_or_bug_set_by_a_variable_is_caught_in_the_plan(scanned_plans):
    details = " ".join(scanned_plans["noncompliant/plan_json_or_bug"][("TG_AWS_2", FILTER)][1])
    assert "counts calls that were not denied" in details and '"eventName": "GetObject"' in details
