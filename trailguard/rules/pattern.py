"""TG_AWS_2: the filter's pattern counts every unauthorized API call and nothing else, and AWS would accept it
(docs/checks/TG_AWS_2.md). The judge (`trailguard.pattern`) decides; this turns its verdict into reasons, each
counterexample event kept as the reason's evidence."""

from __future__ import annotations

from functools import lru_cache
from typing import List

from trailguard.controls import UNAUTHORIZED_CALLS
from trailguard.findings import Finding, Reason
from trailguard.model import MetricFilter, Model
from trailguard.pattern import ast
from trailguard.pattern.errors import PatternError
from trailguard.pattern.judge import Verdict
from trailguard.pattern.judge import judge as judge_target
from trailguard.pattern.parser import parse
from trailguard.pattern.target import Target
from trailguard.pattern.verdict import INVALID
from trailguard.rules.membership import monitoring_filters
from trailguard.rules.outcome import Outcome
from trailguard.rules.reasons import (
    COUNTEREXAMPLE,
    INVALID_PATTERN,
    NARROW_EXCLUSIONS,
    PATTERN_FIX,
    PATTERN_HINT,
    UNDECIDED_PATTERN,
)
from trailguard.rules.rule import Rule

CHECK_ID = "TG_AWS_2"


def judged(pattern: object, target: Target = UNAUTHORIZED_CALLS) -> Verdict:
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


def check_pattern(model: Model, metric_filter: MetricFilter) -> Finding:
    return pattern_outcome(metric_filter).finding(CHECK_ID, metric_filter)


def pattern_outcome(metric_filter: MetricFilter) -> Outcome:
    """The judge's reasons against the filter's pattern (TG_AWS_4 cites them too)."""
    outcome = Outcome()
    pattern = metric_filter.pattern
    if not outcome.require_known(pattern, "the filter pattern"):
        return outcome
    verdict = judged(pattern)
    outcome.reasons.extend(verdict_reasons(verdict))
    if verdict.exclusions:
        outcome.details.append(NARROW_EXCLUSIONS(exclusions=", ".join(verdict.exclusions)))
    return outcome


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


RULE = Rule(subjects=monitoring_filters, check=check_pattern)
