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
FILTER = "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"
TOPIC = "aws_sns_topic.security_alerts"

# {case: {(check id, resource address): result}}
EXPECTED = {
    "compliant/basic": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P,
        ("TG_AWS_2", "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"): P,
        ("TG_AWS_3", "aws_cloudwatch_log_metric_filter.unauthorized_api_calls"): P,
        ("TG_AWS_5", "aws_sns_topic.security_alerts"): P,
    },
    # --- one link broken at a time ---------------------------------------------------------------------------
    # The trail: TG_AWS_1 and the chain fail; the filter, the alarm and the topic are fine on their own.
    "noncompliant/single_region": {
        ("TG_AWS_1", TRAIL): F, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/logging_disabled": {
        ("TG_AWS_1", TRAIL): F, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/no_global_service_events": {
        ("TG_AWS_1", TRAIL): F, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/no_management_events": {
        ("TG_AWS_1", TRAIL): F, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/read_only_management_events": {
        ("TG_AWS_1", TRAIL): F, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/no_cloudwatch_logs": {
        ("TG_AWS_1", TRAIL): F, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # The link between trail and filter: only the chain fails.
    "noncompliant/filter_on_other_log_group": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # The pattern: TG_AWS_2 and the chain fail; the alarm still watches the metric, so its topic is judged.
    "noncompliant/or_bug_pattern": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): F, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/exact_values_pattern": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): F, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/optional_field_exclusion": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): F, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/wildcard_exclusion": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): F, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/typo_pattern": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): F, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # The alarm: TG_AWS_3 and the chain fail; no good alarm notifies the topic, so TG_AWS_5 reports nothing.
    "noncompliant/namespace_mismatch": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/alarm_on_filter_name": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/average_threshold_5": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/datapoints_to_alarm_3": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/actions_disabled": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/only_ok_actions": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/lambda_action": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/dimensions_on_filter": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/count_zero": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    # The topic: the chain holds; only the advisory check fails.
    "noncompliant/topic_without_subscription": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): F,
    },
}

# {case: {(check id, resource address): [phrases the reason must contain]}}
REASONS = {
    "noncompliant/single_region": {
        ("TG_AWS_1", TRAIL): ["records only its own region", "is_multi_region_trail = true"],
        ("TG_AWS_4", TRAIL): ["trail: the trail records only its own region"],
    },
    "noncompliant/logging_disabled": {
        ("TG_AWS_1", TRAIL): ["logging is turned off", "enable_logging = false"],
        ("TG_AWS_4", TRAIL): ["trail: logging is turned off"],
    },
    "noncompliant/no_global_service_events": {
        ("TG_AWS_1", TRAIL): ["global service events", "include_global_service_events = true"],
        ("TG_AWS_4", TRAIL): ["trail: global service events"],
    },
    "noncompliant/no_management_events": {
        ("TG_AWS_1", TRAIL): ["does not record management reads and writes", "include_management_events = true"],
        ("TG_AWS_4", TRAIL): ["does not record management reads and writes"],
    },
    "noncompliant/read_only_management_events": {
        ("TG_AWS_1", TRAIL): ["does not record management writes", 'read_write_type "All"'],
        ("TG_AWS_4", TRAIL): ["does not record management writes"],
    },
    "noncompliant/no_cloudwatch_logs": {
        ("TG_AWS_1", TRAIL): ["does not deliver to CloudWatch Logs", "cloud_watch_logs_group_arn"],
        ("TG_AWS_4", TRAIL): ["does not deliver to CloudWatch Logs"],
    },
    "noncompliant/filter_on_other_log_group": {
        ("TG_AWS_4", TRAIL): ["no metric filter for unauthorized API calls on the trail's log group",
                              "aws_cloudwatch_log_group.trail"],
    },
    "noncompliant/or_bug_pattern": {
        ("TG_AWS_2", FILTER): ["counts calls that were not denied", '"eventName": "GetObject"'],
        ("TG_AWS_4", TRAIL): [f"filter {FILTER}: it counts calls that were not denied"],
    },
    "noncompliant/exact_values_pattern": {
        ("TG_AWS_2", FILTER): ["misses unauthorized calls", '"errorCode": "Client.UnauthorizedOperation"',
                               '"errorCode": "AccessDeniedException"'],
        ("TG_AWS_4", TRAIL): ["misses unauthorized calls"],
    },
    "noncompliant/optional_field_exclusion": {
        ("TG_AWS_2", FILTER): ["misses unauthorized calls", "$.userIdentity.invokedBy != ... is false when the event "
                               "has no $.userIdentity.invokedBy", "NOT EXISTS"],
        ("TG_AWS_4", TRAIL): ["misses unauthorized calls"],
    },
    "noncompliant/wildcard_exclusion": {
        ("TG_AWS_2", FILTER): ["misses unauthorized calls", '"eventName": "DescribeInstances"'],
        ("TG_AWS_4", TRAIL): ["misses unauthorized calls"],
    },
    "noncompliant/typo_pattern": {
        ("TG_AWS_2", FILTER): ["misses unauthorized calls", '"errorCode": "Client.UnauthorizedOperation"'],
        ("TG_AWS_4", TRAIL): ["misses unauthorized calls"],
    },
    "noncompliant/namespace_mismatch": {
        ("TG_AWS_3", FILTER): ["in namespace 'CloudTrailMetrics', but the filter publishes it in namespace "
                               "'CISBenchmark'"],
        ("TG_AWS_4", TRAIL): ["namespace 'CloudTrailMetrics'"],
    },
    "noncompliant/alarm_on_filter_name": {
        ("TG_AWS_3", FILTER): ["watches metric 'unauthorized-api-calls', which is the filter's name",
                               "publishes metric 'UnauthorizedAPICalls'"],
        ("TG_AWS_4", TRAIL): ["which is the filter's name"],
    },
    "noncompliant/average_threshold_5": {
        ("TG_AWS_3", FILTER): ["one call gives Average = 1", "threshold 5"],
        ("TG_AWS_4", TRAIL): ["one call gives Average = 1"],
    },
    "noncompliant/datapoints_to_alarm_3": {
        ("TG_AWS_3", FILTER): ["needs 3 breaching periods", "a single call never fires it"],
        ("TG_AWS_4", TRAIL): ["needs 3 breaching periods"],
    },
    "noncompliant/actions_disabled": {
        ("TG_AWS_3", FILTER): ["actions are disabled", "remove actions_enabled = false"],
        ("TG_AWS_4", TRAIL): ["actions are disabled"],
    },
    "noncompliant/only_ok_actions": {
        ("TG_AWS_3", FILTER): ["notifies only when it returns to OK", "alarm_actions"],
        ("TG_AWS_4", TRAIL): ["notifies only when it returns to OK"],
    },
    "noncompliant/lambda_action": {
        ("TG_AWS_3", FILTER): ["none of its alarm actions is an SNS topic", "aws_lambda_function.responder.arn"],
        ("TG_AWS_4", TRAIL): ["none of its alarm actions is an SNS topic"],
    },
    "noncompliant/dimensions_on_filter": {
        ("TG_AWS_3", FILTER): ["publishes the metric with dimensions (Principal)", "remove the dimensions"],
        ("TG_AWS_4", TRAIL): ["dimensions (Principal)"],
    },
    "noncompliant/count_zero": {
        ("TG_AWS_3", FILTER): ["no alarm watches the filter's metric 'UnauthorizedAPICalls'"],
        ("TG_AWS_4", TRAIL): ["no alarm watches the filter's metric"],
    },
    "noncompliant/topic_without_subscription": {
        ("TG_AWS_5", TOPIC): ["nobody is subscribed to the topic", "aws_sns_topic_subscription"],
    },
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
