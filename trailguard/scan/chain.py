"""Arrange results as the chains the controls need, per deployment unit:
trail -> metric filter -> alarm -> SNS topic, each link with the check that proves it, then one whole chain per
selected control and trail (TG_AWS_4, TG_AWS_6 ... TG_AWS_19).

What a unit may claim (docs/rules.md, "Scope, and what a report may claim"): a control's chain holds only where its
chain check passed. A unit without a trail proves the filter and alarm checks only ("not proven here: no trail in this
unit"), and an advisory failure (TG_AWS_5, severity LOW) is a warning unless the user asks to fail on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from trailguard.catalog import CHECKS
from trailguard.findings import read_citation
from trailguard.scan.inventory import Declared
from trailguard.scan.results import FAILED, PASSED, SKIPPED, Result
from trailguard.scan.selection import CHAIN_CHECK, EVERY_CONTROL

# The rows of a unit's report, in chain order; the whole chains have their own row after the links they join.
ROWS = ("trail", "filter", "alarm", "topic", "chain")
# (row, its checks) in row order: one check on each link, every control's chain check on the chain row.
LINKS: Tuple[Tuple[str, Tuple[str, ...]], ...] = tuple(
    (row, tuple(check.id for check in CHECKS.values() if check.link == row)) for row in ROWS)
NO_TRAIL = "not proven here: no trail in this unit"
MISSING = {
    "trail": NO_TRAIL,
    "filter": "no metric filter of a CIS monitoring control in this unit",
    "alarm": "no metric filter of a CIS monitoring control in this unit, so no alarm to judge",
    "topic": "no SNS topic is an alarm action of an alarm on a monitoring metric filter",
    "chain": "no trail in this unit, so no chain to judge",
}
SEVERITIES = ("LOW", "MEDIUM", "HIGH")
DEFAULT_FAIL_ON = "MEDIUM"  # TG_AWS_5 (LOW) is advisory: shown, not failing, unless asked
# A control's verdict in a unit or a scan, and a unit's verdict beside the worst result of its checks.
PROVEN, NOT_PROVEN, WARNING = "PROVEN", "NOT PROVEN", "WARNING"


def blocks(result: Result, fail_on: str = DEFAULT_FAIL_ON) -> bool:
    """Whether a result fails the scan: a failure of a check at least as severe as the threshold."""
    check = CHECKS.get(result.check_id)
    severity = check.severity if check else "HIGH"
    return result.failed and SEVERITIES.index(severity) >= SEVERITIES.index(fail_on)


@dataclass
class Link:
    name: str
    check_ids: Tuple[str, ...]
    results: List[Result]
    fail_on: str = DEFAULT_FAIL_ON

    @property
    def status(self) -> str:
        return worst(self.results, self.fail_on) if self.results else ""


@dataclass
class UnitChain:
    """One deployment unit's results by link, and the controls the scan must prove (`controls`, slugs)."""

    name: str
    kind: str
    links: List[Link]
    fail_on: str = DEFAULT_FAIL_ON
    declared: Optional[Declared] = field(default=None, repr=False)
    controls: Tuple[str, ...] = EVERY_CONTROL

    @property
    def results(self) -> List[Result]:
        return [result for link in self.links for result in link.results]

    @property
    def status(self) -> str:
        """The worst result of the checks that ran (an advisory failure not asked to fail is a WARNING)."""
        return worst(self.results, self.fail_on)

    def chain_results(self, control: str) -> List[Result]:
        """The chain check's results for one control, one per trail."""
        return [result for result in self.links[-1].results if result.check_id == CHAIN_CHECK[control]]

    def proves(self, control: str) -> bool:
        """Whether some trail of this unit proves the control: its chain check passed."""
        return any(result.result == PASSED for result in self.chain_results(control))

    def control_status(self, control: str) -> str:
        """FAILED when a trail's chain check fails, else PROVEN when one passed, SKIPPED, or NOT PROVEN."""
        results = self.chain_results(control)
        if any(blocks(result, self.fail_on) for result in results):
            return FAILED
        if self.proves(control):
            return PROVEN
        return SKIPPED if any(result.result == SKIPPED for result in results) else NOT_PROVEN

    @property
    def proven(self) -> bool:
        """Whether the unit proves every selected control."""
        return all(self.proves(control) for control in self.controls)

    @property
    def has_trail(self) -> bool:
        return any(r.check_id == "TG_AWS_1" for r in self.results) or bool(self.links[-1].results) or bool(
            self.declared and self.declared.count("trail"))

    def trails(self) -> List[Tuple[str, Dict[str, Result]]]:
        """Each trail with a chain result, in the order reported, with its chain results by check id."""
        by_trail: Dict[str, Dict[str, Result]] = {}
        for result in self.links[-1].results:
            by_trail.setdefault(result.resource, {})[result.check_id] = result
        return list(by_trail.items())

    def note(self) -> str:
        """What the unit leaves unproven, in words, or "" when every chain holds or it fails anyway."""
        if self.proven or self.status in (FAILED, SKIPPED):
            return ""
        if not self.has_trail:
            found = self._found()
            return NO_TRAIL + (f" ({found})" if found else "")
        unjudged = [control for control in self.controls if not self.chain_results(control)]
        return (f"no chain result from the scanners for {_controls(unjudged)} on its trail(s), so "
                f"{'it is' if len(unjudged) == 1 else 'they are'} not proven here")

    def _found(self) -> str:
        """What a unit without a trail does hold, when none of its filters was judged."""
        if any(r.check_id == "TG_AWS_2" for r in self.results):
            return "it proves the filter and alarm checks only"
        if self.declared is None or not self.declared.anything:
            return ""
        filters = self.declared.count("metric filter")
        return f"found {self.declared.describe()}" + (", none of a CIS monitoring control" if filters else "")


def _controls(slugs: Sequence[str]) -> str:
    """"root-usage (TG_AWS_7)", or a count with the first few when there are many."""
    named = [f"{slug} ({CHAIN_CHECK[slug]})" for slug in slugs]
    return ", ".join(named) if len(named) <= 3 else f"{len(named)} controls ({', '.join(named[:3])}, ...)"


def worst(results: Sequence[Result], fail_on: str) -> str:
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
    """A chain result's reasons minus those a link row already shows failing: the same reason, or the cause a reason
    cites (TG_AWS_4's reason about filter X cites R, which TG_AWS_2 already said). Other controls' chain results are
    not link rows (they may fail for the same reason, and neither may point at the other). A skipped row shows no
    reasons, so its causes stay here; when nothing is left, a line names the rows that show the causes."""
    rows = [(link.name, other) for link in unit.links[:-1] for other in link.results if other.failed]
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
            f"a skip does not prove the link, so the chain still breaks: fix the link, or skip {result.check_id} "
            "with the reason"
            for link in unit.links[:-1] for other in link.results
            if other.result == SKIPPED and f"({other.check_id})" in text
            and (other.resource in text or other.resource == result.resource)]


def units(results: Sequence[Result], declared: Optional[Dict[str, Declared]] = None,
          fail_on: str = DEFAULT_FAIL_ON, controls: Sequence[str] = EVERY_CONTROL) -> List[UnitChain]:
    """The deployment units in name order, each with its links in chain order (a chain row's results by trail, then
    in CIS order); units the scanners reported nothing for but that declare trails, filters, alarms or topics are
    included (with no results), so nothing vanishes. `controls` are the slugs the scan must prove."""
    grouped: Dict[str, List[Result]] = {}
    for result in results:
        grouped.setdefault(result.unit, []).append(result)
    declared = declared or {}
    kinds = {name: members[0].kind for name, members in grouped.items()}
    kinds.update({name: unit.kind for name, unit in declared.items() if name not in grouped and unit.in_scope})
    return [UnitChain(name, kind, [Link(row, ids, _in_order([r for r in grouped.get(name, []) if r.check_id in ids],
                                                            ids), fail_on)
                                   for row, ids in LINKS], fail_on, declared.get(name), tuple(controls))
            for name, kind in sorted(kinds.items())]


def _in_order(results: List[Result], check_ids: Tuple[str, ...]) -> List[Result]:
    """Results by resource (in the order first reported), then in catalog order."""
    resources = list(dict.fromkeys(result.resource for result in results))
    return sorted(results, key=lambda result: (resources.index(result.resource), check_ids.index(result.check_id)))
