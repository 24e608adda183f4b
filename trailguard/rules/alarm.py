"""TG_AWS_3: some alarm watches exactly the filter's metric, fires on a single matching event, has its actions
enabled and an SNS topic among them (docs/checks/TG_AWS_3.md)."""

from __future__ import annotations

import re
from typing import Dict, Iterable, List, Optional, Tuple

from trailguard.findings import Finding, Reason
from trailguard.model import Alarm, MetricFilter, MetricStat, MetricTransformation, Model, is_unknown
from trailguard.rules.blind_spots import blind_spots
from trailguard.rules.membership import monitoring_filters
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import (
    ACTION_UNRESOLVED,
    ACTIONS_DISABLED,
    ACTIONS_UNRESOLVED,
    ALARM_DIMENSIONS,
    ALARM_FALLS_SHORT,
    ALARMED_BY,
    DEFAULT_VALUE_FIRES,
    DEFAULT_VALUE_MIXED,
    DOWNWARD_COMPARISON,
    FILTER_DIMENSIONS,
    ITS_UNRESOLVED,
    METRIC_MATH,
    MISSING_DATA_BREACHES,
    NO_ACTIONS,
    NO_ALARM,
    NO_METRIC,
    NO_SNS_ACTION,
    NO_THRESHOLD,
    NOT_POSITIVE_VALUE,
    NOTIFIES_ONLY_ON_OK,
    OTHER_NAMESPACE,
    OTHER_UNIT,
    SEVERAL_PERIODS,
    THRESHOLD_NOT_CROSSED,
    UNKNOWN_STATISTIC,
    VARIABLE_VALUE,
    WATCHES_FILTER_NAME,
)
from trailguard.rules.rule import Context, Rule
from trailguard.vocabulary import fix

_UPWARD = {"GreaterThanOrEqualToThreshold": lambda value, threshold: value >= threshold,
           "GreaterThanThreshold": lambda value, threshold: value > threshold}
_OPERATORS = {"GreaterThanOrEqualToThreshold": ">=", "GreaterThanThreshold": ">"}
_UNKNOWN_NAME = object()

# The outcome, the alarms that pass, and every alarm on the filter's metric (passing or not).
AlarmOutcome = Tuple[Outcome, List[Alarm], List[Alarm]]


def check_alarm(model: Model, metric_filter: MetricFilter, context: Context) -> Finding:
    return alarm_outcome(model, metric_filter)[0].finding(context.check.id, metric_filter)


def alarm_outcome(model: Model, metric_filter: MetricFilter) -> AlarmOutcome:
    """Pass when some alarm watches exactly this filter's metric and fires on one call; returns the good alarms and
    every alarm on the filter's metric (good or not).

    Computed once per filter and model: TG_AWS_3, TG_AWS_4 and TG_AWS_5 all need it.
    """
    key = ("alarm outcome", metric_filter.id)
    if key not in model.memo:
        model.memo[key] = _compute_alarm_outcome(model, metric_filter)
    return model.memo[key]


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


def _compute_alarm_outcome(model: Model, metric_filter: MetricFilter) -> AlarmOutcome:
    outcome = Outcome()
    if not outcome.require_known(metric_filter.transformations, "the filter's metric transformation"):
        return outcome, [], []
    if not metric_filter.transformations:
        outcome.fail(NO_METRIC())
        return outcome, [], []
    transformation = metric_filter.transformations[0]
    if not (outcome.require_known(transformation.metric_name, "the filter's metric name")
            and outcome.require_known(transformation.namespace, "the filter's metric namespace")):
        return outcome, [], []
    good: List[Alarm] = []
    watching: List[Alarm] = []
    near: List[Reason] = []
    for alarm in _alarms_reading(model, (transformation.metric_name, metric_filter.name)):
        problems = _alarm_problems(model, alarm, metric_filter, transformation)
        if problems is None:
            continue  # watches some other metric
        watching.append(alarm)
        if problems:
            near.append(ALARM_FALLS_SHORT(link="alarm", resource=alarm.id, causes=tuple(problems)))
        else:
            good.append(alarm)
    if good:
        outcome.details.append(ALARMED_BY(alarms=", ".join(alarm.id for alarm in good)))
        return outcome, good, watching
    if near:
        outcome.reasons.extend(near)
    else:
        metric = f"metric {transformation.metric_name!r} in namespace {transformation.namespace!r}"
        outcome.fail(NO_ALARM(metric=metric, fix=fix("alarm", model.framework)))
        outcome.reasons.extend(blind_spots(model, "aws_cloudwatch_metric_alarm"))
    return outcome, good, watching


def _alarm_problems(model: Model, alarm: Alarm, metric_filter: MetricFilter,
                    transformation: MetricTransformation) -> Optional[List[Reason]]:
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


def _watched_stat(alarm: Alarm, transformation: MetricTransformation) -> Tuple[Optional[MetricStat], List[Reason]]:
    """The metric read the alarm is decided by, if it is this filter's metric (directly or as the math result)."""
    stats = [alarm.metric] if alarm.metric is not None else []
    stats += [query.stat for query in alarm.queries if query.stat is not None]
    for stat in stats:
        for value, what in ((stat.metric_name, "metric name"), (stat.namespace, "namespace")):
            if is_unknown(value):
                return stat, [ITS_UNRESOLVED(what=what, unknown=value.describe())]
    ours = [s for s in stats if s.metric_name == transformation.metric_name and s.namespace == transformation.namespace]
    if not ours:
        return None, []
    if alarm.metric is not None:
        return alarm.metric, []
    returned = [query for query in alarm.queries if query.returns]
    if len(returned) == 1 and returned[0].stat is not None and returned[0].stat in ours:
        return returned[0].stat, []
    return ours[0], [METRIC_MATH()]


def _misnamed(alarm: Alarm, metric_filter: MetricFilter,
              transformation: MetricTransformation) -> Optional[List[Reason]]:
    """Recognise the classic mistakes: alarming on the filter's name, or on the right name in another namespace."""
    stat = alarm.metric
    if stat is None:
        return None
    if isinstance(metric_filter.name, str) and stat.metric_name == metric_filter.name \
            and metric_filter.name != transformation.metric_name:
        return [WATCHES_FILTER_NAME(metric=stat.metric_name, published=transformation.metric_name)]
    if stat.metric_name == transformation.metric_name:
        return [OTHER_NAMESPACE(metric=stat.metric_name, namespace=stat.namespace,
                                published=transformation.namespace)]
    return None


def _unresolved(values: Iterable[Tuple[object, str]]) -> List[Reason]:
    return [ITS_UNRESOLVED(what=what, unknown=value.describe()) for value, what in values if is_unknown(value)]


def _identity_problems(stat: MetricStat, transformation: MetricTransformation) -> List[Reason]:
    """Does the alarm read the very series the filter publishes: dimensions and unit?"""
    problems = _unresolved(((stat.dimensions, "dimensions"), (transformation.dimensions, "the filter's dimensions"),
                            (stat.unit, "unit"), (transformation.unit, "the filter's unit")))
    if problems:
        return problems
    if transformation.dimensions:
        problems.append(FILTER_DIMENSIONS(names=", ".join(name for name, _ in transformation.dimensions)))
    elif stat.dimensions:
        problems.append(ALARM_DIMENSIONS(names=", ".join(name for name, _ in stat.dimensions)))
    published_unit = transformation.unit or "None"
    if stat.unit and stat.unit != published_unit:
        problems.append(OTHER_UNIT(unit=stat.unit, published=published_unit))
    return problems


def _firing_problems(alarm: Alarm, stat: MetricStat, transformation: MetricTransformation) -> List[Reason]:
    """Does one matching event in one period put the alarm in ALARM, and does silence keep it out?"""
    problems = _unresolved((
        (stat.statistic, "statistic"), (alarm.threshold, "threshold"), (alarm.comparison, "comparison operator"),
        (alarm.evaluation_periods, "evaluation periods"), (alarm.datapoints_to_alarm, "datapoints to alarm"),
        (transformation.value, "metric value"), (transformation.default_value, "default value"),
        (alarm.treat_missing_data, "treat_missing_data")))
    if problems:
        return problems
    try:
        metric_value = float(transformation.value)
    except (TypeError, ValueError):
        return [VARIABLE_VALUE(value=transformation.value)]
    if metric_value <= 0:
        problems.append(NOT_POSITIVE_VALUE(value=metric_value))
    statistic = stat.statistic or ""
    one_call = _one_call(statistic, metric_value)
    if one_call is None:
        problems.append(UNKNOWN_STATISTIC(statistic=statistic))
        return problems
    if transformation.default_value is not None and (statistic in ("Average", "Minimum", "SampleCount")
                                                     or statistic.startswith("p")):
        problems.append(DEFAULT_VALUE_MIXED(statistic=statistic))
    problems.extend(_threshold_problems(alarm, transformation, statistic, one_call))
    problems.extend(_period_problems(alarm))
    return problems


def _one_call(statistic: str, metric_value: float) -> Optional[float]:
    """What the statistic makes of one call's value in a period; None for a statistic trailguard does not know."""
    known = {"Sum": metric_value, "Maximum": metric_value, "Minimum": metric_value, "Average": metric_value,
             "SampleCount": 1.0}
    if statistic in known:
        return known[statistic]
    return metric_value if re.fullmatch(r"p\d+(\.\d+)?", statistic) else None


def _threshold_problems(alarm: Alarm, transformation: MetricTransformation, statistic: str,
                        one_call: float) -> List[Reason]:
    """Does one call cross the threshold, upwards, and does the default value alone stay below it?"""
    comparison = alarm.comparison or ""
    compare = _UPWARD.get(comparison)
    if compare is None:
        return [DOWNWARD_COMPARISON(comparison=comparison or "missing")]
    if alarm.threshold is None:
        return [NO_THRESHOLD()]
    if not compare(one_call, alarm.threshold):
        return [THRESHOLD_NOT_CROSSED(statistic=statistic, one_call=one_call,
                                      operator=_OPERATORS.get(comparison, comparison), threshold=alarm.threshold,
                                      suggested=min(one_call, 1))]
    if transformation.default_value is not None and compare(float(transformation.default_value), alarm.threshold):
        return [DEFAULT_VALUE_FIRES(default=transformation.default_value)]
    return []


def _period_problems(alarm: Alarm) -> List[Reason]:
    """Does a single breaching period fire it, and does silence keep it quiet?"""
    problems: List[Reason] = []
    required = alarm.datapoints_to_alarm or alarm.evaluation_periods or 1
    if required > 1:
        problems.append(SEVERAL_PERIODS(required=required))
    if alarm.treat_missing_data == "breaching":
        problems.append(MISSING_DATA_BREACHES())
    return problems


def _action_problems(model: Model, alarm: Alarm) -> List[Reason]:
    """Are its actions enabled, and does it notify an SNS topic when it fires?"""
    problems: List[Reason] = []
    if is_unknown(alarm.actions_enabled):
        problems.append(ACTIONS_UNRESOLVED(unknown=alarm.actions_enabled.describe()))
    elif not alarm.actions_enabled:
        problems.append(ACTIONS_DISABLED(fix=fix("actions_enabled", model.framework)))
    unknown = [action for action in alarm.alarm_actions if is_unknown(action.is_sns)]
    if any(action.is_sns is True for action in alarm.alarm_actions):
        return problems
    if unknown:
        problems.extend(ACTION_UNRESOLVED(action=action.text, unknown=action.is_sns.describe()) for action in unknown)
    elif alarm.alarm_actions:
        problems.append(NO_SNS_ACTION(actions=", ".join(a.text for a in alarm.alarm_actions),
                                      fix=fix("sns_action", model.framework)))
    elif alarm.ok_actions or alarm.insufficient_data_actions:
        problems.append(NOTIFIES_ONLY_ON_OK(fix=fix("sns_action", model.framework)))
    else:
        problems.append(NO_ACTIONS(fix=fix("sns_action", model.framework)))
    return problems


RULE = Rule(subjects=lambda model, context: monitoring_filters(model, context.cis_version), check=check_alarm)
