"""Which resources the chain's verdicts depend on, so that only their conditions multiply the branches.

A landing-zone template toggles a dozen optional alarms with a parameter each; exploring every combination would be
thousands of branches, although a filter about root usage and its alarm cannot change whether VPC changes are
monitored. So each control's chain is a scope of its own, explored alone, and a filter of no control is on none.
The chain's resources are found one resource at a time, each built in every combination of its own conditions
(`variants_of`, from the builder).
"""

from __future__ import annotations

from typing import AbstractSet, Any, Callable, Dict, List, Mapping, Optional, Set

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
SHARED = ""  # the scope key of what every control's chain reads: trails, log groups, topics, subscribers


def _control_of(metric_filter: MetricFilter) -> Optional[str]:
    """The slug of the control the filter belongs to; SHARED when it may be any control's (an unresolved pattern,
    or classifying failed: when in doubt, the filter is on every chain); None when it belongs to none."""
    try:
        if is_unknown(metric_filter.pattern):
            return SHARED
        control = classification(metric_filter).control
    except Exception:  # noqa: BLE001 - when in doubt, the filter is on the chain
        return SHARED
    return control.slug if control is not None else None


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


def chain_scopes(resources: Mapping[str, Mapping[str, Any]], variants_of: Variants) -> List[Set[str]]:
    """The resources whose conditions are explored, one scope per control: what every chain reads (every trail, log
    group, topic and subscriber, and whatever cannot be explored on its own), with the metric filters of one control
    (in some combination of their own conditions) and the alarms that watch one of their metrics.

    Each control's verdicts depend only on its own scope, so the branches of the scopes add up instead of
    multiplying: a landing zone whose fourteen optional alarms each have a toggle gives fifteen branches, not
    2^14. Filters and alarms of no control cannot change a verdict, so their conditions are not explored; they are
    modelled as deployed with the parameters' defaults."""
    built = {logical_id: variants_of(logical_id, body) for logical_id, body in resources.items()}
    shared = {logical_id for logical_id, variants in built.items()
              if variants is None or not any(isinstance(variant, (MetricFilter, Alarm)) for variant in variants)}
    names: Dict[str, Set[object]] = {SHARED: {_ANY_METRIC} if any(built[i] is None for i in shared) else set()}
    scopes: Dict[str, Set[str]] = {}
    for logical_id, variants in built.items():
        filters = [variant for variant in variants or [] if isinstance(variant, MetricFilter)]
        controls = {_control_of(variant) for variant in filters} - {None}
        if controls:
            key = next(iter(controls)) if len(controls) == 1 else SHARED
            (shared if key == SHARED else scopes.setdefault(key, set())).add(logical_id)
            names.setdefault(key, set()).update(*(_metric_names(variant) for variant in filters))
    for logical_id, variants in built.items():
        alarms = [variant for variant in variants or [] if isinstance(variant, Alarm)]
        for key, watched in names.items():
            if any(_watches(alarm, watched) for alarm in alarms):
                (shared if key == SHARED else scopes.setdefault(key, set())).add(logical_id)
    return [shared | scope for scope in scopes.values()] or [shared]
