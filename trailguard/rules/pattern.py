"""TG_AWS_2: the filter's pattern counts exactly the events of the control it belongs to, and AWS would accept it
(docs/checks/TG_AWS_2.md). The judge (`trailguard.pattern`) decides; this turns its verdict into reasons, each
counterexample event kept as the reason's evidence, and says which control the filter was judged for and why.

Two filters on one log group may split a control's events between them (docs/rules.md, "Several filters, one
control"): a miss that the filter's siblings count is no miss of the pair, so it is not held against either.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import List, Sequence, Tuple

from trailguard.controls import judge_together
from trailguard.controls.control import Control
from trailguard.controls.security_hub import security_hub_note
from trailguard.findings import Finding, Reason
from trailguard.model import MetricFilter, Model, is_unknown
from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.judge import Verdict
from trailguard.pattern.judge import judge as judge_target
from trailguard.pattern.parser import parse
from trailguard.pattern.target import Target
from trailguard.pattern.verdict import FAIL, INVALID, MISS_KINDS, PASS
from trailguard.rules.links import same_log_group
from trailguard.rules.membership import classification, control_of, monitoring_filters
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import (
    BELONGS_TO,
    CANONICAL_PATTERN,
    CONTROL_NOTE,
    COUNTEREXAMPLE,
    COVERED_TOGETHER,
    INVALID_PATTERN,
    NARROW_EXCLUSIONS,
    PATTERN_FIX,
    PATTERN_HINT,
    SECURITY_HUB,
    UNDECIDED_PATTERN,
)
from trailguard.rules.rule import Context, Rule


def judged(pattern: object, target: Target) -> Verdict:
    """The judge's verdict, each distinct pattern judged once per target (a control under a CIS version).

    The same few patterns recur in every account of a monorepo, so the verdict is cached by the pattern's meaning
    as the parser reads it: spellings that parse alike (whitespace, quotes, redundant parentheses) share one
    verdict, which the judge computes from the parsed pattern alone. A pattern AWS would reject is cached by its
    text, since the error names a position in that text.
    """
    if not isinstance(pattern, str):
        return judge_target(pattern, target)
    return _judged_text(pattern, target)


@lru_cache(maxsize=4096)
def _judged_text(pattern: str, target: Target) -> Verdict:
    try:
        parsed = parse(pattern)
    except PatternError:
        return judge_target(pattern, target)
    return _judged_meaning(parsed, target)


@lru_cache(maxsize=4096)
def _judged_meaning(parsed: ast.Pattern, target: Target) -> Verdict:
    return judge_target(parsed, target)


def judged_together(patterns: Sequence[str], control: Control, cis_version: str) -> Verdict:
    """Several filters judged as one (`controls.judge_together`), once per set of patterns, control and version;
    one filter is judged alone (the same verdict TG_AWS_2 computed for it)."""
    if len(patterns) == 1:
        return judged(patterns[0], control.target(cis_version))
    return _judged_together(tuple(patterns), control, cis_version)


@lru_cache(maxsize=1024)
def _judged_together(patterns: Tuple[str, ...], control: Control, cis_version: str) -> Verdict:
    return judge_together(list(patterns), control, cis_version)


def check_pattern(model: Model, metric_filter: MetricFilter, context: Context) -> Finding:
    return pattern_outcome(model, metric_filter, context.cis_version).finding(context.check.id, metric_filter)


def pattern_outcome(model: Model, metric_filter: MetricFilter, cis_version: str) -> Outcome:
    """The judge's reasons against the filter's pattern, for the control it belongs to (the chain checks cite them).
    Memoised per filter and version: TG_AWS_2 and every chain check read it."""
    key = ("pattern outcome", metric_filter.id, cis_version)
    if key not in model.memo:
        model.memo[key] = _pattern_outcome(model, metric_filter, cis_version)
    return model.memo[key]


def _pattern_outcome(model: Model, metric_filter: MetricFilter, cis_version: str) -> Outcome:
    outcome = Outcome()
    pattern = metric_filter.pattern
    control = control_of(metric_filter, cis_version)
    if not outcome.require_known(pattern, "the filter pattern") or control is None:
        return outcome
    verdict = judged(pattern, control.target(cis_version))
    siblings = _siblings(model, metric_filter, control, cis_version) if verdict.misses else []
    if siblings:
        verdict = _without_shared_misses(verdict, str(pattern), siblings, control, cis_version, outcome)
    if not verdict.ok:
        outcome.reasons.extend(verdict_reasons(verdict))
    if verdict.exclusions:
        outcome.details.append(NARROW_EXCLUSIONS(missed=control.target(cis_version).missed,
                                                 exclusions=", ".join(verdict.exclusions)))
    about = _about(metric_filter, control, cis_version)
    canonical = CANONICAL_PATTERN(version=cis_version, pattern=control.canonical)
    hub = SECURITY_HUB(note=security_hub_note(str(pattern), control)) if isinstance(pattern, str) else None
    if outcome.reasons:
        outcome.reasons.extend((canonical, about))
    else:
        outcome.details.append(about)
        outcome.details.extend(CONTROL_NOTE(note=hint) for hint in verdict.hints)
        outcome.details.extend(CONTROL_NOTE(note=note) for note in control.notes)
    if hub is not None:
        outcome.details.append(hub)
    return outcome


def _about(metric_filter: MetricFilter, control: Control, cis_version: str) -> Reason:
    number = control.cis_number(cis_version)
    hub = f", Security Hub {control.security_hub}" if control.security_hub else ""
    return BELONGS_TO(control=control.slug, numbers=f"CIS v{cis_version} {number}{hub}",
                      why="; ".join(classification(metric_filter).reasons))


def _siblings(model: Model, metric_filter: MetricFilter, control: Control, cis_version: str) -> List[MetricFilter]:
    """The other filters of the same control on the same log group, whose patterns are known text."""
    if metric_filter.log_group is None or is_unknown(metric_filter.log_group):
        return []
    return [other for other in model.filters.values()
            if other is not metric_filter and isinstance(other.pattern, str) and other.log_group is not None
            and not is_unknown(other.log_group) and control_of(other, cis_version) is control
            and same_log_group(model, metric_filter.log_group, other.log_group)]


def _without_shared_misses(verdict: Verdict, pattern: str, siblings: List[MetricFilter], control: Control,
                           cis_version: str, outcome: Outcome) -> Verdict:
    """The filter's verdict less the misses its siblings count: when the filters together miss nothing, a miss of
    one alone is a split, not a gap (noise and syntax stay each filter's own)."""
    together = judged_together([pattern] + [str(sibling.pattern) for sibling in siblings], control, cis_version)
    if together.status not in (PASS, FAIL) or together.misses:
        return verdict
    kept = tuple(example for example in verdict.counterexamples if example.kind not in MISS_KINDS)
    outcome.details.append(COVERED_TOGETHER(filters=", ".join(s.id for s in siblings)))
    status = FAIL if kept else (verdict.status if verdict.error else PASS)
    return dataclasses.replace(verdict, counterexamples=kept, status=status)


def verdict_reasons(verdict: Verdict) -> List[Reason]:
    """What is wrong, in the order `Verdict.reasons()` says it: the error, each counterexample with its event as
    evidence and its fix once, then the hints."""
    found: List[Reason] = []
    if verdict.status == INVALID:
        found.append(INVALID_PATTERN(error=verdict.error))
    elif verdict.error:
        found.append(UNDECIDED_PATTERN(error=verdict.error))
    for example in verdict.counterexamples:
        found.append(COUNTEREXAMPLE(sentence=example.sentence, evidence=example.event))
        if example.fix and all(reason.text() != example.fix for reason in found):
            found.append(PATTERN_FIX(fix=example.fix))
    found.extend(PATTERN_HINT(hint=hint) for hint in verdict.hints)
    return found


RULE = Rule(subjects=lambda model, context: monitoring_filters(model, context.cis_version), check=check_pattern)
