"""Terraform resources (from HCL or a plan) -> the framework-neutral model.

Both inputs expose resources as views with `get(name)` (an evaluated attribute, None when unset) and
`nested(name)` (nested blocks as views), so the mapping from Terraform's attribute names to the model is written
once. Values that decide a verdict but are not known become `Unknown`, naming the input.
"""

from __future__ import annotations

from typing import Any, List, Optional, Protocol, Tuple

from trailguard.arns import is_sns_topic_arn, log_group_name
from trailguard.model import (
    TERRAFORM,
    ActionTarget,
    AdvancedEventSelector,
    Alarm,
    BasicEventSelector,
    FieldSelector,
    Location,
    LogGroup,
    MetricFilter,
    MetricQuery,
    MetricStat,
    MetricTransformation,
    Model,
    Ref,
    Subscription,
    Topic,
    Trail,
    Unknown,
    default,
)
from trailguard.terraform.expressions import Reference, Template
from trailguard.terraform.stack import STACK_TYPES, stack_contents

FIX_APPLY = "reference a resource in this configuration, write the value literally, or scan the plan JSON"


class View(Protocol):
    address: str
    type: str
    location: Location
    existence: Optional[Unknown]

    def get(self, name: str) -> Any:
        ...

    def nested(self, name: str) -> List[Any]:
        ...


def _references(value: Any) -> List[Reference]:
    if isinstance(value, Reference):
        return [value]
    if isinstance(value, Template):
        return value.references()
    return []


def _describe(value: Any) -> str:
    return str(value) if isinstance(value, (Reference, Template)) else repr(value)


def _known_after_apply(what: str, value: Any) -> Unknown:
    return Unknown(f"{what} ({_describe(value)})", "is known only after apply", FIX_APPLY)


def _bool(value: Any, default: bool, what: str) -> Any:
    if value is None:
        return default
    if isinstance(value, (bool, Unknown)):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return Unknown(what, f"is {_describe(value)}, not a boolean trailguard can read", FIX_APPLY)


def _string(value: Any, what: str) -> Any:
    if value is None or isinstance(value, (str, Unknown)):
        return value
    if isinstance(value, (Reference, Template)):
        return _known_after_apply(what, value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    return Unknown(what, f"is {_describe(value)}, not a string", FIX_APPLY)


def _number(value: Any, what: str) -> Any:
    if value is None or isinstance(value, Unknown):
        return value
    if isinstance(value, bool):
        return Unknown(what, "is a boolean, not a number", FIX_APPLY)
    try:
        return float(value)
    except (TypeError, ValueError):
        return _known_after_apply(what, value) if _references(value) else Unknown(
            what, f"is {_describe(value)}, not a number", FIX_APPLY)


def _integer(value: Any, what: str) -> Any:
    number = _number(value, what)
    return int(number) if isinstance(number, float) else number


def _strings(value: Any, what: str) -> Any:
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return value
    items = value if isinstance(value, list) else [value]
    strings = [_string(item, what) for item in items]
    unknown = next((item for item in strings if isinstance(item, Unknown)), None)
    return unknown or tuple(str(item) for item in strings)


def _pairs(value: Any, what: str) -> Any:
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        return tuple(sorted((str(k), str(v) if not isinstance(v, Unknown) else "?") for k, v in value.items()))
    return Unknown(what, "is not a map", FIX_APPLY)


def log_group_ref(value: Any, what: str) -> Any:
    """A log group named by a reference (resource), a literal ARN or a literal name."""
    if value is None or isinstance(value, Unknown):
        return value
    for reference in _references(value):
        if reference.resource_type == "aws_cloudwatch_log_group":
            return _data_log_group(reference, what) if _is_data(reference) else Ref(resource=reference.address)
    if isinstance(value, str):
        return Ref(name=log_group_name(value) or value)
    return _known_after_apply(what, value)


def _is_data(reference: Reference) -> bool:
    return reference.address.startswith("data.") or ".data." in reference.address


def _data_log_group(reference: Reference, what: str) -> Any:
    """A log group read through `data "aws_cloudwatch_log_group"` is the one its `name` argument names; when that
    name is not known, references to the same data source still name the same log group."""
    name = reference.data_name
    if isinstance(name, str):
        return Ref(name=name)
    if name is None:
        return Unknown(what, f"reads the log group from AWS ({reference}) without a name trailguard can read",
                       "declare the data source with its name, or reference the log group resource")
    return Ref(resource=reference.address)


def action_target(value: Any) -> ActionTarget:
    """An alarm action: an SNS topic (by reference, ARN or SNS-constrained variable), something else, or unknown."""
    if isinstance(value, Unknown):
        is_sns: Any = True if value.sns_only else value
        return ActionTarget(value.source, is_sns)
    for reference in _references(value):
        if reference.resource_type == "aws_sns_topic":
            if _is_data(reference):
                return ActionTarget(str(value), True, Ref(name=str(reference)))
            return ActionTarget(str(value), True, Ref(resource=reference.address))
        return ActionTarget(str(value), False)
    if isinstance(value, str):
        sns = is_sns_topic_arn(value)
        return ActionTarget(value, sns, Ref(name=value) if sns else None)
    return ActionTarget(_describe(value), Unknown(f"alarm action {_describe(value)}", "is not an ARN", FIX_APPLY))


def _actions(value: Any) -> Tuple[ActionTarget, ...]:
    """Terraform 0.11 flattened a list written inside a list (`["${var.alarm_actions}"]`), so nested lists are
    flattened here too."""
    if value is None:
        return ()
    if isinstance(value, Unknown):
        return (action_target(value),)
    if not isinstance(value, list):
        return (action_target(value),)
    return tuple(target for item in value for target in _actions(item))


def _trail(view: View) -> Trail:
    what = f"{view.address}"

    def flag(attribute: str, field_name: str) -> Any:
        return _bool(view.get(attribute), default(Trail, field_name), f"{what}.{attribute}")

    basic = tuple(BasicEventSelector(
        _bool(selector.get("include_management_events"), default(BasicEventSelector, "include_management_events"),
              f"{what}.event_selector.include_management_events"),
        _string(selector.get("read_write_type"), f"{what}.event_selector.read_write_type")
        or default(BasicEventSelector, "read_write_type"),
        _strings(selector.get("exclude_management_event_sources"),
                 f"{what}.event_selector.exclude_management_event_sources"),
    ) for selector in view.nested("event_selector"))
    advanced = tuple(AdvancedEventSelector(
        str(selector.get("name") or ""),
        tuple(FieldSelector(
            str(condition.get("field") or ""),
            *(_tuple_or_empty(condition.get(key), f"{what}.advanced_event_selector.field_selector.{key}")
              for key in ("equals", "not_equals", "starts_with", "not_starts_with", "ends_with", "not_ends_with")),
        ) for condition in selector.nested("field_selector")),
    ) for selector in view.nested("advanced_event_selector"))
    return Trail(
        view.address, view.type, view.location,
        multi_region=view.existence or flag("is_multi_region_trail", "multi_region"),
        logging=flag("enable_logging", "logging"),
        global_service_events=flag("include_global_service_events", "global_service_events"),
        organization=flag("is_organization_trail", "organization"),
        basic_selectors=basic,
        advanced_selectors=advanced,
        log_group=log_group_ref(view.get("cloud_watch_logs_group_arn"), f"{what}.cloud_watch_logs_group_arn"),
        log_role=_role(view.get("cloud_watch_logs_role_arn")),
        log_group_arn=_text_or_none(view.get("cloud_watch_logs_group_arn")),
    )


def _text_or_none(value: Any) -> Optional[str]:
    """A value that is plain text (a literal ARN), else None."""
    return value if isinstance(value, str) else None


def _tuple_or_empty(value: Any, what: str) -> Tuple[str, ...]:
    strings = _strings(value, what)
    return () if isinstance(strings, Unknown) else strings


def _role(value: Any) -> Any:
    if value is None or isinstance(value, Unknown):
        return value
    return str(value) or None


def _metric_filter(view: View) -> MetricFilter:
    what = view.address
    transformations = tuple(MetricTransformation(
        _string(t.get("name"), f"{what}.metric_transformation.name"),
        _string(t.get("namespace"), f"{what}.metric_transformation.namespace"),
        _string(t.get("value"), f"{what}.metric_transformation.value"),
        _number(t.get("default_value"), f"{what}.metric_transformation.default_value"),
        _pairs(t.get("dimensions"), f"{what}.metric_transformation.dimensions"),
        _string(t.get("unit"), f"{what}.metric_transformation.unit"),
    ) for t in view.nested("metric_transformation"))
    pattern = view.get("pattern")
    if isinstance(pattern, (Reference, Template)):
        pattern = _known_after_apply(f"{what}.pattern", pattern)
    return MetricFilter(
        view.address, view.type, view.location,
        name=_string(view.get("name"), f"{what}.name"),
        log_group=log_group_ref(view.get("log_group_name"), f"{what}.log_group_name"),
        pattern=view.existence or pattern,
        transformations=transformations,
    )


def _metric_stat(view: Any, what: str, statistic_key: str) -> MetricStat:
    statistic = view.get(statistic_key)
    if statistic is None and statistic_key == "statistic":
        statistic = view.get("extended_statistic")
    return MetricStat(
        _string(view.get("metric_name"), f"{what}.metric_name"),
        _string(view.get("namespace"), f"{what}.namespace"),
        _string(statistic, f"{what}.{statistic_key}"),
        _pairs(view.get("dimensions"), f"{what}.dimensions"),
        _string(view.get("unit"), f"{what}.unit"),
    )


def _alarm(view: View) -> Alarm:
    what = view.address
    queries = tuple(MetricQuery(
        str(query.get("id") or ""),
        next((_metric_stat(metric, f"{what}.metric_query.metric", "stat") for metric in query.nested("metric")), None),
        _string(query.get("expression"), f"{what}.metric_query.expression"),
        _bool(query.get("return_data"), False, f"{what}.metric_query.return_data") is True,
    ) for query in view.nested("metric_query"))
    return Alarm(
        view.address, view.type, view.location,
        name=_string(view.get("alarm_name"), f"{what}.alarm_name"),
        metric=None if queries else _metric_stat(view, what, "statistic"),
        queries=queries,
        threshold=_number(view.get("threshold"), f"{what}.threshold"),
        comparison=_string(view.get("comparison_operator"), f"{what}.comparison_operator"),
        evaluation_periods=_integer(view.get("evaluation_periods"), f"{what}.evaluation_periods"),
        datapoints_to_alarm=_integer(view.get("datapoints_to_alarm"), f"{what}.datapoints_to_alarm"),
        treat_missing_data=_string(view.get("treat_missing_data"), f"{what}.treat_missing_data"),
        actions_enabled=view.existence or _bool(view.get("actions_enabled"), default(Alarm, "actions_enabled"),
                                                f"{what}.actions_enabled"),
        alarm_actions=_actions(view.get("alarm_actions")),
        ok_actions=_actions(view.get("ok_actions")),
        insufficient_data_actions=_actions(view.get("insufficient_data_actions")),
    )


def _topic(view: View) -> Topic:
    return Topic(view.address, view.type, view.location, name=_string(view.get("name"), f"{view.address}.name"))


def _subscription(view: View) -> Subscription:
    target = action_target(view.get("topic_arn")) if view.get("topic_arn") is not None else None
    return Subscription(view.address, view.type, view.location,
                        topic=view.existence or (target.topic if target is not None else None),
                        protocol=_string(view.get("protocol"), f"{view.address}.protocol"))


BUILDERS = {
    "aws_cloudtrail": _trail,
    "aws_cloudwatch_log_group": lambda view: LogGroup(view.address, view.type, view.location,
                                                      name=_string(view.get("name"), f"{view.address}.name")),
    "aws_cloudwatch_log_metric_filter": _metric_filter,
    "aws_cloudwatch_metric_alarm": _alarm,
    "aws_sns_topic": _topic,
    "aws_sns_topic_subscription": _subscription,
}


def stack_input(value: Any, what: str) -> Any:
    """What a value passed to a CloudFormation stack's parameter links to: the log group or the alarm action it
    names (a reference to this configuration), or None when it is neither or unknown."""
    if isinstance(value, Unknown):
        return None
    for reference in _references(value):
        if reference.resource_type == "aws_cloudwatch_log_group":
            return log_group_ref(value, what)
        if reference.resource_type == "aws_sns_topic":
            return action_target(value)
    return None


def build_model(views: List[View], unit: str, blind_spots: List[str]) -> Model:
    """The model of one deployment unit from its resource views; a CloudFormation stack's template joins it."""
    model = Model(TERRAFORM, unit=unit, blind_spots=list(blind_spots))
    for view in views:
        builder = BUILDERS.get(view.type)
        if builder is not None:
            model.add(builder(view))
        elif view.type in STACK_TYPES:
            resources, spots = stack_contents(view, stack_input)
            model.blind_spots.extend(spots)
            for resource in resources:
                model.add(resource)
    return model
