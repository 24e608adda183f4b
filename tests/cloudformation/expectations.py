"""What each CloudFormation example must give, per check and per resource: the one table both scanners are held to.

Checkov reports PASSED/FAILED/SKIPPED for TG_AWS_n; cfn-lint reports a match of the mapped rule (E9101..W9105)
exactly when Checkov says FAILED; a SKIPPED resource is ignored in cfn-lint through its Metadata too. TG_AWS_5
judges every topic an alarm on the filter's metric notifies, even a failing alarm; topic=None where no alarm on it
has an SNS topic action.
`MESSAGES` holds text each failure message must contain in both scanners, so a failure names what is wrong.
"""

P, F, S = "PASSED", "FAILED", "SKIPPED"
TRAIL = "Trail"
FILTER = "UnauthorizedApiCallsFilter"
TOPIC = "AlarmTopic"


def chain(trail=P, pattern=P, alarm=P, chain_=P, topic=P, *, trail_id=TRAIL, filter_id=FILTER, topic_id=TOPIC):
    """The five results of a template with one trail, one filter and (unless topic is None) one topic."""
    results = {("TG_AWS_1", trail_id): trail, ("TG_AWS_4", trail_id): chain_,
               ("TG_AWS_2", filter_id): pattern, ("TG_AWS_3", filter_id): alarm}
    if topic is not None:
        results[("TG_AWS_5", topic_id)] = topic
    return results


EXPECTED = {
    "compliant/plain_chain.yaml": chain(),
    "compliant/cis_v2_pattern.yaml": chain(),
    "compliant/cis_v14_grouped_regex.yaml": chain(),
    "compliant/pattern_fn_join.yaml": chain(),
    "compliant/pattern_fn_sub.yaml": chain(),
    "compliant/parameter_default.yaml": chain(),
    "compliant/sns_parameter_allowed_pattern.yaml": chain(topic=None),
    "compliant/literal_sns_arn.yaml": chain(topic=None),
    "compliant/narrow_exclusion.yaml": chain(),
    "compliant/advanced_selectors_string_booleans.yaml": chain(),
    "compliant/inline_subscription.yaml": chain(),
    "compliant/conditions_all_branches.yaml": chain(),
    "compliant/json_template.json": chain(),
    "compliant/sam_template.yaml": chain(),
    "compliant/cdk_synth.template.json": chain(trail_id="Trail022F0CF2", filter_id="UnauthorizedApiCallsFilter8E1C4A5B",
                                              topic_id="AlarmTopicD01E77F9"),
    # The landing-zone topic's only subscriber is a stub Lambda: TG_AWS_5 can only prove a subscription exists.
    "compliant/stub_subscriber.yaml": chain(),
    # A trail account and a monitoring account: each template is judged alone, so the trail's chain fails closed
    # (skip TG_AWS_4 with the reason, docs/limits.md) while the monitoring stack's filter, alarm and topic pass.
    "compliant/separate_accounts_monitoring.yaml": {("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P,
                                                    ("TG_AWS_5", TOPIC): P},
    "noncompliant/separate_accounts_trail.yaml": {("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F},
    "noncompliant/parameter_no_default.yaml": chain(pattern=F, chain_=F),
    "noncompliant/ssm_parameter_pattern.yaml": chain(pattern=F, chain_=F),
    "noncompliant/import_value_topic.yaml": chain(alarm=F, chain_=F, topic=None),
    "noncompliant/condition_branch_fails.yaml": chain(alarm=F, chain_=F),
    "noncompliant/single_region.yaml": chain(trail=F, chain_=F),
    "noncompliant/accepted_risk_skipped.yaml": chain(trail=S, chain_=S),
    "noncompliant/logging_off_string.yaml": chain(trail=F, chain_=F),
    "noncompliant/no_management_events.yaml": chain(trail=F, chain_=F),
    "noncompliant/filter_other_log_group.yaml": chain(chain_=F),
    "noncompliant/or_bug.yaml": chain(pattern=F, chain_=F),
    "noncompliant/exact_values.yaml": chain(pattern=F, chain_=F),
    "noncompliant/optional_field_exclusion.yaml": chain(pattern=F, chain_=F),
    "noncompliant/decrypt_invoked_by_trap.yaml": chain(pattern=F, chain_=F),
    "noncompliant/namespace_mismatch.yaml": chain(alarm=F, chain_=F),
    "noncompliant/alarm_on_filter_name.yaml": chain(alarm=F, chain_=F),
    "noncompliant/average_threshold_5.yaml": chain(alarm=F, chain_=F),
    "noncompliant/datapoints_3.yaml": chain(alarm=F, chain_=F),
    "noncompliant/actions_disabled.yaml": chain(alarm=F, chain_=F),
    "noncompliant/only_ok_actions.yaml": chain(alarm=F, chain_=F, topic=None),
    "noncompliant/lambda_action.yaml": chain(alarm=F, chain_=F, topic=None),
    # AllowedPattern '^(?!arn:aws:sns:).*' contains ":sns:" and forbids every SNS ARN: no proof of an SNS action.
    "noncompliant/allowed_pattern_forbids_sns.yaml": chain(alarm=F, chain_=F, topic=None),
    "noncompliant/topic_without_subscription.yaml": chain(topic=F),
    # 20 parameters, 16 conditions: only those that decide chain resources (the webhook subscription and, when
    # optional, the unauthorized-calls filter's own) are explored; the other alarms' toggles and the trail's KMS key
    # (a property trailguard does not read) do not multiply the branches.
    "compliant/landing_zone_optional_alarms.yaml": chain(topic_id="SecurityAlarmsTopic"),
    "noncompliant/landing_zone_unauthorized_alarm_optional.yaml": chain(chain_=F, topic_id="SecurityAlarmsTopic"),
    # Local nested stacks are followed into the parent's unit; their resources' results attach to the parent's
    # stack resource (each line naming e.g. TrailStack/Trail).
    "compliant/nested_stacks_packaged.yaml": chain(trail_id="TrailStack", filter_id="MonitoringStack",
                                                   topic_id="MonitoringStack"),
    "compliant/sam_nested_application.yaml": chain(filter_id="Monitoring", topic_id="Monitoring"),
    "compliant/sam_function_subscriber.yaml": chain(),
    # A CDK NestedStack: its TemplateURL is built at deploy time, its `aws:asset:path` names the template cdk synth
    # wrote beside the parent; that child, scanned on its own, proves its filter, alarm and topic only.
    "compliant/cdk_nested_stack.template.json": chain(
        trail_id="Trail022F0CF2", filter_id="MonitoringNestedStackMonitoringNestedStackResource6F1B2C3D",
        topic_id="MonitoringNestedStackMonitoringNestedStackResource6F1B2C3D"),
    "compliant/SecurityBaselineStackMonitoring6F1B2C3D.nested.template.json": {
        ("TG_AWS_2", "UnauthorizedApiCallsFilter8E1C4A5B"): P, ("TG_AWS_3", "UnauthorizedApiCallsFilter8E1C4A5B"): P,
        ("TG_AWS_5", "AlarmTopicD01E77F9"): P},
    # The nested templates themselves are judged in the unit of the templates that deploy them, wherever scanned:
    # the trail-only child proves the chain with its parent's monitoring stack (on its own it could not), the
    # monitoring child passes in both of the deployments that use it.
    "compliant/nested/cis_trail.yaml": {("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): P},
    "compliant/nested/cis_monitoring.yaml": {("TG_AWS_2", FILTER): P, ("TG_AWS_3", FILTER): P, ("TG_AWS_5", TOPIC): P},
    # The alarms come from a remote nested stack: not seen, so the chain is not proven, and the failure names it.
    "noncompliant/nested_stack_remote_alarms.yaml": {("TG_AWS_1", TRAIL): P, ("TG_AWS_4", TRAIL): F},
}

MESSAGES = {
    ("noncompliant/separate_accounts_trail.yaml", "TG_AWS_4"): "no metric filter for unauthorized API calls",
    ("noncompliant/parameter_no_default.yaml", "TG_AWS_2"): "parameter UnauthorizedCallsPattern has no Default",
    ("noncompliant/ssm_parameter_pattern.yaml", "TG_AWS_2"): "is read from SSM Parameter Store",
    ("noncompliant/import_value_topic.yaml", "TG_AWS_3"): "Fn::ImportValue security-alarm-topic-arn",
    ("noncompliant/condition_branch_fails.yaml", "TG_AWS_3"): "when condition IsProduction is false: ",
    ("noncompliant/single_region.yaml", "TG_AWS_1"): "set IsMultiRegionTrail: true",
    ("noncompliant/logging_off_string.yaml", "TG_AWS_1"): "logging is turned off",
    ("noncompliant/no_management_events.yaml", "TG_AWS_1"): "does not record management reads and writes",
    ("noncompliant/filter_other_log_group.yaml", "TG_AWS_4"): "no metric filter for unauthorized API calls",
    ("noncompliant/or_bug.yaml", "TG_AWS_2"): '"eventName": "GetObject"',
    ("noncompliant/exact_values.yaml", "TG_AWS_2"): '"errorCode": "Client.UnauthorizedOperation"',
    ("noncompliant/optional_field_exclusion.yaml", "TG_AWS_2"): "this denied call is not counted",
    ("noncompliant/decrypt_invoked_by_trap.yaml", "TG_AWS_2"): "(($.userIdentity.invokedBy NOT EXISTS) || "
                                                               '($.userIdentity.invokedBy != "config.amazonaws.com"))',
    ("noncompliant/namespace_mismatch.yaml", "TG_AWS_3"): "in namespace 'CloudTrailMetrics'",
    ("noncompliant/alarm_on_filter_name.yaml", "TG_AWS_3"): "which is the filter's name",
    ("noncompliant/average_threshold_5.yaml", "TG_AWS_3"): "one call gives Average = 1",
    ("noncompliant/datapoints_3.yaml", "TG_AWS_3"): "needs 3 breaching periods",
    ("noncompliant/actions_disabled.yaml", "TG_AWS_3"): "actions are disabled",
    ("noncompliant/only_ok_actions.yaml", "TG_AWS_3"): "notifies only when it returns to OK",
    ("noncompliant/lambda_action.yaml", "TG_AWS_3"): "Responder (AWS::Lambda::Function)",
    ("noncompliant/allowed_pattern_forbids_sns.yaml", "TG_AWS_3"):
        "parameter IncidentTargetArn has no Default and no AllowedPattern that admits only SNS topic ARNs",
    ("noncompliant/topic_without_subscription.yaml", "TG_AWS_5"): "nobody is subscribed",
    ("noncompliant/landing_zone_unauthorized_alarm_optional.yaml", "TG_AWS_4"):
        "SubscribeChatWebhook is false, UnauthorizedApiCallsEnabled is false: no metric filter for unauthorized API "
        "calls",
    ("noncompliant/nested_stack_remote_alarms.yaml", "TG_AWS_4"):
        "nested stack CisAlarmsStack (AWS::CloudFormation::Stack) deploys the remote template https://",
}
