"""Framework-neutral resources and links: what the Terraform and CloudFormation adapters produce.

The adapters resolve what they can (literals, references, variables with defaults, parameters, intrinsic functions)
and mark the rest as `Unknown`, naming the input and how to make it resolvable. The checks in `rules` are pure
functions of this model, so every verdict can be tested without either scanner, and both scanners share one
implementation of every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Dict, List, Optional, Tuple, TypeVar, Union

T = TypeVar("T")

TERRAFORM = "terraform"
CLOUDFORMATION = "cloudformation"


@dataclass(frozen=True)
class Unknown:
    """A value that decides a verdict but cannot be resolved statically. Checks fail closed on it.

    `source` names the input ("variable \"filter_pattern\"", "parameter AlarmTopic", "Fn::ImportValue
    SharedTopicArn"), `why` says why it is unknown, and `fix` how to make it resolvable.
    """

    source: str
    why: str
    fix: str
    # What is known about the value all the same: its constraint (a Terraform `validation`, a CloudFormation
    # `AllowedPattern`) admits nothing but SNS topic ARNs, as `trailguard.constraints` decides it. Such an alarm action
    # counts as SNS whatever value is given.
    sns_only: bool = field(default=False, compare=False)

    def describe(self) -> str:
        return f"{self.source} {self.why}; {self.fix}"


V = Union[T, Unknown]


def default(kind: type, name: str) -> Any:
    """What AWS assumes for a property nobody set, as the model's field declares it; the builders read it from here,
    so each default is stated once."""
    return next(declared.default for declared in fields(kind) if declared.name == name)


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


@dataclass(frozen=True)
class Location:
    """Where a resource is written, for messages and for the scanners' own line reporting."""

    file: str = ""
    line: int = 0
    end_line: int = 0


@dataclass(frozen=True)
class Ref:
    """A link to another resource: by its id in this deployment unit, or by a literal name or ARN.

    `resource` is the target's `Resource.id`; `name` a literal name (a log group name, a topic ARN) for targets
    managed elsewhere. At least one is set.
    """

    resource: Optional[str] = None
    name: Optional[str] = None

    def describe(self) -> str:
        return self.resource or self.name or "?"


@dataclass(frozen=True)
class Resource:
    """What every resource has: an id unique in its deployment unit, a type, a display name and a location."""

    id: str
    type: str
    location: Location = field(default_factory=Location)


@dataclass(frozen=True)
class BasicEventSelector:
    """A CloudTrail basic event selector, as far as management events are concerned."""

    include_management_events: V[bool] = True
    read_write_type: V[str] = "All"
    # Event sources whose management events it leaves out (CloudTrail offers kms.amazonaws.com and
    # rdsdata.amazonaws.com: `exclude_management_event_sources`, `ExcludeManagementEventSources`).
    excluded_sources: V[Tuple[str, ...]] = ()


@dataclass(frozen=True)
class FieldSelector:
    """One condition of an advanced event selector, e.g. `eventCategory Equals [Management]`."""

    field: str
    equals: Tuple[str, ...] = ()
    not_equals: Tuple[str, ...] = ()
    starts_with: Tuple[str, ...] = ()
    not_starts_with: Tuple[str, ...] = ()
    ends_with: Tuple[str, ...] = ()
    not_ends_with: Tuple[str, ...] = ()


@dataclass(frozen=True)
class AdvancedEventSelector:
    name: str = ""
    field_selectors: V[Tuple[FieldSelector, ...]] = ()


@dataclass(frozen=True)
class Trail(Resource):
    multi_region: V[bool] = False
    logging: V[bool] = True
    global_service_events: V[bool] = True
    organization: V[bool] = False
    basic_selectors: V[Tuple[BasicEventSelector, ...]] = ()
    advanced_selectors: V[Tuple[AdvancedEventSelector, ...]] = ()
    log_group: V[Optional[Ref]] = None
    log_role: V[Optional[str]] = None
    # The log group ARN as written, when it is text (literal, or with CloudFormation placeholders): its account and
    # region say where the log group lives, which `trailguard.units` needs to link a trail to another unit's filters.
    log_group_arn: Optional[str] = field(default=None, compare=False)


@dataclass(frozen=True)
class LogGroup(Resource):
    name: V[Optional[str]] = None


@dataclass(frozen=True)
class MetricTransformation:
    metric_name: V[str]
    namespace: V[str]
    value: V[str] = "1"
    default_value: V[Optional[float]] = None
    dimensions: V[Tuple[Tuple[str, str], ...]] = ()
    unit: V[Optional[str]] = None


@dataclass(frozen=True)
class MetricFilter(Resource):
    name: V[Optional[str]] = None
    log_group: V[Optional[Ref]] = None
    pattern: V[Any] = ""
    transformations: V[Tuple[MetricTransformation, ...]] = ()


@dataclass(frozen=True)
class MetricStat:
    """The metric an alarm (or one of its metric-math queries) reads."""

    metric_name: V[Optional[str]]
    namespace: V[Optional[str]]
    statistic: V[Optional[str]] = None
    dimensions: V[Tuple[Tuple[str, str], ...]] = ()
    unit: V[Optional[str]] = None


@dataclass(frozen=True)
class MetricQuery:
    """One entry of a metric-math alarm: a metric read or an expression; `returns` marks the alarm's input."""

    id: str
    stat: Optional[MetricStat] = None
    expression: Optional[str] = None
    returns: bool = False


@dataclass(frozen=True)
class ActionTarget:
    """An alarm action: an SNS topic (by resource or ARN), something else (Lambda, Auto Scaling), or unknown.

    `is_sns` is decided by the adapter: a `aws_sns_topic`/`AWS::SNS::Topic` reference, an `arn:...:sns:` ARN, or
    an input constrained to SNS ARNs (a Terraform validation, a CloudFormation AllowedPattern).
    """

    text: str
    is_sns: V[bool]
    topic: Optional[Ref] = None


@dataclass(frozen=True)
class Alarm(Resource):
    name: V[Optional[str]] = None
    metric: Optional[MetricStat] = None
    queries: Tuple[MetricQuery, ...] = ()
    threshold: V[Optional[float]] = None
    comparison: V[Optional[str]] = None
    evaluation_periods: V[Optional[int]] = 1
    datapoints_to_alarm: V[Optional[int]] = None
    treat_missing_data: V[Optional[str]] = None
    actions_enabled: V[bool] = True
    alarm_actions: Tuple[ActionTarget, ...] = ()
    ok_actions: Tuple[ActionTarget, ...] = ()
    insufficient_data_actions: Tuple[ActionTarget, ...] = ()


@dataclass(frozen=True)
class Topic(Resource):
    name: V[Optional[str]] = None
    arn: V[Optional[str]] = None


@dataclass(frozen=True)
class Subscription(Resource):
    topic: V[Optional[Ref]] = None
    protocol: V[Optional[str]] = None


@dataclass
class Model:
    """One deployment unit (a template, a Terraform root module with its children, a plan file)."""

    framework: str
    unit: str = ""
    # For CloudFormation templates with Conditions: the deployable branch this model describes, e.g.
    # "UseSnsTopic is false". Every reason of a branch names it.
    branch: str = ""
    # Sentences about what this unit leaves out or trailguard could not read (an unreadable file, a module from a
    # registry, a resource with count = 0), named in every failure about a missing link: it may be the reason.
    blind_spots: List[str] = field(default_factory=list)
    trails: Dict[str, Trail] = field(default_factory=dict)
    log_groups: Dict[str, LogGroup] = field(default_factory=dict)
    filters: Dict[str, MetricFilter] = field(default_factory=dict)
    alarms: Dict[str, Alarm] = field(default_factory=dict)
    topics: Dict[str, Topic] = field(default_factory=dict)
    subscriptions: Dict[str, Subscription] = field(default_factory=dict)
    # Indexes and results the analysis derives, computed once per model so that matching stays linear in its size;
    # cleared whenever a resource is added.
    memo: Dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def add(self, resource: Resource) -> None:
        """File a resource under its kind; one id per deployment unit."""
        table = {Trail: self.trails, LogGroup: self.log_groups, MetricFilter: self.filters, Alarm: self.alarms,
                 Topic: self.topics, Subscription: self.subscriptions}[type(resource)]
        table[resource.id] = resource
        self.memo.clear()
