"""Arrange results as the chain the control needs, per deployment unit:
trail -> log group -> metric filter -> alarm -> SNS topic, each link with the check that proves it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from trailguard.scan.findings import FAILED, PASSED, SKIPPED, Result

# (link, check): TG_AWS_4 is the trail's whole chain; shown at the log group, where the trail's own checks end and
# the search for a monitored filter begins.
LINKS: Tuple[Tuple[str, str], ...] = (
    ("trail", "TG_AWS_1"), ("log group", "TG_AWS_4"), ("filter", "TG_AWS_2"), ("alarm", "TG_AWS_3"),
    ("topic", "TG_AWS_5"),
)
MISSING = {
    "trail": "no CloudTrail trail in this unit",
    "log group": "no CloudTrail trail in this unit, so no log group to follow",
    "filter": "no unauthorized-API-calls metric filter in this unit",
    "alarm": "no unauthorized-API-calls metric filter in this unit, so no alarm to judge",
    "topic": "no topic is notified by a working alarm of an unauthorized-API-calls filter",
}


@dataclass
class Link:
    name: str
    check_id: str
    results: List[Result]

    @property
    def status(self) -> str:
        return _worst(result.result for result in self.results) if self.results else ""


@dataclass
class Unit:
    name: str
    kind: str
    links: List[Link]

    @property
    def results(self) -> List[Result]:
        return [result for link in self.links for result in link.results]

    @property
    def status(self) -> str:
        return _worst(result.result for result in self.results)


def _worst(results) -> str:
    found = set(results)
    return FAILED if FAILED in found else SKIPPED if SKIPPED in found else PASSED


def own_reasons(result: Result, others: Sequence[Result]) -> List[str]:
    """The whole-chain result's reasons minus those that only repeat another link's (TG_AWS_4 says "filter X: R"
    where TG_AWS_2 already said R)."""
    shown = [reason for other in others if other is not result for reason in other.reasons]
    return [reason for reason in result.reasons if not any(reason.endswith(other) for other in shown)]


def units(results: Sequence[Result]) -> List[Unit]:
    """The deployment units in name order, each with its five links in chain order."""
    grouped: Dict[str, List[Result]] = {}
    for result in results:
        grouped.setdefault(result.unit, []).append(result)
    return [Unit(name, members[0].kind,
                 [Link(link, check_id, [r for r in members if r.check_id == check_id]) for link, check_id in LINKS])
            for name, members in sorted(grouped.items())]
