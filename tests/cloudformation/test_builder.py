"""Template dict -> models: links, values, conditions as branches, and failing closed; then the verdicts of the
shared analysis on what was built, which must not depend on how a pattern was assembled."""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.unauthorized_calls import CHECK_IDS
from trailguard.cloudformation import TemplateError, build_models
from trailguard.cloudformation.conditions import MAX_BRANCHES
from trailguard.model import Ref, Unknown
from trailguard.rules.analysis import analyse

CIS = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
OR_BUG = ('{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || '
          '($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }')


def template(pattern=CIS, actions=None, trail=None, **extra):
    body = {
        "Resources": {
            "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "trail-logs"}},
            "Trail": {"Type": "AWS::CloudTrail::Trail", "Properties": {
                "IsLogging": True, "IsMultiRegionTrail": True, "S3BucketName": "b",
                "CloudWatchLogsLogGroupArn": {"Fn::GetAtt": ["Group", "Arn"]},
                "CloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/trail", **(trail or {})}},
            "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Subscription": [{"Protocol": "email",
                                                                                 "Endpoint": "a@example.com"}]}},
            "Filter": {"Type": "AWS::Logs::MetricFilter", "Properties": {
                "LogGroupName": {"Ref": "Group"}, "FilterPattern": pattern,
                "MetricTransformations": [{"MetricName": "Unauthorized", "MetricNamespace": "CIS",
                                           "MetricValue": "1"}]}},
            "Alarm": {"Type": "AWS::CloudWatch::Alarm", "Properties": {
                "MetricName": "Unauthorized", "Namespace": "CIS", "Statistic": "Sum", "Period": 300,
                "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "AlarmActions": actions if actions is not None else [{"Ref": "Topic"}]}},
        },
    }
    body.update(extra)
    return body


def results(body):
    """The unauthorized-calls checks' results per branch (the template carries that one control)."""
    return {(m.branch, f.check_id, f.resource.id): f.result for m in build_models(body) for f in analyse(m)
            if f.check_id in CHECK_IDS}


def only(body):
    (model,) = build_models(body, "t.yaml")
    return model


def test_the_compliant_template_passes_everything_in_one_unconditional_model():
    model = only(template())
    assert model.framework == "cloudformation" and model.branch == "" and model.unit == "t.yaml"
    assert set(results(template()).values()) == {"PASSED"}
    assert model.trails["Trail"].log_group == Ref(resource="Group")
    assert model.filters["Filter"].log_group == Ref(resource="Group")
    assert [s.topic for s in model.subscriptions.values()] == [Ref(resource="Topic")]


@pytest.mark.parametrize("arn", [
    "arn:aws:logs:us-east-1:111122223333:log-group:trail-logs:*",
    {"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:trail-logs:*"},
    {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":",
                       {"Ref": "AWS::AccountId"}, ":log-group:", {"Ref": "Group"}, ":*"]]},
    {"Fn::Sub": "${Group.Arn}"},
])
def test_the_trail_finds_its_log_group_however_the_arn_is_written(arn):
    body = template(trail={"CloudWatchLogsLogGroupArn": arn})
    assert results(body)[("", "TG_AWS_4", "Trail")] == "PASSED"


@pytest.mark.parametrize("value", [True, "true", "True", "TRUE"])
def test_booleans_written_as_strings_count(value):
    assert only(template(trail={"IsMultiRegionTrail": value})).trails["Trail"].multi_region is True


def test_a_boolean_known_only_at_deploy_time_fails_closed():
    trail = only(template(trail={"IsLogging": {"Fn::ImportValue": "logging-on"}})).trails["Trail"]
    assert isinstance(trail.logging, Unknown) and trail.logging.source == "Fn::ImportValue logging-on"


def test_a_pattern_with_a_pseudo_parameter_is_unknown():
    pattern = only(template(pattern={"Fn::Sub": '{ $.awsRegion = "${AWS::Region}" }'})).filters["Filter"].pattern
    assert isinstance(pattern, Unknown) and "AWS::Region" in pattern.describe()


@pytest.mark.parametrize(("actions", "parameters", "is_sns"), [
    (["arn:aws:sns:us-east-1:111122223333:alerts"], {}, True),
    (["arn:aws:lambda:us-east-1:111122223333:function:pager"], {}, False),
    ([{"Ref": "Arn"}], {"Arn": {"Type": "String", "AllowedPattern": "^arn:aws:sns:.*$"}}, True),
    ([{"Ref": "Arn"}], {"Arn": {"Type": "String", "Default": "arn:aws:sns:eu-west-1:111122223333:x"}}, True),
    ([{"Ref": "Arn"}], {"Arn": {"Type": "String"}}, None),
    ([{"Fn::ImportValue": "alerts-arn"}], {}, None),
    ([{"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts"}], {}, True),
])
def test_alarm_actions(actions, parameters, is_sns):
    (action,) = only(template(actions=actions, Parameters=parameters)).alarms["Alarm"].alarm_actions
    assert action.is_sns is is_sns if is_sns is not None else isinstance(action.is_sns, Unknown)


def test_a_parameter_action_without_default_names_the_parameter_and_the_fix():
    (action,) = only(template(actions=[{"Ref": "Arn"}], Parameters={"Arn": {"Type": "String"}})).alarms[
        "Alarm"].alarm_actions
    assert "parameter Arn has no Default" in action.is_sns.describe() and ":sns:" in action.is_sns.describe()


def test_every_branch_is_checked_and_the_failing_one_is_named():
    body = template(actions=[{"Fn::If": ["UseSns", {"Ref": "Topic"}, "arn:aws:lambda:us-east-1:1:function:f"]}],
                    Parameters={"Mode": {"Type": "String", "Default": "sns"}},
                    Conditions={"UseSns": {"Fn::Equals": [{"Ref": "Mode"}, "sns"]}})
    got = results(body)
    assert got[("condition UseSns is true", "TG_AWS_3", "Filter")] == "PASSED"
    assert got[("condition UseSns is false", "TG_AWS_3", "Filter")] == "FAILED"


def test_a_resource_whose_condition_is_false_does_not_exist_in_that_branch():
    body = template(Conditions={"Monitor": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}})
    body["Resources"]["Filter"]["Condition"] = "Monitor"
    models = {model.branch: model for model in build_models(body)}
    assert set(models) == {"condition Monitor is true", "condition Monitor is false"}
    assert "Filter" not in models["condition Monitor is false"].filters
    assert results(body)[("condition Monitor is false", "TG_AWS_4", "Trail")] == "FAILED"


def test_impossible_combinations_are_not_branches():
    body = template(Parameters={"Env": {"Type": "String", "AllowedValues": ["prod", "dev"]}},
                    Conditions={"Prod": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                                "Dev": {"Fn::Not": [{"Condition": "Prod"}]}})
    body["Resources"]["Filter"]["Condition"] = "Prod"
    body["Resources"]["Alarm"]["Condition"] = "Dev"
    assert sorted(model.branch for model in build_models(body)) == [
        "conditions Dev is false, Prod is true", "conditions Dev is true, Prod is false"]


def _independent_conditions(count):
    """A template whose alarm name depends on `count` independent conditions: 2**count deployable branches."""
    names = [f"C{index}" for index in range(count)]
    body = template(Parameters={name: {"Type": "String", "Default": "a"} for name in names},
                    Conditions={name: {"Fn::Equals": [{"Ref": name}, "a"]} for name in names})
    body["Resources"]["Alarm"]["Properties"]["AlarmName"] = {
        "Fn::Join": ["", [{"Fn::If": [name, "x", "y"]} for name in names]]}
    return body


def test_branches_up_to_the_limit_are_all_checked_and_more_fail_closed():
    within = MAX_BRANCHES.bit_length() - 1  # the most independent conditions whose branches fit: 2**6 = 64
    assert len(build_models(_independent_conditions(within))) == 2 ** within
    with pytest.raises(TemplateError, match=rf"more than {MAX_BRANCHES} deployable branches \({2 ** (within + 1)}\)"):
        build_models(_independent_conditions(within + 1))


def test_an_undeclared_condition_fails_closed():
    body = template()
    body["Resources"]["Filter"]["Condition"] = "Missing"
    with pytest.raises(TemplateError, match="condition Missing is used but not declared"):
        build_models(body)


def _split_forms(pattern, cut):
    """The same pattern written literally, with Fn::Join, and with Fn::Sub over a variable."""
    head, tail = pattern[:cut], pattern[cut:]
    return [pattern, {"Fn::Join": ["", [head, tail]]}, {"Fn::Sub": [head + "${Rest}", {"Rest": tail}]}]


@given(st.sampled_from([CIS, OR_BUG, '{ $.errorCode = "AccessDenied" }', '{ ($.errorCode = "*") }']),
       st.integers(min_value=0, max_value=200))
def test_assembled_patterns_get_the_literal_patterns_verdict(pattern, cut):
    verdicts = [{key: value for key, value in results(template(pattern=copy.deepcopy(form))).items()
                 if key[1] == "TG_AWS_2"} for form in _split_forms(pattern, min(cut, len(pattern)))]
    assert len(verdicts[0]) == 1 and all(verdict == verdicts[0] for verdict in verdicts)
