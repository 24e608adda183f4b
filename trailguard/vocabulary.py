"""How each framework spells the properties a fix touches, so a finding says exactly what to write.

The rules are framework-neutral; only their advice differs: `is_multi_region_trail = true` in Terraform,
`IsMultiRegionTrail: true` in CloudFormation.
"""

from __future__ import annotations

from trailguard.model import CLOUDFORMATION, TERRAFORM

_FIXES = {
    "multi_region": ("set is_multi_region_trail = true", "set IsMultiRegionTrail: true"),
    "logging": ("remove enable_logging = false (or set it to true)", "set IsLogging: true"),
    "global_service_events": ("set include_global_service_events = true", "set IncludeGlobalServiceEvents: true"),
    "management_events": (
        "record management events of read_write_type \"All\" (event_selector with include_management_events = true, "
        "or an advanced_event_selector on eventCategory \"Management\" without a readOnly condition)",
        "record management events of ReadWriteType All (an EventSelector with IncludeManagementEvents: true, or an "
        "AdvancedEventSelector on eventCategory Management without a readOnly condition)",
    ),
    "excluded_sources": ("remove those sources from exclude_management_event_sources and from advanced selectors' "
                         "eventSource conditions",
                         "remove those sources from ExcludeManagementEventSources and from AdvancedEventSelectors' "
                         "eventSource conditions"),
    "log_group": ("set cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.<name>.arn}:*\"",
                  "set CloudWatchLogsLogGroupArn: !GetAtt <LogGroup>.Arn"),
    "log_role": ("set cloud_watch_logs_role_arn to a role CloudTrail can assume to write to the log group",
                 "set CloudWatchLogsRoleArn to a role CloudTrail can assume to write to the log group"),
    "filter": ("add an aws_cloudwatch_log_metric_filter on the trail's log group with this pattern",
               "add an AWS::Logs::MetricFilter on the trail's log group with this pattern"),
    "alarm": ("add an aws_cloudwatch_metric_alarm on the filter's metric_transformation name and namespace",
              "add an AWS::CloudWatch::Alarm on the filter's MetricTransformations MetricName and MetricNamespace"),
    "actions_enabled": ("remove actions_enabled = false", "set ActionsEnabled: true"),
    "sns_action": ("put an aws_sns_topic ARN in alarm_actions", "put an AWS::SNS::Topic in AlarmActions"),
    "subscription": ("add an aws_sns_topic_subscription for the topic (or skip TG_AWS_5 if subscriptions are "
                     "managed elsewhere)",
                     "add an AWS::SNS::Subscription for the topic, or Subscription on the topic (or ignore W9105 if "
                     "subscriptions are managed elsewhere)"),
}


def fix(topic: str, framework: str) -> str:
    """The advice for `topic` in the framework's own words."""
    terraform, cloudformation = _FIXES[topic]
    return {TERRAFORM: terraform, CLOUDFORMATION: cloudformation}.get(framework, terraform)
