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
    # One root in two syntaxes: Checkov's terraform runner reports the .tf resources, terraform_json the others.
    "compliant/tf_json_mixed": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/cis_v2_pattern": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/cis_v14_grouped_pattern": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/heredoc_trim": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # Four CIS controls in one for_each catalogue: only the unauthorized-calls instance is judged by TG_AWS_2/3.
    # Checkov cannot evaluate a map of CIS patterns, so it keeps one unexpanded vertex for each for_each resource,
    # and the results of the judged instance attach to it.
    "compliant/catalog_for_each": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P,
        ("TG_AWS_2", "aws_cloudwatch_log_metric_filter.cis"): P,
        ("TG_AWS_3", "aws_cloudwatch_log_metric_filter.cis"): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/module_chain": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P,
        ("TG_AWS_2", "module.cis_monitoring." + FILTER): P,
        ("TG_AWS_3", "module.cis_monitoring." + FILTER): P,
        ("TG_AWS_5", "module.cis_monitoring." + TOPIC): P,
    },
    # The topic is named by a literal ARN and managed elsewhere: no topic in scope, so no TG_AWS_5 result.
    "compliant/literal_arns": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
    },
    "compliant/tfvars_values": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/pattern_from_join_format": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/tf_json": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/narrow_exclusion": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # The topic is a validated variable: SNS for sure, but no aws_sns_topic in scope for TG_AWS_5.
    "compliant/sns_variable_validated": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
    },
    "compliant/advanced_event_selectors": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/count_one": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER + "[0]"): P,
        ("TG_AWS_3", FILTER + "[0]"): P, ("TG_AWS_5", TOPIC): P,
    },
    "compliant/alarm_on_metric_query": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # --- one link broken at a time ---------------------------------------------------------------------------
    # The trail: TG_AWS_1 and the chain fail; the filter, the alarm and the topic are fine on their own.
    # Real-world shapes (issue 6): a catalogue module fed a map of controls; 0.12-era interpolation-only strings; and
    # an audit/monitoring account split, whose trail's chain leaves its root (see noncompliant/separate_trail_account).
    "compliant/catalog_module": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_5", TOPIC): P,
        ("TG_AWS_2", "module.cis_monitoring.aws_cloudwatch_log_metric_filter.control"): P,
        ("TG_AWS_3", "module.cis_monitoring.aws_cloudwatch_log_metric_filter.control"): P,
    },
    "compliant/interpolation_only_strings": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "compliant/separate_monitoring_account": {
        ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P, ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/separate_trail_account": {("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F},
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
    "noncompliant/decrypt_invoked_by_trap": {
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
    # The alarm: TG_AWS_3 and the chain fail; TG_AWS_5 still judges the topic the failing alarm notifies (an
    # alarm without an SNS action, or none on the metric, leaves no topic to judge).
    "noncompliant/namespace_mismatch": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/alarm_on_filter_name": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/average_threshold_5": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/datapoints_to_alarm_3": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/actions_disabled": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/only_ok_actions": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/lambda_action": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    # The validation mentions "arn:aws:sns:" but forbids it: no proof of an SNS action (trailguard.constraints).
    "noncompliant/validation_forbids_sns": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    "noncompliant/dimensions_on_filter": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/count_zero": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
    },
    # The topic: the chain holds; only the advisory check fails.
    "noncompliant/topic_without_subscription": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): F,
    },
    "noncompliant/alarm_on_metric_math": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    # The catalogue's unauthorized-calls entry has the OR bug; its results attach to the unexpanded vertex.
    "noncompliant/catalog_or_bug": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F,
        ("TG_AWS_2", "aws_cloudwatch_log_metric_filter.cis"): F,
        ("TG_AWS_3", "aws_cloudwatch_log_metric_filter.cis"): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # Unknowns fail closed, naming the input.
    "noncompliant/variable_without_default": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): F, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # The filter and the alarm are inside a registry module: nothing to attach TG_AWS_2/3/5 to, the chain fails.
    "noncompliant/registry_module": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F,
    },
    # Links by reference identity (issue 9): the log group's name is an input nobody sets statically, and every
    # link is a reference to the one resource (through module outputs, for_each instances, "${...}" strings).
    "compliant/log_group_name_input": {
        ("TG_AWS_1", "module.cloudtrail_baseline.aws_cloudtrail.this"): P,
        ("TG_AWS_4", "module.cloudtrail_baseline.aws_cloudtrail.this"): P,
        ("TG_AWS_2", "module.unauthorized_api_calls_alarm." + FILTER): P,
        ("TG_AWS_3", "module.unauthorized_api_calls_alarm." + FILTER): P,
        ("TG_AWS_5", "module.unauthorized_api_calls_alarm." + TOPIC): P,
    },
    "compliant/log_groups_for_each": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # Reference identity is per instance: the filter on another instance of the same for_each is not on the trail's.
    "noncompliant/filter_on_sibling_log_group": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F, ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # Data sources by their literal arguments: log group, delivery role and topic read by name; the topic is
    # managed elsewhere, so no TG_AWS_5 result.
    "compliant/landing_zone_data_sources": {
        ("TG_AWS_1", "aws_cloudtrail.organization"): P, ("TG_AWS_4", "aws_cloudtrail.organization"): P,
        ("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
    },
    # Terraform 0.11 conversions: count = "${... ? 1 : 0}" is the number 1, quoted bools are bools.
    "compliant/tf011_string_count": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P,
        ("TG_AWS_2", "module.unauthorized_api_calls." + FILTER + "[0]"): P,
        ("TG_AWS_3", "module.unauthorized_api_calls." + FILTER + "[0]"): P,
        ("TG_AWS_5", TOPIC): P,
    },
    # A count nobody can compute: the filter and the alarm are named and fail closed, never dropped.
    "noncompliant/tf011_count_unknown": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F,
        ("TG_AWS_2", "module.unauthorized_api_calls." + FILTER): F,
        ("TG_AWS_3", "module.unauthorized_api_calls." + FILTER): F,
        ("TG_AWS_5", TOPIC): P,
    },
    # aws_cloudformation_stack: a local template (file() or heredoc) joins the unit; results of its resources report
    # on the stack resource. A remote template_url is named in the chain's failure.
    "compliant/cloudformation_stack_alarms": {
        ("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P, ("TG_AWS_2", "aws_cloudformation_stack.cis_alarms"): P,
        ("TG_AWS_3", "aws_cloudformation_stack.cis_alarms"): P, ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/cloudformation_stack_or_bug": {
        ("TG_AWS_1", "aws_cloudformation_stack.account_baseline"): P,
        ("TG_AWS_4", "aws_cloudformation_stack.account_baseline"): F,
        ("TG_AWS_2", "aws_cloudformation_stack.account_baseline"): F,
        ("TG_AWS_3", "aws_cloudformation_stack.account_baseline"): P,
        ("TG_AWS_5", TOPIC): P,
    },
    "noncompliant/cloudformation_stack_remote_template": {("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F},
}

# {case: {(check id, resource address): [phrases the reason must contain]}}
REASONS = {
    "compliant/narrow_exclusion": {
        ("TG_AWS_2", FILTER): ["narrow exclusions", '$.eventName = "ConsoleLogin"'],
    },
    "compliant/catalog_for_each": {
        ("TG_AWS_3", "aws_cloudwatch_log_metric_filter.cis"): [
            'aws_cloudwatch_log_metric_filter.cis["unauthorized_api_calls"]: alarmed by '
            'aws_cloudwatch_metric_alarm.cis["unauthorized_api_calls"]'],
        ("TG_AWS_4", TRAIL): ['aws_cloudwatch_log_metric_filter.cis["unauthorized_api_calls"]',
                              'aws_cloudwatch_metric_alarm.cis["unauthorized_api_calls"]'],
    },
    "compliant/module_chain": {
        ("TG_AWS_3", "module.cis_monitoring." + FILTER): [
            "module.cis_monitoring.module.unauthorized_api_calls_alarm.aws_cloudwatch_metric_alarm.this"],
    },
    "noncompliant/alarm_on_metric_math": {
        ("TG_AWS_3", FILTER): ["metric-math expression", "cannot prove fires on a single call"],
        ("TG_AWS_4", TRAIL): ["metric-math expression"],
    },
    # Instances sharing one unexpanded vertex: each line names its instance.
    "noncompliant/catalog_or_bug": {
        ("TG_AWS_2", "aws_cloudwatch_log_metric_filter.cis"): [
            'aws_cloudwatch_log_metric_filter.cis["unauthorized_api_calls"]: it counts calls that were not denied',
            '"eventName": "GetObject"'],
        ("TG_AWS_4", TRAIL): ['filter aws_cloudwatch_log_metric_filter.cis["unauthorized_api_calls"]: it counts calls '
                              'that were not denied', '"eventName": "GetObject"'],
    },
    "noncompliant/variable_without_default": {
        ("TG_AWS_2", FILTER): ['variable "unauthorized_api_calls_pattern"', "has no default", "terraform.tfvars",
                               "plan JSON", "skip"],
        ("TG_AWS_4", TRAIL): ['variable "unauthorized_api_calls_pattern"'],
    },
    "noncompliant/registry_module": {
        ("TG_AWS_4", TRAIL): ["no metric filter for unauthorized API calls", 'module "cis_alarms"',
                              "terraform-aws-modules/cloudwatch/aws//modules/cis-alarms", "scan the plan JSON"],
    },
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
    "noncompliant/separate_trail_account": {
        ("TG_AWS_4", TRAIL): ["no metric filter for unauthorized API calls on the trail's log group"],
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
    "noncompliant/decrypt_invoked_by_trap": {
        ("TG_AWS_2", FILTER): ["(the absent-field trap)", '"eventName": "Decrypt"',
                               '"errorCode": "AccessDeniedException"',
                               '(($.userIdentity.invokedBy NOT EXISTS) || ($.userIdentity.invokedBy != '
                               '"config.amazonaws.com"))'],
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
    "noncompliant/validation_forbids_sns": {
        ("TG_AWS_3", FILTER): ['its alarm action variable "incident_target_arn" cannot be resolved'],
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
    "noncompliant/filter_on_sibling_log_group": {
        ("TG_AWS_4", TRAIL): ["no metric filter for unauthorized API calls on the trail's log group",
                              'aws_cloudwatch_log_group.this["cloudtrail"]'],
    },
    "noncompliant/tf011_count_unknown": {
        ("TG_AWS_2", "module.unauthorized_api_calls." + FILTER): [
            "whether module.unauthorized_api_calls." + FILTER + " exists", 'variable "create_cis_alarms"',
            "terraform.tfvars"],
        ("TG_AWS_3", "module.unauthorized_api_calls." + FILTER): [
            "whether module.unauthorized_api_calls.aws_cloudwatch_metric_alarm.unauthorized_api_calls exists",
            'variable "create_cis_alarms"'],
        ("TG_AWS_4", TRAIL): ['variable "create_cis_alarms"'],
    },
    "compliant/cloudformation_stack_alarms": {
        ("TG_AWS_2", "aws_cloudformation_stack.cis_alarms"): [
            "aws_cloudformation_stack.cis_alarms/UnauthorizedApiCallsFilter"],
        ("TG_AWS_3", "aws_cloudformation_stack.cis_alarms"): [
            "aws_cloudformation_stack.cis_alarms/UnauthorizedApiCallsAlarm"],
    },
    "noncompliant/cloudformation_stack_or_bug": {
        ("TG_AWS_2", "aws_cloudformation_stack.account_baseline"): [
            "aws_cloudformation_stack.account_baseline/UnauthorizedApiCallsFilter: it counts calls that were not "
            "denied",
            '"eventName": "GetObject"'],
        ("TG_AWS_4", "aws_cloudformation_stack.account_baseline"): ["aws_cloudformation_stack.account_baseline/Trail"],
    },
    "noncompliant/cloudformation_stack_remote_template": {
        ("TG_AWS_4", TRAIL): ["no metric filter for unauthorized API calls", "aws_cloudformation_stack.cis_alarms",
                              "template_url", "cis-alarms-v1.4.yaml"],
    },
}


@pytest.fixture(scope="session")
def scanned():
    # terraform_json too: Checkov's terraform runner skips `.tf.json` files in a directory scan (a TODO in its
    # parser); its terraform_json runner reads them, as a default `checkov -d` run does.
    run = run_checkov("--framework", "terraform", "terraform_json", "-d", str(EXAMPLES))
    assert run.returncode in (0, 1), run.stderr[-3000:]
    assert "internal error" not in run.stderr, run.stderr[-3000:]
    return results_by_case(run.stdout, EXAMPLES)


def hcl_cases():
    return sorted(str(path.parent.relative_to(EXAMPLES)) for path in EXAMPLES.glob("*/*/*.tf*"))


def test_every_example_has_expectations():
    assert set(hcl_cases()) <= set(EXPECTED), set(hcl_cases()) - set(EXPECTED)


# Cases whose expected results are right but the adapter does not deliver yet: {case: the bug}. Strict, so a fix
# makes the test fail until the entry is removed.
KNOWN_BUGS: dict = {}


def _cases(table):
    return [pytest.param(case, marks=pytest.mark.xfail(reason=KNOWN_BUGS[case], strict=True))
            if case in KNOWN_BUGS else case for case in sorted(table)]


@pytest.mark.parametrize("case", _cases(EXPECTED))
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
