"""Real-world Terraform shapes (issue 9) through the loader, the builder and the analysis, without a scanner.

Links written as references are proven by the reference whatever the referenced value; `data` sources are their
literal arguments; Terraform's type conversions hold; and nothing in scope vanishes. The examples under
examples/terraform prove the same classes through the real Checkov; these tests cover the spellings `terraform fmt`
would rewrite (TF 0.11 interpolation-only strings) and the edges.
"""

from __future__ import annotations

from typing import Dict

from trailguard.model import Model, Ref, Unknown
from trailguard.rules.analysis import analyse
from trailguard.terraform.builder import build_model
from trailguard.terraform.loader import forget_directories, load_root

PATTERN = '"{ ($.errorCode = \\"*UnauthorizedOperation\\") || ($.errorCode = \\"AccessDenied*\\") }"'


def model_of(tmp_path, main: str, **files: str) -> Model:
    forget_directories()
    (tmp_path / "main.tf").write_text(main)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    root = load_root(tmp_path)
    return build_model(list(root.instances()), str(tmp_path), root.notes)


def results(model: Model) -> Dict[tuple, str]:
    return {(f.check_id, f.resource.id): f.result for f in analyse(model)}


def chain(log_group: str, trail_arn: str, filter_log_group: str, count: str = "", trail: str = "") -> str:
    """A whole chain whose three links to the log group are written as given."""
    return f'''
resource "aws_cloudwatch_log_group" "trail" {{
  {log_group}
}}

resource "aws_cloudtrail" "main" {{
  name                          = "org"
  s3_bucket_name                = "bucket"
  is_multi_region_trail         = true
  include_global_service_events = true
  cloud_watch_logs_group_arn    = {trail_arn}
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/trail"
  {trail}
}}

resource "aws_cloudwatch_log_metric_filter" "f" {{
  {count}
  name           = "unauthorized-api-calls"
  log_group_name = {filter_log_group}
  pattern        = {PATTERN}
  metric_transformation {{
    name      = "UnauthorizedAPICalls"
    namespace = "CIS"
    value     = "1"
  }}
}}

resource "aws_sns_topic" "alerts" {{
  name = "alerts"
}}

resource "aws_cloudwatch_metric_alarm" "a" {{
  {count}
  alarm_name          = "unauthorized"
  metric_name         = "UnauthorizedAPICalls"
  namespace           = "CIS"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = ["${{aws_sns_topic.alerts.arn}}"]
}}
'''


NO_DEFAULT = 'variable "log_group_name" {}\nvariable "prefix" {}\n'
FILTER = "aws_cloudwatch_log_metric_filter.f"


# --- links by reference identity -----------------------------------------------------------------------------

def test_a_log_group_named_by_an_unset_input_is_linked_by_reference_in_every_spelling(tmp_path):
    spellings = [
        ("name = var.log_group_name", '"${aws_cloudwatch_log_group.trail.arn}:*"',
         "aws_cloudwatch_log_group.trail.name"),
        ('name = "${var.prefix}-trail"', '"${aws_cloudwatch_log_group.trail.arn}"',
         '"${aws_cloudwatch_log_group.trail.name}"'),
        ('name = "${var.prefix}-trail"', "aws_cloudwatch_log_group.trail.arn", "aws_cloudwatch_log_group.trail.id"),
        ("name = var.log_group_name",
         '"arn:aws:logs:us-east-1:111122223333:log-group:${aws_cloudwatch_log_group.trail.name}:*"',
         '"${element(aws_cloudwatch_log_group.trail.*.name, 0)}"'),
    ]
    for log_group, trail_arn, filter_log_group in spellings:
        model = model_of(tmp_path, chain(log_group, trail_arn, filter_log_group), **{"variables.tf": NO_DEFAULT})
        assert model.filters[FILTER].log_group == Ref(resource="aws_cloudwatch_log_group.trail"), filter_log_group
        assert model.trails["aws_cloudtrail.main"].log_group == Ref(resource="aws_cloudwatch_log_group.trail")
        assert results(model)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED", (log_group, filter_log_group)


def test_a_literal_log_group_name_is_still_read_as_its_name(tmp_path):
    model = model_of(tmp_path, chain('name = "cloudtrail/events"', '"${aws_cloudwatch_log_group.trail.arn}:*"',
                                     "aws_cloudwatch_log_group.trail.name"))
    assert model.filters[FILTER].log_group == Ref(name="cloudtrail/events")
    assert results(model)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"


def test_the_reference_passes_through_module_outputs_and_inputs(tmp_path):
    main = '''
module "logs" {
  source = "./logs"
}

resource "aws_cloudtrail" "main" {
  name                          = "org"
  s3_bucket_name                = "bucket"
  is_multi_region_trail         = true
  cloud_watch_logs_group_arn    = "${module.logs.arn}:*"
  cloud_watch_logs_role_arn     = "arn:aws:iam::111122223333:role/trail"
}

module "alarm" {
  source         = "./alarm"
  log_group_name = module.logs.name
}
'''
    logs = '''
variable "name" {}
resource "aws_cloudwatch_log_group" "this" {
  name = var.name
}
output "arn" {
  value = aws_cloudwatch_log_group.this.arn
}
output "name" {
  value = "${aws_cloudwatch_log_group.this.name}"
}
'''
    alarm = f'''
variable "log_group_name" {{}}
resource "aws_cloudwatch_log_metric_filter" "f" {{
  name           = "unauthorized-api-calls"
  log_group_name = var.log_group_name
  pattern        = {PATTERN}
}}
'''
    model = model_of(tmp_path, main, **{"logs/main.tf": logs, "alarm/main.tf": alarm})
    group = Ref(resource="module.logs.aws_cloudwatch_log_group.this")
    assert model.trails["aws_cloudtrail.main"].log_group == group
    assert model.filters["module.alarm." + FILTER].log_group == group


def test_for_each_instances_are_different_log_groups(tmp_path):
    log_group = 'for_each = toset(["cloudtrail", "flow-logs"])\n  name = "${var.prefix}/${each.key}"'
    same = model_of(tmp_path, chain(log_group, '"${aws_cloudwatch_log_group.trail["cloudtrail"].arn}:*"',
                                    'aws_cloudwatch_log_group.trail["cloudtrail"].name'),
                    **{"variables.tf": NO_DEFAULT})
    assert results(same)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"
    other = model_of(tmp_path, chain(log_group, '"${aws_cloudwatch_log_group.trail["cloudtrail"].arn}:*"',
                                     'aws_cloudwatch_log_group.trail["flow-logs"].name'),
                     **{"variables.tf": NO_DEFAULT})
    assert other.filters[FILTER].log_group == Ref(resource='aws_cloudwatch_log_group.trail["flow-logs"]')
    assert results(other)[("TG_AWS_4", "aws_cloudtrail.main")] == "FAILED"


# --- data sources by their literal arguments -----------------------------------------------------------------

DATA = '''
data "aws_cloudwatch_log_group" "trail" {
  name = NAME
}
'''


def data_chain(tmp_path, name: str, filter_log_group: str = "data.aws_cloudwatch_log_group.trail.name") -> Model:
    main = chain('name = "unused"', '"${data.aws_cloudwatch_log_group.trail.arn}:*"', filter_log_group)
    return model_of(tmp_path, main + DATA.replace("NAME", name), **{"variables.tf": NO_DEFAULT})


def test_a_data_log_group_is_the_one_its_literal_name_names(tmp_path):
    model = data_chain(tmp_path, '"aws-controltower/CloudTrailLogs"')
    assert model.trails["aws_cloudtrail.main"].log_group == Ref(name="aws-controltower/CloudTrailLogs")
    assert model.filters[FILTER].log_group == Ref(name="aws-controltower/CloudTrailLogs")
    assert results(model)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"
    literal = data_chain(tmp_path, '"aws-controltower/CloudTrailLogs"', '"aws-controltower/CloudTrailLogs"')
    assert results(literal)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"
    other = data_chain(tmp_path, '"aws-controltower/CloudTrailLogs"', '"some/other/group"')
    assert results(other)[("TG_AWS_4", "aws_cloudtrail.main")] == "FAILED"


def test_a_data_log_group_read_by_an_unset_input_is_linked_by_reference(tmp_path):
    model = data_chain(tmp_path, "var.log_group_name")
    assert model.trails["aws_cloudtrail.main"].log_group == Ref(resource="data.aws_cloudwatch_log_group.trail")
    assert model.filters[FILTER].log_group == Ref(resource="data.aws_cloudwatch_log_group.trail")
    assert results(model)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"


def test_an_undeclared_data_log_group_fails_closed_naming_it(tmp_path):
    main = chain('name = "unused"', '"${data.aws_cloudwatch_log_group.missing.arn}:*"', '"x"')
    log_group = model_of(tmp_path, main).trails["aws_cloudtrail.main"].log_group
    assert isinstance(log_group, Unknown) and "data.aws_cloudwatch_log_group.missing" in log_group.describe()


def test_data_topic_and_role_are_an_sns_action_and_a_role(tmp_path):
    main = chain('name = "g"', '"${aws_cloudwatch_log_group.trail.arn}:*"', "aws_cloudwatch_log_group.trail.name")
    main = main.replace('"${aws_sns_topic.alerts.arn}"', "data.aws_sns_topic.security.arn").replace(
        '"arn:aws:iam::111122223333:role/trail"', "data.aws_iam_role.trail.arn")
    main += 'data "aws_sns_topic" "security" {\n  name = "security"\n}\n'
    main += 'data "aws_iam_role" "trail" {\n  name = "CloudTrailToCloudWatch"\n}\n'
    model = model_of(tmp_path, main)
    assert model.alarms["aws_cloudwatch_metric_alarm.a"].alarm_actions[0].is_sns is True
    assert results(model)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"


# --- Terraform's type conversions ------------------------------------------------------------------------------

def test_tf_0_11_interpolated_counts_and_quoted_bools_are_converted(tmp_path):
    main = chain('name = "g"', '"${aws_cloudwatch_log_group.trail.arn}"', '"${aws_cloudwatch_log_group.trail.name}"',
                 count='count = "${var.enabled == "true" ? 1 : 0}"',
                 trail='enable_logging = "true"\n  include_global_service_events = "${var.enabled}"')
    main = main.replace("is_multi_region_trail         = true", 'is_multi_region_trail         = "true"')
    model = model_of(tmp_path, main, **{"variables.tf": 'variable "enabled" {\n  default = "true"\n}\n'})
    assert set(model.filters) == {FILTER + "[0]"} and set(model.alarms) == {"aws_cloudwatch_metric_alarm.a[0]"}
    trail = model.trails["aws_cloudtrail.main"]
    assert (trail.multi_region, trail.logging, trail.global_service_events) == (True, True, True)
    assert results(model)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"


def test_string_counts_and_toset_for_each(tmp_path):
    for count, instances in (('count = "2"', {FILTER + "[0]", FILTER + "[1]"}), ('count = "0"', set()),
                             ('for_each = toset(["a"])', {FILTER + '["a"]'})):
        model = model_of(tmp_path, chain('name = "g"', '"${aws_cloudwatch_log_group.trail.arn}"', '"g"',
                                         count=count))
        assert set(model.filters) == instances, count


# --- nothing in scope vanishes ---------------------------------------------------------------------------------

def test_a_count_that_cannot_be_computed_keeps_the_resource_named(tmp_path):
    for count in ('count = "${var.create == "true" ? 1 : 0}"', "count = var.create ? 1 : 0", 'count = "yes"'):
        model = model_of(tmp_path, chain('name = "g"', '"${aws_cloudwatch_log_group.trail.arn}"', '"g"', count=count),
                         **{"variables.tf": 'variable "create" {}\n'})
        assert set(model.filters) == {FILTER}, count
        found = results(model)
        assert found[("TG_AWS_2", FILTER)] == found[("TG_AWS_4", "aws_cloudtrail.main")] == "FAILED", count
        assert any(f"whether {FILTER} exists" in spot for spot in model.blind_spots), count


def test_a_module_whose_count_cannot_be_computed_is_read_and_its_resources_named(tmp_path):
    main = '''
variable "enabled" {}

module "alarms" {
  source = "./alarms"
  count  = var.enabled ? 1 : 0
}
'''
    alarms = f'''
resource "aws_cloudwatch_log_metric_filter" "f" {{
  name           = "unauthorized-api-calls"
  log_group_name = "g"
  pattern        = {PATTERN}
}}

resource "aws_sns_topic_subscription" "s" {{
  topic_arn = "arn:aws:sns:us-east-1:111122223333:alerts"
  protocol  = "email"
}}
'''
    model = model_of(tmp_path, main, **{"alarms/main.tf": alarms})
    metric_filter = model.filters["module.alarms." + FILTER]
    assert isinstance(metric_filter.pattern, Unknown) and 'variable "enabled"' in metric_filter.pattern.describe()
    assert isinstance(model.subscriptions["module.alarms.aws_sns_topic_subscription.s"].topic, Unknown)
    assert any("whether module.alarms exists" in spot for spot in model.blind_spots)


def test_a_plan_reads_a_data_log_group_by_its_configured_name(tmp_path):
    import json

    from trailguard.terraform.plan import load_plan

    def resource(address, values, references):
        kind, name = address.split(".")
        return ({"address": address, "mode": "managed", "type": kind, "name": name, "values": values},
                {"address": address, "mode": "managed", "type": kind, "name": name,
                 "expressions": {key: {"references": refs} for key, refs in references.items()}},
                {"address": address, "change": {"actions": ["create"], "after_unknown": {k: True for k in references}}})

    def data(name_expression):
        return {"address": "data.aws_cloudwatch_log_group.trail", "mode": "data", "type": "aws_cloudwatch_log_group",
                "name": "trail", "expressions": {"name": name_expression}}

    trail = resource("aws_cloudtrail.main", {"name": "org"},
                     {"cloud_watch_logs_group_arn": ["data.aws_cloudwatch_log_group.trail.arn",
                                                     "data.aws_cloudwatch_log_group.trail"]})
    metric_filter = resource("aws_cloudwatch_log_metric_filter.f", {"name": "f"},
                             {"log_group_name": ["data.aws_cloudwatch_log_group.trail.name",
                                                 "data.aws_cloudwatch_log_group.trail"]})
    for name_expression, link in (({"constant_value": "cloudtrail/events"}, Ref(name="cloudtrail/events")),
                                  ({"references": ["var.name"]}, Ref(resource="data.aws_cloudwatch_log_group.trail"))):
        plan = {"planned_values": {"root_module": {"resources": [trail[0], metric_filter[0]]}},
                "resource_changes": [trail[2], metric_filter[2]],
                "configuration": {"root_module": {"resources": [trail[1], metric_filter[1], data(name_expression)]}}}
        (tmp_path / "plan.json").write_text(json.dumps(plan))
        model = build_model(load_plan(tmp_path / "plan.json"), "plan", [])
        assert model.trails["aws_cloudtrail.main"].log_group == link
        assert model.filters["aws_cloudwatch_log_metric_filter.f"].log_group == link


def test_tf_0_11_conditional_resource_references(tmp_path):
    """0.11 modules with `count` read the one instance through a splat: element(concat(x.*.arn, list("")), 0)."""
    main = chain('count = "${var.enabled ? 1 : 0}"\n  name = var.log_group_name',
                 '"${element(concat(aws_cloudwatch_log_group.trail.*.arn, list("")), 0)}"',
                 '"${join("", aws_cloudwatch_log_group.trail.*.name)}"')
    model = model_of(tmp_path, main, **{"variables.tf": NO_DEFAULT + 'variable "enabled" {\n  default = true\n}\n'})
    group = Ref(resource="aws_cloudwatch_log_group.trail[0]")
    assert model.trails["aws_cloudtrail.main"].log_group == model.filters[FILTER].log_group == group
    assert results(model)[("TG_AWS_4", "aws_cloudtrail.main")] == "PASSED"


def test_tf_0_11_string_bools_decide_conditions_as_terraform_does(tmp_path):
    """`default = "false"` with `count = "${var.create ? 1 : 0}"` creates nothing: "false" is false, not truthy."""
    for default, instances in (('"false"', set()), ('"true"', {FILTER + "[0]"}), ("false", set())):
        variables = f'variable "create" {{\n  default = {default}\n}}\n'
        model = model_of(tmp_path, chain('name = "g"', '"${aws_cloudwatch_log_group.trail.arn}"', '"g"',
                                         count='count = "${var.create ? 1 : 0}"'), **{"variables.tf": variables})
        assert set(model.filters) == instances, default
    model = model_of(tmp_path, chain('name = "g"', '"${aws_cloudwatch_log_group.trail.arn}"', '"g"',
                                     count='count = var.create && !var.create ? 1 : 0'),
                     **{"variables.tf": 'variable "create" {\n  default = "yes"\n}\n'})
    assert isinstance(model.filters[FILTER].pattern, Unknown)  # "yes" is no bool: Terraform would refuse it


def test_a_data_log_group_inside_a_module_is_read_by_its_name(tmp_path):
    main = chain('name = "cloudtrail/events"', '"${aws_cloudwatch_log_group.trail.arn}:*"', '"unused"')
    main = main.replace('_metric_filter" "f"', '_metric_filter" "x"')
    main += 'module "monitoring" {\n  source         = "./monitoring"\n  log_group_name = "cloudtrail/events"\n}\n'
    monitoring = f'''
variable "log_group_name" {{}}

data "aws_cloudwatch_log_group" "trail" {{
  name = var.log_group_name
}}

resource "aws_cloudwatch_log_metric_filter" "f" {{
  name           = "unauthorized-api-calls"
  log_group_name = data.aws_cloudwatch_log_group.trail.name
  pattern        = {PATTERN}
}}
'''
    model = model_of(tmp_path, main, **{"monitoring/main.tf": monitoring})
    assert model.filters["module.monitoring." + FILTER].log_group == Ref(name="cloudtrail/events")


def test_an_instance_of_a_for_each_that_cannot_be_computed_is_still_named_by_its_reference(tmp_path):
    log_group = 'for_each = var.log_groups\n  name = each.value'
    main = chain(log_group, '"${aws_cloudwatch_log_group.trail["cloudtrail"].arn}:*"',
                 'aws_cloudwatch_log_group.trail["cloudtrail"].name')
    model = model_of(tmp_path, main, **{"variables.tf": 'variable "log_groups" {}\n'})
    group = Ref(resource='aws_cloudwatch_log_group.trail["cloudtrail"]')
    assert model.trails["aws_cloudtrail.main"].log_group == model.filters[FILTER].log_group == group
    assert any("whether aws_cloudwatch_log_group.trail exists" in spot for spot in model.blind_spots)
    other = model_of(tmp_path, main.replace('trail["cloudtrail"].name', 'trail["flow-logs"].name'),
                     **{"variables.tf": 'variable "log_groups" {}\n'})
    assert results(other)[("TG_AWS_4", "aws_cloudtrail.main")] == "FAILED"
