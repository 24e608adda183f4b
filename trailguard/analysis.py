"""The five checks as pure functions of the model: one implementation of every rule, for both scanners.

Each check returns `Finding`s: the check id, the resource it is attached to, PASSED or FAILED, and reasons a user
can act on. Unknown values fail closed with the name of the input; an exception inside a check becomes a FAILED
finding that says "internal error" (and is logged with its traceback), never a silent pass.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from trailguard.findings import FAILED, PASSED, Finding
from trailguard.model import (
    ActionTarget,
    Alarm,
    MetricFilter,
    MetricStat,
    MetricTransformation,
    Model,
    Ref,
    Resource,
    Topic,
    Trail,
    Unknown,
    is_unknown,
)
from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.judge import Verdict, judge_unauthorized_calls
from trailguard.pattern.parser import iter_nodes, parse
from trailguard.vocabulary import fix

LOG = logging.getLogger("trailguard")


@dataclass
class _Outcome:
    """Reasons collected while checking one resource; no reasons means it passed."""

    reasons: List[str] = field(default_factory=list)
    details: List[str] = field(default_factory=list)

    def fail(self, reason: str) -> None:
        self.reasons.append(reason)

    def require_known(self, value: object, what: str) -> bool:
        """Fail closed on an unknown value; True when the value is known."""
        if is_unknown(value):
            self.fail(f"{what} cannot be resolved: {value.describe()}")
            return False
        return True


def _finding(check_id: str, resource: Resource, outcome: _Outcome) -> Finding:
    return Finding(check_id, resource, FAILED if outcome.reasons else PASSED, tuple(outcome.reasons),
                   tuple(outcome.details))


# --- TG_AWS_1: the trail ---------------------------------------------------------------------------------------------

def check_trail(model: Model, trail: Trail) -> Finding:
    return _finding("TG_AWS_1", trail, _trail_outcome(model, trail))


def _trail_outcome(model: Model, trail: Trail) -> _Outcome:
    outcome = _Outcome()
    framework = model.framework
    if outcome.require_known(trail.multi_region, "whether the trail is multi-region") and not trail.multi_region:
        outcome.fail(f"the trail records only its own region; {fix('multi_region', framework)}")
    if outcome.require_known(trail.logging, "whether the trail is logging") and not trail.logging:
        outcome.fail(f"logging is turned off, so the trail records nothing; {fix('logging', framework)}")
    if (outcome.require_known(trail.global_service_events, "whether global service events are included")
            and not trail.global_service_events):
        outcome.fail("global service events (IAM, STS, CloudFront) are excluded, so denied IAM calls are not recorded; "
                     f"{fix('global_service_events', framework)}")
    missing = _missing_management_events(trail, outcome)
    if missing:
        outcome.fail(f"the trail does not record management {missing}; {fix('management_events', framework)}")
    if outcome.require_known(trail.log_group, "the trail's CloudWatch Logs log group"):
        if trail.log_group is None:
            outcome.fail(f"the trail does not deliver to CloudWatch Logs, so no metric filter can see its events; "
                         f"{fix('log_group', framework)}")
        elif outcome.require_known(trail.log_role, "the trail's CloudWatch Logs role") and not trail.log_role:
            outcome.fail(f"the trail names a log group but no role to write to it; {fix('log_role', framework)}")
    return outcome


def _missing_management_events(trail: Trail, outcome: _Outcome) -> str:
    """Which of "reads"/"writes" of management events the trail's selectors leave out ("" when it records both)."""
    if not outcome.require_known(trail.basic_selectors, "the trail's event selectors"):
        return ""
    if not outcome.require_known(trail.advanced_selectors, "the trail's advanced event selectors"):
        return ""
    if not trail.basic_selectors and not trail.advanced_selectors:
        return ""  # CloudTrail's default: all management events, reads and writes
    reads = writes = False
    for selector in trail.basic_selectors:
        if not (outcome.require_known(selector.include_management_events, "include_management_events")
                and outcome.require_known(selector.read_write_type, "read_write_type")):
            return ""
        if selector.include_management_events:
            reads = reads or selector.read_write_type in ("All", "ReadOnly")
            writes = writes or selector.read_write_type in ("All", "WriteOnly")
    for selector in trail.advanced_selectors:
        if not outcome.require_known(selector.field_selectors, f"advanced event selector {selector.name!r}"):
            return ""
        read, write = _advanced_management(selector.field_selectors)
        reads, writes = reads or read, writes or write
    return " and ".join(kind for kind, recorded in (("reads", reads), ("writes", writes)) if not recorded)


def _advanced_management(conditions) -> Tuple[bool, bool]:
    """Whether an advanced selector records management reads and writes (AWS: conditions are ANDed)."""
    category = next((c for c in conditions if c.field == "eventCategory"), None)
    if category is None or "Management" not in category.equals:
        return False, False
    reads = writes = True
    for condition in conditions:
        if condition.field == "readOnly":
            allowed = {"true", "false"}
            if condition.equals:
                allowed &= {value.lower() for value in condition.equals}
            allowed -= {value.lower() for value in condition.not_equals}
            reads, writes = "true" in allowed, "false" in allowed
        elif condition.field not in ("eventCategory",):
            # eventSource, eventName ... conditions narrow what is recorded: management events are only partly kept.
            reads = writes = False
    return reads, writes


# --- which filters are about unauthorized calls ------------------------------------------------------------------

_DENIAL = re.compile(r"unauthorized|accessdenied", re.IGNORECASE)


def is_unauthorized_calls_filter(metric_filter: MetricFilter) -> bool:
    """docs/rules.md: the pattern compares errorCode with a denial code, or a name says "unauthori"."""
    names = [metric_filter.name] + [t.metric_name for t in _known_transformations(metric_filter)]
    if any(isinstance(name, str) and "unauthori" in name.lower() for name in names):
        return True
    pattern = metric_filter.pattern
    return isinstance(pattern, str) and _compares_error_code_with_denial(pattern)


@lru_cache(maxsize=1024)
def _compares_error_code_with_denial(pattern: str) -> bool:
    try:
        parsed = parse(pattern)
    except PatternError:
        return "errorcode" in pattern.lower() and bool(_DENIAL.search(pattern))
    return any(
        isinstance(node, (ast.StringMatch, ast.RegexMatch)) and node.selector.steps == ("errorCode",)
        and _DENIAL.search(node.glob if isinstance(node, ast.StringMatch) else node.regex)
        for node in iter_nodes(parsed)
    )


def _known_transformations(metric_filter: MetricFilter) -> Tuple[MetricTransformation, ...]:
    return () if is_unknown(metric_filter.transformations) else metric_filter.transformations


# --- TG_AWS_2: the pattern ---------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _judge(pattern: str) -> Verdict:
    return judge_unauthorized_calls(pattern)


def check_pattern(model: Model, metric_filter: MetricFilter) -> Finding:
    return _finding("TG_AWS_2", metric_filter, _pattern_outcome(metric_filter))


def _pattern_outcome(metric_filter: MetricFilter) -> _Outcome:
    outcome = _Outcome()
    pattern = metric_filter.pattern
    if not outcome.require_known(pattern, "the filter pattern"):
        return outcome
    verdict = _judge(pattern) if isinstance(pattern, str) else judge_unauthorized_calls(pattern)
    outcome.reasons.extend(verdict.reasons())
    if verdict.exclusions:
        outcome.details.append("narrow exclusions (denied calls not counted): " + ", ".join(verdict.exclusions))
    return outcome


# --- TG_AWS_3: the alarm -------------------------------------------------------------------------------------------

_UPWARD = {"GreaterThanOrEqualToThreshold": lambda value, threshold: value >= threshold,
           "GreaterThanThreshold": lambda value, threshold: value > threshold}


def check_alarm(model: Model, metric_filter: MetricFilter) -> Finding:
    return _finding("TG_AWS_3", metric_filter, _alarm_outcome(model, metric_filter)[0])


_AlarmOutcome = Tuple[_Outcome, List[Alarm], List[Alarm]]


def _alarm_outcome(model: Model, metric_filter: MetricFilter) -> _AlarmOutcome:
    """Pass when some alarm watches exactly this filter's metric and fires on one call; returns the good alarms and
    every alarm on the filter's metric (good or not).

    Computed once per filter and model: TG_AWS_3, TG_AWS_4 and TG_AWS_5 all need it.
    """
    key = ("alarm outcome", metric_filter.id)
    if key not in model.memo:
        model.memo[key] = _compute_alarm_outcome(model, metric_filter)
    return model.memo[key]


_UNKNOWN_NAME = object()


def _alarms_reading(model: Model, names: Iterable[object]) -> List[Alarm]:
    """The alarms that read a metric of one of these names, or whose metric names are unknown, in model order."""
    if "alarms by metric" not in model.memo:
        index: Dict[object, List[int]] = {}
        for position, alarm in enumerate(model.alarms.values()):
            stats = ([alarm.metric] if alarm.metric is not None else []) + [q.stat for q in alarm.queries if q.stat]
            for stat in stats:
                name = stat.metric_name if isinstance(stat.metric_name, str) else _UNKNOWN_NAME
                index.setdefault(name, []).append(position)
        model.memo["alarms by metric"] = (index, list(model.alarms.values()))
    index, alarms = model.memo["alarms by metric"]
    positions = set(index.get(_UNKNOWN_NAME, []))
    for name in names:
        if isinstance(name, str):
            positions.update(index.get(name, []))
    return [alarms[position] for position in sorted(positions)]


def _compute_alarm_outcome(model: Model, metric_filter: MetricFilter) -> _AlarmOutcome:
    outcome = _Outcome()
    if not outcome.require_known(metric_filter.transformations, "the filter's metric transformation"):
        return outcome, [], []
    if not metric_filter.transformations:
        outcome.fail("the filter publishes no metric, so no alarm can watch it; add a metric transformation")
        return outcome, [], []
    transformation = metric_filter.transformations[0]
    if not (outcome.require_known(transformation.metric_name, "the filter's metric name")
            and outcome.require_known(transformation.namespace, "the filter's metric namespace")):
        return outcome, [], []
    good: List[Alarm] = []
    watching: List[Alarm] = []
    near: List[str] = []
    for alarm in _alarms_reading(model, (transformation.metric_name, metric_filter.name)):
        problems = _alarm_problems(model, alarm, metric_filter, transformation)
        if problems is None:
            continue  # watches some other metric
        watching.append(alarm)
        if problems:
            near.append(f"alarm {alarm.id}: " + "; ".join(problems))
        else:
            good.append(alarm)
    if good:
        outcome.details.append("alarmed by " + ", ".join(alarm.id for alarm in good))
        return outcome, good, watching
    metric = f"metric {transformation.metric_name!r} in namespace {transformation.namespace!r}"
    if near:
        outcome.reasons.extend(near)
    else:
        outcome.fail(f"no alarm watches the filter's {metric}; {fix('alarm', model.framework)}")
        outcome.reasons.extend(_blind_spots(model, "aws_cloudwatch_metric_alarm"))
    return outcome, good, watching


# The Terraform types of the chain's resources; a blind spot naming one of them is about that link only.
_CHAIN_TYPES = {"aws_cloudtrail", "aws_cloudwatch_log_group", "aws_cloudwatch_log_metric_filter",
                "aws_cloudwatch_metric_alarm", "aws_sns_topic", "aws_sns_topic_subscription"}
_NAMED_TYPE = re.compile(r"\b(aws_[a-z0-9_]+)\.[A-Za-z_]")
_SPOTS_SHOWN = 10


def _blind_spots(model: Model, missing: str) -> List[str]:
    """What the adapter could not read or left out, which may be where the missing link (of Terraform type
    `missing`) is: an unreadable file, a registry module, a nested stack, a resource of that type that may not exist.
    A note about another link's resource (an alarm with count = 0 when the filter is missing) is off the path, so it
    is not shown; a long list is cut, with the number left out."""
    spots = []
    for spot in model.blind_spots:
        named = _NAMED_TYPE.search(spot)
        if named is None or named.group(1) == missing or named.group(1) not in _CHAIN_TYPES:
            spots.append(spot)
    if len(spots) > _SPOTS_SHOWN:
        left = len(spots) - _SPOTS_SHOWN
        spots = spots[:_SPOTS_SHOWN] + [f"and {left} more thing(s) trailguard could not see in this unit"]
    return spots


def _alarm_problems(model: Model, alarm: Alarm, metric_filter: MetricFilter,
                    transformation: MetricTransformation) -> Optional[List[str]]:
    """What keeps `alarm` from alarming on this filter's metric: None when it watches another metric altogether."""
    stat, problems = _watched_stat(alarm, transformation)
    if stat is None:
        return _misnamed(alarm, metric_filter, transformation)
    if problems:
        return problems
    problems.extend(_identity_problems(stat, transformation))
    problems.extend(_firing_problems(alarm, stat, transformation))
    problems.extend(_action_problems(model, alarm))
    return problems


def _watched_stat(alarm: Alarm, transformation: MetricTransformation) -> Tuple[Optional[MetricStat], List[str]]:
    """The metric read the alarm is decided by, if it is this filter's metric (directly or as the math result)."""
    stats = [alarm.metric] if alarm.metric is not None else []
    stats += [query.stat for query in alarm.queries if query.stat is not None]
    for stat in stats:
        for value, what in ((stat.metric_name, "metric name"), (stat.namespace, "namespace")):
            if is_unknown(value):
                return stat, [f"its {what} cannot be resolved: {value.describe()}"]
    ours = [s for s in stats if s.metric_name == transformation.metric_name and s.namespace == transformation.namespace]
    if not ours:
        return None, []
    if alarm.metric is not None:
        return alarm.metric, []
    returned = [query for query in alarm.queries if query.returns]
    if len(returned) == 1 and returned[0].stat is not None and returned[0].stat in ours:
        return returned[0].stat, []
    return ours[0], ["it alarms on a metric-math expression over the metric, which trailguard cannot prove fires on "
                     "a single call; alarm on the metric directly (metric_name/namespace, or a metric query that "
                     "returns the metric itself)"]


def _misnamed(alarm: Alarm, metric_filter: MetricFilter, transformation: MetricTransformation) -> Optional[List[str]]:
    """Recognise the classic mistakes: alarming on the filter's name, or on the right name in another namespace."""
    stat = alarm.metric
    if stat is None:
        return None
    if isinstance(metric_filter.name, str) and stat.metric_name == metric_filter.name \
            and metric_filter.name != transformation.metric_name:
        return [f"it watches metric {stat.metric_name!r}, which is the filter's name; the filter publishes metric "
                f"{transformation.metric_name!r} (a filter's name is not its metric name)"]
    if stat.metric_name == transformation.metric_name:
        return [f"it watches metric {stat.metric_name!r} in namespace {stat.namespace!r}, but the filter publishes it "
                f"in namespace {transformation.namespace!r}"]
    return None


def _identity_problems(stat: MetricStat, transformation: MetricTransformation) -> List[str]:
    problems: List[str] = []
    for value, what in ((stat.dimensions, "dimensions"), (transformation.dimensions, "the filter's dimensions"),
                        (stat.unit, "unit"), (transformation.unit, "the filter's unit")):
        if is_unknown(value):
            problems.append(f"its {what} cannot be resolved: {value.describe()}")
    if problems:
        return problems
    if transformation.dimensions:
        problems.append("the filter publishes the metric with dimensions (" +
                        ", ".join(name for name, _ in transformation.dimensions) +
                        "), one series per value, so no single alarm sees every call; remove the dimensions")
    elif stat.dimensions:
        problems.append("it watches dimensions (" + ", ".join(name for name, _ in stat.dimensions) +
                        ") that the filter does not publish, so its metric never has data; remove them")
    published_unit = transformation.unit or "None"
    if stat.unit and stat.unit != published_unit:
        problems.append(f"it watches unit {stat.unit!r} but the filter publishes unit {published_unit!r}, so it never "
                        "sees data; remove the unit or make them equal")
    return problems


def _firing_problems(alarm: Alarm, stat: MetricStat, transformation: MetricTransformation) -> List[str]:
    """Does one matching event in one period put the alarm in ALARM, and does silence keep it out?"""
    problems: List[str] = []
    values = {"statistic": stat.statistic, "threshold": alarm.threshold, "comparison operator": alarm.comparison,
              "evaluation periods": alarm.evaluation_periods, "datapoints to alarm": alarm.datapoints_to_alarm,
              "metric value": transformation.value, "default value": transformation.default_value,
              "treat_missing_data": alarm.treat_missing_data}
    for what, value in values.items():
        if is_unknown(value):
            problems.append(f"its {what} cannot be resolved: {value.describe()}")
    if problems:
        return problems
    try:
        metric_value = float(transformation.value)
    except (TypeError, ValueError):
        return [f"the filter publishes {transformation.value!r} per event, not a fixed number, so whether one call "
                "crosses the threshold depends on the event; publish metric value 1"]
    if metric_value <= 0:
        problems.append(f"the filter publishes {metric_value:g} per event, so calls never raise the metric; publish 1")
    statistic = stat.statistic or ""
    one_call = {"Sum": metric_value, "Maximum": metric_value, "Minimum": metric_value, "Average": metric_value,
                "SampleCount": 1.0}.get(statistic, metric_value if re.fullmatch(r"p\d+(\.\d+)?", statistic) else None)
    if one_call is None:
        problems.append(f"trailguard cannot tell how statistic {statistic!r} behaves on one call; use Sum")
        return problems
    if transformation.default_value is not None and statistic in ("Average", "Minimum", "SampleCount") or (
            transformation.default_value is not None and statistic.startswith("p")):
        problems.append(f"the filter publishes a default value, which {statistic} mixes into every period, so one call "
                        "may not cross the threshold; use Sum, or drop the default value")
    comparison = alarm.comparison or ""
    compare = _UPWARD.get(comparison)
    if compare is None:
        problems.append(f"comparison {comparison or 'missing'!r} does not fire when calls raise the metric; "
                        "use GreaterThanOrEqualToThreshold")
    elif alarm.threshold is None:
        problems.append("it has no threshold")
    elif not compare(one_call, alarm.threshold):
        problems.append(f"one call gives {statistic} = {one_call:g}, which is not {_operator(comparison)} the "
                        f"threshold {alarm.threshold:g}; set threshold = {min(one_call, 1):g} with "
                        "GreaterThanOrEqualToThreshold")
    elif transformation.default_value is not None and compare(float(transformation.default_value), alarm.threshold):
        problems.append(f"the filter's default value {transformation.default_value:g} already crosses the "
                        "threshold, so the alarm fires without any call")
    required = alarm.datapoints_to_alarm or alarm.evaluation_periods or 1
    if required > 1:
        problems.append(f"it needs {required} breaching periods, so a single call never fires it; set "
                        "datapoints to alarm (or evaluation periods) to 1")
    if alarm.treat_missing_data == "breaching":
        problems.append("treat_missing_data = breaching makes it fire when there are no unauthorized calls at all; "
                        "use notBreaching or missing")
    return problems


def _operator(comparison: str) -> str:
    return {"GreaterThanOrEqualToThreshold": ">=", "GreaterThanThreshold": ">"}.get(comparison, comparison)


def _action_problems(model: Model, alarm: Alarm) -> List[str]:
    problems: List[str] = []
    if is_unknown(alarm.actions_enabled):
        problems.append(f"whether its actions are enabled cannot be resolved: {alarm.actions_enabled.describe()}")
    elif not alarm.actions_enabled:
        problems.append(f"its actions are disabled, so nobody is notified; {fix('actions_enabled', model.framework)}")
    unknown = [action for action in alarm.alarm_actions if is_unknown(action.is_sns)]
    if any(action.is_sns is True for action in alarm.alarm_actions):
        return problems
    if unknown:
        problems.extend(f"its alarm action {action.text} cannot be resolved: {action.is_sns.describe()}"
                        for action in unknown)
    elif alarm.alarm_actions:
        problems.append("none of its alarm actions is an SNS topic (" + ", ".join(a.text for a in alarm.alarm_actions) +
                        f"); {fix('sns_action', model.framework)}")
    elif alarm.ok_actions or alarm.insufficient_data_actions:
        problems.append("it notifies only when it returns to OK or lacks data, not when it fires; "
                        f"{fix('sns_action', model.framework)}")
    else:
        problems.append(f"it has no alarm actions, so nobody is notified; {fix('sns_action', model.framework)}")
    return problems


# --- links: which filters sit on a trail's log group -------------------------------------------------------------

def _named(model: Model, ref: Ref) -> object:
    """The name a link gives its log group: a literal name, or the name of the resource it references (None when
    AWS generates it, `Unknown` when it is an unresolved input)."""
    if ref.resource is not None and ref.resource in model.log_groups:
        return model.log_groups[ref.resource].name
    return ref.name


def same_log_group(model: Model, one: Ref, other: Ref) -> Optional[bool]:
    """Whether two links name the same log group; None when only an unresolved name could tell.

    docs/rules.md, "Unknown values": a link written as a reference is proven by the reference, whatever the referenced
    value, so two references to one resource are one group even when its name is an unknown input. Otherwise the
    names decide: a literal name matches a resource whose literal name equals it, and a group whose name AWS
    generates is only ever itself.
    """
    if one.resource is not None and one.resource == other.resource:
        return True
    names = (_named(model, one), _named(model, other))
    if any(is_unknown(name) for name in names):
        return None
    return names[0] is not None and names[0] == names[1]


def _unresolved_name(model: Model, one: Ref, other: Ref) -> Unknown:
    return next(name for name in (_named(model, one), _named(model, other)) if is_unknown(name))


def filters_on(model: Model, log_group: Ref) -> Tuple[List[MetricFilter], List[Tuple[MetricFilter, str]]]:
    """The filters on a log group, and the filters that might be on it, each with what keeps trailguard from
    telling (an unresolved log group name or link)."""
    found: List[MetricFilter] = []
    undecided: List[Tuple[MetricFilter, str]] = []
    for metric_filter in model.filters.values():
        link = metric_filter.log_group
        if is_unknown(link):
            undecided.append((metric_filter, f"filter {metric_filter.id}'s log group cannot be resolved: "
                                             f"{link.describe()}"))
        elif link is not None:
            same = same_log_group(model, log_group, link)
            if same:
                found.append(metric_filter)
            elif same is None:
                undecided.append((metric_filter, f"whether filter {metric_filter.id} is on the trail's log group "
                                                 "cannot be decided: "
                                                 f"{_unresolved_name(model, log_group, link).describe()}; or "
                                                 "reference the log group resource from both the trail and the "
                                                 "filter"))
    return found, undecided


# --- TG_AWS_4: the whole chain -------------------------------------------------------------------------------------

# How far along the chain a filter gets: its pattern (TG_AWS_2) comes before its alarm (TG_AWS_3).
_PATTERN_LINK, _ALARM_LINK, _WHOLE = 0, 1, 2
_LISTED = 5  # names shown of the other filters on a log group; the rest are counted


def _about_unauthorized_calls(metric_filter: MetricFilter) -> bool:
    return is_unknown(metric_filter.pattern) or is_unauthorized_calls_filter(metric_filter)


def _listed(ids: List[str]) -> str:
    shown = ", ".join(ids[:_LISTED])
    return shown + (f" and {len(ids) - _LISTED} more" if len(ids) > _LISTED else "")


def _other_filters(filters: List[MetricFilter]) -> List[str]:
    """docs/rules.md: a filter on the trail's log group that belongs to no control is listed as such, never ignored."""
    others = [f.id for f in filters if not _about_unauthorized_calls(f)]
    if not others:
        return []
    return [f"the log group carries {len(others)} other filter(s), about no control trailguard checks: "
            f"{_listed(others)}"]


def _furthest(model: Model, candidates: List[MetricFilter]) -> Tuple[int, MetricFilter, List[str]]:
    """The candidate filter that gets furthest along the chain, how far, and the causes that stop it there."""
    best: Optional[Tuple[int, MetricFilter, List[str]]] = None
    for metric_filter in candidates:
        pattern = _pattern_outcome(metric_filter)
        alarm, _, _ = _alarm_outcome(model, metric_filter)
        if pattern.reasons:
            reached, causes = _PATTERN_LINK, pattern.reasons
        elif alarm.reasons:
            reached, causes = _ALARM_LINK, alarm.reasons
        else:
            reached, causes = _WHOLE, alarm.details
        if best is None or reached > best[0]:
            best = (reached, metric_filter, causes)
        if reached == _WHOLE:
            break
    assert best is not None
    return best


def check_chain(model: Model, trail: Trail) -> Finding:
    """TG_AWS_4: name the first link that breaks, with only the causes on the path to it."""
    outcome = _Outcome()
    trail_outcome = _trail_outcome(model, trail)
    if trail_outcome.reasons:
        outcome.fail("the chain breaks at the trail itself (TG_AWS_1); fix the trail first")
        outcome.reasons.extend(f"trail: {reason}" for reason in trail_outcome.reasons)
        return _finding("TG_AWS_4", trail, outcome)
    filters, undecided = filters_on(model, trail.log_group)
    candidates = [f for f in filters if _about_unauthorized_calls(f)]
    maybe = [note for metric_filter, note in undecided if _about_unauthorized_calls(metric_filter)]
    if not candidates:
        outcome.fail(f"no metric filter for unauthorized API calls on the trail's log group "
                     f"{trail.log_group.describe()}; {fix('filter', model.framework)}")
        outcome.reasons.extend(maybe + _other_filters(filters))
        outcome.reasons.extend(_blind_spots(model, "aws_cloudwatch_log_metric_filter"))
        return _finding("TG_AWS_4", trail, outcome)
    reached, metric_filter, causes = _furthest(model, candidates)
    if reached == _WHOLE:
        outcome.details.append(f"monitored by filter {metric_filter.id} " + "; ".join(causes))
        outcome.details.extend(_other_filters(filters))
        return _finding("TG_AWS_4", trail, outcome)
    where = ("the pattern of filter {} (TG_AWS_2)" if reached == _PATTERN_LINK
             else "the alarm of filter {} (TG_AWS_3)").format(metric_filter.id)
    others = len(candidates) - 1
    outcome.fail(f"the chain breaks at {where}; fix that link" +
                 (f" ({others} other unauthorized-calls filter(s) on the log group break no later)" if others else ""))
    outcome.reasons.extend(f"filter {metric_filter.id}: {cause}" for cause in causes)
    outcome.reasons.extend(maybe)  # a filter that may be on the log group may be the one that holds
    return _finding("TG_AWS_4", trail, outcome)


# --- TG_AWS_5: somebody reads the alarm --------------------------------------------------------------------------

def _notified_topics(model: Model) -> Dict[str, Topic]:
    """Topics in scope that some alarm on an unauthorized-calls filter's metric notifies, whether or not that alarm
    passes TG_AWS_3: the advisory is shown for every topic on the path (docs/rules.md, "The chain")."""
    topics: Dict[str, Topic] = {}
    for metric_filter in model.filters.values():
        if not is_unauthorized_calls_filter(metric_filter):
            continue
        _, _, alarms = _alarm_outcome(model, metric_filter)
        for alarm in alarms:
            for action in alarm.alarm_actions:
                topic = _topic_of(model, action)
                if topic is not None:
                    topics[topic.id] = topic
    return topics


def _topic_of(model: Model, action: ActionTarget) -> Optional[Topic]:
    if action.is_sns is not True or action.topic is None:
        return None
    if action.topic.resource in model.topics:
        return model.topics[action.topic.resource]
    return next((t for t in model.topics.values() if action.topic.name and t.arn == action.topic.name), None)


def check_subscription(model: Model, topic: Topic) -> Finding:
    outcome = _Outcome()
    subscribed = [s for s in model.subscriptions.values()
                  if not is_unknown(s.topic) and s.topic is not None and
                  (s.topic.resource == topic.id or (s.topic.name is not None and s.topic.name == topic.arn))]
    if subscribed:
        outcome.details.append("subscribed by " + ", ".join(s.id for s in subscribed))
    else:
        outcome.fail(f"nobody is subscribed to the topic in this deployment, so the alarm may reach no one; "
                     f"{fix('subscription', model.framework)}")
    return _finding("TG_AWS_5", topic, outcome)


# --- running everything --------------------------------------------------------------------------------------------

def _guarded(check_id: str, resource: Resource, run: Callable[[], Finding]) -> Finding:
    """Never a silent pass: an exception inside a check is a FAILED finding saying "internal error", and logged."""
    try:
        return run()
    except Exception as error:  # every failure must become a visible result
        LOG.exception("trailguard internal error in %s on %s", check_id, resource.id)
        return Finding(check_id, resource, FAILED, (f"internal error in trailguard ({type(error).__name__}: "
                                                    f"{error}); please report it",))


def analyse(model: Model) -> List[Finding]:
    """Every finding of every check for one deployment unit, in a stable order."""
    findings: List[Finding] = []
    for trail in model.trails.values():
        findings.append(_guarded("TG_AWS_1", trail, lambda t=trail: check_trail(model, t)))
        findings.append(_guarded("TG_AWS_4", trail, lambda t=trail: check_chain(model, t)))
    for metric_filter in model.filters.values():
        if _guarded_classify(metric_filter):
            findings.append(_guarded("TG_AWS_2", metric_filter, lambda f=metric_filter: check_pattern(model, f)))
            findings.append(_guarded("TG_AWS_3", metric_filter, lambda f=metric_filter: check_alarm(model, f)))
    try:
        topics: Iterable[Topic] = _notified_topics(model).values()
    except Exception:
        LOG.exception("trailguard internal error while finding notified topics")
        topics = model.topics.values()
    for topic in topics:
        findings.append(_guarded("TG_AWS_5", topic, lambda t=topic: check_subscription(model, t)))
    return findings


def _guarded_classify(metric_filter: MetricFilter) -> bool:
    try:
        return is_unauthorized_calls_filter(metric_filter)
    except Exception:  # when in doubt, judge it rather than skip it
        LOG.exception("trailguard internal error classifying %s", metric_filter.id)
        return True
