"""Template -> trailguard models: one `Model` per deployable branch of the template's conditions.

Each resource type trailguard follows becomes its model object; values go through the `Resolver`, links become
`Ref`s (to a logical id, or to a literal name/ARN for things managed elsewhere), and anything that decides a verdict
but is only known at deploy time becomes `Unknown`, naming the input. Other resource types are ignored.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Tuple

from trailguard.arns import is_sns_topic_arn, log_group_name
from trailguard.cloudformation.conditions import ConditionError, branches, default_truths
from trailguard.cloudformation.intrinsics import SKIP_HINT, Resolver, clean, function_call, location_of, section
from trailguard.cloudformation.nested import Loader, flatten
from trailguard.cloudformation.scope import chain_scopes, conditions_of
from trailguard.cloudformation.values import NO_VALUE, ResourceRef, Text, placeholder_target, symbols_in, text_of
from trailguard.constraints import allowed_pattern_requires_sns
from trailguard.model import (
    CLOUDFORMATION,
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
    Resource,
    Subscription,
    Topic,
    Trail,
    Unknown,
    V,
    default,
    is_unknown,
)

TRAIL = "AWS::CloudTrail::Trail"
LOG_GROUP = "AWS::Logs::LogGroup"
METRIC_FILTER = "AWS::Logs::MetricFilter"
ALARM = "AWS::CloudWatch::Alarm"
TOPIC = "AWS::SNS::Topic"
SUBSCRIPTION = "AWS::SNS::Subscription"
SERVERLESS_FUNCTION = "AWS::Serverless::Function"

_MISSING = object()


class TemplateError(Exception):
    """The template cannot be modelled; the message says why (without the file's name: the caller names it).

    `affected` lists the logical ids whose verdicts it stops (None: all of them); each of those fails, once."""

    def __init__(self, message: str, affected: Optional[FrozenSet[str]] = None) -> None:
        super().__init__(message)
        self.affected = affected


# What each builder reads from a resource's Properties. Conditions used in its other properties (tags, a KMS key,
# the bucket name) decide nothing trailguard judges, so only these properties' conditions multiply the branches;
# `_Properties` refuses to read any other, so this table cannot fall behind the builders.
READS: Dict[str, FrozenSet[str]] = {
    TRAIL: frozenset({"IsMultiRegionTrail", "IsLogging", "IncludeGlobalServiceEvents", "IsOrganizationTrail",
                      "EventSelectors", "AdvancedEventSelectors", "CloudWatchLogsLogGroupArn",
                      "CloudWatchLogsRoleArn"}),
    LOG_GROUP: frozenset({"LogGroupName"}),
    METRIC_FILTER: frozenset({"FilterPattern", "FilterName", "LogGroupName", "MetricTransformations"}),
    ALARM: frozenset({"AlarmName", "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Unit",
                      "Metrics", "Threshold", "ComparisonOperator", "EvaluationPeriods", "DatapointsToAlarm",
                      "TreatMissingData", "ActionsEnabled", "AlarmActions", "OKActions", "InsufficientDataActions"}),
    TOPIC: frozenset({"TopicName", "Subscription"}),
    SUBSCRIPTION: frozenset({"TopicArn", "Protocol"}),
    SERVERLESS_FUNCTION: frozenset({"Events"}),
}


class _Properties:
    """One resource's properties in one branch, resolved on demand so raw values stay inspectable."""

    def __init__(self, logical_id: str, body: Mapping[str, Any], resolver: Resolver, types: Mapping[str, str]) -> None:
        self.logical_id = logical_id
        self.resolver = resolver
        self.types = types
        self.reads = READS[str(body.get("Type"))]
        selected = clean(resolver.select(body.get("Properties")))
        self._raw: Dict[str, Any] = selected if isinstance(selected, dict) and not function_call(selected) else {}

    def raw(self, name: str, default: Any = _MISSING) -> Any:
        """The property as written in this branch (its top-level `Fn::If`s decided by the caller)."""
        if name not in self.reads:
            raise KeyError(f"{name} is read but not declared in READS")
        return self._raw.get(name, default)

    def get(self, name: str) -> Any:
        """The resolved property, or `_MISSING` when it is absent (or `AWS::NoValue` in this branch)."""
        value = self.raw(name)
        if value is _MISSING:
            return _MISSING
        value = self.resolver.resolve(value)
        return _MISSING if value is NO_VALUE else value

    def where(self, name: str) -> str:
        return f"{name} of {self.logical_id}"


# --- scalar conversions: fail closed with the property's name ----------------------------------------------------

def _deploy_time(what: str, value: str) -> Unknown:
    return Unknown(what, f"depends on {', '.join(sorted(symbols_in(value)))}, known only at deploy time",
                   f"write it without pseudo parameters or resource references, {SKIP_HINT}")


def _boolean(value: Any, default: bool, what: str) -> V[bool]:
    if value is _MISSING:
        return default
    if is_unknown(value) or isinstance(value, bool):
        return value
    if isinstance(value, str) and symbols_in(value):
        return _deploy_time(what, value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return Unknown(f"{what} ({value!r})", "is not a boolean", "write true or false")


def _number(value: Any, what: str) -> V[Optional[float]]:
    if value is _MISSING:
        return None
    if is_unknown(value):
        return value
    if isinstance(value, str) and symbols_in(value):
        return _deploy_time(what, value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return Unknown(f"{what} ({value!r})", "is not a number", "write a number")


def _integer(value: Any, default: Optional[int], what: str) -> V[Optional[int]]:
    number = _number(value, what)
    if number is None:
        return default
    return number if is_unknown(number) else int(number)


def _string(value: Any, what: str, default: Optional[str] = None) -> V[Optional[str]]:
    """A name or other string; symbolic text is kept (equal expressions compare equal within one stack)."""
    if value is _MISSING:
        return default
    text = text_of(value)
    return Unknown(what, text.why, text.fix) if is_unknown(text) and text.source.startswith("the value") else text


def _exact_string(value: Any, what: str) -> V[Optional[str]]:
    """A string judged by its exact text (a filter pattern): symbolic parts make it unknown."""
    text = _string(value, what)
    if isinstance(text, str) and symbols_in(text):
        return _deploy_time(what, text)
    return text


def _items(value: Any, what: str) -> V[List[Any]]:
    if value is _MISSING:
        return []
    if is_unknown(value):
        return value
    if not isinstance(value, list):
        return Unknown(what, "is not a list", "write a list")
    return value


def _maps(value: Any, what: str) -> V[List[Dict[str, Any]]]:
    """A list property whose entries must all be maps (event selectors, metric transformations): the first unknown
    or non-map entry makes the whole property unknown, so the checks that read it fail closed."""
    items = _items(value, what)
    if is_unknown(items):
        return items
    for item in items:
        if is_unknown(item):
            return item
        if not isinstance(item, dict):
            return Unknown(what, "has an entry that is not a map", "fix the entry")
    return items


def _dimensions(value: Any, what: str) -> V[Tuple[Tuple[str, str], ...]]:
    """Alarm dimensions (`Name`/`Value`) or metric-filter dimensions (a map of name to field)."""
    if value is _MISSING:
        return ()
    if isinstance(value, dict):
        return tuple((str(key), str(item)) for key, item in value.items())
    items = _items(value, what)
    if is_unknown(items):
        return items
    pairs = []
    for item in items:
        if is_unknown(item):
            return item
        item = item if isinstance(item, dict) else {}
        pairs.append((str(item.get("Name", item.get("Key", ""))), str(item.get("Value", ""))))
    return tuple(pairs)


# --- links ---------------------------------------------------------------------------------------------------

def _resource_link(value: Any, what: str) -> V[Optional[Ref]]:
    """A link to a resource by Ref/GetAtt (or a `${X}` text), else to the literal name."""
    if value is _MISSING:
        return None
    if is_unknown(value):
        return value
    if isinstance(value, ResourceRef):
        return Ref(resource=value.logical_id)
    text = _string(value, what)
    if is_unknown(text):
        return text
    target = placeholder_target(text)
    return Ref(resource=target.split(".", 1)[0]) if target else Ref(name=text)


def _log_group_arn(value: Any, what: str) -> V[Optional[Ref]]:
    """`CloudWatchLogsLogGroupArn`: GetAtt X.Arn, or an ARN `arn:...:log-group:NAME:*` (NAME may be `${X}`)."""
    if value is _MISSING or value is None or isinstance(value, ResourceRef) or is_unknown(value):
        return _resource_link(value, what)
    text = _string(value, what)
    if is_unknown(text):
        return text
    target = placeholder_target(text)
    if target:
        return Ref(resource=target.split(".", 1)[0])
    name = log_group_name(text)
    if name is None:
        return Unknown(f"{what} ({text!r})", "is not a CloudWatch Logs log group ARN",
                       "use !GetAtt <LogGroup>.Arn or arn:<partition>:logs:<region>:<account>:log-group:<name>:*")
    symbols = [symbol for symbol in symbols_in(text) if "${" + symbol + "}" in name]
    inner = placeholder_target(Text(name, symbols)) if symbols else None
    return Ref(resource=inner.split(".", 1)[0]) if inner else Ref(name=Text(name, symbols) if symbols else name)


def _action(props: _Properties, raw: Any, what: str) -> ActionTarget:
    """One alarm action: an SNS topic, something else, or unknown (fail closed, naming the input)."""
    raw = props.resolver.select(raw)
    call = function_call(raw)
    if call and call[0] == "Ref" and isinstance(call[1], str):
        declared = props.resolver.parameter(call[1])
        if declared is not None:
            pattern = str(declared.get("AllowedPattern", ""))
            if allowed_pattern_requires_sns(pattern):
                return ActionTarget(f"parameter {call[1]}", True)
            if "Default" not in declared:
                return ActionTarget(f"parameter {call[1]}", Unknown(
                    f"parameter {call[1]}", "has no Default and no AllowedPattern that admits only SNS topic ARNs",
                    f"give it a Default, or an AllowedPattern such as '^arn:aws[a-z-]*:sns:.*', {SKIP_HINT}"))
    return _classify_action(props, props.resolver.resolve(raw), what)


def _classify_action(props: _Properties, value: Any, what: str) -> ActionTarget:
    if is_unknown(value):
        return ActionTarget(value.source, value)
    if isinstance(value, ResourceRef):
        kind = props.types.get(value.logical_id, "")
        is_topic = kind == TOPIC and value.attribute in (None, "TopicArn")
        return ActionTarget(f"{value.logical_id} ({kind})", is_topic, Ref(resource=value.logical_id) if is_topic
                            else None)
    text = text_of(value)
    if is_unknown(text):
        return ActionTarget(what, text)
    target = placeholder_target(text)
    if target:
        return _classify_action(props, ResourceRef(*target.split(".", 1)) if "." in target else
                                ResourceRef(target), what)
    if is_sns_topic_arn(text):
        return ActionTarget(text, True, Ref(name=text))
    return ActionTarget(text, False)


def _actions(props: _Properties, name: str) -> V[Tuple[ActionTarget, ...]]:
    raw = props.resolver.select(props.raw(name, []))
    what = props.where(name)
    if is_unknown(raw):
        return (ActionTarget(what, raw),)
    if isinstance(raw, list):
        targets = []
        for item in raw:
            if props.resolver.resolve(item) is NO_VALUE:
                continue
            targets.append(_action(props, item, what))
        return tuple(targets)
    resolved = props.resolver.resolve(raw)
    if is_unknown(resolved):
        return (ActionTarget(what, resolved),)
    return tuple(_classify_action(props, item, what) for item in (resolved if isinstance(resolved, list) else []))


# --- resources -----------------------------------------------------------------------------------------------

def _trail(logical_id: str, location: Location, props: _Properties) -> Trail:
    def flag(prop: str, field_name: str) -> V[bool]:
        return _boolean(props.get(prop), default(Trail, field_name), props.where(prop))

    return Trail(
        logical_id, TRAIL, location,
        multi_region=flag("IsMultiRegionTrail", "multi_region"),
        logging=flag("IsLogging", "logging"),
        global_service_events=flag("IncludeGlobalServiceEvents", "global_service_events"),
        organization=flag("IsOrganizationTrail", "organization"),
        basic_selectors=_basic_selectors(props),
        advanced_selectors=_advanced_selectors(props),
        log_group=_log_group_arn(props.get("CloudWatchLogsLogGroupArn"), props.where("CloudWatchLogsLogGroupArn")),
        log_role=_role(props.get("CloudWatchLogsRoleArn"), props.where("CloudWatchLogsRoleArn")),
        log_group_arn=_arn_text(props.get("CloudWatchLogsLogGroupArn")),
    )


def _arn_text(value: Any) -> Optional[str]:
    """An ARN written as text (placeholders such as `${AWS::AccountId}` kept), else None."""
    return str(value) if isinstance(value, str) else None


def _role(value: Any, what: str) -> V[Optional[str]]:
    if isinstance(value, ResourceRef):
        return value.placeholder()[2:-1]
    return _string(value, what)


def _basic_selectors(props: _Properties) -> V[Tuple[BasicEventSelector, ...]]:
    what = props.where("EventSelectors")
    items = _maps(props.get("EventSelectors"), what)
    if is_unknown(items):
        return items
    return tuple(BasicEventSelector(
        _boolean(item.get("IncludeManagementEvents", _MISSING),
                 default(BasicEventSelector, "include_management_events"), f"IncludeManagementEvents in {what}"),
        _string(item.get("ReadWriteType", _MISSING), f"ReadWriteType in {what}",
                default(BasicEventSelector, "read_write_type")),
        _source_names(item.get("ExcludeManagementEventSources", _MISSING),
                      f"ExcludeManagementEventSources in {what}")) for item in items)


def _source_names(value: Any, what: str) -> V[Tuple[str, ...]]:
    """A list of plain names (event sources): an entry trailguard cannot read makes the whole list unknown."""
    items = _items(value, what)
    if is_unknown(items):
        return items
    names = [_string(item, what) for item in items]
    unknown = next((name for name in names if is_unknown(name)), None)
    return unknown if unknown is not None else tuple(str(name) for name in names)


def _advanced_selectors(props: _Properties) -> V[Tuple[AdvancedEventSelector, ...]]:
    what = props.where("AdvancedEventSelectors")
    items = _maps(props.get("AdvancedEventSelectors"), what)
    if is_unknown(items):
        return items
    selectors = []
    for item in items:
        fields = _items(item.get("FieldSelectors", _MISSING), f"FieldSelectors in {what}")
        selectors.append(AdvancedEventSelector(str(item.get("Name", "")), fields if is_unknown(fields) else
                                               tuple(_field_selector(f) for f in fields if isinstance(f, dict))))
    return tuple(selectors)


def _field_selector(item: Dict[str, Any]) -> FieldSelector:
    def values(key: str) -> Tuple[str, ...]:
        found = item.get(key, [])
        return tuple(str(value) for value in found) if isinstance(found, list) else (str(found),)

    return FieldSelector(str(item.get("Field", "")), values("Equals"), values("NotEquals"), values("StartsWith"),
                         values("NotStartsWith"), values("EndsWith"), values("NotEndsWith"))


def _log_group(logical_id: str, location: Location, props: _Properties) -> LogGroup:
    return LogGroup(logical_id, LOG_GROUP, location, name=_string(props.get("LogGroupName"),
                                                                  props.where("LogGroupName")))


def _metric_filter(logical_id: str, location: Location, props: _Properties) -> MetricFilter:
    pattern = _exact_string(props.get("FilterPattern"), props.where("FilterPattern"))
    return MetricFilter(
        logical_id, METRIC_FILTER, location,
        name=_string(props.get("FilterName"), props.where("FilterName")),
        log_group=_resource_link(props.get("LogGroupName"), props.where("LogGroupName")),
        pattern=pattern,
        transformations=_transformations(props),
    )


def _transformations(props: _Properties) -> V[Tuple[MetricTransformation, ...]]:
    what = props.where("MetricTransformations")
    items = _maps(props.get("MetricTransformations"), what)
    if is_unknown(items):
        return items
    transformations = []
    for item in items:
        get = item.get
        transformations.append(MetricTransformation(
            _string(get("MetricName", _MISSING), f"MetricName in {what}"),
            _string(get("MetricNamespace", _MISSING), f"MetricNamespace in {what}"),
            _string(get("MetricValue", _MISSING), f"MetricValue in {what}", "1"),
            _number(get("DefaultValue", _MISSING), f"DefaultValue in {what}"),
            _dimensions(get("Dimensions", _MISSING), f"Dimensions in {what}"),
            _string(get("Unit", _MISSING), f"Unit in {what}"),
        ))
    return tuple(transformations)


def _alarm(logical_id: str, location: Location, props: _Properties) -> Alarm:
    statistic = props.get("Statistic")
    if statistic is _MISSING:
        statistic = props.get("ExtendedStatistic")
    metric = None
    if props.get("MetricName") is not _MISSING or props.get("Namespace") is not _MISSING:
        metric = MetricStat(
            _string(props.get("MetricName"), props.where("MetricName")),
            _string(props.get("Namespace"), props.where("Namespace")),
            _string(statistic, props.where("Statistic")),
            _dimensions(props.get("Dimensions"), props.where("Dimensions")),
            _string(props.get("Unit"), props.where("Unit")),
        )
    return Alarm(
        logical_id, ALARM, location,
        name=_string(props.get("AlarmName"), props.where("AlarmName")),
        metric=metric,
        queries=_queries(props),
        threshold=_number(props.get("Threshold"), props.where("Threshold")),
        comparison=_string(props.get("ComparisonOperator"), props.where("ComparisonOperator")),
        evaluation_periods=_integer(props.get("EvaluationPeriods"), default(Alarm, "evaluation_periods"),
                                    props.where("EvaluationPeriods")),
        datapoints_to_alarm=_integer(props.get("DatapointsToAlarm"), default(Alarm, "datapoints_to_alarm"),
                                     props.where("DatapointsToAlarm")),
        treat_missing_data=_string(props.get("TreatMissingData"), props.where("TreatMissingData")),
        actions_enabled=_boolean(props.get("ActionsEnabled"), default(Alarm, "actions_enabled"),
                                 props.where("ActionsEnabled")),
        alarm_actions=_actions(props, "AlarmActions"),
        ok_actions=_actions(props, "OKActions"),
        insufficient_data_actions=_actions(props, "InsufficientDataActions"),
    )


def _queries(props: _Properties) -> Tuple[MetricQuery, ...]:
    """Metric-math entries; an unreadable entry becomes a query on an unknown metric, so the alarm fails closed."""
    what = props.where("Metrics")
    items = _items(props.get("Metrics"), what)
    if is_unknown(items):
        return (MetricQuery("?", MetricStat(items, items), returns=True),)
    queries = []
    for item in items:
        item = item if isinstance(item, dict) else {}
        stat = item.get("MetricStat")
        metric_stat = None
        if isinstance(stat, dict):
            metric = stat.get("Metric") if isinstance(stat.get("Metric"), dict) else {}
            metric_stat = MetricStat(
                _string(metric.get("MetricName", _MISSING), f"MetricName in {what}"),
                _string(metric.get("Namespace", _MISSING), f"Namespace in {what}"),
                _string(stat.get("Stat", _MISSING), f"Stat in {what}"),
                _dimensions(metric.get("Dimensions", _MISSING), f"Dimensions in {what}"),
                _string(stat.get("Unit", _MISSING), f"Unit in {what}"),
            )
        expression = item.get("Expression")
        returns = _boolean(item.get("ReturnData", _MISSING), True, f"ReturnData in {what}")
        queries.append(MetricQuery(str(item.get("Id", "")), metric_stat,
                                   str(expression) if expression is not None else None, returns is True))
    return tuple(queries)


def _topic(logical_id: str, location: Location, props: _Properties) -> Topic:
    name = _string(props.get("TopicName"), props.where("TopicName"))
    arn = (Text("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:" + name,
                {"AWS::Partition", "AWS::Region", "AWS::AccountId"} | symbols_in(name))
           if isinstance(name, str) else None)
    return Topic(logical_id, TOPIC, location, name=name, arn=arn)


def _inline_subscriptions(logical_id: str, location: Location, props: _Properties) -> List[Subscription]:
    items = _items(props.get("Subscription"), props.where("Subscription"))
    if is_unknown(items):
        return []
    return [Subscription(f"{logical_id}.Subscription[{index}]", SUBSCRIPTION, location, Ref(resource=logical_id),
                         _string(item.get("Protocol", _MISSING), props.where("Subscription"))
                         if isinstance(item, dict) else None)
            for index, item in enumerate(items)]


def _sam_subscriptions(logical_id: str, location: Location, props: _Properties) -> List[Subscription]:
    """A SAM function's `Events: {Name: {Type: SNS, Properties: {Topic: ...}}}`: SAM deploys it as a Lambda
    subscription to that topic, so it counts as one (cfn-lint and Checkov both hand over the untransformed SAM)."""
    events = props.get("Events")
    if not isinstance(events, dict):
        return []
    subscriptions = []
    for name, event in events.items():
        event = event if isinstance(event, dict) else {}
        event_props = event.get("Properties") if isinstance(event.get("Properties"), dict) else {}
        if event.get("Type") == "SNS" and "Topic" in event_props:
            subscriptions.append(Subscription(
                f"{logical_id}.Events.{name}", SUBSCRIPTION, location,
                _resource_link(event_props["Topic"], f"Topic of event {name} in {props.where('Events')}"), "lambda"))
    return subscriptions


def _subscription(logical_id: str, location: Location, props: _Properties) -> Subscription:
    return Subscription(logical_id, SUBSCRIPTION, location,
                        topic=_resource_link(props.get("TopicArn"), props.where("TopicArn")),
                        protocol=_string(props.get("Protocol"), props.where("Protocol")))


_BUILDERS: Dict[str, Callable[[str, Location, _Properties], Resource]] = {
    TRAIL: _trail, LOG_GROUP: _log_group, METRIC_FILTER: _metric_filter, ALARM: _alarm, TOPIC: _topic,
    SUBSCRIPTION: _subscription,
}
# Resources that also subscribe to topics: a topic's inline `Subscription` list, a SAM function's SNS events.
_SUBSCRIBERS: Dict[str, Callable[[str, Location, _Properties], List[Subscription]]] = {
    TOPIC: _inline_subscriptions, SERVERLESS_FUNCTION: _sam_subscriptions,
}
MODELLED_TYPES = frozenset(_BUILDERS) | frozenset(_SUBSCRIBERS)


# --- the template ----------------------------------------------------------------------------------------------

def modelled_resources(template: Mapping[str, Any]) -> Dict[str, Mapping[str, Any]]:
    """The resources of the types trailguard models, by logical id."""
    found = {}
    for logical_id, body in section(template, "Resources").items():
        if isinstance(body, Mapping) and body.get("Type") in MODELLED_TYPES:
            found[str(logical_id)] = body  # not cleaned: its parser keys carry the lines
    return found


def build_models(template: Mapping[str, Any], file: str = "", load: Optional[Loader] = None) -> List[Model]:
    """One model per deployable branch (a single one, with branch "", when no condition matters).

    `load` reads a local nested stack's template (each scanner's own parser); without it nested stacks are blind
    spots. The template's values are walked recursively; one nested deeper than Python's stack allows is hostile
    input, reported as what it is rather than as an internal error."""
    try:
        return _build_models(template, file, load)
    except RecursionError:
        raise TemplateError("its values nest too deeply to be read (intrinsic functions, lists or maps inside one "
                            "another hundreds of levels deep)") from None


def _build_models(template: Mapping[str, Any], file: str, load: Optional[Loader]) -> List[Model]:
    if not isinstance(template, Mapping):
        raise TemplateError("it is not a CloudFormation template (not a mapping)")
    flat = flatten(template, file, load)
    template = flat.template
    resources = modelled_resources(template)
    types = {str(key): str(clean(body).get("Type", "")) for key, body in section(template, "Resources").items()
             if isinstance(clean(body), dict)}
    scopes = chain_scopes(resources, lambda logical_id, body: _variants(template, logical_id, body, types))
    everything = set().union(*(conditions_of(body, READS) for body in resources.values()))
    deployable: Dict[Tuple[Tuple[str, bool], ...], str] = {}
    for scope in scopes:
        relevant = set().union(*(conditions_of(resources[logical_id], READS) for logical_id in scope))
        try:
            found = branches(template, relevant)
        except ConditionError as error:
            raise TemplateError(str(error), frozenset(scope)) from None
        others = default_truths(template, everything - relevant)
        for branch in found:
            deployable.setdefault(tuple(sorted({**others, **branch.conditions}.items())), branch.name)
    models = []
    for assignment, name in deployable.items():
        model = Model(CLOUDFORMATION, unit=file, branch=name, blind_spots=list(flat.blind_spots))
        _add_branch(model, template, flat.locations, resources, types, dict(assignment))
        models.append(model)
    return models


def _add_branch(model: Model, template: Mapping[str, Any], locations: Mapping[str, Location],
                resources: Mapping[str, Mapping[str, Any]], types: Mapping[str, str],
                conditions: Mapping[str, bool]) -> None:
    """The resources of one branch; a resource whose condition is not evaluated in it (an off-chain resource
    whose condition needs an input without a Default) is left out."""
    resolver = Resolver(template, conditions)
    for logical_id, body in resources.items():
        if isinstance(body.get("Condition"), str) and not conditions.get(body["Condition"], False):
            continue
        location = locations.get(logical_id) or location_of(body, model.unit)
        for resource in _resources_of(logical_id, body, _Properties(logical_id, body, resolver, types), location):
            model.add(resource)


def _resources_of(logical_id: str, body: Mapping[str, Any], props: _Properties, location: Location) -> List[Resource]:
    built: List[Resource] = []
    if body["Type"] in _BUILDERS:
        built.append(_BUILDERS[body["Type"]](logical_id, location, props))
    if body["Type"] in _SUBSCRIBERS:
        built.extend(_SUBSCRIBERS[body["Type"]](logical_id, location, props))
    return built


# --- one resource on its own, for deciding whether it is on the chain ----------------------------------------

def _variants(template: Mapping[str, Any], logical_id: str, body: Mapping[str, Any],
              types: Mapping[str, str]) -> Optional[List[Resource]]:
    """The resource as each combination of its own conditions builds it; None when they cannot be explored."""
    try:
        own = branches(template, conditions_of(body, READS))
    except ConditionError:
        return None
    built: List[Resource] = []
    for branch in own:
        if isinstance(body.get("Condition"), str) and not branch.conditions[body["Condition"]]:
            continue
        props = _Properties(logical_id, body, Resolver(template, branch.conditions), types)
        built.extend(_resources_of(logical_id, body, props, Location()))
    return built
