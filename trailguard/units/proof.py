"""The chain checks of a trail judged on its unit joined with the units it is linked to: the same rules
(`trailguard.rules.analysis.analyse`, all checks) on one model. Every deployable combination of the units' branches
is judged, and the trail's chain holds only if it holds in every one."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from trailguard.catalog import CHECKS
from trailguard.findings import FAILED, PASSED, finding_lines
from trailguard.model import Trail
from trailguard.rules.analysis import analyse
from trailguard.units.join import joined
from trailguard.units.links import Link
from trailguard.units.unit import Unit

CHAIN_CHECKS = tuple(check.id for check in CHECKS.values() if check.chain_control is not None)


@dataclass
class Verdict:
    check_id: str
    result: str = PASSED
    reasons: List[str] = field(default_factory=list)


def joined_verdicts(trail: Trail, home: Unit, links: Sequence[Link],
                    cis_version: Optional[str] = None) -> Dict[str, Verdict]:
    """Each chain check's verdict on `trail`, judged with the linked units' log groups, filters, alarms and topics."""
    verdicts: Dict[str, Verdict] = {}
    homes = [model for model in home.models if trail.id in model.trails]
    if not homes or any(not link.unit.models for link in links):
        return verdicts  # nothing to judge is no verdict, never a pass
    for home_model, *others in itertools.product(homes, *(link.unit.models for link in links)):
        model = joined(home_model, [(link.unit.name, other) for link, other in zip(links, others)])
        for finding in analyse(model, cis_version):
            if finding.check_id not in CHAIN_CHECKS or finding.resource.id != trail.id:
                continue
            verdict = verdicts.setdefault(finding.check_id, Verdict(finding.check_id))
            if finding.passed:
                continue
            verdict.result = FAILED
            prefix = f"[{model.branch}] " if model.branch else ""
            verdict.reasons += [prefix + line for line in finding_lines(model, finding)
                                if prefix + line not in verdict.reasons]
    return verdicts
