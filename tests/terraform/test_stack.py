"""aws_cloudformation_stack inside Terraform: a template in the configuration joins the unit; anything else is named."""

from __future__ import annotations

import pytest

from trailguard.model import Model, Ref, Unknown
from trailguard.rules.analysis import analyse
from trailguard.terraform.builder import build_model
from trailguard.terraform.loader import forget_directories, load_root
from trailguard.terraform.stack import TemplateBodyError, parse_template

TRAIL = '''
resource "aws_cloudwatch_log_group" "trail" {
  name = NAME
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
}

resource "aws_cloudtrail" "main" {
  name                          = "org"
  s3_bucket_name                = "bucket"
  is_multi_region_trail         = true
  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/trail"
}
'''

TEMPLATE = '''
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  LogGroupName:
    Type: String
    Default: not-the-trail-group
  TopicArn:
    Type: String
Resources:
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref LogGroupName
      FilterPattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }'
      MetricTransformations:
        - {MetricName: UnauthorizedAPICalls, MetricNamespace: CIS, MetricValue: "1"}
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: UnauthorizedAPICalls
      Namespace: CIS
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions: [!Ref TopicArn]
'''

STACK = '''
resource "aws_cloudformation_stack" "cis" {
  name          = "cis"
  template_body = file("${path.module}/cis.yaml")
  parameters = {
    LogGroupName = LOG_GROUP
    TopicArn     = aws_sns_topic.alerts.arn
  }
}
'''


def model_of(tmp_path, main: str, template: str = TEMPLATE) -> Model:
    forget_directories()
    (tmp_path / "main.tf").write_text(main)
    (tmp_path / "variables.tf").write_text('variable "prefix" {}\n')
    (tmp_path / "cis.yaml").write_text(template)
    root = load_root(tmp_path)
    return build_model(list(root.instances()), str(tmp_path), root.notes)


def chain_result(model: Model) -> str:
    return next(f.result for f in analyse(model) if f.check_id == "TG_AWS_4")


def test_the_template_joins_the_unit_with_its_parameters_passed_from_terraform(tmp_path):
    stack = STACK.replace("LOG_GROUP", "aws_cloudwatch_log_group.trail.name")
    model = model_of(tmp_path, TRAIL.replace("NAME", '"cloudtrail/events"') + stack)
    metric_filter = model.filters["aws_cloudformation_stack.cis/Filter"]
    assert metric_filter.log_group == Ref(name="cloudtrail/events")
    action = model.alarms["aws_cloudformation_stack.cis/Alarm"].alarm_actions[0]
    assert action.is_sns is True and action.topic == Ref(resource="aws_sns_topic.alerts")
    assert chain_result(model) == "PASSED"


def test_a_log_group_passed_by_reference_stays_that_log_group(tmp_path):
    main = TRAIL.replace("NAME", 'var.prefix') + STACK.replace("LOG_GROUP", "aws_cloudwatch_log_group.trail.name")
    model = model_of(tmp_path, main)
    log_group = model.filters["aws_cloudformation_stack.cis/Filter"].log_group
    assert log_group == Ref(resource="aws_cloudwatch_log_group.trail")
    assert chain_result(model) == "PASSED"


def test_a_parameter_left_to_its_default_is_the_default(tmp_path):
    stack = STACK.replace("    LogGroupName = LOG_GROUP\n", "")
    model = model_of(tmp_path, TRAIL.replace("NAME", '"cloudtrail/events"') + stack)
    assert model.filters["aws_cloudformation_stack.cis/Filter"].log_group == Ref(name="not-the-trail-group")
    assert chain_result(model) == "FAILED"


def test_an_unresolvable_parameter_is_named(tmp_path):
    main = TRAIL.replace("NAME", '"g"') + STACK.replace("LOG_GROUP", "aws_iam_role.x.name")
    main += 'resource "aws_iam_role" "x" {\n  name_prefix = "x"\n}\n'
    model = model_of(tmp_path, main)
    assert any("parameter LogGroupName" in spot and "aws_iam_role.x.name" in spot for spot in model.blind_spots)
    assert isinstance(model.filters["aws_cloudformation_stack.cis/Filter"].log_group, Unknown)


@pytest.mark.parametrize("body, why", [
    ('template_url = "https://s3.amazonaws.com/bucket/cis.yaml"', "template_url"),
    ("template_body = var.prefix", 'variable "prefix"'),
    ("template_body = aws_s3_object.t.body", "aws_s3_object.t.body"),
    ('template_body = "Resources: [unclosed"', "not valid YAML"),
    ('template_body = file("missing.yaml")', "missing.yaml"),
])
def test_a_template_trailguard_cannot_read_is_named_in_the_chains_failure(tmp_path, body, why):
    main = TRAIL.replace("NAME", '"g"') + f'resource "aws_cloudformation_stack_set" "cis" {{\n  {body}\n}}\n'
    main += 'resource "aws_s3_object" "t" {\n  bucket = "templates"\n  key    = "cis.yaml"\n}\n'
    model = model_of(tmp_path, main)
    finding = next(f for f in analyse(model) if f.check_id == "TG_AWS_4")
    assert finding.result == "FAILED"
    assert any("aws_cloudformation_stack_set.cis" in reason and why in reason for reason in finding.reasons), \
        finding.reasons


def test_a_stack_whose_conditions_fork_the_chain_is_named(tmp_path):
    template = TEMPLATE.replace("Resources:", '''  CreateAlarm:
    Type: String
Conditions:
  WithAlarm: !Equals [!Ref CreateAlarm, "true"]
Resources:''').replace("    Type: AWS::CloudWatch::Alarm\n",
                         "    Type: AWS::CloudWatch::Alarm\n    Condition: WithAlarm\n")
    stack = STACK.replace("LOG_GROUP", '"cloudtrail/events"')
    model = model_of(tmp_path, TRAIL.replace("NAME", '"cloudtrail/events"') + stack, template)
    assert not model.filters and not model.alarms
    assert any("aws_cloudformation_stack.cis's template has Conditions" in spot for spot in model.blind_spots)
    assert chain_result(model) == "FAILED"


def test_template_bodies_in_yaml_with_short_tags_and_in_json():
    template = parse_template("Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n"
                              "      TopicName: !Sub '${AWS::StackName}-x'\n      Arn: !GetAtt A.Arn\n")
    properties = template["Resources"]["T"]["Properties"]
    assert properties == {"TopicName": {"Fn::Sub": "${AWS::StackName}-x"}, "Arn": {"Fn::GetAtt": ["A", "Arn"]}}
    assert parse_template('{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}')["Resources"]["T"]["Type"] == \
        "AWS::SNS::Topic"
    with pytest.raises(TemplateBodyError):
        parse_template("just: text")


def test_a_yaml_alias_bomb_is_refused_without_expanding_it():
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(TemplateBodyError, match="aliases"):
        parse_template("\n".join(lines) + "\nResources: {}\n")


def test_results_of_resources_without_their_own_checkov_resource_attach_to_a_host():
    from trailguard.integrations.checkov.terraform_units import TerraformUnit

    stack, first, second, own = {"v": "stack"}, {"v": "x[0]"}, {"v": "x[1]"}, {"v": "z"}
    unit = TerraformUnit("root", None, {"aws_cloudformation_stack.cis": stack, "aws_x.y[1]": second,
                                        "aws_x.y[0]": first, "aws_x.z": own})
    assert unit.vertex_for("aws_cloudformation_stack.cis/Filter") == (stack, False)
    assert unit.vertex_for("aws_x.y") == (first, False)  # Checkov expanded a count trailguard could not compute
    assert unit.vertex_for("aws_x.z") == (own, True)
    assert unit.vertex_for("aws_x.missing") == (None, False)


def test_a_local_nested_stack_of_the_template_is_followed(tmp_path):
    parent = TEMPLATE.split("  Alarm:\n")[0] + '''  Alarms:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ./alarm.yaml
      Parameters:
        TopicArn: !Ref TopicArn
'''
    child = "Parameters:\n  TopicArn:\n    Type: String\nResources:\n  Alarm:\n" + TEMPLATE.split("  Alarm:\n")[1]
    (tmp_path / "alarm.yaml").write_text(child)
    main = TRAIL.replace("NAME", '"cloudtrail/events"') + STACK.replace("LOG_GROUP", '"cloudtrail/events"')
    model = model_of(tmp_path, main, parent)
    assert set(model.alarms) == {"aws_cloudformation_stack.cis/Alarms/Alarm"}
    assert model.alarms["aws_cloudformation_stack.cis/Alarms/Alarm"].alarm_actions[0].topic == Ref(
        resource="aws_sns_topic.alerts")
    assert chain_result(model) == "PASSED"


def test_a_stack_that_may_not_exist_is_named_not_judged_as_deployed(tmp_path):
    main = TRAIL.replace("NAME", '"cloudtrail/events"') + STACK.replace("LOG_GROUP", '"cloudtrail/events"').replace(
        '  name          = "cis"', '  count         = var.prefix == "prod" ? 1 : 0\n  name          = "cis"')
    model = model_of(tmp_path, main)
    assert not model.filters and not model.alarms
    assert any("aws_cloudformation_stack.cis's template is not read" in spot and 'variable "prefix"' in spot
               for spot in model.blind_spots)
    assert chain_result(model) == "FAILED"


def test_parameters_that_cannot_be_read_leave_no_default_standing(tmp_path):
    stack = STACK.replace('''  parameters = {
    LogGroupName = LOG_GROUP
    TopicArn     = aws_sns_topic.alerts.arn
  }''', "  parameters = var.stack_parameters")
    stack += 'variable "stack_parameters" {}\n'
    model = model_of(tmp_path, TRAIL.replace("NAME", '"cloudtrail/events"') + stack)
    assert isinstance(model.filters["aws_cloudformation_stack.cis/Filter"].log_group, Unknown)
    assert any('variable "stack_parameters"' in spot for spot in model.blind_spots)


def test_file_reads_only_regular_files(tmp_path):
    main = TRAIL.replace("NAME", '"g"') + STACK.replace("LOG_GROUP", '"g"').replace(
        'file("${path.module}/cis.yaml")', 'file("/dev/zero")')
    model = model_of(tmp_path, main)
    assert any("/dev/zero" in spot and "not a regular file" in spot for spot in model.blind_spots)


def test_tf_0_11_parameters_written_as_a_block(tmp_path):
    stack = STACK.replace("  parameters = {", "  parameters {").replace("LOG_GROUP", '"cloudtrail/events"')
    model = model_of(tmp_path, TRAIL.replace("NAME", '"cloudtrail/events"') + stack)
    assert model.filters["aws_cloudformation_stack.cis/Filter"].log_group == Ref(name="cloudtrail/events")
    assert chain_result(model) == "PASSED"
