"""Which resources the chain's verdicts depend on, so that only their conditions multiply the branches.

A landing-zone template toggles a dozen optional alarms with a parameter each; exploring every combination would be
thousands of branches that all give the same verdicts, because a filter about root usage or VPC changes, and its
alarm, cannot change whether unauthorized calls are monitored. The chain's resources are found one resource at a
time, each built in every combination of its own conditions (`variants_of`, from the builder).
"""

from __future__ import annotations

from typing import AbstractSet, Any, Callable, List, Mapping, Optional, Set

from trailguard.cloudformation.conditions import conditions_used
from trailguard.cloudformation.intrinsics import clean, function_call
from trailguard.model import Alarm, MetricFilter, Resource, is_unknown
from trailguard.rules.membership import classification

# (logical id, body) -> the resource as each combination of its own conditions builds it; None when unexplorable.
Variants = Callable[[str, Mapping[str, Any]], Optional[List[Resource]]]


def conditions_of(body: Mapping[str, Any], reads: Mapping[str, AbstractSet[str]]) -> Set[str]:
    """The conditions that decide whether a resource exists or what trailguard reads of it (`reads`: the
    properties read per resource type; all of them when the whole of Properties is conditional)."""
    properties = clean(body.get("Properties"))
    if isinstance(properties, dict) and function_call(properties) is None:
        read = reads.get(str(body.get("Type")), frozenset(properties))
        found = set().union(*(conditions_used(properties.get(name)) for name in read))
    else:
        found = conditions_used(properties)
    if isinstance(body.get("Condition"), str):
        found.add(body["Condition"])
    return found


_ANY_METRIC = object()


def _belongs_to_chain(metric_filter: MetricFilter) -> bool:
    try:
        return is_unknown(metric_filter.pattern) or classification(metric_filter).control is not None
    except Exception:  # noqa: BLE001 - when in doubt, the filter is on the chain
        return True


def _metric_names(metric_filter: MetricFilter) -> Set[object]:
    """The metric names an alarm may watch to be this filter's alarm (its metrics, and its name, a common slip)."""
    names: Set[object] = {metric_filter.name}
    if is_unknown(metric_filter.transformations):
        return {_ANY_METRIC}
    names.update(t.metric_name if isinstance(t.metric_name, str) else _ANY_METRIC
                 for t in metric_filter.transformations)
    return names


def _watches(alarm: Alarm, names: Set[object]) -> bool:
    stats = ([alarm.metric] if alarm.metric is not None else []) + [query.stat for query in alarm.queries if query.stat]
    return _ANY_METRIC in names or any(not isinstance(stat.metric_name, str) or stat.metric_name in names
                                       for stat in stats)


def chain_resources(resources: Mapping[str, Mapping[str, Any]], variants_of: Variants) -> Set[str]:
    """The resources whose conditions are explored: every trail, log group, topic and subscriber, the metric
    filters that belong to the unauthorized-calls control in some combination of their own conditions, and the
    alarms that watch one of their metrics. Other filters and alarms (optional features of a landing zone) cannot
    change a verdict, so their conditions do not multiply the branches; they are modelled as deployed with the
    parameters' defaults. Whatever cannot be explored on its own is kept on the chain."""
    built = {logical_id: variants_of(logical_id, body) for logical_id, body in resources.items()}
    chain = {logical_id for logical_id, variants in built.items()
             if variants is None or not any(isinstance(variant, (MetricFilter, Alarm)) for variant in variants)}
    names: Set[object] = {_ANY_METRIC} if any(built[logical_id] is None for logical_id in chain) else set()
    for logical_id, variants in built.items():
        filters = [variant for variant in variants or [] if isinstance(variant, MetricFilter)]
        if any(_belongs_to_chain(variant) for variant in filters):
            chain.add(logical_id)
            names.update(*(_metric_names(variant) for variant in filters))
    for logical_id, variants in built.items():
        if any(_watches(variant, names) for variant in variants or [] if isinstance(variant, Alarm)):
            chain.add(logical_id)
    return chain
