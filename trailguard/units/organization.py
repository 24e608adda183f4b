"""Organization trails that cover other units' accounts.

An organization trail (`is_organization_trail`, `IsOrganizationTrail`) logs the events of the management account and
of every member account, and delivers them to the CloudWatch Logs group named in the trail, which lives in the
trail's own account (CloudTrail delivers only to a log group of the account that owns the trail, and the management
account owns organization trails, even those a delegated administrator creates) and its home region. So the metric
filters and alarms that prove the chain for a member account are those of the trail's unit (or the units linked to
it), and a member account's unit with no trail of its own is covered by that chain (docs/cross-unit.md cites AWS).

Which accounts belong to the organization is not in the files: the configuration declares it (`organization:`), and
the trail's unit must deploy to its management account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from trailguard.model import Trail
from trailguard.units.declared import Declarations
from trailguard.units.unit import Unit


@dataclass(frozen=True)
class Cover:
    """An organization trail covering a unit's account."""

    trail: Trail
    home: Unit
    why: str

    def describe(self) -> str:
        return f"covered by organization trail {self.trail.id} (unit {self.home.name})"


def _single(values: frozenset) -> Optional[str]:
    return next(iter(values)) if len(values) == 1 else None


def organization_trails(units: Sequence[Unit]) -> List[Tuple[Trail, Unit]]:
    """(trail, unit) for every trail that is an organization trail by a literal `true`."""
    return [(trail, unit) for unit in units if unit.has_trail for model in unit.models
            for trail in model.trails.values() if trail.organization is True]


def coverage(units: Sequence[Unit], declarations: Declarations) -> Dict[str, List[Cover]]:
    """The organization trails that cover each unit without a trail of its own, by unit name."""
    organization = declarations.organization
    if organization is None:
        return {}
    found: Dict[str, List[Cover]] = {}
    seen = set()
    for trail, home in organization_trails(units):
        management = _single(home.target.accounts)
        if (trail.id, home.name) in seen or management is None or organization.management_account not in (
                None, management):
            continue
        seen.add((trail.id, home.name))
        for unit in units:
            account = _single(unit.target.accounts)
            if unit is home or account is None or unit.has_trail or not (
                    account == management or account in organization.member_accounts):
                continue
            why = (f"account {account} ({unit.target.account_by}) belongs to the organization declared in "
                   f"{declarations.source}, whose organization trail in management account {management} "
                   f"({home.target.account_by}) logs its events to its log group there")
            found.setdefault(unit.name, []).append(Cover(trail, home, why))
    return found
