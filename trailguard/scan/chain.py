"""Arrange results as the chain the control needs, per deployment unit:
trail -> metric filter -> alarm -> SNS topic, each link with the check that proves it, then the whole chain.

What a unit may claim (docs/rules.md, "Scope, and what a report may claim"): the chain holds only where TG_AWS_4
passed. A unit without a trail proves the filter and alarm checks only ("not proven here: no trail in this unit"),
and an advisory failure (TG_AWS_5, severity LOW) is a warning unless the user asks to fail on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from trailguard.catalog import CHECKS
from trailguard.findings import read_citation
from trailguard.scan.inventory import Declared
from trailguard.scan.results import FAILED, PASSED, SKIPPED, Result

# The rows of a unit's report, in chain order; the whole chain has its own row after the links it joins.
ROWS = ("trail", "filter", "alarm", "topic", "chain")
# (row, check) for every check the catalog declares (`Check.link`), in row order.
LINKS: Tuple[Tuple[str, str], ...] = tuple(
    (check.link, check.id) for check in sorted(CHECKS.values(), key=lambda check: ROWS.index(check.link)))
NO_TRAIL = "not proven here: no trail in this unit"
MISSING = {
    "trail": NO_TRAIL,
    "filter": "no unauthorized-API-calls metric filter in this unit",
    "alarm": "no unauthorized-API-calls metric filter in this unit, so no alarm to judge",
    "topic": "no SNS topic is an alarm action of an alarm on an unauthorized-API-calls filter",
    "chain": "no trail in this unit, so no chain to judge",
}
SEVERITIES = ("LOW", "MEDIUM", "HIGH")
DEFAULT_FAIL_ON = "MEDIUM"  # TG_AWS_5 (LOW) is advisory: shown, not failing, unless asked
# A unit's verdict on the control, beside the worst result of its checks.
PROVEN, NOT_PROVEN, WARNING = "PROVEN", "NOT PROVEN", "WARNING"


def blocks(result: Result, fail_on: str = DEFAULT_FAIL_ON) -> bool:
    """Whether a result fails the scan: a failure of a check at least as severe as the threshold."""
    check = CHECKS.get(result.check_id)
    severity = check.severity if check else "HIGH"
    return result.failed and SEVERITIES.index(severity) >= SEVERITIES.index(fail_on)


@dataclass
class Link:
    name: str
    check_id: str
    results: List[Result]
    fail_on: str = DEFAULT_FAIL_ON

    @property
    def status(self) -> str:
        return _worst(self.results, self.fail_on) if self.results else ""


@dataclass
class UnitChain:
    name: str
    kind: str
    links: List[Link]
    fail_on: str = DEFAULT_FAIL_ON
    declared: Optional[Declared] = field(default=None, repr=False)

    @property
    def results(self) -> List[Result]:
        return [result for link in self.links for result in link.results]

    @property
    def status(self) -> str:
        """The worst result of the checks that ran (an advisory failure not asked to fail is a WARNING)."""
        return _worst(self.results, self.fail_on)

    @property
    def proven(self) -> bool:
        """Whether some trail of this unit proves the control: its TG_AWS_4 passed."""
        return any(r.check_id == "TG_AWS_4" and r.result == PASSED for r in self.results)

    @property
    def has_trail(self) -> bool:
        return any(r.check_id in ("TG_AWS_1", "TG_AWS_4") for r in self.results) or bool(
            self.declared and self.declared.count("trail"))

    def note(self) -> str:
        """What the unit leaves unproven, in words, or "" when its chain holds or it fails anyway."""
        if self.proven or self.status in (FAILED, SKIPPED):
            return ""
        if not self.has_trail:
            found = self._found()
            return NO_TRAIL + (f" ({found})" if found else "")
        return "no result from the scanners for its trail(s), so nothing is proven"

    def _found(self) -> str:
        """What a unit without a trail does hold, when no unauthorized-calls filter was judged in it."""
        if any(r.check_id == "TG_AWS_2" for r in self.results):
            return "it proves the filter and alarm checks only"
        if self.declared is None or not self.declared.anything:
            return ""
        filters = self.declared.count("metric filter")
        return f"found {self.declared.describe()}" + (", none about unauthorized API calls" if filters else "")


def _worst(results: Sequence[Result], fail_on: str) -> str:
    found = {WARNING if result.failed and not blocks(result, fail_on) else result.result for result in results}
    for status in (FAILED, SKIPPED, WARNING):
        if status in found:
            return status
    return PASSED


def distinct_reasons(result: Result) -> List[str]:
    """A result's reasons without those that only join others: cfn-lint gives one message per finding, its lines
    joined by "; ", where Checkov gives the lines themselves, and the merged result holds both."""
    return [reason for reason in result.reasons if not _joins(reason, [r for r in result.reasons if r != reason])]


def _joins(reason: str, others: Sequence[str]) -> bool:
    """Whether `reason` is two or more of `others`, in their order, joined by "; "."""
    rest, parts = reason, 0
    for other in others:
        if rest == other or rest.startswith(other + "; "):
            rest, parts = rest[len(other) + 2:], parts + 1
            if not rest:
                return parts > 1
    return False


def own_reasons(result: Result, unit: UnitChain) -> List[str]:
    """The whole-chain result's reasons minus those another row already shows failing: the same reason, or the cause
    a reason cites (TG_AWS_4's reason about filter X cites R, which TG_AWS_2 already said). A skipped row shows no
    reasons, so its causes stay here; when nothing is left, a line names the rows that show the causes."""
    rows = [(link.name, other) for link in unit.links for other in link.results if other is not result and other.failed]
    own, cited = [], []
    for reason in distinct_reasons(result):
        citation = read_citation(reason)
        said = {reason} | ({citation.causes[0].words} if citation is not None else set())
        citing = [f"{name} {other.resource} [{other.check_id}]" for name, other in rows
                  if said.intersection(other.reasons)]
        if citing:
            cited += [row for row in citing if row not in cited]
        else:
            own.append(reason)
    own += _skipped_on_the_path(result, unit)
    return own or ([f"the causes are shown above, on {', '.join(cited)}"] if cited else [])


def _skipped_on_the_path(result: Result, unit: UnitChain) -> List[str]:
    """A link the chain breaks at whose own check is skipped: the skip silences that row, not the control, so the
    chain row says so (the break names the check, "(TG_AWS_2)", and the resource or its trail)."""
    text = " ".join(result.reasons)
    return [f"the {link.name} check of {other.resource} is skipped here ({other.skip_reason or 'no reason given'}); "
            "a skip does not prove the link, so the chain still breaks: fix the link, or skip TG_AWS_4 with the reason"
            for link in unit.links for other in link.results
            if other.result == SKIPPED and other.check_id != result.check_id and f"({other.check_id})" in text
            and (other.resource in text or other.resource == result.resource)]


def units(results: Sequence[Result], declared: Optional[Dict[str, Declared]] = None,
          fail_on: str = DEFAULT_FAIL_ON) -> List[UnitChain]:
    """The deployment units in name order, each with its links in chain order; units the scanners reported nothing
    for but that declare trails, filters, alarms or topics are included (with no results), so nothing vanishes."""
    grouped: Dict[str, List[Result]] = {}
    for result in results:
        grouped.setdefault(result.unit, []).append(result)
    declared = declared or {}
    kinds = {name: members[0].kind for name, members in grouped.items()}
    kinds.update({name: unit.kind for name, unit in declared.items() if name not in grouped and unit.in_scope})
    return [UnitChain(name, kind, [Link(link, check_id, [r for r in grouped.get(name, []) if r.check_id == check_id],
                                   fail_on) for link, check_id in LINKS], fail_on, declared.get(name))
            for name, kind in sorted(kinds.items())]
