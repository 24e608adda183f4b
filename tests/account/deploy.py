"""Create in moto the infrastructure a file's model describes, so `trailguard account` can read what `trailguard scan`
read from the file (the "same verdicts" tests), and small builders for the account tests' own cases.

Only fully resolved models are deployable: CloudFormation's pseudo parameters are given this account's values; any
other unresolved value is refused, so a test cannot compare verdicts on something that was never deployed.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

import boto3

from trailguard.model import ActionTarget, Alarm, MetricStat, Model, Ref, Resource, Trail, is_unknown

ACCOUNT = "123456789012"  # moto's default account
REGION = "eu-west-1"
BUCKET = "trailguard-trail-logs"
_PSEUDO = {"AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
           "AWS::StackName": "trailguard-example"}
_NAME = re.compile(r"[^.\-_0-9a-zA-Z]")


class NotDeployable(Exception):
    """The model holds a value only a deployment would decide."""


def concrete(value: Any) -> Any:
    """A value with CloudFormation's pseudo parameters filled in; an unknown or any other placeholder is refused."""
    if is_unknown(value):
        raise NotDeployable(value.describe())
    if isinstance(value, str):
        text = re.sub(r"\$\{(AWS::[A-Za-z]+)\}", lambda match: _PSEUDO[match.group(1)], str(value))
        if "${" in text:
            raise NotDeployable(text)
        return text
    return value


def session(account_credentials: Optional[Dict[str, str]] = None) -> Any:
    """A boto3 session in the test region (moto's default account, or the given assumed-role credentials)."""
    keys = account_credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.Session(region_name=REGION, **keys)


class Deployment:
    """Creates a model's trails, log groups, filters, alarms, topics and subscriptions in one moto account."""

    def __init__(self, model: Model, aws: Any) -> None:
        self.model = model
        self.aws = aws
        self.account = aws.client("sts").get_caller_identity()["Account"]
        self.groups: Dict[str, str] = {}  # log group resource id -> name
        self.topics: Dict[str, str] = {}  # topic resource id -> ARN

    def deploy(self) -> None:
        self.aws.client("s3").create_bucket(Bucket=BUCKET,
                                            CreateBucketConfiguration={"LocationConstraint": REGION})
        for group in self.model.log_groups.values():
            self.groups[group.id] = self._group(deployed_name(group))
        for topic in self.model.topics.values():
            self.topics[topic.id] = self.aws.client("sns").create_topic(Name=deployed_name(topic))["TopicArn"]
        for subscription in self.model.subscriptions.values():
            self._subscribe(subscription.topic, concrete(subscription.protocol) or "email")
        for trail in self.model.trails.values():
            self._trail(trail)
        for metric_filter in self.model.filters.values():
            transformations = [{key: value for key, value in {
                "metricName": concrete(t.metric_name), "metricNamespace": concrete(t.namespace),
                "metricValue": concrete(t.value), "defaultValue": concrete(t.default_value),
                "dimensions": dict(concrete(t.dimensions)) or None, "unit": concrete(t.unit)}.items()
                if value is not None} for t in concrete(metric_filter.transformations)]
            self.aws.client("logs").put_metric_filter(
                logGroupName=self._group_of(concrete(metric_filter.log_group)),
                filterName=deployed_name(metric_filter),
                filterPattern=concrete(metric_filter.pattern), metricTransformations=transformations)
        for alarm in self.model.alarms.values():
            self._alarm(alarm)

    def _group(self, name: str) -> str:
        self.aws.client("logs").create_log_group(logGroupName=name)
        return name

    def _group_of(self, ref: Ref) -> str:
        if ref.resource is not None:
            return self.groups[ref.resource]
        name = concrete(ref.name)
        if name not in self.groups.values():
            self.groups[name] = self._group(name)
        return name

    def _subscribe(self, ref: Optional[Ref], protocol: str) -> None:
        ref = concrete(ref)
        topic_arn = self.topics[ref.resource] if ref is not None and ref.resource in self.topics else None
        if topic_arn is None:
            return  # a subscription to a topic managed elsewhere
        endpoint = {"email": "security-team@example.com", "lambda": f"arn:aws:lambda:{REGION}:{self.account}:function:"
                    "alarm-handler", "sqs": f"arn:aws:sqs:{REGION}:{self.account}:alarms"}.get(protocol,
                                                                                           "https://example.com/alarm")
        self.aws.client("sns").subscribe(TopicArn=topic_arn, Protocol=protocol, Endpoint=endpoint)

    def _trail(self, trail: Trail) -> None:
        name = deployed_name(trail)
        log_group = concrete(trail.log_group)
        arguments: Dict[str, Any] = {
            "Name": name, "S3BucketName": BUCKET, "IsMultiRegionTrail": concrete(trail.multi_region),
            "IncludeGlobalServiceEvents": concrete(trail.global_service_events),
            "IsOrganizationTrail": concrete(trail.organization)}
        if log_group is not None:
            arguments["CloudWatchLogsLogGroupArn"] = (f"arn:aws:logs:{REGION}:{self.account}:log-group:"
                                                      f"{self._group_of(log_group)}:*")
        if log_group is not None and concrete(trail.log_role):
            arguments["CloudWatchLogsRoleArn"] = f"arn:aws:iam::{self.account}:role/cloudtrail-to-logs"
        cloudtrail = self.aws.client("cloudtrail")
        cloudtrail.create_trail(**arguments)
        if concrete(trail.logging):
            cloudtrail.start_logging(Name=name)
        basic, advanced = concrete(trail.basic_selectors), concrete(trail.advanced_selectors)
        if advanced:
            cloudtrail.put_event_selectors(TrailName=name, AdvancedEventSelectors=[
                {"Name": selector.name or "selector", "FieldSelectors": [
                    {"Field": f.field, **{key: list(values) for key, values in (
                        ("Equals", f.equals), ("NotEquals", f.not_equals),
                        ("StartsWith", f.starts_with), ("NotStartsWith", f.not_starts_with),
                        ("EndsWith", f.ends_with), ("NotEndsWith", f.not_ends_with)) if values}}
                    for f in concrete(selector.field_selectors)]} for selector in advanced])
        elif basic:
            cloudtrail.put_event_selectors(TrailName=name, EventSelectors=[
                {"IncludeManagementEvents": concrete(s.include_management_events),
                 "ReadWriteType": concrete(s.read_write_type)} for s in basic])

    def _actions(self, actions: Any) -> List[str]:
        return [self._action(action) for action in actions]

    def _action(self, action: ActionTarget) -> str:
        if action.topic is not None and action.topic.resource in self.topics:
            return self.topics[action.topic.resource]
        if action.topic is not None:
            return concrete(action.topic.name)
        if concrete(action.is_sns):
            raise NotDeployable(f"an SNS action without a topic: {action.text}")
        text = concrete(action.text)
        return text if text.startswith("arn:") else f"arn:aws:lambda:{REGION}:{self.account}:function:{_name(text)}"

    def _alarm(self, alarm: Alarm) -> None:
        arguments: Dict[str, Any] = {
            "AlarmName": deployed_name(alarm),
            "EvaluationPeriods": concrete(alarm.evaluation_periods),
            "Threshold": concrete(alarm.threshold), "ComparisonOperator": concrete(alarm.comparison),
            "DatapointsToAlarm": concrete(alarm.datapoints_to_alarm),
            "TreatMissingData": concrete(alarm.treat_missing_data), "ActionsEnabled": concrete(alarm.actions_enabled),
            "AlarmActions": self._actions(alarm.alarm_actions), "OKActions": self._actions(alarm.ok_actions),
            "InsufficientDataActions": self._actions(alarm.insufficient_data_actions)}
        if alarm.metric is not None:
            arguments.update(_metric(alarm.metric))
            arguments["Period"] = 300
        if alarm.queries:
            arguments["Metrics"] = [{key: value for key, value in {
                "Id": query.id, "Expression": query.expression, "ReturnData": query.returns,
                "MetricStat": _query_stat(query.stat) if query.stat else None}.items() if value is not None}
                for query in alarm.queries]
        self.aws.client("cloudwatch").put_metric_alarm(**{k: v for k, v in arguments.items() if v is not None})


def _metric(stat: MetricStat) -> Dict[str, Any]:
    statistic = concrete(stat.statistic)
    extended = statistic is not None and statistic.startswith("p")
    return {"MetricName": concrete(stat.metric_name), "Namespace": concrete(stat.namespace),
            "ExtendedStatistic" if extended else "Statistic": statistic,
            "Dimensions": [{"Name": n, "Value": v} for n, v in concrete(stat.dimensions)],
            "Unit": concrete(stat.unit)}


def _query_stat(stat: MetricStat) -> Dict[str, Any]:
    metric = {"MetricName": concrete(stat.metric_name), "Namespace": concrete(stat.namespace),
              "Dimensions": [{"Name": n, "Value": v} for n, v in concrete(stat.dimensions)]}
    return {key: value for key, value in {"Metric": metric, "Period": 300, "Stat": concrete(stat.statistic),
                                          "Unit": concrete(stat.unit)}.items() if value is not None}


def deployed_name(resource: Resource) -> str:
    """The name a resource is created under: its own, else (a trail always) one made of its logical id."""
    own = None if isinstance(resource, Trail) else concrete(getattr(resource, "name", None))
    return own or _name(resource.id)


def _name(text: str) -> str:
    """A name AWS accepts, made of a logical id or some other text."""
    return _NAME.sub("-", text)
