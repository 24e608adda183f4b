"""What AWS answers -> the model the file loaders build, so the same rules judge a live account.

Pure functions of the API's answers (no boto3). Resource ids are ARNs; a metric filter, which has none, is named by
its log group's ARN and its name (`...:log-group:NAME:metric-filter:FILTER`). Links are by resource id where trailguard
read the target (a trail's log group, a filter's log group, a subscription's topic) and by ARN otherwise (an alarm's
action). A value AWS could not be asked for (`Failure`) is an `Unknown` naming the call, so every check that needs it
fails closed.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from trailguard.account.errors import Failure
from trailguard.arns import is_sns_topic_arn, log_group_name
from trailguard.model import (
    ActionTarget,
    AdvancedEventSelector,
    Alarm,
    BasicEventSelector,
    FieldSelector,
    LogGroup,
    MetricFilter,
    MetricQuery,
    MetricStat,
    MetricTransformation,
    Ref,
    Subscription,
    Topic,
    Trail,
    Unknown,
    V,
    default,
)

TRAIL, LOG_GROUP, METRIC_FILTER = "AWS::CloudTrail::Trail", "AWS::Logs::LogGroup", "AWS::Logs::MetricFilter"
ALARM, TOPIC, SUBSCRIPTION = "AWS::CloudWatch::Alarm", "AWS::SNS::Topic", "AWS::SNS::Subscription"
# What `ListSubscriptionsByTopic` says of a subscription nobody confirmed: it delivers nothing.
PENDING = "PendingConfirmation"


def unknown(failure: Failure) -> Unknown:
    """A value trailguard could not read, naming the call that failed."""
    return Unknown(f"{failure.call} on {failure.arn}", f"could not be read ({failure.code}: {failure.message})",
                   failure.hint())


def log_group_arn(arn: str) -> str:
    """A log group's ARN without the `:*` CloudTrail and DescribeLogGroups append: the log group's resource id."""
    return arn[:-2] if arn.endswith(":*") else arn


def log_group(arn: str) -> LogGroup:
    return LogGroup(log_group_arn(arn), LOG_GROUP, name=log_group_name(arn))


def trail(description: Mapping[str, Any], status: V[Mapping[str, Any]], selectors: V[Mapping[str, Any]]) -> Trail:
    """A trail from `DescribeTrails`, `GetTrailStatus` and `GetEventSelectors` (either of the last two may have
    failed: the fields it decides are then unknown)."""
    log_group_ref = description.get("CloudWatchLogsLogGroupArn")
    return Trail(
        description["TrailARN"], TRAIL,
        multi_region=bool(description.get("IsMultiRegionTrail", default(Trail, "multi_region"))),
        logging=status if isinstance(status, Unknown) else bool(status.get("IsLogging")),
        global_service_events=bool(description.get("IncludeGlobalServiceEvents",
                                                    default(Trail, "global_service_events"))),
        organization=bool(description.get("IsOrganizationTrail", default(Trail, "organization"))),
        basic_selectors=selectors if isinstance(selectors, Unknown) else _basic(selectors.get("EventSelectors", [])),
        advanced_selectors=selectors if isinstance(selectors, Unknown) else _advanced(
            selectors.get("AdvancedEventSelectors", [])),
        log_group=Ref(resource=log_group_arn(log_group_ref)) if log_group_ref else None,
        log_role=description.get("CloudWatchLogsRoleArn") or None,
        log_group_arn=log_group_ref or None,
    )


def _basic(selectors: Sequence[Mapping[str, Any]]) -> Tuple[BasicEventSelector, ...]:
    return tuple(BasicEventSelector(bool(s.get("IncludeManagementEvents", True)), str(s.get("ReadWriteType", "All")),
                                    tuple(str(source) for source in s.get("ExcludeManagementEventSources") or ()))
                 for s in selectors)


def _advanced(selectors: Sequence[Mapping[str, Any]]) -> Tuple[AdvancedEventSelector, ...]:
    return tuple(AdvancedEventSelector(str(s.get("Name", "")), tuple(
        FieldSelector(str(f.get("Field", "")), *(tuple(f.get(key, ())) for key in (
            "Equals", "NotEquals", "StartsWith", "NotStartsWith", "EndsWith", "NotEndsWith")))
        for f in s.get("FieldSelectors", []))) for s in selectors)


def metric_filter(group: LogGroup, answer: Mapping[str, Any]) -> MetricFilter:
    """A filter from `DescribeMetricFilters`, on `group` (the log group it was listed for)."""
    name = str(answer.get("filterName", ""))
    return MetricFilter(f"{group.id}:metric-filter:{name}", METRIC_FILTER, name=name, log_group=Ref(resource=group.id),
                        pattern=str(answer.get("filterPattern", "")),
                        transformations=tuple(_transformation(t) for t in answer.get("metricTransformations", [])))


def _transformation(answer: Mapping[str, Any]) -> MetricTransformation:
    default_value = answer.get("defaultValue")
    return MetricTransformation(
        str(answer.get("metricName", "")), str(answer.get("metricNamespace", "")), str(answer.get("metricValue", "1")),
        float(default_value) if default_value is not None else None,
        tuple((str(key), str(value)) for key, value in (answer.get("dimensions") or {}).items()),
        answer.get("unit") or None)


def _pairs(dimensions: Optional[Sequence[Mapping[str, Any]]]) -> Tuple[Tuple[str, str], ...]:
    return tuple((str(d.get("Name", "")), str(d.get("Value", ""))) for d in dimensions or ())


def _stat(metric: Mapping[str, Any], statistic: Optional[str], unit: Optional[str]) -> MetricStat:
    return MetricStat(metric.get("MetricName"), metric.get("Namespace"), statistic, _pairs(metric.get("Dimensions")),
                      unit or None)


def _queries(metrics: Sequence[Mapping[str, Any]]) -> Tuple[MetricQuery, ...]:
    queries = []
    for query in metrics:
        stat = query.get("MetricStat")
        queries.append(MetricQuery(str(query.get("Id", "")),
                                   _stat(stat.get("Metric", {}), stat.get("Stat"), stat.get("Unit")) if stat else None,
                                   query.get("Expression"), bool(query.get("ReturnData", True))))
    return tuple(queries)


def _actions(arns: Sequence[str]) -> Tuple[ActionTarget, ...]:
    return tuple(ActionTarget(arn, is_sns_topic_arn(arn), Ref(name=arn) if is_sns_topic_arn(arn) else None)
                 for arn in arns)


def alarm(answer: Mapping[str, Any]) -> Alarm:
    """A metric alarm from `DescribeAlarms`: on one metric, or on metric queries (metric math)."""
    metric = None
    if answer.get("MetricName") or answer.get("Namespace"):
        metric = _stat(answer, answer.get("Statistic") or answer.get("ExtendedStatistic"), answer.get("Unit"))
    threshold = answer.get("Threshold")
    return Alarm(
        answer["AlarmArn"], ALARM, name=answer.get("AlarmName"), metric=metric,
        queries=_queries(answer.get("Metrics", [])),
        threshold=float(threshold) if threshold is not None else None,
        comparison=answer.get("ComparisonOperator"),
        evaluation_periods=answer.get("EvaluationPeriods", default(Alarm, "evaluation_periods")),
        datapoints_to_alarm=answer.get("DatapointsToAlarm", default(Alarm, "datapoints_to_alarm")),
        treat_missing_data=answer.get("TreatMissingData"),
        actions_enabled=bool(answer.get("ActionsEnabled", default(Alarm, "actions_enabled"))),
        alarm_actions=_actions(answer.get("AlarmActions", [])),
        ok_actions=_actions(answer.get("OKActions", [])),
        insufficient_data_actions=_actions(answer.get("InsufficientDataActions", [])),
    )


def alarm_actions(alarms: Sequence[Alarm]) -> List[str]:
    """The SNS topic ARNs among the alarms' actions, in order, once each."""
    arns: Dict[str, None] = {}
    for found in alarms:
        for action in found.alarm_actions:
            if action.is_sns is True and action.topic is not None and action.topic.name:
                arns.setdefault(action.topic.name, None)
    return list(arns)


def topic(arn: str) -> Topic:
    return Topic(arn, TOPIC, name=arn.rsplit(":", 1)[-1], arn=arn)


def subscriptions(topic_arn: str, answers: Sequence[Mapping[str, Any]]) -> List[Subscription]:
    """The topic's confirmed subscriptions (one still pending confirmation delivers nothing)."""
    return [Subscription(str(answer["SubscriptionArn"]), SUBSCRIPTION, topic=Ref(resource=topic_arn),
                         protocol=answer.get("Protocol"))
            for answer in answers if str(answer.get("SubscriptionArn", PENDING)).startswith("arn:")]
