"""`trailguard account` against moto's AWS, offline: a single account with every control right, an organization trail
seen from a member account (through sts:AssumeRole into the management account), `--organization`, denied and failing
reads, advanced event selectors, an alarm on a metric query, and the promise that it only reads."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from types import SimpleNamespace
from typing import Any, Dict, List

import boto3
import pytest
from botocore.client import BaseClient
from hypothesis import given, settings
from hypothesis import strategies as st
from moto.cloudtrail.models import cloudtrail_backends

from tests.account.conftest import account, example_model, rows
from tests.account.deploy import ACCOUNT, REGION, Deployment, session
from tests.sarif_schema import sarif_schema_errors
from trailguard.account.aws import READ_OPERATIONS, Reader, iam_action
from trailguard.account.collect import survey
from trailguard.account.report import results
from trailguard.catalog import CHECKS
from trailguard.cli import main
from trailguard.controls.control import NEWEST
from trailguard.findings import FAILED, PASSED
from trailguard.model import Trail

CHAIN_CHECKS = sorted(check.id for check in CHECKS.values() if check.chain_control)
MANAGEMENT = "111111111111"
ROLE = "OrgAudit"
TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/CloudTrail"


def deploy_all_controls(aws: Any = None, organization: bool = False) -> None:
    """examples/cloudformation/compliant/cis_controls.yaml, every control right, in moto."""
    model = example_model("compliant/cis_controls.yaml")
    if organization:
        for trail in list(model.trails.values()):
            model.add(dataclasses.replace(trail, organization=True))
    Deployment(model, aws or session()).deploy()


def management_session() -> Any:
    """Credentials in the management account (moto lets any role be assumed)."""
    credentials = session().client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{MANAGEMENT}:role/setup", RoleSessionName="setup")["Credentials"]
    return session({"aws_access_key_id": credentials["AccessKeyId"],
                    "aws_secret_access_key": credentials["SecretAccessKey"],
                    "aws_session_token": credentials["SessionToken"]})


def share_organization_trails(owner: str, member: str) -> None:
    """What AWS does and moto does not: a member account sees the organization's trails (DescribeTrails)."""
    for backend in cloudtrail_backends[owner].values():
        for name, trail in backend.trails.items():
            if trail.is_org_trail:
                cloudtrail_backends[member][trail.region_name].trails[name] = trail


def by_check(report: Dict[str, Any], resource_part: str = "") -> Dict[str, str]:
    return {row["check_id"]: row["result"] for row in rows(report) if resource_part in row["resource"]}


@pytest.fixture
def api_calls(monkeypatch: pytest.MonkeyPatch) -> List[tuple]:
    """Every AWS operation any client makes from now on: (service, operation, parameters)."""
    calls: List[tuple] = []
    original = BaseClient._make_api_call

    def spy(client: BaseClient, operation: str, parameters: Dict[str, Any]) -> Any:
        calls.append((client.meta.service_model.service_name, operation, parameters))
        return original(client, operation, parameters)

    monkeypatch.setattr(BaseClient, "_make_api_call", spy)
    return calls


# --- a single account --------------------------------------------------------------------------------------------

def test_an_account_with_every_control_right_passes_every_chain_check(aws):
    deploy_all_controls()
    code, report = account()
    assert code == 0
    trail = {row["check_id"]: row for row in rows(report) if row["resource"] == TRAIL_ARN}
    assert {check: trail[check]["result"] for check in CHAIN_CHECKS + ["TG_AWS_1"]} == {
        check: PASSED for check in CHAIN_CHECKS + ["TG_AWS_1"]}
    assert [unit["name"] for unit in report["units"]] == [f"aws://{ACCOUNT}/{REGION}"]
    filters = [row for row in rows(report) if row["check_id"] == "TG_AWS_2"]
    assert len(filters) >= 15 and all(row["result"] == PASSED for row in filters)
    assert all(row["resource"].startswith(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:") for row in filters)


def test_text_and_sarif_reports_name_the_arns(aws, tmp_path):
    deploy_all_controls()
    cloudtrail = session().client("cloudtrail")
    cloudtrail.stop_logging(Name="CloudTrail")
    out = io.StringIO()
    code = main(["account", "--region", REGION, "--format", "text", "--format", "sarif",
                 "--output-file", f"sarif={tmp_path / 'account.sarif'}"], out)
    assert code == 1
    assert f"aws://{ACCOUNT}/{REGION}" in out.getvalue() and TRAIL_ARN in out.getvalue()
    assert "logging is turned off" in out.getvalue()
    log = json.loads((tmp_path / "account.sarif").read_text())
    assert sarif_schema_errors(log) == []
    locations = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 for result in log["runs"][0]["results"]}
    assert TRAIL_ARN in locations


# --- an organization trail ------------------------------------------------------------------------------------

def test_an_organization_trail_seen_from_a_member_account_is_proven_in_its_owner_account(aws, api_calls):
    deploy_all_controls(management_session(), organization=True)
    share_organization_trails(MANAGEMENT, ACCOUNT)
    api_calls.clear()
    code, report = account("--role-name", ROLE)
    assert code == 0
    (unit,) = report["units"]
    assert unit["name"] == f"aws://{MANAGEMENT}/{REGION}"
    assert f"seen from account(s) {ACCOUNT}" in unit["kind"]
    organization_trail = f"arn:aws:cloudtrail:{REGION}:{MANAGEMENT}:trail/CloudTrail"
    assert by_check(report, organization_trail) == {check: PASSED for check in ["TG_AWS_1"] + CHAIN_CHECKS}
    assumed = [parameters["RoleArn"] for _, operation, parameters in api_calls if operation == "AssumeRole"]
    assert assumed == [f"arn:aws:iam::{MANAGEMENT}:role/{ROLE}"]
    filters_read = {parameters.get("logGroupName") for service, operation, parameters in api_calls
                    if operation == "DescribeMetricFilters"}
    assert filters_read == {None}  # every filter of the owner's region, as a file holds every resource


def test_without_a_role_into_the_owner_account_the_organization_trail_is_not_proven(aws):
    deploy_all_controls(management_session(), organization=True)
    share_organization_trails(MANAGEMENT, ACCOUNT)
    code, report = account()
    assert code == 1
    results_ = by_check(report, f"account {MANAGEMENT}")
    assert results_ == {"TG_AWS_1": FAILED}
    reasons = " ".join(reason for row in rows(report) for reason in row["reasons"])
    assert "not proven: sts:AssumeRole on account 111111111111" in reasons
    assert "give --role-name: a role trailguard may assume in that account" in reasons
    organization_trail = f"arn:aws:cloudtrail:{REGION}:{MANAGEMENT}:trail/CloudTrail"
    assert {by_check(report, organization_trail)[check] for check in CHAIN_CHECKS} == {FAILED}


def test_organization_reads_every_account_by_the_named_role(aws, api_calls):
    organizations = session().client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(Email="member@example.com", AccountName="member")[
        "CreateAccountStatus"]["AccountId"]
    deploy_all_controls(organization=True)
    share_organization_trails(ACCOUNT, member)
    api_calls.clear()
    code, report = account("--organization", "--role-name", ROLE)
    assert code == 0
    (unit,) = report["units"]
    assert unit["name"] == f"aws://{ACCOUNT}/{REGION}" and member in unit["kind"]
    assert by_check(report, TRAIL_ARN) == {check: PASSED for check in ["TG_AWS_1"] + CHAIN_CHECKS}
    assert [p["RoleArn"] for _, operation, p in api_calls if operation == "AssumeRole"] == [
        f"arn:aws:iam::{member}:role/{ROLE}"]


def test_a_member_account_that_sees_no_trail_fails(aws):
    code, report = account()
    assert code == 1
    assert by_check(report) == {"TG_AWS_1": FAILED}
    assert "no CloudTrail trail records this account's events" in rows(report)[0]["reasons"][0]


# --- it only reads ----------------------------------------------------------------------------------------------

def test_every_call_it_makes_is_a_read(aws, api_calls):
    organizations = session().client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(Email="m@example.com", AccountName="m")["CreateAccountStatus"]["AccountId"]
    deploy_all_controls(organization=True)
    share_organization_trails(ACCOUNT, member)
    api_calls.clear()
    account("--organization", "--role-name", ROLE)
    made = {f"{service}:{operation}" for service, operation, _ in api_calls}
    allowed = {iam_action(service, operation) for service, operations in READ_OPERATIONS.items()
               for operation in operations}
    assert made <= allowed
    assert all(name.split(":")[1].startswith(("Describe", "Get", "List")) or name == "sts:AssumeRole"
               for name in made)
    assert {"cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
            "logs:DescribeMetricFilters", "cloudwatch:DescribeAlarms", "sns:ListSubscriptionsByTopic",
            "organizations:ListAccounts", "sts:AssumeRole"} <= made


def test_the_reader_refuses_an_operation_that_is_not_a_read(aws):
    with pytest.raises(ValueError, match="not a read operation"):
        Reader(session(), ACCOUNT).read("cloudtrail", "stop_logging", REGION, TRAIL_ARN, Name=TRAIL_ARN)


# --- failed reads: named, never a pass ----------------------------------------------------------------------------

def _failing(operation: str, code: str) -> Any:
    """A client error for one operation, as AWS returns it (botocore raises it as it would AWS's own)."""
    def handler(model: Any, **_: Any) -> Any:
        if model.name != operation:
            return None
        return (SimpleNamespace(status_code=400, headers={}),
                {"Error": {"Code": code, "Message": f"{code} in the test"},
                 "ResponseMetadata": {"HTTPStatusCode": 400}})
    return handler


def _survey_with_failing(operation: str, code: str, deploy: bool = True) -> List[Any]:
    if deploy:
        deploy_all_controls()
    reading = boto3.Session(region_name=REGION)
    reading.events.register("before-call", _failing(operation, code))
    return results(survey(reading, [REGION], NEWEST), [REGION], NEWEST)


# Each read, the error, and the check its failure is reported on (the one it keeps from being proven).
FAILURES = [("DescribeTrails", "AccessDeniedException", "TG_AWS_1"),
            ("DescribeTrails", "UnrecognizedClientException", "TG_AWS_1"),  # a region turned off
            ("GetTrailStatus", "AccessDeniedException", "TG_AWS_1"),
            ("GetTrailStatus", "ThrottlingException", "TG_AWS_1"),
            ("GetEventSelectors", "AccessDeniedException", "TG_AWS_1"),
            ("DescribeMetricFilters", "AccessDeniedException", "TG_AWS_2"),
            ("DescribeAlarms", "AccessDenied", "TG_AWS_3"),
            ("GetCallerIdentity", "ExpiredToken", "TG_AWS_1")]


@pytest.mark.parametrize("operation, code, check_id", FAILURES, ids=[f"{o}-{c}" for o, c, _ in FAILURES])
def test_a_failed_read_is_a_named_failure_and_no_chain_check_passes(aws, operation, code, check_id):
    found = _survey_with_failing(operation, code)
    named = [reason for r in found if r.check_id == check_id and r.failed for reason in r.reasons
             if reason.startswith("not proven: ") and f":{operation} on " in reason]
    assert named and code in named[0]
    assert not [r for r in found if r.check_id in CHAIN_CHECKS and not r.failed]


def test_the_hint_says_what_to_do(aws):
    deploy_all_controls()
    hints = {code: _survey_with_failing("GetTrailStatus", code, deploy=False) for code in (
        "AccessDeniedException", "ThrottlingException", "UnrecognizedClientException")}
    text = {code: next(reason for r in found for reason in r.reasons if reason.startswith("not proven: "))
            for code, found in hints.items()}
    assert "grant cloudtrail:GetTrailStatus" in text["AccessDeniedException"]
    assert "throttled" in text["ThrottlingException"]
    assert "region may be turned off" in text["UnrecognizedClientException"]


def test_a_denied_subscription_read_fails_the_topic_check(aws):
    found = _survey_with_failing("ListSubscriptionsByTopic", "AuthorizationError")
    topic = [reason for r in found if r.check_id == "TG_AWS_5" and r.failed for reason in r.reasons]
    assert any(reason.startswith("not proven: sns:ListSubscriptionsByTopic") for reason in topic)
    assert not [r for r in found if r.check_id == "TG_AWS_5" and not r.failed]


# --- advanced selectors, metric queries -----------------------------------------------------------------------

SELECTORS = [
    ([{"Field": "eventCategory", "Equals": ["Management"]}], PASSED, ""),
    ([{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "readOnly", "Equals": ["true"]}], FAILED,
     "writes"),
    ([{"Field": "eventCategory", "Equals": ["Management"]},
      {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}], FAILED, "management"),
]


@pytest.mark.parametrize("field_selectors, expected, words", SELECTORS, ids=["management", "read-only", "no-kms"])
def test_advanced_event_selectors_decide_the_trail(aws, field_selectors, expected, words):
    deploy_all_controls()
    session().client("cloudtrail").put_event_selectors(
        TrailName="CloudTrail", AdvancedEventSelectors=[{"Name": "management", "FieldSelectors": field_selectors}])
    _, report = account()
    trail = {row["check_id"]: row for row in rows(report) if row["resource"] == TRAIL_ARN}
    assert trail["TG_AWS_1"]["result"] == expected and words in " ".join(trail["TG_AWS_1"]["reasons"])
    assert {trail[check]["result"] for check in CHAIN_CHECKS} == {expected}


def test_basic_selectors_that_exclude_kms_fail_naming_the_source(aws):
    deploy_all_controls()
    session().client("cloudtrail").put_event_selectors(TrailName="CloudTrail", EventSelectors=[
        {"ReadWriteType": "All", "IncludeManagementEvents": True,
         "ExcludeManagementEventSources": ["kms.amazonaws.com"]}])
    _, report = account()
    trail = {row["check_id"]: row for row in rows(report) if row["resource"] == TRAIL_ARN}
    assert trail["TG_AWS_1"]["result"] == FAILED
    assert "management events from kms.amazonaws.com" in " ".join(trail["TG_AWS_1"]["reasons"])


METRIC = {"MetricName": "UnauthorizedAttemptCount", "Namespace": "LogMetrics"}  # the example's
STAT = {"Metric": METRIC, "Period": 300, "Stat": "Sum"}


def _alarm_on_queries(metrics: List[Dict[str, Any]]) -> str:
    """Replace the unauthorized-calls alarm by one on metric queries; the filter's resource id."""
    cloudwatch = session().client("cloudwatch")
    (alarm,) = [a for a in cloudwatch.describe_alarms()["MetricAlarms"] if a.get("MetricName") == METRIC["MetricName"]]
    cloudwatch.delete_alarms(AlarmNames=[alarm["AlarmName"]])
    cloudwatch.put_metric_alarm(AlarmName=alarm["AlarmName"], EvaluationPeriods=1, Threshold=1,
                                ComparisonOperator="GreaterThanOrEqualToThreshold",
                                AlarmActions=alarm["AlarmActions"], Metrics=metrics)
    (found,) = session().client("logs").describe_metric_filters(metricName=METRIC["MetricName"],
                                                                 metricNamespace=METRIC["Namespace"])["metricFilters"]
    return f":metric-filter:{found['filterName']}"


def _unauthorized(report: Dict[str, Any], metric_filter: str) -> Dict[str, str]:
    return {row["check_id"]: row["result"] for row in rows(report)
            if (row["check_id"] == "TG_AWS_3" and row["resource"].endswith(metric_filter))
            or (row["check_id"] == "TG_AWS_4")}


def test_an_alarm_on_a_metric_query_is_judged_by_its_returned_metric(aws):
    deploy_all_controls()
    metric_filter = _alarm_on_queries([{"Id": "calls", "MetricStat": STAT, "ReturnData": True}])
    assert _unauthorized(account()[1], metric_filter) == {"TG_AWS_3": PASSED, "TG_AWS_4": PASSED}


def test_an_alarm_on_metric_math_fails_closed(aws):
    deploy_all_controls()
    metric_filter = _alarm_on_queries([{"Id": "calls", "MetricStat": STAT, "ReturnData": False},
                                       {"Id": "doubled", "Expression": "calls * 2", "ReturnData": True}])
    assert _unauthorized(account()[1], metric_filter) == {"TG_AWS_3": FAILED, "TG_AWS_4": FAILED}


# --- usage ---------------------------------------------------------------------------------------------------

def test_without_boto3_it_says_what_to_install(aws, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "boto3", None)
    assert main(["account", "--region", REGION], io.StringIO()) == 2
    assert 'pip install "trailguard[aws]"' in capsys.readouterr().err


@pytest.mark.parametrize("arguments, words", [
    (["--organization"], "--organization needs --role-name"),
    (["--cis-version", "9.9"], "9.9"),
    (["--output-file", "sarif=x.sarif"], "sarif is not among the formats"),
])
def test_usage_errors_exit_2(aws, capsys, arguments, words):
    assert main(["account", "--region", REGION, *arguments], io.StringIO()) == 2
    assert words in capsys.readouterr().err


def test_the_model_is_the_file_loaders_model(aws):
    """Same types, same fields: a trail read from the account is a `Trail` with its log group linked by id."""
    deploy_all_controls()
    (unit,) = survey(boto3.Session(region_name=REGION), [REGION], NEWEST)
    (trail,) = unit.model.trails.values()
    assert isinstance(trail, Trail) and trail.log_group.resource in unit.model.log_groups
    assert trail.log_group_arn.startswith(f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:")


# --- for every combination of failed reads -------------------------------------------------------------------------

CHAIN_READS = ("GetCallerIdentity", "DescribeTrails", "GetTrailStatus", "GetEventSelectors", "DescribeMetricFilters",
               "DescribeAlarms")
CODES = ("AccessDenied", "AccessDeniedException", "ThrottlingException", "UnrecognizedClientException",
         "InternalFailure")


def test_whatever_reads_fail_no_chain_check_passes_and_each_failure_is_named(aws):
    """The rule for all inputs: a chain check passes only when every read it depends on answered, and every failed
    read that was made is named in some FAILED result ("not proven")."""
    deploy_all_controls()

    @settings(max_examples=25, deadline=None)
    @given(st.sets(st.sampled_from(CHAIN_READS + ("ListSubscriptionsByTopic",)), min_size=1),
           st.sampled_from(CODES))
    def check(failing: set, code: str) -> None:
        reading = boto3.Session(region_name=REGION)
        made: List[str] = []

        def handler(model: Any, **_: Any) -> Any:
            made.append(model.name)
            return _failing(model.name, code)(model) if model.name in failing else None

        reading.events.register("before-call", handler)
        found = results(survey(reading, [REGION], NEWEST), [REGION], NEWEST)
        chains_pass = [r for r in found if r.check_id in CHAIN_CHECKS and not r.failed]
        assert bool(chains_pass) == (not failing.intersection(CHAIN_READS))
        named = " ".join(reason for r in found if r.failed for reason in r.reasons if reason.startswith("not proven"))
        assert all(f":{operation} on " in named for operation in failing.intersection(made))

    check()


def test_it_needs_neither_checkov_nor_cfn_lint():
    """`trailguard[aws]` alone: the command imports no scanner (a CloudFormation-only user may have neither)."""
    probe = ("import sys; sys.modules.update(checkov=None, cfnlint=None); "
             "import trailguard.account.command, trailguard.account.collect, trailguard.cli; "
             "print(trailguard.cli.main(['account', '--help']))")
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert run.returncode == 0 and "--role-name" in run.stdout, run.stderr


def test_several_regions_see_a_multi_region_trail_once_and_a_region_turned_off_is_named(aws):
    deploy_all_controls()
    reading = boto3.Session(region_name=REGION)
    off = "ap-east-1"

    def region_off(model: Any, request_signer: Any, **_: Any) -> Any:
        return _failing(model.name, "UnrecognizedClientException")(model) if request_signer.region_name == off else None

    reading.events.register("before-call", region_off)
    found = results(survey(reading, [REGION, "us-east-1", off], NEWEST), [REGION, "us-east-1", off], NEWEST)
    assert [r.result for r in found if r.check_id == "TG_AWS_1" and r.resource == TRAIL_ARN] == [PASSED]
    assert {r.result for r in found if r.check_id in CHAIN_CHECKS} == {PASSED}
    (turned_off,) = [r for r in found if r.unit == f"aws://{ACCOUNT}/{off}"]
    assert turned_off.failed and "cloudtrail:DescribeTrails" in turned_off.reasons[0]
    assert "region may be turned off" in turned_off.reasons[0]
