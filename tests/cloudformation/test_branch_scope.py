"""Conditions are explored only where they decide a chain resource: the optional features of a landing-zone template
do not multiply the branches, and when the chain's own conditions are too many, only the chain's resources fail,
once each, naming the conditions and the way out."""

import copy

import pytest

from tests.cloudformation.test_builder import results, template
from tests.unauthorized_calls import CHECK_IDS
from trailguard.cloudformation import TemplateError, build_models
from trailguard.cloudformation.builder import _Properties
from trailguard.cloudformation.intrinsics import Resolver
from trailguard.integrations.cfn_lint.matches import template_problems

TOGGLES = [f"EnableControl{index}" for index in range(18)]
ALL = len(TOGGLES)


def with_optional_alarms(body, count=ALL):
    """`count` optional filters and alarms for other controls, each behind its own parameter and condition."""
    body = copy.deepcopy(body)
    body.setdefault("Parameters", {}).update(
        {name: {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]} for name in TOGGLES[:count]})
    body.setdefault("Conditions", {}).update(
        {f"{name}On": {"Fn::Equals": [{"Ref": name}, "true"]} for name in TOGGLES[:count]})
    for index, name in enumerate(TOGGLES[:count]):
        body["Resources"][f"OtherFilter{index}"] = {"Type": "AWS::Logs::MetricFilter", "Condition": f"{name}On",
                                                   "Properties": {
            "LogGroupName": {"Ref": "Group"}, "FilterPattern": f'{{ $.eventName = "Delete{index}" }}',
            "MetricTransformations": [{"MetricName": f"Other{index}", "MetricNamespace": "CIS", "MetricValue": "1"}]}}
        body["Resources"][f"OtherAlarm{index}"] = {"Type": "AWS::CloudWatch::Alarm", "Condition": f"{name}On",
                                                  "Properties": {
            "MetricName": f"Other{index}", "Namespace": "CIS", "Statistic": "Sum", "Period": 300,
            "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "AlarmActions": [{"Ref": "Topic"}]}}
    return body


def test_optional_features_off_the_chain_do_not_multiply_branches():
    models = build_models(with_optional_alarms(template()))
    assert [model.branch for model in models] == [""]
    # They are still modelled, as deployed with the parameters' defaults.
    assert {f"OtherFilter{index}" for index in range(18)} <= set(models[0].filters)
    assert set(results(with_optional_alarms(template())).values()) == {"PASSED"}


def test_a_condition_on_the_chain_is_still_explored_and_its_failing_branch_named():
    body = with_optional_alarms(template())
    body["Parameters"]["EnableUnauthorized"] = {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]}
    body["Conditions"]["UnauthorizedOn"] = {"Fn::Equals": [{"Ref": "EnableUnauthorized"}, "true"]}
    body["Resources"]["Alarm"]["Condition"] = "UnauthorizedOn"
    got = results(body)
    assert {branch for branch, _, _ in got} == {"condition UnauthorizedOn is true", "condition UnauthorizedOn is false"}
    assert got[("condition UnauthorizedOn is false", "TG_AWS_3", "Filter")] == "FAILED"
    assert got[("condition UnauthorizedOn is true", "TG_AWS_4", "Trail")] == "PASSED"


def test_an_alarm_on_the_chains_metric_keeps_its_condition_explored():
    body = with_optional_alarms(template(), 1)
    body["Resources"]["OtherAlarm0"]["Properties"]["MetricName"] = "Unauthorized"
    assert {model.branch for model in build_models(body)} == {"condition EnableControl0On is true",
                                                             "condition EnableControl0On is false"}


def test_too_many_chain_branches_fail_once_per_chain_resource_naming_conditions_and_fix():
    names = [f"C{index}" for index in range(7)]  # 2**7 = 128 branches of the chain's own alarm
    body = with_optional_alarms(template(Parameters={name: {"Type": "String", "Default": "a"} for name in names},
                                         Conditions={name: {"Fn::Equals": [{"Ref": name}, "a"]} for name in names}))
    body["Resources"]["Alarm"]["Properties"]["AlarmName"] = {
        "Fn::Join": ["", [{"Fn::If": [name, "x", "y"]} for name in names]]}
    with pytest.raises(TemplateError) as raised:
        build_models(body, "stack.yaml")
    assert "stack.yaml" not in str(raised.value)  # the caller names the file, once
    assert raised.value.affected is not None and "OtherFilter0" not in raised.value.affected
    problems = [p for p in template_problems(body, "stack.yaml") if p.check_id in CHECK_IDS]
    assert sorted((p.check_id, p.logical_id) for p in problems) == [
        ("TG_AWS_1", "Trail"), ("TG_AWS_2", "Filter"), ("TG_AWS_3", "Filter"), ("TG_AWS_4", "Trail"),
        ("TG_AWS_5", "Topic")]
    message = problems[0].message
    assert "C0, C1, C2, C3, C4, C5, C6" in message and "skip the check" in message
    assert message.count("could not analyse") == 1


def test_conditions_in_properties_trailguard_does_not_read_do_not_multiply_branches():
    names = [f"C{index}" for index in range(8)]
    body = template(Parameters={name: {"Type": "String", "Default": "a"} for name in names},
                    Conditions={name: {"Fn::Equals": [{"Ref": name}, "a"]} for name in names})
    trail = body["Resources"]["Trail"]["Properties"]
    trail["KMSKeyId"] = {"Fn::If": ["C0", "arn:aws:kms:eu-west-1:111122223333:key/1", {"Ref": "AWS::NoValue"}]}
    trail["Tags"] = [{"Key": name, "Value": {"Fn::If": [name, "on", "off"]}} for name in names]
    body["Resources"]["Alarm"]["Properties"]["AlarmDescription"] = {
        "Fn::Join": ["", [{"Fn::If": [name, "x", "y"]} for name in names]]}
    assert [model.branch for model in build_models(body)] == [""]
    trail["IsMultiRegionTrail"] = {"Fn::If": ["C7", True, False]}
    assert {model.branch for model in build_models(body)} == {"condition C7 is true", "condition C7 is false"}


def test_the_builders_read_only_the_properties_they_declare():
    body = template()
    body["Resources"]["Filter"]["Properties"]["Tags"] = [{"Key": "team", "Value": "security"}]
    props = _Properties("Filter", body["Resources"]["Filter"], Resolver(body, {}), {})
    assert props.get("FilterPattern")
    with pytest.raises(KeyError, match="Tags is read but not declared"):
        props.get("Tags")


def test_independent_conditions_are_explored_apart_so_their_inputs_do_not_multiply():
    """Ten inputs with three values worth trying each are 59,049 witnesses together; in five independent pairs they
    are 45, for the same 32 branches."""
    parameters, conditions = {}, {}
    for index in range(5):
        parameters.update({f"P{index}": {"Type": "String", "Default": ""}, f"Q{index}": {"Type": "String",
                                                                                      "Default": ""}})
        conditions[f"C{index}"] = {"Fn::Or": [{"Fn::Equals": [{"Ref": f"P{index}"}, "x"]},
                                              {"Fn::Equals": [{"Ref": f"Q{index}"}, "y"]}]}
    body = template(Parameters=parameters, Conditions=conditions)
    body["Resources"]["Alarm"]["Properties"]["AlarmName"] = {
        "Fn::Join": ["", [{"Fn::If": [f"C{index}", "x", "y"]} for index in range(5)]]}
    models = build_models(body)
    assert len(models) == 32 and len({model.branch for model in models}) == 32
