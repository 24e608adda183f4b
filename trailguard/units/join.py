"""One model from several units: the trail's unit as it is, and each linked unit's resources renamed
`ID (unit NAME)`, so ids stay unique, every reason says which unit a filter or alarm lives in, and links by reference
stay inside the unit that wrote them."""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import Any, Callable, Sequence, Tuple

from trailguard.model import Model, Ref, Resource


def renamed_id(resource_id: str, unit: str) -> str:
    return f"{resource_id} (unit {unit})"


def _renamed(value: Any, rename: Callable[[str], str]) -> Any:
    """A value with every resource id in it (a resource's own, a `Ref`'s target) renamed."""
    if isinstance(value, Ref):
        return replace(value, resource=rename(value.resource)) if value.resource is not None else value
    if isinstance(value, tuple):
        return tuple(_renamed(item, rename) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {item.name: _renamed(getattr(value, item.name), rename) for item in fields(value)}
        if isinstance(value, Resource):
            changes["id"] = rename(value.id)
        return replace(value, **changes)
    return value


def _monitoring(model: Model) -> Sequence[Resource]:
    """What a unit lends to another unit's trail: everything but its own trails."""
    return [resource for table in (model.log_groups, model.filters, model.alarms, model.topics, model.subscriptions)
            for resource in table.values()]


def joined(home: Model, others: Sequence[Tuple[str, Model]]) -> Model:
    """`home` (the trail's unit) with the log groups, filters, alarms and topics of `others` (each a linked unit's
    name and model) added under renamed ids."""
    model = Model(home.framework, unit=home.unit, branch="; ".join(filter(None, [home.branch] + [
        other.branch for _, other in others])), blind_spots=list(home.blind_spots))
    for resource in list(home.trails.values()) + list(_monitoring(home)):
        model.add(resource)
    for unit, other in others:
        model.blind_spots.extend(f"unit {unit}: {spot}" for spot in other.blind_spots)
        for resource in _monitoring(other):
            model.add(_renamed(resource, lambda resource_id, u=unit: renamed_id(resource_id, u)))
    return model
