"""Which metric filters sit on a trail's log group: the link the chain follows by reference or by name."""

from __future__ import annotations

from typing import List, Optional, Tuple

from trailguard.findings import Reason
from trailguard.model import MetricFilter, Model, Ref, Unknown, is_unknown
from trailguard.rules.reasons import FILTER_LOG_GROUP_UNRESOLVED, SAME_LOG_GROUP_UNDECIDED


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


def filters_on(model: Model, log_group: Ref) -> Tuple[List[MetricFilter], List[Tuple[MetricFilter, Reason]]]:
    """The filters on a log group, and the filters that might be on it, each with what keeps trailguard from
    telling (an unresolved log group name or link)."""
    found: List[MetricFilter] = []
    undecided: List[Tuple[MetricFilter, Reason]] = []
    for metric_filter in model.filters.values():
        link = metric_filter.log_group
        if is_unknown(link):
            undecided.append((metric_filter, FILTER_LOG_GROUP_UNRESOLVED(filter=metric_filter.id,
                                                                         unknown=link.describe())))
        elif link is not None:
            same = same_log_group(model, log_group, link)
            if same:
                found.append(metric_filter)
            elif same is None:
                unknown = _unresolved_name(model, log_group, link).describe()
                undecided.append((metric_filter, SAME_LOG_GROUP_UNDECIDED(filter=metric_filter.id, unknown=unknown)))
    return found, undecided
