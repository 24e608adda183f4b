"""Which other units hold a trail's log group, and which of those links are proven.

docs/rules.md, "Scope": links are followed across units only on proof that both deploy to the same account and
region, or on a link the user declares; never by a name that merely matches. A unit that holds a log group of the
same name without such proof is a candidate: the trail's chain still fails closed, and its reason names the unit and
how to prove or declare the link.

Where the log group lives: the account and region of the trail's literal log group ARN (CloudTrail delivers only to
a log group in the trail's own account, so `${AWS::AccountId}` and `${AWS::Region}` are the trail unit's own), or,
when the trail references a log group of its own unit, where that unit deploys.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from trailguard.model import Model, Ref, Trail
from trailguard.units.declared import Declarations, DeclaredLink
from trailguard.units.unit import Unit

_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")
_OWN = {"${AWS::AccountId}": "\x01", "${AWS::Region}": "\x02", "${AWS::Partition}": "aws"}
HOW_TO_LINK = ("to link them, state where both units deploy (a provider's allowed_account_ids or assume_role, and "
               "region; for a template, a StackSet or `targets:`), or declare the link under `links:` in "
               ".trailguard.yaml ({declaration}, with a reason)")


@dataclass(frozen=True)
class Place:
    """Where a trail's log group lives, and what says so (account or region None when nothing does)."""

    account: Optional[str]
    region: Optional[str]
    by: str


@dataclass(frozen=True)
class Link:
    """A proven (or declared) link from a trail to the log group, filters and alarms of another unit."""

    unit: Unit
    log_group: str
    how: str

    def describe(self) -> str:
        return f"filters and alarms on log group {self.log_group} in unit {self.unit.name}, {self.how}"


@dataclass(frozen=True)
class Candidate:
    """A unit holding a log group of the trail's log group's name, without proof that it is the same one."""

    unit: Unit
    log_group: str
    why: str


def _single(values: frozenset) -> Optional[str]:
    return next(iter(values)) if len(values) == 1 else None


def place_of(trail: Trail, model: Model, home: Unit) -> Place:
    target = home.target
    arn = trail.log_group_arn
    if arn is None:
        own = isinstance(trail.log_group, Ref) and trail.log_group.resource in model.log_groups
        by = f"the trail's own log group, where its unit deploys by {target.evidence()}"
        return Place(_single(target.accounts), _single(target.regions), by) if own else Place(None, None, "")
    for placeholder, token in _OWN.items():
        arn = arn.replace(placeholder, token)
    fields = _PLACEHOLDER.sub("\x00", arn).split(":")
    if len(fields) < 6 or fields[0] != "arn" or fields[2] != "logs":
        return Place(None, None, "")
    account = _single(target.accounts) if fields[4] == "\x01" else fields[4]
    region = _single(target.regions) if fields[3] == "\x02" else fields[3]
    by = "the trail's log group ARN" + (f", in its unit's own account or region by {target.evidence()}"
                                        if "\x01" in fields[3:5] or "\x02" in fields[3:5] else "")
    return Place(account if account and "\x00" not in account else None,
                 region if region and "\x00" not in region else None, by)


def log_group_name(trail: Trail, model: Model) -> Optional[str]:
    """The literal name of the trail's log group, or None."""
    ref = trail.log_group
    if not isinstance(ref, Ref):
        return None
    name = model.log_groups[ref.resource].name if ref.resource in model.log_groups else ref.name
    return name if isinstance(name, str) else None


def holds(unit: Unit, name: str) -> bool:
    """Whether a unit creates a log group of this name, or puts metric filters on one."""
    for model in unit.models:
        if any(group.name == name for group in model.log_groups.values()):
            return True
        for metric_filter in model.filters.values():
            ref = metric_filter.log_group
            if isinstance(ref, Ref) and (ref.name == name or (ref.resource in model.log_groups and
                                                              model.log_groups[ref.resource].name == name)):
                return True
    return False


def _declared(declarations: Declarations, home: Unit, trail: Trail) -> List[DeclaredLink]:
    return [link for link in declarations.links if link.trail_unit == home.path.resolve() and link.trail == trail.id]


def declaration_hint(base: Path, home: Unit, trail_id: str, unit: Unit, name: str) -> str:
    """The `links:` entry that would declare a link, with unit paths relative to `base` (the configuration's
    directory)."""
    return (f"trail-unit: {os.path.relpath(home.path, base)}, trail: {trail_id}, monitoring-unit: "
            f"{os.path.relpath(unit.path, base)}, log-group: {name}")


def _why_not(place: Place, unit: Unit) -> str:
    if place.account is None or place.region is None:
        return ("nothing states the account and region of the trail's log group (write its ARN literally, or state "
                "where the trail's unit deploys)")
    if not unit.target.known:
        return "it states no account and region it deploys to"
    return (f"the trail's log group is in account {place.account}, region {place.region} ({place.by}), but it "
            f"deploys to {unit.target.describe()}")


def links_of(trail: Trail, model: Model, home: Unit, units: Sequence[Unit], declarations: Declarations,
             candidates_wanted: int = 4) -> Tuple[List[Link], List[Candidate]]:
    """The proven links of a trail to other units, and up to `candidates_wanted` candidates left unproven.

    Only the units a link could be proven with are modelled (they deploy where the log group is, or a declaration
    names them); a candidate is looked for only in units whose files mention the log group's name, since it is
    only a lead for the reason, never a proof."""
    links: List[Link] = []
    candidates: List[Candidate] = []
    declared = _declared(declarations, home, trail)
    name = log_group_name(trail, model)
    for link in declared:
        unit = next((unit for unit in units if unit.path.resolve() == link.monitoring_unit), None)
        if unit is not None and unit is not home and (name is None or name == link.log_group):
            links.append(Link(unit, link.log_group, f"declared in {declarations.source}: {link.reason}"))
    if name is None:
        return links, candidates
    place = place_of(trail, model, home)
    linked = {link.unit.name for link in links}
    for unit in units:
        if unit is home or unit.name in linked:
            continue
        if place.account and place.region and unit.target.holds(place.account, place.region):
            if holds(unit, name):
                how = (f"same account {place.account} and region {place.region} (log group: {place.by}; unit "
                       f"{unit.name}: {unit.target.evidence()})")
                links.append(Link(unit, name, how))
        elif len(candidates) < candidates_wanted and unit.mentions(name) and holds(unit, name):
            candidates.append(Candidate(unit, name, _why_not(place, unit)))
    return links, candidates
